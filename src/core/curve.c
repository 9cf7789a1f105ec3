/*
 * curve.c -- loss and gradient curves on a grid, every value computed by
 * loss_eval() or pitfall_eval() with reduction 'none' (one core call per
 * curve evaluates all the grid points as one batch).
 *
 * The only arithmetic here builds the inputs: the grid, the logit rows
 * [m, 0, ..., 0] for the multi-class kinds, sigmoid/log_softmax through the
 * activation functions for `compare`, and a bisection that locates where a
 * pitfall's curve jumps onto the BCE clamp (the float32 saturation).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/activation.h"
#include "core/curve.h"

/* The -100 clamp of nn.BCELoss's log: a loss of exactly 100 is the clamp. */
#define CURVE_BCE_CLAMP	100.0
/* Far enough along x that every probability rounds to 0 or 1. */
#define CURVE_FAR	1e4

static const double focal_gammas[] = { 0, 1, 2, 5 };
static const double smoothing_eps[] = { 0, 0.1, 0.3 };
static const double pos_weights[] = { 1, 3, 10 };

void
curve_default_range(enum curve_kind k, double *xmin, double *xmax)
{
	static const double r[CURVE_KIND_COUNT][2] = {
		[CURVE_BCE] = { 0.005, 0.995 },
		[CURVE_LOGITS] = { -6, 6 },
		[CURVE_CE] = { -6, 6 },
		[CURVE_DOUBLE_SIGMOID] = { -8, 8 },
		[CURVE_SOFTMAX_THEN_CE] = { -6, 10 },
		[CURVE_NAIVE_FLOAT32] = { -5, 25 },
		[CURVE_FOCAL] = { -4, 4 },
		[CURVE_LABEL_SMOOTHING] = { -4, 10 },
		[CURVE_POS_WEIGHT] = { -5, 5 },
		[CURVE_COMPARE] = { -4, 4 },
	};

	if ((int)k < 0 || k >= CURVE_KIND_COUNT)
		k = CURVE_LOGITS;
	*xmin = r[k][0];
	*xmax = r[k][1];
}

void
curve_params_init(struct curve_params *p, enum curve_kind k)
{
	memset(p, 0, sizeof *p);
	p->kind = k;
	p->classes = 0;
	p->xmin = p->xmax = NAN;
	p->target = NAN;
	p->gamma = p->alpha = p->pos_weight = p->label_smoothing = NAN;
	p->nlosses = 0;
	p->points = 0;
}

void
curve_set_free(struct curve_set *s)
{
	int	i;

	free(s->x);
	for (i = 0; i < s->ncurves && i < CURVE_MAX; i++)
		free(s->c[i].v);
	memset(s, 0, sizeof *s);
	s->floor = s->edge = NAN;
}

/* Append a curve with its own n values; returns it or NULL (e set). */
static struct curve *
curve_add(struct curve_set *s, int gradient, enum loss_id loss,
    enum pitfall_id pf, double y, enum curve_param param, double value,
    struct err *e)
{
	struct curve	*c;
	size_t		 i;

	if (s->ncurves >= CURVE_MAX) {
		err_set(e, "too many curves (at most %d)", CURVE_MAX);
		return (NULL);
	}
	c = &s->c[s->ncurves];
	c->v = malloc((s->n ? s->n : 1) * sizeof *c->v);
	if (c->v == NULL) {
		err_set(e, "out of memory");
		return (NULL);
	}
	for (i = 0; i < s->n; i++)
		c->v[i] = NAN;
	s->ncurves++;
	c->gradient = gradient;
	c->loss = loss;
	c->pitfall = pf;
	c->y = y;
	c->param = param;
	c->value = value;
	return (c);
}

/* Run the loss or the pitfall pipeline (reduction 'none'). */
static int
run(enum loss_id loss, enum pitfall_id pf, const struct mat *in,
    const struct mat *tg, const struct loss_opts *o, struct loss_result *r,
    struct err *e)
{
	if (pf != PITFALL_NONE)
		return (pitfall_eval(pf, in, tg, o, r, e));
	return (loss_eval(loss, in, tg, o, r, e));
}

/*
 * Binary losses: input in[i] (z, or p for bce), target y for every point,
 * as a vector (element-wise losses) or as n samples of one label (column,
 * for multilabel-soft-margin).  Stores the per-point loss and gradient
 * (either may be NULL).
 */
