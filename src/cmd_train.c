/*
 * cmd_train.c -- `losslab train --data SET --model M --loss LOSS --lr X
 * --epochs E [options]`.
 *
 * Parses the options, generates the data or reads the learner's CSV file
 * (line by line into core/data.c's reader, which says what is wrong and
 * this file says where: FILE:LINE), and trains one or two runs of the
 * training lab (core/train.h): the correct loss and, with --pitfall, the
 * mistake from the same initial parameters on the same data in the same
 * batch order.  Nothing here computes a loss or a gradient.
 *
 * The output is a compact table of the history (about ten epochs) and a
 * text chart of the correct loss of both runs against the epoch, drawn
 * here in plain characters, or with --json one object:
 *   {"data": {"x": [[x1, x2], ...], "y": [...]},
 *    "params0": {"W1": [[...]], "b1": [...], "W2": [[...]], "b2": [...]},
 *    "params": {...}, "history": [{"epoch": 0, "loss": L,
 *    "correct_loss": L', "accuracy": A}, ...], "stopped": null or
 *    {"epoch": E, "reason": "diverged" or "refused", "message": M},
 *    "pitfall": {"id": ID, "history": [...], "params": {...},
 *    "stopped": ...}}
 * (the linear model has only W1 and b1; "pitfall" only with --pitfall).
 * Bad input ends in one "losslab: train: ..." line and exit status 2; a
 * run that diverges or that torch would refuse is a result, said in the
 * output, with exit status 0.  --plot FILE also writes the loss plot of
 * plot_train.c (before the report: a plot that fails is bad input).
 *
 * `losslab plot training KIND` (cmd_train_plot_main) is parsed by the same
 * function with one more table: the plot's options (--out, --format,
 * --size, --title, --log) and the kind as a word; it trains the same runs
 * and hands them to plot_train.c.
 */
#include "config.h"


#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_train.h"
#include "core/data.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "core/train.h"
#include "i18n.h"
#include "json.h"
#include "parse.h"
#include "plot.h"
#include "plot_train.h"
#include "safeout.h"
#include "strbuf.h"
#include "text.h"

#define CHART_WIDTH	60
#define CHART_HEIGHT	12
#define TABLE_ROWS	10	/* epochs shown besides 0 */

enum {
	OPT_DATA = CLI_OPT_END, OPT_CLASSES, OPT_N, OPT_SEED, OPT_NOISE,
	OPT_MODEL, OPT_HIDDEN, OPT_ACTIVATION, OPT_LOSS, OPT_LR, OPT_MOMENTUM,
	OPT_WEIGHT_DECAY, OPT_EPOCHS, OPT_BATCH, OPT_JSON, OPT_PLOT, OPT_HELP,
	OPT_OUT, OPT_FORMAT, OPT_SIZE, OPT_TITLE, OPT_LOG
};

/* The options of the training itself, shared by `losslab train` and
   `losslab plot training` (one table, one parser). */
#define TRAIN_OPTION_TABLE \
	CLI_LOSS_OPTION_TABLE, \
	{ "data",		required_argument, NULL, OPT_DATA }, \
	{ "classes",		required_argument, NULL, OPT_CLASSES }, \
	{ "n",			required_argument, NULL, OPT_N }, \
	{ "seed",		required_argument, NULL, OPT_SEED }, \
	{ "noise",		required_argument, NULL, OPT_NOISE }, \
	{ "model",		required_argument, NULL, OPT_MODEL }, \
	{ "hidden",		required_argument, NULL, OPT_HIDDEN }, \
	{ "activation",		required_argument, NULL, OPT_ACTIVATION }, \
	{ "loss",		required_argument, NULL, OPT_LOSS }, \
	{ "lr",			required_argument, NULL, OPT_LR }, \
	{ "momentum",		required_argument, NULL, OPT_MOMENTUM }, \
	{ "weight-decay",	required_argument, NULL, OPT_WEIGHT_DECAY }, \
	{ "epochs",		required_argument, NULL, OPT_EPOCHS }, \
	{ "batch",		required_argument, NULL, OPT_BATCH }, \
	{ "help",		no_argument,	   NULL, OPT_HELP }

static const struct option train_options[] = {
	TRAIN_OPTION_TABLE,
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "plot",		required_argument, NULL, OPT_PLOT },
	{ NULL, 0, NULL, 0 }
};

/* `losslab plot training`: the same, and the plot's own. */
static const struct option plot_options[] = {
	TRAIN_OPTION_TABLE,
	{ "out",		required_argument, NULL, OPT_OUT },
	{ "format",		required_argument, NULL, OPT_FORMAT },
	{ "size",		required_argument, NULL, OPT_SIZE },
	{ "title",		required_argument, NULL, OPT_TITLE },
	{ "log",		no_argument,	   NULL, OPT_LOG },
	/* train's outputs, refused with a word on what to use */
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "plot",		required_argument, NULL, OPT_PLOT },
	{ NULL, 0, NULL, 0 }
};

/* What was given, before the data are made. */
struct train_args {
	const char	*data, *loss;
	long		 classes, n;
	double		 noise;
	int		 have_classes, have_n, have_noise, have_model;
	int		 have_hidden, have_activation, have_lr, have_epochs;
};

