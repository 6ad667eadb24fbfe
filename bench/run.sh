#!/bin/sh
# The benchmark, run by `make bench`: builds (or reuses) sample databases
# of 10k, 100k and 1M contacts in bench/data/, then measures with
# hyperfine, whole process, medians:
#   - `tend today --limit 50` against bench/agenda.sql run by sqlite3 on
#     the same database in the same run (the same 50 items: checked), and
#     the ratio tend / sqlite3 (the goal is <= 3 at 1M);
#   - at 1M, `tend show`, `tend find`, and `tend add` / `tend log` (on a
#     copy of the database) against raw sqlite3 INSERTs of the same rows;
#   - the peak RSS of `tend today` at 1M;
# and writes everything, with the machine and the date, to
# bench/RESULTS.md.
#
# Environment: BUILD (default build/normal), SIZES ("10000 100000
# 1000000"), SEED (1), RUNS (10), WARMUP (2).  Every run uses the same
# clock: TEND_NOW=2026-11-23T09:00, TZ=UTC, and no config file.
set -eu
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build/normal}
TEND=$PWD/$BUILD/tend
GEN=$PWD/$BUILD/bench/gen
SIZES=${SIZES:-"10000 100000 1000000"}
SEED=${SEED:-1}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
NOW_ISO=2026-11-23T09:00
NOW=1795424400			# the same instant in UTC seconds
TODAY=$((NOW - NOW % 86400))
TOMORROW=$((TODAY + 86400))
STUCK=$((TODAY - 14 * 86400))	# agenda.stuck_days, default 14
LIMIT=50
DATA=bench/data
OUT=bench/RESULTS.md

for t in hyperfine sqlite3 python3; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "bench: $t is missing: make deps" >&2
		exit 1
	fi
done
if [ ! -x "$TEND" ] || [ ! -x "$GEN" ]; then
	echo "bench: build $TEND and $GEN first (make bench does)" >&2
	exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
export TZ=UTC TEND_NOW=$NOW_ISO TEND_CONFIG=$TMP/no-config
unset TEND_DB XDG_DATA_HOME XDG_CONFIG_HOME 2>/dev/null || true
mkdir -p "$DATA"
VERSION=$("$GEN" --version)
START=$(date +%s)

SQL="sqlite3 -init /dev/null -bail"
PARAMS="-cmd '.parameter set :now $NOW' -cmd '.parameter set :today $TODAY' \
-cmd '.parameter set :tomorrow $TOMORROW' -cmd '.parameter set :stuck $STUCK' \
-cmd '.parameter set :limit $LIMIT'"

# median SECONDS of command INDEX in hyperfine's JSON FILE
median() {
	python3 -c 'import json,sys
print("%.6f" % json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"
}

# mean user + system SECONDS of command INDEX in hyperfine's JSON FILE
cpu() {
	python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]
print("%.6f" % (r["user"] + r["system"]))' "$1" "$2"
}

ms() {
	python3 -c 'import sys; print("%.1f ms" % (float(sys.argv[1]) * 1000))' "$1"
}

ratio() {
	python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"
}

# bench NAME CMD...: hyperfine the commands ($BRUNS runs, else $RUNS),
# JSON in $TMP/NAME.json
bench() {
	name=$1
	shift
	hyperfine -N --style basic --warmup "$WARMUP" --runs "${BRUNS:-$RUNS}" \
	    --export-json "$TMP/$name.json" "$@" >"$TMP/$name.log" 2>&1 || {
		cat "$TMP/$name.log" >&2
		echo "bench: hyperfine failed for $name" >&2
		exit 1
	}
	grep -E '^(Benchmark|  Time)' "$TMP/$name.log" | sed 's/^/  /'
}

# The data sets: generated once, kept until the generator or clock changes.
dataset() {
	n=$1
	db=$DATA/tend-$n-s$SEED-v$VERSION-20261123T0900.db
	if [ ! -f "$db" ]; then
		for old in "$DATA"/tend-"$n"-*.db; do
			[ -f "$old" ] || continue
			echo "bench: removing stale $old" >&2
			rm -f "$old" "$old.log"
		done
		echo "bench: generating $db" >&2
		rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
		"$GEN" -n "$n" -o "$db.tmp" --seed "$SEED" --now "$NOW_ISO" \
		    2>&1 | tee "$db.log" | sed 's/^/  /' >&2
		mv "$db.tmp" "$db"
	fi
	echo "$db"
}

# Does bench/agenda.sql give the same items, in order, as tend?
same_items() {
	db=$1
	eval "$SQL $PARAMS -json \"\$db\" '.read bench/agenda.sql'" \
	    >"$TMP/raw.json"
	"$TEND" --db "$db" today --limit $LIMIT --json >"$TMP/tend.json"
	python3 - "$TMP/raw.json" "$TMP/tend.json" <<'EOF'
import json, sys
raw = json.load(open(sys.argv[1]))
tend = json.load(open(sys.argv[2]))
a = [(r["kind"], r["id"], r["score"]) for r in raw]
b = [(i["kind"], i["id"], i["score"]) for i in tend["items"]]
total = raw[0]["total"] if raw else 0
if a == b and total == tend["total"]:
    print("yes (%d of %d)" % (len(a), total))
else:
    print("NO: raw %d items, total %d; tend %d items, total %d"
          % (len(a), total, len(b), tend["total"]))
EOF
}

