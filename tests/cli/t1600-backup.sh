#!/bin/sh
# tend backup and tend restore: a database backed up, restored into a new
# one and backed up again gives the same bytes, mail tables included
# (templates added, edited and removed, suppressions, messages in every
# state but sending), and sequences and mail in (enrollments active and
# ended, a task that holds one, messages read, 8-bit ones in base64,
# where IMAP polling got to, soft bounces); a bad file, a database that
# is not empty, and a kill in the middle leave nothing written.  The
# mail rows' own failure paths are in t1610-backup-mail.sh, those of
# sequences and mail in in t1620-backup-seq.sh.
. "$(dirname "$0")/lib.sh"

DB="$TEND_DB"

# ---- a database with a bit of everything --------------------------------

run tend demo
expect_rc 0 "sample data: interactions, follow-ups and deals with history"
run tend config deal.stages "lead,call,offer,signed,won,lost"
expect_rc 0 "a setting in the database (stages the demo deals are not in)"
run tend add "Émile Zoë" -e emile@example.org -e Emile@Work.example.com \
    -p "+33 4 72 00 00 00" --company 'Café "Zoë"' --title Owner \
    --kind client --tz Europe/Paris --met "Lyon fair" --met-on 2025-05-01 \
    --via 1 --note "$(printf 'two lines\nof notes')" -t vip -t lyon \
    --every 6w --dnc
expect_rc 0 "a contact with every field"
emile=$out
run tend add "Old Friend" -e old@example.net
old=$out
run tend rm "$old"
expect_rc 0 "an archived contact"
# labels and extras come from imports; write them as an import would
sqlite3 "$DB" "UPDATE emails SET label = 'Assistant' WHERE address =
    'Emile@Work.example.com'; UPDATE phones SET label = 'cell' WHERE
    contact_id = $emile; INSERT INTO contact_extras (contact_id, grp, name,
    params, value) VALUES ($emile, 'item1', 'ADR', 'TYPE=home',
    ';;1 rue X;Lyon;;69001;France'), ($emile, NULL, 'X-TEND-CSV',
    'X-COLUMN=Yomi Name', 'エミール');"
run tend log "$emile" call "said \"yes\"" --when "2026-11-20 10:00"
expect_rc 0 "an interaction with quotes"
run tend plan --level

# ---- mail: templates, suppressions, the outbox --------------------------

run tend config mail.from "Sam Smith <sam@example.org>"
run tend config public_url https://tend.example.org
printf '<p>Hello {{contact.first_name}}</p>\n' >"$T/hello.html"
run tend template add hello --subject "Hi {{contact.first_name}}" \
    --body "$(printf 'Hello {{contact.first_name}},\n\nSam')" \
    --html-file "$T/hello.html"
expect_rc 0 "a template of one's own, with an HTML part"
run tend template edit nudge --subject "A nudge, {{contact.first_name}}"
expect_rc 0 "a starter edited"
run tend template rm check-in
expect_rc 0 "a starter removed"
# five contacts of the demo with an address and nothing against mail
set -- $(sqlite3 "$DB" "SELECT c.id FROM contacts c JOIN emails e ON
    e.contact_id = c.id AND e.is_primary WHERE NOT c.do_not_contact AND NOT
    c.archived ORDER BY c.id LIMIT 5")
for id in "$@"; do
	run tend mail "$id" hello
	expect_rc 0 "a message queued for contact $id"
done
run tend mail "$1" nudge --at 2026-12-01
expect_rc 0 "a message queued for later"
run tend mail "$2" met-at-event --auto
expect_rc 0 "an automated message, with its unsubscribe link"
run tend outbox cancel 2
expect_rc 0 "a message cancelled"
run tend unsubscribe zed@example.com
expect_rc 0 "an address unsubscribed"
run tend unsubscribe "$(sqlite3 "$DB" "SELECT address FROM emails WHERE
    contact_id = $5")"
expect_rc 0 "a contact's address unsubscribed"
# what tend send would leave: one sent, one failed (and its address
# bounced), one deferred, as tend send records them
sqlite3 "$DB" "UPDATE outbox SET state = 'sent', attempts = 1, date =
    strftime('%s', '2026-11-23 09:00:05'), sent_at = strftime('%s',
    '2026-11-23 09:00:06'), last_reply = '250 2.0.0 Ok: queued as 3F2A'
    WHERE id = 1; UPDATE outbox SET state = 'failed', attempts = 1, date =
    strftime('%s', '2026-11-23 09:00:05'), last_reply = '550 5.1.1 <x>:
    Recipient address rejected', reason = 'the address was refused
    (bounced)' WHERE id = 3; UPDATE outbox SET state = 'deferred', due =
    strftime('%s', '2026-11-23 09:10:00'), attempts = 1, date =
    strftime('%s', '2026-11-23 09:00:05'), last_reply = '451 4.3.0 try
    again later' WHERE id = 4; INSERT INTO suppressions (address_key,
    reason, address, at, detail) SELECT lower(rcpt), 'bounced', rcpt,
    strftime('%s', '2026-11-23 09:00:06'), '550 5.1.1 <x>: Recipient
    address rejected' FROM outbox WHERE id = 3;"

