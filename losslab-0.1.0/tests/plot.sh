#!/bin/sh
# plot.sh -- `losslab plot`: every kind renders (PNG, SVG, PDF, text), no
# text or file name given to it can make gnuplot run a command, a missing,
# hanging or dying gnuplot ends in one "losslab: ..." line and exit 2.
. "$top_srcdir/tests/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-plot.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
canary=$tmp/canary
real_path=$PATH

have_gnuplot=0
command -v gnuplot >/dev/null 2>&1 && have_gnuplot=1
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

skip() {	# skip "name"
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - # SKIP $1"
}

# --- the list and the help ---------------------------------------------------
kinds=$("$LOSSLAB" plot --list | awk '{ print $1 }')
n=$(echo "$kinds" | wc -l)
[ "$n" -eq 10 ] && echo "$kinds" | grep -qx naive-float32
ok $? "plot --list: the 10 plot kinds"
"$LOSSLAB" plot --help | grep -q -- '--out FILE'
ok $? "plot --help describes --out"
"$LOSSLAB" plot nosuch >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: unknown plot 'nosuch'" "$tmp/err"
ok $? "unknown plot id: exit 2 with a message"
"$LOSSLAB" plot focal --xmin abc >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: --xmin: 'abc' is not a finite number" "$tmp/err"
ok $? "--xmin abc: exit 2 with a message"
"$LOSSLAB" plot focal --bogus >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: unknown option" "$tmp/err"
ok $? "unknown option: exit 2"
"$LOSSLAB" plot compare --losses bce-logits,nope >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "unknown loss 'nope'" "$tmp/err"
ok $? "--losses with an unknown loss: exit 2"
"$LOSSLAB" plot bce-curve --gamma 2 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: --gamma and --alpha are for 'focal' and 'compare' only" "$tmp/err"
ok $? "--gamma on bce-curve: exit 2"
"$LOSSLAB" plot bce-curve --xmin -1 --size 80x24 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: bce-curve: p must lie in \[0, 1\]" "$tmp/err"
ok $? "bce-curve with p < 0: exit 2"

# --- cell mode: bad values ---------------------------------------------------
"$LOSSLAB" plot --help | grep -q -- '--cell R,C' &&
    "$LOSSLAB" plot --help | grep -q 'Cell mode'
ok $? "plot --help describes cell mode"
ce_in='2,1,0.1;0.5,2,0.3'
# fails ARGS... -- "message": exit 2, one line, "losslab: plot: message..."
fails() {
	want=$1
	shift
	"$LOSSLAB" plot "$@" --size 80x24 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] &&
	    grep -qF -- "losslab: plot: $want" "$tmp/err" && [ ! -s "$tmp/out" ]
	r=$?
	[ $r -eq 0 ] || diag "exit $rc: $(cat "$tmp/err")"
	return $r
}
fails "cell mode (--input) needs --target" ce-curve --input "$ce_in"
ok $? "cell mode without --target: exit 2"
fails "--cell 2,0: outside the input of shape [2, 3]" ce-curve \
    --input "$ce_in" --target 0,2 --cell 2,0
ok $? "--cell outside the input: exit 2"
fails "--cell 6: outside the input of shape [2, 3]" ce-curve \
    --input "$ce_in" --target 0,2 --cell 6
ok $? "--cell I beyond the last element: exit 2"
fails "--cell: expected I or R,C (integers >= 0), got 'x'" ce-curve \
    --input "$ce_in" --target 0,2 --cell x
ok $? "--cell x: exit 2"
fails "--cell: expected I or R,C (integers >= 0), got '-1'" ce-curve \
    --input "$ce_in" --target 0,2 --cell -1
ok $? "--cell -1: exit 2"
fails "--cell: at most 8 cells" ce-curve --input "$ce_in" --target 0,2 \
    --cell 0 --cell 1 --cell 2 --cell 3 --cell 4 --cell 5 --cell 0 --cell 1 \
    --cell 2
