/*
 * lessonview.c -- the lesson screen: one step of one lesson, live.
 *
 * What it shows, top to bottom (in a pad that scrolls to keep the
 * selection in view): a predict-first question when the step has one (the
 * results, the narrative and the plot stay hidden until it is answered or
 * `v` is pressed); the step's narrative, paragraph by paragraph, with a
 * note under every paragraph that no longer holds for the learner's values
 * or whose numbers torch refuses to compute; the editable input table (rows
 * are samples, columns classes) and the targets (table.c); the options the
 * lesson exposes; the results -- the reduced value saying what it is ("mean
 * of 3 = ..."), the per-element loss and the gradient labelled by what the
 * input is (dL/dz, dL/dp); the core's warnings; the pitfall pane
 * (sidebyside.c); the lesson's PyTorch lines and the same computation with
 * the learner's values (pycode.c), wrapped so that they stay Python; and
 * the plot (plotpane.c), on the right when the terminal is wide enough,
 * else at the end of the pad.  A fixed strip above the status line always
 * shows the reduced value (and the pitfall's).  Presenter mode drops the
 * title and hint bars, shows the value in large figures and gives the plot
 * more room; autoplay steps on a timer.
 *
 * Everything shown comes from the lesson's session (session.h): a key is
 * one session call, then the screen is drawn from what the session derives.
 * This file keeps only what is about the screen: the focused table, the
 * selected cell, the scroll position, the editor line.  Sessions of every
 * lesson opened are kept while the program runs, so edits survive moving
 * between steps and lessons.
 */
#include "config.h"

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "lesson.h"
#include "parse.h"
#include "plot.h"
#include "pycode.h"
#include "session.h"
#include "step.h"
#include "template.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/curses.h"
#include "ui/draw.h"
#include "ui/edit.h"
#include "ui/plotpane.h"
#include "ui/sidebyside.h"
#include "ui/table.h"
#include "ui/ui.h"

#define LV_PLOT_MIN_W	40	/* narrower: the plot goes under the text */
#define LV_WIDE		96	/* from here the plot is a right-hand pane */
#define LV_NOPTS	16	/* more than the option table has */

enum lv_focus {
	LV_INPUT,
	LV_TARGET,
	LV_OPTIONS
};

/* The screen's state of one step: what is focused and selected. */
struct lv_step {
	enum lv_focus	 focus;
	size_t		 r, c;		/* selection in the input/target */
	size_t		 ir, ic;	/* the last input cell selected */
	size_t		 opt, optel;	/* selection in the options */
	int		 scroll;	/* first pad line shown */
};

/* One lesson as the screen keeps it: its session, and per step the above. */
struct lv_lesson {
	const struct lesson *lesson;
	int		 live;		/* ss is set up */
	struct session	 ss;
	struct lv_step	*steps;
};

/* What the editor line is editing. */
enum lv_editing {
	LV_EDIT_CELL,
	LV_EDIT_OPTION,
	LV_EDIT_GUESS,
	LV_EDIT_TITLE
};

static struct {
	struct lv_lesson *lessons;	/* one per shown lesson */
	size_t		 n;
	size_t		 cur;		/* shown index of the open lesson */

	struct lv_lesson bench;		/* the benchmark's synthetic lesson */
	int		 in_bench;

	struct edit	 ed;
	enum lv_editing	 editing;
	enum step_field	 ed_field;
	size_t		 ed_r, ed_c;
	size_t		 ed_opt;

	struct curve_cells cells;	/* the plot request's cells */

	WINDOW		*pad;
	int		 padw, padh;
	int		 sel_y0, sel_y1;	/* pad lines of the selection */
	int		 follow;	/* scroll to the selection */

	struct timespec	 next_auto;	/* autoplay: when to step */
	int		 auto_on;
} lv;

/* ------------------------------------------------------------- helpers -- */

static struct lv_lesson *
lv_lesson_cur(void)
{
	if (lv.in_bench)
		return &lv.bench;
	if (lv.lessons == NULL || lv.cur >= lv.n)
		return NULL;
	return &lv.lessons[lv.cur];
}

/* The open lesson's session, or NULL. */
static struct session *
lv_ss(void)
{
	struct lv_lesson *L = lv_lesson_cur();

	return L != NULL && L->live ? &L->ss : NULL;
}

/* The screen state of the current step. */
static struct lv_step *
lv_ui(void)
{
	struct lv_lesson *L = lv_lesson_cur();

	return L != NULL && L->live ? &L->steps[L->ss.cur] : NULL;
}

/* The current step's live values and results. */
static struct step *
lv_st(void)
{
	struct session *ss = lv_ss();

	return ss != NULL ? &session_cur(ss)->st : NULL;
}

static double
lv_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
lv_autoplay_arm(struct ui *u)
{
	double	t;

	if (u->app == NULL || u->app->autoplay <= 0 || !lv.auto_on)
		return;
	t = lv_now() + u->app->autoplay;
	lv.next_auto.tv_sec = (time_t)t;
	lv.next_auto.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
}

/* The grid of a step field as the screen shows it. */
static void
lv_field_grid(struct step *s, enum step_field f, struct table_grid *g)
{
	struct mat	*m = step_field_mat(s, f);
	int		 column;

	column = f == STEP_TARGET && step_index_target(s) &&
	    s->input.ndim == 2;
	table_grid(g, m, column);
}

/* The input's name by what the loss expects. */
static const char *
lv_input_name(enum loss_id loss)
{
	switch (loss_input_kind(loss)) {
	case LOSS_INPUT_PROBABILITIES:
		return _("input p (probabilities)");
	case LOSS_INPUT_LOG_PROBABILITIES:
		return _("input log p (log-probabilities)");
	default:
		return _("input z (logits)");
	}
}

/* Whether the results are hidden behind an unanswered question. */
static int
lv_hidden(void)
{
	struct session_quiz	 q;
	struct session		*ss = lv_ss();

	if (ss == NULL)
		return 0;
	session_quiz(ss, &q);
	return q.hidden;
}

/* Tell the learner what an edit did: its error, or what else it changed. */
static void
lv_report(struct ui *u, int rc, const struct err *e)
{
	struct step	*s = lv_st();

	if (rc != 0)
		ui_message(u, ROLE_ERROR, "%s", e->msg);
	else if (s != NULL && s->note[0] != '\0')
		ui_message(u, ROLE_LABEL, "%s", s->note);
}

/* Keep the selection inside the tables after an edit changed shapes. */
static void
lv_clamp(void)
{
	const struct session_opt *opts[LV_NOPTS];
	struct lv_step		*ls = lv_ui();
	struct step		*s = lv_st();
	struct table_grid	 g;
	struct mat		*m;
	size_t			 nopt;

	if (ls == NULL)
		return;
	if (ls->focus == LV_OPTIONS) {
		nopt = session_options(lv_ss(), opts, LV_NOPTS);
		if (nopt == 0) {
			ls->focus = LV_INPUT;
		} else {
			if (ls->opt >= nopt)
				ls->opt = nopt - 1;
			m = opts[ls->opt]->kind == SESSION_OPT_VECTOR ?
			    step_field_mat(s, opts[ls->opt]->field) : NULL;
			if (m == NULL || mat_numel(m) == 0)
				ls->optel = 0;
			else if (ls->optel >= mat_numel(m))
				ls->optel = mat_numel(m) - 1;
		}
	}
	if (ls->focus == LV_OPTIONS)
		return;
	lv_field_grid(s, ls->focus == LV_TARGET ? STEP_TARGET : STEP_INPUT,
	    &g);
	if (g.rows == 0) {
		ls->r = ls->c = 0;
		return;
	}
	if (ls->r >= g.rows)
		ls->r = g.rows - 1;
	if (ls->c >= g.cols)
		ls->c = g.cols - 1;
	if (ls->focus == LV_INPUT) {
		ls->ir = ls->r;
		ls->ic = ls->c;
	}
	lv_field_grid(s, STEP_INPUT, &g);
	if (ls->ir >= g.rows)
		ls->ir = g.rows > 0 ? g.rows - 1 : 0;
	if (ls->ic >= g.cols)
		ls->ic = g.cols > 0 ? g.cols - 1 : 0;
}

/* ---------------------------------------------------------- open/close -- */

/* The lesson array for the shown lessons (one entry each). */
static int
lv_alloc(struct ui *u)
{
	size_t	i;

	if (lv.lessons != NULL)
		return 0;
	lv.lessons = calloc(u->nshown + 1, sizeof *lv.lessons);
	if (lv.lessons == NULL)
		return -1;
	lv.n = u->nshown;
	for (i = 0; i < u->nshown; i++)
		lv.lessons[i].lesson = u->cat->v[u->shown[i]].lesson;
	return 0;
}

