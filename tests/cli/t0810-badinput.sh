#!/bin/sh
# Issue 3, section 5: every input from outside gets a clear one-line error
# naming the bad value, the exit code from DESIGN.md (2 usage, 65 bad
# data), and nothing is written.  Each family is tried on every command
# that takes it.
. "$(dirname "$0")/lib.sh"

run tend add "Ann Lee" -e ann@example.com --every 6w --met-on 2026-11-01
run tend add "Bob Stone" -e bob@example.com
run tend follow ann "send the proposal" --due fri
run tend deal add ann "Website" --value 4500

# Hundreds of checks: compare the file's bytes first (a command that
# writes nothing leaves them as they were once tend has closed it), and
# the lib's full dump only when they differ.
snap() {
	snapshot
	cp "$TEND_DB" "$T/.bytes"
}
unchanged() {
	if [ ! -e "$TEND_DB-wal" ] && cmp -s "$TEND_DB" "$T/.bytes"; then
		_ok "$1"
	else
		expect_unchanged "$1"
	fi
}
nl='
'
snap

# bad TEXT WHAT EXIT MESSAGE tend ARGS...: a failing command, one line on
# stderr naming the value, and nothing written
bad() {
	what=$1
	code=$2
	msg=$3
	shift 3
	run "$@"
	expect_rc "$code" "$what: exit $code"
	expect_err "$msg" "$what: the message"
	case "$err" in
	*"$nl"*) first=bad ;;
	"tend: "*) first=ok ;;
	*) first=bad ;;
	esac
	if [ $first = ok ]; then
		_ok "$what: one line starting 'tend: '"
	else
		_notok "$what: one line starting 'tend: '" "stderr: $err"
	fi
	unchanged "$what: nothing written"
}

# invalid e-mail addresses
for a in not-an-address "ann@" "@example.com" "ann@@example.com" \
    "ann@example" "an n@example.com" "ann@exa_mple.com" "ann..lee@example.com" \
    ".ann@example.com" "ann@-example.com" "ann@example..com"; do
	bad "add -e '$a'" 65 "invalid e-mail address '$a'" tend add Carl -e "$a"
done
bad "edit -e invalid" 65 "invalid e-mail address 'bob@'" tend edit bob -e "bob@"
bad "an address in use" 65 "e-mail address 'ANN@example.com' already belongs to contact 1" \
    tend add Carl -e ANN@example.com

# impossible dates, wherever a date is read
for d in 2026-02-30 2026-13-01 2026-00-10 2026-04-31 2025-02-29 \
    "2026-12-01T25:00" "2026-12-01T09:60" "2026-12-01 24:30" "31/12/2026" \
    "next decade" "in 3 fortnights" "in 99999d" ""; do
	bad "follow --due '$d'" 65 "--due: invalid date '$d'" \
	    tend follow ann --due "$d"
done
bad "add --met-on impossible" 65 "--met-on: invalid date '2026-02-30'" \
    tend add Carl --met-on 2026-02-30
bad "edit --met-on impossible" 65 "--met-on: invalid date '2026-13-01'" \
    tend edit ann --met-on 2026-13-01
bad "log --when impossible" 65 "--when: invalid date '2026-11-01T25:00'" \
    tend log ann call --when 2026-11-01T25:00
bad "done --next impossible" 65 "--next: invalid date '2026-02-30'" \
    tend done 1 --next 2026-02-30
bad "snooze impossible" 65 "invalid date '2026-13-01'" tend snooze 1 2026-13-01
bad "deal add --due impossible" 65 "invalid date '2026-02-30'" \
    tend deal add ann "Logo" --next "call" --due 2026-02-30

# unknown time zones
for z in Mars/Olympus Europe/Pariss "Europe/Paris " utc+1 ../etc/passwd \
    /etc/localtime right/UTC "Europe/Par*" "Europe/Paris/"; do
	bad "add --tz '$z'" 65 "unknown time zone '$z'" tend add Carl --tz "$z"
done
bad "edit --tz unknown" 65 "unknown time zone 'Atlantis/Main'" \
    tend edit ann --tz Atlantis/Main
bad "config tz unknown" 65 "unknown time zone 'Atlantis/Main'" \
    tend config tz Atlantis/Main

