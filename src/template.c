/*
 * template.c -- the lesson text language (see template.h): placeholders
 * looked up in one table of names, conditions evaluated with three values
 * (true, false, undecided), and a renderer that keeps a stack of {if}
 * branches.
 *
 * Every number comes from the step (step.h), that is from the loss core;
 * this file only looks values up, compares them and formats them.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activation.h"
#include "parse.h"
#include "step.h"
#include "strbuf.h"
#include "i18n.h"
#include "template.h"

#define TEMPLATE_DEPTH	8		/* nested {if} */
#define TEMPLATE_REFUSED "✗"		/* a number a failed computation owes */
#define TEMPLATE_MISSING "—"		/* an index the values do not have */

/* ---- the names ------------------------------------------------------------ */

/* How a name is used: with no index, with one or two, or as text. */
enum tn_form {
	TN_SCALAR,
	TN_INDEXED,
	TN_TEXT
};

/*
 * The one table of names: id, spelling, form, and what the value is: a
 * result of the computation (TC_RESULT: a predict-first question must not
 * show it, a failed computation cannot give it), of the pitfall
 * (TC_PITFALL), or both.
 */
#define TC_RESULT	1
#define TC_PITFALL	2
#define TEMPLATE_NAMES(X)						\
	X(VALUE,	"value",		TN_SCALAR,  1)		\
	X(DENOM,	"denom",		TN_SCALAR,  1)		\
	X(ELEM,		"elem",			TN_INDEXED, 1)		\
	X(GRAD,		"grad",			TN_INDEXED, 1)		\
	X(INPUT,	"input",		TN_INDEXED, 0)		\
	X(TARGET,	"target",		TN_INDEXED, 0)		\
	X(WEIGHT,	"weight",		TN_INDEXED, 0)		\
	X(POS_WEIGHT,	"pos_weight",		TN_INDEXED, 0)		\
	X(SIGMOID,	"sigmoid",		TN_INDEXED, 0)		\
	X(SIGMOID2,	"sigmoid2",		TN_INDEXED, 0)		\
	X(SOFTMAX,	"softmax",		TN_INDEXED, 0)		\
	X(SOFTMAX2,	"softmax2",		TN_INDEXED, 0)		\
	X(LOG_SOFTMAX,	"log_softmax",		TN_INDEXED, 0)		\
	X(ARGMAX,	"argmax",		TN_INDEXED, 0)		\
	X(TARGET_CLASS,	"target_class",		TN_INDEXED, 0)		\
	X(C,		"C",			TN_SCALAR,  0)		\
	X(N,		"N",			TN_SCALAR,  0)		\
	X(NUMEL,	"numel",		TN_SCALAR,  0)		\
	X(P_VALUE,	"pitfall.value",	TN_SCALAR,  3)		\
	X(P_DENOM,	"pitfall.denom",	TN_SCALAR,  3)		\
	X(P_ELEM,	"pitfall.elem",		TN_INDEXED, 3)		\
	X(P_GRAD,	"pitfall.grad",		TN_INDEXED, 3)		\
	X(P_FLOOR,	"pitfall.floor",	TN_SCALAR,  3)		\
	X(DIFF,		"diff",			TN_SCALAR,  3)		\
	X(RATIO,	"ratio",		TN_SCALAR,  3)		\
	X(RATIO_GRAD,	"ratio.grad",		TN_INDEXED, 3)		\
	X(LABEL_SMOOTHING, "label_smoothing",	TN_SCALAR,  0)		\
	X(IGNORE_INDEX,	"ignore_index",		TN_SCALAR,  0)		\
	X(MARGIN,	"margin",		TN_SCALAR,  0)		\
	X(P,		"p",			TN_SCALAR,  0)		\
	X(ALPHA,	"alpha",		TN_SCALAR,  0)		\
	X(GAMMA,	"gamma",		TN_SCALAR,  0)		\
	X(LOG_TARGET,	"log_target",		TN_SCALAR,  0)		\
	X(P_SHOWN,	"pitfall.shown",	TN_SCALAR,  0)		\
	X(HAS_WEIGHT,	"has.weight",		TN_SCALAR,  0)		\
	X(HAS_POS_WEIGHT, "has.pos_weight",	TN_SCALAR,  0)		\
	X(INPUT_MIN,	"input.min",		TN_SCALAR,  0)		\
	X(INPUT_MAX,	"input.max",		TN_SCALAR,  0)		\
	X(TARGET_MIN,	"target.min",		TN_SCALAR,  0)		\
	X(TARGET_MAX,	"target.max",		TN_SCALAR,  0)		\
	X(TARGET_SUM,	"target.sum",		TN_SCALAR,  0)		\
	X(RATIO_ELEM,	"ratio.elem",		TN_INDEXED, 3)		\
	X(LOSS,		"loss",			TN_TEXT,    0)		\
	X(TORCH,	"torch",		TN_TEXT,    0)		\
	X(REDUCTION,	"reduction",		TN_TEXT,    0)		\
	X(KIND,		"kind",			TN_TEXT,    0)		\
	X(PITFALL,	"pitfall",		TN_TEXT,    2)		\
	X(P_CODE,	"pitfall.code",		TN_TEXT,    2)		\
	X(ERROR,	"error",		TN_TEXT,    0)		\
	X(P_ERROR,	"pitfall.error",	TN_TEXT,    2)		\
	X(DTYPE,	"dtype",		TN_TEXT,    0)		\
	X(TARGET_DTYPE,	"target_dtype",		TN_TEXT,    0)		\
	X(DTYPE_HINT,	"dtype.hint",		TN_TEXT,    0)		\
	X(DTYPE_RESULT,	"dtype.result",		TN_TEXT,    0)		\
	X(T_EPOCH,	"train.epoch",		TN_SCALAR,  1)		\
	X(T_EPOCHS,	"train.epochs",		TN_SCALAR,  0)		\
	X(T_LR,		"train.lr",		TN_SCALAR,  0)		\
	X(T_MOMENTUM,	"train.momentum",	TN_SCALAR,  0)		\
	X(T_GOAL,	"train.goal",		TN_SCALAR,  0)		\
	X(T_LOSS,	"train.loss",		TN_SCALAR,  1)		\
	X(T_CLOSS,	"train.correct_loss",	TN_SCALAR,  1)		\
	X(T_ACC,	"train.accuracy",	TN_SCALAR,  1)		\
	X(T_PLOSS,	"train.pitfall.loss",	TN_SCALAR,  1)		\
	X(T_PCLOSS,	"train.pitfall.correct_loss", TN_SCALAR, 1)	\
	X(T_PACC,	"train.pitfall.accuracy", TN_SCALAR, 1)		\
	X(T_REACH,	"train.reach",		TN_SCALAR,  1)		\
	X(T_PREACH,	"train.pitfall.reach",	TN_SCALAR,  1)		\
	X(T_FINAL,	"train.final",		TN_SCALAR,  1)		\
	X(T_PFINAL,	"train.pitfall.final",	TN_SCALAR,  1)

