/*
 * draw.c -- clipped and wrapped UTF-8 output into curses windows.
 *
 * Widths come from text.h (a Chinese character is two columns), so that a
 * line never overflows its pane: curses itself would wrap it onto the next
 * line.  Control characters are replaced by spaces before output; outside
 * a UTF-8 locale, characters beyond ASCII by '?'s of their width.
 */
#include "config.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui/colors.h"
#include "ui/draw.h"

/* Whether the locale's character set is UTF-8 (else curses cannot show
   anything beyond ASCII, and each other character is drawn as '?'s of its
   width, so that the layout holds). */
static int
draw_utf8(void)
{
	static int	utf8 = -1;
	const char	*cs;

	if (utf8 == -1) {
		cs = nl_langinfo(CODESET);
		utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
		    strcmp(cs, "utf8") == 0);
	}
	return utf8;
}

/* Copy n bytes of s as ASCII: other characters become '?' per column. */
static size_t
draw_ascii(const char *s, size_t n, char *out)
{
	size_t		i = 0, o = 0, len;
	unsigned int	cp;
	int		w;

	while (i < n) {
		len = text_decode(s + i, n - i, &cp);
		if (cp < 0x80)
			out[o++] = (char)cp;
		else
			for (w = text_cp_width(cp); w > 0; w--)
				out[o++] = '?';
		i += len;
	}
	out[o] = '\0';
	return o;
}

int
draw_str(WINDOW *w, int y, int x, int cols, int role, const char *s)
{
	size_t	 n, width = 0, i;
	char	 small[256], *buf;

	if (s == NULL || cols <= 0)
		return 0;
	n = text_fit(s, cols, &width);
	if (n == 0)
		return 0;
	/* ASCII output is never longer than width + n bytes. */
	buf = n + width < sizeof small ? small : malloc(n + width + 1);
	if (buf == NULL)
		return 0;
	if (draw_utf8()) {
		memcpy(buf, s, n);
		buf[n] = '\0';
	} else
		n = draw_ascii(s, n, buf);
	for (i = 0; i < n; i++) {
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	}
	wattrset(w, colors_attr(role));
	mvwaddnstr(w, y, x, buf, (int)n);
	wattrset(w, colors_attr(ROLE_NORMAL));
	if (buf != small)
		free(buf);
	return (int)width;
}

int
draw_trunc(WINDOW *w, int y, int x, int cols, int role, const char *s)
{
	char	*t;
	int	 n;

	if (s == NULL || cols <= 0)
		return 0;
	if ((int)text_width(s) <= cols)
		return draw_str(w, y, x, cols, role, s);
	t = text_truncate(s, cols);
	if (t == NULL)
		return draw_str(w, y, x, cols, role, s);
	n = draw_str(w, y, x, cols, role, t);
	free(t);
	return n;
}

int
draw_fmt(WINDOW *w, int y, int x, int cols, int role, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_str(w, y, x, cols, role, buf);
}

int
draw_right(WINDOW *w, int y, int x, int cols, int role, const char *s)
{
	int	width;

	if (s == NULL || cols <= 0)
		return 0;
	width = (int)text_width(s);
	if (width > cols)
		return draw_str(w, y, x, cols, role, s);
	return draw_str(w, y, x + cols - width, width, role, s);
}

void
draw_fill(WINDOW *w, int y, int x, int cols, int role)
{
	int	i;

	if (cols <= 0)
		return;
	wattrset(w, colors_attr(role));
	wmove(w, y, x);
	for (i = 0; i < cols; i++)
		waddch(w, ' ');
	wattrset(w, colors_attr(ROLE_NORMAL));
}

int
draw_wrapped(WINDOW *w, int y, int x, int cols, int maxlines, int role,
    const char *s)
{
	char	*wrapped, *line, *next;
	int	 n = 0;

	if (s == NULL || *s == '\0' || cols <= 0)
		return 0;
	wrapped = text_wrap(s, cols);
	if (wrapped == NULL)
		return 0;
	for (line = wrapped; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (maxlines < 0 || n < maxlines)
			draw_str(w, y + n, x, cols, role, line);
		n++;
	}
	free(wrapped);
	return n;
}

int
draw_wrapped_lines(const char *s, int cols)
{
	char	*wrapped, *p;
	int	 n = 1;

	if (s == NULL || *s == '\0' || cols <= 0)
		return 0;
	wrapped = text_wrap(s, cols);
	if (wrapped == NULL)
		return 0;
	for (p = wrapped; *p != '\0'; p++)
		if (*p == '\n')
			n++;
	free(wrapped);
	return n;
}
