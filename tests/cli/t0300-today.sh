#!/bin/sh
# tend today: one ranked, explainable list.  Inquiries first, then
# overdue follow-ups (most overdue first, weighted by relationship), deals
# needing attention, follow-ups due today, keep-in-touch.
. "$(dirname "$0")/lib.sh"

# an empty database: say how to start, and mention tend demo
run tend today
expect_rc 0 "today on an empty database"
expect_out 'Nothing to follow up yet: your address book is empty.

Add the first person you met:
  tend add "Ann Lee" -e ann@example.com --met "BNI breakfast" --need "a new website"
  tend follow ann "send the proposal" --due fri

Or load a realistic sample network to try things on:
  tend demo' "the empty message says how to add someone and mentions tend demo"
run tend today --json
expect_rc 0 "today --json on an empty database"
expect_json 'j' '{"date": "2026-11-23", "capacity": 15, "total": 0, "items": []}' \
    "an empty agenda as JSON"

run tend add "Quiet Person"
run tend today
expect_out "2026-11-23: nothing due. Well done." "contacts but nothing due"

at() {
	# at TIME tend ARGS...: run tend at another time (no output)
	( TEND_NOW=$1; export TEND_NOW; shift; "$TEND" "$@" >/dev/null )
}

run tend add "Ivy Inbound" -e ivy@example.com
run tend add "Cleo Client" --kind client --met "Web Summit" --met-on 2026-11-05
run tend add "Otto Other" --kind other
run tend add "Pete Prospect" --via cleo
run tend add "Dean Deal"
run tend add "Tina Today"
run tend add "Kim Keep" --every 2w --met "BNI breakfast" --met-on 2026-10-01
run tend add "Arch Ived" --every 2w --met-on 2026-10-01
run tend add "Dora Dnc" --every 2w --met-on 2026-10-01 --dnc
run tend add "Fay Future" --every 6w --met-on 2026-11-01
run tend rm arch
at 2026-11-20T09:00 follow otto "lent me a book" --inquiry
run tend follow ivy "asked about pricing" --inquiry
# Otto's is older (a lower id), yet the client comes first
run tend follow otto "return the book" --due 2026-11-20
run tend follow cleo "send the proposal" --due 2026-11-20
run tend follow pete "intro call" --due 2026-11-13 --via call
at 2026-11-13T09:00 deal add dean "Logo design" --value 1200
run tend follow tina "confirm lunch" --due today
run tend follow tina "call about the menu" --due 2026-11-23T15:30
run tend follow tina "next week's thing" --due tomorrow
run tend log kim call --when 2026-10-20

run tend today --json
expect_rc 0 "today --json"
expect_json 'list(j.keys())' '["date", "capacity", "total", "items"]' \
    "the object's keys, in order"
expect_json '[list(i.keys()) for i in j["items"]][0]' \
    '["id", "kind", "contact", "action", "due", "overdue_days", "why", "score"]' \
    "an item's keys, in order"
expect_json 'sorted(set(tuple(i["contact"].keys()) for i in j["items"]))' \
    '[["id", "name"]]' "contact is {id, name}"
expect_json '[j["date"], j["capacity"], j["total"]]' '["2026-11-23", 15, 9]' \
    "date, capacity, total"
expect_json '[[i["kind"], i["contact"]["name"]] for i in j["items"]]' \
    '[["inquiry", "Otto Other"], ["inquiry", "Ivy Inbound"], ["follow-up", "Pete Prospect"], ["follow-up", "Cleo Client"], ["follow-up", "Otto Other"], ["deal-no-step", "Dean Deal"], ["follow-up", "Tina Today"], ["follow-up", "Tina Today"], ["keep-in-touch", "Kim Keep"]]' \
    "the order: inquiries oldest first, overdue most overdue first and a client before an other at the same lateness, deals, due today, keep-in-touch"
expect_json '[i["id"] for i in j["items"]]' '[1, 2, 5, 4, 3, 1, 6, 7, 8]' \
    "the ids"
expect_json '[i["overdue_days"] for i in j["items"]]' \
    '[2, 0, 10, 3, 3, 0, 0, 0, 20]' \
    "overdue days (a deal without a step is stalled, not late: 0)"
expect_json '[i["due"] for i in j["items"]]' \
    '["2026-11-21T00:00:00+00:00", "2026-11-24T00:00:00+00:00", "2026-11-13T00:00:00+00:00", "2026-11-20T00:00:00+00:00", "2026-11-20T00:00:00+00:00", "2026-11-13T09:00:00+00:00", "2026-11-23T00:00:00+00:00", "2026-11-23T15:30:00+00:00", "2026-11-03T00:00:00+00:00"]' \
    "due times"
