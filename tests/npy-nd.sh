#!/bin/sh
# npy-nd.sh -- `losslab eval` on .npy arrays beyond two dimensions (issue
# 11, item 3): cross-entropy and NLL on (N, C, d1, ...), class
# probabilities of the input's shape, a (C) input with a 0-d index, an
# empty batch, an element-wise loss on 3-D arrays: the value, --out-grad and
# --out-elem against torch 1.13's (tests/gen_npy_nd.py wrote the fixtures
# and tests/npy-nd/values.txt), and torch's refusals.
. "${top_srcdir:-.}/tests/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-npy-nd.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
TEST_NPY=${top_builddir:-.}/tests/test_npy
cd "${top_srcdir:-.}" || exit 1
d=tests/npy-nd
: >"$tmp/results"

grep -v '^#' "$d/values.txt" | while read -r name loss value; do
	"$LOSSLAB" eval "$loss" --input "@$d/$name-x.npy" --target "@$d/$name-y.npy" \
	    --out-grad "$tmp/g.npy" --out-elem "$tmp/e.npy" --json >"$tmp/out" 2>&1
	rc=$?
	got=$(sed -n 's/.*"value": \([^,]*\),.*/\1/p' "$tmp/out" | tr -d '"')
	[ $rc -eq 0 ] && "$TEST_NPY" num "$got" "$value" 1e-12 &&
	    "$TEST_NPY" cmp "$tmp/g.npy" "$d/$name-grad.npy" 1e-12 2>"$tmp/err" &&
	    "$TEST_NPY" cmp "$tmp/e.npy" "$d/$name-elem.npy" 1e-12 2>>"$tmp/err"
	r=$?
	echo "$r $name $loss: value, --out-grad and --out-elem as torch's" >>"$tmp/results"
	[ $r -eq 0 ] || echo "# $(cat "$tmp/out" "$tmp/err" | head -5)" >>"$tmp/results"
done
while read -r r rest; do
	case $r in
	'#') diag "$rest" ;;
	*) ok "$r" "$rest" ;;
	esac
done <"$tmp/results"

# the JSON gradient nests as torch's tensor does
"$LOSSLAB" eval ce --input @$d/ce3d-x.npy --target @$d/ce3d-y.npy --json \
    >"$tmp/out" 2>&1
grep -q '"grad": \[\[\[[^]]*\], \[[^]]*\], \[[^]]*\]\], \[\[' "$tmp/out"
ok $? "the JSON gradient of a (2, 3, 4) input is nested (2, 3, 4)"
# torch's shape errors, word for word
"$LOSSLAB" eval ce --input @$d/ce3d-x.npy --target @$d/ce4d-y.npy \
    >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -qxF "losslab: ce: Expected target size [2, 4], got [2, 2, 2]" "$tmp/err"
ok $? "a (2, 3, 4) input with a (2, 2, 2) target: torch's message ($(cat "$tmp/err"))"
"$LOSSLAB" eval ce --input @$d/ce3d-x.npy --target @$d/ce3d-y.npy \
    --pitfall softmax-then-ce >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '^losslab: --pitfall takes values of 1 or 2 dimensions' "$tmp/err"
ok $? "--pitfall on a 3-D input: refused in one line"
"$LOSSLAB" eval ce --input @$d/ce3d-x.npy --target @$d/ce3d-y.npy >"$tmp/out" 2>&1
grep -q "^the reduction='none' output has shape \[2, 4\], the gradient \[2, 3, 4\]" "$tmp/out"
ok $? "the text report names the shapes"
done_testing
