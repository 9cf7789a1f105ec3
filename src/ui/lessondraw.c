/*
 * lessondraw.c -- the lesson screen's drawing (lessonview.c has its state):
 * the title bar, the scrolled body in a pad, the plot pane, the result
 * strip or presenter mode's big figure, the hint bar, the editor line; and
 * the plot zoomed to the whole screen.  Everything comes from the session;
 * nothing here edits it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "lesson.h"
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
#include "ui/lessonview.h"
#include "ui/plotpane.h"
#include "ui/sidebyside.h"
#include "ui/trainchart.h"
#include "ui/table.h"
#include "ui/ui.h"

/* ---------------------------------------------------------------- draw -- */

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

/* "  [float32]", "  [float64; target int32]": the dtypes of the step
   (d switches the input's), for its header. */
static void
lv_dtype_tag(const struct step *s, char *buf, size_t len)
{
	if (s->target_dtype == DTYPE_COUNT)
		snprintf(buf, len, "  [%s]", dtype_name(s->dtype));
	else
		snprintf(buf, len, _("  [%s; target %s]"), dtype_name(s->dtype),
		    dtype_name(s->target_dtype));
}

/* How a result's float32 numbers were made, in a sentence; NULL for
   float64. */
static const char *
lv_f32_note(const struct loss_result *r)
{
	switch (r->f32) {
	case LOSS_F32_KERNEL:
		return _("float32, computed as torch computes float32");
	case LOSS_F32_ROUNDED:
		return _("float32: losslab computed float64 and rounded to "
		    "float32 (torch's float32 may differ in the last digits)");
	default:
		return NULL;
	}
}

/* The reduced value, said in words. */
static void
lv_value_text(const struct step *s, char *buf, size_t len, int hidden,
    int short_form)
{
	char	v[64], d[64];
	size_t	n = mat_numel(&s->res.elem);

	if (!s->ok && hidden) {
		/* whether torch refuses may be the question */
		snprintf(buf, len, "L = ?");
		return;
	}
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
			snprintf(buf, len, NG_("reduction='none': the output "
			    "is ℓ itself (%zu value); their sum Σℓ = %s is what "
			    "the gradient differentiates", "reduction='none': "
			    "the output is ℓ itself (%zu values); their sum Σℓ "
			    "= %s is what the gradient differentiates", n), n,
			    v);
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

/* Remember that a click at pad line y, columns [x0, x1) means h. */
static void
lv_hit(struct lv_hit h, int y, int x0, int x1)
{
	if (lv.nhits == LV_HITS_MAX)
		return;
	h.y = y;
	h.x0 = x0;
	h.x1 = x1;
	lv.hits[lv.nhits++] = h;
}

/* The cells of a drawn table (field f) as click targets. */
static void
lv_hit_table(const struct table *t, enum step_field f)
{
	struct lv_hit	h;
	size_t		r, c;
	int		x;

	memset(&h, 0, sizeof h);
	h.kind = LV_HIT_CELL;
	h.field = f;
	for (r = 0; r < t->g.rows; r++)
		for (c = t->c0; c < t->c1; c++) {
			h.r = r;
			h.c = c;
			x = table_cell_x(t, c);
			lv_hit(h, t->at_y + 2 + (int)r, x, x + TABLE_CELLW);
		}
}

/* Render a template and draw it; returns lines. */
static int
lv_draw_template(WINDOW *w, int y, int x, int width, int role,
    const char *tmpl)
{
	struct session_text	 t = SESSION_TEXT_INIT;
	int			 n;

	if (session_render(lessonview_ss(), tmpl, &t) != 0)
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

	if (session_render(lessonview_ss(), tmpl, &t) != 0)
		return strdup("");
	r = session_text_join(&t, "⚠ ");
	session_text_free(&t);
	return r != NULL ? r : strdup("");
}

/* The predict-first block (with its explanation unless with_explain is
   0: then lv_draw_explain draws it later); returns lines used. */
static int
lv_draw_predict(WINDOW *w, int y, int width, int with_explain)
{
	const struct step	*s = lessonview_st();
	const struct session_step *sp = session_cur_const(lessonview_ss());
	const struct lesson_predict *p = &s->src->predict;
	struct session_quiz	 q;
	char			*t, line[768], v[64];
	int			 n = 0, i, role;

	session_quiz(lessonview_ss(), &q);
	if (q.tied)
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_WARNING,
		    session_train(lessonview_ss()) != NULL ?
		    _("⚠ This question is about the runs with the lesson's "
		    "learning rate and momentum, not the ones on screen: its "
		    "answer is theirs (set them back with + - < >, then R).") :
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
		{
			struct lv_hit	h;
			int		k = draw_wrapped(w, y + n, 0, width, -1,
					    role, line);

			memset(&h, 0, sizeof h);
			h.kind = LV_HIT_CHOICE;
			h.choice = i;
			for (role = 0; role < k; role++)
				lv_hit(h, y + n + role, 0, width);
			n += k;
		}
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
		snprintf(line, sizeof line, _("%s: %s"),
		    C_("the answer", "answer"), t);
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_VALUE, line);
		free(t);
	}
	if (p->explain != NULL && with_explain)
		n += lv_draw_template(w, y + n, 0, width, ROLE_NORMAL,
		    p->explain);
	return n;
}

