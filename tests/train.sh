#!/bin/sh
# train.sh -- `losslab train` as people and scripts see it: the report (table,
# chart, how each run ended), the JSON contract, reproducibility from the
# seed, the CSV file, divergence and PyTorch's refusal said in the output,
# and every kind of bad input giving exit 2 with one "losslab: ..." line.
# The numbers themselves are checked against torch by tests/test_train.
. "${top_srcdir:-.}/tests/tap.sh"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

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
# check "name" FILE EXPR: the Python expression over j (the parsed JSON of
# FILE) must hold.
check() {
	if [ $have_python -eq 0 ]; then
		echo "ok $((tap_n += 1)) # SKIP python3 missing: $1"
		return
	fi
	python3 -c '
import json, math, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$2" "$3"
	ok $? "$1"
}

# --- the report ------------------------------------------------------------------
"$LOSSLAB" train --data spiral --model mlp --loss ce --lr 0.5 --momentum 0.9 \
    --epochs 300 --pitfall softmax-then-ce >"$tmp/report" 2>"$tmp/err"
ok $? "train with a pitfall exits 0"
grep -q '^mlp 2-16-3 (tanh) on spiral: 200 points, 3 classes$' "$tmp/report" &&
    grep -q 'SGD lr 0.5, momentum 0.9, weight decay 0' "$tmp/report" &&
    grep -q '^full batch, 300 epochs, seed 1$' "$tmp/report"
ok $? "the report says the model, the data and the optimiser"
# one count a phrase, each with its plural (ngettext)
"$LOSSLAB" train --data blobs --n 1 --model linear --loss ce --lr 0.1 \
    --epochs 1 2>&1 | grep -q '^linear 2-2 on blobs: 1 point, 2 classes$' &&
    "$LOSSLAB" train --data multilabel --model linear --loss bce-logits \
    --lr 0.1 --epochs 1 2>&1 | grep -q '^linear 2-3 on multilabel: 200 points, 3 labels$'
ok $? "the report's counts take their plurals: '1 point, 2 classes', '200 points, 3 labels'"
grep -q '^ epoch  *ce  *accuracy  *softmax-then-ce  *correct loss  *accuracy$' \
    "$tmp/report" && [ "$(grep -c '^ \{0,5\}[0-9][0-9]*  ' "$tmp/report")" -eq 11 ] &&
    grep -q '^   300 ' "$tmp/report"
ok $? "the table has epochs 0 to 300 in 11 rows, both runs side by side"
grep -q '^correct loss against epoch' "$tmp/report" &&
    [ "$(grep -c '^ .* |' "$tmp/report")" -eq 12 ] &&
    grep -q '^ *+------------------------------------------------------------$' \
    "$tmp/report"
ok $? "a text chart of the correct loss of both runs"
grep -q '^ce: 300 epochs, final loss 0\.0[0-9]*, accuracy 100\.0%$' \
    "$tmp/report" &&
    grep -q '^softmax-then-ce: 300 epochs, final loss 0\.[5-9][0-9]* (the correct loss of its logits [1-9][0-9.]*), accuracy [0-9.]*%$' \
    "$tmp/report"
ok $? "each run's end: the right loss fits, softmax-then-ce stays above its floor"
[ ! -s "$tmp/err" ]
ok $? "nothing on stderr"

"$LOSSLAB" train --data blobs --model linear --loss bce-logits --lr 0.1 \
    --epochs 20 --pitfall bce-on-logits >"$tmp/report" 2>&1
grep -q '^bce-on-logits: PyTorch raises in epoch 0: all elements of input should be between 0 and 1$' \
    "$tmp/report"
ok $? "bce-on-logits: the report says torch refuses it"

"$LOSSLAB" train --data spiral --model linear --loss ce --lr 100 \
    --weight-decay 1 --epochs 200 >"$tmp/report" 2>&1
grep -q '^ce: diverged in epoch 154: the loss is inf$' "$tmp/report" &&
    grep -q '^   154  *inf ' "$tmp/report"
ok $? "a diverging run says so, and where"

"$LOSSLAB" --lang zh train --data xor --model mlp --loss focal --lr 1 \
    --epochs 10 >"$tmp/report" 2>&1