# ---- sequences and mail in -------------------------------------------------

run tend config inbound.address hello@example.org
printf '[sequence]\nname = follow\nwindow = daily 00:00-23:59\n[step]\nemail = hello\n[step]\ntask = Call them\nafter = 1\n' \
    >"$T/follow.seq"
run tend seq add "$T/follow.seq"
expect_rc 0 "a sequence"
printf '[sequence]\nname = calls\n[step]\ntask = Call\n' >"$T/calls.seq"
run tend seq add "$T/calls.seq"
run tend enroll "$4" follow
expect_rc 0 "an enrollment"
run tend seq run
expect_has "queued 1 e-mail" "its first step: a message it queued (8)"
TEND_NOW=2026-11-24T09:00 run tend seq run
expect_has "gave you 1 task" "its task, which holds it"
run tend enroll "$1" calls
expect_rc 0 "an enrollment in a sequence of tasks"
run tend unenroll "$1" calls
expect_rc 0 "an enrollment ended"
run tend seq pause calls
expect_rc 0 "a paused sequence"
# mail in: a reply, an inquiry (acknowledged: message 9), an out-of-office
# and a message in Latin-1 (not UTF-8: kept in base64)
a2=$(sqlite3 "$DB" "SELECT address FROM emails WHERE contact_id = $2 AND
    is_primary")
a1=$(sqlite3 "$DB" "SELECT address FROM emails WHERE contact_id = $1 AND
    is_primary")
printf 'From: <%s>\nTo: sam@example.org\nSubject: Re: Hi\nMessage-ID: <r1@x.example>\nDate: Mon, 23 Nov 2026 08:59:00 +0000\n\nYes, let us talk.\n' \
    "$a2" >"$T/reply.eml"
run tend inbound <"$T/reply.eml"
expect_rc 0 "a reply read"
printf 'From: Nia Obi <nia@new.example>\nTo: hello@example.org\nSubject: A shop\nMessage-ID: <q1@new.example>\nDate: Mon, 23 Nov 2026 08:59:00 +0000\n\nCan you build us a shop?\n' \
    >"$T/inq.eml"
run tend inbound <"$T/inq.eml"
expect_rc 0 "an inquiry read"
printf 'From: <%s>\nTo: sam@example.org\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <o1@x.example>\nDate: Mon, 23 Nov 2026 08:59:00 +0000\n\nI am away.\n' \
    "$a1" >"$T/ooo.eml"
run tend inbound <"$T/ooo.eml"
expect_rc 0 "an out-of-office read"
printf 'From: Ren\351 <rene@old.example>\nTo: sam@example.org\nSubject: Caf\351\nMessage-ID: <l1@old.example>\nDate: Mon, 23 Nov 2026 08:59:00 +0000\n\nD\351j\340 vu.\n' \
    >"$T/latin1.eml"
run tend inbound <"$T/latin1.eml"
expect_rc 0 "an 8-bit message read"
# what tend tick and tend fetch would leave
sqlite3 "$DB" "UPDATE followups SET escalated = strftime('%s',
    '2026-11-23 09:15:00') WHERE kind = 'inquiry' AND id = (SELECT max(id)
    FROM followups); INSERT INTO imap_state VALUES ('INBOX', 1700000000,
    42), ('Archive/2026', 3, 7); INSERT INTO soft_bounces VALUES
    ('full@example.net', 2, strftime('%s', '2026-11-20 10:00:00'));"
ncontacts=$(sqlite3 "$DB" "SELECT count(*) FROM contacts")

# ---- backup ---------------------------------------------------------------

sqlite3 "$DB" "SELECT writefile('$T/m1.eml', data) FROM outbox_data WHERE
    id = 1" >/dev/null
run tend backup
expect_rc 0 "backup to standard output"
cp "$T/.out" "$T/b1.json"
expect_json 'j["format"]' "tend-backup" "the format is named"
expect_json 'j["version"]' "3" "and its version"
expect_json 'j["written"]' "2026-11-23T09:00:00Z" "written at the clock, UTC"
expect_json 'j["settings"]["deal.stages"]' "lead,call,offer,signed,won,lost" \
    "settings in the database are kept"
expect_json 'len(j["contacts"])' "$ncontacts" "every contact, archived too"
C="j['contacts']"
expect_json "[c['id'] for c in $C] == sorted(c['id'] for c in $C)" \
    "true" "contacts by id"
E="[c for c in $C if c['id'] == $emile][0]"
expect_json "$E['emails']" \
    '[{"address": "emile@example.org", "label": null, "primary": true}, '\
'{"address": "Emile@Work.example.com", "label": "Assistant", '\
'"primary": false}]' \
    "addresses with labels and the primary flag, primary first"
expect_json "$E['extras'][1]['value']" "エミール" "extras, in UTF-8"
expect_json "$E['notes']" "$(printf 'two lines\nof notes')" \
    "multi-line text"
expect_json "[c for c in $C if c['id'] == $old][0]['archived']" "true" \
    "the archived contact"
expect_json "sum(len(c['interactions']) for c in $C)" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM interactions")" "every interaction"
expect_json "sum(len(f['history']) for c in $C for f in c['followups'])" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM followup_history")" \
    "every follow-up history row"
expect_json "sum(len(d['history']) for c in $C for d in c['deals'])" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM deal_history")" \
    "every deal history row"
expect_json "any(c['cadence'] and c['cadence']['level_due'] for c in $C)" \
    "true" "levelled cadences"
expect_json '[t["name"] for t in j["templates"]]' \
    '["met-at-event", "consult-recap", "proposal-followup", "nudge", '\
'"referral-thanks", "inquiry-ack", "hello"]' \
    "every template by id, the removed starter gone"
expect_json '[(t["starter"], t["created"], t["updated"]) for t in j["templates"] if t["name"] in ("nudge", "hello", "consult-recap")]' \
    '[[true, null, null], [true, null, "2026-11-23T09:00:00Z"], '\
'[false, "2026-11-23T09:00:00Z", "2026-11-23T09:00:00Z"]]' \
    "starters as shipped have no times; an edited one has"
expect_json 'j["templates"][-1]["html"] == "<p>Hello {{contact.first_name}}</p>\n"' \
    "true" "the HTML part"
expect_json '[(s["reason"], s["detail"]) for s in j["suppressions"] if s["address"] == "zed@example.com"]' \
    '[["unsubscribed", "by hand"]]' "suppressions, with how"
expect_json 'len(j["suppressions"])' "3" "every suppression"
expect_json '[m["state"] for m in j["outbox"]]' \
    '["sent", "cancelled", "failed", "deferred", "queued", "queued", "cancelled", "queued", "queued"]' \
    "every message, by id, in its state (the reply stopped 7)"
expect_json '[m["id"] for m in j["outbox"]]' '[1, 2, 3, 4, 5, 6, 7, 8, 9]' \
    "ids kept"
expect_json 'j["outbox"][0]["sent_at"]' "2026-11-23T09:00:06Z" \
    "times in the document's format"
expect_json 'j["outbox"][0]["data"] == open("'"$T"'/m1.eml", newline="").read()' \
    "true" "the exact bytes of the message"
expect_json 'all("\n" not in m["data"].replace("\r\n", "") for m in j["outbox"])' \
    "true" "CRLF line ends"
expect_json '[m["automated"] for m in j["outbox"]]' \
    '["hand", "hand", "hand", "hand", "hand", "hand", "auto", "auto", "auto-reply"]' \
    "by hand, automated, or an acknowledgement"
expect_json '[m["enrollment"] for m in j["outbox"]]' \
    '[null, null, null, null, null, null, null, 1, null]' \
    "the message an enrollment queued"
expect_json '[(s["name"], s["paused"]) for s in j["sequences"]]' \
    '[["follow", false], ["calls", true]]' "the sequences, by id"
expect_json 'j["sequences"][0]["source"]' \
    "$(TEND_DB="$DB" "$TEND" seq show follow)" "with their text"
expect_json '[(n["contact"], n["sequence"], n["state"], n["end_reason"]) for n in j["enrollments"]]' \
    "[[$4, 1, \"active\", null], [$1, 2, \"ended\", \"unenrolled\"]]" \
    "the enrollments, active and ended"
expect_json '[f["enrollment"] for c in j["contacts"] for f in c["followups"] if f["id"] == j["enrollments"][0]["hold_followup"]]' \
    '[1]' "the task that holds one, with its enrollment"
expect_json '[(f["origin"], f["kind"]) for c in j["contacts"] for f in c["followups"] if f["origin"] or f["escalated"]]' \
    '[["reply", "task"], [null, "inquiry"]]' "follow-ups opened by mail in"
expect_json '[f["escalated"] for c in j["contacts"] for f in c["followups"] if f["escalated"]]' \
    '["2026-11-23T09:15:00Z"]' "an escalated inquiry"
expect_json 'sum(1 for c in j["contacts"] for i in c["interactions"] if i["by_tend"])' \
    "$(sqlite3 "$DB" "SELECT count(*) FROM interactions WHERE system")" \
    "tend's own notes on the timeline"
expect_json '[(m["class"], m["key"]) for m in j["inbound"]]' \
    '[["reply", "r1@x.example"], ["inquiry", "q1@new.example"], ["auto-reply", "o1@x.example"], ["other", "l1@old.example"]]' \
    "every message read"
expect_json 'j["inbound"][1]["data"] == open("'"$T"'/inq.eml").read()' "true" \
    "with its bytes, as text"
expect_json '[j["inbound"][3]["data"], __import__("base64").b64decode(j["inbound"][3]["data_base64"]) == open("'"$T"'/latin1.eml", "rb").read()]' \
    '[null, true]' "or in base64 when they are not UTF-8"
expect_json 'j["imap_state"]' \
    '[{"mailbox": "Archive/2026", "uidvalidity": 3, "last_uid": 7}, {"mailbox": "INBOX", "uidvalidity": 1700000000, "last_uid": 42}]' \
    "where polling got to, by mailbox"
expect_json 'j["soft_bounces"]' \
    '[{"address": "full@example.net", "count": 2, "last_at": "2026-11-20T10:00:00Z"}]' \
    "soft bounces"
expect_json '"List-Unsubscribe: " in j["outbox"][6]["data"]' "true" \
    "the automated one with its link"
if head -12 "$T/b1.json" | grep -q '^      "name": "'; then
	_ok "indented for people"
else
	_notok "indented for people" "$(head -12 "$T/b1.json")"
fi

run tend backup -o "$T/b2.json"
expect_rc 0 "backup -o"
expect_out "backup written to $T/b2.json" "says where"
if cmp -s "$T/b1.json" "$T/b2.json"; then _ok "the file is what stdout got"
else _notok "the file is what stdout got" "$(cmp "$T/b1.json" "$T/b2.json")"
fi
mode=$(stat -c %a "$T/b2.json")
if [ "$mode" = 600 ]; then _ok "readable by its owner only"
else _notok "readable by its owner only" "mode $mode"
fi
if [ -e "$T/b2.json.tmp" ]; then _notok "no temporary file left" "$(ls "$T")"
else _ok "no temporary file left"
fi
run tend backup --output "$T/b2.json" --json
expect_rc 0 "backup over an existing file"
expect_json 'j["file"]' "$T/b2.json" "--json says where"
if cmp -s "$T/b1.json" "$T/b2.json"; then _ok "replaced whole"
else _notok "replaced whole"
fi

# ---- restore, and backup again --------------------------------------------

export TEND_DB="$T/new.db"
run tend restore "$T/b1.json"
expect_rc 0 "restore into a new database"
expect_has "restored $ncontacts contacts, " "says what it restored"
run tend backup
expect_rc 0 "backup of the restored database"
cp "$T/.out" "$T/b3.json"
if cmp -s "$T/b1.json" "$T/b3.json"; then
	_ok "backup, restore, backup: byte-identical"
else
	_notok "backup, restore, backup: byte-identical" \
	    "$(diff "$T/b1.json" "$T/b3.json" | head -20)"
fi
for t in contacts emails phones contact_tags contact_extras interactions \
    deals deal_history followups followup_history cadences settings \
    templates suppressions outbox outbox_data sequences enrollments inbound \
    inbound_data imap_state soft_bounces; do
	a=$(sqlite3 "$DB" "SELECT count(*) FROM $t")
	b=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM $t")
	if [ "$a" = "$b" ]; then _ok "$t: $a rows, as before"
	else _notok "$t: as before" "$a before, $b after"
	fi
done
ic=$(sqlite3 "$TEND_DB" "PRAGMA integrity_check; PRAGMA foreign_key_check")
if [ "$ic" = ok ]; then _ok "integrity and foreign keys"
else _notok "integrity and foreign keys" "$ic"
fi
a=$(TEND_DB="$DB" "$TEND" today --json)
run tend today --json
expect_out "$a" "the same agenda"
a=$(TEND_DB="$DB" "$TEND" show "$emile" --json)
run tend show "$emile" --json
expect_out "$a" "the same contact, by the same id"
for q in "SELECT * FROM templates ORDER BY id" \
    "SELECT * FROM suppressions ORDER BY address_key, reason" \
    "SELECT * FROM outbox ORDER BY id" \
    "SELECT id, hex(data) FROM outbox_data ORDER BY id" \
    "SELECT * FROM sequences ORDER BY id" \
    "SELECT * FROM enrollments ORDER BY id" \
    "SELECT * FROM followups ORDER BY id" \
    "SELECT id, system FROM interactions ORDER BY id" \
    "SELECT * FROM inbound ORDER BY id" \
    "SELECT id, hex(data) FROM inbound_data ORDER BY id" \
    "SELECT * FROM imap_state" "SELECT * FROM soft_bounces"; do
	a=$(sqlite3 "$DB" "$q")
	b=$(sqlite3 "$TEND_DB" "$q")
	if [ "$a" = "$b" ]; then _ok "the same rows: $q"
	else _notok "the same rows: $q" "$(printf '%s\n' "$a" >"$T/r1";
	    printf '%s\n' "$b" >"$T/r2"; diff "$T/r1" "$T/r2" | head -10)"
	fi
