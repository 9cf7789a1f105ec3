#!/bin/sh
# lessons.sh -- every shipped lesson passes `losslab lessons --check`, its
# --dump succeeds and shows every step heading; broken input gives exit 2
# with one `losslab: ...` line (or file:line: messages for --check).
. "$top_srcdir/tests/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-lessons.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# keep the user's own lessons out of the test
XDG_DATA_HOME=$tmp/xdg
export XDG_DATA_HOME

ldir=$top_srcdir/lessons

"$LOSSLAB" lessons --check "$ldir" >"$tmp/out" 2>"$tmp/err"
ok $? "every shipped lesson passes lessons --check"
[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"

"$LOSSLAB" lessons >"$tmp/list" 2>&1
ok $? "losslab lessons lists"
for id in bce bce-logits ce multilabel double-sigmoid softmax-then-ce; do
	test -f "$ldir/$id.en.lesson"
	ok $? "lesson $id is shipped"
	grep -q "^$id  *en " "$tmp/list"
	ok $? "losslab lessons lists $id"
done

for f in "$ldir"/*.lesson; do
	name=$(basename "$f")
	id=${name%%.*}
	lang=${name#*.}
	lang=${lang%.lesson}
	COLUMNS=80 "$LOSSLAB" --lang "$lang" --dump "$f" >"$tmp/dump" 2>"$tmp/err"
	ok $? "--dump $name succeeds"
	# every step heading "Step n/N: title" (zh: "步骤 n/N：title") appears, in order
	n=$(grep -c '^step:' "$f")
	i=0 miss=0
	grep '^step:' "$f" | sed 's/^step:[ 	]*//' >"$tmp/titles"
	while IFS= read -r t; do
		i=$((i + 1))
		# the heading is translated with the interface (po/zh_CN.po)
		if [ "$lang" = zh ]; then head="步骤 $i/$n：$t"; else head="Step $i/$n: $t"; fi
		grep -qxF "$head" "$tmp/dump" || { miss=1; diag "missing: $head"; }
	done <"$tmp/titles"
	ok $miss "--dump $name shows all $n step headings"
	! grep -q '{?' "$tmp/dump"
	ok $? "--dump $name has no unknown placeholder"
	awk -v max=80 '{ if (length($0) > max * 3) exit 1 }' "$tmp/dump"
	ok $? "--dump $name lines are wrapped"
	grep -q 'PyTorch:' "$tmp/dump"
	ok $? "--dump $name shows PyTorch code"
	# by id too (the source tree is on the search path)
	COLUMNS=80 "$LOSSLAB" --lang "$lang" --dump "$id" >"$tmp/dump2" 2>/dev/null
	cmp -s "$tmp/dump" "$tmp/dump2"
	ok $? "--lang $lang --dump $id (by id) is the same as by path"
done

# pitfall lessons carry a predict-first question and its answer
for id in double-sigmoid softmax-then-ce; do
	"$LOSSLAB" --lang en --dump "$id" >"$tmp/dump" 2>&1
	grep -q '^Predict first:' "$tmp/dump" && grep -q 'Answer:' "$tmp/dump"
	ok $? "$id has a predict-first question with an answer"
done

# the softmax-then-ce lesson quotes the article and shows the floor
"$LOSSLAB" --lang en --dump softmax-then-ce >"$tmp/dump" 2>&1
grep -q 'softmax or' "$tmp/dump" && grep -q '0.551445' "$tmp/dump"
ok $? "softmax-then-ce quotes the article and shows the C=3 floor 0.5514 (reference P1)"

# unknown lesson: exit 2, exactly one line on stderr, "losslab: "
"$LOSSLAB" --dump no-such-lesson >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^losslab: ' "$tmp/err" && [ ! -s "$tmp/out" ]
ok $? "--dump of an unknown id exits 2 with one 'losslab:' line"

"$LOSSLAB" --dump "$tmp/missing.lesson" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^losslab: ' "$tmp/err"
ok $? "--dump of a missing file exits 2 with one 'losslab:' line"

bad=$top_srcdir/tests/lessons-bad
"$LOSSLAB" --dump "$bad/unknown-key.lesson" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q '^losslab: .*unknown-key.lesson:5: unknown key' "$tmp/err"
ok $? "--dump of a broken lesson exits 2 with its file:line: error"

# --check of the malformed fixtures: exit 2; every problem is a file:line:
# line, and each file's own (its '# expect: LINE: TEXT') is among them
"$LOSSLAB" lessons --check "$bad" >"$tmp/out" 2>"$tmp/err"
rc=$?
nfiles=$(ls "$bad"/*.lesson | wc -l)
nerr=$(grep -c '\.lesson:[0-9][0-9]*: ' "$tmp/err")
miss=0
for f in "$bad"/*.lesson; do
	want=$(sed -n '1s/^# expect: //p' "$f")
	grep -qF "$f:$want" "$tmp/err" || { miss=1; diag "not listed: $f:$want"; }
done
[ $rc -eq 2 ] && [ "$nerr" -ge "$nfiles" ] && [ $miss -eq 0 ] &&
    [ "$nerr" -eq "$(wc -l <"$tmp/err")" ] &&
    grep -qx "$nfiles lesson files checked: 0 ok, $nerr problems" "$tmp/out"
ok $? "lessons --check on the bad fixtures exits 2 and lists the $nfiles expected file:line: errors among its $nerr"

# a broken file has all its problems listed, in file order, each as
# lesson_load words it; the step with broken lines is still a step (no
# "has no input" for it, none for the next step, which inherits it)
cat >"$tmp/many.en.lesson" <<'LESSON'
id: many
title: Many problems
loss: bce
step: One
input: 0.5, x
target: 1, y
colour: red
weight: <<<
z, 1
>>>
text: t
code: c
step: Two
reduction: often
text: t
code: c
LESSON
"$LOSSLAB" lessons --check "$tmp/many.en.lesson" >"$tmp/out" 2>"$tmp/err"
rc=$?
m=$tmp/many.en.lesson
printf '%s\n' "$m:5: input: 'x' is not a number (row 1, value 2)" \
    "$m:6: target: 'y' is not a number (row 1, value 2)" \
    "$m:7: unknown key 'colour'" "$m:9: weight: 'z' is not a number (row 1, value 1)" \
    "$m:14: unknown reduction 'often' (none, mean, sum, batchmean)" >"$tmp/want"
[ $rc -eq 2 ] && cmp -s "$tmp/err" "$tmp/want" &&
    grep -qx '1 lesson file checked: 0 ok, 5 problems' "$tmp/out"
r=$?
ok $r "lessons --check lists every problem of a broken file, in file order"
[ $r -eq 0 ] || diag "$(cat "$tmp/err")"

# an unknown placeholder is reported by --check
mkdir -p "$tmp/mine"
cat >"$tmp/mine/oops.en.lesson" <<'LESSON'
id: oops
title: Oops
loss: bce
step: One
input: 0.5
target: 1
text: The loss is {valeu}.
code: nn.BCELoss()(p, y)
LESSON
"$LOSSLAB" lessons --check "$tmp/mine/oops.en.lesson" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q 'oops.en.lesson:4: .*{valeu}' "$tmp/err"
ok $? "lessons --check reports an unknown placeholder at its step"

# --lessons DIR shadows the shipped lesson of the same id
sed 's/^title: .*/title: My BCE/' "$ldir/bce.en.lesson" >"$tmp/mine/bce.en.lesson"
"$LOSSLAB" --lessons "$tmp/mine" lessons >"$tmp/list" 2>&1
grep -q '^bce  *en  My BCE' "$tmp/list" && [ "$(grep -c '^bce  *en ' "$tmp/list")" -eq 1 ]
ok $? "--lessons DIR shadows the shipped bce"
"$LOSSLAB" --lang en --lessons "$tmp/mine" --dump bce 2>/dev/null | head -1 | grep -qx 'My BCE'
ok $? "--dump bce uses the shadowing lesson"

# a broken lesson is listed with its error, not fatal
printf 'id: broken\ntitle: B\nwhat: x\n' >"$tmp/mine/broken.en.lesson"
"$LOSSLAB" --lessons "$tmp/mine" lessons >"$tmp/list" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'broken.en.lesson:3: unknown key' "$tmp/list"
ok $? "a broken lesson is listed with its error"

# unknown argument to lessons
"$LOSSLAB" lessons --frobnicate >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^losslab: ' "$tmp/err"
ok $? "lessons with an unknown argument exits 2 with one line"

# narrow terminals: COLUMNS=40 wraps the narrative
COLUMNS=40 "$LOSSLAB" --lang en --dump bce >"$tmp/dump" 2>&1
ok $? "--dump with COLUMNS=40"

# --check renders every step for the lesson's own values: an index the
# values lack, a false {assume}, {when} choices that do not select the
# answer, a mark outside the input are problems; a typed number where a
# placeholder shows it, "1 samples" and results shown before the answer
# are warnings
cat >"$tmp/mine/render.en.lesson" <<'LESSON'
id: render
title: Render
loss: bce
step: One
input: 0.2, 0.9
target: 0, 1
mark: 5
text: <<<
Element 2 is {input[2]}. The mean is 0.164{assume input[0] == 0.3}.
Over {N} samples the loss is {value}.
>>>
predict: Is it {value}?
choices: <<<
low {when value < 0.1}
high {when value >= 10}
>>>
answer: 1
code: nn.BCELoss()(p, y)
LESSON
"$LOSSLAB" lessons --check "$tmp/mine/render.en.lesson" >"$tmp/out" 2>"$tmp/err"
rc=$?
f="$tmp/mine/render.en.lesson:4: step 1"
[ $rc -eq 2 ] &&
    grep -qF "$f: text: 1 placeholder names an index the lesson's own values do not have" "$tmp/err" &&
    grep -qF "$f: text: an {assume} is false for the lesson's own values" "$tmp/err" &&
    grep -qF "$f: choices: with the lesson's values 0 choices fit (the answer is 1)" "$tmp/err" &&
    grep -qF "$f: mark: 5 is not in the input" "$tmp/err" &&
    grep -qF "$f: warning: text: {N} samples with 1 (write {N|sample|samples}, or {if})" "$tmp/err" &&
    grep -qF "$f: warning: predict: it shows computed results before the question is answered" "$tmp/err" &&
    grep -qxF '1 lesson file checked: 0 ok, 4 problems, 3 warnings' "$tmp/out"
r=$?
ok $r "lessons --check renders every step: missing index, false assumption, when, mark; warnings"
[ $r -eq 0 ] || diag "$(cat "$tmp/err" "$tmp/out")"
grep -qF "$f: warning: text: '0.164' is typed in; {value} shows it" "$tmp/err"
ok $? "... and a number typed in where a placeholder shows it is a warning"

# code stays code: every lesson's PyTorch lines, wrapped by --dump at 40, 60
# and 80 columns, are the same Python program as unwrapped (ast.dump equal)
if command -v python3 >/dev/null 2>&1; then
	cat >"$tmp/pyblocks.py" <<'PY'
import ast, re, sys
lines, out, i = sys.stdin.read().split('\n'), [], 0
while i < len(lines):
    if re.match(r'^PyTorch( \(.*\)|（.*）)?[:：]$', lines[i]):
        i += 1
        blk = []
        while i < len(lines) and lines[i].startswith('    '):
            blk.append(lines[i][4:])
            i += 1
        try:
            out.append(ast.dump(ast.parse('\n'.join(blk))))
        except SyntaxError:
            out.append('SyntaxError')
    else:
        i += 1
print('\n'.join(out))
PY
	bad=""
	for f in "$ldir"/*.lesson; do
		COLUMNS=1000 "$LOSSLAB" --dump "$f" 2>/dev/null |
		    python3 "$tmp/pyblocks.py" >"$tmp/ast.wide"
		grep -q SyntaxError "$tmp/ast.wide" && bad="$bad $(basename "$f"):unwrapped"
		for c in 40 60 80; do
			COLUMNS=$c "$LOSSLAB" --dump "$f" 2>/dev/null |
			    python3 "$tmp/pyblocks.py" >"$tmp/ast.$c"
			cmp -s "$tmp/ast.wide" "$tmp/ast.$c" || bad="$bad $(basename "$f"):$c"
		done
	done
	[ -z "$bad" ]
	ok $? "every lesson's PyTorch lines wrapped at 40, 60, 80 columns are the same Python"
	[ -n "$bad" ] && diag "differs:$bad"
	# ... and they are wrapped: at 40 columns hardly a code line is longer
	cat >"$tmp/pylong.py" <<'PY'
import re, sys, unicodedata
n, code = 0, False
for l in sys.stdin.read().split('\n'):
    if re.match(r'^PyTorch', l):
        code = True
    elif code and l.startswith('    '):
        w = sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in l)
        n += w > 44
    else:
        code = False
print(n)
PY
	long() {
		for f in "$ldir"/*.lesson; do
			COLUMNS=$1 "$LOSSLAB" --dump "$f" 2>/dev/null
		done | python3 "$tmp/pylong.py"
	}
	wide=$(long 1000) narrow=$(long 40)
	[ "$narrow" -lt $((wide / 10)) ]
	ok $? "... wrapped: code lines over 40 columns: $wide unwrapped, $narrow at 40"
else
	echo "ok $((tap_n += 1)) # SKIP python3 missing"
fi

# every step names a plot -- a training step (train:) its `losslab train`
# command instead, its chart being the runs -- and the `losslab plot ...`
# command --dump prints for it draws (the same request the explorer's plot
# pane sends to gnuplot); the training commands train
: >"$tmp/plots"
: >"$tmp/trains"
for f in "$ldir"/*.en.lesson; do
	"$LOSSLAB" --lang en --dump "$f" >"$tmp/dump" 2>/dev/null
	n=$(grep -c '^step:' "$f")
	nt=$(grep -c '^train:' "$f")
	np=$(grep -c '^  losslab plot ' "$tmp/dump")
	ntd=$(grep -c '^  losslab train ' "$tmp/dump")
	# a step about torch's dtype error (target_dtype:) has no curve
	nr=$(grep -c '^Plot: none (torch refuses these values)' "$tmp/dump")
	[ "$nr" -le "$(grep -c '^target_dtype:' "$f")" ] || nr=0
	[ "$np" -eq $((n - nt - nr)) ] && [ "$ntd" -eq "$nt" ] ||
	    diag "$(basename "$f"): $np plots and $ntd trainings for $n steps"
	[ "$np" -eq $((n - nt - nr)) ] && [ "$ntd" -eq "$nt" ]
	ok $? "--dump $(basename "$f") names a plot for each of its $n steps ($nt of them training, $nr refused by torch's dtype rules)"
	# the command, its continued lines joined
	# (" \\" between arguments; a "\\" right after a word breaks the
	# word, and its next line starts in column 0: the shell joins them)
	awk '/^  losslab plot / { c = $0; while (c ~ /\\$/) {
	    sep = ""; if (c ~ / \\$/) sep = " "
	    sub(/ ?\\$/, "", c); getline l; sub(/^ +/, sep, l); c = c l }
	    sub(/^  losslab plot /, "", c); print c }' "$tmp/dump" >>"$tmp/plots"
	awk '/^  losslab train / { c = $0; while (c ~ / \\$/) {
	    sub(/ \\$/, "", c); getline l; sub(/^ +/, " ", l); c = c l }
	    sub(/^  losslab train /, "", c); print c }' "$tmp/dump" >>"$tmp/trains"
done
bad=0 total=0
while IFS= read -r args; do
	total=$((total + 1))
	# shellcheck disable=SC2086
	eval "\"\$LOSSLAB\" train $args --json" >/dev/null 2>"$tmp/err" ||
	    { bad=$((bad + 1)); diag "losslab train $args: $(cat "$tmp/err")"; }
done <"$tmp/trains"
[ $bad -eq 0 ] && [ $total -ge 5 ]
ok $? "every training step's losslab train command trains ($total, $bad failed)"
if command -v gnuplot >/dev/null 2>&1; then
	bad=0 total=0
	sort -u "$tmp/plots" >"$tmp/plots.u"
	while IFS= read -r args; do
		total=$((total + 1))
		# shellcheck disable=SC2086
		eval "\"\$LOSSLAB\" plot $args --size 80x24" >/dev/null 2>"$tmp/err" ||
		    { bad=$((bad + 1)); diag "losslab plot $args: $(cat "$tmp/err")"; }
	done <"$tmp/plots.u"
	[ $bad -eq 0 ] && [ $total -gt 10 ]
	ok $? "every plot command in the dumps draws ($total distinct, $bad failed)"
else
	echo "ok $((tap_n += 1)) # SKIP gnuplot missing"
fi


# --- only regular files are read as lessons (issue 9, item 2) ----------------
# A FIFO named *.lesson used to hang every start for ever: opened without
# O_NONBLOCK, open(2) waits for a writer.  Now it, a device and a directory
# named *.lesson are broken entries that say what they are; every command
# runs under `timeout` so that this test cannot hang.
odd=$tmp/odd
mkdir -p "$odd/dir.en.lesson"
cp "$ldir/bce.en.lesson" "$odd/"
if mkfifo "$odd/fifo.en.lesson" 2>/dev/null; then
	have_fifo=1
else
	have_fifo=0
	diag "mkfifo failed: FIFO tests skipped"
fi
ln -s /dev/null "$odd/null.en.lesson"
ln -s /dev/zero "$odd/zero.en.lesson"
T() { timeout 10 "$@"; }
T "$LOSSLAB" --lessons "$odd" lessons >"$tmp/list" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && grep -q "^bce  *en  Binary cross-entropy on probabilities  \[--lessons: $odd/bce.en.lesson\]" "$tmp/list" &&
    grep -qF "$odd/dir.en.lesson: is a directory" "$tmp/list" &&
    grep -qF "$odd/null.en.lesson: not a regular file (a character device)" "$tmp/list" &&
    grep -qF "$odd/zero.en.lesson: not a regular file (a character device)" "$tmp/list" &&
    grep -q "^null  *en  BROKEN" "$tmp/list"
ok $? "lessons: a directory and devices named *.lesson are listed as broken, with what they are (exit $rc)"
if [ $have_fifo = 1 ]; then
	grep -qF "$odd/fifo.en.lesson: not a regular file (a FIFO)" "$tmp/list" &&
	    grep -q "^fifo  *en  BROKEN" "$tmp/list"
	ok $? "lessons: a FIFO named *.lesson is listed as broken, nothing blocks"
	T "$LOSSLAB" --lessons "$odd" --lang en --dump bce >"$tmp/dump" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 0 ] && grep -q "^Step 1/" "$tmp/dump"
	ok $? "--dump ID with a FIFO in the lesson directory (exit $rc)"
	T "$LOSSLAB" --dump "$odd/fifo.en.lesson" >"$tmp/dump" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -s "$tmp/dump" ] &&
	    [ "$(cat "$tmp/err")" = "losslab: $odd/fifo.en.lesson: not a regular file (a FIFO)" ]
	ok $? "--dump FIFO: exit 2 with one line (exit $rc: $(cat "$tmp/err"))"
	T "$LOSSLAB" lessons --check "$odd" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && grep -qxF "$odd/fifo.en.lesson: not a regular file (a FIFO)" "$tmp/err" &&
	    grep -qxF "$odd/dir.en.lesson: is a directory" "$tmp/err" &&
	    grep -q "^5 lesson files checked: 1 ok, 4 problems" "$tmp/out"
	ok $? "lessons --check DIR: the FIFO, the devices and the directory are problems, the lesson is checked (exit $rc)"
	[ $rc -eq 2 ] || diag "$(cat "$tmp/out" "$tmp/err")"
	T "$LOSSLAB" lessons --check "$odd/fifo.en.lesson" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && grep -qxF "$odd/fifo.en.lesson: not a regular file (a FIFO)" "$tmp/err"
	ok $? "lessons --check FIFO: exit 2 (exit $rc)"
	# the user's lesson directory too (the explorer's start: tests/signals.sh)
	mkdir -p "$tmp/xdg2/losslab/lessons"
	mkfifo "$tmp/xdg2/losslab/lessons/mine.en.lesson"
	XDG_DATA_HOME=$tmp/xdg2 T "$LOSSLAB" lessons >"$tmp/list" 2>&1
	rc=$?
	[ $rc -eq 0 ] && grep -q "mine.en.lesson: not a regular file (a FIFO)" "$tmp/list"
	ok $? "a FIFO in the user's lesson directory: listed as broken (exit $rc)"
else
	for i in 1 2 3 4 5 6; do echo "ok $((tap_n += 1)) # SKIP mkfifo failed"; done
fi

# --- limits of a lesson file (lessons/README.md, "Limits") --------------------
# Each is a broken lesson whose message names the limit; none takes long
# (the tensor and text parsers are linear: a bound of 60 s here is 100 times
# what they need, and a tenth of what the old quadratic ones took).
lim=$tmp/lim
mkdir -p "$lim"
# lim_fails FILE "message": --dump FILE exits 2 with that one line
lim_fails() {
	T "$LOSSLAB" --dump "$1" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: $1:$2" ] && [ ! -s "$tmp/out" ]
	r=$?
	[ $r -eq 0 ] || diag "exit $rc: $(head -c 300 "$tmp/err")"
	return $r
}
hdr='id: lim
title: Limits
loss: bce-logits'
{ echo "$hdr"; echo "input: 1"; echo "target: 1"
  awk 'BEGIN { for (i = 1; i <= 201; i++) print "step: s" i "\ncode: x" }'; } \
    >"$lim/steps.en.lesson"
lim_fails "$lim/steps.en.lesson" "406: more than 200 steps (the limit)"
ok $? "201 steps: 'more than 200 steps (the limit)'"
head -n 405 "$lim/steps.en.lesson" >"$lim/steps200.en.lesson"
T "$LOSSLAB" --dump "$lim/steps200.en.lesson" >/dev/null 2>"$tmp/err"
ok $? "200 steps load"
# 1048577 values: 1049 rows of 1000 in a block
{ echo "$hdr"; echo "step: big"; echo "input: <<<"
  awk 'BEGIN { r = ""; for (i = 0; i < 1000; i++) r = r "0 "
      for (i = 0; i < 1049; i++) print r }'
  echo ">>>"; echo "target: 1"; echo "code: x"; } >"$lim/values.en.lesson"
lim_fails "$lim/values.en.lesson" "1054: input: more than 1048576 values (the limit)"
ok $? "a tensor of 1049000 values: 'input: more than 1048576 values (the limit)'"
# 17 steps keeping a tensor of 10^6 values: 1.7e7 values in all
{ echo "$hdr"; echo "step: s0"; echo "input: <<<"
  awk 'BEGIN { r = ""; for (i = 0; i < 1000; i++) r = r "0 "
      for (i = 0; i < 1000; i++) print r }'
  echo ">>>"; echo "target: 1"; echo "code: x"
  awk 'BEGIN { for (i = 1; i <= 16; i++) print "step: s" i }'; } >"$lim/total.en.lesson"
lim_fails "$lim/total.en.lesson" "1024: the steps up to 's16' hold more than 16777216 values in all (the limit; a tensor a step keeps counts again)"
ok $? "17 steps of 10^6 values each: over 16777216 values in all"
# over 16 MiB (sparse; nothing is read)
printf 'id: x\n' >"$lim/huge.en.lesson"
truncate -s 17M "$lim/huge.en.lesson" 2>/dev/null ||
    dd if=/dev/zero of="$lim/huge.en.lesson" bs=1048576 count=17 2>/dev/null
T "$LOSSLAB" --dump "$lim/huge.en.lesson" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: $lim/huge.en.lesson: file too large (over 16 MiB, the limit)" ]
ok $? "a 17 MiB lesson file: 'file too large (over 16 MiB, the limit)' (exit $rc)"
T "$LOSSLAB" --lessons "$lim" lessons 2>&1 | grep -q "huge.en.lesson: file too large"
ok $? "... listed as broken"

# linear parsing: 120000 block rows, and a 4 MB text block of short lines
# (the old parsers took about 250 s and hours for these)
lin=$tmp/lin
mkdir -p "$lin"
{ echo "$hdr"; echo "step: rows"; echo "input: <<<"
  awk 'BEGIN { for (i = 0; i < 120000; i++) print (i % 7) - 3 ", " (i % 5) }'
  echo ">>>"; echo "target: <<<"
  awk 'BEGIN { for (i = 0; i < 120000; i++) print "1, 0" }'
  echo ">>>"; echo "code: x"; } >"$lin/rows.en.lesson"
{ echo "id: lin-text"; echo "title: Text"; echo "step: text"; echo "input: 1"
  echo "target: 1"; echo "code: x"; echo "text: <<<"
  awk 'BEGIN { for (i = 0; i < 2000000; i++) print "a" }'; echo ">>>"; } \
    >"$lin/text.en.lesson"
timeout 60 "$LOSSLAB" --lessons "$lin" lessons >"$tmp/list" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "^lim  *en  Limits  \[--lessons: $lin/rows.en.lesson\]" "$tmp/list"
ok $? "a block tensor of 120000 rows loads well within 60 s (exit $rc)"
[ $rc -eq 0 ] && grep -q "^lin-text  *en  Text  \[--lessons: $lin/text.en.lesson\]" "$tmp/list"
ok $? "a text block of 2000000 lines loads well within 60 s (exit $rc)"
rm -rf "$lin"

# --- one number grammar: a lesson reads a value as `losslab eval` does -------
# (src/parse.c's parse_double for both): each number is accepted by both
# or refused by both.
mkdir -p "$tmp/num"
disagree=
for t in 1e-400 4.9e-324 1e308 -0 .5 5. +3 1e+5 inf -inf nan NaN \
    1e999 -1e999 0x10 1e abc infinity 1_0; do
	cat >"$tmp/num/n.en.lesson" <<EOF
id: n
lang: en
title: T
summary: s
loss: bce-logits

step: one
input: $t, 1
target: 1, 0
text: <<<
x
>>>
code: <<<
loss = nn.BCEWithLogitsLoss()(z, y)
>>>
EOF
	"$LOSSLAB" lessons --check "$tmp/num/n.en.lesson" >/dev/null 2>&1
	a=$?
	"$LOSSLAB" eval bce-logits --input "$t,1" --target 1,0 >/dev/null 2>&1
	b=$?
	[ $a -eq $b ] && { [ $a -eq 0 ] || [ $a -eq 2 ]; } ||
	    disagree="$disagree $t(lesson $a, eval $b)"
done
[ -z "$disagree" ]
ok $? "lesson values and eval accept and refuse the same numbers (1e-400, 1e999, 0x10, ...)"
[ -n "$disagree" ] && diag "disagree:$disagree"

# --- one tensor grammar: a lesson's tensor is read as `eval --input` reads it
# (src/parse.c's parse_matrix_max for both); the lesson's one rule beyond it:
# a tensor has a value (eval takes the empty batch).
disagree=
for t in '1, 2, 3' '1 2 3' '1,2;3,4' '1,2;' '[1, 2, 3]' '[[1, 2], [3, 4]]' \
    '[[1, 2, 3]]' '1e-400, 2' 'inf, nan, -inf' '1,,2' '1,2,' '1;;2' \
    '1,2;3' '1e999' '0x10' 'abc' '[1, 2' '[[1], [2, 3]]' '[[[1]]]' \
    '[1; 2]' '1, [2]' '[[]]' '' '[]' '   '; do
	cat >"$tmp/num/n.en.lesson" <<EOF
id: n
lang: en
title: T
summary: s
loss: bce-logits

step: one
input: $t
target: $t
text: <<<
x
>>>
code: <<<
loss = nn.BCEWithLogitsLoss()(z, y)
>>>
EOF
	"$LOSSLAB" lessons --check "$tmp/num/n.en.lesson" >/dev/null 2>"$tmp/lerr"
	a=$?
	"$LOSSLAB" eval bce-logits --input "$t" --target "$t" >/dev/null 2>"$tmp/eerr"
	b=$?
	case $t in
	''|'[]'|'   ')
		# the empty batch: eval's, not a lesson's
		[ $a -eq 2 ] && [ $b -eq 0 ] &&
		    grep -q ':8: input has no values$' "$tmp/lerr" ||
		    disagree="$disagree '$t'(lesson $a, eval $b)" ;;
	*)
		# the same verdict, and when refused the same words
		l=$(sed -n 's/^.*n\.en\.lesson:8: input: //p' "$tmp/lerr")
		e=$(sed -n 's/^losslab: --input: //p' "$tmp/eerr")
		[ $a -eq $b ] && { [ $a -eq 0 ] || { [ $a -eq 2 ] &&
		    [ -n "$l" ] && [ "$l" = "$e" ]; }; } ||
		    disagree="$disagree '$t'(lesson $a '$l', eval $b '$e')" ;;
	esac
done
[ -z "$disagree" ]
ok $? "lesson tensors and eval accept and refuse the same tensors, in the same words (brackets, rows, blanks, empty values, 1e-400, ...)"
[ -n "$disagree" ] && diag "disagree:$disagree"

done_testing