grep -q '轮' "$tmp/report"
ok $? "--lang zh: the report in Chinese"
"$LOSSLAB" --lang zh train --help >"$tmp/help" 2>&1
grep -q '用法' "$tmp/help" && grep -q -- '--data' "$tmp/help"
ok $? "--lang zh: train --help in Chinese"
"$LOSSLAB" train --help >"$tmp/help" 2>&1
ok $? "train --help exits 0"
grep -q '^Usage: losslab train --data SET' "$tmp/help" &&
    grep -q -- '--batch full|N' "$tmp/help"
ok $? "train --help shows the usage"

# --- the JSON contract -------------------------------------------------------------
"$LOSSLAB" train --data spiral --classes 4 --n 40 --model mlp --hidden 5 \
    --loss ce --lr 0.3 --epochs 7 --pitfall softmax-then-ce --json \
    >"$tmp/a.json"
ok $? "train --json exits 0"
check "the top-level members, in order" "$tmp/a.json" \
    'list(j) == ["data", "params0", "params", "history", "stopped", "pitfall"]'
check "data: 40 points of 2 features, class indices 0..3" "$tmp/a.json" \
    'len(j["data"]["x"]) == 40 and all(len(r) == 2 for r in j["data"]["x"]) and j["data"]["y"] == [i % 4 for i in range(40)]'
check "mlp params in nn.Linear's (out, in) shape: W1 5x2, b1 5, W2 4x5, b2 4" \
    "$tmp/a.json" \
    'all(list(p) == ["W1", "b1", "W2", "b2"] and len(p["W1"]) == 5 and len(p["W1"][0]) == 2 and len(p["b1"]) == 5 and len(p["W2"]) == 4 and len(p["W2"][0]) == 5 and len(p["b2"]) == 4 for p in (j["params0"], j["params"], j["pitfall"]["params"]))'
check "history: E+1 entries, epoch e after e updates" "$tmp/a.json" \
    '[h["epoch"] for h in j["history"]] == list(range(8)) and all(list(h) == ["epoch", "loss", "correct_loss", "accuracy"] for h in j["history"])'
check "the correct run: loss is its correct loss, and it falls" "$tmp/a.json" \
    'all(h["loss"] == h["correct_loss"] for h in j["history"]) and j["history"][-1]["loss"] < j["history"][0]["loss"] and j["stopped"] is None'
check "the pitfall run: from the same start, its own objective beside the correct loss" \
    "$tmp/a.json" \
    'j["pitfall"]["id"] == "softmax-then-ce" and list(j["pitfall"]) == ["id", "history", "params", "stopped"] and j["pitfall"]["history"][0]["correct_loss"] == j["history"][0]["loss"] and all(h["loss"] != h["correct_loss"] for h in j["pitfall"]["history"]) and j["pitfall"]["params"] != j["params"]'
check "accuracy is a fraction of the points" "$tmp/a.json" \
    'all(0 <= h["accuracy"] <= 1 and round(h["accuracy"] * 40) == h["accuracy"] * 40 for h in j["history"])'

"$LOSSLAB" train --data multilabel --n 30 --model linear --loss bce-logits \
    --lr 0.5 --epochs 3 --json >"$tmp/m.json"
check "the linear model has only W1 and b1; multilabel y are rows of 0/1" \
    "$tmp/m.json" \
    'list(j["params"]) == ["W1", "b1"] and len(j["params"]["W1"]) == 3 and "pitfall" not in j and all(len(r) == 3 and set(r) <= {0, 1} for r in j["data"]["y"])'
check "multilabel accuracy counts every label" "$tmp/m.json" \
    'all(round(h["accuracy"] * 90) == h["accuracy"] * 90 for h in j["history"])'

"$LOSSLAB" train --data circles --n 30 --model mlp --loss bce-logits \
    --lr 0.5 --epochs 3 --json >"$tmp/c.json"
check "two classes with bce-logits: one logit (W2 is 1 x H)" "$tmp/c.json" \
    'len(j["params"]["W2"]) == 1 and len(j["params"]["b2"]) == 1'

"$LOSSLAB" train --data spiral --classes 4 --n 40 --model mlp --hidden 5 \
    --loss ce --lr 0.3 --epochs 7 --pitfall softmax-then-ce --json \
    >"$tmp/b.json"
