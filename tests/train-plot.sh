#!/bin/sh
# train-plot.sh -- the training lab's plots: `losslab plot training KIND`
# (loss, accuracy, boundary -- multilabel data too: each label's p = 0.5
# line --, calibration) in every format and `losslab train --plot FILE`.
# What gnuplot writes is checked by plot.c's
# plot_check_* before a file is kept (a fake gnuplot writing garbage is
# refused); the numbers in the script's datablocks are those `losslab train
# --json` reports (a gnuplot wrapper keeps the script); user text cannot
# reach gnuplot's command language; bad input exits 2 with one line.
. "${top_srcdir:-.}/tests/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-trainplot.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
real_path=$PATH
# a loaded machine (make -j check) is slow, not broken
LOSSLAB_PLOT_TIMEOUT_MS=60000
export LOSSLAB_PLOT_TIMEOUT_MS

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - # SKIP $1"
}

spiral="--data spiral --model mlp --loss ce --lr 0.5 --momentum 0.9 --epochs 60"
stc="$spiral --pitfall softmax-then-ce"
ds="--data blobs --noise 2.5 --model linear --loss bce-logits --lr 0.5 --epochs 80 --pitfall double-sigmoid"

# fails "name" "message fragment" ARGS...: exit 2, one stderr line starting
# "losslab: " with the fragment, nothing on stdout, no file in $tmp/out.d.
fails() {
	name=$1 frag=$2
	shift 2
	rm -rf "$tmp/out.d"
	mkdir "$tmp/out.d"
	"$LOSSLAB" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	st=$?
	if [ $st -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	    [ ! -s "$tmp/out" ] && grep -q '^losslab: ' "$tmp/err" &&
	    grep -qF -- "$frag" "$tmp/err" && [ -z "$(ls -A "$tmp/out.d")" ]; then
		ok 0 "$name"
	else
		ok 1 "$name"
		diag "exit $st, stderr: $(cat "$tmp/err")"
	fi
}

# --- help and bad input (no gnuplot needed) ---------------------------------
"$LOSSLAB" plot training --help >"$tmp/help" 2>&1 &&
    grep -q '^Usage: losslab plot training \[KIND\]' "$tmp/help" &&
    for k in loss accuracy boundary calibration; do
	grep -q "^  $k " "$tmp/help" || exit 1
    done && grep -q -- '--log' "$tmp/help"
ok $? "plot training --help: the usage, the four kinds, --log"
"$LOSSLAB" train --help >"$tmp/help" &&
    grep -q -- '--plot FILE' "$tmp/help" && grep -q "training --help'" "$tmp/help"
ok $? "train --help: --plot FILE, and where the other plots are"

fails "calibration on a 3-class task" \
    "losslab: plot training: calibration needs a binary task (2 classes, one label per point); these data have 3 classes" \
    plot training calibration $spiral --out "$tmp/out.d/c.png"
fails "calibration on multilabel data" \
    "calibration needs a binary task (2 classes, one label per point); these data have 3 labels per point" \
    plot training calibration --data multilabel --model linear \
    --loss bce-logits --lr 0.5 --epochs 5 --out "$tmp/out.d/c.png"
fails "calibration with multi-margin" \
    "calibration: multi-margin gives scores, not probabilities" \
    plot training calibration --data xor --model linear --loss multi-margin \
    --lr 0.5 --epochs 5 --out "$tmp/out.d/c.png"
printf 'a,b,c,label\n0,1,2,0\n1,2,3,1\n2,3,1,0\n' >"$tmp/three.csv"
fails "boundary on 3-D points" \
    "losslab: plot training: boundary needs 2-D points (the data have 3 features)" \
    plot training boundary --data "@$tmp/three.csv" --model linear --loss ce \
    --lr 0.5 --epochs 5 --out "$tmp/out.d/b.png"
fails "boundary of 7 labels" \
    "plot training: boundary draws at most 6 labels (these data have 7)" \
    plot training boundary --data multilabel --classes 7 --model linear \
    --loss bce-logits --lr 0.5 --epochs 5 --out "$tmp/out.d/b.png"
fails "boundary of 65 classes" \
    "plot training: boundary draws at most 64 classes (these data have 65)" \
    plot training boundary --data blobs --classes 65 --model linear --loss ce \
    --lr 0.5 --epochs 5 --out "$tmp/out.d/b.png"
fails "--log on the accuracy plot" "plot training: --log is for the loss plot" \
    plot training accuracy $spiral --log --out "$tmp/out.d/a.png"
fails "an unknown kind" \
    "plot training: unknown plot 'curves' (loss, accuracy, boundary, calibration)" \
    plot training curves $spiral
fails "two kinds" "plot training: one plot only (got 'accuracy' after 'loss')" \
    plot training loss accuracy $spiral
fails "--json is train's" "plot training: --json is an option of 'losslab train'" \
    plot training $spiral --json
fails "a train option's error, as train says it" \
    "losslab: train: --lr: 0 is not a finite number > 0" \
    plot training $spiral --lr 0
fails "a missing train option" "plot training needs --epochs" \
    plot training --data xor --model linear --loss ce --lr 1
fails "an unknown option" "plot training: unknown option '--bogus'" \
    plot training $spiral --bogus
fails "an unsafe --out" "plot training: --out:" \
    plot training $spiral --out '|touch x.png'
fails "--out without a known extension" "plot training: --out: unknown format" \
    plot training $spiral --out "$tmp/out.d/x.gif"
fails "--size out of range" "size 50x50 out of range (100 to 10000)" \
    plot training $spiral --size 50x50 --out "$tmp/out.d/x.png"
fails "train --plot with an unknown extension" \
    "train: --plot: unknown format" train $spiral --plot "$tmp/out.d/x.gif"
fails "train --plot with an unsafe name" "train: --plot:" \
    train $spiral --plot "$tmp/out.d/a'b.png"
PATH=$tmp/nothing-here "$LOSSLAB" plot training $spiral --out "$tmp/x.png" \
    >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: gnuplot not found (install gnuplot-nox)" ] &&
    [ ! -e "$tmp/x.png" ]
ok $? "no gnuplot: the exact message, exit 2, no file"

if ! command -v gnuplot >/dev/null 2>&1; then
	skip "rendering needs gnuplot"
	done_testing
	exit 0
fi
gnuplot_bin=$(command -v gnuplot)

# --- every kind in every format ----------------------------------------------
# The file exists only after plot_check_png/_svg/_pdf/_sixel/_text passed;
# the magic numbers are checked here again.
magic_ok() {	# magic_ok FILE EXT
	case $2 in
	png) [ "$(head -c 8 "$1" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ] &&
	    [ "$(tail -c 8 "$1" | head -c 4)" = IEND ] ;;
	svg) grep -q '<svg' "$1" && tail -n 2 "$1" | grep -q '</svg>' ;;
	pdf) [ "$(head -c 5 "$1")" = '%PDF-' ] && tail -c 8 "$1" | grep -q '%%EOF' ;;
	six) [ "$(head -c 2 "$1" | od -An -c | tr -d ' ')" = '033P' ] ;;
	txt) grep -q 'epoch\|x1\|predicted' "$1" ;;
	esac
}
for kind in loss accuracy boundary calibration; do
	case $kind in
	calibration) args=$ds ;;
	*) args=$stc ;;
	esac
	for ext in png svg pdf six txt; do
		rm -f "$tmp/p.$ext"
		# shellcheck disable=SC2086
		"$LOSSLAB" plot training $kind $args --out "$tmp/p.$ext" \
		    >"$tmp/out" 2>"$tmp/err"
		st=$?
		[ $st -eq 0 ] && [ ! -s "$tmp/err" ] && [ ! -s "$tmp/out" ] &&
		    magic_ok "$tmp/p.$ext" $ext
		r=$?
		[ $r -eq 0 ] || diag "exit $st: $(cat "$tmp/err")"
		ok $r "plot training $kind --out p.$ext"
	done
