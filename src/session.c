/*
 * session.c -- one lesson, live (see session.h): the editing rules of the
 * explorer (option table, nudges and their snapping, answers), the
 * narrative rendered paragraph by paragraph with what no longer holds
 * marked, the quiz verdicts, the plot request and the pitfall comparison.
 *
 * Every number comes from the steps (step.h, i.e. the loss core); this file
 * decides what follows from them and words it for the learner.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "parse.h"
#include "session.h"
#include "strbuf.h"
#include "template.h"

/* ---- the option table ------------------------------------------------------ */

/* kind, LESSON_OPT_ bit, step_set_option name, loss_has_option name, field,
   nudge steps. */
#define SESSION_OPTIONS(X)						\
	X(SESSION_OPT_REDUCTION, LESSON_OPT_REDUCTION, "reduction", NULL,	\
	    STEP_INPUT, 0, 0)						\
	X(SESSION_OPT_VECTOR, LESSON_OPT_WEIGHT, "weight", "weight",	\
	    STEP_WEIGHT, 0.1, 1)					\
	X(SESSION_OPT_VECTOR, LESSON_OPT_POS_WEIGHT, "pos_weight",	\
	    "pos-weight", STEP_POS_WEIGHT, 0.1, 1)			\
	X(SESSION_OPT_SCALAR, LESSON_OPT_IGNORE_INDEX, "ignore_index",	\
	    "ignore-index", STEP_INPUT, 1, 1)				\
	X(SESSION_OPT_SCALAR, LESSON_OPT_LABEL_SMOOTHING,		\
	    "label_smoothing", "label-smoothing", STEP_INPUT, 0.1, 1)	\
	X(SESSION_OPT_SCALAR, LESSON_OPT_MARGIN, "margin", "margin",	\
	    STEP_INPUT, 0.1, 1)						\
	X(SESSION_OPT_SCALAR, LESSON_OPT_P, "p", "p", STEP_INPUT, 1, 1)	\
	X(SESSION_OPT_SCALAR, LESSON_OPT_ALPHA, "alpha", "alpha",	\
	    STEP_INPUT, 0.1, 1)						\
	X(SESSION_OPT_SCALAR, LESSON_OPT_GAMMA, "gamma", "gamma",	\
	    STEP_INPUT, 0.1, 1)						\
	X(SESSION_OPT_SCALAR, LESSON_OPT_LOG_TARGET, "log_target",	\
	    "log-target", STEP_INPUT, 1, 1)

static const struct session_opt session_opts[] = {
#define SESSION_OPT_ROW(kind, bit, name, cli, field, small, large)	\
	{ kind, bit, name, cli, field, small, large },
	SESSION_OPTIONS(SESSION_OPT_ROW)
#undef SESSION_OPT_ROW
};
#define SESSION_NOPTS	(sizeof session_opts / sizeof session_opts[0])

static int	session_train_new(struct session_step *, struct err *);
static void	session_train_free(struct session_train *);
static void	session_train_sync(struct session_step *);

/* ---- life ------------------------------------------------------------------ */

static void
session_zero(struct session *ss)
{
	memset(ss, 0, sizeof *ss);
}

/* Set up step i on its first visit. */
static int
session_ensure(struct session *ss, size_t i, struct err *e)
{
	struct session_step *sp = &ss->steps[i];

	if (sp->inited)
		return 0;
	memset(sp, 0, sizeof *sp);
	if (step_init(&sp->st, ss->lesson, i, e) != 0) {
		step_free(&sp->st);
		return -1;
	}
	if (session_train_new(sp, e) != 0) {
		step_free(&sp->st);
		return -1;
	}
	sp->inited = 1;
	sp->choice = -1;
	return 0;
}

int
session_init(struct session *ss, const struct lesson *l, struct err *e)
{
	session_zero(ss);
	if (l == NULL || l->nsteps == 0)
		return err_set(e, "a lesson without steps");
	ss->lesson = l;
	ss->nsteps = l->nsteps;
	if ((ss->steps = calloc(l->nsteps, sizeof *ss->steps)) == NULL)
		return err_set(e, "out of memory");
	return session_ensure(ss, 0, e);
}

int
session_init_values(struct session *ss, enum loss_id loss,
    const struct mat *input, const struct mat *target,
    const struct loss_opts *o, enum pitfall_id pitfall, struct err *e)
{
	session_zero(ss);
	ss->nsteps = 1;
	if ((ss->steps = calloc(1, sizeof *ss->steps)) == NULL)
		return err_set(e, "out of memory");
	if (step_init_values(&ss->steps[0].st, loss, input, target, o,
	    pitfall, e) != 0) {
		step_free(&ss->steps[0].st);
		return -1;
	}
	ss->steps[0].inited = 1;
	ss->steps[0].choice = -1;
	return 0;
}

void
session_free(struct session *ss)
{
	size_t	i;

	for (i = 0; ss->steps != NULL && i < ss->nsteps; i++)
		if (ss->steps[i].inited) {
			session_train_free(ss->steps[i].train);
			step_free(&ss->steps[i].st);
		}
	free(ss->steps);
	session_zero(ss);
}

int
session_goto(struct session *ss, size_t i, struct err *e)
{
	if (i >= ss->nsteps)
		return err_set(e, "no step %zu in this lesson", i + 1);
	if (session_ensure(ss, i, e) != 0)
		return -1;
	ss->cur = i;
	return 0;
}

struct session_step *
session_cur(struct session *ss)
{
	return &ss->steps[ss->cur];
}

const struct session_step *
session_cur_const(const struct session *ss)
{
	return &ss->steps[ss->cur];
}

/* Two tensors with the same shape and values (NaN equal to NaN). */
static int
session_same_mat(const struct mat *a, const struct mat *b)
{
	size_t	i, n;

	if (a->ndim == 0 || b->ndim == 0)
		return a->ndim == b->ndim;
	if (!mat_same_shape(a, b))
		return 0;
	n = mat_numel(a);
	for (i = 0; i < n; i++)
		if (a->v[i] != b->v[i] && !(isnan(a->v[i]) && isnan(b->v[i])))
			return 0;
	return 1;
}

