/*
 * cmd_eval.c -- `losslab eval LOSS --input V --target V [options]`.
 *
 * Parses the values and options, hands them to the loss core (loss_eval,
 * pitfall_eval, diag_check) and prints either a readable report or one JSON
 * object.  Nothing here computes a loss.  Every bad input -- an unknown loss
 * or option, an option the loss does not read, a number that does not parse,
 * a shape the core refuses -- ends in one "losslab: ..." line and exit 2.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#ifdef HAVE_PTHREAD
#include <pthread.h>
#endif
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_eval.h"
#include "core/diag.h"
#include "core/dtype.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "core/vstat.h"
#include "dtoa.h"
#include "i18n.h"
#include "json.h"
#include "npy.h"
#include "parse.h"

enum {
	OPT_JSON = CLI_OPT_END, OPT_HELP, OPT_OUT_GRAD, OPT_OUT_ELEM, OPT_FULL,
	OPT_DTYPE, OPT_TARGET_DTYPE, OPT_THREADS
};

/* --threads: at most this many. */
#define EVAL_THREADS_MAX	64

/* Reports of inputs with more values than this summarise the arrays
   (shape, min, max, mean, non-finite count) unless --full. */
#define EVAL_FULL_MAX	1000

static const struct option eval_options[] = {
	CLI_LOSS_OPTION_TABLE,
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "out-grad",		required_argument, NULL, OPT_OUT_GRAD },
	{ "out-elem",		required_argument, NULL, OPT_OUT_ELEM },
	{ "full",		no_argument,	   NULL, OPT_FULL },
	{ "dtype",		required_argument, NULL, OPT_DTYPE },
	{ "target-dtype",	required_argument, NULL, OPT_TARGET_DTYPE },
	{ "threads",		required_argument, NULL, OPT_THREADS },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

/* Everything one invocation owns, freed in one place. */
struct eval_args {
	enum loss_id		 loss;
	struct cli_loss		 l;	/* the values and loss options */
	int			 json;
	int			 full;	/* --full: every number, whatever the size */
	int			 summary; /* the arrays are summarised */
	const char		*out_grad, *out_elem; /* .npy files to write */
	int			 have_dtype, have_target_dtype;
	int			 threads;	/* --threads, or 0 */
	enum dtype		 dtype, target_dtype;	/* --dtype, --target-dtype */
	enum dtype		 xdt, tdt, rdt;	/* as torch sees the tensors, and
						   the result's dtype */
};

/*
 * Large .npy inputs are mapped, not read (npy_map_files): if another
 * process truncates such a file while eval uses it, the next access to a
 * page beyond the new end raises SIGBUS.  That is reported in one line
 * (translated before the handler is installed: nothing unsafe in it) and
 * eval exits 2; the output files are written whole or not at all
 * (outfile.h), so no partial .npy is left.
 */
static const char	*bus_msg;
static size_t		 bus_len;

static void
on_sigbus(int sig)
{
	(void)sig;
	(void)!write(STDERR_FILENO, bus_msg, bus_len);
	_exit(CLI_EXIT_USAGE);
}

static void
map_inputs(void)
{
	struct sigaction	sa;

	bus_msg = _("losslab: an input .npy file was truncated or changed "
	    "while eval read it (SIGBUS): eval stopped\n");
	bus_len = strlen(bus_msg);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) == 0)
		npy_map_files(NPY_MAP_F32);
}

static int same_shape(const struct eval_args *);

/*
 * Whether this evaluation reads a float32 input in its float32 storage
 * (core/mat.h): a large float32 .npy of logits for ce with class indices,
 * computed in float32 and summarised (not --full), with no pitfall -- the
 * one loss whose float kernel, checks and summary read floats; the
 * gradient is then floats too, written to --out-grad as they are.  Every
 * other evaluation has its values widened to doubles first (widen), and
 * gets the same numbers: the floats are the doubles' exact values.
 */
static int
float_storage(const struct eval_args *a)
{
	return a->l.input.f32 != NULL && a->loss == LOSS_CE && !same_shape(a) &&
	    a->l.opts.float32 && a->l.pitfall == PITFALL_NONE && !a->full &&
	    mat_numel(&a->l.input) > EVAL_FULL_MAX;
}

/* Every value as doubles (mat_widen); 0, or CLI_EXIT_USAGE after the
   one line. */
static int
widen(struct eval_args *a)
{
	struct err	e;

	if (mat_widen(&a->l.input, &e) != 0 ||
	    mat_widen(&a->l.target, &e) != 0 ||
	    mat_widen(&a->l.weight, &e) != 0 ||
	    mat_widen(&a->l.pos_weight, &e) != 0)
		return cli_fail("%s", e.msg);
	return 0;
}

