/*
 * trainchart.h -- the live chart of a training step (session.h, struct
 * session_train): both runs' loss and accuracy against the epoch, drawn
 * with curses characters, the correct run and the pitfall run side by
 * side on the same scales.
 */
#ifndef LOSSLAB_UI_TRAINCHART_H
#define LOSSLAB_UI_TRAINCHART_H

#include "session.h"
#include "ui/curses.h"

/* Lines the chart takes (hidden: the lines of its one sentence). */
#define TRAINCHART_LINES	14

/*
 * Draw the current step's chart into w at line y, width columns (at least
 * 40); hidden: the question is not answered yet (one line saying so).
 * Returns the lines drawn (0 when the step does not train).
 */
int	 trainchart_draw(WINDOW *w, int y, int width,
	    const struct session *ss, int hidden);

/* b: the panels show each run's decision map instead of its curves, or
   back; returns 1 (maps) or 0 (curves), -1 when the step does not train
   or its data are not 2-D (nothing changes). */
int	 trainchart_toggle(const struct session *ss);

#endif
