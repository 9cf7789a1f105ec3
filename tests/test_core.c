/*
 * test_core.c -- TAP tests of the loss core (loss.c, activation.c,
 * pitfall.c, diag.c).
 *
 * Every expected number comes from PyTorch 1.13 (python3-torch 1.13.1,
 * float64 unless noted): either quoted from shared/reference/
 * pytorch-losses.md (section numbers in the test names) or computed with
 * torch for this file (value of the reduced loss and d(sum of output)/dx).
 * Float32 numbers of the reference's section 13 (printed to 7-8 digits) are
 * compared with an absolute tolerance of 1e-7 or a relative one of 1e-6.
 * Error paths check that loss_eval returns -1 with torch's wording.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activation.h"
#include "core/diag.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "core/vstat.h"

#include "tap.h"

#define INF	INFINITY
#define RT	1e-12		/* float64 torch values */

/* --- fixtures: mats from literals, freed at the end ------------------------ */

static struct mat	 pool[400];
static int		 npool;

static const struct mat *
mk(int nd, size_t r, size_t c, const double *v)
{
	struct mat	*m;
	struct err	 e;

	if (npool == (int)(sizeof pool / sizeof pool[0])) {
		printf("Bail out! fixture pool exhausted\n");
		exit(1);
	}
	m = &pool[npool++];
	if (mat_alloc(m, nd, r, c, &e) != 0) {
		printf("Bail out! %s\n", e.msg);
		exit(1);
	}
	if (v != NULL && r * c != 0)
		memcpy(m->v, v, r * c * sizeof *v);
	return m;
}

#define D(...)		((const double[]){ __VA_ARGS__ })
#define NV(...)		(sizeof(D(__VA_ARGS__)) / sizeof(double))
/* A 1-D vector and a rows x cols matrix from literal values. */
#define V1(...)		mk(1, 1, NV(__VA_ARGS__), D(__VA_ARGS__))
#define M2(r, c, ...)	mk(2, (r), (c), D(__VA_ARGS__))

static struct loss_opts
opts(enum loss_reduction red)
{
	struct loss_opts o;

	loss_opts_init(&o);
	o.reduction = red;
	return o;
}

#define NONE	LOSS_REDUCTION_NONE
#define MEAN	LOSS_REDUCTION_MEAN
#define SUM	LOSS_REDUCTION_SUM

/* |got - want| <= atol, or tap_close within rtol. */
static int
near(double got, double want, double rtol, double atol)
{
	if (isfinite(want) && isfinite(got) && fabs(got - want) <= atol)
		return 1;
	return tap_close(got, want, rtol);
}

/*
 * Run loss `id` and check its value (one TAP result) and, if g is given, its
 * whole gradient (one more).  Returns the loss's result for further checks
 * in *out if out is not NULL (the caller frees it).
 */
static void
check_r(const char *name, int pit, int id, const struct mat *x,
    const struct mat *t, const struct loss_opts *o, double want,
    const double *g, double rtol, double atol, struct loss_result *out)
{
	struct loss_result	r;
	struct err		e;
	size_t			i, n;
	int			rc, ok;

	e.msg[0] = '\0';
	if (pit)
		rc = pitfall_eval((enum pitfall_id)id, x, t, o, &r, &e);
	else
		rc = loss_eval((enum loss_id)id, x, t, o, &r, &e);
	if (rc != 0) {
		tap_ok(0, "%s: value (error: %s)", name, e.msg);
		if (g != NULL)
			tap_ok(0, "%s: gradient", name);
		return;
	}
	if (!tap_ok(near(r.value, want, rtol, atol), "%s: value", name))
		tap_diag("got %.17g, want %.17g", r.value, want);
	if (g != NULL) {
		n = mat_numel(&r.grad);
		ok = mat_same_shape(&r.grad, x);
		for (i = 0; ok && i < n; i++)
			ok = near(r.grad.v[i], g[i], rtol, atol);
		if (!tap_ok(ok, "%s: gradient", name))
			for (i = 0; i < n; i++)
				tap_diag("grad[%zu] got %.17g, want %.17g", i,
				    r.grad.v[i], g[i]);
	}
	if (out != NULL)
		*out = r;
	else
		loss_result_free(&r);
}

#define CHECK(name, id, x, t, o, want, g) \
	check_r(name, 0, id, x, t, o, want, g, RT, 0, NULL)

/* Expect loss_eval to fail with a message containing `want`. */
static void
check_err(const char *name, enum loss_id id, const struct mat *x,
    const struct mat *t, const struct loss_opts *o, const char *want)
{
	struct loss_result	r;
	struct err		e;
	int			rc;

	strcpy(e.msg, "(none)");
	rc = loss_eval(id, x, t, o, &r, &e);
	if (!tap_ok(rc == -1 && strstr(e.msg, want) != NULL &&
	    strncmp(e.msg, "losslab:", 8) != 0, "error %s", name))
		tap_diag("rc %d, message \"%s\", want \"%s\"", rc, e.msg, want);
	if (rc == 0)
		loss_result_free(&r);
}

/* --- activations ---------------------------------------------------------- */

static void
test_activation(void)
{
	double	out[3], x[3] = { 1e4, -1e4, 0 };

	tap_ok(activation_sigmoid(0) == 0.5, "sigmoid(0) = 0.5");
	tap_ok(activation_sigmoid(36.73680056967711) == 1.0 &&
	    activation_sigmoid(36.7368005696771) == 0.9999999999999998,
	    "sigmoid rounds to 1 from 53 ln 2 (section 12)");
	tap_ok(tap_close(-activation_log_sigmoid(40), 4.248354255291589e-18,
	    1e-15), "-log_sigmoid(40) = 4.248354255291589e-18 (section 1.3)");
	tap_ok(activation_log_sigmoid(-1e4) == -1e4,
	    "log_sigmoid(-1e4) = -1e4 without overflow");
	activation_log_softmax(x, out, 3);
	tap_ok(out[0] == 0 && out[1] == -2e4 && out[2] == -1e4,
	    "log_softmax([1e4, -1e4, 0]) exact (section 1.3)");
	activation_softmax(x, out, 3);
	tap_ok(out[0] == 1 && out[1] == 0 && out[2] == 0,
	    "softmax([1e4, -1e4, 0]) without overflow");
	tap_ok(activation_logsumexp(x, 3) == 1e4 &&
	    activation_logsumexp(x, 0) == -INF, "logsumexp: stable, empty -inf");
	x[0] = INF;
	activation_softmax(x, out, 3);
	tap_ok(isnan(out[0]) && isnan(out[1]), "softmax with +inf: NaN row");
}

/* --- BCELoss -------------------------------------------------------------- */

static void
test_bce(void)
{
	struct loss_opts	o = opts(SUM), w = opts(MEAN);

	CHECK("bce log(1e-30) not clamped (section 2)", LOSS_BCE, V1(1e-30),
	    V1(1), &o, 69.07755278982137, D(-1000000003995.8029));
	CHECK("bce log(1e-50) clamped to 100", LOSS_BCE, V1(1e-50), V1(1), &o,
	    100, D(-1000000003995.8029));
	o.reduction = NONE;
	CHECK("bce x in {0,1} (section 2): 100, 100, 0, -0; grad +-1/EPS",
	    LOSS_BCE, V1(0, 1, 0, 1), V1(1, 0, 0, 1), &o, 200,
	    D(-1000000003995.8029, 1000000003995.8029, 0, 0));
	w.weight = V1(1, 2, 3);
	CHECK("bce weight broadcast over rows, mean / numel", LOSS_BCE,
	    M2(2, 3, 0.9, 0.2, 0.4, 0.3, 0.5, 0.99),
	    M2(2, 3, 1, 0, 1, 0, 0, 1), &w, 0.8456066877546397,
	    D(-0.1851851851851852, 0.4166666666666666, -1.25,
	    0.2380952380952381, 0.6666666666666666, -0.505050505050505));
	o.reduction = SUM;
	CHECK("bce target 2 accepted (torch 1.13 does not check)", LOSS_BCE,
	    V1(0.5), V1(2), &o, 0.6931471805599453, D(-6.0));
	/* P3: [0.9, 0.1, 0.5] silently treated as probabilities (float32) */
	w = opts(MEAN);
	check_r("bce on [0.9,0.1,0.5] (P3)", 0, LOSS_BCE, V1(0.9, 0.1, 0.5),
	    V1(1, 0, 1), &w, 0.30128941, D(-0.3703704, 0.3703704, -0.6666667),
	    1e-6, 1e-7, NULL);
}

/* --- BCEWithLogitsLoss ---------------------------------------------------- */

