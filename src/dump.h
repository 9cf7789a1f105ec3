/*
 * dump.h -- `losslab --dump LESSON`: a lesson as a handout, without a
 * terminal, through the session model (every number the live computed
 * value): plain text fitted to $COLUMNS (else the terminal's width, else
 * 80), Markdown with its pictures beside it, one self-contained HTML page
 * with every step's plot inline, or JSON with every computed value.  The
 * student copy leaves out what answers the predict-first questions, the
 * key keeps only the questions and their answers.
 */
#ifndef LOSSLAB_DUMP_H
#define LOSSLAB_DUMP_H

#include <stdio.h>

#include "app.h"
#include "doc.h"
#include "lesson.h"
#include "session.h"
#include "step.h"

/* dump flags */
#define DUMP_EDITS	0x1	/* say where the values are the learner's */

/* The handout formats (--format); one table, the ids are the option's. */
#define DUMP_FORMAT_TABLE \
	X(DUMP_TEXT, "text") \
	X(DUMP_MD, "md") \
	X(DUMP_HTML, "html") \
	X(DUMP_JSON, "json")

enum dump_format {
#define X(id, name) id,
	DUMP_FORMAT_TABLE
#undef X
	DUMP_FORMAT_COUNT
};

/* What of the predict-first questions a handout shows. */
enum dump_answers {
	DUMP_ANSWERS_ALL,	/* the teacher's copy: everything */
	DUMP_ANSWERS_NONE,	/* --no-answers: the student copy */
	DUMP_ANSWERS_ONLY	/* --answers-only: the key */
};

/* The options of `--dump`, filled by main.c. */
struct dump_opts {
	enum dump_format	 fmt;
	enum dump_answers	 answers;
	const char		*out;		/* --out FILE, or NULL: stdout */
	int			 cols;		/* text: the width; 0: from
						   $COLUMNS or the terminal */
	/* The Markdown pictures: written as PICS-stepN.svg; NULL: none (the
	   `losslab plot` command instead).  Set by dump_main from --out. */
	const char		*pics;
};

/* Parse a --format name; 0, or -1 if unknown. */
int	 dump_format_parse(const char *name, enum dump_format *f);
/* The names, for messages: "text, md, html or json". */
const char *dump_format_names(void);

/* Write the handout of lesson `lesson` (an id or a path) as o says;
   returns the exit status: 0, or 2 after "losslab: ..." on stderr
   (unknown or broken lesson, --out into a missing folder or through a
   symbolic link, a failed write), or 2 alone when standard output failed
   (main.c says so at exit). */
int	 dump_main(const struct app_opts *app, const char *lesson,
	    const struct dump_opts *o);
/* Print a whole lesson as text, with its own values, wrapped to cols
   columns; 0, or -1 when out of memory or a step cannot be set up. */
int	 dump_lesson(FILE *out, const struct lesson *l, int cols);
/* Print every step of a live session as it stands (its current step
   changes; questions are revealed, as a handout shows answers); 0 or -1. */
int	 dump_session(FILE *out, struct session *ss, int cols,
	    unsigned flags);
/* The same in any format but JSON, with o's answers. */
int	 dump_session_doc(struct doc *d, struct session *ss,
	    const struct dump_opts *o, unsigned flags);
/* Print the session's current step (heading "Step n/N: title" included);
   its question is revealed.  0 or -1. */
int	 dump_step(FILE *out, struct session *ss, int cols, unsigned flags);
/* Set the current step up as a handout shows it: its own pitfall shown
   beside the right way, the plot at its own marks, its question revealed
   unless keep_question. */
void	 dump_prepare(struct session *ss, int keep_question);
/* One line saying what the reduced value is, e.g. "mean over 3 elements";
   written into buf. */
const char *dump_value_what(const struct step *s, char *buf, size_t len);
/* Whether the loss gives one value per sample rather than per element. */
int	 dump_per_sample(enum loss_id id);
/* The kind of input a loss reads: "logits", "probabilities", ... */
const char *dump_kind_name(enum loss_id id);

/* dump_json.c: every step of the session with every computed value as one
   JSON document (schema: losslab(1), "JSON HANDOUTS"); 0, or -1 when a
   step cannot be set up. */
int	 dump_json(FILE *out, struct session *ss, enum dump_answers answers);

#endif