void
cmd_train_usage(void *out)
{
	FILE	*fp = out;

	fputs(_("Usage: losslab train --data SET --model M --loss LOSS --lr X "
	    "--epochs E [OPTION]...\n"
	    "Train a small model by gradient descent, step for step as "
	    "torch.optim.SGD\ntrains the same nn.Module in float64; with "
	    "--pitfall the mistake beside the\nright loss, from the same "
	    "start on the same data.\n\n"), fp);
	fputs(_(
"Data:\n"
"  --data SET           blobs, xor, circles, spiral, multilabel, or @FILE.csv\n"
"                       (rows x1,x2,...,label; an optional header line)\n"
"  --classes K          classes: blobs 2, spiral 3, multilabel 3 labels;\n"
"                       xor and circles 2; a CSV file: its largest label + 1\n"
"  --n N                points (default 200)\n"
"  --seed S             seed of the data, the initial parameters and the\n"
"                       mini-batch order (default 1)\n"
"  --noise X            noise of the generated data (blobs 1, xor 0.25,\n"
"                       circles 0.1, spiral 0.2, multilabel 0.2)\n"
"Model:\n"
"  --model M            linear (logistic or softmax regression) or mlp\n"
"  --hidden H           mlp: hidden units (default 16)\n"
"  --activation A       mlp: tanh (default) or relu\n"), fp);
	fputs(_(
"Loss:\n"
"  --loss LOSS          ce, multi-margin (one class per point), bce-logits,\n"
"                       focal, multilabel-soft-margin (two classes or\n"
"                       multilabel data)\n"
"  --reduction R        mean (default) or sum\n"
"  --weight V, --pos-weight V, --ignore-index N, --label-smoothing X,\n"
"  --margin X, --p 1|2, --alpha X, --gamma X\n"
"                       the loss's options, as for 'losslab eval'\n"
"  --pitfall ID         also train the mistake from the same start:\n"
"                       softmax-then-ce, log-softmax-then-ce (for ce),\n"
"                       double-sigmoid, naive-float32, bce-on-logits (for\n"
"                       bce-logits)\n"
"Optimiser (torch.optim.SGD):\n"
"  --lr X               learning rate (> 0)\n"
"  --momentum M         momentum (default 0)\n"
"  --weight-decay W     weight decay (default 0)\n"
"  --epochs E           epochs (0 to 1000000)\n"
"  --batch full|N       the full batch (default) or mini-batches of N\n"
"                       points, shuffled each epoch from the seed\n"
"Output:\n"
"  --json               one JSON object: data, params0, params, history,\n"
"                       stopped, pitfall (see man losslab)\n""  --plot FILE          also write the loss against the epoch with gnuplot,\n"
"                       the format from the extension (.png, .svg, .pdf,\n"
"                       .txt, .six); the other plots: 'losslab plot\n"
"                       training --help'\n"
"  --help               show this help and exit\n\n"), fp);
	fputs(_(
"Bad input exits with status 2 and one line on standard error; a run that\n"
"diverges or that PyTorch would refuse says so in its output.\n\n"
"Example:\n"
"  losslab train --data spiral --model mlp --loss ce --lr 0.5 \\\n"
"      --momentum 0.9 --epochs 500 --pitfall softmax-then-ce\n"), fp);
}

/* --- options ------------------------------------------------------------- */

static int
opt_double(const char *opt, const char *arg, double *out)
{
	if (parse_double(arg, out) != 0)
		return cli_fail("train: %s: '%s' is not a number", opt, arg);
	return 0;
}

/* An integer option in [lo, hi]; what names the quantity. */
static int
opt_long(const char *opt, const char *arg, long lo, long hi,
    const char *what, long *out)
{
	long	v;

	if (parse_long(arg, &v) != 0 || v < lo || v > hi)
		return cli_fail("train: %s: '%s' is not %s (%ld to %ld)", opt,
		    arg, what, lo, hi);
	*out = v;
	return 0;
}

/* A seed: decimal digits, 0 to 2^64 - 1. */
static int
opt_seed(const char *arg, uint64_t *out)
{
	const char		*p;
	char			*end;
	unsigned long long	 v;

	for (p = arg; *p >= '0' && *p <= '9'; p++)
		;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*arg == '\0' || *p != '\0' || errno != 0 || *end != '\0')
		return cli_fail("train: --seed: '%s' is not a seed (an integer "
		    "from 0 to 18446744073709551615)", arg);
	*out = (uint64_t)v;
	return 0;
}

/* A finite number >= 0 (> 0 when positive) for an optimiser option. */
static int
opt_nonneg(const char *opt, const char *arg, int positive, double *out)
{
	if (opt_double(opt, arg, out) != 0)
		return CLI_EXIT_USAGE;
	if (!isfinite(*out) || *out < 0 || (positive && *out == 0))
		return cli_fail("train: %s: %s is not a finite number %s", opt,
		    arg, positive ? "> 0" : ">= 0");
	return 0;
}

/* "WxH", both in [1, 100000]. */
static int
size_arg(const char *s, int *w, int *h)
{
	char	*end;
	long	 a, b;

	errno = 0;
	a = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || a <= 0 || b <= 0 ||
	    a > 100000 || b > 100000)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

/* The options of `losslab plot training` besides train's; code 1 is a
   word (the kind). */
