/*
 * dump.c -- a lesson as a handout: title, then for every step its heading,
 * the predict-first question, the narrative (rendered by the session, with
 * what does not hold for the values marked), the values table, the
 * per-element loss, the reduced value and what it is, the gradient, the
 * core's warnings, the pitfall pipeline beside the correct one, the answer,
 * the step's plot (a picture in HTML and Markdown, the `losslab plot`
 * command that draws it everywhere) and the PyTorch code.
 *
 * Everything comes from the session (session.h, i.e. from the core); this
 * file decides what a handout says and hands each block to doc.h, which
 * lays it out as text, Markdown or HTML (dump_json.c writes JSON).  The
 * student copy (--no-answers) shows a step with a question only up to its
 * inputs -- the question, its choices, the values going in, the code with
 * its comments hidden -- as the explorer does before an answer; the key
 * (--answers-only) shows each question with its answer and explanation.
 * The document is built in memory and written at the end (safely, see
 * outfile_write), so a failure leaves no half a handout.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "doc.h"
#include "dump.h"
#include "export.h"
#include "i18n.h"
#include "outfile.h"
#include "pycode.h"
#include "safeout.h"
#include "session.h"
#include "strbuf.h"
#include "template.h"
#include "text.h"

static const char *const dump_format_name[] = {
#define X(id, name) name,
	DUMP_FORMAT_TABLE
#undef X
};

int
dump_format_parse(const char *name, enum dump_format *f)
{
	int	i;

	for (i = 0; i < DUMP_FORMAT_COUNT; i++)
		if (strcmp(name, dump_format_name[i]) == 0) {
			*f = (enum dump_format)i;
			return 0;
		}
	return -1;
}

const char *
dump_format_names(void)
{
	return "text, md, html or json";
}

/* Render a template through the session and write it as text, each
   paragraph's note after it ("! ..." lines). */
static int
dump_template(struct doc *d, const struct session *ss, const char *tmpl,
    int indent)
{
	struct session_text	 t = SESSION_TEXT_INIT;
	char			*r;

	if (session_render(ss, tmpl, &t) != 0)
		return -1;
	r = session_text_join(&t, "! ");
	session_text_free(&t);
	if (r == NULL)
		return -1;
	doc_text(d, r, indent);
	free(r);
	return 0;
}

/* A template rendered as one line (a choice, an answer); NULL when out of
   memory.  Notes follow on the same line. */
