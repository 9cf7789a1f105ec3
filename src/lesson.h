/*
 * lesson.h -- lessons as data: the lesson file format's parser and the
 * catalogue of every lesson found on the search path.
 *
 * A lesson is a plain-text file (format: lessons/README.md) naming a loss,
 * the options the learner may edit, and a sequence of steps; each step holds
 * narrative text (with live {placeholders} that src/step.c fills from the
 * core's results), input values, targets, options, an optional pitfall, an
 * optional plot kind, an optional "predict first" question and the PyTorch
 * code computing the same thing.  This module only parses and catalogues: it
 * computes nothing and never includes curses.  A broken file never crashes
 * anything: loading returns NULL with a "file:line: message" error.
 *
 * Search path, earliest wins for the same id + language: --lessons DIR,
 * $XDG_DATA_HOME/losslab/lessons (default ~/.local/share/losslab/lessons),
 * the shipped lessons (PKGDATADIR/lessons, or $LOSSLAB_DATADIR/lessons:
 * see datadir.h).  File names
 * are ID.LANG.lesson (ID.lesson is taken as English unless `lang:` says
 * otherwise).
 */
#ifndef LOSSLAB_LESSON_H
#define LOSSLAB_LESSON_H

#include <stddef.h>

#include "app.h"
#include "core/dtype.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "core/train.h"

/* Options a lesson may expose for editing (bit mask in lesson.options). */
#define LESSON_OPT_REDUCTION		0x001
#define LESSON_OPT_WEIGHT		0x002
#define LESSON_OPT_POS_WEIGHT		0x004
#define LESSON_OPT_IGNORE_INDEX		0x008
#define LESSON_OPT_LABEL_SMOOTHING	0x010
#define LESSON_OPT_MARGIN		0x020
#define LESSON_OPT_P			0x040
#define LESSON_OPT_ALPHA		0x080
#define LESSON_OPT_GAMMA		0x100
#define LESSON_OPT_LOG_TARGET		0x200
#define LESSON_OPT_COUNT		10

/*
 * Limits of a lesson file (lessons/README.md, "Limits"); over one, the file
 * is broken with a message that names it.  The tensors' limits bound the
 * memory a file may ask for: each step holds its own copy of what it keeps
 * from the step before.
 */
/* Longest accepted line in a lesson file, in bytes (longer: an error). */
#define LESSON_LINE_MAX			4096
/* Largest lesson file, in bytes (16 MiB). */
#define LESSON_FILE_MAX			(16 << 20)
/* Most steps in a lesson. */
#define LESSON_STEPS_MAX		200
/* Most values in one tensor (input, target, weight, pos_weight). */
#define LESSON_VALUES_MAX		(1 << 20)
/* Most values in the tensors of all the steps together. */
#define LESSON_TOTAL_VALUES_MAX		(1 << 24)
/* Most choices a predict-first question may offer. */
#define LESSON_CHOICES_MAX		8
/* Most plot marks a step may ask for (`mark:`). */
#define LESSON_MARKS_MAX		8
/* lesson_step.nmarks for `mark: all`: every element (element-wise losses)
   or sample (per-sample losses). */
#define LESSON_MARK_ALL			(-1)

/* The plot kinds a step may name (src/plot.h draws them). */
extern const char *const lesson_plot_kinds[];	/* NULL-terminated */

/* The "predict first" question: the learner answers before the value shows. */
struct lesson_predict {
	char	*question;	/* template text; NULL: the step has none */
	int	 nchoices;	/* 0: free-form answer */
	char	*choices[LESSON_CHOICES_MAX];	/* templates */
	int	 correct;	/* 0-based index of the right choice, -1 if none */
	char	*prompt;	/* free-form: the prompt, e.g. "your guess"; or NULL */
	char	*answer;	/* template revealed afterwards, e.g. "{value}"; or NULL */
	char	*explain;	/* template: why, shown with the answer; or NULL */
	double	 tolerance;	/* `tolerance:` for numeric guesses at a
				   free-form question: a relative tolerance
				   ("10%" -> 0.1, the default) or, when
				   tolerance_abs, an absolute one ("0.05") */
	int	 tolerance_abs;
};

/*
 * One plot mark a step asks for (`mark:`).  "mark: I" is element I
 * (row-major) of an element-wise loss, or sample I of a per-sample loss
 * (ce, nll, multi-margin, multilabel-soft-margin), stored as r = I, c = -1;
 * "mark: [R][C]" is the input cell (R, C), stored as r = R, c = C.  The
 * session resolves them against the live shapes (src/session.h).
 */
struct lesson_mark {
	long	 r;
	long	 c;
};

/*
 * A step that trains live (`train:` key=value ...; lessons/README.md): the
 * data set to generate and the run's spec (core/train.h), with the
 * pitfall run (spec.pitfall) trained beside the correct one from the same
 * start.  line 0: the step does not train.  spec.opts takes only scalar
 * options (no weight or pos_weight).
 */