void
cmd_eval_usage(void *out)
{
	FILE	*fp = out;
	int	 i;

	fputs(_("Usage: losslab eval LOSS --input V --target V [OPTION]...\n"
	    "Compute a classification loss, its gradient and its warnings, "
	    "exactly as\nPyTorch 1.13 does in float64.\n\n"), fp);
	fputs(_("LOSS is one of:"), fp);
	for (i = 0; i < LOSS_COUNT; i++)
		fprintf(fp, " %s", loss_name(i));
	fputs("\n\n", fp);
	fputs(_(
"  --input V            the model output (logits, probabilities or\n"
"                       log-probabilities, as the loss expects)\n"
"  --target V           targets; for ce/nll/multi-margin a target shaped like\n"
"                       the input holds class probabilities, otherwise class\n"
"                       indices (0,2 for a 2xC input; 1 for a 1-D input)\n"
"  --reduction R        none, mean (default), sum; batchmean for kl-div\n"
"  --weight V           weights (per class, or broadcast like PyTorch for bce)\n"
"  --pos-weight V       bce-logits: weight of the positive term per class\n"
"  --ignore-index N     ce, nll: targets equal to N are skipped (default -100)\n"
"  --label-smoothing X  ce: epsilon in [0, 1] (default 0)\n"
"  --margin X           multi-margin: the margin (default 1)\n"
"  --p 1|2              multi-margin: the power (default 1)\n"
"  --alpha X            focal: positive-class weight (default 0.25; <0: off)\n"
"  --gamma X            focal: focusing exponent (default 2)\n"
"  --log-target         kl-div: the target is given as log-probabilities\n"
"  --pitfall ID         also evaluate a classic mistake on the same input:\n"
"                       double-sigmoid, softmax-then-ce, log-softmax-then-ce,\n"
"                       bce-on-logits, naive-float32\n"
"  --json               print one JSON object instead of the report\n"
"  --out-grad FILE.npy  write the gradient w.r.t. the input (the input's\n"
"                       shape and dtype) as a NumPy .npy file\n"
"  --out-elem FILE.npy  write the reduction='none' output (torch's shape\n"
"                       and dtype) as a NumPy .npy file\n"
"  --full               print every number of a large input (by default an\n"
"                       input of more than 1000 values is summarised)\n"
"  --dtype float32|float64\n"
"                       the input's dtype (default: the .npy file's, else\n"
"                       float64); float32 computes as torch does for\n"
"                       float32 tensors\n"
"  --target-dtype long|int|float|double|...\n"
"                       the target tensor's dtype (default: the .npy file's,\n"
"                       else what the loss accepts); torch's dtype errors\n"
"                       are reproduced word for word\n"
"  --threads N          at most N threads for a large float32 cross-entropy\n"
"                       or NLL with class indices, and (N > 1) the output\n"
"                       files written beside the report of a large input\n"
"                       (default: the processors eval may run on); the\n"
"                       numbers do not depend on N\n"
"  --help               show this help and exit\n\n"), fp);
	fputs(_(
"V is a,b,c (1-D) or a,b;c,d (rows), or [[a,b],[c,d]] as torch.tensor takes it;\n"
"@FILE reads it from a file (the same syntax, or one row a line: a file of\n"
"one value a line is 1-D, as np.loadtxt reads it; or a NumPy .npy array of\n"
"any rank), - from standard input; inf, -inf and nan are accepted.  Bad\n"
"input exits with status 2 and one line on standard error.\n\n"
"Example:\n"
"  losslab eval ce --input '2,1,0.1;0.2,0.3,2.5' --target 0,2 --json\n"), fp);
}

/* The processors this process may run on (its affinity where the system
   tells it, else those online), at most EVAL_THREADS_MAX; 1 if unknown. */
