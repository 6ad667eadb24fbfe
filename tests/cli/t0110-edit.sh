#!/bin/sh
# tend edit: change fields, clear them with an empty value, and refuse
# bad values without writing anything.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" -e ann@example.com -p "+33 6 12 34 56 78" -t bni \
    --company Acme --title CTO --met "BNI breakfast" --met-on 2026-11-11 \
    --need "a new website" --note "likes tea" --every 6w
run tend add "Bob Stone" -e bob@example.com

run tend edit ann --company Beta --title CEO
expect_rc 0 "edit two fields"
expect_out "1" "edit prints the id"
run tend show 1 --json
expect_json 'j["company"]' "Beta" "company changed"
expect_json 'j["title"]' "CEO" "title changed"
expect_json 'j["needs"]' "a new website" "other fields kept"
expect_json 'j["emails"]' '["ann@example.com"]' "addresses kept"
expect_json 'j["phones"]' '["+33 6 12 34 56 78"]' "phones kept"
expect_json 'j["tags"]' '["bni"]' "tags kept"
expect_json 'j["cadence"]' "6w" "cadence kept"
expect_json 'j["created"]' "2026-11-23T09:00:00+00:00" "created kept"

run tend edit ann --company "" --title "" --note "" --json
expect_rc 0 "empty values clear fields"
expect_json 'j["company"]' null "company cleared"
expect_json 'j["title"]' null "title cleared"
expect_json 'j["notes"]' null "note cleared"

run tend edit ann --name "Ann Leigh" --json
expect_json 'j["name"]' "Ann Leigh" "--name renames"
run tend show "ann leigh" --json
expect_json 'j["id"]' 1 "the new name finds the contact"

run tend edit ann -t web -t WEB --untag bni --json
expect_json 'j["tags"]' '["web"]' "tags added (deduplicated) and removed"
run tend edit ann -e ann2@example.com --json
expect_json 'j["emails"]' '["ann@example.com", "ann2@example.com"]' \
    "a second address; the first stays primary"
run tend edit ann --no-email ANN@example.com --json
expect_json 'j["emails"]' '["ann2@example.com"]' \
    "--no-email removes (case-insensitive)"
run tend show ann@example.com
expect_rc 65 "the removed address no longer finds her"
run tend edit ann -p "01 23 45" --no-phone "+33 6 12 34 56 78" --json
expect_json 'j["phones"]' '["01 23 45"]' "phones added and removed"
run tend edit ann --kind client --source inbound --tz Europe/Paris --json
expect_json '[j["kind"], j["source"], j["tz"]]' \
    '["client", "inbound", "Europe/Paris"]' "kind, source and zone"
run tend edit ann --tz "" --json
expect_json 'j["tz"]' null "--tz '' clears the zone"
run tend edit ann --dnc --json
expect_json 'j["do_not_contact"]' "true" "--dnc"
run tend edit ann --contact-ok --json
expect_json 'j["do_not_contact"]' "false" "--contact-ok"
run tend edit ann --via bob --json
expect_json 'j["via"]' '{"id": 2, "name": "Bob Stone"}' "--via sets the referrer"
run tend edit ann --via "" --json
expect_json 'j["via"]' null "--via '' clears it"
run tend edit ann --json
expect_rc 0 "edit with nothing to change"
expect_json 'j["updated"]' "2026-11-23T09:00:00+00:00" "updated stamped"

# the keep-in-touch date follows the interval and the day you met
run tend edit ann --every 2w --json
expect_json 'j["cadence"]' "2w" "--every changes the interval"
expect_json 'j["next_keep_in_touch"]' "2026-11-25T00:00:00+00:00" \
    "2 weeks after the meeting on 2026-11-11"
run tend edit ann --met-on 2026-11-01 --json
expect_json 'j["next_keep_in_touch"]' "2026-11-15T00:00:00+00:00" \
    "a new meeting date moves the next due"
