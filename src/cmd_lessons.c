/*
 * cmd_lessons.c -- `losslab lessons [--check [FILE|DIR]...]`.
 *
 * The list shows what the explorer's lesson list shows; --check is the
 * teacher's validator: a lesson passes when it parses, every step's loss
 * computes, every step has narrative text and PyTorch code, and every text
 * renders for the lesson's own values (known names in every branch, no
 * index the values lack, no {assume} that is false, {when} choices that
 * select the lesson's answer, marks inside the input).  Warnings (printed,
 * not failing) point at numbers typed in where a placeholder shows the
 * same number, counts of 1 before a plural, and questions that show
 * computed results before they are answered.  A file that does not parse
 * has all its problems listed, not only the first.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd_lessons.h"
#include "i18n.h"
#include "lesson.h"
#include "parse.h"
#include "safeout.h"
#include "session.h"
#include "step.h"
#include "template.h"

static void
cl_usage(FILE *f)
{
	fprintf(f, "%s", _("Usage: losslab lessons [--check [FILE|DIR]...]\n"
	    "  (no option)   list the lessons: id, language, title, where from\n"
	    "  --check       validate lesson files (default: every lesson on the\n"
	    "                search path); problems are printed as\n"
	    "                file:line: message and the exit status is 2\n"));
}

/* Where a check is, and what it found. */
struct cl_ctx {
	const struct lesson	*l;
	const struct lesson_step *ls;
	size_t			 i;		/* the step */
	const struct step	*s;
	int			 nproblems;
	int			 nwarnings;
};

static void __attribute__((format(printf, 3, 4)))
cl_say(struct cl_ctx *c, int warning, const char *fmt, ...)
{
	va_list	ap;

	/* the path and what the message quotes of the lesson are escaped */
	safeout_printf(stderr, SAFEOUT_LINE, "%s:%d: step %zu: %s",
	    c->l->path, c->ls->line, c->i + 1, warning ? "warning: " : "");
	va_start(ap, fmt);
	safeout_vprintf(stderr, SAFEOUT_LINE, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (warning)
		c->nwarnings++;
	else
		c->nproblems++;
}

/* A value of the step with the placeholder that shows it. */
struct cl_value {
	char	 name[40];
	double	 v;
};

struct cl_values {
	struct cl_value	*v;
	size_t		 n, cap;
};

static void
cl_value_add(struct cl_values *vs, const char *name, double v)
{
	struct cl_value	*nv;

	if (!isfinite(v))
		return;
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 64;
		if ((nv = realloc(vs->v, vs->cap * sizeof *nv)) == NULL) {
			vs->cap = vs->n;
			return;
		}
		vs->v = nv;
	}
	snprintf(vs->v[vs->n].name, sizeof vs->v[vs->n].name, "%s", name);
	vs->v[vs->n++].v = v;
}

/* Every number of m as name[i]. */
static void
cl_values_mat(struct cl_values *vs, const char *name, const struct mat *m)
{
	char	n[40];
	size_t	i;

	for (i = 0; m != NULL && m->ndim != 0 && i < mat_numel(m); i++) {
		snprintf(n, sizeof n, "%s[%zu]", name, i);
		cl_value_add(vs, n, m->v[i]);
	}
}

