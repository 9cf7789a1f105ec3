#!/bin/sh
# dtype.sh -- `losslab eval` sees dtypes as torch does (issue 11, item 2):
# torch's dtype errors word for word (the target's dtype from
# --target-dtype or from its .npy file), float32 computed as torch's float32,
# and the notes and JSON key that say so.  The messages are those of
# tests/dtypes_golden.txt (tests/gen_dtypes.py, torch 1.13); the float32
# numbers were printed by torch 1.13:
#   x = torch.tensor([20., -1.], requires_grad=True)
#   L = F.binary_cross_entropy_with_logits(x, torch.tensor([1., 0.]))
#   L.backward(); print(repr(L.item()), x.grad.tolist())
#   -> 0.15663082897663116 [0.0, 0.13447071611881256]
#   (float64: 0.15663084478968828 [-1.030576846083875e-09, ...])
. "${top_srcdir:-.}/tests/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-dtype.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "${top_srcdir:-.}" || exit 1

# fails MESSAGE ARGS...: exit 2 and MESSAGE on the one line of stderr
fails() {
	want=$1
	shift
	"$LOSSLAB" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	    grep -qF -- "$want" "$tmp/err"
	r=$?
	[ $r -eq 0 ] || diag "exit $st: $(cat "$tmp/err")"
	return $r
}

fails "losslab: bce: Found dtype Long but expected Float [float32, int64: BCELoss needs the target in the input's dtype: use target.float()]" \
    eval bce --input 0.8,0.2,0.6,0.1 --dtype float32 --target @tests/npy/i8-4.npy
ok $? "BCELoss, float32 input, an int64 .npy target: torch's error and the hint"
fails "losslab: ce: expected scalar type Long but found Float" \
    eval ce --input '2,1,0.1;0.2,0.3,2.5' --target 0,2 --target-dtype float
ok $? "CrossEntropyLoss with float class indices: torch's error"
fails "losslab: ce: expected scalar type Long but found Int" \
    eval ce --input '2,1,0.1;0.2,0.3,2.5;1,1,1' --target @tests/npy/i4-3.npy
ok $? "CrossEntropyLoss with an int32 .npy target: torch's error"
fails "losslab: bce-logits: result type Float can't be cast to the desired output type Long" \
    eval bce-logits --input 2,-1 --dtype float32 --target 1,0 --target-dtype long
ok $? "BCEWithLogitsLoss with a Long target: torch's error"
fails "losslab: bce-logits: \"clamp_min_cpu\" not implemented for 'Half'" \
    eval bce-logits --input @tests/npy/f2-6.npy --target 1,0,1,0,1,0
ok $? "a float16 .npy input: torch's CPU has no kernel for it"
fails "losslab: ce: Expected input batch_size (2) to match target batch_size (3)." \
    eval ce --input '2,1,0.1;0.2,0.3,2.5' --target @tests/npy/i4-3.npy
ok $? "torch's order: the shapes are checked before the dtypes"
fails "losslab: bce: Found dtype Long but expected Double" \
    eval bce --input 1.5,0.2 --target 1,0 --target-dtype long
ok $? "torch's order: the dtypes are checked before the values (p = 1.5)"
fails "--dtype: losslab computes in float32 or float64, not int64" \
    eval bce-logits --input 1 --target 1 --dtype long
ok $? "--dtype long is refused"
fails "--target-dtype: unknown dtype 'complex64'" \
    eval bce-logits --input 1 --target 1 --target-dtype complex64
ok $? "an unknown --target-dtype is refused"

"$LOSSLAB" eval bce-logits --input 20,-1 --target 1,0 --dtype float32 --json \
    >"$tmp/out" 2>&1
grep -qF '"value": 0.15663082897663116, "grad": [0, 0.13447071611881256], "dtype": "float32"' \
    "$tmp/out"
ok $? "--dtype float32: torch's float32 value and gradient (0 where float64 has -1e-9)"
# --out-grad and --out-elem in torch's dtype: np.save(x.grad.numpy()) of the
# float32 run above writes '<f4' (torch 1.13 + numpy: the gradient's bytes
# 00000000 b1b2093e, the reduction='none' output [0, 0.31326165795326233],
# bytes 00000000 d563a03e); a float64 run writes '<f8'.
"$LOSSLAB" eval bce-logits --input 20,-1 --target 1,0 --dtype float32 \
    --out-grad "$tmp/g.npy" --out-elem "$tmp/l.npy" >/dev/null 2>&1 &&
    head -c 128 "$tmp/g.npy" | grep -qaF "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" &&
    [ "$(tail -c 8 "$tmp/g.npy" | od -An -tx1 | tr -d ' \n')" = 00000000b1b2093e ] &&
    head -c 128 "$tmp/l.npy" | grep -qaF "'descr': '<f4'" &&
    [ "$(tail -c 8 "$tmp/l.npy" | od -An -tx1 | tr -d ' \n')" = 00000000d563a03e ] &&
    [ "$(wc -c <"$tmp/g.npy")" -eq 136 ]
ok $? "--dtype float32: --out-grad and --out-elem are float32 .npy files with torch's bytes"
"$LOSSLAB" eval bce-logits --input 20,-1 --target 1,0 --out-grad "$tmp/g.npy" \
    >/dev/null 2>&1 && head -c 128 "$tmp/g.npy" | grep -qaF "'descr': '<f8'"
ok $? "float64: --out-grad is a float64 .npy file"
"$LOSSLAB" eval bce-logits --input 20,-1 --target 1,0 --json >"$tmp/out" 2>&1
grep -qF '"dtype": "float64"' "$tmp/out"
ok $? "text values are float64 by default"
"$LOSSLAB" eval bce-logits --input @tests/npy/f4-le-5.npy --target 1,0,1,1,0 \
    >"$tmp/out" 2>&1
grep -q '^note: float32, computed in float as torch computes for float32 tensors' \
    "$tmp/out"
ok $? "a float32 .npy input is computed in float32, and the report says so"
"$LOSSLAB" eval soft-margin --input 1,-2 --target 1,-1 --dtype float32 \
    >"$tmp/out" 2>&1
grep -q '^note: float32: losslab computed in float64 and rounded to float32' \
    "$tmp/out"
ok $? "a loss without a float32 kernel says it rounded"

done_testing