int
session_edited(const struct session *ss, size_t i)
{
	const struct step	*s;
	const struct lesson_step *src;
	const struct loss_opts	*a, *b;

	if (i >= ss->nsteps || !ss->steps[i].inited)
		return 0;
	s = &ss->steps[i].st;
	if ((src = s->src) == NULL)
		return 0;
	a = &s->opts;
	b = &src->opts;
	return s->loss != src->loss ||
	    !session_same_mat(&s->input, &src->input) ||
	    !session_same_mat(&s->target, &src->target) ||
	    !session_same_mat(&s->weight, &src->weight) ||
	    !session_same_mat(&s->pos_weight, &src->pos_weight) ||
	    a->reduction != b->reduction || a->ignore_index != b->ignore_index ||
	    a->label_smoothing != b->label_smoothing ||
	    a->margin != b->margin || a->p != b->p || a->alpha != b->alpha ||
	    a->gamma != b->gamma || a->log_target != b->log_target ||
	    s->dtype != (b->float32 ? DTYPE_FLOAT : DTYPE_DOUBLE) ||
	    s->target_dtype != src->target_dtype;
}

/* ---- options ------------------------------------------------------------------ */

size_t
session_options(const struct session *ss, const struct session_opt **out,
    size_t max)
{
	const struct step	*s = &session_cur_const(ss)->st;
	unsigned		 mask = ss->lesson != NULL ?
				    ss->lesson->options : 0;
	size_t			 i, n = 0;

	for (i = 0; i < SESSION_NOPTS && n < max; i++) {
		if (!(mask & session_opts[i].bit))
			continue;
		if (session_opts[i].cli != NULL &&
		    !loss_has_option(s->loss, session_opts[i].cli))
			continue;
		out[n++] = &session_opts[i];
	}
	return n;
}

/* The value of scalar option `name` in op (NaN for an unknown name). */
static double
session_scalar(const struct loss_opts *op, const char *name)
{
	double v;

	return step_option_get(op, name, &v) == 0 ? v : NAN;
}

double
session_option_value(const struct session *ss, const struct session_opt *o)
{
	if (o->kind != SESSION_OPT_SCALAR)
		return NAN;
	return session_scalar(&session_cur_const(ss)->st.opts, o->name);
}

const char *
session_fixed_options(const struct session *ss, char *buf, size_t len)
{
	const struct session_opt *shown[SESSION_NOPTS];
	const struct step	*s = &session_cur_const(ss)->st;
	const struct mat	*m;
	size_t			 i, j, nshown, n;
	char			 v[64];
	int			 is_shown;

	buf[0] = '\0';
	nshown = session_options(ss, shown, SESSION_NOPTS);
	for (i = 0; i < SESSION_NOPTS; i++) {
		const struct session_opt *o = &session_opts[i];

		for (is_shown = 0, j = 0; j < nshown; j++)
			if (shown[j] == o)
				is_shown = 1;
		if (is_shown || (o->cli != NULL &&
		    !loss_has_option(s->loss, o->cli)))
			continue;
		n = strlen(buf);
		if (o->kind == SESSION_OPT_REDUCTION)
			snprintf(v, sizeof v, "%s",
			    loss_reduction_name(s->opts.reduction));
		else if (o->kind == SESSION_OPT_VECTOR) {
			m = o->field == STEP_WEIGHT ? &s->weight :
			    &s->pos_weight;
			snprintf(v, sizeof v, "%s", m->ndim == 0 ? "none" :
			    "[...]");
		} else
			step_fmt(session_scalar(&s->opts, o->name), 6, v,
			    sizeof v);
		snprintf(buf + n, len - n, "%s%s=%s", n ? ", " : "", o->name,
		    v);
	}
	return buf;
}

/* ---- edits -------------------------------------------------------------------- */

/* 0.1 + 0.2 is 0.30000000000000004: snap such a sum of nudges to the
   short decimal it is meant to be, but leave real precision alone. */
static double
session_snap(double v)
{
	double	r;

	if (!(fabs(v) < 1e6))
		return v;
	r = round(v * 1e9) / 1e9;
	return fabs(r - v) < 1e-12 * fmax(1, fabs(v)) ? r : v;
}

int
session_set_cell(struct session *ss, enum step_field f, size_t r, size_t c,
    double v, struct err *e)
{
	struct session_step *sp = session_cur(ss);

	if (step_set_cell(&sp->st, f, r, c, v, e) != 0)
		return -1;
	if (f == STEP_INPUT)
		session_select(ss, r, c);
	return 0;
}

int
session_nudge_cell(struct session *ss, enum step_field f, size_t r,
    size_t c, int dir, int large, struct err *e)
{
	struct step	*s = &session_cur(ss)->st;
	struct mat	*m = step_field_mat(s, f);
	double		 d;

	if (m == NULL || r >= m->rows || c >= m->cols)
		return err_set(e, "no cell (%zu, %zu) here", r + 1, c + 1);
	if (f == STEP_TARGET && step_index_target(s))
		d = dir;		/* class indices move by one */
	else
		d = (large ? 1.0 : 0.1) * dir;
	return session_set_cell(ss, f, r, c, session_snap(MAT_AT(m, r, c) + d),
	    e);
}

int
session_set_option(struct session *ss, const struct session_opt *o,
    size_t el, double v, struct err *e)
{
	struct step	*s = &session_cur(ss)->st;

	switch (o->kind) {
	case SESSION_OPT_VECTOR:
		return step_set_cell(s, o->field, 0, el, v, e);
	case SESSION_OPT_SCALAR:
		return step_set_option(s, o->name, v, e);
	default:
		return err_set(e, "%s", _("reduction is chosen, not typed: r cycles it"));
	}
}

