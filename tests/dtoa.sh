#!/bin/sh
# dtoa.sh -- src/dtoa.c's tables and golden file are reproducible, and the
# program's exact numbers are src/dtoa.c's (issue 11, item 4).
#
# What is checked, and against what:
#   - src/dtoa_table.h and tests/golden_dtoa.txt are what tests/gen_dtoa.py
#     writes today (Python's exact integers and repr());
#   - every number of `losslab eval --json --full` and of its text report's
#     "loss:" line is written as Python's repr() of the same double, without
#     ".0" on integral values (src/dtoa.h), and reads back as it.
. "$top_srcdir/tests/tap.sh"

if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is needed for the reference"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-dtoa.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 "$top_srcdir/tests/gen_dtoa.py" table >"$tmp/table.h" &&
    cmp -s "$tmp/table.h" "$top_srcdir/src/dtoa_table.h"
ok $? "src/dtoa_table.h is what tests/gen_dtoa.py table writes"
python3 "$top_srcdir/tests/gen_dtoa.py" golden >"$tmp/golden.txt" &&
    cmp -s "$tmp/golden.txt" "$top_srcdir/tests/golden_dtoa.txt"
ok $? "tests/golden_dtoa.txt is what tests/gen_dtoa.py golden writes"

# numbers of every kind: short, 17 digits, tiny, huge, integral, -0
in=0.3,-1.2,4,1e-7,-0.0,1e300,-5e-324,123456789,0.1,2.5e-5
tg=1,0,1,0,1,0,1,0,1,0
# check FILE: every number token is repr()'s form and reads back
cat >"$tmp/check.py" <<'PY'
import re, sys
def fmt(v):
    r = repr(v)
    return r[:-2] if r.endswith(".0") else r
text = open(sys.argv[1]).read()
if sys.argv[2] == "loss":
    toks = re.findall(r"^loss: (\S+)", text, re.M)
else:
    # numbers outside strings
    toks = re.findall(r"(?<![\w.\"-])-?[0-9][0-9.e+-]*", re.sub(r'"[^"]*"', '""', text))
bad = [t for t in toks if fmt(float(t)) != t]
for t in bad[:5]:
    print("%s: repr() writes %s" % (t, fmt(float(t))))
sys.exit(1 if bad or len(toks) < int(sys.argv[3]) else 0)
PY
"$LOSSLAB" eval bce-logits --input "$in" --target "$tg" --json --full \
    --reduction none >"$tmp/json" 2>&1 &&
    python3 "$tmp/check.py" "$tmp/json" json 20 >"$tmp/out"
ok $? "eval --json --full: every number as Python's repr() writes it"
[ -s "$tmp/out" ] && diag "$(cat "$tmp/out")"
"$LOSSLAB" eval bce-logits --input "$in" --target "$tg" >"$tmp/text" 2>&1 &&
    python3 "$tmp/check.py" "$tmp/text" loss 1 >"$tmp/out"
ok $? "eval's text report: the loss as Python's repr() writes it"
[ -s "$tmp/out" ] && diag "$(cat "$tmp/out")"
done_testing
