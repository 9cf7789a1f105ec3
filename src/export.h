/*
 * export.h -- plot files written from the explorer, never over a file that
 * exists.
 *
 * The explorer's e and E write the plot on screen (or every plot of the
 * lesson) into a folder the teacher chose, as BASE.EXT; where that name is
 * taken, BASE-2.EXT, BASE-3.EXT and so on.  Each file is created
 * exclusively (O_CREAT | O_EXCL | O_NOFOLLOW: a name that appears
 * meanwhile, or a symbolic link, is never written through), so an export
 * never overwrites anything; a failed write leaves no file.  The picture
 * is plot_render()'s, checked as plot_export()'s are.  A file the user
 * named is the other way (outfile.h): replaced whole or not at all.  No
 * curses.
 */
#ifndef LOSSLAB_EXPORT_H
#define LOSSLAB_EXPORT_H

#include <stddef.h>

#include "plot.h"

#define EXPORT_MAX_TRIES	9999	/* BASE-9999.EXT is the last name */

/* The extension of an export format ("png", "svg", "pdf"), or NULL for a
   format the explorer does not export. */
const char *export_ext(enum plot_format fmt);

/*
 * Render req in fmt (plot_render's default size) and write it to
 * DIR/BASE.EXT, else the first free DIR/BASE-N.EXT; the name written goes
 * to path (pathlen bytes).  0, or -1 with e set: gnuplot's failure, the
 * folder's ("/tmp/x: No such file or directory"), a failed write (the
 * partial file removed), or every name up to EXPORT_MAX_TRIES taken.
 */
int	 export_plot(const struct plot_req *req, enum plot_format fmt,
	    const char *dir, const char *base, char *path, size_t pathlen,
	    struct err *e);

#endif
