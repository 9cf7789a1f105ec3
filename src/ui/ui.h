/*
 * ui.h -- the interactive explorer (ncursesw), and what its screens share.
 *
 * ui_main() is the explorer's one entry point.  It loads the lesson
 * catalogue before the terminal is touched (so that a bad lesson argument
 * prints an ordinary one-line error), then runs one loop: read a key, hand it
 * to the current screen, recompute the live step (step_compute), draw.
 * Each screen is a file with a *_draw and a *_key function: list.c (the
 * lesson list), lessonview.c (a lesson step: narrative, tables, options,
 * results, warnings, pitfall pane, plot pane), help.c (every key).  The
 * explorer computes nothing itself: numbers come from step.h (which calls
 * the loss core), curves from plot.h, text widths from text.h.  Only files
 * in src/ui/ include curses, through ui/curses.h.
 *
 * The declarations below the ui_main() line are private to src/ui/.
 */
#ifndef LOSSLAB_UI_UI_H
#define LOSSLAB_UI_UI_H

#include <stddef.h>

#include "app.h"
#include "ui/graphics.h"

/*
 * Run the explorer on the terminal.  lesson is an id or a lesson file path
 * to open directly, or NULL for the lesson list.  The terminal is always
 * restored before returning (also on SIGINT/SIGTERM/SIGHUP and on errors).
 * Returns the exit status: 0 after `q`, 2 after an error printed as
 * "losslab: ..." (unknown or broken lesson, no terminal), 128+signal after
 * SIGINT/SIGTERM/SIGHUP, 2 when the terminal goes away.
 */
int	 ui_main(const struct app_opts *app, const char *lesson);

/* ---- private to src/ui/ ------------------------------------------------- */

struct lesson_catalog;
struct step;
struct ui;

/* What a screen's key handler asks for next (htop's way: the handler says,
   the loop does). */
enum ui_action {
	UI_STAY,		/* handled or ignored: draw this screen again */
	UI_BACK,		/* close this screen, back to the one below */
	UI_QUIT,		/* leave losslab (asks first when edits would
				   be lost) */
	UI_OPEN_HELP,		/* the key reference, above this screen */
	UI_OPEN_LESSON,		/* lesson u->cur, above the list */
	UI_OPEN_ZOOM		/* the current plot on the whole screen */
};

/*
 * A screen, as tmux's window modes are: the loop keeps a stack of them
 * (list, then a lesson, then help or the zoomed plot), draws the top one and
 * gives it the keys.  open (may be NULL) runs when the screen is pushed: 0,
 * or -1 with a message and the screen is not opened.  draw lays out stdscr
 * (and any pads) with wnoutrefresh; the loop calls doupdate.  idle (may be
 * NULL) runs when no key came in time: 1 if the screen must be drawn again.
 * close (may be NULL) runs when it is popped.  editing (may be NULL) says
 * whether an editor line of the screen takes every key just now (then ?,
 * Q and the rest go to it as text).
 */
struct ui_screen {
	const char	*name;
	int		(*open)(struct ui *);
	void		(*draw)(struct ui *);
	enum ui_action	(*key)(struct ui *, int);
	int		(*idle)(struct ui *);
	void		(*close)(struct ui *);
	int		(*editing)(void);
};

extern const struct ui_screen list_screen;	/* list.c */
extern const struct ui_screen lesson_screen;	/* lessonview.c */
extern const struct ui_screen help_screen;	/* help.c */
extern const struct ui_screen zoom_screen;	/* lessonview.c */

/* Smallest usable terminal; below it a "terminal too small" screen. */
#define UI_MIN_COLS	40
#define UI_MIN_ROWS	12

/* Special key codes beyond curses' own (returned by the loop, not getch). */
#define UI_KEY_TIMEOUT	(-2)	/* getch timed out (autoplay, plot refresh) */
/* A character beyond ASCII (typed text: the editor line takes it). */
#define UI_KEY_CHARBIT	0x1000000
#define UI_KEY_CHAR(cp)	(UI_KEY_CHARBIT | (cp))
#define UI_KEY_IS_CHAR(k) ((k) > 0 && ((k) & UI_KEY_CHARBIT) != 0)