static void
test_bce_logits(void)
{
	struct loss_opts	o = opts(SUM), m = opts(MEAN);
	struct loss_result	r;

	CHECK("bcewl(40, 1) = 0 (section 3, max_val form)", LOSS_BCE_LOGITS,
	    V1(40), V1(1), &o, 0, NULL);
	CHECK("bcewl(36, 1) = 2.220446049250313e-16", LOSS_BCE_LOGITS, V1(36),
	    V1(1), &o, 2.220446049250313e-16, NULL);
	CHECK("bcewl(-40, 0) = 0", LOSS_BCE_LOGITS, V1(-40), V1(0), &o, 0,
	    NULL);
	CHECK("bcewl(1e4, 0) = 1e4, grad 1", LOSS_BCE_LOGITS, V1(1e4), V1(0),
	    &o, 1e4, D(1));
	CHECK("bcewl(-1e4, 1) = 1e4, grad -1", LOSS_BCE_LOGITS, V1(-1e4),
	    V1(1), &o, 1e4, D(-1));
	o.pos_weight = V1(4);
	CHECK("bcewl(-1e4, 1, pw=4) = 40000, grad -4", LOSS_BCE_LOGITS,
	    V1(-1e4), V1(1), &o, 40000, D(-4));
	o = opts(NONE);
	CHECK("bcewl +inf, y=0: inf, grad 1 (section 3)", LOSS_BCE_LOGITS,
	    V1(INF), V1(0), &o, INF, D(1));
	CHECK("bcewl +inf, y=1: NaN, grad 0", LOSS_BCE_LOGITS, V1(INF), V1(1),
	    &o, NAN, D(0));
	CHECK("bcewl -inf, y=1: NaN, grad -1", LOSS_BCE_LOGITS, V1(-INF),
	    V1(1), &o, NAN, D(-1));
	CHECK("bcewl -inf, y=0: NaN, grad 0", LOSS_BCE_LOGITS, V1(-INF), V1(0),
	    &o, NAN, D(0));
	/* 2-D, weight (2,1) broadcast over rows, pos_weight (3,) over columns */
	m.weight = M2(2, 1, 1, 2);
	m.pos_weight = V1(1, 3, 0.5);
	CHECK("bcewl 2-D weight (2,1) and pos_weight (3,)", LOSS_BCE_LOGITS,
	    M2(2, 3, 2, -1, 0.5, 0.3, -2, 4), M2(2, 3, 1, 0, 1, 0, 1, 0.5),
	    &m, 3.195788606287143,
	    D(-0.01986715367035295, 0.04482357022833252, -0.03146172239984545,
	    0.19148083893721968, -0.8807970779778825, 0.1621701141761438));
	o = opts(SUM);
	o.pos_weight = M2(2, 2, 2, 3, 4, 5);
	CHECK("bcewl pos_weight of the input's shape", LOSS_BCE_LOGITS,
	    M2(2, 2, 0.5, -1, 2, -3), M2(2, 2, 1, 0, 1, 1), &o,
	    17.01206445791904, D(-0.7550813375962908, 0.2689414213699951,
	    -0.47681168808847074, -4.762870634112166));
	/* Section 13 float32 running example and P9 */
	m = opts(MEAN);
	check_r("bcewl running example (section 13)", 0, LOSS_BCE_LOGITS,
	    V1(2, -1, 0.5), V1(1, 0, 1), &m, 0.30475557,
	    D(-0.0397343, 0.0896471, -0.1258469), 1e-6, 1e-7, NULL);
	m.pos_weight = V1(3);
	check_r("bcewl pos_weight 3 (P9)", 0, LOSS_BCE_LOGITS, V1(2, -1, 0.5),
	    V1(1, 0, 1), &m, 0.70542556, D(-0.1192029, 0.0896471, -0.3775407),
	    1e-6, 1e-7, &r);
	tap_ok(r.elem.cols == 3 && tap_close(r.elem.v[0], 0.38078403312891784,
	    RT) && tap_close(r.elem.v[1], 0.3132616875182228, RT) &&
	    tap_close(r.elem.v[2], 1.42223095254032, RT) && r.denom == 3,
	    "bcewl pos_weight 3: per-element values, denominator numel (P9)");
	loss_result_free(&r);
	m = opts(MEAN);
	check_r("bcewl one-hot exclusive classes (P7)", 0, LOSS_BCE_LOGITS,
	    M2(1, 3, 2, 1, 0.1), M2(1, 3, 1, 0, 0), &m, 0.72819549,
	    D(-0.0397343, 0.2436862, 0.1749931), 1e-6, 1e-7, NULL);
}

/* --- CrossEntropyLoss ------------------------------------------------------ */

static void
test_ce(void)
{
	struct loss_opts	o = opts(SUM), m = opts(MEAN);
	struct loss_result	r;
	const struct mat	*x2 = M2(2, 3, 2, 1, 0.1, 0.2, 0.3, 2.5);

	CHECK("ce([1e4,-1e4,0], y=1) = 20000 (section 1.3)", LOSS_CE,
	    M2(1, 3, 1e4, -1e4, 0), V1(1), &o, 20000, D(1, -1, 0));
	m.weight = V1(1, 2, 10);
	m.label_smoothing = 0.1;
	CHECK("ce label smoothing + weight, index (section 4.2: 0.298712)",
	    LOSS_CE, x2, V1(0, 2), &m, 0.2987122396765224,
	    D(-0.004969558922912985, 0.023325208570268353,
	    -0.018355649647355372, 0.06796486791157957, 0.07240119218817184,
	    -0.14036606009975133));
	m.label_smoothing = 0;
	CHECK("ce same, as weighted soft target (section 4.2: 1.642917)",
	    LOSS_CE, x2, M2(2, 3, 0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3, 0.1 / 3,
	    0.1 / 3, 0.9 + 0.1 / 3), &m, 1.642917318220873,
	    D(-0.027332574076021434, 0.12828864713647592,
	    -0.10095607306045454, 0.3738067735136877, 0.39820655703494523,
	    -0.7720133305486324));
	o = opts(NONE);
	o.weight = V1(1, 2, 10);
	o.label_smoothing = 0.2;
	check_r("ce smoothing + weight + ignored row, none", 0, LOSS_CE,
	    M2(3, 3, 2, 1, 0.1, 0.2, 0.3, 2.5, 1, 1, 1), V1(0, 2, -100), &o,
	    2.0950500271297225 + 2.1446126060787973,
	    D(0.23166856480994635, 0.2707216178411898, -0.5023901826511363,
	    0.6673682102801478, 0.6779006655215224, -1.3452688758016695,
	    0, 0, 0), RT, 0, &r);
	tap_ok(r.elem.cols == 3 && tap_close(r.elem.v[0], 2.0950500271297225,
	    RT) && tap_close(r.elem.v[1], 2.1446126060787973, RT) &&
	    r.elem.v[2] == 0 && r.index_target && !r.elem_scalar,
	    "ce smoothing none: per-sample values, ignored row 0");
	loss_result_free(&r);
	o.reduction = SUM;
	CHECK("ce smoothing + weight + ignored row, sum", LOSS_CE,
	    M2(3, 3, 2, 1, 0.1, 0.2, 0.3, 2.5, 1, 1, 1), V1(0, 2, -100), &o,
	    4.239662633208519, NULL);
	m = opts(MEAN);
	m.label_smoothing = 1.0;
	CHECK("ce label smoothing 1.0", LOSS_CE, x2, V1(0, 2), &m,
	    1.537597172642107, D(0.1628339027763173, -0.04545018131430971,
	    -0.11738372146200757, -0.1252737224779365, -0.12092038853575374,
	    0.24619411101369035));
	m = opts(MEAN);
	m.weight = V1(1, 2, 3);
	m.label_smoothing = 0.3;
	CHECK("ce probability target + weight + smoothing (section 4.3)",
	    LOSS_CE, x2, M2(2, 3, 0.2, 0.3, 0.5, 1, 0, 0), &m,
	    3.317791648507819, D(0.6081962584689945, -0.042111567371291146,
	    -0.5660846910977033, -0.3461891725546508, -0.040529838429813204,
	    0.38671901098446404));
	o = opts(NONE);
	check_r("ce 1-D input, one index: 0-d output", 0, LOSS_CE,
	    V1(2, 1, 0.1), V1(1), &o, 1.4170300162778335,
	    D(0.6590011388859679, -0.7575670292952861, 0.0985658904093182), RT,
	    0, &r);
	tap_ok(r.elem_scalar == 1 && mat_numel(&r.elem) == 1,
	    "ce 1-D input: elem_scalar = 1, one value");
	loss_result_free(&r);
	m = opts(MEAN);
	m.weight = V1(3, 0.5);
	check_r("ce weighted mean divides by sum of target weights", 0,
	    LOSS_CE, M2(3, 2, 1, 2, 0, -1, 3, 3), V1(0, 1, 1), &m,
	    1.2357473741484382, D(-0.5482939339725037, 0.5482939339725037,
	    0.09138232232875061, -0.09138232232875061, 0.0625, -0.0625), RT,
	    0, &r);
	tap_ok(r.denom == 4, "ce weighted mean: denom = 3 + 0.5 + 0.5");
	loss_result_free(&r);
	o = opts(SUM);
	CHECK("ce -inf on the target: inf, grad [-1, 1/2, 1/2] (section 11)",
	    LOSS_CE, M2(1, 3, -INF, 0, 0), V1(0), &o, INF, D(-1, 0.5, 0.5));
	CHECK("ce -inf elsewhere: ln 2", LOSS_CE, M2(1, 3, -INF, 0, 0), V1(1),
	    &o, 0.6931471805599453, D(0, -0.5, 0.5));
	CHECK("ce +inf logit: NaN row", LOSS_CE, M2(1, 3, INF, 0, 0), V1(1),
	    &o, NAN, D(NAN, NAN, NAN));
	/* Section 13 float32 numbers */
	m = opts(MEAN);
	check_r("ce running example (section 13)", 0, LOSS_CE,
	    M2(1, 3, 2, 1, 0.1), V1(0), &m, 0.41702995,
	    D(-0.3409988, 0.2424330, 0.0985659), 1e-6, 1e-7, NULL);
	check_r("ce float one-hot = index target (P4)", 0, LOSS_CE,
	    M2(1, 3, 2, 1, 0.1), M2(1, 3, 1, 0, 0), &m, 0.41702995,
	    D(-0.3409988, 0.2424330, 0.0985659), 1e-6, 1e-7, NULL);
	check_r("ce multi-hot as probabilities (P6)", 0, LOSS_CE,
	    M2(1, 3, 2, -1, 0.5), M2(1, 3, 1, 0, 1), &m, 1.98262262,
	    D(0.5711941, 0.0782251, -0.6494192), 1e-6, 1e-7, NULL);
	/* all targets ignored: mean NaN, gradient 0 (section 4.2) */
	check_r("ce all targets ignored: mean NaN", 0, LOSS_CE, x2,
	    V1(-100, -100), &m, NAN, D(0, 0, 0, 0, 0, 0), RT, 0, NULL);
	m.label_smoothing = 0.1;
	check_r("ce all ignored with smoothing: NaN, grad 0", 0, LOSS_CE, x2,
	    V1(-100, -100), &m, NAN, D(0, 0, 0, 0, 0, 0), RT, 0, NULL);
	m = opts(MEAN);
	m.ignore_index = 1;
	CHECK("ce ignore_index = an in-range class", LOSS_CE, x2, V1(0, 1),
	    &m, 0.41703001627783354 /* = ce of row 0 alone */, NULL);
}

