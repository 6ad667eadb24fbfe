#!/bin/sh
# tend log: record an interaction.  Any interaction is a touch: it resets
# the keep-in-touch clock, so a logged call stops the "you haven't talked
# to X" reminder (the single most requested fix).
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" --every 6w --met BNI --met-on 2026-09-01
run tend add "Bob Stone" --every 2w --met-on 2026-10-01
run tend add "Carl Diaz"

run tend today --json
expect_json '[i["contact"]["name"] for i in j["items"]]' \
    '["Ann Lee", "Bob Stone"]' "before: both are due for keep-in-touch"
expect_json '[i["kind"] for i in j["items"]]' \
    '["keep-in-touch", "keep-in-touch"]' "as keep-in-touch items"

run tend log ann call "talked about the site"
expect_rc 0 "log a call"
expect_out "logged call with Ann Lee (1); next keep-in-touch 2027-01-04" \
    "says the next keep-in-touch date (6 weeks on)"
run tend today --json
expect_json '[i["contact"]["name"] for i in j["items"]]' '["Bob Stone"]' \
    "a logged call takes her off today's agenda"
run tend today
expect_lacks "Ann Lee" "not in the text agenda either"
run tend show ann --json
expect_json 'j["last_touch"]' "2026-11-23T09:00:00+00:00" "last touch is now"
expect_json 'j["next_keep_in_touch"]' "2027-01-04T00:00:00+00:00" \
    "next keep-in-touch: the day, 6 weeks on"
expect_json 'j["interactions"]' '[{"id": 1, "kind": "call", "direction": "out", "at": "2026-11-23T09:00:00+00:00", "summary": "talked about the site", "by_tend": false}]' \
    "the interaction is stored"

# an incoming message counts as a touch too
run tend log bob message "asked for a quote" --in --json
expect_rc 0 "log --in --json"
expect_json 'j' '{"id": 2, "contact": {"id": 2, "name": "Bob Stone"}, "kind": "message", "direction": "in", "at": "2026-11-23T09:00:00+00:00", "summary": "asked for a quote", "next_keep_in_touch": "2026-12-07T00:00:00+00:00"}' \
    "the whole --json record"
run tend today --json
expect_json 'j["items"]' '[]' "an incoming touch clears the reminder too"

# --when in the past moves the last touch only if it is later
run tend log carl call --when 2026-11-01 --out
expect_rc 0 "log --when in the past, --out"
expect_out "logged call with Carl Diaz (3)" "no keep-in-touch to mention"
run tend show carl --json
expect_json 'j["last_touch"]' "2026-11-01T00:00:00+00:00" \
    "a first touch in the past sets the last touch"
run tend log carl email --when 2026-11-10T14:30
run tend show carl --json
expect_json 'j["last_touch"]' "2026-11-10T14:30:00+00:00" \
    "a later past touch moves it"
run tend log carl meeting --when 2026-11-05
run tend show carl --json
expect_json 'j["last_touch"]' "2026-11-10T14:30:00+00:00" \
    "an earlier touch does not move it back"
expect_json '[i["at"] for i in j["interactions"]]' \
    '["2026-11-10T14:30:00+00:00", "2026-11-05T00:00:00+00:00", "2026-11-01T00:00:00+00:00"]' \
    "but is in the history, newest first"
expect_json '[i["direction"] for i in j["interactions"]]' \
    '["out", "out", "out"]' "out is the default direction"
run tend every carl 2w --json
expect_json 'j["next_due"]' "2026-11-24T00:00:00+00:00" \
    "a new cadence counts from the last touch"
run tend log carl call --when "3 days ago"
expect_rc 0 "--when '3 days ago'"
run tend show carl --json
expect_json 'j["next_keep_in_touch"]' "2026-12-04T00:00:00+00:00" \
    "the next keep-in-touch follows the new last touch"

# a call logged for long ago does not clear a reminder that is still due
run tend add "Dana Fox" --every 2w --met-on 2026-10-01
run tend log dana call --when 2026-10-20
run tend show dana --json
expect_json 'j["next_keep_in_touch"]' "2026-11-03T00:00:00+00:00" \
    "due 2 weeks after the old call"
run tend today --json
expect_json '[i["contact"]["name"] for i in j["items"]]' '["Dana Fox"]' \
    "so still on the agenda"
expect_json 'j["items"][0]["why"]' \
    "last contact 4 weeks ago; you keep in touch every 2 weeks" \
    "and the why line says when the last contact was"

run tend log dana note "a thought" --when now
expect_rc 0 "--when now"
run tend log dana in-person --when "2026-11-23T09:00"
expect_rc 0 "--when exactly now"

# multi-line summaries are fine
run tend log dana email "$(printf 'line one\nline two')" --json
expect_rc 0 "a summary on two lines"
expect_json 'j["summary"]' "$(printf 'line one\nline two')" "kept as written"

# bad input: nothing written
snapshot
run tend log ann call --when tomorrow
expect_rc 65 "--when in the future"
expect_err "--when: 'tomorrow' is in the future; use 'tend follow' to plan" \
    "says why and what to use"
run tend log ann call --when 2026-11-23T09:01
expect_rc 65 "--when a minute from now"
run tend log ann call --when 2026-02-30
expect_rc 65 "--when an impossible date"
expect_err "--when: invalid date '2026-02-30'" "names the date"
run tend log ann call --when 2026-13-01
expect_rc 65 "--when month 13"
run tend log ann call --when "2026-11-01T25:00"
expect_rc 65 "--when hour 25"
run tend log ann call --when soon
expect_rc 65 "--when gibberish"
run tend log ann call --in --out
expect_rc 2 "--in and --out together"
expect_err "--in and --out exclude each other" "says so"
run tend log ann chat
expect_rc 65 "an unknown kind"
expect_err "unknown interaction kind 'chat' (expected call, email, meeting, in-person, message or note)" \
    "names the kind and the choices"
run tend log ann CALL
expect_rc 65 "kinds are lower case"
run tend log nobody call
expect_rc 65 "an unknown contact"
expect_err "contact 'nobody' not found" "names the contact"
run tend log 0 call
expect_rc 2 "contact id 0"
run tend log ann call "$(printf 'hi\001there')"
expect_rc 65 "a control character in the summary"
expect_err "summary contains a control character (0x01)" "names it"
run tend log ann call "$(printf 'caf\351')"
expect_rc 65 "invalid UTF-8 in the summary"
expect_err "summary is not valid UTF-8" "says so"
run tend log ann call "$(head -c 10001 /dev/zero | tr '\0' x)"
expect_rc 65 "an over-long summary"
expect_err "summary is too long (10001 bytes, at most 10000)" "says how long"
run tend log ann
expect_rc 2 "no kind"
expect_err "usage: tend log CONTACT KIND" "prints the usage"
run tend log ann call one two
expect_rc 2 "too many arguments"
run tend log ann call --when
expect_rc 2 "--when without a value"
expect_unchanged "failed logs wrote nothing"
