/*
 * pitfall.c -- the wrong pipelines, evaluated through the same loss code as
 * the right ones, differentiated with respect to the raw logits x.
 *
 * Each pipeline squashes x (or not), calls loss_eval() for the loss the user
 * mistakenly applied, and chains the loss's gradient back through the
 * squashing step with torch's backward formulas:
 *   sigmoid:      dx = g (1 - s) s
 *   softmax:      dx = s (g - sum_c g_c s_c)          per row
 *   log_softmax:  dx = g - exp(l) sum_c g_c           per row
 * No loss formula is repeated here except for naive-float32, whose whole
 * point is float32 arithmetic: BCELoss(sigmoid(x)) evaluated the way torch's
 * float kernels do (1/(1+expf(-x)), logf clamped at -100, the backward
 * (p - y)/max(p(1 - p), 1e-12f) times (1 - s) s), the reduction's sum in
 * float, widened to double at the end.  Its shapes, options and errors are
 * still decided by loss_eval() on the double-precision pipeline.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "core/activation.h"
#include "core/pitfall.h"

static const struct {
	const char	*name;
	enum loss_id	 loss;
	const char	*code;
} pitfalls[PITFALL_COUNT] = {
	{ "none", LOSS_COUNT, "" },
	{ "double-sigmoid", LOSS_BCE_LOGITS,
	  "nn.BCEWithLogitsLoss()(torch.sigmoid(z), y)" },
	{ "softmax-then-ce", LOSS_CE,
	  "nn.CrossEntropyLoss()(torch.softmax(z, dim=1), y)" },
	{ "log-softmax-then-ce", LOSS_CE,
	  "nn.CrossEntropyLoss()(torch.log_softmax(z, dim=1), y)" },
	{ "bce-on-logits", LOSS_BCE_LOGITS,
	  "nn.BCELoss()(z, y)" },
	{ "naive-float32", LOSS_BCE_LOGITS,
	  "nn.BCELoss()(torch.sigmoid(z.float()), y.float())" },
};

const char *
pitfall_name(enum pitfall_id id)
{
	if ((int)id < 0 || id >= PITFALL_COUNT)
		return "?";
	return pitfalls[id].name;
}

int
pitfall_parse(const char *name, enum pitfall_id *id)
{
	int	i;

	for (i = 0; i < PITFALL_COUNT; i++) {
		if (strcmp(name, pitfalls[i].name) == 0) {
			*id = (enum pitfall_id)i;
			return 0;
		}
	}
	return -1;
}

/* LOSS_COUNT for PITFALL_NONE (no pipeline) and unknown ids. */
enum loss_id
pitfall_loss(enum pitfall_id id)
{
	if ((int)id < 0 || id >= PITFALL_COUNT)
		return LOSS_COUNT;
	return pitfalls[id].loss;
}

/* "" for PITFALL_NONE and unknown ids. */
const char *
pitfall_torch_code(enum pitfall_id id)
{
	if ((int)id < 0 || id >= PITFALL_COUNT)
		return "";
	return pitfalls[id].code;
}

/* Rows and columns of x seen as rows of classes (a 1-D x is one row). */
static size_t
nrows(const struct mat *x)
{
	return x->ndim == 2 ? x->rows : 1;
}

/* A weight value under right-aligned broadcasting (loss_eval checked it). */
static float
wget(const struct mat *w, size_t r, size_t c)
{
	size_t rr = (w->ndim == 2 && w->rows != 1) ? r : 0;
	size_t cc = w->cols == 1 ? 0 : c;

	return (float)w->v[rr * w->cols + cc];
}

/*
 * BCELoss(sigmoid(x)) in float32.  loss_eval() has already filled r for the
 * double pipeline (so shapes, weight and the range check are settled); the
 * numbers are replaced here by their float32 counterparts:
 *   s  = 1 / (1 + expf(-x))                 (exactly 1 for x >= 16.6355324)
 *   l  = ((y - 1) max(logf(1 - s), -100) - y max(logf(s), -100)) w
 *   dp = g (s - y) / max((1 - s) s, 1e-12f) w,   dx = dp (1 - s) s
 * with g = 1/numel (mean) or 1, and the reduction summed in float.
 */
static void
naive_float32(const struct mat *x, const struct mat *t,
    const struct loss_opts *o, struct loss_result *r)
{
	size_t	i, j, cols = x->cols, n = mat_numel(x);
	float	s, xf, yf, wf, l, dp, g, sum = 0.0f;
	int	mean = o->reduction == LOSS_REDUCTION_MEAN;

	g = mean ? 1.0f / (float)n : 1.0f;
	for (i = 0; i < nrows(x); i++) {
		for (j = 0; j < cols; j++) {
			xf = (float)MAT_AT(x, i, j);
			yf = (float)MAT_AT(t, i, j);
			wf = o->weight != NULL ? wget(o->weight, i, j) : 1.0f;
			s = 1.0f / (1.0f + expf(-xf));
			l = (yf - 1.0f) * fmaxf(logf(1.0f - s), -100.0f) -
			    yf * fmaxf(logf(s), -100.0f);
			dp = g * (s - yf) / fmaxf((1.0f - s) * s, 1e-12f);
			if (o->weight != NULL) {
				l *= wf;
				dp *= wf;
			}
			sum += l;
			MAT_AT(&r->elem, i, j) = (double)l;
			MAT_AT(&r->grad, i, j) = (double)(dp * (1.0f - s) * s);
		}
	}
	if (mean)
		r->value = (double)(sum / (float)n);
	else
		r->value = (double)sum;
}

