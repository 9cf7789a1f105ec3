/*
 * vmath.c -- exp, log and tanh over arrays of doubles, in loops the
 * compiler vectorises (see vmath.h for the contract).
 *
 * glibc's exp and log are correctly rounded in nearly every case but
 * scalar, with branches for the special cases; a loss over 10^7 values
 * spends most of its time in them.  Here each element goes through the
 * same straight-line code, special cases included (they are blended in
 * with conditional expressions, which become vector selects), so that a
 * loop of them becomes SIMD code: two doubles at a time with SSE2, four
 * with AVX2.  The algorithms:
 *
 *   exp:  x = (32 k' + j) ln2/32 + r, |r| <= ln2/64 (ln2/32 in two parts,
 *         so that k ln2_hi is exact); exp(x) = 2^k' 2^(j/32) e^r, with
 *         2^(j/32) from a table of 32 (hi, lo) pairs and e^r - 1 from its
 *         Taylor series to r^6, so that the last addition carries nearly
 *         all the error (about 0.55 ulp at most).  The scaling by 2^k' is
 *         2^k1 2^k2 (k1 + k2 = k', both normal), so that overflow gives
 *         +inf and underflow rounds once into the subnormals.  Beyond
 *         [-745.2, 709.8] the result is 0 or +inf; NaN passes through.
 *   log:  fdlibm's, in musl's form (below 1 ulp): x = 2^k m with
 *         sqrt(2)/2 <= m < sqrt(2) (subnormals scaled by 2^54 first),
 *         f = m - 1, s = f / (2 + f), log(1 + f) = 2 atanh(s)
 *         = f - f^2/2 + s (f^2/2 + R), R = Lg1 s^2 + ... + Lg7 s^14 (a
 *         Remez fit); log x = k ln2 + log(1 + f), ln2 in two parts.
 *         log(1) is exactly 0; 0 -> -inf, x < 0 -> NaN, +inf and NaN
 *         pass through.
 *   tanh: |x| < 0.55: x + x^3 P(x^2)/Q(x^2) (Cephes' rational fit);
 *         otherwise 1 - 2 / (e + 1), e = exp(2|x|) kept as a sum of two
 *         doubles and the rest in double-double steps (Fast2Sum), so that
 *         only the division (1/4 ulp at most, 2/(e + 1) <= 1/2 here) and
 *         the last addition round; the sign of x is copied on.  At most
 *         about 0.9 ulp (just below the switch).  Both branches are
 *         computed for every element and one is selected, but they share
 *         a single division (P/Q or 2/(e + 1), its operands selected).

 * The integer parts (k, the exponent fields) are computed in the integer
 * and floating lanes without the conversions AVX2 lacks: k = round(32 x /
 * ln2) by adding and subtracting 1.5 * 2^52, and the low bits of that sum
 * are k; the table becomes a vector gather.
 *
 * Rounding identity across machines: fused multiply-add would round
 * differently, so contraction is off for this file (the pragmas below, as
 * -ffp-contract=off would) and the AVX2 copy is target("avx2"), which has
 * no FMA instructions anyway.  tests/test_vmath.c checks that every
 * copy gives the same bits on millions of inputs.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/vmath.h"

/*
 * GCC: no fused multiply-add contraction (the same bits on every machine);
 * no-trapping-math lets the conditional expressions become selects (the
 * values are the same, only the floating-point exception flags, which
 * nothing reads, may differ), and the loops are vectorised at -O2 with the
 * dynamic cost model.  clang: no contraction; it vectorises at -O2.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off", "no-trapping-math", \
	"tree-loop-vectorize", "vect-cost-model=dynamic")
#endif

#if defined(__GNUC__)
#define VM_INLINE	static inline __attribute__((always_inline))
#else
#define VM_INLINE	static inline
#endif

/* 1.5 * 2^52: x + SHIFT - SHIFT rounds x to an integer (|x| < 2^51). */
#define SHIFT		0x1.8p52

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

/* 2^k for an integer k in [-1022, 1023] held in two's complement. */
static inline double
pow2i(uint64_t k)
{
	return from_bits((k + 1023) << 52);
}

/*
 * 2^(j/32) for j = 0..31 as the double nearest it (exp_hi) and the rest
 * (exp_lo, so that the two carry about 106 bits); written by mpmath at 200
 * bits.  Two arrays rather than an array of pairs: the vectoriser makes
 * gathers of these.
 */
