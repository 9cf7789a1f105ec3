/*
 * dtoa.c -- shortest round-trip double to decimal, by Ryu (see dtoa.h).
 *
 * A finite double is m2 * 2^e2 (m2 with its implicit bit).  The doubles
 * that read back as it are those within half an ulp: the interval
 * (mm, mp) * 2^(e2-2) with mv = 4 m2, mp = mv + 2, mm = mv - 1 (mv - 2 when
 * m2 is not the smallest of its binade), its bounds included when m2 is
 * even (strtod rounds ties to even).  Ryu multiplies the three by 2^e2 as a
 * power of ten, 10^e10, exactly enough (the 128-bit tables hold 5^q and
 * 5^-q to 125 bits; Adams' paper proves the truncated products keep their
 * order and floor), giving integers vm < vr < vp times 10^e10.  Then it
 * drops the decimal digits of all three while vp / 10 > vm / 10 -- the
 * interval still holds a number of that many digits -- and rounds vr on
 * the digits dropped.  The "trailing zeros" flags track whether the
 * dropped parts of vm and vr were exactly zero, for bounds that are
 * included and for ties (rounded to even), which only happens for small
 * q and is rare.  This is the algorithm of Ryu's d2s.c (Apache 2.0 / Boost),
 * written again here from the paper.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dtoa.h"
#include "dtoa_table.h"

#define MANT_BITS	52
#define EXP_BITS	11
#define EXP_BIAS	1023

/* floor(log10(2^e)) for 0 <= e <= 1650. */
static uint32_t
log10_pow2(int32_t e)
{
	return ((uint32_t)e * 78913) >> 18;
}

/* floor(log10(5^e)) for 0 <= e <= 2620. */
static uint32_t
log10_pow5(int32_t e)
{
	return ((uint32_t)e * 732923) >> 20;
}

/* The bit length of 5^e, ceil(log2(5^e)) (1 for e = 0), 0 <= e <= 3528. */
static int32_t
pow5bits(int32_t e)
{
	return (int32_t)(((uint32_t)e * 1217359) >> 19) + 1;
}

/* The largest p with 5^p dividing v (v > 0). */
static uint32_t
pow5_factor(uint64_t v)
{
	uint32_t	n = 0;

	while (v % 5 == 0) {
		v /= 5;
		n++;
	}
	return n;
}

static int
multiple_of_pow5(uint64_t v, uint32_t p)
{
	return pow5_factor(v) >= p;
}

static int
multiple_of_pow2(uint64_t v, uint32_t p)
{
	return (v & ((1ull << p) - 1)) == 0;
}

/* floor(m * mul / 2^j), mul a 128-bit {low, high}, 64 < j < 128. */
#if defined(__SIZEOF_INT128__) && !defined(DTOA_PORTABLE)
__extension__ typedef unsigned __int128 u128;

static uint64_t
mul_shift(uint64_t m, const uint64_t *mul, int32_t j)
{
	u128	b0 = (u128)m * mul[0], b2 = (u128)m * mul[1];

	return (uint64_t)(((b0 >> 64) + b2) >> (j - 64));
}
#else
/* The 128-bit product a * b: returns the low half, *hi the high half. */
static uint64_t
umul128(uint64_t a, uint64_t b, uint64_t *hi)
{
	uint64_t	 alo = (uint32_t)a, ahi = a >> 32;
	uint64_t	 blo = (uint32_t)b, bhi = b >> 32;
	uint64_t	 b00 = alo * blo, b01 = alo * bhi;
	uint64_t	 b10 = ahi * blo, b11 = ahi * bhi;
	uint64_t	 mid1 = b10 + (b00 >> 32);
	uint64_t	 mid2 = b01 + (uint32_t)mid1;

	*hi = b11 + (mid1 >> 32) + (mid2 >> 32);
	return (mid2 << 32) | (uint32_t)b00;
}

static uint64_t
mul_shift(uint64_t m, const uint64_t *mul, int32_t j)
{
	uint64_t	 hi0, hi1, lo1, sum;
	int		 d = j - 64;		/* 0 < d < 64 */

	(void)umul128(m, mul[0], &hi0);
	lo1 = umul128(m, mul[1], &hi1);
	sum = hi0 + lo1;
	if (sum < hi0)
		hi1++;
	return (hi1 << (64 - d)) | (sum >> d);
}
#endif

