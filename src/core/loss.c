/*
 * loss.c -- the classification losses of PyTorch 1.13, in float64, with the
 * gradient of the (reduced) output with respect to the input.
 *
 * Every loss is computed in two steps: the per-element (or per-sample)
 * values that reduction='none' returns go into r->elem, and the gradient is
 * accumulated with the upstream gradient gs already folded in (gs = 1/denom
 * for 'mean' and 'batchmean', 1 otherwise) in the order torch's backward
 * kernels multiply, so that values and gradients agree with torch to the
 * last bits.  The reduction then sums r->elem (plain left-to-right double
 * sum; torch's cascade sum may differ in the last bits).  Each loss has its
 * own 'mean' denominator (shared/reference/pytorch-losses.md, section 0):
 * numel for the element-wise losses, the sum of the target-class weights of
 * the non-ignored samples for ce/nll with class indices, N for ce with
 * probabilities, multilabel-soft-margin and multi-margin, input.size(0) for
 * kl-div 'batchmean'.
 *
 * Validation happens before any value is computed, in torch's order, and
 * the error texts are torch's (without the exception class).  Shapes are at
 * most 2-D here, so broadcasting is right-aligned over two dimensions.
 *
 * Deliberate divergences from torch, each commented where it happens:
 * soft-margin does not overflow to inf/NaN where exp(-y x) overflows;
 * multi-margin refuses a weight of the wrong length and returns NaN/0 for
 * an empty batch instead of uninitialised memory; label_smoothing < 0 (and
 * NaN) is refused; a broadcast target or weight may not grow the output of
 * multilabel-soft-margin.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activation.h"
#include "core/loss.h"
#include "core/loss_f32.h"
#include "core/vmath.h"

/* Values per vmath call in the element-wise loops (buffers on the stack). */
#define VBLOCK	256

/* (double)1e-12f, the EPSILON of torch's binary_cross_entropy_backward. */
/* Marks a name the interface translates (po/POTFILES.in lists this file);
   the core itself translates nothing. */
#define N_(s)	(s)

#define BCE_EPS	((double)1e-12f)

/* A shape of at most two dimensions; 1-D shapes have rows == 1. */
struct shape {
	int	 nd;
	size_t	 rows;
	size_t	 cols;
};

static const char *loss_names[LOSS_COUNT] = {
	"bce", "bce-logits", "ce", "nll", "multilabel-soft-margin",
	"multi-margin", "soft-margin", "kl-div", "focal"
};

static const char *loss_torch_names[LOSS_COUNT] = {
	"nn.BCELoss", "nn.BCEWithLogitsLoss", "nn.CrossEntropyLoss",
	"nn.NLLLoss", "nn.MultiLabelSoftMarginLoss", "nn.MultiMarginLoss",
	"nn.SoftMarginLoss", "nn.KLDivLoss", "torchvision.ops.sigmoid_focal_loss"
};

static const char *reduction_names[] = {
	"none", "mean", "sum", "batchmean"
};

void
loss_opts_init(struct loss_opts *o)
{
	memset(o, 0, sizeof *o);
	o->reduction = LOSS_REDUCTION_MEAN;
	o->weight = NULL;
	o->pos_weight = NULL;
	o->ignore_index = -100;
	o->label_smoothing = 0.0;
	o->margin = 1.0;
	o->p = 1;
	o->alpha = 0.25;
	o->gamma = 2.0;
	o->log_target = 0;
	o->threads = 1;
}

void
loss_result_free(struct loss_result *r)
{
	mat_free(&r->elem);
	mat_free(&r->grad);
}

const char *
loss_name(enum loss_id id)
{
	if ((int)id < 0 || id >= LOSS_COUNT)
		return "?";
	return loss_names[id];
}

int
loss_parse(const char *name, enum loss_id *id)
{
	int	i;

	for (i = 0; i < LOSS_COUNT; i++) {
		if (strcmp(name, loss_names[i]) == 0) {
			*id = (enum loss_id)i;
			return 0;
		}
	}
	return -1;
}

const char *
loss_torch_name(enum loss_id id)
{
	if ((int)id < 0 || id >= LOSS_COUNT)
		return "?";
	return loss_torch_names[id];
}

enum loss_input_kind
loss_input_kind(enum loss_id id)
{
	switch (id) {
	case LOSS_BCE:
		return LOSS_INPUT_PROBABILITIES;
	case LOSS_NLL:
	case LOSS_KL_DIV:
		return LOSS_INPUT_LOG_PROBABILITIES;
	default:
		return LOSS_INPUT_LOGITS;
	}
}

const char *
loss_input_kind_name(enum loss_id id)
{
	switch (loss_input_kind(id)) {
	case LOSS_INPUT_PROBABILITIES:
		return N_("probabilities");
	case LOSS_INPUT_LOG_PROBABILITIES:
		return N_("log-probabilities");
	default:
		return N_("logits");
	}
}

const char *
loss_input_symbol(enum loss_id id)
{
	switch (loss_input_kind(id)) {
	case LOSS_INPUT_PROBABILITIES:
		return "p";
	case LOSS_INPUT_LOG_PROBABILITIES:
		return "log p";
	default:
		return "z";
	}
}

const char *
loss_grad_label(enum loss_id id)
{
	switch (loss_input_kind(id)) {
	case LOSS_INPUT_PROBABILITIES:
		return "\u2202L/\u2202p";
	case LOSS_INPUT_LOG_PROBABILITIES:
		return "\u2202L/\u2202(log p)";
	default:
		return "\u2202L/\u2202z";
	}
}

int
loss_has_option(enum loss_id id, const char *option)
{
	static const struct {
		enum loss_id	 id;
		const char	*opt;
	} table[] = {
		{ LOSS_BCE, "weight" },
		{ LOSS_BCE_LOGITS, "weight" },
		{ LOSS_BCE_LOGITS, "pos-weight" },
		{ LOSS_CE, "weight" },
		{ LOSS_CE, "ignore-index" },
		{ LOSS_CE, "label-smoothing" },
		{ LOSS_NLL, "weight" },
		{ LOSS_NLL, "ignore-index" },
		{ LOSS_MULTILABEL_SOFT_MARGIN, "weight" },
		{ LOSS_MULTI_MARGIN, "weight" },
		{ LOSS_MULTI_MARGIN, "margin" },
		{ LOSS_MULTI_MARGIN, "p" },
		{ LOSS_KL_DIV, "log-target" },
		{ LOSS_FOCAL, "alpha" },
		{ LOSS_FOCAL, "gamma" },
	};
	size_t	i;

	if (option == NULL)
		return 0;
	if (strcmp(option, "reduction") == 0)
		return (int)id >= 0 && id < LOSS_COUNT;
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		if (table[i].id == id && strcmp(table[i].opt, option) == 0)
			return 1;
	}
	return 0;
}

const char *
loss_reduction_name(enum loss_reduction r)
{
	if ((int)r < 0 || r > LOSS_REDUCTION_BATCHMEAN)
		return "?";
	return reduction_names[r];
}

int
loss_reduction_parse(const char *s, enum loss_reduction *r)
{
	int	i;

	for (i = 0; i <= LOSS_REDUCTION_BATCHMEAN; i++) {
		if (strcmp(s, reduction_names[i]) == 0) {
			*r = (enum loss_reduction)i;
			return 0;
		}
	}
	return -1;
}

/* --- shapes and broadcasting -------------------------------------------- */

static struct shape
shape_of(const struct mat *m)
{
	struct shape s;

	s.nd = m->ndim;
	s.rows = m->ndim == 2 ? m->rows : 1;
	s.cols = m->cols;
	return s;
}

static size_t
shape_numel(const struct shape *s)
{
	return s->rows * s->cols;
}

static int
shape_eq(const struct shape *a, const struct shape *b)
{
	return a->nd == b->nd && a->rows == b->rows && a->cols == b->cols;
}

static const char *
shape_str(const struct shape *s, char *buf, size_t len)
{
	struct mat m = MAT_INIT;

	m.ndim = s->nd;
	m.rows = s->rows;
	m.cols = s->cols;
	return mat_shape_str(&m, buf, len);
}

/* Size of dimension d (0 = first) of a shape with nd dims, right-aligned in
   a frame of `frame` dims; absent leading dimensions count as 1. */
static size_t
shape_dim(const struct shape *s, int frame, int d)
{
	int k = d - (frame - s->nd);

	if (k < 0)
		return 1;
	if (s->nd == 1)
		return s->cols;
	return k == 0 ? s->rows : s->cols;
}

/*
 * Torch's infer_size(a, b): right-aligned broadcasting, scanning from the
 * last dimension; fails with torch's message naming a and b.
 */
static int
bcast_infer(const struct shape *a, const struct shape *b, struct shape *out,
    struct err *e)
{
	int	 nd = a->nd > b->nd ? a->nd : b->nd, d;
	size_t	 da, db, dims[2] = { 1, 1 };

