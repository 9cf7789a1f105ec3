/*
 * lesson.c -- the lesson file parser and the lesson catalogue.
 *
 * The format (documented for teachers in lessons/README.md) is line based:
 * "key: value" lines; a value of "<<<" opens a block that ends at a line
 * holding only ">>>"; "#" starts a comment line; "step: TITLE" starts a step.
 * Keys before the first step describe the lesson (and may give option
 * defaults); each step starts with a copy of the previous step's loss,
 * values and options, so a step only states what changes.  Parsing stops
 * at the first problem, reported as "file:line: message"; for the teacher's
 * validator the same parser can instead report every problem of a file.
 * lesson_write saves a lesson with the learner's values by editing a copy
 * of its source text, so that what the teacher wrote stays as written.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/curve.h"
#include "core/data.h"
#include "core/dtype.h"
#include "core/train.h"
#include "datadir.h"
#include "lesson.h"
#include "parse.h"
#include "strbuf.h"
#include "text.h"

/* the ids of the one list of plot kinds (core/curve.h) */
const char *const lesson_plot_kinds[] = {
#define X(c, p, id, desc)	id,
	CURVE_KINDS
#undef X
	NULL
};

const char *const lesson_curriculum[] = {
	"bce", "bce-logits", "ce", "multilabel", "nll-and-log-softmax",
	"double-sigmoid", "softmax-then-ce", "bce-on-logits", "naive-float32",
	"dtype-errors", "one-hot-vs-index", "ce-for-multilabel", "pos-weight",
	"label-smoothing", "focal", "margin-losses", "kl-div", "training", NULL
};

static const char *const lesson_opt_names[LESSON_OPT_COUNT] = {
	"reduction", "weight", "pos_weight", "ignore_index", "label_smoothing",
	"margin", "p", "alpha", "gamma", "log_target"
};

const char *
lesson_option_name(unsigned opt)
{
	int	i;

	for (i = 0; i < LESSON_OPT_COUNT; i++)
		if (opt == (1U << i))
			return lesson_opt_names[i];
	return NULL;
}

int
lesson_plot_valid(const char *s)
{
	int	i;

	for (i = 0; lesson_plot_kinds[i] != NULL; i++)
		if (strcmp(s, lesson_plot_kinds[i]) == 0)
			return 1;
	return 0;
}

/* ---- parser state ------------------------------------------------------- */

/*
 * The parser runs in one of two modes.  Stopping (lesson_parse, lesson_load)
 * keeps the first problem in err and abandons the file.  Reporting
 * (lesson_load_report) keeps every problem and goes on with the next line;
 * only problems after which the file cannot be read on (a bad line ending,
 * an unterminated block, no memory) stop it.  Checks that a broken line
 * would make fail as well (a step "has no input" after its input line was
 * refused) are skipped, so each problem is reported once, in the words the
 * stopping mode would use.
 */
struct lprob {
	int		 line;
	int		 seq;		/* report order, for a stable sort */
	char		*msg;		/* "path:line: message" */
};

/* Where a key's line (and block) lies in the source: for lesson_write. */
struct lspan {
	int		 step;		/* -1: the header */
	int		 key;		/* enum lkey */
	size_t		 beg, end;	/* byte offsets of the key line's start
					   and just past the value's last line
					   and its newline */
};

struct lparse {
	const char	*name;		/* file name for messages */
	const char	*buf;
	size_t		 len, pos;
	int		 lineno;	/* of the line last read */
	struct err	*err;		/* stopping mode: the first
					   problem (may be NULL) */
	int		 failed;	/* a problem was found */
	int		 fatal;		/* the rest cannot be read */

	int		 report;	/* reporting mode */
	struct lprob	*probs;
	size_t		 nprobs, probcap;
	int		 nlost;		/* problems not kept (no memory) */

	int		 want_spans;	/* record spans (lesson_write) */
	struct lspan	*spans;
	size_t		 nspans, spancap;

	struct lesson	*l;
	struct lesson_step *cur;	/* NULL: in the header */
	struct lesson_step defaults;	/* header values steps start from */
	unsigned long long seen;	/* keys given in the current section */
	unsigned long long broken;	/* keys whose line failed in it */
	unsigned long long anybroken;	/* keys whose line failed anywhere */
	int		 input_broken;	/* the current input (own or inherited)
					   is missing because a line failed */
	int		 target_broken;	/* likewise */
	int		 answer_line;	/* where "answer:" was, for checks */
	char		*answer_raw;	/* the raw answer value */
	int		 tolerance_line; /* where "tolerance:" was, or 0 */
	int		 train_line;	/* where "train:" was, or 0 */
	char		*train_raw;	/* its value, parsed when the step
					   ends (loss= defaults to the
					   step's loss) */
	size_t		 nvalues;	/* the tensors' values of the steps
					   ended so far */
};

#define LP_BIT(k)	(1ULL << (k))	/* K_COUNT <= 64 */

/* Whether parsing stops after a problem. */
static int
lp_stop(const struct lparse *p)
{
	return !p->report || p->fatal;
}

/* Keep one problem of the reporting mode; on no memory it is counted. */
static void
lp_keep(struct lparse *p, int line, const char *msg)
{
	struct lprob	*np;
	char		*full;
	int		 n;

	if (line > 0)
		n = asprintf(&full, "%s:%d: %s", p->name, line, msg);
	else
		n = asprintf(&full, "%s: %s", p->name, msg);
	if (n < 0) {
		p->nlost++;
		p->fatal = 1;
		return;
	}
	if (p->nprobs == p->probcap) {
		np = realloc(p->probs, (p->probcap ? p->probcap * 2 : 8) *
		    sizeof *np);
		if (np == NULL) {
			free(full);
			p->nlost++;
			p->fatal = 1;
			return;
		}
		p->probs = np;
		p->probcap = p->probcap ? p->probcap * 2 : 8;
	}
	p->probs[p->nprobs].line = line;
	p->probs[p->nprobs].seq = (int)p->nprobs;
	p->probs[p->nprobs].msg = full;
	p->nprobs++;
}

/* Record one problem: the first into err, or every one in reporting mode.
   Returns -1. */
static int __attribute__((format(printf, 4, 0)))
lp_verror(struct lparse *p, int fatal, int line, const char *fmt, va_list ap)
{
	char	msg[512];

	if (fatal)
		p->fatal = 1;
	if (p->failed && !p->report)
		return -1;
	p->failed = 1;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (p->report)
		lp_keep(p, line, msg);
	else if (line > 0)
		err_set(p->err, "%s:%d: %s", p->name, line, msg);
	else
		err_set(p->err, "%s: %s", p->name, msg);
	return -1;
}

/* A problem of one line; parsing may go on with the next. */
static int __attribute__((format(printf, 3, 4)))
lp_error(struct lparse *p, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	lp_verror(p, 0, line, fmt, ap);
	va_end(ap);
	return -1;
}

/* A problem after which the file cannot be read on. */
static int __attribute__((format(printf, 3, 4)))
lp_fatal(struct lparse *p, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	lp_verror(p, 1, line, fmt, ap);
	va_end(ap);
	return -1;
}

static int
lp_oom(struct lparse *p, int line)
{
	return lp_fatal(p, line, "out of memory");
}

/*
 * Read the next line into a malloc'd string, without its line ending: the
 * newline and any carriage returns before it (CRLF files read as LF ones).
 * Returns 1, 0 at end of input, -1 on error (too long, NUL byte, invalid
 * UTF-8).
 */
static int
lp_getline(struct lparse *p, char **out)
{
	const char	*s, *nl;
	size_t		 n;

	*out = NULL;
	if (p->pos >= p->len)
		return 0;
	s = p->buf + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - s) : p->len - p->pos;
	p->pos += n + (nl ? 1 : 0);
	p->lineno++;
	if (n > LESSON_LINE_MAX)
		return lp_fatal(p, p->lineno,
		    "line too long (%zu bytes; at most %d)", n, LESSON_LINE_MAX);
	if (memchr(s, '\0', n) != NULL)
		return lp_fatal(p, p->lineno, "NUL byte in line");
	if (!text_utf8_valid(s, n))
		return lp_fatal(p, p->lineno, "invalid UTF-8");
	while (n > 0 && s[n - 1] == '\r')
		n--;
	if ((*out = strndup(s, n)) == NULL)
		return lp_oom(p, p->lineno);
	return 1;
}

static char *
lp_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Whether the last character of s (UTF-8) or the first of t (tlen bytes)
   is wide: then lines are joined without a space (Chinese text). */
static int
lp_join_tight(const char *s, size_t slen, const char *t, size_t tlen)
{
	size_t		i;
	unsigned int	a, b;

	if (slen == 0 || tlen == 0)
		return 0;
	i = slen - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	text_decode(s + i, slen - i, &a);
	text_decode(t, tlen, &b);
	return text_cp_width(a) == 2 || text_cp_width(b) == 2;
}

/*
 * Reflow a narrative block: consecutive plain lines are joined into one
 * paragraph (with a space, or none between Chinese characters); blank lines
 * separate paragraphs; lines that start with a space or tab (formulas,
 * tables) and lines starting with "- " or "* " (lists) keep their line.
 * Linear in the length of the text.
 */
static char *
lp_reflow(const char *src)
{
	char		*out, *o;
	const char	*s = src, *nl;
	size_t		 n, olen = 0;
	int		 prev = 0;	/* 0: start/blank, 1: plain, 2: verbatim */
	int		 kind;

	if ((out = malloc(strlen(src) + 2)) == NULL)
		return NULL;
	o = out;
	for (;;) {
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0)
			kind = 0;
		else if (s[0] == ' ' || s[0] == '\t' ||
		    (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' '))
			kind = 2;
		else
			kind = 1;
		if (kind == 1 && prev == 1) {
			if (!lp_join_tight(out, olen, s, n))
				out[olen++] = ' ';
		} else if (olen > 0 || kind == 0)
			out[olen++] = '\n';
		memcpy(out + olen, s, n);
		olen += n;
		/* a list item's continuation lines join it */
		prev = kind == 2 && s[0] != ' ' && s[0] != '\t' ? 1 : kind;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	out[olen] = '\0';
	/* drop leading and trailing blank lines */
	o = out;
	while (*o == '\n')
		o++;
	memmove(out, o, strlen(o) + 1);
	olen = strlen(out);
	while (olen > 0 && out[olen - 1] == '\n')
		out[--olen] = '\0';
	return out;
}

/* Keys.  Flags: where a key may appear. */
#define K_HEADER	0x1
#define K_STEP		0x2
#define K_BOTH		(K_HEADER | K_STEP)

enum lkey {
	K_ID, K_LANG, K_TITLE, K_SUMMARY, K_OPTIONS, K_LOSS, K_STEPKEY,
	K_INPUT, K_TARGET, K_WEIGHT, K_POS_WEIGHT, K_REDUCTION,
	K_IGNORE_INDEX, K_LABEL_SMOOTHING, K_MARGIN, K_P, K_ALPHA, K_GAMMA,
	K_LOG_TARGET, K_PITFALL, K_PLOT, K_TEXT, K_CODE, K_PREDICT, K_CHOICES,
	K_ANSWER, K_PROMPT, K_EXPLAIN, K_MARK, K_TOLERANCE, K_TRAIN,
	K_DTYPE, K_TARGET_DTYPE, K_COUNT
};

