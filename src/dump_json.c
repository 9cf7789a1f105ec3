/*
 * dump_json.c -- `losslab --dump LESSON --format json`: the whole lesson
 * with every value the session computes, for scripts and other tools.
 *
 * The document's schema is the man page's ("JSON HANDOUTS") and the test
 * tests/dump.sh checks every dump against it.  Numbers are json.h's (the
 * shortest that read back; inf and nan as the strings "inf", "-inf", "nan");
 * tensors are nested arrays; every string from a lesson goes through
 * safeout.h first, so the document is valid UTF-8 whatever the lesson
 * holds.  What the answer mode leaves out is null, never missing: the
 * student copy (answers "none") has no text, results, pitfall, plot or
 * answer for a step that asks a question, and its code has its comments
 * hidden; the key (answers "only") keeps the questions with their answers.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "i18n.h"
#include "json.h"
#include "pycode.h"
#include "safeout.h"
#include "session.h"
#include "template.h"

/* A string escaped by safeout (lines kept), or null for NULL. */
static void
dj_str(FILE *fp, const char *s)
{
	char	*e;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	e = safeout_strdup(s, SAFEOUT_TEXT);
	json_string(fp, e != NULL ? e : "");
	free(e);
}

/* A template rendered through the session (notes after "! "); null when
   tmpl is NULL or out of memory. */
static void
dj_tmpl(FILE *fp, const struct session *ss, const char *tmpl)
{
	struct session_text	 t = SESSION_TEXT_INIT;
	char			*r = NULL;

	size_t			 n;

	if (tmpl != NULL && session_render(ss, tmpl, &t) == 0)
		r = session_text_join(&t, "! ");
	session_text_free(&t);
	/* a choice's {when} leaves a blank at its end */
	for (n = r != NULL ? strlen(r) : 0; n > 0 && (r[n - 1] == ' ' ||
	    r[n - 1] == '\n'); n--)
		r[n - 1] = '\0';
	dj_str(fp, r);
	free(r);
}

/* A tensor, or null when absent. */
static void
dj_mat(FILE *fp, const struct mat *m)
{
	if (m == NULL || m->ndim == 0)
		fputs("null", fp);
	else
		json_mat(fp, m);
}

/* A loss result: value, per-element losses, gradient. */
static void
dj_result(FILE *fp, const struct loss_result *r, enum loss_id loss)
{
	fputs("{\"value\": ", fp);
	json_number(fp, r->value);
	fputs(", \"denominator\": ", fp);
	json_number(fp, r->denom);
	fputs(", \"elements\": ", fp);
	dj_mat(fp, &r->elem);
	fputs(", \"gradient\": {\"label\": ", fp);
	dj_str(fp, loss_grad_label(loss));
	fputs(", \"of\": \"value\", \"with_respect_to\": \"input\", "
	    "\"values\": ", fp);
	dj_mat(fp, &r->grad);
	fputs("}}", fp);
}

static void
dj_options(FILE *fp, const struct loss_opts *o)
{
	fputs("{\"reduction\": ", fp);
	json_string(fp, loss_reduction_name(o->reduction));
	fprintf(fp, ", \"ignore_index\": %ld, \"label_smoothing\": ",
	    o->ignore_index);
	json_number(fp, o->label_smoothing);
	fputs(", \"margin\": ", fp);
	json_number(fp, o->margin);
	fprintf(fp, ", \"p\": %d, \"alpha\": ", o->p);
	json_number(fp, o->alpha);
	fputs(", \"gamma\": ", fp);
	json_number(fp, o->gamma);
	fprintf(fp, ", \"log_target\": %s}", o->log_target ? "true" : "false");
}

static void
dj_pitfall(FILE *fp, const struct session *ss)
{
	struct session_cmp	 c;

	if (session_cmp(ss, &c) != 0) {
		fputs("null", fp);
		return;
	}
	fputs("{\"id\": ", fp);
	json_string(fp, pitfall_name(c.pitfall));
	fputs(", \"torch_code\": ", fp);
	dj_str(fp, pitfall_torch_code(c.pitfall));
	fputs(", \"correct_loss\": ", fp);
	json_string(fp, loss_name(c.loss));
	fprintf(fp, ", \"as_logits\": %s, \"correct\": ", c.as_logits ?
	    "true" : "false");
	if (c.correct != NULL)
		dj_result(fp, c.correct, c.loss);
	else
		fputs("null", fp);
	fputs(", \"correct_error\": ", fp);
	dj_str(fp, c.correct == NULL ? c.correct_error : NULL);
	fputs(", \"wrong\": ", fp);
	if (c.wrong != NULL)
		dj_result(fp, c.wrong, c.loss);
	else
		fputs("null", fp);
	fputs(", \"wrong_error\": ", fp);
	dj_str(fp, c.wrong == NULL ? c.wrong_error : NULL);
	fputs(", \"floor\": ", fp);
	if (isnan(c.floor))
		fputs("null", fp);
	else
		json_number(fp, c.floor);
	fputc('}', fp);
}

