#!/bin/sh
# tend tick and tend worker: several at once on one database never fire
# a step or send a message twice; an inquiry still unanswered after
# inquiry.escalate minutes is escalated once, with a notice to the user;
# tend worker acknowledges an inquiry while it runs, and SIGTERM ends it
# cleanly.
. "$(dirname "$0")/lib.sh"
. tests/mail/servers.sh
servers_need_sink
servers_trap
sink_start "$T/sink"

run tend config mail.from "Sam Writer <sam@example.org>"
run tend config public_url https://tend.example.org
run tend config smtp.url "smtp://127.0.0.1:$SINK_PORT"
run tend config smtp.tls none
run tend config inbound.address hello@example.org
run tend config inquiry.notify sam.phone@example.org

cat >"$T/one.seq" <<'EOF'
[sequence]
name = hello
window = mon-fri 09:00-17:00
[step]
email = check-in
EOF
run tend seq add "$T/one.seq"
i=1
while [ $i -le 40 ]; do
	run tend add "Person $i" --email "p$i@example.net"
	run tend enroll "p$i@example.net" hello
	i=$((i + 1))
done

# three ticks at once (each waits for the others' short transactions)
export TEND_BUSY_MS=20000
TEND_NOW=2026-11-23T09:00 "$TEND" tick >"$T/t1" 2>&1 &
p1=$!
TEND_NOW=2026-11-23T09:00 "$TEND" tick >"$T/t2" 2>&1 &
p2=$!
TEND_NOW=2026-11-23T09:00 "$TEND" tick >"$T/t3" 2>&1 &
p3=$!
ok=0
wait $p1 || ok=1
wait $p2 || ok=1
wait $p3 || ok=1
if [ $ok = 0 ]; then _ok "three ticks at once all succeed"
else _notok "three ticks at once all succeed" "$(cat "$T/t1" "$T/t2" "$T/t3")"
fi
got=$(sqlite3 "$TEND_DB" "SELECT count(*), count(DISTINCT contact_id) FROM outbox")
if [ "$got" = "40|40" ]; then _ok "each step fired once: 40 messages for 40 people"
else _notok "each step fired once: 40 messages for 40 people" "$got"
fi
export TEND_BUSY_MS=200
TEND_NOW=2026-11-23T09:00 run tend tick
if [ "$(sink_count "$T/sink")" = 40 ]; then _ok "each message sent once"
else _notok "each message sent once" "$(sink_count "$T/sink") in the sink"
fi

# ---- escalation ----
printf 'From: Ivy Inbound <ivy@lead.example>\nTo: hello@example.org\nSubject: Quote for a logo\nMessage-ID: <ivy1@lead.example>\n\nHow much for a logo?\n' >"$T/ivy.eml"
TEND_NOW=2026-11-23T10:00 run tend inbound <"$T/ivy.eml"
expect_has "acknowledged" "the inquiry is acknowledged"
TEND_NOW=2026-11-23T10:10 run tend tick --json
expect_json 'j["escalated"]' "0" "not escalated after 10 minutes"
TEND_NOW=2026-11-23T10:16 run tend tick --json
expect_json 'j["escalated"]' "1" "escalated after 15 minutes"
TEND_NOW=2026-11-23T10:20 run tend tick --json
expect_json 'j["escalated"]' "0" "once only"
f=$(grep -l "^X-Rcpt-Args: <sam.phone@example.org>" "$T/sink"/msg.* 2>/dev/null)
if [ -n "$f" ] && [ "$(printf '%s\n' "$f" | wc -l)" = 1 ]; then
	_ok "one notice to inquiry.notify"
else _notok "one notice to inquiry.notify" "$f"
fi
sink_message "$f" >"$T/notice"
if grep -q "^Subject: Ivy Inbound has waited 16 minutes for an answer" "$T/notice"
then _ok "the notice says who and how long"
else _notok "the notice says who and how long" "$(cat "$T/notice")"
fi
TEND_NOW=2026-11-23T10:20 run tend today --json
expect_json '(j["items"][0]["action"], j["items"][0]["why"])' \
    '["ANSWER NOW: Quote for a logo", "waiting 20 min, past your 15 min promise"]' \
    "louder on the agenda"
