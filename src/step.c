/*
 * step.c -- one lesson step, live: values, results, edits, undo, and the
 * placeholder renderer that keeps the narrative in step with the numbers.
 *
 * Every number comes from the core: loss_eval() for the loss, pitfall_eval()
 * for the mistaken pipeline, activation_*() for sigmoid/softmax values shown
 * in the text, diag_check() for the warnings.  This file only moves values
 * around and formats them.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activation.h"
#include "core/curve.h"
#include "plot.h"
#include "step.h"
#include "strbuf.h"

struct step_snapshot {
	enum loss_id	 loss;
	struct mat	 input, target, weight, pos_weight;
	struct loss_opts opts;
	enum pitfall_id	 pitfall;
	int		 show_pitfall;
};

static void
step_clear_results(struct step *s)
{
	loss_result_free(&s->res);
	loss_result_free(&s->pres);
	s->ok = s->pitfall_ok = 0;
	s->error[0] = s->pitfall_error[0] = '\0';
	s->pitfall_floor = NAN;
	s->diags.n = 0;
}

static void
snap_free(struct step_snapshot *sn)
{
	if (sn == NULL)
		return;
	mat_free(&sn->input);
	mat_free(&sn->target);
	mat_free(&sn->weight);
	mat_free(&sn->pos_weight);
	free(sn);
}

/* Copy m into dst when m is set (ndim != 0); dst is freed first. */
static int
step_copy_opt(struct mat *dst, const struct mat *m, struct err *e)
{
	mat_free(dst);
	if (m == NULL || m->ndim == 0)
		return 0;
	return mat_copy(dst, m, e);
}

static void
step_zero(struct step *s)
{
	struct loss_result r = LOSS_RESULT_INIT;

	memset(s, 0, sizeof *s);
	s->res = r;
	s->pres = r;
	s->pitfall = PITFALL_NONE;
	s->pitfall_floor = NAN;
	loss_opts_init(&s->opts);
}

/* Load the values of src (the lesson step) into s. */
static int
step_load_src(struct step *s, const struct lesson_step *src, struct err *e)
{
	s->loss = src->loss;
	s->opts = src->opts;
	s->opts.weight = s->opts.pos_weight = NULL;
	s->pitfall = src->pitfall;
	s->show_pitfall = src->pitfall != PITFALL_NONE;
	if (step_copy_opt(&s->input, &src->input, e) != 0 ||
	    step_copy_opt(&s->target, &src->target, e) != 0 ||
	    step_copy_opt(&s->weight, &src->weight, e) != 0 ||
	    step_copy_opt(&s->pos_weight, &src->pos_weight, e) != 0)
		return -1;
	return 0;
}

int
step_init(struct step *s, const struct lesson *l, size_t index, struct err *e)
{
	step_zero(s);
	if (l == NULL || index >= l->nsteps)
		return err_set(e, "no step %zu in this lesson", index + 1);
	s->lesson = l;
	s->src = &l->steps[index];
	s->index = index;
	if (step_load_src(s, s->src, e) != 0)
		return -1;
	step_compute(s);
	return 0;
}

int
step_init_values(struct step *s, enum loss_id loss, const struct mat *input,
    const struct mat *target, const struct loss_opts *o,
    enum pitfall_id pitfall, struct err *e)
{
	step_zero(s);
	s->loss = loss;
	if (o != NULL)
		s->opts = *o;
	s->opts.weight = s->opts.pos_weight = NULL;
	s->pitfall = pitfall;
	s->show_pitfall = pitfall != PITFALL_NONE;
	if (step_copy_opt(&s->input, input, e) != 0 ||
	    step_copy_opt(&s->target, target, e) != 0 ||
	    (o != NULL && step_copy_opt(&s->weight, o->weight, e) != 0) ||
	    (o != NULL && step_copy_opt(&s->pos_weight, o->pos_weight, e) != 0))
		return -1;
	step_compute(s);
	return 0;
}

void
step_free(struct step *s)
{
	int	i;

	step_clear_results(s);
	mat_free(&s->input);
	mat_free(&s->target);
	mat_free(&s->weight);
	mat_free(&s->pos_weight);
	for (i = 0; i < s->nundo; i++)
		snap_free(s->undo[i]);
	s->nundo = 0;
}

int
step_index_target(const struct step *s)
{
	switch (s->loss) {
	case LOSS_CE:
	case LOSS_NLL:
	case LOSS_MULTI_MARGIN:
		return !mat_same_shape(&s->input, &s->target);
	default:
		return 0;
	}
}

