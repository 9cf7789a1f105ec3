/*
 * datadir.c -- where losslab's files are (see datadir.h).  The configured
 * directories come from Makefile.am (-DPKGDATADIR, -DLOCALEDIR); no path
 * of the build tree is compiled in.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"

#ifndef PKGDATADIR
#define PKGDATADIR	"/usr/local/share/losslab"
#endif
#ifndef LOCALEDIR
#define LOCALEDIR	"/usr/local/share/locale"
#endif

#define DATADIR_PATHS	32	/* distinct paths datadir_path builds */

/* The environment's value of var when set and not empty, else def. */
static const char *
datadir_env(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v != NULL && *v != '\0' ? v : def;
}

/*
 * The tree this very executable was built in, when it runs from it: the
 * program is TOP/src/losslab and TOP holds lessons/README.md and
 * plots/style.gp (a build in the source tree, run as ./src/losslab before
 * `make install`).  Found at run time from /proc/self/exe, so no path of
 * the build is compiled in; an installed program (PREFIX/bin/losslab)
 * never matches, as PREFIX has no lessons/README.md.  NULL otherwise.
 */
static const char *
datadir_tree(void)
{
	static char	 top[PATH_MAX];
	static int	 done;
	char		 exe[PATH_MAX], f[PATH_MAX + 32], *s;
	struct stat	 st;
	ssize_t		 n;

	if (done)
		return top[0] != '\0' ? top : NULL;
	done = 1;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((s = strrchr(exe, '/')) == NULL || strcmp(s, "/losslab") != 0)
		return NULL;
	*s = '\0';
	if ((s = strrchr(exe, '/')) == NULL || strcmp(s, "/src") != 0)
		return NULL;
	*s = '\0';
	snprintf(f, sizeof f, "%s/lessons/README.md", exe);
	if (stat(f, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	snprintf(f, sizeof f, "%s/plots/style.gp", exe);
	if (stat(f, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	snprintf(top, sizeof top, "%s", exe);
	return top;
}

const char *
datadir_data(void)
{
	const char	*tree = datadir_tree();

	return datadir_env("LOSSLAB_DATADIR", tree != NULL ? tree : PKGDATADIR);
}

const char *
datadir_locale(void)
{
	static char	 po[PATH_MAX + 16];
	const char	*tree = datadir_tree();

	if (tree != NULL && po[0] == '\0')
		snprintf(po, sizeof po, "%s/po/locale", tree);
	return datadir_env("LOSSLAB_LOCALEDIR", tree != NULL ? po : LOCALEDIR);
}

const char *
datadir_path(const char *rel)
{
	/* built once each, kept to exit: callers hold the pointers */
	static struct {
		char	*rel, *path;
	} 		 cache[DATADIR_PATHS];
	const char	*dir = datadir_data();
	size_t		 i, n;
	char		*p;

	for (i = 0; i < DATADIR_PATHS && cache[i].rel != NULL; i++)
		if (strcmp(cache[i].rel, rel) == 0 &&
		    strncmp(cache[i].path, dir, strlen(dir)) == 0 &&
		    cache[i].path[strlen(dir)] == '/')
			return cache[i].path;
	n = strlen(dir) + 1 + strlen(rel) + 1;
	if ((p = malloc(n)) == NULL)
		return NULL;
	snprintf(p, n, "%s/%s", dir, rel);
	/* the pointers handed out stay valid: a full cache is an error */
	if (i == DATADIR_PATHS || (cache[i].rel = strdup(rel)) == NULL) {
		free(p);
		return NULL;
	}
	cache[i].path = p;
	return p;
}

int
datadir_user(const char *rel, char *buf, size_t len)
{
	const char	*xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int		 n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(buf, len, "%s/losslab/%s", xdg, rel);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(buf, len, "%s/.local/share/losslab/%s", home, rel);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
