/*
 * test_train.c -- the training lab: the generator, the data sets, the CSV
 * reader, the model's gradient, the stopping rules, and the trajectories
 * against golden ones computed by torch.optim.SGD.
 *
 * Golden data: $top_srcdir/tests/train_golden.txt, written by
 * tests/gen_train.py with torch 1.13 (float64).  Each record holds the
 * arguments of `losslab train`; they go through cmd_train_setup() (the
 * command line's own parser and data loader) and the run through
 * train_init()/train_run(), and every history entry and final parameter is
 * compared with torch's:
 *   - loss and correct_loss: relative 1e-7 (the bound; the largest
 *     deviation measured is printed as a diagnostic), 1e-5 for the float32
 *     pipeline of naive-float32 (about 80 float32 ulps: torch's vectorised
 *     expf and libm's differ in the last bit);
 *   - accuracy: exactly;
 *   - parameters: 1e-7 relative to the largest magnitude of their tensor;
 *   - the length of the history and how and when a run stopped: exactly.
 *
 * The gradient check compares one full-batch update (lr 1, so the step is
 * the gradient) with central differences of the pipeline's loss, computed
 * from train_predict() and the loss core, for every loss, both models and
 * activations and the differentiable pitfalls.
 *
 * Needs no torch; reads no environment but top_srcdir.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_train.h"
#include "core/data.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "core/train.h"
#include "tap.h"

#define RTOL		1e-7
#define RTOL_F32	1e-5
#define MAX_ARGS	64

static double max_dev64, max_dev32;
static char max_case64[128], max_case32[128];

/* --- helpers ---------------------------------------------------------------- */

/* Split a copy of s at blanks into argv (argv[0] = "train"); the words
   point into buf. */
