/*
 * test_nd.c -- loss_eval_nd against torch: every case of tests/golden_nd.txt
 * (written by tests/gen_golden_nd.py with torch 1.13) is computed and
 * compared -- value, the 'none' output's shape and values, the gradient --
 * or, where torch raised, the message word for word.  Tolerance: 1e-12
 * relative, or 1e-15 of the largest entry for entries that cancel.
 * tests/golden_f32.txt (gen_golden_f32.py) holds torch's float32 results,
 * checked the same way in losslab's float32 mode to 2e-6 relative (or 1e-6
 * of the largest entry), and each case must say how it was computed (in
 * float for bce, bce-logits, ce, nll; rounded float64 for the others).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/loss.h"
#include "tap.h"

static double	 rtol = 1e-12, abstol = 1e-15;

struct arr {
	struct loss_shape	 s;
	double			*v;
	size_t			 n;
};

struct ndcase {
	char		 id[32], loss[40], opts[512], error[512];
	struct arr	 x, t, elem, grad;
	double		 value;
	int		 has_value;
};

static void
arr_free(struct arr *a)
{
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* "2x3x4 v v v" (or "- v") into a; the shape is optional for grad. */
static int
arr_parse(char *p, struct arr *a, int with_shape)
{
	char	*tok, *end;
	size_t	 cap = 16;

	memset(a, 0, sizeof *a);
	if (with_shape) {
		tok = strtok(p, " ");
		if (tok == NULL)
			return -1;
		if (strcmp(tok, "-") != 0)
			for (; a->s.ndim < LOSS_MAX_NDIM; tok = end + 1) {
				a->s.dim[a->s.ndim++] = strtoul(tok, &end, 10);
				if (*end != 'x')
					break;
			}
		p = NULL;
	}
	a->v = malloc(cap * sizeof *a->v);
	while ((tok = strtok(p, " \n")) != NULL) {
		p = NULL;
		if (a->n == cap)
			a->v = realloc(a->v, (cap *= 2) * sizeof *a->v);
		a->v[a->n++] = strtod(tok, NULL);
	}
	return 0;
}

static size_t
numel(const struct loss_shape *s)
{
	size_t	n = 1;
	int	i;

	for (i = 0; i < s->ndim; i++)
		n *= s->dim[i];
	return n;
}

/* "1.0,2.0" into a 1-D mat. */
static void
list_mat(const char *s, struct mat *m)
{
	struct err	 e;
	size_t		 n = 1, i;
	const char	*p;
	char		*end;

	for (p = s; *p != '\0'; p++)
		n += *p == ',';
	mat_alloc(m, 1, 1, n, &e);
	for (i = 0, p = s; i < n; i++, p = end + 1)
		m->v[i] = strtod(p, &end);
}

static void
apply_opts(char *opts, struct loss_opts *o, struct mat *w, struct mat *pw)
{
	char	*kv, *v;

	loss_opts_init(o);
	for (kv = strtok(opts, " "); kv != NULL; kv = strtok(NULL, " ")) {
		if ((v = strchr(kv, '=')) == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(kv, "reduction") == 0)
			loss_reduction_parse(v, &o->reduction);
		else if (strcmp(kv, "weight") == 0) {
			list_mat(v, w);
			o->weight = w;
		} else if (strcmp(kv, "pw") == 0) {
			list_mat(v, pw);
			o->pos_weight = pw;
		} else if (strcmp(kv, "ls") == 0)
			o->label_smoothing = strtod(v, NULL);
		else if (strcmp(kv, "ii") == 0)
			o->ignore_index = strtol(v, NULL, 10);
		else if (strcmp(kv, "log_target") == 0)
			o->log_target = atoi(v);
		else if (strcmp(kv, "float32") == 0)
			o->float32 = atoi(v);
	}
}

static int
close_all(const double *got, const double *want, size_t n)
{
	double	big = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		if (isfinite(want[i]))
			big = fmax(big, fabs(want[i]));
	for (i = 0; i < n; i++)
		if (!tap_close(got[i], want[i], rtol) &&
		    !(isfinite(got[i]) && fabs(got[i] - want[i]) <= abstol * big))
			return 0;
	return 1;
}