int
session_create_vector(struct session *ss, const struct session_opt *o,
    struct err *e)
{
	struct step	*s = &session_cur(ss)->st;
	struct mat	*m;
	size_t		 i, C = s->input.cols;

	if (o->kind != SESSION_OPT_VECTOR)
		return err_set(e, "%s is not a tensor", o->name);
	m = o->field == STEP_WEIGHT ? &s->weight : &s->pos_weight;
	if (m->ndim != 0)
		return 0;
	if (C == 0)
		return err_set(e, "%s", _("no classes to weight"));
	step_save(s);
	if (mat_alloc(m, 1, 1, C, e) != 0) {
		(void)step_undo(s);
		return -1;
	}
	for (i = 0; i < C; i++)
		m->v[i] = 1;
	snprintf(s->note, sizeof s->note, _("%s set to ones, one per class "
	    "(u undoes)"), o->name);
	step_compute(s);
	return 0;
}

int
session_nudge_option(struct session *ss, const struct session_opt *o,
    size_t el, int dir, int large, struct err *e)
{
	struct step	*s = &session_cur(ss)->st;
	struct mat	*m;
	double		 v, d = (large ? o->large : o->small) * dir;

	switch (o->kind) {
	case SESSION_OPT_REDUCTION:
		session_cycle_reduction(ss);
		return 0;
	case SESSION_OPT_VECTOR:
		m = step_field_mat(s, o->field);
		if (m == NULL || mat_numel(m) == 0)
			return session_create_vector(ss, o, e);
		if (el >= mat_numel(m))
			return err_set(e, "no %s[%zu]", o->name, el);
		return session_set_option(ss, o, el,
		    session_snap(m->v[el] + d), e);
	case SESSION_OPT_SCALAR:
		if (strcmp(o->name, "log_target") == 0)
			v = session_option_value(ss, o) != 0 ? 0 : 1;
		else
			v = session_snap(session_option_value(ss, o) + d);
		return session_set_option(ss, o, 0, v, e);
	}
	return -1;
}

int
session_add_row(struct session *ss, struct err *e)
{
	return step_add_row(&session_cur(ss)->st, e);
}

int
session_remove_row(struct session *ss, size_t r, struct err *e)
{
	struct session_step *sp = session_cur(ss);

	if (step_remove_row(&sp->st, r, e) != 0)
		return -1;
	sp->has_sel = 0;
	return 0;
}

int
session_add_col(struct session *ss, struct err *e)
{
	return step_add_col(&session_cur(ss)->st, e);
}

int
session_remove_col(struct session *ss, size_t c, struct err *e)
{
	struct session_step *sp = session_cur(ss);

	if (step_remove_col(&sp->st, c, e) != 0)
		return -1;
	sp->has_sel = 0;
	return 0;
}

void
session_cycle_reduction(struct session *ss)
{
	step_cycle_reduction(&session_cur(ss)->st);
}

int
session_undo(struct session *ss)
{
	return step_undo(&session_cur(ss)->st);
}

void
session_reset(struct session *ss)
{
	struct session_step *sp = session_cur(ss);

	struct err	 e;

	step_reset(&sp->st);
	sp->answered = 0;
	sp->choice = -1;
	sp->guess[0] = '\0';
	sp->has_sel = 0;
	if (sp->train != NULL) {
		/* the lesson's values, from the start (memory permitting) */
		sp->train->lr = sp->st.src->train.spec.lr;
		sp->train->momentum = sp->st.src->train.spec.momentum;
		sp->train->paused = sp->st.src->predict.question != NULL;
		(void)session_train_restart(ss, &e);
	}
}

int
session_toggle_pitfall(struct session *ss)
{
	return step_toggle_pitfall(&session_cur(ss)->st);
}

int
session_next_pitfall(struct session *ss)
{
	return step_next_pitfall(&session_cur(ss)->st);
}

int
session_toggle_dtype(struct session *ss, struct err *e)
{
	struct session_step	*cs = session_cur(ss);

	if (cs->train != NULL)
		return err_set(e, "%s", _("the training runs compute in "
		    "float64"));
	if (step_set_dtype(&cs->st, cs->st.dtype == DTYPE_FLOAT ?
	    DTYPE_DOUBLE : DTYPE_FLOAT, e) != 0)
		return -1;
	return cs->st.dtype;
}

void
session_unselect(struct session *ss)
{
	session_cur(ss)->has_sel = 0;
}

void
session_select(struct session *ss, size_t r, size_t c)
{
	struct session_step *sp = session_cur(ss);

	/* a cell outside the input is no cell (found by fuzz_session) */
	if (r >= sp->st.input.rows || c >= sp->st.input.cols)
		return;
	sp->has_sel = 1;
	sp->sel_r = r;
	sp->sel_c = c;
}

/* ---- the narrative ------------------------------------------------------------- */

/* Append one sentence to a note (lines joined by '\n'). */
static int
session_note_add(char **note, const char *line)
{
	size_t	 n = *note ? strlen(*note) : 0;
	char	*p;

	if ((p = realloc(*note, n + strlen(line) + 2)) == NULL)
		return -1;
	if (n > 0)
		p[n++] = '\n';
	strcpy(p + n, line);
	*note = p;
	return 0;
}

/* The note of a paragraph's flags. */
static int
session_para_note(const struct step *s, struct session_para *p)
{
	char	line[512];
	int	rc = 0;

	if (p->flags & SESSION_PARA_REFUSED) {
		snprintf(line, sizeof line, _("torch refuses these values: %s"),
		    s->error);
		rc |= session_note_add(&p->note, line);
	}
	if (p->flags & SESSION_PARA_PREFUSED) {
		snprintf(line, sizeof line, _("the mistaken pipeline fails on "
		    "these values: %s"), s->pitfall_error);
		rc |= session_note_add(&p->note, line);
	}
	if (p->flags & SESSION_PARA_STALE)
		rc |= session_note_add(&p->note, _("written for the lesson's "
		    "values; it does not hold for yours (R restores them)"));
	if (p->flags & SESSION_PARA_SWAPPED) {
		snprintf(line, sizeof line, _("written for the pitfall %s; "
		    "the pane shows %s (P switches)"),
		    pitfall_name(s->src->pitfall), pitfall_name(s->pitfall));
		rc |= session_note_add(&p->note, line);
	}
	return rc;
}

