#!/bin/sh
# Run every test against each build folder given (build/normal build/asan):
# the cmocka unit binaries and the CLI scripts in tests/cli.  Prints a
# line per failure and ends with "N passed, N failed[, N skipped]".
set -u
passed=0
failed=0
skipped=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# Sanitizers: any report fails the test (exit code 86 marks it).
ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86
LSAN_OPTIONS=exitcode=86
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

# A test that hangs fails after 10 minutes instead of stalling CI.
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout 600"

count() {
	# count FILE: read ok / not ok / skip lines written by a test
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	s=$(grep -c '^skip ' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	grep -E '^(not ok|skip) ' "$1" | sed "s|^|  $2: |"
}

for build in "$@"; do
	flavour=$(basename "$build")
	# build/fuzz holds libFuzzer targets, run for FUZZ_TIME seconds each
	if [ "$flavour" = fuzz ]; then
		set -- "$build"/tests/fuzz-*
		[ -e "$1" ] || continue
		FUZZ_TIME=${FUZZ_TIME:-10} sh tests/fuzz/run.sh "$@" \
		    >"$log/fuzz.out" 2>&1
		count "$log/fuzz.out" fuzz
		grep '^#' "$log/fuzz.out" | sed 's/^/    /'
		continue
	fi
	for t in "$build"/tests/test-*; do
		[ -x "$t" ] || continue
		name="$flavour/$(basename "$t")"
		out="$log/unit.out"
		$limit "$t" >"$out" 2>&1
		rc=$?
		# cmocka: "[       OK ] name" and "[  FAILED  ] name"
		sed -n -e 's/^\[       OK \] \(.*\)/ok \1/p' \
		    -e 's/^\[  FAILED  \] \([^0-9].*\)/not ok \1/p' \
		    -e 's/^\[  SKIPPED \] \([^0-9].*\)/skip \1/p' "$out" |
		    awk '!seen[$0]++' >"$log/unit.tap"
		if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log/unit.tap"; then
			echo "not ok $name exited $rc" >>"$log/unit.tap"
		fi
		if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
		    "$out"; then
			echo "not ok $name: sanitizer report" >>"$log/unit.tap"
		fi
		count "$log/unit.tap" "$name"
		if [ $rc -ne 0 ]; then
			sed -n '1,60p' "$out" | grep -vE '^\[ *(OK|RUN) ' |
			    sed 's/^/    /'
		fi
	done
	for t in tests/cli/t[0-9]*.sh; do
		[ -f "$t" ] || continue
		name="$flavour/$(basename "$t" .sh)"
		out="$log/cli.out"
		TEND="$PWD/$build/tend" $limit sh "$t" >"$out" 2>&1
		rc=$?
		if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
			echo "not ok $name exited $rc" >>"$out"
		fi
		count "$out" "$name"
		if grep -q '^not ok' "$out"; then
			grep -E '^#' "$out" | sed -n '1,60p' | sed 's/^/    /'
		fi
	done
done

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