/* The numbers a step's placeholders show. */
static void
cl_values(const struct step *s, struct cl_values *vs)
{
	char	 n[40], *r;
	double	 x;
	size_t	 i;
	static const char *const act[] = { "sigmoid", "softmax",
	    "log_softmax" };
	size_t	 k;

	cl_values_mat(vs, "input", &s->input);
	cl_values_mat(vs, "target", &s->target);
	cl_values_mat(vs, "weight", &s->weight);
	cl_values_mat(vs, "pos_weight", &s->pos_weight);
	if (s->ok) {
		cl_value_add(vs, "value", s->res.value);
		cl_values_mat(vs, "elem", &s->res.elem);
		cl_values_mat(vs, "grad", &s->res.grad);
	}
	if (s->pitfall_ok) {
		cl_value_add(vs, "pitfall.value", s->pres.value);
		cl_values_mat(vs, "pitfall.elem", &s->pres.elem);
		cl_values_mat(vs, "pitfall.grad", &s->pres.grad);
		cl_value_add(vs, "pitfall.floor", s->pitfall_floor);
	}
	for (k = 0; k < sizeof act / sizeof act[0]; k++)
		for (i = 0; i < mat_numel(&s->input); i++) {
			snprintf(n, sizeof n, "{%s[%zu]:17}", act[k], i);
			if ((r = template_render(s, n, NULL)) == NULL)
				continue;
			if (parse_double(r, &x) == 0) {
				snprintf(n, sizeof n, "%s[%zu]", act[k], i);
				cl_value_add(vs, n, x);
			}
			free(r);
		}
}

/* Whether p follows "≈" (and blanks) in tmpl. */
static int
cl_after_approx(const char *tmpl, const char *p)
{
	static const char approx[] = "≈";
	size_t		  n = sizeof approx - 1;

	while (p > tmpl && p[-1] == ' ')
		p--;
	return (size_t)(p - tmpl) >= n && memcmp(p - n, approx, n) == 0;
}

/*
 * Numbers typed into a text where a placeholder shows the same number (at
 * the digits typed): a warning each, as after an edit they would no
 * longer agree with the screen.  Only decimals are looked at (integers are
 * mostly indices, labels and counts).
 */
static void
cl_typed_numbers(struct cl_ctx *c, const char *what, const char *tmpl,
    const struct cl_values *vs)
{
	const char	*p = tmpl;
	char		 num[64], fmt[64];
	size_t		 n, k, digits;
	double		 typed, shown;
	int		 depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '{') {
			depth++;
			continue;
		}
		if (*p == '}') {
			depth -= depth > 0;
			continue;
		}
		if (depth > 0 || !(*p >= '0' && *p <= '9') ||
		    (p > tmpl && (isalnum((unsigned char)p[-1]) ||
		    p[-1] == '.' || p[-1] == '_' || p[-1] == '[')))
			continue;
		/* "≈ 0.693": a constant worked out, not a value */
		if (cl_after_approx(tmpl, p)) {
			while ((p[1] >= '0' && p[1] <= '9') || p[1] == '.')
				p++;
			continue;
		}
		for (n = 0; (p[n] >= '0' && p[n] <= '9') || p[n] == '.'; n++)
			continue;
		while (n > 0 && p[n - 1] == '.')
			n--;
		if (n >= sizeof num || memchr(p, '.', n) == NULL) {
			p += n > 0 ? n - 1 : 0;
			continue;
		}
		memcpy(num, p, n);
		num[n] = '\0';
		typed = strtod(num, NULL);
		if (p > tmpl && p[-1] == '-')
			typed = -typed;
		/* significant digits, trailing zeros not counted: one
		   digit ("0.5", "1.0") matches too much by chance */
		for (digits = 0, k = 0; k < n; k++)
			if (num[k] >= '0' && num[k] <= '9' &&
			    (digits > 0 || num[k] != '0'))
				digits++;
		for (k = n; k > 0 && (num[k - 1] == '0' || num[k - 1] == '.');
		    k--)
			if (num[k - 1] == '0' && digits > 0)
				digits--;
		for (k = 0; typed != 0 && digits >= 2 && k < vs->n; k++) {
			snprintf(fmt, sizeof fmt, "%.*g", (int)digits,
			    vs->v[k].v);
			shown = strtod(fmt, NULL);
			if (shown == typed && fabs(vs->v[k].v) >= 1e-12) {
				cl_say(c, 1, "%s: '%s%s' is typed in; {%s} "
				    "shows it and follows the values", what,
				    p > tmpl && p[-1] == '-' ? "-" : "", num,
				    vs->v[k].name);
				break;
			}
		}
		p += n - 1;
	}
}