/* Set up L's session on its first opening; 0 or -1 (message set). */
static int
lv_live(struct ui *u, struct lv_lesson *L)
{
	struct err	e;

	if (L->live)
		return 0;
	memset(&e, 0, sizeof e);
	if ((L->steps = calloc(L->lesson->nsteps + 1,
	    sizeof *L->steps)) == NULL) {
		ui_message(u, ROLE_ERROR, "%s", _("out of memory"));
		return -1;
	}
	if (session_init(&L->ss, L->lesson, &e) != 0) {
		session_free(&L->ss);
		free(L->steps);
		L->steps = NULL;
		ui_message(u, ROLE_ERROR, "%s", e.msg);
		return -1;
	}
	L->live = 1;
	return 0;
}

int
lessonview_open(struct ui *u, size_t shown)
{
	struct lv_lesson	*L;

	if (lv_alloc(u) == -1 || shown >= lv.n) {
		ui_message(u, ROLE_ERROR, "%s", _("out of memory"));
		return -1;
	}
	L = &lv.lessons[shown];
	if (L->lesson == NULL) {
		ui_message(u, ROLE_ERROR, "%s", _("this lesson file is broken"));
		return -1;
	}
	if (lv_live(u, L) == -1)
		return -1;
	lv.cur = shown;
	u->cur = shown;
	u->screen = UI_SCREEN_LESSON;
	lv.follow = 0;
	lv.auto_on = u->app != NULL && u->app->autoplay > 0;
	lv_autoplay_arm(u);
	return 0;
}

static void
lv_lesson_free(struct lv_lesson *L)
{
	if (L->live)
		session_free(&L->ss);
	L->live = 0;
	free(L->steps);
	L->steps = NULL;
}

void
lessonview_free(struct ui *u)
{
	size_t	i;

	(void)u;
	for (i = 0; i < lv.n; i++)
		lv_lesson_free(&lv.lessons[i]);
	free(lv.lessons);
	lv.lessons = NULL;
	lv.n = 0;
	lv_lesson_free(&lv.bench);
	if (lv.pad != NULL)
		delwin(lv.pad);
	lv.pad = NULL;
	plotpane_free();
}

void
lessonview_catalog_changed(struct ui *u)
{
	struct lv_lesson	*nl;
	size_t			 i, j, cur = lv.cur;

	if (lv.lessons == NULL)
		return;
	/* Keep every lesson's state under its new index. */
	if ((nl = calloc(u->nshown + 1, sizeof *nl)) == NULL)
		return;
	for (i = 0; i < u->nshown; i++) {
		nl[i].lesson = u->cat->v[u->shown[i]].lesson;
		for (j = 0; j < lv.n; j++)
			if (lv.lessons[j].lesson == nl[i].lesson &&
			    nl[i].lesson != NULL) {
				nl[i] = lv.lessons[j];
				memset(&lv.lessons[j], 0, sizeof lv.lessons[j]);
				if (j == cur)
					lv.cur = i;
				break;
			}
	}
	for (j = 0; j < lv.n; j++)
		lv_lesson_free(&lv.lessons[j]);
	free(lv.lessons);
	lv.lessons = nl;
	lv.n = u->nshown;
	if (u->screen == UI_SCREEN_LESSON)
		u->cur = lv.cur;
}

/* ---------------------------------------------------------------- draw -- */

/* Where the pieces go on this terminal. */
struct lv_layout {
	int	present;
	int	top;		/* first body line */
	int	body;		/* body lines */
	int	leftw;		/* the pad's width */
	int	plotx, plotw;	/* right-hand plot pane (plotw 0: none) */
	int	strip;		/* the fixed result line (-1: none) */
	int	bigh;		/* presenter: lines of the big figure */
	int	status, hint;	/* lines, -1 when absent */
};

static void
lv_layout(struct ui *u, struct lv_layout *L)
{
	int	rows = LINES, cols = COLS;

	memset(L, 0, sizeof *L);
	L->present = u->app != NULL && u->app->present;
	if (L->present) {
		L->top = 0;
		L->hint = -1;
		L->status = rows - 1;
		L->bigh = rows >= 20 ? 4 : 0;
		L->strip = L->bigh > 0 ? -1 : rows - 2;
		L->body = rows - 1 - (L->bigh > 0 ? L->bigh : 1);
		if (cols >= 80) {
			L->plotw = cols * 55 / 100;
			L->leftw = cols - L->plotw - 1;
			L->plotx = L->leftw + 1;
		} else
			L->leftw = cols;
		return;
	}
	L->top = 1;
	L->hint = rows - 1;
	L->status = rows - 2;
	L->strip = rows - 3;
	L->body = rows - 4;
	if (cols >= LV_WIDE) {
		L->plotw = cols * 42 / 100;
		if (L->plotw < LV_PLOT_MIN_W)
			L->plotw = LV_PLOT_MIN_W;
		L->leftw = cols - L->plotw - 1;
		L->plotx = L->leftw + 1;
	} else
		L->leftw = cols;
}

/* The reduced value, said in words. */
static void
lv_value_text(const struct step *s, char *buf, size_t len, int hidden,
    int short_form)
{
	char	v[64], d[64];
	size_t	n = mat_numel(&s->res.elem);

	if (!s->ok) {
		snprintf(buf, len, _("%s: %s"), _("torch refuses these values"),
		    s->error);
		return;
	}
	if (hidden)
		snprintf(v, sizeof v, "?");
	else
		step_fmt(s->res.value, 8, v, sizeof v);
	step_fmt(s->res.denom, 6, d, sizeof d);
	switch (s->opts.reduction) {
	case LOSS_REDUCTION_NONE:
		if (short_form)
			snprintf(buf, len, _("reduction='none': Σℓ = %s"), v);
		else
			snprintf(buf, len, _("reduction='none': the output is "
			    "ℓ itself (%zu values); their sum Σℓ = %s is what "
			    "the gradient differentiates"), n, v);
		break;
	case LOSS_REDUCTION_SUM:
		snprintf(buf, len, _("L = sum of %zu = %s"), n, v);
		break;
	case LOSS_REDUCTION_BATCHMEAN:
		snprintf(buf, len, _("L = Σℓ / batch size %s = %s"), d, v);
		break;
	default:
		if ((double)n == s->res.denom)
			snprintf(buf, len, _("L = mean of %zu = %s"), n, v);
		else if (s->weight.ndim != 0 && step_index_target(s))
			snprintf(buf, len, _("L = Σℓ / Σ w[target] (= %s) = %s"),
			    d, v);
		else
			snprintf(buf, len, _("L = Σℓ / %s = %s"), d, v);
		break;
	}
}

/* Draw rendered text: each paragraph, its note under it ("⚠" when it no
   longer holds, "✗" when torch refuses its numbers); returns lines. */
static int
lv_draw_text(WINDOW *w, int y, int x, int width, int role,
    const struct session_text *t)
{
	const struct session_para *p;
	const char	*l, *nl;
	char		 line[600];
	size_t		 i;
	int		 n = 0, bad;

	for (i = 0; i < t->n; i++) {
		p = &t->p[i];
		if (i > 0)
			n++;
		bad = p->flags & (SESSION_PARA_REFUSED | SESSION_PARA_PREFUSED);
		n += draw_wrapped(w, y + n, x, width, -1, p->flags &
		    (SESSION_PARA_STALE | SESSION_PARA_SWAPPED) ? ROLE_LABEL :
		    role, p->text);
		for (l = p->note; l != NULL; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			snprintf(line, sizeof line, "%s %.*s", bad ? "✗" : "⚠",
			    (int)(nl ? (size_t)(nl - l) : strlen(l)), l);
			n += draw_wrapped(w, y + n, x + 2, width - 2, -1,
			    bad ? ROLE_ERROR : ROLE_WARNING, line);
		}
	}
	return n;
}

/* Render a template and draw it; returns lines. */
static int
lv_draw_template(WINDOW *w, int y, int x, int width, int role,
    const char *tmpl)
{
	struct session_text	 t = SESSION_TEXT_INIT;
	int			 n;

	if (session_render(lv_ss(), tmpl, &t) != 0)
		return 0;
	n = lv_draw_text(w, y, x, width, role, &t);
	session_text_free(&t);
	return n;
}

/* A choice rendered as one line of text (its paragraphs joined). */
static char *
lv_choice_text(const char *tmpl)
{
	struct session_text	 t = SESSION_TEXT_INIT;
	char			*r;

	if (session_render(lv_ss(), tmpl, &t) != 0)
		return strdup("");
	r = session_text_join(&t, "⚠ ");
	session_text_free(&t);
	return r != NULL ? r : strdup("");
}

