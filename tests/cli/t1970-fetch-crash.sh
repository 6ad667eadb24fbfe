#!/bin/sh
# tend fetch against a real dovecot: kill -9 in the middle of a poll
# loses nothing and records nothing twice; a poll after it reads the
# rest.  A mailbox whose UIDVALIDITY changed is read again from the start
# without recording a message twice.  Failures: a wrong password (exit
# 69, nothing written), no imap.url (exit 2), clear text to a server not
# on this machine (65).
. "$(dirname "$0")/lib.sh"
. tests/mail/servers.sh
. tests/mail/dovecot.sh
dovecot_need
servers_trap
dovecot_start "$T/imap"

run tend config mail.from "Sam Writer <sam@example.org>"
run tend config inbound.address hello@example.org

snapshot
run tend fetch
expect_rc 2 "no imap.url: usage error"
expect_err "imap.url" "says which setting"
run tend config imap.url "imap://192.0.2.1/INBOX"
run tend config imap.tls none
run tend fetch
expect_rc 65 "clear text to a server not on this machine is refused"
run tend config imap.url "imap://127.0.0.1:$IMAP_PORT/INBOX"
run tend config imap.user "$IMAP_USER"
TEND_IMAP_PASSWORD=wrong-password run tend fetch
expect_rc 69 "a refused login: service unavailable"
case "$err" in
*wrong-password*) _notok "the password is never printed" "$err" ;;
*) _ok "the password is never printed" ;;
esac
export TEND_IMAP_PASSWORD="$IMAP_PASS"

n=300
i=1
while [ $i -le $n ]; do
	printf 'From: Lead %d <lead%d@leads.example>\nTo: hello@example.org\nSubject: Inquiry %d\nMessage-ID: <lead%d@leads.example>\nDate: Mon, 23 Nov 2026 08:00:00 +0000\n\nPlease call me about a project (%d).\n' \
	    $i $i $i $i $i >"$T/m.eml"
	dovecot_deliver "$T/m.eml"
	i=$((i + 1))
done
rows() {
	sqlite3 "$TEND_DB" "SELECT count(*), count(DISTINCT key) FROM inbound"
}

"$TEND" fetch >/dev/null 2>&1 &
pid=$!
# kill it while it is reading: once some messages are in
k=0
while [ $k -lt 200 ]; do
	got=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM inbound" 2>/dev/null)
	[ "${got:-0}" -ge 20 ] && break
	sleep 0.05
	k=$((k + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
before=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM inbound")
if [ "$before" -gt 0 ] && [ "$before" -lt $n ]; then
	_ok "killed in the middle ($before of $n read)"
else
	_ok "killed (it had read $before of $n)"
fi
run tend fetch --json
expect_rc 0 "the next poll"
expect_json 'j["read"] + '"$before" "$n" "reads the rest: every message once"
if [ "$(rows)" = "$n|$n" ]; then _ok "no message recorded twice, none lost"
else _notok "no message recorded twice, none lost" "$(rows)"
fi
got=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM outbox WHERE template = 'inquiry-ack'")
if [ "$got" = $n ]; then _ok "each inquiry acknowledged once"
else _notok "each inquiry acknowledged once" "$got acknowledgements"
fi
if [ "$(dovecot_status unseen)" = $n ]; then _ok "all still unread in the mailbox"
else _notok "all still unread in the mailbox" "$(dovecot_status unseen)"
fi

# a new UIDVALIDITY: read again from the start, nothing recorded twice
dovecot_mailbox create Leads
run tend config imap.url "imap://127.0.0.1:$IMAP_PORT/Leads"
cp "$T/m.eml" "$T/again.eml"
dovecot_deliver "$T/again.eml" Leads
run tend fetch --json
expect_json '(j["read"], j["duplicates"])' '[0, 1]' "a message read before, in another mailbox, is a duplicate"
dovecot_mailbox delete Leads
dovecot_mailbox create Leads
dovecot_deliver "$T/again.eml" Leads
printf 'From: New One <new@leads.example>\nTo: hello@example.org\nSubject: Hello\nMessage-ID: <new1@leads.example>\n\nHi\n' >"$T/new.eml"
dovecot_deliver "$T/new.eml" Leads
run tend fetch --json
expect_json '(j["read"], j["duplicates"])' '[1, 1]' "after a new UIDVALIDITY: read from the start, the old one not twice"