static int
plot_option(struct cmd_train_req *q, int c, const char *arg)
{
	switch (c) {
	case 1:
		if (q->kind_given)
			return cli_fail("plot training: one plot only (got '%s' "
			    "after '%s')", arg, plot_train_kind_name(q->kind));
		if (plot_train_kind_parse(arg, &q->kind) != 0)
			return cli_fail("plot training: unknown plot '%s' (loss, "
			    "accuracy, boundary, calibration)", arg);
		q->kind_given = 1;
		return 0;
	case OPT_OUT:
		q->out = arg;
		return 0;
	case OPT_FORMAT:
		if (plot_format_parse(arg, &q->format) != 0)
			return cli_fail("plot training: --format: unknown format "
			    "'%s' (png, svg, pdf, text or sixel)", arg);
		q->have_format = 1;
		return 0;
	case OPT_SIZE:
		if (size_arg(arg, &q->w, &q->h) != 0)
			return cli_fail("plot training: --size: expected WxH, "
			    "got '%s'", arg);
		q->have_size = 1;
		return 0;
	case OPT_TITLE:
		q->title = arg;
		return 0;
	case OPT_LOG:
		q->log = 1;
		return 0;
	default:
		return cli_fail("plot training: unknown option");
	}
}

static int
parse_option(struct cmd_train_req *q, struct train_args *a, int c,
    const char *arg)
{
	struct err	e;
	long		v;

	switch (c) {
	case OPT_DATA:
		a->data = arg;
		return 0;
	case OPT_CLASSES:
		a->have_classes = 1;
		return opt_long("--classes", arg, 2, DATA_MAX_CLASSES,
		    "a number of classes", &a->classes);
	case OPT_N:
		a->have_n = 1;
		return opt_long("--n", arg, 1, DATA_MAX_ROWS,
		    "a number of points", &a->n);
	case OPT_SEED:
		return opt_seed(arg, &q->spec.seed);
	case OPT_NOISE:
		a->have_noise = 1;
		return opt_nonneg("--noise", arg, 0, &a->noise);
	case OPT_MODEL:
		a->have_model = 1;
		if (train_model_parse(arg, &q->spec.model) != 0)
			return cli_fail("train: --model: unknown model '%s' "
			    "(linear, mlp)", arg);
		return 0;
	case OPT_HIDDEN:
		a->have_hidden = 1;
		if (opt_long("--hidden", arg, 1, TRAIN_MAX_HIDDEN,
		    "a number of hidden units", &v) != 0)
			return CLI_EXIT_USAGE;
		q->spec.hidden = (size_t)v;
		return 0;
	case OPT_ACTIVATION:
		a->have_activation = 1;
		if (train_activation_parse(arg, &q->spec.activation) != 0)
			return cli_fail("train: --activation: unknown "
			    "activation '%s' (tanh, relu)", arg);
		return 0;
	case OPT_LOSS:
		a->loss = arg;
		return 0;
	case OPT_LR:
		a->have_lr = 1;
		return opt_nonneg("--lr", arg, 1, &q->spec.lr);
	case OPT_MOMENTUM:
		return opt_nonneg("--momentum", arg, 0, &q->spec.momentum);
	case OPT_WEIGHT_DECAY:
		return opt_nonneg("--weight-decay", arg, 0,
		    &q->spec.weight_decay);
	case OPT_EPOCHS:
		a->have_epochs = 1;
		return opt_long("--epochs", arg, 0, TRAIN_MAX_EPOCHS,
		    "a number of epochs", &q->spec.epochs);
	case OPT_BATCH:
		if (strcmp(arg, "full") == 0) {
			q->spec.batch = 0;
			return 0;
		}
		if (parse_long(arg, &v) != 0 || v < 1)
			return cli_fail("train: --batch: '%s' is not a batch "
			    "size (full, or a number of points >= 1)", arg);
		q->spec.batch = (size_t)v;
		return 0;
	case OPT_JSON:
		if (q->plotting)
			return cli_fail("plot training: --json is an option of "
			    "'losslab train' (a plot is drawn here)");
		q->json = 1;
		return 0;
	case OPT_PLOT:
		if (q->plotting)
			return cli_fail("plot training: --plot is an option of "
			    "'losslab train' (use --out FILE)");
		if (plot_check_path(arg, &e) != 0)
			return cli_fail("train: --plot: %s", e.msg);
		if (plot_format_from_path(arg, &q->plot_format) != 0)
			return cli_fail("train: --plot: unknown format '%s' (use "
			    ".png, .svg, .pdf, .txt or .six)", arg);
		q->plot = arg;
		return 0;
	default:
		if (q->plotting)
			return plot_option(q, c, arg);
		return cli_fail("train: unknown option");
	}
}

/* --- data -------------------------------------------------------------------- */

/* Read the CSV file path into q->data; errors name FILE:LINE. */
static int
read_csv(struct cmd_train_req *q, const char *path, int classes)
{
	struct data_csv	 c;
	struct err	 e;
	FILE		*fp;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 len;
	int		 rc = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return cli_fail("train: --data: cannot read '%s': %s", path,
		    strerror(errno));
	data_csv_init(&c, classes);
	while ((len = getline(&line, &cap, fp)) != -1) {
		if ((size_t)len != strlen(line)) {
			c.line++;
			rc = cli_fail("train: %s:%zu: a NUL byte (not a text "
			    "file)", path, c.line);
			break;
		}
		if (data_csv_line(&c, line, &e) != 0) {
			rc = cli_fail("train: %s:%zu: %s", path, c.line, e.msg);
			break;
		}
	}
	if (rc == 0 && ferror(fp))
		rc = cli_fail("train: --data: cannot read '%s': %s", path,
		    strerror(errno));
	if (rc == 0 && data_csv_finish(&c, &q->data, &e) != 0)
		rc = cli_fail("train: %s: %s", path, e.msg);
	free(line);
	fclose(fp);
	data_csv_free(&c);
	return rc;
}

