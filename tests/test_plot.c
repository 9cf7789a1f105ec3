/*
 * test_plot.c -- the plot module's unit tests: the text sanitiser (every
 * dangerous byte, malformed UTF-8, truncation, and a fuzz of random bytes),
 * output-path checks, the kind table, and the curve numbers against values
 * from the reference document (shared/reference/pytorch-losses.md) and
 * closed forms written out here, independently of the core.
 *
 * Cell mode: for every loss and plot kind on small steps, each mark is the
 * value loss_eval() (or pitfall_eval()) gives the explorer's tables, sits
 * on its curve and inside the range; gradient curves at the cell are
 * loss_eval's gradient of the reduced loss; the pitfall floors against
 * closed forms and torch; and the `losslab plot` command plot_req_args()
 * writes draws the same text plot as the request.
 *
 * gnuplot's output: the checks of PNG, SVG, PDF, sixel and text that
 * everything gnuplot writes passes before it is kept.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/curve.h"
#include "parse.h"
#include "plot.h"
#include "tap.h"

/* The bytes no sanitised text may hold. */
static const char forbidden[] = "'\"\\`|<>!$@";

/* Whether s is valid UTF-8 without controls (C0, DEL, C1). */
static int
clean_utf8(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	unsigned int		 c;
	int			 n, i;

	while (*s != '\0') {
		if (*s < 0x80) {
			if (*s < 0x20 || *s == 0x7f ||
			    strchr(forbidden, *s) != NULL)
				return (0);
			s++;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf) {
			n = 2;
			c = *s & 0x1f;
		} else if (*s >= 0xe0 && *s <= 0xef) {
			n = 3;
			c = *s & 0x0f;
		} else if (*s >= 0xf0 && *s <= 0xf4) {
			n = 4;
			c = *s & 0x07;
		} else
			return (0);
		for (i = 1; i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return (0);
			c = (c << 6) | (s[i] & 0x3f);
		}
		if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff ||
		    (c >= 0x80 && c <= 0x9f))
			return (0);
		s += n;
	}
	return (1);
}

static void
san_is(const char *in, size_t outlen, const char *want, const char *name)
{
	char	out[512];

	plot_sanitize(in, out, outlen);
	if (!tap_ok(strcmp(out, want) == 0, "sanitize: %s", name))
		tap_diag("got '%s', want '%s'", out, want);
}

static void
test_sanitize(void)
{
	char		 in[64], out[32];
	unsigned int	 seed = 12345;
	int		 i, j, bad = 0;
	size_t		 len;

	san_is("loss y=1", 100, "loss y=1", "plain text kept");
	san_is("a'b\"c", 100, "abc", "quotes dropped");
	san_is("a\\b`c`", 100, "abc", "backslash and backticks dropped");
	san_is("x|y<z>w", 100, "xyzw", "pipes and redirections dropped");
	san_is("!ls $HOME @var", 100, "ls HOME var", "! $ @ dropped");
	san_is("line1\nline2\r\tx", 100, "line1 line2 x",
	    "newline, CR, tab become one space");
	san_is("\x1b[31mred", 100, "[31mred", "ESC dropped");
	san_is("a\x7f" "b", 100, "a b", "DEL becomes a space");
	san_is("'; system(\"touch /tmp/x\") #", 100,
	    "; system(touch /tmp/x) #", "system() injection neutralised");
	san_is("`touch x`", 100, "touch x", "backtick command neutralised");
	san_is("交叉熵 σ(z)−y ε=0.1", 100, "交叉熵 σ(z)−y ε=0.1",
	    "UTF-8 kept (CJK, Greek, minus sign)");
	san_is("a\xc0\xaf" "b", 100, "ab", "overlong '/' dropped");
	san_is("a\xe0\x80\xaf" "b", 100, "ab", "3-byte overlong dropped");
	san_is("a\xed\xa0\x80" "b", 100, "ab", "surrogate dropped");
	san_is("a\xf4\x90\x80\x80" "b", 100, "ab", "above U+10FFFF dropped");
	san_is("a\xc2\x85" "b", 100, "ab", "C1 control NEL dropped");
	san_is("a\xc2\x9b" "b", 100, "ab", "C1 CSI dropped");
	san_is("a\xe4\xb8" "b", 100, "ab", "truncated sequence dropped");
	san_is("a\x80\xbf" "b", 100, "ab", "stray continuation bytes dropped");
	san_is("a\xff\xfe" "b", 100, "ab", "0xff 0xfe dropped");
	san_is("中文", 4, "中", "truncation at a character boundary");
	san_is("中文", 3, "", "no half character");
	san_is("abcdef", 4, "abc", "ASCII truncation");
	san_is("abc", 1, "", "outlen 1 gives an empty string");
	plot_sanitize(NULL, out, sizeof out);
	tap_ok(out[0] == '\0', "sanitize: NULL gives an empty string");

	/* fuzz: random bytes never leave anything dangerous or malformed */
	for (i = 0; i < 20000 && !bad; i++) {
		len = (size_t)(rand_r(&seed) % 63);
		for (j = 0; j < (int)len; j++) {
			in[j] = (char)(rand_r(&seed) % 255 + 1);
			/* favour the interesting bytes */
			if (rand_r(&seed) % 4 == 0)
				in[j] = "'\"\\`|<>!$@\n\x1b\xe4\xb8\xad\xc2"
				    "\x85"[rand_r(&seed) % 18];
		}
		in[len] = '\0';
		plot_sanitize(in, out, sizeof out);
		if (strlen(out) >= sizeof out || !clean_utf8(out))
			bad = 1;
	}
	tap_ok(!bad, "sanitize: 20000 random strings come out clean UTF-8 "
	    "without quotes, controls or shell characters");
}

static void
path_is(const char *path, int ok, const char *name)
{
	struct err	e;
	int		rc = plot_check_path(path, &e);

	if (!tap_ok((rc == 0) == ok, "path: %s", name))
		tap_diag("rc %d, %s", rc, rc ? e.msg : "");
}

static void
test_paths(void)
{
	enum plot_format	f;

	path_is("out.png", 1, "plain name accepted");
	path_is("dir/a b-1.svg", 1, "directories and blanks accepted");
	path_is("图表.pdf", 1, "UTF-8 accepted");
	path_is("|touch canary", 0, "leading | refused");
	path_is("  |touch canary", 0, "blanks then | refused");
	path_is("<x.png", 0, "leading < refused");
	path_is("a'b.png", 0, "single quote refused");
	path_is("a\"b.png", 0, "double quote refused");
	path_is("a`id`.png", 0, "backtick refused");
	path_is("a\nb.png", 0, "newline refused");
	path_is("a\x1b.png", 0, "ESC refused");
	path_is("a\xff.png", 0, "invalid UTF-8 refused");
	path_is("", 0, "empty refused");
	path_is(NULL, 0, "NULL refused");

	tap_ok(plot_format_from_path("a.png", &f) == 0 &&
	    f == PLOT_FORMAT_PNG, "format: .png");
	tap_ok(plot_format_from_path("a.b/c.SVG", &f) == 0 &&
	    f == PLOT_FORMAT_SVG, "format: .SVG");
	tap_ok(plot_format_from_path("c.pdf", &f) == 0 &&
	    f == PLOT_FORMAT_PDF, "format: .pdf");
	tap_ok(plot_format_from_path("c.txt", &f) == 0 &&
	    f == PLOT_FORMAT_DUMB, "format: .txt");
	tap_ok(plot_format_from_path("c.jpg", &f) == -1 &&
	    plot_format_from_path("dir.png/c", &f) == -1,
	    "format: unknown extensions refused");
}

static void
test_kinds(void)
{
	enum plot_kind	k;
	int		i, ok = 1;

	for (i = 0; i < PLOT_KIND_COUNT; i++) {
		if (plot_kind_parse(plot_kind_name(i), &k) == -1 ||
		    (int)k != i || strlen(plot_kind_desc(i)) < 10)
			ok = 0;
	}
	tap_ok(ok, "kinds: every id parses back, with a description");
	tap_ok(plot_kind_parse("nope", &k) == -1, "kinds: unknown id refused");
	tap_ok(PLOT_KIND_COUNT == (int)CURVE_KIND_COUNT,
	    "kinds: plot and curve kinds line up");
}

/* The value of curve c of kind k at x, computed through curve_compute_at. */
static double
at(struct curve_params *p, int c, double x)
{
	struct curve_set	s = CURVE_SET_INIT;
	struct err		e;
	double			v = NAN;

	if (curve_compute_at(p, x, &s, &e) == -1)
		tap_diag("curve_compute_at: %s", e.msg);
	else if (c < s.ncurves)
		v = s.c[c].v[0];
	curve_set_free(&s);
	return (v);
}

