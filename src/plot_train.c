/*
 * plot_train.c -- the training lab's plots through gnuplot (see
 * plot_train.h).
 *
 * Four scripts share one frame (the terminal of the format, plots/style.gp
 * for images, the title): the loss and the accuracy against the epoch (a
 * datablock $h of epoch, then one column per curve), the decision regions
 * (a datablock $g of the grid's colours for `rgbimage`, or for text one
 * grid point a character cell drawn with the predicted class's character;
 * the points in $p, one index per class; the correct run and the pitfall
 * side by side in a multiplot), and the reliability diagram (a datablock
 * $c of the bins, the counts drawn below).  Long histories and large data
 * sets are thinned (every k-th epoch, the last always kept; every k-th
 * point) so that a script stays a few megabytes; the numbers written are
 * the runs' own, never smoothed.  gnuplot runs through plot_run()
 * (plot.c), and what it writes is checked as plot_render() checks it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activation.h"
#include "core/data.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "core/train.h"
#include "dtoa.h"
#include "plot.h"
#include "plot_train.h"
#include "strbuf.h"

#define HIST_MAX	20000	/* history rows written, at most */
#define POINTS_MAX	5000	/* data points drawn, at most */
#define GRID_IMAGE	120	/* the decision regions' grid, images */
#define CLASSES_KEYED	10	/* classes with a key entry */
#define FLOOR_LOGIT	40.0	/* |logit| of the "perfect" outputs */

static const struct {
	const char	*name, *desc;
} kinds[PLOT_TRAIN_KIND_COUNT] = {
#define X(id, name, desc) [id] = { name, desc },
	PLOT_TRAIN_KINDS
#undef X
};

/* The class colours (Okabe-Ito, as plots/style.gp), then again. */
static const unsigned int class_rgb[] = {
	0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9,
	0x000000, 0xF0E442
};
#define NCOLOURS	(sizeof class_rgb / sizeof class_rgb[0])