/* The predict-first block; returns lines used. */
static int
lv_draw_predict(WINDOW *w, int y, int width)
{
	const struct step	*s = lv_st();
	const struct session_step *sp = session_cur_const(lv_ss());
	const struct lesson_predict *p = &s->src->predict;
	struct session_quiz	 q;
	char			*t, line[768], v[64];
	int			 n = 0, i, role;

	session_quiz(lv_ss(), &q);
	if (q.tied)
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_WARNING,
		    _("⚠ This question is about the lesson's values and you "
		    "have changed them: its answer is the lesson's (R "
		    "restores the values)."));
	n += lv_draw_template(w, y + n, 0, width, ROLE_QUESTION, p->question);
	for (i = 0; i < p->nchoices && i < LESSON_CHOICES_MAX; i++) {
		t = lv_choice_text(p->choices[i]);
		role = ROLE_NORMAL;
		snprintf(line, sizeof line, "  %d) %s", i + 1, t);
		if (!q.hidden && i == q.correct) {
			role = ROLE_CORRECT;
			snprintf(line + strlen(line), sizeof line -
			    strlen(line), "  ✓");
		}
		if (!q.hidden && i == q.choice) {
			if (i != q.correct)
				role = ROLE_PITFALL;
			snprintf(line + strlen(line), sizeof line -
			    strlen(line), "  ← %s", _("your answer"));
		}
		n += draw_wrapped(w, y + n, 0, width, -1, role, line);
		free(t);
	}
	if (q.hidden) {
		if (p->nchoices > 0)
			snprintf(line, sizeof line, _("Predict first: press "
			    "1-%d to answer (v reveals without answering)."),
			    p->nchoices);
		else
			snprintf(line, sizeof line, "%s", _("Predict first: "
			    "press g to type your guess (v reveals without "
			    "one)."));
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_HINTKEY, line);
		return n;
	}
	switch (q.verdict) {
	case SESSION_RIGHT:
		snprintf(line, sizeof line, "%s", q.tied ? _("Right, for the "
		    "lesson's values.") : _("Right!"));
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_CORRECT, line);
		break;
	case SESSION_WRONG:
		snprintf(line, sizeof line, "%s", q.tied ? _("Not quite, for "
		    "the lesson's values -- see the answer.") :
		    _("Not quite -- see the answer."));
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_PITFALL, line);
		break;
	case SESSION_NO_FIT:
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_WARNING,
		    _("With your values none of the choices fits exactly: "
		    "see the numbers below."));
		break;
	default:
		break;
	}
	if (p->nchoices == 0 && sp->guess[0] != '\0') {
		snprintf(line, sizeof line, _("%s: %s"), _("your guess"),
		    sp->guess);
		if (q.verdict == SESSION_RIGHT || q.verdict == SESSION_WRONG) {
			step_fmt(q.tolerance * (q.tolerance_abs ? 1 : 100), 3,
			    v, sizeof v);
			snprintf(line + strlen(line), sizeof line -
			    strlen(line), q.tolerance_abs ? _(" (within ±%s "
			    "counts)") : _(" (within ±%s%% counts)"), v);
		}
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_NORMAL, line);
	}
	if (p->answer != NULL && p->nchoices == 0) {
		t = lv_choice_text(p->answer);
		snprintf(line, sizeof line, _("%s: %s"), _("answer"), t);
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_VALUE, line);
		free(t);
	}
	if (p->explain != NULL)
		n += lv_draw_template(w, y + n, 0, width, ROLE_NORMAL,
		    p->explain);
	return n;
}

/* The options block; returns lines used. */
static int
lv_draw_options(WINDOW *w, int y, int width, struct lv_step *ls)
{
	const struct session_opt *opts[LV_NOPTS];
	struct session		*ss = lv_ss();
	struct step		*s = lv_st();
	struct mat		*m;
	size_t			 nopt, i, k;
	int			 n = 0, x, sel, role;
	char			 buf[128], line[512];

	nopt = session_options(ss, opts, LV_NOPTS);
	draw_str(w, y + n++, 0, width, ls->focus == LV_OPTIONS ?
	    ROLE_HEADING : ROLE_LABEL, nopt > 0 ? _("options (Tab to edit)") :
	    _("options"));
	for (i = 0; i < nopt; i++) {
		sel = ls->focus == LV_OPTIONS && ls->opt == i;
		x = draw_fmt(w, y + n, 2, width - 2, ROLE_LABEL, "%s = ",
		    opts[i]->name) + 2;
		switch (opts[i]->kind) {
		case SESSION_OPT_REDUCTION:
			draw_str(w, y + n, x, width - x, sel ? ROLE_SELECTION :
			    ROLE_INPUT, loss_reduction_name(s->opts.reduction));
			break;
		case SESSION_OPT_SCALAR:
			step_fmt(session_option_value(ss, opts[i]), 6, buf,
			    sizeof buf);
			draw_str(w, y + n, x, width - x, sel ? ROLE_SELECTION :
			    ROLE_INPUT, buf);
			break;
		case SESSION_OPT_VECTOR:
			m = step_field_mat(s, opts[i]->field);
			if (m == NULL || mat_numel(m) == 0) {
				draw_str(w, y + n, x, width - x, sel ?
				    ROLE_SELECTION : ROLE_LABEL,
				    _("none (Enter: one per class)"));
				break;
			}
			x += draw_str(w, y + n, x, width - x, ROLE_LABEL, "[");
			for (k = 0; k < mat_numel(m) && x < width - 2; k++) {
				if (k > 0)
					x += draw_str(w, y + n, x, width - x,
					    ROLE_LABEL, ", ");
				role = sel && ls->optel == k ? ROLE_SELECTION :
				    ROLE_INPUT;
				step_fmt(m->v[k], 4, buf, sizeof buf);
				x += draw_str(w, y + n, x, width - x, role, buf);
			}
			draw_str(w, y + n, x, width - x, ROLE_LABEL, "]");
			break;
		}
		if (sel)
			lv.sel_y0 = lv.sel_y1 = y + n;
		n++;
	}
	/* Options the loss reads but the lesson keeps fixed. */
	session_fixed_options(ss, line, sizeof line);
	if (line[0] != '\0') {
		snprintf(buf, sizeof buf, "%s ", _("fixed:"));
		x = draw_str(w, y + n, 2, width - 2, ROLE_LABEL, buf);
		n += draw_wrapped(w, y + n, 2 + x, width - 2 - x, -1,
		    ROLE_LABEL, line);
	}
	return n;
}

/* Draw Python lines wrapped so that they stay Python; long unbreakable
   lines are clipped with a visible "…". */
