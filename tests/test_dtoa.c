/*
 * test_dtoa.c -- src/dtoa.c against independent references.
 *
 * 1. tests/golden_dtoa.txt (tests/gen_dtoa.py): 100,000 doubles given by
 *    their bit patterns -- boundaries, powers of two and ten and their
 *    neighbours, subnormals, short decimals, random bits -- with Python's
 *    repr(); dtoa_fmt() must write exactly repr() without its ".0" on
 *    integral values (dtoa.h's one documented difference).
 * 2. Millions of random bit patterns, checked with glibc alone:
 *    strtod(dtoa_fmt(v)) == v (bit for bit, so -0 too); shortest: with n
 *    digits, neither v rounded down nor v rounded up to n - 1 digits
 *    ("%.*e" under FE_DOWNWARD and FE_UPWARD: glibc's printf rounds
 *    exactly in the current mode) reads back as v -- the two are the only
 *    candidates, as the doubles that read back as v form an interval
 *    around it; closest: the digits are v correctly rounded to n digits
 *    ("%.*e"), unless that number does not read back as v (it can fail
 *    only at a power of two, whose interval is lopsided).
 * 3. The text rule on chosen values (fixed or exponent form, signs).
 *
 * DTOA_N sets how many random patterns (default 2,000,000; shortest and
 * closest are checked on every fourth, as printf is slow).  Built twice:
 * test_dtoa with 128-bit integers, test_dtoa_portable with the 64-bit
 * fallback (DTOA_PORTABLE; 500,000 patterns by default).
 */
#include "config.h"

#include <errno.h>
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtoa.h"
#include "tap.h"

static uint64_t	 rng = 0x9E3779B97F4A7C15ull;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
from_bits(uint64_t u)
{
	double	v;

	memcpy(&v, &u, sizeof v);
	return v;
}

static uint64_t
to_bits(double v)
{
	uint64_t	u;

	memcpy(&u, &v, sizeof u);
	return u;
}

/* The significant digits of "%.*e" text (sign, point and exponent gone). */
static void
digits_of(const char *s, char *d)
{
	for (; *s != '\0' && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			*d++ = *s;
	*d = '\0';
}

static void
golden(void)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], line[128], want[64], got[DTOA_BUFSZ];
	unsigned long long u;
	long		 n = 0, bad = 0, lineno = 0;
	size_t		 l;
	FILE		*f;

	if (top == NULL || *top == '\0')
		top = ".";
	snprintf(path, sizeof path, "%s/tests/golden_dtoa.txt", top);
	if ((f = fopen(path, "r")) == NULL) {
		tap_ok(0, "open %s: %s", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if (sscanf(line, "%llx %63s", &u, want) != 2) {
			if (bad++ < 5)
				tap_diag("line %ld: unreadable", lineno);
			continue;
		}
		l = strlen(want);
		if (l > 2 && strcmp(want + l - 2, ".0") == 0)
			want[l - 2] = '\0';
		dtoa_fmt(from_bits(u), got);
		n++;
		if (strcmp(got, want) != 0 && bad++ < 5)
			tap_diag("%016llx: repr %s, dtoa_fmt %s", u, want, got);
	}
	fclose(f);
	tap_ok(n >= 100000 && bad == 0, "dtoa_fmt writes Python's repr() of "
	    "%ld golden doubles (%ld differ)", n, bad);
}

static long	 nonexact, longer, notclosest;

static void
check(double v, int full)
{
	char		 b[DTOA_BUFSZ], dn[32], up[32], near[32], d1[32], d2[32];
	uint64_t	 m;
	int		 e, n;
	double		 w;

	dtoa_fmt(v, b);
	w = strtod(b, NULL);
	if (to_bits(w) != to_bits(v) && nonexact++ < 5)
		tap_diag("%a: %s reads back as %a", v, b, w);
	m = dtoa_decimal(v, &e);
	if (m == 0 || !full)
		return;
	snprintf(d1, sizeof d1, "%llu", (unsigned long long)m);
	n = (int)strlen(d1);
	if (n > 1) {
		fesetround(FE_DOWNWARD);
		snprintf(dn, sizeof dn, "%.*e", n - 2, v);
		fesetround(FE_UPWARD);
		snprintf(up, sizeof up, "%.*e", n - 2, v);
		fesetround(FE_TONEAREST);
		if ((strtod(dn, NULL) == v || strtod(up, NULL) == v) &&
		    longer++ < 5)
			tap_diag("%a: %s, but %s or %s reads back", v, b, dn, up);
	}
	snprintf(near, sizeof near, "%.*e", n - 1, v);
	digits_of(near, d2);
	if (strcmp(d1, d2) != 0 && strtod(near, NULL) == v &&
	    notclosest++ < 5)
		tap_diag("%a: %s, but %s is closer", v, b, near);
}

static void
text(double v, const char *want)
{
	char	b[DTOA_BUFSZ];
	size_t	n;

	n = dtoa_fmt(v, b);
	tap_ok(strcmp(b, want) == 0 && n == strlen(want), "%a is written %s "
	    "(%s)", v, want, b);
}

int
main(void)
{
	const char	*s = getenv("DTOA_N");
#ifdef DTOA_PORTABLE
	long		 i, count = s != NULL ? atol(s) : 500000;
#else
	long		 i, count = s != NULL ? atol(s) : 2000000;
#endif
	double		 v;

	golden();

	for (i = 0; i < count; i++) {
		v = from_bits(next());
		if (isfinite(v))
			check(v, i % 4 == 0);
		else
			i--;
	}
	tap_ok(nonexact == 0, "%ld random doubles read back exactly (%ld "
	    "do not)", count, nonexact);
	tap_ok(longer == 0, "no shorter form reads back, on %ld of them (%ld "
	    "has)", (count + 3) / 4, longer);
	tap_ok(notclosest == 0, "and each is the closest of its length (%ld "
	    "are not)", notclosest);

	text(0.0, "0");
	text(-0.0, "-0");
	text(1.0, "1");
	text(-2.5, "-2.5");
	text(100.0, "100");
	text(0.1, "0.1");
	text(0.1 + 0.2, "0.30000000000000004");
	text(1e-4, "0.0001");
	text(9.999999999999999e-5, "9.999999999999999e-05");
	text(1e-5, "1e-05");
	text(1234567890123456.0, "1234567890123456");
	text(9999999999999998.0, "9999999999999998");
	text(1e16, "1e+16");
	text(123456789012345680.0, "1.2345678901234568e+17");
	text(9007199254740993.0, "9007199254740992");
	text(1e23, "1e+23");
	text(5e-324, "5e-324");
	text(-1.7976931348623157e308, "-1.7976931348623157e+308");
	text(2.2250738585072014e-308, "2.2250738585072014e-308");
	text(NAN, "nan");
	text(INFINITY, "inf");
	text(-INFINITY, "-inf");
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}
