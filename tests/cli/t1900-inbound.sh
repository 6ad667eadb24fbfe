#!/bin/sh
# tend inbound: one message on standard input, as an MTA pipe hands it
# over.  Inquiries are acknowledged at once (threaded, Auto-Submitted,
# never twice in 7 days, never to automated mail); replies go to the top
# of the agenda and keep the answers to the questions; bounces,
# complaints and unsubscribe requests suppress the address; a message is
# read once; bytes that are not a message are quarantined; a busy
# database exits 75 and writes nothing, and the next delivery works.
. "$(dirname "$0")/lib.sh"

C=../shared/corpus/eml
run tend config mail.from "Sam Writer <sam@example.org>"
run tend config inbound.address hello@example.org
run tend config public_url https://tend.example.org
run tend add "Kim Known" --email kim@known.example

msg() {
	# msg FILE FROM TO SUBJECT MESSAGE-ID [HEADER...] < body
	f=$1 from=$2 to=$3 subj=$4 mid=$5
	shift 5
	{
		printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s>\n' \
		    "$from" "$to" "$subj" "$mid"
		printf 'Date: Mon, 23 Nov 2026 08:59:00 +0000\n'
		for h in "$@"; do printf '%s\n' "$h"; done
		printf '\n'
		cat
	} >"$T/$f"
}

# ---- usage and dry runs write nothing ----
snapshot
run tend inbound extra
expect_rc 2 "no positional arguments"
run tend inbound --source 'bad name' </dev/null
expect_rc 2 "a bad --source is a usage error (not 75)"
run tend inbound --list --show 1
expect_rc 2 "--list and --show together"
expect_unchanged "usage errors write nothing"

msg inq.eml "Ann Lee <ann@acme.example>" "hello@example.org" \
    "Website redesign" "inq1@acme.example" <<'EOF'
Hi, we need a new website for our bakery. Can you help?
Ann
EOF
snapshot
run tend inbound --dry-run --json <"$T/inq.eml"
expect_rc 0 "dry run"
expect_json 'j["class"]' "inquiry" "an inquiry: to the inquiry address"
expect_json 'j["contact"]' "null" "from nobody known yet"
expect_json 'sorted(j)' '["class", "contact", "why"]' "class, contact and why only"
expect_unchanged "a dry run writes nothing"

# ---- an inquiry ----
run tend inbound <"$T/inq.eml"
expect_rc 0 "read an inquiry"
expect_out "inquiry from Ann Lee: to the inquiry address
  new contact; inquiry on the agenda; acknowledged (message 1)" \
    "says what it was and what tend did"
run tend show ann --json
expect_json 'j["source"]' "inbound" "a new contact, source inbound"
expect_json 'j["emails"][0]["address"] if isinstance(j["emails"][0], dict) else j["emails"][0]' \
    "ann@acme.example" "with the sender's address"
run tend today --json
expect_json '[(i["kind"], i["contact"]["name"]) for i in j["items"]][:1]' \
    '[["inquiry", "Ann Lee"]]' "the inquiry is at the top of the agenda"
run tend outbox --json
expect_json '[(m["template"], m["state"], m["to"]) for m in j]' \
    '[["inquiry-ack", "queued", "ann@acme.example"]]' "the acknowledgement is queued"
run tend outbox show 1
expect_has "In-Reply-To: <inq1@acme.example>" "threaded: In-Reply-To"
expect_has "Subject: Re: Website redesign" "Re: their subject"
expect_has "Auto-Submitted: auto-replied" "Auto-Submitted (RFC 3834)"
expect_has "X-Auto-Response-Suppress: All" "no vacation replies to it"
expect_lacks "List-Unsubscribe" "an answer to them, not a mailing"
expect_has "today by 11:00" "says when the user will answer (work hours)"
expect_has "- Who decides?" "asks the qualifying questions"

# the same message again: read once
snapshot
run tend inbound <"$T/inq.eml"
expect_rc 0 "the same message again"
expect_out "already read (message 1): nothing done" "says it was read"
expect_unchanged "nothing written twice"