enum tn_id {
#define TN_ENUM(id, name, form, computed)	TN_##id,
	TEMPLATE_NAMES(TN_ENUM)
#undef TN_ENUM
	TN_COUNT
};

static const struct {
	const char	*name;
	enum tn_form	 form;
	int		 computed;
} tn_table[TN_COUNT] = {
#define TN_ROW(id, name, form, computed)	{ name, form, computed },
	TEMPLATE_NAMES(TN_ROW)
#undef TN_ROW
};

static int
tn_find(const char *name, size_t len)
{
	int	i;

	for (i = 0; i < TN_COUNT; i++)
		if (strlen(tn_table[i].name) == len &&
		    memcmp(tn_table[i].name, name, len) == 0)
			return i;
	return -1;
}

/* What a lookup gave. */
enum tv_status {
	TV_OK,
	TV_MISSING,		/* no such index in the live values */
	TV_REFUSED,		/* the loss failed */
	TV_PREFUSED		/* the pitfall pipeline failed */
};

struct tval {
	enum tv_status	 st;
	int		 isnum;
	double		 num;
	const char	*str;
};

/* A parsed reference: a name and up to two indices. */
struct tref {
	int		 id;
	int		 nidx;
	long		 idx[2];
};

/* The row and column an index reference names in m (flat [i] counts row
   by row); TV_MISSING if out of range. */
static enum tv_status
tv_cell(const struct mat *m, const struct tref *r, size_t *row, size_t *col)
{
	if (m == NULL || m->ndim == 0 || m->v == NULL || m->cols == 0)
		return TV_MISSING;
	if (r->nidx == 1) {
		if (r->idx[0] < 0 || (size_t)r->idx[0] >= mat_numel(m))
			return TV_MISSING;
		*row = (size_t)r->idx[0] / m->cols;
		*col = (size_t)r->idx[0] % m->cols;
		return TV_OK;
	}
	if (m->ndim != 2 || r->idx[0] < 0 || r->idx[1] < 0 ||
	    (size_t)r->idx[0] >= m->rows || (size_t)r->idx[1] >= m->cols)
		return TV_MISSING;
	*row = (size_t)r->idx[0];
	*col = (size_t)r->idx[1];
	return TV_OK;
}

/* Element [i] or [i][j] of m into v; TV_MISSING if there is no such one. */
static enum tv_status
tv_elem(const struct mat *m, const struct tref *r, double *v)
{
	size_t		row, col;
	enum tv_status	st;

	if ((st = tv_cell(m, r, &row, &col)) == TV_OK)
		*v = MAT_AT(m, row, col);
	return st;
}

/* The index of the largest of n values (the first of equal ones). */
static size_t
tv_argmax(const double *v, size_t n)
{
	size_t	i, best = 0;

	for (i = 1; i < n; i++)
		if (v[i] > v[best])
			best = i;
	return best;
}