static int
cpus(void)
{
	long	n = -1;

#if defined(CPU_COUNT) && defined(__linux__)
	cpu_set_t	set;

	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
#endif
#ifdef _SC_NPROCESSORS_ONLN
	if (n < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
	return n < 1 ? 1 : n > EVAL_THREADS_MAX ? EVAL_THREADS_MAX : (int)n;
}

/* Whether loss id gives one output per sample (its input has a class
   dimension), so that a 0-d input is not one it takes. */
static int
per_sample(enum loss_id id)
{
	return id == LOSS_CE || id == LOSS_NLL || id == LOSS_MULTI_MARGIN ||
	    id == LOSS_MULTILABEL_SOFT_MARGIN;
}

/*
 * --out-grad and --out-elem may not name the same file, nor a file read
 * by a value option (an @FILE argument): writing would destroy it.  A 0-d
 * .npy input is refused for the per-sample losses (their 0-d cases are
 * torch's errors, which losslab does not imitate yet).
 */
static int
check_outputs(int argc, char **argv, const struct eval_args *a)
{
	const char	*outs[2] = { a->out_grad, a->out_elem };
	int		 i, k;

	if (outs[0] != NULL && outs[1] != NULL && strcmp(outs[0], outs[1]) == 0)
		return cli_fail("--out-grad and --out-elem both name '%s'",
		    outs[0]);
	for (k = 0; k < 2; k++) {
		if (outs[k] == NULL)
			continue;
		for (i = 1; i < argc; i++)
			if (argv[i][0] == '@' && strcmp(argv[i] + 1,
			    outs[k]) == 0)
				return cli_fail("%s: '%s' is also read as a "
				    "value (%s): it would be overwritten",
				    k == 0 ? "--out-grad" : "--out-elem",
				    outs[k], argv[i]);
	}
	if (a->l.input_info.type != NPY_NONE && a->l.input_info.npy_ndim == 0 &&
	    per_sample(a->loss))
		return cli_fail("%s: --input is a 0-d array: %s takes (C) or "
		    "(N, C)", loss_name(a->loss), loss_torch_name(a->loss));
	return 0;
}

/* Write --out-grad and --out-elem as torch's tensors would be saved: the
   gradient in the input's shape (0-d for a 0-d .npy input) and dtype (the
   gradient of a float32 input is float32), the reduction='none' output in
   its own shape and the result's dtype.  0 or CLI_EXIT_USAGE. */
static int
write_outputs(const struct eval_args *a, const struct loss_result *r)
{
	struct err	 e;
	int		 scalar_in = a->l.input_info.type != NPY_NONE &&
			    a->l.input_info.npy_ndim == 0;

	if (a->out_grad != NULL && npy_write_mat(a->out_grad, &r->grad,
	    scalar_in, a->xdt == DTYPE_FLOAT, &e) != 0)
		return cli_fail("--out-grad: %s", e.msg);
	if (a->out_elem != NULL && npy_write_mat(a->out_elem, &r->elem,
	    r->elem_scalar || scalar_in, a->rdt == DTYPE_FLOAT, &e) != 0)
		return cli_fail("--out-elem: %s", e.msg);
	return 0;
}

static size_t	 precompute_summaries(const struct eval_args *a,
		    const struct loss_result *r);

/* The diagnostics into dl, and for a summarised report the arrays'
   summaries first: the input's gives diag its count of non-finite values
   (one pass over the input fewer). */
static void
diags(struct eval_args *a, const struct loss_result *r, struct diag_list *dl)
{
	size_t	nonfinite = DIAG_UNCOUNTED;

	if (a->summary)
		nonfinite = precompute_summaries(a, r);
	diag_check_counted(a->loss, &a->l.input, &a->l.target, &a->l.opts,
	    r, nonfinite, dl);
}

#ifdef HAVE_PTHREAD
/* write_outputs on a thread of its own. */
struct writer {
	const struct eval_args		*a;
	const struct loss_result	*r;
	int				 rc;
	pthread_t			 th;
};

static void *
writer_main(void *arg)
{
	struct writer	*w = arg;

	w->rc = write_outputs(w->a, w->r);
	return NULL;
}
#endif

/*
 * A gradient written while it is computed: with threads, a large input
 * summarised and --out-grad, a writer thread writes the gradient's file
 * (npy_write_chunks, in the input's dtype) a piece at a time as the kernel
 * says its values are final (loss_opts.values_done: ce and nll in float32,
 * ce and bce-logits in float64 say so), waiting for the rest; then
 * --out-elem.  If the loss fails, or the result is not the gradient the
 * header said, the file is abandoned (nothing at the path changes) and,
 * for the latter, written as usual.  The bytes are npy_write_mat's
 * (tests/npy.sh compares 1 thread with 2).
 */
#ifdef HAVE_PTHREAD
/* The values' progress is counted in units of this many values. */
#define STREAM_UNIT	((size_t)1 << 12)

struct stream {
	int				 on;
	struct eval_args		*a;
	const struct loss_result	*r;	/* once finished */
	pthread_mutex_t			 mu;
	pthread_cond_t			 cv;
	const unsigned char		*g;	/* the gradient's values */
	size_t				*cnt;	/* a unit's values done */
	size_t				 units, prefix; /* units
						   [0, prefix) are done */
	size_t				 want;	/* the values the writer
						   waits for (0: none) */
	size_t				 shape[2], n, esize;
	int				 nd, f32;
	int				 state;	/* 0 computing, 1 finished,
						   -1 abandoned */
	const char			*failed;	/* the option whose
						   file failed, or NULL */
	struct err			 e;	/* and why */
	pthread_t			 th;
};

/* The gradient's values as the file has them. */
static const unsigned char *
stream_values(const struct stream *st, const struct loss_result *r)
{
	return st->f32 ? (const unsigned char *)r->grad.f32 :
	    (const unsigned char *)r->grad.v;
}

/* loss_opts.values_done: values [i0, i1) of r->grad are final. */
static void
stream_done(void *ctx, const struct loss_result *r, size_t i0, size_t i1)
{
	struct stream	*st = ctx;
	size_t		 u, hi;

	(void)pthread_mutex_lock(&st->mu);
	if (st->g == NULL)
		st->g = stream_values(st, r);
	for (i1 = i1 < st->n ? i1 : st->n; i0 < i1; i0 = hi) {
		u = i0 / STREAM_UNIT;
		hi = (u + 1) * STREAM_UNIT < i1 ? (u + 1) * STREAM_UNIT : i1;
		st->cnt[u] += hi - i0;
	}
	while (st->prefix < st->units && st->cnt[st->prefix] == (st->prefix <
	    st->units - 1 ? STREAM_UNIT : st->n - st->prefix * STREAM_UNIT))
		st->prefix++;
	/* woken only when what it waits for is there */
	if (st->want != 0 && st->prefix * STREAM_UNIT >= st->want)
		(void)pthread_cond_broadcast(&st->cv);
	(void)pthread_mutex_unlock(&st->mu);
}

/* outfile_chunk_fn: bytes [off, off + k) of the gradient, once computed;
   NULL once abandoned. */
static const void *
stream_chunk(void *ctx, size_t off, size_t k)
{
	struct stream	*st = ctx;
	size_t		 last = (off + k - 1) / st->esize;
	const void	*p = NULL;

	(void)pthread_mutex_lock(&st->mu);
	st->want = last + 1;
	while (st->state == 0 && (st->g == NULL ||
	    st->prefix * STREAM_UNIT <= last))
		(void)pthread_cond_wait(&st->cv, &st->mu);
	st->want = 0;
	if (st->state != -1)
		p = st->g + off;
	(void)pthread_mutex_unlock(&st->mu);
	return p;
}

static void *
stream_main(void *arg)
{
	struct stream	*st = arg;
	int		 state;

	if (npy_write_chunks(st->a->out_grad, st->nd, st->shape, st->n,
	    st->f32, stream_chunk, st, &st->e) != 0) {
		st->failed = "--out-grad";
		return NULL;
	}
	(void)pthread_mutex_lock(&st->mu);
	while (st->state == 0)
		(void)pthread_cond_wait(&st->cv, &st->mu);
	state = st->state;
	(void)pthread_mutex_unlock(&st->mu);
	if (state == 1 && st->a->out_elem != NULL &&
	    npy_write_mat(st->a->out_elem, &st->r->elem, st->r->elem_scalar,
	    st->a->rdt == DTYPE_FLOAT, &st->e) != 0)
		st->failed = "--out-elem";
	return NULL;
}

/* Start the writer where it pays (see struct stream); st->on says.  The
   gradient's storage is the input's: floats for a float32 array kept as
   floats, doubles for float64. */
static void
stream_start(struct eval_args *a, struct stream *st)
{
	const struct mat	*x = &a->l.input;
	struct stat		 sb;

	memset(st, 0, sizeof *st);
	/* a regular file or none: a FIFO or a device is written as it
	   was, after the loss (a FIFO's open waits for its reader, and a
	   failed loss must leave a device alone) */
	if (a->out_grad == NULL || (stat(a->out_grad, &sb) == 0 &&
	    !S_ISREG(sb.st_mode)))
		return;
	st->f32 = x->f32 != NULL;
	if (a->l.opts.threads < 2 || !a->summary ||
	    a->xdt != (st->f32 ? DTYPE_FLOAT : DTYPE_DOUBLE) ||
	    (a->l.input_info.type != NPY_NONE &&
	    a->l.input_info.npy_ndim == 0) || !npy_chunks_ok() ||
	    (a->loss != LOSS_CE && a->loss != LOSS_NLL &&
	    a->loss != LOSS_BCE_LOGITS))
		return;
	st->a = a;
	st->nd = x->ndim == 2 ? 2 : 1;
	st->shape[0] = x->ndim == 2 ? x->rows : x->cols;
	st->shape[1] = x->cols;
	st->esize = st->f32 ? sizeof(float) : sizeof(double);
	st->n = mat_numel(x);
	st->units = (st->n + STREAM_UNIT - 1) / STREAM_UNIT;
	if ((st->cnt = calloc(st->units, sizeof *st->cnt)) == NULL)
		return;
	(void)pthread_mutex_init(&st->mu, NULL);
	(void)pthread_cond_init(&st->cv, NULL);
	if (pthread_create(&st->th, NULL, stream_main, st) != 0) {
		(void)pthread_cond_destroy(&st->cv);
		(void)pthread_mutex_destroy(&st->mu);
		free(st->cnt);
		return;
	}
	st->on = 1;
	a->l.opts.values_done = stream_done;
	a->l.opts.done_ctx = st;
}

/* Tell the writer that r is the result, every value of it final. */
static void
stream_finished(struct stream *st, const struct loss_result *r)
{
	(void)pthread_mutex_lock(&st->mu);
	st->state = 1;
	st->r = r;
	st->g = stream_values(st, r);
	st->prefix = st->units;
	(void)pthread_cond_broadcast(&st->cv);
	(void)pthread_mutex_unlock(&st->mu);
}

/* Wait for the writer, told its state (stream_finished, or -1: abandon
   the file), and let it go; 0, or CLI_EXIT_USAGE when a file failed
   (said here, in one line: the writer says nothing). */
static int
stream_join(struct stream *st)
{
	int	state;

	if (!st->on)
		return 0;
	st->a->l.opts.values_done = NULL;
	st->a->l.opts.done_ctx = NULL;
	(void)pthread_mutex_lock(&st->mu);
	if (st->state == 0)
		st->state = -1;
	state = st->state;
	(void)pthread_cond_broadcast(&st->cv);
	(void)pthread_mutex_unlock(&st->mu);
	(void)pthread_join(st->th, NULL);
	(void)pthread_cond_destroy(&st->cv);
	(void)pthread_mutex_destroy(&st->mu);
	free(st->cnt);
	st->on = 0;
	if (state == 1 && st->failed != NULL)
		return cli_fail("%s: %s", st->failed, st->e.msg);
	return 0;
}
#else
struct stream {
	int	on;
};

static void
stream_start(struct eval_args *a, struct stream *st)
{
	(void)a;
	st->on = 0;
}

static int
stream_join(struct stream *st)
{
	(void)st;
	return 0;
}
#endif

/* Abandon the file being written, if one is (the loss failed): nothing
   at its path changes. */
static void
stream_abandon(struct stream *st)
{
	(void)stream_join(st);
}

/*
 * The output files, and what the report needs (the diagnostics, and the
 * arrays' summaries when it summarises): with threads, the files are
 * written on a thread of their own meanwhile (both only read the
 * results; the gradient's may be being written already, st); nothing is
 * printed before both are done, so a failed write still prints nothing
 * but its one line.  0 or CLI_EXIT_USAGE.
 */
static int
outputs_and_diags(struct eval_args *a, const struct loss_result *r,
    struct diag_list *dl, struct stream *st)
{
#ifdef HAVE_PTHREAD
	struct writer	 w;

	if (st->on) {
		const struct mat *g = &r->grad;

		/* the gradient the header said, in the storage said: it
		   is being written (the writer told first, then the
		   diagnostics); else the file is abandoned and written
		   below */
		if ((st->f32 ? g->f32 != NULL : g->f32 == NULL &&
		    g->v != NULL) && g->ndim == a->l.input.ndim &&
		    g->rows == a->l.input.rows && g->cols == a->l.input.cols) {
			stream_finished(st, r);
			diags(a, r, dl);
			return stream_join(st);
		}
		stream_abandon(st);
	}
	w.a = a;
	w.r = r;
	w.rc = 0;
	if (a->summary && (a->out_grad != NULL || a->out_elem != NULL) &&
	    a->l.opts.threads > 1 &&
	    pthread_create(&w.th, NULL, writer_main, &w) == 0) {
		diags(a, r, dl);
		(void)pthread_join(w.th, NULL);
		return w.rc;
	}
#else
	(void)st;
#endif
	diags(a, r, dl);
	return write_outputs(a, r);
}

/* How the numbers were computed, when that is not plain float64. */
static void
print_dtype_notes(const struct eval_args *a, const struct loss_result *r)
{
	if (a->rdt == DTYPE_FLOAT && r->f32 == LOSS_F32_KERNEL)
		printf(_("note: float32, computed in float as torch computes "
		    "for float32 tensors\n"));
	else if (a->rdt == DTYPE_FLOAT)
		printf(_("note: float32: losslab computed in float64 and "
		    "rounded to float32 (its float32 kernels are bce, "
		    "bce-logits, ce and nll); torch's float32 may differ in "
		    "the last digits\n"));
	else if (a->rdt != DTYPE_DOUBLE)
		printf(_("note: torch computes in %s; losslab computed in "
		    "float64\n"), dtype_name(a->rdt));
}

static void value_shape(const struct mat *, const struct parse_info *,
    struct loss_shape *);

/* Whether input and target have the same shape as torch sees them (ce:
   class probabilities). */
static int
same_shape(const struct eval_args *a)
{
	struct loss_shape	xs, ts;

	value_shape(&a->l.input, &a->l.input_info, &xs);
	value_shape(&a->l.target, &a->l.target_info, &ts);
	return xs.ndim == ts.ndim &&
	    memcmp(xs.dim, ts.dim, (size_t)xs.ndim * sizeof xs.dim[0]) == 0;
}

/* torch's dtype of a .npy array (torch.from_numpy); -1 where it has none. */
static int
npy_dtype(enum npy_type t, enum dtype *d)
{
	static const struct {
		enum npy_type	 n;
		enum dtype	 d;
	} map[] = {
		{ NPY_FLOAT16, DTYPE_HALF }, { NPY_FLOAT32, DTYPE_FLOAT },
		{ NPY_FLOAT64, DTYPE_DOUBLE }, { NPY_INT64, DTYPE_LONG },
		{ NPY_INT32, DTYPE_INT }, { NPY_INT16, DTYPE_SHORT },
		{ NPY_INT8, DTYPE_CHAR }, { NPY_UINT8, DTYPE_BYTE },
		{ NPY_BOOL, DTYPE_BOOL },
	};
	size_t	i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].n == t) {
			*d = map[i].d;
			return 0;
		}
	return -1;
}