/* Whether the loss gives one value per sample (a 1-D input is one sample). */
static int
step_per_sample(enum loss_id id)
{
	switch (id) {
	case LOSS_CE:
	case LOSS_NLL:
	case LOSS_MULTI_MARGIN:
	case LOSS_MULTILABEL_SOFT_MARGIN:
		return 1;
	default:
		return 0;
	}
}

/*
 * Logits that the pitfall pipeline would call perfect for the current
 * targets: +-40 per element (double-sigmoid: sign of y - 1/2), or 40 at the
 * target class and 0 elsewhere (softmax-then-ce).  Returns 0 or -1.
 */
static int
step_perfect_logits(const struct step *s, struct mat *x)
{
	struct err	 e;
	size_t		 r, c, best;
	double		 t;

	if (mat_alloc(x, s->input.ndim, s->input.rows, s->input.cols, &e) != 0)
		return -1;
	if (s->pitfall == PITFALL_DOUBLE_SIGMOID) {
		if (!mat_same_shape(&s->input, &s->target))
			return -1;
		for (r = 0; r < mat_numel(x); r++)
			x->v[r] = s->target.v[r] >= 0.5 ? 40 : -40;
		return 0;
	}
	for (r = 0; r < x->rows; r++) {
		if (step_index_target(s)) {
			if (r >= mat_numel(&s->target))
				return -1;
			t = s->target.v[r];
			if (t < 0 || t >= (double)x->cols)
				continue;	/* ignored: any logits */
			best = (size_t)t;
		} else {
			best = 0;
			for (c = 1; c < x->cols; c++)
				if (MAT_AT(&s->target, r, c) >
				    MAT_AT(&s->target, r, best))
					best = c;
		}
		MAT_AT(x, r, best) = 40;
	}
	return 0;
}

void
step_compute(struct step *s)
{
	struct err		 e;
	struct mat		 x = MAT_INIT;
	struct loss_result	 fr = LOSS_RESULT_INIT;

	step_clear_results(s);
	s->opts.weight = s->weight.ndim ? &s->weight : NULL;
	s->opts.pos_weight = s->pos_weight.ndim ? &s->pos_weight : NULL;
	if (loss_eval(s->loss, &s->input, &s->target, &s->opts, &s->res,
	    &e) == 0)
		s->ok = 1;
	else {
		loss_result_free(&s->res);
		snprintf(s->error, sizeof s->error, "%s", e.msg);
	}
	diag_check(s->loss, &s->input, &s->target, &s->opts,
	    s->ok ? &s->res : NULL, &s->diags);
	if (s->pitfall == PITFALL_NONE)
		return;
	if (pitfall_eval(s->pitfall, &s->input, &s->target, &s->opts,
	    &s->pres, &e) == 0)
		s->pitfall_ok = 1;
	else {
		loss_result_free(&s->pres);
		snprintf(s->pitfall_error, sizeof s->pitfall_error, "%s",
		    e.msg);
	}
	if ((s->pitfall == PITFALL_SOFTMAX_THEN_CE ||
	    s->pitfall == PITFALL_DOUBLE_SIGMOID) &&
	    step_perfect_logits(s, &x) == 0 &&
	    pitfall_eval(s->pitfall, &x, &s->target, &s->opts, &fr, &e) == 0)
		s->pitfall_floor = fr.value;
	loss_result_free(&fr);
	mat_free(&x);
}

enum pitfall_id
step_matching_pitfall(enum loss_id loss)
{
	switch (loss) {
	case LOSS_BCE_LOGITS:
		return PITFALL_DOUBLE_SIGMOID;
	case LOSS_CE:
		return PITFALL_SOFTMAX_THEN_CE;
	case LOSS_BCE:
		return PITFALL_NAIVE_FLOAT32;
	default:
		return PITFALL_NONE;
	}
}

int
step_toggle_pitfall(struct step *s)
{
	step_save(s);
	if (s->show_pitfall) {
		s->show_pitfall = 0;
		if (s->src == NULL || s->src->pitfall == PITFALL_NONE)
			s->pitfall = PITFALL_NONE;
	} else {
		if (s->src != NULL && s->src->pitfall != PITFALL_NONE)
			s->pitfall = s->src->pitfall;
		else
			s->pitfall = step_matching_pitfall(s->loss);
		s->show_pitfall = s->pitfall != PITFALL_NONE;
	}
	step_compute(s);
	return s->show_pitfall;
}

struct mat *
step_field_mat(struct step *s, enum step_field f)
{
	switch (f) {
	case STEP_INPUT:
		return &s->input;
	case STEP_TARGET:
		return &s->target;
	case STEP_WEIGHT:
		return s->weight.ndim ? &s->weight : NULL;
	case STEP_POS_WEIGHT:
		return s->pos_weight.ndim ? &s->pos_weight : NULL;
	}
	return NULL;
}