/* Activations of the input at a reference. */
static enum tv_status
tv_act(const struct step *s, int id, const struct tref *r, double *out)
{
	const struct mat *m = &s->input;
	size_t		 row, col, C = m->cols;
	double		*buf;
	enum tv_status	 st;

	if ((st = tv_cell(m, r, &row, &col)) != TV_OK)
		return st;
	if (id == TN_SIGMOID || id == TN_SIGMOID2) {
		*out = activation_sigmoid(MAT_AT(m, row, col));
		if (id == TN_SIGMOID2)
			*out = activation_sigmoid(*out);
		return TV_OK;
	}
	if ((buf = malloc(C * sizeof *buf)) == NULL)
		return TV_MISSING;
	if (id == TN_LOG_SOFTMAX)
		activation_log_softmax(&MAT_AT(m, row, 0), buf, C);
	else {
		activation_softmax(&MAT_AT(m, row, 0), buf, C);
		if (id == TN_SOFTMAX2)
			activation_softmax(buf, buf, C);
	}
	*out = buf[col];
	free(buf);
	return TV_OK;
}

/* Sample i's row of a matrix (a 1-D value is one sample). */
static enum tv_status
tv_row(const struct mat *m, const struct tref *r, size_t *row)
{
	size_t	rows = m->ndim == 2 ? m->rows : 1;

	if (r->nidx != 1 || m->v == NULL || m->cols == 0 || r->idx[0] < 0 ||
	    (size_t)r->idx[0] >= rows)
		return TV_MISSING;
	*row = (size_t)r->idx[0];
	return TV_OK;
}

/* The smallest (max: largest) value of m; TV_MISSING when it is empty. */
static enum tv_status
tv_extreme(const struct mat *m, int max, double *out)
{
	size_t	i, n = mat_numel(m);

	if (m->v == NULL || n == 0)
		return TV_MISSING;
	*out = m->v[0];
	for (i = 1; i < n; i++)
		if (max ? m->v[i] > *out : m->v[i] < *out)
			*out = m->v[i];
	return TV_OK;
}

static const char *
tv_kind(enum loss_id id)
{
	return loss_input_kind_name(id);
}

/* A {train.*} number (NaN: the step has none). */
static double
tv_train(const struct step_train *t, int id)
{
	switch (id) {
	case TN_T_EPOCH:	return t->epoch;
	case TN_T_EPOCHS:	return t->epochs;
	case TN_T_LR:		return t->lr;
	case TN_T_MOMENTUM:	return t->momentum;
	case TN_T_GOAL:		return t->goal;
	case TN_T_LOSS:		return t->loss;
	case TN_T_CLOSS:	return t->correct_loss;
	case TN_T_ACC:		return t->accuracy;
	case TN_T_PLOSS:	return t->p_loss;
	case TN_T_PCLOSS:	return t->p_correct_loss;
	case TN_T_PACC:		return t->p_accuracy;
	case TN_T_REACH:	return t->reach;
	case TN_T_PREACH:	return t->p_reach;
	case TN_T_FINAL:	return t->final_loss;
	case TN_T_PFINAL:	return t->p_final_loss;
	default:		return NAN;
	}
}