static void
test_curves(void)
{
	struct curve_params	p;
	struct curve_set	s = CURVE_SET_INIT;
	struct err		e;
	double			v;

	/* BCEWithLogits(0, 1) = log 2, gradient sigma(0) - 1 = -0.5 */
	curve_params_init(&p, CURVE_LOGITS);
	tap_ok(tap_close(at(&p, 0, 0), log(2), 1e-12) &&
	    tap_close(at(&p, 1, 0), -0.5, 1e-12),
	    "curve: logits-curve at z=0 is log 2, gradient -0.5");
	/* BCE(p=0.25, y=1) = -log 0.25; y=0: -log 0.75 */
	curve_params_init(&p, CURVE_BCE);
	tap_ok(tap_close(at(&p, 0, 0.25), -log(0.25), 1e-12) &&
	    tap_close(at(&p, 1, 0.25), -log(0.75), 1e-12),
	    "curve: bce-curve at p=0.25 for y=1 and y=0");
	/* the BCE clamp: p = 0, y = 1 gives 100 (reference §2) */
	tap_ok(at(&p, 0, 0) == 100, "curve: bce-curve clamps at 100");
	/* CE at margin 0 over C classes: log C */
	curve_params_init(&p, CURVE_CE);
	p.classes = 10;
	tap_ok(tap_close(at(&p, 0, 0), log(10), 1e-12) &&
	    tap_close(at(&p, 1, 0), 0.1 - 1, 1e-12),
	    "curve: ce-curve at m=0, C=10 is log 10, gradient -0.9");
	/* softmax-then-ce: the floor log(1 + (C-1)/e), C=3 (reference P1) */
	curve_params_init(&p, CURVE_SOFTMAX_THEN_CE);
	if (curve_compute(&p, &s, &e) == -1)
		tap_diag("%s", e.msg);
	tap_ok(tap_close(s.floor, log(1 + 2 / exp(1)), 1e-12) &&
	    fabs(s.floor - 0.5514) < 1e-4,
	    "curve: softmax-then-ce floor is log(1+(C-1)/e) = 0.5514");
	tap_ok(s.ncurves == 4 && !s.c[0].gradient && s.c[1].gradient &&
	    s.c[2].pitfall == PITFALL_SOFTMAX_THEN_CE,
	    "curve: softmax-then-ce has loss, gradient, pitfall loss, "
	    "pitfall gradient");
	curve_set_free(&s);
	/* double sigmoid, y=1: the floor is log(1 + 1/e) = 0.3133 */
	curve_params_init(&p, CURVE_DOUBLE_SIGMOID);
	if (curve_compute(&p, &s, &e) == -1)
		tap_diag("%s", e.msg);
	tap_ok(tap_close(s.floor, log(1 + 1 / exp(1)), 1e-9),
	    "curve: double-sigmoid floor is log(1+1/e)");
	curve_set_free(&s);
	/* naive float32, y=0: sigma rounds to 1 from z = 16.63553237915039
	   (reference §12), where the loss jumps to the clamp, 100 */
	curve_params_init(&p, CURVE_NAIVE_FLOAT32);
	if (curve_compute(&p, &s, &e) == -1)
		tap_diag("%s", e.msg);
	tap_ok(fabs(s.edge - 16.63553237915039) < 3e-6,
	    "curve: naive-float32 saturation found at z = %.7f (16.6355324)",
	    s.edge);
	curve_set_free(&s);
	tap_ok(at(&p, 2, 17) == 100 && at(&p, 3, 17) == 0 &&
	    tap_close(at(&p, 0, 17), 17, 1e-6),
	    "curve: naive-float32 at z=17, y=0: 100 with gradient 0, stable 17");
	/* focal with gamma 0 and no alpha is BCE with logits */
	curve_params_init(&p, CURVE_FOCAL);
	v = log1p(exp(-1.5));
	tap_ok(tap_close(at(&p, 0, 1.5), v, 1e-12) &&
	    at(&p, 3, 1.5) < at(&p, 2, 1.5) && at(&p, 2, 1.5) < v,
	    "curve: focal gamma=0 equals BCE, larger gamma is smaller");
	/* label smoothing: l = (1-eps) nll + eps/C sum -log p (§4.3) */
	curve_params_init(&p, CURVE_LABEL_SMOOTHING);
	{
		double lse = log(exp(2) + 2), nll = lse - 2;
		double sm = (lse - 2) + 2 * lse;

		tap_ok(tap_close(at(&p, 1, 2), 0.9 * nll + 0.1 / 3 * sm,
		    1e-12), "curve: label smoothing eps=0.1 at m=2, C=3");
	}
	/* pos_weight multiplies the positive term only (reference P9) */
	curve_params_init(&p, CURVE_POS_WEIGHT);
	tap_ok(tap_close(at(&p, 1, -1), 3 * log1p(exp(1)), 1e-12) &&
	    tap_close(at(&p, 3, -1), log1p(exp(-1)), 1e-12),
	    "curve: pos_weight 3 triples the y=1 loss, y=0 unchanged");
	/* compare: soft-margin with y=1 is log(1 + e^-z) */
	curve_params_init(&p, CURVE_COMPARE);
	tap_ok(tap_close(at(&p, 2, 0.7), log1p(exp(-0.7)), 1e-12),
	    "curve: compare soft-margin at z=0.7");
	/* compare passes its overrides on: focal with gamma 0 and no alpha
	   is bce-logits; bce-logits with pos_weight 2 doubles for y=1 */
	curve_params_init(&p, CURVE_COMPARE);
	p.nlosses = 2;
	p.losses[0] = LOSS_FOCAL;
	p.losses[1] = LOSS_BCE_LOGITS;
	p.gamma = 0;
	p.pos_weight = 2;
	tap_ok(tap_close(at(&p, 0, -0.4), log1p(exp(0.4)), 1e-12) &&
	    tap_close(at(&p, 1, -0.4), 2 * log1p(exp(0.4)), 1e-12),
	    "curve: compare applies gamma to focal, pos_weight to bce-logits");
	/* bad parameters */
	curve_params_init(&p, CURVE_BCE);
	p.xmin = -1;
	tap_ok(curve_compute(&p, &s, &e) == -1, "curve: bce p < 0 refused");
	curve_params_init(&p, CURVE_CE);
	p.classes = 1;
	tap_ok(curve_compute(&p, &s, &e) == -1, "curve: C=1 refused");
	curve_params_init(&p, CURVE_LOGITS);
	p.xmin = 3;
	p.xmax = 2;
	tap_ok(curve_compute(&p, &s, &e) == -1, "curve: empty range refused");
}

static void
test_dumb(void)
{
	struct plot_req		 r;
	struct plot_text	 t = PLOT_TEXT_INIT;
	struct err		 e;
	int			 i, ok = 1, star = 0;

	if (!plot_available()) {
		tap_ok(1, "# SKIP dumb: gnuplot not installed");
		return;
	}
	plot_req_init(&r, PLOT_LOGITS_CURVE);
	r.nmarks = 1;
	r.marks[0] = 1;
	if (!tap_ok(plot_dumb(&r, 70, 20, &t, &e) == 0, "dumb: logits-curve "
	    "renders"))
		tap_diag("%s", e.msg);
	for (i = 0; i < t.nlines; i++) {
		if (strchr(t.lines[i], '\f') != NULL ||
		    strchr(t.lines[i], '\x1b') != NULL)
			ok = 0;
		if (t.top < i && i < t.bottom &&
		    memchr(t.lines[i] + t.left, '*', (size_t)(t.right -
		    t.left)) != NULL)
			star = 1;
	}
	tap_ok(ok && t.nlines >= 15 && t.nlines <= 20,
	    "dumb: %d lines, no form feed, no escape codes", t.nlines);
	tap_ok(t.ncurves == 2 && t.curves[0].point == '*' &&
	    !t.curves[0].gradient && t.curves[1].point == '#' &&
	    t.curves[1].gradient && t.mark_point == 'O',
	    "dumb: curve keys '*' (loss) and '#' (gradient), mark 'O'");
	tap_ok(t.top >= 0 && t.bottom > t.top + 5 && t.right > t.left + 20 &&
	    star, "dumb: border found, the loss curve drawn inside it");
	plot_text_free(&t);
	plot_text_free(&t);
	tap_ok(t.lines == NULL && t.nlines == 0, "dumb: free twice is safe");
}

/*
 * A fake gnuplot that hangs: plot_dumb() must give up after the timeout,
 * kill it and reap it -- this process has no child left, zombie or not --
 * and put SIGPIPE back as it was.
 */
static void
test_hang(void)
{
	struct plot_req		 r;
	struct plot_text	 t = PLOT_TEXT_INIT;
	struct sigaction	 sa;
	struct err		 e;
	char			 dir[] = "/tmp/losslab-fakegp.XXXXXX", file[64];
	char			*oldpath, path[512];
	FILE			*fp;
	time_t			 start;
	int			 rc, st, zombies;

	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "hang: mkdtemp");
		return;
	}
	snprintf(file, sizeof file, "%s/gnuplot", dir);
	if ((fp = fopen(file, "w")) == NULL) {
		tap_ok(0, "hang: create the fake gnuplot");
		return;
	}
	fputs("#!/bin/sh\nexec /bin/sleep 30\n", fp);
	fclose(fp);
	chmod(file, 0755);
	oldpath = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	snprintf(path, sizeof path, "%s:%s", dir, oldpath ? oldpath : "/bin");
	setenv("PATH", path, 1);
	setenv("LOSSLAB_PLOT_TIMEOUT_MS", "700", 1);

	plot_req_init(&r, PLOT_FOCAL);
	start = time(NULL);
	rc = plot_dumb(&r, 80, 24, &t, &e);
	tap_ok(rc == -1 && strstr(e.msg, "did not finish within 700 ms") &&
	    time(NULL) - start <= 3, "hang: timed out (%s)", rc ? e.msg : "");
	zombies = waitpid(-1, &st, WNOHANG);
	tap_ok(zombies == -1 && errno == ECHILD,
	    "hang: the killed gnuplot was reaped, no child left");
	sigaction(SIGPIPE, NULL, &sa);
	tap_ok(sa.sa_handler == SIG_DFL, "hang: SIGPIPE handling restored");
	tap_ok(t.lines == NULL && t.nlines == 0, "hang: no text on failure");

	if (oldpath != NULL)
		setenv("PATH", oldpath, 1);
	free(oldpath);
	unsetenv("LOSSLAB_PLOT_TIMEOUT_MS");
	unlink(file);
	rmdir(dir);
}

/* curve_ce_margin: the margin m whose logits [m, 0, ..., 0] (class 0) have
   the cross-entropy of the row -- checked through loss_eval itself. */
static void
test_ce_margin(void)
{
	static const double rows[][4] = {
		{ 2, 1, 0.1, -3 }, { -20, 0, 20, 1 }, { 0.3, 0.3, 0.3, 0.3 },
		{ 1e4, -1e4, 0, 5 }
	};
	struct loss_opts	 o;
	struct loss_result	 r1 = LOSS_RESULT_INIT, r2 = LOSS_RESULT_INIT;
	struct err		 e;
	struct mat		 x = MAT_INIT, t = MAT_INIT, xm = MAT_INIT;
	double			 m, in[4], tv = 0, tm = 0, y;
	size_t			 i, C;
	int			 ok = 1;

	loss_opts_init(&o);
	for (C = 2; C <= 4; C++) {
		for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
			for (y = 0; y < (double)C; y++) {
				memcpy(in, rows[i], C * sizeof *in);
				m = curve_ce_margin(in, C, (size_t)y);
				x = (struct mat)MAT_VIEW(1, 1, C, in);
				tv = y;
				t = (struct mat)MAT_VIEW(1, 1, 1, &tv);
				double z[4] = { m, 0, 0, 0 };
				xm = (struct mat)MAT_VIEW(1, 1, C, z);
				tm = 0;
				struct mat t0 = MAT_VIEW(1, 1, 1, &tm);
				if (loss_eval(LOSS_CE, &x, &t, &o, &r1, &e) != 0 ||
				    loss_eval(LOSS_CE, &xm, &t0, &o, &r2,
				    &e) != 0 || fabs(r2.value - r1.value) >
				    1e-9 * fmax(1, fabs(r1.value))) {
					ok = 0;
					tap_diag("C=%zu row %zu y=%g: m=%g, CE %g "
					    "vs %g", C, i, y, m, r2.value,
					    r1.value);
				}
				loss_result_free(&r1);
				loss_result_free(&r2);
			}
		}
	}
	tap_ok(ok, "curve_ce_margin: CE([m,0,..]) equals CE of the row");
	tap_ok(isnan(curve_ce_margin(in, 1, 0)) &&
	    isnan(curve_ce_margin(in, 3, 3)), "curve_ce_margin: NaN for C < 2 "
	    "or y >= C");
}

/* ------------------------------------------------------------ cell mode -- */

/*
 * A step as the explorer holds it: values in the CLI syntax, options as
 * "key=value" words (red, ii, ls, margin, p, alpha, gamma, logt), cells as
 * "r,c" words.
 */
struct cell_case {
	const char	*name;
	enum curve_kind	 kind;
	enum loss_id	 loss;
	enum pitfall_id	 pf;
	const char	*input, *target, *weight, *pos_weight;
	const char	*opts;
	const char	*cells;
};

struct cell_step {
	struct mat		 in, tg, w, pw;
	struct loss_opts	 o;
	struct curve_cells	 cc;
};

static void
cell_step_free(struct cell_step *st)
{
	mat_free(&st->in);
	mat_free(&st->tg);
	mat_free(&st->w);
	mat_free(&st->pw);
}

