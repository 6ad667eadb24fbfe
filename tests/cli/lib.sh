# Shared by the CLI tests: sourced by tests/cli/tNNNN-*.sh.
#
# Each test runs the real tend ($TEND) on a fresh database in a temporary
# folder, with a fixed clock (TEND_NOW) and zone, and prints TAP-like
# lines: "ok N - what", "not ok N - what" (with "# ..." details), or
# "skip N - why".
#
#   run tend add "Ann Lee"      run a command: sets $out, $err, $rc
#   expect_rc 0 "what"          the exit code
#   expect_out "text" "what"    stdout exactly (trailing newline ignored)
#   expect_has "text" "what"    stdout contains text
#   expect_err "text" "what"    stderr contains text
#   snapshot; expect_unchanged "what"   the database did not change
#   json EXPR                   evaluate a python expression on $out as j

set -u
: "${TEND:?TEND must name the tend binary}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TEND_DB="$T/tend.db"
export TEND_CONFIG="$T/config"
export TEND_NOW="${TEND_NOW:-2026-11-23T09:00}"
export TZ=UTC
export NO_COLOR=1
export TEND_BUSY_MS=200
HOME="$T"
export HOME
unset XDG_DATA_HOME XDG_CONFIG_HOME
_n=0
out=""
err=""
rc=0

run() {
	if [ "$1" = tend ]; then
		shift
		set -- "$TEND" "$@"
	fi
	"$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
	if [ $rc -eq 86 ] || grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/.err"; then
		_n=$((_n + 1))
		echo "not ok $_n - sanitizer report from: $*"
		sed 's/^/# /' "$T/.err" | head -40
	fi
}

_ok() {
	_n=$((_n + 1))
	echo "ok $_n - $1"
}

_notok() {
	_n=$((_n + 1))
	echo "not ok $_n - $1"
	shift
	for l in "$@"; do
		printf '%s\n' "$l" | sed 's/^/# /'
	done
}

expect_rc() {
	if [ "$rc" -eq "$1" ]; then _ok "$2"
	else _notok "$2" "exit $rc, expected $1" "stdout: $out" "stderr: $err"
	fi
}

expect_out() {
	if [ "$out" = "$1" ]; then _ok "$2"
	else _notok "$2" "expected:" "$1" "got:" "$out" "stderr: $err"
	fi
}

expect_has() {
	case "$out" in
	*"$1"*) _ok "$2" ;;
	*) _notok "$2" "stdout lacks: $1" "got:" "$out" "stderr: $err" ;;
	esac
}

expect_lacks() {
	case "$out" in
	*"$1"*) _notok "$2" "stdout has: $1" "got:" "$out" ;;
	*) _ok "$2" ;;
	esac
}

expect_err() {
	case "$err" in
	*"$1"*) _ok "$2" ;;
	*) _notok "$2" "stderr lacks: $1" "got: $err" ;;
	esac
}

# The database's content, as a dump, to compare before and after.
_dump() {
	if [ -f "$TEND_DB" ]; then
		sqlite3 "$TEND_DB" .dump 2>&1 | grep -v '^PRAGMA'
	else
		echo "(no database)"
	fi
}

snapshot() {
	_dump >"$T/.snap"
}

expect_unchanged() {
	_dump >"$T/.snap2"
	if cmp -s "$T/.snap" "$T/.snap2"; then _ok "$1"
	else _notok "$1" "database changed:" "$(diff "$T/.snap" "$T/.snap2" | head -20)"
	fi
}

# The system's python starts fast; a version manager's shim does not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# json 'j["items"][0]["kind"]' prints a value from $out (JSON).
json() {
	printf '%s' "$out" | "$PY" -c "import json,sys; j=json.load(sys.stdin); v=($1); print(json.dumps(v) if not isinstance(v,str) else v)"
}

# expect_json EXPR VALUE WHAT
expect_json() {
	got=$(json "$1" 2>&1)
	if [ "$got" = "$2" ]; then _ok "$3"
	else _notok "$3" "$1 = $got, expected $2"
	fi
}

skip_all() {
	echo "skip 1 - $1"
	exit 0
}
