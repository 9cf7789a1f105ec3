/*
 * train.h -- the training lab: a small model trained by gradient descent on
 * a data set (core/data.h), its loss and the gradient of the loss with
 * respect to the logits taken from the loss core (loss_eval(), or
 * pitfall_eval() for a mistaken pipeline) and back-propagated through the
 * model here.  Every step is the arithmetic of torch.optim.SGD training the
 * equivalent nn.Module in float64.
 *
 * A run is an object, so that a caller can train epoch by epoch and look at
 * the history in between (`losslab train` runs to the end; the explorer
 * and the plots step it):
 *
 *	struct train t;
 *	if (train_init(&t, &data, &spec, &e) != 0)	 bad spec: e.msg
 *	while ((rc = train_step(&t, &e)) == 1)
 *		... t.hist[t.nhist - 1] is the new epoch, t.params the model
 *	if (rc < 0)					 out of memory: e.msg
 *	... t.state says why it stopped (done, diverged, refused)
 *	train_free(&t);
 *
 * The correct pipeline and a pitfall are two runs with the same data, seed
 * and spec but for spec.pitfall: they start from the same parameters and
 * see the same mini-batches in the same order.
 *
 * Models (d inputs, `out` logits; weights in nn.Linear's (out, in) layout):
 *   linear:  z = x W1^T + b1                   W1 (out, d), b1 (out)
 *   mlp:     h = act(x W1^T + b1),  z = h W2^T + b2
 *            W1 (H, d), b1 (H), W2 (out, H), b2 (out); act = tanh or relu
 * The linear model has only W1 and b1 (params.nlayers == 1), mapping the
 * inputs to the logits; the mlp's W1, b1 make the hidden layer and W2, b2
 * the logits.  Products are summed over the input index in order, then the
 * bias is added.
 *
 * Outputs and targets:
 *   ce, multi-margin                 out = K; target the class index
 *   bce-logits, focal,               multilabel data: out = K, target the
 *   multilabel-soft-margin           n x K labels; two-class data: out = 1,
 *                                    target the label as an n x 1 column
 * (ce and multi-margin refuse multilabel data; the binary losses refuse
 * single-label data of more than two classes.)  Trained losses are these
 * five; the pitfalls softmax-then-ce, log-softmax-then-ce (ce),
 * double-sigmoid, naive-float32 and bce-on-logits (bce-logits) replace the
 * loss by their pipeline (core/pitfall.h); naive-float32 computes the loss
 * pipeline in float32 exactly as pitfall_eval() does, the model in float64.
 *
 * Initial parameters: torch's default nn.Linear bounds, drawn from the
 * documented generator (data.h, RNG_STREAM_INIT of spec.seed) in the order
 * W1 (row-major), b1, W2, b2: each value is (2u - 1) * (1 / sqrt(fan_in))
 * with u = rng_uniform() and fan_in the layer's inputs, i.e. U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in)) for weights and biases alike.
 *
 * One update (torch.optim.SGD, dampening 0, no Nesterov), for every
 * parameter tensor p with gradient g of the batch's loss:
 *   g = g + wd p                      if weight_decay wd != 0
 *   buf = g (first update), else buf = m buf + g; g = buf   if momentum m != 0
 *   p = p + (-lr) g
 * An epoch is one update on the whole data set (full batch), or updates on
 * consecutive slices of spec.batch points of a fresh permutation
 * (rng_permutation() on RNG_STREAM_ORDER, one per epoch; the last slice is
 * smaller when n is not a multiple), the loss reduced over the batch.  A
 * batch of n or more points is the full batch (no permutation).
 *
 * History: entry e is epoch e, evaluated on the whole data set with the
 * parameters after e epochs (for the full batch, the forward pass of the
 * next update): loss is the pipeline's own objective, correct_loss the
 * correct loss (spec.loss with its options) of the same logits, so that a
 * pitfall run is judged by the same measure; accuracy is the fraction of
 * labels predicted right: argmax of the logits (the first of equal ones)
 * against the class for ce and multi-margin, z > 0 against label 1 for the
 * binary losses, every label of every point counted for multilabel data.
 *
 * Stopping: a run is done after spec.epochs epochs.  It diverged when the
 * loss of an entry is inf or nan (the entry is kept) or when an update
 * leaves a parameter inf or nan (no entry for that epoch).  It was refused
 * when the pipeline raises where torch raises (bce-on-logits: BCELoss sees
 * a logit outside [0, 1]; the entry or batch that raised is not recorded,
 * the message is torch's).  stop_epoch and message say when and why.
 */
