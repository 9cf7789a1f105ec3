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


#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_plot.h"
#include "cmd_train.h"
#include "gnuplot.h"
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
	OPT_HELP, OPT_LOSS, OPT_CELL, OPT_FORMAT, OPT_YMIN, OPT_YMAX,
	OPT_XLABEL, OPT_YLABEL, OPT_FONT, OPT_FONT_SIZE, OPT_LEGEND, OPT_THEME,
	OPT_WIDTH, OPT_HEIGHT, OPT_GRAD, OPT_XAXIS, OPT_BATCH,
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
	{ "ymin",		required_argument, NULL, OPT_YMIN },
	{ "ymax",		required_argument, NULL, OPT_YMAX },
	{ "xlabel",		required_argument, NULL, OPT_XLABEL },
	{ "ylabel",		required_argument, NULL, OPT_YLABEL },
	{ "font",		required_argument, NULL, OPT_FONT },
	{ "font-size",		required_argument, NULL, OPT_FONT_SIZE },
	{ "legend",		required_argument, NULL, OPT_LEGEND },
	{ "theme",		required_argument, NULL, OPT_THEME },
	{ "width",		required_argument, NULL, OPT_WIDTH },
	{ "height",		required_argument, NULL, OPT_HEIGHT },
	{ "grad",		no_argument,	   NULL, OPT_GRAD },
	{ "x-axis",		required_argument, NULL, OPT_XAXIS },
	{ "batch",		required_argument, NULL, OPT_BATCH },
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
	{ "ymin",		required_argument, NULL, OPT_YMIN },
	{ "ymax",		required_argument, NULL, OPT_YMAX },
	{ "xlabel",		required_argument, NULL, OPT_XLABEL },
	{ "ylabel",		required_argument, NULL, OPT_YLABEL },
	{ "font",		required_argument, NULL, OPT_FONT },
	{ "font-size",		required_argument, NULL, OPT_FONT_SIZE },
	{ "legend",		required_argument, NULL, OPT_LEGEND },
	{ "theme",		required_argument, NULL, OPT_THEME },
	{ "width",		required_argument, NULL, OPT_WIDTH },
	{ "height",		required_argument, NULL, OPT_HEIGHT },
	{ "grad",		no_argument,	   NULL, OPT_GRAD },
	{ "x-axis",		required_argument, NULL, OPT_XAXIS },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

