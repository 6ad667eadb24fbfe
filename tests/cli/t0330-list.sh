#!/bin/sh
# tend list: contacts by name, filtered by --tag and --kind; archived ones
# only with --archived; --json is one valid JSON array.
. "$(dirname "$0")/lib.sh"

run tend list
expect_rc 0 "list on an empty database"
expect_out "no contacts" "says there are none"
run tend list --json
expect_out "[]" "an empty JSON array"

run tend add "bob stone" -t BNI -p "555 0101"
run tend add "Ann Lee" -e ann@example.com -e ann@work.example --company Acme \
    -t bni -t web --kind client
run tend add "Carl Diaz" --kind friend -t web
run tend add "Dora Old" --kind client -t bni
run tend add "Émile Zola" --kind partner
run tend rm dora

names() {
	# names ARGS... -> EXPECTED WHAT: the names listed, in order
	exp=$1
	what=$2
	shift 2
	run tend list --json "$@"
	if [ "$rc" -ne 0 ]; then
		_notok "$what" "exit $rc" "stderr: $err"
		return
	fi
	expect_json '[c["name"] for c in j]' "$exp" "$what"
}

names '["Ann Lee", "bob stone", "Carl Diaz", "\u00c9mile Zola"]' \
    "all active contacts, by name whatever the case"
names '["Ann Lee", "bob stone"]' "--tag bni" --tag bni
names '["Ann Lee", "bob stone"]' "--tag in another case" --tag BnI
names '["Ann Lee", "Carl Diaz"]' "-t web" -t web
names '[]' "an unknown tag lists nothing" --tag nope
names '["Ann Lee"]' "--kind client" --kind client
names '["Ann Lee", "Dora Old"]' "--kind client --archived" --kind client --archived
names '["Ann Lee", "bob stone", "Dora Old"]' "--tag bni --archived" --tag bni --archived
names '["Ann Lee"]' "--tag bni --kind client" --tag bni --kind client
names '[]' "--tag web --kind partner" --tag web --kind partner
names '["Ann Lee", "bob stone", "Carl Diaz", "Dora Old", "\u00c9mile Zola"]' \
    "--archived includes archived contacts" --archived

run tend list --json
expect_json 'j[0]' '{"id": 2, "name": "Ann Lee", "company": "Acme", "title": null, "kind": "client", "emails": ["ann@example.com"], "phones": [], "tags": ["BNI", "web"], "labels": {"emails": [null], "phones": []}, "extras": [], "tz": null, "met_where": null, "met_on": null, "via": null, "source": "other", "needs": null, "notes": null, "do_not_contact": false, "archived": false, "cadence": null, "next_keep_in_touch": null, "last_touch": null, "created": "2026-11-23T09:00:00+00:00", "updated": "2026-11-23T09:00:00+00:00"}' \
    "--json: the contact record (primary address; a tag keeps its first spelling)"
run tend list --archived --json
expect_json '[c["archived"] for c in j]' '[false, false, false, true, false]' \
    "--json: archived is marked"

run tend list
expect_out "2      Ann Lee                     Acme                    client    ann@example.com
1      bob stone                                           prospect  
3      Carl Diaz                                           friend    
5      Émile Zola                                          partner   " \
    "the text table: id, name, company, kind, primary address"
run tend list --tag nope
expect_out "no contacts" "no match as text"

# many contacts: the JSON stays one valid array
i=0
while [ $i -lt 40 ]; do
	i=$((i + 1))
	printf 'INSERT INTO contacts (name, name_key, created, updated) VALUES (%s, %s, 0, 0);\n' \
	    "'Z $i'" "'z $i'"
done | sqlite3 "$TEND_DB"
run tend list --json
expect_json 'len(j)' 44 "forty more contacts, one valid array"

snapshot
run tend list --kind boss
expect_rc 65 "an unknown kind"
expect_err "unknown kind 'boss' (expected prospect, client, friend, partner or other)" \
    "names it and the choices"
run tend list --kind ""
expect_rc 65 "an empty kind"
run tend list ann
expect_rc 2 "list takes no argument"
expect_err "usage: tend list" "prints the usage"
run tend list --tag
expect_rc 2 "--tag without a value"
run tend list --sort name
expect_rc 2 "an unknown option"
expect_unchanged "list never writes"