static const struct {
	const char	*name;
	int		 where;
} lp_keys[K_COUNT] = {
	{ "id", K_HEADER }, { "lang", K_HEADER }, { "title", K_HEADER },
	{ "summary", K_HEADER }, { "options", K_HEADER }, { "loss", K_BOTH },
	{ "step", K_BOTH }, { "input", K_BOTH }, { "target", K_BOTH },
	{ "weight", K_BOTH }, { "pos_weight", K_BOTH },
	{ "reduction", K_BOTH }, { "ignore_index", K_BOTH },
	{ "label_smoothing", K_BOTH }, { "margin", K_BOTH }, { "p", K_BOTH },
	{ "alpha", K_BOTH }, { "gamma", K_BOTH }, { "log_target", K_BOTH },
	{ "pitfall", K_BOTH }, { "plot", K_STEP }, { "text", K_STEP },
	{ "code", K_STEP }, { "predict", K_STEP }, { "choices", K_STEP },
	{ "answer", K_STEP }, { "prompt", K_STEP }, { "explain", K_STEP },
	{ "mark", K_STEP }, { "tolerance", K_STEP }, { "train", K_STEP },
	{ "dtype", K_BOTH }, { "target_dtype", K_BOTH }
};

/* The tolerance of a guess when the step gives none: 10%. */
#define LP_TOLERANCE	0.1

/* The largest integer magnitude a lesson may give (2^53: up to it every
   integer is exactly a double, and it fits a long on LP64). */
#define LP_INT_MAX	9007199254740992.0

/*
 * Parse a tensor in the value syntax of the command line (parse.h, read by
 * parse_matrix_max: the same code as `losslab eval --input`), a block's
 * lines being its rows; "none" clears it (ndim 0).  A lesson's tensor holds
 * at least one value and at most LESSON_VALUES_MAX.  An error in a block
 * is reported on its row's line.  Returns 0, or -1 with the error set.
 */
static int
lp_mat(struct lparse *p, int kline, const char *key, const char *val,
    int block, struct mat *m)
{
	struct err	 e;
	size_t		 eline;

	mat_free(m);
	if (strcmp(val, "none") == 0)
		return 0;
	if (parse_matrix_max(val, key, LESSON_VALUES_MAX, &eline, m, &e) != 0)
		return lp_error(p, block ? kline + (int)eline : kline, "%s",
		    e.msg);
	if (mat_numel(m) == 0) {
		mat_free(m);
		return lp_error(p, kline, "%s has no values", key);
	}
	return 0;
}

/* ---- train: a step that trains live ------------------------------------- */

/*
 * The keys of a `train:` line: `losslab train`'s option names (one table;
 * lesson_train_parse reads them, lesson_train_format writes them in this
 * order), and goal= for the predict-first questions.
 */
#define LT_KEYS								\
	X(LT_DATA,	"data")						\
	X(LT_CLASSES,	"classes")					\
	X(LT_N,		"n")						\
	X(LT_SEED,	"seed")						\
	X(LT_NOISE,	"noise")					\
	X(LT_MODEL,	"model")					\
	X(LT_HIDDEN,	"hidden")					\
	X(LT_ACTIVATION, "activation")					\
	X(LT_LOSS,	"loss")						\
	X(LT_PITFALL,	"pitfall")					\
	X(LT_REDUCTION,	"reduction")					\
	X(LT_IGNORE_INDEX, "ignore-index")				\
	X(LT_LABEL_SMOOTHING, "label-smoothing")			\
	X(LT_MARGIN,	"margin")					\
	X(LT_P,		"p")						\
	X(LT_ALPHA,	"alpha")					\
	X(LT_GAMMA,	"gamma")					\
	X(LT_LR,	"lr")						\
	X(LT_MOMENTUM,	"momentum")					\
	X(LT_WEIGHT_DECAY, "weight-decay")				\
	X(LT_EPOCHS,	"epochs")					\
	X(LT_BATCH,	"batch")					\
	X(LT_GOAL,	"goal")

enum lt_key {
#define X(id, name) id,
	LT_KEYS
#undef X
	LT_COUNT
};

static const char *const lt_names[LT_COUNT] = {
#define X(id, name) name,
	LT_KEYS
#undef X
};

/* A number for key; finite, and >= 0 (> 0 when positive) if nonneg. */
static int
lt_number(const char *key, const char *v, int nonneg, int positive,
    double *out, struct err *err)
{
	if (parse_double(v, out) != 0) {
		err_set(err, "%s=%s: not a number", key, v);
		return -1;
	}
	if (!isfinite(*out) || (nonneg && *out < 0) ||
	    (positive && *out <= 0)) {
		err_set(err, "%s=%s: not a finite number%s", key, v,
		    positive ? " > 0" : nonneg ? " >= 0" : "");
		return -1;
	}
	return 0;
}

/* An integer for key in [lo, hi]. */
static int
lt_integer(const char *key, const char *v, long lo, long hi, long *out,
    struct err *err)
{
	if (parse_long(v, out) != 0 || *out < lo || *out > hi) {
		err_set(err, "%s=%s: not an integer from %ld to %ld",
		    key, v, lo, hi);
		return -1;
	}
	return 0;
}

static int
lt_value(struct lesson_train *t, enum lt_key k, const char *v, struct err *err)
{
	struct train_spec	*s = &t->spec;
	const char		*key = lt_names[k];
	unsigned long long	 u;
	char			*end;
	long			 n;

	switch (k) {
	case LT_DATA:
		if (data_kind_parse(v, &t->data) == 0)
			return 0;
		err_set(err, "data=%s: unknown data set (blobs, xor, "
		    "circles, spiral, multilabel; a lesson has no CSV file)",
		    v);
		return -1;
	case LT_CLASSES:
		if (lt_integer(key, v, 2, 20, &n, err) != 0)
			return -1;
		t->classes = (int)n;
		return 0;
	case LT_N:
		if (lt_integer(key, v, 1, LESSON_TRAIN_POINTS_MAX, &n,
		    err) != 0)
			return -1;
		t->n = (size_t)n;
		return 0;
	case LT_SEED:
		errno = 0;
		u = strtoull(v, &end, 10);
		if (*v < '0' || *v > '9' || *end != '\0' || errno != 0) {
			err_set(err, "seed=%s: not a seed (an integer "
			    "from 0 to 18446744073709551615)", v);
			return -1;
		}
		s->seed = (uint64_t)u;
		return 0;
	case LT_NOISE:
		return lt_number(key, v, 1, 0, &t->noise, err);
	case LT_MODEL:
		if (train_model_parse(v, &s->model) == 0)
			return 0;
		err_set(err, "model=%s: unknown model (linear, mlp)",
		    v);
		return -1;
	case LT_HIDDEN:
		if (lt_integer(key, v, 1, 64, &n, err) != 0)
			return -1;
		s->hidden = (size_t)n;
		return 0;
	case LT_ACTIVATION:
		if (train_activation_parse(v, &s->activation) == 0)
			return 0;
		err_set(err, "activation=%s: unknown activation "
		    "(tanh, relu)", v);
		return -1;
	case LT_LOSS:
		if (loss_parse(v, &s->loss) != 0) {
			err_set(err, "loss=%s: unknown loss", v);
			return -1;
		}
		t->own_loss = 1;
		return 0;
	case LT_PITFALL:
		if (strcmp(v, "none") == 0) {
			s->pitfall = PITFALL_NONE;
			return 0;
		}
		if (pitfall_parse(v, &s->pitfall) == 0)
			return 0;
		err_set(err, "pitfall=%s: unknown pitfall", v);
		return -1;
	case LT_REDUCTION:
		if (loss_reduction_parse(v, &s->opts.reduction) == 0 &&
		    (s->opts.reduction == LOSS_REDUCTION_MEAN ||
		    s->opts.reduction == LOSS_REDUCTION_SUM))
			return 0;
		err_set(err, "reduction=%s: training needs mean or "
		    "sum", v);
		return -1;
	case LT_IGNORE_INDEX:
		if (lt_integer(key, v, -1000000, 1000000, &n, err) != 0)
			return -1;
		s->opts.ignore_index = n;
		return 0;
	case LT_LABEL_SMOOTHING:
		return lt_number(key, v, 0, 0, &s->opts.label_smoothing, err);
	case LT_MARGIN:
		return lt_number(key, v, 0, 0, &s->opts.margin, err);
	case LT_P:
		if (lt_integer(key, v, 1, 2, &n, err) != 0)
			return -1;
		s->opts.p = (int)n;
		return 0;
	case LT_ALPHA:
		return lt_number(key, v, 0, 0, &s->opts.alpha, err);
	case LT_GAMMA:
		return lt_number(key, v, 0, 0, &s->opts.gamma, err);
	case LT_LR:
		return lt_number(key, v, 1, 1, &s->lr, err);
	case LT_MOMENTUM:
		return lt_number(key, v, 1, 0, &s->momentum, err);
	case LT_WEIGHT_DECAY:
		return lt_number(key, v, 1, 0, &s->weight_decay, err);
	case LT_EPOCHS:
		return lt_integer(key, v, 1, LESSON_TRAIN_EPOCHS_MAX,
		    &s->epochs, err);
	case LT_BATCH:
		if (strcmp(v, "full") == 0) {
			s->batch = 0;
			return 0;
		}
		if (lt_integer(key, v, 1, LESSON_TRAIN_POINTS_MAX, &n,
		    err) != 0)
			return -1;
		s->batch = (size_t)n;
		return 0;
	case LT_GOAL:
		return lt_number(key, v, 1, 1, &t->goal, err);
	case LT_COUNT:
		break;
	}
	err_set(err, "internal error");
	return -1;
}

int
lesson_train_data(const struct lesson_train *t, struct data *d,
    struct err *e)
{
	return data_generate(d, t->data, t->n, t->classes > 0 ? t->classes :
	    data_default_classes(t->data), isnan(t->noise) ?
	    data_default_noise(t->data) : t->noise, t->spec.seed, e);
}

/* Whether the runs of t can start: the trainer's own checks on its data. */
static int
lt_check(const struct lesson_train *t, struct err *err)
{
	struct data		 d = DATA_INIT;
	struct train		 run;
	struct train_spec	 s = t->spec;
	struct err		 e;
	int			 rc = 0;

	if (s.pitfall != PITFALL_NONE && pitfall_loss(s.pitfall) != s.loss) {
		err_set(err, "pitfall=%s imitates %s, not %s",
		    pitfall_name(s.pitfall), loss_name(pitfall_loss(s.pitfall)),
		    loss_name(s.loss));
		return -1;
	}
	if (!train_loss_ok(s.loss)) {
		err_set(err, "loss=%s is not trained (ce, "
		    "multi-margin, bce-logits, focal, multilabel-soft-margin)",
		    loss_name(s.loss));
		return -1;
	}
	if (lesson_train_data(t, &d, &e) != 0) {
		err_set(err, "data=%s: %s", data_kind_name(t->data),
		    e.msg);
		return -1;
	}
	/* the correct run, then the pitfall's */
	s.pitfall = PITFALL_NONE;
	if (train_init(&run, &d, &s, &e) != 0) {
		err_set(err, "%s", e.msg);
		rc = -1;
	} else
		train_free(&run);
	s.pitfall = t->spec.pitfall;
	if (rc == 0 && s.pitfall != PITFALL_NONE) {
		if (train_init(&run, &d, &s, &e) != 0) {
			err_set(err, "pitfall=%s: %s",
			    pitfall_name(s.pitfall), e.msg);
			rc = -1;
		} else
			train_free(&run);
	}
	data_free(&d);
	return rc;
}

