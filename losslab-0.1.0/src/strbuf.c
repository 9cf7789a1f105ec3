/*
 * strbuf.c -- a growing NUL-terminated string (see strbuf.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Make room for n more bytes and the NUL; 0, or -1 (and oom) on failure. */
static int
strbuf_grow(struct strbuf *b, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (b->oom)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < b->len + n + 1) {
		if (ncap > (size_t)-1 / 2) {
			b->oom = 1;
			return -1;
		}
		ncap *= 2;
	}
	if ((np = realloc(b->p, ncap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = np;
	b->cap = ncap;
	return 0;
}

void
strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	if (strbuf_grow(b, n) != 0)
		return;
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || strbuf_grow(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
strbuf_free(struct strbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}
