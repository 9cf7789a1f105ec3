/*
 * test_lesson.c -- the lesson parser (every malformed fixture of
 * tests/lessons-bad/ gives its expected "file:line: message"; a 1 MB line
 * is an error, not a crash; numbers, mark:, tolerance:, quoting), the
 * reporting of every problem of a file (lesson_load_report), lesson_write
 * (an unedited copy differs from its source only in the id and title lines;
 * edits read back exactly), the catalogue (shadowing, language fallback),
 * text wrapping by display width (CJK is 2 columns), the placeholder
 * renderer (compared with numbers computed directly by the loss core), the
 * step editing helpers, and what is not a lesson: a FIFO, a device, a
 * directory, a file or a lesson over its limits.
 *
 * Each fixture states what it expects on its first line:
 *   # expect: LINE: TEXT
 * and the parser's error must be "PATH:LINE: " followed by text starting
 * with TEXT.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/loss.h"
#include "core/pitfall.h"
#include "lesson.h"
#include "parse.h"
#include "step.h"
#include "strbuf.h"
#include "template.h"
#include "text.h"
#include "tap.h"

static const char *srcdir;

/* Collects lesson_load_report's messages. */
struct probs {
	int	 n;
	char	 msg[16][512];
};

static void
probs_add(void *ctx, const char *msg)
{
	struct probs	*pr = ctx;

	if (pr->n < 16)
		snprintf(pr->msg[pr->n], sizeof pr->msg[0], "%s", msg);
	pr->n++;
}

static void
test_fixtures(void)
{
	struct err	 err;
	char		 dir[2048], path[2048 + 256], want[4096];
	char		 first[512], *nl;
	DIR		*d;
	struct dirent	*de;
	FILE		*f;
	struct lesson	*l;
	struct probs	 pr;
	int		 n = 0, line, np, i;
	size_t		 len;

	snprintf(dir, sizeof dir, "%s/tests/lessons-bad", srcdir);
	if ((d = opendir(dir)) == NULL) {
		tap_ok(0, "open %s", dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 8 || strcmp(de->d_name + len - 7, ".lesson") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "rb")) == NULL ||
		    fgets(first, sizeof first, f) == NULL) {
			tap_ok(0, "%s: read", de->d_name);
			if (f)
				fclose(f);
			continue;
		}
		fclose(f);
		if ((nl = strchr(first, '\n')) != NULL)
			*nl = '\0';
		if (sscanf(first, "# expect: %d:", &line) != 1) {
			tap_ok(0, "%s: has an '# expect: LINE: TEXT' line",
			    de->d_name);
			continue;
		}
		snprintf(want, sizeof want, "%s:%d: %s", path, line,
		    strchr(strchr(first, ':') + 1, ':') + 2);
		l = lesson_load(path, &err);
		if (!tap_ok(l == NULL &&
		    strncmp(err.msg, want, strlen(want)) == 0,
		    "%s: error is '%s'", de->d_name, want + strlen(dir) + 1))
			tap_diag("got: %s", l ? "(no error)" : err.msg);
		lesson_free(l);
		/* the report of every problem has that one too */
		memset(&pr, 0, sizeof pr);
		l = lesson_load_report(path, probs_add, &pr, &np);
		for (i = 0; i < pr.n && i < 16; i++)
			if (strcmp(pr.msg[i], err.msg) == 0)
				break;
		tap_ok(l == NULL && np >= 1 && np == pr.n && i < pr.n,
		    "%s: lesson_load_report has it among its %d", de->d_name,
		    np);
		lesson_free(l);
		n++;
	}
	closedir(d);
	tap_ok(n >= 10, "at least 10 malformed fixtures (%d)", n);
}

/* A 1 MB line, generated here, must give an error and not a crash. */
static void
test_long_line(void)
{
	const char	*head = "id: long\ntitle: Long line\nloss: bce\n"
			    "step: one\ninput: 0.5\ntarget: 1\ntext: ";
	size_t		 hl = strlen(head), n = 1 << 20, i;
	struct err	 err;
	char		*buf, tmpl[] = "/tmp/losslab-longXXXXXX";
	struct lesson	*l;
	FILE		*f;
	int		 fd;

	if ((buf = malloc(hl + n + 2)) == NULL) {
		tap_ok(0, "malloc");
		return;
	}
	memcpy(buf, head, hl);
	for (i = 0; i < n; i++)
		buf[hl + i] = i % 7 == 6 ? ' ' : 'a';
	buf[hl + n] = '\n';
	buf[hl + n + 1] = '\0';
	l = lesson_parse("long.lesson", buf, hl + n + 1, &err);
	tap_ok(l == NULL && strncmp(err.msg, "long.lesson:7: line too long", 28)
	    == 0, "1 MB line in a buffer: %s", err.msg);
	lesson_free(l);
	/* the same through a file */
	if ((fd = mkstemp(tmpl)) >= 0 && (f = fdopen(fd, "wb")) != NULL) {
		fwrite(buf, 1, hl + n + 1, f);
		fclose(f);
		l = lesson_load(tmpl, &err);
		tap_ok(l == NULL &&
		    strstr(err.msg, ":7: line too long") != NULL,
		    "1 MB line in a file gives file:7: line too long");
		lesson_free(l);
		unlink(tmpl);
	} else
		tap_ok(0, "mkstemp");
	/* and a 1 MB line without any newline at all */
	l = lesson_parse("nl.lesson", buf + hl, n, &err);
	tap_ok(l == NULL && strncmp(err.msg, "nl.lesson:1: line too long", 26)
	    == 0, "1 MB of text without a newline: %s", err.msg);
	lesson_free(l);
	/* binary garbage never crashes */
	for (i = 0; i < 4096; i++)
		buf[i] = (char)(i * 7919 % 256);
	l = lesson_parse("bin.lesson", buf, 4096, &err);
	tap_ok(l == NULL && strncmp(err.msg, "bin.lesson:", 11) == 0,
	    "binary garbage gives an error: %s", err.msg);
	lesson_free(l);
	free(buf);
}

static void
test_parse_good(void)
{
	const char *src =
	    "id: ok\nlang: en\ntitle: A good one\nsummary: s\nloss: ce\n"
	    "options: reduction, weight label-smoothing\n"
	    "# comment\n"
	    "step: First\n"
	    "input: <<<\n2.0, 1.0, 0.1\n0.5 2.5 0.3\n>>>\n"
	    "target: 0, 2\n"
	    "text: <<<\nOne\nparagraph.\n\n    kept verbatim\n>>>\n"
	    "code: loss = nn.CrossEntropyLoss()(z, y)\n"
	    "predict: Which?\nchoices: a | b | c\nanswer: 2\n"
	    "step: Second\n"
	    "reduction: sum\n"
	    "input: [[1, 2, 3]]\n"
	    "target: 1\n"
	    "pitfall: softmax-then-ce\nplot: ce-curve\n"
	    "text: t\ncode: c\n";
	struct err	 err;
	struct lesson	*l;

	l = lesson_parse("ok.lesson", src, strlen(src), &err);
	if (!tap_ok(l != NULL, "a good lesson parses"))
		tap_diag("%s", err.msg);
	if (l == NULL)
		return;
	tap_ok(strcmp(l->id, "ok") == 0 && strcmp(l->title, "A good one") == 0,
	    "id and title");
	tap_ok(l->options == (LESSON_OPT_REDUCTION | LESSON_OPT_WEIGHT |
	    LESSON_OPT_LABEL_SMOOTHING), "options parsed (, and - accepted)");
	tap_ok(l->nsteps == 2, "two steps");
	tap_ok(l->steps[0].input.ndim == 2 && l->steps[0].input.rows == 2 &&
	    l->steps[0].input.cols == 3 && l->steps[0].input.v[4] == 2.5,
	    "block input is 2 x 3");
	tap_ok(strcmp(l->steps[0].text, "One paragraph.\n\n    kept verbatim")
	    == 0, "text is reflowed, indented lines kept");
	tap_ok(l->steps[0].predict.nchoices == 3 &&
	    l->steps[0].predict.correct == 1 &&
	    strcmp(l->steps[0].predict.answer, "b") == 0, "predict choices");
	tap_ok(l->steps[1].input.ndim == 2 && l->steps[1].input.rows == 1,
	    "[[1, 2, 3]] is 1 x 3");
	tap_ok(l->steps[1].opts.reduction == LOSS_REDUCTION_SUM &&
	    l->steps[0].opts.reduction == LOSS_REDUCTION_MEAN,
	    "reduction per step");
	tap_ok(l->steps[1].pitfall == PITFALL_SOFTMAX_THEN_CE &&
	    strcmp(l->steps[1].plot, "ce-curve") == 0, "pitfall and plot");
	tap_ok(l->steps[1].loss == LOSS_CE, "steps take the lesson's loss");
	lesson_free(l);
}

/* Parse a one-step bce lesson whose step has the given extra lines. */
static struct lesson *
parse_step(const char *extra, struct err *err)
{
	char	buf[4096];

	snprintf(buf, sizeof buf, "id: t\ntitle: T\nloss: ce\nstep: s\n"
	    "input: 0.5, 0.5\ntarget: 0\n%s", extra);
	return lesson_parse("t.lesson", buf, strlen(buf), err);
}

