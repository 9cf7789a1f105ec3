/*
 * outfile.c -- a file the user named, replaced whole or not at all (see
 * outfile.h for the rule).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "outfile.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC	0
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW	0
#endif
#ifndef IOV_MAX
#define IOV_MAX		16
#endif

int
outfile_check(const char *path, struct err *e)
{
	struct stat	st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return err_set(e, _("%s is a symbolic link: not written "
		    "through it (remove it, or name the file it points to)"),
		    path);
	return 0;
}

/* Write all n buffers to fd (writev, resumed after short writes and
   EINTR); 0, or -1 with errno set. */
static int
write_all(int fd, const struct iovec *iov0, int n)
{
	struct iovec	 v[IOV_MAX];
	size_t		 skip = 0;
	ssize_t		 w;
	int		 i = 0, k, m;

	for (;;) {
		while (i < n && iov0[i].iov_len == skip) {
			i++;		/* done, or empty */
			skip = 0;
		}
		if (i == n)
			break;
		/* the next batch, the first one past what is written */
		for (m = 0, k = i; k < n && m < IOV_MAX; k++, m++) {
			v[m] = iov0[k];
			if (k == i) {
				v[m].iov_base = (char *)v[m].iov_base + skip;
				v[m].iov_len -= skip;
			}
		}
		w = writev(fd, v, m);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		/* advance i and skip past the w bytes written */
		while (i < n && (size_t)w >= iov0[i].iov_len - skip) {
			w -= (ssize_t)(iov0[i].iov_len - skip);
			skip = 0;
			i++;
		}
		if (i < n)
			skip += (size_t)w;
	}
	return 0;
}

/* What a file is made of: n buffers, then (fill or chunk != NULL) len
   more bytes that fill produces, or chunk hands over, a chunk at a
   time. */
struct source {
	const struct iovec	*iov;
	int			 n;
	outfile_fill_fn		 fill;
	void			*ctx;
	size_t			 len;
	outfile_chunk_fn	 chunk;
};

/* The bytes fill makes go through one buffer of this many (in the caches:
   no fresh memory the size of the file). */
#define FILL_CHUNK	((size_t)256 << 10)

/* The pieces chunk hands over are this many bytes (the last fewer):
   large, so that a writer that waits for them wakes seldom. */
#define CHUNK_MAX	((size_t)1 << 20)

/* Write the whole source to fd; 0, or -1 with errno set. */
static int
write_source(int fd, const struct source *src)
{
	struct iovec	 v;
	unsigned char	*buf;
	size_t		 off, k;
	int		 rc = 0;

	if (write_all(fd, src->iov, src->n) == -1)
		return -1;
	if (src->chunk != NULL) {
		for (off = 0; off < src->len && rc == 0; off += k) {
			k = src->len - off < CHUNK_MAX ? src->len - off :
			    CHUNK_MAX;
			if ((v.iov_base = (void *)(uintptr_t)src->chunk(
			    src->ctx, off, k)) == NULL) {
				errno = ECANCELED;
				return -1;
			}
			v.iov_len = k;
			rc = write_all(fd, &v, 1);
		}
		return rc;
	}
	if (src->fill == NULL || src->len == 0)
		return 0;
	if ((buf = malloc(src->len < FILL_CHUNK ? src->len : FILL_CHUNK)) ==
	    NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (off = 0; off < src->len && rc == 0; off += k) {
		k = src->len - off < FILL_CHUNK ? src->len - off : FILL_CHUNK;
		src->fill(src->ctx, buf, off, k);
		v.iov_base = buf;
		v.iov_len = k;
		rc = write_all(fd, &v, 1);
	}
	free(buf);
	return rc;
}

/* Files from this size on get their blocks before they are written. */
#define RESERVE_MIN	((size_t)1 << 20)

/*
 * Give the new temporary file fd its blocks before the source is written
 * (Linux's fallocate; elsewhere, or where the file system cannot, nothing).
 * Why: ext4 (auto_da_alloc) writes back a file renamed over another before
 * rename() returns if its blocks are still to be allocated, so replacing an
 * 80 MB gradient waited 30-55 ms in rename(); with the blocks reserved it
 * does not wait.  The file's size stays what is written (KEEP_SIZE).
 * Failure is ignored: the writes that follow report it.
 */
static void
reserve(int fd, const struct source *src)
{
#if defined(HAVE_FALLOCATE) && defined(FALLOC_FL_KEEP_SIZE)
	size_t	total = src->fill != NULL || src->chunk != NULL ? src->len : 0;
	int	i;

	for (i = 0; i < src->n; i++)
		total += src->iov[i].iov_len;
	if (total >= RESERVE_MIN && total <= (size_t)LLONG_MAX)
		(void)fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)total);
#else
	(void)fd;
	(void)src;
#endif
}

/* Into what is at path, not a regular file: written as it is, never
   removed. */
static int
write_into(const char *path, const struct source *src, struct err *e)
{
	int	 fd, saved;

	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (write_source(fd, src) == -1) {
		saved = errno;
		close(fd);
		return err_set(e, "%s: %s", path, strerror(saved));
	}
	if (close(fd) == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	return 0;
}

static int
write_path(const char *path, const struct source *src, struct err *e)
{
	struct stat	 st;
	const char	*slash = strrchr(path, '/');
	char		*tmp;
	mode_t		 um;
	int		 fd, saved;

	if (outfile_check(path, e) == -1)
		return -1;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return err_set(e, "%s: %s", path, strerror(EISDIR));
		return write_into(path, src, e);
	}
	/* the temporary file in the same folder, so rename() is atomic */
	if (asprintf(&tmp, "%.*s.%s.losslab-XXXXXX", slash != NULL ?
	    (int)(slash - path + 1) : 0, path, slash != NULL ? slash + 1 :
	    path) < 0)
		return err_set(e, "%s: %s", path, strerror(ENOMEM));
	if ((fd = mkstemp(tmp)) == -1) {
		saved = errno;
		free(tmp);
		return err_set(e, "%s: %s", path, strerror(saved));
	}
	/* the mode a new file would get (mkstemp makes it 0600) */
	um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	saved = 0;
	reserve(fd, src);
	if (write_source(fd, src) == -1)
		saved = errno;
	if (close(fd) == -1 && saved == 0)
		saved = errno;
	/* again: a link may have appeared while we wrote */
	if (saved == 0 && outfile_check(path, e) == -1) {
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (saved == 0 && rename(tmp, path) == -1)
		saved = errno;
	if (saved != 0) {
		unlink(tmp);
		free(tmp);
		return err_set(e, "%s: %s", path, strerror(saved));
	}
	free(tmp);
	return 0;
}

int
outfile_writev(const char *path, const struct iovec *iov, int n,
    struct err *e)
{
	struct source	src = { iov, n, NULL, NULL, 0, NULL };

	return write_path(path, &src, e);
}

int
outfile_write_fill(const char *path, const struct iovec *iov, int n,
    size_t len, outfile_fill_fn fill, void *ctx, struct err *e)
{
	struct source	src = { iov, n, fill, ctx, len, NULL };

	return write_path(path, &src, e);
}

int
outfile_write_chunks(const char *path, const struct iovec *iov, int n,
    size_t len, outfile_chunk_fn chunk, void *ctx, struct err *e)
{
	struct source	src = { iov, n, NULL, ctx, len, chunk };

	return write_path(path, &src, e);
}

int
outfile_write(const char *path, const void *buf, size_t len, struct err *e)
{
	struct iovec	v;

	v.iov_base = (void *)buf;
	v.iov_len = len;
	return outfile_writev(path, &v, 1, e);
}
