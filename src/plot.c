/*
 * plot.c -- loss curves through gnuplot.
 *
 * A plot is made in three steps: the core samples the curves (curve.c, every
 * value from loss_eval()/pitfall_eval()), this module writes a gnuplot
 * script in memory (numbers in inline datablocks, our text through
 * plot_sanitize() inside single quotes, the user's verbatim through
 * buf_verbatim() inside double quotes, the terminal `noenhanced`), and a
 * child `gnuplot -d` reads the script on its stdin and writes the text or
 * the image on its stdout.  No file name ever reaches gnuplot: exports are
 * written by us, to a temporary file renamed into place, and only after
 * what gnuplot wrote passed the check of its format (plot_check_png, _svg,
 * _pdf, _text: a gnuplot that exits 0 after printing garbage is an error).
 *
 * The child is started with fork/execvp (no shell) in its own process group;
 * if it has not finished after PLOT_TIMEOUT_MS (LOSSLAB_PLOT_TIMEOUT_MS
 * overrides it, for tests) the group gets SIGKILL, and the child is always
 * reaped with waitpid(), so no zombie is left.  SIGPIPE is ignored while we
 * write to it and restored afterwards.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/activation.h"
#include "core/curve.h"
#include "datadir.h"
#include "outfile.h"
#include "parse.h"
#include "plot.h"
#include "strbuf.h"

#ifndef GNUPLOT_PROGRAM
#define GNUPLOT_PROGRAM	"gnuplot"
#endif
#ifndef PKGDATADIR
#define PKGDATADIR	"/usr/local/share/losslab"
#endif

#define PLOT_OUT_MAX	(64u * 1024 * 1024)	/* gnuplot's output, at most */
#define PLOT_ERR_MAX	4096			/* its stderr we keep */
#define PLOT_MARK_CHAR	'O'

/* The dumb terminal draws linetype k (1-based) with this character. */
static const char dumb_pens[] = "*#$%@&=";

static const struct {
	const char	*name;
	const char	*desc;
} plot_kinds[PLOT_KIND_COUNT] = {
#define X(c, p, id, desc)	[PLOT_##p] = { id, desc },
	CURVE_KINDS
#undef X
};

/* The --legend and --theme names, in the order of their enums. */
static const char *const legend_names[] = {
	"below", "top-left", "top-right", "bottom-left", "bottom-right", "off"
};
static const char *const theme_names[] = { "light", "dark", "projector" };

/* ---------------------------------------------------------------- names -- */

int
plot_legend_parse(const char *name, enum plot_legend *l)
{
	size_t	i;

	for (i = 0; i < sizeof legend_names / sizeof legend_names[0]; i++)
		if (strcmp(name, legend_names[i]) == 0) {
			*l = (enum plot_legend)i;
			return (0);
		}
	return (-1);
}

int
plot_theme_parse(const char *name, enum plot_theme *t)
{
	size_t	i;

	for (i = 0; i < sizeof theme_names / sizeof theme_names[0]; i++)
		if (strcmp(name, theme_names[i]) == 0) {
			*t = (enum plot_theme)i;
			return (0);
		}
	return (-1);
}

