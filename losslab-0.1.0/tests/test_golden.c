/*
 * test_golden.c -- the loss core against golden values computed by PyTorch.
 *
 * Reads $top_srcdir/tests/golden.txt (written by tests/gen_golden.py with
 * torch 1.13 float64; the format is documented at the top of that file),
 * runs every record through loss_eval() or pitfall_eval() and prints one TAP
 * line per record:
 *
 *   ok    when the value (every element of a 'none' output, with the same
 *         shape, plus the sum in r->value) and every gradient element agree
 *         with torch, or when torch raised and the core returned -1 with a
 *         message that contains each of torch's key phrases;
 *   not ok otherwise, followed by "# ..." lines naming what differed.
 *
 * Tolerance.  1e-12 relative with tap_close() semantics: NaN matches NaN,
 * infinities must match exactly, and differences at or below 1e-300 count
 * as equal.  That absolute floor only forgives subnormal results (such as
 * exp(-720)), whose relative precision is lost in any implementation; an
 * expected exact zero otherwise needs an exact (or subnormal) zero, because
 * every zero torch produces here comes from exact arithmetic that a faithful
 * port reproduces: masked (ignored) rows, exp() underflow, a hinge at
 * exactly 0, and 1.13's log(exp(-m) + exp(-x-m)) rounding tiny
 * bce-with-logits losses to 0 (reference section 3).  The 'none' total is
 * compared relative to the sum of |elements| (summation order may differ
 * from torch's when terms cancel).
 *
 * naive-float32 records are float32 computations: torch evaluates exp, log
 * and the sums with its own (SLEEF, vectorised) float32 routines, the core
 * with libm's expf/logf and its own summation order, so the last bits may
 * differ.  2e-6 relative is about 16 float32 ulps (2^-23 = 1.19e-7): loose
 * enough for those one-ulp differences, tight enough to catch any float64
 * evaluation (which differs by far more there: 16.0 vs 15.942385, 100 vs
 * 17) and any missed clamp.
 *
 * The program needs no torch and reads no environment but top_srcdir.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/loss.h"
#include "core/pitfall.h"
#include "tap.h"

#define RTOL		1e-12
#define RTOL_F32	2e-6
#define MAX_KEYS	4

/* A parsed tensor: ndim 0 (0-d scalar), 1 or 2. */
struct gtensor {
	int	 present;
	int	 ndim;
	size_t	 rows;		/* 1 for ndim 0 and 1 */
	size_t	 cols;		/* the length for ndim 1, 1 for ndim 0 */
	double	*v;
};

struct gcase {
	char		 id[128];
	int		 is_pitfall;
	char		 name[64];	/* loss or pitfall name */
	struct gtensor	 input, target, weight, pos_weight, value, grad;
	int		 has_total;
	double		 total;
	char		 reduction[32];
	int		 has_ii, has_ls, has_margin, has_p, has_alpha;
	int		 has_gamma, has_lt;
	long		 ignore_index;
	double		 label_smoothing, margin, alpha, gamma;
	int		 p, log_target;
	int		 has_error;
	char		 error[512];
	int		 nkeys;
	char		 keys[MAX_KEYS][128];
};

/* The largest relative error seen, per kind, and where. */
struct maxerr {
	double	 err;
	char	 id[128];
};

static struct maxerr max_value, max_grad, max_value32, max_grad32;

/* The header's "# N cases" line, to notice a truncated file; -1 if absent. */
static int header_count = -1;

/* Our own name tables, so that a broken loss_parse() cannot hide a case. */
static const struct {
	const char	*name;
	enum loss_id	 id;
} loss_names[] = {
	{ "bce", LOSS_BCE },
	{ "bce-logits", LOSS_BCE_LOGITS },
	{ "ce", LOSS_CE },
	{ "nll", LOSS_NLL },
	{ "multilabel-soft-margin", LOSS_MULTILABEL_SOFT_MARGIN },
	{ "multi-margin", LOSS_MULTI_MARGIN },
	{ "soft-margin", LOSS_SOFT_MARGIN },
	{ "kl-div", LOSS_KL_DIV },
	{ "focal", LOSS_FOCAL },
};

