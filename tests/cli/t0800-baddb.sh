#!/bin/sh
# Databases tend must not touch: not a tend database, damaged, written by
# a newer tend, locked by another process, in a folder that cannot be made.
# Each is reported with its exit code and its bytes are left as they were.
. "$(dirname "$0")/lib.sh"

sum() {
	if [ -f "$1" ]; then sha256sum <"$1"; else echo "(missing)"; fi
}
expect_same() {
	# expect_same FILE SUM WHAT: FILE still has SUM and no -wal/-journal
	if [ "$(sum "$1")" = "$2" ] && [ ! -e "$1-wal" ] &&
	    [ ! -e "$1-journal" ]
	then _ok "$3"
	else _notok "$3" "$(ls -la "$1"* 2>&1)"
	fi
}

# random bytes
head -c 16384 /dev/urandom >"$T/random.db"
s=$(sum "$T/random.db")
for cmd in "list" "add Ann" "today" "init" "log 1 call" "config deal.stages a,b,c"; do
	# shellcheck disable=SC2086
	run tend --db "$T/random.db" $cmd
	expect_rc 65 "random bytes: tend $cmd is bad data"
	expect_err "'$T/random.db' is not a tend database" "tend $cmd: says so"
done
expect_same "$T/random.db" "$s" "random bytes: the file is unchanged"

# a valid SQLite file from another application
sqlite3 "$T/other.db" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
    INSERT INTO notes (body) VALUES ('keep me');"
s=$(sum "$T/other.db")
run tend --db "$T/other.db" list
expect_rc 65 "another app's database: list"
expect_err "'$T/other.db' is not a tend database" "says so"
run tend --db "$T/other.db" add "Ann Lee"
expect_rc 65 "another app's database: add"
run tend --db "$T/other.db" init
expect_rc 65 "another app's database: init"
expect_same "$T/other.db" "$s" "another app's database is unchanged"

# another app's empty database, marked with its own application id
sqlite3 "$T/marked.db" "PRAGMA application_id = 1234;"
s=$(sum "$T/marked.db")
run tend --db "$T/marked.db" init
expect_rc 65 "an empty database with another app's id"
expect_err "'$T/marked.db' is not a tend database" "says so"
expect_same "$T/marked.db" "$s" "and leaves it alone"

# an SQLite file with a schema version but no tables is not ours either
sqlite3 "$T/versioned.db" "PRAGMA user_version = 3;"
s=$(sum "$T/versioned.db")
run tend --db "$T/versioned.db" list
expect_rc 65 "a versioned stranger"
expect_same "$T/versioned.db" "$s" "left alone"

# a damaged tend database: cut in half, and a page overwritten
run tend add "Ann Lee" --note "likes tea"
run tend add "Bob Stone"
sqlite3 "$TEND_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size=$(wc -c <"$TEND_DB")
head -c $((size / 2)) "$TEND_DB" >"$T/half.db"
s=$(sum "$T/half.db")
run tend --db "$T/half.db" list
expect_rc 65 "a truncated database: list"
expect_err "is not a tend database or is damaged" "says it is damaged"
run tend --db "$T/half.db" add "Carl"
expect_rc 65 "a truncated database: add"
expect_same "$T/half.db" "$s" "a truncated database is not overwritten"
cp "$TEND_DB" "$T/bad.db"
dd if=/dev/urandom of="$T/bad.db" bs=4096 seek=1 count=3 conv=notrunc \
    2>/dev/null
s=$(sum "$T/bad.db")
run tend --db "$T/bad.db" list
expect_rc 65 "an overwritten page: list"
expect_err "database disk image is malformed" "says why"
run tend --db "$T/bad.db" add "Carl"
expect_rc 65 "an overwritten page: add"
expect_same "$T/bad.db" "$s" "a damaged database is not overwritten"

# not a regular file
run tend --db "$T" list
expect_rc 65 "a folder as the database"
expect_err "'$T' is not a tend database (not a regular file)" "says so"
run tend --db /dev/null list
expect_rc 65 "/dev/null as the database"

# written by a newer tend
run tend --db "$T/new.db" init
sqlite3 "$T/new.db" "PRAGMA user_version = 99;"
s=$(sum "$T/new.db")
run tend --db "$T/new.db" list
expect_rc 1 "a database from a newer tend"
expect_err "'$T/new.db' was written by a newer tend (schema 99, this tend knows 5); upgrade tend" \
    "says a newer tend wrote it"
run tend --db "$T/new.db" add "Ann Lee"
expect_rc 1 "add on a newer database"
expect_same "$T/new.db" "$s" "a newer database is never downgraded"
got=$(sqlite3 "$T/new.db" "PRAGMA user_version")
if [ "$got" = 99 ]; then _ok "its version is still 99"
else _notok "its version is still 99" "got $got"
fi

# locked by another process: hold a write lock from sqlite3 fed by a fifo
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
	snapshot_locked=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM contacts,
	    interactions, followups" 2>&1)
	for cmd in "add Carl" "log ann call" "follow ann" "every ann 2w" \
	    "rm ann" "config deal.stages a,b,c"; do
		# shellcheck disable=SC2086
		run tend $cmd
		expect_rc 69 "locked: tend $cmd is service unavailable"
		expect_err "database '$TEND_DB' is locked by another process; try again" \
		    "tend $cmd: says it is locked"
	done
	run tend list --json
	expect_rc 0 "locked: reading still works (WAL)"
	expect_json '[c["name"] for c in j]' '["Ann Lee", "Bob Stone"]' \
	    "and sees the committed data"
	echo "ROLLBACK;" >&7
	exec 7>&-
	wait "$locker"
	got=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM contacts,
	    interactions, followups")
	if [ "$got" = "$snapshot_locked" ] &&
	    [ "$(sqlite3 "$TEND_DB" "SELECT count(*) FROM contacts")" = 2 ]
	then _ok "the locked commands wrote nothing"
	else _notok "the locked commands wrote nothing" "$got"
	fi
	run tend add "Carl"
	expect_rc 0 "once the lock is gone, writing works"
else
	echo "skip - mkfifo is not available"
fi

# a folder that cannot be created
: >"$T/plainfile"
run tend --db "$T/plainfile/sub/tend.db" list
expect_rc 1 "a database under a regular file"
expect_err "cannot create '$T/plainfile/sub'" "names the folder"
run tend --db "$T/plainfile/tend.db" init
expect_rc 1 "a database whose folder is a file"
expect_err "$T/plainfile" "names the path"
run tend --db "" list
expect_rc 65 "an empty --db"
