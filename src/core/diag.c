/*
 * diag.c -- warnings about loss calls that compute but are probably wrong.
 *
 * Each check looks at the loss, its input, its target and options (and, for
 * a few, the computed result) and appends a diagnostic with a stable id and
 * one English line that names what was seen and where ("row 2, column 0").
 * Checks never fail and never read outside the arrays they were given: a
 * check whose precondition on the shapes does not hold simply stays quiet,
 * so diag_check() is safe even on calls loss_eval() refused.
 *
 * Ids (stable; scripts and the explorer key on them):
 *   nonfinite-input, empty-batch, input-looks-like-probabilities,
 *   input-looks-like-softmax, multi-hot-target-for-ce,
 *   one-hot-target-for-bce-logits, target-out-of-range, all-targets-ignored,
 *   nll-input-not-log-probabilities, kl-mean-reduction,
 *   kl-input-not-log-probabilities, soft-margin-target-not-pm1,
 *   multilabel-target-minus-one, bce-input-saturated, differs-from-torch.
 *
 * differs-from-torch marks where losslab's answer deliberately is not what
 * torch 1.13 returns, and says what torch returns: soft-margin where torch's
 * float64 formula overflows (a warning on a computed result), and, through
 * diag_refusal(), the inputs loss_eval() refuses that torch would take
 * (negative or NaN label smoothing, a multi-margin weight of the wrong
 * length, a multilabel-soft-margin target or weight that would grow the
 * output).
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/activation.h"
#include "core/diag.h"
#include "core/vmath.h"

/* Where flat index i of m is, in words: "element 3" or "row 1, column 2". */
static const char *
where(const struct mat *m, size_t i, char *buf, size_t len)
{
	if (m->ndim == 2 && m->cols != 0)
		snprintf(buf, len, "row %zu, column %zu", i / m->cols,
		    i % m->cols);
	else
		snprintf(buf, len, "element %zu", i);
	return buf;
}

static void __attribute__((format(printf, 3, 4)))
add(struct diag_list *out, const char *id, const char *fmt, ...)
{
	va_list	ap;

	if (out->n >= DIAG_MAX)
		return;
	out->d[out->n].id = id;
	va_start(ap, fmt);
	vsnprintf(out->d[out->n].msg, sizeof out->d[out->n].msg, fmt, ap);
	va_end(ap);
	out->n++;
}

/* A usable array: ndim 1 or 2 and data present when not empty. */
static int
usable(const struct mat *m)
{
	if (m == NULL || (m->ndim != 1 && m->ndim != 2))
		return 0;
	if (m->ndim == 1 && m->rows != 1)
		return 0;
	return m->v != NULL || m->f32 != NULL || mat_numel(m) == 0;
}

static size_t
nrows(const struct mat *m)
{
	return m->ndim == 2 ? m->rows : 1;
}

/*
 * The full scans, a block at a time: each block's count is a loop without
 * branches (vectorised under VMATH_LOOPS, like vmath.c's), and only a
 * block that holds a hit is looked at value by value.  A NaN is never
 * inside [lo, hi] and never finite.
 */
#define DIAG_BLOCK	1024

VMATH_LOOPS_BEGIN
/* How many of v[0..n) are not finite; *first the first of them. */
static size_t
count_nonfinite(const double *v, size_t n, size_t *first)
{
	size_t	i, j, k, b, bad = 0;

	*first = n;
	for (i = 0; i < n; i += k) {
		k = n - i < DIAG_BLOCK ? n - i : DIAG_BLOCK;
		for (b = 0, j = 0; j < k; j++)
			b += !(fabs(v[i + j]) <= 1.7976931348623157e308);
		if (b != 0 && bad == 0)
			for (j = 0; j < k && *first == n; j++)
				if (!isfinite(v[i + j]))
					*first = i + j;
		bad += b;
	}
	return bad;
}

/* count_nonfinite of floats. */
static size_t
count_nonfinite_f(const float *v, size_t n, size_t *first)
{
	size_t	i, j, k, b, bad = 0;

	*first = n;
	for (i = 0; i < n; i += k) {
		k = n - i < DIAG_BLOCK ? n - i : DIAG_BLOCK;
		for (b = 0, j = 0; j < k; j++)
			b += !(fabsf(v[i + j]) <= 3.40282347e38f);
		if (b != 0 && bad == 0)
			for (j = 0; j < k && *first == n; j++)
				if (!isfinite(v[i + j]))
					*first = i + j;
		bad += b;
	}
	return bad;
}

