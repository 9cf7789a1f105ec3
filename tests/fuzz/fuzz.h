/*
 * fuzz.h -- what the libFuzzer targets of tests/fuzz/ share: reading the
 * fuzzer's bytes as numbers, strings and choices, and failing loudly.
 *
 * A target decodes its input with the fz_* readers below (past the end of
 * the input every reader returns zeros, so any input is a valid program),
 * calls the code under test and checks its invariants with FZ_CHECK, which
 * prints what failed and aborts: libFuzzer then keeps the input as a
 * finding.  Header-only; every function is static.
 */
#ifndef LOSSLAB_FUZZ_H
#define LOSSLAB_FUZZ_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mat.h"

/* An invariant: on failure say which and where, then abort (a finding). */
#define FZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s: ",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

struct fz {
	const uint8_t	*p;
	size_t		 n;
};

static inline uint8_t
fz_u8(struct fz *f)
{
	if (f->n == 0)
		return 0;
	f->n--;
	return *f->p++;
}

static inline uint16_t
fz_u16(struct fz *f)
{
	uint16_t	v = fz_u8(f);

	return (uint16_t)(v | (uint16_t)fz_u8(f) << 8);
}

/* A choice in [0, n) (n > 0). */
static inline unsigned
fz_pick(struct fz *f, unsigned n)
{
	return n <= 256 ? fz_u8(f) % n : fz_u16(f) % n;
}

/* A double: mostly the values that matter at edges, sometimes raw bits. */
static inline double
fz_double(struct fz *f)
{
	static const double	 special[] = {
		0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.25, 2.0, 3.0, 5.0, 10.0,
		-2.0, 0.9, 1e-7, 1e-310, -1e-310, 1e300, -1e300, 40, -40,
		100, -100, 1e-45, 88.7, 0.3, -0.5, 1.5, 1e16, -1e16,
		INFINITY, -INFINITY, NAN
	};
	uint8_t		 sel = fz_u8(f);
	uint64_t	 bits = 0;
	double		 v;
	int		 i;

	if (sel < 200)
		return special[sel % (sizeof special / sizeof special[0])];
	if (sel < 240)			/* a small integer, often a class */
		return (double)(int)(fz_u8(f) % 64) - 16;
	for (i = 0; i < 8; i++)
		bits |= (uint64_t)fz_u8(f) << (8 * i);
	memcpy(&v, &bits, sizeof v);
	return v;
}

/* A NUL-terminated string of at most max bytes taken from the input (its
   length first); free it. */
static inline char *
fz_str(struct fz *f, size_t max)
{
	size_t	 len = fz_u8(f), i;
	char	*s;

	if (len > max)
		len = max;
	if (len > f->n)
		len = f->n;
	if ((s = malloc(len + 1)) == NULL)
		abort();
	for (i = 0; i < len; i++)
		s[i] = (char)fz_u8(f);
	s[len] = '\0';
	return s;
}

/* The n input bytes as a NUL-terminated string (a NUL inside ends it). */
static inline char *
fz_cstr(const uint8_t *d, size_t n)
{
	char	*s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

/* Two doubles equal as values: both NaN, or == (so -0 equals 0). */
static inline int
fz_same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* Two matrices of the same shape and values (fz_same_double). */
static inline int
fz_same_mat(const struct mat *a, const struct mat *b)
{
	size_t	i, n;

	if (a->ndim != b->ndim)
		return 0;
	if (a->ndim == 0)
		return 1;
	if (a->rows != b->rows || a->cols != b->cols)
		return 0;
	n = a->rows * a->cols;
	for (i = 0; i < n; i++)
		if (!fz_same_double(a->v[i], b->v[i]))
			return 0;
	return 1;
}

/* Two strings equal, NULL only equal to NULL. */
static inline int
fz_same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

#endif