# a second inquiry from the same address within 7 days gets no second
# acknowledgement (Ann is known now, so her mail is a reply: Otto, whose
# contact was deleted after his first inquiry, shows it)
msg otto1.eml "Otto Once <otto@one.example>" "hello@example.org" \
    "Prices?" "o1@one.example" </dev/null
run tend inbound <"$T/otto1.eml"
expect_has "acknowledged (message 2)" "Otto's first inquiry is acknowledged"
run tend rm otto --purge
msg otto2.eml "Otto Once <otto@one.example>" "hello@example.org" \
    "Prices again" "o2@one.example" </dev/null
run tend inbound <"$T/otto2.eml"
expect_rc 0 "a second inquiry from the same address"
expect_has "not acknowledged again: one went to them in the last 7 days" \
    "no second acknowledgement within 7 days"
msg ann2.eml "Ann Lee <ann@acme.example>" "hello@example.org" \
    "Also a logo" "inq2@acme.example" </dev/null
run tend inbound --json <"$T/ann2.eml"
expect_json 'j["class"]' "reply" "a known contact writing again is a reply"

# automated mail to the inquiry address: recorded, not acknowledged
msg auto.eml "News <news@list.example>" "hello@example.org" "Weekly news" \
    "n1@list.example" "List-Id: <news.list.example>" "Precedence: bulk" </dev/null
run tend inbound --json <"$T/auto.eml"
expect_rc 0 "list mail to the inquiry address"
expect_json 'j["class"] != "inquiry" or "not acknowledged" in j["effect"]' "true" \
    "never acknowledged"

# ---- a reply to the acknowledgement: answers kept, top of the agenda ----
run tend outbox --json
ack=$(json '[m for m in j if m["to"] == "ann@acme.example"][0]["message_id"]')
msg rep.eml "Ann Lee <ann@acme.example>" "Sam Writer <sam@example.org>" \
    "Re: Website redesign" "rep1@acme.example" "In-Reply-To: <$ack>" \
    "References: <inq1@acme.example> <$ack>" <<'EOF'
Hi Sam,

> - What are you looking for?
A new site with online ordering.
> - Why now?
Our old site broke last week.
> - Who decides?
Me and my partner Bo.

Best,
Ann
EOF
TEND_NOW=2026-11-23T09:10 run tend inbound --json <"$T/rep.eml"
expect_json 'j["class"]' "reply" "a reply"
expect_json 'j["contact"]["name"]' "Ann Lee" "from Ann"
expect_json '"3 answers kept" in j["effect"]' "true" "the three answers are kept"
run tend show ann --json
expect_json 'j["needs"]' "A new site with online ordering." "the first answer is the need"
expect_json '"Who decides? Me and my partner Bo." in j["notes"]' "true" \
    "the answers are in the notes"

# ---- a reply from a known contact (no thread) ----
msg kim.eml "Kim Known <KIM@known.example>" "sam@example.org" "Lunch?" \
    "k1@known.example" <<'EOF'
Lunch next week?
EOF
run tend inbound --json <"$T/kim.eml"
expect_json 'j["class"]' "reply" "mail from a contact's address is a reply"
run tend today --json
expect_json '[i["action"] for i in j["items"] if i["contact"]["name"] == "Kim Known"]' \
    '["Reply to Kim Known: Lunch?"]' "reply to Kim is on the agenda"
expect_json '[i["kind"] for i in j["items"] if i["contact"]["name"] == "Kim Known"]' \
    '["reply"]' "as a reply item, at the top"

# the user's own Sent copy is never a reply
msg own.eml "Sam Writer <sam@example.org>" "kim@known.example" "Re: Lunch?" \
    "s1@example.org" </dev/null
run tend inbound --json <"$T/own.eml"
expect_json 'j["class"] != "reply"' "true" "mail from the user's own address is not a reply"

