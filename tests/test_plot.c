/*
 * test_plot.c -- the plot module's unit tests: the text sanitiser (every
 * dangerous byte, malformed UTF-8, truncation, and a fuzz of random bytes),
 * output-path checks, the kind table, and the curve numbers against values
 * from the reference document (shared/reference/pytorch-losses.md) and
 * closed forms written out here, independently of the core.
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
	r.has_mark = 1;
	r.mark = 1;
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
				x = (struct mat){ 1, 1, C, in };
				tv = y;
				t = (struct mat){ 1, 1, 1, &tv };
				double z[4] = { m, 0, 0, 0 };
				xm = (struct mat){ 1, 1, C, z };
				tm = 0;
				struct mat t0 = { 1, 1, 1, &tm };
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
	return (tap_done());
}
