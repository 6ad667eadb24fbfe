#!/bin/sh
# tend done: complete a follow-up; --log records the interaction in the
# same step, --next schedules the next one.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" --every 2w --met-on 2026-10-01
run tend add "Bob Stone"
run tend follow ann "send the proposal" --due today --via email
run tend follow bob "call back" --due 2026-11-20
run tend follow bob "check the invoice" --due tomorrow

run tend done 1 --log email --next fri
expect_rc 0 "done --log --next"
expect_out "done 1; next follow-up 4 on 2026-11-27" \
    "says what it did and when the next one is"
run tend show ann --json
expect_json '[[f["id"], f["state"], f["due"], f["reason"], f["channel"]] for f in j["followups"]]' \
    '[[4, "open", "2026-11-27T00:00:00+00:00", "send the proposal", "email"], [1, "done", "2026-11-23T00:00:00+00:00", "send the proposal", "email"]]' \
    "the next follow-up keeps the reason and channel"
expect_json 'j["interactions"]' '[{"id": 1, "kind": "email", "direction": "out", "at": "2026-11-23T09:00:00+00:00", "summary": "send the proposal", "by_tend": false}]' \
    "--log recorded the interaction, summarised by the reason"
expect_json 'j["last_touch"]' "2026-11-23T09:00:00+00:00" "a touch"
expect_json 'j["next_keep_in_touch"]' "2026-12-07T00:00:00+00:00" \
    "which resets the keep-in-touch clock"
expect_json 'j["next_followup"]' 4 "the next follow-up is shown"

run tend done 2 -n "left a voicemail" --log call --json
expect_rc 0 "done --json with a note"
expect_json 'j["done"]' '{"id": 2, "contact": {"id": 2, "name": "Bob Stone"}, "kind": "task", "reason": "call back", "channel": null, "deal": null, "due": "2026-11-20T00:00:00+00:00", "state": "done"}' \
    "--json: the follow-up, done"
expect_json 'j["next"]' null "--json: no next one"
run tend show bob --json
expect_json '[i["kind"], i["summary"]] if False else [[i["kind"], i["summary"]] for i in j["interactions"]]' \
    '[["call", "left a voicemail"]]' "the note is the logged summary"

run tend done "#3"
expect_rc 0 "done '#3' without --log"
expect_out "done 3" "says done"
run tend show bob --json
expect_json 'len(j["interactions"])' 1 "without --log nothing is logged"
run tend today --json
expect_json 'j["items"]' '[]' "done follow-ups leave the agenda"

# done twice
snapshot
run tend done 1
expect_rc 65 "done twice"
expect_err "follow-up 1 is already done" "says it is already done"
run tend done 1 --log call --next fri
expect_rc 65 "done twice with --log and --next"
expect_unchanged "a second done wrote nothing"

# done on a snoozed and on a cancelled follow-up
run tend follow bob "snoozed one" --due today
id=$out
run tend snooze "$id" fri
run tend done "$id" --json
expect_rc 0 "done on a snoozed follow-up"
expect_json 'j["done"]["state"]' "done" "it is done"
run tend follow bob "cancelled one"
id=$out
run tend cancel "$id"
snapshot
run tend done "$id"
expect_rc 65 "done on a cancelled follow-up"
expect_err "follow-up $id is already cancelled" "says it was cancelled"
expect_unchanged "nothing written"

# an inquiry, once answered, is followed by a plain task
run tend follow ann "asked about pricing" --inquiry
run tend done "$out" --log email --next "in 1w" --json
expect_json '[j["done"]["kind"], j["next"]["kind"]]' '["inquiry", "task"]' \
    "the next one after an inquiry is a task"
run tend today --json
expect_json '[i["kind"] for i in j["items"]]' '[]' \
    "no inquiry left waiting"

# done --next with a time keeps it
run tend follow bob "demo" --due today
run tend done "$out" --next "2026-12-02T14:00" --json
expect_json 'j["next"]["due"]' "2026-12-02T14:00:00+00:00" "--next with a time"

# bad input: nothing written
run tend follow bob "still open" --due today
id=$out
snapshot
run tend done "$id" --log chat
expect_rc 65 "done --log with an unknown kind"
expect_err "unknown interaction kind 'chat'" "names the kind"
run tend done "$id" --next 2026-02-30
expect_rc 65 "done --next an impossible date"
expect_err "--next: invalid date '2026-02-30'" "names the date"
run tend done "$id" --next later
expect_rc 65 "done --next gibberish"
run tend done "$id" --log call -n "$(printf 'bad\001note')"
expect_rc 65 "a control character in the note"
run tend done "$id" -n "$(printf '\300\200')"
expect_rc 65 "an overlong UTF-8 encoding in the note"
expect_err "not valid UTF-8" "says so"
run tend done "$id" -n "$(head -c 10001 /dev/zero | tr '\0' z)"
expect_rc 65 "an over-long note"
run tend done 99
expect_rc 65 "an unknown follow-up"
expect_err "follow-up 99 not found" "names it"
run tend done abc
expect_rc 2 "a follow-up id that is not a number"
expect_err "invalid follow-up id 'abc'" "names it"
run tend done 0
expect_rc 2 "follow-up id 0"
expect_err "invalid follow-up id '0'" "names it"
run tend done -- -3
expect_rc 2 "a negative id"
run tend done 12abc
expect_rc 2 "digits then letters"
run tend done 99999999999999999999
expect_rc 2 "an id too large"
run tend done
expect_rc 2 "no id"
run tend done "$id" 13
expect_rc 2 "two ids"
expect_unchanged "failed dones wrote nothing"
run tend show bob --json
expect_json '[f["state"] for f in j["followups"] if f["id"] == '"$id"']' \
    '["open"]' "the follow-up is still open"
