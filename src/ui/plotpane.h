/*
 * plotpane.h -- the lesson screen's plot pane: a gnuplot `dumb` plot from
 * plot_dumb(), coloured by curve (gnuplot's own escape codes are never
 * passed through), with the current input marked.
 *
 * gnuplot is not run on every keystroke: the pane caches the last plot by
 * request (its `losslab plot` arguments, plot_req_args) and size.  plotpane_want() only records what should be shown;
 * plotpane_refresh() runs gnuplot when the wanted plot differs from the
 * cached one, and the main loop calls it when no key is pending, so typing
 * never waits for gnuplot.  Meanwhile the old plot stays on screen.
 */
#ifndef LOSSLAB_UI_PLOTPANE_H
#define LOSSLAB_UI_PLOTPANE_H

#include "plot.h"
#include "ui/curses.h"

/* Record the plot wanted at w x h characters (req NULL: no plot, and msg,
   if not NULL, says why).  req's cells must stay valid until the next
   plotpane_want(): the main loop draws, hence wants again, after every
   key, before it refreshes. */
void	 plotpane_want(const struct plot_req *req, int w, int h,
	    const char *msg);
/* 1 if the wanted plot is not the cached one (a refresh would run gnuplot). */
int	 plotpane_stale(void);
/* Run gnuplot for the wanted plot if stale; returns 1 if the pane changed. */
int	 plotpane_refresh(void);
/* Draw the cached plot (or a message) into w at (y, x), cols x rows. */
void	 plotpane_draw(WINDOW *w, int y, int x, int cols, int rows);
/* The request on screen (for export), or NULL if none. */
const struct plot_req *plotpane_request(void);
/* Forget the cache. */
void	 plotpane_free(void);

#endif
