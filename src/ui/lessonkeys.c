/*
 * lessonkeys.c -- the lesson screen's keys (lessonview.c has its state): a
 * key is one session call (an edit, an answer, the pitfall, a step), then
 * the handler says what should happen next (stay, back to the list, the
 * help, the zoomed plot, quit); it never draws.
 */
#include "config.h"

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "i18n.h"
#include "lesson.h"
#include "parse.h"
#include "plot.h"
#include "session.h"
#include "step.h"
#include "ui/colors.h"
#include "ui/curses.h"
#include "ui/edit.h"
#include "ui/lessonview.h"
#include "ui/plotpane.h"
#include "ui/table.h"
#include "ui/trainchart.h"
#include "ui/ui.h"

static void	lv_export_commit(struct ui *, const char *);

/* ---------------------------------------------------------------- keys -- */

void
lessonkeys_goto_step(struct ui *u, size_t i)
{
	struct session	*ss = lessonview_ss();
	struct err	 e;

	if (ss == NULL || i >= ss->nsteps || i == ss->cur)
		return;
	memset(&e, 0, sizeof e);
	if (session_goto(ss, i, &e) != 0) {
		ui_message(u, ROLE_ERROR, "%s", e.msg);
		return;
	}
	lv.follow = 0;	/* a new step shows its narrative from the top */
	lessonview_autoplay_arm(u);
}

static void
lv_next_step(struct ui *u, int dir)
{
	struct session	*ss = lessonview_ss();

	if (ss == NULL)
		return;
	if (dir > 0 && ss->cur + 1 >= ss->nsteps) {
		ui_message(u, ROLE_LABEL, "%s", _("This is the last step; "
		    "n opens the next lesson."));
		return;
	}
	if (dir < 0 && ss->cur == 0) {
		ui_message(u, ROLE_LABEL, "%s", _("This is the first step."));
		return;
	}
	lessonkeys_goto_step(u, dir > 0 ? ss->cur + 1 : ss->cur - 1);
}

void
lessonkeys_next_lesson(struct ui *u, int dir)
{
	size_t	i;

	if (lv.in_bench || lv.n == 0)
		return;
	for (i = lv.cur;;) {
		if (dir > 0) {
			if (i + 1 >= lv.n) {
				ui_message(u, ROLE_LABEL, "%s",
				    _("This is the last lesson."));
				return;
			}
			i++;
		} else {
			if (i == 0) {
				ui_message(u, ROLE_LABEL, "%s",
				    _("This is the first lesson."));
				return;
			}
			i--;
		}
		if (lv.lessons[i].lesson != NULL)
			break;
	}
	lessonview_open(u, i);
}

/* Apply v to grid cell (r, c) of field f. */
static void
lv_set_cell(struct ui *u, enum step_field f, size_t r, size_t c, double v)
{
	struct table_grid	g;
	struct err		e;
	size_t			mr, mc;

	memset(&e, 0, sizeof e);
	lessonview_grid(lessonview_st(), f, &g);
	if (g.rows == 0 || r >= g.rows || c >= g.cols)
		return;
	table_grid_coord(&g, r, c, &mr, &mc);
	lessonview_report(u, session_set_cell(lessonview_ss(), f, mr, mc, v, &e), &e);
	lessonview_clamp();
}

/* +/- (small) and >/< (large) on the selection. */
static void
lv_nudge(struct ui *u, struct lv_step *ls, int dir, int large)
{
	const struct session_opt *opts[LV_NOPTS];
	struct table_grid	 g;
	struct err		 e;
	size_t			 nopt, mr, mc;
	enum step_field		 f;

	memset(&e, 0, sizeof e);
	if (ls->focus == LV_OPTIONS) {
		nopt = session_options(lessonview_ss(), opts, LV_NOPTS);
		if (ls->opt >= nopt)
			return;
		lessonview_report(u, session_nudge_option(lessonview_ss(), opts[ls->opt],
		    ls->optel, dir, large, &e), &e);
		lessonview_clamp();
		return;
	}
	f = ls->focus == LV_TARGET ? STEP_TARGET : STEP_INPUT;
	lessonview_grid(lessonview_st(), f, &g);
	if (g.rows == 0)
		return;
	table_grid_coord(&g, ls->r, ls->c, &mr, &mc);
	lessonview_report(u, session_nudge_cell(lessonview_ss(), f, mr, mc, dir, large, &e),
	    &e);
	lessonview_clamp();
}

