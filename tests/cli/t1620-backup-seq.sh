#!/bin/sh
# tend backup and tend restore with sequences and mail in (version 3):
# every row comes back and backs up the same; a version 2 backup (the
# outbox's "automated" a boolean, no sequences, no mail read) restores as
# before; every bad sequence, enrollment, message read, mailbox state and
# soft bounce, every reference to a row that is not in the file, and the
# arrays out of order are refused with where it is (exit 65), and nothing
# is written.
. "$(dirname "$0")/lib.sh"

DB="$TEND_DB"

# ---- a database with sequences and mail in ----------------------------------

run tend config mail.from "Sam Smith <sam@example.org>"
run tend config public_url https://tend.example.org
run tend config inbound.address hello@example.org
run tend add "Ann Lee" -e ann@example.com
run tend add "Bob Stone" -e bob@example.com
run tend deal add ann Website --stage consult
printf '[sequence]\nname = Follow\nwindow = daily 00:00-23:59\n[step]\nemail = nudge\n[step]\ntask = Call them\nafter = 1\n' \
    >"$T/follow.seq"
run tend seq add "$T/follow.seq"
expect_rc 0 "a sequence"
run tend enroll ann follow
expect_rc 0 "Ann in it, about her deal"
run tend seq run
expect_has "queued 1 e-mail" "its message"
TEND_NOW=2026-11-24T09:00 run tend seq run
expect_has "gave you 1 task" "its task"
run tend enroll bob follow
run tend unenroll bob
expect_rc 0 "Bob's ended"
printf 'From: <bob@example.com>\nTo: sam@example.org\nSubject: Re: Hi\nMessage-ID: <r1@x.example>\n\nYes.\n' \
    >"$T/reply.eml"
run tend inbound <"$T/reply.eml"
expect_rc 0 "a reply"
printf 'From: Ren\351 <rene@old.example>\nTo: hello@example.org\nSubject: Caf\351\n\nD\351j\340 vu.\n' \
    >"$T/latin1.eml"
run tend inbound <"$T/latin1.eml"
expect_rc 0 "an 8-bit inquiry without a Message-ID"
sqlite3 "$DB" "INSERT INTO imap_state VALUES ('INBOX', 7, 42);
    INSERT INTO soft_bounces VALUES ('full@example.net', 1,
    strftime('%s', '2026-11-20 10:00:00'));"

run tend backup -o "$T/b1.json"
expect_rc 0 "backup"
run cat "$T/b1.json"
expect_json '[j["version"], len(j["sequences"]), len(j["enrollments"]), len(j["inbound"]), len(j["imap_state"]), len(j["soft_bounces"])]' \
    '[3, 1, 2, 2, 1, 1]' "version 3, with every table"
expect_json '[(n["deal"], n["deal_stage"], n["step"], n["sent"]) for n in j["enrollments"]]' \
    '[[1, "consult", 2, 1], [null, null, 0, 0]]' "enrollments with every column"
expect_json '[m["key"][:7] for m in j["inbound"]]' '["r1@x.ex", "sha256:"]' \
    "a message without a Message-ID is known by its hash"
expect_json '[m["data"] is None for m in j["inbound"]]' '[false, true]' \
    "text where it can be, base64 where it cannot"

export TEND_DB="$T/new.db"
run tend restore "$T/b1.json" --json
expect_rc 0 "restore"
run tend backup -o "$T/b2.json"
if cmp -s "$T/b1.json" "$T/b2.json"; then _ok "backup, restore, backup: byte-identical"
else _notok "backup, restore, backup: byte-identical" "$(diff "$T/b1.json" "$T/b2.json" | head -20)"
fi
ic=$(sqlite3 "$TEND_DB" "PRAGMA integrity_check; PRAGMA foreign_key_check")
if [ "$ic" = ok ]; then _ok "integrity and foreign keys"
else _notok "integrity and foreign keys" "$ic"
fi
# the restored sequence goes on where it was: the task still holds it
run tend enrollments --json
expect_json '[(e["contact"]["name"], e["held_by"]) for e in j]' '[["Ann Lee", 1]]' \
    "the task still holds Ann's"
TEND_NOW=2026-11-24T10:00 run tend done 1
TEND_NOW=2026-11-24T10:01 run tend seq run
expect_has "1 task done" "done releases it, after the restore too"
run tend inbound <"$T/latin1.eml"
expect_has "already read" "a message read before is not read twice"

# ---- a version 2 backup restores as before ---------------------------------

# mutate NAME PYTHON: b1.json with j changed by PYTHON, as $T/NAME.json
mutate() {
	"$PY" - "$T/b1.json" "$T/$1.json" "$2" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
q, n, m, o = j["sequences"], j["enrollments"], j["inbound"], j["outbox"]
exec(sys.argv[3])
json.dump(j, open(sys.argv[2], "w"), indent=2, ensure_ascii=False)
EOF
}
V2='j["version"] = 2
for k in ("sequences", "enrollments", "inbound", "imap_state", "soft_bounces"):
    del j[k]