static int
make_data(struct cmd_train_req *q, const struct train_args *a)
{
	enum data_kind	 k;
	struct err	 e;

	if (a->data[0] == '@') {
		if (a->have_n)
			return cli_fail("train: --n does not apply to a CSV "
			    "file (it has its own rows)");
		if (a->have_noise)
			return cli_fail("train: --noise does not apply to a "
			    "CSV file");
		if (a->data[1] == '\0')
			return cli_fail("train: --data: '@' needs a file name");
		return read_csv(q, a->data + 1,
		    a->have_classes ? (int)a->classes : 0);
	}
	if (data_kind_parse(a->data, &k) != 0)
		return cli_fail("train: --data: unknown data set '%s' (blobs, "
		    "xor, circles, spiral, multilabel, or @FILE.csv)", a->data);
	if (data_generate(&q->data, k, a->have_n ? (size_t)a->n : 200,
	    a->have_classes ? (int)a->classes : data_default_classes(k),
	    a->have_noise ? a->noise : data_default_noise(k), q->spec.seed,
	    &e) != 0)
		return cli_fail("train: --data: %s", e.msg);
	return 0;
}

void
cmd_train_req_free(struct cmd_train_req *q)
{
	data_free(&q->data);
	cli_loss_free(&q->l);
}

/* The one parser: `losslab train` (plotting 0) or `losslab plot
   training` (1: the plot's options too, and the kind as a word). */
static int
setup(int argc, char **argv, struct cmd_train_req *q, int plotting)
{
	static const struct data	 zero = DATA_INIT;
	struct train_args		 a;
	enum loss_id			 id;
	int				 c, rc;
	const char			*cmd = plotting ? "plot training" :
					    "train";

	memset(q, 0, sizeof *q);
	q->data = zero;
	q->plotting = plotting;
	q->kind = PLOT_TRAIN_LOSS;
	train_spec_init(&q->spec);
	cli_loss_init(&q->l);
	memset(&a, 0, sizeof a);
	opterr = 0;
	optind = 0;	/* 0: GNU getopt re-initialises (main used "+") */
	/* "-": words come back as code 1, in order */
	while ((c = getopt_long(argc, argv, plotting ? "-:" : ":",
	    plotting ? plot_options : train_options, NULL)) != -1) {
		if (c == OPT_HELP) {
			if (plotting)
				cmd_train_plot_usage(stdout);
			else
				cmd_train_usage(stdout);
			return 1;
		}
		if (c == ':')
			return cli_fail("%s: option '%s' needs a value", cmd,
			    argv[optind - 1]);
		if (c == '?')
			return cli_fail("%s: unknown option '%s' (see 'losslab "
			    "%s --help')", cmd, argv[optind - 1], cmd);
		if (c == CLI_OPT_INPUT || c == CLI_OPT_TARGET)
			return cli_fail("%s: %s does not apply to train (the "
			    "data come from --data)", cmd, c == CLI_OPT_INPUT ?
			    "--input" : "--target");
		if (c >= CLI_OPT_INPUT && c < CLI_OPT_END)
			rc = cli_loss_option(&q->l, c, optarg, "train: ");
		else
			rc = parse_option(q, &a, c, optarg);
		if (rc != 0)
			return rc;
	}
	if (optind < argc)
		return cli_fail("train: unexpected argument '%s' (see 'losslab "
		    "train --help')", argv[optind]);
	if (a.data == NULL)
		return cli_fail("%s needs --data (see 'losslab %s --help')",
		    cmd, cmd);
	if (!a.have_model)
		return cli_fail("%s needs --model (linear or mlp)", cmd);
	if (a.loss == NULL)
		return cli_fail("%s needs --loss (ce, multi-margin, "
		    "bce-logits, focal, multilabel-soft-margin)", cmd);
	if (!a.have_lr)
		return cli_fail("%s needs --lr (the learning rate)", cmd);
	if (!a.have_epochs)
		return cli_fail("%s needs --epochs", cmd);
	if (loss_parse(a.loss, &id) != 0)
		return cli_fail("train: --loss: unknown loss '%s' (ce, "
		    "multi-margin, bce-logits, focal, multilabel-soft-margin)",
		    a.loss);
	if (!train_loss_ok(id))
		return cli_fail("train: --loss: %s is not trained here (ce, "
		    "multi-margin, bce-logits, focal, multilabel-soft-margin; "
		    "BCELoss on raw logits is --loss bce-logits --pitfall "
		    "bce-on-logits)", a.loss);
	q->spec.loss = id;
	if (q->spec.model != TRAIN_MLP && (a.have_hidden || a.have_activation))
		return cli_fail("train: --%s applies to --model mlp only",
		    a.have_hidden ? "hidden" : "activation");
	if ((rc = cli_loss_check(&q->l, id, LOSS_COUNT, "train: ")) != 0)
		return rc;
	if (q->l.pitfall != PITFALL_NONE && pitfall_loss(q->l.pitfall) != id)
		return cli_fail("train: --pitfall %s imitates %s, not %s",
		    pitfall_name(q->l.pitfall),
		    loss_name(pitfall_loss(q->l.pitfall)), loss_name(id));
	if (q->l.opts.reduction == LOSS_REDUCTION_NONE ||
	    q->l.opts.reduction == LOSS_REDUCTION_BATCHMEAN)
		return cli_fail("train: --reduction %s: training needs a "
		    "scalar loss (mean or sum)",
		    loss_reduction_name(q->l.opts.reduction));
	q->pitfall = q->l.pitfall;
	q->spec.opts = q->l.opts;
	return make_data(q, &a);
}

