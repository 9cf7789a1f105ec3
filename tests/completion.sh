#!/bin/sh
# completion.sh -- completion/losslab, the bash completion, completes what
# losslab has: the subcommands, the losses after `eval` (the core's table in
# src/core/loss.c), the lesson ids (the files in lessons/), the plot ids
# after `plot` (`losslab plot --list`), each command's options, and the
# values of --lang and --pitfall.  Skipped without bash.
. "${top_srcdir:-.}/tests/tap.sh"

if ! command -v bash >/dev/null 2>&1; then
	echo "1..0 # SKIP bash is not installed"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-compl.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
XDG_DATA_HOME=$tmp/xdg
export XDG_DATA_HOME

# complete WORD...: the completions of the last word, one a line, sorted
complete_words() {
	bash --norc --noprofile -c '
		. "$1/completion/losslab" || exit 3
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_losslab
		printf "%s\n" "${COMPREPLY[@]}" | sort' \
	    sh "$top_srcdir" "$LOSSLAB" "$@" 2>"$tmp/err"
}
# has LIST...: every word of LIST is in $tmp/got
has() {
	for w in "$@"; do
		grep -qxF -- "$w" "$tmp/got" || { diag "missing: $w"; return 1; }
	done
}

complete_words "" >"$tmp/got"
has eval plot lessons train
ok $? "subcommands"
ids=$(cd "$top_srcdir/lessons" && ls *.en.lesson | sed 's/\.en\.lesson$//')
has $ids
ok $? "lesson ids (every lessons/ID.en.lesson) beside the subcommands"

losses=$(sed -n '/loss_names\[LOSS_COUNT\] = {/,/};/p' \
    "$top_srcdir/src/core/loss.c" | grep -o '"[a-z-]*"' | tr -d '"')
complete_words eval "" >"$tmp/got"
[ -n "$losses" ] && has $losses && [ "$(wc -l <"$tmp/got")" -eq "$(echo "$losses" | wc -l)" ]
ok $? "eval: the losses of src/core/loss.c, and only those"
complete_words eval bce >"$tmp/got"
[ "$(cat "$tmp/got")" = "$(printf 'bce\nbce-logits')" ]
ok $? "eval bce: bce and bce-logits"

plots=$("$LOSSLAB" plot --list </dev/null 2>/dev/null | awk '{ print $1 }')
complete_words plot "" >"$tmp/got"
[ -n "$plots" ] && has $plots && has focal
ok $? "plot: the plot ids"

complete_words plot focal --ou >"$tmp/got"
[ "$(cat "$tmp/got")" = "--out" ]
ok $? "plot focal --ou: --out"
complete_words eval ce --label >"$tmp/got"
[ "$(cat "$tmp/got")" = "--label-smoothing" ]
ok $? "eval ce --label: --label-smoothing"
complete_words --he >"$tmp/got"
[ "$(cat "$tmp/got")" = "--help" ]
ok $? "--he: --help"
complete_words --lang "" >"$tmp/got"
[ "$(cat "$tmp/got")" = "$(printf 'en\nzh')" ]
ok $? "--lang: en and zh"
complete_words eval bce-logits --pitfall dou >"$tmp/got"
[ "$(cat "$tmp/got")" = "double-sigmoid" ]
ok $? "--pitfall dou: double-sigmoid"
complete_words --dump bce-l >"$tmp/got"
[ "$(cat "$tmp/got")" = "bce-logits" ]
ok $? "--dump bce-l: the lesson id"
# in Chinese the lists are the same: losslab is asked in English

LANG=zh_CN.UTF-8 complete_words eval "" >"$tmp/got"
[ "$(wc -l <"$tmp/got")" -eq "$(echo "$losses" | wc -l)" ]
ok $? "the lists do not depend on the language"
[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"

done_testing