int
lesson_train_parse(const char *val, enum loss_id step_loss,
    struct lesson_train *t, struct err *err)
{
	char		*s, *tok, *save = NULL, *eq;
	unsigned long	 seen = 0;
	int		 k, rc = -1;

	memset(t, 0, sizeof *t);
	t->line = 1;
	t->data = DATA_BLOBS;
	t->n = 200;
	t->noise = NAN;
	t->goal = NAN;
	train_spec_init(&t->spec);
	t->spec.loss = step_loss;
	if ((s = strdup(val)) == NULL) {
		err_set(err, "out of memory");
		return -1;
	}
	for (tok = strtok_r(s, " \t\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\n", &save)) {
		if ((eq = strchr(tok, '=')) == NULL) {
			err_set(err, "'%.40s' is not key=value (e.g. "
			    "lr=0.5)", tok);
			goto out;
		}
		*eq = '\0';
		for (k = 0; k < LT_COUNT; k++)
			if (strcmp(tok, lt_names[k]) == 0)
				break;
		if (k == LT_COUNT) {
			err_set(err, "unknown key '%.40s' (data, "
			    "classes, n, seed, noise, model, hidden, "
			    "activation, loss, pitfall, reduction, "
			    "ignore-index, label-smoothing, margin, p, alpha, gamma, lr, "
			    "momentum, weight-decay, epochs, batch, goal)", tok);
			goto out;
		}
		if (seen & (1UL << k)) {
			err_set(err, "%s= given twice", tok);
			goto out;
		}
		seen |= 1UL << k;
		if (lt_value(t, (enum lt_key)k, eq + 1, err) != 0)
			goto out;
	}
	if (!(seen & (1UL << LT_DATA)) || !(seen & (1UL << LT_MODEL)) ||
	    !(seen & (1UL << LT_LR)) || !(seen & (1UL << LT_EPOCHS))) {
		err_set(err, "needs data=, model=, lr= and epochs= "
		    "(e.g. data=xor model=mlp lr=0.5 epochs=300)");
		goto out;
	}
	if (t->spec.model != TRAIN_MLP && (seen & ((1UL << LT_HIDDEN) |
	    (1UL << LT_ACTIVATION)))) {
		err_set(err, "hidden= and activation= apply to "
		    "model=mlp only");
		goto out;
	}
	rc = lt_check(t, err);
out:
	free(s);
	return rc;
}

const char *
lesson_train_format(const struct lesson_train *t, enum loss_id step_loss,
    char *buf, size_t len)
{
	const struct train_spec	*s = &t->spec;
	struct loss_opts	 d;
	struct strbuf		 b = STRBUF_INIT;
	char			 num[64];

	loss_opts_init(&d);
#define LT_NUM(key, v)	strbuf_printf(&b, " %s=%s", key,		\
			    parse_fmt_exact(v, num, sizeof num))
	strbuf_printf(&b, "data=%s", data_kind_name(t->data));
	if (t->classes > 0)
		strbuf_printf(&b, " classes=%d", t->classes);
	if (t->n != 200)
		strbuf_printf(&b, " n=%zu", t->n);
	if (s->seed != 1)
		strbuf_printf(&b, " seed=%llu", (unsigned long long)s->seed);
	if (!isnan(t->noise))
		LT_NUM("noise", t->noise);
	strbuf_printf(&b, " model=%s", train_model_name(s->model));
	if (s->model == TRAIN_MLP)
		strbuf_printf(&b, " hidden=%zu activation=%s", s->hidden,
		    train_activation_name(s->activation));
	if (t->own_loss || s->loss != step_loss)
		strbuf_printf(&b, " loss=%s", loss_name(s->loss));
	if (s->pitfall != PITFALL_NONE)
		strbuf_printf(&b, " pitfall=%s", pitfall_name(s->pitfall));
	if (s->opts.reduction != d.reduction)
		strbuf_printf(&b, " reduction=%s",
		    loss_reduction_name(s->opts.reduction));
	if (s->opts.ignore_index != d.ignore_index)
		strbuf_printf(&b, " ignore-index=%ld", s->opts.ignore_index);
	if (s->opts.label_smoothing != d.label_smoothing)
		LT_NUM("label-smoothing", s->opts.label_smoothing);
	if (s->opts.margin != d.margin)
		LT_NUM("margin", s->opts.margin);
	if (s->opts.p != d.p)
		strbuf_printf(&b, " p=%d", s->opts.p);
	if (s->opts.alpha != d.alpha)
		LT_NUM("alpha", s->opts.alpha);
	if (s->opts.gamma != d.gamma)
		LT_NUM("gamma", s->opts.gamma);
	LT_NUM("lr", s->lr);
	if (s->momentum != 0)
		LT_NUM("momentum", s->momentum);
	if (s->weight_decay != 0)
		LT_NUM("weight-decay", s->weight_decay);
	strbuf_printf(&b, " epochs=%ld", s->epochs);
	if (s->batch != 0)
		strbuf_printf(&b, " batch=%zu", s->batch);
	if (!isnan(t->goal))
		LT_NUM("goal", t->goal);
#undef LT_NUM
	snprintf(buf, len, "%s", b.p != NULL && !b.oom ? b.p : "");
	strbuf_free(&b);
	return buf;
}