static int
eval_points(enum loss_id loss, enum pitfall_id pf, const double *in,
    size_t n, double y, int column, const struct loss_opts *o0, double *lv,
    double *gv, struct err *e)
{
	struct mat		 x = MAT_INIT, t = MAT_INIT;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct loss_opts	 o = *o0;
	size_t			 i;
	int			 rc = -1;

	o.reduction = LOSS_REDUCTION_NONE;
	if (mat_alloc(&x, column ? 2 : 1, column ? n : 1, column ? 1 : n,
	    e) == -1 || mat_alloc(&t, x.ndim, x.rows, x.cols, e) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		x.v[i] = in[i];
		t.v[i] = y;
	}
	if (run(loss, pf, &x, &t, &o, &r, e) == -1)
		goto out;
	if (mat_numel(&r.elem) != n || mat_numel(&r.grad) != n) {
		err_set(e, "%s: unexpected result shape", loss_name(loss));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (lv != NULL)
			lv[i] = r.elem.v[i];
		if (gv != NULL)
			gv[i] = r.grad.v[i];
	}
	rc = 0;
out:
	loss_result_free(&r);
	mat_free(&x);
	mat_free(&t);
	return (rc);
}

static int
eval_binary(enum loss_id loss, enum pitfall_id pf, const double *in,
    size_t n, double y, const struct loss_opts *o, double *lv, double *gv,
    struct err *e)
{
	return (eval_points(loss, pf, in, n, y, 0, o, lv, gv, e));
}

/* How the logit row [m, 0, ..., 0] is fed to a multi-class loss. */
enum row_form {
	ROW_LOGITS,		/* as is (ce, multi-margin) */
	ROW_LOG_SOFTMAX		/* its log_softmax (nll, kl-div) */
};

/*
 * Multi-class losses on the rows [m_i, 0, ..., 0] (C columns) with true
 * class `cls` (an index target, or a one-hot distribution for kl-div).
 * Stores the per-row loss and d loss / d m_i (the gradient of column 0).
 */
static int
eval_multi(enum loss_id loss, enum pitfall_id pf, const double *m, size_t n,
    int C, int cls, enum row_form form, const struct loss_opts *o0,
    double *lv, double *gv, struct err *e)
{
	struct mat		 x = MAT_INIT, t = MAT_INIT;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct loss_opts	 o = *o0;
	size_t			 i;
	int			 j, rc = -1;

	o.reduction = LOSS_REDUCTION_NONE;
	if (mat_alloc(&x, 2, n, (size_t)C, e) == -1)
		goto out;
	if (loss == LOSS_KL_DIV) {
		if (mat_alloc(&t, 2, n, (size_t)C, e) == -1)
			goto out;
	} else if (mat_alloc(&t, 1, 1, n, e) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		MAT_AT(&x, i, 0) = m[i];
		for (j = 1; j < C; j++)
			MAT_AT(&x, i, j) = 0;
		if (form == ROW_LOG_SOFTMAX)
			activation_log_softmax(&MAT_AT(&x, i, 0),
			    &MAT_AT(&x, i, 0), (size_t)C);
		if (loss == LOSS_KL_DIV)
			MAT_AT(&t, i, cls) = 1;
		else
			t.v[i] = cls;
	}
	if (run(loss, pf, &x, &t, &o, &r, e) == -1)
		goto out;
	if (mat_numel(&r.grad) != n * (size_t)C ||
	    (loss != LOSS_KL_DIV && mat_numel(&r.elem) != n) ||
	    (loss == LOSS_KL_DIV && mat_numel(&r.elem) != n * (size_t)C)) {
		err_set(e, "%s: unexpected result shape", loss_name(loss));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (lv != NULL) {
			if (loss == LOSS_KL_DIV) {
				/* 'none' is element-wise: a row's loss is
				   its sum */
				lv[i] = 0;
				for (j = 0; j < C; j++)
					lv[i] += MAT_AT(&r.elem, i, j);
			} else
				lv[i] = r.elem.v[i];
		}
		if (gv != NULL)
			gv[i] = MAT_AT(&r.grad, i, 0);
	}
	rc = 0;
out:
	loss_result_free(&r);
	mat_free(&x);
	mat_free(&t);
	return (rc);
}

/* Options for bce-logits with one pos_weight value (pw NaN: none). */
static int
opts_pos_weight(struct loss_opts *o, struct mat *pw, double v, struct err *e)
{
	loss_opts_init(o);
	if (isnan(v))
		return (0);
	if (mat_alloc(pw, 1, 1, 1, e) == -1)
		return (-1);
	pw->v[0] = v;
	o->pos_weight = pw;
	return (0);
}

