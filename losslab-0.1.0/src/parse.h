/*
 * parse.h -- numbers and matrices as users type them.
 *
 * The value syntax of the command line and of lesson files:
 *   a,b,c          a 1-D vector
 *   a,b;c,d        a 2-D matrix, rows separated by ';'
 *   a,b;           a 2-D matrix of one row (a trailing ;)
 *   @FILE          the same syntax read from FILE, or one row a line with
 *                  the values separated by commas or blanks ('#' starts a
 *                  comment line)
 *   -              the same, read from standard input
 * Numbers are C decimal or exponent notation plus inf, -inf, +inf and nan
 * (any case); blanks around a number are ignored.  An empty string is an
 * empty 1-D vector.  A value has at most PARSE_MAX_VALUES numbers, an
 * @FILE or standard input at most PARSE_MAX_INPUT bytes; parsing takes time
 * linear in the length of the text.
 */
#ifndef LOSSLAB_PARSE_H
#define LOSSLAB_PARSE_H

#include "core/mat.h"

/* Most bytes read from an @FILE or standard input (64 MiB). */
#define PARSE_MAX_INPUT		(64u << 20)
/* Most numbers in one value (2^24 = 16777216). */
#define PARSE_MAX_VALUES	(1u << 24)

/* Parse a whole string as one number; 0, or -1 if it is not exactly one. */
int	 parse_double(const char *s, double *out);
/* Parse a whole string as an integer (e.g. an ignore_index); 0 or -1. */
int	 parse_long(const char *s, long *out);
/*
 * Parse the value syntax above from text (no @/- handling) into *m.  what
 * names the value in messages ("--input"); the message says where: "--input:
 * row 2 has 3 values, row 1 has 4", "--input: 'x1' is not a number (row 1,
 * value 2)".  Returns 0, or -1 with e set.
 */
int	 parse_matrix(const char *text, const char *what, struct mat *m,
	    struct err *e);
/* As parse_matrix, but an argument "@FILE" or "-" is read first; an
   unreadable file is "--input: cannot read 'FILE': <strerror>", one over
   the limit "--input: 'FILE' is larger than 64 MiB (the limit)". */
int	 parse_value_arg(const char *arg, const char *what, struct mat *m,
	    struct err *e);
/* Format a double compactly for people ("%.6g", with inf/-inf/nan). */
const char *parse_fmt(double v, char *buf, size_t len);
/* Format a double in the shortest form that parse_double() reads back as
   exactly the same double: "0.1", "1e-310", "3", "inf", "nan" (-0 as "0").
   buf should hold at least 32 bytes.  Returns buf. */
const char *parse_fmt_exact(double v, char *buf, size_t len);

#endif