int
plot_font_ok(const char *name)
{
	size_t	n = strlen(name);

	/* a family name only: it goes into the terminal's font string,
	   where ',' would start the size and a quote would end it */
	if (n == 0 || n >= PLOT_FONT_MAX || name[0] == ' ' ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789 -_.:=") != n)
		return (-1);
	return (0);
}


static int
is_zh(const char *lang)
{
	return (lang != NULL && strcmp(lang, "zh") == 0);
}

const char *
plot_kind_name(enum plot_kind k)
{
	if ((int)k < 0 || k >= PLOT_KIND_COUNT)
		return ("?");
	return (plot_kinds[k].name);
}

const char *
plot_kind_desc(enum plot_kind k)
{
	if ((int)k < 0 || k >= PLOT_KIND_COUNT)
		return ("?");
	return (plot_kinds[k].desc);
}

int
plot_kind_parse(const char *name, enum plot_kind *k)
{
	int	i;

	for (i = 0; i < PLOT_KIND_COUNT; i++) {
		if (strcmp(name, plot_kinds[i].name) == 0) {
			*k = (enum plot_kind)i;
			return (0);
		}
	}
	return (-1);
}

void
plot_req_init(struct plot_req *r, enum plot_kind k)
{
	memset(r, 0, sizeof *r);
	r->kind = k;
	r->classes = 0;
	r->xmin = r->xmax = NAN;
	r->nmarks = 0;
	r->target = NAN;
	r->ymin = r->ymax = NAN;
	r->legend = PLOT_LEGEND_BELOW;
	r->theme = PLOT_THEME_LIGHT;
	r->lang = "en";
	r->title = NULL;
	r->gamma = r->alpha = r->pos_weight = r->label_smoothing = NAN;
	r->nlosses = 0;
	r->points = 0;
}

enum loss_id
plot_kind_loss(enum plot_kind k)
{
	static const enum loss_id loss[PLOT_KIND_COUNT] = {
		[PLOT_BCE_CURVE] = LOSS_BCE,
		[PLOT_LOGITS_CURVE] = LOSS_BCE_LOGITS,
		[PLOT_CE_CURVE] = LOSS_CE,
		[PLOT_DOUBLE_SIGMOID] = LOSS_BCE_LOGITS,
		[PLOT_SOFTMAX_THEN_CE] = LOSS_CE,
		[PLOT_NAIVE_FLOAT32] = LOSS_BCE_LOGITS,
		[PLOT_FOCAL] = LOSS_FOCAL,
		[PLOT_LABEL_SMOOTHING] = LOSS_CE,
		[PLOT_POS_WEIGHT] = LOSS_BCE_LOGITS,
		[PLOT_COMPARE] = LOSS_COUNT,
	};

	if ((int)k < 0 || k >= PLOT_KIND_COUNT)
		return (LOSS_COUNT);
	return (loss[k]);
}

enum pitfall_id
plot_kind_pitfall(enum plot_kind k)
{
	switch (k) {
	case PLOT_DOUBLE_SIGMOID:
		return (PITFALL_DOUBLE_SIGMOID);
	case PLOT_SOFTMAX_THEN_CE:
		return (PITFALL_SOFTMAX_THEN_CE);
	case PLOT_NAIVE_FLOAT32:
		return (PITFALL_NAIVE_FLOAT32);
	default:
		return (PITFALL_NONE);
	}
}

/* One argument for a POSIX shell: as is when it holds only characters no
   shell treats specially, else in single quotes ('\'' for a quote). */
static void
args_word(struct strbuf *b, const char *w)
{
	const char	*p;

	strbuf_add(b, " ", 1);
	if (*w != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-=/:@%^") == strlen(w)) {
		strbuf_add(b, w, strlen(w));
		return;
	}
	strbuf_add(b, "'", 1);
	for (p = w; *p != '\0'; p++) {
		if (*p == '\'')
			strbuf_add(b, "'\\''", 4);
		else
			strbuf_add(b, p, 1);
	}
	strbuf_add(b, "'", 1);
}

/* A number that reads back exactly: the shortest decimal for a command,
   C99's hexadecimal (exact too, and many times faster) for a key. */
static const char *
args_fmt(double v, char *num, size_t len, int key)
{
	if (key) {
		snprintf(num, len, "%a", v);
		return num;
	}
	return parse_fmt_exact(v, num, len);
}

static void
args_num(struct strbuf *b, const char *opt, double v, int key)
{
	char	num[64];

	strbuf_printf(b, " %s", opt);
	args_word(b, args_fmt(v, num, sizeof num, key));
}

/* A value in the CLI syntax (parse.h): "a,b,c", "a,b;c,d", "a,b;". */
static void
args_mat(struct strbuf *b, const char *opt, const struct mat *m, int key)
{
	struct strbuf	 v = STRBUF_INIT;
	char		 num[64];
	size_t		 i, j, rows = m->ndim == 2 ? m->rows : 1;

	for (i = 0; i < rows; i++) {
		for (j = 0; j < m->cols; j++)
			strbuf_printf(&v, "%s%s", j ? "," : "",
			    args_fmt(MAT_AT(m, i, j), num, sizeof num, key));
		if (m->ndim == 2 && (i + 1 < rows || rows == 1))
			strbuf_add(&v, ";", 1);
	}
	strbuf_printf(b, " %s", opt);
	args_word(b, v.p != NULL ? v.p : "");
	if (v.oom)
		b->oom = 1;
	strbuf_free(&v);
}

/* Whether the loss or the pitfall's loss reads an option. */
static int
args_reads(const struct curve_cells *cc, const char *opt)
{
	return (loss_has_option(cc->loss, opt) ||
	    (cc->pitfall != PITFALL_NONE &&
	    loss_has_option(pitfall_loss(cc->pitfall), opt)));
}

static void args_look(const struct plot_req *, struct strbuf *, int);

/* What both modes end with: --points, --lang zh and --title when set. */
static void
args_tail(const struct plot_req *r, struct strbuf *b)
{
	if (r->points > 0)
		strbuf_printf(b, " --points %d", r->points);
	if (is_zh(r->lang))
		strbuf_printf(b, " --lang zh");
	if (r->title != NULL) {
		strbuf_printf(b, " --title");
		args_word(b, r->title);
	}
}

/* Cell mode: the loss, the values, the cells and every option that
   differs from torch's default. */
static void
args_cells(const struct plot_req *r, struct strbuf *b, int key)
{
	const struct curve_cells *cc = r->cells;
	struct loss_opts	 d, o;
	size_t			 g;

	loss_opts_init(&d);
	if (cc->opts != NULL)
		o = *cc->opts;
	else
		o = d;
	strbuf_printf(b, " --loss %s", loss_name(cc->loss));
	if (cc->pitfall != plot_kind_pitfall(r->kind))
		strbuf_printf(b, " --pitfall %s", pitfall_name(cc->pitfall));
	args_mat(b, "--input", cc->input, key);
	args_mat(b, "--target", cc->target, key);
	for (g = 0; g < cc->ncells; g++) {
		if (cc->input->ndim == 2)
			strbuf_printf(b, " --cell %zu,%zu", cc->cells[g].r,
			    cc->cells[g].c);
		else
			strbuf_printf(b, " --cell %zu", cc->cells[g].c);
	}
	if (o.reduction != d.reduction)
		strbuf_printf(b, " --reduction %s",
		    loss_reduction_name(o.reduction));
	if (o.weight != NULL && args_reads(cc, "weight"))
		args_mat(b, "--weight", o.weight, key);
	if (o.pos_weight != NULL && args_reads(cc, "pos-weight"))
		args_mat(b, "--pos-weight", o.pos_weight, key);
	if (o.ignore_index != d.ignore_index && args_reads(cc, "ignore-index"))
		strbuf_printf(b, " --ignore-index %ld", o.ignore_index);
	if (o.label_smoothing != d.label_smoothing &&
	    args_reads(cc, "label-smoothing"))
		args_num(b, "--label-smoothing", o.label_smoothing, key);
	if (o.margin != d.margin && args_reads(cc, "margin"))
		args_num(b, "--margin", o.margin, key);
	if (o.p != d.p && args_reads(cc, "p"))
		strbuf_printf(b, " --p %d", o.p);
	if (o.alpha != d.alpha && args_reads(cc, "alpha"))
		args_num(b, "--alpha", o.alpha, key);
	if (o.gamma != d.gamma && args_reads(cc, "gamma"))
		args_num(b, "--gamma", o.gamma, key);
	if (o.log_target && args_reads(cc, "log-target"))
		strbuf_printf(b, " --log-target");
	if (!isnan(r->xmin))
		args_num(b, "--xmin", r->xmin, key);
	if (!isnan(r->xmax))
		args_num(b, "--xmax", r->xmax, key);
	args_tail(r, b);
	args_look(r, b, key);
}

/* A canonical plot's setting: six digits in a command (as always),
   exact in a key. */
static void
args_short(struct strbuf *b, const char *opt, double v, int key)
{
	char	num[64];

	if (key)
		strbuf_printf(b, " %s %s", opt, args_fmt(v, num, sizeof num, 1));
	else
		strbuf_printf(b, " %s %.6g", opt, v);
}

/* The options of both modes that change only how a plot looks (each when
   set). */
static void
args_look(const struct plot_req *r, struct strbuf *b, int key)
{
	char	num[64];

	if (!isnan(r->ymin))
		strbuf_printf(b, " --ymin %s", args_fmt(r->ymin, num,
		    sizeof num, key));
	if (!isnan(r->ymax))
		strbuf_printf(b, " --ymax %s", args_fmt(r->ymax, num,
		    sizeof num, key));
	if (r->prob_axis)
		strbuf_printf(b, " --x-axis probability");
	if (r->xlabel != NULL) {
		strbuf_printf(b, " --xlabel");
		args_word(b, r->xlabel);
	}
	if (r->ylabel != NULL) {
		strbuf_printf(b, " --ylabel");
		args_word(b, r->ylabel);
	}
	if (r->font != NULL) {
		strbuf_printf(b, " --font");
		args_word(b, r->font);
	}
	if (r->font_size > 0)
		strbuf_printf(b, " --font-size %s", args_fmt(r->font_size, num,
		    sizeof num, key));
	if (r->legend != PLOT_LEGEND_BELOW && (int)r->legend >= 0 &&
	    r->legend <= PLOT_LEGEND_OFF)
		strbuf_printf(b, " --legend %s", legend_names[r->legend]);
	if (r->theme != PLOT_THEME_LIGHT && (int)r->theme >= 0 &&
	    r->theme <= PLOT_THEME_PROJECTOR)
		strbuf_printf(b, " --theme %s", theme_names[r->theme]);
}

/* The arguments of req into b: decimal (a command) or exact keys. */
static void
args_req(const struct plot_req *r, struct strbuf *b, int key)
{
	int	i;

	strbuf_printf(b, "%s", plot_kind_name(r->kind));
	if (r->cells != NULL) {
		args_cells(r, b, key);
		return;
	}
	if (r->nlosses > 0) {
		strbuf_printf(b, " --losses ");
		for (i = 0; i < r->nlosses; i++)
			strbuf_printf(b, "%s%s", i ? "," : "",
			    loss_name(r->losses[i]));
	}
	if (r->classes > 0)
		strbuf_printf(b, " --classes %d", r->classes);
	if (!isnan(r->xmin))
		args_short(b, "--xmin", r->xmin, key);
	if (!isnan(r->xmax))
		args_short(b, "--xmax", r->xmax, key);
	for (i = 0; i < r->nmarks && i < PLOT_MAX_MARKS; i++)
		args_short(b, "--mark", r->marks[i], key);
	if (!isnan(r->target))
		args_short(b, "--target", r->target, key);
	if (!isnan(r->gamma))
		args_short(b, "--gamma", r->gamma, key);
	if (!isnan(r->alpha))
		args_short(b, "--alpha", r->alpha, key);
	if (!isnan(r->pos_weight))
		args_short(b, "--pos-weight", r->pos_weight, key);
	if (!isnan(r->label_smoothing))
		args_short(b, "--label-smoothing", r->label_smoothing, key);
	if (r->grad)
		strbuf_printf(b, " --grad");
	args_tail(r, b);
	args_look(r, b, key);
}

void
plot_req_args(const struct plot_req *r, char *buf, size_t len)
{
	struct strbuf	 b = STRBUF_INIT;

	args_req(r, &b, 0);
	snprintf(buf, len, "%s", b.oom || b.p == NULL ? "" : b.p);
	strbuf_free(&b);
}

void
plot_req_key(const struct plot_req *r, struct strbuf *b)
{
	args_req(r, b, 1);
}

/* ------------------------------------------------------------ sanitiser -- */

/*
 * Length of the well-formed UTF-8 sequence of 2-4 bytes at s (at most avail
 * bytes), or 0: no overlongs, no surrogates, nothing above U+10FFFF.  The
 * C1 controls (U+0080 to U+009F) are well-formed: *cp says which it is.
 */
static size_t
utf8_seqn(const unsigned char *s, size_t avail, unsigned int *cp)
{
	unsigned int	c;
	size_t		n, i;

	if (avail == 0)
		return (0);
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		/* also stops at a NUL */
		if (i >= avail || (s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return (0);
	if (cp != NULL)
		*cp = c;
	return (n);
}

/* As utf8_seqn in a NUL-terminated string, C1 controls refused too. */
static size_t
utf8_seq(const unsigned char *s, unsigned int *cp)
{
	unsigned int	c;
	size_t		n;

	if ((n = utf8_seqn(s, 4, &c)) == 0 || (c >= 0x80 && c <= 0x9f))
		return (0);
	if (cp != NULL)
		*cp = c;
	return (n);
}

char *
plot_sanitize(const char *in, char *out, size_t outlen)
{
	const unsigned char	*s = (const unsigned char *)in;
	size_t			 o = 0, n;

	if (outlen == 0)
		return (out);
	if (in == NULL) {
		out[0] = '\0';
		return (out);
	}
	while (*s != '\0') {
		if (*s < 0x20 || *s == 0x7f) {
			/* control characters (newline, tab, ESC...) */
			if (o + 1 < outlen && o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			s++;
			continue;
		}
		if (*s < 0x80) {
			if (strchr("'\"\\`|<>!$@", *s) == NULL) {
				if (o + 1 >= outlen)
					break;
				out[o++] = (char)*s;
			}
			s++;
			continue;
		}
		if ((n = utf8_seq(s, NULL)) == 0) {
			s++;			/* a stray byte: dropped */
			continue;
		}
		if (o + n >= outlen)
			break;
		memcpy(out + o, s, n);
		o += n;
		s += n;
	}
	out[o] = '\0';
	return (out);
}

/* ---------------------------------------------------------------- paths -- */

int
plot_check_path(const char *path, struct err *e)
{
	const unsigned char	*s;
	size_t			 n;

	if (path == NULL || *path == '\0')
		return (err_set(e, "empty output file name"));
	for (s = (const unsigned char *)path; *s == ' ' || *s == '\t'; s++)
		;
	if (*s == '|' || *s == '<')
		return (err_set(e, "refusing output file name starting with "
		    "'%c' (gnuplot would run it as a command)", *s));
	for (s = (const unsigned char *)path; *s != '\0'; ) {
		if (*s < 0x20 || *s == 0x7f)
			return (err_set(e, "refusing output file name with a "
			    "control character (byte 0x%02x)", *s));
		if (strchr("'\"`", *s) != NULL)
			return (err_set(e, "refusing output file name with "
			    "a quote or backtick"));
		if (*s >= 0x80) {
			if ((n = utf8_seq(s, NULL)) == 0)
				return (err_set(e, "refusing output file name "
				    "that is not valid UTF-8"));
			s += n;
		} else
			s++;
	}
	return (0);
}

int
plot_format_from_path(const char *path, enum plot_format *f)
{
	const char	*dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return (-1);
	if (strcasecmp(dot, ".png") == 0)
		*f = PLOT_FORMAT_PNG;
	else if (strcasecmp(dot, ".svg") == 0)
		*f = PLOT_FORMAT_SVG;
	else if (strcasecmp(dot, ".pdf") == 0)
		*f = PLOT_FORMAT_PDF;
	else if (strcasecmp(dot, ".txt") == 0)
		*f = PLOT_FORMAT_DUMB;
	else if (strcasecmp(dot, ".six") == 0 ||
	    strcasecmp(dot, ".sixel") == 0)
		*f = PLOT_FORMAT_SIXEL;
	else
		return (-1);
	return (0);
}

int
plot_format_parse(const char *name, enum plot_format *f)
{
	static const struct {
		const char		*name;
		enum plot_format	 f;
	} names[] = {
		{ "png", PLOT_FORMAT_PNG }, { "svg", PLOT_FORMAT_SVG },
		{ "pdf", PLOT_FORMAT_PDF }, { "text", PLOT_FORMAT_DUMB },
		{ "txt", PLOT_FORMAT_DUMB }, { "sixel", PLOT_FORMAT_SIXEL },
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0) {
			*f = names[i].f;
			return (0);
		}
	return (-1);
}

/* An executable regular file named GNUPLOT_PROGRAM in a PATH directory. */
int
plot_available(void)
{
	const char	*path = getenv("PATH"), *p, *q;
	char		 file[4096];
	struct stat	 sb;
	size_t		 len;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; ; p = q + 1) {
		q = strchr(p, ':');
		len = q == NULL ? strlen(p) : (size_t)(q - p);
		if (len == 0)
			snprintf(file, sizeof file, "./%s", GNUPLOT_PROGRAM);
		else
			snprintf(file, sizeof file, "%.*s/%s", (int)len, p,
			    GNUPLOT_PROGRAM);
		if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    access(file, X_OK) == 0)
			return (1);
		if (q == NULL)
			break;
	}
	return (0);
}

/* --------------------------------------------------------------- buffer -- */

/* A number as gnuplot reads it: '.' whatever the locale, NaN if not finite. */
static void
buf_num(struct strbuf *b, double v)
{
	const char	*dp = localeconv()->decimal_point;
	char		 tmp[64], *c;

	if (!isfinite(v)) {
		strbuf_add(b, "NaN", 3);
		return;
	}
	snprintf(tmp, sizeof tmp, "%.10g", v);
	if (dp != NULL && dp[0] != '\0' && dp[0] != '.' && dp[1] == '\0') {
		for (c = tmp; *c != '\0'; c++)
			if (*c == dp[0])
				*c = '.';
	}
	strbuf_add(b, tmp, strlen(tmp));
}

/* Text as a single-quoted gnuplot string, sanitised first. */
static void
buf_quote(struct strbuf *b, const char *text)
{
	char	clean[PLOT_TEXT_MAX];

	plot_sanitize(text, clean, sizeof clean);
	strbuf_add(b, "'", 1);
	strbuf_add(b, clean, strlen(clean));
	strbuf_add(b, "'", 1);
}

/*
 * The user's own text (--title, --xlabel, --ylabel) as a double-quoted
 * gnuplot string that gnuplot reads back verbatim.  The terminals run
 * `noenhanced`, so no character is markup.  gnuplot substitutes `cmd` and
 * @macro on the raw line (inside double quotes too) before it reads the
 * string, and '' after an opening quote is an empty string, so neither
 * quoting style can hold these characters as themselves: each of " \ ` @
 * $ ! is written as a backslash escape (\" \\ \140 \100 \044 \041), which
 * only the string reader decodes.  What cannot be kept is changed, never
 * dropped: a control character or a tab becomes a blank (a newline would
 * end the command), a byte that is not well-formed UTF-8 becomes U+FFFD.
 * At most PLOT_USER_TEXT_MAX bytes of text, cut at a character.
 */
#define PLOT_USER_TEXT_MAX	1024
static void
buf_verbatim(struct strbuf *b, const char *text)
{
	const unsigned char	*s = (const unsigned char *)text;
	unsigned int		 cp;
	size_t			 n, used = 0;

	strbuf_add(b, "\"", 1);
	while (*s != '\0' && used < PLOT_USER_TEXT_MAX) {
		if (*s < 0x80) {
			switch (*s) {
			case '"':
				strbuf_add(b, "\\\"", 2);
				break;
			case '\\':
				strbuf_add(b, "\\\\", 2);
				break;
			case '`':
			case '@':
			case '$':
			case '!':
				strbuf_printf(b, "\\%03o", (unsigned)*s);
				break;
			default:
				if (*s < 0x20 || *s == 0x7f)
					strbuf_add(b, " ", 1);
				else
					strbuf_add(b, (const char *)s, 1);
				break;
			}
			s++;
			used++;
			continue;
		}
		n = utf8_seqn(s, 4, &cp);
		if (n == 0 || (cp >= 0x80 && cp <= 0x9f)) {
			/* U+FFFD for a bad byte; a C1 control is a blank */
			if (n == 0)
				strbuf_add(b, "\xef\xbf\xbd", 3);
			else
				strbuf_add(b, " ", 1);
			s += n == 0 ? 1 : n;
			used += 3;
			continue;
		}
		if (used + n > PLOT_USER_TEXT_MAX)
			break;
		strbuf_add(b, (const char *)s, n);
		s += n;
		used += n;
	}
	strbuf_add(b, "\"", 1);
}

/* A key entry's title; text keys (reverse) need a blank after the sample. */
static void
buf_key_title(struct strbuf *b, const char *text, int dumb)
{
	char	tmp[PLOT_TEXT_MAX + 1];

	if (!dumb) {
		buf_quote(b, text);
		return;
	}
	snprintf(tmp, sizeof tmp, " %s", text);
	buf_quote(b, tmp);
}

/* --------------------------------------------------------------- labels -- */

struct labels {
	const char	*title, *xlabel, *ylabel, *y2label;
};

/* A number for a label: "0.1", "3", "-2.5". */
static const char *
short_num(double v, char *tmp, size_t len)
{
	char	*c;

	snprintf(tmp, len, "%g", v);
	for (c = tmp; *c != '\0'; c++)
		if (*c == ',')
			*c = '.';
	return (tmp);
}

static void
kind_labels(enum plot_kind k, int zh, struct labels *l)
{
	static const struct labels en[PLOT_KIND_COUNT] = {
		[PLOT_BCE_CURVE] = { "BCE loss against the predicted "
		    "probability", "predicted probability p", "loss", NULL },
		[PLOT_LOGITS_CURVE] = { "BCE with logits against the logit z",
		    "logit z", "loss", "gradient dL/dz" },
		[PLOT_CE_CURVE] = { "Cross-entropy against the true-class "
		    "margin", "margin m = z_true - z_other", "loss",
		    "gradient dL/dz_true" },
		[PLOT_DOUBLE_SIGMOID] = { "Pitfall: double sigmoid, "
		    "sigmoid before BCEWithLogitsLoss", "logit z", "loss",
		    "gradient dL/dz" },
		[PLOT_SOFTMAX_THEN_CE] = { "Pitfall: softmax before "
		    "CrossEntropyLoss", "margin m = z_true - z_other", "loss",
		    "gradient dL/dz_true" },
		[PLOT_NAIVE_FLOAT32] = { "Pitfall: BCELoss(sigmoid(z)) in "
		    "float32 against BCEWithLogitsLoss", "logit z", "loss",
		    "gradient dL/dz" },
		[PLOT_FOCAL] = { "Focal loss: (1 - p_t)^gamma down-weights easy "
		    "examples", "logit z", "loss", NULL },
		[PLOT_LABEL_SMOOTHING] = { "Cross-entropy with label smoothing",
		    "margin m = z_true - z_other", "loss", NULL },
		[PLOT_POS_WEIGHT] = { "BCEWithLogitsLoss with pos_weight",
		    "logit z", "loss", NULL },
		[PLOT_COMPARE] = { "Losses against the logit z",
		    "logit z", "loss", NULL },
	};
	static const struct labels cn[PLOT_KIND_COUNT] = {
		[PLOT_BCE_CURVE] = { "BCE 损失与预测概率 p", "预测概率 p",
		    "损失", NULL },
		[PLOT_LOGITS_CURVE] = { "BCEWithLogits 损失与 logit z",
		    "logit z", "损失", "梯度 dL/dz" },
		[PLOT_CE_CURVE] = { "交叉熵与真实类别的 logit 差",
		    "差值 m = z_真 - z_其他", "损失", "梯度 dL/dz_真" },
		[PLOT_DOUBLE_SIGMOID] = { "陷阱：双重 sigmoid，"
		    "BCEWithLogitsLoss 之前又做了 sigmoid", "logit z", "损失", "梯度 dL/dz" },
		[PLOT_SOFTMAX_THEN_CE] = { "陷阱：CrossEntropyLoss 之前先做 "
		    "softmax", "差值 m = z_真 - z_其他", "损失",
		    "梯度 dL/dz_真" },
		[PLOT_NAIVE_FLOAT32] = { "陷阱：float32 下的 "
		    "BCELoss(sigmoid(z)) 与 BCEWithLogitsLoss", "logit z",
		    "损失", "梯度 dL/dz" },
		[PLOT_FOCAL] = { "Focal 损失：(1 - p_t)^gamma 降低易分样本的权重",
		    "logit z", "损失", NULL },
		[PLOT_LABEL_SMOOTHING] = { "带标签平滑的交叉熵",
		    "差值 m = z_真 - z_其他", "损失", NULL },
		[PLOT_POS_WEIGHT] = { "带 pos_weight 的 BCEWithLogitsLoss",
		    "logit z", "损失", NULL },
		[PLOT_COMPARE] = { "各损失与 logit z", "logit z", "损失", NULL },
	};

	*l = zh ? cn[k] : en[k];
}

static const char *torch_short(enum loss_id id);

/*
 * A compare legend entry: PyTorch's name, and what was put in front of
 * the loss so that it shares the z axis (a sigmoid for BCELoss, which
 * takes probabilities; log_softmax for NLLLoss and KLDivLoss, which take
 * log-probabilities); a gradient says so.
 */
static void
compare_label(const struct curve *c, int zh, int prob, char *out, size_t len)
{
	const char	*name = torch_short(c->loss), *what = "";
	char		 tmp[PLOT_TEXT_MAX];

	switch (c->loss) {
	case LOSS_BCE:
		/* on the probability axis p is the input itself */
		if (!prob)
			what = zh ? "BCELoss(σ(z))，为共用 z 轴加了 sigmoid" :
			    "BCELoss(σ(z)), sigmoid put in to share the z axis";
		break;
	case LOSS_NLL:
		what = zh ? "NLLLoss(log_softmax(z))，加了 log_softmax" :
		    "NLLLoss(log_softmax(z)), log_softmax put in";
		break;
	case LOSS_KL_DIV:
		what = zh ? "KLDivLoss(log_softmax(z))，加了 log_softmax" :
		    "KLDivLoss(log_softmax(z)), log_softmax put in";
		break;
	default:
		break;
	}
	snprintf(tmp, sizeof tmp, "%s", *what != '\0' ? what : name);
	if (c->gradient)
		snprintf(out, len, zh ? "梯度 d/dz %s" : "gradient d/dz %s", tmp);
	else
		snprintf(out, len, "%s", tmp);
}

/* The legend entry of curve c of set s. */
static void
curve_label(const struct curve_set *s, const struct curve *c, int zh,
    char *out, size_t len)
{
	char	 y[48], v[32];
	int	 pf = c->pitfall != PITFALL_NONE;

	if (!isnan(c->y))
		snprintf(y, sizeof y, "y=%s", short_num(c->y, v, sizeof v));
	else
		y[0] = '\0';
	switch (s->kind) {
	case CURVE_BCE:
		snprintf(out, len, "BCELoss, %s", y);
		break;
	case CURVE_LOGITS:
		if (c->gradient)
			snprintf(out, len, zh ? "梯度 σ(z) - y" :
			    "gradient σ(z) - y");
		else
			snprintf(out, len, zh ? "损失 BCEWithLogitsLoss(z, y)" :
			    "loss BCEWithLogitsLoss(z, y)");
		break;
	case CURVE_CE:
		if (c->gradient)
			snprintf(out, len, zh ? "梯度 softmax(z)_真 - 1" :
			    "gradient softmax(z)_true - 1");
		else
			snprintf(out, len, zh ? "交叉熵损失 CrossEntropyLoss" :
			    "CrossEntropyLoss");
		break;
	case CURVE_DOUBLE_SIGMOID:
		if (c->gradient)
			snprintf(out, len, "%s", pf ?
			    (zh ? "梯度（陷阱）" : "gradient (pitfall)") :
			    (zh ? "梯度（正确）" : "gradient (correct)"));
		else
			snprintf(out, len, "%s", pf ?
			    (zh ? "陷阱 BCEWithLogits(σ(z))" :
			    "pitfall BCEWithLogits(σ(z))") :
			    (zh ? "正确 BCEWithLogits(z)" :
			    "correct BCEWithLogits(z)"));
		break;
	case CURVE_SOFTMAX_THEN_CE:
		if (c->gradient)
			snprintf(out, len, "%s", pf ?
			    (zh ? "梯度（陷阱）" : "gradient (pitfall)") :
			    (zh ? "梯度（正确）" : "gradient (correct)"));
		else
			snprintf(out, len, "%s", pf ?
			    (zh ? "陷阱 CE(softmax(z))" :
			    "pitfall CE(softmax(z))") :
			    (zh ? "正确 CE(z)" : "correct CE(z)"));
		break;
	case CURVE_NAIVE_FLOAT32:
		if (c->gradient)
			snprintf(out, len, "%s", pf ?
			    (zh ? "梯度（朴素）" : "gradient (naive)") :
			    (zh ? "梯度（稳定）" : "gradient (stable)"));
		else
			snprintf(out, len, "%s", pf ?
			    (zh ? "朴素 float32 BCE(σ(z))" :
			    "naive float32 BCE(σ(z))") :
			    (zh ? "稳定 BCEWithLogits(z)" :
			    "stable BCEWithLogits(z)"));
		break;
	case CURVE_FOCAL:
		snprintf(out, len, "γ = %s%s", short_num(c->value, v, sizeof v),
		    c->value == 0 ? " (BCE)" : "");
		break;
	case CURVE_LABEL_SMOOTHING:
		snprintf(out, len, "ε = %s", short_num(c->value, v, sizeof v));
		break;
	case CURVE_POS_WEIGHT:
		if (c->param == CURVE_PARAM_POS_WEIGHT)
			snprintf(out, len, "pos_weight = %s (%s)",
			    short_num(c->value, v, sizeof v), y);
		else
			snprintf(out, len, zh ? "%s（pos_weight 不起作用）" :
			    "%s (pos_weight has no effect)", y);
		break;
	case CURVE_COMPARE:
		compare_label(c, zh, s->xaxis == CURVE_X_PROB, out, len);
		break;
	default:
		snprintf(out, len, "?");
		break;
	}
}

/* " (y=1)", " (C=3)", " (y=1, C=3)": what all the curves share, or "". */
static void
title_suffix(const struct curve_set *s, char *out, size_t len)
{
	char	v[32];

	out[0] = '\0';
	switch (s->kind) {
	case CURVE_LOGITS:
	case CURVE_DOUBLE_SIGMOID:
	case CURVE_NAIVE_FLOAT32:
	case CURVE_FOCAL:
		if (s->ncurves > 0 && !isnan(s->c[0].y))
			snprintf(out, len, " (y=%s)",
			    short_num(s->c[0].y, v, sizeof v));
		break;
	case CURVE_COMPARE:
		if (s->ncurves > 0 && !isnan(s->c[0].y))
			snprintf(out, len, " (y=%s, C=%d)",
			    short_num(s->c[0].y, v, sizeof v), s->classes);
		break;
	case CURVE_CE:
	case CURVE_SOFTMAX_THEN_CE:
	case CURVE_LABEL_SMOOTHING:
		snprintf(out, len, " (C=%d)", s->classes);
		break;
	default:
		break;
	}
}

/* ---------------------------------------------------------- cell labels -- */

/*
 * Cell mode (struct curve_cells): the labels say exactly what each curve
 * is -- the torch loss, the output element or sample (ℓ[r], ℓ[r][c], the
 * 'none' value the explorer's tables show), the varied cell (z[r][c], p or
 * log p), the target it is compared with, and for the gradient the
 * reduction of the loss it differentiates.
 */

/* snprintf for labels: a label too long for its buffer is cut (and a cut
   UTF-8 sequence is dropped later by plot_sanitize()). */
static void __attribute__((format(printf, 3, 4)))
label_printf(char *out, size_t len, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(out, len, fmt, ap);
	va_end(ap);
}

/* The mistaken pipeline in a few characters. */
static const char *
pitfall_short(enum pitfall_id pf)
{
	switch (pf) {
	case PITFALL_DOUBLE_SIGMOID:
		return ("BCEWithLogits(σ(z))");
	case PITFALL_SOFTMAX_THEN_CE:
		return ("CE(softmax(z))");
	case PITFALL_LOG_SOFTMAX_THEN_CE:
		return ("CE(log_softmax(z))");
	case PITFALL_BCE_ON_LOGITS:
		return ("BCELoss(z)");
	case PITFALL_NAIVE_FLOAT32:
		return ("float32 BCELoss(σ(z))");
	default:
		return ("?");
	}
}

/* The torch class name without its module: "CrossEntropyLoss". */
static const char *
torch_short(enum loss_id id)
{
	const char	*n = loss_torch_name(id), *dot = strrchr(n, '.');

	return (dot != NULL ? dot + 1 : n);
}

static int
cell_per_sample(enum loss_id id)
{
	return (id == LOSS_CE || id == LOSS_NLL || id == LOSS_MULTI_MARGIN ||
	    id == LOSS_MULTILABEL_SOFT_MARGIN);
}

/* "[1][2]" for a 2-D input, "[2]" for a 1-D one. */
static const char *
cell_idx(const struct curve_cells *cc, size_t g, char *buf, size_t len)
{
	if (cc->input->ndim == 2)
		snprintf(buf, len, "[%zu][%zu]", cc->cells[g].r,
		    cc->cells[g].c);
	else
		snprintf(buf, len, "[%zu]", cc->cells[g].c);
	return (buf);
}

/* The varied value: "z[1][2]", "p[0]", "log p[1][2]". */
static const char *
cell_var(const struct curve_cells *cc, size_t g, char *buf, size_t len)
{
	char	idx[48];

	snprintf(buf, len, "%s%s", loss_input_symbol(cc->loss),
	    cell_idx(cc, g, idx, sizeof idx));
	return (buf);
}

/*
 * The output element cell g feeds: "ℓ[1]" (sample 1), "ℓ" (an unbatched
 * sample), "ℓ[0][2]" (an element); kl-div, whose input may broadcast
 * against the target: "Σℓ[·][2]", the sum over the broadcast dimension.
 */
static const char *
cell_elem(const struct curve_cells *cc, size_t g, char *buf, size_t len)
{
	const struct mat	*in = cc->input, *t = cc->target;
	size_t			 r = cc->cells[g].r, c = cc->cells[g].c;
	size_t			 irows = in->ndim == 2 ? in->rows : 1;
	size_t			 trows = t->ndim == 2 ? t->rows : 1;
	int			 nd = in->ndim > t->ndim ? in->ndim : t->ndim;
	int			 brow, bcol;
	char			 rs[24], cs[24];

	if (cell_per_sample(cc->loss)) {
		if (in->ndim == 2)
			snprintf(buf, len, "ℓ[%zu]", r);
		else
			snprintf(buf, len, "ℓ");
		return (buf);
	}
	/* kl-div: the entries of the broadcast output this cell feeds */
	brow = cc->loss == LOSS_KL_DIV && nd == 2 && irows == 1 && trows > 1;
	bcol = cc->loss == LOSS_KL_DIV && in->cols == 1 && t->cols > 1;
	if (!brow && !bcol) {
		if (nd == 2)
			snprintf(buf, len, "ℓ[%zu][%zu]", in->ndim == 2 ? r : 0,
			    c);
		else
			snprintf(buf, len, "ℓ[%zu]", c);
		return (buf);
	}
	snprintf(rs, sizeof rs, "%zu", in->ndim == 2 ? r : 0);
	snprintf(cs, sizeof cs, "%zu", c);
	if (nd == 2)
		snprintf(buf, len, "Σℓ[%s][%s]", brow ? "·" : rs,
		    bcol ? "·" : cs);
	else
		snprintf(buf, len, "Σℓ[·]");
	return (buf);
}

/* The element of cell g as a legend names it: with several cells of a
   per-sample loss, the varied value too ("ℓ[1] (z[1][0])"). */
static const char *
cell_name(const struct curve_cells *cc, size_t g, int zh, char *buf,
    size_t len)
{
	char	el[64], var[64];

	cell_elem(cc, g, el, sizeof el);
	if (cc->ncells > 1 && cell_per_sample(cc->loss))
		snprintf(buf, len, zh ? "%s（%s）" : "%s (%s)", el,
		    cell_var(cc, g, var, sizeof var));
	else
		snprintf(buf, len, "%s", el);
	return (buf);
}

/* The names of every cell curve k stands for: its own, and those of the
   cells whose marks sit on its cell's main curve ("ℓ[0][0], ℓ[0][1]" when
   several cells are one function and share the curves). */
static void
cell_names(const struct curve_cells *cc, const struct curve_set *s, int k,
    int zh, char *out, size_t len)
{
	char	 one[128];
	size_t	 g, h, n = 0;
	int	 i, km = k, on, dup;

	for (i = 0; i < s->ncurves; i++)
		if (s->c[i].group == s->c[k].group && !s->c[i].gradient &&
		    s->c[i].role == CURVE_ROLE_MAIN)
			km = i;
	out[0] = '\0';
	for (g = 0; g < cc->ncells; g++) {
		on = (int)g == s->c[k].group;
		for (i = 0; i < s->nmarks; i++)
			if (s->marks[i].group == (int)g &&
			    s->marks[i].curve == km)
				on = 1;
		if (!on)
			continue;
		/* the same cell listed twice is named once */
		for (dup = 0, h = 0; h < g && !dup; h++)
			dup = cc->cells[h].r == cc->cells[g].r &&
			    cc->cells[h].c == cc->cells[g].c;
		if (dup && n > 0)
			continue;
		cell_name(cc, g, zh, one, sizeof one);
		label_printf(out + strlen(out), len - strlen(out), "%s%s",
		    n ? (zh ? "，" : ", ") : "", one);
		n++;
	}
}

/* "… (C = 4)": the live class count, where the input has classes. */
static void
cell_classes(const struct curve_set *s, int zh, char *out, size_t len)
{
	if (s->classes > 0)
		label_printf(out, len, zh ? "（C = %d）" : " (C = %d)",
		    s->classes);
	else
		out[0] = '\0';
}

static void
cell_title(const struct curve_cells *cc, const struct curve_set *s, int zh,
    char *out, size_t len)
{
	const char	*name = torch_short(cc->loss);
	char		 cls[32], var[64], idx[48], el[64], what[80];
	size_t		 g, r0 = cc->cells[0].r;
	int		 one_row = 1;

	cell_classes(s, zh, cls, sizeof cls);
	cell_var(cc, 0, var, sizeof var);
	for (g = 1; g < cc->ncells; g++)
		if (cc->cells[g].r != r0)
			one_row = 0;
	/* what varies: "z[1][2]", or "each marked z" */
	if (cc->ncells > 1)
		label_printf(what, sizeof what, zh ? "各标记的 %s" :
		    "each marked %s", loss_input_symbol(cc->loss));
	else
		label_printf(what, sizeof what, "%s", var);
	if (cell_per_sample(cc->loss)) {
		if (cc->input->ndim != 2)
			label_printf(out, len, zh ? "%s：该样本的损失随 %s "
			    "变化%s" : "%s of the sample as %s varies%s", name,
			    what, cls);
		else if (one_row)
			label_printf(out, len, zh ? "%s：样本 %zu 的损失随 %s "
			    "变化%s" : "%s of sample %zu as %s varies%s", name,
			    r0, what, cls);
		else
			label_printf(out, len, zh ? "%s：各标记单元所在样本的"
			    "损失随该值变化%s" : "%s of each marked cell’s "
			    "sample as that value varies%s", name, cls);
		return;
	}
	if (cc->ncells > 1) {
		label_printf(out, len, zh ? "%s：各标记元素的损失随其自身的值"
		    "变化%s" : "%s of each marked element as its own value "
		    "varies%s", name, cls);
		return;
	}
	cell_elem(cc, 0, el, sizeof el);
	if (strncmp(el, "Σ", strlen("Σ")) == 0) {
		/* kl-div: a broadcast input feeds several entries */
		if (zh)
			label_printf(out, len, "%s：%s 所影响的各元素损失之和 "
			    "%s 随 %s 变化%s", name, var, el, var, cls);
		else
			label_printf(out, len, "%s: %s, summed over the "
			    "entries %s feeds, as %s varies%s", name, el, var,
			    var, cls);
	} else
		label_printf(out, len, zh ? "%s：元素 %s 的损失随 %s 变化%s" :
		    "%s of element %s as %s varies%s", name,
		    cell_idx(cc, 0, idx, sizeof idx), var, cls);
}

/* The target of cell 0's element as the core read it (curve.y). */
static double
cell_y(const struct curve_set *s)
{
	int	k;

	for (k = 0; k < s->ncurves; k++)
		if (s->c[k].group == 0 && s->c[k].role == CURVE_ROLE_MAIN)
			return (s->c[k].y);
	return (NAN);
}

/* Whether the float32 edge is where sigma rounds to 0 (the first cell's
   pitfall curve has a label >= 0.5). */
static int
edge_down(const struct curve_set *s)
{
	int	k;

	for (k = 0; k < s->ncurves; k++)
		if (s->c[k].group == 0 && s->c[k].role == CURVE_ROLE_PITFALL)
			return (s->c[k].y >= 0.5);
	return (0);
}

static void
cell_xlabel(const struct curve_cells *cc, const struct curve_set *s, int zh,
    char *out, size_t len)
{
	const struct mat	*t = cc->target;
	const struct loss_opts	*o = cc->opts;
	size_t			 r = cc->cells[0].r, c = cc->cells[0].c, n;
	char			 var[64], what[128], tv[32], cv[32];
	double			 y = cell_y(s), tc;
	long			 ign = o != NULL ? o->ignore_index : -100;

	if (cc->ncells > 1) {
		label_printf(out, len, "%s", zh ?
		    "各标记的输入值（其余值不变）" :
		    "each marked input value (other values fixed)");
		return;
	}
	cell_var(cc, 0, var, sizeof var);
	short_num(y, tv, sizeof tv);
	switch (cc->loss) {
	case LOSS_CE:
	case LOSS_NLL:
	case LOSS_MULTI_MARGIN:
		if (cc->loss == LOSS_NLL)
			label_printf(what, sizeof what, zh ? "类别 %zu 的对数"
			    "概率" : "class %zu’s log-probability", c);
		else
			label_printf(what, sizeof what, zh ? "类别 %zu 的 "
			    "logit" : "class %zu’s logit", c);
		n = strlen(what);
		if (cc->loss == LOSS_CE && mat_same_shape(cc->input, t)) {
			/* class probabilities */
			short_num(MAT_AT(t, r, c), cv, sizeof cv);
			label_printf(what + n, sizeof what - n, zh ?
			    "，目标概率 %s" : ", target probability %s", cv);
			break;
		}
		if (r >= mat_numel(t))
			break;
		tc = t->v[r];
		if (cc->loss != LOSS_MULTI_MARGIN && tc == (double)ign)
			label_printf(what + n, sizeof what - n, "%s", zh ?
			    "，该样本被 ignore_index 忽略" :
			    ", sample ignored (ignore_index)");
		else if (tc == (double)c)
			label_printf(what + n, sizeof what - n, "%s", zh ?
			    "，即目标类别" : ", the target");
		else
			label_printf(what + n, sizeof what - n, zh ?
			    "，目标类别为 %s" : ", target class %s",
			    short_num(tc, cv, sizeof cv));
		break;
	case LOSS_MULTILABEL_SOFT_MARGIN:
		label_printf(what, sizeof what, zh ? "类别 %zu 的 logit，标签 "
		    "%s" : "class %zu’s logit, label %s", c, tv);
		break;
	case LOSS_KL_DIV:
		label_printf(what, sizeof what, zh ? "类别 %zu 的对数概率" :
		    "class %zu’s log-probability", c);
		break;
	case LOSS_BCE:
		label_printf(what, sizeof what, zh ? "预测概率，目标 y = %s" :
		    "the predicted probability, target y = %s", tv);
		break;
	case LOSS_SOFT_MARGIN:
		label_printf(what, sizeof what, zh ? "得分，标签 y = %s" :
		    "the score, label y = %s", tv);
		break;
	default:
		label_printf(what, sizeof what, zh ? "logit，目标 y = %s" :
		    "the logit, target y = %s", tv);
		break;
	}
	label_printf(out, len, zh ? "%s：%s（其余值不变）" :
	    "%s: %s (other values fixed)", var, what);
}

/* The legend entry of curve k of a cell-mode set. */
static void
cell_curve_label(const struct curve_cells *cc, const struct curve_set *s,
    int k, int zh, char *out, size_t len)
{
	const struct curve	*c = &s->c[k];
	const char		*red = loss_reduction_name(cc->opts != NULL ?
				    cc->opts->reduction : LOSS_REDUCTION_MEAN);
	char			 names[PLOT_TEXT_MAX], pre[PLOT_TEXT_MAX + 8];
	char			 var[64], v[32], d[80];
	const char		*mine = zh ? "（本步）" : " (this step)";
	size_t			 g = c->group >= 0 ? (size_t)c->group : 0;

	cell_names(cc, s, k, zh, names, sizeof names);
	cell_var(cc, g, var, sizeof var);
	if (strncmp(var, "log p", 5) == 0)
		snprintf(d, sizeof d, "∂L/∂(%s)", var);
	else
		snprintf(d, sizeof d, "∂L/∂%s", var);
	/* the cell's name in front where several cells share the plot */
	if (cc->ncells > 1)
		snprintf(pre, sizeof pre, zh ? "%s，" : "%s, ", names);
	else
		pre[0] = '\0';
	short_num(c->value, v, sizeof v);
	switch (c->role) {
	case CURVE_ROLE_PITFALL:
		if (c->gradient)
			label_printf(out, len, zh ? "%s，陷阱（%s）" :
			    "%s, pitfall (%s)", d, red);
		else
			label_printf(out, len, zh ? "%s，陷阱 %s" :
			    "%s, pitfall %s", names, pitfall_short(c->pitfall));
		return;
	case CURVE_ROLE_BRANCH:
		short_num(c->y, v, sizeof v);
		label_printf(out, len, zh ? "%sy = %s（另一个标签）" :
		    "%sy = %s (other label)", pre, v);
		return;
	case CURVE_ROLE_COMPANION:
		if (cc->loss == LOSS_SOFT_MARGIN)
			label_printf(out, len, zh ? "%sBCEWithLogits，目标 "
			    "(y+1)/2" : "%sBCEWithLogits, target (y+1)/2", pre);
		else if (cc->loss == LOSS_MULTILABEL_SOFT_MARGIN)
			label_printf(out, len, zh ? "%s该样本各类别 "
			    "BCEWithLogits 的平均" : "%smean over the sample’s "
			    "classes of BCEWithLogits", pre);
		else
			label_printf(out, len, zh ? "%s%s，同一目标" :
			    "%s%s, same target", pre, torch_short(c->loss));
		return;
	case CURVE_ROLE_FAMILY:
	case CURVE_ROLE_MAIN:
	default:
		break;
	}
	if (c->gradient) {
		label_printf(out, len, zh ? "%s（%s）" : "%s (%s)", d, red);
		return;
	}
	switch (c->param) {
	case CURVE_PARAM_GAMMA:
		label_printf(out, len, "%sγ = %s%s", pre, v,
		    c->role == CURVE_ROLE_MAIN ? mine : c->value == 0 &&
		    cc->opts != NULL && cc->opts->alpha < 0 ? " (BCE)" : "");
		break;
	case CURVE_PARAM_LABEL_SMOOTHING:
		label_printf(out, len, "%sε = %s%s", pre, v,
		    c->role == CURVE_ROLE_MAIN ? mine : "");
		break;
	case CURVE_PARAM_POS_WEIGHT:
		label_printf(out, len, "%spos_weight = %s%s", pre, v,
		    c->role == CURVE_ROLE_MAIN ? mine : "");
		break;
	default:
		label_printf(out, len, "%s", names);
		break;
	}
}

/* The key entry of the marks: "ℓ[1] = 0.417 at z = 2". */
static void
cell_mark_label(const struct curve_cells *cc, const struct curve_set *s,
    int zh, char *out, size_t len)
{
	char	el[64], xs[32], ys[32], ps[32];
	int	i, main = -1, pf = -1;

	for (i = 0; i < s->nmarks; i++) {
		if (s->marks[i].group != 0) {
			label_printf(out, len, "%s", zh ?
			    "各在其自身的值（同表格）" :
			    "each at its value (as in the tables)");
			return;
		}
		if (s->c[s->marks[i].curve].role == CURVE_ROLE_PITFALL)
			pf = i;
		else
			main = i;
	}
	if (main < 0) {
		out[0] = '\0';
		return;
	}
	cell_elem(cc, 0, el, sizeof el);
	short_num(s->marks[main].x, xs, sizeof xs);
	snprintf(ys, sizeof ys, "%.4g", s->marks[main].y);
	if (pf >= 0)
		snprintf(ps, sizeof ps, "%.4g", s->marks[pf].y);
	if (zh)
		label_printf(out, len, "%s = %s 处 %s = %s%s%s",
		    loss_input_symbol(cc->loss), xs, el, ys,
		    pf >= 0 ? "，陷阱 " : "", pf >= 0 ? ps : "");
	else
		label_printf(out, len, "%s = %s%s%s at %s = %s", el, ys,
		    pf >= 0 ? ", pitfall " : "", pf >= 0 ? ps : "",
		    loss_input_symbol(cc->loss), xs);
}

/* ---------------------------------------------------------------- fonts -- */

/* Whether a CJK font is installed (PNG and PDF need one for Chinese). */
int
plot_have_cjk_font(void)
{
	static const char *files[] = {
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
		"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/truetype/arphic/uming.ttc",
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/System/Library/Fonts/PingFang.ttc",
		NULL
	};
	static int	 cached = -1;
	int		 i;

	if (cached != -1)
		return (cached);
	cached = 0;
	for (i = 0; files[i] != NULL; i++) {
		if (access(files[i], R_OK) == 0) {
			cached = 1;
			break;
		}
	}
	return (cached);
}

/* plots/style.gp in the data directory (datadir.h); NULL if missing. */
const char *
plot_style_path(void)
{
	const char *paths[] = {
		datadir_path("plots/style.gp"),
		NULL
	};
	int	i;

	for (i = 0; paths[i] != NULL; i++) {
		if (access(paths[i], R_OK) == 0 &&
		    plot_check_path(paths[i], NULL) == 0 &&
		    strchr(paths[i], '\\') == NULL)
			return (paths[i]);
	}
	return (NULL);
}

/* --------------------------------------------------------------- script -- */

/* The core's parameters for a request. */
static void
req_params(const struct plot_req *req, struct curve_params *p)
{
	int	i;

	curve_params_init(p, (enum curve_kind)req->kind);
	p->classes = req->classes;
	p->xmin = req->xmin;
	p->xmax = req->xmax;
	p->target = req->target;
	p->gamma = req->gamma;
	p->alpha = req->alpha;
	p->pos_weight = req->pos_weight;
	p->label_smoothing = req->label_smoothing;
	p->nlosses = req->nlosses < 0 ? 0 : req->nlosses > CURVE_MAX ?
	    CURVE_MAX : req->nlosses;
	for (i = 0; i < p->nlosses; i++)
		p->losses[i] = req->losses[i];
	p->points = req->points > 0 ? (size_t)req->points : 0;
	p->cells = req->cells;
}

/*
 * "set yrange [lo:hi]" for the loss (grad = 0) or gradient curves of s,
 * padded by 8% of the span so no curve lands on a border line.
 */
static void
dumb_range(struct strbuf *b, const struct curve_set *s, int grad,
    const char *axis)
{
	double	lo = INFINITY, hi = -INFINITY, v, pad;
	size_t	i;
	int	k;

	for (k = 0; k < s->ncurves; k++) {
		if (s->c[k].gradient != grad)
			continue;
		for (i = 0; i < s->n; i++) {
			v = s->c[k].v[i];
			if (isfinite(v) && v < lo)
				lo = v;
			if (isfinite(v) && v > hi)
				hi = v;
		}
	}
	if (!isfinite(lo) || !isfinite(hi))
		return;
	if (!isnan(s->floor) && !grad) {
		lo = fmin(lo, s->floor);
		hi = fmax(hi, s->floor);
	}
	pad = (hi - lo) * 0.08;
	if (pad <= 0)
		pad = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
	strbuf_printf(b, "set %s [", axis);
	buf_num(b, lo - pad);
	strbuf_printf(b, ":");
	buf_num(b, hi + pad);
	strbuf_printf(b, "]\n");
}

/*
 * The look options of req that the script needs checked, and the
 * probability axis: the kinds on a logit axis with binary losses only
 * (bce-curve is on p already), xmin and xmax then probabilities, turned
 * into logits in p.  *prob says whether the axis is mapped.  0, or -1 with
 * e set.
 */
static int
req_check(const struct plot_req *req, struct curve_params *p, int *prob,
    struct err *e)
{
	int	i;

	*prob = 0;
	if (!isnan(req->ymin) && !isnan(req->ymax) && !(req->ymin <
	    req->ymax))
		return (err_set(e, "ymin must be below ymax"));
	if ((!isnan(req->ymin) && !isfinite(req->ymin)) ||
	    (!isnan(req->ymax) && !isfinite(req->ymax)))
		return (err_set(e, "the y range must be finite"));
	if (req->font != NULL && plot_font_ok(req->font) == -1)
		return (err_set(e, "a font name is letters, digits, blanks "
		    "and - _ . : = (at most %d bytes)", PLOT_FONT_MAX - 1));
	if (req->font_size != 0 && !(req->font_size >= 1 &&
	    req->font_size <= 200))
		return (err_set(e, "the font size must be from 1 to 200 "
		    "points"));
	if ((int)req->legend < 0 || req->legend > PLOT_LEGEND_OFF ||
	    (int)req->theme < 0 || req->theme > PLOT_THEME_PROJECTOR)
		return (err_set(e, "unknown legend or theme"));
	if (req->nmarks < 0 || req->nmarks > PLOT_MAX_MARKS)
		return (err_set(e, "at most %d marks", PLOT_MAX_MARKS));
	if (req->grad && req->kind != PLOT_COMPARE)
		return (err_set(e, "gradients on request are for compare "
		    "(the other plots draw theirs already)"));
	if (req->grad && req->cells != NULL)
		return (err_set(e, "cell mode draws its own gradients"));
	p->grad = req->grad;
	if (!req->prob_axis || req->kind == PLOT_BCE_CURVE)
		return (0);
	if (req->cells != NULL)
		return (err_set(e, "the probability axis is for the "
		    "canonical plots (not cell mode)"));
	switch (req->kind) {
	case PLOT_LOGITS_CURVE:
	case PLOT_DOUBLE_SIGMOID:
	case PLOT_NAIVE_FLOAT32:
	case PLOT_FOCAL:
	case PLOT_POS_WEIGHT:
		break;
	case PLOT_COMPARE:
		for (i = 0; i < req->nlosses; i++)
			switch (req->losses[i]) {
			case LOSS_BCE:
			case LOSS_BCE_LOGITS:
			case LOSS_FOCAL:
			case LOSS_SOFT_MARGIN:
			case LOSS_MULTILABEL_SOFT_MARGIN:
				break;
			default:
				return (err_set(e, "the probability axis is "
				    "for binary losses (%s is not one)",
				    loss_name(req->losses[i])));
			}
		break;
	default:
		return (err_set(e, "the probability axis is for the BCE "
		    "family (bce-curve, logits-curve, double-sigmoid, "
		    "naive-float32, focal, pos-weight, compare)"));
	}
	/* the range in probabilities, computed in logits */
	if (!isnan(req->xmin) && isnan(p->xmin = curve_logit(req->xmin)))
		return (err_set(e, "with the probability axis xmin must lie "
		    "strictly between 0 and 1"));
	if (!isnan(req->xmax) && isnan(p->xmax = curve_logit(req->xmax)))
		return (err_set(e, "with the probability axis xmax must lie "
		    "strictly between 0 and 1"));
	*prob = 1;
	return (0);
}

/* What the theme and the font options make of a format's terminal. */
struct look {
	char		 font[PLOT_FONT_MAX + 16];	/* "Sans", ... */
	char		 size[32], tsize[32];	/* text, title points */
	const char	*bg;			/* background colour */
	const char	*mark;			/* the marks' colour */
};

static void
look_init(const struct plot_req *req, enum plot_format fmt, int h, int zh,
    struct look *lk)
{
	double	 size, title;
	char	*c;

	/* the format's own sizes; the title a little larger */
	switch (fmt) {
	case PLOT_FORMAT_PNG:
		size = 11, title = 14;
		break;
	case PLOT_FORMAT_SVG:
		size = 13, title = 16;
		break;
	case PLOT_FORMAT_PDF:
		size = 4.5, title = 5.8;
		break;
	case PLOT_FORMAT_SIXEL:
		/* the font follows the picture's height, as a terminal's
		   text would (8 to 14 points) */
		size = title = h / 55 < 8 ? 8 : h / 55 > 14 ? 14 : h / 55;
		break;
	default:
		size = title = 10;
		break;
	}
	if (req->theme == PLOT_THEME_PROJECTOR)
		size *= 1.35, title *= 1.35;
	if (req->font_size > 0) {
		title *= req->font_size / size;
		size = req->font_size;
	}
	/* gd does not fall back to another font for a missing glyph:
	   Chinese asks fontconfig for a face that has it */
	snprintf(lk->font, sizeof lk->font, "%s%s", req->font != NULL ?
	    req->font : "Sans", zh && fmt == PLOT_FORMAT_SIXEL ?
	    ":lang=zh-cn" : "");
	snprintf(lk->size, sizeof lk->size, "%.3g", size);
	snprintf(lk->tsize, sizeof lk->tsize, "%.3g", title);
	for (c = lk->size; *c != '\0'; c++)
		if (*c == ',')
			*c = '.';
	for (c = lk->tsize; *c != '\0'; c++)
		if (*c == ',')
			*c = '.';
	lk->bg = req->theme == PLOT_THEME_DARK ? "#1b1d23" : "white";
	lk->mark = req->theme == PLOT_THEME_DARK ? "#ffffff" : "#000000";
}

/* The theme, after plots/style.gp: colours, line widths, text. */
static void
look_theme(struct strbuf *b, enum plot_theme t)
{
	/* dark: light text, the Okabe-Ito colours lightened for a dark
	   background; projector: black text, saturated colours, thick
	   lines and frame */
	static const char *const dark[8] = { "#56B4E9", "#FF8C42", "#3DDC97",
	    "#F28FD0", "#F0E442", "#9AC8FF", "#FFFFFF", "#FF6B6B" };
	static const char *const proj[8] = { "#0033CC", "#D40000", "#007A00",
	    "#000000", "#9900CC", "#E67300", "#008B8B", "#666666" };
	const char *const *pal;
	const char	*text, *grid, *lw, *glw;
	int		 k;

	if (t == PLOT_THEME_DARK) {
		pal = dark, text = "#e6e6e6", grid = "#3a3d45";
		lw = "2.5", glw = "2";
	} else if (t == PLOT_THEME_PROJECTOR) {
		pal = proj, text = "#000000", grid = "#b3b3b3";
		lw = "5", glw = "4";
	} else
		return;
	for (k = 0; k < 8; k++)
		strbuf_printf(b, "set style line %d lc rgb '%s' lw %s dt solid\n"
		    "set style line %d lc rgb '%s' lw %s dt (8,4)\n", k + 1,
		    pal[k], lw, k + 11, pal[k], glw);
	strbuf_printf(b, "set style line 100 lc rgb '%s' lw %s\n"
	    "set style line 101 lc rgb '%s' lw %s dt solid\n"
	    "set border 15 back ls 100\nset grid back ls 101\n"
	    "set tics textcolor rgb '%s'\nset title textcolor rgb '%s'\n"
	    "set xlabel textcolor rgb '%s'\nset ylabel textcolor rgb '%s'\n"
	    "set y2label textcolor rgb '%s'\nset key textcolor rgb '%s'\n"
	    "set style line 20 lc rgb '%s' lw %s dt 3\n", text,
	    t == PLOT_THEME_PROJECTOR ? "2" : "1", grid,
	    t == PLOT_THEME_PROJECTOR ? "1.2" : "0.8", text, text, text, text,
	    text, text, t == PLOT_THEME_DARK ? "#bbbbbb" : "#333333",
	    t == PLOT_THEME_PROJECTOR ? "3" : "1.5");
}

/* Where the key goes. */
static void
look_legend(struct strbuf *b, enum plot_legend l)
{
	static const char *const where[] = {
		[PLOT_LEGEND_BELOW] = "outside bottom center horizontal",
		[PLOT_LEGEND_TOP_LEFT] = "inside top left vertical",
		[PLOT_LEGEND_TOP_RIGHT] = "inside top right vertical",
		[PLOT_LEGEND_BOTTOM_LEFT] = "inside bottom left vertical",
		[PLOT_LEGEND_BOTTOM_RIGHT] = "inside bottom right vertical",
		[PLOT_LEGEND_OFF] = NULL
	};

	if (where[l] == NULL)
		strbuf_printf(b, "unset key\n");
	else
		strbuf_printf(b, "set key %s\n", where[l]);
}

/* What the stages of plot_script() share. */
struct script {
	const struct plot_req	*req;
	enum plot_format	 fmt;
	int			 w, h, dumb;
	int			 zh;		/* Chinese labels */
	int			 prob;		/* the probability axis */
	struct curve_params	 p;
	struct curve_set	 s;		/* the curves */
	struct strbuf		 mk;		/* the marks' rows */
	int			 nmark;
	struct labels		 l;
	char			 ctitle[PLOT_TEXT_MAX], cx[PLOT_TEXT_MAX];
	char			 cy2[PLOT_TEXT_MAX];
	struct look		 lk;
	int			 nloss, ngrad;
	double			 loss_min, loss_max;
	int			 nref;		/* reference lines */
	const char		*ref_block[2];
	char			 ref_label[2][PLOT_TEXT_MAX];
};

/*
 * Stage 1: the numbers.  The request checked, the curves computed by the
 * core, the marks' rows written into x->mk, the grid mapped to p for the
 * probability axis.  0, or -1 with e set.
 */
static int
script_compute(struct script *x, struct err *e)
{
	const struct plot_req	*req = x->req;
	const struct curve_cells *cc = req->cells;
	struct curve_set	*s = &x->s;
	struct curve_set	 m = CURVE_SET_INIT;
	int			 j, k, prob;

	if ((int)req->kind < 0 || req->kind >= PLOT_KIND_COUNT)
		return (err_set(e, "unknown plot kind"));
	if (req->lang != NULL && strcmp(req->lang, "en") != 0 &&
	    strcmp(req->lang, "zh") != 0)
		return (err_set(e, "unknown language (en or zh)"));
	req_params(req, &x->p);
	if (req_check(req, &x->p, &x->prob, e) == -1)
		return (-1);
	/* text: two samples a column are plenty */
	if (x->fmt == PLOT_FORMAT_DUMB && x->p.points == 0)
		x->p.points = (size_t)(2 * x->w + 1 < 241 ? 2 * x->w +
		    1 : 241);
	if (curve_compute(&x->p, s, e) == -1)
		return (-1);
	prob = x->prob;
	/* cell mode marks the cells' own values (s->marks) instead */
	for (j = 0; cc == NULL && j < req->nmarks && j < PLOT_MAX_MARKS;
	    j++) {
		double	mx = prob ? curve_logit(req->marks[j]) :
		    req->marks[j];

		if (!isfinite(mx)) {
			err_set(e, prob ? "the mark must be a probability "
			    "strictly between 0 and 1" :
			    "the mark must be a finite number");
			goto fail;
		}
		if (curve_compute_at(&x->p, mx, &m, e) == -1) {
			char	msg[sizeof e->msg];

			if (e != NULL) {
				snprintf(msg, sizeof msg, "%s", e->msg);
				err_set(e, "mark: %s", msg);
			}
			goto fail;
		}
		for (k = 0; k < m.ncurves; k++) {
			if (m.c[k].gradient || !isfinite(m.c[k].v[0]))
				continue;
			/* on the probability axis, at p itself */
			buf_num(&x->mk, prob ? req->marks[j] : m.x[0]);
			strbuf_add(&x->mk, " ", 1);
			buf_num(&x->mk, m.c[k].v[0]);
			strbuf_add(&x->mk, "\n", 1);
			x->nmark++;
		}
		curve_set_free(&m);
	}
	if (prob && s->xaxis == CURVE_X_LOGIT && curve_to_prob(s, e) == -1)
		goto fail;
	return (0);
fail:
	curve_set_free(&m);
	return (-1);
}

/* Stage 2: the labels of the kind (or of the cells), and what the axes
   must hold: how many loss and gradient curves, the losses' range. */
static void
script_labels(struct script *x)
{
	const struct plot_req	*req = x->req;
	const struct curve_cells *cc = req->cells;
	struct curve_set	*s = &x->s;
	struct labels		*l = &x->l;
	size_t			 i;
	int			 k, zh;

	/* Chinese labels where the terminal can show them. */
	x->zh = is_zh(req->lang) && (x->fmt == PLOT_FORMAT_SVG ||
	    x->fmt == PLOT_FORMAT_DUMB || plot_have_cjk_font());
	zh = x->zh;
	kind_labels(req->kind, zh, l);
	if (x->prob)
		l->xlabel = zh ? "预测概率 p = σ(z)" :
		    "predicted probability p = σ(z)";
	if (cc != NULL) {
		cell_title(cc, s, zh, x->ctitle, sizeof x->ctitle);
		cell_xlabel(cc, s, zh, x->cx, sizeof x->cx);
		snprintf(x->cy2, sizeof x->cy2, zh ? "约化后损失的梯度 ∂L/∂%s（%s）" :
		    "∂L/∂%s of the reduced loss (%s)",
		    loss_input_symbol(cc->loss), loss_reduction_name(
		    cc->opts != NULL ? cc->opts->reduction :
		    LOSS_REDUCTION_MEAN));
		l->title = x->ctitle;
		l->xlabel = x->cx;
		l->ylabel = zh ? "损失 ℓ（reduction=none，即表格中的值）" :
		    "loss ℓ (reduction=none, as in the tables)";
		l->y2label = x->cy2;
	}
	if (s->kind == CURVE_COMPARE && l->y2label == NULL)
		l->y2label = zh ? "梯度 dL/dz" : "gradient dL/dz";
	for (k = 0; k < s->ncurves; k++) {
		if (s->c[k].gradient) {
			x->ngrad++;
			continue;
		}
		x->nloss++;
		for (i = 0; i < s->n; i++) {
			if (s->c[k].v[i] < x->loss_min)
				x->loss_min = s->c[k].v[i];
			if (s->c[k].v[i] > x->loss_max)
				x->loss_max = s->c[k].v[i];
		}
	}

}

/* Stage 3: the terminal, the font, the style file and the theme. */
static void
script_terminal(struct script *x, struct strbuf *b)
{
	const struct plot_req	*req = x->req;
	struct look		*lk = &x->lk;
	enum plot_format	 fmt = x->fmt;
	const char		*style;
	int			 k, w = x->w, h = x->h, dumb = x->dumb;

	look_init(req, fmt, h, x->zh, lk);
	switch (fmt) {
	case PLOT_FORMAT_DUMB:
		strbuf_printf(b, "set terminal dumb size %d,%d mono noenhanced\n",
		    w, h);
		break;
	case PLOT_FORMAT_PNG:
		strbuf_printf(b, "set terminal pngcairo size %d,%d noenhanced "
		    "font '%s,%s' background rgb '%s'\n", w, h, lk->font,
		    lk->size, lk->bg);
		break;
	case PLOT_FORMAT_SVG:
		strbuf_printf(b, "set terminal svg size %d,%d noenhanced "
		    "font '%s,%s' background rgb '%s'\n", w, h, lk->font,
		    lk->size, lk->bg);
		break;
	case PLOT_FORMAT_SIXEL:
		/* a picture in the terminal; the font as a pane's text */
		strbuf_printf(b, "set terminal sixelgd size %d,%d truecolor "
		    "noenhanced font '%s,%s' background rgb '%s'\n", w, h,
		    lk->font, lk->size, lk->bg);
		break;
	case PLOT_FORMAT_PDF:
		/* 1/150 inch a unit: the default 960x540 is a 6.4in x 3.6in
		   figure, in proportion with the PNG */
		strbuf_printf(b, "set terminal pdfcairo size %d.%03din,%d.%03din "
		    "noenhanced font '%s,%s' fontscale 1 linewidth 0.7 "
		    "background rgb '%s'\n", w / 150, w % 150 * 1000 / 150,
		    h / 150, h % 150 * 1000 / 150, lk->font, lk->size, lk->bg);
		break;
	}
	strbuf_printf(b, "set encoding utf8\n");
	if (!dumb && (style = plot_style_path()) != NULL) {
		/* a fixed path, checked: no quotes, no control characters */
		strbuf_printf(b, "load '%s'\n", style);
	} else if (!dumb) {
		strbuf_printf(b, "set grid\nset style line 20 lc rgb '#555555' "
		    "lw 1.5 dt 3\n");
		for (k = 0; k < 8; k++)
			strbuf_printf(b, "set style line %d lt %d lw 2\n"
			    "set style line %d lt %d lw 2 dt 2\n", k + 1,
			    k + 1, k + 11, k + 1);
	}
	if (!dumb)
		look_theme(b, req->theme);
}

/* Stage 4: the ranges, the key, the title and the axis labels. */
static void
script_axes(struct script *x, struct strbuf *b)
{
	const struct look	*lk = &x->lk;
	const struct plot_req	*req = x->req;
	const struct curve_cells *cc = req->cells;
	struct curve_set	*s = &x->s;
	const struct labels	*l = &x->l;
	char			 label[PLOT_TEXT_MAX], tmp[64];
	double			 pad;
	int			 dumb = x->dumb, h = x->h;

	/* the border behind the curves (the mark may sit on it), and a
	   little air above and below them */
	strbuf_printf(b, "set border back\n");
	if (dumb) {
		/* text: keep every curve off the border lines, which are
		   what the explorer finds the plot area by */
		dumb_range(b, s, 0, "yrange");
		if (x->ngrad > 0)
			dumb_range(b, s, 1, "y2range");
	} else {
		strbuf_printf(b, "set offsets 0, 0, graph 0.05, graph %s\n",
		    x->loss_min >= 0 ? "0" : "0.05");
		if (x->loss_min >= 0)
			strbuf_printf(b, "set yrange [0:*]\n");
	}
	look_legend(b, req->legend);
	/* inside the plot, the key hides the curves behind it */
	if (!dumb && req->legend != PLOT_LEGEND_BELOW &&
	    req->legend != PLOT_LEGEND_OFF)
		strbuf_printf(b, "set key opaque\n");
	/* images: a correct/pitfall pair or a loss and its gradient keep
	   their key entries in columns of two */
	if (!dumb && x->ngrad > 0 && req->legend == PLOT_LEGEND_BELOW)
		strbuf_printf(b, "set key maxrows 2\n");
	/* images: a little air between the x label and the key */
	if (!dumb)
		strbuf_printf(b, "set key height 1\n");
	/* text: sample first, then the label, left-justified, so a wide
	   (CJK) label only eats into its own padding (see fix_wide()) */
	if (dumb)
		strbuf_printf(b, "set key reverse Left\n");
	/* the title a little larger than the terminal's font */
	if (!dumb)
		strbuf_printf(b, "set title font ',%s'\n", lk->tsize);
	/* a small text plot (an explorer pane) keeps its rows for the
	   curves: no title or x label under 20 lines, no key under 14 */
	if (!dumb || h >= 20) {
		strbuf_printf(b, "set title ");
		if (req->title != NULL)
			buf_verbatim(b, req->title);
		else {
			/* what every curve shares goes into the title */
			if (cc != NULL)
				tmp[0] = '\0';
			else
				title_suffix(s, tmp, sizeof tmp);
			snprintf(label, sizeof label, "%s%s", l->title, tmp);
			buf_quote(b, label);
		}
		strbuf_printf(b, "\nset xlabel ");
		if (req->xlabel != NULL)
			buf_verbatim(b, req->xlabel);
		else
			buf_quote(b, l->xlabel);
		strbuf_printf(b, "\n");
	}
	/* after every "set key", each of which turns it back on */
	if ((dumb && h < 14) || req->legend == PLOT_LEGEND_OFF)
		strbuf_printf(b, "unset key\n");
	if (!dumb) {
		strbuf_printf(b, "set ylabel ");
		if (req->ylabel != NULL)
			buf_verbatim(b, req->ylabel);
		else
			buf_quote(b, l->ylabel);
		strbuf_printf(b, "\n");
	}
	if (x->ngrad > 0) {
		strbuf_printf(b, "set ytics nomirror\nset y2tics\n");
		if (!dumb) {
			strbuf_printf(b, "set y2label ");
			buf_quote(b, l->y2label);
			strbuf_printf(b, "\n");
		}
	}
	/* --ymin, --ymax: the loss axis, '*' for the end not given */
	if (!isnan(req->ymin) || !isnan(req->ymax)) {
		strbuf_printf(b, "set yrange [");
		if (isnan(req->ymin))
			strbuf_add(b, "*", 1);
		else
			buf_num(b, req->ymin);
		strbuf_add(b, ":", 1);
		if (isnan(req->ymax))
			strbuf_add(b, "*", 1);
		else
			buf_num(b, req->ymax);
		strbuf_printf(b, "]\n");
	}
	pad = dumb ? (s->x[s->n - 1] - s->x[0]) * 0.02 : 0;
	strbuf_printf(b, "set xrange [");
	buf_num(b, s->x[0] - pad);
	strbuf_printf(b, ":");
	buf_num(b, s->x[s->n - 1] + pad);
	strbuf_printf(b, "]\n");

}

/* Stage 5: the datablocks: the curves, the marks, the reference lines
   (a pitfall's floor, where float32 saturates), with their labels. */
static void
script_data(struct script *x, struct strbuf *b)
{
	const struct plot_req	*req = x->req;
	const struct curve_cells *cc = req->cells;
	struct curve_set	*s = &x->s;
	char			 el[64];
	size_t			 i;
	int			 k, zh = x->zh;

	/* the data: x, then one column per curve */
	strbuf_printf(b, "$d << EOD\n");
	for (i = 0; i < s->n; i++) {
		buf_num(b, s->x[i]);
		for (k = 0; k < s->ncurves; k++) {
			strbuf_add(b, " ", 1);
			buf_num(b, s->c[k].v[i]);
		}
		strbuf_add(b, "\n", 1);
	}
	strbuf_printf(b, "EOD\n");
	if (cc != NULL && s->nmarks > 0) {
		/* cell mode: each cell's value and the loss the tables show */
		strbuf_printf(b, "$m << EOD\n");
		for (k = 0; k < s->nmarks; k++) {
			if (!isfinite(s->marks[k].x) || !isfinite(s->marks[k].y))
				continue;
			buf_num(b, s->marks[k].x);
			strbuf_add(b, " ", 1);
			buf_num(b, s->marks[k].y);
			strbuf_add(b, "\n", 1);
			x->nmark++;
		}
		strbuf_printf(b, "EOD\n");
	} else if (x->nmark > 0) {
		strbuf_printf(b, "$m << EOD\n");
		if (x->mk.len > 0)
			strbuf_add(b, x->mk.p, x->mk.len);
		strbuf_printf(b, "EOD\n");
	}

	/* reference lines, drawn as curves with key entries: the floor of
	   a pitfall, and where float32 saturates (a vertical line) */
	x->nref = 0;
	if (!isnan(s->floor)) {
		if (cc != NULL)
			snprintf(x->ref_label[x->nref], sizeof x->ref_label[0], zh ?
			    "此目标下 %s 的下限 = %.4f" :
			    "floor of %s for this target = %.4f",
			    cell_elem(cc, 0, el, sizeof el), s->floor);
		else if (s->kind == CURVE_SOFTMAX_THEN_CE)
			snprintf(x->ref_label[x->nref], sizeof x->ref_label[0], zh ?
			    "下限 log(1+(C-1)/e) = %.4f" :
			    "floor log(1+(C-1)/e) = %.4f", s->floor);
		else
			snprintf(x->ref_label[x->nref], sizeof x->ref_label[0], zh ?
			    "下限 = %.4f" : "floor = %.4f", s->floor);
		strbuf_printf(b, "$f << EOD\n");
		buf_num(b, s->x[0]);
		strbuf_add(b, " ", 1);
		buf_num(b, s->floor);
		strbuf_add(b, "\n", 1);
		buf_num(b, s->x[s->n - 1]);
		strbuf_add(b, " ", 1);
		buf_num(b, s->floor);
		strbuf_printf(b, "\nEOD\n");
		x->ref_block[x->nref++] = "$f";
	}
	if (!isnan(s->edge)) {
		int	 down = cc != NULL ? edge_down(s) : s->c[2].y >= 0.5;

		snprintf(x->ref_label[x->nref], sizeof x->ref_label[0], zh ?
		    "float32 中 σ(z) 取整为 %s：z %s %.4f" :
		    "float32 σ(z) rounds to %s: z %s %.4f", down ? "0" : "1",
		    down ? "≤" : "≥", s->edge);
		strbuf_printf(b, "$e << EOD\n");
		buf_num(b, s->edge);
		strbuf_printf(b, " 0\n");
		buf_num(b, s->edge);
		strbuf_add(b, " ", 1);
		buf_num(b, x->loss_max);
		strbuf_printf(b, "\nEOD\n");
		x->ref_block[x->nref++] = "$e";
	}

}

/* Stage 6: the plot command, one entry per curve, reference line and
   the marks; the key table for the explorer into keys (may be NULL). */
static void
script_plot(struct script *x, struct strbuf *b, struct plot_text *keys)
{
	const struct plot_req	*req = x->req;
	const struct curve_cells *cc = req->cells;
	struct curve_set	*s = &x->s;
	const struct look	*lk = &x->lk;
	const struct curve	*c;
	enum plot_format	 fmt = x->fmt;
	char			 label[PLOT_TEXT_MAX], tmp[64];
	int			 k, r, j, zh = x->zh, dumb = x->dumb;
	int			 iloss = 0, igrad = 0;

	/* the plot command: loss curves on y1, gradients on y2 */
	strbuf_printf(b, "plot ");
	for (k = 0; k < s->ncurves; k++) {
		int	colour, same;

		c = &s->c[k];
		if (c->gradient)
			colour = igrad++ + (x->nloss == 1 ? 1 : 0);
		else
			colour = iloss++;
		if (cc != NULL)
			cell_curve_label(cc, s, k, zh, label, sizeof label);
		else
			curve_label(s, c, zh, label, sizeof label);
		/* a curve that is another one (soft-margin and bce-logits
		   in compare) says so, and is drawn dashed over it: both
		   colours show */
		same = cc == NULL ? curve_same_as(s, k) : -1;
		if (same >= 0) {
			char		 other[PLOT_TEXT_MAX], mine[PLOT_TEXT_MAX];
			struct curve	 a = *c, o = s->c[same];

			/* "gradient d/dz A = B here", not twice "gradient" */
			if (s->kind == CURVE_COMPARE)
				a.gradient = o.gradient = 0;
			curve_label(s, &a, zh, mine, sizeof mine);
			curve_label(s, &o, zh, other, sizeof other);
			if (c->gradient && s->kind == CURVE_COMPARE)
				snprintf(label, sizeof label, zh ?
				    "梯度 d/dz %s = %s（此处相同）" :
				    "gradient d/dz %s = %s here", mine, other);
			else
				snprintf(label, sizeof label, zh ?
				    "%s = %s（此处相同）" : "%s = %s here",
				    mine, other);
		}
		strbuf_printf(b, "%s$d using 1:%d with lines ", k ? ", \\\n  " :
		    "", k + 2);
		if (dumb)
			strbuf_printf(b, "lt %d", k + 1);
		else
			strbuf_printf(b, "ls %d", (c->gradient ? 11 : 1) +
			    colour % 8);
		if (!dumb && same >= 0)
			strbuf_printf(b, " dt (6,6)");
		strbuf_printf(b, " axes x1y%d title ", c->gradient ? 2 : 1);
		buf_key_title(b, label, dumb);
		if (keys != NULL && k < PLOT_MAX_CURVES) {
			keys->curves[k].point = dumb_pens[k % 7];
			keys->curves[k].gradient = c->gradient;
			plot_sanitize(label, keys->curves[k].label,
			    sizeof keys->curves[k].label);
			keys->ncurves = k + 1;
		}
	}
	for (r = 0; r < x->nref; r++) {
		strbuf_printf(b, ", \\\n  %s using 1:2 with lines ", x->ref_block[r]);
		if (dumb)
			strbuf_printf(b, "lt %d", s->ncurves + r + 1);
		else
			strbuf_printf(b, "ls 20");
		strbuf_printf(b, " axes x1y1 title ");
		buf_key_title(b, x->ref_label[r], dumb);
		k = s->ncurves + r;
		if (keys != NULL && k < PLOT_MAX_CURVES) {
			keys->curves[k].point = dumb_pens[k % 7];
			keys->curves[k].gradient = 0;
			keys->curves[k].reference = 1;
			plot_sanitize(x->ref_label[r], keys->curves[k].label,
			    sizeof keys->curves[k].label);
			keys->ncurves = k + 1;
		}
	}
	if (x->nmark > 0) {
		if (cc != NULL)
			cell_mark_label(cc, s, zh, label, sizeof label);
		else {
			/* "z = 1", "z = -1, 0, 2" */
			snprintf(label, sizeof label, "%s =",
			    s->xaxis == CURVE_X_PROB ? "p" :
			    s->xaxis == CURVE_X_MARGIN ? "m" : "z");
			for (j = 0; j < req->nmarks && j < PLOT_MAX_MARKS;
			    j++) {
				size_t	ll = strlen(label);

				snprintf(label + ll, sizeof label - ll, "%s %s",
				    j ? "," : "", short_num(req->marks[j], tmp,
				    sizeof tmp));
			}
		}
		if (dumb)
			strbuf_printf(b, ", \\\n  $m using 1:2 with points pt "
			    "'%c' title ", PLOT_MARK_CHAR);
		else
			strbuf_printf(b, ", \\\n  $m using 1:2 with points pt 7 "
			    "ps %s lc rgb '%s' title ",
			    fmt == PLOT_FORMAT_PDF ? "0.7" : "1.6", lk->mark);
		buf_key_title(b, label, dumb);
		if (keys != NULL)
			keys->mark_point = PLOT_MARK_CHAR;
	}
}

/*
 * Write the whole gnuplot script for req on terminal fmt into b, and the
 * legend/point-character table into keys (may be NULL), in the stages
 * above.  0 or -1 (e set).
 */
static int
plot_script(const struct plot_req *req, enum plot_format fmt, int w, int h,
    struct strbuf *b, struct plot_text *keys, struct err *e)
{
	struct script	 x;
	int		 rc = -1;

	memset(&x, 0, sizeof x);
	x.req = req;
	x.fmt = fmt;
	x.w = w;
	x.h = h;
	x.dumb = fmt == PLOT_FORMAT_DUMB;
	curve_set_free(&x.s);		/* the empty set: floor, edge NaN */
	if (script_compute(&x, e) == -1)
		goto out;
	script_labels(&x);
	script_terminal(&x, b);
	script_axes(&x, b);
	script_data(&x, b);
	script_plot(&x, b, keys);
	strbuf_printf(b, "\nunset output\n");
	if (b->oom || x.mk.oom) {
		err_set(e, "out of memory");
		goto out;
	}
	rc = 0;
out:
	curve_set_free(&x.s);
	strbuf_free(&x.mk);
	return (rc);
}

int
plot_script_text(const struct plot_req *req, enum plot_format fmt, int w,
    int h, char **out, struct err *e)
{
	struct strbuf	b = STRBUF_INIT;

	*out = NULL;
	if (plot_script(req, fmt, w, h, &b, NULL, e) == -1) {
		strbuf_free(&b);
		return (-1);
	}
	*out = b.p;
	return (0);
}

/* --------------------------------------------------------------- runner -- */

static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int
plot_timeout_ms(void)
{
	const char	*s = getenv("LOSSLAB_PLOT_TIMEOUT_MS");
	char		*end;
	long		 v;

	if (s != NULL && *s != '\0') {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno == 0 && *end == '\0' && v > 0 && v <= 600000)
			return ((int)v);
	}
	return (PLOT_TIMEOUT_MS);
}

static void
close_fd(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/* The first line of gnuplot's stderr that says what went wrong. */
static void
gnuplot_error_line(const char *err, char *out, size_t len)
{
	const char	*p, *q, *best = NULL;
	size_t		 n = 0;

	out[0] = '\0';
	for (p = err; p != NULL && *p != '\0'; p = q == NULL ? NULL : q + 1) {
		q = strchr(p, '\n');
		n = q == NULL ? strlen(p) : (size_t)(q - p);
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n == 0 || *p == '^' || strncmp(p, "gnuplot>", 8) == 0)
			continue;
		best = p;
		break;
	}
	if (best != NULL) {
		/* keep it printable and on one line */
		char	line[256];

		snprintf(line, sizeof line, "%.*s", (int)n, best);
		plot_sanitize(line, out, len);
	}
}

/*
 * Run `gnuplot -d` with script on its stdin; collect its stdout into out.
 * 0 if it exited 0, else -1 with e set.  The child is always reaped.
 */
int
plot_run(const char *script, size_t len, struct strbuf *out, struct err *e)
{
	struct sigaction	 ign, oldpipe;
	struct pollfd		 pfd[3];
	struct strbuf		 err = STRBUF_INIT;
	char			 chunk[65536], line[200];
	int			 in[2] = { -1, -1 }, so[2] = { -1, -1 };
	int			 se[2] = { -1, -1 }, status, nfd, i, rc = -1;
	int			 timed_out = 0, toolarge = 0;
	long			 deadline;
	size_t			 off = 0;
	ssize_t			 n;
	pid_t			 pid;

	if (!plot_available())
		return (err_set(e, "gnuplot not found (install gnuplot-nox)"));
#ifdef PLOT_DEBUG
	fwrite(script, 1, len, stderr);
#endif
	if (pipe(in) == -1 || pipe(so) == -1 || pipe(se) == -1) {
		err_set(e, "pipe: %s", strerror(errno));
		goto fail_fds;
	}
	for (i = 0; i < 2; i++) {
		fcntl(in[i], F_SETFD, FD_CLOEXEC);
		fcntl(so[i], F_SETFD, FD_CLOEXEC);
		fcntl(se[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &oldpipe);

	fflush(NULL);
	switch (pid = fork()) {
	case -1:
		err_set(e, "fork: %s", strerror(errno));
		sigaction(SIGPIPE, &oldpipe, NULL);
		goto fail_fds;
	case 0: {
		char	*argv[] = { GNUPLOT_PROGRAM, "-d", NULL };
		struct sigaction dfl;

		/* the child: its own process group, default SIGPIPE */
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGPIPE, &dfl, NULL);
		setpgid(0, 0);
		if (dup2(in[0], 0) == -1 || dup2(so[1], 1) == -1 ||
		    dup2(se[1], 2) == -1)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	default:
		break;
	}
	setpgid(pid, pid);	/* also here: no race with the kill below */
	close_fd(&in[0]);
	close_fd(&so[1]);
	close_fd(&se[1]);
	fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);

	deadline = now_ms() + plot_timeout_ms();
	for (;;) {
		long	left = deadline - now_ms();

		nfd = 0;
		if (in[1] != -1) {
			pfd[nfd].fd = in[1];
			pfd[nfd++].events = POLLOUT;
		}
		if (so[0] != -1) {
			pfd[nfd].fd = so[0];
			pfd[nfd++].events = POLLIN;
		}
		if (se[0] != -1) {
			pfd[nfd].fd = se[0];
			pfd[nfd++].events = POLLIN;
		}
		if (nfd == 0)
			break;
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(pfd, (nfds_t)nfd, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == in[1]) {
				n = write(in[1], script + off, len - off);
				if (n > 0)
					off += (size_t)n;
				if ((n == -1 && errno != EAGAIN &&
				    errno != EINTR) || off == len)
					close_fd(&in[1]);
				continue;
			}
			n = read(pfd[i].fd, chunk, sizeof chunk);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0) {
				if (pfd[i].fd == so[0])
					close_fd(&so[0]);
				else
					close_fd(&se[0]);
				continue;
			}
			if (pfd[i].fd == so[0]) {
				if (out->len + (size_t)n > PLOT_OUT_MAX)
					toolarge = 1;
				else
					strbuf_add(out, chunk, (size_t)n);
			} else if (err.len < PLOT_ERR_MAX)
				strbuf_add(&err, chunk, (size_t)n);
		}
		if (toolarge)
			break;
	}
	if (timed_out || toolarge) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
	}
	close_fd(&in[1]);
	close_fd(&so[0]);
	close_fd(&se[0]);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	sigaction(SIGPIPE, &oldpipe, NULL);

	if (timed_out)
		err_set(e, "gnuplot did not finish within %d ms (killed)",
		    plot_timeout_ms());
	else if (toolarge)
		err_set(e, "gnuplot wrote more than %u bytes (killed)",
		    PLOT_OUT_MAX);
	else if (out->oom || err.oom)
		err_set(e, "out of memory");
	else if (status == -1)
		err_set(e, "waitpid: %s", strerror(errno));
	else if (WIFSIGNALED(status))
		err_set(e, "gnuplot was killed by signal %d",
		    WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		err_set(e, "gnuplot could not be run");
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		gnuplot_error_line(err.p, line, sizeof line);
		err_set(e, "gnuplot failed (exit status %d)%s%s",
		    WEXITSTATUS(status), line[0] ? ": " : "", line);
	} else
		rc = 0;
	free(err.p);
	return (rc);

