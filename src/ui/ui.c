/*
 * ui.c -- the explorer's entry point and main loop (see ui.h).
 *
 * Order of events: load the lesson catalogue and resolve the lesson argument
 * (errors print as "losslab: ..." before the terminal is touched), start
 * curses (ui_init), then loop: draw the screen on top of the stack, read
 * one key, give it to that screen, and do what its handler answers (stay,
 * go back, open the help, a lesson or the zoomed plot, quit).  Screens
 * never switch screens themselves and never draw each other.  KEY_RESIZE,
 * Ctrl-L, ? and Q are handled here and nowhere else; below UI_MIN_COLS x
 * UI_MIN_ROWS a "terminal too small" screen replaces everything.
 *
 * Keys: an escape sequence the terminal's terminfo entry does not know
 * (Home and End of xterm-256color inside tmux, say) is read whole and
 * dropped, never taken for Esc and letters; the common Home/End sequences
 * are taught to ncurses.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP only set a flag (no curses call in a
 * handler); the loop sees it at the next wake-up (getch is interrupted, and
 * never blocks for more than UI_WAKE_MS anyway), restores the terminal and
 * returns 128 + the signal.  ui_done() is safe to call twice and is also
 * registered with atexit(), so every exit path leaves a sane terminal.
 * The signals that kill at once (SIGQUIT from Ctrl-\, SIGSEGV and the other
 * crashes) are term.c's: its handler puts the terminal back with
 * async-signal-safe calls only and lets the signal end the process.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "lesson.h"
#include "step.h"
#include "ui/colors.h"
#include "ui/curses.h"
#include "ui/draw.h"
#include "ui/plotpane.h"
#include "ui/term.h"
#include "ui/ui.h"

/* Longest wait in getch before the loop looks at the signal flag. */
#define UI_WAKE_MS	500

static volatile sig_atomic_t	ui_signal;
static enum term_state		ui_term;	/* why ui_init failed */
static int			ui_active;	/* curses is running */
static SCREEN			*ui_screen;
static struct sigaction		ui_old_int, ui_old_term, ui_old_hup;

static void
ui_on_signal(int sig)
{
	ui_signal = sig;
}

