#!/bin/sh
# xterm.sh -- pictures in a real terminal: the explorer in xterm -ti vt340
# (sixel) under a private Xvfb, a screenshot taken; with --graphics sixel the
# plot pane is a gnuplot picture (a white, drawn area), with --graphics text
# the same pane is text on the terminal's black background -- the control
# that shows the check can fail.  Skipped, with the reason, where Xvfb,
# xterm, xwd, ImageMagick or gnuplot is missing or X cannot start.  The
# screenshots stay in tests/xterm-*.png of the build directory.
. "${top_srcdir:-.}/tests/tap.sh"

for p in Xvfb xterm xwd convert gnuplot; do
	if ! command -v "$p" >/dev/null 2>&1; then
		echo "1..0 # SKIP $p is not installed (Debian: xvfb xterm x11-apps imagemagick gnuplot-nox)"
		exit 0
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-xterm.XXXXXX") || exit 1
xvfb=""
cleanup() {
	[ -n "$xterm_pid" ] && kill "$xterm_pid" 2>/dev/null
	[ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A display of our own: Xvfb picks a free number and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" \
    >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
i=0
while [ ! -s "$tmp/display" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$tmp/display" ] || ! kill -0 "$xvfb" 2>/dev/null; then
	echo "1..0 # SKIP X cannot start here: $(head -c 200 "$tmp/xvfb.log" | tr '\n' ' ')"
	exit 0
fi
DISPLAY=:$(cat "$tmp/display")
export DISPLAY

mkdir -p "$tmp/xdg"
font="-fa DejaVu Sans Mono -fs 10"
fc-list 2>/dev/null | grep -q "DejaVuSansMono" || font=""

# shot NAME GRAPHICS: the explorer on bce, a screenshot of its window
# once the pane is drawn (polled), into tests/xterm-NAME.png.
shot() {
	name=$1 mode=$2
	# shellcheck disable=SC2086
	xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' -bg black \
	    -fg white ${font:+-fa "DejaVu Sans Mono" -fs 10} -geometry 140x40+0+0 \
	    -title "losslab-$name" -e env LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    XDG_DATA_HOME="$tmp/xdg" "$LOSSLAB" --graphics "$mode" bce \
	    >"$tmp/xterm.log" 2>&1 &
	xterm_pid=$!
	i=0
	bright=0
	while [ $i -lt 40 ]; do
		sleep 0.25
		i=$((i + 1))
		xwd -silent -name "losslab-$name" >"$tmp/$name.xwd" 2>/dev/null ||
		    continue
		convert "xwd:$tmp/$name.xwd" "tests/xterm-$name.png" 2>/dev/null ||
		    continue
		bright=$(pane_brightness "tests/xterm-$name.png")
		# a picture shows within seconds; text stays dark: wait 3 s
		[ "$mode" = sixel ] && awk "BEGIN { exit !($bright > 0.5) }" &&
		    break
		[ "$mode" = text ] && [ $i -ge 12 ] && break
	done
	kill "$xterm_pid" 2>/dev/null
	wait "$xterm_pid" 2>/dev/null
	xterm_pid=""
}

# The mean brightness (0 black .. 1 white) of the middle of the right-hand
# pane: x from 72% to 95% of the window, y from 20% to 60%.
pane_brightness() {
	wh=$(identify -format '%w %h' "$1" 2>/dev/null) || { echo 0; return; }
	set -- "$1" $wh
	convert "$1" -crop "$(($2 * 23 / 100))x$(($3 * 40 / 100))+$(($2 * 72 / 100))+$(($3 * 20 / 100))" \
	    +repage -colorspace Gray -format '%[fx:mean]' info: 2>/dev/null ||
	    echo 0
}

shot sixel sixel
b_sixel=$bright
shot text text
b_text=$bright
diag "pane brightness: sixel $b_sixel, text $b_text (tests/xterm-sixel.png, tests/xterm-text.png)"

[ -s tests/xterm-sixel.png ] && awk "BEGIN { exit !($b_sixel > 0.5) }"
ok $? "--graphics sixel in xterm -ti vt340: the plot pane is a picture (brightness $b_sixel)"
[ -s tests/xterm-text.png ] && awk "BEGIN { exit !($b_text < 0.3) }"
ok $? "--graphics text, the same pane: text on the terminal's background (brightness $b_text)"

done_testing