/*
 * One loss of a `compare` plot against z with binary target y.  The
 * overrides of p apply to the losses that read them: gamma and alpha to
 * focal (default gamma 2, no alpha), pos_weight to bce-logits,
 * label_smoothing to ce.
 */
static int
compare_one(const struct curve_params *p, enum loss_id id, const double *z,
    size_t n, double y, int C, double *lv, struct err *e)
{
	struct loss_opts	 o;
	struct mat		 pw = MAT_INIT;
	double			*in;
	size_t			 i;
	int			 rc, cls = y >= 0.5 ? 0 : 1;

	loss_opts_init(&o);
	if (!isnan(p->label_smoothing))
		o.label_smoothing = p->label_smoothing;
	switch (id) {
	case LOSS_BCE:
		if ((in = malloc(n * sizeof *in)) == NULL)
			return (err_set(e, "out of memory"));
		for (i = 0; i < n; i++)
			in[i] = activation_sigmoid(z[i]);
		rc = eval_binary(id, PITFALL_NONE, in, n, y, &o, lv, NULL, e);
		free(in);
		return (rc);
	case LOSS_BCE_LOGITS:
		if (opts_pos_weight(&o, &pw, p->pos_weight, e) == -1)
			return (-1);
		rc = eval_binary(id, PITFALL_NONE, z, n, y, &o, lv, NULL, e);
		mat_free(&pw);
		return (rc);
	case LOSS_MULTILABEL_SOFT_MARGIN:
		return (eval_points(id, PITFALL_NONE, z, n, y, 1, &o, lv, NULL,
		    e));
	case LOSS_FOCAL:
		o.alpha = isnan(p->alpha) ? -1 : p->alpha;
		if (!isnan(p->gamma))
			o.gamma = p->gamma;
		return (eval_binary(id, PITFALL_NONE, z, n, y, &o, lv, NULL, e));
	case LOSS_SOFT_MARGIN:
		return (eval_binary(id, PITFALL_NONE, z, n, 2 * y - 1, &o, lv,
		    NULL, e));
	case LOSS_CE:
	case LOSS_MULTI_MARGIN:
		return (eval_multi(id, PITFALL_NONE, z, n, C, cls, ROW_LOGITS,
		    &o, lv, NULL, e));
	case LOSS_NLL:
	case LOSS_KL_DIV:
		return (eval_multi(id, PITFALL_NONE, z, n, C, cls,
		    ROW_LOG_SOFTMAX, &o, lv, NULL, e));
	default:
		return (err_set(e, "compare: unknown loss"));
	}
}

/*
 * Where the pitfall curve c (computed on s->x) first jumps onto the BCE
 * clamp (a loss of exactly 100): bisect between the last point below it and
 * the first point on it, each probe one pitfall_eval() call.  NaN if the
 * curve never reaches the clamp inside the range.
 */
static double
find_clamp_edge(const struct curve_set *s, const struct curve *c,
    struct err *e)
{
	struct loss_opts	 o;
	double			 lo, hi, mid, v;
	size_t			 i;
	int			 k, up;

	loss_opts_init(&o);
	for (i = 1; i < s->n; i++) {
		if ((c->v[i - 1] == CURVE_BCE_CLAMP) != (c->v[i] == CURVE_BCE_CLAMP))
			break;
	}
	if (i >= s->n)
		return (NAN);
	/* up: the clamp lies to the right of the jump */
	up = c->v[i] == CURVE_BCE_CLAMP;
	lo = s->x[i - 1];
	hi = s->x[i];
	for (k = 0; k < 60 && lo < hi; k++) {
		mid = lo + (hi - lo) / 2;
		if (mid <= lo || mid >= hi)
			break;
		if (eval_binary(c->loss, c->pitfall, &mid, 1, c->y, &o, &v,
		    NULL, e) == -1)
			return (NAN);
		if ((v == CURVE_BCE_CLAMP) == up)
			hi = mid;
		else
			lo = mid;
	}
	return (up ? hi : lo);
}

