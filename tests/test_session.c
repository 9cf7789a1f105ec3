/*
 * test_session.c -- the session model (src/session.h) and the lesson text
 * language (src/template.h), driven directly, without a terminal:
 *
 *   - the template language: placeholders, plurals, conditions,
 *     assumptions, choices with {when}, numbers that torch refuses and
 *     indices that are gone, each compared with the core's own numbers;
 *   - the quiz: live verdicts, "no such choice", numeric guesses with a
 *     tolerance, "not a number", R asks again;
 *   - pitfalls only where they apply, and the comparison's correct side;
 *   - edits that would change other values behind the learner's back are
 *     refused or said;
 *   - two memory errors of the old step.c (each fails under ASan before
 *     its fix);
 *   - a property test over every shipped lesson in both languages: random
 *     edit sequences (valid and invalid values, nudges, rows and columns,
 *     options, pitfalls, answers, undo, reset), and after every edit: no
 *     unrendered placeholder, quiz verdicts that follow the values on
 *     screen, every plot mark on its curve at the value the tables show,
 *     and save -> load -> dump identical.
 *
 * SESSION_SEQUENCES (default 6 per lesson file) and SESSION_EDITS (default
 * 25) scale the property test; `make check-long` runs a long one.
 */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/curve.h"
#include "dump.h"
#include "lesson.h"
#include "parse.h"
#include "plot.h"
#include "session.h"
#include "step.h"
#include "tap.h"
#include "template.h"

static const char *srcdir;

/* A lesson from text. */
static struct lesson *
parse(const char *src)
{
	struct err	 err;
	struct lesson	*l;

	l = lesson_parse("t.lesson", src, strlen(src), &err);
	if (l == NULL)
		tap_diag("parse: %s", err.msg);
	return l;
}

/* Render tmpl for the current step; the text, info in *ti. */
static char *
render(struct session *ss, const char *tmpl, struct template_info *ti)
{
	return template_render(&session_cur(ss)->st, tmpl, ti);
}