/* Look up a reference. */
static struct tval
tv_lookup(const struct step *s, const struct tref *r)
{
	const struct loss_result *res = s->ok ? &s->res : NULL;
	const struct loss_result *pr = s->pitfall_ok ? &s->pres : NULL;
	const struct loss_result *cr = step_cmp_result(s);
	struct tval	 v = { TV_OK, 1, 0, NULL };
	double		 a, b;
	size_t		 row;
	enum tv_status	 pst;

	/* the pitfall's status, for every pitfall.* number */
	if (s->pitfall == PITFALL_NONE)
		pst = TV_MISSING;
	else
		pst = pr != NULL ? TV_OK : TV_PREFUSED;

	switch (r->id) {
	case TN_VALUE:
	case TN_DENOM:
		if (res == NULL)
			v.st = TV_REFUSED;
		else
			v.num = r->id == TN_VALUE ? res->value : res->denom;
		break;
	case TN_ELEM:
	case TN_GRAD:
		if (res == NULL)
			v.st = TV_REFUSED;
		else
			v.st = tv_elem(r->id == TN_ELEM ? &res->elem :
			    &res->grad, r, &v.num);
		break;
	case TN_INPUT:
		v.st = tv_elem(&s->input, r, &v.num);
		break;
	case TN_TARGET:
		v.st = tv_elem(&s->target, r, &v.num);
		break;
	case TN_WEIGHT:
		v.st = tv_elem(&s->weight, r, &v.num);
		break;
	case TN_POS_WEIGHT:
		v.st = tv_elem(&s->pos_weight, r, &v.num);
		break;
	case TN_SIGMOID:
	case TN_SIGMOID2:
	case TN_SOFTMAX:
	case TN_SOFTMAX2:
	case TN_LOG_SOFTMAX:
		v.st = tv_act(s, r->id, r, &v.num);
		break;
	case TN_ARGMAX:
		if ((v.st = tv_row(&s->input, r, &row)) == TV_OK)
			v.num = (double)tv_argmax(&MAT_AT(&s->input, row, 0),
			    s->input.cols);
		break;
	case TN_TARGET_CLASS:
		if (step_index_target(s))
			v.st = tv_elem(&s->target, r, &v.num);
		else if ((v.st = tv_row(&s->target, r, &row)) == TV_OK)
			v.num = (double)tv_argmax(&MAT_AT(&s->target, row, 0),
			    s->target.cols);
		break;
	case TN_C:
		v.num = (double)s->input.cols;
		break;
	case TN_N:
		v.num = s->input.ndim == 2 ? (double)s->input.rows : 1;
		break;
	case TN_NUMEL:
		v.num = (double)mat_numel(&s->input);
		break;
	case TN_P_VALUE:
	case TN_P_DENOM:
		if ((v.st = pst) == TV_OK)
			v.num = r->id == TN_P_VALUE ? pr->value : pr->denom;
		break;
	case TN_P_ELEM:
	case TN_P_GRAD:
		if ((v.st = pst) == TV_OK)
			v.st = tv_elem(r->id == TN_P_ELEM ? &pr->elem :
			    &pr->grad, r, &v.num);
		break;
	case TN_P_FLOOR:
		if ((v.st = pst) == TV_OK && isnan(s->pitfall_floor))
			v.st = TV_MISSING;
		v.num = s->pitfall_floor;
		break;
	case TN_DIFF:
	case TN_RATIO:
	case TN_RATIO_GRAD:
	case TN_RATIO_ELEM:
		if ((v.st = pst) != TV_OK)
			break;
		if (cr == NULL) {
			v.st = TV_REFUSED;
			break;
		}
		if (r->id == TN_DIFF)
			v.num = pr->value - cr->value;
		else if (r->id == TN_RATIO)
			v.num = pr->value / cr->value;
		else if (r->id == TN_RATIO_ELEM) {
			if ((v.st = tv_elem(&pr->elem, r, &a)) == TV_OK &&
			    (v.st = tv_elem(&cr->elem, r, &b)) == TV_OK)
				v.num = a / b;
		} else if ((v.st = tv_elem(&pr->grad, r, &a)) == TV_OK &&
		    (v.st = tv_elem(&cr->grad, r, &b)) == TV_OK)
			v.num = a / b;
		break;
	case TN_LABEL_SMOOTHING:
		v.num = s->opts.label_smoothing;
		break;
	case TN_IGNORE_INDEX:
		v.num = (double)s->opts.ignore_index;
		break;
	case TN_MARGIN:
		v.num = s->opts.margin;
		break;
	case TN_P:
		v.num = s->opts.p;
		break;
	case TN_ALPHA:
		v.num = s->opts.alpha;
		break;
	case TN_GAMMA:
		v.num = s->opts.gamma;
		break;
	case TN_LOG_TARGET:
		v.num = s->opts.log_target != 0;
		break;
	case TN_P_SHOWN:
		v.num = s->show_pitfall && s->pitfall != PITFALL_NONE;
		break;
	case TN_HAS_WEIGHT:
		v.num = s->weight.ndim != 0;
		break;
	case TN_HAS_POS_WEIGHT:
		v.num = s->pos_weight.ndim != 0;
		break;
	case TN_INPUT_MIN:
	case TN_INPUT_MAX:
		v.st = tv_extreme(&s->input, r->id == TN_INPUT_MAX, &v.num);
		break;
	case TN_TARGET_MIN:
	case TN_TARGET_MAX:
		v.st = tv_extreme(&s->target, r->id == TN_TARGET_MAX, &v.num);
		break;
	case TN_T_EPOCH: case TN_T_EPOCHS: case TN_T_LR: case TN_T_MOMENTUM:
	case TN_T_GOAL: case TN_T_LOSS: case TN_T_CLOSS: case TN_T_ACC:
	case TN_T_PLOSS: case TN_T_PCLOSS: case TN_T_PACC: case TN_T_REACH:
	case TN_T_PREACH: case TN_T_FINAL: case TN_T_PFINAL:
		v.num = tv_train(&s->train, r->id);
		/* no training step, no pitfall run, no goal: not there */
		if (!s->train.has || isnan(v.num))
			v.st = TV_MISSING;
		break;
	case TN_TARGET_SUM:
		v.num = 0;
		for (row = 0; row < mat_numel(&s->target); row++)
			v.num += s->target.v[row];
		break;
	default:
		v.isnum = 0;
		switch (r->id) {
		case TN_LOSS:
			v.str = loss_name(s->loss);
			break;
		case TN_TORCH:
			v.str = loss_torch_name(s->loss);
			break;
		case TN_REDUCTION:
			v.str = loss_reduction_name(s->opts.reduction);
			break;
		case TN_KIND:
			v.str = tv_kind(s->loss);
			break;
		case TN_PITFALL:
			v.str = pitfall_name(s->pitfall);
			break;
		case TN_P_CODE:
			if (s->pitfall == PITFALL_NONE)
				v.st = TV_MISSING;
			else
				v.str = pitfall_torch_code(s->pitfall);
			break;
		case TN_ERROR:
			v.str = s->error;
			break;
		case TN_P_ERROR:
			v.str = s->pitfall_error;
			break;
		case TN_DTYPE:
			v.str = dtype_name(s->dtype);
			break;
		case TN_TARGET_DTYPE:
			v.str = dtype_name(step_target_dtype(s));
			break;
		case TN_DTYPE_HINT:
			v.str = s->dtype_hint != NULL ? _(s->dtype_hint) :
			    NULL;
			break;
		case TN_DTYPE_RESULT:
			v.str = dtype_name(s->rdtype);	/* NULL: "" */
			break;
		}
		if (v.str == NULL)
			v.str = "";
		break;
	}
	return v;
}

