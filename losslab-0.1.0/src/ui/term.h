/*
 * term.h -- the terminal below curses: whether $TERM names a terminal
 * curses can drive, and putting it back when a fatal signal ends the
 * explorer.
 */
#ifndef LOSSLAB_UI_TERM_H
#define LOSSLAB_UI_TERM_H

enum term_state {
	TERM_OK,		/* curses can drive it */
	TERM_UNKNOWN,		/* no terminfo entry for $TERM */
	TERM_NO_CURSOR		/* it cannot address the cursor (dumb) */
};

/* Whether $TERM names a terminal curses can drive; leaves nothing
   allocated and does not touch the terminal's modes. */
enum term_state	 term_usable(void);

/*
 * Remember the modes of the terminal on fd (the one curses draws on) as
 * they are before curses changes them.  Call it before newterm().  Returns
 * 0, or -1 if fd is not a terminal (then term_fatal_arm restores no modes).
 */
int	 term_save_modes(int fd);
/*
 * Once curses runs: capture the strings that leave its state (sgr0, cnorm,
 * rmkx, rmcup of the current terminal, their padding dropped) and catch
 * every fatal signal (SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
 * SIGSEGV, SIGSYS, SIGXCPU, SIGXFSZ; one that is ignored stays ignored).
 * The handler only makes async-signal-safe calls: it writes the strings
 * with write(2), restores the saved modes with tcsetattr(), puts back the
 * signal's previous action (normally the default) and raises the signal
 * again, so the process still dies of it (a shell reports 128 + the
 * signal, 131 for SIGQUIT).  Cannot fail.
 */
void	 term_fatal_arm(void);
/* Put back the actions term_fatal_arm replaced; safe to call twice. */
void	 term_fatal_disarm(void);

#endif
