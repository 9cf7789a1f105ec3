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

done_testing
