/*
 * plot_train.h -- the training lab's plots through gnuplot (`losslab plot
 * training`, `losslab train --plot FILE`): the loss and the accuracy
 * against the epoch, the decision regions over 2-D data (multilabel data:
 * each label's decision boundary, where its probability is 0.5), and the
 * reliability diagram of a binary task; the correct run and, when there is
 * one, the pitfall's run from the same start side by side.
 *
 * Every number comes from the training lab (core/train.h: the history of
 * each run, train_predict() for the model outputs) or the loss core
 * (pitfall_eval() for a pitfall's floor); this module only groups them
 * (the calibration bins) and writes a gnuplot script under plot.c's rules:
 * numbers only in inline datablocks (dtoa_fmt: exactly, so that they
 * read back as the JSON of `losslab train --json` reports them; NaN for
 * inf, nan and missing entries), text only through plot_sanitize() in
 * single quotes with the terminals `noenhanced`, no file name ever given
 * to gnuplot (it writes to a pipe; plot_train_export() writes the file,
 * after the check of its format, through a temporary name).
 */
#ifndef LOSSLAB_PLOT_TRAIN_H
#define LOSSLAB_PLOT_TRAIN_H

#include <stddef.h>

#include "core/train.h"
#include "plot.h"

struct strbuf;

/* The kinds: id, `losslab plot training ID`, one-line description. */
#define PLOT_TRAIN_KINDS \
	X(PLOT_TRAIN_LOSS, "loss", \
	    "the correct loss of each run against the epoch (the pitfall's " \
	    "own objective dashed)") \
	X(PLOT_TRAIN_ACCURACY, "accuracy", \
	    "the accuracy of each run against the epoch") \
	X(PLOT_TRAIN_BOUNDARY, "boundary", \
	    "the decision regions of the trained model over 2-D data, with " \
	    "the points (multilabel: each label's p = 0.5 line)") \
	X(PLOT_TRAIN_CALIBRATION, "calibration", \
	    "binary tasks: the reliability diagram (observed frequency " \
	    "against predicted probability, points per bin)")

enum plot_train_kind {
#define X(id, name, desc) id,
	PLOT_TRAIN_KINDS
#undef X
	PLOT_TRAIN_KIND_COUNT
};

#define PLOT_TRAIN_BINS		10	/* calibration bins over [0, 1] */
#define PLOT_TRAIN_MAX_CLASSES	64	/* classes a boundary plot draws */
#define PLOT_TRAIN_MAX_LABELS	6	/* multilabel: labels it draws (2^6
					   combinations of them) */

/* What to draw. */
struct plot_train_req {
	enum plot_train_kind	 kind;
	const struct train	*run;		/* the correct run (its data) */
	const struct train	*pitfall;	/* the pitfall's run, or NULL */
	int			 log;		/* loss: a logarithmic y axis */
	const char		*title;		/* replaces the title, or NULL;
						   sanitised */
	const char		*lang;		/* "en", "zh"; NULL: "en" */
};

/* "loss", "accuracy", "boundary", "calibration"; the description. */
const char *plot_train_kind_name(enum plot_train_kind k);
const char *plot_train_kind_desc(enum plot_train_kind k);
/* 0, or -1 if name is no kind. */
int	 plot_train_kind_parse(const char *name, enum plot_train_kind *k);

/*
 * Whether r can be drawn: 0, or -1 with e set to why not ("boundary needs
 * 2-D points (the data have 3 features)", "calibration needs a binary
 * task (2 classes, one label per point)", "calibration: multi-margin
 * gives scores, not probabilities", "boundary draws at most 64 classes
 * (these data have 65)", "--log is for the loss plot").
 */
int	 plot_train_check(const struct plot_train_req *r, struct err *e);

/*
 * The gnuplot script of r in fmt at w x h (pixels, characters for text;
 * in range) appended to b.  0, or -1 with e set: plot_train_check()'s
 * reasons, a log axis with no loss above 0, out of memory.
 */
int	 plot_train_script(const struct plot_train_req *r,
	    enum plot_format fmt, int w, int h, struct strbuf *b,
	    struct err *e);

/*
 * Render r in fmt (0 x 0: 960x540 pixels, 80x24 characters) into out, as
 * plot_render() does: the output checked by plot_check_*() of its format.
 * 0, or -1 with e set (the script's reasons, gnuplot's failure, the size
 * out of range, an output that fails its check).
 */
int	 plot_train_render(const struct plot_train_req *r,
	    enum plot_format fmt, int w, int h, struct strbuf *out,
	    struct err *e);

/*
 * Render r and write it to path with plot.c's writer (plot_save_ok() before
 * gnuplot runs, plot_save() after: a temporary file beside it, renamed into
 * place; nothing is left behind on failure; a symbolic link is refused,
 * before the drawing and again before the rename, as `losslab plot --out`
 * refuses it).  0, or -1 with e set as plot_train_render(), or the file's
 * error ("x.png is a symbolic link: not written through it ...").
 */
int	 plot_train_export(const struct plot_train_req *r, const char *path,
	    enum plot_format fmt, int w, int h, struct err *e);

/*
 * The calibration bins of run t (its final parameters on its data): for
 * bin b of PLOT_TRAIN_BINS over [0, 1] (p in [b/B, (b+1)/B), the last
 * closed), count[b] points, conf[b] their mean predicted probability of
 * class 1 and freq[b] the fraction of them in class 1 (NaN when count is
 * 0); *ece the expected calibration error, sum_b count/n |freq - conf|.
 * 0, or -1 with e set (as plot_train_check(), out of memory).
 */
int	 plot_train_calibration(const struct train *t, size_t *count,
	    double *conf, double *freq, double *ece, struct err *e);

#endif
