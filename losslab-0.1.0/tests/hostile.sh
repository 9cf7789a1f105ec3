#!/bin/sh
# hostile.sh -- text from files, lessons, arguments and gnuplot reaches the
# terminal escaped (src/safeout.c): lessons whose title, summary, step
# titles, narrative, question, choices, explanation and code carry OSC 0
# (retitle), OSC 52 (clipboard), CSI 2 J (clear), C1 controls, and file
# names with ESC and invalid UTF-8, through --dump, `lessons` (the user's
# directory and --lessons DIR) and `lessons --check`; eval, plot and
# global-option messages quoting such arguments and @FILE contents; a
# gnuplot whose text plot holds C1 controls and invalid UTF-8.  Nothing
# printed may hold an ESC, another C0 control (newline and tab aside), DEL,
# a C1 control or invalid UTF-8, and the escapes (\x1b, \u009b, \xff) show.
. "${top_srcdir:-.}/tests/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-hostile.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
XDG_DATA_HOME=$tmp/xdg
export XDG_DATA_HOME
LC_ALL=C.UTF-8
export LC_ALL

E=$(printf '\033') B=$(printf '\007') C1=$(printf '\302\233') X=$(printf '\377')
NL='
'

# clean FILE...: valid UTF-8 with no control but newline and tab
clean() {
	for f in "$@"; do
		iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || return 1
		od -An -v -tx1 "$f" | tr -s ' \n' '\n\n' | awk '
		    /^(0[0-8b-f]|1[0-9a-f]|7f)$/ { bad = 1 }
		    prev == "c2" && /^[89][0-9a-f]$/ { bad = 1 }
		    { prev = $0 } END { exit bad }' || return 1
	done
	return 0
}

# shows FILE TEXT...: every TEXT (fixed strings) is in FILE
shows() {
	f=$1
	shift
	for s in "$@"; do
		grep -qF -- "$s" "$f" || { diag "missing: $s"; return 1; }
	done
	return 0
}

# run ARGS...: the program, stdout and stderr into $tmp/out and $tmp/err
run() {
	"$LOSSLAB" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	st=$?
}

# result NAME COND: ok, with what was printed when not
result() {
	ok "$2" "$1"
	if [ "$2" -ne 0 ]; then
		diag "exit $st; stdout:"
		diag "$(od -c "$tmp/out" | head -20)"
		diag "stderr:"
		diag "$(od -c "$tmp/err" | head -20)"
	fi
}

# one_line NAME FRAGMENT ARGS...: exit 2, one clean "losslab: " line on
# stderr showing FRAGMENT, nothing on stdout
one_line() {
	name=$1 frag=$2
	shift 2
	run "$@"
	[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	    grep -q '^losslab: ' "$tmp/err" && clean "$tmp/err" &&
	    shows "$tmp/err" "$frag"
	result "$name" $?
}

# --- a lesson with terminal sequences everywhere ------------------------------
mkdir -p "$XDG_DATA_HOME/losslab/lessons" "$tmp/dir"
hostile() {	# hostile ID: the lesson, on stdout
	cat <<EOF
id: $1
lang: en
title: T ${E}]0;pwned${B} title ${C1}2J 中文
summary: S ${E}]52;c;aGk=${B} summary ${E}[2J
loss: bce-logits

step: Step ${E}[2J one
input: 2.0, -1.0, 0.5
target: 1, 0, 1
predict: <<<
Q ${E}]0;question${B}?
>>>
choices: yes ${E}[31m | no ${C1}0m
answer: 2
explain: <<<
E ${E}]0;explain${B}
>>>
text: <<<
N ${E}]0;narrative${B} and ${C1}x	tab 交叉熵
>>>
code: <<<
nn.BCEWithLogitsLoss()(z, y)  # ${E}]0;code${B}
>>>
EOF
}
hostile hostile >"$XDG_DATA_HOME/losslab/lessons/hostile.en.lesson"
hostile evil >"$tmp/dir/evil${E}]0;fn${B}.en.lesson"
printf 'id: badkey\ntitle: x\nloss: bce\ncolo%s]0;k%sr: red\nstep: one\ninput: 0.5\ntarget: 1\ntext: x\ncode: x\n' \
    "$E" "$B" >"$tmp/dir/bad${X}key.en.lesson"
printf 'id: inv\ntitle: Caf\351\nloss: bce\n' >"$tmp/dir/inv${E}[2J.en.lesson"
printf 'id: ph\ntitle: p\nloss: bce-logits\nstep: one\ninput: 1\ntarget: 1\ntext: see {val%s[2Jue} %s\ncode: x\n' \
    "$E" "$C1" >"$tmp/dir/ph${E}]0;x${B}.en.lesson"

run --dump "$XDG_DATA_HOME/losslab/lessons/hostile.en.lesson"
[ $st -eq 0 ] && clean "$tmp/out" "$tmp/err" &&
    shows "$tmp/out" 'T \x1b]0;pwned\x07 title \u009b2J 中文' \
    'S \x1b]52;c;aGk=\x07 summary \x1b[2J' 'Step 1/1: Step \x1b[2J one' \
    'Q \x1b]0;question\x07?' '1) yes \x1b[31m' '2) no \u009b0m' \
    'E \x1b]0;explain\x07' 'N \x1b]0;narrative\x07 and \u009bx' \
    '# \x1b]0;code\x07' '交叉熵'