/* Enter: open the editor on the selection. */
static void
lv_edit_begin(struct ui *u, struct lv_step *ls)
{
	const struct session_opt *opts[LV_NOPTS];
	const struct session_opt *o;
	struct step		*s = lessonview_st();
	struct table_grid	 g;
	struct mat		*m;
	struct err		 e;
	char			 prompt[128], val[64];
	size_t			 nopt;

	memset(&e, 0, sizeof e);
	if (ls->focus == LV_OPTIONS) {
		nopt = session_options(lessonview_ss(), opts, LV_NOPTS);
		if (ls->opt >= nopt)
			return;
		o = opts[ls->opt];
		if (o->kind == SESSION_OPT_REDUCTION) {
			session_cycle_reduction(lessonview_ss());
			ui_message(u, ROLE_LABEL, "reduction = %s",
			    loss_reduction_name(s->opts.reduction));
			return;
		}
		if (o->kind == SESSION_OPT_VECTOR) {
			m = step_field_mat(s, o->field);
			if (m == NULL || mat_numel(m) == 0) {
				lessonview_report(u, session_create_vector(lessonview_ss(), o,
				    &e), &e);
				return;
			}
			if (ls->optel >= mat_numel(m))
				return;
			snprintf(prompt, sizeof prompt, "%s[%zu] =", o->name,
			    ls->optel);
			parse_fmt_exact(m->v[ls->optel], val, sizeof val);
		} else {
			snprintf(prompt, sizeof prompt, "%s =", o->name);
			parse_fmt_exact(session_option_value(lessonview_ss(), o), val,
			    sizeof val);
		}
		lv.editing = LV_EDIT_OPTION;
		lv.ed_opt = ls->opt;
		lv.ed_c = ls->optel;
		edit_begin(&lv.ed, prompt, val);
		return;
	}
	lv.ed_field = ls->focus == LV_TARGET ? STEP_TARGET : STEP_INPUT;
	lessonview_grid(s, lv.ed_field, &g);
	if (g.rows == 0)
		return;
	lv.editing = LV_EDIT_CELL;
	lv.ed_r = ls->r;
	lv.ed_c = ls->c;
	if (g.m->ndim == 2)
		snprintf(prompt, sizeof prompt, "%s[%zu][%zu] =",
		    lv.ed_field == STEP_TARGET ? "target" : "input", ls->r,
		    ls->c);
	else
		snprintf(prompt, sizeof prompt, "%s[%zu] =",
		    lv.ed_field == STEP_TARGET ? "target" : "input",
		    g.column ? ls->r : ls->c);
	parse_fmt_exact(table_grid_at(&g, ls->r, ls->c), val, sizeof val);
	edit_begin(&lv.ed, prompt, val);
}

/* The editor line's Enter. */
static void
lv_edit_commit(struct ui *u)
{
	const struct session_opt *opts[LV_NOPTS];
	struct session		*ss = lessonview_ss();
	struct session_quiz	 q;
	struct err		 e;
	char			 path[4096];
	double			 v;
	size_t			 nopt;

	memset(&e, 0, sizeof e);
	switch (lv.editing) {
	case LV_EDIT_GUESS:
		if (session_guess(ss, lv.ed.buf, &e) != 0) {
			ui_message(u, ROLE_ERROR, "%s", e.msg);
			return;
		}
		lessonview_ui()->scroll = 0;	/* the verdict, from the top */
		session_quiz(ss, &q);
		if (q.verdict == SESSION_RIGHT)
			ui_message(u, ROLE_CORRECT, "%s", _("Right!"));
		else if (q.verdict == SESSION_WRONG)
			ui_message(u, ROLE_PITFALL, "%s", _("Not quite -- "
			    "see the answer."));
		return;
	case LV_EDIT_EXPORT:
		lv_export_commit(u, lv.ed.buf);
		return;
	case LV_EDIT_TITLE:
		if (session_save(ss, lv.ed.buf, NULL, path, sizeof path,
		    &e) != 0) {
			ui_message(u, ROLE_ERROR, _("%s: %s"), _("not saved"),
			    e.msg);
			return;
		}
		if (ui_catalog_add(u, path) == 0)
			ui_message(u, ROLE_CORRECT, _("lesson saved, and in the "
			    "lesson list: %s"), path);
		else
			ui_message(u, ROLE_CORRECT, _("lesson saved to %s (it "
			    "is in the lesson list from the next start)"),
			    path);
		return;
	default:
		break;
	}
	if (parse_double(lv.ed.buf, &v) == -1) {
		ui_message(u, ROLE_ERROR, _("'%s' is not a number; the old "
		    "value is kept"), lv.ed.buf);
		return;
	}
	if (lv.editing == LV_EDIT_CELL) {
		lv_set_cell(u, lv.ed_field, lv.ed_r, lv.ed_c, v);
		return;
	}
	nopt = session_options(ss, opts, LV_NOPTS);
	if (lv.ed_opt < nopt)
		lessonview_report(u, session_set_option(ss, opts[lv.ed_opt], lv.ed_c,
		    v, &e), &e);
	lessonview_clamp();
}

