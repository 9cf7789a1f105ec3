/*
 * safeout.h -- text from outside the program made safe to print on a
 * terminal: lesson files and their names, arguments, @FILE contents,
 * gnuplot's output, the catalogue.
 *
 * A terminal acts on control characters: ESC starts sequences that retitle
 * the window (OSC 0), write the clipboard (OSC 52) or clear the screen
 * (CSI 2 J); the C1 controls U+0080..U+009F do the same without an ESC
 * (U+009B is CSI), and bytes that are not UTF-8 may be read as them.  Here
 * every C0 control, DEL, C1 control and byte that is not part of valid
 * UTF-8 is written as a visible escape instead: \x1b (ESC and the other
 * C0 controls, DEL), \n, \t and \r (a newline, tab or carriage return
 * that may not pass), \u009b (a C1 control), \xff (an invalid byte).  What
 * an escaped ESC would have introduced is printable text and stays as it
 * is.  Valid UTF-8 -- Chinese -- passes unchanged, and so does the
 * backslash: the escapes are for people to read, not to be parsed back,
 * and escaping escaped text changes nothing.
 *
 * The flags say which of newline and tab pass: where the text has lines of
 * its own (a narrative, code) they do, in a message that is one line they
 * do not.  No curses; output only where a FILE is given.
 */
#ifndef LOSSLAB_SAFEOUT_H
#define LOSSLAB_SAFEOUT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define SAFEOUT_LINE	0x0	/* one line: newline, tab escaped */
#define SAFEOUT_NL	0x1	/* newlines pass */
#define SAFEOUT_TAB	0x2	/* tabs pass */
#define SAFEOUT_TEXT	(SAFEOUT_NL | SAFEOUT_TAB) /* lines of text */

/* Whether len bytes of s print as they are (nothing to escape). */
int		 safeout_clean(const char *s, size_t len, int flags);
/* Write len bytes of s to fp, escaped; 0, or EOF when a write fails. */
int		 safeout_write(FILE *fp, const char *s, size_t len,
		    int flags);
/* The same for a NUL-terminated string (NULL writes nothing). */
int		 safeout_fputs(FILE *fp, const char *s, int flags);
/* Format as printf does, then write the result escaped: the arguments and
   the format alike, so a newline the caller wants after a one-line
   message is written separately.  0, or EOF (a failed write; out of
   memory for a result over 1 KB writes its first 1 KB). */
int		 safeout_printf(FILE *fp, int flags, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
int		 safeout_vprintf(FILE *fp, int flags, const char *fmt,
		    va_list ap) __attribute__((format(printf, 3, 0)));
/* A new string: s escaped (NULL for s NULL); NULL when out of memory. */
char		*safeout_strdup(const char *s, int flags);
/* s escaped as one line into buf (len bytes, at least 4), cut with "..."
   between two characters or escapes when it does not fit; for quoting an
   argument in a message.  Returns buf. */
const char	*safeout_str(const char *s, char *buf, size_t len);

#endif
