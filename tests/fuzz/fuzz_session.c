/*
 * fuzz_session.c -- libFuzzer target: the session model's edit sequences
 * (src/session.h), on every shipped lesson.
 *
 * The first byte picks a lesson of $top_srcdir/lessons (both languages, sorted
 * by file name); the rest is a program of at most 64 edits, each an
 * operation byte and its arguments: go to a step (one past the last too),
 * set or nudge a cell (input or target, indices one past the shape too),
 * set, nudge or create an option, add or remove a row or column, cycle the
 * reduction, undo, reset, toggle or step the pitfall, answer, guess or
 * reveal, select or unselect a cell.  Invariants, after every edit:
 *   - nothing crashes (ASan, UBSan);
 *   - the current step's results are those of the core on its values: a
 *     fresh dtype_check() (torch's dtype rules), loss_eval() and
 *     pitfall_eval() agree with st.ok, st.res and
 *     st.pitfall_ok, st.pres, bit for bit (NaN as NaN);
 *   - the plot's cells are inside the input (a selected cell that an
 *     edit left outside is not followed); the question and the quiz
 *     render, and every eighth edit the narrative;
 *   - after a reset the step's values are those it started with;
 * and at the end, for every visited step whose undo stack never filled
 * (STEP_UNDO_MAX), undoing to the bottom gives the values it started with;
 * --dump of the whole session renders.
 */
#include "config.h"

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

#include "dump.h"
#include "fuzz.h"
#include "lesson.h"
#include "session.h"
#include "step.h"

#define MAX_EDITS	64
#define MAX_LESSONS	128

static struct lesson	*lessons[MAX_LESSONS];
static size_t		 nlessons;
static FILE		*devnull;

/* A step's values: what reset and undo restore. */
struct vals {
	int		 have;
	enum loss_id	 loss;
	struct mat	 input, target, weight, pos_weight;
	struct loss_opts opts;
	enum pitfall_id	 pitfall;
	int		 show_pitfall;
};

static void
vals_take(struct vals *v, const struct step *s)
{
	v->have = 1;
	v->loss = s->loss;
	if (mat_copy(&v->input, &s->input, NULL) != 0 ||
	    mat_copy(&v->target, &s->target, NULL) != 0 ||
	    (s->weight.ndim && mat_copy(&v->weight, &s->weight, NULL) != 0) ||
	    (s->pos_weight.ndim && mat_copy(&v->pos_weight, &s->pos_weight,
	    NULL) != 0))
		abort();
	v->opts = s->opts;
	v->pitfall = s->pitfall;
	v->show_pitfall = s->show_pitfall;
}

static void
vals_free(struct vals *v)
{
	mat_free(&v->input);
	mat_free(&v->target);
	mat_free(&v->weight);
	mat_free(&v->pos_weight);
	memset(v, 0, sizeof *v);
}

/* Which of s's values differ from v, or NULL. */
static const char *
vals_diff(const struct vals *v, const struct step *s)
{
	const struct loss_opts *a = &v->opts, *b = &s->opts;

	if (v->loss != s->loss)
		return "loss";
	if (!fz_same_mat(&v->input, &s->input))
		return "input";
	if (!fz_same_mat(&v->target, &s->target))
		return "target";
	if (!fz_same_mat(&v->weight, &s->weight))
		return "weight";
	if (!fz_same_mat(&v->pos_weight, &s->pos_weight))
		return "pos_weight";
	if (a->reduction != b->reduction || a->ignore_index != b->ignore_index
	    || !fz_same_double(a->label_smoothing, b->label_smoothing) ||
	    !fz_same_double(a->margin, b->margin) || a->p != b->p ||
	    !fz_same_double(a->alpha, b->alpha) ||
	    !fz_same_double(a->gamma, b->gamma) ||
	    a->log_target != b->log_target)
		return "options";
	if (v->pitfall != s->pitfall)
		return "pitfall";
	if (v->show_pitfall != s->show_pitfall)
		return "show_pitfall";
	return NULL;
}

static int
same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

static int
same_result(const struct loss_result *a, const struct loss_result *b)
{
	size_t	i;

	if (!same_bits(a->value, b->value) || a->elem.ndim != b->elem.ndim ||
	    a->elem.rows != b->elem.rows || a->elem.cols != b->elem.cols)
		return 0;
	for (i = 0; i < a->elem.rows * a->elem.cols; i++)
		if (!same_bits(a->elem.v[i], b->elem.v[i]))
			return 0;
	return 1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char	*top = getenv("top_srcdir");
	struct err	 err;
	char		 dir[2048], path[4096], *names[MAX_LESSONS];
	struct dirent	*de;
	DIR		*d;
	size_t		 i, n = 0, len;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "%s/lessons", top != NULL ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		abort();
	}
	while ((de = readdir(d)) != NULL && n < MAX_LESSONS) {
		len = strlen(de->d_name);
		if (len > 7 && strcmp(de->d_name + len - 7, ".lesson") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_names);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((lessons[nlessons] = lesson_load(path, &err))
		    != NULL)
			nlessons++;
		else
			fprintf(stderr, "fuzz_session: %s\n", err.msg);
		free(names[i]);
	}
	if (nlessons == 0) {
		fprintf(stderr, "fuzz_session: no lessons in %s\n", dir);
		abort();
	}
	devnull = fopen("/dev/null", "w");
	return 0;
}

