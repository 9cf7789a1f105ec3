/*
 * vstat.c -- min, max, mean and non-finite count of an array of doubles
 * in one pass of GCC's generic vectors (four doubles; lowered to two SSE2
 * halves where AVX is absent, native in the AVX2 clone), so that eval's
 * summaries of arrays of millions of values cost what reading them costs.
 * A value is finite when v - v == 0 (inf - inf and nan - nan are nan);
 * the selects are bit masks, no branches.  Two lane groups interleave so
 * that each addition does not wait on the one before.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/vstat.h"

/* GCC only: clang 14 emits no resolver for a clone its file does not call */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    defined(__has_attribute)
#if __has_attribute(target_clones)
#define VSTAT_CLONES	__attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef VSTAT_CLONES
#define VSTAT_CLONES
#endif

typedef double	 v4d __attribute__((vector_size(32)));
typedef int64_t	 v4i __attribute__((vector_size(32)));

/* m ? a : b, lane by lane, m all ones or all zeros (a macro: a function
   returning a 32-byte vector has an ABI that differs with AVX). */
#define SEL(m, a, b)	((v4d)(((v4i)(a) & (m)) | ((v4i)(b) & ~(m))))

struct lanes {
	v4d	 sum, min, max;
	v4i	 cnt;		/* minus the count of finite values */
};

/* One vector of values into the lanes (a macro for the same reason). */
#define LANES_ADD(l, v) do {						\
	const v4d	 nz_ = { -0.0, -0.0, -0.0, -0.0 };		\
	v4i		 f_ = ((v) - (v)) == 0.0;			\
									\
	(l).cnt += f_;							\
	(l).sum += SEL(f_, (v), nz_);					\
	(l).min = SEL(f_ & ((v) < (l).min), (v), (l).min);		\
	(l).max = SEL(f_ & ((v) > (l).max), (v), (l).max);		\
} while (0)

/* The lanes at their start: empty sums, +-inf extremes, no counts. */
#define LANES_INIT(l) do {						\
	(l).sum = (v4d){ -0.0, -0.0, -0.0, -0.0 };			\
	(l).min = (v4d){ INFINITY, INFINITY, INFINITY, INFINITY };	\
	(l).max = -(l).min;						\
	(l).cnt = (v4i){ 0, 0, 0, 0 };					\
} while (0)

/* v[0..n) (n a multiple of 8) into the two lane groups. */
#define LANES_RUN(a, b, v, n) do {					\
	v4d	 x_, y_;						\
	size_t	 i_;							\
									\
	for (i_ = 0; i_ + 8 <= (n); i_ += 8) {				\
		memcpy(&x_, (v) + i_, sizeof x_);			\
		memcpy(&y_, (v) + i_ + 4, sizeof y_);			\
		LANES_ADD(a, x_);					\
		LANES_ADD(b, y_);					\
	}								\
} while (0)

/* The lanes, then the tail t[0..k) (k < 8) one by one, into *s. */
static void
lanes_finish(const struct lanes *a, const struct lanes *b, const double *t,
    size_t k, size_t n, struct vstat *s)
{
	double	 sum, mn = INFINITY, mx = -INFINITY, v;
	size_t	 i, cnt = 0;

	sum = -0.0;
	for (i = 0; i < 4; i++) {
		sum += a->sum[i] + b->sum[i];
		mn = fmin(mn, fmin(a->min[i], b->min[i]));
		mx = fmax(mx, fmax(a->max[i], b->max[i]));
		cnt += (size_t)-(a->cnt[i] + b->cnt[i]);
	}
	for (i = 0; i < k; i++) {
		v = t[i];
		if (v - v == 0.0) {
			cnt++;
			sum += v;
			mn = fmin(mn, v);
			mx = fmax(mx, v);
		}
	}
	s->n = n;
	s->nonfinite = n - cnt;
	s->min = cnt ? mn : NAN;
	s->max = cnt ? mx : NAN;
	s->mean = cnt ? sum / (double)cnt : NAN;
}

VSTAT_CLONES void
vstat_summary(const double *v, size_t n, struct vstat *s)
{
	struct lanes	 a, b;
	size_t		 n8 = n & ~(size_t)7;

	LANES_INIT(a);
	b = a;
	LANES_RUN(a, b, v, n8);
	lanes_finish(&a, &b, v + n8, n - n8, n, s);
}

/* Floats: eight at a time converted to two vectors of doubles (exactly)
   on their way into the lanes, which so see vstat_summary's values in its
   order: the same bits. */
typedef float	 v4f __attribute__((vector_size(16)));

VSTAT_CLONES void
vstat_summary_f(const float *v, size_t n, struct vstat *s)
{
	struct lanes	 a, b;
	v4f		 fx, fy;
	v4d		 x, y;
	double		 t[8];
	size_t		 i, n8 = n & ~(size_t)7;

	LANES_INIT(a);
	b = a;
	for (i = 0; i < n8; i += 8) {
		memcpy(&fx, v + i, sizeof fx);
		memcpy(&fy, v + i + 4, sizeof fy);
		x = __builtin_convertvector(fx, v4d);
		y = __builtin_convertvector(fy, v4d);
		LANES_ADD(a, x);
		LANES_ADD(b, y);
	}
	for (i = 0; i < n - n8; i++)
		t[i] = (double)v[n8 + i];
	lanes_finish(&a, &b, t, n - n8, n, s);
}
