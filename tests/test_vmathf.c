/*
 * test_vmathf.c -- vmathf_exp and vmathf_log against an independent
 * reference: glibc's double exp and log of the float, rounded to float
 * (correctly rounded but for the rare double-rounding case, which the
 * 1-ulp bound covers).  Every 1021st float of the whole range (4.2
 * million, subnormals, infinities and nans among them), the special
 * values one by one, the boundaries of overflow and underflow, and that
 * a value's result does not depend on where it sits in the array (the
 * vector body, the scalar epilogue, a call of one value, in place).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vmathf.h"
#include "tap.h"

static float
from_u(uint32_t u)
{
	float	f;

	memcpy(&f, &u, sizeof f);
	return f;
}

static uint32_t
to_u(float f)
{
	uint32_t	u;

	memcpy(&u, &f, sizeof u);
	return u;
}

/* Distance in ulps between two floats (0 for two nans, huge for a nan
   and a number, for different infinities or signs far apart). */
static uint64_t
ulps(float a, float b)
{
	int64_t	ia, ib;

	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b) ? 0 : UINT64_MAX;
	ia = (int64_t)(int32_t)to_u(a);
	ib = (int64_t)(int32_t)to_u(b);
	/* order the negative floats below the positive ones */
	if (ia < 0)
		ia = INT32_MIN - ia;
	if (ib < 0)
		ib = INT32_MIN - ib;
	return ia > ib ? (uint64_t)(ia - ib) : (uint64_t)(ib - ia);
}

static float
ref_exp(float x)
{
	return (float)exp((double)x);
}

static float
ref_log(float x)
{
	return (float)log((double)x);
}

/* One function against its reference over xs[0..n): the largest ulp
   distance (and the first x where it is reached), and how many differ. */
static void
sweep(const char *name, void (*f)(const float *, float *, size_t),
    float (*ref)(float), const float *xs, size_t n)
{
	float		*y = malloc(n * sizeof *y);
	uint64_t	 d, worst = 0;
	size_t		 i, off = 0;
	float		 at = 0;

	if (y == NULL)
		abort();
	f(xs, y, n);
	for (i = 0; i < n; i++) {
		d = ulps(y[i], ref(xs[i]));
		if (d != 0)
			off++;
		if (d > worst) {
			worst = d;
			at = xs[i];
		}
	}
	if (!tap_ok(worst <= 1, "%s: %zu floats within 1 "
	    "ulp of the double-computed reference (%zu differ by 1)", name, n,
	    off))
		tap_diag("worst %llu ulps at %a: got %a, reference %a",
		    (unsigned long long)worst, at, y[0], ref(at));
	free(y);
}