static int
lt_same_double(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

int
lesson_train_same(const struct lesson_train *a, const struct lesson_train *b)
{
	const struct train_spec	*x = &a->spec, *y = &b->spec;

	if ((a->line != 0) != (b->line != 0))
		return 0;
	if (a->line == 0)
		return 1;
	return a->data == b->data && a->n == b->n &&
	    a->classes == b->classes && lt_same_double(a->noise, b->noise) &&
	    lt_same_double(a->goal, b->goal) && x->model == y->model &&
	    (x->model != TRAIN_MLP || (x->hidden == y->hidden &&
	    x->activation == y->activation)) && x->loss == y->loss &&
	    x->pitfall == y->pitfall &&
	    x->opts.reduction == y->opts.reduction &&
	    x->opts.ignore_index == y->opts.ignore_index &&
	    x->opts.label_smoothing == y->opts.label_smoothing &&
	    x->opts.margin == y->opts.margin && x->opts.p == y->opts.p &&
	    x->opts.alpha == y->opts.alpha && x->opts.gamma == y->opts.gamma &&
	    x->lr == y->lr && x->momentum == y->momentum &&
	    x->weight_decay == y->weight_decay && x->epochs == y->epochs &&
	    x->batch == y->batch && x->seed == y->seed;
}

/* Numbers, here and in tensors, have the value syntax of the command line
   (parse_double): decimal or exponent notation, inf, -inf, nan. */
static int
lp_scalar(struct lparse *p, int line, const char *key, const char *val,
    double *out)
{
	if (parse_double(val, out) != 0)
		return lp_error(p, line, "bad number '%s' for %s", val, key);
	return 0;
}

static int
lp_integer(struct lparse *p, int line, const char *key, const char *val,
    long *out)
{
	double	d;

	/* nan != floor(nan): refused here; inf is refused as too large */
	if (parse_double(val, &d) != 0 || d != floor(d))
		return lp_error(p, line, "bad number '%s' for %s (an integer "
		    "is needed)", val, key);
	/* 2^53 + 1 also reads as 2^53: at the bound, only its digits do */
	if (fabs(d) > LP_INT_MAX || d > (double)LONG_MAX ||
	    d < (double)LONG_MIN || (fabs(d) == LP_INT_MAX &&
	    strcmp(val + (*val == '-' || *val == '+'),
	    "9007199254740992") != 0))
		return lp_error(p, line, "bad number '%s' for %s (an integer "
		    "between -2^53 and 2^53 is needed)", val, key);
	*out = (long)d;
	return 0;
}

/* One mark index: decimal digits only, no sign; 0, or -1 (also on
   overflow). */
static int
lp_mark_index(const char **cp, long *out)
{
	const char	*c = *cp;
	long		 v = 0;

	if (!isdigit((unsigned char)*c))
		return -1;
	for (; isdigit((unsigned char)*c); c++) {
		if (v > (LONG_MAX - (*c - '0')) / 10)
			return -1;
		v = v * 10 + (*c - '0');
	}
	*cp = c;
	*out = v;
	return 0;
}

/* What separates marks. */
#define LP_MARK_SEP	", \t\n"

/*
 * "mark:": "all", or up to LESSON_MARKS_MAX element/sample indices ("3")
 * and input cells ("[1][2]"), separated by commas and/or blanks.  Stored
 * unresolved: the session checks them against the live shapes.
 */
static int
lp_marks(struct lparse *p, int line, const char *val, struct lesson_step *s)
{
	struct lesson_mark	 m[LESSON_MARKS_MAX];
	const char		*c = val, *tok;
	size_t			 len;
	int			 n = 0, all = 0, ok;
	long			 r = 0, col;

	for (;;) {
		tok = c + strspn(c, LP_MARK_SEP);
		if (*tok == '\0')
			break;
		len = strcspn(tok, LP_MARK_SEP);
		col = -1;
		if (len == 3 && strncmp(tok, "all", 3) == 0) {
			all = ok = 1;
			r = 0;
		} else if (*tok == '[') {
			c = tok + 1;
			ok = lp_mark_index(&c, &r) == 0 && *c++ == ']' &&
			    *c++ == '[' && lp_mark_index(&c, &col) == 0 &&
			    *c++ == ']' && c == tok + len;
		} else {
			c = tok;
			ok = lp_mark_index(&c, &r) == 0 && c == tok + len;
		}
		if (!ok)
			return lp_error(p, line, "bad mark '%.*s' (all, an "
			    "element or sample index such as 3, or an input "
			    "cell such as [1][2])", (int)len, tok);
		if (n == LESSON_MARKS_MAX)
			return lp_error(p, line, "more than %d marks",
			    LESSON_MARKS_MAX);
		m[n].r = r;
		m[n].c = col;
		n++;
		c = tok + len;
	}
	if (n == 0)
		return lp_error(p, line, "mark needs a value: all, an element "
		    "or sample index such as 3, or an input cell such as "
		    "[1][2]");
	if (all && n > 1)
		return lp_error(p, line, "'mark: all' cannot be combined with "
		    "other marks");
	s->nmarks = all ? LESSON_MARK_ALL : n;
	if (!all)
		memcpy(s->marks, m, (size_t)n * sizeof m[0]);
	return 0;
}

/* "tolerance:": "10%" (relative) or "0.05" (absolute), finite, >= 0. */
static int
lp_tolerance(struct lparse *p, int line, const char *val,
    struct lesson_predict *q)
{
	char	 num[64];
	size_t	 n = strlen(val);
	int	 rel = n > 0 && val[n - 1] == '%';
	double	 d;

	if (rel && n <= sizeof num) {
		memcpy(num, val, n - 1);
		num[n - 1] = '\0';
	} else if (rel)
		num[0] = '\0';		/* too long: not a number */
	if (parse_double(rel ? num : val, &d) != 0 || !isfinite(d) || d < 0)
		return lp_error(p, line, "bad tolerance '%s' (a relative one "
		    "such as 10%% or an absolute one such as 0.05; not "
		    "negative)", val);
	q->tolerance = rel ? d / 100 : d;
	q->tolerance_abs = !rel;
	return 0;
}

static void
lp_step_free(struct lesson_step *s)
{
	int	i;

	free(s->title);
	free(s->text);
	free(s->code);
	mat_free(&s->input);
	mat_free(&s->target);
	mat_free(&s->weight);
	mat_free(&s->pos_weight);
	free(s->plot);
	free(s->predict.question);
	for (i = 0; i < s->predict.nchoices; i++)
		free(s->predict.choices[i]);
	free(s->predict.prompt);
	free(s->predict.answer);
	free(s->predict.explain);
	memset(s, 0, sizeof *s);
}

/*
 * Start a step: its input and target are the previous step's (prev), its
 * loss, options, weight and pos_weight the lesson header's (hdr).
 */
static int
lp_inherit(struct lparse *p, struct lesson_step *dst,
    const struct lesson_step *prev, const struct lesson_step *hdr, int line)
{
	struct err e;

	memset(dst, 0, sizeof *dst);
	dst->loss = p->l->loss;
	dst->opts = hdr->opts;
	dst->pitfall = hdr->pitfall;
	dst->target_dtype = hdr->target_dtype;
	dst->predict.correct = -1;
	dst->predict.tolerance = LP_TOLERANCE;
	if ((prev->input.ndim && mat_copy(&dst->input, &prev->input, &e)) ||
	    (prev->target.ndim && mat_copy(&dst->target, &prev->target, &e)) ||
	    (hdr->weight.ndim && mat_copy(&dst->weight, &hdr->weight, &e)) ||
	    (hdr->pos_weight.ndim &&
	    mat_copy(&dst->pos_weight, &hdr->pos_weight, &e)))
		return lp_oom(p, line);
	return 0;
}

/*
 * Checks when a step ends.  In reporting mode every check runs (those that
 * a broken line would make fail too are skipped); 0, or -1 if one failed.
 */
static int
lp_end_step(struct lparse *p)
{
	struct lesson_step	*s = p->cur;
	struct lesson_predict	*q;
	long			 k;
	int			 rc = 0;
	struct err		 te;

	if (s == NULL)
		return 0;
	q = &s->predict;
	/* each step holds its own copies (what it keeps from the step before
	   counts again): the memory a file may ask for is bounded */
	p->nvalues += mat_numel(&s->input) + mat_numel(&s->target) +
	    mat_numel(&s->weight) + mat_numel(&s->pos_weight);
	if (p->nvalues > LESSON_TOTAL_VALUES_MAX) {
		rc = lp_fatal(p, s->line, "the steps up to '%s' hold more "
		    "than %d values in all (the limit; a tensor a step keeps "
		    "counts again)", s->title, LESSON_TOTAL_VALUES_MAX);
		goto out;
	}
	if (s->input.ndim == 0 && !p->input_broken) {
		rc = lp_error(p, s->line, "step '%s' has no input", s->title);
		if (lp_stop(p))
			goto out;
	}
	if (s->target.ndim == 0 && !p->target_broken) {
		rc = lp_error(p, s->line, "step '%s' has no target",
		    s->title);
		if (lp_stop(p))
			goto out;
	}
	if (s->code == NULL && (s->code = strdup("")) == NULL) {
		rc = lp_oom(p, s->line);
		goto out;
	}
	if (q->question == NULL && (q->nchoices > 0 || q->prompt != NULL ||
	    p->answer_raw != NULL || q->explain != NULL)) {
		rc = lp_error(p, s->line, "step '%s': choices/answer/prompt/"
		    "explain need a 'predict:' question", s->title);
		if (lp_stop(p))
			goto out;
	}
	if (q->nchoices > 0 && (p->broken & LP_BIT(K_CHOICES)) == 0) {
		if (p->answer_raw == NULL) {
			rc = lp_error(p, s->line, "step '%s': 'choices:' "
			    "needs 'answer:' (the number of the right choice)",
			    s->title);
			if (lp_stop(p))
				goto out;
		} else if (lp_integer(p, p->answer_line, "answer",
		    p->answer_raw, &k) != 0) {
			rc = -1;
			if (lp_stop(p))
				goto out;
		} else if (k < 1 || k > q->nchoices) {
			rc = lp_error(p, p->answer_line, "answer %ld is not "
			    "a choice (1 to %d)", k, q->nchoices);
			if (lp_stop(p))
				goto out;
		} else {
			q->correct = (int)k - 1;
			if ((q->answer = strdup(q->choices[k - 1])) == NULL) {
				rc = lp_oom(p, p->answer_line);
				goto out;
			}
		}
	} else if (q->nchoices == 0 && p->answer_raw != NULL) {
		q->answer = p->answer_raw;
		p->answer_raw = NULL;
	}
	if (p->tolerance_line > 0 && (p->broken & LP_BIT(K_TOLERANCE)) == 0 &&
	    (q->question == NULL || q->nchoices > 0))
		rc = lp_error(p, p->tolerance_line, "step '%s': 'tolerance:' "
		    "needs a 'predict:' question without 'choices:'",
		    s->title);
	if (p->train_line > 0 && (p->broken & LP_BIT(K_TRAIN)) == 0) {
		if (lesson_train_parse(p->train_raw, s->loss, &s->train,
		    &te) != 0) {
			memset(&s->train, 0, sizeof s->train);
			rc = lp_error(p, p->train_line, "train: %s", te.msg);
		} else
			s->train.line = p->train_line;
	}
out:
	p->tolerance_line = 0;
	p->train_line = 0;
	free(p->train_raw);
	p->train_raw = NULL;
	free(p->answer_raw);
	p->answer_raw = NULL;
	p->cur = NULL;
	return rc;
}

/*
 * Start a new step after checking the previous one.  title NULL: the step
 * line was refused already (reporting mode goes on with an untitled step).
 */
static int
lp_new_step(struct lparse *p, int line, const char *title)
{
	struct lesson		*l = p->l;
	struct lesson_step	*ns, *prev;
	int			 rc = 0;

	if (lp_end_step(p) != 0) {
		rc = -1;
		if (lp_stop(p))
			return -1;
	}
	if (l->nsteps == LESSON_STEPS_MAX)
		return lp_fatal(p, line, "more than %d steps (the limit)",
		    LESSON_STEPS_MAX);
	if (title != NULL && *title == '\0') {
		rc = lp_error(p, line, "step needs a title (step: TITLE)");
		if (lp_stop(p))
			return -1;
	}
	if ((ns = realloc(l->steps, (l->nsteps + 1) * sizeof *ns)) == NULL)
		return lp_oom(p, line);
	l->steps = ns;
	if (l->nsteps == 0)
		p->defaults.loss = l->loss;
	prev = l->nsteps > 0 ? &l->steps[l->nsteps - 1] : &p->defaults;
	/* counted first, so that lesson_free frees what it got */
	p->cur = &l->steps[l->nsteps++];
	if (lp_inherit(p, p->cur, prev, &p->defaults, line) != 0)
		return -1;
	p->cur->line = line;
	p->seen = 0;
	p->broken = 0;
	if ((p->cur->title = strdup(title != NULL ? title : "")) == NULL)
		return lp_oom(p, line);
	return rc;
}

static int
lp_options(struct lparse *p, int line, const char *val)
{
	char	*s, *tok, *save = NULL, *q;
	int	 i;

	if ((s = strdup(val)) == NULL)
		return lp_oom(p, line);
	for (q = s; *q; q++)
		if (*q == ',')
			*q = ' ';
		else if (*q == '-')
			*q = '_';
	for (tok = strtok_r(s, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		for (i = 0; i < LESSON_OPT_COUNT; i++)
			if (strcmp(tok, lesson_opt_names[i]) == 0)
				break;
		if (i == LESSON_OPT_COUNT) {
			lp_error(p, line, "unknown option '%s' in options "
			    "(reduction, weight, pos_weight, ignore_index, "
			    "label_smoothing, margin, p, alpha, gamma, "
			    "log_target)", tok);
			free(s);
			return -1;
		}
		p->l->options |= 1U << i;
	}
	free(s);
	return 0;
}

static int
lp_setstr(struct lparse *p, int line, char **dst, const char *val)
{
	free(*dst);
	if ((*dst = strdup(val)) == NULL)
		return lp_oom(p, line);
	return 0;
}

/* Apply one key: value (val already trimmed, blocks joined by '\n'). */
static int
lp_key(struct lparse *p, int line, enum lkey k, const char *val, int block)
{
	struct lesson		*l = p->l;
	struct lesson_step	*s = p->cur ? p->cur : &p->defaults;
	struct lesson_predict	*q = &s->predict;
	enum loss_id		 lid;
	enum pitfall_id		 pid;
	enum loss_reduction	 red;
	enum dtype		 dt;
	double			 d;
	long			 n;
	char			*t, *c, *save = NULL;

	switch (k) {
	case K_ID:
		for (c = (char *)val; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '-' &&
			    *c != '_')
				return lp_error(p, line, "bad id '%s' (letters, "
				    "digits, '-' and '_')", val);
		return lp_setstr(p, line, &l->id, val);
	case K_LANG:
		if (strcmp(val, "en") != 0 && strcmp(val, "zh") != 0)
			return lp_error(p, line, "unknown lang '%s' (en or zh)",
			    val);
		return lp_setstr(p, line, &l->lang, val);
	case K_TITLE:
		/* shown on one line everywhere, and saved as one (a block
		   holding several lines could not be: fuzz_roundtrip) */
		if (strchr(val, '\n') != NULL)
			return lp_error(p, line, "the title is one line (a "
			    "title block holds one line)");
		if (val[0] == '\0')
			return lp_error(p, line, "the title is empty");
		return lp_setstr(p, line, &l->title, val);
	case K_SUMMARY:
		return lp_setstr(p, line, &l->summary, val);
	case K_OPTIONS:
		return lp_options(p, line, val);
	case K_LOSS:
		if (loss_parse(val, &lid) != 0)
			return lp_error(p, line, "unknown loss '%s'", val);
		if (p->cur == NULL)
			l->loss = p->defaults.loss = lid;
		else
			s->loss = lid;
		return 0;
	case K_STEPKEY:
		return lp_new_step(p, line, val);
	case K_INPUT:
		return lp_mat(p, line, "input", val, block, &s->input);
	case K_TARGET:
		return lp_mat(p, line, "target", val, block, &s->target);
	case K_WEIGHT:
		return lp_mat(p, line, "weight", val, block, &s->weight);
	case K_POS_WEIGHT:
		return lp_mat(p, line, "pos_weight", val, block, &s->pos_weight);
	case K_REDUCTION:
		if (loss_reduction_parse(val, &red) != 0)
			return lp_error(p, line, "unknown reduction '%s' (none, "
			    "mean, sum, batchmean)", val);
		s->opts.reduction = red;
		return 0;
	case K_IGNORE_INDEX:
		if (lp_integer(p, line, "ignore_index", val, &n) != 0)
			return -1;
		s->opts.ignore_index = n;
		return 0;
	case K_LABEL_SMOOTHING:
		return lp_scalar(p, line, "label_smoothing", val,
		    &s->opts.label_smoothing);
	case K_MARGIN:
		return lp_scalar(p, line, "margin", val, &s->opts.margin);
	case K_P:
		if (lp_integer(p, line, "p", val, &n) != 0)
			return -1;
		if (n != 1 && n != 2)
			return lp_error(p, line, "p must be 1 or 2");
		s->opts.p = (int)n;
		return 0;
	case K_ALPHA:
		return lp_scalar(p, line, "alpha", val, &s->opts.alpha);
	case K_GAMMA:
		return lp_scalar(p, line, "gamma", val, &s->opts.gamma);
	case K_LOG_TARGET:
		if (strcmp(val, "true") == 0 || strcmp(val, "yes") == 0)
			d = 1;
		else if (strcmp(val, "false") == 0 || strcmp(val, "no") == 0)
			d = 0;
		else if (lp_scalar(p, line, "log_target", val, &d) != 0)
			return -1;
		s->opts.log_target = d != 0;
		return 0;
	case K_PITFALL:
		if (strcmp(val, "none") == 0) {
			s->pitfall = PITFALL_NONE;
			return 0;
		}
		if (pitfall_parse(val, &pid) != 0)
			return lp_error(p, line, "unknown pitfall '%s'", val);
		s->pitfall = pid;
		return 0;
	case K_PLOT:
		if (strcmp(val, "none") == 0) {
			free(s->plot);
			s->plot = NULL;
			return 0;
		}
		if (!lesson_plot_valid(val))
			return lp_error(p, line, "unknown plot '%s'", val);
		return lp_setstr(p, line, &s->plot, val);
	case K_TEXT:
		free(s->text);
		if ((s->text = lp_reflow(val)) == NULL)
			return lp_oom(p, line);
		return 0;
	case K_CODE:
		return lp_setstr(p, line, &s->code, val);
	case K_PREDICT:
		free(q->question);
		if ((q->question = lp_reflow(val)) == NULL)
			return lp_oom(p, line);
		return 0;
	case K_CHOICES:
		if ((t = strdup(val)) == NULL)
			return lp_oom(p, line);
		for (c = strtok_r(t, block ? "\n" : "|", &save); c != NULL;
		    c = strtok_r(NULL, block ? "\n" : "|", &save)) {
			c = lp_trim(c);
			if (*c == '\0')
				continue;
			if (q->nchoices == LESSON_CHOICES_MAX) {
				free(t);
				return lp_error(p, line, "more than %d choices",
				    LESSON_CHOICES_MAX);
			}
			if ((q->choices[q->nchoices] = strdup(c)) == NULL) {
				free(t);
				return lp_oom(p, line);
			}
			q->nchoices++;
		}
		free(t);
		if (q->nchoices < 2)
			return lp_error(p, line, "choices needs at least two "
			    "choices separated by '|'");
		return 0;
	case K_ANSWER:
		p->answer_line = line;
		return lp_setstr(p, line, &p->answer_raw, val);
	case K_PROMPT:
		return lp_setstr(p, line, &q->prompt, val);
	case K_EXPLAIN:
		free(q->explain);
		if ((q->explain = lp_reflow(val)) == NULL)
			return lp_oom(p, line);
		return 0;
	case K_MARK:
		return lp_marks(p, line, val, s);
	case K_TOLERANCE:
		p->tolerance_line = line;
		return lp_tolerance(p, line, val, q);
	case K_TRAIN:
		p->train_line = line;
		return lp_setstr(p, line, &p->train_raw, val);
	case K_DTYPE:
		if (dtype_parse(val, &dt) != 0 ||
		    (dt != DTYPE_FLOAT && dt != DTYPE_DOUBLE))
			return lp_error(p, line, "dtype '%s': float32 or "
			    "float64", val);
		s->opts.float32 = dt == DTYPE_FLOAT;
		return 0;
	case K_TARGET_DTYPE:
		if (strcmp(val, "default") == 0) {
			s->target_dtype = DTYPE_COUNT;
			return 0;
		}
		if (dtype_parse(val, &s->target_dtype) != 0)
			return lp_error(p, line, "unknown dtype '%s' (long, "
			    "int, float, double, ..., or default)", val);
		return 0;
	case K_COUNT:
		break;
	}
	return lp_error(p, line, "internal error");
}

/*
 * What a block line is: 0 for content, 1 for the ">>>" that ends the block,
 * 2 for an escaped line -- blanks, one or more backslashes, ">>>", blanks
 * -- which reads as itself with its first backslash removed ("\>>>" is a
 * literal ">>>" line, "\\>>>" is "\>>>").  *lead gets the number of
 * leading blanks.
 */
static int
lp_block_end(const char *line, size_t *lead)
{
	const char	*c, *e;

	*lead = strspn(line, " \t");
	c = line + *lead;
	e = line + strlen(line);
	while (e > c && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e - c < 3 || strncmp(e - 3, ">>>", 3) != 0)
		return 0;
	if (e - c == 3)
		return 1;
	while (c < e - 3 && *c == '\\')
		c++;
	return c == e - 3 ? 2 : 0;
}

/*
 * Read a <<< block (the opening line is p->lineno) into *out: its lines as
 * written, blanks included, joined by newlines.
 */
static int
lp_block(struct lparse *p, char **out)
{
	int	 open = p->lineno, r;
	char	*line, *buf = NULL, *nb;
	size_t	 len = 0, cap = 0, n, lead;

	*out = NULL;
	for (;;) {
		if ((r = lp_getline(p, &line)) < 0) {
			free(buf);
			return -1;
		}
		if (r == 0) {
			free(buf);
			return lp_fatal(p, open, "unterminated block (no '>>>' "
			    "after this '<<<')");
		}
		switch (lp_block_end(line, &lead)) {
		case 1:
			free(line);
			goto done;
		case 2:
			memmove(line + lead, line + lead + 1,
			    strlen(line + lead));
			break;
		}
		n = strlen(line);
		if (cap - len < n + 2) {
			/* doubling: a long block is read in linear time */
			cap = cap * 2 > len + n + 2 ? cap * 2 : len + n + 256;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(line);
				free(buf);
				return lp_oom(p, p->lineno);
			}
			buf = nb;
		}
		memcpy(buf + len, line, n);
		len += n;
		buf[len++] = '\n';
		buf[len] = '\0';
		free(line);
	}
done:
	if (buf == NULL && (buf = strdup("")) == NULL)
		return lp_oom(p, open);
	/* drop the final newline */
	if (len > 0)
		buf[len - 1] = '\0';
	*out = buf;
	return 0;
}

/* Whether key k's value is text kept as written (a block keeps its blanks);
   the other values are words and numbers, whose blocks are trimmed. */
static int
lp_key_is_text(enum lkey k)
{
	switch (k) {
	case K_TITLE:
	case K_SUMMARY:
	case K_TEXT:
	case K_CODE:
	case K_PREDICT:
	case K_CHOICES:
	case K_ANSWER:
	case K_PROMPT:
	case K_EXPLAIN:
		return 1;
	default:
		return 0;
	}
}

void
lesson_free(struct lesson *l)
{
	size_t	i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nsteps; i++)
		lp_step_free(&l->steps[i]);
	free(l->steps);
	free(l->path);
	free(l->id);
	free(l->lang);
	free(l->title);
	free(l->summary);
	free(l->src);
	free(l);
}

