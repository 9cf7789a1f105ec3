#!/bin/sh
# dtype-ui.sh -- the explorer's float32/float64 switch (d) and the lesson
# dtype-errors, driven in tmux (tests/tmux.sh) at 80x24 and 160x48, and
# the lesson's --dump in both languages.
#
# Expected numbers are torch 1.13's, printed by /usr/bin/python3 with
# torch (BCEWithLogitsLoss on z = [20, 10, 2], y = 1 in float32 and
# float64, shown with 6 or 8 significant digits as losslab shows numbers);
# the messages are torch's own first lines of its RuntimeError.  Chinese
# words are read from lessons/dtype-errors.zh.lesson and po/zh_CN.po.
. "${top_srcdir:-.}/tests/tmux.sh"

# torch: nn.BCEWithLogitsLoss()(z, y) in float32 0.0423244871199131, in
# float64 0.042324470667781056; element 0 float32 0.0, float64
# 2.0611536900435727e-09 (2.06e-09 in the table's 3 digits)
L32="L = mean of 3 = 0.042324487"
L64="L = mean of 3 = 0.042324471"

# 160x48: step 8, its question answered, then d, u
start 160 48 -- dtype-errors || exit 1
wait_for "Step 1/8: BCELoss with a Long target  [float32; target int64]"
ok $? "160x48: the step header shows the dtypes"
keys End
wait_for "Step 8/8: What float32 does to the numbers  [float32]"
ok $? "... step 8 starts in float32 (the lesson's dtype: float32)"
keys 1
wait_for "$L32"
ok $? "... float32: torch's value"
wait_for "float32, computed as torch computes float32"
ok $? "... and the results say it is torch's float32 arithmetic"
screen | grep -q "loss of element 0 is 0, its gradient 0"
ok $? "... the narrative: element 0 costs exactly 0"
wait_for "dtype=torch.float32)"
ok $? "... the PyTorch lines say dtype=torch.float32"
screen | grep -q "d float64"
ok $? "... the footer offers d float64"
keys d
wait_for "Step 8/8: What float32 does to the numbers  [float64]"
ok $? "d: the header says float64"
wait_for "$L64"
ok $? "... torch's float64 value"
screen | grep -q " 2.06e-09 "
ok $? "... element 0 is 2.06e-09 in the table"
screen | grep -q "element 0 costs 2.06115e-09"
ok $? "... the narrative follows"
screen | grep -q "Not quite"
ok $? "... the live quiz verdict follows (the right choice is now 'a small positive number')"
screen | grep -q "dtype=torch.float64)" && ! screen | grep -q "dtype=torch.float32)"
ok $? "... the PyTorch lines say float64"
screen | grep -q "float64 (u undoes it)"
ok $? "... and the status line says what d did"
screen | grep -q '{?'
[ $? -ne 0 ]
ok $? "... no unrendered placeholder"
keys u
wait_for "$L32"
ok $? "u: back to float32"
keys Q Q
wait_exit

# 80x24: step 1's refusal, after the answer, in both dtypes
start 80 24 -- dtype-errors || exit 1
wait_for "Step 1/8"
screen | grep -q "Found dtype Long"
[ $? -ne 0 ]
ok $? "80x24: before the answer, torch's refusal is hidden (it is the question)"
keys 2
wait_for "Found dtype Long but expected Float"
ok $? "... answered: torch's message for a float32 input"
keys d
wait_for "Found dtype Long but expected Double"
ok $? "... d: the message names Double, as torch's does for float64"
wait_for "[float64; target int64]"
ok $? "... the header says so"
keys Q Q
wait_exit

# 80x24: ce with float and int32 indices, bce-logits with Long
start 80 24 -- dtype-errors || exit 1
wait_for "Step 1/8"
keys ] ]
wait_for "expected scalar type Long but found Float"
ok $? "step 3: CrossEntropyLoss with float indices, torch's message"
keys ]
wait_for "expected scalar type Long but found Int"
ok $? "step 4: int32 indices"
keys ] ]
wait_for "result type Float can't be cast"
ok $? "step 6: BCEWithLogitsLoss with a Long target"
keys Q Q
wait_exit

# a training step: d says its runs are float64
start 80 24 -- training || exit 1
wait_for "Step 1/"
keys ] ]
wait_for "Step 3/"
keys d
wait_for "the training runs compute in float64"
ok $? "d on a training step says its runs are float64"
keys Q Q
wait_exit

# the Chinese lesson and interface
zhtitle=$(sed -n 's/^title: //p' "$top_srcdir/lessons/dtype-errors.zh.lesson")
start 80 24 -- --lang zh dtype-errors || exit 1
wait_for "$zhtitle"
ok $? "--lang zh: the Chinese lesson"
keys End 1 d
wait_for "[float64]"
ok $? "... d switches it too"
want=$(awk '/^msgid "float64 \(u undoes it\)"/ { getline; sub(/^msgstr "/, ""); sub(/"$/, ""); print }' "$top_srcdir/po/zh_CN.po")
wait_for "$want"
ok $? "... in Chinese: $want"
keys Q Q
wait_exit

# --dump in both languages
for lang in en zh; do
	"$LOSSLAB" --lessons "$tmp/lessons" --lang $lang --dump dtype-errors \
	    >"$tmp/dump.$lang" 2>"$tmp/err"
	ok $? "--dump dtype-errors --lang $lang"
	# the text joined, as messages may wrap
	tr '\n' ' ' <"$tmp/dump.$lang" | tr -s ' ' >"$tmp/flat.$lang"
	for m in "Found dtype Long but expected Float" \
	    "expected scalar type Long but found Float" \
	    "expected scalar type Long but found Int" \
	    "result type Float can't be cast to the desired output type Long"; do
		grep -qF "$m" "$tmp/flat.$lang"
		ok $? "... ($lang) has torch's message: $m"
	done
	[ "$(grep -c 'float32' "$tmp/dump.$lang")" -gt 8 ]
	ok $? "... ($lang) says the steps are float32"
done
head -1 "$tmp/dump.zh" | grep -qF "$zhtitle"
ok $? "the Chinese dump is the Chinese lesson"

done_testing
