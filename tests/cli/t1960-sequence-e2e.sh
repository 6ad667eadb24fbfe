#!/bin/sh
# End to end, with real servers on 127.0.0.1: dovecot for IMAP and
# postfix's smtp-sink for SMTP.  A contact in a 3-step sequence gets step
# 1; their out-of-office reply (read from the mailbox by tend tick) holds
# the sequence until the day they are back, and it goes on; their real
# reply ends it: step 3 is never sent and the reply is at the top of the
# agenda.  The same with a bounce and with an unsubscribe by mail.
. "$(dirname "$0")/lib.sh"
. tests/mail/servers.sh
. tests/mail/dovecot.sh
servers_need_sink
dovecot_need
servers_trap
sink_start "$T/sink"
dovecot_start "$T/imap"

run tend config mail.from "Sam Writer <sam@example.org>"
run tend config public_url https://tend.example.org
run tend config smtp.url "smtp://127.0.0.1:$SINK_PORT"
run tend config smtp.tls none
run tend config imap.url "imap://127.0.0.1:$IMAP_PORT/INBOX"
run tend config imap.tls none
run tend config imap.user "$IMAP_USER"
export TEND_IMAP_PASSWORD="$IMAP_PASS"

cat >"$T/three.seq" <<'EOF'
[sequence]
name = three-touches
description = Three touches after a first call
window = mon-fri 09:00-17:00

[step]
email = check-in
after = 0

[step]
email = nudge
after = 2

[step]
email = check-in
after = 2
EOF
run tend seq add "$T/three.seq"
expect_rc 0 "a 3-step sequence"

run tend add "Ann Lee" --email ann@acme.example
run tend add "Bea Bounce" --email bea@gone.example
run tend add "Uma Unsub" --email uma@example.net
for who in ann bea uma; do
	run tend enroll "$who" three-touches
	expect_rc 0 "enroll $who"
done

# the sent message to $1 that is number $2 (1: the first) in the sink
sent_to() {
	grep -l "^X-Rcpt-Args: <$1>" "$T/sink"/msg.* 2>/dev/null | while read -r f; do
		printf '%s %s\n' "$(sed -n 's/^Date: //p' "$f" | head -1)" "$f"
	done | sort | sed -n "${2}p" | sed 's/.* //'
}
count_to() {
	grep -l "^X-Rcpt-Args: <$1>" "$T/sink"/msg.* 2>/dev/null | wc -l |
	    tr -d ' '
}
mid_of() {
	sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$1" | head -1
}

# ---- Monday 09:00: step 1 goes to all three ----
TEND_NOW=2026-11-23T09:00 run tend tick --json
expect_rc 0 "tick on Monday"
expect_json 'j["sent"]' "3" "step 1 sent to the three"
for a in ann@acme.example bea@gone.example uma@example.net; do
	if [ "$(count_to $a)" = 1 ]; then _ok "step 1 reached smtp-sink for $a"
	else _notok "step 1 reached smtp-sink for $a" "$(count_to $a)"
	fi
done
ann1=$(mid_of "$(sent_to ann@acme.example 1)")
bea1=$(mid_of "$(sent_to bea@gone.example 1)")
uma1=$(sent_to uma@example.net 1)

# ---- Ann's out-of-office: back on 30 November ----
cat >"$T/ooo.eml" <<EOF
From: Ann Lee <ann@acme.example>
To: Sam Writer <sam@example.org>
Subject: Automatic reply: Checking in
Message-ID: <ooo1@acme.example>
In-Reply-To: <$ann1>
References: <$ann1>
Auto-Submitted: auto-replied
Date: Mon, 23 Nov 2026 09:01:00 +0000

I am out of the office and back on 30 November. I will answer then.
EOF
dovecot_deliver "$T/ooo.eml"

# ---- Bea's address bounces ----
cat >"$T/dsn.eml" <<EOF
From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: sam@example.org
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn1@mx.example.org>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"
Date: Mon, 23 Nov 2026 09:02:00 +0000

--b1
Content-Type: text/plain

Your message could not be delivered to <bea@gone.example>.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; bea@gone.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 no such user

--b1
Content-Type: text/rfc822-headers

From: Sam Writer <sam@example.org>
To: Bea Bounce <bea@gone.example>
Message-ID: <$bea1>
Subject: Checking in

--b1--
EOF
dovecot_deliver "$T/dsn.eml"

# ---- Uma unsubscribes by mail, with the link's mailto ----
utok=$(sed -n 's/.*mailto:sam@example.org?subject=unsubscribe%20\([A-Za-z0-9_.-]*\)>.*/\1/p' \
    "$uma1" | head -1)
