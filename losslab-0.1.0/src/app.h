/*
 * app.h -- the program-wide options shared by the front ends (the explorer,
 * --dump, the subcommands), filled by main.c from the command line and the
 * environment before anything else runs.
 */
#ifndef LOSSLAB_APP_H
#define LOSSLAB_APP_H

struct app_opts {
	const char	*lang;		/* "en" or "zh" (from --lang or the locale) */
	const char	*lessons_dir;	/* --lessons DIR, or NULL */
	int		 no_color;	/* --no-color or NO_COLOR set */
	int		 present;	/* --present: presenter mode */
	double		 autoplay;	/* --autoplay SECONDS (0: off) */
	int		 loop;		/* --loop: autoplay starts again after
					   the last step */
	const char	*graphics;	/* --graphics or LOSSLAB_GRAPHICS: "auto",
					   "sixel", "text"; NULL: auto */
};

#endif