static const struct {
	const char	*name;
	enum pitfall_id	 id;
} pitfall_names[] = {
	{ "double-sigmoid", PITFALL_DOUBLE_SIGMOID },
	{ "softmax-then-ce", PITFALL_SOFTMAX_THEN_CE },
	{ "log-softmax-then-ce", PITFALL_LOG_SOFTMAX_THEN_CE },
	{ "bce-on-logits", PITFALL_BCE_ON_LOGITS },
	{ "naive-float32", PITFALL_NAIVE_FLOAT32 },
};

static const struct {
	const char		*name;
	enum loss_reduction	 r;
} reduction_names[] = {
	{ "none", LOSS_REDUCTION_NONE },
	{ "mean", LOSS_REDUCTION_MEAN },
	{ "sum", LOSS_REDUCTION_SUM },
	{ "batchmean", LOSS_REDUCTION_BATCHMEAN },
};

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

static void
gtensor_free(struct gtensor *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}

static void
gcase_free(struct gcase *c)
{
	gtensor_free(&c->input);
	gtensor_free(&c->target);
	gtensor_free(&c->weight);
	gtensor_free(&c->pos_weight);
	gtensor_free(&c->value);
	gtensor_free(&c->grad);
	memset(c, 0, sizeof *c);
}

/*
 * Parse "SHAPE: v v v" (SHAPE is 0d, N or RxC) into t.  Returns 0, or -1 on
 * a malformed line or a value count that does not match the shape.
 */
static int
gtensor_parse(const char *s, struct gtensor *t)
{
	char		*end;
	unsigned long	 a, b;
	size_t		 n, i;

	gtensor_free(t);
	while (*s == ' ')
		s++;
	if (strncmp(s, "0d:", 3) == 0) {
		t->ndim = 0;
		t->rows = t->cols = 1;
		s += 2;
	} else {
		errno = 0;
		a = strtoul(s, &end, 10);
		if (end == s || errno != 0)
			return -1;
		if (*end == 'x') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || errno != 0)
				return -1;
			t->ndim = 2;
			t->rows = a;
			t->cols = b;
		} else {
			t->ndim = 1;
			t->rows = 1;
			t->cols = a;
		}
		s = end;
	}
	if (*s != ':')
		return -1;
	s++;
	n = t->rows * t->cols;
	t->v = calloc(n ? n : 1, sizeof *t->v);
	if (t->v == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		t->v[i] = strtod(s, &end);
		if (end == s)
			return -1;
		s = end;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0')
		return -1;
	t->present = 1;
	return 0;
}

/* A struct mat view of t (1-D for a 0-d tensor); no copy. */
static struct mat
gtensor_mat(const struct gtensor *t)
{
	struct mat m;

	m.ndim = t->ndim == 2 ? 2 : 1;
	m.rows = t->rows;
	m.cols = t->cols;
	m.v = t->v;
	return m;
}

static int
parse_opt(struct gcase *c, char *s)
{
	char	*name = s, *arg;

	arg = strchr(s, ' ');
	if (arg == NULL)
		return -1;
	*arg++ = '\0';
	if (strcmp(name, "reduction") == 0)
		snprintf(c->reduction, sizeof c->reduction, "%s", arg);
	else if (strcmp(name, "weight") == 0)
		return gtensor_parse(arg, &c->weight);
	else if (strcmp(name, "pos_weight") == 0)
		return gtensor_parse(arg, &c->pos_weight);
	else if (strcmp(name, "ignore_index") == 0) {
		c->has_ii = 1;
		c->ignore_index = strtol(arg, NULL, 10);
	} else if (strcmp(name, "label_smoothing") == 0) {
		c->has_ls = 1;
		c->label_smoothing = strtod(arg, NULL);
	} else if (strcmp(name, "margin") == 0) {
		c->has_margin = 1;
		c->margin = strtod(arg, NULL);
	} else if (strcmp(name, "p") == 0) {
		c->has_p = 1;
		c->p = (int)strtol(arg, NULL, 10);
	} else if (strcmp(name, "alpha") == 0) {
		c->has_alpha = 1;
		c->alpha = strtod(arg, NULL);
	} else if (strcmp(name, "gamma") == 0) {
		c->has_gamma = 1;
		c->gamma = strtod(arg, NULL);
	} else if (strcmp(name, "log_target") == 0) {
		c->has_lt = 1;
		c->log_target = (int)strtol(arg, NULL, 10);
	} else
		return -1;
	return 0;
}