	for (d = nd - 1; d >= 0; d--) {
		da = shape_dim(a, nd, d);
		db = shape_dim(b, nd, d);
		if (da != db && da != 1 && db != 1)
			return err_set(e, "The size of tensor a (%zu) must match "
			    "the size of tensor b (%zu) at non-singleton "
			    "dimension %d", da, db, d);
		dims[d] = da == 1 ? db : da;
	}
	out->nd = nd;
	if (nd == 1) {
		out->rows = 1;
		out->cols = dims[0];
	} else {
		out->rows = dims[0];
		out->cols = dims[1];
	}
	return 0;
}

/*
 * An in-place broadcast: b (or a) combined with the fixed shape `keep` must
 * leave keep unchanged -- torch's "output with shape [...] doesn't match the
 * broadcast shape [...]".  keep_is_a says which side torch names "a".
 */
static int
bcast_keep(const struct shape *keep, const struct mat *other, int keep_is_a,
    struct err *e)
{
	struct shape	 o = shape_of(other), out;
	char		 b1[64], b2[64];

	if (keep_is_a) {
		if (bcast_infer(keep, &o, &out, e) != 0)
			return -1;
	} else if (bcast_infer(&o, keep, &out, e) != 0)
		return -1;
	if (!shape_eq(&out, keep))
		return err_set(e, "output with shape %s doesn't match the "
		    "broadcast shape %s", shape_str(keep, b1, sizeof b1),
		    shape_str(&out, b2, sizeof b2));
	return 0;
}

/* Flat index in m of element (r, c) of the output frame m broadcasts to. */
static size_t
bidx(const struct mat *m, size_t r, size_t c)
{
	size_t rr = (m->ndim == 2 && m->rows != 1) ? r : 0;
	size_t cc = m->cols == 1 ? 0 : c;

	return rr * m->cols + cc;
}

/* Element (r, c) of the output frame read from m under broadcasting. */
static double
bget(const struct mat *m, size_t r, size_t c)
{
	return m->v[bidx(m, r, c)];
}

/* torch.Size([...]) as Python prints it. */
static const char *
torch_size(const struct mat *m, char *buf, size_t len)
{
	char	s[64];

	mat_shape_str(m, s, sizeof s);
	snprintf(buf, len, "torch.Size(%s)", s);
	return buf;
}

/* A well-formed mat: ndim 1 or 2, data present when not empty. */
static int
mat_ok(const struct mat *m)
{
	if (m == NULL || (m->ndim != 1 && m->ndim != 2))
		return 0;
	if (m->ndim == 1 && m->rows != 1)
		return 0;
	if (m->v == NULL && m->f32 == NULL && m->rows * m->cols != 0)
		return 0;
	return 1;
}

/*
 * Float32 storage (core/mat.h) is read only where the float kernels read
 * it: the input of ce and nll with class indices in float32 (their
 * gradient then gets float32 storage too).  Anything else with it is a
 * caller's mistake, refused rather than read as doubles it does not have.
 */
static int
f32_storage_ok(enum loss_id id, const struct mat *input,
    const struct mat *target, const struct loss_opts *o)
{
	if (target->f32 != NULL || (o->weight != NULL &&
	    o->weight->f32 != NULL) || (o->pos_weight != NULL &&
	    o->pos_weight->f32 != NULL))
		return 0;
	return input->f32 == NULL || (o->float32 && (id == LOSS_CE ||
	    id == LOSS_NLL) && !mat_same_shape(input, target));
}

/* Class index held in a double: 0 if integral (and representable as long). */
static int
to_index(double v, long *out)
{
	if (!isfinite(v) || fabs(v) >= 9.2e18 || (double)(long)v != v)
		return -1;	/* (long)v truncates: integral iff it is v */
	*out = (long)v;
	return 0;
}

/* Sum of all values, left to right. */
static double
mat_sum(const struct mat *m)
{
	double	s = 0.0;
	size_t	i, n = mat_numel(m);

	for (i = 0; i < n; i++)
		s += m->v[i];
	return s;
}

static int
is_mean(enum loss_reduction red)
{
	return red == LOSS_REDUCTION_MEAN || red == LOSS_REDUCTION_BATCHMEAN;
}

/* The upstream gradient of one element: 1/denom for mean, 1 otherwise. */
static double
grad_scale(enum loss_reduction red, double denom)
{
	return is_mean(red) ? 1.0 / denom : 1.0;
}

/* Reduce r->elem: value = sum (none, sum) or sum / denom (mean). */
static void
reduce_elem(struct loss_result *r, enum loss_reduction red, double denom)
{
	double	s = mat_sum(&r->elem);

	if (is_mean(red)) {
		r->denom = denom;
		r->value = s / denom;
	} else {
		r->denom = 1;
		r->value = s;
	}
}

/* Allocate elem and grad of r for the given shapes, zero-filled. */
static int
alloc_result(struct loss_result *r, const struct shape *elem,
    const struct mat *input, struct err *e)
{
	if (mat_alloc(&r->elem, elem->nd, elem->rows, elem->cols, e) != 0)
		return -1;
	if (mat_alloc(&r->grad, input->ndim, input->rows, input->cols, e) != 0)
		return -1;
	return 0;
}

/* alloc_result for the losses that write every value of elem and grad
   (bce, bce-logits, ce and nll): no zero fill; the gradient of an input
   with float32 storage has float32 storage. */
static int
alloc_result_uninit(struct loss_result *r, const struct shape *elem,
    const struct mat *input, struct err *e)
{
	if (mat_alloc_uninit(&r->elem, elem->nd, elem->rows, elem->cols,
	    e) != 0)
		return -1;
	if (input->f32 != NULL)
		return mat_alloc_f32(&r->grad, input->ndim, input->rows,
		    input->cols, e);
	if (mat_alloc_uninit(&r->grad, input->ndim, input->rows, input->cols,
	    e) != 0)
		return -1;
	return 0;
}

/*
 * Class-index target check shared by ce, nll: the shapes, the weight, that
 * every value is an integer, and the range.  Torch's order of checks.
 */
static int
check_index_target(const struct mat *input, const struct mat *target,
    const struct loss_opts *o, struct err *e)
{
	size_t	 n, C = input->cols, N = input->ndim == 2 ? input->rows : 1;
	long	 y;
	char	 b1[64], b2[64];

	if (input->ndim == 2) {
		size_t tn = target->ndim == 2 ? target->rows : target->cols;

		if (tn != N)
			return err_set(e, "Expected input batch_size (%zu) to "
			    "match target batch_size (%zu).", N, tn);
		if (target->ndim != 1)
			return err_set(e, "0D or 1D target tensor expected, "
			    "multi-target not supported");
	} else {
		/* A 1-D input is one unbatched sample; its 0-d torch target is
		   written here as a 1-D target of one value. */
		if (target->ndim != 1)
			return err_set(e, "0D or 1D target tensor expected, "
			    "multi-target not supported");
		if (target->cols != 1)
			return err_set(e, "size mismatch (got input: %s, "
			    "target: %s)", mat_shape_str(input, b1, sizeof b1),
			    mat_shape_str(target, b2, sizeof b2));
	}
	if (o->weight != NULL &&
	    (o->weight->ndim != 1 || o->weight->cols != C))
		return err_set(e, "weight tensor should be defined either for "
		    "all %zu classes or no classes but got weight tensor of "
		    "shape: %s", C, mat_shape_str(o->weight, b1, sizeof b1));
	/* torch refuses a floating-point index tensor as a whole. */
	for (n = 0; n < N; n++)
		if (to_index(target->v[n], &y) != 0)
			return err_set(e, "expected scalar type Long but found "
			    "Float");
	for (n = 0; n < N; n++) {
		to_index(target->v[n], &y);
		if (y == o->ignore_index)
			continue;
		if (y < 0 || (size_t)y >= C)
			return err_set(e, "Target %ld is out of bounds.", y);
	}
	return 0;
}

/*
 * torch checks label_smoothing <= 1 only when it is > 0 (and treats NaN or
 * a negative value as 0); our contract refuses anything outside [0, 1],
 * NaN included, with torch's wording.
 */
static int
check_smoothing(const struct loss_opts *o, struct err *e)
{
	double	eps = o->label_smoothing;

	if (!(eps >= 0.0 && eps <= 1.0))
		return err_set(e, "label_smoothing must be between 0.0 and 1.0. "
		    "Got: %g", eps);
	return 0;
}

/* --- BCELoss ------------------------------------------------------------ */

/*
 * nn.BCELoss on probabilities x:
 *   l = ((y - 1) * max(log(1 - x), -100) - y * max(log(x), -100)) * w
 *   dl/dx = g * (x - y) / max((1 - x) * x, EPS) * w,  EPS = (double)1e-12f
 * The backward ignores the clamp: at x in {0, 1} it is +-1/EPS.  Targets
 * are not range-checked (torch 1.13); mean divides by numel.
 */
static int
loss_bce(const struct mat *x, const struct mat *t, const struct loss_opts *o,
    struct loss_result *r, struct err *e)
{
	struct shape	 sx = shape_of(x);
	size_t		 i, j, j0, k, n = mat_numel(x);
	double		 gs, xv, yv, l, d, lx[VBLOCK], l1x[VBLOCK];
	char		 b1[80], b2[80];