static int
cell_step(const struct cell_case *k, struct cell_step *st)
{
	static const struct mat	 empty = MAT_INIT;
	struct err		 e;
	char			 key[32], val[64];
	const char		*p;
	size_t			 r, c;
	int			 n;

	memset(st, 0, sizeof *st);
	st->in = st->tg = st->w = st->pw = empty;
	loss_opts_init(&st->o);
	if (parse_matrix(k->input, "input", &st->in, &e) == -1 ||
	    parse_matrix(k->target, "target", &st->tg, &e) == -1 ||
	    (k->weight != NULL && parse_matrix(k->weight, "weight", &st->w,
	    &e) == -1) || (k->pos_weight != NULL && parse_matrix(
	    k->pos_weight, "pos_weight", &st->pw, &e) == -1)) {
		tap_diag("%s: %s", k->name, e.msg);
		return (-1);
	}
	if (k->weight != NULL)
		st->o.weight = &st->w;
	if (k->pos_weight != NULL)
		st->o.pos_weight = &st->pw;
	for (p = k->opts != NULL ? k->opts : ""; sscanf(p,
	    " %31[a-z]=%63s%n", key, val, &n) == 2; p += n) {
		if (strcmp(key, "red") == 0)
			loss_reduction_parse(val, &st->o.reduction);
		else if (strcmp(key, "ii") == 0)
			st->o.ignore_index = atol(val);
		else if (strcmp(key, "ls") == 0)
			st->o.label_smoothing = atof(val);
		else if (strcmp(key, "margin") == 0)
			st->o.margin = atof(val);
		else if (strcmp(key, "p") == 0)
			st->o.p = atoi(val);
		else if (strcmp(key, "alpha") == 0)
			st->o.alpha = atof(val);
		else if (strcmp(key, "gamma") == 0)
			st->o.gamma = atof(val);
		else if (strcmp(key, "logt") == 0)
			st->o.log_target = atoi(val);
	}
	st->cc.loss = k->loss;
	st->cc.pitfall = k->pf;
	st->cc.input = &st->in;
	st->cc.target = &st->tg;
	st->cc.opts = &st->o;
	for (p = k->cells; sscanf(p, " %zu,%zu%n", &r, &c, &n) == 2 &&
	    st->cc.ncells < CURVE_CELLS_MAX; p += n) {
		st->cc.cells[st->cc.ncells].r = r;
		st->cc.cells[st->cc.ncells++].c = c;
	}
	return (0);
}

/*
 * What the explorer's "loss per element/sample" table shows for cell
 * (r, c), written out here from the 'none' output: sample r's value for
 * the per-sample layouts, element (r, c)'s otherwise, and for kl-div the
 * sum over the output entries a broadcast input cell reaches.
 */
static double
table_elem(const struct loss_result *res, int per_sample,
    const struct mat *in, size_t r, size_t c)
{
	const struct mat	*el = &res->elem;
	size_t			 i, j, er = el->ndim == 2 ? el->rows : 1;
	size_t			 ir = in->ndim == 2 ? in->rows : 1;
	double			 sum = 0;

	if (per_sample)
		return (el->v[r]);
	for (i = 0; i < er; i++)
		for (j = 0; j < el->cols; j++)
			if ((ir == 1 || i == r) && (in->cols == 1 || j == c))
				sum += el->v[i * el->cols + j];
	return (sum);
}

static int
layout_per_sample(enum loss_id id, enum pitfall_id pf)
{
	if (pf == PITFALL_SOFTMAX_THEN_CE || pf == PITFALL_LOG_SOFTMAX_THEN_CE)
		return (1);
	if (pf != PITFALL_NONE)
		return (0);
	return (id == LOSS_CE || id == LOSS_NLL || id == LOSS_MULTI_MARGIN ||
	    id == LOSS_MULTILABEL_SOFT_MARGIN);
}

/* The curves of p at the single x (each cell set to x). */
static int
cells_at(const struct curve_params *p, double x, struct curve_set *s)
{
	struct err	e;

	if (curve_compute_at(p, x, s, &e) == -1) {
		tap_diag("curve_compute_at(%g): %s", x, e.msg);
		return (-1);
	}
	return (0);
}

static const struct cell_case cell_cases[] = {
	{ "ce 2-D, index target", CURVE_CE, LOSS_CE, PITFALL_NONE,
	    "2,1,0.1;0.5,2,0.3", "0,2", NULL, NULL, NULL, "1,2" },
	{ "ce weighted, ignore_index, 3 cells", CURVE_CE, LOSS_CE,
	    PITFALL_NONE, "2,1,0.1;0.5,2,0.3;1,1,1", "0,2,1", "1,2,0.5",
	    NULL, "ii=1", "0,0 1,2 2,1" },
	{ "ce with softmax-then-ce", CURVE_SOFTMAX_THEN_CE, LOSS_CE,
	    PITFALL_SOFTMAX_THEN_CE, "2,1,0.1;0.5,2,0.3", "0,2", "1,1,2",
	    NULL, NULL, "1,2 0,1" },
	{ "ce probabilities, smoothing family", CURVE_LABEL_SMOOTHING,
	    LOSS_CE, PITFALL_NONE, "2,1,0.1;0.5,2,0.3",
	    "0.7,0.2,0.1;0.1,0.1,0.8", NULL, NULL, "ls=0.2", "0,0" },
	{ "ce smoothing 0.1 with the pitfall", CURVE_LABEL_SMOOTHING,
	    LOSS_CE, PITFALL_SOFTMAX_THEN_CE, "2,1,0.1;0.5,2,0.3", "0,2",
	    NULL, NULL, "ls=0.1 red=sum", "1,0" },
	{ "ce 1-D unbatched", CURVE_CE, LOSS_CE, PITFALL_NONE,
	    "2,1,0.1,-1", "3", NULL, NULL, NULL, "0,3 0,0" },
	{ "nll weight, ignored sample", CURVE_COMPARE, LOSS_NLL, PITFALL_NONE,
	    "-0.5,-1.2,-2;-1,-0.3,-3", "1,-100", "1,2,3", NULL, NULL,
	    "0,1 1,1" },
	{ "multi-margin margin 0.5, p 2, weight, sum", CURVE_COMPARE,
	    LOSS_MULTI_MARGIN, PITFALL_NONE, "1,-2,0.5;0.3,0.2,0", "1,0",
	    "1,2,0.5", NULL, "margin=0.5 p=2 red=sum", "1,0 0,2" },
	{ "multilabel-soft-margin, weight", CURVE_COMPARE,
	    LOSS_MULTILABEL_SOFT_MARGIN, PITFALL_NONE, "1,-2,0.5;0.3,0.2,0",
	    "1,0,1;0,1,0", "1,2,0.5", NULL, NULL, "1,0" },
	{ "bce, weight, the other label", CURVE_BCE, LOSS_BCE, PITFALL_NONE,
	    "0.9,0.2,0.5;0.4,0.7,0.01", "1,0,1;0,1,0", "1,2,3", NULL, NULL,
	    "0,1" },
	{ "bce-logits pos_weight family", CURVE_POS_WEIGHT, LOSS_BCE_LOGITS,
	    PITFALL_NONE, "1,-2,0.5;0.3,0.2,0", "1,0,1;0,1,1", NULL, "2,1,0.5",
	    NULL, "0,0" },
	{ "bce-logits pos_weight, weight, gradients", CURVE_LOGITS,
	    LOSS_BCE_LOGITS, PITFALL_NONE, "1,-2,0.5;0.3,0.2,0",
	    "1,0,1;0,1,1", "1,1,2", "2,1,0.5", NULL, "1,2 0,0" },
	{ "bce-logits with double-sigmoid", CURVE_DOUBLE_SIGMOID,
	    LOSS_BCE_LOGITS, PITFALL_DOUBLE_SIGMOID, "3,-2,0.5", "1,0,1", NULL,
	    NULL, NULL, "0,0 0,2" },
	{ "bce-logits with naive-float32", CURVE_NAIVE_FLOAT32,
	    LOSS_BCE_LOGITS, PITFALL_NAIVE_FLOAT32, "3,20", "0,0", NULL, NULL,
	    NULL, "0,1" },
	{ "focal alpha 0.3, gamma 1.5, sum", CURVE_FOCAL, LOSS_FOCAL,
	    PITFALL_NONE, "1,-2;0.5,3", "1,0;0,1", NULL, NULL,
	    "alpha=0.3 gamma=1.5 red=sum", "0,1" },
	{ "focal no alpha, gamma 2", CURVE_FOCAL, LOSS_FOCAL, PITFALL_NONE,
	    "1,-2;0.5,3", "1,0;0,1", NULL, NULL, "alpha=-1", "1,1" },
	{ "soft-margin, broadcast target", CURVE_COMPARE, LOSS_SOFT_MARGIN,
	    PITFALL_NONE, "1,-2;0.5,3", "1,-1", NULL, NULL, NULL, "1,1" },
	{ "kl-div broadcast input, log_target, batchmean", CURVE_COMPARE,
	    LOSS_KL_DIV, PITFALL_NONE, "-1,-2", "-0.5,-1;-2,-0.1", NULL, NULL,
	    "logt=1 red=batchmean", "0,1" },
	{ "kl-div 2-D, gradients", CURVE_LOGITS, LOSS_KL_DIV, PITFALL_NONE,
	    "-1,-2;-0.5,-0.7", "0.3,0.7;0.5,0.5", NULL, NULL, NULL, "0,1" },
	{ "bce, 6 cells merged by target", CURVE_BCE, LOSS_BCE, PITFALL_NONE,
	    "0.9,0.2,0.5;0.4,0.7,0.01", "1,0,1;1,0,1", NULL, NULL, NULL,
	    "0,0 0,1 0,2 1,0 1,1 1,2" },
	{ "ce, 8 cells with the pitfall", CURVE_SOFTMAX_THEN_CE, LOSS_CE,
	    PITFALL_SOFTMAX_THEN_CE, "2,1,0.1;0.5,2,0.3;1,-1,0", "0,2,1",
	    NULL, NULL, NULL, "0,0 0,1 0,2 1,0 1,1 1,2 2,0 2,1" },
};

