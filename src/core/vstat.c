/*
 * vstat.c -- min, max, mean and non-finite count of an array of doubles
 * in one pass of GCC's generic vectors (four doubles; lowered to two SSE2
 * halves where AVX is absent), or of the same operations in AVX2
 * intrinsics where the processor has them (picked at run time), so that
 * eval's summaries of arrays of millions of values cost what reading them
 * costs.
 * A value is finite when v - v == 0 (inf - inf and nan - nan are nan);
 * the selects are bit masks, no branches.  Two lane groups interleave so
 * that each addition does not wait on the one before.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/vstat.h"

/* An AVX2 copy of each, written with the intrinsics (vminpd and vmaxpd,
   which GCC's generic vectors do not reach: their selects took twice the
   operations), picked at run time; x86-64 with GCC or clang only. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_attribute)
#if __has_attribute(target)
#define VSTAT_AVX2	1
#include <immintrin.h>
#endif
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

/* lanes_finish with a tail of k < 8 floats. */
static void
lanes_tail_f(const struct lanes *a, const struct lanes *b, const float *t,
    size_t k, size_t n, struct vstat *s)
{
	double	d[8];
	size_t	i;

	for (i = 0; i < k; i++)
		d[i] = (double)t[i];
	lanes_finish(a, b, d, k, n, s);
}

void
vstat_summary_portable(const double *v, size_t n, struct vstat *s)
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

void
vstat_summary_f_portable(const float *v, size_t n, struct vstat *s)
{
	struct lanes	 a, b;
	v4f		 fx, fy;
	v4d		 x, y;
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
	lanes_tail_f(&a, &b, v + n8, n - n8, n, s);
}

#ifdef VSTAT_AVX2
/*
 * LANES_ADD in AVX2: f = (x - x == 0), the finite lanes; cnt += f; sum +=
 * (f ? x : -0.0); then x = (f ? x : nan) and min = vminpd(x, min), which
 * is (x < min ? x : min) (a nan x gives min), max likewise: the same
 * operations on the same lanes as the generic code, so the same bits.
 */
#define AVX_ADD(x, sum, mn, mx, cnt) do {				\
	__m256d	 f_ = _mm256_cmp_pd(_mm256_sub_pd((x), (x)), zero,	\
		    _CMP_EQ_OQ);					\
									\
	(cnt) = _mm256_add_epi64((cnt), _mm256_castpd_si256(f_));	\
	(sum) = _mm256_add_pd((sum), _mm256_blendv_pd(nz, (x), f_));	\
	(x) = _mm256_blendv_pd(qnan, (x), f_);				\
	(mn) = _mm256_min_pd((x), (mn));				\
	(mx) = _mm256_max_pd((x), (mx));				\
} while (0)

/* n8 values (a multiple of 8) of v, or of f where f != NULL, into a, b. */
__attribute__((target("avx2"))) static void
run_avx2(const double *v, const float *fl, size_t n8, struct lanes *a,
    struct lanes *b)
{
	const __m256d	 zero = _mm256_setzero_pd(), nz = _mm256_set1_pd(-0.0);
	const __m256d	 qnan = _mm256_set1_pd(NAN);
	__m256d		 sa = nz, sb = nz, mna = _mm256_set1_pd(INFINITY);
	__m256d		 mnb = mna, mxa = _mm256_set1_pd(-INFINITY), mxb = mxa;
	__m256d		 x, y;
	__m256i		 ca = _mm256_setzero_si256(), cb = ca;
	size_t		 i;

	if (fl != NULL)
		for (i = 0; i < n8; i += 8) {
			x = _mm256_cvtps_pd(_mm_loadu_ps(fl + i));
			y = _mm256_cvtps_pd(_mm_loadu_ps(fl + i + 4));
			AVX_ADD(x, sa, mna, mxa, ca);
			AVX_ADD(y, sb, mnb, mxb, cb);
		}
	else
		for (i = 0; i < n8; i += 8) {
			x = _mm256_loadu_pd(v + i);
			y = _mm256_loadu_pd(v + i + 4);
			AVX_ADD(x, sa, mna, mxa, ca);
			AVX_ADD(y, sb, mnb, mxb, cb);
		}
	memcpy(&a->sum, &sa, sizeof sa);
	memcpy(&a->min, &mna, sizeof mna);
	memcpy(&a->max, &mxa, sizeof mxa);
	memcpy(&a->cnt, &ca, sizeof ca);
	memcpy(&b->sum, &sb, sizeof sb);
	memcpy(&b->min, &mnb, sizeof mnb);
	memcpy(&b->max, &mxb, sizeof mxb);
	memcpy(&b->cnt, &cb, sizeof cb);
}

static int
have_avx2(void)
{
	static int	 have = -1;

	if (have < 0)
		have = __builtin_cpu_supports("avx2") ? 1 : 0;
	return have;
}
#endif

void
vstat_summary(const double *v, size_t n, struct vstat *s)
{
#ifdef VSTAT_AVX2
	struct lanes	 a, b;
	size_t		 n8 = n & ~(size_t)7;

	if (have_avx2()) {
		run_avx2(v, NULL, n8, &a, &b);
		lanes_finish(&a, &b, v + n8, n - n8, n, s);
		return;
	}
#endif
	vstat_summary_portable(v, n, s);
}

void
vstat_summary_f(const float *v, size_t n, struct vstat *s)
{
#ifdef VSTAT_AVX2
	struct lanes	 a, b;
	size_t		 n8 = n & ~(size_t)7;

	if (have_avx2()) {
		run_avx2(NULL, v, n8, &a, &b);
		lanes_tail_f(&a, &b, v + n8, n - n8, n, s);
		return;
	}
#endif
	vstat_summary_f_portable(v, n, s);
}