# intervals
for i in 0d 0w -3w 1.5w 1,5w 2x w "" 3654d 11y "FREQ=HOURLY" \
    "FREQ=MINUTELY;INTERVAL=5" "FREQ=WEEKLY;COUNT=0" "FREQ=DAILY;INTERVAL=-1"; do
	bad "every '$i'" 65 "invalid interval '$i'" tend every ann "$i"
done
bad "add --every 0d" 65 "invalid interval '0d'" tend add Carl --every 0d
bad "edit --every -3w" 65 "invalid interval '-3w'" tend edit ann --every -3w

# over-long fields
long200=$(head -c 201 /dev/zero | tr '\0' a)
long10k=$(head -c 10001 /dev/zero | tr '\0' b)
bad "an over-long name" 65 "name is too long (201 bytes, at most 200)" \
    tend add "$long200"
bad "an over-long company" 65 "company is too long" \
    tend add Carl --company "$long200"
bad "an over-long title" 65 "title is too long" tend edit ann --title "$long200"
bad "an over-long place" 65 "where you met is too long" \
    tend add Carl --met "$long200"
bad "an over-long need" 65 "need is too long (10001 bytes, at most 10000)" \
    tend add Carl --need "$long10k"
bad "an over-long note" 65 "note is too long" tend edit ann --note "$long10k"
bad "an over-long summary" 65 "summary is too long" \
    tend log ann call "$long10k"
bad "an over-long reason" 65 "reason is too long" tend follow ann "$long10k"
bad "an over-long tag" 65 "tag is too long" \
    tend add Carl -t "$(head -c 65 /dev/zero | tr '\0' t)"
bad "an over-long phone" 65 "invalid phone number" \
    tend add Carl -p "$(head -c 41 /dev/zero | tr '\0' 1)"
bad "an over-long address" 65 "invalid e-mail address" \
    tend add Carl -e "$(head -c 250 /dev/zero | tr '\0' e)@example.com"
bad "an over-long query" 65 "query is too long" tend find "$long200"
bad "an over-long done note" 65 "note is too long" tend done 1 -n "$long10k"

# control characters
for c in '\001' '\010' '\033' '\177' '\r'; do
	v=$(printf "Carl${c}Diaz")
	bad "a control character ($c) in a name" 65 "name contains a control character" \
	    tend add "$v"
done
bad "a newline in a name" 65 "name contains a control character (0x0a)" \
    tend add "$(printf 'Carl\nDiaz')"
bad "a newline in a company" 65 "company contains a control character (0x0a)" \
    tend edit ann --company "$(printf 'A\nB')"
bad "an escape in a summary" 65 "summary contains a control character (0x1b)" \
    tend log ann call "$(printf 'hi \033[31mred')"
bad "a control character in a reason" 65 "reason contains a control character" \
    tend follow ann "$(printf 'a\002b')"
bad "a control character in a tag" 65 "tag contains a control character" \
    tend add Carl -t "$(printf 'a\003')"
bad "a control character in a setting" 65 "sender.name contains a control character" \
    tend config sender.name "$(printf 'Zo\007e')"
bad "a control character in a cancel note" 65 "note contains a control character" \
    tend cancel 1 -n "$(printf 'x\001')"

# invalid UTF-8
for u in '\377' '\300\200' '\355\240\200' '\364\220\200\200' '\303' \
    '\342\202' '\200abc'; do
	v=$(printf "Carl $u")
	bad "invalid UTF-8 ($u) in a name" 65 "name is not valid UTF-8" tend add "$v"
done
bad "invalid UTF-8 in a need" 65 "need is not valid UTF-8" \
    tend edit ann --need "$(printf 'caf\351')"
bad "invalid UTF-8 in a summary" 65 "summary is not valid UTF-8" \
    tend log ann note "$(printf '\351t\351')"
bad "invalid UTF-8 in a reason" 65 "reason is not valid UTF-8" \
    tend follow ann "$(printf '\377')"
bad "invalid UTF-8 in an address" 65 "invalid e-mail address" \
    tend add Carl -e "$(printf 'caf\351@example.com')"
bad "invalid UTF-8 in a query" 65 "query is not valid UTF-8" \
    tend find "$(printf '\377')"
bad "invalid UTF-8 in a setting" 65 "sender.name is not valid UTF-8" \
    tend config sender.name "$(printf '\377')"

