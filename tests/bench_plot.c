/*
 * bench_plot.c -- the plot refresh time the explorer sees, in process:
 * plot_dumb() = compute the curves (the core) + run gnuplot's dumb terminal
 * + parse its lines, at 80x24.  Prints the median, min and max of N runs
 * (default 50) per plot kind and over all kinds.  A benchmark, not a test:
 * built by `make plots-bench`, which also times the gallery.
 *
 *   tests/bench_plot [RUNS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "plot.h"

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

int
main(int argc, char **argv)
{
	struct plot_req		 r;
	struct plot_text	 t;
	struct err		 e;
	double			*all, *one, s;
	int			 runs = argc > 1 ? atoi(argv[1]) : 50, k, i, n = 0;

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
	for (k = 0; k < PLOT_KIND_COUNT; k++) {
		plot_req_init(&r, (enum plot_kind)k);
		r.has_mark = 1;
		r.mark = k == PLOT_BCE_CURVE ? 0.3 : 1;
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
		printf("refresh %-16s median %6.2f ms  (min %.2f, max %.2f)\n",
		    plot_kind_name(k), one[runs / 2], one[0], one[runs - 1]);
	}
	qsort(all, (size_t)n, sizeof *all, cmp);
	printf("refresh, all kinds: median %.2f ms over %d runs "
	    "(target <= 30 ms)\n", all[n / 2], n);
	free(all);
	free(one);
	return (0);
}
