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

/* Whether the text holds nothing but blanks. */
static int
is_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Parse one value text[0..n) (blanks around it allowed) and append it. */
static int
parse_token(const char *tok, size_t n, struct vec *a, const char *what,
    size_t row, size_t col, struct err *e)
{
	char	 buf[128];
	double	 x;

	while (n > 0 && isspace((unsigned char)*tok)) {
		tok++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)tok[n - 1]))
		n--;
	if (n == 0)
		return err_set(e, "%s: empty value (row %zu, value %zu)", what,
		    row, col);
	if (n >= sizeof buf)
		return err_set(e, "%s: value %zu of row %zu is too long to be "
		    "a number", what, col, row);
	memcpy(buf, tok, n);
	buf[n] = '\0';
	if (parse_double(buf, &x) != 0)
		return err_set(e, "%s: '%s' is not a number (row %zu, value "
		    "%zu)", what, buf, row, col);
	if (a->n >= PARSE_MAX_VALUES)
		return err_set(e, "%s: more than %u values (the limit)", what,
		    PARSE_MAX_VALUES);
	if (vec_push(a, x) != 0)
		return err_set(e, "out of memory");
	return 0;
}

/*
 * Split text into rows at rowsep characters.  In the command-line syntax
 * (lines == 0) values are separated by commas; in the file syntax (lines ==
 * 1) rows are lines, values are separated by commas and/or blanks, and blank
 * and '#' lines are skipped.  Every row must have as many values as the first.
 * Linear in the length of the text: a value's end is looked for up to its
 * row's end only (the row separators are among the value separators).
 */
/* Whether row [p, rowend) of a file holds no number at all: a header
   such as "logit,label" (the file syntax's separators). */
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

static int
parse_rows(const char *text, const char *rowsep, int lines, const char *what,
    struct mat *m, size_t *header, struct err *e)
{
	size_t		 line = 0;

	struct vec	 a = { NULL, 0, 0 };
	const char	*p = text, *rowend, *q, *tokend;
	const char	*seps = lines ? ", \t\r\n" : ",;";
	size_t		 nrows = 0, ncols = 0, n, len;
	int		 force2d = 0;

	if (!lines && is_blank(text, strlen(text)))
		goto done;		/* "" is the empty vector */
	for (;;) {
		rowend = p + strcspn(p, rowsep);
		len = (size_t)(rowend - p);
		line++;
		if (lines && (is_blank(p, len) || p[strspn(p, " \t\r")] == '#'))
			goto next;
		if (lines && nrows == 0 && header != NULL && *header == 0 &&
		    row_is_header(p, rowend)) {
			*header = line;
			goto next;
		}
		if (is_blank(p, len) && !lines && *rowend == '\0' &&
		    nrows > 0) {
			force2d = 1;	/* "a,b;" is a 1 x 2 matrix */
			break;
		}
		if (is_blank(p, len)) {
			free(a.v);
			return err_set(e, "%s: row %zu is empty", what,
			    nrows + 1);
		}
		n = 0;
		q = p;
		for (;;) {
			if (lines) {
				q += strspn(q, ", \t\r");
				if (q >= rowend)
					break;
			}
			tokend = q + strcspn(q, seps);
			if (tokend > rowend)
				tokend = rowend;
			if (parse_token(q, (size_t)(tokend - q), &a, what,
			    nrows + 1, n + 1, e) != 0) {
				free(a.v);
				return -1;
			}
			n++;
			if (tokend >= rowend)
				break;
			q = tokend + 1;
		}
		nrows++;
		if (nrows == 1)
			ncols = n;
		else if (n != ncols) {
			free(a.v);
			return err_set(e, "%s: row %zu has %zu values, row 1 "
			    "has %zu", what, nrows, n, ncols);
		}
next:
		if (*rowend == '\0')
			break;
		p = rowend + 1;
	}
done:
	if (mat_alloc(m, nrows > 1 || force2d ? 2 : 1, nrows ? nrows : 1, ncols, e) != 0) {
		free(a.v);
		return -1;
	}
	if (a.n)
		memcpy(m->v, a.v, a.n * sizeof *a.v);
	free(a.v);
	return 0;
}

int
parse_matrix(const char *text, const char *what, struct mat *m,
    struct err *e)
{
	return parse_rows(text, ";", 0, what, m, NULL, e);
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
		a->v = NULL;
		return 0;
	}
	if (a->ndim > 2)
		return err_set(e, "%s: '%s' has shape %s: arrays of more than "
		    "2 dimensions are not supported yet", what, name,
		    npy_shape_str(a, shape, sizeof shape));
	*m = empty;
	m->ndim = a->ndim == 2 ? 2 : 1;
	m->rows = a->ndim == 2 ? a->shape[0] : 1;
	m->cols = a->ndim == 0 ? 1 : a->shape[a->ndim - 1];
	m->v = a->v;
	a->v = NULL;
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
		return err_set(e, "%s: cannot read '%s': %s", what, arg + 1,
		    strerror(errno));
	errno = 0;
	rc = read_all(fp, &text, &len);
	saved = errno;
	if (fp != stdin)
		fclose(fp);
	if (rc == -2 && arg[0] == '-')
		return err_set(e, "%s: standard input is larger than %u MiB "
		    "(the limit)", what, PARSE_MAX_INPUT >> 20);
	if (rc == -2)
		return err_set(e, "%s: '%s' is larger than %u MiB (the limit)",
		    what, name, PARSE_MAX_INPUT >> 20);
	if (rc == -3)
		return err_set(e, "%s: '%s' is larger than %zu bytes (the "
		    "limit of a .npy file: %u values)", what, name,
		    NPY_MAX_FILE, NPY_MAX_VALUES);
	if (rc != 0)
		return err_set(e, "%s: cannot read '%s': %s", what, name,
		    strerror(saved));
	if (npy_is_npy(text, len)) {
		rc = npy_parse(text, len, &a, &ne);
		free(text);
		if (rc != 0)
			return err_set(e, "%s: '%s': %s", what, name, ne.msg);
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
		return err_set(e, "%s: '%s': not a .npy file (no \\x93NUMPY "
		    "magic)", what, name);
	}
	if (memchr(text, '\0', len) != NULL) {
		free(text);
		return err_set(e, "%s: '%s' is not a text file", what,
		    name);
	}
	/* The command-line syntax if it uses ';', else one row a line. */
	if (strchr(text, ';') != NULL) {
		rc = parse_rows(text, ";", 0, what, m, NULL, e);
	} else
		rc = parse_rows(text, "\n", 1, what, m, &header, e);
	free(text);
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