int
cmd_train_setup(int argc, char **argv, struct cmd_train_req *q)
{
	return setup(argc, argv, q, 0);
}

/* --- output ------------------------------------------------------------------ */

static void
json_params(FILE *fp, const struct train_params *p)
{
	fputs("{\"W1\": ", fp);
	json_mat(fp, &p->W[0]);
	fputs(", \"b1\": ", fp);
	json_mat(fp, &p->b[0]);
	if (p->nlayers == 2) {
		fputs(", \"W2\": ", fp);
		json_mat(fp, &p->W[1]);
		fputs(", \"b2\": ", fp);
		json_mat(fp, &p->b[1]);
	}
	fputc('}', fp);
}

static void
json_history(FILE *fp, const struct train *t)
{
	size_t	i;

	fputc('[', fp);
	for (i = 0; i < t->nhist; i++) {
		fprintf(fp, "%s{\"epoch\": %ld, \"loss\": ", i ? ", " : "",
		    t->hist[i].epoch);
		json_number(fp, t->hist[i].loss);
		fputs(", \"correct_loss\": ", fp);
		json_number(fp, t->hist[i].correct_loss);
		fputs(", \"accuracy\": ", fp);
		json_number(fp, t->hist[i].accuracy);
		fputc('}', fp);
	}
	fputc(']', fp);
}

static void
json_stopped(FILE *fp, const struct train *t)
{
	if (t->state == TRAIN_DONE || t->state == TRAIN_RUNNING) {
		fputs("null", fp);
		return;
	}
	fprintf(fp, "{\"epoch\": %ld, \"reason\": ", t->stop_epoch);
	json_string(fp, train_state_name(t->state));
	fputs(", \"message\": ", fp);
	json_string(fp, t->message);
	fputc('}', fp);
}

static void
print_json(const struct cmd_train_req *q, const struct train *t,
    const struct train *p)
{
	FILE	*fp = stdout;

	fputs("{\"data\": {\"x\": ", fp);
	json_mat(fp, &q->data.x);
	fputs(", \"y\": ", fp);
	json_mat(fp, &q->data.y);
	fputs("}, \"params0\": ", fp);
	json_params(fp, &t->params0);
	fputs(", \"params\": ", fp);
	json_params(fp, &t->params);
	fputs(", \"history\": ", fp);
	json_history(fp, t);
	fputs(", \"stopped\": ", fp);
	json_stopped(fp, t);
	if (p != NULL) {
		fputs(", \"pitfall\": {\"id\": ", fp);
		json_string(fp, pitfall_name(p->spec.pitfall));
		fputs(", \"history\": ", fp);
		json_history(fp, p);
		fputs(", \"params\": ", fp);
		json_params(fp, &p->params);
		fputs(", \"stopped\": ", fp);
		json_stopped(fp, p);
		fputc('}', fp);
	}
	fputs("}\n", fp);
}

/* A number for the table: %.6g, or inf/nan. */
static const char *
fmt_num(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "nan");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, len, "%.6g", v);
	return buf;
}

static void
print_setup(const struct cmd_train_req *q, const struct train *t)
{
	const struct train_spec	*s = &t->spec;
	char			 b1[32], b2[32], b3[32], m[96];

	if (t->params.nlayers == 2)
		snprintf(m, sizeof m, "mlp %zu-%zu-%zu (%s)", t->in, t->hidden,
		    t->out, train_activation_name(s->activation));
	else
		snprintf(m, sizeof m, "linear %zu-%zu", t->in, t->out);
	/* one count a phrase, so that each has its plural */
	/* TRANSLATORS: the model and the data set, before "N points" */
	printf(_("%s on %s: "), m, data_kind_name(q->data.kind));
	printf(NG_("%zu point", "%zu points", q->data.n), q->data.n);
	printf(q->data.multilabel ? NG_(", %d label\n", ", %d labels\n",
	    q->data.classes) : NG_(", %d class\n", ", %d classes\n",
	    q->data.classes), q->data.classes);
	printf(_("loss %s (%s), reduction %s; SGD lr %s, momentum %s, "
	    "weight decay %s;\n"), loss_name(s->loss),
	    loss_torch_name(s->loss), loss_reduction_name(s->opts.reduction),
	    fmt_num(s->lr, b1, sizeof b1), fmt_num(s->momentum, b2, sizeof b2),
	    fmt_num(s->weight_decay, b3, sizeof b3));
	if (s->batch == 0)
		printf(NG_("full batch, %ld epoch, seed %llu\n",
		    "full batch, %ld epochs, seed %llu\n",
		    (unsigned long)s->epochs), s->epochs,
		    (unsigned long long)s->seed);
	else
		printf(NG_("mini-batches of %zu, %ld epoch, seed %llu\n",
		    "mini-batches of %zu, %ld epochs, seed %llu\n",
		    (unsigned long)s->epochs),
		    s->batch, s->epochs, (unsigned long long)s->seed);
}

