#!/bin/sh
# tend merge KEEP OTHER: one person entered twice becomes one contact,
# with everything both had.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" -e ann@example.com --company Acme --every 6w \
    --note "likes tea" -t bni
run tend add "Annie Lee" -e ann.lee@home.example -p "+1 555 0100" \
    --title CEO --note "two kids" -t golf --met "BNI breakfast" \
    --met-on 2026-09-01 --every 2w
run tend add "Bob Stone" --via "Annie Lee"
run tend log "Annie Lee" call "talked about the website" --when 2026-11-01
run tend follow "Annie Lee" "send the proposal" --due tomorrow
run tend deal add "Annie Lee" "Website" --stage proposal --value 5000
run tend add "Cleo" -e cleo@example.com

snapshot
run tend merge "Ann Lee" 1
expect_rc 65 "a contact cannot be merged with itself"
expect_err "cannot merge contact 1 with itself" "says why"
expect_unchanged "nothing written"
run tend merge "Ann Lee" nobody
expect_rc 65 "an unknown contact"
expect_unchanged "nothing written"
run tend merge "Ann Lee"
expect_rc 2 "two contacts are needed"
run tend merge "Ann Lee" "Annie Lee" cleo
expect_rc 2 "not three"
expect_unchanged "nothing written"

run tend merge "Ann Lee" "Annie Lee" --json
expect_rc 0 "merge"
expect_json 'j["id"]' 1 "the first one stays"
expect_json 'j["name"]' 'Ann Lee' "with its name"
expect_json 'j["company"]' Acme "its company"
expect_json 'j["title"]' CEO "an empty field is filled from the other"
expect_json 'j["emails"]' '["ann@example.com", "ann.lee@home.example"]' \
    "addresses united, its own first"
expect_json 'j["phones"]' '["+1 555 0100"]' "phones moved"
expect_json 'j["tags"]' '["bni", "golf"]' "tags united"
expect_json 'j["notes"]' "$(printf 'likes tea\n\ntwo kids')" \
    "notes joined, not lost"
expect_json 'j["met_where"]' 'BNI breakfast' "where met filled"
expect_json 'j["cadence"]' 6w "its own cadence wins"
run tend show 1 --json
expect_json '[i["summary"] for i in j["interactions"]]' \
    '["talked about the website"]' "interactions moved"
expect_json '[f["reason"] for f in j["followups"]]' '["send the proposal"]' \
    "follow-ups moved"
expect_json '[d["title"] for d in j["deals"]]' '["Website"]' "deals moved"
expect_json '[r["name"] for r in j["referred"]]' '["Bob Stone"]' \
    "the people the other introduced now point here"
expect_json 'j["last_touch"]' 2026-11-01T00:00:00+00:00 \
    "the later last touch"
run tend show 2
expect_rc 65 "the other contact is gone"
run tend show ann.lee@home.example --json
expect_json 'j["id"]' 1 "its address now finds the survivor"
got=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM contacts")
if [ "$got" = 3 ]; then _ok "three contacts left"
else _notok "three contacts left" "got $got"
fi
run tend today --json
expect_json '[i["contact"]["name"] for i in j["items"]]' '["Ann Lee"]' \
    "the agenda names the survivor"

# an archived contact merged into an active one
run tend add "Dan" -e dan@example.com
run tend add "Daniel" -e daniel@example.com
run tend rm daniel@example.com
run tend merge dan daniel@example.com --json
expect_rc 0 "an archived contact can be merged by address"
expect_json 'j["archived"]' false "the survivor stays active"
expect_json 'j["emails"]' '["dan@example.com", "daniel@example.com"]' \
    "with both addresses"

# ---- sequences and mail in follow the person --------------------------------

run tend config mail.from "Sam Smith <sam@example.org>"
printf '[sequence]\nname = calls\n[step]\ntask = Call\n[step]\ntask = Call again\nafter = 3\n' \
    >"$T/calls.seq"
printf '[sequence]\nname = visits\n[step]\ntask = Visit\n' >"$T/visits.seq"
run tend seq add "$T/calls.seq"
run tend seq add "$T/visits.seq"
run tend add "Kim Ro" -e kim@example.com
kim=$out
run tend add "Kimberly Ro" -e kim.ro@home.example
kimberly=$out
# a message read from the second address, before anyone is enrolled (a
# reply would end the enrollments)
printf 'From: <kim.ro@home.example>\nTo: sam@example.org\nSubject: Hello\nMessage-ID: <k1@home.example>\n\nHi.\n' \
    >"$T/k1.eml"
run tend inbound <"$T/k1.eml"
expect_rc 0 "a message read from the second record"
run tend enroll "$kim" calls
run tend enroll "$kimberly" calls
run tend enroll "$kimberly" visits --also
expect_rc 0 "both in one sequence, one in another too"
run tend merge "$kim" "$kimberly" --json
expect_rc 0 "merge contacts in sequences"
run tend enrollments --all --contact "$kim" --json
expect_json '[(e["sequence"], e["state"], e["reason"]) for e in sorted(j, key=lambda e: e["id"])]' \
    '[["calls", "active", null], ["calls", "ended", "merged"], ["visits", "active", null]]' \
    "the kept one's goes on, the other's ends, the rest moves over"
expect_json '[e["contact"]["id"] for e in j]' "[$kim, $kim, $kim]" \
    "all of them the survivor's"
run tend show "$kim" --json
expect_has "sequence 'calls' ended: merged" "the exit is on the timeline"
run tend inbound --list --json
expect_json '[m["contact"]["id"] for m in j if m["from"] == "kim.ro@home.example"]' \
    "[$kim]" "the message read moved to the survivor"
got=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM enrollments WHERE contact_id
    = $kimberly")
if [ "$got" = 0 ]; then _ok "no enrollment left on the other"
else _notok "no enrollment left on the other" "got $got"
fi
ic=$(sqlite3 "$TEND_DB" "PRAGMA foreign_key_check")
if [ -z "$ic" ]; then _ok "foreign keys hold"
else _notok "foreign keys hold" "$ic"
fi
# a failed merge moves nothing
snapshot
run tend merge "$kim" nobody
expect_rc 65 "merge with an unknown contact"
expect_unchanged "nothing moved"
