#!/bin/sh
# ui.sh -- the interactive explorer, driven through tmux like tmux's own
# regress suite: a detached session on a private socket (-L) with a fixed
# size, keys sent with send-keys, the screen read with capture-pane.  Every
# check polls the screen (up to $UI_WAIT seconds) instead of sleeping.
#
# Numbers the screen must show come from `losslab eval ... --json` (the
# same core, checked against PyTorch by tests/cli.sh and test_golden), or
# from the PyTorch reference values in shared/reference/pytorch-losses.md
# (BCEWithLogits([2,-1,0.5],[1,0,1]) = 0.30475557, its double-sigmoid
# pitfall 0.53765386).
#
# Golden screens live in tests/screens/*.txt; GENERATE=1 rewrites them.
# Screens are normalised before comparing: trailing blanks dropped, and
# the plot cut (gnuplot's drawing varies between versions): the right-hand
# pane from its "│" border, the in-line plot from its "plot" heading on.  Skips everything when tmux is missing.
. "${top_srcdir:-.}/tests/tmux.sh"

# --- the lesson list -----------------------------------------------------
start 120 80 -- || exit 1
wait_for "UI test lesson, cross-entropy"
ok $? "the list shows the test lessons"
missing=""
for f in "$top_srcdir"/lessons/*.en.lesson; do
	[ -f "$f" ] || continue
	title=$(sed -n 's/^title:[[:space:]]*//p' "$f" | head -1)
	screen | grep -qF -- "$title" || missing="$missing [$title]"
done
[ -z "$missing" ]
ok $? "the list shows every shipped lesson's title"
[ -n "$missing" ] && diag "missing:$missing"
wait_for "zz-broken.en.lesson:4:"
ok $? "a broken lesson is listed with its file:line: message"
keys '?'
wait_for "losslab help: every key"
ok $? "? opens the help"
keys Escape
wait_gone "losslab help: every key"
ok $? "Esc leaves the help"
keys q
wait_exit
[ "$status" = 0 ]
ok $? "q on the list quits with status 0 (got $status)"

# --- every shipped lesson opens ------------------------------------------
for f in "$top_srcdir"/lessons/*.lesson; do
	[ -f "$f" ] || continue
	id=$(sed -n 's/^id:[[:space:]]*//p' "$f" | head -1)
	lang=$(sed -n 's/^lang:[[:space:]]*//p' "$f" | head -1)
	[ "$lang" = en ] || continue
	n=$(grep -c '^step:' "$f")
	start 100 32 -- "$id"
	wait_for "Step 1/$n:"
	ok $? "lesson $id opens on step 1 of $n"
	keys End
	wait_for "Step $n/$n:"
	ok $? "lesson $id: End reaches step $n"
	keys Q Q
	wait_exit
done

# --- editing: the loss becomes the core's value for the new input --------
start 100 32 -- uitest
wait_for "L = mean of 3 = 0.30475556"
ok $? "uitest step 1 shows the PyTorch value 0.30475556 (mean of 3)"
if [ $have_python -eq 1 ]; then
	want=$(value bce-logits --input 0.75,-1,0.5 --target 1,0,1)
	keys Enter
	wait_for "input[0] ="
	ok $? "Enter opens the cell editor on input[0]"
	keys 0 . 7 5 Enter
	wait_for "L = mean of 3 = $want"
	ok $? "typing 0.75 in input[0] gives eval's value $want"
	want=$(value bce-logits --input 0.85,-1,0.5 --target 1,0,1)
	keys +
	wait_for "L = mean of 3 = $want"
	ok $? "+ nudges input[0] by 0.1: $want"
	want=$(value bce-logits --input 0.85,0,0.5 --target 1,0,1)
	keys Right '>'
	wait_for "L = mean of 3 = $want"
	ok $? "> nudges input[1] by 1.0: $want"
	keys u
	want=$(value bce-logits --input 0.85,-1,0.5 --target 1,0,1)
	wait_for "L = mean of 3 = $want"
	ok $? "u undoes the last edit"
	keys Enter a b c Enter
	wait_for "is not a number"
	ok $? "a bad number is refused with a message"
	screen | grep -qF "L = mean of 3 = $want"
	ok $? "... and the old value is kept"
	keys Enter 9 Escape
	wait_for "edit cancelled"
	ok $? "Esc cancels an edit"
	screen | grep -qF "L = mean of 3 = $want"
	ok $? "... and the value is unchanged"
	keys r
	wait_for "reduction = sum"
	ok $? "r cycles the reduction to sum"
	want=$(value bce-logits --input 0.85,-1,0.5 --target 1,0,1 --reduction sum)
	wait_for "L = sum of 3 = $want"
	ok $? "the sum is eval's $want"
	keys R
	wait_for "L = mean of 3 = 0.30475556"
	ok $? "R resets the step"
