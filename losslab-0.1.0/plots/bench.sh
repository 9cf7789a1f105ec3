#!/bin/sh
# bench.sh -- how fast are the plots?  Not a test: prints two figures.
#
#   LOSSLAB=path/to/losslab sh plots/bench.sh        (make plots-bench)
#
# 1. The plot refresh time through the command line: `losslab plot ID` at
#    80x24 (compute, gnuplot's dumb terminal, parse, print), median of 50
#    runs per kind (target <= 30 ms).  This includes losslab's own start-up;
#    tests/bench_plot measures the in-process plot_dumb() the explorer calls.
# 2. The whole gallery (plots/gallery.sh; target <= 3 s).
set -u
LOSSLAB=${LOSSLAB:-src/losslab}
here=$(dirname "$0")
runs=${RUNS:-50}
tmp=${TMPDIR:-/tmp}/losslab-bench.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }

all=$tmp/all
: > "$all"
for kind in $("$LOSSLAB" plot --list | awk '{ print $1 }'); do
	: > "$tmp/t"
	i=0
	while [ $i -lt "$runs" ]; do
		s=$(now)
		"$LOSSLAB" plot "$kind" --size 80x24 --mark 1 >/dev/null 2>&1 ||
		    "$LOSSLAB" plot "$kind" --size 80x24 >/dev/null || exit 1
		e=$(now)
		echo $(((e - s) / 1000)) >> "$tmp/t"
		i=$((i + 1))
	done
	cat "$tmp/t" >> "$all"
	sort -n "$tmp/t" | awk -v k="$kind" '{ v[NR] = $1 }
	    END { printf "cli refresh %-16s median %6.1f ms  (min %.1f, max %.1f)\n",
	    k, v[int((NR + 1) / 2)] / 1000, v[1] / 1000, v[NR] / 1000 }'
done
sort -n "$all" | awk '{ v[NR] = $1 }
    END { printf "cli refresh, all kinds: median %.1f ms over %d runs (target <= 30 ms)\n",
    v[int((NR + 1) / 2)] / 1000, NR }'

LOSSLAB=$LOSSLAB sh "$here/gallery.sh" "$tmp/gallery" | sed 's/$/ (target <= 3 s)/'
