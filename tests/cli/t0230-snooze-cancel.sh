#!/bin/sh
# tend snooze ID DATE and tend cancel ID: move a follow-up later, or drop
# it; both keep a history and refuse closed follow-ups.
. "$(dirname "$0")/lib.sh"

hist() {
	# hist ID: the follow-up's history as "state due note" lines
	sqlite3 "$TEND_DB" "SELECT state || ' ' || datetime(due, 'unixepoch') ||
	    ' ' || coalesce(note, '-') FROM followup_history WHERE
	    followup_id = $1 ORDER BY id"
}
expect_hist() {
	got=$(hist "$1")
	if [ "$got" = "$2" ]; then _ok "$3"
	else _notok "$3" "expected:" "$2" "got:" "$got"
	fi
}

run tend add "Ann Lee" --every 2w --met-on 2026-10-01
run tend add "Bob Stone"
run tend follow ann "send the proposal" --due today
run tend follow bob "call back" --due 2026-11-20

run tend today --json
expect_json '[i["id"] for i in j["items"]]' '[2, 1]' \
    "before: both follow-ups; Ann's keep-in-touch waits for her follow-up"

run tend snooze 1 fri
expect_rc 0 "snooze to fri"
expect_out "1" "prints the id"
run tend snooze 1 fri --json
expect_json 'j' '{"id": 1, "contact": {"id": 1, "name": "Ann Lee"}, "kind": "task", "reason": "send the proposal", "channel": null, "deal": null, "due": "2026-11-27T00:00:00+00:00", "state": "snoozed"}' \
    "--json: snoozed until Friday"
run tend today --json
expect_json '[[i["id"], i["kind"]] for i in j["items"]]' '[[2, "follow-up"]]' \
    "a snoozed follow-up leaves today's agenda (and still holds back keep-in-touch)"
run tend snooze 2 "2026-11-23T16:00"
expect_rc 0 "snooze to later today"
run tend today --json
expect_json '[[i["id"], i["due"], i["overdue_days"]] for i in j["items"]]' \
    '[[2, "2026-11-23T16:00:00+00:00", 0]]' "due later today, no longer overdue"
run tend snooze 2 "in 2w"
run tend show bob --json
expect_json 'j["followups"][0]["due"]' "2026-12-07T00:00:00+00:00" \
    "snooze 'in 2w'"
expect_hist 2 "open 2026-11-20 00:00:00 created
snoozed 2026-11-23 16:00:00 -
snoozed 2026-12-07 00:00:00 -" "every snooze is in the history"

run tend cancel 1 -n "they hired someone else"
expect_rc 0 "cancel with a note"
expect_out "1" "prints the id"
expect_hist 1 "open 2026-11-23 00:00:00 created
snoozed 2026-11-27 00:00:00 -
snoozed 2026-11-27 00:00:00 -
cancelled 2026-11-27 00:00:00 they hired someone else" \
    "the cancel and its note are in the history"
run tend today --json
expect_json '[i["kind"] for i in j["items"]]' '["keep-in-touch"]' \
    "with the follow-up cancelled, Ann's keep-in-touch shows again"
run tend cancel "#2" --json
expect_json '[j["id"], j["state"]]' '[2, "cancelled"]' "cancel --json"

# closed follow-ups cannot be snoozed or cancelled
run tend follow bob "done one" --due today
run tend done 3
snapshot
run tend cancel 1
expect_rc 65 "cancel twice"
expect_err "follow-up 1 is already cancelled" "says so"
run tend snooze 1 fri
expect_rc 65 "snooze a cancelled follow-up"
expect_err "follow-up 1 is already cancelled" "says so"
run tend snooze 3 fri
expect_rc 65 "snooze a done follow-up"
expect_err "follow-up 3 is already done" "says so"
run tend cancel 3
expect_rc 65 "cancel a done follow-up"
expect_err "follow-up 3 is already done" "says so"
expect_unchanged "nothing written"

# bad input: nothing written
run tend follow bob "open one" --due today
id=$out
snapshot
run tend snooze "$id" today
expect_rc 65 "snooze to today (the past)"
expect_err "cannot snooze until 'today': that is not in the future" \
    "says it is not in the future"
run tend snooze "$id" now
expect_rc 65 "snooze to now"
run tend snooze "$id" yesterday
expect_rc 65 "snooze to yesterday"
run tend snooze "$id" 2026-02-30
expect_rc 65 "an impossible date"
expect_err "invalid date '2026-02-30'" "names the date"
run tend snooze "$id" 2026-13-01
expect_rc 65 "month 13"
run tend snooze "$id" "2026-12-01 25:00"
expect_rc 65 "hour 25"
run tend snooze "$id" "in -3d"
expect_rc 65 "in -3d"
run tend snooze "$id" 2026-12-01 --tz Mars/Olympus
expect_rc 2 "snooze has no --tz option"
run tend snooze 99 fri
expect_rc 65 "an unknown follow-up"
expect_err "follow-up 99 not found" "names it"
run tend cancel 99
expect_rc 65 "cancel an unknown follow-up"
expect_err "follow-up 99 not found" "names it"
run tend snooze abc fri
expect_rc 2 "snooze a bad id"
expect_err "invalid follow-up id 'abc'" "names it"
run tend cancel 0
expect_rc 2 "cancel id 0"
expect_err "invalid follow-up id '0'" "names it"
run tend cancel "#"
expect_rc 2 "cancel '#'"
run tend cancel "$id" -n "$(printf 'oops\033')"
expect_rc 65 "a control character in the cancel note"
expect_err "note contains a control character (0x1b)" "names it"
run tend cancel "$id" -n "$(printf '\355\240\200')"
expect_rc 65 "a UTF-16 surrogate in the cancel note"
expect_err "note is not valid UTF-8" "says so"
run tend cancel "$id" -n "$(head -c 10001 /dev/zero | tr '\0' n)"
expect_rc 65 "an over-long cancel note"
run tend snooze "$id"
expect_rc 2 "snooze without a date"
expect_err "usage: tend snooze ID DATE" "prints the usage"
run tend cancel
expect_rc 2 "cancel without an id"
run tend cancel "$id" "$id"
expect_rc 2 "cancel two ids"
expect_unchanged "failed snoozes and cancels wrote nothing"
