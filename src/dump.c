/*
 * dump.c -- a lesson as plain text: title, then for every step its heading,
 * the narrative (placeholders filled), the values table, the per-element
 * loss, the reduced value and what it is, the gradient, the core's warnings,
 * the pitfall pipeline beside the correct one, the predict-first question
 * with its answer, the plot kind and the PyTorch code.
 *
 * All numbers come from struct step (i.e. from the core); this file only lays
 * them out, measuring text with text.h so Chinese lines up too.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dump.h"
#include "i18n.h"
#include "text.h"

/* Print s wrapped to cols columns; the first line as is, the others
   indented by hang spaces. */
static int
dump_wrapped_hang(FILE *out, const char *s, int cols, int hang)
{
	char		*w;
	const char	*p, *nl;
	int		 first = 1;

	/* wrap the first line at full width, the rest narrower: simplest is
	   to wrap everything at cols - hang (a little narrower) */
	if ((w = text_wrap(s, cols - hang)) == NULL)
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

/* Print s wrapped to cols columns, each line prefixed by indent spaces. */
static int
dump_wrapped(FILE *out, const char *s, int cols, int indent)
{
	char		*w;
	const char	*p, *nl;

	if ((w = text_wrap(s, cols - indent)) == NULL)
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

/* Render a template and print it wrapped; unknown placeholders stay
   visible as {?name}. */
static int
dump_template(FILE *out, const struct step *s, const char *tmpl, int cols,
    int indent)
{
	char	*r;
	int	 rc;

	if ((r = step_render(s, tmpl, NULL, NULL, 0)) == NULL)
		return -1;
	rc = dump_wrapped(out, r, cols, indent);
	free(r);
	return rc;
}

static const char *
dump_kind_name(enum loss_id id)
{
	switch (loss_input_kind(id)) {
	case LOSS_INPUT_LOGITS:
		return _("logits");
	case LOSS_INPUT_PROBABILITIES:
		return _("probabilities");
	case LOSS_INPUT_LOG_PROBABILITIES:
		return _("log-probabilities");
	}
	return "";
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
		snprintf(buf, len, per_sample ? (n == 1 ? _("sum over %zu "
		    "sample") : _("sum over %zu samples")) : (n == 1 ?
		    _("sum over %zu element") : _("sum over %zu elements")), n);
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
			snprintf(buf, len, r->denom == 1 ? _("mean over %s "
			    "sample; its loss is already averaged over its %zu "
			    "classes") : _("mean over %s samples; each sample's "
			    "loss is already averaged over its %zu classes"), d,
			    s->input.cols);
		else if (per_sample)
			snprintf(buf, len, r->denom == 1 ? _("mean over %s "
			    "sample") : _("mean over %s samples"), d);
		else
			snprintf(buf, len, r->denom == 1 ? _("mean over %s "
			    "element") : _("mean over %s elements"), d);
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
	t->cell[r * t->cols + c] = strdup(s);
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
dump_pitfall(FILE *out, const struct step *s, int cols)
{
	struct dtable	 t;
	size_t		 n, i;
	char		 h[96], b[64];
	const struct mat *g;

	fprintf(out, "\n%s: %s\n", _("Pitfall"), pitfall_name(s->pitfall));
	fprintf(out, "  %s: %s\n", _("the mistake"),
	    pitfall_torch_code(s->pitfall));
	if (!s->pitfall_ok) {
		snprintf(h, sizeof h, "  %s: ", _("the mistaken pipeline "
		    "fails"));
		dump_hanging(out, h, s->pitfall_error, cols, 4);
		return;
	}
	n = mat_numel(&s->pres.grad);
	if (dt_init(&t, n + 2, 4) != 0)
		return;
	snprintf(h, sizeof h, "%s (%s)", _("correct"), loss_name(s->loss));
	dt_set(&t, 0, 1, h);
	dt_set(&t, 0, 2, _("pitfall"));
	dt_set(&t, 0, 3, _("difference"));
	dt_set(&t, 1, 0, _("value"));
	if (s->ok)
		dt_num(&t, 1, 1, s->res.value);
	dt_num(&t, 1, 2, s->pres.value);
	if (s->ok) {
		dt_num(&t, 1, 3, s->pres.value - s->res.value);
	}
	g = &s->pres.grad;
	for (i = 0; i < n; i++) {
		if (g->ndim == 2)
			snprintf(h, sizeof h, "%s [%zu][%zu]",
			    loss_grad_label(pitfall_loss(s->pitfall)),
			    i / g->cols, i % g->cols);
		else
			snprintf(h, sizeof h, "%s [%zu]",
			    loss_grad_label(pitfall_loss(s->pitfall)), i);
		dt_set(&t, i + 2, 0, h);
		if (s->ok && i < mat_numel(&s->res.grad))
			dt_num(&t, i + 2, 1, s->res.grad.v[i]);
		dt_num(&t, i + 2, 2, g->v[i]);
		if (s->ok && i < mat_numel(&s->res.grad))
			dt_num(&t, i + 2, 3, g->v[i] - s->res.grad.v[i]);
	}
	dt_print(out, &t, 2);
	dt_free(&t);
	if (!isnan(s->pitfall_floor))
		fprintf(out, "  %s: %s\n", _("lowest value the mistake can "
		    "reach for these targets"),
		    step_fmt(s->pitfall_floor, 0, b, sizeof b));
}

static void
dump_predict(FILE *out, const struct step *s, int cols)
{
	const struct lesson_predict *q = &s->src->predict;
	char	 lead[16];
	int	 i;

	fprintf(out, "%s\n", _("Predict first:"));
	dump_template(out, s, q->question, cols, 2);
	for (i = 0; i < q->nchoices; i++) {
		snprintf(lead, sizeof lead, "  %d) ", i + 1);
		fputs(lead, out);
		dump_template(out, s, q->choices[i], cols - 5, 0);
	}
	if (q->nchoices == 0 && q->prompt != NULL) {
		fprintf(out, "  > ");
		dump_template(out, s, q->prompt, cols - 4, 0);
	}
}

/* The answer to the predict-first question, shown after the numbers. */
static void
dump_answer(FILE *out, const struct step *s, int cols)
{
	const struct lesson_predict *q = &s->src->predict;

	fprintf(out, "\n%s\n", _("Predict first: the answer"));
	if (q->answer != NULL) {
		if (q->correct >= 0)
			fprintf(out, "  %s %d) ", _("Answer:"), q->correct + 1);
		else
			fprintf(out, "  %s ", _("Answer:"));
		dump_template(out, s, q->answer, cols - 12, 0);
	}
	if (q->explain != NULL)
		dump_template(out, s, q->explain, cols, 2);
}

int
dump_step(FILE *out, const struct step *s, int cols)
{
	char		 buf[256], shape[32], what[256], args[512];
	const struct lesson_step *src = s->src;
	struct plot_req	 req;
	size_t		 nsteps = s->lesson ? s->lesson->nsteps : 1;
	int		 i;

	snprintf(buf, sizeof buf, _("Step %zu/%zu: %s"), s->index + 1, nsteps,
	    src ? src->title : "");
	fprintf(out, "%s\n", buf);
	for (i = (int)text_width(buf); i > 0; i--)
		fputc('-', out);
	fputc('\n', out);
	if (src != NULL && src->predict.question != NULL) {
		dump_predict(out, s, cols);
		fputc('\n', out);
	}
	if (src != NULL && src->text != NULL) {
		if (dump_template(out, s, src->text, cols, 0) != 0)
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
		snprintf(buf, sizeof buf, "  %s: ", _("Error"));
		dump_hanging(out, buf, s->error, cols, 4);
	}
	for (i = 0; i < s->diags.n; i++) {
		snprintf(buf, sizeof buf, "  %s [%s]: ", _("warning"),
		    s->diags.d[i].id);
		dump_hanging(out, buf, s->diags.d[i].msg, cols, 4);
	}
	if (s->pitfall != PITFALL_NONE && s->show_pitfall)
		dump_pitfall(out, s, cols);
	if (src != NULL && src->predict.question != NULL)
		dump_answer(out, s, cols);
	if (step_plot_req(s, 0, 0, &req) == 0) {
		plot_req_args(&req, args, sizeof args);
		fprintf(out, "\n%s: %s  (losslab plot %s)\n", _("Plot"),
		    plot_kind_name(req.kind), args);
	}
	if (src != NULL && src->code != NULL && src->code[0] != '\0') {
		fprintf(out, "\n%s:\n", _("PyTorch"));
		dump_wrapped(out, src->code, 1000, 4);
	}
	return ferror(out) ? -1 : 0;
}

int
dump_lesson(FILE *out, const struct lesson *l, int cols)
{
	struct step	 s;
	struct err	 e;
	size_t		 i;
	int		 k, rc = 0;

	fprintf(out, "%s\n", l->title);
	for (k = (int)text_width(l->title); k > 0; k--)
		fputc('=', out);
	fputc('\n', out);
	if (l->summary[0] != '\0')
		dump_wrapped(out, l->summary, cols, 0);
	for (i = 0; i < l->nsteps && rc == 0; i++) {
		fputc('\n', out);
		if (step_init(&s, l, i, &e) != 0) {
			fprintf(out, "%s\n", e.msg);
			step_free(&s);
			rc = -1;
			break;
		}
		rc = dump_step(out, &s, cols);
		step_free(&s);
	}
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
	if (fflush(stdout) != 0 || rc != 0) {
		return cli_fail("--dump: write error");
	}
	return 0;
}
