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
 */
#include "config.h"

#include <math.h>
#include <stddef.h>

#include "core/activation.h"

/* The row maximum; NaN if any entry is NaN (torch's max propagates NaN). */
static double
row_max(const double *x, size_t n)
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
	double	m, s = 0.0;
	size_t	i;

	if (n == 0)
		return -INFINITY;
	m = row_max(x, n);
	if (isnan(m) || isinf(m))
		return m;
	for (i = 0; i < n; i++)
		s += exp(x[i] - m);
	return m + log(s);
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
	m = row_max(x, n);
	for (i = 0; i < n; i++) {
		out[i] = exp(x[i] - m);
		s += out[i];
	}
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
	double	m, s = 0.0, ls;
	size_t	i;

	if (n == 0)
		return;
	m = row_max(x, n);
	for (i = 0; i < n; i++)
		s += exp(x[i] - m);
	ls = log(s);
	for (i = 0; i < n; i++)
		out[i] = x[i] - m - ls;
}