static char *
dump_render_line(const struct session *ss, const char *tmpl)
{
	struct session_text	 t = SESSION_TEXT_INIT;
	char			*r, *p;

	if (session_render(ss, tmpl, &t) != 0)
		return NULL;
	r = session_text_join(&t, "! ");
	session_text_free(&t);
	if (r == NULL)
		return NULL;
	for (p = r; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	/* a choice's {when} leaves a blank at its end */
	while (p > r && p[-1] == ' ')
		*--p = '\0';
	return r;
}

const char *
dump_kind_name(enum loss_id id)
{
	return _(loss_input_kind_name(id));
}

/* Whether the loss gives one value per sample rather than per element. */
int
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
		snprintf(buf, len, NG_("reduction='none': the output is the "
		    "%zu value above; shown here: their sum", "reduction='none': "
		    "the output is the %zu values above; shown here: their sum",
		    n), n);
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

static void
dt_num(struct doc_table *t, size_t r, size_t c, double v)
{
	char	buf[64];

	doc_table_set(t, r, c, step_fmt(v, 0, buf, sizeof buf));
}

/* Element i of m into cell (tr, tc), or nothing past its end. */
static void
dt_mat_cell(struct doc_table *t, size_t tr, size_t tc, const struct mat *m,
    size_t i)
{
	if (m != NULL && m->ndim != 0 && i < mat_numel(m))
		dt_num(t, tr, tc, m->v[i]);
}

/*
 * Element-wise losses on a 1-D input: one line per element with its input,
 * target, weights and (results) loss and gradient.
 */
static void
dump_elementwise(struct doc *d, const struct step *s, int results)
{
	struct doc_table t;
	size_t		 n = mat_numel(&s->input), i, c, ncol;
	char		 h[64];
	int		 wcol = s->weight.ndim != 0, pcol = s->pos_weight.ndim != 0;

	results = results && s->ok;
	ncol = 3 + (size_t)wcol + (size_t)pcol + (results ? 2 : 0);
	if (doc_table_init(&t, n + 1, ncol) != 0)
		return;
	t.header = 1;
	t.label = 1;
	c = 0;
	doc_table_set(&t, 0, c++, "i");
	snprintf(h, sizeof h, "%s (%s)", _("input"), loss_input_symbol(s->loss));
	doc_table_set(&t, 0, c++, h);
	doc_table_set(&t, 0, c++, _("target y"));
	if (wcol)
		doc_table_set(&t, 0, c++, _("weight"));
	if (pcol)
		doc_table_set(&t, 0, c++, "pos_weight");
	if (results) {
		doc_table_set(&t, 0, c++, _("loss"));
		doc_table_set(&t, 0, c++, loss_grad_label(s->loss));
	}
	for (i = 0; i < n; i++) {
		c = 0;
		snprintf(h, sizeof h, "%zu", i);
		doc_table_set(&t, i + 1, c++, h);
		dt_num(&t, i + 1, c++, s->input.v[i]);
		dt_mat_cell(&t, i + 1, c++, &s->target, i);
		/* weights broadcast along the last dim */
		if (wcol)
			dt_mat_cell(&t, i + 1, c++, &s->weight,
			    mat_numel(&s->weight) == 1 ? 0 : i);
		if (pcol)
			dt_mat_cell(&t, i + 1, c++, &s->pos_weight,
			    mat_numel(&s->pos_weight) == 1 ? 0 : i);
		if (results) {
			dt_mat_cell(&t, i + 1, c++, &s->res.elem, i);
			dt_mat_cell(&t, i + 1, c++, &s->res.grad, i);
		}
	}
	doc_table(d, &t, 2);
	doc_table_free(&t);
}

/* A matrix, one line per row, with a title line. */
static void
dump_matrix(struct doc *d, const char *title, const struct mat *m)
{
	struct doc_table t;
	size_t		 r, c, rows, cols;
	char		 h[256];

	if (m == NULL || m->ndim == 0)
		return;
	snprintf(h, sizeof h, "  %s:", title);
	doc_line(d, h, "", 4);
	rows = m->ndim == 2 ? m->rows : 1;
	cols = m->cols;
	if (doc_table_init(&t, rows, cols + 1) != 0)
		return;
	t.label = 1;
	for (r = 0; r < rows; r++) {
		if (m->ndim == 2) {
			snprintf(h, sizeof h, "[%zu]", r);
			doc_table_set(&t, r, 0, h);
		} else
			doc_table_set(&t, r, 0, "");
		for (c = 0; c < cols; c++)
			dt_num(&t, r, c + 1, MAT_AT(m, r, c));
	}
	doc_table(d, &t, 4);
	doc_table_free(&t);
}

/* Per-sample losses (ce, nll, ...) or 2-D element-wise: one row per sample:
   the input row, its target, (results) its loss; then the weights. */
static void
dump_samples(struct doc *d, const struct step *s, int results)
{
	struct doc_table t;
	size_t		 rows = s->input.ndim == 2 ? s->input.rows : 1;
	size_t		 C = s->input.cols, r, c, ncol, tc;
	int		 idx = step_index_target(s);
	int		 elemwise = !dump_per_sample(s->loss);
	char		 h[64];

	results = results && s->ok;
	if (elemwise) {
		snprintf(h, sizeof h, "%s %s (%s)", _("input"),
		    loss_input_symbol(s->loss), dump_kind_name(s->loss));
		dump_matrix(d, h, &s->input);
		dump_matrix(d, _("target y"), &s->target);
		dump_matrix(d, _("weight"), &s->weight);
		dump_matrix(d, "pos_weight", &s->pos_weight);
		if (results)
			dump_matrix(d, _("loss per element"), &s->res.elem);
		return;
	}
	tc = idx ? 1 : C;
	ncol = 1 + C + tc + (results ? 1 : 0);
	if (doc_table_init(&t, rows + 1, ncol) != 0)
		return;
	t.header = 1;
	t.label = 1;
	doc_table_set(&t, 0, 0, "n");
	for (c = 0; c < C; c++) {
		snprintf(h, sizeof h, "%s[%zu]", loss_input_symbol(s->loss), c);
		doc_table_set(&t, 0, 1 + c, h);
	}
	if (idx)
		doc_table_set(&t, 0, 1 + C, _("class y"));
	else
		for (c = 0; c < C; c++) {
			snprintf(h, sizeof h, "y[%zu]", c);
			doc_table_set(&t, 0, 1 + C + c, h);
		}
	if (results)
		doc_table_set(&t, 0, ncol - 1, _("loss"));
	for (r = 0; r < rows; r++) {
		snprintf(h, sizeof h, "%zu", r);
		doc_table_set(&t, r + 1, 0, h);
		for (c = 0; c < C; c++)
			dt_num(&t, r + 1, 1 + c, MAT_AT(&s->input, r, c));
		if (idx)
			dt_mat_cell(&t, r + 1, 1 + C, &s->target, r);
		else
			for (c = 0; c < C; c++)
				dt_mat_cell(&t, r + 1, 1 + C + c, &s->target,
				    r * C + c);
		if (results)
			dt_mat_cell(&t, r + 1, ncol - 1, &s->res.elem, r);
	}
	doc_table(d, &t, 2);
	doc_table_free(&t);
	dump_matrix(d, _("weight"), &s->weight);
	dump_matrix(d, "pos_weight", &s->pos_weight);
}

/* The pitfall beside the correct loss: value, gradient, difference. */
static void
dump_pitfall(struct doc *d, const struct session *ss)
{
	struct session_cmp	 c;
	struct doc_table	 t;
	size_t			 n, i;
	char			 h[160], b[64];
	const struct mat	*g, *cg;

	if (session_cmp(ss, &c) != 0)
		return;
	if (d->fmt == DOC_TEXT)
		fputc('\n', d->fp);
	snprintf(h, sizeof h, "%s: %s", _("Pitfall"), pitfall_name(c.pitfall));
	doc_heading(d, 3, h);
	snprintf(h, sizeof h, "  %s: ", _("correct"));
	snprintf(b, sizeof b, "%s()(z, y)", loss_torch_name(c.loss));
	doc_line(d, h, b, 4);
	snprintf(h, sizeof h, "  %s: ", _("the mistake"));
	doc_line(d, h, pitfall_torch_code(c.pitfall), 4);
	if (c.as_logits)
		doc_text(d, _("(both read the inputs as logits z)"), 2);
	if (c.wrong == NULL || c.correct == NULL) {
		snprintf(h, sizeof h, "  %s: ", c.wrong == NULL ?
		    _("the mistaken pipeline fails") :
		    _("the correct pipeline fails"));
		doc_line(d, h, c.wrong == NULL ? c.wrong_error :
		    c.correct_error, 4);
		return;
	}
	g = &c.wrong->grad;
	cg = &c.correct->grad;
	n = mat_numel(g);
	if (doc_table_init(&t, n + 2, 4) != 0)
		return;
	t.header = 1;
	t.label = 1;
	snprintf(h, sizeof h, "%s (%s)", _("correct"), loss_name(c.loss));
	doc_table_set(&t, 0, 1, h);
	doc_table_set(&t, 0, 2, _("pitfall"));
	doc_table_set(&t, 0, 3, _("difference"));
	doc_table_set(&t, 1, 0, _("value"));
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
		doc_table_set(&t, i + 2, 0, h);
		if (i < mat_numel(cg)) {
			dt_num(&t, i + 2, 1, cg->v[i]);
			dt_num(&t, i + 2, 3, g->v[i] - cg->v[i]);
		}
		dt_num(&t, i + 2, 2, g->v[i]);
	}
	doc_table(d, &t, 2);
	doc_table_free(&t);
	if (!isnan(c.floor)) {
		snprintf(h, sizeof h, "  %s: ", _("lowest value the mistake "
		    "can reach for these targets"));
		doc_line(d, h, step_fmt(c.floor, 0, b, sizeof b), 4);
	}
}

