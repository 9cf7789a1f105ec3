/*
 * curve.c -- loss and gradient curves on a grid, every value computed by
 * loss_eval() or pitfall_eval() with reduction 'none' (one core call per
 * curve evaluates all the grid points as one batch).
 *
 * The only arithmetic here builds the inputs: the grid, the logit rows
 * [m, 0, ..., 0] for the multi-class kinds, sigmoid/log_softmax through the
 * activation functions for `compare`, and a bisection that locates where a
 * pitfall's curve jumps onto the BCE clamp (the float32 saturation).
 *
 * Cell mode (the learner's own values, see curve.h) makes one core call
 * per point on the step's whole input with one cell replaced, and reads
 * the output element that cell feeds; beside the grid its only arithmetic
 * is broadcasting indices, a mean over a row (the multilabel companion),
 * and the searches for a pitfall's floor (golden section, a projection
 * onto the simplex), each probe again a core call.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
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
	c->role = CURVE_ROLE_MAIN;
	c->group = -1;
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
		if (gv != NULL && form == ROW_LOG_SOFTMAX) {
			/* the gradient with respect to the logit m, through
			   q = log_softmax(row): dq_j/dm = [j = 0] - softmax_0,
			   so dL/dm = g_0 - softmax_0 sum_j g_j, where
			   softmax_0 = exp(q_0) */
			double	sum = 0;

			for (j = 0; j < C; j++)
				sum += MAT_AT(&r.grad, i, j);
			gv[i] = MAT_AT(&r.grad, i, 0) -
			    exp(MAT_AT(&x, i, 0)) * sum;
		} else if (gv != NULL)
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
    size_t n, double y, int C, double *lv, double *gv, struct err *e)
{
	struct loss_opts	 o;
	struct mat		 pw = MAT_INIT;
	double			*in = NULL;
	size_t			 i;
	int			 rc, cls = y >= 0.5 ? 0 : 1;

	loss_opts_init(&o);
	if (!isnan(p->label_smoothing))
		o.label_smoothing = p->label_smoothing;
	switch (id) {
	case LOSS_BCE:
		if ((in = calloc(n, sizeof *in)) == NULL)
			return (err_set(e, "out of memory"));
		for (i = 0; i < n; i++)
			in[i] = activation_sigmoid(z[i]);
		rc = eval_binary(id, PITFALL_NONE, in, n, y, &o, lv, gv, e);
		/* the core's gradient is dL/dp; dL/dz = dL/dp p (1 - p) */
		for (i = 0; rc == 0 && gv != NULL && i < n; i++)
			gv[i] *= in[i] * (1 - in[i]);
		free(in);
		return (rc);
	case LOSS_BCE_LOGITS:
		if (opts_pos_weight(&o, &pw, p->pos_weight, e) == -1)
			return (-1);
		rc = eval_binary(id, PITFALL_NONE, z, n, y, &o, lv, gv, e);
		mat_free(&pw);
		return (rc);
	case LOSS_MULTILABEL_SOFT_MARGIN:
		return (eval_points(id, PITFALL_NONE, z, n, y, 1, &o, lv, gv,
		    e));
	case LOSS_FOCAL:
		o.alpha = isnan(p->alpha) ? -1 : p->alpha;
		if (!isnan(p->gamma))
			o.gamma = p->gamma;
		return (eval_binary(id, PITFALL_NONE, z, n, y, &o, lv, gv, e));
	case LOSS_SOFT_MARGIN:
		return (eval_binary(id, PITFALL_NONE, z, n, 2 * y - 1, &o, lv,
		    gv, e));
	case LOSS_CE:
	case LOSS_MULTI_MARGIN:
		return (eval_multi(id, PITFALL_NONE, z, n, C, cls, ROW_LOGITS,
		    &o, lv, gv, e));
	case LOSS_NLL:
	case LOSS_KL_DIV:
		return (eval_multi(id, PITFALL_NONE, z, n, C, cls,
		    ROW_LOG_SOFTMAX, &o, lv, gv, e));
	default:
		return (err_set(e, "compare: unknown loss"));
	}
}

/* One value of a curve at a single x, for the bisection below; 0 or -1. */
typedef int (*probe_fn)(void *ctx, double x, double *v, struct err *e);

/* The canonical curves' probe: the binary loss (or pitfall) of curve ctx. */
static int
probe_binary(void *ctx, double x, double *v, struct err *e)
{
	const struct curve	*c = ctx;
	struct loss_opts	 o;

	loss_opts_init(&o);
	return (eval_binary(c->loss, c->pitfall, &x, 1, c->y, &o, v, NULL, e));
}

/*
 * Where the pitfall curve v (computed on s->x) first jumps onto the clamp
 * (a loss of exactly `clamp`, 100 for nn.BCELoss's log clamp): bisect
 * between the last point below it and the first point on it, each probe one
 * core call.  NaN if the curve never reaches the clamp inside the range.
 */