	if (!mat_same_shape(x, t))
		return err_set(e, "Using a target size (%s) that is different "
		    "to the input size (%s) is deprecated. Please ensure they "
		    "have the same size.", torch_size(t, b1, sizeof b1),
		    torch_size(x, b2, sizeof b2));
	/* torch's order: infer_size(target, weight) in Python, then the
	   kernel's range check, then loss.mul_(weight) (which may not grow) */
	if (o->weight != NULL) {
		struct shape sw = shape_of(o->weight), out;

		if (bcast_infer(&sx, &sw, &out, e) != 0)
			return -1;
	}
	for (i = 0; i < n; i++)
		if (!(x->v[i] >= 0.0 && x->v[i] <= 1.0))
			return err_set(e, "all elements of input should be "
			    "between 0 and 1");
	if (o->weight != NULL && bcast_keep(&sx, o->weight, 1, e) != 0)
		return -1;
	if (alloc_result_uninit(r, &sx, x, e) != 0)
		return -1;
	if (o->float32 && loss_f32_compute(LOSS_BCE, x, t, o, r))
		return 0;
	gs = grad_scale(o->reduction, (double)n);
	for (i = 0; i < sx.rows; i++) {
		for (j0 = 0; j0 < sx.cols; j0 += k) {
			/* log(x) and log(1 - x) of a block, one vmath call each */
			k = sx.cols - j0 < VBLOCK ? sx.cols - j0 : VBLOCK;
			for (j = 0; j < k; j++)
				l1x[j] = 1.0 - MAT_AT(x, i, j0 + j);
			vmath_log(&MAT_AT(x, i, j0), lx, k);
			vmath_log(l1x, l1x, k);
			for (j = j0; j < j0 + k; j++) {
				xv = MAT_AT(x, i, j);
				yv = MAT_AT(t, i, j);
				l = (yv - 1.0) * fmax(l1x[j - j0], -100.0) -
				    yv * fmax(lx[j - j0], -100.0);
				d = gs * (xv - yv) /
				    fmax((1.0 - xv) * xv, BCE_EPS);
				if (o->weight != NULL) {
					l *= bget(o->weight, i, j);
					d *= bget(o->weight, i, j);
				}
				MAT_AT(&r->elem, i, j) = l;
				MAT_AT(&r->grad, i, j) = d;
			}
		}
	}
	reduce_elem(r, o->reduction, (double)n);
	return 0;
}

/* --- BCEWithLogitsLoss -------------------------------------------------- */

/*
 * The 1.13 "max_val" form of -w [pw y log s(x) + (1 - y) log(1 - s(x))]:
 *   m = max(-x, 0)
 *   no pw: l = ((1 - y) x + m) + log(exp(-m) + exp(-x - m))
 *   pw:    lw = (pw - 1) y + 1;  l = (1 - y) x + lw (log(exp(-m) + exp(-x - m)) + m)
 *   l *= w
 * log(1 + tiny) rounds tiny losses to 0 exactly as torch does (BCEWL(40, 1)
 * = 0).  Backward: (s(x) - y) g w, or ((pw y + 1 - y) s(x) - pw y) g w.
 *
 * One exp per element: exp(-m) and exp(-x - m) are 1 and z = exp(-|x|) in
 * some order (m = 0 for x >= 0, m = -x otherwise), so the sum is 1 + z,
 * bit for bit torch's; log(1 + z) is kept rather than log1p(z) because it is
 * what torch computes (log1p would give 4e-18 where torch gives 0).  s(x)
 * comes from the same z: 1 / (1 + z) for x >= 0 (torch's 1 / (1 + exp(-x))
 * exactly), z / (1 + z) for x < 0 (within an ulp of it).
 * Shared with focal (which passes w = pw = NULL).
 */
static double
bcewl_value(double x, double y, const double *pw)
{
	double	m = fmax(-x, 0.0), lw;

	if (pw == NULL)
		return ((1.0 - y) * x + m) + log(exp(-m) + exp(-x - m));
	lw = (*pw - 1.0) * y + 1.0;
	return (1.0 - y) * x + lw * (log(exp(-m) + exp(-x - m)) + m);
}

static double
bcewl_grad(double x, double y, const double *pw, double g)
{
	double	tt;

	if (pw == NULL)
		return (activation_sigmoid(x) - y) * g;
	tt = *pw * y;
	return ((tt + 1.0 - y) * activation_sigmoid(x) - tt) * g;
}

VMATH_LOOPS_BEGIN

/*
 * z_i = exp(-|x_i|) and l1_i = log(1 + z_i) for k <= VBLOCK values, each
 * through one vmath call: the exp and the log of bcewl_both below.
 */
static void
bcewl_parts(const double *x, size_t k, double *z, double *l1)
{
	size_t	i;

	for (i = 0; i < k; i++)
		z[i] = -fabs(x[i]);
	vmath_exp(z, z, k);
	for (i = 0; i < k; i++)
		l1[i] = 1.0 + z[i];
	vmath_log(l1, l1, k);
}

/*
 * Value and gradient (scaled by g) of one element from z = exp(-|x|) and
 * l1 = log(1 + z); s = 1 / (1 + z) for x >= 0, z / (1 + z) otherwise.
 */
static inline double
bcewl_both(double x, double y, const double *pw, double g, double z,
    double l1, double *grad)
{
	/* m = max(-x, 0): +0 for NaN, as fmax gives; the two may differ
	   only in the sign of m at x = +-0, where log 2 is added to it */
	double	m = -x > 0.0 ? -x : 0.0;
	double	s = (x >= 0 ? 1.0 : z) / (1.0 + z), lw, tt;

	if (pw == NULL) {
		*grad = (s - y) * g;
		return ((1.0 - y) * x + m) + l1;
	}
	tt = *pw * y;
	*grad = ((tt + 1.0 - y) * s - tt) * g;
	lw = (*pw - 1.0) * y + 1.0;
	return (1.0 - y) * x + lw * (l1 + m);
}

/* Tell o->values_done (where set) that values [*from, upto) of r->grad
   are final, once they are LOSS_DONE_MIN or more or the last (last != 0);
   *from then moves to upto. */
static void
tell_done(const struct loss_opts *o, const struct loss_result *r,
    size_t *from, size_t upto, int last)
{
	if (o->values_done == NULL || upto <= *from ||
	    (!last && upto - *from < LOSS_DONE_MIN))
		return;
	o->values_done(o->done_ctx, r, *from, upto);
	*from = upto;
}

static int
loss_bce_logits(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r, struct err *e)
{
	struct shape	 sx = shape_of(x);
	size_t		 i, j, j0, k, n = mat_numel(x), told = 0;
	double		 gs, l, d, pw, *pwp, z[VBLOCK], l1[VBLOCK];
	const double	*xv, *yv;
	double		*ev, *gv;
	char		 b1[80], b2[80];

	if (!mat_same_shape(x, t))
		return err_set(e, "Target size (%s) must be the same as input "
		    "size (%s)", torch_size(t, b1, sizeof b1),
		    torch_size(x, b2, sizeof b2));
	/* torch: (pos_weight - 1).mul(target) names pos_weight "a", then
	   loss.mul_(weight) names the loss "a". */
	if (o->pos_weight != NULL && bcast_keep(&sx, o->pos_weight, 0, e) != 0)
		return -1;
	if (o->weight != NULL && bcast_keep(&sx, o->weight, 1, e) != 0)
		return -1;
	if (alloc_result_uninit(r, &sx, x, e) != 0)
		return -1;
	if (o->float32 && loss_f32_compute(LOSS_BCE_LOGITS, x, t, o, r))
		return 0;
	gs = grad_scale(o->reduction, (double)n);
	if (o->pos_weight == NULL && o->weight == NULL) {
		/* The common case, one flat pass, a block at a time. */
		for (i = 0; i < n; i += k) {
			k = n - i < VBLOCK ? n - i : VBLOCK;
			xv = x->v + i;
			yv = t->v + i;
			ev = r->elem.v + i;
			gv = r->grad.v + i;
			bcewl_parts(xv, k, z, l1);
			for (j = 0; j < k; j++)
				ev[j] = bcewl_both(xv[j], yv[j], NULL, gs, z[j],
				    l1[j], &gv[j]);
			tell_done(o, r, &told, i + k, i + k == n);
		}
		reduce_elem(r, o->reduction, (double)n);
		return 0;
	}
	for (i = 0; i < sx.rows; i++) {
		for (j0 = 0; j0 < sx.cols; j0 += k) {
			k = sx.cols - j0 < VBLOCK ? sx.cols - j0 : VBLOCK;
			bcewl_parts(&MAT_AT(x, i, j0), k, z, l1);
			for (j = j0; j < j0 + k; j++) {
				pwp = NULL;
				if (o->pos_weight != NULL) {
					pw = bget(o->pos_weight, i, j);
					pwp = &pw;
				}
				l = bcewl_both(MAT_AT(x, i, j), MAT_AT(t, i, j),
				    pwp, gs, z[j - j0], l1[j - j0], &d);
				if (o->weight != NULL) {
					l *= bget(o->weight, i, j);
					d *= bget(o->weight, i, j);
				}
				MAT_AT(&r->elem, i, j) = l;
				MAT_AT(&r->grad, i, j) = d;
			}
		}
	}
	reduce_elem(r, o->reduction, (double)n);
	return 0;
}