/*
 * The dtypes torch would see: the input's from --dtype, else its .npy
 * file, else float64; the target's from --target-dtype, else its .npy
 * file, else what the loss takes (int64 class indices, else the input's
 * float dtype).  Then torch's own check: its error word for word, with a
 * hint in brackets (only when report is set; -1 without a word
 * otherwise).  Sets a->xdt, a->tdt, a->rdt and opts.float32.
 */
static int
check_dtypes(struct eval_args *a, int report)
{
	const struct parse_info	*in = &a->l.input_info, *tg = &a->l.target_info;
	int			 prob, index;
	struct err		 e;

	a->rdt = DTYPE_COUNT;	/* stays so when the files have no dtype */
	prob = a->loss == LOSS_CE && same_shape(a);
	index = (a->loss == LOSS_CE && !prob) || a->loss == LOSS_NLL ||
	    a->loss == LOSS_MULTI_MARGIN;
	a->xdt = DTYPE_DOUBLE;
	if (a->have_dtype)
		a->xdt = a->dtype;
	else if (in->type != NPY_NONE && npy_dtype(in->type, &a->xdt) != 0)
		return cli_fail("--input: torch has no dtype for a %s array "
		    "(torch.from_numpy refuses it)", npy_type_name(in->type));
	if (a->have_target_dtype)
		a->tdt = a->target_dtype;
	else if (tg->type != NPY_NONE) {
		if (npy_dtype(tg->type, &a->tdt) != 0)
			return cli_fail("--target: torch has no dtype for a %s "
			    "array (torch.from_numpy refuses it)",
			    npy_type_name(tg->type));
	} else
		a->tdt = index ? DTYPE_LONG : dtype_is_float(a->xdt) ?
		    a->xdt : DTYPE_FLOAT;
	if (dtype_check(a->loss, prob, a->xdt, a->tdt, &a->rdt, &e) != 0)
		return !report ? -1 :
		    cli_fail("%s: %s [%s, %s: %s]", loss_name(a->loss), e.msg,
		    dtype_name(a->xdt), dtype_name(a->tdt),
		    _(dtype_hint(a->loss, prob, a->xdt, a->tdt)));
	a->l.opts.float32 = a->rdt == DTYPE_FLOAT;
	return 0;
}