static void
dump_predict(struct doc *d, const struct session *ss, unsigned flags)
{
	const struct lesson_predict *q = &session_cur_const(ss)->st.src->predict;
	struct session_quiz	 z;
	char			*r;
	int			 i;

	session_quiz(ss, &z);
	doc_heading(d, 3, _("Predict first:"));
	if (z.tied && (flags & DUMP_EDITS))
		doc_text(d, _("(This question is about the lesson's "
		    "values; yours differ: R restores them.)"), 2);
	dump_template(d, ss, q->question, 2);
	for (i = 0; i < q->nchoices; i++) {
		if ((r = dump_render_line(ss, q->choices[i])) == NULL)
			continue;
		doc_choice(d, i + 1, r);
		free(r);
	}
	if (q->nchoices == 0 && q->prompt != NULL &&
	    (r = dump_render_line(ss, q->prompt)) != NULL) {
		doc_line(d, "  > ", r, 4);
		free(r);
	}
}

/* The answer to the predict-first question, shown after the numbers. */
static void
dump_answer(struct doc *d, const struct session *ss)
{
	const struct lesson_predict *q = &session_cur_const(ss)->st.src->predict;
	struct session_quiz	 z;
	char			 lead[64], *r;

	session_quiz(ss, &z);
	if (d->fmt == DOC_TEXT)
		fputc('\n', d->fp);
	doc_heading(d, 3, _("Predict first: the answer"));
	if (q->nchoices > 0 && z.correct < 0)
		doc_text(d, _("  None of the choices fits these values "
		    "exactly."), 0);
	else if (q->nchoices > 0) {
		snprintf(lead, sizeof lead, "  %s %d) ", _("Answer:"),
		    z.correct + 1);
		if ((r = dump_render_line(ss, q->choices[z.correct])) != NULL)
			doc_line(d, lead, r, 4);
		free(r);
	} else if (q->answer != NULL) {
		snprintf(lead, sizeof lead, "  %s ", _("Answer:"));
		if ((r = dump_render_line(ss, q->answer)) != NULL)
			doc_line(d, lead, r, 4);
		free(r);
	}
	if (q->explain != NULL)
		dump_template(d, ss, q->explain, 2);
}

