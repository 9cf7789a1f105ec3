/*
 * safeout.c -- text from outside made safe for a terminal (see safeout.h).
 *
 * One walk over the text, a character at a time (UTF-8 decoded strictly by
 * text.c: no overlongs, no surrogates, nothing past U+10FFFF), decides what
 * passes and what becomes an escape; the writers copy the runs that pass
 * in one piece and the escapes between them.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safeout.h"
#include "strbuf.h"
#include "text.h"

/* An escape is at most "\u009f" or "\xff". */
#define SAFEOUT_ESC_MAX	8

/*
 * The character at s (len >= 1 bytes left): its length in bytes, and in esc
 * the escape that stands for it, or "" when it passes as it is.
 */
static size_t
safeout_char(const char *s, size_t len, int flags, char *esc)
{
	unsigned char	 c = (unsigned char)*s;
	unsigned int	 cp;
	size_t		 n;

	esc[0] = '\0';
	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c < 0x80) {
		if (c == '\n' && !(flags & SAFEOUT_NL))
			strcpy(esc, "\\n");
		else if (c == '\t' && !(flags & SAFEOUT_TAB))
			strcpy(esc, "\\t");
		else if (c == '\r')
			strcpy(esc, "\\r");
		else if (c != '\n' && c != '\t')
			snprintf(esc, SAFEOUT_ESC_MAX, "\\x%02x", c);
		return 1;
	}
	n = text_decode(s, len, &cp);
	if (n == 1)	/* a byte >= 0x80 alone is never valid UTF-8 */
		snprintf(esc, SAFEOUT_ESC_MAX, "\\x%02x", c);
	else if (cp <= 0x9f)
		snprintf(esc, SAFEOUT_ESC_MAX, "\\u%04x", cp);
	return n;
}

int
safeout_clean(const char *s, size_t len, int flags)
{
	char	 esc[SAFEOUT_ESC_MAX];
	size_t	 i;

	for (i = 0; i < len; ) {
		i += safeout_char(s + i, len - i, flags, esc);
		if (esc[0] != '\0')
			return 0;
	}
	return 1;
}

int
safeout_write(FILE *fp, const char *s, size_t len, int flags)
{
	char	 esc[SAFEOUT_ESC_MAX];
	size_t	 i, run = 0, n;

	for (i = 0; i < len; i += n) {
		n = safeout_char(s + i, len - i, flags, esc);
		if (esc[0] == '\0')
			continue;
		if (i > run && fwrite(s + run, 1, i - run, fp) != i - run)
			return EOF;
		if (fputs(esc, fp) == EOF)
			return EOF;
		run = i + n;
	}
	if (len > run && fwrite(s + run, 1, len - run, fp) != len - run)
		return EOF;
	return 0;
}

int
safeout_fputs(FILE *fp, const char *s, int flags)
{
	if (s == NULL)
		return 0;
	return safeout_write(fp, s, strlen(s), flags);
}

int
safeout_vprintf(FILE *fp, int flags, const char *fmt, va_list ap)
{
	char	 buf[1024], *p = buf;
	va_list	 aq;
	int	 n, rc;

	va_copy(aq, ap);
	n = vsnprintf(buf, sizeof buf, fmt, aq);
	va_end(aq);
	if (n < 0)
		return EOF;
	if ((size_t)n >= sizeof buf) {
		if ((p = malloc((size_t)n + 1)) != NULL)
			vsnprintf(p, (size_t)n + 1, fmt, ap);
		else {
			p = buf;
			n = (int)strlen(buf);
		}
	}
	rc = safeout_write(fp, p, (size_t)n, flags);
	if (p != buf)
		free(p);
	return rc;
}

int
safeout_printf(FILE *fp, int flags, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = safeout_vprintf(fp, flags, fmt, ap);
	va_end(ap);
	return rc;
}

char *
safeout_strdup(const char *s, int flags)
{
	struct strbuf	 b = STRBUF_INIT;
	char		 esc[SAFEOUT_ESC_MAX];
	size_t		 i, run = 0, n, len;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	for (i = 0; i < len; i += n) {
		n = safeout_char(s + i, len - i, flags, esc);
		if (esc[0] == '\0')
			continue;
		strbuf_add(&b, s + run, i - run);
		strbuf_add(&b, esc, strlen(esc));
		run = i + n;
	}
	strbuf_add(&b, s + run, len - run);
	if (b.oom) {
		strbuf_free(&b);
		return NULL;
	}
	return b.p != NULL ? b.p : strdup("");
}

const char *
safeout_str(const char *s, char *buf, size_t len)
{
	char	 esc[SAFEOUT_ESC_MAX];
	size_t	 i, n, k, pos = 0, cut = 0, slen = strlen(s);

	if (len < 4) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	for (i = 0; i < slen; i += n) {
		n = safeout_char(s + i, slen - i, SAFEOUT_LINE, esc);
		k = esc[0] != '\0' ? strlen(esc) : n;
		if (pos + k >= len) {
			/* does not fit: "..." after the last piece it fits
			   after */
			memcpy(buf + cut, "...", 4);
			return buf;
		}
		memcpy(buf + pos, esc[0] != '\0' ? esc : s + i, k);
		pos += k;
		if (pos + 4 <= len)
			cut = pos;
	}
	buf[pos] = '\0';
	return buf;
}
