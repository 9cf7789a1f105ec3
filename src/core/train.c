/*
 * train.c -- gradient descent on a small model, with the loss and its
 * gradient with respect to the logits from the loss core (see train.h for
 * the models, the update and the history).
 *
 * Nothing here computes a loss: every value and every dL/dz comes from
 * loss_eval() or pitfall_eval(), and this file only carries dL/dz back
 * through the model with torch's backward formulas
 *   linear layer y = a W^T + b:  dW = dy^T a,  db = sum over rows of dy,
 *                                da = dy W
 *   tanh:                        dz = dh (1 - h h)        (h = tanh(z))
 *   relu:                        dz = h <= 0 ? 0 : dh     (h = relu(z))
 * and applies torch.optim.SGD's update.  tanh comes from vmath_tanh() (a
 * vectorised loop over the whole hidden layer, within 1 ulp of the
 * correctly rounded value).  Sums run in index order; torch's
 * BLAS and its vectorised tanh may round differently in the last bit, so
 * the history agrees with torch's to rounding (below 1e-12 relative in
 * every golden case of tests/train_golden.txt), not bit for bit.
 *
 * The whole data set is evaluated once per epoch for the history; with the
 * full batch that evaluation is also the forward pass of the next update
 * (its hidden values stay in t->h, its gradient in t->r), so an epoch
 * costs one forward and one backward pass.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/train.h"
#include "core/vmath.h"

/* Marks a message the interface translates (po/POTFILES.in lists this
   file, cmd_train.c looks it up); the core itself translates nothing. */
#define N_(s)	(s)

static const char *model_names[] = { "linear", "mlp" };
static const char *activation_names[] = { "tanh", "relu" };
static const char *state_names[] = { "running", "done", "diverged", "refused" };

void
train_spec_init(struct train_spec *s)
{
	memset(s, 0, sizeof *s);
	s->model = TRAIN_LINEAR;
	s->hidden = 16;
	s->activation = TRAIN_TANH;
	s->loss = LOSS_CE;
	loss_opts_init(&s->opts);
	s->pitfall = PITFALL_NONE;
	s->lr = 0.1;
	s->momentum = 0.0;
	s->weight_decay = 0.0;
	s->epochs = 100;
	s->batch = 0;
	s->seed = 1;
}

const char *
train_model_name(enum train_model m)
{
	if ((int)m < 0 || m > TRAIN_MLP)
		return "?";
	return model_names[m];
}

int
train_model_parse(const char *name, enum train_model *m)
{
	int	i;

	for (i = 0; i <= TRAIN_MLP; i++) {
		if (strcmp(name, model_names[i]) == 0) {
			*m = (enum train_model)i;
			return 0;
		}
	}
	return -1;
}

const char *
train_activation_name(enum train_activation a)
{
	if ((int)a < 0 || a > TRAIN_RELU)
		return "?";
	return activation_names[a];
}

int
train_activation_parse(const char *name, enum train_activation *a)
{
	int	i;

	for (i = 0; i <= TRAIN_RELU; i++) {
		if (strcmp(name, activation_names[i]) == 0) {
			*a = (enum train_activation)i;
			return 0;
		}
	}
	return -1;
}

const char *
train_state_name(enum train_state s)
{
	if ((int)s < 0 || s > TRAIN_REFUSED)
		return "?";
	return state_names[s];
}

int
train_loss_ok(enum loss_id id)
{
	return id == LOSS_CE || id == LOSS_MULTI_MARGIN ||
	    id == LOSS_BCE_LOGITS || id == LOSS_FOCAL ||
	    id == LOSS_MULTILABEL_SOFT_MARGIN;
}

/* --- parameters ----------------------------------------------------------- */

static void
params_free(struct train_params *p)
{
	int	l;

	for (l = 0; l < 2; l++) {
		mat_free(&p->W[l]);
		mat_free(&p->b[l]);
	}
	p->nlayers = 0;
}

/* Zero-filled parameters of the model's shapes. */
static int
params_alloc(struct train_params *p, int nlayers, size_t in, size_t hidden,
    size_t out, struct err *e)
{
	size_t	 rows[2], cols[2];
	int	 l;

	rows[0] = nlayers == 2 ? hidden : out;
	cols[0] = in;
	rows[1] = out;
	cols[1] = hidden;
	p->nlayers = nlayers;
	for (l = 0; l < nlayers; l++) {
		if (mat_alloc(&p->W[l], 2, rows[l], cols[l], e) != 0 ||
		    mat_alloc(&p->b[l], 1, 1, rows[l], e) != 0) {
			params_free(p);
			return -1;
		}
	}
	return 0;
}

static void
params_copy(struct train_params *dst, const struct train_params *src)
{
	int	l;

	for (l = 0; l < src->nlayers; l++) {
		memcpy(dst->W[l].v, src->W[l].v,
		    mat_numel(&src->W[l]) * sizeof *src->W[l].v);
		memcpy(dst->b[l].v, src->b[l].v,
		    mat_numel(&src->b[l]) * sizeof *src->b[l].v);
	}
}

/*
 * nn.Linear's default initialisation from our generator: for each layer,
 * W (row-major) then b, every value (2u - 1) * (1 / sqrt(fan_in)).
 */