static const double exp_hi[32] = {
	0x1.0000000000000p+0,
	0x1.059b0d3158574p+0,
	0x1.0b5586cf9890fp+0,
	0x1.11301d0125b51p+0,
	0x1.172b83c7d517bp+0,
	0x1.1d4873168b9aap+0,
	0x1.2387a6e756238p+0,
	0x1.29e9df51fdee1p+0,
	0x1.306fe0a31b715p+0,
	0x1.371a7373aa9cbp+0,
	0x1.3dea64c123422p+0,
	0x1.44e086061892dp+0,
	0x1.4bfdad5362a27p+0,
	0x1.5342b569d4f82p+0,
	0x1.5ab07dd485429p+0,
	0x1.6247eb03a5585p+0,
	0x1.6a09e667f3bcdp+0,
	0x1.71f75e8ec5f74p+0,
	0x1.7a11473eb0187p+0,
	0x1.82589994cce13p+0,
	0x1.8ace5422aa0dbp+0,
	0x1.93737b0cdc5e5p+0,
	0x1.9c49182a3f090p+0,
	0x1.a5503b23e255dp+0,
	0x1.ae89f995ad3adp+0,
	0x1.b7f76f2fb5e47p+0,
	0x1.c199bdd85529cp+0,
	0x1.cb720dcef9069p+0,
	0x1.d5818dcfba487p+0,
	0x1.dfc97337b9b5fp+0,
	0x1.ea4afa2a490dap+0,
	0x1.f50765b6e4540p+0
};
static const double exp_lo[32] = {
	0x0.0p+0,
	0x1.d73e2a475b465p-55,
	0x1.8a62e4adc610bp-54,
	-0x1.6c51039449b3ap-54,
	-0x1.19041b9d78a76p-55,
	0x1.e016e00a2643cp-54,
	0x1.9b07eb6c70573p-54,
	0x1.612e8afad1255p-55,
	0x1.6f46ad23182e4p-55,
	-0x1.63aeabf42eae2p-54,
	0x1.ada0911f09ebcp-55,
	0x1.89b7a04ef80d0p-59,
	0x1.d4397afec42e2p-56,
	-0x1.07abe1db13cadp-55,
	0x1.6324c054647adp-54,
	-0x1.383c17e40b497p-54,
	-0x1.bdd3413b26456p-54,
	-0x1.16e4786887a99p-55,
	-0x1.41577ee04992fp-55,
	-0x1.d4c1dd41532d8p-54,
	0x1.6e9f156864b27p-54,
	-0x1.75fc781b57ebcp-57,
	0x1.c7c46b071f2bep-56,
	-0x1.d2f6edb8d41e1p-54,
	0x1.7a1cd345dcc81p-54,
	-0x1.5584f7e54ac3bp-56,
	0x1.11065895048ddp-55,
	0x1.503cbd1e949dbp-56,
	0x1.2ed02d75b3707p-55,
	-0x1.1a5cd4f184b5cp-54,
	-0x1.e9c23179c2893p-54,
	0x1.9d3e12dd8a18bp-54
};

/*
 * The core of exp (the comment at the top): exp(x) = (hi + lo) s1 s2, hi =
 * 2^(j/32) rounded, lo the rest of 2^(j/32) e^r (|lo| < 0.011 hi), s1 and
 * s2 powers of two.  Beyond [-745.2, 709.8] the parts are garbage, which
 * the callers replace: no conditional comes before the table, so that the
 * loop is still if-converted and vectorised.
 */
VM_INLINE void
exp_parts(double x, double *hi, double *lo, double *s1, double *s2)
{
	/* ln 2 / 32 in two parts: 33 bits (k ln2_hi is exact) and the rest */
	const double	ln2_hi = 0x1.62e42fefp-6;
	const double	ln2_lo = 0x1.473de6af278edp-39;
	const double	inv = 0x1.71547652b82fep+5;	/* 32 / ln 2 */
	double		t, kd, r, p, th, jd, ed, t1, e1d, t2;
	uint64_t	j;

	t = x * inv + SHIFT;
	kd = t - SHIFT;				/* k = round(32 x / ln 2) */
	r = (x - kd * ln2_hi) - kd * ln2_lo;	/* |r| <= ln2/64 */
	j = (bits(t) - bits(SHIFT)) & 31;	/* k mod 32 */
	th = exp_hi[j];
	/* e^r - 1 to degree 6 (the rest is below 2^-57 of it) */
	p = r + r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 +
	    r * (1.0 / 120.0 + r * (1.0 / 720.0)))));
	*hi = th;
	*lo = exp_lo[j] + th * p;
	/* 2^e, e = (k - j)/32, as 2^e1 2^e2 (e1 = round(e/2)), both normal */
	jd = from_bits(j | bits(0x1p52)) - 0x1p52;
	ed = (kd - jd) * (1.0 / 32.0);
	t1 = ed * 0.5 + SHIFT;
	e1d = t1 - SHIFT;
	t2 = (ed - e1d) + SHIFT;
	*s1 = pow2i(bits(t1) - bits(SHIFT));
	*s2 = pow2i(bits(t2) - bits(SHIFT));
}