/* Where a Markdown picture of step i goes: PICS-stepN.svg, and the name the
   document links (the file's last component). */
static int
dump_pic_name(const struct dump_opts *o, size_t i, char *path, size_t len,
    const char **base)
{
	int	n;

	n = snprintf(path, len, "%s-step%zu.svg", o->pics, i + 1);
	if (n < 0 || (size_t)n >= len)
		return -1;
	*base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	return 0;
}

/* The step's plot: a picture where the format has one, and the command. */
static int
dump_plot(struct doc *d, struct session *ss, const struct dump_opts *o)
{
	struct plot_req		 req;
	struct curve_cells	 cells;
	struct strbuf		 svg = STRBUF_INIT;
	struct err		 e;
	char			 args[4096], cap[256], path[4096], *w;
	const char		*base, *cap_desc;

	switch (session_plot(ss, &req, &cells)) {
	case SESSION_PLOT_OK:
		break;
	case SESSION_PLOT_REFUSED:
		if (d->fmt == DOC_TEXT)
			fputc('\n', d->fp);
		snprintf(cap, sizeof cap, "%s: %s", _("Plot"),
		    _("none (torch refuses these values)"));
		doc_heading(d, 3, cap);
		return 0;
	case SESSION_PLOT_NONFINITE:
		if (d->fmt == DOC_TEXT)
			fputc('\n', d->fp);
		snprintf(cap, sizeof cap, "%s: %s", _("Plot"),
		    _("none (an input is nan or inf)"));
		doc_heading(d, 3, cap);
		return 0;
	default:
		return 0;
	}
	req.lang = i18n_lang();	/* the interface's, as in the explorer */
	/* the kinds' descriptions are English only: no caption elsewhere */
	cap_desc = strcmp(req.lang, "en") == 0 ? plot_kind_desc(req.kind) :
	    NULL;
	if (d->fmt == DOC_TEXT)
		fputc('\n', d->fp);
	snprintf(cap, sizeof cap, "%s: %s", _("Plot"), plot_kind_name(req.kind));
	doc_heading(d, 3, cap);
	if (d->fmt == DOC_HTML || (d->fmt == DOC_MD && o->pics != NULL)) {
		if (!plot_available())
			doc_note(d, _("No picture: gnuplot is not installed "
			    "(install gnuplot-nox); the command below draws "
			    "it."));
		else if (plot_render(&req, PLOT_FORMAT_SVG, 0, 0, &svg,
		    &e) != 0 || svg.oom) {
			snprintf(args, sizeof args, "%s: %s", _("No picture"),
			    svg.oom ? "out of memory" : e.msg);
			doc_note(d, args);
		} else if (d->fmt == DOC_HTML)
			doc_svg(d, svg.p, svg.len, cap_desc);
		else if (dump_pic_name(o, ss->cur, path, sizeof path,
		    &base) != 0 ||
		    outfile_write(path, svg.p, svg.len, &e) != 0) {
			strbuf_free(&svg);
			return cli_fail("--dump: %s", e.msg), -2;
		} else
			doc_image(d, base, cap_desc != NULL ? cap_desc :
			    plot_kind_name(req.kind));
		strbuf_free(&svg);
	}
	plot_req_args(&req, args, sizeof args);
	if (asprintf(&w, "losslab plot %s", args) < 0)
		return -1;
	doc_code(d, w, "sh");
	free(w);
	return 0;
}