static void
params_draw(struct train_params *p, uint64_t seed)
{
	struct rng	 r;
	double		 bound;
	size_t		 i;
	int		 l;

	rng_seed(&r, seed, RNG_STREAM_INIT);
	for (l = 0; l < p->nlayers; l++) {
		bound = 1.0 / sqrt((double)p->W[l].cols);
		for (i = 0; i < mat_numel(&p->W[l]); i++)
			p->W[l].v[i] = (2.0 * rng_uniform(&r) - 1.0) * bound;
		for (i = 0; i < mat_numel(&p->b[l]); i++)
			p->b[l].v[i] = (2.0 * rng_uniform(&r) - 1.0) * bound;
	}
}

static int
params_finite(const struct train_params *p)
{
	size_t	i;
	int	l;

	for (l = 0; l < p->nlayers; l++) {
		for (i = 0; i < mat_numel(&p->W[l]); i++)
			if (!isfinite(p->W[l].v[i]))
				return 0;
		for (i = 0; i < mat_numel(&p->b[l]); i++)
			if (!isfinite(p->b[l].v[i]))
				return 0;
	}
	return 1;
}

/* --- the model ------------------------------------------------------------ */

VMATH_LOOPS_BEGIN

/*
 * The products of the model all have one form: C(p, q) = 0 + A(0, p) B(0,
 * q) + A(1, p) B(1, q) + ... + A(R - 1, p) B(R - 1, q), each sum in the
 * order of r, with A(r, p) = A[r ar + p ap], B(r, q) = B[r br + q bq] and
 * C(p, q) = C[p cp + q cq] (the callers below).  Many sums run side by
 * side in registers, so that their additions do not wait for one another,
 * and those of four consecutive q are one vector v4d: with GCC and clang
 * a vector of their vector extension (elementwise IEEE operations, so the
 * same values as scalar ones; one AVX2 register, or two SSE2 ones), else
 * a struct of four doubles.
 *   - Few terms (R <= SHORT_R, B and C with contiguous rows): for each p
 *     and four q at a time, one vector summed over r (the rows of p are
 *     independent, so the processor overlaps them).
 *   - Else a tile of 4 p x 8 q (8 p x 4 q when Q <= 4), eight vectors,
 *     summed over r, B's rows loaded as vectors where they are
 *     contiguous and readable (bq is 1, q + 8 <= Qr; Qr >= Q counts
 *     wt[]'s padding).  At the edges p and q are clamped to P - 1 and
 *     Q - 1: those sums are computed twice and stored once.
 * None of this changes a sum's order: the results are those of one plain
 * loop per sum.
 */
#define TILE_P		4
#define TILE_Q		8
/* wt[] of layer_forward(): W^T when it has at most this many values */
#define WT_MAX		1024
/* sums of at most this many terms take the first way above */
#define SHORT_R		8

#if defined(__GNUC__)
#define TRAIN_INLINE	static inline __attribute__((always_inline))
#else
#define TRAIN_INLINE	static inline
#endif

/* products() in an AVX2 clone and a generic one, as vmathf.c's functions
   (GCC only): the same operations in the same order, no contraction, so
   the same results. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    defined(__has_attribute)
#if __has_attribute(target_clones)
#define TRAIN_CLONES	__attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef TRAIN_CLONES
#define TRAIN_CLONES
#endif

/* v4d: v = 4 doubles from p (V_LOAD), to p (V_STORE), v = (a, b, c, d)
   (V_SET), s = s + c b with c a double (V_MADD), s = s + b (V_ADD),
   elementwise. */
#if defined(__GNUC__)
typedef double	v4d __attribute__((vector_size(4 * sizeof(double))));
#define V_SET(v, a, b, c, d)	((v) = (v4d){ (a), (b), (c), (d) })
#define V_MADD(s, c, b)		((s) = (s) + (v4d){ (c), (c), (c), (c) } * (b))
#define V_ADD(s, b)		((s) = (s) + (b))
#else
typedef struct {
	double	e[4];
} v4d;
#define V_SET(v, a, b, c, d) do {					\
	(v).e[0] = (a);							\
	(v).e[1] = (b);							\
	(v).e[2] = (c);							\
	(v).e[3] = (d);							\
} while (0)
#define V_MADD(s, c, b) do {						\
	(s).e[0] = (s).e[0] + (c) * (b).e[0];				\
	(s).e[1] = (s).e[1] + (c) * (b).e[1];				\
	(s).e[2] = (s).e[2] + (c) * (b).e[2];				\
	(s).e[3] = (s).e[3] + (c) * (b).e[3];				\
} while (0)
#define V_ADD(s, b) do {						\
	(s).e[0] = (s).e[0] + (b).e[0];					\
	(s).e[1] = (s).e[1] + (b).e[1];					\
	(s).e[2] = (s).e[2] + (b).e[2];					\
	(s).e[3] = (s).e[3] + (b).e[3];					\
} while (0)
#endif
#define V_LOAD(v, p)	memcpy(&(v), (p), sizeof (v))
#define V_STORE(p, v)	memcpy((p), &(v), sizeof (v))
#define V_ZERO(v)	V_SET(v, 0.0, 0.0, 0.0, 0.0)

/* B's row r, q_v for v = 4 i ... 4 i + 3, into the vector b (b[] is B's
   row; contiguous, or at the offsets bo[]). */