/* --- NLLLoss --------------------------------------------------------------- */

static void
test_nll(void)
{
	struct loss_opts	m = opts(MEAN);

	m.weight = V1(1, 2, 3);
	m.ignore_index = 1;
	CHECK("nll weight + ignore_index (section 5)", LOSS_NLL,
	    M2(3, 3, -0.5, -1, -2, -0.1, -3, -0.7, -1, -1, -1), V1(0, 2, 1),
	    &m, 0.6499999999999999, D(-0.25, 0, 0, 0, 0, -0.75, 0, 0, 0));
	m = opts(MEAN);
	check_r("nll on probabilities = -p[y] (P10)", 0, LOSS_NLL,
	    M2(1, 3, 0.6590011388859679, 0.2424329707047139,
	    0.0985658904093182), V1(0), &m, -0.65900117, NULL, 1e-6, 0, NULL);
	m = opts(SUM);
	CHECK("nll NaN in another column: not read (section 11)", LOSS_NLL,
	    M2(1, 3, -1, NAN, -2), V1(0), &m, 1, D(-1, 0, 0));
	m = opts(MEAN);
	m.weight = V1(0, 0, 1);
	CHECK("nll zero total weight: NaN (0/0), NaN at the targets",
	    LOSS_NLL, M2(2, 3, -1, -2, -3, -1, -2, -3), V1(0, 1), &m, NAN,
	    D(NAN, 0, 0, 0, NAN, 0));
}

/* --- the other losses ------------------------------------------------------- */

