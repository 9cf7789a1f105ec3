#!/bin/sh
# sizes.sh -- the explorer at the sizes terminals open with and at a large
# one (80x24, 100x30, 160x48): the lesson list, a plain step, a pitfall
# step, the zoomed plot and the help, each against a golden screen
# (tests/screens/size-*.txt; GENERATE=1 rewrites them).  The plot itself is
# cut before comparing (gnuplot's drawing varies between versions): the
# right-hand pane from its border, the zoomed plot between its title and
# its strip.
. "${top_srcdir:-.}/tests/tmux.sh"

# normalise_zoom: the zoomed screen's title line and its last two lines.
normalise_zoom() {
	sed -e 's/[[:space:]]*$//' | awk 'NR == 1 { print } { l[NR] = $0 }
	    END { print l[NR - 1]; print l[NR] }'
}

# zgolden NAME: golden with the zoom normalisation.
zgolden() {
	if [ -n "$GENERATE" ]; then
		sleep 0.5
		screen | normalise_zoom >"$screens/$1.txt"
		ok 0 "golden $1 (regenerated)"
		return
	fi
	i=0
	while [ $i -lt $((UI_WAIT * 20)) ]; do
		screen | normalise_zoom >"$tmp/$1.txt"
		cmp -s "$screens/$1.txt" "$tmp/$1.txt" && break
		sleep 0.05
		i=$((i + 1))
	done
	if diff -u "$screens/$1.txt" "$tmp/$1.txt" >"$tmp/diff"; then
		ok 0 "golden $1"
	else
		ok 1 "golden $1"
		while IFS= read -r l; do diag "$l"; done <"$tmp/diff"
	fi
}

for size in 80x24 100x30 160x48; do
	w=${size%x*} h=${size#*x}
	start "$w" "$h" -- || exit 1
	wait_for "classification losses, explained"
	golden "size-list-$size"
	keys q
	wait_exit

	start "$w" "$h" -- bce
	wait_for "Step 1/"
	wait_for "L = mean of 4 = 0.29900116"
	golden "size-step-$size"
	keys Q Q
	wait_exit

	start "$w" "$h" -- double-sigmoid
	wait_for "Step 1/"
	keys 3 Space
	wait_for "Step 2/"
	wait_for "Pitfall: double-sigmoid"
	golden "size-pitfall-$size"
	keys Q Q
	wait_exit
done

# every size shows the pitfall comparison's numbers on its first screen
for size in 80x24 100x30 160x48; do
	grep -q '^L (mean) ' "$screens/size-pitfall-$size.txt"
	ok $? "$size: the correct-versus-pitfall values are on the first screen"
done
grep -q 'L = mean of 4 = 0.29900116' "$screens/size-step-80x24.txt" &&
    grep -q '^loss ℓ per element' "$screens/size-step-80x24.txt"
ok $? "80x24: a plain step's results are on its first screen"
grep -q '↓ .* more' "$screens/size-list-80x24.txt"
ok $? "80x24: the lesson list says that more lessons are below"
if [ $have_python -eq 1 ]; then
	python3 -c '
import sys, unicodedata
w = max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
        for l in open(sys.argv[1], encoding="utf-8").read().split("\n"))
sys.exit(0 if w <= 112 else 1)' "$screens/size-list-160x48.txt"
	ok $? "160x48: list rows are no wider than reads well"
else
	skip "python3 missing"
fi

start 80 24 -- bce
wait_for "L = mean of 4 = 0.29900116"
keys z
wait_for "z, q or Esc back"
zgolden "size-zoom-80x24"
keys z
wait_for "Step 1/"
ok $? "z again: back to the step"
keys '?'
wait_for "losslab help: every key"
golden "size-help-80x24"
keys q
wait_for "Step 1/"
ok $? "q leaves the help, back to the step"
keys Q Q
wait_exit

done_testing