#define B_ROW(b, i) do {						\
	if (contig)							\
		V_LOAD(b, row + 4 * (i));				\
	else								\
		V_SET(b, row[bo[4 * (i)]], row[bo[4 * (i) + 1]],	\
		    row[bo[4 * (i) + 2]], row[bo[4 * (i) + 3]]);	\
} while (0)

/* A tile of 4 p x 8 q: s[u][v] = the sum of A(r, p_u) B(r, q_v), A(r,
   p_u) = A[r ar + ao[u]], B(r, q_v) = B[r br + v] (contig) or B[r br +
   bo[v]]. */
TRAIN_INLINE void
tile_4x8(const double *restrict A, size_t ar, const size_t *ao,
    const double *restrict B, size_t br, const size_t *bo, int contig,
    size_t R, double s[8][8])
{
	const double	*a, *row;
	double		 c;
	v4d		 s00, s01, s10, s11, s20, s21, s30, s31, b0, b1;
	size_t		 r;

	V_ZERO(s00);
	s01 = s10 = s11 = s20 = s21 = s30 = s31 = s00;
	for (r = 0; r < R; r++) {
		a = A + r * ar;
		row = B + r * br;
		B_ROW(b0, 0);
		B_ROW(b1, 1);
		c = a[ao[0]];
		V_MADD(s00, c, b0);
		V_MADD(s01, c, b1);
		c = a[ao[1]];
		V_MADD(s10, c, b0);
		V_MADD(s11, c, b1);
		c = a[ao[2]];
		V_MADD(s20, c, b0);
		V_MADD(s21, c, b1);
		c = a[ao[3]];
		V_MADD(s30, c, b0);
		V_MADD(s31, c, b1);
	}
	V_STORE(s[0], s00);
	V_STORE(s[0] + 4, s01);
	V_STORE(s[1], s10);
	V_STORE(s[1] + 4, s11);
	V_STORE(s[2], s20);
	V_STORE(s[2] + 4, s21);
	V_STORE(s[3], s30);
	V_STORE(s[3] + 4, s31);
}

/* A tile of 8 p x 4 q, as tile_4x8(). */
TRAIN_INLINE void
tile_8x4(const double *restrict A, size_t ar, const size_t *ao,
    const double *restrict B, size_t br, const size_t *bo, int contig,
    size_t R, double s[8][8])
{
	const double	*a, *row;
	double		 c;
	v4d		 s0, s1, s2, s3, s4, s5, s6, s7, b0;
	size_t		 r;

	V_ZERO(s0);
	s1 = s2 = s3 = s4 = s5 = s6 = s7 = s0;
	for (r = 0; r < R; r++) {
		a = A + r * ar;
		row = B + r * br;
		B_ROW(b0, 0);
		c = a[ao[0]];
		V_MADD(s0, c, b0);
		c = a[ao[1]];
		V_MADD(s1, c, b0);
		c = a[ao[2]];
		V_MADD(s2, c, b0);
		c = a[ao[3]];
		V_MADD(s3, c, b0);
		c = a[ao[4]];
		V_MADD(s4, c, b0);
		c = a[ao[5]];
		V_MADD(s5, c, b0);
		c = a[ao[6]];
		V_MADD(s6, c, b0);
		c = a[ao[7]];
		V_MADD(s7, c, b0);
	}
	V_STORE(s[0], s0);
	V_STORE(s[1], s1);
	V_STORE(s[2], s2);
	V_STORE(s[3], s3);
	V_STORE(s[4], s4);
	V_STORE(s[5], s5);
	V_STORE(s[6], s6);
	V_STORE(s[7], s7);
}

/* Few terms (the comment above): C(p, q) for every p, sixteen q at a
   time (four vectors), then four; the q beyond the last four readable ones
   one by one. */
TRAIN_INLINE void
products_short(const double *A, size_t ar, size_t ap, size_t P,
    const double *B, size_t br, size_t Q, size_t Qr, size_t R, double *C,
    size_t cp)
{
	const double	*b;
	double		 c, t[4];
	v4d		 s0, s1, s2, s3, b0;
	size_t		 p, q, r, v;

	for (q = 0; q + 16 <= Q; q += 16) {
		for (p = 0; p < P; p++) {
			V_ZERO(s0);
			s1 = s2 = s3 = s0;
			for (r = 0; r < R; r++) {
				c = A[r * ar + p * ap];
				b = B + r * br + q;
				V_LOAD(b0, b);
				V_MADD(s0, c, b0);
				V_LOAD(b0, b + 4);
				V_MADD(s1, c, b0);
				V_LOAD(b0, b + 8);
				V_MADD(s2, c, b0);
				V_LOAD(b0, b + 12);
				V_MADD(s3, c, b0);
			}
			V_STORE(C + p * cp + q, s0);
			V_STORE(C + p * cp + q + 4, s1);
			V_STORE(C + p * cp + q + 8, s2);
			V_STORE(C + p * cp + q + 12, s3);
		}
	}
	for (; q + 4 <= Qr && q < Q; q += 4) {
		for (p = 0; p < P; p++) {
			V_ZERO(s0);
			for (r = 0; r < R; r++) {
				c = A[r * ar + p * ap];
				V_LOAD(b0, B + r * br + q);
				V_MADD(s0, c, b0);
			}
			if (q + 4 <= Q) {
				V_STORE(C + p * cp + q, s0);
				continue;
			}
			V_STORE(t, s0);
			for (v = 0; q + v < Q; v++)
				C[p * cp + q + v] = t[v];
		}
	}
	for (; q < Q; q++) {
		for (p = 0; p < P; p++) {
			c = 0.0;
			for (r = 0; r < R; r++)
				c = c + A[r * ar + p * ap] * B[r * br + q];
			C[p * cp + q] = c;
		}
	}
}

