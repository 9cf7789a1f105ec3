/*
 * loss_f32.c -- the float32 numbers of a loss, as torch's float kernels
 * compute them, for learners whose tensors are float32 (torch's default).
 *
 * loss.c settles shapes, options and errors and allocates the result as
 * for float64; for bce, bce-logits, ce (class indices and probabilities)
 * and nll it then hands the computation here (loss_f32_compute) and does
 * none of its own, so a float32 input is computed once, in float.  Every
 * operation is done in float, in the order of the float64 path (which
 * follows torch's kernels), but for the sums (of a row's exps, of the
 * gradient, of the elements): those are accumulated in double and rounded
 * to float where used, since torch's float sums are vectorised and
 * cascaded, much closer to exact than a running float sum (which drifted
 * up to 6e-6 from torch with label smoothing; tests/cmp_f32.py measures
 * it).  exp and log of whole blocks go through vmathf (within 1 ulp of
 * the correctly rounded float, as glibc's expf and logf).  The result says
 * r->f32 = LOSS_F32_KERNEL.  For the other losses loss.c computes in
 * float64 and loss_f32_round() rounds every number to float
 * (r->f32 = LOSS_F32_ROUNDED): within an ulp or two of torch's float32
 * except where its float arithmetic cancels, which the callers say on
 * screen.  Inputs, targets and weights are first rounded to float, as
 * .float() would (exactly, for values read from a float32 array).
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#ifdef HAVE_PTHREAD
#include <pthread.h>
#endif

#include "core/loss.h"
#include "core/loss_f32.h"
#include "core/vmathf.h"

/* Elements per block of the element-wise losses (float buffers on the
   stack, one vmathf call per block). */
#define F32_BLOCK	256

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

/* mat_numel's count, here so that this file (built in libvec.a with the
   vectoriser's flags) needs nothing of libcore.a. */
static size_t
numel(const struct mat *x)
{
	return x->rows * x->cols;
}

/* The reduced value and its denominator from the float sum of the
   elements (mean: sum / n, as float). */
static void
reduce(struct loss_result *r, float sum, float denom, int mean)
{
	r->value = mean ? (double)(sum / denom) : (double)sum;
	r->denom = mean ? (double)denom : 1.0;
}

/*
 * BCELoss: l = ((y - 1) max(logf(1 - x), -100) - y max(logf(x), -100)) w,
 * dx = g (x - y) / max((1 - x) x, 1e-12f) w.  Row by row (the weight
 * broadcasts over rows and columns), in blocks of a row.
 */
static void
f32_bce(const struct mat *x, const struct mat *t, const struct loss_opts *o,
    struct loss_result *r)
{
	size_t	i, j, k, b, n = numel(x);
	int	mean = o->reduction == LOSS_REDUCTION_MEAN;
	float	g = mean ? 1.0f / (float)n : 1.0f, xf, yf, l, d;
	float	lx[F32_BLOCK], l1x[F32_BLOCK];
	double	sum = 0.0;

	for (i = 0; i < nrows(x); i++)
		for (j = 0; j < x->cols; j += b) {
			b = x->cols - j < F32_BLOCK ? x->cols - j : F32_BLOCK;
			for (k = 0; k < b; k++) {
				xf = (float)MAT_AT(x, i, j + k);
				lx[k] = xf;
				l1x[k] = 1.0f - xf;
			}
			vmathf_log(lx, lx, b);
			vmathf_log(l1x, l1x, b);
			for (k = 0; k < b; k++) {
				xf = (float)MAT_AT(x, i, j + k);
				yf = (float)MAT_AT(t, i, j + k);
				l = (yf - 1.0f) * fmaxf(l1x[k], -100.0f) -
				    yf * fmaxf(lx[k], -100.0f);
				d = g * (xf - yf) /
				    fmaxf((1.0f - xf) * xf, 1e-12f);
				if (o->weight != NULL) {
					l *= fget(o->weight, i, j + k);
					d *= fget(o->weight, i, j + k);
				}
				sum += l;
				MAT_AT(&r->elem, i, j + k) = l;
				MAT_AT(&r->grad, i, j + k) = d;
			}
		}
	reduce(r, (float)sum, (float)n, mean);
}

