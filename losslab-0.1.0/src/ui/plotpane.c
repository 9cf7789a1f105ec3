/*
 * plotpane.c -- the plot pane, on one gnuplot that stays (see plotpane.h).
 *
 * Three plots are in play: the one wanted (recorded by each draw), the one
 * being made (a job on the gnuplot driver) and the one shown (the cache).
 * plotpane_step() sends the wanted plot when gnuplot is free and it is not
 * the one shown, and takes a finished job into the cache; a job that
 * failed is cached as its error, so a gnuplot that hangs on a plot is not
 * asked the same plot again and again -- the next change asks anew.
 *
 * Colouring of text plots: a character strictly inside the plot border that
 * equals a curve's point character gets that curve's role (CURVE1..CURVE4,
 * cycling), the mark's character gets ROLE_MARK, the border and tick labels
 * ROLE_AXIS.  Characters are drawn in runs of one role, so a 40x20 pane
 * costs a few dozen curses calls.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gnuplot.h"
#include "i18n.h"
#include "plot.h"
#include "strbuf.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/draw.h"
#include "ui/plotpane.h"

/* The key a plot is cached by (plot_req_key, exact, any length): every
   argument that draws it, the size, the language and text or picture. */

#define PP_POLL_MS	100	/* the loop's wake-up while gnuplot works
				   (its pipes wake it sooner: plotpane_fds) */

struct pp_plot {
	int		 have;		/* holds a plot or an error */
	struct strbuf	 key;
	int		 ok;
	char		 error[256];
	int		 picture;	/* six, else txt */
	int		 pw, ph;	/* the picture's size in pixels */
	struct plot_text txt;
	struct strbuf	 six;
};

static struct {
	enum graphics_mode mode;
	int		 cell_w, cell_h, max_w, max_h;

	int		 have_want;	/* a plot is wanted */
	struct plot_req	 want;		/* borrowed cells: valid until the
					   next key, which draws again */
	int		 want_w, want_h;
	int		 want_pic, want_pw, want_ph;
	char		 want_msg[256];	/* shown instead of a plot */
	struct strbuf	 want_key, next_key;
	long		 stale_since;	/* when the want last changed */

	struct pp_plot	 shown;		/* the cache */
	struct pp_plot	 job;		/* being made (job.have: sent) */
	long		 job_sent;
	struct gnuplot	 gp;
	int		 gp_init;
	unsigned long	 plots;

	/* the picture: where this frame puts it, where the terminal has it */
	int		 placed, py, px, prows, pcols;
	int		 on_term, ty, tx, trows, tcols;
	int		 need_emit;

	long		 drawn_view;	/* pp_view() at the last draw */

	int		 avail;		/* -1 unknown, 0 no gnuplot, 1 yes */
} pp = { .avail = -1, .shown = { .txt = PLOT_TEXT_INIT },
	.job = { .txt = PLOT_TEXT_INIT } };

static long
pp_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
pp_timeout_ms(void)
{
	const char	*s = getenv("LOSSLAB_PLOT_TIMEOUT_MS");
	char		*end;
	long		 v;

	if (s != NULL && *s != '\0') {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno == 0 && *end == '\0' && v > 0 && v <= 600000)
			return (int)v;
	}
	return PLOT_TIMEOUT_MS;
}

static void
pp_plot_clear(struct pp_plot *p)
{
	plot_text_free(&p->txt);
	strbuf_free(&p->six);
	strbuf_free(&p->key);
	p->have = 0;
	p->ok = 0;
	p->error[0] = '\0';
}

void
plotpane_setup(const struct graphics *g)
{
	pp.mode = g != NULL ? g->mode : GRAPHICS_TEXT;
	pp.cell_w = g != NULL ? g->cell_w : 0;
	pp.cell_h = g != NULL ? g->cell_h : 0;
	pp.max_w = g != NULL ? g->max_w : 0;
	pp.max_h = g != NULL ? g->max_h : 0;
	if (pp.cell_w <= 0 || pp.cell_h <= 0)
		pp.mode = GRAPHICS_TEXT;
}

