/*
 * edit.h -- the one-line editor on the status line: a cell's value, a
 * guess for a predict-first question, the title of a saved lesson.
 *
 * It behaves like a spreadsheet cell: it opens showing the old value, and
 * the first character typed replaces it (arrows, Home/End or Backspace first
 * keep it for editing instead).  Enter commits, Esc cancels.  Printable
 * text in UTF-8 is accepted (characters beyond ASCII arrive as
 * UI_KEY_CHAR(code point)); control characters never enter it.
 */
#ifndef LOSSLAB_UI_EDIT_H
#define LOSSLAB_UI_EDIT_H

#include "ui/curses.h"

#define EDIT_MAX	256	/* bytes, with the NUL */

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