done
# the default kind, as text on standard output, sized by --size
"$LOSSLAB" plot training $stc --size 100x30 >"$tmp/text" 2>"$tmp/err"
[ $? -eq 0 ] && [ "$(wc -l <"$tmp/text")" -le 30 ] &&
    grep -q 'Training loss: mlp 2-16-3 tanh on spiral (200 points), ce' "$tmp/text" &&
    grep -q 'softmax-then-ce: the correct loss (ce) of its logits' "$tmp/text" &&
    grep -q 'floor of the softmax-then-ce objective = 0.5514' "$tmp/text" &&
    ! grep -q "$(printf '\033')" "$tmp/text"
ok $? "plot training (loss) as text: title, the key, the floor log(1+2/e)"
"$LOSSLAB" plot training boundary $stc --size 100x30 >"$tmp/text" 2>&1 &&
    grep -q 'ce: epoch 60, accuracy' "$tmp/text" &&
    grep -q 'softmax-then-ce: epoch 60, accuracy' "$tmp/text" &&
    grep -q 'class 2 (region -)' "$tmp/text"
ok $? "boundary as text: both runs side by side, a character per class"
"$LOSSLAB" plot training $stc --format png >"$tmp/stdout.png" 2>"$tmp/err" &&
    magic_ok "$tmp/stdout.png" png
