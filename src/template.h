/*
 * template.h -- the lesson text language: placeholders that show the live
 * numbers of a step, conditions that let a sentence follow the learner's
 * values, and assumptions that mark a statement that no longer holds.
 *
 * A template is lesson text (narrative, question, choices, answer,
 * explanation) in which braces hold:
 *
 *   {NAME} {NAME[i]} {NAME[i][j]}   a value of the step (the table below),
 *   {NAME:P}                        ... with P significant digits (1-17;
 *                                   default 6),
 *   {NAME|one|many}                 the number and a word: "1 element",
 *                                   "3 elements" (singular when it is 1),
 *   {if EXPR} ... {elif EXPR} ... {else} ... {end}
 *                                   only the branch whose condition holds
 *                                   for the live values is shown (nested
 *                                   up to 8 deep, within one paragraph),
 *   {assume EXPR}                   shows nothing; when EXPR is false for
 *                                   the live values, the paragraph was
 *                                   written for other values and says so,
 *   {when EXPR}                     in a choice: the choice is the right
 *                                   answer exactly when EXPR holds,
 *   {{ and }}                       literal braces.
 *
 * EXPR compares numbers and names: `target[0] == 0`, `elem[3] > 2.5`,
 * `reduction == 'mean'`, joined by `and` / `or` (and binds tighter; use
 * parentheses for the other grouping), with ==, !=, <, <=, >, >= (exact
 * comparison of doubles); `true` and `false` are conditions too.
 *
 * Names (indices are 0-based; [i] on a 2-D value counts row by row):
 *   value denom                  the reduced loss, what 'mean' divided by
 *   elem[..] grad[..]            per-element/sample loss, dL/d(input)
 *   input[..] target[..] weight[..] pos_weight[..]
 *   sigmoid[..] softmax[..] log_softmax[..] sigmoid2[..] softmax2[..]
 *                                activations of the input (softmax along
 *                                each row; "2": applied twice)
 *   argmax[i]                    the largest input's class in sample i
 *   target_class[i]              sample i's class: an index target
 *                                itself, else its target row's argmax
 *   C N numel                    classes (last dim), samples (1 for a 1-D
 *                                input), elements
 *   pitfall.value pitfall.denom pitfall.elem[..] pitfall.grad[..]
 *   pitfall.floor diff ratio ratio.grad[..]
 *                                the mistaken pipeline (see step.h)
 *   label_smoothing ignore_index margin p alpha gamma log_target
 *   ratio.elem[..]               pitfall.elem / elem of the comparison
 *   pitfall.shown                1 while the pitfall pane is shown, else 0
 *   has.weight has.pos_weight    1 when the step has that tensor, else 0
 *   input.min input.max target.min target.max target.sum
 *   loss torch reduction kind pitfall pitfall.code error pitfall.error
 *                                names and messages (text)
 *
 * Rendering never fails on the learner's values: a number that a failed
 * computation could not give renders as "✗" (and is counted as refused, so
 * the caller can show the core's message, which is torch's), an index that
 * the live shapes do not have renders as "—" (counted as missing).  Unknown
 * names and syntax errors render as {?TEXT} and are counted as bad: those
 * are the lesson's own mistakes, which `losslab lessons --check` reports.
 * No curses, no output.
 */
#ifndef LOSSLAB_TEMPLATE_H
#define LOSSLAB_TEMPLATE_H

#include <stddef.h>

struct err;
struct step;

/* What rendering one template found. */
struct template_info {
	int	 nbad;		/* unknown names, syntax errors */
	char	 bad[128];	/* the first one, as written */
	int	 nmissing;	/* indices the live values do not have */
	int	 nrefused;	/* numbers of the failed loss (step.error) */
	int	 nprefused;	/* numbers of the failed pitfall pipeline */
	int	 nassume;	/* {assume} conditions that are false */
	int	 ncomputed;	/* computed numbers shown (value, elem, grad,
				   denom, pitfall.*, diff, ratio...) */
	int	 npitfall;	/* references to the pitfall (pitfall.*,
				   diff, ratio, the name {pitfall}), in
				   placeholders and conditions */
	int	 when;		/* {when}: -1 none, 0 false, 1 true, 2 could
				   not be decided (missing or refused) */
	int	 nplural;	/* a count ({N}, {C}, {numel}, {denom}) shown
				   as 1 before a word ending in "s" */
	char	 plural[48];	/* the first: "{N} samples" */
};

/*
 * Render tmpl (NULL renders as "") for step s into a new string (free it);
 * info (may be NULL) gets what was found.  NULL only when out of memory.
 */
char	*template_render(const struct step *s, const char *tmpl,
	    struct template_info *info);

/*
 * Check tmpl without values: every name known, every brace closed, every
 * {if} ended, every EXPR well formed -- in every branch, taken or not.
 * Returns the number of problems; the first (its text, as written) is in
 * e->msg when e is not NULL.
 */
int	 template_check(const char *tmpl, struct err *e);

/*
 * The number a template stands for: the value of its single numeric
 * placeholder when tmpl is nothing else ("{elem[3]}", blanks around it
 * allowed), else the rendered text read as a number ("0.5").  0, or -1
 * when it is not a number (text, a missing index, a refused value).
 */
int	 template_number(const struct step *s, const char *tmpl, double *v);

/*
 * Evaluate EXPR (as written after `if`) for step s: 1 true, 0 false, -1
 * could not be decided (a missing index, a refused number), -2 malformed.
 */
int	 template_cond(const struct step *s, const char *expr);

#endif