static void
test_others(void)
{
	struct loss_opts	o = opts(MEAN);
	struct loss_result	r;

	o.weight = V1(1, 2, 0.5);
	CHECK("mlsm weight, mean over N after /C (section 6)",
	    LOSS_MULTILABEL_SOFT_MARGIN, M2(2, 3, 2, -1, 0.5, 0.3, -2, 4),
	    M2(2, 3, 1, 0, 1, 0, 1, 1), &o, 1.0179626847804748,
	    D(-0.019867153670352924, 0.08964714045666503, -0.03146172239984545,
	    0.09574041946860981, -0.29359902599262744,
	    -0.0014988508301742962));
	o = opts(NONE);
	check_r("mlsm tiny values kept (section 6)", 0,
	    LOSS_MULTILABEL_SOFT_MARGIN, V1(50, -50, 1e4, -1e4), V1(1, 0, 1, 0),
	    &o, 9.6437492398195891e-23, D(-4.8218746199097946e-23,
	    4.8218746199097946e-23, 0, 0), RT, 0, &r);
	tap_ok(r.elem_scalar == 1, "mlsm 1-D input: 0-d output");
	loss_result_free(&r);
	o = opts(MEAN);
	check_r("mlsm = bcewl on multi-hot (P6)", 0,
	    LOSS_MULTILABEL_SOFT_MARGIN, M2(1, 3, 2, -1, 0.5),
	    M2(1, 3, 1, 0, 1), &o, 0.30475557, NULL, 1e-6, 0, NULL);
	check_r("mlsm -1 padding used numerically (P10)", 0,
	    LOSS_MULTILABEL_SOFT_MARGIN, M2(1, 3, 2, -1, 0.5),
	    M2(1, 3, 1, -1, 1), &o, -0.02857778, NULL, 1e-6, 0, NULL);
	o = opts(NONE);
	CHECK("mlsm +inf, y=0: inf, grad 1/C (section 11)",
	    LOSS_MULTILABEL_SOFT_MARGIN, M2(1, 1, INF), M2(1, 1, 0), &o, INF,
	    D(1));
	CHECK("mlsm -inf, y=1: inf, grad -1", LOSS_MULTILABEL_SOFT_MARGIN,
	    M2(1, 1, -INF), M2(1, 1, 1), &o, INF, D(-1));

	o = opts(MEAN);
	o.p = 2;
	o.weight = V1(1, 1, 1, 3);
	CHECK("multi-margin p=2, weight outside the power (P10: 0.4575)",
	    LOSS_MULTI_MARGIN, M2(1, 4, 0.1, 0.2, 0.4, 0.8), V1(3), &o,
	    0.45749999999999996, D(0.4499999999999999, 0.6,
	    0.8999999999999999, -1.9499999999999997));
	o = opts(SUM);
	o.margin = 2;
	CHECK("multi-margin margin 2, sum", LOSS_MULTI_MARGIN,
	    M2(2, 4, 0.1, 0.2, 0.4, 0.8, 1, 1, -1, 3), V1(3, 0), &o, 2.575,
	    D(0.25, 0.25, 0.25, -0.75, -0.5, 0.25, 0, 0.25));
	o = opts(MEAN);
	CHECK("multi-margin NaN score ignored (section 7: 0.225)",
	    LOSS_MULTI_MARGIN, M2(1, 4, 0.1, NAN, 0.4, 0.8), V1(3), &o,
	    0.22499999999999998, D(0.25, 0, 0.25, -0.5));
	CHECK("multi-margin z == 0 is strict: no loss, no gradient",
	    LOSS_MULTI_MARGIN, M2(1, 2, 0, 1), V1(1), &o, 0, D(0, 0));
	o = opts(NONE);
	check_r("multi-margin 1-D input", 0, LOSS_MULTI_MARGIN,
	    V1(0.1, 0.2, 0.4, 0.8), V1(3), &o, 0.325, NULL, RT, 0, &r);
	tap_ok(r.elem_scalar == 1, "multi-margin 1-D input: 0-d output");
	loss_result_free(&r);

	o = opts(MEAN);
	CHECK("soft-margin mean, y=0 gives log 2", LOSS_SOFT_MARGIN,
	    M2(2, 3, 2, -1, 0.5, 0.3, -2, 4), M2(2, 3, 1, -1, 1, -1, 1, 0), &o,
	    0.764782853135458, D(-0.019867153670352924, 0.04482357022833252,
	    -0.0629234447996909, 0.09574041946860982, -0.14679951299631375,
	    -0.0));
	/* Deliberate divergence (section 8): torch gives inf and NaN here */
	o = opts(SUM);
	CHECK("soft-margin x=-800: 800 (torch overflows to inf), grad -1",
	    LOSS_SOFT_MARGIN, V1(-800), V1(1), &o, 800, D(-1));
	CHECK("soft-margin x=-inf: inf, finite grad -1", LOSS_SOFT_MARGIN,
	    V1(-INF), V1(1), &o, INF, D(-1));
	CHECK("soft-margin x=+inf, y=1: 0 (section 11)", LOSS_SOFT_MARGIN,
	    V1(INF), V1(1), &o, 0, NULL);

	{
		const struct mat *lq = M2(2, 3, -0.41703001627783354,
		    -1.4170300162778335, -2.3170300162778332,
		    -2.4914976623397136, -2.391497662339714,
		    -0.19149766233971394);
		const struct mat *p = M2(2, 3, 0.2, 0.3, 0.5, 0.1, 0, 0.9);

		o = opts(MEAN);
		CHECK("kl-div mean divides by numel", LOSS_KL_DIV, lq, p, &o,
		    0.12229861519358759, D(-0.03333333333333333,
		    -0.049999999999999996, -0.08333333333333333,
		    -0.016666666666666666, -0.0, -0.15));
		o.reduction = LOSS_REDUCTION_BATCHMEAN;
		CHECK("kl-div batchmean divides by rows", LOSS_KL_DIV, lq, p, &o,
		    0.36689584558076277, D(-0.1, -0.15, -0.25, -0.05, -0.0,
		    -0.45));
		o = opts(SUM);
		o.log_target = 1;
		CHECK("kl-div log_target, sum", LOSS_KL_DIV, lq,
		    M2(2, 3, log(0.2), log(0.3), log(0.5), log(0.1), log(0.05),
		    log(0.85)), &o, 0.6506884515027609, D(-0.2, -0.3, -0.5,
		    -0.10000000000000002, -0.05000000000000001, -0.85));
	}
	o = opts(LOSS_REDUCTION_BATCHMEAN);
	CHECK("kl-div 1-D batchmean divides by the length", LOSS_KL_DIV,
	    V1(log(0.3), log(0.3), log(0.4)), V1(0.2, 0.3, 0.5), &o,
	    0.010159584678490671, D(-0.06666666666666667, -0.09999999999999999,
	    -0.16666666666666666));
	CHECK("kl-div target broadcasts beyond a 1-D input", LOSS_KL_DIV,
	    V1(log(0.3), log(0.3), log(0.4)), M2(2, 3, 0.2, 0.3, 0.5, 0.1, 0,
	    0.9), &o, 0.21681823992111895, D(-0.1, -0.09999999999999999,
	    -0.4666666666666667));
	o = opts(NONE);
	CHECK("kl-div y<0 is NaN (xlogy)", LOSS_KL_DIV, V1(-1), V1(-0.5), &o,
	    NAN, NULL);

	o = opts(MEAN);
	CHECK("focal alpha 0.25 gamma 2, mean", LOSS_FOCAL, V1(2, -1, 0.5, 3),
	    V1(1, 0, 1, 0), &o, 0.5272620343096209,
	    D(-0.00030443376221204885, 0.009858961870792615,
	    -0.00862106233443215, 0.2112656026190415));
	o = opts(SUM);
	o.alpha = -1;
	o.gamma = 0;
	CHECK("focal alpha<0 gamma 0 = bcewl (pow backward 0)", LOSS_FOCAL,
	    V1(2, -1, 0.5, 3), V1(1, 0, 1, 0), &o, 3.9628540343150442,
	    D(-0.11920292202211769, 0.2689414213699951, -0.3775406687981454,
	    0.9525741268224334));
	o = opts(SUM);
	o.gamma = 0.5;
	CHECK("focal gamma 0.5 saturated: loss 0, grad NaN (section 10)",
	    LOSS_FOCAL, V1(50), V1(1), &o, 0, D(NAN));
}

/* --- section 11: NaN and infinities (float64 torch, reduction sum) ---------- */

static void
test_nonfinite(void)
{
	struct loss_opts	o = opts(SUM);
	int			i;
	static const struct {
		double	x, t, want, g;
	} kl[] = {
		{ NAN, 0.5, NAN, -0.5 }, { NAN, 0, NAN, -0.0 },
		{ INF, 0.5, -INF, -0.5 }, { INF, 0, NAN, -0.0 },
		{ -INF, 0.5, INF, -0.5 }, { -INF, 0, NAN, -0.0 },
	}, mlsm[] = {
		{ NAN, 1, NAN, NAN }, { NAN, 0, NAN, NAN },
		{ INF, 1, NAN, 0 }, { INF, 0, INF, 1 },
		{ -INF, 1, INF, -1 }, { -INF, 0, NAN, 0 },
	};
	char	name[96];

	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "kl-div x=%g, y=%g (section 11)",
		    kl[i].x, kl[i].t);
		CHECK(name, LOSS_KL_DIV, V1(kl[i].x), V1(kl[i].t), &o,
		    kl[i].want, D(kl[i].g));
		snprintf(name, sizeof name, "mlsm x=%g, y=%g (section 11)",
		    mlsm[i].x, mlsm[i].t);
		CHECK(name, LOSS_MULTILABEL_SOFT_MARGIN, M2(1, 1, mlsm[i].x),
		    M2(1, 1, mlsm[i].t), &o, mlsm[i].want, D(mlsm[i].g));
	}
	CHECK("nll NaN in the target column", LOSS_NLL, M2(1, 2, NAN, -1),
	    V1(0), &o, NAN, D(-1, 0));
	CHECK("nll +inf in the target column: -inf", LOSS_NLL,
	    M2(1, 2, INF, -1), V1(0), &o, -INF, D(-1, 0));
	CHECK("nll -inf in the target column: inf", LOSS_NLL,
	    M2(1, 2, -INF, -1), V1(0), &o, INF, D(-1, 0));
	CHECK("multi-margin NaN target score: 0", LOSS_MULTI_MARGIN,
	    M2(1, 3, NAN, 0, 0), V1(0), &o, 0, D(0, 0, 0));
	CHECK("multi-margin +inf other score: inf", LOSS_MULTI_MARGIN,
	    M2(1, 3, INF, 0, 0), V1(1), &o, INF,
	    D(0.3333333333333333, -0.6666666666666666, 0.3333333333333333));
	CHECK("multi-margin -inf target score: inf", LOSS_MULTI_MARGIN,
	    M2(1, 3, -INF, 0, 0), V1(0), &o, INF,
	    D(-0.6666666666666666, 0.3333333333333333, 0.3333333333333333));
	CHECK("multi-margin -inf other score: ignored", LOSS_MULTI_MARGIN,
	    M2(1, 3, -INF, 0, 0), V1(1), &o, 0.3333333333333333,
	    D(0, -0.3333333333333333, 0.3333333333333333));
	check_r("BCE(sigmoid(+inf)), y=1: 0, grad 0 (section 11)", 1,
	    PITFALL_NAIVE_FLOAT32, V1(INF), V1(1), &o, 0, D(0), 0, 0, NULL);
	check_r("BCE(sigmoid(-inf)), y=1: 100, grad -0 (section 11)", 1,
	    PITFALL_NAIVE_FLOAT32, V1(-INF), V1(1), &o, 100, D(-0.0), 0, 0,
	    NULL);
}

/* --- empty batches ------------------------------------------------------------ */