uint64_t
dtoa_decimal(double v, int *exp10)
{
	uint64_t	 bits, ieee_m, m2, mv, vr, vp, vm, out, q10;
	uint32_t	 ieee_e, mm_shift, q;
	int32_t		 e2, e10, k, i, j, removed = 0;
	int		 even, vm_tz = 0, vr_tz = 0, round_up = 0;
	unsigned	 last = 0, r10;

	memcpy(&bits, &v, sizeof bits);
	ieee_m = bits & ((1ull << MANT_BITS) - 1);
	ieee_e = (uint32_t)(bits >> MANT_BITS) & ((1u << EXP_BITS) - 1);
	*exp10 = 0;
	if (ieee_e == 0 && ieee_m == 0)
		return 0;
	if (ieee_e == 0) {
		e2 = 1 - EXP_BIAS - MANT_BITS;
		m2 = ieee_m;
	} else {
		e2 = (int32_t)ieee_e - EXP_BIAS - MANT_BITS;
		m2 = (1ull << MANT_BITS) | ieee_m;
	}

	/* An integer below 2^53: its digits, without the trailing zeros. */
	if (e2 <= 0 && e2 >= -MANT_BITS &&
	    (m2 & ((1ull << -e2) - 1)) == 0) {
		out = m2 >> -e2;
		e10 = 0;
		while ((q10 = out / 10) * 10 == out) {
			out = q10;
			e10++;
		}
		*exp10 = e10;
		return out;
	}

	/* The interval, in units of 2^(e2-2). */
	e2 -= 2;
	even = (m2 & 1) == 0;
	mv = 4 * m2;
	mm_shift = ieee_m != 0 || ieee_e <= 1;	/* 0 at a binade's bottom */

	/* vr, vp, vm = mv, mp, mm * 2^e2 / 10^e10, floored. */
	if (e2 >= 0) {
		q = log10_pow2(e2) - (e2 > 3);
		e10 = (int32_t)q;
		k = DTOA_POW5_BITS + pow5bits((int32_t)q) - 1;
		i = -e2 + (int32_t)q + k;
		vr = mul_shift(mv, dtoa_pow5_inv[q], i);
		vp = mul_shift(mv + 2, dtoa_pow5_inv[q], i);
		vm = mul_shift(mv - 1 - mm_shift, dtoa_pow5_inv[q], i);
		if (q <= 21) {
			/* At most one of mv, mp, mm is a multiple of 5. */
			if (mv % 5 == 0)
				vr_tz = multiple_of_pow5(mv, q);
			else if (even)
				vm_tz = multiple_of_pow5(mv - 1 - mm_shift, q);
			else
				vp -= multiple_of_pow5(mv + 2, q);
		}
	} else {
		q = log10_pow5(-e2) - (-e2 > 1);
		e10 = (int32_t)q + e2;
		i = -e2 - (int32_t)q;
		k = pow5bits(i) - DTOA_POW5_BITS;
		j = (int32_t)q - k;
		vr = mul_shift(mv, dtoa_pow5[i], j);
		vp = mul_shift(mv + 2, dtoa_pow5[i], j);
		vm = mul_shift(mv - 1 - mm_shift, dtoa_pow5[i], j);
		if (q <= 1) {
			/* mv has two trailing zero bits, mp one, mm one iff
			   mm_shift. */
			vr_tz = 1;
			if (even)
				vm_tz = mm_shift == 1;
			else
				vp--;
		} else if (q < 63)
			vr_tz = multiple_of_pow2(mv, q);
	}

	/* Drop digits while the interval still holds a shorter number. */
	if (vm_tz || vr_tz) {
		/* The general case (rare): exact bounds and ties. */
		while (vp / 10 > vm / 10) {
			vm_tz &= vm % 10 == 0;
			vr_tz &= last == 0;
			last = (unsigned)(vr % 10);
			vr /= 10;
			vp /= 10;
			vm /= 10;
			removed++;
		}
		if (vm_tz) {
			while (vm % 10 == 0) {
				vr_tz &= last == 0;
				last = (unsigned)(vr % 10);
				vr /= 10;
				vp /= 10;
				vm /= 10;
				removed++;
			}
		}
		if (vr_tz && last == 5 && vr % 2 == 0)
			last = 4;	/* exactly ...50...0: round to even */
		out = vr + ((vr == vm && (!even || !vm_tz)) || last >= 5);
	} else {
		/* The common case: two digits at a time first. */
		if (vp / 100 > vm / 100) {
			r10 = (unsigned)(vr % 100);
			round_up = r10 >= 50;
			vr /= 100;
			vp /= 100;
			vm /= 100;
			removed += 2;
		}
		while (vp / 10 > vm / 10) {
			round_up = vr % 10 >= 5;
			vr /= 10;
			vp /= 10;
			vm /= 10;
			removed++;
		}
		out = vr + (vr == vm || round_up);
	}
	*exp10 = e10 + removed;
	return out;
}

