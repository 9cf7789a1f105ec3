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

VSTAT_CLONES void
vstat_summary(const double *v, size_t n, struct vstat *s)
{
	struct lanes	 a, b;
	v4d		 x, y;
	double		 sum, mn = INFINITY, mx = -INFINITY, t;
	size_t		 i, k, cnt = 0;

	a.sum = (v4d){ -0.0, -0.0, -0.0, -0.0 };
	a.min = (v4d){ INFINITY, INFINITY, INFINITY, INFINITY };
	a.max = -a.min;
	a.cnt = (v4i){ 0, 0, 0, 0 };
	b = a;
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, v + i, sizeof x);
		memcpy(&y, v + i + 4, sizeof y);
		LANES_ADD(a, x);
		LANES_ADD(b, y);
	}
	sum = -0.0;
	for (k = 0; k < 4; k++) {
		sum += a.sum[k] + b.sum[k];
		mn = fmin(mn, fmin(a.min[k], b.min[k]));
		mx = fmax(mx, fmax(a.max[k], b.max[k]));
		cnt += (size_t)-(a.cnt[k] + b.cnt[k]);
	}
	for (; i < n; i++) {
		t = v[i];
		if (t - t == 0.0) {
			cnt++;
			sum += t;
			mn = fmin(mn, t);
			mx = fmax(mx, t);
		}
	}
	s->n = n;
	s->nonfinite = n - cnt;
	s->min = cnt ? mn : NAN;
	s->max = cnt ? mx : NAN;
	s->mean = cnt ? sum / (double)cnt : NAN;
}