static void
test_template(void)
{
	double		 zin[] = { 2.0, -1.0, 0.5 }, yin[] = { 1, 0, 1 };
	struct mat	 z = MAT_VIEW(1, 1, 3, zin), y = MAT_VIEW(1, 1, 3, yin);
	struct loss_opts o;
	struct loss_result r = LOSS_RESULT_INIT;
	struct session	 ss;
	struct template_info ti;
	struct err	 e;
	char		*out, want[128];
	double		 v;

	loss_opts_init(&o);
	if (!tap_ok(session_init_values(&ss, LOSS_BCE_LOGITS, &z, &y, &o,
	    PITFALL_NONE, &e) == 0, "a session on loose values"))
		return;
	loss_eval(LOSS_BCE_LOGITS, &z, &y, &o, &r, &e);
	out = render(&ss, "{elem[1]} {value:3} {N|sample|samples} "
	    "{numel|element|elements} {{x}}", &ti);
	snprintf(want, sizeof want, "%.6g %.3g 1 sample 3 elements {x}",
	    r.elem.v[1], r.value);
	tap_ok(out != NULL && strcmp(out, want) == 0 && ti.nbad == 0 &&
	    ti.ncomputed == 2, "placeholders, precision, plurals: '%s'", out);
	free(out);
	out = render(&ss, "{if target[0] == 1}pos{elif target[0] == 0}neg"
	    "{else}soft{end} {if reduction == 'mean' and N == 1}m1{end}"
	    "{if input[1] > 0 or input[2] > 0}any{end}", &ti);
	tap_ok(out != NULL && strcmp(out, "pos m1any") == 0 && ti.nbad == 0,
	    "conditions: and, or, elif, strings: '%s'", out);
	free(out);
	out = render(&ss, "{if target[0] == 1}{if input[0] < 0}a{else}b{end}"
	    "{else}c{end}", &ti);
	tap_ok(out != NULL && strcmp(out, "b") == 0, "nested conditions");
	free(out);
	out = render(&ss, "{if N == 2 and (C == 3 or C == 4)}a{else}b{end}"
	    "{if (N == 1 or C == 9) and true}c{end}{if false}d{end}"
	    "{if has.weight == 0 and input.min == -1 and input.max == 2 and "
	    "target.sum == 2 and target.min == 0 and target.max == 1}e{end}",
	    &ti);
	tap_ok(out != NULL && strcmp(out, "bce") == 0 && ti.nbad == 0,
	    "parentheses, true, false, has.weight, input.min/max, target.*: "
	    "'%s'", out);
	free(out);
	out = render(&ss, "{if (N == 1}a{end}{if N == 1)}b{end}", &ti);
	tap_ok(ti.nbad == 2, "unbalanced parentheses are bad syntax");
	free(out);
	out = render(&ss, "{if pitfall == 'none'}x{end}", &ti);
	tap_ok(ti.npitfall == 1, "a condition on the pitfall counts as "
	    "speaking of it");
	free(out);
	out = render(&ss, "x{assume input[0] == 2}y", &ti);
	tap_ok(out != NULL && strcmp(out, "xy") == 0 && ti.nassume == 0,
	    "an assumption that holds shows nothing");
	free(out);
	out = render(&ss, "{assume input[0] == 3}", &ti);
	tap_ok(ti.nassume == 1, "an assumption that fails is counted");
	free(out);
	out = render(&ss, "{input[7]} {if target[9] == 1}a{else}b{end}", &ti);
	tap_ok(out != NULL && strcmp(out, "— ") == 0 && ti.nmissing == 2,
	    "an index that is gone renders — and decides no branch: '%s'",
	    out);
	free(out);
	out = render(&ss, "{nope} {value[0]} {elem} {if x}{end} {if a ==}"
	    "{end} {else} {value", &ti);
	tap_ok(ti.nbad == 7, "unknown names and bad syntax are counted "
	    "(%d)", ti.nbad);
	free(out);
	tap_ok(template_check("{if N == 1}a{else}{nope}{end}", NULL) == 1 &&
	    template_check("{if N == 1}a", NULL) == 1 &&
	    template_check("{if N == 1}{elem[0]}{elif C > 2}b{else}c{end}",
	    NULL) == 0, "template_check looks into every branch");
	tap_ok(template_number(&session_cur(&ss)->st, " {elem[2]} ", &v) == 0
	    && v == r.elem.v[2], "template_number of a placeholder is exact");
	tap_ok(template_number(&session_cur(&ss)->st, "about {N}", &v) != 0,
	    "template_number of text is not a number");
	/* the loss refuses: bce on a value above 1 */
	loss_result_free(&r);
	session_free(&ss);
	zin[0] = 1.1;
	session_init_values(&ss, LOSS_BCE, &z, &y, &o, PITFALL_NONE, &e);
	out = render(&ss, "{input[0]} {elem[0]} {value} {if elem[0] > 1}a"
	    "{end}", &ti);
	tap_ok(out != NULL && strcmp(out, "1.1 ✗ ✗ ") == 0 &&
	    ti.nrefused == 3, "numbers torch refuses render ✗: '%s'", out);
	free(out);
	session_free(&ss);
}

/* A lesson with paragraphs that hold or not. */
static const char *narr_src =
    "id: n\ntitle: N\nloss: bce\noptions: reduction\n"
    "step: one\ninput: 0.2, 0.9\ntarget: 0, 1\n"
    "text: <<<\nElement 0 has y = {target[0]}.{assume target[0] == 0}\n\n"
    "The mean of {denom|element|elements} is {value}.\n\n"
    "Element 1 costs {elem[1]}.\n>>>\ncode: c\n";

static void
test_narrative(void)
{
	struct lesson		*l = parse(narr_src);
	struct session		 ss;
	struct session_text	 t = SESSION_TEXT_INIT;
	struct err		 e;

	if (!tap_ok(l != NULL && session_init(&ss, l, &e) == 0,
	    "a narrative lesson"))
		return;
	session_render(&ss, l->steps[0].text, &t);
	tap_ok(t.n == 3 && t.p[0].flags == 0 && t.p[1].flags == 0 &&
	    t.p[2].flags == 0 && t.p[0].note == NULL,
	    "three paragraphs that hold for the lesson's values");
	session_text_free(&t);
	session_set_cell(&ss, STEP_TARGET, 0, 0, 1, &e);
	session_render(&ss, l->steps[0].text, &t);
	tap_ok(t.n == 3 && (t.p[0].flags & SESSION_PARA_STALE) &&
	    t.p[0].note != NULL && t.p[1].flags == 0,
	    "an edited target marks the paragraph that assumed it: %s",
	    t.n ? t.p[0].note : "");
	session_text_free(&t);
	session_set_cell(&ss, STEP_INPUT, 0, 1, 1.5, &e);
	session_render(&ss, l->steps[0].text, &t);
	tap_ok(t.n == 3 && (t.p[1].flags & SESSION_PARA_REFUSED) &&
	    strstr(t.p[1].note, "between 0 and 1") != NULL &&
	    strstr(t.p[2].text, "✗") != NULL,
	    "refused numbers bring torch's message: %s",
	    t.n > 1 && t.p[1].note ? t.p[1].note : "");
	session_text_free(&t);
	session_reset(&ss);
	session_render(&ss, l->steps[0].text, &t);
	tap_ok(t.n == 3 && t.p[0].flags == 0 && t.p[1].flags == 0,
	    "R restores a text that holds");
	session_text_free(&t);
	tap_ok(session_edited(&ss, 0) == 0, "R: not edited any more");
	session_free(&ss);
	lesson_free(l);
}

