/*
 * loss_f32.c -- the float32 numbers of a loss, as torch's float kernels
 * compute them, for learners whose tensors are float32 (torch's default).
 *
 * loss_eval() runs the float64 path first, which settles shapes, options
 * and errors and allocates the result; loss_f32_refine() then replaces the
 * numbers.  For bce, bce-logits, ce (class indices and probabilities) and
 * nll every operation is done in float, in the order of the float64 path
 * (which follows torch's kernels), with float reductions; the result
 * says r->f32 = LOSS_F32_KERNEL.  For the other losses the float64 numbers
 * are rounded to float (r->f32 = LOSS_F32_ROUNDED): within an ulp or two
 * of torch's float32 except where its float arithmetic cancels, which the
 * callers say on screen.  Inputs, targets and weights are first rounded to
 * float, as .float() would.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>

#include "core/loss.h"
#include "core/loss_f32.h"

/* A value under right-aligned broadcasting (loss_eval checked it). */
static float
fget(const struct mat *w, size_t r, size_t c)
{
	size_t rr = (w->ndim == 2 && w->rows != 1) ? r : 0;
	size_t cc = w->cols == 1 ? 0 : c;

	return (float)w->v[rr * w->cols + cc];
}

static size_t
nrows(const struct mat *x)
{
	return x->ndim == 2 ? x->rows : 1;
}

/* The reduced value from the float sum of the elements. */
static void
reduce(struct loss_result *r, float sum, float denom, int mean)
{
	r->value = mean ? (double)(sum / denom) : (double)sum;
}

/*
 * BCELoss: l = ((y - 1) max(logf(1 - x), -100) - y max(logf(x), -100)) w,
 * dx = g (x - y) / max((1 - x) x, 1e-12f) w.
 */
static void
f32_bce(const struct mat *x, const struct mat *t, const struct loss_opts *o,
    struct loss_result *r)
{
	size_t	i, j, n = mat_numel(x);
	int	mean = o->reduction == LOSS_REDUCTION_MEAN;
	float	g = mean ? 1.0f / (float)n : 1.0f, xf, yf, l, d, sum = 0.0f;

	for (i = 0; i < nrows(x); i++)
		for (j = 0; j < x->cols; j++) {
			xf = (float)MAT_AT(x, i, j);
			yf = (float)MAT_AT(t, i, j);
			l = (yf - 1.0f) * fmaxf(logf(1.0f - xf), -100.0f) -
			    yf * fmaxf(logf(xf), -100.0f);
			d = g * (xf - yf) / fmaxf((1.0f - xf) * xf, 1e-12f);
			if (o->weight != NULL) {
				l *= fget(o->weight, i, j);
				d *= fget(o->weight, i, j);
			}
			sum += l;
			MAT_AT(&r->elem, i, j) = l;
			MAT_AT(&r->grad, i, j) = d;
		}
	reduce(r, sum, (float)n, mean);
}

/*
 * BCEWithLogitsLoss, the max_val form in float: m = max(-x, 0),
 * l = (1 - y) x + lw (logf(1 + expf(-|x|)) + m), lw = (pw - 1) y + 1;
 * dx = ((pw y + 1 - y) s - pw y) g w,  s = 1 / (1 + expf(-x)).
 */
static void
f32_bce_logits(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	size_t	i, j, n = mat_numel(x);
	int	mean = o->reduction == LOSS_REDUCTION_MEAN;
	float	g = mean ? 1.0f / (float)n : 1.0f, xf, yf, m, l, d, s, pw, tt;
	float	sum = 0.0f;

	for (i = 0; i < nrows(x); i++)
		for (j = 0; j < x->cols; j++) {
			xf = (float)MAT_AT(x, i, j);
			yf = (float)MAT_AT(t, i, j);
			m = fmaxf(-xf, 0.0f);
			s = 1.0f / (1.0f + expf(-xf));
			if (o->pos_weight == NULL) {
				l = ((1.0f - yf) * xf + m) +
				    logf(expf(-m) + expf(-xf - m));
				d = (s - yf) * g;
			} else {
				pw = fget(o->pos_weight, i, j);
				l = (1.0f - yf) * xf + ((pw - 1.0f) * yf + 1.0f) *
				    (logf(expf(-m) + expf(-xf - m)) + m);
				tt = pw * yf;
				d = ((tt + 1.0f - yf) * s - tt) * g;
			}
			if (o->weight != NULL) {
				l *= fget(o->weight, i, j);
				d *= fget(o->weight, i, j);
			}
			sum += l;
			MAT_AT(&r->elem, i, j) = l;
			MAT_AT(&r->grad, i, j) = d;
		}
	reduce(r, sum, (float)n, mean);
}

/* log_softmax of one row in float: x - m - logf(sum expf(x - m)). */
static void
log_softmax_f(const double *x, float *out, size_t C)
{
	float	m = -INFINITY, s = 0.0f, ls;
	size_t	c;

	for (c = 0; c < C; c++) {
		float v = (float)x[c];

		if (isnan(v)) {
			m = NAN;
			break;
		}
		if (v > m)
			m = v;
	}
	for (c = 0; c < C; c++)
		s += expf((float)x[c] - m);
	ls = logf(s);
	for (c = 0; c < C; c++)
		out[c] = (float)x[c] - m - ls;
}

/*
 * ce and nll with class indices (loss_index's formulas, in float):
 * l_n = (1 - eps) (-w_y logp_y) + (eps / C) (-sum_c w_c logp_c), D the sum
 * of w_y over rows not ignored; the gradient dL/dlogp, then (ce) the
 * log_softmax backward gl - expf(logp) sum(gl).
 */
