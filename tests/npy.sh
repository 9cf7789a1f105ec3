#!/bin/sh
# npy.sh -- `losslab eval` on .npy files end to end (issue 11, items 1, 4,
# 7): the "eval" lines of tests/npy/cases.txt (tests/gen_npy.py: numpy's
# files, torch's value, gradient and reduction='none' output) give torch's
# value, and --out-grad / --out-elem write torch's arrays (read back by
# tests/test_npy cmp); every file of tests/npy-bad/ is one `losslab:` line
# and exit 2; a text file's header line is skipped with a note.
. "$top_srcdir/tests/tap.sh"

TEST_NPY=${top_builddir:-.}/tests/test_npy
tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-npy.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$top_srcdir" || exit 1

# fails "message" ARGS...: exit 2, one line "losslab: message", no output
fails() {
	want=$1
	shift
	"$LOSSLAB" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: $want" ] &&
	    [ ! -s "$tmp/out" ]
	r=$?
	[ $r -eq 0 ] || diag "exit $rc: $(head -c 300 "$tmp/err")"
	return $r
}

# --- torch's numbers from numpy's files ------------------------------------
grep '^eval ' tests/npy/cases.txt >"$tmp/cases"
while read -r _ loss red inp tgt value grad elem; do
	rm -f "$tmp/g.npy" "$tmp/e.npy"
	"$LOSSLAB" eval "$loss" --reduction "$red" --input @"$inp" \
	    --target @"$tgt" --json --out-grad "$tmp/g.npy" \
	    --out-elem "$tmp/e.npy" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	got=$(sed 's/.*"value": \([^,]*\),.*/\1/' "$tmp/out")
	[ $rc -eq 0 ] && "$TEST_NPY" num "$got" "$value" 1e-13
	ok $? "$loss $red on $inp, $tgt: torch's value $value (got $got)"
	"$TEST_NPY" cmp "$tmp/g.npy" "$grad" 1e-12 2>"$tmp/err"
	r=$?
	[ $r -eq 0 ] || diag "$(cat "$tmp/err")"
	ok $r "  --out-grad writes torch's gradient ($grad)"
	"$TEST_NPY" cmp "$tmp/e.npy" "$elem" 1e-12 2>"$tmp/err"
	r=$?
	[ $r -eq 0 ] || diag "$(cat "$tmp/err")"
	ok $r "  --out-elem writes torch's reduction='none' output ($elem)"
done <"$tmp/cases"

# the same value from the .npy file and from the values typed as text
"$LOSSLAB" eval ce --input @tests/npy/f8-4x3.npy --target 0,2,1,1 --json \
    >"$tmp/a" 2>&1
"$LOSSLAB" eval ce --input @tests/npy/f8-4x3.npy --target @tests/npy/i8-4.npy \
    --json >"$tmp/b" 2>&1
cmp -s "$tmp/a" "$tmp/b"
ok $? "an int64 .npy target gives what the indices typed give"

# Fortran order, int16 (as .double(): torch has no loss for integer input)
"$LOSSLAB" eval bce-logits --input @tests/npy/i2-f-2x3.npy --dtype float64 \
    --target '1,0,1;0,1,0' --json >"$tmp/a" 2>&1
"$LOSSLAB" eval bce-logits --input '-3,-2,-1;0,1,2' \
    --target '1,0,1;0,1,0' --json >"$tmp/b" 2>&1
cmp -s "$tmp/a" "$tmp/b"
ok $? "a Fortran-order int16 (2, 3) .npy reads as its values typed"

# a float32 input is computed in float32 and says so (more in dtype.sh)
"$LOSSLAB" eval bce-logits --input @tests/npy/f4-le-5.npy --target 1,0,1,1,0 \
    >"$tmp/out" 2>&1
grep -q '^note: float32, computed in float as torch computes' "$tmp/out"
ok $? "a float32 input: the report says it was computed in float32"

# 0-d and empty arrays; --out-grad of a 0-d input is 0-d
"$LOSSLAB" eval bce-logits --input @tests/npy/f8-0d.npy --target 1 \
    --out-grad "$tmp/g0.npy" --out-elem "$tmp/e0.npy" >/dev/null 2>&1 &&
    "$TEST_NPY" cmp "$tmp/g0.npy" tests/npy/f8-0d.npy 1e300 2>/dev/null &&
    "$TEST_NPY" cmp "$tmp/e0.npy" tests/npy/f8-0d.npy 1e300 2>/dev/null
