#!/bin/sh
# signals.sh -- the explorer leaves a sane terminal however it dies: Ctrl-\
# (SIGQUIT) and the crash signals put back the modes from before curses
# (stty shows icanon and echo again), leave the alternate screen and show
# the cursor, and the process still dies of the signal (exit status 128 +
# the signal, as a shell reports it).  A SIGQUIT the parent ignores stays
# ignored.  And a FIFO named *.lesson among the lessons does not stop the
# explorer from starting: the list shows it as broken.
#
# Driven through tests/tmux.sh like tests/ui.sh; here the shell around the
# explorer also catches SIGQUIT (Ctrl-\ reaches the whole foreground group)
# and allows no core file.
. "${top_srcdir:-.}/tests/tmux.sh"

# A sanitizer build would report the signal itself (and exit 1): leave
# the signals to the program.
asan="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0"

# start_q W H TRAP -- ARGS: as tmux.sh's start, the shell's SIGQUIT trap
# being TRAP (':' caught, '' ignored).
start_q() {
	w=$1 h=$2 qtrap=$3
	shift 3
	[ "$1" = "--" ] && shift
	T kill-server >/dev/null 2>&1
	rm -f "$tmp/status" "$tmp/stty"
	cat >"$tmp/run.sh" <<EOF
trap ':' INT
trap '$qtrap' QUIT
ulimit -c 0
cd "$tmp/cwd" || exit 1
env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_DATA_HOME="$tmp/xdg" TERM=screen-256color $asan "$LOSSLAB" --lessons "$tmp/lessons" $*
echo \$? >"$tmp/status"
stty -a >"$tmp/stty" 2>&1
echo "EXITED"
exec sleep 60
EOF
	i=0
	until T new-session -d -x "$w" -y "$h" "sh $tmp/run.sh" \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 20 ] || return 1
		sleep 0.1
	done
	T set-option -g status off >/dev/null 2>&1
}

# restored NAME: after the explorer died, the terminal is back in canonical
# mode with echo, and its screen is gone (the alternate screen was left).
restored() {
	grep -q -- '-icanon' "$tmp/stty" || grep -q -- '-echo ' "$tmp/stty"
	[ $? -ne 0 ]
	ok $? "$1: stty shows icanon and echo again"
	[ $? -eq 0 ] || diag "$(grep -o -- '-\{0,1\}icanon\|-\{0,1\}echo ' "$tmp/stty" | tr '\n' ' ')"
	wait_for "EXITED" >/dev/null
	! screen | grep -qF "L = mean of 3"
	ok $? "$1: the explorer's screen is gone"
}

# --- Ctrl-\ ---------------------------------------------------------------------
start_q 100 32 ':' -- uitest
wait_for "L = mean of 3"
keys 'C-\'
wait_exit
[ "$status" = 131 ]
ok $? "Ctrl-\\ (SIGQUIT): exit status 131 (got $status)"
restored "SIGQUIT"

# --- the crash signals, sent to the process ---------------------------------------
for s in SEGV:139 BUS:135 FPE:136 ILL:132 ABRT:134; do
	sig=${s%:*} want=${s#*:}
	start_q 100 32 ':' -- uitest
	wait_for "L = mean of 3"
	pid=$(pgrep -f -- "$LOSSLAB --lessons $tmp/lessons uitest" | head -1)
	if [ -z "$pid" ]; then
		skip "pgrep found no process"
		skip "pgrep found no process"
		skip "pgrep found no process"
		continue
	fi
	kill -"$sig" "$pid"
	wait_exit
	[ "$status" = "$want" ]
	ok $? "SIG$sig: exit status $want (got $status)"
	restored "SIG$sig"
done

# --- an ignored SIGQUIT stays ignored ----------------------------------------------
start_q 100 32 '' -- uitest
wait_for "L = mean of 3"
keys 'C-\'
sleep 0.5
keys Space
wait_for "Step 2/3"
ok $? "SIGQUIT ignored by the parent: Ctrl-\\ changes nothing"
keys Q
wait_exit
[ "$status" = 0 ]
ok $? "... and q quits with status 0 (got $status)"

# --- a FIFO among the lessons ------------------------------------------------------
if mkfifo "$tmp/lessons/zz-fifo.en.lesson" 2>/dev/null; then
	start_q 120 60 ':' --
	wait_for "zz-fifo.en.lesson: not a regular file (a FIFO)"
	ok $? "a FIFO named *.lesson: the explorer starts and lists it as broken"
	screen | grep -qF "UI test lesson, cross-entropy"
	ok $? "... beside the other lessons"
	keys q
	wait_exit
	[ "$status" = 0 ]
	ok $? "... and q quits with status 0 (got $status)"
	start_q 100 32 ':' -- zz-fifo
	wait_exit
	[ "$status" = 2 ]
	ok $? "the FIFO named as the lesson: exit status 2 (got $status)"
	wait_for "losslab: $tmp/lessons/zz-fifo.en.lesson: not a regular file (a FIFO)"
	ok $? "... with a one-line losslab: message"
	rm -f "$tmp/lessons/zz-fifo.en.lesson"
else
	for i in 1 2 3 4 5; do skip "mkfifo failed"; done
fi

done_testing
