/*
 * pycode.c -- Python code as losslab shows it (see pycode.h): the PyTorch
 * lines that compute what the lesson screen shows, written with the
 * learner's current values and options (numbers so that Python reads back
 * the same double; tests/ui.sh runs the lines through PyTorch and
 * compares), and the wrapping and comment hiding of code lines, which
 * follow Python's string and comment syntax.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtoa.h"
#include "step.h"
#include "pycode.h"
#include "strbuf.h"
#include "text.h"

/* Append to buf (always NUL-terminated, truncated at len). */
static void
pycode_cat(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
pycode_cat(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;
	size_t	n = strlen(buf);

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* A Python float literal that reads back as v. */
static void
pycode_float(double v, int integer, char *out, size_t len)
{
	char	d[DTOA_BUFSZ];

	if (isnan(v)) {
		snprintf(out, len, "float('nan')");
		return;
	}
	if (isinf(v)) {
		snprintf(out, len, "float('%sinf')", v < 0 ? "-" : "");
		return;
	}
	if (integer && v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, len, "%.0f", v);
		return;
	}
	/* the shortest digits; "100" needs a point to be a float */
	dtoa_fmt(v, d);
	snprintf(out, len, "%s%s", d, strpbrk(d, ".e") == NULL ? "." : "");
}

/* "torch.tensor([...], dtype=torch.float64)" of m in dtype d (int64
   needs no dtype=: torch's default for integers), or a comment when it
   is too large. */
static void
pycode_tensor(char *buf, size_t len, const struct mat *m, enum dtype d)
{
	char	 v[64];
	size_t	 r, c;
	int	 integer = !dtype_is_float(d);

	if (mat_numel(m) > PYCODE_MAX_VALUES) {
		pycode_cat(buf, len, "torch.tensor(...)  # %zu values", mat_numel(m));
		return;
	}
	pycode_cat(buf, len, "torch.tensor(");
	if (m->ndim == 2)
		pycode_cat(buf, len, "[");
	for (r = 0; r < m->rows; r++) {
		if (r > 0)
			pycode_cat(buf, len, ", ");
		pycode_cat(buf, len, "[");
		for (c = 0; c < m->cols; c++) {
			pycode_float(MAT_AT(m, r, c), integer, v, sizeof v);
			pycode_cat(buf, len, "%s%s", c > 0 ? ", " : "", v);
		}
		pycode_cat(buf, len, "]");
	}
	if (m->ndim == 2)
		pycode_cat(buf, len, "]");
	if (d == DTYPE_LONG)
		pycode_cat(buf, len, ")");
	else
		pycode_cat(buf, len, ", dtype=torch.%s)", dtype_name(d));
}

void
pycode_format(const struct step *s, int result, char *buf, size_t len)
{
	const char	*x = loss_input_kind(s->loss) == LOSS_INPUT_LOGITS ?
			    "z" : loss_input_kind(s->loss) ==
			    LOSS_INPUT_PROBABILITIES ? "p" : "logp";
	const struct loss_opts *o = &s->opts;
	char		 v[64];
	int		 n = 0;

	buf[0] = '\0';
	pycode_cat(buf, len, "%s = ", x);
	pycode_tensor(buf, len, &s->input, s->dtype);
	pycode_cat(buf, len, "\ny = ");
	pycode_tensor(buf, len, &s->target, step_target_dtype(s));
	pycode_cat(buf, len, "\n");
	if (s->loss == LOSS_FOCAL) {
		pycode_float(o->alpha, 0, v, sizeof v);
		pycode_cat(buf, len, "%s(%s, y, alpha=%s", loss_torch_name(s->loss),
		    x, v);
		pycode_float(o->gamma, 0, v, sizeof v);
		pycode_cat(buf, len, ", gamma=%s, reduction='%s')", v,
		    loss_reduction_name(o->reduction));
		return;
	}
	pycode_cat(buf, len, "%s(", loss_torch_name(s->loss));
#define PYCODE_ARG(...) do {					\
		pycode_cat(buf, len, "%s", n++ ? ", " : "");	\
		pycode_cat(buf, len, __VA_ARGS__);			\
	} while (0)
	if (o->reduction != LOSS_REDUCTION_MEAN)
		PYCODE_ARG("reduction='%s'", loss_reduction_name(o->reduction));
	if (s->weight.ndim != 0 && loss_has_option(s->loss, "weight")) {
		PYCODE_ARG("weight=");
		pycode_tensor(buf, len, &s->weight, s->dtype);
	}
	if (s->pos_weight.ndim != 0 && loss_has_option(s->loss, "pos-weight")) {
		PYCODE_ARG("pos_weight=");
		pycode_tensor(buf, len, &s->pos_weight, s->dtype);
	}
	if (loss_has_option(s->loss, "ignore-index") && o->ignore_index != -100)
		PYCODE_ARG("ignore_index=%ld", o->ignore_index);
	if (loss_has_option(s->loss, "label-smoothing") &&
	    o->label_smoothing != 0) {
		pycode_float(o->label_smoothing, 0, v, sizeof v);
		PYCODE_ARG("label_smoothing=%s", v);
	}
	if (loss_has_option(s->loss, "margin") && o->margin != 1) {
		pycode_float(o->margin, 0, v, sizeof v);
		PYCODE_ARG("margin=%s", v);
	}
	if (loss_has_option(s->loss, "p") && o->p != 1)
		PYCODE_ARG("p=%d", o->p);
	if (loss_has_option(s->loss, "log-target") && o->log_target)
		PYCODE_ARG("log_target=True");
#undef PYCODE_ARG
	pycode_cat(buf, len, ")(%s, y)", x);
	if (!result)
		return;
	if (s->ok) {
		step_fmt(s->res.value, 6, v, sizeof v);
		pycode_cat(buf, len, "\n# losslab: %s", v);
	} else
		pycode_cat(buf, len, "\n# torch raises: %s", s->error);
}

