#!/bin/sh
# cli.sh -- `losslab eval`, --help and --version as scripts see them:
# the JSON contract, value syntax (files, stdin, inf/nan), and every kind of
# bad input giving exit 2 with one "losslab: ..." line.
#
# Expected numbers were computed by PyTorch 1.13 (Debian python3-torch,
# float64), e.g. for the first check:
#   F.binary_cross_entropy_with_logits(tensor([2.,-1.,.5], dtype=float64),
#       tensor([1.,0.,1.], dtype=float64))  -> 0.3047555609137674
. "${top_srcdir:-.}/tests/tap.sh"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# json_check JSON PYTHON-EXPR: the expression over `j` (the parsed object) and
# `close(a, b)` (1e-12 relative) must hold.
json_check() {
	python3 -c '
import json, math, sys
j = json.loads(sys.argv[1])
def close(a, b, rtol=1e-12):
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(close(x, y, rtol) for x, y in zip(a, b))
    return a == b or abs(a - b) <= rtol * abs(b)
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}

# expect_fail "name" "message fragment" ARGS...: exit 2, one stderr line
# starting "losslab: " and containing the fragment, nothing on stdout.
expect_fail() {
	name=$1 frag=$2
	shift 2
	"$LOSSLAB" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	st=$?
	lines=$(wc -l <"$tmp/err")
	if [ $st -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$tmp/out" ] &&
	    grep -q '^losslab: ' "$tmp/err" && grep -qF -- "$frag" "$tmp/err"; then
		ok 0 "$name"
	else
		ok 1 "$name"
		diag "exit $st, stderr: $(cat "$tmp/err")"
	fi
}

have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
check() {	# check "name" JSON EXPR
	if [ $have_python -eq 0 ]; then
		echo "ok $((tap_n += 1)) # SKIP python3 missing: $1"
		return
	fi
	json_check "$2" "$3"
	ok $? "$1"
}

# --- the JSON contract -------------------------------------------------------
out=$("$LOSSLAB" eval bce-logits --input 2,-1,0.5 --target 1,0,1 --json)
ok $? "eval bce-logits --json exits 0"
check "bce-logits mean value and grad equal torch" "$out" \
    'j["loss"] == "bce-logits" and j["reduction"] == "mean" and close(j["value"], 0.3047555609137674) and close(j["grad"], [-0.0397343073407059, 0.08964714045666504, -0.1258468895993818]) and j["warnings"] == []'

out=$("$LOSSLAB" eval bce-logits --input 2,-1,0.5 --target 1,0,1 --reduction none --json)
check "reduction none gives a nested array" "$out" \
    'close(j["value"], [0.1269280110429726, 0.31326168751822286, 0.4740769841801067]) and close(j["grad"], [-0.11920292202211769, 0.2689414213699951, -0.3775406687981454])'

out=$("$LOSSLAB" eval ce --input '2,1,0.1;0.2,0.3,2.5' --target 0,2 --json)
check "ce on a 2x3 input: grad is 2x3" "$out" \
    'close(j["value"], 0.30426383930877376) and close(j["grad"], [[-0.17049943055701605, 0.12121648535235695, 0.0492829452046591], [0.041392944188730144, 0.04574627813091292, -0.087139222319643]])'

out=$("$LOSSLAB" eval ce --input 2,1,0.1 --target 0 --reduction none --json)
check "1-D ce input is one sample: 'none' is a number" "$out" \
    'close(j["value"], 0.41703001627783354) and close(j["grad"], [-0.3409988611140321, 0.2424329707047139, 0.0985658904093182])'

out=$("$LOSSLAB" eval bce-logits --input 2,-1,0.5 --target 1,0,1 --pitfall double-sigmoid --json)
check "pitfall double-sigmoid beside the correct value" "$out" \
    'close(j["value"], 0.3047555609137674) and j["pitfall"]["id"] == "double-sigmoid" and close(j["pitfall"]["value"], 0.5376538812527388) and close(j["pitfall"]["grad"], [-0.010254815600729088, 0.037148711111800514, -0.02735618066773505])'

out=$("$LOSSLAB" eval ce --input '2,1,0.1;' --target 0 --pitfall softmax-then-ce --json)
check "pitfall softmax-then-ce on a 1x3 batch" "$out" \
    'close(j["pitfall"]["value"], 0.8021208912128679) and close(j["pitfall"]["grad"], [[-0.18781772864239926, 0.13630473906144966, 0.05151298958094961]])'

out=$("$LOSSLAB" eval bce-logits --input 2,-1,0.5 --target 1,0,1 --pitfall bce-on-logits --json)
check "bce-on-logits outside [0,1]: torch's error in the pitfall object" "$out" \
    '"between 0 and 1" in j["pitfall"]["error"] and "value" not in j["pitfall"] and close(j["value"], 0.3047555609137674)'

out=$("$LOSSLAB" eval bce-logits --input 0.9,0.1,0.5 --target 1,0,1 --pitfall bce-on-logits --json)
check "bce-on-logits inside [0,1]: silently wrong numbers, and a warning" "$out" \
    'close(j["pitfall"]["value"], 0.3012894039585326) and close(j["pitfall"]["grad"], [-0.3703703703703704, 0.3703703703703703, -0.6666666666666666]) and "input-looks-like-probabilities" in [w["id"] for w in j["warnings"]]'

out=$("$LOSSLAB" eval bce --input 0.9,0.1,0.5 --target 1,0,1 --reduction sum --json)
check "bce sum" "$out" \
    'close(j["value"], 0.9038682118755978) and close(j["grad"], [-1.1111111111111112, 1.111111111111111, -2.0])'

out=$("$LOSSLAB" eval bce-logits --input inf,-inf,nan --target 0,1,1 --reduction none --json)
check "non-finite numbers are the strings inf, -inf, nan" "$out" \
    'j["value"] == ["inf", "nan", "nan"] and j["grad"][0] == 1 and j["grad"][1] == -1 and j["grad"][2] == "nan"'

out=$("$LOSSLAB" eval ce --input '0.7,0.2,0.1;0.1,0.8,0.1' --target 0,1 --json)
check "softmax-looking ce input is warned about" "$out" \
    '"input-looks-like-softmax" in [w["id"] for w in j["warnings"]] and all(isinstance(w["message"], str) and w["message"] for w in j["warnings"])'

# 17 significant digits: reading the printed number back gives the same double.
out=$("$LOSSLAB" eval bce-logits --input 2,-1,0.5 --target 1,0,1 --json)
echo "$out" | grep -q '"value": 0.30475556091376\(74\|7[0-9]\)[0-9]*' 
ok $? "numbers are printed with 17 significant digits"

# --- value syntax --------------------------------------------------------------
printf '2, 1, 0.1\n0.2 0.3 2.5\n' >"$tmp/x.txt"
out=$("$LOSSLAB" eval ce --input @"$tmp/x.txt" --target 0,2 --json)
check "@FILE with one row a line (commas or blanks)" "$out" \
    'close(j["value"], 0.30426383930877376)'
printf '2,1,0.1;0.2,0.3,2.5\n' >"$tmp/x2.txt"
out=$("$LOSSLAB" eval ce --input @"$tmp/x2.txt" --target 0,2 --json)
check "@FILE with the command-line syntax" "$out" \
    'close(j["value"], 0.30426383930877376)'
out=$(printf '0,2\n' | "$LOSSLAB" eval ce --input '2,1,0.1;0.2,0.3,2.5' --target - --json)
check "- reads standard input" "$out" 'close(j["value"], 0.30426383930877376)'
out=$("$LOSSLAB" eval bce-logits --input ' 2 , -1 ,0.5' --target '1, 0, 1' --json)
check "blanks around numbers are fine" "$out" 'close(j["value"], 0.3047555609137674)'

# --- the readable report ------------------------------------------------------
out=$("$LOSSLAB" eval bce --input 0.9,0.1,0.5 --target 1,0,1)
ok $? "report exits 0"
echo "$out" | grep -q '∂L/∂p' && echo "$out" | grep -q 'nn.BCELoss' &&
    echo "$out" | grep -q 'per-element loss' && echo "$out" | grep -q '0.30128940395853'
ok $? "report names the loss, the per-element losses, the value and ∂L/∂p"
out=$("$LOSSLAB" eval bce-logits --input 0.9,0.1,0.5 --target 1,0,1 --pitfall double-sigmoid)
echo "$out" | grep -q '∂L/∂z' && echo "$out" | grep -q 'input-looks-like-probabilities' &&
    echo "$out" | grep -q 'double-sigmoid'
ok $? "report shows ∂L/∂z, warnings and the pitfall"

# --- bad input: exit 2, one line -------------------------------------------------
expect_fail "unknown loss" "unknown loss 'hinge'" eval hinge --input 1 --target 1
expect_fail "no loss" "needs a loss" eval
expect_fail "unknown option" "unknown option '--frobnicate'" eval bce --input 0.5 --target 1 --frobnicate
expect_fail "missing --input" "needs --input" eval bce --target 1
expect_fail "missing --target" "needs --target" eval bce --input 0.5
expect_fail "option without value" "needs a value" eval bce --input 0.5 --target
expect_fail "unparsable number" "'0.5x' is not a number (row 1, value 2)" eval bce --input 0.1,0.5x --target 1,0
expect_fail "empty value" "empty value (row 1, value 2)" eval bce --input '0.1,,0.3' --target 1,0,1
expect_fail "ragged rows" "row 2 has 3 values, row 1 has 4" eval bce-logits --input '1,2,3,4;1,2,3' --target '1,0,1,0;1,0,1'
expect_fail "shape mismatch (bce-logits)" "must be the same as input size" eval bce-logits --input 1,2,3 --target 1,0
expect_fail "shape mismatch (bce)" "different to the input size" eval bce --input 0.5,0.5 --target 1
expect_fail "batch mismatch (ce)" "Expected input batch_size (2) to match target batch_size (3)" eval ce --input '1,2;3,4' --target 0,1,1
expect_fail "class index out of range" "Target 3 is out of bounds" eval ce --input '1,2,3;3,4,5' --target 0,3
expect_fail "class index not an integer" "expected scalar type Long" eval ce --input '1,2,3;3,4,5' --target 0,1.5
expect_fail "bce probability outside [0,1]" "all elements of input should be between 0 and 1" eval bce --input 1.5,0.5 --target 1,0
expect_fail "bce probability nan" "between 0 and 1" eval bce --input nan,0.5 --target 1,0
expect_fail "label smoothing > 1" "label_smoothing must be between 0.0 and 1.0. Got: 1.5" eval ce --input 1,2,3 --target 0 --label-smoothing 1.5
expect_fail "label smoothing < 0" "label_smoothing must be between 0.0 and 1.0" eval ce --input 1,2,3 --target 0 --label-smoothing -0.1
expect_fail "p not 1 or 2" "only p == 1 and p == 2 supported" eval multi-margin --input 1,2,3 --target 0 --p 3
expect_fail "weight of the wrong length" "weight tensor should be defined either for all 3 classes" eval ce --input '1,2,3;3,4,5' --target 0,1 --weight 1,2
expect_fail "unreadable file" "cannot read" eval bce --input @"$tmp/does-not-exist" --target 1
expect_fail "bad reduction" "avg is not a valid value for reduction" eval bce --input 0.5 --target 1 --reduction avg
expect_fail "batchmean outside kl-div" "batchmean" eval bce --input 0.5 --target 1 --reduction batchmean
expect_fail "option the loss does not read" "--pos-weight does not apply to ce" eval ce --input 1,2,3 --target 0 --pos-weight 2
expect_fail "pitfall of another loss" "imitates" eval ce --input 1,2,3 --target 0 --pitfall double-sigmoid
expect_fail "unknown pitfall" "unknown pitfall 'triple-sigmoid'" eval bce-logits --input 1 --target 1 --pitfall triple-sigmoid
expect_fail "ignore-index not an integer" "not an integer" eval ce --input 1,2,3 --target 0 --ignore-index 1.5
expect_fail "overflowing number" "is not a number" eval bce-logits --input 1e999 --target 1
expect_fail "two values from stdin" "already read" eval bce-logits --input - --target -
expect_fail "prob target with ignore_index >= 0" "ignore_index is not supported for floating point target" eval ce --input '1,2;3,4' --target '0.5,0.5;1,0' --ignore-index 1
expect_fail "unknown global option" "unknown option '--colour-me'" --colour-me
expect_fail "unknown language" "unknown language" --lang fr --version

# --- --help / --version (GNU conventions) ------------------------------------------
out=$("$LOSSLAB" --help); st=$?
[ $st -eq 0 ] && echo "$out" | grep -q '^Usage: losslab' && echo "$out" | grep -q -- '--version'
ok $? "--help prints usage on stdout and exits 0"
out=$("$LOSSLAB" eval --help); st=$?
[ $st -eq 0 ] && echo "$out" | grep -q 'losslab eval LOSS' && echo "$out" | grep -q -- '--label-smoothing'
ok $? "eval --help lists the options"
out=$("$LOSSLAB" --version); st=$?
[ $st -eq 0 ] && echo "$out" | head -1 | grep -q '^losslab [0-9]'
ok $? "--version prints 'losslab VERSION' first"
"$LOSSLAB" </dev/null >"$tmp/out" 2>"$tmp/err"; st=$?
[ $st -eq 2 ] && grep -q "losslab eval" "$tmp/err" && grep -q -- "--dump" "$tmp/err"
ok $? "without a terminal the explorer points at eval and --dump"

# --- write errors: every command against /dev/full (issue 9, item 3) ---------
# Output that cannot be written is an error: one line "losslab: write error:
# No space left on device", exit 2 -- --help and --version too.
if [ -w /dev/full ]; then
	ldir=${top_srcdir:-.}/lessons
	full() {	# full "name" ARGS...
		name=$1
		shift
		LC_ALL=C XDG_DATA_HOME=$tmp/xdg "$LOSSLAB" "$@" >/dev/full \
		    2>"$tmp/err" </dev/null
		st=$?
		[ $st -eq 2 ] &&
		    [ "$(grep -c '^losslab: ' "$tmp/err")" -eq 1 ] &&
		    case $name in
		    # in Chinese the C library's message is its translation
		    *"--lang zh"*) grep -qxE 'losslab: write error: .+' "$tmp/err" ;;
		    *) grep -qx 'losslab: write error: No space left on device' "$tmp/err" ;;
		    esac
		ok $? "$name >/dev/full: exit 2, 'write error: No space left on device'"
		[ $st -eq 2 ] || diag "exit $st: $(cat "$tmp/err")"
	}
	full "--help" --help
	full "--version" --version
	full "eval --help" eval --help
	full "plot --help" plot --help
	full "lessons --help" lessons --help
	full "lessons" lessons
	full "lessons --check FILE" lessons --check "$ldir/bce.en.lesson"
	full "lessons --check (the search path)" lessons --check
	full "plot --list" plot --list
	full "eval (report)" eval ce --input '2,1,0.1;0.2,0.3,2.5' --target 0,2
	full "eval --json" eval bce-logits --input 2,-1,0.5 --target 1,0,1 --json
	full "--dump (more than a buffer)" --dump bce
	# more than one stdio buffer, with no check of its own on the way:
	# the reason must still be found at exit
	awk 'BEGIN { for (i = 0; i < 900; i++) printf "%d.25\n", i % 7 - 3 }' \
	    >"$tmp/many.txt"
	awk 'BEGIN { for (i = 0; i < 900; i++) printf "%d\n", i % 2 }' \
	    >"$tmp/many01.txt"
	full "eval --json of 900 values (several buffers)" eval bce-logits \
	    --input "@$tmp/many.txt" --target "@$tmp/many01.txt" --json
	full "--lang zh --help" --lang zh --help
	if command -v gnuplot >/dev/null 2>&1; then
		full "plot (text)" plot bce-curve --size 40x12
	else
		echo "ok $((tap_n += 1)) # SKIP gnuplot missing"
	fi