/*
 * BCEWithLogitsLoss, the max_val form in float: m = max(-x, 0),
 * l = ((1 - y) x + m) + logf(expf(-m) + expf(-x - m)) (pos_weight: l =
 * (1 - y) x + lw (logf(...) + m), lw = (pw - 1) y + 1), times w;
 * dx = (s - y) g w (pos_weight: ((pw y + 1 - y) s - pw y) g w),
 * s = 1 / (1 + expf(-x)).  One of expf(-m), expf(-x - m) is expf(0) = 1
 * and the other expf(-|x|), so the sum is 1 + expf(-|x|), the same float
 * (for x = -inf torch's NaN comes from (1 - y) x + m instead).
 */
static void
f32_bce_logits(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	size_t	i, j, k, b, n = numel(x);
	int	mean = o->reduction == LOSS_REDUCTION_MEAN;
	float	g = mean ? 1.0f / (float)n : 1.0f, xf, yf, m, l, d, s, pw, tt;
	float	lz[F32_BLOCK], ex[F32_BLOCK];
	double	sum = 0.0;

	for (i = 0; i < nrows(x); i++)
		for (j = 0; j < x->cols; j += b) {
			b = x->cols - j < F32_BLOCK ? x->cols - j : F32_BLOCK;
			for (k = 0; k < b; k++) {
				xf = (float)MAT_AT(x, i, j + k);
				lz[k] = -fabsf(xf);
				ex[k] = -xf;
			}
			vmathf_exp(lz, lz, b);
			for (k = 0; k < b; k++)
				lz[k] = 1.0f + lz[k];
			vmathf_log(lz, lz, b);
			vmathf_exp(ex, ex, b);
			for (k = 0; k < b; k++) {
				xf = (float)MAT_AT(x, i, j + k);
				yf = (float)MAT_AT(t, i, j + k);
				m = fmaxf(-xf, 0.0f);
				s = 1.0f / (1.0f + ex[k]);
				if (o->pos_weight == NULL) {
					l = ((1.0f - yf) * xf + m) + lz[k];
					d = (s - yf) * g;
				} else {
					pw = fget(o->pos_weight, i, j + k);
					l = (1.0f - yf) * xf + ((pw - 1.0f) *
					    yf + 1.0f) * (lz[k] + m);
					tt = pw * yf;
					d = ((tt + 1.0f - yf) * s - tt) * g;
				}
				if (o->weight != NULL) {
					l *= fget(o->weight, i, j + k);
					d *= fget(o->weight, i, j + k);
				}
				sum += l;
				MAT_AT(&r->elem, i, j + k) = l;
				MAT_AT(&r->grad, i, j + k) = d;
			}
		}
	reduce(r, (float)sum, (float)n, mean);
}

/* Scratch rows of C floats for the class losses (not zeroed). */
struct rows {
	float	*lp, *q, *gl, *g;
};

static int
rows_alloc(struct rows *w, size_t C)
{
	w->lp = malloc(4 * (C ? C : 1) * sizeof *w->lp);
	w->q = w->lp + C;
	w->gl = w->q + C;
	w->g = w->gl + C;
	return w->lp != NULL ? 0 : -1;
}

/* Row n of x (C values) as floats into dst: x's own floats where it has
   float32 storage (core/mat.h), else its doubles rounded (exact for
   values read from a float32 array). */
static void
load_row(const struct mat *x, size_t n, float *dst, size_t C)
{
	size_t	c;

	if (x->f32 != NULL) {
		for (c = 0; c < C; c++)
			dst[c] = x->f32[n * C + c];
		return;
	}
	for (c = 0; c < C; c++)
		dst[c] = (float)x->v[n * C + c];
}

/* The gradient's row n from the floats g: into the gradient's float32
   storage where it has it (the input had), else as doubles. */
static void
store_row(struct loss_result *r, size_t n, const float *g, size_t C)
{
	size_t	c;

	if (r->grad.f32 != NULL) {
		for (c = 0; c < C; c++)
			r->grad.f32[n * C + c] = g[c];
		return;
	}
	for (c = 0; c < C; c++)
		r->grad.v[n * C + c] = g[c];
}

/* The sum of a[0..n) in double, in four interleaved lanes (l0 + l1) +
   (l2 + l3): far closer to exact than torch's float sums, so within
   their error of them, and not waiting on each addition. */
static double
sum_d(const float *a, size_t n)
{
	double	l0 = 0.0, l1 = 0.0, l2 = 0.0, l3 = 0.0;
	size_t	i;

	for (i = 0; i + 4 <= n; i += 4) {
		l0 += a[i];
		l1 += a[i + 1];
		l2 += a[i + 2];
		l3 += a[i + 3];
	}
	for (; i < n; i++)
		l0 += a[i];
	return (l0 + l1) + (l2 + l3);
}