/* The options in one line, for a small screen while they are not being
   edited: "options: reduction = mean, weight = none (Tab)"; returns the
   lines used. */
static int
lv_draw_options_line(WINDOW *w, int y, int width)
{
	const struct session_opt *opts[LV_NOPTS];
	struct session		*ss = lessonview_ss();
	struct step		*s = lessonview_st();
	struct mat		*m;
	size_t			 nopt, i;
	char			 line[768], v[64], fixed[512];

	nopt = session_options(ss, opts, LV_NOPTS);
	snprintf(line, sizeof line, "%s ", _("options:"));
	for (i = 0; i < nopt; i++) {
		switch (opts[i]->kind) {
		case SESSION_OPT_REDUCTION:
			snprintf(v, sizeof v, "%s",
			    loss_reduction_name(s->opts.reduction));
			break;
		case SESSION_OPT_SCALAR:
			step_fmt(session_option_value(ss, opts[i]), 6, v,
			    sizeof v);
			break;
		case SESSION_OPT_VECTOR:
			m = step_field_mat(s, opts[i]->field);
			snprintf(v, sizeof v, "%s", m == NULL ||
			    mat_numel(m) == 0 ? "none" : "[…]");
			break;
		}
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s%s = %s", i ? ", " : "", opts[i]->name, v);
	}
	if (nopt > 0)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    " %s", _("(Tab to edit)"));
	session_fixed_options(ss, fixed, sizeof fixed);
	if (fixed[0] != '\0')
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s%s %s", nopt > 0 ? "; " : "", _("fixed:"), fixed);
	return draw_wrapped(w, y, 0, width, -1, ROLE_LABEL, line);
}

