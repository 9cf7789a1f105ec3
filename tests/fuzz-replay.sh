#!/bin/sh
# tests/fuzz-replay.sh -- every fuzz target of tests/fuzz/, built without
# libFuzzer (tests/fuzz/replay.c), replays its committed seeds and every
# finding kept in tests/fuzz/regress/TARGET/ (each the input that once
# crashed it or broke an invariant, the bug since fixed): one result a
# target.  Under the ASan stage of CI the same inputs run under ASan.
. "${top_srcdir:-.}/tests/tap.sh"

src=$top_srcdir
targets="parse lesson roundtrip plot csv session npy"
for t in $targets; do
	bin=$top_builddir/tests/fuzz/replay_$t
	dirs=
	for d in "$src/tests/fuzz/corpus/fuzz_$t" \
	    "$src/tests/fuzz/regress/fuzz_$t"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	case $t in
	lesson|roundtrip)
		dirs="$dirs $src/lessons $src/tests/lessons-bad $src/tests/screens" ;;
	npy)
		dirs="$dirs $src/tests/npy $src/tests/npy-bad" ;;
	esac
	# shellcheck disable=SC2086
	out=$("$bin" $dirs 2>&1)
	rc=$?
	ok "$([ $rc -eq 0 ] && echo 0 || echo 1)" \
	    "fuzz_$t replays its seeds and findings ($(printf '%s\n' "$out" |
	    tail -1))"
	[ $rc -eq 0 ] || diag "$(printf '%s\n' "$out" | tail -20)"
done

# The findings as the user met them, through the program itself.
# fuzz_plot: a target that does not broadcast against the input, in cell
# mode: curve.c read past the target (ASan: heap-buffer-overflow).
err=$("$LOSSLAB" plot softmax-then-ce --loss soft-margin --pitfall none \
    --input '1,-1e+16,43;' --target 1e-07,0 --cell 0,2 --size 60x20 2>&1)
rc=$?
ok "$([ $rc -eq 2 ] && [ "$err" = "losslab: plot: soft-margin: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1" ] && echo 0 || echo 1)" \
    "plot --cell with a target that does not broadcast: exit 2, torch's message (rc $rc)"
[ $rc -eq 2 ] || diag "$err"
done_testing
