/*
 * fuzz_plot.c -- libFuzzer target: the gnuplot script builder (src/plot.h).
 *
 * The input decodes into a plot request: any kind (and one past the
 * last), classes, ranges, mark, target, language, a title of any bytes,
 * focal, smoothing and pos_weight values, the losses of a comparison,
 * points, and in cell mode a small input, target and options with the
 * cells followed; then a format and a size.  The script of every format
 * (plot_script_text, plot_dumb_script), the key labels and the
 * `losslab plot` arguments (plot_req_args) are checked:
 *
 * No script may hold a way to run a command or touch a file.  The check
 * is a strict reading of what plot.c writes: every line is a datablock
 * header "$x << EOD", a datablock line of numbers (digits, + - . e E and
 * NaN) up to "EOD", or a command whose first word is set, unset, plot or
 * load (load only as "load '.../style.gp'", the one fixed path), or the
 * continuation of a plot command after a trailing backslash, or the
 * line "unset output" (which closes the picture).  Outside
 * single quotes only letters, digits, blanks and , . : _ + - * = ( ) [ ]
 * / appear, a '$' only before a datablock's name in a plot command, a
 * backslash only at the end of a line, and none of the words that run or
 * write something (system, shell, print, output, call, eval, load after
 * the first word, save, table, cd, if, do, while, exit, ...): so no
 * backquote, no '!', no '|' or '<' pipe, no '@' macro, no '"' string
 * (which would interpret escapes), no ';' second command, no '#'.
 * (Every byte is read in its own statement: the order of a call's
 * arguments is the compiler's, and a corpus must mean the same to gcc's
 * replay build as to clang's fuzzer.)
 * A double-quoted string (the user's own text, where plot.c writes it
 * verbatim) has only the escapes \" \\ \140 \100 \044 \041 and no raw
 * ` @ $ ! or control byte.  Inside single quotes (which gnuplot takes literally; the terminals are
 * `noenhanced`) only what plot_sanitize() lets through: printable ASCII
 * but ' " \ ` | < > ! $ @, and well-formed UTF-8 with no C1 control.
 * The key labels obey the same rule, and the arguments are words for a
 * POSIX shell: unquoted only [A-Za-z0-9,._+-=/:@%^], else single quotes
 * with '\'' for a quote, and the --title word is the title unchanged.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>

#include "core/curve.h"
#include "fuzz.h"
#include "plot.h"
#include "strbuf.h"

/* Length of the well-formed UTF-8 sequence (2-4 bytes, no overlong, no
   surrogate, at most U+10FFFF, not a C1 control) at s, or 0. */
static size_t
utf8_ok(const unsigned char *s)
{
	unsigned long	c;
	size_t		n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff ||
	    (c >= 0x80 && c <= 0x9f))
		return 0;
	return n;
}

/* The text of a single-quoted gnuplot string (n bytes at s) is inert. */
static void
check_quoted(const char *s, size_t n, const char *where)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;

	while (i < n) {
		FZ_CHECK(p[i] >= 0x20 && p[i] != 0x7f, "%s: control byte "
		    "0x%02x in a string", where, p[i]);
		if (p[i] < 0x80) {
			FZ_CHECK(strchr("'\"\\`|<>!$@", p[i]) == NULL,
			    "%s: '%c' in a string", where, p[i]);
			i++;
			continue;
		}
		k = utf8_ok(p + i);
		FZ_CHECK(k != 0 && i + k <= n, "%s: invalid UTF-8 in a string",
		    where);
		i += k;
	}
}

/* The text of a double-quoted string (n bytes at s, escapes checked by
   the caller): no raw ` @ $ ! (gnuplot substitutes them on the raw
   line), no control byte, well-formed UTF-8. */
static void
check_dquoted(const char *s, size_t n, const char *where)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;

	while (i < n) {
		FZ_CHECK(p[i] >= 0x20 && p[i] != 0x7f, "%s: control byte "
		    "0x%02x in a string", where, p[i]);
		if (p[i] == '\\') {
			i += p[i + 1] == '"' || p[i + 1] == '\\' ? 2 : 4;
			continue;
		}
		if (p[i] < 0x80) {
			FZ_CHECK(strchr("`@$!", p[i]) == NULL,
			    "%s: a raw '%c' in a string", where, p[i]);
			i++;
			continue;
		}
		k = utf8_ok(p + i);
		FZ_CHECK(k != 0 && i + k <= n, "%s: invalid UTF-8 in a string",
		    where);
		i += k;
	}
}

