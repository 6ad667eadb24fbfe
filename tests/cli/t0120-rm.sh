#!/bin/sh
# tend rm: archive (hidden, asks nothing of you) or --purge (gone for good).
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" -e ann@example.com --every 2w --met "BNI" \
    --met-on 2026-10-01
run tend add "Bob Stone" --via ann
run tend follow ann "send the proposal" --due yesterday
run tend log ann call "talked about the site" --when 2026-10-02

run tend today --json
expect_json 'len(j["items"])' 1 "before: Ann's follow-up is on the agenda"

run tend rm ann
expect_rc 0 "rm archives"
expect_out "archived contact 1" "says what it did"
run tend show 1 --json
expect_rc 0 "an archived contact is still shown by id"
expect_json 'j["archived"]' "true" "marked archived"
expect_json '[f["state"] for f in j["followups"]]' '["cancelled"]' \
    "its open follow-up is cancelled"
expect_json 'len(j["interactions"])' 1 "its history is kept"
got=$(sqlite3 "$TEND_DB" "SELECT state || ' ' || coalesce(note, '-') FROM
    followup_history WHERE followup_id = 1 ORDER BY id")
if [ "$got" = "open created
cancelled contact archived" ]; then _ok "the cancel is in the follow-up's history"
else _notok "the cancel is in the follow-up's history" "got: $got"
fi
run tend today --json
expect_json 'j["items"]' '[]' "nothing of an archived contact on the agenda"
run tend list --json
expect_json '[c["name"] for c in j]' '["Bob Stone"]' "list hides it"
run tend list --archived --json
expect_json '[c["name"] for c in j]' '["Ann Lee", "Bob Stone"]' \
    "list --archived shows it"
run tend find site --json
expect_json 'j' '[]' "find hides it"
run tend show ann
expect_rc 65 "no longer found by name"
run tend show ann@example.com --json
expect_json 'j["id"]' 1 "still found by address"
run tend show bob --json
expect_json 'j["via"]' '{"id": 1, "name": "Ann Lee"}' \
    "the people she referred still say so"

run tend rm 1 --json
expect_rc 0 "rm an archived contact again"
expect_json 'j' '{"id": 1, "archived": true}' "rm --json"

run tend add "Carl" -e ann@example.com
expect_rc 65 "an archived contact keeps its address"
expect_err "already belongs to contact 1" "says who has it"

snapshot
run tend rm nobody
expect_rc 65 "rm an unknown contact"
expect_err "contact 'nobody' not found" "names it"
run tend rm 42
expect_rc 65 "rm an unknown id"
expect_err "contact 42 not found" "names the id"
run tend rm
expect_rc 2 "rm without a contact"
run tend rm 1 2
expect_rc 2 "rm takes one contact"
run tend rm 1 --force
expect_rc 2 "unknown option"
expect_unchanged "failed rms wrote nothing"

run tend rm 1 --purge
expect_rc 0 "rm --purge"
expect_out "deleted contact 1" "says it deleted"
run tend show 1
expect_rc 65 "a purged contact is gone"
expect_err "contact 1 not found" "not found"
sql() { sqlite3 "$TEND_DB" "$1"; }
got=$(sql "SELECT (SELECT count(*) FROM interactions) || ',' ||
    (SELECT count(*) FROM followups) || ',' ||
    (SELECT count(*) FROM followup_history) || ',' ||
    (SELECT count(*) FROM emails) || ',' ||
    (SELECT count(*) FROM cadences)")
if [ "$got" = "0,0,0,0,0" ]; then _ok "its history goes with it"
else _notok "its history goes with it" "interactions, followups, history, emails, cadences: $got"
fi
got=$(sql "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'ann'")
if [ "$got" = "0" ]; then _ok "and its search entry"
else _notok "and its search entry" "$got rows"
fi
run tend show bob --json
expect_json 'j["via"]' null "a referral from a purged contact is cleared"
expect_json 'j["source"]' "referral" "but the source stays"
run tend add "Carl" -e ann@example.com
expect_rc 0 "a purged contact's address is free again"

run tend rm bob --purge --json
expect_json 'j' '{"id": 2, "purged": true}' "rm --purge --json"

# An archived contact gets no new follow-ups (they would never show)
# until it is brought back with edit --restore.
export TEND_DB="$T/restore.db"
run tend add "Dora Diaz" --every 2w
run tend rm dora
snapshot
run tend follow 1 "lunch"
expect_rc 65 "no follow-up for an archived contact"
expect_err "contact 1 is archived; 'tend edit 1 --restore' brings them back" \
    "says how to bring them back"
expect_unchanged "nothing written"
run tend add "Eve" --restore
expect_rc 2 "--restore is not for add"
run tend edit 1 --restore --json
expect_rc 0 "edit --restore"
expect_json 'j["archived"]' false "no longer archived"
run tend follow dora "lunch" --due 2026-11-23
expect_rc 0 "found by name again, and followed up"
run tend today --json
expect_json '[i["contact"]["name"] for i in j["items"]]' '["Dora Diaz"]' \
    "back on the agenda"