/* ---- undo ---------------------------------------------------------------- */

static struct step_snapshot *
snap_take(const struct step *s)
{
	struct step_snapshot	*sn;
	struct err		 e;

	if ((sn = calloc(1, sizeof *sn)) == NULL)
		return NULL;
	sn->loss = s->loss;
	sn->opts = s->opts;
	sn->pitfall = s->pitfall;
	sn->show_pitfall = s->show_pitfall;
	if (step_copy_opt(&sn->input, &s->input, &e) != 0 ||
	    step_copy_opt(&sn->target, &s->target, &e) != 0 ||
	    step_copy_opt(&sn->weight, &s->weight, &e) != 0 ||
	    step_copy_opt(&sn->pos_weight, &s->pos_weight, &e) != 0) {
		snap_free(sn);
		return NULL;
	}
	return sn;
}

void
step_save(struct step *s)
{
	struct step_snapshot *sn;

	if ((sn = snap_take(s)) == NULL)
		return;		/* out of memory: the edit is not undoable */
	if (s->nundo == STEP_UNDO_MAX) {
		snap_free(s->undo[0]);
		memmove(s->undo, s->undo + 1,
		    (STEP_UNDO_MAX - 1) * sizeof s->undo[0]);
		s->nundo--;
	}
	s->undo[s->nundo++] = sn;
}

int
step_undo(struct step *s)
{
	struct step_snapshot *sn;

	if (s->nundo == 0)
		return -1;
	sn = s->undo[--s->nundo];
	mat_free(&s->input);
	mat_free(&s->target);
	mat_free(&s->weight);
	mat_free(&s->pos_weight);
	s->loss = sn->loss;
	s->opts = sn->opts;
	s->pitfall = sn->pitfall;
	s->show_pitfall = sn->show_pitfall;
	s->input = sn->input;
	s->target = sn->target;
	s->weight = sn->weight;
	s->pos_weight = sn->pos_weight;
	free(sn);		/* the mats now belong to s */
	step_compute(s);
	return 0;
}

void
step_reset(struct step *s)
{
	struct err e;

	if (s->src == NULL)
		return;
	step_save(s);
	if (step_load_src(s, s->src, &e) != 0)
		(void)step_undo(s);
	step_compute(s);
}

/* ---- editing ------------------------------------------------------------- */

int
step_set_cell(struct step *s, enum step_field f, size_t r, size_t c,
    double v, struct err *e)
{
	struct mat	*m = step_field_mat(s, f);
	double		 k;

	if (m == NULL)
		return err_set(e, "this step has no %s",
		    f == STEP_WEIGHT ? "weight" : "pos_weight");
	if (r >= m->rows || c >= m->cols)
		return err_set(e, "no cell (%zu, %zu) in a %zu x %zu value",
		    r + 1, c + 1, m->rows, m->cols);
	if (f == STEP_TARGET && step_index_target(s)) {
		k = nearbyint(v);
		if (!isfinite(v) || k != v)
			return err_set(e, "a class index is a whole number");
		if ((k < 0 || k >= (double)s->input.cols) &&
		    k != (double)s->opts.ignore_index)
			return err_set(e, "class %g is out of range (0 to %zu, "
			    "or ignore_index %ld)", k, s->input.cols - 1,
			    s->opts.ignore_index);
		v = k;
	}
	step_save(s);
	MAT_AT(m, r, c) = v;
	step_compute(s);
	return 0;
}

/*
 * Insert (add != 0, at position at = count) or delete the slice `at` along
 * dimension dim (0: rows, 1: columns) of m, filling new values with a copy
 * of the last slice (copy != 0) or with fill.  A 1-D value only has dim 1.
 */
static int
mat_edit(struct mat *m, int dim, int add, size_t at, int copy, double fill,
    struct err *e)
{
	struct mat	 n = MAT_INIT;
	size_t		 rows = m->rows, cols = m->cols, r, c, sr, sc;

	if (dim == 0)
		rows = add ? rows + 1 : rows - 1;
	else
		cols = add ? cols + 1 : cols - 1;
	if (mat_alloc(&n, m->ndim, rows, cols, e) != 0)
		return -1;
	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++) {
			sr = r;
			sc = c;
			if (dim == 0 && !add && r >= at)
				sr = r + 1;
			if (dim == 1 && !add && c >= at)
				sc = c + 1;
			if (add && ((dim == 0 && r == m->rows) ||
			    (dim == 1 && c == m->cols))) {
				if (!copy || (dim == 0 ? m->rows : m->cols) == 0) {
					MAT_AT(&n, r, c) = fill;
					continue;
				}
				if (dim == 0)
					sr = m->rows - 1;
				else
					sc = m->cols - 1;
			}
			MAT_AT(&n, r, c) = MAT_AT(m, sr, sc);
		}
	mat_free(m);
	*m = n;
	return 0;
}