static int
is_word(const char *w, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncmp(w, *list, n) == 0)
			return 1;
	return 0;
}

/* One script line outside datablocks; *cont: the last one ended in '\'. */
static void
check_command(const char *line, size_t n, int *cont, const char *where)
{
	static const char *const first[] = { "set", "unset", "plot", "load",
	    NULL };
	static const char *const banned[] = { "system", "shell", "print",
	    "printerr", "output", "call", "eval", "evaluate", "load", "save",
	    "table", "cd", "pwd", "if", "else", "do", "for", "while", "exit",
	    "quit", "pipe", "popen", "exec", "macros", "fit", "import",
	    "history", "reread", "replot", "refresh", "test", "pause",
	    "bind", "mouse", "loadpath", "fontpath", "datafile", "sprintf",
	    "value", "stats", "toggle", "undefine", "clear", "lower", "raise",
	    "splot", "array", "function", "print", NULL };
	size_t	 i = 0, j, w0, nword = 0;
	int	 is_plot = *cont, is_load = 0;

	FZ_CHECK(n > 0, "%s: an empty line", where);
	while (i < n) {
		unsigned char	c = (unsigned char)line[i];

		if (c == '\'') {
			for (j = i + 1; j < n && line[j] != '\''; j++)
				;
			FZ_CHECK(j < n, "%s: a string not closed on its line",
			    where);
			FZ_CHECK(j + 1 >= n || line[j + 1] != '\'', "%s: a "
			    "quote inside a string", where);
			if (is_load) {
				FZ_CHECK(nword == 1 && j - i - 1 >= 8 &&
				    strncmp(line + j - 8, "style.gp", 8) == 0
				    && j + 1 == n, "%s: load of something "
				    "else than the style", where);
			}
			check_quoted(line + i + 1, j - i - 1, where);
			i = j + 1;
			continue;
		}
		if (c == '"') {
			/* the user's own text verbatim: backslash escapes
			   for what gnuplot would substitute or end on */
			for (j = i + 1; j < n && line[j] != '"'; j++)
				if (line[j] == '\\') {
					FZ_CHECK(j + 1 < n && (line[j + 1] ==
					    '"' || line[j + 1] == '\\' ||
					    (j + 3 < n && (strncmp(line + j + 1,
					    "140", 3) == 0 || strncmp(line + j
					    + 1, "100", 3) == 0 || strncmp(line
					    + j + 1, "044", 3) == 0 ||
					    strncmp(line + j + 1, "041", 3) ==
					    0))), "%s: an escape other than "
					    "\\\" \\\\ \\140 \\100 \\044 "
					    "\\041", where);
					j += line[j + 1] == '"' ||
					    line[j + 1] == '\\' ? 1 : 3;
				}
			FZ_CHECK(j < n, "%s: a string not closed on its line",
			    where);
			check_dquoted(line + i + 1, j - i - 1, where);
			i = j + 1;
			continue;
		}
		if (isalpha(c) || c == '_') {
			for (w0 = i; i < n && (isalnum((unsigned char)line[i])
			    || line[i] == '_'); i++)
				;
			if (nword == 0 && !*cont) {
				FZ_CHECK(is_word(line + w0, i - w0, first),
				    "%s: the command '%.*s'", where,
				    (int)(i - w0), line + w0);
				is_plot = strncmp(line + w0, "plot", 4) == 0;
				is_load = strncmp(line + w0, "load", 4) == 0;
			} else
				FZ_CHECK(!is_word(line + w0, i - w0, banned),
				    "%s: the word '%.*s'", where,
				    (int)(i - w0), line + w0);
			nword++;
			continue;
		}
		if (c == '$') {
			FZ_CHECK(is_plot && i + 1 < n &&
			    islower((unsigned char)line[i + 1]), "%s: a '$' "
			    "outside a datablock reference", where);
			i++;
			continue;
		}
		if (c == '\\') {
			FZ_CHECK(i + 1 == n && is_plot, "%s: a backslash "
			    "inside a line", where);
			i++;
			continue;
		}
		FZ_CHECK(isdigit(c) || strchr(" ,.:_+-*=()[]/", c) != NULL,
		    "%s: the byte 0x%02x ('%c') outside a string", where, c,
		    c >= 0x20 && c < 0x7f ? c : '?');
		i++;
	}
	*cont = n > 0 && line[n - 1] == '\\';
}

