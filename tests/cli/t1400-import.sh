#!/bin/sh
# tend import: every corpus file imports with the expected counts; a
# second import merges instead of duplicating; options; the report.
. "$(dirname "$0")/lib.sh"
C=../shared/corpus

# imported FILE "added merged unchanged skipped errors" WHAT
imported() {
	rm -f "$T/one.db" "$T/one.db-wal" "$T/one.db-shm"
	TEND_DB="$T/one.db" run tend import "$1" --json
	expect_rc 0 "$(basename "$1"): imports"
	expect_json '"%d %d %d %d %d" % (j["added"], j["merged"],
	    j["unchanged"], j["skipped"], j["errors"])' "$2" \
	    "$(basename "$1"): $3"
}

imported $C/csv/google-contacts-export.csv "6 0 0 0 0" "6 people"
imported $C/csv/linkedin-Connections.csv "6 0 0 1 0" \
    "6 people, the blank row skipped"
imported $C/csv/outlook-com-export.csv "4 0 0 0 0" "4 people"
imported $C/vcard/android-2.1-qp-utf8-multi.vcf "5 1 0 0 0" \
    "6 cards, two of them one person (the same phone)"
imported $C/vcard/evolution-3.0.vcf "1 0 0 0 0" "1 card"
imported $C/vcard/ezvcard-4.0-fullcontact.vcf "1 0 0 0 0" "1 card"
imported $C/vcard/gmail-3.0-itemgroups.vcf "1 0 0 0 0" "1 card"
imported $C/vcard/gmail-3.0-list.vcf "3 0 0 0 0" "3 cards"
imported $C/vcard/gmail-3.0.vcf "1 0 0 0 0" "1 card"
imported $C/vcard/iphone-ios5-3.0-photo.vcf "1 0 0 0 0" "1 card"
imported $C/vcard/outlook-2.1-qp-photo.vcf "1 0 0 0 0" "1 card"
imported $C/vcard/outlook2007-2.1-charset-photo.vcf "1 0 0 0 0" "1 card"
imported $C/vcard/rfc2426-3.0-example.vcf "2 0 0 0 0" "2 cards"
imported $C/vcard/rfc6350-4.0-example.vcf "1 0 0 0 0" "1 card"
imported $C/vcard/vobject-4.0-multilang-ja.vcf "1 0 0 0 0" "1 card"

# the report names what was kept as written, and where
TEND_DB="$T/one.db" run tend import $C/vcard/rfc6350-4.0-example.vcf
expect_has "rfc6350-4.0-example.vcf: card 1, line 1: note: kept phone '+1-418-656-9254 ext. 102' as written" \
    "a phone with an extension is kept, and the report says so"
TEND_DB="$T/two.db" run tend import $C/csv/linkedin-Connections.csv
expect_has "linkedin-Connections.csv: line 10 (record 6): skipped: no name, e-mail address, phone or company" \
    "a skipped row is named by line and record"
expect_has "6 added, 0 merged, 0 unchanged, 1 skipped, 0 errors" "the counts"

# Google, then the same file again: nothing doubles
run tend import $C/csv/google-contacts-export.csv
expect_out "6 added, 0 merged, 0 unchanged, 0 skipped, 0 errors" "google"
run tend import $C/csv/google-contacts-export.csv
expect_out "0 added, 0 merged, 6 unchanged, 0 skipped, 0 errors" \
    "the same file again: every row is a contact already"
run tend show bjorn@nordlys.example --json
expect_json 'j["name"]' "Bjørn von Ødegård" "first, middle and last name"
expect_json 'j["company"]' "Nordlys AS" "company"
expect_json 'j["title"]' "Innkjøper" "title"
expect_json 'j["emails"][0]' "bjorn@nordlys.example" "the starred address first"
expect_json '"coworkers" in j["tags"]' true "labels become tags"
expect_json '"myContacts" in j["tags"] or "mycontacts" in j["tags"]' false \
    "Google's own label is not a tag"
expect_json 'j["source"]' import "source import"
run tend show zoe.mueller@example.de --json
expect_json 'j["notes"]' "$(printf 'Met at trade fair\nAsked for a quote, follow up in March')" \
    "a quoted note over two lines"

# options: tags, source, where met; --prefer import
run tend import $C/csv/linkedin-Connections.csv --tag linkedin \
    --source event --met "LinkedIn" --json
expect_json 'j["added"]' 6 "linkedin"
run tend list --tag linkedin --json
expect_json 'len(j)' 6 "--tag on every contact imported"
id=$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
run tend show "$id" --json
expect_json 'j["source"]' event "--source"
expect_json 'j["met_where"]' LinkedIn "--met"
expect_json 'j["met_on"] is not None' true "Connected On is the day you met"

printf 'Name,E-mail,Company,Title\nAda Example,ada.example@example.com,Acme,CTO\n' \
    >"$T/ada.csv"
run tend import "$T/ada.csv"
expect_out "0 added, 1 merged, 0 unchanged, 0 skipped, 0 errors" \
    "a match by address fills empty fields"
run tend show ada.example@example.com --json
expect_json 'j["company"]' Acme "company filled"
printf 'Name,E-mail,Company\nAda Example,ADA.EXAMPLE@example.com,Globex\n' \
    >"$T/ada2.csv"
run tend import "$T/ada2.csv"
expect_out "0 added, 0 merged, 1 unchanged, 0 skipped, 0 errors" \
    "a field with a value is not overwritten (address in another case)"
run tend import "$T/ada2.csv" --prefer import
expect_out "0 added, 1 merged, 0 unchanged, 0 skipped, 0 errors" \
    "--prefer import"
run tend show ada.example@example.com --json
expect_json 'j["company"]' Globex "the file's value won"