done
a=$(TEND_DB="$DB" "$TEND" outbox --json)
run tend outbox --json
expect_out "$a" "the same outbox"
a=$(TEND_DB="$DB" "$TEND" unsubscribe --list --json)
run tend unsubscribe --list --json
expect_out "$a" "the same suppression list"
a=$(TEND_DB="$DB" "$TEND" template list --json)
run tend template list --json
expect_out "$a" "the same templates"
a=$(TEND_DB="$DB" "$TEND" enrollments --all --json)
run tend enrollments --all --json
expect_out "$a" "the same enrollments"
a=$(TEND_DB="$DB" "$TEND" inbound --list --json)
run tend inbound --list --json
expect_out "$a" "the same mail read"
run tend inbound <"$T/reply.eml"
expect_has "already read (message 1)" \
    "a message read before the backup is not read twice"
run tend mail "$5" hello
expect_rc 65 "an unsubscribe is remembered after the restore"
expect_err "unsubscribed" "and says so"
run tend find yes --json
expect_has "\"id\": $emile" "the search index is rebuilt"
run tend show emile@work.example.com
expect_rc 0 "addresses are found without case"

export TEND_DB="$T/stdin.db"
run tend restore - --json <"$T/b1.json"
expect_rc 0 "restore from standard input"
expect_json 'j["contacts"]' "$ncontacts" "--json counts contacts"
expect_json 'j["settings"]' "$(sqlite3 "$DB" "SELECT count(*) FROM settings")" \
    "and settings"
