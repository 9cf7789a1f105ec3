/*
 * help.c -- the help screen: every key of the explorer, grouped, scrolled
 * with the arrows.  `?`, F1, Esc or q returns to the screen it came from.
 * This table is the public list of key bindings (tests and teachers rely on
 * it); lessonview.c and list.c implement exactly these.
 */
#include "config.h"

#include "i18n.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/curses.h"
#include "ui/draw.h"
#include "ui/ui.h"

static const struct {
	const char	*key;	/* NULL: a heading */
	const char	*what;
} help_keys[] = {
	{ NULL,		N_("Everywhere") },
	{ "? F1",	N_("this help (q, Esc or ? leaves it)") },
	{ "q Esc",	N_("close this screen: a lesson goes back to the list (your edits stay), the help or the zoomed plot back to the lesson; on the list, quit") },
	{ "Q",		N_("quit losslab from anywhere (it asks once when edits are not saved; the terminal is restored)") },
	{ "Ctrl-L",	N_("redraw the screen") },
	{ "mouse",	N_("click a lesson, a cell or a choice; the wheel scrolls") },
	{ NULL,		N_("Lesson list") },
	{ "Up Down j k", N_("move") },
	{ "g G Home End", N_("first / last lesson") },
	{ "PgUp PgDn",	N_("a page up / down") },
	{ "1-9",	N_("jump to the lesson of that number (two digits for 10 and up)") },
	{ "/",		N_("search the ids, titles and summaries of every lesson, in both languages; n N next / previous match") },
	{ "Enter",	N_("open the lesson") },
	{ NULL,		N_("Steps and lessons") },
	{ "Space PgDn ]", N_("next step") },
	{ "Backspace PgUp [", N_("previous step") },
	{ "Right Left",	N_("next / previous step when the selection is not in a table; in a table, Right at the last column goes to the next step and Left at the first column to the previous one") },
	{ "n N",	N_("next / previous lesson") },
	{ "Home End",	N_("first / last step") },
	{ NULL,		N_("Editing the inputs") },
	{ "arrows h j k l", N_("move the selection") },
	{ "Tab S-Tab",	N_("inputs -> targets -> options -> inputs") },
	{ "Enter",	N_("edit the selected cell: typing replaces the value, Enter keeps it, Esc cancels") },
	{ "+ -",	N_("nudge the selected value by 0.1 (an index target or p by 1)") },
	{ "> <",	N_("nudge by 1.0") },
	{ "o O",	N_("add a row (sample) / remove the selected row") },
	{ "c C",	N_("add a column (class) / remove the selected column") },
	{ "r",		N_("cycle the reduction (none, mean, sum, batchmean)") },
	{ "u",		N_("undo the last edit") },
	{ "R",		N_("reset the step to the lesson's values and ask its question again") },
	{ NULL,		N_("What is shown") },
	{ "p",		N_("show / hide the pitfall pipeline beside the correct one, on your own inputs (only the mistakes that fit the step's loss and input)") },
	{ "P",		N_("show the next pitfall that fits this step") },
	{ "d",		N_("switch the step between float64 and float32, torch's default: the numbers, the plot, the pitfall and the PyTorch lines follow, and torch's dtype errors name the new dtype (float32 as torch computes it for bce, bce-logits, ce and nll; for the other losses float64 rounded, which the screen says); the step's header shows its dtypes") },
	{ "1-9",	N_("answer a predict-first question (judged for the values on screen)") },
	/* xgettext:no-c-format */
	{ "g",		N_("type a guess for a predict-first question (right within its tolerance, 10% unless the lesson says)") },
	{ "v",		N_("reveal the hidden answer without guessing") },
	{ "z",		N_("the plot on the whole screen, and back (z, q or Esc); nudges and steps go on under it") },
	{ "e E",	N_("export this plot / every plot of the lesson: PNG, SVG or PDF, into a folder you choose; never over a file") },
	{ "w",		N_("save this lesson with your edited values to your lesson directory, under a title you type; it is in the lesson list at once") },
	{ "Ctrl-D Ctrl-U", N_("scroll the lesson down / up") },
	{ NULL,		N_("A training step (its chart of both runs)") },
	{ "Space",	N_("pause / resume the training (] or PgDn: the next step)") },
	{ "s",		N_("train one epoch (and pause)") },
	{ "+ -",	N_("the learning rate up / down (1, 2, 5 x 10^k), from the next epoch on") },
	{ "> <",	N_("the momentum up / down by 0.1 (0 to 0.9)") },
	{ "b",		N_("2-D data: each run's decision map instead of its curves (and back): the predicted class, or for multilabel data the labels predicted as bits (1 label 0, 2 label 1, 4 label 2), a character a patch of the data's box; each point as its class's digit over it, red where the map predicts otherwise") },
	{ "R",		N_("restart both runs from the same initial parameters with the values set now, at epoch 0 (paused stays paused); the question stays answered, and its answer is about the lesson's lr and momentum, which it says while the runs on screen have others") },
	{ NULL,		N_("On the lesson screen") },
	{ "",		N_("the narrative; a predict-first question; the inputs (rows are samples, columns classes) and targets; the options; the results: the reduced loss said in words (mean of N = ...), the loss per element or sample, the gradient dL/dz (dL/dp for probability inputs); the core's warnings; the pitfall pane; the lesson's PyTorch lines and the same computation with your values; the plot: the loss of the marked element as one input varies, the others fixed, marked at the value on screen (it follows the input you select)") },
	{ "",		N_("a paragraph that no longer holds for your values is dimmed and says so (R restores the lesson's values); where torch refuses your values, its message stands where the numbers were") },
	{ "",		N_("until a predict-first question is answered, the results, the plot and the code comments stay hidden") },
	{ "",		N_("the line above the status line always shows the reduced loss (and the pitfall's)") },
};