static void
test_empty(void)
{
	static const enum loss_id ids[] = { LOSS_BCE, LOSS_BCE_LOGITS,
	    LOSS_CE, LOSS_NLL, LOSS_MULTILABEL_SOFT_MARGIN, LOSS_MULTI_MARGIN,
	    LOSS_SOFT_MARGIN, LOSS_KL_DIV, LOSS_FOCAL };
	const struct mat	*x = mk(2, 0, 3, NULL), *t2 = mk(2, 0, 3, NULL);
	const struct mat	*t1 = mk(1, 1, 0, NULL), *t;
	struct loss_opts	 o;
	struct loss_result	 r;
	struct err		 e;
	size_t			 i;
	int			 ok;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		t = ids[i] == LOSS_NLL || ids[i] == LOSS_MULTI_MARGIN ? t1 : t2;
		o = opts(MEAN);
		ok = loss_eval(ids[i], x, t, &o, &r, &e) == 0 && isnan(r.value);
		loss_result_free(&r);
		o.reduction = SUM;
		ok = ok && loss_eval(ids[i], x, t, &o, &r, &e) == 0 &&
		    r.value == 0 && mat_numel(&r.grad) == 0;
		loss_result_free(&r);
		o.reduction = NONE;
		ok = ok && loss_eval(ids[i], x, t, &o, &r, &e) == 0 &&
		    mat_numel(&r.elem) == 0;
		loss_result_free(&r);
		tap_ok(ok, "empty (0, 3) batch, %s: mean NaN, sum 0, none empty",
		    loss_name(ids[i]));
	}
	o = opts(MEAN);
	tap_ok(loss_eval(LOSS_CE, x, t1, &o, &r, &e) == 0 && isnan(r.value),
	    "empty batch, ce with class indices: mean NaN");
	loss_result_free(&r);
	o = opts(SUM);
	tap_ok(loss_eval(LOSS_CE, x, t2, &o, &r, &e) == 0 && r.value == 0 &&
	    signbit(r.value), "empty batch, ce probabilities: sum is -0");
	loss_result_free(&r);
}

/* --- errors ----------------------------------------------------------------- */

static void
test_errors(void)
{
	struct loss_opts	o = opts(MEAN);
	const struct mat	*x2 = M2(2, 3, 2, 1, 0.1, 0.2, 0.3, 2.5);

	check_err("bce target shape", LOSS_BCE, V1(0.5, 0.5),
	    M2(1, 2, 1, 0), &o, "Using a target size (torch.Size([1, 2])) "
	    "that is different to the input size (torch.Size([2])) is "
	    "deprecated. Please ensure they have the same size.");
	check_err("bce input outside [0,1]", LOSS_BCE, V1(0.5, 1.5), V1(1, 0),
	    &o, "all elements of input should be between 0 and 1");
	check_err("bce input NaN", LOSS_BCE, V1(NAN), V1(1), &o,
	    "all elements of input should be between 0 and 1");
	check_err("bcewl target shape", LOSS_BCE_LOGITS, M2(2, 1, 1, 2),
	    V1(1, 0), &o, "Target size (torch.Size([2])) must be the same as "
	    "input size (torch.Size([2, 1]))");
	check_err("focal target shape", LOSS_FOCAL, M2(1, 3, 1, 2, 3), V1(1),
	    &o, "Target size (torch.Size([1])) must be the same as input size "
	    "(torch.Size([1, 3]))");
	o.weight = V1(1, 2);
	check_err("bce weight broadcast", LOSS_BCE, M2(2, 3, 0, 0, 0, 0, 0, 0),
	    M2(2, 3, 0, 0, 0, 0, 0, 0), &o, "The size of tensor a (3) must "
	    "match the size of tensor b (2) at non-singleton dimension 1");
	o.weight = M2(2, 3, 1, 1, 1, 1, 1, 1);
	check_err("bcewl weight grows the output", LOSS_BCE_LOGITS, V1(1, 2, 3),
	    V1(1, 0, 1), &o, "output with shape [3] doesn't match the "
	    "broadcast shape [2, 3]");
	o = opts(MEAN);
	o.pos_weight = V1(1, 2);
	check_err("bcewl pos_weight broadcast (pos_weight is a)",
	    LOSS_BCE_LOGITS, x2, x2, &o, "The size of tensor a (2) must match "
	    "the size of tensor b (3) at non-singleton dimension 1");
	o = opts(MEAN);
	check_err("ce batch size", LOSS_CE, x2, V1(0, 1, 2), &o,
	    "Expected input batch_size (2) to match target batch_size (3).");
	check_err("ce target out of range", LOSS_CE, x2, V1(0, 3), &o,
	    "Target 3 is out of bounds.");
	check_err("ce negative target", LOSS_CE, x2, V1(-1, 0), &o,
	    "Target -1 is out of bounds.");
	check_err("nll target out of range", LOSS_NLL, x2, V1(0, 3), &o,
	    "Target 3 is out of bounds.");
	check_err("ce non-integer index", LOSS_CE, x2, V1(0.5, 1), &o,
	    "expected scalar type Long but found Float");
	check_err("ce NaN index", LOSS_CE, x2, V1(NAN, 1), &o,
	    "expected scalar type Long but found Float");
	check_err("ce (N,1) target", LOSS_CE, x2, M2(2, 1, 0, 1), &o,
	    "0D or 1D target tensor expected, multi-target not supported");
	check_err("ce 1-D input, two targets", LOSS_CE, V1(1, 2, 3), V1(0, 1),
	    &o, "size mismatch (got input: [3], target: [2])");
	o.label_smoothing = 1.5;
	check_err("ce label_smoothing 1.5", LOSS_CE, x2, V1(0, 1), &o,
	    "label_smoothing must be between 0.0 and 1.0. Got: 1.5");
	o.label_smoothing = -0.1;
	check_err("ce label_smoothing -0.1", LOSS_CE, x2, V1(0, 1), &o,
	    "label_smoothing must be between 0.0 and 1.0. Got: -0.1");
	o = opts(MEAN);
	o.weight = V1(1, 2);
	check_err("ce weight length", LOSS_CE, x2, V1(0, 1), &o,
	    "weight tensor should be defined either for all 3 classes or no "
	    "classes but got weight tensor of shape: [2]");
	check_err("ce prob weight length", LOSS_CE, x2, x2, &o,
	    "cross_entropy: weight tensor should be defined either for all 3 "
	    "classes or no classes but got weight tensor of shape: [2]");
	check_err("multi-margin weight length (torch does not check)",
	    LOSS_MULTI_MARGIN, x2, V1(0, 1), &o, "weight tensor should be "
	    "defined either for all 3 classes or no classes but got weight "
	    "tensor of shape: [2]");
	o = opts(MEAN);
	o.ignore_index = 0;
	check_err("ce prob target + ignore_index >= 0", LOSS_CE, x2, x2, &o,
	    "ignore_index is not supported for floating point target");
	o = opts(MEAN);
	o.p = 3;
	check_err("multi-margin p 3", LOSS_MULTI_MARGIN, x2, V1(0, 1), &o,
	    "only p == 1 and p == 2 supported");
	o = opts(MEAN);
	check_err("multi-margin target range", LOSS_MULTI_MARGIN, x2,
	    V1(0, 3), &o, "target out of range");
	check_err("multi-margin float target", LOSS_MULTI_MARGIN, x2,
	    V1(0, 1.5), &o, "expected scalar type Long but found Float");
	check_err("multi-margin target size", LOSS_MULTI_MARGIN, x2, V1(0),
	    &o, "inconsistent target size, got: [1]");
	check_err("multi-margin C = 0", LOSS_MULTI_MARGIN, mk(2, 2, 0, NULL),
	    V1(0, 0), &o, "Expected non-empty vector or matrix with optional "
	    "0-dim batch size, but got: [2, 0]");
	check_err("mlsm target broadcast (target is a)",
	    LOSS_MULTILABEL_SOFT_MARGIN, x2, M2(2, 2, 1, 1, 1, 1), &o,
	    "The size of tensor a (2) must match the size of tensor b (3) at "
	    "non-singleton dimension 1");
	check_err("mlsm target grows the output: losslab's own words (torch "
	    "raises nothing)", LOSS_MULTILABEL_SOFT_MARGIN, V1(1, 2, 3),
	    M2(2, 3, 1, 0, 1, 0, 1, 1), &o, "the target's shape [2, 3] would "
	    "broadcast the input's shape [3] to [2, 3]");
	check_err("soft-margin target broadcast (input is a)",
	    LOSS_SOFT_MARGIN, x2, V1(1, 1), &o, "The size of tensor a (3) "
	    "must match the size of tensor b (2) at non-singleton dimension 1");
	check_err("soft-margin target grows the output", LOSS_SOFT_MARGIN,
	    V1(1, 2, 3), M2(2, 3, 1, 1, 1, 1, 1, 1), &o, "output with shape "
	    "[3] doesn't match the broadcast shape [2, 3]");
	check_err("kl-div broadcast (target is a)", LOSS_KL_DIV, x2, V1(1, 1),
	    &o, "The size of tensor a (2) must match the size of tensor b (3) "
	    "at non-singleton dimension 1");
	o = opts(LOSS_REDUCTION_BATCHMEAN);
	check_err("batchmean for ce", LOSS_CE, x2, V1(0, 1), &o,
	    "batchmean is only valid for kl-div");
	o = opts(MEAN);
	o.weight = V1(1);
	check_err("kl-div takes no weight", LOSS_KL_DIV, x2, x2, &o,
	    "no weight");
}

