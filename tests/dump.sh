#!/bin/sh
# dump.sh -- the handouts of `losslab --dump LESSON` (issue 13, item 2).
#
# What is checked, and against what:
#   - the numbers: torch's values (tests/dump_golden.txt, made by
#     tests/gen_dump.py with PyTorch) for steps of the bce and ce lessons are
#     the JSON handout's value, per-element losses and gradients (1e-12), and
#     the text handout prints them (6 significant digits), in English and
#     Chinese;
#   - text at 80 columns: no line wider than 80 display columns (measured by
#     python3's unicodedata, not by losslab's text.c), every step heading,
#     and the wrapped `losslab plot` commands read back by the shell as the
#     JSON's one-line commands;
#   - the golden dumps tests/dump-golden/*.txt are losslab's own output, read
#     through by eye when made: a regression guard, not an oracle (GENERATE=1
#     rewrites them);
#   - JSON: every dump (all lessons, three answer modes) against the schema
#     tests/handout.schema.json, by the validator in tests/dump_check.py;
#   - HTML: well-formed, no outside reference, A4 print CSS, one inline SVG
#     per plotted step, and a note instead when gnuplot is missing;
#   - Markdown: its pictures beside --out, linked by name;
#   - the student copy holds no answer or explanation text; the key holds
#     them;
#   - bad values: exit 2 and one `losslab:` line; --out never through a
#     symbolic link.
. "$top_srcdir/tests/tap.sh"

if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is needed for the parsers"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-dump.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
XDG_DATA_HOME=$tmp/xdg
export XDG_DATA_HOME
unset COLUMNS
check="python3 $top_srcdir/tests/dump_check.py"
golden=$top_srcdir/tests/dump_golden.txt
ldir=$top_srcdir/lessons
has_gnuplot=0
command -v gnuplot >/dev/null 2>&1 && has_gnuplot=1

