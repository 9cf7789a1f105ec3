/*
 * pitfall.h -- the classic mistakes, computed by the same core as the right
 * way, so that the explorer and `losslab eval --pitfall` can show the wrong
 * pipeline's value and gradient beside the correct one.
 *
 * Every pipeline takes the raw model output x (logits) and differentiates the
 * whole pipeline with respect to x:
 *   double-sigmoid       BCEWithLogits(sigmoid(x), y)     correct: bce-logits
 *   softmax-then-ce      CE(softmax(x), y)                correct: ce
 *   log-softmax-then-ce  CE(log_softmax(x), y) == CE(x)   correct: ce (harmless)
 *   bce-on-logits        BCELoss(x, y), x not squashed    correct: bce-logits
 *   naive-float32        BCELoss(sigmoid(x), y) in float32  correct: bce-logits
 * The options (reduction, weights, ...) are those of the correct loss.
 */
#ifndef LOSSLAB_CORE_PITFALL_H
#define LOSSLAB_CORE_PITFALL_H

#include "core/loss.h"

enum pitfall_id {
	PITFALL_NONE,
	PITFALL_DOUBLE_SIGMOID,
	PITFALL_SOFTMAX_THEN_CE,
	PITFALL_LOG_SOFTMAX_THEN_CE,
	PITFALL_BCE_ON_LOGITS,
	PITFALL_NAIVE_FLOAT32,
	PITFALL_COUNT
};

/* "double-sigmoid", ...; "none" for PITFALL_NONE. */
const char *pitfall_name(enum pitfall_id id);
/* 0, or -1 if the name is unknown. */
int	 pitfall_parse(const char *name, enum pitfall_id *id);
/* The loss whose correct pipeline this pitfall imitates (LOSS_COUNT for
   PITFALL_NONE). */
enum loss_id pitfall_loss(enum pitfall_id id);
/* The PyTorch line of the mistake, e.g. "nn.BCEWithLogitsLoss()(torch.sigmoid(z), y)". */
const char *pitfall_torch_code(enum pitfall_id id);

/*
 * Evaluate the pitfall pipeline on logits x into *r (value, per-element loss,
 * gradient w.r.t. x).  Returns 0, or -1 with e set: either a usage error (the
 * options or shapes do not fit the correct loss) or, for bce-on-logits, torch's
 * own error "all elements of input should be between 0 and 1" -- which is
 * what the user would see.  For naive-float32 the results are float32 numbers
 * widened to double.
 */
int	 pitfall_eval(enum pitfall_id id, const struct mat *x,
	    const struct mat *target, const struct loss_opts *o,
	    struct loss_result *r, struct err *e);

#endif
