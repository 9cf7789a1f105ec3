/*
 * test_trainstep.c -- a lesson step that trains live (`train:`, issue 14
 * part 5), without a terminal:
 *
 *   - every golden trajectory of tests/train_golden.txt (torch's) whose
 *     options a lesson can give is opened as a training step and advanced
 *     through the session as the explorer does (small slices, both runs):
 *     its history is exactly that of core/train.c's run of the same spec,
 *     and equals torch's within the tolerance of tests/test_train.c;
 *   - the session's controls: paused until the question is answered,
 *     Space, one epoch while paused, + and - on the 1-2-5 ladder (the
 *     change applies from the next epoch, as setting torch's param_group
 *     lr does), restart from the same initial parameters, R;
 *   - {train.*} placeholders and a predict-first question judged from the
 *     runs;
 *   - lesson_write's round trip of `train:` (with the learner's lr and
 *     momentum), and bad `train:` values with their file:line messages.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/train.h"
#include "lesson.h"
#include "session.h"
#include "tap.h"
#include "template.h"

static struct lesson *
parse(const char *src, struct err *err)
{
	return lesson_parse("t.lesson", src, strlen(src), err);
}

/* A one-step lesson whose step trains `train`, with an optional question. */
static struct lesson *
train_lesson(const char *train, const char *question)
{
	struct err	 err;
	char		 src[4096];
	struct lesson	*l;

	snprintf(src, sizeof src,
	    "id: t\ntitle: T\nloss: bce-logits\n"
	    "step: trains\ninput: 0.5\ntarget: 1\ntext: x\ncode: y\n"
	    "train: %s\n%s", train, question != NULL ? question : "");
	if ((l = parse(src, &err)) == NULL)
		tap_diag("parse: %s", err.msg);
	return l;
}

/* The runs of the step's spec as core/train.c trains them alone. */
static int
direct(const struct lesson_train *lt, enum pitfall_id pf, struct data *d,
    struct train *t)
{
	struct train_spec	s = lt->spec;
	struct err		e;

	s.pitfall = pf;
	if (train_init(t, d, &s, &e) != 0 || train_run(t, &e) != 0) {
		tap_diag("direct: %s", e.msg);
		return -1;
	}
	return 0;
}

static int
same_hist(const struct train *a, const struct train *b)
{
	size_t	i;

	if (a->nhist != b->nhist || a->state != b->state)
		return 0;
	for (i = 0; i < a->nhist; i++)
		if (memcmp(&a->hist[i], &b->hist[i], sizeof a->hist[i]) != 0)
			return 0;
	return 1;
}

/* --- the golden trajectories --------------------------------------------- */

struct gold {
	char	 name[128];
	char	 train[1024];	/* the args as a train: value, "" if none */
	double	*h[2];		/* loss, correct, accuracy per entry */
	size_t	 nh[2], cap[2];
};

/* "--data xor --hidden 8" -> "data=xor hidden=8"; 0, or -1 when a lesson
   cannot say it (a CSV file, a weight). */
static int
to_train(const char *args, char *out, size_t len)
{
	char	buf[1024], *tok, *save = NULL, *val;
	size_t	n = 0;

	if (strlen(args) >= sizeof buf)
		return -1;
	memcpy(buf, args, strlen(args) + 1);
	out[0] = '\0';
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "--", 2) != 0)
			return -1;
		if ((val = strtok_r(NULL, " ", &save)) == NULL || *val == '@' ||
		    strcmp(tok, "--weight") == 0 ||
		    strcmp(tok, "--pos-weight") == 0)
			return -1;
		n += (size_t)snprintf(out + n, len - n, "%s%s=%s",
		    n > 0 ? " " : "", tok + 2, val);
		if (n >= len)
			return -1;
	}
	return 0;
}

static int
gold_entry(struct gold *g, int w, const char *s)
{
	char	*end;
	double	*nh;
	int	 k;

	if (g->nh[w] == g->cap[w]) {
		g->cap[w] = g->cap[w] ? 2 * g->cap[w] : 256;
		if ((nh = realloc(g->h[w], 3 * g->cap[w] * sizeof *nh)) == NULL)
			return -1;
		g->h[w] = nh;
	}
	strtol(s, &end, 10);
	for (k = 0; k < 3; k++) {
		while (*end == ' ')
			end++;
		if (strncmp(end, "nan", 3) == 0) {
			g->h[w][3 * g->nh[w] + k] = NAN;
			end += 3;
		} else if (strncmp(end, "inf", 3) == 0) {
			g->h[w][3 * g->nh[w] + k] = INFINITY;
			end += 3;
		} else
			g->h[w][3 * g->nh[w] + k] = strtod(end, &end);
	}
	g->nh[w]++;
	return 0;
}

