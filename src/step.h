/*
 * step.h -- the live state of one lesson step: what the explorer edits and
 * what --dump prints.
 *
 * A step owns copies of the lesson step's input, target, weight and
 * pos_weight, its options, loss and pitfall; step_compute() runs the core on
 * them (loss_eval, pitfall_eval when a pitfall is set, diag_check) and keeps
 * the results or the core's error text.  Editing helpers keep the target
 * consistent with the input (index targets stay in range), every edit can be
 * undone, and step_reset() returns to the lesson's values.  template.h
 * fills a template's {placeholders} from the results, so the narrative never
 * disagrees with the numbers.  No curses, no output.
 *
 * The pitfall comparison.  A pitfall pipeline takes the inputs as logits z
 * (core/pitfall.h) and imitates a mistake with one loss, pitfall_loss();
 * its correct side is that loss on the same values: the step's own results
 * when the step's loss is that loss, else a second computation (a `bce`
 * step shown with bce-on-logits compares BCELoss(z) with
 * BCEWithLogitsLoss(z), the inputs read as logits).  {pitfall.floor} is
 * the pitfall's value at perfectly confident logits for the current
 * targets (+-40), i.e. the lowest it can reach (softmax-then-ce: log(1 +
 * (C-1)/e) per sample), for softmax-then-ce and double-sigmoid.
 *
 * Dtypes.  A step's tensors have the dtypes the learner's would have in
 * torch: the input float32 or float64 (a lesson's `dtype:`, switched in
 * the explorer), the target the lesson's `target_dtype:` or, by default,
 * what the loss takes (int64 class indices, else the input's dtype).
 * step_compute() asks core/dtype.h what torch does with them, in torch's
 * order (shapes, then dtypes, then values): torch's error word for word
 * with a hint, or the result's dtype; a float32 result is computed as
 * torch computes float32 (loss_opts.float32: its float kernels where the
 * core has them, else float64 rounded to float, loss_result.f32 says
 * which).  A pitfall pipeline runs in the dtype torch gives its loss,
 * as the plot's curves run it: bce-on-logits and naive-float32 are then
 * torch's float32 numbers; double-sigmoid and softmax-then-ce squash in
 * float64 before the float kernel, so pres.f32 says LOSS_F32_ROUNDED.
 *
 * The lesson text language (placeholders, conditions) is template.h's.
 */
#ifndef LOSSLAB_STEP_H
#define LOSSLAB_STEP_H

#include <stddef.h>

#include "core/diag.h"
#include "core/dtype.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "lesson.h"

/* Which tensor an edit addresses. */
enum step_field {
	STEP_INPUT,
	STEP_TARGET,
	STEP_WEIGHT,
	STEP_POS_WEIGHT
};

#define STEP_UNDO_MAX	64

struct step_snapshot;		/* private: one saved state for undo */

/*
 * What a training step's text may show of its live runs ({train.*},
 * template.h), set by the session (session.h) as the runs advance: has 0
 * for a step that does not train.  Numbers of the pitfall run are NaN
 * when the step trains no pitfall; reach is the first epoch whose correct
 * loss is below goal in the run of the step's own settings (the lesson's
 * lr and momentum, to its last epoch), -1 when it never gets there, NaN
 * without goal=.
 */
struct step_train {
	int		 has;
	double		 epoch, epochs, lr, momentum, goal;
	double		 loss, correct_loss, accuracy;
	double		 p_loss, p_correct_loss, p_accuracy;
	double		 reach, p_reach;
	double		 final_loss, p_final_loss;	/* correct losses at the
							   last epoch of that
							   run */
};

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
	enum dtype		 dtype;		/* the input's: DTYPE_FLOAT or
						   DTYPE_DOUBLE */
	enum dtype		 target_dtype;	/* DTYPE_COUNT: what the loss
						   takes (step_target_dtype) */

	/* Results of the last step_compute(). */
	enum dtype		 rdtype;	/* the result's dtype as torch
						   gives it; DTYPE_COUNT when
						   torch refuses the dtypes */
	const char		*dtype_hint;	/* what to do about that refusal
						   (core/dtype.h), or NULL */
	int			 ok;		/* loss_eval succeeded */
	struct loss_result	 res;
	char			 error[256];	/* loss_eval's error if !ok */
	int			 pitfall_ok;	/* pitfall set and pitfall_eval ok */
	struct loss_result	 pres;
	char			 pitfall_error[256];
	double			 pitfall_floor;	/* see {pitfall.floor}; NaN if n/a */
	/* The correct side of the pitfall comparison when it is not the
	   step's own loss (see above): cmp_ok, cres, cmp_error. */
	int			 cmp_ok;
	struct loss_result	 cres;
	char			 cmp_error[256];
	struct diag_list	 diags;
	struct step_train	 train;		/* {train.*}; set by the session */
	/* What the last edit also changed, said in a sentence for the
	   learner ("the class indices above 1 moved down by one"), or "". */
	char			 note[160];

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