ok $? "nine --cell: exit 2"
fails "--loss: unknown loss 'nope'" ce-curve --input "$ce_in" --target 0,2 \
    --loss nope
ok $? "--loss nope: exit 2"
fails "compare with --input needs --loss" compare --input 1,2 --target 1,0
ok $? "compare in cell mode needs --loss"
fails "--mark does not apply with --input" ce-curve --input "$ce_in" \
    --target 0,2 --mark 1
ok $? "--mark in cell mode: exit 2"
fails "--classes does not apply with --input" ce-curve --input "$ce_in" \
    --target 0,2 --classes 4
ok $? "--classes in cell mode: exit 2"
fails "--margin does not apply to ce (nn.CrossEntropyLoss)" ce-curve \
    --input "$ce_in" --target 0,2 --margin 2
ok $? "an option the loss does not read: exit 2"
fails "--target: 'a' is not a number (row 1, value 1)" ce-curve \
    --input "$ce_in" --target a
ok $? "a target that does not parse: exit 2"
fails "--pitfall: unknown pitfall 'bogus' (none, double-sigmoid" ce-curve \
    --input "$ce_in" --target 0,2 --pitfall bogus
ok $? "--pitfall bogus: exit 2"
fails "--input given twice" ce-curve --input "$ce_in" --input 1 --target 0
ok $? "--input twice: exit 2"
fails "--p: only p == 1 and p == 2 supported (got '3')" compare \
    --loss multi-margin --input "$ce_in" --target 0,2 --p 3
ok $? "--p 3: exit 2"
fails "--reduction: avg is not a valid value for reduction" ce-curve \
    --input "$ce_in" --target 0,2 --reduction avg
ok $? "--reduction avg: exit 2"
fails "--gamma: 'x' is not a number" focal --input 1,2 --target 1,0 \
    --gamma x
ok $? "--gamma x in cell mode: exit 2"
fails "--input: no values to plot" ce-curve --input '' --target ''
ok $? "an empty input: exit 2"
fails "unknown option '--cell'" ce-curve --cell 0
ok $? "--cell without --input: an unknown option, as before"

# --- gnuplot missing -----------------------------------------------------------
for args in "logits-curve" "logits-curve --out $tmp/x.png"; do
	# shellcheck disable=SC2086
	PATH=$tmp/nothing-here "$LOSSLAB" plot $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: gnuplot not found (install gnuplot-nox)" ] &&
	    [ ! -s "$tmp/out" ] && [ ! -e "$tmp/x.png" ]
	ok $? "no gnuplot in PATH ($args): the exact message, exit 2"
done

if [ $have_gnuplot = 0 ]; then
	diag "gnuplot not installed: rendering tests skipped"
	skip "rendering needs gnuplot"
	done_testing
	exit 0
fi

# --- every kind in every format --------------------------------------------
# A label each kind's text plot must show (from the issue and the reference
# document: the softmax-then-ce floor log(1+2/e) = 0.5514 for C=3, the float32
# saturation of sigma at z = 16.6355).
label_of() {
	case $1 in
	bce-curve) echo "BCE, y=0" ;;
	logits-curve) echo "gradient σ(z) - y" ;;
	ce-curve) echo "CE loss" ;;
	double-sigmoid) echo "pitfall BCEWithLogits(σ(z))" ;;
	softmax-then-ce) echo "floor log(1+(C-1)/e) = 0.5514" ;;
	naive-float32) echo "16.6355" ;;
	focal) echo "γ = 5" ;;
	label-smoothing) echo "ε = 0.3" ;;
	pos-weight) echo "pos_weight = 10" ;;
	compare) echo "soft-margin" ;;
	esac
}

