#!/bin/sh
# tend init: create the database explicitly, where the user expects it.
. "$(dirname "$0")/lib.sh"

run tend init
expect_rc 0 "init creates the database"
expect_out "tend database ready: $TEND_DB (schema 5, 0 contacts)" \
    "init says where and which schema"
if [ -f "$TEND_DB" ]; then _ok "the file exists"
else _notok "the file exists" "no $TEND_DB"
fi
expect_sql() {
	got=$(sqlite3 "$TEND_DB" "$1" 2>&1)
	if [ "$got" = "$2" ]; then _ok "$3"
	else _notok "$3" "$1 = $got, expected $2"
	fi
}
expect_sql "PRAGMA user_version" 5 "schema version recorded"
expect_sql "PRAGMA application_id" 1413828164 \
    "application id 'TEND' marks the file"
expect_sql "PRAGMA journal_mode" wal "WAL mode"
expect_sql "SELECT count(*) FROM sqlite_schema WHERE name = 'contacts_fts'" \
    1 "the full-text index exists"

snapshot
run tend init
expect_rc 0 "init twice is fine"
expect_out "tend database ready: $TEND_DB (schema 5, 0 contacts)" \
    "the second init says the same"
expect_unchanged "init twice changes nothing"

run tend init --json
expect_rc 0 "init --json"
expect_json 'j["database"]' "$TEND_DB" "--json: database path"
expect_json 'j["schema"]' 5 "--json: schema"
expect_json 'j["contacts"]' 0 "--json: contacts"
expect_json 'sorted(j.keys())' '["contacts", "database", "schema"]' \
    "--json: exactly these keys"

run tend add "Ann Lee"
run tend add "Bob Stone"
run tend init
expect_out "tend database ready: $TEND_DB (schema 5, 2 contacts)" \
    "init counts the contacts"

# an archived contact is not counted
run tend rm bob
run tend init --json
expect_json 'j["contacts"]' 1 "archived contacts are not counted"

snapshot
run tend init extra
expect_rc 2 "init takes no argument"
expect_err "usage: tend init" "prints the usage"
run tend init --bogus
expect_rc 2 "unknown option"
expect_err "unknown option '--bogus'" "names the option"
expect_unchanged "failed inits wrote nothing"

run tend init --help
expect_rc 0 "init --help"
expect_has "usage: tend init" "--help prints the usage"

# --db (before or after the command) and TEND_DB choose the file
run tend --db "$T/other/deep/x.db" init
expect_rc 0 "--db before the command creates missing folders"
if [ -f "$T/other/deep/x.db" ]; then _ok "--db file created"
else _notok "--db file created" "no $T/other/deep/x.db"
fi
run tend init --db "$T/y.db" --json
expect_rc 0 "--db after the command"
expect_json 'j["database"]' "$T/y.db" "--db after the command is used"
run tend --db="$T/z.db" init --json
expect_json 'j["database"]' "$T/z.db" "--db=PATH works"

# without TEND_DB: XDG_DATA_HOME, else ~/.local/share
(
	unset TEND_DB
	run tend init --json
	expect_json 'j["database"]' "$HOME/.local/share/tend/tend.db" \
	    "default: ~/.local/share/tend/tend.db"
	XDG_DATA_HOME="$T/xdg"
	export XDG_DATA_HOME
	run tend init --json
	expect_json 'j["database"]' "$T/xdg/tend/tend.db" \
	    "XDG_DATA_HOME is honoured"
	echo "_n=$_n" >"$T/.n"
)
. "$T/.n"
if [ -f "$HOME/.local/share/tend/tend.db" ] && [ -f "$T/xdg/tend/tend.db" ]
then _ok "both default files exist"
else _notok "both default files exist"
fi

# other commands create the database on first use too
rm -f "$T/lazy.db"
run tend --db "$T/lazy.db" list
expect_rc 0 "list on a missing database"
expect_out "no contacts" "an empty list"
if [ -f "$T/lazy.db" ]; then _ok "the first command created the database"
else _notok "the first command created the database"
fi

# a database of schema 1 (tend before import) is brought to schema 5 by
# the next command, with its contacts
sqlite3 "$T/v1.db" <src/store/migrations/001-init.sql
sqlite3 "$T/v1.db" "PRAGMA user_version = 1; PRAGMA application_id = 1413828164;
    INSERT INTO contacts (name, name_key, created, updated)
    VALUES ('Old Friend', 'old friend', 1, 1);"
run tend --db "$T/v1.db" list --json
expect_rc 0 "a schema 1 database opens"
expect_json '[c["name"] for c in j]' '["Old Friend"]' "its contacts are there"
got=$(sqlite3 "$T/v1.db" "PRAGMA user_version")
if [ "$got" = 5 ]; then _ok "migrated to schema 5"
else _notok "migrated to schema 5" "user_version $got"
fi
got=$(sqlite3 "$T/v1.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'contact_extras'")
if [ "$got" = 1 ]; then _ok "with the extras table"
else _notok "with the extras table" "got $got"
fi
got=$(sqlite3 "$T/v1.db" "SELECT count(*) FROM templates WHERE starter = 1")
if [ "$got" = 7 ]; then _ok "and the starter templates"
else _notok "and the starter templates" "got $got"
fi