ok $? "a 0-d input: --out-grad and --out-elem write 0-d arrays"
fails "ce: --input is a 0-d array: nn.CrossEntropyLoss takes (C) or (N, C)" \
    eval ce --input @tests/npy/f8-0d.npy --target 0
ok $? "ce refuses a 0-d .npy input"
fails "ce: Expected target size [2, 3], got [2]" \
    eval ce --input @tests/npy/f4-f-2x2x3.npy --target 0,1
ok $? "a rank-3 .npy input is torch's (N, C, d): a target of the wrong shape gets torch's message"

# --- differs-from-torch: torch's own answer where losslab's differs ---------
set -f
grep '^differs ' tests/npy/cases.txt >"$tmp/differs"
while read -r _ loss value args; do
	# shellcheck disable=SC2086
	"$LOSSLAB" eval "$loss" $args --json >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		grep -q '"id": "differs-from-torch", "message": "torch 1.13 returns inf here' "$tmp/out"
		r=$?
		got=$(sed -n 's/.*"differs-from-torch", "message": "torch 1.13 returns \([^ ]*\) .*/\1/p' "$tmp/out")
	else
		[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		    grep -q "^losslab: $loss: .* \[differs-from-torch: torch 1.13 " "$tmp/err"
		r=$?
		got=$(sed -n 's/.*returns \([^] ]*\).*/\1/p' "$tmp/err")
	fi
	[ $r -eq 0 ] && "$TEST_NPY" num "$got" "$value" 1e-14
	r=$?
	[ $r -eq 0 ] || diag "exit $rc: $(head -c 400 "$tmp/out" "$tmp/err")"
	ok $r "$loss $args: differs-from-torch, with torch's $value (exit $rc)"
done <"$tmp/differs"
set +f
"$LOSSLAB" eval soft-margin --input 3,-700 --target 1,1 --json >"$tmp/out" 2>&1
! grep -q differs-from-torch "$tmp/out"
ok $? "soft-margin where torch does not overflow: no differs-from-torch"
"$LOSSLAB" eval soft-margin --input -710,1 --target 1,1 >"$tmp/out" 2>&1
grep -q '^  \[differs-from-torch\] torch 1.13 returns inf here' "$tmp/out"
ok $? "the text report names differs-from-torch too"

# --- the outputs refuse to destroy an input ----------------------------------
cp tests/npy/f8-bce-6.npy "$tmp/in.npy"
fails "--out-grad: '$tmp/in.npy' is also read as a value (@$tmp/in.npy): it would be overwritten" \
    eval bce-logits --input @"$tmp/in.npy" --target @tests/npy/f8-bcet-6.npy \
    --out-grad "$tmp/in.npy"
ok $? "--out-grad naming the input file is refused"
cmp -s "$tmp/in.npy" tests/npy/f8-bce-6.npy
ok $? "  and the input is untouched"
fails "--out-grad and --out-elem both name '$tmp/x.npy'" \
    eval bce-logits --input 1 --target 1 --out-grad "$tmp/x.npy" \
    --out-elem "$tmp/x.npy"
ok $? "--out-grad and --out-elem naming one file is refused"
fails "--out-elem: $tmp/no/x.npy: No such file or directory" \
    eval bce-logits --input 1 --target 1 --out-elem "$tmp/no/x.npy"
ok $? "an unwritable --out-elem: one line, exit 2, nothing on stdout"

# --- large inputs: summaries unless --full ------------------------------------
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "%s%g", i ? "," : "", (i % 7) - 3; print "" }' \
    >"$tmp/x2000"
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "%s%d", i ? "," : "", i % 2; print "" }' \
    >"$tmp/t2000"
# the summary's min and max are those of the --full output's gradient
"$LOSSLAB" eval bce-logits --input @"$tmp/x2000" --target @"$tmp/t2000" \
    --json --full >"$tmp/full" 2>&1
