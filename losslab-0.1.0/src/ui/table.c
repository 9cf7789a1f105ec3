/*
 * table.c -- number tables for the lesson screen (see table.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "step.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/draw.h"
#include "ui/table.h"


void
table_grid(struct table_grid *g, const struct mat *m, int column)
{
	size_t	n = m != NULL ? mat_numel(m) : 0;

	g->m = m;
	g->column = 0;
	if (m == NULL || n == 0) {
		g->rows = g->cols = 0;
		return;
	}
	if (m->ndim == 2) {
		g->rows = m->rows;
		g->cols = m->cols;
	} else if (column) {
		g->rows = n;
		g->cols = 1;
		g->column = 1;
	} else {
		g->rows = 1;
		g->cols = n;
	}
}

/* The mat coordinates (for step_set_cell) of grid cell (r, c). */
void
table_grid_coord(const struct table_grid *g, size_t r, size_t c, size_t *mr,
    size_t *mc)
{
	if (g->m->ndim == 2) {
		*mr = r;
		*mc = c;
	} else {
		*mr = 0;
		*mc = g->column ? r : c;
	}
}

double
table_grid_at(const struct table_grid *g, size_t r, size_t c)
{
	size_t	i = g->m->ndim == 2 ? r * g->m->cols + c :
	    (g->column ? r : c);

	return i < mat_numel(g->m) ? g->m->v[i] : NAN;
}

/* A number in at most w columns: the most significant digits that fit. */
const char *
table_fmt(double v, int w, char *buf, size_t len)
{
	int	prec;

	for (prec = 5; prec >= 1; prec--) {
		step_fmt(v, prec, buf, len);
		if ((int)strlen(buf) <= w)
			return buf;
	}
	return buf;
}


/* Columns a table needs to show ncols columns. */
int
table_width(const struct table *t, size_t ncols)
{
	int	w = (t->rowlab ? 5 : 0) + (int)ncols * TABLE_CELLW;
	int	tw = (int)text_width(t->title);

	return w > tw ? w : tw;
}

/* Lines a table takes (title, column header, rows). */
int
table_height(const struct table *t)
{
	return 2 + (int)(t->g.rows > 0 ? t->g.rows : 1);
}

/* Draw table t at (y, x) in at most maxw columns; returns the width. */
int
table_draw(WINDOW *w, int y, int x, int maxw, struct table *t)
{
	char	 buf[64];
	int	 lab = t->rowlab ? 5 : 0, fit, cx, role;
	size_t	 r, c, c0, c1;

	draw_str(w, y, x, maxw, t->focused ? ROLE_HEADING : ROLE_LABEL,
	    t->title);
	t->at_y = y;
	t->at_x = x;
	t->c0 = t->c1 = 0;
	if (t->g.rows == 0) {
		draw_str(w, y + 2, x, maxw, ROLE_LABEL, _("(empty)"));
		return maxw < 10 ? maxw : 10;
	}
	fit = (maxw - lab) / TABLE_CELLW;
	if (fit < 1)
		fit = 1;
	c0 = (size_t)t->coloff;
	if (c0 + (size_t)fit > t->g.cols)
		c0 = t->g.cols > (size_t)fit ? t->g.cols - (size_t)fit : 0;
	if (t->focused && t->sc < c0)
		c0 = t->sc;
	if (t->focused && t->sc >= c0 + (size_t)fit)
		c0 = t->sc - (size_t)fit + 1;
	c1 = c0 + (size_t)fit;
	if (c1 > t->g.cols)
		c1 = t->g.cols;
	t->c0 = c0;
	t->c1 = c1;
	/* Column header: class or element index. */
	for (c = c0; c < c1; c++) {
		cx = x + lab + (int)(c - c0) * TABLE_CELLW;
		if (t->g.column)
			snprintf(buf, sizeof buf, "%s",
			    t->colhead != NULL ? t->colhead : "");
		else if (t->g.m->ndim == 2)
			snprintf(buf, sizeof buf, "c%zu", c);
		else
			snprintf(buf, sizeof buf, "[%zu]", c);
		draw_right(w, y + 1, cx, TABLE_CELLW, ROLE_LABEL, buf);
	}
	if (c0 > 0)
		draw_str(w, y + 1, x, lab, ROLE_LABEL, "◀");
	if (c1 < t->g.cols)
		draw_str(w, y + 1, x + lab + (int)(c1 - c0) * TABLE_CELLW, 1,
		    ROLE_LABEL, "▶");
	for (r = 0; r < t->g.rows; r++) {
		if (t->rowlab) {
			snprintf(buf, sizeof buf, "s%zu", r);
			draw_str(w, y + 2 + (int)r, x, lab, ROLE_LABEL, buf);
		}
		for (c = c0; c < c1; c++) {
			cx = x + lab + (int)(c - c0) * TABLE_CELLW;
			if (t->hidden)
				snprintf(buf, sizeof buf, "?");
			else
				table_fmt(table_grid_at(&t->g, r, c),
				    TABLE_CELLW - 1, buf, sizeof buf);
			role = t->role;
			if (t->focused && r == t->sr && c == t->sc) {
				role = ROLE_SELECTION;
				draw_fill(w, y + 2 + (int)r, cx + 1,
				    TABLE_CELLW - 1, role);
			}
			draw_right(w, y + 2 + (int)r, cx + 1, TABLE_CELLW - 1,
			    role, buf);
		}
	}
	return table_width(t, c1 - c0);
}

int
table_cell_x(const struct table *t, size_t c)
{
	return t->at_x + (t->rowlab ? 5 : 0) + (int)(c - t->c0) * TABLE_CELLW;
}

/* Lay out tables left to right, wrapping; returns the lines used. */
int
table_flow(WINDOW *w, int y, int width, struct table *t, int n,
    int *sel_y0, int *sel_y1)
{
	int	i, x = 0, rowh = 0, used = 0, tw, th;

	for (i = 0; i < n; i++) {
		tw = table_width(&t[i], t[i].g.cols);
		if (tw > width)
			tw = width;
		th = table_height(&t[i]);
		if (x > 0 && x + tw > width) {
			used += rowh + 1;
			x = 0;
			rowh = 0;
		}
		table_draw(w, y + used, x, width - x, &t[i]);
		if (t[i].focused && sel_y0 != NULL) {
			*sel_y0 = y + used + 2 + (int)t[i].sr;
			*sel_y1 = *sel_y0;
		}
		if (th > rowh)
			rowh = th;
		x += tw + 2;
	}
	return used + rowh;
}

