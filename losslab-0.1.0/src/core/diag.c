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
 *   multilabel-target-minus-one, bce-input-saturated.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/diag.h"

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
	return m->v != NULL || mat_numel(m) == 0;
}

static size_t
nrows(const struct mat *m)
{
	return m->ndim == 2 ? m->rows : 1;
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
check_nonfinite(const struct mat *x, struct diag_list *out)
{
	size_t	i, n = mat_numel(x), bad = 0, first = 0;
	char	w[64];

	for (i = 0; i < n; i++) {
		if (!isfinite(x->v[i])) {
			if (bad++ == 0)
				first = i;
		}
	}
	if (bad != 0)
		add(out, "nonfinite-input", "the input has %zu non-finite "
		    "value%s (the first, %g, at %s): the loss and its gradient "
		    "may be NaN or inf", bad, bad == 1 ? "" : "s",
		    x->v[first], where(x, first, w, sizeof w));
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
	size_t	i, n = mat_numel(x);

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (!(x->v[i] >= 0.0 && x->v[i] <= 1.0))
			return;
	add(out, "input-looks-like-probabilities", "all %zu input values "
	    "lie in [0, 1]: these look like probabilities: was sigmoid "
	    "applied already? %s takes logits", n, loss_torch_name(id));
}

/* ce: every row non-negative and summing to 1 within 1e-6. */
static void
check_softmax(const struct mat *x, struct diag_list *out)
{
	size_t	i, j, N = nrows(x), C = x->cols;
	double	s;

	if (N == 0 || C < 2 || mat_numel(x) == 0)
		return;
	for (i = 0; i < N; i++) {
		s = 0.0;
		for (j = 0; j < C; j++) {
			if (!(MAT_AT(x, i, j) >= 0.0))
				return;
			s += MAT_AT(x, i, j);
		}
		if (!(fabs(s - 1.0) <= 1e-6))
			return;
	}
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

	for (i = 0; i < n; i++) {
		if (!(t->v[i] >= 0.0 && t->v[i] <= 1.0)) {
			add(out, "target-out-of-range", "target value %g at %s "
			    "is outside [0, 1]: torch 1.13 does not check, and "
			    "the loss can turn negative", t->v[i],
			    where(t, i, w, sizeof w));
			return;
		}
	}
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

void
diag_check(enum loss_id id, const struct mat *input,
    const struct mat *target, const struct loss_opts *o,
    const struct loss_result *r, struct diag_list *out)
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

	check_nonfinite(input, out);
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
		if (tok)
			check_pm1(target, out);
		break;
	default:
		break;
	}
}