/*
 * The softmax parts of a row x in float (read in place): its max *m (in
 * eight lanes of selects, which vectorise; a nan is not taken as the max
 * but makes its exp, the sum, logf of the sum and so every log-probability
 * nan, as torch's, whose max is the nan), q = expf(x - m), whose float
 * sum is returned (for the backward, which reuses q and the sum rather
 * than taking expf(logp) again), and *ls = logf of that sum.  logp_c is
 * then x_c - m - ls.
 */
static float
softmax_row(const float *x, float *q, size_t C, float *m_out, float *ls_out)
{
	float	mm[8], m, sf, v;
	size_t	c, k;

	for (k = 0; k < 8; k++)
		mm[k] = -INFINITY;
	for (c = 0; c + 8 <= C; c += 8)
		for (k = 0; k < 8; k++) {
			v = x[c + k];
			mm[k] = v > mm[k] ? v : mm[k];
		}
	for (; c < C; c++)
		mm[0] = x[c] > mm[0] ? x[c] : mm[0];
	m = mm[0];
	for (k = 1; k < 8; k++)
		m = mm[k] > m ? mm[k] : m;
	for (c = 0; c < C; c++)
		q[c] = x[c] - m;
	vmathf_exp(q, q, C);
	sf = (float)sum_d(q, C);
	vmathf_log(&sf, ls_out, 1);
	*m_out = m;
	return sf;
}

/* log_softmax of one row in float, in place in lp (which holds x,
   load_row), through softmax_row: q, and the float sum of q returned. */
static float
log_softmax_f(float *lp, float *q, size_t C)
{
	float	m, ls, sf;
	size_t	c;

	sf = softmax_row(lp, q, C, &m, &ls);
	for (c = 0; c < C; c++)
		lp[c] = lp[c] - m - ls;
	return sf;
}

/*
 * The backward of a row whose dL/dlogp is s at class y and 0 elsewhere
 * (no label smoothing; an ignored row has s = 0 and no y: y = C): nll's
 * gradient is that; ce's is 0 - p_c s and s - expf(lp_y) s with p_c =
 * q_c (1 / sf) from log_softmax_f's exps (q_c = expf(x_c - m), sf their
 * sum): one expf per logit, as the float64 path.  p_c differs from
 * torch's expf(lp_c) by a rounding or two (a few 1e-8 relative, far
 * inside the 2e-6 of float32 agreement); only the target class, where
 * the gradient is a difference that cancels as p_y -> 1, takes torch's
 * expf(lp_y).  A nan in the row makes q, sf and so every p nan, as
 * torch's expf(lp) are.
 */
static void
backward_sparse(enum loss_id id, const float *lp, const float *q, float sf,
    size_t y, float s, float *out, size_t C)
{
	float	inv, ey;
	size_t	c;

	if (id == LOSS_NLL) {
		for (c = 0; c < C; c++)
			out[c] = 0.0f;
		if (y < C)
			out[y] = s;
		return;
	}
	inv = 1.0f / sf;
	for (c = 0; c < C; c++)
		out[c] = 0.0f - (q[c] * inv) * s;
	if (y < C) {
		vmathf_exp(&lp[y], &ey, 1);
		out[y] = s - ey * s;
	}
}

/* The log_softmax backward of one row into out: gl_c - expf(lp_c) s,
   s = sum gl (ce); nll's gradient is gl itself. */
static void
backward_row(enum loss_id id, const float *lp, float *q, const float *gl,
    float *out, size_t C)
{
	float	sf;
	size_t	c;

	if (id == LOSS_NLL) {
		for (c = 0; c < C; c++)
			out[c] = gl[c];
		return;
	}
	sf = (float)sum_d(gl, C);
	vmathf_exp(lp, q, C);
	for (c = 0; c < C; c++)
		out[c] = gl[c] - q[c] * sf;
}

/* What the rows of f32_index share; each row writes its own entries of
   r->elem, r->grad and (with label smoothing) nll and nsm. */
struct index_job {
	enum loss_id		 id;
	const struct mat	*x, *t;
	const struct loss_opts	*o;
	struct loss_result	*r;
	float			 eps, gnll, gsm;
	float			*nll, *nsm;	/* eps > 0: a row's -w_y logp_y
						   and -sum_c w_c logp_c */
};

/*
 * Rows [n0, n1) of j without label smoothing (eps = 0, C > 0), with w's
 * scratch rows (freed here): what index_rows' general loop computes, the
 * same floats, in fewer passes over a row: its values are read where
 * they are (float32 storage) rather than copied, only the target's
 * log-probability is formed, and the gradient is written into the
 * result's float32 storage directly.  Returns 1.
 */