ok $? "--format png without --out: the PNG on standard output (a pipe)"
"$LOSSLAB" plot training $stc --format svg --out "$tmp/fmt.png" 2>"$tmp/err" &&
    magic_ok "$tmp/fmt.png" svg
ok $? "--format svg wins over the extension"

# --- gnuplot's output is checked before it is kept ----------------------------
mkdir "$tmp/fake"
cat >"$tmp/fake/gnuplot" <<'EOF'
#!/bin/sh
cat >/dev/null
printf 'garbage\n'
EOF
chmod +x "$tmp/fake/gnuplot"
for ext in png svg; do
	rm -rf "$tmp/out.d"
	mkdir "$tmp/out.d"
	PATH=$tmp/fake:$real_path "$LOSSLAB" plot training $stc \
	    --out "$tmp/out.d/p.$ext" >"$tmp/out" 2>"$tmp/err"
	st=$?
	up=$(echo $ext | tr a-z A-Z)
	[ $st -eq 2 ] && grep -q "^losslab: plot training: gnuplot wrote an invalid $up" "$tmp/err" &&
	    [ -z "$(ls -A "$tmp/out.d")" ]
	ok $? "a gnuplot writing garbage as $up: refused by plot_check_$ext, no file"
done
rm -rf "$tmp/out.d"
mkdir "$tmp/out.d"
PATH=$tmp/fake:$real_path "$LOSSLAB" train $stc --plot "$tmp/out.d/p.png" \
    >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '^losslab: train: --plot: gnuplot wrote an invalid PNG' "$tmp/err" &&
    [ ! -s "$tmp/out" ] && [ -z "$(ls -A "$tmp/out.d")" ]
ok $? "train --plot: a refused picture is exit 2, no report, no file"

# --- --out onto a symbolic link: refused as `losslab plot --out` refuses it ---
# plot.c's one writer: the link is refused before gnuplot draws and again
# before the rename (a link made while gnuplot draws); the link and its
# target are kept, no temporary file is left.
mkdir "$tmp/link"
echo precious >"$tmp/link/target"
ln -s target "$tmp/link/l.png"
linked() {	# linked NAME: the link, its target, nothing else in the folder
	[ -L "$tmp/link/$1" ] && [ "$(cat "$tmp/link/target")" = precious ] &&
	    [ "$(ls -A "$tmp/link" | wc -l)" -eq 2 ]
}
"$LOSSLAB" plot training $stc --out "$tmp/link/l.png" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
    grep -q '^losslab: plot training: .*l\.png is a symbolic link: not written through it' "$tmp/err" &&
    linked l.png
ok $? "plot training --out LINK: refused and said, the link and its target kept"
"$LOSSLAB" plot focal --out "$tmp/link/l.png" 2>"$tmp/err2" >/dev/null
[ -n "$(cat "$tmp/err")" ] &&
    [ "$(sed 's/^losslab: plot training: //' "$tmp/err")" = \
    "$(sed 's/^losslab: plot: //' "$tmp/err2")" ]
ok $? "... in the words of plot --out LINK"
"$LOSSLAB" train $stc --plot "$tmp/link/l.png" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '^losslab: train: --plot: .*is a symbolic link' "$tmp/err" &&
    [ ! -s "$tmp/out" ] && linked l.png
