/*
 * text.c -- UTF-8 display width, wrapping, truncation and padding.
 *
 * Decoding is done here (strictly: no overlongs, no surrogates, nothing past
 * U+10FFFF) so that the result never depends on whether the caller has set a
 * UTF-8 locale; the width of a decoded character comes from wcwidth() when
 * the current locale is UTF-8 (mbrtowc agrees with our decoding), else from
 * a small table of the East Asian wide ranges and combining marks.
 */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "strbuf.h"

int
text_utf8_valid(const char *s, size_t len)
{
	size_t	i = 0, n;
	unsigned int cp;

	while (i < len) {
		n = text_decode(s + i, len - i, &cp);
		if (cp == 0xfffd && n == 1)	/* a genuine U+FFFD is 3 bytes */
			return 0;
		i += n;
	}
	return 1;
}

size_t
text_decode(const char *s, size_t len, unsigned int *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned int	c, min;
	size_t		n, i;

	if (len == 0) {
		*cp = 0xfffd;
		return 1;
	}
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2; c &= 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3; c &= 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4; c &= 0x07; min = 0x10000;
	} else
		goto bad;
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xfffd;
	return 1;
}

/* Whether the current LC_CTYPE is UTF-8 (then wcwidth knows Unicode). */
static int
text_locale_utf8(void)
{
	const char *cs;

	if (MB_CUR_MAX == 1)
		return 0;
	cs = nl_langinfo(CODESET);
	return cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
}

/* The fallback table: East Asian Wide/Fullwidth ranges. */
static const unsigned int text_wide[][2] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
	{ 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xa960, 0xa97f },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe6f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 },
	{ 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff },
	{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd }
};

static const unsigned int text_zero[][2] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f }
};

int
text_cp_width(unsigned int cp)
{
	size_t	i;
	int	w;

	if (cp == 0)
		return 0;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x7f)
		return 1;
	if (text_locale_utf8() && sizeof(wchar_t) >= 4) {
		w = wcwidth((wchar_t)cp);
		if (w >= 0)
			return w;
		/* unassigned in this libc: fall through to the table */
	}
	for (i = 0; i < sizeof text_zero / sizeof text_zero[0]; i++)
		if (cp >= text_zero[i][0] && cp <= text_zero[i][1])
			return 0;
	for (i = 0; i < sizeof text_wide / sizeof text_wide[0]; i++)
		if (cp >= text_wide[i][0] && cp <= text_wide[i][1])
			return 2;
	return 1;
}

size_t
text_width_n(const char *s, size_t len)
{
	size_t		i = 0, w = 0, n;
	unsigned int	cp;

	while (i < len) {
		n = text_decode(s + i, len - i, &cp);
		if (cp == 0xfffd && n == 1)
			w += 1;		/* an invalid byte */
		else
			w += (size_t)text_cp_width(cp);
		i += n;
	}
	return w;
}

size_t
text_width(const char *s)
{
	return text_width_n(s, strlen(s));
}

/* Width of the character at s (len bytes left), with its length in *n. */
static int
text_char(const char *s, size_t len, size_t *n, unsigned int *cpp)
{
	unsigned int cp;

	*n = text_decode(s, len, &cp);
	if (cpp != NULL)
		*cpp = cp;
	if (cp == 0xfffd && *n == 1)
		return 1;
	return text_cp_width(cp);
}

size_t
text_fit(const char *s, int cols, size_t *width)
{
	size_t	i = 0, w = 0, n, len = strlen(s);
	int	cw;

	if (cols < 0)
		cols = 0;
	while (i < len) {
		cw = text_char(s + i, len - i, &n, NULL);
		if (w + (size_t)cw > (size_t)cols)
			break;
		w += (size_t)cw;
		i += n;
	}
	/* keep trailing zero-width marks with their base character */
	while (i < len) {
		cw = text_char(s + i, len - i, &n, NULL);
		if (cw != 0 || s[i] == '\n')
			break;
		i += n;
	}
	if (width != NULL)
		*width = w;
	return i;
}

char *
text_truncate(const char *s, int cols)
{
	size_t	len = strlen(s), n, w;
	char	*out;

	if (cols < 0)
		cols = 0;
	if (text_width(s) <= (size_t)cols)
		return strdup(s);
	if (cols < 2) {
		n = text_fit(s, cols, NULL);
		return strndup(s, n);
	}
	n = text_fit(s, cols - 1, &w);
	(void)len;
	if ((out = malloc(n + 4)) == NULL)
		return NULL;
	memcpy(out, s, n);
	memcpy(out + n, "\xe2\x80\xa6", 4);	/* U+2026, 1 column */
	return out;
}

