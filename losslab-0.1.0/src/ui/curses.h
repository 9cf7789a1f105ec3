/*
 * curses.h -- the one place where losslab includes curses.
 *
 * Every file of the explorer (src/ui/) includes this header instead of
 * naming a curses header itself, so that the choice between
 * <ncursesw/curses.h>, <ncurses.h> and <curses.h> (made by configure, see
 * HAVE_* in config.h) lives here alone.  Nothing outside src/ui/ may include
 * it: the loss core, the lessons and the plots never see curses.
 *
 * The wide-character API (add_wch, cchar_t, get_wch) needs
 * _XOPEN_SOURCE_EXTENDED or NCURSES_WIDECHAR before the header; configure's
 * AC_USE_SYSTEM_EXTENSIONS and ncursesw's pkg-config flags normally provide
 * it, and it is forced here as well.
 */
#ifndef LOSSLAB_UI_CURSES_H
#define LOSSLAB_UI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#if defined(HAVE_NCURSESW_CURSES_H)
#include <ncursesw/curses.h>
#elif defined(HAVE_NCURSES_H)
#include <ncurses.h>
#else
#include <curses.h>
#endif

/* The terminfo level (setupterm), for the one file that asks for it: its
   macros (lines, columns, ...) must not leak into the others. */
#ifdef UI_WANT_TERM_H
#if defined(HAVE_NCURSESW_CURSES_H)
#include <ncursesw/term.h>
#else
#include <term.h>
#endif
#endif

#endif