/* The options block; returns lines used. */
static int
lv_draw_options(WINDOW *w, int y, int width, struct lv_step *ls)
{
	const struct session_opt *opts[LV_NOPTS];
	struct session		*ss = lessonview_ss();
	struct step		*s = lessonview_st();
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

/* The narrative of the step, or the line saying it waits for the answer;
   returns lines (with the blank line after). */
static int
lv_draw_narrative(WINDOW *w, int y, int width, int hidden)
{
	const struct lesson_step *src = lessonview_st()->src;
	int			 n = 0;

	if (src == NULL || src->text == NULL || src->text[0] == '\0')
		return 0;
	if (hidden)
		n += draw_wrapped(w, y, 0, width, -1, ROLE_LABEL,
		    _("(The explanation appears once you have answered.)"));
	else
		n += lv_draw_template(w, y, 0, width, ROLE_NORMAL, src->text);
	return n + 1;
}

/* The inputs and targets, side by side; returns lines (blank after). */
static int
lv_draw_inputs(WINDOW *w, int y, int width, struct lv_step *ls)
{
	struct step	*s = lessonview_st();
	struct table	 t[2];
	char		 buf[64], name[128];
	int		 n;

	memset(t, 0, sizeof t);
	snprintf(name, sizeof name, "%s %s", lv_input_name(s->loss),
	    mat_shape_str(&s->input, buf, sizeof buf));
	t[0].title = name;
	lessonview_grid(s, STEP_INPUT, &t[0].g);
	t[0].role = ROLE_INPUT;
	t[0].focused = ls->focus == LV_INPUT;
	t[0].sr = ls->r;
	t[0].sc = ls->c;
	t[0].rowlab = s->input.ndim == 2;
	t[0].coloff = (int)ls->ic;
	t[1].title = step_index_target(s) ? _("target y (class index)") :
	    _("target y");
	lessonview_grid(s, STEP_TARGET, &t[1].g);
	t[1].role = ROLE_INPUT;
	t[1].focused = ls->focus == LV_TARGET;
	t[1].sr = ls->r;
	t[1].sc = ls->c;
	t[1].rowlab = s->target.ndim == 2 || t[1].g.column;
	t[1].colhead = _("class");
	t[1].coloff = t[1].g.cols == t[0].g.cols ? (int)ls->ic : 0;
	n = table_flow(w, y, width, t, 2, &lv.sel_y0, &lv.sel_y1);
	lv_hit_table(&t[0], STEP_INPUT);
	lv_hit_table(&t[1], STEP_TARGET);
	return n + 1;
}

/* The results: the reduced value in words, the loss per element and the
   gradient (unless tables is 0: the pitfall pane lists them), the core's
   warnings; returns lines (blank after). */
static int
lv_draw_results(WINDOW *w, int y, int width, struct lv_step *ls, int hidden,
    int tables)
{
	struct step	*s = lessonview_st();
	struct table	 t[2];
	char		 buf[1024], name[128];
	int		 n = 0, i;

	/* "results" and the value on one line when they fit */
	i = draw_str(w, y + n, 0, width, ROLE_HEADING, _("results")) + 2;
	lv_value_text(s, buf, sizeof buf, hidden, 0);
	if (i + (int)text_width(buf) > width) {
		n++;
		i = 2;
	}
	n += draw_wrapped(w, y + n, i, width - i, -1, s->ok || hidden ?
	    ROLE_VALUE : ROLE_ERROR, buf);
	if (!s->ok && !hidden && s->dtype_hint != NULL)
		n += draw_wrapped(w, y + n, 2, width - 2, -1, ROLE_WARNING,
		    _(s->dtype_hint));
	if (s->ok && !hidden && lv_f32_note(&s->res) != NULL)
		n += draw_wrapped(w, y + n, 2, width - 2, -1, ROLE_LABEL,
		    lv_f32_note(&s->res));
	if (s->ok && tables) {
		memset(t, 0, sizeof t);
		t[0].title = s->res.elem_scalar ?
		    _("loss ℓ (one value)") : _("loss ℓ per element");
		if (mat_numel(&s->res.elem) == s->input.rows &&
		    s->input.ndim == 2)
			t[0].title = _("loss ℓ per sample");
		table_grid(&t[0].g, &s->res.elem, s->res.elem.ndim == 1 &&
		    s->input.ndim == 2);
		t[0].role = ROLE_VALUE;
		t[0].hidden = hidden;
		t[0].rowlab = s->res.elem.ndim == 2 || t[0].g.column;
		t[0].colhead = "ℓ";
		t[0].coloff = t[0].g.cols == s->input.cols ? (int)ls->ic : 0;
		snprintf(name, sizeof name, "%s%s", loss_grad_label(s->loss),
		    s->opts.reduction == LOSS_REDUCTION_NONE ?
		    _(" (of Σℓ)") : "");
		t[1].title = name;
		table_grid(&t[1].g, &s->res.grad, 0);
		t[1].role = ROLE_GRADIENT;
		t[1].hidden = hidden;
		t[1].rowlab = s->res.grad.ndim == 2;
		t[1].coloff = (int)ls->ic;
		n += table_flow(w, y + n, width, t, 2, NULL, NULL);
	}
	/* Warnings from the core, in their own colour (they could tell the
	   answer, so they wait for it too). */
	if (hidden && s->diags.n > 0)
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_LABEL,
		    _("(warnings appear with the answer)"));
	for (i = 0; !hidden && i < s->diags.n && i < DIAG_MAX; i++) {
		snprintf(buf, sizeof buf, "⚠ %s", s->diags.d[i].msg);
		n += draw_wrapped(w, y + n, 0, width, -1, ROLE_WARNING, buf);
	}
	return n + 1;
}

