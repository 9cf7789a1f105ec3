/*
 * lessonview.h -- private to the lesson screen's three files: its state
 * (lessonview.c: the open lessons' sessions, what is selected, the editor
 * line), its drawing (lessondraw.c) and its keys (lessonkeys.c).  Nothing
 * outside those files includes it; the rest of the explorer sees the lesson
 * screen through ui.h (lesson_screen, zoom_screen, lessonview_*).
 */
#ifndef LOSSLAB_UI_LESSONVIEW_H
#define LOSSLAB_UI_LESSONVIEW_H

#include <stddef.h>
#include <time.h>

#include "core/curve.h"
#include "session.h"
#include "ui/curses.h"
#include "ui/edit.h"
#include "ui/table.h"
#include "ui/ui.h"

#define LV_PLOT_MIN_W	40	/* narrower: the plot goes under the text */
#define LV_WIDE		96	/* from here the plot is a right-hand pane */
#define LV_NOPTS	16	/* more than the option table has */

enum lv_focus {
	LV_INPUT,
	LV_TARGET,
	LV_OPTIONS
};

/* The screen's state of one step: what is focused and selected. */
struct lv_step {
	enum lv_focus	 focus;
	size_t		 r, c;		/* selection in the input/target */
	size_t		 ir, ic;	/* the last input cell selected */
	size_t		 opt, optel;	/* selection in the options */
	int		 scroll;	/* first pad line shown */
};

/* One lesson as the screen keeps it: its session, and per step the above. */
struct lv_lesson {
	const struct lesson *lesson;
	int		 live;		/* ss is set up */
	struct session	 ss;
	struct lv_step	*steps;
};

/* What the editor line is editing. */
enum lv_editing {
	LV_EDIT_CELL,
	LV_EDIT_OPTION,
	LV_EDIT_GUESS,
	LV_EDIT_TITLE,
	LV_EDIT_EXPORT		/* the folder of an export */
};

/* A place on the screen a click means something for (recorded by the
   drawing, read by the keys): a table cell or a choice. */
enum lv_hit_kind {
	LV_HIT_CELL,
	LV_HIT_CHOICE
};

struct lv_hit {
	enum lv_hit_kind kind;
	int		 y, x0, x1;	/* pad line, columns [x0, x1) */
	enum step_field	 field;		/* a cell: its table */
	size_t		 r, c;		/* ... its grid cell */
	int		 choice;	/* a choice: its index */
};

#define LV_HITS_MAX	128

/* The lesson screen's state (lessonview.c). */
struct lv_state {
	struct lv_lesson *lessons;	/* one per shown lesson */
	size_t		 n;
	size_t		 cur;		/* shown index of the open lesson */

	struct lv_lesson bench;		/* the benchmark's synthetic lesson */
	int		 in_bench;

	struct edit	 ed;
	enum lv_editing	 editing;
	enum step_field	 ed_field;
	size_t		 ed_r, ed_c;
	size_t		 ed_opt;

	struct curve_cells cells;	/* the plot request's cells */

	WINDOW		*pad;
	int		 padw, padh;
	int		 top;		/* screen line of the pad's first */
	int		 sel_y0, sel_y1;	/* pad lines of the selection */
	int		 follow;	/* scroll to the selection */

	struct lv_hit	 hits[LV_HITS_MAX];
	int		 nhits;

	struct timespec	 next_auto;	/* autoplay: when to step */
	int		 auto_on;
	int		 auto_paused;	/* Space paused it */
	int		 export_ask;	/* e or E asked for the format: 0 none,
					   1 this plot, 2 every plot */
	int		 export_all;	/* the folder is asked for E */
	int		 export_fmt;	/* enum plot_format chosen */
	char		 export_dir[1024]; /* the last folder (else .) */
	double		 train_last;	/* a training step: when its runs
					   last advanced (lessonview_now) */
	double		 train_drawn;	/* ... when an idle turn last drew
					   them (lessonview_now) */
	int		 train_undrawn;	/* epochs trained since */
};

extern struct lv_state lv;

/* lessonview.c: the open lesson, its session, the current step's screen
   state and live step (each NULL when no lesson is open). */
struct lv_lesson *lessonview_lesson(void);
struct session	*lessonview_ss(void);
struct lv_step	*lessonview_ui(void);
struct step	*lessonview_st(void);
/* The grid of a step field as the screen shows it. */
void		 lessonview_grid(struct step *s, enum step_field f,
		    struct table_grid *g);
/* Whether the results are hidden behind an unanswered question. */
int		 lessonview_hidden(void);
/* Tell the learner what an edit did: its error, or what else it changed. */
void		 lessonview_report(struct ui *u, int rc, const struct err *e);
/* Keep the selection inside the tables after an edit changed shapes. */
void		 lessonview_clamp(void);
/* Seconds on the monotonic clock; arm the autoplay timer. */
double		 lessonview_now(void);
void		 lessonview_autoplay_arm(struct ui *u);
/* Autoplay's next move (a kiosk): reveal the question's answer, else the
   next step, the next lesson (from the list) or, with --loop, the start
   again with every question unanswered; else it ends, saying so. */
void		 lessonview_autoplay_tick(struct ui *u);
/* Whether autoplay is playing (on and not paused): edits are off. */
int		 lessonview_autoplaying(void);
/* The loop's next wake-up: the plot's and autoplay's, whichever first. */
void		 lessonview_timeout(struct ui *u);

/* lessondraw.c: the lesson screen and the zoomed plot. */
void		 lessondraw_lesson(struct ui *u);
void		 lessondraw_zoom(struct ui *u);

/* lessonkeys.c: their keys; going to step i of the open lesson, or to the
   next (dir 1) or previous (-1) lesson of the list (also for autoplay). */
enum ui_action	 lessonkeys_lesson(struct ui *u, int key);
enum ui_action	 lessonkeys_zoom(struct ui *u, int key);
void		 lessonkeys_goto_step(struct ui *u, size_t i);
void		 lessonkeys_next_lesson(struct ui *u, int dir);
/* v: reveal the answer of the step's question, the text from its top. */
void		 lessonkeys_reveal(struct ui *u);

#endif
