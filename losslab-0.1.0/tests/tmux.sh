#!/bin/sh
# tmux.sh -- the harness the explorer's tests share (sourced): a detached
# tmux session on a private socket (-L) with a fixed size, like tmux's own
# regress suite; keys sent with send-keys, the screen read with
# capture-pane, every check polling the screen (up to $UI_WAIT seconds)
# instead of sleeping.  Skips the whole test when tmux is missing.
#
# It provides: start W H [ENV=V...] -- ARGS (the explorer in a fresh
# session, on a private copy of the shipped lessons and tests/screens/*.lesson,
# with an empty user directory), keys, screen, wait_for, wait_gone,
# wait_exit ($status), value/pvalue (numbers from `losslab eval --json`, as
# the explorer prints them), golden NAME (tests/screens/NAME.txt;
# GENERATE=1 rewrites), have_python, skip.
. "${top_srcdir:-.}/tests/tap.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

unset TMUX	# the tests may themselves run inside tmux
UI_WAIT=${UI_WAIT:-5}
screens="$top_srcdir/tests/screens"
sock="losslab-test-$$"
tmp=$(mktemp -d) || exit 1
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
	T kill-server >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A private lesson directory: the shipped lessons and the test lessons, and
# an empty user directory, so that nothing on this machine leaks in.
mkdir -p "$tmp/lessons" "$tmp/xdg" "$tmp/cwd"
cp "$top_srcdir"/lessons/*.lesson "$tmp/lessons/" 2>/dev/null
cp "$screens"/*.lesson "$tmp/lessons/"
printf 'id: zz-broken\nlang: en\ntitle: Broken\nloss: no-such-loss\n' \
    >"$tmp/lessons/zz-broken.en.lesson"

# start W H [ENV=V...] -- ARGS: run the explorer in a fresh session; the
# shell around it records its exit status and the terminal modes after it.
start() {
	w=$1 h=$2
	shift 2
	envs=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	[ "$1" = "--" ] && shift
	T kill-server >/dev/null 2>&1
	rm -f "$tmp/status" "$tmp/stty"
	cat >"$tmp/run.sh" <<EOF
trap ':' INT
cd "$tmp/cwd" || exit 1
env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_DATA_HOME="$tmp/xdg" TERM=screen-256color $envs "$LOSSLAB" --lessons "$tmp/lessons" $*
echo \$? >"$tmp/status"
stty -a >"$tmp/stty" 2>&1
echo "EXITED"
exec sleep 60
EOF
	# A new server right after kill-server may meet the old one dying.
	i=0
	until T new-session -d -x "$w" -y "$h" "sh $tmp/run.sh" \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 20 ] || return 1
		sleep 0.1
	done
	T set-option -g status off >/dev/null 2>&1
}

screen() { T capture-pane -p 2>/dev/null; }

# wait_for TEXT: poll until the screen contains TEXT (fixed string).
wait_for() {
	i=0
	while [ $i -lt $((UI_WAIT * 20)) ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	diag "timed out waiting for: $1"
	screen | sed 's/^/|/' | head -40 | while IFS= read -r l; do diag "$l"; done
	return 1
}

# wait_gone TEXT: poll until TEXT is no longer on the screen.
wait_gone() {
	i=0
	while [ $i -lt $((UI_WAIT * 20)) ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.05
		i=$((i + 1))
	done
	diag "still on screen: $1"
	return 1
}

# wait_exit: poll until the program has exited; its status in $status.
wait_exit() {
	i=0
	while [ $i -lt $((UI_WAIT * 20)) ]; do
		if [ -s "$tmp/status" ] && [ -s "$tmp/stty" ]; then
			status=$(cat "$tmp/status")
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	status=timeout
	return 1
}

keys() { T send-keys "$@"; }

# value LOSS ARGS...: the reduced value from `losslab eval --json`, printed
# as the explorer prints it (%.8g).
value() {
	loss=$1
	shift
	"$LOSSLAB" eval "$loss" "$@" --json | python3 -c '
import json, sys
print("%.8g" % json.load(sys.stdin)["value"])'
}

# pvalue PITFALL LOSS ARGS...: the pitfall pipeline's value, as above.
pvalue() {
	pf=$1
	shift
	value_loss=$1
	shift
	"$LOSSLAB" eval "$value_loss" "$@" --pitfall "$pf" --json | python3 -c '
import json, sys
print("%.8g" % json.load(sys.stdin)["pitfall"]["value"])'
}

# normalise: what golden screens compare.
normalise() {
	sed -e 's/│.*$//' -e 's/[[:space:]]*$//' -e "s|$tmp|TMP|g" |
	    awk '/^plot$/ { exit } { print }'
}

# golden NAME: compare the screen with tests/screens/NAME.txt, polling
# until they agree (the screen may still be redrawing, e.g. after a resize).
golden() {
	if [ -n "$GENERATE" ]; then
		sleep 0.5
		screen | normalise >"$screens/$1.txt"
		ok 0 "golden $1 (regenerated)"
		return
	fi
	if [ ! -f "$screens/$1.txt" ]; then
		ok 1 "golden $1: tests/screens/$1.txt is missing (GENERATE=1)"
		return
	fi
	i=0
	while [ $i -lt $((UI_WAIT * 20)) ]; do
		screen | normalise >"$tmp/$1.txt"
		cmp -s "$screens/$1.txt" "$tmp/$1.txt" && break
		sleep 0.05
		i=$((i + 1))
	done
	if diff -u "$screens/$1.txt" "$tmp/$1.txt" >"$tmp/diff"; then
		ok 0 "golden $1"
	else
		ok 1 "golden $1"
		while IFS= read -r l; do diag "$l"; done <"$tmp/diff"
	fi
}

have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
skip() { echo "ok $((tap_n += 1)) # SKIP $1"; }

