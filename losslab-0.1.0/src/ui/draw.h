/*
 * draw.h -- text output helpers for the explorer's screens: UTF-8 strings
 * clipped and wrapped by display width (text.h), in a colour role
 * (colors.h).  They draw into any curses window (stdscr or a pad) and never
 * write past the width they are given.
 */
#ifndef LOSSLAB_UI_DRAW_H
#define LOSSLAB_UI_DRAW_H

#include "ui/curses.h"

/* Draw s at (y, x) in role, at most cols columns; returns the columns used. */
int	 draw_str(WINDOW *w, int y, int x, int cols, int role, const char *s);
/* As draw_str, but a cut string ends in "…". */
int	 draw_trunc(WINDOW *w, int y, int x, int cols, int role, const char *s);
/* As draw_str, formatted. */
int	 draw_fmt(WINDOW *w, int y, int x, int cols, int role,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Draw s right-aligned in a field of cols columns ending before x + cols. */
int	 draw_right(WINDOW *w, int y, int x, int cols, int role, const char *s);
/* Fill cols columns at (y, x) with spaces in role. */
void	 draw_fill(WINDOW *w, int y, int x, int cols, int role);
/* Wrap s to cols columns and draw it from line y (at most maxlines lines;
   < 0: no limit); returns the number of lines the text takes (also those
   not drawn). */
int	 draw_wrapped(WINDOW *w, int y, int x, int cols, int maxlines,
	    int role, const char *s);
/* Number of lines s takes wrapped to cols columns. */
int	 draw_wrapped_lines(const char *s, int cols);

#endif