static void
f32_index(enum loss_id id, const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	size_t	 N = nrows(x), C = x->cols, n, c;
	float	 eps = id == LOSS_CE && o->label_smoothing > 0.0 ?
		    (float)o->label_smoothing : 0.0f;
	float	 D = 0.0f, snll = 0.0f, ssm = 0.0f, nll, sm, wy, gnll, gsm, s;
	float	 lp[4096], gl[4096], sumel = 0.0f;
	long	 y;
	int	 mean = o->reduction == LOSS_REDUCTION_MEAN, ignored;

	if (C > 4096)
		return;		/* stays rounded float64 (the caller knows) */
	for (n = 0; n < N; n++) {
		y = (long)t->v[n];
		if (y == o->ignore_index) {
			MAT_AT(&r->elem, 0, n) = 0.0;
			continue;
		}
		if (id == LOSS_CE)
			log_softmax_f(&MAT_AT(x, n, 0), lp, C);
		else
			for (c = 0; c < C; c++)
				lp[c] = (float)MAT_AT(x, n, c);
		wy = o->weight != NULL ? (float)o->weight->v[y] : 1.0f;
		D += wy;
		nll = -wy * lp[y];
		snll += nll;
		sm = 0.0f;
		if (eps > 0.0f) {
			for (c = 0; c < C; c++)
				sm += o->weight != NULL ?
				    lp[c] * (float)o->weight->v[c] : lp[c];
			sm = -sm;
			ssm += sm;
			nll = (1.0f - eps) * nll + sm * (eps / (float)C);
		}
		sumel += nll;
		MAT_AT(&r->elem, 0, n) = nll;
	}
	if (mean) {
		r->value = eps > 0.0f ? (double)((1.0f - eps) * (snll / D) +
		    (ssm / D) * (eps / (float)C)) : (double)(snll / D);
		gnll = -((eps > 0.0f ? 1.0f - eps : 1.0f) / D);
		gsm = (eps / (float)C) / D;
	} else {
		r->value = o->reduction == LOSS_REDUCTION_NONE ? (double)sumel :
		    eps > 0.0f ? (double)((1.0f - eps) * snll +
		    ssm * (eps / (float)C)) : (double)snll;
		gnll = -(eps > 0.0f ? 1.0f - eps : 1.0f);
		gsm = eps / (float)C;
	}
	for (n = 0; n < N && C != 0; n++) {
		y = (long)t->v[n];
		ignored = y == o->ignore_index;
		for (c = 0; c < C; c++) {
			gl[c] = 0.0f;
			if (!ignored && eps > 0.0f)
				gl[c] = -(gsm * (o->weight != NULL ?
				    (float)o->weight->v[c] : 1.0f));
		}
		if (!ignored)
			gl[y] += (o->weight != NULL ? (float)o->weight->v[y] :
			    1.0f) * gnll;
		if (id == LOSS_NLL) {
			for (c = 0; c < C; c++)
				MAT_AT(&r->grad, n, c) = gl[c];
			continue;
		}
		log_softmax_f(&MAT_AT(x, n, 0), lp, C);
		s = 0.0f;
		for (c = 0; c < C; c++)
			s += gl[c];
		for (c = 0; c < C; c++)
			MAT_AT(&r->grad, n, c) = gl[c] - expf(lp[c]) * s;
	}
}

/* ce with class probabilities (loss_ce_prob's formulas, in float). */
static void
f32_ce_prob(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	size_t	 N = nrows(x), C = x->cols, n, c;
	float	 eps = (float)o->label_smoothing, lp[4096], gl[4096];
	float	 yc, wc, s, sum = 0.0f, gs, denom;
	int	 mean = o->reduction == LOSS_REDUCTION_MEAN;

	if (C > 4096 || C == 0)
		return;
	denom = (float)N;
	gs = mean ? 1.0f / denom : 1.0f;
	for (n = 0; n < N; n++) {
		log_softmax_f(&MAT_AT(x, n, 0), lp, C);
		s = 0.0f;
		for (c = 0; c < C; c++) {
			yc = (float)MAT_AT(t, n, c);
			if (eps > 0.0f)
				yc = yc * (1.0f - eps) + eps / (float)C;
			wc = o->weight != NULL ? (float)o->weight->v[c] : 1.0f;
			s += lp[c] * yc * wc;
			gl[c] = -(gs * wc) * yc;
		}
		MAT_AT(&r->elem, 0, n) = -s;
		sum += -s;
		s = 0.0f;
		for (c = 0; c < C; c++)
			s += gl[c];
		for (c = 0; c < C; c++)
			MAT_AT(&r->grad, n, c) = gl[c] - expf(lp[c]) * s;
	}
	r->value = mean ? (double)(sum / denom) : (double)sum;
}

/* Every number of r rounded to float. */
static void
round_all(struct loss_result *r)
{
	size_t	i;

	for (i = 0; i < mat_numel(&r->elem); i++)
		r->elem.v[i] = (float)r->elem.v[i];
	for (i = 0; i < mat_numel(&r->grad); i++)
		r->grad.v[i] = (float)r->grad.v[i];
	r->value = (float)r->value;
}

void
loss_f32_refine(enum loss_id id, const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	r->f32 = LOSS_F32_KERNEL;
	switch (id) {
	case LOSS_BCE:
		f32_bce(x, t, o, r);
		return;
	case LOSS_BCE_LOGITS:
		f32_bce_logits(x, t, o, r);
		return;
	case LOSS_CE:
	case LOSS_NLL:
		if (x->cols <= 4096) {
			if (r->index_target)
				f32_index(id, x, t, o, r);
			else
				f32_ce_prob(x, t, o, r);
			return;
		}
		break;
	default:
		break;
	}
	r->f32 = LOSS_F32_ROUNDED;
	round_all(r);
}
