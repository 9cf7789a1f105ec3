#!/bin/sh
# limits.sh -- the value syntax's documented limits (man/losslab.1, LIMITS)
# and its linear-time parser: an @FILE or standard input over 64 MiB and a
# value of more than 2^24 numbers are one clear `losslab:` line and exit 2;
# 300000 values one per line give the same result as one line (the old
# parser scanned every value to the end of the text: about 70 s).  The
# 120 s bounds only guard against a hang (an ASan build is slow); speed is
# not tested here: tests/bench-parse.sh measures it.  The lesson file's
# limits are tested by tests/lessons.sh.
. "$top_srcdir/tests/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-limits.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# fails "message" ARGS...: exit 2, one line "losslab: message", no output
fails() {
	want=$1
	shift
	timeout 120 "$LOSSLAB" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "losslab: $want" ] && [ ! -s "$tmp/out" ]
	r=$?
	[ $r -eq 0 ] || diag "exit $rc: $(head -c 300 "$tmp/err")"
	return $r
}

# --- linear parsing --------------------------------------------------------
n=300000
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) print ((i * 37) % 101 - 50) / 8 }' >"$tmp/in.lines"
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) print i % 2 }' >"$tmp/tg.lines"
paste -s -d, "$tmp/in.lines" >"$tmp/in.row"
paste -s -d, "$tmp/tg.lines" >"$tmp/tg.row"
timeout 120 "$LOSSLAB" eval bce-logits --input @"$tmp/in.lines" \
    --target @"$tmp/tg.lines" --json >"$tmp/lines.json" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && [ -s "$tmp/lines.json" ]
ok $? "$n values one per line (@FILE) within 120 s (a hang guard; linear time is measured by tests/bench-parse.sh) (exit $rc)"
timeout 120 "$LOSSLAB" eval bce-logits --input @"$tmp/in.row" \
    --target @"$tmp/tg.row" --json >"$tmp/row.json" 2>"$tmp/err"
# one value a line is a vector as np.loadtxt reads it, as one line is
value() { sed -n 's/.*"value": \([^,]*\),.*/\1/p' "$1"; }
[ -n "$(value "$tmp/lines.json")" ] &&
    [ "$(value "$tmp/lines.json")" = "$(value "$tmp/row.json")" ]
ok $? "... the same loss as the values on one line ($(value "$tmp/row.json"))"
# one value a row in the ';' syntax, from standard input
sed 's/$/;/' "$tmp/in.lines" >"$tmp/in.col"
sed 's/$/;/' "$tmp/tg.lines" >"$tmp/tg.col"
timeout 120 "$LOSSLAB" eval bce-logits --input - --target @"$tmp/tg.col" \
    --json <"$tmp/in.col" >"$tmp/col.json" 2>"$tmp/err"
rc=$?
# (an [n, 1] matrix, the same loss)
[ $rc -eq 0 ] && [ "$(value "$tmp/lines.json")" = "$(value "$tmp/col.json")" ] &&
    grep -q "\"grad\": {\"shape\": \[$n, 1\]" "$tmp/col.json" &&
    grep -q "\"grad\": {\"shape\": \[$n\]" "$tmp/lines.json"
ok $? "$n rows of one value ('a;' syntax, standard input) within 120 s (a hang guard; linear time is measured by tests/bench-parse.sh), the same loss as an [n, 1] matrix (exit $rc)"
[ $rc -eq 0 ] || diag "$(head -c 300 "$tmp/err")"
rm -f "$tmp"/*.lines "$tmp"/*.row "$tmp"/*.col "$tmp"/*.json

# --- limits ------------------------------------------------------------------
# over 2^24 values (33 MB of "0" lines)
yes 0 | head -n 16777217 >"$tmp/many"
fails "--input: more than 16777216 values (the limit)" \
    eval bce-logits --input @"$tmp/many" --target 1
ok $? "16777217 values: 'more than 16777216 values (the limit)'"
rm -f "$tmp/many"
# over 64 MiB: a sparse file, and standard input
printf '1\n' >"$tmp/big"
truncate -s 65M "$tmp/big" 2>/dev/null ||
    dd if=/dev/zero of="$tmp/big" bs=1048576 count=65 2>/dev/null
fails "--input: '$tmp/big' is larger than 64 MiB (the limit)" \
    eval bce-logits --input @"$tmp/big" --target 1
ok $? "a 65 MiB @FILE: 'is larger than 64 MiB (the limit)'"
head -c 67108865 "$tmp/big" >"$tmp/big1"
fails "--input: standard input is larger than 64 MiB (the limit)" \
    eval bce-logits --input - --target 1 <"$tmp/big1"
ok $? "64 MiB and one byte on standard input: 'standard input is larger than 64 MiB (the limit)'"
head -c 67108864 "$tmp/big" >"$tmp/big1"
fails "--input: '$tmp/big1' is not a text file" \
    eval bce-logits --input @"$tmp/big1" --target 1
ok $? "exactly 64 MiB is read (then refused for its NUL bytes)"
rm -f "$tmp/big" "$tmp/big1"

done_testing