if [ -n "$utok" ]; then _ok "step 1 to Uma carries the unsubscribe mailto"
else _notok "step 1 to Uma carries the unsubscribe mailto" "$(grep -i unsub "$uma1")"
fi
cat >"$T/unsub.eml" <<EOF
From: Uma Unsub <uma@example.net>
To: sam@example.org
Subject: unsubscribe $utok
Message-ID: <u1@example.net>
Date: Mon, 23 Nov 2026 09:03:00 +0000

EOF
dovecot_deliver "$T/unsub.eml"

TEND_NOW=2026-11-23T10:00 run tend tick --json
expect_rc 0 "tick reads the mailbox"
expect_json 'j["fetched"]' "3" "three messages read"
expect_json 'j["fetch_error"]' "null" "the poll worked"
run tend enrollments --all --json
expect_json '{e["contact"]["name"] if isinstance(e["contact"], dict) else e["contact"]: e["state"] for e in j}' \
    '{"Ann Lee": "active", "Bea Bounce": "ended", "Uma Unsub": "ended"}' \
    "the out-of-office keeps Ann in; the bounce and the unsubscribe end the others"
run tend unsubscribe --list --json
expect_json 'sorted((s["address"], s["reason"]) for s in j)' \
    '[["bea@gone.example", "bounced"], ["uma@example.net", "unsubscribed"]]' \
    "Bea's address bounced, Uma's unsubscribed"
run tend inbound --list --json
expect_json 'sorted(m["class"] for m in j)' '["auto-reply", "bounce", "unsubscribe"]' \
    "each read for what it is"

# Wednesday: step 2 would be due, but Ann is away until Monday 30
TEND_NOW=2026-11-25T09:30 run tend tick --json
expect_json 'j["sent"]' "0" "nothing on Wednesday: Ann is out of office"
TEND_NOW=2026-11-27T16:00 run tend tick --json
expect_json 'j["sent"]' "0" "nor on Friday"
if [ "$(count_to bea@gone.example)" = 1 ] && [ "$(count_to uma@example.net)" = 1 ]
then _ok "no step 2 to Bea or Uma"
else _notok "no step 2 to Bea or Uma" "$(count_to bea@gone.example) $(count_to uma@example.net)"
fi

# Monday 30: she is back, the sequence goes on
TEND_NOW=2026-11-30T09:00 run tend tick --json
expect_json 'j["sent"]' "1" "step 2 goes on the day she is back"
if [ "$(count_to ann@acme.example)" = 2 ]; then _ok "step 2 reached smtp-sink"
else _notok "step 2 reached smtp-sink" "$(count_to ann@acme.example)"
fi
ann2=$(mid_of "$(sent_to ann@acme.example 2)")

# ---- Ann replies for real ----
cat >"$T/reply.eml" <<EOF
From: "Ann Lee" <ann@acme.example>
To: Sam Writer <sam@example.org>
Subject: Re: Quick question, Ann
Message-ID: <reply1@acme.example>
In-Reply-To: <$ann2>
References: <$ann1> <$ann2>
Date: Mon, 30 Nov 2026 10:15:00 +0000

Yes, let's talk on Thursday.

Ann
EOF
dovecot_deliver "$T/reply.eml"
TEND_NOW=2026-11-30T10:30 run tend tick --json
expect_json 'j["fetched"]' "1" "the reply is read"
run tend enrollments --all --json
expect_json '[(e["state"], e.get("reason") or e.get("end_reason")) for e in j if (e["contact"]["name"] if isinstance(e["contact"], dict) else e["contact"]) == "Ann Lee"]' \
    '[["ended", "replied"]]' "the reply ends Ann's enrollment"
TEND_NOW=2026-11-30T10:31 run tend today --json
expect_json '(j["items"][0]["kind"], j["items"][0]["contact"]["name"])' \
    '["reply", "Ann Lee"]' "the reply is at the top of the agenda"
run tend show ann --json
expect_json '[i["summary"] for i in j["interactions"] if "ended" in (i.get("summary") or "")]' \
    '["sequence '"'"'three-touches'"'"' ended: replied"]' "the exit is on the timeline"

# step 3 would be due on Wednesday 2 December: it is never sent
for day in 2026-12-02T09:30 2026-12-04T09:30 2026-12-09T09:30; do
	TEND_NOW=$day run tend tick --json
done
if [ "$(count_to ann@acme.example)" = 2 ]; then _ok "step 3 is never sent"
else _notok "step 3 is never sent" "$(count_to ann@acme.example) messages to Ann"
fi
if [ "$(dovecot_flags 1)" = "" ]; then _ok "the messages read stay unread in the mailbox"
else _notok "the messages read stay unread in the mailbox" "$(dovecot_flags 1)"
fi

# a second poll reads nothing again
TEND_NOW=2026-12-09T10:00 run tend fetch --json
expect_json '(j["read"], j["duplicates"])' '[0, 0]' "nothing is read twice"
