/*
 * session.h -- one lesson, live: the learner's values, answers and choices
 * for every step, and everything the screen shows that follows from them.
 *
 * A session holds a struct step (step.h: values, options, results, undo)
 * per lesson step, created when the step is first visited, plus what the
 * learner did there: the answer to its predict-first question and the input
 * cell they are looking at.  Every edit the explorer offers is a session
 * call (set or nudge a cell or an option, add or remove samples and
 * classes, reduction, pitfall, undo, reset, answers, save), and everything
 * drawn is derived here: the narrative rendered paragraph by paragraph with
 * what no longer holds marked (template.h), the quiz and its verdict, the
 * plot request (the step's own values in cell mode, core/curve.h), the
 * pitfall comparison.  src/ui/ draws this and maps keys to these calls;
 * `losslab --dump` renders through the same functions.  No curses, no
 * output; messages for the learner come back in struct err or in the
 * step's note (step.h).
 *
 * Predict first: until the current step's question is answered or
 * revealed, session_quiz() says hidden, session_plot() gives no plot, and
 * the callers show no result (values, pitfall figures, warnings, code
 * comments).
 */
#ifndef LOSSLAB_SESSION_H
#define LOSSLAB_SESSION_H

#include <stddef.h>

#include "core/curve.h"
#include "core/data.h"
#include "core/train.h"
#include "lesson.h"
#include "plot.h"
#include "step.h"

/*
 * A training step's live runs (lesson.h, struct lesson_train): the correct
 * loss and, when the step names a pitfall, the mistake, both from the same
 * initial parameters on the same data (core/train.h), advanced together
 * one epoch at a time.  Both runs' history is the history of
 * train_step() with the step's spec -- until the learner changes the
 * learning rate or momentum, which take effect from the next epoch on
 * (torch: setting the param_group's lr between steps); restart begins
 * again from the initial parameters with the values now set.
 *
 * The forecast (reach, final) is a third and fourth run of the step's own
 * settings trained to the end when the step is first visited: what a
 * predict-first question about the training is judged by.  Once the runs
 * on screen are no longer those settings' (lr or momentum changed, or R
 * with other values) the question is marked as about the lesson's values
 * (session_quiz: tied), as for an edited table; R with the lesson's values
 * makes the runs the forecast's again.
 */
struct session_train {
	struct data	 data;
	struct train	 run;		/* the correct loss */
	struct train	 prun;		/* the pitfall, when has_pitfall */
	int		 has_pitfall;
	int		 paused;	/* Space; a step with a question starts
					   paused, and answering it (or v)
					   starts the runs */
	double		 lr, momentum;	/* the values set now */
	int		 retuned;	/* the runs on screen are not those of
					   the lesson's lr and momentum from
					   epoch 0 (changed, restarted with
					   others): the forecast, so the
					   question's answer, is not theirs */
	long		 reach, preach;	/* forecast: the first epoch whose
					   correct loss is below goal, -1 never */
	double		 final, pfinal;	/* forecast: the last correct losses */
};

/* What the learner did at one step. */
struct session_step {
	int		 inited;	/* st is live */
	struct step	 st;
	int		 answered;	/* answered (a choice or a guess) or
					   revealed with v */
	int		 choice;	/* the chosen choice (0-based), -1 none */
	char		 guess[64];	/* the typed guess, "" none */
	int		 has_sel;	/* the learner picked an input cell */
	size_t		 sel_r, sel_c;	/* that cell */
	struct session_train *train;	/* a training step's runs, or NULL */
};

struct session {
	const struct lesson	*lesson;	/* borrowed; outlives the
						   session */
	size_t			 nsteps;
	size_t			 cur;		/* the current step */
	struct session_step	*steps;		/* nsteps entries */
};

/* Start a session on lesson l at step 0 (computed).  0, or -1 with e set
   (out of memory, a step that cannot be set up). */
int		 session_init(struct session *ss, const struct lesson *l,
		    struct err *e);
/* Start a session on loose values (no lesson: one step, no texts), for
   `losslab eval`-like uses and tests; as step_init_values. */
int		 session_init_values(struct session *ss, enum loss_id loss,
		    const struct mat *input, const struct mat *target,
		    const struct loss_opts *o, enum pitfall_id pitfall,
		    struct err *e);