/* ---- references and expressions ------------------------------------------ */

/* A name character (names may hold dots: pitfall.value). */
static int
tn_char(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

/*
 * Parse a reference "name[i][j]" at *pp (no blanks inside), advancing *pp.
 * Returns 0, or -1 when it is not one (unknown name, bad index, an index
 * on a scalar or none on an indexed name).
 */
static int
tref_parse(const char **pp, struct tref *r)
{
	const char	*p = *pp, *start = p;
	char		*end;

	while (tn_char((unsigned char)*p))
		p++;
	if (p == start || !isalpha((unsigned char)*start))
		return -1;
	if ((r->id = tn_find(start, (size_t)(p - start))) < 0)
		return -1;
	r->nidx = 0;
	while (*p == '[') {
		if (r->nidx == 2 || !isdigit((unsigned char)p[1]))
			return -1;
		r->idx[r->nidx++] = strtol(p + 1, &end, 10);
		if (*end != ']' || r->idx[r->nidx - 1] > 1000000000L)
			return -1;
		p = end + 1;
	}
	if ((tn_table[r->id].form == TN_INDEXED) != (r->nidx > 0))
		return -1;
	*pp = p;
	return 0;
}

/* An operand of a comparison. */
struct toper {
	int		 isnum;
	double		 num;
	char		 str[64];
	enum tv_status	 st;
};

static void
skip_blanks(const char **pp)
{
	while (**pp == ' ' || **pp == '\t')
		(*pp)++;
}

/* Parse and evaluate one operand (s NULL: syntax only).  0 or -1. */
static int
toper_parse(const struct step *s, const char **pp, struct toper *o,
    int *npitfall)
{
	const char	*p = *pp, *q;
	struct tref	 r;
	struct tval	 v;
	char		*end;
	size_t		 n;

	memset(o, 0, sizeof *o);
	skip_blanks(&p);
	if (*p == '\'' || *p == '"') {
		if ((q = strchr(p + 1, *p)) == NULL)
			return -1;
		n = (size_t)(q - p - 1);
		if (n >= sizeof o->str)
			return -1;
		memcpy(o->str, p + 1, n);
		o->str[n] = '\0';
		*pp = q + 1;
		return 0;
	}
	if (isdigit((unsigned char)*p) || *p == '.' ||
	    ((*p == '-' || *p == '+') && (isdigit((unsigned char)p[1]) ||
	    p[1] == '.'))) {
		o->isnum = 1;
		o->num = strtod(p, &end);
		if (end == p)
			return -1;
		*pp = end;
		return 0;
	}
	if (tref_parse(&p, &r) != 0)
		return -1;
	*pp = p;
	o->isnum = tn_table[r.id].form != TN_TEXT;
	if (tn_table[r.id].computed & TC_PITFALL)
		(*npitfall)++;
	if (s == NULL)
		return 0;
	v = tv_lookup(s, &r);
	o->st = v.st;
	if (v.isnum)
		o->num = v.num;
	else
		snprintf(o->str, sizeof o->str, "%s", v.str);
	return 0;
}

/* The comparison operators. */
static int
top_parse(const char **pp, int *op)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">" };
	const char	*p = *pp;
	int		 i;

	skip_blanks(&p);
	for (i = 0; i < 6; i++)
		if (strncmp(p, ops[i], strlen(ops[i])) == 0) {
			*op = i;
			*pp = p + strlen(ops[i]);
			return 0;
		}
	return -1;
}

/* Evaluation state: the first reason a condition could not be decided,
   and whether it looked at the pitfall. */
struct teval {
	const struct step *s;		/* NULL: check syntax only */
	enum tv_status	 why;
	int		 npitfall;
};

static int texpr_at(struct teval *, const char **);

/* One comparison, `true`, `false` or a parenthesised EXPR: 1, 0, -1
   undecided, -2 malformed. */