/* Whether torch takes loss id on s's dtypes (core/dtype.c); sets
   o->float32 to the dtype it computes in. */
static int
fz_dtype(const struct step *s, enum loss_id id, struct loss_opts *o)
{
	struct err	e;
	enum dtype	rdt;
	int		prob = id == LOSS_CE &&
			    mat_same_shape(&s->input, &s->target);

	if (dtype_check(id, prob, s->dtype, step_target_dtype(s), &rdt,
	    &e) != 0) {
		o->float32 = 0;
		return 0;
	}
	o->float32 = rdt == DTYPE_FLOAT;
	return 1;
}

/* The current step against the core, and what is derived from it. */
static void
check_step(struct session *ss, int render)
{
	struct session_step	*cs = session_cur(ss);
	struct step		*s = &cs->st;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct loss_opts	 o = s->opts;
	struct session_quiz	 q;
	struct session_text	 t = SESSION_TEXT_INIT;
	struct plot_req		 req;
	struct curve_cells	 cells;
	struct err		 e;
	size_t			 i;
	int			 ok, dt_ok;

	FZ_CHECK(cs->inited, "the current step is not set up");
	o.weight = s->weight.ndim ? &s->weight : NULL;
	o.pos_weight = s->pos_weight.ndim ? &s->pos_weight : NULL;
	/* torch's dtype rules first (a BCELoss with a Long target is
	   refused whatever its values), then the loss in the result's
	   dtype */
	dt_ok = fz_dtype(s, s->loss, &o);
	ok = loss_eval(s->loss, &s->input, &s->target, &o, &r, &e) == 0;
	if (!dt_ok)
		ok = 0;
	FZ_CHECK(ok == s->ok, "the step says %s, the core %s (%s)",
	    s->ok ? "ok" : "refused", ok ? "ok" : "refused", ok ? "" : e.msg);
	if (ok)
		FZ_CHECK(same_result(&r, &s->res), "the results differ from "
		    "the core's");
	loss_result_free(&r);
	if (s->pitfall != PITFALL_NONE) {
		dt_ok = fz_dtype(s, pitfall_loss(s->pitfall), &o);
		ok = pitfall_eval(s->pitfall, &s->input, &s->target, &o, &r,
		    &e) == 0 && dt_ok;
		FZ_CHECK(ok == s->pitfall_ok, "the pitfall: step %d, core %d",
		    s->pitfall_ok, ok);
		if (ok)
			FZ_CHECK(same_result(&r, &s->pres), "the pitfall's "
			    "results differ from the core's");
		loss_result_free(&r);
	} else
		FZ_CHECK(!s->pitfall_ok, "pitfall results without a pitfall");
	if (session_plot(ss, &req, &cells) == SESSION_PLOT_OK &&
	    req.cells != NULL) {
		FZ_CHECK(cells.ncells >= 1 && cells.ncells <= CURVE_CELLS_MAX,
		    "%zu plot cells", cells.ncells);
		for (i = 0; i < cells.ncells; i++)
			FZ_CHECK(cells.cells[i].r < cells.input->rows &&
			    cells.cells[i].c < cells.input->cols,
			    "plot cell (%zu, %zu) of %zu x %zu",
			    cells.cells[i].r, cells.cells[i].c,
			    cells.input->rows, cells.input->cols);
	}
	session_quiz(ss, &q);
	FZ_CHECK(q.choice >= -1, "choice %d", q.choice);
	if (render && s->src != NULL && s->src->text != NULL) {
		FZ_CHECK(session_render(ss, s->src->text, &t) == 0, "render");
		session_text_free(&t);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct session_opt *opts[16];
	struct fz		 f = { data, size };
	const struct lesson	*l;
	struct session		 ss;
	struct session_step	*cs;
	struct step		*s;
	struct vals		*start;
	int			*full;
	struct err		 e;
	enum step_field		 fl;
	size_t			 i, n, k, r, c;
	double			 v;
	char			*g;
	int			 op, edits, dir, large;

	l = lessons[fz_pick(&f, (unsigned)nlessons)];
	if (session_init(&ss, l, &e) != 0) {
		session_free(&ss);
		return 0;
	}
	start = calloc(ss.nsteps, sizeof *start);
	full = calloc(ss.nsteps, sizeof *full);
	if (start == NULL || full == NULL)
		abort();
	vals_take(&start[ss.cur], &session_cur(&ss)->st);
	for (edits = 0; edits < MAX_EDITS && f.n > 0; edits++) {
		cs = session_cur(&ss);
		s = &cs->st;
		/* one byte a statement: a call's arguments are read in the
		   compiler's order, and gcc's replay must decode as clang */
		op = fz_pick(&f, 18);
		fl = fz_u8(&f) & 1 ? STEP_TARGET : STEP_INPUT;
		switch (op) {
		case 0:
			session_goto(&ss, fz_pick(&f, (unsigned)ss.nsteps + 1),
			    &e);
			break;
		case 1:
		case 2:
			r = fz_pick(&f, (unsigned)s->input.rows + 1);
			c = fz_pick(&f, (unsigned)s->input.cols + 1);
			v = fz_double(&f);
			session_set_cell(&ss, fl, r, c, v, &e);
			break;
		case 3:
			r = fz_pick(&f, (unsigned)s->input.rows + 1);
			c = fz_pick(&f, (unsigned)s->input.cols + 1);
			dir = fz_u8(&f) & 1 ? 1 : -1;
			large = fz_u8(&f) & 1;
			session_nudge_cell(&ss, fl, r, c, dir, large, &e);
			break;
		case 4:
		case 5:
		case 6:
			n = session_options(&ss, opts, 16);
			if (n == 0)
				break;
			k = fz_pick(&f, (unsigned)n);
			r = fz_pick(&f, 6);
			if (op == 4) {
				v = fz_double(&f);
				session_set_option(&ss, opts[k], r, v, &e);
			} else if (op == 5) {
				dir = fz_u8(&f) & 1 ? 1 : -1;
				large = fz_u8(&f) & 1;
				session_nudge_option(&ss, opts[k], r, dir,
				    large, &e);
			} else
				session_create_vector(&ss, opts[k], &e);
			break;
		case 7:
			session_add_row(&ss, &e);
			break;
		case 8:
			session_remove_row(&ss, fz_pick(&f, (unsigned)
			    (s->input.ndim == 2 ? s->input.rows :
			    s->input.cols) + 1), &e);
			break;
		case 9:
			if (s->input.cols < 16)
				session_add_col(&ss, &e);
			break;
		case 10:
			session_remove_col(&ss, fz_pick(&f, (unsigned)
			    s->input.cols + 1), &e);
			break;
		case 11:
			session_cycle_reduction(&ss);
			break;
		case 12:
			session_undo(&ss);
			break;
		case 13:
			session_reset(&ss);
			FZ_CHECK(vals_diff(&start[ss.cur], s) == NULL,
			    "after a reset, step %zu's %s is not its own",
			    ss.cur + 1, vals_diff(&start[ss.cur], s));
			break;
		case 14:
			if (fz_u8(&f) & 1)
				session_toggle_pitfall(&ss);
			else
				session_next_pitfall(&ss);
			break;
		case 15:
			switch (fz_pick(&f, 3)) {
			case 0:
				session_answer(&ss, (int)fz_pick(&f, 10) - 1,
				    &e);
				break;
			case 1:
				g = fz_str(&f, 40);
				session_guess(&ss, g, &e);
				free(g);
				break;
			default:
				session_reveal(&ss);
			}
			break;
		case 16:
			r = fz_pick(&f, (unsigned)s->input.rows + 1);
			c = fz_pick(&f, (unsigned)s->input.cols + 1);
			session_select(&ss, r, c);
			break;
		default:
			session_unselect(&ss);
		}
		cs = session_cur(&ss);
		if (!start[ss.cur].have)
			vals_take(&start[ss.cur], &cs->st);
		if (cs->st.nundo >= STEP_UNDO_MAX)
			full[ss.cur] = 1;
		check_step(&ss, edits % 8 == 7);
	}
	/* undo to the bottom: the values each step started with */
	for (i = 0; i < ss.nsteps; i++) {
		if (!start[i].have || full[i])
			continue;
		FZ_CHECK(session_goto(&ss, i, &e) == 0, "goto %zu: %s", i,
		    e.msg);
		for (k = 0; k <= STEP_UNDO_MAX && session_undo(&ss) == 0; k++)
			;
		FZ_CHECK(k <= STEP_UNDO_MAX, "undo never ends");
		FZ_CHECK(vals_diff(&start[i], &session_cur(&ss)->st) == NULL,
		    "undone to the bottom, step %zu's %s is not its own",
		    i + 1, vals_diff(&start[i], &session_cur(&ss)->st));
		check_step(&ss, 0);
	}
	if (devnull != NULL)
		dump_session(devnull, &ss, 80, 0);
	for (i = 0; i < ss.nsteps; i++)
		vals_free(&start[i]);
	free(start);
	free(full);
	session_free(&ss);
	return 0;
}