# display width of the widest line (East Asian wide/fullwidth: 2 columns)
widest() {
	python3 -c '
import sys, unicodedata
def w(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(max([w(l) for l in open(sys.argv[1], encoding="utf-8").read().split("\n")] or [0]))
' "$1"
}

# ---- text, JSON and the numbers, in both languages ---------------------------
for lang in en zh; do
	for id in bce ce; do
		"$LOSSLAB" --lang $lang --dump $id --format json >"$tmp/$id.$lang.json"
		ok $? "$id ($lang): --format json"
		$check golden "$golden" "$tmp/$id.$lang.json" >"$tmp/out" 2>&1
		ok $? "$id ($lang): JSON values are torch's"
		grep -v '^ok' "$tmp/out" | while IFS= read -r l; do diag "$l"; done
		"$LOSSLAB" --lang $lang --dump $id >"$tmp/$id.$lang.txt"
		ok $? "$id ($lang): text (COLUMNS unset: 80)"
		$check text "$golden" $id "$tmp/$id.$lang.txt" >"$tmp/out" 2>&1
		ok $? "$id ($lang): text prints torch's values in each step"
		grep -v '^ok' "$tmp/out" | while IFS= read -r l; do diag "$l"; done
		w=$(widest "$tmp/$id.$lang.txt")
		[ "$w" -le 80 ]
		ok $? "$id ($lang): text fits 80 columns (widest $w)"
		n=$(grep -c '^step:' "$ldir/$id.$lang.lesson")
		h=$(grep -cE '^(Step|步骤) [0-9]+/'"$n"'[:：]' "$tmp/$id.$lang.txt")
		[ "$h" -eq "$n" ]
		ok $? "$id ($lang): $n step headings ($h)"
		g=$top_srcdir/tests/dump-golden/$id.$lang.txt
		if [ -n "$GENERATE" ]; then
			cp "$tmp/$id.$lang.txt" "$g"
		fi
		cmp -s "$g" "$tmp/$id.$lang.txt"
		ok $? "$id ($lang): text equals tests/dump-golden/$id.$lang.txt"
	done
done

# every lesson fits 80 columns, and 60, as text (at 50 a Python line that
# pycode_wrap cannot break stays whole)
bad=0
for f in "$ldir"/*.lesson; do
	for c in 80 60; do
		COLUMNS=$c "$LOSSLAB" --dump "$f" >"$tmp/t" 2>&1 || bad=1
		w=$(widest "$tmp/t")
		[ "$w" -le $c ] || { bad=1; diag "$(basename "$f") at $c: $w"; }
	done
done
ok $bad "every lesson's text fits COLUMNS=80 and COLUMNS=60"

# the wrapped commands are the same words as the one-line ones
lesson=$ldir/nll-and-log-softmax.en.lesson
COLUMNS=80 "$LOSSLAB" --lang en --dump "$lesson" >"$tmp/nll.txt"
"$LOSSLAB" --lang en --dump "$lesson" --format json >"$tmp/nll.json"
awk '/^  losslab plot / { c = 1 } c { print } c && !/\\$/ { c = 0; print "" }' \
    "$tmp/nll.txt" >"$tmp/wrapped"
python3 -c '
import json, sys
for s in json.load(open(sys.argv[1]))["steps"]:
    if s["plot"] and s["plot"]["command"]:
        print(s["plot"]["command"]); print()
' "$tmp/nll.json" >"$tmp/oneline"
words() {
	# shellcheck disable=SC2034
	losslab() { printf '<%s>' "$@"; echo; }
	while IFS= read -r line; do
		cmd=$line
		while [ -n "$line" ]; do
			IFS= read -r line || break
			cmd="$cmd
$line"
		done
		eval "$cmd"
	done <"$1"
}
words "$tmp/wrapped" >"$tmp/w1"
words "$tmp/oneline" >"$tmp/w2"
[ -s "$tmp/w1" ] && [ "$(wc -l <"$tmp/w1")" -ge 5 ] && cmp -s "$tmp/w1" "$tmp/w2" &&
    grep -q "'\\\\$" "$tmp/wrapped"
ok $? "text: commands broken inside quoted values read back as the same words"

# ---- JSON against its schema: every lesson, every mode --------------------------
bad=0
for f in "$ldir"/*.lesson; do
	b=$(basename "$f" .lesson)
	"$LOSSLAB" --dump "$f" --format json >"$tmp/j-$b.json" || bad=1
	"$LOSSLAB" --dump "$f" --format json --no-answers >"$tmp/j-$b.s.json" || bad=1
	"$LOSSLAB" --dump "$f" --format json --answers-only >"$tmp/j-$b.k.json" || bad=1
done
ok $bad "JSON dumps of every lesson in the three modes"
$check schema "$top_srcdir/tests/handout.schema.json" "$tmp"/j-*.json >"$tmp/out" 2>&1
ok $? "every JSON dump matches tests/handout.schema.json"
grep -v '^ok' "$tmp/out" | while IFS= read -r l; do diag "$l"; done
# the checker can fail: a dump with a key the schema lacks
sed 's/"format": /"extra": 1, "format": /' "$tmp/j-bce.en.json" >"$tmp/x.json"
! $check schema "$top_srcdir/tests/handout.schema.json" "$tmp/x.json" >/dev/null 2>&1
ok $? "the schema check refuses an unknown key"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["steps"][1]
assert d["answers"] == "none" and s["quiz"]["answer"] is None
assert s["quiz"]["explanation"] is None and s["result"] is None
assert s["quiz"]["choices"] and s["inputs"]["input"]
k = json.load(open(sys.argv[2]))["steps"][1]
assert k["quiz"]["answer"]["choice"] == 3 and k["quiz"]["explanation"]
' "$tmp/j-bce.en.s.json" "$tmp/j-bce.en.k.json"
ok $? "JSON: the student copy has the choices, not the answer; the key has it"

# ---- HTML ----------------------------------------------------------------------
for lang in en zh; do
	"$LOSSLAB" --lang $lang --dump ce --format html --out "$tmp/ce.$lang.html"
	ok $? "ce ($lang): --format html --out"
	n=$(python3 -c '
import json, sys
print(sum(1 for s in json.load(open(sys.argv[1]))["steps"]
          if s["plot"] and s["plot"]["state"] == "ok"))' "$tmp/ce.$lang.json")
	if [ $has_gnuplot -eq 1 ]; then
		$check html "$tmp/ce.$lang.html" "$n" >"$tmp/out" 2>&1
		ok $? "ce ($lang): HTML well-formed, self-contained, A4, $n pictures"
		grep -v '^ok' "$tmp/out" | while IFS= read -r l; do diag "$l"; done
	else
		echo "ok $((tap_n + 1)) # SKIP gnuplot not installed"
		tap_n=$((tap_n + 1))
	fi
done
! grep -qi 'http' "$tmp/ce.en.html" "$tmp/ce.zh.html"
ok $? "HTML of a shipped lesson: not even a namespace address (http)"
grep -q '<html lang="zh-CN">' "$tmp/ce.zh.html" &&
    grep -q 'Noto Sans CJK SC' "$tmp/ce.zh.html"
ok $? "HTML: the Chinese page says zh-CN and has a Chinese font stack"
PATH=/nonexistent "$LOSSLAB" --dump bce --format html >"$tmp/nognuplot.html" 2>"$tmp/err"
[ $? -eq 0 ] && grep -q 'gnuplot is not installed' "$tmp/nognuplot.html" &&
    $check html "$tmp/nognuplot.html" 0 >/dev/null 2>&1
ok $? "HTML without gnuplot: no pictures, and the page says why"

# ---- Markdown ---------------------------------------------------------------------
mkdir "$tmp/md"
"$LOSSLAB" --dump bce --format md --out "$tmp/md/bce.md"
ok $? "bce: --format md --out"
if [ $has_gnuplot -eq 1 ]; then
	bad=0
	for i in 1 2 3 4 5; do
		head -c 200 "$tmp/md/bce-step$i.svg" 2>/dev/null | grep -q '<svg' ||
		    { bad=1; diag "bce-step$i.svg"; }
		grep -qF "(<bce-step$i.svg>)" "$tmp/md/bce.md" || bad=1
	done
	ok $bad "md: bce-stepN.svg beside it, each linked"
fi
"$LOSSLAB" --dump bce --format md >"$tmp/stdout.md" &&
    grep -q '^losslab plot bce-curve' "$tmp/stdout.md" &&
    ! grep -q '\.svg' "$tmp/stdout.md"
ok $? "md on standard output: no pictures, the commands instead"
grep -q '^## Step 1/5: What BCELoss computes$' "$tmp/md/bce.md" &&
    grep -q '^```python$' "$tmp/md/bce.md"
ok $? "md: headings and fenced code"

# ---- the student copy and the key ---------------------------------------------
for lang in en zh; do
	for fmt in text md html json; do
		"$LOSSLAB" --lang $lang --dump bce --format $fmt --no-answers \
		    >"$tmp/s.$lang.$fmt" || echo fail
	done
	$check student "$tmp/bce.$lang.json" "$tmp"/s.$lang.* >"$tmp/out" 2>&1
	ok $? "bce ($lang): the student copies hold no answer text"
	grep -v '^ok' "$tmp/out" | while IFS= read -r l; do diag "$l"; done
	# ... and the checker finds it in the full handout
	! $check student "$tmp/bce.$lang.json" "$tmp/bce.$lang.txt" >/dev/null 2>&1
	ok $? "bce ($lang): (the same check finds the answers in the full text)"
done
grep -q '4) infinitely much' "$tmp/s.en.text" &&
    ! grep -q 'Answer:' "$tmp/s.en.text" && ! grep -q '4.60517' "$tmp/s.en.text"
ok $? "student copy: the choices, no answer, no result of a step that asks"
"$LOSSLAB" --dump bce --answers-only >"$tmp/key"
grep -q 'Answer: 3) about 4.6' "$tmp/key" && ! grep -q 'PyTorch:' "$tmp/key"
ok $? "the key: questions with their answers, nothing else"
"$LOSSLAB" --lang zh --dump bce --no-answers >"$tmp/szh"
grep -q '学生版' "$tmp/szh"
ok $? "the Chinese student copy says so in Chinese"

# ---- a hostile lesson: terminal sequences and markup everywhere -----------------
E=$(printf '\033') B=$(printf '\007')
mkdir -p "$tmp/h"
cat >"$tmp/h/evil.en.lesson" <<EOF
id: evil
lang: en
title: T ${E}]0;pwned${B} <script>alert(1)</script> & 中文
summary: S <img src=http://x/y.png> \`code\` *bold* [a](http://x)
loss: bce-logits

step: <b>Step</b> ${E}[2J one
input: 2.0, -1.0, 0.5
target: 1, 0, 1
predict: <<<
Q </p></pre> <a href="http://x">x</a>?
>>>
choices: yes <i> | no ${E}[31m
answer: 2
explain: <<<
E <style>@import url(http://x);</style>
>>>
text: <<<
N ${E}]0;narrative${B} <svg onload=alert(1)> # not a heading
    indented </pre><script>x</script>
>>>
code: <<<
nn.BCEWithLogitsLoss()(z, y)  # </code></pre> \`\`\`\`
>>>
EOF
# no control byte but newline and tab, valid UTF-8
clean() {
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 &&
	    ! od -An -v -tx1 "$1" | tr -s ' \n' '\n\n' |
	    grep -qE '^(0[0-8b-f]|1[0-9a-f]|7f)$'
}
bad=0
for fmt in text md html json; do
	"$LOSSLAB" --dump "$tmp/h/evil.en.lesson" --format $fmt >"$tmp/h/o.$fmt" 2>"$tmp/h/err" ||
	    { bad=1; diag "$fmt: $(cat "$tmp/h/err")"; }
	clean "$tmp/h/o.$fmt" || { bad=1; diag "$fmt: not clean"; }
done
ok $bad "hostile lesson: every format written, no control character, valid UTF-8"
if [ $has_gnuplot -eq 1 ]; then
	$check html "$tmp/h/o.html" 1 >"$tmp/out" 2>&1
	ok $? "hostile lesson: the HTML is still well-formed and self-contained"
	grep -v '^ok' "$tmp/out" | while IFS= read -r l; do diag "$l"; done
fi
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/h/o.html" &&
    ! grep -q '<script' "$tmp/h/o.html" && ! grep -q '<img' "$tmp/h/o.html"
ok $? "hostile lesson: its markup is shown as text in HTML"
$check schema "$top_srcdir/tests/handout.schema.json" "$tmp/h/o.json" >/dev/null 2>&1 &&
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "<script>alert(1)</script>" in d["lesson"]["title"]
assert "\\x1b]0;pwned" in d["lesson"]["title"]
' "$tmp/h/o.json"
ok $? "hostile lesson: JSON valid, its text kept (control characters escaped)"
grep -qF '\<script\>' "$tmp/h/o.md" && grep -qF '`````python' "$tmp/h/o.md"
ok $? "hostile lesson: Markdown escapes markup, fences outlast the code's backticks"

# ---- bad values ------------------------------------------------------------------
one_line() {
	name=$1
	shift
	"$LOSSLAB" "$@" >"$tmp/o" 2>"$tmp/e"
	st=$?
	[ $st -eq 2 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] &&
	    grep -q '^losslab: ' "$tmp/e" && [ ! -s "$tmp/o" ]
	ok $? "$name: exit 2, one losslab: line"
	[ $st -eq 2 ] || diag "exit $st: $(cat "$tmp/e")"
}
one_line "unknown format" --dump bce --format pdf
one_line "both answer flags" --dump bce --no-answers --answers-only
one_line "--out into a missing folder" --dump bce --out "$tmp/none/x.txt"
one_line "--out a folder" --dump bce --out "$tmp"
one_line "--out empty" --dump bce --out ''
one_line "--format without --dump" --format json
one_line "--no-answers without --dump" --no-answers bce
one_line "unknown lesson" --dump no-such-lesson --format html
ln -s "$tmp/target.txt" "$tmp/link.txt"
one_line "--out a symbolic link" --dump bce --out "$tmp/link.txt"
[ ! -e "$tmp/target.txt" ]
ok $? "--out a symbolic link: nothing written through it"
echo old >"$tmp/old.txt"
"$LOSSLAB" --dump bce --out "$tmp/old.txt" && grep -q '^Step 1/5' "$tmp/old.txt" &&
    [ "$(ls "$tmp" | grep -c losslab-)" -eq 0 ]
ok $? "--out replaces a file whole, no temporary file left"

done_testing
