#!/bin/sh
# A command killed mid-write (kill -9) leaves the database as it was
# before: all of the command or nothing of it, and still readable.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" -e ann@example.com
expect_rc 0 "a contact before the crash"

# tend demo writes ~300 contacts and their history in one transaction;
# kill it after a few delays so that some kills land mid-transaction.
for delay in 0.05 0.1 0.2 0.4; do
	export TEND_DB="$T/crash-$delay.db"
	run tend init
	"$TEND" demo >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM contacts" 2>&1)
	case "$n" in
	0|300) _ok "killed after ${delay}s: $n contacts, all or nothing" ;;
	*) _notok "killed after ${delay}s: all or nothing" "contacts: $n" ;;
	esac
	ic=$(sqlite3 "$TEND_DB" "PRAGMA integrity_check" 2>&1)
	if [ "$ic" = ok ]; then _ok "killed after ${delay}s: integrity ok"
	else _notok "killed after ${delay}s: integrity" "$ic"
	fi
	run tend today --json
	expect_rc 0 "killed after ${delay}s: the next command works"
done
