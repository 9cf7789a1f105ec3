/*
 * gnuplot.c -- a gnuplot child that stays (see gnuplot.h).
 *
 * The child is `gnuplot -d` started with fork/execvp (no shell) in its own
 * process group, its stdin, stdout and stderr on pipes.  A job is a script
 * followed by two markers, one printed on stdout and one on stderr (print
 * with `set print "-"`, then with `set print`): the job is done when both
 * have come back, so that its output and its error messages are known to
 * be complete -- gnuplot reading a pipe goes on after an error, so one
 * process serves job after job.  Everything is non-blocking: the caller
 * polls (gnuplot_poll) with the time it can spare, or waits on the
 * descriptors (gnuplot_fds) in its own loop.  A job that has not finished
 * by its deadline gets the process group killed; a dead gnuplot is reaped;
 * the next job starts a new one.  SIGPIPE is ignored while the driver
 * writes (a gnuplot that died must not kill us).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gnuplot.h"
#include "i18n.h"

#ifndef GNUPLOT_PROGRAM
#define GNUPLOT_PROGRAM	"gnuplot"
#endif

#define GP_ERR_MAX	4096		/* stderr kept per job */

static long
gp_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
gp_close(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

void
gnuplot_init(struct gnuplot *g)
{
	memset(g, 0, sizeof *g);
	g->pid = -1;
	g->in = g->out = g->err = -1;
}

/* Ignore SIGPIPE while we write to the child; restore it after. */
static void
gp_sigpipe(struct gnuplot *g, int ignore)
{
	struct sigaction	ign;

	if (ignore && !g->sigpipe_saved) {
		memset(&ign, 0, sizeof ign);
		ign.sa_handler = SIG_IGN;
		sigemptyset(&ign.sa_mask);
		sigaction(SIGPIPE, &ign, &g->oldpipe);
		g->sigpipe_saved = 1;
	} else if (!ignore && g->sigpipe_saved) {
		sigaction(SIGPIPE, &g->oldpipe, NULL);
		g->sigpipe_saved = 0;
	}
}

int
gnuplot_start(struct gnuplot *g, struct err *e)
{
	int	in[2] = { -1, -1 }, so[2] = { -1, -1 }, se[2] = { -1, -1 };
	int	i;

	if (g->pid > 0)
		return 0;
	if (pipe(in) == -1 || pipe(so) == -1 || pipe(se) == -1) {
		err_set(e, "pipe: %s", strerror(errno));
		goto fail;
	}
	for (i = 0; i < 2; i++) {
		fcntl(in[i], F_SETFD, FD_CLOEXEC);
		fcntl(so[i], F_SETFD, FD_CLOEXEC);
		fcntl(se[i], F_SETFD, FD_CLOEXEC);
	}
	gp_sigpipe(g, 1);
	fflush(NULL);
	switch (g->pid = fork()) {
	case -1:
		err_set(e, "fork: %s", strerror(errno));
		gp_sigpipe(g, 0);
		goto fail;
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
	setpgid(g->pid, g->pid);	/* also here: no race with a kill */
	close(in[0]);
	close(so[1]);
	close(se[1]);
	g->in = in[1];
	g->out = so[0];
	g->err = se[0];
	fcntl(g->in, F_SETFL, fcntl(g->in, F_GETFL) | O_NONBLOCK);
	fcntl(g->out, F_SETFL, fcntl(g->out, F_GETFL) | O_NONBLOCK);
	fcntl(g->err, F_SETFL, fcntl(g->err, F_GETFL) | O_NONBLOCK);
	g->starts++;
	return 0;
fail:
	for (i = 0; i < 2; i++) {
		gp_close(&in[i]);
		gp_close(&so[i]);
		gp_close(&se[i]);
	}
	g->pid = -1;
	return -1;
}

/* Kill (when kill) and reap the child; clean every descriptor. */
static void
gp_end(struct gnuplot *g, int kill_it, int *status)
{
	int	st = 0;

	gp_close(&g->in);
	gp_close(&g->out);
	gp_close(&g->err);
	if (g->pid > 0) {
		if (kill_it) {
			kill(-g->pid, SIGKILL);
			kill(g->pid, SIGKILL);
		}
		while (waitpid(g->pid, &st, 0) == -1 && errno == EINTR)
			continue;
	}
	if (status != NULL)
		*status = st;
	g->pid = -1;
	g->busy = 0;
	gp_sigpipe(g, 0);
}

void
gnuplot_stop(struct gnuplot *g)
{
	gp_end(g, 1, NULL);
	strbuf_free(&g->job);
	strbuf_free(&g->outbuf);
	strbuf_free(&g->errbuf);
}

int
gnuplot_send(struct gnuplot *g, const char *script, size_t len,
    int timeout_ms, struct err *e)
{
	ssize_t	n;

	if (g->busy)
		return err_set(e, "%s", _("gnuplot is busy with another plot"));
	if (g->pid <= 0 && gnuplot_start(g, e) != 0)
		return -1;
	g->seq++;
	snprintf(g->marker, sizeof g->marker, "@@losslab-%lu-%ld@@", g->seq,
	    (long)g->pid);
	strbuf_free(&g->job);
	strbuf_free(&g->outbuf);
	strbuf_free(&g->errbuf);
	strbuf_add(&g->job, script, len);
	/* both markers: the job's stdout and its stderr are complete */
	strbuf_printf(&g->job, "\nset print '-'\nprint '%s'\nset print\n"
	    "print '%s'\n", g->marker, g->marker);
	strbuf_add(&g->outbuf, "", 0);
	strbuf_add(&g->errbuf, "", 0);
	if (g->job.oom)
		return err_set(e, "out of memory");
	g->off = 0;
	g->busy = 1;
	g->out_done = g->err_done = 0;
	g->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
	g->deadline = gp_now() + g->timeout_ms;
	gp_sigpipe(g, 1);
	/* what the pipe takes now; the rest as gnuplot_poll() goes */
	n = write(g->in, g->job.p, g->job.len);
	if (n > 0)
		g->off = (size_t)n;
	return 0;
}

/* Whether buf ends with the marker line; if so, cut it off. */
static int
gp_marked(struct strbuf *b, const char *marker)
{
	size_t	n = strlen(marker);
	char	*p;

	if (b->len < n + 1 || (p = strstr(b->p, marker)) == NULL)
		return 0;
	/* the marker is on its own line, the last thing of the job */
	*p = '\0';
	b->len = (size_t)(p - b->p);
	return 1;
}

int
gnuplot_poll(struct gnuplot *g, int wait_ms, struct gnuplot_result *res)
{
	struct pollfd	 pfd[3];
	char		 chunk[65536];
	long		 end = gp_now() + (wait_ms > 0 ? wait_ms : 0), left;
	ssize_t		 n;
	int		 nfd, i, status;

	if (!g->busy)
		return GNUPLOT_IDLE;
	for (;;) {
		nfd = 0;
		if (g->in != -1 && g->off < g->job.len) {
			pfd[nfd].fd = g->in;
			pfd[nfd++].events = POLLOUT;
		}
		if (g->out != -1 && !g->out_done) {
			pfd[nfd].fd = g->out;
			pfd[nfd++].events = POLLIN;
		}
		if (g->err != -1 && !g->err_done) {
			pfd[nfd].fd = g->err;
			pfd[nfd++].events = POLLIN;
		}
		if (g->out_done && g->err_done)
			break;
		if (gp_now() >= g->deadline) {
			gp_end(g, 1, NULL);
			snprintf(res->error, sizeof res->error, _("gnuplot "
			    "did not finish within %.1f s (killed; the next "
			    "plot starts a new one)"), g->timeout_ms / 1000.0);
			return GNUPLOT_FAILED;
		}
		if (nfd == 0)
			goto died;
		left = end - gp_now();
		if (left > g->deadline - gp_now())
			left = g->deadline - gp_now();
		if (poll(pfd, (nfds_t)nfd, left > 0 ? (int)left : 0) <= 0) {
			if (left <= 0)
				return GNUPLOT_RUNNING;
			continue;
		}
		for (i = 0; i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == g->in) {
				n = write(g->in, g->job.p + g->off,
				    g->job.len - g->off);
				if (n > 0)
					g->off += (size_t)n;
				else if (n == -1 && errno != EAGAIN &&
				    errno != EINTR)
					goto died;
				continue;
			}
			n = read(pfd[i].fd, chunk, sizeof chunk);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0)
				goto died;
			if (pfd[i].fd == g->out) {
				if (g->outbuf.len + (size_t)n > GNUPLOT_OUT_MAX) {
					gp_end(g, 1, NULL);
					snprintf(res->error, sizeof res->error,
					    _("gnuplot wrote more than %u bytes "
					    "(killed)"), GNUPLOT_OUT_MAX);
					return GNUPLOT_FAILED;
				}
				strbuf_add(&g->outbuf, chunk, (size_t)n);
				g->out_done = gp_marked(&g->outbuf, g->marker);
			} else {
				if (g->errbuf.len < GP_ERR_MAX)
					strbuf_add(&g->errbuf, chunk, (size_t)n);
				g->err_done = gp_marked(&g->errbuf, g->marker);
			}
		}
	}
	g->busy = 0;
	gp_sigpipe(g, 0);
	if (g->outbuf.oom || g->errbuf.oom) {
		snprintf(res->error, sizeof res->error, "out of memory");
		return GNUPLOT_FAILED;
	}
	res->out = g->outbuf.p;
	res->outlen = g->outbuf.len;
	/* gnuplot ends an error message with an empty line that may come
	   after the marker, so a job's stderr may start with line ends left
	   from the job before: they are not this job's */
	res->err = g->errbuf.p + strspn(g->errbuf.p, "\n");
	return GNUPLOT_DONE;
died:
	gp_end(g, 0, &status);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(res->error, sizeof res->error, "%s", _("gnuplot "
		    "could not be run"));
	else if (WIFSIGNALED(status))
		snprintf(res->error, sizeof res->error, _("gnuplot was "
		    "killed by signal %d (the next plot starts a new one)"),
		    WTERMSIG(status));
	else
		snprintf(res->error, sizeof res->error, _("gnuplot stopped "
		    "(exit status %d; the next plot starts a new one)"),
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return GNUPLOT_FAILED;
}

int
gnuplot_fds(const struct gnuplot *g, struct pollfd *fds, int max)
{
	int	n = 0;

	if (!g->busy)
		return 0;
	if (g->in != -1 && g->off < g->job.len && n < max) {
		fds[n].fd = g->in;
		fds[n++].events = POLLOUT;
	}
	if (g->out != -1 && !g->out_done && n < max) {
		fds[n].fd = g->out;
		fds[n++].events = POLLIN;
	}
	if (g->err != -1 && !g->err_done && n < max) {
		fds[n].fd = g->err;
		fds[n++].events = POLLIN;
	}
	return n;
}