/* One template of the step: names, values, what it gives away. */
static void
cl_template(struct cl_ctx *c, const char *what, const char *tmpl,
    int before_answer, const struct cl_values *vs)
{
	struct template_info	 info;
	char			*r, *para;
	struct err		 e;
	const char		*p, *q;
	int			 bad;

	if (tmpl == NULL)
		return;
	/* paragraph by paragraph, as the screen renders it: an {if} must
	   end in its paragraph */
	for (p = tmpl; ; p = q + 2) {
		q = strstr(p, "\n\n");
		if ((para = strndup(p, q ? (size_t)(q - p) : strlen(p))) == NULL)
			return;
		bad = template_check(para, &e);
		free(para);
		if (bad > 0) {
			cl_say(c, 0, "%s: unknown placeholder or bad syntax: "
			    "{%s}", what, e.msg);
			return;
		}
		if (q == NULL)
			break;
	}
	if ((r = template_render(c->s, tmpl, &info)) == NULL)
		return;
	free(r);
	if (info.nmissing > 0)
		cl_say(c, 0, "%s: %d placeholder%s name%s an index the "
		    "lesson's own values do not have", what, info.nmissing,
		    info.nmissing == 1 ? "" : "s", info.nmissing == 1 ? "s" :
		    "");
	if (info.nassume > 0)
		cl_say(c, 0, "%s: an {assume} is false for the lesson's own "
		    "values", what);
	if (info.nprefused > 0)
		cl_say(c, 0, "%s: it shows numbers of the pitfall pipeline, "
		    "which fails here (%s)", what, c->s->pitfall_error);
	if (before_answer && info.ncomputed > 0)
		cl_say(c, 1, "%s: it shows computed results before the "
		    "question is answered (they give the answer away)", what);
	/* a live choice's number is a guess to choose, not a claim */
	if (!session_choices_live(&c->ls->predict) || (strncmp(what, "choice", 6) != 0 &&
	    strcmp(what, "answer") != 0))
		cl_typed_numbers(c, what, tmpl, vs);
	if (info.nplural > 0)
		cl_say(c, 1, "%s: %s with 1 (write {N|sample|samples}, or "
		    "{if})", what, info.plural);
}

/* A question's {when} choices select the lesson's answer. */
static void
cl_whens(struct cl_ctx *c)
{
	const struct lesson_predict *q = &c->ls->predict;
	struct template_info	 info;
	char			*r;
	int			 k, nwhen = 0, nfit = 0, fit = -1;

	for (k = 0; k < q->nchoices; k++) {
		if (strstr(q->choices[k], "{when ") == NULL)
			continue;
		nwhen++;
		if ((r = template_render(c->s, q->choices[k], &info)) == NULL)
			continue;
		free(r);
		if (info.when == 1) {
			nfit++;
			fit = k;
		}
	}
	if (nwhen == 0)
		return;
	if (nwhen != q->nchoices)
		cl_say(c, 0, "choices: %d of %d carry {when}: all or none "
		    "do", nwhen, q->nchoices);
	else if (nfit != 1 || fit != q->correct)
		cl_say(c, 0, "choices: with the lesson's values %d choice%s "
		    "fit%s (the answer is %d)", nfit, nfit == 1 ? "" : "s",
		    nfit == 1 ? "s" : "", q->correct + 1);
}

/* `mark:` entries name elements or samples the values have. */
static void
cl_marks(struct cl_ctx *c)
{
	const struct step	*s = c->s;
	size_t			 rows = s->input.ndim == 2 ? s->input.rows : 1;
	int			 k, per_sample;
	long			 r, col;

	per_sample = s->loss == LOSS_CE || s->loss == LOSS_NLL ||
	    s->loss == LOSS_MULTI_MARGIN ||
	    s->loss == LOSS_MULTILABEL_SOFT_MARGIN;
	for (k = 0; k < c->ls->nmarks; k++) {
		r = c->ls->marks[k].r;
		col = c->ls->marks[k].c;
		if (col < 0 ? (size_t)r >= (per_sample ? rows :
		    mat_numel(&s->input)) : (size_t)r >= rows ||
		    (size_t)col >= s->input.cols)
			cl_say(c, 0, "mark: %ld%s is not in the input %s", r,
			    col < 0 ? "" : " (a cell)", per_sample ?
			    "(its samples)" : "(its elements)");
	}
}