/* Every property of one case; returns the number of failures. */
static int
cell_case_check(const struct cell_case *k)
{
	struct cell_step	 st;
	struct curve_params	 p;
	struct curve_set	 s = CURVE_SET_INIT, a = CURVE_SET_INIT;
	struct loss_result	 res = LOSS_RESULT_INIT;
	struct loss_result	 pres = LOSS_RESULT_INIT;
	struct err		 e;
	const struct curve	*c;
	double			 want, x;
	size_t			 r, cc, g;
	int			 i, j, bad = 0, nmain = 0, pok = 0, nfam = 0;

	if (cell_step(k, &st) == -1)
		return (1);
	curve_params_init(&p, k->kind);
	p.cells = &st.cc;
	p.points = 101;
	if (curve_compute(&p, &s, &e) == -1) {
		tap_diag("%s: %s", k->name, e.msg);
		cell_step_free(&st);
		return (1);
	}
	if (loss_eval(k->loss, &st.in, &st.tg, &st.o, &res, &e) == -1) {
		tap_diag("%s: loss_eval: %s", k->name, e.msg);
		bad++;
	}
	if (k->pf != PITFALL_NONE)
		pok = pitfall_eval(k->pf, &st.in, &st.tg, &st.o, &pres,
		    &e) == 0;

	if (!tap_ok(s.ncurves <= CURVE_MAX && s.ncells == st.cc.ncells,
	    "cells: %s: %d curves (at most %d)", k->name, s.ncurves,
	    CURVE_MAX))
		bad++;
	/* every mark is the number on screen, inside the x range */
	for (i = 0; i < s.nmarks; i++) {
		const struct curve_mark *m = &s.marks[i];

		g = (size_t)m->group;
		r = st.cc.cells[g].r;
		cc = st.cc.cells[g].c;
		c = &s.c[m->curve];
		if (c->role == CURVE_ROLE_MAIN) {
			nmain++;
			want = table_elem(&res, layout_per_sample(k->loss,
			    PITFALL_NONE), &st.in, r, cc);
		} else if (c->role == CURVE_ROLE_PITFALL && pok)
			want = table_elem(&pres, layout_per_sample(k->loss,
			    k->pf), &st.in, r, cc);
		else {
			tap_diag("%s: mark %d on a curve of role %d", k->name,
			    i, c->role);
			bad++;
			continue;
		}
		x = MAT_AT(&st.in, r, cc);
		if (!tap_close(m->y, want, 1e-12) || m->x != x ||
		    m->x < s.x[0] || m->x > s.x[s.n - 1]) {
			tap_diag("%s: mark %d at %g: %.17g, table %.17g, range "
			    "[%g, %g]", k->name, i, m->x, m->y, want, s.x[0],
			    s.x[s.n - 1]);
			bad++;
		}
		/* the mark lies on its curve: that curve at the mark's x */
		if (cells_at(&p, m->x, &a) == -1) {
			bad++;
			continue;
		}
		if (a.ncurves != s.ncurves ||
		    !tap_close(a.c[m->curve].v[0], m->y, 1e-12)) {
			tap_diag("%s: mark %d: its curve at x = %g is %.17g, "
			    "not %.17g", k->name, i, m->x, a.ncurves ==
			    s.ncurves ? a.c[m->curve].v[0] : NAN, m->y);
			bad++;
		}
		curve_set_free(&a);
	}
	if (nmain != (int)st.cc.ncells) {
		tap_diag("%s: %d main marks for %zu cells", k->name, nmain,
		    st.cc.ncells);
		bad++;
	}
	/* gradient curves at their cell: loss_eval's grad of the reduced
	   loss (the pitfall's for the pitfall curves) */
	for (g = 0; g < st.cc.ncells; g++) {
		r = st.cc.cells[g].r;
		cc = st.cc.cells[g].c;
		if (cells_at(&p, MAT_AT(&st.in, r, cc), &a) == -1) {
			bad++;
			continue;
		}
		for (j = 0; j < a.ncurves; j++) {
			c = &a.c[j];
			if (c->group != (int)g || !c->gradient)
				continue;
			if (c->role == CURVE_ROLE_PITFALL && !pok)
				continue;
			want = MAT_AT(c->role == CURVE_ROLE_PITFALL ?
			    &pres.grad : &res.grad, r, cc);
			if (!tap_close(c->v[0], want, 1e-12)) {
				tap_diag("%s: gradient curve %d at cell %zu: "
				    "%.17g, want %.17g", k->name, j, g,
				    c->v[0], want);
				bad++;
			}
		}
		/* a compare companion gives the same numbers */
		for (j = 0; j < a.ncurves; j++) {
			c = &a.c[j];
			if (c->group != (int)g ||
			    c->role != CURVE_ROLE_COMPANION ||
			    k->loss == LOSS_MULTI_MARGIN)
				continue;
			want = table_elem(&res, layout_per_sample(k->loss,
			    PITFALL_NONE), &st.in, r, cc);
			if (!tap_close(c->v[0], want, 1e-12)) {
				tap_diag("%s: companion %.17g, loss %.17g",
				    k->name, c->v[0], want);
				bad++;
			}
		}
		curve_set_free(&a);
	}
	/* families hold the step's own value (the main curve) once */
	for (j = 0; j < s.ncurves; j++) {
		c = &s.c[j];
		if (c->role == CURVE_ROLE_FAMILY) {
			nfam++;
			if (c->param == s.c[0].param &&
			    c->value == s.c[0].value)
				bad++;
		}
	}
	if (k->kind == CURVE_FOCAL || k->kind == CURVE_LABEL_SMOOTHING ||
	    k->kind == CURVE_POS_WEIGHT) {
		double own = k->kind == CURVE_FOCAL ? st.o.gamma :
		    k->kind == CURVE_LABEL_SMOOTHING ? st.o.label_smoothing :
		    st.pw.v[0];

		if (s.c[0].role != CURVE_ROLE_MAIN || s.c[0].value != own ||
		    nfam < 2) {
			tap_diag("%s: main curve value %g (own %g), %d family "
			    "curves", k->name, s.c[0].value, own, nfam);
			bad++;
		}
	}
	tap_ok(bad == 0, "cells: %s: %d marks are the tables' values, on "
	    "their curves, in the range; gradients are loss_eval's",
	    k->name, s.nmarks);
	curve_set_free(&s);
	loss_result_free(&res);
	loss_result_free(&pres);
	cell_step_free(&st);
	return (bad);
}

static void
test_cells(void)
{
	struct cell_step	 st;
	struct curve_params	 p;
	struct curve_set	 s = CURVE_SET_INIT;
	struct err		 e;
	size_t			 i;
	int			 k, nbranch = 0, ncomp = 0;

	for (i = 0; i < sizeof cell_cases / sizeof cell_cases[0]; i++)
		cell_case_check(&cell_cases[i]);

	/* what each kind adds beside the main curve */
	cell_step(&cell_cases[9], &st);		/* bce, the other label */
	curve_params_init(&p, CURVE_BCE);
	p.cells = &st.cc;
	if (curve_compute(&p, &s, &e) == 0) {
		for (k = 0; k < s.ncurves; k++)
			if (s.c[k].role == CURVE_ROLE_BRANCH && s.c[k].y == 1)
				nbranch++;
	}
	tap_ok(nbranch == 1 && s.ncurves == 2 && s.c[0].y == 0,
	    "cells: bce-curve draws the element with y = 0 and y = 1");
	curve_set_free(&s);
	cell_step_free(&st);
	cell_step(&cell_cases[16], &st);	/* soft-margin */
	p.kind = CURVE_COMPARE;
	p.cells = &st.cc;
	if (curve_compute(&p, &s, &e) == 0) {
		for (k = 0; k < s.ncurves; k++)
			if (s.c[k].role == CURVE_ROLE_COMPANION &&
			    s.c[k].loss == LOSS_BCE_LOGITS)
				ncomp++;
	}
	tap_ok(ncomp == 1, "cells: compare draws bce-logits beside "
	    "soft-margin");
	curve_set_free(&s);
	cell_step_free(&st);

	/* the 6 bce cells: targets 1, 0, 1 in both rows, no weight: the
	   four y = 1 cells are one function, the two y = 0 cells another;
	   12 curves become 2 main curves and their 2 other labels */
	cell_step(&cell_cases[19], &st);
	curve_params_init(&p, CURVE_BCE);
	p.cells = &st.cc;
	if (curve_compute(&p, &s, &e) == -1)
		tap_diag("%s", e.msg);
	tap_ok(s.ncurves == 4 && s.nmarks == 6 && s.marks[3].group == 3 &&
	    s.marks[2].curve == s.marks[0].curve && s.marks[3].curve ==
	    s.marks[0].curve && s.marks[5].curve == s.marks[0].curve &&
	    s.marks[4].curve == s.marks[1].curve && s.marks[1].curve !=
	    s.marks[0].curve, "cells: 6 bce cells: cells with the same target "
	    "share curves (%d curves for 6 marks)", s.ncurves);
	curve_set_free(&s);
	cell_step_free(&st);

	/* 8 ce cells with the pitfall: the gradients, then the pitfall
	   curves from the last cell back, leave 8 main curves */
	cell_step(&cell_cases[20], &st);
	curve_params_init(&p, CURVE_SOFTMAX_THEN_CE);
	p.cells = &st.cc;
	if (curve_compute(&p, &s, &e) == -1)
		tap_diag("%s", e.msg);
	for (k = 0, i = 0; k < s.ncurves; k++)
		if (s.c[k].role == CURVE_ROLE_MAIN && !s.c[k].gradient)
			i++;
	tap_ok(s.ncurves <= CURVE_MAX && i == 8 && s.nmarks >= 8,
	    "cells: 8 ce cells keep their 8 main curves within %d",
	    CURVE_MAX);
	curve_set_free(&s);

	/* an explicit range overrides; bce probabilities stay in [0, 1] */
	curve_params_init(&p, CURVE_CE);
	p.cells = &st.cc;
	p.xmin = -1;
	p.xmax = 1;
	tap_ok(curve_compute(&p, &s, &e) == 0 && s.x[0] == -1 &&
	    s.x[s.n - 1] == 1, "cells: --xmin/--xmax override the range");
	curve_set_free(&s);
	cell_step_free(&st);
	cell_step(&cell_cases[9], &st);
	curve_params_init(&p, CURVE_NAIVE_FLOAT32);
	p.cells = &st.cc;
	tap_ok(curve_compute(&p, &s, &e) == 0 && s.x[0] >= 0 &&
	    s.x[s.n - 1] <= 1 && s.xaxis == CURVE_X_PROB,
	    "cells: bce inputs keep the x range within [0, 1]");
	curve_set_free(&s);
	p.xmin = -0.5;
	tap_ok(curve_compute(&p, &s, &e) == -1 && strstr(e.msg, "[0, 1]"),
	    "cells: a bce range below 0 is refused (%s)", e.msg);
	cell_step_free(&st);

	/* a mark far out widens the range */
	cell_step(&cell_cases[0], &st);
	st.in.v[5] = 30;
	curve_params_init(&p, CURVE_CE);
	p.cells = &st.cc;
	if (curve_compute(&p, &s, &e) == -1)
		tap_diag("%s", e.msg);
	tap_ok(s.n > 0 && s.x[0] == -6 && s.x[s.n - 1] > 30 + 0.1 * 36,
	    "cells: z = 30 widens [-6, 6] to [-6, %g]", s.n > 0 ?
	    s.x[s.n - 1] : NAN);
	curve_set_free(&s);

	/* errors: the step's own loss, a cell outside the input */
	st.tg.v[1] = 5;
	tap_ok(curve_compute(&p, &s, &e) == -1 &&
	    strcmp(e.msg, "ce: Target 5 is out of bounds.") == 0,
	    "cells: the step's loss error is the plot's (%s)", e.msg);
	st.tg.v[1] = 2;
	st.cc.cells[0].c = 3;
	tap_ok(curve_compute(&p, &s, &e) == -1 && strstr(e.msg, "outside"),
	    "cells: a cell outside the input is refused (%s)", e.msg);
	st.cc.cells[0].c = 2;
	st.cc.ncells = 0;
	tap_ok(curve_compute(&p, &s, &e) == -1, "cells: no cell refused");
	cell_step_free(&st);

	/* a pitfall that raises (bce-on-logits on logits outside [0, 1]):
	   the correct curves only */
	cell_step(&cell_cases[11], &st);
	st.cc.pitfall = PITFALL_BCE_ON_LOGITS;
	st.o.pos_weight = NULL;
	curve_params_init(&p, CURVE_LOGITS);
	p.cells = &st.cc;
	tap_ok(curve_compute(&p, &s, &e) == 0 && s.ncurves == 4 &&
	    s.nmarks == 2, "cells: a pitfall that raises is left out");
	curve_set_free(&s);
	cell_step_free(&st);
}