fail_fds:
	for (i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&so[i]);
		close_fd(&se[i]);
	}
	return (-1);
}

/* -------------------------------------------------------- output checks -- */

/*
 * gnuplot's output is checked before anything keeps it: a gnuplot that
 * exits 0 after writing garbage (or half an image) is an error that names
 * gnuplot, never a file.  Each check takes time linear in the buffer's
 * length (the SVG check reads it twice: characters, then structure).
 */

/* The CRC-32 of PNG chunks (ISO 3309, as zlib's crc32()). */
static unsigned long
png_crc(const unsigned char *p, size_t n)
{
	static unsigned long	table[256];
	static int		ready;
	unsigned long		c;
	size_t			i;
	int			k;

	if (!ready) {
		for (i = 0; i < 256; i++) {
			c = (unsigned long)i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320UL ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	c = 0xffffffffUL;
	for (i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return (c ^ 0xffffffffUL);
}

static unsigned long
png_be32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | (unsigned long)p[3]);
}

int
plot_check_png(const char *buf, size_t len, struct err *e)
{
	static const unsigned char sig[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
	};
	const unsigned char	*p = (const unsigned char *)buf, *c;
	unsigned long		 clen;
	size_t			 pos = 8, nchunks = 0;
	char			 type[5] = "";
	int			 i, idat = 0;

	if (len < 8 || memcmp(p, sig, 8) != 0)
		return (err_set(e, "gnuplot wrote an invalid PNG (no PNG "
		    "signature)"));
	while (pos < len) {
		c = p + pos;
		if (len - pos < 12)
			return (err_set(e, "gnuplot wrote an invalid PNG "
			    "(truncated after %s%s)", nchunks ? "chunk " :
			    "the signature", type));
		clen = png_be32(c);
		for (i = 0; i < 4; i++) {
			type[i] = (char)c[4 + i];
			if (!((c[4 + i] >= 'A' && c[4 + i] <= 'Z') ||
			    (c[4 + i] >= 'a' && c[4 + i] <= 'z')))
				return (err_set(e, "gnuplot wrote an invalid "
				    "PNG (chunk %zu has no valid type)",
				    nchunks + 1));
		}
		type[4] = '\0';
		if (clen > 0x7fffffffUL || clen > len - pos - 12)
			return (err_set(e, "gnuplot wrote an invalid PNG "
			    "(truncated in chunk %s)", type));
		if (png_crc(c + 4, 4 + (size_t)clen) != png_be32(c + 8 + clen))
			return (err_set(e, "gnuplot wrote an invalid PNG "
			    "(chunk %s fails its CRC)", type));
		if (nchunks == 0 && (strcmp(type, "IHDR") != 0 || clen != 13))
			return (err_set(e, "gnuplot wrote an invalid PNG "
			    "(%s)", strcmp(type, "IHDR") != 0 ? "the first "
			    "chunk is not IHDR" : "IHDR is not 13 bytes"));
		if (nchunks == 0 && (png_be32(c + 8) == 0 ||
		    png_be32(c + 12) == 0))
			return (err_set(e, "gnuplot wrote an invalid PNG "
			    "(an empty image)"));
		nchunks++;
		pos += 12 + (size_t)clen;
		if (strcmp(type, "IDAT") == 0)
			idat = 1;
		if (strcmp(type, "IEND") == 0) {
			if (!idat)
				return (err_set(e, "gnuplot wrote an invalid "
				    "PNG (no IDAT chunk)"));
			if (pos != len)
				return (err_set(e, "gnuplot wrote an invalid "
				    "PNG (data after IEND)"));
			return (0);
		}
	}
	return (err_set(e, "gnuplot wrote an invalid PNG (no IEND chunk)"));
}

int
plot_check_pdf(const char *buf, size_t len, struct err *e)
{
	if (len < 8 || memcmp(buf, "%PDF-", 5) != 0)
		return (err_set(e, "gnuplot wrote an invalid PDF (no %%PDF- "
		    "header)"));
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	if (len < 10 || memcmp(buf + len - 5, "%%EOF", 5) != 0)
		return (err_set(e, "gnuplot wrote an invalid PDF (no %%%%EOF "
		    "trailer)"));
	return (0);
}

int
plot_check_sixel(const char *buf, size_t len, struct err *e)
{
	const unsigned char	*s = (const unsigned char *)buf;
	size_t			 i = 2;

	if (len < 2 || buf[0] != '\033' || buf[1] != 'P')
		return (err_set(e, "gnuplot wrote an invalid sixel image (it "
		    "does not start with ESC P)"));
	while (i < len && ((buf[i] >= '0' && buf[i] <= '9') || buf[i] == ';'))
		i++;
	if (i == len || buf[i] != 'q')
		return (err_set(e, "gnuplot wrote an invalid sixel image (no "
		    "'q' after ESC P)"));
	/* sixel data: printable ASCII and line ends, up to ESC \ */
	for (i++; i < len; i++) {
		if (s[i] == 0x1b)
			break;
		if ((s[i] < 0x20 || s[i] > 0x7e) && s[i] != '\n' &&
		    s[i] != '\r')
			return (err_set(e, "gnuplot wrote an invalid sixel "
			    "image (byte 0x%02x in its data)", s[i]));
	}
	if (i + 1 >= len || buf[i + 1] != '\\')
		return (err_set(e, "gnuplot wrote an invalid sixel image (no "
		    "ESC \\ at its end)"));
	for (i += 2; i < len; i++)
		if (buf[i] != '\n' && buf[i] != '\r')
			return (err_set(e, "gnuplot wrote an invalid sixel "
			    "image (data after ESC \\)"));
	return (0);
}

int
plot_check_text(char *buf, size_t *len, struct err *e)
{
	const unsigned char	*s = (const unsigned char *)buf;
	unsigned int		 cp;
	size_t			 i, o = 0, n, line = 1;

	for (i = 0; i < *len; i += n) {
		if (s[i] < 0x80) {
			n = 1;
			if (s[i] == '\n')
				line++;
			/* C0 controls (the leading form feed, escapes) and
			   DEL go; the newlines stay */
			if ((s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
				continue;
		} else if ((n = utf8_seqn(s + i, *len - i, &cp)) == 0)
			return (err_set(e, "gnuplot wrote text that is not "
			    "UTF-8 (byte 0x%02x on line %zu)", s[i], line));
		else if (cp <= 0x9f)
			continue;	/* a C1 control goes */
		memmove(buf + o, buf + i, n);
		o += n;
	}
	*len = o;
	return (0);
}

/* ---- SVG: well-formed XML whose root is <svg> ---- */

#define SVG_DEPTH_MAX	1024		/* elements nested, at most */
#define SVG_ATTRS_MAX	256		/* attributes of an element, at most */

struct svgck {
	const char	*buf, *p, *end;
	struct err	*e;
	int		 doctype;	/* a DOCTYPE may declare entities */
};

static int __attribute__((format(printf, 2, 3)))
svg_fail(struct svgck *x, const char *fmt, ...)
{
	const char	*q;
	char		 what[160];
	size_t		 line = 1;
	va_list		 ap;

	for (q = x->buf; q < x->p && q < x->end; q++)
		if (*q == '\n')
			line++;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return (err_set(x->e, "gnuplot wrote an invalid SVG (line %zu: %s)",
	    line, what));
}

/* Whether the n bytes at s are the string lit. */
static int
svg_is(const char *s, size_t n, const char *lit)
{
	return (strlen(lit) == n && memcmp(s, lit, n) == 0);
}

/* Whether the text at x->p starts with lit. */
static int
svg_at(const struct svgck *x, const char *lit)
{
	size_t	n = strlen(lit);

	return ((size_t)(x->end - x->p) >= n && memcmp(x->p, lit, n) == 0);
}

static int
svg_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

static void
svg_skip_space(struct svgck *x)
{
	while (x->p < x->end && svg_space((unsigned char)*x->p))
		x->p++;
}

/* Skip an XML name at x->p (ASCII name characters, or any non-ASCII
   character); its length, 0 if there is none. */
static size_t
svg_name(struct svgck *x)
{
	const char	*b = x->p;
	unsigned char	 c;

	while (x->p < x->end) {
		c = (unsigned char)*x->p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || c == ':' || c >= 0x80 || (x->p > b &&
		    ((c >= '0' && c <= '9') || c == '-' || c == '.'))))
			break;
		x->p++;
	}
	return ((size_t)(x->p - b));
}

/* Skip to just past the first lit at or after x->p; -1 if there is none. */
static int
svg_past(struct svgck *x, const char *lit)
{
	size_t	n = strlen(lit);

	for (; (size_t)(x->end - x->p) >= n; x->p++) {
		if (memcmp(x->p, lit, n) == 0) {
			x->p += n;
			return (0);
		}
	}
	return (-1);
}

/* The value of hexadecimal (base 16) or decimal digit c, or -1. */
static int
svg_digit(int c, int base)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (base == 16 && c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (base == 16 && c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Check "&name;", "&#123;" or "&#x1f;" at x->p and skip it: without a
 * DOCTYPE, name is one of XML's own five; a character reference names a
 * character XML allows (no control but tab and line ends, no C1 either).
 */
static int
svg_ref(struct svgck *x)
{
	static const char *const known[] = { "lt", "gt", "amp", "apos",
	    "quot" };
	const char	*b, *amp = x->p;
	unsigned long	 cp = 0;
	size_t		 n, i;
	int		 base = 10, d;

	x->p++;
	if (x->p < x->end && *x->p == '#') {
		x->p++;
		if (x->p < x->end && *x->p == 'x') {
			base = 16;
			x->p++;
		}
		for (b = x->p; x->p < x->end &&
		    (d = svg_digit((unsigned char)*x->p, base)) != -1; x->p++)
			if (cp <= 0x10ffff)
				cp = cp * (unsigned long)base +
				    (unsigned long)d;
		if (x->p == b || cp > 0x10ffff || (cp < 0x20 && cp != 0x9 &&
		    cp != 0xa && cp != 0xd) || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
		    cp == 0xffff) {
			x->p = amp;
			return (svg_fail(x, "a bad character reference"));
		}
	} else {
		b = x->p;
		if ((n = svg_name(x)) == 0)
			return (svg_fail(x, "a '&' that starts no reference"));
		for (i = 0; !x->doctype && i < 5; i++)
			if (svg_is(b, n, known[i]))
				break;
		if (!x->doctype && i == 5) {
			x->p = amp;
			return (svg_fail(x, "an undeclared entity &%.*s;",
			    (int)(n > 20 ? 20 : n), b));
		}
	}
	if (x->p >= x->end || *x->p != ';')
		return (svg_fail(x, "a reference without ';'"));
	x->p++;
	return (0);
}

/* A start tag from its '<': its name in *name, *nlen; *empty for "/>".
   No attribute twice, at most SVG_ATTRS_MAX of them. */
static int
svg_start_tag(struct svgck *x, const char **name, size_t *nlen, int *empty)
{
	const char	*an[SVG_ATTRS_MAX];
	size_t		 al[SVG_ATTRS_MAX], na = 0, i;
	char		 q;
	int		 sp;

	*empty = 0;
	x->p++;
	*name = x->p;
	if ((*nlen = svg_name(x)) == 0)
		return (svg_fail(x, "a '<' that starts no element"));
	for (;;) {
		sp = x->p < x->end && svg_space((unsigned char)*x->p);
		svg_skip_space(x);
		if (x->p >= x->end)
			return (svg_fail(x, "the file ends inside <%.*s>",
			    (int)(*nlen > 40 ? 40 : *nlen), *name));
		if (*x->p == '>' || svg_at(x, "/>")) {
			*empty = *x->p == '/';
			x->p += *empty ? 2 : 1;
			return (0);
		}
		/* an attribute: blank, name, '=', quoted value */
		if (na == SVG_ATTRS_MAX)
			return (svg_fail(x, "more than %d attributes in <%.*s>",
			    SVG_ATTRS_MAX, (int)(*nlen > 40 ? 40 : *nlen),
			    *name));
		an[na] = x->p;
		if (!sp || (al[na] = svg_name(x)) == 0)
			return (svg_fail(x, "a bad attribute in <%.*s>",
			    (int)(*nlen > 40 ? 40 : *nlen), *name));
		for (i = 0; i < na; i++)
			if (al[i] == al[na] &&
			    memcmp(an[i], an[na], al[i]) == 0)
				return (svg_fail(x, "attribute %.*s twice in "
				    "<%.*s>", (int)(al[i] > 40 ? 40 : al[i]),
				    an[i], (int)(*nlen > 40 ? 40 : *nlen),
				    *name));
		na++;
		svg_skip_space(x);
		if (x->p >= x->end || *x->p != '=')
			return (svg_fail(x, "an attribute without '='"));
		x->p++;
		svg_skip_space(x);
		if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
			return (svg_fail(x, "an attribute value without "
			    "quotes"));
		q = *x->p++;
		while (x->p < x->end && *x->p != q) {
			if (*x->p == '<')
				return (svg_fail(x, "a '<' in an attribute "
				    "value"));
			if (*x->p == '&') {
				if (svg_ref(x) != 0)
					return (-1);
			} else
				x->p++;
		}
		if (x->p >= x->end)
			return (svg_fail(x, "an unterminated attribute "
			    "value"));
		x->p++;
	}
}

/* The rest of "<?xml version="1.0" encoding="utf-8" standalone="no"?>"
   after "<?xml": version first, then encoding and standalone if there,
   each "name = 'value'" after a blank; 0, or -1. */
static int
svg_xmldecl(struct svgck *x)
{
	static const char *const names[] = { "version", "encoding",
	    "standalone" };
	const char	*v;
	char		 q;
	size_t		 n, i, k = 0;
	int		 sp;

	for (;;) {
		sp = x->p < x->end && svg_space((unsigned char)*x->p);
		svg_skip_space(x);
		if (k > 0 && svg_at(x, "?>")) {
			x->p += 2;
			return (0);
		}
		if (!sp || k == 3)
			return (-1);
		v = x->p;
		n = svg_name(x);
		for (i = k; i < 3; i++)
			if (svg_is(v, n, names[i]))
				break;
		if (i == 3 || (k == 0 && i != 0))
			return (-1);
		k = i + 1;
		svg_skip_space(x);
		if (x->p >= x->end || *x->p != '=')
			return (-1);
		x->p++;
		svg_skip_space(x);
		if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
			return (-1);
		q = *x->p++;
		v = x->p;
		while (x->p < x->end && *x->p != q && (*x->p == '.' ||
		    *x->p == '-' || *x->p == '_' || (*x->p >= '0' &&
		    *x->p <= '9') || (*x->p >= 'a' && *x->p <= 'z') ||
		    (*x->p >= 'A' && *x->p <= 'Z')))
			x->p++;
		if (x->p >= x->end || *x->p != q || x->p == v)
			return (-1);
		if (i == 2 && !(x->p - v == 3 && memcmp(v, "yes", 3) == 0) &&
		    !(x->p - v == 2 && memcmp(v, "no", 2) == 0))
			return (-1);
		x->p++;
	}
}

/* A processing instruction "<?target ...?>"; "<?xml version=...?>" only
   where the document starts (first). */
static int
svg_pi(struct svgck *x, int first)
{
	const char	*b = x->p, *t;
	size_t		 n;

	x->p += 2;
	t = x->p;
	n = svg_name(x);
	if (n == 0 || (x->p < x->end && !svg_space((unsigned char)*x->p) &&
	    !svg_at(x, "?>"))) {
		x->p = b;
		return (svg_fail(x, "a bad processing instruction"));
	}
	if (n == 3 && strncasecmp(t, "xml", 3) == 0) {
		if (!first || memcmp(t, "xml", 3) != 0 || svg_xmldecl(x) != 0) {
			x->p = b;
			return (svg_fail(x, "a bad XML declaration"));
		}
		return (0);
	}
	if (svg_past(x, "?>") != 0) {
		x->p = b;
		return (svg_fail(x, "a bad processing instruction"));
	}
	return (0);
}

/* <!DOCTYPE ...>, with quoted strings and an internal subset [...]. */
static int
svg_doctype(struct svgck *x)
{
	char	q;
	int	subset = 0;

	for (x->p += 9; x->p < x->end; x->p++) {
		if (*x->p == '"' || *x->p == '\'') {
			q = *x->p++;
			while (x->p < x->end && *x->p != q)
				x->p++;
			if (x->p >= x->end)
				break;
		} else if (subset && svg_at(x, "<!--")) {
			x->p += 4;
			if (svg_past(x, "-->") != 0)
				break;
			x->p--;
		} else if (*x->p == '[' && !subset)
			subset = 1;
		else if (*x->p == ']' && subset)
			subset = 0;
		else if (*x->p == '>' && !subset) {
			x->p++;
			return (0);
		}
	}
	return (svg_fail(x, "an unterminated <!DOCTYPE"));
}

int
plot_check_svg(const char *buf, size_t len, struct err *e)
{
	struct svgck	 x;
	const char	*name, *b;
	size_t		*stack = NULL, *ns, depth = 0, cap = 0, nlen, n;
	unsigned int	 cp;
	int		 state = 0;	/* 0: before the root, 1: in it,
					   2: after it */
	int		 empty, rc = -1;

	x.buf = x.p = buf;
	x.end = buf + len;
	x.e = e;
	x.doctype = 0;
	/* characters: UTF-8, and no control but tab and line ends */
	for (n = 0; n < len; ) {
		unsigned char c = (unsigned char)buf[n];

		if (c >= 0x80) {
			if ((nlen = utf8_seqn((const unsigned char *)buf + n,
			    len - n, &cp)) == 0 || cp <= 0x9f) {
				x.p = buf + n;
				return (svg_fail(&x, "not UTF-8 text"));
			}
			n += nlen;
			continue;
		}
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0x7f) {
			x.p = buf + n;
			return (svg_fail(&x, "control character 0x%02x", c));
		}
		n++;
	}
	if (svg_at(&x, "\xef\xbb\xbf"))
		x.p += 3;
	while (x.p < x.end) {
		if (*x.p != '<') {
			if (state != 1) {
				if (!svg_space((unsigned char)*x.p)) {
					svg_fail(&x, "text outside the <svg> "
					    "element");
					goto done;
				}
				x.p++;
				continue;
			}
			/* character data up to the next tag */
			while (x.p < x.end && *x.p != '<') {
				if (*x.p == '&') {
					if (svg_ref(&x) != 0)
						goto done;
				} else if (svg_at(&x, "]]>")) {
					svg_fail(&x, "']]>' outside CDATA");
					goto done;
				} else
					x.p++;
			}
			continue;
		}
		b = x.p;
		if (svg_at(&x, "<?")) {
			if (svg_pi(&x, b == buf || b == buf + 3) != 0)
				goto done;
		} else if (svg_at(&x, "<!--")) {
			x.p += 4;
			if (svg_past(&x, "--") != 0 || x.p >= x.end ||
			    *x.p != '>') {
				x.p = b;
				svg_fail(&x, "a bad comment");
				goto done;
			}
			x.p++;
		} else if (svg_at(&x, "<![CDATA[")) {
			if (state != 1 || svg_past(&x, "]]>") != 0) {
				x.p = b;
				svg_fail(&x, "a bad CDATA section");
				goto done;
			}
		} else if (svg_at(&x, "<!DOCTYPE")) {
			if (state != 0 || x.doctype++) {
				svg_fail(&x, "a misplaced <!DOCTYPE");
				goto done;
			}
			if (svg_doctype(&x) != 0)
				goto done;
		} else if (svg_at(&x, "</")) {
			x.p += 2;
			name = x.p;
			nlen = svg_name(&x);
			svg_skip_space(&x);
			if (nlen == 0 || x.p >= x.end || *x.p != '>') {
				x.p = b;
				svg_fail(&x, "a bad end tag");
				goto done;
			}
			if (state != 1 || nlen != stack[2 * depth - 1] ||
			    memcmp(name, buf + stack[2 * depth - 2],
			    nlen) != 0) {
				x.p = b;
				svg_fail(&x, "</%.*s> closes no open element",
				    (int)(nlen > 40 ? 40 : nlen), name);
				goto done;
			}
			x.p++;
			if (--depth == 0)
				state = 2;
		} else {
			if (svg_start_tag(&x, &name, &nlen, &empty) != 0)
				goto done;
			if (state == 2) {
				x.p = b;
				svg_fail(&x, "a second root element");
				goto done;
			}
			if (state == 0 && (nlen != 3 ||
			    memcmp(name, "svg", 3) != 0)) {
				x.p = b;
				svg_fail(&x, "the root element is <%.*s>, not "
				    "<svg>", (int)(nlen > 40 ? 40 : nlen),
				    name);
				goto done;
			}
			if (empty) {
				if (state == 0)
					state = 2;
				continue;
			}
			if (depth == SVG_DEPTH_MAX) {
				x.p = b;
				svg_fail(&x, "elements nested over %d deep",
				    SVG_DEPTH_MAX);
				goto done;
			}
			if (2 * depth + 2 > cap) {
				cap = cap ? cap * 2 : 64;
				if ((ns = realloc(stack, cap *
				    sizeof *ns)) == NULL) {
					err_set(e, "out of memory");
					goto done;
				}
				stack = ns;
			}
			stack[2 * depth] = (size_t)(name - buf);
			stack[2 * depth + 1] = nlen;
			depth++;
			state = 1;
		}
	}
	if (state == 0)
		svg_fail(&x, "no <svg> element");
	else if (state == 1) {
		/* where the innermost open element starts */
		x.p = buf + stack[2 * depth - 2];
		svg_fail(&x, "<%.*s> is not closed", (int)(stack[2 * depth -
		    1] > 40 ? 40 : stack[2 * depth - 1]), x.p);
	}
	else
		rc = 0;
done:
	free(stack);
	return (rc);
}

/* ------------------------------------------------------------ dumb text -- */

/* Whether code point c takes two terminal columns (East Asian wide). */
static int
wide_cp(unsigned int c)
{
	return ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) ||
	    (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd));
}

