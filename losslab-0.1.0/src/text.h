/*
 * text.h -- UTF-8 text measured in terminal columns, for the explorer and
 * --dump: display width (wcwidth through mbrtowc when the locale is UTF-8,
 * else a built-in table in which CJK ideographs and fullwidth forms are 2
 * columns and combining marks 0), paragraph wrapping, truncation and
 * padding.  Invalid UTF-8 bytes count as one column each and are never
 * split.  No curses, no output.
 */
#ifndef LOSSLAB_TEXT_H
#define LOSSLAB_TEXT_H

#include <stddef.h>

/* Whether len bytes of s are valid UTF-8 (no overlongs, no surrogates). */
int		 text_utf8_valid(const char *s, size_t len);
/* Decode one character at s (at most len bytes) into *cp; returns its
   length in bytes (>= 1; an invalid byte decodes as U+FFFD, length 1). */
size_t		 text_decode(const char *s, size_t len, unsigned int *cp);
/* Columns of one code point: 0 (combining, control), 1 or 2. */
int		 text_cp_width(unsigned int cp);
/* Display columns of a NUL-terminated string / of len bytes. */
size_t		 text_width(const char *s);
size_t		 text_width_n(const char *s, size_t len);

/*
 * Wrap s to at most cols columns (cols < 1 is taken as 1).  Newlines in s end
 * a line; blank lines are kept; leading spaces of a source line are kept as
 * its indent.  Latin text breaks at spaces (a word longer than cols is cut),
 * CJK text may break between any two wide characters.  Returns a new
 * string, lines joined by '\n' with no trailing newline, or NULL when out of
 * memory.
 */
char		*text_wrap(const char *s, int cols);
/* Number of bytes of s that fit in cols columns without splitting a
   character; *width (if not NULL) gets their width. */
size_t		 text_fit(const char *s, int cols, size_t *width);
/* New string: s cut to cols columns ("…" marks a cut when cols >= 2). */
char		*text_truncate(const char *s, int cols);
/* New string: s truncated as above, then padded with spaces to exactly cols
   columns (left-aligned; right-aligned if right != 0). */
char		*text_pad(const char *s, int cols, int right);

#endif