VMATH_LOOPS_END

/* --- CrossEntropyLoss and NLLLoss ---------------------------------------- */

/*
 * log_softmax backward for one row: dx_j = gl_j - exp(logp_j) * sum_c gl_c.
 * A NaN logit makes the row's gradient NaN even when gl is all zero.
 */
static void
log_softmax_backward(const double *logp, double *gl, size_t C)
{
	double	s = 0.0, p[VBLOCK];
	size_t	j, j0, k;

	for (j = 0; j < C; j++)
		s += gl[j];
	for (j0 = 0; j0 < C; j0 += k) {
		k = C - j0 < VBLOCK ? C - j0 : VBLOCK;
		vmath_exp(logp + j0, p, k);
		for (j = 0; j < k; j++)
			gl[j0 + j] = gl[j0 + j] - p[j] * s;
	}
}

/*
 * CrossEntropyLoss with class indices and no label smoothing, the common
 * case, in one pass over the logits and one exp per logit (loss_index below
 * does the general case with two).  The same formulas as loss_index:
 *   D = sum of w[y_n] over non-ignored n (known from the targets alone, so
 *       the gradient scale is known before the logits are read),
 *   l_n = -w[y_n] logp[n, y_n],  logp = x - m - log S,  S = sum_c exp(x_c - m)
 *   dx_c = 0 - p_c s  (c != y_n),  dx_y = s - exp(logp_y) s,  s = w[y_n] g
 * where g = -1/D (mean) or -1 (sum, none).  p_c = exp(x_c - m) (1/S) comes
 * from the exp already taken for S; only the target class, where the
 * gradient is a difference that cancels as p_y -> 1, takes torch's
 * exp(logp_y).  An ignored row has s = 0, so its gradient is 0 - p_c 0: 0,
 * or NaN where the row has a NaN, as in torch.
 */
VMATH_LOOPS_BEGIN
static int
loss_ce_index_fast(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	size_t	 N = x->ndim == 2 ? x->rows : 1, C = x->cols, n, c, n0, n1, k,
		 told = 0;
	double	 D = 0.0, snll = 0.0, g, wy, m, ly, sw, inv, *gr, *el;
	double	 S[VBLOCK], lS[VBLOCK], ey[VBLOCK];
	const double *xr;
	long	 y = 0;

	for (n = 0; n < N; n++) {
		to_index(t->v[n], &y);
		if (y != o->ignore_index)
			D += o->weight != NULL ? o->weight->v[y] : 1.0;
	}
	g = o->reduction == LOSS_REDUCTION_MEAN ? -(1.0 / D) : -1.0;
	el = r->elem.v;
	/* Groups of whole rows, at least VBLOCK values (at most VBLOCK rows),
	   each exp and log of a group in one vmath call. */
	for (n0 = 0; n0 < N && C != 0; n0 = n1) {
		for (n1 = n0, k = 0; n1 < N && k < VBLOCK; n1++)
			k += C;
		/* e = x - m in the gradient's rows; x_y - m into elem */
		for (n = n0; n < n1; n++) {
			xr = &MAT_AT(x, n, 0);
			gr = &MAT_AT(&r->grad, n, 0);
			m = activation_max(xr, C);
			for (c = 0; c < C; c++)
				gr[c] = xr[c] - m;
			to_index(t->v[n], &y);
			el[n] = y == o->ignore_index ? 0.0 : gr[y];
		}
		vmath_exp(&MAT_AT(&r->grad, n0, 0), &MAT_AT(&r->grad, n0, 0),
		    (n1 - n0) * C);
		/* S = sum_c e_c, left to right; log S */
		for (n = n0; n < n1; n++) {
			gr = &MAT_AT(&r->grad, n, 0);
			S[n - n0] = 0.0;
			for (c = 0; c < C; c++)
				S[n - n0] += gr[c];
		}
		vmath_log(S, lS, n1 - n0);
		/* logp_y = (x_y - m) - log S; the loss; exp(logp_y) */
		for (n = n0; n < n1; n++) {
			to_index(t->v[n], &y);
			if (y == o->ignore_index) {
				ey[n - n0] = 0.0;
				continue;
			}
			wy = o->weight != NULL ? o->weight->v[y] : 1.0;
			ly = el[n] - lS[n - n0];
			el[n] = -wy * ly;
			snll += -wy * ly;
			ey[n - n0] = ly;
		}
		vmath_exp(ey, ey, n1 - n0);
		/* the gradient */
		for (n = n0; n < n1; n++) {
			gr = &MAT_AT(&r->grad, n, 0);
			inv = 1.0 / S[n - n0];
			to_index(t->v[n], &y);
			if (y == o->ignore_index) {
				for (c = 0; c < C; c++)
					gr[c] = 0.0 - (gr[c] * inv) * 0.0;
				continue;
			}
			sw = (o->weight != NULL ? o->weight->v[y] : 1.0) * g;
			for (c = 0; c < C; c++)
				gr[c] = 0.0 - (gr[c] * inv) * sw;
			gr[y] = sw - ey[n - n0] * sw;
		}
		tell_done(o, r, &told, n1 * C, n1 == N);
	}
	if (C == 0)
		for (n = 0; n < N; n++)
			MAT_AT(&r->elem, 0, n) = 0.0;
	if (o->reduction == LOSS_REDUCTION_MEAN) {
		r->denom = D;
		r->value = snll / D;
	} else {
		r->denom = 1;
		r->value = o->reduction == LOSS_REDUCTION_NONE ?
		    mat_sum(&r->elem) : snll;
	}
	return 0;
}
VMATH_LOOPS_END

/*
 * Class-index path (ce when the target's shape differs from the input's,
 * and nll).  With logp = log_softmax(x) for ce, logp = x for nll:
 *   nll_n    = -w[y_n] logp[n, y_n]                (0 if y_n == ignore_index)
 *   D        = sum over non-ignored n of w[y_n]     (mean denominator)
 *   smooth_n = -sum_c w_c logp[n, c]               (0 if ignored; eps > 0)
 *   none: l_n = (1 - eps) nll_n + (eps / C) smooth_n
 *   mean: (1 - eps) sum nll / D + (eps / C) sum smooth / D;   sum: likewise
 * Gradient (torch's kernels): the nll part puts w[y] * -(g / D) at (n, y_n),
 * the smoothing part -(g_s / D) w_c on every non-ignored row, then (ce) the
 * log_softmax backward.  With D == 0 the mean is 0/0 = NaN and the
 * gradient is whatever -(1/0) * w makes of it, as in torch.
 */
static int
loss_index(enum loss_id id, const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r, struct err *e)
{
	size_t		 N = x->ndim == 2 ? x->rows : 1, C = x->cols, n, c;
	struct shape	 se;
	double		 eps = 0.0, D = 0.0, snll = 0.0, ssm = 0.0, wy, wc;
	double		 gnll, gsm, nll, sm, *logp, *lp, *gl = NULL;
	long		 y = 0;
	int		 smoothing, ignored;

	if (id == LOSS_CE && o->label_smoothing > 0.0)
		eps = o->label_smoothing;
	smoothing = eps > 0.0;
	if (id == LOSS_CE && check_smoothing(o, e) != 0)
		return -1;
	if (check_index_target(x, t, o, e) != 0)
		return -1;
	se.nd = 1;
	se.rows = 1;
	se.cols = N;
	if (alloc_result_uninit(r, &se, x, e) != 0)
		return -1;
	r->index_target = 1;
	r->elem_scalar = x->ndim == 1;
	if (o->float32 && loss_f32_compute(id, x, t, o, r))
		return 0;
	if (x->f32 != NULL)		/* the float kernel had no memory */
		return err_set(e, "out of memory");
	if (id == LOSS_CE && !smoothing)
		return loss_ce_index_fast(x, t, o, r);

	/* logp into r->grad (replaced by the gradient row by row below). */
	for (n = 0; n < N && C != 0; n++) {
		logp = &MAT_AT(&r->grad, n, 0);
		if (id == LOSS_CE)
			activation_log_softmax(&MAT_AT(x, n, 0), logp, C);
		else
			memcpy(logp, &MAT_AT(x, n, 0), C * sizeof *logp);
	}

	/* Forward: per-sample nll and smoothing terms, and D. */
	for (n = 0; n < N; n++) {
		logp = &MAT_AT(&r->grad, n, 0);
		to_index(t->v[n], &y);
		if (y == o->ignore_index) {
			MAT_AT(&r->elem, 0, n) = 0.0;
			continue;
		}
		wy = o->weight != NULL ? o->weight->v[y] : 1.0;
		D += wy;
		nll = -wy * logp[y];
		snll += nll;
		if (!smoothing) {
			MAT_AT(&r->elem, 0, n) = nll;
			continue;
		}
		sm = 0.0;
		for (c = 0; c < C; c++)
			sm += o->weight != NULL ? logp[c] * o->weight->v[c] :
			    logp[c];
		sm = -sm;
		ssm += sm;
		MAT_AT(&r->elem, 0, n) = (1.0 - eps) * nll +
		    sm * (eps / (double)C);
	}

	/* Reduction. */
	if (o->reduction == LOSS_REDUCTION_MEAN) {
		r->denom = D;
		r->value = smoothing ?
		    (1.0 - eps) * (snll / D) + (ssm / D) * (eps / (double)C) :
		    snll / D;
		gnll = -((smoothing ? 1.0 - eps : 1.0) / D);
		gsm = (eps / (double)C) / D;
	} else {
		r->denom = 1;
		if (o->reduction == LOSS_REDUCTION_NONE)
			r->value = mat_sum(&r->elem);
		else if (smoothing)
			r->value = (1.0 - eps) * snll + ssm * (eps / (double)C);
		else
			r->value = snll;
		gnll = -(smoothing ? 1.0 - eps : 1.0);
		gsm = eps / (double)C;
	}

	/* Backward, row by row: gl = dL/dlogp, then log_softmax (ce); every
	   entry of gl is set before it is read. */
	if (C != 0 && (gl = malloc(C * sizeof *gl)) == NULL)
		return err_set(e, "out of memory");
	for (n = 0; n < N && C != 0; n++) {
		lp = &MAT_AT(&r->grad, n, 0);
		to_index(t->v[n], &y);
		ignored = y == o->ignore_index;
		for (c = 0; c < C; c++) {
			gl[c] = 0.0;
			if (!ignored && smoothing) {
				wc = o->weight != NULL ? o->weight->v[c] : 1.0;
				gl[c] = -(gsm * wc);
			}
		}
		if (!ignored)
			gl[y] += (o->weight != NULL ? o->weight->v[y] : 1.0) * gnll;
		if (id == LOSS_NLL)
			memcpy(lp, gl, C * sizeof *lp);
		else {
			log_softmax_backward(lp, gl, C);
			memcpy(lp, gl, C * sizeof *lp);
		}
	}
	free(gl);
	return 0;
}

