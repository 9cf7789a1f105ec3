/*
 * vmathf.c -- expf and logf over arrays of floats, written as branch-free
 * loops that GCC vectorises (built in libvec.a with -ffp-contract=off,
 * -fno-trapping-math, which lets the selects be vectorised and changes no
 * value, and the vectoriser's dynamic cost model: see Makefile.am), so
 * that the float32 losses need no call into libm per element.
 *
 * Both work in double: a float's exp or log computed in double with a
 * relative error below 1e-13 and then rounded once to float is the
 * correctly rounded float but where the exact value lies within 1e-13 of
 * a midpoint between two floats (then it may be the other neighbour: 1
 * ulp).  Doing the work in double also makes float's awkward ranges
 * simple: every float, subnormals included, is a normal double, and every
 * result, overflowing or subnormal, is rounded to float by the one final
 * conversion.  Special values are chosen by selects at the end, never by
 * branches.
 *
 * On x86-64 each function has an AVX2 clone and a generic one, picked at
 * load time (target_clones); both are this C code with the same operations
 * in the same order and no contraction into fused multiply-adds, so their
 * results are identical, and identical to the scalar epilogue's.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "core/vmathf.h"

/* GCC's target_clones (clang 14 emits no resolver for a clone that its
   own file does not call, so clang builds get the portable copy only) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    defined(__has_attribute)
#if __has_attribute(target_clones)
#define VMATHF_CLONES	__attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef VMATHF_CLONES
#define VMATHF_CLONES
#endif

/* Values in a block: the loops run on a local block (no aliasing, so no
   run-time overlap checks), then copy it out, so that y may be x. */
#define VMATHF_BLOCK	256

static inline uint64_t
bits(double d)
{
	uint64_t	u;

	memcpy(&u, &d, sizeof u);
	return u;
}

static inline double
from_bits(uint64_t u)
{
	double	d;

	memcpy(&d, &u, sizeof d);
	return d;
}

/* ln 2 split so that k * LN2_HI is exact for |k| < 2^20 (fdlibm's). */
#define LN2_HI	6.93147180369123816490e-01
#define LN2_LO	1.90821492927058770002e-10
#define INV_LN2	1.44269504088896338700e+00
/* Adding 1.5 * 2^52 rounds a double of magnitude < 2^51 to an integer,
   which is then the low bits of the sum's representation. */
#define SHIFT	0x1.8p52

/*
 * exp: x clamped to [-104, 89] (e^-104 rounds to float 0 and e^89 to
 * +inf, as they should for anything beyond), k = round(x / ln 2),
 * r = x - k ln 2 in [-0.35, 0.35], e^r by its Taylor series to r^11
 * (truncation below 1e-14; evaluated by Estrin's scheme), times 2^k
 * built from k's bits, rounded to float.  nan passes the clamp (both comparisons are false) and every
 * operation after it.
 */
static inline __attribute__((always_inline)) void
exp_block(const float *restrict x, float *restrict y, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		float	 xf = x[i];
		double	 d, t, kd, r, p, scale, r2, r4;
		double	 p01, p23, p45, p67, p89, pab;
		uint64_t ki;

		xf = xf > 89.0f ? 89.0f : xf;
		xf = xf < -104.0f ? -104.0f : xf;
		d = (double)xf;
		t = d * INV_LN2 + SHIFT;
		kd = t - SHIFT;
		ki = bits(t) - bits(SHIFT);		/* k mod 2^64 */
		r = (d - kd * LN2_HI) - kd * LN2_LO;
		/* Estrin's scheme: pairs, then pairs of pairs, so that the
		   dependency chain is four steps deep, not twelve */
		r2 = r * r;
		r4 = r2 * r2;
		p01 = 1.0 + r;
		p23 = 0.5 + r * (1.0 / 6.0);
		p45 = 1.0 / 24.0 + r * (1.0 / 120.0);
		p67 = 1.0 / 720.0 + r * (1.0 / 5040.0);
		p89 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
		pab = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
		p = (p01 + r2 * p23) + r4 * ((p45 + r2 * p67) +
		    r4 * (p89 + r2 * pab));
		scale = from_bits((ki + 1023) << 52);	/* 2^k, k in [-151, 129] */
		y[i] = (float)(p * scale);
	}
}

/*
 * log: x = 2^k m with m in [sqrt(1/2), sqrt(2)) read off the double's
 * bits (musl's way: subtracting sqrt(1/2)'s bits moves the exponent
 * boundary there); log m = 2 atanh s = 2 (s + s^3/3 + ... + s^17/17),
 * s = (m - 1) / (m + 1), |s| <= 0.172 (truncation below 1e-14 relative;
 * Estrin's scheme in s^2);
 * log x = k ln 2 + log m.  k, 12 bits of a difference, is made a double
 * through SHIFT's bits (no int64 conversion instruction in AVX2).  x <= 0,
 * +inf and nan are chosen at the end: -inf at 0, nan below, +inf, nan.
 */
static inline __attribute__((always_inline)) void
log_block(const float *restrict x, float *restrict y, size_t n)
{
	const uint64_t	 off = 0x3fe6a09e667f3bcdULL;	/* sqrt(1/2) */
	size_t		 i;

	for (i = 0; i < n; i++) {
		float	 xf = x[i], res;
		double	 d, m, s, s2, s4, s8, p, kd;
		uint64_t u, tmp, ku;

		d = (double)xf;
		u = bits(d);
		tmp = u - off;
		ku = (tmp >> 52) & 0xfff;		/* k mod 2^12 */
		m = from_bits(u - (tmp & (0xfffULL << 52)));
		kd = from_bits(bits(SHIFT) + ku) - SHIFT;
		kd = kd >= 2048.0 ? kd - 4096.0 : kd;	/* k, signed */
		s = (m - 1.0) / (m + 1.0);
		s2 = s * s;
		s4 = s2 * s2;
		s8 = s4 * s4;
		p = ((1.0 + s2 * (1.0 / 3.0)) + s4 * (1.0 / 5.0 + s2 *
		    (1.0 / 7.0))) + s8 * (((1.0 / 9.0 + s2 * (1.0 / 11.0)) +
		    s4 * (1.0 / 13.0 + s2 * (1.0 / 15.0))) + s8 * (1.0 / 17.0));
		res = (float)(kd * LN2_HI + (kd * LN2_LO + 2.0 * s * p));
		res = xf == __builtin_inff() ? xf : res;
		res = xf == 0.0f ? -__builtin_inff() : res;
		res = xf < 0.0f ? __builtin_nanf("") : res;
		res = xf != xf ? xf : res;
		y[i] = res;
	}
}

VMATHF_CLONES void
vmathf_exp(const float *x, float *y, size_t n)
{
	float	b[VMATHF_BLOCK];
	size_t	k;

	while (n > 0) {
		k = n < VMATHF_BLOCK ? n : VMATHF_BLOCK;
		exp_block(x, b, k);
		memcpy(y, b, k * sizeof *y);
		x += k;
		y += k;
		n -= k;
	}
}

VMATHF_CLONES void
vmathf_log(const float *x, float *y, size_t n)
{
	float	b[VMATHF_BLOCK];
	size_t	k;

	while (n > 0) {
		k = n < VMATHF_BLOCK ? n : VMATHF_BLOCK;
		log_block(x, b, k);
		memcpy(y, b, k * sizeof *y);
		x += k;
		y += k;
		n -= k;
	}
}