#ifndef LOSSLAB_CORE_TRAIN_H
#define LOSSLAB_CORE_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "core/data.h"
#include "core/loss.h"
#include "core/mat.h"
#include "core/pitfall.h"

#define TRAIN_MAX_EPOCHS	1000000L
#define TRAIN_MAX_HIDDEN	1024
/* points x (features + hidden units + outputs): the largest work arrays */
#define TRAIN_MAX_VALUES	50000000.0

enum train_model {
	TRAIN_LINEAR,		/* logistic / softmax regression */
	TRAIN_MLP		/* one hidden layer */
};

enum train_activation {
	TRAIN_TANH,
	TRAIN_RELU
};

struct train_spec {
	enum train_model	 model;
	size_t			 hidden;	/* mlp: H in [1, TRAIN_MAX_HIDDEN] */
	enum train_activation	 activation;	/* mlp */
	enum loss_id		 loss;		/* the correct loss */
	struct loss_opts	 opts;		/* its options; weight and
						   pos_weight are borrowed and
						   must outlive the run */
	enum pitfall_id		 pitfall;	/* PITFALL_NONE: the correct
						   pipeline */
	double			 lr;		/* > 0, finite */
	double			 momentum;	/* >= 0 (0: none) */
	double			 weight_decay;	/* >= 0 (0: none) */
	long			 epochs;	/* [0, TRAIN_MAX_EPOCHS] */
	size_t			 batch;		/* points per update; 0 (or >= n):
						   the full batch */
	uint64_t		 seed;		/* RNG_STREAM_INIT and _ORDER */
};

/* The parameters: W[0] = W1, b[0] = b1 (and W[1] = W2, b[1] = b2 for the
   mlp); W[l] is 2-D (out, in), b[l] 1-D. */
struct train_params {
	int		 nlayers;	/* 1 (linear) or 2 (mlp) */
	struct mat	 W[2];
	struct mat	 b[2];
};

struct train_entry {
	long		 epoch;		/* updates so far (epochs) */
	double		 loss;		/* the pipeline's objective */
	double		 correct_loss;	/* spec.loss of the same logits */
	double		 accuracy;	/* in [0, 1] */
};

enum train_state {
	TRAIN_RUNNING,
	TRAIN_DONE,		/* spec.epochs epochs */
	TRAIN_DIVERGED,		/* inf or nan */
	TRAIN_REFUSED		/* torch raises (bce-on-logits) */
};

/* One run.  The fields up to `message` may be read by callers (not
   changed); the rest is the run's own. */
struct train {
	const struct data	*data;		/* borrowed */
	struct train_spec	 spec;		/* a copy (see opts) */
	size_t			 in, hidden, out; /* d, H (0 for linear), logits */
	int			 index_target;	/* the target is a class index */
	struct train_params	 params0;	/* the initial parameters */
	struct train_params	 params;	/* after `epoch` epochs */
	struct train_entry	*hist;		/* entries 0 .. nhist-1 */
	size_t			 nhist;
	long			 epoch;		/* epochs done */
	enum train_state	 state;
	long			 stop_epoch;	/* the epoch it stopped in */
	char			 message[256];	/* why it stopped: "" when done */