/* Whether two keys are the same (an unfinished one never is). */
static int
pp_same(const struct strbuf *a, const struct strbuf *b)
{
	return !a->oom && !b->oom && a->p != NULL && b->p != NULL &&
	    a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

void
plotpane_want(const struct plot_req *req, int w, int h, const char *msg,
    int picture)
{
	struct strbuf	tmp;

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
	pp.want_pic = picture && pp.mode == GRAPHICS_SIXEL;
	/* sixel bands are 6 pixels high: a whole number of them, inside
	   the pane, so the terminal never scrolls */
	pp.want_pw = w * pp.cell_w;
	pp.want_ph = h * pp.cell_h;
	if (pp.max_w > 0 && pp.want_pw > pp.max_w)
		pp.want_pw = pp.max_w;
	if (pp.max_h > 0 && pp.want_ph > pp.max_h)
		pp.want_ph = pp.max_h;
	pp.want_ph = pp.want_ph / 6 * 6;
	pp.next_key.len = 0;
	if (pp.want_pic)
		strbuf_printf(&pp.next_key, "sixel %dx%d %s ", pp.want_pw,
		    pp.want_ph, req->lang != NULL ? req->lang : "en");
	else
		strbuf_printf(&pp.next_key, "text %dx%d %s ", w, h,
		    req->lang != NULL ? req->lang : "en");
	plot_req_key(&pp.want, &pp.next_key);
	if (!pp_same(&pp.next_key, &pp.want_key)) {
		tmp = pp.want_key;
		pp.want_key = pp.next_key;
		pp.next_key = tmp;
		pp.stale_since = pp_now();
	}
}

int
plotpane_stale(void)
{
	if (!pp.have_want || pp.avail == 0)
		return 0;
	return !pp.shown.have || !pp_same(&pp.shown.key, &pp.want_key);
}

/* Whether plot p fits the pane wanted now (a larger picture would make
   the terminal scroll). */
static int
pp_fits(const struct pp_plot *p)
{
	return !p->picture || (p->pw <= pp.want_w * pp.cell_w &&
	    p->ph <= pp.want_h * pp.cell_h);
}

/* What the pane shows now: PP_VIEW_PLOT (the plot shown, current or for
   a moment older), or "plotting..." with the whole seconds gnuplot has
   been at it (PP_VIEW_WAIT + s).  A change means a redraw. */
#define PP_VIEW_PLOT	0
#define PP_VIEW_WAIT	1
static long
pp_view(void)
{
	const struct pp_plot	*p = &pp.shown;
	long			 now = pp_now();

	if (p->have && (!plotpane_stale() || (now - pp.stale_since <
	    PLOTPANE_STALE_MS && p->picture == pp.want_pic && pp_fits(p))))
		return PP_VIEW_PLOT;
	return PP_VIEW_WAIT + (pp.gp_init && pp.gp.busy ?
	    (now - pp.job_sent) / 1000 : 0);
}

/* The first line of gnuplot's stderr that says something, sanitised. */
static void
pp_err_line(const char *err, char *out, size_t len)
{
	const char	*p = err, *q;
	char		 line[200];
	size_t		 n;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		q = strchr(p, '\n');
		n = q == NULL ? strlen(p) : (size_t)(q - p);
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n > 0 && *p != '^' && strncmp(p, "gnuplot>", 8) != 0 &&
		    strncmp(p, "Warning:", 8) != 0) {
			snprintf(line, sizeof line, "%.*s", (int)n, p);
			plot_sanitize(line, out, len);
			return;
		}
		p = q == NULL ? NULL : q + 1;
	}
}

/* Take the finished job's output into the job plot. */
static void
pp_take(const struct gnuplot_result *res)
{
	struct err	e;
	char		line[200];

	memset(&e, 0, sizeof e);
	pp.job.ok = 0;
	if (pp.job.picture) {
		if (res->outlen > 0 && plot_check_sixel(res->out, res->outlen,
		    &e) == 0) {
			strbuf_add(&pp.job.six, res->out, res->outlen);
			pp.job.ok = !pp.job.six.oom;
		}
	} else if (res->outlen > 0 &&
	    plot_dumb_parse(res->out, res->outlen, &pp.job.txt, &e) == 0)
		pp.job.ok = 1;
	if (pp.job.ok)
		return;
	pp_err_line(res->err, line, sizeof line);
	if (line[0] != '\0')
		snprintf(pp.job.error, sizeof pp.job.error, _("gnuplot: %s"),
		    line);
	else if (e.msg[0] != '\0')
		snprintf(pp.job.error, sizeof pp.job.error, "%s", e.msg);
	else
		snprintf(pp.job.error, sizeof pp.job.error, "%s",
		    _("gnuplot produced no image"));
}