else
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do skip "python3 missing"; done
fi

# --- steps, predict first, the pitfall -------------------------------------
keys Space
wait_for "Step 2/3: Predict first"
ok $? "Space goes to the next step"
wait_for "L = mean of 3 = ?"
ok $? "a predict-first step hides the value"
keys 2
wait_for "L = mean of 3 = 0.30475556"
ok $? "answering shows the value"
wait_for "your answer"
ok $? "... and marks the answer"
keys BSpace
wait_for "Step 1/3: Plain values"
ok $? "Backspace goes to the previous step"
keys ]
keys ]
wait_for "Step 3/3: Double sigmoid"
ok $? "] goes forward, to the pitfall step"
wait_for "Pitfall: double-sigmoid"
ok $? "the pitfall step shows the pitfall pane"
if [ $have_python -eq 1 ]; then
	want=$(pvalue double-sigmoid bce-logits --input 2,-1,0.5 --target 1,0,1)
	screen | grep -qF "pitfall double-sigmoid = $want"
	ok $? "the strip shows the pitfall value $want (eval --pitfall)"
	python3 -c "import sys; sys.exit(abs($want - 0.53765386) > 1e-7)"
	ok $? "... which is PyTorch's 0.53765386 (float32 reference)"
else
	skip "python3 missing"
	skip "python3 missing"
fi
screen | grep -q "correct.*pitfall"
ok $? "correct and pitfall columns side by side"
keys '['
wait_for "Step 2/3"
keys '['
wait_for "Step 1/3"
keys p
wait_for "Pitfall: double-sigmoid"
ok $? "p applies the matching pitfall to the learner's own inputs"
screen | grep -qF "pitfall double-sigmoid = "
ok $? "... with the pitfall's value in the result strip"
keys p
wait_gone "Pitfall: double-sigmoid"
ok $? "p again hides it"
golden lesson-100x32-top

# Right at the last column is the next step, Left at the first the previous.
keys Left Left Left
wait_for "This is the first step."
keys Right Right Right
wait_for "Step 2/3: Predict first"
ok $? "Right at the last input column goes to the next step"
keys Left
wait_for "Step 1/3: Plain values"
ok $? "Left at the first column goes back"

# Edits survive moving between lessons.
if [ $have_python -eq 1 ]; then
	want=$(value bce-logits --input 2,-1,3 --target 1,0,1)
	keys Enter 3 Enter
	wait_for "L = mean of 3 = $want"
	ok $? "edited a cell: $want"
	keys n
	wait_for "UI test lesson, cross-entropy"
	ok $? "n opens the next lesson"
	keys N
	wait_for "Step 1/3: Plain values"
	wait_for "L = mean of 3 = $want"
	ok $? "N comes back, and the edit is still there"
else
	for i in 1 2 3; do skip "python3 missing"; done
fi
keys Q Q
wait_exit

# --- the pitfall at 80 columns, golden --------------------------------------
start 80 50 -- uitest
wait_for "Step 1/3"
keys ] ]
wait_for "Pitfall: double-sigmoid"
wait_for "∂L/∂z[2]"
golden pitfall-80x50

# --- cross-entropy: rows, columns, index targets ----------------------------
start 80 24 -- uitest-ce
wait_for "L = mean of 2 = 0.30426384"
ok $? "ce lesson: two samples, mean 0.30426384"
golden ce-80x24
if [ $have_python -eq 1 ]; then
	keys o
	want=$(value ce --input '2,1,0.1;0.2,0.3,2.5;0.2,0.3,2.5' --target 0,2,0)
	wait_for "L = mean of 3 = $want"
	ok $? "o adds a sample (copied row, target 0): $want"
	keys O
	wait_for "L = mean of 2 = 0.30426384"
	ok $? "O removes the selected row (the new one)"
	keys c
	want=$(value ce --input '2,1,0.1,0;0.2,0.3,2.5,0' --target 0,2)
	wait_for "L = mean of 2 = $want"
	ok $? "c adds a class (logits 0): $want"
	keys u
	wait_for "L = mean of 2 = 0.30426384"
	ok $? "u undoes it"
	keys Up Tab Down Enter 1 Enter
	want=$(value ce --input '2,1,0.1;0.2,0.3,2.5' --target 0,1)
	wait_for "L = mean of 2 = $want"
	ok $? "Tab to the targets, edit sample 1's class to 1: $want"
	keys Enter 7 Enter
	wait_for "out of range"
	ok $? "an out-of-range class is refused with the core's message"
