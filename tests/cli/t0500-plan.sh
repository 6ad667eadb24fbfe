#!/bin/sh
# tend plan: the load of the next days against the capacity, --level, and
# bad input that must write nothing.  The clock is Mon 2026-11-23 09:00 UTC.
. "$(dirname "$0")/lib.sh"

# ---- an empty database ----

run tend plan --json
expect_rc 0 "plan on an empty database"
expect_json 'j["capacity"]' 15 "default capacity 15"
expect_json 'len(j["days"])' 14 "14 days by default"
expect_json 'j["days"][0]["date"]' 2026-11-23 "the first day is today"
expect_json 'j["days"][13]["date"]' 2026-12-06 "the last is 13 days on"
expect_json 'sum(d["total"] for d in j["days"])' 0 "nothing due"
expect_json 'any(d["over"] for d in j["days"])' false "nothing over"
expect_json 'sorted(j["days"][0].keys())' \
    '["date", "followups", "keep", "over", "total"]' "the keys of a day"
expect_json '"moved" in j' false "no moved list without --level"

# ---- counting ----

run tend add Ann --every 1w		# 1: due Mon 11-30
run tend add Bob --every 2w		# 2
run tend log bob call --when 2026-11-20	# due Fri 12-04
run tend add Cara --every 1w		# 3
run tend log cara call --when 2026-11-10	# due 11-17: overdue
# A pending follow-up stands for the keep-in-touch of its contact (as in
# tend today), so the follow-ups go to Dan, who has no cadence.
run tend add Dan				# 4
run tend follow dan "send the proposal" --due 2026-11-25
run tend follow dan "late already" --due 2026-11-20
expect_rc 0 "set-up done"

run tend plan --json
expect_rc 0 "plan --json"
expect_json 'j["days"][0]' \
    '{"date": "2026-11-23", "followups": 1, "keep": 1, "total": 2, "over": false}' \
    "today counts the overdue follow-up and keep-in-touch"
expect_json 'j["days"][2]["followups"]' 1 "the follow-up due on Wednesday"
expect_json 'j["days"][7]["keep"]' 1 "Ann's keep-in-touch on Monday week"
expect_json 'j["days"][11]["keep"]' 1 "Bob's keep-in-touch 2w after the call"
expect_json 'sum(d["total"] for d in j["days"])' 5 "five items in all"

run tend plan --days 3
expect_rc 0 "plan --days 3"
expect_out "capacity 15 a day; today includes what is overdue
# follow-ups and deal steps, + keep in touch

Mon 2026-11-23  #+ 2
Tue 2026-11-24     0
Wed 2026-11-25  #  1" "the histogram"

run tend plan --days 1 --json
expect_json 'len(j["days"])' 1 "--days 1"
run tend plan --days=366 --json
expect_rc 0 "--days=366"
expect_json 'len(j["days"])' 366 "366 days"
expect_json 'j["days"][365]["date"]' 2027-11-23 "a year on"
run tend plan -d 8 --json
expect_json 'j["days"][7]["keep"]' 1 "-d is --days"

run tend done 2
expect_rc 0 "a follow-up done"
run tend plan --json
expect_json 'j["days"][0]["followups"]' 0 "done follow-ups are not counted"

run tend config agenda.capacity 1
run tend follow dan "call back" --due 2026-11-23T15:00
run tend plan --days 2 --json
expect_json 'j["capacity"]' 1 "capacity from agenda.capacity"
expect_json 'j["days"][0]["total"]' 2 "two due today"
expect_json 'j["days"][0]["over"]' true "over capacity"
expect_json 'j["days"][1]["over"]' false "tomorrow is not"
run tend plan --days 2
expect_has "Mon 2026-11-23  #+ 2  over by 1" "the over marker"
expect_has "1 day over capacity: tend plan --level moves keep-in-touch" \
    "says how to level"

# A deal's next step counts as a follow-up, when deals are there.
run tend deal add ann "Website" --next "call about the brief" \
    --due 2026-11-24
if [ "$rc" -eq 0 ]; then
	run tend plan --days 2 --json
	expect_json 'j["days"][1]["followups"]' 1 "a deal's next step counts"
else
	_n=$((_n + 1))
	echo "skip $_n - tend deal add is not available: $err"
fi

# ---- levelling ----

