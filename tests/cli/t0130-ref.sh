#!/bin/sh
# Contact references: an id, #id, an e-mail address (any case), a unique
# case-insensitive prefix of the name; ambiguity is a usage error that
# lists the candidates; archived contacts only by id or address.
. "$(dirname "$0")/lib.sh"

run tend add "Ann" -e Ann.Lee@Example.com
run tend add "Anna Berg"
run tend add "Annabel Roy"
run tend add "Bob Stone"
run tend add "Bob Stone"
run tend add "Émile Zola"
run tend add "Zoë Ødegaard"
run tend add "Carla Old" -e carla@example.com
run tend rm carla

ref() {
	# ref REF ID WHAT: `tend show REF` finds contact ID
	run tend show "$1" --json
	if [ "$rc" -eq 0 ] && [ "$(json 'j["id"]')" = "$2" ]; then _ok "$3"
	else _notok "$3" "exit $rc" "stdout: $out" "stderr: $err"
	fi
}

ref 2 2 "by id"
ref "#2" 2 "by #id"
ref "ann.lee@example.com" 1 "by address"
ref "ANN.LEE@EXAMPLE.COM" 1 "by address, any case"
ref "annab" 3 "by a unique prefix"
ref "ANNAB" 3 "a prefix in any case"
ref "anna b" 2 "a prefix with a space"
ref "Annabel Roy" 3 "by the full name"
ref "ann" 1 "an exact name wins over longer ones"
ref "ANN" 1 "an exact name in any case"
ref "É" 6 "a non-ASCII prefix"
ref "émile" 6 "a non-ASCII prefix in other case"
ref "zoë ø" 7 "non-ASCII letters inside a prefix, in other case"
ref 8 8 "an archived contact by id"
ref "carla@example.com" 8 "an archived contact by address"

snapshot
run tend show anna
expect_rc 2 "an ambiguous prefix is a usage error"
expect_err "'anna' matches 2 contacts: Anna Berg (2), Annabel Roy (3)" \
    "lists the candidates with their ids"
expect_err "use the id or more of the name" "says what to do"
run tend show "bob stone"
expect_rc 2 "two contacts with the same name"
expect_err "Bob Stone (4), Bob Stone (5)" "lists both"
run tend edit bob --company X
expect_rc 2 "an ambiguous reference in edit"
run tend log bob call
expect_rc 2 "an ambiguous reference in log"
run tend follow a
expect_rc 2 "an ambiguous reference in follow"
run tend every bob 2w
expect_rc 2 "an ambiguous reference in every"
run tend rm anna
expect_rc 2 "an ambiguous reference in rm"
run tend add "Dan" --via bob
expect_rc 2 "an ambiguous --via"
run tend show carla
expect_rc 65 "an archived contact is not found by name"
expect_err "contact 'carla' not found" "not found"
run tend show nobody
expect_rc 65 "an unknown name"
expect_err "contact 'nobody' not found" "names the reference"
run tend show nobody@example.com
expect_rc 65 "an unknown address"
expect_err "contact 'nobody@example.com' not found" "names the address"
run tend show 99
expect_rc 65 "an unknown id"
expect_err "contact 99 not found" "names the id"
run tend show "#99"
expect_rc 65 "an unknown #id"
run tend show ""
expect_rc 2 "an empty reference"
expect_err "empty contact reference" "says it is empty"
run tend show 0
expect_rc 2 "id 0 is not an id"
expect_err "invalid contact id '0'" "names it"
run tend show "#0"
expect_rc 2 "#0 is not an id"
run tend show "ann%"
expect_rc 65 "SQL wildcards are plain characters"
run tend show "a_n"
expect_rc 65 "SQL wildcards are plain characters (_)"
expect_unchanged "failed references wrote nothing"

# more than ten candidates: the list is cut
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	"$TEND" add "Sam $i" >/dev/null
done
run tend show sam
expect_rc 2 "many candidates"
expect_err "'sam' matches more than 10 contacts: Sam 01 (9)" \
    "says there are more than ten"
expect_err ", ..." "and cuts the list"
ref "sam 12" 20 "one of many by a longer prefix"