static int
close_to(double a, double b, double tol)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	if (isinf(a) || isinf(b))
		return a == b;
	return fabs(a - b) <= tol * fmax(1.0, fabs(b));
}

/* One golden case through a lesson's training step. */
static void
gold_case(const struct gold *g)
{
	struct lesson		*l;
	struct session		 ss;
	const struct session_train *tr;
	struct train		 t[2];
	struct err		 e;
	struct data		 d = DATA_INIT;
	size_t			 i;
	long			 n;
	int			 w, ok, same = 1, torch = 1, slices = 0;
	double			 tol;

	if ((l = train_lesson(g->train, NULL)) == NULL) {
		tap_ok(0, "golden %s: the lesson parses", g->name);
		return;
	}
	if (session_init(&ss, l, &e) != 0) {
		tap_ok(0, "golden %s: session: %s", g->name, e.msg);
		lesson_free(l);
		return;
	}
	/* as the explorer's idle hook does: a few epochs at a time */
	while ((n = session_train_advance(&ss, 7, 0, &e)) > 0)
		slices++;
	tr = session_train(&ss);
	ok = n == 0 && tr != NULL;
	if (ok && lesson_train_data(&l->steps[0].train, &d, &e) == 0) {
		memset(t, 0, sizeof t);
		for (w = 0; w < 1 + tr->has_pitfall; w++) {
			if (direct(&l->steps[0].train, w ? l->steps[0].train.
			    spec.pitfall : PITFALL_NONE, &d, &t[w]) != 0) {
				same = 0;
				continue;
			}
			same = same && same_hist(w ? &tr->prun : &tr->run,
			    &t[w]);
			train_free(&t[w]);
		}
		data_free(&d);
	} else
		same = 0;
	for (w = 0; ok && w < 1 + tr->has_pitfall; w++) {
		const struct train *r = w ? &tr->prun : &tr->run;

		/* as tests/test_train.c: float32 pipelines to 1e-5 */
		tol = w == 1 && strstr(g->train, "naive-float32") ? 1e-5 :
		    1e-7;
		if (r->nhist != g->nh[w]) {
			torch = 0;
			tap_diag("%s run %d: %zu entries, torch %zu", g->name,
			    w, r->nhist, g->nh[w]);
			continue;
		}
		for (i = 0; i < r->nhist; i++)
			if (!close_to(r->hist[i].loss, g->h[w][3 * i], tol) ||
			    !close_to(r->hist[i].correct_loss,
			    g->h[w][3 * i + 1], tol) ||
			    !close_to(r->hist[i].accuracy, g->h[w][3 * i + 2],
			    1e-12)) {
				tap_diag("%s run %d epoch %zu: %.17g, torch "
				    "%.17g", g->name, w, i, r->hist[i].loss,
				    g->h[w][3 * i]);
				torch = 0;
				break;
			}
	}
	tap_ok(ok && same && slices > 0, "golden %s: the session's history is "
	    "core/train.c's run", g->name);
	tap_ok(ok && torch, "golden %s: and torch's (%zu + %zu entries)",
	    g->name, g->nh[0], g->nh[1]);
	session_free(&ss);
	lesson_free(l);
}