/* The question; its answer and explanation only when answers. */
static void
dj_quiz(FILE *fp, const struct session *ss, int answers)
{
	const struct lesson_predict *q = &session_cur_const(ss)->st.src->predict;
	struct session_quiz	 z;
	int			 i;

	fputs("{\"question\": ", fp);
	dj_tmpl(fp, ss, q->question);
	fputs(", \"choices\": [", fp);
	for (i = 0; i < q->nchoices; i++) {
		fputs(i > 0 ? ", " : "", fp);
		dj_tmpl(fp, ss, q->choices[i]);
	}
	fputs("], \"prompt\": ", fp);
	dj_tmpl(fp, ss, q->nchoices == 0 ? q->prompt : NULL);
	fputs(", \"answer\": ", fp);
	if (!answers)
		fputs("null", fp);
	else {
		(void)session_reveal((struct session *)ss);
		session_quiz(ss, &z);
		fputs("{\"choice\": ", fp);
		if (q->nchoices > 0 && z.correct >= 0)
			fprintf(fp, "%d", z.correct + 1);
		else
			fputs("null", fp);
		fputs(", \"text\": ", fp);
		dj_tmpl(fp, ss, q->nchoices > 0 ? (z.correct >= 0 ?
		    q->choices[z.correct] : NULL) : q->answer);
		fputs(", \"number\": ", fp);
		if (q->nchoices == 0 && !isnan(z.answer))
			json_number(fp, z.answer);
		else
			fputs("null", fp);
		fputc('}', fp);
	}
	fputs(", \"explanation\": ", fp);
	if (answers)
		dj_tmpl(fp, ss, q->explain);
	else
		fputs("null", fp);
	fputc('}', fp);
}

static void
dj_plot(FILE *fp, const struct session *ss)
{
	struct plot_req		 req;
	struct curve_cells	 cells;
	char			 args[4096];
	const char		*state;

	switch (session_plot(ss, &req, &cells)) {
	case SESSION_PLOT_OK:
		state = "ok";
		break;
	case SESSION_PLOT_REFUSED:
		state = "refused";
		break;
	case SESSION_PLOT_NONFINITE:
		state = "nonfinite";
		break;
	default:
		fputs("null", fp);
		return;
	}
	req.lang = i18n_lang();	/* the interface's, as in the explorer */
	fputs("{\"state\": ", fp);
	json_string(fp, state);
	fputs(", \"kind\": ", fp);
	json_string(fp, plot_kind_name(req.kind));
	fputs(", \"command\": ", fp);
	if (strcmp(state, "ok") == 0) {
		char *cmd;

		plot_req_args(&req, args, sizeof args);
		if (asprintf(&cmd, "losslab plot %s", args) < 0)
			cmd = NULL;
		dj_str(fp, cmd != NULL ? cmd : "");
		free(cmd);
	} else
		fputs("null", fp);
	fputc('}', fp);
}