static int
tcmp(struct teval *ev, const char **pp)
{
	struct toper	 a, b;
	int		 op, c;

	skip_blanks(pp);
	if (**pp == '(') {
		(*pp)++;
		c = texpr_at(ev, pp);
		skip_blanks(pp);
		if (c == -2 || **pp != ')')
			return -2;
		(*pp)++;
		return c;
	}
	if ((strncmp(*pp, "true", 4) == 0 || strncmp(*pp, "false", 5) == 0) &&
	    !tn_char((unsigned char)(*pp)[**pp == 't' ? 4 : 5])) {
		c = **pp == 't';
		*pp += c ? 4 : 5;
		return c;
	}
	if (toper_parse(ev->s, pp, &a, &ev->npitfall) != 0 ||
	    top_parse(pp, &op) != 0 ||
	    toper_parse(ev->s, pp, &b, &ev->npitfall) != 0)
		return -2;
	if (a.isnum != b.isnum || (!a.isnum && op > 1))
		return -2;
	if (ev->s == NULL)
		return 1;
	if (a.st != TV_OK || b.st != TV_OK) {
		if (ev->why == TV_OK)
			ev->why = a.st != TV_OK ? a.st : b.st;
		return -1;
	}
	if (!a.isnum) {
		c = strcmp(a.str, b.str) == 0;
		return op == 0 ? c : !c;
	}
	switch (op) {
	case 0:
		return a.num == b.num;
	case 1:
		return a.num != b.num;
	case 2:
		return a.num <= b.num;
	case 3:
		return a.num >= b.num;
	case 4:
		return a.num < b.num;
	default:
		return a.num > b.num;
	}
}

/* Whether the word w (followed by a blank) is at *pp; skips it if so. */
static int
tword(const char **pp, const char *w)
{
	const char	*p = *pp;
	size_t		 n = strlen(w);

	skip_blanks(&p);
	if (strncmp(p, w, n) == 0 && (p[n] == ' ' || p[n] == '\t')) {
		*pp = p + n;
		return 1;
	}
	return 0;
}

/* EXPR at *pp, up to its end or a closing parenthesis: comparisons
   joined by `and` (tighter) and `or`; three-valued. */
static int
texpr_at(struct teval *ev, const char **pp)
{
	const char	*p = *pp;
	int		 any = 0, conj, c;

	for (;;) {
		conj = 1;
		for (;;) {
			if ((c = tcmp(ev, &p)) == -2)
				return -2;
			if (c == 0 || conj == 0)
				conj = 0;
			else if (c == -1)
				conj = -1;
			if (!tword(&p, "and"))
				break;
		}
		if (conj == 1 || any == 1)
			any = 1;
		else if (conj == -1)
			any = -1;
		if (!tword(&p, "or"))
			break;
	}
	skip_blanks(&p);
	*pp = p;
	return any;
}

static int
texpr(struct teval *ev, const char *expr)
{
	const char	*p = expr;
	int		 c;

	c = texpr_at(ev, &p);
	return c == -2 || *p != '\0' ? -2 : c;
}

int
template_cond(const struct step *s, const char *expr)
{
	struct teval	 ev = { s, TV_OK, 0 };

	return texpr(&ev, expr);
}

/* ---- rendering -------------------------------------------------------------- */

enum tdir {
	TD_PLACEHOLDER,
	TD_IF,
	TD_ELIF,
	TD_ELSE,
	TD_END,
	TD_ASSUME,
	TD_WHEN
};

/* Which directive the text between braces is; *arg gets its argument. */
static enum tdir
tdir_of(const char *ph, const char **arg)
{
	static const struct {
		const char	*word;
		enum tdir	 d;
		int		 takes;		/* an expression follows */
	} dirs[] = {
		{ "if", TD_IF, 1 }, { "elif", TD_ELIF, 1 },
		{ "else", TD_ELSE, 0 }, { "end", TD_END, 0 },
		{ "assume", TD_ASSUME, 1 }, { "when", TD_WHEN, 1 },
	};
	size_t	i, n;

	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		n = strlen(dirs[i].word);
		if (strncmp(ph, dirs[i].word, n) != 0)
			continue;
		if (dirs[i].takes && (ph[n] == ' ' || ph[n] == '\t')) {
			*arg = ph + n + 1;
			return dirs[i].d;
		}
		if (!dirs[i].takes && ph[n] == '\0') {
			*arg = NULL;
			return dirs[i].d;
		}
	}
	*arg = ph;
	return TD_PLACEHOLDER;
}

/* A placeholder: a reference, an optional precision, optional words. */
struct tph {
	struct tref	 ref;
	int		 prec;
	const char	*one, *many;	/* into the caller's copy */
};

/* Parse the text of a placeholder (modified in place). 0 or -1. */
static int
tph_parse(char *ph, struct tph *t)
{
	const char	*p = ph;
	char		*bar, *colon, *end;

	t->prec = 0;
	t->one = t->many = NULL;
	if ((bar = strchr(ph, '|')) != NULL) {
		*bar = '\0';
		t->one = bar + 1;
		if ((bar = strchr(bar + 1, '|')) == NULL)
			return -1;
		*bar = '\0';
		t->many = bar + 1;
		if (strchr(t->many, '|') != NULL)
			return -1;
	}
	if ((colon = strchr(ph, ':')) != NULL) {
		*colon = '\0';
		t->prec = (int)strtol(colon + 1, &end, 10);
		if (*end != '\0' || t->prec < 1 || t->prec > 17)
			return -1;
	}
	if (tref_parse(&p, &t->ref) != 0 || *p != '\0')
		return -1;
	if (t->one != NULL && tn_table[t->ref.id].form == TN_TEXT)
		return -1;
	return 0;
}

