/*
 * vmath.h -- exp, log and tanh of whole arrays of doubles, vectorised.
 *
 * Each function maps n values of x to y (y may equal x; otherwise the two
 * must not overlap), element by element, within 1 ulp of the correctly
 * rounded result, with IEEE special values as libm gives them: exp(-inf)
 * = 0, exp(+inf) = +inf, overflow to +inf and gradual underflow; log(0) =
 * -inf, log(x < 0) = NaN, log(+inf) = +inf; tanh(+-inf) = +-1; NaN in,
 * NaN out; subnormal inputs are handled.  The loops are free of branches so
 * that the compiler vectorises them; on x86-64 a second copy compiled for
 * AVX2 is chosen at run time when the processor has it.  Both copies give
 * the same bits (no fused multiply-add in either; tests/test_vmath.c
 * checks), so a result never depends on the machine it was computed on.
 * None of these can fail.
 */
#ifndef LOSSLAB_CORE_VMATH_H
#define LOSSLAB_CORE_VMATH_H

#include <stddef.h>

/*
 * VMATH_LOOPS_BEGIN ... VMATH_LOOPS_END around the functions of another
 * file whose plain loops should be vectorised as vmath.c's are (GCC at -O2
 * vectorises only loops with no remainder): the same options as vmath.c,
 * none of which changes a value.  Empty for other compilers.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define VMATH_LOOPS_BEGIN \
	_Pragma("GCC push_options") \
	_Pragma("GCC optimize(\"fp-contract=off\", \"no-trapping-math\", \"tree-loop-vectorize\", \"vect-cost-model=dynamic\")")
#define VMATH_LOOPS_END	_Pragma("GCC pop_options")
#else
#define VMATH_LOOPS_BEGIN
#define VMATH_LOOPS_END
#endif

/* The functions, one line each: X(name). */
#define VMATH_FUNCS(X) \
	X(exp) \
	X(log) \
	X(tanh)

/* y_i = exp(x_i). */
void	 vmath_exp(const double *x, double *y, size_t n);
/* y_i = log(x_i), the natural logarithm; exactly 0 at x_i = 1. */
void	 vmath_log(const double *x, double *y, size_t n);
/* y_i = tanh(x_i). */
void	 vmath_tanh(const double *x, double *y, size_t n);

/*
 * For tests: the number of compiled copies (1, or 2 with the AVX2 one),
 * whether copy v can run on this processor, and the name-th function
 * ("exp", "log", "tanh") of copy v called directly.  vmath_variant_call
 * returns -1 (doing nothing) for an unknown name or a copy that cannot
 * run here.
 */
int	 vmath_variants(void);
int	 vmath_variant_usable(int v);
int	 vmath_variant_call(int v, const char *name, const double *x,
	    double *y, size_t n);

#endif
