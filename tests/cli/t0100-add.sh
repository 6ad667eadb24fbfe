#!/bin/sh
# tend add: the happy paths, and bad input that must write nothing.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" -e ann@example.com -p "+33 6 12 34 56 78" \
    --company Acme --title CTO --met "BNI breakfast" --met-on 2026-11-11 \
    --need "a new website" -t bni -t web --every 6w
expect_rc 0 "add with every field"
expect_out "1" "add prints the new id"

run tend show 1 --json
expect_json 'j["name"]' "Ann Lee" "name stored"
expect_json 'j["emails"]' '["ann@example.com"]' "e-mail stored"
expect_json 'j["tags"]' '["bni", "web"]' "tags stored, sorted"
expect_json 'j["source"]' "event" "--met makes the source an event"
expect_json 'j["cadence"]' "6w" "cadence stored"
expect_json 'j["next_keep_in_touch"]' "2026-12-23T00:00:00+00:00" \
    "keep-in-touch due 6 weeks after the meeting"

run tend add "Bob Stone" --via ann --json
expect_rc 0 "add with --via and --json"
expect_json 'j["via"]["name"]' "Ann Lee" "--via resolves a name prefix"
expect_json 'j["source"]' "referral" "--via makes the source a referral"

snapshot
run tend add "Carl" -e not-an-address
expect_rc 65 "invalid e-mail address is bad data"
expect_err "invalid e-mail address 'not-an-address'" "the message names the value"
run tend add "Carl" -e ann@example.com
expect_rc 65 "an address that belongs to another contact"
expect_err "already belongs to contact 1" "says who has it"
run tend add "Carl" --tz Mars/Olympus
expect_rc 65 "unknown time zone"
expect_err "unknown time zone 'Mars/Olympus'" "names the zone"
run tend add "Carl" --every 0d
expect_rc 65 "interval 0d"
run tend add "Carl" --every -3w
expect_rc 65 "interval -3w"
run tend add "Carl" --met-on 2026-02-30
expect_rc 65 "impossible date"
run tend add "Carl" --kind boss
expect_rc 65 "unknown kind"
run tend add "$(printf 'Carl\001')"
expect_rc 65 "control character in a name"
run tend add "$(printf 'Carl \377')"
expect_rc 65 "invalid UTF-8"
run tend add "$(head -c 300 /dev/zero | tr '\0' x)"
expect_rc 65 "over-long name"
run tend add "Carl" --via nobody
expect_rc 65 "unknown --via contact"
run tend add
expect_rc 2 "no name is a usage error"
run tend add "Carl" --bogus
expect_rc 2 "unknown option is a usage error"
run tend add "   "
expect_rc 65 "a blank name"
expect_unchanged "failed adds wrote nothing"
