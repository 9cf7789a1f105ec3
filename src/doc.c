/*
 * doc.c -- the handout writer: the same blocks (headings, paragraphs,
 * tables, code, pictures) as plain text fitted to a width, as Markdown or
 * as one self-contained HTML page (see doc.h).
 *
 * Text is escaped in two stages: safeout.h first (control characters and
 * invalid UTF-8 become visible escapes, whatever the format), then the
 * format's own (HTML's five characters; Markdown's punctuation outside
 * code).  Widths are display columns (text.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "pycode.h"
#include "safeout.h"
#include "strbuf.h"
#include "text.h"

/* ---- escaping -------------------------------------------------------- */

static void
doc_html_esc(FILE *fp, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && s[i] != '\0'; i++)
		switch (s[i]) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(s[i], fp);
		}
}

/* Markdown: the characters that make markup anywhere (emphasis, code,
   links, HTML, tables, strikethrough, maths, entities) are backslash-
   escaped, and at the start of a line those that would make a heading, a
   list or a rule; CommonMark allows escaping any ASCII punctuation. */
static void
doc_md_esc(FILE *fp, const char *s, size_t n)
{
	size_t	i, j;
	int	bol = 1;

	for (i = 0; i < n && s[i] != '\0'; i++) {
		if (bol && s[i] != ' ') {
			if (strchr("#+-=>", s[i]) != NULL)
				fputc('\\', fp);
			else if (s[i] >= '0' && s[i] <= '9') {
				/* "1." and "1)" start a numbered list */
				j = i;
				while (j < n && s[j] >= '0' && s[j] <= '9')
					j++;
				if (j < n && (s[j] == '.' || s[j] == ')')) {
					fwrite(s + i, 1, j - i, fp);
					fputc('\\', fp);
					i = j;
				}
			}
			bol = 0;
		}
		if (s[i] == '\n')
			bol = 1;
		else if (strchr("\\`*_[]<>|~$&", s[i]) != NULL)
			fputc('\\', fp);
		fputc(s[i], fp);
	}
}

/* Write n bytes of s (already through safeout) in the format's escaping. */
static void
doc_put(struct doc *d, const char *s, size_t n)
{
	switch (d->fmt) {
	case DOC_HTML:
		doc_html_esc(d->fp, s, n);
		break;
	case DOC_MD:
		doc_md_esc(d->fp, s, n);
		break;
	default:
		fwrite(s, 1, strnlen(s, n), d->fp);
	}
}

static void
doc_puts(struct doc *d, const char *s)
{
	doc_put(d, s, strlen(s));
}

