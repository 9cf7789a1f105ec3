#!/bin/sh
# plotpane.sh -- the explorer's plot never blocks the keys (tests/tmux.sh):
# one gnuplot serves a whole session; a gnuplot that hangs leaves the
# numbers live while the pane says what it is waiting for, and is killed at
# its timeout; one that dies is reported and replaced; Ctrl-C during a hang
# exits at once and leaves no gnuplot behind.  The fakes are shell scripts
# first in PATH.
. "${top_srcdir:-.}/tests/tmux.sh"

fake=$tmp/fake
mkdir -p "$fake"
marker="sleep 3600.$$"	# what the hung fake runs, to find it

# The explorer's pid (the child of the pane's shell) and its children.
explorer_pid() {
	sh_pid=$(T list-panes -F '#{pane_pid}' 2>/dev/null | head -1)
	pgrep -P "$sh_pid" 2>/dev/null | head -1
}
children() { pgrep -P "$(explorer_pid)" 2>/dev/null; }
# L = ... as the strip shows it
strip_value() { screen | grep -o "L = mean of 4 = [0-9.]*" | head -1; }

if command -v gnuplot >/dev/null 2>&1; then
	# --- the real gnuplot: one process for every plot of a session ---
	start 160 48 -- bce || exit 1
	wait_for "Step 1/"
	wait_for "each at its value"
	ok $? "bce at 160x48: the plot is drawn"
	pid1=$(children | head -1)
	keys + + + Right + -
	sleep 0.5
	keys Right -
	sleep 0.5
	keys z
	wait_for "z, q or Esc back"
	keys z
	wait_for "BCELoss of element [2] as p[2] varies"
	n=$(children | wc -l)
	pid2=$(children | head -1)
	[ "$n" -eq 1 ] && [ -n "$pid1" ] && [ "$pid1" = "$pid2" ]
	ok $? "one gnuplot for the session's plots ($n running, pid $pid1 then $pid2)"
	keys Q Q
	wait_exit
	[ "$status" = 0 ] && ! kill -0 "$pid2" 2>/dev/null
	ok $? "Q Q: exit 0, its gnuplot gone"
else
	skip "gnuplot is not installed"
	skip "gnuplot is not installed"
	skip "gnuplot is not installed"
fi

# --- a gnuplot that never answers ---
printf '#!/bin/sh\nexec %s\n' "$marker" >"$fake/gnuplot"
chmod +x "$fake/gnuplot"
start 160 48 PATH="$fake:$PATH" LOSSLAB_PLOT_TIMEOUT_MS=60000 -- bce || exit 1
wait_for "Step 1/"
wait_for "plotting... (gnuplot has been at it for 1 s"
ok $? "a hung gnuplot: the pane says how long it has been waiting"
before=$(strip_value)
keys + +
wait_gone "$before"
ok $? "... the keys and numbers stay live (an edit shows at once; the job has 60 s)"
wait_for "gnuplot has been at it for 3 s"
ok $? "... and the pane goes on counting"
keys C-c
wait_exit
[ "$status" = 130 ]
ok $? "Ctrl-C during the hang: the explorer exits at once (status $status)"
sleep 0.2
! pgrep -f "$marker" >/dev/null
ok $? "... and the hung gnuplot is killed with it"

start 160 48 PATH="$fake:$PATH" LOSSLAB_PLOT_TIMEOUT_MS=1500 -- bce || exit 1
wait_for "Step 1/"
wait_for "gnuplot did not finish within"
ok $? "timeout 1.5 s: gnuplot is killed and the pane says so"
! pgrep -f "$marker" >/dev/null
ok $? "... no hung gnuplot left"
keys +
wait_for "plotting..."
ok $? "an edit after the timeout asks a new gnuplot"
keys Q Q
wait_exit
pkill -f "$marker" 2>/dev/null

# --- a gnuplot that dies at once ---
printf '#!/bin/sh\nexit 3\n' >"$fake/gnuplot"
start 160 48 PATH="$fake:$PATH" -- bce || exit 1
wait_for "Step 1/"
wait_for "gnuplot stopped (exit status 3"
ok $? "a gnuplot that exits: the pane gives its exit status"
before=$(strip_value)
keys +
wait_gone "$before"
ok $? "... and the numbers stay live"
keys Q Q
wait_exit
[ "$status" = 0 ]
ok $? "... Q Q exits 0"

done_testing