else
	echo "ok $((tap_n += 1)) # SKIP no /dev/full"
fi
# a standard output closed before the start: an error only if written to
LC_ALL=C "$LOSSLAB" --version >&- 2>"$tmp/err"; st=$?
[ $st -eq 2 ] && grep -qx 'losslab: write error: Bad file descriptor' "$tmp/err"
ok $? "--version with standard output closed: exit 2, 'write error: Bad file descriptor'"
LC_ALL=C "$LOSSLAB" eval hinge --input 1 --target 1 >&- 2>"$tmp/err"; st=$?
[ $st -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ! grep -q 'write error' "$tmp/err"
ok $? "an error with standard output closed: its own line only"
"$LOSSLAB" eval bce-logits --input 2 --target 1 --json >/dev/null 2>"$tmp/err"; st=$?
[ $st -eq 0 ] && [ ! -s "$tmp/err" ]
ok $? "a write that succeeds is no error"

# --help ends with the bug-report address of configure.ac's AC_INIT
bug=$(sed -n 's/^AC_INIT(\[losslab\], \[[^]]*\], \[\([^]]*\)\].*/\1/p' \
    "$top_srcdir/configure.ac")
"$LOSSLAB" --help >"$tmp/out" 2>&1
[ -n "$bug" ] && grep -qxF "Report bugs to: $bug" "$tmp/out" &&
    grep -q '^losslab home page: <http' "$tmp/out"
ok $? "--help: 'Report bugs to: $bug' and the home page"
"$LOSSLAB" --lang zh --help >"$tmp/out" 2>&1
[ -n "$bug" ] && grep -qxF "报告错误请发送至：$bug" "$tmp/out"
ok $? "--lang zh --help: the bug-report line in Chinese"

# --- the first run: ./src/losslab in the tree it was built in ---------------
# A value that does not parse, for a Chinese learner: the parser's
# messages are translated (one line, exit 2, nothing on standard output);
# under C they stay English.
for loc in zh_CN C; do
	(unset LC_ALL LC_MESSAGES; LANG=C.UTF-8 LANGUAGE=$loc "$LOSSLAB" eval ce \
	    --input '1,x;2,3' --target 0,1) >"$tmp/out" 2>"$tmp/err"
	st=$?
	want="losslab: --input: 'x' is not a number (row 1, value 2)"
	[ $loc = zh_CN ] && want="losslab: --input：“x”不是数（第 1 行，第 2 个值）"
	[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "$want" ]
	ok $? "a value that does not parse, LANGUAGE=$loc: one line in that language, exit 2 ($(cat "$tmp/err"))"
done
(unset LC_ALL LC_MESSAGES; LANG=C.UTF-8 LANGUAGE=zh_CN "$LOSSLAB" eval ce \
    --input '1,2;3' --target 0,1) >"$tmp/out" 2>"$tmp/err"
[ "$(cat "$tmp/err")" = "losslab: --input：第 2 行有 1 个值，第 1 行有 2 个" ]
ok $? "  and rows of different lengths, in Chinese ($(cat "$tmp/err"))"

# With no LOSSLAB_DATADIR and LOSSLAB_LOCALEDIR, a program that sits at
# TOP/src/losslab beside TOP/lessons/README.md finds the lessons and the
# Chinese catalogue by itself, from any working directory.
top=$(cd "$(dirname "$LOSSLAB")/.." && pwd)
if [ -f "$top/lessons/README.md" ] && [ -f "$top/plots/style.gp" ] &&
    [ -d "$top/po/locale" ]; then
	(cd / && env -u LOSSLAB_DATADIR -u LOSSLAB_LOCALEDIR \
	    XDG_DATA_HOME="$tmp/xdg-empty" "$top/src/losslab" lessons) >"$tmp/out" 2>&1
	grep -q "^bce .*$top/lessons/bce.en.lesson" "$tmp/out"
	ok $? "run from its build tree: the tree's lessons, nothing set"
	(cd / && env -u LOSSLAB_DATADIR -u LOSSLAB_LOCALEDIR LANG=C.UTF-8 \
	    LANGUAGE=zh_CN "$top/src/losslab" --help) >"$tmp/out" 2>&1
	grep -q '^用法：losslab' "$tmp/out"
	ok $? "run from its build tree: Chinese from the tree's po/locale"
else
	echo "ok $((tap_n += 1)) # SKIP not run from a build in the source tree (VPATH build)"
	echo "ok $((tap_n += 1)) # SKIP not run from a build in the source tree (VPATH build)"
fi

done_testing
