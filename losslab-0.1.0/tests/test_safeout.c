/*
 * test_safeout.c -- the output sanitiser (src/safeout.c): each kind of
 * dangerous character and its visible escape, what passes (printable
 * ASCII, Chinese, newline and tab where the flags keep them), that
 * escaping twice changes nothing, the truncating string form, and random
 * bytes always giving valid UTF-8 without a control.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safeout.h"
#include "tap.h"

/* Whether s is valid UTF-8 (strictly) with no C0 but newline and tab, no
   DEL, no C1 control: what may reach a terminal. */
static int
terminal_safe(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned int	 cp;
	size_t		 i, n, k;

	for (i = 0; u[i] != '\0'; i += n) {
		if (u[i] < 0x80) {
			if ((u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') ||
			    u[i] == 0x7f)
				return 0;
			n = 1;
			continue;
		}
		if (u[i] >= 0xc2 && u[i] <= 0xdf)
			n = 2, cp = u[i] & 0x1f;
		else if (u[i] >= 0xe0 && u[i] <= 0xef)
			n = 3, cp = u[i] & 0x0f;
		else if (u[i] >= 0xf0 && u[i] <= 0xf4)
			n = 4, cp = u[i] & 0x07;
		else
			return 0;
		for (k = 1; k < n; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    cp <= 0x9f)
			return 0;
	}
	return 1;
}

/* safeout_strdup(in, flags) is want. */
static void
check(const char *name, const char *in, int flags, const char *want)
{
	char	*got = safeout_strdup(in, flags);

	if (!tap_ok(got != NULL && strcmp(got, want) == 0, "%s", name))
		tap_diag("got '%s', want '%s'", got ? got : "(null)", want);
	free(got);
}

/* What safeout_write() writes for len bytes of s, through a memory file. */
static char *
written(const char *s, size_t len, int flags)
{
	char	*buf = NULL;
	size_t	 n = 0;
	FILE	*fp;

	if ((fp = open_memstream(&buf, &n)) == NULL)
		return NULL;
	safeout_write(fp, s, len, flags);
	fclose(fp);
	return buf;
}

int
main(void)
{
	char	 buf[64], in[256], *a, *b;
	size_t	 i, k;
	int	 ok;

	check("OSC 0 (retitle): ESC and BEL escaped, the rest shows",
	    "a\033]0;x\007b", SAFEOUT_LINE, "a\\x1b]0;x\\x07b");
	check("OSC 52 (clipboard) ends with ST (ESC \\)",
	    "\033]52;c;aGk=\033\\", SAFEOUT_TEXT, "\\x1b]52;c;aGk=\\x1b\\");
	check("CSI 2 J (clear screen)", "\033[2J", SAFEOUT_TEXT, "\\x1b[2J");
	check("C1 CSI as UTF-8 (U+009B) is \\u009b", "x\302\2332J",
	    SAFEOUT_TEXT, "x\\u009b2J");
	check("U+0080 and U+009F, the ends of C1", "\302\200\302\237",
	    SAFEOUT_TEXT, "\\u0080\\u009f");
	check("U+00A0 is no control: it passes", "\302\240", SAFEOUT_LINE,
	    "\302\240");
	check("a raw C1 byte (0x9b) is invalid UTF-8: \\x9b", "\2332J",
	    SAFEOUT_TEXT, "\\x9b2J");
	check("invalid bytes one escape each", "Caf\351 \377\376", SAFEOUT_LINE,
	    "Caf\\xe9 \\xff\\xfe");
	check("overlong and surrogate encodings are invalid",
	    "\300\257\355\240\200", SAFEOUT_LINE,
	    "\\xc0\\xaf\\xed\\xa0\\x80");
	check("a UTF-8 sequence cut short", "ab\344\270", SAFEOUT_LINE,
	    "ab\\xe4\\xb8");
	check("DEL and the other C0 controls", "\177\001\b\f\v", SAFEOUT_LINE,
	    "\\x7f\\x01\\x08\\x0c\\x0b");
	check("one line: newline, tab and CR are \\n \\t \\r", "a\nb\tc\rd",
	    SAFEOUT_LINE, "a\\nb\\tc\\rd");
	check("text: newline and tab pass, CR does not", "a\nb\tc\rd",
	    SAFEOUT_TEXT, "a\nb\tc\\rd");
	check("SAFEOUT_NL alone keeps newlines, escapes tabs", "a\nb\tc",
	    SAFEOUT_NL, "a\nb\\tc");
	check("Chinese passes unchanged", "交叉熵损失：∂L/∂z ≈ 0.693 😀",
	    SAFEOUT_LINE, "交叉熵损失：∂L/∂z ≈ 0.693 😀");
	check("backslashes pass (escapes are for reading)", "\\x1b \\n",
	    SAFEOUT_LINE, "\\x1b \\n");
	check("empty string", "", SAFEOUT_LINE, "");

	a = safeout_strdup("\033]0;\302\233\377\n中", SAFEOUT_TEXT);
	b = safeout_strdup(a, SAFEOUT_TEXT);
	tap_ok(a != NULL && b != NULL && strcmp(a, b) == 0,
	    "escaping escaped text changes nothing");
	free(a);
	free(b);

	a = written("a\0b\033", 4, SAFEOUT_LINE);
	tap_ok(a != NULL && strcmp(a, "a\\x00b\\x1b") == 0,
	    "safeout_write: a NUL byte within len is \\x00");
	free(a);
	a = written("plain 中文\n", strlen("plain 中文\n"), SAFEOUT_TEXT);
	tap_ok(a != NULL && strcmp(a, "plain 中文\n") == 0,
	    "safeout_write: clean text is written as it is");
	free(a);
	tap_ok(safeout_clean("中文\n", strlen("中文\n"), SAFEOUT_TEXT) &&
	    !safeout_clean("中文\n", strlen("中文\n"), SAFEOUT_LINE) &&
	    !safeout_clean("\302\233", 2, SAFEOUT_TEXT) &&
	    !safeout_clean("\377", 1, SAFEOUT_TEXT),
	    "safeout_clean says what needs escaping");

	/* the string form: escaped, cut between pieces with "..." */
	safeout_str("ok \033 中", buf, sizeof buf);
	tap_ok(strcmp(buf, "ok \\x1b 中") == 0, "safeout_str escapes");
	safeout_str("abcdef\033", buf, 10);
	tap_ok(strcmp(buf, "abcdef...") == 0,
	    "safeout_str cuts before an escape that does not fit (%s)", buf);
	safeout_str("ab中文字", buf, 10);
	tap_ok(strcmp(buf, "ab中...") == 0 && terminal_safe(buf),
	    "safeout_str never splits a character (%s)", buf);
	safeout_str("abcdefghi", buf, 10);
	tap_ok(strcmp(buf, "abcdefghi") == 0, "safeout_str: exactly fits");
	safeout_str("abcdefghij", buf, 10);
	tap_ok(strcmp(buf, "abcdef...") == 0, "safeout_str: one too many");

	/* random bytes: always terminal-safe, escaping is idempotent, and
	   the string form is a safe prefix */
	srand(9);
	ok = 1;
	for (i = 0; i < 20000 && ok; i++) {
		size_t	len = (size_t)rand() % (sizeof in - 1);

		for (k = 0; k < len; k++) {
			in[k] = (char)(rand() % 255 + 1);
			/* bias towards the interesting bytes */
			if (rand() % 4 == 0)
				in[k] = "\033\302\233\237\n\t\344\270\255\377"
				    [rand() % 10];
		}
		in[len] = '\0';
		a = safeout_strdup(in, i % 2 ? SAFEOUT_TEXT : SAFEOUT_LINE);
		b = safeout_strdup(a, i % 2 ? SAFEOUT_TEXT : SAFEOUT_LINE);
		safeout_str(in, buf, (size_t)rand() % (sizeof buf - 4) + 4);
		ok = a != NULL && b != NULL && terminal_safe(a) &&
		    strcmp(a, b) == 0 && terminal_safe(buf) &&
		    (i % 2 || strchr(a, '\n') == NULL);
		if (!ok)
			tap_diag("input %zu bytes, case %zu", len, i);
		free(a);
		free(b);
	}
	tap_ok(ok, "20000 random strings: the output is always safe");
	return tap_done();
}