#define UI_STACK_MAX	4

struct ui {
	const struct app_opts	*app;
	struct lesson_catalog	*cat;
	const char		*lang;		/* "en" or "zh" */

	const struct ui_screen	*stack[UI_STACK_MAX];
	int			 depth;		/* stack[depth - 1] is shown */
	int			 quit;
	int			 quit_asked;	/* a quit was refused once for
						   unsaved edits */
	int			 status;	/* exit status */

	char			 msg[512];	/* the status line message */
	int			 msg_role;	/* its colour role */

	/* The lessons shown: indexes into cat->v, one per lesson id (in the
	   interface language when there is one). */
	size_t			*shown;
	size_t			 nshown;
	size_t			 cur;		/* the list's selection */

	int			 timeout_ms;	/* getch timeout wanted by the
						   screen; -1: block */
	struct graphics		 gfx;		/* sixel or text plots */
	int			 bench;		/* UI_BENCH_* (0: none) */
	double			 bench_key_at;	/* the training benchmark: when
						   its key "arrives" (ms,
						   CLOCK_MONOTONIC; 0: none) */
	int			 dirty;		/* an idle turn's redraw was put
						   off for a waiting key */
	int			 lesson_arg;	/* opened with a LESSON argument:
						   autoplay stays in it */

	/* The last mouse event (a key KEY_MOUSE): where and which button
	   (the BUTTON*_ bits of ncurses), for the screens. */
	int			 mouse_y, mouse_x;
	unsigned long		 mouse_bstate;
};

/* 1 when a key waits on the terminal (or, in the training benchmark, its
   simulated key has arrived), so that long work between keys -- a training
   slice, the redraw after it -- gives way to it; 0 else.  One poll(2) with
   no wait: cheap enough to ask between epochs.  Keys curses has already
   read into its own queue are not seen (it reads one byte at a time, so
   these are the rest of an escape sequence at most). */
int	 ui_key_pending(const struct ui *u);

/* The screen on top of the stack. */
const struct ui_screen *ui_top(const struct ui *u);

/* Add the lesson file at path (just saved) to the catalogue and the list,
   keeping the open lesson open.  0, or -1 when out of memory. */
int	 ui_catalog_add(struct ui *u, const char *path);

/* Set the status line message (role: a colors_role). */
void	 ui_message(struct ui *u, int role, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* lessonview.c, beside its screens. */
/* Open shown lesson `shown` on the lesson screen's state (n/N, the loop's
   UI_OPEN_LESSON); 0, or -1 with a message. */
int	 lessonview_open(struct ui *u, size_t shown);
/* How many lessons hold edits that are not saved. */
size_t	 lessonview_unsaved(const struct ui *u);
void	 lessonview_free(struct ui *u);
/* The list of shown lessons changed (a lesson was added): keep every
   lesson's live state under its new index. */
void	 lessonview_catalog_changed(struct ui *u);
/* The benchmarks: keys without the plot, or keys until the text plot is
   redrawn, with a bare gnuplot start timed after each. */
enum { UI_BENCH_TEXT = 1, UI_BENCH_PLOT, UI_BENCH_TRAIN };
struct ui_bench_result {
	double		 median_ms, max_ms;	/* key to redrawn screen */
	double		 gnuplot_median_ms;	/* a bare `gnuplot -e` start */
	unsigned long	 plots;			/* plots drawn */
	unsigned	 starts;		/* gnuplot processes started */
	double		 slice_max_ms;		/* training: the longest idle
						   turn (its slice + draw) */
	unsigned long	 epochs;		/* training: epochs trained */
	double		 p99_ms;		/* key to redrawn screen */
	double		 slice_median_ms, slice_p99_ms;
	int		 over5;			/* keys over 5 ms */
};
/* Open a 32x10 cross-entropy table and time n keys (u->bench says
   which benchmark); 0, or -1. */
int	 lessonview_bench(struct ui *u, int n, struct ui_bench_result *res);

/* The median of n values (sorts v). */
double	 ui_median(double *v, int n);

#endif
