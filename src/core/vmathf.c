/*
 * vmathf.c -- expf and logf over arrays of floats, written as branch-free
 * loops that GCC vectorises (built in libvec.a with -ffp-contract=off,
 * -fno-trapping-math, which lets the selects be vectorised and changes no
 * value, and the vectoriser's dynamic cost model: see Makefile.am), so
 * that the float32 losses need no call into libm per element.
 *
 * exp works in float (eight lanes a vector; within 1 ulp of the correctly
 * rounded result, as glibc's expf and torch's SLEEF expf are); log works
 * in double: a float's log computed in double with a relative error below
 * 1e-13 and then rounded once to float is the correctly rounded float but
 * where the exact value lies within 1e-13 of a midpoint between two
 * floats (then it may be the other neighbour: 1 ulp), and every float,
 * subnormals included, is a normal double.  Special values are chosen by
 * selects at the end or pass through every step, never by branches.
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

static inline uint32_t
fbits(float f)
{
	uint32_t	u;

	memcpy(&u, &f, sizeof u);
	return u;
}

static inline float
from_fbits(uint32_t u)
{
	float	f;

	memcpy(&f, &u, sizeof f);
	return f;
}

/* Adding 1.5 * 2^23 rounds a float of magnitude < 2^22 to an integer. */
#define SHIFTF	12582912.0f

/*
 * exp, in float (eight lanes to a vector, where the double version this
 * replaced had four and took 1.6 times as long: 1.81 against 1.13 ns a
 * value in cache, on an AMD EPYC): x clamped to [-104, 89]
 * (e^-104 rounds to float 0 and e^89 to +inf, as they should for anything
 * beyond); k = round(x / ln 2); s = x - k ln 2 in two steps (Cody and
 * Waite: ln 2's upper part has 15 bits, so k times it is exact); e^s as
 * 1 + s + s^2 P(s), P SLEEF's minimax polynomial of degree 5 for expf;
 * times 2^k as two powers of two (each a normal float, so a subnormal
 * result is rounded once, by the second).  Within 1 ulp of the correctly
 * rounded e^x for every float (all 2^32 checked against the double exp:
 * 0.42 % are the other neighbour); nan passes the clamp and every step.
 */
static inline __attribute__((always_inline)) void
exp_block(const float *restrict x, float *restrict y, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		float	 xf = x[i], t, kf, s, u;
		int32_t	 q, q1;

		xf = xf > 89.0f ? 89.0f : xf;
		xf = xf < -104.0f ? -104.0f : xf;
		t = xf * 1.44269502162933349609375f + SHIFTF;
		kf = t - SHIFTF;
		q = (int32_t)(fbits(t) - fbits(SHIFTF));	/* k */
		s = xf - kf * 0.693145751953125f;
		s = s - kf * 1.428606765330187045e-06f;
		u = 0.000198527617612853646278381f;
		u = u * s + 0.00139304355252534151077271f;
		u = u * s + 0.00833336077630519866943359f;
		u = u * s + 0.0416664853692054748535156f;
		u = u * s + 0.166666671633720397949219f;
		u = u * s + 0.5f;
		u = 1.0f + ((s * s) * u + s);
		q1 = q >> 1;				/* k in [-151, 129] */
		u = u * from_fbits((uint32_t)(q1 + 127) << 23);
		y[i] = u * from_fbits((uint32_t)(q - q1 + 127) << 23);
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