/* The plot follows the input cell the learner selects. */
static void
lv_select_input(struct lv_step *ls)
{
	struct table_grid	g;
	size_t			mr, mc;

	lessonview_grid(lessonview_st(), STEP_INPUT, &g);
	if (g.rows == 0)
		return;
	table_grid_coord(&g, ls->ir, ls->ic, &mr, &mc);
	session_select(lessonview_ss(), mr, mc);
}

/* Arrow keys: move in a table, or change step outside one. */
static void
lv_move(struct ui *u, struct lv_step *ls, int dr, int dc)
{
	const struct session_opt *opts[LV_NOPTS];
	struct table_grid	 g;
	struct mat		*m;
	size_t			 nopt, n;

	lv.follow = 1;
	if (ls->focus == LV_OPTIONS) {
		nopt = session_options(lessonview_ss(), opts, LV_NOPTS);
		if (dr != 0) {
			if (dr < 0 && ls->opt > 0)
				ls->opt--;
			else if (dr > 0 && ls->opt + 1 < nopt)
				ls->opt++;
			ls->optel = 0;
			return;
		}
		m = ls->opt < nopt && opts[ls->opt]->kind == SESSION_OPT_VECTOR ?
		    step_field_mat(lessonview_st(), opts[ls->opt]->field) : NULL;
		n = m != NULL ? mat_numel(m) : 0;
		if (dc > 0 && ls->optel + 1 < n)
			ls->optel++;
		else if (dc < 0 && ls->optel > 0 && n > 0)
			ls->optel--;
		else
			lv_next_step(u, dc);
		return;
	}
	lessonview_grid(lessonview_st(), ls->focus == LV_TARGET ? STEP_TARGET :
	    STEP_INPUT, &g);
	if (g.rows == 0) {
		if (dc != 0)
			lv_next_step(u, dc);
		return;
	}
	if (dr < 0 && ls->r > 0)
		ls->r--;
	else if (dr > 0 && ls->r + 1 < g.rows)
		ls->r++;
	if (dc > 0) {
		if (ls->c + 1 < g.cols)
			ls->c++;
		else {
			lv_next_step(u, 1);
			return;
		}
	} else if (dc < 0) {
		if (ls->c > 0)
			ls->c--;
		else {
			lv_next_step(u, -1);
			return;
		}
	}
	lessonview_clamp();
	if (ls->focus == LV_INPUT)
		lv_select_input(ls);
}

static void
lv_tab(struct ui *u, struct lv_step *ls, int dir)
{
	const struct session_opt *opts[LV_NOPTS];
	size_t			 nopt = session_options(lessonview_ss(), opts,
				    LV_NOPTS);
	int			 f = (int)ls->focus, n = nopt > 0 ? 3 : 2;

	(void)u;
	f = (f + (dir > 0 ? 1 : n - 1)) % n;
	ls->focus = (enum lv_focus)f;
	if (ls->focus == LV_INPUT) {
		ls->r = ls->ir;
		ls->c = ls->ic;
	} else if (ls->focus == LV_TARGET) {
		/* The target of the selected sample. */
		ls->r = ls->ir;
		ls->c = step_index_target(lessonview_st()) ? 0 : ls->ic;
	}
	lessonview_clamp();
	lv.follow = 1;
}

/* e, E: ask for the format first (the next key), then the folder. */
static void
lv_export_begin(struct ui *u, int all)
{
	struct lv_lesson	*L = lessonview_lesson();

	if (L == NULL || !L->live) {
		ui_message(u, ROLE_ERROR, "%s", _("this step has no plot to "
		    "export"));
		return;
	}
	if (!plot_available()) {
		ui_message(u, ROLE_ERROR, "%s", _("gnuplot is not installed "
		    "(install gnuplot-nox)"));
		return;
	}
	lv.export_ask = all ? 2 : 1;
	ui_message(u, ROLE_QUESTION, "%s", all ?
	    _("export every plot of the lesson as: p PNG   s SVG   d PDF   "
	    "(Esc: cancel)") :
	    _("export this plot as: p PNG   s SVG   d PDF   (Esc: cancel)"));
}

