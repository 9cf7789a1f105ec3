#!/bin/sh
# lessons-lang.sh -- every shipped lesson exists in English and Simplified
# Chinese, and the two say the same thing in numbers; the explorer starts
# in Chinese under LANG=zh_CN.UTF-8.
#
# For every lesson id in $top_srcdir/lessons:
#   - both ID.en.lesson and ID.zh.lesson exist, and the Chinese one passes
#     `losslab lessons --check`;
#   - the value lines agree step by step: the two files, reduced to their
#     machine-read keys (loss, options, input, target, weight, pos_weight,
#     reduction and the other options, pitfall, plot, answer, the number of
#     choices) with block values joined and whitespace normalised, are equal,
#     so both languages have the same steps in the same order;
#   - every step uses the same set of {placeholders} in both languages (a
#     translation that drops or invents a live value is out of date);
#   - the computed content agrees: both files with their words replaced by
#     a fixed "X" (title, step titles, text, questions, choices, code) are
#     dumped with `--dump FILE --lang en`, and the two dumps -- values,
#     per-element losses, gradients, pitfall columns -- are identical;
#   - `--dump ID --lang zh` picks the Chinese file (its title heads the dump)
#     and `--dump ID --lang en` the English one, with equal step counts.
# The expected facts come from the English lesson files, never from the
# Chinese ones or from losslab's own output alone.
#
# The explorer: a detached tmux session on a private socket, fixed size,
# started with LANG=zh_CN.UTF-8 (LC_ALL and LC_MESSAGES unset) and no
# --lang; the lesson list must show the catalogue's Chinese for the
# list's tagline (read from po/zh_CN.po) and bce's Chinese title (read from
# lessons/bce.zh.lesson).  Skipped when tmux is missing.
. "${top_srcdir:-.}/tests/tap.sh"

lessons="$top_srcdir/lessons"
po="$top_srcdir/po/zh_CN.po"
tmp=$(mktemp -d) || exit 1
sock="ll-lang-$$"
T() { tmux -u -L "$sock" -f /dev/null "$@"; }
cleanup() {
	if command -v tmux >/dev/null 2>&1; then
		T kill-server >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Nothing from this machine's user directory may shadow the shipped lessons.
mkdir -p "$tmp/xdg"
XDG_DATA_HOME="$tmp/xdg"
export XDG_DATA_HOME

# values FILE: one line per machine-read key, "step" lines between steps.
values() {
	awk '
	function flush() {
		if (key == "")
			return
		v = val
		gsub(/[ \t]+/, " ", v); sub(/^ /, "", v); sub(/ $/, "", v)
		if (key == "choices") {
			# count the choices, not their words
			n = split(v, a, blk ? "\n" : "|")
			c = 0
			for (i = 1; i <= n; i++)
				if (a[i] !~ /^[ \t]*$/)
					c++
			v = c
		}
		if (key ~ /^(loss|options|input|target|weight|pos_weight|reduction|ignore_index|label_smoothing|margin|p|alpha|gamma|log_target|pitfall|plot|answer|choices|id|step|train|dtype|target_dtype)$/) {
			if (key == "answer" && v !~ /^[0-9]+$/)
				v = "(text)"
			if (key == "step")
				v = "(title)"
			gsub(/\n/, ";", v)
			print key ": " v
		}
		key = ""; val = ""; blk = 0
	}
	inblock {
		if ($0 ~ /^[ \t]*>>>[ \t]*$/) { inblock = 0; flush(); next }
		val = val (val == "" ? "" : "\n") $0
		next
	}
	/^[ \t]*#/ || /^[ \t]*$/ { next }
	{
		line = $0
		i = index(line, ":")
		if (i == 0) next
		key = substr(line, 1, i - 1); gsub(/[ \t]/, "", key)
		gsub(/-/, "_", key)
		val = substr(line, i + 1); sub(/^[ \t]+/, "", val); sub(/[ \t]+$/, "", val)
		if (val == "<<<") { inblock = 1; blk = 1; val = ""; next }
		blk = 0
		flush()
	}
	END { flush() }
	' "$1"
}

# placeholders FILE: per step, its sorted unique {placeholders} (outside
# comments and code, which is shown as written; a plural's words left out).
placeholders() {
	awk '
	incode { if ($0 ~ /^[ \t]*>>>[ \t]*$/) incode = 0; next }
	/^[ \t]*#/ { next }
	/^[ \t]*code:[ \t]*<<<[ \t]*$/ { incode = 1; next }
	/^[ \t]*code:/ { next }
	/^step:/ { n++ }
	{
		s = $0
		gsub(/\{\{|\}\}/, "", s)
		while (match(s, /\{[^{}]*\}/)) {
			p = substr(s, RSTART, RLENGTH)
			# {N|sample|samples}: the words are English grammar,
			# the Chinese file writes {N}
			if (p !~ /^\{(if|elif|assume|when) /)
				sub(/\|[^}]*\}$/, "}", p)
			print n, p
			s = substr(s, RSTART + RLENGTH)
		}
	}' "$1" | sort -u
}