int
session_render(const struct session *ss, const char *tmpl,
    struct session_text *out)
{
	const struct step	*s = &session_cur_const(ss)->st;
	struct template_info	 info;
	struct session_para	*np;
	const char		*p, *q;
	char			*piece;
	size_t			 n;

	out->n = 0;
	out->p = NULL;
	out->ncomputed = 0;
	out->when = -1;
	for (p = tmpl ? tmpl : ""; ; p = q + 2) {
		q = strstr(p, "\n\n");
		n = q ? (size_t)(q - p) : strlen(p);
		if ((piece = strndup(p, n)) == NULL)
			goto oom;
		np = realloc(out->p, (out->n + 1) * sizeof *np);
		if (np == NULL) {
			free(piece);
			goto oom;
		}
		out->p = np;
		np = &out->p[out->n];
		memset(np, 0, sizeof *np);
		np->text = template_render(s, piece, &info);
		free(piece);
		out->n++;
		if (np->text == NULL)
			goto oom;
		if (info.nbad)
			np->flags |= SESSION_PARA_BAD;
		if (info.nassume || info.nmissing)
			np->flags |= SESSION_PARA_STALE;
		if (info.nrefused)
			np->flags |= SESSION_PARA_REFUSED;
		if (info.nprefused)
			np->flags |= SESSION_PARA_PREFUSED;
		if (info.npitfall && s->src != NULL &&
		    s->src->pitfall != PITFALL_NONE &&
		    s->pitfall != s->src->pitfall)
			np->flags |= SESSION_PARA_SWAPPED;
		if (session_para_note(s, np) != 0)
			goto oom;
		out->ncomputed += info.ncomputed;
		if (info.when != -1)
			out->when = info.when;
		if (q == NULL)
			break;
	}
	return 0;
oom:
	session_text_free(out);
	return -1;
}

void
session_text_free(struct session_text *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		free(t->p[i].text);
		free(t->p[i].note);
	}
	free(t->p);
	t->p = NULL;
	t->n = 0;
}

char *
session_text_join(const struct session_text *t, const char *note_prefix)
{
	struct strbuf	 b = STRBUF_INIT;
	const char	*l, *nl;
	size_t		 i;

	strbuf_add(&b, "", 0);
	for (i = 0; i < t->n; i++) {
		if (i > 0)
			strbuf_add(&b, "\n\n", 2);
		strbuf_add(&b, t->p[i].text, strlen(t->p[i].text));
		for (l = t->p[i].note; l != NULL; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			strbuf_printf(&b, "\n%s%.*s", note_prefix,
			    (int)(nl ? (size_t)(nl - l) : strlen(l)), l);
		}
	}
	if (b.oom) {
		strbuf_free(&b);
		return NULL;
	}
	return b.p;
}

/* ---- the quiz -------------------------------------------------------------------- */

void
session_quiz(const struct session *ss, struct session_quiz *q)
{
	const struct session_step *sp = session_cur_const(ss);
	const struct step	*s = &sp->st;
	const struct lesson_predict *p;
	struct template_info	 info;
	char			*r;
	int			 k, nfit = 0, undecided = 0, fit = -1;
	double			 tol;

	memset(q, 0, sizeof *q);
	q->correct = q->choice = -1;
	q->answer = q->guess = NAN;
	if (s->src == NULL || s->src->predict.question == NULL)
		return;
	p = &s->src->predict;
	q->has = 1;
	q->hidden = !sp->answered;
	q->choice = sp->choice;
	q->tolerance = p->tolerance;
	q->tolerance_abs = p->tolerance_abs;
	q->live = session_choices_live(p);
	for (k = 0; q->live && k < p->nchoices; k++) {
		/* a choice whose {when} is in a branch not taken does not
		   fit */
		if ((r = template_render(s, p->choices[k], &info)) == NULL)
			continue;
		free(r);
		if (info.when == 1) {
			nfit++;
			fit = k;
		} else if (info.when == 2)
			undecided++;
	}
	if (q->live)
		q->correct = nfit == 1 && undecided == 0 ? fit : -1;
	else {
		q->correct = p->correct;
		q->tied = session_edited(ss, ss->cur);
	}
	/* a training step's answer is the forecast's: the lesson's lr and
	   momentum from epoch 0 */
	if (sp->train != NULL && sp->train->retuned)
		q->tied = 1;
	if (p->nchoices == 0 && template_number(s, p->answer, &q->answer) != 0)
		q->answer = NAN;
	if (!sp->answered) {
		q->verdict = SESSION_UNANSWERED;
		return;
	}
	if (p->nchoices > 0) {
		if (sp->choice < 0)
			q->verdict = SESSION_REVEALED;
		else if (q->correct < 0)
			q->verdict = SESSION_NO_FIT;
		else
			q->verdict = sp->choice == q->correct ? SESSION_RIGHT :
			    SESSION_WRONG;
		return;
	}
	if (sp->guess[0] == '\0') {
		q->verdict = SESSION_REVEALED;
		return;
	}
	if (isnan(q->answer)) {
		q->verdict = SESSION_TEXT_ANSWER;
		return;
	}
	if (parse_double(sp->guess, &q->guess) != 0) {
		q->verdict = SESSION_TEXT_ANSWER;
		return;
	}
	tol = q->tolerance;
	if (!q->tolerance_abs)
		tol *= fabs(q->answer);
	if (isinf(q->answer) || q->answer == 0)
		q->verdict = q->guess == q->answer ||
		    (q->answer == 0 && fabs(q->guess) <= q->tolerance) ?
		    SESSION_RIGHT : SESSION_WRONG;
	else
		q->verdict = fabs(q->guess - q->answer) <= tol ?
		    SESSION_RIGHT : SESSION_WRONG;
}