static int
lv_draw_code(WINDOW *w, int y, int x, int width, const char *code)
{
	char		*wr, *line, *save = NULL;
	int		 n = 0;

	if ((wr = pycode_wrap(code, width)) == NULL)
		return 0;
	for (line = strtok_r(wr, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		draw_trunc(w, y + n++, x, width, ROLE_CODE, line);
	free(wr);
	return n;
}

/* Draw the whole scrollable body into w (width columns); returns lines. */
static int
lv_draw_body(struct ui *u, WINDOW *w, int width, struct lv_step *ls,
    int with_plot, int plot_rows)
{
	struct session		*ss = lv_ss();
	struct step		*s = lv_st();
	const struct lesson	*l = s->lesson;
	const struct lesson_step *src = s->src;
	struct table		 t[4];
	char			 buf[1024], name[128];
	char			*code;
	int			 y = 0, nt, hidden = lv_hidden(), i;
	size_t			 k;

	lv.sel_y0 = lv.sel_y1 = 0;
	/* Step title, and whose values these are. */
	if (l != NULL) {
		/* a title may follow the values too */
		code = template_render(s, src != NULL ? src->title : NULL,
		    NULL);
		snprintf(buf, sizeof buf, _("Step %zu/%zu: %s"), ss->cur + 1,
		    l->nsteps, code != NULL ? code : "");
		free(code);
		y += draw_wrapped(w, y, 0, width, -1, ROLE_HEADING, buf);
		if (session_edited(ss, ss->cur))
			y += draw_wrapped(w, y, 0, width, -1, ROLE_LABEL,
			    _("With your values (R restores the lesson's)."));
	}
	/* Predict first: the question comes first, and the narrative (which
	   explains, with the live numbers) only once it is answered. */
	if (src != NULL && src->predict.question != NULL) {
		y += lv_draw_predict(w, y, width);
		y++;
	}
	if (src != NULL && src->text != NULL && src->text[0] != '\0') {
		if (hidden)
			y += draw_wrapped(w, y, 0, width, -1, ROLE_LABEL,
			    _("(The explanation appears once you have "
			    "answered.)"));
		else
			y += lv_draw_template(w, y, 0, width, ROLE_NORMAL,
			    src->text);
		y++;
	}

	/* Inputs and targets. */
	memset(t, 0, sizeof t);
	snprintf(name, sizeof name, "%s %s", lv_input_name(s->loss),
	    mat_shape_str(&s->input, buf, sizeof buf));
	t[0].title = name;
	lv_field_grid(s, STEP_INPUT, &t[0].g);
	t[0].role = ROLE_INPUT;
	t[0].focused = ls->focus == LV_INPUT;
	t[0].sr = ls->r;
	t[0].sc = ls->c;
	t[0].rowlab = s->input.ndim == 2;
	t[0].coloff = (int)ls->ic;
	t[1].title = step_index_target(s) ? _("target y (class index)") :
	    _("target y");
	lv_field_grid(s, STEP_TARGET, &t[1].g);
	t[1].role = ROLE_INPUT;
	t[1].focused = ls->focus == LV_TARGET;
	t[1].sr = ls->r;
	t[1].sc = ls->c;
	t[1].rowlab = s->target.ndim == 2 || t[1].g.column;
	t[1].colhead = _("class");
	t[1].coloff = t[1].g.cols == t[0].g.cols ? (int)ls->ic : 0;
	y += table_flow(w, y, width, t, 2, &lv.sel_y0, &lv.sel_y1);
	y++;

	/* Options. */
	y += lv_draw_options(w, y, width, ls);
	y++;

	/* Results. */
	draw_str(w, y++, 0, width, ROLE_HEADING, _("results"));
	lv_value_text(s, buf, sizeof buf, hidden, 0);
	y += draw_wrapped(w, y, 2, width - 2, -1, s->ok ? ROLE_VALUE :
	    ROLE_ERROR, buf);
	if (s->ok) {
		memset(t, 0, sizeof t);
		nt = 0;
		t[nt].title = s->res.elem_scalar ?
		    _("loss ℓ (one value)") : _("loss ℓ per element");
		if (mat_numel(&s->res.elem) == s->input.rows &&
		    s->input.ndim == 2)
			t[nt].title = _("loss ℓ per sample");
		table_grid(&t[nt].g, &s->res.elem, s->res.elem.ndim == 1 &&
		    s->input.ndim == 2);
		t[nt].role = ROLE_VALUE;
		t[nt].hidden = hidden;
		t[nt].rowlab = s->res.elem.ndim == 2 || t[nt].g.column;
		t[nt].colhead = "ℓ";
		t[nt].coloff = t[nt].g.cols == t[0].g.cols ? (int)ls->ic : 0;
		nt++;
		snprintf(name, sizeof name, "%s%s", loss_grad_label(s->loss),
		    s->opts.reduction == LOSS_REDUCTION_NONE ?
		    _(" (of Σℓ)") : "");
		t[nt].title = name;
		table_grid(&t[nt].g, &s->res.grad, 0);
		t[nt].role = ROLE_GRADIENT;
		t[nt].hidden = hidden;
		t[nt].rowlab = s->res.grad.ndim == 2;
		t[nt].coloff = (int)ls->ic;
		nt++;
		y += table_flow(w, y, width, t, nt, NULL, NULL);
	}
	/* Warnings from the core, in their own colour (they could tell the
	   answer, so they wait for it too). */
	if (hidden && s->diags.n > 0)
		y += draw_wrapped(w, y, 0, width, -1, ROLE_LABEL,
		    _("(warnings appear with the answer)"));
	for (i = 0; !hidden && i < s->diags.n && i < DIAG_MAX; i++) {
		snprintf(buf, sizeof buf, "⚠ %s", s->diags.d[i].msg);
		y += draw_wrapped(w, y, 0, width, -1, ROLE_WARNING, buf);
	}
	y++;

	/* The pitfall, side by side. */
	if (s->show_pitfall && s->pitfall != PITFALL_NONE) {
		k = ls->ir < s->input.rows ? ls->ir : 0;
		y += sidebyside_draw(w, y, 0, width, ss, k, hidden);
		y++;
	}

	/* The PyTorch line(s), as the lesson wrote them; their comments
	   could give the answer away. */
	if (src != NULL && src->code != NULL && src->code[0] != '\0') {
		draw_str(w, y++, 0, width, ROLE_LABEL,
		    session_edited(ss, ss->cur) ? _("PyTorch (as written for "
		    "the lesson's values):") : _("PyTorch:"));
		code = hidden ? pycode_hide_comments(src->code) :
		    strdup(src->code);
		if (code != NULL)
			y += lv_draw_code(w, y, 2, width - 2, code);
		free(code);
	}
	/* The same computation with the learner's current values. */
	{
		char	live[4096];

		pycode_format(s, !hidden, live, sizeof live);
		draw_str(w, y++, 0, width, ROLE_LABEL,
		    _("PyTorch, with the values above (float64):"));
		y += lv_draw_code(w, y, 2, width - 2, live);
	}

	/* The plot, when it has no pane of its own. */
	if (with_plot && plot_rows > 0) {
		y++;
		draw_str(w, y++, 0, width, ROLE_HEADING, _("plot"));
		plotpane_draw(w, y, 0, width, plot_rows);
		y += plot_rows;
	}
	(void)u;
	return y;
}

/* A big-figure font for presenter mode: 3 lines per glyph. */
static const struct {
	char		 c;
	const char	*row[3];
} lv_font[] = {
	{ '0', { "█▀█", "█ █", "▀▀▀" } },
	{ '1', { "▀█ ", " █ ", "▀▀▀" } },
	{ '2', { "▀▀█", "█▀▀", "▀▀▀" } },
	{ '3', { "▀▀█", " ▀█", "▀▀▀" } },
	{ '4', { "█ █", "▀▀█", "  ▀" } },
	{ '5', { "█▀▀", "▀▀█", "▀▀▀" } },
	{ '6', { "█▀▀", "█▀█", "▀▀▀" } },
	{ '7', { "▀▀█", "  █", "  ▀" } },
	{ '8', { "█▀█", "█▀█", "▀▀▀" } },
	{ '9', { "█▀█", "▀▀█", "▀▀▀" } },
	{ '.', { " ", " ", "▀" } },
	{ '-', { "   ", "▀▀▀", "   " } },
	{ '+', { "   ", "▄█▄", " ▀ " } },
	{ 'e', { "▄▄▄", "█▄█", "█▄▄" } },
	{ ' ', { " ", " ", " " } },
};

/* Draw s in the big font at (y, x); falls back to plain text for other
   characters (nan, inf).  Returns the width. */
static int
lv_big(int y, int x, int cols, int role, const char *s)
{
	char	 line[3][512];
	size_t	 i, k, nf = sizeof lv_font / sizeof lv_font[0];
	int	 r, w = 0;

	for (i = 0; s[i] != '\0'; i++) {
		for (k = 0; k < nf; k++)
			if (lv_font[k].c == s[i])
				break;
		if (k == nf)
			return draw_str(stdscr, y + 1, x, cols, role, s);
	}
	for (r = 0; r < 3; r++)
		line[r][0] = '\0';
	for (i = 0; s[i] != '\0'; i++) {
		for (k = 0; k < nf; k++)
			if (lv_font[k].c == s[i])
				break;
		for (r = 0; r < 3; r++) {
			strncat(line[r], lv_font[k].row[r],
			    sizeof line[r] - strlen(line[r]) - 2);
			strcat(line[r], " ");
		}
	}
	for (r = 0; r < 3; r++)
		w = draw_str(stdscr, y + r, x, cols, role, line[r]);
	return w;
}

/* Make sure the pad exists, at least w x h. */
static int
lv_pad(int w, int h)
{
	if (lv.pad != NULL && lv.padw == w && lv.padh >= h)
		return 0;
	if (lv.pad != NULL)
		delwin(lv.pad);
	if (h < lv.padh)
		h = lv.padh;
	lv.pad = newpad(h, w);
	if (lv.pad == NULL)
		return -1;
	lv.padw = w;
	lv.padh = h;
	return 0;
}

/* The hint bar. */
static void
lv_draw_hint(int y, int cols)
{
	static const struct {
		const char	*key, *what;
	} hints[] = {
		{ "?", N_("help") }, { "q", N_("quit") },
		{ "Space", N_("next") }, { "Bksp", N_("prev") },
		{ "Enter", N_("edit") }, { "+/-", N_("nudge") },
		{ "Tab", N_("area") }, { "p", N_("pitfall") },
		{ "r", N_("reduction") }, { "u", N_("undo") },
		{ "n/N", N_("lesson") },
	};
	size_t	i;
	int	x = 0, kw, ww;

	draw_fill(stdscr, y, 0, cols, ROLE_HINT);
	for (i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		kw = (int)text_width(hints[i].key);
		ww = (int)text_width(_(hints[i].what));
		if (x + kw + ww + 2 > cols)
			break;
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINTKEY,
		    hints[i].key);
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, " ");
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT,
		    _(hints[i].what));
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, "  ");
	}
}

