/*
 * bench_dtoa.c -- nanoseconds per double: dtoa_fmt() against "%.17g"
 * (snprintf) and against parse_fmt_exact as it was before src/dtoa.c (a
 * "%.16e" and a strtod check per digit dropped; copied below from commit
 * ae3c50a for the comparison).  A benchmark, not a test: `make bench-dtoa`.
 *
 * Three sets of 10^6 doubles: gradients as `losslab eval` writes them
 * ((sigmoid(x) - y) / 10^6 for x ~ N(0, 3)), uniform in [0, 1), and random bit
 * patterns (finite).  Each is formatted RUNS times (argv[1], default 5);
 * the median of the runs is printed.  argv[2] sets the count (for
 * callgrind: its instruction counts per call repeat on a noisy machine).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dtoa.h"

static size_t	 N = 1000000;

/* --- parse_fmt_exact of commit ae3c50a, renamed (for the comparison) --- */

/* The old, slow search: the fewest significant digits (1 to 17) that
   strtod reads back as v, by trying each ("%.*g", strtod). */
static const char *
fmt_exact_scan(double v, char *buf, size_t len)
{
	int	prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

/*
 * Write k digits d[0..k) with decimal exponent x (the value is
 * d0.d1d2... * 10^x) as printf's "%.*g" with precision k writes them:
 * trailing zeros dropped, exponent form when x < -4 or x >= k.
 */
static void
fmt_g(int neg, const char *d, int k, int x, char *buf, size_t len)
{
	char	 out[48];
	int	 nd = k, o = 0, i;

	while (nd > 1 && d[nd - 1] == '0')
		nd--;
	if (neg)
		out[o++] = '-';
	if (x < -4 || x >= k) {
		out[o++] = d[0];
		if (nd > 1) {
			out[o++] = '.';
			for (i = 1; i < nd; i++)
				out[o++] = d[i];
		}
		o += snprintf(out + o, sizeof out - (size_t)o, "e%c%02d",
		    x < 0 ? '-' : '+', x < 0 ? -x : x);
	} else if (x >= 0) {
		for (i = 0; i <= x; i++)
			out[o++] = i < nd ? d[i] : '0';
		if (nd > x + 1) {
			out[o++] = '.';
			for (i = x + 1; i < nd; i++)
				out[o++] = d[i];
		}
	} else {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < -x - 1; i++)
			out[o++] = '0';
		for (i = 0; i < nd; i++)
			out[o++] = d[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
}

/*
 * The 17 significant digits of "%.16e" (one printf, correctly rounded) are
 * rounded to k digits for k = 16, 15, ... while the result reads back as v;
 * the last k that does is the answer.  This is what the scan from 1 digit
 * up finds, because the correctly rounded k-digit numbers come closer to v
 * as k grows, and v's rounding interval is symmetric -- except at a power
 * of two (the interval below is half as wide), where the scan is used.
 * Rounding the 17 digits again is the correct rounding of v unless the
 * digits cut off are exactly 5000...: then printf rounds v itself.
 */
static const char *
old_fmt_exact(double v, char *buf, size_t len)
{
	char	 e[48], d[20], r[20], best[20], cand[48];
	int	 neg, x, xr, xbest = 0, k, kbest = 17, i, bexp, up;

	if (isnan(v) || isinf(v))
		return buf;	/* not given */
	if (v == 0)
		v = 0;		/* -0 reads back as 0: the same loss */
	if (v == 0 || fabs(frexp(v, &bexp)) == 0.5)
		return fmt_exact_scan(v, buf, len);
	snprintf(e, sizeof e, "%.16e", v);
	neg = e[0] == '-';
	d[0] = e[neg];
	memcpy(d + 1, e + neg + 2, 16);	/* "d.dddddddddddddddd" */
	d[17] = '\0';			/* strspn reads to the end */
	x = atoi(e + neg + 19);		/* after the 'e' */
	memcpy(best, d, 17);
	xbest = x;
	for (k = 16; k >= 1; k--) {
		/* the cut-off digits d[k..17) against 5000... */
		up = d[k] > '5' || (d[k] == '5' &&
		    strspn(d + k + 1, "0") < (size_t)(16 - k));
		if (d[k] == '5' && strspn(d + k + 1, "0") >= (size_t)(16 - k)) {
			/* a tie in the 17 digits: round v itself */
			snprintf(cand, sizeof cand, "%.*e", k - 1, v);
			r[0] = cand[neg];
			if (k > 1)
				memcpy(r + 1, cand + neg + 2, (size_t)k - 1);
			xr = atoi(strchr(cand, 'e') + 1);
		} else {
			memcpy(r, d, (size_t)k);
			xr = x;
			if (up) {
				for (i = k - 1; i >= 0 && r[i] == '9'; i--)
					r[i] = '0';
				if (i >= 0)
					r[i]++;
				else {
					r[0] = '1';	/* 9.99 -> 10.0 */
					xr++;
				}
			}
		}
		fmt_g(neg, r, k, xr, cand, sizeof cand);
		if (strtod(cand, NULL) != v)
			break;
		memcpy(best, r, (size_t)k);
		kbest = k;
		xbest = xr;
	}
	fmt_g(neg, best, kbest, xbest, buf, len);
	return buf;
}

static uint64_t	 rng = 0x2545F4914F6CDD1Dull;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
uniform(void)
{
	return (double)(next() >> 11) * 0x1p-53;
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static size_t	 sink;

/* Median ns per value of one method over RUNS passes of v[0..N). */
static double
time_it(int method, const double *v, int runs)
{
	char	 b[64];
	double	 t[32], t0;
	int	 r;
	size_t	 i;

	for (r = 0; r < runs; r++) {
		t0 = now();
		for (i = 0; i < N; i++) {
			switch (method) {
			case 0:
				sink += dtoa_fmt(v[i], b);
				break;
			case 1:
				sink += (size_t)snprintf(b, sizeof b, "%.17g",
				    v[i]);
				break;
			default:
				old_fmt_exact(v[i], b, sizeof b);
				sink += (size_t)b[0];
			}
		}
		t[r] = (now() - t0) * 1e9 / N;
	}
	qsort(t, (size_t)runs, sizeof t[0], cmp);
	return t[runs / 2];
}

int
main(int argc, char **argv)
{
	static const char *set[] = { "eval gradients", "uniform [0,1)",
	    "random bits" };
	double		*v;
	double		 a, b, c, x, u1, u2;
	int		 runs = argc > 1 ? atoi(argv[1]) : 5, s;
	size_t		 i;
	uint64_t	 u;

	if (runs < 1 || runs > 31)
		runs = 5;
	if (argc > 2 && atol(argv[2]) > 0)
		N = (size_t)atol(argv[2]);
	if ((v = malloc(N * sizeof *v)) == NULL)
		return 1;
	printf("%-16s %12s %12s %12s   (ns per value, median of %d)\n",
	    "values", "dtoa_fmt", "%.17g", "old exact", runs);
	for (s = 0; s < 3; s++) {
		for (i = 0; i < N; i++) {
			switch (s) {
			case 0:
				/* Box-Muller: x ~ N(0, 3) */
				u1 = uniform() + 0x1p-60;
				u2 = uniform();
				x = 3 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
				v[i] = (1 / (1 + exp(-x)) - (double)(next() & 1))
				    / 1e6;
				break;
			case 1:
				v[i] = uniform();
				break;
			default:
				do {
					u = next();
					memcpy(&v[i], &u, sizeof u);
				} while (!isfinite(v[i]));
			}
		}
		a = time_it(0, v, runs);
		b = time_it(1, v, runs);
		c = time_it(2, v, runs);
		printf("%-16s %12.1f %12.1f %12.1f   (%.1fx, %.1fx faster)\n",
		    set[s], a, b, c, b / a, c / a);
	}
	free(v);
	return sink == 0;
}