# phone, then name and company
printf 'Name,Phone,Company\nPhone Person,+1 (555) 010-9999,\nNamed One,,Initech\n' \
    >"$T/p1.csv"
printf 'Name,Phone,E-mail,Company\nP. Person,+1 555 010 9999,pp@example.com,\nnamed one,,n1@example.com,INITECH\n' \
    >"$T/p2.csv"
run tend import "$T/p1.csv"
expect_out "2 added, 0 merged, 0 unchanged, 0 skipped, 0 errors" "p1"
run tend import "$T/p2.csv"
expect_out "0 added, 2 merged, 0 unchanged, 0 skipped, 0 errors" \
    "matched by phone digits, then by name and company"
run tend show pp@example.com --json
expect_json 'j["name"]' "Phone Person" "the phone match kept the name"
run tend show n1@example.com --json
expect_json 'j["name"]' "Named One" "the name and company match"

# inside one file, records find each other
printf 'Name,E-mail,Phone\nDup One,dup@example.com,\nDup One Again,DUP@example.com,+44 20 7946 0001\n' \
    >"$T/dup.csv"
run tend import "$T/dup.csv"
expect_out "1 added, 1 merged, 0 unchanged, 0 skipped, 0 errors" \
    "two rows of one file are one person"

# --dry-run: the same report, nothing written
snapshot
run tend import $C/csv/outlook-com-export.csv --dry-run
expect_rc 0 "dry run"
expect_out "dry run, nothing written: 4 added, 0 merged, 0 unchanged, 0 skipped, 0 errors" \
    "dry run reports"
expect_unchanged "dry run writes nothing"
run tend import $C/csv/outlook-com-export.csv -n --json
expect_json 'j["dry_run"]' true "dry run --json"
expect_unchanged "dry run --json writes nothing"

# standard input, and several files at once
run sh -c "\"$TEND\" import - < $C/vcard/gmail-3.0-list.vcf"
expect_out "3 added, 0 merged, 0 unchanged, 0 skipped, 0 errors" "stdin"
TEND_DB="$T/many.db" run tend import $C/vcard/gmail-3.0-list.vcf \
    $C/csv/outlook-com-export.csv --json
expect_json 'j["added"]' 7 "two files, one report"

# a CSV that is not UTF-8 is read as Windows-1252, and said so
printf 'Name,E-mail,Notes\nRen\351e Caf\351,renee@example.com,\200 40\n' \
    >"$T/cp1252.csv"
run tend import "$T/cp1252.csv"
expect_has "cp1252.csv: not UTF-8: read as Windows-1252" "says so"
run tend show renee@example.com --json
expect_json 'j["name"]' "Renée Café" "é"
expect_json 'j["notes"]' "€ 40" "the euro sign"

# --map
printf 'Who,Mail,Firm\nMapped Person,mapped@example.com,Umbrella\n' \
    >"$T/map.csv"
run tend import "$T/map.csv" -m name=Who -m email=2 -m company=Firm
expect_rc 0 "--map by name and by number"
run tend show mapped@example.com --json
expect_json 'j["name"] + "/" + j["company"]' "Mapped Person/Umbrella" \
    "mapped"

# show: labels with the values, kept properties, a photo by size only
TEND_DB="$T/photo.db" run tend import $C/vcard/iphone-ios5-3.0-photo.vcf
TEND_DB="$T/photo.db" run tend show 1
expect_has "905-555-1234 (cell)" "a phone with its label"
expect_has "905-222-1234 (AssistantPhone)" "an item's own label"
expect_has "NICKNAME: Johny" "a kept property"
expect_has "PHOTO (43399 bytes, not shown)" "the photo by its size"
expect_lacks "/9j/" "not its data"
TEND_DB="$T/photo.db" run tend show 1 --json
expect_json 'j["labels"]["phones"][0]' cell "labels in JSON"
expect_json '[x["bytes"] for x in j["extras"] if x["name"] == "PHOTO"]' \
    '[43399]' "the photo's size in JSON"
expect_json '[x["value"] for x in j["extras"] if x["name"] == "PHOTO"]' \
    '[null]' "and not its data"

# values tend does not know do not cost the record
printf 'Name,E-mail,Type,Source,Time Zone\nKind One,k1@example.com,Customer,web form,Mars/Base\nKind Two,k2@example.com,VIP,,Europe/Paris\n' \
    >"$T/kinds.csv"
TEND_DB="$T/kinds.db" run tend import "$T/kinds.csv"
expect_out "2 added, 0 merged, 0 unchanged, 0 skipped, 0 errors" \
    "unknown kinds, sources and zones import"
TEND_DB="$T/kinds.db" run tend show k1@example.com --json
expect_json 'j["kind"]' client "Customer means client"
expect_json 'j["tz"]' null "an unknown zone is not set"
expect_json '[x["value"] for x in j["extras"]]' '["web form", "Mars/Base"]' \
    "but kept, with the unknown source"
TEND_DB="$T/kinds.db" run tend show k2@example.com --json
expect_json 'j["kind"]' other "an unknown kind ..."
expect_json '"vip" in j["tags"]' true "... becomes a tag"
expect_json 'j["tz"]' Europe/Paris "a known zone is set"

# a record that is an archived contact merges there, and the report says so
TEND_DB="$T/arch.db" run tend add "Gone Person" -e gone@example.com
TEND_DB="$T/arch.db" run tend rm gone@example.com
printf 'Name,E-mail,Title\nGone Person,gone@example.com,CFO\n' >"$T/gone.csv"
TEND_DB="$T/arch.db" run tend import "$T/gone.csv"
expect_has "note: is archived contact 1 (by e-mail); 'tend edit 1 --restore' brings it back" \
    "an archived match is named"
expect_has "0 added, 1 merged" "and merged, not added twice"
