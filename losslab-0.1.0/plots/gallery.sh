#!/bin/sh
# gallery.sh -- render every plot kind as PNG and SVG (the figures a teacher
# drops into slides), plus the Chinese versions where a CJK font exists.
#
#   LOSSLAB=path/to/losslab sh plots/gallery.sh [OUTDIR]      (make plots)
#
# OUTDIR defaults to plots/out in the current directory.  Prints the time
# the whole gallery took.  Exits non-zero if any plot failed.
set -u
LOSSLAB=${LOSSLAB:-src/losslab}
out=${1:-plots/out}
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
fail=0
n=0
kinds=$("$LOSSLAB" plot --list | awk '{ print $1 }') || exit 1
# One language of one kind: PNG and SVG.  Two of these run at a time.
render() {	# render KIND LANG
	suffix=
	[ "$2" = en ] || suffix=-$2
	for ext in png svg; do
		"$LOSSLAB" plot "$1" --lang "$2" --mark "$(mark_of "$1")" \
		    --out "$out/$1$suffix.$ext" ||
		    { echo "gallery: $1 ($2, $ext) failed" >&2; return 1; }
	done
}
jobs=${JOBS:-2}
pids=
for kind in $kinds; do
	for lang in $langs; do
		render "$kind" "$lang" &
		pids="$pids $!"
		n=$((n + 2))
		set -- $pids
		if [ $# -ge "$jobs" ]; then
			for p in $pids; do
				wait "$p" || fail=1
			done
			pids=
		fi
	done
done
for p in $pids; do
	wait "$p" || fail=1
done
# The comparison the issue asks for by name.
if "$LOSSLAB" plot compare --losses bce-logits,focal,soft-margin,multi-margin \
    --out "$out/compare-4.png" && "$LOSSLAB" plot compare \
    --losses bce-logits,focal,soft-margin,multi-margin --out "$out/compare-4.svg"; then
	n=$((n + 2))
else
	fail=1
fi
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$n" -v d="$out" \
    'BEGIN { printf "gallery: %d figures in %s, %.2f s\n", n, d, e - s }'
exit $fail