/* The lowest value of a pitfall's element or sample loss. */
static double
floor_of(const char *in, const char *tg, const char *w, const char *pw,
    enum pitfall_id pf, const char *cells, const char *opts)
{
	struct cell_case	 k;
	struct cell_step	 st;
	struct err		 e;
	double			 v = -1;

	memset(&k, 0, sizeof k);
	k.name = "floor";
	k.loss = pitfall_loss(pf);
	k.pf = pf;
	k.input = in;
	k.target = tg;
	k.weight = w;
	k.pos_weight = pw;
	k.opts = opts;
	k.cells = cells;
	if (cell_step(&k, &st) == -1)
		return (-1);
	if (curve_cells_floor(&st.cc, &v, &e) == -1) {
		tap_diag("curve_cells_floor: %s", e.msg);
		v = -1;
	}
	cell_step_free(&st);
	return (v);
}

static void
test_cells_floor(void)
{
	struct cell_step	 st;
	struct curve_params	 p;
	struct curve_set	 s = CURVE_SET_INIT;
	struct err		 e;
	double			 v, e1 = exp(1), s40 = 1 / (1 + exp(-40.0));

	/* softmax-then-ce with a one-hot index target: p = e_y at best,
	   CE = log(e + C - 1) - 1 = log(1 + (C-1)/e); torch 1.13:
	   F.cross_entropy(torch.softmax(torch.tensor([[40., 0, 0]]), 1),
	   torch.tensor([0])) = 0.5514447139320511 */
	v = floor_of("2,1,0.1;0.5,2,0.3", "0,2", NULL, NULL,
	    PITFALL_SOFTMAX_THEN_CE, "1,0", NULL);
	tap_ok(tap_close(v, log(1 + 2 / e1), 1e-12) &&
	    fabs(v - 0.551444713932051) < 1e-14,
	    "floor: softmax-then-ce, C = 3: log(1+2/e) = %.15f", v);
	v = floor_of("1,2,3,4", "3", NULL, NULL, PITFALL_SOFTMAX_THEN_CE,
	    "0,0", NULL);
	tap_ok(tap_close(v, log(1 + 3 / e1), 1e-12),
	    "floor: softmax-then-ce, C = 4, 1-D: log(1+3/e) = %.6f", v);
	v = floor_of("2,1,0.1;0.5,2,0.3", "0,2", "1,1,2", NULL,
	    PITFALL_SOFTMAX_THEN_CE, "1,1", NULL);
	tap_ok(tap_close(v, 2 * log(1 + 2 / e1), 1e-12),
	    "floor: a target-class weight of 2 doubles it");
	v = floor_of("2,1,0.1;0.5,2,0.3", "0,-100", NULL, NULL,
	    PITFALL_SOFTMAX_THEN_CE, "1,1", NULL);
	tap_ok(v == 0, "floor: an ignored sample's floor is 0");
	/* probabilities (0.3, 0.3, 0.4): the lowest CE(p, t) over the
	   simplex is inside it, at p = (a, a, 1 - 2a), a = 0.2374; a scan
	   of a in steps of 1e-6 (python) gives 1.0888999753453268 */
	v = floor_of("2,1,0.1;0.5,2,0.3", "0.7,0.2,0.1;0.3,0.3,0.4", NULL,
	    NULL, PITFALL_SOFTMAX_THEN_CE, "1,0", NULL);
	tap_ok(fabs(v - 1.0888999753453268) < 1e-9 &&
	    v < log(exp(1) + 2) - 0.4, "floor: probability target (0.3, 0.3, "
	    "0.4): %.13f, below every vertex", v);
	/* label smoothing on an index target: the vertex stays lowest for
	   eps <= C/(e + C - 1) (0.1: the smoothed vertex value), above it
	   the floor is inside; eps = 0.8: torch gives 1.0847780472653843 at
	   the vertex, a scan (python, step 1e-6) 1.0606018056125328 */
	v = floor_of("2,1,0.1", "0", NULL, NULL, PITFALL_SOFTMAX_THEN_CE,
	    "0,0", "ls=0.1");
	tap_ok(tap_close(v, 0.9 * log(1 + 2 / e1) + 0.1 / 3 *
	    (3 * log(e1 + 2) - 1), 1e-12), "floor: label smoothing 0.1: the "
	    "smoothed vertex (%.6f)", v);
	v = floor_of("2,1,0.1", "0", NULL, NULL, PITFALL_SOFTMAX_THEN_CE,
	    "0,0", "ls=0.8");
	tap_ok(fabs(v - 1.0606018056125328) < 1e-9, "floor: label smoothing "
	    "0.8: inside the simplex (%.13f)", v);

	/* double sigmoid: BCEWithLogits(sigmoid(z), y), z -> +-inf */
	v = floor_of("3,-2,0.5", "1,0,1", NULL, NULL, PITFALL_DOUBLE_SIGMOID,
	    "0,0", NULL);
	tap_ok(tap_close(v, log(1 + exp(-s40)), 1e-12),
	    "floor: double-sigmoid, y = 1: log(1+exp(-sigmoid(40))) = %.6f",
	    v);
	v = floor_of("3,-2,0.5", "1,0,1", NULL, NULL, PITFALL_DOUBLE_SIGMOID,
	    "0,1", NULL);
	tap_ok(tap_close(v, log(1 + exp(1 / (1 + exp(40.0)))), 1e-12),
	    "floor: double-sigmoid, y = 0: log 2 (%.6f)", v);
	v = floor_of("3,-2,0.5", "1,0,1", NULL, "3", PITFALL_DOUBLE_SIGMOID,
	    "0,2", NULL);
	tap_ok(tap_close(v, 3 * log(1 + exp(-s40)), 1e-12),
	    "floor: double-sigmoid with pos_weight 3: 3 log(1+1/e)");
	v = floor_of("3,-2,0.5", "1,0,1", NULL, NULL, PITFALL_NAIVE_FLOAT32,
	    "0,2", NULL);
	tap_ok(isnan(v), "floor: none for naive-float32");

	/* the set's floor is the first cell's; the float32 edge */
	cell_step(&cell_cases[2], &st);
	curve_params_init(&p, CURVE_SOFTMAX_THEN_CE);
	p.cells = &st.cc;
	curve_cells_floor(&st.cc, &v, &e);
	if (curve_compute(&p, &s, &e) == -1)
		tap_diag("%s", e.msg);
	tap_ok(s.n > 0 && s.floor == v && tap_close(v, 2 * log(1 + 2 / e1),
	    1e-12), "floor: the set's floor is the first cell's (sample 1, "
	    "weight 2: %.4f)", v);
	curve_set_free(&s);
	cell_step_free(&st);
	cell_step(&cell_cases[13], &st);
	curve_params_init(&p, CURVE_NAIVE_FLOAT32);
	p.cells = &st.cc;
	if (curve_compute(&p, &s, &e) == -1)
		tap_diag("%s", e.msg);
	tap_ok(fabs(s.edge - 16.63553237915039) < 3e-6,
	    "floor: naive-float32 edge of the cell's curve at %.7f", s.edge);
	curve_set_free(&s);
	cell_step_free(&st);
}

/* Run cmd through the shell; its output into buf.  0 if it exited 0. */
static int
run_shell(const char *cmd, char *buf, size_t len)
{
	FILE	*fp;
	size_t	 n = 0, k;

	if ((fp = popen(cmd, "r")) == NULL)
		return (-1);
	while (n + 1 < len && (k = fread(buf + n, 1, len - 1 - n, fp)) > 0)
		n += k;
	buf[n] = '\0';
	return (pclose(fp) == 0 ? 0 : -1);
}

/*
 * plot_req_args in cell mode: `losslab plot ARGS` (through sh, so the
 * quoting is tested too) draws the text plot plot_dumb() draws for the
 * request itself.
 */
static void
test_cells_args(void)
{
	static const struct {
		int	 ccase;
		enum curve_kind kind;
		const char *lang;
		double	 xmin;
	} rt[] = {
		{ 0, CURVE_CE, "en", NAN },
		{ 2, CURVE_SOFTMAX_THEN_CE, "zh", NAN },
		{ 2, CURVE_CE, "en", NAN },		/* --pitfall given */
		{ 4, CURVE_LABEL_SMOOTHING, "en", NAN },
		{ 5, CURVE_CE, "en", NAN },		/* 1-D */
		{ 7, CURVE_COMPARE, "en", NAN },
		{ 10, CURVE_POS_WEIGHT, "en", NAN },
		{ 12, CURVE_DOUBLE_SIGMOID, "zh", NAN },
		{ 12, CURVE_LOGITS, "en", -3.25 },	/* no pitfall kind */
		{ 14, CURVE_FOCAL, "en", NAN },
		{ 17, CURVE_COMPARE, "en", -1.0 / 3 },
		{ 19, CURVE_BCE, "en", NAN },
	};
	const char		*losslab = getenv("LOSSLAB");
	struct cell_step	 st;
	struct plot_req		 req;
	struct plot_text	 t = PLOT_TEXT_INIT;
	struct err		 e;
	char			 args[4096], cmd[4600], *out, *want;
	size_t			 i, off;
	int			 j, ok;

	plot_req_init(&req, PLOT_COMPARE);
	req.nlosses = 2;
	req.losses[0] = LOSS_KL_DIV;
	req.losses[1] = LOSS_BCE_LOGITS;
	req.nmarks = 1;
	req.marks[0] = 0.5;
	plot_req_args(&req, args, sizeof args);
	tap_ok(strcmp(args, "compare --losses kl-div,bce-logits --mark 0.5") ==
	    0, "args: canonical requests as before (%s)", args);
	/* found by fuzz_plot: a canonical request's title, language and
	   points were left out (the command drew another plot, and the
	   explorer's cache key took it for this one) */
	req.title = "it's mine";
	req.lang = "zh";
	req.points = 50;
	plot_req_args(&req, args, sizeof args);
	tap_ok(strcmp(args, "compare --losses kl-div,bce-logits --mark 0.5 "
	    "--points 50 --lang zh --title 'it'\\''s mine'") == 0,
	    "args: a canonical request's points, language and title (%s)",
	    args);

	cell_step(&cell_cases[1], &st);
	plot_req_init(&req, PLOT_CE_CURVE);
	req.cells = &st.cc;
	st.in.v[0] = 0.1;
	st.in.v[1] = 1.0 / 3;
	plot_req_args(&req, args, sizeof args);
	tap_ok(strcmp(args, "ce-curve --loss ce --input "
	    "'0.1,0.3333333333333333,0.1;0.5,2,0.3;1,1,1' --target 0,2,1 "
	    "--cell 0,0 --cell 1,2 --cell 2,1 --weight 1,2,0.5 "
	    "--ignore-index 1") == 0, "args: cell mode, exact numbers, "
	    "quoted rows (%s)", args);
	cell_step_free(&st);

	if (losslab == NULL || !plot_available()) {
		tap_ok(1, "# SKIP args round trip: no LOSSLAB or gnuplot");
		return;
	}
	if ((out = malloc(1 << 20)) == NULL || (want = malloc(1 << 20)) ==
	    NULL)
		return;
	for (i = 0; i < sizeof rt / sizeof rt[0]; i++) {
		cell_step(&cell_cases[rt[i].ccase], &st);
		plot_req_init(&req, (enum plot_kind)rt[i].kind);
		req.cells = &st.cc;
		req.lang = rt[i].lang;
		req.xmin = rt[i].xmin;
		plot_req_args(&req, args, sizeof args);
		snprintf(cmd, sizeof cmd, "LC_ALL=C.UTF-8 '%s' plot %s "
		    "--size 90x30 2>&1", losslab, args);
		ok = run_shell(cmd, out, 1 << 20) == 0;
		if (plot_dumb(&req, 90, 30, &t, &e) == -1) {
			tap_diag("%s", e.msg);
			ok = 0;
		}
		for (j = 0, off = 0; j < t.nlines && off < (1 << 19); j++)
			off += (size_t)snprintf(want + off, (1 << 20) - off,
			    "%s\n", t.lines[j]);
		want[off] = '\0';
		ok = ok && strcmp(out, want) == 0;
		if (!tap_ok(ok, "args: losslab plot %s draws the request's "
		    "plot", args))
			tap_diag("got:\n%s", out);
		plot_text_free(&t);
		cell_step_free(&st);
	}
	free(out);
	free(want);
}