for kind in $kinds; do
	"$LOSSLAB" plot "$kind" --out "$tmp/$kind.png" 2>"$tmp/err" &&
	    [ "$(head -c 4 "$tmp/$kind.png" | od -An -tx1 | tr -d ' \n')" = 89504e47 ]
	ok $? "$kind: PNG with the PNG signature"
	[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"

	"$LOSSLAB" plot "$kind" --out "$tmp/$kind.svg" 2>"$tmp/err" &&
	    grep -q '<svg' "$tmp/$kind.svg"
	r=$?
	if [ $r -eq 0 ] && [ $have_python = 1 ]; then
		python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' \
		    "$tmp/$kind.svg"
		r=$?
	fi
	ok $r "$kind: SVG, well-formed XML"

	"$LOSSLAB" plot "$kind" --out "$tmp/$kind.pdf" 2>"$tmp/err" &&
	    [ "$(head -c 4 "$tmp/$kind.pdf")" = "%PDF" ]
	ok $? "$kind: PDF with the %PDF signature"

	want=$(label_of "$kind")
	"$LOSSLAB" plot "$kind" --size 110x30 >"$tmp/$kind.txt" 2>"$tmp/err" &&
	    grep -qF -- "$want" "$tmp/$kind.txt" &&
	    ! grep -q "$(printf '\033')" "$tmp/$kind.txt" &&
	    ! grep -q "$(printf '\f')" "$tmp/$kind.txt" &&
	    [ "$(wc -l < "$tmp/$kind.txt")" -le 30 ]
	ok $? "$kind: text plot shows '$want', no escapes, fits 30 lines"
done

# Text size from COLUMNS/LINES; Chinese labels; a marked point.
COLUMNS=60 LINES=20 "$LOSSLAB" plot bce-curve --mark 0.3 >"$tmp/t.txt" &&
    [ "$(wc -l < "$tmp/t.txt")" -le 19 ] &&
    [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$tmp/t.txt")" -le 60 ] &&
    grep -q "O  *p = 0.3" "$tmp/t.txt"
ok $? "text plot sized by COLUMNS/LINES, the mark in the key"
"$LOSSLAB" plot ce-curve --lang zh --size 90x24 >"$tmp/zh.txt" &&
    grep -q "交叉熵" "$tmp/zh.txt"
ok $? "--lang zh: Chinese labels in the text plot"
"$LOSSLAB" plot ce-curve --lang zh --out "$tmp/zh.svg" && grep -q "交叉熵" "$tmp/zh.svg"
ok $? "--lang zh: Chinese labels in SVG"
"$LOSSLAB" plot compare --losses bce-logits,focal,soft-margin,multi-margin,ce \
    --size 120x30 >"$tmp/c.txt" && grep -q "multi-margin" "$tmp/c.txt" &&
    grep -q "ce" "$tmp/c.txt"
ok $? "compare --losses with five losses"
"$LOSSLAB" plot focal --size 300x200 --out "$tmp/small.png" 2>/dev/null &&
    python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); sys.exit(struct.unpack(">II", d[16:24]) != (300, 200))' "$tmp/small.png"
ok $? "--size 300x200 gives a 300x200 PNG"

# --- sixel: a picture for the terminal ---------------------------------------
have_sixel2png=0
command -v sixel2png >/dev/null 2>&1 && have_sixel2png=1
# One complete sixel image: ESC P ... q, data, ESC \ (and a decoder, where
# libsixel-bin is installed, reads it as a picture of the asked size).
is_sixel() {	# is_sixel FILE W H
	[ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = 1b50 ] &&
	    [ "$(tail -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = 1b5c ] || return 1
	[ $have_sixel2png = 0 ] && return 0
	sixel2png -i "$1" -o "$1.png" 2>/dev/null || return 1
	python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); sys.exit(d[:4] != b"\x89PNG" or struct.unpack(">II", d[16:24]) != (int(sys.argv[2]), int(sys.argv[3])))' "$1.png" "$2" "$3"
}
for kind in $kinds; do
	"$LOSSLAB" plot "$kind" --format sixel --size 480x300 >"$tmp/$kind.six" 2>"$tmp/err" &&
	    [ ! -s "$tmp/err" ] && is_sixel "$tmp/$kind.six" 480 300
	ok $? "$kind: --format sixel writes one 480x300 sixel picture to stdout"
