/*
 * dump.h -- `losslab --dump LESSON`: every step of a lesson as plain text,
 * as the explorer's screen would show it, without a terminal (handouts,
 * tests).  Output is UTF-8 wrapped to $COLUMNS (default 80) columns.
 */
#ifndef LOSSLAB_DUMP_H
#define LOSSLAB_DUMP_H

#include <stdio.h>

#include "app.h"
#include "lesson.h"
#include "session.h"
#include "step.h"

/* dump flags */
#define DUMP_EDITS	0x1	/* say where the values are the learner's */

/* Print lesson `lesson` (an id or a path) to stdout; returns the exit
   status: 0, or 2 after "losslab: ..." on stderr (unknown or broken
   lesson), or 2 alone when standard output failed (main.c says so at
   exit). */
int	 dump_main(const struct app_opts *app, const char *lesson);
/* Print a whole lesson, with its own values, wrapped to cols columns; 0,
   or -1 when out of memory or a step cannot be set up. */
int	 dump_lesson(FILE *out, const struct lesson *l, int cols);
/* Print every step of a live session as it stands (its current step
   changes; questions are revealed, as a handout shows answers); 0 or -1. */
int	 dump_session(FILE *out, struct session *ss, int cols,
	    unsigned flags);
/* Print the session's current step (heading "Step n/N: title" included);
   its question is revealed.  0 or -1. */
int	 dump_step(FILE *out, struct session *ss, int cols, unsigned flags);
/* One line saying what the reduced value is, e.g. "mean over 3 elements";
   written into buf. */
const char *dump_value_what(const struct step *s, char *buf, size_t len);

#endif
