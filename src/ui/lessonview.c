/*
 * lessonview.c -- the lesson screen: one step of one lesson, live (its
 * state; lessondraw.c draws it, lessonkeys.c takes its keys).
 *
 * What it shows, top to bottom (in a pad that scrolls to keep the
 * selection in view): a predict-first question when the step has one (the
 * results, the narrative and the plot stay hidden until it is answered or
 * `v` is pressed); the step's narrative, paragraph by paragraph, with a
 * note under every paragraph that no longer holds for the learner's values
 * or whose numbers torch refuses to compute; the editable input table (rows
 * are samples, columns classes) and the targets (table.c); the options the
 * lesson exposes; the results -- the reduced value saying what it is ("mean
 * of 3 = ..."), the per-element loss and the gradient labelled by what the
 * input is (dL/dz, dL/dp); the core's warnings; the pitfall pane
 * (sidebyside.c); the lesson's PyTorch lines and the same computation with
 * the learner's values (pycode.c), wrapped so that they stay Python; and
 * the plot (plotpane.c), on the right when the terminal is wide enough,
 * else at the end of the pad, and on the whole screen with z.  A fixed
 * strip above the status line always shows the reduced value (and the
 * pitfall's).  Presenter mode drops the title and hint bars, shows the
 * value in large figures and gives the plot more room; autoplay steps on a
 * timer.
 *
 * Everything shown comes from the lesson's session (session.h): a key is
 * one session call, then the screen is drawn from what the session derives.
 * This screen keeps only what is about the screen: the focused table, the
 * selected cell, the scroll position, the editor line.  Sessions of every
 * lesson opened are kept while the program runs, so edits survive moving
 * between steps and lessons.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "lesson.h"
#include "session.h"
#include "step.h"
#include "ui/colors.h"
#include "ui/lessonview.h"
#include "ui/plotpane.h"
#include "ui/ui.h"

struct lv_state lv;

/* ------------------------------------------------------------- helpers -- */

struct lv_lesson *
lessonview_lesson(void)
{
	if (lv.in_bench)
		return &lv.bench;
	if (lv.lessons == NULL || lv.cur >= lv.n)
		return NULL;
	return &lv.lessons[lv.cur];
}

/* The open lesson's session, or NULL. */
struct session *
lessonview_ss(void)
{
	struct lv_lesson *L = lessonview_lesson();

	return L != NULL && L->live ? &L->ss : NULL;
}

/* The screen state of the current step. */
struct lv_step *
lessonview_ui(void)
{
	struct lv_lesson *L = lessonview_lesson();

	return L != NULL && L->live ? &L->steps[L->ss.cur] : NULL;
}

/* The current step's live values and results. */
struct step *
lessonview_st(void)
{
	struct session *ss = lessonview_ss();

	return ss != NULL ? &session_cur(ss)->st : NULL;
}

double
lessonview_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
lessonview_autoplay_arm(struct ui *u)
{
	double	t;

	if (u->app == NULL || u->app->autoplay <= 0 || !lv.auto_on)
		return;
	t = lessonview_now() + u->app->autoplay;
	lv.next_auto.tv_sec = (time_t)t;
	lv.next_auto.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
}

/* The grid of a step field as the screen shows it. */
void
lessonview_grid(struct step *s, enum step_field f, struct table_grid *g)
{
	struct mat	*m = step_field_mat(s, f);
	int		 column;

	column = f == STEP_TARGET && step_index_target(s) &&
	    s->input.ndim == 2;
	table_grid(g, m, column);
}


/* Whether the results are hidden behind an unanswered question. */
int
lessonview_hidden(void)
{
	struct session_quiz	 q;
	struct session		*ss = lessonview_ss();

	if (ss == NULL)
		return 0;
	session_quiz(ss, &q);
	return q.hidden;
}

/* Tell the learner what an edit did: its error, or what else it changed. */
void
lessonview_report(struct ui *u, int rc, const struct err *e)
{
	struct step	*s = lessonview_st();

	if (rc != 0)
		ui_message(u, ROLE_ERROR, "%s", e->msg);
	else if (s != NULL && s->note[0] != '\0')
		ui_message(u, ROLE_LABEL, "%s", s->note);
}