/* Turn a 1-D value of length k into a 1 x k matrix (same data). */
static void
mat_promote(struct mat *m)
{
	if (m->ndim == 1)
		m->ndim = 2;
}

/* An optional per-element or per-class mat follows a change of the input's
   columns (when its length is the input's last dim) or rows. */
static int
step_follow(struct mat *w, const struct mat *in_before, int dim, int add,
    size_t at, double fill, struct err *e)
{
	if (w->ndim == 0)
		return 0;
	if (dim == 1 && w->cols == in_before->cols && w->cols > 0 &&
	    (w->ndim == 1 || w->rows == in_before->rows || w->rows == 1))
		return mat_edit(w, 1, add, at, 0, fill, e);
	if (dim == 0 && w->ndim == 2 && in_before->ndim == 2 &&
	    w->rows == in_before->rows && w->rows > 1)
		return mat_edit(w, 0, add, at, 1, fill, e);
	return 0;
}

/* Change the number of elements/classes (dim 1) or samples (dim 0). */
static int
step_resize(struct step *s, int dim, int add, size_t at, struct err *e)
{
	struct mat	 before = s->input;	/* shape only */
	int		 idx = step_index_target(s);
	size_t		 i, C;
	double		*t;

	if (!add) {
		if (dim == 0 && s->input.rows <= 1)
			return err_set(e, "cannot remove the last sample");
		if (dim == 1 && s->input.cols <= 1)
			return err_set(e, "cannot remove the last %s",
			    step_per_sample(s->loss) ? "class" : "element");
		if (at >= (dim == 0 ? s->input.rows : s->input.cols))
			return err_set(e, "no %s %zu", dim == 0 ? "row" :
			    "column", at + 1);
	}
	step_save(s);
	if (dim == 0 && s->input.ndim == 1) {
		/* a second sample: the unbatched sample becomes a batch */
		mat_promote(&s->input);
		/* a class index [k] stays 1-D: it now reads as N = 1 */
		if (!idx)
			mat_promote(&s->target);
		before = s->input;
	}
	if (mat_edit(&s->input, dim, add, at, dim == 0, 0.0, e) != 0)
		goto fail;
	if (idx) {
		if (dim == 0) {
			if (mat_edit(&s->target, 1, add, at, 0, 0.0, e) != 0)
				goto fail;
		} else {
			C = s->input.cols;
			t = s->target.v;
			for (i = 0; !add && i < mat_numel(&s->target); i++) {
				if (t[i] == (double)s->opts.ignore_index)
					continue;
				if (t[i] > (double)at)
					t[i] -= 1;
				if (t[i] >= (double)C)
					t[i] = (double)C - 1;
			}
		}
	} else if (mat_edit(&s->target, dim, add, at, dim == 0, 0.0, e) != 0)
		goto fail;
	if (step_follow(&s->weight, &before, dim, add, at, 1.0, e) != 0 ||
	    step_follow(&s->pos_weight, &before, dim, add, at, 1.0, e) != 0)
		goto fail;
	step_compute(s);
	return 0;
fail:
	(void)step_undo(s);
	return -1;
}

int
step_add_row(struct step *s, struct err *e)
{
	/* element-wise 1-D input: a row is one more element */
	if (s->input.ndim == 1 && !step_per_sample(s->loss))
		return step_resize(s, 1, 1, s->input.cols, e);
	return step_resize(s, 0, 1, s->input.ndim == 1 ? 1 : s->input.rows, e);
}

int
step_remove_row(struct step *s, size_t r, struct err *e)
{
	if (s->input.ndim == 1 && !step_per_sample(s->loss))
		return step_resize(s, 1, 0, r, e);
	if (s->input.ndim == 1)
		return err_set(e, "cannot remove the only sample");
	return step_resize(s, 0, 0, r, e);
}

int
step_add_col(struct step *s, struct err *e)
{
	return step_resize(s, 1, 1, s->input.cols, e);
}

int
step_remove_col(struct step *s, size_t c, struct err *e)
{
	return step_resize(s, 1, 0, c, e);
}