/*
 * Read the next record from f into c.  Returns 1 for a record, 0 at end of
 * file, -1 for a malformed record (with *lineno at the offending line).
 */
static int
read_case(FILE *f, struct gcase *c, char **line, size_t *cap, int *lineno)
{
	ssize_t	 len;
	int	 started = 0;
	char	*s, *sp;

	memset(c, 0, sizeof *c);
	while ((len = getline(line, cap, f)) != -1) {
		(*lineno)++;
		s = *line;
		while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
			s[--len] = '\0';
		if (len == 0 || s[0] == '#') {
			int	 k;
			char	 tail[8];

			if (sscanf(s, "# %d case%7s", &k, tail) == 2 &&
			    strcmp(tail, "s") == 0 && header_count == -1)
				header_count = k;
			continue;
		}
		if (!started) {
			if (strncmp(s, "case ", 5) == 0)
				c->is_pitfall = 0;
			else if (strncmp(s, "pitfall ", 8) == 0)
				c->is_pitfall = 1;
			else
				return -1;
			s = strchr(s, ' ') + 1;
			sp = strchr(s, ' ');
			if (sp == NULL)
				return -1;
			*sp = '\0';
			snprintf(c->id, sizeof c->id, "%s", s);
			snprintf(c->name, sizeof c->name, "%s", sp + 1);
			started = 1;
			continue;
		}
		if (strcmp(s, "end") == 0)
			return 1;
		if (strncmp(s, "input ", 6) == 0) {
			if (gtensor_parse(s + 6, &c->input) != 0)
				return -1;
		} else if (strncmp(s, "target ", 7) == 0) {
			if (gtensor_parse(s + 7, &c->target) != 0)
				return -1;
		} else if (strncmp(s, "value ", 6) == 0) {
			if (gtensor_parse(s + 6, &c->value) != 0)
				return -1;
		} else if (strncmp(s, "grad ", 5) == 0) {
			if (gtensor_parse(s + 5, &c->grad) != 0)
				return -1;
		} else if (strncmp(s, "total ", 6) == 0) {
			c->has_total = 1;
			c->total = strtod(s + 6, NULL);
		} else if (strncmp(s, "opt ", 4) == 0) {
			if (parse_opt(c, s + 4) != 0)
				return -1;
		} else if (strncmp(s, "error ", 6) == 0) {
			c->has_error = 1;
			snprintf(c->error, sizeof c->error, "%s", s + 6);
		} else if (strncmp(s, "errkey ", 7) == 0) {
			if (c->nkeys == MAX_KEYS)
				return -1;
			snprintf(c->keys[c->nkeys++], sizeof c->keys[0], "%s",
			    s + 7);
		} else
			return -1;
	}
	return started ? -1 : 0;
}

/* Case-insensitive substring test (strcasestr is not POSIX). */
static int
contains_nocase(const char *hay, const char *needle)
{
	size_t	 i, n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n; i++)
			if (hay[i] == '\0' || tolower((unsigned char)hay[i]) !=
			    tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return 1;
	}
	return n == 0;
}

static void
note_err(struct maxerr *m, double got, double want, const char *id)
{
	double	 rel;

	if (!isfinite(want) || want == 0 || !isfinite(got))
		return;
	rel = fabs(got - want) / fabs(want);
	if (rel > m->err) {
		m->err = rel;
		snprintf(m->id, sizeof m->id, "%s", id);
	}
}

/*
 * Compare n values elementwise; print up to three mismatches as diagnostics
 * (the TAP line comes after them, so they are collected in buf).  Returns
 * the number of mismatches.
 */
static int
compare(const char *what, const double *got, const double *want, size_t n,
    double rtol, struct maxerr *m, const char *id, char *buf, size_t len)
{
	size_t	 i, used;
	int	 bad = 0;

	for (i = 0; i < n; i++) {
		note_err(m, got[i], want[i], id);
		if (tap_close(got[i], want[i], rtol))
			continue;
		if (bad++ < 3) {
			used = strlen(buf);
			snprintf(buf + used, len - used,
			    "#   %s[%zu]: got %.17g, want %.17g\n", what, i,
			    got[i], want[i]);
		}
	}
	if (bad > 3) {
		used = strlen(buf);
		snprintf(buf + used, len - used,
		    "#   %s: %d of %zu elements differ\n", what, bad, n);
	}
	return bad;
}