/*
 * gnuplot's dumb terminal gives every character one cell; a wide (CJK)
 * character shows in two.  For each one, drop a blank from the nearest run
 * of two or more blanks after it (else before it), so that the line keeps
 * its display width and the key's next column stays in place.
 */
static void
fix_wide(char *line)
{
	unsigned char	*s = (unsigned char *)line;
	unsigned int	 cp;
	size_t		 i, j, n, len = strlen(line);

	for (i = 0; i < len; ) {
		if (s[i] < 0x80 || (n = utf8_seq(s + i, &cp)) == 0) {
			i++;
			continue;
		}
		if (wide_cp(cp)) {
			/* a blank to delete: after i, in a run >= 2 (the
			   padding of left-justified text), else before */
			size_t	k = (size_t)-1;

			for (j = i + n; j + 1 < len; j++) {
				if (s[j] == ' ' && s[j + 1] == ' ') {
					k = j;
					break;
				}
			}
			if (k == (size_t)-1) {
				for (j = i; j >= 2; j--) {
					if (s[j - 1] == ' ' &&
					    s[j - 2] == ' ') {
						k = j - 1;
						break;
					}
				}
			}
			if (k != (size_t)-1) {
				memmove(s + k, s + k + 1, len - k);
				len--;
				if (k < i)
					i--;
			}
		}
		i += n;
	}
}