/* Keep the selection inside the tables after an edit changed shapes. */
void
lessonview_clamp(void)
{
	const struct session_opt *opts[LV_NOPTS];
	struct lv_step		*ls = lessonview_ui();
	struct step		*s = lessonview_st();
	struct table_grid	 g;
	struct mat		*m;
	size_t			 nopt;

	if (ls == NULL)
		return;
	if (ls->focus == LV_OPTIONS) {
		nopt = session_options(lessonview_ss(), opts, LV_NOPTS);
		if (nopt == 0) {
			ls->focus = LV_INPUT;
		} else {
			if (ls->opt >= nopt)
				ls->opt = nopt - 1;
			m = opts[ls->opt]->kind == SESSION_OPT_VECTOR ?
			    step_field_mat(s, opts[ls->opt]->field) : NULL;
			if (m == NULL || mat_numel(m) == 0)
				ls->optel = 0;
			else if (ls->optel >= mat_numel(m))
				ls->optel = mat_numel(m) - 1;
		}
	}
	if (ls->focus == LV_OPTIONS)
		return;
	lessonview_grid(s, ls->focus == LV_TARGET ? STEP_TARGET : STEP_INPUT,
	    &g);
	if (g.rows == 0) {
		ls->r = ls->c = 0;
		return;
	}
	if (ls->r >= g.rows)
		ls->r = g.rows - 1;
	if (ls->c >= g.cols)
		ls->c = g.cols - 1;
	if (ls->focus == LV_INPUT) {
		ls->ir = ls->r;
		ls->ic = ls->c;
	}
	lessonview_grid(s, STEP_INPUT, &g);
	if (ls->ir >= g.rows)
		ls->ir = g.rows > 0 ? g.rows - 1 : 0;
	if (ls->ic >= g.cols)
		ls->ic = g.cols > 0 ? g.cols - 1 : 0;
}

/* ---------------------------------------------------------- open/close -- */

/* The lesson array for the shown lessons (one entry each). */
static int
lv_alloc(struct ui *u)
{
	size_t	i;

	if (lv.lessons != NULL)
		return 0;
	lv.lessons = calloc(u->nshown + 1, sizeof *lv.lessons);
	if (lv.lessons == NULL)
		return -1;
	lv.n = u->nshown;
	for (i = 0; i < u->nshown; i++)
		lv.lessons[i].lesson = u->cat->v[u->shown[i]].lesson;
	return 0;
}

/* Set up L's session on its first opening; 0 or -1 (message set). */
static int
lv_live(struct ui *u, struct lv_lesson *L)
{
	struct err	e;

	if (L->live)
		return 0;
	memset(&e, 0, sizeof e);
	if ((L->steps = calloc(L->lesson->nsteps + 1,
	    sizeof *L->steps)) == NULL) {
		ui_message(u, ROLE_ERROR, "%s", _("out of memory"));
		return -1;
	}
	if (session_init(&L->ss, L->lesson, &e) != 0) {
		session_free(&L->ss);
		free(L->steps);
		L->steps = NULL;
		ui_message(u, ROLE_ERROR, "%s", e.msg);
		return -1;
	}
	L->live = 1;
	return 0;
}

int
lessonview_open(struct ui *u, size_t shown)
{
	struct lv_lesson	*L;

	if (lv_alloc(u) == -1 || shown >= lv.n) {
		ui_message(u, ROLE_ERROR, "%s", _("out of memory"));
		return -1;
	}
	L = &lv.lessons[shown];
	if (L->lesson == NULL) {
		ui_message(u, ROLE_ERROR, "%s", _("this lesson file is broken"));
		return -1;
	}
	if (lv_live(u, L) == -1)
		return -1;
	lv.cur = shown;
	u->cur = shown;
	lv.follow = 0;
	lv.auto_on = u->app != NULL && u->app->autoplay > 0;
	lessonview_autoplay_arm(u);
	return 0;
}

static void
lv_lesson_free(struct lv_lesson *L)
{
	if (L->live)
		session_free(&L->ss);
	L->live = 0;
	free(L->steps);
	L->steps = NULL;
}