/* The lesson's PyTorch lines (their comments could give the answer away)
   and the same computation with the learner's values; returns lines. */
static int
lv_draw_pytorch(WINDOW *w, int y, int width, int hidden)
{
	struct session	*ss = lessonview_ss();
	struct step	*s = lessonview_st();
	const struct lesson_step *src = s->src;
	char		*code, live[4096];
	int		 n = 0;

	if (src != NULL && src->code != NULL && src->code[0] != '\0') {
		draw_str(w, y + n++, 0, width, ROLE_LABEL,
		    session_edited(ss, ss->cur) ? _("PyTorch (as written for "
		    "the lesson's values):") : _("PyTorch:"));
		code = hidden ? pycode_hide_comments(src->code) :
		    strdup(src->code);
		if (code != NULL)
			n += lv_draw_code(w, y + n, 2, width - 2, code);
		free(code);
	}
	pycode_format(s, !hidden, live, sizeof live);
	draw_fmt(w, y + n++, 0, width, ROLE_LABEL,
	    _("PyTorch, with the values above (%s):"), dtype_name(s->dtype));
	n += lv_draw_code(w, y + n, 2, width - 2, live);
	return n;
}

/*
 * Draw the whole scrollable body into w (width columns); returns lines.
 * With the plot beside it (wide terminals) the narrative comes first, as
 * in a book; on a small screen (essentials != 0) the step's numbers come
 * first -- the question, the tables, the results and the pitfall
 * comparison -- and the narrative, the options and the code follow.
 */
