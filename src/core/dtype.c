/*
 * dtype.c -- torch 1.13's dtype rules for the losses of losslab: the order
 * in which its Python functions and CPU kernels look at the dtypes, and the
 * messages they raise.  See dtype.h.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "core/dtype.h"

static const struct {
	const char	*np, *torch;
	char		 kind;
} dtypes[DTYPE_COUNT] = {
#define DTYPE_X(id, np, torch, kind) { np, torch, kind },
	DTYPE_TABLE(DTYPE_X)
#undef DTYPE_X
};

const char *
dtype_name(enum dtype d)
{
	return (int)d >= 0 && d < DTYPE_COUNT ? dtypes[d].np : NULL;
}

const char *
dtype_torch_name(enum dtype d)
{
	return (int)d >= 0 && d < DTYPE_COUNT ? dtypes[d].torch : NULL;
}

int
dtype_parse(const char *s, enum dtype *d)
{
	static const struct {
		const char	*alias;
		enum dtype	 d;
	} aliases[] = {
		{ "half", DTYPE_HALF }, { "float", DTYPE_FLOAT },
		{ "double", DTYPE_DOUBLE }, { "long", DTYPE_LONG },
		{ "int", DTYPE_INT }, { "short", DTYPE_SHORT },
		{ "char", DTYPE_CHAR }, { "byte", DTYPE_BYTE },
	};
	size_t	i;

	for (i = 0; i < DTYPE_COUNT; i++)
		if (strcmp(s, dtypes[i].np) == 0 ||
		    strcmp(s, dtypes[i].torch) == 0) {
			*d = (enum dtype)i;
			return 0;
		}
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcasecmp(s, aliases[i].alias) == 0) {
			*d = aliases[i].d;
			return 0;
		}
	return -1;
}

int
dtype_is_float(enum dtype d)
{
	return (int)d >= 0 && d < DTYPE_COUNT && dtypes[d].kind == 'f';
}

static int
is_integral(enum dtype d)		/* bool counts, as in torch */
{
	return !dtype_is_float(d);
}

/* torch's type promotion for these dtypes (result_type of two tensors). */
static enum dtype
promote(enum dtype a, enum dtype b)
{
	/* floats rank by width; any float beats any integer */
	static const int	rank[DTYPE_COUNT] = {
		[DTYPE_BOOL] = 0, [DTYPE_BYTE] = 1, [DTYPE_CHAR] = 1,
		[DTYPE_SHORT] = 2, [DTYPE_INT] = 3, [DTYPE_LONG] = 4,
		[DTYPE_HALF] = 10, [DTYPE_FLOAT] = 11, [DTYPE_DOUBLE] = 12,
	};

	if (a == b)
		return a;
	if ((a == DTYPE_BYTE && b == DTYPE_CHAR) ||
	    (a == DTYPE_CHAR && b == DTYPE_BYTE))
		return DTYPE_SHORT;
	return rank[a] >= rank[b] ? a : b;
}

/* "\"KERNEL\" not implemented for 'Half'". */
static int
not_impl(const char *kernel, enum dtype d, struct err *e)
{
	return err_set(e, "\"%s\" not implemented for '%s'", kernel,
	    dtype_torch_name(d));
}

static int
cant_cast(enum dtype from, enum dtype to, struct err *e)
{
	return err_set(e, "result type %s can't be cast to the desired output "
	    "type %s", dtype_torch_name(from), dtype_torch_name(to));
}

#define MSG_BOOL_SUB2	"Subtraction, the `-` operator, with two bool " \
	"tensors is not supported. Use the `^` or `logical_xor()` operator " \
	"instead."
#define MSG_BOOL_SUB1	"Subtraction, the `-` operator, with a bool tensor " \
	"is not supported. If you are trying to invert a mask, use the `~` " \
	"or `logical_not()` operator instead."
#define MSG_BOOL_NEG	"Negation, the `-` operator, on a bool tensor is " \
	"not supported. If you are trying to invert a mask, use the `~` or " \
	"`logical_not()` operator instead."

/* Class-index targets: Long, and (ce, nll) Byte. */
static int
index_target(enum dtype t, int byte_ok, struct err *e)
{
	if (t == DTYPE_LONG || (byte_ok && t == DTYPE_BYTE))
		return 0;
	return err_set(e, "expected scalar type Long but found %s",
	    dtype_torch_name(t));
}