/* gl_nc = -(gs w_c) y'_c of the class-probability path below. */
static inline double
prob_gl(const struct mat *t, const struct loss_opts *o, size_t n, size_t c,
    double eps, double gs)
{
	double	yc = MAT_AT(t, n, c), wc;

	if (eps > 0.0)
		yc = yc * (1.0 - eps) + eps / (double)t->cols;
	wc = o->weight != NULL ? o->weight->v[c] : 1.0;
	return -(gs * wc) * yc;
}

/*
 * Class-probability path (ce, target with the input's shape):
 *   y' = y (1 - eps) + eps / C   (eps > 0),   l_n = -sum_c logp_nc y'_nc w_c
 *   mean = sum_n l_n / (numel / C)   (weights not normalised)
 *   dx_j = -(g w_j) y'_j - p_j sum_c (-(g w_c) y'_c)
 */
static int
loss_ce_prob(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r, struct err *e)
{
	size_t		 N = x->ndim == 2 ? x->rows : 1, C = x->cols, n, c;
	size_t		 numel = mat_numel(x);
	struct shape	 se;
	double		 eps = o->label_smoothing, denom, gs, yc, wc, s;
	double		*lp, p[VBLOCK];
	size_t		 c0, k;
	char		 b1[64];

	if (o->ignore_index >= 0)
		return err_set(e, "ignore_index is not supported for floating "
		    "point target");
	if (o->weight != NULL &&
	    (o->weight->ndim != 1 || o->weight->cols != C))
		return err_set(e, "cross_entropy: weight tensor should be "
		    "defined either for all %zu classes or no classes but got "
		    "weight tensor of shape: %s", C,
		    mat_shape_str(o->weight, b1, sizeof b1));
	if (check_smoothing(o, e) != 0)
		return -1;
	se.nd = 1;
	se.rows = 1;
	se.cols = N;
	if ((C != 0 ? alloc_result_uninit(r, &se, x, e) :
	    alloc_result(r, &se, x, e)) != 0)
		return -1;
	r->elem_scalar = x->ndim == 1;
	if (o->float32 && loss_f32_compute(LOSS_CE, x, t, o, r))
		return 0;
	/* numel / C is an integer division in torch (= N). */
	denom = C != 0 ? (double)(numel / C) : 0.0;
	gs = grad_scale(o->reduction, denom);
	for (n = 0; n < N && C != 0; n++) {
		lp = &MAT_AT(&r->grad, n, 0);
		activation_log_softmax(&MAT_AT(x, n, 0), lp, C);
		s = 0.0;
		for (c = 0; c < C; c++) {
			yc = MAT_AT(t, n, c);
			if (eps > 0.0)
				yc = yc * (1.0 - eps) + eps / (double)C;
			wc = o->weight != NULL ? o->weight->v[c] : 1.0;
			s += lp[c] * yc * wc;
		}
		MAT_AT(&r->elem, 0, n) = -s;
	}
	/* Backward: gl_c = -(gs w_c) y'_c, then log_softmax backward (gl is
	   formed twice, for its sum and then a block at a time). */
	for (n = 0; n < N && C != 0; n++) {
		lp = &MAT_AT(&r->grad, n, 0);
		s = 0.0;
		for (c = 0; c < C; c++)
			s += prob_gl(t, o, n, c, eps, gs);
		for (c0 = 0; c0 < C; c0 += k) {
			k = C - c0 < VBLOCK ? C - c0 : VBLOCK;
			vmath_exp(lp + c0, p, k);
			for (c = c0; c < c0 + k; c++)
				lp[c] = prob_gl(t, o, n, c, eps, gs) -
				    p[c - c0] * s;
		}
	}
	/* -(sum ...): an empty sum is -0, as torch returns. */
	s = 0.0;
	for (n = 0; n < N; n++)
		s += -MAT_AT(&r->elem, 0, n);
	if (is_mean(o->reduction)) {
		r->denom = denom;
		r->value = numel == 0 ? NAN : -s / denom;
	} else {
		r->denom = 1;
		r->value = -s;
	}
	return 0;
}

/* --- MultiLabelSoftMarginLoss -------------------------------------------- */

/* log_sigmoid backward (torch's CPU kernel), z = exp(-|x|):
   x < 0: 1 - z / (1 + z);  x >= 0: z / (1 + z).  NaN for NaN. */
static double
log_sigmoid_deriv(double x)
{
	double	z = exp(-fabs(x));

	if (x < 0)
		return 1.0 - z / (1.0 + z);
	return 0.0 - (-1.0) * (z / (1.0 + z));
}

/*
 * nn.MultiLabelSoftMarginLoss, torch's Python composite:
 *   l_nc = -(y log_sigmoid(x) + (1 - y) log_sigmoid(-x)) w_c
 *   L_n  = sum_c l_nc / C       (C = input.size(-1); 0-d for a 1-D input)
 *   mean = sum_n L_n / N
 *   dx   = D(x) (-(g w) y) - D(-x) (-(g w) (1 - y)),  g = 1/(N C) or 1/C
 * The target and the weight broadcast against the input (torch names the
 * target "a" and the input "b"; then the loss "a" and the weight "b"); we
 * refuse a broadcast that would grow the output beyond the input's shape,
 * which torch would compute (a divergence for a corner nobody means).
 */
static int
loss_mlsm(const struct mat *x, const struct mat *t, const struct loss_opts *o,
    struct loss_result *r, struct err *e)
{
	struct shape	 sx = shape_of(x), st = shape_of(t), out, se;
	size_t		 N = sx.rows, C = sx.cols, n, c;
	double		 gs, g, sum, xv, yv, w, gw;

	if (bcast_infer(&st, &sx, &out, e) != 0)
		return -1;
	if (!shape_eq(&out, &sx)) {
		/* torch would broadcast the input up to `out` (it raises
		   nothing here), so the message is losslab's own */
		char	 b1[64], b2[64], b3[64];

		return err_set(e, "the target's shape %s would broadcast the "
		    "input's shape %s to %s: losslab computes on the input's "
		    "shape only", shape_str(&st, b1, sizeof b1),
		    shape_str(&sx, b2, sizeof b2),
		    shape_str(&out, b3, sizeof b3));
	}
	if (o->weight != NULL && bcast_keep(&sx, o->weight, 1, e) != 0)
		return -1;
	se.nd = 1;
	se.rows = 1;
	se.cols = N;
	if (alloc_result(r, &se, x, e) != 0)
		return -1;
	r->elem_scalar = x->ndim == 1;
	gs = grad_scale(o->reduction, (double)N);
	/* torch: mean backward 1/N, then the /C backward. */
	g = gs / (double)C;
	for (n = 0; n < N; n++) {
		sum = 0.0;
		for (c = 0; c < C; c++) {
			xv = MAT_AT(x, n, c);
			yv = bget(t, n, c);
			w = o->weight != NULL ? bget(o->weight, n, c) : 1.0;
			sum += -(yv * activation_log_sigmoid(xv) +
			    (1.0 - yv) * activation_log_sigmoid(-xv)) * w;
			gw = g * w;
			MAT_AT(&r->grad, n, c) =
			    log_sigmoid_deriv(xv) * (-gw * yv) -
			    log_sigmoid_deriv(-xv) * (-gw * (1.0 - yv));
		}
		/* C == 0 gives 0/0 = NaN per row, as torch. */
		MAT_AT(&r->elem, 0, n) = sum / (double)C;
	}
	reduce_elem(r, o->reduction, (double)N);
	return 0;
}