expect_json 'j["deals"]' "$(sqlite3 "$DB" "SELECT count(*) FROM deals")" \
    "and deals"

# an empty database backs up and restores too
export TEND_DB="$T/empty.db"
run tend backup
expect_json '[j["format"], j["version"], j["settings"], j["contacts"], j["suppressions"], j["outbox"]]' \
    '["tend-backup", 3, {}, [], [], []]' "the backup of an empty database"
expect_json '[j[k] for k in ("sequences", "enrollments", "inbound", "imap_state", "soft_bounces")]' \
    '[[], [], [], [], []]' "no sequences and no mail in"
expect_json '[(t["name"], t["starter"], t["created"]) for t in j["templates"]][:2]' \
    '[["met-at-event", true, null], ["consult-recap", true, null]]' \
    "holds the starters as shipped"
expect_json 'len(j["templates"])' 7 "all seven"
cp "$T/.out" "$T/empty.json"
export TEND_DB="$T/empty2.db"
run tend restore "$T/empty.json"
expect_rc 0 "an empty backup restores"
run tend backup
if [ "$out" = "$(cat "$T/empty.json")" ]; then _ok "and backs up the same"
else _notok "and backs up the same" "$(printf '%s\n' "$out" | diff "$T/empty.json" - | head)"
fi