/* C = the sums above, p < P, q < Q; where bq is 1, B's rows may be read
   up to column Qr >= Q (wt[]'s padding). */
TRAIN_CLONES static void
products(const double *A, size_t ar, size_t ap, size_t P, const double *B,
    size_t br, size_t bq, size_t Q, size_t Qr, size_t R, double *C,
    size_t cp, size_t cq)
{
	double	 s[8][8];
	size_t	 ao[8], bo[8], p, q, u, v, tp, tq;
	int	 contig;

	if (R <= SHORT_R && bq == 1 && cq == 1) {
		products_short(A, ar, ap, P, B, br, Q, Qr, R, C, cp);
		return;
	}
	tp = Q <= 4 ? 2 * TILE_P : TILE_P;
	tq = Q <= 4 ? TILE_Q / 2 : TILE_Q;
	for (p = 0; p < P; p += tp) {
		for (u = 0; u < tp; u++)
			ao[u] = (p + u < P ? p + u : P - 1) * ap;
		for (q = 0; q < Q; q += tq) {
			contig = bq == 1 && q + tq <= Qr;
			for (v = 0; v < tq; v++)
				bo[v] = (q + v < Q ? q + v : Q - 1) * bq;
			if (tp == TILE_P)
				tile_4x8(A, ar, ao, contig ? B + q : B, br, bo,
				    contig, R, s);
			else
				tile_8x4(A, ar, ao, contig ? B + q : B, br, bo,
				    contig, R, s);
			for (u = 0; u < tp && p + u < P; u++) {
				/* (memcpy of a constant size: two or one
				   vector stores) */
				if (cq == 1 && q + tq <= Q && tq == TILE_Q) {
					memcpy(C + (p + u) * cp + q, s[u],
					    TILE_Q * sizeof s[u][0]);
					continue;
				}
				if (cq == 1 && q + tq <= Q) {
					memcpy(C + (p + u) * cp + q, s[u],
					    TILE_Q / 2 * sizeof s[u][0]);
					continue;
				}
				for (v = 0; v < tq && q + v < Q; v++)
					C[(p + u) * cp + (q + v) * cq] =
					    s[u][v];
			}
		}
	}
}

/*
 * y (m x W.rows) = x (m x in) W^T + b: each y_ij is 0, plus x_ik W_jk for
 * k = 0, 1, ... in order, plus b_j.  The products read W^T (in x out,
 * its rows padded with zeros to a multiple of 4) from wt[] when it is
 * small enough, so that the tile's W_jk are a vector; else W itself.
 */
TRAIN_CLONES static void
layer_forward(const double *restrict x, size_t m, size_t in,
    const struct mat *W, const struct mat *b, double *restrict y)
{
	double		 wt[WT_MAX];
	const double	*w = W->v, *bv = b->v;
	size_t		 i, j, k, out = W->rows, op;

	op = (out + 3) / 4 * 4;
	if (in * op <= WT_MAX) {
		for (k = 0; k < in; k++)
			for (j = 0; j < op; j++)
				wt[k * op + j] = j < out ? w[j * in + k] : 0.0;
		products(x, 1, in, m, wt, op, 1, out, op, in, y, out, 1);
	} else
		products(x, 1, in, m, w, 1, in, out, out, in, y, out, 1);
	for (i = 0; i < m; i++)
		for (j = 0; j < out; j++)
			y[i * out + j] = y[i * out + j] + bv[j];
}

/*
 * g[j][k] = sum over the m rows, in order, of d[i][j] a[i][k] (the
 * gradient of W, out x in) and gb[j] = sum of d[i][j] (of b).  The tiles'
 * vectors run along the longer of a's and d's rows.
 */
TRAIN_CLONES static void
layer_backward(const double *restrict a, size_t m, size_t in,
    const double *restrict d, struct mat *gW, struct mat *gb)
{
	const double	*row;
	double		*restrict g = gW->v, *restrict sb = gb->v, t[4];
	size_t		 i, j, u, o[4], out = gW->rows;
	v4d		 s0, v;

	/* the sums of b, four at a time in a register (the last four
	   clamped to the last column, as in products()) */
	for (j = 0; j < out; j += 4) {
		for (u = 0; u < 4; u++)
			o[u] = j + u < out ? j + u : out - 1;
		V_ZERO(s0);
		for (i = 0; i < m; i++) {
			row = d + i * out;
			if (j + 4 <= out)
				V_LOAD(v, row + j);
			else
				V_SET(v, row[o[0]], row[o[1]], row[o[2]],
				    row[o[3]]);
			V_ADD(s0, v);
		}
		V_STORE(t, s0);
		for (u = 0; u < 4 && j + u < out; u++)
			sb[j + u] = t[u];
	}
	if (in >= out)
		products(d, out, 1, out, a, in, 1, in, in, m, g, in, 1);
	else
		products(a, in, 1, in, d, out, 1, out, out, m, g, 1, in);
}

/* The logits z (m x out) of m points x; the mlp's hidden values into h
   (m x H).  relu keeps a NaN (torch's clamp_min propagates it). */