cmp -s "$tmp/a.json" "$tmp/b.json"
ok $? "the same seed gives the same run, byte for byte"
"$LOSSLAB" train --data spiral --classes 4 --n 40 --model mlp --hidden 5 \
    --loss ce --lr 0.3 --epochs 7 --seed 2 --json >"$tmp/b.json"
check "another seed: other data and another start" "$tmp/b.json" \
    'j["data"]["x"] != json.load(open(sys.argv[1].replace("b.json", "a.json")))["data"]["x"]'

"$LOSSLAB" train --data spiral --model linear --loss ce --lr 100 \
    --weight-decay 1 --epochs 200 --json >"$tmp/d.json"
check "divergence in the JSON: stopped says diverged, the last loss is inf" \
    "$tmp/d.json" \
    'j["stopped"] == {"epoch": 154, "reason": "diverged", "message": "the loss is inf"} and j["history"][-1]["loss"] == "inf" and len(j["history"]) == 155'

"$LOSSLAB" train --data blobs --model linear --loss bce-logits --lr 0.1 \
    --epochs 20 --pitfall bce-on-logits --json >"$tmp/r.json"
check "bce-on-logits refused in the JSON with torch's message" "$tmp/r.json" \
    'j["pitfall"]["stopped"] == {"epoch": 0, "reason": "refused", "message": "all elements of input should be between 0 and 1"} and j["pitfall"]["history"] == [] and j["pitfall"]["params"] == j["params0"] and len(j["history"]) == 21'

"$LOSSLAB" train --data spiral --model mlp --loss ce --lr 0.2 --batch 32 \
    --epochs 5 --json >"$tmp/mb.json"
check "mini-batches: E+1 entries as well" "$tmp/mb.json" \
    'len(j["history"]) == 6 and j["history"][-1]["loss"] < j["history"][0]["loss"]'
"$LOSSLAB" train --data spiral --model mlp --loss ce --lr 0.2 --batch 200 \
    --epochs 5 --json >"$tmp/fb.json"
"$LOSSLAB" train --data spiral --model mlp --loss ce --lr 0.2 --batch full \
    --epochs 5 --json >"$tmp/fb2.json"
cmp -s "$tmp/fb.json" "$tmp/fb2.json"
ok $? "--batch N >= the number of points is the full batch"

# --- the CSV file ----------------------------------------------------------------------
printf 'x1,x2,x3,label\n0.5,1,2,0\n\n-1,0.25,3,2\r\n2,2,2,1\n' >"$tmp/ok.csv"
"$LOSSLAB" train --data "@$tmp/ok.csv" --model linear --loss ce --lr 0.1 \
    --epochs 2 --json >"$tmp/csv.json"
ok $? "a CSV file with a header, a blank line and CRLF trains"
check "the CSV's rows are the data (3 features, K = largest label + 1)" \
    "$tmp/csv.json" \
    'j["data"] == {"x": [[0.5, 1, 2], [-1, 0.25, 3], [2, 2, 2]], "y": [0, 2, 1]} and len(j["params"]["W1"]) == 3 and len(j["params"]["W1"][0]) == 3'
"$LOSSLAB" train --data "@$tmp/ok.csv" --classes 5 --model linear --loss ce \
    --lr 0.1 --epochs 2 --json >"$tmp/csv.json"
check "--classes with a CSV file sets K" "$tmp/csv.json" \
    'len(j["params"]["b1"]) == 5'

# --- bad input ---------------------------------------------------------------------------
base="--model linear --loss ce --lr 0.1 --epochs 5"
expect_fail "unknown data set" "--data: unknown data set 'moons'" \
    train --data moons $base
expect_fail "unknown model" "--model: unknown model 'cnn' (linear, mlp)" \
    train --data blobs --model cnn --loss ce --lr 0.1 --epochs 5
expect_fail "unknown activation" "--activation: unknown activation 'gelu'" \
    train --data blobs --model mlp --activation gelu --loss ce --lr 0.1 \
    --epochs 5
expect_fail "unknown loss" "--loss: unknown loss 'hinge'" \
    train --data blobs --model linear --loss hinge --lr 0.1 --epochs 5
expect_fail "a loss that is not trained" "--loss: bce is not trained here" \
    train --data blobs --model linear --loss bce --lr 0.1 --epochs 5