/* The fixed one-line result strip. */
static void
lv_draw_strip(int y, int cols)
{
	struct step		*s = lv_st();
	struct session_cmp	 c;
	char			 buf[512], v[64], d[64];
	int			 x, hidden = lv_hidden();

	draw_fill(stdscr, y, 0, cols, ROLE_NORMAL);
	if (!s->ok) {
		snprintf(buf, sizeof buf, _("%s: %s"), _("torch refuses these "
		    "values"), s->error);
		draw_str(stdscr, y, 0, cols, ROLE_ERROR, buf);
		return;
	}
	lv_value_text(s, buf, sizeof buf, hidden, 1);
	x = draw_str(stdscr, y, 0, cols, ROLE_VALUE, buf);
	if (hidden) {
		draw_str(stdscr, y, x, cols - x, ROLE_QUESTION,
		    _("  (predict first: answer, or v to reveal)"));
		return;
	}
	if (session_cmp(lv_ss(), &c) != 0)
		return;
	if (c.wrong != NULL) {
		step_fmt(c.wrong->value, 8, v, sizeof v);
		sidebyside_diff(s, d, sizeof d);
		snprintf(buf, sizeof buf, "   %s %s = %s (Δ %s)", _("pitfall"),
		    pitfall_name(c.pitfall), v, d);
		if (x + (int)text_width(buf) > cols)	/* shorter */
			snprintf(buf, sizeof buf, "  %s %s (Δ%s)",
			    _("pitfall"), v, d);
		draw_str(stdscr, y, x, cols - x, c.correct != NULL &&
		    sidebyside_differ(c.wrong->value, c.correct->value) ?
		    ROLE_DIFF : ROLE_PITFALL, buf);
	} else {
		snprintf(buf, sizeof buf, "   %s: %s", _("pitfall"),
		    c.wrong_error);
		draw_str(stdscr, y, x, cols - x, ROLE_ERROR, buf);
	}
}

/* What the plot pane says instead of a plot; NULL when there is one. */
static const char *
lv_plot_message(enum session_plot_state st)
{
	switch (st) {
	case SESSION_PLOT_HIDDEN:
		return _("(the plot appears once you have answered)");
	case SESSION_PLOT_REFUSED:
		return _("(no plot: torch refuses these values, see the "
		    "results)");
	case SESSION_PLOT_NONFINITE:
		return _("(no plot: an input is nan or inf)");
	case SESSION_PLOT_NONE:
		return _("(no plot for this step)");
	default:
		return NULL;
	}
}

void
lessonview_draw(struct ui *u)
{
	struct lv_layout	 L;
	struct lv_lesson	*LL = lv_lesson_cur();
	struct lv_step		*ls = lv_ui();
	struct session		*ss = lv_ss();
	struct step		*s = lv_st();
	struct plot_req		 req;
	enum session_plot_state	 pst;
	const char		*pmsg;
	char			 buf[512];
	int			 h, plot_rows = 0, inpad, ph, x, has_plot;

	erase();
	if (LL == NULL || ls == NULL) {
		u->screen = UI_SCREEN_LIST;
		list_draw(u);
		wnoutrefresh(stdscr);
		return;
	}
	lv_layout(u, &L);

	/* Title bar. */
	if (!L.present) {
		draw_fill(stdscr, 0, 0, COLS, ROLE_TITLE);
		if (LL->lesson != NULL)
			snprintf(buf, sizeof buf, "losslab · %s · %s %zu/%zu",
			    LL->lesson->title, _("step"), ss->cur + 1,
			    ss->nsteps);
		else
			snprintf(buf, sizeof buf, "losslab · %s",
			    _("benchmark"));
		x = (int)text_width(loss_name(s->loss)) + 3;
		draw_trunc(stdscr, 0, 1, COLS - 1 - x, ROLE_TITLE, buf);
		draw_right(stdscr, 0, COLS - x + 1, x - 2, ROLE_TITLE,
		    loss_name(s->loss));
	}

	/* The plot: its own pane, or at the end of the pad. */
	pst = u->bench ? SESSION_PLOT_NONE : session_plot(ss, &req, &lv.cells);
	pmsg = lv_plot_message(pst);
	has_plot = pst != SESSION_PLOT_NONE;
	if (has_plot)
		req.lang = u->lang;
	if (!has_plot) {
		/* No plot: the text gets the whole width. */
		L.plotw = 0;
		L.leftw = COLS;
	}
	inpad = L.plotw == 0;
	if (has_plot) {
		if (inpad) {
			plot_rows = L.body - 2;
			if (plot_rows > 22)
				plot_rows = 22;
			if (plot_rows < 10)
				plot_rows = 10;
			if (pmsg != NULL)
				plot_rows = 2;
			plotpane_want(pmsg == NULL ? &req : NULL, L.leftw,
			    plot_rows, pmsg);
		} else {
			ph = L.body - 1;
			plotpane_want(pmsg == NULL ? &req : NULL, L.plotw, ph,
			    pmsg);
		}
	} else {
		plotpane_want(NULL, 0, 0, NULL);
		plot_rows = 0;
	}
	u->timeout_ms = plotpane_stale() ? 40 : -1;
	if (lv.auto_on && u->app != NULL && u->app->autoplay > 0) {
		double	left = (double)lv.next_auto.tv_sec +
		    (double)lv.next_auto.tv_nsec / 1e9 - lv_now();
		int	ms = left > 0 ? (int)(left * 1000) + 1 : 0;

		if (u->timeout_ms < 0 || ms < u->timeout_ms)
			u->timeout_ms = ms;
	}

	/* The scrolled body. */
	if (lv_pad(L.leftw, 200) == -1)
		return;
	werase(lv.pad);
	h = lv_draw_body(u, lv.pad, L.leftw, ls, inpad, plot_rows);
	if (h > lv.padh) {
		if (lv_pad(L.leftw, h + 50) == -1)
			return;
		werase(lv.pad);
		h = lv_draw_body(u, lv.pad, L.leftw, ls, inpad, plot_rows);
	}
	if (lv.follow) {
		if (lv.sel_y1 >= ls->scroll + L.body)
			ls->scroll = lv.sel_y1 - L.body + 2;
		if (lv.sel_y0 < ls->scroll)
			ls->scroll = lv.sel_y0 > 2 ? lv.sel_y0 - 2 : 0;
	}
	if (ls->scroll > h - L.body)
		ls->scroll = h - L.body;
	if (ls->scroll < 0)
		ls->scroll = 0;

	/* Right-hand plot pane. */
	if (!inpad) {
		for (x = L.top; x < L.top + L.body; x++)
			draw_str(stdscr, x, L.leftw, 1, ROLE_AXIS, "│");
		snprintf(buf, sizeof buf, "%s", _("plot"));
		if (pmsg == NULL)
			snprintf(buf, sizeof buf, _("%s: %s"), _("plot"),
			    plot_kind_name(req.kind));
		draw_str(stdscr, L.top, L.plotx + 1, L.plotw - 1, ROLE_HEADING,
		    buf);
		plotpane_draw(stdscr, L.top + 1, L.plotx, L.plotw, L.body - 1);
	}

	/* The fixed result strip, or the big figure in presenter mode. */
	if (L.strip >= 0) {
		const char	*more = NULL;

		/* Say when the text goes on below or above the window. */
		if (ls->scroll + L.body < h)
			more = ls->scroll > 0 ? _("↑↓ Ctrl-U/D") :
			    _("↓ more: Ctrl-D");
		else if (ls->scroll > 0)
			more = _("↑ Ctrl-U");
		lv_draw_strip(L.strip, more != NULL ? COLS -
		    (int)text_width(more) - 2 : COLS);
		if (more != NULL)
			draw_right(stdscr, L.strip, COLS - (int)text_width(more) -
			    1, (int)text_width(more), ROLE_LABEL, more);
	}
	if (L.bigh > 0) {
		int			y0 = L.top + L.body;
		struct session_cmp	c;

		lv_value_text(s, buf, sizeof buf, lv_hidden(), 1);
		draw_str(stdscr, y0, 0, COLS, s->ok ? ROLE_HEADING :
		    ROLE_ERROR, buf);
		if (s->ok && !lv_hidden()) {
			char	v[64];

			step_fmt(s->res.value, 6, v, sizeof v);
			x = lv_big(y0 + 1, 2, COLS - 2, ROLE_VALUE, v);
			if (session_cmp(ss, &c) == 0 && c.wrong != NULL) {
				step_fmt(c.wrong->value, 6, v, sizeof v);
				lv_big(y0 + 1, x + 8, COLS - x - 8,
				    ROLE_PITFALL, v);
				/* Its label above it, where the line is free. */
				if ((int)text_width(buf) < x + 6)
					draw_fmt(stdscr, y0, x + 8, COLS - x - 8,
					    ROLE_PITFALL, "%s %s", _("pitfall"),
					    pitfall_name(c.pitfall));
			}
		}
	}
	if (L.hint >= 0)
		lv_draw_hint(L.hint, COLS);
	if (u->msg[0] != '\0' && L.status >= 0) {
		draw_fill(stdscr, L.status, 0, COLS, ROLE_NORMAL);
		draw_str(stdscr, L.status, 0, COLS, u->msg_role, u->msg);
	}

	wnoutrefresh(stdscr);
	pnoutrefresh(lv.pad, ls->scroll, 0, L.top, 0, L.top + L.body - 1,
	    L.leftw - 1);
	/* The editor line last, so that the cursor ends up in it. */
	if (lv.ed.active) {
		edit_draw(&lv.ed, stdscr, L.status >= 0 ? L.status : LINES - 1,
		    0, COLS);
		curs_set(1);
		wnoutrefresh(stdscr);
	} else
		curs_set(0);
}