static int
lv_draw_body(struct ui *u, WINDOW *w, int width, struct lv_step *ls,
    int with_plot, int plot_rows, int essentials)
{
	struct session		*ss = lessonview_ss();
	struct step		*s = lessonview_st();
	const struct lesson	*l = s->lesson;
	const struct lesson_step *src = s->src;
	char			 buf[1024], *title;
	int			 y = 0, hidden = lessonview_hidden();
	size_t			 k;

	lv.sel_y0 = lv.sel_y1 = 0;
	lv.nhits = 0;
	/* Step title, and whose values these are. */
	if (l != NULL) {
		/* a title may follow the values too */
		title = template_render(s, src != NULL ? src->title : NULL,
		    NULL);
		snprintf(buf, sizeof buf, _("Step %zu/%zu: %s"), ss->cur + 1,
		    l->nsteps, title != NULL ? title : "");
		free(title);
		lv_dtype_tag(s, buf + strlen(buf), sizeof buf - strlen(buf));
		y += draw_wrapped(w, y, 0, width, -1, ROLE_HEADING, buf);
		if (session_edited(ss, ss->cur))
			y += draw_wrapped(w, y, 0, width, -1, ROLE_LABEL,
			    _("With your values (R restores the lesson's)."));
	}
	/* Predict first: the question comes first, and the narrative (which
	   explains, with the live numbers) only once it is answered. */
	/* A training step: its live chart first once it may run (before,
	   the question, and one line saying that it waits). */
	if (session_train(ss) != NULL && !hidden) {
		y += trainchart_draw(w, y, width, ss, hidden);
		y++;
	}
	if (src != NULL && src->predict.question != NULL) {
		y += lv_draw_predict(w, y, width, !essentials);
		y++;
	}
	if (session_train(ss) != NULL && hidden) {
		y += trainchart_draw(w, y, width, ss, hidden);
		y++;
	}
	if (!essentials)
		y += lv_draw_narrative(w, y, width, hidden);
	y += lv_draw_inputs(w, y, width, ls);
	if (!essentials || ls->focus == LV_OPTIONS) {
		y += lv_draw_options(w, y, width, ls);
		y++;
	}
	/* on a small screen the pitfall pane stands for the loss and
	   gradient tables: it lists both pipelines' */
	y += lv_draw_results(w, y, width, ls, hidden, !essentials ||
	    !s->show_pitfall || s->pitfall == PITFALL_NONE);
	/* The pitfall, side by side. */
	if (s->show_pitfall && s->pitfall != PITFALL_NONE) {
		k = ls->ir < s->input.rows ? ls->ir : 0;
		y += sidebyside_draw(w, y, 0, width, ss, k, hidden);
		if (!hidden && s->pitfall_ok && s->pres.f32 != s->res.f32 &&
		    lv_f32_note(&s->pres) != NULL) {
			snprintf(buf, sizeof buf, "%s %s: %s", _("pitfall"),
			    pitfall_name(s->pitfall), lv_f32_note(&s->pres));
			y += draw_wrapped(w, y, 0, width, -1, ROLE_LABEL, buf);
		}
		y++;
	}
	if (essentials) {
		if (src != NULL && src->predict.explain != NULL && !hidden) {
			y += lv_draw_template(w, y, 0, width, ROLE_NORMAL,
			    src->predict.explain);
			y++;
		}
		y += lv_draw_narrative(w, y, width, hidden);
		if (ls->focus != LV_OPTIONS) {
			y += lv_draw_options_line(w, y, width);
			y++;
		}
	}
	y += lv_draw_pytorch(w, y, width, hidden);

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

/* The hint bar: the most useful keys first, as many as fit. */
static void
lv_draw_hint(int y, int cols, int has_plot, int has_pitfall, int has_question,
    int trains)
{
	static const struct {
		const char	*key, *what;
		int		 when;	/* 0 always, 1 a plot, 2 a pitfall
					   fits, 3 a question, 4 always (d:
					   the dtype it switches to) */
	} hints[] = {
		{ "?", N_("help"), 0 }, { "Enter", N_("edit"), 0 },
		{ "+/-", N_("nudge"), 0 }, { "Space", N_("next"), 0 },
		{ "1-9", N_("answer"), 3 }, { "z", N_("plot"), 1 },
		{ "p", N_("pitfall"), 2 }, { "r", N_("reduction"), 0 },
		{ "u", N_("undo"), 0 }, { "Tab", N_("area"), 0 },
		{ "n/N", N_("lesson"), 0 }, { "q", N_("back"), 0 },
		{ "d", "float32", 4 },
	};
	static const struct {
		const char	*key, *what;
	} training[] = {
		{ "?", N_("help") }, { "Space", N_("pause") },
		{ "s", N_("step") }, { "+/-", N_("lr") },
		{ "</>", N_("momentum") }, { "R", N_("restart") },
		{ "]", N_("next") }, { "q", N_("back") },
	};
	static const struct {
		const char	*key, *what;
	} playing[] = {
		{ "Space", N_("pause") }, { "z", N_("plot") },
		{ "q", N_("back") }, { "Q", N_("quit") },
	};
	size_t	i;
	int	x = 0, kw, ww;
	const char *what;

	draw_fill(stdscr, y, 0, cols, ROLE_HINT);
	if (lessonview_autoplaying()) {
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT,
		    _("autoplay  "));
		for (i = 0; i < sizeof playing / sizeof playing[0]; i++) {
			x += draw_str(stdscr, y, x, cols - x, ROLE_HINTKEY,
			    playing[i].key);
			x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, " ");
			x += draw_str(stdscr, y, x, cols - x, ROLE_HINT,
			    _(playing[i].what));
			x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, "  ");
		}
		return;
	}
	for (i = 0; trains && i < sizeof training / sizeof training[0];
	    i++) {
		kw = (int)text_width(training[i].key);
		ww = (int)text_width(_(training[i].what));
		if (x + kw + ww + 2 > cols)
			continue;
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINTKEY,
		    training[i].key);
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, " ");
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT,
		    _(training[i].what));
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, "  ");
	}
	for (i = 0; !trains && i < sizeof hints / sizeof hints[0]; i++) {
		if ((hints[i].when == 1 && !has_plot) ||
		    (hints[i].when == 2 && !has_pitfall) ||
		    (hints[i].when == 3 && !has_question))
			continue;
		/* a paused autoplay: Space resumes it */
		what = lv.auto_on && lv.auto_paused && hints[i].key[0] == 'S' ?
		    _("resume") : _(hints[i].what);
		/* d names the dtype it switches to (not a word to translate) */
		if (hints[i].when == 4)
			what = lessonview_st()->dtype == DTYPE_FLOAT ?
			    "float64" : "float32";
		kw = (int)text_width(hints[i].key);
		ww = (int)text_width(what);
		if (x + kw + ww + 2 > cols)
			continue;	/* a shorter one may still fit */
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINTKEY,
		    hints[i].key);
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, " ");
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, what);
		x += draw_str(stdscr, y, x, cols - x, ROLE_HINT, "  ");
	}
}