sed 's/.*"grad": \[\([^]]*\)\].*/\1/' "$tmp/full" | tr ',' '\n' >"$tmp/g"
[ "$(wc -l <"$tmp/g")" -eq 2000 ] && ! grep -q summarised "$tmp/full"
ok $? "2000 values with --full: every one of the 2000 gradient values"
mm=$(awk 'NR == 1 || $1 + 0 < lo { lo = $1 + 0 } NR == 1 || $1 + 0 > hi { hi = $1 + 0 }
    END { printf "\"min\": %.17g, \"max\": %.17g", lo, hi }' "$tmp/g")
"$LOSSLAB" eval bce-logits --input @"$tmp/x2000" --target @"$tmp/t2000" \
    --json >"$tmp/out" 2>&1
grep -qF "\"grad\": {\"shape\": [2000], $mm, \"mean\": " "$tmp/out" &&
    grep -q '"nonfinite": 0}, "dtype": "float64", "summarised": true, "warnings": \[\]}$' "$tmp/out"
ok $? "  without: the JSON summarises the gradient ($mm of the full output)"
"$LOSSLAB" eval bce-logits --input @"$tmp/x2000" --target @"$tmp/t2000" \
    --json --reduction none >"$tmp/out" 2>&1
grep -q '"value": {"shape": \[2000\], "min": ' "$tmp/out"
ok $? "  reduction none: the value is summarised as well"
"$LOSSLAB" eval bce-logits --input @"$tmp/x2000" --target @"$tmp/t2000" \
    >"$tmp/out" 2>&1
mm=$(echo "$mm" | sed 's/"min": /min /; s/"max": /max /')
grep -qF "  [2000] float64: $mm, mean " "$tmp/out" &&
    grep -q '^note: more than 1000 input values: the arrays are summarised (--full prints every value)$' "$tmp/out" &&
    [ "$(wc -l <"$tmp/out")" -lt 15 ]
ok $? "  the text report summarises too, and says so"
# 200 rows, 190 of them a probability vector: the count
awk 'BEGIN { for (i = 0; i < 200; i++) print (i < 10 ? "0.6,0.6" : "0.25,0.75") }' >"$tmp/p200"
awk 'BEGIN { for (i = 0; i < 200; i++) printf "%s%d", i ? "," : "", i % 2; print "" }' >"$tmp/y200"
"$LOSSLAB" eval ce --input @"$tmp/p200" --target "@$tmp/y200" --json >"$tmp/out" 2>&1
grep -q '"id": "input-looks-like-softmax", "message": "190 of 200 rows are non-negative and sum to 1: softmax output?' "$tmp/out"
ok $? "190 of 200 rows like softmax output: the warning counts them"

# --- bad files: one line, exit 2 ------------------------------------------
n=0
nbad=0
for f in tests/npy-bad/*.npy; do
	n=$((n + 1))
	msg=$(grep "^bad $f " tests/npy/cases.txt | cut -d' ' -f3-)
	"$LOSSLAB" eval bce-logits --input @"$f" --target 1 >"$tmp/out" \
	    2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || [ -s "$tmp/out" ] ||
	    ! grep -q "^losslab: --input: '$f': " "$tmp/err" ||
	    ! grep -qF "$msg" "$tmp/err"; then
		nbad=$((nbad + 1))
		diag "$f: exit $rc: $(head -c 300 "$tmp/err")"
	fi
done
[ $n -ge 20 ] && [ $nbad -eq 0 ]
ok $? "each of the $n files of tests/npy-bad/: exit 2 and one 'losslab: --input: FILE: why' line"
printf 'not numpy\n' >"$tmp/fake.npy"
fails "--target: '$tmp/fake.npy': not a .npy file (no \\x93NUMPY magic)" \
    eval bce-logits --input 1 --target @"$tmp/fake.npy"
ok $? "a text file named .npy: 'not a .npy file'"

# beyond the size limit: a (sparse) file of NPY_MAX_FILE + 1 bytes is
# refused as it is read, before its header is looked at
printf '\223NUMPY\001\000' >"$tmp/big.npy"
truncate -s 134283281 "$tmp/big.npy"
fails "--input: '$tmp/big.npy' is larger than 134283280 bytes (the limit of a .npy file: 16777216 values)" \
    eval bce-logits --input @"$tmp/big.npy" --target 1
ok $? "a .npy file one byte over the limit: refused"
rm -f "$tmp/big.npy"

# the same refusals for a Chinese learner: one line in Chinese, exit 2
(unset LC_ALL LC_MESSAGES; LANG=C.UTF-8 LANGUAGE=zh_CN "$LOSSLAB" eval bce-logits \
    --input @tests/npy-bad/object.npy --target 1) >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "losslab: --input：“tests/npy-bad/object.npy”：拒绝 dtype object（“|O”）：它的值是 pickle 过的 Python 对象，losslab 从不反序列化它们" ]
ok $? "a pickled .npy, in Chinese: one translated line, exit 2 ($(cat "$tmp/err"))"

# --- text files: a header line ------------------------------------------------
printf 'logit,label\n1.5,1\n-2,0\n' >"$tmp/h.csv"
"$LOSSLAB" eval bce-logits --input @"$tmp/h.csv" --target '1,1;0,0' --json \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
"$LOSSLAB" eval bce-logits --input '1.5,1;-2,0' --target '1,1;0,0' --json \
    >"$tmp/b" 2>/dev/null
[ $rc -eq 0 ] && cmp -s "$tmp/out" "$tmp/b" &&
    [ "$(cat "$tmp/err")" = "losslab: note: --input: line 1 of '$tmp/h.csv' holds no number: a header, skipped" ]
ok $? "a text file's header line is skipped, with a note on stderr"
printf '1.5\nx\n' >"$tmp/h2.csv"
fails "--input: 'x' is not a number (row 2, value 1)" \
    eval bce-logits --input @"$tmp/h2.csv" --target '1;0'
ok $? "a word after the first line is still an error"

# --- large float64 files are mapped, not read (npy_map_files) -------------------
# 200000 values (1.6 MB of data, above NPY_MAP_MIN), written by eval's
# --out-elem and read back mapped, give the losses that the same numbers
# typed give (the first 100 of them, read the ordinary way).
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "%s%.6f", (i ? "," : ""), (i % 1000 - 500) / 37.0; print "" }' >"$tmp/v.txt"
"$LOSSLAB" eval bce-logits --reduction none --input @"$tmp/v.txt" \
    --target @"$tmp/v.txt" --json --full --out-elem "$tmp/big.npy" \
    2>/dev/null | sed -n 's/.*"value": \[\([^]]*\)\].*/\1/p' | tr -d ' ' \
    >"$tmp/all.txt"
"$LOSSLAB" eval bce-logits --reduction none --input @"$tmp/big.npy" \
    --target @"$tmp/big.npy" --json --full 2>/dev/null |
    sed -n 's/.*"value": \[\([^]]*\)\].*/\1/p' | tr ',' '\n' | tr -d ' ' |
    head -n 100 >"$tmp/e-big"
tr ',' '\n' <"$tmp/all.txt" | head -n 100 | paste -sd, - >"$tmp/first"
"$LOSSLAB" eval bce-logits --reduction none --input @"$tmp/first" \
    --target @"$tmp/first" --json --full 2>/dev/null |
    sed -n 's/.*"value": \[\([^]]*\)\].*/\1/p' | tr ',' '\n' | tr -d ' ' \
    >"$tmp/e-small"
[ "$(wc -c <"$tmp/big.npy")" -eq 1600128 ] &&
    [ "$(wc -l <"$tmp/e-small")" -eq 100 ] &&
    cmp -s "$tmp/e-small" "$tmp/e-big"
ok $? "a 1.6 MB float64 .npy (mapped, not read): its first 100 losses are those of the same numbers typed"

# A large float32 input to ce (1000 x 300, 1.2 MB: kept as floats in its
# mapping, the gradient computed and written as floats) gives the bytes,
# the value and the warnings of the same file read as doubles (--full
# takes that path); one nan among the logits is found and placed.
awk 'BEGIN { for (r = 0; r < 1000; r++) { for (c = 0; c < 300; c++) printf "%s%s", (c ? "," : ""), (r == 7 && c == 5 ? "nan" : sprintf("%.4f", ((r * 7 + c * 13) % 200 - 100) / 23.0)); print "" } }' >"$tmp/m.txt"
awk 'BEGIN { for (r = 0; r < 1000; r++) printf "%s%d", (r ? "," : ""), (r * 37) % 300; print "" }' >"$tmp/idx.txt"
"$LOSSLAB" eval bce-logits --dtype float32 --reduction none \
    --input @"$tmp/m.txt" --target @"$tmp/m.txt" --out-elem "$tmp/x32.npy" \
    >/dev/null 2>&1
for red in mean sum none; do
	"$LOSSLAB" eval ce --reduction $red --input @"$tmp/x32.npy" \
	    --target @"$tmp/idx.txt" --json --out-grad "$tmp/gA.npy" \
	    --out-elem "$tmp/eA.npy" >"$tmp/a" 2>&1
	ra=$?
	"$LOSSLAB" eval ce --reduction $red --input @"$tmp/x32.npy" \
	    --target @"$tmp/idx.txt" --json --full --out-grad "$tmp/gB.npy" \
	    --out-elem "$tmp/eB.npy" >"$tmp/b" 2>&1
	rb=$?
	wa=$(sed -n 's/.*"warnings": //p' "$tmp/a")
	wb=$(sed -n 's/.*"warnings": //p' "$tmp/b")
	va=$(sed -n 's/.*"value": \([^,]*\),.*/\1/p' "$tmp/a")
	vb=$(sed -n 's/.*"value": \([^,]*\),.*/\1/p' "$tmp/b")
	[ $ra -eq 0 ] && [ $rb -eq 0 ] && [ "$(wc -c <"$tmp/x32.npy")" -eq 1200128 ] &&
	    cmp -s "$tmp/gA.npy" "$tmp/gB.npy" && cmp -s "$tmp/eA.npy" "$tmp/eB.npy" &&
	    { [ $red = none ] || [ "$va" = "$vb" ]; } &&
	    [ -n "$wa" ] && [ "$wa" = "$wb" ] &&
	    case $wa in *'row 7, column 5'*) true ;; *) false ;; esac
	ok $? "float32 1000 x 300 ce ($red) read as floats: the gradient and losses of the doubles' path, byte for byte, and its nan warning"
