#!/bin/sh
# tend demo: loads a sample network into an empty database only, the same
# one every time for a clock, and gives the agenda something to show.
. "$(dirname "$0")/lib.sh"

q() {
	sqlite3 "$TEND_DB" "$1"
}

run tend demo
expect_rc 0 "demo loads into a new database"
expect_has "300 contacts" "says how many contacts"
expect_has "tend today" "suggests the agenda"

run tend init --json
expect_json 'j["contacts"]' "300" "300 contacts are there"
run q "SELECT count(*) FROM contacts"
expect_out "300" "300 rows in contacts"
run q "SELECT count(DISTINCT kind) FROM contacts"
expect_out "5" "every kind of relationship"
run q "SELECT count(DISTINCT source) FROM contacts"
expect_out "5" "every source: event, referral, inbound, import, other"
run q "SELECT count(*) > 30 FROM contacts WHERE via_id IS NOT NULL AND
    via_id < id"
expect_out "1" "referrals, each by someone met earlier"
run q "SELECT count(*) > 0 FROM contacts WHERE name GLOB '*[^ -~]*'"
expect_out "1" "names that are not ASCII"
run q "SELECT count(*) = count(DISTINCT address_key) FROM emails"
expect_out "1" "every address is unique"
run q "SELECT count(DISTINCT met_where) > 10 FROM contacts WHERE
    source = 'event'"
expect_out "1" "met at many named events"
run q "SELECT count(*) > 600 FROM interactions"
expect_out "1" "a year of interactions"
run q "SELECT count(DISTINCT kind) FROM interactions"
expect_out "6" "every kind of interaction"
run q "SELECT count(DISTINCT stage) FROM deals"
expect_out "6" "deals in every stage"
run q "SELECT count(*) > 0 FROM deals WHERE closed = 0 AND next_step IS NULL"
expect_out "1" "an open deal without a next step"
run q "SELECT count(*) FROM followups WHERE kind = 'inquiry' AND
    state = 'open'"
case "$out" in
[1-9]*) _ok "open inquiries ($out)" ;;
*) _notok "open inquiries" "got: $out" ;;
esac
run q "SELECT count(DISTINCT state) FROM followups"
expect_out "4" "follow-ups open, done, snoozed and cancelled"
run q "SELECT count(*) > 0 FROM cadences"
expect_out "1" "keep-in-touch cadences"
run q "SELECT max(at) <= strftime('%s', '2026-11-23 09:00') FROM interactions"
expect_out "1" "no interaction in the future"

run tend today --json
expect_rc 0 "today on the demo"
expect_json 'j["items"][0]["kind"]' "inquiry" "an inquiry comes first"
expect_json 'len(set(i["kind"] for i in j["items"])) >= 4' "true" \
    "items of several kinds"
expect_json 'j["total"] > len(j["items"])' "true" "more than a day's capacity"
due_today='any(i["kind"] == "follow-up" and i["overdue_days"] == 0
    for i in j["items"])'
run tend today --all --json
all='["deal-no-step", "deal-step", "deal-stuck", "follow-up", "inquiry",'
all="$all \"keep-in-touch\"]"
expect_json 'sorted(set(i["kind"] for i in j["items"]))' "$all" \
    "every kind of agenda item"
expect_json 'any(i["overdue_days"] > 0 for i in j["items"])' "true" \
    "some are overdue"
expect_json "$due_today" \
    "true" "some follow-ups are due today"

# the same clock gives the same network
mv "$TEND_DB" "$T/first.db"
rm -f "$TEND_DB-wal" "$TEND_DB-shm"
run tend demo --json
expect_rc 0 "demo again in a new database, as JSON"
expect_json 'j["contacts"]' "300" "JSON counts the contacts"
expect_json 'j["kinds"]["prospect"] > 0' "true" "JSON counts by kind"
expect_json 'j["showcase"] > 0' "true" "JSON names a contact to look at"
a=$(sqlite3 "$T/first.db" .dump | grep -v '^PRAGMA')
b=$(sqlite3 "$TEND_DB" .dump | grep -v '^PRAGMA')
if [ "$a" = "$b" ]; then _ok "deterministic: the same rows"
else _notok "deterministic: the same rows" "the dumps differ"
fi

# a database that holds contacts is never touched
snapshot
run tend demo
expect_rc 65 "demo refuses a database with contacts"
expect_err "already holds contacts" "says why"
expect_err "--db" "says how to use another database"
expect_unchanged "the refused demo wrote nothing"
run tend demo extra
expect_rc 2 "demo takes no arguments"
expect_unchanged "nor did the usage error"

rm -f "$TEND_DB" "$TEND_DB-wal" "$TEND_DB-shm"
run tend add "Ann Lee"
run tend rm ann
expect_rc 0 "archive the only contact"
snapshot
run tend demo
expect_rc 65 "archived contacts count too"
expect_unchanged "nothing written next to an archived contact"

# "today" is the user's day, in the user's zone
rm -f "$TEND_DB" "$TEND_DB-wal" "$TEND_DB-shm"
printf 'tz = Pacific/Auckland\n' >"$TEND_CONFIG"
run tend demo
expect_rc 0 "demo in a zone far from UTC"
run tend today --all --json
expect_json "$due_today" \
    "true" "follow-ups due today in that zone"
expect_json 'j["items"][0]["kind"]' "inquiry" "inquiries still first"
