#!/bin/sh
# tend send against a scripted SMTP server (tests/mail/smtpd.py): a
# temporary refusal is retried and the message arrives once; a refused
# recipient fails at once and the address is marked bounced; a dropped
# connection and a server that never answers are retried; retries give
# up after about four and a half days; AUTH takes the password from the
# environment or a file, and it never shows.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../mail/servers.sh"
servers_need_smtpd
servers_trap

run tend config mail.from "Sam Smith <sam@example.org>"
run tend config sender.name "Sam"
run tend config smtp.tls none
run tend config smtp.timeout 2
run tend add "Ann Lee" --email ann@example.com
run tend add "Bob Stone" --email bob@example.com
run tend add "Cleo Park" --email cleo@example.com

# 451, then 250: retried, and sent once
smtpd_start "$T/s1" --script 451,250 || exit 1
run tend config smtp.url "smtp://127.0.0.1:$SMTPD_PORT"
run tend mail ann check-in
run tend send --once --json
expect_json '[j["sent"], j["deferred"], j["next_attempt"]]' '[0, 1, "2026-11-23T09:05:00+00:00"]' \
    "451: deferred five minutes"
run tend outbox --json
expect_json 'j[0]["last_reply"].startswith("451")' true "the reply is kept"
TEND_NOW=2026-11-23T09:04 run tend send --once --json
expect_json 'j["sent"]' 0 "not before its time"
TEND_NOW=2026-11-23T09:05 run tend send --once --json
expect_json 'j["sent"]' 1 "then sent"
n=$(smtpd_count "$T/s1")
[ "$n" = 1 ] && _ok "it arrived once" || _notok "it arrived once" "got $n"
run "$PY" "$(dirname "$0")/../mail/parse-check.py" "$T/s1/msg.0001" --to ann@example.com
expect_rc 0 "exact bytes on the wire: CRLF, and Python reads it"
run tend outbox --json
expect_json '[j[0]["state"], j[0]["attempts"]]' '["sent", 2]' "two attempts"
smtpd_stop

# 550 on RCPT: failed at once, the address bounced, no more mail to it
smtpd_start "$T/s2" --bad-rcpt bob@example.com || exit 1
run tend config smtp.url "smtp://127.0.0.1:$SMTPD_PORT"
run tend mail bob check-in
run tend send --once --json
expect_json '[j["sent"], j["failed"], j["waiting"]]' '[0, 1, 0]' "550: failed"
run tend outbox --state failed --json
expect_json 'j[0]["reason"]' "the address was refused (bounced)" "says why"
expect_json 'j[0]["last_reply"].startswith("550")' true "with the server's words"
run tend unsubscribe --list --json
expect_json '[(s["address"], s["reason"]) for s in j]' '[["bob@example.com", "bounced"]]' \
    "the address is marked bounced"
snapshot
run tend mail bob check-in
expect_rc 65 "no more mail to a bounced address"
expect_err "bounced" "says why"
expect_unchanged "nothing queued"
run tend outbox retry 1
expect_rc 65 "a sent message cannot be retried"
run tend unsubscribe --remove bob@example.com
expect_rc 0 "a bounce can be lifted (the address works again)"
run tend mail bob check-in
expect_rc 0 "then mail may be queued again"
run tend outbox cancel 3
expect_rc 0 "(cancelled)"
smtpd_stop

# 554 after DATA: failed, but the address is not marked bounced
smtpd_start "$T/s3" --script 554 || exit 1
run tend config smtp.url "smtp://127.0.0.1:$SMTPD_PORT"
run tend mail cleo check-in
run tend send --once --json
expect_json '[j["sent"], j["failed"]]' '[0, 1]' "554: failed"
run tend unsubscribe --list --json
expect_json 'len(j)' 0 "554 after DATA marks nothing bounced"
smtpd_stop

# dropped in the middle of DATA: retried on a new connection
smtpd_start "$T/s4" --drop-in-data 1 || exit 1
run tend config smtp.url "smtp://127.0.0.1:$SMTPD_PORT"
run tend mail ann nudge
run tend send --once --json
expect_json '[j["sent"], j["deferred"]]' '[0, 1]' "a dropped connection: deferred"
TEND_NOW=2026-11-23T09:05 run tend send --once --json
expect_json 'j["sent"]' 1 "sent on the retry"
n=$(smtpd_count "$T/s4")
[ "$n" = 1 ] && _ok "stored once" || _notok "stored once" "got $n"
c=$(smtpd_connections "$T/s4")
[ "$c" = 2 ] && _ok "on a new connection" || _notok "on a new connection" "$c connections"
smtpd_stop

# a server that never answers: the timeout, then a retry
smtpd_start "$T/s5" --silent || exit 1
run tend config smtp.url "smtp://127.0.0.1:$SMTPD_PORT"
run tend mail ann check-in
start=$(date +%s)
run tend send --once --json
took=$(( $(date +%s) - start ))
expect_json '[j["sent"], j["deferred"]]' '[0, 1]' "silence: deferred"
[ "$took" -le 30 ] && _ok "within the timeout" || _notok "within the timeout" "took ${took}s"
smtpd_stop

# nobody listening: deferred
port=$(free_port)
run tend config smtp.url "smtp://127.0.0.1:$port"
TEND_NOW=2026-11-23T09:10 run tend send --once --json
expect_json '[j["sent"], j["deferred"]]' '[0, 1]' "connection refused: deferred"

# giving up after about four and a half days of 4xx
smtpd_start "$T/s6" --script '451*' || exit 1
run tend config smtp.url "smtp://127.0.0.1:$SMTPD_PORT"
t=2026-11-23T09:20
for step in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
	TEND_NOW=$t run tend send --once --json
	next=$(json 'j["next_attempt"]')
	[ "$next" = "None" ] || [ "$next" = "null" ] && break
	t=$next
done
run tend outbox --state failed --json
expect_json '[m["reason"] for m in j if m["reason"].startswith("gave up")]' \
    '["gave up after 32 attempts over 105 hours"]' "gave up, and says after how long"
run tend outbox --state deferred --json
expect_json 'len(j)' 0 "nothing left deferred"
smtpd_stop

# AUTH: the password from the environment or a 0600 file; never shown
smtpd_start "$T/s7" --auth sam:s3cret || exit 1
run tend config smtp.url "smtp://127.0.0.1:$SMTPD_PORT"
run tend config smtp.user sam
run tend mail ann check-in
TEND_SMTP_PASSWORD=wrong TEND_NOW=2026-11-30T09:00 run tend send --once
expect_rc 69 "a wrong password: the sender stops"
expect_err "the mail server refused the login: 535" "says why"
run tend outbox --json
expect_json '[m["state"] for m in j if m["to"] == "ann@example.com"][-1]' deferred \
    "the message waits; it is not its fault"
expect_json '[m["attempts"] for m in j][-1]' 0 "and it does not count as an attempt"
if printf '%s' "$out$err" | grep -q wrong; then _notok "the password never shows"
else _ok "the password never shows"; fi
printf 's3cret\n' >"$T/pw"
chmod 600 "$T/pw"
run tend config smtp.password_file "$T/pw"
TEND_NOW=2026-11-30T10:00 run tend send --once --json
expect_json 'j["sent"]' 1 "the password from a 0600 file"
grep -q s3cret "$TEND_CONFIG" && _notok "not in the config file" || _ok "not in the config file"
sqlite3 "$TEND_DB" .dump | grep -q s3cret && _notok "not in the database" || _ok "not in the database"
smtpd_stop
