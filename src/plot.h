/*
 * plot.h -- loss curves drawn by gnuplot, for the command line
 * (`losslab plot`), the explorer's plot pane and the slide gallery.
 *
 * The numbers come from the core (core/curve.h calls loss_eval() and
 * pitfall_eval() at every sample point); this module only turns them into a
 * gnuplot script and runs gnuplot as a child process (fork/exec, no shell,
 * `gnuplot -d` so that a user's ~/.gnuplot changes nothing).  Data reaches
 * gnuplot only as inline datablocks of numbers; losslab's own text (labels,
 * legend entries) goes through plot_sanitize() into single-quoted strings,
 * the user's (--title, --xlabel, --ylabel) verbatim into double-quoted ones
 * with every character gnuplot's command line acts on escaped
 * (buf_verbatim in plot.c), and file names never reach gnuplot at all
 * (gnuplot writes the image to a pipe, this module writes the file).  A
 * gnuplot that hangs is killed after PLOT_TIMEOUT_MS (the environment
 * variable LOSSLAB_PLOT_TIMEOUT_MS overrides it) and always reaped; what
 * it writes is checked (plot_check_*) before anything keeps it.
 *
 * Nothing here includes curses: the explorer gets plain text lines from
 * plot_dumb() and colours them itself, using the point characters reported
 * in struct plot_text.
 */
#ifndef LOSSLAB_PLOT_H
#define LOSSLAB_PLOT_H

#include <stddef.h>

#include "core/curve.h"
#include "core/mat.h"
#include "core/loss.h"

struct strbuf;

/* The plot kinds, from the one list (CURVE_KINDS in core/curve.h): PLOT_x
   equals the curve kind it draws; the ids are those of `losslab plot ID`. */
enum plot_kind {
#define X(c, p, id, desc)	PLOT_##p = CURVE_##c,
	CURVE_KINDS
#undef X
	PLOT_KIND_COUNT = CURVE_KIND_COUNT
};

#define PLOT_MAX_LOSSES		8	/* losses in one "compare" plot */
#define PLOT_MAX_CURVES		8	/* curves in one plot */
#define PLOT_TIMEOUT_MS		5000	/* then gnuplot gets SIGKILL */
#define PLOT_TEXT_MAX		160	/* bytes of a sanitised text, with NUL */
#define PLOT_MAX_MARKS		8	/* --mark given repeatedly */
#define PLOT_FONT_MAX		64	/* bytes of a font name */

/* Where the key goes (--legend). */
enum plot_legend {
	PLOT_LEGEND_BELOW,		/* "below": under the plot (default) */
	PLOT_LEGEND_TOP_LEFT,		/* "top-left", inside the plot */
	PLOT_LEGEND_TOP_RIGHT,		/* "top-right" */
	PLOT_LEGEND_BOTTOM_LEFT,	/* "bottom-left" */
	PLOT_LEGEND_BOTTOM_RIGHT,	/* "bottom-right" */
	PLOT_LEGEND_OFF			/* "off": no key */
};

/* The look of an image (--theme). */
enum plot_theme {
	PLOT_THEME_LIGHT,		/* "light": plots/style.gp (default) */
	PLOT_THEME_DARK,		/* "dark": light lines on near-black */
	PLOT_THEME_PROJECTOR		/* "projector": black on white, thick
					   lines, saturated colours, large
					   text: readable from the back row */
};

/* Parse the names above; 0, or -1 if unknown. */
int	 plot_legend_parse(const char *name, enum plot_legend *l);
int	 plot_theme_parse(const char *name, enum plot_theme *t);
/* 0 if name may be a font family (1 to PLOT_FONT_MAX - 1 bytes of
   letters, digits, blanks and - _ . : =), else -1. */
int	 plot_font_ok(const char *name);

/*
 * What to draw.  plot_req_init() fills the defaults; a NaN double or a zero
 * int means "the kind's default".
 */