# unknown contacts
for cmd in show edit rm log follow every; do
	case $cmd in
	log) extra=call ;;
	every) extra=2w ;;
	*) extra= ;;
	esac
	# shellcheck disable=SC2086
	bad "$cmd an unknown contact" 65 "contact 'nobody' not found" \
	    tend $cmd nobody $extra
	# shellcheck disable=SC2086
	bad "$cmd an unknown id" 65 "contact 42 not found" tend $cmd 42 $extra
	# shellcheck disable=SC2086
	bad "$cmd an unknown address" 65 "contact 'x@example.com' not found" \
	    tend $cmd x@example.com $extra
done
bad "add --via an unknown contact" 65 "contact 'nobody' not found" \
    tend add Carl --via nobody
run tend add "Bea Stone"
snap
bad "an ambiguous contact" 2 "'b' matches 2 contacts: Bea Stone (3), Bob Stone (2)" \
    tend show b

# unknown follow-ups and bad ids
for cmd in done cancel; do
	bad "$cmd an unknown follow-up" 65 "follow-up 99 not found" tend $cmd 99
	for id in abc 0 "#0" -1 1.5 "1 " " 1" "" 99999999999999999999 0x10; do
		bad "$cmd a bad id '$id'" 2 "invalid follow-up id '$id'" \
		    tend $cmd -- "$id"
	done
done
bad "snooze an unknown follow-up" 65 "follow-up 99 not found" tend snooze 99 fri
bad "snooze a bad id" 2 "invalid follow-up id 'abc'" tend snooze abc fri
bad "a contact id 0" 2 "invalid contact id '0'" tend show 0
bad "a contact id #0" 2 "invalid contact id '#0'" tend log "#0" call
bad "follow --deal abc" 2 "invalid deal id 'abc'" tend follow ann --deal abc
bad "follow --deal unknown" 65 "deal '7' not found" tend follow ann --deal 7

# unknown words
bad "an unknown kind" 65 "unknown kind 'boss'" tend add Carl --kind boss
bad "an unknown source" 65 "unknown source 'web'" tend add Carl --source web
bad "an unknown interaction" 65 "unknown interaction kind 'chat'" tend log ann chat
bad "an unknown channel" 65 "unknown channel 'fax'" tend follow ann --via fax
bad "an unknown deal stage" 65 "unknown stage 'dreaming'" \
    tend deal add ann "Logo" --stage dreaming
bad "an unknown deal stage on move" 65 "unknown stage 'dreaming'" \
    tend deal move 1 dreaming

# usage errors
bad "an unknown command" 2 "unknown command 'frobnicate'" tend frobnicate
bad "an unknown global option" 2 "unknown option '--verbose'" tend --verbose list
bad "an unknown option" 2 "add: unknown option '--bogus'" tend add Carl --bogus
bad "an unknown short option" 2 "add: unknown option '-z'" tend add Carl -z
bad "a missing value" 2 "option '--email' needs a value" tend add Carl --email
bad "a value for a flag" 2 "option '--dnc' takes no value" tend add Carl --dnc=yes
bad "a missing argument" 2 "usage: tend add NAME" tend add
bad "an extra argument" 2 "usage: tend add NAME" tend add Carl Diaz
bad "an empty name" 65 "a contact needs a name" tend add ""

# a value echoed in a message cannot break the line or reach the terminal
# as control characters or invalid UTF-8: it is shown escaped
bad "a newline in an echoed value" 65 "unknown interaction kind 'call\\nfoo'" \
    tend log ann "$(printf 'call\nfoo')"
bad "an escape sequence in an echoed value" 65 "contact 'a\\x1b[2Jb' not found" \
    tend show "$(printf 'a\033[2Jb')"
bad "invalid UTF-8 in an echoed value" 65 "invalid e-mail address 'caf\\xe9@example.com'" \
    tend add Carl -e "$(printf 'caf\351@example.com')"
bad "UTF-8 in an echoed value is kept" 65 "contact 'Zoë' not found" tend show Zoë
bad "a tab in an echoed value" 65 "unknown channel 'a\\tb'" \
    tend follow ann --via "$(printf 'a\tb')"

# the agenda and the settings never wrote anything through all this
run tend show ann --json
expect_json '[j["name"], j["emails"], j["cadence"], j["tz"], j["company"]]' \
    '["Ann Lee", ["ann@example.com"], "6w", null, null]' \
    "Ann is as she was"