result "--dump: title, summary, step, question, choices, answer, narrative, code escaped" $?
grep -q '	tab' "$tmp/out"
ok $? "--dump: a tab in the narrative stays"
# the underline is as wide as the escaped heading shows
awk '/^Step 1\/1: / { w = length($0); getline; exit !(length($0) == w) }' "$tmp/out"
ok $? "--dump: a step heading's underline is as wide as its escaped title"
run --dump hostile
[ $st -eq 0 ] && clean "$tmp/out" "$tmp/err" && shows "$tmp/out" '\x1b]0;pwned\x07'
result "--dump ID from the user's lesson directory is escaped" $?

run --lessons "$tmp/dir" lessons
[ $st -eq 0 ] && clean "$tmp/out" "$tmp/err" &&
    shows "$tmp/out" 'hostile ' 'T \x1b]0;pwned\x07 title \u009b2J 中文' \
    "evil\\x1b]0;fn\\x07.en.lesson" 'bad\xffkey.en.lesson' \
    "unknown key 'colo\\x1b]0;k\\x07r'" 'inv\x1b[2J.en.lesson:2: invalid UTF-8'
result "lessons: titles, file names and errors of the user's directory and --lessons DIR escaped" $?

run lessons --check "$tmp/dir"
[ $st -eq 2 ] && clean "$tmp/out" "$tmp/err" &&
    shows "$tmp/err" "bad\\xffkey.en.lesson:4: unknown key 'colo\\x1b]0;k\\x07r'" \
    'inv\x1b[2J.en.lesson:2: invalid UTF-8' \
    'ph\x1b]0;x\x07.en.lesson:4: step 1: text: ' '{val\x1b[2Jue}'
result "lessons --check: parse errors, file names and quoted placeholders escaped" $?
[ "$(grep -c '' "$tmp/err")" -eq "$(grep -c '^[^ ]*\.lesson:' "$tmp/err")" ]
ok $? "lessons --check: every problem is one line"
one_line "--dump of a broken hostile file: one escaped line" \
    "unknown key 'colo\\x1b]0;k\\x07r'" --dump "$tmp/dir/bad${X}key.en.lesson"
one_line "--dump of an unknown id with an OSC 52" 'no\x1b]52;c;aGk=\x07' \
    --dump "no${E}]52;c;aGk=${B}"
one_line "lessons --check of a missing path with ESC" 'x\x1b[2J\xff' \
    lessons --check "$tmp/x${E}[2J${X}"
one_line "lessons: an unknown argument with C1" "'\\u009b2J'" lessons "${C1}2J"

# --- eval: arguments and @FILE -------------------------------------------------
one_line "eval --input @FILE: the file name escaped" \
    "cannot read 'x\\x1b]0;t\\x07\\u009b\\xff'" \
    eval ce --input "@x${E}]0;t${B}${C1}${X}" --target 0
printf '1,2\n3,%s[2J%s\n' "$E" "$C1" >"$tmp/vals"
one_line "eval --input @FILE: the file's contents escaped" \
    "'\\x1b[2J\\u009b' is not a number" eval ce --input "@$tmp/vals" --target 0,1
one_line "eval: an unknown loss with OSC 0" "unknown loss '\\x1b]0;x\\x07'" \
    eval "${E}]0;x${B}" --input 1 --target 1
one_line "eval: a newline in an argument stays on the line" "'a\\nb'" \
    eval "a${NL}b" --input 1 --target 1
one_line "eval: an unknown option with CSI" "'--\\x1b[2J'" \
    eval ce --input 1 --target 0 "--${E}[2J"
one_line "eval --reduction with invalid UTF-8" '\xff\xfe is not a valid' \
    eval bce --input 0.5 --target 1 --reduction "$(printf '\377\376')"
one_line "eval --weight with C1" "'\\u009b1' is not a number" \
    eval ce --input 1,2 --target 0 --weight "${C1}1,2"
one_line "global --lang with OSC 0" "'\\x1b]0;x\\x07'" --lang "${E}]0;x${B}"
one_line "global: unexpected argument with CSI" "'\\x1b[2J'" bce "${E}[2J"

# --- plot: messages and gnuplot's text ---------------------------------------
one_line "plot: an unknown plot id with OSC 0 shows it escaped" \
    "unknown plot '\\x1b]0;x\\x07'" plot "${E}]0;x${B}"
one_line "plot --size with invalid UTF-8" "got '\\xff'" plot bce-curve --size "$X"
one_line "plot --loss with C1 (cell mode)" "unknown loss '\\u009b'" \
    plot ce-curve --input 1,2 --target 0 --loss "$C1"
mkdir "$tmp/bin"
cat >"$tmp/bin/gnuplot" <<'EOF'
#!/bin/sh
cat >/dev/null
printf '\f  loss \302\233 2J \377 ok \233 \303\n'
printf '  |      *   \033]0;x\007 |\n  +------------+\n'
EOF
chmod +x "$tmp/bin/gnuplot"
PATH=$tmp/bin:$PATH "$LOSSLAB" plot bce-curve --size 40x12 >"$tmp/out" \
    2>"$tmp/err" </dev/null
st=$?
if [ $st -eq 0 ]; then
	clean "$tmp/out" "$tmp/err" && shows "$tmp/out" '\u009b' '\x9b'
else
	# a gnuplot whose output is refused: one clean line
	[ $st -eq 2 ] && clean "$tmp/out" "$tmp/err" &&
	    [ "$(wc -l <"$tmp/err")" -eq 1 ]
fi
result "plot: a gnuplot printing C1 controls and invalid UTF-8 does not reach the terminal raw" $?

done_testing