done
[ $have_sixel2png = 0 ] && diag "sixel2png (libsixel-bin) not installed: sixel pictures not decoded"
"$LOSSLAB" plot focal --out "$tmp/f.six" && is_sixel "$tmp/f.six" 960 540
ok $? "--out FILE.six: a 960x540 sixel picture"
"$LOSSLAB" plot ce-curve --lang zh --out "$tmp/f.sixel" --size 400x250 &&
    is_sixel "$tmp/f.sixel" 400 250
ok $? "--out FILE.sixel, --lang zh: a sixel picture"
"$LOSSLAB" plot focal --out "$tmp/f.dat" --format sixel --size 200x150 &&
    is_sixel "$tmp/f.dat" 200 150
ok $? "--format gives --out's format whatever its extension"
"$LOSSLAB" plot focal --format png --size 300x200 >"$tmp/o.png" &&
    python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); sys.exit(d[:4] != b"\x89PNG" or struct.unpack(">II", d[16:24]) != (300, 200))' "$tmp/o.png"
ok $? "--format png without --out: the PNG on stdout (a file)"
"$LOSSLAB" plot focal --format text --size 60x20 >"$tmp/o.txt" &&
    grep -q "γ = 5" "$tmp/o.txt" && [ "$(wc -l < "$tmp/o.txt")" -le 20 ]
ok $? "--format text: the text plot"
"$LOSSLAB" plot focal --format jpeg >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: --format: unknown format 'jpeg' (png, svg, pdf, text or sixel)$" "$tmp/err"
ok $? "--format jpeg: exit 2 with a message"
if command -v script >/dev/null 2>&1; then
	script -qec "\"$LOSSLAB\" plot focal --format png" /dev/null >"$tmp/tty" 2>&1
	grep -q "standard output is a terminal (use --out FILE, or a pipe)" "$tmp/tty" &&
	    ! grep -q PNG "$tmp/tty"
	ok $? "--format png to a terminal: refused, nothing binary written"
else
	skip "script(1) not installed"
fi

# --- cell mode: the curves of the step's own values ------------------------
# The labels of a ce step, and the mark's value is the one `losslab eval`
# prints for the sample (reduction='none').
"$LOSSLAB" plot softmax-then-ce --input "$ce_in" --target 0,2 --cell 1,2 \
    --size 110x34 >"$tmp/cell.txt" 2>"$tmp/err"
r=$?
if [ $have_python = 1 ]; then
	v=$("$LOSSLAB" eval ce --input "$ce_in" --target 0,2 --reduction none \
	    --json | python3 -c 'import json,sys; print("%.4g" % json.load(sys.stdin)["value"][1])')
else
	v=2.041
fi
[ $r -eq 0 ] &&
    grep -qF "CrossEntropyLoss of sample 1 as z[1][2] varies (C = 3)" "$tmp/cell.txt" &&
    grep -qF "z[1][2]: class 2’s logit, the target (other values fixed)" "$tmp/cell.txt" &&
    grep -qF "ℓ[1], pitfall CE(softmax(z))" "$tmp/cell.txt" &&
    grep -qF "∂L/∂z[1][2] (mean)" "$tmp/cell.txt" &&
    grep -qF "floor of ℓ[1] for this target = 0.5514" "$tmp/cell.txt" &&
    grep -qF "ℓ[1] = $v, pitfall 1.34 at z = 0.3" "$tmp/cell.txt"