/* Start curses; 0, or -1 if the terminal cannot be used. */
static int
ui_init(const struct app_opts *app)
{
	struct sigaction	sa;

	if (ui_active)
		return 0;
#if !defined(HAVE_SET_ESCDELAY) && !defined(NCURSES_VERSION)
	setenv("ESCDELAY", "25", 0);
#endif
	/* newterm, not initscr: initscr exits the program on an unknown
	   TERM, newterm returns NULL and lets us say so our way. */
	if ((ui_term = term_usable()) != TERM_OK)
		return -1;
	/* the modes a fatal signal puts back: those from before curses */
	if (term_save_modes(STDOUT_FILENO) == -1)
		term_save_modes(STDIN_FILENO);
	if ((ui_screen = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	set_term(ui_screen);
	ui_active = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	/* A lone Esc after 25 ms, not curses' default of a second.
	   (configure's set_escdelay check runs without the curses library,
	   so ncurses, which always has it, is recognised by its version.) */
#if defined(HAVE_SET_ESCDELAY) || defined(NCURSES_VERSION)
	set_escdelay(25);
#endif
	curs_set(0);
	colors_init(app != NULL && app->no_color);
#ifdef NCURSES_VERSION
	/* Home and End as tmux, screen and xterm send them, whatever TERM's
	   entry says */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[H", KEY_HOME);
	define_key("\033OH", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[8~", KEY_END);
	define_key("\033[F", KEY_END);
	define_key("\033OF", KEY_END);
#endif
	/* clicks and the wheel */
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED, NULL);
	mouseinterval(0);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: interrupt getch */
	sigaction(SIGINT, &sa, &ui_old_int);
	sigaction(SIGTERM, &sa, &ui_old_term);
	sigaction(SIGHUP, &sa, &ui_old_hup);
	term_fatal_arm();
	return 0;
}

/* Restore the terminal; safe to call twice and from atexit. */
static void
ui_done(void)
{
	if (!ui_active)
		return;
	ui_active = 0;
	curs_set(1);
	endwin();
	term_fatal_disarm();
	delscreen(ui_screen);
	ui_screen = NULL;
	sigaction(SIGINT, &ui_old_int, NULL);
	sigaction(SIGTERM, &ui_old_term, NULL);
	sigaction(SIGHUP, &ui_old_hup, NULL);
}

void
ui_message(struct ui *u, int role, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_role = role;
}

static double
ui_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
ui_key_pending(const struct ui *u)
{
	struct pollfd	pfd;

	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) > 0 && pfd.revents != 0)
		return 1;
	return u->bench_key_at > 0 && ui_now_ms() >= u->bench_key_at;
}

/*
 * After an Esc: a lone Esc is the key, and so is Esc followed by any key
 * but [ and O (which stays in the queue); Esc [ or Esc O already waiting
 * is a sequence curses did not recognise -- read it to its end (CSI:
 * parameters and intermediates, then a final byte; SS3: one byte), map the
 * Home and End spellings, drop the rest (0: no key).
 */
static int
ui_escape(void)
{
	wint_t	c;
	int	r, n, p = 0, intro;

	timeout(0);
	r = get_wch(&c);
	if (r == ERR)
		return 27;
	if (r == KEY_CODE_YES || (c != '[' && c != 'O')) {
		/* Esc, then another key typed quickly: both count */
		if (r == KEY_CODE_YES)
			ungetch((int)c);
		else
			unget_wch((wchar_t)c);
		return 27;
	}
	intro = (int)c;
	for (n = 0; n < 32; n++) {
		if (get_wch(&c) != OK)
			return 0;
		if (intro == 'O')
			break;
		if (c >= '0' && c <= '9')
			p = p * 10 + (int)(c - '0');
		if (c >= 0x40 && c <= 0x7e)
			break;
	}
	if ((intro == 'O' || intro == '[') && (c == 'H' || (c == '~' &&
	    (p == 1 || p == 7))))
		return KEY_HOME;
	if ((intro == 'O' || intro == '[') && (c == 'F' || (c == '~' &&
	    (p == 4 || p == 8))))
		return KEY_END;
	return 0;
}

/* Read one key: a curses KEY_* code, an ASCII character, or
   UI_KEY_TIMEOUT (timed out, interrupted, or the plot's gnuplot has
   something: look at the signal flag and idle).  A key curses already has
   is taken at once; else the loop waits in poll(2) on the terminal and on
   the plot's pipes together, so a finished plot is drawn as soon as it is
   there.  A terminal that has gone away makes the reads fail at once,
   again and again; after many such failures *lost is set. */
static int
ui_getkey(int timeout_ms, int *lost)
{
	static int	fast_errors;
	struct pollfd	pfd[1 + 4];
	wint_t		wch;
	int		r, n;
	double		t0;

	if (timeout_ms < 0 || timeout_ms > UI_WAKE_MS)
		timeout_ms = UI_WAKE_MS;
	t0 = ui_now_ms();
	timeout(0);
	r = get_wch(&wch);
	if (r == ERR && timeout_ms > 0) {
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		n = 1 + plotpane_fds(pfd + 1, 4);
		if (poll(pfd, (nfds_t)n, timeout_ms) > 0 &&
		    pfd[0].revents != 0)
			r = get_wch(&wch);
	}
	if (r == ERR) {
		if (timeout_ms >= 20 && ui_now_ms() - t0 < timeout_ms / 4.0 &&
		    plotpane_fds(pfd, 4) == 0) {
			if (++fast_errors > 200)
				*lost = 1;
		} else
			fast_errors = 0;
		return UI_KEY_TIMEOUT;
	}
	fast_errors = 0;
	if (r == KEY_CODE_YES)
		return (int)wch;
	if (wch == 27)
		return ui_escape();
	if (wch > 0x7e)		/* text for the editor line; no key binding */
		return wch > 0x10ffff ? 0 : UI_KEY_CHAR((int)wch);
	return (int)wch;
}

/* The "terminal too small" screen. */
static void
ui_draw_small(void)
{
	erase();
	draw_wrapped(stdscr, 0, 0, COLS, LINES, ROLE_WARNING,
	    _("Terminal too small"));
	draw_fmt(stdscr, LINES > 2 ? 2 : 1, 0, COLS, ROLE_NORMAL,
	    _("need %dx%d, have %dx%d"), UI_MIN_COLS, UI_MIN_ROWS, COLS, LINES);
	if (LINES > 3)
		draw_str(stdscr, 3, 0, COLS, ROLE_LABEL, _("q quits"));
}

const struct ui_screen *
ui_top(const struct ui *u)
{
	return u->depth > 0 ? u->stack[u->depth - 1] : &list_screen;
}

/* Put screen sc on top; 0, or -1 when it would not open. */
static int
ui_push(struct ui *u, const struct ui_screen *sc)
{
	if (u->depth == UI_STACK_MAX || ui_top(u) == sc)
		return -1;
	if (sc->open != NULL && sc->open(u) != 0)
		return -1;
	u->stack[u->depth++] = sc;
	return 0;
}

static void
ui_pop(struct ui *u)
{
	const struct ui_screen	*sc = ui_top(u);

	if (u->depth <= 1)
		return;		/* the list stays */
	if (sc->close != NULL)
		sc->close(u);
	u->depth--;
}

/* Do what a key handler asked for. */
static void
ui_act(struct ui *u, enum ui_action a)
{
	size_t	n;

	if (a != UI_QUIT)
		u->quit_asked = 0;
	switch (a) {
	case UI_STAY:
		break;
	case UI_BACK:
		ui_pop(u);
		break;
	case UI_QUIT:
		/* edits are lost on quitting: ask once */
		if ((n = lessonview_unsaved(u)) > 0 && !u->quit_asked) {
			u->quit_asked = 1;
			ui_message(u, ROLE_WARNING, NG_("Q again quits: %zu "
			    "lesson has edits that are not saved (w saves "
			    "them)", "Q again quits: %zu lessons have edits "
			    "that are not saved (w saves them)", n), n);
			break;
		}
		u->quit = 1;
		break;
	case UI_OPEN_HELP:
		ui_push(u, &help_screen);
		break;
	case UI_OPEN_LESSON:
		if (ui_top(u) != &lesson_screen)
			ui_push(u, &lesson_screen);
		break;
	case UI_OPEN_ZOOM:
		ui_push(u, &zoom_screen);
		break;
	}
}

static void
ui_draw(struct ui *u)
{
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		plotpane_frame_begin();
		ui_draw_small();
		curs_set(0);
		wnoutrefresh(stdscr);
		plotpane_frame_end();
		doupdate();
		return;
	}
	u->timeout_ms = -1;	/* a screen that needs a wake-up sets it */
	curs_set(0);
	plotpane_frame_begin();
	ui_top(u)->draw(u);
	plotpane_frame_end();
	doupdate();
	plotpane_flush();
}

/* Keys every screen shares; returns 1 if the key was taken. */
static int
ui_global_key(struct ui *u, int key)
{
	MEVENT	ev;

	switch (key) {
	case KEY_RESIZE:
		/* ncurses has resized stdscr; the next draw lays out anew. */
		clearok(curscr, TRUE);
		graphics_resized(&u->gfx);
		plotpane_setup(&u->gfx);
		plotpane_repaint();
		return 1;
	case 12:	/* ^L */
		clearok(curscr, TRUE);
		plotpane_repaint();
		return 1;
	case '?':
	case KEY_F(1):
		if (ui_top(u) != &help_screen) {
			ui_act(u, UI_OPEN_HELP);
			return 1;
		}
		return 0;
	case 'Q':
		ui_act(u, UI_QUIT);
		return 1;
	case KEY_MOUSE:
		/* the event for the screen, which gets KEY_MOUSE next */
		if (getmouse(&ev) != OK)
			return 1;
		u->mouse_y = ev.y;
		u->mouse_x = ev.x;
		u->mouse_bstate = (unsigned long)ev.bstate;
		return 0;
	}
	return 0;
}

/* Build the shown list: one entry per lesson id, in the interface language
   when there is one; `force` (if not NULL) replaces the entry of its id. */
static int
ui_build_shown(struct ui *u, const struct lesson_entry *force)
{
	const struct lesson_entry *e, *f;
	size_t	 i, j;
	int	 seen;

	free(u->shown);
	u->nshown = 0;
	u->shown = calloc(u->cat->n + 1, sizeof *u->shown);
	if (u->shown == NULL)
		return -1;
	for (i = 0; i < u->cat->n; i++) {
		e = &u->cat->v[i];
		seen = 0;
		for (j = 0; j < u->nshown; j++) {
			if (strcmp(u->cat->v[u->shown[j]].id, e->id) == 0)
				seen = 1;
		}
		if (seen)
			continue;
		f = lesson_catalog_find(u->cat, e->id, u->lang);
		if (f == NULL)
			f = e;
		if (force != NULL && strcmp(force->id, e->id) == 0)
			f = force;
		u->shown[u->nshown++] = (size_t)(f - u->cat->v);
	}
	return 0;
}

int
ui_catalog_add(struct ui *u, const char *path)
{
	const struct lesson	*open = NULL;
	const struct lesson_entry *force = NULL;
	size_t			 i;

	if (u->cur < u->nshown)
		open = u->cat->v[u->shown[u->cur]].lesson;
	if (lesson_catalog_add(u->cat, path, LESSON_ORIGIN_USER) != 0)
		return -1;
	lesson_catalog_sort(u->cat);
	for (i = 0; i < u->cat->n; i++)
		if (open != NULL && u->cat->v[i].lesson == open)
			force = &u->cat->v[i];
	if (ui_build_shown(u, force) != 0)
		return -1;
	lessonview_catalog_changed(u);
	for (i = 0; i < u->nshown; i++)
		if (open != NULL && u->cat->v[u->shown[i]].lesson == open)
			u->cur = i;
	return 0;
}

/* Find the shown index of the lesson argument, loading a file that is not
   in the catalogue.  Returns 0, or -1 after printing the error. */
static int
ui_resolve(struct ui *u, const char *what, size_t *index)
{
	const struct lesson_entry *e = NULL;
	struct lesson	*l;
	struct err	 err;
	size_t		 i, len = strlen(what);

	if (strchr(what, '/') != NULL ||
	    (len > 7 && strcmp(what + len - 7, ".lesson") == 0)) {
		e = lesson_catalog_find_path(u->cat, what);
		if (e == NULL) {
			l = lesson_load(what, &err);
			if (l == NULL) {
				fprintf(stderr, "losslab: %s\n", err.msg);
				return -1;
			}
			lesson_free(l);
			if (lesson_catalog_add(u->cat, what,
			    LESSON_ORIGIN_FILE) == -1) {
				fprintf(stderr, "losslab: %s\n", _("out of memory"));
				return -1;
			}
			lesson_catalog_sort(u->cat);
			e = lesson_catalog_find_path(u->cat, what);
		}
	} else
		e = lesson_catalog_find(u->cat, what, u->lang);
	if (e == NULL) {
		l = lesson_find(u->app, what, u->lang, &err);
		if (l != NULL) {	/* should not happen: not catalogued */
			lesson_free(l);
			err_set(&err, "no lesson '%s'", what);
		}
		fprintf(stderr, "losslab: %s\n", err.msg);
		return -1;
	}
	if (e->broken) {
		fprintf(stderr, "losslab: %s\n", e->error != NULL ? e->error :
		    what);
		return -1;
	}
	if (ui_build_shown(u, e) == -1) {
		fprintf(stderr, "losslab: %s\n", _("out of memory"));
		return -1;
	}
	for (i = 0; i < u->nshown; i++) {
		if (&u->cat->v[u->shown[i]] == e) {
			*index = i;
			return 0;
		}
	}
	fprintf(stderr, "losslab: %s: %s\n", what,
	    _("not in the lesson catalogue"));
	return -1;
}

static int
ui_cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Hidden benchmark (LOSSLAB_BENCH_KEYS=N): time N keystrokes on a 32x10
   cross-entropy table, each key followed by recompute + draw + doupdate;
   with LOSSLAB_BENCH_TRAIN=1 on a training step that trains between the
   keys, each key arriving at a random moment of an idle turn and timed
   from there (so it includes what it waits for of the slice and of the
   turn's redraw; the turns are also timed apart), the loop sleeping as in
   poll between keys;
   with LOSSLAB_BENCH_PLOT=1 until the text plot is redrawn too, a bare
   `gnuplot -e` start timed after each key. */
static int
ui_bench(struct ui *u, int n)
{
	struct ui_bench_result	res;
	const char		*p = getenv("LOSSLAB_BENCH_PLOT");
	const char		*t = getenv("LOSSLAB_BENCH_TRAIN");
	int			 r, cols = COLS, lines = LINES;

	u->bench = p != NULL && strcmp(p, "1") == 0 ? UI_BENCH_PLOT :
	    t != NULL && strcmp(t, "1") == 0 ? UI_BENCH_TRAIN : UI_BENCH_TEXT;
	plotpane_setup(NULL);	/* text plots */
	r = lessonview_bench(u, n, &res);
	lessonview_free(u);	/* its pad goes before the screen */
	ui_done();
	if (r == -1) {
		fprintf(stderr, "losslab: benchmark failed\n");
		return 2;
	}
	if (u->bench == UI_BENCH_PLOT)
		printf("keystroke to redrawn numbers and text plot (32x10 "
		    "table, %d keys, %dx%d, %lu plots on %u gnuplot): median "
		    "%.3f ms, max %.3f ms; a bare gnuplot -e start, same run: "
		    "median %.3f ms\n", n, cols, lines, res.plots, res.starts,
		    res.median_ms, res.max_ms, res.gnuplot_median_ms);
	else if (u->bench == UI_BENCH_TRAIN)
		printf("keystroke to redrawn screen on a training step (mlp "
		    "H=16, 200 points, two runs, %d keys, %dx%d, each arriving "
		    "within 3 ms of a training turn's start, %lu epochs "
		    "trained between them): "
		    "median %.3f ms, 99th percentile %.3f ms, max %.3f ms, %d "
		    "over 5 ms; a training turn (its slice, cut short by a "
		    "key, and its redraw): median %.3f ms, 99th percentile "
		    "%.3f ms, max %.3f ms\n", n, cols, lines, res.epochs,
		    res.median_ms, res.p99_ms, res.max_ms, res.over5,
		    res.slice_median_ms, res.slice_p99_ms, res.slice_max_ms);
	else
		printf("keystroke to redrawn screen (32x10 table, %d keys, "
		    "%dx%d): median %.3f ms, max %.3f ms\n", n, cols, lines,
		    res.median_ms, res.max_ms);
	return 0;
}

double
ui_median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, ui_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
ui_main(const struct app_opts *app, const char *lesson)
{
	struct lesson_catalog	 cat = LESSON_CATALOG_INIT;
	struct ui		 u;
	size_t			 open = 0;
	const char		*bench;
	struct err		 err;
	int			 key, sig, lost = 0;

	memset(&u, 0, sizeof u);
	u.app = app;
	u.cat = &cat;
	u.lang = app != NULL && app->lang != NULL ? app->lang : i18n_lang();
	u.timeout_ms = -1;

	if (lesson_catalog_load(&cat, app) == -1) {
		fprintf(stderr, "losslab: %s\n", _("out of memory"));
		return 2;
	}
	if (lesson != NULL) {
		u.lesson_arg = 1;
		if (ui_resolve(&u, lesson, &open) == -1) {
			lesson_catalog_free(&cat);
			free(u.shown);
			return 2;
		}
	} else if (ui_build_shown(&u, NULL) == -1) {
		fprintf(stderr, "losslab: %s\n", _("out of memory"));
		lesson_catalog_free(&cat);
		return 2;
	}

	/* pictures? asked before curses owns the terminal */
	if (graphics_detect(app != NULL ? app->graphics : NULL, &u.gfx,
	    &err) != 0) {
		fprintf(stderr, "losslab: %s\n", err.msg);
		lesson_catalog_free(&cat);
		free(u.shown);
		return 2;
	}
	plotpane_setup(&u.gfx);
	atexit(ui_done);
	if (ui_init(app) == -1) {
		if (ui_term == TERM_NO_CURSOR)
			fprintf(stderr, "losslab: %s (TERM=%s); %s\n",
			    _("this terminal cannot move the cursor"),
			    getenv("TERM") != NULL ? getenv("TERM") : "",
			    _("losslab --dump LESSON prints a lesson, "
			    "losslab eval computes one loss"));
		else
			fprintf(stderr, "losslab: %s (TERM=%s); %s\n",
			    _("cannot start the terminal interface"),
			    getenv("TERM") != NULL ? getenv("TERM") : "",
			    _("losslab --dump LESSON prints a lesson, "
			    "losslab eval computes one loss"));
		lesson_catalog_free(&cat);
		free(u.shown);
		return 2;
	}

	bench = getenv("LOSSLAB_BENCH_KEYS");
	if (bench != NULL && atoi(bench) > 0) {
		u.status = ui_bench(&u, atoi(bench));
		goto out;
	}

	u.stack[u.depth++] = &list_screen;
	if (lesson != NULL) {
		u.cur = open;
		ui_act(&u, UI_OPEN_LESSON);
	}

	ui_draw(&u);
	while (!u.quit) {
		key = ui_getkey(u.timeout_ms, &lost);
		if ((sig = ui_signal) != 0) {
			u.status = 128 + sig;
			break;
		}
		if (lost) {
			u.status = 2;
			break;
		}
		if (key == UI_KEY_TIMEOUT) {
			/* an idle turn's redraw waits for a key that came
			   during it: the key's own draw shows both */
			if (COLS >= UI_MIN_COLS && LINES >= UI_MIN_ROWS &&
			    ui_top(&u)->idle != NULL && ui_top(&u)->idle(&u))
				u.dirty = 1;
			if (u.dirty && !ui_key_pending(&u)) {
				u.dirty = 0;
				ui_draw(&u);
			}
			continue;
		}
		if (key == 0) {
			if (u.dirty) {
				u.dirty = 0;
				ui_draw(&u);
			}
			continue;
		}
		u.dirty = 0;
		u.msg[0] = '\0';
		if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
			if (key == 'q' || key == 'Q')
				u.quit = 1;
			ui_draw(&u);
			continue;
		}
		if (ui_top(&u)->editing != NULL && ui_top(&u)->editing() &&
		    key != KEY_RESIZE)
			ui_act(&u, ui_top(&u)->key(&u, key));
		else if (!ui_global_key(&u, key))
			ui_act(&u, ui_top(&u)->key(&u, key));
		if (!u.quit)
			ui_draw(&u);
	}
out:
	lessonview_free(&u);	/* windows first, then the screen */
	ui_done();
	if (lost)
		fprintf(stderr, "losslab: %s\n", _("the terminal went away"));
	lesson_catalog_free(&cat);
	free(u.shown);
	return u.status;
}