static void
model_forward(const struct train_params *p, enum train_activation act,
    const double *x, size_t m, size_t in, double *h, double *z)
{
	size_t	i, n, H;

	if (p->nlayers == 1) {
		layer_forward(x, m, in, &p->W[0], &p->b[0], z);
		return;
	}
	H = p->W[0].rows;
	layer_forward(x, m, in, &p->W[0], &p->b[0], h);
	n = m * H;
	if (act == TRAIN_TANH)
		vmath_tanh(h, h, n);
	else {
		for (i = 0; i < n; i++)
			h[i] = h[i] <= 0.0 ? 0.0 : h[i];
	}
	layer_forward(h, m, H, &p->W[1], &p->b[1], z);
}

/* The gradient of the batch's loss into t->grad, from dz = dL/dz (m x
   out), the batch's points x and (mlp) its hidden values in t->h. */
TRAIN_CLONES static void
model_backward(struct train *t, const double *x, size_t m, const double *dz)
{
	struct train_params	*p = &t->params, *g = &t->grad;
	size_t			 i, n, H, out = t->out;
	double			*h = t->h.v, *dh = t->dh.v;

	if (p->nlayers == 1) {
		layer_backward(x, m, t->in, dz, &g->W[0], &g->b[0]);
		return;
	}
	H = t->hidden;
	layer_backward(h, m, H, dz, &g->W[1], &g->b[1]);
	/* dh = dz W2 (each dh_ik is 0 plus the products over j in order),
	   then through the activation */
	products(dz, 1, out, m, p->W[1].v, H, 1, H, H, out, dh, H, 1);
	n = m * H;
	if (t->spec.activation == TRAIN_TANH) {
		for (i = 0; i < n; i++)
			dh[i] = dh[i] * (1.0 - h[i] * h[i]);
	} else {
		for (i = 0; i < n; i++)
			dh[i] = h[i] <= 0.0 ? 0.0 : dh[i];
	}
	layer_backward(x, m, t->in, dh, &g->W[0], &g->b[0]);
}

/* torch.optim.SGD on one tensor: g += wd p; buf = m buf + g; p += -lr g. */
static void
sgd_tensor(const struct train_spec *s, double *p, const double *g,
    double *buf, size_t n, int first)
{
	size_t	i;
	double	d;

	for (i = 0; i < n; i++) {
		d = g[i];
		if (s->weight_decay != 0.0)
			d = d + s->weight_decay * p[i];
		if (s->momentum != 0.0) {
			buf[i] = first ? d : buf[i] * s->momentum + d;
			d = buf[i];
		}
		p[i] = p[i] + (-s->lr) * d;
	}
}

static void
sgd_update(struct train *t)
{
	struct train_params	*p = &t->params, *g = &t->grad, *b = &t->buf;
	int			 l, first = !t->have_buf;

	for (l = 0; l < p->nlayers; l++) {
		sgd_tensor(&t->spec, p->W[l].v, g->W[l].v, b->W[l].v,
		    mat_numel(&p->W[l]), first);
		sgd_tensor(&t->spec, p->b[l].v, g->b[l].v, b->b[l].v,
		    mat_numel(&p->b[l]), first);
	}
	t->have_buf = 1;
}

VMATH_LOOPS_END

/* --- evaluation ------------------------------------------------------------ */

/* The first m rows of a 2-D m, or the first m values of a 1-D one. */
static struct mat
head(const struct mat *a, size_t m)
{
	struct mat	v = *a;

	if (v.ndim == 2)
		v.rows = m;
	else
		v.cols = m;
	return v;
}

/* The run's pipeline on logits z: the pitfall's, else the correct loss. */
static int
pipeline(const struct train *t, const struct mat *z, const struct mat *target,
    struct loss_result *r, struct err *e)
{
	if (t->spec.pitfall != PITFALL_NONE)
		return pitfall_eval(t->spec.pitfall, z, target, &t->spec.opts,
		    r, e);
	return loss_eval(t->spec.loss, z, target, &t->spec.opts, r, e);
}

/* The fraction of labels right (train.h) from the logits in t->z. */
static double
accuracy(const struct train *t)
{
	const struct data	*d = t->data;
	const double		*z = t->z.v, *zi;
	size_t			 i, j, best, n = d->n, out = t->out, right = 0;

	if (t->index_target) {
		for (i = 0; i < n; i++) {
			zi = z + i * out;
			best = 0;
			for (j = 1; j < out; j++)
				if (zi[j] > zi[best])
					best = j;
			right += (double)best == d->y.v[i];
		}
		return (double)right / (double)n;
	}
	/* binary (out == 1, y 1-D) or multilabel (y n x K): z > 0 is 1 */
	for (i = 0; i < n * out; i++)
		right += (z[i] > 0.0) == (d->y.v[i] == 1.0);
	return (double)right / (double)(n * out);
}

static void
stop(struct train *t, enum train_state s, long epoch, const char *msg)
{
	t->state = s;
	t->stop_epoch = epoch;
	snprintf(t->message, sizeof t->message, "%s", msg);
}

static int
hist_append(struct train *t, const struct train_entry *en, struct err *e)
{
	struct train_entry	*nh;
	size_t			 ncap;

	if (t->nhist == t->caphist) {
		ncap = t->caphist ? 2 * t->caphist : 64;
		if ((nh = realloc(t->hist, ncap * sizeof *nh)) == NULL)
			return err_set(e, "out of memory");
		t->hist = nh;
		t->caphist = ncap;
	}
	t->hist[t->nhist++] = *en;
	return 0;
}