void
lessonview_free(struct ui *u)
{
	size_t	i;

	(void)u;
	for (i = 0; i < lv.n; i++)
		lv_lesson_free(&lv.lessons[i]);
	free(lv.lessons);
	lv.lessons = NULL;
	lv.n = 0;
	lv_lesson_free(&lv.bench);
	if (lv.pad != NULL)
		delwin(lv.pad);
	lv.pad = NULL;
	plotpane_free();
}

void
lessonview_catalog_changed(struct ui *u)
{
	struct lv_lesson	*nl;
	size_t			 i, j, cur = lv.cur;

	if (lv.lessons == NULL)
		return;
	/* Keep every lesson's state under its new index. */
	if ((nl = calloc(u->nshown + 1, sizeof *nl)) == NULL)
		return;
	for (i = 0; i < u->nshown; i++) {
		nl[i].lesson = u->cat->v[u->shown[i]].lesson;
		for (j = 0; j < lv.n; j++)
			if (lv.lessons[j].lesson == nl[i].lesson &&
			    nl[i].lesson != NULL) {
				nl[i] = lv.lessons[j];
				memset(&lv.lessons[j], 0, sizeof lv.lessons[j]);
				if (j == cur)
					lv.cur = i;
				break;
			}
	}
	for (j = 0; j < lv.n; j++)
		lv_lesson_free(&lv.lessons[j]);
	free(lv.lessons);
	lv.lessons = nl;
	lv.n = u->nshown;
	if (ui_top(u) == &lesson_screen)
		u->cur = lv.cur;
}

size_t
lessonview_unsaved(const struct ui *u)
{
	size_t	i, k, n = 0;

	(void)u;
	for (i = 0; i < lv.n; i++) {
		if (!lv.lessons[i].live)
			continue;
		for (k = 0; k < lv.lessons[i].ss.nsteps; k++)
			if (session_edited(&lv.lessons[i].ss, k)) {
				n++;
				break;
			}
	}
	return n;
}

static int
lessonview_editing(void)
{
	return lv.ed.active;
}

int
lessonview_autoplaying(void)
{
	return lv.auto_on && !lv.auto_paused;
}

void
lessonview_autoplay_tick(struct ui *u)
{
	struct session		*ss = lessonview_ss();
	struct session_quiz	 q;
	struct err		 e;
	size_t			 i, first;

	if (ss == NULL)
		return;
	session_quiz(ss, &q);
	if (q.has && q.hidden) {
		lessonkeys_reveal(u);
		return;
	}
	if (ss->cur + 1 < ss->nsteps) {
		lessonkeys_goto_step(u, ss->cur + 1);
		return;
	}
	if (!u->lesson_arg) {
		for (i = lv.cur + 1; i < lv.n; i++)
			if (lv.lessons[i].lesson != NULL)
				break;
		if (i < lv.n) {
			lessonkeys_next_lesson(u, 1);
			return;
		}
	}
	if (u->app == NULL || !u->app->loop) {
		lv.auto_on = 0;
		ui_message(u, ROLE_LABEL, "%s", _("autoplay has ended: this "
		    "is the last step (--loop starts again)"));
		return;
	}
	/* --loop: the first lesson (from the list) or this one again,
	   every question asked again */
	if (!u->lesson_arg) {
		for (first = 0; first < lv.n; first++)
			if (lv.lessons[first].lesson != NULL)
				break;
		if (first < lv.n && first != lv.cur &&
		    lessonview_open(u, first) == -1)
			return;
		if ((ss = lessonview_ss()) == NULL)
			return;
	}
	memset(&e, 0, sizeof e);
	for (i = ss->nsteps; i-- > 0;) {
		if (session_goto(ss, i, &e) != 0)
			break;
		session_reset(ss);
	}
	lessonview_clamp();
	lv.follow = 0;
	lessonview_ui()->scroll = 0;
}

/*
 * A training step's pace: epochs per second, so that a run of E epochs
 * takes about 10 s (at least 30 a second, at most 500), and the most time
 * one idle turn may train for, so that a key waits at most that long.
 */
#define LV_TRAIN_RATE_MIN	30.0
#define LV_TRAIN_RATE_MAX	500.0
#define LV_TRAIN_SLICE_S	0.002
/* The chart is redrawn at most this often while it trains (keys redraw at
   once): epochs trained in between are drawn with the next frame. */
#define LV_TRAIN_FPS		30.0

