# An IMAP server for the tests: dovecot (Debian package dovecot-imapd) on
# 127.0.0.1, on a port of its own, with its configuration, state, log and
# maildir in a folder of the test's.  The package's own service is never
# used.  POSIX sh, sourced from the project root after tests/cli/lib.sh
# (it sources tests/mail/servers.sh for servers_trap and the way servers
# are started, waited for and stopped):
#
#   . tests/mail/dovecot.sh
#   dovecot_need              skip the whole test, saying why, if dovecot
#                             (or doveadm, python3, openssl) is missing
#   servers_trap              stop every server however the test ends
#   dovecot_start DIR [--tls] dovecot on 127.0.0.1:$IMAP_PORT ($DOVECOT_PID)
#                             with user $IMAP_USER (tend), password
#                             $IMAP_PASS (set one before, or a fresh one is
#                             made and exported), mail in DIR/mail.  With
#                             --tls: STARTTLS on $IMAP_PORT and imaps on
#                             $IMAPS_PORT with a self-signed certificate
#                             for 127.0.0.1, ::1 and localhost, whose file
#                             is $IMAP_CA (curl's CA file); without it
#                             ssl = no (no STARTTLS offered)
#   dovecot_stop
#   dovecot_deliver FILE [MAILBOX]   put FILE into the mailbox (INBOX)
#                             the way an MDA does: written to tmp/, then
#                             renamed into new/
#   dovecot_flags UID [MAILBOX]      the flags of message UID as dovecot
#                             sees them, e.g. "\Seen" or "" (the UIDs of a
#                             fresh mailbox are 1, 2, 3... in delivery order)
#   dovecot_count [MAILBOX]   how many messages the mailbox holds
#   dovecot_mailbox create|delete NAME   a mailbox besides INBOX (deleted
#                             and created again, it gets a new UIDVALIDITY)
#   dovecot_status FIELD [MAILBOX]   uidvalidity, uidnext, messages or
#                             unseen of the mailbox, as dovecot says
#   dovecot_conf DIR [--tls]  only write DIR/dovecot.conf (and the
#                             certificate), setting $IMAP_PORT, $IMAPS_PORT
#                             and $IMAP_CA: what dovecot_start and
#                             tests/mail/dovecot-run.sh use
#
#   . tests/cli/lib.sh
#   . tests/mail/dovecot.sh
#   dovecot_need
#   servers_trap
#   dovecot_start "$T/imap" --tls
#   dovecot_deliver ../shared/corpus/eml/dsn-postfix.eml
#   tend config imap.url "imap://127.0.0.1:$IMAP_PORT" ...
#
# Starting and stopping, as servers.sh: dovecot_start waits (at most 10
# s) until the greeting, which names this server, comes on the port, and
# returns 1 with the log on stderr if it does not.  The ports are picked
# at random in 20000-32767 (below Linux's ephemeral ports): one that is
# taken makes dovecot exit at once, and another is tried.  Call it
# directly, not in $(...).  dovecot runs in the foreground (-F) under
# "setpriv --pdeathsig KILL", so it ends with the test's shell even after
# kill -9, and its own processes follow their master.
#
# Users.  dovecot never runs a mail process as root ("userdb returned 0
# as uid") and refuses to run its login process as root.  Run by root,
# the mail processes run as nobody and the login process as dovenull (or
# nobody); DIR must then be in $TMPDIR or /tmp, and it and the folders
# above it up to there are made searchable by others (chmod go+x: mktemp
# -d makes them 0700); DIR/mail belongs to nobody.
# Run by another user, every dovecot process runs as that user, without
# chroot.  Either way the test's shell can read and write DIR/mail.

_DOVECOT_ROOT=$PWD
if ! command -v free_port >/dev/null 2>&1; then
	. "$_DOVECOT_ROOT/tests/mail/servers.sh"
fi

