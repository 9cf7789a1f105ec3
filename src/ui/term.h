/*
 * term.h -- whether $TERM names a terminal curses can drive.
 */
#ifndef LOSSLAB_UI_TERM_H
#define LOSSLAB_UI_TERM_H

/* 1 if the terminal description of $TERM loads, else 0; leaves nothing
   allocated and does not touch the terminal's modes. */
int	 term_usable(void);

#endif