/* s without its leading spaces. */
static const char *
doc_lstrip(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* ---- tables ----------------------------------------------------------- */

int
doc_table_init(struct doc_table *t, size_t rows, size_t cols)
{
	memset(t, 0, sizeof *t);
	t->rows = rows;
	t->cols = cols;
	t->cell = calloc(rows * cols > 0 ? rows * cols : 1, sizeof *t->cell);
	return t->cell == NULL ? -1 : 0;
}

void
doc_table_set(struct doc_table *t, size_t r, size_t c, const char *s)
{
	if (r >= t->rows || c >= t->cols)
		return;
	free(t->cell[r * t->cols + c]);
	t->cell[r * t->cols + c] = safeout_strdup(s, SAFEOUT_LINE);
}

void
doc_table_free(struct doc_table *t)
{
	size_t	i;

	if (t->cell == NULL)
		return;
	for (i = 0; i < t->rows * t->cols; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
}

static const char *
doc_cell(const struct doc_table *t, size_t r, size_t c)
{
	const char *s = t->cell[r * t->cols + c];

	return s != NULL ? s : "";
}

/* Columns first..last-1 (and column 0 when label) as text lines. */
static void
doc_table_group(struct doc *d, const struct doc_table *t, const size_t *cw,
    size_t first, size_t last, int indent)
{
	size_t	 r, c, l;
	char	*p;
	int	 any;

	for (r = 0; r < t->rows; r++) {
		fprintf(d->fp, "%*s", indent, "");
		any = 0;
		for (c = 0; c < last; c++) {
			if (c < first && !(c == 0 && t->label))
				continue;
			p = text_pad(doc_cell(t, r, c), (int)cw[c], c > 0 ||
			    !t->label);
			if (p == NULL)
				continue;
			if (c + 1 == last) {
				l = strlen(p);
				while (l > 0 && p[l - 1] == ' ')
					p[--l] = '\0';
			}
			fprintf(d->fp, "%s%s", any ? "  " : "", p);
			any = 1;
			free(p);
		}
		fputc('\n', d->fp);
	}
}

/* The table as text: column groups that fit in d->cols - indent. */
static void
doc_table_text(struct doc *d, const struct doc_table *t, int indent)
{
	size_t	 r, c, w, *cw, first, last, width, avail;

	if ((cw = calloc(t->cols ? t->cols : 1, sizeof *cw)) == NULL)
		return;
	for (c = 0; c < t->cols; c++)
		for (r = 0; r < t->rows; r++)
			if ((w = text_width(doc_cell(t, r, c))) > cw[c])
				cw[c] = w;
	avail = d->cols > indent ? (size_t)(d->cols - indent) : 1;
	first = t->label ? 1 : 0;
	if (t->cols == 1 || (t->label && t->cols == 1))
		first = 0;
	do {
		width = t->label && first > 0 ? cw[0] : 0;
		last = first;
		while (last < t->cols && (last == first ||
		    width + 2 + cw[last] <= avail)) {
			width += (width > 0 ? 2 : 0) + cw[last];
			last++;
		}
		if (first > (t->label ? 1u : 0u))
			fputc('\n', d->fp);
		doc_table_group(d, t, cw, first, last, indent);
		first = last;
	} while (first < t->cols);
	free(cw);
}

static void
doc_table_html(struct doc *d, const struct doc_table *t)
{
	size_t	 r, c;
	int	 th;

	fputs("<table>\n", d->fp);
	for (r = 0; r < t->rows; r++) {
		fputs("<tr>", d->fp);
		for (c = 0; c < t->cols; c++) {
			th = (t->header && r == 0) || (t->label && c == 0);
			fputs(th ? "<th>" : "<td>", d->fp);
			doc_puts(d, doc_cell(t, r, c));
			fputs(th ? "</th>" : "</td>", d->fp);
		}
		fputs("</tr>\n", d->fp);
	}
	fputs("</table>\n", d->fp);
}

/* The longest run of backticks in s plus one, at least 3: a fence that
   nothing inside closes. */
static int
doc_fence_len(const char *s)
{
	int	run = 0, max = 2;

	for (; *s != '\0'; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > max)
			max = run;
	}
	return max + 1;
}

void
doc_table(struct doc *d, const struct doc_table *t, int indent)
{
	if (t->rows == 0 || t->cols == 0)
		return;
	switch (d->fmt) {
	case DOC_HTML:
		doc_table_html(d, t);
		break;
	case DOC_MD:
		/* aligned text in a fence: it reads the same in any viewer */
		fputs("```\n", d->fp);
		doc_table_text(d, t, 0);
		fputs("```\n\n", d->fp);
		break;
	default:
		doc_table_text(d, t, indent);
	}
}

/* ---- the page --------------------------------------------------------- */

static const char doc_css[] =
"body{font-family:system-ui,-apple-system,\"Segoe UI\",\"Noto Sans\","
"\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\","
"\"Hiragino Sans GB\",\"Microsoft YaHei\",\"WenQuanYi Micro Hei\","
"sans-serif;max-width:48em;margin:1.5em auto;padding:0 1em;"
"line-height:1.45;color:#111;background:#fff}\n"
"h1{font-size:1.6em;border-bottom:2px solid #333;padding-bottom:.2em}\n"
"h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #999}\n"
"h3{font-size:1.05em;margin:1em 0 .3em}\n"
"p{margin:.4em 0}\n"
"p.choice{margin:.2em 0 .2em 1.5em}\n"
"p.note{color:#8a4b00}\n"
"pre{font-family:\"DejaVu Sans Mono\",\"Noto Sans Mono CJK SC\","
"\"Sarasa Mono SC\",monospace;font-size:.9em;background:#f4f4f4;"
"padding:.4em .6em;white-space:pre-wrap;overflow-wrap:anywhere}\n"
"table{border-collapse:collapse;margin:.4em 0;font-size:.9em;"
"font-variant-numeric:tabular-nums}\n"
"th,td{border:1px solid #bbb;padding:.15em .5em;text-align:right}\n"
"th{background:#eee}\n"
"figure{margin:.8em 0;text-align:center}\n"
"figure svg{max-width:100%;height:auto}\n"
"figcaption{font-size:.85em;color:#444}\n"
"@page{size:A4;margin:15mm 15mm 18mm 15mm}\n"
"@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}"
"h2{border-color:#000}"
"h2,h3{break-after:avoid}"
"figure,table,pre,p.choice{break-inside:avoid}"
"figure svg{width:auto;max-height:85mm}"
"pre,th{background:none}pre{border:1px solid #ccc}}\n";

void
doc_begin(struct doc *d, const char *lang, const char *title)
{
	char	*t;

	if (d->fmt != DOC_HTML)
		return;
	t = safeout_strdup(title, SAFEOUT_LINE);
	fprintf(d->fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>",
	    lang != NULL && strcmp(lang, "zh") == 0 ? "zh-CN" : "en");
	doc_puts(d, t != NULL ? t : "");
	fprintf(d->fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
	    doc_css);
	free(t);
}

void
doc_end(struct doc *d)
{
	if (d->fmt == DOC_HTML)
		fputs("</body>\n</html>\n", d->fp);
}

void
doc_heading(struct doc *d, int level, const char *s)
{
	char		*e, *wr;
	const char	*p, *nl;
	size_t		 w, lw, len;
	int		 ch = level == 1 ? '=' : '-';

	if ((e = safeout_strdup(s, SAFEOUT_LINE)) == NULL)
		return;
	len = strlen(e);
	if (d->fmt != DOC_TEXT && level == 3) {
		/* "Predict first:" is a heading elsewhere: no colon */
		if (len > 0 && e[len - 1] == ':')
			e[--len] = '\0';
		else if (len >= 3 && strcmp(e + len - 3, "\xef\xbc\x9a") == 0)
			e[len -= 3] = '\0';
	}
	switch (d->fmt) {
	case DOC_HTML:
		fprintf(d->fp, "<h%d>", level);
		doc_puts(d, e);
		fprintf(d->fp, "</h%d>\n", level);
		break;
	case DOC_MD:
		fprintf(d->fp, "%.*s ", level, "###");
		doc_puts(d, e);
		fputs("\n\n", d->fp);
		break;
	default:
		/* wrapped to the width, underlined as wide as its widest
		   line */
		if ((wr = text_wrap(e, d->cols)) == NULL)
			break;
		fprintf(d->fp, "%s\n", wr);
		for (w = 0, p = wr; p != NULL; p = nl != NULL ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			lw = nl != NULL ? text_width_n(p, (size_t)(nl - p)) :
			    text_width(p);
			if (lw > w)
				w = lw;
		}
		free(wr);
		if (level < 3) {
			for (; w > 0; w--)
				fputc(ch, d->fp);
			fputc('\n', d->fp);
		}
	}
	free(e);
}

/* ---- paragraphs ------------------------------------------------------- */

/* Text: the escaped lines s wrapped to cols - indent, indented. */
static void
doc_text_plain(struct doc *d, const char *e, int indent)
{
	char		*w;
	const char	*p, *nl;

	w = text_wrap(e, d->cols - indent);
	if (w == NULL)
		return;
	for (p = w;;) {
		nl = strchr(p, '\n');
		if (nl != p && *p != '\0')
			fprintf(d->fp, "%*s", indent, "");
		fprintf(d->fp, "%.*s\n", nl ? (int)(nl - p) : (int)strlen(p),
		    p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(w);
}

/*
 * Markdown and HTML: paragraphs (blank lines between them); within one,
 * runs of indented lines (formulas, small tables in the narrative) are
 * kept as they are in a code block / <pre>, the other lines flow.
 */
static void
doc_text_flow(struct doc *d, const char *e)
{
	const char	*p = e, *nl, *line;
	size_t		 len;
	int		 mode = 0;	/* 0 none, 1 flowing, 2 kept */
	int		 ind;

	for (;;) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		line = p;
		ind = len > 0 && (line[0] == ' ' || line[0] == '\t');
		/* close the block the line does not continue */
		if (mode != 0 && (len == 0 || (ind ? 2 : 1) != mode)) {
			if (d->fmt == DOC_HTML)
				fputs(mode == 1 ? "</p>\n" : "</pre>\n", d->fp);
			else
				fputs("\n\n", d->fp);
			mode = 0;
		}
		if (len > 0) {
			if (mode == 0) {
				mode = ind ? 2 : 1;
				if (d->fmt == DOC_HTML)
					fputs(mode == 1 ? "<p>" : "<pre>",
					    d->fp);
			} else if (mode == 1)
				fputc(d->fmt == DOC_HTML ? '\n' : '\n', d->fp);
			else
				fputc('\n', d->fp);
			if (mode == 2 && d->fmt == DOC_MD)
				/* an indented code block: four spaces,
				   then the line as it is */
				fprintf(d->fp, "    %.*s", (int)len, line);
			else if (mode == 2)
				doc_html_esc(d->fp, line, len);
			else
				doc_put(d, line, len);
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (mode != 0) {
		if (d->fmt == DOC_HTML)
			fputs(mode == 1 ? "</p>\n" : "</pre>\n", d->fp);
		else
			fputs(mode == 1 ? "\n\n" : "\n\n", d->fp);
	}
}

void
doc_text(struct doc *d, const char *s, int indent)
{
	char	*e;

	if ((e = safeout_strdup(s, SAFEOUT_TEXT)) == NULL)
		return;
	if (d->fmt == DOC_TEXT)
		doc_text_plain(d, e, indent);
	else
		doc_text_flow(d, e);
	free(e);
}

void
doc_line(struct doc *d, const char *lead, const char *s, int hang)
{
	char		*e, *all, *w;
	const char	*p, *nl;
	int		 first = 1;

	if ((e = safeout_strdup(s, SAFEOUT_LINE)) == NULL)
		return;
	switch (d->fmt) {
	case DOC_HTML:
	case DOC_MD:
		if (d->fmt == DOC_HTML)
			fputs("<p>", d->fp);
		doc_puts(d, doc_lstrip(lead));
		doc_puts(d, e);
		fputs(d->fmt == DOC_HTML ? "</p>\n" : "\n\n", d->fp);
		break;
	default:
		if (asprintf(&all, "%s%s", lead, e) < 0)
			break;
		w = text_wrap(all, d->cols - hang);
		free(all);
		if (w == NULL)
			break;
		for (p = w;;) {
			nl = strchr(p, '\n');
			if (!first)
				fprintf(d->fp, "%*s", hang, "");
			first = 0;
			fprintf(d->fp, "%.*s\n", nl ? (int)(nl - p) :
			    (int)strlen(p), p);
			if (nl == NULL)
				break;
			p = nl + 1;
		}
		free(w);
	}
	free(e);
}

void
doc_note(struct doc *d, const char *s)
{
	char	*e;

	if (d->fmt == DOC_TEXT) {
		doc_text(d, s, 2);
		return;
	}
	if ((e = safeout_strdup(s, SAFEOUT_LINE)) == NULL)
		return;
	fputs(d->fmt == DOC_HTML ? "<p class=\"note\">" : "> ", d->fp);
	doc_puts(d, e);
	fputs(d->fmt == DOC_HTML ? "</p>\n" : "\n\n", d->fp);
	free(e);
}

void
doc_choice(struct doc *d, int k, const char *s)
{
	char	 lead[16];

	switch (d->fmt) {
	case DOC_HTML:
		fprintf(d->fp, "<p class=\"choice\"><b>%d)</b> ", k);
		break;
	case DOC_MD:
		/* "1\)": a numbered line, not a list that renumbers */
		fprintf(d->fp, "%d\\) ", k);
		break;
	default:
		snprintf(lead, sizeof lead, "  %d) ", k);
		doc_line(d, lead, s, 5);
		return;
	}
	{
		char *e = safeout_strdup(s, SAFEOUT_LINE);

		doc_puts(d, e != NULL ? e : "");
		free(e);
	}
	fputs(d->fmt == DOC_HTML ? "</p>\n" : "\n\n", d->fp);
}

/* ---- code -------------------------------------------------------------- */

/* Whether byte c of a command may end a line inside a quoted argument. */
static int
doc_cmd_break_in_quote(char c)
{
	return c == ',' || c == ';';
}

/*
 * A shell command as text lines of at most d->cols columns where it can be
 * broken: "  first line \" then lines indented by 6.  Between arguments a
 * line ends with " \".  An argument too long for a line of its own is
 * broken after a ',' or ';' with a backslash-newline, which the shell
 * removes; the next line then starts in column 0 (a blank there would
 * split the word), reopening the quote ("'...,'\" then "'...'") when the
 * break is inside one.  So the pasted command is the same words.
 */
static void
doc_cmd_text(struct doc *d, const char *cmd)
{
	const char	*p = cmd, *q, *sp, *wb, *r, *brk;
	int		 inq, width, indent = 2, reopen = 0, wq, inword;
	int		 wbq = 0;

	while (*p != '\0') {
		width = d->cols - indent - (reopen ? 1 : 0) - 2;
		/* the last break between arguments (sp) and inside one (wb,
		   wbq: inside quotes) that leave the line within width */
		sp = wb = NULL;
		inq = reopen;
		for (q = p; *q != '\0'; q++) {
			if ((int)text_width_n(p, (size_t)(q - p) + 1) > width)
				break;
			if (*q == '\'')
				inq = !inq;
			else if (!inq && *q == ' ')
				sp = q;
			else if (doc_cmd_break_in_quote(*q) && q[1] != '\0' &&
			    q[1] != ' ' && q[1] != '\'') {
				wb = q + 1;
				wbq = inq;
			}
		}
		fprintf(d->fp, "%*s%s", indent, "", reopen ? "'" : "");
		if (*q == '\0' || (sp == NULL && wb == NULL)) {
			/* the rest fits, or cannot be broken */
			fprintf(d->fp, "%s\n", p);
			break;
		}
		/* between arguments, unless the argument after the space
		   would not fit on a line of its own either */
		brk = sp;
		inword = 0;
		if (sp != NULL && wb != NULL && wb > sp) {
			r = sp + 1;
			for (wq = 0; *r != '\0' && (wq || *r != ' '); r++)
				if (*r == '\'')
					wq = !wq;
			if ((int)text_width_n(sp + 1, (size_t)(r - sp - 1)) >
			    d->cols - 6 - 2)
				brk = NULL;
		}
		if (brk == NULL) {
			brk = wb;
			inword = 1;
		}
		if (inword) {
			fprintf(d->fp, "%.*s%s\\\n", (int)(brk - p), p,
			    wbq ? "'" : "");
			p = brk;
			reopen = wbq;
			indent = 0;
		} else {
			fprintf(d->fp, "%.*s \\\n", (int)(brk - p), p);
			p = brk + 1;
			reopen = 0;
			indent = 6;
		}
	}
}

void
doc_code(struct doc *d, const char *code, const char *lang)
{
	char		*e, *w;
	const char	*p, *nl;
	int		 fl;

	if ((e = safeout_strdup(code, strcmp(lang, "sh") == 0 ? SAFEOUT_LINE :
	    SAFEOUT_TEXT)) == NULL)
		return;
	switch (d->fmt) {
	case DOC_HTML:
		fprintf(d->fp, "<pre class=\"code %s\"><code>", lang);
		doc_html_esc(d->fp, e, strlen(e));
		fputs("</code></pre>\n", d->fp);
		break;
	case DOC_MD:
		fl = doc_fence_len(e);
		fprintf(d->fp, "%.*s%s\n%s\n%.*s\n\n", fl,
		    "````````````````````````````````", lang, e, fl,
		    "````````````````````````````````");
		break;
	default:
		if (strcmp(lang, "sh") == 0) {
			doc_cmd_text(d, e);
			break;
		}
		if ((w = pycode_wrap(e, d->cols - 4)) == NULL)
			break;
		for (p = w;;) {
			nl = strchr(p, '\n');
			if (nl != p && *p != '\0')
				fputs("    ", d->fp);
			fprintf(d->fp, "%.*s\n", nl ? (int)(nl - p) :
			    (int)strlen(p), p);
			if (nl == NULL)
				break;
			p = nl + 1;
		}
		free(w);
	}
	free(e);
}

/* ---- pictures ---------------------------------------------------------- */

/* Whether s (at most end) starts with the NUL-terminated word w. */
static int
doc_at(const char *s, const char *end, const char *w)
{
	size_t	n = strlen(w);

	return (size_t)(end - s) >= n && memcmp(s, w, n) == 0;
}

void
doc_svg(struct doc *d, const char *svg, size_t len, const char *caption)
{
	const char	*p = svg, *end = svg + len, *q;
	char		 pre[32];
	int		 in_root = 0;

	if (d->fmt != DOC_HTML)
		return;
	d->npics++;
	snprintf(pre, sizeof pre, "p%d-", d->npics);
	fputs("<figure>\n", d->fp);
	while (p < end) {
		if (doc_at(p, end, "<?xml") || doc_at(p, end, "<!DOCTYPE")) {
			/* the declaration and the DOCTYPE (which names an
			   outside DTD) are not part of an HTML page */
			q = memchr(p, '>', (size_t)(end - p));
			p = q != NULL ? q + 1 : end;
			continue;
		}
		if (doc_at(p, end, "<svg"))
			in_root = 1;
		if (in_root && *p == '>')
			in_root = 0;
		if (in_root && (doc_at(p, end, " xmlns=\"") ||
		    doc_at(p, end, " xmlns:xlink=\"") ||
		    doc_at(p, end, "\nxmlns") || doc_at(p, end, " xmlns"))) {
			/* namespace attributes: HTML knows <svg> */
			q = memchr(p + 1, '"', (size_t)(end - p - 1));
			if (q != NULL)
				q = memchr(q + 1, '"', (size_t)(end - q - 1));
			p = q != NULL ? q + 1 : end;
			continue;
		}
		if (doc_at(p, end, "id='") || doc_at(p, end, "id=\"")) {
			fwrite(p, 1, 4, d->fp);
			fputs(pre, d->fp);
			p += 4;
			continue;
		}
		if (doc_at(p, end, "href='#") || doc_at(p, end, "href=\"#")) {
			fwrite(p, 1, 7, d->fp);
			fputs(pre, d->fp);
			p += 7;
			continue;
		}
		if (doc_at(p, end, "url(#")) {
			fputs("url(#", d->fp);
			fputs(pre, d->fp);
			p += 5;
			continue;
		}
		fputc(*p++, d->fp);
	}
	if (caption != NULL) {
		char *e = safeout_strdup(caption, SAFEOUT_LINE);

		fputs("<figcaption>", d->fp);
		doc_puts(d, e != NULL ? e : "");
		fputs("</figcaption>\n", d->fp);
		free(e);
	}
	fputs("</figure>\n", d->fp);
}

void
doc_image(struct doc *d, const char *file, const char *caption)
{
	char	*c, *f;

	if (d->fmt != DOC_MD)
		return;
	c = safeout_strdup(caption, SAFEOUT_LINE);
	f = safeout_strdup(file, SAFEOUT_LINE);
	fputs("![", d->fp);
	doc_puts(d, c != NULL ? c : "");
	fputs("](", d->fp);
	/* a link destination: angle brackets allow any name but < > \n */
	fprintf(d->fp, "<%s>)\n\n", f != NULL ? f : "");
	free(c);
	free(f);
}