int
session_choices_live(const struct lesson_predict *p)
{
	int	k;

	for (k = 0; k < p->nchoices; k++)
		if (strstr(p->choices[k], "{when ") != NULL)
			return 1;
	return 0;
}

/* The question of the current step, or NULL with e set. */
static const struct lesson_predict *
session_question(struct session *ss, struct err *e)
{
	struct session_step *sp = session_cur(ss);

	if (sp->st.src == NULL || sp->st.src->predict.question == NULL) {
		err_set(e, "%s", _("no question in this step"));
		return NULL;
	}
	if (sp->answered) {
		/* a training step's R restarts the runs instead */
		err_set(e, "%s", sp->train != NULL ? _("already answered") :
		    _("already answered (R asks again)"));
		return NULL;
	}
	return &sp->st.src->predict;
}

int
session_answer(struct session *ss, int k, struct err *e)
{
	const struct lesson_predict *p;
	struct session_step	*sp = session_cur(ss);

	if ((p = session_question(ss, e)) == NULL)
		return -1;
	if (p->nchoices == 0)
		return err_set(e, "%s", _("this question has no choices: g "
		    "types a guess"));
	if (k < 0 || k >= p->nchoices)
		return err_set(e, _("there is no choice %d: 1 to %d"), k + 1,
		    p->nchoices);
	sp->choice = k;
	sp->answered = 1;
	if (sp->train != NULL)
		sp->train->paused = 0;	/* answered: the runs start */
	return 0;
}

int
session_guess(struct session *ss, const char *text, struct err *e)
{
	const struct lesson_predict *p;
	struct session_step	*sp = session_cur(ss);
	double			 a, g;

	if ((p = session_question(ss, e)) == NULL)
		return -1;
	if (p->nchoices > 0)
		return err_set(e, _("choose one of the choices: 1 to %d"),
		    p->nchoices);
	while (*text == ' ')
		text++;
	if (*text == '\0')
		return err_set(e, "%s", _("type a guess (v reveals without "
		    "one)"));
	if (template_number(&sp->st, p->answer, &a) == 0 &&
	    parse_double(text, &g) != 0)
		return err_set(e, _("'%.40s' is not a number: the answer is "
		    "one"), text);
	snprintf(sp->guess, sizeof sp->guess, "%s", text);
	sp->answered = 1;
	if (sp->train != NULL)
		sp->train->paused = 0;	/* answered: the runs start */
	return 0;
}

int
session_reveal(struct session *ss)
{
	struct session_step *sp = session_cur(ss);

	if (sp->st.src == NULL || sp->st.src->predict.question == NULL ||
	    sp->answered)
		return -1;
	sp->answered = 1;
	if (sp->train != NULL)
		sp->train->paused = 0;	/* answered: the runs start */
	return 0;
}

/* ---- the plot --------------------------------------------------------------------- */

/* Whether the loss gives one value per sample (a 1-D input is one). */
static int
session_per_sample(enum loss_id id)
{
	return id == LOSS_CE || id == LOSS_NLL || id == LOSS_MULTI_MARGIN ||
	    id == LOSS_MULTILABEL_SOFT_MARGIN;
}

/* The column a sample is about: its index target's class, the largest
   entry of its probability target, else its first. */
static size_t
session_sample_col(const struct step *s, size_t r)
{
	const struct mat *t = &s->target;
	size_t		 c, best = 0, C = s->input.cols;
	double		 k;

	if (step_index_target(s)) {
		if (r < mat_numel(t)) {
			k = t->v[r];
			if (k >= 0 && k < (double)C)
				return (size_t)k;
		}
		return 0;
	}
	if (s->loss != LOSS_MULTILABEL_SOFT_MARGIN &&
	    mat_same_shape(t, &s->input) && r < s->input.rows) {
		for (c = 1; c < C; c++)
			if (MAT_AT(t, r, c) > MAT_AT(t, r, best))
				best = c;
		return best;
	}
	return 0;
}

/* Add cell (r, c) to cc unless it is there or cc is full. */
static void
session_add_cell(struct curve_cells *cc, size_t r, size_t c)
{
	size_t	i;

	for (i = 0; i < cc->ncells; i++)
		if (cc->cells[i].r == r && cc->cells[i].c == c)
			return;
	if (cc->ncells == CURVE_CELLS_MAX)
		return;
	cc->cells[cc->ncells].r = r;
	cc->cells[cc->ncells].c = c;
	cc->ncells++;
}

/* Add the cell that element or sample i is about. */
static void
session_add_index(const struct step *s, struct curve_cells *cc, size_t i)
{
	size_t	rows = s->input.ndim == 2 ? s->input.rows : 1;

	if (session_per_sample(s->loss)) {
		if (i < rows)
			session_add_cell(cc, i, session_sample_col(s, i));
	} else if (i < mat_numel(&s->input))
		session_add_cell(cc, i / s->input.cols, i % s->input.cols);
}

