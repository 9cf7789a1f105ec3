/*
 * table.h -- the lesson screen's number tables: a tensor (struct mat) laid
 * out as a grid with sample labels (s0, s1, ...) and class or element
 * headers (c0, c1 / [0], [1]), each value in a fixed-width cell with the most
 * significant digits that fit, the selected cell highlighted, and columns
 * scrolled sideways when the table is wider than its pane.  table_flow()
 * places several tables left to right and wraps them like words.
 */
#ifndef LOSSLAB_UI_TABLE_H
#define LOSSLAB_UI_TABLE_H

#include <stddef.h>

#include "core/mat.h"
#include "ui/curses.h"

#define TABLE_CELLW	9	/* a cell, with its leading blank */

/* A display grid over a mat: 1-D values as one row, or as one column when
   column != 0 (class-index targets beside a 2-D input). */
struct table_grid {
	const struct mat *m;
	size_t	 rows, cols;
	int	 column;
};

/* A table block: its title, a grid, and how to draw it. */
struct table {
	const char	*title;
	struct table_grid g;
	int		 role;
	int		 focused;	/* draw the selection */
	size_t		 sr, sc;
	int		 hidden;	/* numbers shown as "?" */
	int		 coloff;	/* first column drawn */
	int		 rowlab;	/* draw sample labels */
	const char	*colhead;	/* header of a one-column view */
	/* Where table_draw put it, for mouse clicks: the title's line and
	   column, the columns c0 <= c < c1 shown; grid cell (r, c) is at line
	   at_y + 2 + r, columns table_cell_x(t, c) .. + TABLE_CELLW. */
	int		 at_y, at_x;
	size_t		 c0, c1;
};

/* The first column of grid column c of a drawn table. */
int	 table_cell_x(const struct table *t, size_t c);

/* View m as a grid: 2-D as is, 1-D as one row, or as one column when
   column != 0.  m may be NULL or empty (0 rows). */
void	 table_grid(struct table_grid *g, const struct mat *m, int column);
/* The mat coordinates (as step_set_cell takes them) of grid cell (r, c). */
void	 table_grid_coord(const struct table_grid *g, size_t r, size_t c,
	    size_t *mr, size_t *mc);
/* The value at grid cell (r, c); NaN outside. */
double	 table_grid_at(const struct table_grid *g, size_t r, size_t c);
/* v in at most w characters: the most significant digits that fit. */
const char *table_fmt(double v, int w, char *buf, size_t len);
/* Columns needed to show ncols columns of t; lines t takes. */
int	 table_width(const struct table *t, size_t ncols);
int	 table_height(const struct table *t);
/* Draw t at (y, x) in at most maxw columns; returns the width used. */
int	 table_draw(WINDOW *w, int y, int x, int maxw, struct table *t);
/* Draw n tables left to right from line y, wrapping at width; returns the
   lines used.  The line of a focused table's selected row goes to *sel_y
   (if not NULL). */
int	 table_flow(WINDOW *w, int y, int width, struct table *t, int n,
	    int *sel_y0, int *sel_y1);

#endif
