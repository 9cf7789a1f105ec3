/*
 * test_gnuplot.c -- the persistent gnuplot driver (src/gnuplot.c): one
 * child serves job after job (its start count stays 1), a script error is
 * that job's stderr and the next job still runs, output is complete when
 * both markers are back, and the failures a teacher meets -- a gnuplot that
 * hangs, one that dies, one that is not installed -- come back as
 * GNUPLOT_FAILED within the deadline, the child gone, and the next job on a
 * new child.  The fakes are shell scripts put first in PATH; the real
 * gnuplot is used when it is installed (else those tests are skipped).
 */
#include "config.h"

#include <sys/stat.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gnuplot.h"
#include "plot.h"
#include "tap.h"

static char	fakedir[] = "/tmp/losslab-gp-XXXXXX";
static char	*real_path;

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Put a fake gnuplot (a shell script body) first in PATH; NULL: none. */
static void
fake(const char *body)
{
	char	 path[256], env[4096];
	FILE	*f;

	snprintf(path, sizeof path, "%s/gnuplot", fakedir);
	unlink(path);
	if (body != NULL) {
		f = fopen(path, "w");
		fprintf(f, "#!/bin/sh\n%s\n", body);
		fclose(f);
		chmod(path, 0755);
	}
	snprintf(env, sizeof env, "%s:%s", fakedir, real_path);
	setenv("PATH", env, 1);
}

/* Run one job to its end, polling as the explorer does (in slices). */
static int
run(struct gnuplot *g, const char *script, int timeout_ms,
    struct gnuplot_result *res, long *took)
{
	struct err	e;
	long		t0 = now_ms();
	int		st;

	memset(res, 0, sizeof *res);
	if (gnuplot_send(g, script, strlen(script), timeout_ms, &e) != 0) {
		snprintf(res->error, sizeof res->error, "%s", e.msg);
		return GNUPLOT_FAILED;
	}
	while ((st = gnuplot_poll(g, 20, res)) == GNUPLOT_RUNNING)
		continue;
	if (took != NULL)
		*took = now_ms() - t0;
	return st;
}