static int
parse_args(int argc, char **argv, struct eval_args *a)
{
	const char	*loss_arg = NULL;
	int		 c, rc;

	cli_loss_init(&a->l);
	/* arrays of any rank: cross-entropy on (N, C, d1, ...) and the rest */
	a->l.input_info.allow_nd = a->l.target_info.allow_nd = 1;
	opterr = 0;
	optind = 0;	/* 0: GNU getopt re-initialises (main used "+") */
	while ((c = getopt_long(argc, argv, ":", eval_options, NULL)) != -1) {
		rc = 0;
		switch (c) {
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_FULL:
			a->full = 1;
			break;
		case OPT_OUT_GRAD:
		case OPT_OUT_ELEM:
			if ((c == OPT_OUT_GRAD ? a->out_grad : a->out_elem) !=
			    NULL)
				return cli_fail("%s given twice",
				    c == OPT_OUT_GRAD ? "--out-grad" :
				    "--out-elem");
			if (optarg[0] == '\0')
				return cli_fail("%s: the file name is empty",
				    c == OPT_OUT_GRAD ? "--out-grad" :
				    "--out-elem");
			if (c == OPT_OUT_GRAD)
				a->out_grad = optarg;
			else
				a->out_elem = optarg;
			break;
		case OPT_DTYPE:
		case OPT_TARGET_DTYPE: {
			enum dtype	d;

			if (dtype_parse(optarg, &d) != 0)
				return cli_fail("%s: unknown dtype '%s' (float32, "
				    "float64, long, int, float, double, bool, "
				    "...)", c == OPT_DTYPE ? "--dtype" :
				    "--target-dtype", optarg);
			if (c == OPT_DTYPE) {
				if (d != DTYPE_FLOAT && d != DTYPE_DOUBLE)
					return cli_fail("--dtype: losslab computes "
					    "in float32 or float64, not %s",
					    dtype_name(d));
				a->have_dtype = 1;
				a->dtype = d;
			} else {
				a->have_target_dtype = 1;
				a->target_dtype = d;
			}
			break;
		}
		case OPT_THREADS: {
			char	*end;
			long	 k;

			errno = 0;
			k = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    k < 1 || k > EVAL_THREADS_MAX)
				return cli_fail("--threads: '%s' is not a whole "
				    "number from 1 to %d", optarg,
				    EVAL_THREADS_MAX);
			a->threads = (int)k;
			break;
		}
		case OPT_HELP:
			cmd_eval_usage(stdout);
			return 1;
		case ':':
			return cli_fail("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			if (c >= CLI_OPT_INPUT && c < CLI_OPT_END) {
				rc = cli_loss_option(&a->l, c, optarg, "");
				break;
			}
			return cli_fail("unknown option '%s' (see 'losslab eval "
			    "--help')", argv[optind - 1]);
		}
		if (rc != 0)
			return rc;
	}
	a->l.opts.threads = a->threads > 0 ? a->threads : cpus();
	for (; optind < argc; optind++) {
		if (loss_arg != NULL)
			return cli_fail("unexpected argument '%s' (the loss is "
			    "already '%s')", argv[optind], loss_arg);
		loss_arg = argv[optind];
	}
	if (loss_arg == NULL)
		return cli_fail("eval needs a loss (see 'losslab eval --help')");
	if (loss_parse(loss_arg, &a->loss) != 0)
		return cli_fail("unknown loss '%s' (see 'losslab eval --help')",
		    loss_arg);
	if (!a->l.have_input)
		return cli_fail("eval %s needs --input", loss_arg);
	if (!a->l.have_target)
		return cli_fail("eval %s needs --target", loss_arg);
	if ((rc = cli_loss_check(&a->l, a->loss, LOSS_COUNT, "")) != 0)
		return rc;
	if ((rc = check_outputs(argc, argv, a)) != 0)
		return rc;
	if (a->l.pitfall != PITFALL_NONE &&
	    pitfall_loss(a->l.pitfall) != a->loss)
		return cli_fail("--pitfall %s imitates %s, not %s",
		    pitfall_name(a->l.pitfall),
		    loss_name(pitfall_loss(a->l.pitfall)), loss_name(a->loss));
	return 0;
}


