/*
 * sidebyside.c -- the correct and the pitfall pipelines side by side (see
 * sidebyside.h).  Every number comes from the session's comparison
 * (session_cmp: the correct loss and pitfall_eval on the same values); the
 * pane only lays them out, labels them and marks where they differ.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "step.h"
#include "template.h"
#include "text.h"
#include "ui/colors.h"
#include "ui/draw.h"
#include "ui/sidebyside.h"

int
sidebyside_differ(double a, double b)
{
	char	x[64], y[64];

	/* Different when the difference shows at the displayed precision. */
	step_fmt(a, 6, x, sizeof x);
	step_fmt(b, 6, y, sizeof y);
	return strcmp(x, y) != 0;
}

/* Render a step template (placeholders computed by step.c) into out. */
static void
sbs_tmpl(const struct step *s, char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void
sbs_tmpl(const struct step *s, char *out, size_t len, const char *fmt, ...)
{
	char	 t[96], *r;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(t, sizeof t, fmt, ap);
	va_end(ap);
	r = template_render(s, t, NULL);
	snprintf(out, len, "%s", r != NULL ? r : "");
	free(r);
}

void
sidebyside_diff(const struct step *s, char *buf, size_t len)
{
	char	d[64];
	size_t	o = 0, n;

	if (len == 0)
		return;
	sbs_tmpl(s, d, sizeof d, "{diff:4}");
	if (d[0] != '-' && len > 1)
		buf[o++] = '+';
	n = strlen(d);
	if (n > len - 1 - o)
		n = len - 1 - o;
	memcpy(buf + o, d, n);
	buf[o + n] = '\0';
}

struct sbs {
	const struct step *s;
	WINDOW	*w;
	int	 y, x, cols;
	int	 lw, cw;	/* label column, each value column */
	int	 n;		/* lines used */
};

/* One row: label, correct text, pitfall text (roles given). */
static void
sbs_row(struct sbs *b, const char *label, int lrole, const char *left,
    int role_l, const char *right, int role_r)
{
	if (b->w != NULL) {
		draw_str(b->w, b->y + b->n, b->x, b->lw - 1, lrole, label);
		draw_str(b->w, b->y + b->n, b->x + b->lw, b->cw - 1, role_l,
		    left);
		draw_str(b->w, b->y + b->n, b->x + b->lw + b->cw, b->cw,
		    role_r, right);
	}
	b->n++;
}

/* A full-width wrapped line. */
static void
sbs_line(struct sbs *b, const char *text, int role)
{
	if (b->w != NULL)
		b->n += draw_wrapped(b->w, b->y + b->n, b->x, b->cols, -1,
		    role, text);
	else
		b->n += draw_wrapped_lines(text, b->cols);
}

/* A row of wrapped text in both columns (error messages). */
static void
sbs_wrapped(struct sbs *b, const char *label, const char *left,
    const char *right, int role_r)
{
	int	nl, nr;

	nl = draw_wrapped_lines(left, b->cw - 1);
	nr = draw_wrapped_lines(right, b->cw);
	if (b->w != NULL) {
		draw_str(b->w, b->y + b->n, b->x, b->lw - 1, ROLE_LABEL,
		    label);
		draw_wrapped(b->w, b->y + b->n, b->x + b->lw, b->cw - 1, -1,
		    ROLE_CODE, left);
		draw_wrapped(b->w, b->y + b->n, b->x + b->lw + b->cw, b->cw,
		    -1, role_r, right);
	}
	b->n += nl > nr ? nl : nr;
	if (nl == 0 && nr == 0)
		b->n++;
}

/* Format v (or "?" when hidden) into buf. */
static const char *
sbs_num(double v, int hidden, char *buf, size_t len)
{
	if (hidden) {
		snprintf(buf, len, "?");
		return buf;
	}
	return step_fmt(v, 6, buf, len);
}

/*
 * List elements [first, first + count) of the two mats a (correct) and p
 * (pitfall) under label; ratio adds "x0.26" (pitfall / correct).
 */
static void
sbs_elems(struct sbs *b, const char *label, const struct mat *a,
    const struct mat *p, size_t first, size_t count, int two_d, size_t row,
    int hidden, int ratio, int role)
{
	char	 lab[64], l[64], r[96], ra[32];
	size_t	 i, shown;
	double	 va, vp;
	int	 differ;

	shown = count < SIDEBYSIDE_ROWS ? count : SIDEBYSIDE_ROWS;
	for (i = 0; i < shown; i++) {
		if (two_d)
			snprintf(lab, sizeof lab, "%s[%zu][%zu]", label, row,
			    i);
		else if (count == 1 && first == 0 && mat_numel(a) == 1)
			snprintf(lab, sizeof lab, "%s", label);
		else
			snprintf(lab, sizeof lab, "%s[%zu]", label, first + i);
		va = first + i < mat_numel(a) ? a->v[first + i] : NAN;
		vp = p != NULL && first + i < mat_numel(p) ?
		    p->v[first + i] : NAN;
		differ = p != NULL && sidebyside_differ(va, vp);
		sbs_num(va, hidden, l, sizeof l);
		if (p == NULL)
			snprintf(r, sizeof r, "-");
		else {
			sbs_num(vp, hidden, r, sizeof r);
			if (ratio && !hidden && va != 0 && isfinite(va) &&
			    isfinite(vp)) {
				/* pitfall / correct, from step.c */
				sbs_tmpl(b->s, ra, sizeof ra,
				    "{ratio.grad[%zu]:2}", first + i);
				snprintf(r + strlen(r), sizeof r - strlen(r),
				    "  ×%s", ra);
			}
		}
		sbs_row(b, lab, ROLE_LABEL, l, role, r,
		    differ && !hidden ? ROLE_DIFF : ROLE_PITFALL);
	}
	if (count > shown) {
		snprintf(l, sizeof l, _("... %zu more"), count - shown);
		sbs_row(b, "", ROLE_LABEL, l, ROLE_LABEL, l, ROLE_LABEL);
	}
}

int
sidebyside_draw(WINDOW *w, int y, int x, int cols, const struct session *ss,
    size_t row, int hidden)
{
	const struct step	*s = &session_cur_const(ss)->st;
	struct session_cmp	 c;
	struct sbs		 b;
	char			 head[256], code[256], l[64], r[96], d[64];
	const struct mat	*pe, *pg, *ce, *cg;
	size_t			 first, count, n;
	int			 two_d, differ;
	const char		*red;

	if (session_cmp(ss, &c) != 0)
		return 0;
	memset(&b, 0, sizeof b);
	b.s = s;
	b.w = w;
	b.y = y;
	b.x = x;
	b.cols = cols;
	/* The label column fits the longest label, within a third. */
	snprintf(head, sizeof head, "%s[%zu][%zu]", loss_grad_label(c.loss),
	    s->input.rows, s->input.cols);
	b.lw = (int)text_width(head);
	if ((int)text_width(_("lowest possible L")) > b.lw)
		b.lw = (int)text_width(_("lowest possible L"));
	if (b.lw < 12)
		b.lw = 12;
	b.lw++;
	if (b.lw > cols / 3)
		b.lw = cols / 3;
	b.cw = (cols - b.lw) / 2;
	if (b.cw < 8)
		b.cw = 8;

	snprintf(head, sizeof head, _("Pitfall: %s — the correct pipeline "
	    "and the mistake, on your inputs"), pitfall_name(c.pitfall));
	if (w != NULL)
		b.n += draw_wrapped(w, y, x, cols, -1, ROLE_PITFALL, head);
	else
		b.n += draw_wrapped_lines(head, cols);
	/* The two PyTorch lines, full width: they are too long for a column. */
	snprintf(code, sizeof code, "%s: %s()(z, y)", _("correct"),
	    loss_torch_name(c.loss));
	sbs_line(&b, code, ROLE_CODE);
	snprintf(code, sizeof code, _("%s: %s"), _("pitfall"),
	    pitfall_torch_code(c.pitfall));
	sbs_line(&b, code, ROLE_PITFALL);
	if (c.as_logits)
		sbs_line(&b, _("(both read your inputs as logits z: what if "
		    "these numbers were the model's raw output?)"), ROLE_LABEL);
	sbs_row(&b, "", ROLE_LABEL, _("correct"), ROLE_CORRECT,
	    _("pitfall"), ROLE_PITFALL);

	if (c.correct == NULL && c.wrong == NULL) {
		sbs_wrapped(&b, _("error"), c.correct_error, c.wrong_error,
		    ROLE_ERROR);
		return b.n;
	}

	/* The reduced value. */
	red = loss_reduction_name(s->opts.reduction);
	snprintf(head, sizeof head, "L (%s)", red);
	if (c.correct != NULL)
		sbs_num(c.correct->value, hidden, l, sizeof l);
	else
		snprintf(l, sizeof l, "%s", _("error"));
	differ = 0;
	if (c.wrong != NULL) {
		sbs_num(c.wrong->value, hidden, r, sizeof r);
		if (c.correct != NULL && !hidden) {
			differ = sidebyside_differ(c.correct->value,
			    c.wrong->value);
			sidebyside_diff(s, d, sizeof d);
			snprintf(r + strlen(r), sizeof r - strlen(r),
			    "  Δ %s", d);
		}
	} else
		snprintf(r, sizeof r, "%s", _("error"));
	sbs_row(&b, head, ROLE_LABEL, l, ROLE_VALUE, r,
	    differ ? ROLE_DIFF : ROLE_PITFALL);
	if (c.correct == NULL)
		sbs_wrapped(&b, "", c.correct_error, "", ROLE_ERROR);
	if (c.wrong == NULL) {
		sbs_wrapped(&b, "", "", c.wrong_error, ROLE_ERROR);
		return b.n;
	}
	if (c.correct == NULL)
		return b.n;
	if (!hidden && isfinite(c.floor)) {
		step_fmt(c.floor, 6, r, sizeof r);
		/* Only the pitfall's floor is computed (by step.c); the
		   correct column is left empty rather than guessed. */
		sbs_row(&b, _("lowest possible L"), ROLE_LABEL,
		    _("(these targets)"), ROLE_LABEL, r, ROLE_PITFALL);
	}

	pe = &c.wrong->elem;
	pg = &c.wrong->grad;
	ce = &c.correct->elem;
	cg = &c.correct->grad;
	/* Per-element (or per-sample) losses. */
	n = mat_numel(ce);
	two_d = ce->ndim == 2;
	if (two_d) {
		first = row * ce->cols;
		count = ce->cols;
	} else {
		first = 0;
		count = n;
	}
	sbs_elems(&b, "ℓ", ce, mat_same_shape(pe, ce) ? pe : NULL, first,
	    count, two_d, row, hidden, 0, ROLE_VALUE);

	/* Gradients: the row's elements for a 2-D input. */
	two_d = cg->ndim == 2;
	if (two_d) {
		first = row * cg->cols;
		count = cg->cols;
	} else {
		first = 0;
		count = mat_numel(cg);
	}
	snprintf(head, sizeof head, "%s", loss_grad_label(c.loss));
	sbs_elems(&b, head, cg, mat_same_shape(pg, cg) ? pg : NULL, first,
	    count, two_d, row, hidden, 1, ROLE_GRADIENT);
	return b.n;
}
