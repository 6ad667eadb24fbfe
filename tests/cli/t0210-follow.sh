#!/bin/sh
# tend follow: schedule a follow-up (default: tomorrow), an inquiry with
# --inquiry, tied to a deal with --deal.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" --met "BNI breakfast" --met-on 2026-11-11
run tend add "Bob Stone" --kind client

run tend follow ann
expect_rc 0 "follow with no reason"
expect_out "1" "prints the follow-up id"
run tend follow ann "send the proposal" --due fri --via email --json
expect_rc 0 "follow with a reason, --due fri, --via email"
expect_json 'j' '{"id": 2, "contact": {"id": 1, "name": "Ann Lee"}, "kind": "task", "reason": "send the proposal", "channel": "email", "deal": null, "due": "2026-11-27T00:00:00+00:00", "state": "open"}' \
    "the whole --json record; fri is the coming Friday"
run tend follow 1 --json
expect_json 'j["due"]' "2026-11-24T00:00:00+00:00" "the default due is tomorrow"
run tend follow ann --due "in 3d" --json
expect_json 'j["due"]' "2026-11-26T00:00:00+00:00" "--due 'in 3d'"
run tend follow ann --due 2w --json
expect_json 'j["due"]' "2026-12-07T00:00:00+00:00" "--due 2w"
run tend follow ann --due "next week" --json
expect_json 'j["due"]' "2026-11-30T00:00:00+00:00" "--due 'next week' is Monday"
run tend follow ann --due "2026-12-01T09:30" --json
expect_json 'j["due"]' "2026-12-01T09:30:00+00:00" "--due with a time"
run tend follow ann --due mon --json
expect_json 'j["due"]' "2026-11-30T00:00:00+00:00" \
    "--due mon on a Monday is next Monday"
run tend follow bob "call back" --due today --via call --json
expect_json '[j["due"], j["channel"]]' '["2026-11-23T00:00:00+00:00", "call"]' \
    "--due today, --via call"
run tend follow bob "chase the invoice" --due 2026-11-20 --json
expect_json 'j["due"]' "2026-11-20T00:00:00+00:00" \
    "a due date in the past is allowed: it is overdue"

run tend show ann --json
expect_json 'j["next_followup"]' 3 "show: the next follow-up is the earliest"
expect_json '[f["id"] for f in j["followups"]]' '[5, 7, 8, 6, 2, 4, 3, 1]' \
    "show: follow-ups, newest due first"
run tend show ann
expect_has "  next         2026-11-24 — follow up (follow-up 3)" \
    "the card shows the next follow-up"

run tend today --json
expect_json '[[i["id"], i["kind"]] for i in j["items"]]' \
    '[[10, "follow-up"], [9, "follow-up"]]' \
    "today: the overdue one, then the one due today; tomorrow's are not shown"

# an inquiry: an inbound lead waiting for a first answer
run tend follow ann "asked about pricing" --inquiry --json
expect_rc 0 "follow --inquiry"
expect_json '[j["id"], j["kind"], j["due"]]' \
    '[11, "inquiry", "2026-11-24T00:00:00+00:00"]' "kind inquiry"
run tend today --json
expect_json '[[i["id"], i["kind"]] for i in j["items"]]' \
    '[[11, "inquiry"], [10, "follow-up"], [9, "follow-up"]]' \
    "an inquiry goes to the top even when due tomorrow"
expect_json 'j["items"][0]["action"]' "Answer: asked about pricing" \
    "the action says to answer"
run tend log ann call --in
run tend today --json
expect_json 'j["items"][0]["kind"]' "inquiry" \
    "a touch from them does not answer the inquiry"
run tend log ann email "sent the prices"
run tend today --json
expect_json '[i["id"] for i in j["items"]]' '[10, 9]' \
    "an answer (an outgoing touch) closes the inquiry"
run tend show ann --json
expect_json '[f["state"] for f in j["followups"] if f["id"] == 11]' \
    '["done"]' "the inquiry is done"
expect_json 'sorted(set(f["state"] for f in j["followups"] if f["id"] != 11))' \
    '["open"]' \
    "the plain follow-ups stay open"

# a follow-up about a deal
run tend deal add bob "Website" --value 5000
run tend follow bob "send the contract" --deal 1 --json
expect_rc 0 "follow --deal"
expect_json 'j["deal"]' 1 "the deal is linked"
run tend follow bob --deal "#1" --json
expect_json 'j["deal"]' 1 "--deal '#1'"

# bad input: nothing written
snapshot
run tend follow nobody
expect_rc 65 "an unknown contact"
expect_err "contact 'nobody' not found" "names the contact"
run tend follow ann --due 2026-02-30
expect_rc 65 "an impossible date"
expect_err "--due: invalid date '2026-02-30'" "names the date"
run tend follow ann --due 2026-13-01
expect_rc 65 "month 13"
run tend follow ann --due 2026-12-01T25:00
expect_rc 65 "hour 25"
run tend follow ann --due someday
expect_rc 65 "gibberish for a date"
run tend follow ann --due "in 0x3d"
expect_rc 65 "a hex amount"
run tend follow ann --via fax
expect_rc 65 "an unknown channel"
expect_err "unknown channel 'fax' (expected call, email, meeting, in-person, message or any)" \
    "names the channel and the choices"
run tend follow ann --deal 99
expect_rc 65 "an unknown deal"
expect_err "deal '99' not found" "names the deal"
run tend follow ann --deal abc
expect_rc 2 "a deal id that is not a number"
expect_err "invalid deal id 'abc'" "names it"
run tend follow ann --deal 0
expect_rc 2 "deal id 0"
run tend follow ann "$(printf 'two\nlines')"
expect_rc 65 "a newline in the reason"
expect_err "reason contains a control character (0x0a)" "names it"
run tend follow ann "$(printf '\377\376')"
expect_rc 65 "invalid UTF-8 in the reason"
run tend follow ann "$(head -c 10001 /dev/zero | tr '\0' y)"
expect_rc 65 "an over-long reason"
run tend follow
expect_rc 2 "no contact"
run tend follow ann why extra
expect_rc 2 "too many arguments"
run tend follow ann --due
expect_rc 2 "--due without a value"
run tend follow ann --urgent
expect_rc 2 "an unknown option"
expect_unchanged "failed follows wrote nothing"