static double
lv_train_rate(const struct session *ss)
{
	double	r = (double)session_train(ss)->run.spec.epochs / 10.0;

	return r < LV_TRAIN_RATE_MIN ? LV_TRAIN_RATE_MIN :
	    r > LV_TRAIN_RATE_MAX ? LV_TRAIN_RATE_MAX : r;
}

void
lessonview_timeout(struct ui *u)
{
	u->timeout_ms = u->bench == UI_BENCH_TEXT ? -1 : plotpane_wait_ms();
	if (lessonview_autoplaying() && u->app != NULL && u->app->autoplay > 0) {
		double	left = (double)lv.next_auto.tv_sec +
		    (double)lv.next_auto.tv_nsec / 1e9 - lessonview_now();
		int	ms = left > 0 ? (int)(left * 1000) + 1 : 0;

		if (u->timeout_ms < 0 || ms < u->timeout_ms)
			u->timeout_ms = ms;
	}
	/* a training step that runs: wake for its next epoch */
	if (lessonview_ss() != NULL && session_train_running(lessonview_ss())) {
		int	ms = (int)(1000.0 / lv_train_rate(lessonview_ss())) + 1;

		if (u->timeout_ms < 0 || ms < u->timeout_ms)
			u->timeout_ms = ms;
	}
}

/* Whether an idle turn draws the trained epochs now (lv_train_tick). */
static int
lv_train_frame(const struct session *ss)
{
	double	now = lessonview_now();

	if (!lv.train_undrawn || (session_train_running(ss) &&
	    now - lv.train_drawn < 1.0 / LV_TRAIN_FPS))
		return 0;
	lv.train_undrawn = 0;
	lv.train_drawn = now;
	return 1;
}

/* Train the epochs due since the last turn, within one time slice that a
   waiting key cuts short; 1 when the screen should be drawn again: a frame
   is due (LV_TRAIN_FPS) and something was trained since the last, or the
   runs have stopped with epochs not yet drawn. */
static int
lv_train_tick(struct ui *u, struct session *ss)
{
	struct err	 e;
	double		 now = lessonview_now(), t0 = now;
	long		 due, n = 0, k;

	if (!session_train_running(ss)) {
		lv.train_last = now;
		return lv_train_frame(ss);
	}
	/* just arrived, or back from elsewhere: from now on */
	if (now - lv.train_last > 0.5)
		lv.train_last = now - 1.0 / lv_train_rate(ss);
	due = (long)((now - lv.train_last) * lv_train_rate(ss));
	if (due < 1)
		return 0;
	/* between epochs: a key that waits ends the slice (it is handled
	   within an epoch's time, not the slice's) */
	while (n < due && lessonview_now() - t0 < LV_TRAIN_SLICE_S &&
	    !ui_key_pending(u)) {
		if ((k = session_train_advance(ss, 1, 0, &e)) < 0) {
			ui_message(u, ROLE_ERROR, "%s", e.msg);
			break;
		}
		if (k == 0)
			break;
		n++;
	}
	/* behind (a slow machine): the pace drops, keys stay quick */
	lv.train_last = n < due ? lessonview_now() : lv.train_last +
	    (double)n / lv_train_rate(ss);
	if (n > 0)
		lv.train_undrawn = 1;
	return lv_train_frame(ss);
}

static int
lessonview_idle(struct ui *u)
{
	struct session	*ss = lessonview_ss();
	int		 redraw = 0;

	if (u->bench != UI_BENCH_TEXT)
		redraw |= plotpane_step();
	if (ss != NULL && session_train(ss) != NULL)
		redraw |= lv_train_tick(u, ss);
	if (lessonview_autoplaying() && !lv.ed.active && u->app != NULL &&
	    u->app->autoplay > 0 && ss != NULL && lessonview_now() >=
	    (double)lv.next_auto.tv_sec + (double)lv.next_auto.tv_nsec / 1e9) {
		lessonview_autoplay_tick(u);
		lessonview_autoplay_arm(u);
		redraw = 1;
	}
	if (!redraw)
		lessonview_timeout(u);	/* the draw would have set it */
	return redraw;
}

/* ----------------------------------------------------------- benchmark -- */

/* Wait (in poll, as the main loop does) until the pane shows the plot
   the last draw wanted, drawing whenever it changes. */