# Six 2-week cadences due Mon 12-07 (day 14), capacity 3, and two
# follow-ups on Tue 12-08: that day has room for one more.
level_setup() {
	export TEND_DB="$T/$1.db"
	printf 'agenda.capacity = 3\n' >"$TEND_CONFIG"
	for name in D1 D2 D3 D4 D5 D6; do
		run tend add "$name" --every 2w
	done
	run tend add F1
	run tend add F2
	run tend follow F1 "a" --due 2026-12-08
	run tend follow F2 "b" --due 2026-12-08
}

level_setup window
snapshot
run tend plan --level --json
expect_rc 0 "level with the overloaded day outside the window"
expect_json 'j["moved"]' '[]' "nothing in the window to move"
run tend plan --days 21
expect_rc 0 "plan without --level"
expect_unchanged "plan, and levelling that moves nothing, write nothing"

run tend plan --days 21 --json
expect_json 'j["days"][14]' \
    '{"date": "2026-12-07", "followups": 0, "keep": 6, "total": 6, "over": true}' \
    "six due on Monday 12-07"

run tend plan --level --days 21
expect_rc 0 "plan --level"
expect_has "moved D1 (1) from Mon 2026-12-07 to Tue 2026-12-08
moved D2 (2) from Mon 2026-12-07 to Sun 2026-12-06
moved D3 (3) from Mon 2026-12-07 to Sun 2026-12-06" \
    "the nearest day first, the later at equal distance"
expect_lacks "D4" "only what was over moves"
expect_has "Mon 2026-12-07  +++ 3" "the day is at capacity after"
expect_lacks "over by" "no day over after levelling"

run tend show D1 --json
expect_json 'j["next_keep_in_touch"]' 2026-12-08T00:00:00+00:00 \
    "a moved date shows on the contact"
run tend show D2 --json
expect_json 'j["next_keep_in_touch"]' 2026-12-06T00:00:00+00:00 \
    "moved a day earlier"
run tend show D4 --json
expect_json 'j["next_keep_in_touch"]' 2026-12-07T00:00:00+00:00 \
    "an unmoved date stays"

run tend plan --days 21 --json
expect_json '[j["days"][i]["total"] for i in (13, 14, 15)]' '[2, 3, 3]' \
    "the plan shows the levelled load"

snapshot
run tend plan --level --days 21 --json
expect_rc 0 "level again"
expect_json 'j["moved"]' '[]' "levelling twice moves nothing more"
expect_unchanged "and writes nothing"

run tend log D2 call --when 2026-11-21
run tend show D2 --json
expect_json 'j["next_keep_in_touch"]' 2026-12-05T00:00:00+00:00 \
    "a new touch ends the levelling"

# The last day of the window spills only backwards.
level_setup edge
run tend plan --level --days 15 --json
expect_rc 0 "level with the day last in the window"
expect_json '[m["contact"]["name"] for m in j["moved"]]' '["D1", "D2", "D3"]' \
    "three move"
expect_json 'sorted(set((m["from"], m["to"]) for m in j["moved"]))' \
    '[["2026-12-07", "2026-12-06"]]' "back a day, never past the window"

# Overdue keep-in-touch: never before today; late past its slack, it stays.
export TEND_DB="$T/overdue.db"
printf 'agenda.capacity = 1\n' >"$TEND_CONFIG"
for name in E1 E2 E3; do
	run tend add "$name" --every 1w
	run tend log "$name" call --when 2026-11-13	# due 11-20
done
run tend add E4 --every 1w
run tend log E4 call --when 2026-11-16		# due today
run tend add E5 --every 6w
run tend log E5 call --when 2026-10-09		# due 11-20, slack 6 days
run tend plan --level --days 7 --json
expect_rc 0 "level overdue items"
expect_json '[(m["contact"]["name"], m["from"], m["to"]) for m in j["moved"]]' \
    '[["E5", "2026-11-20", "2026-11-25"], ["E4", "2026-11-23", "2026-11-24"]]' \
    "the least flexible takes the nearest day; late ones within slack move"
expect_json 'j["days"][0]["total"]' 3 "three stay on today, over capacity"
expect_json 'j["days"][0]["over"]' true "today still over"
run tend show E1 --json
expect_json 'j["next_keep_in_touch"]' 2026-11-20T00:00:00+00:00 \
    "late by more than its slack: not moved"