/*
 * Lesson numbers have the value syntax of the command line (parse_double):
 * a subnormal reads as itself, hex and overflow are refused; integers
 * (ignore_index) are exact doubles of at most 2^53.
 */
static void
test_numbers(void)
{
	static const char *const bad_int[] = { "1e-310", "0.1", "nan", "inf",
	    "-inf", "1e19", "9007199254740993", "-9.007199254740993e15",
	    "-1e300", "0x10", "1e999", "1.5", "" };
	struct lesson	*l;
	struct err	 err;
	char		 line[128];
	size_t		 i;

	l = parse_step("weight: 1e-310, 0.1\nmargin: 5e-324\n", &err);
	tap_ok(l != NULL && l->steps[0].weight.v[0] == 1e-310 &&
	    l->steps[0].weight.v[1] == 0.1 && l->steps[0].opts.margin ==
	    5e-324, "1e-310 and 5e-324 (subnormals) read as themselves: %s",
	    l ? "yes" : err.msg);
	lesson_free(l);
	l = parse_step("weight: nan, -inf\nalpha: inf\n", &err);
	tap_ok(l != NULL && isnan(l->steps[0].weight.v[0]) &&
	    l->steps[0].weight.v[1] == -INFINITY &&
	    l->steps[0].opts.alpha == INFINITY, "nan, inf, -inf are accepted");
	lesson_free(l);
	l = parse_step("weight: 1e999, 1\n", &err);
	tap_ok(l == NULL && strcmp(err.msg, "t.lesson:7: weight: '1e999' is "
	    "not a number (row 1, value 1)") == 0, "1e999 (overflow) is "
	    "refused: %s", err.msg);
	lesson_free(l);
	l = parse_step("weight: 0x10, 1\n", &err);
	tap_ok(l == NULL && strstr(err.msg, ":7: weight: '0x10' is not a "
	    "number") != NULL, "hex is refused: %s", err.msg);
	lesson_free(l);
	l = parse_step("ignore_index: -9007199254740992\n", &err);
	tap_ok(l != NULL && l->steps[0].opts.ignore_index ==
	    -9007199254740992L, "ignore_index -2^53 is accepted");
	lesson_free(l);
	for (i = 0; i < sizeof bad_int / sizeof bad_int[0]; i++) {
		snprintf(line, sizeof line, "ignore_index: %s\n", bad_int[i]);
		l = parse_step(line, &err);
		tap_ok(l == NULL && strncmp(err.msg, "t.lesson:7: bad number "
		    "'", 24) == 0 && strstr(err.msg, "for ignore_index (an "
		    "integer") != NULL, "ignore_index %s is refused: %s",
		    bad_int[i], err.msg);
		lesson_free(l);
	}
	l = parse_step("ignore_index: 1e19\n", &err);
	tap_ok(l == NULL && strstr(err.msg, "between -2^53 and 2^53") != NULL,
	    "a huge ignore_index says the range: %s", err.msg);
	lesson_free(l);
}

/* Whether a and b have the same shape and the same bits (nan == nan). */
static int
same_bits(const struct mat *a, const struct mat *b)
{
	return a->ndim == b->ndim && a->rows == b->rows && a->cols == b->cols &&
	    (mat_numel(a) == 0 || memcmp(a->v, b->v, mat_numel(a) *
	    sizeof *a->v) == 0);
}

/* s with its newlines and tabs as \n and \t, for a test's name. */
static void
show_text(const char *s, char *buf, size_t len)
{
	size_t	o = 0;

	for (; *s != '\0' && o + 3 < len; s++) {
		if (*s == '\n' || *s == '\t') {
			buf[o++] = '\\';
			buf[o++] = *s == '\n' ? 'n' : 't';
		} else
			buf[o++] = *s;
	}
	buf[o] = '\0';
}

/*
 * One tensor grammar: a lesson's tensor is read by parse.c's code, the
 * command line's.  Each text, as a one-line value and as a block, gives
 * the lesson exactly parse_matrix's matrix, or parse_matrix's message
 * after "file:line: " (a block's on the problem's own line); the one
 * lesson rule beyond the grammar: a tensor has a value ("" and "[]" are
 * the command line's empty vector, "input has no values" in a lesson).
 */
static void
test_tensor_grammar(void)
{
	static const char *const texts[] = {
	    "1, 2, 3", "1 2 3", " 2 , -1 ,0.5", "1,2;3,4", "1,2;",
	    "1,2; 3,4;", "[1, 2, 3]", "[[1, 2], [3, 4]]", "[[1, 2, 3]]",
	    "[ [1,2] , [3,4] ]", "[1 2 3]", "1e-400, 4.9e-324", "1e308, -0",
	    "inf, -inf, nan, NaN, +3, .5, 5.", "", "[]", "1\t2",
	    /* refused */
	    "1,,2", "1,2,", ",1", "1;;2", ";", "1,2;3", "1e999", "-1e999",
	    "0x10", "abc", "infinity", "1_0", "1e", "[1, 2", "[[1, 2], [3]]",
	    "[[[1]]]", "[1, 2]]", "[1; 2]", "[[1,2] [3,4]]", "[[]]",
	    "1, [2]", "[1, 2], [3, 4]", "[[1,2],]",
	    /* several lines: a block in a lesson */
	    "1, 2\n3, 4", "1, 2\n\n3, 4\n", "1 2;\n3 4;", "[[1, 2],\n [3, 4]]",
	    "1\n2\n3", "1, 2\n3", "1, 2\n3, x", "[[1, 2],\n [3, y]]", "\n\n"
	};
	struct err	 err;
	char		 src[1024], want[512], shown[64];
	struct mat	 m = MAT_INIT;
	struct err	 e;
	struct lesson	*l;
	size_t		 i, eline;
	int		 block, rc, good;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
	for (block = 0; block < 2; block++) {
		if (!block && strchr(texts[i], '\n') != NULL)
			continue;
		snprintf(src, sizeof src, "id: t\ntitle: T\nloss: bce-logits\n"
		    "step: s\ninput: %s%s%s\ntarget: %s%s%s\ncode: x\n",
		    block ? "<<<\n" : "", texts[i], block ? "\n>>>" : "",
		    block ? "<<<\n" : "", texts[i], block ? "\n>>>" : "");
		rc = parse_matrix_max(texts[i], "input", LESSON_VALUES_MAX,
		    &eline, &m, &e);
		l = lesson_parse("t.lesson", src, strlen(src), &err);
		if (rc != 0) {
			snprintf(want, sizeof want, "t.lesson:%zu: %s",
			    block ? 5 + eline : 5, e.msg);
			good = l == NULL && strcmp(err.msg, want) == 0;
		} else if (mat_numel(&m) == 0) {
			snprintf(want, sizeof want, "t.lesson:5: input has no "
			    "values");
			good = l == NULL && strcmp(err.msg, want) == 0;
		} else {
			snprintf(want, sizeof want, "the command line's %zu x "
			    "%zu", m.rows, m.cols);
			good = l != NULL && same_bits(&l->steps[0].input, &m) &&
			    same_bits(&l->steps[0].target, &m);
		}
		show_text(texts[i], shown, sizeof shown);
		if (!tap_ok(good, "tensor '%s' (%s): %s", shown, block ?
		    "block" : "one line", want))
			tap_diag("lesson: %s", l ? "loaded" : err.msg);
		lesson_free(l);
		mat_free(&m);
	}
}

/* mark: and tolerance: (the step keys of the live plots and guesses). */
static void
test_marks(void)
{
	const char *src =
	    "id: m\ntitle: Marks\nloss: ce\n"
	    "step: a\ninput: 2, 1, 0.1; 0.5, 2.5, 0.3\ntarget: 0, 2\n"
	    "mark: 0, 3 [1][2],[0][0]\n"
	    "predict: Guess\nanswer: {value}\ntolerance: 5%\n"
	    "step: b\nmark: all\n"
	    "predict: Guess\nanswer: {value}\ntolerance: 0.05\n"
	    "step: c\nmark: <<<\n7\n[10][20]\n>>>\n"
	    "predict: Guess\nanswer: {value}\n"
	    "step: d\n";
	struct lesson		*l;
	const struct lesson_step *s;
	struct err		 err;

	l = lesson_parse("m.lesson", src, strlen(src), &err);
	if (!tap_ok(l != NULL && l->nsteps == 4, "mark: and tolerance: parse"))
		tap_diag("%s", err.msg);
	if (l == NULL)
		return;
	s = l->steps;
	tap_ok(s[0].nmarks == 4 && s[0].marks[0].r == 0 &&
	    s[0].marks[0].c == -1 && s[0].marks[1].r == 3 &&
	    s[0].marks[1].c == -1 && s[0].marks[2].r == 1 &&
	    s[0].marks[2].c == 2 && s[0].marks[3].r == 0 &&
	    s[0].marks[3].c == 0, "mark: 0, 3 [1][2],[0][0] is two indices "
	    "(c = -1) and two cells");
	tap_ok(s[1].nmarks == LESSON_MARK_ALL, "mark: all");
	tap_ok(s[2].nmarks == 2 && s[2].marks[0].r == 7 &&
	    s[2].marks[1].r == 10 && s[2].marks[1].c == 20,
	    "marks one a line in a block");
	tap_ok(s[3].nmarks == 0, "no mark: (the session's default; marks are "
	    "not inherited)");
	tap_ok(s[0].predict.tolerance == 0.05 && !s[0].predict.tolerance_abs,
	    "tolerance: 5%% is relative 0.05");
	tap_ok(s[1].predict.tolerance == 0.05 && s[1].predict.tolerance_abs,
	    "tolerance: 0.05 is absolute");
	tap_ok(s[2].predict.tolerance == 0.1 && !s[2].predict.tolerance_abs &&
	    s[3].predict.tolerance == 0.1 && !s[3].predict.tolerance_abs,
	    "the default tolerance is relative 0.1, on every step");
	lesson_free(l);
}

