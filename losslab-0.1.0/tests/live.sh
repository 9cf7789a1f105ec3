#!/bin/sh
# live.sh -- the explorer stays true after every edit: the cases of the
# live-lessons issue, driven as a learner would in tmux (tests/tmux.sh).
# Numbers come from `losslab eval --json` (the core, checked against
# PyTorch by test_golden) where the screen must show them.
. "${top_srcdir:-.}/tests/tmux.sh"

# bce, step 1: p[0] = 1.1 -- torch's refusal where the numbers were, and in
# the PyTorch lines; the plot pane says why there is no plot
start 120 45 -- bce || exit 1
wait_for "Step 1/"
keys Enter C-u
T send-keys -l "1.1"
keys Enter
wait_for "torch refuses these values: all elements of input should be between 0 and 1"
ok $? "bce, p[0] = 1.1: the narrative gives torch's refusal"
screen | grep -q '{?'
[ $? -ne 0 ]
ok $? "... and no unrendered placeholder"
wait_for "(no plot: torch refuses these values"
ok $? "... the plot pane says why it has no plot"
keys C-d C-d
wait_for "# torch raises: all elements of input should be between 0 and 1"
ok $? "... the PyTorch lines with the values end with what torch raises"
keys Q Q
wait_exit

# ce: removing the class a target names is refused, the target stays 2
start 120 45 -- ce
wait_for "Step 1/"
keys C
wait_for "class 0 is the target of sample 0"
ok $? "ce, C on class 0: refused, saying which sample names it"
screen | grep -q '{?'
[ $? -ne 0 ]
ok $? "... no unrendered placeholder"
keys Space v l l C
wait_for "class 2 is the target of sample 0"
ok $? "ce step 2, C on class 2: refused (the target is not silently changed)"
keys Tab
wait_for "target y (class index)"
screen | grep -Eq 's0 .* s0 +2( |$)'
ok $? "... the target of sample 0 still reads 2"
keys Q Q
wait_exit

# bce, step 2: p[3] = 0.5 and "about 4.6" is no longer right
start 120 45 -- bce
wait_for "Step 1/"
keys Space
wait_for "Step 2/"
keys l l l Enter C-u
T send-keys -l "0.5"
keys Enter
keys 3
wait_for "Not quite"
ok $? "bce step 2, p[3] = 0.5, answer 3 (about 4.6): not right"
screen | grep -q 'Right!'
[ $? -ne 0 ]
ok $? "... and never 'Right!' beside -log(0.5)"
want=$(value bce --input 0.2,0.9,0.7,0.5 --target 0,1,1,1 --reduction none 2>/dev/null | head -1)
wait_for "✓"
ok $? "... the choice that fits the values on screen is marked"
keys R
wait_for "question unanswered"
ok $? "R resets the values and asks again"
keys 3
wait_for "Right!"
ok $? "... and with the lesson's values 'about 4.6' is right"
keys 7
wait_for "already answered (R asks again)"
ok $? "a second answer is refused with a reason"
keys Q Q
wait_exit

# predict first means hidden: no plot, floor or pitfall curve before the answer
start 120 45 -- softmax-then-ce
wait_for "Step 1/"
keys Space Space
wait_for "Step 3/"
wait_for "(the plot appears once you have answered)"
ok $? "softmax-then-ce step 3: no plot before the answer"
screen | grep -Eq '0\.551'
[ $? -ne 0 ]
ok $? "... and no floor value on screen"
keys 2
wait_gone "(the plot appears once you have answered)"
ok $? "... the plot appears with the answer"
keys Q Q
wait_exit
start 120 45 -- double-sigmoid
wait_for "Step 1/"
wait_for "(the plot appears once you have answered)"
ok $? "double-sigmoid step 1: no pitfall curve before the answer"
screen | grep -Fq "(The explanation appears once you have answered.)"
ok $? "... nor the explanation"
keys Q Q
wait_exit

# pitfalls only where they apply: bce offers BCELoss on logits, with its
# gradients labelled by what they are taken with respect to
start 120 45 -- bce
wait_for "Step 1/"
keys p
wait_for "pitfall bce-on-logits on your inputs"
ok $? "bce: p shows BCELoss on logits"
wait_for "correct: nn.BCEWithLogitsLoss()(z, y)"
ok $? "... its correct side is BCEWithLogitsLoss of the values read as logits"
wait_for "∂L/∂z"
ok $? "... gradients labelled dL/dz"
screen | grep -q 'naive-float32'
[ $? -ne 0 ]
ok $? "... and naive-float32 is not offered on probabilities"
keys P
wait_for "bce-on-logits is the only pitfall for bce"
ok $? "P says there is no other"
keys Q Q
wait_exit
start 120 45 -- kl-div
wait_for "Step 1/"
keys p
wait_for "no pitfall applies to kl-div"
ok $? "kl-div: p says that no pitfall applies"
keys Q Q
wait_exit

# plots that match the step: the true class's score, the live class
# count, the mark at the loss the tables show
if command -v gnuplot >/dev/null 2>&1; then
	start 130 45 -- margin-losses
	wait_for "Step 1/"
	wait_for "MultiMarginLoss of sample 0 as z[0][3] varies (C = 4)"
	ok $? "margin-losses: the plot follows the true class's score, with C = 4"
	keys Space 1
	wait_for "Step 2/"
	wait_for "ℓ[0] = 0 at z = 2"
	ok $? "... step 2: the mark sits at the loss shown, exactly 0"
	keys c
	wait_for "(C = 5)"
	ok $? "... a class added: the title says C = 5"
	keys Q Q
	wait_exit
	start 130 50 -- double-sigmoid
	wait_for "Step 1/"
	keys Space Space 2
	wait_for "floor of ℓ[0] for this target = 0.3133"
	ok $? "double-sigmoid step 3: the plot's floor says it is one element's"
	wait_for "lowest possible L (these targets)"
	ok $? "... and the pane's figure says it is L for these targets"
	keys Q Q
	wait_exit
	start 140 45 -- kl-div
	wait_for "Step 1/"
	wait_for "each marked input value (other values fixed)"
	ok $? "kl-div: the plot is drawn from the step's own values"
	keys Q Q
	wait_exit
else
	for i in 1 2 3 4 5 6; do skip "gnuplot is not installed"; done
fi

# code stays code: a trailing comment that does not fit goes above its line
start 80 40 -- bce
wait_for "Step 1/"
keys C-d C-d
wait_for "PyTorch"
screen | grep -Eq '^  [a-z_]+$'
[ $? -ne 0 ]
ok $? "no word of a comment alone on a line of the code pane"
keys Q Q
wait_exit

done_testing
