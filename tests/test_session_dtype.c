/*
 * test_session_dtype.c -- the dtypes of a step in the session model
 * (src/session.h, src/step.h): `dtype:` and `target_dtype:` in a lesson,
 * torch's dtype errors in torch's order (shapes, then dtypes, then
 * values), d's switch between float64 and float32 (session_toggle_dtype)
 * and everything that follows it: the values, gradients, text
 * placeholders, live quiz verdicts, the PyTorch lines, the plot's marks,
 * undo, reset, "edited", and a saved copy.
 *
 * Every expected number and message is torch 1.13's, printed by
 * /usr/bin/python3 with torch (the values to 17 digits, float32 results
 * widened to double), never losslab's own output.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/curve.h"
#include "lesson.h"
#include "plot.h"
#include "pycode.h"
#include "session.h"
#include "step.h"
#include "tap.h"
#include "template.h"

/*
 * torch:
 *   z = torch.tensor([20., 10., 2.]); y = torch.ones(3)
 *   nn.BCEWithLogitsLoss(reduction='none')(z, y)
 *     -> [0.0, 4.541770613286644e-05, 0.12692804634571075]
 *   nn.BCEWithLogitsLoss()(z, y) -> 0.0423244871199131,
 *     grad [0.0, -1.5139579772949219e-05, -0.03973432257771492]
 *   the same in float64 -> [2.0611536900435727e-09, 4.5398899216870535e-05,
 *     0.1269280110429726], 0.042324470667781056,
 *     grad [-6.870512307225832e-10, -1.5132622900796791e-05,
 *     -0.0397343073407059]
 */
static const double sat_f32_elem[] = { 0.0, 4.541770613286644e-05,
    0.12692804634571075 };
static const double sat_f32_value = 0.0423244871199131;
static const double sat_f32_grad[] = { 0.0, -1.5139579772949219e-05,
    -0.03973432257771492 };
static const double sat_f64_elem[] = { 2.0611536900435727e-09,
    4.5398899216870535e-05, 0.1269280110429726 };
static const double sat_f64_value = 0.042324470667781056;
static const double sat_f64_grad[] = { -6.870512307225832e-10,
    -1.5132622900796791e-05, -0.0397343073407059 };

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

/* Whether got equals want to rel relative (exactly when want is 0):
   1e-12 for float64, 2e-6 for float32 (issue 11: torch's float32 within
   2e-6; the float kernels may differ from torch's by an ulp). */
static int
near(double got, double want, double rel)
{
	if (want == 0)
		return got == 0;
	return fabs(got - want) <= rel * fabs(want);
}

#define F64	1e-12
#define F32	2e-6

static int
near3(const double *got, const double *want, double rel)
{
	return near(got[0], want[0], rel) && near(got[1], want[1], rel) &&
	    near(got[2], want[2], rel);
}

/* tmpl rendered for the current step (a new string). */
static char *
render(struct session *ss, const char *tmpl)
{
	return template_render(&session_cur(ss)->st, tmpl, NULL);
}

static const char *sat_src =
    "id: t\ntitle: T\nloss: bce-logits\ndtype: float32\noptions: reduction\n"
    "step: saturation\ninput: 20, 10, 2\ntarget: 1, 1, 1\n"
    "predict: element 0?\n"
    "choices: exactly 0 {when elem[0] == 0} | more {when elem[0] > 0}\n"
    "answer: 1\n"
    "text: {dtype} {target_dtype} {dtype.result} [{dtype.hint}] {elem[0]}\n"
    "code: x\n"
    "step: float64 from the lesson\ndtype: float64\ntext: {dtype}\n"
    "code: x\n"
    "step: trains\nloss: ce\n"
    "train: data=blobs model=linear lr=0.1 epochs=5\n"
    "text: t\ncode: x\n";