#define LESSON_TRAIN_EPOCHS_MAX		10000	/* a lesson's epochs= */
#define LESSON_TRAIN_POINTS_MAX		2000	/* a lesson's n= */

struct lesson_train {
	int		 line;		/* of its "train:" line; 0: none */
	enum data_kind	 data;		/* a generated set (not csv) */
	size_t		 n;		/* points (default 200) */
	int		 classes;	/* 0: the set's default */
	double		 noise;		/* NaN: the set's default */
	double		 goal;		/* goal=: {train.reach} is the first
					   epoch whose correct loss is below
					   it; NaN: none */
	int		 own_loss;	/* loss= given (else the step's) */
	struct train_spec spec;		/* spec.pitfall: PITFALL_NONE for a
					   single run */
};

struct lesson_step {
	int		 line;		/* line of its "step:" header */
	char		*title;		/* the text after "step:" */
	char		*text;		/* narrative template with {placeholders} */
	char		*code;		/* the PyTorch line(s); never NULL after
					   a successful load (may be "") */
	enum loss_id	 loss;		/* the lesson's loss unless overridden */
	struct mat	 input;
	struct mat	 target;
	struct mat	 weight;	/* ndim 0 (MAT_INIT): none */
	struct mat	 pos_weight;	/* ndim 0 (MAT_INIT): none */
	struct loss_opts opts;		/* weight/pos_weight pointers are NULL
					   here: use the mats above */
	enum pitfall_id	 pitfall;	/* PITFALL_NONE: none */
	char		*plot;		/* a lesson_plot_kinds entry, or NULL */
	int		 nmarks;	/* `mark:` entries; 0: none given (the
					   session's default), LESSON_MARK_ALL:
					   `mark: all` */
	struct lesson_mark marks[LESSON_MARKS_MAX];
	struct lesson_predict predict;
	struct lesson_train train;	/* train.line 0: no training */
	enum dtype	 target_dtype;	/* `target_dtype:`, the learner's
					   target tensor's dtype; DTYPE_COUNT:
					   what the loss takes (the input's
					   dtype, `dtype:`, is opts.float32) */
};

struct lesson {
	char		*path;		/* the file it came from */
	char		*id;
	char		*lang;		/* "en", "zh" */
	char		*title;
	char		*summary;	/* one line; may be "" */
	enum loss_id	 loss;		/* the default loss of its steps */
	unsigned	 options;	/* LESSON_OPT_* the learner may edit */
	size_t		 nsteps;	/* >= 1 */
	struct lesson_step *steps;

	/* Private to lesson.c: the file's text as it was parsed (srclen
	   bytes and a NUL), which lesson_write copies. */
	char		*src;
	size_t		 srclen;
};

/*
 * Parse the lesson file at path.  Returns a new lesson (free with
 * lesson_free), or NULL with err (which may be NULL) set to
 * "path:line: message" (line 0 or
 * omitted when the file cannot be read: "path: not a regular file (a
 * FIFO)", "path: file too large (over 16 MiB, the limit)").  Only a
 * regular file is read, and opening one never blocks.  Never crashes on
 * any input.
 */
struct lesson	*lesson_load(const char *path, struct err *err);
/* Parse len bytes of buf as if read from file `name`; as lesson_load. */
struct lesson	*lesson_parse(const char *name, const char *buf, size_t len,
		    struct err *err);
/* Free a lesson; NULL is accepted. */
void		 lesson_free(struct lesson *l);

/* "reduction", "weight", "pos_weight", ... for one LESSON_OPT_* bit. */
const char	*lesson_option_name(unsigned opt);
/*
 * Parse the options of a `train:` line ("data=xor model=mlp lr=0.5 ...",
 * the names of `losslab train`'s options) into *t for a step whose loss
 * is step_loss (the default of loss=).  Returns 0, or -1 with err set to
 * one line ("lr=0: the learning rate must be > 0"): an unknown key or
 * value, a number out of range, a spec the trainer refuses for its data.
 */
int		 lesson_train_parse(const char *val, enum loss_id step_loss,
		    struct lesson_train *t, struct err *err);
/* The `train:` value of t for a step whose loss is step_loss, which
   lesson_train_parse reads back as t: into buf; returns buf (cut at
   len). */
const char	*lesson_train_format(const struct lesson_train *t,
		    enum loss_id step_loss, char *buf, size_t len);
/* Whether a and b train the same runs. */
int		 lesson_train_same(const struct lesson_train *a,
		    const struct lesson_train *b);
/* Generate the data set of t into *d (free with data_free).  0, or -1
   with e set (out of memory). */
int		 lesson_train_data(const struct lesson_train *t,
		    struct data *d, struct err *e);

/* Whether s names a plot kind in lesson_plot_kinds. */
int		 lesson_plot_valid(const char *s);