/* exp: hi + lo rounded, then scaled: (y s1) is exact, then one rounding
   (to +inf, or into the subnormals). */
VM_INLINE double
exp_one(double x)
{
	double	hi, lo, s1, s2, res;

	exp_parts(x, &hi, &lo, &s1, &s2);
	res = ((hi + lo) * s1) * s2;
	res = x > 709.8 ? INFINITY : res;
	res = x < -745.2 ? 0.0 : res;
	res = x != x ? x : res;
	return res;
}

/* fdlibm's log (musl's form of it), without branches. */
VM_INLINE double
log_one(double x)
{
	const double	ln2_hi = 0x1.62e42feep-1;
	const double	ln2_lo = 0x1.a39ef35793c76p-33;
	const double	Lg1 = 6.666666666666735130e-01;
	const double	Lg2 = 3.999999999940941908e-01;
	const double	Lg3 = 2.857142874366239149e-01;
	const double	Lg4 = 2.222219843214978396e-01;
	const double	Lg5 = 1.818357216161805012e-01;
	const double	Lg6 = 1.531383769920937332e-01;
	const double	Lg7 = 1.479819860511658591e-01;
	/* moves m's split point from 1 to sqrt(2)/2 (high word 0x3fe6a09e) */
	const uint64_t	off = (uint64_t)(0x3ff00000 - 0x3fe6a09e) << 32;
	double		xs, kd, f, hfsq, s, z, w, t1, t2, R, res;
	uint64_t	ix;
	int		sub = x < 0x1p-1022;

	xs = x * (sub ? 0x1p54 : 1.0);
	ix = bits(xs) + off;
	/* the biased exponent as a double, exactly, then unbiased */
	kd = (from_bits((ix >> 52) | bits(0x1p52)) - 0x1p52) - 1023.0;
	kd = kd - (sub ? 54.0 : 0.0);
	f = from_bits((ix & 0x000fffffffffffffULL) +
	    ((uint64_t)0x3fe6a09e << 32)) - 1.0;
	hfsq = 0.5 * f * f;
	s = f / (2.0 + f);
	z = s * s;
	w = z * z;
	t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
	t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
	R = t2 + t1;
	res = s * (hfsq + R) + kd * ln2_lo - hfsq + f + kd * ln2_hi;
	/* the special cases, blended in */
	res = x == 0.0 ? -INFINITY : res;
	res = x < 0.0 ? NAN : res;
	res = x == INFINITY ? x : res;
	res = x != x ? x : res;
	return res;
}

/*
 * tanh (the comment at the top), with one division for both branches: the
 * small branch's P/Q and the large one's 2/(e + 1) share it, its numerator
 * and denominator chosen per element (a select, not a branch).
 */
