# SMTP servers for the shell tests, each on 127.0.0.1 on a free port:
# postfix's smtp-sink (fast; dumps every message to a file) and
# tests/mail/smtpd.py (python3-aiosmtpd, scripted refusals and faults).
# POSIX sh, sourced from the project root after tests/cli/lib.sh:
#
#   . tests/mail/servers.sh
#   servers_need_sink            skip the whole test, saying why, if
#   servers_need_smtpd           smtp-sink / aiosmtpd is missing
#   servers_trap                 stop every server however the test ends
#   sink_start DIR               smtp-sink on 127.0.0.1:$SINK_PORT
#                                ($SINK_PID), one file per message in DIR
#   sink_stop
#   sink_count DIR               how many messages arrived
#   sink_message FILE            the message in FILE as the client sent it
#                                (LF line ends), without smtp-sink's lines
#   smtpd_start DIR [OPTION...]  tests/mail/smtpd.py DIR OPTION... on
#                                127.0.0.1:$SMTPD_PORT ($SMTPD_PID); the
#                                options (--script 451,250, --rcpt 550,
#                                --drop-in-data 1, --silent...) are
#                                described at the top of smtpd.py
#   smtpd_stop
#   smtpd_count DIR              how many messages it accepted
#   smtpd_connections DIR        how many connections it took
#   free_port                    print a TCP port free on 127.0.0.1
#
# Starting and stopping.  Each start waits (at most 10 s) until the
# server answers on its port, and returns 1 with the reason on stderr if
# it does not.  Call the starts directly, not in $(...) or a pipeline:
# the servers stop when the shell that started them goes away.  So that
# no server outlives a test, call servers_trap once after sourcing: it
# replaces lib.sh's EXIT trap with one that also stops the servers, and
# turns HUP, INT and TERM (tests/run.sh's timeout) into an exit, which
# runs it:
#
#   . tests/cli/lib.sh
#   . tests/mail/servers.sh
#   servers_need_sink
#   servers_trap
#   sink_start "$T/sink"
#   tend config smtp.url "smtp://127.0.0.1:$SINK_PORT" ...
#
# A test killed with -9 cannot run a trap: smtp-sink is started under
# "setpriv --pdeathsig" and smtpd.py watches its parent, so both end
# when the shell does.
#
# What smtp-sink writes.  sink_start runs "smtp-sink -a -h TAG -d
# DIR/msg. 127.0.0.1:PORT 64" (-u root as well when run as root): one
# file per message, DIR/msg. followed by 8 random hex digits (created
# with O_EXCL, so never two messages in one file; the name says nothing
# of the order).  A file holds, with LF line ends:
#
#   X-Client-Addr: 127.0.0.1
#   X-Client-Proto: ESMTP
#   X-Helo-Args: the EHLO name
#   X-Mail-Args: <sender> and any MAIL parameters
#   X-Rcpt-Args: <recipient>          (one per RCPT)
#   Received: from EHLO-NAME ([127.0.0.1])
#   	by TAG (smtp-sink) with ESMTP id HEX;
#   	DATE
#   the message as sent, with every CR removed and the transparent dot
#   of each line that starts with "." removed
#   an empty line (from the final ".")
#
# sink_message prints the part after Received and before that empty
# line, which is the message with its CRLFs turned into LFs.  The file
# is created at MAIL FROM and complete before the 250 to the final dot;
# a transaction that does not finish is removed.  -a: smtp-sink does not
# offer AUTH (it would answer it with 250, which curl rightly takes as a
# refused login), so a client with smtp.user set sends without logging
# in; tests of AUTH use smtpd.py --auth.

SINK_PORT=""
SINK_PID=""
SMTPD_PORT=""
SMTPD_PID=""
_SERVERS_PIDS=""
_SERVERS_ROOT=$PWD
SMTPD_PY=${SMTPD_PY:-$_SERVERS_ROOT/tests/mail/smtpd.py}
SMTP_SINK=${SMTP_SINK:-}
if [ -z "$SMTP_SINK" ]; then
	if [ -x /usr/sbin/smtp-sink ]; then
		SMTP_SINK=/usr/sbin/smtp-sink
	else
		SMTP_SINK=$(command -v smtp-sink 2>/dev/null || true)
	fi
fi
# aiosmtpd is a Debian package: the system's python has it.
_SPY=python3
[ -x /usr/bin/python3 ] && _SPY=/usr/bin/python3
_SETPRIV=""
if command -v setpriv >/dev/null 2>&1 &&
    setpriv --pdeathsig KILL true >/dev/null 2>&1; then
	_SETPRIV="setpriv --pdeathsig KILL"
fi

if ! command -v skip_all >/dev/null 2>&1; then
	skip_all() {
		echo "skip 1 - $1"
		exit 0
	}
fi

servers_need_sink() {
	[ -n "$SMTP_SINK" ] && [ -x "$SMTP_SINK" ] ||
	    skip_all "smtp-sink is missing (Debian package postfix)"
	"$_SPY" -c 'import socket' >/dev/null 2>&1 ||
	    skip_all "python3 is missing (finds ports for smtp-sink)"
}

servers_need_smtpd() {
	"$_SPY" -c 'import aiosmtpd' >/dev/null 2>&1 ||
	    skip_all "aiosmtpd is missing (Debian package python3-aiosmtpd)"
}