# ---- bounces ----
run tend add "Bea Bounce" --email bea@gone.example
run tend inbound --json <"$C/dsn-postfix.eml"
expect_rc 0 "a postfix bounce"
expect_json 'j["class"]' "bounce" "read as a bounce"
run tend inbound --json <"$C/bounce-gmail-plaintext-not-rfc3464.eml"
expect_json 'j["class"]' "bounce" "a Gmail plain-text bounce too"
run tend unsubscribe --list --json
expect_json 'len([s for s in j if s["reason"] == "bounced"]) >= 2' "true" \
    "the bounced addresses are suppressed"

# ---- unsubscribe by mail, and a complaint ----
run tend add "Uma Unsub" --email uma@example.net
msg unsub.eml "Uma Unsub <uma@example.net>" "sam@example.org" "unsubscribe" \
    "u1@example.net" </dev/null
run tend inbound --json <"$T/unsub.eml"
expect_json 'j["class"]' "unsubscribe" "an unsubscribe request"
run tend unsubscribe --list --json
expect_json '[s["reason"] for s in j if s["address"] == "uma@example.net"]' \
    '["unsubscribed"]' "Uma is unsubscribed"

# ---- an out-of-office ----
run tend inbound --json <"$C/autoreply-auto-submitted-vacation.eml"
expect_json 'j["class"]' "auto-reply" "a vacation reply"

# ---- not a message: quarantined, exit 0 ----
printf '\001\002\003 not mail at all' >"$T/junk.bin"
run tend inbound <"$T/junk.bin"
expect_rc 0 "junk is taken (the MTA must not retry it forever)"
expect_err "quarantined" "and reported"
n=$(ls "$T/quarantine" 2>/dev/null | wc -l)
if [ "$n" = 1 ] && cmp -s "$T/junk.bin" "$T/quarantine/"*.eml; then
	_ok "kept whole in the quarantine folder"
else _notok "kept whole in the quarantine folder" "$(ls -la "$T/quarantine" 2>&1)"
fi
run tend inbound --dry-run --json <"$T/junk.bin"
expect_json 'j["class"]' "other" "a dry run of junk says other"

# ---- list and show ----
run tend inbound --list --json
expect_json '[m["class"] for m in j][-1]' "inquiry" "the first message read is the inquiry"
run tend inbound --show 1
expect_has "Hi, we need a new website" "the message is kept whole"
run tend inbound --show 999
expect_rc 65 "no such message"

# ---- a busy database: 75, nothing written, the retry works ----
msg late.eml "Lou Late <lou@late.example>" "hello@example.org" "Quote please" \
    "late1@late.example" </dev/null
if mkfifo "$T/fifo" 2>/dev/null; then
	sqlite3 "$TEND_DB" <"$T/fifo" >"$T/locker.out" 2>&1 &
	locker=$!
	exec 7>"$T/fifo"
	echo "BEGIN EXCLUSIVE; INSERT INTO tags (name) VALUES ('locker');
	    SELECT 'locked';" >&7
	i=0
	while [ "$(cat "$T/locker.out")" != locked ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	run tend inbound <"$T/late.eml"
	expect_rc 75 "a locked database exits 75 (EX_TEMPFAIL)"
	expect_err "locked" "and says why"
	echo "ROLLBACK;" >&7
	exec 7>&-
	wait "$locker"
	run tend inbound --json <"$T/late.eml"
	expect_rc 0 "the MTA's retry is read"
	expect_json 'j["class"]' "inquiry" "as the inquiry it is"
	run tend inbound --list --json
	expect_json 'len([m for m in j if m["from"] == "lou@late.example"])' "1" \
		"recorded once"
else
	echo "skip - mkfifo is not available"
fi

# a bad setting: 75 too (the MTA keeps the message until it is mended)
printf 'respect.hours = nonsense\n' >>"$TEND_CONFIG"
run tend inbound <"$T/late.eml"
expect_rc 75 "a bad setting exits 75, not 65"