/* The key after e or E: the format, then the folder is asked for. */
static void
lv_export_format(struct ui *u, int key)
{
	char	cwd[1024];
	int	all = lv.export_ask == 2;

	lv.export_ask = 0;
	switch (key) {
	case 'p': case 'P':
		lv.export_fmt = PLOT_FORMAT_PNG;
		break;
	case 's': case 'S':
		lv.export_fmt = PLOT_FORMAT_SVG;
		break;
	case 'd': case 'D':
		lv.export_fmt = PLOT_FORMAT_PDF;
		break;
	default:
		ui_message(u, ROLE_LABEL, "%s", _("nothing exported"));
		return;
	}
	if (lv.export_dir[0] == '\0') {
		if (getcwd(cwd, sizeof cwd) == NULL)
			snprintf(cwd, sizeof cwd, ".");
		snprintf(lv.export_dir, sizeof lv.export_dir, "%s", cwd);
	}
	lv.export_all = all;
	lv.editing = LV_EDIT_EXPORT;
	edit_begin(&lv.ed, _("into the folder:"), lv.export_dir);
}

/* Export the plot of step i (the current one, or every one for E) into
   dir; 1 written, 0 no plot there, -1 an error (message given). */
static int
lv_export_step(struct ui *u, struct lv_lesson *L, size_t i, const char *dir,
    char *path, size_t pathlen)
{
	struct plot_req		 req;
	struct curve_cells	 cells;
	struct err		 e;
	char			 base[256];
	const char		*id = L->lesson != NULL ? L->lesson->id : "bench";
	enum session_plot_state	 st;

	memset(&e, 0, sizeof e);
	if (i != L->ss.cur && session_goto(&L->ss, i, &e) != 0) {
		ui_message(u, ROLE_ERROR, "%s", e.msg);
		return -1;
	}
	st = lv.export_all ? session_plot_revealed(&L->ss, &req, &cells) :
	    session_plot(&L->ss, &req, &cells);
	if (st == SESSION_PLOT_HIDDEN) {
		ui_message(u, ROLE_LABEL, "%s", _("the plot appears once you "
		    "have answered"));
		return -1;
	}
	if (st != SESSION_PLOT_OK)
		return 0;
	req.lang = u->lang;
	snprintf(base, sizeof base, "losslab-%s-step%zu", id, i + 1);
	if (export_plot(&req, (enum plot_format)lv.export_fmt, dir, base,
	    path, pathlen, &e) == -1) {
		ui_message(u, ROLE_ERROR, _("%s: %s"), _("export failed"), e.msg);
		return -1;
	}
	return 1;
}

/* Enter on the folder: write the plot, or every plot, never over a
   file; say where. */
static void
lv_export_commit(struct ui *u, const char *dir)
{
	struct lv_lesson	*L = lessonview_lesson();
	char			 path[4096], first[4096];
	size_t			 i, cur, n = 0;
	int			 r = 0;

	if (L == NULL || !L->live)
		return;
	if (dir[0] == '\0')
		dir = ".";
	snprintf(lv.export_dir, sizeof lv.export_dir, "%s", dir);
	if (!lv.export_all) {
		if (lv_export_step(u, L, L->ss.cur, dir, path,
		    sizeof path) == 1)
			ui_message(u, ROLE_CORRECT, _("plot written to %s"),
			    path);
		else if (u->msg[0] == '\0')
			ui_message(u, ROLE_ERROR, "%s", _("this step has no "
			    "plot to export"));
		return;
	}
	cur = L->ss.cur;
	first[0] = '\0';
	for (i = 0; i < L->ss.nsteps; i++) {
		r = lv_export_step(u, L, i, dir, path, sizeof path);
		if (r == -1)
			break;
		if (r == 1 && n++ == 0)
			snprintf(first, sizeof first, "%s", path);
	}
	if (L->ss.cur != cur) {
		struct err	e;

		memset(&e, 0, sizeof e);
		(void)session_goto(&L->ss, cur, &e);
	}
	if (r != -1 || n > 0) {
		if (n == 0)
			ui_message(u, ROLE_LABEL, "%s", _("no step of this "
			    "lesson has a plot"));
		else if (n == 1)
			ui_message(u, ROLE_CORRECT, _("1 plot written: %s"),
			    first);
		else
			ui_message(u, ROLE_CORRECT, _("%zu plots written to "
			    "%s (the first %s)"), n, dir, first);
	}
}