else
	for i in 1 2 3 4 5 6; do skip "python3 missing"; done
fi
keys Q Q
wait_exit

# --- the PyTorch line with the learner's values, run by PyTorch itself -------
# Options edited first (weight created, label smoothing typed), then the
# code the screen shows is run by torch and must give the value shown.
start 95 60 -- uitest-ce
wait_for "L = mean of 2 = 0.30426384"
keys Tab Tab Down Enter Down Down Enter 0 . 1 Enter Up Up Right '>'
wait_for "label_smoothing = 0.1"
ok $? "options: Tab, arrows and Enter set label_smoothing to 0.1"
wait_for "weight = [1, 2, 1]"
ok $? "options: Enter creates a weight of ones, > nudges an element by 1"
if /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
	screen >"$tmp/code-screen"
	shown=$(sed -n 's/^.*L = [^=]* = \([-0-9.e+]*\).*$/\1/p' "$tmp/code-screen" | head -1)
	awk '/^PyTorch, with the values above/ { on = 1; next }
	    on && /^$/ { exit }
	    on { sub(/^  /, ""); print }' "$tmp/code-screen" >"$tmp/code.py"
	# Run it; the last statement is the loss expression.
	got=$(/usr/bin/python3 -c '
import ast, sys, torch
from torch import nn
tree = ast.parse(open(sys.argv[1]).read())
last = ast.Expression(tree.body.pop().value)
env = {"torch": torch, "nn": nn}
exec(compile(tree, "code", "exec"), env)
print("%.8g" % eval(compile(last, "code", "eval"), env).item())' \
	    "$tmp/code.py" 2>"$tmp/code.err")
	[ -n "$shown" ] && [ "$got" = "$shown" ]
	ok $? "PyTorch runs the screen's code and gets the value shown ($got vs $shown)"
	[ "$got" = "$shown" ] || { diag "$(cat "$tmp/code.py")"; diag "$(cat "$tmp/code.err")"; }
else
	skip "PyTorch is not installed"
fi
keys Q Q
wait_exit

# --- resizing ---------------------------------------------------------------
start 100 32 -- uitest
wait_for "L = mean of 3 = 0.30475556"
T resize-window -x 60 -y 20 2>/dev/null || T resize-window -t 0 -x 60 -y 20
wait_for "? help"
ok $? "60x20: the hint bar is there"
wait_for "L = mean of 3 = 0.30475556"
ok $? "60x20: the result strip is there"
golden lesson-60x20
T resize-window -x 30 -y 10
wait_for "Terminal too small"
ok $? "30x10: terminal too small"
T resize-window -x 100 -y 32
wait_for "Step 1/3: Plain values"
ok $? "back to 100x32: the lesson again"
keys Q
wait_exit
[ "$status" = 0 ]
ok $? "Q after resizing exits 0"

# --- the smallest size, presenter mode, autoplay, Chinese -------------------------
start 40 12 -- uitest
wait_for "Step 1/3"
ok $? "40x12 (the minimum) still shows the lesson"
keys Enter 1 Enter
wait_for "L = mean of 3 = 0.36"
ok $? "40x12: editing works"
keys Q
wait_for "Q again quits"
ok $? "40x12: Q with an edit not saved asks first"
keys Q
wait_exit
[ "$status" = 0 ]
ok $? "40x12: Q again exits 0"

start 100 32 -- --present uitest
wait_for "The mean of the 3 element losses"
ok $? "presenter mode shows the lesson"
! screen | grep -qF "? help"
ok $? "presenter mode: no hint bar"
screen | grep -qF "█"
ok $? "presenter mode: the value in large figures"
keys Space
wait_for "Is the loss above 0.5?"
ok $? "presenter mode: Space steps"
keys Q Q
wait_exit

start 100 32 -- --autoplay 1 uitest
wait_for "Step 1/3"
wait_for "Step 2/3"
ok $? "--autoplay 1 steps by itself"
keys Q Q
wait_exit

zhfile=$(ls "$top_srcdir"/lessons/*.zh.lesson 2>/dev/null | head -1)
if [ -n "$zhfile" ]; then
	zhid=$(sed -n 's/^id:[[:space:]]*//p' "$zhfile" | head -1)
	zhtitle=$(sed -n 's/^title:[[:space:]]*//p' "$zhfile" | head -1)
	start 160 32 -- --lang zh "$zhid"
	wait_for "$zhtitle"
	ok $? "--lang zh: the Chinese lesson $zhid opens with its title"
	keys Q
	wait_exit
	[ "$status" = 0 ]
	ok $? "--lang zh: Q exits 0"
else
	skip "no Chinese lessons"
	skip "no Chinese lessons"
fi

# --- colour and NO_COLOR ---------------------------------------------------------
start 100 32 -- uitest
wait_for "L = mean of 3"
T capture-pane -p -e >"$tmp/colour"
grep -q '\[3[0-7]m\|\[3[0-7];\|;3[0-7]m\|\[4[0-7]m\|;4[0-7]m\|38;5' "$tmp/colour"
ok $? "colour mode uses colours"
keys Q Q
wait_exit
start 100 32 NO_COLOR=1 -- uitest
wait_for "L = mean of 3"
T capture-pane -p -e >"$tmp/mono"
! grep -q '\[3[0-7]m\|\[3[0-7];\|;3[0-7]m\|\[4[0-7]m\|;4[0-7]m\|38;5\|48;5' "$tmp/mono"
ok $? "NO_COLOR=1: no colour at all"
grep -q '\[7m\|;7m\|\[1m\|;1m' "$tmp/mono"
ok $? "NO_COLOR=1: bold/reverse still mark things"
keys Q Q
wait_exit
start 100 32 -- --no-color uitest
wait_for "L = mean of 3"
T capture-pane -p -e >"$tmp/mono2"
! grep -q '\[3[0-7]m\|\[3[0-7];\|;3[0-7]m\|38;5' "$tmp/mono2"
ok $? "--no-color: no colour"
keys Q Q
wait_exit

# --- leaving a clean terminal -----------------------------------------------------
start 100 32 -- uitest
wait_for "L = mean of 3"
keys q
wait_for "classification losses, explained"
ok $? "q in a lesson goes back to the list"
keys Q Q
wait_exit
[ "$status" = 0 ]
ok $? "q on the list: exit status 0"
grep -q -- '-icanon' "$tmp/stty" || grep -q -- '-echo ' "$tmp/stty"
[ $? -ne 0 ]
ok $? "q: the terminal is back in canonical mode with echo"
wait_for "EXITED"
! screen | grep -qF "L = mean of 3"
ok $? "q: the explorer's screen is gone"

start 100 32 -- uitest
wait_for "L = mean of 3"
keys C-c
wait_exit
[ "$status" = 130 ]
ok $? "SIGINT (^C): exit status 130 (got $status)"
grep -q -- '-icanon' "$tmp/stty"
[ $? -ne 0 ]
ok $? "SIGINT: the terminal is restored"

start 100 32 -- uitest
wait_for "L = mean of 3"
pid=$(pgrep -f "losslab --lessons $tmp/lessons uitest" | head -1)
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	wait_exit
	[ "$status" = 143 ]
	ok $? "SIGTERM: exit status 143 (got $status)"
	grep -q -- '-icanon' "$tmp/stty"
	[ $? -ne 0 ]
	ok $? "SIGTERM: the terminal is restored"
else
	skip "pgrep found no process"
	skip "pgrep found no process"
fi

start 100 32 -- zz-broken
wait_exit
[ "$status" = 2 ]
ok $? "a broken lesson named on the command line: exit status 2"
wait_for "zz-broken.en.lesson:4:"
ok $? "... with its file:line: message"

start 100 32 TERM=no-such-terminal -- uitest
wait_exit
[ "$status" = 2 ]
ok $? "an unknown TERM: exit status 2"
wait_for "losslab: cannot start the terminal interface"
ok $? "... with a one-line losslab: message"

start 100 32 TERM=dumb -- uitest
wait_exit
[ "$status" = 2 ]
ok $? "TERM=dumb: exit status 2"
wait_for "losslab: this terminal cannot move the cursor (TERM=dumb)"
ok $? "... with one losslab: line that points at --dump and eval"

start 100 32 -- no-such-lesson
wait_exit
[ "$status" = 2 ]
ok $? "an unknown lesson: exit status 2"
wait_for "losslab: "
ok $? "... with a one-line losslab: message"

# --- w: the lesson with the learner's values, saved as a new lesson ------------------
if [ $have_python -eq 1 ]; then
	start 100 32 -- uitest
	wait_for "L = mean of 3 = 0.30475556"
	want=$(value bce-logits --input 3,-1,0.5 --target 1,0,1)
	keys Enter 3 Enter
	wait_for "L = mean of 3 = $want"
	keys w
	wait_for "save as a lesson titled: UI test lesson (my values)"
	ok $? "w asks for a title, proposing one"
	keys C-u
	T send-keys -l "Class demo"
	keys Enter
	wait_for "lesson saved, and in the lesson list:"
	ok $? "w saves the lesson, and says it is in the lesson list at once"
	saved="$tmp/xdg/losslab/lessons/uitest-mine.en.lesson"
	[ -s "$saved" ] && grep -qx 'title: Class demo' "$saved"
	ok $? "... as uitest-mine.en.lesson in the user's lesson directory, titled as typed"
	keys Escape
	keys j j
	wait_for "Class demo"
	ok $? "the list shows it without a restart"
	keys Q Q
	wait_exit
	start 100 32 -- "$saved"
	wait_for "Class demo"
	wait_for "L = mean of 3 = $want"
	ok $? "the saved lesson opens with the edited value: $want"
	keys Q Q
	wait_exit
	rm -f "$saved"
else
	for i in 1 2 3; do skip "python3 missing"; done
fi

# --- export -------------------------------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
	start 100 32 -- uitest
	wait_for "L = mean of 3"
	keys e p Enter
	wait_for "plot written to"
	ok $? "e p Enter exports the plot as PNG (issue 13: the format, then the folder)"
	[ -s "$tmp/cwd/losslab-uitest-step1.png" ]
	ok $? "... to losslab-uitest-step1.png in the current directory"
	keys e p Enter
	wait_for "losslab-uitest-step1-2.png"
	ok $? "a second export does not overwrite the first"
	keys E s Enter
	wait_for "plots written to $tmp/cwd"
	[ -s "$tmp/cwd/losslab-uitest-step1.svg" ]
	ok $? "E s Enter exports every plot as SVG"
	keys Q Q
	wait_exit
else
	for i in 1 2 3 4; do skip "gnuplot is not installed"; done
fi

# --- gnuplot is not run on every keystroke; the mark follows the input --------------
# A gnuplot wrapper that counts its runs.
if command -v gnuplot >/dev/null 2>&1 && [ $have_python -eq 1 ]; then
	mkdir -p "$tmp/gp"
	cat >"$tmp/gp/gnuplot" <<EOF
#!/bin/sh
echo run >>"$tmp/gp.log"
exec $(command -v gnuplot) "\$@"
EOF
	chmod +x "$tmp/gp/gnuplot"
	: >"$tmp/gp.log"
	start 100 32 PATH="$tmp/gp:$PATH" -- uitest
	wait_for "each at its value"
	ok $? "the plot marks every element of a small input at its value"
	before=$(wc -l <"$tmp/gp.log")
	keys + + + + + + + + + + + + + + + + + + + +
	want=$(value bce-logits --input 4,-1,0.5 --target 1,0,1)
	wait_for "L = mean of 3 = $want"
	ok $? "20 nudges in a burst: input[0] = 4, $want"
	wait_for "at z = 4"
	ok $? "the plot follows the edited input: its mark at z = 4"
	after=$(wc -l <"$tmp/gp.log")
	runs=$((after - before))
	[ "$runs" -le 3 ]
	ok $? "gnuplot ran $runs times for 20 keystrokes (cached, refreshed when idle)"
	keys Q Q
	wait_exit
else
	for i in 1 2 3 4; do skip "gnuplot or python3 missing"; done
fi

# --- the plot pane without gnuplot ------------------------------------------------
mkdir -p "$tmp/bin"
for p in sh env stty sleep cat; do
	q=$(command -v $p) && ln -sf "$q" "$tmp/bin/$p"
done
start 100 32 PATH="$tmp/bin" -- uitest
wait_for "gnuplot is not installed"
ok $? "without gnuplot the plot pane says so"
wait_for "L = mean of 3 = 0.30475556"
ok $? "... and everything else works"
keys Q Q
wait_exit

# --- keystroke timing (measured, reported, not a pass/fail criterion) --------------
start 100 32 LOSSLAB_BENCH_KEYS=2000 --
wait_for "median"
ok $? "the keystroke benchmark runs"
screen | grep "median" | while IFS= read -r l; do diag "$l"; done

done_testing