/* Text plots: a class's points, and the region it is predicted in. */
static const char class_point[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char class_region[] = ".:-~^;,=";

const char *
plot_train_kind_name(enum plot_train_kind k)
{
	return (int)k >= 0 && k < PLOT_TRAIN_KIND_COUNT ? kinds[k].name : "?";
}

const char *
plot_train_kind_desc(enum plot_train_kind k)
{
	return (int)k >= 0 && k < PLOT_TRAIN_KIND_COUNT ? kinds[k].desc : "?";
}

int
plot_train_kind_parse(const char *name, enum plot_train_kind *k)
{
	int	i;

	for (i = 0; i < PLOT_TRAIN_KIND_COUNT; i++)
		if (strcmp(name, kinds[i].name) == 0) {
			*k = (enum plot_train_kind)i;
			return 0;
		}
	return -1;
}

/* --- text and numbers ----------------------------------------------------- */

/* A number as it reads back exactly (dtoa_fmt, as the JSON); NaN if not
   finite. */
static void
num(struct strbuf *b, double v)
{
	char	d[DTOA_BUFSZ];

	if (isfinite(v))
		strbuf_add(b, d, dtoa_fmt(v, d));
	else
		strbuf_add(b, "NaN", 3);
}

/* Text as a single-quoted gnuplot string, through plot_sanitize(). */
static void
quote(struct strbuf *b, const char *text)
{
	char	clean[PLOT_TEXT_MAX];

	plot_sanitize(text, clean, sizeof clean);
	strbuf_printf(b, "'%s'", clean);
}

/* "set NAME 'text'\n" */
static void
set_text(struct strbuf *b, const char *name, const char *text)
{
	strbuf_printf(b, "set %s ", name);
	quote(b, text);
	strbuf_add(b, "\n", 1);
}

/* A key entry; text keys (reverse) want a blank after the sample. */
static void
key_title(struct strbuf *b, const char *text, int dumb)
{
	char	tmp[PLOT_TEXT_MAX + 1];

	snprintf(tmp, sizeof tmp, "%s%s", dumb ? " " : "", text);
	strbuf_add(b, " title ", 7);
	quote(b, tmp);
}

/* A number for a label: "0.5", "1e-05". */
static const char *
short_num(double v, char *buf, size_t len)
{
	snprintf(buf, len, "%g", v);
	return buf;
}

/* The loss and the options that move a plot: "ce (label_smoothing 0.1)",
   "bce-logits (pos_weight 5)", "focal (gamma 2, alpha 0.25)". */
static void
loss_text(const struct train_spec *s, char *out, size_t len)
{
	const struct loss_opts	*o = &s->opts;
	char			 b1[32], b2[32];
	size_t			 n;

	n = (size_t)snprintf(out, len, "%s", loss_name(s->loss));
	if (n >= len)
		return;
	if (o->pos_weight != NULL && mat_numel(o->pos_weight) == 1)
		snprintf(out + n, len - n, " (pos_weight %s)",
		    short_num(o->pos_weight->v[0], b1, sizeof b1));
	else if (o->pos_weight != NULL)
		snprintf(out + n, len - n, " (pos_weight)");
	else if (s->loss == LOSS_CE && o->label_smoothing > 0)
		snprintf(out + n, len - n, " (label_smoothing %s)",
		    short_num(o->label_smoothing, b1, sizeof b1));
	else if (s->loss == LOSS_FOCAL)
		snprintf(out + n, len - n, o->alpha < 0 ? " (gamma %s)" :
		    " (gamma %s, alpha %s)", short_num(o->gamma, b1,
		    sizeof b1), short_num(o->alpha, b2, sizeof b2));
	else if (o->weight != NULL)
		snprintf(out + n, len - n, " (weight)");
}

/* "mlp 2-16-3 tanh on spiral, ce, SGD lr 0.5 momentum 0.9" */
static void
setup_text(const struct train *t, int zh, char *out, size_t len)
{
	const struct train_spec	*s = &t->spec;
	char			 model[64], b1[32], b2[32], b3[32], opt[96];
	char			 lossb[96];

	if (t->params.nlayers == 2)
		snprintf(model, sizeof model, "mlp %zu-%zu-%zu %s", t->in,
		    t->hidden, t->out, train_activation_name(s->activation));
	else
		snprintf(model, sizeof model, "linear %zu-%zu", t->in, t->out);
	snprintf(opt, sizeof opt, "SGD lr %s", short_num(s->lr, b1,
	    sizeof b1));
	if (s->momentum != 0)
		snprintf(opt + strlen(opt), sizeof opt - strlen(opt),
		    zh ? "，动量 %s" : ", momentum %s",
		    short_num(s->momentum, b2, sizeof b2));
	if (s->weight_decay != 0)
		snprintf(opt + strlen(opt), sizeof opt - strlen(opt),
		    zh ? "，权重衰减 %s" : ", weight decay %s",
		    short_num(s->weight_decay, b3, sizeof b3));
	if (s->batch != 0 && s->batch < t->data->n)
		snprintf(opt + strlen(opt), sizeof opt - strlen(opt),
		    zh ? "，批大小 %zu" : ", batches of %zu", s->batch);
	loss_text(s, lossb, sizeof lossb);
	snprintf(out, len, zh ? "%s，数据 %s（%zu 个点），%s，%s" :
	    "%s on %s (%zu points), %s, %s", model,
	    data_kind_name(t->data->kind), t->data->n, lossb, opt);
}

/* ", diverged in epoch 154" and the like, or "" for a run that ended. */
static void
status_text(const struct train *t, int zh, char *out, size_t len)
{
	out[0] = '\0';
	if (t->state == TRAIN_DIVERGED)
		snprintf(out, len, zh ? "（第 %ld 轮发散）" :
		    " (diverged in epoch %ld)", t->stop_epoch);
	else if (t->state == TRAIN_REFUSED)
		snprintf(out, len, zh ? "（PyTorch 在第 %ld 轮报错）" :
		    " (PyTorch raises in epoch %ld)", t->stop_epoch);
}

/* --- the frame ------------------------------------------------------------ */

/* The font size of a sixel picture: a terminal's, from its height. */
static int
sixel_points(int h)
{
	return h / 55 < 8 ? 8 : h / 55 > 14 ? 14 : h / 55;
}

static void
frame(struct strbuf *b, enum plot_format fmt, int w, int h, int zh)
{
	const char	*style;
	int		 k;

	switch (fmt) {
	case PLOT_FORMAT_DUMB:
		strbuf_printf(b, "set terminal dumb size %d,%d mono "
		    "noenhanced\n", w, h);
		break;
	case PLOT_FORMAT_PNG:
		strbuf_printf(b, "set terminal pngcairo size %d,%d noenhanced "
		    "font 'Sans,11' background rgb 'white'\n", w, h);
		break;
	case PLOT_FORMAT_SVG:
		strbuf_printf(b, "set terminal svg size %d,%d noenhanced "
		    "font 'Sans,13' background rgb 'white'\n", w, h);
		break;
	case PLOT_FORMAT_SIXEL:
		strbuf_printf(b, "set terminal sixelgd size %d,%d truecolor "
		    "noenhanced font '%s,%d' background rgb 'white'\n", w, h,
		    zh ? "Sans:lang=zh-cn" : "Sans", sixel_points(h));
		break;
	case PLOT_FORMAT_PDF:
		/* 1/150 inch a unit, as plot.c */
		strbuf_printf(b, "set terminal pdfcairo size %d.%03din,"
		    "%d.%03din noenhanced font 'Sans,4.5' fontscale 1 "
		    "linewidth 0.7\n", w / 150, w % 150 * 1000 / 150,
		    h / 150, h % 150 * 1000 / 150);
		break;
	}
	strbuf_printf(b, "set encoding utf8\n");
	if (fmt != PLOT_FORMAT_DUMB && (style = plot_style_path()) != NULL) {
		/* a fixed path, checked by plot.c: no quotes, no controls */
		strbuf_printf(b, "load '%s'\n", style);
	} else if (fmt != PLOT_FORMAT_DUMB) {
		strbuf_printf(b, "set grid\nset style line 20 lc rgb '#555555' "
		    "lw 1.5 dt 3\n");
		for (k = 0; k < 8; k++)
			strbuf_printf(b, "set style line %d lt %d lw 2\n"
			    "set style line %d lt %d lw 2 dt 2\n", k + 1,
			    k + 1, k + 11, k + 1);
	}
	strbuf_printf(b, "set border back\n");
	switch (fmt) {
	case PLOT_FORMAT_PNG:
		strbuf_printf(b, "set title font ',14'\n");
		break;
	case PLOT_FORMAT_SVG:
		strbuf_printf(b, "set title font ',16'\n");
		break;
	case PLOT_FORMAT_PDF:
		strbuf_printf(b, "set title font ',5.8'\n");
		break;
	case PLOT_FORMAT_SIXEL:
		strbuf_printf(b, "set title font ',%d'\n", sixel_points(h));
		break;
	case PLOT_FORMAT_DUMB:
		strbuf_printf(b, "set key reverse Left\n");
		break;
	}
	strbuf_printf(b, "set key outside bottom center horizontal\n");
	if (fmt != PLOT_FORMAT_DUMB)
		strbuf_printf(b, "set key height 1\n");
}

/* The title: the caller's, or "WHAT: the setup". */
static void
title(struct strbuf *b, const struct plot_train_req *r, const char *what,
    int zh, const char *name)
{
	char	setup[PLOT_TEXT_MAX], t[PLOT_TEXT_MAX];

	if (r->title != NULL) {
		set_text(b, name, r->title);
		return;
	}
	setup_text(r->run, zh, setup, sizeof setup);
	snprintf(t, sizeof t, zh ? "%s：%s" : "%s: %s", what, setup);
	set_text(b, name, t);
}

/* --- checks ---------------------------------------------------------------- */

/* The probability of class 1 is defined: one logit (sigmoid) or two
   softmax-ed classes of ce. */
static int
binary_task(const struct train *t, struct err *e)
{
	if (t->data->multilabel)
		return err_set(e, "calibration needs a binary task (2 classes, "
		    "one label per point); these data have %d labels per "
		    "point", t->data->classes);
	if (t->data->classes != 2)
		return err_set(e, "calibration needs a binary task (2 classes, "
		    "one label per point); these data have %d classes",
		    t->data->classes);
	if (t->spec.loss == LOSS_MULTI_MARGIN)
		return err_set(e, "calibration: multi-margin gives scores, not "
		    "probabilities (use ce, bce-logits or focal)");
	return 0;
}

int
plot_train_check(const struct plot_train_req *r, struct err *e)
{
	const struct train	*t = r->run;

	if (t == NULL || t->data == NULL || (int)r->kind < 0 ||
	    r->kind >= PLOT_TRAIN_KIND_COUNT)
		return err_set(e, "nothing to plot");
	if (r->lang != NULL && strcmp(r->lang, "en") != 0 &&
	    strcmp(r->lang, "zh") != 0)
		return err_set(e, "unknown language (en or zh)");
	if (r->log && r->kind != PLOT_TRAIN_LOSS)
		return err_set(e, "--log is for the loss plot");
	switch (r->kind) {
	case PLOT_TRAIN_BOUNDARY:
		if (t->data->d != 2)
			return err_set(e, "boundary needs 2-D points (the data "
			    "have %zu feature%s)", t->data->d,
			    t->data->d == 1 ? "" : "s");
		if (t->data->multilabel &&
		    t->data->classes > PLOT_TRAIN_MAX_LABELS)
			return err_set(e, "boundary draws at most %d labels "
			    "(these data have %d)", PLOT_TRAIN_MAX_LABELS,
			    t->data->classes);
		if (t->data->classes > PLOT_TRAIN_MAX_CLASSES)
			return err_set(e, "boundary draws at most %d classes "
			    "(these data have %d)", PLOT_TRAIN_MAX_CLASSES,
			    t->data->classes);
		break;
	case PLOT_TRAIN_CALIBRATION:
		return binary_task(t, e);
	default:
		break;
	}
	return 0;
}

/* --- the model's probabilities --------------------------------------------- */

/*
 * The predicted class probabilities of t at the m points x into p (m x K,
 * allocated): sigmoid(z) for one logit (class 1; class 0 is 1 - it),
 * softmax(z) for K logits (multi-margin's scores softmax-ed too, only for
 * the colours).  A pitfall run's probabilities are those of its logits in
 * the same way: the model a learner would deploy.  NaN where z is not
 * finite (a diverged run).
 */
static int
probabilities(const struct train *t, const struct mat *x, struct mat *p,
    struct err *e)
{
	struct mat	 z = MAT_INIT;
	size_t		 i, k, K = (size_t)t->data->classes;
	int		 bad;

	if (train_predict(t, x, &z, e) != 0)
		return -1;
	if (mat_alloc(p, 2, x->rows, K, e) != 0) {
		mat_free(&z);
		return -1;
	}
	for (i = 0; i < x->rows; i++) {
		double	*zi = z.v + i * t->out, *pi = p->v + i * K;

		for (bad = 0, k = 0; k < t->out; k++)
			bad |= !isfinite(zi[k]);
		if (bad) {
			for (k = 0; k < K; k++)
				pi[k] = NAN;
		} else if (t->out == 1) {
			/* two classes, one logit: p1 = sigma(z) */
			pi[1] = activation_sigmoid(zi[0]);
			pi[0] = 1 - pi[1];
		} else
			activation_softmax(zi, pi, K);
	}
	mat_free(&z);
	return 0;
}

/* --- the pitfall's floor ---------------------------------------------------- */

/*
 * The lowest value the pitfall's objective can take on these data, or NaN
 * (no floor, or it cannot be had from a vertex): pitfall_eval() at the
 * "perfect" outputs, logit +40 at the true class and 0 elsewhere
 * (softmax-then-ce: CE(softmax(z)) per point is smallest at a one-hot
 * softmax, log(1 + (K-1)/e) unweighted), or +40 for a label 1 and -40 for
 * a label 0 (double-sigmoid: BCEWithLogits(sigmoid(z), y) per element is
 * smallest as sigmoid(z) -> y: log(1 + 1/e) = 0.3133 for y = 1, log 2 for
 * y = 0).  Label smoothing moves the smallest value off the vertex: no
 * floor then.
 */
static double
pitfall_floor(const struct train *p)
{
	const struct data	*d = p->data;
	struct mat		 z = MAT_INIT, y = MAT_INIT;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct err		 e;
	double			 v = NAN;
	size_t			 i, k, w;

	if ((p->spec.pitfall != PITFALL_SOFTMAX_THEN_CE &&
	    p->spec.pitfall != PITFALL_DOUBLE_SIGMOID) ||
	    p->spec.opts.label_smoothing > 0)
		return NAN;
	if (mat_alloc(&z, 2, d->n, p->out, &e) != 0)
		return NAN;
	if (p->index_target) {
		for (i = 0; i < d->n; i++) {
			k = (size_t)d->y.v[i];
			if (k < p->out)
				MAT_AT(&z, i, k) = FLOOR_LOGIT;
		}
		if (mat_copy(&y, &d->y, &e) != 0)
			goto out;
	} else {
		/* one logit (y as an n x 1 column) or K labels (n x K) */
		w = p->out;
		if (mat_alloc(&y, 2, d->n, w, &e) != 0)
			goto out;
		for (i = 0; i < d->n * w; i++) {
			y.v[i] = d->y.v[i];
			z.v[i] = d->y.v[i] > 0.5 ? FLOOR_LOGIT : -FLOOR_LOGIT;
		}
	}
	if (pitfall_eval(p->spec.pitfall, &z, &y, &p->spec.opts, &r, &e) == 0)
		v = r.value;
	loss_result_free(&r);
out:
	mat_free(&z);
	mat_free(&y);
	return v;
}

/* --- loss and accuracy ------------------------------------------------------ */

/* Entry e of t, or NULL past its history. */
static const struct train_entry *
entry(const struct train *t, size_t e)
{
	return t != NULL && e < t->nhist ? &t->hist[e] : NULL;
}

/* A value for the history block: NaN when missing, and on a log axis
   when not above 0. */
static void
hist_value(struct strbuf *b, const struct train_entry *en, int what,
    int log)
{
	double	v;

	if (en == NULL) {
		strbuf_add(b, " NaN", 4);
		return;
	}
	v = what == 0 ? en->correct_loss : what == 1 ? en->loss :
	    100.0 * en->accuracy;
	strbuf_add(b, " ", 1);
	num(b, log && !(v > 0) ? NAN : v);
}

/* Whether column `what` of t has a value to draw. */
static int
has_values(const struct train *t, int what, int log)
{
	size_t	i;
	double	v;

	for (i = 0; t != NULL && i < t->nhist; i++) {
		v = what == 0 ? t->hist[i].correct_loss : what == 1 ?
		    t->hist[i].loss : t->hist[i].accuracy;
		if (isfinite(v) && (!log || v > 0))
			return 1;
	}
	return 0;
}

/*
 * loss: $h holds epoch, the correct run's loss, the pitfall's correct
 * loss, the pitfall's own objective; accuracy: epoch, the correct run's
 * accuracy, the pitfall's (in %).
 */
static int
history_script(const struct plot_train_req *r, enum plot_format fmt,
    int w, int h, int zh, struct strbuf *b, struct err *e)
{
	const struct train	*t = r->run, *p = r->pitfall;
	const char		*pf = p != NULL ? pitfall_name(p->spec.pitfall) :
				    NULL, *ln = loss_name(t->spec.loss);
	char			 label[PLOT_TEXT_MAX], st[64];
	size_t			 n, i, step;
	double			 floor = NAN;
	int			 acc = r->kind == PLOT_TRAIN_ACCURACY;
	int			 dumb = fmt == PLOT_FORMAT_DUMB, nplot = 0;

	n = t->nhist;
	if (p != NULL && p->nhist > n)
		n = p->nhist;
	if (r->log && !has_values(t, 0, 1) && !has_values(p, 0, 1) &&
	    !has_values(p, 1, 1))
		return err_set(e, "--log: no loss above 0 to draw");
	if (!acc && p != NULL) {
		floor = pitfall_floor(p);
		if (r->log && !(floor > 0))
			floor = NAN;
	}
	frame(b, fmt, w, h, zh);
	if (!dumb || h >= 20) {
		title(b, r, acc ? (zh ? "准确率" : "Accuracy") :
		    (zh ? "训练损失" : "Training loss"), zh, "title");
		set_text(b, "xlabel", zh ? "轮次（epoch）" : "epoch");
	}
	if (dumb && h < 14)
		strbuf_printf(b, "unset key\n");
	if (!dumb)
		set_text(b, "ylabel", acc ? (zh ? "准确率（%）" :
		    "accuracy (%)") : r->log ? (zh ? "损失（对数刻度）" :
		    "loss (log scale)") : (zh ? "损失" : "loss"));
	strbuf_printf(b, "set xrange [0:%zu]\n", n > 1 ? n - 1 : 1);
	if (acc)
		strbuf_printf(b, "set yrange [0:104]\nset ytics 0, 20, 100\n");
	else if (r->log)
		strbuf_printf(b, "set logscale y\n");
	else
		strbuf_printf(b, "set yrange [0:*]\n");
	if (!dumb)
		strbuf_printf(b, "set offsets 0, 0, graph 0.05, 0\n");
	if (p != NULL && !dumb)
		strbuf_printf(b, "set key maxrows 2\n");

	/* every epoch, or every step-th and the last */
	step = n > HIST_MAX ? (n + HIST_MAX - 1) / HIST_MAX : 1;
	strbuf_printf(b, "$h << EOD\n");
	for (i = 0; i < n; i += step) {
		if (i + step >= n)
			i = n - 1;
		strbuf_printf(b, "%zu", i);
		hist_value(b, entry(t, i), acc ? 2 : 0, r->log);
		if (p != NULL) {
			hist_value(b, entry(p, i), acc ? 2 : 0, r->log);
			if (!acc)
				hist_value(b, entry(p, i), 1, r->log);
		}
		strbuf_add(b, "\n", 1);
	}
	strbuf_printf(b, "EOD\n");

	strbuf_printf(b, "plot ");
	status_text(t, zh, st, sizeof st);
	if (has_values(t, acc ? 2 : 0, r->log)) {
		snprintf(label, sizeof label, zh ? "%s（正确的损失）%s" :
		    "%s (the right loss)%s", ln, st);
		strbuf_printf(b, "$h using 1:2 with lines %s", dumb ? "lt 1" :
		    "ls 1");
		key_title(b, label, dumb);
		nplot++;
	}
	if (p != NULL) {
		status_text(p, zh, st, sizeof st);
		if (has_values(p, acc ? 2 : 0, r->log)) {
			if (acc)
				snprintf(label, sizeof label, "%s%s", pf, st);
			else
				snprintf(label, sizeof label, zh ?
				    "%s：其 logits 的正确损失（%s）%s" :
				    "%s: the correct loss (%s) of its logits%s",
				    pf, ln, st);
			strbuf_printf(b, "%s$h using 1:3 with lines %s",
			    nplot ? ", \\\n  " : "", dumb ? "lt 2" : "ls 2");
			key_title(b, label, dumb);
			nplot++;
		} else if (nplot > 0) {
			/* refused or diverged at once: the key says so */
			snprintf(label, sizeof label, zh ? "%s%s：没有可画的轮次" :
			    "%s%s: no epoch to draw", pf, st);
			strbuf_printf(b, ", \\\n  NaN with lines %s", dumb ?
			    "lt 2" : "ls 2");
			key_title(b, label, dumb);
		}
		if (!acc && has_values(p, 1, r->log)) {
			snprintf(label, sizeof label, zh ?
			    "%s：它自己的目标（它优化的值）" :
			    "%s: its own objective (what it minimises)", pf);
			strbuf_printf(b, "%s$h using 1:4 with lines %s",
			    nplot ? ", \\\n  " : "", dumb ? "lt 3" : "ls 12");
			key_title(b, label, dumb);
			nplot++;
		}
		if (isfinite(floor) && nplot > 0) {
			snprintf(label, sizeof label, zh ?
			    "%s 目标的下限 = %.4f" : "floor of the %s objective = %.4f",
			    pf, floor);
			/* a constant: a number of ours, not text */
			strbuf_printf(b, ", \\\n  ");
			num(b, floor);
			strbuf_printf(b, " with lines %s", dumb ? "lt 4" :
			    "ls 20");
			key_title(b, label, dumb);
		}
	}
	if (nplot == 0)
		return err_set(e, "no epoch to draw (every run stopped before "
		    "its first entry)");
	strbuf_printf(b, "\n");
	return 0;
}

/* --- decision regions -------------------------------------------------------- */

/*
 * A pixel's colour: white, tinted towards the predicted class's colour by
 * the model's confidence c = (p_max - 1/K) / (1 - 1/K) (0 where the
 * classes are equally likely, 1 at certainty), at most 55% of the way:
 * the regions fade out where the decision is close.
 */
static void
pixel(struct strbuf *b, const double *p, size_t K)
{
	size_t		 k, best = 0;
	unsigned int	 rgb;
	double		 c;
	int		 s, ch;

	if (!isfinite(p[0])) {
		strbuf_printf(b, " 200 200 200\n");
		return;
	}
	for (k = 1; k < K; k++)
		if (p[k] > p[best])
			best = k;
	c = (p[best] - 1.0 / (double)K) / (1 - 1.0 / (double)K);
	c = c < 0 ? 0 : c > 1 ? 1 : c;
	rgb = class_rgb[best % NCOLOURS];
	for (s = 16; s >= 0; s -= 8) {
		ch = (int)((rgb >> s) & 0xff);
		strbuf_printf(b, " %d", (int)lround(255 - 0.55 * c *
		    (255 - ch)));
	}
	strbuf_add(b, "\n", 1);
}

/* The grid of one run's predictions as datablock NAME: images, x y r g b
   (rows of gx); text, one block index per predicted class of x y. */
static int
grid_block(struct strbuf *b, const struct train *t, const double box[4],
    size_t gx, size_t gy, int dumb, const char *name, struct err *e)
{
	struct mat	 x = MAT_INIT, p = MAT_INIT;
	size_t		 i, j, k, K = (size_t)t->data->classes, best;

	if (mat_alloc(&x, 2, gx * gy, 2, e) != 0)
		return -1;
	for (j = 0; j < gy; j++)
		for (i = 0; i < gx; i++) {
			/* cell centres */
			MAT_AT(&x, j * gx + i, 0) = box[0] + (box[1] - box[0]) *
			    ((double)i + 0.5) / (double)gx;
			MAT_AT(&x, j * gx + i, 1) = box[2] + (box[3] - box[2]) *
			    ((double)j + 0.5) / (double)gy;
		}
	if (probabilities(t, &x, &p, e) != 0) {
		mat_free(&x);
		return -1;
	}
	strbuf_printf(b, "%s << EOD\n", name);
	if (!dumb) {
		/* the cell centres are ours, not the runs' numbers: 10
		   digits place a pixel */
		for (i = 0; i < gx * gy; i++) {
			strbuf_printf(b, "%.10g %.10g", MAT_AT(&x, i, 0),
			    MAT_AT(&x, i, 1));
			pixel(b, p.v + i * K, K);
		}
	} else {
		for (k = 0; k < K && k < sizeof class_region - 1; k++) {
			if (k > 0)
				strbuf_printf(b, "\n\n");
			for (i = 0; i < gx * gy; i++) {
				const double	*pi = p.v + i * K;

				for (best = 0, j = 1; j < K; j++)
					if (pi[j] > pi[best])
						best = j;
				if (best != k || !isfinite(pi[0]))
					continue;
				num(b, MAT_AT(&x, i, 0));
				strbuf_add(b, " ", 1);
				num(b, MAT_AT(&x, i, 1));
				strbuf_add(b, "\n", 1);
			}
			/* an empty index still needs a line gnuplot skips */
			strbuf_printf(b, "NaN NaN\n");
		}
	}
	strbuf_printf(b, "EOD\n");
	mat_free(&x);
	mat_free(&p);
	return 0;
}

/* The number of point groups: K classes, or 2^K label combinations. */
static size_t
point_groups(const struct data *d)
{
	return d->multilabel ? (size_t)1 << d->classes : (size_t)d->classes;
}

/* The points, one index per group (every step-th point): a counting
   sort by group, linear in the points. */
static int
points_block(struct strbuf *b, const struct data *d, size_t step,
    struct err *e)
{
	size_t	*start, *order, i, k, K = point_groups(d), j;

	if ((start = calloc(K + 1, sizeof *start)) == NULL ||
	    (order = malloc((d->n / step + 1) * sizeof *order)) == NULL) {
		free(start);
		return err_set(e, "out of memory");
	}
	for (i = 0; i < d->n; i += step)
		start[(size_t)data_group(d, i) + 1]++;
	for (k = 0; k < K; k++)
		start[k + 1] += start[k];
	for (i = 0; i < d->n; i += step)
		order[start[(size_t)data_group(d, i)]++] = i;
	/* start[k] is now the end of class k */
	strbuf_printf(b, "$p << EOD\n");
	for (j = 0, k = 0; k < K; k++) {
		if (k > 0)
			strbuf_printf(b, "\n\n");
		for (; j < start[k]; j++) {
			i = order[j];
			num(b, MAT_AT(&d->x, i, 0));
			strbuf_add(b, " ", 1);
			num(b, MAT_AT(&d->x, i, 1));
			strbuf_add(b, "\n", 1);
		}
		strbuf_printf(b, "NaN NaN\n");
	}
	strbuf_printf(b, "EOD\n");
	free(start);
	free(order);
	return 0;
}

/* A boundary panel's title: the run's name, its last epoch and accuracy
   (per label for multilabel data), and how it stopped. */
static void
panel_title(struct strbuf *b, const struct train *t, int zh, int labels)
{
	const struct train_entry *en = t->nhist ? &t->hist[t->nhist - 1] :
				    NULL;
	const char	*name = t->spec.pitfall != PITFALL_NONE ?
			    pitfall_name(t->spec.pitfall) :
			    loss_name(t->spec.loss);
	char		 label[PLOT_TEXT_MAX], st[64];

	status_text(t, zh, st, sizeof st);
	if (en == NULL)
		snprintf(label, sizeof label, "%s%s", name, st);
	else if (labels)
		snprintf(label, sizeof label, zh ?
		    "%s：第 %ld 轮，标签准确率 %.1f%%%s" :
		    "%s: epoch %ld, label accuracy %.1f%%%s", name,
		    en->epoch, 100 * en->accuracy, st);
	else
		snprintf(label, sizeof label, zh ?
		    "%s：第 %ld 轮，准确率 %.1f%%%s" :
		    "%s: epoch %ld, accuracy %.1f%%%s", name,
		    en->epoch, 100 * en->accuracy, st);
	set_text(b, "title", label);
}

/* One panel: run t's regions ($g, or $q for the pitfall) and the points. */
static void
boundary_panel(struct strbuf *b, const struct train *t, const char *grid,
    enum plot_format fmt, int zh, int paneltitle)
{
	char		 label[PLOT_TEXT_MAX];
	size_t		 k, K = (size_t)t->data->classes;
	int		 dumb = fmt == PLOT_FORMAT_DUMB;

	if (paneltitle)
		panel_title(b, t, zh, 0);
	strbuf_printf(b, "plot ");
	if (!dumb)
		strbuf_printf(b, "%s using 1:2:3:4:5 with rgbimage notitle",
		    grid);
	else
		for (k = 0; k < K && k < sizeof class_region - 1; k++)
			strbuf_printf(b, "%s%s index %zu using 1:2 with points "
			    "pt '%c' notitle", k ? ", \\\n  " : "", grid, k,
			    class_region[k]);
	/* images: every point on a dark disc a little larger (a ring
	   round it, drawn the same by cairo and gd) */
	if (!dumb)
		strbuf_printf(b, ", \\\n  $p using 1:2 with points pt 7 ps %s "
		    "lc rgb '#333333' notitle",
		    fmt == PLOT_FORMAT_PDF ? "0.45" : "1.05");
	for (k = 0; k < K; k++) {
		strbuf_printf(b, ", \\\n  $p index %zu using 1:2 with points ",
		    k);
		if (dumb)
			strbuf_printf(b, "pt '%c'", class_point[k %
			    (sizeof class_point - 1)]);
		else
			strbuf_printf(b, "pt 7 ps %s lc rgb '#%06X'",
			    fmt == PLOT_FORMAT_PDF ? "0.35" : "0.8",
			    class_rgb[k % NCOLOURS]);
		if (k < CLASSES_KEYED) {
			if (dumb && k < sizeof class_region - 1)
				snprintf(label, sizeof label, zh ?
				    "类 %zu（区域 %c）" : "class %zu (region %c)",
				    k, class_region[k]);
			else
				snprintf(label, sizeof label, zh ? "类 %zu" :
				    "class %zu", k);
			key_title(b, label, dumb);
		} else
			strbuf_printf(b, " notitle");
	}
	strbuf_printf(b, "\n");
}

/*
 * Multilabel data: each label k has its own probability sigmoid(z_k) (the
 * model a learner would deploy, a pitfall's run too), and its own decision
 * boundary, the curve where it is 0.5.  The picture: those curves, one
 * colour a label, over a background tinted by each label predicted (so a
 * region's tint is its combination of labels), and the points, one marker
 * a combination of their labels.
 */

/* The probability of each label of t at the m points x into p (m x K):
   sigmoid(z_k); NaN where z_k is not finite (a diverged run). */
static int
label_probabilities(const struct train *t, const struct mat *x,
    struct mat *p, struct err *e)
{
	struct mat	 z = MAT_INIT;
	size_t		 i, K = (size_t)t->data->classes;

	if (train_predict(t, x, &z, e) != 0)
		return -1;
	if (z.cols != K) {
		mat_free(&z);
		return err_set(e, "boundary: %zu outputs for %zu labels",
		    z.cols, K);
	}
	*p = z;
	for (i = 0; i < x->rows * K; i++)
		p->v[i] = isfinite(p->v[i]) ? activation_sigmoid(p->v[i]) :
		    NAN;
	return 0;
}

/* A pixel of the multilabel background: white, tinted multiplicatively by
   the colour of each label predicted (p_k > 0.5), by up to 35% as the
   label is surer (|2 p_k - 1|). */
static void
label_pixel(struct strbuf *b, const double *p, size_t K)
{
	double	ch[3] = { 255, 255, 255 }, c;
	size_t	k;
	int	s;

	for (k = 0; k < K; k++) {
		if (!isfinite(p[k])) {
			strbuf_printf(b, " 200 200 200\n");
			return;
		}
		if (p[k] <= 0.5)
			continue;
		c = 0.35 * (2 * p[k] - 1);
		for (s = 0; s < 3; s++)
			ch[s] *= 1 - c * (1 - (double)((class_rgb[k %
			    NCOLOURS] >> (16 - 8 * s)) & 0xff) / 255);
	}
	strbuf_printf(b, " %d %d %d\n", (int)lround(ch[0]),
	    (int)lround(ch[1]), (int)lround(ch[2]));
}

/* The point where v crosses 0.5 on the edge from (xa, ya) with value a to
   (xb, yb) with b (linear between them), appended as "x y". */
static void
contour_point(struct strbuf *b, double xa, double ya, double a, double xb,
    double yb, double bv)
{
	double	f = (0.5 - a) / (bv - a);

	num(b, xa + f * (xb - xa));
	strbuf_add(b, " ", 1);
	num(b, ya + f * (yb - ya));
	strbuf_add(b, "\n", 1);
}

/*
 * Label k's boundary, p_k = 0.5, on the grid of cell centres (gx x gy,
 * values p[(j gx + i) K + k], centres cx[i], cy[j]) by marching squares:
 * in each square of four neighbouring centres, the edges whose ends lie
 * on either side of 0.5 are cut where the linear interpolation is 0.5 and
 * the cuts joined in pairs (a saddle, four cuts, joined as the square's
 * mean says); a square with a NaN corner is skipped.  Each segment is two
 * lines "x y" and a blank line (gnuplot: a new line).  Returns the number
 * of segments.
 */
static size_t
contour_block(struct strbuf *b, const double *p, size_t K, size_t k,
    size_t gx, size_t gy, const double *cx, const double *cy)
{
	size_t	i, j, n = 0, m, c;
	double	v[4], xs[4], ys[4];
	int	cut[4], a, bidx, pair[4];

	for (j = 0; j + 1 < gy; j++)
		for (i = 0; i + 1 < gx; i++) {
			/* corners: 0 (i,j), 1 (i+1,j), 2 (i+1,j+1),
			   3 (i,j+1); edge c from corner c to c+1 */
			v[0] = p[(j * gx + i) * K + k];
			v[1] = p[(j * gx + i + 1) * K + k];
			v[2] = p[((j + 1) * gx + i + 1) * K + k];
			v[3] = p[((j + 1) * gx + i) * K + k];
			xs[0] = xs[3] = cx[i];
			xs[1] = xs[2] = cx[i + 1];
			ys[0] = ys[1] = cy[j];
			ys[2] = ys[3] = cy[j + 1];
			if (isnan(v[0] + v[1] + v[2] + v[3]))
				continue;
			for (m = 0, c = 0; c < 4; c++) {
				cut[c] = (v[c] > 0.5) != (v[(c + 1) % 4] > 0.5);
				if (cut[c])
					pair[m++] = (int)c;
			}
			if (m == 4) {
				/* a saddle: the mean on corner 0's side
				   joins 0 with 2, cutting off 1 and 3 */
				double	mean = (v[0] + v[1] + v[2] + v[3]) / 4;

				if ((mean > 0.5) == (v[0] > 0.5)) {
					pair[0] = 0; pair[1] = 1;
					pair[2] = 2; pair[3] = 3;
				} else {
					pair[0] = 3; pair[1] = 0;
					pair[2] = 1; pair[3] = 2;
				}
			} else if (m != 2)
				continue;
			for (c = 0; c < m; c += 2) {
				for (a = 0; a < 2; a++) {
					int	e0 = pair[c + (size_t)a];

					bidx = (e0 + 1) % 4;
					contour_point(b, xs[e0], ys[e0], v[e0],
					    xs[bidx], ys[bidx], v[bidx]);
				}
				strbuf_add(b, "\n", 1);
				n++;
			}
		}
	return n;
}

/* Run t's multilabel grid: the background as datablock NAME (images: x y
   r g b) and the boundaries as CNAME, one index a label (text: only the
   boundaries). */
static int
label_grid_block(struct strbuf *b, const struct train *t,
    const double box[4], size_t gx, size_t gy, int dumb, const char *name,
    const char *cname, struct err *e)
{
	struct mat	 x = MAT_INIT, p = MAT_INIT;
	double		*cx, *cy;
	size_t		 i, j, k, K = (size_t)t->data->classes;

	cx = malloc(gx * sizeof *cx);
	cy = malloc(gy * sizeof *cy);
	if (cx == NULL || cy == NULL || mat_alloc(&x, 2, gx * gy, 2, e) != 0) {
		free(cx);
		free(cy);
		return cx == NULL || cy == NULL ? err_set(e, "out of memory") :
		    -1;
	}
	for (i = 0; i < gx; i++)
		cx[i] = box[0] + (box[1] - box[0]) * ((double)i + 0.5) /
		    (double)gx;
	for (j = 0; j < gy; j++)
		cy[j] = box[2] + (box[3] - box[2]) * ((double)j + 0.5) /
		    (double)gy;
	for (j = 0; j < gy; j++)
		for (i = 0; i < gx; i++) {
			MAT_AT(&x, j * gx + i, 0) = cx[i];
			MAT_AT(&x, j * gx + i, 1) = cy[j];
		}
	if (label_probabilities(t, &x, &p, e) != 0) {
		mat_free(&x);
		free(cx);
		free(cy);
		return -1;
	}
	if (!dumb) {
		strbuf_printf(b, "%s << EOD\n", name);
		for (i = 0; i < gx * gy; i++) {
			strbuf_printf(b, "%.10g %.10g", MAT_AT(&x, i, 0),
			    MAT_AT(&x, i, 1));
			label_pixel(b, p.v + i * K, K);
		}
		strbuf_printf(b, "EOD\n");
	}
	strbuf_printf(b, "%s << EOD\n", cname);
	for (k = 0; k < K; k++) {
		if (k > 0)
			strbuf_printf(b, "\n\n");
		(void)contour_block(b, p.v, K, k, gx, gy, cx, cy);
		/* a label with no boundary in the box still needs a line */
		strbuf_printf(b, "NaN NaN\n");
	}
	strbuf_printf(b, "EOD\n");
	mat_free(&x);
	mat_free(&p);
	free(cx);
	free(cy);
	return 0;
}

/* Image point types, one a combination of labels (filled, then open). */
static const int combo_pt[] = { 7, 5, 9, 11, 13, 15, 6, 4, 8, 10, 12, 14,
    1, 2, 3 };
#define NCOMBO_PT	(sizeof combo_pt / sizeof combo_pt[0])

/* A combination's name: "no label", "label 1", "labels 0+2". */
static void
combo_name(size_t g, size_t K, int zh, char *buf, size_t len)
{
	size_t	k, n = 0, ones = 0;

	for (k = 0; k < K; k++)
		ones += (g >> k) & 1;
	if (ones == 0) {
		snprintf(buf, len, "%s", zh ? "无标签" : "no label");
		return;
	}
	n = (size_t)snprintf(buf, len, "%s", zh ? "标签 " : ones == 1 ?
	    "label " : "labels ");
	for (k = 0; k < K && n < len; k++)
		if ((g >> k) & 1)
			n += (size_t)snprintf(buf + n, len - n, "%s%zu",
			    n > 0 && buf[n - 1] != ' ' ? "+" : "", k);
}

/* One multilabel panel: run t's background (grid) and boundaries (cgrid),
   the points by combination; key entries for the lines (keyed_panel & 1)
   and the markers (& 2). */
static void
label_panel(struct strbuf *b, const struct train *t, const char *grid,
    const char *cgrid, enum plot_format fmt, int zh, int paneltitle,
    int keyed_panel)
{
	const struct data	*d = t->data;
	char		 label[PLOT_TEXT_MAX];
	size_t		 k, g, K = (size_t)d->classes, G = point_groups(d);
	size_t		 i, keyed = 0, *count;
	int		 dumb = fmt == PLOT_FORMAT_DUMB, first = 1;

	if (paneltitle)
		panel_title(b, t, zh, 1);
	strbuf_printf(b, "plot ");
	if (!dumb) {
		strbuf_printf(b, "%s using 1:2:3:4:5 with rgbimage notitle",
		    grid);
		first = 0;
	}
	/* the boundaries, a colour (text: a line type) a label */
	for (k = 0; k < K; k++) {
		strbuf_printf(b, "%s%s index %zu using 1:2 with lines ",
		    first ? "" : ", \\\n  ", cgrid, k);
		first = 0;
		if (dumb)
			strbuf_printf(b, "lt %zu", k + 1);
		else
			strbuf_printf(b, "lw %s lc rgb '#%06X'", fmt ==
			    PLOT_FORMAT_PDF ? "1.5" : "2.5",
			    class_rgb[k % NCOLOURS]);
		snprintf(label, sizeof label, zh ? "标签 %zu：p = 0.5" :
		    "label %zu: p = 0.5", k);
		if (keyed_panel & 1)
			key_title(b, label, dumb);
		else
			strbuf_printf(b, " notitle");
	}
	/* the points: a marker a combination, keyed where there are some */
	count = calloc(G, sizeof *count);
	for (i = 0; count != NULL && i < d->n; i++)
		count[(size_t)data_group(d, i)]++;
	for (g = 0; g < G; g++) {
		strbuf_printf(b, ", \\\n  $p index %zu using 1:2 with points ",
		    g);
		if (dumb)
			strbuf_printf(b, "pt '%c'", class_point[g %
			    (sizeof class_point - 1)]);
		else
			strbuf_printf(b, "pt %d ps %s lc rgb '#333333'",
			    combo_pt[g % NCOMBO_PT], fmt == PLOT_FORMAT_PDF ?
			    "0.35" : "0.8");
		if ((keyed_panel & 2) && (count == NULL || count[g] > 0) &&
		    keyed < CLASSES_KEYED) {
			combo_name(g, K, zh, label, sizeof label);
			key_title(b, label, dumb);
			keyed++;
		} else
			strbuf_printf(b, " notitle");
	}
	free(count);
	strbuf_printf(b, "\n");
}

static int
boundary_script(const struct plot_train_req *r, enum plot_format fmt, int w,
    int h, int zh, struct strbuf *b, struct err *e)
{
	const struct train	*t = r->run, *p = r->pitfall;
	const struct data	*d = t->data;
	double			 box[4];
	size_t			 gx, gy, step;
	int			 dumb = fmt == PLOT_FORMAT_DUMB;
	int			 panels = p != NULL ? 2 : 1, ml = d->multilabel;
	char			 what[PLOT_TEXT_MAX];
	const char		*heading = ml ? zh ? "决策边界" :
				    "Decision boundaries" : zh ? "决策区域" :
				    "Decision regions";

	data_bounds(d, 0.1, box);
	if (dumb) {
		/* about one grid point a character cell of a panel */
		gx = (size_t)(w / panels > 24 ? w / panels - 12 : 12);
		gy = (size_t)(h > 16 ? h - 10 : 6);
	} else
		gx = gy = GRID_IMAGE;
	step = d->n > POINTS_MAX ? (d->n + POINTS_MAX - 1) / POINTS_MAX : 1;
	frame(b, fmt, w, h, zh);
	if (ml) {
		/* the boundaries are lines: a fine grid, text too */
		if (dumb)
			gx = gy = GRID_IMAGE / 2;
		if (label_grid_block(b, t, box, gx, gy, dumb, "$g", "$c",
		    e) != 0 || (p != NULL && label_grid_block(b, p, box, gx, gy,
		    dumb, "$q", "$r", e) != 0))
			return -1;
	} else if (grid_block(b, t, box, gx, gy, dumb, "$g", e) != 0 ||
	    (p != NULL && grid_block(b, p, box, gx, gy, dumb, "$q", e) != 0))
		return -1;
	if (points_block(b, d, step, e) != 0)
		return -1;
	strbuf_printf(b, "set xrange [");
	num(b, box[0]);
	strbuf_add(b, ":", 1);
	num(b, box[1]);
	strbuf_printf(b, "]\nset yrange [");
	num(b, box[2]);
	strbuf_add(b, ":", 1);
	num(b, box[3]);
	strbuf_printf(b, "]\n");
	if (!dumb)
		strbuf_printf(b, "set size ratio -1\nset tics front\n"
		    "unset grid\n");
	set_text(b, "xlabel", "x1");
	if (!dumb) {
		/* what the colours mean, once, below the panels */
		if (ml)
			snprintf(what, sizeof what, zh ?
			    "线：各标签概率为 0.5 处；底色：预测的标签%s" :
			    "lines: the probability of a label is 0.5 there; "
			    "tint: the labels predicted%s", step > 1 ? zh ?
			    "（只画部分点）" : " (some points drawn)" : "");
		else if (step > 1)
			snprintf(what, sizeof what, zh ?
			    "颜色：预测的类，越淡越不确定；每 %zu 个点画一个" :
			    "colour: the predicted class, paler where the model "
			    "is less sure; one point in %zu drawn", step);
		else
			snprintf(what, sizeof what, zh ?
			    "颜色：预测的类，越淡越不确定" :
			    "colour: the predicted class, paler where the model "
			    "is less sure");
		strbuf_printf(b, "set label 1 ");
		quote(b, what);
		strbuf_printf(b, " at screen 0.5, screen 0.022 center\n");
		/* the key under the x label, above the note */
		/* (multilabel: a longer key, the labels' lines and the
		   combinations) */
		strbuf_printf(b, "set key at graph 0.5, screen %s center "
		    "top horizontal\nset bmargin at screen %s\n"
		    "set tmargin at screen 0.86\n", ml ? "0.2" : "0.11",
		    ml ? "0.29" : "0.2");
	}
	set_text(b, "ylabel", "x2");
	if (dumb && h < 14)
		strbuf_printf(b, "unset key\n");
	if (panels == 2) {
		strbuf_printf(b, "set multiplot layout 1,2 ");
		if (!dumb || h >= 20) {
			strbuf_printf(b, "title ");
			if (r->title != NULL)
				quote(b, r->title);
			else {
				char	setup[PLOT_TEXT_MAX];

				setup_text(t, zh, setup, sizeof setup);
				snprintf(what, sizeof what, zh ? "%s：%s" :
				    "%s: %s", heading, setup);
				quote(b, what);
			}
			/* as large as a single plot's title (frame()) */
			if (fmt == PLOT_FORMAT_PNG)
				strbuf_printf(b, " font ',14'");
			else if (fmt == PLOT_FORMAT_SVG)
				strbuf_printf(b, " font ',16'");
			else if (fmt == PLOT_FORMAT_PDF)
				strbuf_printf(b, " font ',5.8'");
			else if (fmt == PLOT_FORMAT_SIXEL)
				strbuf_printf(b, " font ',%d'", sixel_points(h));
		}
		/* images: room below the panels for the keys and the note */
		if (!dumb)
			strbuf_printf(b, " margins 0.09, 0.98, %s, 0.86 "
			    "spacing 0.08, 0", ml ? "0.31" : "0.22");
		strbuf_printf(b, "\n");
		if (ml) {
			/* the labels and combinations are the same in both:
			   images key the lines under the one, the markers
			   under the other */
			label_panel(b, t, "$g", "$c", fmt, zh, !dumb || h >= 20,
			    dumb ? 3 : 1);
			label_panel(b, p, "$q", "$r", fmt, zh, !dumb || h >= 20,
			    dumb ? 3 : 2);
		} else {
			boundary_panel(b, t, "$g", fmt, zh, !dumb || h >= 20);
			boundary_panel(b, p, "$q", fmt, zh, !dumb || h >= 20);
		}
		strbuf_printf(b, "unset multiplot\n");
	} else if (ml && !dumb) {
		/* the title centred on the page, not over the square panel
		   (whose right a long one would run past) */
		char	setup[PLOT_TEXT_MAX];

		if (r->title == NULL) {
			setup_text(t, zh, setup, sizeof setup);
			snprintf(what, sizeof what, zh ? "%s：%s" : "%s: %s",
			    heading, setup);
		}
		strbuf_printf(b, "set label 2 ");
		quote(b, r->title != NULL ? r->title : what);
		strbuf_printf(b, " at screen 0.5, screen 0.94 center");
		if (fmt == PLOT_FORMAT_PNG)
			strbuf_printf(b, " font ',14'");
		else if (fmt == PLOT_FORMAT_SVG)
			strbuf_printf(b, " font ',16'");
		else if (fmt == PLOT_FORMAT_PDF)
			strbuf_printf(b, " font ',5.8'");
		else if (fmt == PLOT_FORMAT_SIXEL)
			strbuf_printf(b, " font ',%d'", sixel_points(h));
		strbuf_printf(b, "\n");
		label_panel(b, t, "$g", "$c", fmt, zh, 0, 3);
	} else {
		if (!dumb || h >= 20)
			title(b, r, heading, zh, "title");
		if (ml)
			label_panel(b, t, "$g", "$c", fmt, zh, 0, 3);
		else
			boundary_panel(b, t, "$g", fmt, zh, 0);
	}
	return 0;
}

/* --- calibration -------------------------------------------------------------- */

int
plot_train_calibration(const struct train *t, size_t *count, double *conf,
    double *freq, double *ece, struct err *e)
{
	struct mat	 p = MAT_INIT;
	double		 sp[PLOT_TRAIN_BINS], sy[PLOT_TRAIN_BINS], pi, used = 0;
	size_t		 i, bin;
	int		 b;

	if (binary_task(t, e) != 0)
		return -1;
	if (probabilities(t, &t->data->x, &p, e) != 0)
		return -1;
	for (b = 0; b < PLOT_TRAIN_BINS; b++) {
		count[b] = 0;
		sp[b] = sy[b] = 0;
	}
	for (i = 0; i < t->data->n; i++) {
		pi = MAT_AT(&p, i, 1);	/* the probability of class 1 */
		if (!isfinite(pi))
			continue;
		/* bin b holds [b/B, (b+1)/B); p = 1 goes to the last */
		bin = (size_t)(pi * PLOT_TRAIN_BINS);
		if (bin >= PLOT_TRAIN_BINS)
			bin = PLOT_TRAIN_BINS - 1;
		count[bin]++;
		sp[bin] += pi;
		sy[bin] += t->data->y.v[i] > 0.5 ? 1 : 0;
		used++;
	}
	*ece = used > 0 ? 0 : NAN;
	for (b = 0; b < PLOT_TRAIN_BINS; b++) {
		conf[b] = count[b] ? sp[b] / (double)count[b] : NAN;
		freq[b] = count[b] ? sy[b] / (double)count[b] : NAN;
		/* ECE = sum_b (n_b / n) |freq_b - conf_b| */
		if (count[b] && used > 0)
			*ece += (double)count[b] / used * fabs(freq[b] -
			    conf[b]);
	}
	mat_free(&p);
	return 0;
}

/*
 * $c: per bin, its centre, then for each run the mean predicted
 * probability, the observed frequency and the count.
 */
static int
calibration_script(const struct plot_train_req *r, enum plot_format fmt,
    int w, int h, int zh, struct strbuf *b, struct err *e)
{
	const struct train	*run[2] = { r->run, r->pitfall };
	size_t			 count[2][PLOT_TRAIN_BINS];
	double			 conf[2][PLOT_TRAIN_BINS];
	double			 freq[2][PLOT_TRAIN_BINS], ece[2];
	char			 label[PLOT_TEXT_MAX], st[64];
	int			 nrun = r->pitfall != NULL ? 2 : 1, k, bin;
	int			 dumb = fmt == PLOT_FORMAT_DUMB;
	double			 bw = 1.0 / PLOT_TRAIN_BINS, most = 1, step;

	for (k = 0; k < nrun; k++)
		if (plot_train_calibration(run[k], count[k], conf[k], freq[k],
		    &ece[k], e) != 0)
			return -1;
	frame(b, fmt, w, h, zh);
	/* an empty bin is skipped, the line drawn across it */
	strbuf_printf(b, "set datafile missing 'NaN'\n");
	strbuf_printf(b, "$c << EOD\n");
	for (bin = 0; bin < PLOT_TRAIN_BINS; bin++) {
		num(b, (bin + 0.5) * bw);
		for (k = 0; k < nrun; k++) {
			strbuf_add(b, " ", 1);
			num(b, conf[k][bin]);
			strbuf_add(b, " ", 1);
			num(b, freq[k][bin]);
			strbuf_printf(b, " %zu", count[k][bin]);
		}
		strbuf_add(b, "\n", 1);
	}
	strbuf_printf(b, "EOD\n");
	strbuf_printf(b, "set multiplot\n");
	/* the diagram: the upper 70% */
	strbuf_printf(b, "set lmargin 10\nset rmargin 4\n");
	strbuf_printf(b, "set origin 0,0.3\nset size 1,0.7\n");
	if (!dumb || h >= 20)
		title(b, r, zh ? "可靠性图（校准）" : "Reliability diagram",
		    zh, "title");
	strbuf_printf(b, "set xrange [0:1]\nset yrange [0:1]\n"
	    "set format x ''\nunset xlabel\n");
	if (!dumb)
		set_text(b, "ylabel", zh ? "观察到的类 1 频率" :
		    "observed frequency of class 1");
	strbuf_printf(b, "set key inside top left vertical\n");
	if (dumb && h < 14)
		strbuf_printf(b, "unset key\n");
	strbuf_printf(b, "plot x with lines %s", dumb ? "lt 3" : "ls 20");
	key_title(b, zh ? "完美校准" : "perfectly calibrated", dumb);
	for (k = 0; k < nrun; k++) {
		status_text(run[k], zh, st, sizeof st);
		snprintf(label, sizeof label, zh ? "%s：ECE %.3f%s" :
		    "%s: ECE %.3f%s", k ? pitfall_name(run[k]->spec.pitfall) :
		    loss_name(run[k]->spec.loss), ece[k], st);
		strbuf_printf(b, ", \\\n  $c using %d:%d with linespoints ",
		    2 + 3 * k, 3 + 3 * k);
		if (dumb)
			strbuf_printf(b, "lt %d pt '%c'", k + 1, k ? 'o' : '*');
		else
			strbuf_printf(b, "ls %d pt 7 ps %s", k + 1,
			    fmt == PLOT_FORMAT_PDF ? "0.5" : "1.2");
		key_title(b, label, dumb);
	}
	strbuf_printf(b, "\n");
	/* the counts: the lower 30%, each run's bars side by side */
	strbuf_printf(b, "set origin 0,0\nset size 1,0.3\nunset title\n"
	    "set format x '%%g'\nset yrange [0:*]\nunset key\n");
	set_text(b, "xlabel", zh ? "预测的类 1 概率（每格 0.1）" :
	    "predicted probability of class 1 (bins of 0.1)");
	if (!dumb)
		set_text(b, "ylabel", zh ? "点数" : "points");
	/* two or three tics: a step of 1, 2 or 5 times a power of 10 */
	for (k = 0; k < nrun; k++)
		for (bin = 0; bin < PLOT_TRAIN_BINS; bin++)
			if ((double)count[k][bin] > most)
				most = (double)count[k][bin];
	/* the smallest of 1, 2, 5, 10, 20, ... that gives at most 3 steps */
	for (step = 1; most / step > 3; )
		step *= fmod(log10(step), 1) == 0 ? 2 : step / pow(10,
		    floor(log10(step))) == 2 ? 2.5 : 2;
	strbuf_printf(b, "unset mytics\nset ytics 0, %.0f\n", step);
	strbuf_printf(b, "set style fill solid 0.6 noborder\nset boxwidth ");
	num(b, bw / (nrun + 0.5));
	strbuf_printf(b, " absolute\nplot ");
	for (k = 0; k < nrun; k++) {
		strbuf_printf(b, "%s$c using ($1", k ? ", " : "");
		if (nrun == 2)
			strbuf_printf(b, "%s", k ? "+" : "-");
		if (nrun == 2)
			num(b, bw / 4.5);
		strbuf_printf(b, "):%d with boxes ", 4 + 3 * k);
		if (dumb)
			strbuf_printf(b, "lt %d", k + 1);
		else
			strbuf_printf(b, "ls %d", k + 1);
		strbuf_printf(b, " notitle");
	}
	strbuf_printf(b, "\nunset multiplot\n");
	return 0;
}

/* --- script, render, export ------------------------------------------------ */

int
plot_train_script(const struct plot_train_req *r, enum plot_format fmt,
    int w, int h, struct strbuf *b, struct err *e)
{
	int	zh, rc;

	if (plot_train_check(r, e) != 0)
		return -1;
	if (r->pitfall != NULL && r->pitfall->data != r->run->data)
		return err_set(e, "the two runs have different data");
	/* Chinese where the terminal can show it (as plot.c) */
	zh = r->lang != NULL && strcmp(r->lang, "zh") == 0 &&
	    (fmt == PLOT_FORMAT_SVG || fmt == PLOT_FORMAT_DUMB ||
	    plot_have_cjk_font());
	switch (r->kind) {
	case PLOT_TRAIN_BOUNDARY:
		rc = boundary_script(r, fmt, w, h, zh, b, e);
		break;
	case PLOT_TRAIN_CALIBRATION:
		rc = calibration_script(r, fmt, w, h, zh, b, e);
		break;
	default:
		rc = history_script(r, fmt, w, h, zh, b, e);
		break;
	}
	if (rc != 0)
		return -1;
	strbuf_printf(b, "unset output\n");
	if (b->oom)
		return err_set(e, "out of memory");
	return 0;
}

static int
clamp_int(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int
plot_train_render(const struct plot_train_req *r, enum plot_format fmt,
    int w, int h, struct strbuf *o, struct err *e)
{
	struct strbuf	 b = STRBUF_INIT;
	int		 rc = -1;

	if (w <= 0 || h <= 0) {
		w = fmt == PLOT_FORMAT_DUMB ? 80 : 960;
		h = fmt == PLOT_FORMAT_DUMB ? 24 : 540;
	}
	if (fmt == PLOT_FORMAT_DUMB) {
		w = clamp_int(w, 20, 500);
		h = clamp_int(h, 10, 500);
	} else if (w < 100 || h < 100 || w > 10000 || h > 10000)
		return err_set(e, "size %dx%d out of range (100 to 10000)", w,
		    h);
	if (plot_train_script(r, fmt, w, h, &b, e) != 0)
		goto done;
	if (plot_run(b.p, b.len, o, e) != 0)
		goto done;
	/* what gnuplot wrote is checked before anyone keeps it */
	rc = plot_job_check(fmt, o, e);
done:
	strbuf_free(&b);
	return rc;
}

int
plot_train_export(const struct plot_train_req *r, const char *path,
    enum plot_format fmt, int w, int h, struct err *e)
{
	struct strbuf	 o = STRBUF_INIT;
	int		 rc = -1;

	/* plot.c's writer, as `losslab plot --out`: a link is refused
	   before gnuplot runs and again before the rename */
	if (plot_save_ok(path, e) != 0)
		return -1;
	if (plot_train_render(r, fmt, w, h, &o, e) == 0)
		rc = plot_save(path, o.p, o.len, e);
	strbuf_free(&o);
	return rc;
}