# ---- restore refuses a database that is not empty ---------------------------

export TEND_DB="$DB"
snapshot
run tend restore "$T/b1.json"
expect_rc 65 "restore into a database with contacts"
expect_err "tend: the database is not empty: restore needs a new one" \
    "says why"
expect_unchanged "nothing written"

export TEND_DB="$T/setting.db"
run tend config deal.stages "a,b,c"
snapshot
run tend restore "$T/empty.json"
expect_rc 65 "restore into a database with only a setting"
expect_unchanged "nothing written"

# ---- bad files: exit 65, where it is, nothing written -----------------------

# mutate NAME PYTHON: b1.json with j changed by PYTHON, as $T/NAME.json
mutate() {
	"$PY" - "$T/b1.json" "$T/$1.json" "$2" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(j, open(sys.argv[2], "w"), indent=2, ensure_ascii=False)
EOF
}

export TEND_DB="$T/bad.db"
run tend init
# bad NAME MESSAGE: restoring $T/NAME.json fails with MESSAGE
bad() {
	snapshot
	run tend restore "$T/$1.json"
	expect_rc 65 "$1: bad data"
	expect_err "$2" "$1: the message says where"
	expect_unchanged "$1: nothing written"
}

head -c 20000 "$T/b1.json" >"$T/truncated.json"
bad truncated "unexpected end of file (is the file truncated?)"
: >"$T/emptyfile.json"
bad emptyfile "emptyfile.json: empty file, not a tend backup"
printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann\r\nEND:VCARD\r\n' >"$T/vcard.json"
bad vcard "vcard.json: line 1, column 1: not a tend backup"
line=$(grep -n '^      "name": "' "$T/b1.json" | head -1 | cut -d: -f1)
sed "${line}s/\"name\": \"\\(.*\\)\",\$/\"name\": \\1,/" "$T/b1.json" \
    >"$T/syntax.json"
