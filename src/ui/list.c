/*
 * list.c -- the lesson list: every lesson of the catalogue with its title,
 * summary, loss and steps, broken lesson files listed as broken with their
 * "file:line: message".  Enter (or a click) opens the selected lesson.
 *
 * The list scrolls and says what lies above and below; rows are at most
 * LIST_MAX_W columns wide, however wide the terminal.  `/` searches the
 * ids, titles and summaries of every lesson in both languages (n and N find
 * the next and previous match), and typing a lesson's number jumps to it.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "lesson.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/curses.h"
#include "ui/draw.h"
#include "ui/edit.h"
#include "ui/ui.h"

/* Lines one entry takes: its title line and its summary or error line. */
#define LIST_ITEM_LINES	2
/* The widest a row reads well (the rest of a wide terminal stays blank). */
#define LIST_MAX_W	110

static struct {
	int		 top;		/* first lesson drawn */
	int		 per;		/* lessons on the screen */
	struct edit	 ed;		/* the / search line */
	char		 query[EDIT_MAX];
	char		 num[8];	/* a number being typed */
} ls;

/* Whether lesson entry e matches the query (case-insensitive, in any
   language of its id). */
static int
list_matches(const struct ui *u, size_t shown, const char *q)
{
	const struct lesson_entry *e = &u->cat->v[u->shown[shown]], *o;
	size_t	 i;

	if (q[0] == '\0')
		return 0;
	for (i = 0; i < u->cat->n; i++) {
		o = &u->cat->v[i];
		if (strcmp(o->id, e->id) != 0)
			continue;
		if (strcasestr(o->id, q) != NULL ||
		    (o->title != NULL && strcasestr(o->title, q) != NULL) ||
		    (o->lesson != NULL && strcasestr(o->lesson->summary, q)
		    != NULL))
			return 1;
	}
	return 0;
}

/* Move to the next (dir 1) or previous (-1) match of the query. */
static void
list_find(struct ui *u, int dir, int from_here)
{
	size_t	i, k;

	if (ls.query[0] == '\0' || u->nshown == 0) {
		ui_message(u, ROLE_LABEL, "%s", _("/ searches the lessons"));
		return;
	}
	for (i = from_here ? 0 : 1; i <= u->nshown; i++) {
		k = (u->cur + u->nshown + (size_t)dir * i) % u->nshown;
		if (list_matches(u, k, ls.query)) {
			u->cur = k;
			return;
		}
	}
	ui_message(u, ROLE_LABEL, _("no lesson matches '%s'"), ls.query);
}

static void
list_draw(struct ui *u)
{
	const struct lesson_entry *e;
	int	 rows = LINES, cols = COLS, body, i, y, sel, w;
	size_t	 k;
	char	 num[16], info[64], more[96];
	int	 iw;

	erase();
	draw_fill(stdscr, 0, 0, cols, ROLE_TITLE);
	draw_fmt(stdscr, 0, 1, cols - 2, ROLE_TITLE, "losslab — %s",
	    _("classification losses, explained"));
	w = cols < LIST_MAX_W ? cols : LIST_MAX_W;
	body = rows - 4;	/* title, the more-line, status, hint */
	ls.per = body / LIST_ITEM_LINES;
	if (ls.per < 1)
		ls.per = 1;
	if (u->nshown == 0) {
		draw_wrapped(stdscr, 2, 2, w - 4, body - 1, ROLE_WARNING,
		    _("No lessons found.  Lessons are read from --lessons DIR, "
		    "~/.local/share/losslab/lessons and the installed lesson "
		    "directory."));
	}
	if ((int)u->cur < ls.top)
		ls.top = (int)u->cur;
	if ((int)u->cur >= ls.top + ls.per)
		ls.top = (int)u->cur - ls.per + 1;
	if (ls.top > (int)u->nshown - ls.per)
		ls.top = (int)u->nshown - ls.per;
	if (ls.top < 0)
		ls.top = 0;
	for (i = 0; i < ls.per && ls.top + i < (int)u->nshown; i++) {
		k = (size_t)(ls.top + i);
		e = &u->cat->v[u->shown[k]];
		y = 1 + i * LIST_ITEM_LINES;
		sel = (k == u->cur);
		snprintf(num, sizeof num, "%2zu. ", k + 1);
		if (sel)
			draw_fill(stdscr, y, 0, w, ROLE_SELECTION);
		draw_str(stdscr, y, 1, 5, sel ? ROLE_SELECTION : ROLE_LABEL,
		    num);
		if (e->broken) {
			draw_fmt(stdscr, y, 5, w - 6,
			    sel ? ROLE_SELECTION : ROLE_BROKEN, "%s  [%s]",
			    e->title != NULL ? e->title : e->id, _("broken"));
			draw_trunc(stdscr, y + 1, 5, w - 6, ROLE_BROKEN,
			    e->error != NULL ? e->error : "");
			continue;
		}
		/* The loss and the number of steps, right-aligned. */
		snprintf(info, sizeof info, NG_("%s, %zu step", "%s, %zu steps",
		    e->lesson->nsteps), loss_name(e->lesson->loss),
		    e->lesson->nsteps);
		iw = (int)text_width(info);
		if (iw + 20 > w - 6)
			iw = 0;
		else
			draw_right(stdscr, y, w - 1 - iw, iw,
			    sel ? ROLE_SELECTION : ROLE_LABEL, info);
		draw_trunc(stdscr, y, 5, w - 6 - (iw > 0 ? iw + 2 : 0),
		    sel ? ROLE_SELECTION : ROLE_HEADING, e->lesson->title);
		draw_trunc(stdscr, y + 1, 5, w - 6, ROLE_NORMAL,
		    e->lesson->summary);
	}
	/* What lies above and below. */
	more[0] = '\0';
	if (ls.top > 0)
		snprintf(more, sizeof more, _("↑ %d more"), ls.top);
	if (ls.top + ls.per < (int)u->nshown)
		snprintf(more + strlen(more), sizeof more - strlen(more),
		    _("%s↓ %d more"), more[0] ? "   " : "",
		    (int)u->nshown - ls.top - ls.per);
	if (more[0] != '\0')
		draw_right(stdscr, rows - 3, 0, w - 1, ROLE_LABEL, more);
	if (ls.ed.active)
		edit_draw(&ls.ed, stdscr, rows - 2, 0, cols);
	else if (u->msg[0] != '\0')
		draw_str(stdscr, rows - 2, 1, cols - 2, u->msg_role, u->msg);
	draw_fill(stdscr, rows - 1, 0, cols, ROLE_HINT);
	draw_str(stdscr, rows - 1, 1, cols - 2, ROLE_HINT,
	    _("Enter open   ↑↓ move   / search   1-9 jump   ? help   q quit"));
	wnoutrefresh(stdscr);
	if (ls.ed.active)
		curs_set(1);
}