static void
test_golden(const char *srcdir)
{
	char		 path[1024], line[65536];
	struct gold	 g;
	FILE		*fp;
	int		 have = 0, ncases = 0;

	snprintf(path, sizeof path, "%s/tests/train_golden.txt", srcdir);
	if ((fp = fopen(path, "r")) == NULL) {
		tap_ok(0, "golden: cannot read %s", path);
		return;
	}
	memset(&g, 0, sizeof g);
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "case ", 5) == 0) {
			memset(&g, 0, sizeof g);
			snprintf(g.name, sizeof g.name, "%.100s", line + 5);
			have = 1;
		} else if (have && strncmp(line, "args ", 5) == 0) {
			if (to_train(line + 5, g.train, sizeof g.train) != 0)
				g.train[0] = '\0';
		} else if (have && strncmp(line, "h ", 2) == 0)
			gold_entry(&g, 0, line + 2);
		else if (have && strncmp(line, "ph ", 3) == 0)
			gold_entry(&g, 1, line + 3);
		else if (have && strcmp(line, "end") == 0) {
			if (g.train[0] != '\0') {
				gold_case(&g);
				ncases++;
			}
			free(g.h[0]);
			free(g.h[1]);
			have = 0;
		}
	}
	fclose(fp);
	tap_ok(ncases >= 15, "golden: %d torch cases (those without a CSV file or a weight) trained as lesson steps",
	    ncases);
}

/* --- the controls ---------------------------------------------------------- */

#define XOR_TRAIN "data=xor model=mlp hidden=8 pitfall=double-sigmoid " \
	"lr=0.5 momentum=0.9 epochs=300 goal=0.3"

static void
test_controls(void)
{
	struct lesson		*l;
	struct session		 ss;
	const struct session_train *tr;
	struct session_quiz	 q;
	struct train		 t;
	struct data		 d = DATA_INIT;
	struct err		 e;
	char			*r;
	long			 n;
	int			 want;

	l = train_lesson(XOR_TRAIN,
	    "predict: Which run gets its correct loss below the goal first?\n"
	    "choices: <<<\n"
	    "the correct one {when train.reach >= 0 and (train.pitfall.reach "
	    "< 0 or train.reach < train.pitfall.reach)}\n"
	    "the double sigmoid {when train.pitfall.reach >= 0 and "
	    "(train.reach < 0 or train.pitfall.reach < train.reach)}\n"
	    "both at once {when train.reach == train.pitfall.reach}\n"
	    ">>>\nanswer: 1\n");
	if (!tap_ok(l != NULL && session_init(&ss, l, &e) == 0,
	    "controls: the lesson opens")) {
		lesson_free(l);
		return;
	}
	tr = session_train(&ss);
	tap_ok(tr != NULL && tr->paused && !session_train_running(&ss) &&
	    session_train_advance(&ss, 10, 1, &e) == 0 && tr->run.epoch == 0,
	    "controls: paused, and not even s trains before the answer");
	session_quiz(&ss, &q);
	/* the right choice comes from the forecast runs */
	want = tr->reach >= 0 && (tr->preach < 0 || tr->reach < tr->preach) ?
	    0 : tr->preach >= 0 && (tr->reach < 0 || tr->preach < tr->reach) ?
	    1 : 2;
	tap_ok(q.live && q.correct == want, "controls: the question's answer "
	    "is the runs' (correct reaches 0.3 at %ld, pitfall at %ld: "
	    "choice %d)", tr->reach, tr->preach, want + 1);
	session_answer(&ss, 0, &e);
	tap_ok(!tr->paused && session_train_running(&ss),
	    "controls: answering starts it");
	n = session_train_advance(&ss, 5, 0, &e);
	tap_ok(n == 5 && tr->run.epoch == 5 && tr->prun.epoch == 5 &&
	    tr->run.nhist == 6 && tr->prun.nhist == 6,
	    "controls: both runs advance together");
	tap_ok(session_train_pause(&ss) == 1 &&
	    session_train_advance(&ss, 5, 0, &e) == 0 &&
	    session_train_advance(&ss, 1, 1, &e) == 1 && tr->run.epoch == 6,
	    "controls: Space pauses; s trains one epoch");
	r = template_render(&session_cur(&ss)->st, "{train.epoch} "
	    "{train.loss:17} {train.pitfall.loss:17} {train.lr}", NULL);
	{
		char want_s[256];

		snprintf(want_s, sizeof want_s, "6 %.17g %.17g 0.5",
		    tr->run.hist[6].loss, tr->prun.hist[6].loss);
		tap_ok(r != NULL && strcmp(r, want_s) == 0, "controls: "
		    "{train.*} show the runs: '%s'", r ? r : "(null)");
	}
	free(r);
	tap_ok(session_train_nudge_lr(&ss, 1, &e) == 0 && tr->lr == 1 &&
	    tr->run.spec.lr == 1 && tr->prun.spec.lr == 1 &&
	    session_train_nudge_lr(&ss, 1, &e) == 0 && tr->lr == 2 &&
	    session_train_nudge_lr(&ss, -1, &e) == 0 &&
	    session_train_nudge_lr(&ss, -1, &e) == 0 &&
	    session_train_nudge_lr(&ss, -1, &e) == 0 && tr->lr == 0.2,
	    "controls: + and - walk 0.5 1 2 1 0.5 0.2");
	tap_ok(session_train_set(&ss, 0.2, 1.0, &e) != 0 &&
	    tr->momentum == 0.9, "controls: momentum 1 refused (%s)", e.msg);
	tap_ok(session_train_restart(&ss, &e) == 0 && tr->run.epoch == 0 &&
	    tr->run.nhist == 1, "controls: R restarts at epoch 0");
	tap_ok(session_train_pause(&ss) == 0, "controls: Space resumes");
	while (session_train_advance(&ss, 50, 0, &e) > 0)
		;
	/* a restart with lr 0.2 is the run of lr 0.2 from the start */
	if (lesson_train_data(&l->steps[0].train, &d, &e) == 0) {
		struct lesson_train lt = l->steps[0].train;

		lt.spec.lr = 0.2;
		tap_ok(direct(&lt, PITFALL_NONE, &d, &t) == 0 &&
		    same_hist(&tr->run, &t) && t.nhist == 301, "controls: "
		    "after R, the history is the run of lr 0.2 from the "
		    "same start");
		train_free(&t);
		data_free(&d);
	}
	session_reset(&ss);
	tap_ok(tr == session_train(&ss) && tr->lr == 0.5 && tr->paused &&
	    tr->run.epoch == 0, "controls: reset gives the lesson's lr, "
	    "paused until answered again");
	session_free(&ss);
	lesson_free(l);
}