/* The fixed one-line result strip. */
static void
lv_draw_strip(int y, int cols)
{
	struct step		*s = lessonview_st();
	struct session_cmp	 c;
	char			 buf[512], v[64], d[64];
	int			 x, hidden = lessonview_hidden();

	draw_fill(stdscr, y, 0, cols, ROLE_NORMAL);
	/* a training step: its runs, which its chart shows */
	if (session_train(lessonview_ss()) != NULL && !hidden) {
		const struct session_train *tr = session_train(lessonview_ss());

		step_fmt(s->train.correct_loss, 6, v, sizeof v);
		snprintf(buf, sizeof buf, _("epoch %ld: loss %s"),
		    tr->run.epoch, v);
		x = draw_str(stdscr, y, 0, cols, ROLE_VALUE, buf);
		if (tr->has_pitfall && tr->prun.state == TRAIN_REFUSED)
			draw_fmt(stdscr, y, x, cols - x, ROLE_ERROR,
			    _("   %s: torch refuses it"),
			    pitfall_name(tr->prun.spec.pitfall));
		else if (tr->has_pitfall) {
			step_fmt(s->train.p_correct_loss, 6, v, sizeof v);
			step_fmt(s->train.p_loss, 6, d, sizeof d);
			snprintf(buf, sizeof buf, _("   %s: correct loss %s "
			    "(its own %s)"), pitfall_name(tr->prun.spec.pitfall),
			    v, d);
			draw_str(stdscr, y, x, cols - x, ROLE_PITFALL, buf);
		}
		return;
	}
	if (!s->ok && !hidden) {
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
	if (session_cmp(lessonview_ss(), &c) != 0)
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
lessondraw_lesson(struct ui *u)
{
	struct lv_layout	 L;
	struct lv_lesson	*LL = lessonview_lesson();
	struct lv_step		*ls = lessonview_ui();
	struct session		*ss = lessonview_ss();
	struct step		*s = lessonview_st();
	struct plot_req		 req;
	enum session_plot_state	 pst;
	const char		*pmsg;
	char			 buf[512];
	int			 h, plot_rows = 0, inpad, ph, x, has_plot, ess;

	erase();
	if (LL == NULL || ls == NULL) {
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
	pst = u->bench == UI_BENCH_TEXT ? SESSION_PLOT_NONE :
	    session_plot(ss, &req, &lv.cells);
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
			    plot_rows, pmsg, 0);
		} else {
			ph = L.body - 1;
			plotpane_want(pmsg == NULL ? &req : NULL, L.plotw, ph,
			    pmsg, 1);
		}
	} else {
		plotpane_want(NULL, 0, 0, NULL, 0);
		plot_rows = 0;
	}
	lessonview_timeout(u);

	/* The scrolled body. */
	if (lv_pad(L.leftw, 200) == -1)
		return;
	werase(lv.pad);
	/* the numbers first where the screen is small or a pitfall is
	   compared; else the narrative */
	ess = inpad || LINES < 40 || (s->show_pitfall &&
	    s->pitfall != PITFALL_NONE);
	h = lv_draw_body(u, lv.pad, L.leftw, ls, inpad, plot_rows, ess);
	if (h > lv.padh) {
		if (lv_pad(L.leftw, h + 50) == -1)
			return;
		werase(lv.pad);
		h = lv_draw_body(u, lv.pad, L.leftw, ls, inpad, plot_rows, ess);
	}
	lv.top = L.top;
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

		lv_value_text(s, buf, sizeof buf, lessonview_hidden(), 1);
		draw_str(stdscr, y0, 0, COLS, s->ok ? ROLE_HEADING :
		    ROLE_ERROR, buf);
		if (s->ok && !lessonview_hidden()) {
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
	if (L.hint >= 0) {
		enum pitfall_id	fit[PITFALL_COUNT];
		struct session_quiz q;

		session_quiz(ss, &q);
		lv_draw_hint(L.hint, COLS, has_plot, step_pitfalls(s, fit) > 0,
		    q.has && q.hidden, session_train(ss) != NULL &&
		    !(q.has && q.hidden));
	}
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


/* The current plot on the whole screen (z): a title line, the plot, the
   result strip and a hint line; the plot pane does the drawing. */
void
lessondraw_zoom(struct ui *u)
{
	struct session		*ss = lessonview_ss();
	struct plot_req		 req;
	enum session_plot_state	 pst;
	const char		*pmsg;
	char			 buf[256];

	erase();
	if (ss == NULL) {
		wnoutrefresh(stdscr);
		return;
	}
	pst = session_plot(ss, &req, &lv.cells);
	pmsg = lv_plot_message(pst);
	req.lang = u->lang;
	draw_fill(stdscr, 0, 0, COLS, ROLE_TITLE);
	snprintf(buf, sizeof buf, "losslab · %s · %s %zu/%zu · %s",
	    ss->lesson != NULL ? ss->lesson->title : _("benchmark"), _("step"),
	    ss->cur + 1, ss->nsteps, pst == SESSION_PLOT_OK ?
	    plot_kind_name(req.kind) : _("plot"));
	draw_trunc(stdscr, 0, 1, COLS - 2, ROLE_TITLE, buf);
	plotpane_want(pmsg == NULL ? &req : NULL, COLS, LINES - 3, pmsg, 1);
	lessonview_timeout(u);
	plotpane_draw(stdscr, 1, 0, COLS, LINES - 3);
	lv_draw_strip(LINES - 2, COLS);
	draw_fill(stdscr, LINES - 1, 0, COLS, ROLE_HINT);
	if (u->msg[0] != '\0')
		draw_str(stdscr, LINES - 1, 0, COLS, u->msg_role, u->msg);
	else
		draw_str(stdscr, LINES - 1, 1, COLS - 2, ROLE_HINT,
		    _("z, q or Esc back   +/- nudge   ←→ cell   Space next   "
		    "p pitfall"));
	wnoutrefresh(stdscr);
}
