#!/bin/sh
# tend export: vCard 4.0 and 3.0 that an independent parser (python3-
# vobject) reads, CSV in tend's and Google's columns, JSON; importing
# any of them into a new database gives the same contacts back.
. "$(dirname "$0")/lib.sh"
C=../shared/corpus

"$PY" -c 'import vobject' 2>/dev/null ||
    skip_all "python3-vobject is not installed (make deps)"

for f in $C/vcard/*.vcf $C/csv/*.csv; do
	run tend import "$f"
done
run tend add "Typed In" -e typed@example.com -p "+1 555 0199" --company Acme \
    --title CEO --kind client --met "BNI" --met-on 2026-10-01 \
    --need "a new website" --note "$(printf 'two lines\nof notes')" \
    -t bni -t golf --tz Europe/Paris --every 6w --dnc
run tend add "Referred Person" --via "Typed In"
run tend list --json
total=$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')

# the contacts of a database, without what differs between databases
contacts() {
	TEND_DB="$1" "$TEND" export --format json | "$PY" -c '
import json, sys
out = []
for c in json.load(sys.stdin)["contacts"]:
    for k in ("id", "created", "updated", "via", "source", "cadence"):
        c.pop(k, None)
    out.append(c)
out.sort(key=lambda c: (c["name"], json.dumps(c, sort_keys=True)))
print(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False))'
}
contacts "$TEND_DB" >"$T/before.json"

# roundtrip FORMAT-OPTIONS... : export, check, import into a new db, compare
for v in 4.0 3.0; do
	run tend export --vcard-version $v -o "$T/all-$v.vcf"
	expect_rc 0 "export vCard $v"
	n=$("$PY" tests/interop/vobject-check.py "$T/all-$v.vcf" | wc -l)
	if [ "$n" = "$total" ]; then _ok "vobject reads all $n cards of vCard $v"
	else _notok "vobject reads every card of vCard $v" "$n of $total"
	fi
	"$PY" - "$T/all-$v.vcf" "$v" <<'PY' >"$T/check.txt" 2>&1
import sys, vobject
cards = list(vobject.readComponents(open(sys.argv[1], encoding="utf-8").read()))
bad = [c.fn.value for c in cards if c.version.value != sys.argv[2]]
typed = [c for c in cards if c.fn.value == "Typed In"][0]
assert not bad, bad
assert typed.email.value == "typed@example.com", typed.email.value
assert typed.org.value[0] == "Acme", typed.org.value
assert typed.title.value == "CEO"
assert typed.note.value == "two lines\nof notes", repr(typed.note.value)
assert sorted(typed.categories.value) == ["bni", "golf"], typed.categories.value
print("fine")
PY
	if [ "$(cat "$T/check.txt")" = fine ]; then _ok "vCard $v: the fields as vobject reads them"
	else _notok "vCard $v: the fields as vobject reads them" "$(cat "$T/check.txt")"
	fi
	TEND_DB="$T/re-$v.db" run tend import "$T/all-$v.vcf"
	expect_rc 0 "vCard $v imports into a new database"
	contacts "$T/re-$v.db" >"$T/after.json"
	if cmp -s "$T/before.json" "$T/after.json"; then
		_ok "vCard $v: the same contacts back"
	else
		_notok "vCard $v: the same contacts back" \
		    "$(diff "$T/before.json" "$T/after.json" | head -30)"
	fi
done
TEND_DB="$T/re-4.0.db" run tend show "Referred Person" --json
expect_json 'j["via"]["name"]' "Typed In" "who introduced whom survives"

run tend export --format json -o "$T/all.json"
TEND_DB="$T/re-json.db" run tend import "$T/all.json"
expect_rc 0 "JSON imports into a new database"
contacts "$T/re-json.db" >"$T/after.json"
if cmp -s "$T/before.json" "$T/after.json"; then _ok "JSON: the same contacts back"
else _notok "JSON: the same contacts back" \
    "$(diff "$T/before.json" "$T/after.json" | head -30)"
fi

# CSV: tend's columns carry tend's fields; re-import finds them all
run tend export --format csv -o "$T/all.csv"
expect_rc 0 "export CSV"
head -1 "$T/all.csv" >"$T/header"
if grep -q '^name,company,title,kind,emails,phones,tags' "$T/header"; then
	_ok "CSV: tend's documented columns"
else _notok "CSV: tend's documented columns" "$(cat "$T/header")"
fi
TEND_DB="$T/re-csv.db" run tend import "$T/all.csv" --json
expect_json 'j["added"] + j["merged"] + j["unchanged"]' "$total" \
    "CSV: every contact comes back"
run tend import "$T/all.csv" --json
expect_json 'j["added"]' 0 "CSV into the same database: nothing new"
run tend export --format csv --csv-layout google -o "$T/google.csv"
expect_rc 0 "export in Google's columns"
head -1 "$T/google.csv" | grep -q 'First Name' && _ok "Google header" ||
    _notok "Google header" "$(head -1 "$T/google.csv")"
TEND_DB="$T/re-google.db" run tend import "$T/google.csv" --json
expect_json 'j["added"] + j["merged"]' "$total" \
    "Google CSV: every contact comes back"

# filters
run tend export --tag golf --format json
expect_json '[c["name"] for c in j["contacts"]]' '["Typed In"]' "--tag"
run tend export --kind client --format json
expect_json '[c["name"] for c in j["contacts"]]' '["Typed In"]' "--kind"

# -o: the whole file or nothing
run tend export -o "$T/no/such/dir/x.vcf"
expect_rc 1 "-o into a folder that is not there"
expect_err "cannot write '$T/no/such/dir/x.vcf'" "names the path"
ls "$T/no" >/dev/null 2>&1 && _notok "nothing left behind" ||
    _ok "nothing left behind"
printf 'old' >"$T/keep.vcf"
run tend export --format nope -o "$T/keep.vcf"
expect_rc 2 "an unknown format"
expect_err "unknown format 'nope'" "says so"
[ "$(cat "$T/keep.vcf")" = old ] && _ok "the old file is untouched" ||
    _notok "the old file is untouched"
run tend export --vcard-version 2.1
expect_rc 2 "vCard 2.1 is not written"
run tend export --format csv --vcard-version 3.0
expect_rc 2 "--vcard-version with csv"
run tend export --csv-layout outlook --format csv
expect_rc 2 "an unknown CSV layout"
run tend export --kind boss
expect_rc 2 "an unknown kind"
ls "$T"/keep.vcf.* >/dev/null 2>&1 && _notok "no temporary files left" ||
    _ok "no temporary files left"

# tend add --vcard: one card, as a scanner hands it over
run tend add --vcard $C/vcard/gmail-3.0-itemgroups.vcf --json
expect_rc 65 "a card whose address is already here is refused"
TEND_DB="$T/card.db" run tend add --vcard $C/vcard/gmail-3.0-itemgroups.vcf \
    --tag scanned --met "Web Summit" --json
expect_rc 0 "add --vcard"
expect_json '"scanned" in j["tags"]' true "with the options given too"
expect_json 'j["met_where"]' "Web Summit" "where met from the option"
TEND_DB="$T/card.db" run tend add --vcard $C/vcard/gmail-3.0-list.vcf
expect_rc 65 "a file of three cards"
expect_err "more than one card" "says to use import"
run sh -c "printf 'BEGIN:VCARD\nVERSION:3.0\nFN:From Stdin\nEND:VCARD\n' | TEND_DB=$T/card.db \"$TEND\" add --vcard - Renamed"
expect_rc 0 "add --vcard - reads standard input"
TEND_DB="$T/card.db" run tend show Renamed --json
expect_json 'j["name"]' Renamed "a NAME given overrides the card's"
TEND_DB="$T/card.db" run tend edit Renamed --vcard x.vcf
expect_rc 2 "edit refuses --vcard"