static int
sparse_rows(const struct index_job *j, size_t n0, size_t n1, struct rows *w)
{
	const struct loss_opts	*o = j->o;
	struct loss_result	*r = j->r;
	size_t			 C = j->x->cols, n;
	float			 sf = 1.0f, m, ls, lpy, wy, nll;
	const float		*xr;
	float			*g;
	long			 y;
	int			 ignored;

	for (n = n0; n < n1; n++) {
		y = (long)j->t->v[n];
		ignored = y == o->ignore_index;
		if (j->x->f32 != NULL)
			xr = j->x->f32 + n * C;
		else {
			load_row(j->x, n, w->lp, C);
			xr = w->lp;
		}
		g = r->grad.f32 != NULL ? r->grad.f32 + n * C : w->g;
		m = ls = 0.0f;
		if (j->id == LOSS_CE)
			sf = softmax_row(xr, w->q, C, &m, &ls);
		/* lp_y as log_softmax_f forms it (nll: x_y itself) */
		lpy = ignored ? 0.0f : j->id == LOSS_CE ? xr[y] - m - ls :
		    xr[y];
		wy = !ignored && o->weight != NULL ?
		    (float)o->weight->v[y] : 1.0f;
		if (ignored)
			MAT_AT(&r->elem, 0, n) = 0.0;
		else {
			nll = -wy * lpy;
			MAT_AT(&r->elem, 0, n) = nll;
			w->lp[y] = lpy;
		}
		backward_sparse(j->id, w->lp, w->q, sf, ignored ? C :
		    (size_t)y, ignored ? 0.0f : 0.0f + wy * j->gnll, g, C);
		if (r->grad.f32 == NULL)
			store_row(r, n, g, C);
	}
	free(w->lp);
	return 1;
}

/* Rows [n0, n1) of j: 1, or 0 when out of memory.  Without label
   smoothing (and with classes), sparse_rows'. */
static int
index_rows(const struct index_job *j, size_t n0, size_t n1)
{
	const struct loss_opts	*o = j->o;
	struct loss_result	*r = j->r;
	size_t			 C = j->x->cols, n, c;
	float			 eps = j->eps, nll, wy;
	double			 sm;
	long			 y;
	int			 ignored;
	struct rows		 w;

	if (rows_alloc(&w, C) != 0)
		return 0;
	if (eps == 0.0f && C != 0)
		return sparse_rows(j, n0, n1, &w);
	for (n = n0; n < n1; n++) {
		y = (long)j->t->v[n];
		ignored = y == o->ignore_index;
		load_row(j->x, n, w.lp, C);
		if (j->id == LOSS_CE)
			(void)log_softmax_f(w.lp, w.q, C);
		if (ignored)
			MAT_AT(&r->elem, 0, n) = 0.0;
		else {
			wy = o->weight != NULL ? (float)o->weight->v[y] : 1.0f;
			nll = -wy * w.lp[y];
			if (eps > 0.0f) {
				sm = 0.0;
				for (c = 0; c < C; c++)
					sm += o->weight != NULL ? w.lp[c] *
					    (float)o->weight->v[c] : w.lp[c];
				j->nll[n] = nll;
				j->nsm[n] = -(float)sm;
				nll = (1.0f - eps) * nll + -(float)sm *
				    (eps / (float)C);
			}
			MAT_AT(&r->elem, 0, n) = nll;
		}
		if (C == 0)
			continue;
		for (c = 0; c < C; c++)
			w.gl[c] = !ignored && eps > 0.0f ? -(j->gsm *
			    (o->weight != NULL ? (float)o->weight->v[c] :
			    1.0f)) : 0.0f;
		if (!ignored)
			w.gl[y] += (o->weight != NULL ?
			    (float)o->weight->v[y] : 1.0f) * j->gnll;
		backward_row(j->id, w.lp, w.q, w.gl, w.g, C);
		store_row(r, n, w.g, C);
	}
	free(w.lp);
	return 1;
}

/* The rows are computed, shared out to threads and reported
   (o->values_done) a chunk of whole rows, of this many values or more
   (one row of more), at a time. */
#define F32_CHUNK	LOSS_DONE_MIN

/* Chunks k, k + step, k + 2 step, ... of the n chunks of ch rows of j's N
   rows, each reported when done: 1, or 0 when out of memory. */