/* ---------------------------------------------------------------- keys -- */

static void
lv_goto_step(struct ui *u, size_t i)
{
	struct session	*ss = lv_ss();
	struct err	 e;

	if (ss == NULL || i >= ss->nsteps || i == ss->cur)
		return;
	memset(&e, 0, sizeof e);
	if (session_goto(ss, i, &e) != 0) {
		ui_message(u, ROLE_ERROR, "%s", e.msg);
		return;
	}
	lv.follow = 0;	/* a new step shows its narrative from the top */
	lv_autoplay_arm(u);
}

static void
lv_next_step(struct ui *u, int dir)
{
	struct session	*ss = lv_ss();

	if (ss == NULL)
		return;
	if (dir > 0 && ss->cur + 1 >= ss->nsteps) {
		ui_message(u, ROLE_LABEL, "%s", _("This is the last step; "
		    "n opens the next lesson."));
		return;
	}
	if (dir < 0 && ss->cur == 0) {
		ui_message(u, ROLE_LABEL, "%s", _("This is the first step."));
		return;
	}
	lv_goto_step(u, dir > 0 ? ss->cur + 1 : ss->cur - 1);
}

static void
lv_next_lesson(struct ui *u, int dir)
{
	size_t	i;

	if (lv.in_bench || lv.n == 0)
		return;
	for (i = lv.cur;;) {
		if (dir > 0) {
			if (i + 1 >= lv.n) {
				ui_message(u, ROLE_LABEL, "%s",
				    _("This is the last lesson."));
				return;
			}
			i++;
		} else {
			if (i == 0) {
				ui_message(u, ROLE_LABEL, "%s",
				    _("This is the first lesson."));
				return;
			}
			i--;
		}
		if (lv.lessons[i].lesson != NULL)
			break;
	}
	lessonview_open(u, i);
}

/* Apply v to grid cell (r, c) of field f. */
static void
lv_set_cell(struct ui *u, enum step_field f, size_t r, size_t c, double v)
{
	struct table_grid	g;
	struct err		e;
	size_t			mr, mc;

	memset(&e, 0, sizeof e);
	lv_field_grid(lv_st(), f, &g);
	if (g.rows == 0 || r >= g.rows || c >= g.cols)
		return;
	table_grid_coord(&g, r, c, &mr, &mc);
	lv_report(u, session_set_cell(lv_ss(), f, mr, mc, v, &e), &e);
	lv_clamp();
}

/* +/- (small) and >/< (large) on the selection. */
static void
lv_nudge(struct ui *u, struct lv_step *ls, int dir, int large)
{
	const struct session_opt *opts[LV_NOPTS];
	struct table_grid	 g;
	struct err		 e;
	size_t			 nopt, mr, mc;
	enum step_field		 f;

	memset(&e, 0, sizeof e);
	if (ls->focus == LV_OPTIONS) {
		nopt = session_options(lv_ss(), opts, LV_NOPTS);
		if (ls->opt >= nopt)
			return;
		lv_report(u, session_nudge_option(lv_ss(), opts[ls->opt],
		    ls->optel, dir, large, &e), &e);
		lv_clamp();
		return;
	}
	f = ls->focus == LV_TARGET ? STEP_TARGET : STEP_INPUT;
	lv_field_grid(lv_st(), f, &g);
	if (g.rows == 0)
		return;
	table_grid_coord(&g, ls->r, ls->c, &mr, &mc);
	lv_report(u, session_nudge_cell(lv_ss(), f, mr, mc, dir, large, &e),
	    &e);
	lv_clamp();
}

/* Enter: open the editor on the selection. */
static void
lv_edit_begin(struct ui *u, struct lv_step *ls)
{
	const struct session_opt *opts[LV_NOPTS];
	const struct session_opt *o;
	struct step		*s = lv_st();
	struct table_grid	 g;
	struct mat		*m;
	struct err		 e;
	char			 prompt[128], val[64];
	size_t			 nopt;

	memset(&e, 0, sizeof e);
	if (ls->focus == LV_OPTIONS) {
		nopt = session_options(lv_ss(), opts, LV_NOPTS);
		if (ls->opt >= nopt)
			return;
		o = opts[ls->opt];
		if (o->kind == SESSION_OPT_REDUCTION) {
			session_cycle_reduction(lv_ss());
			ui_message(u, ROLE_LABEL, "reduction = %s",
			    loss_reduction_name(s->opts.reduction));
			return;
		}
		if (o->kind == SESSION_OPT_VECTOR) {
			m = step_field_mat(s, o->field);
			if (m == NULL || mat_numel(m) == 0) {
				lv_report(u, session_create_vector(lv_ss(), o,
				    &e), &e);
				return;
			}
			if (ls->optel >= mat_numel(m))
				return;
			snprintf(prompt, sizeof prompt, "%s[%zu] =", o->name,
			    ls->optel);
			parse_fmt_exact(m->v[ls->optel], val, sizeof val);
		} else {
			snprintf(prompt, sizeof prompt, "%s =", o->name);
			parse_fmt_exact(session_option_value(lv_ss(), o), val,
			    sizeof val);
		}
		lv.editing = LV_EDIT_OPTION;
		lv.ed_opt = ls->opt;
		lv.ed_c = ls->optel;
		edit_begin(&lv.ed, prompt, val);
		return;
	}
	lv.ed_field = ls->focus == LV_TARGET ? STEP_TARGET : STEP_INPUT;
	lv_field_grid(s, lv.ed_field, &g);
	if (g.rows == 0)
		return;
	lv.editing = LV_EDIT_CELL;
	lv.ed_r = ls->r;
	lv.ed_c = ls->c;
	if (g.m->ndim == 2)
		snprintf(prompt, sizeof prompt, "%s[%zu][%zu] =",
		    lv.ed_field == STEP_TARGET ? "target" : "input", ls->r,
		    ls->c);
	else
		snprintf(prompt, sizeof prompt, "%s[%zu] =",
		    lv.ed_field == STEP_TARGET ? "target" : "input",
		    g.column ? ls->r : ls->c);
	parse_fmt_exact(table_grid_at(&g, ls->r, ls->c), val, sizeof val);
	edit_begin(&lv.ed, prompt, val);
}

/* The editor line's Enter. */
static void
lv_edit_commit(struct ui *u)
{
	const struct session_opt *opts[LV_NOPTS];
	struct session		*ss = lv_ss();
	struct session_quiz	 q;
	struct err		 e;
	char			 path[4096], err[512];
	double			 v;
	size_t			 nopt;

	memset(&e, 0, sizeof e);
	switch (lv.editing) {
	case LV_EDIT_GUESS:
		if (session_guess(ss, lv.ed.buf, &e) != 0) {
			ui_message(u, ROLE_ERROR, "%s", e.msg);
			return;
		}
		lv_ui()->scroll = 0;	/* the verdict, from the top */
		session_quiz(ss, &q);
		if (q.verdict == SESSION_RIGHT)
			ui_message(u, ROLE_CORRECT, "%s", _("Right!"));
		else if (q.verdict == SESSION_WRONG)
			ui_message(u, ROLE_PITFALL, "%s", _("Not quite -- "
			    "see the answer."));
		return;
	case LV_EDIT_TITLE:
		if (session_save(ss, lv.ed.buf, NULL, path, sizeof path, err,
		    sizeof err) != 0) {
			ui_message(u, ROLE_ERROR, _("%s: %s"), _("not saved"),
			    err);
			return;
		}
		if (ui_catalog_add(u, path) == 0)
			ui_message(u, ROLE_CORRECT, _("lesson saved, and in the "
			    "lesson list: %s"), path);
		else
			ui_message(u, ROLE_CORRECT, _("lesson saved to %s (it "
			    "is in the lesson list from the next start)"),
			    path);
		return;
	default:
		break;
	}
	if (parse_double(lv.ed.buf, &v) == -1) {
		ui_message(u, ROLE_ERROR, _("'%s' is not a number; the old "
		    "value is kept"), lv.ed.buf);
		return;
	}
	if (lv.editing == LV_EDIT_CELL) {
		lv_set_cell(u, lv.ed_field, lv.ed_r, lv.ed_c, v);
		return;
	}
	nopt = session_options(ss, opts, LV_NOPTS);
	if (lv.ed_opt < nopt)
		lv_report(u, session_set_option(ss, opts[lv.ed_opt], lv.ed_c,
		    v, &e), &e);
	lv_clamp();
}

