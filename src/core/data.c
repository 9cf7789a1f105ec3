/*
 * data.c -- the seeded generator, the generated data sets and the CSV
 * reader of the training lab (see data.h for the exact definitions, which
 * this file follows operation by operation so that another program can
 * reproduce the numbers).
 *
 * The generator is xoshiro256** seeded through SplitMix64, one independent
 * stream per purpose.  Points are generated one after another, each with
 * its class chosen by i mod K, so classes are balanced and a prefix of a
 * data set is the smaller data set of the same seed.  The CSV reader is fed
 * one line at a time by the caller (the core does no I/O) and keeps the
 * rows in two growing arrays until data_csv_finish() hands them over.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/data.h"

static const char *data_kind_names[DATA_KIND_COUNT] = {
	"blobs", "xor", "circles", "spiral", "multilabel", "csv"
};

/* --- the generator ------------------------------------------------------ */

/* One SplitMix64 step: advances *x and returns the mixed value. */
static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z;

	*x += 0x9e3779b97f4a7c15ULL;
	z = *x;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t	x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
	int		i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

/* xoshiro256**: result = rotl(s1 * 5, 7) * 9, then the state update. */
uint64_t
rng_next(struct rng *r)
{
	uint64_t	*s = r->s, result, t;

	result = rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* The top 53 bits as a fraction: k * 2^-53, k in [0, 2^53). */
double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1p-53;
}

