/*
 * cmd_plot.c -- `losslab plot ID [--out FILE] [options]`, `losslab plot
 * --list`, and cell mode: `losslab plot ID --input V --target V [--loss L]
 * [--pitfall P] [--cell I | --cell R,C]... [loss options]`.
 *
 * Parses the options into a struct plot_req and hands it to plot.c: with
 * --out, plot_export() writes the file (format from its extension); without,
 * plot_dumb() draws text sized to the terminal (--size, else COLUMNS/LINES,
 * else the terminal's own size, else 80x24) and it is printed on stdout.
 * Every failure is one "losslab: ..." line on stderr and exit status 2.
 *
 * --input switches to cell mode, where --target, --pos-weight,
 * --label-smoothing, --gamma and --alpha are the loss's own values and
 * options, read as `losslab eval` reads them (cli.c).  The arguments are
 * scanned twice: once to see whether --input is there, then with the
 * table of that mode, so that the canonical plots parse exactly as they
 * always have (abbreviations included).
 */
#include "config.h"

#include <sys/ioctl.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_plot.h"
#include "core/loss.h"
#include "i18n.h"
#include "parse.h"
#include "plot.h"
#include "safeout.h"
#include "strbuf.h"

/* The options that mean the same in both modes share the codes of the
   loss options (cli.h): --target, --gamma, --alpha, --pos-weight,
   --label-smoothing. */
enum {
	OPT_OUT = CLI_OPT_END, OPT_LIST, OPT_XMIN, OPT_XMAX, OPT_CLASSES,
	OPT_MARK, OPT_LANG, OPT_SIZE, OPT_TITLE, OPT_LOSSES, OPT_POINTS,
	OPT_HELP, OPT_LOSS, OPT_CELL, OPT_FORMAT,
	OPT_TARGET = CLI_OPT_TARGET, OPT_GAMMA = CLI_OPT_GAMMA,
	OPT_ALPHA = CLI_OPT_ALPHA, OPT_POS_WEIGHT = CLI_OPT_POS_WEIGHT,
	OPT_LABEL_SMOOTHING = CLI_OPT_LABEL_SMOOTHING
};