/* The lowest loss the pitfall can reach: its value far along x. */
static double
pitfall_floor(enum pitfall_id pf, int multi, int C, double y, struct err *e)
{
	struct loss_opts	 o;
	double			 x, v;

	loss_opts_init(&o);
	if (multi) {
		x = CURVE_FAR;
		if (eval_multi(LOSS_CE, pf, &x, 1, C, 0, ROW_LOGITS, &o, &v,
		    NULL, e) == -1)
			return (NAN);
		return (v);
	}
	if (y != 0 && y != 1)
		return (NAN);
	x = y == 1 ? CURVE_FAR : -CURVE_FAR;
	if (eval_binary(pitfall_loss(pf), pf, &x, 1, y, &o, &v, NULL, e) == -1)
		return (NAN);
	return (v);
}

/* The values of a family: the default list, or {base, v} for an override. */
static int
family(double v, double base, const double *def, int ndef, double *out)
{
	int	i;

	if (isnan(v)) {
		for (i = 0; i < ndef; i++)
			out[i] = def[i];
		return (ndef);
	}
	out[0] = base;
	if (v == base)
		return (1);
	out[1] = v;
	return (2);
}

/*
 * A correct pipeline and its pitfall, in the order correct loss, correct
 * gradient, pitfall loss, pitfall gradient.
 */
static int
pair(struct curve_set *s, enum loss_id loss, enum pitfall_id pf, double y,
    int multi, int C, struct err *e)
{
	struct loss_opts	 o;
	struct curve		*c[4];
	int			 i;

	loss_opts_init(&o);
	for (i = 0; i < 4; i++) {
		c[i] = curve_add(s, i % 2, loss, i >= 2 ? pf : PITFALL_NONE,
		    multi ? NAN : y, CURVE_PARAM_NONE, 0, e);
		if (c[i] == NULL)
			return (-1);
	}
	for (i = 0; i < 4; i += 2) {
		if (multi) {
			if (eval_multi(loss, c[i]->pitfall, s->x, s->n, C, 0,
			    ROW_LOGITS, &o, c[i]->v, c[i + 1]->v, e) == -1)
				return (-1);
		} else if (eval_binary(loss, c[i]->pitfall, s->x, s->n, y, &o,
		    c[i]->v, c[i + 1]->v, e) == -1)
			return (-1);
	}
	return (0);
}