bad syntax "syntax.json: line $line, column "
mutate format 'j["format"] = "tend-archive"'
bad format "format.json: format: 'tend-archive' is not a tend document"
mutate newer 'j["version"] = 4'
bad newer "newer.json: version 4 is newer than this tend reads (3); upgrade"
mutate kind 'j["contacts"][3]["kind"] = "enemy"'
bad kind "kind.json: contacts[3].kind: unknown kind 'enemy'"
mutate email 'j["contacts"][0]["emails"][0]["address"] = 42'
bad email "email.json: contacts[0].emails[0].address: not a string"
mutate date 'j["contacts"][2]["created"] = "2026-11-23 09:00"'
bad date "date.json: contacts[2].created: not a time like 2026-11-23T09:00:00Z"
mutate state 'c = [c for c in j["contacts"] if c["followups"]][0]
c["followups"][0]["state"] = "later"'
bad state ".followups[0].state: unknown state 'later'"
mutate dupid 'j["contacts"][5]["id"] = j["contacts"][4]["id"]'
id4=$(sed -n 's/^      "id": \([0-9]*\),$/\1/p' "$T/b1.json" | sed -n 5p)
bad dupid "dupid.json: contacts[5].id: contact $id4 is in the file twice"
mutate via 'j["contacts"][1]["via"] = 99999'
bad via "via.json: contacts[1].via: contact 99999 is not in the file"
mutate deal 'c = [c for c in j["contacts"] if c["followups"]][0]
c["followups"][0]["deal"] = 88888'
bad deal ".deal: deal 88888 is not in the file"
mutate unknown 'j["contacts"][0]["birthday"] = "1990-01-01"'
bad unknown "unknown.json: contacts[0]: unknown key 'birthday'"
mutate tagtwice 'j["contacts"][0]["tags"] = ["vip", "VIP"]'
bad tagtwice "tagtwice.json: contacts[0].tags: 'VIP' is there twice"
mutate addrtwice 'j["contacts"][1]["emails"] = j["contacts"][0]["emails"]'
bad addrtwice "addrtwice.json: contacts[1].emails[0].address: "
mutate money 'c = [c for c in j["contacts"] if c["deals"]][0]
c["deals"][0]["value_cents"] = 12.5'
bad money ".value_cents: not a whole number"
mutate stages 'j["settings"]["deal.stages"] = "only"'
bad stages "stages.json: settings.deal.stages: "
# the last contact is wrong: everything before it is not kept either
mutate last 'j["contacts"][-1]["phones"] = [{"number": "call me"}]'
bad last "invalid phone number 'call me'"