expect_json '[i["action"] for i in j["items"]]' \
    '["ANSWER NOW: lent me a book", "Answer: asked about pricing", "intro call (call)", "send the proposal", "return the book", "Decide the next step for '"'"'Logo design'"'"'", "confirm lunch", "call about the menu", "Get in touch"]' \
    "actions"
expect_json 'j["items"][0]["why"]' \
    "waiting 3 days, past your 15 min promise" \
    "why: an inquiry says how long it has waited, louder past inquiry.escalate"
expect_json 'j["items"][2]["why"]' \
    "introduced by Cleo Client; 10 days overdue; no contact logged yet" \
    "why: who introduced them, how late, last contact"
expect_json 'j["items"][3]["why"]' \
    "met at Web Summit 2 weeks ago; 3 days overdue; no contact logged yet" \
    "why: where and when you met"
expect_json 'j["items"][5]["why"]' \
    "deal 'Logo design' (inquiry, 1,200); no next step, in inquiry for 10 days" \
    "why: the deal, its value, and that it has no next step"
expect_json 'j["items"][7]["why"]' \
    "due today at 15:30; no contact logged yet" "why: the time when there is one"
expect_json 'j["items"][8]["why"]' \
    "last contact 4 weeks ago; you keep in touch every 2 weeks; met at BNI breakfast 7 weeks ago" \
    "why: keep-in-touch says the last contact and the cadence"
expect_json '[i["score"] for i in j["items"]]' \
    '[5072.0, 5000.0, 4130.0, 4045.0, 4030.0, 3187.3, 2630.0, 2307.1, 1020.0]' \
    "scores, highest first"
expect_json '[i for i in j["items"] if i["contact"]["name"] in ("Arch Ived", "Dora Dnc", "Fay Future", "Quiet Person")]' \
    '[]' "archived, do-not-contact and not-yet-due contacts are not shown"

run tend today
expect_rc 0 "today as text"
expect_out "2026-11-23: 9 to follow up

1. Otto Other     ANSWER NOW: lent me a book              3 days    inquiry 1
   waiting 3 days, past your 15 min promise
2. Ivy Inbound    Answer: asked about pricing             new       inquiry 2
   waiting under a minute for a first answer
3. Pete Prospect  intro call (call)                       10d late  follow-up 5
   introduced by Cleo Client; 10 days overdue; no contact logged yet
4. Cleo Client    send the proposal                       3d late   follow-up 4
   met at Web Summit 2 weeks ago; 3 days overdue; no contact logged yet
5. Otto Other     return the book                         3d late   follow-up 3
   3 days overdue; no contact logged yet
6. Dean Deal      Decide the next step for 'Logo design'  stalled   deal-no-step 1
   deal 'Logo design' (inquiry, 1,200); no next step, in inquiry for 10 days
7. Tina Today     confirm lunch                           today     follow-up 6
   due today; no contact logged yet
8. Tina Today     call about the menu                     today     follow-up 7
   due today at 15:30; no contact logged yet
9. Kim Keep       Get in touch                            20d late  keep-in-touch 8
   last contact 4 weeks ago; you keep in touch every 2 weeks; met at BNI breakfast 7 weeks ago" \
    "the whole text agenda"

# the daily capacity cuts the list and says how many more wait
run tend config agenda.capacity 3
run tend today
expect_out "2026-11-23: 9 to follow up, the first 3

1. Otto Other     ANSWER NOW: lent me a book   3 days    inquiry 1
   waiting 3 days, past your 15 min promise
2. Ivy Inbound    Answer: asked about pricing  new       inquiry 2
   waiting under a minute for a first answer
3. Pete Prospect  intro call (call)            10d late  follow-up 5
   introduced by Cleo Client; 10 days overdue; no contact logged yet

6 more waiting (capacity 3 a day): tend today --all" \
    "capacity 3: three items and the 'more waiting' line"
run tend today --json
expect_json '[j["capacity"], j["total"], len(j["items"])]' '[3, 9, 3]' \
    "--json: capacity 3, total 9, three items"
run tend today --limit 2
expect_has "9 to follow up, the first 2" "--limit 2 says so"
expect_has "7 more waiting (capacity 3 a day): tend today --all" \
    "--limit 2: seven more waiting"
expect_lacks "3. " "--limit 2 shows two"
run tend today -n 5 --json
expect_json '[j["capacity"], j["total"], len(j["items"])]' '[3, 9, 5]' \
    "-n 5 --json: five items"
run tend today --all
expect_has "9. Kim Keep" "--all shows everything"
expect_lacks "more waiting" "--all has no 'more waiting' line"
run tend today --all --json
expect_json 'len(j["items"])' 9 "--all --json: every item"
run tend today --limit 100000 --json
expect_json 'len(j["items"])' 9 "a limit above the total"