/* --- pitfalls -------------------------------------------------------------- */

static void
test_pitfalls(void)
{
	struct loss_opts	o = opts(MEAN);
	struct loss_result	r;
	struct err		e;
	enum pitfall_id		id;

	check_r("softmax-then-ce (P1: 0.80212092)", 1, PITFALL_SOFTMAX_THEN_CE,
	    M2(1, 3, 2, 1, 0.1), V1(0), &o, 0.80212092,
	    D(-0.1878177, 0.1363047, 0.0515130), 1e-6, 1e-7, NULL);
	check_r("softmax-then-ce floor: [[20,0,0]] -> 0.55144465 (P1)", 1,
	    PITFALL_SOFTMAX_THEN_CE, M2(1, 3, 20, 0, 0), V1(0), &o, 0.55144465,
	    NULL, 1e-6, 0, NULL);
	/* P1 quotes float32 [-5.8e-18, -7.5e-10, 0]; float64 torch: */
	check_r("softmax-then-ce saturated: [[-20,0,20]] -> 1.5514448 (P1)", 1,
	    PITFALL_SOFTMAX_THEN_CE, M2(1, 3, -20, 0, 20), V1(0), &o,
	    1.5514447131814297, D(-5.795500037038387e-18,
	    -7.506212888765689e-10, 7.506213413127125e-10), 1e-9, 0, NULL);
	check_r("log-softmax-then-ce is harmless (P1: 0.41702995)", 1,
	    PITFALL_LOG_SOFTMAX_THEN_CE, M2(1, 3, 2, 1, 0.1), V1(0), &o,
	    0.41702995, D(-0.3409988, 0.2424330, 0.0985659), 1e-6, 1e-7, NULL);
	check_r("double-sigmoid (P2: 0.53765386)", 1, PITFALL_DOUBLE_SIGMOID,
	    V1(2, -1, 0.5), V1(1, 0, 1), &o, 0.53765386,
	    D(-0.0102548, 0.0371487, -0.0273562), 1e-6, 1e-7, NULL);
	check_r("double-sigmoid confident logits: 0.43990588 (P2)", 1,
	    PITFALL_DOUBLE_SIGMOID, V1(10, -10, 10), V1(1, 0, 1), &o,
	    0.43990588, NULL, 1e-6, 0, NULL);
	check_r("bce-on-logits in [0,1]: silently wrong (P3)", 1,
	    PITFALL_BCE_ON_LOGITS, V1(0.9, 0.1, 0.5), V1(1, 0, 1), &o,
	    0.30128941, D(-0.3703704, 0.3703704, -0.6666667), 1e-6, 1e-7,
	    NULL);
	tap_ok(pitfall_eval(PITFALL_BCE_ON_LOGITS, V1(2, -1, 0.5), V1(1, 0, 1),
	    &o, &r, &e) == -1 && strcmp(e.msg, "all elements of input should "
	    "be between 0 and 1") == 0, "bce-on-logits: torch's range error "
	    "(P3)");
	/* Section 12 / P8: float32 saturation (torch float32 numbers) */
	o = opts(SUM);
	check_r("naive-float32 x=17, y=0: 100, grad 0 (section 12)", 1,
	    PITFALL_NAIVE_FLOAT32, V1(17), V1(0), &o, 100, D(0), 0, 0, NULL);
	check_r("naive-float32 x=16, y=0: 15.942385, grad 0.99999988", 1,
	    PITFALL_NAIVE_FLOAT32, V1(16), V1(0), &o, 15.942385,
	    D(0.99999988), 1e-7, 0, NULL);
	check_r("naive-float32 x=-50, y=1: 50, grad -1.93e-10", 1,
	    PITFALL_NAIVE_FLOAT32, V1(-50), V1(1), &o, 50, D(-1.93e-10), 3e-3,
	    0, NULL);
	check_r("naive-float32 x=-89, y=1: 100, grad -0", 1,
	    PITFALL_NAIVE_FLOAT32, V1(-89), V1(1), &o, 100, D(-0.0), 0, 0,
	    NULL);
	check_r("naive-float32 saturates from 16.63553237915039", 1,
	    PITFALL_NAIVE_FLOAT32, V1(16.63553237915039, 16.635530471801758),
	    V1(0, 0), &o, 100 + 15.942384719848633, NULL, 1e-7, 0, &r);
	tap_ok(r.elem.v[0] == 100 && r.elem.v[1] < 100 && r.grad.v[0] == 0 &&
	    r.grad.v[1] > 0.9, "naive-float32: 16.63553237915039 is the "
	    "first saturated logit, 16.635530471801758 is not");
	loss_result_free(&r);
	o = opts(MEAN);
	o.pos_weight = V1(2);
	tap_ok(pitfall_eval(PITFALL_NAIVE_FLOAT32, V1(1), V1(1), &o, &r, &e) ==
	    -1 && strstr(e.msg, "pos_weight") != NULL,
	    "naive-float32 refuses pos_weight (nn.BCELoss has none)");
	o = opts(MEAN);
	tap_ok(pitfall_eval(PITFALL_NAIVE_FLOAT32, V1(NAN), V1(1), &o, &r,
	    &e) == -1 && strstr(e.msg, "between 0 and 1") != NULL,
	    "naive-float32 NaN: sigmoid(NaN) fails torch's range check");
	tap_ok(pitfall_eval(PITFALL_NONE, V1(1), V1(1), &o, &r, &e) == -1,
	    "pitfall none is refused");
	tap_ok(pitfall_loss(PITFALL_DOUBLE_SIGMOID) == LOSS_BCE_LOGITS &&
	    pitfall_loss(PITFALL_SOFTMAX_THEN_CE) == LOSS_CE &&
	    pitfall_loss(PITFALL_NAIVE_FLOAT32) == LOSS_BCE_LOGITS &&
	    pitfall_loss(PITFALL_BCE_ON_LOGITS) == LOSS_BCE_LOGITS,
	    "pitfall_loss: the correct losses");
	tap_ok(strcmp(pitfall_torch_code(PITFALL_DOUBLE_SIGMOID),
	    "nn.BCEWithLogitsLoss()(torch.sigmoid(z), y)") == 0 &&
	    strstr(pitfall_torch_code(PITFALL_SOFTMAX_THEN_CE), "softmax") !=
	    NULL, "pitfall_torch_code");
	tap_ok(pitfall_parse("softmax-then-ce", &id) == 0 &&
	    id == PITFALL_SOFTMAX_THEN_CE && pitfall_parse("nope", &id) == -1 &&
	    strcmp(pitfall_name(PITFALL_NAIVE_FLOAT32), "naive-float32") == 0,
	    "pitfall names round-trip");
}

/* --- names and options ------------------------------------------------------ */

static void
test_names(void)
{
	enum loss_id		id;
	enum loss_reduction	red;
	int			i, ok = 1;

	for (i = 0; i < LOSS_COUNT; i++)
		ok = ok && loss_parse(loss_name((enum loss_id)i), &id) == 0 &&
		    id == (enum loss_id)i;
	tap_ok(ok && loss_parse("mse", &id) == -1, "loss names round-trip");
	tap_ok(loss_reduction_parse("batchmean", &red) == 0 &&
	    red == LOSS_REDUCTION_BATCHMEAN &&
	    loss_reduction_parse("avg", &red) == -1 &&
	    strcmp(loss_reduction_name(LOSS_REDUCTION_SUM), "sum") == 0,
	    "reduction names");
	tap_ok(loss_has_option(LOSS_BCE_LOGITS, "pos-weight") &&
	    !loss_has_option(LOSS_BCE, "pos-weight") &&
	    loss_has_option(LOSS_CE, "label-smoothing") &&
	    loss_has_option(LOSS_FOCAL, "gamma") &&
	    !loss_has_option(LOSS_KL_DIV, "weight"), "loss_has_option");
	tap_ok(loss_input_kind(LOSS_BCE) == LOSS_INPUT_PROBABILITIES &&
	    loss_input_kind(LOSS_NLL) == LOSS_INPUT_LOG_PROBABILITIES &&
	    loss_input_kind(LOSS_CE) == LOSS_INPUT_LOGITS &&
	    strcmp(loss_torch_name(LOSS_BCE_LOGITS), "nn.BCEWithLogitsLoss") ==
	    0, "input kinds and torch names");
}

/* --- diagnostics ------------------------------------------------------------- */

