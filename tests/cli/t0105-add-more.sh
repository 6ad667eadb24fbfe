#!/bin/sh
# tend add, beyond t0100: the whole --json record, defaults, clean-up of
# what was typed, non-ASCII text, and more bad input.
. "$(dirname "$0")/lib.sh"

run tend add "  Ann Lee  " -e ann@example.com -e ANN@Example.com \
    -e ann@work.example -p "(555) 123-4567" -t web -t WEB -t bni --json
expect_rc 0 "add --json"
expect_json 'j' '{"id": 1, "name": "Ann Lee", "company": null, "title": null, "kind": "prospect", "emails": ["ann@example.com", "ann@work.example"], "phones": ["(555) 123-4567"], "tags": ["bni", "web"], "labels": {"emails": [null, null], "phones": [null]}, "extras": [], "tz": null, "met_where": null, "met_on": null, "via": null, "source": "other", "needs": null, "notes": null, "do_not_contact": false, "archived": false, "cadence": null, "next_keep_in_touch": null, "last_touch": null, "created": "2026-11-23T09:00:00+00:00", "updated": "2026-11-23T09:00:00+00:00"}' \
    "the whole record: name trimmed, addresses and tags without duplicates, defaults"

run tend add "Dan Park" --dnc --source inbound --kind partner \
    --tz Europe/Paris --note "$(printf 'two\nlines')" --met "Web Summit" \
    --json
expect_json '[j["do_not_contact"], j["source"], j["kind"], j["tz"], j["notes"]]' \
    '[true, "inbound", "partner", "Europe/Paris", "two\nlines"]' \
    "--dnc, an explicit --source beats --met, kind, zone, a note on two lines"
run tend add "Éva Ñandú 王" -e "éva@exämple.com" --company "Café Zoë" --json
expect_rc 0 "non-ASCII name, address and company"
expect_json '[j["name"], j["emails"], j["company"]]' \
    '["\u00c9va \u00d1and\u00fa \u738b", ["\u00e9va@ex\u00e4mple.com"], "Caf\u00e9 Zo\u00eb"]' \
    "stored as typed"
run tend show "ÉVA@EXÄMPLE.COM" --json
expect_json 'j["id"]' 3 "found by the address in other case"
run tend edit 3 -e "ÉVA@EXÄMPLE.COM" -e "zoe@example.com" --json
expect_rc 0 "the same non-ASCII address again, in other case"
expect_json 'j["emails"]' '["\u00e9va@ex\u00e4mple.com", "zoe@example.com"]' \
    "is not added twice"

run tend add "Ivy Chen" --met-on today --every 1w --json
expect_json '[j["met_on"], j["cadence"], j["next_keep_in_touch"]]' \
    '["2026-11-23T00:00:00+00:00", "1w", "2026-11-30T00:00:00+00:00"]' \
    "--met-on today, --every 1w"
run tend add "Carl Diaz" --every never --json
expect_json '[j["cadence"], j["next_keep_in_touch"]]' '[null, null]' \
    "--every never: no cadence"
run tend add "Ann Lee"
expect_rc 0 "two contacts may share a name"
expect_out "6" "a new id"
run tend find ivy --json
expect_json '[h["id"] for h in j]' '[4]' "a new contact is searchable at once"

run tend rm dan
run tend add "Gus Hale" --via 2 --json
expect_json 'j["via"]' '{"id": 2, "name": "Dan Park"}' \
    "--via an archived contact by id"

snapshot
run tend add "Hal" --via dan
expect_rc 65 "--via an archived contact by name"
run tend add "Hal" --name Hal
expect_rc 2 "--name on add"
expect_err "add: give the name as the first argument, not --name" "says so"
run tend add "Hal" --met-on 2026-12-01
expect_rc 65 "--met-on in the future"
expect_err "--met-on: '2026-12-01' is in the future" "says so"
run tend add "Hal" -p 12
expect_rc 65 "a phone with two digits"
expect_err "invalid phone number '12'" "names it"
run tend add "Hal" -p "555-CALL-NOW"
expect_rc 65 "letters in a phone"
run tend add "Hal" -t "a,b"
expect_rc 65 "a comma in a tag"
expect_err "invalid tag 'a,b': no spaces or commas" "says why"
run tend add "Hal" -e ann@work.example
expect_rc 65 "a second address of another contact"
expect_err "e-mail address 'ann@work.example' already belongs to contact 1" \
    "names the owner"
run tend add "Hal" -e hal@example.com -e ann@example.com --json
expect_rc 65 "one good and one taken address"
expect_out "" "nothing on stdout"
run tend add "Hal" --source web
expect_rc 65 "an unknown source"
run tend add "Hal" --kind ""
expect_rc 65 "an empty kind"
run tend add "Hal" --every
expect_rc 2 "--every without a value"
expect_unchanged "failed adds wrote nothing"

run tend add "Hal" --tz "" --json
expect_rc 0 "--tz '' is no zone"
expect_json 'j["tz"]' null "none stored"
run tend add --json -- "-dash"
expect_rc 0 "a name starting with a dash, after --"
expect_json 'j["name"]' "-dash" "stored"
