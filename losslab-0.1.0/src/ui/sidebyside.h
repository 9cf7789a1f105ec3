/*
 * sidebyside.h -- the pitfall pane of the lesson screen: the correct
 * pipeline and the pitfall pipeline on the learner's own inputs, side by
 * side -- their PyTorch lines, values, per-element losses and gradients --
 * with every pitfall number that differs from the correct one highlighted.
 */
#ifndef LOSSLAB_UI_SIDEBYSIDE_H
#define LOSSLAB_UI_SIDEBYSIDE_H

#include <stddef.h>

#include "session.h"
#include "step.h"
#include "ui/curses.h"

/* Most element rows listed per quantity before "... n more". */
#define SIDEBYSIDE_ROWS	12

/*
 * Draw the pane for the session's current step (which shows a pitfall:
 * session_cmp) at (y, x) in cols columns into w; row is the input row whose
 * elements are listed for a 2-D input; hidden replaces the numbers by "?"
 * (predict-first question not answered yet).  Returns the number of lines
 * used (0 when no pitfall is shown).  w may be NULL to only count lines.
 */
int	 sidebyside_draw(WINDOW *w, int y, int x, int cols,
	    const struct session *ss, size_t row, int hidden);

/* The pitfall's value minus the correct one, signed ("+0.2329"), as
   the template {diff} renders it. */
void	 sidebyside_diff(const struct step *s, char *buf, size_t len);

/* Whether two results differ where it shows: their 6-significant-digit
   forms (as displayed) are not the same. */
int	 sidebyside_differ(double a, double b);

#endif