static int
index_chunks(const struct index_job *j, size_t N, size_t ch, size_t n,
    size_t k, size_t step)
{
	size_t	n0, n1;

	for (; k < n; k += step) {
		n0 = k * ch;
		n1 = N - n0 < ch ? N : n0 + ch;
		if (!index_rows(j, n0, n1))
			return 0;
		if (j->o->values_done != NULL)
			j->o->values_done(j->o->done_ctx, j->r, n0 * j->x->cols,
			    n1 * j->x->cols);
	}
	return 1;
}

#ifdef HAVE_PTHREAD
/* One thread's share of a job: every T-th chunk from its first. */
struct index_part {
	const struct index_job	*job;
	size_t			 N, ch, n, k, step;
	int			 ok, started;
	pthread_t		 th;
};

static void *
index_part_main(void *arg)
{
	struct index_part	*p = arg;

	p->ok = index_chunks(p->job, p->N, p->ch, p->n, p->k, p->step);
	return NULL;
}
#endif

/*
 * The rows of j, a chunk (F32_CHUNK values) at a time, on up to o->threads
 * threads (F32_PAR_MAX at most, each with F32_PAR_MIN values or more; the
 * caller's thread takes a share too), which take the chunks in turn, so
 * that the rows done grow from the first row (for o->values_done).  Each
 * row's numbers depend on that row alone, so they are the same bits
 * however the rows are shared out; where a thread cannot be started its
 * share runs here.  1, or 0 when out of memory.
 */
#define F32_PAR_MAX	8
#define F32_PAR_MIN	((size_t)1 << 17)

static int
index_all(const struct index_job *j, size_t N)
{
	size_t	C = j->x->cols, ch = C < F32_CHUNK ? (F32_CHUNK + (C ? C : 1) -
		    1) / (C ? C : 1) : 1, n = (N + ch - 1) / ch;
#ifdef HAVE_PTHREAD
	struct index_part	 part[F32_PAR_MAX];
	size_t			 k, T = j->o->threads > 1 ? (size_t)j->o->threads :
				    1, per = N * C / F32_PAR_MIN;
	int			 ok;

	if (T > F32_PAR_MAX)
		T = F32_PAR_MAX;
	if (T > per)
		T = per;
	if (T > n)
		T = n;
	if (T < 2)
		return index_chunks(j, N, ch, n, 0, 1);
	for (k = 0; k < T; k++) {
		part[k].job = j;
		part[k].N = N;
		part[k].ch = ch;
		part[k].n = n;
		part[k].k = k;
		part[k].step = T;
		part[k].ok = 0;
		part[k].started = k > 0 && pthread_create(&part[k].th, NULL,
		    index_part_main, &part[k]) == 0;
	}
	ok = index_chunks(j, N, ch, n, 0, T);
	for (k = 1; k < T; k++) {
		if (part[k].started)
			(void)pthread_join(part[k].th, NULL);
		else
			part[k].ok = index_chunks(j, N, ch, n, k, T);
		ok = ok && part[k].ok;
	}
	return ok;
#else
	return index_chunks(j, N, ch, n, 0, 1);
#endif
}

/*
 * ce and nll with class indices (loss_index's formulas, in float):
 * l_n = (1 - eps) (-w_y logp_y) + (eps / C) (-sum_c w_c logp_c), D the sum
 * of w_y over rows not ignored (from the targets alone, first, so that
 * each row's gradient follows its loss: one log_softmax a row); the
 * gradient dL/dlogp, then (ce) the log_softmax backward gl - expf(logp)
 * sum(gl).  An ignored row's gradient is 0 - expf(logp) 0: 0, or nan where
 * the row has a nan, as in torch.  The rows are computed first (on
 * several threads, index_all), then their sums taken in row order, so the
 * value's bits do not depend on the threads.  0 when out of memory.
 */