expect_fail "K < 2" "--classes: '1' is not a number of classes (2 to 1000)" \
    train --data blobs --classes 1 $base
expect_fail "xor has two classes" "xor has 2 classes, not 3" \
    train --data xor --classes 3 $base
expect_fail "N < 1" "--n: '0' is not a number of points (1 to 1000000)" \
    train --data blobs --n 0 $base
expect_fail "N negative" "--n: '-3' is not a number of points" \
    train --data blobs --n -3 $base
expect_fail "N not a number" "--n: 'many' is not a number of points" \
    train --data blobs --n many $base
expect_fail "lr 0" "--lr: 0 is not a finite number > 0" \
    train --data blobs --model linear --loss ce --lr 0 --epochs 5
expect_fail "lr negative" "--lr: -0.1 is not a finite number > 0" \
    train --data blobs --model linear --loss ce --lr -0.1 --epochs 5
expect_fail "lr inf" "--lr: inf is not a finite number > 0" \
    train --data blobs --model linear --loss ce --lr inf --epochs 5
expect_fail "lr nan" "--lr: nan is not a finite number > 0" \
    train --data blobs --model linear --loss ce --lr nan --epochs 5
expect_fail "lr not a number" "--lr: 'fast' is not a number" \
    train --data blobs --model linear --loss ce --lr fast --epochs 5
expect_fail "epochs above 10^6" \
    "--epochs: '1000001' is not a number of epochs (0 to 1000000)" \
    train --data blobs --model linear --loss ce --lr 0.1 --epochs 1000001
expect_fail "epochs negative" "--epochs: '-1' is not a number of epochs" \
    train --data blobs --model linear --loss ce --lr 0.1 --epochs -1
expect_fail "momentum negative" "--momentum: -0.9 is not a finite number >= 0" \
    train --data blobs $base --momentum -0.9
expect_fail "weight decay nan" "--weight-decay: nan is not a finite number >= 0" \
    train --data blobs $base --weight-decay nan
expect_fail "noise negative" "--noise: -1 is not a finite number >= 0" \
    train --data blobs --noise -1 $base
expect_fail "batch 0" "--batch: '0' is not a batch size" \
    train --data blobs $base --batch 0
expect_fail "seed negative" "--seed: '-1' is not a seed" \
    train --data blobs $base --seed -1
expect_fail "--hidden with the linear model" \
    "--hidden applies to --model mlp only" train --data blobs $base --hidden 4
expect_fail "--activation with the linear model" \
    "--activation applies to --model mlp only" \
    train --data blobs $base --activation relu
expect_fail "hidden 0" "--hidden: '0' is not a number of hidden units" \
    train --data blobs --model mlp --hidden 0 --loss ce --lr 0.1 --epochs 5
expect_fail "missing --data" "train needs --data" \
    train --model linear --loss ce --lr 0.1 --epochs 5
expect_fail "missing --model" "train needs --model" \
    train --data blobs --loss ce --lr 0.1 --epochs 5
expect_fail "missing --loss" "train needs --loss" \
    train --data blobs --model linear --lr 0.1 --epochs 5
expect_fail "missing --lr" "train needs --lr" \
    train --data blobs --model linear --loss ce --epochs 5
expect_fail "missing --epochs" "train needs --epochs" \
    train --data blobs --model linear --loss ce --lr 0.1
expect_fail "a pitfall of another loss" \
    "--pitfall double-sigmoid imitates bce-logits, not ce" \
    train --data blobs $base --pitfall double-sigmoid
expect_fail "unknown pitfall" "--pitfall: unknown pitfall 'sigmoid-twice'" \
    train --data blobs $base --pitfall sigmoid-twice
expect_fail "reduction none" "--reduction none: training needs a scalar loss" \
    train --data blobs $base --reduction none
expect_fail "an option the loss does not read" \
    "--gamma does not apply to ce" train --data blobs $base --gamma 2
expect_fail "--input does not apply" "--input does not apply to train" \
    train --data blobs $base --input 1,2
expect_fail "--plot with an unknown format" \
    "train: --plot: unknown format 'out.gif' (use .png, .svg, .pdf, .txt or .six)" \
    train --data blobs $base --plot out.gif