int
main(void)
{
	struct gnuplot		g;
	struct gnuplot_result	res;
	struct err		e;
	char			script[256];
	long			took;
	struct pollfd		fds[4];
	int			st, i;
	pid_t			first;

	signal(SIGPIPE, SIG_DFL);
	real_path = strdup(getenv("PATH") != NULL ? getenv("PATH") : "/usr/bin:/bin");
	if (mkdtemp(fakedir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}

	/* --- a gnuplot that never answers: killed at its deadline --- */
	fake("exec sleep 60");
	gnuplot_init(&g);
	st = run(&g, "print 1\n", 300, &res, &took);
	tap_ok(st == GNUPLOT_FAILED && strstr(res.error, "did not finish"),
	    "a hung gnuplot fails the job: %s", res.error);
	tap_ok(took >= 250 && took < 2000, "at its deadline (300 ms): %ld ms",
	    took);
	tap_ok(g.pid == -1 && !g.busy, "and the child is gone");
	tap_ok(gnuplot_poll(&g, 0, &res) == GNUPLOT_IDLE, "the driver is idle");

	/* polling never blocks longer than asked */
	gnuplot_send(&g, "x\n", 2, 5000, &e);
	took = now_ms();
	st = gnuplot_poll(&g, 0, &res);
	took = now_ms() - took;
	tap_ok(st == GNUPLOT_RUNNING && took < 100,
	    "poll(0) on a running job returns at once (%ld ms)", took);
	tap_ok(gnuplot_fds(&g, fds, 4) == 2 && fds[0].events == POLLIN,
	    "two descriptors to wait on (the short script went at once)");
	tap_ok(gnuplot_send(&g, "x\n", 2, 0, &e) == -1 &&
	    strstr(e.msg, "busy") != NULL, "a second job while one runs: %s",
	    e.msg);
	gnuplot_stop(&g);
	tap_ok(g.pid == -1, "gnuplot_stop kills a running child");

	/* --- a gnuplot that dies at once --- */
	fake("exit 3");
	gnuplot_init(&g);
	st = run(&g, "print 1\n", 2000, &res, &took);
	tap_ok(st == GNUPLOT_FAILED && strstr(res.error, "exit status 3"),
	    "a gnuplot that exits: %s", res.error);
	tap_ok(took < 1500, "found at once (%ld ms), not at the deadline",
	    took);
	/* one that dies by a signal in the middle */
	fake("read line; kill -9 $$");
	st = run(&g, "print 1\n", 2000, &res, &took);
	tap_ok(st == GNUPLOT_FAILED && strstr(res.error, "signal 9"),
	    "a gnuplot killed by a signal: %s", res.error);
	tap_ok(g.starts == 2, "each job started its own child (%u)",
	    g.starts);
	gnuplot_stop(&g);

	/* --- not installed --- */
	fake(NULL);
	setenv("PATH", fakedir, 1);
	gnuplot_init(&g);
	st = run(&g, "print 1\n", 2000, &res, &took);
	tap_ok(st == GNUPLOT_FAILED && strstr(res.error, "could not be run"),
	    "no gnuplot in PATH: %s", res.error);
	gnuplot_stop(&g);
	fake(NULL);

	/* --- the real gnuplot: one child, many jobs --- */
	if (!plot_available()) {
		for (i = 0; i < 8; i++)
			printf("ok %d - # SKIP gnuplot is not installed\n",
			    ++tap_count);
		goto out;
	}
	gnuplot_init(&g);
	st = run(&g, "set print '-'\nprint 6*7\n", 5000, &res, NULL);
	tap_ok(st == GNUPLOT_DONE && strcmp(res.out, "42\n") == 0 &&
	    res.err[0] == '\0', "a job's stdout, and nothing on stderr ('%s')",
	    st == GNUPLOT_DONE ? res.out : res.error);
	first = g.pid;
	st = run(&g, "set term dumb\nset output\nplot sin(x) wiht lines\n",
	    5000, &res, NULL);
	tap_ok(st == GNUPLOT_DONE && strstr(res.err, "unexpected") != NULL,
	    "a script error is the job's stderr: %.60s",
	    st == GNUPLOT_DONE ? res.err : res.error);
	st = run(&g, "set print '-'\nprint 'after'\n", 5000, &res, NULL);
	if (!tap_ok(st == GNUPLOT_DONE && strcmp(res.out, "after\n") == 0 &&
	    res.err[0] == '\0', "and the next job runs clean on it"))
		tap_diag("st %d out '%s' err '%s' error '%s'", st,
		    st == GNUPLOT_DONE ? res.out : "", st == GNUPLOT_DONE ?
		    res.err : "", res.error);
	tap_ok(g.pid == first, "on the same child");
	for (i = 0; i < 50; i++) {
		snprintf(script, sizeof script, "set term dumb size 60,20\n"
		    "set output\nplot x**%d title 'j%d'\n", i % 4, i);
		if (run(&g, script, 5000, &res, NULL) != GNUPLOT_DONE ||
		    strstr(res.out, "j") == NULL || res.outlen < 60 * 18)
			break;
	}
	tap_ok(i == 50, "50 dumb plots in a row, each complete (%d)", i);
	tap_ok(g.starts == 1, "all on one gnuplot (started %u time)", g.starts);
	/* a large output arrives whole */
	st = run(&g, "set term dumb size 400,200\nset output\nplot sin(x)\n",
	    5000, &res, NULL);
	tap_ok(st == GNUPLOT_DONE && res.outlen >= 400 * 199,
	    "a 400x200 plot arrives whole (%zu bytes)", res.outlen);
	/* the child killed behind the driver's back: next job restarts */
	kill(g.pid, SIGKILL);
	usleep(100000);
	st = run(&g, "set print '-'\nprint 1\n", 5000, &res, NULL);
	if (st == GNUPLOT_FAILED)
		st = run(&g, "set print '-'\nprint 1\n", 5000, &res, NULL);
	tap_ok(st == GNUPLOT_DONE && g.starts == 2,
	    "a gnuplot killed from outside is replaced (%u starts)", g.starts);
	gnuplot_stop(&g);
out:
	{
		char	path[256];

		snprintf(path, sizeof path, "%s/gnuplot", fakedir);
		unlink(path);
		rmdir(fakedir);
	}
	free(real_path);
	return tap_done();
}
