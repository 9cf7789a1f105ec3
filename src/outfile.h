/*
 * outfile.h -- a file the user named, replaced whole or not at all.
 *
 * Every file losslab writes at a path the user gives (--out of plot, train
 * and --dump, --out-grad and --out-elem of eval, a saved lesson, a handout)
 * goes through here, so they all follow one rule:
 *	- a symbolic link at the path is refused, never written through (and
 *	  looked for again just before the rename: it may appear meanwhile);
 *	- a regular file, or no file, is replaced atomically: the bytes go to
 *	  a temporary file in the same folder, which is renamed over the path
 *	  only when every byte is written and closed; on failure only the
 *	  temporary file is removed, so the old file stays as it was;
 *	- anything else that exists there (a device such as /dev/null or
 *	  /dev/full, a FIFO) is written into as it is: it is never renamed over
 *	  or removed, as a failed write must not delete a device node.
 * A new file gets mode 0666 minus the umask, as open(2) would give it.  A
 * temporary file of 1 MiB or more gets its blocks before it is written
 * (fallocate, where there is one), so that renaming it over an old file
 * does not wait for its data to reach the disk (ext4's auto_da_alloc).
 * Errors are one line in e: "PATH: reason".
 */
#ifndef LOSSLAB_OUTFILE_H
#define LOSSLAB_OUTFILE_H

#include <stddef.h>
#include <sys/uio.h>

#include "core/mat.h"

/* Whether path may be written: -1 (e set) when it is a symbolic link.
   Callers check before long work (drawing a plot) so a refusal is early. */
int	 outfile_check(const char *path, struct err *e);
/* Write the n buffers of iov, in order, as the file at path (the rule
   above); 0, or -1 with e set and nothing at path changed (a device may
   have taken part of the bytes). */
int	 outfile_writev(const char *path, const struct iovec *iov, int n,
	    struct err *e);
/* The n buffers of iov, then len bytes made by fill(ctx, buf, off, k),
   which writes bytes [off, off + k) of them into buf (k at most 256 KiB;
   it cannot fail): a file whose bytes are converted from something else
   (float64 values written as float32) without a buffer the size of the
   file.  0, or -1 as outfile_writev. */
typedef void (*outfile_fill_fn)(void *ctx, unsigned char *buf, size_t off,
    size_t k);
int	 outfile_write_fill(const char *path, const struct iovec *iov, int n,
	    size_t len, outfile_fill_fn fill, void *ctx, struct err *e);
/* The n buffers of iov, then len bytes that chunk(ctx, off, k) hands over
   a piece at a time: a pointer to bytes [off, off + k) of them (k at most
   1 MiB), readable until the next call, written from where it points;
   chunk may wait for them to be made (a file written while its numbers
   are computed).  A NULL from chunk abandons the file: -1, errno
   ECANCELED, and nothing at path changed (but what a device took).
   0, or -1 as outfile_writev. */
typedef const void *(*outfile_chunk_fn)(void *ctx, size_t off, size_t k);
int	 outfile_write_chunks(const char *path, const struct iovec *iov,
	    int n, size_t len, outfile_chunk_fn chunk, void *ctx,
	    struct err *e);
/* The same for one buffer of len bytes. */
int	 outfile_write(const char *path, const void *buf, size_t len,
	    struct err *e);

#endif