void
dump_prepare(struct session *ss, int keep_question)
{
	const struct step *s = &session_cur_const(ss)->st;
	const struct lesson_step *src = s->src;

	/* A handout shows the step's own pitfall (the one its texts speak
	   of) beside the right way, even where its pane was hidden or
	   another pitfall shown, and the plot at the step's own marks. */
	if (src != NULL && src->pitfall != PITFALL_NONE &&
	    s->pitfall != src->pitfall)
		(void)session_toggle_pitfall(ss);	/* hides: its own again */
	if (s->pitfall != PITFALL_NONE && !s->show_pitfall)
		(void)session_toggle_pitfall(ss);
	session_unselect(ss);
	if (!keep_question)
		(void)session_reveal(ss);
}

/* "Step n/N: title" (the title may follow the values too); NULL when out
   of memory. */
static char *
dump_step_title(const struct session *ss)
{
	const struct step *s = &session_cur_const(ss)->st;
	char	*head, *w;

	head = template_render(s, s->src != NULL ? s->src->title : NULL, NULL);
	w = safeout_strdup(head != NULL ? head : "", SAFEOUT_LINE);
	free(head);
	if (w == NULL || asprintf(&head, _("Step %zu/%zu: %s"), ss->cur + 1,
	    ss->nsteps, w) < 0)
		head = NULL;
	free(w);
	return head;
}

/* The step's code: all of it, or with its comments hidden (they give the
   results away) in the student copy. */
static int
dump_code(struct doc *d, struct session *ss, unsigned flags, int hide)
{
	const struct step *s = &session_cur_const(ss)->st;
	char	*code, h[256];

	if (s->src == NULL || s->src->code == NULL || s->src->code[0] == '\0')
		return 0;
	if (d->fmt == DOC_TEXT)
		fputc('\n', d->fp);
	/* "PyTorch:" (the colon is dropped where it is a heading) */
	snprintf(h, sizeof h, "%s:", (flags & DUMP_EDITS) &&
	    session_edited(ss, ss->cur) ? _("PyTorch (as written for the "
	    "lesson's values)") : _("PyTorch"));
	doc_heading(d, 3, h);
	code = hide ? pycode_hide_comments(s->src->code) : NULL;
	if (hide && code == NULL)
		return -1;
	doc_code(d, hide ? code : s->src->code, "python");
	free(code);
	return 0;
}

/* The step as the key shows it: heading, question, answer. */
static int
dump_step_key(struct doc *d, struct session *ss)
{
	const struct lesson_step *src = session_cur_const(ss)->st.src;
	char	*head;

	if (src == NULL || src->predict.question == NULL)
		return 0;
	dump_prepare(ss, 1);
	if ((head = dump_step_title(ss)) == NULL)
		return -1;
	if (d->fmt == DOC_TEXT)
		fputc('\n', d->fp);
	doc_heading(d, 2, head);
	free(head);
	dump_predict(d, ss, 0);
	(void)session_reveal(ss);
	dump_answer(d, ss);
	return ferror(d->fp) ? -1 : 0;
}

/*
 * A training step: the command that trains the same two runs (the step's
 * spec with the learning rate and momentum set now; goal= is the
 * lesson's own), and where the runs are.
 */