/* The id and language a file name implies: ID.LANG.lesson or ID.lesson. */
static void
lp_name_parts(const char *path, char *id, size_t idlen, char *lang,
    size_t langlen)
{
	const char	*b = strrchr(path, '/'), *dot;
	size_t		 n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 7 && strcmp(b + n - 7, ".lesson") == 0)
		n -= 7;
	snprintf(lang, langlen, "en");
	dot = memchr(b, '.', n);
	if (dot != NULL && (size_t)(b + n - dot - 1) == 2) {
		snprintf(lang, langlen, "%.2s", dot + 1);
		n = (size_t)(dot - b);
	}
	snprintf(id, idlen, "%.*s", (int)n, b);
}

/*
 * Whether key k may stand on line `line` here; 0, or -1 with the problem
 * recorded.  Position and repetition only: the value is lp_key's.
 */
static int
lp_check_key(struct lparse *p, int line, int k, const char *key, int block)
{
	if (k == K_COUNT)
		return lp_error(p, line, "unknown key '%s'", key);
	if (p->cur == NULL && !(lp_keys[k].where & K_HEADER))
		return lp_error(p, line, "'%s' outside a step (add a "
		    "'step: TITLE' line first)", key);
	if (p->cur != NULL && !(lp_keys[k].where & K_STEP))
		return lp_error(p, line, "'%s' belongs in the lesson "
		    "header, before the first step", key);
	if (k != K_STEPKEY && (p->seen & LP_BIT(k)))
		return lp_error(p, line, "'%s' given twice", key);
	if (k == K_STEPKEY && block)
		return lp_error(p, line, "a step title is one line");
	return 0;
}

/* Note where key k's line and value lay: [beg, p->pos). */
static int
lp_span(struct lparse *p, int k, size_t beg)
{
	struct lspan	*ns;
	size_t		 cap;

	if (p->nspans == p->spancap) {
		cap = p->spancap ? p->spancap * 2 : 64;
		if ((ns = realloc(p->spans, cap * sizeof *ns)) == NULL)
			return lp_oom(p, p->lineno);
		p->spans = ns;
		p->spancap = cap;
	}
	ns = &p->spans[p->nspans++];
	ns->step = p->cur != NULL ? (int)(p->cur - p->l->steps) : -1;
	ns->key = k;
	ns->beg = beg;
	ns->end = p->pos;
	return 0;
}

static void
lp_init(struct lparse *p, const char *name, const char *buf, size_t len,
    struct err *err)
{
	memset(p, 0, sizeof *p);
	p->name = name;
	p->buf = buf;
	p->len = len;
	p->err = err;
	if (err != NULL)
		err->msg[0] = '\0';
	loss_opts_init(&p->defaults.opts);
	p->defaults.loss = LOSS_BCE;
	p->defaults.pitfall = PITFALL_NONE;
	p->defaults.target_dtype = DTYPE_COUNT;
	p->defaults.predict.correct = -1;
	p->defaults.predict.tolerance = LP_TOLERANCE;
}

/* Free what the parser holds besides the lesson it returned. */
static void
lp_cleanup(struct lparse *p)
{
	size_t	i;

	for (i = 0; i < p->nprobs; i++)
		free(p->probs[i].msg);
	free(p->probs);
	free(p->spans);
	free(p->answer_raw);
	free(p->train_raw);
	lp_step_free(&p->defaults);
	memset(p, 0, sizeof *p);
}

/*
 * The parser of both modes: a new lesson, or NULL after a problem.  The
 * caller runs lp_cleanup (the header's values stay in p->defaults until
 * then).
 */