void
step_cycle_reduction(struct step *s)
{
	step_save(s);
	switch (s->opts.reduction) {
	case LOSS_REDUCTION_NONE:
		s->opts.reduction = LOSS_REDUCTION_MEAN;
		break;
	case LOSS_REDUCTION_MEAN:
		s->opts.reduction = LOSS_REDUCTION_SUM;
		break;
	case LOSS_REDUCTION_SUM:
		s->opts.reduction = s->loss == LOSS_KL_DIV ?
		    LOSS_REDUCTION_BATCHMEAN : LOSS_REDUCTION_NONE;
		break;
	case LOSS_REDUCTION_BATCHMEAN:
		s->opts.reduction = LOSS_REDUCTION_NONE;
		break;
	}
	step_compute(s);
}

int
step_set_option(struct step *s, const char *name, double v, struct err *e)
{
	struct loss_opts o = s->opts;

	if (strcmp(name, "label_smoothing") == 0)
		o.label_smoothing = v;
	else if (strcmp(name, "margin") == 0)
		o.margin = v;
	else if (strcmp(name, "alpha") == 0)
		o.alpha = v;
	else if (strcmp(name, "gamma") == 0)
		o.gamma = v;
	else if (strcmp(name, "p") == 0) {
		if (v != 1 && v != 2)
			return err_set(e, "p must be 1 or 2");
		o.p = (int)v;
	} else if (strcmp(name, "ignore_index") == 0) {
		if (!isfinite(v) || v != floor(v))
			return err_set(e, "ignore_index is a whole number");
		o.ignore_index = (long)v;
	} else if (strcmp(name, "log_target") == 0)
		o.log_target = v != 0;
	else
		return err_set(e, "unknown option '%s'", name);
	if (!isfinite(v))
		return err_set(e, "%s must be a finite number", name);
	step_save(s);
	s->opts = o;
	step_compute(s);
	return 0;
}

/* ---- rendering ----------------------------------------------------------- */

const char *
step_fmt(double v, int prec, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "nan");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else {
		if (v == 0)
			v = 0;	/* -0 */
		snprintf(buf, len, "%.*g", prec > 0 ? prec : 6, v);
	}
	return buf;
}

/* Element [i] or [i][j] of m (a NULL m or bad index: -1). */
static int
step_elem(const struct mat *m, int nidx, const long *idx, double *out)
{
	if (m == NULL || m->ndim == 0 || m->v == NULL)
		return -1;
	if (nidx == 1) {
		if (idx[0] < 0 || (size_t)idx[0] >= mat_numel(m))
			return -1;
		*out = m->v[idx[0]];
		return 0;
	}
	if (nidx == 2) {
		if (m->ndim != 2 || idx[0] < 0 || idx[1] < 0 ||
		    (size_t)idx[0] >= m->rows || (size_t)idx[1] >= m->cols)
			return -1;
		*out = MAT_AT(m, idx[0], idx[1]);
		return 0;
	}
	return -1;
}

/* The activation of the input at an index: which 0 sigmoid, 1 sigmoid of
   sigmoid, 2 softmax, 3 log_softmax, 4 softmax of softmax. */
static int
step_act(const struct step *s, int which, int nidx, const long *idx,
    double *out)
{
	const struct mat *m = &s->input;
	size_t		 r, c, C = m->cols;
	double		*row;
	double		 x;

	if (m->v == NULL || nidx < 1 || nidx > 2)
		return -1;
	if (nidx == 1) {
		if (idx[0] < 0 || (size_t)idx[0] >= mat_numel(m))
			return -1;
		r = (size_t)idx[0] / C;
		c = (size_t)idx[0] % C;
	} else {
		if (m->ndim != 2 || idx[0] < 0 || idx[1] < 0 ||
		    (size_t)idx[0] >= m->rows || (size_t)idx[1] >= C)
			return -1;
		r = (size_t)idx[0];
		c = (size_t)idx[1];
	}
	x = MAT_AT(m, r, c);
	if (which == 0) {
		*out = activation_sigmoid(x);
		return 0;
	}
	if (which == 1) {
		*out = activation_sigmoid(activation_sigmoid(x));
		return 0;
	}
	if ((row = malloc(C * sizeof *row)) == NULL)
		return -1;
	if (which == 2)
		activation_softmax(&MAT_AT(m, r, 0), row, C);
	else if (which == 3)
		activation_log_softmax(&MAT_AT(m, r, 0), row, C);
	else {
		activation_softmax(&MAT_AT(m, r, 0), row, C);
		activation_softmax(row, row, C);
	}
	*out = row[c];
	free(row);
	return 0;
}

/*
 * Evaluate one placeholder name (with its [..] indices parsed) into a
 * number (*isnum = 1) or a string.  Returns 0, or -1 if unknown.
 */