for c in j["contacts"]:
    for i in c["interactions"]:
        del i["by_tend"]
    for f in c["followups"]:
        del f["enrollment"], f["origin"], f["escalated"]
for x in o:
    del x["enrollment"]
    x["automated"] = x["automated"] != "hand"'
mutate v2 "$V2"
export TEND_DB="$T/v2.db"
run tend restore "$T/v2.json"
expect_rc 0 "a version 2 backup restores"
run tend outbox --json
expect_json '[(m["template"], m["automated"]) for m in j]' \
    '[["nudge", true], ["inquiry-ack", true]]' "its booleans read as before"
run tend backup
expect_json '[m["automated"] for m in j["outbox"]]' '["auto", "auto"]' \
    "and back up as kinds (version 2 had no acknowledgements of its own)"
expect_json '[j["sequences"], j["inbound"]]' '[[], []]' "nothing of version 3"

# ---- bad rows: exit 65, where it is, nothing written -------------------------

export TEND_DB="$T/bad.db"
run tend init
bad() {
	snapshot
	run tend restore "$T/$1.json"
	expect_rc 65 "$1: bad data"
	expect_err "$2" "$1: the message says where"
	expect_unchanged "$1: nothing written"
}

# the document
mutate v2seq "$V2"'
j["sequences"] = []'
bad v2seq '"sequences" is not in a version 2 backup (version 3 has sequences and mail in)'
mutate v2key "$V2"'
j["contacts"][0]["interactions"][0]["by_tend"] = False'
bad v2key "v2key.json: contacts[0].interactions[0]: unknown key 'by_tend' (new in version 3)"
mutate v2kind "$V2"'
o[0]["automated"] = "auto"'
bad v2kind "v2kind.json: outbox[0].automated: not true or false"
for k in inbound imap_state soft_bounces; do
	mutate "no$k" "del j[\"$k\"]"
	bad "no$k" "no$k.json: no \"$k\""
done
# the rows that refer to them say it first
mutate noseq 'del j["sequences"]'
bad noseq '"sequences" must come before "enrollments"'
mutate noenr 'del j["enrollments"]'
bad noenr '"enrollments" must come before "outbox"'
reorder() {
	"$PY" - "$T/b1.json" "$T/$1.json" "$2" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
k = {"format": j["format"], "version": j["version"]}
for key in sys.argv[3].split():
    k[key] = j[key]
for key in j:
    k.setdefault(key, j[key])
json.dump(k, open(sys.argv[2], "w"), indent=2, ensure_ascii=False)
EOF
}
reorder order1 "enrollments"
bad order1 '"contacts" must come before "enrollments"'
reorder order2 "contacts templates suppressions enrollments"
bad order2 '"sequences" must come before "enrollments"'
reorder order3 "contacts sequences outbox"
bad order3 '"enrollments" must come before "outbox"'
reorder order4 "inbound"
bad order4 '"contacts" must come before "inbound"'

# sequences
mutate seqkey 'q[0]["steps"] = 2'
bad seqkey "seqkey.json: sequences[0]: unknown key 'steps'"
mutate seqsrc 'q[0]["source"] = q[0]["source"].replace("task = ", "tsk = ")'
bad seqsrc "seqsrc.json: sequences[0].source: sequence file line "
mutate seqname 'q[0]["name"] = "Other"'
bad seqname "seqname.json: sequences[0].name: 'Other' is not the name in its source ('Follow')"
mutate seqbadname 'q[0]["name"] = "a b"'
bad seqbadname "seqbadname.json: sequences[0].name: invalid sequence name 'a b'"
mutate seqtwice 'q.append(dict(q[0], id=2, source=q[0]["source"].replace("Follow", "FOLLOW"), name="FOLLOW"))'
bad seqtwice "seqtwice.json: sequences[1].name: sequence 'FOLLOW' is in the file twice"
mutate seqid 'q.append(dict(q[0]))'
bad seqid "seqid.json: sequences[1].id: sequence 1 is in the file twice"
mutate seqpaused 'q[0]["paused"] = "no"'
bad seqpaused "seqpaused.json: sequences[0].paused: not true or false"
mutate seqnosrc 'del q[0]["source"]'
bad seqnosrc "seqnosrc.json: sequences[0].source: missing"