/* Open the selected lesson, or say why not. */
static enum ui_action
list_open(struct ui *u)
{
	const struct lesson_entry *e;

	if (u->nshown == 0)
		return UI_STAY;
	e = &u->cat->v[u->shown[u->cur]];
	if (e->broken) {
		ui_message(u, ROLE_ERROR, "%s", e->error != NULL ?
		    e->error : _("this lesson file is broken"));
		return UI_STAY;
	}
	return UI_OPEN_LESSON;
}

/* A click on a row selects it; a click on the selected row opens it; the
   wheel scrolls. */
static enum ui_action
list_mouse(struct ui *u)
{
	int	row;

	if (u->mouse_bstate & BUTTON4_PRESSED) {
		if (u->cur > 0)
			u->cur--;
		return UI_STAY;
	}
	if (u->mouse_bstate & BUTTON5_PRESSED) {
		if (u->cur + 1 < u->nshown)
			u->cur++;
		return UI_STAY;
	}
	if (!(u->mouse_bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) ||
	    u->mouse_y < 1)
		return UI_STAY;
	row = ls.top + (u->mouse_y - 1) / LIST_ITEM_LINES;
	if (row < 0 || row >= (int)u->nshown || (u->mouse_y - 1) /
	    LIST_ITEM_LINES >= ls.per)
		return UI_STAY;
	if ((size_t)row == u->cur)
		return list_open(u);
	u->cur = (size_t)row;
	return UI_STAY;
}

static enum ui_action
list_key(struct ui *u, int key)
{
	size_t	n;

	if (ls.ed.active) {
		switch (edit_key(&ls.ed, key)) {
		case EDIT_COMMIT:
			snprintf(ls.query, sizeof ls.query, "%s", ls.ed.buf);
			list_find(u, 1, 1);
			break;
		case EDIT_CANCEL:
			break;
		default:
			break;
		}
		return UI_STAY;
	}
	/* digits: a lesson number, typed one digit after the other */
	if (key >= '0' && key <= '9') {
		n = strlen(ls.num);
		if (n + 1 < sizeof ls.num) {
			ls.num[n] = (char)key;
			ls.num[n + 1] = '\0';
		}
		n = (size_t)strtoul(ls.num, NULL, 10);
		if (n >= 1 && n <= u->nshown)
			u->cur = n - 1;
		else {
			ls.num[0] = '\0';
			if (key != '0' && (size_t)(key - '0') <= u->nshown) {
				ls.num[0] = (char)key;
				ls.num[1] = '\0';
				u->cur = (size_t)(key - '0') - 1;
			}
		}
		ui_message(u, ROLE_LABEL, _("lesson %zu"), u->cur + 1);
		return UI_STAY;
	}
	ls.num[0] = '\0';
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
		u->cur = u->cur > (size_t)ls.per ? u->cur - (size_t)ls.per : 0;
		break;
	case KEY_NPAGE:
		u->cur += (size_t)ls.per;
		if (u->cur >= u->nshown)
			u->cur = u->nshown > 0 ? u->nshown - 1 : 0;
		break;
	case '/':
		edit_begin(&ls.ed, "/", "");
		ls.ed.fresh = 0;
		break;
	case 'n':
		list_find(u, 1, 0);
		break;
	case 'N':
		list_find(u, -1, 0);
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
	case 'l':
		return list_open(u);
	case KEY_MOUSE:
		return list_mouse(u);
	case 'q':
	case 27:
		return UI_QUIT;
	}
	return UI_STAY;
}

static int
list_editing(void)
{
	return ls.ed.active;
}

const struct ui_screen list_screen = {
	"list", NULL, list_draw, list_key, NULL, NULL, list_editing
};