	struct train_params	 grad, buf;	/* gradient, momentum buffers */
	int			 have_buf;
	struct mat		 target;	/* the loss target of every point */
	struct mat		 bx, bt;	/* a mini-batch's points, target */
	struct mat		 h, z, dh;	/* hidden values (n x H), logits
						   (n x out), d loss / d hidden
						   (n x H) */
	struct loss_result	 r;		/* the last whole-data evaluation */
	size_t			*perm;		/* the epoch's permutation */
	size_t			 caphist;
	struct rng		 order;
};

/* The defaults: linear, H = 16, tanh, ce with torch's options, no pitfall,
   lr 0.1, no momentum, no weight decay, 100 epochs, full batch, seed 1. */
void	 train_spec_init(struct train_spec *s);
const char *train_model_name(enum train_model m);	/* "linear", "mlp" */
int	 train_model_parse(const char *name, enum train_model *m);
const char *train_activation_name(enum train_activation a); /* "tanh", "relu" */
int	 train_activation_parse(const char *name, enum train_activation *a);
/* Whether train trains loss id (ce, multi-margin, bce-logits, focal,
   multilabel-soft-margin). */
int	 train_loss_ok(enum loss_id id);

/*
 * Set up run *t (overwritten) on data d (borrowed: it must outlive t) with
 * spec s: check the spec, draw the initial parameters, evaluate epoch 0
 * (which may already end the run: diverged, refused, or 0 epochs).
 * Returns 0, or -1 with e set and nothing to free: a spec outside its
 * ranges (torch's wording for lr, momentum and weight decay), a loss that
 * is not trained or does not fit the data, a pitfall that does not imitate
 * the loss, reduction 'none' (torch: "grad can be implicitly created only
 * for scalar outputs"), options the loss core refuses for these shapes
 * (its message), a problem too big, out of memory.
 */
int	 train_init(struct train *t, const struct data *d,
	    const struct train_spec *s, struct err *e);
/*
 * Train one epoch and append its history entry.  Returns 1 when an epoch
 * was trained (the run may have stopped in it: see t->state), 0 when the
 * run had already stopped (nothing done), -1 with e set when memory ran
 * out (the run is then stopped too).
 */
int	 train_step(struct train *t, struct err *e);
/*
 * Change the learning rate and momentum from the next update on, as
 * setting a torch.optim.SGD param_group's "lr" and "momentum" between
 * steps does (the momentum buffers are kept).  Returns 0, or -1 with e
 * set and nothing changed: torch's checks (lr > 0 and finite, momentum
 * >= 0 and finite).
 */
int	 train_set_optim(struct train *t, double lr, double momentum,
	    struct err *e);
/* train_step() until the run stops; 0, or -1 with e set (out of memory). */
int	 train_run(struct train *t, struct err *e);
/* Free everything of t; safe on a zeroed struct and twice. */
void	 train_free(struct train *t);

/*
 * The logits of the current parameters on m points x (m x t->in, 2-D) into
 * *z (overwritten, m x t->out; free with mat_free), e.g. a grid for a
 * decision-region plot.  Returns 0, or -1 with e set: x of the wrong width,
 * out of memory.
 */
int	 train_predict(const struct train *t, const struct mat *x,
	    struct mat *z, struct err *e);

/*
 * A decision map of t's current model over its 2-D data's box (padded 5%):
 * rows x cols cells, row 0 at the top.  pred[k] is the group the model
 * predicts at cell k's centre (the largest logit; z > 0 for one logit; for
 * multilabel data the labels with z_k > 0 as bits), -1 where a logit is not
 * finite; mark[k] is 0 (no point in the cell), 1 + g (a point of group g,
 * data_group(), predicted right) or -1 - g (a point predicted wrong: it
 * wins the cell, as it is what to see).  pred and mark hold rows x cols.
 * Returns 0, or -1 with e set: data not 2-D, out of memory.
 */
int	 train_map(const struct train *t, int rows, int cols, int *pred,
	    int *mark, struct err *e);

/* "running", "done", "diverged", "refused". */
const char *train_state_name(enum train_state s);

#endif