# enrollments
mutate encontact 'n[0]["contact"] = 99'
bad encontact "encontact.json: enrollments[0].contact: contact 99 is not in the file"
mutate enseq 'n[1]["sequence"] = 98'
bad enseq "enseq.json: enrollments[1].sequence: sequence 98 is not in the file"
mutate endeal 'n[0]["deal"] = 97'
bad endeal "endeal.json: enrollments[0].deal: deal 97 is not in the file"
mutate enhold 'n[0]["hold_followup"] = 96'
bad enhold "enhold.json: enrollments[0].hold_followup: follow-up 96 is not in the file"
mutate enstate 'n[0]["state"] = "paused"'
bad enstate "enstate.json: enrollments[0].state: unknown state 'paused' (expected active or ended)"
mutate enended 'n[1]["ended"] = None'
bad enended "enended.json: enrollments[1].ended: missing for an ended enrollment"
mutate enstep 'n[0]["step"] = -1'
bad enstep "enstep.json: enrollments[0].step: not a whole number from 0 to 50"
mutate entz 'n[0]["tz"] = "Mars/Olympus"'
bad entz "entz.json: enrollments[0].tz: unknown time zone 'Mars/Olympus'"
mutate enstage 'n[0]["deal_stage"] = "Won!"'
bad enstage "enstage.json: enrollments[0].deal_stage: invalid stage 'Won!'"
mutate entwice 'n[1]["state"] = "active"; n[1]["contact"] = n[0]["contact"]'
bad entwice "entwice.json: enrollments[1].state: contact 1 is active in sequence 1 twice"
mutate enid 'n[1]["id"] = n[0]["id"]'
bad enid "enid.json: enrollments[1].id: enrollment 1 is in the file twice"
mutate enbase 'del n[0]["base_at"]'
bad enbase "enbase.json: enrollments[0].base_at: missing"
mutate fuenroll 'f = [f for c in j["contacts"] for f in c["followups"] if f["enrollment"]][0]
f["enrollment"] = 95'
bad fuenroll ".enrollment: enrollment 95 is not in the file"
mutate fuorigin 'c = j["contacts"][1]; c["followups"][0]["origin"] = "Mail!"'
bad fuorigin "fuorigin.json: contacts[1].followups[0].origin: invalid origin 'Mail!'"
mutate fuesc 'j["contacts"][1]["followups"][0]["escalated"] = "soon"'
bad fuesc "fuesc.json: contacts[1].followups[0].escalated: not a time"
mutate bytend 'j["contacts"][0]["interactions"][0]["by_tend"] = "yes"'
bad bytend "bytend.json: contacts[0].interactions[0].by_tend: not true or false"
mutate outenroll 'o[0]["enrollment"] = 94'
bad outenroll "outenroll.json: outbox[0].enrollment: enrollment 94 is not in the file"

# messages read
mutate inclass 'm[0]["class"] = "spam"'
bad inclass "inclass.json: inbound[0].class: unknown class 'spam'"
mutate incontact 'm[0]["contact"] = 93'
bad incontact "incontact.json: inbound[0].contact: contact 93 is not in the file"
mutate insource 'm[0]["source"] = "the MTA"'
bad insource "insource.json: inbound[0].source: invalid source 'the MTA'"
mutate inb64 'm[1]["data_base64"] = "not base64!"'
bad inb64 "inb64.json: inbound[1].data_base64: not base64"
mutate inboth 'm[1]["data"] = "From: x"'
bad inboth "inboth.json: inbound[1].data_base64: given with data: one of the two"
mutate innone 'm[0]["data"] = None'
bad innone "innone.json: inbound[0].data: missing (or data_base64)"
mutate inkey 'm[1]["key"] = m[0]["key"]'
bad inkey "inkey.json: inbound[1].key: 'r1@x.example' is in the file twice"
mutate inid 'm[1]["id"] = m[0]["id"]'
bad inid "inid.json: inbound[1].id: message read 1 is in the file twice"
mutate inwhy 'del m[0]["why"]'
bad inwhy "inwhy.json: inbound[0].why: missing"
mutate inat 'm[0]["received"] = 5'
bad inat "inat.json: inbound[0].received: not a time"

# mailboxes and soft bounces
mutate imuid 'j["imap_state"][0]["uidvalidity"] = 2 ** 32'
bad imuid "imuid.json: imap_state[0].uidvalidity: not a whole number from 0 to 4294967295"
mutate imtwice 'j["imap_state"].append(dict(j["imap_state"][0]))'
bad imtwice "imtwice.json: imap_state[1].mailbox: 'INBOX' is in the file twice"
mutate sbcount 'j["soft_bounces"][0]["count"] = 0'
bad sbcount "sbcount.json: soft_bounces[0].count: not a whole number from 1"
mutate sbtwice 'j["soft_bounces"].append(dict(j["soft_bounces"][0], address="FULL@example.net"))'
bad sbtwice "sbtwice.json: soft_bounces[1].address: 'FULL@example.net' is in the file twice"
mutate sbkey 'j["soft_bounces"][0]["first_at"] = None'
bad sbkey "sbkey.json: soft_bounces[0]: unknown key 'first_at'"

# ---- restore refuses a database with sequences or mail read ------------------

export TEND_DB="$T/seq.db"
run tend seq add "$T/follow.seq"
snapshot
run tend restore "$T/v2.json"
expect_rc 65 "restore into a database with only a sequence"
expect_err "the database is not empty" "says why"
expect_unchanged "nothing written"
export TEND_DB="$T/mail.db"
run tend inbound <"$T/latin1.eml"
snapshot
run tend restore "$T/v2.json"
expect_rc 65 "restore into a database with only mail read"
expect_unchanged "nothing written"
