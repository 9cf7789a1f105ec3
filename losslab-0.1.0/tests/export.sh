#!/bin/sh
# export.sh -- e and E in the explorer (tests/tmux.sh): the format is asked
# (p PNG, s SVG, d PDF), then the folder (the current one proposed); a file
# is never overwritten and a symbolic link never written through (the next
# free name is taken); E writes every plot of the lesson; the status line
# says where; a missing folder is one message.
. "${top_srcdir:-.}/tests/tmux.sh"

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "1..0 # SKIP gnuplot is not installed"
	exit 0
fi
out=$tmp/out
mkdir -p "$out"
echo keep >"$out/losslab-bce-step1.png"
ln -s "$tmp/target-of-link" "$out/losslab-bce-step1-2.png"

start 120 40 -- bce || exit 1
wait_for "Step 1/"
keys e
wait_for "export this plot as: p PNG   s SVG   d PDF"
ok $? "e asks for the format"
keys p
wait_for "into the folder: $tmp/cwd"
ok $? "... then the folder, the current one proposed"
keys C-u
T send-keys -l "$out"
keys Enter
wait_for "plot written to $out/losslab-bce-step1-3.png"
ok $? "an existing file and a symbolic link are passed over: step1-3.png"
[ "$(cat "$out/losslab-bce-step1.png")" = keep ] && [ ! -e "$tmp/target-of-link" ] &&
    [ -L "$out/losslab-bce-step1-2.png" ]
ok $? "... the file is untouched, nothing written through the link"
[ "$(head -c 4 "$out/losslab-bce-step1-3.png" | od -An -tx1 | tr -d ' \n')" = 89504e47 ]
ok $? "... and the export is a PNG"
keys E
wait_for "export every plot of the lesson as"
keys s
wait_for "into the folder: $out"
ok $? "E: the folder of the last export is proposed"
keys Enter
wait_for "5 plots written to $out"
ok $? "E writes every plot of the lesson (5 steps)"
n=$(ls "$out"/losslab-bce-step*.svg 2>/dev/null | wc -l)
[ "$n" -eq 5 ] && grep -q "<svg" "$out/losslab-bce-step2.svg"
ok $? "... five SVGs, step 2's too (its question unanswered on screen)"
keys e d C-u
T send-keys -l "$tmp/no/such/folder"
keys Enter
wait_for "export failed: $tmp/no/such/folder: No such file or directory"
ok $? "a missing folder: one message"
keys e Escape
wait_for "nothing exported"
ok $? "Esc after e: nothing exported"
keys Q Q
wait_exit

done_testing
