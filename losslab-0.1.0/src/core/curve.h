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
 * In cell mode (struct curve_cells below) x is instead one value of the
 * learner's own input, every other value staying as it is.
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
	CURVE_X_MARGIN,		/* m, the true-class logit minus the others */
	CURVE_X_LOG_PROB	/* log p, a log-probability (cell mode: nll,
				   kl-div) */
};

#define CURVE_MAX	8
#define CURVE_POINTS_MAX 100000
/* Most input cells one cell-mode plot follows (struct curve_cells). */
#define CURVE_CELLS_MAX	8

/* Which option a family of curves varies (see struct curve.param). */
enum curve_param {
	CURVE_PARAM_NONE,
	CURVE_PARAM_GAMMA,		/* focal gamma */
	CURVE_PARAM_LABEL_SMOOTHING,	/* ce epsilon */
	CURVE_PARAM_POS_WEIGHT		/* bce-logits pos_weight */
};

/* What a curve is, in cell mode (struct curve_cells); canonical kinds leave
   it CURVE_ROLE_MAIN. */
enum curve_role {
	CURVE_ROLE_MAIN,	/* the step's loss (the correct pipeline) */
	CURVE_ROLE_PITFALL,	/* the mistaken pipeline on the same values */
	CURVE_ROLE_FAMILY,	/* the same with another gamma / eps /
				   pos_weight (struct curve.param, .value) */
	CURVE_ROLE_BRANCH,	/* the same element with the other 0/1 label
				   (bce-curve: both branches of the loss) */
	CURVE_ROLE_COMPANION	/* a related loss on the same values
				   (compare: bce-logits beside soft-margin,
				   ce beside multi-margin) */
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
	enum curve_role	 role;		/* cell mode: what the curve is */
	int		 group;		/* cell mode: index into
					   curve_cells.cells of the cell it
					   follows; -1 otherwise */
};

/*
 * Cell mode: the curves of the learner's own values.  Each cell (r, c) of
 * the input is varied over the x grid while every other value (the rest of
 * the input, the target, the weights, the options) stays as it is, and a
 * curve is the loss of the output element that cell feeds:
 *   per-sample losses (ce, nll, multi-margin, multilabel-soft-margin):
 *     sample r's loss (elem[r]; the single value of a 1-D input);
 *   element-wise losses (bce, bce-logits, focal, soft-margin, kl-div):
 *     element (r, c)'s loss (elem[r][c]; kl-div, whose target may
 *     broadcast the input: the sum of the elem entries the cell feeds).
 * This is the reduction='none' value that the explorer's tables show as
 * "loss per element/sample"; a gradient curve is d L / d input[r][c] of
 * the *reduced* loss with the step's own reduction (what the gradient table
 * shows), so that at x = input[r][c] both curves pass through the numbers
 * on screen.  With a pitfall set, the main curves use `loss` and the
 * pitfall curves pitfall_eval() on the same values.
 *
 * Every point is one loss_eval()/pitfall_eval() call on the whole input
 * with the cell replaced, so broadcasting, weights, ignore_index and the
 * 'mean' denominator are exactly the step's.  What goes beside each cell's
 * main curve, by plot kind:
 *   logits-curve, ce-curve, double-sigmoid, softmax-then-ce, naive-float32
 *             the gradient of each loss curve (main, pitfall);
 *   bce-curve the element with the other label (BRANCH; bce, bce-logits,
 *             focal, multilabel-soft-margin, when the label is 0 or 1);
 *   focal, label-smoothing, pos-weight
 *             a FAMILY when the loss reads the option (focal: gamma 0, 1,
 *             2, 5 with the step's alpha; ce: eps 0, 0.1, 0.3; bce-logits:
 *             the element's pos_weight as 1, 3, 10); the step's own value
 *             is the main curve (param and value set), never repeated;
 *   compare   a COMPANION: soft-margin -> bce-logits with target (y+1)/2,
 *             multi-margin -> ce with the same target and weight,
 *             multilabel-soft-margin -> the mean over the sample's classes
 *             of bce-logits (the same numbers); none for the others.
 * A pitfall or variant that the core refuses at the step's own values
 * (bce-on-logits on logits outside [0, 1], naive-float32 with pos_weight)
 * is left out; the step's own loss failing is the plot's error.
 *
 * The x range is the kind's default widened to hold every cell's value
 * with 15% of the span to spare (bce's probabilities: [0.005, 0.995] and
 * the cells' values, within [0, 1]); xmin/xmax override it.  The set holds at
 * most CURVE_MAX curves, one slot kept for the reference line while the
 * first cell's softmax-then-ce, double-sigmoid or naive-float32 curve is
 * drawn; with several cells and too many curves the gradients and the
 * families go first, then cells whose curves are the same function (equal
 * bit for bit at 17 points of the range and at every cell's value, e.g.
 * elements with the same target, weights and options) share them, then
 * the other labels and companions go, then the pitfall curves from the
 * last cell back.  Each cell keeps its main curve and its marks.
 */
