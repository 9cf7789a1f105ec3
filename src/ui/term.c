/*
 * term.c -- is the terminal usable, before curses is started?  It must
 * have a terminfo entry and be able to address the cursor.
 *
 * newterm() on an unknown TERM returns NULL but leaves memory behind inside
 * ncurses (which AddressSanitizer reports as a leak); setupterm() answers
 * the same question cleanly.  This is the only file that includes term.h,
 * whose macros (lines, columns, ...) would clash with ordinary names.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#define UI_WANT_TERM_H
#include "ui/curses.h"
#include "ui/term.h"

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