/* A whole script: see the module comment. */
static void
check_script(const char *s, const char *where)
{
	const char	*line = s, *nl;
	size_t		 n;
	int		 block = 0, cont = 0;

	while (*line != '\0') {
		nl = strchr(line, '\n');
		FZ_CHECK(nl != NULL, "%s: the last line has no newline", where);
		n = (size_t)(nl - line);
		if (block) {
			if (n == 3 && strncmp(line, "EOD", 3) == 0)
				block = 0;
			else
				FZ_CHECK(n > 0 && strspn(line,
				    "0123456789+-.eENa ") == n, "%s: '%.*s' in "
				    "a datablock", where, (int)n, line);
		} else if (line[0] == '$') {
			FZ_CHECK(!cont && n == 9 && islower((unsigned char)
			    line[1]) && strncmp(line + 2, " << EOD", 7) == 0,
			    "%s: the line '%.*s'", where, (int)n, line);
			block = 1;
		} else if (!cont && n == 12 && strncmp(line, "unset output",
		    12) == 0) {
			/* the one use of the word: close the picture */
		} else
			check_command(line, n, &cont, where);
		line = nl + 1;
	}
	FZ_CHECK(!block && !cont, "%s: ends inside a datablock or command",
	    where);
}

/* args: POSIX shell words; the one after --title is title (the words after
   --xlabel, --ylabel and --font are values, whatever they read). */