run tend plan --level --days 7
expect_has "nothing to move: no keep-in-touch on an overloaded day" \
    "says why nothing moved"
expect_has "1 day over capacity: what is left there cannot move" \
    "says what is left"

# A contact with a pending follow-up is left to it, as in tend today;
# archived and do-not-contact contacts are not counted at all.
export TEND_DB="$T/filters.db"
printf 'agenda.capacity = 15\n' >"$TEND_CONFIG"
run tend add G1 --every 1w
run tend add G2 --every 1w
run tend add G3 --every 1w --dnc
run tend add G4 --every 1w
run tend follow G4 "lunch" --due 2026-12-20
run tend add G5 --every 1w
run tend rm G5
run tend plan --days 14 --json
expect_json 'sum(d["keep"] for d in j["days"])' 2 \
    "only G1 and G2's keep-in-touch count"

# ---- bad input: exit 2 for options, 65 for settings; nothing written ----

snapshot
run tend plan --days 0
expect_rc 2 "--days 0"
expect_err "tend: --days: '0' is not a number from 1 to 366" "names the value"
run tend plan --days 367
expect_rc 2 "--days 367"
run tend plan --days 400 --level
expect_rc 2 "--days 400 with --level"
expect_err "'400'" "names 400"
run tend plan --days abc --level
expect_rc 2 "--days abc"
expect_err "--days: 'abc' is not a number" "names abc"
run tend plan --days ""
expect_rc 2 "--days empty"
run tend plan --days -3 --level
expect_rc 2 "--days -3"
run tend plan --days 7x
expect_rc 2 "--days 7x"
run tend plan --days +7
expect_rc 2 "--days +7"
run tend plan --days " 7"
expect_rc 2 "--days with a blank"
run tend plan --days 99999999999999999999
expect_rc 2 "--days too big for a long"
run tend plan --days
expect_rc 2 "--days without a value"
run tend plan --level=yes
expect_rc 2 "--level takes no value"
run tend plan --bogus
expect_rc 2 "unknown option"
run tend plan tomorrow
expect_rc 2 "no positionals"
expect_err "usage: tend plan" "prints the usage"
printf 'agenda.capacity = abc\n' >"$TEND_CONFIG"
run tend plan --level
expect_rc 65 "a capacity that is not a number"
expect_err "setting 'agenda.capacity': 'abc' is not a number from 1 to 1000" \
    "names the setting"
printf 'agenda.capacity = 0\n' >"$TEND_CONFIG"
run tend plan --level
expect_rc 65 "capacity 0"
printf 'agenda.capacity = 1001\n' >"$TEND_CONFIG"
run tend plan --json
expect_rc 65 "capacity 1001"
expect_unchanged "failed plans wrote nothing"
printf 'agenda.capacity = 1\n' >"$TEND_CONFIG"

printf 'not a database at all, just some text\n' >"$T/junk.db"
cp "$T/junk.db" "$T/junk.orig"
run tend plan --level --db "$T/junk.db"
expect_rc 65 "a file that is not a tend database"
if cmp -s "$T/junk.db" "$T/junk.orig"; then
	_ok "and it is not overwritten"
else
	_notok "and it is not overwritten"
fi

run tend plan --help
expect_rc 0 "--help"
expect_has "--level" "help lists --level"

# ---- days in a zone with a DST change (New York falls back on 11-01) ----

export TZ=America/New_York TEND_NOW=2026-10-30T12:00 TEND_DB="$T/dst.db"
printf 'agenda.capacity = 2\n' >"$TEND_CONFIG"
for name in G1 G2 G3 G4; do
	run tend add "$name" --every 1w		# due Fri 11-06
done
run tend plan --days 10 --json
expect_rc 0 "plan across a DST change"
expect_json '[d["date"] for d in j["days"]][1:5]' \
    '["2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"]' \
    "one line per local day across the change"
expect_json 'j["days"][7]["keep"]' 4 "four due on Friday 11-06"
run tend plan --level --days 10 --json
expect_json '[(m["contact"]["name"], m["to"]) for m in j["moved"]]' \
    '[["G1", "2026-11-07"], ["G2", "2026-11-07"]]' "levelled in local days"
run tend show G1 --json
expect_json 'j["next_keep_in_touch"]' 2026-11-07T00:00:00-05:00 \
    "moved to local midnight"