static const char two_digits[200] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The number of decimal digits of m, 1 <= m < 10^17. */
static int
ndigits(uint64_t m)
{
	if (m >= 10000000000000000ull)
		return 17;
	if (m >= 1000000000000000ull)
		return 16;
	if (m >= 100000000000000ull)
		return 15;
	if (m >= 10000000000000ull)
		return 14;
	if (m >= 1000000000000ull)
		return 13;
	if (m >= 100000000000ull)
		return 12;
	if (m >= 10000000000ull)
		return 11;
	if (m >= 1000000000ull)
		return 10;
	if (m >= 100000000ull)
		return 9;
	if (m >= 10000000ull)
		return 8;
	if (m >= 1000000ull)
		return 7;
	if (m >= 100000ull)
		return 6;
	if (m >= 10000ull)
		return 5;
	if (m >= 1000ull)
		return 4;
	if (m >= 100ull)
		return 3;
	if (m >= 10ull)
		return 2;
	return 1;
}

/* Four digits of c < 10000 into p[0..4). */
static void
put4(char *p, uint32_t c)
{
	memcpy(p, two_digits + 2 * (c / 100), 2);
	memcpy(p + 2, two_digits + 2 * (c % 100), 2);
}

/* The n digits of m (n = ndigits(m)) into p[0..n): eight at a time while
   m needs 64 bits, then with 32-bit arithmetic (cheaper divisions). */
static void
put_digits(char *p, uint64_t m, int n)
{
	uint64_t	q;
	uint32_t	r, m32;

	while (m >> 32 != 0) {
		q = m / 100000000;
		r = (uint32_t)(m - 100000000 * q);
		m = q;
		put4(p + n - 4, r % 10000);
		put4(p + n - 8, r / 10000);
		n -= 8;
	}
	m32 = (uint32_t)m;
	while (m32 >= 10000) {
		put4(p + n - 4, m32 % 10000);
		m32 /= 10000;
		n -= 4;
	}
	if (m32 >= 100) {
		memcpy(p + n - 2, two_digits + 2 * (m32 % 100), 2);
		m32 /= 100;
		n -= 2;
	}
	if (m32 >= 10)
		memcpy(p + n - 2, two_digits + 2 * m32, 2);
	else
		p[0] = (char)('0' + m32);
}

size_t
dtoa_fmt(double v, char *buf)
{
	char		*p = buf;
	uint64_t	 m;
	int		 e, n, x, i;

	if (isnan(v)) {
		memcpy(buf, "nan", 4);
		return 3;
	}
	if (signbit(v))
		*p++ = '-';
	if (isinf(v)) {
		memcpy(p, "inf", 4);
		return (size_t)(p - buf) + 3;
	}
	m = dtoa_decimal(v, &e);
	if (m == 0) {
		*p++ = '0';
		*p = '\0';
		return (size_t)(p - buf);
	}
	n = ndigits(m);
	x = e + n - 1;			/* v = d.ddd * 10^x */
	if (x >= -4 && x < 16) {
		if (e >= 0) {		/* an integer: ddd000 */
			put_digits(p, m, n);
			p += n;
			for (i = 0; i < e; i++)
				*p++ = '0';
		} else if (x >= 0) {	/* dd.ddd */
			put_digits(p + 1, m, n);
			memmove(p, p + 1, (size_t)x + 1);
			p[x + 1] = '.';
			p += n + 1;
		} else {		/* 0.000ddd */
			*p++ = '0';
			*p++ = '.';
			for (i = 0; i < -x - 1; i++)
				*p++ = '0';
			put_digits(p, m, n);
			p += n;
		}
	} else {			/* d.ddde+XX */
		put_digits(p + 1, m, n);
		p[0] = p[1];
		if (n > 1) {
			p[1] = '.';
			p += n + 1;
		} else
			p++;
		*p++ = 'e';
		*p++ = x < 0 ? '-' : '+';
		if (x < 0)
			x = -x;
		if (x >= 100) {
			*p++ = (char)('0' + x / 100);
			x %= 100;
		}
		*p++ = two_digits[2 * x];
		*p++ = two_digits[2 * x + 1];
	}
	*p = '\0';
	return (size_t)(p - buf);
}