static int
split_args(const char *s, char *buf, size_t len, char **argv)
{
	char	*p, *w;
	int	 argc = 0;

	snprintf(buf, len, "%s", s);
	argv[argc++] = "train";
	for (p = buf; (w = strtok(p, " \t\n")) != NULL; p = NULL)
		if (argc < MAX_ARGS - 1)
			argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* Set up a run from a command line; 0 on success. */
static int
run_from_args(const char *args, struct cmd_train_req *q, struct train *t,
    struct train *p, int *have_p)
{
	char		 buf[2048], *argv[MAX_ARGS];
	struct train_spec ps;
	struct err	 e;
	int		 argc = split_args(args, buf, sizeof buf, argv);

	*have_p = 0;
	memset(t, 0, sizeof *t);
	memset(p, 0, sizeof *p);
	if (cmd_train_setup(argc, argv, q) != 0)
		return -1;
	if (train_init(t, &q->data, &q->spec, &e) != 0) {
		tap_diag("train_init: %s", e.msg);
		return -1;
	}
	if (q->pitfall != PITFALL_NONE) {
		ps = q->spec;
		ps.pitfall = q->pitfall;
		if (train_init(p, &q->data, &ps, &e) != 0) {
			tap_diag("train_init (pitfall): %s", e.msg);
			return -1;
		}
		*have_p = 1;
	}
	if (train_run(t, &e) != 0 || (*have_p && train_run(p, &e) != 0)) {
		tap_diag("train_run: %s", e.msg);
		return -1;
	}
	return 0;
}

static void
free_run(struct cmd_train_req *q, struct train *t, struct train *p)
{
	train_free(t);
	train_free(p);
	cmd_train_req_free(q);
}

/* --- the generator ------------------------------------------------------------ */

static void
test_rng(void)
{
	/* SplitMix64's published sequence for seed 1234567 (stream 0 leaves
	   the seed as it is). */
	static const uint64_t	 sm[4] = {
		6457827717110365317ULL, 3203168211198807973ULL,
		9817491932198370423ULL, 4593380528125082431ULL
	};
	/* xoshiro256** on seed 1, stream 1, and the derived draws on seed 42,
	   stream 3, as tests/gen_train.py's independent Python version of
	   data.h computes them. */
	static const uint64_t	 x1[3] = {
		13448397344418310453ULL, 1849911844536617060ULL,
		9146903992328663146ULL
	};
	static const size_t	 perm10[10] = { 1, 9, 3, 5, 6, 4, 2, 7, 0, 8 };
	struct rng		 r, r2;
	size_t			 p[10], i, hist[5] = { 0 }, seen;
	double			 u, sum = 0, sum2 = 0, lo = 1, hi = 0, z;
	int			 ok;

	rng_seed(&r, 1234567, 0);
	tap_ok(memcmp(r.s, sm, sizeof sm) == 0,
	    "rng: the stream's state is SplitMix64's published sequence");
	rng_seed(&r, 1, 1);
	ok = 1;
	for (i = 0; i < 3; i++)
		ok &= rng_next(&r) == x1[i];
	tap_ok(ok, "rng: xoshiro256** outputs of seed 1, stream 1");
	rng_seed(&r, 42, 3);
	tap_ok(rng_uniform(&r) == 0.2381649426125022 &&
	    rng_normal(&r) == 0.41746928758348795 && rng_below(&r, 7) == 2,
	    "rng: uniform, normal and below as documented");
	rng_permutation(&r, p, 10);
	tap_ok(memcmp(p, perm10, sizeof p) == 0,
	    "rng: a permutation is Fisher-Yates from the top");
	rng_seed(&r, 42, 1);
	rng_seed(&r2, 42, 2);
	tap_ok(rng_next(&r) != rng_next(&r2),
	    "rng: streams of one seed differ");
	rng_seed(&r, 7, 1);
	for (i = 0; i < 100000; i++) {
		u = rng_uniform(&r);
		lo = fmin(lo, u);
		hi = fmax(hi, u);
		hist[rng_below(&r, 5)]++;
	}
	tap_ok(lo >= 0 && hi < 1 && lo < 1e-3 && hi > 1 - 1e-3,
	    "rng: uniform in [0, 1)");
	ok = 1;
	for (i = 0; i < 5; i++)
		ok &= hist[i] > 19000 && hist[i] < 21000;
	tap_ok(ok, "rng: below(5) is uniform (%zu %zu %zu %zu %zu)", hist[0],
	    hist[1], hist[2], hist[3], hist[4]);
	for (i = 0; i < 100000; i++) {
		z = rng_normal(&r);
		sum += z;
		sum2 += z * z;
	}
	tap_ok(fabs(sum / 1e5) < 0.02 && fabs(sum2 / 1e5 - 1) < 0.02,
	    "rng: normal has mean 0 and variance 1 (%.4f, %.4f)", sum / 1e5,
	    sum2 / 1e5);
	tap_ok(rng_below(&r, 0) == 0 && rng_below(&r, 1) == 0,
	    "rng: below(0) and below(1) are 0");
	rng_permutation(&r, p, 10);
	seen = 0;
	for (i = 0; i < 10; i++)
		seen |= (size_t)1 << p[i];
	tap_ok(seen == 0x3ff, "rng: a permutation holds every index once");
}

/* --- data sets ------------------------------------------------------------------ */

static void
test_data(void)
{
	struct data	 d = DATA_INIT, d2 = DATA_INIT;
	struct err	 e;
	size_t		 i, count[4] = { 0 }, pos[3] = { 0 };
	double		 r2;
	int		 k, ok, rc;

	for (k = 0; k < DATA_CSV; k++) {
		rc = data_generate(&d, k, 120, data_default_classes(k),
		    data_default_noise(k), 5, &e);
		tap_ok(rc == 0 && d.n == 120 && d.d == 2 && d.x.rows == 120 &&
		    d.x.cols == 2 && d.classes == data_default_classes(k) &&
		    d.multilabel == (k == DATA_MULTILABEL),
		    "data: %s has 120 points of 2 features", data_kind_name(k));
		rc = data_generate(&d2, k, 120, data_default_classes(k),
		    data_default_noise(k), 5, &e);
		tap_ok(rc == 0 && memcmp(d.x.v, d2.x.v, 240 * sizeof(double))
		    == 0 && memcmp(d.y.v, d2.y.v, mat_numel(&d.y) *
		    sizeof(double)) == 0, "data: %s is the same from the same "
		    "seed", data_kind_name(k));
		data_free(&d2);
		rc = data_generate(&d2, k, 120, data_default_classes(k),
		    data_default_noise(k), 6, &e);
		tap_ok(rc == 0 && memcmp(d.x.v, d2.x.v, 240 *
		    sizeof(double)) != 0, "data: %s differs with the seed",
		    data_kind_name(k));
		data_free(&d2);
		if (k != DATA_MULTILABEL) {
			ok = 1;
			for (i = 0; i < d.n; i++)
				ok &= d.y.v[i] == (double)(i % (size_t)(k ==
				    DATA_XOR ? 4 : d.classes) % (size_t)
				    d.classes);
			tap_ok(ok, "data: %s labels are i mod K",
			    data_kind_name(k));
		}
		data_free(&d);
	}
	/* blobs without noise sit on their centres */
	data_generate(&d, DATA_BLOBS, 8, 4, 0.0, 1, &e);
	tap_ok(fabs(MAT_AT(&d.x, 1, 0)) < 1e-15 &&
	    MAT_AT(&d.x, 1, 1) == 3.0 && MAT_AT(&d.x, 2, 0) == -3.0,
	    "data: blobs' centres are 3 (cos 2 pi k/K, sin 2 pi k/K)");
	data_free(&d);
	/* circles: radii 1 and 0.5 without noise */
	data_generate(&d, DATA_CIRCLES, 40, 2, 0.0, 1, &e);
	ok = 1;
	for (i = 0; i < 40; i++) {
		r2 = MAT_AT(&d.x, i, 0) * MAT_AT(&d.x, i, 0) +
		    MAT_AT(&d.x, i, 1) * MAT_AT(&d.x, i, 1);
		ok &= fabs(r2 - (i % 2 ? 0.25 : 1.0)) < 1e-12;
	}
	tap_ok(ok, "data: circles of radius 1 and 0.5");
	data_free(&d);
	/* xor: class 1 where x1 x2 < 0 (no noise) */
	data_generate(&d, DATA_XOR, 40, 2, 0.0, 1, &e);
	ok = 1;
	for (i = 0; i < 40; i++) {
		ok &= (MAT_AT(&d.x, i, 0) * MAT_AT(&d.x, i, 1) < 0) ==
		    (d.y.v[i] == 1);
		count[(size_t)d.y.v[i]]++;
	}
	tap_ok(ok && count[0] == 20, "data: xor's class 1 is x1 x2 < 0");
	data_free(&d);
	/* multilabel, no noise: the labels are the half-planes of data.h */
	data_generate(&d, DATA_MULTILABEL, 300, 3, 0.0, 2, &e);
	ok = d.y.ndim == 2 && d.y.rows == 300 && d.y.cols == 3;
	for (i = 0; ok && i < 300; i++) {
		for (k = 0; k < 3; k++) {
			double x1 = MAT_AT(&d.x, i, 0), x2 = MAT_AT(&d.x, i, 1);
			double phi = M_PI * k / 3;

			ok &= MAT_AT(&d.y, i, k) == (cos(phi) * x1 +
			    sin(phi) * x2 > (double)k / 3);
			pos[k] += MAT_AT(&d.y, i, k) == 1;
		}
	}
	tap_ok(ok && pos[0] > 100 && pos[2] < pos[0],
	    "data: multilabel labels are independent half-planes (%zu %zu "
	    "%zu positive)", pos[0], pos[1], pos[2]);
	data_free(&d);

	tap_ok(data_generate(&d, DATA_BLOBS, 0, 2, 1, 1, &e) == -1 &&
	    strstr(e.msg, "points") != NULL, "data: 0 points refused (%s)",
	    e.msg);
	tap_ok(data_generate(&d, DATA_SPIRAL, 10, 1, 1, 1, &e) == -1 &&
	    strstr(e.msg, "classes") != NULL, "data: K = 1 refused (%s)",
	    e.msg);
	tap_ok(data_generate(&d, DATA_XOR, 10, 3, 1, 1, &e) == -1 &&
	    strstr(e.msg, "2 classes") != NULL, "data: xor of 3 classes "
	    "refused (%s)", e.msg);
	tap_ok(data_generate(&d, DATA_BLOBS, 10, 2, -1, 1, &e) == -1 &&
	    data_generate(&d, DATA_BLOBS, 10, 2, NAN, 1, &e) == -1,
	    "data: negative or nan noise refused (%s)", e.msg);
	tap_ok(data_generate(&d, DATA_BLOBS, DATA_MAX_ROWS + 1, 2, 1, 1,
	    &e) == -1, "data: more than %d points refused", DATA_MAX_ROWS);
	data_free(&d);
	data_free(&d);
	tap_ok(d.x.v == NULL && d.n == 0, "data: data_free twice is safe");
}

/* --- the CSV reader --------------------------------------------------------------- */

/* Feed lines (separated by '\n' in text); 0, or the failing line number. */
static size_t
csv_feed(struct data_csv *c, const char *text, struct err *e)
{
	static char	 line[16384];
	const char	*p = text, *q;
	size_t		 n;

	while (*p != '\0') {
		q = strchr(p, '\n');
		n = q != NULL ? (size_t)(q - p + 1) : strlen(p);
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		if (data_csv_line(c, line, e) != 0)
			return c->line;
		p += n;
	}
	return 0;
}

/* A CSV text that must fail at line `at` with a message containing frag. */
static void
csv_bad(const char *name, const char *text, int classes, size_t at,
    const char *frag)
{
	struct data_csv	 c;
	struct data	 d = DATA_INIT;
	struct err	 e;
	size_t		 line;
	int		 ok;

	data_csv_init(&c, classes);
	e.msg[0] = '\0';
	line = csv_feed(&c, text, &e);
	if (line == 0 && at == 0)
		ok = data_csv_finish(&c, &d, &e) == -1;
	else
		ok = line == at;
	ok = ok && strstr(e.msg, frag) != NULL;
	tap_ok(ok, "csv: %s (line %zu: %s)", name, line, e.msg);
	data_csv_free(&c);
	data_free(&d);
}

static void
test_csv(void)
{
	struct data_csv	 c;
	struct data	 d = DATA_INIT;
	struct err	 e;
	size_t		 i, line;
	char		 row[64];
	int		 rc;

	data_csv_init(&c, 0);
	line = csv_feed(&c, "x1, x2 ,label\r\n0.5,1,0\n\n  -1e-3 ,2,2\r\n"
	    "3,4,1", &e);
	rc = data_csv_finish(&c, &d, &e);
	tap_ok(line == 0 && rc == 0 && d.n == 3 && d.d == 2 &&
	    d.classes == 3 && d.kind == DATA_CSV && !d.multilabel &&
	    MAT_AT(&d.x, 1, 0) == -1e-3 && d.y.v[1] == 2 && d.y.v[2] == 1,
	    "csv: a header, blank lines, CRLF and blanks around fields");
	data_free(&d);
	data_csv_free(&c);

	data_csv_init(&c, 4);
	line = csv_feed(&c, "1,0\n2,1.0\n", &e);
	rc = data_csv_finish(&c, &d, &e);
	tap_ok(line == 0 && rc == 0 && d.n == 2 && d.d == 1 &&
	    d.classes == 4 && d.y.v[1] == 1, "csv: no header, one feature, "
	    "K from the caller, a label written 1.0");
	data_free(&d);
	data_csv_free(&c);

	csv_bad("ragged rows", "a,b,label\n1,2,0\n1,2,3,1\n", 0, 3,
	    "4 fields, expected 3 as on line 1");
	csv_bad("a row too short", "1,2,0\n1,0\n", 0, 2,
	    "2 fields, expected 3 as on line 1");
	csv_bad("a non-numeric feature", "1,2,0\n1,abc,1\n", 0, 2,
	    "'abc' is not a number (column 2)");
	csv_bad("an empty field", "1,2,0\n1,,1\n", 0, 2,
	    "'' is not a number (column 2)");
	csv_bad("a feature that is not finite", "1,2,0\ninf,2,1\n", 0, 2,
	    "not finite");
	csv_bad("a non-numeric label", "1,2,0\n1,2,cat\n", 0, 2,
	    "label 'cat' is not a class index");
	csv_bad("a fractional label", "1,2,0\n1,2,1.5\n", 0, 2,
	    "label '1.5' is not a class index");
	csv_bad("a negative label", "1,2,0\n1,2,-1\n", 0, 2,
	    "label -1 is out of range (0 to 999)");
	csv_bad("a label beyond --classes", "1,2,0\n1,2,3\n", 3, 2,
	    "label 3 is out of range (0 to 2)");
	csv_bad("a label beyond the largest K", "1,2,1000\n", 0, 1,
	    "out of range");
	csv_bad("hexadecimal is not a number", "1,2,0\n0x10,2,0\n", 0, 2,
	    "'0x10' is not a number");
	csv_bad("a first line with a word is a header", "x,2,0\n", 0, 0,
	    "no data rows after the header");
	csv_bad("one field", "3\n", 0, 1, "at least one feature");
	csv_bad("no rows", "x,y,label\n\n", 0, 0, "no data rows");
	csv_bad("every label 0", "1,2,0\n3,4,0\n", 0, 0, "at least 2 classes");

	{
		static char	 wide[8 * (DATA_MAX_FEATURES + 2)];
		char		*w = wide;

		/* 1000 features and the label: fine; one more: refused */
		for (i = 0; i < DATA_MAX_FEATURES; i++)
			w += sprintf(w, "%zu,", i % 10);
		sprintf(w, "1\n");
		data_csv_init(&c, 0);
		rc = data_csv_line(&c, wide, &e) == 0 &&
		    data_csv_line(&c, wide, &e) == 0 &&
		    data_csv_finish(&c, &d, &e) == 0;
		tap_ok(rc && d.d == DATA_MAX_FEATURES && d.n == 2,
		    "csv: %d features are the most", DATA_MAX_FEATURES);
		data_free(&d);
		data_csv_free(&c);
		sprintf(w, "1,1\n");
		csv_bad("one feature too many", wide, 0, 1,
		    "more than 1000 features");
	}

	data_csv_init(&c, 0);
	rc = 0;
	for (i = 0; i < DATA_MAX_ROWS && rc == 0; i++) {
		if (i < 10) {
			snprintf(row, sizeof row, "%zu,%zu\n", i % 7, i % 2);
			rc = data_csv_line(&c, row, &e);
		} else
			rc = data_csv_line(&c, "1,0\n", &e);
	}
	rc = rc == 0 ? data_csv_line(&c, "1,1\n", &e) : 0;
	tap_ok(rc == -1 && c.line == DATA_MAX_ROWS + 1 &&
	    strstr(e.msg, "more than 1000000 rows") != NULL,
	    "csv: row %zu is one too many (%s)", c.line, e.msg);
	data_csv_free(&c);
}

/* --- specs and stopping ------------------------------------------------------------- */

/* train_init must refuse spec s on d with a message containing frag. */
static void
spec_bad(const char *name, const struct data *d, const struct train_spec *s,
    const char *frag)
{
	struct train	 t;
	struct err	 e;
	int		 rc;

	e.msg[0] = '\0';
	rc = train_init(&t, d, s, &e);
	tap_ok(rc == -1 && strstr(e.msg, frag) != NULL, "spec: %s (%s)", name,
	    e.msg);
	if (rc == 0)
		train_free(&t);
}

static void
test_spec(void)
{
	struct data		 d3 = DATA_INIT, d2 = DATA_INIT, ml = DATA_INIT;
	struct train_spec	 s, b;
	struct train		 t, t2;
	struct err		 e;
	struct mat		 w = MAT_INIT;
	size_t			 i, j;
	double			 bound;
	int			 ok, l;

	data_generate(&d3, DATA_BLOBS, 60, 3, 1, 1, &e);
	data_generate(&d2, DATA_BLOBS, 60, 2, 1, 1, &e);
	data_generate(&ml, DATA_MULTILABEL, 60, 3, 0.2, 1, &e);
	train_spec_init(&s);
	s.epochs = 3;

	b = s;
	b.lr = 0;
	spec_bad("lr 0", &d3, &b, "Invalid learning rate: 0");
	b.lr = INFINITY;
	spec_bad("lr inf", &d3, &b, "Invalid learning rate");
	b = s;
	b.momentum = -0.5;
	spec_bad("negative momentum", &d3, &b, "Invalid momentum value: -0.5");
	b = s;
	b.weight_decay = NAN;
	spec_bad("nan weight decay", &d3, &b, "Invalid weight_decay value");
	b = s;
	b.epochs = TRAIN_MAX_EPOCHS + 1;
	spec_bad("epochs above 10^6", &d3, &b, "epochs (from 0 to 1000000)");
	b = s;
	b.loss = LOSS_BCE;
	spec_bad("a loss not trained", &d3, &b, "not a loss to train on");
	b = s;
	b.loss = LOSS_BCE_LOGITS;
	spec_bad("bce-logits on 3 classes", &d3, &b, "needs two classes");
	b = s;
	spec_bad("ce on multilabel data", &ml, &b, "needs one class per point");
	b = s;
	b.pitfall = PITFALL_DOUBLE_SIGMOID;
	spec_bad("a pitfall of another loss", &d3, &b,
	    "double-sigmoid imitates bce-logits, not ce");
	b = s;
	b.opts.reduction = LOSS_REDUCTION_NONE;
	spec_bad("reduction none", &d3, &b, "only for scalar outputs");
	b = s;
	b.model = TRAIN_MLP;
	b.hidden = 0;
	spec_bad("no hidden units", &d3, &b, "hidden units");
	b = s;
	mat_alloc(&w, 1, 1, 2, &e);
	b.opts.weight = &w;
	spec_bad("a weight of the wrong length (the core's message)", &d3, &b,
	    "ce: weight tensor should be defined either for all 3 classes");
	b = s;
	b.loss = LOSS_BCE_LOGITS;
	b.pitfall = PITFALL_NAIVE_FLOAT32;
	b.opts.pos_weight = &w;
	spec_bad("naive-float32 with pos_weight", &d2, &b,
	    "which has no pos_weight");
	mat_free(&w);

	/* 0 epochs: done at once, one entry */
	b = s;
	b.epochs = 0;
	ok = train_init(&t, &d3, &b, &e) == 0;
	tap_ok(ok && t.state == TRAIN_DONE && t.nhist == 1 &&
	    t.hist[0].epoch == 0 && train_step(&t, &e) == 0 && t.nhist == 1,
	    "run: 0 epochs is entry 0 only, and a step does nothing");
	if (ok)
		train_free(&t);

	/* initial parameters within nn.Linear's bounds, and per seed */
	b = s;
	b.model = TRAIN_MLP;
	b.hidden = 5;
	ok = train_init(&t, &d3, &b, &e) == 0;
	for (l = 0; ok && l < 2; l++) {
		bound = 1.0 / sqrt((double)t.params0.W[l].cols);
		for (i = 0; i < mat_numel(&t.params0.W[l]); i++)
			ok &= fabs(t.params0.W[l].v[i]) <= bound;
		for (i = 0; i < mat_numel(&t.params0.b[l]); i++)
			ok &= fabs(t.params0.b[l].v[i]) <= bound;
	}
	tap_ok(ok && t.params0.W[0].rows == 5 && t.params0.W[0].cols == 2 &&
	    t.params0.W[1].rows == 3 && t.params0.W[1].cols == 5 &&
	    t.params0.b[1].cols == 3, "init: (out, in) shapes within "
	    "U(-1/sqrt(fan_in), 1/sqrt(fan_in))");
	b.seed = 2;
	ok = ok && train_init(&t2, &d3, &b, &e) == 0;
	tap_ok(ok && memcmp(t.params0.W[0].v, t2.params0.W[0].v,
	    10 * sizeof(double)) != 0, "init: another seed, other parameters");
	if (ok) {
		train_free(&t);
		train_free(&t2);
	}

	/* momentum's first update is plain SGD's (buf = g) */
	b = s;
	b.epochs = 1;
	ok = train_init(&t, &d3, &b, &e) == 0 && train_run(&t, &e) == 0;
	b.momentum = 0.9;
	ok = ok && train_init(&t2, &d3, &b, &e) == 0 &&
	    train_run(&t2, &e) == 0;
	for (j = 0; ok && j < 6; j++)
		ok &= t.params.W[0].v[j] == t2.params.W[0].v[j];
	tap_ok(ok, "sgd: the first momentum step is buf = g");
	if (ok) {
		train_free(&t);
		train_free(&t2);
	}

	/* divergence: huge steps overflow; the run says so and stops */
	b = s;
	b.lr = 1e308;
	b.weight_decay = 1e308;
	b.epochs = 50;
	ok = train_init(&t, &d3, &b, &e) == 0 && train_run(&t, &e) == 0;
	tap_ok(ok && t.state == TRAIN_DIVERGED && t.stop_epoch >= 1 &&
	    t.stop_epoch <= 3 && strstr(t.message, "inf or nan") != NULL &&
	    train_step(&t, &e) == 0, "run: a parameter overflow stops the run "
	    "(epoch %ld: %s)", t.stop_epoch, t.message);
	if (ok)
		train_free(&t);

	/* bce-on-logits: refused as torch refuses it, epoch 0 */
	b = s;
	b.loss = LOSS_BCE_LOGITS;
	b.pitfall = PITFALL_BCE_ON_LOGITS;
	ok = train_init(&t, &d2, &b, &e) == 0;
	tap_ok(ok && t.state == TRAIN_REFUSED && t.stop_epoch == 0 &&
	    t.nhist == 0 && strcmp(t.message, "all elements of input should "
	    "be between 0 and 1") == 0, "run: bce-on-logits is refused with "
	    "torch's message");
	if (ok)
		train_free(&t);

	/* train_predict is the history's model */
	b = s;
	b.model = TRAIN_MLP;
	b.hidden = 4;
	b.activation = TRAIN_RELU;
	ok = train_init(&t, &d3, &b, &e) == 0 && train_run(&t, &e) == 0;
	if (ok) {
		struct mat z = MAT_INIT;

		ok = train_predict(&t, &d3.x, &z, &e) == 0 &&
		    memcmp(z.v, t.z.v, mat_numel(&z) * sizeof(double)) == 0;
		mat_free(&z);
		tap_ok(ok, "predict: the logits of the current parameters");
		train_free(&t);
	} else
		tap_ok(0, "predict: the logits of the current parameters");

	data_free(&d3);
	data_free(&d2);
	data_free(&ml);
}

/* --- the gradient ------------------------------------------------------------- */

/* The pipeline's loss of run t at its current parameters (train_predict +
   the loss core). */
static double
loss_at(const struct train *t)
{
	struct mat		 z = MAT_INIT;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct err		 e;
	double			 v = NAN;

	if (train_predict(t, &t->data->x, &z, &e) != 0)
		return NAN;
	if ((t->spec.pitfall != PITFALL_NONE ?
	    pitfall_eval(t->spec.pitfall, &z, &t->target, &t->spec.opts, &r,
	    &e) : loss_eval(t->spec.loss, &z, &t->target, &t->spec.opts, &r,
	    &e)) == 0)
		v = r.value;
	loss_result_free(&r);
	mat_free(&z);
	return v;
}

/* The value of parameter tensor (l, k: 0 W, 1 b) of p. */
static struct mat *
tensor(struct train_params *p, int l, int k)
{
	return k ? &p->b[l] : &p->W[l];
}

/* One full-batch step at lr 1 is the gradient (p0 - p1); compare it with
   central differences of the pipeline's loss around params0. */
static void
grad_check(const char *name, const char *args)
{
	struct cmd_train_req	 q;
	struct train		 t, p, *r;
	struct mat		*m, *m0;
	double			 h = 1e-6, worst = 0, scale = 0, fd, lp, lm;
	double			 saved, g[4][4096];
	size_t			 i;
	int			 have_p, l, k, ok;
	char			 full[512];

	snprintf(full, sizeof full, "%s --lr 1 --epochs 1", args);
	ok = run_from_args(full, &q, &t, &p, &have_p) == 0;
	r = have_p ? &p : &t;
	ok = ok && r->nhist == 2;
	/* the step, then every tensor back to params0 */
	for (l = 0; ok && l < r->params.nlayers; l++) {
		for (k = 0; k < 2; k++) {
			m = tensor(&r->params, l, k);
			m0 = tensor(&r->params0, l, k);
			ok &= mat_numel(m) <= 4096;
			for (i = 0; ok && i < mat_numel(m); i++) {
				g[2 * l + k][i] = m0->v[i] - m->v[i];
				scale = fmax(scale, fabs(g[2 * l + k][i]));
				m->v[i] = m0->v[i];
			}
		}
	}
	for (l = 0; ok && l < r->params.nlayers; l++) {
		for (k = 0; k < 2; k++) {
			m = tensor(&r->params, l, k);
			for (i = 0; i < mat_numel(m); i++) {
				saved = m->v[i];
				m->v[i] = saved + h;
				lp = loss_at(r);
				m->v[i] = saved - h;
				lm = loss_at(r);
				m->v[i] = saved;
				fd = (lp - lm) / (2 * h);
				worst = fmax(worst, fabs(fd - g[2 * l + k][i]));
			}
		}
	}
	tap_ok(ok && isfinite(worst) && worst <= 1e-7 + 1e-5 * scale,
	    "grad: %s: backprop equals central differences (worst %.3g, "
	    "scale %.3g)", name, worst, scale);
	free_run(&q, &t, &p);
}

static void
test_grad(void)
{
	static const struct {
		const char	*name, *args;
	} cases[] = {
		{ "ce linear", "--data blobs --classes 3 --n 30 --model linear "
		  "--loss ce" },
		{ "ce mlp tanh, weight and smoothing", "--data spiral --n 30 "
		  "--model mlp --hidden 5 --loss ce --weight 1,2,0.5 "
		  "--label-smoothing 0.2" },
		{ "ce mlp relu, ignore_index, sum", "--data spiral --n 30 "
		  "--model mlp --hidden 6 --activation relu --loss ce "
		  "--ignore-index 2 --reduction sum" },
		{ "multi-margin p=2", "--data blobs --classes 3 --n 30 "
		  "--noise 3 --model mlp --hidden 4 --loss multi-margin --p 2 "
		  "--margin 2" },
		{ "bce-logits pos_weight", "--data circles --n 30 --model mlp "
		  "--hidden 5 --loss bce-logits --pos-weight 2.5 --weight 0.5" },
		{ "bce-logits multilabel", "--data multilabel --n 30 --model mlp "
		  "--hidden 3 --loss bce-logits --weight 1,2,3" },
		{ "focal", "--data xor --n 30 --model mlp --hidden 4 --loss "
		  "focal --alpha 0.3 --gamma 2" },
		{ "multilabel-soft-margin", "--data multilabel --classes 4 "
		  "--n 30 --model linear --loss multilabel-soft-margin" },
		{ "softmax-then-ce", "--data spiral --n 30 --model mlp --hidden "
		  "4 --loss ce --pitfall softmax-then-ce" },
		{ "double-sigmoid", "--data blobs --n 30 --model mlp --hidden 4 "
		  "--loss bce-logits --pitfall double-sigmoid" },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		grad_check(cases[i].name, cases[i].args);
}

/* --- golden trajectories ----------------------------------------------------- */

struct gentry {
	long	 epoch;
	double	 loss, correct, acc;
};

struct gparam {
	char	 name[8];
	size_t	 n;
	double	*v;
};

/* One run of a golden record. */
struct grun {
	struct gentry	*h;
	size_t		 nh, caph;
	struct gparam	 p[4];
	int		 np;
	char		 stopped[16];	/* "" when done */
	long		 stop_epoch;
};

struct gcase {
	char		 name[128];
	char		 args[1024];
	struct grun	 run[2];	/* correct, pitfall */
};

static void
grun_free(struct grun *g)
{
	int	i;

	free(g->h);
	for (i = 0; i < g->np; i++)
		free(g->p[i].v);
	memset(g, 0, sizeof *g);
}

static double
gnum(const char *s, char **end)
{
	while (*s == ' ')
		s++;
	if (strncmp(s, "nan", 3) == 0) {
		*end = (char *)s + 3;
		return NAN;
	}
	if (strncmp(s, "inf", 3) == 0) {
		*end = (char *)s + 3;
		return INFINITY;
	}
	if (strncmp(s, "-inf", 4) == 0) {
		*end = (char *)s + 4;
		return -INFINITY;
	}
	return strtod(s, end);
}

/* Parse one item line into c; 0, or -1 if malformed. */
static int
gline(struct gcase *c, const char *line)
{
	struct grun	*g;
	struct gparam	*gp;
	struct gentry	*nh;
	const char	*s = line;
	char		*end, name[8];
	size_t		 r, cols;
	int		 w = 0;

	if (strncmp(s, "args ", 5) == 0) {
		snprintf(c->args, sizeof c->args, "%s", s + 5);
		c->args[strcspn(c->args, "\n")] = '\0';
		return 0;
	}
	if (strncmp(s, "ph ", 3) == 0 || strncmp(s, "pparam ", 7) == 0 ||
	    strncmp(s, "pstopped ", 9) == 0) {
		w = 1;
		s++;
	}
	g = &c->run[w];
	if (strncmp(s, "h ", 2) == 0) {
		if (g->nh == g->caph) {
			g->caph = g->caph ? 2 * g->caph : 256;
			if ((nh = realloc(g->h, g->caph * sizeof *nh)) == NULL)
				return -1;
			g->h = nh;
		}
		g->h[g->nh].epoch = strtol(s + 2, &end, 10);
		g->h[g->nh].loss = gnum(end, &end);
		g->h[g->nh].correct = gnum(end, &end);
		g->h[g->nh].acc = gnum(end, &end);
		g->nh++;
		return 0;
	}
	if (strncmp(s, "stopped ", 8) == 0) {
		if (sscanf(s + 8, "%15s %ld", g->stopped, &g->stop_epoch) != 2)
			return -1;
		return 0;
	}
	if (strncmp(s, "param ", 6) == 0 && g->np < 4) {
		gp = &g->p[g->np];
		if (sscanf(s + 6, "%7s", name) != 1)
			return -1;
		snprintf(gp->name, sizeof gp->name, "%s", name);
		s = strchr(s + 6, ' ');
		if (s == NULL)
			return -1;
		r = strtoul(s + 1, &end, 10);
		cols = 1;
		if (*end == 'x')
			cols = strtoul(end + 1, &end, 10);
		if (*end != ':')
			return -1;
		gp->n = r * cols;
		if ((gp->v = calloc(gp->n ? gp->n : 1, sizeof *gp->v)) == NULL)
			return -1;
		for (r = 0; r < gp->n; r++)
			gp->v[r] = gnum(end + 1, &end);
		g->np++;
		return 0;
	}
	return -1;
}

/* Whether the float32 pipeline's tolerance applies to run w of c. */
static int
is_f32(const struct gcase *c, int w)
{
	return w == 1 && strstr(c->args, "naive-float32") != NULL;
}

/* Compare run got with golden g; diagnostics for the first differences. */
static int
compare_run(const struct gcase *c, int w, const struct train *got,
    const struct grun *g)
{
	const struct train_params	*pp = &got->params;
	const struct mat		*m;
	double				 rtol = is_f32(c, w) ? RTOL_F32 : RTOL;
	double				 dev, big, *mdev;
	size_t				 i, j;
	int				 ok = 1, k, shown = 0;
	const char			*stopped = "";
	char				*mcase;

	mdev = is_f32(c, w) ? &max_dev32 : &max_dev64;
	mcase = is_f32(c, w) ? max_case32 : max_case64;
	if (got->state == TRAIN_DIVERGED || got->state == TRAIN_REFUSED)
		stopped = train_state_name(got->state);
	if (strcmp(stopped, g->stopped) != 0 || (*stopped != '\0' &&
	    got->stop_epoch != g->stop_epoch)) {
		tap_diag("%s: stopped '%s' in %ld, torch '%s' in %ld",
		    w ? "pitfall" : "run", stopped, got->stop_epoch, g->stopped,
		    g->stop_epoch);
		ok = 0;
	}
	if (got->nhist != g->nh) {
		tap_diag("%s: %zu entries, torch %zu", w ? "pitfall" : "run",
		    got->nhist, g->nh);
		ok = 0;
	}
	for (i = 0; i < got->nhist && i < g->nh; i++) {
		const struct train_entry	*en = &got->hist[i];
		const struct gentry		*ge = &g->h[i];

		for (k = 0; k < 2; k++) {
			double a = k ? en->correct_loss : en->loss;
			double b = k ? ge->correct : ge->loss;

			if (isfinite(a) && isfinite(b) && a != b) {
				dev = fabs(a - b) / fmax(fabs(b), 1e-300);
				if (dev > *mdev) {
					*mdev = dev;
					snprintf(mcase, 128, "%s", c->name);
				}
			}
			if (!tap_close(a, b, rtol) && shown++ < 3) {
				tap_diag("epoch %ld %s: %.17g, torch %.17g",
				    ge->epoch, k ? "correct_loss" : "loss", a,
				    b);
				ok = 0;
			}
		}
		if (en->epoch != ge->epoch || en->accuracy != ge->acc) {
			if (shown++ < 3)
				tap_diag("epoch %ld: accuracy %.17g, torch "
				    "%.17g", ge->epoch, en->accuracy, ge->acc);
			ok = 0;
		}
	}
	if (g->np != 2 * pp->nlayers) {
		tap_diag("%d parameter tensors, torch %d", 2 * pp->nlayers,
		    g->np);
		return 0;
	}
	for (k = 0; k < g->np; k++) {
		m = k % 2 ? &pp->b[k / 2] : &pp->W[k / 2];
		if (mat_numel(m) != g->p[k].n) {
			tap_diag("%s: %zu values, torch %zu", g->p[k].name,
			    mat_numel(m), g->p[k].n);
			ok = 0;
			continue;
		}
		big = 0;
		for (j = 0; j < g->p[k].n; j++)
			big = fmax(big, fabs(g->p[k].v[j]));
		for (j = 0; j < g->p[k].n; j++) {
			double a = m->v[j], b = g->p[k].v[j];

			if (isfinite(b) ? !(fabs(a - b) <= rtol * big) :
			    !tap_close(a, b, 0)) {
				if (shown++ < 3)
					tap_diag("%s[%zu]: %.17g, torch %.17g",
					    g->p[k].name, j, a, b);
				ok = 0;
			}
		}
	}
	return ok;
}

static void
golden_case(struct gcase *c, const char *srcdir)
{
	struct cmd_train_req	 q;
	struct train		 t, p;
	char			 args[2048], *a;
	const char		*s;
	int			 have_p, ok;

	/* @tests/ is relative to the source tree */
	args[0] = '\0';
	for (s = c->args, a = args; *s != '\0' && a < args + sizeof args - 256;) {
		if (strncmp(s, "@tests/", 7) == 0) {
			a += snprintf(a, 256, "@%s/tests/", srcdir);
			s += 7;
		} else
			*a++ = *s++;
	}
	*a = '\0';
	ok = run_from_args(args, &q, &t, &p, &have_p) == 0;
	ok = ok && compare_run(c, 0, &t, &c->run[0]);
	ok = ok && have_p == (c->run[1].nh > 0 || c->run[1].stopped[0] !=
	    '\0');
	if (ok && have_p)
		ok = compare_run(c, 1, &p, &c->run[1]);
	tap_ok(ok, "golden: %s equals torch (%zu epochs%s)", c->name,
	    c->run[0].nh, have_p ? ", and the pitfall's" : "");
	free_run(&q, &t, &p);
}

static void
test_golden(const char *srcdir)
{
	char		 path[4096], *line = NULL;
	size_t		 cap = 0;
	ssize_t		 len;
	struct gcase	*c = NULL;
	FILE		*fp;
	int		 ncases = 0, header = -1, bad = 0;

	snprintf(path, sizeof path, "%s/tests/train_golden.txt", srcdir);
	if ((fp = fopen(path, "r")) == NULL) {
		tap_ok(0, "golden: cannot read %s", path);
		return;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		if (line[0] == '#') {
			if (header < 0)
				sscanf(line, "# %d cases", &header);
			continue;
		}
		if (strncmp(line, "case ", 5) == 0) {
			if ((c = calloc(1, sizeof *c)) == NULL)
				break;
			snprintf(c->name, sizeof c->name, "%s", line + 5);
			c->name[strcspn(c->name, "\n")] = '\0';
			continue;
		}
		if (c == NULL)
			continue;
		if (strncmp(line, "end", 3) == 0) {
			golden_case(c, srcdir);
			grun_free(&c->run[0]);
			grun_free(&c->run[1]);
			free(c);
			c = NULL;
			ncases++;
			continue;
		}
		if (gline(c, line) != 0 && bad++ == 0)
			tap_diag("golden: malformed line: %s", line);
	}
	free(line);
	fclose(fp);
	if (c != NULL) {
		grun_free(&c->run[0]);
		grun_free(&c->run[1]);
		free(c);
	}
	tap_ok(ncases > 0 && ncases == header && bad == 0,
	    "golden: %d cases read, as the header says (%d)", ncases, header);
	tap_diag("largest relative deviation from torch: %.3g float64 (%s), "
	    "%.3g float32 (%s)", max_dev64, max_case64, max_dev32, max_case32);
}

int
main(void)
{
	const char	*srcdir = getenv("top_srcdir");

	if (srcdir == NULL || *srcdir == '\0')
		srcdir = ".";
	test_rng();
	test_data();
	test_csv();
	test_spec();
	test_grad();
	test_golden(srcdir);
	return tap_done();
}
