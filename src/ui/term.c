/*
 * term.c -- is the terminal usable, before curses is started?
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

int
term_usable(void)
{
	int	err = 0;

	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return 0;
	del_curterm(cur_term);
	cur_term = NULL;
	return 1;
}