static int
step_lookup(const struct step *s, const char *name, int nidx, const long *idx,
    double *num, const char **str, int *isnum)
{
	const struct loss_result *r = s->ok ? &s->res : NULL;
	const struct loss_result *pr = s->pitfall_ok ? &s->pres : NULL;
	double	 a, b;

	*isnum = 1;
	*str = NULL;
	if (nidx == 0) {
		if (strcmp(name, "value") == 0 && r) {
			*num = r->value;
			return 0;
		}
		if (strcmp(name, "denom") == 0 && r) {
			*num = r->denom;
			return 0;
		}
		if (strcmp(name, "C") == 0 && s->input.ndim) {
			*num = (double)s->input.cols;
			return 0;
		}
		if (strcmp(name, "N") == 0 && s->input.ndim) {
			*num = s->input.ndim == 2 ? (double)s->input.rows : 1;
			return 0;
		}
		if (strcmp(name, "numel") == 0 && s->input.ndim) {
			*num = (double)mat_numel(&s->input);
			return 0;
		}
		if (strcmp(name, "label_smoothing") == 0) {
			*num = s->opts.label_smoothing;
			return 0;
		}
		if (strcmp(name, "ignore_index") == 0) {
			*num = (double)s->opts.ignore_index;
			return 0;
		}
		if (strcmp(name, "margin") == 0) {
			*num = s->opts.margin;
			return 0;
		}
		if (strcmp(name, "p") == 0) {
			*num = s->opts.p;
			return 0;
		}
		if (strcmp(name, "alpha") == 0) {
			*num = s->opts.alpha;
			return 0;
		}
		if (strcmp(name, "gamma") == 0) {
			*num = s->opts.gamma;
			return 0;
		}
		if (strcmp(name, "pitfall.value") == 0 && pr) {
			*num = pr->value;
			return 0;
		}
		if (strcmp(name, "pitfall.denom") == 0 && pr) {
			*num = pr->denom;
			return 0;
		}
		if (strcmp(name, "pitfall.floor") == 0 &&
		    !isnan(s->pitfall_floor)) {
			*num = s->pitfall_floor;
			return 0;
		}
		if (strcmp(name, "diff") == 0 && r && pr) {
			*num = pr->value - r->value;
			return 0;
		}
		if (strcmp(name, "ratio") == 0 && r && pr) {
			*num = pr->value / r->value;
			return 0;
		}
		*isnum = 0;
		if (strcmp(name, "loss") == 0)
			*str = loss_name(s->loss);
		else if (strcmp(name, "torch") == 0)
			*str = loss_torch_name(s->loss);
		else if (strcmp(name, "reduction") == 0)
			*str = loss_reduction_name(s->opts.reduction);
		else if (strcmp(name, "kind") == 0) {
			switch (loss_input_kind(s->loss)) {
			case LOSS_INPUT_LOGITS:
				*str = "logits";
				break;
			case LOSS_INPUT_PROBABILITIES:
				*str = "probabilities";
				break;
			case LOSS_INPUT_LOG_PROBABILITIES:
				*str = "log-probabilities";
				break;
			}
		} else if (strcmp(name, "pitfall") == 0)
			*str = pitfall_name(s->pitfall);
		else if (strcmp(name, "pitfall.code") == 0 &&
		    s->pitfall != PITFALL_NONE)
			*str = pitfall_torch_code(s->pitfall);
		else if (strcmp(name, "error") == 0)
			*str = s->error;
		else if (strcmp(name, "pitfall.error") == 0)
			*str = s->pitfall_error;
		return *str == NULL ? -1 : 0;
	}
	if (strcmp(name, "elem") == 0)
		return r ? step_elem(&r->elem, nidx, idx, num) : -1;
	if (strcmp(name, "grad") == 0)
		return r ? step_elem(&r->grad, nidx, idx, num) : -1;
	if (strcmp(name, "input") == 0)
		return step_elem(&s->input, nidx, idx, num);
	if (strcmp(name, "target") == 0)
		return step_elem(&s->target, nidx, idx, num);
	if (strcmp(name, "weight") == 0)
		return step_elem(&s->weight, nidx, idx, num);
	if (strcmp(name, "pos_weight") == 0)
		return step_elem(&s->pos_weight, nidx, idx, num);
	if (strcmp(name, "sigmoid") == 0)
		return step_act(s, 0, nidx, idx, num);
	if (strcmp(name, "sigmoid2") == 0)
		return step_act(s, 1, nidx, idx, num);
	if (strcmp(name, "softmax") == 0)
		return step_act(s, 2, nidx, idx, num);
	if (strcmp(name, "log_softmax") == 0)
		return step_act(s, 3, nidx, idx, num);
	if (strcmp(name, "softmax2") == 0)
		return step_act(s, 4, nidx, idx, num);
	if (strcmp(name, "pitfall.elem") == 0)
		return pr ? step_elem(&pr->elem, nidx, idx, num) : -1;
	if (strcmp(name, "pitfall.grad") == 0)
		return pr ? step_elem(&pr->grad, nidx, idx, num) : -1;
	if (strcmp(name, "ratio.grad") == 0) {
		if (!r || !pr || step_elem(&pr->grad, nidx, idx, &a) != 0 ||
		    step_elem(&r->grad, nidx, idx, &b) != 0)
			return -1;
		*num = a / b;
		return 0;
	}
	return -1;
}

