/*
 * colors.c -- the colour-role table (see colors.h) turned into curses
 * colour pairs, or into plain attributes in monochrome.
 */
#include "config.h"

#include <stdlib.h>

#include "ui/curses.h"
#include "ui/colors.h"

static const struct {
	short	 fg, bg;
	int	 attr;
	int	 mono;
} colors_table[ROLE_COUNT] = {
#define C(name, fg, bg, attr, mono) { fg, bg, attr, mono },
	UI_COLORS
#undef C
};

static int	colors_is_mono = 1;
static int	colors_have_default;

void
colors_init(int mono)
{
	const char	*nc;
	int		 i;
	short		 fg, bg;

	nc = getenv("NO_COLOR");
	colors_is_mono = mono || (nc != NULL && *nc != '\0') ||
	    !has_colors();
	if (colors_is_mono)
		return;
	if (start_color() == ERR) {
		colors_is_mono = 1;
		return;
	}
	colors_have_default = (use_default_colors() == OK);
	for (i = 0; i < ROLE_COUNT; i++) {
		fg = colors_table[i].fg;
		bg = colors_table[i].bg;
		/* Without default colours, -1 means white on black. */
		if (!colors_have_default) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (i + 1 < COLOR_PAIRS)
			init_pair((short)(i + 1), fg, bg);
	}
}

int
colors_attr(enum colors_role role)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		role = ROLE_NORMAL;
	if (colors_is_mono)
		return colors_table[role].mono;
	if ((int)role + 1 >= COLOR_PAIRS)
		return colors_table[role].attr;
	return colors_table[role].attr | (int)COLOR_PAIR(role + 1);
}

int
colors_mono(void)
{
	return colors_is_mono;
}