# blank FILE: the lesson with its words replaced by X, its numbers kept.
blank() {
	awk '
	BEGIN { words = "^(title|summary|step|text|predict|explain|code|prompt)$" }
	inblock {
		if ($0 ~ /^[ \t]*>>>[ \t]*$/) {
			inblock = 0
			if (k == "choices") {
				s = ""
				for (i = 1; i <= c; i++)
					s = s (i > 1 ? " | " : "") "c" i
				print "choices: " s
			} else if (k !~ words)
				print
			next
		}
		if (k == "choices" && $0 !~ /^[ \t]*$/) c++
		else if (k !~ words) print
		next
	}
	{
		line = $0
		i = index(line, ":")
		if (i == 0 || line ~ /^[ \t]*#/) { print; next }
		k = substr(line, 1, i - 1); gsub(/[ \t]/, "", k)
		v = substr(line, i + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
		if (v == "<<<") {
			inblock = 1; c = 0
			if (k ~ words) print k ": X"
			else if (k != "choices") print
			next
		}
		if (k ~ words) { print k ": X"; next }
		if (k == "choices") {
			n = split(v, a, "|"); s = ""
			for (i = 1; i <= n; i++)
				s = s (i > 1 ? " | " : "") "c" i
			print "choices: " s
			next
		}
		if (k == "answer" && v !~ /^[0-9]+$/) { print "answer: X"; next }
		print
	}' "$1"
}

title_of() { sed -n 's/^title:[ \t]*//p' "$1" | head -1; }

ids=$(ls "$lessons" 2>/dev/null | sed -n 's/^\([A-Za-z0-9_-]*\)\.\(en\|zh\)\.lesson$/\1/p' |
    sort -u)
if [ -z "$ids" ]; then
	echo "1..0 # SKIP no lessons in $lessons"
	exit 0
fi

for id in $ids; do
	en="$lessons/$id.en.lesson"
	zh="$lessons/$id.zh.lesson"
	test -f "$en" && test -f "$zh"
	ok $? "$id: both languages exist"
	if ! test -f "$en" || ! test -f "$zh"; then
		continue
	fi

	"$LOSSLAB" lessons --check "$zh" >"$tmp/check" 2>&1
	r=$?
	[ $r -ne 0 ] && diag "$(cat "$tmp/check")"
	ok $r "$id: the Chinese lesson passes lessons --check"

	grep -q '^lang:[ \t]*zh[ \t]*$' "$zh"
	ok $? "$id: the Chinese file says lang: zh"

	values "$en" >"$tmp/v.en"
	values "$zh" >"$tmp/v.zh"
	diff "$tmp/v.en" "$tmp/v.zh" >"$tmp/v.diff"
	r=$?
	[ $r -ne 0 ] && diag "$(head -20 "$tmp/v.diff")"
	ok $r "$id: same steps, values, options, pitfalls, plots and answers"

	placeholders "$en" >"$tmp/p.en"
	placeholders "$zh" >"$tmp/p.zh"
	diff "$tmp/p.en" "$tmp/p.zh" >"$tmp/p.diff"
	r=$?
	[ $r -ne 0 ] && diag "(step placeholder; < en, > zh)" \
	    "$(head -20 "$tmp/p.diff")"
	ok $r "$id: every step uses the same {placeholders}"

	mkdir -p "$tmp/b"
	blank "$en" >"$tmp/b/$id.en.lesson"
	blank "$zh" >"$tmp/b/$id.zh.lesson"
	"$LOSSLAB" --lang en --dump "$tmp/b/$id.en.lesson" >"$tmp/d.en" 2>&1 &&
	"$LOSSLAB" --lang en --dump "$tmp/b/$id.zh.lesson" >"$tmp/d.zh" 2>&1 &&
	    diff "$tmp/d.en" "$tmp/d.zh" >"$tmp/d.diff"
	r=$?
	[ $r -ne 0 ] && diag "$(head -20 "$tmp/d.diff" 2>/dev/null)"
	ok $r "$id: the dumps' computed content is identical"

	"$LOSSLAB" --lessons "$lessons" --dump "$id" --lang en >"$tmp/e" 2>&1
	r1=$?
	"$LOSSLAB" --lessons "$lessons" --dump "$id" --lang zh >"$tmp/z" 2>&1
	r2=$?
	t_en=$(title_of "$en")
	t_zh=$(title_of "$zh")
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ] &&
	    [ "$(head -1 "$tmp/e")" = "$t_en" ] &&
	    [ "$(head -1 "$tmp/z")" = "$t_zh" ]
	r=$?
	[ $r -ne 0 ] && diag "en: $(head -1 "$tmp/e")" "zh: $(head -1 "$tmp/z")"
	ok $r "$id: --dump --lang en/zh picks the English/Chinese lesson"

	# step headings are underlined with '-' in both languages
	n_en=$(grep -c '^--*$' "$tmp/e")
	n_zh=$(grep -c '^--*$' "$tmp/z")
	n_file=$(grep -c '^step:' "$en")
	[ "$n_en" = "$n_file" ] && [ "$n_zh" = "$n_file" ]
	ok $? "$id: both dumps have $n_file steps (en $n_en, zh $n_zh)"
done

# ---- the explorer in Chinese --------------------------------------------
if ! command -v tmux >/dev/null 2>&1; then
	diag "tmux is not installed: explorer checks skipped"
	echo "ok $((tap_n + 1)) # SKIP tmux is not installed"
	tap_n=$((tap_n + 1))
	done_testing
	exit 0
fi

# The tagline under the list's title, as the catalogue translates it.
tagline=$(awk '
	/^msgid "classification losses, explained"$/ { f = 1; next }
	f && /^msgstr "/ { s = $0; sub(/^msgstr "/, "", s); sub(/"$/, "", s);
	    print s; exit }
	/^msgid/ { f = 0 }' "$po")
title=$(title_of "$lessons/bce.zh.lesson")

cat >"$tmp/run.sh" <<EOF
unset LC_ALL LC_MESSAGES LC_CTYPE LANGUAGE
LANG=zh_CN.UTF-8 TERM=screen-256color XDG_DATA_HOME="$tmp/xdg" \
    "$LOSSLAB" --lessons "$lessons"
echo "EXITED \$?"
exec sleep 60
EOF
T new-session -d -x 100 -y 30 "sh $tmp/run.sh"
ok $? "explorer: tmux session started"

# wait_for TEXT: poll the screen (up to 5 s) for TEXT.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		if T capture-pane -p 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	diag "timed out waiting for: $1"
	T capture-pane -p 2>/dev/null | head -12 | sed 's/^/|/' |
	    while IFS= read -r l; do diag "$l"; done
	return 1
}

[ -n "$tagline" ] && wait_for "$tagline"
ok $? "explorer: LANG=zh_CN.UTF-8 shows the Chinese interface ('$tagline')"
[ -n "$title" ] && wait_for "$title"
ok $? "explorer: LANG=zh_CN.UTF-8 lists the Chinese lesson title ('$title')"
T send-keys q
wait_for "EXITED 0"
ok $? "explorer: q quits with status 0"

done_testing