/* --- lesson_write ---------------------------------------------------------- */

static void
test_write(void)
{
	char		 dir[] = "/tmp/losslab-trainstep-XXXXXX", path[1024];
	struct err	 err;
	char		 fmt[1024];
	struct lesson	*l, *w = NULL;
	struct session	 ss;
	struct err	 e;

	l = train_lesson("data=spiral classes=3 n=150 seed=7 noise=0.1 "
	    "model=mlp hidden=12 activation=relu loss=ce "
	    "pitfall=softmax-then-ce label-smoothing=0.1 lr=0.3 "
	    "weight-decay=0.001 epochs=50 batch=32 goal=0.5", NULL);
	if (!tap_ok(l != NULL && mkdtemp(dir) != NULL &&
	    session_init(&ss, l, &e) == 0, "write: the lesson opens")) {
		lesson_free(l);
		return;
	}
	lesson_train_format(&l->steps[0].train, l->steps[0].loss, fmt,
	    sizeof fmt);
	tap_ok(strcmp(fmt, "data=spiral classes=3 n=150 seed=7 noise=0.1 "
	    "model=mlp hidden=12 activation=relu loss=ce "
	    "pitfall=softmax-then-ce label-smoothing=0.1 lr=0.3 "
	    "weight-decay=0.001 epochs=50 batch=32 goal=0.5") == 0,
	    "write: the canonical form: %s", fmt);
	/* unchanged: the file as written */
	if (session_save(&ss, "copy", dir, path, sizeof path, &err) == 0)
		w = lesson_load(path, &err);
	tap_ok(w != NULL && lesson_train_same(&w->steps[0].train,
	    &l->steps[0].train) && strstr(w->src, "n=150 seed=7") != NULL,
	    "write: saved unchanged, the train: line is kept as written");
	lesson_free(w);
	w = NULL;
	session_train_nudge_lr(&ss, 1, &e);
	session_train_set(&ss, 0.5, 0.8, &e);
	if (session_save(&ss, "mine", dir, path, sizeof path, &err) == 0)
		w = lesson_load(path, &err);
	tap_ok(w != NULL && w->steps[0].train.spec.lr == 0.5 &&
	    w->steps[0].train.spec.momentum == 0.8 &&
	    w->steps[0].train.spec.hidden == 12 &&
	    w->steps[0].train.spec.batch == 32 &&
	    w->steps[0].train.spec.seed == 7, "write: lr and momentum saved, "
	    "the rest kept (%s)", w != NULL ? "loads" : err.msg);
	lesson_free(w);
	session_free(&ss);
	lesson_free(l);
}

