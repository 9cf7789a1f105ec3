/*
 * lessonview.c -- the lesson screen: one step of one lesson, live.
 *
 * What it shows, top to bottom (in a pad that scrolls to keep the
 * selection in view): a predict-first question when the step has one (the
 * results and the narrative stay hidden until it is answered or `v` is
 * pressed); the step's narrative with its {placeholders} filled by
 * step_render(); the editable input table (rows are samples, columns
 * classes) and the targets (table.c); the options the lesson exposes; the
 * results -- the reduced value saying what it is ("mean of 3 = ..."), the
 * per-element loss and the gradient labelled by what the input is (dL/dz,
 * dL/dp); the core's warnings; the pitfall pane (sidebyside.c); the
 * lesson's PyTorch lines and the same computation with the learner's values
 * (pycode.c); and the plot (plotpane.c), on the right when the terminal is
 * wide enough, else at the end of the pad.  A fixed strip above the status
 * line always shows the reduced value (and the pitfall's).  Presenter mode
 * drops the title and hint bars, shows the value in large figures and gives
 * the plot more room; autoplay steps on a timer.
 *
 * Every number comes from the live step (step.h), which calls the loss
 * core; a key edits the step through the step_* helpers (which recompute
 * at once) and the screen is drawn from the new results.  The step states
 * of every lesson and step are kept while the program runs, so edits
 * survive moving between steps and lessons.
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
#include "step.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/curses.h"
#include "ui/draw.h"
#include "ui/edit.h"
#include "ui/plotpane.h"
#include "ui/pycode.h"
#include "ui/sidebyside.h"
#include "ui/table.h"
#include "ui/ui.h"

#define LV_NUDGE_SMALL	0.1
#define LV_NUDGE_LARGE	1.0
#define LV_PLOT_MIN_W	40	/* narrower: the plot goes under the text */
#define LV_WIDE		96	/* from here the plot is a right-hand pane */

enum lv_focus {
	LV_INPUT,
	LV_TARGET,
	LV_OPTIONS
};

/* One editable option line. */
enum lv_optkind {
	LV_OPT_REDUCTION,
	LV_OPT_SCALAR,
	LV_OPT_VECTOR
};

struct lv_opt {
	enum lv_optkind	 kind;
	unsigned	 bit;		/* LESSON_OPT_* */
	const char	*name;		/* step_set_option's name */
	const char	*cli;		/* loss_has_option's name */
	enum step_field	 field;		/* vectors */
	double		 small, large;	/* nudge steps */
};

static const struct lv_opt lv_opts[] = {
	{ LV_OPT_REDUCTION, LESSON_OPT_REDUCTION, "reduction", NULL,
	    STEP_INPUT, 0, 0 },
	{ LV_OPT_VECTOR, LESSON_OPT_WEIGHT, "weight", "weight", STEP_WEIGHT,
	    0.1, 1 },
	{ LV_OPT_VECTOR, LESSON_OPT_POS_WEIGHT, "pos_weight", "pos-weight",
	    STEP_POS_WEIGHT, 0.1, 1 },
	{ LV_OPT_SCALAR, LESSON_OPT_IGNORE_INDEX, "ignore_index",
	    "ignore-index", STEP_INPUT, 1, 1 },
	{ LV_OPT_SCALAR, LESSON_OPT_LABEL_SMOOTHING, "label_smoothing",
	    "label-smoothing", STEP_INPUT, 0.1, 1 },
	{ LV_OPT_SCALAR, LESSON_OPT_MARGIN, "margin", "margin", STEP_INPUT,
	    0.1, 1 },
	{ LV_OPT_SCALAR, LESSON_OPT_P, "p", "p", STEP_INPUT, 1, 1 },
	{ LV_OPT_SCALAR, LESSON_OPT_ALPHA, "alpha", "alpha", STEP_INPUT,
	    0.1, 1 },
	{ LV_OPT_SCALAR, LESSON_OPT_GAMMA, "gamma", "gamma", STEP_INPUT, 0.1,
	    1 },
	{ LV_OPT_SCALAR, LESSON_OPT_LOG_TARGET, "log_target", "log-target",
	    STEP_INPUT, 1, 1 },
};
#define LV_NOPTS	(sizeof lv_opts / sizeof lv_opts[0])

/* The live state of one step of one shown lesson. */
struct lv_step {
	int		 inited;
	struct step	 st;
	int		 answered;	/* predict-first: revealed */
	int		 choice;	/* the learner's choice, -1 none */
	char		 guess[EDIT_MAX];
	enum lv_focus	 focus;
	size_t		 r, c;		/* selection in the input/target */
	size_t		 ir, ic;	/* the last input cell selected */
	size_t		 opt, optel;	/* selection in the options */
	int		 scroll;	/* first pad line shown */
};

struct lv_lesson {
	const struct lesson *lesson;
	size_t		 nsteps;
	struct lv_step	*steps;
	size_t		 cur;
};

