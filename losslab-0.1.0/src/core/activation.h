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

#endif
