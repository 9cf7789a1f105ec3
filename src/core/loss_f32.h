/*
 * loss_f32.h -- a loss's numbers in float32, as torch computes them for
 * float32 tensors (see loss_f32.c).  Called by loss_eval() when
 * loss_opts.float32 is set; nothing else needs it.
 */
#ifndef LOSSLAB_CORE_LOSS_F32_H
#define LOSSLAB_CORE_LOSS_F32_H

#include "core/loss.h"

/* Replace r's numbers (filled by the float64 path for the same arguments)
   by their float32 counterparts and set r->f32.  Cannot fail. */
void	 loss_f32_refine(enum loss_id id, const struct mat *x,
	    const struct mat *t, const struct loss_opts *o,
	    struct loss_result *r);

#endif