run tend show ivy --json
expect_json '[f["reason"] for f in j["followups"] if f["state"] == "open"]' \
    '["Quote for a logo"]' "the inquiry stays open until answered"

# ---- tend worker: acknowledges while it runs, SIGTERM ends it ----
run tend config worker.interval 1
before=$(sink_count "$T/sink")
unset TEND_NOW
"$TEND" worker >"$T/worker.out" 2>"$T/worker.err" &
wpid=$!
sleep 1
printf 'From: Wes Worker <wes@lead.example>\nTo: hello@example.org\nSubject: Are you free in May\nMessage-ID: <wes1@lead.example>\n\nHi!\n' >"$T/wes.eml"
run tend inbound <"$T/wes.eml"
expect_rc 0 "an inquiry while the worker runs"
k=0
while [ "$(sink_count "$T/sink")" = "$before" ] && [ $k -lt 100 ]; do
	sleep 0.1
	k=$((k + 1))
done
if [ "$(sink_count "$T/sink")" = $((before + 1)) ]; then
	_ok "the worker sent the acknowledgement at once"
else _notok "the worker sent the acknowledgement at once" "$(sink_count "$T/sink") - $before"
fi
kill -TERM $wpid
wrc=0
wait $wpid || wrc=$?
if [ $wrc = 0 ] && grep -q "^stopped: " "$T/worker.out"; then
	_ok "SIGTERM: a clean exit with a summary"
else _notok "SIGTERM: a clean exit with a summary" "rc $wrc" "$(cat "$T/worker.out" "$T/worker.err")"
fi

# ---- tend inbound --queue: kept at once, read by the worker ----
before=$(sink_count "$T/sink")
"$TEND" worker >"$T/worker2.out" 2>"$T/worker2.err" &
wpid=$!
printf 'From: Quinn Queue <quinn@lead.example>\nTo: hello@example.org\nSubject: A quote, quickly\nMessage-ID: <quinn1@lead.example>\n\nHello\n' >"$T/quinn.eml"
run tend inbound --queue <"$T/quinn.eml"
expect_rc 0 "--queue keeps the message"
expect_has "queued (1): tend worker reads it" "and says the worker reads it"
k=0
while [ "$(sink_count "$T/sink")" = "$before" ] && [ $k -lt 100 ]; do
	sleep 0.1
	k=$((k + 1))
done
if [ "$(sink_count "$T/sink")" = $((before + 1)) ]; then
	_ok "the worker read it and sent the acknowledgement"
else _notok "the worker read it and sent the acknowledgement" "$(sink_count "$T/sink") - $before" "$(cat "$T/worker2.err")"
fi
kill -TERM $wpid
wait $wpid
run tend inbound --list --json
expect_json '[(m["class"], m["source"]) for m in j if m["from"] == "quinn@lead.example"]' \
    '[["inquiry", "stdin"]]' "recorded once, as an inquiry"
got=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM inbound_spool")
if [ "$got" = 0 ]; then _ok "the spool is empty again"
else _notok "the spool is empty again" "$got"
fi

# a queued message is read by tend tick too; junk is quarantined
export TEND_NOW=2026-11-23T12:00
printf '\001\002 junk' >"$T/junk"
run tend inbound --queue <"$T/junk"
run tend inbound --queue <"$T/quinn.eml"
run tend inbound --queue --dry-run <"$T/quinn.eml"
expect_rc 2 "--queue with --dry-run is a usage error"
run tend tick --json
expect_json 'j["fetched"]' "0" "the same message again: read before"
n=$(ls "$T/quarantine" | wc -l)
if [ "$n" = 1 ]; then _ok "the junk went to quarantine"
else _notok "the junk went to quarantine" "$n"
fi
got=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM inbound_spool")
if [ "$got" = 0 ]; then _ok "tick empties the spool"
else _notok "tick empties the spool" "$got"
fi