/* The plot follows the input cell the learner selects. */
static void
lv_select_input(struct lv_step *ls)
{
	struct table_grid	g;
	size_t			mr, mc;

	lv_field_grid(lv_st(), STEP_INPUT, &g);
	if (g.rows == 0)
		return;
	table_grid_coord(&g, ls->ir, ls->ic, &mr, &mc);
	session_select(lv_ss(), mr, mc);
}

/* Arrow keys: move in a table, or change step outside one. */
static void
lv_move(struct ui *u, struct lv_step *ls, int dr, int dc)
{
	const struct session_opt *opts[LV_NOPTS];
	struct table_grid	 g;
	struct mat		*m;
	size_t			 nopt, n;

	lv.follow = 1;
	if (ls->focus == LV_OPTIONS) {
		nopt = session_options(lv_ss(), opts, LV_NOPTS);
		if (dr != 0) {
			if (dr < 0 && ls->opt > 0)
				ls->opt--;
			else if (dr > 0 && ls->opt + 1 < nopt)
				ls->opt++;
			ls->optel = 0;
			return;
		}
		m = ls->opt < nopt && opts[ls->opt]->kind == SESSION_OPT_VECTOR ?
		    step_field_mat(lv_st(), opts[ls->opt]->field) : NULL;
		n = m != NULL ? mat_numel(m) : 0;
		if (dc > 0 && ls->optel + 1 < n)
			ls->optel++;
		else if (dc < 0 && ls->optel > 0 && n > 0)
			ls->optel--;
		else
			lv_next_step(u, dc);
		return;
	}
	lv_field_grid(lv_st(), ls->focus == LV_TARGET ? STEP_TARGET :
	    STEP_INPUT, &g);
	if (g.rows == 0) {
		if (dc != 0)
			lv_next_step(u, dc);
		return;
	}
	if (dr < 0 && ls->r > 0)
		ls->r--;
	else if (dr > 0 && ls->r + 1 < g.rows)
		ls->r++;
	if (dc > 0) {
		if (ls->c + 1 < g.cols)
			ls->c++;
		else {
			lv_next_step(u, 1);
			return;
		}
	} else if (dc < 0) {
		if (ls->c > 0)
			ls->c--;
		else {
			lv_next_step(u, -1);
			return;
		}
	}
	lv_clamp();
	if (ls->focus == LV_INPUT)
		lv_select_input(ls);
}

static void
lv_tab(struct ui *u, struct lv_step *ls, int dir)
{
	const struct session_opt *opts[LV_NOPTS];
	size_t			 nopt = session_options(lv_ss(), opts,
				    LV_NOPTS);
	int			 f = (int)ls->focus, n = nopt > 0 ? 3 : 2;

	(void)u;
	f = (f + (dir > 0 ? 1 : n - 1)) % n;
	ls->focus = (enum lv_focus)f;
	if (ls->focus == LV_INPUT) {
		ls->r = ls->ir;
		ls->c = ls->ic;
	} else if (ls->focus == LV_TARGET) {
		/* The target of the selected sample. */
		ls->r = ls->ir;
		ls->c = step_index_target(lv_st()) ? 0 : ls->ic;
	}
	lv_clamp();
	lv.follow = 1;
}

/* A unique file name in the current directory for an export. */
static void
lv_export_path(const struct lv_lesson *L, const char *ext, char *buf,
    size_t len)
{
	struct stat	 sb;
	const char	*id = L->lesson != NULL ? L->lesson->id : "bench";
	size_t		 step = L->live ? L->ss.cur + 1 : 1;
	int		 i;

	snprintf(buf, len, "losslab-%s-%zu.%s", id, step, ext);
	for (i = 2; i < 1000 && stat(buf, &sb) == 0; i++)
		snprintf(buf, len, "losslab-%s-%zu-%d.%s", id, step, i, ext);
}

static void
lv_export(struct ui *u, int svg)
{
	struct lv_lesson	*L = lv_lesson_cur();
	struct plot_req		 req;
	struct curve_cells	 cells;
	char			 path[512], cwd[1024];
	struct err		 e;

	if (L == NULL || !L->live) {
		ui_message(u, ROLE_ERROR, "%s", _("this step has no plot to "
		    "export"));
		return;
	}
	switch (session_plot(&L->ss, &req, &cells)) {
	case SESSION_PLOT_OK:
		break;
	case SESSION_PLOT_HIDDEN:
		ui_message(u, ROLE_LABEL, "%s", _("the plot appears once you "
		    "have answered"));
		return;
	default:
		ui_message(u, ROLE_ERROR, "%s", _("this step has no plot to "
		    "export"));
		return;
	}
	req.lang = u->lang;
	if (!plot_available()) {
		ui_message(u, ROLE_ERROR, "%s", _("gnuplot is not installed "
		    "(install gnuplot-nox)"));
		return;
	}
	lv_export_path(L, svg ? "svg" : "png", path, sizeof path);
	memset(&e, 0, sizeof e);
	if (plot_export(&req, path, 0, 0, &e) == -1) {
		ui_message(u, ROLE_ERROR, _("%s: %s"), _("export failed"), e.msg);
		return;
	}
	if (getcwd(cwd, sizeof cwd) == NULL)
		snprintf(cwd, sizeof cwd, ".");
	ui_message(u, ROLE_CORRECT, _("plot written to %s/%s"), cwd, path);
}

/* w: ask for the title of the copy, proposing one. */
static void
lv_write(struct ui *u)
{
	struct lv_lesson	*L = lv_lesson_cur();
	char			 title[512];

	if (L == NULL || L->lesson == NULL || lv.in_bench) {
		ui_message(u, ROLE_ERROR, "%s", _("nothing to save here"));
		return;
	}
	session_save_title(&L->ss, title, sizeof title);
	lv.editing = LV_EDIT_TITLE;
	edit_begin(&lv.ed, _("save as a lesson titled:"), title);
}

/* A digit or v on the question. */
static void
lv_answer(struct ui *u, int choice)
{
	struct session		*ss = lv_ss();
	struct session_quiz	 q;
	struct err		 e;

	memset(&e, 0, sizeof e);
	if (choice < 0) {
		if (session_reveal(ss) != 0) {
			session_quiz(ss, &q);
			ui_message(u, ROLE_LABEL, "%s", q.has ?
			    _("already answered (R asks again)") :
			    _("no question in this step"));
		}
		return;
	}
	if (session_answer(ss, choice, &e) != 0) {
		ui_message(u, ROLE_LABEL, "%s", e.msg);
		return;
	}
	session_quiz(ss, &q);
	switch (q.verdict) {
	case SESSION_RIGHT:
		ui_message(u, ROLE_CORRECT, "%s", q.tied ? _("Right, for the "
		    "lesson's values.") : _("Right!"));
		break;
	case SESSION_WRONG:
		ui_message(u, ROLE_PITFALL, "%s", _("Not quite -- see the "
		    "answer."));
		break;
	case SESSION_NO_FIT:
		ui_message(u, ROLE_LABEL, "%s", _("With your values none of "
		    "the choices fits exactly."));
		break;
	default:
		break;
	}
}

/* p, P: the pitfall pane. */
static void
lv_pitfall(struct ui *u, int next)
{
	struct step	*s = lv_st();
	enum pitfall_id	 fit[PITFALL_COUNT];
	char		 others[256] = "";
	int		 n, i;

	n = step_pitfalls(s, fit);
	if (n == 0) {
		ui_message(u, ROLE_LABEL, _("no pitfall applies to %s with "
		    "%s"), loss_name(s->loss), loss_input_kind(s->loss) ==
		    LOSS_INPUT_LOGITS ? _("logits") : loss_input_kind(s->loss) ==
		    LOSS_INPUT_PROBABILITIES ? _("probabilities") :
		    _("log-probabilities"));
		return;
	}
	if (next) {
		if (session_next_pitfall(lv_ss()) != 0) {
			ui_message(u, ROLE_LABEL, _("%s is the only pitfall "
			    "for %s"), pitfall_name(fit[0]),
			    loss_name(s->loss));
			return;
		}
	} else if (!session_toggle_pitfall(lv_ss())) {
		ui_message(u, ROLE_LABEL, "%s", _("pitfall hidden"));
		return;
	}
	for (i = 0; i < n; i++)
		if (fit[i] != s->pitfall)
			snprintf(others + strlen(others), sizeof others -
			    strlen(others), "%s%s", others[0] ? ", " : "",
			    pitfall_name(fit[i]));
	if (others[0] != '\0')
		ui_message(u, ROLE_PITFALL, _("pitfall %s on your inputs (p "
		    "hides it; P shows %s)"), pitfall_name(s->pitfall), others);
	else
		ui_message(u, ROLE_PITFALL, _("pitfall %s on your inputs (p "
		    "hides it)"), pitfall_name(s->pitfall));
}