/*
 * Quoting: in a block, blanks + backslashes + ">>>" loses one backslash (so
 * any line can be written); a block keeps the blanks of text values; a
 * carriage return before a newline is part of the line ending.
 */
static void
test_quoting(void)
{
	const char *src =
	    "id: q\r\ntitle: <<<\r\n  <<< spaced >>>  \r\n>>>\r\nloss: bce\r\n"
	    "step: s\r\ninput: 0.5\r\r\ntarget: 1\r\n"
	    "code: <<<\r\nx = 1   \r\n  \\>>>\r\n\\\\>>>\r\n \\\\\\>>>\r\n"
	    "a\\>>>\r\n>>>\r\n"
	    "predict: <<<\r\nWhich arrow?\r\n\\>>>\r\n>>>\r\n"
	    "choices: <<<\r\n\\>>>\r\n<<<\r\n>>>\r\n"
	    "answer: 1\r\n"
	    "text: <<<\n>>>>\n  >>> \\\n>>>\n";
	struct lesson	*l;
	struct err	 err;

	l = lesson_parse("q.lesson", src, strlen(src), &err);
	if (!tap_ok(l != NULL, "a lesson with escaped block lines parses"))
		tap_diag("%s", err.msg);
	if (l == NULL)
		return;
	tap_ok(strcmp(l->title, "  <<< spaced >>>  ") == 0,
	    "a title block keeps its blanks: '%s'", l->title);
	tap_ok(strcmp(l->steps[0].code, "x = 1   \n  >>>\n\\>>>\n \\\\>>>\n"
	    "a\\>>>") == 0, "\\>>> reads as >>>, \\\\>>> as \\>>>, blanks "
	    "kept, a\\>>> as written: '%s'", l->steps[0].code);
	tap_ok(strcmp(l->steps[0].predict.question, "Which arrow? >>>") == 0,
	    "an escaped >>> in a predict block");
	tap_ok(l->steps[0].predict.nchoices == 2 &&
	    strcmp(l->steps[0].predict.choices[0], ">>>") == 0 &&
	    strcmp(l->steps[0].predict.choices[1], "<<<") == 0,
	    "choices '>>>' and '<<<' in a block");
	tap_ok(l->steps[0].input.v[0] == 0.5, "CR CR LF is a line ending");
	tap_ok(strcmp(l->steps[0].text, ">>>>\n  >>> \\") == 0,
	    "'>>>>' and '  >>> \\' are content, not the end: '%s'",
	    l->steps[0].text);
	lesson_free(l);
}

/* Write text to a new temporary file; its name in path (PATH_MAX). */
static int
write_tmp(char *path, size_t len, const char *text)
{
	FILE	*f;
	int	 fd;

	snprintf(path, len, "/tmp/losslab-reportXXXXXX");
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "wb")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/*
 * lesson_load_report: a file with eight independent problems reports eight
 * messages, in file order, each exactly what lesson_load says when that
 * line is the file's only problem; an unterminated block stops it; a
 * refused key's block and a refused step title cause nothing more.
 */
static void
test_report(void)
{
	static const char *const good[] = {
		"id: r", "title: Report", "loss: ce", "options: reduction",
		"step: one", "input: 2, 1, 0.1; 0.5, 2.5, 0.3", "target: 0, 2",
		"mark: 0", "predict: Guess the loss", "answer: {value}",
		"tolerance: 10%", "text: t", "code: c",
		"step: two", "reduction: sum", "ignore_index: 1", "text: <<<",
		"u", ">>>", "code: c",
		"step: three", "predict: Which?", "choices: a | b",
		"answer: 2", "code: c", NULL
	};
	static const struct {
		int		 line;
		const char	*text;
	} mods[] = {
		{ 2, "# no title" }, { 6, "input: 2, 1, x; 0.5, 2.5, 0.3" },
		{ 8, "mark: [0]" }, { 13, "colour: red" },
		{ 15, "reduction: often" }, { 16, "ignore_index: 1e19" },
		{ 20, "text: again" }, { 24, "answer: 3" }
	};
	const size_t	 nmods = sizeof mods / sizeof mods[0];
	char		 text[4096], path[64];
	struct err	 err[sizeof mods / sizeof mods[0]], one;
	struct probs	 pr;
	struct lesson	*l;
	FILE		*f;
	size_t		 i, m, ok;
	int		 n;

	/* the good lesson, and each problem alone */
	if (write_tmp(path, sizeof path, "") != 0) {
		tap_ok(0, "mkstemp");
		return;
	}
	for (m = 0; m <= nmods; m++) {
		text[0] = '\0';
		for (i = 0; good[i] != NULL; i++) {
			strcat(text, m < nmods && (int)i + 1 == mods[m].line ?
			    mods[m].text : good[i]);
			strcat(text, "\n");
		}
		l = lesson_parse(path, text, strlen(text), m < nmods ? &err[m] :
		    &one);
		if (m == nmods)
			tap_ok(l != NULL, "the report test's lesson is good: "
			    "%s", l ? "yes" : one.msg);
		else
			tap_ok(l == NULL, "problem %zu alone: %s", m + 1,
			    err[m].msg);
		lesson_free(l);
	}
	/* all of them at once */
	text[0] = '\0';
	for (i = 0, m = 0; good[i] != NULL; i++) {
		if (m < nmods && (int)i + 1 == mods[m].line)
			strcat(text, mods[m++].text);
		else
			strcat(text, good[i]);
		strcat(text, "\n");
	}
	if ((f = fopen(path, "wb")) == NULL) {
		tap_ok(0, "write %s", path);
		return;
	}
	fputs(text, f);
	fclose(f);
	memset(&pr, 0, sizeof pr);
	l = lesson_load_report(path, probs_add, &pr, &n);
	for (i = 0, ok = 0; i < nmods && i < (size_t)pr.n; i++)
		if (strcmp(pr.msg[i], err[i].msg) == 0)
			ok++;
		else
			tap_diag("got %s, want %s", pr.msg[i], err[i].msg);
	tap_ok(l == NULL && n == (int)nmods && pr.n == n && ok == nmods,
	    "all %zu problems reported in file order, each as lesson_load "
	    "says it (%d reported, %zu as expected)", nmods, pr.n, ok);
	lesson_free(l);
	l = lesson_load(path, &one);
	tap_ok(l == NULL && strcmp(one.msg, err[1].msg) == 0, "lesson_load "
	    "stops at the first it finds: %s", one.msg);
	lesson_free(l);
	unlink(path);

	/* an unterminated block ends the report; its lines are not keys */
	write_tmp(path, sizeof path, "id: u\ntitle: U\nloss: bce\nstep: one\n"
	    "input: x\ntarget: 1\ntext: <<<\nnever ends\ncolour: red\n");
	memset(&pr, 0, sizeof pr);
	l = lesson_load_report(path, probs_add, &pr, &n);
	snprintf(one.msg, sizeof one.msg, "%s:7: unterminated block", path);
	tap_ok(l == NULL && n == 2 && pr.n == 2 && strstr(pr.msg[0],
	    ":5: input: 'x' is not a number") != NULL &&
	    strncmp(pr.msg[1], one.msg, strlen(one.msg)) == 0,
	    "an unterminated block is the last problem "
	    "(%d: %s)", n, pr.msg[n > 0 ? n - 1 : 0]);
	lesson_free(l);
	unlink(path);

	/* a refused key's block is skipped; a refused step title still
	   starts a step, whose keys are in a step */
	write_tmp(path, sizeof path, "id: k\ntitle: K\nloss: bce\n"
	    "colour: <<<\nstep: not a step\n>>>\nstep: <<<\nA title\n>>>\n"
	    "input: 0.5\ntarget: 1\nplot: bce-curve\n");
	memset(&pr, 0, sizeof pr);
	l = lesson_load_report(path, probs_add, &pr, &n);
	tap_ok(l == NULL && n == 2 && strstr(pr.msg[0], ":4: unknown key "
	    "'colour'") != NULL && strstr(pr.msg[1], ":7: a step title is "
	    "one line") != NULL, "a refused block is skipped, a refused "
	    "step title still starts a step (%d problems)", n);
	lesson_free(l);
	unlink(path);

	/* a good file: the lesson, no problem; a missing one: one problem */
	snprintf(one.msg, sizeof one.msg, "%s/lessons/ce.en.lesson", srcdir);
	memset(&pr, 0, sizeof pr);
	l = lesson_load_report(one.msg, probs_add, &pr, &n);
	tap_ok(l != NULL && n == 0 && pr.n == 0 && l->nsteps > 1,
	    "a good file gives its lesson and no problem");
	lesson_free(l);
	memset(&pr, 0, sizeof pr);
	l = lesson_load_report("/nonexistent/x.lesson", probs_add, &pr, &n);
	tap_ok(l == NULL && n == 1 && strcmp(pr.msg[0], "/nonexistent/"
	    "x.lesson: No such file or directory") == 0, "an unreadable file "
	    "is one problem: %s", pr.msg[0]);
	lesson_free(l);
}