static int
compute(const struct curve_params *p, double xmin, double xmax, size_t n,
    int single, struct curve_set *s, struct err *e)
{
	static const enum loss_id def_losses[] = {
		LOSS_BCE_LOGITS, LOSS_FOCAL, LOSS_SOFT_MARGIN
	};
	struct loss_opts	 o;
	struct mat		 pw = MAT_INIT;
	struct curve		*c, *g;
	double			 y, vals[CURVE_MAX];
	size_t			 i;
	int			 C, k, nv, rc = -1;

	memset(s, 0, sizeof *s);
	s->floor = s->edge = NAN;
	if ((int)p->kind < 0 || p->kind >= CURVE_KIND_COUNT)
		return (err_set(e, "unknown plot kind"));
	s->kind = p->kind;
	C = p->classes ? p->classes : 3;
	if (C < 2 || C > 100000)
		return (err_set(e, "classes must be between 2 and 100000, "
		    "got %d", C));
	y = p->target;
	if (isnan(y))
		y = p->kind == CURVE_NAIVE_FLOAT32 ? 0 : 1;
	if (!(y >= 0 && y <= 1))
		return (err_set(e, "target must be in [0, 1], got %g", y));
	if (!isfinite(xmin) || !isfinite(xmax) || xmin > xmax ||
	    (!single && xmin == xmax))
		return (err_set(e, "bad x range [%g, %g]", xmin, xmax));
	if (fabs(xmin) > 1e6 || fabs(xmax) > 1e6)
		return (err_set(e, "x range [%g, %g] too wide (|x| <= 1e6)",
		    xmin, xmax));
	if (p->kind == CURVE_BCE && (xmin < 0 || xmax > 1))
		return (err_set(e, "bce-curve: p must lie in [0, 1], got "
		    "[%g, %g]", xmin, xmax));
	if (n < 1 || n > CURVE_POINTS_MAX)
		return (err_set(e, "points must be between 1 and %d",
		    CURVE_POINTS_MAX));

	switch (p->kind) {
	case CURVE_BCE:
		s->xaxis = CURVE_X_PROB;
		break;
	case CURVE_CE:
	case CURVE_SOFTMAX_THEN_CE:
	case CURVE_LABEL_SMOOTHING:
		s->xaxis = CURVE_X_MARGIN;
		s->classes = C;
		break;
	case CURVE_COMPARE:
		s->classes = C;
		/* FALLTHROUGH */
	default:
		s->xaxis = CURVE_X_LOGIT;
		break;
	}
	s->n = n;
	if ((s->x = malloc(n * sizeof *s->x)) == NULL)
		return (err_set(e, "out of memory"));
	for (i = 0; i < n; i++)
		s->x[i] = n == 1 ? xmin :
		    xmin + (xmax - xmin) * (double)i / (double)(n - 1);
	if (n > 1)
		s->x[n - 1] = xmax;

	loss_opts_init(&o);
	switch (p->kind) {
	case CURVE_BCE:
		/* nn.BCELoss: l = -[y log p + (1-y) log(1-p)], logs >= -100 */
		for (k = 0; k < 2; k++) {
			double yy = isnan(p->target) ? (k == 0 ? 1 : 0) : y;

			if (k == 1 && !isnan(p->target))
				break;
			if ((c = curve_add(s, 0, LOSS_BCE, PITFALL_NONE, yy,
			    CURVE_PARAM_NONE, 0, e)) == NULL)
				goto out;
			if (eval_binary(LOSS_BCE, PITFALL_NONE, s->x, n, yy, &o,
			    c->v, NULL, e) == -1)
				goto out;
		}
		break;
	case CURVE_LOGITS:
		/* BCEWithLogits: l = max(z,0) - z y + log(1 + e^-|z|);
		   dl/dz = sigma(z) - y */
		if ((c = curve_add(s, 0, LOSS_BCE_LOGITS, PITFALL_NONE, y,
		    CURVE_PARAM_NONE, 0, e)) == NULL ||
		    (g = curve_add(s, 1, LOSS_BCE_LOGITS, PITFALL_NONE, y,
		    CURVE_PARAM_NONE, 0, e)) == NULL)
			goto out;
		if (eval_binary(LOSS_BCE_LOGITS, PITFALL_NONE, s->x, n, y, &o,
		    c->v, g->v, e) == -1)
			goto out;
		break;
	case CURVE_CE:
		/* CE(m) = log(1 + (C-1) e^-m); dl/dm = softmax_0 - 1 */
		if ((c = curve_add(s, 0, LOSS_CE, PITFALL_NONE, NAN,
		    CURVE_PARAM_NONE, 0, e)) == NULL ||
		    (g = curve_add(s, 1, LOSS_CE, PITFALL_NONE, NAN,
		    CURVE_PARAM_NONE, 0, e)) == NULL)
			goto out;
		if (eval_multi(LOSS_CE, PITFALL_NONE, s->x, n, C, 0,
		    ROW_LOGITS, &o, c->v, g->v, e) == -1)
			goto out;
		break;
	case CURVE_DOUBLE_SIGMOID:
		/* BCEWithLogits(sigmoid(z), y): the floor is log(1 + 1/e)
		   for y = 1, the gradient carries an extra sigma'(z) */
		if (pair(s, LOSS_BCE_LOGITS, PITFALL_DOUBLE_SIGMOID, y, 0, C,
		    e) == -1)
			goto out;
		if (!single)
			s->floor = pitfall_floor(PITFALL_DOUBLE_SIGMOID, 0, C,
			    y, e);
		break;
	case CURVE_SOFTMAX_THEN_CE:
		/* CE(softmax(x)): bounded below by log(1 + (C-1)/e) */
		if (pair(s, LOSS_CE, PITFALL_SOFTMAX_THEN_CE, y, 1, C,
		    e) == -1)
			goto out;
		if (!single)
			s->floor = pitfall_floor(PITFALL_SOFTMAX_THEN_CE, 1, C,
			    y, e);
		break;
	case CURVE_NAIVE_FLOAT32:
		/* BCELoss(sigmoid(z)) in float32: sigma rounds to 1 at
		   z >= 16.6355, then the log clamp gives 100, gradient 0 */
		if (pair(s, LOSS_BCE_LOGITS, PITFALL_NAIVE_FLOAT32, y, 0, C,
		    e) == -1)
			goto out;
		if (!single)
			s->edge = find_clamp_edge(s, &s->c[2], e);
		break;
	case CURVE_FOCAL:
		/* FL = alpha_t (1 - p_t)^gamma BCEWithLogits(z, y) */
		nv = family(p->gamma, 0, focal_gammas, 4, vals);
		for (k = 0; k < nv; k++) {
			o.gamma = vals[k];
			o.alpha = isnan(p->alpha) ? -1 : p->alpha;
			if ((c = curve_add(s, 0, LOSS_FOCAL, PITFALL_NONE, y,
			    CURVE_PARAM_GAMMA, vals[k], e)) == NULL)
				goto out;
			if (eval_binary(LOSS_FOCAL, PITFALL_NONE, s->x, n, y,
			    &o, c->v, NULL, e) == -1)
				goto out;
		}
		break;
	case CURVE_LABEL_SMOOTHING:
		/* l = (1-eps) nll + (eps/C) sum_c -log p_c */
		nv = family(p->label_smoothing, 0, smoothing_eps, 3, vals);
		for (k = 0; k < nv; k++) {
			o.label_smoothing = vals[k];
			if ((c = curve_add(s, 0, LOSS_CE, PITFALL_NONE, NAN,
			    CURVE_PARAM_LABEL_SMOOTHING, vals[k], e)) == NULL)
				goto out;
			if (eval_multi(LOSS_CE, PITFALL_NONE, s->x, n, C, 0,
			    ROW_LOGITS, &o, c->v, NULL, e) == -1)
				goto out;
		}
		break;
	case CURVE_POS_WEIGHT:
		/* l = -[pw y log sigma(z) + (1-y) log(1-sigma(z))] */
		nv = family(p->pos_weight, 1, pos_weights, 3, vals);
		for (k = 0; k <= nv; k++) {
			double yy = k < nv ? 1 : 0;

			mat_free(&pw);
			if (opts_pos_weight(&o, &pw, k < nv ? vals[k] : NAN,
			    e) == -1)
				goto out;
			if ((c = curve_add(s, 0, LOSS_BCE_LOGITS, PITFALL_NONE,
			    yy, k < nv ? CURVE_PARAM_POS_WEIGHT :
			    CURVE_PARAM_NONE, k < nv ? vals[k] : 0, e)) == NULL)
				goto out;
			if (eval_binary(LOSS_BCE_LOGITS, PITFALL_NONE, s->x, n,
			    yy, &o, c->v, NULL, e) == -1)
				goto out;
		}
		break;
	case CURVE_COMPARE:
		nv = p->nlosses;
		if (nv < 0 || nv > CURVE_MAX) {
			err_set(e, "compare: at most %d losses", CURVE_MAX);
			goto out;
		}
		for (k = 0; k < (nv ? nv : 3); k++) {
			enum loss_id id = nv ? p->losses[k] : def_losses[k];

			if ((c = curve_add(s, 0, id, PITFALL_NONE, y,
			    CURVE_PARAM_NONE, 0, e)) == NULL)
				goto out;
			if (compare_one(p, id, s->x, n, y, C, c->v, e) == -1)
				goto out;
		}
		break;
	default:
		err_set(e, "unknown plot kind");
		goto out;
	}
	rc = 0;
out:
	mat_free(&pw);
	if (rc == -1)
		curve_set_free(s);
	return (rc);
}