/* What the editor line is editing. */
enum lv_editing {
	LV_EDIT_CELL,
	LV_EDIT_OPTION,
	LV_EDIT_GUESS
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

static struct lv_step *
lv_step_cur(void)
{
	struct lv_lesson *L = lv_lesson_cur();

	if (L == NULL || L->steps == NULL || L->cur >= L->nsteps)
		return NULL;
	return &L->steps[L->cur];
}

/* Make sure step i of L is initialised; 0 or -1 (message set). */
static int
lv_step_ensure(struct ui *u, struct lv_lesson *L, size_t i)
{
	struct lv_step	*ls = &L->steps[i];
	struct err	 e;

	if (ls->inited)
		return 0;
	memset(&e, 0, sizeof e);
	memset(ls, 0, sizeof *ls);
	if (step_init(&ls->st, L->lesson, i, &e) == -1) {
		step_free(&ls->st);
		ui_message(u, ROLE_ERROR, "%s", e.msg);
		return -1;
	}
	ls->inited = 1;
	ls->choice = -1;
	ls->focus = LV_INPUT;
	return 0;
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
lv_hidden(const struct lv_step *ls)
{
	const struct lesson_step *src = ls->st.src;

	return src != NULL && src->predict.question != NULL && !ls->answered;
}

/* Render a template; returns a new string ("" when tmpl is NULL). */
static char *
lv_render(const struct step *s, const char *tmpl)
{
	char	*r;

	r = step_render(s, tmpl, NULL, NULL, 0);
	if (r == NULL)
		r = strdup("");
	return r;
}

/* The editable options of the current lesson, in lv_opts order. */
static size_t
lv_options(const struct lv_step *ls, const struct lv_opt **out, size_t max)
{
	const struct lesson	*l = ls->st.lesson;
	unsigned		 mask = l != NULL ? l->options : 0;
	size_t			 i, n = 0;

	for (i = 0; i < LV_NOPTS && n < max; i++) {
		if (!(mask & lv_opts[i].bit))
			continue;
		if (lv_opts[i].cli != NULL &&
		    !loss_has_option(ls->st.loss, lv_opts[i].cli))
			continue;
		out[n++] = &lv_opts[i];
	}
	return n;
}

/* The current value of a scalar option. */
static double
lv_opt_value(const struct step *s, const struct lv_opt *o)
{
	if (strcmp(o->name, "ignore_index") == 0)
		return (double)s->opts.ignore_index;
	if (strcmp(o->name, "label_smoothing") == 0)
		return s->opts.label_smoothing;
	if (strcmp(o->name, "margin") == 0)
		return s->opts.margin;
	if (strcmp(o->name, "p") == 0)
		return s->opts.p;
	if (strcmp(o->name, "alpha") == 0)
		return s->opts.alpha;
	if (strcmp(o->name, "gamma") == 0)
		return s->opts.gamma;
	if (strcmp(o->name, "log_target") == 0)
		return s->opts.log_target;
	return NAN;
}

/* Keep the selection inside the tables after an edit changed shapes. */
static void
lv_clamp(struct lv_step *ls)
{
	const struct lv_opt	*opts[LV_NOPTS];
	struct table_grid		 g;
	struct mat		*m;
	size_t			 nopt;

	if (ls->focus == LV_OPTIONS) {
		nopt = lv_options(ls, opts, LV_NOPTS);
		if (nopt == 0) {
			ls->focus = LV_INPUT;
		} else {
			if (ls->opt >= nopt)
				ls->opt = nopt - 1;
			m = opts[ls->opt]->kind == LV_OPT_VECTOR ?
			    step_field_mat(&ls->st, opts[ls->opt]->field) :
			    NULL;
			if (m == NULL || mat_numel(m) == 0)
				ls->optel = 0;
			else if (ls->optel >= mat_numel(m))
				ls->optel = mat_numel(m) - 1;
		}
	}
	if (ls->focus == LV_OPTIONS)
		return;
	lv_field_grid(&ls->st, ls->focus == LV_TARGET ? STEP_TARGET :
	    STEP_INPUT, &g);
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
}

/* ---------------------------------------------------------- open/close -- */

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
	if (L->steps == NULL) {
		L->nsteps = L->lesson->nsteps;
		L->steps = calloc(L->nsteps + 1, sizeof *L->steps);
		if (L->steps == NULL) {
			ui_message(u, ROLE_ERROR, "%s", _("out of memory"));
			return -1;
		}
	}
	if (lv_step_ensure(u, L, L->cur) == -1)
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
	size_t	i;

	if (L->steps == NULL)
		return;
	for (i = 0; i < L->nsteps; i++) {
		if (L->steps[i].inited)
			step_free(&L->steps[i].st);
	}
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

/* ---------------------------------------------------------------- plot -- */

/* The plot a step wants (step_plot_req), marked at the selected input
   cell, labelled in the interface's language; 0, or -1 if none fits. */
static int
lv_plot_req(struct ui *u, struct lv_step *ls, struct plot_req *req)
{
	if (step_plot_req(&ls->st, ls->ir, ls->ic, req) != 0)
		return -1;
	req->lang = u->lang;
	return 0;
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
		snprintf(buf, len, _("%s: %s"), _("error"), s->error);
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

/* The predict-first block; returns lines used. */
static int
lv_draw_predict(WINDOW *w, int y, int width, struct lv_step *ls)
{
	const struct lesson_predict *p = &ls->st.src->predict;
	char	*t, line[512];
	int	 n = 0, i, role;

	t = lv_render(&ls->st, p->question);
	n += draw_wrapped(w, y + n, 0, width, -1, ROLE_QUESTION, t);
	free(t);
	for (i = 0; i < p->nchoices && i < LESSON_CHOICES_MAX; i++) {
		t = lv_render(&ls->st, p->choices[i]);
		role = ROLE_NORMAL;
		snprintf(line, sizeof line, "  %d) %s", i + 1, t);
		if (ls->answered && i == p->correct) {
			role = ROLE_CORRECT;
			snprintf(line + strlen(line), sizeof line -
			    strlen(line), "  ✓");
		}
		if (ls->answered && i == ls->choice) {
			if (i != p->correct)
				role = ROLE_PITFALL;
			snprintf(line + strlen(line), sizeof line -
			    strlen(line), "  ← %s", _("your answer"));
		}
		n += draw_wrapped(w, y + n, 0, width, -1, role, line);
		free(t);
	}
	if (!ls->answered) {
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
	if (p->nchoices == 0 && ls->guess[0] != '\0') {
		snprintf(line, sizeof line, _("%s: %s"), _("your guess"),
		    ls->guess);
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_NORMAL, line);
	}
	if (p->answer != NULL) {
		t = lv_render(&ls->st, p->answer);
		snprintf(line, sizeof line, _("%s: %s"), _("answer"), t);
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_VALUE, line);
		free(t);
	}
	if (p->explain != NULL) {
		t = lv_render(&ls->st, p->explain);
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_NORMAL, t);
		free(t);
	}
	return n;
}

/* The options block; returns lines used. */
static int
lv_draw_options(WINDOW *w, int y, int width, struct lv_step *ls)
{
	const struct lv_opt	*opts[LV_NOPTS];
	struct step		*s = &ls->st;
	struct mat		*m;
	size_t			 nopt, i, k;
	int			 n = 0, x, sel, role;
	char			 buf[128];

	nopt = lv_options(ls, opts, LV_NOPTS);
	draw_str(w, y + n++, 0, width, ls->focus == LV_OPTIONS ?
	    ROLE_HEADING : ROLE_LABEL, nopt > 0 ? _("options (Tab to edit)") :
	    _("options"));
	for (i = 0; i < nopt; i++) {
		sel = ls->focus == LV_OPTIONS && ls->opt == i;
		x = draw_fmt(w, y + n, 2, width - 2, ROLE_LABEL, "%s = ",
		    opts[i]->name) + 2;
		switch (opts[i]->kind) {
		case LV_OPT_REDUCTION:
			draw_str(w, y + n, x, width - x, sel ? ROLE_SELECTION :
			    ROLE_INPUT, loss_reduction_name(s->opts.reduction));
			break;
		case LV_OPT_SCALAR:
			step_fmt(lv_opt_value(s, opts[i]), 6, buf, sizeof buf);
			draw_str(w, y + n, x, width - x, sel ? ROLE_SELECTION :
			    ROLE_INPUT, buf);
			break;
		case LV_OPT_VECTOR:
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
		if (sel) {
			lv.sel_y0 = lv.sel_y1 = y + n;
		}
		n++;
	}
	/* Options the loss reads but the lesson keeps fixed. */
	{
		char	 line[512] = "";
		size_t	 j, len;
		int	 shown;

		for (j = 0; j < LV_NOPTS; j++) {
			if (lv_opts[j].cli == NULL ||
			    !loss_has_option(s->loss, lv_opts[j].cli))
				continue;
			shown = 0;
			for (i = 0; i < nopt; i++)
				if (opts[i] == &lv_opts[j])
					shown = 1;
			if (shown)
				continue;
			len = strlen(line);
			if (lv_opts[j].kind == LV_OPT_VECTOR) {
				m = step_field_mat(s, lv_opts[j].field);
				snprintf(line + len, sizeof line - len,
				    "%s%s=%s", len ? ", " : "", lv_opts[j].name,
				    m == NULL ? "none" : "[...]");
			} else {
				step_fmt(lv_opt_value(s, &lv_opts[j]), 6, buf,
				    sizeof buf);
				snprintf(line + len, sizeof line - len,
				    "%s%s=%s", len ? ", " : "", lv_opts[j].name,
				    buf);
			}
		}
		if (!(s->lesson != NULL &&
		    (s->lesson->options & LESSON_OPT_REDUCTION))) {
			len = strlen(line);
			snprintf(line + len, sizeof line - len, "%sreduction=%s",
			    len ? ", " : "",
			    loss_reduction_name(s->opts.reduction));
		}
		if (line[0] != '\0') {
			snprintf(buf, sizeof buf, "%s ", _("fixed:"));
			x = draw_str(w, y + n, 2, width - 2, ROLE_LABEL, buf);
			n += draw_wrapped(w, y + n, 2 + x, width - 2 - x, -1,
			    ROLE_LABEL, line);
		}
	}
	return n;
}

/* Draw the whole scrollable body into w (width columns); returns lines. */
static int
lv_draw_body(struct ui *u, WINDOW *w, int width, struct lv_step *ls,
    int with_plot, int plot_rows)
{
	struct step		*s = &ls->st;
	const struct lesson	*l = s->lesson;
	const struct lesson_step *src = s->src;
	struct table		 t[4];
	char			*txt, buf[1024], name[128];
	int			 y = 0, nt, hidden = lv_hidden(ls), i;
	size_t			 k;

	lv.sel_y0 = lv.sel_y1 = 0;
	/* Step title. */
	if (l != NULL) {
		snprintf(buf, sizeof buf, _("Step %zu/%zu: %s"), s->index + 1,
		    l->nsteps, src != NULL && src->title != NULL ? src->title :
		    "");
		y += draw_wrapped(w, y, 0, width, -1, ROLE_HEADING, buf);
	}
	/* Predict first: the question comes first, and the narrative (which
	   explains, with the live numbers) only once it is answered. */
	if (src != NULL && src->predict.question != NULL) {
		y += lv_draw_predict(w, y, width, ls);
		y++;
	}
	if (src != NULL && src->text != NULL && src->text[0] != '\0') {
		if (hidden)
			y += draw_wrapped(w, y, 0, width, -1, ROLE_LABEL,
			    _("(The explanation appears once you have "
			    "answered.)"));
		else {
			txt = lv_render(s, src->text);
			y += draw_wrapped(w, y, 0, width, -1, ROLE_NORMAL,
			    txt);
			free(txt);
		}
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
	/* Warnings from the core, in their own colour. */
	for (i = 0; i < s->diags.n && i < DIAG_MAX; i++) {
		snprintf(buf, sizeof buf, "⚠ %s", s->diags.d[i].msg);
		y += draw_wrapped(w, y, 0, width, -1, ROLE_WARNING, buf);
	}
	y++;

	/* The pitfall, side by side. */
	if (s->show_pitfall && s->pitfall != PITFALL_NONE) {
		k = ls->ir < s->input.rows ? ls->ir : 0;
		y += sidebyside_draw(w, y, 0, width, s, k, hidden);
		y++;
	}

	/* The PyTorch line(s). */
	if (src != NULL && src->code != NULL && src->code[0] != '\0') {
		draw_str(w, y++, 0, width, ROLE_LABEL, _("PyTorch:"));
		y += draw_wrapped(w, y, 2, width - 2, -1, ROLE_CODE, src->code);
	}
	/* The same computation with the learner's current values. */
	{
		char	code[4096];

		pycode_format(s, code, sizeof code);
		draw_str(w, y++, 0, width, ROLE_LABEL,
		    _("PyTorch, with the values above (float64):"));
		y += draw_wrapped(w, y, 2, width - 2, -1, ROLE_CODE, code);
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
lv_draw_strip(int y, int cols, struct lv_step *ls)
{
	struct step	*s = &ls->st;
	char		 buf[512], v[64], d[64];
	int		 x, hidden = lv_hidden(ls);

	draw_fill(stdscr, y, 0, cols, ROLE_NORMAL);
	if (!s->ok) {
		snprintf(buf, sizeof buf, _("%s: %s"), _("error"), s->error);
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
	if (s->show_pitfall && s->pitfall != PITFALL_NONE) {
		if (s->pitfall_ok) {
			step_fmt(s->pres.value, 8, v, sizeof v);
			sidebyside_diff(s, d, sizeof d);
			snprintf(buf, sizeof buf, "   %s %s = %s (Δ %s)",
			    _("pitfall"), pitfall_name(s->pitfall), v, d);
			if (x + (int)text_width(buf) > cols)	/* shorter */
				snprintf(buf, sizeof buf, "  %s %s (Δ%s)",
				    _("pitfall"), v, d);
			draw_str(stdscr, y, x, cols - x,
			    sidebyside_differ(s->pres.value, s->res.value) ?
			    ROLE_DIFF : ROLE_PITFALL, buf);
		} else {
			snprintf(buf, sizeof buf, "   %s: %s", _("pitfall"),
			    s->pitfall_error);
			draw_str(stdscr, y, x, cols - x, ROLE_ERROR, buf);
		}
	}
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

void
lessonview_draw(struct ui *u)
{
	struct lv_layout	 L;
	struct lv_lesson	*LL = lv_lesson_cur();
	struct lv_step		*ls = lv_step_cur();
	struct plot_req		 req;
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
			    LL->lesson->title, _("step"), LL->cur + 1,
			    LL->nsteps);
		else
			snprintf(buf, sizeof buf, "losslab · %s",
			    _("benchmark"));
		x = (int)text_width(loss_name(ls->st.loss)) + 3;
		draw_trunc(stdscr, 0, 1, COLS - 1 - x, ROLE_TITLE, buf);
		draw_right(stdscr, 0, COLS - x + 1, x - 2, ROLE_TITLE,
		    loss_name(ls->st.loss));
	}

	/* The plot: its own pane, or at the end of the pad. */
	has_plot = lv_plot_req(u, ls, &req) == 0 && !u->bench;
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
			plotpane_want(&req, L.leftw, plot_rows);
		} else {
			ph = L.body - 1;
			plotpane_want(&req, L.plotw, ph);
		}
	} else {
		plotpane_want(NULL, 0, 0);
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
		if (plotpane_request() != NULL)
			snprintf(buf, sizeof buf, _("%s: %s"), _("plot"),
			    plot_kind_name(plotpane_request()->kind));
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
		    (int)text_width(more) - 2 : COLS, ls);
		if (more != NULL)
			draw_right(stdscr, L.strip, COLS - (int)text_width(more) -
			    1, (int)text_width(more), ROLE_LABEL, more);
	}
	if (L.bigh > 0) {
		int	y0 = L.top + L.body;

		lv_value_text(&ls->st, buf, sizeof buf, lv_hidden(ls), 1);
		draw_str(stdscr, y0, 0, COLS, ls->st.ok ? ROLE_HEADING :
		    ROLE_ERROR, buf);
		if (ls->st.ok && !lv_hidden(ls)) {
			char	v[64];

			step_fmt(ls->st.res.value, 6, v, sizeof v);
			x = lv_big(y0 + 1, 2, COLS - 2, ROLE_VALUE, v);
			if (ls->st.show_pitfall && ls->st.pitfall_ok) {
				step_fmt(ls->st.pres.value, 6, v, sizeof v);
				lv_big(y0 + 1, x + 8, COLS - x - 8,
				    ROLE_PITFALL, v);
				/* Its label above it, where the line is free. */
				if ((int)text_width(buf) < x + 6)
					draw_fmt(stdscr, y0, x + 8, COLS - x - 8,
					    ROLE_PITFALL, "%s %s", _("pitfall"),
					    pitfall_name(ls->st.pitfall));
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
	struct lv_lesson	*L = lv_lesson_cur();

	if (L == NULL || i >= L->nsteps || i == L->cur)
		return;
	if (lv_step_ensure(u, L, i) == -1)
		return;
	L->cur = i;
	lv.follow = 0;	/* a new step shows its narrative from the top */
	lv_autoplay_arm(u);
}

static void
lv_next_step(struct ui *u, int dir)
{
	struct lv_lesson	*L = lv_lesson_cur();

	if (L == NULL)
		return;
	if (dir > 0 && L->cur + 1 >= L->nsteps) {
		ui_message(u, ROLE_LABEL, "%s", _("This is the last step; "
		    "n opens the next lesson."));
		return;
	}
	if (dir < 0 && L->cur == 0) {
		ui_message(u, ROLE_LABEL, "%s", _("This is the first step."));
		return;
	}
	lv_goto_step(u, dir > 0 ? L->cur + 1 : L->cur - 1);
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

/* Apply v to the selected cell. */
static void
lv_set_cell(struct ui *u, struct lv_step *ls, enum step_field f, size_t r,
    size_t c, double v)
{
	struct table_grid	g;
	struct err	e;
	size_t		mr, mc;

	memset(&e, 0, sizeof e);
	lv_field_grid(&ls->st, f, &g);
	if (g.rows == 0 || r >= g.rows || c >= g.cols)
		return;
	table_grid_coord(&g, r, c, &mr, &mc);
	if (step_set_cell(&ls->st, f, mr, mc, v, &e) == -1)
		ui_message(u, ROLE_ERROR, "%s", e.msg);
	lv_clamp(ls);
}

/* Apply v to a vector option element or a scalar option. */
static void
lv_set_option(struct ui *u, struct lv_step *ls, const struct lv_opt *o,
    size_t el, double v)
{
	struct err	e;

	memset(&e, 0, sizeof e);
	if (o->kind == LV_OPT_VECTOR) {
		if (step_set_cell(&ls->st, o->field, 0, el, v, &e) == -1)
			ui_message(u, ROLE_ERROR, "%s", e.msg);
	} else if (o->kind == LV_OPT_SCALAR) {
		if (step_set_option(&ls->st, o->name, v, &e) == -1)
			ui_message(u, ROLE_ERROR, "%s", e.msg);
	}
	lv_clamp(ls);
}

/* 0.1 + 0.2 is 0.30000000000000004: snap such a sum of nudges to the
   short decimal it is meant to be, but leave real precision alone. */
static double
lv_snap(double v)
{
	double	r;

	if (!(fabs(v) < 1e6))
		return v;
	r = round(v * 1e9) / 1e9;
	return fabs(r - v) < 1e-12 * fmax(1, fabs(v)) ? r : v;
}

/* Give the step a weight or pos_weight of ones (one per class, the input's
   last dimension) when the lesson exposes it but the step has none. */
static int
lv_create_vector(struct ui *u, struct lv_step *ls, const struct lv_opt *o)
{
	struct step	*s = &ls->st;
	struct mat	*m = o->field == STEP_WEIGHT ? &s->weight :
			    &s->pos_weight;
	struct err	 e;
	size_t		 i, C = s->input.cols;

	if (C == 0)
		return -1;
	step_save(s);
	if (mat_alloc(m, 1, 1, C, &e) == -1) {
		ui_message(u, ROLE_ERROR, "%s", e.msg);
		step_undo(s);
		return -1;
	}
	for (i = 0; i < C; i++)
		m->v[i] = 1;
	step_compute(s);
	ui_message(u, ROLE_LABEL, _("%s set to ones, one per class (u undoes)"),
	    o->name);
	return 0;
}

/* +/- (small) and >/< (large) on the selection. */
static void
lv_nudge(struct ui *u, struct lv_step *ls, int dir, int large)
{
	const struct lv_opt	*opts[LV_NOPTS];
	const struct lv_opt	*o;
	struct table_grid		 g;
	struct mat		*m;
	double			 v, d;
	size_t			 nopt;

	if (ls->focus == LV_OPTIONS) {
		nopt = lv_options(ls, opts, LV_NOPTS);
		if (ls->opt >= nopt)
			return;
		o = opts[ls->opt];
		if (o->kind == LV_OPT_REDUCTION) {
			step_cycle_reduction(&ls->st);
			return;
		}
		d = (large ? o->large : o->small) * dir;
		if (o->kind == LV_OPT_VECTOR) {
			m = step_field_mat(&ls->st, o->field);
			if (m == NULL || mat_numel(m) == 0) {
				lv_create_vector(u, ls, o);
				return;
			}
			if (ls->optel >= mat_numel(m))
				return;
			lv_set_option(u, ls, o, ls->optel,
			    lv_snap(m->v[ls->optel] + d));
			return;
		}
		if (strcmp(o->name, "log_target") == 0)
			v = lv_opt_value(&ls->st, o) != 0 ? 0 : 1;
		else
			v = lv_snap(lv_opt_value(&ls->st, o) + d);
		lv_set_option(u, ls, o, 0, v);
		return;
	}
	lv_field_grid(&ls->st, ls->focus == LV_TARGET ? STEP_TARGET :
	    STEP_INPUT, &g);
	if (g.rows == 0)
		return;
	v = table_grid_at(&g, ls->r, ls->c);
	if (ls->focus == LV_TARGET && step_index_target(&ls->st))
		d = dir;		/* class indices move by one */
	else
		d = (large ? LV_NUDGE_LARGE : LV_NUDGE_SMALL) * dir;
	v = lv_snap(v + d);
	lv_set_cell(u, ls, ls->focus == LV_TARGET ? STEP_TARGET : STEP_INPUT,
	    ls->r, ls->c, v);
}

/* Enter: open the editor on the selection. */
static void
lv_edit_begin(struct ui *u, struct lv_step *ls)
{
	const struct lv_opt	*opts[LV_NOPTS];
	const struct lv_opt	*o;
	struct table_grid		 g;
	struct mat		*m;
	char			 prompt[128], val[64];
	size_t			 nopt;

	if (ls->focus == LV_OPTIONS) {
		nopt = lv_options(ls, opts, LV_NOPTS);
		if (ls->opt >= nopt)
			return;
		o = opts[ls->opt];
		if (o->kind == LV_OPT_REDUCTION) {
			step_cycle_reduction(&ls->st);
			ui_message(u, ROLE_LABEL, "reduction = %s",
			    loss_reduction_name(ls->st.opts.reduction));
			return;
		}
		if (o->kind == LV_OPT_VECTOR) {
			m = step_field_mat(&ls->st, o->field);
			if (m == NULL || mat_numel(m) == 0) {
				lv_create_vector(u, ls, o);
				return;
			}
			if (ls->optel >= mat_numel(m))
				return;
			snprintf(prompt, sizeof prompt, "%s[%zu] =", o->name,
			    ls->optel);
			step_fmt(m->v[ls->optel], 17, val, sizeof val);
		} else {
			snprintf(prompt, sizeof prompt, "%s =", o->name);
			step_fmt(lv_opt_value(&ls->st, o), 17, val,
			    sizeof val);
		}
		lv.editing = LV_EDIT_OPTION;
		lv.ed_opt = ls->opt;
		lv.ed_c = ls->optel;
		edit_begin(&lv.ed, prompt, val);
		return;
	}
	lv.ed_field = ls->focus == LV_TARGET ? STEP_TARGET : STEP_INPUT;
	lv_field_grid(&ls->st, lv.ed_field, &g);
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
	step_fmt(table_grid_at(&g, ls->r, ls->c), 17, val, sizeof val);
	edit_begin(&lv.ed, prompt, val);
}

static void
lv_edit_commit(struct ui *u, struct lv_step *ls)
{
	const struct lv_opt	*opts[LV_NOPTS];
	double			 v;
	size_t			 nopt;

	if (lv.editing == LV_EDIT_GUESS) {
		snprintf(ls->guess, sizeof ls->guess, "%s", lv.ed.buf);
		ls->answered = 1;
		return;
	}
	if (parse_double(lv.ed.buf, &v) == -1) {
		ui_message(u, ROLE_ERROR, _("'%s' is not a number; the old "
		    "value is kept"), lv.ed.buf);
		return;
	}
	if (lv.editing == LV_EDIT_CELL) {
		lv_set_cell(u, ls, lv.ed_field, lv.ed_r, lv.ed_c, v);
		return;
	}
	nopt = lv_options(ls, opts, LV_NOPTS);
	if (lv.ed_opt < nopt)
		lv_set_option(u, ls, opts[lv.ed_opt], lv.ed_c, v);
}

/* Arrow keys: move in a table, or change step outside one. */
static void
lv_move(struct ui *u, struct lv_step *ls, int dr, int dc)
{
	const struct lv_opt	*opts[LV_NOPTS];
	struct table_grid		 g;
	struct mat		*m;
	size_t			 nopt, n;

	lv.follow = 1;
	if (ls->focus == LV_OPTIONS) {
		nopt = lv_options(ls, opts, LV_NOPTS);
		if (dr != 0) {
			if (dr < 0 && ls->opt > 0)
				ls->opt--;
			else if (dr > 0 && ls->opt + 1 < nopt)
				ls->opt++;
			ls->optel = 0;
			return;
		}
		m = ls->opt < nopt && opts[ls->opt]->kind == LV_OPT_VECTOR ?
		    step_field_mat(&ls->st, opts[ls->opt]->field) : NULL;
		n = m != NULL ? mat_numel(m) : 0;
		if (dc > 0 && ls->optel + 1 < n)
			ls->optel++;
		else if (dc < 0 && ls->optel > 0 && n > 0)
			ls->optel--;
		else
			lv_next_step(u, dc);
		return;
	}
	lv_field_grid(&ls->st, ls->focus == LV_TARGET ? STEP_TARGET :
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
		else
			lv_next_step(u, 1);
	} else if (dc < 0) {
		if (ls->c > 0)
			ls->c--;
		else
			lv_next_step(u, -1);
	}
	lv_clamp(ls);
}

static void
lv_tab(struct ui *u, struct lv_step *ls, int dir)
{
	const struct lv_opt	*opts[LV_NOPTS];
	size_t			 nopt = lv_options(ls, opts, LV_NOPTS);
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
		ls->c = step_index_target(&ls->st) ? 0 : ls->ic;
	}
	lv_clamp(ls);
	lv.follow = 1;
}

/* A unique file name in the current directory for an export. */
static void
lv_export_path(const struct lv_lesson *L, const char *ext, char *buf,
    size_t len)
{
	struct stat	 sb;
	const char	*id = L->lesson != NULL ? L->lesson->id : "bench";
	int		 i;

	snprintf(buf, len, "losslab-%s-%zu.%s", id, L->cur + 1, ext);
	for (i = 2; i < 1000 && stat(buf, &sb) == 0; i++)
		snprintf(buf, len, "losslab-%s-%zu-%d.%s", id, L->cur + 1, i,
		    ext);
}

static void
lv_export(struct ui *u, int svg)
{
	const struct plot_req	*req = plotpane_request();
	struct lv_lesson	*L = lv_lesson_cur();
	char			 path[512], cwd[1024];
	struct err		 e;

	if (req == NULL || L == NULL) {
		ui_message(u, ROLE_ERROR, "%s", _("this step has no plot to "
		    "export"));
		return;
	}
	if (!plot_available()) {
		ui_message(u, ROLE_ERROR, "%s", _("gnuplot is not installed "
		    "(install gnuplot-nox)"));
		return;
	}
	lv_export_path(L, svg ? "svg" : "png", path, sizeof path);
	memset(&e, 0, sizeof e);
	if (plot_export(req, path, 0, 0, &e) == -1) {
		ui_message(u, ROLE_ERROR, _("%s: %s"), _("export failed"), e.msg);
		return;
	}
	if (getcwd(cwd, sizeof cwd) == NULL)
		snprintf(cwd, sizeof cwd, ".");
	ui_message(u, ROLE_CORRECT, _("plot written to %s/%s"), cwd, path);
}

/* w: save the lesson with the learner's values (every step: its edited
   tensors, options, loss and the pitfall as shown) as a new lesson file in
   the user's lesson directory, through lesson_write(). */
static void
lv_write(struct ui *u)
{
	struct lv_lesson	*L = lv_lesson_cur();
	struct lesson_step	*steps;
	struct step		*s;
	char			 path[4096], err[512], *title;
	size_t			 i;

	if (L == NULL || L->lesson == NULL) {
		ui_message(u, ROLE_ERROR, "%s", _("nothing to save here"));
		return;
	}
	/* the teacher's title, marked as the learner's copy */
	if (asprintf(&title, "%s%s", L->lesson->title,
	    _(" (my values)")) < 0) {
		ui_message(u, ROLE_ERROR, "%s", _("out of memory"));
		return;
	}
	steps = calloc(L->nsteps + 1, sizeof *steps);
	if (steps == NULL) {
		ui_message(u, ROLE_ERROR, "%s", _("out of memory"));
		free(title);
		return;
	}
	for (i = 0; i < L->nsteps; i++) {
		/* Shallow copies: lesson_write only reads them. */
		steps[i] = L->lesson->steps[i];
		if (!L->steps[i].inited)
			continue;
		s = &L->steps[i].st;
		steps[i].loss = s->loss;
		steps[i].input = s->input;
		steps[i].target = s->target;
		steps[i].weight = s->weight;
		steps[i].pos_weight = s->pos_weight;
		steps[i].opts = s->opts;
		steps[i].opts.weight = NULL;
		steps[i].opts.pos_weight = NULL;
		/* What is on screen: a pitfall shown with p is kept, one
		   hidden with p is dropped. */
		steps[i].pitfall = s->show_pitfall ? s->pitfall : PITFALL_NONE;
	}
	memset(path, 0, sizeof path);
	if (lesson_write(L->lesson, steps, NULL, title, path,
	    sizeof path, err, sizeof err) == -1)
		ui_message(u, ROLE_ERROR, _("%s: %s"), _("not saved"), err);
	else
		ui_message(u, ROLE_CORRECT, _("lesson saved to %s (it is in "
		    "the lesson list from the next start)"), path);
	free(steps);
	free(title);
}

/* A predict-first answer: choice (0-based) or -1 for "reveal". */
static void
lv_answer(struct ui *u, struct lv_step *ls, int choice)
{
	const struct lesson_predict *p;

	if (ls->st.src == NULL || ls->st.src->predict.question == NULL) {
		if (choice >= 0)
			ui_message(u, ROLE_LABEL, "%s", _("no question in this "
			    "step"));
		return;
	}
	p = &ls->st.src->predict;
	if (ls->answered) {
		ui_message(u, ROLE_LABEL, "%s", _("already answered"));
		return;
	}
	if (choice >= 0) {
		if (p->nchoices == 0 || choice >= p->nchoices)
			return;
		ls->choice = choice;
		ls->answered = 1;
		if (p->correct >= 0)
			ui_message(u, choice == p->correct ? ROLE_CORRECT :
			    ROLE_PITFALL, "%s", choice == p->correct ?
			    _("Right!") : _("Not quite -- see the answer."));
		return;
	}
	ls->answered = 1;
}

void
lessonview_key(struct ui *u, int key)
{
	struct lv_step	*ls = lv_step_cur();
	struct lv_lesson *L = lv_lesson_cur();

	if (ls == NULL || L == NULL) {
		u->screen = UI_SCREEN_LIST;
		return;
	}
	if (lv.ed.active) {
		switch (edit_key(&lv.ed, key)) {
		case EDIT_COMMIT:
			lv_edit_commit(u, ls);
			break;
		case EDIT_CANCEL:
			ui_message(u, ROLE_LABEL, "%s", _("edit cancelled"));
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
		lv_goto_step(u, L->nsteps - 1);
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
	case 'C': {
		struct err	e;
		int		r;
		size_t		row = ls->focus == LV_INPUT ? ls->r : ls->ir;
		size_t		col = ls->focus == LV_INPUT ? ls->c : ls->ic;

		memset(&e, 0, sizeof e);
		if (key == 'o')
			r = step_add_row(&ls->st, &e);
		else if (key == 'O')
			r = step_remove_row(&ls->st, ls->st.input.ndim == 2 ?
			    row : col, &e);
		else if (key == 'c')
			r = step_add_col(&ls->st, &e);
		else
			r = step_remove_col(&ls->st, col, &e);
		if (r == -1)
			ui_message(u, ROLE_ERROR, "%s", e.msg);
		else if (key == 'o' && ls->focus != LV_OPTIONS) {
			/* Select the new sample (or element). */
			if (ls->st.input.ndim == 2)
				ls->r = ls->st.input.rows - 1;
			else if (ls->focus == LV_INPUT ||
			    !step_index_target(&ls->st))
				ls->c = ls->st.input.cols - 1;
		} else if (key == 'c' && ls->focus == LV_INPUT)
			ls->c = ls->st.input.cols - 1;
		lv_clamp(ls);
		break;
	}
	case 'r':
		step_cycle_reduction(&ls->st);
		ui_message(u, ROLE_LABEL, "reduction = %s",
		    loss_reduction_name(ls->st.opts.reduction));
		break;
	case 'u':
		if (step_undo(&ls->st) == -1)
			ui_message(u, ROLE_LABEL, "%s", _("nothing to undo"));
		lv_clamp(ls);
		break;
	case 'R':
		step_reset(&ls->st);
		lv_clamp(ls);
		ui_message(u, ROLE_LABEL, "%s", _("step reset to the lesson's "
		    "values (u undoes)"));
		break;
	case 'p':
		if (step_toggle_pitfall(&ls->st))
			ui_message(u, ROLE_PITFALL, _("pitfall %s on your "
			    "inputs (p hides it)"), pitfall_name(ls->st.pitfall));
		else if (step_matching_pitfall(ls->st.loss) == PITFALL_NONE &&
		    (ls->st.src == NULL || ls->st.src->pitfall == PITFALL_NONE))
			ui_message(u, ROLE_LABEL, _("no pitfall applies to %s"),
			    loss_name(ls->st.loss));
		else
			ui_message(u, ROLE_LABEL, "%s", _("pitfall hidden"));
		lv.follow = 0;
		break;
	case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		lv_answer(u, ls, key - '1');
		break;
	case 'v':
		lv_answer(u, ls, -1);
		break;
	case 'g':
		if (ls->st.src != NULL && ls->st.src->predict.question != NULL &&
		    !ls->answered) {
			lv.editing = LV_EDIT_GUESS;
			edit_begin(&lv.ed, ls->st.src->predict.prompt != NULL ?
			    ls->st.src->predict.prompt : _("your guess:"), "");
		}
		break;
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
	struct lv_lesson	*L = lv_lesson_cur();
	int			 redraw = 0;

	if (!u->bench && plotpane_stale())
		redraw |= plotpane_refresh();
	if (lv.auto_on && u->app != NULL && u->app->autoplay > 0 &&
	    L != NULL && lv_now() >= (double)lv.next_auto.tv_sec +
	    (double)lv.next_auto.tv_nsec / 1e9) {
		if (L->cur + 1 < L->nsteps)
			lv_goto_step(u, L->cur + 1);
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
	lv.bench.nsteps = 1;
	lv.bench.steps = calloc(1, sizeof *lv.bench.steps);
	if (lv.bench.steps == NULL)
		goto out;
	if (step_init_values(&lv.bench.steps[0].st, LOSS_CE, &in, &tg, &o,
	    PITFALL_SOFTMAX_THEN_CE, &e) == -1) {
		step_free(&lv.bench.steps[0].st);
		goto out;
	}
	lv.bench.steps[0].inited = 1;
	lv.bench.steps[0].choice = -1;
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