static const char *quiz_src =
    "id: q\ntitle: Q\nloss: bce\n"
    "step: choices\ninput: 0.2, 0.01\ntarget: 0, 1\n"
    "predict: How much does element 1 cost?\n"
    "choices: <<<\nabout 0.01 {when elem[1] < 0.1}\n"
    "about 1 {when elem[1] >= 0.1 and elem[1] < 2.5}\n"
    "about 4.6 {when elem[1] >= 2.5}\n>>>\nanswer: 3\n"
    "text: t\ncode: c\n"
    "step: fixed\npredict: Which?\nchoices: a | b\nanswer: 2\n"
    "text: t\ncode: c\n"
    "step: guess\npredict: Guess element 1's loss\n"
    "answer: {elem[1]}\ntolerance: 10%\ntext: t\ncode: c\n";

static void
test_quiz(void)
{
	struct lesson		*l = parse(quiz_src);
	struct session		 ss;
	struct session_quiz	 q;
	struct plot_req		 req;
	struct curve_cells	 cc;
	struct err		 e;
	char			 g[64];

	if (!tap_ok(l != NULL && session_init(&ss, l, &e) == 0,
	    "a quiz lesson"))
		return;
	session_quiz(&ss, &q);
	tap_ok(q.has && q.hidden && q.live && q.correct == 2,
	    "live choices: choice 3 fits the lesson's values");
	tap_ok(session_plot(&ss, &req, &cc) == SESSION_PLOT_HIDDEN,
	    "no plot before the answer");
	tap_ok(session_answer(&ss, 4, &e) == -1 &&
	    strstr(e.msg, "no choice 5") != NULL, "a digit with no such "
	    "choice says so: %s", e.msg);
	session_set_cell(&ss, STEP_INPUT, 0, 1, 0.5, &e);
	session_quiz(&ss, &q);
	tap_ok(q.correct == 1, "p = 0.5: choice 2 (about 1) is right now");
	session_answer(&ss, 2, &e);
	session_quiz(&ss, &q);
	tap_ok(q.verdict == SESSION_WRONG, "so 'about 4.6' is wrong "
	    "with p = 0.5");
	tap_ok(session_answer(&ss, 1, &e) == -1, "answered once");
	session_reset(&ss);
	session_quiz(&ss, &q);
	tap_ok(q.hidden && q.correct == 2 && q.choice == -1,
	    "R resets the values and asks again");
	session_answer(&ss, 2, &e);
	session_quiz(&ss, &q);
	tap_ok(q.verdict == SESSION_RIGHT, "and 'about 4.6' is right again");
	/* a question without {when}: tied to the lesson's values */
	session_goto(&ss, 1, &e);
	session_quiz(&ss, &q);
	tap_ok(!q.live && !q.tied && q.correct == 1, "fixed answer");
	session_set_cell(&ss, STEP_INPUT, 0, 0, 0.3, &e);
	session_quiz(&ss, &q);
	tap_ok(q.tied, "edited: the question says it is about the lesson's "
	    "values");
	/* numeric guesses */
	session_goto(&ss, 2, &e);
	tap_ok(session_guess(&ss, "lots", &e) == -1 &&
	    strstr(e.msg, "not a number") != NULL, "text: not a number");
	snprintf(g, sizeof g, "%.17g",
	    session_cur(&ss)->st.res.elem.v[1] * 1.08);
	tap_ok(session_guess(&ss, g, &e) == 0, "a guess");
	session_quiz(&ss, &q);
	tap_ok(q.verdict == SESSION_RIGHT, "8%% off is within 10%%");
	session_reset(&ss);
	snprintf(g, sizeof g, "%.17g",
	    session_cur(&ss)->st.res.elem.v[1] * 1.12);
	session_guess(&ss, g, &e);
	session_quiz(&ss, &q);
	tap_ok(q.verdict == SESSION_WRONG, "12%% off is not");
	session_free(&ss);
	lesson_free(l);
}