void		 session_free(struct session *ss);

/* Go to step i (set up on first visit).  0, or -1 with e set. */
int		 session_goto(struct session *ss, size_t i, struct err *e);
/* The current step and what the learner did there. */
struct session_step *session_cur(struct session *ss);
const struct session_step *session_cur_const(const struct session *ss);
/* Whether step i's values differ from its lesson's (loss, tensors,
   options, pitfall). */
int		 session_edited(const struct session *ss, size_t i);

/* ---- the options a lesson lets the learner edit ----------------------- */

enum session_optkind {
	SESSION_OPT_REDUCTION,		/* cycles none -> mean -> sum ... */
	SESSION_OPT_SCALAR,		/* one number */
	SESSION_OPT_VECTOR		/* weight, pos_weight: a tensor */
};

/* One editable option (the table is in session.c). */
struct session_opt {
	enum session_optkind kind;
	unsigned	 bit;		/* LESSON_OPT_* */
	const char	*name;		/* "label_smoothing": step_set_option */
	const char	*cli;		/* "label-smoothing": loss_has_option;
					   NULL for reduction */
	enum step_field	 field;		/* vectors: the tensor */
	double		 small, large;	/* nudge steps (+ - and > <) */
};

/* The options the current step's lesson exposes and its loss reads, in
   table order; fills out (at most max) and returns how many. */
size_t		 session_options(const struct session *ss,
		    const struct session_opt **out, size_t max);
/* A scalar option's current value (NaN for the others). */
double		 session_option_value(const struct session *ss,
		    const struct session_opt *o);
/* "label_smoothing=0, reduction=mean": the options the loss reads that
   the lesson keeps fixed, or "" when none.  Into buf; returns buf. */
const char	*session_fixed_options(const struct session *ss, char *buf,
		    size_t len);

/* ---- edits (each undoable, recomputed at once) ------------------------ */

/* Set input or target cell (r, c) to v (step_set_cell's rules).  A cell
   of the input becomes the one the plot follows.  0, or -1 with e set. */
int		 session_set_cell(struct session *ss, enum step_field f,
		    size_t r, size_t c, double v, struct err *e);
/* Nudge a cell by +-0.1 (large: +-1); a class index moves by one.  Sums
   such as 0.1 + 0.2 are snapped to the short decimal meant. */
int		 session_nudge_cell(struct session *ss, enum step_field f,
		    size_t r, size_t c, int dir, int large, struct err *e);
/* Set option o (element el of a vector option) to v. */
int		 session_set_option(struct session *ss,
		    const struct session_opt *o, size_t el, double v,
		    struct err *e);
/* Nudge option o: reduction cycles, log_target toggles, a missing vector
   becomes ones (one per class), a number moves by o->small / o->large. */
int		 session_nudge_option(struct session *ss,
		    const struct session_opt *o, size_t el, int dir, int large,
		    struct err *e);
/* Give the step a weight/pos_weight of ones, one per class. */
int		 session_create_vector(struct session *ss,
		    const struct session_opt *o, struct err *e);
int		 session_add_row(struct session *ss, struct err *e);
int		 session_remove_row(struct session *ss, size_t r, struct err *e);
int		 session_add_col(struct session *ss, struct err *e);
int		 session_remove_col(struct session *ss, size_t c, struct err *e);
void		 session_cycle_reduction(struct session *ss);
/* 0, or -1 when there is nothing to undo. */
int		 session_undo(struct session *ss);
/* Back to the lesson's values, and the step's question unanswered again
   (so a teacher can ask the next class).  Undoable for the values.  A
   training step also gets the lesson's lr and momentum and starts again
   (paused when it asks a question). */
void		 session_reset(struct session *ss);
/* Show or hide the pitfall; returns whether it is shown (0 also when no
   pitfall fits: then step_pitfalls() is 0). */
int		 session_toggle_pitfall(struct session *ss);
/* Show the next pitfall that fits; 0, or -1 when there is no other. */
int		 session_next_pitfall(struct session *ss);
/* d: switch the current step's input between float64 and float32
   (step_set_dtype: undoable, R restores the lesson's; the target's
   default dtype follows).  Returns the new dtype (DTYPE_FLOAT or
   DTYPE_DOUBLE), or -1 with e set: a training step, whose runs are
   float64. */