/* w: ask for the title of the copy, proposing one. */
static void
lv_write(struct ui *u)
{
	struct lv_lesson	*L = lessonview_lesson();
	char			 title[512];

	if (L == NULL || L->lesson == NULL || lv.in_bench) {
		ui_message(u, ROLE_ERROR, "%s", _("nothing to save here"));
		return;
	}
	session_save_title(&L->ss, title, sizeof title);
	lv.editing = LV_EDIT_TITLE;
	edit_begin(&lv.ed, _("save as a lesson titled:"), title);
}

/* Autoplay (a kiosk): Space pauses and resumes; while it plays only the
   keys that change nothing (back, scroll, zoom) work, and they leave the
   timer as it is.  1 if the key was taken. */
static int
lv_autoplay_key(struct ui *u, int key)
{
	if (key == ' ') {
		lv.auto_paused = !lv.auto_paused;
		if (!lv.auto_paused)
			lessonview_autoplay_arm(u);
		ui_message(u, ROLE_LABEL, "%s", lv.auto_paused ?
		    _("autoplay paused: the keys work again; Space resumes") :
		    _("autoplay resumed"));
		return 1;
	}
	if (lv.auto_paused)
		return 0;
	switch (key) {
	case 'q':
	case 27:
	case 'z':
	case 4:		/* ^D */
	case 21:	/* ^U */
	case KEY_MOUSE:
		return 0;
	}
	ui_message(u, ROLE_LABEL, "%s", _("autoplay is playing: Space pauses "
	    "it (edits are off while it plays)"));
	return 1;
}

/* A digit or v on the question. */
static void
lv_answer(struct ui *u, int choice)
{
	struct session		*ss = lessonview_ss();
	struct session_quiz	 q;
	struct err		 e;

	memset(&e, 0, sizeof e);
	if (choice < 0) {
		if (session_reveal(ss) != 0) {
			session_quiz(ss, &q);
			ui_message(u, ROLE_LABEL, "%s", q.has ?
			    _("already answered (R asks again)") :
			    _("no question in this step"));
		}
		return;
	}
	if (session_answer(ss, choice, &e) != 0) {
		ui_message(u, ROLE_LABEL, "%s", e.msg);
		return;
	}
	session_quiz(ss, &q);
	switch (q.verdict) {
	case SESSION_RIGHT:
		ui_message(u, ROLE_CORRECT, "%s", q.tied ? _("Right, for the "
		    "lesson's values.") : _("Right!"));
		break;
	case SESSION_WRONG:
		ui_message(u, ROLE_PITFALL, "%s", _("Not quite -- see the "
		    "answer."));
		break;
	case SESSION_NO_FIT:
		ui_message(u, ROLE_LABEL, "%s", _("With your values none of "
		    "the choices fits exactly."));
		break;
	default:
		break;
	}
}

void
lessonkeys_reveal(struct ui *u)
{
	lv_answer(u, -1);
	lv.follow = 0;
	lessonview_ui()->scroll = 0;
}

/* p, P: the pitfall pane. */
/* d: the step in float32 or float64, and what that means for its loss. */
static void
lv_dtype(struct ui *u)
{
	struct step	*s = lessonview_st();
	struct err	 e;

	if (session_toggle_dtype(lessonview_ss(), &e) == -1) {
		ui_message(u, ROLE_LABEL, "%s", e.msg);
		return;
	}
	if (s->dtype == DTYPE_DOUBLE)
		ui_message(u, ROLE_LABEL, "%s", _("float64 (u undoes it)"));
	else if (s->ok && s->res.f32 == LOSS_F32_ROUNDED)
		ui_message(u, ROLE_LABEL, _("float32: %s has no float32 kernel "
		    "here, its float64 numbers are rounded to float32 (u undoes "
		    "it)"), loss_name(s->loss));
	else
		ui_message(u, ROLE_LABEL, "%s", _("float32, torch's default: "
		    "computed as torch computes float32 (u undoes it)"));
}

