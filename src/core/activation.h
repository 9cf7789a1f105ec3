/*
 * activation.h -- the activations in their numerically stable forms.
 *
 * These never overflow for finite input: softmax and log-softmax subtract the
 * row maximum first, log-sigmoid uses min(x,0) - log1p(exp(-|x|)).  Vectors
 * are contiguous arrays of n doubles; out may equal x.
 */
#ifndef LOSSLAB_CORE_ACTIVATION_H
#define LOSSLAB_CORE_ACTIVATION_H

#include <stddef.h>

/* max_i x_i, first to last (a zero maximum is the row's first zero); NaN
   if any x_i is NaN; -inf if n == 0. */
double	 activation_max(const double *x, size_t n);
/* sigma(x) = 1/(1+exp(-x)), as torch evaluates it. */
double	 activation_sigmoid(double x);
/* log sigma(x) = min(x,0) - log1p(exp(-|x|)). */
double	 activation_log_sigmoid(double x);
/* log sum_i exp(x_i) = m + log sum_i exp(x_i - m), m = max x_i; -inf if n == 0. */
double	 activation_logsumexp(const double *x, size_t n);
/* softmax_i = exp(x_i - m) / sum_j exp(x_j - m). */
void	 activation_softmax(const double *x, double *out, size_t n);
/* log_softmax_i = x_i - m - log sum_j exp(x_j - m). */
void	 activation_log_softmax(const double *x, double *out, size_t n);
/*
 * The pieces both share, for callers that need the loss and its gradient
 * from one exp per entry: writes e_i = exp(x_i - m) into e (e may equal x
 * only if x is not needed after), sets *m to the row maximum and returns
 * the sum of e.  log_softmax_i is then x_i - *m - log(sum), bit for bit
 * activation_log_softmax's.  n == 0 returns 0 with *m = -inf.
 */
double	 activation_softmax_parts(const double *x, double *e, size_t n,
	    double *m);

#endif