/* The text plot of a ce step says what every curve is. */
static void
test_cells_dumb(void)
{
	struct cell_step	 st;
	struct plot_req		 req;
	struct plot_text	 t = PLOT_TEXT_INIT;
	struct err		 e;
	const char		*want[] = {
		"CrossEntropyLoss of sample 1 as z[1][2] varies (C = 3)",
		"z[1][2]: class 2’s logit, the target (other values fixed)",
		"ℓ[1], pitfall CE(softmax(z))", "∂L/∂z[1][2] (mean)",
		"floor of ℓ[1] for this target = 0.5514",
		"ℓ[1] = 2.041, pitfall 1.34 at z = 0.3",
	};
	size_t			 i;
	int			 j, found, ok = 1;

	if (!plot_available()) {
		tap_ok(1, "# SKIP cells dumb: gnuplot not installed");
		return;
	}
	cell_step(&cell_cases[0], &st);
	st.cc.pitfall = PITFALL_SOFTMAX_THEN_CE;
	plot_req_init(&req, PLOT_SOFTMAX_THEN_CE);
	req.cells = &st.cc;
	if (plot_dumb(&req, 110, 34, &t, &e) == -1) {
		tap_ok(0, "cells dumb: %s", e.msg);
		cell_step_free(&st);
		return;
	}
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		for (found = 0, j = 0; j < t.nlines; j++)
			if (strstr(t.lines[j], want[i]) != NULL)
				found = 1;
		if (!found) {
			tap_diag("missing: %s", want[i]);
			ok = 0;
		}
	}
	tap_ok(ok, "cells dumb: the title, x label, legends, floor and mark "
	    "say what they are");
	tap_ok(t.ncurves == 5 && t.curves[4].reference &&
	    t.mark_point == 'O' && t.curves[1].gradient,
	    "cells dumb: 4 curves and the floor in the key, the mark 'O'");
	plot_text_free(&t);
	cell_step_free(&st);
}

/*
 * What gnuplot writes is checked before it is kept (plot_check_*): a valid
 * file of each format passes; every proper prefix of a PNG and each of its
 * bytes changed fail; each malformed SVG, PDF, sixel image and text fails
 * with a message that names gnuplot and the fault; text loses its controls.
 */
static const char tiny_png[] =
	"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
	"\x00\x00\x00\x02\x00\x00\x00\x01\x08\x02\x00\x00\x00\x7b\x40\xe8"
	"\xdd\x00\x00\x00\x0d\x49\x44\x41\x54\x78\x9c\x63\xf8\xcf\x00\x04"
	"\xff\x01\x07\x00\x01\xff\xe2\x23\x9e\x59\x00\x00\x00\x00\x49\x45"
	"\x4e\x44\xae\x42\x60\x82";
#define TINY_PNG_LEN	70

static void
test_check_png(void)
{
	char		buf[TINY_PNG_LEN + 8];
	struct err	e;
	size_t		n, bad = 0, worded = 0;

	tap_ok(plot_check_png(tiny_png, TINY_PNG_LEN, &e) == 0,
	    "check png: a 2x1 PNG passes");
	for (n = 0; n < TINY_PNG_LEN; n++) {
		if (plot_check_png(tiny_png, n, &e) == 0)
			bad++;
		else if (strncmp(e.msg, "gnuplot wrote an invalid PNG (", 30)
		    == 0)
			worded++;
	}
	tap_ok(bad == 0 && worded == TINY_PNG_LEN, "check png: each of its "
	    "%d proper prefixes fails, as 'gnuplot wrote an invalid PNG "
	    "(...)' (%zu pass)", TINY_PNG_LEN, bad);
	bad = 0;
	for (n = 0; n < TINY_PNG_LEN; n++) {
		memcpy(buf, tiny_png, TINY_PNG_LEN);
		buf[n] ^= 0x01;
		if (plot_check_png(buf, TINY_PNG_LEN, &e) == 0)
			bad++;
	}
	tap_ok(bad == 0, "check png: each of its bytes changed fails (%zu "
	    "pass)", bad);
	tap_ok(plot_check_png(tiny_png, 8 + 25 + 25, &e) == -1 &&
	    strcmp(e.msg, "gnuplot wrote an invalid PNG (no IEND chunk)") == 0,
	    "check png: cut after IDAT: %s", e.msg);
	tap_ok(plot_check_png(tiny_png, 40, &e) == -1 &&
	    strstr(e.msg, "(truncated after chunk IHDR)") != NULL,
	    "check png: cut inside the IDAT header: %s", e.msg);
	tap_ok(plot_check_png(tiny_png, 50, &e) == -1 &&
	    strstr(e.msg, "(truncated in chunk IDAT)") != NULL,
	    "check png: cut inside IDAT: %s", e.msg);
	memcpy(buf, tiny_png, TINY_PNG_LEN);
	memcpy(buf + TINY_PNG_LEN, "junk", 4);
	tap_ok(plot_check_png(buf, TINY_PNG_LEN + 4, &e) == -1 &&
	    strstr(e.msg, "(data after IEND)") != NULL,
	    "check png: bytes after IEND: %s", e.msg);
	tap_ok(plot_check_png("garbage\n", 8, &e) == -1 &&
	    strstr(e.msg, "(no PNG signature)") != NULL,
	    "check png: garbage: %s", e.msg);
	tap_ok(plot_check_png(tiny_png, 8, &e) == -1,
	    "check png: the signature alone (%s)", e.msg);
	/* the signature, then IEND first */
	memcpy(buf, tiny_png, 8);
	memcpy(buf + 8, tiny_png + TINY_PNG_LEN - 12, 12);
	tap_ok(plot_check_png(buf, 20, &e) == -1 &&
	    strstr(e.msg, "(the first chunk is not IHDR)") != NULL,
	    "check png: no IHDR: %s", e.msg);
}

/* Whether plot_check_svg refuses doc with a message holding want. */
static int
svg_refused(const char *doc, const char *want)
{
	struct err	e;

	if (plot_check_svg(doc, strlen(doc), &e) == 0) {
		tap_diag("accepted: %s", doc);
		return (0);
	}
	if (strncmp(e.msg, "gnuplot wrote an invalid SVG (line ", 35) != 0 ||
	    strstr(e.msg, want) == NULL) {
		tap_diag("%s: %s", doc, e.msg);
		return (0);
	}
	return (1);
}

/* "<svg><g>...</g></svg>", depth elements nested; NULL: no memory. */
static char *
svg_deep(size_t depth)
{
	char	*doc, *p;
	size_t	 i;

	if ((p = doc = malloc(depth * 7 + 16)) == NULL)
		return (NULL);
	p += sprintf(p, "<svg>");
	for (i = 1; i < depth; i++)
		p += sprintf(p, "<g>");
	for (i = 1; i < depth; i++)
		p += sprintf(p, "</g>");
	sprintf(p, "</svg>");
	return (doc);
}

