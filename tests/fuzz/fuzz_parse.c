/*
 * fuzz_parse.c -- libFuzzer target: the value syntax (src/parse.h).
 *
 * The input is the text of one value as typed after --input.  Invariants:
 * parse_matrix() either fails with a message or gives a well-formed
 * matrix (ndim 1 or 2, one row when 1-D, at most PARSE_MAX_VALUES
 * numbers); parse_value_arg() on inline text (no '@', not "-") gives
 * exactly what parse_matrix() gives; the matrix written back with
 * parse_fmt_exact() parses to the same shape and values; parse_double()
 * and parse_long() agree with parse_fmt_exact() where they succeed.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"
#include "parse.h"

/* m in the value syntax, every number in its exact shortest form. */
static char *
write_mat(const struct mat *m)
{
	char	*out, num[64];
	size_t	 r, c, len = 0, cap;

	cap = (m->rows * m->cols + m->rows + 1) * 34 + 2;
	if ((out = malloc(cap)) == NULL)
		abort();
	for (r = 0; r < m->rows; r++) {
		for (c = 0; c < m->cols; c++) {
			parse_fmt_exact(m->v[r * m->cols + c], num,
			    sizeof num);
			len += (size_t)snprintf(out + len, cap - len, "%s%s",
			    c ? "," : "", num);
		}
		if (m->ndim == 2 && (r + 1 < m->rows || m->rows == 1))
			out[len++] = ';';
	}
	out[len] = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s = fz_cstr(data, size), *w, num[64];
	struct mat	 m = MAT_INIT, m2 = MAT_INIT, m3 = MAT_INIT;
	struct err	 e, e2;
	double		 d, d2;
	long		 l;
	int		 rc, rc2;

	memset(&e, 0, sizeof e);
	memset(&e2, 0, sizeof e2);
	rc = parse_matrix(s, "--input", &m, &e);
	if (rc == 0) {
		FZ_CHECK(m.ndim == 1 || m.ndim == 2, "ndim %d", m.ndim);
		FZ_CHECK(m.ndim == 2 || m.rows == 1, "1-D with %zu rows",
		    m.rows);
		FZ_CHECK(m.rows * m.cols <= PARSE_MAX_VALUES, "%zu values",
		    m.rows * m.cols);
		FZ_CHECK(m.rows * m.cols == 0 || m.v != NULL, "no values");
		/* written back exactly, read back the same */
		if (m.rows * m.cols > 0) {
			w = write_mat(&m);
			rc2 = parse_matrix(w, "--input", &m3, &e2);
			FZ_CHECK(rc2 == 0, "'%s' does not read back: %s", w,
			    e2.msg);
			FZ_CHECK(fz_same_mat(&m, &m3), "'%s' reads back "
			    "otherwise", w);
			free(w);
			mat_free(&m3);
		}
	} else
		FZ_CHECK(rc == -1 && e.msg[0] != '\0' &&
		    strncmp(e.msg, "--input", 7) == 0, "rc %d, message '%s'",
		    rc, e.msg);
	/* inline text through parse_value_arg: the same */
	if (s[0] != '@' && strcmp(s, "-") != 0) {
		rc2 = parse_value_arg(s, "--input", &m2, &e2);
		FZ_CHECK(rc2 == rc, "parse_value_arg %d, parse_matrix %d",
		    rc2, rc);
		if (rc == 0)
			FZ_CHECK(fz_same_mat(&m, &m2), "different values");
		else
			FZ_CHECK(strcmp(e.msg, e2.msg) == 0, "'%s' vs '%s'",
			    e.msg, e2.msg);
		mat_free(&m2);
	}
	mat_free(&m);
	/* one number: its exact form reads back as the same double */
	if (parse_double(s, &d) == 0) {
		parse_fmt_exact(d, num, sizeof num);
		FZ_CHECK(parse_double(num, &d2) == 0 && fz_same_double(d, d2),
		    "'%s' -> '%s'", s, num);
		parse_fmt(d, num, sizeof num);
	}
	if (parse_long(s, &l) == 0) {
		snprintf(num, sizeof num, "%ld", l);
		FZ_CHECK(parse_long(num, &l) == 0, "'%s' -> '%s'", s, num);
	}
	free(s);
	return 0;
}