/* o O c C: samples and classes. */
static void
lv_shape(struct ui *u, struct lv_step *ls, int key)
{
	struct session	*ss = lv_ss();
	struct step	*s = lv_st();
	struct err	 e;
	struct table_grid g;
	size_t		 mr, mc, row, col;
	int		 r;

	memset(&e, 0, sizeof e);
	lv_field_grid(s, STEP_INPUT, &g);
	table_grid_coord(&g, ls->focus == LV_INPUT ? ls->r : ls->ir,
	    ls->focus == LV_INPUT ? ls->c : ls->ic, &mr, &mc);
	row = s->input.ndim == 2 ? mr : mc;
	col = mc;
	if (key == 'o')
		r = session_add_row(ss, &e);
	else if (key == 'O')
		r = session_remove_row(ss, row, &e);
	else if (key == 'c')
		r = session_add_col(ss, &e);
	else
		r = session_remove_col(ss, col, &e);
	lv_report(u, r, &e);
	if (r == 0 && key == 'o' && ls->focus != LV_OPTIONS) {
		/* Select the new sample (or element). */
		if (s->input.ndim == 2)
			ls->r = s->input.rows - 1;
		else if (ls->focus == LV_INPUT || !step_index_target(s))
			ls->c = s->input.cols - 1;
	} else if (r == 0 && key == 'c' && ls->focus == LV_INPUT)
		ls->c = s->input.cols - 1;
	lv_clamp();
}

void
lessonview_key(struct ui *u, int key)
{
	struct lv_step	*ls = lv_ui();
	struct session	*ss = lv_ss();

	if (ls == NULL || ss == NULL) {
		u->screen = UI_SCREEN_LIST;
		return;
	}
	if (lv.ed.active) {
		switch (edit_key(&lv.ed, key)) {
		case EDIT_COMMIT:
			lv_edit_commit(u);
			break;
		case EDIT_CANCEL:
			ui_message(u, ROLE_LABEL, "%s",
			    lv.editing == LV_EDIT_TITLE ? _("not saved") :
			    _("edit cancelled"));
			break;
		default:
			break;
		}
		return;
	}
	if (lv.auto_on)
		lv_autoplay_arm(u);
	/* Editing keys scroll to the selection; step changes, p and the
	   scroll keys turn that off again. */
	lv.follow = 1;
	switch (key) {
	case 'q':
	case 'Q':
		u->quit = 1;
		break;
	case 27:
		u->screen = UI_SCREEN_LIST;
		u->cur = lv.cur;
		break;
	case ' ':
	case KEY_NPAGE:
	case ']':
		lv_next_step(u, 1);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
	case KEY_PPAGE:
	case '[':
		lv_next_step(u, -1);
		break;
	case KEY_HOME:
		lv_goto_step(u, 0);
		break;
	case KEY_END:
		lv_goto_step(u, ss->nsteps - 1);
		break;
	case 'n':
		lv_next_lesson(u, 1);
		break;
	case 'N':
		lv_next_lesson(u, -1);
		break;
	case KEY_UP:
	case 'k':
		lv_move(u, ls, -1, 0);
		break;
	case KEY_DOWN:
	case 'j':
		lv_move(u, ls, 1, 0);
		break;
	case KEY_LEFT:
	case 'h':
		lv_move(u, ls, 0, -1);
		break;
	case KEY_RIGHT:
	case 'l':
		lv_move(u, ls, 0, 1);
		break;
	case '\t':
		lv_tab(u, ls, 1);
		break;
	case KEY_BTAB:
		lv_tab(u, ls, -1);
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		lv_edit_begin(u, ls);
		break;
	case '+':
	case '=':
		lv_nudge(u, ls, 1, 0);
		break;
	case '-':
	case '_':
		lv_nudge(u, ls, -1, 0);
		break;
	case '>':
		lv_nudge(u, ls, 1, 1);
		break;
	case '<':
		lv_nudge(u, ls, -1, 1);
		break;
	case 'o':
	case 'O':
	case 'c':
	case 'C':
		lv_shape(u, ls, key);
		break;
	case 'r':
		session_cycle_reduction(ss);
		ui_message(u, ROLE_LABEL, "reduction = %s",
		    loss_reduction_name(lv_st()->opts.reduction));
		break;
	case 'u':
		if (session_undo(ss) == -1)
			ui_message(u, ROLE_LABEL, "%s", _("nothing to undo"));
		lv_clamp();
		break;
	case 'R':
		session_reset(ss);
		lv_clamp();
		ui_message(u, ROLE_LABEL, "%s", _("step reset to the lesson's "
		    "values, its question unanswered (u undoes the values)"));
		break;
	case 'p':
	case 'P':
		lv_pitfall(u, key == 'P');
		lv.follow = 0;
		break;
	case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
	case 'v':
		/* the verdict and the explanation, from the top */
		lv_answer(u, key == 'v' ? -1 : key - '1');
		lv.follow = 0;
		ls->scroll = 0;
		break;
	case 'g': {
		struct session_quiz	q;

		session_quiz(ss, &q);
		if (!q.has)
			ui_message(u, ROLE_LABEL, "%s", _("no question in "
			    "this step"));
		else if (!q.hidden)
			ui_message(u, ROLE_LABEL, "%s", _("already answered "
			    "(R asks again)"));
		else if (lv_st()->src->predict.nchoices > 0)
			ui_message(u, ROLE_LABEL, _("choose one of the "
			    "choices: 1 to %d"),
			    lv_st()->src->predict.nchoices);
		else {
			lv.editing = LV_EDIT_GUESS;
			edit_begin(&lv.ed, lv_st()->src->predict.prompt !=
			    NULL ? lv_st()->src->predict.prompt :
			    _("your guess:"), "");
		}
		break;
	}
	case 'e':
	case 'E':
		lv_export(u, key == 'E');
		break;
	case 'w':
		lv_write(u);
		break;
	case 4:		/* ^D */
		ls->scroll += LINES / 2;
		lv.follow = 0;
		break;
	case 21:	/* ^U */
		ls->scroll -= LINES / 2;
		lv.follow = 0;
		break;
	}
}

int
lessonview_editing(void)
{
	return lv.ed.active;
}

int
lessonview_idle(struct ui *u)
{
	struct session	*ss = lv_ss();
	int		 redraw = 0;

	if (!u->bench && plotpane_stale())
		redraw |= plotpane_refresh();
	if (lv.auto_on && u->app != NULL && u->app->autoplay > 0 &&
	    ss != NULL && lv_now() >= (double)lv.next_auto.tv_sec +
	    (double)lv.next_auto.tv_nsec / 1e9) {
		if (ss->cur + 1 < ss->nsteps)
			lv_goto_step(u, ss->cur + 1);
		else if (lv.cur + 1 < lv.n)
			lv_next_lesson(u, 1);
		else
			lv.auto_on = 0;
		lv_autoplay_arm(u);
		redraw = 1;
	}
	return redraw;
}

/* ----------------------------------------------------------- benchmark -- */

int
lessonview_bench(struct ui *u, int n, double *median_ms, double *max_ms)
{
	static const int keys[] = { '+', KEY_RIGHT, '-', KEY_DOWN, '>',
	    KEY_RIGHT, '<', KEY_DOWN, '+', KEY_LEFT, 'r', '+', KEY_UP };
	struct mat	 in = MAT_INIT, tg = MAT_INIT;
	struct loss_opts o;
	struct err	 e;
	struct timespec	 t0, t1;
	double		*ms;
	size_t		 r, c;
	int		 i, ret = -1;

	if (mat_alloc(&in, 2, 32, 10, &e) == -1 ||
	    mat_alloc(&tg, 1, 1, 32, &e) == -1)
		goto out;
	for (r = 0; r < 32; r++) {
		for (c = 0; c < 10; c++)
			MAT_AT(&in, r, c) = sin((double)(r * 10 + c)) * 3;
		tg.v[r] = (double)(r % 10);
	}
	loss_opts_init(&o);
	if ((lv.bench.steps = calloc(1, sizeof *lv.bench.steps)) == NULL)
		goto out;
	if (session_init_values(&lv.bench.ss, LOSS_CE, &in, &tg, &o,
	    PITFALL_SOFTMAX_THEN_CE, &e) == -1) {
		session_free(&lv.bench.ss);
		goto out;
	}
	lv.bench.live = 1;
	lv.in_bench = 1;
	u->screen = UI_SCREEN_LESSON;
	ms = calloc((size_t)n, sizeof *ms);
	if (ms == NULL)
		goto out;
	lessonview_draw(u);
	doupdate();
	*max_ms = 0;
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		lessonview_key(u, keys[i % (int)(sizeof keys / sizeof keys[0])]);
		lessonview_draw(u);
		doupdate();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (ms[i] > *max_ms)
			*max_ms = ms[i];
	}
	*median_ms = ui_median(ms, n);
	free(ms);
	ret = 0;
out:
	lv.in_bench = 0;
	mat_free(&in);
	mat_free(&tg);
	return ret;
}
