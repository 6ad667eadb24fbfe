#!/bin/sh
# tend show: the contact card (how you met and through whom, needs,
# cadence, next follow-up, open deals, referrals) and the timeline of
# interactions and follow-ups, newest first.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" -e ann@example.com -e ann@work.example \
    -p "+33 6 12 34 56 78" -t web -t bni --company Acme --title CTO \
    --met "BNI breakfast" --met-on 2026-11-11 --need "a new website" \
    --note "likes tea" --every 6w --tz Europe/Paris
run tend add "Bob Stone" --via ann
run tend add "Abe Zed" --via ann
run tend add "Carl Diaz" --via bob
run tend log ann meeting "first coffee" --when 2026-11-12T10:00
run tend follow ann "send the proposal" --due 2026-11-20
run tend log ann call "asked for a quote" --in --when 2026-11-18
run tend follow ann "check in" --due fri --via call
run tend done 1
run tend deal add ann "Website" --value 4500 --stage proposal \
    --next "send the contract" --due 2026-12-01
run tend deal add ann "Logo"
run tend deal add ann "Old job" --stage lost

run tend show ann
expect_rc 0 "show by name"
expect_out "Ann Lee — CTO, Acme  (prospect, #1)
  e-mail       ann@example.com, ann@work.example
  phone        +33 6 12 34 56 78
  tags         bni, web
  met          BNI breakfast on 2026-11-11
  source       event
  needs        a new website
  notes        likes tea
  time zone    Europe/Paris
  keep in touch every 6 weeks, next 2026-12-30
  last touch   2026-11-18
  next         2026-11-27 — check in (follow-up 2)

open deals:
  Logo (#2)     inquiry          no next step
  Website (#1)  proposal, 4,500  next: send the contract, 2026-12-01

referred:
  Abe Zed (#3)
  Bob Stone (#2)

timeline:
  2026-11-27       follow-up 2 (open): check in
  2026-11-20       follow-up 1 (done): send the proposal
  2026-11-18       call from them: asked for a quote
  2026-11-12 10:00 meeting by you: first coffee" "the whole card"

run tend show bob
expect_out "Bob Stone  (prospect, #2)
  via          Ann Lee (#1)
  source       referral
  last touch   never

referred:
  Carl Diaz (#4)" "a sparse card: through whom, whom they referred"

run tend show ann --json
expect_rc 0 "show --json"
expect_json 'list(j.keys())' '["id", "name", "company", "title", "kind", "emails", "phones", "tags", "labels", "extras", "tz", "met_where", "met_on", "via", "source", "needs", "notes", "do_not_contact", "archived", "cadence", "next_keep_in_touch", "last_touch", "created", "updated", "next_followup", "deals", "referred", "interactions", "followups"]' \
    "--json: the keys, in order"
expect_json '[j["name"], j["company"], j["title"], j["kind"], j["tz"]]' \
    '["Ann Lee", "Acme", "CTO", "prospect", "Europe/Paris"]' "--json: who"
expect_json '[j["emails"], j["phones"], j["tags"]]' \
    '[["ann@example.com", "ann@work.example"], ["+33 6 12 34 56 78"], ["bni", "web"]]' \
    "--json: addresses (primary first), phones, tags"
expect_json '[j["met_where"], j["met_on"], j["via"], j["source"]]' \
    '["BNI breakfast", "2026-11-11T00:00:00+00:00", null, "event"]' \
    "--json: how you met"
expect_json '[j["needs"], j["notes"], j["do_not_contact"], j["archived"]]' \
    '["a new website", "likes tea", false, false]' "--json: needs, notes, flags"
expect_json '[j["cadence"], j["next_keep_in_touch"], j["last_touch"]]' \
    '["6w", "2026-12-30T00:00:00+00:00", "2026-11-18T00:00:00+00:00"]' \
    "--json: cadence and last touch"
expect_json 'j["next_followup"]' 2 "--json: the next follow-up"
expect_json '[[d["id"], d["title"], d["stage"], d["value_cents"], d["next_step"], d["next_due"]] for d in j["deals"]]' \
    '[[2, "Logo", "inquiry", null, null, null], [1, "Website", "proposal", 450000, "send the contract", "2026-12-01T00:00:00+00:00"]]' \
    "--json: the open deals (not the lost one)"
expect_json 'j["referred"]' '[{"id": 3, "name": "Abe Zed"}, {"id": 2, "name": "Bob Stone"}]' \
    "--json: the people they referred, by name"
expect_json 'j["interactions"]' '[{"id": 2, "kind": "call", "direction": "in", "at": "2026-11-18T00:00:00+00:00", "summary": "asked for a quote", "by_tend": false}, {"id": 1, "kind": "meeting", "direction": "out", "at": "2026-11-12T10:00:00+00:00", "summary": "first coffee", "by_tend": false}]' \
    "--json: interactions, newest first"
expect_json 'j["followups"]' '[{"id": 2, "reason": "check in", "due": "2026-11-27T00:00:00+00:00", "state": "open", "channel": "call"}, {"id": 1, "reason": "send the proposal", "due": "2026-11-20T00:00:00+00:00", "state": "done", "channel": null}]' \
    "--json: follow-ups, newest first"

run tend show bob --json
expect_json '[j["via"], j["referred"], j["deals"], j["interactions"], j["followups"], j["next_followup"]]' \
    '[{"id": 1, "name": "Ann Lee"}, [{"id": 4, "name": "Carl Diaz"}], [], [], [], null]' \
    "--json: empty lists are lists"

# the same card whatever the reference
run tend show ann@work.example --json
expect_json 'j["id"]' 1 "by the second address"
run tend show "#1" --json
expect_json 'j["id"]' 1 "by #id"

# show never writes, and a bad reference is reported
snapshot
run tend show
expect_rc 2 "show without a contact"
expect_err "usage: tend show CONTACT" "prints the usage"
run tend show ann bob
expect_rc 2 "two contacts"
run tend show nobody
expect_rc 65 "an unknown contact"
expect_err "contact 'nobody' not found" "names it"
run tend show "$(printf 'an\377')"
expect_rc 65 "invalid UTF-8 in the reference"
run tend show ann --timeline
expect_rc 2 "an unknown option"
expect_unchanged "show never writes"
