#!/bin/sh
# Run each libFuzzer target given for FUZZ_TIME seconds (default 10),
# seeded from the folders named in tests/fuzz/NAME.seeds (one per line,
# relative to the project root).  New inputs go to a temporary folder;
# a crash is kept in build/fuzz/crashes/.  Prints "ok NAME" or
# "not ok NAME" per target, as the other tests do.
set -u
time=${FUZZ_TIME:-10}
crashes=build/fuzz/crashes
mkdir -p "$crashes"
status=0
for bin in "$@"; do
	name=$(basename "$bin")
	if [ ! -x "$bin" ]; then
		echo "not ok fuzz/$name: $bin was not built"
		status=1
		continue
	fi
	work=$(mktemp -d)
	seeds=""
	if [ -f "tests/fuzz/$name.seeds" ]; then
		while IFS= read -r d; do
			[ -n "$d" ] && [ -d "$d" ] && seeds="$seeds $d"
		done <"tests/fuzz/$name.seeds"
	fi
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -artifact_prefix="$crashes/$name-" \
	    -print_final_stats=1 "$work" $seeds >"$work.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "$work.log")
		echo "ok fuzz/$name (${runs:-?} inputs in ${time}s)"
	else
		echo "not ok fuzz/$name: see $crashes/"
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$work.log" | sed -n '1,20p' |
		    sed 's/^/# /'
		status=1
	fi
	rm -rf "$work" "$work.log"
done
exit $status
