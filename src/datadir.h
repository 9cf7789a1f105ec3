/*
 * datadir.h -- where losslab's files are: the shipped data (lessons/,
 * plots/style.gp) under $(pkgdatadir), the compiled catalogues under
 * $(localedir), and the user's own lessons under $XDG_DATA_HOME.
 *
 * The installed program reads only the directories configure chose;
 * $LOSSLAB_DATADIR (a directory laid out as the source tree is: lessons/,
 * plots/style.gp) and $LOSSLAB_LOCALEDIR (LL/LC_MESSAGES/losslab.mo)
 * replace them, for a relocated installation and for the tests, which
 * point them at the source tree and the build tree's po/.  A program run
 * from the tree it was built in (./src/losslab after `make`, before `make
 * install`) finds that tree at run time and uses its lessons/, plots/ and
 * po/locale/, so the first run needs nothing set.  Nothing here reads a
 * file; the tree is recognised by two files' existence.
 */
#ifndef LOSSLAB_DATADIR_H
#define LOSSLAB_DATADIR_H

#include <stddef.h>

/* The shipped data's directory: $LOSSLAB_DATADIR when set and not empty,
   else the build tree the program runs from, else PKGDATADIR.  Never
   fails. */
const char *datadir_data(void);
/* The catalogues' directory: $LOSSLAB_LOCALEDIR when set and not empty,
   else the build tree's po/locale, else LOCALEDIR.  Never fails. */
const char *datadir_locale(void);
/*
 * The path of rel ("lessons", "plots/style.gp") in datadir_data(), valid
 * until exit (each distinct path is built once); NULL when memory runs
 * out or after 32 distinct paths (the data directory changed that often).
 */
const char *datadir_path(const char *rel);
/*
 * The user's directory for rel ("lessons"): $XDG_DATA_HOME/losslab/rel
 * when XDG_DATA_HOME is an absolute path (the XDG base directory rule),
 * else $HOME/.local/share/losslab/rel, into buf.  0, or -1 when neither
 * is set or the path does not fit in len bytes.
 */
int	 datadir_user(const char *rel, char *buf, size_t len);

#endif
