/*
 * step.h -- the live state of one lesson step: what the explorer edits and
 * what --dump prints.
 *
 * A step owns copies of the lesson step's input, target, weight and
 * pos_weight, its options, loss and pitfall; step_compute() runs the core on
 * them (loss_eval, pitfall_eval when a pitfall is set, diag_check) and keeps
 * the results or the core's error text.  Editing helpers keep the target
 * consistent with the input (index targets stay in range), every edit can be
 * undone, and step_reset() returns to the lesson's values.  step_render()
 * fills a template's {placeholders} from the results, so the narrative never
 * disagrees with the numbers.  No curses, no output.
 *
 * Placeholders (indices are 0-based; a 1-D value takes one index, a 2-D
 * value one or two: [i] on a 2-D value means row-major element i):
 *   {value} {denom} {C} {N} {numel}      reduced loss, 'mean' denominator,
 *                                        classes (last dim), samples (rows)
 *   {elem[i]} {grad[i]} {grad[i][j]}     per-element loss, d value/d input
 *   {input[..]} {target[..]} {weight[..]} {pos_weight[..]}
 *   {sigmoid[..]} {softmax[..]} {log_softmax[..]}   of the input (softmax
 *                                        along the last dim; core functions)
 *   {sigmoid2[..]} {softmax2[..]}        sigmoid(sigmoid(x)), softmax(softmax
 *                                        (x)): what the pitfalls compute
 *   {pitfall.value} {pitfall.denom} {pitfall.elem[..]} {pitfall.grad[..]}
 *   {pitfall.floor}                      softmax-then-ce, double-sigmoid:
 *                                        the pitfall's value at perfectly
 *                                        confident logits for the current
 *                                        targets (+-40), i.e. the lowest it
 *                                        can reach (softmax-then-ce: log(1 +
 *                                        (C-1)/e) per sample), computed by
 *                                        pitfall_eval()
 *   {label_smoothing} {ignore_index} {margin} {p} {alpha} {gamma}
 *                                        the step's current options
 *   {diff}                               pitfall.value - value
 *   {ratio}                              pitfall.value / value
 *   {ratio.grad[..]}                     pitfall.grad / grad, element-wise
 *   {loss} {torch} {reduction} {kind}    names: "bce", "nn.BCELoss", "mean",
 *                                        "logits"/"probabilities"/...
 *   {pitfall} {pitfall.code}             the pitfall's name and PyTorch line
 *   {error} {pitfall.error}              the core's error text ("" if none)
 * A number may take a precision: {value:3} prints 3 significant digits
 * (default %.6g).  {{ and }} are literal braces.  Anything else renders as
 * {?name} and is counted as a problem.
 */
#ifndef LOSSLAB_STEP_H
#define LOSSLAB_STEP_H

#include <stddef.h>

#include "core/diag.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "lesson.h"
#include "plot.h"

/* Which tensor an edit addresses. */
enum step_field {
	STEP_INPUT,
	STEP_TARGET,
	STEP_WEIGHT,
	STEP_POS_WEIGHT
};

#define STEP_UNDO_MAX	64

struct step_snapshot;		/* private: one saved state for undo */

struct step {
	const struct lesson	*lesson;	/* borrowed; may be NULL */
	const struct lesson_step *src;		/* borrowed; what reset restores */
	size_t			 index;		/* the step's index in the lesson */

	enum loss_id		 loss;
	struct mat		 input;
	struct mat		 target;
	struct mat		 weight;	/* ndim 0: none */
	struct mat		 pos_weight;	/* ndim 0: none */
	struct loss_opts	 opts;		/* weight/pos_weight point at the
						   mats above after step_compute */
	enum pitfall_id		 pitfall;	/* PITFALL_NONE: none */
	int			 show_pitfall;	/* show the pitfall pane */

	/* Results of the last step_compute(). */
	int			 ok;		/* loss_eval succeeded */
	struct loss_result	 res;
	char			 error[256];	/* loss_eval's error if !ok */
	int			 pitfall_ok;	/* pitfall set and pitfall_eval ok */
	struct loss_result	 pres;
	char			 pitfall_error[256];
	double			 pitfall_floor;	/* see {pitfall.floor}; NaN if n/a */
	struct diag_list	 diags;

	/* Undo stack (oldest first), private to step.c. */
	struct step_snapshot	*undo[STEP_UNDO_MAX];
	int			 nundo;
};

/*
 * Initialise s from step `index` of lesson l (which must outlive s) and
 * compute it.  Returns 0, or -1 with e set (index out of range, out of
 * memory).  s is valid for step_free() either way.
 */