static struct lesson *
lp_run(struct lparse *p)
{
	char		*line = NULL, *key, *val, *colon, *blk = NULL, *c;
	size_t		 beg;
	int		 r, k, lineno, bad, block;
	char		 idbuf[256], langbuf[8];

	if ((p->l = calloc(1, sizeof *p->l)) == NULL) {
		lp_oom(p, 0);
		return NULL;
	}
	p->l->loss = LOSS_BCE;
	if ((p->l->path = strdup(p->name)) == NULL)
		goto oom;

	for (;;) {
		beg = p->pos;
		if ((r = lp_getline(p, &line)) <= 0)
			break;
		lineno = p->lineno;
		key = lp_trim(line);
		if (*key == '\0' || *key == '#')
			goto next;
		if ((colon = strchr(key, ':')) == NULL) {
			lp_error(p, lineno, "expected 'key: value', got "
			    "'%.40s'", key);
			if (lp_stop(p))
				goto fail;
			goto next;
		}
		*colon = '\0';
		val = lp_trim(colon + 1);
		key = lp_trim(key);
		for (c = key; *c; c++)
			if (*c == '-')
				*c = '_';
		for (k = 0; k < K_COUNT; k++)
			if (strcmp(key, lp_keys[k].name) == 0)
				break;
		block = strcmp(val, "<<<") == 0;
		if ((bad = lp_check_key(p, lineno, k, key, block)) != 0) {
			if (lp_stop(p))
				goto fail;
			if (k < K_COUNT)
				p->anybroken |= LP_BIT(k);
		}
		if (k != K_STEPKEY && k < K_COUNT)
			p->seen |= LP_BIT(k);
		/* a refused key's block is skipped, not read as keys */
		if (block && lp_block(p, &blk) != 0)
			goto fail;
		if (block && !lp_key_is_text(k))
			val = lp_trim(blk);
		else if (block)
			val = blk;
		if (bad == 0)
			r = lp_key(p, lineno, k, val, block);
		else if (k == K_STEPKEY)
			r = lp_new_step(p, lineno, NULL);
		else
			r = 0;
		if (r != 0 && bad == 0) {
			p->broken |= LP_BIT(k);
			p->anybroken |= LP_BIT(k);
		}
		if (bad == 0 && k == K_INPUT)
			p->input_broken = r != 0;
		if (bad == 0 && k == K_TARGET)
			p->target_broken = r != 0;
		if (r != 0 && lp_stop(p))
			goto fail;
		if (r == 0 && bad == 0 && p->want_spans &&
		    lp_span(p, k, beg) != 0)
			goto fail;
next:
		free(blk);
		blk = NULL;
		free(line);
		line = NULL;
	}
	if (r < 0)
		goto fail;
	if (lp_end_step(p) != 0 && lp_stop(p))
		goto fail;
	if (p->l->id == NULL && !(p->anybroken & LP_BIT(K_ID))) {
		lp_error(p, 1, "missing id (add 'id: NAME')");
		if (lp_stop(p))
			goto fail;
	}
	if (p->l->title == NULL && !(p->anybroken & LP_BIT(K_TITLE))) {
		lp_error(p, 1, "missing title (add 'title: TEXT')");
		if (lp_stop(p))
			goto fail;
	}
	if (p->l->nsteps == 0) {
		lp_error(p, p->lineno > 0 ? p->lineno : 1, "missing step (a "
		    "lesson needs at least one 'step: TITLE' section)");
		if (lp_stop(p))
			goto fail;
	}
	if (p->failed)
		goto fail;
	if (p->l->lang == NULL) {
		lp_name_parts(p->name, idbuf, sizeof idbuf, langbuf,
		    sizeof langbuf);
		if (strcmp(langbuf, "zh") != 0)
			snprintf(langbuf, sizeof langbuf, "en");
		if ((p->l->lang = strdup(langbuf)) == NULL)
			goto oom;
	}
	if (p->l->summary == NULL && (p->l->summary = strdup("")) == NULL)
		goto oom;
	/* the text as read, for lesson_write */
	if ((p->l->src = malloc(p->len + 1)) == NULL)
		goto oom;
	memcpy(p->l->src, p->buf, p->len);
	p->l->src[p->len] = '\0';
	p->l->srclen = p->len;
	return p->l;
oom:
	lp_oom(p, 0);
fail:
	free(blk);
	free(line);
	lesson_free(p->l);
	p->l = NULL;
	return NULL;
}

struct lesson *
lesson_parse(const char *name, const char *buf, size_t len, struct err *err)
{
	struct lparse	 p;
	struct lesson	*l;

	lp_init(&p, name, buf, len, err);
	l = lp_run(&p);
	lp_cleanup(&p);
	return l;
}

/* What a file that is not a regular file is, for messages. */
static const char *
lp_file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "is a directory";
	if (S_ISFIFO(mode))
		return "not a regular file (a FIFO)";
	if (S_ISCHR(mode))
		return "not a regular file (a character device)";
	if (S_ISBLK(mode))
		return "not a regular file (a block device)";
	if (S_ISSOCK(mode))
		return "not a regular file (a socket)";
	return "not a regular file";
}

/*
 * Read the regular file at path into a new buffer; 0, or -1 with err set to
 * "path: message".  It is opened with O_NONBLOCK, so that a FIFO or a
 * device named *.lesson never makes anyone wait, and refused unless fstat
 * says it is a regular file; then it is read as a file, at most
 * LESSON_FILE_MAX bytes.
 */
static int
lp_read(const char *path, char **bufp, size_t *lenp, struct err *err)
{
	char		*buf = NULL, *nb;
	size_t		 len = 0, cap;
	ssize_t		 n;
	struct stat	 st;
	int		 fd, fl;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		/* a socket cannot be opened at all: say what it is */
		if (errno == ENXIO && stat(path, &st) == 0 &&
		    !S_ISREG(st.st_mode))
			err_set(err, "%s: %s", path,
			    lp_file_kind(st.st_mode));
		else
			err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		err_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(err, "%s: %s", path, lp_file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (st.st_size > LESSON_FILE_MAX)
		goto toolarge;
	/* the size fstat gave, and a byte more to see the end (or that the
	   file grew) */
	cap = (size_t)st.st_size + 1;
	for (;;) {
		if (buf == NULL || len == cap) {
			if (buf != NULL)
				cap = cap < 2048 ? 4096 : cap * 2;
			if (cap > (size_t)LESSON_FILE_MAX + 1)
				cap = (size_t)LESSON_FILE_MAX + 1;
			if ((nb = realloc(buf, cap)) == NULL) {
				err_set(err, "%s: out of memory",
				    path);
				goto fail;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err_set(err, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > LESSON_FILE_MAX)
			goto toolarge;
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
toolarge:
	err_set(err, "%s: file too large (over %d MiB, the limit)",
	    path, LESSON_FILE_MAX >> 20);
fail:
	close(fd);
	free(buf);
	return -1;
}

struct lesson *
lesson_load(const char *path, struct err *err)
{
	char		*buf;
	size_t		 len;
	struct lesson	*l;

	if (err != NULL)
		err->msg[0] = '\0';
	if (lp_read(path, &buf, &len, err) != 0)
		return NULL;
	l = lesson_parse(path, buf, len, err);
	free(buf);
	return l;
}

/* Problems in file order (line, then as found); qsort is not stable. */
static int
lp_prob_cmp(const void *va, const void *vb)
{
	const struct lprob	*a = va, *b = vb;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

struct lesson *
lesson_load_report(const char *path,
    void (*report)(void *ctx, const char *msg), void *ctx, int *nproblems)
{
	struct lparse	 p;
	struct lesson	*l;
	char		*buf;
	struct err	 err;
	size_t		 len, i;
	int		 n;

	if (lp_read(path, &buf, &len, &err) != 0) {
		if (report != NULL)
			report(ctx, err.msg);
		if (nproblems != NULL)
			*nproblems = 1;
		return NULL;
	}
	lp_init(&p, path, buf, len, NULL);
	p.report = 1;
	l = lp_run(&p);
	if (p.nprobs > 1)
		qsort(p.probs, p.nprobs, sizeof *p.probs, lp_prob_cmp);
	for (i = 0; report != NULL && i < p.nprobs; i++)
		report(ctx, p.probs[i].msg);
	if (p.nlost > 0 && report != NULL) {
		err_set(&err, "%s: out of memory (%d more problem%s not "
		    "shown)", path, p.nlost, p.nlost == 1 ? "" : "s");
		report(ctx, err.msg);
	}
	n = (int)p.nprobs + p.nlost;
	lp_cleanup(&p);
	free(buf);
	if (nproblems != NULL)
		*nproblems = n;
	return l;
}

/* ---- the catalogue ------------------------------------------------------ */

const char *
lesson_origin_name(enum lesson_origin o)
{
	switch (o) {
	case LESSON_ORIGIN_ARG:
		return "--lessons";
	case LESSON_ORIGIN_USER:
		return "user";
	case LESSON_ORIGIN_INSTALLED:
		return "installed";
	case LESSON_ORIGIN_FILE:
		return "file";
	}
	return "?";
}

static void
lc_entry_free(struct lesson_entry *e)
{
	free(e->id);
	free(e->lang);
	free(e->title);
	free(e->path);
	free(e->error);
	lesson_free(e->lesson);
	memset(e, 0, sizeof *e);
}

void
lesson_catalog_free(struct lesson_catalog *cat)
{
	size_t	i;

	for (i = 0; i < cat->n; i++)
		lc_entry_free(&cat->v[i]);
	free(cat->v);
	cat->v = NULL;
	cat->n = 0;
}

static int
lc_has(const struct lesson_catalog *cat, const char *id, const char *lang)
{
	size_t	i;

	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->v[i].id, id) == 0 &&
		    strcmp(cat->v[i].lang, lang) == 0)
			return 1;
	return 0;
}

/* Parse one file into a new entry unless its id+lang is already there. */
static int
lc_add_file(struct lesson_catalog *cat, const char *path,
    enum lesson_origin origin)
{
	struct lesson_entry	 e, *nv;
	struct lesson		*l;
	char			 id[256], lang[8];
	struct err		 err;
	const char		*b;

	memset(&e, 0, sizeof e);
	l = lesson_load(path, &err);
	if (l != NULL) {
		if (lc_has(cat, l->id, l->lang)) {
			lesson_free(l);
			return 0;
		}
		e.id = strdup(l->id);
		e.lang = strdup(l->lang);
		e.title = strdup(l->title);
		e.lesson = l;
	} else {
		lp_name_parts(path, id, sizeof id, lang, sizeof lang);
		if (lc_has(cat, id, lang))
			return 0;
		b = strrchr(path, '/');
		e.id = strdup(id);
		e.lang = strdup(lang);
		e.title = strdup(b ? b + 1 : path);
		e.broken = 1;
		e.error = strdup(err.msg);
	}
	e.path = strdup(path);
	e.origin = origin;
	if (e.id == NULL || e.lang == NULL || e.title == NULL ||
	    e.path == NULL || (e.broken && e.error == NULL))
		goto oom;
	if ((nv = realloc(cat->v, (cat->n + 1) * sizeof *nv)) == NULL)
		goto oom;
	cat->v = nv;
	cat->v[cat->n++] = e;
	return 0;
oom:
	lc_entry_free(&e);
	return -1;
}

static int
lc_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
lesson_catalog_add(struct lesson_catalog *cat, const char *path,
    enum lesson_origin origin)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL, **nn, *full;
	size_t		 n = 0, i, len;
	int		 rc = 0;

	if (stat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return lc_add_file(cat, path, origin);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 7 || strcmp(de->d_name + len - 7, ".lesson") != 0 ||
		    de->d_name[0] == '.')
			continue;
		if ((nn = realloc(names, (n + 1) * sizeof *nn)) == NULL) {
			rc = -1;
			break;
		}
		names = nn;
		if (asprintf(&full, "%s/%s", path, de->d_name) < 0) {
			rc = -1;
			break;
		}
		names[n++] = full;
	}
	closedir(d);
	/* a stable order, so shadowing inside one directory is predictable */
	if (n > 0)
		qsort(names, n, sizeof *names, lc_strcmp);
	for (i = 0; i < n; i++) {
		if (rc == 0 && lc_add_file(cat, names[i], origin) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static int
lc_rank(const char *id)
{
	int	i;

	for (i = 0; lesson_curriculum[i] != NULL; i++)
		if (strcmp(id, lesson_curriculum[i]) == 0)
			return i;
	return INT_MAX;
}

static int
lc_cmp(const void *va, const void *vb)
{
	const struct lesson_entry *a = va, *b = vb;
	int	ra = lc_rank(a->id), rb = lc_rank(b->id), c;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if ((c = strcmp(a->id, b->id)) != 0)
		return c;
	if (strcmp(a->lang, "en") == 0 && strcmp(b->lang, "en") != 0)
		return -1;
	if (strcmp(b->lang, "en") == 0 && strcmp(a->lang, "en") != 0)
		return 1;
	return strcmp(a->lang, b->lang);
}

void
lesson_catalog_sort(struct lesson_catalog *cat)
{
	if (cat->n > 1)
		qsort(cat->v, cat->n, sizeof *cat->v, lc_cmp);
}

int
lesson_catalog_load(struct lesson_catalog *cat, const struct app_opts *app)
{
	const char	*dir;
	char		 udir[4096];
	int		 rc = 0;

	if (app != NULL && app->lessons_dir != NULL)
		rc |= lesson_catalog_add(cat, app->lessons_dir,
		    LESSON_ORIGIN_ARG);
	if (datadir_user("lessons", udir, sizeof udir) == 0)
		rc |= lesson_catalog_add(cat, udir, LESSON_ORIGIN_USER);
	if ((dir = datadir_path("lessons")) != NULL)
		rc |= lesson_catalog_add(cat, dir, LESSON_ORIGIN_INSTALLED);
	else
		rc = 1;
	lesson_catalog_sort(cat);
	return rc ? -1 : 0;
}

const struct lesson_entry *
lesson_catalog_find(const struct lesson_catalog *cat, const char *id,
    const char *lang)
{
	size_t	i;

	if (lang == NULL)
		lang = "en";
	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->v[i].id, id) == 0 &&
		    strcmp(cat->v[i].lang, lang) == 0)
			return &cat->v[i];
	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->v[i].id, id) == 0 &&
		    strcmp(cat->v[i].lang, "en") == 0)
			return &cat->v[i];
	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->v[i].id, id) == 0)
			return &cat->v[i];
	return NULL;
}

