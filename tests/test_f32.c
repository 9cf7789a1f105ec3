/*
 * test_f32.c -- the float32 kernels (loss_f32.c) on arrays large enough
 * for the order of a float sum to matter: a running float sum of 10^6
 * bce-logits terms drifted 1.5% from torch's (which sums in vectorised
 * cascades), so losslab's float32 sums are accumulated in double.  The
 * arrays are formulas whose floats numpy makes exactly the same, and the
 * expected numbers were printed by torch 1.13 in float32:
 *   i = np.arange(10**6)
 *   x = ((i % 1000) - 500).astype(np.float32) / np.float32(64)
 *   y = (i % 3 == 0).astype(np.float32)
 *   F.binary_cross_entropy_with_logits(x, y)           -> 2.0570480823516846
 *     (reduction='sum' -> 2057048.125; x.grad[0] -> -9.995954997066292e-07)
 *   X = (((np.arange(10**6) * 7) % 1001) - 500).astype(np.float32)
 *       .reshape(1000, 1000) / np.float32(100)
 *   Y = (np.arange(1000) * 13) % 1000
 *   F.cross_entropy(X, Y) -> 9.613958358764648 (sum -> 9613.9580078125)
 * (float64: 2.057048213840278 and 9.61395856911027.)
 */
#include "config.h"

#include <stdlib.h>

#include "core/loss.h"
#include "tap.h"

#define N	1000000

int
main(void)
{
	struct mat		 x = MAT_INIT, y = MAT_INIT;
	struct loss_opts	 o;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct err		 e;
	size_t			 i;
	int			 rc;

	if (mat_alloc(&x, 1, 1, N, &e) != 0 || mat_alloc(&y, 1, 1, N, &e) != 0)
		return 1;
	for (i = 0; i < N; i++) {
		x.v[i] = (float)((long)(i % 1000) - 500) / 64.0f;
		y.v[i] = i % 3 == 0;
	}
	loss_opts_init(&o);
	o.float32 = 1;
	rc = loss_eval(LOSS_BCE_LOGITS, &x, &y, &o, &r, &e);
	tap_ok(rc == 0 &&
	    r.f32 == LOSS_F32_KERNEL && tap_close(r.value, 2.0570480823516846,
	    2e-7), "bce-logits, 10^6 float32 values: torch's mean "
	    "2.0570480823516846 (got %.17g)", r.value);
	tap_ok(tap_close(r.grad.v[0], -9.995954997066292e-07, 2e-7),
	    "  and its gradient (got %.17g)", r.grad.v[0]);
	loss_result_free(&r);
	o.reduction = LOSS_REDUCTION_SUM;
	rc = loss_eval(LOSS_BCE_LOGITS, &x, &y, &o, &r, &e);
	tap_ok(rc == 0 &&
	    tap_close(r.value, 2057048.125, 2e-7), "  the sum: torch's "
	    "2057048.125 (got %.17g)", r.value);
	loss_result_free(&r);
	mat_free(&x);
	mat_free(&y);

	if (mat_alloc(&x, 2, 1000, 1000, &e) != 0 ||
	    mat_alloc(&y, 1, 1, 1000, &e) != 0)
		return 1;
	for (i = 0; i < N; i++)
		x.v[i] = (float)((long)((i * 7) % 1001) - 500) / 100.0f;
	for (i = 0; i < 1000; i++)
		y.v[i] = (double)((i * 13) % 1000);
	loss_opts_init(&o);
	o.float32 = 1;
	rc = loss_eval(LOSS_CE, &x, &y, &o, &r, &e);
	tap_ok(rc == 0 &&
	    r.f32 == LOSS_F32_KERNEL && tap_close(r.value, 9.613958358764648,
	    2e-7), "ce, 1000 x 1000 float32: torch's mean 9.613958358764648 "
	    "(got %.17g)", r.value);
	loss_result_free(&r);
	o.reduction = LOSS_REDUCTION_SUM;
	rc = loss_eval(LOSS_CE, &x, &y, &o, &r, &e);
	tap_ok(rc == 0 &&
	    tap_close(r.value, 9613.9580078125, 2e-7), "  the sum: torch's "
	    "9613.9580078125 (got %.17g)", r.value);
	loss_result_free(&r);
	mat_free(&x);
	mat_free(&y);
	return tap_done();
}
