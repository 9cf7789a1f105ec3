/*
 * cmd_lessons.c -- `losslab lessons [--check [FILE|DIR]...]`.
 *
 * The list shows what the explorer's lesson list shows; --check is the
 * teacher's validator: a lesson passes when it parses, every step's loss
 * computes, every placeholder of its texts is known, and every step has
 * narrative text and PyTorch code.  A file that does not parse has all its
 * problems listed, not only the first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd_lessons.h"
#include "i18n.h"
#include "lesson.h"
#include "step.h"

static void
cl_usage(FILE *f)
{
	fprintf(f, "%s", _("Usage: losslab lessons [--check [FILE|DIR]...]\n"
	    "  (no option)   list the lessons: id, language, title, where from\n"
	    "  --check       validate lesson files (default: every lesson on the\n"
	    "                search path); problems are printed as\n"
	    "                file:line: message and the exit status is 2\n"));
}

/* Render one template and report unknown placeholders. */
static int
cl_check_template(const struct lesson *l, const struct lesson_step *ls,
    size_t i, const struct step *s, const char *what, const char *tmpl)
{
	char	*r, bad[128];
	int	 nbad = 0;

	if (tmpl == NULL)
		return 0;
	if ((r = step_render(s, tmpl, &nbad, bad, sizeof bad)) == NULL) {
		fprintf(stderr, "%s:%d: out of memory\n", l->path, ls->line);
		return 1;
	}
	free(r);
	if (nbad == 0)
		return 0;
	fprintf(stderr, "%s:%d: step %zu: %s: %d unknown or out-of-range "
	    "placeholder%s, first {%s}\n", l->path, ls->line, i + 1, what,
	    nbad, nbad == 1 ? "" : "s", bad);
	return 1;
}

int
cmd_lessons_check_lesson(const struct lesson *l)
{
	struct step		 s;
	struct err		 e;
	const struct lesson_step *ls;
	size_t			 i;
	int			 n = 0, k;
	char			 what[32];

	for (i = 0; i < l->nsteps; i++) {
		ls = &l->steps[i];
		if (step_init(&s, l, i, &e) != 0) {
			fprintf(stderr, "%s:%d: step %zu: %s\n", l->path,
			    ls->line, i + 1, e.msg);
			step_free(&s);
			n++;
			continue;
		}
		if (!s.ok) {
			fprintf(stderr, "%s:%d: step %zu: %s: %s\n", l->path,
			    ls->line, i + 1, loss_name(s.loss), s.error);
			n++;
		}
		if (ls->text == NULL || ls->text[0] == '\0') {
			fprintf(stderr, "%s:%d: step %zu: no text\n", l->path,
			    ls->line, i + 1);
			n++;
		}
		if (ls->code == NULL || ls->code[0] == '\0') {
			fprintf(stderr, "%s:%d: step %zu: no code (every step "
			    "shows its PyTorch line)\n", l->path, ls->line,
			    i + 1);
			n++;
		}
		n += cl_check_template(l, ls, i, &s, "text", ls->text);
		n += cl_check_template(l, ls, i, &s, "predict",
		    ls->predict.question);
		for (k = 0; k < ls->predict.nchoices; k++) {
			snprintf(what, sizeof what, "choice %d", k + 1);
			n += cl_check_template(l, ls, i, &s, what,
			    ls->predict.choices[k]);
		}
		n += cl_check_template(l, ls, i, &s, "prompt",
		    ls->predict.prompt);
		n += cl_check_template(l, ls, i, &s, "answer",
		    ls->predict.answer);
		n += cl_check_template(l, ls, i, &s, "explain",
		    ls->predict.explain);
		step_free(&s);
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

/* lesson_load_report's callback: one problem, one line on stderr. */
static void
cl_report(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static int
cl_check(const struct app_opts *app, int argc, char **argv)
{
	struct lesson_catalog	 cat = LESSON_CATALOG_INIT;
	struct stat		 st;
	size_t			 i;
	int			 a, nerr = 0, nok = 0;

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
				fprintf(stderr, "%s\n", cat.v[i].error);
				a = 1;
			}
			nerr += a;
			continue;
		}
		a = cmd_lessons_check_lesson(cat.v[i].lesson);
		nerr += a;
		if (a == 0)
			nok++;
	}
	printf(_("%zu lesson files checked: %d ok, %d problems\n"), cat.n,
	    nok, nerr);
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
		printf("%-*s  %-2s  %s  [%s: %s]\n", (int)idw, e->id, e->lang,
		    e->broken ? _("BROKEN") : e->title,
		    lesson_origin_name(e->origin), e->path);
		if (e->broken)
			printf("%*s  %s\n", (int)idw + 4, "", e->error);
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