struct curve_cells {
	enum loss_id	 loss;		/* the main curves' loss */
	enum pitfall_id	 pitfall;	/* PITFALL_NONE: no pitfall curves */
	const struct mat *input;	/* borrowed */
	const struct mat *target;	/* borrowed */
	const struct loss_opts *opts;	/* borrowed: reduction, weight,
					   pos_weight, ignore_index, ... */
	size_t		 ncells;	/* 1 .. CURVE_CELLS_MAX */
	struct {
		size_t	 r, c;		/* a cell of input (r = 0 for 1-D) */
	}		 cells[CURVE_CELLS_MAX];
};

/* A marked point of a cell-mode plot: the value on screen, on its curve
   (which may be another cell's, when the two are the same function). */
struct curve_mark {
	int		 group;		/* the cell (index into cells) */
	int		 curve;		/* the curve it sits on (index into
					   curve_set.c) */
	double		 x;		/* input[r][c] itself */
	double		 y;		/* that curve's value at x: the loss
					   (or gradient) the tables show */
};
#define CURVE_MARKS_MAX	(2 * CURVE_CELLS_MAX)

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
	const struct curve_cells *cells; /* non-NULL: cell mode (above); the
					   kind then only chooses what goes
					   beside the main curve: gradients
					   (logits-curve, ce-curve and the
					   pitfall kinds), the other label
					   (bce-curve), a family (focal: gamma,
					   label-smoothing: eps, pos-weight:
					   pos_weight, each with the step's
					   own value among them), a companion
					   loss (compare); classes, target,
					   gamma, alpha, pos_weight,
					   label_smoothing and losses are then
					   taken from the cells' values;
					   borrowed */
};

struct curve_set {
	enum curve_kind	 kind;
	enum curve_xaxis xaxis;
	int		 classes;	/* C used (multi-class kinds), else 0;
					   cell mode: the input's last
					   dimension for per-sample losses and
					   2-D inputs */
	size_t		 n;		/* points */
	double		*x;		/* n grid values, ascending */
	int		 ncurves;
	struct curve	 c[CURVE_MAX];
	double		 floor;		/* a loss no input can go below (the
					   pitfall's floor), NaN if none; cell
					   mode: curve_cells_floor() of the
					   first cell while its pitfall curve
					   is drawn */
	double		 edge;		/* an x where the pitfall breaks (float32
					   saturation), NaN if none; cell mode:
					   on the first cell's naive-float32
					   curve */
	/* Cell mode only (else ncells 0, nmarks 0): */
	size_t		 ncells;
	int		 nmarks;	/* one per main loss curve and cell, and
					   one per pitfall loss curve and cell */
	struct curve_mark marks[CURVE_MARKS_MAX];
};

#define CURVE_SET_INIT	{ 0, 0, 0, 0, NULL, 0, \
	{ { 0, 0, 0, 0, 0, 0, NULL, CURVE_ROLE_MAIN, -1 } }, 0, 0, 0, 0, \
	{ { 0, 0, 0, 0 } } }

/* Fill p with the defaults for kind k (every override NaN). */
void	 curve_params_init(struct curve_params *p, enum curve_kind k);

/* The default x range of kind k (as used when xmin/xmax are NaN). */
void	 curve_default_range(enum curve_kind k, double *xmin, double *xmax);

/*
 * Sample the curves of p->kind on an even grid from xmin to xmax into *s
 * (overwritten; free with curve_set_free()).  Returns 0, or -1 with e set:
 * a bad parameter (range empty or not finite, C < 2, a probability range
 * outside [0, 1], an unsupported loss for compare) or the core's own error;
 * in cell mode also no cell or more than CURVE_CELLS_MAX, a cell outside
 * the input, or the step's loss failing on its own values ("ce: Target 5
 * is out of bounds.").
 */
int	 curve_compute(const struct curve_params *p, struct curve_set *s,
	    struct err *e);

/*
 * Cell mode, for the first cell: the lowest value the pitfall's loss of that
 * element or sample can reach over all values of its inputs (the other
 * logits free too), for its target: softmax-then-ce and double-sigmoid
 * (the floor the plot draws as a line); NaN for other pitfalls.  Every
 * value is pitfall_eval()'s: softmax-then-ce at the "perfect" logits (40 at
 * one class, 0 elsewhere; the floor for a class-index target, log(1 +
 * (C-1)/e) unweighted) and, for probabilities or label smoothing, at the
 * lowest point of CE(p, y) on the simplex (projected gradient descent);
 * double-sigmoid at the lowest point of the element's loss over z in
 * [-40, 40] (y = 1: log(1 + exp(-sigmoid(40)))).  Weights, pos_weight and
 * ignore_index are the step's.  0, or -1 with e set: bad cells (as
 * curve_compute) or the pitfall failing on the step's values.
 */
int	 curve_cells_floor(const struct curve_cells *cc, double *floor,
	    struct err *e);

/*
 * The same curves at the single point x (s->n == 1): the values a plot marks
 * for the current input; in cell mode the same curves as curve_compute()
 * (index for index) with every cell set to x, and the same marks, no floor
 * or edge.  0 or -1 as curve_compute().
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