static void
test_pitfalls(void)
{
	double		 pin[] = { 0.2, 0.9, 0.7 }, yin[] = { 0, 1, 1 };
	double		 cin[] = { 2.0, 1.0, 0.1 }, cy[] = { 0 };
	struct mat	 p = MAT_VIEW(1, 1, 3, pin), y = MAT_VIEW(1, 1, 3, yin);
	struct mat	 cz = MAT_VIEW(2, 1, 3, cin), ct = MAT_VIEW(1, 1, 1, cy);
	struct loss_opts o;
	struct loss_result r = LOSS_RESULT_INIT;
	struct session	 ss;
	struct session_cmp c;
	enum pitfall_id	 fit[PITFALL_COUNT];
	struct err	 e;
	int		 n;

	loss_opts_init(&o);
	session_init_values(&ss, LOSS_BCE, &p, &y, &o, PITFALL_NONE, &e);
	n = step_pitfalls(&session_cur(&ss)->st, fit);
	tap_ok(n == 1 && fit[0] == PITFALL_BCE_ON_LOGITS,
	    "bce: only BCELoss-on-logits fits (not naive-float32)");
	tap_ok(session_toggle_pitfall(&ss) == 1 && session_cmp(&ss, &c) == 0,
	    "p shows it");
	loss_eval(LOSS_BCE_LOGITS, &p, &y, &o, &r, &e);
	tap_ok(c.as_logits && c.loss == LOSS_BCE_LOGITS && c.correct != NULL
	    && c.correct->value == r.value && c.wrong != NULL &&
	    c.wrong->value == session_cur(&ss)->st.res.value,
	    "its correct side is BCEWithLogits of the values read as logits");
	tap_ok(session_next_pitfall(&ss) == -1, "no other pitfall for bce");
	tap_ok(session_toggle_pitfall(&ss) == 0 &&
	    session_cur(&ss)->st.pitfall == PITFALL_NONE,
	    "hidden, a step without a pitfall of its own has none");
	loss_result_free(&r);
	session_free(&ss);
	session_init_values(&ss, LOSS_CE, &cz, &ct, &o, PITFALL_NONE, &e);
	n = step_pitfalls(&session_cur(&ss)->st, fit);
	tap_ok(n == 2 && fit[0] == PITFALL_SOFTMAX_THEN_CE, "ce: softmax "
	    "first, then log-softmax");
	session_toggle_pitfall(&ss);
	session_next_pitfall(&ss);
	tap_ok(session_cur(&ss)->st.pitfall == PITFALL_LOG_SOFTMAX_THEN_CE,
	    "P shows the next one");
	session_free(&ss);
	session_init_values(&ss, LOSS_KL_DIV, &cz, &cz, &o, PITFALL_NONE, &e);
	tap_ok(step_pitfalls(&session_cur(&ss)->st, fit) == 0 &&
	    session_toggle_pitfall(&ss) == 0, "kl-div: none applies");
	session_free(&ss);
}

