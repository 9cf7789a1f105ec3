/*
 * ui.c -- the explorer's entry point and main loop (see ui.h).
 *
 * Order of events: load the lesson catalogue and resolve the lesson argument
 * (errors print as "losslab: ..." before the terminal is touched), start
 * curses (ui_init), then loop: draw the current screen, read one key, give
 * it to the screen, which edits the live step and recomputes it at once.
 * KEY_RESIZE is handled here and nowhere else; below UI_MIN_COLS x
 * UI_MIN_ROWS a "terminal too small" screen replaces everything.
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
#include "ui/term.h"
#include "ui/ui.h"

/* Longest wait in getch before the loop looks at the signal flag. */
#define UI_WAKE_MS	500

static volatile sig_atomic_t	ui_signal;
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
	if (!term_usable())
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

/* Read one key: a curses KEY_* code, an ASCII character, or
   UI_KEY_TIMEOUT (timed out or interrupted: look at the signal flag).
   A terminal that has gone away makes getch fail at once, again and
   again; after many such failures *lost is set. */
static int
ui_getkey(int timeout_ms, int *lost)
{
	static int	fast_errors;
	wint_t		wch;
	int		r;
	double		t0;

	if (timeout_ms < 0 || timeout_ms > UI_WAKE_MS)
		timeout_ms = UI_WAKE_MS;
	timeout(timeout_ms);
	t0 = ui_now_ms();
	r = get_wch(&wch);
	if (r == ERR) {
		if (timeout_ms >= 20 && ui_now_ms() - t0 < timeout_ms / 4.0) {
			if (++fast_errors > 200)
				*lost = 1;
		} else
			fast_errors = 0;
		return UI_KEY_TIMEOUT;
	}
	fast_errors = 0;
	if (r == KEY_CODE_YES)
		return (int)wch;
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

static void
ui_draw(struct ui *u)
{
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		ui_draw_small();
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if (u->screen != UI_SCREEN_LESSON)
		u->timeout_ms = -1;
	switch (u->screen) {
	case UI_SCREEN_LIST:
		curs_set(0);
		list_draw(u);
		wnoutrefresh(stdscr);
		break;
	case UI_SCREEN_LESSON:
		/* Refreshes stdscr and its pad itself, cursor included. */
		lessonview_draw(u);
		break;
	case UI_SCREEN_HELP:
		curs_set(0);
		help_draw(u);
		wnoutrefresh(stdscr);
		break;
	}
	doupdate();
}

/* Keys every screen shares; returns 1 if the key was taken. */
static int
ui_global_key(struct ui *u, int key)
{
	switch (key) {
	case KEY_RESIZE:
		/* ncurses has resized stdscr; the next draw lays out anew. */
		clearok(curscr, TRUE);
		return 1;
	case 12:	/* ^L */
		clearok(curscr, TRUE);
		return 1;
	case '?':
	case KEY_F(1):
		if (u->screen != UI_SCREEN_HELP) {
			u->back = u->screen;
			u->screen = UI_SCREEN_HELP;
			return 1;
		}
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
	char		 err[512];
	size_t		 i, len = strlen(what);

	if (strchr(what, '/') != NULL ||
	    (len > 7 && strcmp(what + len - 7, ".lesson") == 0)) {
		e = lesson_catalog_find_path(u->cat, what);
		if (e == NULL) {
			l = lesson_load(what, err, sizeof err);
			if (l == NULL) {
				fprintf(stderr, "losslab: %s\n", err);
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
		l = lesson_find(u->app, what, u->lang, err, sizeof err);
		if (l != NULL) {	/* should not happen: not catalogued */
			lesson_free(l);
			snprintf(err, sizeof err, "no lesson '%s'", what);
		}
		fprintf(stderr, "losslab: %s\n", err);
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
   cross-entropy table, each key followed by recompute + draw + doupdate. */
static int
ui_bench(struct ui *u, int n)
{
	double	med = 0, max = 0;
	int	r, cols = COLS, lines = LINES;

	u->bench = 1;
	r = lessonview_bench(u, n, &med, &max);
	lessonview_free(u);	/* its pad goes before the screen */
	ui_done();
	if (r == -1) {
		fprintf(stderr, "losslab: benchmark failed\n");
		return 2;
	}
	printf("keystroke to redrawn screen (32x10 table, %d keys, "
	    "%dx%d): median %.3f ms, max %.3f ms\n", n, cols, lines, med,
	    max);
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
	int			 key, sig, lost = 0;

	memset(&u, 0, sizeof u);
	u.app = app;
	u.cat = &cat;
	u.lang = app != NULL && app->lang != NULL ? app->lang : i18n_lang();
	u.screen = UI_SCREEN_LIST;
	u.timeout_ms = -1;

	if (lesson_catalog_load(&cat, app) == -1) {
		fprintf(stderr, "losslab: %s\n", _("out of memory"));
		return 2;
	}
	if (lesson != NULL) {
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

	atexit(ui_done);
	if (ui_init(app) == -1) {
		fprintf(stderr, "losslab: %s (TERM=%s)\n",
		    _("cannot start the terminal interface"),
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		lesson_catalog_free(&cat);
		free(u.shown);
		return 2;
	}

	bench = getenv("LOSSLAB_BENCH_KEYS");
	if (bench != NULL && atoi(bench) > 0) {
		u.status = ui_bench(&u, atoi(bench));
		goto out;
	}

	if (lesson != NULL) {
		u.cur = open;
		if (lessonview_open(&u, open) == -1)
			u.screen = UI_SCREEN_LIST;
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
			if (u.screen == UI_SCREEN_LESSON &&
			    COLS >= UI_MIN_COLS && LINES >= UI_MIN_ROWS &&
			    lessonview_idle(&u))
				ui_draw(&u);
			continue;
		}
		if (key == 0)
			continue;
		u.msg[0] = '\0';
		if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
			if (key == 'q')
				u.quit = 1;
			ui_draw(&u);
			continue;
		}
		if (lessonview_editing() && key != KEY_RESIZE)
			lessonview_key(&u, key);
		else if (!ui_global_key(&u, key)) {
			switch (u.screen) {
			case UI_SCREEN_LIST:
				if (key == 'q' || key == 'Q')
					u.quit = 1;
				else
					list_key(&u, key);
				break;
			case UI_SCREEN_LESSON:
				lessonview_key(&u, key);
				break;
			case UI_SCREEN_HELP:
				help_key(&u, key);
				break;
			}
		}
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