done

# The float32 kernel shares the rows out to threads (--threads): every
# byte of the report, the gradient and the losses is the same for 1, 2 and
# 64 threads (64 takes 2: 300,000 values, 2^17 a thread), with label
# smoothing, class weights and an ignored class too.
awk 'BEGIN { for (c = 0; c < 300; c++) printf "%s%g", (c ? "," : ""), 0.5 + (c % 7) / 4; print "" }' >"$tmp/w300.txt"
for opts in "--reduction mean" "--reduction sum --label-smoothing 0.1 --weight @$tmp/w300.txt" \
    "--reduction none --ignore-index 37" "--reduction mean --label-smoothing 0.2 --ignore-index 74"; do
	r=0
	for th in 1 2 64; do
		# shellcheck disable=SC2086
		"$LOSSLAB" eval ce $opts --input @"$tmp/x32.npy" \
		    --target @"$tmp/idx.txt" --json --threads $th \
		    --out-grad "$tmp/g$th.npy" --out-elem "$tmp/e$th.npy" \
		    >"$tmp/o$th" 2>&1 || r=1
	done
	for th in 2 64; do
		cmp -s "$tmp/o1" "$tmp/o$th" && cmp -s "$tmp/g1.npy" "$tmp/g$th.npy" &&
		    cmp -s "$tmp/e1.npy" "$tmp/e$th.npy" || r=1
	done
	grep -q '"value"' "$tmp/o1" || r=1
	ok $r "float32 1000 x 300 ce ($(echo "$opts" | sed "s|$tmp/||")): the same bytes on 1, 2 and 64 threads"