const struct lesson_entry *
lesson_catalog_find_path(const struct lesson_catalog *cat, const char *path)
{
	char	*want, *have;
	size_t	 i;
	const struct lesson_entry *found = NULL;

	if ((want = realpath(path, NULL)) == NULL)
		return NULL;
	for (i = 0; i < cat->n && found == NULL; i++) {
		if ((have = realpath(cat->v[i].path, NULL)) == NULL)
			continue;
		if (strcmp(want, have) == 0)
			found = &cat->v[i];
		free(have);
	}
	free(want);
	return found;
}

struct lesson *
lesson_find(const struct app_opts *app, const char *what, const char *lang,
    struct err *err)
{
	struct lesson_catalog	 cat = LESSON_CATALOG_INIT;
	const struct lesson_entry *e;
	struct lesson		*l = NULL;
	size_t			 n = strlen(what);

	if (strchr(what, '/') != NULL ||
	    (n > 7 && strcmp(what + n - 7, ".lesson") == 0))
		return lesson_load(what, err);
	if (lesson_catalog_load(&cat, app) != 0) {
		err_set(err, "out of memory");
		lesson_catalog_free(&cat);
		return NULL;
	}
	if ((e = lesson_catalog_find(&cat, what, lang)) == NULL)
		err_set(err, "no lesson '%s' (try 'losslab lessons')",
		    what);
	else if (e->broken)
		err_set(err, "%s", e->error);
	else {
		l = e->lesson;
		cat.v[e - cat.v].lesson = NULL;	/* handed to the caller */
	}
	lesson_catalog_free(&cat);
	return l;
}

/* ---- writing a lesson back ----------------------------------------------- */

/*
 * lesson_write edits a copy of the lesson's source text.  The source is
 * parsed again to learn where each key's line (or block) is (struct lspan)
 * and what the header gives the steps; then the copy is the source with
 * the id and title lines replaced and, step by step, each value the new
 * file would get wrong replaced in place or inserted after the "step:"
 * line.  Everything else is copied byte for byte.
 */

/* The step keys lesson_write may change, in the order it inserts them. */
static const enum lkey lw_keys[] = {
	K_LOSS, K_INPUT, K_TARGET, K_WEIGHT, K_POS_WEIGHT, K_REDUCTION,
	K_IGNORE_INDEX, K_LABEL_SMOOTHING, K_MARGIN, K_P, K_ALPHA, K_GAMMA,
	K_LOG_TARGET, K_PITFALL, K_TRAIN, K_DTYPE, K_TARGET_DTYPE
};
#define LW_NKEYS	(sizeof lw_keys / sizeof lw_keys[0])

