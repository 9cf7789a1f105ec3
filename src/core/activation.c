/*
 * activation.c -- sigmoid, log-sigmoid, logsumexp, softmax and log-softmax
 * in the numerically stable forms PyTorch 1.13 uses on the CPU.
 *
 * The shifted forms never overflow for finite input: exp() is only ever
 * applied to values <= 0 (x - max, or -|x|).  Infinities and NaN propagate
 * the way torch's kernels propagate them: a +inf entry makes a softmax row
 * NaN (inf - inf), a NaN anywhere makes the whole row NaN.  The order of the
 * floating-point operations follows torch's kernels where that was checked
 * (x - m - log(s) for log-softmax, e * (1/s) for softmax) so that results
 * agree with torch to the last bit in most cases.
 *
 * The exponentials of a row go through vmath_exp() (vectorised, within an
 * ulp of libm's exp) in blocks of ACT_BLOCK values, into the output row
 * itself or a buffer on the stack; the sums still run left to right.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>

#include "core/activation.h"
#include "core/vmath.h"

/* Values per vmath call where a buffer is needed (on the stack). */
#define ACT_BLOCK	256

VMATH_LOOPS_BEGIN

/* The row maximum, first to last; NaN at the first NaN. */
static double
row_max_scan(const double *x, size_t n)
{
	double	m = -INFINITY;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (isnan(x[i]))
			return NAN;
		if (x[i] > m)
			m = x[i];
	}
	return m;
}

/*
 * The row maximum; NaN if any entry is NaN (torch's max propagates NaN);
 * -inf for n == 0.  row_max_scan's answer, faster: four running maxima
 * side by side (which the compiler makes vectors of) and a sum of x - x,
 * which is NaN only if some entry is NaN or infinite; then the scan
 * decides those rows, and a zero maximum takes the sign of the row's
 * first zero, as in the scan.
 */
double
activation_max(const double *x, size_t n)
{
	double	m0 = -INFINITY, m1 = -INFINITY, m2 = -INFINITY;
	double	m3 = -INFINITY, c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0, r;
	size_t	i;

	for (i = 0; i + 4 <= n; i += 4) {
		m0 = x[i] > m0 ? x[i] : m0;
		m1 = x[i + 1] > m1 ? x[i + 1] : m1;
		m2 = x[i + 2] > m2 ? x[i + 2] : m2;
		m3 = x[i + 3] > m3 ? x[i + 3] : m3;
		c0 += x[i] - x[i];
		c1 += x[i + 1] - x[i + 1];
		c2 += x[i + 2] - x[i + 2];
		c3 += x[i + 3] - x[i + 3];
	}
	for (; i < n; i++) {
		m0 = x[i] > m0 ? x[i] : m0;
		c0 += x[i] - x[i];
	}
	if (isnan(c0 + c1 + c2 + c3))
		return row_max_scan(x, n);
	r = m0 > m1 ? m0 : m1;
	r = m2 > r ? m2 : r;
	r = m3 > r ? m3 : r;
	if (r == 0.0)
		for (i = 0; i < n; i++)
			if (x[i] == 0.0)
				return x[i];
	return r;
}

/* sum_i exp(x_i - m), left to right, through a block on the stack. */
static double
sum_exp_shifted(const double *x, size_t n, double m)
{
	double	b[ACT_BLOCK], s = 0.0;
	size_t	i, j, k;

	for (i = 0; i < n; i += k) {
		k = n - i < ACT_BLOCK ? n - i : ACT_BLOCK;
		for (j = 0; j < k; j++)
			b[j] = x[i + j] - m;
		vmath_exp(b, b, k);
		for (j = 0; j < k; j++)
			s += b[j];
	}
	return s;
}

/* sigma(x) = 1 / (1 + exp(-x)): exact 0 below about -745, exact 1 above 36.74. */
double
activation_sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/* log sigma(x) = min(x, 0) - log1p(exp(-|x|)), torch's CPU log_sigmoid kernel. */
double
activation_log_sigmoid(double x)
{
	return fmin(x, 0.0) - log1p(exp(-fabs(x)));
}

/*
 * log sum_i exp(x_i) = m + log sum_i exp(x_i - m) with m = max x_i.  An
 * infinite maximum is the answer itself (+inf dominates, all -inf gives
 * -inf); n == 0 gives -inf (the empty sum is 0).
 */
double
activation_logsumexp(const double *x, size_t n)
{
	double	m;

	if (n == 0)
		return -INFINITY;
	m = activation_max(x, n);
	if (isnan(m) || isinf(m))
		return m;
	return m + log(sum_exp_shifted(x, n, m));
}

/*
 * softmax_i = exp(x_i - m) * (1 / sum_j exp(x_j - m)).  Like torch, a +inf
 * entry gives a NaN row (inf - inf) and a row of -inf gives NaN.
 */
void
activation_softmax(const double *x, double *out, size_t n)
{
	double	m, s = 0.0, inv;
	size_t	i;

	if (n == 0)
		return;
	m = activation_max(x, n);
	for (i = 0; i < n; i++)
		out[i] = x[i] - m;
	vmath_exp(out, out, n);
	for (i = 0; i < n; i++)
		s += out[i];
	inv = 1.0 / s;
	for (i = 0; i < n; i++)
		out[i] *= inv;
}

/*
 * log_softmax_i = x_i - m - log sum_j exp(x_j - m).  The probability is never
 * formed, so [1e4, -1e4, 0] gives exactly [0, -2e4, -1e4].
 */
void
activation_log_softmax(const double *x, double *out, size_t n)
{
	double	m, ls;
	size_t	i;

	if (n == 0)
		return;
	m = activation_max(x, n);
	ls = log(sum_exp_shifted(x, n, m));
	for (i = 0; i < n; i++)
		out[i] = x[i] - m - ls;
}

/* e_i = exp(x_i - m), the sum returned: log_softmax's first half. */
double
activation_softmax_parts(const double *x, double *e, size_t n, double *m)
{
	double	s = 0.0;
	size_t	i;

	*m = -INFINITY;
	if (n == 0)
		return 0.0;
	*m = activation_max(x, n);
	for (i = 0; i < n; i++)
		e[i] = x[i] - *m;
	vmath_exp(e, e, n);
	for (i = 0; i < n; i++)
		s += e[i];
	return s;
}

VMATH_LOOPS_END