static void
test_text(void)
{
	char	*w;
	size_t	 fw;
	char	*t;

	tap_ok(text_width("abc") == 3, "width of ASCII");
	tap_ok(text_width("\xe4\xb8\xad\xe6\x96\x87") == 4,
	    "width of 中文 is 4 columns");
	tap_ok(text_width("e\xcc\x81") == 1, "combining acute adds 0");
	tap_ok(text_width("\xff\xfe") == 2, "invalid bytes count 1 each");
	tap_ok(text_utf8_valid("\xe4\xb8\xad", 3) &&
	    !text_utf8_valid("\xe4\xb8", 2) && !text_utf8_valid("\xc0\xaf", 2)
	    && !text_utf8_valid("\xed\xa0\x80", 3), "UTF-8 validation");
	w = text_wrap("the quick brown fox jumps", 10);
	tap_ok(w && strcmp(w, "the quick\nbrown fox\njumps") == 0,
	    "Latin wraps at spaces");
	free(w);
	/* 6 CJK characters = 12 columns, at 5 columns: 2 per line */
	w = text_wrap("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87"
	    "\xe4\xb8\xad\xe6\x96\x87", 5);
	tap_ok(w && strcmp(w, "\xe4\xb8\xad\xe6\x96\x87\n\xe4\xb8\xad\xe6\x96"
	    "\x87\n\xe4\xb8\xad\xe6\x96\x87") == 0,
	    "CJK breaks between characters by width");
	free(w);
	/* a CJK full stop never starts a line */
	w = text_wrap("\xe4\xb8\xad\xe6\x96\x87\xe3\x80\x82\xe4\xb8\xad", 4);
	tap_ok(w && strncmp(w, "\xe4\xb8\xad\n", 4) == 0,
	    "。 stays with the character before it");
	free(w);
	/* an opening full-width bracket never ends a line: "ab损失（BCE）" at 8
	   columns breaks before （, not after it */
	w = text_wrap("ab\xe6\x8d\x9f\xe5\xa4\xb1\xef\xbc\x88"
	    "BCE\xef\xbc\x89", 8);
	tap_ok(w && strncmp(w, "ab\xe6\x8d\x9f\xe5\xa4\xb1\n\xef\xbc\x88",
	    12) == 0, "（ stays with the word after it (%s)", w ? w : "");
	free(w);
	w = text_wrap("a\n\n  indented line that is long", 12);
	tap_ok(w && strcmp(w, "a\n\n  indented\n  line that\n  is long") == 0,
	    "blank lines and indent kept");
	free(w);
	w = text_wrap("abcdefghijkl", 5);
	tap_ok(w && strcmp(w, "abcde\nfghij\nkl") == 0,
	    "overlong word is cut");
	free(w);
	tap_ok(text_fit("\xe4\xb8\xad\xe6\x96\x87", 3, &fw) == 3 && fw == 2,
	    "fit never splits a wide character");
	t = text_pad("\xe4\xb8\xad", 5, 0);
	tap_ok(t && text_width(t) == 5 && strcmp(t, "\xe4\xb8\xad   ") == 0,
	    "pad by columns");
	free(t);
	t = text_truncate("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad", 5);
	tap_ok(t && text_width(t) <= 5, "truncate to 5 columns");
	free(t);
}

/* template_render, counting unknown names and missing indices together
   (nbad) and naming the first unknown one (bad). */
static char *
render_count(const struct step *s, const char *tmpl, int *nbad, char *bad,
    size_t badlen)
{
	struct template_info	 info;
	char			*r;

	r = template_render(s, tmpl, &info);
	*nbad = info.nbad + info.nmissing;
	if (bad != NULL)
		snprintf(bad, badlen, "%s", info.bad);
	return r;
}

/* Parse a number printed by template_render. */
static double
num_at(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? strtod(p + strlen(key), NULL) : NAN;
}

static void
test_render(void)
{
	double		 zin[] = { 2.0, -1.0, 0.5 }, yin[] = { 1, 0, 1 };
	double		 cin[] = { 2.0, 1.0, 0.1, 0.5, 2.5, 0.3 }, cy[] = { 0, 2 };
	struct mat	 z = MAT_VIEW(1, 1, 3, zin), y = MAT_VIEW(1, 1, 3, yin);
	struct mat	 cz = MAT_VIEW(2, 2, 3, cin), ct = MAT_VIEW(1, 1, 2, cy);
	struct loss_opts o;
	struct loss_result r = LOSS_RESULT_INIT, pr = LOSS_RESULT_INIT;
	struct step	 s;
	struct err	 e;
	char		*out, bad[128], want[64];
	int		 nbad;

	loss_opts_init(&o);
	if (!tap_ok(step_init_values(&s, LOSS_BCE_LOGITS, &z, &y, &o,
	    PITFALL_DOUBLE_SIGMOID, &e) == 0 && s.ok, "step computes"))
		return;
	loss_eval(LOSS_BCE_LOGITS, &z, &y, &o, &r, &e);
	pitfall_eval(PITFALL_DOUBLE_SIGMOID, &z, &y, &o, &pr, &e);
	out = render_count(&s, "v={value} g1={grad[1]} e0={elem[0]} "
	    "d={denom} C={C} N={N} x1={input[1]} y0={target[0]} "
	    "pv={pitfall.value} pg2={pitfall.grad[2]} df={diff} "
	    "s0={sigmoid[0]} v3={value:3} {{lit}}", &nbad, bad, sizeof bad);
	tap_ok(out != NULL && nbad == 0, "known placeholders render");
	if (out == NULL)
		return;
	tap_diag("%s", out);
	tap_ok(tap_close(num_at(out, "v="), r.value, 1e-5),
	    "{value} is the core's value");
	tap_ok(tap_close(num_at(out, "g1="), r.grad.v[1], 1e-5),
	    "{grad[1]} is the core's gradient");
	tap_ok(tap_close(num_at(out, "e0="), r.elem.v[0], 1e-5),
	    "{elem[0]} is the core's element loss");
	tap_ok(num_at(out, "d=") == r.denom, "{denom}");
	tap_ok(num_at(out, "C=") == 3 && num_at(out, "N=") == 1, "{C} {N}");
	tap_ok(num_at(out, "x1=") == -1 && num_at(out, "y0=") == 1,
	    "{input[1]} {target[0]}");
	tap_ok(tap_close(num_at(out, "pv="), pr.value, 1e-5),
	    "{pitfall.value} is the core's pitfall value");
	tap_ok(tap_close(num_at(out, "pg2="), pr.grad.v[2], 1e-5),
	    "{pitfall.grad[2]}");
	tap_ok(tap_close(num_at(out, "df="), pr.value - r.value, 1e-4),
	    "{diff}");
	tap_ok(tap_close(num_at(out, "s0="), 1 / (1 + exp(-2.0)), 1e-5),
	    "{sigmoid[0]}");
	snprintf(want, sizeof want, "v3=%.3g ", r.value);
	tap_ok(strstr(out, want) != NULL, "{value:3} has 3 digits");
	tap_ok(strstr(out, " {lit}") != NULL, "{{ }} are literal braces");
	free(out);
	out = render_count(&s, "a {nope} b {grad[7]} c {grad[0][0]} {value",
	    &nbad, bad, sizeof bad);
	tap_ok(out && nbad == 4 && strcmp(bad, "nope") == 0 &&
	    strcmp(out, "a {?nope} b — c — {?}value") == 0,
	    "unknown placeholders render as {?name}, indices the values do "
	    "not have as —: %s", out ? out : "");
	free(out);
	loss_result_free(&r);
	loss_result_free(&pr);
	step_free(&s);

	/* 2-D: ce with class indices */
	if (!tap_ok(step_init_values(&s, LOSS_CE, &cz, &ct, &o, PITFALL_NONE,
	    &e) == 0 && s.ok, "ce step computes"))
		return;
	loss_eval(LOSS_CE, &cz, &ct, &o, &r, &e);
	out = render_count(&s, "g={grad[1][2]} e={elem[1]} N={N} C={C} "
	    "p={softmax[0][0]}", &nbad, NULL, 0);
	tap_ok(out && nbad == 0 && tap_close(num_at(out, "g="),
	    MAT_AT(&r.grad, 1, 2), 1e-5) && tap_close(num_at(out, "e="),
	    r.elem.v[1], 1e-5) && num_at(out, "N=") == 2 &&
	    num_at(out, "C=") == 3, "2-D placeholders: %s", out ? out : "");
	/* softmax of row 0 = exp(2)/(exp(2)+exp(1)+exp(0.1)) */
	tap_ok(out && tap_close(num_at(out, "p="), exp(2.0) / (exp(2.0) +
	    exp(1.0) + exp(0.1)), 1e-5), "{softmax[0][0]}");
	free(out);
	loss_result_free(&r);

	/* editing: add a sample -> target 0; remove a class keeps range */
	tap_ok(step_add_row(&s, &e) == 0 && s.input.rows == 3 &&
	    s.target.cols == 3 && s.target.v[2] == 0 && s.ok,
	    "add_row: a new sample gets class 0");
	tap_ok(step_remove_col(&s, 2, &e) == -1 && s.input.cols == 3 &&
	    s.target.v[1] == 2, "remove_col refuses the class sample 1 "
	    "names: %s", e.msg);
	tap_ok(step_remove_col(&s, 1, &e) == 0 && s.input.cols == 2 &&
	    s.target.v[1] == 1 && s.target.v[0] == 0 && s.ok,
	    "remove_col of another class: the index above it moves down");
	tap_ok(step_set_cell(&s, STEP_TARGET, 0, 0, 5, &e) == -1,
	    "set_cell refuses class 5 of 2: %s", e.msg);
	tap_ok(step_set_cell(&s, STEP_TARGET, 0, 0, -100, &e) == 0,
	    "set_cell accepts ignore_index");
	step_cycle_reduction(&s);
	tap_ok(s.opts.reduction == LOSS_REDUCTION_SUM, "mean -> sum");
	step_cycle_reduction(&s);
	step_cycle_reduction(&s);
	tap_ok(s.opts.reduction == LOSS_REDUCTION_MEAN,
	    "sum -> none -> mean (no batchmean for ce)");
	while (step_undo(&s) == 0)
		;
	tap_ok(s.input.rows == 2 && s.input.cols == 3 && s.target.v[1] == 2 &&
	    s.opts.reduction == LOSS_REDUCTION_MEAN, "undo back to the start");
	tap_ok(step_toggle_pitfall(&s) == 1 &&
	    s.pitfall == PITFALL_SOFTMAX_THEN_CE && s.pitfall_ok,
	    "the matching pitfall for ce is softmax-then-ce");
	tap_ok(!isnan(s.pitfall_floor) && tap_close(s.pitfall_floor,
	    log(1 + 2 / exp(1.0)), 1e-6), "{pitfall.floor} = log(1+(C-1)/e) "
	    "for C = 3 (%g)", s.pitfall_floor);
	step_free(&s);
}