/* The plot kind a step wants. */
static int
session_plot_kind(const struct step *s, enum plot_kind *k)
{
	enum pitfall_id	pf = s->show_pitfall ? s->pitfall : PITFALL_NONE;

	if (s->src != NULL && s->src->plot != NULL &&
	    plot_kind_parse(s->src->plot, k) == 0)
		return 0;
	switch (pf) {
	case PITFALL_DOUBLE_SIGMOID:
		*k = PLOT_DOUBLE_SIGMOID;
		return 0;
	case PITFALL_SOFTMAX_THEN_CE:
		*k = PLOT_SOFTMAX_THEN_CE;
		return 0;
	case PITFALL_NAIVE_FLOAT32:
		*k = PLOT_NAIVE_FLOAT32;
		return 0;
	case PITFALL_BCE_ON_LOGITS:
		*k = PLOT_LOGITS_CURVE;
		return 0;
	case PITFALL_LOG_SOFTMAX_THEN_CE:
		*k = PLOT_CE_CURVE;
		return 0;
	default:
		break;
	}
	switch (s->loss) {
	case LOSS_BCE:
		*k = PLOT_BCE_CURVE;
		break;
	case LOSS_BCE_LOGITS:
		*k = PLOT_LOGITS_CURVE;
		break;
	case LOSS_CE:
	case LOSS_NLL:
		*k = PLOT_CE_CURVE;
		break;
	case LOSS_FOCAL:
		*k = PLOT_FOCAL;
		break;
	default:
		*k = PLOT_COMPARE;
		break;
	}
	return 0;
}

static enum session_plot_state
session_plot_at(const struct session *ss, struct plot_req *req,
    struct curve_cells *cc, int reveal);

enum session_plot_state
session_plot(const struct session *ss, struct plot_req *req,
    struct curve_cells *cc)
{
	return session_plot_at(ss, req, cc, 0);
}

enum session_plot_state
session_plot_revealed(const struct session *ss, struct plot_req *req,
    struct curve_cells *cc)
{
	return session_plot_at(ss, req, cc, 1);
}

static enum session_plot_state
session_plot_at(const struct session *ss, struct plot_req *req,
    struct curve_cells *cc, int reveal)
{
	const struct session_step *sp = session_cur_const(ss);
	const struct step	*s = &sp->st;
	const struct lesson_step *src = s->src;
	struct session_quiz	 q;
	enum plot_kind		 k;
	size_t			 i, n = mat_numel(&s->input), rows;
	int			 m;

	memset(cc, 0, sizeof *cc);
	/* a training step's plot is its live chart (src/ui/trainchart.c) */
	if (sp->train != NULL || n == 0 || s->input.cols == 0 ||
	    session_plot_kind(s, &k) != 0)
		return SESSION_PLOT_NONE;
	plot_req_init(req, k);
	session_quiz(ss, &q);
	if (q.hidden && !reveal)
		return SESSION_PLOT_HIDDEN;
	cc->pitfall = s->show_pitfall ? s->pitfall : PITFALL_NONE;
	cc->loss = cc->pitfall != PITFALL_NONE ? pitfall_loss(cc->pitfall) :
	    s->loss;
	if (cc->pitfall != PITFALL_NONE ? step_cmp_result(s) == NULL : !s->ok)
		return SESSION_PLOT_REFUSED;
	for (i = 0; i < n; i++)
		if (!isfinite(s->input.v[i]))
			return SESSION_PLOT_NONFINITE;
	cc->input = &s->input;
	cc->target = &s->target;
	cc->opts = &s->opts;
	rows = s->input.ndim == 2 ? s->input.rows : 1;
	if (sp->has_sel && sp->sel_r < rows && sp->sel_c < s->input.cols)
		session_add_cell(cc, sp->sel_r, sp->sel_c);
	else if (src != NULL && src->nmarks == LESSON_MARK_ALL) {
		for (i = 0; i < (session_per_sample(s->loss) ? rows : n); i++)
			session_add_index(s, cc, i);
	} else if (src != NULL && src->nmarks > 0) {
		for (m = 0; m < src->nmarks; m++) {
			if (src->marks[m].c < 0)
				session_add_index(s, cc,
				    (size_t)src->marks[m].r);
			else if ((size_t)src->marks[m].r < rows &&
			    (size_t)src->marks[m].c < s->input.cols)
				session_add_cell(cc, (size_t)src->marks[m].r,
				    (size_t)src->marks[m].c);
		}
	} else if (!session_per_sample(s->loss) && n <= 4) {
		/* a small element-wise input: every element on its curve */
		for (i = 0; i < n; i++)
			session_add_index(s, cc, i);
	}
	if (cc->ncells == 0)
		session_add_index(s, cc, 0);
	req->cells = cc;
	return SESSION_PLOT_OK;
}

double
session_cell_loss(const struct session *ss, size_t r, size_t c, int pitfall)
{
	const struct step	*s = &session_cur_const(ss)->st;
	const struct loss_result *res;
	size_t			 i;

	if (pitfall)
		res = s->show_pitfall && s->pitfall_ok ? &s->pres : NULL;
	else if (s->show_pitfall && s->pitfall != PITFALL_NONE)
		res = step_cmp_result(s);
	else
		res = s->ok ? &s->res : NULL;
	if (res == NULL)
		return NAN;
	if (res->elem.ndim == 2 && res->elem.rows == s->input.rows &&
	    res->elem.cols == s->input.cols && !session_per_sample(s->loss))
		i = r * res->elem.cols + c;
	else if (session_per_sample(s->loss))
		i = r;
	else
		i = r * s->input.cols + c;
	return i < mat_numel(&res->elem) ? res->elem.v[i] : NAN;
}

/* ---- the pitfall comparison ------------------------------------------------------- */

int
session_cmp(const struct session *ss, struct session_cmp *c)
{
	const struct step	*s = &session_cur_const(ss)->st;

	memset(c, 0, sizeof *c);
	c->floor = NAN;
	if (!s->show_pitfall || s->pitfall == PITFALL_NONE)
		return -1;
	c->pitfall = s->pitfall;
	c->loss = pitfall_loss(s->pitfall);
	c->as_logits = c->loss != s->loss;
	c->correct = step_cmp_result(s);
	c->correct_error = step_cmp_error(s);
	c->wrong = s->pitfall_ok ? &s->pres : NULL;
	c->wrong_error = s->pitfall_error;
	c->floor = s->pitfall_floor;
	return 0;
}

/* ---- saving ------------------------------------------------------------------------ */

