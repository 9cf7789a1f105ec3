#!/bin/sh
# gallery.sh -- render every plot kind as PNG and SVG (the figures a teacher
# drops into slides), plus the Chinese versions where a CJK font exists.
#
#   LOSSLAB=path/to/losslab sh plots/gallery.sh [OUTDIR]      (make plots)
#
# OUTDIR defaults to plots/out in the current directory.  Every figure goes
# to ONE gnuplot process: the figures are written as a job list, one
# `losslab plot ... --out FILE` line each, and `losslab plot --batch`
# draws them all on its persistent gnuplot (a figure then costs gnuplot's
# drawing, not its start-up).  GALLERY=each starts one losslab and one
# gnuplot per figure instead (the old way, for comparison: plots/bench.sh
# times both).  Prints the time the whole gallery took.  Exits non-zero if
# any figure failed.
set -u
LOSSLAB=${LOSSLAB:-src/losslab}
out=${1:-plots/out}
mode=${GALLERY:-batch}
mkdir -p "$out" || exit 1

# A point to mark on each kind, so that the figures show an example input.
mark_of() {
	case $1 in
	bce-curve) echo 0.3 ;;
	naive-float32) echo 10 ;;
	*) echo 1 ;;
	esac
}

# Chinese labels only where the PNG renderer has a CJK font.
langs=en
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; then
	langs="en zh"
fi

start=$(date +%s.%N)
kinds=$("$LOSSLAB" plot --list | awk '{ print $1 }') || exit 1
# The job list: the arguments of one `losslab plot` a line.  Output names
# hold no blanks or quotes (a batch line splits at blanks).
jobs=$out/.gallery-jobs
: > "$jobs" || exit 1
for kind in $kinds; do
	for lang in $langs; do
		suffix=
		[ "$lang" = en ] || suffix=-$lang
		for ext in png svg; do
			echo "$kind --lang $lang --mark $(mark_of "$kind") --out $out/$kind$suffix.$ext"
		done
	done
done >> "$jobs"
# The comparison the issue asks for by name.
for ext in png svg; do
	echo "compare --losses bce-logits,focal,soft-margin,multi-margin --out $out/compare-4.$ext"
done >> "$jobs"
n=$(grep -c . "$jobs")

fail=0
if [ "$mode" = each ]; then
	# one losslab (and one gnuplot) per figure, two at a time
	while read -r line; do
		# shellcheck disable=SC2086
		"$LOSSLAB" plot $line || { echo "gallery: $line failed" >&2; fail=1; }
	done < "$jobs"
else
	"$LOSSLAB" plot --batch "$jobs" || fail=1
fi
rm -f "$jobs"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$n" -v d="$out" -v m="$mode" \
    'BEGIN { printf "gallery: %d figures in %s, %.2f s (%s)\n", n, d, e - s, m }'
exit $fail