/* The job plot becomes the one shown. */
static void
pp_publish(void)
{
	struct pp_plot	old = pp.shown;

	pp.shown = pp.job;
	pp.job = old;
	pp_plot_clear(&pp.job);
	pp.plots++;
}

/* Send the wanted plot; returns 1 if the pane changed at once. */
static int
pp_send(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct err	 e;
	char		*script = NULL;
	int		 rc;

	memset(&e, 0, sizeof e);
	pp_plot_clear(&pp.job);
	strbuf_add(&pp.job.key, pp.want_key.p, pp.want_key.len);
	pp.job.picture = pp.want_pic;
	pp.job.pw = pp.want_pw;
	pp.job.ph = pp.want_ph;
	pp.job.have = 1;
	if (pp.want_w < 20 || pp.want_h < 8) {
		snprintf(pp.job.error, sizeof pp.job.error, "%s",
		    _("(the plot needs a larger window)"));
		pp_publish();
		return 1;
	}
	/* each job starts from gnuplot's defaults */
	strbuf_printf(&sb, "reset session\n");
	if (pp.want_pic) {
		rc = plot_script_text(&pp.want, PLOT_FORMAT_SIXEL, pp.want_pw,
		    pp.want_ph, &script, &e);
		if (rc == 0)
			strbuf_printf(&sb, "%s", script);
		free(script);
	} else
		rc = plot_dumb_script(&pp.want, pp.want_w, pp.want_h, &sb,
		    &pp.job.txt, &e);
	if (rc == 0 && sb.oom)
		rc = err_set(&e, "out of memory");
	if (rc == 0) {
		if (!pp.gp_init) {
			gnuplot_init(&pp.gp);
			pp.gp_init = 1;
		}
		rc = gnuplot_send(&pp.gp, sb.p, sb.len, pp_timeout_ms(), &e);
	}
	strbuf_free(&sb);
	if (rc == 0) {
		pp.job_sent = pp_now();
		return 0;
	}
	snprintf(pp.job.error, sizeof pp.job.error, "%s", e.msg);
	pp_publish();
	return 1;
}

int
plotpane_step(void)
{
	struct gnuplot_result	res;
	int			st, changed = 0;

	if (pp.avail == -1)
		pp.avail = plot_available();
	if (pp.avail == 0)
		return 0;
	if (pp.gp_init && pp.gp.busy) {
		memset(&res, 0, sizeof res);
		st = gnuplot_poll(&pp.gp, 0, &res);
		if (st == GNUPLOT_RUNNING)
			return pp_view() != pp.drawn_view;
		if (st == GNUPLOT_DONE)
			pp_take(&res);
		else
			snprintf(pp.job.error, sizeof pp.job.error, "%s",
			    res.error);
		pp_publish();
		changed = 1;
	}
	if (plotpane_stale())
		changed |= pp_send();
	return changed;
}

int
plotpane_wait_ms(void)
{
	long	age;

	if (pp.avail == 0 || !pp.have_want)
		return -1;
	if (pp.gp_init && pp.gp.busy) {
		age = pp_now() - pp.stale_since;
		if (plotpane_stale() && age < PLOTPANE_STALE_MS &&
		    PLOTPANE_STALE_MS - age < PP_POLL_MS)
			return (int)(PLOTPANE_STALE_MS - age);
		return PP_POLL_MS;
	}
	return plotpane_stale() ? 0 : -1;
}

int
plotpane_fds(struct pollfd *fds, int max)
{
	return pp.gp_init ? gnuplot_fds(&pp.gp, fds, max) : 0;
}

const struct plot_req *
plotpane_request(void)
{
	return pp.have_want ? &pp.want : NULL;
}

void
plotpane_stats(unsigned *starts, unsigned long *plots)
{
	if (starts != NULL)
		*starts = pp.gp_init ? pp.gp.starts : 0;
	if (plots != NULL)
		*plots = pp.plots;
}

