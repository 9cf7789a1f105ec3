/*
 * dump.c -- a lesson as plain text: title, then for every step its heading,
 * the predict-first question, the narrative (rendered by the session, with
 * what does not hold for the values marked), the values table, the
 * per-element loss, the reduced value and what it is, the gradient, the
 * core's warnings, the pitfall pipeline beside the correct one, the answer,
 * the `losslab plot` command that draws the step's plot and the PyTorch
 * code (wrapped so that it stays Python).
 *
 * Everything comes from the session (session.h, i.e. from the core); this
 * file only lays it out, measuring text with text.h so Chinese lines up
 * too.  What the lesson file says (titles, summary, narrative, questions,
 * choices, code) and the messages that quote it reach the terminal
 * escaped (safeout.h), before it is measured: a control character shows
 * as \x1b and takes the columns it shows in.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dump.h"
#include "i18n.h"
#include "pycode.h"
#include "safeout.h"
#include "session.h"
#include "template.h"
#include "text.h"

/* Print s (one line: a message) escaped and wrapped to cols columns; the
   first line as is, the others indented by hang spaces. */
static int
dump_wrapped_hang(FILE *out, const char *s, int cols, int hang)
{
	char		*w, *e;
	const char	*p, *nl;
	int		 first = 1;

	if ((e = safeout_strdup(s, SAFEOUT_LINE)) == NULL)
		return -1;
	/* wrap the first line at full width, the rest narrower: simplest is
	   to wrap everything at cols - hang (a little narrower) */
	w = text_wrap(e, cols - hang);
	free(e);
	if (w == NULL)
		return -1;
	for (p = w;;) {
		nl = strchr(p, '\n');
		if (!first)
			fprintf(out, "%*s", hang, "");
		first = 0;
		fprintf(out, "%.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(w);
	return 0;
}

/* Print s (lines of text) escaped and wrapped to cols columns, each line
   prefixed by indent spaces. */
static int
dump_wrapped(FILE *out, const char *s, int cols, int indent)
{
	char		*w, *e;
	const char	*p, *nl;

	if ((e = safeout_strdup(s, SAFEOUT_TEXT)) == NULL)
		return -1;
	w = text_wrap(e, cols - indent);
	free(e);
	if (w == NULL)
		return -1;
	for (p = w;;) {
		nl = strchr(p, '\n');
		if (nl != p && *p != '\0')
			fprintf(out, "%*s", indent, "");
		fprintf(out, "%.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(w);
	return 0;
}

/* Print prefix + s wrapped to cols, continuation lines indented by
   hang spaces. */
static int
dump_hanging(FILE *out, const char *prefix, const char *s, int cols, int hang)
{
	char	*all;
	int	 rc;

	if (asprintf(&all, "%s%s", prefix, s) < 0)
		return -1;
	rc = dump_wrapped_hang(out, all, cols, hang);
	free(all);
	return rc;
}

/* A shell command, indented by 2, broken between its arguments with
   " \\" so that what is printed can be pasted into a shell as it is. */
static void
dump_command(FILE *out, const char *cmd, int cols)
{
	const char	*p, *brk, *q;
	char		*all;
	int		 width = cols - 2, first = 1;

	if ((all = safeout_strdup(cmd, SAFEOUT_LINE)) == NULL)
		return;
	for (p = all; *p != '\0'; ) {
		/* the longest run of arguments that fits with " \\" */
		brk = NULL;
		for (q = p; *q != '\0'; q++)
			if (*q == ' ' && (int)text_width_n(p, (size_t)(q - p)) +
			    2 <= width)
				brk = q;
		if ((int)text_width(p) <= width || brk == NULL) {
			fprintf(out, "%*s%s\n", first ? 2 : 6, "", p);
			break;
		}
		fprintf(out, "%*s%.*s \\\n", first ? 2 : 6, "", (int)(brk - p),
		    p);
		p = brk + 1;
		if (first)
			width -= 4;
		first = 0;
	}
	free(all);
}

/* Render a template through the session and print it wrapped, each
   paragraph's note after it ("  ! ..." lines). */
static int
dump_template(FILE *out, const struct session *ss, const char *tmpl,
    int cols, int indent)
{
	struct session_text	 t = SESSION_TEXT_INIT;
	char			*r;
	int			 rc;

	if (session_render(ss, tmpl, &t) != 0)
		return -1;
	r = session_text_join(&t, "! ");
	session_text_free(&t);
	if (r == NULL)
		return -1;
	rc = dump_wrapped(out, r, cols, indent);
	free(r);
	return rc;
}

static const char *
dump_kind_name(enum loss_id id)
{
	return _(loss_input_kind_name(id));
}

/* Whether the loss gives one value per sample rather than per element. */
static int
dump_per_sample(enum loss_id id)
{
	return id == LOSS_CE || id == LOSS_NLL || id == LOSS_MULTI_MARGIN ||
	    id == LOSS_MULTILABEL_SOFT_MARGIN;
}

const char *
dump_value_what(const struct step *s, char *buf, size_t len)
{
	char		 d[64];
	const struct loss_result *r = &s->res;
	size_t		 n = mat_numel(&r->elem);
	/* the denominator as a count for the plural: 1 only when it is 1 */
	unsigned long	 dn = r->denom == 1 ? 1 : 2;
	int		 per_sample;

	if (!s->ok) {
		snprintf(buf, len, "%s", s->error);
		return buf;
	}
	per_sample = dump_per_sample(s->loss);
	step_fmt(r->denom, 0, d, sizeof d);
	switch (s->opts.reduction) {
	case LOSS_REDUCTION_NONE:
		snprintf(buf, len, _("reduction='none': the output is the %zu "
		    "values above; shown here: their sum"), n);
		break;
	case LOSS_REDUCTION_SUM:
		snprintf(buf, len, per_sample ? NG_("sum over %zu sample",
		    "sum over %zu samples", n) : NG_("sum over %zu element",
		    "sum over %zu elements", n), n);
		break;
	case LOSS_REDUCTION_BATCHMEAN:
		snprintf(buf, len, _("sum divided by the batch size %s"), d);
		break;
	case LOSS_REDUCTION_MEAN:
		if ((s->loss == LOSS_CE || s->loss == LOSS_NLL) &&
		    r->index_target && s->weight.ndim)
			snprintf(buf, len, _("weighted mean: sum divided by "
			    "the sum of the target classes' weights, %s"), d);
		else if ((s->loss == LOSS_CE || s->loss == LOSS_NLL) &&
		    r->index_target && r->denom != (double)n)
			snprintf(buf, len, _("mean over %s non-ignored "
			    "samples"), d);
		else if (s->loss == LOSS_MULTILABEL_SOFT_MARGIN ||
		    s->loss == LOSS_MULTI_MARGIN)
			snprintf(buf, len, NG_("mean over %s sample; its loss "
			    "is already averaged over its %zu classes",
			    "mean over %s samples; each sample's loss is "
			    "already averaged over its %zu classes", dn), d,
			    s->input.cols);
		else if (per_sample)
			snprintf(buf, len, NG_("mean over %s sample",
			    "mean over %s samples", dn), d);
		else
			snprintf(buf, len, NG_("mean over %s element",
			    "mean over %s elements", dn), d);
		break;
	}
	return buf;
}

/* A table of cells: rows x cols strings, printed right-aligned. */
struct dtable {
	size_t	 rows, cols;
	char	**cell;
};

static int
dt_init(struct dtable *t, size_t rows, size_t cols)
{
	t->rows = rows;
	t->cols = cols;
	t->cell = calloc(rows * cols > 0 ? rows * cols : 1, sizeof *t->cell);
	return t->cell == NULL ? -1 : 0;
}

static void
dt_set(struct dtable *t, size_t r, size_t c, const char *s)
{
	free(t->cell[r * t->cols + c]);
	t->cell[r * t->cols + c] = safeout_strdup(s, SAFEOUT_LINE);
}

static void
dt_num(struct dtable *t, size_t r, size_t c, double v)
{
	char	buf[64];

	dt_set(t, r, c, step_fmt(v, 0, buf, sizeof buf));
}

static void
dt_print(FILE *out, struct dtable *t, int indent)
{
	size_t	 r, c, w, *cw;
	char	*p;

	if ((cw = calloc(t->cols ? t->cols : 1, sizeof *cw)) == NULL)
		return;
	for (c = 0; c < t->cols; c++)
		for (r = 0; r < t->rows; r++)
			if (t->cell[r * t->cols + c] != NULL &&
			    (w = text_width(t->cell[r * t->cols + c])) > cw[c])
				cw[c] = w;
	for (r = 0; r < t->rows; r++) {
		fprintf(out, "%*s", indent, "");
		for (c = 0; c < t->cols; c++) {
			p = text_pad(t->cell[r * t->cols + c] ?
			    t->cell[r * t->cols + c] : "", (int)cw[c], c > 0);
			if (p == NULL)
				continue;
			/* trim the padding of the last column */
			if (c + 1 == t->cols) {
				size_t l = strlen(p);
				while (l > 0 && p[l - 1] == ' ')
					p[--l] = '\0';
			}
			fprintf(out, "%s%s", c > 0 ? "  " : "", p);
			free(p);
		}
		fputc('\n', out);
	}
	free(cw);
}

static void
dt_free(struct dtable *t)
{
	size_t	i;

	for (i = 0; i < t->rows * t->cols; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
}

/* Cell (r, c) of m as a string, or "" past its end. */
static void
dt_mat_cell(struct dtable *t, size_t tr, size_t tc, const struct mat *m,
    size_t i)
{
	if (m != NULL && m->ndim != 0 && i < mat_numel(m))
		dt_num(t, tr, tc, m->v[i]);
}

/*
 * Element-wise losses on a 1-D input: one line per element with its input,
 * target, weights, loss and gradient.
 */
static void
dump_elementwise(FILE *out, const struct step *s)
{
	struct dtable	 t;
	size_t		 n = mat_numel(&s->input), i, c, ncol;
	char		 h[64];
	int		 wcol = s->weight.ndim != 0, pcol = s->pos_weight.ndim != 0;

	ncol = 5 + (size_t)wcol + (size_t)pcol;
	if (dt_init(&t, n + 1, ncol) != 0)
		return;
	c = 0;
	dt_set(&t, 0, c++, "i");
	snprintf(h, sizeof h, "%s (%s)", _("input"), loss_input_symbol(s->loss));
	dt_set(&t, 0, c++, h);
	dt_set(&t, 0, c++, _("target y"));
	if (wcol)
		dt_set(&t, 0, c++, _("weight"));
	if (pcol)
		dt_set(&t, 0, c++, "pos_weight");
	dt_set(&t, 0, c++, _("loss"));
	dt_set(&t, 0, c++, loss_grad_label(s->loss));
	for (i = 0; i < n; i++) {
		c = 0;
		snprintf(h, sizeof h, "%zu", i);
		dt_set(&t, i + 1, c++, h);
		dt_num(&t, i + 1, c++, s->input.v[i]);
		dt_mat_cell(&t, i + 1, c++, &s->target, i);
		/* weights broadcast along the last dim */
		if (wcol)
			dt_mat_cell(&t, i + 1, c++, &s->weight,
			    mat_numel(&s->weight) == 1 ? 0 : i);
		if (pcol)
			dt_mat_cell(&t, i + 1, c++, &s->pos_weight,
			    mat_numel(&s->pos_weight) == 1 ? 0 : i);
		if (s->ok) {
			dt_mat_cell(&t, i + 1, c++, &s->res.elem, i);
			dt_mat_cell(&t, i + 1, c++, &s->res.grad, i);
		}
	}
	dt_print(out, &t, 2);
	dt_free(&t);
}

/* A matrix, one line per row, with a title line. */
static void
dump_matrix(FILE *out, const char *title, const struct mat *m)
{
	struct dtable	 t;
	size_t		 r, c, rows, cols;
	char		 h[32];

	if (m == NULL || m->ndim == 0)
		return;
	fprintf(out, "  %s:\n", title);
	rows = m->ndim == 2 ? m->rows : 1;
	cols = m->cols;
	if (dt_init(&t, rows, cols + 1) != 0)
		return;
	for (r = 0; r < rows; r++) {
		if (m->ndim == 2) {
			snprintf(h, sizeof h, "[%zu]", r);
			dt_set(&t, r, 0, h);
		} else
			dt_set(&t, r, 0, "");
		for (c = 0; c < cols; c++)
			dt_num(&t, r, c + 1, MAT_AT(m, r, c));
	}
	dt_print(out, &t, 4);
	dt_free(&t);
}

/* Per-sample losses (ce, nll, ...) or 2-D element-wise: one row per sample:
   the input row, its target, its loss; then the gradient matrix. */
static void
dump_samples(FILE *out, const struct step *s)
{
	struct dtable	 t;
	size_t		 rows = s->input.ndim == 2 ? s->input.rows : 1;
	size_t		 C = s->input.cols, r, c, ncol, tc;
	int		 idx = step_index_target(s);
	int		 elemwise = !dump_per_sample(s->loss);
	char		 h[64];

	if (elemwise) {
		snprintf(h, sizeof h, "%s %s (%s)", _("input"),
		    loss_input_symbol(s->loss), dump_kind_name(s->loss));
		dump_matrix(out, h, &s->input);
		dump_matrix(out, _("target y"), &s->target);
		dump_matrix(out, _("weight"), &s->weight);
		dump_matrix(out, "pos_weight", &s->pos_weight);
		if (s->ok)
			dump_matrix(out, _("loss per element"), &s->res.elem);
	} else {
		tc = idx ? 1 : C;
		ncol = 1 + C + tc + 1;
		if (dt_init(&t, rows + 1, ncol) != 0)
			return;
		dt_set(&t, 0, 0, "n");
		for (c = 0; c < C; c++) {
			snprintf(h, sizeof h, "%s[%zu]",
			    loss_input_symbol(s->loss), c);
			dt_set(&t, 0, 1 + c, h);
		}
		if (idx)
			dt_set(&t, 0, 1 + C, _("class y"));
		else
			for (c = 0; c < C; c++) {
				snprintf(h, sizeof h, "y[%zu]", c);
				dt_set(&t, 0, 1 + C + c, h);
			}
		dt_set(&t, 0, ncol - 1, _("loss"));
		for (r = 0; r < rows; r++) {
			snprintf(h, sizeof h, "%zu", r);
			dt_set(&t, r + 1, 0, h);
			for (c = 0; c < C; c++)
				dt_num(&t, r + 1, 1 + c, MAT_AT(&s->input, r, c));
			if (idx)
				dt_mat_cell(&t, r + 1, 1 + C, &s->target, r);
			else
				for (c = 0; c < C; c++)
					dt_mat_cell(&t, r + 1, 1 + C + c,
					    &s->target, r * C + c);
			if (s->ok)
				dt_mat_cell(&t, r + 1, ncol - 1, &s->res.elem,
				    r);
		}
		dt_print(out, &t, 2);
		dt_free(&t);
		dump_matrix(out, _("weight"), &s->weight);
		dump_matrix(out, "pos_weight", &s->pos_weight);
	}
}

/* The pitfall beside the correct loss: value, gradient, difference. */
static void
dump_pitfall(FILE *out, const struct session *ss, int cols)
{
	struct session_cmp	 c;
	struct dtable		 t;
	size_t			 n, i;
	char			 h[160], b[64];
	const struct mat	*g, *cg;

	if (session_cmp(ss, &c) != 0)
		return;
	fprintf(out, "\n%s: %s\n", _("Pitfall"), pitfall_name(c.pitfall));
	snprintf(h, sizeof h, "  %s: ", _("correct"));
	snprintf(b, sizeof b, "%s()(z, y)", loss_torch_name(c.loss));
	dump_hanging(out, h, b, cols, 4);
	snprintf(h, sizeof h, "  %s: ", _("the mistake"));
	dump_hanging(out, h, pitfall_torch_code(c.pitfall), cols, 4);
	if (c.as_logits)
		dump_wrapped(out, _("(both read the inputs as logits z)"), cols,
		    2);
	if (c.wrong == NULL || c.correct == NULL) {
		snprintf(h, sizeof h, "  %s: ", c.wrong == NULL ?
		    _("the mistaken pipeline fails") :
		    _("the correct pipeline fails"));
		dump_hanging(out, h, c.wrong == NULL ? c.wrong_error :
		    c.correct_error, cols, 4);
		return;
	}
	g = &c.wrong->grad;
	cg = &c.correct->grad;
	n = mat_numel(g);
	if (dt_init(&t, n + 2, 4) != 0)
		return;
	snprintf(h, sizeof h, "%s (%s)", _("correct"), loss_name(c.loss));
	dt_set(&t, 0, 1, h);
	dt_set(&t, 0, 2, _("pitfall"));
	dt_set(&t, 0, 3, _("difference"));
	dt_set(&t, 1, 0, _("value"));
	dt_num(&t, 1, 1, c.correct->value);
	dt_num(&t, 1, 2, c.wrong->value);
	dt_num(&t, 1, 3, c.wrong->value - c.correct->value);
	for (i = 0; i < n; i++) {
		if (g->ndim == 2)
			snprintf(h, sizeof h, "%s [%zu][%zu]",
			    loss_grad_label(c.loss), i / g->cols, i % g->cols);
		else
			snprintf(h, sizeof h, "%s [%zu]",
			    loss_grad_label(c.loss), i);
		dt_set(&t, i + 2, 0, h);
		if (i < mat_numel(cg)) {
			dt_num(&t, i + 2, 1, cg->v[i]);
			dt_num(&t, i + 2, 3, g->v[i] - cg->v[i]);
		}
		dt_num(&t, i + 2, 2, g->v[i]);
	}
	dt_print(out, &t, 2);
	dt_free(&t);
	if (!isnan(c.floor))
		fprintf(out, "  %s: %s\n", _("lowest value the mistake can "
		    "reach for these targets"),
		    step_fmt(c.floor, 0, b, sizeof b));
}

static void
dump_predict(FILE *out, const struct session *ss, int cols, unsigned flags)
{
	const struct lesson_predict *q = &session_cur_const(ss)->st.src->predict;
	struct session_quiz	 z;
	char			 lead[16];
	int			 i;

	session_quiz(ss, &z);
	fprintf(out, "%s\n", _("Predict first:"));
	if (z.tied && (flags & DUMP_EDITS))
		dump_wrapped(out, _("(This question is about the lesson's "
		    "values; yours differ: R restores them.)"), cols, 2);
	dump_template(out, ss, q->question, cols, 2);
	for (i = 0; i < q->nchoices; i++) {
		snprintf(lead, sizeof lead, "  %d) ", i + 1);
		fputs(lead, out);
		dump_template(out, ss, q->choices[i], cols - 5, 0);
	}
	if (q->nchoices == 0 && q->prompt != NULL) {
		fprintf(out, "  > ");
		dump_template(out, ss, q->prompt, cols - 4, 0);
	}
}

/* The answer to the predict-first question, shown after the numbers. */
static void
dump_answer(FILE *out, const struct session *ss, int cols)
{
	const struct lesson_predict *q = &session_cur_const(ss)->st.src->predict;
	struct session_quiz	 z;

	session_quiz(ss, &z);
	fprintf(out, "\n%s\n", _("Predict first: the answer"));
	if (q->nchoices > 0 && z.correct < 0)
		dump_wrapped(out, _("  None of the choices fits these values "
		    "exactly."), cols, 0);
	else if (q->nchoices > 0) {
		fprintf(out, "  %s %d) ", _("Answer:"), z.correct + 1);
		dump_template(out, ss, q->choices[z.correct], cols - 12, 0);
	} else if (q->answer != NULL) {
		fprintf(out, "  %s ", _("Answer:"));
		dump_template(out, ss, q->answer, cols - 12, 0);
	}
	if (q->explain != NULL)
		dump_template(out, ss, q->explain, cols, 2);
}

int
dump_step(FILE *out, struct session *ss, int cols, unsigned flags)
{
	char		 buf[256], shape[32], what[256], args[4096];
	const struct step *s = &session_cur_const(ss)->st;
	const struct lesson_step *src = s->src;
	struct plot_req	 req;
	struct curve_cells cells;
	size_t		 nsteps = ss->nsteps;
	char		*code, *w, *head;
	int		 i;

	/* A handout shows the step's own pitfall (the one its texts speak
	   of) beside the right way, even where its pane was hidden or
	   another pitfall shown, and the plot at the step's own marks. */
	if (src != NULL && src->pitfall != PITFALL_NONE &&
	    s->pitfall != src->pitfall)
		(void)session_toggle_pitfall(ss);	/* hides: its own again */
	if (s->pitfall != PITFALL_NONE && !s->show_pitfall)
		(void)session_toggle_pitfall(ss);
	session_unselect(ss);
	/* a title may follow the values too */
	head = template_render(s, src != NULL ? src->title : NULL, NULL);
	w = safeout_strdup(head != NULL ? head : "", SAFEOUT_LINE);
	free(head);
	if (w == NULL || asprintf(&head, _("Step %zu/%zu: %s"), ss->cur + 1,
	    nsteps, w) < 0) {
		free(w);
		return -1;
	}
	free(w);
	w = NULL;
	fprintf(out, "%s\n", head);
	for (i = (int)text_width(head); i > 0; i--)
		fputc('-', out);
	fputc('\n', out);
	free(head);
	if ((flags & DUMP_EDITS) && session_edited(ss, ss->cur))
		dump_wrapped(out, _("(With your values; R restores the "
		    "lesson's.)"), cols, 0);
	if (src != NULL && src->predict.question != NULL) {
		dump_predict(out, ss, cols, flags);
		fputc('\n', out);
	}
	/* A handout shows everything after the question. */
	(void)session_reveal(ss);
	if (src != NULL && src->text != NULL) {
		if (dump_template(out, ss, src->text, cols, 0) != 0)
			return -1;
		fputc('\n', out);
	}
	fprintf(out, "%s: %s (%s), %s: %s %s, %s: %s\n", _("Loss"),
	    loss_torch_name(s->loss), loss_name(s->loss), _("input"),
	    dump_kind_name(s->loss), mat_shape_str(&s->input, shape,
	    sizeof shape), _("reduction"),
	    loss_reduction_name(s->opts.reduction));
	if (s->input.ndim == 1 && !dump_per_sample(s->loss))
		dump_elementwise(out, s);
	else
		dump_samples(out, s);
	if (s->ok) {
		snprintf(buf, sizeof buf, "  %s = %s  (", _("Loss value"),
		    step_fmt(s->res.value, 0, shape, sizeof shape));
		dump_value_what(s, what, sizeof what);
		strncat(what, ")", sizeof what - strlen(what) - 1);
		dump_hanging(out, buf, what, cols, 4);
		if (s->input.ndim != 1 || dump_per_sample(s->loss))
			dump_matrix(out, loss_grad_label(s->loss),
			    &s->res.grad);
	} else {
		snprintf(buf, sizeof buf, "  %s: ", _("torch refuses these "
		    "values"));
		dump_hanging(out, buf, s->error, cols, 4);
	}
	for (i = 0; i < s->diags.n; i++) {
		snprintf(buf, sizeof buf, "  %s [%s]: ", _("warning"),
		    s->diags.d[i].id);
		dump_hanging(out, buf, s->diags.d[i].msg, cols, 4);
	}
	dump_pitfall(out, ss, cols);
	if (src != NULL && src->predict.question != NULL)
		dump_answer(out, ss, cols);
	switch (session_plot(ss, &req, &cells)) {
	case SESSION_PLOT_OK:
		plot_req_args(&req, args, sizeof args);
		fprintf(out, "\n%s: %s\n", _("Plot"), plot_kind_name(req.kind));
		if (asprintf(&w, "losslab plot %s", args) < 0)
			return -1;
		dump_command(out, w, cols);
		free(w);
		break;
	case SESSION_PLOT_REFUSED:
		fprintf(out, "\n%s: %s\n", _("Plot"), _("none (torch refuses "
		    "these values)"));
		break;
	case SESSION_PLOT_NONFINITE:
		fprintf(out, "\n%s: %s\n", _("Plot"), _("none (an input is "
		    "nan or inf)"));
		break;
	default:
		break;
	}
	if (src != NULL && src->code != NULL && src->code[0] != '\0') {
		fprintf(out, "\n%s:\n", (flags & DUMP_EDITS) &&
		    session_edited(ss, ss->cur) ? _("PyTorch (as written for "
		    "the lesson's values)") : _("PyTorch"));
		/* escaped before it is wrapped, so that it is measured as
		   it shows */
		if ((w = safeout_strdup(src->code, SAFEOUT_TEXT)) == NULL)
			return -1;
		code = pycode_wrap(w, cols - 4);
		free(w);
		w = NULL;
		if (code == NULL)
			return -1;
		dump_wrapped(out, code, 100000, 4);
		free(code);
	}
	return ferror(out) ? -1 : 0;
}

int
dump_session(FILE *out, struct session *ss, int cols, unsigned flags)
{
	const struct lesson *l = ss->lesson;
	struct err	 e;
	char		*title;
	size_t		 i;
	int		 k, rc = 0;

	if (l != NULL) {
		if ((title = safeout_strdup(l->title, SAFEOUT_LINE)) == NULL)
			return -1;
		fprintf(out, "%s\n", title);
		for (k = (int)text_width(title); k > 0; k--)
			fputc('=', out);
		fputc('\n', out);
		free(title);
		if (l->summary[0] != '\0')
			dump_wrapped(out, l->summary, cols, 0);
	}
	for (i = 0; i < ss->nsteps && rc == 0; i++) {
		fputc('\n', out);
		if (session_goto(ss, i, &e) != 0) {
			safeout_fputs(out, e.msg, SAFEOUT_LINE);
			fputc('\n', out);
			return -1;
		}
		rc = dump_step(out, ss, cols, flags);
	}
	return rc;
}

int
dump_lesson(FILE *out, const struct lesson *l, int cols)
{
	struct session	 ss;
	struct err	 e;
	int		 rc;

	if (session_init(&ss, l, &e) != 0) {
		safeout_fputs(out, e.msg, SAFEOUT_LINE);
		fputc('\n', out);
		session_free(&ss);
		return -1;
	}
	rc = dump_session(out, &ss, cols, 0);
	session_free(&ss);
	return rc;
}

int
dump_main(const struct app_opts *app, const char *what)
{
	struct lesson	*l;
	char		 err[1024];
	const char	*c;
	int		 cols = 80, rc;
	char		*end;
	long		 v;

	if ((l = lesson_find(app, what, app ? app->lang : NULL, err,
	    sizeof err)) == NULL) {
		return cli_fail("%s", err);
	}
	if ((c = getenv("COLUMNS")) != NULL) {
		v = strtol(c, &end, 10);
		if (*end == '\0' && v >= 20 && v <= 1000)
			cols = (int)v;
	}
	rc = dump_lesson(stdout, l, cols);
	lesson_free(l);
	/* a failed write is reported at exit, with its reason (main.c) */
	if (ferror(stdout))
		return CLI_EXIT_USAGE;
	if (rc != 0)
		return cli_fail("--dump: %s: out of memory, or a step "
		    "cannot be set up", what);
	return 0;
}