static int
f32_index(enum loss_id id, const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	size_t	 N = nrows(x), C = x->cols, n;
	float	 eps = id == LOSS_CE && o->label_smoothing > 0.0 ?
		    (float)o->label_smoothing : 0.0f;
	float	 D, snll, ssm;
	double	 Dd = 0.0, snlld = 0.0, ssmd = 0.0, sumel = 0.0;
	long	 y;
	int	 mean = o->reduction == LOSS_REDUCTION_MEAN, ok;
	struct index_job j;

	for (n = 0; n < N; n++) {
		y = (long)t->v[n];
		if (y != o->ignore_index)
			Dd += o->weight != NULL ? (float)o->weight->v[y] : 1.0f;
	}
	D = (float)Dd;
	j.id = id;
	j.x = x;
	j.t = t;
	j.o = o;
	j.r = r;
	j.eps = eps;
	if (mean) {
		j.gnll = -((eps > 0.0f ? 1.0f - eps : 1.0f) / D);
		j.gsm = (eps / (float)C) / D;
	} else {
		j.gnll = -(eps > 0.0f ? 1.0f - eps : 1.0f);
		j.gsm = eps / (float)C;
	}
	j.nll = j.nsm = NULL;
	if (eps > 0.0f) {
		if ((j.nll = malloc(2 * (N ? N : 1) * sizeof *j.nll)) == NULL)
			return 0;
		j.nsm = j.nll + N;
	}
	ok = index_all(&j, N);
	/* the sums, in row order: l_n is the float in elem */
	for (n = 0; ok && n < N; n++) {
		if ((long)t->v[n] == o->ignore_index)
			continue;
		snlld += eps > 0.0f ? j.nll[n] : MAT_AT(&r->elem, 0, n);
		if (eps > 0.0f)
			ssmd += j.nsm[n];
		sumel += MAT_AT(&r->elem, 0, n);
	}
	free(j.nll);
	if (!ok)
		return 0;
	snll = (float)snlld;
	ssm = (float)ssmd;
	if (mean) {
		r->value = eps > 0.0f ? (double)((1.0f - eps) * (snll / D) +
		    (ssm / D) * (eps / (float)C)) : (double)(snll / D);
		r->denom = (double)D;
	} else {
		r->value = o->reduction == LOSS_REDUCTION_NONE ?
		    (double)(float)sumel :
		    eps > 0.0f ? (double)((1.0f - eps) * snll +
		    ssm * (eps / (float)C)) : (double)snll;
		r->denom = 1.0;
	}
	return 1;
}

/* ce with class probabilities (loss_ce_prob's formulas, in float); 0
   when out of memory or C = 0. */
static int
f32_ce_prob(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	size_t	 N = nrows(x), C = x->cols, n, c;
	float	 eps = (float)o->label_smoothing, yc, wc, gs, denom;
	double	 s, sum = 0.0;
	int	 mean = o->reduction == LOSS_REDUCTION_MEAN;
	struct rows w;

	if (C == 0 || rows_alloc(&w, C) != 0)
		return 0;
	denom = (float)N;
	gs = mean ? 1.0f / denom : 1.0f;
	for (n = 0; n < N; n++) {
		load_row(x, n, w.lp, C);
		log_softmax_f(w.lp, w.q, C);
		s = 0.0f;
		for (c = 0; c < C; c++) {
			yc = (float)MAT_AT(t, n, c);
			if (eps > 0.0f)
				yc = yc * (1.0f - eps) + eps / (float)C;
			wc = o->weight != NULL ? (float)o->weight->v[c] : 1.0f;
			s += w.lp[c] * yc * wc;	/* float product, double sum */
			w.gl[c] = -(gs * wc) * yc;
		}
		MAT_AT(&r->elem, 0, n) = -(float)s;
		sum += -(float)s;
		backward_row(LOSS_CE, w.lp, w.q, w.gl, w.g, C);
		store_row(r, n, w.g, C);
	}
	r->value = mean ? (double)((float)sum / denom) : (double)(float)sum;
	r->denom = mean ? (double)denom : 1.0;
	free(w.lp);
	return 1;
}

int
loss_f32_compute(enum loss_id id, const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	int	done = 0;

	switch (id) {
	case LOSS_BCE:
		f32_bce(x, t, o, r);
		done = 1;
		break;
	case LOSS_BCE_LOGITS:
		f32_bce_logits(x, t, o, r);
		done = 1;
		break;
	case LOSS_CE:
	case LOSS_NLL:
		done = r->index_target ? f32_index(id, x, t, o, r) :
		    f32_ce_prob(x, t, o, r);
		break;
	default:
		break;
	}
	if (done)
		r->f32 = LOSS_F32_KERNEL;
	return done;
}

void
loss_f32_round(struct loss_result *r)
{
	size_t	i;

	if (r->f32 != LOSS_F32_NONE)
		return;
	for (i = 0; i < numel(&r->elem); i++)
		r->elem.v[i] = (float)r->elem.v[i];
	for (i = 0; i < numel(&r->grad); i++)
		r->grad.v[i] = (float)r->grad.v[i];
	r->value = (float)r->value;
	r->f32 = LOSS_F32_ROUNDED;
}
