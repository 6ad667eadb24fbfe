#!/bin/sh
# The import benchmark, run by `make bench` after bench/run.sh: imports a
# generated contacts CSV of N rows (default 1M; bench/gen-csv.py, 4% of
# rows repeat a person, so dedupe works) with `tend import` into a new
# database, against the sqlite3 shell's `.import` of the same file into a
# plain table plus an index on the e-mail column, in the same hyperfine
# run; prints the ratio (goal <= 2) and the peak RSS of the import (goal
# <= 100 MB), and writes them into bench/RESULTS.md between the import
# markers.
#
# Environment: BUILD (build/normal), IMPORT_ROWS (1000000), RUNS (3).
set -eu
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build/normal}
TEND=$PWD/$BUILD/tend
ROWS=${IMPORT_ROWS:-1000000}
RUNS=${IMPORT_RUNS:-3}
DATA=bench/data
OUT=bench/RESULTS.md
CSV=$DATA/import-$ROWS.csv

for t in hyperfine sqlite3 python3; do
	command -v $t >/dev/null 2>&1 || { echo "bench: $t missing" >&2; exit 1; }
done
[ -x "$TEND" ] || { echo "bench: build $TEND first" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
export TZ=UTC TEND_NOW=2026-11-23T09:00 TEND_CONFIG=$TMP/no-config
unset TEND_DB XDG_DATA_HOME XDG_CONFIG_HOME 2>/dev/null || true
mkdir -p "$DATA"
[ -f "$CSV" ] || python3 bench/gen-csv.py "$ROWS" "$CSV"
size=$(du -m "$CSV" | cut -f1)

# a check first: the import works, and how many contacts it gives
"$TEND" --db "$TMP/check.db" import "$CSV" --json >"$TMP/report.json"
added=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))
print(r["added"], r["merged"] + r["unchanged"], r["skipped"], r["errors"])' \
    "$TMP/report.json")
rss=$( { /usr/bin/time -f '%M' "$TEND" --db "$TMP/rss.db" import "$CSV" \
    >/dev/null; } 2>&1 | tail -1)

# the second reference needs tend's empty schema first
hyperfine --runs "$RUNS" --export-json "$TMP/import.json" -N \
    --prepare "rm -f $TMP/t.db $TMP/t.db-wal $TMP/t.db-shm" \
    --prepare "rm -f $TMP/ref.db" \
    --prepare "sh -c 'rm -f $TMP/ref2.db*; $TEND --db $TMP/ref2.db init'" \
    -n "tend import" "$TEND --db $TMP/t.db import $CSV" \
    -n "sqlite3 .import + index" \
    "sqlite3 -init /dev/null -bail $TMP/ref.db -cmd '.mode csv' -cmd '.import $CSV people' 'CREATE INDEX people_email ON people(\"E-mail\")'" \
    -n "sqlite3 .import + SQL into tend's schema" \
    "sqlite3 -init /dev/null -bail $TMP/ref2.db -cmd 'PRAGMA foreign_keys = ON' -cmd 'PRAGMA cache_size = -65536' -cmd '.mode csv' -cmd '.import $CSV people' -cmd '.read bench/import-ref.sql'" \
    >&2
read -r t_tend t_sql t_ref2 <<EOT
$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"]
print("%.3f %.3f %.3f" % (r[0]["median"], r[1]["median"], r[2]["median"]))' "$TMP/import.json")
EOT
ratio=$(python3 -c "print('%.2f' % ($t_tend / $t_sql))")
ratio2=$(python3 -c "print('%.2f' % ($t_tend / $t_ref2))")
set -- $added

python3 - "$OUT" <<PY
import sys
path = sys.argv[1]
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
section = """<!-- import: written by bench/import.sh -->
## Import: \`tend import\` of a $ROWS-row CSV against \`sqlite3 .import\`

The file ($size MB) is written by bench/gen-csv.py: a generic header
(Name, E-mail, Phone, Company, Title, Tags, Notes); 4% of the rows repeat
an earlier person by address (in another case) or by phone. tend reads it
with libcsv, tidies and checks each record, looks for the contact it
already is (e-mail, then phone, then name and company) and writes
contacts, addresses, phones, tags and the full-text index, in one
transaction. The reference is the sqlite3 shell's \`.import\` into a
plain table plus an index on the e-mail column. hyperfine, $RUNS runs
each, medians, on $(date -u +%Y-%m-%d), $(nproc) CPUs.

| | time | |
| --- | ---: | --- |
| \`tend import\` | $t_tend s | $1 added, $2 merged, $3 skipped, $4 errors |
| \`sqlite3 .import\` + index | $t_sql s | |
| ratio | **$ratio** | goal <= 2 |
| \`sqlite3 .import\` + bench/import-ref.sql | $t_ref2 s | the same rows into tend's schema by set-based SQL |
| ratio to that | **$ratio2** | tend's own work: reading, checking, dedupe |

Peak RSS of \`tend import\` (GNU time, %M): **$((rss / 1024)) MiB** (goal
<= 100 MB).
<!-- /import -->
"""
start = text.find("<!-- import:")
end = text.find("<!-- /import -->")
if start >= 0 and end >= 0:
    text = text[:start] + section + text[end + len("<!-- /import -->\n"):]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
echo "bench: import $t_tend s, sqlite3 $t_sql s (ratio $ratio), SQL into tend's schema $t_ref2 s (ratio $ratio2), rss $((rss / 1024)) MiB" >&2