static void
lv_pitfall(struct ui *u, int next)
{
	struct step	*s = lessonview_st();
	enum pitfall_id	 fit[PITFALL_COUNT];
	char		 others[256] = "";
	int		 n, i;

	n = step_pitfalls(s, fit);
	if (n == 0) {
		ui_message(u, ROLE_LABEL, _("no pitfall applies to %s with "
		    "%s"), loss_name(s->loss),
		    _(loss_input_kind_name(s->loss)));
		return;
	}
	if (next) {
		if (session_next_pitfall(lessonview_ss()) != 0) {
			ui_message(u, ROLE_LABEL, _("%s is the only pitfall "
			    "for %s"), pitfall_name(fit[0]),
			    loss_name(s->loss));
			return;
		}
	} else if (!session_toggle_pitfall(lessonview_ss())) {
		ui_message(u, ROLE_LABEL, "%s", _("pitfall hidden"));
		return;
	}
	for (i = 0; i < n; i++)
		if (fit[i] != s->pitfall)
			snprintf(others + strlen(others), sizeof others -
			    strlen(others), "%s%s", others[0] ? ", " : "",
			    pitfall_name(fit[i]));
	if (others[0] != '\0')
		ui_message(u, ROLE_PITFALL, _("pitfall %s on your inputs (p "
		    "hides it; P shows %s)"), pitfall_name(s->pitfall), others);
	else
		ui_message(u, ROLE_PITFALL, _("pitfall %s on your inputs (p "
		    "hides it)"), pitfall_name(s->pitfall));
}

/* o O c C: samples and classes. */
static void
lv_shape(struct ui *u, struct lv_step *ls, int key)
{
	struct session	*ss = lessonview_ss();
	struct step	*s = lessonview_st();
	struct err	 e;
	struct table_grid g;
	size_t		 mr, mc, row, col;
	int		 r;

	memset(&e, 0, sizeof e);
	lessonview_grid(s, STEP_INPUT, &g);
	table_grid_coord(&g, ls->focus == LV_INPUT ? ls->r : ls->ir,
	    ls->focus == LV_INPUT ? ls->c : ls->ic, &mr, &mc);
	row = s->input.ndim == 2 ? mr : mc;
	col = mc;
	if (key == 'o')
		r = session_add_row(ss, &e);
	else if (key == 'O')
		r = session_remove_row(ss, row, &e);
	else if (key == 'c')
		r = session_add_col(ss, &e);
	else
		r = session_remove_col(ss, col, &e);
	lessonview_report(u, r, &e);
	if (r == 0 && key == 'o' && ls->focus != LV_OPTIONS) {
		/* Select the new sample (or element). */
		if (s->input.ndim == 2)
			ls->r = s->input.rows - 1;
		else if (ls->focus == LV_INPUT || !step_index_target(s))
			ls->c = s->input.cols - 1;
	} else if (r == 0 && key == 'c' && ls->focus == LV_INPUT)
		ls->c = s->input.cols - 1;
	lessonview_clamp();
}

/* A click: on a cell, select it (the plot follows an input cell); on a
   choice, answer with it; the wheel scrolls. */
