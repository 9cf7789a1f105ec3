/*
 * step.c -- one lesson step, live: values, results, the pitfall
 * comparison, edits and undo.
 *
 * Every number comes from the core: loss_eval() for the loss, pitfall_eval()
 * for the mistaken pipeline, diag_check() for the warnings.  This file only
 * moves values around and formats them.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "step.h"

struct step_snapshot {
	enum loss_id	 loss;
	struct mat	 input, target, weight, pos_weight;
	struct loss_opts opts;
	enum pitfall_id	 pitfall;
	int		 show_pitfall;
	enum dtype	 dtype, target_dtype;
};

static void
step_clear_results(struct step *s)
{
	loss_result_free(&s->res);
	loss_result_free(&s->pres);
	loss_result_free(&s->cres);
	s->ok = s->pitfall_ok = s->cmp_ok = 0;
	s->error[0] = s->pitfall_error[0] = s->cmp_error[0] = '\0';
	s->pitfall_floor = NAN;
	s->diags.n = 0;
	s->rdtype = DTYPE_COUNT;
	s->dtype_hint = NULL;
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
	s->cres = r;
	s->pitfall = PITFALL_NONE;
	s->pitfall_floor = NAN;
	s->dtype = DTYPE_DOUBLE;
	s->target_dtype = s->rdtype = DTYPE_COUNT;
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
	s->dtype = src->opts.float32 ? DTYPE_FLOAT : DTYPE_DOUBLE;
	s->target_dtype = src->target_dtype;
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
	s->dtype = o != NULL && o->float32 ? DTYPE_FLOAT : DTYPE_DOUBLE;
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
			/* class probabilities: the target's shape, or no floor */
			if (!mat_same_shape(&s->input, &s->target))
				return -1;
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

/*
 * How a float32 pipeline's numbers were made: bce-on-logits is BCELoss on
 * the logits, naive-float32 float arithmetic itself (the float kernels'
 * numbers); the others squash in float64 before the float kernel, so
 * their numbers are float64 rounded where torch squashes in float.
 */
static void
step_pitfall_f32(enum pitfall_id p, struct loss_result *r)
{
	if (r->f32 == LOSS_F32_KERNEL && p != PITFALL_BCE_ON_LOGITS &&
	    p != PITFALL_NAIVE_FLOAT32)
		r->f32 = LOSS_F32_ROUNDED;
}

/* What torch says of loss id on the step's dtypes: 0 with *rdt, or -1
   with e set to its message. */
static int
step_dtype_check(const struct step *s, enum loss_id id, enum dtype *rdt,
    struct err *e)
{
	int	prob = id == LOSS_CE && mat_same_shape(&s->input, &s->target);

	return dtype_check(id, prob, s->dtype, step_target_dtype(s), rdt, e);
}