/* Whether diagnostic `id` fires (and, if where != NULL, names it). */
static int
fires(enum loss_id loss, const struct mat *x, const struct mat *t,
    const struct loss_opts *o, const char *id, const char *where)
{
	struct diag_list	dl;
	int			i;

	diag_check(loss, x, t, o, NULL, &dl);
	for (i = 0; i < dl.n; i++)
		if (strcmp(dl.d[i].id, id) == 0)
			return where == NULL || strstr(dl.d[i].msg, where) != NULL;
	return 0;
}

#define DIAG_YES(name, loss, x, t, o, id, where) \
	tap_ok(fires(loss, x, t, o, id, where), "diag %s fires: %s", id, name)
#define DIAG_NO(name, loss, x, t, o, id) \
	tap_ok(!fires(loss, x, t, o, id, NULL), "diag %s quiet: %s", id, name)

static void
test_diag(void)
{
	struct loss_opts	o = opts(MEAN);
	struct diag_list	dl;
	const struct mat	*lg = M2(2, 3, 2, -1, 0.5, 0.3, -2, 4);

	DIAG_YES("bce-logits on probabilities", LOSS_BCE_LOGITS,
	    V1(0.9, 0.1, 0.5), V1(1, 0, 1), &o,
	    "input-looks-like-probabilities", "was sigmoid applied already?");
	DIAG_YES("focal on probabilities", LOSS_FOCAL, V1(0.9, 0.1),
	    V1(1, 0), &o, "input-looks-like-probabilities", NULL);
	DIAG_YES("mlsm on probabilities", LOSS_MULTILABEL_SOFT_MARGIN,
	    M2(1, 2, 0.9, 0.1), M2(1, 2, 1, 0), &o,
	    "input-looks-like-probabilities", NULL);
	DIAG_NO("bce-logits on logits", LOSS_BCE_LOGITS, V1(2, -1, 0.5),
	    V1(1, 0, 1), &o, "input-looks-like-probabilities");
	DIAG_YES("ce on softmax output", LOSS_CE,
	    M2(2, 3, 0.6590011388859679, 0.2424329707047139,
	    0.0985658904093182, 0.2, 0.3, 0.5), V1(0, 2), &o,
	    "input-looks-like-softmax", NULL);
	DIAG_NO("ce on logits", LOSS_CE, lg, V1(0, 2), &o,
	    "input-looks-like-softmax");
	DIAG_YES("ce multi-hot target", LOSS_CE, lg,
	    M2(2, 3, 1, 0, 0, 1, 0, 1), &o, "multi-hot-target-for-ce", "row 1");
	DIAG_NO("ce one-hot target", LOSS_CE, lg, M2(2, 3, 1, 0, 0, 0, 0, 1),
	    &o, "multi-hot-target-for-ce");
	DIAG_YES("bce-logits one-hot rows", LOSS_BCE_LOGITS, lg,
	    M2(2, 3, 1, 0, 0, 0, 0, 1), &o, "one-hot-target-for-bce-logits",
	    NULL);
	DIAG_NO("bce-logits multi-hot rows", LOSS_BCE_LOGITS, lg,
	    M2(2, 3, 1, 0, 1, 0, 0, 1), &o, "one-hot-target-for-bce-logits");
	DIAG_YES("bce target 2", LOSS_BCE, V1(0.5, 0.5), V1(1, 2), &o,
	    "target-out-of-range", "element 1");
	DIAG_YES("bce-logits target -1", LOSS_BCE_LOGITS, lg,
	    M2(2, 3, 1, 0, 0, 0, -1, 1), &o, "target-out-of-range",
	    "row 1, column 1");
	DIAG_NO("bce targets in [0,1]", LOSS_BCE, V1(0.5, 0.5), V1(1, 0.3), &o,
	    "target-out-of-range");
	DIAG_YES("ce all targets ignored", LOSS_CE, lg, V1(-100, -100), &o,
	    "all-targets-ignored", "NaN");
	DIAG_YES("nll all target weights 0", LOSS_NLL, lg, V1(0, 0),
	    (o.weight = V1(0, 1, 1), &o), "all-targets-ignored", NULL);
	o = opts(MEAN);
	DIAG_NO("ce one target kept", LOSS_CE, lg, V1(-100, 1), &o,
	    "all-targets-ignored");
	o.reduction = SUM;
	DIAG_NO("ce all ignored with sum (0, not NaN)", LOSS_CE, lg,
	    V1(-100, -100), &o, "all-targets-ignored");
	o = opts(MEAN);
	DIAG_YES("empty batch", LOSS_CE, mk(2, 0, 3, NULL), mk(1, 1, 0, NULL),
	    &o, "empty-batch", "[0, 3]");
	DIAG_NO("non-empty batch", LOSS_CE, lg, V1(0, 1), &o, "empty-batch");
	DIAG_YES("NaN input", LOSS_BCE_LOGITS, M2(1, 3, 1, NAN, 2),
	    M2(1, 3, 1, 0, 1), &o, "nonfinite-input", "row 0, column 1");
	DIAG_NO("finite input", LOSS_BCE_LOGITS, lg, lg, &o,
	    "nonfinite-input");
	DIAG_YES("nll on probabilities", LOSS_NLL, M2(1, 3, 0.7, 0.2, 0.1),
	    V1(0), &o, "nll-input-not-log-probabilities", "row 0, column 0");
	DIAG_NO("nll on log-probabilities", LOSS_NLL,
	    M2(1, 3, -0.4, -1.4, -2.3), V1(0), &o,
	    "nll-input-not-log-probabilities");
	DIAG_YES("kl-div mean", LOSS_KL_DIV, V1(-1, -1), V1(0.5, 0.5), &o,
	    "kl-mean-reduction", "'batchmean' divides only by the batch size, "
	    "and aligns with the KL div math definition.'mean' will be changed "
	    "to behave the same as 'batchmean' in the next major release.");
	o.reduction = LOSS_REDUCTION_BATCHMEAN;
	DIAG_NO("kl-div batchmean", LOSS_KL_DIV, V1(-1, -1), V1(0.5, 0.5), &o,
	    "kl-mean-reduction");
	DIAG_YES("kl-div input probabilities", LOSS_KL_DIV, V1(0.3, 0.7),
	    V1(0.5, 0.5), &o, "kl-input-not-log-probabilities", "element 0");
	DIAG_NO("kl-div input log-probabilities", LOSS_KL_DIV, V1(-1, -0.5),
	    V1(0.5, 0.5), &o, "kl-input-not-log-probabilities");
	o = opts(MEAN);
	DIAG_YES("soft-margin 0/1 target", LOSS_SOFT_MARGIN, V1(1, 2),
	    V1(1, 0), &o, "soft-margin-target-not-pm1", "element 1");
	DIAG_NO("soft-margin +-1 target", LOSS_SOFT_MARGIN, V1(1, 2),
	    V1(1, -1), &o, "soft-margin-target-not-pm1");
	DIAG_YES("mlsm -1 padding", LOSS_MULTILABEL_SOFT_MARGIN,
	    M2(1, 3, 2, -1, 0.5), M2(1, 3, 1, -1, 1), &o,
	    "multilabel-target-minus-one", "row 0, column 1");
	DIAG_NO("mlsm 0/1 target", LOSS_MULTILABEL_SOFT_MARGIN,
	    M2(1, 3, 2, -1, 0.5), M2(1, 3, 1, 0, 1), &o,
	    "multilabel-target-minus-one");
	DIAG_YES("bce input exactly 1, target 0", LOSS_BCE, V1(0.5, 1),
	    V1(1, 0), &o, "bce-input-saturated", "element 1");
	DIAG_NO("bce input exactly 1, target 1", LOSS_BCE, V1(0.5, 1),
	    V1(1, 1), &o, "bce-input-saturated");
	/* never reads out of bounds on shapes loss_eval would refuse */
	diag_check(LOSS_CE, lg, V1(0), &o, NULL, &dl);
	diag_check(LOSS_BCE, lg, V1(0), &o, NULL, &dl);
	diag_check(LOSS_NLL, lg, M2(2, 2, 0, 0, 0, 0), &o, NULL, &dl);
	tap_ok(dl.n >= 0 && dl.n <= DIAG_MAX, "diag on mismatched shapes");
}

/*
 * vstat: the summary of n values against a plain loop (min and max exact,
 * the mean to 1e-12, the non-finite count), for every length 0..40 and a
 * few large ones, with nan, +-inf and -0.0 mixed in; vstat_summary_f of
 * floats is vstat_summary of their doubles, bit for bit; the portable
 * code gives the bits of the AVX2 copy (where this processor runs it).
 */
