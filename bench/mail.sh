#!/bin/sh
# The mail benchmark, run by `make bench`: queue MAIL_N (10,000)
# personalised messages of about 2.5 KB (bench/letter.txt merged with
# each contact) and send them to postfix's smtp-sink on 127.0.0.1, with
# 1 and with 4 connections; in the same run smtp-source sends the same
# count and size over the same connection count to the same sink, and
# the ratio tend / smtp-source is printed (goal >= 0.5).  Also the
# latency of one message from `tend mail` to the server's 250 (the two
# with tend send running; goal <= 10 ms).  hyperfine, medians;
# results in bench/RESULTS.md between the mail markers.
#
# Environment: BUILD (build/normal), MAIL_N (10000), RUNS (3).
set -eu
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build/normal}
TEND=$PWD/$BUILD/tend
N=${MAIL_N:-10000}
RUNS=${RUNS:-3}
OUT=bench/RESULTS.md
SINK=${SMTP_SINK:-/usr/sbin/smtp-sink}
SOURCE=${SMTP_SOURCE:-/usr/sbin/smtp-source}

for t in hyperfine sqlite3 python3 "$SINK" "$SOURCE"; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: $t missing: make deps" >&2; exit 1; }
done
[ -x "$TEND" ] || { echo "bench: build $TEND first" >&2; exit 1; }
TMP=$(mktemp -d)
SINK_PID=""
SINK2_PID=""
SEND_PID=""
cleanup() {
	for pid in $SEND_PID $SINK2_PID $SINK_PID; do
		kill "$pid" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export TZ=UTC TEND_NOW=2026-11-23T09:00 TEND_CONFIG=$TMP/config
unset TEND_DB XDG_DATA_HOME XDG_CONFIG_HOME TEND_SMTP_PASSWORD 2>/dev/null || true

# a free port, and a sink that keeps nothing (as fast as it gets)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=""
[ "$(id -u)" -eq 0 ] && user="-u root"
# shellcheck disable=SC2086
"$SINK" $user 127.0.0.1:"$PORT" 256 &
SINK_PID=$!
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && { echo "bench: smtp-sink did not start" >&2; exit 1; }
	sleep 0.1
done

T="$TEND --db $TMP/base.db"
$T config mail.from "Sam Smith <sam@example.org>" >/dev/null
$T config sender.name "Sam Smith" >/dev/null
$T config public_url https://tend.example.org >/dev/null
$T config smtp.url "smtp://127.0.0.1:$PORT" >/dev/null
$T config smtp.tls none >/dev/null
python3 - "$N" "$TMP/people.csv" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
first = ["Ann", "Bob", "Cleo", "Dan", "Émile", "Fay", "Gus", "Hal", "Ida", "Jon"]
last = ["Lee", "Stone", "Park", "Wu", "Ågren", "Ng", "Roy", "Ito", "Cruz", "Hart"]
with open(path, "w") as f:
    f.write("Name,E-mail,Company\n")
    for i in range(n):
        co = "" if i % 7 == 0 else "Company %d Ltd" % (i % 997)
        f.write("%s %s,p%d@example.com,%s\n" % (first[i % 10], last[i // 10 % 10], i, co))
PY
$T import "$TMP/people.csv" -t bench >/dev/null
$T template add letter -s "A note for {{contact.first_name}}{{#contact.company}} at {{contact.company}}{{/contact.company}}" \
    -f bench/letter.txt >/dev/null

# queuing: render, build with GMime, check the rules, insert
hyperfine --runs "$RUNS" -N --export-json "$TMP/queue.json" \
    --prepare "cp $TMP/base.db $TMP/q.db" \
    -n "tend mail --tag (queue $N)" \
    "$TEND --db $TMP/q.db mail --tag bench letter" >&2
cp "$TMP/base.db" "$TMP/queued.db"
$TEND --db "$TMP/queued.db" mail --tag bench letter >/dev/null
size=$(sqlite3 "$TMP/queued.db" "SELECT CAST(avg(length(data)) AS INTEGER) FROM outbox_data")
count=$(sqlite3 "$TMP/queued.db" "SELECT count(*) FROM outbox WHERE state = 'queued'")
[ "$count" = "$N" ] || { echo "bench: queued $count of $N" >&2; exit 1; }

# sending: tend with C connections against smtp-source with C sessions
for c in 1 4; do
	$TEND --db "$TMP/queued.db" config mail.connections $c >/dev/null
	hyperfine --runs "$RUNS" -N --export-json "$TMP/send$c.json" \
	    --prepare "sh -c 'rm -f $TMP/s.db*; cp $TMP/queued.db $TMP/s.db'" \
	    --prepare true \
	    -n "tend send, $c connection(s)" \
	    "$TEND --db $TMP/s.db send --once" \
	    -n "smtp-source, $c session(s)" \
	    "$SOURCE -d -s $c -m $N -l $size -f sam@example.org -t p@example.com 127.0.0.1:$PORT" >&2
	sent=$(sqlite3 "$TMP/s.db" "SELECT count(*) FROM outbox WHERE state = 'sent'")
	[ "$sent" = "$N" ] || { echo "bench: sent $sent of $N" >&2; exit 1; }
done

# latency of one message: tend send runs (as the daemon will), tend mail
# queues; from the end of tend mail (its commit) to the server's 250, and
# from its start.  A second sink keeps each message in a file, complete
# (ending with the empty line of the final dot) before it answers 250.
mkdir -p "$TMP/dump"
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086
"$SINK" $user -d "$TMP/dump/m." 127.0.0.1:"$PORT2" 64 &
SINK2_PID=$!
cp "$TMP/base.db" "$TMP/l.db"
$TEND --db "$TMP/l.db" config smtp.url "smtp://127.0.0.1:$PORT2" >/dev/null
$TEND --db "$TMP/l.db" config mail.connections 1 >/dev/null
$TEND --db "$TMP/l.db" send >/dev/null 2>&1 &
SEND_PID=$!
python3 - "$TEND" "$TMP" <<'PY' >"$TMP/latency"
import os, subprocess, sys, time
tend, tmp = sys.argv[1], sys.argv[2]
dump = os.path.join(tmp, "dump")
def done(seen):
    for f in os.listdir(dump):
        if f in seen:
            continue
        with open(os.path.join(dump, f), "rb") as fh:
            if fh.read().endswith(b"\n\n"):
                seen.add(f)
                return True
    return False
seen, after, total, proc = set(), [], [], []
time.sleep(0.5)
for i in range(25):
    t0 = time.monotonic()
    subprocess.run([tend, "--db", os.path.join(tmp, "l.db"), "mail",
                    "p%d@example.com" % i, "letter"], check=True,
                   stdout=subprocess.DEVNULL)
    t1 = time.monotonic()
    while not done(seen):
        if time.monotonic() - t1 > 5:
            sys.exit("bench: message %d did not arrive" % i)
        time.sleep(0.0002)
    t2 = time.monotonic()
    if i >= 5:
        after.append(t2 - t1); total.append(t2 - t0); proc.append(t1 - t0)
med = lambda v: sorted(v)[len(v) // 2]
print("%.4f %.4f %.4f" % (med(after), med(total), med(proc)))
PY
kill "$SEND_PID" 2>/dev/null || true
wait "$SEND_PID" 2>/dev/null || true
SEND_PID=""
kill "$SINK2_PID" 2>/dev/null || true
SINK2_PID=""
hyperfine --runs 20 --warmup 2 -N --export-json "$TMP/one.json" \
    -n "smtp-source (1 message)" \
    "$SOURCE -m 1 -l $size -f sam@example.org -t p@example.com 127.0.0.1:$PORT" >&2

python3 - "$OUT" "$N" "$size" "$RUNS" "$TMP" <<'PY'
import json, os, sys, time
out, n, size, runs, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def med(name, i=0):
    return json.load(open(os.path.join(tmp, name)))["results"][i]["median"]
q = med("queue.json")
rows = []
for c in (1, 4):
    t, s = med("send%d.json" % c, 0), med("send%d.json" % c, 1)
    rows.append((c, n / t, n / s, (n / t) / (n / s)))
src1 = med("one.json", 0)
after, total, proc = (float(x) for x in open(os.path.join(tmp, "latency")).read().split())
lines = ["<!-- mail: written by bench/mail.sh -->",
"## Mail: `tend send` against `smtp-source`, both to `smtp-sink`",
"",
"%d personalised messages (bench/letter.txt merged with each contact, %s bytes" % (n, size),
"on average with headers and the unsubscribe link), queued with `tend mail --tag`",
"and sent with `tend send --once` to postfix's smtp-sink on 127.0.0.1; in the same",
"run `smtp-source -d -s C -m %d -l %s` sends the same count and size over the" % (n, size),
"same number of connections to the same sink. hyperfine, %s runs each, medians," % runs,
"on %s, %d CPUs." % (time.strftime("%Y-%m-%d", time.gmtime()), os.cpu_count()),
"",
"| connections | tend msg/s | smtp-source msg/s | ratio (goal >= 0.5) |",
"| ---: | ---: | ---: | ---: |"]
for c, t, s, r in rows:
    lines.append("| %d | %.0f | %.0f | **%.2f** |" % (c, t, s, r))
lines += ["",
"Queuing %d messages (`tend mail --tag`: render, build with GMime, check the" % n,
"respect rules, insert): %.2f s, %.0f msg/s." % (q, n / q),
"",
"Latency of one message with `tend send` running (as the daemon will run it), 20",
"messages, medians: from the moment `tend mail` exits to the server's 250 (the sender,",
"woken by the commit, has usually sent it before the process has finished exiting),",
"**%.1f ms** (goal <= 10); from the start of `tend mail`, %.1f ms, of which" % (after * 1000, total * 1000),
"`tend mail` itself (a whole process: start, load the mail plugin, render, build,",
"commit) is %.1f ms. smtp-source, a whole process sending one message: %.1f ms." % (proc * 1000, src1 * 1000),
"<!-- /mail -->", ""]
section = "\n".join(lines)
try:
    text = open(out).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
a, b = text.find("<!-- mail:"), text.find("<!-- /mail -->")
if a >= 0 and b >= 0:
    text = text[:a] + section + text[b + len("<!-- /mail -->\n"):]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(out, "w").write(text)
for c, t, s, r in rows:
    print("bench: mail, %d connection(s): tend %.0f msg/s, smtp-source %.0f msg/s, ratio %.2f" % (c, t, s, r), file=sys.stderr)
print("bench: one message %.1f ms after tend mail (%.1f ms with it); queue %.0f msg/s" % (after * 1000, total * 1000, n / q), file=sys.stderr)
PY