/* --- bad train: values ------------------------------------------------------- */

static void
test_bad(void)
{
	static const struct {
		const char	*train, *msg;
	} bad[] = {
		{ "model=mlp lr=0.5 epochs=10", "needs data=, model=, lr= and "
		  "epochs=" },
		{ "data=moons model=mlp lr=0.5 epochs=10", "data=moons: "
		  "unknown data set" },
		{ "data=@x.csv model=mlp lr=0.5 epochs=10", "data=@x.csv: "
		  "unknown data set" },
		{ "data=xor model=deep lr=0.5 epochs=10", "model=deep: unknown "
		  "model" },
		{ "data=xor model=mlp activation=gelu lr=0.5 epochs=10",
		  "activation=gelu: unknown activation" },
		{ "data=xor model=linear hidden=4 lr=0.5 epochs=10",
		  "hidden= and activation= apply to model=mlp only" },
		{ "data=xor model=mlp lr=0 epochs=10", "lr=0: not a finite "
		  "number > 0" },
		{ "data=xor model=mlp lr=inf epochs=10", "lr=inf: not a "
		  "finite number > 0" },
		{ "data=xor model=mlp lr=abc epochs=10", "lr=abc: not a "
		  "number" },
		{ "data=xor model=mlp lr=0.1 momentum=-1 epochs=10",
		  "momentum=-1: not a finite number >= 0" },
		{ "data=xor model=mlp lr=0.1 epochs=10001", "epochs=10001: not "
		  "an integer from 1 to 10000" },
		{ "data=xor n=0 model=mlp lr=0.1 epochs=10", "n=0: not an "
		  "integer" },
		{ "data=xor classes=3 model=mlp lr=0.1 epochs=10", "data=xor: " },
		{ "data=xor model=mlp lr=0.1 epochs=10 lr=0.2", "lr= given "
		  "twice" },
		{ "data=xor model=mlp lr=0.1 epochs=10 speed=2", "unknown key "
		  "'speed'" },
		{ "data=xor model=mlp lr=0.1 epochs=10 fast", "'fast' is not "
		  "key=value" },
		{ "data=xor model=mlp lr=0.1 epochs=10 pitfall=softmax-then-ce",
		  "pitfall=softmax-then-ce imitates ce, not bce-logits" },
		{ "data=xor model=mlp loss=bce lr=0.1 epochs=10", "loss=bce is "
		  "not trained" },
		{ "data=blobs classes=3 model=mlp lr=0.1 epochs=10",
		  "bce-logits needs two classes or multilabel data" },
		{ "data=xor model=mlp loss=ce reduction=none lr=0.1 epochs=10",
		  "reduction=none: training needs mean or sum" },
		{ "data=xor model=mlp lr=0.1 epochs=10 seed=-1", "seed=-1: not "
		  "a seed" },
	};
	struct err	 err;
	char		 src[2048], want[256];
	struct lesson	*l;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(src, sizeof src, "id: t\ntitle: T\nloss: bce-logits\n"
		    "step: s\ninput: 0.5\ntarget: 1\n# a comment\n"
		    "train: %s\ntext: x\n", bad[i].train);
		l = parse(src, &err);
		snprintf(want, sizeof want, "t.lesson:8: train: %s",
		    bad[i].msg);
		tap_ok(l == NULL && strncmp(err.msg, want, strlen(want)) == 0,
		    "bad: train: %s -> %s", bad[i].train, err.msg);
		lesson_free(l);
	}
	/* train: is a step key */
	l = parse("id: t\ntitle: T\ntrain: data=xor model=mlp lr=1 "
	    "epochs=1\nstep: s\ninput: 1\ntarget: 1\n", &err);
	tap_ok(l == NULL && strstr(err.msg, "t.lesson:3:") != NULL,
	    "bad: train: in the header -> %s", err.msg);
	lesson_free(l);
}

int
main(void)
{
	const char	*srcdir = getenv("top_srcdir");

	if (srcdir == NULL || *srcdir == '\0')
		srcdir = ".";
	test_bad();
	test_write();
	test_controls();
	test_golden(srcdir);
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}