int		 session_toggle_dtype(struct session *ss, struct err *e);
/* The input cell the plot follows, chosen by the learner (a cell outside
   the input is ignored); _unselect goes back to the step's own marks. */
void		 session_select(struct session *ss, size_t r, size_t c);
void		 session_unselect(struct session *ss);

/* ---- the narrative -------------------------------------------------------- */

/* Paragraph flags. */
#define SESSION_PARA_STALE	0x1	/* written for other values: an
					   {assume} fails or an index is gone */
#define SESSION_PARA_REFUSED	0x2	/* its numbers: the loss fails */
#define SESSION_PARA_PREFUSED	0x4	/* its numbers: the pitfall fails */
#define SESSION_PARA_SWAPPED	0x8	/* it speaks of the lesson's pitfall
					   while another is shown */
#define SESSION_PARA_BAD	0x10	/* the lesson's own mistake: an
					   unknown name (lessons --check) */

struct session_para {
	char		*text;		/* rendered; lines joined by '\n' */
	unsigned	 flags;
	char		*note;		/* what the flags mean, in a sentence
					   with the core's message, or NULL */
};

struct session_text {
	size_t			 n;
	struct session_para	*p;
	int			 ncomputed;	/* results shown (see
						   template_info) */
	int			 when;		/* template_info.when */
};

#define SESSION_TEXT_INIT	{ 0, NULL, 0, -1 }

/*
 * Render template tmpl for the current step, paragraph by paragraph
 * (paragraphs are separated by blank lines), into *out (free it with
 * session_text_free).  0, or -1 when out of memory.
 */
int		 session_render(const struct session *ss, const char *tmpl,
		    struct session_text *out);
void		 session_text_free(struct session_text *t);
/* The paragraphs joined into one string (notes after their paragraphs,
   each on its own line after prefix, e.g. "⚠ "); NULL when out of memory. */
char		*session_text_join(const struct session_text *t,
		    const char *note_prefix);

/* ---- the predict-first question -------------------------------------- */

enum session_verdict {
	SESSION_UNANSWERED,
	SESSION_RIGHT,
	SESSION_WRONG,
	SESSION_REVEALED,	/* v: shown without an answer */
	SESSION_NO_FIT,		/* choices with {when}: none (or several)
				   fits the values on screen */
	SESSION_TEXT_ANSWER	/* a free-form question whose answer is not
				   a number: the guess is shown beside it */
};

struct session_quiz {
	int		 has;		/* the step asks a question */
	int		 hidden;	/* not yet answered: results hidden */
	int		 live;		/* its choices carry {when}: the right
					   one comes from the values on screen */
	int		 tied;		/* no {when}, values edited: it is about
					   the lesson's values, and says so */
	int		 correct;	/* the right choice for the values on
					   screen (live) or the lesson's (else);
					   -1: none fits / free-form */
	int		 choice;	/* the learner's, -1 none */
	enum session_verdict verdict;
	double		 answer;	/* free-form: the numeric answer, NaN
					   when the answer is not a number */
	double		 guess;		/* the guess as a number, NaN */
	double		 tolerance;	/* as in lesson_predict */
	int		 tolerance_abs;
};

/* Whether the choices of p carry {when} (the right one then follows the
   values on screen). */
int		 session_choices_live(const struct lesson_predict *p);
/* The current step's question and its verdict for the values on screen. */
void		 session_quiz(const struct session *ss, struct session_quiz *q);
/* Answer with choice k (0-based).  -1 with e set: no question, no such
   choice ("there is no choice 5: 1 to 3"), already answered. */
int		 session_answer(struct session *ss, int k, struct err *e);
/* A free-form guess.  -1 with e set: no question, a question with choices,
   already answered, "'abc' is not a number" when the answer is one. */
int		 session_guess(struct session *ss, const char *text,
		    struct err *e);
/* v: show the answer without answering.  0, or -1 when there is no
   question or it is answered already. */
int		 session_reveal(struct session *ss);

/* ---- the plot ---------------------------------------------------------------- */

enum session_plot_state {
	SESSION_PLOT_NONE,	/* no plot for this step */
	SESSION_PLOT_HIDDEN,	/* predict first: after the answer */
	SESSION_PLOT_REFUSED,	/* the loss fails on these values (torch
				   refuses them: step.error), so there is
				   no curve through them */
	SESSION_PLOT_NONFINITE,	/* an input is nan or inf: no curve can
				   pass through it */
	SESSION_PLOT_OK
};