static void
test_edits(void)
{
	double		 cin[] = { 2.0, 1.0, 0.1, 0.5, 2.5, 0.3 }, cy[] = { 0, 2 };
	double		 zin[] = { 2.0, -1.0, 0.5 }, yin[] = { 1, 0, 1 };
	double		 bin[] = { 2.0, -1.0, 0.5, 0.3, 0.1, 0.9 };
	struct mat	 cz = MAT_VIEW(2, 2, 3, cin), ct = MAT_VIEW(1, 1, 2, cy);
	struct mat	 z2 = MAT_VIEW(2, 1, 3, zin), y1 = MAT_VIEW(1, 1, 3, yin);
	struct mat	 b2 = MAT_VIEW(2, 2, 3, bin);
	struct loss_opts o;
	struct session	 ss;
	struct step	*s;
	struct err	 e;

	loss_opts_init(&o);
	session_init_values(&ss, LOSS_CE, &cz, &ct, &o, PITFALL_NONE, &e);
	s = &session_cur(&ss)->st;
	tap_ok(session_remove_col(&ss, 2, &e) == -1 &&
	    strstr(e.msg, "class 2 is the target of sample 1") != NULL &&
	    s->input.cols == 3 && s->target.v[1] == 2,
	    "removing a class a target names is refused: %s", e.msg);
	tap_ok(session_remove_col(&ss, 1, &e) == 0 && s->input.cols == 2 &&
	    s->target.v[1] == 1 && strstr(s->note, "moved down") != NULL,
	    "removing another: the indices above it move down, and it says "
	    "so: %s", s->note);
	tap_ok(session_set_cell(&ss, STEP_TARGET, 0, 0, 0.5, &e) == -1 &&
	    session_set_cell(&ss, STEP_TARGET, 0, 0, 2, &e) == -1,
	    "a class index must be a whole class");
	tap_ok(step_set_option(s, "ignore_index", 1e19, &e) == -1 &&
	    step_set_option(s, "ignore_index", 9007199254740992.0, &e) == 0,
	    "ignore_index beyond 2^53 is refused (1e19 was undefined)");
	/* found by fuzz_session: a cell outside the input was kept */
	session_select(&ss, 0, 1);
	session_select(&ss, 2, 0);
	session_select(&ss, 0, 2);
	tap_ok(session_cur(&ss)->has_sel && session_cur(&ss)->sel_r == 0 &&
	    session_cur(&ss)->sel_c == 1, "selecting a cell outside the input "
	    "changes nothing");
	session_free(&ss);

	/* Regression (ASan): a 2-D input with a 1-D target, add a row. */
	session_init_values(&ss, LOSS_BCE_LOGITS, &z2, &y1, &o, PITFALL_NONE,
	    &e);
	s = &session_cur(&ss)->st;
	tap_ok(session_add_row(&ss, &e) == 0 && s->input.rows == 2 &&
	    s->target.ndim == 2 && s->target.rows == 2 && s->ok,
	    "o on a [1, 3] input with a [3] target: the target follows");
	tap_ok(session_add_row(&ss, &e) == 0 && s->target.rows == 3,
	    "and again");
	session_free(&ss);
	/* ... and a target that broadcasts is left alone */
	session_init_values(&ss, LOSS_KL_DIV, &b2, &y1, &o, PITFALL_NONE, &e);
	s = &session_cur(&ss)->st;
	tap_ok(session_add_row(&ss, &e) == 0 && s->input.rows == 3 &&
	    s->target.ndim == 1 && s->target.cols == 3,
	    "o on kl-div with a broadcast [3] target: the target stays");
	session_free(&ss);

	/* Regression (ASan): softmax-then-ce with a target smaller than the
	   input and not of class indices read the floor past the target. */
	session_init_values(&ss, LOSS_BCE_LOGITS, &b2, &y1, &o,
	    PITFALL_SOFTMAX_THEN_CE, &e);
	tap_ok(isnan(session_cur(&ss)->st.pitfall_floor),
	    "softmax-then-ce on a [2, 3] input with a [3] target: no floor, "
	    "no read past the target");
	session_free(&ss);
}

/* ---- the property test ------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
rnd(size_t n)
{
	return n ? (size_t)(rng() % n) : 0;
}

/* A value a learner might type: mostly ordinary, sometimes odd. */
static double
rnd_value(void)
{
	static const double odd[] = { 0, 1, -1, 0.5, 1.1, -0.2, 1e-310, 1e300,
	    -1e300, 40, -40, 100, 2.5, NAN, INFINITY, -INFINITY, 0.1, 1e-9 };

	switch (rnd(4)) {
	case 0:
		return odd[rnd(sizeof odd / sizeof odd[0])];
	case 1:
		return (double)rnd(1000) / 1000.0;
	default:
		return ((double)rnd(20000) - 10000) / 1000.0;
	}
}

struct ptotals {
	long	 sequences, edits, marks, roundtrips, plots, refused;
	int	 failures;
};

/* Report a failed property once per kind (they would repeat). */
static void
pfail(struct ptotals *t, const char *file, size_t step, const char *what,
    const char *detail)
{
	if (t->failures++ < 30)
		tap_diag("%s step %zu: %s: %s", file, step + 1, what, detail);
}

static int
near(double got, double want)
{
	if (isnan(want))
		return isnan(got);
	if (isinf(want))
		return got == want;
	return fabs(got - want) <= 1e-9 * fmax(1, fabs(want));
}

