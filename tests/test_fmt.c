/*
 * test_fmt.c -- parse_fmt_exact (src/parse.c, by src/dtoa.c) gives the
 * same decimal number as the plain scan (the fewest digits, 1 to 17, that
 * "%.*g" writes and strtod reads back as the same double) -- the same
 * significant digits, written as Python's repr() rather than "%g" ("100",
 * not "1e+02") -- on special values, every power of two and its
 * neighbours, short decimals and random bit patterns; and every result
 * reads back exactly.  At a power of two the scan can be longer: the
 * doubles that read back as it lie twice as far above as below, and the
 * scan tries only the correctly rounded number of each length.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tap.h"

/* The reference: the scan parse_fmt_exact used to be. */
static const char *
scan(double v, char *buf, size_t len)
{
	int	prec;

	if (isnan(v) || isinf(v))
		return parse_fmt(v, buf, len);
	if (v == 0)
		v = 0;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

static uint64_t	 rng = 88172645463325252ull;
static long	 checked, differ, inexact, shorter;

/* The significant digits of a number's text, leading and trailing zeros
   dropped: "-0.00120e+05" gives "12". */
static void
sig(const char *s, char *d)
{
	char	*o = d;

	for (; *s != '\0' && *s != 'e'; s++)
		if ((*s >= '1' && *s <= '9') || (*s == '0' && o > d))
			*o++ = *s;
	while (o > d && o[-1] == '0')
		o--;
	*o = '\0';
}

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
check(double v)
{
	char	a[64], b[64], da[32], db[32];
	int	e;

	scan(v, a, sizeof a);
	parse_fmt_exact(v, b, sizeof b);
	checked++;
	sig(a, da);
	sig(b, db);
	if (isfinite(v) && strlen(db) < strlen(da) &&
	    fabs(frexp(v, &e)) == 0.5 && strtod(b, NULL) == v)
		shorter++;
	else if ((isfinite(v) ? strcmp(da, db) : strcmp(a, b)) != 0 &&
	    differ++ < 5)
		tap_diag("%a: the scan gives %s, parse_fmt_exact %s", v, a, b);
	if (isfinite(v) && strtod(b, NULL) != (v == 0 ? 0 : v) &&
	    inexact++ < 5)
		tap_diag("%a: %s does not read back", v, b);
}

int
main(void)
{
	static const double special[] = {
		0.1, 0.2, 0.3, 1, 2, 3, 1e-310, 5e-324, DBL_MAX, DBL_MIN,
		1e22, 1e23, 9.5, 0.5, 123456789012345678.0, 1.0 / 3, 2.0 / 3,
		100, 1e15, 1e16, 1e17, 9.999999999999999e22, 0.000123, 1e-5,
		12345.678, -0.0, 4.35, 0.15, 2.675, 1.005, 5e-5, 9.9999e-5,
		0.30000000000000004, 1e-4, 9.99999999999999e-5
	};
	char	 t[32];
	size_t	 i;
	int	 e;
	double	 v;
	uint64_t u;

	for (i = 0; i < sizeof special / sizeof special[0]; i++) {
		check(special[i]);
		check(-special[i]);
		check(nextafter(special[i], 0));
		check(nextafter(special[i], INFINITY));
	}
	check(NAN);
	check(INFINITY);
	check(-INFINITY);
	for (e = -1074; e <= 1023; e++) {
		check(ldexp(1, e));
		check(nextafter(ldexp(1, e), 0));
		check(nextafter(ldexp(1, e), INFINITY));
		check(3 * ldexp(1, e));
	}
	for (i = 0; i < 100000; i++) {
		u = next();
		memcpy(&v, &u, sizeof v);
		if (isfinite(v))
			check(v);
		/* decimals of 1 to 17 digits, as people and torch print */
		snprintf(t, sizeof t, "%.*g", (int)(1 + next() % 17),
		    (double)(next() >> 11) * 0x1p-53 *
		    pow(10, (int)(next() % 60) - 30));
		check(strtod(t, NULL));
		check((double)(next() % 2000001) / (double)(1 + next() % 1000));
	}
	tap_ok(differ == 0, "parse_fmt_exact agrees with the scan of 1..17 "
	    "digits on %ld values (%ld differ; %ld powers of two shorter)",
	    checked, differ, shorter);
	tap_ok(inexact == 0, "every result reads back as the same double "
	    "(%ld do not)", inexact);
	tap_ok(strcmp(parse_fmt_exact(0.1, t, sizeof t), "0.1") == 0 &&
	    strcmp(parse_fmt_exact(-0.0, t, sizeof t), "0") == 0 &&
	    strcmp(parse_fmt_exact(1e-310, t, sizeof t), "1e-310") == 0 &&
	    strcmp(parse_fmt_exact(1e23, t, sizeof t), "1e+23") == 0 &&
	    strcmp(parse_fmt_exact(123456.0, t, sizeof t), "123456") == 0 &&
	    strcmp(parse_fmt_exact(100.0, t, sizeof t), "100") == 0,
	    "0.1, -0, 1e-310, 1e23, 123456, 100: as parse.h says");
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}