ok $? "train --plot LINK: refused too"
# a gnuplot that makes the link while it draws, then draws
rm "$tmp/link/l.png"
mkdir "$tmp/linker"
cat >"$tmp/linker/gnuplot" <<EOF
#!/bin/sh
ln -s target "$tmp/link/r.png"
exec "$gnuplot_bin" "\$@"
EOF
chmod +x "$tmp/linker/gnuplot"
PATH=$tmp/linker:$real_path "$LOSSLAB" plot training $stc \
    --out "$tmp/link/r.png" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    grep -q 'r\.png is a symbolic link: not written through it' "$tmp/err" &&
    linked r.png
ok $? "a link made while gnuplot draws: refused before the rename, no temporary left"

# --- the datablocks hold the numbers of train --json ---------------------------
# A gnuplot that keeps a copy of its script, then runs the real one.
mkdir "$tmp/wrap"
cat >"$tmp/wrap/gnuplot" <<EOF
#!/bin/sh
tee "$tmp/script.gp" | "$gnuplot_bin" "\$@"
EOF
chmod +x "$tmp/wrap/gnuplot"
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
# block NAME: the lines of datablock NAME of $tmp/script.gp
block() {
	awk -v n="$1 << EOD" '$0 == n { on = 1; next } $0 == "EOD" { on = 0 }
	    on' "$tmp/script.gp"
}
# compare "name" PYTHON-EXPR: j is the JSON, rows the block's rows (lists
# of strings), each number as the script wrote it.
compare() {
	if [ $have_python -eq 0 ]; then
		skip "python3 missing: $1"
		return
	fi
	python3 -c '
import json, math, sys
j = json.load(open(sys.argv[1]))
rows = [l.split() for l in open(sys.argv[2]) if l.strip()]
def fmt(v):
    # the shortest digits that read back, as repr(v) without ".0" on
    # integral values (src/dtoa.h)
    r = repr(float(v))
    return r[:-2] if r.endswith(".0") else r
def same(s, v):
    # the script writes fmt(v); JSON the same number, or a string for inf
    # and nan
    if isinstance(v, str):
        return s == "NaN"
    return s == fmt(v)
def sig(z):
    return 1 / (1 + math.exp(-z))
sys.exit(0 if eval(sys.argv[3]) else 1)' "$tmp/json" "$tmp/block" "$2"
	ok $? "$1"
}
"$LOSSLAB" train $stc --json >"$tmp/json"
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training loss $stc \
    --out "$tmp/l.svg" && block '$h' >"$tmp/block"
ok $? "the loss plot through the wrapper"
compare "loss: epoch, ce's loss, the pitfall's correct loss and its own, as train --json" \
    'len(rows) == 61 and all(r[0] == str(e["epoch"]) and same(r[1], e["loss"]) and same(r[2], p["correct_loss"]) and same(r[3], p["loss"]) for r, e, p in zip(rows, j["history"], j["pitfall"]["history"]))'
grep -q '^set yrange \[0:\*\]$' "$tmp/script.gp" && ! grep -q logscale "$tmp/script.gp"
ok $? "loss: a linear axis from 0 by default"
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training loss $stc --log \
    --out "$tmp/l.svg" && grep -q '^set logscale y$' "$tmp/script.gp"
ok $? "--log: a logarithmic loss axis"
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training accuracy $stc \
    --out "$tmp/a.svg" && block '$h' >"$tmp/block"
compare "accuracy: 100 times the accuracy of each run, as train --json" \
    'len(rows) == 61 and all(float(r[1]) == 100 * e["accuracy"] and float(r[2]) == 100 * p["accuracy"] for r, e, p in zip(rows, j["history"], j["pitfall"]["history"]))'
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training boundary $stc \
    --out "$tmp/b.png" && block '$p' >"$tmp/block"
compare "boundary: the points of each class, as train --json's data" \
    'sorted((r[0], r[1]) for r in rows if r[0] != "NaN") == sorted((fmt(x[0]), fmt(x[1])) for x in j["data"]["x"]) and len([r for r in rows if r[0] == "NaN"]) == 3'
# multilabel: each label's p = 0.5 line.  A linear model's is the line
# W_k x + b_k = 0 of train --json's final parameters: every point of the
# script's boundary k lies on it (within a thousandth of the box, the
# interpolation between grid points), and it crosses the box; the points
# are grouped by their combination of labels (index g: labels k with bit k)
mlin="--data multilabel --model linear --loss bce-logits --lr 0.5 --epochs 100"
"$LOSSLAB" train $mlin --json >"$tmp/json"
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training boundary $mlin \
    --out "$tmp/ml.png" && block '$c' >"$tmp/block" &&
    block '$p' >"$tmp/block2"