static void
lv_mouse(struct ui *u, struct lv_step *ls)
{
	const struct lv_hit	*h;
	int			 i, py;

	if (u->mouse_bstate & BUTTON4_PRESSED) {
		ls->scroll -= 3;
		lv.follow = 0;
		return;
	}
	if (u->mouse_bstate & BUTTON5_PRESSED) {
		ls->scroll += 3;
		lv.follow = 0;
		return;
	}
	if (!(u->mouse_bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return;
	py = u->mouse_y - lv.top + ls->scroll;
	for (i = 0; i < lv.nhits; i++) {
		h = &lv.hits[i];
		if (h->y != py || u->mouse_x < h->x0 || u->mouse_x >= h->x1)
			continue;
		if (h->kind == LV_HIT_CHOICE) {
			lv_answer(u, h->choice);
			lv.follow = 0;
			return;
		}
		ls->focus = h->field == STEP_TARGET ? LV_TARGET : LV_INPUT;
		ls->r = h->r;
		ls->c = h->c;
		lessonview_clamp();
		if (ls->focus == LV_INPUT)
			lv_select_input(ls);
		lv.follow = 0;
		return;
	}
}

/*
 * A training step's keys: Space pauses and resumes, s trains one epoch,
 * + and - move the learning rate along 1, 2, 5 x 10^k, > and < the
 * momentum by 0.1 (0 to 0.9), R restarts both runs, b shows the decision
 * maps instead of the curves (and back).  Before the step's
 * question is answered they say so.  Returns 1 when the key was taken.
 */
static int
lv_train_key(struct ui *u, struct session *ss, int key)
{
	const struct session_train *tr = session_train(ss);
	struct err	 e;
	double		 m;
	int		 rc;

	/* curses' KEY_ codes are above 255: never one of these */
	if (key <= 0 || key > 255 || strchr(" s+=-_<>Rb", key) == NULL)
		return 0;
	if (lessonview_hidden()) {
		if (key == ' ')
			return 0;	/* Space: the next step, as elsewhere */
		ui_message(u, ROLE_QUESTION, "%s", _("answer the question "
		    "first (or v to reveal): then the runs start"));
		return 1;
	}
	switch (key) {
	case 'b':
		rc = trainchart_toggle(ss);
		ui_message(u, ROLE_LABEL, "%s", rc < 0 ? _("no decision map: "
		    "the data are not 2-D") : rc ? _("decision maps (b: the "
		    "curves again)") : _("the curves (b: the decision maps)"));
		return 1;
	case ' ':
		rc = session_train_pause(ss);
		lv.train_last = lessonview_now();
		ui_message(u, ROLE_LABEL, "%s", rc ? _("paused (Space resumes, "
		    "s trains one epoch, ] goes on)") : _("training"));
		return 1;
	case 's':
		if (session_train_advance(ss, 1, 1, &e) < 0)
			ui_message(u, ROLE_ERROR, "%s", e.msg);
		else if (!tr->paused)
			(void)session_train_pause(ss);
		ui_message(u, ROLE_LABEL, _("epoch %ld (paused; s trains one "
		    "more, Space resumes)"), tr->run.epoch);
		return 1;
	case '+':
	case '=':
	case '-':
	case '_':
		rc = session_train_nudge_lr(ss, key == '+' || key == '=' ? 1 :
		    -1, &e);
		break;
	case '>':
	case '<':
		m = tr->momentum + (key == '>' ? 0.1 : -0.1);
		m = round(m * 10) / 10;
		if (m < 0 || m > 0.9) {
			ui_message(u, ROLE_LABEL, _("momentum stays %g (0 to "
			    "0.9 here)"), tr->momentum);
			return 1;
		}
		rc = session_train_set(ss, tr->lr, m, &e);
		break;
	default:	/* R */
		if (session_train_restart(ss, &e) != 0) {
			ui_message(u, ROLE_ERROR, "%s", e.msg);
			return 1;
		}
		lv.train_last = lessonview_now();
		ui_message(u, ROLE_LABEL, _("restarted from the same initial "
		    "parameters with lr %g, momentum %g (both runs)"), tr->lr,
		    tr->momentum);
		return 1;
	}
	if (rc != 0)
		ui_message(u, ROLE_WARNING, "%s", e.msg);
	else
		ui_message(u, ROLE_LABEL, _("lr %g, momentum %g from epoch %ld "
		    "on (R restarts with them)"), tr->lr, tr->momentum,
		    tr->run.epoch);
	return 1;
}

enum ui_action
lessonkeys_lesson(struct ui *u, int key)
{
	struct lv_step	*ls = lessonview_ui();
	struct session	*ss = lessonview_ss();

	if (ls == NULL || ss == NULL)
		return UI_BACK;
	if (lv.ed.active) {
		switch (edit_key(&lv.ed, key)) {
		case EDIT_COMMIT:
			lv_edit_commit(u);
			break;
		case EDIT_CANCEL:
			ui_message(u, ROLE_LABEL, "%s",
			    lv.editing == LV_EDIT_TITLE ? _("not saved") :
			    lv.editing == LV_EDIT_EXPORT ? _("nothing exported") :
			    _("edit cancelled"));
			break;
		default:
			break;
		}
		return UI_STAY;
	}
	if (lv.export_ask) {
		lv_export_format(u, key);
		return UI_STAY;
	}
	if (lv.auto_on && lv_autoplay_key(u, key))
		return UI_STAY;
	if (session_train(ss) != NULL && lv_train_key(u, ss, key))
		return UI_STAY;
	/* Editing keys scroll to the selection; step changes, p and the
	   scroll keys turn that off again. */
	lv.follow = 1;
	switch (key) {
	case 'q':
	case 27:
		/* back to the list, the edits kept */
		u->cur = lv.cur;
		return UI_BACK;
	case 'z':
		return UI_OPEN_ZOOM;
	case ' ':
	case KEY_NPAGE:
	case ']':
		lv_next_step(u, 1);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
	case KEY_PPAGE:
	case '[':
		lv_next_step(u, -1);
		break;
	case KEY_HOME:
		lessonkeys_goto_step(u, 0);
		break;
	case KEY_END:
		lessonkeys_goto_step(u, ss->nsteps - 1);
		break;
	case 'n':
		lessonkeys_next_lesson(u, 1);
		break;
	case 'N':
		lessonkeys_next_lesson(u, -1);
		break;
	case KEY_UP:
	case 'k':
		lv_move(u, ls, -1, 0);
		break;
	case KEY_DOWN:
	case 'j':
		lv_move(u, ls, 1, 0);
		break;
	case KEY_LEFT:
	case 'h':
		lv_move(u, ls, 0, -1);
		break;
	case KEY_RIGHT:
	case 'l':
		lv_move(u, ls, 0, 1);
		break;
	case '\t':
		lv_tab(u, ls, 1);
		break;
	case KEY_BTAB:
		lv_tab(u, ls, -1);
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		lv_edit_begin(u, ls);
		break;
	case '+':
	case '=':
		lv_nudge(u, ls, 1, 0);
		break;
	case '-':
	case '_':
		lv_nudge(u, ls, -1, 0);
		break;
	case '>':
		lv_nudge(u, ls, 1, 1);
		break;
	case '<':
		lv_nudge(u, ls, -1, 1);
		break;
	case 'o':
	case 'O':
	case 'c':
	case 'C':
		lv_shape(u, ls, key);
		break;
	case 'r':
		session_cycle_reduction(ss);
		ui_message(u, ROLE_LABEL, "reduction = %s",
		    loss_reduction_name(lessonview_st()->opts.reduction));
		break;
	case 'u':
		if (session_undo(ss) == -1)
			ui_message(u, ROLE_LABEL, "%s", _("nothing to undo"));
		lessonview_clamp();
		break;
	case 'R':
		session_reset(ss);
		lessonview_clamp();
		ui_message(u, ROLE_LABEL, "%s", _("step reset to the lesson's "
		    "values, its question unanswered (u undoes the values)"));
		break;
	case 'p':
	case 'P':
		lv_pitfall(u, key == 'P');
		lv.follow = 0;
		break;
	case 'd':
		lv_dtype(u);
		break;
	case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
	case 'v':
		/* the verdict and the explanation, from the top */
		lv_answer(u, key == 'v' ? -1 : key - '1');
		lv.follow = 0;
		ls->scroll = 0;
		break;
	case 'g': {
		struct session_quiz	q;

		session_quiz(ss, &q);
		if (!q.has)
			ui_message(u, ROLE_LABEL, "%s", _("no question in "
			    "this step"));
		else if (!q.hidden)
			ui_message(u, ROLE_LABEL, "%s", _("already answered "
			    "(R asks again)"));
		else if (lessonview_st()->src->predict.nchoices > 0)
			ui_message(u, ROLE_LABEL, _("choose one of the "
			    "choices: 1 to %d"),
			    lessonview_st()->src->predict.nchoices);
		else {
			lv.editing = LV_EDIT_GUESS;
			edit_begin(&lv.ed, lessonview_st()->src->predict.prompt !=
			    NULL ? lessonview_st()->src->predict.prompt :
			    _("your guess:"), "");
		}
		break;
	}
	case 'e':
	case 'E':
		lv_export_begin(u, key == 'E');
		break;
	case 'w':
		lv_write(u);
		break;
	case 4:		/* ^D */
		ls->scroll += LINES / 2;
		lv.follow = 0;
		break;
	case 21:	/* ^U */
		ls->scroll -= LINES / 2;
		lv.follow = 0;
		break;
	case KEY_MOUSE:
		lv_mouse(u, ls);
		break;
	}
	return UI_STAY;
}

/* The zoomed plot: z, q or Esc go back; the steps and the nudges go on
   under it, so a class can watch the curve move. */
enum ui_action
lessonkeys_zoom(struct ui *u, int key)
{
	switch (key) {
	case 'z':
	case 'q':
	case 27:
		return UI_BACK;
	case ' ':
	case ']':
	case KEY_NPAGE:
	case KEY_BACKSPACE:
	case 127:
	case 8:
	case '[':
	case KEY_PPAGE:
	case '+':
	case '=':
	case '-':
	case '_':
	case '>':
	case '<':
	case 'p':
	case 'P':
	case 'd':
	case 'r':
	case 'u':
	case 'R':
	case KEY_LEFT:
	case KEY_RIGHT:
	case KEY_UP:
	case KEY_DOWN:
	case 'h':
	case 'j':
	case 'k':
	case 'l':
		(void)lessonkeys_lesson(u, key);
		break;
	}
	return UI_STAY;
}

