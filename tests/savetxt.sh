#!/bin/sh
# savetxt.sh -- text @FILEs as np.savetxt writes them (issue 11's last debt):
# a 1-D array saved one value a line reads 1-D, shape (N,), as np.loadtxt
# reads it, so `eval bce-logits --input @x.txt --target @y.txt` works; a
# matrix file stays 2-D; inline "1;2;3", and a file that says ';' or
# brackets, stay (N, 1).  The fixtures and torch's values are
# tests/gen_savetxt.py's (tests/savetxt/expected.txt).
. "$top_srcdir/tests/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-savetxt.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
dir=$top_srcdir/tests/savetxt

# ndim of the "grad" array of eval --json (its leading brackets), and value
json_shape() {
	sed -n 's/.*"value": \([^,]*\), "grad": \(\[*\).*/\1 \2/p' "$1" |
	    awk '{ print length($2), $1 }'
}

grep -v '^#' "$dir/expected.txt" >"$tmp/expected"
while read -r x y shape want; do
	"$LOSSLAB" eval bce-logits --input "@$dir/$x" --target "@$dir/$y" \
	    --json >"$tmp/out" 2>"$tmp/err"
	rc=$?
	nd=$(echo "$shape" | awk -F x '{ print NF }')
	set -- $(json_shape "$tmp/out")
	[ $rc -eq 0 ] && [ "$1" = "$nd" ] &&
	    awk -v a="$2" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d
		exit !(d <= 1e-12 * (b < 0 ? -b : b)) }'
	ok $? "@$x with @$y (np.savetxt): shape $shape as np.loadtxt reads it, torch's $want (exit $rc, got ${1:-?}-D ${2:-?})"
	[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"
done <"$tmp/expected"

# one value a line is 1-D: --out-grad writes a (5,) array, as for inline
"$LOSSLAB" eval bce-logits --input "@$dir/x.txt" --target "@$dir/y.txt" \
    --out-grad "$tmp/g.npy" >/dev/null 2>&1 &&
    "$LOSSLAB" eval bce-logits --input 2,-1,0.5,3.25,-0.125 --target 1,0,1,1,0 \
    --out-grad "$tmp/g2.npy" >/dev/null 2>&1 && cmp -s "$tmp/g.npy" "$tmp/g2.npy"
ok $? "a one-value-a-line file gives the gradient of the same 1-D inline value"
# so does standard input (the same text as an @FILE)
"$LOSSLAB" eval bce-logits --input - --target "@$dir/y.txt" --json \
    <"$dir/x.txt" >"$tmp/out" 2>&1
set -- $(json_shape "$tmp/out")
[ "${1:-}" = 1 ]
ok $? "one value a line on standard input is 1-D too"

# inline 1;2;3 and a file that says ';' or brackets keep their (3, 1)
"$LOSSLAB" eval bce-logits --input '1;2;3' --target '1;0;1' --json >"$tmp/out" 2>&1
set -- $(json_shape "$tmp/out")
[ "${1:-}" = 2 ]
ok $? "inline '1;2;3' is still a (3, 1) matrix"
printf '1;\n2;\n3;\n' >"$tmp/semi.txt"
printf '[[1],\n [2],\n [3]]\n' >"$tmp/br.txt"
for f in semi br; do
	"$LOSSLAB" eval bce-logits --input "@$tmp/$f.txt" --target '1;0;1' \
	    --json >"$tmp/out" 2>&1
	set -- $(json_shape "$tmp/out")
	[ "${1:-}" = 2 ]
	ok $? "a file of one value a line written with $f stays (3, 1)"
done
# and the (N,) file against a (N, 1) target is torch's shape error
"$LOSSLAB" eval bce-logits --input "@$dir/x.txt" --target '1;0;1;1;0' \
    >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'must be the same as input size' "$tmp/err"
ok $? "(5,) from a file against a (5, 1) target: torch's size error"
[ -s "$tmp/err" ] || diag "no error"

# the help says so
"$LOSSLAB" eval --help | tr '\n' ' ' | grep -q 'np.loadtxt'
ok $? "eval --help says a file of one value a line is 1-D"

done_testing
