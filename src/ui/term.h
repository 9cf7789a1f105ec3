/*
 * term.h -- whether $TERM names a terminal curses can drive.
 */
#ifndef LOSSLAB_UI_TERM_H
#define LOSSLAB_UI_TERM_H

enum term_state {
	TERM_OK,		/* curses can drive it */
	TERM_UNKNOWN,		/* no terminfo entry for $TERM */
	TERM_NO_CURSOR		/* it cannot address the cursor (dumb) */
};

/* Whether $TERM names a terminal curses can drive; leaves nothing
   allocated and does not touch the terminal's modes. */
enum term_state	 term_usable(void);

#endif