/* Every template of the current step renders without an unknown name. */
static void
check_texts(struct session *ss, struct ptotals *t, const char *file)
{
	const struct lesson_step *src = session_cur(ss)->st.src;
	const char	*tmpl[5 + LESSON_CHOICES_MAX];
	struct session_text tx = SESSION_TEXT_INIT;
	size_t		 i, k, n = 0;

	if (src == NULL)
		return;
	tmpl[n++] = src->title;
	tmpl[n++] = src->text;
	tmpl[n++] = src->predict.question;
	tmpl[n++] = src->predict.answer;
	tmpl[n++] = src->predict.explain;
	for (i = 0; i < (size_t)src->predict.nchoices; i++)
		tmpl[n++] = src->predict.choices[i];
	for (i = 0; i < n; i++) {
		if (tmpl[i] == NULL)
			continue;
		if (session_render(ss, tmpl[i], &tx) != 0) {
			pfail(t, file, ss->cur, "render", "out of memory");
			continue;
		}
		for (k = 0; k < tx.n; k++)
			if ((tx.p[k].flags & SESSION_PARA_BAD) ||
			    strstr(tx.p[k].text, "{?") != NULL)
				pfail(t, file, ss->cur, "unrendered placeholder",
				    tx.p[k].text);
		session_text_free(&tx);
	}
}

/* The verdict follows the values on screen. */
static void
check_quiz(struct session *ss, struct ptotals *t, const char *file)
{
	const struct step *s = &session_cur(ss)->st;
	const struct lesson_predict *p;
	struct session_quiz q;
	struct template_info ti;
	int		 k, fits = 0, fit = -1, undecided = 0;
	char		*r, d[160];

	session_quiz(ss, &q);
	if (!q.has)
		return;
	p = &s->src->predict;
	for (k = 0; session_choices_live(p) && k < p->nchoices; k++) {
		r = template_render(s, p->choices[k], &ti);
		free(r);
		if (ti.when == 1) {
			fits++;
			fit = k;
		} else if (ti.when == 2)
			undecided++;
	}
	if (q.live && q.correct != (fits == 1 && !undecided ? fit : -1)) {
		snprintf(d, sizeof d, "correct %d, %d choices fit", q.correct,
		    fits);
		pfail(t, file, ss->cur, "live answer", d);
	}
	if (!q.live && q.correct != p->correct)
		pfail(t, file, ss->cur, "fixed answer", "not the lesson's");
	if (!q.live && q.tied != session_edited(ss, ss->cur))
		pfail(t, file, ss->cur, "tied", "edited values not said");
	if (q.verdict == SESSION_RIGHT && p->nchoices > 0 &&
	    q.choice != q.correct)
		pfail(t, file, ss->cur, "verdict", "right but not the answer");
	if (q.verdict == SESSION_WRONG && p->nchoices > 0 &&
	    (q.choice == q.correct || q.correct < 0))
		pfail(t, file, ss->cur, "verdict", "wrong but the answer");
	if (q.verdict == SESSION_RIGHT && p->nchoices == 0 &&
	    !(fabs(q.guess - q.answer) <= (q.tolerance_abs ? q.tolerance :
	    q.tolerance * fabs(q.answer)) || q.guess == q.answer))
		pfail(t, file, ss->cur, "verdict", "guess out of tolerance");
}

/* Every plot mark is on its curve, at the value the tables show. */
static void
check_plot(struct session *ss, struct ptotals *t, const char *file)
{
	struct plot_req		 req;
	struct curve_cells	 cc;
	struct curve_params	 p;
	struct curve_set	 cs = CURVE_SET_INIT, one = CURVE_SET_INIT;
	struct err		 e;
	const struct curve_mark	*m;
	enum session_plot_state	 st;
	double			 shown;
	char			 d[256];
	int			 k, pit;

	st = session_plot(ss, &req, &cc);
	if (st == SESSION_PLOT_REFUSED)
		t->refused++;
	if (st != SESSION_PLOT_OK)
		return;
	curve_params_init(&p, (enum curve_kind)req.kind);
	p.cells = &cc;
	p.points = 41;
	if (curve_compute(&p, &cs, &e) != 0) {
		pfail(t, file, ss->cur, "plot", e.msg);
		return;
	}
	t->plots++;
	if (cs.nmarks < 1)
		pfail(t, file, ss->cur, "plot", "no mark");
	for (k = 0; k < cs.nmarks; k++) {
		m = &cs.marks[k];
		if (m->curve < 0 || m->curve >= cs.ncurves || m->group < 0 ||
		    (size_t)m->group >= cc.ncells) {
			pfail(t, file, ss->cur, "mark", "bad curve or cell");
			continue;
		}
		pit = cs.c[m->curve].role == CURVE_ROLE_PITFALL;
		shown = session_cell_loss(ss, cc.cells[m->group].r,
		    cc.cells[m->group].c, pit);
		t->marks++;
		if (!near(m->y, shown) || m->x !=
		    MAT_AT(cc.input, cc.cells[m->group].r,
		    cc.cells[m->group].c)) {
			snprintf(d, sizeof d, "mark (%g, %.17g) but the table "
			    "shows %.17g", m->x, m->y, shown);
			pfail(t, file, ss->cur, "mark height", d);
		}
		/* the same curve, evaluated at the mark alone */
		if (curve_compute_at(&p, m->x, &one, &e) == 0 &&
		    m->curve < one.ncurves && !near(one.c[m->curve].v[0],
		    m->y)) {
			snprintf(d, sizeof d, "curve at %g is %.17g, mark %.17g",
			    m->x, one.c[m->curve].v[0], m->y);
			pfail(t, file, ss->cur, "mark on curve", d);
		}
		curve_set_free(&one);
	}
	curve_set_free(&cs);
}

