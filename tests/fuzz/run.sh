#!/bin/sh
# tests/fuzz/run.sh SECONDS TARGET... -- run each libFuzzer target in turn
# (never two at once) for SECONDS seconds, from the build directory.
#
# Each target gets its working corpus fuzz-corpus/NAME (written by
# libFuzzer; the committed seeds are only read: tests/fuzz/corpus/NAME, and
# the shipped lessons, tests/lessons-bad/ and tests/screens/ for the lesson
# targets, tests/npy/ and tests/npy-bad/ for fuzz_npy) and writes what it finds to fuzz-findings/NAME-*, its log to
# fuzz-findings/NAME.log.  One line per target: "PASS: fuzz NAME (N
# executions in S s)" or "FAIL: fuzz NAME: ..." with the log's report.
# Exits 1 if any target found anything (a crash, a sanitizer report, a
# broken invariant, a leak, an input slower than 20 s, over 2 GB).
# FUZZ_JOBS is not supported on purpose: one target at a time.
set -u
secs=${1:?usage: run.sh SECONDS TARGET...}
# A fixed seed (FUZZ_SEED, default 1): a run explores the same inputs in
# the same order each time, so CI repeats what was run here for longer;
# FUZZ_SEED=0 lets libFuzzer pick one.
seed=${FUZZ_SEED:-1}
shift
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export top_srcdir="$src"
mkdir -p fuzz-corpus fuzz-findings
status=0
for t in "$@"; do
	name=$(basename "$t")
	seeds="$src/tests/fuzz/corpus/$name"
	maxlen=4096
	case $name in
	fuzz_lesson|fuzz_roundtrip)
		seeds="$seeds $src/lessons $src/tests/lessons-bad $src/tests/screens"
		maxlen=32768 ;;
	fuzz_parse|fuzz_csv)
		maxlen=8192 ;;
	fuzz_npy)
		seeds="$seeds $src/tests/npy $src/tests/npy-bad"
		maxlen=8192 ;;
	esac
	# only the seed directories there are (git keeps no empty one)
	dirs=
	for d in $seeds; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	mkdir -p "fuzz-corpus/$name"
	log=fuzz-findings/$name.log
	# shellcheck disable=SC2086
	nice "$t" -seed="$seed" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
	    -max_len="$maxlen" -print_final_stats=1 \
	    -artifact_prefix="fuzz-findings/$name-" \
	    "fuzz-corpus/$name" $dirs >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -1)
	if [ $rc -eq 0 ]; then
		echo "PASS: fuzz $name (${execs:-?} executions in $secs s)"
	else
		status=1
		echo "FAIL: fuzz $name (exit $rc after ${execs:-?} executions):"
		grep -E 'ERROR|invariant|SUMMARY|Test unit written|==[0-9]+==' \
		    "$log" | head -20 | sed 's/^/    /'
	fi
done
exit $status