static void
test_check_svg(void)
{
	static const char *const good[] = {
		"<svg/>",
		"<svg></svg>\n",
		"\xef\xbb\xbf<svg />",
		("<?xml version=\"1.0\" encoding=\"utf-8\"  "
		"standalone=\"no\"?>\n"
		"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n"
		" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		"<!-- a comment -->\n<svg \n width=\"960\" height=\"540\"\n"
		" xmlns:xlink=\"http://www.w3.org/1999/xlink\"\n>\n"
		"<title>Gnuplot</title>\n<g id='gnuplot_canvas'>\n"
		"\t<text x = \"1\">a &lt; b &amp;&#945;&#x3b1; &quot;\xe4\xba"
		"\xa4\xe5\x8f\x89\xe7\x86\xb5 '</text>\n"
		"<script type=\"text/ecmascript\"><![CDATA[ if (a < b && c) "
		"{} ]]></script>\n<?gnuplot pi?>\n</g>\n</svg>\n\n"),
		("<!DOCTYPE svg [ <!ENTITY e \"x>\"> <!-- ] > --> ]>"
		"<svg a=\"&e;\"></svg>"),
		"<svg><g/><g></g ></svg><!-- after --><?pi after?>",
	};
	char		*deep;
	struct err	 e;
	size_t		 i, n, bad = 0;
	const char	*doc = good[3];

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!tap_ok(plot_check_svg(good[i], strlen(good[i]), &e) == 0,
		    "check svg: well-formed %zu passes", i))
			tap_diag("%s", e.msg);
	}
	tap_ok(svg_refused("garbage\n", "line 1: text outside the <svg>"),
	    "check svg: garbage");
	tap_ok(svg_refused("", "no <svg> element"), "check svg: empty");
	tap_ok(svg_refused("<?xml version=\"1.0\"?>\n<html></html>",
	    "line 2: the root element is <html>, not <svg>"),
	    "check svg: no svg root");
	tap_ok(svg_refused("<svg><g></svg>", "</svg> closes no open element"),
	    "check svg: unbalanced");
	tap_ok(svg_refused("<svg>\n<g>\n<g></g>", "line 2: <g> is not closed"),
	    "check svg: unclosed");
	tap_ok(svg_refused("<svg></svg></g>", "</g> closes no open element"),
	    "check svg: an end tag after the root");
	tap_ok(svg_refused("<svg></svg><svg></svg>", "a second root element"),
	    "check svg: two roots");
	tap_ok(svg_refused("<svg></svg>x", "text outside the <svg>"),
	    "check svg: text after the root");
	tap_ok(svg_refused("<svg a=1></svg>", "without quotes"),
	    "check svg: an unquoted attribute");
	tap_ok(svg_refused("<svg a></svg>", "without '='"),
	    "check svg: an attribute without a value");
	tap_ok(svg_refused("<svg a=\"x\"b=\"y\"></svg>", "a bad attribute"),
	    "check svg: attributes without a blank between");
	tap_ok(svg_refused("<svg a=\"<\"></svg>", "a '<' in an attribute"),
	    "check svg: '<' in an attribute value");
	tap_ok(svg_refused("<svg a=\"x>", "unterminated attribute"),
	    "check svg: an unterminated attribute value");
	tap_ok(svg_refused("<svg>a & b</svg>", "starts no reference"),
	    "check svg: a bare '&'");
	tap_ok(svg_refused("<svg>&amp</svg>", "without ';'"),
	    "check svg: a reference without ';'");
	tap_ok(svg_refused("<svg>&#xg;</svg>", "bad character reference"),
	    "check svg: a bad character reference");
	tap_ok(svg_refused("<svg><!-- a -- b --></svg>", "a bad comment"),
	    "check svg: '--' inside a comment");
	tap_ok(svg_refused("<svg><!-- open</svg>", "a bad comment"),
	    "check svg: an unterminated comment");
	tap_ok(svg_refused("<![CDATA[x]]><svg/>", "a bad CDATA"),
	    "check svg: CDATA outside the root");
	tap_ok(svg_refused("<svg><![CDATA[x</svg>", "a bad CDATA"),
	    "check svg: an unterminated CDATA section");
	tap_ok(svg_refused("<svg><?pi</svg>", "processing instruction"),
	    "check svg: an unterminated processing instruction");
	tap_ok(svg_refused("<svg/><!DOCTYPE svg>", "misplaced <!DOCTYPE"),
	    "check svg: a DOCTYPE after the root");
	tap_ok(svg_refused("<!DOCTYPE svg \"x>", "unterminated <!DOCTYPE"),
	    "check svg: an unterminated DOCTYPE");
	tap_ok(svg_refused("<svg>< g/></svg>", "starts no element"),
	    "check svg: '< g'");
	tap_ok(svg_refused("<svg><g", "ends inside <g>"),
	    "check svg: cut inside a tag");
	tap_ok(svg_refused("<svg>&nbsp;</svg>", "an undeclared entity &nbsp;"),
	    "check svg: an entity no DOCTYPE declares");
	tap_ok(svg_refused("<svg>&#x4;</svg>", "a bad character reference"),
	    "check svg: a reference to a control character");
	tap_ok(svg_refused("<svg>&#1114112;</svg>", "a bad character "
	    "reference"), "check svg: a reference beyond U+10FFFF");
	tap_ok(svg_refused("<svg>a ]]> b</svg>", "']]>' outside CDATA"),
	    "check svg: ']]>' in text");
	tap_ok(svg_refused("<?xml versin=\"1.0\"?><svg/>", "a bad XML "
	    "declaration"), "check svg: an XML declaration without version");
	tap_ok(svg_refused("<?xml version=\"1.0\" standalone='maybe'?><svg/>",
	    "a bad XML declaration"), "check svg: standalone='maybe'");
	tap_ok(svg_refused(" <?xml version=\"1.0\"?><svg/>", "a bad XML "
	    "declaration"), "check svg: an XML declaration after a blank");
	tap_ok(svg_refused("<svg><?p>q?></svg>", "processing instruction"),
	    "check svg: '<?p>'");
	tap_ok(svg_refused("<svg x=\"1\" y=\"2\" x='3'/>", "attribute x twice "
	    "in <svg>"), "check svg: an attribute twice");
	if ((deep = malloc(300 * 8 + 16)) != NULL) {
		n = (size_t)sprintf(deep, "<svg");
		for (i = 0; i < 257; i++)
			n += (size_t)sprintf(deep + n, " a%zu=''", i);
		sprintf(deep + n, "/>");
		tap_ok(svg_refused(deep, "more than 256 attributes in <svg>"),
		    "check svg: 257 attributes");
		deep[strlen(deep) - 9] = '\0';
		strcat(deep, "/>");
		tap_ok(plot_check_svg(deep, strlen(deep), &e) == 0,
		    "check svg: 256 attributes pass");
		free(deep);
	}
	tap_ok(svg_refused("<svg>\x1b[31m</svg>", "control character 0x1b"),
	    "check svg: an escape");
	tap_ok(svg_refused("<svg>\xc2\x9b</svg>", "not UTF-8 text"),
	    "check svg: a C1 control");
	tap_ok(svg_refused("<svg>\xff</svg>", "not UTF-8 text"),
	    "check svg: a byte that is not UTF-8");
	/* every cut before the root's end tag ends fails */
	n = strstr(doc, "</svg>") - doc + 5;
	for (i = 0; i < n; i++)
		if (plot_check_svg(doc, i, &e) == 0)
			bad++;
	tap_ok(bad == 0, "check svg: each of %zu cuts before '</svg>' ends "
	    "fails (%zu pass)", n, bad);
	/* nesting: 1024 deep is fine, 1025 is not */
	deep = svg_deep(1024);
	tap_ok(deep != NULL && plot_check_svg(deep, strlen(deep), &e) == 0,
	    "check svg: elements nested 1024 deep pass");
	free(deep);
	deep = svg_deep(1025);
	tap_ok(deep != NULL && svg_refused(deep, "nested over 1024 deep"),
	    "check svg: 1025 deep fail");
	free(deep);
	/* many elements: one pass */
	n = 200000;
	if ((deep = malloc(n * 7 + 12)) != NULL) {
		memcpy(deep, "<svg>", 5);
		for (i = 0; i < n; i++)
			memcpy(deep + 5 + 7 * i, "<g></g>", 7);
		memcpy(deep + 5 + 7 * n, "</svg>", 7);
		tap_ok(plot_check_svg(deep, strlen(deep), &e) == 0,
		    "check svg: %zu elements pass", n);
		free(deep);
	}
}

static void
test_check_pdf_sixel(void)
{
	static const char	pdf[] = "%PDF-1.5\n%\xb5\xed\n1 0 obj\n<< >>\n"
				    "endobj\nstartxref\n9\n%%EOF\n";
	struct err		e;

	tap_ok(plot_check_pdf(pdf, sizeof pdf - 1, &e) == 0,
	    "check pdf: header and trailer pass");
	tap_ok(plot_check_pdf(pdf, sizeof pdf - 2, &e) == 0,
	    "check pdf: no line end after %%%%EOF passes");
	tap_ok(plot_check_pdf(pdf, sizeof pdf - 4, &e) == -1 &&
	    strcmp(e.msg, "gnuplot wrote an invalid PDF (no %%EOF trailer)")
	    == 0, "check pdf: cut before the end: %s", e.msg);
	tap_ok(plot_check_pdf(pdf + 1, sizeof pdf - 2, &e) == -1 &&
	    strcmp(e.msg, "gnuplot wrote an invalid PDF (no %PDF- header)")
	    == 0, "check pdf: no header: %s", e.msg);
	tap_ok(plot_check_pdf("garbage\n", 8, &e) == -1,
	    "check pdf: garbage: %s", e.msg);
	tap_ok(plot_check_pdf("%PDF-%%EOF", 10, &e) == 0,
	    "check pdf: header and trailer alone pass");
	tap_ok(plot_check_pdf("%PDF-%EOF", 9, &e) == -1,
	    "check pdf: header and trailer overlapping fail: %s", e.msg);

#define SIX(s)	plot_check_sixel(s, sizeof s - 1, &e)
	tap_ok(SIX("\033Pq\"1;1;2;1\n#0;2;0;0;0#0~~-\n\033\\") == 0,
	    "check sixel: ESC P q ... ESC \\ passes");
	tap_ok(SIX("\033P0;0;8q#1~\033\\\r\n") == 0,
	    "check sixel: with parameters, a line end after it");
	tap_ok(SIX("\033Pq#0~~") == -1 && strstr(e.msg, "no ESC \\ at its "
	    "end"), "check sixel: unterminated: %s", e.msg);
	tap_ok(SIX("\033Pq#0~~\033") == -1 && strstr(e.msg, "no ESC \\"),
	    "check sixel: a lone ESC at the end: %s", e.msg);
	tap_ok(SIX("\033P1p#0~~\033\\") == -1 && strstr(e.msg, "no 'q'"),
	    "check sixel: no q: %s", e.msg);
	tap_ok(SIX("Pq#0~~\033\\") == -1 && strstr(e.msg, "ESC P"),
	    "check sixel: no ESC P: %s", e.msg);
	tap_ok(SIX("\033Pq#0\033]0;title\007~\033\\") == -1,
	    "check sixel: another escape inside: %s", e.msg);
	tap_ok(SIX("\033Pq#0\x9b~\033\\") == -1 && strstr(e.msg,
	    "byte 0x9b"), "check sixel: an 8-bit byte inside: %s", e.msg);
	tap_ok(SIX("\033Pq~\033\\\033[2J") == -1 && strstr(e.msg,
	    "data after"), "check sixel: an escape after it: %s", e.msg);
	tap_ok(SIX("") == -1, "check sixel: empty: %s", e.msg);
#undef SIX
}

/* plot_check_text on s: 0 and the cleaned text in out, or -1. */
static int
text_cleaned(const char *s, char *out, size_t outlen, struct err *e)
{
	size_t	n = strlen(s);

	snprintf(out, outlen, "%s", s);
	if (plot_check_text(out, &n, e) == -1)
		return (-1);
	out[n] = '\0';
	return (0);
}

static void
test_check_text(void)
{
	char		out[256];
	struct err	e;

	tap_ok(text_cleaned("\f  +---+\n  |\xe4\xba\xa4 |\n", out,
	    sizeof out, &e) == 0 && strcmp(out, "  +---+\n  |\xe4\xba\xa4 |\n")
	    == 0, "check text: the leading form feed goes, UTF-8 stays");
	tap_ok(text_cleaned("a\033[31mb\033[0m\tc\rd\x7f\n", out, sizeof out,
	    &e) == 0 && strcmp(out, "a[31mb[0mcd\n") == 0,
	    "check text: escapes, tabs, CR and DEL go ('%s')", out);
	tap_ok(text_cleaned("a\xc2\x9b" "31mb\xc2\x85" "c\xc2\xa0", out,
	    sizeof out, &e) == 0 && strcmp(out, "a31mbc\xc2\xa0") == 0,
	    "check text: C1 controls (CSI, NEL) go, U+00A0 stays");
	tap_ok(text_cleaned("ok\nbad \x9b" "31m\n", out, sizeof out,
	    &e) == -1 &&
	    strcmp(e.msg, "gnuplot wrote text that is not UTF-8 (byte 0x9b "
	    "on line 2)") == 0, "check text: a raw C1 byte: %s", e.msg);
	tap_ok(text_cleaned("\xff", out, sizeof out, &e) == -1,
	    "check text: 0xff: %s", e.msg);
	tap_ok(text_cleaned("\xc0\x80", out, sizeof out, &e) == -1,
	    "check text: an overlong NUL: %s", e.msg);
	tap_ok(text_cleaned("\xed\xa0\x80", out, sizeof out, &e) == -1,
	    "check text: a surrogate: %s", e.msg);
	tap_ok(text_cleaned("ab\xe4\xba", out, sizeof out, &e) == -1,
	    "check text: a character cut at the end: %s", e.msg);
}

/* ------------------------------------------------------- slide options -- */

/* A double-quoted gnuplot string at s read as gnuplot reads it (\" \\
   \ooo, the escapes plot.c writes), into out; the end of it, or NULL. */
static const char *
gp_dq(const char *s, char *out, size_t len)
{
	size_t	n = 0;
	int	v, k;

	if (*s++ != '"')
		return (NULL);
	while (*s != '\0' && *s != '"' && n + 1 < len) {
		if (*s == '\\' && s[1] >= '0' && s[1] <= '7') {
			for (v = 0, k = 1; k <= 3 && s[k] >= '0' && s[k] <= '7';
			    k++)
				v = v * 8 + (s[k] - '0');
			out[n++] = (char)v;
			s += k;
		} else if (*s == '\\' && s[1] != '\0') {
			out[n++] = s[1];
			s += 2;
		} else
			out[n++] = *s++;
	}
	out[n] = '\0';
	return (*s == '"' ? s : NULL);
}