struct plot_req {
	enum plot_kind	 kind;
	int		 classes;	/* C for ce-curve, softmax-then-ce,
					   label-smoothing (>= 2; 0: 3) */
	double		 xmin, xmax;	/* the x range (NaN: the kind's own) */
	int		 nmarks;	/* mark the points at x = marks[i] on
					   every loss curve (0 to
					   PLOT_MAX_MARKS) */
	double		 marks[PLOT_MAX_MARKS];
	double		 target;	/* y for the binary kinds (NaN: the kind's
					   default, 1 except bce-curve: both) */
	const char	*lang;		/* "en" or "zh"; NULL: "en" */
	const char	*title;		/* a title replacing the kind's own, or
					   NULL; drawn verbatim (plot_quote) */
	const char	*xlabel, *ylabel; /* the same for the axis labels */
	double		 ymin, ymax;	/* the loss axis (NaN: automatic) */
	const char	*font;		/* a font family (plot_font_ok), or
					   NULL: Sans */
	double		 font_size;	/* points (0: the format's own) */
	enum plot_legend legend;
	enum plot_theme	 theme;
	int		 grad;		/* compare: the gradients dL/dz too,
					   dashed, on the right-hand axis */
	int		 prob_axis;	/* 1: x is p = sigmoid(z) for the kinds
					   on a logit axis (xmin, xmax and the
					   marks are then probabilities) */
	double		 gamma;		/* focal: one gamma instead of 0,1,2,5 */
	double		 alpha;		/* focal alpha (NaN: none, i.e. -1) */
	double		 pos_weight;	/* pos-weight: one value beside 1 */
	double		 label_smoothing; /* label-smoothing: one eps beside 0 */
	int		 nlosses;	/* compare: the losses to overlay */
	enum loss_id	 losses[PLOT_MAX_LOSSES];
	int		 points;	/* samples per curve (0: the default) */
	/* Cell mode (core/curve.h, struct curve_cells): the curves of these
	   values, one group per cell, each marked at the cell's own value
	   with the loss the explorer's tables show; NULL: the kind's
	   canonical curves (classes, target, gamma, alpha, pos_weight,
	   label_smoothing and losses above apply only then; has_mark and
	   mark are ignored in cell mode).  Borrowed: it must outlive every
	   call that gets req. */
	const struct curve_cells *cells;
};

/* One curve of a drawn plot, as the explorer needs it to colour it. */
struct plot_curve_key {
	char		 point;		/* the character that draws it in the
					   dumb output: '*', '#', '$', '%', '@',
					   '&', '=' (then again from '*') */
	int		 gradient;	/* 1: a gradient curve, 0: a loss curve */
	char		 label[PLOT_TEXT_MAX]; /* its legend entry (UTF-8) */
	int		 reference;	/* 1: a reference line (a pitfall's
					   floor, the float32 saturation edge),
					   not a computed curve */
};

/* The text plot returned by plot_dumb(); free with plot_text_free(). */
struct plot_text {
	char		**lines;	/* nlines NUL-terminated UTF-8 lines,
					   no form feed, no escape codes,
					   trailing blanks kept (fixed width) */
	int		 nlines;
	int		 ncurves;
	struct plot_curve_key curves[PLOT_MAX_CURVES];
	char		 mark_point;	/* the mark's character ('O'), or 0 */
	/* The plot border (0-based line and byte column, inclusive), or -1:
	   characters strictly inside it belong to curves or the key. */
	int		 top, left, bottom, right;
};

#define PLOT_TEXT_INIT	{ NULL, 0, 0, { { 0, 0, "", 0 } }, 0, -1, -1, -1, -1 }

/* Fill r with the defaults for kind k (NaN overrides, y=1, lang "en"). */
void	 plot_req_init(struct plot_req *r, enum plot_kind k);

/* The `losslab plot` arguments that draw req (kind id first, then the
   options it sets), e.g. "compare --losses kl-div,bce-logits --mark 0.5";
   in cell mode the values too ("ce-curve --loss ce --input '2,1,0.1;'
   --target 0 --cell 0,0 ..."), every number in the shortest form that
   reads back exactly, each argument quoted for a POSIX shell where it
   needs it, so that the command draws the same plot; truncated to len.
   Cell mode writes --loss always, --pitfall when it is not the kind's own
   (plot_kind_pitfall(); "--pitfall none" to turn that off), the options
   that differ from torch's defaults and that the loss or the pitfall
   reads, and --xmin, --xmax, --points, --lang zh and --title when set.
   The words need a shell (eval "losslab plot $args"): a 2-D value holds
   ';'. */
void	 plot_req_args(const struct plot_req *req, char *buf, size_t len);
/* The same arguments appended to b, every number in C99 hexadecimal: an
   exact key for caching what req draws (any size; b->oom on failure). */
void	 plot_req_key(const struct plot_req *req, struct strbuf *b);