static void
lv_bench_wait_plot(struct ui *u)
{
	struct pollfd	 fds[4];
	int		 n;

	while (plotpane_step() || plotpane_stale()) {
		lessondraw_lesson(u);
		doupdate();
		if (!plotpane_stale())
			break;
		if ((n = plotpane_fds(fds, 4)) > 0)
			(void)poll(fds, (nfds_t)n, 100);
	}
}

/* One bare `gnuplot -e 'set term dumb; plot sin(x)'`, started without a
   shell, its output thrown away; its wall time in ms, or -1. */
static double
lv_bench_gnuplot(void)
{
	char		*argv[] = { "gnuplot", "-e",
	    "set term dumb; plot sin(x)", NULL };
	struct timespec	 t0, t1;
	pid_t		 pid;
	int		 st, fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

/* Sleep ms milliseconds (the main loop's wait in poll). */
static void
lv_bench_sleep(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* The training benchmark's key arrives uniformly within this time after
   the start of an idle turn (a turn, slice and redraw, takes about 3 ms
   when nothing cuts it short). */
#define LV_BENCH_ARRIVE_S	0.003

int
lessonview_bench(struct ui *u, int n, struct ui_bench_result *res)
{
	static const int cell_keys[] = { '+', KEY_RIGHT, '-', KEY_DOWN, '>',
	    KEY_RIGHT, '<', KEY_DOWN, '+', KEY_LEFT, 'r', '+', KEY_UP };
	/* a training step's: lr, momentum, s while paused, restart */
	static const int train_keys[] = { '+', '-', '>', '<', ' ', 's', 's',
	    ' ', '-', '+', 'R', KEY_DOWN, KEY_UP };
	const int	*keys = cell_keys;
	int		 nkeys = (int)(sizeof cell_keys / sizeof cell_keys[0]);
	int		 train = u->bench == UI_BENCH_TRAIN;
	struct lesson	*bench_lesson = NULL;
	double		 slice, t_0, at;
	uint64_t	 seed = 1;	/* the keys' arrival times */
	struct mat	 in = MAT_INIT, tg = MAT_INIT;
	struct loss_opts o;
	struct err	 e;
	struct timespec	 t0, t1;
	double		*ms = NULL, *gp = NULL;
	unsigned long	 plots0, plots1;
	size_t		 r, c;
	int		 i, ret = -1, plot = u->bench == UI_BENCH_PLOT;

	memset(res, 0, sizeof *res);
	if (mat_alloc(&in, 2, 32, 10, &e) == -1 ||
	    mat_alloc(&tg, 1, 1, 32, &e) == -1)
		goto out;
	for (r = 0; r < 32; r++) {
		for (c = 0; c < 10; c++)
			MAT_AT(&in, r, c) = sin((double)(r * 10 + c)) * 3;
		tg.v[r] = (double)(r % 10);
	}
	loss_opts_init(&o);
	if ((lv.bench.steps = calloc(1, sizeof *lv.bench.steps)) == NULL)
		goto out;
	if (train) {
		/* a training step: an MLP (H = 16) on 200 points, both runs */
		static const char src[] = "id: bench\ntitle: bench\n"
		    "loss: ce\nstep: trains\ninput: 2, 1, 0.1;\ntarget: 0\n"
		    "text: epoch {train.epoch}, loss {train.loss}, pitfall "
		    "{train.pitfall.loss}\ncode: x\ntrain: data=spiral "
		    "model=mlp hidden=16 pitfall=softmax-then-ce lr=0.5 "
		    "momentum=0.9 epochs=10000\n";

		if ((bench_lesson = lesson_parse("bench", src, sizeof src - 1,
		    &e)) == NULL ||
		    session_init(&lv.bench.ss, bench_lesson, &e) == -1) {
			session_free(&lv.bench.ss);
			goto out;
		}
		keys = train_keys;
		nkeys = (int)(sizeof train_keys / sizeof train_keys[0]);
	} else if (session_init_values(&lv.bench.ss, LOSS_CE, &in, &tg, &o,
	    PITFALL_SOFTMAX_THEN_CE, &e) == -1) {
		session_free(&lv.bench.ss);
		goto out;
	}
	lv.bench.live = 1;
	lv.in_bench = 1;
	u->stack[u->depth++] = &lesson_screen;
	ms = calloc((size_t)n, sizeof *ms);
	gp = calloc((size_t)n, sizeof *gp);
	if (ms == NULL || gp == NULL)
		goto out;
	lessondraw_lesson(u);
	doupdate();
	if (plot)
		lv_bench_wait_plot(u);
	plotpane_stats(NULL, &plots0);
	res->max_ms = 0;
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (train) {
			/* what the loop does between keys: one idle turn (its
			   slice of training, then its redraw unless the key
			   is there), the key arriving at a random moment of
			   it; timed from that moment, so that a key waits
			   for what is left of the turn */
			long	e0 = session_train(&lv.bench.ss)->run.epoch;

			/* 0.1 s since the last turn: more epochs due than a
			   slice may train */
			lv.train_last = lessonview_now() - 0.1;
			t_0 = lessonview_now();
			seed = seed * 6364136223846793005ULL +
			    1442695040888963407ULL;
			at = t_0 + LV_BENCH_ARRIVE_S * (double)(seed >> 11) /
			    9007199254740992.0;
			u->bench_key_at = at * 1e3;
			if (lessonview_idle(u)) {
				if (ui_key_pending(u))
					u->dirty = 1;
				else
					lessondraw_lesson(u);
			}
			doupdate();
			slice = (lessonview_now() - t_0) * 1e3;
			if (slice > res->slice_max_ms)
				res->slice_max_ms = slice;
			gp[i] = slice;
			res->epochs += (unsigned long)
			    (session_train(&lv.bench.ss)->run.epoch - e0);
			/* the turn over before the key came: the loop sleeps
			   in poll until it does (its wake-up is timed) */
			t0.tv_sec = (time_t)at;
			t0.tv_nsec = (long)((at - (double)t0.tv_sec) * 1e9);
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
			    &t0, NULL) == EINTR)
				;
			u->bench_key_at = 0;
			u->dirty = 0;	/* the key's draw is the frame */
		}
		(void)lessonkeys_lesson(u, keys[i % nkeys]);
		lessondraw_lesson(u);
		doupdate();
		if (plot)
			lv_bench_wait_plot(u);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (ms[i] > res->max_ms)
			res->max_ms = ms[i];
		if (ms[i] > 5)
			res->over5++;
		/* then the loop sleeps in poll until its next turn (when it
		   trains: paused, the next key just comes) */
		if (train && session_train_running(&lv.bench.ss) &&
		    u->timeout_ms > 0)
			lv_bench_sleep(u->timeout_ms < 40 ? u->timeout_ms : 40);
		/* the bare gnuplot start, interleaved: the same run */
		if (plot && (gp[i] = lv_bench_gnuplot()) < 0)
			goto out;
	}
	plotpane_stats(&res->starts, &plots1);
	res->plots = plots1 - plots0;
	res->median_ms = ui_median(ms, n);
	res->p99_ms = ms[n - 1 - n / 100];	/* sorted by ui_median */
	if (plot)
		res->gnuplot_median_ms = ui_median(gp, n);
	if (train) {
		res->slice_median_ms = ui_median(gp, n);
		res->slice_p99_ms = gp[n - 1 - n / 100];
	}
	ret = 0;
out:
	free(ms);
	free(gp);
	if (bench_lesson != NULL) {
		/* the session borrows the lesson: both go here */
		lv_lesson_free(&lv.bench);
		lesson_free(bench_lesson);
	}
	lv.in_bench = 0;
	mat_free(&in);
	mat_free(&tg);
	return ret;
}

/* The lesson screen opens on lesson u->cur (the list's selection). */
static int
lessonview_open_cur(struct ui *u)
{
	return lessonview_open(u, u->cur);
}

const struct ui_screen lesson_screen = {
	"lesson", lessonview_open_cur, lessondraw_lesson, lessonkeys_lesson,
	lessonview_idle, NULL, lessonview_editing
};

/* The zoomed plot idles as the lesson does: the plot is refreshed, the
   autoplay goes on. */
const struct ui_screen zoom_screen = {
	"zoom", NULL, lessondraw_zoom, lessonkeys_zoom, lessonview_idle, NULL,
	NULL
};