static int
dump_train(struct doc *d, const struct session *ss)
{
	const struct session_train *tr = session_train(ss);
	struct lesson_train	 lt = session_cur_const(ss)->st.src->train;
	struct strbuf		 b = STRBUF_INIT;
	char			 fmt[1024], lead[128], *tok, *save = NULL, *eq;
	char			 where[128];

	lt.spec.lr = tr->lr;
	lt.spec.momentum = tr->momentum;
	lesson_train_format(&lt, lt.spec.loss, fmt, sizeof fmt);
	strbuf_printf(&b, "losslab train --loss %s", loss_name(lt.spec.loss));
	for (tok = strtok_r(fmt, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if ((eq = strchr(tok, '=')) == NULL ||
		    strncmp(tok, "goal=", 5) == 0 ||
		    strncmp(tok, "loss=", 5) == 0)
			continue;
		*eq = '\0';
		strbuf_printf(&b, " --%s %s", tok, eq + 1);
	}
	if (b.oom || b.p == NULL) {
		strbuf_free(&b);
		return -1;
	}
	snprintf(lead, sizeof lead, "%s: ", _("Training"));
	doc_line(d, lead, tr->has_pitfall ?
	    _("the correct loss and the pitfall, from the same start") :
	    _("one run"), 4);
	doc_code(d, b.p, "sh");
	snprintf(lead, sizeof lead, "  %s ", _("epoch"));
	snprintf(where, sizeof where, "%ld/%ld", tr->run.epoch,
	    tr->run.spec.epochs);
	doc_line(d, lead, where, 4);
	strbuf_free(&b);
	return ferror(d->fp) ? -1 : 0;
}

static int
dump_step_doc(struct doc *d, struct session *ss, const struct dump_opts *o,
    unsigned flags)
{
	char		 buf[256], shape[64], what[256], *head;
	const struct step *s = &session_cur_const(ss)->st;
	const struct lesson_step *src = s->src;
	int		 i, asks = src != NULL && src->predict.question != NULL;
	int		 student = o->answers == DUMP_ANSWERS_NONE && asks;

	if (o->answers == DUMP_ANSWERS_ONLY)
		return dump_step_key(d, ss);
	dump_prepare(ss, 1);
	if ((head = dump_step_title(ss)) == NULL)
		return -1;
	if (d->fmt == DOC_TEXT && ss->lesson != NULL)
		fputc('\n', d->fp);
	doc_heading(d, 2, head);
	free(head);
	if ((flags & DUMP_EDITS) && session_edited(ss, ss->cur))
		doc_text(d, _("(With your values; R restores the "
		    "lesson's.)"), 0);
	if (asks) {
		dump_predict(d, ss, flags);
		if (d->fmt == DOC_TEXT)
			fputc('\n', d->fp);
	}
	/* A handout shows everything after the question; the student copy
	   only what goes in. */
	if (!student)
		(void)session_reveal(ss);
	if (!student && src != NULL && src->text != NULL) {
		if (dump_template(d, ss, src->text, 0) != 0)
			return -1;
		if (d->fmt == DOC_TEXT)
			fputc('\n', d->fp);
	}
	snprintf(buf, sizeof buf, "%s: ", _("Loss"));
	snprintf(what, sizeof what, "%s (%s), %s: %s %s, %s: %s",
	    loss_torch_name(s->loss), loss_name(s->loss), _("input"),
	    dump_kind_name(s->loss), mat_shape_str(&s->input, shape,
	    sizeof shape), _("reduction"),
	    loss_reduction_name(s->opts.reduction));
	doc_line(d, buf, what, 4);
	/* the dtypes, where the step has its own (float64 says nothing) */
	if (s->dtype != DTYPE_DOUBLE || s->target_dtype != DTYPE_COUNT) {
		snprintf(buf, sizeof buf, "%s: ", _("Dtypes"));
		snprintf(what, sizeof what, _("input %s, target %s"),
		    dtype_name(s->dtype), dtype_name(step_target_dtype(s)));
		if (s->ok && s->res.f32 == LOSS_F32_KERNEL)
			snprintf(what + strlen(what), sizeof what - strlen(what),
			    "; %s", _("float32, computed as torch computes "
			    "float32"));
		else if (s->ok && s->res.f32 == LOSS_F32_ROUNDED)
			snprintf(what + strlen(what), sizeof what - strlen(what),
			    "; %s", _("float32: losslab computed float64 and "
			    "rounded to float32 (torch's float32 may differ in the "
			    "last digits)"));
		doc_line(d, buf, what, 4);
	}
	if (s->input.ndim == 1 && !dump_per_sample(s->loss))
		dump_elementwise(d, s, !student);
	else
		dump_samples(d, s, !student);
	if (student)
		return dump_code(d, ss, flags, 1) != 0 || ferror(d->fp) ? -1 :
		    0;
	if (s->ok) {
		snprintf(buf, sizeof buf, "  %s = %s  (", _("Loss value"),
		    step_fmt(s->res.value, 0, shape, sizeof shape));
		dump_value_what(s, what, sizeof what);
		strncat(what, ")", sizeof what - strlen(what) - 1);
		doc_line(d, buf, what, 4);
		if (s->input.ndim != 1 || dump_per_sample(s->loss))
			dump_matrix(d, loss_grad_label(s->loss), &s->res.grad);
	} else {
		snprintf(buf, sizeof buf, "  %s: ", _("torch refuses these "
		    "values"));
		doc_line(d, buf, s->error, 4);
	}
	for (i = 0; i < s->diags.n; i++) {
		snprintf(buf, sizeof buf, "  %s [%s]: ", _("warning"),
		    s->diags.d[i].id);
		doc_line(d, buf, s->diags.d[i].msg, 4);
	}
	dump_pitfall(d, ss);
	if (asks)
		dump_answer(d, ss);
	if ((i = dump_plot(d, ss, o)) != 0)
		return i;
	if (session_train(ss) != NULL && dump_train(d, ss) != 0)
		return -1;
	if (dump_code(d, ss, flags, 0) != 0)
		return -1;
	return ferror(d->fp) ? -1 : 0;
}

int
dump_session_doc(struct doc *d, struct session *ss, const struct dump_opts *o,
    unsigned flags)
{
	const struct lesson *l = ss->lesson;
	struct err	 e;
	size_t		 i;
	int		 rc = 0;
	char		 key[512];

	doc_begin(d, l != NULL ? l->lang : "en", l != NULL ? l->title : "");
	if (l != NULL) {
		if (o->answers == DUMP_ANSWERS_ALL)
			doc_heading(d, 1, l->title);
		else {
			snprintf(key, sizeof key, "%s (%s)", l->title,
			    o->answers == DUMP_ANSWERS_NONE ?
			    _("student copy") : _("answers"));
			doc_heading(d, 1, key);
		}
		if (l->summary[0] != '\0')
			doc_text(d, l->summary, 0);
	}
	for (i = 0; i < ss->nsteps && rc == 0; i++) {
		if (session_goto(ss, i, &e) != 0) {
			doc_note(d, e.msg);
			return -1;
		}
		rc = dump_step_doc(d, ss, o, flags);
	}
	doc_end(d);
	return rc;
}

int
dump_step(FILE *out, struct session *ss, int cols, unsigned flags)
{
	struct doc	 d = { out, DOC_TEXT, cols, 0 };
	struct dump_opts o = { DUMP_TEXT, DUMP_ANSWERS_ALL, NULL, cols, NULL };

	return dump_step_doc(&d, ss, &o, flags);
}

int
dump_session(FILE *out, struct session *ss, int cols, unsigned flags)
{
	struct doc	 d = { out, DOC_TEXT, cols, 0 };
	struct dump_opts o = { DUMP_TEXT, DUMP_ANSWERS_ALL, NULL, cols, NULL };

	return dump_session_doc(&d, ss, &o, flags);
}

/* The handout of l into out as o says. */
static int
dump_lesson_opts(FILE *out, const struct lesson *l, const struct dump_opts *o)
{
	struct session	 ss;
	struct err	 e;
	struct doc	 d = { out, DOC_TEXT, o->cols, 0 };
	int		 rc;

	if (session_init(&ss, l, &e) != 0) {
		session_free(&ss);
		return cli_fail("--dump: %s", e.msg), -2;
	}
	if (o->fmt == DUMP_JSON)
		rc = dump_json(out, &ss, o->answers);
	else {
		d.fmt = o->fmt == DUMP_MD ? DOC_MD : o->fmt == DUMP_HTML ?
		    DOC_HTML : DOC_TEXT;
		rc = dump_session_doc(&d, &ss, o, 0);
	}
	session_free(&ss);
	return rc;
}

int
dump_lesson(FILE *out, const struct lesson *l, int cols)
{
	struct dump_opts o = { DUMP_TEXT, DUMP_ANSWERS_ALL, NULL, cols, NULL };

	return dump_lesson_opts(out, l, &o);
}

/* The width of text: $COLUMNS, else the terminal's (standard output's
   when the dump goes there), else 80; in [20, 1000]. */
static int
dump_columns(int to_stdout)
{
	struct winsize	 ws;
	const char	*c;
	char		*end;
	long		 v;

	if ((c = getenv("COLUMNS")) != NULL && *c != '\0') {
		v = strtol(c, &end, 10);
		if (*end == '\0' && v >= 20 && v <= 1000)
			return (int)v;
	}
	if (to_stdout && isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col > 1000 ? 1000 : ws.ws_col;
	return 80;
}

/* Refuse an --out that cannot or should not be written, before any work:
   0, or the exit status after the message. */
static int
dump_check_out(const char *out)
{
	struct err	 e;
	struct stat	 sb;
	char		 q[256], *dir, *slash;

	safeout_str(out, q, sizeof q);
	if (*out == '\0')
		return cli_fail("--dump: --out: the file name is empty");
	if (lstat(out, &sb) == 0) {
		if (S_ISLNK(sb.st_mode))
			return cli_fail("--dump: --out: '%s' is a symbolic "
			    "link; not written through it (remove it or "
			    "name its target)", q);
	}
	if ((dir = strdup(out)) == NULL)
		return cli_fail("--dump: out of memory");
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		safeout_str(dir, q, sizeof q);
		err_set(&e, "%s", strerror(stat(dir, &sb) != 0 ? errno :
		    ENOTDIR));
		free(dir);
		return cli_fail("--dump: --out: the folder '%s' does not "
		    "exist (%s)", q, e.msg);
	}
	free(dir);
	return 0;
}

int
dump_main(const struct app_opts *app, const char *what,
    const struct dump_opts *opts)
{
	struct dump_opts o = *opts;
	struct lesson	*l;
	struct err	 e;
	char		*buf = NULL, *pics = NULL;
	size_t		 len = 0, n;
	FILE		*mem;
	int		 rc;

	if (o.out != NULL && (rc = dump_check_out(o.out)) != 0)
		return rc;
	if ((l = lesson_find(app, what, app ? app->lang : NULL,
	    &e)) == NULL)
		return cli_fail("%s", e.msg);
	if (o.cols <= 0)
		o.cols = dump_columns(o.out == NULL);
	if (o.fmt == DUMP_MD && o.out != NULL) {
		/* pictures beside the file: handout.md -> handout-step1.svg */
		if ((pics = strdup(o.out)) == NULL) {
			lesson_free(l);
			return cli_fail("--dump: out of memory");
		}
		n = strlen(pics);
		if (n > 3 && strcmp(pics + n - 3, ".md") == 0)
			pics[n - 3] = '\0';
		o.pics = pics;
	}
	if ((mem = open_memstream(&buf, &len)) == NULL) {
		lesson_free(l);
		free(pics);
		return cli_fail("--dump: out of memory");
	}
	rc = dump_lesson_opts(mem, l, &o);
	if (fclose(mem) != 0 && rc == 0)
		rc = -1;
	lesson_free(l);
	free(pics);
	if (rc == -2) {
		/* said already */
		free(buf);
		return CLI_EXIT_USAGE;
	}
	if (rc != 0) {
		free(buf);
		return cli_fail("--dump: %s: out of memory, or a step "
		    "cannot be set up", what);
	}
	if (o.out == NULL) {
		/* written at once: a failure is said here, with its reason
		   (the error flag cleared, so that main.c says it once) */
		errno = 0;
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
			int saved = errno;

			free(buf);
			clearerr(stdout);
			return saved != 0 ? cli_fail("write error: %s",
			    strerror(saved)) : cli_fail("write error");
		}
		free(buf);
		return 0;
	}
	rc = outfile_write(o.out, buf, len, &e);
	free(buf);
	if (rc != 0)
		return cli_fail("--dump: %s", e.msg);
	return 0;
}