int
cmd_lessons_check_lesson(const struct lesson *l, int *nwarnings)
{
	struct session		 ss;
	struct cl_ctx		 c;
	struct cl_values	 vs;
	struct err		 e;
	const struct lesson_step *ls;
	size_t			 i;
	int			 k, n = 0;
	char			 what[32];

	if (nwarnings != NULL)
		*nwarnings = 0;
	for (i = 0; i < l->nsteps; i++) {
		ls = &l->steps[i];
		memset(&c, 0, sizeof c);
		c.l = l;
		c.ls = ls;
		c.i = i;
		memset(&vs, 0, sizeof vs);
		if (session_init(&ss, l, &e) != 0 ||
		    session_goto(&ss, i, &e) != 0) {
			cl_say(&c, 0, "%s", e.msg);
			session_free(&ss);
			n += c.nproblems;
			continue;
		}
		c.s = &session_cur(&ss)->st;
		/* a dtype refusal is the step's point: only its
		   target_dtype: can ask for one (the defaults pass) */
		if (!c.s->ok && c.s->rdtype != DTYPE_COUNT)
			cl_say(&c, 0, "%s: %s", loss_name(c.s->loss),
			    c.s->error);
		if (ls->text == NULL || ls->text[0] == '\0')
			cl_say(&c, 0, "no text");
		if (ls->code == NULL || ls->code[0] == '\0')
			cl_say(&c, 0, "no code (every step shows its PyTorch "
			    "line)");
		cl_values(c.s, &vs);
		cl_template(&c, "title", ls->title, 0, &vs);
		cl_template(&c, "text", ls->text, 0, &vs);
		cl_template(&c, "predict", ls->predict.question, 1, &vs);
		for (k = 0; k < ls->predict.nchoices; k++) {
			snprintf(what, sizeof what, "choice %d", k + 1);
			cl_template(&c, what, ls->predict.choices[k], 1, &vs);
		}
		cl_template(&c, "prompt", ls->predict.prompt, 1, &vs);
		cl_template(&c, "answer", ls->predict.answer, 0, &vs);
		cl_template(&c, "explain", ls->predict.explain, 0, &vs);
		cl_whens(&c);
		cl_marks(&c);
		free(vs.v);
		session_free(&ss);
		n += c.nproblems;
		if (nwarnings != NULL)
			*nwarnings += c.nwarnings;
	}
	return n;
}

/* Append the lessons of one file or directory to cat; 0 or -1. */
static int
cl_add(struct lesson_catalog *cat, const char *path)
{
	struct lesson_catalog	 one = LESSON_CATALOG_INIT;
	struct lesson_entry	*nv;

	if (lesson_catalog_add(&one, path, LESSON_ORIGIN_FILE) != 0) {
		lesson_catalog_free(&one);
		return -1;
	}
	if ((nv = realloc(cat->v, (cat->n + one.n + 1) * sizeof *nv)) == NULL) {
		lesson_catalog_free(&one);
		return -1;
	}
	cat->v = nv;
	memcpy(cat->v + cat->n, one.v, one.n * sizeof *nv);
	cat->n += one.n;
	free(one.v);
	return 0;
}

/* lesson_load_report's callback: one problem, one line on stderr (the
   parser quotes the file's name and text: escaped). */
static void
cl_report(void *ctx, const char *msg)
{
	(void)ctx;
	safeout_fputs(stderr, msg, SAFEOUT_LINE);
	fputc('\n', stderr);
}