/* Each special value given alone: the exact expected result. */
static void
specials(void)
{
	static const struct {
		int	 is_log;
		float	 x, want;
		const char *what;
	} cases[] = {
		{ 0, -INFINITY, 0.0f, "exp(-inf) = 0" },
		{ 0, INFINITY, INFINITY, "exp(+inf) = +inf" },
		{ 0, 0.0f, 1.0f, "exp(0) = 1" },
		{ 0, -0.0f, 1.0f, "exp(-0) = 1" },
		{ 0, 88.7228394f, INFINITY, "exp(88.7228394) overflows to +inf" },
		{ 0, 88.7228317f, 3.40279851e38f, "exp(88.7228317): the largest "
		    "float below FLT_MAX's neighbourhood" },
		{ 0, 1000.0f, INFINITY, "exp(1000) = +inf" },
		{ 0, -1000.0f, 0.0f, "exp(-1000) = 0" },
		{ 0, -103.97208f, 0x1p-149f, "exp(-103.97208): the smallest "
		    "subnormal" },
		{ 0, -103.972084f, 0.0f, "exp(-103.972084), the float below, "
		    "rounds to 0" },
		{ 0, -104.0f, 0.0f, "exp(-104) rounds to 0" },
		{ 0, 1.0f, 2.71828175f, "exp(1) = e in float" },
		{ 1, 0.0f, -INFINITY, "log(0) = -inf" },
		{ 1, -0.0f, -INFINITY, "log(-0) = -inf" },
		{ 1, 1.0f, 0.0f, "log(1) = 0 exactly" },
		{ 1, INFINITY, INFINITY, "log(+inf) = +inf" },
		{ 1, 0x1p-149f, -103.278931f, "log of the smallest subnormal" },
		{ 1, 3.40282347e38f, 88.7228394f, "log(FLT_MAX)" },
		{ 1, 2.71828175f, 0x1.fffffep-1f, "log(e in float) = the float "
		    "below 1 (e in float is below e)" },
		{ 1, 2.0f, 0.693147182f, "log(2)" },
	};
	size_t	i;
	float	y;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].is_log)
			vmathf_log(&cases[i].x, &y, 1);
		else
			vmathf_exp(&cases[i].x, &y, 1);
		if (!tap_ok(to_u(y) == to_u(cases[i].want) ||
		    ulps(y, cases[i].want) == 0, "%s", cases[i].what))
			tap_diag("got %a, want %a", y, cases[i].want);
	}
	/* nan in, nan out; and log of a negative number is nan */
	{
		float	in[4] = { NAN, -NAN, -1.0f, -INFINITY }, out[4];

		vmathf_exp(in, out, 2);
		tap_ok(isnan(out[0]) && isnan(out[1]), "exp(nan) = nan");
		vmathf_log(in, out, 4);
		tap_ok(isnan(out[0]) && isnan(out[1]) && isnan(out[2]) &&
		    isnan(out[3]), "log(nan), log(-1), log(-inf) = nan");
	}
}

/* A value's result is the same in the vector body, the epilogue, a call
   of one value, and in place. */
static void
placement(const char *name, void (*f)(const float *, float *, size_t),
    const float *xs, size_t n)
{
	float	*a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), one;
	size_t	 i, bad = 0, start;

	if (a == NULL || b == NULL)
		abort();
	f(xs, a, n);
	for (i = 0; i < n; i += 97) {
		f(&xs[i], &one, 1);
		bad += to_u(one) != to_u(a[i]);
	}
	for (start = 1; start < 8; start++) {
		f(xs + start, b, n - start);
		for (i = start; i < n; i++)
			bad += to_u(b[i - start]) != to_u(a[i]);
	}
	memcpy(b, xs, n * sizeof *b);
	f(b, b, n);
	for (i = 0; i < n; i++)
		bad += to_u(b[i]) != to_u(a[i]);
	tap_ok(bad == 0, "%s: the same bits alone, at every offset and in "
	    "place (%zu differ)", name, bad);
	free(a);
	free(b);
}

int
main(void)
{
	size_t	 n = 0, cap = (size_t)(UINT32_MAX / 1021) + 2, i;
	float	*xs = malloc(cap * sizeof *xs), *ys;
	uint64_t u;

	if (xs == NULL)
		abort();
	for (u = 0; u <= UINT32_MAX; u += 1021)
		xs[n++] = from_u((uint32_t)u);
	specials();
	sweep("exp over the whole range", vmathf_exp, ref_exp, xs, n);
	sweep("log over the whole range", vmathf_log, ref_log, xs, n);
	/* the ranges where the work is: exp of [-110, 95], log of (0, 10] */
	ys = malloc(1000003 * sizeof *ys);
	if (ys == NULL)
		abort();
	for (i = 0; i < 1000003; i++)
		ys[i] = -110.0f + 205.0f * (float)i / 1000003.0f;
	sweep("exp on [-110, 95]", vmathf_exp, ref_exp, ys, 1000003);
	placement("exp", vmathf_exp, ys, 1000003);
	for (i = 0; i < 1000003; i++)
		ys[i] = 10.0f * (float)(i + 1) / 1000003.0f;
	sweep("log on (0, 10]", vmathf_log, ref_log, ys, 1000003);
	placement("log", vmathf_log, ys, 1000003);
	placement("log over the whole range", vmathf_log, xs, n);
	placement("exp over the whole range", vmathf_exp, xs, n);
	free(xs);
	free(ys);
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}