ok $? "cell mode: title, x label, legends, floor and the mark (ℓ[1] = $v as eval says)"
[ $r -eq 0 ] || diag "$(cat "$tmp/err")"
"$LOSSLAB" plot softmax-then-ce --input "$ce_in" --target 0,2 --cell 1,2 \
    --lang zh --size 110x34 >"$tmp/cellzh.txt" &&
    grep -qF "CrossEntropyLoss：样本 1 的损失随 z[1][2] 变化（C = 3）" "$tmp/cellzh.txt" &&
    grep -qF "z[1][2]：类别 2 的 logit，即目标类别（其余值不变）" "$tmp/cellzh.txt" &&
    grep -qF "此目标下 ℓ[1] 的下限 = 0.5514" "$tmp/cellzh.txt"
ok $? "cell mode: Chinese labels"
"$LOSSLAB" plot softmax-then-ce --input "$ce_in" --target 0,2 --cell 1,2 \
    --pitfall none --size 110x34 >"$tmp/cell.txt" &&
    ! grep -q "pitfall" "$tmp/cell.txt" && grep -qF "∂L/∂z[1][2] (mean)" "$tmp/cell.txt"
ok $? "cell mode: --pitfall none leaves the correct curves only"
printf '%s\n' "$ce_in" | "$LOSSLAB" plot ce-curve --input - --target 0,2 \
    --cell 0 --size 100x30 >"$tmp/cell.txt" &&
    grep -qF "CrossEntropyLoss of sample 0 as z[0][0] varies" "$tmp/cell.txt"
ok $? "cell mode: --input - reads standard input, --cell 0 is z[0][0]"
"$LOSSLAB" plot ce-curve --input "$ce_in" --target 0,5 --size 80x24 \
    >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: plot: ce: Target 5 is out of bounds." ]
ok $? "cell mode: the loss's own error, exit 2"
"$LOSSLAB" plot bce-curve --input 0.3,0.9 --target 1,0 --xmin -1 \
    --size 80x24 >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^losslab: plot: bce: p must lie in \[0, 1\]" "$tmp/err"
ok $? "cell mode: bce probabilities outside [0, 1] refused"