/* The canonical curves' options, as they always were. */
static const struct option plot_options[] = {
	{ "out",		required_argument, NULL, OPT_OUT },
	{ "format",		required_argument, NULL, OPT_FORMAT },
	{ "list",		no_argument,	   NULL, OPT_LIST },
	{ "xmin",		required_argument, NULL, OPT_XMIN },
	{ "xmax",		required_argument, NULL, OPT_XMAX },
	{ "classes",		required_argument, NULL, OPT_CLASSES },
	{ "mark",		required_argument, NULL, OPT_MARK },
	{ "target",		required_argument, NULL, OPT_TARGET },
	{ "lang",		required_argument, NULL, OPT_LANG },
	{ "size",		required_argument, NULL, OPT_SIZE },
	{ "title",		required_argument, NULL, OPT_TITLE },
	{ "losses",		required_argument, NULL, OPT_LOSSES },
	{ "gamma",		required_argument, NULL, OPT_GAMMA },
	{ "alpha",		required_argument, NULL, OPT_ALPHA },
	{ "pos-weight",		required_argument, NULL, OPT_POS_WEIGHT },
	{ "label-smoothing",	required_argument, NULL, OPT_LABEL_SMOOTHING },
	{ "points",		required_argument, NULL, OPT_POINTS },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

/* Cell mode's: the loss options of `losslab eval` beside the plot's. */
static const struct option cell_options[] = {
	CLI_LOSS_OPTION_TABLE,
	{ "loss",		required_argument, NULL, OPT_LOSS },
	{ "cell",		required_argument, NULL, OPT_CELL },
	{ "out",		required_argument, NULL, OPT_OUT },
	{ "format",		required_argument, NULL, OPT_FORMAT },
	{ "list",		no_argument,	   NULL, OPT_LIST },
	{ "xmin",		required_argument, NULL, OPT_XMIN },
	{ "xmax",		required_argument, NULL, OPT_XMAX },
	{ "classes",		required_argument, NULL, OPT_CLASSES },
	{ "mark",		required_argument, NULL, OPT_MARK },
	{ "lang",		required_argument, NULL, OPT_LANG },
	{ "size",		required_argument, NULL, OPT_SIZE },
	{ "title",		required_argument, NULL, OPT_TITLE },
	{ "losses",		required_argument, NULL, OPT_LOSSES },
	{ "points",		required_argument, NULL, OPT_POINTS },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

void
cmd_plot_usage(void *fp)
{
	fputs(
"Usage: losslab plot ID [--out FILE] [OPTION]...\n"
"       losslab plot --list\n"
"Draw loss curves with gnuplot (computed by losslab's loss core).\n"
"\n"
"  --out FILE             write FILE; the format comes from its extension:\n"
"                         .png (pngcairo), .svg, .pdf (pdfcairo), .txt,\n"
"                         .six (a sixel picture); without --out, a text\n"
"                         plot on standard output\n"
"  --format FMT           png, svg, pdf, text or sixel: the format of\n"
"                         --out, or without --out what standard output\n"
"                         gets (sixel: a picture a sixel terminal shows;\n"
"                         png, svg, pdf only when it is not a terminal)\n"
"  --list                 list the plot ids with a one-line description\n"
"  --xmin X, --xmax X     the x range (default: the plot's own)\n"
"  --classes C            number of classes for ce-curve, softmax-then-ce,\n"
"                         label-smoothing and compare (default 3)\n"
"  --mark X               mark the point at x = X on every loss curve\n"
"  --target Y             the binary target y in [0, 1] (default 1; 0 for\n"
"                         naive-float32; both for bce-curve)\n"
"  --lang en|zh           language of the labels (Chinese in PNG and PDF\n"
"                         needs a CJK font, else English is used)\n"
"  --size WxH             pixels for images (default 960x540; PDF: 1/150\n"
"                         inch), characters for text (default: terminal)\n"
"  --title TEXT           replace the title (quotes, backslashes, `|<>!$@\n"
"                         and control characters are dropped)\n"
"  --losses A,B,...       compare: the losses to overlay (default\n"
"                         bce-logits,focal,soft-margin)\n"
"  --gamma G              focal: gamma G beside gamma 0 (compare: the\n"
"                         focal loss's gamma, default 2)\n"
"  --alpha A              focal, compare: alpha (default none)\n"
"  --pos-weight W         pos-weight: pos_weight W beside 1 (compare:\n"
"                         bce-logits's pos_weight)\n"
"  --label-smoothing E    label-smoothing: epsilon E beside 0 (compare:\n"
"                         ce's label smoothing)\n"
"  --points N             samples per curve (default 401; text: two a\n"
"                         column, at most 241)\n"
"  --help                 show this help\n"
"\n"
"Cell mode: the curves of your own values.\n"
"  losslab plot ID --input V --target V [--loss L] [--pitfall P]\n"
"               [--cell I | --cell R,C]... [loss options]\n"
"Each cell's input value is varied over x while every other value stays;\n"
"the curve is the reduction='none' loss of the sample or element that\n"
"cell feeds (what `losslab eval --reduction none` prints), its mark the\n"
"cell's own value.  ID chooses what is drawn beside it: gradients of the\n"
"reduced loss (logits-curve, ce-curve and the pitfall plots), the other\n"
"label (bce-curve), a gamma, epsilon or pos_weight family (focal,\n"
"label-smoothing, pos-weight), a companion loss (compare).\n"
"  --input V, --target V  the values, as for `losslab eval` (a,b;c,d)\n"
"  --loss L               the loss (default: the plot's own, e.g. ce for\n"
"                         ce-curve; compare needs it)\n"
"  --pitfall P            also the mistaken pipeline on the same values\n"
"                         (default: the pitfall plots' own; none: off)\n"
"  --cell R,C, --cell I   a cell of the input (I: element I of a 1-D input,\n"
"                         row-major element I of a 2-D one); up to 8 of\n"
"                         them (default: --cell 0)\n"
"  --reduction, --weight, --pos-weight, --ignore-index, --label-smoothing,\n"
"  --margin, --p, --alpha, --gamma, --log-target\n"
"                         the loss's options, as for `losslab eval` (in\n"
"                         cell mode --pos-weight, --label-smoothing,\n"
"                         --gamma and --alpha are these, not the extra\n"
"                         curve above; --mark, --classes, --losses do not\n"
"                         apply)\n"
"  e.g. losslab plot ce-curve --input '2,1,0.1;0.5,2,0.3' --target 0,2 \\\n"
"           --cell 1,2\n"
"\n"
"Needs gnuplot in PATH (Debian: gnuplot-nox).  Exit status 0, or 2 on any\n"
"error.\n", (FILE *)fp);
}

/* --format without --out: the picture on standard output; a binary
   format is refused when that is a terminal. */
static int
stdout_image(const struct plot_req *req, enum plot_format fmt, int w, int h)
{
	struct strbuf	 o = STRBUF_INIT;
	struct err	 e;

	if (fmt != PLOT_FORMAT_SIXEL && isatty(STDOUT_FILENO))
		return (cli_fail("plot: --format %s: standard output is a "
		    "terminal (use --out FILE, or a pipe)",
		    fmt == PLOT_FORMAT_PNG ? "png" : fmt == PLOT_FORMAT_SVG ?
		    "svg" : "pdf"));
	if (plot_render(req, fmt, w, h, &o, &e) == -1)
		return (cli_fail("plot: %s", e.msg));
	/* a failed write is reported at exit (main.c), as for every
	   command */
	(void)fwrite(o.p, 1, o.len, stdout);
	strbuf_free(&o);
	return (0);
}

/* A finite number for option `opt`; 0, or -1 after the message. */
static int
num_arg(const char *opt, const char *s, double *v)
{
	char	clean[64];

	if (parse_double(s, v) == -1 || !isfinite(*v)) {
		cli_fail("plot: %s: '%s' is not a finite number", opt,
		    safeout_str(s, clean, sizeof clean));
		return (-1);
	}
	return (0);
}

/* "WxH" with both positive. */
static int
size_arg(const char *s, int *w, int *h)
{
	char	*end;
	long	 a, b;

	a = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return (-1);
	s = end + 1;
	b = strtol(s, &end, 10);
	if (end == s || *end != '\0' || a <= 0 || b <= 0 || a > 100000 ||
	    b > 100000)
		return (-1);
	*w = (int)a;
	*h = (int)b;
	return (0);
}

/* "a,b,c" into req->losses. */
static int
losses_arg(const char *s, struct plot_req *req)
{
	char		 name[64], clean[64];
	const char	*p, *q;
	size_t		 n;

	req->nlosses = 0;
	for (p = s; ; p = q + 1) {
		q = strchr(p, ',');
		n = q == NULL ? strlen(p) : (size_t)(q - p);
		if (n == 0 || n >= sizeof name) {
			cli_fail("plot: --losses: empty or too long loss name");
			return (-1);
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (req->nlosses >= PLOT_MAX_LOSSES) {
			cli_fail("plot: --losses: at most %d losses",
			    PLOT_MAX_LOSSES);
			return (-1);
		}
		if (loss_parse(name, &req->losses[req->nlosses]) == -1) {
			cli_fail("plot: --losses: unknown loss '%s'",
			    safeout_str(name, clean, sizeof clean));
			return (-1);
		}
		req->nlosses++;
		if (q == NULL)
			break;
	}
	return (0);
}

/* The text plot's size: COLUMNS/LINES, else the terminal, else 80x24. */
static void
term_size(int *w, int *h)
{
	struct winsize	 ws;
	const char	*s;
	long		 v;
	char		*end;

	*w = 80;
	*h = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
	    ws.ws_row > 0) {
		*w = ws.ws_col;
		*h = ws.ws_row;
	}
	if ((s = getenv("COLUMNS")) != NULL && *s != '\0') {
		v = strtol(s, &end, 10);
		if (*end == '\0' && v > 0 && v < 10000)
			*w = (int)v;
	}
	if ((s = getenv("LINES")) != NULL && *s != '\0') {
		v = strtol(s, &end, 10);
		if (*end == '\0' && v > 0 && v < 10000)
			*h = (int)v;
	}
	/* leave the last line for the shell prompt */
	if (*h > 10)
		(*h)--;
}

/* main() scanned its own options with getopt_long() first: glibc re-reads
   its ordering ("+" in main's optstring would stop us at the plot id) only
   when optind is 0. */
static void
getopt_restart(void)
{
#ifdef __GLIBC__
	optind = 0;
#else
	optind = 1;
#endif
	opterr = 0;
}

/*
 * "--cell I" or "--cell R,C" as a cell of the input in (I: element I of a
 * 1-D input, row-major element I of a 2-D one).  0, or 2 after the message.
 */
static int
cell_arg(const char *s, const struct mat *in, size_t *r, size_t *c)
{
	char		 a[32], clean[64], sh[64];
	const char	*comma = strchr(s, ',');
	long		 lr = 0, lc;
	size_t		 rows = in->ndim == 2 ? in->rows : 1;

	if (comma != NULL) {
		if ((size_t)(comma - s) >= sizeof a)
			goto bad;
		memcpy(a, s, (size_t)(comma - s));
		a[comma - s] = '\0';
		if (parse_long(a, &lr) == -1 || parse_long(comma + 1,
		    &lc) == -1)
			goto bad;
	} else if (parse_long(s, &lc) == -1)
		goto bad;
	if (lr < 0 || lc < 0)
		goto bad;
	if (comma == NULL && in->ndim == 2 && in->cols > 0) {
		/* row-major element I */
		lr = lc / (long)in->cols;
		lc = lc % (long)in->cols;
	}
	if ((size_t)lr >= rows || (size_t)lc >= in->cols)
		return (cli_fail("plot: --cell %s: outside the input of shape "
		    "%s", safeout_str(s, clean, sizeof clean),
		    mat_shape_str(in, sh, sizeof sh)));
	*r = (size_t)lr;
	*c = (size_t)lc;
	return (0);
bad:
	return (cli_fail("plot: --cell: expected I or R,C (integers >= 0), got "
	    "'%s'", safeout_str(s, clean, sizeof clean)));
}

/*
 * Cell mode, after the options: the loss, the pitfall and the cells into
 * cc, which req then points at.  0, or 2 after the message.
 */
static int
cell_setup(struct plot_req *req, struct curve_cells *cc, struct cli_loss *cl,
    const char *loss_arg, const char **cells, int ncells)
{
	enum loss_id	 loss;
	char		 clean[64];
	int		 i, rc;

	memset(cc, 0, sizeof *cc);
	if (loss_arg != NULL) {
		if (loss_parse(loss_arg, &loss) == -1)
			return (cli_fail("plot: --loss: unknown loss '%s'",
			    safeout_str(loss_arg, clean, sizeof clean)));
	} else if ((loss = plot_kind_loss(req->kind)) == LOSS_COUNT)
		return (cli_fail("plot: %s with --input needs --loss",
		    plot_kind_name(req->kind)));
	if (!cl->given[CLI_OPT_PITFALL - CLI_OPT_INPUT])
		cl->pitfall = plot_kind_pitfall(req->kind);
	if (!cl->have_target)
		return (cli_fail("plot: cell mode (--input) needs --target"));
	if ((rc = cli_loss_check(cl, loss, cl->pitfall != PITFALL_NONE ?
	    pitfall_loss(cl->pitfall) : LOSS_COUNT, "plot: ")) != 0)
		return (rc);
	if (mat_numel(&cl->input) == 0)
		return (cli_fail("plot: --input: no values to plot"));
	cc->loss = loss;
	cc->pitfall = cl->pitfall;
	cc->input = &cl->input;
	cc->target = &cl->target;
	cc->opts = &cl->opts;
	cc->ncells = ncells > 0 ? (size_t)ncells : 1;
	for (i = 0; i < ncells; i++)
		if ((rc = cell_arg(cells[i], &cl->input, &cc->cells[i].r,
		    &cc->cells[i].c)) != 0)
			return (rc);
	req->cells = cc;
	return (0);
}

/* Cell mode: an option of the canonical curves only. */
static int
canonical_only(const char *opt)
{
	return (cli_fail("plot: %s does not apply with --input (cell mode "
	    "marks the cells' own values)", opt));
}

static int
plot_main(int argc, char **argv, struct cli_loss *cl)
{
	struct plot_req		 req;
	struct plot_text	 txt = PLOT_TEXT_INIT;
	struct curve_cells	 cc;
	struct err		 e;
	enum plot_kind		 kind = PLOT_BCE_CURVE;
	enum plot_format	 fmt;
	const char		*out = NULL, *id = NULL, *lang, *loss = NULL;
	const char		*cells[CURVE_CELLS_MAX];
	char			 clean[64], **scan;
	double			 v;
	int			 c, i, list = 0, w = 0, h = 0, have_size = 0;
	int			 cell = 0, ncells = 0, rc, have_fmt = 0;

	plot_req_init(&req, PLOT_BCE_CURVE);
	lang = i18n_lang();
	if (lang == NULL || strcmp(lang, "zh") != 0)
		lang = "en";

	/* first pass, on a copy (GNU getopt permutes what it scans): is it
	   cell mode, --input given? */
	if ((scan = calloc((size_t)argc + 1, sizeof *scan)) == NULL)
		return (cli_fail("plot: out of memory"));
	memcpy(scan, argv, (size_t)argc * sizeof *scan);
	getopt_restart();
	while ((c = getopt_long(argc, scan, ":", cell_options, NULL)) != -1)
		if (c == CLI_OPT_INPUT)
			cell = 1;
	free(scan);
	getopt_restart();
	while ((c = getopt_long(argc, argv, ":", cell ? cell_options :
	    plot_options, NULL)) != -1) {
		if (cell && c >= CLI_OPT_INPUT && c < CLI_OPT_END) {
			if ((rc = cli_loss_option(cl, c, optarg,
			    "plot: ")) != 0)
				return (rc);
			continue;
		}
		switch (c) {
		case OPT_LOSS:
			loss = optarg;
			break;
		case OPT_CELL:
			if (ncells >= CURVE_CELLS_MAX)
				return (cli_fail("plot: --cell: at most %d "
				    "cells", CURVE_CELLS_MAX));
			cells[ncells++] = optarg;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		case OPT_FORMAT:
			if (plot_format_parse(optarg, &fmt) == -1)
				return (cli_fail("plot: --format: unknown format "
				    "'%s' (png, svg, pdf, text or sixel)",
				    safeout_str(optarg, clean,
				    sizeof clean)));
			have_fmt = 1;
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_XMIN:
			if (num_arg("--xmin", optarg, &req.xmin) == -1)
				return (2);
			break;
		case OPT_XMAX:
			if (num_arg("--xmax", optarg, &req.xmax) == -1)
				return (2);
			break;
		case OPT_CLASSES:
			if (cell)
				return (canonical_only("--classes"));
			if (num_arg("--classes", optarg, &v) == -1)
				return (2);
			if (v != floor(v) || v < 2 || v > 100000)
				return (cli_fail("plot: --classes: must be an "
				    "integer from 2 to 100000"));
			req.classes = (int)v;
			break;
		case OPT_MARK:
			if (cell)
				return (canonical_only("--mark"));
			if (num_arg("--mark", optarg, &req.mark) == -1)
				return (2);
			req.has_mark = 1;
			break;
		case OPT_TARGET:
			if (num_arg("--target", optarg, &req.target) == -1)
				return (2);
			if (req.target < 0 || req.target > 1)
				return (cli_fail("plot: --target: must be in "
				    "[0, 1]"));
			break;
		case OPT_LANG:
			if (strcmp(optarg, "en") != 0 &&
			    strcmp(optarg, "zh") != 0)
				return (cli_fail("plot: --lang: unknown language "
				    "'%s' (en or zh)", safeout_str(optarg,
				    clean, sizeof clean)));
			lang = optarg;
			break;
		case OPT_SIZE:
			if (size_arg(optarg, &w, &h) == -1)
				return (cli_fail("plot: --size: expected WxH, "
				    "got '%s'", safeout_str(optarg, clean,
				    sizeof clean)));
			have_size = 1;
			break;
		case OPT_TITLE:
			req.title = optarg;
			break;
		case OPT_LOSSES:
			if (cell)
				return (canonical_only("--losses"));
			if (losses_arg(optarg, &req) == -1)
				return (2);
			break;
		case OPT_GAMMA:
			if (num_arg("--gamma", optarg, &req.gamma) == -1)
				return (2);
			break;
		case OPT_ALPHA:
			if (num_arg("--alpha", optarg, &req.alpha) == -1)
				return (2);
			break;
		case OPT_POS_WEIGHT:
			if (num_arg("--pos-weight", optarg,
			    &req.pos_weight) == -1)
				return (2);
			break;
		case OPT_LABEL_SMOOTHING:
			if (num_arg("--label-smoothing", optarg,
			    &req.label_smoothing) == -1)
				return (2);
			if (req.label_smoothing < 0 ||
			    req.label_smoothing > 1)
				return (cli_fail("plot: --label-smoothing: must "
				    "be in [0, 1]"));
			break;
		case OPT_POINTS:
			if (num_arg("--points", optarg, &v) == -1)
				return (2);
			if (v != floor(v) || v < 2 || v > 100000)
				return (cli_fail("plot: --points: must be an "
				    "integer from 2 to 100000"));
			req.points = (int)v;
			break;
		case OPT_HELP:
			cmd_plot_usage(stdout);
			return (0);
		case ':':
			return (cli_fail("plot: %s needs a value",
			    safeout_str(argv[optind - 1], clean,
			    sizeof clean)));
		default:
			return (cli_fail("plot: unknown option '%s' (see "
			    "'losslab plot --help')", safeout_str(
			    argv[optind - 1], clean, sizeof clean)));
		}
	}
	if (list) {
		if (optind < argc)
			return (cli_fail("plot: --list takes no plot id"));
		/* a failed write is reported at exit (main.c) */
		for (i = 0; i < PLOT_KIND_COUNT; i++)
			printf("%-16s %s\n", plot_kind_name(i),
			    plot_kind_desc(i));
		return (0);
	}
	for (; optind < argc; optind++) {
		if (id != NULL)
			return (cli_fail("plot: one plot id only (got '%s' "
			    "after '%s')", safeout_str(argv[optind], clean,
			    sizeof clean), id));
		id = argv[optind];
	}
	if (id == NULL)
		return (cli_fail("plot: which plot? (see 'losslab plot --list')"));
	if (plot_kind_parse(id, &kind) == -1)
		return (cli_fail("plot: unknown plot '%s' (see 'losslab plot "
		    "--list')", safeout_str(id, clean, sizeof clean)));
	req.kind = kind;
	req.lang = lang;
	if (cell && (rc = cell_setup(&req, &cc, cl, loss, cells,
	    ncells)) != 0)
		return (rc);
	if (req.nlosses > 0 && kind != PLOT_COMPARE)
		return (cli_fail("plot: --losses is for 'compare' only"));
	/* the per-kind settings, where they mean something */
	if ((!isnan(req.gamma) || !isnan(req.alpha)) && kind != PLOT_FOCAL &&
	    kind != PLOT_COMPARE)
		return (cli_fail("plot: --gamma and --alpha are for 'focal' and "
		    "'compare' only"));
	if (!isnan(req.pos_weight) && kind != PLOT_POS_WEIGHT &&
	    kind != PLOT_COMPARE)
		return (cli_fail("plot: --pos-weight is for 'pos-weight' and "
		    "'compare' only"));
	if (!isnan(req.label_smoothing) && kind != PLOT_LABEL_SMOOTHING &&
	    kind != PLOT_COMPARE)
		return (cli_fail("plot: --label-smoothing is for "
		    "'label-smoothing' and 'compare' only"));
	if (req.classes != 0 && kind != PLOT_CE_CURVE &&
	    kind != PLOT_SOFTMAX_THEN_CE && kind != PLOT_LABEL_SMOOTHING &&
	    kind != PLOT_COMPARE)
		return (cli_fail("plot: --classes is for ce-curve, "
		    "softmax-then-ce, label-smoothing and compare only"));

	if (out != NULL) {
		if (plot_check_path(out, &e) == -1)
			return (cli_fail("plot: --out: %s", e.msg));
		if (!have_fmt && plot_format_from_path(out, &fmt) == -1)
			return (cli_fail("plot: --out: unknown format (use .png, "
			    ".svg, .pdf, .txt or .six, or give --format)"));
		if (!plot_available())
			return (cli_fail("gnuplot not found (install "
			    "gnuplot-nox)"));
		if (plot_export_as(&req, out, fmt, have_size ? w : 0,
		    have_size ? h : 0, &e) == -1)
			return (cli_fail("plot: %s", e.msg));
		return (0);
	}
	if (!plot_available())
		return (cli_fail("gnuplot not found (install gnuplot-nox)"));
	if (have_fmt && fmt != PLOT_FORMAT_DUMB)
		return (stdout_image(&req, fmt, have_size ? w : 0,
		    have_size ? h : 0));
	if (!have_size)
		term_size(&w, &h);
	if (plot_dumb(&req, w, h, &txt, &e) == -1)
		return (cli_fail("plot: %s", e.msg));
	/* gnuplot's text, checked by plot.c; what reaches the terminal is
	   escaped here all the same */
	for (i = 0; i < txt.nlines; i++) {
		safeout_fputs(stdout, txt.lines[i], SAFEOUT_LINE);
		putchar('\n');
	}
	plot_text_free(&txt);
	return (0);
}

int
cmd_plot_main(int argc, char **argv)
{
	struct cli_loss	 cl;
	int		 rc;

	cli_loss_init(&cl);
	cl.pitfall_none = 1;
	rc = plot_main(argc, argv, &cl);
	cli_loss_free(&cl);
	return (rc);
}