/* The line of script that starts with prefix, or NULL. */
static const char *
script_line(const char *script, const char *prefix)
{
	const char	*p = script;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return (p + strlen(prefix));
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return (NULL);
}

static void
test_options(void)
{
	static const char *legends[] = { "top-left", "top-right",
	    "bottom-left", "bottom-right", "below", "off" };
	static const char *titles[] = {
		"Loss $x$ \"quoted\" <b> & 100% it's",
		"'; system('touch /tmp/x'); print '",
		"`touch /tmp/x` @x $(x) !x \\n \\\\ \\\"",
		"''' '' '",
		"中文标题 «»",
	};
	static const enum loss_id fd_losses[][4] = {
		{ LOSS_BCE, LOSS_BCE_LOGITS, LOSS_FOCAL, LOSS_SOFT_MARGIN },
		{ LOSS_CE, LOSS_NLL, LOSS_KL_DIV, LOSS_MULTILABEL_SOFT_MARGIN },
	};
	struct plot_req		 r;
	struct curve_params	 p;
	struct curve_set	 s = CURVE_SET_INIT;
	struct err		 e;
	enum plot_legend	 l;
	enum plot_theme		 t;
	const char		*q, *end;
	char			*script, got[512], want[512];
	double			 h, fd, worst;
	size_t			 i, k, n;
	int			 g, ok, j, rows;

	for (i = 0; i < sizeof legends / sizeof legends[0]; i++)
		tap_ok(plot_legend_parse(legends[i], &l) == 0,
		    "--legend %s parses", legends[i]);
	tap_ok(plot_legend_parse("middle", &l) == -1 &&
	    plot_legend_parse("", &l) == -1, "--legend: unknown places refused");
	tap_ok(plot_theme_parse("light", &t) == 0 && t == PLOT_THEME_LIGHT &&
	    plot_theme_parse("dark", &t) == 0 && t == PLOT_THEME_DARK &&
	    plot_theme_parse("projector", &t) == 0 &&
	    t == PLOT_THEME_PROJECTOR && plot_theme_parse("neon", &t) == -1,
	    "--theme: light, dark, projector; neon refused");
	tap_ok(plot_font_ok("Sans") == 0 && plot_font_ok("DejaVu Serif") == 0 &&
	    plot_font_ok("Noto Sans CJK SC:lang=zh-cn") == 0,
	    "--font: family names accepted");
	tap_ok(plot_font_ok("") == -1 && plot_font_ok("Sans,20") == -1 &&
	    plot_font_ok("Sans'") == -1 && plot_font_ok("a\"b") == -1 &&
	    plot_font_ok(" Sans") == -1 && plot_font_ok("S\nans") == -1,
	    "--font: empty, commas, quotes, a leading blank, newlines refused");

	/* the title and the labels: what gnuplot reads back is the text;
	   no backquote, @, $ or ! on the raw line */
	for (i = 0; i < sizeof titles / sizeof titles[0]; i++) {
		plot_req_init(&r, PLOT_FOCAL);
		r.title = titles[i];
		r.xlabel = titles[i];
		r.ylabel = titles[i];
		ok = plot_script_text(&r, PLOT_FORMAT_SVG, 960, 540, &script,
		    &e) == 0;
		for (j = 0; ok && j < 3; j++) {
			/* the line with the text, not "set title font" */
			q = script_line(script, j == 0 ? "set title \"" :
			    j == 1 ? "set xlabel \"" : "set ylabel \"");
			if (q != NULL)
				q--;
			end = q == NULL ? NULL : gp_dq(q, got, sizeof got);
			ok = end != NULL && end[1] == '\n' &&
			    strcmp(got, titles[i]) == 0 &&
			    strcspn(q, "`@$!\n") >= (size_t)(end - q + 1);
		}
		tap_ok(ok, "title %zu: verbatim through gnuplot's string, nothing "
		    "for its command line", i + 1);
		free(script);
	}
	plot_req_init(&r, PLOT_FOCAL);
	r.title = "a\tb\nc\x01" "d\xff";
	ok = plot_script_text(&r, PLOT_FORMAT_SVG, 960, 540, &script, &e) == 0 &&
	    (q = script_line(script, "set title \"")) != NULL &&
	    gp_dq(q - 1, got, sizeof got) != NULL;
	snprintf(want, sizeof want, "a b c d\xef\xbf\xbd");
	tap_ok(ok && strcmp(got, want) == 0,
	    "title: controls become blanks, a bad byte U+FFFD (%s)", got);
	free(script);

	/* --ymin/--ymax, several marks */
	plot_req_init(&r, PLOT_FOCAL);
	r.ymin = 0.5;
	r.nmarks = 3;
	r.marks[0] = -1;
	r.marks[1] = 0;
	r.marks[2] = 2;
	ok = plot_script_text(&r, PLOT_FORMAT_SVG, 960, 540, &script, &e) == 0;
	tap_ok(ok && strstr(script, "\nset yrange [0.5:*]\n") != NULL,
	    "--ymin 0.5 alone: set yrange [0.5:*]");
	rows = 0;
	if (ok && (q = strstr(script, "$m << EOD\n")) != NULL)
		for (q = strchr(q, '\n') + 1; strncmp(q, "EOD", 3) != 0;
		    q = strchr(q, '\n') + 1)
			rows++;
	tap_ok(rows == 12, "three marks on focal's four curves: 12 points "
	    "(%d)", rows);
	tap_ok(ok && strstr(script, "'z = -1, 0, 2'") != NULL,
	    "the marks named in the key");
	free(script);
	r.marks[0] = 5;
	r.nmarks = PLOT_MAX_MARKS + 1;
	tap_ok(plot_script_text(&r, PLOT_FORMAT_SVG, 960, 540, &script,
	    &e) == -1, "more than %d marks refused: %s", PLOT_MAX_MARKS, e.msg);
	plot_req_init(&r, PLOT_FOCAL);
	r.ymin = 2;
	r.ymax = 1;
	tap_ok(plot_script_text(&r, PLOT_FORMAT_SVG, 960, 540, &script,
	    &e) == -1, "ymin above ymax refused: %s", e.msg);
	plot_req_init(&r, PLOT_FOCAL);
	r.grad = 1;
	tap_ok(plot_script_text(&r, PLOT_FORMAT_SVG, 960, 540, &script,
	    &e) == -1, "gradients on request: compare only: %s", e.msg);
	plot_req_init(&r, PLOT_CE_CURVE);
	r.prob_axis = 1;
	tap_ok(plot_script_text(&r, PLOT_FORMAT_SVG, 960, 540, &script,
	    &e) == -1, "the probability axis refused on ce-curve: %s", e.msg);

	/* compare's gradients: the derivative of its own loss curves (a
	   central difference of the core's values, h = 1e-4) */
	for (g = 0; g < 2; g++) {
		curve_params_init(&p, CURVE_COMPARE);
		p.grad = 1;
		p.nlosses = 4;
		p.points = 81;
		for (j = 0; j < 4; j++)
			p.losses[j] = fd_losses[g][j];
		ok = curve_compute(&p, &s, &e) == 0 && s.ncurves == 8;
		worst = 0;
		for (j = 0; ok && j < 4; j++) {
			tap_ok(s.c[j + 4].gradient && s.c[j + 4].loss ==
			    s.c[j].loss, "compare --grad: curve %d is the "
			    "gradient of %s", j + 4, loss_name(s.c[j].loss));
			for (k = 1; k + 1 < s.n; k++) {
				struct curve_set	 a = CURVE_SET_INIT;
				struct curve_set	 b = CURVE_SET_INIT;

				h = 1e-4;
				if (curve_compute_at(&p, s.x[k] + h, &a,
				    &e) == -1 || curve_compute_at(&p,
				    s.x[k] - h, &b, &e) == -1) {
					ok = 0;
					break;
				}
				fd = (a.c[j].v[0] - b.c[j].v[0]) / (2 * h);
				if (fabs(fd - s.c[j + 4].v[k]) > worst)
					worst = fabs(fd - s.c[j + 4].v[k]);
				curve_set_free(&a);
				curve_set_free(&b);
			}
		}
		tap_ok(ok && worst < 1e-6, "compare --grad (%s...): within "
		    "%.2g of the loss curves' slope", loss_name(
		    fd_losses[g][0]), worst);
		curve_set_free(&s);
	}
	curve_params_init(&p, CURVE_COMPARE);
	p.grad = 1;
	p.nlosses = 5;
	for (j = 0; j < 5; j++)
		p.losses[j] = LOSS_BCE;
	tap_ok(curve_compute(&p, &s, &e) == -1, "compare --grad with five "
	    "losses refused: %s", e.msg);

	/* curves that coincide */
	for (g = 0; g < 2; g++) {
		curve_params_init(&p, CURVE_COMPARE);
		p.target = g;
		ok = curve_compute(&p, &s, &e) == 0 && s.ncurves == 3;
		tap_ok(ok && curve_same_as(&s, 2) == 0 &&
		    curve_same_as(&s, 1) == -1 && curve_same_as(&s, 0) == -1,
		    "y=%d: soft-margin is bce-logits, focal is neither", g);
		curve_set_free(&s);
	}
	curve_params_init(&p, CURVE_COMPARE);
	p.nlosses = 2;
	p.losses[0] = LOSS_BCE;
	p.losses[1] = LOSS_CE;
	ok = curve_compute(&p, &s, &e) == 0;
	tap_ok(ok && curve_same_as(&s, 1) == -1, "bce and ce (C=3) differ");
	curve_set_free(&s);

	/* the probability axis */
	tap_ok(curve_logit(0.5) == 0 && fabs(curve_logit(1 / (1 + exp(-2.0))) -
	    2) < 1e-12 && isnan(curve_logit(0)) && isnan(curve_logit(1)) &&
	    isnan(curve_logit(-0.1)), "curve_logit: the inverse of sigmoid on "
	    "(0, 1), NaN outside");
	curve_params_init(&p, CURVE_LOGITS);
	ok = curve_compute(&p, &s, &e) == 0 && curve_to_prob(&s, &e) == 0 &&
	    s.xaxis == CURVE_X_PROB;
	for (n = 1; ok && n < s.n; n++)
		ok = s.x[n] > s.x[n - 1] && s.x[n] > 0 && s.x[n] < 1;
	tap_ok(ok && fabs(s.x[s.n / 2] - 0.5) < 1e-12, "curve_to_prob: the grid "
	    "in (0, 1), ascending, z = 0 at p = 0.5");
	curve_set_free(&s);
	curve_params_init(&p, CURVE_CE);
	ok = curve_compute(&p, &s, &e) == 0;
	tap_ok(ok && curve_to_prob(&s, &e) == -1, "curve_to_prob refused on a "
	    "margin axis: %s", e.msg);
	curve_set_free(&s);
}

int
main(void)
{
	test_sanitize();
	test_paths();
	test_kinds();
	test_curves();
	test_dumb();
	test_hang();
	test_ce_margin();
	test_cells();
	test_cells_floor();
	test_cells_args();
	test_cells_dumb();
	test_check_png();
	test_check_svg();
	test_check_pdf_sixel();
	test_check_text();
	test_options();
	return (tap_done());
}