/* Parse "name[i][j]:prec" (the text between braces); 0 or -1. */
static int
step_parse_ph(char *ph, char **name, int *nidx, long *idx, int *prec)
{
	char	*p, *colon, *end;

	*prec = 0;
	*nidx = 0;
	if ((colon = strrchr(ph, ':')) != NULL) {
		*colon = '\0';
		*prec = (int)strtol(colon + 1, &end, 10);
		if (*end != '\0' || *prec < 1 || *prec > 17)
			return -1;
	}
	*name = ph;
	for (p = ph; *p != '\0' && *p != '['; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			return -1;
	if (p == ph)
		return -1;
	while (*p == '[') {
		*p++ = '\0';
		if (*nidx == 2)
			return -1;
		if (!isdigit((unsigned char)*p))
			return -1;
		idx[(*nidx)++] = strtol(p, &end, 10);
		if (*end != ']')
			return -1;
		p = end + 1;
	}
	return *p == '\0' ? 0 : -1;
}

char *
step_render(const struct step *s, const char *tmpl, int *nbad, char *bad,
    size_t badlen)
{
	struct strbuf	 b = STRBUF_INIT;
	const char	*p, *q, *str;
	char		 ph[128], copy[128], num[64], *name;
	long		 idx[2];
	int		 nidx, prec, isnum, nb = 0;
	double		 v;
	size_t		 n;

	if (bad != NULL && badlen > 0)
		bad[0] = '\0';
	strbuf_add(&b, "", 0);
	for (p = tmpl ? tmpl : ""; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] == '{') {
			strbuf_add(&b, "{", 1);
			p++;
			continue;
		}
		if (p[0] == '}' && p[1] == '}') {
			strbuf_add(&b, "}", 1);
			p++;
			continue;
		}
		if (*p != '{') {
			strbuf_add(&b, p, 1);
			continue;
		}
		q = strchr(p + 1, '}');
		n = q ? (size_t)(q - p - 1) : 0;
		if (q == NULL || n == 0 || n >= sizeof ph ||
		    memchr(p + 1, '{', n) != NULL || memchr(p + 1, '\n', n)) {
			/* not a placeholder: a lone brace */
			strbuf_add(&b, "{?}", 3);
			nb++;
			if (nb == 1 && bad != NULL)
				snprintf(bad, badlen, "%s", "{");
			continue;
		}
		memcpy(ph, p + 1, n);
		ph[n] = '\0';
		memcpy(copy, ph, n + 1);
		if (step_parse_ph(copy, &name, &nidx, idx, &prec) != 0 ||
		    step_lookup(s, name, nidx, idx, &v, &str, &isnum) != 0) {
			strbuf_add(&b, "{?", 2);
			strbuf_add(&b, ph, n);
			strbuf_add(&b, "}", 1);
			if (nb++ == 0 && bad != NULL)
				snprintf(bad, badlen, "%s", ph);
		} else if (isnum) {
			step_fmt(v, prec, num, sizeof num);
			strbuf_add(&b, num, strlen(num));
		} else
			strbuf_add(&b, str, strlen(str));
		p = q;
	}
	if (nbad != NULL)
		*nbad = nb;
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* ---- the plot of a step -------------------------------------------------- */

int
step_plot_req(const struct step *s, size_t row, size_t col,
    struct plot_req *req)
{
	enum plot_kind	 k;
	enum pitfall_id	 pf;
	enum loss_input_kind ik;
	size_t		 r, c, i, C, y, j, n;
	double		 v, t;
	int		 kind_ok = 0;

