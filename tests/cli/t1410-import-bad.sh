#!/bin/sh
# tend import, bad input: each file or option that cannot be read gives a
# clear error with where it is (exit 65, or 2 for usage) and writes
# nothing; --keep-going imports the good records and lists the bad.
. "$(dirname "$0")/lib.sh"
C=../shared/corpus

run tend add "Ann Lee" -e ann@example.com
snapshot

# bad FILE EXIT "message part" WHAT
bad() {
	run tend import "$1"
	expect_rc "$2" "$4: exit $2"
	expect_err "$3" "$4: says so"
	expect_unchanged "$4: nothing written"
}

bad "$T/missing.csv" 65 "cannot open '$T/missing.csv'" "a missing file"
: >"$T/empty.csv"
bad "$T/empty.csv" 65 "empty.csv: the file is empty" "an empty file"
printf '\n  \r\n' >"$T/blank.vcf"
bad "$T/blank.vcf" 65 "blank.vcf: the file is empty" "a file of blank lines"
head -c 3000 /dev/urandom | tr -d '\000' >"$T/junk.bin"
printf '\000\001\002binary' >>"$T/junk.bin"
bad "$T/junk.bin" 65 "junk.bin" "binary junk"

printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Off\r\nEMAIL:cut@example.com\r\n' \
    >"$T/noend.vcf"
bad "$T/noend.vcf" 65 "noend.vcf: card 2" "a card without END"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Truncated\r\nEMAIL;TYPE=work:trunc' \
    >"$T/trunc.vcf"
bad "$T/trunc.vcf" 65 "trunc.vcf: card 1" "a truncated card"
printf 'BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=NO-SUCH-CHARSET:Doe;Jane\nEND:VCARD\n' \
    >"$T/charset.vcf"
bad "$T/charset.vcf" 65 "NO-SUCH-CHARSET" "an unknown charset"
printf 'BEGIN:VCARD\nVERSION:2.1\nN:M\374ller;J\366rg\nFN:J\366rg M\374ller\nEND:VCARD\n' \
    >"$T/nocharset.vcf"
bad "$T/nocharset.vcf" 65 "nocharset.vcf: card 1" \
    "Latin-1 bytes without a CHARSET"
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Bad Mail\nEMAIL:ann@example.com\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:x\nTEL:1\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:\001bell\nEND:VCARD\n' \
    >"$T/ctl.vcf"
bad "$T/ctl.vcf" 65 "ctl.vcf: card 3" "a control character in a name"

printf 'Name,E-mail\nGood Row,good@example.com\nRagged,r@example.com,extra,fields\nAfter,after@example.com\n' \
    >"$T/ragged.csv"
bad "$T/ragged.csv" 65 "ragged.csv: line 3 (record 2)" "a ragged row"
printf 'Name,E-mail\nGood Row,good@example.com\n"Open quote,x@example.com\n' \
    >"$T/quote.csv"
bad "$T/quote.csv" 65 "quote.csv" "a quote never closed"

run tend import $C/csv/outlook-com-export.csv -m shoe_size=Notes
expect_rc 65 "an unknown --map field"
expect_err "unknown field 'shoe_size'" "names it"
expect_unchanged "unknown --map field: nothing written"
run tend import $C/csv/outlook-com-export.csv -m email="No Such Column"
expect_rc 65 "--map to a column that is not there"
expect_err "No Such Column" "names it"
expect_unchanged "unknown column: nothing written"
run tend import $C/vcard/gmail-3.0.vcf -m email=1
expect_rc 2 "--map on a vCard"
expect_unchanged "--map on a vCard: nothing written"
run tend import $C/vcard/gmail-3.0.vcf --format xml
expect_rc 2 "an unknown format"
expect_err "unknown format 'xml'" "says so"
run tend import $C/vcard/gmail-3.0.vcf --prefer mine
expect_rc 2 "a bad --prefer"
run tend import $C/vcard/gmail-3.0.vcf --source magic
expect_rc 2 "a bad --source"
run tend import $C/vcard/gmail-3.0.vcf --tag "two words"
expect_rc 2 "a bad --tag"
run tend import
expect_rc 2 "no file"
run tend import $C/vcard/gmail-3.0.vcf --format csv
expect_rc 65 "a vCard read as CSV does not fit"
expect_unchanged "usage errors write nothing"

# the first bad record stops everything, even after good files
run tend import $C/vcard/gmail-3.0-list.vcf "$T/ragged.csv"
expect_rc 65 "a bad record in the second file"
expect_unchanged "all or nothing across files"

# a record over the size limit is an error, not an out-of-memory
"$PY" -c 'import sys; sys.stdout.write("Name,Notes\nBig,\"" + "x" * (3 << 20) + "\"\nSmall,ok\n")' \
    >"$T/big.csv"
bad "$T/big.csv" 65 "big.csv" "a 3 MB record"

# --keep-going: the good records, and each bad one listed
run tend import "$T/ragged.csv" --keep-going
expect_rc 0 "--keep-going"
expect_has "error: $T/ragged.csv: line 3 (record 2)" "the bad row is listed"
expect_has "2 added, 0 merged, 0 unchanged, 0 skipped, 1 error" \
    "the good rows are in"
run tend show after@example.com --json
expect_json 'j["name"]' After "the row after the bad one is in"
run tend import "$T/noend.vcf" -k --json
expect_json 'j["added"]' 1 "--keep-going on a card without END"
expect_json 'j["errors"]' 1 "one error"
expect_json 'j["issues"][0]["what"]' error "listed as an error"

# a kill in the middle of a long import leaves the database as it was
"$PY" -c '
import sys
w = sys.stdout.write
w("Name,E-mail,Phone\n")
for i in range(60000):
    w("Person %d,p%d@example.com,+1 555 %07d\n" % (i, i, i))' >"$T/long.csv"
for delay in 0.2 0.6; do
	export TEND_DB="$T/kill-$delay.db"
	run tend add "Before" -e before@example.com
	"$TEND" import "$T/long.csv" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM contacts" 2>&1)
	case "$n" in
	1|60001) _ok "killed after ${delay}s: $n contacts, all or nothing" ;;
	*) _notok "killed after ${delay}s: all or nothing" "contacts: $n" ;;
	esac
	ic=$(sqlite3 "$TEND_DB" "PRAGMA integrity_check" 2>&1)
	if [ "$ic" = ok ]; then _ok "killed after ${delay}s: integrity ok"
	else _notok "killed after ${delay}s: integrity" "$ic"
	fi
done
