/*
 * colors.h -- the explorer's colour roles.
 *
 * Code never names a colour: it asks for the attribute of a role (what the
 * text *means*: a value, a gradient, a warning, the pitfall pipeline...).
 * colors.c keeps one table, role -> (foreground, background, attribute) for
 * colour terminals and an attribute alone for monochrome ones, in the manner
 * of ncdu's UI_COLORS.  Monochrome is used when NO_COLOR is set, with
 * --no-color, or when the terminal has no colours.
 */
#ifndef LOSSLAB_UI_COLORS_H
#define LOSSLAB_UI_COLORS_H

/* role, colour fg, colour bg, colour attribute, monochrome attribute */
#define UI_COLORS \
	C(NORMAL,    -1,            -1,          A_NORMAL, A_NORMAL) \
	C(TITLE,     COLOR_WHITE,   COLOR_BLUE,  A_BOLD,   A_REVERSE) \
	C(HEADING,   COLOR_CYAN,    -1,          A_BOLD,   A_BOLD) \
	C(LABEL,     -1,            -1,          A_DIM,    A_NORMAL) \
	C(VALUE,     COLOR_GREEN,   -1,          A_BOLD,   A_BOLD) \
	C(INPUT,     -1,            -1,          A_NORMAL, A_NORMAL) \
	C(GRADIENT,  COLOR_MAGENTA, -1,          A_NORMAL, A_UNDERLINE) \
	C(WARNING,   COLOR_YELLOW,  -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	C(PITFALL,   COLOR_RED,     -1,          A_NORMAL, A_UNDERLINE) \
	C(CORRECT,   COLOR_GREEN,   -1,          A_NORMAL, A_NORMAL) \
	C(DIFF,      COLOR_BLACK,   COLOR_YELLOW, A_BOLD,  A_REVERSE | A_BOLD) \
	C(SELECTION, COLOR_BLACK,   COLOR_CYAN,  A_NORMAL, A_REVERSE) \
	C(EDIT,      COLOR_BLACK,   COLOR_WHITE, A_NORMAL, A_REVERSE | A_UNDERLINE) \
	C(HINT,      COLOR_BLACK,   COLOR_WHITE, A_NORMAL, A_REVERSE) \
	C(HINTKEY,   COLOR_BLUE,    COLOR_WHITE, A_BOLD,   A_REVERSE | A_BOLD) \
	C(ERROR,     COLOR_WHITE,   COLOR_RED,   A_BOLD,   A_REVERSE | A_BOLD) \
	C(QUESTION,  COLOR_YELLOW,  -1,          A_BOLD,   A_BOLD) \
	C(CODE,      COLOR_CYAN,    -1,          A_NORMAL, A_NORMAL) \
	C(BROKEN,    COLOR_RED,     -1,          A_NORMAL, A_DIM) \
	C(CURVE1,    COLOR_GREEN,   -1,          A_BOLD,   A_BOLD) \
	C(CURVE2,    COLOR_RED,     -1,          A_BOLD,   A_NORMAL) \
	C(CURVE3,    COLOR_CYAN,    -1,          A_BOLD,   A_UNDERLINE) \
	C(CURVE4,    COLOR_MAGENTA, -1,          A_BOLD,   A_DIM) \
	C(MARK,      COLOR_WHITE,   COLOR_RED,   A_BOLD,   A_REVERSE | A_BOLD) \
	C(AXIS,      -1,            -1,          A_DIM,    A_NORMAL)

enum colors_role {
#define C(name, fg, bg, attr, mono) ROLE_##name,
	UI_COLORS
#undef C
	ROLE_COUNT
};

/* Choose colour or monochrome (after initscr); mono forces monochrome,
   as do NO_COLOR and a terminal without colours. */
void	 colors_init(int mono);
/* The curses attribute (with its colour pair) of a role. */
int	 colors_attr(enum colors_role role);
/* 1 when drawing in monochrome. */
int	 colors_mono(void);

#endif
