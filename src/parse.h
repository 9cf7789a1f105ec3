/*
 * parse.h -- numbers and matrices as users type them.
 *
 * The value syntax of the command line, of lesson files (src/lesson.c reads
 * its tensors with parse_matrix_max) and of text files:
 *   a,b,c          a 1-D vector; values are separated by a comma, blanks,
 *                  or both ("1 2 3" too); an empty value ("1,,2", "1,")
 *                  is an error
 *   a,b;c,d        a 2-D matrix, rows separated by ';' or by newlines (a
 *                  blank line, or the rest of a line after ';', is no
 *                  row; ";;" is an empty row, an error)
 *   a,b;           a 2-D matrix of one row (a trailing ;)
 *   [a,b,c]        PyTorch style: 1-D; [[a,b],[c,d]] 2-D, [[a,b]] one
 *                  row; newlines inside brackets are blanks; [] is empty
 *   @FILE          the same syntax read from FILE, where also '#' starts a
 *                  comment line and a first line with no number in it is
 *                  a header, skipped; a file of one value a line (what
 *                  np.savetxt writes for a 1-D array) is 1-D, as
 *                  np.loadtxt reads it, unless it uses ';' or brackets; or,
 *                  when FILE starts with NumPy's magic string, a .npy
 *                  array (npy.h) of rank 0 to 2
 *   -              the same as @FILE, read from standard input
 * Numbers are C decimal or exponent notation plus inf, -inf, +inf and nan
 * (any case); hexadecimal, "infinity" and overflow (1e999) are refused,
 * underflow (1e-400) rounds to 0 or a subnormal.  An empty (or blank)
 * string is an empty 1-D vector.  A value has at most PARSE_MAX_VALUES
 * numbers, an @FILE or standard input at most PARSE_MAX_INPUT bytes of
 * text (a .npy file at most NPY_MAX_FILE bytes); parsing takes time linear
 * in the length of the text.
 */
#ifndef LOSSLAB_PARSE_H
#define LOSSLAB_PARSE_H

#include "core/mat.h"
#include "npy.h"

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
/* As parse_matrix, with at most max values (a lesson's limit), and on
   failure *line (when line is not NULL) set to the line of text (1 for the
   first) holding the problem: a lesson block's row reports its own line. */
int	 parse_matrix_max(const char *text, const char *what, size_t max,
	    size_t *line, struct mat *m, struct err *e);
/* As parse_matrix, but an argument "@FILE" or "-" is read first; an
   unreadable file is "--input: cannot read 'FILE': <strerror>", one over
   the limit "--input: 'FILE' is larger than 64 MiB (the limit)". */
int	 parse_value_arg(const char *arg, const char *what, struct mat *m,
	    struct err *e);
/* What a value was read from, for the notes a command prints and for
   dtype-aware code: PARSE_INFO_INIT when it was typed. */
struct parse_info {
	enum npy_type	 type;		/* the .npy dtype; NPY_NONE for text */
	int		 npy_ndim;	/* the .npy array's rank */
	size_t		 npy_shape[NPY_MAX_NDIM]; /* and its shape */
	int		 allow_nd;	/* in: the caller takes a .npy array
					   of rank 3 or more (flattened into a
					   1-D mat, its shape above) */
	size_t		 header_line;	/* the header line skipped, or 0 */
};

#define PARSE_INFO_INIT { NPY_NONE, 0, { 0 }, 0, 0 }

/* As parse_value_arg, saying in *info (which may be NULL) what the value
   was read from.  A .npy file's own errors read "--input: 'F': truncated:
   ..." (npy_parse's message); one of rank 3 or more is refused unless
   info->allow_nd is set on entry (then flattened, its shape in info). */
int	 parse_value_arg_info(const char *arg, const char *what,
	    struct mat *m, struct parse_info *info, struct err *e);
/* Format a double compactly for people ("%.6g", with inf/-inf/nan). */
const char *parse_fmt(double v, char *buf, size_t len);
/* Format a double in the shortest form that parse_double() reads back as
   exactly the same double: "0.1", "1e-310", "3", "100", "inf", "nan" (-0 as
   "0"); dtoa_fmt()'s text (src/dtoa.h: Python's repr() without ".0").
   buf should hold at least 32 bytes.  Returns buf. */
const char *parse_fmt_exact(double v, char *buf, size_t len);

#endif
