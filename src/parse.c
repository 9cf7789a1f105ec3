/*
 * parse.c -- numbers and matrices as users type them (see parse.h).
 *
 * Parsing never guesses: a value that is not exactly a number, a row with a
 * different number of values than the first, or a file that cannot be read
 * is an error that names the value, the row and the position.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dtoa.h"
#include "i18n.h"
#include "parse.h"

int
parse_double(const char *s, double *out)
{
	const char	*p = s, *q;
	char		*end;
	double		 v;
	int		 neg = 0;

	while (isspace((unsigned char)*p))
		p++;
	q = p;
	if (*q == '+' || *q == '-') {
		neg = (*q == '-');
		q++;
	}
	/* Spell the non-finite values ourselves: strtod also takes "infinity",
	   "nan(...)" and hexadecimal, which no user of this tool means. */
	if (strncasecmp(q, "inf", 3) == 0 || strncasecmp(q, "nan", 3) == 0) {
		v = (tolower((unsigned char)*q) == 'i') ? INFINITY : NAN;
		end = (char *)q + 3;
		if (neg)
			v = -v;
	} else {
		if (!isdigit((unsigned char)*q) && *q != '.')
			return -1;
		if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
			return -1;
		errno = 0;
		v = strtod(p, &end);
		if (end == p)
			return -1;
		/* Overflow (1e999) is refused rather than silently made inf;
		   underflow to a subnormal or zero is a faithful rounding. */
		if (errno == ERANGE && isinf(v))
			return -1;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
parse_long(const char *s, long *out)
{
	char	*end;
	long	 v;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Growable array of doubles used while the shape is not yet known. */
struct vec {
	double	*v;
	size_t	 n, cap;
};

/* Append x; -1 when out of memory. */
static int
vec_push(struct vec *a, double x)
{
	double	*nv;
	size_t	 ncap;

	if (a->n == a->cap) {
		ncap = a->cap ? a->cap * 2 : 16;
		nv = realloc(a->v, ncap * sizeof *nv);
		if (nv == NULL)
			return -1;
		a->v = nv;
		a->cap = ncap;
	}
	a->v[a->n++] = x;
	return 0;
}

/* A blank between values.  A newline is one only inside brackets; else it
   ends a row. */
static int
is_blank_ch(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether the text holds nothing but blanks (newlines included). */
static int
is_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* One parse under way: what the messages need, and the values so far. */
struct scan {
	const char	*what;		/* the value's name in messages */
	size_t		 max;		/* most values */
	size_t		 line;		/* the line of text being read, from 1 */
	int		 semi;		/* a row ended with ';' */
	int		 brackets;	/* written in brackets */
	struct vec	 a;
	struct err	*e;
};

/* Parse the number tok[0..n) (no blanks in it), value col of row, and
   append it. */
static int
parse_token(struct scan *s, const char *tok, size_t n, size_t row,
    size_t col)
{
	char	 buf[128];
	double	 x;

	if (n >= sizeof buf)
		return err_set(s->e, _("%s: value %zu of row %zu is too long "
		    "to be a number"), s->what, col, row);
	memcpy(buf, tok, n);
	buf[n] = '\0';
	if (parse_double(buf, &x) != 0)
		return err_set(s->e, _("%s: '%s' is not a number (row %zu, "
		    "value %zu)"), s->what, buf, row, col);
	if (s->a.n >= s->max)
		return err_set(s->e, _("%s: more than %zu values (the limit)"),
		    s->what, s->max);
	if (vec_push(&s->a, x) != 0)
		return err_set(s->e, _("out of memory"));
	return 0;
}

/*
 * Read the values of row `row` from *pp up to the first character of stop
 * (or the end of the text), leaving *pp there and their count in *np.
 * stop starts with the characters that end a value: ", \t\r\v\f\n"
 * (SCAN_ENDS), then those that end the row.
 * Values are separated by a comma, blanks, or both; two commas with no
 * value between them, or one before the first value or after the last, are
 * an empty value.  Newlines are blanks when nl_blank (inside brackets).
 */
#define SCAN_ENDS	", \t\r\v\f\n"
#define SCAN_NENDS	(sizeof SCAN_ENDS - 1)

static int
scan_values(struct scan *s, const char **pp, const char *stop, int nl_blank,
    size_t row, size_t *np)
{
	const char	*p = *pp, *t;
	size_t		 n = 0;
	int		 comma = 0;	/* a comma since the last value */

	for (;;) {
		while (is_blank_ch(*p) || (nl_blank && *p == '\n')) {
			if (*p == '\n')
				s->line++;
			p++;
		}
		if (*p == '\0' || strchr(stop + SCAN_NENDS, *p) != NULL) {
			if (comma)
				return err_set(s->e, _("%s: empty value (row "
				    "%zu, value %zu)"), s->what, row, n + 1);
			break;
		}
		if (*p == ',') {
			if (comma || n == 0)
				return err_set(s->e, _("%s: empty value (row "
				    "%zu, value %zu)"), s->what, row, n + 1);
			comma = 1;
			p++;
			continue;
		}
		/* the value ends at a separator, a blank or a stop */
		t = p + strcspn(p, stop);
		if (parse_token(s, p, (size_t)(t - p), row, n + 1) != 0)
			return -1;
		n++;
		comma = 0;
		p = t;
	}
	*pp = p;
	*np = n;
	return 0;
}

/* Whether row [p, rowend) of a file holds no number at all: a header
   such as "logit,label". */
static int
row_is_header(const char *p, const char *rowend)
{
	char		 buf[128];
	const char	*q = p, *tokend;
	size_t		 n;
	double		 x;

	while (q < rowend) {
		q += strspn(q, ", \t\r");
		if (q >= rowend)
			break;
		tokend = q + strcspn(q, ", \t\r\n");
		if (tokend > rowend)
			tokend = rowend;
		n = (size_t)(tokend - q);
		if (n < sizeof buf) {
			memcpy(buf, q, n);
			buf[n] = '\0';
			if (parse_double(buf, &x) == 0)
				return 0;
		}
		q = tokend;
	}
	return 1;
}

/* Skip blanks and newlines (inside brackets). */
static const char *
skip_blank_nl(struct scan *s, const char *p)
{
	while (is_blank_ch(*p) || *p == '\n') {
		if (*p == '\n')
			s->line++;
		p++;
	}
	return p;
}

/* The message for the character at p where brackets went wrong. */
static int
bracket_error(struct scan *s, const char *p)
{
	if (*p == '\0')
		return err_set(s->e, _("%s: a '[' is not closed"), s->what);
	if (*p == '[')
		return err_set(s->e, _("%s: brackets nested more than 2 deep "
		    "(a value has 1 or 2 dimensions)"), s->what);
	if (*p == ';')
		return err_set(s->e, _("%s: ';' inside brackets (rows are "
		    "written [[a, b], [c, d]])"), s->what);
	return err_set(s->e, _("%s: text after the closing ']' (rows are "
	    "written [[a, b], [c, d]])"), s->what);
}

/*
 * The PyTorch form: "[a, b, c]" is 1-D, "[[a, b], [c, d]]" 2-D (and
 * "[[a, b]]" 1 x 2); "[]" is the empty vector.  Newlines are blanks.
 */
static int
parse_brackets(struct scan *s, const char *p, size_t *rowsp, size_t *colsp)
{
	size_t	nrows = 0, ncols = 0, n;

	s->brackets = 1;
	p = skip_blank_nl(s, p) + 1;		/* the '[' */
	p = skip_blank_nl(s, p);
	if (*p != '[') {
		if (scan_values(s, &p, SCAN_ENDS "[];", 1, 1, &n) != 0)
			return -1;
		if (*p != ']')
			return bracket_error(s, p);
		p++;
		nrows = 1;
		ncols = n;
	} else {
		for (;;) {
			p++;			/* a row's '[' */
			if (scan_values(s, &p, SCAN_ENDS "[];", 1, nrows + 1,
			    &n) != 0)
				return -1;
			if (*p != ']')
				return bracket_error(s, p);
			p++;
			if (n == 0)
				return err_set(s->e, _("%s: row %zu is empty"),
				    s->what, nrows + 1);
			nrows++;
			if (nrows == 1)
				ncols = n;
			else if (n != ncols)
				return err_set(s->e, _("%s: row %zu has %zu "
				    "values, row 1 has %zu"), s->what, nrows, n,
				    ncols);
			p = skip_blank_nl(s, p);
			if (*p == ']')
				break;
			if (*p == ',')
				p = skip_blank_nl(s, p + 1);
			if (*p != '[')
				return *p == '\0' ? bracket_error(s, p) :
				    err_set(s->e, _("%s: ',' and a '[' "
				    "expected after row %zu"), s->what, nrows);
		}
		p++;
		s->semi = 1;			/* 2-D even with one row */
	}
	p = skip_blank_nl(s, p);
	if (*p != '\0')
		return bracket_error(s, p);
	*rowsp = nrows;
	*colsp = ncols;
	return 0;
}

/*
 * Rows end at ';' or at a newline; a blank line (or the rest of a line
 * after ';') is no row, but a blank row between two ';' is an error.  In a
 * file (file set) '#' lines are comments and a first row holding no number
 * is a header, its line in *header.  Every row must have as many values as
 * the first.  Linear in the length of the text.
 */
static int
parse_plain(struct scan *s, const char *text, int file, size_t *header,
    size_t *rowsp, size_t *colsp)
{
	const char	*p = text, *rowend, *q;
	size_t		 nrows = 0, ncols = 0, n;

	for (;;) {
		rowend = p + strcspn(p, ";\n");
		if (file && p[strspn(p, " \t\r")] == '#') {
			rowend = p + strcspn(p, "\n");	/* a comment */
			goto next;
		}
		if (is_blank(p, (size_t)(rowend - p))) {
			if (*rowend == ';')
				return err_set(s->e, _("%s: row %zu is empty"),
				    s->what, nrows + 1);
			goto next;
		}
		if (file && nrows == 0 && header != NULL && *header == 0 &&
		    row_is_header(p, rowend)) {
			*header = s->line;
			goto next;
		}
		q = p;
		if (scan_values(s, &q, SCAN_ENDS ";\n", 0, nrows + 1, &n) != 0)
			return -1;
		nrows++;
		if (nrows == 1)
			ncols = n;
		else if (n != ncols)
			return err_set(s->e, _("%s: row %zu has %zu values, "
			    "row 1 has %zu"), s->what, nrows, n, ncols);
next:
		if (*rowend == '\0')
			break;
		if (*rowend == ';')
			s->semi = 1;
		else
			s->line++;
		p = rowend + 1;
	}
	*rowsp = nrows;
	*colsp = ncols;
	return 0;
}

/*
 * Parse text in the value syntax (parse.h) into *m: the bracket form if
 * it starts with '[', else rows.  *s comes in with what, max and e set;
 * on failure s->line is the line of the problem.
 */
static int
parse_rows(struct scan *s, const char *text, int file, size_t *header,
    struct mat *m)
{
	size_t	nrows = 0, ncols = 0;
	int	rc;

	s->line = 1;
	s->semi = s->brackets = 0;
	s->a.v = NULL;
	s->a.n = s->a.cap = 0;
	if (text[strspn(text, " \t\r\v\f\n")] == '[')
		rc = parse_brackets(s, text, &nrows, &ncols);
	else
		rc = parse_plain(s, text, file, header, &nrows, &ncols);
	if (rc == 0)
		rc = mat_alloc(m, nrows > 1 || (s->semi && nrows > 0) ? 2 : 1,
		    nrows ? nrows : 1, ncols, s->e);
	if (rc == 0 && s->a.n)
		memcpy(m->v, s->a.v, s->a.n * sizeof *s->a.v);
	free(s->a.v);
	s->a.v = NULL;
	return rc;
}

int
parse_matrix(const char *text, const char *what, struct mat *m,
    struct err *e)
{
	return parse_matrix_max(text, what, PARSE_MAX_VALUES, NULL, m, e);
}

int
parse_matrix_max(const char *text, const char *what, size_t max,
    size_t *line, struct mat *m, struct err *e)
{
	struct scan	s;
	int		rc;

	s.what = what;
	s.max = max;
	s.e = e;
	rc = parse_rows(&s, text, 0, NULL, m);
	if (line != NULL)
		*line = rc == 0 ? 0 : s.line;
	return rc;
}

/*
 * Read all of fp into a new NUL-terminated buffer: 0, -1 on a read error or
 * no memory (errno set), -2 when it holds more than PARSE_MAX_INPUT bytes.
 */
static int
read_all(FILE *fp, char **textp, size_t *lenp)
{
	char	*buf = NULL, *nb;
	size_t	 len = 0, cap = 0, got, limit = PARSE_MAX_INPUT;
	int	 rc;

	*textp = NULL;
	for (;;) {
		if (cap - len < 2) {
			/* room for one byte past the limit, and the NUL */
			cap = cap ? cap * 2 : 8192;
			if (cap > limit + 2)
				cap = limit + 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len - 1, fp);
		len += got;
		/* A .npy file may be larger than text: its own limit. */
		if (limit == PARSE_MAX_INPUT && npy_is_npy(buf, len))
			limit = NPY_MAX_FILE;
		if (len > limit) {
			rc = npy_is_npy(buf, len) ? -3 : -2;
			free(buf);
			return rc;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		free(buf);
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	buf[len] = '\0';
	*textp = buf;
	*lenp = len;
	return 0;
}

/* A .npy array as a mat (a caller with allow_nd takes any rank, flattened
   to 1-D, its shape in parse_info): () and (n,) as 1-D, (r, c) as
   2-D.  Takes a's values. */
static int
npy_to_mat(struct npy_array *a, const char *what, const char *name,
    struct mat *m, int allow_nd, struct err *e)
{
	static const struct mat	 empty = MAT_INIT;
	char			 shape[NPY_MAX_NDIM * 22];

	if (a->ndim > 2 && allow_nd) {
		*m = empty;
		m->ndim = 1;
		m->rows = 1;
		m->cols = a->count;
		m->v = a->v;
		m->map = a->map;
		m->maplen = a->maplen;
		m->f32 = a->f32;
		a->v = NULL;
		a->map = NULL;
		a->f32 = NULL;
		return 0;
	}
	if (a->ndim > 2)
		return err_set(e, _("%s: '%s' has shape %s: arrays of more "
		    "than 2 dimensions are not supported yet"), what, name,
		    npy_shape_str(a, shape, sizeof shape));
	*m = empty;
	m->ndim = a->ndim == 2 ? 2 : 1;
	m->rows = a->ndim == 2 ? a->shape[0] : 1;
	m->cols = a->ndim == 0 ? 1 : a->shape[a->ndim - 1];
	m->v = a->v;
	m->map = a->map;
	m->maplen = a->maplen;
	m->f32 = a->f32;
	a->v = NULL;
	a->map = NULL;
	a->f32 = NULL;
	return 0;
}

int
parse_value_arg(const char *arg, const char *what, struct mat *m,
    struct err *e)
{
	return parse_value_arg_info(arg, what, m, NULL, e);
}

int
parse_value_arg_info(const char *arg, const char *what, struct mat *m,
    struct parse_info *info, struct err *e)
{
	static const struct parse_info	 noinfo = PARSE_INFO_INIT;
	struct npy_array		 a;
	struct err			 ne;
	struct scan			 s;
	size_t				 header = 0, nlen;
	int				 allow_nd = info != NULL && info->allow_nd;

	FILE		*fp;
	char		*text;
	const char	*name;
	size_t		 len = 0;
	int		 rc, saved;

	if (info != NULL) {
		*info = noinfo;
		info->allow_nd = allow_nd;
	}
	if (arg[0] != '@' && strcmp(arg, "-") != 0)
		return parse_matrix(arg, what, m, e);
	name = arg[0] == '@' ? arg + 1 : "standard input";
	/* A .npy file the fast reader takes (npy_read_path); otherwise,
	   and for every error, the whole file through npy_parse below. */
	if (arg[0] == '@' && npy_read_path(arg + 1, &a) == 1) {
		if (info != NULL) {
			info->type = a.type;
			info->npy_ndim = a.ndim;
			memcpy(info->npy_shape, a.shape, sizeof a.shape);
		}
		rc = npy_to_mat(&a, what, name, m, allow_nd, e);
		npy_free(&a);
		return rc;
	}
	if (arg[0] == '-')
		fp = stdin;
	else if ((fp = fopen(arg + 1, "r")) == NULL)
		return err_set(e, _("%s: cannot read '%s': %s"), what, arg + 1,
		    strerror(errno));
	errno = 0;
	rc = read_all(fp, &text, &len);
	saved = errno;
	if (fp != stdin)
		fclose(fp);
	if (rc == -2 && arg[0] == '-')
		return err_set(e, _("%s: standard input is larger than %u MiB "
		    "(the limit)"), what, PARSE_MAX_INPUT >> 20);
	if (rc == -2)
		return err_set(e, _("%s: '%s' is larger than %u MiB (the "
		    "limit)"), what, name, PARSE_MAX_INPUT >> 20);
	if (rc == -3)
		return err_set(e, _("%s: '%s' is larger than %zu bytes (the "
		    "limit of a .npy file: %u values)"), what, name,
		    NPY_MAX_FILE, NPY_MAX_VALUES);
	if (rc != 0)
		return err_set(e, _("%s: cannot read '%s': %s"), what, name,
		    strerror(saved));
	if (npy_is_npy(text, len)) {
		rc = npy_parse(text, len, &a, &ne);
		free(text);
		if (rc != 0)
			return err_set(e, _("%s: '%s': %s"), what, name,
			    ne.msg);
		if (info != NULL) {
			info->type = a.type;
			info->npy_ndim = a.ndim;
			memcpy(info->npy_shape, a.shape, sizeof a.shape);
		}
		rc = npy_to_mat(&a, what, name, m, allow_nd, e);
		npy_free(&a);
		return rc;
	}
	nlen = strlen(name);
	if (nlen > 4 && strcmp(name + nlen - 4, ".npy") == 0) {
		free(text);
		return err_set(e, _("%s: '%s': not a .npy file (no \\x93NUMPY "
		    "magic)"), what, name);
	}
	if (memchr(text, '\0', len) != NULL) {
		free(text);
		return err_set(e, _("%s: '%s' is not a text file"), what,
		    name);
	}
	s.what = what;
	s.max = PARSE_MAX_VALUES;
	s.e = e;
	rc = parse_rows(&s, text, 1, &header, m);
	free(text);
	/* One value a line (np.savetxt of a 1-D array) is 1-D, as
	   np.loadtxt reads it; "1;2;3" and "[[1], [2]]" stay (N, 1). */
	if (rc == 0 && m->ndim == 2 && m->cols == 1 && !s.semi) {
		m->ndim = 1;
		m->cols = m->rows;
		m->rows = 1;
	}
	if (rc == 0 && info != NULL)
		info->header_line = header;
	return rc;
}

const char *
parse_fmt(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "nan");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, len, "%.6g", v);
	return buf;
}

/*
 * The shortest digits that read back, by Ryu's exact method (src/dtoa.c),
 * in Python's repr() form; -0 as "0", nan and inf as parse_fmt writes them.
 */
const char *
parse_fmt_exact(double v, char *buf, size_t len)
{
	char	d[DTOA_BUFSZ];

	if (isnan(v) || isinf(v))
		return parse_fmt(v, buf, len);
	if (v == 0)
		v = 0;		/* -0 reads back as 0: the same loss */
	dtoa_fmt(v, d);
	snprintf(buf, len, "%s", d);
	return buf;
}