{
	echo "| contacts | interactions | follow-ups (open) | deals (open) |" \
	    "cadences | file | generated in |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$TMP/data.md"
{
	echo "| contacts | \`tend today --limit $LIMIT\` | \`sqlite3\`" \
	    "agenda.sql | ratio | CPU: tend, sqlite3, ratio | same items |"
	echo "| ---: | ---: | ---: | ---: | ---: | --- |"
} >"$TMP/today.md"

last_db=
for n in $SIZES; do
	db=$(dataset "$n")
	last_db=$db
	echo "bench: $n contacts ($db)" >&2
	counts=$(sqlite3 -init /dev/null "$db" "SELECT (SELECT count(*) FROM
	    interactions) || ' | ' || (SELECT count(*) FROM followups) || ' ('
	    || (SELECT count(*) FROM followups WHERE state IN ('open',
	    'snoozed')) || ') | ' || (SELECT count(*) FROM deals) || ' (' ||
	    (SELECT count(*) FROM deals WHERE closed = 0) || ') | ' ||
	    (SELECT count(*) FROM cadences)")
	size=$(du -m "$db" | cut -f1)
	took=$(sed -n 's/^gen: done in \([0-9.]*\) s.*/\1 s/p' "$db.log" \
	    2>/dev/null || true)
	echo "| $n | $counts | $size MB | ${took:-?} |" >>"$TMP/data.md"

	same=$(same_items "$db")
	echo "  same items as tend: $same" >&2
	bench "today-$n" \
	    -n tend "$TEND --db $db today --limit $LIMIT" \
	    -n sqlite3 "$SQL $PARAMS $db '.read bench/agenda.sql'"
	t=$(median "$TMP/today-$n.json" 0)
	s=$(median "$TMP/today-$n.json" 1)
	r=$(ratio "$t" "$s")
	echo "  ratio tend / sqlite3: $r" >&2
	ct=$(cpu "$TMP/today-$n.json" 0)
	cs=$(cpu "$TMP/today-$n.json" 1)
	echo "| $n | $(ms "$t") | $(ms "$s") | **$r** | $(ms "$ct")," \
	    "$(ms "$cs"), $(ratio "$ct" "$cs") | $same |" >>"$TMP/today.md"
	eval "R_$n=$r"
done

# The rest at the largest size.
db=$last_db
n=$(echo "$SIZES" | awk '{ print $NF }')
echo "bench: show, find, add, log at $n contacts" >&2
# a contact with a deal and the longest history, among the first ones
who=$(sqlite3 -init /dev/null "$db" "SELECT i.contact_id FROM interactions
    i WHERE i.contact_id IN (SELECT contact_id FROM deals WHERE contact_id
    <= 20000) GROUP BY i.contact_id ORDER BY count(*) DESC, i.contact_id
    LIMIT 1")
word=bookkeeping
hits=$(sqlite3 -init /dev/null "$db" "SELECT (SELECT count(*) FROM
    contacts_fts WHERE contacts_fts MATCH '$word') + (SELECT count(*) FROM
    interactions_fts WHERE interactions_fts MATCH '$word')")
bench "read" \
    -n "tend show $who" "$TEND --db $db show $who" \
    -n "tend find $word" "$TEND --db $db find $word"
t_show=$(median "$TMP/read.json" 0)
t_find=$(median "$TMP/read.json" 1)

# writes go to a copy: the data set stays as generated
copy=$TMP/copy.db
cp "$db" "$copy"
# log on a contact that keeps in touch: the touch resets the cadence
logto=$(sqlite3 -init /dev/null "$copy" "SELECT contact_id FROM cadences
    ORDER BY contact_id LIMIT 1")
next=$((NOW + 42 * 86400))
cat >"$TMP/add.sql" <<EOF
PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
BEGIN IMMEDIATE;
INSERT INTO contacts (name, name_key, company, title, kind, met_where,
    met_on, source, needs, do_not_contact, created, updated)
    VALUES ('Bench Person', 'bench person', 'Bench Co', 'CTO', 'prospect',
    'Bench meetup', 1795132800, 'event', 'a benchmark', 0, $NOW, $NOW);
INSERT INTO phones (contact_id, number, digits, is_primary)
    VALUES ((SELECT max(id) FROM contacts), '+1 555 0100', '+15550100', 1);
INSERT INTO tags (name) VALUES ('bench') ON CONFLICT DO NOTHING;
INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)
    SELECT (SELECT max(id) FROM contacts), id FROM tags WHERE name = 'bench';
INSERT INTO cadences (contact_id, spec, next_due)
    VALUES ((SELECT max(id) FROM contacts), '6w', 1799020800);
COMMIT;
EOF
cat >"$TMP/log.sql" <<EOF
PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
BEGIN IMMEDIATE;
INSERT INTO interactions (contact_id, kind, direction, at, summary, created)
    VALUES ($logto, 'call', 'out', $NOW, 'bench call', $NOW);
UPDATE contacts SET last_touch = $NOW WHERE id = $logto AND
    (last_touch IS NULL OR last_touch < $NOW);
UPDATE cadences SET next_due = $next, level_due = NULL
    WHERE contact_id = $logto;
COMMIT;
EOF
RUNS_W=$((RUNS * 2))
BRUNS=$RUNS_W bench "write" \
    -n "tend add" "$TEND --db $copy add 'Bench Person' --company 'Bench Co' --title CTO --kind prospect --met 'Bench meetup' --met-on 2026-11-20 --need 'a benchmark' -t bench -p '+1 555 0100' --every 6w" \
    -n "sqlite3 add" "$SQL $copy '.read $TMP/add.sql'" \
    -n "tend log" "$TEND --db $copy log $logto call 'bench call'" \
    -n "sqlite3 log" "$SQL $copy '.read $TMP/log.sql'"
t_add=$(median "$TMP/write.json" 0)
s_add=$(median "$TMP/write.json" 1)
t_log=$(median "$TMP/write.json" 2)
s_log=$(median "$TMP/write.json" 3)
rm -f "$copy" "$copy-wal" "$copy-shm"

# peak memory of the agenda at the largest size
rss() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v "$@" 2>&1 >/dev/null |
		    sed -n 's/.*Maximum resident set size (kbytes): //p'
	else
		"$@" >/dev/null &
		pid=$!
		peak=0
		while kill -0 $pid 2>/dev/null; do
			v=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' \
			    /proc/$pid/status 2>/dev/null || true)
			[ -n "$v" ] && peak=$v
		done
		wait $pid || true
		echo "$peak"
	fi
}
rss_tend=$(rss "$TEND" --db "$db" today --limit $LIMIT)
rss_sql=$(eval "rss $SQL $PARAMS \"\$db\" '.read bench/agenda.sql'")
echo "  peak RSS of tend today: $rss_tend KB (sqlite3: $rss_sql KB)" >&2

# The report.
END=$(date +%s)
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
took="$(( (END - START) / 60 )) min $(( (END - START) % 60 )) s"
eval "r_big=\${R_$n}"
cat >"$OUT" <<EOF
# Benchmark results

Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC');
the run took $took.

- Machine: $(nproc) CPUs ($cpu), $mem RAM, $(uname -sr)
- Load average at the end of the run: $load (the machine is shared;
  whole-process medians absorb some of it, not all)
- SQLite $(sqlite3 -version | cut -d' ' -f1), $(hyperfine --version)
- Clock: TEND_NOW=$NOW_ISO, TZ=UTC, no config file (capacity 15, stuck
  after 14 days); data seed $SEED, generator version $VERSION
- hyperfine: $WARMUP warm-up runs, then $RUNS runs ($RUNS_W for writes),
  without a shell; medians

## Data sets

Written by \`bench/gen\` (\`make bench-data N=... OUT=...\`) through tend's
own store API, one transaction per 50,000 contacts.

$(cat "$TMP/data.md")

## The agenda: \`tend today --limit $LIMIT\` against the raw query

The raw query is bench/agenda.sql: one statement that reads the same
candidates from the same partial indexes and ranks them the same way, run
by the \`sqlite3\` shell on the same file in the same hyperfine run. "Same
items" checks that both give the same $LIMIT items (kind, id, score) in the
same order, and the same total. Times are wall-clock medians; the CPU
column is the mean user + system time of the same runs, which a busy
machine disturbs less.

$(cat "$TMP/today.md")

Goal at 1M contacts: ratio <= 3. Measured at $n: **$r_big**.

## At $n contacts

| command | tend | raw sqlite3 | ratio |
| --- | ---: | ---: | ---: |
| \`tend show $who\` (a deal, a long history) | $(ms "$t_show") | | |
| \`tend find $word\` ($hits matching rows) | $(ms "$t_find") | | |
| \`tend add\` (9 fields, a tag, a phone, a cadence) | $(ms "$t_add") | $(ms "$s_add") | $(ratio "$t_add" "$s_add") |
| \`tend log $logto call\` (resets a cadence) | $(ms "$t_log") | $(ms "$s_log") | $(ratio "$t_log" "$s_log") |

Writes ran on a copy of the data set; the raw sqlite3 scripts write the
same rows in one transaction with tend's pragmas (foreign keys on,
synchronous NORMAL).

Peak RSS of \`tend today --limit $LIMIT\` at $n contacts:
$((rss_tend / 1024)) MiB (the sqlite3 shell running agenda.sql:
$((rss_sql / 1024)) MiB).
EOF
echo "bench: wrote $OUT" >&2
cat "$OUT"
