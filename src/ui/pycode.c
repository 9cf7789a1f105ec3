/*
 * pycode.c -- the PyTorch lines that compute what the lesson screen shows,
 * written with the learner's current values and options (see pycode.h).
 * Numbers are written so that Python reads back the same double (%.15g,
 * else %.17g); tests/ui.sh runs the lines through PyTorch and compares.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "step.h"
#include "ui/pycode.h"

/* Append to buf (always NUL-terminated, truncated at len). */
static void
pycode_cat(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
pycode_cat(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;
	size_t	n = strlen(buf);

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* A Python float literal that reads back as v. */
static void
pycode_float(double v, int integer, char *out, size_t len)
{
	char	*end;

	if (isnan(v)) {
		snprintf(out, len, "float('nan')");
		return;
	}
	if (isinf(v)) {
		snprintf(out, len, "float('%sinf')", v < 0 ? "-" : "");
		return;
	}
	if (integer && v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, len, "%.0f", v);
		return;
	}
	snprintf(out, len, "%.15g", v);
	if (strtod(out, &end) != v)
		snprintf(out, len, "%.17g", v);
	if (strpbrk(out, ".en") == NULL)
		snprintf(out + strlen(out), len - strlen(out), ".");
}

/* "torch.tensor([...])" of m, or a comment when it is too large. */
static void
pycode_tensor(char *buf, size_t len, const struct mat *m, int integer)
{
	char	 v[64];
	size_t	 r, c;

	if (mat_numel(m) > PYCODE_MAX_VALUES) {
		pycode_cat(buf, len, "torch.tensor(...)  # %zu values", mat_numel(m));
		return;
	}
	pycode_cat(buf, len, "torch.tensor(");
	if (m->ndim == 2)
		pycode_cat(buf, len, "[");
	for (r = 0; r < m->rows; r++) {
		if (r > 0)
			pycode_cat(buf, len, ", ");
		pycode_cat(buf, len, "[");
		for (c = 0; c < m->cols; c++) {
			pycode_float(MAT_AT(m, r, c), integer, v, sizeof v);
			pycode_cat(buf, len, "%s%s", c > 0 ? ", " : "", v);
		}
		pycode_cat(buf, len, "]");
	}
	if (m->ndim == 2)
		pycode_cat(buf, len, "]");
	pycode_cat(buf, len, integer ? ")" : ", dtype=torch.float64)");
}

void
pycode_format(const struct step *s, char *buf, size_t len)
{
	const char	*x = loss_input_kind(s->loss) == LOSS_INPUT_LOGITS ?
			    "z" : loss_input_kind(s->loss) ==
			    LOSS_INPUT_PROBABILITIES ? "p" : "logp";
	const struct loss_opts *o = &s->opts;
	char		 v[64];
	int		 n = 0;

	buf[0] = '\0';
	pycode_cat(buf, len, "%s = ", x);
	pycode_tensor(buf, len, &s->input, 0);
	pycode_cat(buf, len, "\ny = ");
	pycode_tensor(buf, len, &s->target, step_index_target(s));
	pycode_cat(buf, len, "\n");
	if (s->loss == LOSS_FOCAL) {
		pycode_float(o->alpha, 0, v, sizeof v);
		pycode_cat(buf, len, "%s(%s, y, alpha=%s", loss_torch_name(s->loss),
		    x, v);
		pycode_float(o->gamma, 0, v, sizeof v);
		pycode_cat(buf, len, ", gamma=%s, reduction='%s')", v,
		    loss_reduction_name(o->reduction));
		return;
	}
	pycode_cat(buf, len, "%s(", loss_torch_name(s->loss));
#define PYCODE_ARG(...) do {					\
		pycode_cat(buf, len, "%s", n++ ? ", " : "");	\
		pycode_cat(buf, len, __VA_ARGS__);			\
	} while (0)
	if (o->reduction != LOSS_REDUCTION_MEAN)
		PYCODE_ARG("reduction='%s'", loss_reduction_name(o->reduction));
	if (s->weight.ndim != 0 && loss_has_option(s->loss, "weight")) {
		PYCODE_ARG("weight=");
		pycode_tensor(buf, len, &s->weight, 0);
	}
	if (s->pos_weight.ndim != 0 && loss_has_option(s->loss, "pos-weight")) {
		PYCODE_ARG("pos_weight=");
		pycode_tensor(buf, len, &s->pos_weight, 0);
	}
	if (loss_has_option(s->loss, "ignore-index") && o->ignore_index != -100)
		PYCODE_ARG("ignore_index=%ld", o->ignore_index);
	if (loss_has_option(s->loss, "label-smoothing") &&
	    o->label_smoothing != 0) {
		pycode_float(o->label_smoothing, 0, v, sizeof v);
		PYCODE_ARG("label_smoothing=%s", v);
	}
	if (loss_has_option(s->loss, "margin") && o->margin != 1) {
		pycode_float(o->margin, 0, v, sizeof v);
		PYCODE_ARG("margin=%s", v);
	}
	if (loss_has_option(s->loss, "p") && o->p != 1)
		PYCODE_ARG("p=%d", o->p);
	if (loss_has_option(s->loss, "log-target") && o->log_target)
		PYCODE_ARG("log_target=True");
#undef PYCODE_ARG
	pycode_cat(buf, len, ")(%s, y)", x);
}