ok $? "multilabel boundary through the wrapper"
if [ $have_python -eq 1 ]; then
	python3 -c '
import json, math, sys
def fmt(v):
    r = repr(float(v))	# the script writes dtoa_fmt(v): repr without ".0"
    return r[:-2] if r.endswith(".0") else r
j = json.load(open(sys.argv[1]))
W, b = j["params"]["W1"], j["params"]["b1"]
idx = open(sys.argv[2]).read().split("\n\n\n")
xs = [x[0] for x in j["data"]["x"]]
ys = [x[1] for x in j["data"]["x"]]
size = max(max(xs) - min(xs), max(ys) - min(ys))
ok = len(idx) == 3
for k, blk in enumerate(idx):
    pts = [tuple(map(float, l.split())) for l in blk.split("\n") if l.strip()]
    pts = [p for p in pts if not math.isnan(p[0])]
    n = math.hypot(W[k][0], W[k][1])
    ok = ok and len(pts) >= 40 and all(abs(W[k][0] * x + W[k][1] * y + b[k]) / n < 1e-3 * size for x, y in pts)
groups = open(sys.argv[3]).read().split("\n\n\n")
ok = ok and len(groups) == 8
seen = 0
for g, blk in enumerate(groups):
    for l in blk.split("\n"):
        if not l.strip() or l.startswith("NaN"):
            continue
        x, y = map(float, l.split())
        i = [i for i, p in enumerate(j["data"]["x"]) if fmt(p[0]) == l.split()[0] and fmt(p[1]) == l.split()[1]]
        ok = ok and len(i) >= 1 and any(sum(int(v) << k for k, v in enumerate(j["data"]["y"][m])) == g for m in i)
        seen += 1
sys.exit(0 if ok and seen == 200 else 1)' "$tmp/json" "$tmp/block" "$tmp/block2"
	ok $? "multilabel: boundary k on W_k x + b_k = 0 of train --json, the points by their labels"
else
	skip "python3 missing: the multilabel boundary"
fi
# every format, the pitfall beside it
mlp="--data multilabel --model mlp --hidden 8 --loss bce-logits --lr 0.5 --momentum 0.9 --epochs 60 --pitfall double-sigmoid"
for ext in png svg pdf six txt; do
	rm -f "$tmp/m.$ext"
	# shellcheck disable=SC2086
	"$LOSSLAB" plot training boundary $mlp --out "$tmp/m.$ext" \
	    >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq 0 ] && [ ! -s "$tmp/err" ] && [ ! -s "$tmp/out" ] &&
	    magic_ok "$tmp/m.$ext" $ext
	r=$?
	[ $r -eq 0 ] || diag "exit $st: $(cat "$tmp/err")"
	ok $r "plot training boundary on multilabel data --out m.$ext"
done
"$LOSSLAB" plot training boundary $mlp --size 120x34 >"$tmp/text" 2>&1 &&
    grep -q 'Decision boundaries: mlp 2-8-3 tanh on multilabel' "$tmp/text" &&
    grep -q 'bce-logits: epoch 60, label accuracy' "$tmp/text" &&
    grep -q 'double-sigmoid: epoch 60, label accuracy' "$tmp/text" &&
    grep -q 'label 2: p = 0.5' "$tmp/text" &&
    grep -q '3 *labels 0+1 ' "$tmp/text" && grep -q '0 *no label' "$tmp/text"
ok $? "multilabel boundary as text: both runs, a line a label, a digit a combination"
"$LOSSLAB" --lang zh plot training boundary $mlp --out "$tmp/mz.svg" &&
    grep -q '决策边界' "$tmp/mz.svg" && grep -q '标签 0+1' "$tmp/mz.svg"
ok $? "multilabel boundary in Chinese"

# calibration of a linear model: the bins recomputed from the JSON's
# final parameters (p = sigmoid(W x + b))
"$LOSSLAB" train $ds --json >"$tmp/json"
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training calibration $ds \
    --out "$tmp/c.png" && block '$c' >"$tmp/block"
