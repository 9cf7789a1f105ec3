/*
 * plotpane.h -- the lesson screen's plot pane: a gnuplot plot that never
 * blocks the keys.
 *
 * One gnuplot (src/gnuplot.c) serves the whole explorer session.  The
 * pane records what should be shown (plotpane_want, from the draw that
 * follows every key); the main loop moves the job on whenever it waits for
 * a key (plotpane_step), so a plot costs gnuplot's work, not its start,
 * and typing never waits for it.  Requests coalesce: while a job runs,
 * newer wants only replace what is sent next, and the newest is sent when
 * it ends.  A job that outlives its time (LOSSLAB_PLOT_TIMEOUT_MS, 5 s)
 * has gnuplot killed; the pane says so, the numbers stay live, and the
 * next plot starts a new gnuplot.  A plot older than the numbers is shown
 * only for a moment (PLOTPANE_STALE_MS), then "plotting..." instead.
 *
 * Text plots are gnuplot's `dumb` terminal, coloured by curve (gnuplot's
 * own escape codes are never passed through).  Where the terminal shows
 * sixel (graphics.h) and the pane sits at a fixed place on the screen (the
 * right-hand pane, the zoomed plot), the plot is a `sixelgd` picture sized
 * to the pane in pixels: the pane's cells stay blank for curses and the
 * picture is written to the terminal after each update that needs it (a
 * new picture, a move, a repaint), between a cursor save and restore; a
 * picture that must go is erased by a full repaint.  Only a sixel image
 * that passes plot_check_sixel (ESC P ... q, printable data, ESC \) is
 * ever written.
 */
#ifndef LOSSLAB_UI_PLOTPANE_H
#define LOSSLAB_UI_PLOTPANE_H

#include "plot.h"
#include "ui/curses.h"
#include "ui/graphics.h"

#define PLOTPANE_STALE_MS	400	/* an old plot shown at most this
					   long after the numbers changed */

/* The terminal's graphics (sixel or text, cell size); before any want. */
void	 plotpane_setup(const struct graphics *g);
/* Record the plot wanted at w x h characters (req NULL: no plot, and msg,
   if not NULL, says why); picture: 1 if the pane will be drawn at a fixed
   place of stdscr, where a sixel picture may stand.  req's cells must stay
   valid until the next plotpane_want(): the main loop draws, hence wants
   again, after every key. */
void	 plotpane_want(const struct plot_req *req, int w, int h,
	    const char *msg, int picture);
/* 1 if the wanted plot is not the one on screen. */
int	 plotpane_stale(void);
/* Move the plotting on without blocking: send the wanted plot when gnuplot
   is free, take a finished one.  Returns 1 if the pane changed. */
int	 plotpane_step(void);
/* How long the main loop may wait for a key before plotpane_step() has
   something to do: -1 (nothing to do), 0 (at once) or milliseconds. */
int	 plotpane_wait_ms(void);
/* The descriptors the loop may wait on with poll(2) beside the terminal:
   the running job's pipes (at most max); how many. */
struct pollfd;
int	 plotpane_fds(struct pollfd *fds, int max);
/* Draw the plot (or a message) into w at (y, x), cols x rows. */
void	 plotpane_draw(WINDOW *w, int y, int x, int cols, int rows);
/* Around each screen update: before any drawing (begin), before
   doupdate (end: a picture that must go makes curses repaint the whole
   screen), after doupdate (flush: the picture is written where needed). */
void	 plotpane_frame_begin(void);
void	 plotpane_frame_end(void);
void	 plotpane_flush(void);
/* The screen is being repainted (Ctrl-L, a resize): draw the picture
   again after it. */
void	 plotpane_repaint(void);
/* The request on screen (for export), or NULL if none. */
const struct plot_req *plotpane_request(void);
/* What the pane has done, for tests and benchmarks: gnuplot processes
   started, plots finished. */
void	 plotpane_stats(unsigned *starts, unsigned long *plots);
/* Forget the plots and stop gnuplot. */
void	 plotpane_free(void);

#endif