/* Cell mode on the command line: the loss and the pitfall `losslab plot ID
   --input ...` draws when --loss or --pitfall is not given (LOSS_COUNT for
   compare, which needs --loss; PITFALL_NONE for the kinds without one). */
enum loss_id	 plot_kind_loss(enum plot_kind k);
enum pitfall_id	 plot_kind_pitfall(enum plot_kind k);

/* The id of a kind ("bce-curve", ...), and its one-line description. */
const char *plot_kind_name(enum plot_kind k);
const char *plot_kind_desc(enum plot_kind k);
/* Parse an id; 0, or -1 if unknown. */
int	 plot_kind_parse(const char *name, enum plot_kind *k);

/* 1 if a gnuplot executable is found in PATH, else 0 (no process is run). */
int	 plot_available(void);

/*
 * Render req with gnuplot's dumb terminal at width x height characters
 * (width clamped to [20, 500], height to [10, 500]; under 20 lines there
 * is no title or x label, under 14 no key -- struct plot_text still names
 * every curve) into *out (overwritten; free it with
 * plot_text_free()).  Returns 0, or -1 with e set: "gnuplot not found
 * (install gnuplot-nox)", a timeout, gnuplot's exit status or first error
 * line, bad request values, out of memory.
 */
int	 plot_dumb(const struct plot_req *req, int width, int height,
	    struct plot_text *out, struct err *e);
void	 plot_text_free(struct plot_text *t);

/* The output formats of plot_export(). */
enum plot_format {
	PLOT_FORMAT_PNG,	/* pngcairo */
	PLOT_FORMAT_SVG,	/* svg */
	PLOT_FORMAT_PDF,	/* pdfcairo */
	PLOT_FORMAT_DUMB,	/* text, as plot_dumb() */
	PLOT_FORMAT_SIXEL	/* sixelgd: a picture for the terminal */
};

/* The format from a file name's extension (.png, .svg, .pdf, .txt, .six
   or .sixel); 0 or -1. */
int	 plot_format_from_path(const char *path, enum plot_format *f);
/* The format from its name (png, svg, pdf, text, sixel); 0 or -1. */
int	 plot_format_parse(const char *name, enum plot_format *f);

/*
 * 0 if path may be written by plot_export(), else -1 with e set: empty,
 * starts with '|' or '<' (after blanks), or contains quotes, backticks,
 * control characters (newlines...), or is not valid UTF-8.
 */
int	 plot_check_path(const char *path, struct err *e);

/*
 * Render req to the file path, its format from the extension (see
 * plot_format_from_path), at width x height pixels (PDF: 1/150 inch each;
 * 0: 960x540).  The file is written only when gnuplot succeeded and what
 * it wrote passes the check of its format below (written to a temporary
 * name beside it, then renamed over path, so a reader sees the old file
 * or the new one, never a part; nothing is left behind otherwise).  A path
 * that is a symbolic link is refused ("x.png is a symbolic link: not
 * written through it ..."), never followed or silently replaced.
 * Returns 0, or -1 with e set ("gnuplot wrote an invalid PNG (no IEND
 * chunk)").
 */
int	 plot_export(const struct plot_req *req, const char *path, int width,
	    int height, struct err *e);
/* The same in the format fmt, whatever path's extension. */
int	 plot_export_as(const struct plot_req *req, const char *path,
	    enum plot_format fmt, int width, int height, struct err *e);

/*
 * Render req in fmt at width x height (pixels; characters for text; 0:
 * the defaults of plot_export) into out, as plot_export() would write it.
 * 0, or -1 with e set as plot_export().
 */
int	 plot_render(const struct plot_req *req, enum plot_format fmt,
	    int width, int height, struct strbuf *out, struct err *e);

/*
 * plot_render() in pieces, for a caller that runs gnuplot itself (`losslab
 * plot --batch`, on one persistent gnuplot): plot_job_script appends the
 * script of req in fmt at width x height (0: the defaults; images 100 to
 * 10000) to script; plot_job_check checks what gnuplot wrote as
 * plot_render() does (text: control characters removed, NUL-terminated);
 * plot_save_ok says whether path may be written (plot_check_path, and not
 * a symbolic link); plot_save writes len bytes of buf to path by
 * outfile.h's rule (atomically; a symbolic link refused; a device written
 * into).  Each returns 0, or -1 with e set.
 */
int	 plot_job_script(const struct plot_req *req, enum plot_format fmt,
	    int width, int height, struct strbuf *script, struct err *e);
