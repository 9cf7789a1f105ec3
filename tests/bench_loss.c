/*
 * bench_loss.c -- the loss core's speed, in process: loss_eval() (value and
 * gradient, reduction mean) on large float64 inputs, in ns per element,
 * beside the machine's memory-bandwidth bound for the same traffic.
 *
 * The bound: a loss reads its input and target and writes its gradient, so
 * it cannot run faster than a pass that reads two arrays of the input's size
 * and writes one (here a plain c[i] = a[i] + b[i] loop, which the compiler
 * vectorises).  For ce with index targets the target is 1/C of the input.
 * Each figure is the median of RUNS runs (default 7), in the process's CPU
 * time (CLOCK_PROCESS_CPUTIME_ID: on a machine shared with other work,
 * wall time also counts the waits for a processor).  A benchmark, not a
 * test: `make bench-loss` builds and runs it.
 *
 *   tests/bench_loss [RUNS [CASE]]
 *
 * With CASE (bce-logits, ce1000 or ce200) only that case runs, without the
 * bound: for timing two builds against each other from outside.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/loss.h"
#include "core/data.h"

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return t[n / 2];
}

/* Seconds of one pass reading n doubles (and n more when nt == n, a
   target of the input's size) and writing n: the bound. */
static double
bound_pass(size_t n, size_t nt, int runs)
{
	double	*a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	double	*c = malloc(n * sizeof *c), t[64], t0, sink = 0;
	size_t	 i;
	int	 k;

	if (a == NULL || b == NULL || c == NULL)
		exit(1);
	for (i = 0; i < n; i++) {
		a[i] = (double)i;
		b[i] = 0.5;
		c[i] = 0;
	}
	for (k = 0; k < runs; k++) {
		t0 = now_s();
		if (nt == n)
			for (i = 0; i < n; i++)
				c[i] = a[i] + b[i];
		else
			for (i = 0; i < n; i++)
				c[i] = a[i] * 0.5;
		t[k] = now_s() - t0;
		sink += c[n / 2];
	}
	if (sink == -1)
		puts("");
	free(a);
	free(b);
	free(c);
	return median(t, runs);
}

static const char *only;

static void
run(const char *tag, const char *name, enum loss_id id, size_t rows,
    size_t cols, int runs)
{
	struct mat		 in = MAT_INIT, tg = MAT_INIT;
	struct loss_opts	 o;
	struct loss_result	 r = LOSS_RESULT_INIT;
	struct err		 e;
	struct rng		 g;
	double			 t[64], t0, med, bound;
	size_t			 i, n = rows * cols, nt;
	int			 k;

	if (only != NULL && strcmp(only, tag) != 0)
		return;
	rng_seed(&g, 42, 1);
	if (mat_alloc(&in, rows > 1 ? 2 : 1, rows, cols, &e) != 0)
		exit(1);
	for (i = 0; i < n; i++)
		in.v[i] = 4.0 * rng_normal(&g);
	if (id == LOSS_CE) {
		if (mat_alloc(&tg, 1, 1, rows, &e) != 0)
			exit(1);
		for (i = 0; i < rows; i++)
			tg.v[i] = (double)rng_below(&g, cols);
	} else {
		if (mat_alloc(&tg, in.ndim, rows, cols, &e) != 0)
			exit(1);
		for (i = 0; i < n; i++)
			tg.v[i] = (double)rng_below(&g, 2);
	}
	nt = mat_numel(&tg);
	loss_opts_init(&o);
	for (k = 0; k < runs; k++) {
		t0 = now_s();
		if (loss_eval(id, &in, &tg, &o, &r, &e) != 0) {
			fprintf(stderr, "bench_loss: %s\n", e.msg);
			exit(1);
		}
		t[k] = now_s() - t0;
		loss_result_free(&r);
	}
	med = median(t, runs);
	if (only != NULL) {
		printf("%s %.3f ns/elem\n", name, med / (double)n * 1e9);
		mat_free(&in);
		mat_free(&tg);
		return;
	}
	bound = bound_pass(n, nt, runs);
	printf("%-28s %12zu  %8.2f ns/elem  bound %6.2f ns/elem  %5.1fx bound\n",
	    name, n, med / (double)n * 1e9, bound / (double)n * 1e9,
	    med / bound);
	mat_free(&in);
	mat_free(&tg);
}

int
main(int argc, char **argv)
{
	int	runs = argc > 1 ? atoi(argv[1]) : 7;

	if (runs < 1 || runs > 64)
		runs = 7;
	only = argc > 2 ? argv[2] : NULL;
	printf("%-28s %12s  (median of %d runs, CPU time; value and gradient, "
	    "float64)\n", "loss", "elements", runs);
	run("bce-logits", "bce-logits N=10^7", LOSS_BCE_LOGITS, 1, 10000000, runs);
	run("ce1000", "ce 10^4 x 1000", LOSS_CE, 10000, 1000, runs);
	run("ce200", "ce 10^4 x 200", LOSS_CE, 10000, 200, runs);
	return 0;
}