/*
 * Evaluate epoch t->epoch on the whole data set: the logits into t->z (the
 * mlp's hidden values into t->h), the pipeline's result into t->r, the
 * history entry appended, and the run stopped when it is refused, diverged
 * or done.  Returns 0, or -1 with e set (out of memory).
 */
static int
evaluate(struct train *t, struct err *e)
{
	const struct data	*d = t->data;
	struct loss_result	 c = LOSS_RESULT_INIT;
	struct train_entry	 en;
	struct mat		 z = t->z;
	struct err		 le;

	loss_result_free(&t->r);
	model_forward(&t->params, t->spec.activation, d->x.v, d->n, t->in,
	    t->h.v, t->z.v);
	if (pipeline(t, &z, &t->target, &t->r, &le) != 0) {
		stop(t, TRAIN_REFUSED, t->epoch, le.msg);
		return 0;
	}
	en.epoch = t->epoch;
	en.loss = t->r.value;
	en.correct_loss = en.loss;
	if (t->spec.pitfall != PITFALL_NONE) {
		/* init checked that the correct loss accepts these shapes */
		if (loss_eval(t->spec.loss, &z, &t->target, &t->spec.opts, &c,
		    &le) == 0)
			en.correct_loss = c.value;
		else
			en.correct_loss = NAN;
		loss_result_free(&c);
	}
	en.accuracy = accuracy(t);
	if (hist_append(t, &en, e) != 0) {
		stop(t, TRAIN_REFUSED, t->epoch, N_("out of memory"));
		return -1;
	}
	if (!isfinite(en.loss))
		stop(t, TRAIN_DIVERGED, t->epoch, isnan(en.loss) ?
		    N_("the loss is nan") : N_("the loss is inf"));
	else if (t->epoch >= t->spec.epochs)
		stop(t, TRAIN_DONE, t->epoch, "");
	return 0;
}

/* --- the run ------------------------------------------------------------- */

/* Check spec s against data d; the number of logits into *out. */
static int
check_spec(const struct data *d, const struct train_spec *s, size_t *out,
    struct err *e)
{
	enum loss_id	 id = s->loss;
	int		 index = id == LOSS_CE || id == LOSS_MULTI_MARGIN;
	double		 values;

	if (d == NULL || d->n < 1 || d->d < 1 || d->classes < 2)
		return err_set(e, "no data to train on");
	if ((int)s->model < 0 || s->model > TRAIN_MLP)
		return err_set(e, "unknown model");
	if (s->model == TRAIN_MLP && (s->hidden < 1 ||
	    s->hidden > TRAIN_MAX_HIDDEN))
		return err_set(e, "%zu hidden units (from 1 to %d)", s->hidden,
		    TRAIN_MAX_HIDDEN);
	if ((int)s->activation < 0 || s->activation > TRAIN_RELU)
		return err_set(e, "unknown activation");
	if (!train_loss_ok(id))
		return err_set(e, "%s is not a loss to train on (ce, "
		    "multi-margin, bce-logits, focal, "
		    "multilabel-soft-margin)", loss_name(id));
	if (index && d->multilabel)
		return err_set(e, "%s needs one class per point; multilabel "
		    "data has %d independent labels (use bce-logits, focal or "
		    "multilabel-soft-margin)", loss_name(id), d->classes);
	if (!index && !d->multilabel && d->classes != 2)
		return err_set(e, "%s needs two classes or multilabel data; "
		    "this data has %d classes (use ce or multi-margin)",
		    loss_name(id), d->classes);
	if ((int)s->pitfall < 0 || s->pitfall >= PITFALL_COUNT)
		return err_set(e, "unknown pitfall");
	if (s->pitfall != PITFALL_NONE && pitfall_loss(s->pitfall) != id)
		return err_set(e, "pitfall %s imitates %s, not %s",
		    pitfall_name(s->pitfall),
		    loss_name(pitfall_loss(s->pitfall)), loss_name(id));
	if ((s->pitfall == PITFALL_BCE_ON_LOGITS ||
	    s->pitfall == PITFALL_NAIVE_FLOAT32) && s->opts.pos_weight != NULL)
		return err_set(e, "%s feeds nn.BCELoss, which has no "
		    "pos_weight", pitfall_name(s->pitfall));
	if (s->opts.reduction == LOSS_REDUCTION_NONE)
		return err_set(e, "reduction 'none' gives no scalar to train "
		    "on (torch: grad can be implicitly created only for "
		    "scalar outputs)");
	/* torch.optim.SGD's own checks, and ours beyond them */
	if (!(s->lr > 0.0) || !isfinite(s->lr))
		return err_set(e, "Invalid learning rate: %g (a finite number "
		    "> 0)", s->lr);
	if (!(s->momentum >= 0.0) || !isfinite(s->momentum))
		return err_set(e, "Invalid momentum value: %g", s->momentum);
	if (!(s->weight_decay >= 0.0) || !isfinite(s->weight_decay))
		return err_set(e, "Invalid weight_decay value: %g",
		    s->weight_decay);
	if (s->epochs < 0 || s->epochs > TRAIN_MAX_EPOCHS)
		return err_set(e, "%ld epochs (from 0 to %ld)", s->epochs,
		    TRAIN_MAX_EPOCHS);
	*out = index || d->multilabel ? (size_t)d->classes : 1;
	values = (double)d->n * ((double)d->d + (double)*out +
	    (s->model == TRAIN_MLP ? (double)s->hidden : 0.0));
	if (values > TRAIN_MAX_VALUES)
		return err_set(e, "%zu points x (%zu features + %zu hidden + "
		    "%zu outputs) is too big (at most %.0f values)", d->n,
		    d->d, s->model == TRAIN_MLP ? s->hidden : (size_t)0, *out,
		    TRAIN_MAX_VALUES);
	return 0;
}

