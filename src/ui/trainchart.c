/*
 * trainchart.c -- the live training chart (trainchart.h).
 *
 * A status line (running or paused, the epoch, lr and momentum), then a
 * panel per run: its title, a plot of 8 rows in which each column is a
 * span of epochs (0 to the step's last, so the curve grows from the left
 * as the run goes) showing the last entry of its span -- the correct loss
 * (`*`, the same measure for both runs), the run's own objective where it
 * differs (`o`, the pitfall's) and the accuracy on its own 0-100% scale
 * (`+`) -- then the epoch axis, the latest numbers and the legend.  Both
 * panels share the loss scale (0 to the largest finite loss either run
 * had), so their heights compare.  Nothing here computes: the numbers are
 * the session's.
 *
 * On 2-D data, b turns each panel into the run's decision map instead
 * (trainchart_toggle): a character cell per patch of the data's box, its
 * region char the model's prediction there (train_predict(): the class,
 * or for multilabel data the combination of labels whose logit is above 0
 * -- sigmoid above 0.5), and over it each point's own class or label
 * combination as a digit, green where the cell predicts it, red where not.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/train.h"
#include "i18n.h"
#include "step.h"
#include "ui/colors.h"
#include "ui/draw.h"
#include "ui/trainchart.h"

#define TC_ROWS		8	/* plot rows */
#define TC_AXISW	6	/* "0.693 " */

/* The largest finite loss of run t (own and correct), or 0. */
static double
tc_max(const struct train *t, double m)
{
	size_t	i;

	for (i = 0; i < t->nhist; i++) {
		if (isfinite(t->hist[i].loss) && t->hist[i].loss > m)
			m = t->hist[i].loss;
		if (isfinite(t->hist[i].correct_loss) &&
		    t->hist[i].correct_loss > m)
			m = t->hist[i].correct_loss;
	}
	return m;
}

/* Row (0 top .. TC_ROWS-1 bottom) of v on [0, top]; -1 off the plot. */
static int
tc_row(double v, double top)
{
	double	f;

	if (!isfinite(v) || top <= 0)
		return -1;
	f = v / top;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return TC_ROWS - 1 - (int)lround(f * (TC_ROWS - 1));
}

/* The regions' characters, a class or label combination each (then '?'). */
static const char tc_region[] = ".:-~^;,=";

static int	tc_map;		/* b: decision maps instead of the curves */

int
trainchart_toggle(const struct session *ss)
{
	const struct session_train *tr = session_train(ss);

	if (tr == NULL || tr->run.data == NULL || tr->run.data->d != 2)
		return -1;
	tc_map = !tc_map;
	return tc_map;
}

/* A digit (then a letter) for group g. */
static char
tc_digit(unsigned g)
{
	return g < 10 ? (char)('0' + g) : g < 36 ? (char)('A' + g - 10) : '#';
}

/* Run t's decision map (train_map) at (y, x), rows x cols cells; 0, or -1
   (out of memory: nothing drawn). */
static int
tc_map_draw(WINDOW *w, int y, int x, int rows, int cols,
    const struct train *t)
{
	struct err	 e;
	int		*pred, *mark, r, c, k, rc = -1;
	size_t		 n = (size_t)rows * (size_t)cols;
	char		 ch[2] = { 0, 0 };

	pred = calloc(n, sizeof *pred);
	mark = calloc(n, sizeof *mark);
	if (pred == NULL || mark == NULL ||
	    train_map(t, rows, cols, pred, mark, &e) != 0)
		goto out;
	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++) {
			k = r * cols + c;
			if (mark[k] != 0) {
				ch[0] = tc_digit((unsigned)(mark[k] > 0 ?
				    mark[k] - 1 : -mark[k] - 1));
				draw_str(w, y + r, x + c, 1, mark[k] > 0 ?
				    ROLE_VALUE : ROLE_PITFALL, ch);
			} else {
				ch[0] = pred[k] < 0 ? '?' : pred[k] <
				    (int)sizeof tc_region - 1 ?
				    tc_region[pred[k]] : '?';
				draw_str(w, y + r, x + c, 1, ROLE_AXIS, ch);
			}
		}
	rc = 0;
out:
	free(pred);
	free(mark);
	return rc;
}

/* What stopped run t, said for the numbers line (buf), or NULL. */
static const char *
tc_stopped(const struct train *t, char *buf, size_t len)
{
	if (t->state == TRAIN_DIVERGED)
		snprintf(buf, len, _("diverged at epoch %ld"), t->stop_epoch);
	else if (t->state == TRAIN_REFUSED)
		snprintf(buf, len, _("torch refuses it: %s"), t->message);
	else
		return NULL;
	return buf;
}