DOVECOT=${DOVECOT:-/usr/sbin/dovecot}
DOVEADM=${DOVEADM:-/usr/bin/doveadm}
IMAP_USER=tend
IMAP_PORT=""
IMAPS_PORT=""
IMAP_CA=""
IMAP_DIR=""
DOVECOT_PID=""
_DOVECOT_N=0

dovecot_need() {
	[ -x "$DOVECOT" ] ||
	    skip_all "dovecot is missing (Debian package dovecot-imapd)"
	[ -x /usr/lib/dovecot/imap ] ||
	    skip_all "dovecot's imap is missing (Debian package dovecot-imapd)"
	[ -x "$DOVEADM" ] ||
	    skip_all "doveadm is missing (Debian package dovecot-core)"
	"$_SPY" -c 'import socket' >/dev/null 2>&1 ||
	    skip_all "python3 is missing (waits for dovecot's greeting)"
	command -v openssl >/dev/null 2>&1 ||
	    skip_all "openssl is missing (makes dovecot's certificate)"
}

_DOVECOT_UID=$(id -u)

# The user mail processes run as, and the login process.  (Few programs
# run: each costs 20 to 40 ms here, and a test starts many dovecots.)
_dovecot_users() {
	[ -n "${_DOVECOT_MAIL_UID:-}" ] && return 0
	if [ "$_DOVECOT_UID" -eq 0 ]; then
		_DOVECOT_MAIL_UID=65534
		_DOVECOT_MAIL_GID=65534
		_DOVECOT_LOGIN=nobody
		_DOVECOT_INTERNAL=root
		_DOVECOT_INTERNAL_GROUP=root
		# name:x:uid:gid:...
		while IFS=: read -r _n _x _u _g _rest; do
			case "$_n" in
			nobody)
				_DOVECOT_MAIL_UID=$_u
				_DOVECOT_MAIL_GID=$_g ;;
			dovenull)
				_DOVECOT_LOGIN=dovenull ;;
			esac
		done <<EOF
$(getent passwd nobody dovenull)
EOF
	else
		_DOVECOT_MAIL_UID=$_DOVECOT_UID
		_DOVECOT_MAIL_GID=$(id -g)
		_DOVECOT_LOGIN=$(id -un)
		_DOVECOT_INTERNAL=$_DOVECOT_LOGIN
		_DOVECOT_INTERNAL_GROUP=$(id -gn)
	fi
}