/* The loss's target of every point (train.h), into t->target. */
static int
make_target(struct train *t, struct err *e)
{
	const struct data	*d = t->data;

	if (t->index_target || d->multilabel)
		return mat_copy(&t->target, &d->y, e);
	/* two classes, one logit: the label as an n x 1 column */
	if (mat_alloc(&t->target, 2, d->n, 1, e) != 0)
		return -1;
	memcpy(t->target.v, d->y.v, d->n * sizeof *d->y.v);
	return 0;
}

int
train_init(struct train *t, const struct data *d, const struct train_spec *s,
    struct err *e)
{
	static const struct loss_result	 zero = LOSS_RESULT_INIT;
	struct loss_result		 c = LOSS_RESULT_INIT;
	struct mat			 z;
	struct err			 le;
	size_t				 out = 0, n;
	int				 nl, mini;

	memset(t, 0, sizeof *t);
	t->r = zero;
	if (check_spec(d, s, &out, e) != 0)
		return -1;
	t->data = d;
	t->spec = *s;
	n = d->n;
	t->in = d->d;
	t->out = out;
	t->hidden = s->model == TRAIN_MLP ? s->hidden : 0;
	t->index_target = s->loss == LOSS_CE || s->loss == LOSS_MULTI_MARGIN;
	nl = s->model == TRAIN_MLP ? 2 : 1;
	mini = s->batch > 0 && s->batch < n;
	if (!mini)
		t->spec.batch = 0;
	if (params_alloc(&t->params0, nl, t->in, t->hidden, out, e) != 0 ||
	    params_alloc(&t->params, nl, t->in, t->hidden, out, e) != 0 ||
	    params_alloc(&t->grad, nl, t->in, t->hidden, out, e) != 0 ||
	    params_alloc(&t->buf, nl, t->in, t->hidden, out, e) != 0 ||
	    make_target(t, e) != 0 ||
	    mat_alloc(&t->z, 2, n, out, e) != 0)
		goto fail;
	if (nl == 2 && (mat_alloc(&t->h, 2, n, t->hidden, e) != 0 ||
	    mat_alloc(&t->dh, 2, n, t->hidden, e) != 0))
		goto fail;
	if (mini && (mat_alloc(&t->bx, 2, n, t->in, e) != 0 ||
	    mat_alloc(&t->bt, t->target.ndim, n, t->target.cols, e) != 0 ||
	    (t->perm = calloc(n, sizeof *t->perm)) == NULL)) {
		err_set(e, "out of memory");
		goto fail;
	}
	params_draw(&t->params0, s->seed);
	params_copy(&t->params, &t->params0);
	rng_seed(&t->order, s->seed, RNG_STREAM_ORDER);

	/* The options and shapes must suit the correct loss. */
	model_forward(&t->params, s->activation, d->x.v, n, t->in, t->h.v,
	    t->z.v);
	z = t->z;
	if (loss_eval(s->loss, &z, &t->target, &s->opts, &c, &le) != 0) {
		err_set(e, "%s: %s", loss_name(s->loss), le.msg);
		goto fail;
	}
	loss_result_free(&c);
	if (evaluate(t, e) != 0)
		goto fail;
	/* Only bce-on-logits raises at run time, as torch does; any other
	   refusal is a usage error. */
	if (t->state == TRAIN_REFUSED && s->pitfall != PITFALL_BCE_ON_LOGITS) {
		err_set(e, "%s: %s", pitfall_name(s->pitfall), t->message);
		goto fail;
	}
	return 0;
fail:
	train_free(t);
	return -1;
}

int
train_step(struct train *t, struct err *e)
{
	const struct data	*d = t->data;
	struct loss_result	 rb = LOSS_RESULT_INIT;
	struct mat		 zb, tb;
	struct err		 le;
	size_t			 n, s, m, i, B, w;

	if (t->state != TRAIN_RUNNING)
		return 0;
	n = d->n;
	if (t->spec.batch == 0) {
		/* the evaluation of this epoch was the forward pass */
		model_backward(t, d->x.v, n, t->r.grad.v);
		sgd_update(t);
	} else {
		B = t->spec.batch;
		w = t->target.ndim == 2 ? t->target.cols : 1;
		rng_permutation(&t->order, t->perm, n);
		for (s = 0; s < n; s += B) {
			m = n - s < B ? n - s : B;
			for (i = 0; i < m; i++) {
				memcpy(t->bx.v + i * t->in,
				    d->x.v + t->perm[s + i] * t->in,
				    t->in * sizeof *d->x.v);
				memcpy(t->bt.v + i * w,
				    t->target.v + t->perm[s + i] * w,
				    w * sizeof *t->bt.v);
			}
			model_forward(&t->params, t->spec.activation, t->bx.v,
			    m, t->in, t->h.v, t->z.v);
			zb = head(&t->z, m);
			tb = head(&t->bt, m);
			if (pipeline(t, &zb, &tb, &rb, &le) != 0) {
				stop(t, TRAIN_REFUSED, t->epoch + 1, le.msg);
				return 1;
			}
			model_backward(t, t->bx.v, m, rb.grad.v);
			loss_result_free(&rb);
			sgd_update(t);
			if (!params_finite(&t->params)) {
				stop(t, TRAIN_DIVERGED, t->epoch + 1,
				    N_("a parameter is inf or nan after an "
				    "update"));
				return 1;
			}
		}
	}
	if (!params_finite(&t->params)) {
		stop(t, TRAIN_DIVERGED, t->epoch + 1, N_("a parameter is inf "
		    "or nan after an update"));
		return 1;
	}
	t->epoch++;
	if (evaluate(t, e) != 0)
		return -1;
	return 1;
}