static int
cl_check(const struct app_opts *app, int argc, char **argv)
{
	struct lesson_catalog	 cat = LESSON_CATALOG_INIT;
	struct stat		 st;
	size_t			 i;
	int			 a, w, nerr = 0, nok = 0, nwarn = 0;

	if (argc == 0) {
		if (lesson_catalog_load(&cat, app) != 0)
			goto oom;
	} else {
		for (a = 0; a < argc; a++) {
			if (stat(argv[a], &st) != 0) {
				lesson_catalog_free(&cat);
				return cli_fail("lessons --check: %s: no such "
				    "file or directory", argv[a]);
			}
			/* each argument on its own: nothing shadows */
			if (cl_add(&cat, argv[a]) != 0)
				goto oom;
		}
	}
	if (cat.n == 0) {
		lesson_catalog_free(&cat);
		return cli_fail("lessons --check: no lesson files found");
	}
	for (i = 0; i < cat.n; i++) {
		if (cat.v[i].broken) {
			/* every problem of the file, not only the first */
			lesson_free(lesson_load_report(cat.v[i].path,
			    cl_report, NULL, &a));
			if (a == 0) {
				/* it changed since the catalogue read it */
				cl_report(NULL, cat.v[i].error);
				a = 1;
			}
			nerr += a;
			continue;
		}
		a = cmd_lessons_check_lesson(cat.v[i].lesson, &w);
		nerr += a;
		nwarn += w;
		if (a == 0)
			nok++;
	}
	/* one count a phrase, so that each has its plural */
	printf(NG_("%zu lesson file checked", "%zu lesson files checked",
	    cat.n), cat.n);
	/* TRANSLATORS: after "N lesson files checked", before "N problems" */
	printf(_(": %d ok, "), nok);
	printf(NG_("%d problem", "%d problems", nerr), nerr);
	if (nwarn > 0)
		printf(NG_(", %d warning", ", %d warnings", nwarn), nwarn);
	putchar('\n');
	lesson_catalog_free(&cat);
	return nerr ? 2 : 0;
oom:
	lesson_catalog_free(&cat);
	return cli_fail("lessons: out of memory");
}

static int
cl_list(const struct app_opts *app)
{
	struct lesson_catalog	 cat = LESSON_CATALOG_INIT;
	struct lesson_entry	*e;
	size_t			 i, idw = 2;

	if (lesson_catalog_load(&cat, app) != 0) {
		lesson_catalog_free(&cat);
		return cli_fail("lessons: out of memory");
	}
	for (i = 0; i < cat.n; i++)
		if (strlen(cat.v[i].id) > idw)
			idw = strlen(cat.v[i].id);
	if (cat.n == 0)
		printf("%s\n", _("No lessons found (see 'losslab --help' for "
		    "the search path)."));
	for (i = 0; i < cat.n; i++) {
		e = &cat.v[i];
		/* ids and paths are file names, titles and errors the
		   files' text: each line is escaped */
		safeout_printf(stdout, SAFEOUT_LINE, "%-*s  %-2s  %s  [%s: %s]",
		    (int)idw, e->id, e->lang, e->broken ? _("BROKEN") :
		    e->title, lesson_origin_name(e->origin), e->path);
		putchar('\n');
		if (e->broken) {
			safeout_printf(stdout, SAFEOUT_LINE, "%*s  %s",
			    (int)idw + 4, "", e->error);
			putchar('\n');
		}
	}
	lesson_catalog_free(&cat);
	return 0;
}

int
cmd_lessons_main(const struct app_opts *app, int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			cl_usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--check") == 0)
			return cl_check(app, argc - i - 1, argv + i + 1);
		if (strncmp(argv[i], "--lessons", 9) == 0)
			continue;
		return cli_fail("lessons: unknown argument '%s' (try "
		    "'losslab lessons --help')", argv[i]);
	}
	return cl_list(app);
}