/* The whole session as text. */
static char *
dump_text(struct session *ss)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return NULL;
	dump_session(f, ss, 80, 0);
	fclose(f);
	return buf;
}

static void
keep_dumps(const char *dir, const char *file, const char *a, const char *b)
{
	char	 path[4096];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s.live", dir, file);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(a, f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/%s.saved", dir, file);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(b, f);
		fclose(f);
	}
}

/* save -> load -> dump gives what the session dumps. */
static void
check_roundtrip(struct session *ss, struct ptotals *t, const char *file,
    const char *dir)
{
	struct err	 err;
	char		 path[4096];
	struct lesson	*l2;
	struct session	 s2;
	struct err	 e;
	char		*a, *b;

	if (session_save(ss, ss->lesson->title, dir, path, sizeof path,
	    &err) != 0) {
		pfail(t, file, ss->cur, "save", err.msg);
		return;
	}
	if ((l2 = lesson_load(path, &err)) == NULL) {
		pfail(t, file, ss->cur, "load", err.msg);
		unlink(path);
		return;
	}
	unlink(path);
	if (session_init(&s2, l2, &e) != 0) {
		pfail(t, file, ss->cur, "reload", e.msg);
		session_free(&s2);
		lesson_free(l2);
		return;
	}
	a = dump_text(ss);
	b = dump_text(&s2);
	t->roundtrips++;
	if (a == NULL || b == NULL || strcmp(a, b) != 0) {
		size_t	i = 0;

		while (a && b && a[i] == b[i] && a[i])
			i++;
		pfail(t, file, ss->cur, "save -> load -> dump differs", a && b ?
		    a + (i > 60 ? i - 60 : 0) : "(none)");
		if (a && b && t->failures < 30)
			tap_diag("reloaded: %.160s", b + (i > 60 ? i - 60 : 0));
		/* SESSION_KEEP=DIR keeps both dumps for a diff */
		if (a && b && getenv("SESSION_KEEP") != NULL)
			keep_dumps(getenv("SESSION_KEEP"), file, a, b);
	}
	free(a);
	free(b);
	session_free(&s2);
	lesson_free(l2);
}