/* The switch on a float32 step of bce-logits. */
static void
test_switch(void)
{
	struct lesson	*l = parse(sat_src);
	struct session	 ss;
	struct session_quiz q;
	struct step	*s;
	struct err	 e;
	char		*out, code[4096];

	if (!tap_ok(l != NULL && session_init(&ss, l, &e) == 0,
	    "a lesson with dtype: float32 in its header"))
		return;
	s = &session_cur(&ss)->st;
	tap_ok(s->dtype == DTYPE_FLOAT && step_target_dtype(s) == DTYPE_FLOAT &&
	    s->rdtype == DTYPE_FLOAT && s->ok && s->res.f32 == LOSS_F32_KERNEL,
	    "the step starts in float32, its default target float32 too, "
	    "computed by torch's float kernel");
	tap_ok(near3(s->res.elem.v, sat_f32_elem, F32) &&
	    near(s->res.value, sat_f32_value, F32) &&
	    near3(s->res.grad.v, sat_f32_grad, F32),
	    "float32: torch's elements (element 0 exactly 0), value and "
	    "gradient");
	out = render(&ss, "{dtype} {target_dtype} {dtype.result} "
	    "[{dtype.hint}] {elem[0]} {elem[1]}");
	tap_ok(out != NULL && strcmp(out, "float32 float32 float32 [] 0 "
	    "4.54177e-05") == 0, "placeholders in float32: '%s'", out);
	free(out);
	session_answer(&ss, 0, &e);
	session_quiz(&ss, &q);
	tap_ok(q.live && q.correct == 0 && q.verdict == SESSION_RIGHT,
	    "the quiz: 'exactly 0' is right in float32");
	pycode_format(s, 1, code, sizeof code);
	tap_ok(strstr(code, "z = torch.tensor([20., 10., 2.], "
	    "dtype=torch.float32)") != NULL && strstr(code, "y = "
	    "torch.tensor([1., 1., 1.], dtype=torch.float32)") != NULL,
	    "the PyTorch lines say dtype=torch.float32");
	tap_ok(!session_edited(&ss, 0), "not edited yet");

	tap_ok(session_toggle_dtype(&ss, &e) == DTYPE_DOUBLE &&
	    s->dtype == DTYPE_DOUBLE && s->rdtype == DTYPE_DOUBLE &&
	    s->res.f32 == LOSS_F32_NONE, "d: float64");
	tap_ok(near3(s->res.elem.v, sat_f64_elem, F64) &&
	    near(s->res.value, sat_f64_value, F64) &&
	    near3(s->res.grad.v, sat_f64_grad, F64),
	    "float64: torch's elements (element 0 is 2.06e-9), value and "
	    "gradient");
	out = render(&ss, "{dtype} {target_dtype} {elem[0]} {elem[1]}");
	tap_ok(out != NULL && strcmp(out, "float64 float64 2.06115e-09 "
	    "4.53989e-05") == 0, "placeholders follow: '%s'", out);
	free(out);
	session_quiz(&ss, &q);
	tap_ok(q.correct == 1 && q.verdict == SESSION_WRONG,
	    "the quiz follows: 'more' is right in float64, the answer given "
	    "is now wrong");
	pycode_format(s, 1, code, sizeof code);
	tap_ok(strstr(code, "dtype=torch.float64)") != NULL &&
	    strstr(code, "float32") == NULL, "the PyTorch lines say float64");
	tap_ok(session_edited(&ss, 0), "a switched step counts as edited");

	tap_ok(session_undo(&ss) == 0 && s->dtype == DTYPE_FLOAT &&
	    near3(s->res.elem.v, sat_f32_elem, F32), "u undoes the switch");
	session_toggle_dtype(&ss, &e);
	session_reset(&ss);
	tap_ok(s->dtype == DTYPE_FLOAT && !session_edited(&ss, 0),
	    "R restores the lesson's float32");

	tap_ok(session_goto(&ss, 1, &e) == 0 &&
	    session_cur(&ss)->st.dtype == DTYPE_DOUBLE,
	    "a step's dtype: float64 overrides the header's");
	tap_ok(session_goto(&ss, 2, &e) == 0 &&
	    session_toggle_dtype(&ss, &e) == -1 &&
	    strstr(e.msg, "float64") != NULL, "a training step refuses d: "
	    "'%s'", e.msg);
	session_free(&ss);
	lesson_free(l);
}

/* The plot's marks sit at the float32 values the tables show. */
static void
test_plot(void)
{
	struct lesson		*l = parse(sat_src);
	struct session		 ss;
	struct plot_req		 req;
	struct curve_cells	 cc;
	struct curve_params	 p;
	struct curve_set	 cs = CURVE_SET_INIT;
	struct err		 e;
	int			 k, n = 0, okm = 0, d;

	if (l == NULL || session_init(&ss, l, &e) != 0)
		return;
	session_reveal(&ss);
	for (d = 0; d < 2; d++) {
		if (session_plot(&ss, &req, &cc) != SESSION_PLOT_OK)
			break;
		curve_params_init(&p, (enum curve_kind)req.kind);
		p.cells = &cc;
		p.points = 41;
		if (curve_compute(&p, &cs, &e) != 0)
			break;
		for (k = 0; k < cs.nmarks; k++, n++)
			if (cs.marks[k].group >= 0 && cs.marks[k].y ==
			    session_cell_loss(&ss, cc.cells[cs.marks[k].group].r,
			    cc.cells[cs.marks[k].group].c, 0))
				okm++;
		curve_set_free(&cs);
		session_toggle_dtype(&ss, &e);
	}
	tap_ok(n > 0 && okm == n, "the plot's marks equal the tables in "
	    "float32 and float64 (%d of %d)", okm, n);
	session_free(&ss);
	lesson_free(l);
}