void
session_save_title(const struct session *ss, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", ss->lesson != NULL ? ss->lesson->title :
	    "losslab", _(" (my values)"));
}

int
session_save(const struct session *ss, const char *title, const char *dir,
    char *path, size_t pathlen, struct err *err)
{
	const struct lesson	*l = ss->lesson;
	struct lesson_step	*steps;
	const struct step	*s;
	size_t			 i;
	int			 rc;

	if (l == NULL)
		return err_set(err, "%s", _("nothing to save here"));
	if ((steps = calloc(l->nsteps, sizeof *steps)) == NULL)
		return err_set(err, "%s", _("out of memory"));
	for (i = 0; i < l->nsteps; i++) {
		/* Shallow copies: lesson_write only reads them. */
		steps[i] = l->steps[i];
		if (!ss->steps[i].inited)
			continue;
		s = &ss->steps[i].st;
		steps[i].loss = s->loss;
		steps[i].input = s->input;
		steps[i].target = s->target;
		steps[i].weight = s->weight;
		steps[i].pos_weight = s->pos_weight;
		steps[i].opts = s->opts;
		steps[i].opts.weight = NULL;
		steps[i].opts.pos_weight = NULL;
		steps[i].opts.float32 = s->dtype == DTYPE_FLOAT;
		steps[i].target_dtype = s->target_dtype;
		/* The step's own pitfall, which its texts speak of; a step
		   without one keeps the pitfall shown. */
		if (l->steps[i].pitfall == PITFALL_NONE)
			steps[i].pitfall = s->show_pitfall ? s->pitfall :
			    PITFALL_NONE;
		/* a training step: the learning rate and momentum set now */
		if (ss->steps[i].train != NULL) {
			steps[i].train.spec.lr = ss->steps[i].train->lr;
			steps[i].train.spec.momentum =
			    ss->steps[i].train->momentum;
		}
	}
	rc = lesson_write(l, steps, dir, title, path, pathlen, err);
	free(steps);
	return rc;
}

/* ---- a training step ---------------------------------------------------- */

/* The first epoch of run t whose correct loss is below goal, -1 never. */
static long
session_train_reach(const struct train *t, double goal)
{
	size_t	i;

	for (i = 0; !isnan(goal) && i < t->nhist; i++)
		if (t->hist[i].correct_loss < goal)
			return t->hist[i].epoch;
	return -1;
}

static double
session_train_last(const struct train *t)
{
	return t->nhist > 0 ? t->hist[t->nhist - 1].correct_loss : NAN;
}

/* Put the runs' numbers where the templates read them (step.train). */
static void
session_train_sync(struct session_step *sp)
{
	const struct session_train *tr = sp->train;
	const struct lesson_train  *lt = &sp->st.src->train;
	struct step_train	   *o = &sp->st.train;
	const struct train_entry   *h;
	static const struct train_entry none = { 0, NAN, NAN, NAN };

	memset(o, 0, sizeof *o);
	o->has = 1;
	/* a run torch refused at once has no entry: its numbers are NaN */
	h = tr->run.nhist > 0 ? &tr->run.hist[tr->run.nhist - 1] : &none;
	o->epoch = (double)tr->run.epoch;
	o->epochs = (double)lt->spec.epochs;
	o->lr = tr->lr;
	o->momentum = tr->momentum;
	o->goal = lt->goal;
	o->loss = h->loss;
	o->correct_loss = h->correct_loss;
	o->accuracy = h->accuracy;
	o->reach = isnan(lt->goal) ? NAN : (double)tr->reach;
	o->final_loss = tr->final;
	o->p_loss = o->p_correct_loss = o->p_accuracy = NAN;
	o->p_reach = o->p_final_loss = NAN;
	if (tr->has_pitfall) {
		h = tr->prun.nhist > 0 ? &tr->prun.hist[tr->prun.nhist - 1] :
		    &none;
		o->p_loss = h->loss;
		o->p_correct_loss = h->correct_loss;
		o->p_accuracy = h->accuracy;
		o->p_reach = isnan(lt->goal) ? NAN : (double)tr->preach;
		o->p_final_loss = tr->pfinal;
	}
}

/* (Re)start the runs of tr from step spec lt with lr and momentum. */
static int
session_train_start(struct session_train *tr, const struct lesson_train *lt,
    struct err *e)
{
	struct train_spec	s = lt->spec;

	train_free(&tr->run);
	train_free(&tr->prun);
	s.lr = tr->lr;
	s.momentum = tr->momentum;
	s.pitfall = PITFALL_NONE;
	/* from epoch 0 with the lesson's values: the forecast's runs */
	tr->retuned = tr->lr != lt->spec.lr || tr->momentum != lt->spec.momentum;
	if (train_init(&tr->run, &tr->data, &s, e) != 0)
		return -1;
	s.pitfall = lt->spec.pitfall;
	if (tr->has_pitfall && train_init(&tr->prun, &tr->data, &s, e) != 0) {
		train_free(&tr->run);
		return -1;
	}
	return 0;
}

/* The forecast: the step's own settings trained to the end. */
static int
session_train_forecast(struct session_train *tr,
    const struct lesson_train *lt, struct err *e)
{
	struct train		t;
	struct train_spec	s = lt->spec;
	int			k;

	for (k = 0; k < 1 + tr->has_pitfall; k++) {
		s.pitfall = k == 0 ? PITFALL_NONE : lt->spec.pitfall;
		if (train_init(&t, &tr->data, &s, e) != 0)
			return -1;
		if (train_run(&t, e) != 0) {
			train_free(&t);
			return -1;
		}
		if (k == 0) {
			tr->reach = session_train_reach(&t, lt->goal);
			tr->final = session_train_last(&t);
		} else {
			tr->preach = session_train_reach(&t, lt->goal);
			tr->pfinal = session_train_last(&t);
		}
		train_free(&t);
	}
	return 0;
}