done
# The same for float64 (ce with class indices, and bce-logits, whose
# kernels say which values are final as they go: the gradient written
# while computed, with threads): the same bytes as on 1 thread.
"$LOSSLAB" eval bce-logits --reduction none --input @"$tmp/m.txt" \
    --target @"$tmp/m.txt" --out-elem "$tmp/x64.npy" >/dev/null 2>&1
for spec in "ce @$tmp/idx.txt" "nll @$tmp/idx.txt" "bce-logits @$tmp/x64.npy"; do
	set -- $spec
	r=0
	for th in 1 2; do
		"$LOSSLAB" eval "$1" --input @"$tmp/x64.npy" --target "$2" \
		    --json --threads $th --out-grad "$tmp/g$th.npy" \
		    --out-elem "$tmp/e$th.npy" >"$tmp/o$th" 2>&1 || r=1
	done
	cmp -s "$tmp/o1" "$tmp/o2" && cmp -s "$tmp/g1.npy" "$tmp/g2.npy" &&
	    cmp -s "$tmp/e1.npy" "$tmp/e2.npy" && grep -q '"dtype": "float64"' "$tmp/o1" &&
	    [ "$(wc -c <"$tmp/g1.npy")" -eq 2400128 ] || r=1
	ok $r "float64 1000 x 300 $1: the same bytes on 1 and 2 threads"
