#!/bin/sh
# catalog.sh -- the interface catalogue is used as printf formats, so it is
# checked: `msgfmt -c` accepts po/zh_CN.po, every entry whose msgid holds a
# '%' says whether it is a format (c-format or no-c-format, so that msgfmt
# checks it), every source file with translatable strings is in
# po/POTFILES.in, and a catalogue whose translations have other conversions
# or terminal sequences (compiled with msgfmt into $LOSSLAB_LOCALEDIR) is
# not used for those entries: no crash, the English instead, the other
# entries translated.
. "${top_srcdir:-.}/tests/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/losslab-catalog.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
XDG_DATA_HOME=$tmp/xdg
export XDG_DATA_HOME
po=$top_srcdir/po/zh_CN.po
ldir=$top_srcdir/lessons

if command -v msgfmt >/dev/null 2>&1; then
	msgfmt -c -o /dev/null "$po" 2>"$tmp/err"
	ok $? "msgfmt -c accepts po/zh_CN.po"
	[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"
else
	echo "ok $((tap_n += 1)) # SKIP msgfmt missing (install gettext): po/zh_CN.po not checked"
fi

# the build compiles po/zh_CN.po merged with the sources' losslab.pot: an
# entry that merge makes fuzzy (its flags or msgid changed) is dropped from
# losslab.mo, and a new string without its translation shows English
pot=$top_srcdir/po/losslab.pot
if command -v msgmerge >/dev/null 2>&1 && [ -f "$pot" ]; then
	msgmerge -q -o "$tmp/merged.po" "$po" "$pot" 2>"$tmp/err" &&
	    msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" |
	    sed -n 's/^msgid "\(..*\)"$/\1/p' >"$tmp/fuzzy" &&
	    msgattrib --untranslated --no-obsolete "$tmp/merged.po" |
	    sed -n 's/^msgid "\(..*\)"$/\1/p' >"$tmp/untr" &&
	    [ ! -s "$tmp/fuzzy" ] && [ ! -s "$tmp/untr" ]
	ok $? "po/zh_CN.po merged with losslab.pot: every msgid translated, none fuzzy"
	[ -s "$tmp/fuzzy" ] && diag "fuzzy: $(cat "$tmp/fuzzy")"
	[ -s "$tmp/untr" ] && diag "untranslated: $(head -5 "$tmp/untr")"
else
	echo "ok $((tap_n += 1)) # SKIP msgmerge or po/losslab.pot missing"
fi

# an entry's flags come before its msgid; the msgid may go on over lines
awk '
/^#,/			{ flags = flags $0; next }
/^msgid /		{ inid = 1; id = $0; next }
/^"/ && inid		{ id = id $0; next }
/^msgstr/		{ if (id ~ /%/ && flags !~ /c-format/) { print id; bad++ }
			  inid = 0; flags = ""; next }
END			{ exit bad > 0 }' "$po" >"$tmp/unflagged"
ok $? "every msgid with a '%' is marked c-format or no-c-format"
[ -s "$tmp/unflagged" ] && diag "$(cat "$tmp/unflagged")"

# every file that marks strings is one xgettext reads
missing=
for f in $(cd "$top_srcdir" && grep -lE '(^|[^A-Za-z0-9_])(_|N_|NG_|C_)\(' \
    src/*.c src/ui/*.c src/core/*.c); do
	grep -qx "$f" "$top_srcdir/po/POTFILES.in" || missing="$missing $f"
done
[ -z "$missing" ]
ok $? "po/POTFILES.in lists every file that marks strings"
[ -n "$missing" ] && diag "not in po/POTFILES.in:$missing"

# --- the language: --lang, else LANGUAGE (unless the locale is C), else the
# locale's name; Chinese needs no generated zh_CN locale --------------------
lang_of() {	# lang_of ENV...: zh or en, as `losslab eval --help` speaks
	env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "$@" "$LOSSLAB" \
	    eval --help 2>/dev/null </dev/null | head -1 |
	    sed -e 's/^用法：.*/zh/' -e 's/^Usage:.*/en/'
}
bad_lang=
while read -r want args; do
	# shellcheck disable=SC2086
	got=$(lang_of $args)
	[ "$got" = "$want" ] || bad_lang="$bad_lang [$args: $got, not $want]"
done <<EOF
zh LANGUAGE=zh_CN LANG=C.UTF-8
zh LANGUAGE=fr:zh_CN LANG=C.UTF-8
en LANGUAGE=en:zh_CN LANG=C.UTF-8
en LANGUAGE=en LANG=zh_CN.UTF-8
en LANGUAGE=zh_CN LANG=C
en LANGUAGE=zh_CN
zh LANG=zh_CN.UTF-8
zh LC_MESSAGES=zh_CN.UTF-8 LANG=C.UTF-8
en LC_ALL=C.UTF-8 LANG=zh_CN.UTF-8
zh LC_ALL=zh_CN.UTF-8
en LANG=C.UTF-8
EOF
[ -z "$bad_lang" ]
ok $? "the language from LANGUAGE (not under C), LC_ALL, LC_MESSAGES, LANG"
[ -n "$bad_lang" ] && diag "wrong:$bad_lang"
LANGUAGE=zh_CN LANG=C.UTF-8 "$LOSSLAB" --lang en eval --help 2>&1 |
    head -1 | grep -q '^Usage:'
ok $? "--lang en wins over LANGUAGE=zh_CN"

# --- a catalogue with wrong conversions --------------------------------------
if ! command -v msgfmt >/dev/null 2>&1; then
	for i in 1 2 3 4; do
		echo "ok $((tap_n += 1)) # SKIP msgfmt missing: no catalogue to compile"
	done
	done_testing
	exit 0
fi
mkdir -p "$tmp/locale/zh_CN/LC_MESSAGES"
E=$(printf '\033')
cat >"$tmp/bad.po" <<EOF
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

msgid "%zu lesson file checked"
msgid_plural "%zu lesson files checked"
msgstr[0] "%s %s"

#, c-format
msgid "Step %zu/%zu: %s"
msgstr "步骤 %s/%s：%s"

msgid "sum over %zu element"
msgid_plural "sum over %zu elements"
msgstr[0] "%n 对 %zu 个元素求和"

msgid "LOSS is one of:"
msgstr "${E}]0;pwned${E}\\\\LOSS:${E}[2J"

msgid "Loss value"
msgstr "损失值"
EOF
msgfmt -o "$tmp/locale/zh_CN/LC_MESSAGES/losslab.mo" "$tmp/bad.po"
zh() {	# zh ARGS...: losslab in Chinese with the bad catalogue
	LOSSLAB_LOCALEDIR=$tmp/locale "$LOSSLAB" --lang zh "$@" >"$tmp/out" \
	    2>"$tmp/err" </dev/null
	st=$?
}

zh lessons --check "$ldir/bce.zh.lesson"
[ $st -eq 0 ] && grep -qx '1 lesson file checked: 1 ok, 0 problems' "$tmp/out"
ok $? "lessons --check: a translation with other conversions is not used (no crash; the English)"
[ $st -eq 0 ] || diag "exit $st: $(cat "$tmp/err")"

zh --dump bce
[ $st -eq 0 ] && grep -q '^Step 1/[0-9]*: ' "$tmp/out" &&
    ! grep -q '步骤' "$tmp/out" && grep -q '损失值' "$tmp/out"
ok $? "--dump: '%s/%s' for '%zu/%zu' is refused, the catalogue's other entries are used"
[ $st -eq 0 ] || diag "exit $st: $(cat "$tmp/err")"

grep -q '(sum over 4 elements)' "$tmp/out" && ! grep -q '个元素求和' "$tmp/out"
ok $? "--dump: a translation with %n is refused (the English)"

zh eval --help
[ $st -eq 0 ] && grep -q '^LOSS is one of:' "$tmp/out" && ! grep -q "$E" "$tmp/out"
ok $? "eval --help: a translation with terminal sequences is not used"

done_testing
