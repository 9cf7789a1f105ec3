#!/bin/sh
# trainlive.sh -- a lesson step that trains live (tests/tmux.sh): the
# double-sigmoid lesson's training step at 80x24 waits for its question,
# then both runs' chart grows; Space pauses (the epoch stays), s trains one
# epoch, + raises the learning rate, R restarts at epoch 0, Space resumes.
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

# --- keystrokes while it trains (measured, reported, not pass/fail) ----------
start 80 24 LOSSLAB_BENCH_KEYS=500 LOSSLAB_BENCH_TRAIN=1 --
wait_for "training turn"
ok $? "the training-step keystroke benchmark runs"
diag "$(T capture-pane -p -J | grep -A3 "median" | grep -v "^EXITED" | tr -d '\n')"

done_testing