void
cmd_plot_usage(void *fp)
{
	fputs(
"Usage: losslab plot ID [--out FILE] [OPTION]...\n"
"       losslab plot --list\n"
"       losslab plot --batch FILE\n"
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
"                         (repeat it: up to 8 marks)\n"
"  --target Y             the binary target y in [0, 1] (default 1; 0 for\n"
"                         naive-float32; both for bce-curve)\n"
"  --lang en|zh           language of the labels (Chinese in PNG and PDF\n"
"                         needs a CJK font, else English is used)\n"
"  --size WxH             pixels for images (default 960x540; PDF: 1/150\n"
"                         inch), characters for text (default: terminal)\n"
"  --title TEXT           replace the title, verbatim (quotes, $ < & % and\n"
"                         backslashes kept; a tab or newline is a blank)\n"
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
	fputs(_(
"\nFor slides (images; most also for text):\n"
"  --xlabel TEXT, --ylabel TEXT\n"
"                         replace the axis labels, verbatim\n"
"  --ymin Y, --ymax Y     the loss axis (default: automatic)\n"
"  --font NAME            the font family (default Sans)\n"
"  --font-size PT         the text size in points (1 to 200)\n"
"  --legend WHERE         top-left, top-right, bottom-left, bottom-right\n"
"                         (inside the plot), below (default) or off\n"
"  --theme THEME          light (default), dark, or projector (high\n"
"                         contrast, thick lines)\n"
"  --width W, --height H  the size: pixels for images, centimetres for PDF,\n"
"                         characters for text (one alone keeps 16:9)\n"
"  --grad                 compare: the gradients dL/dz too (at most 4 losses)\n"
"  --x-axis AXIS          logit (default) or probability: the BCE family\n"
"                         against p = sigmoid(z); --xmin, --xmax and --mark\n"
"                         are then probabilities\n"
"  --batch FILE           draw every figure FILE lists (- for standard input)\n"
"                         on one gnuplot: one line each, the arguments of\n"
"                         `losslab plot` with --out ('quotes' hold blanks,\n"
"                         # starts a comment); `make plots` uses it\n"
), (FILE *)fp);
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


/*
 * --width and --height (NaN: not given) for format fmt: pixels (integers,
 * 100 to 10000), centimetres for PDF (2 to 160; 1/150 inch units are what
 * plot.c takes), characters for text (20 to 500; the other from the
 * terminal).  A missing image side keeps 16:9.  0, or 2 after the message.
 */
static int
size_opts(enum plot_format fmt, double wv, double hv, int *w, int *h,
    int *have)
{
	const char	*bad = NULL;
	double		 lo, hi;
	int		 tw, th;

	if (fmt == PLOT_FORMAT_PDF)
		lo = 2, hi = 160;
	else if (fmt == PLOT_FORMAT_DUMB)
		lo = 20, hi = 500;
	else
		lo = 100, hi = 10000;
	if (!isnan(wv) && (wv < lo || wv > hi || (fmt != PLOT_FORMAT_PDF &&
	    wv != floor(wv))))
		bad = "--width";
	else if (!isnan(hv) && (hv < lo || hv > hi ||
	    (fmt != PLOT_FORMAT_PDF && hv != floor(hv))))
		bad = "--height";
	if (bad != NULL)
		return (cli_fail("plot: %s: must be %s from %g to %g", bad,
		    fmt == PLOT_FORMAT_PDF ? "centimetres" : fmt ==
		    PLOT_FORMAT_DUMB ? "an integer number of characters" :
		    "an integer number of pixels", lo, hi));
	if (fmt == PLOT_FORMAT_DUMB) {
		cli_term_size(&tw, &th);
		*w = isnan(wv) ? tw : (int)wv;
		*h = isnan(hv) ? th : (int)hv;
	} else {
		if (fmt == PLOT_FORMAT_PDF) {
			/* 150 units an inch, 2.54 cm an inch */
			wv = isnan(wv) ? NAN : wv * 150 / 2.54;
			hv = isnan(hv) ? NAN : hv * 150 / 2.54;
		}
		if (isnan(wv))
			wv = hv * 16 / 9;
		if (isnan(hv))
			hv = wv * 9 / 16;
		*w = (int)lround(wv);
		*h = (int)lround(hv);
		if (*w < 100 || *h < 100 || *w > 10000 || *h > 10000)
			return (cli_fail("plot: --width and --height: %dx%d "
			    "is out of range", *w, *h));
	}
	*have = 1;
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

/* One figure of --batch: what a `losslab plot ... --out FILE` line asks. */
struct plot_job {
	struct plot_req		 req;
	struct curve_cells	 cc;	/* req.cells points here in cell mode */
	const char		*out;
	enum plot_format	 fmt;
	int			 w, h;	/* 0: the defaults */
};

static int	batch_main(const char *file);

/* What the options say beside the request itself. */
struct plot_args {
	const char	*out, *lang, *loss;
	const char	*cells[CURVE_CELLS_MAX];
	int		 ncells, cell, list, have_fmt, have_size, w, h;
	enum plot_format fmt;
	double		 wv, hv;		/* --width, --height (NaN) */
};

#define PLOT_GO_ON	(-1)	/* plot_option(): the next option */

/*
 * Option c (getopt_long's, its value in optarg; argc and argv
 * plot_main's) into req and a; job as
 * plot_main's.  PLOT_GO_ON, or the status plot_main returns at once: 0
 * (--help, --batch done), 2 after the message.
 */
static int
plot_option(int c, int argc, char **argv, struct plot_req *req,
    struct plot_args *a, struct plot_job *job)
{
	char	clean[64];
	double	v;

	switch (c) {
	case OPT_LOSS:
		a->loss = optarg;
		break;
	case OPT_CELL:
		if (a->ncells >= CURVE_CELLS_MAX)
			return (cli_fail("plot: --cell: at most %d "
			    "cells", CURVE_CELLS_MAX));
		a->cells[a->ncells++] = optarg;
		break;
	case OPT_OUT:
		a->out = optarg;
		break;
	case OPT_FORMAT:
		if (plot_format_parse(optarg, &a->fmt) == -1)
			return (cli_fail("plot: --format: unknown format "
			    "'%s' (png, svg, pdf, text or sixel)",
			    safeout_str(optarg, clean,
			    sizeof clean)));
		a->have_fmt = 1;
		break;
	case OPT_LIST:
		a->list = 1;
		break;
	case OPT_XMIN:
		if (num_arg("--xmin", optarg, &req->xmin) == -1)
			return (2);
		break;
	case OPT_XMAX:
		if (num_arg("--xmax", optarg, &req->xmax) == -1)
			return (2);
		break;
	case OPT_CLASSES:
		if (a->cell)
			return (canonical_only("--classes"));
		if (num_arg("--classes", optarg, &v) == -1)
			return (2);
		if (v != floor(v) || v < 2 || v > 100000)
			return (cli_fail("plot: --classes: must be an "
			    "integer from 2 to 100000"));
		req->classes = (int)v;
		break;
	case OPT_MARK:
		if (a->cell)
			return (canonical_only("--mark"));
		if (req->nmarks >= PLOT_MAX_MARKS)
			return (cli_fail("plot: --mark: at most %d marks",
			    PLOT_MAX_MARKS));
		if (num_arg("--mark", optarg,
		    &req->marks[req->nmarks]) == -1)
			return (2);
		req->nmarks++;
		break;
	case OPT_YMIN:
		if (num_arg("--ymin", optarg, &req->ymin) == -1)
			return (2);
		break;
	case OPT_YMAX:
		if (num_arg("--ymax", optarg, &req->ymax) == -1)
			return (2);
		break;
	case OPT_XLABEL:
		req->xlabel = optarg;
		break;
	case OPT_YLABEL:
		req->ylabel = optarg;
		break;
	case OPT_FONT:
		if (plot_font_ok(optarg) == -1)
			return (cli_fail("plot: --font: '%s' is not a font "
			    "name (letters, digits, blanks and - _ . : "
			    "=, at most %d bytes)", safeout_str(optarg,
			    clean, sizeof clean), PLOT_FONT_MAX - 1));
		req->font = optarg;
		break;
	case OPT_FONT_SIZE:
		if (num_arg("--font-size", optarg, &req->font_size) == -1)
			return (2);
		if (req->font_size < 1 || req->font_size > 200)
			return (cli_fail("plot: --font-size: must be from 1 "
			    "to 200 (points)"));
		break;
	case OPT_LEGEND:
		if (plot_legend_parse(optarg, &req->legend) == -1)
			return (cli_fail("plot: --legend: unknown place "
			    "'%s' (top-left, top-right, bottom-left, "
			    "bottom-right, below or off)", safeout_str(
			    optarg, clean, sizeof clean)));
		break;
	case OPT_THEME:
		if (plot_theme_parse(optarg, &req->theme) == -1)
			return (cli_fail("plot: --theme: unknown theme "
			    "'%s' (light, dark or projector)",
			    safeout_str(optarg, clean, sizeof clean)));
		break;
	case OPT_WIDTH:
	case OPT_HEIGHT:
		if (num_arg(c == OPT_WIDTH ? "--width" : "--height",
		    optarg, c == OPT_WIDTH ? &a->wv : &a->hv) == -1)
			return (2);
		if ((c == OPT_WIDTH ? a->wv : a->hv) <= 0)
			return (cli_fail("plot: %s: must be positive",
			    c == OPT_WIDTH ? "--width" : "--height"));
		a->have_size = 0;
		break;
	case OPT_GRAD:
		req->grad = 1;
		break;
	case OPT_XAXIS:
		if (strcmp(optarg, "probability") == 0)
			req->prob_axis = 1;
		else if (strcmp(optarg, "logit") == 0)
			req->prob_axis = 0;
		else
			return (cli_fail("plot: --x-axis: unknown axis "
			    "'%s' (logit or probability)", safeout_str(
			    optarg, clean, sizeof clean)));
		break;
	case OPT_TARGET:
		if (num_arg("--target", optarg, &req->target) == -1)
			return (2);
		if (req->target < 0 || req->target > 1)
			return (cli_fail("plot: --target: must be in "
			    "[0, 1]"));
		break;
	case OPT_LANG:
		if (strcmp(optarg, "en") != 0 &&
		    strcmp(optarg, "zh") != 0)
			return (cli_fail("plot: --lang: unknown language "
			    "'%s' (en or zh)", safeout_str(optarg,
			    clean, sizeof clean)));
		a->lang = optarg;
		break;
	case OPT_SIZE:
		if (size_arg(optarg, &a->w, &a->h) == -1)
			return (cli_fail("plot: --size: expected WxH, "
			    "got '%s'", safeout_str(optarg, clean,
			    sizeof clean)));
		a->have_size = 1;
		a->wv = a->hv = NAN;
		break;
	case OPT_TITLE:
		req->title = optarg;
		break;
	case OPT_LOSSES:
		if (a->cell)
			return (canonical_only("--losses"));
		if (losses_arg(optarg, req) == -1)
			return (2);
		break;
	case OPT_GAMMA:
		if (num_arg("--gamma", optarg, &req->gamma) == -1)
			return (2);
		break;
	case OPT_ALPHA:
		if (num_arg("--alpha", optarg, &req->alpha) == -1)
			return (2);
		break;
	case OPT_POS_WEIGHT:
		if (num_arg("--pos-weight", optarg,
		    &req->pos_weight) == -1)
			return (2);
		break;
	case OPT_LABEL_SMOOTHING:
		if (num_arg("--label-smoothing", optarg,
		    &req->label_smoothing) == -1)
			return (2);
		if (req->label_smoothing < 0 ||
		    req->label_smoothing > 1)
			return (cli_fail("plot: --label-smoothing: must "
			    "be in [0, 1]"));
		break;
	case OPT_POINTS:
		if (num_arg("--points", optarg, &v) == -1)
			return (2);
		if (v != floor(v) || v < 2 || v > 100000)
			return (cli_fail("plot: --points: must be an "
			    "integer from 2 to 100000"));
		req->points = (int)v;
		break;
	case OPT_BATCH:
		if (job != NULL)
			return (cli_fail("plot: --batch: a batch line "
			    "cannot hold --batch"));
		if (optind < argc || argc > 3)
			return (cli_fail("plot: --batch FILE takes no "
			    "other argument"));
		return (batch_main(optarg));
	case OPT_HELP:
		if (job != NULL)
			return (cli_fail("plot: --batch: --help in a "
			    "batch line"));
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
	return (PLOT_GO_ON);
}

/* The settings that mean something for req's kind only, and the ranges:
   0, or 2 after the message. */
static int
plot_kind_check(const struct plot_req *req)
{
	enum plot_kind	kind = req->kind;

	if (req->nlosses > 0 && kind != PLOT_COMPARE)
		return (cli_fail("plot: --losses is for 'compare' only"));
	if ((!isnan(req->gamma) || !isnan(req->alpha)) &&
	    kind != PLOT_FOCAL && kind != PLOT_COMPARE)
		return (cli_fail("plot: --gamma and --alpha are for 'focal' and "
		    "'compare' only"));
	if (!isnan(req->pos_weight) && kind != PLOT_POS_WEIGHT &&
	    kind != PLOT_COMPARE)
		return (cli_fail("plot: --pos-weight is for 'pos-weight' and "
		    "'compare' only"));
	if (!isnan(req->label_smoothing) && kind != PLOT_LABEL_SMOOTHING &&
	    kind != PLOT_COMPARE)
		return (cli_fail("plot: --label-smoothing is for "
		    "'label-smoothing' and 'compare' only"));
	if (req->classes != 0 && kind != PLOT_CE_CURVE &&
	    kind != PLOT_SOFTMAX_THEN_CE && kind != PLOT_LABEL_SMOOTHING &&
	    kind != PLOT_COMPARE)
		return (cli_fail("plot: --classes is for ce-curve, "
		    "softmax-then-ce, label-smoothing and compare only"));
	if (req->grad && kind != PLOT_COMPARE)
		return (cli_fail("plot: --grad is for 'compare' only (the other "
		    "plots draw their gradients already)"));
	if (!isnan(req->ymin) && !isnan(req->ymax) && req->ymin >= req->ymax)
		return (cli_fail("plot: --ymin must be below --ymax"));
	if (!isnan(req->xmin) && !isnan(req->xmax) && req->xmin >= req->xmax)
		return (cli_fail("plot: --xmin must be below --xmax"));
	return (0);
}

/* The output's format and size from --out, --format, --size, --width and
   --height: 0, or 2 after the message. */
static int
plot_output(struct plot_args *a)
{
	struct err	e;

	if (a->out != NULL) {
		if (plot_check_path(a->out, &e) == -1)
			return (cli_fail("plot: --out: %s", e.msg));
		if (!a->have_fmt && plot_format_from_path(a->out,
		    &a->fmt) == -1)
			return (cli_fail("plot: --out: unknown format (use .png, "
			    ".svg, .pdf, .txt or .six, or give --format)"));
	} else if (!a->have_fmt)
		a->fmt = PLOT_FORMAT_DUMB;
	if (!isnan(a->wv) || !isnan(a->hv))
		return (size_opts(a->fmt, a->wv, a->hv, &a->w, &a->h,
		    &a->have_size));
	return (0);
}

/* Draw req as a says: the file, a picture on standard output, or the
   text plot.  0, or 2 after the message. */
static int
plot_draw(const struct plot_req *req, struct plot_args *a)
{
	struct plot_text	 txt = PLOT_TEXT_INIT;
	struct err		 e;
	int			 i, w = a->have_size ? a->w : 0;
	int			 h = a->have_size ? a->h : 0;

	if (!plot_available())
		return (cli_fail("gnuplot not found (install gnuplot-nox)"));
	if (a->out != NULL) {
		if (plot_export_as(req, a->out, a->fmt, w, h, &e) == -1)
			return (cli_fail("plot: %s", e.msg));
		return (0);
	}
	if (a->have_fmt && a->fmt != PLOT_FORMAT_DUMB)
		return (stdout_image(req, a->fmt, w, h));
	if (!a->have_size)
		cli_term_size(&w, &h);
	if (plot_dumb(req, w, h, &txt, &e) == -1)
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

/*
 * `losslab plot` with argc/argv: the options into a request
 * (plot_option), checked (plot_kind_check, plot_output), drawn
 * (plot_draw); with job non-NULL (a --batch line) only parsed and checked
 * into *job, which then needs --out.  0, or 2 after the message.
 */
static int
plot_main(int argc, char **argv, struct cli_loss *cl, struct plot_job *job)
{
	struct plot_req		 req;
	struct plot_args	 a;
	struct curve_cells	 cc;
	const char		*id = NULL;
	char			 clean[64], **scan;
	int			 c, i, rc;

	plot_req_init(&req, PLOT_BCE_CURVE);
	memset(&a, 0, sizeof a);
	a.wv = a.hv = NAN;
	a.lang = i18n_lang();
	if (a.lang == NULL || strcmp(a.lang, "zh") != 0)
		a.lang = "en";

	/* first pass, on a copy (GNU getopt permutes what it scans): is it
	   cell mode, --input given? */
	if ((scan = calloc((size_t)argc + 1, sizeof *scan)) == NULL)
		return (cli_fail("plot: out of memory"));
	memcpy(scan, argv, (size_t)argc * sizeof *scan);
	getopt_restart();
	while ((c = getopt_long(argc, scan, ":", cell_options, NULL)) != -1)
		if (c == CLI_OPT_INPUT)
			a.cell = 1;
	free(scan);
	getopt_restart();
	while ((c = getopt_long(argc, argv, ":", a.cell ? cell_options :
	    plot_options, NULL)) != -1) {
		if (a.cell && c >= CLI_OPT_INPUT && c < CLI_OPT_END) {
			if ((rc = cli_loss_option(cl, c, optarg,
			    "plot: ")) != 0)
				return (rc);
			continue;
		}
		if ((rc = plot_option(c, argc, argv, &req, &a, job)) != PLOT_GO_ON)
			return (rc);
	}
	if (a.list && job != NULL)
		return (cli_fail("plot: --batch: --list in a batch line"));
	if (a.list) {
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
	if (plot_kind_parse(id, &req.kind) == -1)
		return (cli_fail("plot: unknown plot '%s' (see 'losslab plot "
		    "--list')", safeout_str(id, clean, sizeof clean)));
	req.lang = a.lang;
	if (a.cell && (rc = cell_setup(&req, job != NULL ? &job->cc : &cc, cl,
	    a.loss, a.cells, a.ncells)) != 0)
		return (rc);
	if ((rc = plot_kind_check(&req)) != 0 || (rc = plot_output(&a)) != 0)
		return (rc);
	if (job == NULL)
		return (plot_draw(&req, &a));
	if (a.out == NULL)
		return (cli_fail("plot: --batch: every line needs --out"));
	job->req = req;
	job->out = a.out;
	job->fmt = a.fmt;
	job->w = a.have_size ? a.w : 0;
	job->h = a.have_size ? a.h : 0;
	return (0);
}

int
cmd_plot_main(int argc, char **argv)
{
	struct cli_loss	 cl;
	int		 rc;

	/* the training lab's plots take train's options (cmd_train.c) */
	if (argc > 1 && strcmp(argv[1], "training") == 0)
		return (cmd_train_plot_main(argc - 1, argv + 1));
	cli_loss_init(&cl);
	cl.pitfall_none = 1;
	rc = plot_main(argc, argv, &cl, NULL);
	cli_loss_free(&cl);
	return (rc);
}

/* ---------------------------------------------------------------- batch -- */

#define BATCH_LINE_MAX	4096	/* bytes of one batch line */
#define BATCH_WORDS_MAX	128	/* words of one batch line */

/*
 * Split line (in place) into words at blanks; a word in single quotes
 * keeps its blanks ('' is not special: no escapes).  The number of words,
 * or -1 (an open quote, too many words).
 */
static int
batch_words(char *line, char **words, int max)
{
	char	*p = line, *q;
	int	 n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return (n);
		if (n >= max)
			return (-1);
		if (*p == '\'') {
			words[n++] = ++p;
			if ((q = strchr(p, '\'')) == NULL)
				return (-1);
			*q = '\0';
			p = q + 1;
			continue;
		}
		words[n++] = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* One gnuplot of --batch and the figure it draws. */
struct batch_slot {
	struct gnuplot	 g;
	int		 busy;		/* a figure was sent */
	struct plot_job	 j;
	struct cli_loss	 cl;		/* its options (cell mode's values) */
	char		 line[BATCH_LINE_MAX];	/* its words point here */
	long		 lineno;
};

#define BATCH_GNUPLOTS_MAX	4	/* gnuplots at once, at most */

/*
 * Send slot's figure to its gnuplot: the script after `reset session`, so
 * that nothing of the figure before stays.  0, or -1 with e set.
 */
static int
batch_send(struct batch_slot *sl, struct err *e)
{
	struct strbuf	 sc = STRBUF_INIT;
	int		 rc = -1;

	if (plot_save_ok(sl->j.out, e) == -1)
		return (-1);
	strbuf_printf(&sc, "reset session\n");
	if (plot_job_script(&sl->j.req, sl->j.fmt, sl->j.w, sl->j.h, &sc,
	    e) == -1)
		goto done;
	if (sc.oom) {
		err_set(e, "out of memory");
		goto done;
	}
	rc = gnuplot_send(&sl->g, sc.p, sc.len, PLOT_TIMEOUT_MS, e);
done:
	strbuf_free(&sc);
	return (rc);
}

/*
 * What slot's gnuplot gave (st, res): checked and saved.  0, or -1 with e
 * set.
 */
static int
batch_finish(struct batch_slot *sl, int st, struct gnuplot_result *res,
    struct err *e)
{
	struct strbuf	 o = STRBUF_INIT;
	char		 first[256];
	int		 rc = -1;

	if (st != GNUPLOT_DONE)
		return (err_set(e, "%s", res->error));
	if (res->err != NULL && res->err[0] != '\0') {
		/* gnuplot went on after an error: its first line says it */
		snprintf(first, sizeof first, "%.*s", (int)strcspn(res->err,
		    "\n"), res->err);
		return (err_set(e, "gnuplot: %s", first));
	}
	strbuf_add(&o, res->out, res->outlen);
	if (o.oom)
		err_set(e, "out of memory");
	else if (plot_job_check(sl->j.fmt, &o, e) == 0)
		rc = plot_save(sl->j.out, o.p, o.len, e);
	strbuf_free(&o);
	return (rc);
}

/*
 * The next line of fp into slot, parsed and sent.  1: a figure is being
 * drawn; 0: nothing to draw (a blank line, or a bad one: its message
 * given, *fail set); -1: the end of fp.
 */
static int
batch_next(FILE *fp, long *lineno, struct batch_slot *sl, int *fail)
{
	struct err	 e;
	char		*words[BATCH_WORDS_MAX + 2];
	int		 n, c, rc;

	if (fgets(sl->line, sizeof sl->line, fp) == NULL)
		return (-1);
	sl->lineno = ++*lineno;
	if (strchr(sl->line, '\n') == NULL && !feof(fp)) {
		cli_fail("plot: --batch line %ld: longer than %d bytes",
		    sl->lineno, BATCH_LINE_MAX - 2);
		*fail = 1;
		while ((c = fgetc(fp)) != EOF && c != '\n')
			;
		return (0);
	}
	sl->line[strcspn(sl->line, "\r\n")] = '\0';
	words[0] = (char *)"plot";
	if ((n = batch_words(sl->line, words + 1, BATCH_WORDS_MAX)) < 0) {
		cli_fail("plot: --batch line %ld: an open quote or more than "
		    "%d words", sl->lineno, BATCH_WORDS_MAX);
		*fail = 1;
		return (0);
	}
	if (n == 0)
		return (0);
	words[n + 1] = NULL;
	memset(&sl->j, 0, sizeof sl->j);
	cli_loss_init(&sl->cl);
	sl->cl.pitfall_none = 1;
	rc = plot_main(n + 1, words, &sl->cl, &sl->j);
	if (rc == 0 && batch_send(sl, &e) == -1) {
		cli_fail("plot: --batch line %ld: %s", sl->lineno, e.msg);
		rc = 2;
	}
	if (rc != 0) {
		cli_loss_free(&sl->cl);
		*fail = 1;
		return (0);
	}
	sl->busy = 1;
	return (1);
}

/*
 * --batch FILE ('-': standard input): every line is the arguments of
 * `losslab plot` with --out (blank lines and # comments skipped).  The
 * figures go to persistent gnuplots, one per processor (2 to
 * BATCH_GNUPLOTS_MAX): each draws figure after figure, so a figure costs
 * gnuplot's drawing, not its start-up.  A bad line is the message of
 * `losslab plot`; a failed figure one "losslab:" line naming its line;
 * the others are still drawn; exit 2 if any failed.
 */
static int
batch_main(const char *file)
{
	struct batch_slot	*sl;
	struct gnuplot_result	 res;
	struct pollfd		 fds[3 * BATCH_GNUPLOTS_MAX];
	struct err		 e;
	FILE			*fp;
	char			 clean[64];
	long			 lineno = 0, ncpu;
	int			 i, n, nslot, nfd, st, eof = 0, fail = 0;

	if (strcmp(file, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(file, "r")) == NULL)
		return (cli_fail("plot: --batch: %s: %s", safeout_str(file,
		    clean, sizeof clean), strerror(errno)));
	if (!plot_available()) {
		if (fp != stdin)
			fclose(fp);
		return (cli_fail("gnuplot not found (install gnuplot-nox)"));
	}
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	nslot = ncpu < 2 ? 2 : ncpu > BATCH_GNUPLOTS_MAX ?
	    BATCH_GNUPLOTS_MAX : (int)ncpu;
	if ((sl = calloc((size_t)nslot, sizeof *sl)) == NULL) {
		if (fp != stdin)
			fclose(fp);
		return (cli_fail("plot: out of memory"));
	}
	for (i = 0; i < nslot; i++)
		gnuplot_init(&sl[i].g);
	for (;;) {
		/* every idle gnuplot gets the next figure */
		for (i = 0; i < nslot && !eof; i++)
			while (!sl[i].busy && !eof)
				if (batch_next(fp, &lineno, &sl[i],
				    &fail) == -1)
					eof = 1;
		for (n = i = 0; i < nslot; i++)
			n += sl[i].busy;
		if (n == 0)
			break;
		/* wait for any of them, then take what is done */
		for (nfd = i = 0; i < nslot; i++)
			if (sl[i].busy)
				nfd += gnuplot_fds(&sl[i].g, fds + nfd,
				    (int)(sizeof fds / sizeof fds[0]) - nfd);
		if (nfd > 0)
			(void)poll(fds, (nfds_t)nfd, 100);
		for (i = 0; i < nslot; i++) {
			if (!sl[i].busy || (st = gnuplot_poll(&sl[i].g, 0,
			    &res)) == GNUPLOT_RUNNING)
				continue;
			if (batch_finish(&sl[i], st, &res, &e) == -1) {
				cli_fail("plot: --batch line %ld: %s",
				    sl[i].lineno, e.msg);
				fail = 1;
			}
			cli_loss_free(&sl[i].cl);
			sl[i].busy = 0;
		}
	}
	if (ferror(fp)) {
		cli_fail("plot: --batch: %s: read error", safeout_str(file,
		    clean, sizeof clean));
		fail = 1;
	}
	if (fp != stdin)
		fclose(fp);
	for (i = 0; i < nslot; i++)
		gnuplot_stop(&sl[i].g);
	free(sl);
	return (fail ? 2 : 0);
}

