#!/bin/sh
# kill -9 of tend send while it sends 1,000 messages, again and again:
# no message is lost, and every duplicate is one a sender had sent but
# not yet recorded when it died (at most one per sender per kill, the
# window the design allows).  Leases: a killed sender's message is taken
# again once its lease has run out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../mail/servers.sh"
servers_need_sink
servers_trap

N=1000
sink_start "$T/sink" || exit 1
run tend config mail.from "Sam Smith <sam@example.org>"
run tend config sender.name "Sam"
run tend config public_url https://tend.example.org
run tend config smtp.url "smtp://127.0.0.1:$SINK_PORT"
run tend config smtp.tls none
run tend config mail.connections 2
run tend config mail.lease 10
{
	echo "Name,E-mail"
	i=1
	while [ $i -le $N ]; do
		echo "Person $i,p$i@example.com"
		i=$((i + 1))
	done
} >"$T/people.csv"
run tend import "$T/people.csv" -t crowd
expect_rc 0 "import $N people"
run tend mail --tag crowd check-in
expect_rc 0 "queue $N messages"
expect_out "queued $N messages to contacts tagged 'crowd'" "all of them"

kills=0
minute=0
sent=0
# each run is killed once it has sent another 120 or so: mid-run, however
# fast the machine
for round in 1 2 3 4 5 6; do
	minute=$((minute + 1))
	TEND_NOW=$(printf '2026-11-23T09:%02d' "$minute") "$TEND" send --once \
	    >/dev/null 2>&1 &
	pid=$!
	target=$((sent + 120))
	i=0
	while [ $i -lt 500 ] && kill -0 "$pid" 2>/dev/null; do
		n=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM outbox WHERE state = 'sent'" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge $target ] && break
		sleep 0.02
		i=$((i + 1))
	done
	if kill -9 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null
		sent=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM outbox WHERE state = 'sent'")
		# a kill counts when it cut a run short
		[ "$sent" -lt $N ] && kills=$((kills + 1))
	else
		wait "$pid" 2>/dev/null
		sent=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM outbox WHERE state = 'sent'")
	fi
	ic=$(sqlite3 "$TEND_DB" "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] && _ok "run $round killed with $sent sent: integrity ok" ||
	    _notok "run $round killed: integrity" "$ic"
done
[ $kills -ge 3 ] && _ok "killed $kills times mid-run" ||
    _notok "killed mid-run at least 3 times" "only $kills (the machine sent too fast)"
sent=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM outbox WHERE state = 'sent'")
[ "$sent" -gt 0 ] && _ok "messages went out between the kills ($sent)" ||
    _notok "messages went out between the kills" "none"

# what the dead senders held comes free when its lease runs out
TEND_NOW=2026-11-23T10:00 run tend send --once --json
expect_rc 0 "a last run finishes the work"
run tend outbox --json
expect_json 'sorted(set(m["state"] for m in j))' '["sent"]' "every message is sent"
expect_json 'len(j)' "$N" "all $N"
json '"\n".join(sorted(m["message_id"] for m in j))' >"$T/queued"

for f in "$T"/sink/msg.*; do
	sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$f"
done | sort >"$T/arrived"
sort -u "$T/arrived" >"$T/arrived-once"
if cmp -s "$T/queued" "$T/arrived-once"; then
	_ok "every queued Message-ID arrived: none lost"
else
	_notok "every queued Message-ID arrived" "$(diff "$T/queued" "$T/arrived-once" | head -5)"
fi
total=$(wc -l <"$T/arrived")
dups=$((total - N))
max=$((kills * 2))
if [ $dups -le $max ]; then
	_ok "duplicates: $dups, within the window (at most $max: one per sender per kill)"
else
	_notok "duplicates within the window" "$dups duplicates for $kills kills of 2 senders"
fi
n=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM interactions WHERE kind = 'email'")
[ "$n" = "$N" ] && _ok "each sent message is on a timeline once" ||
    _notok "each sent message is on a timeline once" "$n interactions"