/* Shadowing: a lesson in --lessons DIR hides the shipped one; zh falls
   back to en. */
static void
test_catalog(void)
{
	char			 dir[] = "/tmp/losslab-catXXXXXX", path[512];
	struct app_opts		 app;
	struct lesson_catalog	 cat = LESSON_CATALOG_INIT;
	const struct lesson_entry *e;
	FILE			*f;

	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/bce.en.lesson", dir);
	if ((f = fopen(path, "w")) == NULL) {
		tap_ok(0, "write %s", path);
		return;
	}
	fputs("id: bce\ntitle: My own BCE\nloss: bce\nstep: s\ninput: 0.5\n"
	    "target: 1\ntext: t\ncode: c\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/fallback.en.lesson", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("id: fallback\ntitle: F\nloss: bce\nstep: s\n"
		    "input: 0.5\ntarget: 1\ntext: t\ncode: c\n", f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/broken.en.lesson", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("id: broken\ntitle: Broken\nwhat: x\n", f);
		fclose(f);
	}
	memset(&app, 0, sizeof app);
	app.lessons_dir = dir;
	lesson_catalog_load(&cat, &app);
	e = lesson_catalog_find(&cat, "bce", "en");
	tap_ok(e && strcmp(e->title, "My own BCE") == 0 &&
	    e->origin == LESSON_ORIGIN_ARG, "--lessons DIR shadows the "
	    "shipped lesson");
	e = lesson_catalog_find(&cat, "fallback", "zh");
	tap_ok(e && strcmp(e->lang, "en") == 0, "zh falls back to en");
	e = lesson_catalog_find(&cat, "broken", NULL);
	tap_ok(e && e->broken && e->error && strstr(e->error,
	    "broken.en.lesson:3: unknown key 'what'"), "a broken lesson is "
	    "listed with its error");
	e = lesson_catalog_find_path(&cat, path);
	tap_ok(e && strcmp(e->id, "broken") == 0, "find by path");
	e = lesson_catalog_find(&cat, "ce", "en");
	tap_ok(e && !e->broken, "the shipped ce lesson is found");
	tap_ok(cat.n >= 2 && strcmp(cat.v[0].id, "bce") == 0,
	    "curriculum order puts bce first");
	lesson_catalog_free(&cat);
	unlink(path);
	snprintf(path, sizeof path, "%s/bce.en.lesson", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/fallback.en.lesson", dir);
	unlink(path);
	rmdir(dir);
}

/* Whether two optional strings are equal (both NULL counts). */
static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
same_mat(const struct mat *a, const struct mat *b)
{
	size_t i;

	if (!mat_same_shape(a, b))
		return 0;
	for (i = 0; i < mat_numel(a); i++)
		if (!(a->v[i] == b->v[i] || (isnan(a->v[i]) &&
		    isnan(b->v[i]))))
			return 0;
	return 1;
}

/* Every field of two steps that lesson_write promises to keep. */
static int
same_step(const struct lesson_step *a, const struct lesson_step *b)
{
	int i;

	if (!same_str(a->title, b->title) || !same_str(a->text, b->text) ||
	    !same_str(a->code, b->code) || !same_str(a->plot, b->plot) ||
	    a->loss != b->loss || a->pitfall != b->pitfall ||
	    !same_mat(&a->input, &b->input) ||
	    !same_mat(&a->target, &b->target) ||
	    a->weight.ndim != b->weight.ndim ||
	    (a->weight.ndim && !same_mat(&a->weight, &b->weight)) ||
	    a->pos_weight.ndim != b->pos_weight.ndim ||
	    (a->pos_weight.ndim && !same_mat(&a->pos_weight, &b->pos_weight)) ||
	    a->opts.reduction != b->opts.reduction ||
	    a->opts.ignore_index != b->opts.ignore_index ||
	    a->opts.label_smoothing != b->opts.label_smoothing ||
	    a->opts.margin != b->opts.margin || a->opts.p != b->opts.p ||
	    a->opts.alpha != b->opts.alpha || a->opts.gamma != b->opts.gamma ||
	    a->opts.log_target != b->opts.log_target ||
	    !same_str(a->predict.question, b->predict.question) ||
	    !same_str(a->predict.answer, b->predict.answer) ||
	    !same_str(a->predict.prompt, b->predict.prompt) ||
	    !same_str(a->predict.explain, b->predict.explain) ||
	    a->predict.nchoices != b->predict.nchoices ||
	    a->predict.correct != b->predict.correct ||
	    a->predict.tolerance != b->predict.tolerance ||
	    a->predict.tolerance_abs != b->predict.tolerance_abs ||
	    a->nmarks != b->nmarks)
		return 0;
	for (i = 0; i < a->predict.nchoices; i++)
		if (!same_str(a->predict.choices[i], b->predict.choices[i]))
			return 0;
	for (i = 0; i < a->nmarks; i++)
		if (a->marks[i].r != b->marks[i].r ||
		    a->marks[i].c != b->marks[i].c)
			return 0;
	return 1;
}

/* The whole of a file, NUL-terminated, or NULL. */
static char *
slurp(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if ((buf = malloc(1 << 20)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (lenp != NULL)
		*lenp = n;
	return buf;
}

/* The next line of *s (without its newline) into line; 0 at the end. */
static int
next_line(const char **s, char *line, size_t len)
{
	const char	*nl;
	size_t		 n;

	if (**s == '\0')
		return 0;
	nl = strchr(*s, '\n');
	n = nl != NULL ? (size_t)(nl - *s) : strlen(*s);
	snprintf(line, len, "%.*s", (int)n, *s);
	*s += n + (nl != NULL);
	return 1;
}

/*
 * Whether text b is text a with only its "id:" line made "id: ID" and its
 * "title:" line made "title: TITLE" (both one-line here); diag if not.
 */
static int
same_but_header(const char *a, const char *b, const char *id,
    const char *title)
{
	char	la[8192], lb[8192], want[8192];
	int	ra, rb, n = 0;

	for (;;) {
		n++;
		ra = next_line(&a, la, sizeof la);
		rb = next_line(&b, lb, sizeof lb);
		if (!ra || !rb)
			break;
		if (strncmp(la, "id:", 3) == 0)
			snprintf(want, sizeof want, "id: %s", id);
		else if (strncmp(la, "title:", 6) == 0)
			snprintf(want, sizeof want, "title: %s", title);
		else
			snprintf(want, sizeof want, "%s", la);
		if (strcmp(want, lb) != 0) {
			tap_diag("line %d: '%s', want '%s'", n, lb, want);
			return 0;
		}
	}
	if (ra != rb)
		tap_diag("line %d: one text ends first", n);
	return ra == rb;
}

/* A mkdtemp directory's files, removed; the count removed. */
static int
clean_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[2048];
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (unlink(p) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/*
 * lesson_write (the explorer's `w`), on every shipped lesson: written back
 * unedited it reads the same, and its text is the source's but for the id
 * and title lines.
 */
static void
test_write_shipped(const char *dir)
{
	struct err	 err;
	char		 path[1024], lp[1024], title[1024];
	char		*a, *b;
	struct lesson	*l, *w;
	DIR		*d;
	struct dirent	*de;
	size_t		 i;
	int		 nfiles = 0, nsame = 0, ntext = 0, ok;

	snprintf(lp, sizeof lp, "%s/lessons", srcdir);
	if ((d = opendir(lp)) == NULL) {
		tap_ok(0, "open %s", lp);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 8 || strcmp(de->d_name + n - 7, ".lesson") != 0)
			continue;
		snprintf(lp, sizeof lp, "%s/lessons/%s", srcdir, de->d_name);
		if ((l = lesson_load(lp, &err)) == NULL)
			continue;
		nfiles++;
		snprintf(title, sizeof title, "%s (my values)", l->title);
		ok = lesson_write(l, l->steps, dir, title, path, sizeof path,
		    &err) == 0;
		w = ok ? lesson_load(path, &err) : NULL;
		ok = w != NULL && w->nsteps == l->nsteps &&
		    same_str(w->title, title) && same_str(w->lang, l->lang) &&
		    same_str(w->summary, l->summary) &&
		    w->options == l->options && w->loss == l->loss;
		for (i = 0; ok && i < l->nsteps; i++)
			ok = same_step(&l->steps[i], &w->steps[i]);
		if (ok)
			nsame++;
		else
			tap_diag("%s: %s", de->d_name, w ? "differs" : err.msg);
		a = slurp(lp, NULL);
		b = w != NULL ? slurp(path, NULL) : NULL;
		if (a != NULL && b != NULL && same_but_header(a, b, w->id,
		    title))
			ntext++;
		else
			tap_diag("%s: the text differs", de->d_name);
		free(a);
		free(b);
		if (w != NULL)
			unlink(path);
		lesson_free(w);
		lesson_free(l);
	}
	closedir(d);
	tap_ok(nfiles >= 32 && nsame == nfiles, "every shipped lesson written "
	    "back unedited reads the same (%d of %d)", nsame, nfiles);
	tap_ok(nfiles >= 32 && ntext == nfiles, "... and its text is the "
	    "source's but for the id and title lines (%d of %d)", ntext,
	    nfiles);
}

/* The lesson of the edit tests: a header weight-less ce lesson whose step
   Two inherits everything, with comments, blanks and paragraph breaks. */
static const char wsrc[] =
    "# A lesson for lesson_write's tests.\n"
    "id: w\n"
    "lang: en\n"
    "title: Writing back\n"
    "summary: s\n"
    "loss: ce\n"
    "options: reduction weight ignore_index label_smoothing\n"
    "\n"
    "# step One states its values\n"
    "step: One\n"
    "input: <<<\n"
    "2.0, 1.0, 0.1\n"
    "0.5, 2.5, 0.3\n"
    ">>>\n"
    "target: 0, 2\n"
    "mark: 0, [1][2]\n"
    "text: <<<\n"
    "First paragraph\n"
    "continues here.\n"
    "\n"
    "Second paragraph.\n"
    ">>>\n"
    "code: loss = nn.CrossEntropyLoss()(z, y)\n"
    "\n"
    "step: Two\n"
    "# inherits input and target from One\n"
    "reduction: sum\n"
    "predict: <<<\n"
    "Which way does the arrow point?\n"
    "\\>>>\n"
    ">>>\n"
    "answer: {value}\n"
    "tolerance: 0.05\n"
    "text: Two.\n"
    "code: c2\n"
    "\n"
    "step: Three\n"
    "input: 1, 2, 3;\n"
    "target: 1\n"
    "weight: 1, 2, 3\n"
    "pitfall: softmax-then-ce\n"
    "predict: Which?\n"
    "choices: <<<\n"
    "\\>>>\n"
    "\\\\>>>\n"
    ">>>\n"
    "answer: 2\n"
    "text: Three.\n"
    "code: c3\n";

/*
 * Write l with steps under title into dir, read it back and compare every
 * step with steps; the new file's text in *text (free it).  1 if all is
 * as promised.
 */
static int
write_back(const struct lesson *l, const struct lesson_step *steps,
    const char *dir, const char *title, char **text, const char *what)
{
	struct err	 err;
	char		 path[1024];
	struct lesson	*w;
	size_t		 i;
	int		 ok;

	*text = NULL;
	if (lesson_write(l, steps, dir, title, path, sizeof path, &err) != 0) {
		tap_diag("%s: %s", what, err.msg);
		return 0;
	}
	*text = slurp(path, NULL);
	w = lesson_load(path, &err);
	ok = w != NULL && w->nsteps == l->nsteps && strcmp(w->title, title)
	    == 0 && strcmp(w->summary, l->summary) == 0;
	for (i = 0; ok && i < l->nsteps; i++)
		if (!(ok = same_step(&steps[i], &w->steps[i])))
			tap_diag("%s: step %zu differs", what, i + 1);
	if (w == NULL)
		tap_diag("%s: %s", what, err.msg);
	lesson_free(w);
	clean_dir(dir);
	return ok && *text != NULL;
}

/* wsrc with its id and title lines as lesson_write writes them. */
static void
wsrc_as(char *buf, size_t len, const char *from, const char *to)
{
	const char	*p = strstr(wsrc, from);

	snprintf(buf, len, "%.*sid: w-mine\n%.*s%s%s", (int)(strstr(wsrc,
	    "id: w\n") - wsrc), wsrc, (int)(p - (strstr(wsrc, "id: w\n") +
	    6)), strstr(wsrc, "id: w\n") + 6, to, p + strlen(from));
}

static void
test_write_edits(const char *dir)
{
	struct lesson		*l;
	struct lesson_step	 steps[3];
	struct mat		 in = MAT_INIT, wt = MAT_INIT, tg = MAT_INIT;
	double			 bv[4] = { 1, 2, 3, 4 };
	struct mat		 bad = MAT_VIEW(1, 2, 2, bv);
	struct err		 e;
	size_t			 i;
	struct err		 err;
	char			 want[8192], path[1024];
	char			*t;
	const char		*ttl = "Writing back (my values)";
	double			 edited = 0.123456789012345678;
	int			 ok;

	l = lesson_parse("w.en.lesson", wsrc, strlen(wsrc), &err);
	if (!tap_ok(l != NULL && l->nsteps == 3, "the write test's lesson "
	    "parses")) {
		tap_diag("%s", err.msg);
		return;
	}
	tap_ok(l->steps[1].input.ndim == 2 && l->steps[1].input.rows == 2 &&
	    strcmp(l->steps[1].predict.question, "Which way does the arrow "
	    "point? >>>") == 0 && strcmp(l->steps[2].predict.choices[0],
	    ">>>") == 0 && strcmp(l->steps[2].predict.choices[1], "\\>>>") ==
	    0, "step Two inherits; escaped >>> in predict and choices blocks");

	/* unedited: only the id and title lines change */
	memcpy(steps, l->steps, sizeof steps);
	ok = write_back(l, steps, dir, ttl, &t, "unedited");
	wsrc_as(want, sizeof want, "title: Writing back\n",
	    "title: Writing back (my values)\n");
	tap_ok(ok && strcmp(t, want) == 0, "unedited: the source byte for "
	    "byte but for id and title (comments, blank lines, blocks, "
	    "paragraph breaks, escaped >>>, mark:, tolerance:)");
	if (t != NULL && strcmp(t, want) != 0)
		tap_diag("got:\n%s", t);
	free(t);

	/* a value step Two inherited (the header's label_smoothing 0) */
	memcpy(steps, l->steps, sizeof steps);
	steps[1].opts.label_smoothing = 0.1;
	steps[1].loss = LOSS_NLL;
	ok = write_back(l, steps, dir, ttl, &t, "inherited");
	tap_ok(ok && strstr(t, "step: Two\nloss: nll\nlabel_smoothing: 0.1\n"
	    "# inherits") != NULL && strstr(t, "0.10000") == NULL,
	    "an inherited value edited: inserted after its step: line, as "
	    "0.1");
	free(t);

	/* step One edited while Two inherits from it: Two keeps its own */
	memcpy(steps, l->steps, sizeof steps);
	if (mat_copy(&in, &l->steps[0].input, &e) != 0)
		return;
	in.v[0] = edited;
	steps[0].input = in;
	ok = write_back(l, steps, dir, ttl, &t, "step One");
	snprintf(want, sizeof want, "step: One\ninput: 0.12345678901234568, "
	    "1, 0.1; 0.5, 2.5, 0.3\ntarget: 0, 2\n");
	tap_ok(ok && strstr(t, want) != NULL && strstr(t, "step: Two\ninput: "
	    "2, 1, 0.1; 0.5, 2.5, 0.3\n# inherits") != NULL, "step One's "
	    "block replaced in place; step Two, which inherited it, keeps its "
	    "values through a line of its own");
	free(t);

	/* weight added (One, inserted) and removed (Three, replaced) */
	memcpy(steps, l->steps, sizeof steps);
	if (mat_copy(&wt, &l->steps[2].weight, &e) != 0)
		return;
	wt.v[0] = 0.5;
	steps[0].weight = wt;
	steps[2].weight.ndim = 0;
	ok = write_back(l, steps, dir, ttl, &t, "weight");
	tap_ok(ok && strstr(t, "step: One\nweight: 0.5, 2, 3\ninput: <<<\n") !=
	    NULL && strstr(t, "target: 1\nweight: none\npitfall:") != NULL,
	    "weight added and removed");
	free(t);
	steps[2].weight = l->steps[2].weight;

	/* pitfall and reduction: replaced, inserted */
	memcpy(steps, l->steps, sizeof steps);
	steps[2].pitfall = PITFALL_NONE;
	steps[1].pitfall = PITFALL_LOG_SOFTMAX_THEN_CE;
	steps[1].opts.reduction = LOSS_REDUCTION_MEAN;
	steps[0].opts.reduction = LOSS_REDUCTION_NONE;
	ok = write_back(l, steps, dir, ttl, &t, "pitfall, reduction");
	tap_ok(ok && strstr(t, "weight: 1, 2, 3\npitfall: none\npredict:") !=
	    NULL && strstr(t, "step: Two\npitfall: log-softmax-then-ce\n"
	    "# inherits input and target from One\nreduction: mean\n") != NULL,
	    "pitfall changed and added, reduction changed");
	tap_ok(ok && strstr(t, "step: One\nreduction: none\ninput:") != NULL,
	    "a reduction added");
	free(t);

	/* numbers that must survive exactly */
	memcpy(steps, l->steps, sizeof steps);
	in.v[0] = 1e-310;
	in.v[1] = 0.1;
	in.v[2] = NAN;
	in.v[3] = INFINITY;
	in.v[4] = -INFINITY;
	in.v[5] = -0.0;
	steps[0].input = in;
	steps[1].input = in;
	steps[2].opts.ignore_index = -9007199254740992L;
	steps[2].opts.label_smoothing = 5e-324;
	ok = write_back(l, steps, dir, ttl, &t, "numbers");
	tap_ok(ok && strstr(t, "input: 1e-310, 0.1, nan; inf, -inf, 0\n") !=
	    NULL && strstr(t, "ignore_index: -9007199254740992\n") != NULL &&
	    strstr(t, "label_smoothing: 5e-324\n") != NULL,
	    "1e-310, 0.1, nan, inf, -inf, -0, 2^53 and the least subnormal "
	    "are written so they read back exactly");
	if (t != NULL && !ok)
		tap_diag("%s", t);
	free(t);
	mat_free(&in);

	/* a one-row 2-D tensor stays 2-D; a long 2-D one becomes a block */
	memcpy(steps, l->steps, sizeof steps);
	if (mat_copy(&in, &l->steps[2].input, &e) != 0)
		return;
	in.v[2] = 9;
	steps[2].input = in;
	ok = write_back(l, steps, dir, ttl, &t, "one row");
	tap_ok(ok && strstr(t, "\ninput: 1, 2, 9;\ntarget: 1\n") != NULL,
	    "a one-row 2-D tensor is written 'a, b, c;'");
	free(t);
	mat_free(&in);
	if (mat_alloc(&in, 2, 400, 3, &e) != 0)
		return;
	for (i = 0; i < 1200; i++)
		in.v[i] = i % 3 == 0 ? 1.0 / (double)(i + 3) : (double)(i % 3);
	steps[2].input = in;
	if (mat_alloc(&tg, 1, 1, 400, &e) != 0)	/* class 0 for each row */
		return;
	steps[2].target = tg;
	ok = write_back(l, steps, dir, ttl, &t, "long");
	tap_ok(ok && strstr(t, "step: Three\ninput: <<<\n0.3333333333333333, "
	    "1, 2\n0.16666666666666666, 1, 2\n") != NULL, "a 2-D tensor too "
	    "long for a line is a block, a row a line");
	free(t);
	mat_free(&in);
	mat_free(&tg);

	/* what cannot be saved is refused, and nothing is written */
	memcpy(steps, l->steps, sizeof steps);
	steps[0].input = bad;
	tap_ok(lesson_write(l, steps, dir, ttl, path, sizeof path, &err) ==
	    -1 && strcmp(err.msg, "step 1's input cannot be saved "
	    "exactly") == 0 && clean_dir(dir) == 0, "a value that would read "
	    "back otherwise (a 1-D tensor of 2 rows) is refused: %s", err.msg);
	memcpy(steps, l->steps, sizeof steps);
	steps[1].opts.ignore_index = 1L << 60;
	tap_ok(lesson_write(l, steps, dir, ttl, path, sizeof path, &err) ==
	    -1 && strstr(err.msg, "ignore_index") != NULL &&
	    clean_dir(dir) == 0, "a huge ignore_index is refused, no file: "
	    "%s", err.msg);
	steps[1].opts.ignore_index = l->steps[1].opts.ignore_index;
	steps[1].opts.p = 3;
	tap_ok(lesson_write(l, steps, dir, ttl, path, sizeof path, &err) ==
	    -1 && clean_dir(dir) == 0, "p = 3 is refused: %s", err.msg);
	memcpy(steps, l->steps, sizeof steps);
	tap_ok(lesson_write(l, steps, dir, "a\nb", path, sizeof path, &err) ==
	    -1 && lesson_write(l, steps, dir, "", path, sizeof path, &err) ==
	    -1 && lesson_write(l, steps, dir, "a\r", path, sizeof path,
	    &err) == -1 &&
	    clean_dir(dir) == 0, "an empty title or one of several lines is "
	    "refused");

	/* titles that must be blocks */
	ok = write_back(l, steps, dir, "<<<", &t, "<<< title");
	tap_ok(ok && strstr(t, "\ntitle: <<<\n<<<\n>>>\nsummary") != NULL,
	    "a '<<<' title is a block");
	free(t);
	ok = write_back(l, steps, dir, "  >>> \\>>>", &t, ">>> title");
	tap_ok(ok && strstr(t, "\ntitle: ") != NULL, "'  >>> \\>>>' reads "
	    "back");
	free(t);
	ok = write_back(l, steps, dir, " \\>>>\t", &t, "\\>>> title");
	tap_ok(ok && strstr(t, "\ntitle: <<<\n \\\\>>>\t\n>>>\n") != NULL,
	    "' \\>>>\\t' is a block, escaped");
	free(t);
	ok = write_back(l, steps, dir, "  >>>", &t, ">>> title");
	tap_ok(ok && strstr(t, "\ntitle: <<<\n  \\>>>\n>>>\n") != NULL,
	    "'  >>>' is a block, escaped");
	free(t);
	ok = write_back(l, steps, dir, "# not a comment: <<<", &t, "# title");
	tap_ok(ok && strstr(t, "\ntitle: # not a comment: <<<\n") != NULL,
	    "'# not a comment: <<<' is one line");
	free(t);
	lesson_free(l);
	mat_free(&wt);
}

/* A CRLF lesson stays CRLF; a last line without a newline is fine. */
static void
test_write_crlf(const char *dir)
{
	const char	*src = "id: c\r\ntitle: CRLF\r\nloss: bce\r\n"
			    "# comment\r\n\r\nstep: One\r\ninput: 0.5\r\n"
			    "target: 1\r\ntext: <<<\r\na\r\n\r\nb\r\n>>>\r\n"
			    "step: Two\r\nreduction: sum";
	struct lesson		*l;
	struct lesson_step	 steps[2];
	struct err		 err;
	char			*t, *c;
	int			 ok, bare = 0;

	l = lesson_parse("c.en.lesson", src, strlen(src), &err);
	if (!tap_ok(l != NULL, "a CRLF lesson parses")) {
		tap_diag("%s", err.msg);
		return;
	}
	memcpy(steps, l->steps, sizeof steps);
	steps[1].opts.reduction = LOSS_REDUCTION_MEAN;
	steps[1].pitfall = PITFALL_DOUBLE_SIGMOID;
	steps[0].opts.reduction = LOSS_REDUCTION_NONE;
	ok = write_back(l, steps, dir, "CRLF (mine)", &t, "crlf");
	for (c = t; ok && (c = strchr(c, '\n')) != NULL; c++)
		if (c == t || c[-1] != '\r')
			bare++;
	tap_ok(ok && bare == 0 && strstr(t, "id: c-mine\r\ntitle: CRLF (mine)"
	    "\r\nloss: bce\r\n# comment\r\n\r\nstep: One\r\nreduction: none"
	    "\r\ninput: 0.5\r\n") != NULL && strstr(t, "text: <<<\r\na\r\n\r\n"
	    "b\r\n>>>\r\nstep: Two\r\npitfall: double-sigmoid\r\nreduction: "
	    "mean\r\n") != NULL, "a CRLF file keeps CRLF, its new lines too");
	if (t != NULL && !ok)
		tap_diag("%s", t);
	free(t);
	/* the last line, without a newline, gets a line inserted after it */
	memcpy(steps, l->steps, sizeof steps);
	steps[1].opts.label_smoothing = 0.25;
	ok = write_back(l, steps, dir, "CRLF", &t, "last line");
	tap_ok(ok && strstr(t, "step: Two\r\nlabel_smoothing: 0.25\r\n"
	    "reduction: sum") != NULL && t[strlen(t) - 1] == 'm',
	    "after a last line without a newline");
	free(t);
	lesson_free(l);
}

/* The old contract's checks: names, no replacing, errors. */
static void
test_write_names(const char *dir)
{
	struct err	 err;
	char		 path[1024], path2[1024], lp[1024];
	struct lesson	*l, *w;
	struct lesson_step *steps;
	double		 edited = 0.123456789012345678;
	int		 ok;

	snprintf(lp, sizeof lp, "%s/lessons/bce.en.lesson", srcdir);
	if ((l = lesson_load(lp, &err)) == NULL) {
		tap_ok(0, "load bce: %s", err.msg);
		return;
	}
	steps = calloc(l->nsteps, sizeof *steps);
	memcpy(steps, l->steps, l->nsteps * sizeof *steps);
	steps[0].input.v[0] = edited;	/* shares l's storage: an edit */
	ok = lesson_write(l, steps, dir, "BCE (edited)", path, sizeof path,
	    &err) == 0;
	tap_ok(ok && strstr(path, "/bce-mine.en.lesson") != NULL,
	    "the copy is named bce-mine.en.lesson (%s)", ok ? path : err.msg);
	w = ok ? lesson_load(path, &err) : NULL;
	tap_ok(w != NULL && strcmp(w->id, "bce-mine") == 0 &&
	    strcmp(w->title, "BCE (edited)") == 0 &&
	    w->steps[0].input.v[0] == edited, "the copy has its own id, the "
	    "given title and the edited value to the last bit");
	lesson_free(w);
	ok = lesson_write(l, steps, dir, "BCE", path2, sizeof path2, &err) == 0;
	tap_ok(ok && strstr(path2, "/bce-mine-2.en.lesson") != NULL,
	    "a second save is bce-mine-2, the first is not replaced");
	w = lesson_load(path2, &err);
	tap_ok(w != NULL && strcmp(w->id, "bce-mine-2") == 0,
	    "bce-mine-2 has the id bce-mine-2");
	lesson_free(w);
	w = lesson_load(path, &err);
	tap_ok(w != NULL && w->steps[0].input.v[0] == edited,
	    "the first copy is intact");
	lesson_free(w);
	unlink(path);
	unlink(path2);
	tap_ok(lesson_write(l, steps, "/proc/losslab/no", "T", path,
	    sizeof path, &err) == -1 && strstr(err.msg, "cannot"),
	    "an unwritable directory is an error: %s", err.msg);
	free(steps);
	lesson_free(l);
}

static void
test_write(void)
{
	char	dir[] = "/tmp/losslab-writeXXXXXX";

	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "mkdtemp");
		return;
	}
	test_write_shipped(dir);
	test_write_edits(dir);
	test_write_crlf(dir);
	test_write_names(dir);
	clean_dir(dir);
	rmdir(dir);
}

/*
 * Files that are not regular files are refused without blocking (a FIFO
 * used to block in open(2) for ever: an alarm ends this test if it does),
 * the file and step limits are errors, and a block tensor's rows report
 * their own lines.
 */
static void
test_hardening(void)
{
	char			 dir[] = "/tmp/losslab-hardXXXXXX", path[256];
	struct err		 err;
	struct lesson_catalog	 cat = LESSON_CATALOG_INIT;
	struct lesson		*l;
	struct probs		 pr;
	struct strbuf		 b = STRBUF_INIT;
	struct sockaddr_un	 sun;
	size_t			 i;
	int			 fd, n;

	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "hardening: mkdtemp");
		return;
	}
	alarm(20);
	snprintf(path, sizeof path, "%s/fifo.en.lesson", dir);
	if (mkfifo(path, 0600) == 0) {
		l = lesson_load(path, &err);
		tap_ok(l == NULL && strstr(err.msg, "fifo.en.lesson: not a "
		    "regular file (a FIFO)") != NULL, "a FIFO: %s", err.msg);
		lesson_free(l);
		memset(&pr, 0, sizeof pr);
		l = lesson_load_report(path, probs_add, &pr, &n);
		tap_ok(l == NULL && n == 1 && strstr(pr.msg[0], "(a FIFO)"),
		    "a FIFO, reporting: %s", pr.msg[0]);
		lesson_free(l);
		lesson_catalog_add(&cat, dir, LESSON_ORIGIN_ARG);
		tap_ok(cat.n == 1 && cat.v[0].broken &&
		    strcmp(cat.v[0].id, "fifo") == 0 &&
		    strstr(cat.v[0].error, "(a FIFO)") != NULL,
		    "a FIFO in a directory: a broken entry");
		lesson_catalog_free(&cat);
		unlink(path);
	} else
		tap_ok(1, "# SKIP mkfifo failed");
	snprintf(path, sizeof path, "%s/sock.en.lesson", dir);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	fd = -1;
	if (strlen(path) < sizeof sun.sun_path)
		memcpy(sun.sun_path, path, strlen(path) + 1);
	if (sun.sun_path[0] != '\0' &&
	    (fd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1 &&
	    bind(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
		l = lesson_load(path, &err);
		tap_ok(l == NULL && strstr(err.msg, "sock.en.lesson: not a "
		    "regular file (a socket)") != NULL, "a socket: %s",
		    err.msg);
		lesson_free(l);
	} else
		tap_ok(1, "# SKIP no AF_UNIX socket");
	if (fd != -1)
		close(fd);
	unlink(path);
	l = lesson_load("/dev/null", &err);
	tap_ok(l == NULL && strcmp(err.msg, "/dev/null: not a regular file (a "
	    "character device)") == 0, "/dev/null: %s", err.msg);
	lesson_free(l);
	l = lesson_load(dir, &err);
	tap_ok(l == NULL && strstr(err.msg, ": is a directory") != NULL,
	    "a directory: %s", err.msg);
	lesson_free(l);
	/* over 16 MiB: refused from its size (sparse, nothing is read) */
	snprintf(path, sizeof path, "%s/huge.en.lesson", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1 &&
	    ftruncate(fd, (off_t)LESSON_FILE_MAX + 1) == 0) {
		close(fd);
		l = lesson_load(path, &err);
		tap_ok(l == NULL && strstr(err.msg, "huge.en.lesson: file too "
		    "large (over 16 MiB, the limit)") != NULL, "17 MiB: %s",
		    err.msg);
		lesson_free(l);
	} else
		tap_ok(0, "hardening: create %s", path);
	unlink(path);
	alarm(0);
	rmdir(dir);

	/* 200 steps, then one more */
	strbuf_printf(&b, "id: s\ntitle: S\nloss: bce-logits\ninput: 1\n"
	    "target: 1\n");
	for (i = 1; i <= LESSON_STEPS_MAX; i++)
		strbuf_printf(&b, "step: %zu\n", i);
	l = lesson_parse("s.lesson", b.p, b.len, &err);
	tap_ok(l != NULL && l->nsteps == LESSON_STEPS_MAX, "%d steps load",
	    LESSON_STEPS_MAX);
	lesson_free(l);
	strbuf_printf(&b, "step: one too many\n");
	l = lesson_parse("s.lesson", b.p, b.len, &err);
	tap_ok(l == NULL && strcmp(err.msg, "s.lesson:206: more than 200 steps "
	    "(the limit)") == 0, "%d steps: %s", LESSON_STEPS_MAX + 1, err.msg);
	lesson_free(l);
	strbuf_free(&b);

	/* a bad number in a block reports its row's own line */
	strbuf_printf(&b, "id: b\ntitle: B\nloss: bce-logits\nstep: one\n"
	    "input: <<<\n1, 2\n\n3, 4\n5, x\n>>>\ntarget: 1, 0\n");
	l = lesson_parse("b.lesson", b.p, b.len, &err);
	tap_ok(l == NULL && strcmp(err.msg, "b.lesson:9: input: 'x' is not a "
	    "number (row 3, value 2)") == 0, "a block's bad number on its "
	    "line: %s", err.msg);
	lesson_free(l);
	strbuf_free(&b);
}

int
main(void)
{
	if ((srcdir = getenv("top_srcdir")) == NULL)
		srcdir = ".";
	test_fixtures();
	test_long_line();
	test_parse_good();
	test_numbers();
	test_tensor_grammar();
	test_marks();
	test_quoting();
	test_report();
	test_text();
	test_render();
	test_catalog();
	test_write();
	test_hardening();
	return tap_done();
}
