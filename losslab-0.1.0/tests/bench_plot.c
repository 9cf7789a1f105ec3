/*
 * bench_plot.c -- the plot refresh time the explorer sees, in process:
 * plot_dumb() = compute the curves (the core) + run gnuplot's dumb terminal
 * + parse its lines, at 80x24.  Prints the median, min and max of N runs
 * (default 50) per plot kind and over all kinds, for the canonical curves
 * and for cell mode (the curves of one cell of a 2x3 step, as the explorer
 * asks for them).  A benchmark, not a test: built by `make plots-bench`,
 * which also times the gallery.
 *
 *   tests/bench_plot [RUNS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plot.h"

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

/* A 2x3 step for kind k in cell mode, following cell (1, 2). */
static void
cell_req(enum plot_kind k, struct plot_req *r, struct curve_cells *cc,
    struct loss_opts *o)
{
	static double	 logits[] = { 2, 1, 0.1, 0.5, 2, 0.3 };
	static double	 probs[] = { 0.9, 0.2, 0.5, 0.4, 0.7, 0.3 };
	static double	 labels[] = { 1, 0, 1, 0, 1, 1 };
	static double	 index[] = { 0, 2 };
	static struct mat in, tg;
	enum loss_id	 loss = plot_kind_loss(k);

	if (loss == LOSS_COUNT)
		loss = LOSS_SOFT_MARGIN;
	in = (struct mat){ 2, 2, 3, loss == LOSS_BCE ? probs : logits };
	if (loss == LOSS_CE)
		tg = (struct mat){ 1, 1, 2, index };
	else
		tg = (struct mat){ 2, 2, 3, labels };
	loss_opts_init(o);
	memset(cc, 0, sizeof *cc);
	cc->loss = loss;
	cc->pitfall = plot_kind_pitfall(k);
	cc->input = &in;
	cc->target = &tg;
	cc->opts = o;
	cc->ncells = 1;
	cc->cells[0].r = 1;
	cc->cells[0].c = 2;
	plot_req_init(r, k);
	r->cells = cc;
}

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* Every kind `runs` times, canonical or in cell mode; 0 or 2. */
static int
bench(int cell, int runs, double *all, double *one)
{
	struct plot_req		 r;
	struct plot_text	 t;
	struct curve_cells	 cc;
	struct loss_opts	 o;
	struct err		 e;
	double			 s;
	int			 k, i, n = 0;

	for (k = 0; k < PLOT_KIND_COUNT; k++) {
		if (cell)
			cell_req((enum plot_kind)k, &r, &cc, &o);
		else {
			plot_req_init(&r, (enum plot_kind)k);
			r.has_mark = 1;
			r.mark = k == PLOT_BCE_CURVE ? 0.3 : 1;
		}
		for (i = 0; i < runs; i++) {
			s = now_ms();
			if (plot_dumb(&r, 80, 24, &t, &e) == -1) {
				fprintf(stderr, "bench_plot: %s: %s\n",
				    plot_kind_name(k), e.msg);
				return (2);
			}
			one[i] = all[n++] = now_ms() - s;
			plot_text_free(&t);
		}
		qsort(one, (size_t)runs, sizeof *one, cmp);
		printf("refresh %s%-16s median %6.2f ms  (min %.2f, "
		    "max %.2f)\n", cell ? "cells " : "", plot_kind_name(k),
		    one[runs / 2], one[0], one[runs - 1]);
	}
	qsort(all, (size_t)n, sizeof *all, cmp);
	printf("refresh%s, all kinds: median %.2f ms over %d runs "
	    "(target <= 30 ms)\n", cell ? " in cell mode" : "", all[n / 2], n);
	return (0);
}

int
main(int argc, char **argv)
{
	double	*all, *one;
	int	 runs = argc > 1 ? atoi(argv[1]) : 50, rc;

	if (runs < 1 || runs > 100000)
		runs = 50;
	if (!plot_available()) {
		fprintf(stderr, "bench_plot: gnuplot not found\n");
		return (2);
	}
	all = calloc((size_t)runs * PLOT_KIND_COUNT, sizeof *all);
	one = calloc((size_t)runs, sizeof *one);
	if (all == NULL || one == NULL)
		return (2);
	if ((rc = bench(0, runs, all, one)) == 0)
		rc = bench(1, runs, all, one);
	free(all);
	free(one);
	return (rc);
}
