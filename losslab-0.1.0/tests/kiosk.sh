#!/bin/sh
# kiosk.sh -- --autoplay as a kiosk (tests/tmux.sh): a predict-first
# question is shown, then its answer revealed; edits are off while it plays
# and Space pauses and resumes it; --loop starts again at step 1 with the
# questions unanswered; without --loop it ends at the last step and says so.
. "${top_srcdir:-.}/tests/tmux.sh"

start 100 30 -- --autoplay 0.6 --loop bce || exit 1
wait_for "Step 2/5"
wait_for "Predict first: press 1-4"
ok $? "autoplay: step 2's question is shown first"
wait_for "3) about 4.6   ✓"
ok $? "... then its answer is revealed"
wait_for "Step 3/5"
ok $? "... then the next step"
keys +
wait_for "autoplay is playing: Space pauses it"
ok $? "an edit while it plays is refused, saying how to pause"
keys Space
wait_for "autoplay paused"
s=$(screen | grep -o "Step [0-9]/5" | head -1)
sleep 1.5
[ "$(screen | grep -o "Step [0-9]/5" | head -1)" = "$s" ]
ok $? "Space pauses: the step stays ($s)"
keys Space
wait_for "autoplay resumed"
ok $? "Space resumes"
wait_for "Step 5/5"
wait_for "Step 1/5"
ok $? "--loop: after the last step, step 1 again"
wait_for "Step 2/5"
wait_for "Predict first: press 1-4"
ok $? "... with the question asked again"
keys Q Q
wait_exit

start 100 30 -- --autoplay 0.3 bce || exit 1
wait_for "autoplay has ended: this is the last step"
ok $? "without --loop: it ends at the last step and says so"
screen | grep -q "Step 5/5"
ok $? "... on step 5"
keys Q Q
wait_exit

"$LOSSLAB" --loop bce >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^losslab: --loop goes with --autoplay SECS" "$tmp/err"
ok $? "--loop alone: exit 2 with a message"

done_testing