expect_fail "a weight of the wrong length" \
    "ce: weight tensor should be defined either for all 2 classes" \
    train --data blobs $base --weight 1,2,3
expect_fail "ce on multilabel data" "ce needs one class per point" \
    train --data multilabel $base
expect_fail "bce-logits on three classes" \
    "bce-logits needs two classes or multilabel data" \
    train --data spiral --model linear --loss bce-logits --lr 0.1 --epochs 5
expect_fail "naive-float32 with pos_weight" "which has no pos_weight" \
    train --data blobs --model linear --loss bce-logits --lr 0.1 --epochs 5 \
    --pos-weight 2 --pitfall naive-float32
expect_fail "a problem too big for memory" "is too big (at most 50000000 values)" \
    train --data blobs --n 1000000 --model mlp --hidden 1024 --loss ce \
    --lr 0.1 --epochs 1
expect_fail "an unexpected argument" "unexpected argument 'now'" \
    train --data blobs $base now
expect_fail "an unknown option" "unknown option '--optimizer'" \
    train --data blobs $base --optimizer adam
expect_fail "an option without its value" "option '--lr' needs a value" \
    train --data blobs --model linear --loss ce --epochs 5 --lr

printf 'x1,x2,label\n1,2,0\n3,4,5,1\n' >"$tmp/ragged.csv"
expect_fail "CSV: ragged rows, with file:line" \
    "$tmp/ragged.csv:3: 4 fields, expected 3 as on line 1" \
    train --data "@$tmp/ragged.csv" $base
printf '1,2,0\n3,four,1\n' >"$tmp/word.csv"
expect_fail "CSV: a non-numeric value, with file:line" \
    "$tmp/word.csv:2: 'four' is not a number (column 2)" \
    train --data "@$tmp/word.csv" $base
printf '1,2,0\n3,4,yes\n' >"$tmp/label.csv"
expect_fail "CSV: a non-numeric label" \
    "$tmp/label.csv:2: label 'yes' is not a class index" \
    train --data "@$tmp/label.csv" $base
printf '1,2,0\n3,4,2.5\n' >"$tmp/frac.csv"
expect_fail "CSV: a fractional label" "$tmp/frac.csv:2: label '2.5'" \
    train --data "@$tmp/frac.csv" $base
printf '1,2,0\n3,4,1\n5,6,4\n' >"$tmp/range.csv"
expect_fail "CSV: a label out of --classes' range" \
    "$tmp/range.csv:3: label 4 is out of range (0 to 2)" \
    train --data "@$tmp/range.csv" --classes 3 $base
printf '1,2,0\n3,4,-1\n' >"$tmp/neg.csv"
expect_fail "CSV: a negative label" "$tmp/neg.csv:2: label -1 is out of range" \
    train --data "@$tmp/neg.csv" $base
printf '1,2,0\n3,4,0\n' >"$tmp/one.csv"
expect_fail "CSV: one class only" "$tmp/one.csv: every label is 0" \
    train --data "@$tmp/one.csv" $base
printf 'a,b,label\n' >"$tmp/empty.csv"
expect_fail "CSV: no rows" "$tmp/empty.csv: no data rows after the header" \
    train --data "@$tmp/empty.csv" $base
printf '1,2,0\n3\0004,1\n' >"$tmp/nul.csv"
expect_fail "CSV: a NUL byte" "$tmp/nul.csv:2: a NUL byte" \
    train --data "@$tmp/nul.csv" $base
expect_fail "CSV: a missing file" "cannot read '$tmp/none.csv'" \
    train --data "@$tmp/none.csv" $base
expect_fail "CSV: --n does not apply" "--n does not apply to a CSV file" \
    train --data "@$tmp/ok.csv" --n 5 $base
expect_fail "CSV: --noise does not apply" "--noise does not apply to a CSV" \
    train --data "@$tmp/ok.csv" --noise 1 $base
awk 'BEGIN { for (i = 0; i <= 1000000; i++) print i % 3 "," i % 2 }' \
    >"$tmp/big.csv"
expect_fail "CSV: more than 10^6 rows" \
    "$tmp/big.csv:1000001: more than 1000000 rows" \
    train --data "@$tmp/big.csv" $base

done_testing