# every kind in cell mode, with what it adds beside the main curve
cell_label() {
	case $1 in
	bce-curve) echo "y = 0 (other label)" ;;
	logits-curve) echo "∂L/∂z[0][1] (sum)" ;;
	ce-curve) echo "ℓ[1] = " ;;
	double-sigmoid) echo "ℓ[0][1], pitfall BCEWithLogits(σ(z))" ;;
	softmax-then-ce) echo "floor of ℓ[1] for this target" ;;
	naive-float32) echo "float32 σ(z) rounds to 1: z ≥ 16.6355" ;;
	focal) echo "γ = 1.5 (this step)" ;;
	label-smoothing) echo "ε = 0.1 (this step)" ;;
	pos-weight) echo "pos_weight = 3" ;;
	compare) echo "BCEWithLogits, target (y+1)/2" ;;
	esac
}
cell_args() {
	case $1 in
	bce-curve) echo "--input 0.3,0.9;0.6,0.2 --target 0,1;1,0 --cell 0,1" ;;
	logits-curve) echo "--input 0.3,18;0.6,0.2 --target 0,0;1,0 --cell 0,1 --reduction sum" ;;
	ce-curve|softmax-then-ce) echo "--input $ce_in --target 0,2 --cell 1,0" ;;
	double-sigmoid) echo "--input 0.3,-2;0.6,0.2 --target 0,1;1,0 --cell 0,1" ;;
	naive-float32) echo "--input 0.3,18;0.6,0.2 --target 0,0;1,0 --cell 0,1" ;;
	focal) echo "--input 1,-2 --target 1,0 --gamma 1.5 --alpha 0.3 --cell 1" ;;
	label-smoothing) echo "--input $ce_in --target 0,2 --label-smoothing 0.1" ;;
	pos-weight) echo "--input 1,-2 --target 1,0 --pos-weight 2,1" ;;
	compare) echo "--loss soft-margin --input 1,-2 --target 1,-1" ;;
	esac
}
for kind in $kinds; do
	# shellcheck disable=SC2046
	"$LOSSLAB" plot "$kind" $(cell_args "$kind") --size 110x34 \
	    >"$tmp/c-$kind.txt" 2>"$tmp/err" &&
	    grep -qF -- "$(cell_label "$kind")" "$tmp/c-$kind.txt" &&
	    grep -q "other values fixed" "$tmp/c-$kind.txt" &&
	    [ "$(wc -l < "$tmp/c-$kind.txt")" -le 34 ]
	ok $? "$kind in cell mode: '$(cell_label "$kind")'"
	[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"
done
"$LOSSLAB" plot softmax-then-ce --input "$ce_in" --target 0,2 --cell 1,2 \
    --cell 0,0 --out "$tmp/cell.png" 2>"$tmp/err" &&
    [ "$(head -c 4 "$tmp/cell.png" | od -An -tx1 | tr -d ' \n')" = 89504e47 ] &&
    "$LOSSLAB" plot softmax-then-ce --input "$ce_in" --target 0,2 --cell 1,2 \
    --lang zh --out "$tmp/cell.svg" && grep -q "样本 1" "$tmp/cell.svg"
ok $? "cell mode: PNG, and SVG with Chinese labels"
"$LOSSLAB" plot bce-curve --input '0.9,0.2,0.5;0.4,0.7,0.01' \
    --target '1,0,1;1,0,1' --cell 0 --cell 1 --cell 2 --cell 3 --cell 4 \
    --cell 5 --size 110x34 >"$tmp/cell.txt" &&
    grep -qF "ℓ[0][0], ℓ[0][2], ℓ[1][0], ℓ[1][2]" "$tmp/cell.txt" &&
    grep -qF "each marked input value (other values fixed)" "$tmp/cell.txt"
ok $? "cell mode: six cells, those with the same target on one curve"

# --- injection: nothing any option carries runs a command -------------------
i=0
for title in \
    "'; system('touch $canary'); print '" \
    "\"; system(\"touch $canary\"); print \"" \
    "\`touch $canary\`" \
    "x
!touch $canary" \
    "x'
set output '|touch $canary'
plot 1 title '" \
    "x'
plot '< touch $canary' title '" \
    "\$(touch $canary)" \
    "x\\'; system('touch $canary') #"; do
	i=$((i + 1))
	"$LOSSLAB" plot logits-curve --title "$title" --size 80x24 >"$tmp/inj.txt" 2>&1
	r1=$?
	"$LOSSLAB" plot logits-curve --title "$title" --out "$tmp/inj.png" 2>&1
	r2=$?
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ ! -e "$canary" ] && [ ! -e "$canary'" ]
	ok $? "title injection $i runs nothing (text and PNG)"
	rm -f "$canary"
done
grep -q "system(touch" "$tmp/inj.txt" || grep -q "touch" "$tmp/inj.txt"
ok $? "the sanitised title is still shown"

i=0
for out in \
    "|touch $canary" \
    " |touch $canary" \
    "<touch $canary" \
    "$tmp/a'b.png" \
    "$tmp/x'; system('touch $canary'); '.png" \
    "$tmp/x\"; system(\"touch $canary\"); \".png" \
    "$tmp/\`touch $canary\`.png" \
    "$tmp/a
b.png" \
    "$tmp/a$(printf '\033')b.png"; do
	i=$((i + 1))
	"$LOSSLAB" plot focal --out "$out" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && grep -q "^losslab: plot: --out: refusing" "$tmp/err" &&
	    [ ! -e "$canary" ] && [ "$(wc -l < "$tmp/err")" -eq 1 ]
	ok $? "unsafe output path $i refused (exit 2), nothing runs"
	rm -f "$canary"
done
ls "$tmp" | grep -q '^a' && diag "$(ls "$tmp")"
! ls "$tmp" | grep -q "^a.b.png\$\|tmp[A-Za-z0-9]\{6\}\$"
ok $? "no output or temporary file left behind by the refused paths"

