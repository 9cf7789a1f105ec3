/*
 * gnuplot.h -- the gnuplot driver: one `gnuplot -d` child process, started
 * without a shell, fed scripts through a pipe and read without blocking.
 *
 * The explorer keeps one for a whole session (a plot then costs gnuplot's
 * work, not its start-up); a job that takes too long gets the child killed
 * and the next job starts a new one, and a child that died is reaped and
 * replaced the same way.  The scripts are plot.c's: numbers only in
 * datablocks, text only as sanitised single-quoted strings, no file name
 * ever (the output comes back on the pipe).  No curses, no output of its
 * own.
 */
#ifndef LOSSLAB_GNUPLOT_H
#define LOSSLAB_GNUPLOT_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/mat.h"
#include "strbuf.h"

#define GNUPLOT_OUT_MAX	(64u * 1024 * 1024)	/* one job's output */

struct gnuplot {
	pid_t		 pid;		/* -1: not running */
	int		 in, out, err;	/* pipes to and from the child */
	int		 busy;		/* a job was sent, not yet back */
	unsigned long	 seq;		/* jobs sent */
	unsigned	 starts;	/* children started, for tests and
					   the pane's message */
	char		 marker[64];	/* what ends the current job */
	struct strbuf	 job;		/* the script being written */
	size_t		 off;		/* bytes of it written */
	struct strbuf	 outbuf, errbuf;
	int		 out_done, err_done;
	long		 deadline;	/* monotonic ms */
	int		 timeout_ms;	/* the job's time */
	int		 sigpipe_saved;
	struct sigaction oldpipe;
};

/* What a finished job gave. */
struct gnuplot_result {
	const char	*out;		/* its stdout (the plot), owned by the
					   driver until the next job */
	size_t		 outlen;
	const char	*err;		/* its stderr ("" if none) */
	char		 error[256];	/* GNUPLOT_FAILED: why */
};

enum {
	GNUPLOT_IDLE,		/* no job */
	GNUPLOT_RUNNING,	/* not finished yet */
	GNUPLOT_DONE,		/* finished: see the result */
	GNUPLOT_FAILED		/* timed out, died, could not run */
};

void	 gnuplot_init(struct gnuplot *g);
/* Start the child if it is not running; 0, or -1 with e set. */
int	 gnuplot_start(struct gnuplot *g, struct err *e);
/* Send a job (starting a child if needed; as much of the script is written
   at once as the pipe takes), finished by timeout_ms (<= 0: 5 s) from now.
   -1 with e set when one is still running or the child cannot start. */
int	 gnuplot_send(struct gnuplot *g, const char *script, size_t len,
	    int timeout_ms, struct err *e);
/* Move the job on for at most wait_ms (0: only what is ready); returns
   GNUPLOT_IDLE, _RUNNING, _DONE (res->out and res->err filled) or
   _FAILED (res->error; the child is gone). */
int	 gnuplot_poll(struct gnuplot *g, int wait_ms,
	    struct gnuplot_result *res);
/* The descriptors (and events) a caller may wait on, with poll(2), for
   the running job to move on (at most max); how many. */
struct pollfd;
int	 gnuplot_fds(const struct gnuplot *g, struct pollfd *fds, int max);
/* Kill the child, if any, and free everything. */
void	 gnuplot_stop(struct gnuplot *g);

#endif