/* Doubles are the same value when equal, or both NaN. */
static int
lw_same_double(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

/* Tensors: both none, or the same shape and values. */
static int
lw_same_mat(const struct mat *a, const struct mat *b)
{
	size_t	i;

	if (a->ndim == 0 || b->ndim == 0)
		return a->ndim == b->ndim;
	if (!mat_same_shape(a, b))
		return 0;
	for (i = 0; i < mat_numel(a); i++)
		if (!lw_same_double(a->v[i], b->v[i]))
			return 0;
	return 1;
}

/* Whether steps a and b have the same value for key k. */
static int
lw_same(enum lkey k, const struct lesson_step *a, const struct lesson_step *b)
{
	const struct loss_opts	*x = &a->opts, *y = &b->opts;

	switch (k) {
	case K_LOSS:
		return a->loss == b->loss;
	case K_INPUT:
		return lw_same_mat(&a->input, &b->input);
	case K_TARGET:
		return lw_same_mat(&a->target, &b->target);
	case K_WEIGHT:
		return lw_same_mat(&a->weight, &b->weight);
	case K_POS_WEIGHT:
		return lw_same_mat(&a->pos_weight, &b->pos_weight);
	case K_REDUCTION:
		return x->reduction == y->reduction;
	case K_IGNORE_INDEX:
		return x->ignore_index == y->ignore_index;
	case K_LABEL_SMOOTHING:
		return lw_same_double(x->label_smoothing, y->label_smoothing);
	case K_MARGIN:
		return lw_same_double(x->margin, y->margin);
	case K_P:
		return x->p == y->p;
	case K_ALPHA:
		return lw_same_double(x->alpha, y->alpha);
	case K_GAMMA:
		return lw_same_double(x->gamma, y->gamma);
	case K_LOG_TARGET:
		return (x->log_target != 0) == (y->log_target != 0);
	case K_PITFALL:
		return a->pitfall == b->pitfall;
	case K_TRAIN:
		return lesson_train_same(&a->train, &b->train);
	case K_DTYPE:
		return (x->float32 != 0) == (y->float32 != 0);
	case K_TARGET_DTYPE:
		return a->target_dtype == b->target_dtype;
	default:
		return 1;
	}
}

/* One row of a tensor: "a, b, c", numbers that read back exactly. */
static void
lw_row(struct strbuf *b, const struct mat *m, size_t r)
{
	char	num[64];
	size_t	c;

	for (c = 0; c < m->cols; c++)
		strbuf_printf(b, "%s%s", c > 0 ? ", " : "",
		    parse_fmt_exact(MAT_AT(m, r, c), num, sizeof num));
}

/*
 * Key k's line for step s, ending with eol: "input: a, b; c, d" (2-D of one
 * row: "a, b;"), "weight: none", "reduction: sum", ...  A 2-D tensor too
 * long for one line is a block with a row a line.
 */
static void
lw_value(struct strbuf *b, enum lkey k, const struct lesson_step *s,
    const char *eol)
{
	const struct mat	*m = NULL;
	const struct loss_opts	*o = &s->opts;
	struct strbuf		 one = STRBUF_INIT;
	char			 num[64], tbuf[1024];
	size_t			 r;

	switch (k) {
	case K_LOSS:
		strbuf_printf(&one, "%s", loss_name(s->loss));
		break;
	case K_INPUT:
		m = &s->input;
		break;
	case K_TARGET:
		m = &s->target;
		break;
	case K_WEIGHT:
		m = &s->weight;
		break;
	case K_POS_WEIGHT:
		m = &s->pos_weight;
		break;
	case K_REDUCTION:
		strbuf_printf(&one, "%s", loss_reduction_name(o->reduction));
		break;
	case K_IGNORE_INDEX:
		strbuf_printf(&one, "%ld", o->ignore_index);
		break;
	case K_LABEL_SMOOTHING:
		strbuf_printf(&one, "%s", parse_fmt_exact(o->label_smoothing,
		    num, sizeof num));
		break;
	case K_MARGIN:
		strbuf_printf(&one, "%s", parse_fmt_exact(o->margin, num,
		    sizeof num));
		break;
	case K_P:
		strbuf_printf(&one, "%d", o->p);
		break;
	case K_ALPHA:
		strbuf_printf(&one, "%s", parse_fmt_exact(o->alpha, num,
		    sizeof num));
		break;
	case K_GAMMA:
		strbuf_printf(&one, "%s", parse_fmt_exact(o->gamma, num,
		    sizeof num));
		break;
	case K_LOG_TARGET:
		strbuf_printf(&one, "%s", o->log_target ? "true" : "false");
		break;
	case K_PITFALL:
		strbuf_printf(&one, "%s", s->pitfall == PITFALL_NONE ? "none" :
		    pitfall_name(s->pitfall));
		break;
	case K_TRAIN:
		strbuf_printf(&one, "%s", lesson_train_format(&s->train,
		    s->loss, tbuf, sizeof tbuf));
		break;
	case K_DTYPE:
		strbuf_printf(&one, "%s", o->float32 ? "float32" : "float64");
		break;
	case K_TARGET_DTYPE:
		strbuf_printf(&one, "%s", s->target_dtype == DTYPE_COUNT ?
		    "default" : dtype_name(s->target_dtype));
		break;
	default:
		break;
	}
	if (m != NULL && m->ndim == 0)
		strbuf_printf(&one, "none");
	else if (m != NULL) {
		for (r = 0; r < m->rows; r++) {
			if (r > 0)
				strbuf_printf(&one, "; ");
			lw_row(&one, m, r);
		}
		if (m->ndim == 2 && m->rows == 1)
			strbuf_printf(&one, ";");
	}
	if (m != NULL && m->ndim == 2 && m->rows > 1 && one.len +
	    strlen(lp_keys[k].name) + 2 > LESSON_LINE_MAX) {
		strbuf_printf(b, "%s: <<<%s", lp_keys[k].name, eol);
		for (r = 0; r < m->rows; r++) {
			lw_row(b, m, r);
			strbuf_printf(b, "%s", eol);
		}
		strbuf_printf(b, ">>>%s", eol);
	} else
		strbuf_printf(b, "%s: %s%s", lp_keys[k].name,
		    one.p != NULL ? one.p : "", eol);
	if (one.oom)
		b->oom = 1;
	strbuf_free(&one);
}

/*
 * The title line: one line when it reads back as itself, else a block (it
 * is "<<<", or starts or ends with a blank), whose line is escaped when it
 * would end the block.
 */
static void
lw_title(struct strbuf *b, const char *title, const char *eol)
{
	size_t	n = strlen(title), lead;

	if (strcmp(title, "<<<") != 0 && title[0] != ' ' &&
	    title[0] != '\t' && title[n - 1] != ' ' && title[n - 1] != '\t') {
		strbuf_printf(b, "title: %s%s", title, eol);
		return;
	}
	strbuf_printf(b, "title: <<<%s", eol);
	if (lp_block_end(title, &lead) != 0) {
		/* ">>>", "\>>>", ...: one more backslash */
		strbuf_add(b, title, lead);
		strbuf_printf(b, "\\%s%s", title + lead, eol);
	} else
		strbuf_printf(b, "%s%s", title, eol);
	strbuf_printf(b, ">>>%s", eol);
}

/*
 * Build the new file's text into out: src (parsed into sp: spans, the
 * header's values in hdr, the steps in old) with id, title and the values
 * of steps.  0, or -1 when out of memory.
 */
static int
lw_text(struct strbuf *out, const struct lparse *sp,
    const struct lesson *old, const struct lesson_step *steps,
    const char *id, const char *title)
{
	const char		*src = sp->buf, *nl;
	const char		*eol;
	const struct lesson_step *base;
	const struct lspan	*x;
	size_t			 pos = 0, i, j, n = old->nsteps;
	int			*own, *change;
	int			 rc = -1;

	/* new lines end as the file's first line does */
	nl = memchr(src, '\n', sp->len);
	eol = nl != NULL && nl > src && nl[-1] == '\r' ? "\r\n" : "\n";
	own = malloc((n * K_COUNT + 1) * sizeof *own);
	change = calloc(sp->nspans + 1, sizeof *change);
	if (own == NULL || change == NULL)
		goto out;
	for (i = 0; i < n * K_COUNT; i++)
		own[i] = -1;
	for (i = 0; i < sp->nspans; i++)
		if (sp->spans[i].step >= 0)
			own[sp->spans[i].step * K_COUNT + sp->spans[i].key] =
			    (int)i;
	/* the step's own lines that say something else now */
	for (i = 0; i < n; i++)
		for (j = 0; j < LW_NKEYS; j++)
			if (own[i * K_COUNT + lw_keys[j]] >= 0 &&
			    !lw_same(lw_keys[j], &steps[i], &old->steps[i]))
				change[own[i * K_COUNT + lw_keys[j]]] = 1;
	for (i = 0; i < sp->nspans; i++) {
		x = &sp->spans[i];
		strbuf_add(out, src + pos, x->beg - pos);
		pos = x->end;
		if (x->step < 0 && x->key == K_ID)
			strbuf_printf(out, "id: %s%s", id, eol);
		else if (x->step < 0 && x->key == K_TITLE)
			lw_title(out, title, eol);
		else if (change[i])
			lw_value(out, x->key, &steps[x->step], eol);
		else
			strbuf_add(out, src + x->beg, x->end - x->beg);
		if (x->key != K_STEPKEY)
			continue;
		/*
		 * After its "step:" line, what the step used to inherit and
		 * would now get wrong: input and target come from the
		 * previous step (as written: steps[] -- the header's for the
		 * first), the rest from the header.
		 */
		for (j = 0; j < LW_NKEYS; j++) {
			if (own[x->step * K_COUNT + lw_keys[j]] >= 0)
				continue;
			base = &sp->defaults;
			if ((lw_keys[j] == K_INPUT || lw_keys[j] == K_TARGET) &&
			    x->step > 0)
				base = &steps[x->step - 1];
			if (lw_same(lw_keys[j], &steps[x->step], base))
				continue;
			/* the step line was the last, without a newline */
			if (out->len > 0 && out->p[out->len - 1] != '\n')
				strbuf_printf(out, "%s", eol);
			lw_value(out, lw_keys[j], &steps[x->step], eol);
		}
	}
	strbuf_add(out, src + pos, sp->len - pos);
	if (out->p == NULL)
		strbuf_add(out, "", 0);
	rc = out->oom || out->p == NULL ? -1 : 0;
out:
	free(own);
	free(change);
	return rc;
}

/*
 * Parse text (as if it were the file `name`) and compare what it gives with
 * what lesson_write promises; 0, or -1 with err set.
 */
static int
lw_verify(const char *name, const struct strbuf *text,
    const struct lesson *old, const struct lesson_step *steps,
    const char *id, const char *title, struct err *err)
{
	struct lesson	*w;
	struct err	 perr;
	const char	*m;
	size_t		 i, j;
	int		 rc = -1;

	if ((w = lesson_parse(name, text->p, text->len, &perr)) == NULL) {
		/* "name:26: msg": the file does not exist, say "line 26" */
		m = perr.msg;
		if (strncmp(perr.msg, name, strlen(name)) == 0 &&
		    perr.msg[strlen(name)] == ':')
			m = perr.msg + strlen(name) + 1;
		if (isdigit((unsigned char)*m))
			err_set(err, "the copy would not load (its "
			    "line %s)", m);
		else
			err_set(err, "the copy would not load (%s)",
			    m + strspn(m, " "));
		return -1;
	}
	if (w->nsteps != old->nsteps || strcmp(w->id, id) != 0 ||
	    strcmp(w->title, title) != 0 || strcmp(w->lang, old->lang) != 0) {
		err_set(err, "the copy would not load as a copy of "
		    "'%s' (its id, title, language or steps differ)", old->id);
		goto out;
	}
	for (i = 0; i < w->nsteps; i++)
		for (j = 0; j < LW_NKEYS; j++)
			if (!lw_same(lw_keys[j], &w->steps[i], &steps[i])) {
				err_set(err, "step %zu's %s cannot be "
				    "saved exactly", i + 1,
				    lp_keys[lw_keys[j]].name);
				goto out;
			}
	rc = 0;
out:
	lesson_free(w);
	return rc;
}

/* mkdir -p for an absolute path; 0 or -1 (errno set). */
static int
lw_mkdirs(const char *path)
{
	char	 buf[PATH_MAX];
	char	*p;

	if (strlen(path) >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Write len bytes of text into a new temporary file in dir; 0 with its
   name in tmp, or -1 with err set. */
static int
lw_write_tmp(const char *dir, const char *text, size_t len, char *tmp,
    size_t tmplen, struct err *err)
{
	FILE	*fp;
	int	 fd, n, saved;

	n = snprintf(tmp, tmplen, "%s/.losslab-XXXXXX", dir);
	if (n < 0 || (size_t)n >= tmplen || (fd = mkstemp(tmp)) < 0) {
		err_set(err, "cannot write in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(tmp);
		err_set(err, "cannot write in %s: %s", dir,
		    strerror(saved));
		return -1;
	}
	if (fwrite(text, 1, len, fp) != len || fflush(fp) != 0 ||
	    fsync(fileno(fp)) != 0 || ferror(fp)) {
		saved = errno;
		fclose(fp);
		unlink(tmp);
		err_set(err, "cannot write %s: %s", tmp,
		    strerror(saved));
		return -1;
	}
	if (fclose(fp) != 0) {
		saved = errno;
		unlink(tmp);
		err_set(err, "cannot write %s: %s", tmp,
		    strerror(saved));
		return -1;
	}
	return 0;
}

int
lesson_write(const struct lesson *l, const struct lesson_step *steps,
    const char *dir, const char *title, char *path, size_t pathlen,
    struct err *err)
{
	struct lparse	 sp;
	struct lesson	*old;
	struct strbuf	 text = STRBUF_INIT;
	char		 udir[PATH_MAX], tmp[PATH_MAX], id[256], final[PATH_MAX];
	struct err	 perr;
	int		 n, k, saved, rc = -1;

	if (title == NULL || title[0] == '\0') {
		err_set(err, "the lesson needs a title");
		return -1;
	}
	/* one line of the file: no newline, and no CR at the end, which
	   reading strips (a CR inside is the line's, as a lesson's own
	   title may have it: found by fuzz_roundtrip) */
	if (strchr(title, '\n') != NULL || title[strlen(title) - 1] == '\r') {
		err_set(err, "the title must be one line");
		return -1;
	}
	if (l->src == NULL) {
		err_set(err, "lesson '%s' has no source text to copy",
		    l->id);
		return -1;
	}
	/* where each line of the source is, and the header's values */
	lp_init(&sp, l->path, l->src, l->srclen, &perr);
	sp.want_spans = 1;
	if ((old = lp_run(&sp)) == NULL || old->nsteps != l->nsteps) {
		err_set(err, "the lesson's source no longer parses: "
		    "%s", old == NULL ? perr.msg : "its steps differ");
		goto out;
	}
	if (dir == NULL) {
		if (datadir_user("lessons", udir, sizeof udir) != 0) {
			err_set(err, "no lesson directory: neither "
			    "XDG_DATA_HOME nor HOME is set");
			goto out;
		}
		dir = udir;
	}
	if (lw_mkdirs(dir) != 0) {
		err_set(err, "cannot create %s: %s", dir,
		    strerror(errno));
		goto out;
	}
	/*
	 * The first free name ID-mine, ID-mine-2, ...: the lesson is written
	 * whole to a temporary file, then named with link(2), which never
	 * replaces an existing file -- a name taken meanwhile (another losslab)
	 * moves on to the next.  A reader sees no file or a complete one.
	 */
	for (k = 1; k < 1000; k++) {
		if (k == 1)
			n = snprintf(id, sizeof id, "%s-mine", l->id);
		else
			n = snprintf(id, sizeof id, "%s-mine-%d", l->id, k);
		if (n < 0 || (size_t)n >= sizeof id)
			break;
		n = snprintf(final, sizeof final, "%s/%s.%s.lesson", dir, id,
		    l->lang);
		if (n < 0 || (size_t)n >= sizeof final)
			break;
		if (access(final, F_OK) == 0)
			continue;
		strbuf_free(&text);
		if (lw_text(&text, &sp, old, steps, id, title) != 0) {
			err_set(err, "out of memory");
			goto out;
		}
		/* read back before it is named: exactly these values */
		if (lw_verify(final, &text, old, steps, id, title, err) != 0)
			goto out;
		if (lw_write_tmp(dir, text.p, text.len, tmp, sizeof tmp,
		    err) != 0)
			goto out;
		if (link(tmp, final) == 0) {
			unlink(tmp);
			snprintf(path, pathlen, "%s", final);
			rc = 0;
			goto out;
		}
		saved = errno;
		unlink(tmp);
		if (saved != EEXIST) {
			err_set(err, "cannot create %s: %s", final,
			    strerror(saved));
			goto out;
		}
	}
	err_set(err, "no free name for a copy of '%s' in %s", l->id,
	    dir);
out:
	strbuf_free(&text);
	lesson_free(old);
	lp_cleanup(&sp);
	return rc;
}