# --- a hanging or dying gnuplot ---------------------------------------------
fake=$tmp/fake
mkdir "$fake"
# hangs, and starts a grandchild that must die with it
cat > "$fake/gnuplot" <<EOF
#!/bin/sh
/bin/sleep 60 &
echo \$! > "$tmp/grandchild.pid"
echo \$\$ > "$tmp/child.pid"
wait
EOF
chmod +x "$fake/gnuplot"
start=$(date +%s)
PATH=$fake:$real_path LOSSLAB_PLOT_TIMEOUT_MS=1000 "$LOSSLAB" plot focal \
    --size 80x24 >/dev/null 2>"$tmp/err"
rc=$?
end=$(date +%s)
[ $rc -eq 2 ] && grep -q "^losslab: plot: gnuplot did not finish within 1000 ms (killed)" "$tmp/err" &&
    [ $((end - start)) -le 4 ]
ok $? "a hanging gnuplot is killed after the timeout, exit 2"
sleep 0.2
gone=0
for f in child grandchild; do
	pid=$(cat "$tmp/$f.pid" 2>/dev/null)
	[ -n "$pid" ] || continue
	# gone, or at worst a zombie being reaped by init
	if kill -0 "$pid" 2>/dev/null &&
	    ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
		gone=1
		kill -9 "$pid" 2>/dev/null
	fi
done
ok $gone "the hanging gnuplot and its children are gone"

# dies of a signal
cat > "$fake/gnuplot" <<EOF
#!/bin/sh
cat >/dev/null
kill -SEGV \$\$
EOF
PATH=$fake:$real_path "$LOSSLAB" plot focal --out "$tmp/dead.png" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: gnuplot was killed by signal 11" "$tmp/err" &&
    [ ! -e "$tmp/dead.png" ]
ok $? "a gnuplot killed by a signal is reported, no file written"

# exits with an error message
cat > "$fake/gnuplot" <<EOF
#!/bin/sh
cat >/dev/null
echo "         line 3: fake error" >&2
exit 1
EOF
PATH=$fake:$real_path "$LOSSLAB" plot focal --size 80x24 >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: gnuplot failed (exit status 1): line 3: fake error" "$tmp/err" &&
    [ "$(wc -l < "$tmp/err")" -eq 1 ]
ok $? "a failing gnuplot: its error on one line, exit 2"

# exits 0 without writing an image
cat > "$fake/gnuplot" <<EOF
#!/bin/sh
cat >/dev/null
EOF
PATH=$fake:$real_path "$LOSSLAB" plot focal --out "$tmp/none.png" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^losslab: plot: gnuplot produced no image" "$tmp/err" &&
    [ ! -e "$tmp/none.png" ]
ok $? "a gnuplot that writes nothing: exit 2, no file"


# --- gnuplot's output is checked before it is kept -------------------------
# A fake gnuplot that reads the script, writes the file $fake/out as its
# output and exits 0: an export fails with one line that names gnuplot and
# the fault, and leaves no file (nor a temporary one) behind.
"$LOSSLAB" plot focal --out "$tmp/real.png" 2>/dev/null &&
    "$LOSSLAB" plot focal --out "$tmp/real.svg" 2>/dev/null
ok $? "a real PNG and SVG for the fakes to cut"
cat > "$fake/gnuplot" <<EOF
#!/bin/sh
cat >/dev/null
cat "$fake/out"
EOF
# refused FORMAT "message" "name": $fake/out as gnuplot's output
refused() {
	rm -rf "$tmp/exp"
	mkdir "$tmp/exp" || return 1
	PATH=$fake:$real_path "$LOSSLAB" plot focal --out "$tmp/exp/p.$1" \
	    >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: plot: $2" ] &&
	    [ -z "$(ls -A "$tmp/exp")" ] && [ ! -s "$tmp/out" ]
	r=$?
	[ $r -eq 0 ] || diag "exit $rc: $(cat "$tmp/err"); left: $(ls -A "$tmp/exp")"
	ok $r "$3: exit 2, no file left"
}
printf 'garbage\n' > "$fake/out"
refused png "gnuplot wrote an invalid PNG (no PNG signature)" "garbage as PNG"
refused svg "gnuplot wrote an invalid SVG (line 1: text outside the <svg> element)" \
    "garbage as SVG"