/* Print s right-aligned in a field of `width` display columns (a
   Chinese heading takes two a character). */
static void
print_field(const char *s, int width)
{
	int	cols = (int)text_width(s);

	printf("%*s%s", width > cols ? width - cols : 0, "", s);
}

/* One cell group of the table: loss, correct loss (pitfall), accuracy. */
static void
print_cells(const struct train *t, long epoch, int pitfall)
{
	const struct train_entry	*en;
	char				 b1[32], b2[32];

	if (epoch < 0 || (size_t)epoch >= t->nhist) {
		printf(pitfall ? "  %13s %13s %9s" : "  %13s %9s", "-", "-",
		    "-");
		return;
	}
	en = &t->hist[epoch];
	if (pitfall)
		printf("  %13s %13s", fmt_num(en->loss, b1, sizeof b1),
		    fmt_num(en->correct_loss, b2, sizeof b2));
	else
		printf("  %13s", fmt_num(en->loss, b1, sizeof b1));
	printf(" %8.1f%%", 100.0 * en->accuracy);
}

static void
print_table(const struct train *t, const struct train *p)
{
	long	 last = (long)t->nhist - 1, e, prev = -1;
	int	 k;

	if (p != NULL && (long)p->nhist - 1 > last)
		last = (long)p->nhist - 1;
	if (last < 0)
		last = 0;
	putchar('\n');
	print_field(_("epoch"), 6);
	fputs("  ", stdout);
	print_field(loss_name(t->spec.loss), 13);
	putchar(' ');
	print_field(_("accuracy"), 9);
	if (p != NULL) {
		fputs("  ", stdout);
		print_field(pitfall_name(p->spec.pitfall), 13);
		putchar(' ');
		print_field(_("correct loss"), 13);
		putchar(' ');
		print_field(_("accuracy"), 9);
	}
	putchar('\n');
	for (k = 0; k <= TABLE_ROWS; k++) {
		e = (long)((double)last * k / TABLE_ROWS + 0.5);
		if (e == prev)
			continue;
		prev = e;
		printf("%6ld", e);
		print_cells(t, e, 0);
		if (p != NULL)
			print_cells(p, e, 1);
		putchar('\n');
	}
}

/* The correct loss of epoch e of t, or NaN. */
static double
chart_value(const struct train *t, long e)
{
	if (t == NULL || e < 0 || (size_t)e >= t->nhist)
		return NAN;
	return t->hist[e].correct_loss;
}

/*
 * A text chart of the correct loss against the epoch: '*' the correct run,
 * 'o' the pitfall's ('#' where they meet), linear axes from the smallest
 * to the largest finite value shown.
 */
static void
print_chart(const struct train *t, const struct train *p)
{
	char	 grid[CHART_HEIGHT][CHART_WIDTH + 1], b1[32], b2[32];
	long	 last = (long)t->nhist - 1, e[CHART_WIDTH];
	double	 lo = INFINITY, hi = -INFINITY, v;
	int	 c, r, s, row;

	if (p != NULL && (long)p->nhist - 1 > last)
		last = (long)p->nhist - 1;
	if (last < 1)
		return;
	for (c = 0; c < CHART_WIDTH; c++) {
		e[c] = (long)((double)last * c / (CHART_WIDTH - 1) + 0.5);
		for (s = 0; s < 2; s++) {
			v = chart_value(s ? p : t, e[c]);
			if (isfinite(v)) {
				lo = fmin(lo, v);
				hi = fmax(hi, v);
			}
		}
	}
	if (!(lo <= hi))
		return;
	if (hi == lo)
		hi = lo + 1;
	memset(grid, ' ', sizeof grid);
	for (c = 0; c < CHART_WIDTH; c++) {
		for (s = 0; s < 2; s++) {
			v = chart_value(s ? p : t, e[c]);
			if (!isfinite(v))
				continue;
			row = (int)((hi - v) / (hi - lo) * (CHART_HEIGHT - 1) +
			    0.5);
			grid[row][c] = grid[row][c] == ' ' ||
			    grid[row][c] == (s ? 'o' : '*') ? (s ? 'o' : '*') :
			    '#';
		}
	}
	printf("\n%s\n", p != NULL ? _("correct loss against epoch (* the "
	    "correct loss, o the pitfall, # both):") :
	    _("loss against epoch:"));
	for (r = 0; r < CHART_HEIGHT; r++) {
		grid[r][CHART_WIDTH] = '\0';
		if (r == 0)
			printf("%10s |", fmt_num(hi, b1, sizeof b1));
		else if (r == CHART_HEIGHT - 1)
			printf("%10s |", fmt_num(lo, b1, sizeof b1));
		else
			printf("%10s |", "");
		printf("%s\n", grid[r]);
	}
	printf("%10s +", "");
	for (c = 0; c < CHART_WIDTH; c++)
		putchar('-');
	snprintf(b2, sizeof b2, "%ld", last);
	printf("\n%10s  0%*s\n", "", CHART_WIDTH - 1, b2);
}