void
step_compute(struct step *s)
{
	struct err		 e, de;
	struct mat		 x = MAT_INIT;
	struct loss_result	 fr = LOSS_RESULT_INIT;
	struct loss_opts	 po;
	enum dtype		 rdt;
	int			 rc;

	step_clear_results(s);
	s->opts.weight = s->weight.ndim ? &s->weight : NULL;
	s->opts.pos_weight = s->pos_weight.ndim ? &s->pos_weight : NULL;
	/* torch's order: the shapes (loss_eval's errors but the value
	   ones), then the dtypes, then the values */
	if (step_dtype_check(s, s->loss, &rdt, &de) == 0)
		s->rdtype = rdt;
	s->opts.float32 = s->rdtype == DTYPE_FLOAT;
	rc = loss_eval(s->loss, &s->input, &s->target, &s->opts, &s->res, &e);
	if (rc == 0 && s->rdtype != DTYPE_COUNT)
		s->ok = 1;
	else {
		loss_result_free(&s->res);
		if (s->rdtype == DTYPE_COUNT && (rc == 0 ||
		    dtype_value_error(e.msg))) {
			e = de;
			s->dtype_hint = dtype_hint(s->loss, s->loss == LOSS_CE &&
			    mat_same_shape(&s->input, &s->target), s->dtype,
			    step_target_dtype(s));
		}
		snprintf(s->error, sizeof s->error, "%s", e.msg);
	}
	diag_check(s->loss, &s->input, &s->target, &s->opts,
	    s->ok ? &s->res : NULL, &s->diags);
	if (s->pitfall == PITFALL_NONE)
		return;
	/* The pipeline in the dtype torch would use for it (as the plot's
	   curves, core/curve.c, compute it) */
	po = s->opts;
	rc = step_dtype_check(s, pitfall_loss(s->pitfall), &rdt, &de);
	po.float32 = rc == 0 && rdt == DTYPE_FLOAT;
	if (rc != 0)
		snprintf(s->pitfall_error, sizeof s->pitfall_error, "%s",
		    de.msg);
	else if (pitfall_eval(s->pitfall, &s->input, &s->target, &po,
	    &s->pres, &e) == 0) {
		s->pitfall_ok = 1;
		step_pitfall_f32(s->pitfall, &s->pres);
	} else {
		loss_result_free(&s->pres);
		snprintf(s->pitfall_error, sizeof s->pitfall_error, "%s",
		    e.msg);
	}
	/* The comparison's correct side, when it is another loss. */
	if (pitfall_loss(s->pitfall) != s->loss) {
		if (step_dtype_check(s, pitfall_loss(s->pitfall), &rdt,
		    &de) != 0)
			snprintf(s->cmp_error, sizeof s->cmp_error, "%s",
			    de.msg);
		else {
			po.float32 = rdt == DTYPE_FLOAT;
			if (loss_eval(pitfall_loss(s->pitfall), &s->input,
			    &s->target, &po, &s->cres, &e) == 0)
				s->cmp_ok = 1;
			else {
				loss_result_free(&s->cres);
				snprintf(s->cmp_error, sizeof s->cmp_error,
				    "%s", e.msg);
			}
		}
	}
	po.float32 = s->pitfall_ok && s->pres.f32 != LOSS_F32_NONE &&
	    s->pitfall != PITFALL_NAIVE_FLOAT32;
	if ((s->pitfall == PITFALL_SOFTMAX_THEN_CE ||
	    s->pitfall == PITFALL_DOUBLE_SIGMOID) &&
	    step_perfect_logits(s, &x) == 0 &&
	    pitfall_eval(s->pitfall, &x, &s->target, &po, &fr, &e) == 0)
		s->pitfall_floor = fr.value;
	loss_result_free(&fr);
	mat_free(&x);
}

int
step_pitfalls(const struct step *s, enum pitfall_id *out)
{
	static const struct {
		enum loss_id	 loss;
		enum pitfall_id	 pf[3];
	} fits[] = {
		{ LOSS_BCE, { PITFALL_BCE_ON_LOGITS } },
		{ LOSS_BCE_LOGITS, { PITFALL_DOUBLE_SIGMOID,
		    PITFALL_NAIVE_FLOAT32, PITFALL_BCE_ON_LOGITS } },
		{ LOSS_CE, { PITFALL_SOFTMAX_THEN_CE,
		    PITFALL_LOG_SOFTMAX_THEN_CE } },
	};
	enum pitfall_id	 own;
	size_t		 i, k;
	int		 n = 0;

	own = s->src != NULL ? s->src->pitfall : PITFALL_NONE;
	if (own != PITFALL_NONE)
		out[n++] = own;
	for (i = 0; i < sizeof fits / sizeof fits[0]; i++) {
		if (fits[i].loss != s->loss)
			continue;
		for (k = 0; k < 3 && fits[i].pf[k] != PITFALL_NONE; k++)
			if (fits[i].pf[k] != own)
				out[n++] = fits[i].pf[k];
	}
	return n;
}

int
step_toggle_pitfall(struct step *s)
{
	enum pitfall_id	fit[PITFALL_COUNT];

	if (step_pitfalls(s, fit) == 0)
		return 0;
	step_save(s);
	if (s->show_pitfall) {
		/* hidden, the step's pitfall is its lesson's own again */
		s->show_pitfall = 0;
		s->pitfall = s->src != NULL ? s->src->pitfall : PITFALL_NONE;
	} else {
		if (s->pitfall == PITFALL_NONE)
			s->pitfall = fit[0];
		s->show_pitfall = 1;
	}
	step_compute(s);
	return s->show_pitfall;
}

int
step_next_pitfall(struct step *s)
{
	enum pitfall_id	fit[PITFALL_COUNT];
	int		n, i;

	if ((n = step_pitfalls(s, fit)) < 2)
		return -1;
	for (i = 0; i < n && fit[i] != s->pitfall; i++)
		continue;
	step_save(s);
	s->pitfall = fit[i < n ? (i + 1) % n : 0];
	s->show_pitfall = 1;
	step_compute(s);
	return 0;
}