static void
print_num(double v)
{
	if (isnan(v))
		printf(" %13s", "nan");
	else if (isinf(v))
		printf(" %13s", v > 0 ? "inf" : "-inf");
	else
		printf(" %13.8g", v);
}

/* What a summary says of an array: the finite values' range and mean. */
struct summary {
	size_t	 n, nonfinite;
	double	 min, max, mean;
};

/* Summaries computed ahead (precompute_summaries), by the array. */
#define SUMMARY_AHEAD	4
static struct {
	const struct mat	*m;
	struct summary		 s;
} ahead[SUMMARY_AHEAD];
static int nahead;

/* The summary of an array (vstat_summary, one vectorised pass), or the
   one computed ahead for it. */
static void
summarise(const struct mat *m, struct summary *s)
{
	struct vstat	vs;
	int		i;

	for (i = 0; i < nahead; i++)
		if (ahead[i].m == m) {
			*s = ahead[i].s;
			return;
		}
	if (m->f32 != NULL)
		vstat_summary_f(m->f32, mat_numel(m), &vs);
	else
		vstat_summary(m->v, mat_numel(m), &vs);
	s->n = vs.n;
	s->nonfinite = vs.nonfinite;
	s->min = vs.min;
	s->max = vs.max;
	s->mean = vs.mean;
}

/* Summarise the report's arrays now (while the output files are being
   written), for print_report and print_json to take; returns the number
   of the input's non-finite values. */
static size_t
precompute_summaries(const struct eval_args *a, const struct loss_result *r)
{
	const struct mat	*m[SUMMARY_AHEAD];
	int			 i;

	m[0] = &a->l.input;
	m[1] = &a->l.target;
	m[2] = &r->elem;
	m[3] = &r->grad;
	nahead = 0;
	for (i = 0; i < SUMMARY_AHEAD; i++) {
		if (mat_numel(m[i]) == 0)
			continue;
		summarise(m[i], &ahead[nahead].s);
		ahead[nahead++].m = m[i];
	}
	return nahead > 0 && ahead[0].m == m[0] ? ahead[0].s.nonfinite : 0;
}

static int summary_mode;	/* print_mat summarises (set per report) */
static const char *summary_dtype = "float64"; /* the dtype it names */

/* Print a mat as an indented table, one row a line (a summary line in
   summary mode). */
static void
print_mat(const struct mat *m)
{
	size_t		 r, c;
	struct summary	 s;
	char		 shape[64];
	char		 lo[DTOA_BUFSZ], hi[DTOA_BUFSZ], mean[DTOA_BUFSZ];

	if (mat_numel(m) == 0) {
		printf("  %s\n", _("(empty)"));
		return;
	}
	if (summary_mode) {
		summarise(m, &s);
		dtoa_fmt(s.min, lo);
		dtoa_fmt(s.max, hi);
		dtoa_fmt(s.mean, mean);
		printf(_("  %s %s: min %s, max %s, mean %s; "
		    "%zu non-finite\n"), mat_shape_str(m, shape, sizeof shape),
		    summary_dtype, lo, hi, mean, s.nonfinite);
		return;
	}
	for (r = 0; r < m->rows; r++) {
		fputs(" ", stdout);
		if (m->ndim == 2)
			printf(" [%zu]", r);
		for (c = 0; c < m->cols; c++)
			print_num(MAT_AT(m, r, c));
		putchar('\n');
	}
}

static void
print_value_line(const char *label, const struct loss_result *r,
    enum loss_reduction red)
{
	char	 buf[64], num[DTOA_BUFSZ];

	dtoa_fmt(r->value, num);
	printf("%s: %s", label, num);
	switch (red) {
	case LOSS_REDUCTION_NONE:
		printf("  (%s)\n", _("sum of the unreduced losses"));
		break;
	case LOSS_REDUCTION_SUM:
		printf("  (%s)\n", _("sum"));
		break;
	default:
		printf("  (%s %s)\n", _("sum divided by"),
		    parse_fmt(r->denom, buf, sizeof buf));
	}
}

static void
print_report(const struct eval_args *a, const struct loss_result *r,
    const struct diag_list *dl, const struct loss_result *pr,
    const struct err *perr)
{
	int		 i;
	char		 num[DTOA_BUFSZ];

	summary_mode = a->summary;
	printf("%s (%s), reduction=%s\n", loss_name(a->loss),
	    loss_torch_name(a->loss), loss_reduction_name(a->l.opts.reduction));
	/* "input, logits z:"; log p is its name already */
	if (loss_input_kind(a->loss) == LOSS_INPUT_LOG_PROBABILITIES)
		printf("%s, %s:\n", _("input"),
		    _(loss_input_kind_name(a->loss)));
	else
		printf("%s, %s %s:\n", _("input"),
		    _(loss_input_kind_name(a->loss)), loss_input_symbol(a->loss));
	if (a->l.input_info.type != NPY_NONE)
		summary_dtype = npy_type_name(a->l.input_info.type);
	print_mat(&a->l.input);
	printf("%s%s:\n", _("target"), r->index_target ?
	    _(" (class indices)") : "");
	summary_dtype = a->l.target_info.type != NPY_NONE ?
	    npy_type_name(a->l.target_info.type) : "float64";
	print_mat(&a->l.target);
	summary_dtype = dtype_name(a->rdt);
	printf("%s:\n", _("per-element loss (reduction='none')"));
	print_mat(&r->elem);
	print_value_line(_("loss"), r, a->l.opts.reduction);
	printf("%s %s (%s):\n", _("gradient"), loss_grad_label(a->loss),
	    _("w.r.t. the input"));
	print_mat(&r->grad);
	print_dtype_notes(a, r);
	if (a->summary)
		printf(_("note: more than %d input values: the arrays are "
		    "summarised (--full prints every value)\n"), EVAL_FULL_MAX);
	if (dl->n > 0) {
		printf("%s:\n", _("warnings"));
		for (i = 0; i < dl->n; i++)
			printf("  [%s] %s\n", dl->d[i].id, dl->d[i].msg);
	}
	if (a->l.pitfall == PITFALL_NONE)
		return;
	printf("\n%s %s: %s\n", _("pitfall"), pitfall_name(a->l.pitfall),
	    pitfall_torch_code(a->l.pitfall));
	if (pr == NULL) {
		printf("  %s: %s\n", _("PyTorch raises"), perr->msg);
		return;
	}
	printf("%s:\n", _("per-element loss (reduction='none')"));
	print_mat(&pr->elem);
	print_value_line(_("pitfall loss"), pr, a->l.opts.reduction);
	dtoa_fmt(pr->value - r->value, num);
	printf("%s: %s\n", _("difference (pitfall - correct)"), num);
	printf("%s %s (%s):\n", _("pitfall gradient"),
	    loss_grad_label(pitfall_loss(a->l.pitfall)),
	    _("w.r.t. the raw logits"));
	print_mat(&pr->grad);
}