static double
find_clamp_edge(const struct curve_set *s, const double *v, double clamp,
    probe_fn probe, void *ctx, struct err *e)
{
	double	 lo, hi, mid, pv;
	size_t	 i;
	int	 k, up;

	for (i = 1; i < s->n; i++) {
		if ((v[i - 1] == clamp) != (v[i] == clamp))
			break;
	}
	if (i >= s->n)
		return (NAN);
	/* up: the clamp lies to the right of the jump */
	up = v[i] == clamp;
	lo = s->x[i - 1];
	hi = s->x[i];
	for (k = 0; k < 60 && lo < hi; k++) {
		mid = lo + (hi - lo) / 2;
		if (mid <= lo || mid >= hi)
			break;
		if (probe(ctx, mid, &pv, e) == -1)
			return (NAN);
		if ((pv == clamp) == up)
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

/*
 * The grid of a canonical set: p's values checked, the x axis chosen, n
 * points from xmin to xmax into s->x (the set's other fields cleared), the
 * classes and the binary target into *C and *y.  0, or -1 with e set.
 */
static int
compute_grid(const struct curve_params *p, double xmin, double xmax,
    size_t n, int single, struct curve_set *s, int *Cp, double *yp,
    struct err *e)
{
	double	y;
	size_t	i;
	int	C;

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
	*Cp = C;
	*yp = y;
	return (0);
}

/*
 * The curves of canonical kind p->kind on s's grid (compute_grid), each
 * point one core call.  0, or -1 with e set (s is then freed by compute).
 */
static int
compute_curves(const struct curve_params *p, struct curve_set *s, double y,
    int C, int single, struct err *e)
{
	static const enum loss_id def_losses[] = {
		LOSS_BCE_LOGITS, LOSS_FOCAL, LOSS_SOFT_MARGIN
	};
	struct loss_opts	 o;
	struct mat		 pw = MAT_INIT;
	struct curve		*c, *g;
	double			 vals[CURVE_MAX];
	size_t			 n = s->n;
	int			 k, nv, rc = -1;

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
			s->edge = find_clamp_edge(s, s->c[2].v,
			    CURVE_BCE_CLAMP, probe_binary, &s->c[2], e);
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
		if (p->grad && (nv ? nv : 3) > CURVE_MAX / 2) {
			err_set(e, "compare: at most %d losses with their "
			    "gradients", CURVE_MAX / 2);
			goto out;
		}
		for (k = 0; k < (nv ? nv : 3); k++) {
			enum loss_id id = nv ? p->losses[k] : def_losses[k];

			if ((c = curve_add(s, 0, id, PITFALL_NONE, y,
			    CURVE_PARAM_NONE, 0, e)) == NULL)
				goto out;
			if (compare_one(p, id, s->x, n, y, C, c->v, NULL,
			    e) == -1)
				goto out;
		}
		/* the gradients after every loss, in the same order */
		for (k = 0; p->grad && k < (nv ? nv : 3); k++) {
			enum loss_id id = nv ? p->losses[k] : def_losses[k];

			if ((g = curve_add(s, 1, id, PITFALL_NONE, y,
			    CURVE_PARAM_NONE, 0, e)) == NULL)
				goto out;
			if (compare_one(p, id, s->x, n, y, C, NULL, g->v,
			    e) == -1)
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
	return (rc);
}

/* A canonical set: the grid, then the curves; s freed on failure. */
static int
compute(const struct curve_params *p, double xmin, double xmax, size_t n,
    int single, struct curve_set *s, struct err *e)
{
	double	y = 0;
	int	C = 0;

	if (compute_grid(p, xmin, xmax, n, single, s, &C, &y, e) == -1 ||
	    compute_curves(p, s, y, C, single, e) == -1) {
		curve_set_free(s);
		return (-1);
	}
	return (0);
}

/* ------------------------------------------------------------ cell mode -- */

/*
 * Cell mode (core/curve.h, struct curve_cells).  Every point is one core
 * call on the step's whole input with one cell replaced by x, under the
 * step's own target and options (so broadcasting, weights, ignore_index and
 * the 'mean' denominator are exactly the step's); a curve reads from the
 * result the 'none' value of the output element the cell feeds and
 * d L / d input[r][c] of the reduced loss.  A "function" (struct cfn) is one
 * such evaluation -- the step's loss, its pitfall, or a variant with another
 * label, option value or companion loss -- and gives one loss curve and,
 * where the kind draws gradients, one gradient curve.
 */

/* Functions one cell can have: main, pitfall, and up to four others. */
#define CELLS_FN_PER	6
#define CELLS_FN_MAX	(CELLS_FN_PER * CURVE_CELLS_MAX)
/* Logits at which sigmoid and softmax round to exactly 0 and 1. */
#define CURVE_PERFECT	40.0
/* Points (beside the marks) where two cells' functions must agree to be
   drawn as one curve. */
#define CELLS_PROBES	17

struct cfn {
	int		 group;		/* the cell it varies */
	enum curve_role	 role;
	enum loss_id	 loss;		/* loss_eval's loss (pf NONE) */
	enum pitfall_id	 pf;
	enum curve_param param;
	double		 value;
	double		 y;		/* the element's target, NaN if none */
	int		 grad;		/* a gradient curve too */
	int		 row_mean;	/* the mean of row r of elem (the
					   multilabel-soft-margin companion) */
	int		 ok;		/* it evaluates at the step's values */
	int		 drop;		/* not drawn (left out or merged) */
	const struct mat *target;	/* the step's, or &tgt */
	struct mat	 tgt, pw;	/* owned replacements */
	struct loss_opts opts;
	double		 mark;		/* its value at the step's own values */
	double		*probe;		/* values at the merge probes (or
					   NULL) */
	int		 lcurve, gcurve; /* its curves in the set, or -1 */
};

struct cells {
	const struct curve_cells *cc;
	struct loss_opts	 opts;	/* the step's options */
	struct mat		 x;	/* the input, one cell varied at a
					   time */
	struct cfn		 fn[CELLS_FN_MAX];
	int			 nfn;
	int			 owner[CURVE_CELLS_MAX]; /* the cell whose
					   curves cell g's marks sit on */
};

/* Losses whose 'none' output holds one value per sample. */
static int
per_sample(enum loss_id id)
{
	return (id == LOSS_CE || id == LOSS_NLL || id == LOSS_MULTI_MARGIN ||
	    id == LOSS_MULTILABEL_SOFT_MARGIN);
}

/* The loss whose output layout a function's result has. */
static enum loss_id
fn_layout(const struct cfn *f)
{
	return (f->pf != PITFALL_NONE ? pitfall_loss(f->pf) : f->loss);
}

/* Flat index of element (r, c) of an output frame in m under torch's
   right-aligned broadcasting (a size-1 dimension repeats). */
static size_t
bidx(const struct mat *m, size_t r, size_t c)
{
	size_t	rr = (m->ndim == 2 && m->rows != 1) ? r : 0;
	size_t	cc = m->cols == 1 ? 0 : c;

	return (rr * m->cols + cc);
}

/* Flat index of cell g in the input. */
static size_t
cell_at(const struct cells *cx, int g)
{
	return (cx->cc->cells[g].r * cx->x.cols + cx->cc->cells[g].c);
}

/*
 * The value a curve of f reads from the result res of cell g: sample r's
 * loss (per-sample losses), the mean of row r (the multilabel companion:
 * MultiLabelSoftMargin's l_n = mean_c of the BCE-with-logits terms), or
 * the sum of the elem entries that broadcast from the cell (element-wise
 * losses: one entry, except kl-div with a broadcast input).
 */
static double
fn_value(const struct cells *cx, const struct cfn *f, int g,
    const struct loss_result *res)
{
	const struct mat	*el = &res->elem;
	size_t			 r = cx->cc->cells[g].r, k = cell_at(cx, g);
	size_t			 i, j, rows = el->ndim == 2 ? el->rows : 1;
	double			 sum = 0;

	if (f->row_mean) {
		if (r >= rows || el->cols == 0)
			return (NAN);
		for (j = 0; j < el->cols; j++)
			sum += MAT_AT(el, r, j);
		return (sum / (double)el->cols);
	}
	if (per_sample(fn_layout(f)))
		return (r < mat_numel(el) ? el->v[r] : NAN);
	for (i = 0; i < rows; i++)
		for (j = 0; j < el->cols; j++)
			if (bidx(&cx->x, i, j) == k)
				sum += MAT_AT(el, i, j);
	return (sum);
}

/* Run f on the current cx->x; 0 or -1 (e set). */
static int
fn_run(struct cells *cx, const struct cfn *f, struct loss_result *res,
    struct err *e)
{
	return (run(f->loss, f->pf, &cx->x, f->target, &f->opts, res, e));
}

/*
 * f at each of the n values xs of its cell: the loss into lv and the
 * gradient d L / d input[r][c] into gv (either may be NULL); NaN where the
 * core refuses the input (a bce probability outside [0, 1]).
 */
static void
fn_eval(struct cells *cx, const struct cfn *f, const double *xs, size_t n,
    double *lv, double *gv)
{
	struct loss_result	 res = LOSS_RESULT_INIT;
	size_t			 i, k = cell_at(cx, f->group);
	double			 keep = cx->x.v[k];

	for (i = 0; i < n; i++) {
		cx->x.v[k] = xs[i];
		if (fn_run(cx, f, &res, NULL) == -1) {
			if (lv != NULL)
				lv[i] = NAN;
			if (gv != NULL)
				gv[i] = NAN;
			continue;
		}
		if (lv != NULL)
			lv[i] = fn_value(cx, f, f->group, &res);
		if (gv != NULL)
			gv[i] = k < mat_numel(&res.grad) ? res.grad.v[k] : NAN;
		loss_result_free(&res);
	}
	cx->x.v[k] = keep;
}

static void
cells_free(struct cells *cx)
{
	int	i;

	for (i = 0; i < cx->nfn; i++) {
		mat_free(&cx->fn[i].tgt);
		mat_free(&cx->fn[i].pw);
		free(cx->fn[i].probe);
	}
	mat_free(&cx->x);
	cx->nfn = 0;
}

/* Check cc and set up cx; 0, or -1 with e set. */
static int
cells_init(struct cells *cx, const struct curve_cells *cc, struct err *e)
{
	const struct mat	*in;
	size_t			 g, rows;
	char			 sh[64];

	memset(cx, 0, sizeof *cx);
	if (cc == NULL || cc->input == NULL || cc->target == NULL)
		return (err_set(e, "cell mode needs the input and the target"));
	if ((int)cc->loss < 0 || cc->loss >= LOSS_COUNT)
		return (err_set(e, "unknown loss"));
	if ((int)cc->pitfall < 0 || cc->pitfall >= PITFALL_COUNT)
		return (err_set(e, "unknown pitfall"));
	if (cc->ncells < 1 || cc->ncells > CURVE_CELLS_MAX)
		return (err_set(e, "cell mode follows 1 to %d cells, got %zu",
		    CURVE_CELLS_MAX, cc->ncells));
	in = cc->input;
	if ((in->ndim != 1 && in->ndim != 2) || (in->ndim == 1 &&
	    in->rows != 1) || (in->v == NULL && mat_numel(in) != 0))
		return (err_set(e, "the input must be a 1-D or 2-D array"));
	rows = in->ndim == 2 ? in->rows : 1;
	for (g = 0; g < cc->ncells; g++) {
		if (cc->cells[g].r >= rows || cc->cells[g].c >= in->cols)
			return (err_set(e, "cell [%zu][%zu] is outside the "
			    "input of shape %s", cc->cells[g].r,
			    cc->cells[g].c, mat_shape_str(in, sh, sizeof sh)));
	}
	if (cc->opts != NULL)
		cx->opts = *cc->opts;
	else
		loss_opts_init(&cx->opts);
	cx->cc = cc;
	if (mat_copy(&cx->x, in, e) == -1)
		return (-1);
	return (0);
}

/* A new function of cell g with the step's target and options. */
static struct cfn *
fn_add(struct cells *cx, int g, enum curve_role role, enum loss_id loss,
    enum pitfall_id pf)
{
	static const struct mat	 empty = MAT_INIT;
	struct cfn		*f;

	if (cx->nfn >= CELLS_FN_MAX)
		return (NULL);
	f = &cx->fn[cx->nfn++];
	memset(f, 0, sizeof *f);
	f->group = g;
	f->role = role;
	f->loss = loss;
	f->pf = pf;
	f->param = CURVE_PARAM_NONE;
	f->y = NAN;
	f->target = cx->cc->target;
	f->tgt = empty;
	f->pw = empty;
	f->opts = cx->opts;
	f->mark = NAN;
	f->lcurve = f->gcurve = -1;
	return (f);
}

/*
 * Evaluate f at the step's own values (its mark).  A failure drops f and
 * returns -1 with e set; for the main function that is the plot's error
 * (the step's loss itself fails), for the others the curve is left out
 * (a pitfall that raises, such as bce-on-logits on logits outside [0, 1]).
 */
static int
fn_check(struct cells *cx, struct cfn *f, struct err *e)
{
	struct loss_result	 res = LOSS_RESULT_INIT;

	if (fn_run(cx, f, &res, e) == -1) {
		f->drop = 1;
		return (-1);
	}
	f->mark = fn_value(cx, f, f->group, &res);
	f->ok = 1;
	loss_result_free(&res);
	return (0);
}

/* The first function of cell g with role `role`, or NULL. */
static struct cfn *
fn_of(struct cells *cx, int g, enum curve_role role)
{
	int	i;

	for (i = 0; i < cx->nfn; i++)
		if (cx->fn[i].group == g && cx->fn[i].role == role)
			return (&cx->fn[i]);
	return (NULL);
}

/* The binary target element (r, c) reads, NaN for the multi-class and
   kl-div losses. */
static double
elem_target(const struct cells *cx, enum loss_id id, int g)
{
	const struct mat	*t = cx->cc->target;
	size_t			 k;

	if (id == LOSS_CE || id == LOSS_NLL || id == LOSS_MULTI_MARGIN ||
	    id == LOSS_KL_DIV || mat_numel(t) == 0 || t->v == NULL)
		return (NAN);
	/* a target that does not broadcast against the input has no
	   element here: the loss refuses it (fn_check says why) */
	k = bidx(t, cx->cc->cells[g].r, cx->cc->cells[g].c);
	if (k >= mat_numel(t))
		return (NAN);
	return (t->v[k]);
}

/* Whether plot kind k draws gradients beside the losses. */
static int
kind_gradients(enum curve_kind k)
{
	return (k == CURVE_LOGITS || k == CURVE_CE ||
	    k == CURVE_DOUBLE_SIGMOID || k == CURVE_SOFTMAX_THEN_CE ||
	    k == CURVE_NAIVE_FLOAT32);
}

/* A family member of f0 (the main function) with parameter value v. */
static struct cfn *
fn_family(struct cells *cx, const struct cfn *f0, enum curve_param param,
    double v)
{
	struct cfn	*f;

	if ((f = fn_add(cx, f0->group, CURVE_ROLE_FAMILY, f0->loss,
	    PITFALL_NONE)) == NULL)
		return (NULL);
	f->param = param;
	f->value = v;
	f->y = f0->y;
	return (f);
}

/*
 * The companion of `compare`: the same numbers through another loss.
 *   soft-margin:  log(1 + e^(-y z)) = BCEWithLogits(z, (y + 1) / 2)
 *   multi-margin: ce on the same logits and class indices (and weight)
 *   multilabel-soft-margin: l_n = mean_c BCEWithLogits(z_nc, y_nc) w_c
 * Targets and weights that broadcast are expanded to the input's shape.
 */
static int
fn_companion(struct cells *cx, const struct cfn *f0, struct err *e)
{
	const struct mat	*in = cx->cc->input, *t = cx->cc->target;
	struct cfn		*f;
	enum loss_id		 id;
	size_t			 i, j, rows = in->ndim == 2 ? in->rows : 1;

	switch (f0->loss) {
	case LOSS_SOFT_MARGIN:
	case LOSS_MULTILABEL_SOFT_MARGIN:
		id = LOSS_BCE_LOGITS;
		break;
	case LOSS_MULTI_MARGIN:
		id = LOSS_CE;
		break;
	default:
		return (0);
	}
	if ((f = fn_add(cx, f0->group, CURVE_ROLE_COMPANION, id,
	    PITFALL_NONE)) == NULL)
		return (0);
	loss_opts_init(&f->opts);
	f->opts.reduction = cx->opts.reduction;
	if (f0->loss == LOSS_MULTI_MARGIN) {
		f->opts.weight = cx->opts.weight;
		fn_check(cx, f, NULL);
		return (0);
	}
	if (mat_alloc(&f->tgt, in->ndim, in->rows, in->cols, e) == -1)
		return (-1);
	for (i = 0; i < rows && mat_numel(t) > 0; i++) {
		for (j = 0; j < in->cols; j++) {
			double y = t->v[bidx(t, i, j)];

			MAT_AT(&f->tgt, i, j) = f0->loss == LOSS_SOFT_MARGIN ?
			    (y + 1) / 2 : y;
		}
	}
	f->target = &f->tgt;
	if (f0->loss == LOSS_MULTILABEL_SOFT_MARGIN) {
		f->opts.weight = cx->opts.weight;
		f->row_mean = 1;
	} else
		f->y = (f0->y + 1) / 2;
	fn_check(cx, f, NULL);
	return (0);
}

/*
 * The functions of cell g for plot kind k: the main loss, the pitfall, and
 * by kind the other label, a family or a companion.  0, or -1 with e set
 * (the step's loss fails, out of memory).
 */
static int
cells_build_one(struct cells *cx, enum curve_kind k, int g, struct err *e)
{
	static const double	 gammas[] = { 0, 1, 2, 5 };
	static const double	 epss[] = { 0, 0.1, 0.3 };
	static const double	 pws[] = { 1, 3, 10 };
	const struct curve_cells *cc = cx->cc;
	const struct mat	*pw0 = cx->opts.pos_weight;
	struct cfn		*f0, *f;
	size_t			 r = cc->cells[g].r, c = cc->cells[g].c, i;
	double			 v0, y;
	size_t			 j;
	int			 grad = kind_gradients(k);

	if ((f0 = fn_add(cx, g, CURVE_ROLE_MAIN, cc->loss,
	    PITFALL_NONE)) == NULL)
		return (err_set(e, "too many curves"));
	f0->grad = grad;
	f0->y = elem_target(cx, cc->loss, g);
	/* the step's own loss at the step's own values: must work */
	if (fn_check(cx, f0, e) == -1) {
		char	msg[sizeof e->msg];

		if (e != NULL) {
			snprintf(msg, sizeof msg, "%s", e->msg);
			err_set(e, "%s: %s", loss_name(cc->loss), msg);
		}
		return (-1);
	}
	if (cc->pitfall != PITFALL_NONE &&
	    (f = fn_add(cx, g, CURVE_ROLE_PITFALL, pitfall_loss(cc->pitfall),
	    cc->pitfall)) != NULL) {
		f->grad = grad;
		f->y = elem_target(cx, fn_layout(f), g);
		fn_check(cx, f, NULL);
	}
	switch (k) {
	case CURVE_BCE:
		/* the other branch of -[y log p + (1 - y) log(1 - p)] */
		y = f0->y;
		if ((cc->loss != LOSS_BCE && cc->loss != LOSS_BCE_LOGITS &&
		    cc->loss != LOSS_FOCAL &&
		    cc->loss != LOSS_MULTILABEL_SOFT_MARGIN) ||
		    (y != 0 && y != 1))
			break;
		if ((f = fn_add(cx, g, CURVE_ROLE_BRANCH, cc->loss,
		    PITFALL_NONE)) == NULL)
			break;
		if (mat_copy(&f->tgt, cc->target, e) == -1)
			return (-1);
		f->tgt.v[bidx(&f->tgt, r, c)] = 1 - y;
		f->target = &f->tgt;
		f->y = 1 - y;
		fn_check(cx, f, NULL);
		break;
	case CURVE_FOCAL:
		/* FL = a_t (1 - p_t)^gamma BCE: gamma 0, 1, 2, 5 and the
		   step's (which is the main curve) */
		if (cc->loss != LOSS_FOCAL)
			break;
		f0->param = CURVE_PARAM_GAMMA;
		f0->value = cx->opts.gamma;
		for (i = 0; i < sizeof gammas / sizeof gammas[0]; i++) {
			if (gammas[i] == cx->opts.gamma ||
			    (f = fn_family(cx, f0, CURVE_PARAM_GAMMA,
			    gammas[i])) == NULL)
				continue;
			f->opts.gamma = gammas[i];
			fn_check(cx, f, NULL);
		}
		break;
	case CURVE_LABEL_SMOOTHING:
		/* l = (1 - eps) nll + (eps / C) sum_c -log p_c */
		if (cc->loss != LOSS_CE)
			break;
		f0->param = CURVE_PARAM_LABEL_SMOOTHING;
		f0->value = cx->opts.label_smoothing;
		for (i = 0; i < sizeof epss / sizeof epss[0]; i++) {
			if (epss[i] == cx->opts.label_smoothing ||
			    (f = fn_family(cx, f0,
			    CURVE_PARAM_LABEL_SMOOTHING, epss[i])) == NULL)
				continue;
			f->opts.label_smoothing = epss[i];
			fn_check(cx, f, NULL);
		}
		break;
	case CURVE_POS_WEIGHT:
		/* l = -[pw y log s(z) + (1 - y) log(1 - s(z))]: the pos_weight
		   element (r, c) reads replaced (none is pw = 1) */
		if (cc->loss != LOSS_BCE_LOGITS)
			break;
		v0 = pw0 != NULL && mat_numel(pw0) > 0 ?
		    pw0->v[bidx(pw0, r, c)] : 1;
		f0->param = CURVE_PARAM_POS_WEIGHT;
		f0->value = v0;
		for (i = 0; i < sizeof pws / sizeof pws[0]; i++) {
			if (pws[i] == v0 || (f = fn_family(cx, f0,
			    CURVE_PARAM_POS_WEIGHT, pws[i])) == NULL)
				continue;
			if (pw0 != NULL && mat_numel(pw0) > 0) {
				if (mat_copy(&f->pw, pw0, e) == -1)
					return (-1);
				f->pw.v[bidx(&f->pw, r, c)] = pws[i];
			} else {
				if (mat_alloc(&f->pw, cc->input->ndim,
				    cc->input->rows, cc->input->cols, e) == -1)
					return (-1);
				for (j = 0; j < mat_numel(&f->pw); j++)
					f->pw.v[j] = 1;
				f->pw.v[cell_at(cx, g)] = pws[i];
			}
			f->opts.pos_weight = &f->pw;
			fn_check(cx, f, NULL);
		}
		break;
	case CURVE_COMPARE:
		if (fn_companion(cx, f0, e) == -1)
			return (-1);
		break;
	default:
		break;
	}
	return (0);
}

/* The curves the functions left make. */
static int
cells_ncurves(const struct cells *cx)
{
	int	i, n = 0;

	for (i = 0; i < cx->nfn; i++)
		if (!cx->fn[i].drop)
			n += 1 + cx->fn[i].grad;
	return (n);
}

/* The curves the set may hold: one slot is kept for the pitfall's
   reference line (floor or float32 edge) while the first cell's pitfall
   curve is drawn, so that every line has its key entry. */
static int
cells_budget(struct cells *cx)
{
	const struct cfn	*f = fn_of(cx, 0, CURVE_ROLE_PITFALL);
	enum pitfall_id		 pf = cx->cc->pitfall;

	if (f != NULL && !f->drop && (pf == PITFALL_SOFTMAX_THEN_CE ||
	    pf == PITFALL_DOUBLE_SIGMOID || pf == PITFALL_NAIVE_FLOAT32))
		return (CURVE_MAX - 1);
	return (CURVE_MAX);
}

/* f's loss and gradient at the merge probes, computed once; NULL when out
   of memory. */
static const double *
fn_probe(struct cells *cx, struct cfn *f, const double *xs, size_t np)
{
	if (f->probe == NULL) {
		if ((f->probe = malloc(2 * np * sizeof *f->probe)) == NULL)
			return (NULL);
		fn_eval(cx, f, xs, np, f->probe, f->probe + np);
	}
	return (f->probe);
}

static int
same_double(double a, double b)
{
	return (a == b || (isnan(a) && isnan(b)));
}

/* The next function of cell g still drawn, from index i on (nfn if none). */
static int
next_live(const struct cells *cx, int g, int i)
{
	while (i < cx->nfn && (cx->fn[i].group != g || cx->fn[i].drop))
		i++;
	return (i);
}

/*
 * Whether cells gi and gj draw the same curves: functions of the same
 * roles, losses and parameters, equal bit for bit at every probe (each
 * with its own cell set to the probe).  Element-wise losses with the same
 * target, weights and options are; so are two logits of a row that the
 * loss treats alike.
 */
static int
cells_same(struct cells *cx, int gi, int gj, const double *xs, size_t np)
{
	struct cfn	*a, *b;
	const double	*pa, *pb;
	size_t		 k;
	int		 i = 0, j = 0;

	for (;;) {
		i = next_live(cx, gi, i);
		j = next_live(cx, gj, j);
		if (i >= cx->nfn || j >= cx->nfn)
			return (i >= cx->nfn && j >= cx->nfn);
		a = &cx->fn[i++];
		b = &cx->fn[j++];
		if (a->role != b->role || a->loss != b->loss ||
		    a->pf != b->pf || a->param != b->param ||
		    !same_double(a->value, b->value) || a->grad != b->grad)
			return (0);
		if ((pa = fn_probe(cx, a, xs, np)) == NULL ||
		    (pb = fn_probe(cx, b, xs, np)) == NULL)
			return (0);
		for (k = 0; k < (a->grad ? 2 : 1) * np; k++)
			if (!same_double(pa[k], pb[k]))
				return (0);
	}
}

/*
 * Cells whose curves are the same function share them (their marks sit on
 * the first one's).  Then keep the set within CURVE_MAX curves: with
 * several cells, first no gradient and family curves, then no other label
 * or companion, then no pitfall curves, from the last cell back.
 * Each cell's main curve (at most CURVE_CELLS_MAX <= CURVE_MAX) always
 * stays.  The probes are spread over [lo, hi] plus every cell's value.
 */
static void
cells_fit(struct cells *cx, double lo, double hi)
{
	const struct curve_cells *cc = cx->cc;
	double			 xs[CELLS_PROBES + CURVE_CELLS_MAX];
	size_t			 np = 0, k;
	int			 i, g, h;

	/* Cells whose curves are one function always share them: two
	   curves on top of each other would hide one. */
	for (k = 0; k < CELLS_PROBES; k++)
		xs[np++] = lo + (hi - lo) * (double)k / (CELLS_PROBES - 1);
	for (g = 0; g < (int)cc->ncells; g++)
		if (isfinite(cx->x.v[cell_at(cx, g)]))
			xs[np++] = cx->x.v[cell_at(cx, g)];
	for (g = 1; g < (int)cc->ncells; g++) {
		for (h = 0; h < g; h++) {
			if (cx->owner[h] != h || !cells_same(cx, h, g, xs, np))
				continue;
			cx->owner[g] = h;
			for (i = 0; i < cx->nfn; i++)
				if (cx->fn[i].group == g)
					cx->fn[i].drop = 1;
			break;
		}
	}
	if (cells_ncurves(cx) <= cells_budget(cx))
		return;
	if (cc->ncells > 1) {
		for (i = 0; i < cx->nfn; i++) {
			cx->fn[i].grad = 0;
			if (cx->fn[i].role == CURVE_ROLE_FAMILY)
				cx->fn[i].drop = 1;
		}
	}
	if (cells_ncurves(cx) <= cells_budget(cx))
		return;

	for (i = 0; i < cx->nfn; i++)
		if (cx->fn[i].role == CURVE_ROLE_BRANCH ||
		    cx->fn[i].role == CURVE_ROLE_COMPANION ||
		    cx->fn[i].role == CURVE_ROLE_FAMILY)
			cx->fn[i].drop = 1;
	for (g = (int)cc->ncells - 1; g >= 0 &&
	    cells_ncurves(cx) > cells_budget(cx); g--) {
		for (i = 0; i < cx->nfn; i++)
			if (cx->fn[i].group == g &&
			    cx->fn[i].role == CURVE_ROLE_PITFALL)
				cx->fn[i].drop = 1;
	}
}

/* ---- the pitfall's floor ---- */

/* Row r of cx->x set to row (C values), f evaluated: the loss of its cell's
   sample into *v and the gradient of that row into grad (may be NULL);
   the row is put back.  NaN where the core refuses. */
static void
row_eval(struct cells *cx, const struct cfn *f, const double *row,
    double *v, double *grad)
{
	struct loss_result	 res = LOSS_RESULT_INIT;
	size_t			 C = cx->x.cols, j;
	double			*xr = &cx->x.v[cx->cc->cells[f->group].r * C];
	double			 keep[64], *save = keep;

	*v = NAN;
	if (C > sizeof keep / sizeof keep[0] &&
	    (save = malloc(C * sizeof *save)) == NULL)
		return;
	memcpy(save, xr, C * sizeof *save);
	memcpy(xr, row, C * sizeof *xr);
	if (fn_run(cx, f, &res, NULL) == 0) {
		*v = fn_value(cx, f, f->group, &res);
		if (grad != NULL)
			for (j = 0; j < C; j++)
				grad[j] = res.grad.v[(xr - cx->x.v) + j];
		loss_result_free(&res);
	} else if (grad != NULL)
		for (j = 0; j < C; j++)
			grad[j] = NAN;
	memcpy(xr, save, C * sizeof *xr);
	if (save != keep)
		free(save);
}

static int
cmp_desc(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? 1 : x > y ? -1 : 0);
}

/*
 * The Euclidean projection of u onto the simplex {p >= 0, sum p = 1}
 * (Duchi et al., 2008): with u sorted descending, rho the last j with
 * u_(j) > (sum_{i <= j} u_(i) - 1) / j, theta that quotient at rho,
 * p = max(u - theta, 0).  tmp holds C doubles.
 */
static void
simplex_proj(const double *u, double *p, double *tmp, size_t C)
{
	double	s = 0, t, theta = 0;
	size_t	i;

	memcpy(tmp, u, C * sizeof *tmp);
	qsort(tmp, C, sizeof *tmp, cmp_desc);
	for (i = 0; i < C; i++) {
		s += tmp[i];
		t = (s - 1) / (double)(i + 1);
		if (tmp[i] - t > 0)
			theta = t;
	}
	for (i = 0; i < C; i++)
		p[i] = fmax(u[i] - theta, 0);
}

/*
 * softmax-then-ce: CE(softmax(z), y) of sample r over every row z.  With
 * p = softmax(z) the loss is CE(p, y) on the simplex, convex for weights
 * >= 0: for a class-index target it is lowest at a vertex, p = e_y, i.e.
 * at the "perfect" logits z_y = 40, z_j = 0 (log(1 + (C - 1)/e) without
 * weights); with probabilities or label smoothing the lowest point may be
 * inside, found by projected gradient descent on p (backtracking; CE's own
 * gradient from loss_eval), then evaluated at z = log p.  The floor is the
 * lowest pitfall value over the vertices and that point.
 */
static double
floor_softmax(struct cells *cx, const struct cfn *f, int soft)
{
	struct cfn	 ce = *f;
	size_t		 C = cx->x.cols, j, k;
	double		*buf, *row, *p, *q, *g, *u, *tmp;
	double		 v, best = NAN, fp, fq, t, gd, dd, bestv = NAN;
	int		 it, ls, kbest = -1;

	if (C == 0 || (buf = calloc(7 * C, sizeof *buf)) == NULL)
		return (NAN);
	row = buf;
	p = buf + C;
	q = buf + 2 * C;
	g = buf + 3 * C;
	u = buf + 4 * C;
	tmp = buf + 5 * C;
	for (k = 0; k < C; k++) {
		for (j = 0; j < C; j++)
			row[j] = j == k ? CURVE_PERFECT : 0;
		row_eval(cx, f, row, &v, NULL);
		if (isfinite(v) && !(v >= bestv)) {
			bestv = v;
			kbest = (int)k;
		}
	}
	best = bestv;
	if (!soft || kbest < 0)
		goto out;

	/* the descent on p, from the best vertex */
	ce.pf = PITFALL_NONE;
	ce.loss = LOSS_CE;
	ce.opts.reduction = LOSS_REDUCTION_SUM;
	for (j = 0; j < C; j++)
		row[j] = (int)j == kbest ? CURVE_PERFECT : 0;
	activation_softmax(row, p, C);
	row_eval(cx, &ce, p, &fp, g);
	t = 1;
	for (it = 0; it < 500 && isfinite(fp); it++) {
		gd = dd = 0;
		for (ls = 0; ls < 60; ls++) {
			for (j = 0; j < C; j++)
				u[j] = p[j] - t * g[j];
			simplex_proj(u, q, tmp, C);
			row_eval(cx, &ce, q, &fq, NULL);
			gd = dd = 0;
			for (j = 0; j < C; j++) {
				gd += g[j] * (q[j] - p[j]);
				dd += (q[j] - p[j]) * (q[j] - p[j]);
			}
			/* sufficient decrease for step t */
			if (isfinite(fq) && fq <= fp + gd + dd / (2 * t))
				break;
			t /= 2;
		}
		if (ls == 60 || dd == 0)
			break;
		memcpy(p, q, C * sizeof *p);
		if (fp - fq <= 1e-15 * fabs(fp)) {
			fp = fq;
			break;
		}
		row_eval(cx, &ce, p, &fp, g);
		t = fmin(2 * t, 1e6);
	}
	/* z = log p: softmax(z) = p (an empty class far below) */
	for (j = 0; j < C; j++)
		row[j] = p[j] > 0 ? log(p[j]) : -1e3;
	row_eval(cx, f, row, &v, NULL);
	if (isfinite(v) && v < best)
		best = v;
out:
	free(buf);
	return (best);
}

/*
 * double-sigmoid: BCEWithLogits(sigmoid(z), y) of one element over every
 * z.  It is a convex function of s = sigmoid(z) (weights >= 0), so
 * unimodal in z: a golden-section search on [-40, 40], and the ends, where
 * s rounds to 0 and 1 (y = 1: log(1 + e^-1) at z = 40).
 */
static double
floor_double_sigmoid(struct cells *cx, const struct cfn *f)
{
	const double	 gr = (sqrt(5.0) - 1) / 2;
	double		 a = -CURVE_PERFECT, b = CURVE_PERFECT, c, d, fc, fd;
	double		 ends[2] = { -CURVE_PERFECT, CURVE_PERFECT }, fe[2];
	double		 best = NAN;
	int		 k;

	fn_eval(cx, f, ends, 2, fe, NULL);
	c = b - gr * (b - a);
	d = a + gr * (b - a);
	fn_eval(cx, f, &c, 1, &fc, NULL);
	fn_eval(cx, f, &d, 1, &fd, NULL);
	for (k = 0; k < 200 && b - a > 1e-9; k++) {
		if (fc < fd) {
			b = d;
			d = c;
			fd = fc;
			c = b - gr * (b - a);
			fn_eval(cx, f, &c, 1, &fc, NULL);
		} else {
			a = c;
			c = d;
			fc = fd;
			d = a + gr * (b - a);
			fn_eval(cx, f, &d, 1, &fd, NULL);
		}
	}
	if (isfinite(fe[0]))
		best = fe[0];
	if (isfinite(fe[1]) && !(fe[1] >= best))
		best = fe[1];
	if (isfinite(fc) && !(fc >= best))
		best = fc;
	if (isfinite(fd) && !(fd >= best))
		best = fd;
	return (best);
}

/* The floor of cell 0's pitfall function f (see curve_cells_floor). */
static double
cells_floor(struct cells *cx, const struct cfn *f)
{
	struct loss_result	 res = LOSS_RESULT_INIT;
	int			 soft;

	switch (f->pf) {
	case PITFALL_DOUBLE_SIGMOID:
		return (floor_double_sigmoid(cx, f));
	case PITFALL_SOFTMAX_THEN_CE:
		/* probabilities or label smoothing: not a vertex */
		if (fn_run(cx, f, &res, NULL) == -1)
			return (NAN);
		soft = !res.index_target || f->opts.label_smoothing > 0;
		loss_result_free(&res);
		return (floor_softmax(cx, f, soft));
	default:
		return (NAN);
	}
}

/* ---- the float32 edge ---- */

struct cell_probe {
	struct cells		*cx;
	const struct cfn	*f;
};

static int
probe_cell(void *ctx, double x, double *v, struct err *e)
{
	struct cell_probe	*cp = ctx;

	(void)e;
	fn_eval(cp->cx, cp->f, &x, 1, v, NULL);
	return (0);
}

/*
 * naive-float32: where cell 0's pitfall curve jumps onto the log clamp.
 * The clamped value (100 w, or 100 (1 - y) w) is the curve's value far
 * out on the side where sigma rounds away from the label: z -> -inf for
 * y >= 0.5, z -> +inf otherwise.
 */
static double
cells_edge(struct cells *cx, const struct cfn *f, const struct curve_set *s)
{
	struct cell_probe	 cp;
	double			 far, clamp;

	far = f->y >= 0.5 ? -CURVE_FAR : CURVE_FAR;
	fn_eval(cx, f, &far, 1, &clamp, NULL);
	if (!isfinite(clamp) || f->lcurve < 0)
		return (NAN);
	cp.cx = cx;
	cp.f = f;
	return (find_clamp_edge(s, s->c[f->lcurve].v, clamp, probe_cell, &cp,
	    NULL));
}

/* ---- the set ---- */

/*
 * The x range of cell mode: the kind's own widened so that every cell's
 * value lies inside with 15% of the span to spare, |x| within 1e6; bce's
 * probabilities: [0.005, 0.995] and the cells' values (no padding: the
 * log clamp at p = 0 and 1 is drawn only when a cell sits there).
 */
static void
cells_range(const struct curve_cells *cc, enum curve_kind k, double *lo,
    double *hi)
{
	double	 mlo = INFINITY, mhi = -INFINITY, v, pad;
	size_t	 g, cols = cc->input->cols;
	int	 prob = loss_input_kind(cc->loss) == LOSS_INPUT_PROBABILITIES;

	if (prob) {
		*lo = 0.005;
		*hi = 0.995;
	} else
		curve_default_range(k, lo, hi);
	for (g = 0; g < cc->ncells; g++) {
		v = cc->input->v[cc->cells[g].r * cols + cc->cells[g].c];
		if (!isfinite(v) || fabs(v) > 1e6)
			continue;
		mlo = fmin(mlo, v);
		mhi = fmax(mhi, v);
	}
	if (mlo > mhi)
		return;
	pad = prob ? 0 : 0.15 * (fmax(*hi, mhi) - fmin(*lo, mlo));
	*lo = fmin(*lo, mlo - pad);
	*hi = fmax(*hi, mhi + pad);
	if (prob) {
		*lo = fmax(*lo, 0);
		*hi = fmin(*hi, 1);
	}
	*lo = fmax(*lo, -1e6);
	*hi = fmin(*hi, 1e6);
}

static int
compute_cells(const struct curve_params *p, double at, int single,
    struct curve_set *s, struct err *e)
{
	const struct curve_cells *cc = p->cells;
	struct cells		*cx;
	struct curve		*c;
	struct cfn		*f, *fo;
	double			 lo, hi, xmin, xmax;
	size_t			 i, n;
	int			 g, k, o, rc = -1;

	memset(s, 0, sizeof *s);
	s->floor = s->edge = NAN;
	if ((int)p->kind < 0 || p->kind >= CURVE_KIND_COUNT)
		return (err_set(e, "unknown plot kind"));
	if ((cx = malloc(sizeof *cx)) == NULL)
		return (err_set(e, "out of memory"));
	if (cells_init(cx, cc, e) == -1)
		goto out;
	for (g = 0; g < (int)cc->ncells; g++)
		cx->owner[g] = g;

	/* the range, as the canonical kinds check it */
	cells_range(cc, p->kind, &lo, &hi);
	xmin = single ? at : isnan(p->xmin) ? lo : p->xmin;
	xmax = single ? at : isnan(p->xmax) ? hi : p->xmax;
	n = single ? 1 : p->points ? p->points : 401;
	if (!isfinite(xmin) || !isfinite(xmax) || xmin > xmax ||
	    (!single && xmin == xmax)) {
		err_set(e, "bad x range [%g, %g]", xmin, xmax);
		goto out;
	}
	if (fabs(xmin) > 1e6 || fabs(xmax) > 1e6) {
		err_set(e, "x range [%g, %g] too wide (|x| <= 1e6)", xmin,
		    xmax);
		goto out;
	}
	if (loss_input_kind(cc->loss) == LOSS_INPUT_PROBABILITIES &&
	    (xmin < 0 || xmax > 1)) {
		err_set(e, "%s: p must lie in [0, 1], got [%g, %g]",
		    loss_name(cc->loss), xmin, xmax);
		goto out;
	}
	if (n < 1 || n > CURVE_POINTS_MAX) {
		err_set(e, "points must be between 1 and %d",
		    CURVE_POINTS_MAX);
		goto out;
	}

	s->kind = p->kind;
	switch (loss_input_kind(cc->loss)) {
	case LOSS_INPUT_PROBABILITIES:
		s->xaxis = CURVE_X_PROB;
		break;
	case LOSS_INPUT_LOG_PROBABILITIES:
		s->xaxis = CURVE_X_LOG_PROB;
		break;
	default:
		s->xaxis = CURVE_X_LOGIT;
		break;
	}
	s->classes = per_sample(cc->loss) || cc->input->ndim == 2 ?
	    (int)cc->input->cols : 0;
	s->ncells = cc->ncells;
	s->n = n;
	if ((s->x = malloc(n * sizeof *s->x)) == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		s->x[i] = n == 1 ? xmin :
		    xmin + (xmax - xmin) * (double)i / (double)(n - 1);
	if (n > 1)
		s->x[n - 1] = xmax;

	for (g = 0; g < (int)cc->ncells; g++)
		if (cells_build_one(cx, p->kind, g, e) == -1)
			goto out;
	cells_fit(cx, lo, hi);

	/* the curves, cell by cell: each function's loss, then its
	   gradient */
	for (k = 0; k < cx->nfn; k++) {
		f = &cx->fn[k];
		if (f->drop)
			continue;
		for (i = 0; i < (size_t)(1 + f->grad); i++) {
			if ((c = curve_add(s, (int)i, f->loss, f->pf, f->y,
			    f->param, f->value, e)) == NULL)
				goto out;
			c->role = f->role;
			c->group = f->group;
			if (i == 0)
				f->lcurve = s->ncurves - 1;
			else
				f->gcurve = s->ncurves - 1;
		}
		fn_eval(cx, f, s->x, n, s->c[f->lcurve].v,
		    f->grad ? s->c[f->gcurve].v : NULL);
	}

	/* the marks: each cell's own values, on its (or its twin's)
	   curves */
	for (g = 0; g < (int)cc->ncells; g++) {
		o = cx->owner[g];
		f = fn_of(cx, g, CURVE_ROLE_MAIN);
		fo = fn_of(cx, o, CURVE_ROLE_MAIN);
		if (f != NULL && fo != NULL && fo->lcurve >= 0 &&
		    s->nmarks < CURVE_MARKS_MAX) {
			s->marks[s->nmarks].group = g;
			s->marks[s->nmarks].curve = fo->lcurve;
			s->marks[s->nmarks].x = cx->x.v[cell_at(cx, g)];
			s->marks[s->nmarks++].y = f->mark;
		}
		f = fn_of(cx, g, CURVE_ROLE_PITFALL);
		fo = fn_of(cx, o, CURVE_ROLE_PITFALL);
		if (f != NULL && f->ok && fo != NULL && fo->lcurve >= 0 &&
		    s->nmarks < CURVE_MARKS_MAX) {
			s->marks[s->nmarks].group = g;
			s->marks[s->nmarks].curve = fo->lcurve;
			s->marks[s->nmarks].x = cx->x.v[cell_at(cx, g)];
			s->marks[s->nmarks++].y = f->mark;
		}
	}

	/* the first cell's pitfall: its floor, or where float32 breaks */
	f = fn_of(cx, 0, CURVE_ROLE_PITFALL);
	if (!single && f != NULL && f->lcurve >= 0) {
		s->floor = cells_floor(cx, f);
		if (f->pf == PITFALL_NAIVE_FLOAT32)
			s->edge = cells_edge(cx, f, s);
	}
	rc = 0;
out:
	cells_free(cx);
	free(cx);
	if (rc == -1)
		curve_set_free(s);
	return (rc);
}

int
curve_cells_floor(const struct curve_cells *cc, double *floor,
    struct err *e)
{
	struct cells	*cx;
	struct cfn	*f;
	int		 rc = -1;

	*floor = NAN;
	if ((cx = malloc(sizeof *cx)) == NULL)
		return (err_set(e, "out of memory"));
	if (cells_init(cx, cc, e) == -1)
		goto out;
	rc = 0;
	if (cc->pitfall != PITFALL_SOFTMAX_THEN_CE &&
	    cc->pitfall != PITFALL_DOUBLE_SIGMOID)
		goto out;
	if ((f = fn_add(cx, 0, CURVE_ROLE_PITFALL, pitfall_loss(cc->pitfall),
	    cc->pitfall)) == NULL || fn_check(cx, f, e) == -1) {
		rc = -1;
		goto out;
	}
	*floor = cells_floor(cx, f);
out:
	cells_free(cx);
	free(cx);
	return (rc);
}

int
curve_compute(const struct curve_params *p, struct curve_set *s,
    struct err *e)
{
	double	xmin, xmax;

	if (p->cells != NULL)
		return (compute_cells(p, NAN, 0, s, e));
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
	if (p->cells != NULL)
		return (compute_cells(p, x, 1, s, e));
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

/* ------------------------------------------------------- presentation -- */

int
curve_same_as(const struct curve_set *s, int k)
{
	const double	*a, *b;
	size_t		 i;
	int		 j;

	if (k < 0 || k >= s->ncurves)
		return (-1);
	for (j = 0; j < k; j++) {
		if (s->c[j].gradient != s->c[k].gradient)
			continue;
		a = s->c[j].v;
		b = s->c[k].v;
		for (i = 0; i < s->n; i++) {
			if (isnan(a[i]) && isnan(b[i]))
				continue;
			/* equal to 1e-12 of their size (NaN fails) */
			if (!(fabs(a[i] - b[i]) <= 1e-12 * fmax(1, fabs(a[i]))))
				break;
		}
		if (i == s->n)
			return (j);
	}
	return (-1);
}

double
curve_logit(double p)
{
	/* z = log(p / (1 - p)), the inverse of sigmoid */
	if (!(p > 0 && p < 1))
		return (NAN);
	return (log(p) - log1p(-p));
}

int
curve_to_prob(struct curve_set *s, struct err *e)
{
	size_t	i;

	if (s->xaxis != CURVE_X_LOGIT)
		return (err_set(e, "the probability axis needs a plot "
		    "against the logit z"));
	/* p = sigmoid(z) = 1 / (1 + e^-z): increasing, so the grid stays
	   ascending */
	for (i = 0; i < s->n; i++)
		s->x[i] = activation_sigmoid(s->x[i]);
	if (!isnan(s->edge))
		s->edge = activation_sigmoid(s->edge);
	s->xaxis = CURVE_X_PROB;
	return (0);
}