done

# With threads the float32 gradient is written while it is computed
# (cmd_eval.c, struct stream): a loss that fails meanwhile (a class index
# out of range) leaves the old file as it was and no temporary file; a
# file that cannot be written is one line, as without threads.
awk 'BEGIN { for (r = 0; r < 1000; r++) printf "%s%d", (r ? "," : ""), (r == 900 ? 300 : (r * 37) % 300); print "" }' >"$tmp/idx-bad.txt"
mkdir "$tmp/od"
echo old >"$tmp/od/g.npy"
"$LOSSLAB" eval ce --threads 2 --input @"$tmp/x32.npy" \
    --target @"$tmp/idx-bad.txt" --out-grad "$tmp/od/g.npy" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    grep -q '^losslab: ce: .*300' "$tmp/err" && [ "$(cat "$tmp/od/g.npy")" = old ] &&
    [ "$(ls -A "$tmp/od")" = g.npy ]
ok $? "a loss that fails while its gradient is written: one line, the old file kept, no temporary file ($(head -1 "$tmp/err"))"
for o in --out-grad --out-elem; do
	other="--out-grad $tmp/od/g.npy"
	[ $o = --out-grad ] && other="--out-elem $tmp/od/e.npy"
	# shellcheck disable=SC2086
	"$LOSSLAB" eval ce --threads 2 --input @"$tmp/x32.npy" \
	    --target @"$tmp/idx.txt" $other \
	    $o "$tmp/no/such/dir/f.npy" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	    grep -qF "losslab: $o: $tmp/no/such/dir/f.npy: No such file or directory" "$tmp/err" &&
	    ! ls -A "$tmp/od" | grep -q losslab-
	ok $? "  $o into a missing folder while the gradient is written: one line, exit 2"
done
for bad in 0 65 x 2x ""; do
	"$LOSSLAB" eval ce --input @"$tmp/x32.npy" --target @"$tmp/idx.txt" \
	    --threads "$bad" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	    grep -qF "losslab: --threads: '$bad' is not a whole number from 1 to 64" "$tmp/err"
	ok $? "--threads '$bad': one 'losslab:' line, exit 2"
done

# A mapped file truncated while eval uses it: SIGBUS, one line, exit 2.
# eval maps the input, then waits for the target on standard input; the
# file is emptied once its mapping shows in /proc, then the target comes.
if [ -r /proc/self/maps ]; then
	cp "$tmp/big.npy" "$tmp/trunc.npy"
	mkfifo "$tmp/fifo"
	"$LOSSLAB" eval bce-logits --input @"$tmp/trunc.npy" --target - \
	    <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	exec 3>"$tmp/fifo"
	i=0
	while [ $i -lt 200 ] && ! grep -q trunc.npy /proc/$pid/maps 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	: >"$tmp/trunc.npy"
	cat "$tmp/all.txt" >&3
	exec 3>&-
	wait $pid
	rc=$?
	[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: an input .npy file was truncated or changed while eval read it (SIGBUS): eval stopped" ]
	r=$?
	[ $r -eq 0 ] || diag "exit $rc: $(head -c 300 "$tmp/err")"
	ok $r "a mapped .npy truncated while eval uses it: one 'losslab:' line, exit 2"
else
	ok 0 "# SKIP no /proc/PID/maps"
fi

done_testing