/* How a run ended, one line. */
static void
print_status(const struct train *t, const char *name)
{
	const struct train_entry	*en;
	char				 b1[32], b2[32];

	switch (t->state) {
	case TRAIN_DIVERGED:
		printf(_("%s: diverged in epoch %ld: %s\n"), name,
		    t->stop_epoch, _(t->message));
		break;
	case TRAIN_REFUSED:
		printf(_("%s: PyTorch raises in epoch %ld: %s\n"), name,
		    t->stop_epoch, t->message);
		break;
	default:
		en = &t->hist[t->nhist - 1];
		if (t->spec.pitfall == PITFALL_NONE)
			printf(NG_("%s: %ld epoch, final loss %s, accuracy "
			    "%.1f%%\n", "%s: %ld epochs, final loss %s, "
			    "accuracy %.1f%%\n", (unsigned long)en->epoch),
			    name, en->epoch,
			    fmt_num(en->loss, b1, sizeof b1),
			    100.0 * en->accuracy);
		else
			printf(NG_("%s: %ld epoch, final loss %s (the correct "
			    "loss of its logits %s), accuracy %.1f%%\n",
			    "%s: %ld epochs, final loss %s (the correct loss "
			    "of its logits %s), accuracy %.1f%%\n",
			    (unsigned long)en->epoch), name,
			    en->epoch, fmt_num(en->loss, b1, sizeof b1),
			    fmt_num(en->correct_loss, b2, sizeof b2),
			    100.0 * en->accuracy);
		break;
	}
}

static void
print_report(const struct cmd_train_req *q, const struct train *t,
    const struct train *p)
{
	print_setup(q, t);
	print_table(t, p);
	print_chart(t, p);
	putchar('\n');
	print_status(t, loss_name(t->spec.loss));
	if (p != NULL)
		print_status(p, pitfall_name(p->spec.pitfall));
}

/*
 * Set up the runs of q: the correct one in *t and, with --pitfall, the
 * mistake in *p (*have_p set).  0, or 2 after the message.  Both are
 * zeroed first, so train_free() applies in every case.
 */
static int
init_runs(struct cmd_train_req *q, struct train *t, struct train *p,
    int *have_p)
{
	struct train_spec	 ps;
	struct err		 e;

	memset(t, 0, sizeof *t);
	memset(p, 0, sizeof *p);
	*have_p = 0;
	if (train_init(t, &q->data, &q->spec, &e) != 0)
		return cli_fail("train: %s", e.msg);
	if (q->pitfall != PITFALL_NONE) {
		ps = q->spec;
		ps.pitfall = q->pitfall;
		if (train_init(p, &q->data, &ps, &e) != 0)
			return cli_fail("train: %s", e.msg);
		*have_p = 1;
	}
	return 0;
}

static int
run_all(struct train *t, struct train *p, int have_p)
{
	struct err	e;

	if (train_run(t, &e) != 0 || (have_p && train_run(p, &e) != 0))
		return cli_fail("train: %s", e.msg);
	return 0;
}

/* The plot request of the runs. */
static void
plot_req(const struct cmd_train_req *q, enum plot_train_kind kind,
    const struct train *t, const struct train *p, struct plot_train_req *r)
{
	const char	*lang = i18n_lang();

	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->run = t;
	r->pitfall = p;
	r->log = q->log;
	r->title = q->title;
	r->lang = lang != NULL && strcmp(lang, "zh") == 0 ? "zh" : "en";
}

int
cmd_train_main(int argc, char **argv)
{
	struct cmd_train_req	 q;
	struct plot_train_req	 r;
	struct train		 t, p;
	struct err		 e;
	int			 rc, have_p = 0;

	memset(&t, 0, sizeof t);
	memset(&p, 0, sizeof p);
	rc = cmd_train_setup(argc, argv, &q);
	if (rc != 0) {
		rc = rc == 1 ? 0 : rc;
		goto out;
	}
	if (q.plot != NULL && !plot_available()) {
		rc = cli_fail("train: --plot: gnuplot not found (install "
		    "gnuplot-nox)");
		goto out;
	}
	if ((rc = init_runs(&q, &t, &p, &have_p)) != 0 ||
	    (rc = run_all(&t, &p, have_p)) != 0)
		goto out;
	/* the plot first: when it fails, nothing else is printed */
	if (q.plot != NULL) {
		plot_req(&q, PLOT_TRAIN_LOSS, &t, have_p ? &p : NULL, &r);
		if (plot_train_export(&r, q.plot, q.plot_format, 0, 0,
		    &e) != 0) {
			rc = cli_fail("train: --plot: %s", e.msg);
			goto out;
		}
	}
	if (q.json)
		print_json(&q, &t, have_p ? &p : NULL);
	else
		print_report(&q, &t, have_p ? &p : NULL);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = cli_fail("write error on standard output");
out:
	train_free(&t);
	train_free(&p);
	cmd_train_req_free(&q);
	return rc;
}

/* --- losslab plot training -------------------------------------------------- */