/* One run's panel at (y, x), width cols. */
static void
tc_panel(WINDOW *w, int y, int x, int cols, const struct train *t,
    const char *title, int title_role, double top, long epochs)
{
	const struct train_entry *h;
	char		 buf[256], num[32], a[32];
	const char	*stop;
	int		 pw = cols - TC_AXISW - 1, c, r, row;
	long		 e;
	size_t		 i;

	draw_trunc(w, y, x, cols, title_role, title);
	if (tc_map && t->data != NULL && t->data->d == 2) {
		/* the plot's rows and its two axis lines */
		if (tc_map_draw(w, y + 1, x, TC_ROWS + 2, cols, t) != 0)
			draw_trunc(w, y + 1, x, cols, ROLE_ERROR,
			    _("out of memory"));
		goto numbers;
	}
	/* the loss axis: top, middle, 0 */
	for (r = 0; r < TC_ROWS; r++) {
		if (r == 0 || r == TC_ROWS / 2 || r == TC_ROWS - 1) {
			step_fmt(top * (TC_ROWS - 1 - r) / (TC_ROWS - 1), 3,
			    num, sizeof num);
			draw_right(w, y + 1 + r, x, TC_AXISW - 1, ROLE_AXIS,
			    num);
		}
		draw_str(w, y + 1 + r, x + TC_AXISW - 1, 1, ROLE_AXIS, "│");
	}
	draw_str(w, y + 1 + TC_ROWS, x + TC_AXISW - 1, 1, ROLE_AXIS, "└");
	for (c = 0; c < pw; c++)
		draw_str(w, y + 1 + TC_ROWS, x + TC_AXISW + c, 1, ROLE_AXIS,
		    "─");
	/* each column: the last entry of its span of epochs */
	for (c = 0, i = 0; c < pw && t->nhist > 0; c++) {
		e = epochs <= 0 ? 0 : (long)((double)(c + 1) * (double)epochs /
		    pw);
		if (i >= t->nhist || t->hist[i].epoch > e)
			continue;
		while (i + 1 < t->nhist && t->hist[i + 1].epoch <= e)
			i++;
		h = &t->hist[i];
		i++;
		if ((row = tc_row(h->accuracy, 1.0)) >= 0)
			draw_str(w, y + 1 + row, x + TC_AXISW + c, 1,
			    ROLE_CURVE3, "+");
		if (h->loss != h->correct_loss &&
		    (row = tc_row(h->loss, top)) >= 0)
			draw_str(w, y + 1 + row, x + TC_AXISW + c, 1,
			    ROLE_CURVE2, "o");
		if ((row = tc_row(h->correct_loss, top)) >= 0)
			draw_str(w, y + 1 + row, x + TC_AXISW + c, 1,
			    ROLE_CURVE1, "*");
	}
	/* the epoch axis */
	snprintf(buf, sizeof buf, "0");
	draw_str(w, y + 2 + TC_ROWS, x + TC_AXISW, 2, ROLE_AXIS, buf);
	snprintf(buf, sizeof buf, "%ld", epochs);
	draw_right(w, y + 2 + TC_ROWS, x + TC_AXISW, pw, ROLE_AXIS, buf);
numbers:
	/* the latest numbers, or why it stopped */
	stop = tc_stopped(t, buf, sizeof buf);
	if (stop == NULL && t->nhist > 0) {
		h = &t->hist[t->nhist - 1];
		step_fmt(h->correct_loss, 4, num, sizeof num);
		step_fmt(100 * h->accuracy, 3, a, sizeof a);
		if (h->loss != h->correct_loss) {
			char own[32];

			step_fmt(h->loss, 4, own, sizeof own);
			snprintf(buf, sizeof buf, _("loss %s (own %s)  acc %s%%"),
			    num, own, a);
		} else
			snprintf(buf, sizeof buf, _("loss %s  acc %s%%"), num,
			    a);
	}
	draw_trunc(w, y + 3 + TC_ROWS, x, cols, stop != NULL ? ROLE_ERROR :
	    ROLE_VALUE, buf);
}

int
trainchart_draw(WINDOW *w, int y, int width, const struct session *ss,
    int hidden)
{
	const struct session_train *tr = session_train(ss);
	const struct train	   *t;
	char			    buf[256], lr[32], m[32], title[128];
	const char		   *legend;
	double			    top;
	int			    pw, running;
	long			    epochs;

	if (tr == NULL)
		return 0;
	t = &tr->run;
	epochs = t->spec.epochs;
	if (hidden) {
		return draw_wrapped(w, y, 0, width, -1, ROLE_QUESTION,
		    _("Training starts once you have answered the question "
		    "(or v to reveal)."));
	}
	running = session_train_running(ss);
	step_fmt(tr->lr, 6, lr, sizeof lr);
	step_fmt(tr->momentum, 6, m, sizeof m);
	snprintf(buf, sizeof buf, _("%s  epoch %ld/%ld  lr %s  momentum %s"),
	    running ? _("▶ training") : t->state == TRAIN_RUNNING ?
	    _("❚❚ paused") : _("■ stopped"), t->epoch, epochs, lr, m);
	draw_trunc(w, y, 0, width, running ? ROLE_VALUE : ROLE_LABEL, buf);
	top = tc_max(t, 0);
	if (tr->has_pitfall)
		top = tc_max(&tr->prun, top);
	if (top <= 0)
		top = 1;
	pw = tr->has_pitfall ? (width - 1) / 2 : width;
	snprintf(title, sizeof title, _("correct: %s"),
	    loss_name(t->spec.loss));
	tc_panel(w, y + 1, 0, pw, t, title, ROLE_CORRECT, top, epochs);
	if (tr->has_pitfall) {
		snprintf(title, sizeof title, _("pitfall: %s"),
		    pitfall_name(tr->prun.spec.pitfall));
		tc_panel(w, y + 1, pw + 1, width - pw - 1, &tr->prun, title,
		    ROLE_PITFALL, top, epochs);
	}
	if (tc_map && t->data != NULL && t->data->d == 2)
		legend = t->data->multilabel ?
		    _(".:-~^;,= = 0-7 predicted, digits: points (red: wrong); "
		    "1 2 4 = labels 0 1 2") :
		    _(".:-~^;,= = class 0 1 2 ... predicted; digits: the points' "
		    "classes (red: wrong)");
	else
		legend = tr->has_pitfall ?
		    /* xgettext:no-c-format */
		    _("* correct loss (both judged by it)  o its own loss  + "
		    "accuracy (0-100%)") :
		    /* xgettext:no-c-format */
		    _("* loss  + accuracy (0-100%)");
	draw_trunc(w, y + TRAINCHART_LINES - 1, 0, width, ROLE_LABEL, legend);
	return TRAINCHART_LINES;
}
