/*
 * edit.c -- the editor line (see edit.h).  The text is UTF-8; the cursor
 * is a byte offset that always sits at a character boundary.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/colors.h"
#include "ui/draw.h"
#include "text.h"
#include "ui/edit.h"
#include "ui/ui.h"

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

/* The start of the character before byte offset i. */
static int
edit_prev(const struct edit *ed, int i)
{
	if (i <= 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)ed->buf[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* The offset after the character at byte offset i. */
static int
edit_next(const struct edit *ed, int i)
{
	if (i >= ed->len)
		return ed->len;
	i++;
	while (i < ed->len && ((unsigned char)ed->buf[i] & 0xc0) == 0x80)
		i++;
	return i;
}

/* UTF-8 of code point cp into out (at least 4 bytes); its length. */
static int
edit_utf8(unsigned int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		if (cp >= 0xd800 && cp < 0xe000)
			return 0;
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

enum edit_result
edit_key(struct edit *ed, int key)
{
	char	u8[4];
	int	n, p;

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
		ed->cur = edit_prev(ed, ed->cur);
		break;
	case KEY_RIGHT:
		ed->cur = edit_next(ed, ed->cur);
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
			p = edit_prev(ed, ed->cur);
			memmove(ed->buf + p, ed->buf + ed->cur,
			    (size_t)(ed->len - ed->cur + 1));
			ed->len -= ed->cur - p;
			ed->cur = p;
		}
		break;
	case KEY_DC:
		if (ed->cur < ed->len) {
			p = edit_next(ed, ed->cur);
			memmove(ed->buf + ed->cur, ed->buf + p,
			    (size_t)(ed->len - p + 1));
			ed->len -= p - ed->cur;
		}
		break;
	case 21:		/* ^U */
		ed->buf[0] = '\0';
		ed->len = ed->cur = 0;
		break;
	default:
		if (UI_KEY_IS_CHAR(key))
			n = edit_utf8((unsigned int)(key & ~UI_KEY_CHARBIT), u8);
		else if (key >= 0x20 && key <= 0x7e)
			n = edit_utf8((unsigned int)key, u8);
		else
			return EDIT_CONTINUE;	/* ignored */
		/* no controls, no combining marks on their own */
		if (n == 0 || (n > 1 && text_cp_width((unsigned int)(key &
		    ~UI_KEY_CHARBIT)) == 0))
			return EDIT_CONTINUE;
		if (ed->fresh) {
			ed->buf[0] = '\0';
			ed->len = ed->cur = 0;
		}
		if (ed->len + n >= EDIT_MAX)
			break;
		memmove(ed->buf + ed->cur + n, ed->buf + ed->cur,
		    (size_t)(ed->len - ed->cur + 1));
		memcpy(ed->buf + ed->cur, u8, (size_t)n);
		ed->cur += n;
		ed->len += n;
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
	/* Scroll the text (by characters) so that the cursor stays
	   visible. */
	start = 0;
	while ((int)text_width_n(ed->buf + start, (size_t)(ed->cur - start)) >
	    avail)
		start = edit_next(ed, start);
	draw_fill(w, y, x + pw, avail + 1, ROLE_EDIT);
	draw_str(w, y, x + pw, avail, ed->fresh ? ROLE_SELECTION : ROLE_EDIT,
	    ed->buf + start);
	wmove(w, y, x + pw + (int)text_width_n(ed->buf + start,
	    (size_t)(ed->cur - start)));
}

