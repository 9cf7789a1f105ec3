/*
 * graphics.h -- whether the explorer can draw its plots as pictures (sixel)
 * on this terminal, found out before curses starts.
 *
 * `--graphics auto|sixel|text` (or LOSSLAB_GRAPHICS) chooses: text never
 * asks the terminal; sixel trusts it; auto asks (the primary device
 * attributes, attribute 4) and falls back to text plots wherever the
 * answer is missing, says no, or the cell size in pixels is unknown.
 */
#ifndef LOSSLAB_UI_GRAPHICS_H
#define LOSSLAB_UI_GRAPHICS_H

#include <stddef.h>

#include "core/mat.h"

enum graphics_mode {
	GRAPHICS_TEXT,
	GRAPHICS_SIXEL
};

struct graphics {
	enum graphics_mode mode;
	int		 cell_w, cell_h;	/* pixels of one character */
	int		 max_w, max_h;		/* the largest picture the
						   terminal shows (XTSMGRAPHICS),
						   0: not known */
	const char	*why;			/* the reason for the mode */
};

/* Decide the mode for want ("auto", "sixel", "text"; NULL: auto) into *g.
   0, or -1 with err set when want is none of them.  Never blocks for more
   than a quarter of a second; restores the terminal's modes. */
int	 graphics_detect(const char *want, struct graphics *g,
	    struct err *err);
/* After a resize: the cell size again (TIOCGWINSZ). */
void	 graphics_resized(struct graphics *g);

#endif