refused pdf "gnuplot wrote an invalid PDF (no %PDF- header)" "garbage as PDF"
# the 31-byte "PNG" whose only valid part is its signature
printf '\211PNG\r\n\032\ngarbage garbage garbage' > "$fake/out"
refused png "gnuplot wrote an invalid PNG (chunk 1 has no valid type)" \
    "a PNG signature and garbage"
size=$(wc -c < "$tmp/real.png")
head -c $((size - 12)) "$tmp/real.png" > "$fake/out"
refused png "gnuplot wrote an invalid PNG (no IEND chunk)" "a PNG without IEND"
head -c $((size / 2)) "$tmp/real.png" > "$fake/out"
refused png "gnuplot wrote an invalid PNG (truncated in chunk IDAT)" \
    "a PNG cut in half"
printf '<?xml version="1.0"?>\n<html><body/></html>\n' > "$fake/out"
refused svg "gnuplot wrote an invalid SVG (line 2: the root element is <html>, not <svg>)" \
    "an SVG without an svg root"
grep -v '^</g>$' "$tmp/real.svg" > "$fake/out"
refused svg "gnuplot wrote an invalid SVG (line $(grep -n '^</svg>' "$fake/out" | cut -d: -f1): </svg> closes no open element)" \
    "an unbalanced SVG (its </g> lines dropped)"
head -n 60 "$tmp/real.svg" > "$fake/out"
PATH=$fake:$real_path "$LOSSLAB" plot focal --out "$tmp/cut.svg" 2>"$tmp/err"
[ $? -eq 2 ] && [ ! -e "$tmp/cut.svg" ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] &&
    grep -q '^losslab: plot: gnuplot wrote an invalid SVG (line [0-9]*: <g> is not closed)$' "$tmp/err"
ok $? "an SVG cut short: exit 2, no file ($(cat "$tmp/err"))"
printf '%%PDF-1.5\n1 0 obj\n<< >>\nendobj\n' > "$fake/out"
refused pdf "gnuplot wrote an invalid PDF (no %%EOF trailer)" "a PDF without its trailer"
# text: a raw C1 byte is not UTF-8; escapes and encoded C1 controls go
printf '\f+-----+\n|\233[2J|\n' > "$fake/out"
PATH=$fake:$real_path "$LOSSLAB" plot focal --size 80x24 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: plot: gnuplot wrote text that is not UTF-8 (byte 0x9b on line 2)" ] &&
    [ ! -s "$tmp/out" ]
ok $? "text with a raw C1 byte (CSI): exit 2"
refused txt "gnuplot wrote text that is not UTF-8 (byte 0x9b on line 2)" \
    "a text export with a raw C1 byte"
printf '\f+-----+\n|\033[31mred\302\233[2J \302\205x|\n+-----+\n' > "$fake/out"
PATH=$fake:$real_path "$LOSSLAB" plot focal --size 80x24 >"$tmp/out" 2>"$tmp/err" &&
    PATH=$fake:$real_path "$LOSSLAB" plot focal --out "$tmp/clean.txt" 2>>"$tmp/err" &&
    [ "$(sed -n 2p "$tmp/out")" = "|[31mred[2J x|" ] && cmp -s "$tmp/out" "$tmp/clean.txt" &&
    ! LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$tmp/out" &&
    ! LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$tmp/out"
ok $? "text: escapes, the form feed and C1 controls removed (printed and .txt)"
[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"

done_testing