static void
check_args(const char *a, const char *title)
{
	struct strbuf	 w = STRBUF_INIT;
	const char	*p = a;
	int		 next_title = 0, next_value = 0, seen_title = 0;

	while (*p != '\0') {
		FZ_CHECK(*p == ' ' || p == a, "args: '%c' between words",
		    *p);
		while (*p == ' ')
			p++;
		w.len = 0;
		while (*p != '\0' && *p != ' ') {
			if (*p == '\'') {
				for (p++; *p != '\0' && *p != '\''; p++)
					strbuf_add(&w, p, 1);
				FZ_CHECK(*p == '\'', "args: a quote not closed");
				p++;
			} else if (*p == '\\') {
				FZ_CHECK(p[1] == '\'', "args: a backslash "
				    "outside quotes before '%c'", p[1]);
				strbuf_add(&w, "'", 1);
				p += 2;
			} else {
				FZ_CHECK(strchr("abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				    ",._+-=/:@%^", *p) != NULL, "args: '%c' "
				    "outside quotes in '%s'", *p, a);
				strbuf_add(&w, p, 1);
				p++;
			}
		}
		FZ_CHECK(!w.oom, "out of memory");
		strbuf_add(&w, "", 1);
		if (next_title) {
			FZ_CHECK(title != NULL && strcmp(w.p, title) == 0,
			    "args: the title '%s' became '%s'",
			    title != NULL ? title : "(none)", w.p);
			seen_title = 1;
			next_title = 0;
		} else if (next_value)
			next_value = 0;	/* a label or font, never an option */
		else {
			next_title = strcmp(w.p, "--title") == 0;
			next_value = strcmp(w.p, "--xlabel") == 0 ||
			    strcmp(w.p, "--ylabel") == 0 ||
			    strcmp(w.p, "--font") == 0;
		}
	}
	FZ_CHECK(seen_title || title == NULL, "args: no --title");
	strbuf_free(&w);
}

/* A small tensor from the input: 1-D or 2-D, 1..4 x 1..5. */
static void
fz_mat(struct fz *f, struct mat *m, int ndim, size_t rows, size_t cols)
{
	size_t	i;

	if (mat_alloc(m, ndim, ndim == 1 ? 1 : rows, cols, NULL) != 0)
		abort();
	for (i = 0; i < m->rows * m->cols; i++)
		m->v[i] = fz_double(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { NULL, "en", "zh", "fr", "" };
	struct fz		 f = { data, size };
	struct plot_req		 req;
	struct curve_cells	 cc;
	struct loss_opts	 o;
	struct mat		 in = MAT_INIT, tg = MAT_INIT, wt = MAT_INIT;
	struct plot_text	 keys = PLOT_TEXT_INIT;
	struct strbuf		 b = STRBUF_INIT;
	struct err		 e;
	char			*title = NULL, *script, *args, where[64];
	char			*xlabel = NULL, *ylabel = NULL, *font = NULL;
	size_t			 i, rows, cols;
	int			 fmt, w, h, k, cells;

	plot_req_init(&req, (enum plot_kind)fz_pick(&f, PLOT_KIND_COUNT));
	if (fz_pick(&f, 16) == 15)
		req.kind = (enum plot_kind)(PLOT_KIND_COUNT + fz_pick(&f, 3));
	if (fz_u8(&f) & 1)
		req.classes = (int)fz_pick(&f, 40) - 4;
	if (fz_u8(&f) & 1) {
		req.xmin = fz_double(&f);
		req.xmax = fz_double(&f);
	}
#ifdef PLOT_MAX_MARKS
	/* the newer request: several marks, the user's labels, the look */
	req.nmarks = (int)fz_pick(&f, PLOT_MAX_MARKS + 1);
	for (k = 0; k < req.nmarks; k++)
		req.marks[k] = fz_double(&f);
	if (fz_u8(&f) & 1)
		req.xlabel = xlabel = fz_str(&f, 255);
	if (fz_u8(&f) & 1)
		req.ylabel = ylabel = fz_str(&f, 255);
	if (fz_u8(&f) & 1) {
		req.ymin = fz_double(&f);
		req.ymax = fz_double(&f);
	}
	if (fz_u8(&f) & 1)
		req.font = font = fz_str(&f, 40);
	if (fz_u8(&f) & 1)
		req.font_size = fz_double(&f);
	req.legend = (enum plot_legend)fz_pick(&f, 3);
	req.theme = (enum plot_theme)fz_pick(&f, 3);
	req.grad = fz_u8(&f) & 1;
	req.prob_axis = fz_u8(&f) & 1;
#else
	req.has_mark = fz_u8(&f) & 1;
	req.mark = fz_double(&f);
#endif
	if (fz_u8(&f) & 1)
		req.target = fz_double(&f);
	req.lang = langs[fz_pick(&f, 5)];
	if (fz_u8(&f) & 1)
		req.title = title = fz_str(&f, 255);
	if (fz_u8(&f) & 1)
		req.gamma = fz_double(&f);
	if (fz_u8(&f) & 1)
		req.alpha = fz_double(&f);
	if (fz_u8(&f) & 1)
		req.pos_weight = fz_double(&f);
	if (fz_u8(&f) & 1)
		req.label_smoothing = fz_double(&f);
	req.nlosses = (int)fz_pick(&f, PLOT_MAX_LOSSES + 1);
	for (k = 0; k < req.nlosses; k++)
		req.losses[k] = (enum loss_id)fz_pick(&f, LOSS_COUNT);
	/* few points mostly (the script's form does not depend on how
	   many; fewer are many times faster), the default one time in 8 */
	req.points = fz_pick(&f, 8) == 7 ? 0 : (int)fz_pick(&f, 40) - 2;
	cells = fz_pick(&f, 3) == 0;
	if (cells) {
		memset(&cc, 0, sizeof cc);
		cc.loss = (enum loss_id)fz_pick(&f, LOSS_COUNT);
		cc.pitfall = (enum pitfall_id)fz_pick(&f, PITFALL_COUNT);
		rows = 1 + fz_pick(&f, 3);
		cols = 1 + fz_pick(&f, 4);
		k = 1 + (int)fz_pick(&f, 2);
		fz_mat(&f, &in, k, rows, cols);
		switch (fz_pick(&f, 3)) {
		case 0:		/* shaped like the input */
			fz_mat(&f, &tg, k, rows, cols);
			break;
		case 1:		/* one class index a sample */
			fz_mat(&f, &tg, 1, 1, in.rows);
			break;
		default:	/* anything small */
			k = 1 + (int)fz_pick(&f, 2);
			rows = 1 + fz_pick(&f, 3);
			cols = 1 + fz_pick(&f, 4);
			fz_mat(&f, &tg, k, rows, cols);
			break;
		}
		loss_opts_init(&o);
		o.reduction = (enum loss_reduction)fz_pick(&f, 4);
		if (fz_u8(&f) & 1)
			o.label_smoothing = fz_double(&f);
		if (fz_u8(&f) & 1)
			o.gamma = fz_double(&f);
		if (fz_u8(&f) & 1)
			o.alpha = fz_double(&f);
		if (fz_u8(&f) & 1)
			o.margin = fz_double(&f);
		o.p = 1 + (int)fz_pick(&f, 2);
		o.log_target = fz_u8(&f) & 1;
		if (fz_u8(&f) & 1)
			o.ignore_index = (long)fz_pick(&f, 8) - 4;
		if (fz_u8(&f) & 1) {
			cols = fz_u8(&f) & 1 ? in.cols : 1 + fz_pick(&f, 5);
			fz_mat(&f, &wt, 1, 1, cols);
			if (fz_u8(&f) & 1)
				o.weight = &wt;
			else
				o.pos_weight = &wt;
		}
		cc.input = &in;
		cc.target = &tg;
		cc.opts = &o;
		cc.ncells = 1 + fz_pick(&f, CURVE_CELLS_MAX);
		for (i = 0; i < cc.ncells; i++) {
			cc.cells[i].r = fz_pick(&f, (unsigned)in.rows);
			cc.cells[i].c = fz_pick(&f, (unsigned)in.cols);
		}
		req.cells = &cc;
	}
	fmt = (int)fz_pick(&f, 5);
	w = (int)fz_u16(&f) % 1200;
	h = (int)fz_u16(&f) % 800;

	/* FUZZ_SHOW=1: the request as a command line, to reproduce it */
	if (getenv("FUZZ_SHOW") != NULL && req.kind < PLOT_KIND_COUNT) {
		char	show[8192];

		plot_req_args(&req, show, sizeof show);
		fprintf(stderr, "losslab plot %s (format %d, %d x %d)\n",
		    show, fmt, w, h);
	}
	/* the script of the chosen format, then the text one */
	if (plot_script_text(&req, (enum plot_format)fmt, w < 20 ? 20 : w,
	    h < 10 ? 10 : h, &script, &e) == 0) {
		snprintf(where, sizeof where, "format %d", fmt);
		check_script(script, where);
		free(script);
	} else
		FZ_CHECK(script == NULL && e.msg[0] != '\0', "no message");
	if (plot_dumb_script(&req, w, h, &b, &keys, &e) == 0) {
		FZ_CHECK(!b.oom, "out of memory");
		strbuf_add(&b, "", 1);
		check_script(b.p, "dumb");
		FZ_CHECK(keys.ncurves >= 0 && keys.ncurves <= PLOT_MAX_CURVES,
		    "%d curves", keys.ncurves);
		for (k = 0; k < keys.ncurves; k++)
			check_quoted(keys.curves[k].label,
			    strlen(keys.curves[k].label), "a key label");
	}
	plot_text_free(&keys);
	strbuf_free(&b);

	/* the command line that draws it */
	if ((args = malloc(1 << 16)) == NULL)
		abort();
	plot_req_args(&req, args, 1 << 16);
	/* (an unknown kind is a caller's error: its name is "?") */
	if (strlen(args) < (1 << 16) - 1 && req.kind < PLOT_KIND_COUNT)
		check_args(args, req.title);
	free(args);
	memset(&b, 0, sizeof b);
	plot_req_key(&req, &b);
	strbuf_free(&b);

	mat_free(&in);
	mat_free(&tg);
	mat_free(&wt);
	free(title);
	free(xlabel);
	free(ylabel);
	free(font);
	return 0;
}