/* One frame of the {if} stack. */
struct tframe {
	int	 active;	/* this branch is shown */
	int	 taken;		/* a branch of this {if} was chosen (or the
				   condition was undecided: none will be) */
	int	 seen_else;
};

struct trender {
	const struct step	*s;	/* NULL: check only */
	struct template_info	*info;
	struct strbuf		 out;
	struct tframe		 stack[TEMPLATE_DEPTH];
	int			 depth;
};

static int
tr_active(const struct trender *t)
{
	return t->depth == 0 || t->stack[t->depth - 1].active;
}

static void
tr_bad(struct trender *t, const char *what, size_t n)
{
	if (t->info->nbad++ == 0)
		snprintf(t->info->bad, sizeof t->info->bad, "%.*s", (int)n,
		    what);
}

/* Count why a value or a condition could not be given. */
static void
tr_status(struct trender *t, enum tv_status st)
{
	switch (st) {
	case TV_MISSING:
		t->info->nmissing++;
		break;
	case TV_REFUSED:
		t->info->nrefused++;
		break;
	case TV_PREFUSED:
		t->info->nprefused++;
		break;
	default:
		break;
	}
}

/* Evaluate a condition where it counts; 1, 0, -1, -2 as texpr. */
static int
tr_cond(struct trender *t, const char *expr)
{
	struct teval	ev = { t->s, TV_OK, 0 };
	int		c;

	c = texpr(&ev, expr);
	if (c == -1)
		tr_status(t, ev.why);
	t->info->npitfall += ev.npitfall;
	return c;
}

/* A count shown as 1: is the next word an English plural ("1 samples")? */
static void
tr_plural(struct trender *t, const char *raw, size_t n)
{
	const char	*w = raw + n + 1;	/* after the '}' */
	size_t		 k;

	if (*w != ' ')
		return;
	for (w++, k = 0; isalpha((unsigned char)w[k]); k++)
		continue;
	if (k < 3 || w[k - 1] != 's' || w[k - 2] == 's')
		return;
	if (t->info->nplural++ == 0)
		snprintf(t->info->plural, sizeof t->info->plural, "{%.*s} %.*s",
		    (int)n, raw, (int)k, w);
}

/* Output one placeholder. */
static void
tr_placeholder(struct trender *t, const char *raw, size_t n)
{
	char		 ph[128], num[64];
	struct tph	 p;
	struct tval	 v;

	memcpy(ph, raw, n);
	ph[n] = '\0';
	if (tph_parse(ph, &p) != 0) {
		if (tr_active(t)) {
			strbuf_add(&t->out, "{?", 2);
			strbuf_add(&t->out, raw, n);
			strbuf_add(&t->out, "}", 1);
		}
		tr_bad(t, raw, n);
		return;
	}
	if (!tr_active(t) || t->s == NULL)
		return;
	v = tv_lookup(t->s, &p.ref);
	if (tn_table[p.ref.id].computed & TC_RESULT)
		t->info->ncomputed++;
	if (tn_table[p.ref.id].computed & TC_PITFALL)
		t->info->npitfall++;
	if (v.st != TV_OK) {
		tr_status(t, v.st);
		if (v.st == TV_MISSING)
			strbuf_add(&t->out, TEMPLATE_MISSING,
			    strlen(TEMPLATE_MISSING));
		else
			strbuf_add(&t->out, TEMPLATE_REFUSED,
			    strlen(TEMPLATE_REFUSED));
	} else if (v.isnum) {
		step_fmt(v.num, p.prec, num, sizeof num);
		strbuf_add(&t->out, num, strlen(num));
	} else
		strbuf_add(&t->out, v.str, strlen(v.str));
	if (p.one != NULL)
		strbuf_printf(&t->out, " %s", v.st == TV_OK && v.num == 1 ?
		    p.one : p.many);
	else if (v.st == TV_OK && v.num == 1 && (p.ref.id == TN_N ||
	    p.ref.id == TN_C || p.ref.id == TN_NUMEL || p.ref.id == TN_DENOM))
		tr_plural(t, raw, n);
}