/*
 * The current step's plot: its lesson's `plot:` kind (else one that fits
 * its loss and shown pitfall) in cell mode on the step's own values: cells
 * holds the loss, pitfall (when shown), tensors, options and the marked
 * cells -- the learner's selected cell, else the step's `mark:` cells,
 * else every element of a small element-wise input or the first sample's
 * target class.  req->cells points at *cells, which must live as long as
 * req; req->lang is left to the caller.  Returns the state; a training
 * step has none (SESSION_PLOT_NONE: its chart is the runs).
 */
enum session_plot_state session_plot(const struct session *ss,
		    struct plot_req *req, struct curve_cells *cells);
/* The same, also before a predict-first question is answered (never
   SESSION_PLOT_HIDDEN): for the teacher's export of every plot. */
enum session_plot_state session_plot_revealed(const struct session *ss,
		    struct plot_req *req, struct curve_cells *cells);
/* The value the tables show for the output element that input cell
   (r, c) feeds: elem of its sample or element (NaN if none); pitfall != 0:
   the pitfall's. */
double		 session_cell_loss(const struct session *ss, size_t r,
		    size_t c, int pitfall);

/* ---- the pitfall comparison ---------------------------------------------- */

struct session_cmp {
	enum pitfall_id	 pitfall;
	enum loss_id	 loss;		/* its correct loss (pitfall_loss) */
	int		 as_logits;	/* the step's inputs are read as logits
					   (its loss is another) */
	const struct loss_result *correct; /* NULL: failed (correct_error) */
	const char	*correct_error;
	const struct loss_result *wrong;   /* NULL: failed (wrong_error) */
	const char	*wrong_error;
	double		 floor;		/* the pitfall's lowest possible L for
					   these targets, NaN if none */
};

/* Fill c when the current step shows a pitfall; 0, or -1 when none. */
int		 session_cmp(const struct session *ss, struct session_cmp *c);

/* ---- a training step ---------------------------------------------------- */

/* The current step's runs; NULL when it does not train. */
const struct session_train *session_train(const struct session *ss);
/* Whether the current step's runs advance now: it trains, is not paused,
   its question is answered (or it has none), and a run is still going. */
int		 session_train_running(const struct session *ss);
/*
 * Train up to max epochs of the current step's runs (each run one epoch
 * per turn; a run that stopped is left alone).  Returns the epochs
 * trained, or -1 with e set (out of memory: the runs stop).  Does nothing
 * while session_train_running() is 0, unless force (s: one epoch while
 * paused; still nothing before the question is answered).
 */
long		 session_train_advance(struct session *ss, long max, int force,
		    struct err *e);
/* Space: pause or resume; returns paused (1) or not (0), -1 when the
   step does not train. */
int		 session_train_pause(struct session *ss);
/* + and -: the learning rate to the next value of 1, 2, 5 x 10^k up or
   down (1e-4 to 100).  0, or -1 with e set (at the end, not a training
   step). */
int		 session_train_nudge_lr(struct session *ss, int dir,
		    struct err *e);
/* Set the learning rate / momentum (torch's checks; momentum below 1).
   0, or -1 with e set. */
int		 session_train_set(struct session *ss, double lr,
		    double momentum, struct err *e);
/* R: start both runs again from the initial parameters with the values
   set now.  0, or -1 with e set (out of memory, not a training step). */
int		 session_train_restart(struct session *ss, struct err *e);

/* ---- saving ------------------------------------------------------------------ */

/* A title to propose for a saved copy: the lesson's title plus " (my
   values)" in the interface language. */
void		 session_save_title(const struct session *ss, char *buf,
		    size_t len);
/* Save the lesson with the learner's values (every visited step: its
   tensors, options and loss; its pitfall stays the lesson's, which its
   texts speak of, and a step without one keeps the pitfall shown) through
   lesson_write()
   into dir (NULL: the user's lesson directory) under title.  0 with the
   file's path, or -1 with err set. */
int		 session_save(const struct session *ss, const char *title,
		    const char *dir, char *path, size_t pathlen,
		    struct err *err);

#endif