static void
run(struct ndcase *c)
{
	struct loss_opts	 o;
	struct mat		 w = MAT_INIT, pw = MAT_INIT;
	struct loss_result	 r;
	struct loss_shape	 es;
	struct err		 e = { "" };
	char			 b1[256], b2[256];
	enum loss_id		 id;
	int			 rc, ok;

	apply_opts(c->opts, &o, &w, &pw);
	if (loss_parse(c->loss, &id) != 0) {
		tap_ok(0, "%s: unknown loss %s", c->id, c->loss);
		return;
	}
	rc = loss_eval_nd(id, c->x.v, &c->x.s, c->t.v, &c->t.s, &o, &r, &es,
	    &e);
	if (c->error[0] != '\0') {
		if (!tap_ok(rc != 0 && strcmp(e.msg, c->error) == 0,
		    "%s %s %s: torch's error", c->id, c->loss,
		    loss_shape_str(&c->x.s, b1, sizeof b1)))
			tap_diag("got rc %d \"%s\", want \"%s\"", rc, e.msg,
			    c->error);
		goto out;
	}
	if (!tap_ok(rc == 0, "%s %s %s: computes", c->id, c->loss,
	    loss_shape_str(&c->x.s, b1, sizeof b1))) {
		tap_diag("%s", e.msg);
		goto out;
	}
	ok = tap_close(r.value, c->value, rtol);
	if (!tap_ok(ok, "%s: value", c->id))
		tap_diag("got %.17g want %.17g", r.value, c->value);
	if (o.reduction == LOSS_REDUCTION_NONE) {
		ok = es.ndim == c->elem.s.ndim &&
		    memcmp(es.dim, c->elem.s.dim, es.ndim * sizeof es.dim[0]) == 0;
		if (!tap_ok(ok, "%s: 'none' shape", c->id))
			tap_diag("got %s want %s",
			    loss_shape_str(&es, b1, sizeof b1),
			    loss_shape_str(&c->elem.s, b2, sizeof b2));
		ok = ok && r.elem.cols == c->elem.n &&
		    close_all(r.elem.v, c->elem.v, c->elem.n);
		tap_ok(ok, "%s: 'none' values", c->id);
	}
	ok = r.grad.cols == c->grad.n && c->grad.n == numel(&c->x.s) &&
	    close_all(r.grad.v, c->grad.v, c->grad.n);
	tap_ok(ok, "%s: gradient", c->id);
	if (o.float32) {
		int kernel = id == LOSS_BCE || id == LOSS_BCE_LOGITS ||
		    id == LOSS_CE || id == LOSS_NLL;

		tap_ok(r.f32 == (kernel ? LOSS_F32_KERNEL : LOSS_F32_ROUNDED),
		    "%s: float32 %s", c->id, kernel ? "in float" :
		    "rounded from float64");
	}
	loss_result_free(&r);
out:
	mat_free(&w);
	mat_free(&pw);
}

/* Every case of one golden file; the number of cases read. */
static int
run_file(const char *name)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], line[1 << 16], *p;
	struct ndcase	 c;
	FILE		*f;
	int		 cases = 0;

	snprintf(path, sizeof path, "%s/tests/%s", top != NULL ? top : ".",
	    name);
	if ((f = fopen(path, "r")) == NULL) {
		tap_ok(0, "open %s", path);
		return 0;
	}
	memset(&c, 0, sizeof c);
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((p = strchr(line, ' ')) == NULL) {
			if (strcmp(line, "end") == 0) {
				run(&c);
				cases++;
				arr_free(&c.x);
				arr_free(&c.t);
				arr_free(&c.elem);
				arr_free(&c.grad);
				memset(&c, 0, sizeof c);
			}
			continue;
		}
		*p++ = '\0';
		if (strcmp(line, "case") == 0) {
			char	*q = strchr(p, ' '), *r2;

			if (q != NULL)
				*q++ = '\0';
			snprintf(c.id, sizeof c.id, "%s", p);
			r2 = q != NULL ? strchr(q, ' ') : NULL;
			if (r2 != NULL)
				*r2++ = '\0';
			snprintf(c.loss, sizeof c.loss, "%s", q != NULL ? q : "");
			snprintf(c.opts, sizeof c.opts, "%s",
			    r2 != NULL ? r2 : "");
		} else if (strcmp(line, "input") == 0)
			arr_parse(p, &c.x, 1);
		else if (strcmp(line, "target") == 0)
			arr_parse(p, &c.t, 1);
		else if (strcmp(line, "error") == 0)
			snprintf(c.error, sizeof c.error, "%s", p);
		else if (strcmp(line, "value") == 0)
			c.value = strtod(p, NULL);
		else if (strcmp(line, "elem") == 0)
			arr_parse(p, &c.elem, 1);
		else if (strcmp(line, "grad") == 0)
			arr_parse(p, &c.grad, 0);
	}
	fclose(f);
	return cases;
}

int
main(void)
{
	int	n;

	n = run_file("golden_nd.txt");
	tap_ok(n == 89, "golden_nd.txt: all %d cases read", n);
	rtol = 2e-6;
	abstol = 1e-6;
	n = run_file("golden_f32.txt");
	tap_ok(n == 114, "golden_f32.txt: all %d cases read", n);
	return tap_done();
}