/*
 * torch's messages for the four classic errors and their relatives
 * (torch 1.13, first line of the RuntimeError):
 *   nn.BCELoss()(p, y_long)                -> Found dtype Long but expected Float
 *   nn.BCELoss()(p.double(), y_long)       -> Found dtype Long but expected Double
 *   nn.CrossEntropyLoss()(z, y_float)      -> expected scalar type Long but found Float
 *   nn.CrossEntropyLoss()(z, y_int32)      -> expected scalar type Long but found Int
 *   nn.BCEWithLogitsLoss()(z, y_long)      -> result type Float can't be cast to the desired output type Long
 *   nn.BCEWithLogitsLoss()(z.double(), y_long) -> result type Double can't be cast to the desired output type Long
 *   nn.BCELoss()(torch.tensor([1.5, .3, .6]), y_long) -> Found dtype Long but expected Float
 *   nn.BCEWithLogitsLoss()(z.double(), y.float()).dtype -> torch.float32
 */
static const struct {
	const char	*name, *step, *want32, *want64;
} errors[] = {
	{ "BCELoss, Long target",
	    "loss: bce\ninput: 0.8, 0.3, 0.6\ntarget: 1, 0, 1\n"
	    "target_dtype: long\n",
	    "Found dtype Long but expected Float",
	    "Found dtype Long but expected Double" },
	{ "CrossEntropyLoss, float indices",
	    "loss: ce\ninput: 2, 1, 0.1; 0.5, 2.5, 0.3\ntarget: 0, 1\n"
	    "target_dtype: float\n",
	    "expected scalar type Long but found Float",
	    "expected scalar type Long but found Float" },
	{ "CrossEntropyLoss, int32 indices",
	    "loss: ce\ninput: 2, 1, 0.1; 0.5, 2.5, 0.3\ntarget: 0, 1\n"
	    "target_dtype: int\n",
	    "expected scalar type Long but found Int",
	    "expected scalar type Long but found Int" },
	{ "BCEWithLogitsLoss, Long target",
	    "loss: bce-logits\ninput: 1.5, -0.5, 2\ntarget: 1, 0, 1\n"
	    "target_dtype: int64\n",
	    "result type Float can't be cast to the desired output type Long",
	    "result type Double can't be cast to the desired output type "
	    "Long" },
	{ "BCELoss, Long target and a value above 1 (dtypes first)",
	    "loss: bce\ninput: 1.5, 0.3, 0.6\ntarget: 1, 0, 1\n"
	    "target_dtype: long\n",
	    "Found dtype Long but expected Float",
	    "Found dtype Long but expected Double" },
};

static void
test_errors(void)
{
	struct lesson	*l;
	struct session	 ss;
	struct step	*s;
	struct err	 e;
	char		 src[1024], code[4096], *out;
	size_t		 i;

	for (i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		snprintf(src, sizeof src, "id: t\ntitle: T\ndtype: float32\n"
		    "step: s\n%stext: t\ncode: x\n", errors[i].step);
		l = parse(src);
		if (l == NULL || session_init(&ss, l, &e) != 0) {
			tap_ok(0, "%s: loads", errors[i].name);
			lesson_free(l);
			continue;
		}
		s = &session_cur(&ss)->st;
		tap_ok(!s->ok && strcmp(s->error, errors[i].want32) == 0 &&
		    s->dtype_hint != NULL && s->rdtype == DTYPE_COUNT,
		    "%s, float32: '%s'", errors[i].name, s->error);
		out = render(&ss, "{error}|{dtype.result}");
		snprintf(src, sizeof src, "%s|", errors[i].want32);
		tap_ok(out != NULL && strcmp(out, src) == 0,
		    "... {error} is torch's message, {dtype.result} empty");
		free(out);
		session_toggle_dtype(&ss, &e);
		tap_ok(!s->ok && strcmp(s->error, errors[i].want64) == 0,
		    "%s, float64: '%s'", errors[i].name, s->error);
		pycode_format(s, 1, code, sizeof code);
		tap_ok(strstr(code, errors[i].want64) != NULL,
		    "... and the PyTorch lines say torch raises it");
		session_free(&ss);
		lesson_free(l);
	}

	/* torch checks the shapes before the dtypes: three targets for two
	   samples is the shape error even with float indices */
	l = parse("id: t\ntitle: T\nloss: ce\nstep: s\ninput: 2, 1; 0, 1\n"
	    "target: 0, 1, 1\ntarget_dtype: float\ntext: t\ncode: x\n");
	if (l != NULL && session_init(&ss, l, &e) == 0) {
		s = &session_cur(&ss)->st;
		tap_ok(!s->ok && strstr(s->error, "Long") == NULL &&
		    s->dtype_hint == NULL, "shapes before dtypes: '%s'",
		    s->error);
		session_free(&ss);
	} else
		tap_ok(0, "shapes before dtypes: loads");
	lesson_free(l);

	/* the fixes: BCEWithLogitsLoss with a float32 target beside a
	   float64 input computes in the target's dtype */
	l = parse("id: t\ntitle: T\nloss: bce-logits\nstep: s\n"
	    "input: 1.5, -0.5, 2\ntarget: 1, 0, 1\ntarget_dtype: float\n"
	    "text: t\ncode: x\n");
	if (l != NULL && session_init(&ss, l, &e) == 0) {
		s = &session_cur(&ss)->st;
		tap_ok(s->ok && s->dtype == DTYPE_DOUBLE &&
		    s->rdtype == DTYPE_FLOAT && s->res.f32 == LOSS_F32_KERNEL,
		    "float64 input, float32 target: bce-logits computes in "
		    "float32, as torch");
		session_free(&ss);
	} else
		tap_ok(0, "float64 input, float32 target: loads");
	lesson_free(l);
	/* BCELoss keeps refusing a float32 target beside float64 */
	l = parse("id: t\ntitle: T\nloss: bce\nstep: s\n"
	    "input: 0.5\ntarget: 1\ntarget_dtype: float32\ntext: t\ncode: x\n");
	if (l != NULL && session_init(&ss, l, &e) == 0) {
		s = &session_cur(&ss)->st;
		tap_ok(!s->ok && strcmp(s->error, "Found dtype Float but "
		    "expected Double") == 0, "BCELoss, float64 input, float32 "
		    "target: '%s'", s->error);
		session_free(&ss);
	} else
		tap_ok(0, "BCELoss float target: loads");
	lesson_free(l);
}