int
dtype_check(enum loss_id id, int prob, enum dtype x, enum dtype t,
    enum dtype *result, struct err *e)
{
	if ((int)x < 0 || x >= DTYPE_COUNT || (int)t < 0 || t >= DTYPE_COUNT)
		return err_set(e, "unknown dtype");
	*result = x;
	switch (id) {
	case LOSS_BCE:
		if (t != x)
			return err_set(e, "Found dtype %s but expected %s",
			    dtype_torch_name(t), dtype_torch_name(x));
		if (x != DTYPE_FLOAT && x != DTYPE_DOUBLE)
			return not_impl("binary_cross_entropy", x, e);
		return 0;
	case LOSS_BCE_LOGITS:
		/* -input first, then (1 - target).mul_(input): the target's
		   dtype is the output's */
		if (x == DTYPE_BOOL)
			return err_set(e, MSG_BOOL_NEG);
		if (x == DTYPE_HALF)
			return not_impl("clamp_min_cpu", x, e);
		if (t == DTYPE_BOOL)
			return err_set(e, MSG_BOOL_SUB2);
		if (is_integral(x))
			return cant_cast(DTYPE_FLOAT, x, e);
		if (is_integral(t))
			return cant_cast(x, t, e);
		*result = t;
		return 0;
	case LOSS_CE:
		if (prob) {
			if (!dtype_is_float(t))
				return err_set(e, "Expected floating point type "
				    "for target with class probabilities, got "
				    "%s", dtype_torch_name(t));
			if (x == DTYPE_HALF || is_integral(x))
				return not_impl("log_softmax_lastdim_kernel_impl",
				    x, e);
			*result = promote(x, t);
			return 0;
		}
		if (x == DTYPE_HALF || is_integral(x))
			return not_impl("log_softmax_lastdim_kernel_impl", x, e);
		return index_target(t, 1, e);
	case LOSS_NLL:
		if (x == DTYPE_HALF || is_integral(x))
			return not_impl("nll_loss_out_frame", x, e);
		return index_target(t, 1, e);
	case LOSS_MULTILABEL_SOFT_MARGIN:
		if (x == DTYPE_HALF || is_integral(x))
			return not_impl("log_sigmoid_cpu", x, e);
		if (t == DTYPE_BOOL)
			return err_set(e, MSG_BOOL_SUB1);
		*result = promote(x, t);
		return 0;
	case LOSS_MULTI_MARGIN:
		if (x == DTYPE_HALF || is_integral(x))
			return not_impl("multi_margin_loss_cpu_kernel", x, e);
		return index_target(t, 0, e);
	case LOSS_SOFT_MARGIN:
		if (x == DTYPE_BOOL)
			return err_set(e, MSG_BOOL_NEG);
		if (x == DTYPE_HALF)
			return not_impl("exp_vml_cpu", x, e);
		if (is_integral(x))
			return cant_cast(dtype_is_float(t) ? t : DTYPE_FLOAT, x,
			    e);
		if (t == DTYPE_BOOL)
			return err_set(e, MSG_BOOL_NEG);
		return 0;
	case LOSS_KL_DIV:
		if (is_integral(x) || is_integral(t))
			return err_set(e, "kl_div: Integral inputs not "
			    "supported.");
		*result = promote(x, t);
		return 0;
	case LOSS_FOCAL:
		if (x == DTYPE_BOOL)
			return err_set(e, MSG_BOOL_NEG);
		if (x == DTYPE_HALF)
			return not_impl("sigmoid_cpu", x, e);
		if (t == DTYPE_BOOL)
			return err_set(e, MSG_BOOL_SUB2);
		if (is_integral(x))
			return cant_cast(DTYPE_FLOAT, x, e);
		if (is_integral(t))
			return cant_cast(x, t, e);
		*result = promote(x, t);
		return 0;
	default:
		return err_set(e, "unknown loss");
	}
}

/* The hints are English here, marked for xgettext (po/Makevars's
   --keyword=N_); the caller translates them where it shows them. */
#define N_(s)	s

const char *
dtype_hint(enum loss_id id, int prob, enum dtype x, enum dtype t)
{
	enum dtype	r;

	if (dtype_check(id, prob, x, t, &r, NULL) == 0)
		return NULL;
	if (!dtype_is_float(x) || x == DTYPE_HALF)
		return N_("the input must be float32 or float64: use "
		    "input.float() (or .double())");
	switch (id) {
	case LOSS_CE:
	case LOSS_NLL:
	case LOSS_MULTI_MARGIN:
		if (id == LOSS_CE && prob)
			return N_("class probabilities must be floating "
			    "point: use target.float()");
		return N_("class indices must be int64 (Long): use "
		    "target.long()");
	case LOSS_BCE:
		return x == DTYPE_FLOAT ?
		    N_("BCELoss needs the target in the input's dtype: use "
		    "target.float()") :
		    N_("BCELoss needs the target in the input's dtype: use "
		    "target.double()");
	default:
		return x == DTYPE_FLOAT ?
		    N_("the target must be floating point: use "
		    "target.float()") :
		    N_("the target must be floating point: use "
		    "target.double()");
	}
}

int
dtype_value_error(const char *msg)
{
	static const char *const value_errors[] = {
		"all elements of input should be between 0 and 1",
		"Target ",
		"expected scalar type Long but found Float",
	};
	size_t	i;

	for (i = 0; i < sizeof value_errors / sizeof value_errors[0]; i++)
		if (strncmp(msg, value_errors[i], strlen(value_errors[i])) == 0)
			return 1;
	return 0;
}
