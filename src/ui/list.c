/*
 * list.c -- the lesson list: every lesson of the catalogue with its title
 * and summary, broken lesson files listed as broken with their
 * "file:line: message".  Enter opens the selected lesson.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "lesson.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/curses.h"
#include "ui/draw.h"
#include "ui/ui.h"

static int	list_top;	/* first lesson drawn */

/* Lines one entry takes: its title line and its summary or error line. */
#define LIST_ITEM_LINES	2

void
list_draw(struct ui *u)
{
	const struct lesson_entry *e;
	int	 rows = LINES, cols = COLS, body, per, i, y, sel;
	size_t	 k;
	char	 num[16], info[64];
	int	 iw;

	erase();
	draw_fill(stdscr, 0, 0, cols, ROLE_TITLE);
	draw_fmt(stdscr, 0, 1, cols - 2, ROLE_TITLE, "losslab — %s",
	    _("classification losses, explained"));
	body = rows - 3;	/* title, status, hint */
	per = body / LIST_ITEM_LINES;
	if (per < 1)
		per = 1;
	if (u->nshown == 0) {
		draw_wrapped(stdscr, 2, 2, cols - 4, body - 1, ROLE_WARNING,
		    _("No lessons found.  Lessons are read from --lessons DIR, "
		    "~/.local/share/losslab/lessons and the installed lesson "
		    "directory."));
	}
	if ((int)u->cur < list_top)
		list_top = (int)u->cur;
	if ((int)u->cur >= list_top + per)
		list_top = (int)u->cur - per + 1;
	for (i = 0; i < per && list_top + i < (int)u->nshown; i++) {
		k = (size_t)(list_top + i);
		e = &u->cat->v[u->shown[k]];
		y = 1 + i * LIST_ITEM_LINES;
		sel = (k == u->cur);
		snprintf(num, sizeof num, "%2zu. ", k + 1);
		if (sel)
			draw_fill(stdscr, y, 0, cols, ROLE_SELECTION);
		draw_str(stdscr, y, 1, 5, sel ? ROLE_SELECTION : ROLE_LABEL,
		    num);
		if (e->broken) {
			draw_fmt(stdscr, y, 5, cols - 6,
			    sel ? ROLE_SELECTION : ROLE_BROKEN, "%s  [%s]",
			    e->title != NULL ? e->title : e->id, _("broken"));
			draw_trunc(stdscr, y + 1, 5, cols - 6, ROLE_BROKEN,
			    e->error != NULL ? e->error : "");
			continue;
		}
		/* The loss and the number of steps, right-aligned. */
		if (e->lesson->nsteps == 1)
			snprintf(info, sizeof info, _("%s, 1 step"),
			    loss_name(e->lesson->loss));
		else
			snprintf(info, sizeof info, _("%s, %zu steps"),
			    loss_name(e->lesson->loss), e->lesson->nsteps);
		iw = (int)text_width(info);
		if (iw + 20 > cols - 6)
			iw = 0;
		else
			draw_right(stdscr, y, cols - 1 - iw, iw,
			    sel ? ROLE_SELECTION : ROLE_LABEL, info);
		draw_trunc(stdscr, y, 5, cols - 6 - (iw > 0 ? iw + 2 : 0),
		    sel ? ROLE_SELECTION : ROLE_HEADING, e->lesson->title);
		draw_trunc(stdscr, y + 1, 5, cols - 6, ROLE_NORMAL,
		    e->lesson->summary);
	}
	if (u->msg[0] != '\0')
		draw_str(stdscr, rows - 2, 1, cols - 2, u->msg_role, u->msg);
	draw_fill(stdscr, rows - 1, 0, cols, ROLE_HINT);
	draw_str(stdscr, rows - 1, 1, cols - 2, ROLE_HINT,
	    _("Enter open   Up/Down move   ? help   q quit"));
}

void
list_key(struct ui *u, int key)
{
	const struct lesson_entry *e;

	switch (key) {
	case KEY_UP:
	case 'k':
		if (u->cur > 0)
			u->cur--;
		break;
	case KEY_DOWN:
	case 'j':
		if (u->cur + 1 < u->nshown)
			u->cur++;
		break;
	case KEY_HOME:
	case 'g':
		u->cur = 0;
		break;
	case KEY_END:
	case 'G':
		if (u->nshown > 0)
			u->cur = u->nshown - 1;
		break;
	case KEY_PPAGE:
		u->cur = u->cur > 5 ? u->cur - 5 : 0;
		break;
	case KEY_NPAGE:
		u->cur += 5;
		if (u->cur >= u->nshown)
			u->cur = u->nshown > 0 ? u->nshown - 1 : 0;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
	case 'l':
		if (u->nshown == 0)
			break;
		e = &u->cat->v[u->shown[u->cur]];
		if (e->broken) {
			ui_message(u, ROLE_ERROR, "%s", e->error != NULL ?
			    e->error : _("this lesson file is broken"));
			break;
		}
		lessonview_open(u, u->cur);
		break;
	}
}
