/*
 * edit.c -- the cell editor line (see edit.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/colors.h"
#include "ui/draw.h"
#include "ui/edit.h"

void
edit_begin(struct edit *ed, const char *prompt, const char *initial)
{
	memset(ed, 0, sizeof *ed);
	ed->active = 1;
	strncpy(ed->prompt, prompt, sizeof ed->prompt - 1);
	strncpy(ed->buf, initial != NULL ? initial : "", sizeof ed->buf - 1);
	ed->len = (int)strlen(ed->buf);
	ed->cur = ed->len;
	ed->fresh = 1;
}

enum edit_result
edit_key(struct edit *ed, int key)
{
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		ed->active = 0;
		return EDIT_COMMIT;
	case 27:		/* Esc */
	case 7:			/* ^G */
		ed->active = 0;
		return EDIT_CANCEL;
	case KEY_LEFT:
		if (ed->cur > 0)
			ed->cur--;
		break;
	case KEY_RIGHT:
		if (ed->cur < ed->len)
			ed->cur++;
		break;
	case KEY_HOME:
	case 1:			/* ^A */
		ed->cur = 0;
		break;
	case KEY_END:
	case 5:			/* ^E */
		ed->cur = ed->len;
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (ed->cur > 0) {
			memmove(ed->buf + ed->cur - 1, ed->buf + ed->cur,
			    (size_t)(ed->len - ed->cur + 1));
			ed->cur--;
			ed->len--;
		}
		break;
	case KEY_DC:
		if (ed->cur < ed->len) {
			memmove(ed->buf + ed->cur, ed->buf + ed->cur + 1,
			    (size_t)(ed->len - ed->cur));
			ed->len--;
		}
		break;
	case 21:		/* ^U */
		ed->buf[0] = '\0';
		ed->len = ed->cur = 0;
		break;
	default:
		if (key < 0x20 || key > 0x7e)
			return EDIT_CONTINUE;	/* ignored */
		if (ed->fresh) {
			ed->buf[0] = '\0';
			ed->len = ed->cur = 0;
		}
		if (ed->len + 1 >= EDIT_MAX)
			break;
		memmove(ed->buf + ed->cur + 1, ed->buf + ed->cur,
		    (size_t)(ed->len - ed->cur + 1));
		ed->buf[ed->cur++] = (char)key;
		ed->len++;
		break;
	}
	ed->fresh = 0;
	return EDIT_CONTINUE;
}

void
edit_draw(struct edit *ed, WINDOW *w, int y, int x, int cols)
{
	int	pw, avail, start;

	draw_fill(w, y, x, cols, ROLE_NORMAL);
	pw = draw_str(w, y, x, cols, ROLE_HEADING, ed->prompt);
	if (pw < cols)
		pw += draw_str(w, y, x + pw, cols - pw, ROLE_NORMAL, " ");
	avail = cols - pw - 1;
	if (avail < 1)
		return;
	/* Scroll the text so that the cursor stays visible. */
	start = ed->cur > avail ? ed->cur - avail : 0;
	draw_fill(w, y, x + pw, avail + 1, ROLE_EDIT);
	draw_str(w, y, x + pw, avail, ed->fresh ? ROLE_SELECTION : ROLE_EDIT,
	    ed->buf + start);
	wmove(w, y, x + pw + ed->cur - start);
}