/* The index of the first of v[0..n) outside [lo, hi] (or NaN), or n. */
static size_t
first_outside(const double *v, size_t n, double lo, double hi)
{
	size_t	i, j, k, b;

	for (i = 0; i < n; i += k) {
		k = n - i < DIAG_BLOCK ? n - i : DIAG_BLOCK;
		for (b = 0, j = 0; j < k; j++)
			b += !(v[i + j] >= lo && v[i + j] <= hi);
		if (b != 0)
			for (j = 0; j < k; j++)
				if (!(v[i + j] >= lo && v[i + j] <= hi))
					return i + j;
	}
	return n;
}
VMATH_LOOPS_END

/* n with a comma every three digits: "9,812". */
static const char *
thousands(size_t n, char *buf, size_t len)
{
	char	tmp[32];
	size_t	l, i, o = 0;

	snprintf(tmp, sizeof tmp, "%zu", n);
	l = strlen(tmp);
	for (i = 0; i < l && o + 2 < len; i++) {
		if (i > 0 && (l - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

/* Index of the first value > 0, or SIZE_MAX. */
static size_t
first_positive(const struct mat *m)
{
	size_t	i, n = mat_numel(m);

	for (i = 0; i < n; i++)
		if (m->v[i] > 0.0)
			return i;
	return (size_t)-1;
}

static void
check_nonfinite(const struct mat *x, size_t counted, struct diag_list *out)
{
	size_t	n = mat_numel(x), bad, first;
	char	w[64];

	if (counted == 0)
		return;
	bad = x->f32 != NULL ? count_nonfinite_f(x->f32, n, &first) :
	    count_nonfinite(x->v, n, &first);
	if (bad != 0)
		add(out, "nonfinite-input", "the input has %zu non-finite "
		    "value%s (the first, %g, at %s): the loss and its gradient "
		    "may be NaN or inf", bad, bad == 1 ? "" : "s",
		    x->f32 != NULL ? (double)x->f32[first] : x->v[first],
		    where(x, first, w, sizeof w));
}

static void
check_empty(enum loss_id id, const struct mat *x, struct diag_list *out)
{
	int	per_sample;
	char	s[64];

	per_sample = id == LOSS_CE || id == LOSS_NLL ||
	    id == LOSS_MULTI_MARGIN || id == LOSS_MULTILABEL_SOFT_MARGIN;
	if (mat_numel(x) == 0 || (per_sample && nrows(x) == 0))
		add(out, "empty-batch", "the batch is empty (input shape %s): "
		    "reduction mean gives 0/0 = NaN, sum gives 0",
		    mat_shape_str(x, s, sizeof s));
}

/* bce-logits, focal, multilabel-soft-margin: logits that look like p. */
static void
check_probabilities(enum loss_id id, const struct mat *x,
    struct diag_list *out)
{
	size_t	n = mat_numel(x);

	if (n == 0 || first_outside(x->v, n, 0.0, 1.0) != n)
		return;
	add(out, "input-looks-like-probabilities", "all %zu input values "
	    "lie in [0, 1]: these look like probabilities: was sigmoid "
	    "applied already? %s takes logits", n, loss_torch_name(id));
}

/* ce: every row non-negative and summing to 1 within 1e-6. */
static void
check_softmax(const struct mat *x, struct diag_list *out)
{
	size_t	i, j, N = nrows(x), C = x->cols, k = 0;
	double	s, v;
	char	b1[32], b2[32];
	int	row;

	if (N == 0 || C < 2 || mat_numel(x) == 0)
		return;
	for (i = 0; i < N; i++) {
		s = 0.0;
		row = 1;
		/* a negative value (or NaN) settles the row: logits' rows
		   stop at their first negative */
		for (j = 0; j < C && row; j++) {
			v = x->f32 != NULL ? (double)x->f32[i * C + j] :
			    MAT_AT(x, i, j);
			if (!(v >= 0.0))
				row = 0;
			s += v;
		}
		if (row && fabs(s - 1.0) <= 1e-6)
			k++;
	}
	/* A large batch where most rows but not all look like softmax
	   output (a few rows perturbed, or probabilities of another
	   model): the count says how many. */
	if (k < N && N >= 100 && k * 2 >= N) {
		add(out, "input-looks-like-softmax", "%s of %s rows are "
		    "non-negative and sum to 1: softmax output? "
		    "nn.CrossEntropyLoss applies log_softmax itself; pass the "
		    "raw logits", thousands(k, b1, sizeof b1),
		    thousands(N, b2, sizeof b2));
		return;
	}
	if (k < N)
		return;
	if (x->ndim == 1)
		add(out, "input-looks-like-softmax", "the input is non-negative "
		    "and sums to 1: this looks like softmax output, but "
		    "nn.CrossEntropyLoss applies log_softmax itself; pass the raw "
		    "logits");
	else
		add(out, "input-looks-like-softmax", "every input row (rows 0 to "
		    "%zu) is non-negative and sums to 1: this looks like softmax "
		    "output, but nn.CrossEntropyLoss applies log_softmax itself; "
		    "pass the raw logits", N - 1);
}

/* ce with probability targets: a row with several 1s or a sum above 1. */
static void
check_multi_hot(const struct mat *t, struct diag_list *out)
{
	size_t	i, j, N = nrows(t), C = t->cols, ones;
	double	s;

	for (i = 0; i < N && C != 0; i++) {
		s = 0.0;
		ones = 0;
		for (j = 0; j < C; j++) {
			s += MAT_AT(t, i, j);
			if (MAT_AT(t, i, j) == 1.0)
				ones++;
		}
		if (ones > 1 || s > 1.0 + 1e-6) {
			add(out, "multi-hot-target-for-ce", "target row %zu has "
			    "%zu ones and sums to %g: a multi-hot target means "
			    "multi-label classification, which needs "
			    "bce-logits (one sigmoid per class), not ce", i,
			    ones, s);
			return;
		}
	}
}

/* bce-logits with a 2-D target whose rows are all one-hot. */
static void
check_one_hot(const struct mat *t, struct diag_list *out)
{
	size_t	i, j, ones;
	double	v;

	if (t->ndim != 2 || t->rows == 0 || t->cols < 2)
		return;
	for (i = 0; i < t->rows; i++) {
		ones = 0;
		for (j = 0; j < t->cols; j++) {
			v = MAT_AT(t, i, j);
			if (v == 1.0)
				ones++;
			else if (v != 0.0)
				return;
		}
		if (ones != 1)
			return;
	}
	add(out, "one-hot-target-for-bce-logits", "every target row (%zu "
	    "rows) is one-hot: the classes are mutually exclusive, so use ce "
	    "with class indices (softmax over the classes) rather than %zu "
	    "independent sigmoids", t->rows, t->cols);
}

/* bce, bce-logits, focal: targets outside [0, 1] (torch 1.13 accepts). */
static void
check_target_range(const struct mat *t, struct diag_list *out)
{
	size_t	i, n = mat_numel(t);
	char	w[64];

	if ((i = first_outside(t->v, n, 0.0, 1.0)) < n)
		add(out, "target-out-of-range", "target value %g at %s is "
		    "outside [0, 1]: torch 1.13 does not check, and the loss "
		    "can turn negative", t->v[i], where(t, i, w, sizeof w));
}

/* ce/nll with class indices: every target ignored, or zero total weight. */
static void
check_ignored(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct diag_list *out)
{
	size_t	i, N = nrows(x), C = x->cols;
	double	D = 0.0, v;
	int	any = 0;

	if (o->reduction != LOSS_REDUCTION_MEAN || N == 0 ||
	    mat_same_shape(x, t) || t->ndim != 1 ||
	    t->cols != (x->ndim == 2 ? N : 1))
		return;
	for (i = 0; i < t->cols; i++) {
		v = t->v[i];
		if (v == (double)o->ignore_index)
			continue;
		any = 1;
		if (v != floor(v) || !(v >= 0.0 && v < (double)C))
			return;		/* loss_eval refuses it anyway */
		if (o->weight == NULL)
			D += 1.0;
		else if (o->weight->ndim == 1 && o->weight->cols == C &&
		    o->weight->v != NULL)
			D += o->weight->v[(size_t)v];
		else
			return;
	}
	if (!any)
		add(out, "all-targets-ignored", "all %zu targets equal "
		    "ignore_index (%ld): the mean is 0/0 = NaN and the gradient "
		    "is 0", t->cols, o->ignore_index);
	else if (D == 0.0)
		add(out, "all-targets-ignored", "the class weights of all the "
		    "targets are 0: the mean divides by their sum, 0/0 = NaN");
}

static void
check_nll_input(const struct mat *x, struct diag_list *out)
{
	size_t	i = first_positive(x);
	char	w[64];

	if (i == (size_t)-1)
		return;
	add(out, "nll-input-not-log-probabilities", "input value %g at %s is "
	    "positive, but log-probabilities are <= 0: nn.NLLLoss expects "
	    "log_softmax output (probabilities give -p[y], logits make no "
	    "sense)", x->v[i], where(x, i, w, sizeof w));
}

static void
check_kl(const struct mat *x, const struct loss_opts *o,
    struct diag_list *out)
{
	size_t	i;
	char	w[64];

	if (o->reduction == LOSS_REDUCTION_MEAN)
		add(out, "kl-mean-reduction", "reduction: 'mean' divides the "
		    "total loss by both the batch size and the support size."
		    "'batchmean' divides only by the batch size, and aligns "
		    "with the KL div math definition.'mean' will be changed to "
		    "behave the same as 'batchmean' in the next major "
		    "release.");
	i = first_positive(x);
	if (i != (size_t)-1)
		add(out, "kl-input-not-log-probabilities", "input value %g at "
		    "%s is positive: nn.KLDivLoss takes log-probabilities "
		    "(log_softmax) as input and probabilities as target",
		    x->v[i], where(x, i, w, sizeof w));
}

static void
check_pm1(const struct mat *t, struct diag_list *out)
{
	size_t	i, n = mat_numel(t);
	char	w[64];

	for (i = 0; i < n; i++) {
		if (t->v[i] != 1.0 && t->v[i] != -1.0) {
			add(out, "soft-margin-target-not-pm1", "target value %g "
			    "at %s is not -1 or +1: nn.SoftMarginLoss expects "
			    "labels in {-1, +1} (a 0 gives log 2 whatever the "
			    "input)", t->v[i], where(t, i, w, sizeof w));
			return;
		}
	}
}

static void
check_minus_one(const struct mat *t, struct diag_list *out)
{
	size_t	i, n = mat_numel(t);
	char	w[64];

	for (i = 0; i < n; i++) {
		if (t->v[i] == -1.0) {
			add(out, "multilabel-target-minus-one", "target value -1 "
			    "at %s: nn.MultiLabelSoftMarginLoss does not treat "
			    "-1 as padding, it uses it as a number (the loss "
			    "can turn negative); use 0/1 targets",
			    where(t, i, w, sizeof w));
			return;
		}
	}
}

/* bce: input exactly 0 or 1 where the target disagrees: clamp at 100. */
static void
check_saturated(const struct mat *x, const struct mat *t,
    struct diag_list *out)
{
	size_t	i, n = mat_numel(x);
	char	w[64];

	if (!mat_same_shape(x, t))
		return;
	for (i = 0; i < n; i++) {
		if ((x->v[i] == 0.0 && t->v[i] != 0.0) ||
		    (x->v[i] == 1.0 && t->v[i] != 1.0)) {
			add(out, "bce-input-saturated", "input is exactly %g at "
			    "%s where the target is %g: log(0) is clamped to "
			    "-100, so this element's loss is stuck near %g and "
			    "the gradient is about 1e12", x->v[i],
			    where(x, i, w, sizeof w), t->v[i],
			    100.0 * fabs(t->v[i] - x->v[i]));
			return;
		}
	}
}

/* Element (i, j) of m broadcast (right-aligned, at most 2-D) to a larger
   frame: a dimension of size 1 repeats. */
static double
bval(const struct mat *m, size_t i, size_t j)
{
	size_t	r = nrows(m) == 1 ? 0 : i, c = m->cols == 1 ? 0 : j;

	return m->v[r * m->cols + c];
}

/*
 * soft-margin: torch evaluates log(exp(-y x) + 1) literally, which is inf
 * where exp(-y x) overflows (-y x > log(DBL_MAX) = 709.78), and its
 * gradient (y z)(-norm)/(z + 1) is inf/inf = nan there; loss.c returns the
 * exact value instead.  Counted with loss.c's own test.
 */
static void
check_soft_margin_overflow(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, const struct loss_result *r,
    struct diag_list *out)
{
	size_t	i, j, k = 0, n = mat_numel(x), first = 0;
	double	tt;
	char	buf[48];

	if (r == NULL || !mat_same_shape(&r->grad, x))
		return;
	if (nrows(t) != 1 && nrows(t) != nrows(x))
		return;
	if (t->cols != 1 && t->cols != x->cols)
		return;
	if (mat_numel(t) == 0)
		return;
	for (i = 0; i < nrows(x); i++)
		for (j = 0; j < x->cols; j++) {
			tt = (-MAT_AT(x, i, j)) * bval(t, i, j);
			if (tt > 0 && isinf(exp(tt)) && k++ == 0)
				first = i * x->cols + j;
		}
	if (k == 0)
		return;
	add(out, "differs-from-torch", "torch 1.13 returns inf here: its "
	    "float64 formula log(exp(-y x) + 1) overflows where -y x > 709.78 "
	    "(%zu of %zu elements, the first at %s), giving %s and a nan "
	    "gradient there; losslab gives the exact value -y x + "
	    "log1p(exp(y x))", k, n, where(x, first, buf, sizeof buf),
	    o->reduction == LOSS_REDUCTION_NONE ? "inf in the output" :
	    "a loss of inf");
}

void
diag_check(enum loss_id id, const struct mat *input,
    const struct mat *target, const struct loss_opts *o,
    const struct loss_result *r, struct diag_list *out)
{
	diag_check_counted(id, input, target, o, r, DIAG_UNCOUNTED, out);
}

void
diag_check_counted(enum loss_id id, const struct mat *input,
    const struct mat *target, const struct loss_opts *o,
    const struct loss_result *r, size_t nonfinite, struct diag_list *out)
{
	struct loss_opts	defaults;
	int			tok;

	(void)r;
	out->n = 0;
	if (o == NULL) {
		loss_opts_init(&defaults);
		o = &defaults;
	}
	if (!usable(input) || (int)id < 0 || id >= LOSS_COUNT)
		return;
	tok = usable(target);
	/* float32 storage (core/mat.h): ce's checks below read it; for
	   anything else (eval widens such inputs first) nothing is looked at */
	if (input->f32 != NULL && id != LOSS_CE)
		return;
	if (target != NULL && target->f32 != NULL)
		tok = 0;

	check_nonfinite(input, nonfinite, out);
	check_empty(id, input, out);
	switch (id) {
	case LOSS_BCE:
		if (tok) {
			check_target_range(target, out);
			check_saturated(input, target, out);
		}
		break;
	case LOSS_BCE_LOGITS:
		check_probabilities(id, input, out);
		if (tok) {
			check_target_range(target, out);
			if (mat_same_shape(input, target))
				check_one_hot(target, out);
		}
		break;
	case LOSS_FOCAL:
		check_probabilities(id, input, out);
		if (tok)
			check_target_range(target, out);
		break;
	case LOSS_MULTILABEL_SOFT_MARGIN:
		check_probabilities(id, input, out);
		if (tok)
			check_minus_one(target, out);
		break;
	case LOSS_CE:
		check_softmax(input, out);
		if (tok && mat_same_shape(input, target))
			check_multi_hot(target, out);
		else if (tok)
			check_ignored(input, target, o, out);
		break;
	case LOSS_NLL:
		check_nll_input(input, out);
		if (tok)
			check_ignored(input, target, o, out);
		break;
	case LOSS_KL_DIV:
		check_kl(input, o, out);
		break;
	case LOSS_SOFT_MARGIN:
		if (tok) {
			check_pm1(target, out);
			check_soft_margin_overflow(input, target, o, r, out);
		}
		break;
	default:
		break;
	}
}

/* --- refusals that torch would compute ------------------------------------ */

/* Right-aligned broadcasting of (r1, c1) and (r2, c2); 0 or -1. */
static int
bshape(size_t r1, size_t c1, size_t r2, size_t c2, size_t *r, size_t *c)
{
	if (r1 != r2 && r1 != 1 && r2 != 1)
		return -1;
	if (c1 != c2 && c1 != 1 && c2 != 1)
		return -1;
	*r = r1 == 1 ? r2 : r1;
	*c = c1 == 1 ? c2 : c1;
	return 0;
}

/*
 * torch 1.13's multilabel_soft_margin_loss when the target (or the weight)
 * broadcasts the input to a larger shape:
 *   l = -(y log_sigmoid(x) + (1 - y) log_sigmoid(-x)) w   (broadcast)
 *   L = l.sum(dim = input.dim() - 1) / input.size(-1)
 * then mean or sum (or the vector L for 'none': its sum and length here).
 * A 1-D input sums over dim 0, the rows of a 2-D l.  0, or -1 when torch
 * would refuse the shapes too (or they do not grow the output).
 */
static int
torch_mlsm_broadcast(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, double *value, size_t *nout)
{
	size_t		 R, K, i, j, n;
	double		 l, sum = 0.0, y, w;
	const struct mat *wm = o->weight;
	int		 nd;

	if (!usable(t) || (wm != NULL && !usable(wm)))
		return -1;
	if (bshape(nrows(x), x->cols, nrows(t), t->cols, &R, &K) != 0)
		return -1;
	if (wm != NULL && bshape(R, K, nrows(wm), wm->cols, &R, &K) != 0)
		return -1;
	nd = x->ndim;
	if (t->ndim > nd)
		nd = t->ndim;
	if (wm != NULL && wm->ndim > nd)
		nd = wm->ndim;
	if (R == nrows(x) && K == x->cols && nd == x->ndim)
		return -1;			/* not a divergence */
	if (x->cols == 0 || R * K == 0)
		return -1;
	for (i = 0; i < R; i++)
		for (j = 0; j < K; j++) {
			double xv = bval(x, i, j);

			y = bval(t, i, j);
			w = wm != NULL ? bval(wm, i, j) : 1.0;
			l = -(y * activation_log_sigmoid(xv) +
			    (1.0 - y) * activation_log_sigmoid(-xv)) * w;
			sum += l;
		}
	/* Every L_k is a sum of l's divided by C; the L's partition l. */
	sum /= (double)x->cols;
	if (x->ndim == 2)
		n = R;				/* summed over the columns */
	else
		n = nd == 2 ? K : 1;		/* summed over dim 0 */
	*nout = n;
	*value = o->reduction == LOSS_REDUCTION_MEAN ? sum / (double)n : sum;
	return 0;
}

int
diag_refusal(enum loss_id id, const struct mat *input,
    const struct mat *target, const struct loss_opts *o, char *buf,
    size_t len)
{
	struct loss_opts	 o2;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct mat		 w;
	double			 v;
	size_t			 n;
	int			 ok;

	if (o == NULL || !usable(input) || !usable(target) || len == 0)
		return 0;
	if (id == LOSS_CE && !(o->label_smoothing >= 0.0)) {
		/* torch: `if label_smoothing > 0` -- else none at all */
		o2 = *o;
		o2.label_smoothing = 0.0;
		if (loss_eval(id, input, target, &o2, &r, NULL) != 0)
			return 0;
		snprintf(buf, len, "torch 1.13 takes label_smoothing=%g as 0 "
		    "and returns %.17g", o->label_smoothing, r.value);
		loss_result_free(&r);
		return 1;
	}
	if (id == LOSS_MULTI_MARGIN && o->weight != NULL &&
	    o->weight->ndim == 1 && o->weight->cols != input->cols) {
		o2 = *o;
		if (o->weight->cols > input->cols) {
			/* torch reads w[y] for y < C: the first C weights */
			w = *o->weight;
			w.cols = input->cols;
			o2.weight = &w;
		} else
			o2.weight = NULL;
		ok = loss_eval(id, input, target, &o2, &r, NULL) == 0;
		loss_result_free(&r);
		if (!ok)
			return 0;
		if (o->weight->cols < input->cols) {
			snprintf(buf, len, "torch 1.13 does not check the "
			    "weight's length and reads past its end: its "
			    "result is undefined");
			return 1;
		}
		if (loss_eval(id, input, target, &o2, &r, NULL) != 0)
			return 0;
		snprintf(buf, len, "torch 1.13 does not check the weight's "
		    "length: it uses the first %zu weights and returns %.17g",
		    input->cols, r.value);
		loss_result_free(&r);
		return 1;
	}
	if (id == LOSS_MULTILABEL_SOFT_MARGIN &&
	    torch_mlsm_broadcast(input, target, o, &v, &n) == 0) {
		if (o->reduction == LOSS_REDUCTION_NONE)
			snprintf(buf, len, "torch 1.13 broadcasts the input "
			    "and returns %zu values summing to %.17g", n, v);
		else
			snprintf(buf, len, "torch 1.13 broadcasts the input "
			    "and returns %.17g", v);
		return 1;
	}
	return 0;
}
