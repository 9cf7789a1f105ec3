/*
 * lessoncheck.h -- the invariants of a parsed lesson and the comparison of
 * two lessons, for the lesson fuzz targets (header-only, static).
 */
#ifndef LOSSLAB_FUZZ_LESSONCHECK_H
#define LOSSLAB_FUZZ_LESSONCHECK_H

#include "fuzz.h"
#include "lesson.h"

static inline void
lc_check_mat(const struct mat *m, int optional, const char *what)
{
	if (optional && m->ndim == 0)
		return;
	FZ_CHECK(m->ndim == 1 || m->ndim == 2, "%s: ndim %d", what, m->ndim);
	FZ_CHECK(m->ndim == 2 || m->rows == 1, "%s: 1-D, %zu rows", what,
	    m->rows);
	FZ_CHECK(m->rows * m->cols <= LESSON_VALUES_MAX, "%s: %zu values",
	    what, m->rows * m->cols);
	FZ_CHECK(m->rows * m->cols == 0 || m->v != NULL, "%s: no values",
	    what);
}

/* What lesson_parse promises of a lesson it returns. */
static inline void
lc_check(const struct lesson *l)
{
	const struct lesson_step *st;
	size_t	 i;
	int	 k;

	FZ_CHECK(l->id != NULL && l->lang != NULL && l->title != NULL &&
	    l->summary != NULL, "a header field is NULL");
	FZ_CHECK(l->nsteps >= 1 && l->nsteps <= LESSON_STEPS_MAX,
	    "%zu steps", l->nsteps);
	FZ_CHECK((int)l->loss >= 0 && l->loss < LOSS_COUNT, "loss %d",
	    (int)l->loss);
	FZ_CHECK(l->options < (1u << LESSON_OPT_COUNT), "options %#x",
	    l->options);
	for (i = 0; i < l->nsteps; i++) {
		st = &l->steps[i];
		/* text may be NULL: a step without narrative */
		FZ_CHECK(st->title != NULL && st->code != NULL,
		    "step %zu: its title or code is NULL", i);
		FZ_CHECK((int)st->loss >= 0 && st->loss < LOSS_COUNT,
		    "step %zu: loss %d", i, (int)st->loss);
		FZ_CHECK((int)st->pitfall >= 0 && st->pitfall <= PITFALL_COUNT,
		    "step %zu: pitfall %d", i, (int)st->pitfall);
		lc_check_mat(&st->input, 0, "input");
		lc_check_mat(&st->target, 0, "target");
		lc_check_mat(&st->weight, 1, "weight");
		lc_check_mat(&st->pos_weight, 1, "pos_weight");
		FZ_CHECK(st->plot == NULL || lesson_plot_valid(st->plot),
		    "step %zu: plot '%s'", i, st->plot);
		FZ_CHECK(st->nmarks == LESSON_MARK_ALL || (st->nmarks >= 0 &&
		    st->nmarks <= LESSON_MARKS_MAX), "step %zu: %d marks", i,
		    st->nmarks);
		FZ_CHECK(st->predict.nchoices >= 0 && st->predict.nchoices <=
		    LESSON_CHOICES_MAX, "step %zu: %d choices", i,
		    st->predict.nchoices);
		FZ_CHECK(st->predict.correct >= -1 && st->predict.correct <
		    (st->predict.nchoices > 0 ? st->predict.nchoices : 1),
		    "step %zu: correct %d of %d", i, st->predict.correct,
		    st->predict.nchoices);
		for (k = 0; k < st->predict.nchoices; k++)
			FZ_CHECK(st->predict.choices[k] != NULL,
			    "step %zu: choice %d NULL", i, k);
	}
}

static inline int
lc_same_opts(const struct loss_opts *a, const struct loss_opts *b)
{
	return a->reduction == b->reduction &&
	    a->ignore_index == b->ignore_index &&
	    fz_same_double(a->label_smoothing, b->label_smoothing) &&
	    fz_same_double(a->margin, b->margin) && a->p == b->p &&
	    fz_same_double(a->alpha, b->alpha) &&
	    fz_same_double(a->gamma, b->gamma) &&
	    a->log_target == b->log_target;
}

/* The step values (loss, tensors, options, pitfall) of a and b; 0 if the
   same, else a word saying which differs. */
static inline const char *
lc_diff_values(const struct lesson_step *a, const struct lesson_step *b)
{
	if (a->loss != b->loss)
		return "loss";
	if (!fz_same_mat(&a->input, &b->input))
		return "input";
	if (!fz_same_mat(&a->target, &b->target))
		return "target";
	if (!fz_same_mat(&a->weight, &b->weight))
		return "weight";
	if (!fz_same_mat(&a->pos_weight, &b->pos_weight))
		return "pos_weight";
	if (!lc_same_opts(&a->opts, &b->opts))
		return "options";
	if (a->pitfall != b->pitfall)
		return "pitfall";
	return NULL;
}

/* Everything else of a step: texts, plot, marks, question. */
static inline const char *
lc_diff_rest(const struct lesson_step *a, const struct lesson_step *b)
{
	const struct lesson_predict *p = &a->predict, *q = &b->predict;
	int	k;

	if (!fz_same_str(a->title, b->title))
		return "title";
	if (!fz_same_str(a->text, b->text))
		return "text";
	if (!fz_same_str(a->code, b->code))
		return "code";
	if (!fz_same_str(a->plot, b->plot))
		return "plot";
	if (a->nmarks != b->nmarks)
		return "marks";
	for (k = 0; k < a->nmarks; k++)
		if (a->marks[k].r != b->marks[k].r ||
		    a->marks[k].c != b->marks[k].c)
			return "marks";
	if (!fz_same_str(p->question, q->question) ||
	    p->nchoices != q->nchoices || p->correct != q->correct ||
	    !fz_same_str(p->prompt, q->prompt) ||
	    !fz_same_str(p->answer, q->answer) ||
	    !fz_same_str(p->explain, q->explain) ||
	    !fz_same_double(p->tolerance, q->tolerance) ||
	    p->tolerance_abs != q->tolerance_abs)
		return "question";
	for (k = 0; k < p->nchoices; k++)
		if (!fz_same_str(p->choices[k], q->choices[k]))
			return "choices";
	return NULL;
}

#endif
