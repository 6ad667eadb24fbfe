#!/bin/sh
# tend find: full-text search over names, companies, needs, notes and
# interaction summaries.  Whatever the user types is words: FTS syntax is
# never interpreted and never an error.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" --company "Acme Widgets" --need "a new website" \
    --note "likes green tea"
run tend add "Bob Stone" --company "Stone & Sons" --need "bookkeeping help"
run tend add "Émile Zola" --note "writer, needs a publisher"
run tend add "Old Friend" --note "collects stamps"
run tend log bob call "discussed the quarterly budget"
run tend rm old

hits() {
	# hits QUERY EXPECTED WHAT: the [id, matched] pairs found
	run tend find "$1" --json
	if [ "$rc" -ne 0 ]; then
		_notok "$3" "exit $rc" "stderr: $err"
		return
	fi
	expect_json '[[h["id"], h["matched"]] for h in j]' "$2" "$3"
}

hits ann '[[1, "contact"]]' "a name"
hits LEE '[[1, "contact"]]' "any case"
hits acme '[[1, "contact"]]' "a company"
hits website '[[1, "contact"]]' "a need"
hits web '[[1, "contact"]]' "a prefix of a word"
hits tea '[[1, "contact"]]' "a note"
hits budget '[[2, "interaction"]]' "an interaction summary"
hits "quarterly budget" '[[2, "interaction"]]' "two words of a summary"
hits "stone sons" '[[2, "contact"]]' "two words"
hits emile '[[3, "contact"]]' "without the accent"
hits ÉMILE '[[3, "contact"]]' "a non-ASCII word in upper case"
hits stamps '[]' "archived contacts are not found"
hits "ann bob" '[]' "every word must match"

run tend find acme --json
expect_json 'j' '[{"id": 1, "name": "Ann Lee", "company": "Acme Widgets", "matched": "contact", "snippet": "[Acme] Widgets"}]' \
    "--json: id, name, company, where it matched, a snippet"
run tend find budget
expect_rc 0 "find as text"
expect_out "2      Bob Stone — Stone & Sons
       discussed the quarterly [budget]" "the text lists id, name, company, snippet"
run tend find zzz
expect_rc 0 "no match is not an error"
expect_out "no match for 'zzz'" "says there is no match"
run tend find zzz --json
expect_out "[]" "no match as JSON"

# FTS5 syntax in the query is plain text: never interpreted, never an error
for q in '"' '*' 'AND' 'ann AND bob' 'ann OR bob' 'NOT ann' 'NEAR(' \
    'NEAR(ann bob)' '(' ')' 'ann*' '^ann' 'name:ann' "'" 'a"b' '-' \
    '+' ':' '{name}: ann' '"unbalanced' 'ann"' '\' '%' '_'; do
	run tend find "$q" --json
	case "$rc $out" in
	"0 ["*"]") good=1 ;;
	*) good=0 ;;
	esac
	if [ $good = 1 ] && [ -z "$err" ]
	then _ok "find '$q' is not an error"
	else _notok "find '$q' is not an error" "exit $rc" "stdout: $out" \
	    "stderr: $err"
	fi
done
hits 'ann AND bob' '[]' "AND is a word, not an operator"
hits 'ann OR bob' '[]' "OR is a word, not an operator"
hits 'NEAR(acme widgets)' '[]' "NEAR is a word"
hits 'ann*' '[[1, "contact"]]' "a star is ignored"
hits '"acme' '[[1, "contact"]]' "a quote is ignored"
hits 'company:acme' '[]' "a column filter is two words"
run tend find '"'
expect_out "no match for '\"'" "a lone quote finds nothing"

# find never writes; bad input is reported
snapshot
run tend find ""
expect_rc 2 "an empty query"
expect_err "find: empty query" "says so"
run tend find "   "
expect_rc 2 "a blank query"
run tend find "$(printf 'ann\001')"
expect_rc 65 "a control character in the query"
expect_err "query contains a control character (0x01)" "names it"
run tend find "$(printf 'caf\351')"
expect_rc 65 "invalid UTF-8 in the query"
expect_err "query is not valid UTF-8" "says so"
run tend find "$(head -c 201 /dev/zero | tr '\0' q)"
expect_rc 65 "an over-long query"
expect_err "query is too long (201 bytes, at most 200)" "says how long"
run tend find
expect_rc 2 "no query"
expect_err "usage: tend find QUERY" "prints the usage"
run tend find ann bob
expect_rc 2 "two arguments (quote the query)"
expect_unchanged "find never writes"