/* The lesson file: bad values of the keys are errors with their line. */
static void
test_keys(void)
{
	struct err	 err;
	struct lesson	*l;
	static const char *bad[] = {
		"id: t\ntitle: T\nstep: s\ninput: 1\ntarget: 1\ndtype: int64\n",
		"id: t\ntitle: T\nstep: s\ninput: 1\ntarget: 1\n"
		    "target_dtype: complex\n",
	};
	static const char *want[] = {
		"t.lesson:6: dtype 'int64': float32 or float64",
		"t.lesson:6: unknown dtype 'complex' (long, int, float, double, "
		    "..., or default)",
	};
	size_t		 i;

	for (i = 0; i < 2; i++) {
		l = lesson_parse("t.lesson", bad[i], strlen(bad[i]), &err);
		tap_ok(l == NULL && strcmp(err.msg, want[i]) == 0,
		    "refused: '%s'", err.msg);
		lesson_free(l);
	}
	l = parse("id: t\ntitle: T\ntarget-dtype: int32\nstep: a\ninput: 1\n"
	    "target: 1\nstep: b\ntarget_dtype: default\n");
	tap_ok(l != NULL && l->steps[0].target_dtype == DTYPE_INT &&
	    l->steps[1].target_dtype == DTYPE_COUNT && !l->steps[0].opts.float32,
	    "target-dtype in the header is every step's default; 'default' "
	    "clears it; dtype defaults to float64");
	lesson_free(l);
}

/* A saved copy keeps the learner's dtype. */
static void
test_save(void)
{
	struct lesson	*l = parse(sat_src), *back;
	struct session	 ss, sb;
	struct err	 e;
	struct err	 err;
	char		 dir[] = "/tmp/ll-dtype-XXXXXX", path[1024];
	int		 ok = 0;

	if (l == NULL || mkdtemp(dir) == NULL ||
	    session_init(&ss, l, &e) != 0) {
		tap_ok(0, "save: set up");
		return;
	}
	session_toggle_dtype(&ss, &e);	/* step 1 to float64 */
	if (session_save(&ss, "mine", dir, path, sizeof path, &err) == 0 &&
	    (back = lesson_load(path, &err)) != NULL) {
		if (session_init(&sb, back, &e) == 0) {
			ok = session_cur(&sb)->st.dtype == DTYPE_DOUBLE &&
			    near3(session_cur(&sb)->st.res.elem.v,
			    sat_f64_elem, F64) && session_goto(&sb, 1, &e) == 0 &&
			    session_cur(&sb)->st.dtype == DTYPE_DOUBLE;
			session_free(&sb);
		}
		lesson_free(back);
		unlink(path);
	} else
		tap_diag("save: %s", err.msg);
	rmdir(dir);
	tap_ok(ok, "a saved copy keeps the step switched to float64");
	session_free(&ss);
	lesson_free(l);
}

int
main(void)
{
	test_switch();
	test_plot();
	test_errors();
	test_keys();
	test_save();
	return tap_done();
}
