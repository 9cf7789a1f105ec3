/*
 * strbuf.h -- a growing NUL-terminated string, for the modules that build
 * text (gnuplot scripts, rendered narratives, wrapped paragraphs).
 *
 * Allocation failure is sticky: after it every append is a no-op and `oom`
 * stays set, so callers check once at the end instead of after each append.
 */
#ifndef LOSSLAB_STRBUF_H
#define LOSSLAB_STRBUF_H

#include <stddef.h>

struct strbuf {
	char	*p;	/* NUL-terminated once anything was added; may be NULL */
	size_t	 len;
	size_t	 cap;
	int	 oom;	/* an allocation failed; the contents are incomplete */
};

#define STRBUF_INIT	{ NULL, 0, 0, 0 }

/* Append n bytes of s. */
void	 strbuf_add(struct strbuf *b, const char *s, size_t n);
/* Append a formatted string (any length). */
void	 strbuf_printf(struct strbuf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Free the contents and reset b to STRBUF_INIT. */
void	 strbuf_free(struct strbuf *b);

#endif