/* --- MultiMarginLoss ------------------------------------------------------ */

/*
 * nn.MultiMarginLoss (torch's CPU kernel):
 *   z_i = margin - x[y] + x[i]   (i != y)
 *   L_n = (1/C) sum_{i != y, z_i > 0} w[y] z_i^p     (w[y] outside the power)
 *   mean = sum L_n / N
 * z > 0 is strict and NaN compares false, so a NaN score in another column
 * is silently ignored.  Backward: gg = 1/(N C) (mean) or 1/C; for z_i > 0:
 * h = w[y] (p == 1 ? gg : 2 gg z_i); dx_i = h; dx_y -= h.
 * Divergences: torch 1.13 does not check the weight's length (it reads out
 * of bounds) -- we refuse it with the wording of ce; and on an empty (0, C)
 * batch torch returns uninitialised memory for mean/sum -- we return
 * 0/0 = NaN and 0.
 */
static int
loss_multi_margin(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r, struct err *e)
{
	size_t		 N = x->ndim == 2 ? x->rows : 1, C = x->cols, n, i;
	struct shape	 se;
	double		 gg, xy, z, h, sum, wy, gy;
	long		 y = 0;
	char		 b1[64];

	if (o->p != 1 && o->p != 2)
		return err_set(e, "only p == 1 and p == 2 supported");
	if (o->weight != NULL && o->weight->ndim != 1)
		return err_set(e, "weight must be one-dimensional");
	if (C == 0)
		return err_set(e, "Expected non-empty vector or matrix with "
		    "optional 0-dim batch size, but got: %s",
		    mat_shape_str(x, b1, sizeof b1));
	if (t->ndim != 1 || t->cols != N)
		return err_set(e, "inconsistent target size, got: %s",
		    mat_shape_str(t, b1, sizeof b1));
	if (o->weight != NULL && o->weight->cols != C)
		return err_set(e, "weight tensor should be defined either for "
		    "all %zu classes or no classes but got weight tensor of "
		    "shape: %s", C, mat_shape_str(o->weight, b1, sizeof b1));
	for (n = 0; n < N; n++)
		if (to_index(t->v[n], &y) != 0)
			return err_set(e, "expected scalar type Long but found "
			    "Float");
	for (n = 0; n < N; n++) {
		to_index(t->v[n], &y);
		if (y < 0 || (size_t)y >= C)
			return err_set(e, "target out of range");
	}
	se.nd = 1;
	se.rows = 1;
	se.cols = N;
	if (alloc_result(r, &se, x, e) != 0)
		return -1;
	r->index_target = 1;
	r->elem_scalar = x->ndim == 1;
	gg = is_mean(o->reduction) ? 1.0 / (double)(N * C) : 1.0 / (double)C;
	for (n = 0; n < N; n++) {
		to_index(t->v[n], &y);
		xy = MAT_AT(x, n, y);
		wy = o->weight != NULL ? o->weight->v[y] : 1.0;
		sum = 0.0;
		gy = 0.0;
		for (i = 0; i < C; i++) {
			if (i == (size_t)y)
				continue;
			z = o->margin - xy + MAT_AT(x, n, i);
			if (z > 0) {
				h = o->p == 1 ? z : z * z;
				if (o->weight != NULL)
					h *= wy;
				sum += h;
				h = o->p == 1 ? gg : 2 * gg * z;
				if (o->weight != NULL)
					h *= wy;
				gy -= h;
				MAT_AT(&r->grad, n, i) = h;
			} else
				MAT_AT(&r->grad, n, i) = 0.0;
		}
		MAT_AT(&r->grad, n, y) = gy;
		MAT_AT(&r->elem, 0, n) = sum / (double)C;
	}
	reduce_elem(r, o->reduction, (double)N);
	return 0;
}

/* --- SoftMarginLoss ------------------------------------------------------- */

/*
 * nn.SoftMarginLoss:  l = log(exp((-x) y) + 1),  mean over numel,
 *   dx = ((y z) (-norm)) / (z + 1) g,   z = exp(-y x)
 * Deliberate divergence: torch evaluates this literally, so where
 * exp(-y x) overflows (-y x > 709.78) it returns inf with a NaN gradient.
 * There we return the mathematically right value
 *   log(1 + exp(t)) = t + log1p(exp(-t)),  t = -y x,
 * and its finite gradient -y norm g (z / (z + 1) -> 1).  Everywhere else
 * the literal formula is kept, so values agree with torch bit for bit.
 * The target broadcasts onto the input (input is "a"), never beyond it.
 */
static int
loss_soft_margin(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r, struct err *e)
{
	struct shape	 sx = shape_of(x);
	size_t		 i, j, n = mat_numel(x);
	double		 norm, xv, yv, tt, ez, l, d;

	if (bcast_keep(&sx, t, 1, e) != 0)
		return -1;
	if (alloc_result(r, &sx, x, e) != 0)
		return -1;
	norm = grad_scale(o->reduction, (double)n);
	for (i = 0; i < sx.rows; i++) {
		for (j = 0; j < sx.cols; j++) {
			xv = MAT_AT(x, i, j);
			yv = bget(t, i, j);
			tt = (-xv) * yv;
			ez = exp(tt);
			if (isinf(ez) && tt > 0) {
				/* the stable form where torch overflows */
				l = tt + log1p(exp(-tt));
				d = (yv * (-norm));
			} else {
				l = log(ez + 1.0);
				/* torch's backward uses exp(-y x) */
				ez = exp((-yv) * xv);
				d = (yv * ez) * (-norm) / (ez + 1.0);
			}
			MAT_AT(&r->elem, i, j) = l;
			MAT_AT(&r->grad, i, j) = d;
		}
	}
	reduce_elem(r, o->reduction, (double)n);
	return 0;
}

/* --- KLDivLoss ------------------------------------------------------------ */

/* torch.xlogy(y, y): NaN if y is NaN, 0 if y == 0, else y log y. */
static double
xlogy_self(double y)
{
	if (isnan(y))
		return NAN;
	if (y == 0.0)
		return 0.0;
	return y * log(y);
}

/*
 * nn.KLDivLoss, the 1.13 composite (input = log q, target = p):
 *   log_target = 0:  l = xlogy(y, y) - y x         dx = -(g y)
 *   log_target = 1:  l = exp(y) (y - x)            dx = -(g exp(y))
 *   mean = sum / numel(output);  batchmean = sum / input.size(0)
 * Input and target broadcast (torch names the target "a"); the 'none'
 * output has the broadcast shape, and the gradient sums over the
 * dimensions along which the input was broadcast.
 */
static int
loss_kl_div(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r, struct err *e)
{
	struct shape	 sx = shape_of(x), st = shape_of(t), out;
	size_t		 i, j, n0;
	double		 denom, gs, xv, yv;

	if (bcast_infer(&st, &sx, &out, e) != 0)
		return -1;
	if (alloc_result(r, &out, x, e) != 0)
		return -1;
	/* input.size(0): rows of a 2-D input, the length of a 1-D one */
	n0 = x->ndim == 2 ? x->rows : x->cols;
	denom = o->reduction == LOSS_REDUCTION_BATCHMEAN ? (double)n0 :
	    (double)shape_numel(&out);
	gs = grad_scale(o->reduction, denom);
	for (i = 0; i < out.rows; i++) {
		for (j = 0; j < out.cols; j++) {
			xv = bget(x, i, j);
			yv = bget(t, i, j);
			/* the gradient sums where the input was broadcast */
			if (o->log_target) {
				MAT_AT(&r->elem, i, j) = exp(yv) * (yv - xv);
				r->grad.v[bidx(x, i, j)] += -(gs * exp(yv));
			} else {
				MAT_AT(&r->elem, i, j) = xlogy_self(yv) - yv * xv;
				r->grad.v[bidx(x, i, j)] += -(gs * yv);
			}
		}
	}
	reduce_elem(r, o->reduction, denom);
	return 0;
}

/* --- sigmoid_focal_loss ---------------------------------------------------- */

/*
 * torchvision.ops.sigmoid_focal_loss:
 *   p = s(x);  ce = BCEWithLogits(x, y) (the 1.13 form above)
 *   p_t = p y + (1 - p)(1 - y);  FL = a_t (1 - p_t)^gamma ce
 *   a_t = alpha y + (1 - alpha)(1 - y)   (alpha < 0: a_t = 1)
 *   mean = sum / numel
 * Gradient by the chain rule in autograd's order (g folded in):
 *   g0 = g a_t;  g_ce = g0 q^gamma;  g_q = g0 ce gamma q^(gamma-1)  (0 if
 *   gamma == 0, torch's pow backward);  g_p = -g_q y + g_q (1 - y);
 *   dx = (p - y) g_ce + g_p (1 - p) p,   q = 1 - p_t.
 */