/*
 * Scan line[0..upto) as Python: strings are '...' and "..." with backslash
 * escapes, '#' outside them starts the comment.  Returns where the comment
 * starts (upto when it does not start before), and *instr tells whether
 * byte upto is inside a string literal.
 */
static size_t
pycode_scan(const char *line, size_t upto, int *instr)
{
	size_t	i;
	char	q = 0;

	for (i = 0; i < upto; i++) {
		if (q != 0) {
			if (line[i] == '\\' && i + 1 < upto)
				i++;
			else if (line[i] == q)
				q = 0;
		} else if (line[i] == '\'' || line[i] == '"')
			q = line[i];
		else if (line[i] == '#')
			break;
	}
	*instr = i == upto && q != 0;
	return i;
}

/* Where the comment of a line of n bytes starts, or n when it has none. */
static size_t
pycode_comment_at(const char *line, size_t n)
{
	int	instr;

	return pycode_scan(line, n, &instr);
}

/* Whether byte i of line is inside a string literal. */
static int
pycode_in_string(const char *line, size_t i)
{
	int	instr;

	(void)pycode_scan(line, i, &instr);
	return instr;
}

/* Whether byte i of text (n bytes) starts a wide (CJK) character that
   follows another wide one: a comment may break there, as Chinese text
   is wrapped. */
static int
pycode_wide_at(const char *text, size_t n, size_t i)
{
	unsigned int	a, b;
	size_t		k;

	if (i == 0 || ((unsigned char)text[i] & 0xc0) == 0x80)
		return 0;
	for (k = i - 1; k > 0 && ((unsigned char)text[k] & 0xc0) == 0x80; k--)
		continue;
	text_decode(text + k, n - k, &a);
	text_decode(text + i, n - i, &b);
	return text_cp_width(a) == 2 && text_cp_width(b) == 2;
}

/* Append a comment (text without its '#') as "# " lines at indent. */
static void
pycode_wrap_comment(struct strbuf *b, const char *text, size_t n,
    size_t indent, int cols, int *first)
{
	size_t	i, start, last, w0 = indent + 2;

	while (n > 0 && (*text == ' ' || *text == '#')) {
		text++;
		n--;
	}
	while (n > 0 && text[n - 1] == ' ')
		n--;
	start = 0;
	do {
		/* as many words as fit after "# " */
		last = n;
		if ((int)(w0 + text_width_n(text + start, n - start)) > cols) {
			last = 0;
			for (i = start + 1; i < n; i++) {
				if (text[i] != ' ' && !pycode_wide_at(text, n, i))
					continue;
				if ((int)(w0 + text_width_n(text + start,
				    i - start)) > cols)
					break;
				last = i;
			}
			if (last == 0) {	/* one long word */
				for (i = start; i < n && text[i] != ' '; i++)
					continue;
				last = i;
			}
		}
		if (!*first)
			strbuf_add(b, "\n", 1);
		*first = 0;
		strbuf_printf(b, "%*s# %.*s", (int)indent, "",
		    (int)(last - start), text + start);
		for (start = last; start < n && text[start] == ' '; start++)
			continue;
	} while (start < n);
}

