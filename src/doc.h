/*
 * doc.h -- the handout writer of `losslab --dump`: headings, paragraphs,
 * tables, code and pictures, laid out as plain text, Markdown or HTML.
 *
 * dump.c decides what a lesson's handout says; this module decides how it
 * looks in each format.  Plain text is wrapped to d->cols display columns
 * (text.h: Chinese is two columns a character): paragraphs at spaces,
 * tables split into column groups that fit (the first column repeated),
 * shell commands broken with a backslash, also inside a quoted argument
 * ('a,b'\ + newline + 'c' reads back as 'a,bc'), Python code by
 * pycode_wrap().  Markdown keeps the lesson's line structure (indented
 * formula lines become code blocks), escapes Markdown's punctuation and
 * fences tables and code.  HTML is one self-contained page: inline CSS
 * (A4 print rules, a Chinese font stack), every text escaped, tables as
 * <table>, pictures as inline <svg> whose ids are made unique per picture.
 *
 * Every piece of text from a lesson goes through safeout.h first, so no
 * control character reaches the output whatever the format.  No curses.
 */
#ifndef LOSSLAB_DOC_H
#define LOSSLAB_DOC_H

#include <stddef.h>
#include <stdio.h>

enum doc_format {
	DOC_TEXT,
	DOC_MD,
	DOC_HTML
};

struct doc {
	FILE		*fp;
	enum doc_format	 fmt;
	int		 cols;		/* text: the width to fit (>= 20) */
	int		 npics;		/* pictures written so far (ids) */
};

/* A table of cells, rows x cols strings (NULL: empty). */
struct doc_table {
	size_t		 rows, cols;
	char		**cell;
	int		 header;	/* row 0 names the columns */
	int		 label;		/* column 0 names the rows (text:
					   repeated in every column group) */
};

/* 0, or -1 when out of memory. */
int	 doc_table_init(struct doc_table *t, size_t rows, size_t cols);
/* Set a cell to a copy of s escaped as one line (safeout.h). */
void	 doc_table_set(struct doc_table *t, size_t r, size_t c, const char *s);
void	 doc_table_free(struct doc_table *t);

/* The page around everything else (HTML: head, CSS; else nothing); lang
   is "en" or "zh", title the lesson's (escaped here). */
void	 doc_begin(struct doc *d, const char *lang, const char *title);
void	 doc_end(struct doc *d);
/* A heading: 1 the lesson, 2 a step, 3 a section of a step. */
void	 doc_heading(struct doc *d, int level, const char *s);
/* Lines of text (a narrative: paragraphs separated by blank lines, an
   indented line kept as it is), indented by indent columns in text. */
void	 doc_text(struct doc *d, const char *s, int indent);
/* One paragraph "lead s", continuation lines indented by hang columns in
   text (lead is the program's, s is escaped). */
void	 doc_line(struct doc *d, const char *lead, const char *s, int hang);
/* A warning or note about the line before it. */
void	 doc_note(struct doc *d, const char *s);
/* A numbered choice of a question; k is 1-based. */
void	 doc_choice(struct doc *d, int k, const char *s);
void	 doc_table(struct doc *d, const struct doc_table *t, int indent);
/* Program code: lang "python" (text: wrapped by pycode_wrap, so it stays
   Python) or "sh" (a command line, broken so that a shell reads it back
   as it is). */
void	 doc_code(struct doc *d, const char *code, const char *lang);
/* An SVG picture (HTML only: inlined, its XML declaration, DOCTYPE and
   namespace attributes dropped, its ids prefixed so that several live on
   one page), with a caption. */
void	 doc_svg(struct doc *d, const char *svg, size_t len,
	    const char *caption);
/* A Markdown picture link to file (a name beside the document). */
void	 doc_image(struct doc *d, const char *file, const char *caption);

#endif