static void
test_vstat(void)
{
	static const size_t	 lens[] = { 1000, 1023, 1024, 1025, 4099 };
	float			*f = malloc(5000 * sizeof *f);
	double			*d = malloc(5000 * sizeof *d);
	struct vstat		 a, b, pa, pb;
	size_t			 n, k, i, cnt, bad = 0, badf = 0, badp = 0;
	double			 mn, mx, sum;

	for (k = 0; k < 41 + sizeof lens / sizeof lens[0]; k++) {
		n = k < 41 ? k : lens[k - 41];
		for (i = 0; i < n; i++) {
			f[i] = (float)((double)((i * 7919 + k) % 1000) / 37.0 -
			    13.0);
			if ((i + k) % 97 == 3)
				f[i] = NAN;
			if ((i + k) % 89 == 5)
				f[i] = (i & 1) ? INFINITY : -INFINITY;
			if ((i + k) % 53 == 7)
				f[i] = (k & 1) ? -0.0f : 0.0f;
			d[i] = f[i];
		}
		mn = INFINITY;
		mx = -INFINITY;
		sum = 0.0;
		cnt = 0;
		for (i = 0; i < n; i++)
			if (isfinite(d[i])) {
				cnt++;
				sum += d[i];
				mn = fmin(mn, d[i]);
				mx = fmax(mx, d[i]);
			}
		vstat_summary(d, n, &a);
		vstat_summary_f(f, n, &b);
		vstat_summary_portable(d, n, &pa);
		vstat_summary_f_portable(f, n, &pb);
		if (memcmp(&pa, &a, sizeof a) != 0 ||
		    memcmp(&pb, &b, sizeof b) != 0)
			badp++;
		if (a.n != n || a.nonfinite != n - cnt || (cnt && (a.min != mn ||
		    a.max != mx || fabs(a.mean - sum / (double)cnt) > 1e-12)) ||
		    (!cnt && !isnan(a.mean)))
			bad++;
		if (b.n != a.n || b.nonfinite != a.nonfinite ||
		    memcmp(&b.min, &a.min, sizeof a.min) != 0 ||
		    memcmp(&b.max, &a.max, sizeof a.max) != 0 ||
		    memcmp(&b.mean, &a.mean, sizeof a.mean) != 0)
			badf++;
	}
	tap_ok(bad == 0, "vstat_summary: min, max, mean and non-finite count "
	    "of 46 arrays as a plain loop gives them (%zu wrong)", bad);
	tap_ok(badf == 0, "vstat_summary_f of floats: vstat_summary of their "
	    "doubles, bit for bit (%zu differ)", badf);
	tap_ok(badp == 0, "vstat's portable code gives the bits of the one "
	    "this processor runs (%zu differ)", badp);
	free(f);
	free(d);
}

/*
 * Large arrays (4 MiB or more) live in an anonymous mapping of their own,
 * aligned to 2 MiB (core/mat.c): mat_alloc's is zero in every byte,
 * mat_alloc_uninit's and mat_alloc_f32's take every value written, and
 * mat_copy, mat_widen and mat_free handle them as any other (valgrind and
 * ASan runs of this test see a bad unmapping); smaller ones stay malloc's.
 */
static void
test_big_mats(void)
{
	const size_t	 rows = 1000, cols = 700;	/* 5.6 MB of doubles */
	struct mat	 z = MAT_INIT, u = MAT_INIT, f = MAT_INIT, c = MAT_INIT;
	struct mat	 small = MAT_INIT;
	struct err	 e;
	size_t		 i, n = rows * cols, bad = 0;
	int		 good;

	good = mat_alloc(&z, 2, rows, cols, &e) == 0 &&
	    mat_alloc_uninit(&u, 2, rows, cols, &e) == 0 &&
	    mat_alloc_f32(&f, 2, rows, 2 * cols, &e) == 0 &&
	    mat_alloc(&small, 2, 10, 10, &e) == 0;
	tap_ok(good, "large mats allocated");
	if (!good)
		goto out;
	tap_ok(z.map != NULL && u.map != NULL && f.map != NULL &&
	    small.map == NULL && ((uintptr_t)z.map & ((2u << 20) - 1)) == 0 &&
	    (void *)z.v == z.map && z.maplen >= n * sizeof(double) &&
	    z.maplen % (2u << 20) == 0, "a large mat is a mapping of its own, "
	    "aligned to 2 MiB and rounded up to it; a small one is not");
	for (i = 0; i < n; i++)
		bad += z.v[i] != 0.0 || signbit(z.v[i]);
	tap_ok(bad == 0, "mat_alloc of a large mat: every value 0.0 (%zu not)",
	    bad);
	for (i = 0; i < n; i++)
		u.v[i] = (double)i * 0.5;
	for (i = 0; i < 2 * n; i++)
		f.f32[i] = (float)i;
	good = mat_copy(&c, &u, &e) == 0 && c.map != NULL;
	for (i = 0, bad = 0; good && i < n; i++)
		bad += c.v[i] != (double)i * 0.5;
	tap_ok(good && bad == 0, "mat_copy of a large mat (%zu differ)", bad);
	good = mat_widen(&f, &e) == 0 && f.f32 == NULL && f.v != NULL &&
	    f.map != NULL;
	for (i = 0, bad = 0; good && i < 2 * n; i++)
		bad += f.v[i] != (double)(float)i;
	tap_ok(good && bad == 0, "mat_widen of a large float32 mat into a large "
	    "mat of doubles (%zu differ)", bad);
out:
	mat_free(&z);
	mat_free(&u);
	mat_free(&f);
	mat_free(&c);
	mat_free(&small);
	tap_ok(z.map == NULL && z.v == NULL && f.map == NULL && f.f32 == NULL,
	    "mat_free unmaps and resets large mats");
}

/*
 * Float32 storage (core/mat.h): ce with class indices in float32 reads it
 * and gives the float gradient the doubles give; every other use refuses.
 */
static void
test_f32_storage(void)
{
	struct mat		 xf = MAT_INIT, xd = MAT_INIT, t = MAT_INIT;
	struct loss_result	 rf, rd;
	struct loss_opts	 o;
	struct err		 e;
	size_t			 i;
	int			 good;

	loss_opts_init(&o);
	o.float32 = 1;
	good = mat_alloc_f32(&xf, 2, 3, 4, &e) == 0 &&
	    mat_alloc(&t, 1, 1, 3, &e) == 0;
	for (i = 0; good && i < 12; i++)
		xf.f32[i] = (float)i * 0.75f - 4.0f;
	if (good) {
		t.v[0] = 1;
		t.v[1] = 3;
		t.v[2] = 0;
	}
	good = good && mat_copy(&xd, &xf, &e) == 0 && xd.f32 == NULL &&
	    loss_eval(LOSS_CE, &xf, &t, &o, &rf, &e) == 0 &&
	    loss_eval(LOSS_CE, &xd, &t, &o, &rd, &e) == 0 &&
	    rf.grad.f32 != NULL && rd.grad.v != NULL &&
	    rf.value == rd.value;
	for (i = 0; good && i < 12; i++)
		good = (double)rf.grad.f32[i] == rd.grad.v[i];
	tap_ok(good, "float32 storage: ce's float gradient is the doubles' "
	    "(%s)", good ? "ok" : e.msg);
	loss_result_free(&rf);
	loss_result_free(&rd);
	tap_ok(loss_eval(LOSS_BCE_LOGITS, &xf, &xd, &o, &rf, &e) != 0 &&
	    strstr(e.msg, "float32 storage") != NULL,
	    "float32 storage elsewhere is refused: \"%s\"", e.msg);
	o.float32 = 0;
	tap_ok(loss_eval(LOSS_CE, &xf, &t, &o, &rf, &e) != 0,
	    "  and so is ce on it in float64");
	tap_ok(mat_widen(&xf, &e) == 0 && xf.f32 == NULL && xf.v != NULL &&
	    memcmp(xf.v, xd.v, 12 * sizeof *xf.v) == 0,
	    "mat_widen: the floats' exact doubles");
	mat_free(&xf);
	mat_free(&xd);
	mat_free(&t);
}

int
main(void)
{
	int	i;

	test_activation();
	test_bce();
	test_bce_logits();
	test_ce();
	test_nll();
	test_others();
	test_nonfinite();
	test_empty();
	test_errors();
	test_pitfalls();
	test_names();
	test_diag();
	test_vstat();
	test_big_mats();
	test_f32_storage();
	for (i = 0; i < npool; i++)
		mat_free(&pool[i]);
	return tap_done();
}