const struct loss_result *
step_cmp_result(const struct step *s)
{
	if (s->pitfall == PITFALL_NONE)
		return NULL;
	if (pitfall_loss(s->pitfall) == s->loss)
		return s->ok ? &s->res : NULL;
	return s->cmp_ok ? &s->cres : NULL;
}

const char *
step_cmp_error(const struct step *s)
{
	if (s->pitfall != PITFALL_NONE && pitfall_loss(s->pitfall) != s->loss)
		return s->cmp_error;
	return s->error;
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

/* ---- dtypes ------------------------------------------------------------- */

enum dtype
step_target_dtype(const struct step *s)
{
	if (s->target_dtype != DTYPE_COUNT)
		return s->target_dtype;
	/* torch's default for what the loss takes */
	return step_index_target(s) ? DTYPE_LONG : s->dtype;
}

int
step_set_dtype(struct step *s, enum dtype d, struct err *e)
{
	if (d != DTYPE_FLOAT && d != DTYPE_DOUBLE)
		return err_set(e, "losslab computes in float32 or float64, "
		    "not %s", dtype_name(d));
	step_save(s);
	s->dtype = d;
	step_compute(s);
	return 0;
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
	sn->dtype = s->dtype;
	sn->target_dtype = s->target_dtype;
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

	s->note[0] = '\0';	/* every edit starts here */
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
	s->dtype = sn->dtype;
	s->target_dtype = sn->target_dtype;
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
			return err_set(e, "%s", _("a class index is a whole number"));
		if ((k < 0 || k >= (double)s->input.cols) &&
		    k != (double)s->opts.ignore_index)
			return err_set(e, _("class %g is out of range (0 to %zu, "
			    "or ignore_index %ld)"), k, s->input.cols - 1,
			    s->opts.ignore_index);
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

	if (dim == 0 && m->ndim != 2)
		return err_set(e, "a 1-D value has no rows to change");
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

/* Whether target t follows the input's rows (dim 0 edits) or columns (dim
   1 edits) as a tensor of the input's shape would; a target that
   broadcasts (fewer rows or columns) is left alone. */
static int
step_target_follows(const struct mat *t, const struct mat *in, int dim)
{
	if (t->ndim == 0)
		return 0;
	if (dim == 1)
		return t->cols == in->cols &&
		    (t->ndim == 1 ? in->ndim == 1 || in->rows == 1 :
		    t->rows == in->rows);
	/* a 1-D target of a one-row input is that row's target */
	if (t->ndim == 1)
		return in->ndim == 2 && in->rows == 1 && t->cols == in->cols;
	return in->ndim == 2 && t->rows == in->rows;
}

/* Change the number of elements/classes (dim 1) or samples (dim 0). */
static int
step_resize(struct step *s, int dim, int add, size_t at, struct err *e)
{
	struct mat	 before = s->input;	/* shape only */
	int		 idx = step_index_target(s), follows, moved = 0;
	size_t		 i, n;
	double		*t;

	if (!add) {
		if (dim == 0 && s->input.rows <= 1)
			return err_set(e, "%s", _("cannot remove the last sample"));
		if (dim == 1 && s->input.cols <= 1)
			return err_set(e, "%s", step_per_sample(s->loss) ?
			    _("cannot remove the last class") :
			    _("cannot remove the last element"));
		if (at >= (dim == 0 ? s->input.rows : s->input.cols))
			return err_set(e, "no %s %zu", dim == 0 ? "row" :
			    "column", at + 1);
		/* A class that a sample's index target names stays. */
		n = mat_numel(&s->target);
		for (i = 0; idx && dim == 1 && i < n; i++)
			if (s->target.v[i] == (double)at &&
			    s->target.v[i] != (double)s->opts.ignore_index)
				return err_set(e, _("class %zu is the target of "
				    "sample %zu: give that sample another "
				    "class first"), at, i);
	}
	follows = !idx && step_target_follows(&s->target, &s->input,
	    dim == 0 && s->input.ndim == 1 ? 1 : dim);
	step_save(s);
	if (dim == 0 && s->input.ndim == 1) {
		/* a second sample: the unbatched sample becomes a batch */
		mat_promote(&s->input);
		/* a class index [k] stays 1-D: it now reads as N = 1 */
		if (follows)
			mat_promote(&s->target);
		before = s->input;
	}
	if (mat_edit(&s->input, dim, add, at, dim == 0, 0.0, e) != 0)
		goto fail;
	if (idx) {
		if (dim == 0) {
			if (mat_edit(&s->target, 1, add, at, 0, 0.0, e) != 0)
				goto fail;
		} else if (!add) {
			/* the classes above `at` keep their names */
			t = s->target.v;
			for (i = 0; i < mat_numel(&s->target); i++) {
				if (t[i] == (double)s->opts.ignore_index)
					continue;
				if (t[i] > (double)at) {
					t[i] -= 1;
					moved = 1;
				}
			}
		}
	} else if (follows) {
		if (dim == 0)
			mat_promote(&s->target);
		if (mat_edit(&s->target, dim, add, at, dim == 0, 0.0, e) != 0)
			goto fail;
	}
	if (step_follow(&s->weight, &before, dim, add, at, 1.0, e) != 0 ||
	    step_follow(&s->pos_weight, &before, dim, add, at, 1.0, e) != 0)
		goto fail;
	if (moved)
		snprintf(s->note, sizeof s->note, _("the class indices above %zu "
		    "moved down by one, so they name the same classes"), at);
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
		return err_set(e, "%s", _("cannot remove the only sample"));
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

/* The scalar options of struct loss_opts by name, and how each is stored:
   the one table step_set_option() and step_option_get() read. */
enum step_opt_type {
	SO_DOUBLE,	/* any finite number */
	SO_P,		/* the int p: 1 or 2 */
	SO_WHOLE,	/* the long ignore_index: a whole number within 2^53 */
	SO_BOOL		/* an int flag: 0, or 1 for any other number */
};
static const struct step_opt {
	const char		*name;
	enum step_opt_type	 type;
	size_t			 off;	/* in struct loss_opts */
} step_opts[] = {
	{ "label_smoothing", SO_DOUBLE,
	    offsetof(struct loss_opts, label_smoothing) },
	{ "margin",	SO_DOUBLE, offsetof(struct loss_opts, margin) },
	{ "alpha",	SO_DOUBLE, offsetof(struct loss_opts, alpha) },
	{ "gamma",	SO_DOUBLE, offsetof(struct loss_opts, gamma) },
	{ "p",		SO_P,	   offsetof(struct loss_opts, p) },
	{ "ignore_index", SO_WHOLE, offsetof(struct loss_opts, ignore_index) },
	{ "log_target",	SO_BOOL,   offsetof(struct loss_opts, log_target) },
};

/* The table's entry for name, or NULL. */
static const struct step_opt *
step_opt_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof step_opts / sizeof step_opts[0]; i++)
		if (strcmp(step_opts[i].name, name) == 0)
			return &step_opts[i];
	return NULL;
}

int
step_option_get(const struct loss_opts *o, const char *name, double *v)
{
	const struct step_opt	*d = step_opt_find(name);
	const char		*f = (const char *)o;

	if (d == NULL)
		return -1;
	switch (d->type) {
	case SO_DOUBLE:
		*v = *(const double *)(const void *)(f + d->off);
		break;
	case SO_WHOLE:
		*v = (double)*(const long *)(const void *)(f + d->off);
		break;
	case SO_P:
	case SO_BOOL:
		*v = *(const int *)(const void *)(f + d->off);
		break;
	}
	return 0;
}

int
step_set_option(struct step *s, const char *name, double v, struct err *e)
{
	struct loss_opts	 o = s->opts;
	const struct step_opt	*d = step_opt_find(name);
	char			*f = (char *)&o;

	if (d == NULL)
		return err_set(e, "unknown option '%s'", name);
	switch (d->type) {
	case SO_DOUBLE:
		*(double *)(void *)(f + d->off) = v;
		break;
	case SO_P:
		if (v != 1 && v != 2)
			return err_set(e, "%s", _("p must be 1 or 2"));
		*(int *)(void *)(f + d->off) = (int)v;
		break;
	case SO_WHOLE:
		/* within 2^53: every such double is a whole long */
		if (!isfinite(v) || v != floor(v) || fabs(v) > 9007199254740992.0)
			return err_set(e, "%s", _("ignore_index is a whole number "
			    "between -2^53 and 2^53"));
		*(long *)(void *)(f + d->off) = (long)v;
		break;
	case SO_BOOL:
		*(int *)(void *)(f + d->off) = v != 0;
		break;
	}
	if (!isfinite(v))
		return err_set(e, _("%s must be a finite number"), name);
	step_save(s);
	s->opts = o;
	step_compute(s);
	return 0;
}

/* ---- formatting ---------------------------------------------------------- */

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