/*
 * Where code (n bytes) may be broken within cols, leaving room for " \\":
 * the last place between two tokens outside string literals -- a blank
 * (which is dropped), or just after an opening bracket or a comma.
 * Returns the byte offset of the break (the first line is line[0..brk)),
 * or 0 when there is none.
 */
static size_t
pycode_break_at(const char *line, size_t n, int cols)
{
	size_t	i, brk = 0, indent;

	for (indent = 0; indent < n && line[indent] == ' '; indent++)
		continue;
	for (i = indent + 1; i < n; i++) {
		if (!(line[i] == ' ' && line[i - 1] != ' ') &&
		    !(strchr("([,", line[i - 1]) != NULL && line[i] != ' ' &&
		    line[i] != ')' && line[i] != ']'))
			continue;
		if ((int)text_width_n(line, i) + 2 > cols)
			break;
		if (!pycode_in_string(line, i))
			brk = i;
	}
	return brk;
}

/*
 * Wrap one line of n bytes into b: a trailing comment that does not fit
 * goes on its own lines above the code, a comment line is wrapped as
 * comment lines, and code is broken with backslash continuations.
 */
static void
pycode_wrap_line(struct strbuf *b, const char *line, size_t n, int cols)
{
	size_t	 indent, cstart, code_n, brk, rest;
	int	 first = 1, avail = cols;

	if ((int)text_width_n(line, n) <= cols) {
		strbuf_add(b, line, n);
		return;
	}
	for (indent = 0; indent < n && line[indent] == ' '; indent++)
		continue;
	cstart = pycode_comment_at(line, n);
	for (code_n = cstart; code_n > 0 && line[code_n - 1] == ' '; code_n--)
		continue;
	if (cstart < n)
		pycode_wrap_comment(b, line + cstart, n - cstart, indent, cols,
		    &first);
	if (code_n <= indent)
		return;		/* a comment line */
	while ((int)text_width_n(line, code_n) > avail &&
	    (brk = pycode_break_at(line, code_n, avail)) != 0) {
		if (!first)
			strbuf_add(b, "\n", 1);
		first = 0;
		strbuf_add(b, line, brk);
		strbuf_add(b, " \\", 2);
		for (rest = brk; rest < code_n && line[rest] == ' '; rest++)
			continue;
		/* the rest, indented four more than the line's own indent;
		   measured from there */
		strbuf_printf(b, "\n%*s", (int)indent + 4, "");
		first = 1;
		line += rest;
		code_n -= rest;
		avail = cols - (int)indent - 4;
		if (avail < 8)
			avail = 8;
	}
	if (!first)
		strbuf_add(b, "\n", 1);
	strbuf_add(b, line, code_n);
}

/* Apply fn to every line of code, joining what it writes with
   newlines; a new string, or NULL when out of memory. */
static char *
pycode_lines(const char *code, int cols,
    void (*fn)(struct strbuf *, const char *, size_t, int))
{
	struct strbuf	 b = STRBUF_INIT;
	const char	*p, *nl;

	strbuf_add(&b, "", 0);
	for (p = code ? code : "";; p = nl + 1) {
		nl = strchr(p, '\n');
		fn(&b, p, nl ? (size_t)(nl - p) : strlen(p), cols);
		if (nl == NULL)
			break;
		strbuf_add(&b, "\n", 1);
	}
	if (b.oom) {
		strbuf_free(&b);
		return NULL;
	}
	return b.p;
}

char *
pycode_wrap(const char *code, int cols)
{
	return pycode_lines(code, cols < 8 ? 8 : cols, pycode_wrap_line);
}

/* One line with its comment replaced by "# …". */
static void
pycode_hide_line(struct strbuf *b, const char *line, size_t n, int cols)
{
	size_t	c;

	(void)cols;
	if ((c = pycode_comment_at(line, n)) < n) {
		strbuf_add(b, line, c);
		strbuf_add(b, "# …", strlen("# …"));
	} else
		strbuf_add(b, line, n);
}

char *
pycode_hide_comments(const char *code)
{
	return pycode_lines(code, 0, pycode_hide_line);
}
