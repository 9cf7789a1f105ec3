/*
 * edit.h -- the one-line editor used to type a cell's value (and a guess
 * for a predict-first question) on the status line.
 *
 * It behaves like a spreadsheet cell: it opens showing the old value, and
 * the first character typed replaces it (arrows, Home/End or Backspace first
 * keep it for editing instead).  Enter commits, Esc cancels.  Only printable
 * ASCII is accepted: numbers are all it is for.
 */
#ifndef LOSSLAB_UI_EDIT_H
#define LOSSLAB_UI_EDIT_H

#include "ui/curses.h"

#define EDIT_MAX	64

enum edit_result {
	EDIT_CONTINUE,	/* key consumed, still editing */
	EDIT_COMMIT,	/* Enter: take buf */
	EDIT_CANCEL	/* Esc: drop it */
};

struct edit {
	int	 active;
	char	 prompt[128];
	char	 buf[EDIT_MAX];
	int	 len, cur;	/* bytes; the text is ASCII */
	int	 fresh;		/* the next character replaces buf */
};

/* Start editing with the old value shown. */
void	 edit_begin(struct edit *ed, const char *prompt, const char *initial);
/* Feed a key (curses code or character). */
enum edit_result edit_key(struct edit *ed, int key);
/* Draw the prompt and the text at (y, x) in cols columns; places the
   cursor. */
void	 edit_draw(struct edit *ed, WINDOW *w, int y, int x, int cols);

#endif
