/*
 * export.c -- plot files that never overwrite one (see export.h).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "i18n.h"
#include "strbuf.h"

#ifndef O_NOFOLLOW
#define O_NOFOLLOW	0
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC	0
#endif

const char *
export_ext(enum plot_format fmt)
{
	switch (fmt) {
	case PLOT_FORMAT_PNG:
		return "png";
	case PLOT_FORMAT_SVG:
		return "svg";
	case PLOT_FORMAT_PDF:
		return "pdf";
	default:
		return NULL;
	}
}

/* Write all of buf to fd; 0, or -1 with errno set. */
static int
export_write(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
export_plot(const struct plot_req *req, enum plot_format fmt,
    const char *dir, const char *base, char *path, size_t pathlen,
    struct err *e)
{
	struct strbuf	 o = STRBUF_INIT;
	struct stat	 sb;
	const char	*ext = export_ext(fmt);
	int		 fd = -1, k, n, rc = -1, saved;

	if (ext == NULL)
		return err_set(e, "%s", _("only PNG, SVG and PDF are exported"));
	if (stat(dir, &sb) == -1)
		return err_set(e, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return err_set(e, _("%s: not a folder"), dir);
	if (plot_render(req, fmt, 0, 0, &o, e) == -1)
		goto out;
	for (k = 1; k <= EXPORT_MAX_TRIES; k++) {
		if (k == 1)
			n = snprintf(path, pathlen, "%s/%s.%s", dir, base, ext);
		else
			n = snprintf(path, pathlen, "%s/%s-%d.%s", dir, base,
			    k, ext);
		if (n < 0 || (size_t)n >= pathlen) {
			err_set(e, _("%s: the name is too long"), dir);
			goto out;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0666);
		if (fd != -1)
			break;
		if (errno != EEXIST) {
			err_set(e, "%s: %s", path, strerror(errno));
			goto out;
		}
	}
	if (fd == -1) {
		err_set(e, _("%s: every name from %s.%s to %s-%d.%s is taken"),
		    dir, base, ext, base, EXPORT_MAX_TRIES, ext);
		goto out;
	}
	n = export_write(fd, o.p, o.len);
	saved = errno;
	if (close(fd) == -1 && n == 0) {
		n = -1;
		saved = errno;
	}
	fd = -1;
	if (n == -1) {
		unlink(path);
		err_set(e, "%s: %s", path, strerror(saved));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	strbuf_free(&o);
	return rc;
}