#define HELP_N	(sizeof help_keys / sizeof help_keys[0])

static int	help_top;

static void
help_draw(struct ui *u)
{
	int	 rows = LINES, cols = COLS, y, keyw = 18, lines, i;
	int	 body = rows - 2;
	int	 total = 0;

	(void)u;
	erase();
	draw_fill(stdscr, 0, 0, cols, ROLE_TITLE);
	draw_str(stdscr, 0, 1, cols - 2, ROLE_TITLE,
	    _("losslab help: every key"));
	if (cols < 60)
		keyw = 12;
	for (i = 0; i < (int)HELP_N; i++) {
		if (help_keys[i].key == NULL)
			total += (i > 0) + 1;
		else
			total += draw_wrapped_lines(_(help_keys[i].what),
			    cols - keyw - 3);
	}
	if (help_top > total - body)
		help_top = total - body;
	if (help_top < 0)
		help_top = 0;
	y = 1 - help_top;
	for (i = 0; i < (int)HELP_N; i++) {
		if (help_keys[i].key == NULL) {
			if (i > 0)
				y++;
			if (y >= 1 && y <= body)
				draw_str(stdscr, y, 1, cols - 2, ROLE_HEADING,
				    _(help_keys[i].what));
			y++;
			continue;
		}
		lines = draw_wrapped_lines(_(help_keys[i].what),
		    cols - keyw - 3);
		if (y >= 1 && y + lines - 1 <= body) {
			draw_str(stdscr, y, 2, keyw, ROLE_VALUE,
			    help_keys[i].key);
			draw_wrapped(stdscr, y, keyw + 3, cols - keyw - 3, -1,
			    ROLE_NORMAL, _(help_keys[i].what));
		}
		y += lines;
	}
	draw_fill(stdscr, rows - 1, 0, cols, ROLE_HINT);
	draw_str(stdscr, rows - 1, 1, cols - 2, ROLE_HINT,
	    _("↑↓ scroll   q, Esc or ? back   Q quit"));
	wnoutrefresh(stdscr);
}

static enum ui_action
help_key(struct ui *u, int key)
{
	(void)u;
	switch (key) {
	case KEY_UP:
	case 'k':
		help_top--;
		break;
	case KEY_DOWN:
	case 'j':
		help_top++;
		break;
	case KEY_PPAGE:
		help_top -= LINES - 3;
		break;
	case KEY_NPAGE:
	case ' ':
		help_top += LINES - 3;
		break;
	case KEY_HOME:
	case 'g':
		help_top = 0;
		break;
	case KEY_MOUSE:
		if (u->mouse_bstate & BUTTON4_PRESSED)
			help_top -= 3;
		else if (u->mouse_bstate & BUTTON5_PRESSED)
			help_top += 3;
		break;
	case 'q':
	case 27:
	case '?':
	case KEY_F(1):
		help_top = 0;
		return UI_BACK;
	}
	return UI_STAY;
}

const struct ui_screen help_screen = {
	"help", NULL, help_draw, help_key, NULL, NULL, NULL
};