void
plotpane_free(void)
{
	pp_plot_clear(&pp.shown);
	pp_plot_clear(&pp.job);
	if (pp.gp_init)
		gnuplot_stop(&pp.gp);
	pp.gp_init = 0;
	pp.have_want = 0;
	strbuf_free(&pp.want_key);
	strbuf_free(&pp.next_key);
}

/* The role of byte `c` at line i, byte column j of the plot text. */
static int
plotpane_role(const struct plot_text *t, int i, int j, char c)
{
	int	k;

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
plotpane_line(WINDOW *w, int y, int x, int cols, const struct plot_text *t,
    int i)
{
	const char	*line = t->lines[i];
	char		 run[512];
	int		 col = 0, j = 0, role, r, rl = 0, runw = 0;
	size_t		 n, len = strlen(line);
	unsigned int	 cp;
	int		 cw;

	role = -1;
	while ((size_t)j < len && col < cols) {
		n = text_decode(line + j, len - (size_t)j, &cp);
		cw = text_cp_width(cp);
		if (col + cw > cols)
			break;
		r = n == 1 ? plotpane_role(t, i, j, line[j]) : ROLE_NORMAL;
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
	const struct pp_plot	*p = &pp.shown;
	char			 msg[256];
	long			 view;
	int			 i;

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
	/* an older plot only for a moment, and only of the same kind */
	pp.drawn_view = view = pp_view();
	if (view != PP_VIEW_PLOT) {
		if (view - PP_VIEW_WAIT >= 1)
			snprintf(msg, sizeof msg, _("plotting... (gnuplot has "
			    "been at it for %ld s; the numbers are live)"),
			    view - PP_VIEW_WAIT);
		else
			snprintf(msg, sizeof msg, "%s", _("plotting..."));
		draw_wrapped(w, y, x, cols, rows, ROLE_LABEL, msg);
		return;
	}
	if (!p->ok) {
		draw_wrapped(w, y, x, cols, rows, ROLE_WARNING, p->error);
		return;
	}
	if (p->picture) {
		/* the cells stay blank; plotpane_flush() writes the picture */
		if (w == stdscr) {
			pp.placed = 1;
			pp.py = y;
			pp.px = x;
			pp.prows = rows;
			pp.pcols = cols;
		}
		return;
	}
	for (i = 0; i < p->txt.nlines && i < rows; i++)
		plotpane_line(w, y + i, x, cols, &p->txt, i);
}

void
plotpane_frame_begin(void)
{
	pp.placed = 0;
}

void
plotpane_frame_end(void)
{
	if (!pp.on_term)
		return;
	if (!pp.placed || pp.py != pp.ty || pp.px != pp.tx ||
	    pp.prows != pp.trows || pp.pcols != pp.tcols) {
		/* the picture goes, or moves: curses repaints every cell */
		clearok(curscr, TRUE);
		pp.on_term = 0;
	}
}

void
plotpane_repaint(void)
{
	pp.need_emit = 1;
}

/* Write all of buf to the terminal. */
static void
pp_write(const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(STDOUT_FILENO, buf, len);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void
plotpane_flush(void)
{
	static unsigned long on_term_plot;	/* pp.plots when written */
	char		 pos[64];
	int		 n;

	if (!pp.placed || !pp.shown.ok || !pp.shown.picture ||
	    pp.shown.pw > pp.pcols * pp.cell_w ||
	    pp.shown.ph > pp.prows * pp.cell_h)
		return;
	if (pp.on_term && !pp.need_emit && on_term_plot == pp.plots)
		return;
	/* save the cursor, go to the pane, the picture, back */
	n = snprintf(pos, sizeof pos, "\0337\033[%d;%dH", pp.py + 1,
	    pp.px + 1);
	pp_write(pos, (size_t)n);
	pp_write(pp.shown.six.p, pp.shown.six.len);
	pp_write("\0338", 2);
	on_term_plot = pp.plots;
	pp.on_term = 1;
	pp.need_emit = 0;
	pp.ty = pp.py;
	pp.tx = pp.px;
	pp.trows = pp.prows;
	pp.tcols = pp.pcols;
}
