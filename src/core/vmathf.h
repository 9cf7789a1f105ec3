/*
 * vmathf.h -- expf and logf over arrays of floats, in loops the compiler
 * vectorises (see vmathf.c), for the float32 kernels of loss_f32.c.
 *
 * Each result is within 1 ulp of the correctly rounded float of the exact
 * value (in practice it is that float but for about one value in 10^5),
 * with IEEE special values: exp(-inf) = 0, exp(+inf) = +inf, overflow to
 * +inf, gradual underflow; log(0) = -inf, log(x < 0) = nan, log(+inf) =
 * +inf; nan gives nan.  The results do not depend on the processor (the
 * AVX2 and the generic builds compute the same operations in the same
 * order, without fused multiply-adds) nor on n.  Cannot fail.
 */
#ifndef LOSSLAB_CORE_VMATHF_H
#define LOSSLAB_CORE_VMATHF_H

#include <stddef.h>

/* y[i] = expf(x[i]) for i < n; y may be x. */
void	 vmathf_exp(const float *x, float *y, size_t n);
/* y[i] = logf(x[i]) for i < n; y may be x. */
void	 vmathf_log(const float *x, float *y, size_t n);

#endif