/* Box-Muller's cosine branch: sqrt(-2 log u1) cos(2 pi u2), u1 in (0, 1]. */
double
rng_normal(struct rng *r)
{
	double	u1 = 1.0 - rng_uniform(r);
	double	u2 = rng_uniform(r);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Rejection keeps x % n unbiased: x is drawn again while it is at or
   above 2^64 - (2^64 mod n), the largest multiple of n that fits. */
uint64_t
rng_below(struct rng *r, uint64_t n)
{
	uint64_t	x, limit;

	if (n == 0)
		return 0;
	/* limit = 2^64 - (2^64 mod n) - 1, the largest x kept */
	limit = UINT64_MAX - (UINT64_MAX % n + 1) % n;
	do
		x = rng_next(r);
	while (x > limit);
	return x % n;
}

void
rng_permutation(struct rng *r, size_t *p, size_t n)
{
	size_t	i, j, t;

	for (i = 0; i < n; i++)
		p[i] = i;
	for (i = n; i > 1; i--) {
		j = (size_t)rng_below(r, (uint64_t)i);
		t = p[i - 1];
		p[i - 1] = p[j];
		p[j] = t;
	}
}

/* --- kinds ---------------------------------------------------------------- */

const char *
data_kind_name(enum data_kind k)
{
	if ((int)k < 0 || k >= DATA_KIND_COUNT)
		return "?";
	return data_kind_names[k];
}

int
data_kind_parse(const char *name, enum data_kind *k)
{
	int	i;

	for (i = 0; i < DATA_CSV; i++) {
		if (strcmp(name, data_kind_names[i]) == 0) {
			*k = (enum data_kind)i;
			return 0;
		}
	}
	return -1;
}

int
data_default_classes(enum data_kind k)
{
	return k == DATA_SPIRAL || k == DATA_MULTILABEL ? 3 : 2;
}

double
data_default_noise(enum data_kind k)
{
	switch (k) {
	case DATA_BLOBS:
		return 1.0;
	case DATA_XOR:
		return 0.25;
	case DATA_CIRCLES:
		return 0.1;
	default:
		return 0.2;
	}
}

void
data_free(struct data *d)
{
	static const struct data	zero = DATA_INIT;

	mat_free(&d->x);
	mat_free(&d->y);
	*d = zero;
}

/* --- generated data sets ---------------------------------------------------- */

/* Point i of kind k into x[0..1] and its label(s) into y (one class index,
   or K values 0/1 for multilabel), drawing in the order data.h gives. */
static void
gen_point(enum data_kind k, size_t i, int K, double sigma, struct rng *r,
    double *x, double *y)
{
	static const double	 xc[4] = { 1, -1, -1, 1 }, yc[4] = { 1, 1, -1, -1 };
	double			 a, t, p1, p2, phi;
	int			 c, j;

	switch (k) {
	case DATA_BLOBS:
		c = (int)(i % (size_t)K);
		a = 2.0 * M_PI * c / K;
		x[0] = 3.0 * cos(a) + sigma * rng_normal(r);
		x[1] = 3.0 * sin(a) + sigma * rng_normal(r);
		y[0] = c;
		break;
	case DATA_XOR:
		c = (int)(i % 4);
		x[0] = xc[c] + sigma * rng_normal(r);
		x[1] = yc[c] + sigma * rng_normal(r);
		y[0] = c % 2;
		break;
	case DATA_CIRCLES:
		c = (int)(i % 2);
		a = c == 0 ? 1.0 : 0.5;
		t = 2.0 * M_PI * rng_uniform(r);
		x[0] = a * cos(t) + sigma * rng_normal(r);
		x[1] = a * sin(t) + sigma * rng_normal(r);
		y[0] = c;
		break;
	case DATA_SPIRAL:
		c = (int)(i % (size_t)K);
		t = rng_uniform(r);
		a = 2.0 * M_PI * c / K + 4.0 * t + sigma * rng_normal(r);
		x[0] = t * cos(a);
		x[1] = t * sin(a);
		y[0] = c;
		break;
	case DATA_MULTILABEL:
	default:
		p1 = 4.0 * rng_uniform(r) - 2.0;
		p2 = 4.0 * rng_uniform(r) - 2.0;
		for (j = 0; j < K; j++) {
			phi = M_PI * j / K;
			y[j] = cos(phi) * p1 + sin(phi) * p2 > (double)j / K;
		}
		x[0] = p1 + sigma * rng_normal(r);
		x[1] = p2 + sigma * rng_normal(r);
		break;
	}
}

int
data_generate(struct data *out, enum data_kind k, size_t n, int classes,
    double noise, uint64_t seed, struct err *e)
{
	static const struct data	 zero = DATA_INIT;
	struct rng			 r;
	size_t				 i;
	int				 ml = k == DATA_MULTILABEL;

	*out = zero;
	if ((int)k < 0 || k >= DATA_CSV)
		return err_set(e, "unknown data set");
	if (n < 1 || n > DATA_MAX_ROWS)
		return err_set(e, "%s: %zu points (from 1 to %d)",
		    data_kind_name(k), n, DATA_MAX_ROWS);
	if (classes < 2 || classes > DATA_MAX_CLASSES)
		return err_set(e, "%s: %d classes (from 2 to %d)",
		    data_kind_name(k), classes, DATA_MAX_CLASSES);
	if ((k == DATA_XOR || k == DATA_CIRCLES) && classes != 2)
		return err_set(e, "%s has 2 classes, not %d", data_kind_name(k),
		    classes);
	if (!(noise >= 0.0) || !isfinite(noise))
		return err_set(e, "%s: noise %g (a finite number >= 0)",
		    data_kind_name(k), noise);
	if (mat_alloc(&out->x, 2, n, 2, e) != 0 ||
	    mat_alloc(&out->y, ml ? 2 : 1, n, ml ? (size_t)classes : n,
	    e) != 0) {
		data_free(out);
		return -1;
	}
	out->kind = k;
	out->n = n;
	out->d = 2;
	out->classes = classes;
	out->multilabel = ml;
	rng_seed(&r, seed, RNG_STREAM_DATA);
	for (i = 0; i < n; i++)
		gen_point(k, i, classes, noise, &r, &MAT_AT(&out->x, i, 0),
		    ml ? &MAT_AT(&out->y, i, 0) : &out->y.v[i]);
	return 0;
}

/* --- the CSV reader ------------------------------------------------------- */

void
data_csv_init(struct data_csv *c, int classes)
{
	memset(c, 0, sizeof *c);
	c->classes = classes;
	c->maxlabel = -1;
}

void
data_csv_free(struct data_csv *c)
{
	free(c->x);
	free(c->y);
	c->x = c->y = NULL;
	c->rows = c->cap = 0;
}

/* One field [p, q) without surrounding blanks as a finite-or-not number;
   0, or -1 if it is not exactly a decimal number (inf and nan count as
   numbers here so that the message can say "not finite"). */
static int
csv_number(const char *p, const char *q, double *out)
{
	char	 buf[128], *end;
	size_t	 len, i;

	while (p < q && isspace((unsigned char)*p))
		p++;
	while (q > p && isspace((unsigned char)q[-1]))
		q--;
	len = (size_t)(q - p);
	if (len == 0 || len >= sizeof buf)
		return -1;
	/* strtod's hexadecimal forms are not what a CSV file means */
	for (i = 0; i < len; i++) {
		if (p[i] == 'x' || p[i] == 'X')
			return -1;
		buf[i] = p[i];
	}
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (end == buf || *end != '\0')
		return -1;
	return 0;
}

/* The field [p, q) for a message: trimmed and cut to fit. */
static const char *
csv_field_text(const char *p, const char *q, char *buf, size_t len)
{
	size_t	n;

	while (p < q && isspace((unsigned char)*p))
		p++;
	while (q > p && isspace((unsigned char)q[-1]))
		q--;
	n = (size_t)(q - p);
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* Room for one more row of nx features. */
static int
csv_grow(struct data_csv *c, size_t nx, struct err *e)
{
	size_t	 ncap;
	double	*nxp, *nyp;

	if (c->rows < c->cap)
		return 0;
	ncap = c->cap ? 2 * c->cap : 64;
	if (ncap > DATA_MAX_ROWS)
		ncap = DATA_MAX_ROWS;
	if ((nxp = realloc(c->x, ncap * nx * sizeof *nxp)) == NULL)
		return err_set(e, "out of memory");
	c->x = nxp;
	if ((nyp = realloc(c->y, ncap * sizeof *nyp)) == NULL)
		return err_set(e, "out of memory");
	c->y = nyp;
	c->cap = ncap;
	return 0;
}

int
data_csv_line(struct data_csv *c, const char *line, struct err *e)
{
	const char	*p, *q, *end = line + strlen(line);
	const char	*start[DATA_MAX_FEATURES + 1], *stop[DATA_MAX_FEATURES + 1];
	double		 v[DATA_MAX_FEATURES + 1], lab;
	unsigned char	 bad[DATA_MAX_FEATURES + 1];
	size_t		 nf = 0, i, nx;
	char		 b[64];
	int		 numeric = 1;

	c->line++;
	while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (p = line; p < end && isspace((unsigned char)*p); p++)
		;
	if (p == end)
		return 0;		/* a blank line */
	/* Split at commas. */
	for (p = line;; p = q + 1) {
		for (q = p; q < end && *q != ','; q++)
			;
		if (nf == DATA_MAX_FEATURES + 1)
			return err_set(e, "more than %d features",
			    DATA_MAX_FEATURES);
		start[nf] = p;
		stop[nf++] = q;
		if (q == end)
			break;
	}
	/* every field read once: a number, or not */
	for (i = 0; i < nf; i++) {
		bad[i] = csv_number(start[i], stop[i], &v[i]) != 0;
		if (bad[i])
			numeric = 0;
	}
	if (c->fields == 0) {
		if (nf < 2)
			return err_set(e, "a row needs at least one feature "
			    "and the label (x1,...,label), this one has 1 "
			    "field");
		c->fields = nf;
		c->first_line = c->line;
		if (!numeric) {
			c->header = 1;
			return 0;
		}
	} else if (nf != c->fields)
		return err_set(e, "%zu field%s, expected %zu as on line %zu",
		    nf, nf == 1 ? "" : "s", c->fields, c->first_line);
	if (c->rows == DATA_MAX_ROWS)
		return err_set(e, "more than %d rows", DATA_MAX_ROWS);
	nx = nf - 1;
	for (i = 0; i < nx; i++) {
		if (bad[i])
			return err_set(e, "'%s' is not a number (column %zu)",
			    csv_field_text(start[i], stop[i], b, sizeof b),
			    i + 1);
		if (!isfinite(v[i]))
			return err_set(e, "x%zu = %s is not finite (column %zu)",
			    i + 1, csv_field_text(start[i], stop[i], b,
			    sizeof b), i + 1);
	}
	csv_field_text(start[nx], stop[nx], b, sizeof b);
	lab = v[nx];
	if (bad[nx] || !isfinite(lab) || lab != floor(lab))
		return err_set(e, "label '%s' is not a class index (an "
		    "integer from 0, column %zu)", b, nf);
	if (lab < 0 || (c->classes > 0 && lab >= c->classes) ||
	    lab >= DATA_MAX_CLASSES)
		return err_set(e, "label %s is out of range (0 to %d)", b,
		    (c->classes > 0 ? c->classes : DATA_MAX_CLASSES) - 1);
	if (csv_grow(c, nx, e) != 0)
		return -1;
	memcpy(c->x + c->rows * nx, v, nx * sizeof *v);
	c->y[c->rows++] = lab;
	if (lab > c->maxlabel)
		c->maxlabel = lab;
	return 0;
}

int
data_csv_finish(struct data_csv *c, struct data *out, struct err *e)
{
	static const struct data	 zero = DATA_INIT;
	size_t				 nx;
	int				 K;

	*out = zero;
	if (c->rows == 0)
		return err_set(e, "no data rows%s", c->header ?
		    " after the header" : "");
	K = c->classes > 0 ? c->classes : (int)c->maxlabel + 1;
	if (K < 2)
		return err_set(e, "every label is 0: training needs at least 2 "
		    "classes");
	nx = c->fields - 1;
	if (mat_alloc(&out->x, 2, c->rows, nx, e) != 0 ||
	    mat_alloc(&out->y, 1, 1, c->rows, e) != 0) {
		data_free(out);
		return -1;
	}
	memcpy(out->x.v, c->x, c->rows * nx * sizeof *c->x);
	memcpy(out->y.v, c->y, c->rows * sizeof *c->y);
	out->kind = DATA_CSV;
	out->n = c->rows;
	out->d = nx;
	out->classes = K;
	out->multilabel = 0;
	data_csv_free(c);
	return 0;
}

void
data_bounds(const struct data *d, double frac, double box[4])
{
	double	pad;
	size_t	i;
	int	a;

	box[0] = box[2] = INFINITY;
	box[1] = box[3] = -INFINITY;
	for (i = 0; i < d->n; i++)
		for (a = 0; a < 2; a++) {
			box[2 * a] = fmin(box[2 * a], MAT_AT(&d->x, i, a));
			box[2 * a + 1] = fmax(box[2 * a + 1],
			    MAT_AT(&d->x, i, a));
		}
	for (a = 0; a < 2; a++) {
		pad = (box[2 * a + 1] - box[2 * a]) * frac;
		if (!(pad > 0))
			pad = fabs(box[2 * a]) > 0 ? fabs(box[2 * a]) * frac : 1;
		box[2 * a] -= pad;
		box[2 * a + 1] += pad;
	}
}

unsigned
data_group(const struct data *d, size_t i)
{
	unsigned	g = 0;
	int		k;

	if (!d->multilabel)
		return (unsigned)d->y.v[i];
	for (k = 0; k < d->classes && k < 16; k++)
		if (MAT_AT(&d->y, i, k) > 0.5)
			g |= 1u << k;
	return g;
}