	if (s->src != NULL && s->src->plot != NULL &&
	    plot_kind_parse(s->src->plot, &k) == 0)
		kind_ok = 1;
	if (!kind_ok) {
		pf = s->show_pitfall ? s->pitfall : PITFALL_NONE;
		kind_ok = 1;
		if (pf == PITFALL_DOUBLE_SIGMOID)
			k = PLOT_DOUBLE_SIGMOID;
		else if (pf == PITFALL_SOFTMAX_THEN_CE)
			k = PLOT_SOFTMAX_THEN_CE;
		else if (pf == PITFALL_NAIVE_FLOAT32)
			k = PLOT_NAIVE_FLOAT32;
		else if (s->loss == LOSS_BCE)
			k = PLOT_BCE_CURVE;
		else if (s->loss == LOSS_BCE_LOGITS)
			k = PLOT_LOGITS_CURVE;
		else if (s->loss == LOSS_CE)
			k = PLOT_CE_CURVE;
		else if (s->loss == LOSS_FOCAL)
			k = PLOT_FOCAL;
		else if (s->loss == LOSS_SOFT_MARGIN ||
		    s->loss == LOSS_MULTILABEL_SOFT_MARGIN) {
			k = PLOT_COMPARE;
		} else
			kind_ok = 0;
	}
	if (!kind_ok)
		return -1;
	plot_req_init(req, k);
	if (k == PLOT_COMPARE) {
		req->nlosses = 2;
		req->losses[0] = s->loss;
		req->losses[1] = LOSS_BCE_LOGITS;
		if (s->loss == LOSS_BCE_LOGITS)
			req->nlosses = 1;
	}
	if (s->loss == LOSS_FOCAL) {
		if (s->opts.alpha >= 0)
			req->alpha = s->opts.alpha;
	}
	if (k == PLOT_POS_WEIGHT && mat_numel(&s->pos_weight) > 0)
		req->pos_weight = s->pos_weight.v[0];
	if (k == PLOT_LABEL_SMOOTHING && s->opts.label_smoothing > 0)
		req->label_smoothing = s->opts.label_smoothing;

	/* The mark: the last input cell selected. */
	n = mat_numel(&s->input);
	if (n == 0)
		return 0;
	r = row;
	c = col;
	if (s->input.ndim != 2) {
		i = c;
		r = 0;
	} else
		i = r * s->input.cols + c;
	if (i >= n)
		return 0;
	v = s->input.v[i];
	ik = loss_input_kind(s->loss);
	switch (k) {
	case PLOT_BCE_CURVE:
		if (ik == LOSS_INPUT_PROBABILITIES) {
			req->has_mark = 1;
			req->mark = v;
		} else if (ik == LOSS_INPUT_LOGITS) {
			req->has_mark = 1;
			req->mark = activation_sigmoid(v);
		}
		break;
	case PLOT_CE_CURVE:
	case PLOT_SOFTMAX_THEN_CE:
	case PLOT_LABEL_SMOOTHING:
		/* The margin with this row's loss (the core's curve_ce_margin). */
		C = s->input.cols;
		if (ik != LOSS_INPUT_LOGITS || C < 2)
			break;
		req->classes = (int)C;
		if (step_index_target(s)) {
			if (r >= mat_numel(&s->target))
				break;
			t = s->target.v[r];
			if (!(t >= 0 && t < (double)C))
				break;
			y = (size_t)t;
		} else if (mat_same_shape(&s->input, &s->target)) {
			/* Class probabilities: the most probable class. */
			for (y = 0, j = 1; j < C; j++)
				if (s->target.v[r * C + j] >
				    s->target.v[r * C + y])
					y = j;
		} else
			break;
		req->has_mark = 1;
		req->mark = curve_ce_margin(&s->input.v[r * C], C, y);
		break;
	default:
		if (ik == LOSS_INPUT_LOGITS) {
			req->has_mark = 1;
			req->mark = v;
		}
		if (mat_same_shape(&s->input, &s->target)) {
			t = s->target.v[r * (s->input.ndim == 2 ?
			    s->input.cols : 0) + c];
			if (t == 0 || t == 1)
				req->target = t;
		}
		break;
	}
	if (req->has_mark && !isfinite(req->mark))
		req->has_mark = 0;
	/* Widen a logit or margin axis so that the mark stays on the plot
	   (curve kinds are in plot kind order, see core/curve.h). */
	if (req->has_mark && k != PLOT_BCE_CURVE && (int)k < CURVE_KIND_COUNT) {
		double	lo, hi, pad;

		curve_default_range((enum curve_kind)k, &lo, &hi);
		pad = (hi - lo) * 0.1;
		if (req->mark < lo || req->mark > hi) {
			req->xmin = req->mark < lo ? req->mark - pad : lo;
			req->xmax = req->mark > hi ? req->mark + pad : hi;
		}
	}
	return 0;
}