run tend edit ann --every never --json
expect_json '[j["cadence"], j["next_keep_in_touch"]]' '[null, null]' \
    "--every never removes the cadence"

# bad input: nothing written
snapshot
run tend edit ann --name ""
expect_rc 65 "an empty name"
expect_err "a contact needs a name" "says a name is needed"
run tend edit ann --name "   "
expect_rc 65 "a blank name"
run tend edit ann --name "$(printf 'Ann\033[31m')"
expect_rc 65 "control character in the name"
expect_err "name contains a control character (0x1b)" "names the character"
run tend edit ann --company "$(printf 'Acme \303\050')"
expect_rc 65 "invalid UTF-8 in the company"
expect_err "company is not valid UTF-8" "names the field"
run tend edit ann --title "$(head -c 201 /dev/zero | tr '\0' x)"
expect_rc 65 "an over-long title"
expect_err "title is too long (201 bytes, at most 200)" "says how long"
run tend edit ann --need "$(head -c 10001 /dev/zero | tr '\0' x)"
expect_rc 65 "an over-long need"
run tend edit ann --via ann
expect_rc 65 "a contact cannot introduce themselves"
expect_err "cannot introduce themselves" "says why"
run tend edit ann -e bob@example.com
expect_rc 65 "an address of another contact"
expect_err "e-mail address 'bob@example.com' already belongs to contact 2" \
    "names the owner"
run tend edit ann -e BOB@Example.COM
expect_rc 65 "the same address in other case"
run tend edit ann -e "ann@"
expect_rc 65 "an invalid address"
expect_err "invalid e-mail address 'ann@'" "names the address"
run tend edit ann --met-on 2026-12-25
expect_rc 65 "a meeting in the future"
expect_err "--met-on: '2026-12-25' is in the future" "says it is in the future"
run tend edit ann --met-on 2026-02-30
expect_rc 65 "an impossible date"
expect_err "2026-02-30" "names the date"
run tend edit ann --every 0d
expect_rc 65 "interval 0d"
expect_err "invalid interval '0d'" "names the interval"
run tend edit ann --every 1.5w
expect_rc 65 "interval 1.5w"
run tend edit ann --tz Mars/Olympus
expect_rc 65 "unknown zone"
expect_err "unknown time zone 'Mars/Olympus'" "names the zone"
run tend edit ann --kind boss
expect_rc 65 "unknown kind"
expect_err "unknown kind 'boss'" "names the kind"
run tend edit ann --source web
expect_rc 65 "unknown source"
expect_err "unknown source 'web'" "names the source"
run tend edit ann -t "a b"
expect_rc 65 "a tag with a space"
run tend edit ann -t ""
expect_rc 65 "an empty tag"
run tend edit ann -p abc
expect_rc 65 "an invalid phone"
expect_err "invalid phone number 'abc'" "names the number"
run tend edit ann --via nobody
expect_rc 65 "an unknown referrer"
expect_err "contact 'nobody' not found" "names the referrer"
run tend edit nobody --company X
expect_rc 65 "an unknown contact"
expect_err "contact 'nobody' not found" "names the contact"
run tend edit 99 --company X
expect_rc 65 "an unknown id"
expect_err "contact 99 not found" "names the id"
run tend edit ann --bogus
expect_rc 2 "an unknown option"
run tend edit ann bob
expect_rc 2 "two contacts"
expect_err "usage: tend edit CONTACT" "prints the usage"
run tend edit
expect_rc 2 "no contact"
run tend edit ann --untag
expect_rc 2 "an option without its value"
expect_err "option '--untag' needs a value" "names the option"
# several changes, the last one bad: none is written
run tend edit ann --company Gamma -t vip --every 3m --kind boss
expect_rc 65 "good changes with one bad one"
expect_unchanged "failed edits wrote nothing"
run tend show ann --json
expect_json '[j["company"], j["tags"]]' '[null, ["web"]]' \
    "the good changes of a failed edit were not applied"
