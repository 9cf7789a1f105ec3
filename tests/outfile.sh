#!/bin/sh
# outfile.sh -- every file losslab writes where the user says (src/outfile.h):
# a FIFO or a device at the path is written into and never replaced or
# removed, also when the write fails (a failed --out-grad to a copy of
# /dev/full once deleted the device node); a regular file is replaced.
# Writers: eval --out-grad and --out-elem, plot --out, plot training --out,
# train --plot, --dump --out.
. "${top_srcdir:-.}/tests/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-outfile.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
export LC_ALL=C LOSSLAB_GRAPHICS=text

# name | magic the written bytes start with | the command, the path last
writers() {
	printf '%s\n' \
	    "eval --out-grad|NUMPY|eval bce-logits --input 1,2 --target 1,0 --out-grad" \
	    "eval --out-elem|NUMPY|eval bce-logits --input 1,2 --target 1,0 --out-elem" \
	    "eval --dtype float32 --out-grad|NUMPY|eval bce-logits --dtype float32 --input 1,2 --target 1,0 --out-grad" \
	    "eval of a large float32 ce, --out-grad written on its own thread|NUMPY|eval ce --threads 2 --input @$tmp/x32.npy --target @$tmp/idx.txt --out-grad" \
	    "plot --out|<svg|plot bce-curve --format svg --out" \
	    "plot training --out|<svg|plot training loss --data xor --model linear --loss bce-logits --lr 0.1 --epochs 3 --format svg --out" \
	    "--dump --out|Binary cross-entropy|--dump bce --out"
}

# a float32 1000 x 300 input (summarised: eval writes --out-grad on a
# thread while it summarises), its class indices
awk 'BEGIN { for (r = 0; r < 1000; r++) { for (c = 0; c < 300; c++) printf "%s%.4f", (c ? "," : ""), ((r * 7 + c * 13) % 200 - 100) / 23.0; print "" } }' >"$tmp/m.txt"
awk 'BEGIN { for (r = 0; r < 1000; r++) printf "%s%d", (r ? "," : ""), (r * 37) % 300; print "" }' >"$tmp/idx.txt"
"$LOSSLAB" eval bce-logits --dtype float32 --reduction none \
    --input @"$tmp/m.txt" --target @"$tmp/m.txt" --out-elem "$tmp/x32.npy" \
    >/dev/null 2>&1

have_mkfifo=0
mkfifo "$tmp/probe" 2>/dev/null && have_mkfifo=1 && rm -f "$tmp/probe"
have_full=0
if mknod "$tmp/probe" c 1 7 2>/dev/null; then
	have_full=1
	rm -f "$tmp/probe"
fi

writers | while IFS='|' read -r name magic cmd; do
	# a FIFO: the bytes reach the reader, the FIFO stays
	if [ $have_mkfifo -eq 1 ]; then
		rm -f "$tmp/fifo" "$tmp/got"
		mkfifo "$tmp/fifo"
		cat "$tmp/fifo" >"$tmp/got" &
		reader=$!
		# shellcheck disable=SC2086
		"$LOSSLAB" $cmd "$tmp/fifo" >/dev/null 2>"$tmp/err"
		rc=$?
		# a writer that never opened it leaves the reader waiting
		[ $rc -eq 0 ] || : >"$tmp/fifo"
		wait $reader
		[ $rc -eq 0 ] && [ -p "$tmp/fifo" ] &&
		    head -c 200 "$tmp/got" | grep -aq -- "$magic" &&
		    ! ls -A "$tmp" | grep -q losslab-
		ok $? "$name into a FIFO: written into it, the FIFO kept (exit $rc)"
	else
		echo "ok $((tap_n += 1)) # SKIP mkfifo fails here"
	fi
	# a full device: exit 2, one line, the device node kept
	if [ $have_full -eq 1 ]; then
		rm -f "$tmp/full"
		mknod "$tmp/full" c 1 7
		# shellcheck disable=SC2086
		"$LOSSLAB" $cmd "$tmp/full" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 2 ] && [ -c "$tmp/full" ] && [ ! -s "$tmp/out" ] &&
		    [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		    grep -q '^losslab: .*No space left on device' "$tmp/err"
		ok $? "$name onto a full device: exit 2, one line, nothing on standard output, the device kept (exit $rc: $(head -1 "$tmp/err"))"
	else
		echo "ok $((tap_n += 1)) # SKIP mknod needs root"
	fi
	# a regular file: replaced, no temporary file left
	echo old >"$tmp/reg"
	# shellcheck disable=SC2086
	"$LOSSLAB" $cmd "$tmp/reg" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 0 ] && head -c 200 "$tmp/reg" | grep -aq -- "$magic" &&
	    [ "$(ls -A "$tmp" | grep -c losslab-)" -eq 0 ]
	ok $? "$name onto a regular file: replaced, nothing else left (exit $rc)"
done >"$tmp/tap"
cat "$tmp/tap"
tap_n=$(grep -c '^\(not \)\{0,1\}ok' "$tmp/tap")
done_testing