/*
 * The pitfalls that fit the step's loss and the kind of its input, in the
 * order the explorer offers them, the lesson step's own first: bce
 * (probabilities) -> bce-on-logits (what BCELoss does to logits: the
 * values read as logits); bce-logits -> double-sigmoid, naive-float32,
 * bce-on-logits; ce -> softmax-then-ce, log-softmax-then-ce; none for the
 * others.  Fills out (PITFALL_COUNT entries) and returns how many.
 */
int		 step_pitfalls(const struct step *s, enum pitfall_id *out);
/* Toggle the pitfall pane: show the step's current pitfall (its lesson's,
   else the first that fits), or hide it -- hidden, the step's pitfall is
   its lesson's own again (PITFALL_NONE if it has none).  Returns the new
   show_pitfall (0 when no pitfall fits).  Undoable; recomputes. */
int		 step_toggle_pitfall(struct step *s);
/* Show the next pitfall that fits (after the one shown, wrapping around).
   Returns 0, or -1 when fewer than two fit.  Undoable; recomputes. */
int		 step_next_pitfall(struct step *s);
/* The correct side of the pitfall comparison (see above): the step's
   results or cres; NULL when no pitfall is set or that computation failed
   (its message: step_cmp_error). */
const struct loss_result *step_cmp_result(const struct step *s);
const char	*step_cmp_error(const struct step *s);

/* The target's dtype: target_dtype, or what the loss takes. */
enum dtype	 step_target_dtype(const struct step *s);
/* Set the input's dtype (DTYPE_FLOAT or DTYPE_DOUBLE) with undo; the
   default target dtype follows it.  -1 with e set for another dtype. */
int		 step_set_dtype(struct step *s, enum dtype d, struct err *e);

/* The tensor behind a field (NULL for weight/pos_weight when absent). */
struct mat	*step_field_mat(struct step *s, enum step_field f);
/* Whether the target holds class indices (ce, nll, multi-margin with a
   target not shaped like the input). */
int		 step_index_target(const struct step *s);

/*
 * Editing.  Each saves an undo snapshot, changes the values and recomputes;
 * returns 0, or -1 with e set when the edit is impossible (cell out of
 * range, last row/column, out of memory), leaving s unchanged.
 *   set_cell: for index targets the value must be a whole number in
 *     [0, C) or equal ignore_index; a scalar option must be finite.
 *   add_row: appends a sample (input row copied from the last one, target 0
 *     for index targets, the last target row copied otherwise); a 1-D input
 *     of an element-wise loss grows by one element instead.
 *   remove_row(r): removes sample r (element r for 1-D element-wise input).
 *   add_col / remove_col(c): a class (an element for a 1-D element-wise
 *     input); targets, weight and pos_weight follow.  Removing a class that
 *     an index target names is refused (the message says which sample);
 *     index targets above c shift down by one so that they keep naming the
 *     same class, and s->note says so; ignore_index is kept.
 * A target that does not follow the input's rows (one that broadcasts)
 * is left as it is.
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
   "ignore_index", "log_target") with undo; -1 with e set if invalid (not
   finite; p not 1 or 2; ignore_index not a whole number of at most 2^53 in
   magnitude). */
int		 step_set_option(struct step *s, const char *name, double v,
		    struct err *e);
/* The value of the scalar option name in o into *v; 0, or -1 for a name
   that is none of step_set_option()'s. */
int		 step_option_get(const struct loss_opts *o, const char *name,
		    double *v);
/* Save the current state for undo (the helpers above call it themselves). */
void		 step_save(struct step *s);
/* Undo the last edit; 0, or -1 when there is nothing to undo. */
int		 step_undo(struct step *s);
/* Back to the lesson's values (undoable); recomputes. */
void		 step_reset(struct step *s);

/* Format a number compactly: %.6g (or prec significant digits if > 0),
   "nan", "inf", "-inf"; -0 prints as 0. */
const char	*step_fmt(double v, int prec, char *buf, size_t len);

#endif