int		 step_init(struct step *s, const struct lesson *l, size_t index,
		    struct err *e);
/* Initialise s from loose values (no lesson), copying them; as step_init. */
int		 step_init_values(struct step *s, enum loss_id loss,
		    const struct mat *input, const struct mat *target,
		    const struct loss_opts *o, enum pitfall_id pitfall,
		    struct err *e);
void		 step_free(struct step *s);

/* Recompute results, pitfall and diagnostics from the current values.
   Never fails: errors land in s->error / s->pitfall_error. */
void		 step_compute(struct step *s);

/* The pitfall that imitates a mistake with this loss: bce-logits ->
   double-sigmoid, ce -> softmax-then-ce, bce -> naive-float32 (the inputs are
   then read as logits); PITFALL_NONE for the others. */
enum pitfall_id	 step_matching_pitfall(enum loss_id loss);
/* Toggle the pitfall pane: show the step's own pitfall, or the matching one
   for its loss if it has none.  Returns the new show_pitfall (0 when no
   pitfall fits).  Recomputes. */
int		 step_toggle_pitfall(struct step *s);

/* The tensor behind a field (NULL for weight/pos_weight when absent). */
struct mat	*step_field_mat(struct step *s, enum step_field f);
/* Whether the target holds class indices (ce, nll, multi-margin with a
   target not shaped like the input). */
int		 step_index_target(const struct step *s);

/*
 * Editing.  Each saves an undo snapshot, changes the values and recomputes;
 * returns 0, or -1 with e set when the edit is impossible (cell out of
 * range, last row/column, out of memory), leaving s unchanged.
 *   set_cell: for index targets the value is rounded and must be in [0, C)
 *     or equal ignore_index.
 *   add_row: appends a sample (input row copied from the last one, target 0
 *     for index targets, the last target row copied otherwise); a 1-D input
 *     of an element-wise loss grows by one element instead.
 *   remove_row(r): removes sample r (element r for 1-D element-wise input).
 *   add_col / remove_col(c): a class (an element for a 1-D element-wise
 *     input); targets, weight and pos_weight follow; index targets above c
 *     shift down by one so they keep naming the same class, a target equal
 *     to c stays in range (clamped to C-1), ignore_index is kept.
 */
int		 step_set_cell(struct step *s, enum step_field f, size_t r,
		    size_t c, double v, struct err *e);
int		 step_add_row(struct step *s, struct err *e);
int		 step_remove_row(struct step *s, size_t r, struct err *e);
int		 step_add_col(struct step *s, struct err *e);
int		 step_remove_col(struct step *s, size_t c, struct err *e);
/* Next reduction valid for the loss (none -> mean -> sum [-> batchmean]). */
void		 step_cycle_reduction(struct step *s);
/* Set a scalar option ("label_smoothing", "margin", "p", "alpha", "gamma",
   "ignore_index", "log_target") with undo; -1 with e set if invalid. */
int		 step_set_option(struct step *s, const char *name, double v,
		    struct err *e);
/* Save the current state for undo (the helpers above call it themselves). */
void		 step_save(struct step *s);
/* Undo the last edit; 0, or -1 when there is nothing to undo. */
int		 step_undo(struct step *s);
/* Back to the lesson's values (undoable); recomputes. */
void		 step_reset(struct step *s);

/*
 * Render template tmpl with the placeholders filled (see above).  Returns a
 * new string (free it), or NULL only when out of memory.  If nbad is not
 * NULL it receives the number of unknown or out-of-range placeholders, and
 * bad (if not NULL) the first one's name.  tmpl NULL renders as "".
 */
char		*step_render(const struct step *s, const char *tmpl, int *nbad,
		    char *bad, size_t badlen);
/* Format a number compactly: %.6g (or prec significant digits if > 0),
   "nan", "inf", "-inf"; -0 prints as 0. */
const char	*step_fmt(double v, int prec, char *buf, size_t len);

/*
 * The plot of step s: its lesson's `plot:` kind, or one that fits its loss
 * and shown pitfall (bce-curve, logits-curve, ce-curve, focal, the pitfall's
 * own kind, compare for the margin losses), with the options that shape the
 * curves (classes, alpha, pos_weight, label smoothing) and a mark where the
 * input cell (row, col) sits on the curve (a ce row at the margin with the
 * same loss, curve_ce_margin()); the x range widens to keep the mark in view.
 * req->lang is left at "en" for the caller.  0, or -1 when no plot fits.
 */
int		 step_plot_req(const struct step *s, size_t row, size_t col,
		    struct plot_req *req);

#endif