static int
loss_focal(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r, struct err *e)
{
	struct shape	 sx = shape_of(x);
	size_t		 i, n = mat_numel(x);
	double		 gs, xv, yv, p, ce, pt, q, mod, at, g0, gce, gq, gpt;
	double		 gp;
	char		 b1[80], b2[80];

	if (!mat_same_shape(x, t))
		return err_set(e, "Target size (%s) must be the same as input "
		    "size (%s)", torch_size(t, b1, sizeof b1),
		    torch_size(x, b2, sizeof b2));
	if (alloc_result(r, &sx, x, e) != 0)
		return -1;
	gs = grad_scale(o->reduction, (double)n);
	for (i = 0; i < n; i++) {
		xv = x->v[i];
		yv = t->v[i];
		p = activation_sigmoid(xv);
		ce = bcewl_value(xv, yv, NULL);
		pt = p * yv + (1.0 - p) * (1.0 - yv);
		q = 1.0 - pt;
		mod = pow(q, o->gamma);
		at = o->alpha >= 0 ?
		    o->alpha * yv + (1.0 - o->alpha) * (1.0 - yv) : 1.0;
		r->elem.v[i] = o->alpha >= 0 ? at * (ce * mod) : ce * mod;
		g0 = o->alpha >= 0 ? gs * at : gs;
		gce = g0 * mod;
		gq = o->gamma == 0.0 ? 0.0 :
		    (g0 * ce) * (o->gamma * pow(q, o->gamma - 1.0));
		gpt = -gq;
		gp = gpt * yv - gpt * (1.0 - yv);
		r->grad.v[i] = bcewl_grad(xv, yv, NULL, gce) +
		    gp * (1.0 - p) * p;
	}
	reduce_elem(r, o->reduction, (double)n);
	return 0;
}

/* --- dispatch ----------------------------------------------------------- */

/* The options' checks every entry point makes first. */
static int
opts_check(enum loss_id id, const struct loss_opts *o, struct err *e)
{
	if ((int)o->reduction < 0 || o->reduction > LOSS_REDUCTION_BATCHMEAN)
		return err_set(e, "unknown reduction");
	if (o->reduction == LOSS_REDUCTION_BATCHMEAN && id != LOSS_KL_DIV)
		return err_set(e, "batchmean is only valid for kl-div");
	if (o->weight != NULL && !loss_has_option(id, "weight"))
		return err_set(e, "%s takes no weight", loss_name(id));
	if (o->pos_weight != NULL && !loss_has_option(id, "pos-weight"))
		return err_set(e, "%s takes no pos_weight (only bce-logits "
		    "does)", loss_name(id));
	if (o->weight != NULL && !mat_ok(o->weight))
		return err_set(e, "the weight must be a 1-D or 2-D array");
	if (o->pos_weight != NULL && !mat_ok(o->pos_weight))
		return err_set(e, "the pos_weight must be a 1-D or 2-D array");
	return 0;
}

int
loss_eval(enum loss_id id, const struct mat *input, const struct mat *target,
    const struct loss_opts *o, struct loss_result *r, struct err *e)
{
	static const struct loss_result	 zero = LOSS_RESULT_INIT;
	struct loss_opts		 defaults;
	int				 rc;

	*r = zero;
	if (o == NULL) {
		loss_opts_init(&defaults);
		o = &defaults;
	}
	if ((int)id < 0 || id >= LOSS_COUNT)
		return err_set(e, "unknown loss");
	if (!mat_ok(input))
		return err_set(e, "the input must be a 1-D or 2-D array");
	if (!mat_ok(target))
		return err_set(e, "the target must be a 1-D or 2-D array");
	if (opts_check(id, o, e) != 0)
		return -1;
	if (!f32_storage_ok(id, input, target, o))
		return err_set(e, "float32 storage is read only by ce and nll "
		    "with class indices in float32");

	switch (id) {
	case LOSS_BCE:
		rc = loss_bce(input, target, o, r, e);
		break;
	case LOSS_BCE_LOGITS:
		rc = loss_bce_logits(input, target, o, r, e);
		break;
	case LOSS_CE:
		/* torch's dispatch: same shape = class probabilities */
		if (mat_same_shape(input, target))
			rc = loss_ce_prob(input, target, o, r, e);
		else
			rc = loss_index(id, input, target, o, r, e);
		break;
	case LOSS_NLL:
		rc = loss_index(id, input, target, o, r, e);
		break;
	case LOSS_MULTILABEL_SOFT_MARGIN:
		rc = loss_mlsm(input, target, o, r, e);
		break;
	case LOSS_MULTI_MARGIN:
		rc = loss_multi_margin(input, target, o, r, e);
		break;
	case LOSS_SOFT_MARGIN:
		rc = loss_soft_margin(input, target, o, r, e);
		break;
	case LOSS_KL_DIV:
		rc = loss_kl_div(input, target, o, r, e);
		break;
	case LOSS_FOCAL:
		rc = loss_focal(input, target, o, r, e);
		break;
	default:
		rc = err_set(e, "unknown loss");
		break;
	}
	if (rc != 0) {
		loss_result_free(r);
		*r = zero;
	} else if (o->float32)
		loss_f32_round(r);
	return rc;
}

/* --- N-D inputs ----------------------------------------------------------- */

/*
 * Torch's shapes beyond two dimensions, mapped onto the 2-D paths above so
 * that no formula exists twice.  ce/nll put the class dimension second:
 * (N, C, d1..dk) is read as N*D rows of C classes (D = d1*...*dk, row
 * n*D + s holding x[n, :, s]), the index target (N, d1..dk) is already in
 * that row order, and the gradient is put back in the input's layout.
 * multilabel-soft-margin's classes are the last dimension, so its view is
 * (d0*...*d(k-1), dk) with no permutation; so is the element-wise losses'
 * (for kl-div (d0, rest), so that batchmean still divides by input.size(0)).
 */

const char *
loss_shape_str(const struct loss_shape *s, char *buf, size_t len)
{
	size_t	o = 0;
	int	i, n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	n = snprintf(buf, len, "[");
	o = n > 0 ? (size_t)n : 0;
	for (i = 0; i < s->ndim && o < len; i++) {
		n = snprintf(buf + o, len - o, "%s%zu", i > 0 ? ", " : "",
		    s->dim[i]);
		o += n > 0 ? (size_t)n : 0;
	}
	if (o < len)
		snprintf(buf + o, len - o, "]");
	return buf;
}

static size_t
nd_numel(const struct loss_shape *s, int from, int to)
{
	size_t	n = 1;
	int	i;

	for (i = from; i < to; i++)
		n *= s->dim[i];
	return n;
}

static int
nd_eq(const struct loss_shape *a, const struct loss_shape *b)
{
	int	i;

	if (a->ndim != b->ndim)
		return 0;
	for (i = 0; i < a->ndim; i++)
		if (a->dim[i] != b->dim[i])
			return 0;
	return 1;
}

/* A borrowed 2-D (or 1-D) view of v; never freed. */
static struct mat
view(int ndim, size_t rows, size_t cols, const double *v)
{
	struct mat	m;

	m.ndim = ndim;
	m.rows = ndim == 2 ? rows : 1;
	m.cols = cols;
	m.v = (double *)(uintptr_t)v;
	return m;
}

/* (N, C, D) -> (N*D, C) when back == 0, the inverse when back != 0. */
static void
permute_cd(const double *src, double *dst, size_t N, size_t C, size_t D,
    int back)
{
	size_t	n, c, s;

	for (n = 0; n < N; n++)
		for (c = 0; c < C; c++)
			for (s = 0; s < D; s++) {
				size_t	a = (n * C + c) * D + s;
				size_t	b = (n * D + s) * C + c;

				if (back)
					dst[a] = src[b];
				else
					dst[b] = src[a];
			}
}

/* Make r's elem and grad flat 1-D mats (the values stay in place). */
static void
flatten_result(struct loss_result *r)
{
	r->elem.cols = mat_numel(&r->elem);
	r->elem.rows = 1;
	r->elem.ndim = 1;
	r->grad.cols = mat_numel(&r->grad);
	r->grad.rows = 1;
	r->grad.ndim = 1;
}

/* The shape checks of torch's nll_loss_nd for an input of 3+ dimensions. */
static int
nd_index_shapes(const struct loss_shape *xs, const struct loss_shape *ts,
    struct err *e)
{
	char	b1[256], b2[256];
	int	i, ok;

	if (ts->ndim >= 1 && ts->dim[0] != xs->dim[0])
		return err_set(e, "Expected input batch_size (%zu) to match "
		    "target batch_size (%zu).", xs->dim[0], ts->dim[0]);
	if (ts->ndim == 0)
		return err_set(e, "Expected input batch_size (%zu) to match "
		    "target batch_size (1).", xs->dim[0]);
	if (xs->ndim == 4) {
		/* nll_loss2d's own checks and wording */
		if (ts->ndim != 3)
			return err_set(e, "only batches of spatial targets "
			    "supported (3D tensors) but got targets of "
			    "dimension: %d", ts->ndim);
		ok = ts->dim[1] == xs->dim[2] && ts->dim[2] == xs->dim[3];
		if (!ok)
			return err_set(e, "size mismatch (got input: %s , "
			    "target: %s", loss_shape_str(xs, b1, sizeof b1),
			    loss_shape_str(ts, b2, sizeof b2));
		return 0;
	}
	ok = ts->ndim == xs->ndim - 1;
	for (i = 1; ok && i < ts->ndim; i++)
		ok = ts->dim[i] == xs->dim[i + 1];
	if (!ok) {
		struct loss_shape	want;

		want.ndim = xs->ndim - 1;
		want.dim[0] = xs->dim[0];
		for (i = 1; i < want.ndim; i++)
			want.dim[i] = xs->dim[i + 1];
		return err_set(e, "Expected target size %s, got %s",
		    loss_shape_str(&want, b1, sizeof b1),
		    loss_shape_str(ts, b2, sizeof b2));
	}
	return 0;
}