servers_stop_all() {
	for _p in $_SERVERS_PIDS; do
		_servers_kill "$_p"
	done
	_SERVERS_PIDS=""
	SINK_PID=""
	SMTPD_PID=""
}

servers_trap() {
	trap 'servers_stop_all; [ -n "${T:-}" ] && rm -rf "$T"' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# Stop one server we started: TERM, then KILL after 2 s; reap it.
_servers_kill() {
	kill "$1" 2>/dev/null || return 0
	_i=0
	while kill -0 "$1" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt 40 ]; then
			kill -9 "$1" 2>/dev/null
			break
		fi
		# a child of ours stays a zombie (and alive to kill -0) until
		# waited for: wait reaps it as soon as it is gone
		sleep 0.05
		if ! _servers_alive "$1"; then
			break
		fi
	done
	wait "$1" 2>/dev/null
	_SERVERS_PIDS=$(echo $_SERVERS_PIDS | tr ' ' '\n' | grep -vx "$1" |
	    tr '\n' ' ')
	return 0
}

# Is pid running (not a zombie)?
_servers_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	_st=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)
	[ -n "$_st" ] && [ "$_st" != Z ]
}

free_port() {
	"$_SPY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# The first line a server on 127.0.0.1:PORT says, or nothing.
_servers_greeting() {
	"$_SPY" - "$1" <<'EOF' 2>/dev/null
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
    s.settimeout(1)
    print(s.recv(512).decode("ascii", "replace").split("\r\n")[0])
    s.close()
except OSError:
    pass
EOF
}

sink_start() {
	if [ -n "$SINK_PID" ]; then
		echo "sink_start: a sink is running (pid $SINK_PID)" >&2
		return 1
	fi
	mkdir -p "$1" || return 1
	_user=""
	[ "$(id -u)" -eq 0 ] && _user="-u root"
	_try=0
	while [ $_try -lt 5 ]; do
		_try=$((_try + 1))
		_port=$(free_port) || return 1
		# The greeting names this sink: a port taken by another
		# server meanwhile is noticed (smtp-sink itself retries a
		# busy port for seconds before giving up).
		_tag="sink-$$-$_port"
		# shellcheck disable=SC2086
		$_SETPRIV "$SMTP_SINK" $_user -a -h "$_tag" -d "$1/msg." \
		    "127.0.0.1:$_port" 64 </dev/null >"$1.log" 2>&1 &
		SINK_PID=$!
		_SERVERS_PIDS="$_SERVERS_PIDS $SINK_PID"
		_i=0
		while [ $_i -lt 100 ] && _servers_alive "$SINK_PID"; do
			_g=$(_servers_greeting "$_port")
			case "$_g" in
			"220 $_tag "*)
				SINK_PORT=$_port
				return 0 ;;
			"") ;;
			*) break ;;	# someone else's server
			esac
			_i=$((_i + 1))
			sleep 0.1
		done
		_servers_kill "$SINK_PID"
		SINK_PID=""
	done
	echo "sink_start: smtp-sink did not start:" >&2
	cat "$1.log" >&2
	return 1
}

sink_stop() {
	[ -n "$SINK_PID" ] && _servers_kill "$SINK_PID"
	SINK_PID=""
	SINK_PORT=""
}

sink_count() {
	find "$1" -name 'msg.*' -type f | wc -l | tr -d ' '
}

sink_message() {
	awk 'part == 0 { if ($0 ~ /^Received: /) part = 1; next }
	     part == 1 { if ($0 ~ /^\t/) next; part = 2 }
	     { if (n) print last; last = $0; n = 1 }' "$1"
}

smtpd_start() {
	if [ -n "$SMTPD_PID" ]; then
		echo "smtpd_start: smtpd.py is running (pid $SMTPD_PID)" >&2
		return 1
	fi
	_d=$1
	shift
	mkdir -p "$_d" || return 1
	rm -f "$_d/port"
	# shellcheck disable=SC2086
	$_SETPRIV "$_SPY" "$SMTPD_PY" "$_d" "$@" </dev/null \
	    >"$_d/stdout" 2>"$_d/stderr" &
	SMTPD_PID=$!
	_SERVERS_PIDS="$_SERVERS_PIDS $SMTPD_PID"
	_i=0
	while [ ! -s "$_d/port" ]; do
		_i=$((_i + 1))
		if [ $_i -gt 200 ] || ! _servers_alive "$SMTPD_PID"; then
			echo "smtpd_start: smtpd.py did not start:" >&2
			cat "$_d/stderr" >&2
			_servers_kill "$SMTPD_PID"
			SMTPD_PID=""
			return 1
		fi
		sleep 0.05
	done
	SMTPD_PORT=$(cat "$_d/port")
}

smtpd_stop() {
	[ -n "$SMTPD_PID" ] && _servers_kill "$SMTPD_PID"
	SMTPD_PID=""
	SMTPD_PORT=""
}

smtpd_count() {
	find "$1" -name 'msg.[0-9]*' ! -name '*.tmp' -type f | wc -l |
	    tr -d ' '
}

smtpd_connections() {
	_n=$(grep -c '^[0-9]* open ' "$1/log" 2>/dev/null)
	echo "${_n:-0}"
}
