#!/bin/sh
# tests/mail/dovecot.sh for a program that is not a shell (the C unit
# tests), run from the project root:
#
#   sh tests/mail/dovecot-run.sh start DIR [--tls]
#       write DIR/dovecot.conf, print one line "IMAP_PORT IMAPS_PORT CA"
#       (IMAPS_PORT 0 and CA "-" without --tls), then become dovecot in
#       the foreground (exec: same pid, so the caller's PR_SET_PDEATHSIG
#       and kill reach it).  The password is $IMAP_PASS (required), the
#       user tend.  The caller waits for the greeting on IMAP_PORT; if
#       dovecot exits instead (the port was taken meanwhile), it runs
#       start again.  Stop it with SIGTERM.
#   sh tests/mail/dovecot-run.sh deliver DIR FILE [MAILBOX]
#   sh tests/mail/dovecot-run.sh flags DIR UID [MAILBOX]
#   sh tests/mail/dovecot-run.sh count DIR [MAILBOX]
#   sh tests/mail/dovecot-run.sh mailbox DIR create|delete NAME
#   sh tests/mail/dovecot-run.sh status DIR FIELD [MAILBOX]
#       as dovecot_deliver, dovecot_flags, dovecot_count, dovecot_mailbox
#       and dovecot_status, for the dovecot whose folder is DIR.
set -u

skip_all() {
	echo "skip: $1" >&2
	exit 77
}

. tests/mail/dovecot.sh

usage() {
	echo "usage: dovecot-run.sh start|deliver|flags|count|mailbox|status" \
	    "DIR ..." >&2
	exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2
case "$cmd" in
start)
	dovecot_need
	[ -n "${IMAP_PASS:-}" ] || { echo "IMAP_PASS is not set" >&2; exit 2; }
	dovecot_conf "$dir" "$@" || exit 1
	echo "$IMAP_PORT $IMAPS_PORT ${IMAP_CA:--}"
	rm -f "$IMAP_DIR/run/master.pid"
	exec "$DOVECOT" -F -c "$IMAP_DIR/dovecot.conf" </dev/null \
	    >>"$IMAP_DIR/dovecot.out" 2>&1
	;;
deliver|flags|count|mailbox|status)
	IMAP_DIR=$(cd "$dir" && pwd) || exit 1
	_dovecot_users
	"dovecot_$cmd" "$@"
	;;
*)
	usage
	;;
esac
