/*
 * plotpane.c -- the cached, coloured gnuplot pane (see plotpane.h).
 *
 * Colouring: a character strictly inside the plot border that equals a
 * curve's point character gets that curve's role (CURVE1..CURVE4, cycling),
 * the mark's character gets ROLE_MARK, the border and tick labels ROLE_AXIS.
 * Characters are drawn in runs of one role, so a 40x20 pane costs a few
 * dozen curses calls.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plot.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/draw.h"
#include "ui/plotpane.h"

/* The key a plot is cached by: every argument that draws it, the size
   and the language. */
#define PP_KEY_MAX	16384

static struct {
	int		 have_want;	/* a plot is wanted */
	struct plot_req	 want;		/* borrowed cells: valid until the
					   next key, which draws again */
	int		 want_w, want_h;
	char		 want_msg[256];	/* shown instead of a plot */
	char		 want_key[PP_KEY_MAX];

	int		 have_cache;	/* cache holds a plot or an error */
	char		 key[PP_KEY_MAX]; /* what the cache was made from */
	struct plot_text txt;
	int		 ok;
	char		 error[256];

	int		 avail;		/* -1 unknown, 0 no gnuplot, 1 yes */
} pp = { .avail = -1, .txt = PLOT_TEXT_INIT };

void
plotpane_want(const struct plot_req *req, int w, int h, const char *msg)
{
	char	args[PP_KEY_MAX - 64];

	pp.want_msg[0] = '\0';
	if (req == NULL) {
		pp.have_want = 0;
		if (msg != NULL)
			snprintf(pp.want_msg, sizeof pp.want_msg, "%s", msg);
		return;
	}
	pp.have_want = 1;
	pp.want = *req;
	pp.want.title = NULL;	/* titles are drawn by the pane itself */
	pp.want_w = w;
	pp.want_h = h;
	plot_req_args(&pp.want, args, sizeof args);
	snprintf(pp.want_key, sizeof pp.want_key, "%dx%d %s %s", w, h,
	    req->lang != NULL ? req->lang : "en", args);
}

int
plotpane_stale(void)
{
	if (!pp.have_want)
		return 0;
	if (pp.avail == 0)
		return 0;
	if (!pp.have_cache)
		return 1;
	return strcmp(pp.key, pp.want_key) != 0;
}

int
plotpane_refresh(void)
{
	struct err	e;

	if (pp.avail == -1)
		pp.avail = plot_available();
	if (!plotpane_stale())
		return 0;
	plot_text_free(&pp.txt);
	pp.have_cache = 1;
	memcpy(pp.key, pp.want_key, sizeof pp.key);
	memset(&e, 0, sizeof e);
	if (pp.want_w < 20 || pp.want_h < 8) {
		pp.ok = 0;
		snprintf(pp.error, sizeof pp.error, "%s",
		    _("(the plot needs a larger window)"));
		return 1;
	}
	pp.ok = plot_dumb(&pp.want, pp.want_w, pp.want_h, &pp.txt, &e) == 0;
	if (!pp.ok)
		snprintf(pp.error, sizeof pp.error, "%s", e.msg);
	return 1;
}

const struct plot_req *
plotpane_request(void)
{
	return pp.have_want ? &pp.want : NULL;
}

void
plotpane_free(void)
{
	plot_text_free(&pp.txt);
	pp.have_cache = 0;
	pp.have_want = 0;
}

/* The role of byte `c` at line i, byte column j of the plot text. */
static int
plotpane_role(int i, int j, char c)
{
	const struct plot_text	*t = &pp.txt;
	int			 k;

	if (t->top < 0 || i <= t->top || i >= t->bottom || j <= t->left ||
	    j >= t->right)
		return ROLE_AXIS;
	if (c == ' ')
		return ROLE_NORMAL;
	if (t->mark_point != 0 && c == t->mark_point)
		return ROLE_MARK;
	for (k = 0; k < t->ncurves && k < PLOT_MAX_CURVES; k++) {
		if (t->curves[k].point == c)
			return ROLE_CURVE1 + k % 4;
	}
	return ROLE_NORMAL;
}

/* Draw one line of the plot, in runs of one role, at most cols columns. */
static void
plotpane_line(WINDOW *w, int y, int x, int cols, int i, const char *line)
{
	char	 run[512];
	int	 col = 0, j = 0, role, r, rl = 0, runw = 0;
	size_t	 n, len = strlen(line);
	unsigned int cp;
	int	 cw;

	role = -1;
	while ((size_t)j < len && col < cols) {
		n = text_decode(line + j, len - (size_t)j, &cp);
		cw = text_cp_width(cp);
		if (col + cw > cols)
			break;
		r = n == 1 ? plotpane_role(i, j, line[j]) : ROLE_NORMAL;
		if (r != role || rl + (int)n >= (int)sizeof run - 1) {
			if (rl > 0) {
				run[rl] = '\0';
				draw_str(w, y, x + col - runw, runw, role, run);
			}
			rl = runw = 0;
			role = r;
		}
		memcpy(run + rl, line + j, n);
		rl += (int)n;
		runw += cw;
		col += cw;
		j += (int)n;
	}
	if (rl > 0) {
		run[rl] = '\0';
		draw_str(w, y, x + col - runw, runw, role, run);
	}
}

void
plotpane_draw(WINDOW *w, int y, int x, int cols, int rows)
{
	int	i;

	if (rows <= 0 || cols <= 0)
		return;
	if (pp.avail == -1)
		pp.avail = plot_available();
	if (!pp.have_want) {
		draw_wrapped(w, y, x, cols, rows, ROLE_LABEL,
		    pp.want_msg[0] != '\0' ? pp.want_msg :
		    _("(no plot for this step)"));
		return;
	}
	if (pp.avail == 0) {
		draw_wrapped(w, y, x, cols, rows, ROLE_WARNING,
		    _("gnuplot is not installed, so there is no plot here "
		    "(install gnuplot-nox).  Everything else works."));
		return;
	}
	if (!pp.have_cache) {
		draw_str(w, y, x, cols, ROLE_LABEL, _("plotting..."));
		return;
	}
	if (!pp.ok) {
		draw_wrapped(w, y, x, cols, rows, ROLE_WARNING, pp.error);
		return;
	}
	for (i = 0; i < pp.txt.nlines && i < rows; i++)
		plotpane_line(w, y + i, x, cols, i, pp.txt.lines[i]);
}