/*
 * Save lesson l with the learner's values as a new lesson file in dir (NULL:
 * the user's lesson directory, $XDG_DATA_HOME/losslab/lessons, created if
 * missing).  steps has l->nsteps entries: the lesson's steps with the
 * learner's loss, tensors, options and pitfall put in (everything else --
 * texts, code, questions -- is taken from l).
 *
 * The file is l's own source text with as little changed as possible: every
 * comment, blank line, block, paragraph break and line ending the teacher
 * wrote is kept; the header's id and title lines are replaced (id ID-mine,
 * then ID-mine-2, ...; the title is `title`, one line of any text, written
 * as a block when it has to be), and a step's value lines are replaced in
 * place, or inserted after its "step:" line when the step used to inherit
 * the value, only where its value differs from what the new file would
 * give it otherwise.  Numbers are written in the shortest form that reads
 * back exactly (parse_fmt_exact).  The new file is parsed back before it
 * is named: it always loads, with exactly the values of `steps`.  It
 * appears atomically as ID-mine.LANG.lesson and never replaces a file.
 * Returns 0 with its path in path, or -1 with err set to one line.
 */
int		 lesson_write(const struct lesson *l,
		    const struct lesson_step *steps, const char *dir,
		    const char *title, char *path, size_t pathlen,
		    struct err *err);

/*
 * Parse the lesson file at path like lesson_load(), but report every
 * problem of the file instead of stopping at the first: each is passed to
 * report(ctx, msg) as one "path:line: message" line, in file order.
 * Returns the lesson (free with lesson_free) when the file has no problem,
 * else NULL; *nproblems (if not NULL) gets the number reported.
 */
struct lesson	*lesson_load_report(const char *path,
		    void (*report)(void *ctx, const char *msg), void *ctx,
		    int *nproblems);

/* ---- the catalogue ------------------------------------------------------ */

/* Where a catalogue entry was found. */
enum lesson_origin {
	LESSON_ORIGIN_ARG,	/* --lessons DIR */
	LESSON_ORIGIN_USER,	/* $XDG_DATA_HOME/losslab/lessons */
	LESSON_ORIGIN_INSTALLED,/* datadir_path("lessons") */
	LESSON_ORIGIN_FILE	/* a file named directly */
};

struct lesson_entry {
	char		*id;		/* from the file, or the file name if broken */
	char		*lang;		/* likewise */
	char		*title;		/* the lesson's title, or the file name */
	char		*path;
	enum lesson_origin origin;
	int		 broken;	/* the file did not parse */
	char		*error;		/* "path:line: message" if broken, else NULL */
	struct lesson	*lesson;	/* the parsed lesson, NULL if broken */
};

struct lesson_catalog {
	size_t		 n;
	struct lesson_entry *v;		/* in curriculum order (see below) */
};

#define LESSON_CATALOG_INIT	{ 0, NULL }

/* The fixed curriculum order (NULL-terminated); other ids follow it,
   alphabetically. */
extern const char *const lesson_curriculum[];

/*
 * Load every *.lesson file of the search path (app->lessons_dir first; app
 * may be NULL) into cat, parsing each one; broken files are kept as broken
 * entries, and so is anything named *.lesson that is not a regular file (a
 * FIFO, a device, a directory: its error says which; nothing blocks on
 * it).  An id + lang found earlier on the path shadows later ones.
 * Entries are sorted: curriculum order, then id, then English before other
 * languages.  Missing directories are skipped.  Returns 0, or -1 only when
 * out of memory.
 */
int		 lesson_catalog_load(struct lesson_catalog *cat,
		    const struct app_opts *app);
/* Add the lessons of one directory (or one file) with the given origin;
   shadowing as above.  0, or -1 when out of memory. */
int		 lesson_catalog_add(struct lesson_catalog *cat, const char *path,
		    enum lesson_origin origin);
/* Re-sort after lesson_catalog_add. */
void		 lesson_catalog_sort(struct lesson_catalog *cat);
void		 lesson_catalog_free(struct lesson_catalog *cat);

/* The entry for id in language lang (NULL: "en"), falling back to English,
   then to any language; NULL if no entry has that id. */
const struct lesson_entry *lesson_catalog_find(const struct lesson_catalog *cat,
		    const char *id, const char *lang);
/* The entry loaded from path (compared after realpath()); NULL if none. */
const struct lesson_entry *lesson_catalog_find_path(
		    const struct lesson_catalog *cat, const char *path);
/* "--lessons", "user", "installed", "source", "file". */
const char	*lesson_origin_name(enum lesson_origin o);

/*
 * Resolve what the user typed (an id, or a path: contains '/' or ends in
 * ".lesson") to a parsed lesson: a path is loaded directly, an id is looked
 * up on the search path in language lang with English fallback.  Returns a
 * new lesson (free with lesson_free) or NULL with err set to one line, e.g.
 * "no lesson 'foo'" or the file's parse error.
 */
struct lesson	*lesson_find(const struct app_opts *app, const char *what,
		    const char *lang, struct err *err);

#endif