static void
addmsg(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
addmsg(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 used = strlen(buf);

	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static int
shape_matches(const struct mat *m, int elem_scalar, const struct gtensor *t)
{
	if (t->ndim == 0)
		return elem_scalar && mat_numel(m) == 1;
	if (elem_scalar || m->ndim != t->ndim || m->cols != t->cols)
		return 0;
	return t->ndim == 1 || m->rows == t->rows;
}

static const char *
tshape(const struct gtensor *t, char *buf, size_t len)
{
	if (t->ndim == 0)
		snprintf(buf, len, "0-d");
	else if (t->ndim == 1)
		snprintf(buf, len, "[%zu]", t->cols);
	else
		snprintf(buf, len, "[%zu, %zu]", t->rows, t->cols);
	return buf;
}

/* Run one record and print its TAP line; returns 1 if it passed. */
static int
run_case(struct gcase *c)
{
	struct loss_opts	 o;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct err		 e;
	struct mat		 in, tg, w, pw;
	char			 msg[4096] = "", sb[64], sb2[64];
	double			 rtol, want, scale;
	size_t			 i;
	int			 rc = -1, f32, found = 0, bad = 0;
	enum loss_id		 lid = LOSS_BCE;
	enum pitfall_id		 pid = PITFALL_NONE;
	enum loss_reduction	 red = LOSS_REDUCTION_MEAN;

	f32 = c->is_pitfall && strcmp(c->name, "naive-float32") == 0;
	rtol = f32 ? RTOL_F32 : RTOL;

	if (c->is_pitfall) {
		for (i = 0; i < NITEMS(pitfall_names); i++)
			if (strcmp(pitfall_names[i].name, c->name) == 0) {
				pid = pitfall_names[i].id;
				found = 1;
			}
	} else {
		for (i = 0; i < NITEMS(loss_names); i++)
			if (strcmp(loss_names[i].name, c->name) == 0) {
				lid = loss_names[i].id;
				found = 1;
			}
	}
	for (i = 0; i < NITEMS(reduction_names); i++)
		if (strcmp(reduction_names[i].name, c->reduction) == 0) {
			red = reduction_names[i].r;
			found++;
		}
	if (found != 2 || !c->input.present || !c->target.present ||
	    (!c->has_error && (!c->value.present || !c->grad.present))) {
		tap_ok(0, "%s %s: malformed golden record", c->id, c->name);
		return 0;
	}

	loss_opts_init(&o);
	o.reduction = red;
	if (c->weight.present) {
		w = gtensor_mat(&c->weight);
		o.weight = &w;
	}
	if (c->pos_weight.present) {
		pw = gtensor_mat(&c->pos_weight);
		o.pos_weight = &pw;
	}
	if (c->has_ii)
		o.ignore_index = c->ignore_index;
	if (c->has_ls)
		o.label_smoothing = c->label_smoothing;
	if (c->has_margin)
		o.margin = c->margin;
	if (c->has_p)
		o.p = c->p;
	if (c->has_alpha)
		o.alpha = c->alpha;
	if (c->has_gamma)
		o.gamma = c->gamma;
	if (c->has_lt)
		o.log_target = c->log_target;

	in = gtensor_mat(&c->input);
	tg = gtensor_mat(&c->target);
	memset(&e, 0, sizeof e);
	if (c->is_pitfall)
		rc = pitfall_eval(pid, &in, &tg, &o, &r, &e);
	else
		rc = loss_eval(lid, &in, &tg, &o, &r, &e);

	if (c->has_error) {
		if (rc != -1) {
			addmsg(msg, sizeof msg, "#   torch raised \"%s\", "
			    "core returned %d (value %.17g)\n", c->error, rc,
			    r.value);
			bad++;
		} else {
			for (i = 0; i < (size_t)c->nkeys; i++)
				if (!contains_nocase(e.msg, c->keys[i])) {
					addmsg(msg, sizeof msg,
					    "#   message \"%s\" lacks \"%s\" "
					    "(torch: \"%s\")\n", e.msg,
					    c->keys[i], c->error);
					bad++;
					break;
				}
		}
		goto done;
	}
	if (rc != 0) {
		addmsg(msg, sizeof msg, "#   core failed: %s\n", e.msg);
		bad++;
		goto done;
	}

	/* The value: the whole 'none' output, or the reduced scalar. */
	if (red == LOSS_REDUCTION_NONE) {
		if (!shape_matches(&r.elem, r.elem_scalar, &c->value)) {
			addmsg(msg, sizeof msg, "#   'none' output shape "
			    "%s%s, want %s\n", r.elem_scalar ? "0-d " : "",
			    mat_shape_str(&r.elem, sb, sizeof sb),
			    tshape(&c->value, sb2, sizeof sb2));
			bad++;
		} else
			bad += compare("value", r.elem.v, c->value.v,
			    c->value.rows * c->value.cols, rtol,
			    f32 ? &max_value32 : &max_value, c->id, msg,
			    sizeof msg);
		/* r->value is the sum of elem; the sum order may differ. */
		want = c->has_total ? c->total : 0;
		scale = 0;
		for (i = 0; i < c->value.rows * c->value.cols; i++)
			scale += fabs(c->value.v[i]);
		if (isfinite(want) && isfinite(scale) && fabs(want) > 0)
			scale = fmax(1, scale / fabs(want));
		else
			scale = 1;
		if (!tap_close(r.value, want, rtol * scale)) {
			addmsg(msg, sizeof msg, "#   value (sum of 'none' "
			    "output): got %.17g, want %.17g\n", r.value, want);
			bad++;
		}
	} else {
		if (c->value.ndim != 0)
			addmsg(msg, sizeof msg, "#   golden value not 0-d\n");
		bad += compare("value", &r.value, c->value.v, 1, rtol,
		    f32 ? &max_value32 : &max_value, c->id, msg, sizeof msg);
	}

	/* The gradient, in the input's shape. */
	if (r.grad.ndim != in.ndim || r.grad.rows != in.rows ||
	    r.grad.cols != in.cols || (mat_numel(&in) > 0 &&
	    r.grad.v == NULL)) {
		addmsg(msg, sizeof msg, "#   grad shape %s, want %s\n",
		    mat_shape_str(&r.grad, sb, sizeof sb),
		    mat_shape_str(&in, sb2, sizeof sb2));
		bad++;
	} else
		bad += compare("grad", r.grad.v, c->grad.v,
		    c->grad.rows * c->grad.cols, rtol,
		    f32 ? &max_grad32 : &max_grad, c->id, msg, sizeof msg);

done:
	tap_ok(bad == 0, "%s %s %s (%s)", c->is_pitfall ? "pitfall" : "case",
	    c->id, c->name, c->has_error ? "error expected" : c->reduction);
	if (bad != 0)
		fputs(msg, stdout);
	loss_result_free(&r);
	return bad == 0;
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], *line = NULL;
	size_t		 cap = 0;
	struct gcase	 c;
	FILE		*f;
	int		 rc, lineno = 0, n = 0, failed = 0;

	if (top == NULL || *top == '\0')
		top = ".";
	snprintf(path, sizeof path, "%s/tests/golden.txt", top);
	if ((f = fopen(path, "r")) == NULL) {
		tap_ok(0, "open %s: %s", path, strerror(errno));
		return tap_done();
	}
	while ((rc = read_case(f, &c, &line, &cap, &lineno)) == 1) {
		n++;
		if (!run_case(&c))
			failed++;
		gcase_free(&c);
	}
	if (rc == -1) {
		tap_ok(0, "%s:%d: malformed golden record%s%s", path, lineno,
		    c.id[0] ? " in " : "", c.id);
		gcase_free(&c);
	}
	free(line);
	fclose(f);
	if (header_count != n)
		tap_ok(0, "%s: header promises %d cases, read %d", path,
		    header_count, n);

	tap_diag("max relative error: value %.3g (case %s), grad %.3g "
	    "(case %s)", max_value.err, max_value.id[0] ? max_value.id : "-",
	    max_grad.err, max_grad.id[0] ? max_grad.id : "-");
	tap_diag("max relative error, naive-float32: value %.3g (case %s), "
	    "grad %.3g (case %s)", max_value32.err,
	    max_value32.id[0] ? max_value32.id : "-", max_grad32.err,
	    max_grad32.id[0] ? max_grad32.id : "-");
	tap_diag("%d cases", n);
	tap_diag("%d failed", failed);
	return tap_done();
}