snapshot
run tend restore "$T/nosuchfile.json"
expect_rc 65 "a file that does not exist"
expect_err "cannot read '$T/nosuchfile.json'" "names it"
expect_unchanged "nothing written"

run tend restore
expect_rc 2 "restore needs a file"
run tend backup extra
expect_rc 2 "backup takes no argument"

# ---- backup -o that cannot write: exit 1, nothing left -----------------------

export TEND_DB="$DB"
run tend backup -o "$T/nodir/b.json"
expect_rc 1 "-o into a folder that does not exist"
expect_err "cannot write '$T/nodir/b.json': No such file or directory" \
    "the message names the file"
if [ -e "$T/nodir" ]; then _notok "no file left" "$(ls -R "$T/nodir")"
else _ok "no file left"
fi
printf 'the old backup\n' >"$T/keep.json"
mkdir "$T/keep.json.tmp"
run tend backup -o "$T/keep.json"
expect_rc 1 "-o when the temporary file cannot be made"
if [ "$(cat "$T/keep.json")" = "the old backup" ]; then
	_ok "the old backup is still there"
else
	_notok "the old backup is still there"
fi
rmdir "$T/keep.json.tmp"
run tend backup -o ""
expect_rc 2 "-o with no name"

# ---- kill -9 in the middle of a restore leaves an empty database -----------

"$PY" - "$T/big.json" <<'EOF'
import json, sys
n = 10000
with open(sys.argv[1], "w") as f:
    f.write('{"format": "tend-backup", "version": 1, "contacts": [\n')
    for i in range(1, n + 1):
        c = {"id": i, "name": "Person %d" % i,
             "created": "2026-01-01T00:00:00Z",
             "updated": "2026-01-01T00:00:00Z",
             "emails": [{"address": "p%d@example.com" % i,
                         "primary": True}],
             "interactions": [{"id": i, "kind": "call",
                               "at": "2026-01-02T10:00:00Z",
                               "created": "2026-01-02T10:00:00Z",
                               "summary": "talked about things"}]}
        f.write(json.dumps(c) + (",\n" if i < n else "\n"))
    f.write("]}\n")
EOF
again=1
for delay in 0.1 0.3 0.8; do
	export TEND_DB="$T/kill-$delay.db"
	run tend init
	"$TEND" restore "$T/big.json" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM contacts" 2>&1)
	case "$n" in
	0|10000) _ok "killed after ${delay}s: $n contacts, all or nothing" ;;
	*) _notok "killed after ${delay}s: all or nothing" "contacts: $n" ;;
	esac
	ic=$(sqlite3 "$TEND_DB" "PRAGMA integrity_check" 2>&1)
	if [ "$ic" = ok ]; then _ok "killed after ${delay}s: integrity ok"
	else _notok "killed after ${delay}s: integrity" "$ic"
	fi
	if [ "$n" = 0 ] && [ "$again" = 1 ]; then
		run tend restore "$T/big.json"
		expect_rc 0 "killed after ${delay}s: a new restore works"
		again=0
	fi
done