/* An array, or in summary mode {"shape": [..], "min": .., "max": ..,
   "mean": .., "nonfinite": n}. */
static void
json_array(const struct mat *m)
{
	struct summary	s;

	if (!summary_mode) {
		json_mat(stdout, m);
		return;
	}
	summarise(m, &s);
	if (m->ndim == 2)
		printf("{\"shape\": [%zu, %zu]", m->rows, m->cols);
	else
		printf("{\"shape\": [%zu]", m->cols);
	fputs(", \"min\": ", stdout);
	json_number(stdout, s.min);
	fputs(", \"max\": ", stdout);
	json_number(stdout, s.max);
	fputs(", \"mean\": ", stdout);
	json_number(stdout, s.mean);
	printf(", \"nonfinite\": %zu}", s.nonfinite);
}

/* The 'none' output: a number when it is 0-d, else an array. */
static void
json_value(const struct loss_result *r, enum loss_reduction red)
{
	if (red != LOSS_REDUCTION_NONE || r->elem_scalar)
		json_number(stdout, red == LOSS_REDUCTION_NONE ?
		    r->elem.v[0] : r->value);
	else
		json_array(&r->elem);
}

static void
print_json(const struct eval_args *a, const struct loss_result *r,
    const struct diag_list *dl, const struct loss_result *pr,
    const struct err *perr)
{
	int i;

	summary_mode = a->summary;
	fputs("{\"loss\": ", stdout);
	json_string(stdout, loss_name(a->loss));
	fputs(", \"reduction\": ", stdout);
	json_string(stdout, loss_reduction_name(a->l.opts.reduction));
	fputs(", \"value\": ", stdout);
	json_value(r, a->l.opts.reduction);
	fputs(", \"grad\": ", stdout);
	json_array(&r->grad);
	fputs(", \"dtype\": ", stdout);
	json_string(stdout, dtype_name(a->rdt));
	if (a->summary)
		fputs(", \"summarised\": true", stdout);
	fputs(", \"warnings\": [", stdout);
	for (i = 0; i < dl->n; i++) {
		fputs(i ? ", {\"id\": " : "{\"id\": ", stdout);
		json_string(stdout, dl->d[i].id);
		fputs(", \"message\": ", stdout);
		json_string(stdout, dl->d[i].msg);
		fputc('}', stdout);
	}
	fputc(']', stdout);
	if (a->l.pitfall != PITFALL_NONE) {
		fputs(", \"pitfall\": {\"id\": ", stdout);
		json_string(stdout, pitfall_name(a->l.pitfall));
		if (pr != NULL) {
			fputs(", \"value\": ", stdout);
			json_value(pr, a->l.opts.reduction);
			fputs(", \"grad\": ", stdout);
			json_array(&pr->grad);
		} else {
			fputs(", \"error\": ", stdout);
			json_string(stdout, perr->msg);
		}
		fputc('}', stdout);
	}
	fputs("}\n", stdout);
}

/* --- N-D arrays ------------------------------------------------------- */

/* The shape torch sees: the .npy file's, else the typed value's. */
static void
value_shape(const struct mat *m, const struct parse_info *in,
    struct loss_shape *s)
{
	int	i;

	if (in->type != NPY_NONE) {
		s->ndim = in->npy_ndim;
		for (i = 0; i < in->npy_ndim && i < LOSS_MAX_NDIM; i++)
			s->dim[i] = in->npy_shape[i];
		return;
	}
	s->ndim = m->ndim;
	s->dim[0] = m->ndim == 2 ? m->rows : m->cols;
	s->dim[1] = m->cols;
}

/* Whether the arrays need loss_eval_nd: 3 or more dimensions, or the 0-d
   class index of a (C) input. */
static int
eval_is_nd(const struct eval_args *a)
{
	const struct parse_info	*in = &a->l.input_info, *tg = &a->l.target_info;

	if ((in->type != NPY_NONE && in->npy_ndim > 2) ||
	    (tg->type != NPY_NONE && tg->npy_ndim > 2))
		return 1;
	return tg->type != NPY_NONE && tg->npy_ndim == 0 &&
	    (a->loss == LOSS_CE || a->loss == LOSS_NLL) &&
	    !(in->type != NPY_NONE && in->npy_ndim == 0);
}

/* v[0..] of shape s[d..] as nested JSON arrays; returns the values used. */
static size_t
json_nested(const double *v, const struct loss_shape *s, int d)
{
	size_t	i, n = 0;

	if (d == s->ndim) {
		json_number(stdout, v[0]);
		return 1;
	}
	fputc('[', stdout);
	for (i = 0; i < s->dim[d]; i++) {
		if (i > 0)
			fputs(", ", stdout);
		n += json_nested(v + n, s, d + 1);
	}
	fputc(']', stdout);
	return s->dim[d] == 0 ? 0 : n;
}