/* One random edit of the current step. */
static void
random_edit(struct session *ss)
{
	const struct session_opt *opts[16];
	struct step	*s = &session_cur(ss)->st;
	struct err	 e;
	struct mat	*m;
	size_t		 n, k;
	char		 g[64];

	switch (rnd(16)) {
	case 0:
		session_goto(ss, rnd(ss->nsteps), &e);
		break;
	case 1:
	case 2:
		session_set_cell(ss, STEP_INPUT, rnd(s->input.rows),
		    rnd(s->input.cols), rnd_value(), &e);
		break;
	case 3:
		session_nudge_cell(ss, rnd(2) ? STEP_INPUT : STEP_TARGET,
		    rnd(s->input.rows), rnd(s->input.cols), rnd(2) ? 1 : -1,
		    (int)rnd(2), &e);
		break;
	case 4:
		m = &s->target;
		if (mat_numel(m) > 0)
			session_set_cell(ss, STEP_TARGET, rnd(m->rows),
			    rnd(m->cols), rnd(3) ? (double)rnd(s->input.cols
			    + 1) : rnd_value(), &e);
		break;
	case 5:
		session_add_row(ss, &e);
		break;
	case 6:
		session_remove_row(ss, rnd(s->input.ndim == 2 ?
		    s->input.rows : s->input.cols), &e);
		break;
	case 7:
		if (s->input.cols < 12)
			session_add_col(ss, &e);
		break;
	case 8:
		session_remove_col(ss, rnd(s->input.cols), &e);
		break;
	case 9:
		n = session_options(ss, opts, 16);
		if (n > 0) {
			k = rnd(n);
			if (rnd(2))
				session_nudge_option(ss, opts[k], rnd(4),
				    rnd(2) ? 1 : -1, (int)rnd(2), &e);
			else
				session_set_option(ss, opts[k], rnd(4),
				    rnd_value(), &e);
		}
		break;
	case 10:
		session_cycle_reduction(ss);
		break;
	case 11:
		if (rnd(2))
			session_toggle_pitfall(ss);
		else
			session_next_pitfall(ss);
		break;
	case 12:
		if (rnd(3) == 0)
			session_reveal(ss);
		else if (s->src != NULL && s->src->predict.nchoices == 0) {
			snprintf(g, sizeof g, rnd(4) ? "%.6g" : "x%.3g",
			    s->ok ? s->res.value * (0.8 + rnd(40) / 100.0) :
			    1.0);
			session_guess(ss, g, &e);
		} else
			session_answer(ss, (int)rnd(5), &e);
		break;
	case 13:
		session_undo(ss);
		break;
	case 14:
		if (rnd(4) == 0)
			session_reset(ss);
		break;
	case 15:
		session_select(ss, rnd(s->input.ndim == 2 ? s->input.rows : 1),
		    rnd(s->input.cols));
		break;
	}
}

static void
test_property(void)
{
	char		 dir[2048], path[2048 + 256], tmp[] =
			    "/tmp/losslab-propXXXXXX";
	struct err	 err;
	const char	*env;
	DIR		*d;
	struct dirent	*de;
	struct lesson	*l;
	struct session	 ss;
	struct ptotals	 t;
	struct err	 e;
	struct timespec	 t0, t1;
	long		 nseq = 6, nedit = 25, q, k;
	int		 nfiles = 0;
	size_t		 len;

	memset(&t, 0, sizeof t);
	if ((env = getenv("SESSION_SEQUENCES")) != NULL && atol(env) > 0)
		nseq = atol(env);
	if ((env = getenv("SESSION_EDITS")) != NULL && atol(env) > 0)
		nedit = atol(env);
	if (mkdtemp(tmp) == NULL) {
		tap_ok(0, "mkdtemp");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(dir, sizeof dir, "%s/lessons", srcdir);
	if ((d = opendir(dir)) == NULL) {
		tap_ok(0, "open %s", dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 8 || strcmp(de->d_name + len - 7, ".lesson") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if ((l = lesson_load(path, &err)) == NULL) {
			pfail(&t, de->d_name, 0, "load", err.msg);
			continue;
		}
		nfiles++;
		for (q = 0; q < nseq; q++) {
			rng_state = (uint64_t)q * 1000003u + len * 7919u +
			    (uint64_t)de->d_name[0] * 131u +
			    (uint64_t)de->d_name[len - 8];
			if (session_init(&ss, l, &e) != 0) {
				pfail(&t, de->d_name, 0, "init", e.msg);
				session_free(&ss);
				break;
			}
			for (k = 0; k < nedit; k++) {
				random_edit(&ss);
				t.edits++;
				check_texts(&ss, &t, de->d_name);
				check_quiz(&ss, &t, de->d_name);
				check_plot(&ss, &t, de->d_name);
			}
			check_roundtrip(&ss, &t, de->d_name, tmp);
			t.sequences++;
			session_free(&ss);
		}
		lesson_free(l);
	}
	closedir(d);
	rmdir(tmp);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tap_diag("property test: %d lesson files, %ld sequences, %ld edits, "
	    "%ld plots (%ld refused by torch), %ld marks checked, %ld save/load "
	    "round trips in %.2f s", nfiles, t.sequences, t.edits, t.plots,
	    t.refused, t.marks, t.roundtrips, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	tap_ok(nfiles >= 32, "every shipped lesson in both languages (%d "
	    "files)", nfiles);
	tap_ok(t.failures == 0, "%ld random edits: texts render, verdicts "
	    "follow the values, marks sit on their curves at the values shown, "
	    "saved copies dump the same (%d failures)", t.edits, t.failures);
}

int
main(void)
{
	if ((srcdir = getenv("top_srcdir")) == NULL)
		srcdir = ".";
	test_template();
	test_narrative();
	test_quiz();
	test_pitfalls();
	test_edits();
	test_property();
	return tap_done();
}