char *
text_pad(const char *s, int cols, int right)
{
	char	*t, *out;
	size_t	 w, len, pad;

	if ((t = text_truncate(s, cols)) == NULL)
		return NULL;
	w = text_width(t);
	len = strlen(t);
	pad = (cols > 0 && (size_t)cols > w) ? (size_t)cols - w : 0;
	if ((out = malloc(len + pad + 1)) == NULL) {
		free(t);
		return NULL;
	}
	if (right) {
		memset(out, ' ', pad);
		memcpy(out + pad, t, len);
	} else {
		memcpy(out, t, len);
		memset(out + len, ' ', pad);
	}
	out[len + pad] = '\0';
	free(t);
	return out;
}

/* Whether a code point may be broken before or after (CJK and fullwidth). */
static int
text_breakable(unsigned int cp)
{
	return cp >= 0x2e80 && text_cp_width(cp) == 2;
}

/* CJK punctuation that must not start a line. */
static int
text_no_start(unsigned int cp)
{
	switch (cp) {
	case 0x3001: case 0x3002: case 0xff0c: case 0xff0e: case 0xff1a:
	case 0xff1b: case 0xff01: case 0xff1f: case 0xff09: case 0x300d:
	case 0x300f: case 0x3011: case 0x201d: case 0x2019:
		return 1;
	}
	return 0;
}

/* CJK opening brackets and quotes that must not end a line. */
static int
text_no_end(unsigned int cp)
{
	switch (cp) {
	case 0xff08: case 0x300c: case 0x300e: case 0x3010: case 0x300a:
	case 0x3008: case 0x201c: case 0x2018: case 0xff3b: case 0xff5b:
		return 1;
	}
	return 0;
}

/* Wrap one source line (no '\n') of len bytes into b. */
static void
text_wrap_line(struct strbuf *b, const char *s, size_t len, int cols)
{
	size_t	 indent = 0, i, n, lw, start, brk, brkw;
	size_t	 nn;
	unsigned int cp, ncp, pcp;
	int	 cw, first = 1;

	while (indent < len && s[indent] == ' ')
		indent++;
	if (indent >= (size_t)cols)
		indent = 0;
	i = indent;
	while (i < len || first) {
		/* one output line: indent + as much as fits */
		if (!first)
			strbuf_add(b, "\n", 1);
		strbuf_add(b, s, indent);
		if (!first)
			while (i < len && s[i] == ' ')
				i++;
		first = 0;
		start = i;
		lw = indent;
		brk = 0;	/* byte offset after which to break; 0: none */
		brkw = 0;
		pcp = 0;
		while (i < len) {
			cw = text_char(s + i, len - i, &n, &cp);
			if (cp == ' ') {
				brk = i;	/* break before this space */
				brkw = lw;
			}
			if (lw + (size_t)cw > (size_t)cols && i > start)
				break;
			/* a break before a CJK character (not after an opening
			   bracket) ... */
			if (text_breakable(cp) && i > start &&
			    !text_no_start(cp) && !text_no_end(pcp)) {
				brk = i;
				brkw = lw;
			}
			/* ... and after one (unless it opens a bracket or
			   closing punctuation follows) */
			if (text_breakable(cp) && !text_no_end(cp) &&
			    i + n < len) {
				text_char(s + i + n, len - i - n, &nn, &ncp);
				if (!text_no_start(ncp)) {
					brk = i + n;
					brkw = lw + (size_t)cw;
				}
			}
			lw += (size_t)cw;
			i += n;
			pcp = cp;
		}
		if (i >= len) {
			strbuf_add(b, s + start, len - start);
			break;
		}
		/* i is the first char that does not fit */
		if (s[i] == ' ') {
			strbuf_add(b, s + start, i - start);
		} else if (brk > start) {
			strbuf_add(b, s + start, brk - start);
			i = brk;
		} else {
			/* a word longer than the line: cut it */
			strbuf_add(b, s + start, i - start);
		}
		(void)brkw;
	}
}

char *
text_wrap(const char *s, int cols)
{
	struct strbuf	 b = STRBUF_INIT;
	const char	*nl;
	size_t		 len;

	if (cols < 1)
		cols = 1;
	strbuf_add(&b, "", 0);
	for (;;) {
		nl = strchr(s, '\n');
		len = nl ? (size_t)(nl - s) : strlen(s);
		/* drop trailing spaces of a source line */
		while (len > 0 && s[len - 1] == ' ')
			len--;
		text_wrap_line(&b, s, len, cols);
		if (nl == NULL)
			break;
		strbuf_add(&b, "\n", 1);
		s = nl + 1;
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