int
curve_compute(const struct curve_params *p, struct curve_set *s,
    struct err *e)
{
	double	xmin, xmax;

	curve_default_range(p->kind, &xmin, &xmax);
	if (!isnan(p->xmin))
		xmin = p->xmin;
	if (!isnan(p->xmax))
		xmax = p->xmax;
	return (compute(p, xmin, xmax, p->points ? p->points : 401, 0, s, e));
}

int
curve_compute_at(const struct curve_params *p, double x, struct curve_set *s,
    struct err *e)
{
	return (compute(p, x, x, 1, 1, s, e));
}

double
curve_ce_margin(const double *z, size_t C, size_t y)
{
	double	 others[64], *o = others, m;
	size_t	 i, j;

	if (C < 2 || y >= C)
		return NAN;
	if (C - 1 > sizeof others / sizeof others[0] &&
	    (o = malloc((C - 1) * sizeof *o)) == NULL)
		return NAN;
	for (i = 0, j = 0; i < C; i++)
		if (i != y)
			o[j++] = z[i];
	/* CE([m, 0, ..., 0], 0) = log(e^m + C - 1) - m equals
	   CE(z, y) = logsumexp(z) - z_y exactly when e^-m (C - 1) =
	   sum_{j != y} e^(z_j - z_y), i.e. at the m below. */
	m = z[y] - (activation_logsumexp(o, C - 1) - log((double)C - 1));
	if (o != others)
		free(o);
	return m;
}