int	 plot_job_check(enum plot_format fmt, struct strbuf *o, struct err *e);
int	 plot_save_ok(const char *path, struct err *e);
int	 plot_save(const char *path, const char *buf, size_t len,
	    struct err *e);

/*
 * The two halves of plot_dumb(), for a caller that runs gnuplot itself
 * (the explorer's pane, on its persistent gnuplot):
 * plot_dumb_script writes the script for a width x height text plot into
 * script and the key (curves, mark character) into out, lines still NULL;
 * plot_dumb_parse fills out's lines and border from what gnuplot wrote
 * (buf, len bytes).  Each returns 0, or -1 with e set.
 */
int	 plot_dumb_script(const struct plot_req *req, int width, int height,
	    struct strbuf *script, struct plot_text *out, struct err *e);
int	 plot_dumb_parse(const char *buf, size_t len, struct plot_text *out,
	    struct err *e);

/*
 * The script of req in fmt at w x h (in their ranges), without running
 * gnuplot: for tests, the fuzzers and the explorer's pictures.  Returns 0
 * with the NUL-terminated script in *out (free it), or -1 with e set and
 * *out NULL.
 */
int	 plot_script_text(const struct plot_req *req, enum plot_format fmt,
	    int w, int h, char **out, struct err *e);

/*
 * Copy the text in to out (outlen bytes, at least 1) keeping only what is
 * safe inside a single-quoted gnuplot string (the terminals run with
 * `noenhanced`, so nothing in it is interpreted): printable ASCII other
 * than ' " \ ` | < > ! $ @ (each dropped), and well-formed UTF-8
 * sequences of 2-4 bytes (no overlongs, no surrogates, nothing above
 * U+10FFFF, no C1 controls).  Tabs, newlines and other control characters
 * become a space (none at the start, never two in a row).  Truncates at a
 * character boundary.  Returns out.
 */
char	*plot_sanitize(const char *in, char *out, size_t outlen);

/*
 * Checks of what gnuplot wrote (len bytes of buf), made before anything
 * keeps it.  Each returns 0, or -1 with e set to a message that names
 * gnuplot and the fault: "gnuplot wrote an invalid PNG (no IEND chunk)",
 * "gnuplot wrote an invalid SVG (line 12: <g> is not closed)".  Each takes
 * time linear in len and needs no NUL after the buffer.
 *
 * plot_check_png: the PNG signature, IHDR first (13 bytes, a non-empty
 * image), every chunk's length inside the data and its CRC right, an IDAT,
 * IEND last with nothing after it.
 */
int	 plot_check_png(const char *buf, size_t len, struct err *e);
/* Well-formed XML (UTF-8 without control characters; an XML declaration,
   tags balanced, attributes quoted and each once, references to XML's
   five entities -- any when there is a DOCTYPE -- or to allowed
   characters, comments, CDATA, processing instructions and a DOCTYPE as
   XML has them) whose root element is <svg>; elements nest at most 1024
   deep and have at most 256 attributes.  The declarations inside a
   DOCTYPE are skipped, not checked. */
int	 plot_check_svg(const char *buf, size_t len, struct err *e);
/* A "%PDF-" header and a "%%EOF" trailer (line ends after it allowed). */
int	 plot_check_pdf(const char *buf, size_t len, struct err *e);
/* One complete sixel image: ESC P, parameters (digits and ';'), 'q', sixel
   data (printable ASCII and line ends, no other escape), ESC \, and
   nothing after it but line ends. */
int	 plot_check_sixel(const char *buf, size_t len, struct err *e);
/* Text (the dumb terminal): valid UTF-8 or an error; then every control
   character but the newline (C0 -- gnuplot's leading form feed among them
   --, DEL and the C1 controls U+0080 to U+009F) is removed in place and
   *len updated.  buf is not NUL-terminated by it. */
int	 plot_check_text(char *buf, size_t *len, struct err *e);

/*
 * For the other plot modules (plot_train.c), which write their own scripts
 * under the same rules: plot_run() runs `gnuplot -d` on len bytes of
 * script, its stdout appended to out; 0 when it exited 0, else -1 with e
 * set (not found, the timeout, its exit status and first error line).
 * plot_style_path() is plots/style.gp's checked path, or NULL;
 * plot_have_cjk_font() whether PNG and PDF can show Chinese.
 */
int	 plot_run(const char *script, size_t len, struct strbuf *out,
	    struct err *e);
const char *plot_style_path(void);
int	 plot_have_cjk_font(void);

#endif
