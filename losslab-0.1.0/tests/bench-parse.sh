#!/bin/sh
# bench-parse.sh -- how long do values and lessons take to parse?  Not a
# test: prints one median a case.
#
#   LOSSLAB=path/to/losslab sh tests/bench-parse.sh     (RUNS=5 by default)
#
# Whole-process wall times (start-up included) of
#   1. `losslab eval bce-logits` on N values one per line (@FILE) and on the
#      same values on one line, N = 10^5 and 10^6;
#   2. `losslab lessons` on a lesson whose tensors are blocks of 30000 rows;
#   3. `losslab lessons` on a lesson with a 15 MB text block (lines of 15
#      words).
# Parsing is linear: the one-per-line and the one-line figures agree, and
# ten times the values take about ten times as long.
set -u
LOSSLAB=${LOSSLAB:-src/losslab}
runs=${RUNS:-5}
tmp=${TMPDIR:-/tmp}/losslab-bench-parse.$$
mkdir -p "$tmp/rows" "$tmp/text" || exit 1
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }

# bench NAME CMD...: the median wall time of $runs runs, in ms
bench() {
	name=$1
	shift
	: >"$tmp/t"
	i=0
	while [ $i -lt "$runs" ]; do
		s=$(now)
		"$@" >/dev/null 2>&1 || { echo "$name: failed"; return 1; }
		e=$(now)
		echo $(((e - s) / 1000)) >>"$tmp/t"
		i=$((i + 1))
	done
	sort -n "$tmp/t" | awk -v k="$name" '{ v[NR] = $1 }
	    END { printf "%-44s median %9.1f ms  (min %.1f, max %.1f)\n",
	    k, v[int((NR + 1) / 2)] / 1000, v[1] / 1000, v[NR] / 1000 }'
}

for n in 100000 1000000; do
	awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
	    print ((i * 37) % 101 - 50) / 8 }' >"$tmp/in.lines"
	awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) print i % 2 }' >"$tmp/tg.lines"
	paste -s -d, "$tmp/in.lines" >"$tmp/in.row"
	paste -s -d, "$tmp/tg.lines" >"$tmp/tg.row"
	bench "eval, $n values one per line" "$LOSSLAB" eval bce-logits \
	    --input @"$tmp/in.lines" --target @"$tmp/tg.lines" --json
	bench "eval, $n values on one line" "$LOSSLAB" eval bce-logits \
	    --input @"$tmp/in.row" --target @"$tmp/tg.row" --json
done

{ printf 'id: rows\ntitle: Rows\nloss: bce-logits\nstep: one\ninput: <<<\n'
  awk 'BEGIN { for (i = 0; i < 30000; i++) print (i % 7) - 3 ", " (i % 5) - 2 }'
  printf '>>>\ntarget: <<<\n'
  awk 'BEGIN { for (i = 0; i < 30000; i++) print "1, 0" }'
  printf '>>>\ncode: x\n'; } >"$tmp/rows/rows.en.lesson"
bench "lessons, tensor blocks of 30000 rows" "$LOSSLAB" --lessons "$tmp/rows" lessons

{ printf 'id: text\ntitle: Text\nstep: one\ninput: 1\ntarget: 1\ncode: x\ntext: <<<\n'
  awk 'BEGIN { for (i = 0; i < 200000; i++)
      print "word word word word word word word word word word word word word word word" }'
  printf '>>>\n'; } >"$tmp/text/text.en.lesson"
bench "lessons, a text block of 15 MB" "$LOSSLAB" --lessons "$tmp/text" lessons