void
cmd_train_plot_usage(void *out)
{
	FILE	*fp = out;
	int	 k;

	fputs(_("Usage: losslab plot training [KIND] --data SET --model M "
	    "--loss LOSS --lr X\n"
	    "                             --epochs E [OPTION]...\n"
	    "Train as 'losslab train' does (the same options) and draw the "
	    "run with\ngnuplot; with --pitfall the mistake beside the right "
	    "loss.\n\nKinds:\n"), fp);
	for (k = 0; k < PLOT_TRAIN_KIND_COUNT; k++)
		fprintf(fp, "  %-12s %s\n", plot_train_kind_name(k),
		    _(plot_train_kind_desc(k)));
	fputs(_(
"\nThe training options are those of 'losslab train' (see 'losslab train\n"
"--help'): --data, --classes, --n, --seed, --noise, --model, --hidden,\n"
"--activation, --loss and its options, --pitfall, --lr, --momentum,\n"
"--weight-decay, --epochs, --batch.\n"
"Plot:\n"
"  --out FILE           write FILE; the format from its extension: .png,\n"
"                       .svg, .pdf, .txt, .six; without --out, a text plot\n"
"                       on standard output\n"
"  --format FMT         png, svg, pdf, text or sixel (the format of --out,\n"
"                       or what standard output gets; png, svg, pdf only\n"
"                       when it is not a terminal)\n"
"  --size WxH           pixels (default 960x540; PDF: 1/150 inch), or\n"
"                       characters for text (default: the terminal)\n"
"  --title TEXT         replace the title (quotes, backslashes, `|<>!$@\n"
"                       and control characters are dropped)\n"
"  --log                loss: a logarithmic loss axis\n"
"  --help               show this help and exit\n\n"
"boundary needs 2-D points and one class per point; calibration a binary\n"
"task (two classes; ce, bce-logits or focal).  Bad input exits with\n"
"status 2 and one line on standard error.\n\n"
"Example:\n"
"  losslab plot training boundary --data spiral --model mlp --loss ce \\\n"
"      --lr 0.5 --momentum 0.9 --epochs 500 --pitfall softmax-then-ce \\\n"
"      --out spiral.png\n"), fp);
}

/* The plot on standard output: text escaped line by line, a picture as
   it is (png, svg, pdf refused on a terminal). */
static int
plot_stdout(const struct cmd_train_req *q, const struct plot_train_req *r)
{
	struct strbuf		 o = STRBUF_INIT;
	struct err		 e;
	enum plot_format	 fmt = q->have_format ? q->format :
				    PLOT_FORMAT_DUMB;
	int			 w = q->w, h = q->h;

	if (fmt != PLOT_FORMAT_SIXEL && fmt != PLOT_FORMAT_DUMB &&
	    isatty(STDOUT_FILENO))
		return cli_fail("plot training: --format %s: standard output "
		    "is a terminal (use --out FILE, or a pipe)",
		    fmt == PLOT_FORMAT_PNG ? "png" : fmt == PLOT_FORMAT_SVG ?
		    "svg" : "pdf");
	if (fmt == PLOT_FORMAT_DUMB && !q->have_size)
		cli_term_size(&w, &h);
	if (plot_train_render(r, fmt, w, h, &o, &e) != 0)
		return cli_fail("plot training: %s", e.msg);
	/* a failed write is reported at exit (main.c) */
	if (fmt == PLOT_FORMAT_DUMB)
		safeout_write(stdout, o.p, o.len, SAFEOUT_NL);
	else
		(void)fwrite(o.p, 1, o.len, stdout);
	strbuf_free(&o);
	return 0;
}

int
cmd_train_plot_main(int argc, char **argv)
{
	struct cmd_train_req	 q;
	struct plot_train_req	 r;
	struct train		 t, p;
	struct err		 e;
	enum plot_format	 fmt;
	int			 rc, have_p = 0;

	memset(&t, 0, sizeof t);
	memset(&p, 0, sizeof p);
	rc = setup(argc, argv, &q, 1);
	if (rc != 0) {
		rc = rc == 1 ? 0 : rc;
		goto out;
	}
	if (q.out != NULL) {
		if (plot_check_path(q.out, &e) != 0) {
			rc = cli_fail("plot training: --out: %s", e.msg);
			goto out;
		}
		if (!q.have_format && plot_format_from_path(q.out, &q.format)
		    != 0) {
			rc = cli_fail("plot training: --out: unknown format "
			    "(use .png, .svg, .pdf, .txt or .six, or give "
			    "--format)");
			goto out;
		}
	}
	if ((rc = init_runs(&q, &t, &p, &have_p)) != 0)
		goto out;
	/* what the task cannot have is said before any training */
	plot_req(&q, q.kind, &t, have_p ? &p : NULL, &r);
	if (plot_train_check(&r, &e) != 0) {
		rc = cli_fail("plot training: %s", e.msg);
		goto out;
	}
	if (!plot_available()) {
		rc = cli_fail("gnuplot not found (install gnuplot-nox)");
		goto out;
	}
	if ((rc = run_all(&t, &p, have_p)) != 0)
		goto out;
	if (q.out != NULL) {
		fmt = q.format;
		if (plot_train_export(&r, q.out, fmt, q.w, q.h, &e) != 0)
			rc = cli_fail("plot training: %s", e.msg);
	} else
		rc = plot_stdout(&q, &r);
out:
	train_free(&t);
	train_free(&p);
	cmd_train_req_free(&q);
	return rc;
}
