/*
 * loss_f32.h -- a loss's numbers in float32, as torch computes them for
 * float32 tensors (see loss_f32.c).  Called by loss.c when
 * loss_opts.float32 is set; nothing else needs it.
 */
#ifndef LOSSLAB_CORE_LOSS_F32_H
#define LOSSLAB_CORE_LOSS_F32_H

#include "core/loss.h"

/*
 * Fill r's numbers (elem, grad, value, denom; r allocated and shaped,
 * index_target set, by loss.c's checks for the same arguments) in float
 * and set r->f32 = LOSS_F32_KERNEL: returns 1.  Returns 0, r untouched,
 * where there is no float kernel (other losses, ce with C = 0 classes) or
 * no memory for a row's scratch: loss.c then computes in float64 and
 * calls loss_f32_round.
 */
int	 loss_f32_compute(enum loss_id id, const struct mat *x,
	    const struct mat *t, const struct loss_opts *o,
	    struct loss_result *r);
/* Round every number of a float64 result to float and set r->f32 =
   LOSS_F32_ROUNDED; nothing when r->f32 is already set.  Cannot fail. */
void	 loss_f32_round(struct loss_result *r);

#endif
