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
for kind in $kinds; do
	mark=$(mark_of "$kind")
	for lang in $langs; do
		suffix=
		[ "$lang" = en ] || suffix=-$lang
		for ext in png svg; do
			f=$out/$kind$suffix.$ext
			if "$LOSSLAB" plot "$kind" --lang "$lang" --mark "$mark" \
			    --out "$f"; then
				n=$((n + 1))
			else
				echo "gallery: $kind ($lang, $ext) failed" >&2
				fail=1
			fi
		done
	done
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
