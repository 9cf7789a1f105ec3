/*
 * curve.h -- the numbers behind every loss plot: loss and gradient curves
 * sampled on a grid, each point computed by loss_eval() or pitfall_eval()
 * (nothing here re-derives a loss formula; the grid and the inputs built at
 * each x are the only arithmetic).
 *
 * Pure computation: no output, no files.  The plot module (src/plot.c) turns
 * a curve_set into gnuplot datablocks and writes the labels; the kinds below
 * are the plot kinds of `losslab plot`, in the same order.
 *
 * What x means per kind (the input built at each x):
 *   bce-curve         x = p, input p, target y                    (bce)
 *   logits-curve      x = z, input z, target y                    (bce-logits)
 *   ce-curve, softmax-then-ce, label-smoothing
 *                     x = m, the true-class margin: logits [m, 0, ..., 0]
 *                     over C classes, target class 0              (ce)
 *   double-sigmoid, naive-float32, focal, pos-weight
 *                     x = z, input z, target y                    (bce-logits,
 *                                                                  focal)
 *   compare           x = z; per loss: bce gets p = sigmoid(z), bce-logits,
 *                     focal and multilabel-soft-margin get z with target y,
 *                     soft-margin gets z with target 2y-1, ce and
 *                     multi-margin get logits [z, 0, ..., 0] (C classes) and
 *                     nll/kl-div their log_softmax, true class 0 when y=1 and
 *                     class 1 when y=0 (kl-div: the one-hot distribution).
 */
#ifndef LOSSLAB_CORE_CURVE_H
#define LOSSLAB_CORE_CURVE_H

#include <stddef.h>

#include "core/loss.h"
#include "core/pitfall.h"

enum curve_kind {
	CURVE_BCE,
	CURVE_LOGITS,
	CURVE_CE,
	CURVE_DOUBLE_SIGMOID,
	CURVE_SOFTMAX_THEN_CE,
	CURVE_NAIVE_FLOAT32,
	CURVE_FOCAL,
	CURVE_LABEL_SMOOTHING,
	CURVE_POS_WEIGHT,
	CURVE_COMPARE,
	CURVE_KIND_COUNT
};

/* What the x axis holds. */
enum curve_xaxis {
	CURVE_X_PROB,		/* p in [0, 1] */
	CURVE_X_LOGIT,		/* z, a logit */
	CURVE_X_MARGIN		/* m, the true-class logit minus the others */
};

#define CURVE_MAX	8
#define CURVE_POINTS_MAX 100000

/* Which option a family of curves varies (see struct curve.param). */
enum curve_param {
	CURVE_PARAM_NONE,
	CURVE_PARAM_GAMMA,		/* focal gamma */
	CURVE_PARAM_LABEL_SMOOTHING,	/* ce epsilon */
	CURVE_PARAM_POS_WEIGHT		/* bce-logits pos_weight */
};

struct curve {
	int		 gradient;	/* 0: the loss; 1: d loss / d x */
	enum loss_id	 loss;		/* the loss computed (for a pitfall: the
					   correct loss it imitates) */
	enum pitfall_id	 pitfall;	/* PITFALL_NONE: the correct pipeline */
	double		 y;		/* the binary target, NaN if none */
	enum curve_param param;
	double		 value;		/* the parameter's value */
	double		*v;		/* n values; NaN where undefined */
};

struct curve_params {
	enum curve_kind	 kind;
	int		 classes;	/* C >= 2 (0: 3) */
	double		 xmin, xmax;	/* NaN: the kind's default */
	double		 target;	/* y in [0, 1]; NaN: the kind's default */
	double		 gamma;		/* NaN: 0, 1, 2, 5 */
	double		 alpha;		/* focal; NaN or < 0: no alpha */
	double		 pos_weight;	/* NaN: 1, 3, 10 */
	double		 label_smoothing; /* NaN: 0, 0.1, 0.3 */
	int		 nlosses;	/* compare */
	enum loss_id	 losses[CURVE_MAX];
	size_t		 points;	/* >= 1 (0: 401) */
};

struct curve_set {
	enum curve_kind	 kind;
	enum curve_xaxis xaxis;
	int		 classes;	/* C used (multi-class kinds), else 0 */
	size_t		 n;		/* points */
	double		*x;		/* n grid values, ascending */
	int		 ncurves;
	struct curve	 c[CURVE_MAX];
	double		 floor;		/* a loss no input can go below (the
					   pitfall's floor), NaN if none */
	double		 edge;		/* an x where the pitfall breaks (float32
					   saturation), NaN if none */
};

#define CURVE_SET_INIT	{ 0, 0, 0, 0, NULL, 0, { { 0, 0, 0, 0, 0, 0, NULL } }, 0, 0 }

/* Fill p with the defaults for kind k (every override NaN). */
void	 curve_params_init(struct curve_params *p, enum curve_kind k);

/* The default x range of kind k (as used when xmin/xmax are NaN). */
void	 curve_default_range(enum curve_kind k, double *xmin, double *xmax);

/*
 * Sample the curves of p->kind on an even grid from xmin to xmax into *s
 * (overwritten; free with curve_set_free()).  Returns 0, or -1 with e set:
 * a bad parameter (range empty or not finite, C < 2, a probability range
 * outside [0, 1], an unsupported loss for compare) or the core's own error.
 */
int	 curve_compute(const struct curve_params *p, struct curve_set *s,
	    struct err *e);

/*
 * The same curves at the single point x (s->n == 1): the values a plot marks
 * for the current input.  0 or -1 as curve_compute().
 */
int	 curve_compute_at(const struct curve_params *p, double x,
	    struct curve_set *s, struct err *e);

void	 curve_set_free(struct curve_set *s);

/*
 * Where one row of C logits z with true class y sits on the x axis of the
 * margin kinds (ce-curve, softmax-then-ce, label-smoothing), whose inputs are
 * [m, 0, ..., 0]: the margin m with the same cross-entropy,
 *   m = z_y - (logsumexp_{j != y} z_j - log(C - 1)).
 * NaN when C < 2 or y >= C.
 */
double	 curve_ce_margin(const double *z, size_t C, size_t y);

#endif