# keep-in-touch rows past the limit are still counted
run tend add "Kay Keep" --every 1w --met-on 2026-10-01
run tend add "Kit Keep" --every 1w --met-on 2026-10-02
run tend today --limit 1 --json
expect_json '[j["total"], len(j["items"])]' '[11, 1]' \
    "the total counts keep-in-touch rows not read"
run tend config agenda.capacity --unset

# logging a call takes a keep-in-touch item off; done takes a follow-up off
run tend log kim call
run tend done 6
run tend today --json
expect_json '[i["contact"]["name"] for i in j["items"] if i["kind"] in ("keep-in-touch",) or i["id"] == 6]' \
    '["Kay Keep", "Kit Keep"]' "Kim and Tina's done follow-up are gone"

# the user's zone decides what today is
run tend config tz Asia/Tokyo
( TEND_NOW=2026-11-23T23:30Z; export TEND_NOW; "$TEND" today --json ) \
    >"$T/tokyo" 2>&1
out=$(cat "$T/tokyo")
expect_json 'j["date"]' "2026-11-24" "in Tokyo, 23:30 UTC is already tomorrow"
run tend config tz --unset

# bad input
snapshot
run tend today --limit 0
expect_rc 2 "--limit 0"
expect_err "--limit: '0' is not a number from 1 to 100000" "names the value"
run tend today --limit -3
expect_rc 2 "--limit -3"
run tend today --limit abc
expect_rc 2 "--limit abc"
run tend today --limit 1.5
expect_rc 2 "--limit 1.5"
run tend today --limit 100001
expect_rc 2 "--limit too large"
run tend today --limit ""
expect_rc 2 "--limit empty"
run tend today tomorrow
expect_rc 2 "today takes no argument"
expect_err "usage: tend today" "prints the usage"
run tend today --verbose
expect_rc 2 "an unknown option"
printf 'agenda.capacity = lots\n' >"$TEND_CONFIG"
run tend today
expect_rc 65 "a capacity that is not a number in the settings file"
expect_err "setting 'agenda.capacity': 'lots' is not a number from 1 to 1000" \
    "names the setting and the value"
printf 'agenda.capacity = 0\n' >"$TEND_CONFIG"
run tend today
expect_rc 65 "capacity 0 in the settings file"
rm -f "$TEND_CONFIG"
expect_unchanged "today never writes"

# deal value weighs in; deals stuck in a stage too long need attention
TEND_DB="$T/weights.db"
export TEND_DB
run tend add "Otto Other" --kind other
run tend add "Rich Other" --kind other
run tend add "Stu Slow"
run tend follow otto "a small thing" --due 2026-11-20
at 2026-10-20T09:00 deal add rich "Big" --value 100000 --stage proposal \
    --next "call" --due 2026-12-15
at 2026-10-20T09:00 deal add stu "Small" --next "email" --due 2026-12-20
run tend follow rich "about the big one" --due 2026-11-20 --deal 1
run tend today --json
expect_json '[[i["kind"], i["contact"]["name"]] for i in j["items"]]' \
    '[["follow-up", "Rich Other"], ["follow-up", "Otto Other"], ["deal-stuck", "Rich Other"], ["deal-stuck", "Stu Slow"]]' \
    "a follow-up on a big deal outranks one without, at the same lateness"
expect_json 'j["items"][0]["why"]' \
    "3 days overdue; deal 'Big' (proposal, 100,000); no contact logged yet" \
    "why: the deal and its value"
expect_json 'j["items"][2]["why"]' \
    "deal 'Big' (proposal, 100,000); stuck in proposal for 34 days (more than 14)" \
    "why: stuck, for how long, against the limit"
expect_json 'j["items"][2]["action"]' "Move 'Big' forward: call" \
    "action: move the stuck deal forward"
run tend config agenda.stuck_days 40
run tend today --json
expect_json '[i["kind"] for i in j["items"]]' '["follow-up", "follow-up"]' \
    "agenda.stuck_days 40: not stuck yet"

# A long name or action is cut in the table (the why line and --json keep
# it whole), so each row stays readable.
export TEND_DB="$T/long.db"
run tend add "Maximiliane Wolkenstein-Rodenegg"
run tend follow maxi "ask about the second phase of the archive digitisation project" --due 2026-11-22
run tend today
expect_has "Maximiliane Wolkens…  ask about the second phase of the archive d…  1d late" \
    "long name and action cut with an ellipsis"
run tend today --json
expect_json 'j["items"][0]["action"]' \
    "ask about the second phase of the archive digitisation project" \
    "--json keeps the whole action"
