/*
 * test_vmath.c -- the array exp, log and tanh of src/core/vmath.c against
 * long double (the x87's 64-bit significand: expl, logl and tanhl err by
 * at most about 2^-11 of a double ulp, so they stand in for the correctly
 * rounded value), on millions of points per function: uniform over the
 * whole domain, log-uniform magnitudes down to the subnormals, dense near
 * the edges (0, log near 1, exp near its overflow at 709.78 and its last
 * subnormal at -745.13, tanh at its switch point 0.55 and where it is cut
 * to +-1 at 20) and the special
 * values (+-0, +-inf, NaN, subnormals, the largest double) exactly.
 *
 * Each range is one TAP line: the largest error in ulps of the double
 * nearest the reference must be at most 1 (printed as a diagnostic, with
 * the share of results that are not the correctly rounded one).  Then
 * every compiled copy (the portable one and, where it was built and the
 * processor has AVX2, the AVX2 one) must give the same bits on every
 * point, in place (y == x) too, and for every length up to 40 (the
 * vector loops' remainders).
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vmath.h"
#include "tap.h"

#define NPTS	(1u << 20)

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* splitmix64 */
static uint64_t
rnd64(void)
{
	uint64_t	z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rnd01(void)
{
	return (double)(rnd64() >> 11) * 0x1p-53;
}

static double
uniform(double a, double b)
{
	return a + (b - a) * rnd01();
}

/* A random sign times 10^u, u uniform in [lo, hi]. */
static double
logmag(double lo, double hi, int signed_)
{
	double	v = pow(10.0, uniform(lo, hi));

	return signed_ && (rnd64() & 1) ? -v : v;
}

static long double
ref_of(const char *fn, double x)
{
	if (strcmp(fn, "exp") == 0)
		return expl((long double)x);
	if (strcmp(fn, "log") == 0)
		return logl((long double)x);
	return tanhl((long double)x);
}

/* The size of one ulp of the double nearest r (2^-1074 in the subnormals). */
static long double
ulp_at(long double r)
{
	double	d = fabs((double)r);

	if (d < DBL_MIN)
		return 0x1p-1074L;
	if (isinf(d))
		d = DBL_MAX;
	return ldexpl(1.0L, ilogb(d) - 52);
}

/*
 * The error of y in ulps against the reference r; special values must be
 * exact (NaN for NaN; infinities and zeros with their signs), and y may
 * overflow to +inf only where r is beyond DBL_MAX.  Returns 1e9 for a
 * wrong special value.
 */
static double
ulp_err(double y, long double r)
{
	double	rd = (double)r;

	if (isnan(r))
		return isnan(y) ? 0.0 : 1e9;
	if (isnan(y))
		return 1e9;
	if (isinf(r) || rd == 0.0 || isinf(y) || y == 0.0) {
		if (y == rd && signbit(y) == signbit(rd))
			return 0.0;
		if (isinf(y) && fabsl(r) > (long double)DBL_MAX &&
		    signbit(y) == signbit(rd))
			return 0.0;
		if (!isinf(y) && !isinf(rd) && signbit(y) == signbit(rd))
			return (double)(fabsl((long double)y - r) / ulp_at(r));
		return 1e9;
	}
	return (double)(fabsl((long double)y - r) / ulp_at(r));
}

/* One range: the largest error of copy 0 (the dispatched one is checked
   against it below), and how many results are not correctly rounded. */
static void
check_range(const char *fn, const char *what, const double *x, size_t n)
{
	double		*y = malloc(n * sizeof *y), e, worst = 0.0, at = 0.0;
	size_t		 i, off = 0;
	double		 bound = 1.0;

	if (y == NULL)
		exit(1);
	if (strcmp(fn, "exp") == 0)
		vmath_exp(x, y, n);
	else if (strcmp(fn, "log") == 0)
		vmath_log(x, y, n);
	else
		vmath_tanh(x, y, n);
	for (i = 0; i < n; i++) {
		long double	r = ref_of(fn, x[i]);

		e = ulp_err(y[i], r);
		if (y[i] != (double)r && !(isnan(y[i]) && isnan(r)))
			off++;
		if (e > worst) {
			worst = e;
			at = x[i];
		}
	}
	if (!tap_ok(worst <= bound, "%s, %s: %zu points within %g ulp", fn,
	    what, n, bound))
		tap_diag("x = %.17g: %s = %.17g", at, fn,
		    (double)ref_of(fn, at));
	tap_diag("largest error %.3f ulp (at %.17g), %.4f%% not correctly "
	    "rounded", worst, at, 100.0 * (double)off / (double)n);
	free(y);
}

/* Every copy gives copy 0's bits (NaN as NaN), out of place and in place,
   and for every short length. */
static void
check_copies(const char *fn, const double *x, size_t n)
{
	double	*y0 = malloc(n * sizeof *y0), *y1 = malloc(n * sizeof *y1);
	size_t	 i, bad, len, k;
	int	 v;

	if (y0 == NULL || y1 == NULL)
		exit(1);
	vmath_variant_call(0, fn, x, y0, n);
	for (v = 0; v < vmath_variants(); v++) {
		if (!vmath_variant_usable(v)) {
			tap_ok(1, "# SKIP %s: copy %d cannot run here", fn, v);
			continue;
		}
		bad = 0;
		vmath_variant_call(v, fn, x, y1, n);
		for (i = 0; i < n; i++)
			if (memcmp(&y0[i], &y1[i], sizeof y0[i]) != 0 &&
			    !(isnan(y0[i]) && isnan(y1[i])))
				bad++;
		/* in place */
		memcpy(y1, x, n * sizeof *y1);
		vmath_variant_call(v, fn, y1, y1, n);
		for (i = 0; i < n; i++)
			if (memcmp(&y0[i], &y1[i], sizeof y0[i]) != 0 &&
			    !(isnan(y0[i]) && isnan(y1[i])))
				bad++;
		/* short lengths at odd offsets: the loops' remainders */
		for (len = 0; len <= 40; len++) {
			k = 7 * len + 1;
			vmath_variant_call(v, fn, x + k, y1, len);
			for (i = 0; i < len; i++)
				if (memcmp(&y0[k + i], &y1[i], sizeof y1[i]) != 0
				    && !(isnan(y0[k + i]) && isnan(y1[i])))
					bad++;
		}
		tap_ok(bad == 0, "%s: copy %d of %d gives copy 0's bits on "
		    "%zu points (%zu differ)", fn, v, vmath_variants(), n, bad);
	}
	free(y0);
	free(y1);
}

/* The special values, exactly. */
static void
check_specials(void)
{
	static const struct {
		const char	*fn;
		double		 x;
		double		 want;
	} c[] = {
		{ "exp", 0.0, 1.0 }, { "exp", -0.0, 1.0 },
		{ "exp", INFINITY, INFINITY }, { "exp", -INFINITY, 0.0 },
		{ "exp", NAN, NAN }, { "exp", 710.0, INFINITY },
		{ "exp", 709.7827128933841, INFINITY },
		{ "exp", DBL_MAX, INFINITY }, { "exp", -DBL_MAX, 0.0 },
		{ "exp", -746.0, 0.0 }, { "exp", -745.2, 0.0 },
		{ "exp", -745.0, 0x1p-1074 }, { "exp", -1e-300, 1.0 },
		{ "exp", 0x1p-1074, 1.0 }, { "exp", -0x1p-1074, 1.0 },
		{ "exp", -40.0, 4.248354255291589e-18 },
		{ "log", 1.0, 0.0 }, { "log", 0.0, -INFINITY },
		{ "log", -0.0, -INFINITY }, { "log", -1.0, NAN },
		{ "log", -0x1p-1074, NAN }, { "log", -INFINITY, NAN },
		{ "log", INFINITY, INFINITY }, { "log", NAN, NAN },
		{ "log", 0x1p-1074, -744.44007192138122 },
		{ "log", DBL_MIN, -708.39641853226408 },
		{ "log", DBL_MAX, 709.78271289338397 },
		{ "log", 2.0, 0.69314718055994529 },
		{ "tanh", 0.0, 0.0 }, { "tanh", -0.0, -0.0 },
		{ "tanh", INFINITY, 1.0 }, { "tanh", -INFINITY, -1.0 },
		{ "tanh", NAN, NAN }, { "tanh", 0x1p-1074, 0x1p-1074 },
		{ "tanh", -0x1p-1070, -0x1p-1070 }, { "tanh", 40.0, 1.0 },
		{ "tanh", -1e300, -1.0 }, { "tanh", 1e-300, 1e-300 },
		{ "tanh", 20.0, 1.0 }, { "tanh", -DBL_MAX, -1.0 },
		{ "tanh", 0.55, 0.50052021119023524 },
	};
	size_t	i, n = sizeof c / sizeof c[0];
	double	y;
	int	ok;

	for (i = 0; i < n; i++) {
		vmath_variant_call(0, c[i].fn, &c[i].x, &y, 1);
		if (isnan(c[i].want))
			ok = isnan(y);
		else
			ok = y == c[i].want && signbit(y) == signbit(c[i].want);
		tap_ok(ok, "%s(%.17g) = %.17g", c[i].fn, c[i].x, c[i].want);
		if (!ok)
			tap_diag("got %.17g", y);
	}
}

/* Fills x with the points of one range, generated by f. */
static double *
points(double (*f)(void), size_t n)
{
	double	*x = malloc(n * sizeof *x);
	size_t	 i;

	if (x == NULL)
		exit(1);
	for (i = 0; i < n; i++)
		x[i] = f();
	return x;
}

static double g_exp_all(void) { return uniform(-745.2, 709.9); }
static double g_exp_small(void) { return logmag(-320.0, 0.0, 1); }
static double g_exp_hi(void) { return uniform(708.0, 709.8); }
static double g_exp_lo(void) { return uniform(-745.2, -700.0); }
static double g_exp_mid(void) { return uniform(-2.0, 2.0); }
static double g_log_bits(void) {
	uint64_t	u = rnd64() & 0x7fefffffffffffffULL;
	double		d;

	memcpy(&d, &u, sizeof d);
	return d;
}
static double g_log_near1(void) { return 1.0 + logmag(-16.0, -0.3, 1); }
static double g_log_sub(void) { return uniform(0.0, 1.0) * DBL_MIN; }
static double g_log_mid(void) { return uniform(0.1, 10.0); }
static double g_tanh_all(void) { return uniform(-25.0, 25.0); }
static double g_tanh_mag(void) { return logmag(-320.0, 1.5, 1); }
static double g_tanh_sw(void) { return uniform(0.4, 0.8) * ((rnd64() & 1) ? 1 : -1); }
static double g_tanh_mid(void) { return uniform(-2.0, 2.0); }
static double g_tanh_20(void) { return uniform(19.0, 21.0) * ((rnd64() & 1) ? 1 : -1); }

int
main(void)
{
	static const struct {
		const char	 *fn;
		const char	 *what;
		double		(*gen)(void);
	} r[] = {
		{ "exp", "uniform on [-745.2, 709.9]", g_exp_all },
		{ "exp", "|x| log-uniform in [1e-320, 1]", g_exp_small },
		{ "exp", "near overflow, [708, 709.8]", g_exp_hi },
		{ "exp", "subnormal results, [-745.2, -700]", g_exp_lo },
		{ "exp", "uniform on [-2, 2]", g_exp_mid },
		{ "log", "random bit patterns (every exponent)", g_log_bits },
		{ "log", "1 + d, |d| log-uniform in [1e-16, 0.5]", g_log_near1 },
		{ "log", "subnormals", g_log_sub },
		{ "log", "uniform on [0.1, 10]", g_log_mid },
		{ "tanh", "uniform on [-25, 25]", g_tanh_all },
		{ "tanh", "|x| log-uniform in [1e-320, 31.6]", g_tanh_mag },
		{ "tanh", "near the switch, |x| in [0.4, 0.8]", g_tanh_sw },
		{ "tanh", "uniform on [-2, 2]", g_tanh_mid },
		{ "tanh", "near the cut to +-1, |x| in [19, 21]", g_tanh_20 },
	};
	const char	*fns[] = { "exp", "log", "tanh" };
	double		*x, *all;
	size_t		 i, k, n = sizeof r / sizeof r[0], nall = 0;

	all = malloc(n * NPTS * sizeof *all);
	if (all == NULL)
		return 1;
	tap_diag("%d compiled copies; copy 1 usable here: %d",
	    vmath_variants(), vmath_variant_usable(1));
	for (i = 0; i < n; i++) {
		x = points(r[i].gen, NPTS);
		check_range(r[i].fn, r[i].what, x, NPTS);
		free(x);
	}
	check_specials();
	/* the copies on a mixture of every range's generator */
	for (k = 0; k < 3; k++) {
		nall = 0;
		for (i = 0; i < n; i++) {
			size_t	j;

			if (strcmp(r[i].fn, fns[k]) != 0)
				continue;
			for (j = 0; j < NPTS; j++)
				all[nall++] = r[i].gen();
		}
		all[0] = NAN;
		all[1] = INFINITY;
		all[2] = -INFINITY;
		all[3] = 0.0;
		all[4] = -0.0;
		all[5] = 0x1p-1074;
		check_copies(fns[k], all, nall);
	}
	free(all);
	return tap_done();
}