# Run by root, the mail processes (nobody) must reach DIR/mail: chmod
# go+x DIR and the folders above it up to the temporary folder it is in
# (group too: dovecot leaves root's supplementary groups to the mail
# process, so a folder of group root is searched with the group's bits).
# Nothing outside a temporary folder is changed.
_dovecot_searchable() {
	_d=$1
	_dirs=""
	_tmp=${TMPDIR:-/tmp}
	_tmp=${_tmp%/}
	while :; do
		case "$_d" in
		"$_tmp"/*|/tmp/*)
			_dirs="$_dirs $_d"
			_d=${_d%/*} ;;
		"$_tmp"|/tmp)
			break ;;
		*)
			echo "dovecot: run by root, the folder must be in" \
			    "$_tmp or /tmp (the mail processes run as" \
			    "nobody and must reach it): $1" >&2
			return 1 ;;
		esac
	done
	# shellcheck disable=SC2086
	chmod go+x $_dirs
}

# A maildir folder (cur, new, tmp) the mail processes own.
_dovecot_maildir() {
	mkdir -p "$1/cur" "$1/new" "$1/tmp" || return 1
	if [ "$_DOVECOT_UID" -eq 0 ]; then
		chown -R "$_DOVECOT_MAIL_UID:$_DOVECOT_MAIL_GID" "$1" ||
		    return 1
	fi
}

# Two ports in 20000-32767 (below Linux's ephemeral ports), at random:
# one taken makes dovecot exit at once, and dovecot_start (or the caller
# of dovecot-run.sh) tries others.
_dovecot_ports() {
	# shellcheck disable=SC2046
	set -- $(od -An -N4 -tu2 /dev/urandom)
	IMAP_PORT=$((20000 + $1 % 12768))
	IMAPS_PORT=$((20000 + $2 % 12768))
	[ "$IMAPS_PORT" -ne "$IMAP_PORT" ] ||
	    IMAPS_PORT=$((20000 + ($2 + 1) % 12768))
}

dovecot_conf() {
	_dir=$1
	_tls=0
	[ "${2:-}" = --tls ] && _tls=1
	mkdir -p "$_dir/run" "$_dir/state" "$_dir/home" "$_dir/mail/cur" \
	    "$_dir/mail/new" "$_dir/mail/tmp" || return 1
	_dir=$(cd "$_dir" && pwd) || return 1
	_dovecot_users
	if [ "$_DOVECOT_UID" -eq 0 ]; then
		_dovecot_searchable "$_dir" || return 1
		chown -R "$_DOVECOT_MAIL_UID:$_DOVECOT_MAIL_GID" \
		    "$_dir/home" "$_dir/mail" || return 1
	fi
	if [ -z "${IMAP_PASS:-}" ]; then
		IMAP_PASS="pw-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
		export IMAP_PASS
	fi
	# base64 in the file: any character may be in the password.
	_b64=$(printf '%s' "$IMAP_PASS" | base64 -w 0)
	(umask 077 && printf '%s:{PLAIN.b64}%s::::::\n' "$IMAP_USER" \
	    "$_b64" >"$_dir/passwd") || return 1
	_dovecot_ports
	IMAP_CA=""
	if [ $_tls -eq 1 ]; then
		_san="subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost"
		if [ ! -s "$_dir/cert.pem" ]; then
			openssl req -x509 -newkey ec -pkeyopt \
			    ec_paramgen_curve:prime256v1 -nodes \
			    -subj /CN=127.0.0.1 -days 2 \
			    -addext "$_san" \
			    -keyout "$_dir/key.pem" -out "$_dir/cert.pem" \
			    >"$_dir/openssl.log" 2>&1 || {
				cat "$_dir/openssl.log" >&2
				return 1
			}
		fi
		IMAP_CA=$_dir/cert.pem
	else
		IMAPS_PORT=0
	fi
	_DOVECOT_TAG="tend-imap-$$-$IMAP_PORT"
	_chroot=""
	[ "$_DOVECOT_UID" -eq 0 ] || _chroot="chroot ="
	{
		cat <<EOF
# Written by tests/mail/dovecot.sh for one test.
protocols = imap
listen = 127.0.0.1
base_dir = $_dir/run
state_dir = $_dir/state
instance_name = $_DOVECOT_TAG
log_path = $_dir/dovecot.log
info_log_path = $_dir/dovecot.log
login_greeting = $_DOVECOT_TAG ready.
default_internal_user = $_DOVECOT_INTERNAL
default_internal_group = $_DOVECOT_INTERNAL_GROUP
default_login_user = $_DOVECOT_LOGIN
first_valid_uid = 1
first_valid_gid = 1
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:$_dir/mail
mail_fsync = never
passdb {
  driver = passwd-file
  args = username_format=%n $_dir/passwd
}
userdb {
  driver = static
  args = uid=$_DOVECOT_MAIL_UID gid=$_DOVECOT_MAIL_GID home=$_dir/home
}
service imap-login {
  $_chroot
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
# No penalty for failed logins: a test of a wrong password must not
# slow the next login down.
service anvil {
  $_chroot
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
		if [ $_tls -eq 1 ]; then
			cat <<EOF
ssl = yes
ssl_cert = <$_dir/cert.pem
ssl_key = <$_dir/key.pem
EOF
		else
			echo "ssl = no"
		fi
	} >"$_dir/dovecot.conf" || return 1
	IMAP_DIR=$_dir
}

dovecot_start() {
	if [ -n "$DOVECOT_PID" ]; then
		echo "dovecot_start: dovecot is running (pid $DOVECOT_PID)" >&2
		return 1
	fi
	_try=0
	while [ $_try -lt 5 ]; do
		_try=$((_try + 1))
		dovecot_conf "$@" || return 1
		rm -f "$IMAP_DIR/run/master.pid"
		$_SETPRIV "$DOVECOT" -F -c "$IMAP_DIR/dovecot.conf" \
		    </dev/null >>"$IMAP_DIR/dovecot.out" 2>&1 &
		DOVECOT_PID=$!
		_SERVERS_PIDS="$_SERVERS_PIDS $DOVECOT_PID"
		_i=0
		while [ $_i -lt 100 ] && _servers_alive "$DOVECOT_PID"; do
			_g=$(_servers_greeting "$IMAP_PORT")
			case "$_g" in
			*" $_DOVECOT_TAG ready.")
				return 0 ;;
			"") ;;
			*) break ;;	# someone else's server
			esac
			_i=$((_i + 1))
			sleep 0.1
		done
		_servers_kill "$DOVECOT_PID"
		DOVECOT_PID=""
	done
	echo "dovecot_start: dovecot did not start:" >&2
	cat "$IMAP_DIR/dovecot.out" "$IMAP_DIR/dovecot.log" >&2 2>/dev/null
	return 1
}

dovecot_stop() {
	[ -n "$DOVECOT_PID" ] && _servers_kill "$DOVECOT_PID"
	DOVECOT_PID=""
	IMAP_PORT=""
	IMAPS_PORT=""
}

# The maildir folder of a mailbox (maildir++: INBOX is the top).
_dovecot_box() {
	if [ -z "${1:-}" ] || [ "$1" = INBOX ]; then
		echo "$IMAP_DIR/mail"
	else
		echo "$IMAP_DIR/mail/.$1"
	fi
}

dovecot_deliver() {
	if [ -z "$IMAP_DIR" ]; then
		echo "dovecot_deliver: no dovecot" >&2
		return 1
	fi
	_box=$(_dovecot_box "${2:-}")
	[ -d "$_box/new" ] || _dovecot_maildir "$_box" || return 1
	_DOVECOT_N=$((_DOVECOT_N + 1))
	_name="$(date +%s).M${_DOVECOT_N}P$$.tend-test"
	cp "$1" "$_box/tmp/$_name" || return 1
	chmod 644 "$_box/tmp/$_name"
	if [ "$_DOVECOT_UID" -eq 0 ]; then
		chown "$_DOVECOT_MAIL_UID:$_DOVECOT_MAIL_GID" "$_box/tmp/$_name"
	fi
	mv "$_box/tmp/$_name" "$_box/new/$_name"
}

dovecot_flags() {
	_out=$("$DOVEADM" -c "$IMAP_DIR/dovecot.conf" fetch -u "$IMAP_USER" \
	    flags mailbox "${2:-INBOX}" uid "$1") || return 1
	# "flags: \Seen \Recent": dovecot's \Recent is about this session
	printf '%s\n' "$_out" | sed -n 's/^flags: *//p' |
	    tr ' ' '\n' | grep -v '^\\Recent$' | grep -v '^$' | tr '\n' ' ' |
	    sed 's/ $//'
	echo
}

dovecot_count() {
	_box=$(_dovecot_box "${1:-}")
	find "$_box/new" "$_box/cur" -type f 2>/dev/null | wc -l | tr -d ' '
}

dovecot_mailbox() {
	"$DOVEADM" -c "$IMAP_DIR/dovecot.conf" mailbox "$1" -u "$IMAP_USER" \
	    "$2"
}

dovecot_status() {
	"$DOVEADM" -c "$IMAP_DIR/dovecot.conf" -f flow mailbox status \
	    -u "$IMAP_USER" "$1" "${2:-INBOX}" | sed -n "s/^.* $1=//p"
}