/* Handle the text between one pair of braces. */
static void
tr_directive(struct trender *t, const char *raw, size_t n)
{
	char		 ph[1024];
	const char	*arg;
	struct tframe	*f;
	enum tdir	 d;
	int		 c, parent;

	if (n >= sizeof ph) {
		tr_bad(t, raw, n > 40 ? 40 : n);
		return;
	}
	memcpy(ph, raw, n);
	ph[n] = '\0';
	d = tdir_of(ph, &arg);
	f = t->depth > 0 ? &t->stack[t->depth - 1] : NULL;
	switch (d) {
	case TD_PLACEHOLDER:
		tr_placeholder(t, raw, n);
		return;
	case TD_IF:
		if (t->depth == TEMPLATE_DEPTH) {
			tr_bad(t, raw, n);
			return;
		}
		parent = tr_active(t);
		f = &t->stack[t->depth++];
		memset(f, 0, sizeof *f);
		c = parent || t->s == NULL ? tr_cond(t, arg) : 0;
		if (c == -2)
			tr_bad(t, raw, n);
		f->active = parent && c == 1;
		f->taken = !parent || c != 0;
		return;
	case TD_ELIF:
		if (f == NULL || f->seen_else) {
			tr_bad(t, raw, n);
			return;
		}
		t->depth--;	/* the parent decides */
		parent = tr_active(t);
		t->depth++;
		c = (parent && !f->taken) || t->s == NULL ?
		    tr_cond(t, arg) : 0;
		if (c == -2)
			tr_bad(t, raw, n);
		f->active = parent && !f->taken && c == 1;
		f->taken = f->taken || c != 0;
		return;
	case TD_ELSE:
		if (f == NULL || f->seen_else) {
			tr_bad(t, raw, n);
			return;
		}
		t->depth--;
		parent = tr_active(t);
		t->depth++;
		f->seen_else = 1;
		f->active = parent && !f->taken;
		f->taken = 1;
		return;
	case TD_END:
		if (f == NULL) {
			tr_bad(t, raw, n);
			return;
		}
		t->depth--;
		return;
	case TD_ASSUME:
	case TD_WHEN:
		if (!tr_active(t) && t->s != NULL)
			return;
		c = tr_cond(t, arg);
		if (c == -2)
			tr_bad(t, raw, n);
		else if (t->s == NULL)
			return;
		else if (d == TD_ASSUME && c == 0)
			t->info->nassume++;
		else if (d == TD_WHEN)
			t->info->when = c == -1 ? 2 : c;
		return;
	}
}

static void
tr_run(struct trender *t, const char *tmpl)
{
	const char	*p, *q;
	size_t		 n;

	for (p = tmpl ? tmpl : ""; *p != '\0'; p++) {
		if ((p[0] == '{' && p[1] == '{') ||
		    (p[0] == '}' && p[1] == '}')) {
			if (tr_active(t))
				strbuf_add(&t->out, p, 1);
			p++;
			continue;
		}
		if (*p != '{') {
			if (tr_active(t))
				strbuf_add(&t->out, p, 1);
			continue;
		}
		q = strchr(p + 1, '}');
		n = q ? (size_t)(q - p - 1) : 0;
		if (q == NULL || n == 0 || memchr(p + 1, '{', n) != NULL ||
		    memchr(p + 1, '\n', n) != NULL) {
			/* not a placeholder: a lone brace */
			if (tr_active(t))
				strbuf_add(&t->out, "{?}", 3);
			tr_bad(t, "{", 1);
			continue;
		}
		tr_directive(t, p + 1, n);
		p = q;
	}
	if (t->depth > 0)
		tr_bad(t, "{if} without {end}", 18);
}

char *
template_render(const struct step *s, const char *tmpl,
    struct template_info *info)
{
	struct template_info	 dummy;
	struct trender		 t;

	memset(&t, 0, sizeof t);
	t.s = s;
	t.info = info != NULL ? info : &dummy;
	memset(t.info, 0, sizeof *t.info);
	t.info->when = -1;
	strbuf_add(&t.out, "", 0);
	tr_run(&t, tmpl);
	if (t.out.oom) {
		strbuf_free(&t.out);
		return NULL;
	}
	return t.out.p;
}

int
template_check(const char *tmpl, struct err *e)
{
	struct template_info	 info;
	struct trender		 t;

	memset(&t, 0, sizeof t);
	memset(&info, 0, sizeof info);
	t.info = &info;
	tr_run(&t, tmpl);
	strbuf_free(&t.out);
	if (info.nbad > 0)
		err_set(e, "%s", info.bad);
	return info.nbad;
}

int
template_number(const struct step *s, const char *tmpl, double *v)
{
	const char	*p = tmpl, *q;
	char		 ph[128], *r, *end;
	struct tph	 t;
	struct tval	 tv;
	size_t		 n;
	int		 rc = -1;

	if (tmpl == NULL)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	q = strchr(p, '}');
	if (*p == '{' && p[1] != '{' && q != NULL) {
		n = (size_t)(q - p - 1);
		for (end = (char *)q + 1; *end == ' ' || *end == '\t'; end++)
			continue;
		if (*end == '\0' && n > 0 && n < sizeof ph) {
			memcpy(ph, p + 1, n);
			ph[n] = '\0';
			if (tph_parse(ph, &t) != 0 || t.one != NULL ||
			    tn_table[t.ref.id].form == TN_TEXT)
				return -1;
			tv = tv_lookup(s, &t.ref);
			if (tv.st != TV_OK)
				return -1;
			*v = tv.num;
			return 0;
		}
	}
	if ((r = template_render(s, tmpl, NULL)) == NULL)
		return -1;
	if (parse_double(r, v) == 0)
		rc = 0;
	free(r);
	return rc;
}