compare "calibration: counts, mean probability and frequency per bin from train --json's parameters" '
all(
 (lambda P, W, b: (lambda ps: all(
   int(r[3 + 3 * k]) == sum(1 for q, y in ps if min(int(q * 10), 9) == i) and
   (int(r[3 + 3 * k]) == 0 or abs(float(r[2 + 3 * k]) - sum(y for q, y in ps if min(int(q * 10), 9) == i) / int(r[3 + 3 * k])) < 1e-15)
   for i, r in enumerate(rows)))(
   [(sig(W[0][0] * x[0] + W[0][1] * x[1] + b[0]), y) for x, y in zip(j["data"]["x"], j["data"]["y"])]))(
  k, *( (j["params"]["W1"], j["params"]["b1"]) if k == 0 else (j["pitfall"]["params"]["W1"], j["pitfall"]["params"]["b1"]) ))
 for k in (0, 1)) and len(rows) == 10 and sum(int(r[3]) for r in rows) == 200'

# long histories and large data sets are thinned, the last epoch kept
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training loss --data blobs --n 8 \
    --model linear --loss ce --lr 0.1 --epochs 30000 --out "$tmp/long.svg" &&
    block '$h' >"$tmp/block" && [ "$(wc -l <"$tmp/block")" -eq 15001 ] &&
    [ "$(sed -n 2p "$tmp/block" | cut -d' ' -f1)" = 2 ] &&
    [ "$(tail -n 1 "$tmp/block" | cut -d' ' -f1)" = 30000 ]
ok $? "30001 entries: every 2nd epoch drawn, and the last"
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training boundary --data blobs \
    --n 12000 --model linear --loss ce --lr 0.1 --epochs 2 --out "$tmp/big.png" &&
    block '$p' >"$tmp/block" && [ "$(grep -c "^[-0-9]" "$tmp/block")" -eq 4000 ] &&
    grep -q "one point in 3 drawn" "$tmp/script.gp"
ok $? "12000 points: every 3rd drawn, and the plot says so"
"$LOSSLAB" --lang zh plot training $stc --out "$tmp/zh.svg" &&
    grep -q '训练损失' "$tmp/zh.svg" && grep -q '轮次' "$tmp/zh.svg"
ok $? "--lang zh: the labels in Chinese (SVG)"

# --- train --plot FILE ------------------------------------------------------------
"$LOSSLAB" train $stc >"$tmp/plain" 2>&1
"$LOSSLAB" train $stc --plot "$tmp/t.png" >"$tmp/with" 2>"$tmp/err"
[ $? -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/plain" "$tmp/with" &&
    magic_ok "$tmp/t.png" png
ok $? "train --plot t.png: the same report, and the loss plot as PNG"
PATH=$tmp/wrap:$real_path "$LOSSLAB" train $stc --json --plot "$tmp/t.svg" \
    >"$tmp/json" && magic_ok "$tmp/t.svg" svg && block '$h' >"$tmp/block"
compare "train --json --plot t.svg: the JSON, and the loss plot of its numbers" \
    'len(rows) == 61 and all(same(r[1], e["loss"]) for r, e in zip(rows, j["history"]))'

# --- text never reaches gnuplot's command language -----------------------------
cd "$tmp" || exit 1
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training $stc --out "$tmp/t2.svg" \
    --title "it's \"x\"'; system('touch canary'); print '\`touch canary\`|\$(id)" \
    2>"$tmp/err"
[ $? -eq 0 ] && [ ! -e "$tmp/canary" ] &&
    grep -q "^set title 'its x; system(touch canary); print touch canary(id)'$" "$tmp/script.gp"
ok $? "--title: quotes, backquotes, | and \$ dropped, one single-quoted string"
cd - >/dev/null || exit 1
# a diverging run: its curve stops, its key says where
PATH=$tmp/wrap:$real_path "$LOSSLAB" plot training --data spiral --model linear \
    --loss ce --lr 100 --weight-decay 1 --epochs 200 --out "$tmp/d.png" 2>"$tmp/err" &&
    grep -q "title 'ce (the right loss) (diverged in epoch 154)'" "$tmp/script.gp"
ok $? "a diverged run: drawn up to its end, the key says where it diverged"

done_testing