int
pitfall_eval(enum pitfall_id id, const struct mat *x,
    const struct mat *target, const struct loss_opts *o,
    struct loss_result *r, struct err *e)
{
	static const struct loss_result	 zero = LOSS_RESULT_INIT;
	struct loss_opts		 defaults;
	struct mat			 a = MAT_INIT;
	size_t				 i, j, n, C;
	double				 s, *g, *v;
	enum loss_id			 inner;

	*r = zero;
	if (o == NULL) {
		loss_opts_init(&defaults);
		o = &defaults;
	}
	if ((int)id <= PITFALL_NONE || id >= PITFALL_COUNT)
		return err_set(e, "no pitfall pipeline selected");
	if (x == NULL || (x->ndim != 1 && x->ndim != 2) ||
	    (x->ndim == 1 && x->rows != 1) ||
	    (x->v == NULL && mat_numel(x) != 0))
		return err_set(e, "the input must be a 1-D or 2-D array");
	if (id == PITFALL_BCE_ON_LOGITS || id == PITFALL_NAIVE_FLOAT32) {
		if (o->pos_weight != NULL)
			return err_set(e, "%s feeds nn.BCELoss, which has no "
			    "pos_weight", pitfall_name(id));
	}
	if (o->reduction == LOSS_REDUCTION_BATCHMEAN)
		return err_set(e, "batchmean is only valid for kl-div");

	n = mat_numel(x);
	C = x->cols;
	if (id != PITFALL_BCE_ON_LOGITS && mat_copy(&a, x, e) != 0)
		return -1;
	switch (id) {
	case PITFALL_DOUBLE_SIGMOID:
	case PITFALL_NAIVE_FLOAT32:
		for (i = 0; i < n; i++)
			a.v[i] = activation_sigmoid(a.v[i]);
		inner = id == PITFALL_DOUBLE_SIGMOID ? LOSS_BCE_LOGITS :
		    LOSS_BCE;
		break;
	case PITFALL_SOFTMAX_THEN_CE:
		for (i = 0; i < nrows(x) && C != 0; i++)
			activation_softmax(&MAT_AT(x, i, 0), &MAT_AT(&a, i, 0),
			    C);
		inner = LOSS_CE;
		break;
	case PITFALL_LOG_SOFTMAX_THEN_CE:
		for (i = 0; i < nrows(x) && C != 0; i++)
			activation_log_softmax(&MAT_AT(x, i, 0),
			    &MAT_AT(&a, i, 0), C);
		inner = LOSS_CE;
		break;
	case PITFALL_BCE_ON_LOGITS:
	default:
		/* the mistake: logits straight into nn.BCELoss */
		return loss_eval(LOSS_BCE, x, target, o, r, e);
	}

	if (loss_eval(inner, &a, target, o, r, e) != 0) {
		mat_free(&a);
		return -1;
	}

	/* Chain rule back through the squashing step. */
	switch (id) {
	case PITFALL_DOUBLE_SIGMOID:
		/* sigmoid backward: g (1 - s) s */
		for (i = 0; i < n; i++)
			r->grad.v[i] = r->grad.v[i] * (1.0 - a.v[i]) * a.v[i];
		break;
	case PITFALL_NAIVE_FLOAT32:
		naive_float32(x, target, o, r);
		break;
	case PITFALL_SOFTMAX_THEN_CE:
		/* softmax backward: s (g - sum_c g_c s_c) */
		for (i = 0; i < nrows(x) && C != 0; i++) {
			g = &MAT_AT(&r->grad, i, 0);
			v = &MAT_AT(&a, i, 0);
			s = 0.0;
			for (j = 0; j < C; j++)
				s += g[j] * v[j];
			for (j = 0; j < C; j++)
				g[j] = v[j] * (g[j] - s);
		}
		break;
	case PITFALL_LOG_SOFTMAX_THEN_CE:
		/* log_softmax backward: g - exp(l) sum_c g_c */
		for (i = 0; i < nrows(x) && C != 0; i++) {
			g = &MAT_AT(&r->grad, i, 0);
			v = &MAT_AT(&a, i, 0);
			s = 0.0;
			for (j = 0; j < C; j++)
				s += g[j];
			for (j = 0; j < C; j++)
				g[j] = g[j] - exp(v[j]) * s;
		}
		break;
	default:
		break;
	}
	mat_free(&a);
	return 0;
}