/* ce/nll on 3+ dimensions: permute, the 2-D path, permute back. */
static int
nd_class_dim(enum loss_id id, const double *x, const struct loss_shape *xs,
    const double *t, const struct loss_shape *ts, const struct loss_opts *o,
    struct loss_result *r, struct loss_shape *es, struct err *e)
{
	size_t		 N = xs->dim[0], C = xs->dim[1];
	size_t		 D = nd_numel(xs, 2, xs->ndim), n = N * C * D;
	int		 prob = id == LOSS_CE && nd_eq(xs, ts), rc, i;
	double		*xp = NULL, *tp = NULL, *g = NULL;
	struct mat	 mx, mt;

	if (!prob && nd_index_shapes(xs, ts, e) != 0)
		return -1;
	if (n > 0 && ((xp = malloc(n * sizeof *xp)) == NULL ||
	    (prob && (tp = malloc(n * sizeof *tp)) == NULL) ||
	    (g = malloc(n * sizeof *g)) == NULL)) {
		free(xp);
		free(tp);
		return err_set(e, "out of memory");
	}
	permute_cd(x, xp, N, C, D, 0);
	mx = view(2, N * D, C, xp);
	if (prob) {
		permute_cd(t, tp, N, C, D, 0);
		mt = view(2, N * D, C, tp);
		rc = loss_ce_prob(&mx, &mt, o, r, e);
	} else {
		mt = view(1, 1, N * D, t);
		rc = loss_index(id, &mx, &mt, o, r, e);
	}
	if (rc == 0 && o->float32)
		loss_f32_round(r);
	if (rc == 0) {
		permute_cd(r->grad.v, g, N, C, D, 1);
		if (n > 0)
			memcpy(r->grad.v, g, n * sizeof *g);
		flatten_result(r);
		r->elem_scalar = 0;
		es->ndim = xs->ndim - 1;
		es->dim[0] = N;
		for (i = 2; i < xs->ndim; i++)
			es->dim[i - 1] = xs->dim[i];
	}
	free(xp);
	free(tp);
	free(g);
	return rc;
}

/* Whether a weight may be taken to an N-D view: none, or 1-D. */
static int
nd_weight_ok(const struct mat *w, struct err *e)
{
	if (w == NULL || w->ndim == 1)
		return 0;
	return err_set(e, "losslab takes a weight for inputs of 3 or more "
	    "dimensions only as a 1-D tensor (one value per entry of the "
	    "last dimension)");
}

int
loss_eval_nd(enum loss_id id, const double *x, const struct loss_shape *xs,
    const double *t, const struct loss_shape *ts, const struct loss_opts *o,
    struct loss_result *r, struct loss_shape *es, struct err *e)
{
	static const struct loss_result	 zero = LOSS_RESULT_INIT;
	struct loss_opts		 defaults;
	struct mat			 mx, mt;
	char				 b1[256], b2[256];
	size_t				 lead, last;
	int				 i, rc;

	*r = zero;
	es->ndim = 0;
	if (o == NULL) {
		loss_opts_init(&defaults);
		o = &defaults;
	}
	if ((int)id < 0 || id >= LOSS_COUNT)
		return err_set(e, "unknown loss");
	if (xs->ndim < 0 || xs->ndim > LOSS_MAX_NDIM || ts->ndim < 0 ||
	    ts->ndim > LOSS_MAX_NDIM)
		return err_set(e, "too many dimensions");

	/* Up to two dimensions: loss_eval itself, 0-d values as 1-D. */
	if (xs->ndim <= 2 && ts->ndim <= 2) {
		size_t	xr = xs->ndim == 2 ? xs->dim[0] : 1;
		size_t	xc = xs->ndim == 0 ? 1 : xs->dim[xs->ndim - 1];
		size_t	tr = ts->ndim == 2 ? ts->dim[0] : 1;
		size_t	tc = ts->ndim == 0 ? 1 : ts->dim[ts->ndim - 1];

		if (xs->ndim == 0 && (id == LOSS_CE || id == LOSS_NLL))
			return err_set(e, "Expected 1 or more dimensions "
			    "(got 0)");
		mx = view(xs->ndim == 2 ? 2 : 1, xr, xc, x);
		mt = view(ts->ndim == 2 ? 2 : 1, tr, tc, t);
		if ((id == LOSS_CE || id == LOSS_NLL) && xs->ndim == 1) {
			/* (C) takes a 0-d index (even when C == 1, where the
			   one-value 1-D view would read as probabilities); a
			   1-D target is a size mismatch unless it is ce's
			   probabilities */
			if (ts->ndim == 0) {
				if ((rc = opts_check(id, o, e)) == 0)
					rc = loss_index(id, &mx, &mt, o, r, e);
				if (rc != 0) {
					loss_result_free(r);
					*r = zero;
				} else if (o->float32)
					loss_f32_round(r);
				goto done2;
			}
			if (!(id == LOSS_CE && nd_eq(xs, ts)) && ts->ndim == 1)
				return err_set(e, "size mismatch (got input: "
				    "%s, target: %s)",
				    loss_shape_str(xs, b1, sizeof b1),
				    loss_shape_str(ts, b2, sizeof b2));
		}
		rc = loss_eval(id, &mx, &mt, o, r, e);
done2:
		if (rc != 0)
			return rc;
		/* the 'none' output's shape */
		if (r->elem_scalar || ((id == LOSS_CE || id == LOSS_NLL ||
		    id == LOSS_MULTI_MARGIN ||
		    id == LOSS_MULTILABEL_SOFT_MARGIN) && xs->ndim <= 1))
			es->ndim = 0;
		else if (r->elem.ndim == 2) {
			es->ndim = 2;
			es->dim[0] = r->elem.rows;
			es->dim[1] = r->elem.cols;
		} else if (xs->ndim == 0 && ts->ndim == 0)
			es->ndim = 0;
		else {
			es->ndim = 1;
			es->dim[0] = r->elem.cols;
		}
		flatten_result(r);
		return 0;
	}

	switch (id) {
	case LOSS_CE:
	case LOSS_NLL:
		if (xs->ndim <= 2)	/* a target of 3+ dimensions */
			return ts->ndim > 1 && xs->ndim == 2 ?
			    err_set(e, "0D or 1D target tensor expected, "
			    "multi-target not supported") :
			    err_set(e, "Expected target size %s, got %s",
			    loss_shape_str(xs, b1, sizeof b1),
			    loss_shape_str(ts, b2, sizeof b2));
		if (opts_check(id, o, e) != 0)
			return -1;
		return nd_class_dim(id, x, xs, t, ts, o, r, es, e);
	case LOSS_MULTI_MARGIN:
		return err_set(e, "Expected non-empty vector or matrix with "
		    "optional 0-dim batch size, but got: %s",
		    loss_shape_str(xs, b1, sizeof b1));
	default:
		break;
	}

	/* Element-wise losses and multilabel-soft-margin: same shapes. */
	if (!nd_eq(xs, ts)) {
		loss_shape_str(ts, b1, sizeof b1);
		loss_shape_str(xs, b2, sizeof b2);
		if (id == LOSS_BCE)
			return err_set(e, "Using a target size (torch.Size(%s)) "
			    "that is different to the input size "
			    "(torch.Size(%s)) is deprecated. Please ensure "
			    "they have the same size.", b1, b2);
		if (id == LOSS_BCE_LOGITS || id == LOSS_FOCAL)
			return err_set(e, "Target size (torch.Size(%s)) must be "
			    "the same as input size (torch.Size(%s))", b1, b2);
		return err_set(e, "losslab needs a target of the input's shape "
		    "for inputs of 3 or more dimensions (got input %s, target "
		    "%s); torch would broadcast", b2, b1);
	}
	if (nd_weight_ok(o->weight, e) != 0 ||
	    nd_weight_ok(o->pos_weight, e) != 0)
		return -1;
	last = xs->ndim == 0 ? 1 : xs->dim[xs->ndim - 1];
	lead = nd_numel(xs, 0, xs->ndim - 1);
	if (id == LOSS_KL_DIV) {
		lead = xs->dim[0];
		last = nd_numel(xs, 1, xs->ndim);
	}
	mx = view(2, lead, last, x);
	mt = view(2, lead, last, t);
	rc = loss_eval(id, &mx, &mt, o, r, e);
	if (rc != 0)
		return rc;
	if (id == LOSS_MULTILABEL_SOFT_MARGIN) {
		es->ndim = xs->ndim - 1;
		for (i = 0; i < es->ndim; i++)
			es->dim[i] = xs->dim[i];
	} else
		*es = *xs;
	flatten_result(r);
	return 0;
}