/* One step; hide: the student copy of a step with a question. */
static int
dj_step(FILE *fp, struct session *ss, enum dump_answers answers)
{
	const struct step *s = &session_cur_const(ss)->st;
	const struct lesson_step *src = s->src;
	int		 asks = src != NULL && src->predict.question != NULL;
	int		 hide = asks && answers == DUMP_ANSWERS_NONE;
	int		 key = answers == DUMP_ANSWERS_ONLY;
	int		 i;
	char		*t, what[256], *code;

	dump_prepare(ss, 1);
	if (!hide)
		(void)session_reveal(ss);
	fprintf(fp, "    {\"index\": %zu, \"title\": ", ss->cur + 1);
	t = template_render(s, src != NULL ? src->title : NULL, NULL);
	dj_str(fp, t != NULL ? t : "");
	free(t);
	fputs(",\n     \"text\": ", fp);
	if (hide || key || src == NULL)
		fputs("null", fp);
	else
		dj_tmpl(fp, ss, src->text);
	fputs(",\n     \"loss\": {\"id\": ", fp);
	json_string(fp, loss_name(s->loss));
	fputs(", \"torch\": ", fp);
	json_string(fp, loss_torch_name(s->loss));
	fputs(", \"input_kind\": ", fp);
	json_string(fp, dump_kind_name(s->loss));
	fputs(", \"per_sample\": ", fp);
	fputs(dump_per_sample(s->loss) ? "true" : "false", fp);
	fputs("},\n     \"inputs\": {\"input\": ", fp);
	dj_mat(fp, &s->input);
	fputs(", \"target\": ", fp);
	dj_mat(fp, &s->target);
	fprintf(fp, ", \"index_target\": %s, \"weight\": ",
	    step_index_target(s) ? "true" : "false");
	dj_mat(fp, &s->weight);
	fputs(", \"pos_weight\": ", fp);
	dj_mat(fp, &s->pos_weight);
	fputs(", \"dtype\": ", fp);
	json_string(fp, dtype_name(s->dtype));
	fputs(", \"target_dtype\": ", fp);
	json_string(fp, dtype_name(step_target_dtype(s)));
	fputs("},\n     \"options\": ", fp);
	dj_options(fp, &s->opts);
	fputs(",\n     \"result\": ", fp);
	if (hide || key)
		fputs("null", fp);
	else {
		fprintf(fp, "{\"ok\": %s, \"error\": ", s->ok ? "true" :
		    "false");
		dj_str(fp, s->ok ? NULL : s->error);
		fputs(", \"value_what\": ", fp);
		dj_str(fp, s->ok ? dump_value_what(s, what, sizeof what) :
		    NULL);
		fputs(", \"loss\": ", fp);
		if (s->ok)
			dj_result(fp, &s->res, s->loss);
		else
			fputs("null", fp);
		fputc('}', fp);
	}
	fputs(",\n     \"warnings\": ", fp);
	if (hide || key)
		fputs("null", fp);
	else {
		fputc('[', fp);
		for (i = 0; i < s->diags.n; i++) {
			fputs(i > 0 ? ", {\"id\": " : "{\"id\": ", fp);
			dj_str(fp, s->diags.d[i].id);
			fputs(", \"message\": ", fp);
			dj_str(fp, s->diags.d[i].msg);
			fputc('}', fp);
		}
		fputc(']', fp);
	}
	fputs(",\n     \"pitfall\": ", fp);
	if (hide || key)
		fputs("null", fp);
	else
		dj_pitfall(fp, ss);
	fputs(",\n     \"quiz\": ", fp);
	if (asks)
		dj_quiz(fp, ss, !hide);
	else
		fputs("null", fp);
	fputs(",\n     \"plot\": ", fp);
	if (hide || key)
		fputs("null", fp);
	else
		dj_plot(fp, ss);
	fputs(",\n     \"code\": ", fp);
	if (key || src == NULL || src->code == NULL || src->code[0] == '\0')
		fputs("null", fp);
	else if (hide) {
		if ((code = pycode_hide_comments(src->code)) == NULL)
			return -1;
		dj_str(fp, code);
		free(code);
	} else
		dj_str(fp, src->code);
	fputs("}", fp);
	return 0;
}

int
dump_json(FILE *out, struct session *ss, enum dump_answers answers)
{
	static const char *const mode[] = { "all", "none", "only" };
	const struct lesson *l = ss->lesson;
	struct err	 e;
	size_t		 i;

	fprintf(out, "{\"format\": \"losslab-handout\", \"version\": 1, "
	    "\"answers\": \"%s\",\n \"lesson\": {\"id\": ", mode[answers]);
	dj_str(out, l != NULL ? l->id : NULL);
	fputs(", \"lang\": ", out);
	dj_str(out, l != NULL ? l->lang : "en");
	fputs(", \"title\": ", out);
	dj_str(out, l != NULL ? l->title : "");
	fputs(", \"summary\": ", out);
	dj_str(out, l != NULL ? l->summary : "");
	fprintf(out, ", \"steps\": %zu},\n \"steps\": [\n", ss->nsteps);
	for (i = 0; i < ss->nsteps; i++) {
		if (session_goto(ss, i, &e) != 0 || dj_step(out, ss,
		    answers) != 0)
			return -1;
		fputs(i + 1 < ss->nsteps ? ",\n" : "\n", out);
	}
	fputs(" ]}\n", out);
	return ferror(out) ? -1 : 0;
}