/* The border of the plot: the first and last "+---...+" lines. */
static void
find_border(struct plot_text *t)
{
	const char	*l, *a, *z;
	int		 i;

	for (i = 0; i < t->nlines; i++) {
		l = t->lines[i];
		a = strchr(l, '+');
		z = strrchr(l, '+');
		if (a == NULL || z == NULL || z - a < 4 || a[1] != '-' ||
		    z[-1] != '-')
			continue;
		if (t->top == -1) {
			t->top = i;
			t->left = (int)(a - l);
			t->right = (int)(z - l);
		}
		t->bottom = i;
	}
}

void
plot_text_free(struct plot_text *t)
{
	int	i;

	if (t->lines != NULL) {
		for (i = 0; i < t->nlines; i++)
			free(t->lines[i]);
		free(t->lines);
	}
	memset(t, 0, sizeof *t);
	t->top = t->left = t->bottom = t->right = -1;
}

static int
clamp_int(int v, int lo, int hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

int
plot_dumb_script(const struct plot_req *req, int width, int height,
    struct strbuf *script, struct plot_text *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->top = out->left = out->bottom = out->right = -1;
	width = clamp_int(width, 20, 500);
	height = clamp_int(height, 10, 500);
	return (plot_script(req, PLOT_FORMAT_DUMB, width, height, script,
	    out, e));
}

int
plot_dumb_parse(const char *buf, size_t len, struct plot_text *out,
    struct err *e)
{
	const char	*p, *q, *end;
	char		**lines, *copy;
	int		 n;

	if (buf == NULL || len == 0)
		return (err_set(e, "gnuplot wrote nothing"));
	/* UTF-8 or an error; the form feed, escapes and other controls go
	   (on a copy: buf is the caller's) */
	if ((copy = malloc(len + 1)) == NULL)
		return (err_set(e, "out of memory"));
	memcpy(copy, buf, len);
	if (plot_check_text(copy, &len, e) == -1) {
		free(copy);
		return (-1);
	}
	copy[len] = '\0';
	end = copy + len;
	/* lines: split at newlines, no trailing blank */
	p = copy;
	n = 0;
	for (q = p; q < end; q++)
		if (*q == '\n')
			n++;
	if ((lines = calloc((size_t)n + 1, sizeof *lines)) == NULL) {
		free(copy);
		return (err_set(e, "out of memory"));
	}
	out->lines = lines;
	for (n = 0; p < end; n++) {
		size_t	ln;

		q = memchr(p, '\n', (size_t)(end - p));
		ln = q == NULL ? (size_t)(end - p) : (size_t)(q - p);
		if ((lines[n] = malloc(ln + 1)) == NULL) {
			out->nlines = n;
			plot_text_free(out);
			free(copy);
			return (err_set(e, "out of memory"));
		}
		memcpy(lines[n], p, ln);
		lines[n][ln] = '\0';
		fix_wide(lines[n]);
		p += ln;
		if (p < end && *p == '\n')
			p++;
	}
	out->nlines = n;
	while (out->nlines > 0 && lines[out->nlines - 1][strspn(
	    lines[out->nlines - 1], " ")] == '\0')
		free(lines[--out->nlines]);
	find_border(out);
	free(copy);
	return (0);
}

int
plot_dumb(const struct plot_req *req, int width, int height,
    struct plot_text *out, struct err *e)
{
	struct strbuf	 b = STRBUF_INIT, o = STRBUF_INIT;
	int		 rc = -1;

	if (plot_dumb_script(req, width, height, &b, out, e) == -1)
		goto done;
	if (plot_run(b.p, b.len, &o, e) == -1)
		goto done;
	if (plot_dumb_parse(o.p, o.len, out, e) == -1)
		goto done;
	rc = 0;
done:
	if (rc == -1)
		plot_text_free(out);
	free(b.p);
	free(o.p);
	return (rc);
}

/* --------------------------------------------------------------- export -- */

int
plot_job_script(const struct plot_req *req, enum plot_format fmt, int width,
    int height, struct strbuf *script, struct err *e)
{
	if (width <= 0 || height <= 0) {
		width = fmt == PLOT_FORMAT_DUMB ? 80 : 960;
		height = fmt == PLOT_FORMAT_DUMB ? 24 : 540;
	}
	if (fmt == PLOT_FORMAT_DUMB) {
		width = clamp_int(width, 20, 500);
		height = clamp_int(height, 10, 500);
	} else if (width < 100 || height < 100 || width > 10000 ||
	    height > 10000)
		return (err_set(e, "size %dx%d out of range (100 to 10000)",
		    width, height));
	return (plot_script(req, fmt, width, height, script, NULL, e));
}

int
plot_job_check(enum plot_format fmt, struct strbuf *o, struct err *e)
{
	int	rc = -1;

	if (o->len == 0)
		return (err_set(e, "gnuplot produced no image"));
	/* what gnuplot wrote is checked before anyone keeps it */
	switch (fmt) {
	case PLOT_FORMAT_PNG:
		rc = plot_check_png(o->p, o->len, e);
		break;
	case PLOT_FORMAT_SVG:
		rc = plot_check_svg(o->p, o->len, e);
		break;
	case PLOT_FORMAT_PDF:
		rc = plot_check_pdf(o->p, o->len, e);
		break;
	case PLOT_FORMAT_SIXEL:
		rc = plot_check_sixel(o->p, o->len, e);
		break;
	case PLOT_FORMAT_DUMB:
		rc = plot_check_text(o->p, &o->len, e);
		if (rc == 0)
			o->p[o->len] = '\0';
		break;
	}
	return (rc);
}

int
plot_render(const struct plot_req *req, enum plot_format fmt, int width,
    int height, struct strbuf *o, struct err *e)
{
	struct strbuf	 b = STRBUF_INIT;
	int		 rc = -1;

	if (plot_job_script(req, fmt, width, height, &b, e) == -1)
		goto done;
	if (plot_run(b.p, b.len, o, e) == -1)
		goto done;
	rc = plot_job_check(fmt, o, e);
done:
	free(b.p);
	return (rc);
}

int
plot_export(const struct plot_req *req, const char *path, int width,
    int height, struct err *e)
{
	enum plot_format	 fmt;

	if (plot_format_from_path(path, &fmt) == -1)
		return (err_set(e, "%s: unknown format (use .png, .svg, .pdf, "
		    ".txt or .six)", path));
	return (plot_export_as(req, path, fmt, width, height, e));
}

int
plot_export_as(const struct plot_req *req, const char *path,
    enum plot_format fmt, int width, int height, struct err *e)
{
	struct strbuf		 o = STRBUF_INIT;
	int			 rc = -1;

	if (plot_save_ok(path, e) == -1)
		return (-1);
	if (plot_render(req, fmt, width, height, &o, e) == 0)
		rc = plot_save(path, o.p, o.len, e);
	free(o.p);
	return (rc);
}

int
plot_save_ok(const char *path, struct err *e)
{
	if (plot_check_path(path, e) == -1)
		return (-1);
	return (outfile_check(path, e));
}

int
plot_save(const char *path, const char *buf, size_t len, struct err *e)
{
	if (plot_check_path(path, e) == -1)
		return (-1);
	return (outfile_write(path, buf, len, e));
}