VM_INLINE double
tanh_one(double x)
{
	const double	P0 = -9.64399179425052238628e-1;
	const double	P1 = -9.92877231001918586564e1;
	const double	P2 = -1.61468768441708447952e3;
	const double	Q0 = 1.12811678491632931402e2;
	const double	Q1 = 2.23548839060100448583e3;
	const double	Q2 = 4.84406305325125486048e3;
	/* ln 2 / 32 in two parts: 33 bits (k ln2_hi is exact) and the rest */
	const double	ln2_hi = 0x1.62e42fefp-6;
	const double	ln2_lo = 0x1.473de6af278edp-39;
	const double	inv = 0x1.71547652b82fep+5;	/* 32 / ln 2 */
	double		a = fabs(x), a2, z, num, den, t, kd, r, p, th, sc;
	double		eh, el, s1, s, c, q, ql, d, small, large;
	uint64_t	k;
	int		use_small = a < 0.55;

	/* small: a + a z P(z)/Q(z), z = a^2; the division is below */
	z = a * a;
	/*
	 * large: e = exp(2|x|) as exp_parts() computes it, 2^(j/32) (hi +
	 * lo) e^r, but scaled by 2^((k - j)/32) = 2^(k >> 5) in one step:
	 * where it matters, |x| <= 20, k is in [0, 1847] and that power of
	 * two is normal, so eh and el are the same bits as exp_parts()'s
	 * (hi s1) s2 and (lo s1) s2.  Above 20 (and for NaN) they are
	 * garbage, replaced below; no conditional comes before the table,
	 * so that the loop is still if-converted.
	 */
	a2 = 2.0 * a;
	t = a2 * inv + SHIFT;
	kd = t - SHIFT;				/* k = round(32 a2 / ln 2) */
	r = (a2 - kd * ln2_hi) - kd * ln2_lo;	/* |r| <= ln2/64 */
	k = bits(t) - bits(SHIFT);
	th = exp_hi[k & 31];
	/* e^r - 1 to degree 6, as in exp_parts() */
	p = r + r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 +
	    r * (1.0 / 120.0 + r * (1.0 / 720.0)))));
	sc = pow2i(k >> 5);
	eh = th * sc;
	el = (exp_lo[k & 31] + th * p) * sc;
	/* e + 1 = s + c to about 2^-100 (two Fast2Sums: eh >= 1, |el| <
	   0.011 eh) */
	s1 = eh + 1.0;
	c = (eh - s1) + 1.0;
	s = s1 + el;
	c = c + ((s1 - s) + el);
	/* the one division: (a z P(z)) / Q(z), or q = 2 / s */
	num = a * z * ((P0 * z + P1) * z + P2);
	den = ((z + Q0) * z + Q1) * z + Q2;
	num = use_small ? num : 2.0;
	den = use_small ? den : s;
	q = num / den;
	small = a + q;
	/* 2/(s + c) = q - ql, ql = q^2 c / 2 (q = 2/s, rounded: at most
	   1/4 ulp of the result, as q <= 1/2 above the switch); then
	   1 - (q - ql) rounded once: 1 - q = t + d exactly (Fast2Sum) */
	ql = q * (c * q * 0.5);
	t = 1.0 - q;
	d = (1.0 - t) - q;
	large = t + (d + ql);
	large = a > 20.0 ? 1.0 : large;		/* tanh(20) rounds to 1 */
	large = a != a ? a : large;
	return copysign(use_small ? small : large, x);
}

/* The loops, y_i = f(x_i); y may equal x. */
#define LOOP(name)							\
VM_INLINE void								\
name##_loop(const double *x, double *y, size_t n)			\
{									\
	size_t	i;							\
									\
	for (i = 0; i < n; i++)						\
		y[i] = name##_one(x[i]);				\
}
VMATH_FUNCS(LOOP)
#undef LOOP

/* The portable copy of each loop. */
#define GENERIC(name)							\
static void								\
name##_generic(const double *x, double *y, size_t n)			\
{									\
	name##_loop(x, y, n);						\
}
VMATH_FUNCS(GENERIC)
#undef GENERIC

#ifdef HAVE_VMATH_AVX2
/* The AVX2 copy: the same source, four doubles a vector (no FMA). */
#define AVX2(name)							\
__attribute__((target("avx2"))) static void				\
name##_avx2(const double *x, double *y, size_t n)			\
{									\
	name##_loop(x, y, n);						\
}
VMATH_FUNCS(AVX2)
#undef AVX2

static int
have_avx2(void)
{
	return __builtin_cpu_supports("avx2") != 0;
}
#define NVARIANTS	2
#define DISPATCH(name)							\
void									\
vmath_##name(const double *x, double *y, size_t n)			\
{									\
	if (have_avx2())						\
		name##_avx2(x, y, n);					\
	else								\
		name##_generic(x, y, n);				\
}
#else
#define NVARIANTS	1
#define DISPATCH(name)							\
void									\
vmath_##name(const double *x, double *y, size_t n)			\
{									\
	name##_generic(x, y, n);					\
}
#endif
VMATH_FUNCS(DISPATCH)
#undef DISPATCH

int
vmath_variants(void)
{
	return NVARIANTS;
}

int
vmath_variant_usable(int v)
{
	if (v == 0)
		return 1;
#ifdef HAVE_VMATH_AVX2
	if (v == 1)
		return have_avx2();
#endif
	return 0;
}

int
vmath_variant_call(int v, const char *name, const double *x, double *y,
    size_t n)
{
	if (!vmath_variant_usable(v))
		return -1;
#ifdef HAVE_VMATH_AVX2
#define CALL(fn)							\
	if (strcmp(name, #fn) == 0) {					\
		if (v == 1)						\
			fn##_avx2(x, y, n);				\
		else							\
			fn##_generic(x, y, n);				\
		return 0;						\
	}
#else
#define CALL(fn)							\
	if (strcmp(name, #fn) == 0) {					\
		fn##_generic(x, y, n);					\
		return 0;						\
	}
#endif
	VMATH_FUNCS(CALL)
#undef CALL
	return -1;
}