static void
session_train_free(struct session_train *tr)
{
	if (tr == NULL)
		return;
	train_free(&tr->run);
	train_free(&tr->prun);
	data_free(&tr->data);
	free(tr);
}

/* Set up the runs of a training step on its first visit. */
static int
session_train_new(struct session_step *sp, struct err *e)
{
	const struct lesson_train	*lt;
	struct session_train		*tr;
	static const struct data	 zero = DATA_INIT;

	if (sp->st.src == NULL || sp->st.src->train.line == 0)
		return 0;
	lt = &sp->st.src->train;
	if ((tr = calloc(1, sizeof *tr)) == NULL)
		return err_set(e, "out of memory");
	tr->data = zero;
	tr->has_pitfall = lt->spec.pitfall != PITFALL_NONE;
	tr->lr = lt->spec.lr;
	tr->momentum = lt->spec.momentum;
	tr->paused = sp->st.src->predict.question != NULL;
	tr->reach = tr->preach = -1;
	tr->final = tr->pfinal = NAN;
	if (lesson_train_data(lt, &tr->data, e) != 0 ||
	    session_train_forecast(tr, lt, e) != 0 ||
	    session_train_start(tr, lt, e) != 0) {
		session_train_free(tr);
		return -1;
	}
	sp->train = tr;
	session_train_sync(sp);
	return 0;
}

const struct session_train *
session_train(const struct session *ss)
{
	return session_cur_const(ss)->train;
}

/* Whether the current step's question (if any) is answered. */
static int
session_train_unlocked(const struct session *ss)
{
	const struct session_step *sp = session_cur_const(ss);

	return sp->st.src == NULL || sp->st.src->predict.question == NULL ||
	    sp->answered;
}

int
session_train_running(const struct session *ss)
{
	const struct session_train *tr = session_train(ss);

	return tr != NULL && !tr->paused && session_train_unlocked(ss) &&
	    (tr->run.state == TRAIN_RUNNING || (tr->has_pitfall &&
	    tr->prun.state == TRAIN_RUNNING));
}

long
session_train_advance(struct session *ss, long max, int force,
    struct err *e)
{
	struct session_step	*sp = session_cur(ss);
	struct session_train	*tr = sp->train;
	long			 n = 0;
	int			 a = 0, b = 0;

	if (tr == NULL || !session_train_unlocked(ss) ||
	    (!force && tr->paused))
		return 0;
	while (n < max) {
		if ((a = train_step(&tr->run, e)) < 0)
			break;
		b = tr->has_pitfall ? train_step(&tr->prun, e) : 0;
		if (b < 0)
			break;
		if (a == 0 && b == 0)
			break;
		n++;
	}
	session_train_sync(sp);
	if (n < max && (a < 0 || b < 0))
		return -1;
	return n;
}

int
session_train_pause(struct session *ss)
{
	struct session_train *tr = session_cur(ss)->train;

	if (tr == NULL)
		return -1;
	tr->paused = !tr->paused;
	return tr->paused;
}

int
session_train_set(struct session *ss, double lr, double momentum,
    struct err *e)
{
	struct session_step	*sp = session_cur(ss);
	struct session_train	*tr = sp->train;

	if (tr == NULL)
		return err_set(e, "%s", _("this step does not train"));
	if (!(momentum < 1.0))
		return err_set(e, _("momentum %g: below 1, or the steps never "
		    "shrink"), momentum);
	if (train_set_optim(&tr->run, lr, momentum, e) != 0 ||
	    (tr->has_pitfall && train_set_optim(&tr->prun, lr, momentum,
	    e) != 0))
		return -1;
	/* before the first epoch the runs are the forecast's when the values
	   are the lesson's; after it, other values from the next epoch on
	   make them something else for good (until R) */
	if (tr->run.epoch == 0 && (!tr->has_pitfall || tr->prun.epoch == 0))
		tr->retuned = lr != sp->st.src->train.spec.lr ||
		    momentum != sp->st.src->train.spec.momentum;
	else if (lr != tr->lr || momentum != tr->momentum)
		tr->retuned = 1;
	tr->lr = lr;
	tr->momentum = momentum;
	session_train_sync(sp);
	return 0;
}

int
session_train_nudge_lr(struct session *ss, int dir, struct err *e)
{
	static const double	 mant[3] = { 1, 2, 5 };
	const struct session_train *tr = session_cur(ss)->train;
	double			 v, best = NAN;
	int			 k, m;

	if (tr == NULL)
		return err_set(e, "%s", _("this step does not train"));
	/* the next 1-2-5 value beyond the current one */
	for (k = -4; k <= 2; k++)
		for (m = 0; m < 3; m++) {
			v = mant[m] * pow(10, k);
			if (v > 100 * (1 + 1e-12))
				continue;
			if (dir > 0 && v > tr->lr * (1 + 1e-9) &&
			    (isnan(best) || v < best))
				best = v;
			if (dir < 0 && v < tr->lr * (1 - 1e-9) &&
			    (isnan(best) || v > best))
				best = v;
		}
	if (isnan(best))
		return err_set(e, _("the learning rate is at its %s (%g)"),
		    dir > 0 ? _("largest") : _("smallest"), tr->lr);
	/* 2 x 10^-k: read back from its shortest decimal */
	{
		char	buf[32];

		snprintf(buf, sizeof buf, "%.1g", best);
		best = strtod(buf, NULL);
	}
	return session_train_set(ss, best, tr->momentum, e);
}

int
session_train_restart(struct session *ss, struct err *e)
{
	struct session_step	*sp = session_cur(ss);
	struct session_train	*tr = sp->train;

	if (tr == NULL)
		return err_set(e, "%s", _("this step does not train"));
	if (session_train_start(tr, &sp->st.src->train, e) != 0) {
		session_train_free(tr);
		sp->train = NULL;
		sp->st.train.has = 0;
		return -1;
	}
	session_train_sync(sp);
	return 0;
}
