/*
 * term.c -- the terminal below curses: is it usable before curses is
 * started (a terminfo entry, and able to address the cursor), and how is
 * it put back when a fatal signal ends the explorer?
 *
 * newterm() on an unknown TERM returns NULL but leaves memory behind inside
 * ncurses (which AddressSanitizer reports as a leak); setupterm() answers
 * the same question cleanly.  This is the only file that includes term.h,
 * whose macros (lines, columns, ...) would clash with ordinary names.
 *
 * SIGINT, SIGTERM and SIGHUP are the main loop's (ui.c: a flag, then an
 * orderly exit); a signal that kills at once -- Ctrl-\ (SIGQUIT), a crash
 * -- would leave the terminal without echo, line editing or cursor, on the
 * alternate screen.  Everything the handler needs is made ready before it
 * can run (the terminfo strings copied into a static buffer, the modes
 * saved before curses changed them), so that the handler itself calls no
 * curses and allocates nothing: write(2), tcsetattr(), sigaction(),
 * sigprocmask() and raise() are all async-signal-safe.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define UI_WANT_TERM_H
#include "ui/curses.h"
#include "ui/term.h"

/* The signals that end the process at once (those of ui.c aside). */
static const int	 term_sigs[] = {
	SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS,
	SIGXCPU, SIGXFSZ
};
#define TERM_NSIGS	(sizeof term_sigs / sizeof term_sigs[0])

static struct sigaction	 term_old[TERM_NSIGS];
static int		 term_caught[TERM_NSIGS];	/* ours now */
static char		 term_reset[512];	/* sgr0 cnorm rmkx rmcup */
static size_t		 term_reset_len;
static struct termios	 term_modes;
static int		 term_fd = -1;		/* modes saved from it */
static pid_t		 term_pid;		/* not in a forked child */

enum term_state
term_usable(void)
{
	const char	*cup;
	int		 err = 0, ok;

	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return TERM_UNKNOWN;
	/* a terminal that cannot move the cursor (TERM=dumb, a printing
	   terminal) cannot show a screen */
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1 && cup[0] != '\0';
	del_curterm(cur_term);
	cur_term = NULL;
	return ok ? TERM_OK : TERM_NO_CURSOR;
}

int
term_save_modes(int fd)
{
	if (tcgetattr(fd, &term_modes) == -1) {
		term_fd = -1;
		return -1;
	}
	term_fd = fd;
	return 0;
}

/* Append terminfo capability cap to term_reset, without its padding
   ("$<5>": a delay only tputs could make); left out if it does not fit. */
static void
term_add(const char *cap)
{
	char		*s = tigetstr(cap);
	char		 buf[128];
	const char	*p, *q;
	size_t		 n = 0;

	if (s == NULL || s == (char *)-1)
		return;
	for (p = s; *p != '\0' && n < sizeof buf; p++) {
		if (p[0] == '$' && p[1] == '<' &&
		    (q = strchr(p, '>')) != NULL) {
			p = q;
			continue;
		}
		buf[n++] = *p;
	}
	if (*p != '\0' || n > sizeof term_reset - term_reset_len)
		return;
	memcpy(term_reset + term_reset_len, buf, n);
	term_reset_len += n;
}

static void
term_on_fatal(int sig)
{
	sigset_t	set;
	size_t		i, off = 0;
	ssize_t		n;

	if (getpid() == term_pid) {
		while (off < term_reset_len) {
			n = write(STDOUT_FILENO, term_reset + off,
			    term_reset_len - off);
			if (n <= 0 && errno != EINTR)
				break;
			if (n > 0)
				off += (size_t)n;
		}
		if (term_fd != -1)
			tcsetattr(term_fd, TCSADRAIN, &term_modes);
	}
	/* the action from before (the default, or a sanitizer's), then the
	   same signal again, unblocked: the process dies of it */
	for (i = 0; i < TERM_NSIGS; i++) {
		if (term_sigs[i] == sig) {
			sigaction(sig, &term_old[i], NULL);
			term_caught[i] = 0;
		}
	}
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

void
term_fatal_arm(void)
{
	struct sigaction	sa;
	size_t			i;

	term_reset_len = 0;
	term_add("sgr0");
	term_add("cnorm");
	term_add("rmkx");
	term_add("rmcup");
	term_pid = getpid();

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_on_fatal;
	sigfillset(&sa.sa_mask);	/* nothing else runs meanwhile */
	sa.sa_flags = 0;
	for (i = 0; i < TERM_NSIGS; i++) {
		if (term_caught[i])
			continue;
		if (sigaction(term_sigs[i], NULL, &term_old[i]) == -1)
			continue;
		/* an ignored signal (nohup, a parent's choice) stays so */
		if (!(term_old[i].sa_flags & SA_SIGINFO) &&
		    term_old[i].sa_handler == SIG_IGN)
			continue;
		if (sigaction(term_sigs[i], &sa, NULL) == 0)
			term_caught[i] = 1;
	}
}

void
term_fatal_disarm(void)
{
	size_t	i;

	for (i = 0; i < TERM_NSIGS; i++) {
		if (term_caught[i]) {
			sigaction(term_sigs[i], &term_old[i], NULL);
			term_caught[i] = 0;
		}
	}
}