/* eval of arrays of 3 or more dimensions (or a 0-d index): loss_eval_nd,
   torch's shapes; JSON arrays nested as torch's; the text report gives
   the value, the shapes and where the arrays are. */
static int
eval_nd(struct eval_args *a)
{
	struct loss_shape	 xs, ts, es;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct err		 e;
	char			 b1[256], b2[256];
	int			 rc = 0;

	value_shape(&a->l.input, &a->l.input_info, &xs);
	value_shape(&a->l.target, &a->l.target_info, &ts);
	if (a->l.pitfall != PITFALL_NONE)
		return cli_fail("--pitfall takes values of 1 or 2 dimensions "
		    "(the input is %s)", loss_shape_str(&xs, b1, sizeof b1));
	if (check_dtypes(a, 1) != 0)
		return CLI_EXIT_USAGE;
	if (loss_eval_nd(a->loss, a->l.input.v, &xs, a->l.target.v, &ts,
	    &a->l.opts, &r, &es, &e) != 0)
		return cli_fail("%s: %s", loss_name(a->loss), e.msg);
	if (a->out_grad != NULL && npy_write(a->out_grad, xs.ndim, xs.dim,
	    r.grad.v, mat_numel(&r.grad), a->xdt == DTYPE_FLOAT, &e) != 0) {
		rc = cli_fail("--out-grad: %s", e.msg);
		goto out;
	}
	if (a->out_elem != NULL && npy_write(a->out_elem, es.ndim, es.dim,
	    r.elem.v, mat_numel(&r.elem), a->rdt == DTYPE_FLOAT, &e) != 0) {
		rc = cli_fail("--out-elem: %s", e.msg);
		goto out;
	}
	if (a->json) {
		fputs("{\"loss\": ", stdout);
		json_string(stdout, loss_name(a->loss));
		fputs(", \"reduction\": ", stdout);
		json_string(stdout, loss_reduction_name(a->l.opts.reduction));
		fputs(", \"value\": ", stdout);
		if (a->l.opts.reduction == LOSS_REDUCTION_NONE)
			json_nested(r.elem.v, &es, 0);
		else
			json_number(stdout, r.value);
		fputs(", \"grad\": ", stdout);
		json_nested(r.grad.v, &xs, 0);
		fputs(", \"dtype\": ", stdout);
		json_string(stdout, dtype_name(a->rdt));
		fputs(", \"warnings\": []}\n", stdout);
		goto out;
	}
	printf("%s (%s), reduction=%s\n", loss_name(a->loss),
	    loss_torch_name(a->loss), loss_reduction_name(a->l.opts.reduction));
	printf("%s %s, %s %s\n", _("input"), loss_shape_str(&xs, b1, sizeof b1),
	    _("target"), loss_shape_str(&ts, b2, sizeof b2));
	print_value_line(_("loss"), &r, a->l.opts.reduction);
	printf(_("the reduction='none' output has shape %s, the gradient %s "
	    "(--json or --out-elem, --out-grad for the arrays)\n"),
	    loss_shape_str(&es, b1, sizeof b1),
	    loss_shape_str(&xs, b2, sizeof b2));
	print_dtype_notes(a, &r);
out:
	loss_result_free(&r);
	return rc;
}

int
cmd_eval_main(int argc, char **argv)
{
	struct eval_args	 a;
	struct loss_result	 r = LOSS_RESULT_INIT, pr = LOSS_RESULT_INIT;
	struct diag_list	 dl;
	struct err		 e, perr;
	struct stream		 st;
	int			 rc, pok = 0;

	memset(&a, 0, sizeof a);
	st.on = 0;
	nahead = 0;
	map_inputs();
	rc = parse_args(argc, argv, &a);
	if (rc != 0) {
		rc = rc == 1 ? 0 : rc;
		goto out;
	}
	if (eval_is_nd(&a)) {
		if ((rc = widen(&a)) == 0)
			rc = eval_nd(&a);
		goto out;
	}
	/* torch's order: shapes, then dtypes (the kernel's dispatch), then
	   the values (range, class bounds) */
	if (check_dtypes(&a, 0) != 0 && a.rdt == DTYPE_COUNT) {
		rc = CLI_EXIT_USAGE;	/* said: no torch dtype for the file */
		goto out;
	}
	if (!float_storage(&a) && (rc = widen(&a)) != 0)
		goto out;
	a.summary = !a.full && mat_numel(&a.l.input) > EVAL_FULL_MAX;
	stream_start(&a, &st);
	rc = loss_eval(a.loss, &a.l.input, &a.l.target, &a.l.opts, &r, &e);
	a.l.opts.values_done = NULL;	/* the kernel's alone */
	if (rc != 0) {
		char torch[256];

		stream_abandon(&st);
		if ((rc = widen(&a)) != 0)
			goto out;
		if (dtype_value_error(e.msg) && check_dtypes(&a, 1) != 0) {
			rc = CLI_EXIT_USAGE;
			goto out;
		}
		if (diag_refusal(a.loss, &a.l.input, &a.l.target, &a.l.opts,
		    torch, sizeof torch))
			rc = cli_fail("%s: %s [differs-from-torch: %s]",
			    loss_name(a.loss), e.msg, torch);
		else
			rc = cli_fail("%s: %s", loss_name(a.loss), e.msg);
		goto out;
	}
	if (check_dtypes(&a, 1) != 0) {
		stream_abandon(&st);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if ((rc = outputs_and_diags(&a, &r, &dl, &st)) != 0)
		goto out;
	if (a.l.pitfall != PITFALL_NONE)
		pok = pitfall_eval(a.l.pitfall, &a.l.input, &a.l.target,
		    &a.l.opts, &pr, &perr) == 0;
	if (a.json)
		print_json(&a, &r, &dl, pok ? &pr : NULL, &perr);
	else
		print_report(&a, &r, &dl, pok ? &pr : NULL, &perr);
	/* a failed write is reported at exit (main.c) */
out:
	stream_abandon(&st);	/* a safety net: every path ended it */
	nahead = 0;
	loss_result_free(&r);
	loss_result_free(&pr);
	cli_loss_free(&a.l);
	return rc;
}