int
train_run(struct train *t, struct err *e)
{
	int	rc;

	while ((rc = train_step(t, e)) == 1)
		;
	return rc;
}

void
train_free(struct train *t)
{
	params_free(&t->params0);
	params_free(&t->params);
	params_free(&t->grad);
	params_free(&t->buf);
	mat_free(&t->target);
	mat_free(&t->bx);
	mat_free(&t->bt);
	mat_free(&t->h);
	mat_free(&t->z);
	mat_free(&t->dh);
	loss_result_free(&t->r);
	free(t->perm);
	t->perm = NULL;
	free(t->hist);
	t->hist = NULL;
	t->nhist = t->caphist = 0;
}

int
train_predict(const struct train *t, const struct mat *x, struct mat *z,
    struct err *e)
{
	struct mat	h = MAT_INIT;
	size_t		m;

	if (x == NULL || x->ndim != 2 || x->cols != t->in)
		return err_set(e, "the points must be an m x %zu array", t->in);
	m = x->rows;
	if (mat_alloc(z, 2, m, t->out, e) != 0)
		return -1;
	if (t->params.nlayers == 2 &&
	    mat_alloc(&h, 2, m, t->hidden, e) != 0) {
		mat_free(z);
		return -1;
	}
	model_forward(&t->params, t->spec.activation, x->v, m, t->in, h.v,
	    z->v);
	mat_free(&h);
	return 0;
}

/* The group predicted from logits z (t->out of them), or -1 (one is not
   finite); see train_map(). */
static int
predicted_group(const struct train *t, const double *z)
{
	size_t	k, best = 0;
	int	g = 0;

	for (k = 0; k < t->out; k++)
		if (!isfinite(z[k]))
			return -1;
	if (t->data->multilabel) {
		for (k = 0; k < t->out && k < 16; k++)
			if (z[k] > 0)
				g |= 1 << k;
		return g;
	}
	if (t->out == 1)
		return z[0] > 0;
	for (k = 1; k < t->out; k++)
		if (z[k] > z[best])
			best = k;
	return (int)best;
}

int
train_map(const struct train *t, int rows, int cols, int *pred, int *mark,
    struct err *e)
{
	const struct data *d = t->data;
	struct mat	 g = MAT_INIT, z = MAT_INIT;
	double		 box[4];
	size_t		 i, n = (size_t)rows * (size_t)cols;
	int		 r, c, k, grp;

	if (d == NULL || d->d != 2 || rows < 1 || cols < 1)
		return err_set(e, "a decision map needs 2-D data");
	data_bounds(d, 0.05, box);
	if (mat_alloc(&g, 2, n, 2, e) != 0)
		return -1;
	/* cell centres, x2 upwards */
	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++) {
			MAT_AT(&g, (size_t)r * (size_t)cols + (size_t)c, 0) =
			    box[0] + (box[1] - box[0]) * (c + 0.5) / cols;
			MAT_AT(&g, (size_t)r * (size_t)cols + (size_t)c, 1) =
			    box[3] - (box[3] - box[2]) * (r + 0.5) / rows;
		}
	if (train_predict(t, &g, &z, e) != 0) {
		mat_free(&g);
		return -1;
	}
	for (i = 0; i < n; i++) {
		pred[i] = predicted_group(t, z.v + i * t->out);
		mark[i] = 0;
	}
	for (i = 0; i < d->n; i++) {
		grp = (int)data_group(d, i);
		c = (int)((MAT_AT(&d->x, i, 0) - box[0]) / (box[1] - box[0]) *
		    cols);
		r = (int)((box[3] - MAT_AT(&d->x, i, 1)) / (box[3] - box[2]) *
		    rows);
		if (r < 0 || r >= rows || c < 0 || c >= cols)
			continue;
		k = r * cols + c;
		if (pred[k] != grp)
			mark[k] = -1 - grp;
		else if (mark[k] == 0)
			mark[k] = 1 + grp;
	}
	mat_free(&g);
	mat_free(&z);
	return 0;
}

int
train_set_optim(struct train *t, double lr, double momentum, struct err *e)
{
	if (!(lr > 0.0) || !isfinite(lr))
		return err_set(e, "Invalid learning rate: %g (a finite number "
		    "> 0)", lr);
	if (!(momentum >= 0.0) || !isfinite(momentum))
		return err_set(e, "Invalid momentum value: %g", momentum);
	t->spec.lr = lr;
	t->spec.momentum = momentum;
	return 0;
}
