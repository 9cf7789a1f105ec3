#!/bin/sh
# trainlive.sh -- a lesson step that trains live (tests/tmux.sh): the
# double-sigmoid lesson's training step at 80x24 waits for its question,
# then both runs' chart grows; Space pauses (the epoch stays), s trains one
# epoch, + raises the learning rate, R restarts at epoch 0 (with other
# values the question says its answer is the lesson's; with the lesson's
# the runs are losslab train's again), Space resumes.
. "${top_srcdir:-.}/tests/tmux.sh"

# the epoch on screen ("epoch 42/300")
epoch() { screen | sed -n 's/.*epoch \([0-9]*\)\/300.*/\1/p' | head -1; }

start 80 24 -- double-sigmoid || exit 1
wait_for "step 1/6"
keys End
wait_for "Step 6/6: What it does to training"
wait_for "Training starts once you have answered the question"
ok $? "the training step waits for its predict-first question"
keys 1
wait_for "▶ training"
ok $? "answered: it trains"
wait_for "correct: bce-logits"
screen | grep -q "pitfall: double-sigmoid"
ok $? "the correct run and the pitfall run side by side"
screen | grep -q "^\* correct loss (both judged by it)"
ok $? "the whole chart fits 80x24 (its legend is on screen)"
e1=$(epoch)
sleep 1
e2=$(epoch)
[ -n "$e1" ] && [ -n "$e2" ] && [ "$e2" -ge $((e1 + 20)) ]
ok $? "it grows: epoch $e1, a second later $e2 (at least 20 a second)"
n1=$(screen | grep -o '\*' | wc -l)
sleep 0.5
n2=$(screen | grep -o '\*' | wc -l)
[ "$n2" -gt "$n1" ]
ok $? "the curves get longer ($n1 then $n2 points)"
keys Space
wait_for "❚❚ paused"
e1=$(epoch)
sleep 1
e2=$(epoch)
[ -n "$e1" ] && [ "$e1" = "$e2" ]
ok $? "Space pauses: the epoch stays ($e1)"
keys s
wait_for "epoch $((e1 + 1))/300"
ok $? "s trains one epoch ($e1 -> $((e1 + 1)))"
keys +
wait_for "lr 1  momentum 0.9"
ok $? "+ raises the learning rate to the next 1-2-5 value (0.5 -> 1)"
keys '>'
wait_for "momentum stays 0.9 (0 to 0.9 here)"
ok $? "> does not take the momentum to 1"
keys '<'
wait_for "lr 1  momentum 0.8"
ok $? "< lowers the momentum"
keys R
wait_for "epoch 0/300  lr 1  momentum 0.8"
ok $? "R restarts both runs at epoch 0 with the values set"
wait_for "restarted from the same initial parameters"
ok $? "... and says so"
# R keeps the screen true: the runs on screen are no longer the lesson's
# settings', which the answer (the forecast of lr 0.5, momentum 0.9) is
# about -- the question says so; back to those values and R, the runs are
# the lesson's again (the note goes) and train as `losslab train` does
# (its trajectories are torch's: tests/train_golden.txt)
wait_for "This question is about the runs with the lesson's"
ok $? "after R with other values the question says its answer is about the lesson's"
keys - '>'
wait_for "lr 0.5  momentum 0.9"
keys R
wait_for "epoch 0/300  lr 0.5  momentum 0.9"
wait_gone "This question is about the runs with the lesson's"
ok $? "R with the lesson's values again: the runs are the lesson's, the note goes"
keys s s s
wait_for "epoch 3/300"
if [ $have_python -eq 1 ]; then
	want=$("$LOSSLAB" train --data xor --model mlp --hidden 8 \
	    --loss bce-logits --pitfall double-sigmoid --lr 0.5 \
	    --momentum 0.9 --epochs 3 --json | python3 -c '
import json, sys
j = json.load(sys.stdin)
h, p = j["history"][3], j["pitfall"]["history"][3]
g = lambda v, n: "%.*g" % (n, v)
print("loss %s  acc %s%%|loss %s (own %s)  acc %s%%" % (g(h["correct_loss"], 4),
    g(100 * h["accuracy"], 3), g(p["correct_loss"], 4), g(p["loss"], 4),
    g(100 * p["accuracy"], 3)))')
	wait_for "${want%%|*}" && screen | grep -qF "${want#*|}"
	ok $? "... and after 3 epochs both runs are losslab train's ($want)"
else
	skip "python3 missing: the restarted runs' numbers"
fi
keys Space
wait_for "▶ training"
sleep 0.5
e1=$(epoch)
[ -n "$e1" ] && [ "$e1" -gt 0 ]
ok $? "Space resumes (epoch $e1)"
keys Home
wait_for "step 1/6"
keys End
wait_for "step 6/6"
e2=$(epoch)
[ -n "$e2" ] && [ "$e2" -ge "$e1" ]
ok $? "the runs are kept while the learner looks at another step"
keys Q Q
wait_exit
[ "$status" = 0 ]
ok $? "it quits cleanly"

# --- b: the decision maps (multilabel data: the labels predicted) ---------
start 80 24 -- ce-for-multilabel || exit 1
wait_for "step 1/"
keys End
wait_for "What it does to training"
keys 1
wait_for "▶ training"
keys b
wait_for "1 2 4 = labels 0 1 2"
ok $? "b: the decision map of multilabel data, its legend"
# the map's 10 rows (below "correct: ..."): region chars and point digits
map=$(screen | sed -n '/^correct: /,/^loss /p' | sed '1d;$d')
[ "$(printf '%s\n' "$map" | wc -l)" -eq 10 ] &&
    printf '%s\n' "$map" | grep -q '^[.:~^;,=0-7-]*$' &&
    printf '%s' "$map" | grep -q '[0-7]' && printf '%s' "$map" | grep -q '[.:~^;,=-]'
ok $? "... 10 rows of predicted labels with the points' digits over them"
keys b
wait_for "o its own loss" || wait_for "* loss  + accuracy"
ok $? "b again: the curves"
keys Q Q
wait_exit

# --- keystrokes while it trains (measured, reported, not pass/fail) ----------
# (its forecast trains 2 x 10000 epochs first, and the loop sleeps as in
# poll between keys: seconds on a loaded machine)
start 80 24 LOSSLAB_BENCH_KEYS=500 LOSSLAB_BENCH_TRAIN=1 --
wait=$UI_WAIT
UI_WAIT=120
wait_for "training turn"
ok $? "the training-step keystroke benchmark runs"
UI_WAIT=$wait
diag "$(T capture-pane -p -J | grep -A3 "median" | grep -v "^EXITED" | tr -d '\n')"

done_testing
