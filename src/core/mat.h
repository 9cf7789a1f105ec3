/*
 * mat.h -- the one numeric container of losslab: a 1-D vector or a 2-D
 * row-major matrix of doubles.
 *
 * A 1-D value of length k is stored as rows = 1, cols = k, ndim = 1; a 2-D
 * value as rows x cols, ndim = 2 (rows are samples, columns are classes).
 * Either dimension may be 0 (an empty batch).  A mat owns its data: memory
 * from malloc, or (map != NULL) a private mapping of a file whose bytes
 * hold the values (src/npy.c maps large .npy files instead of copying
 * them); mat_free releases either.  The zero-initialised struct (MAT_INIT)
 * is a valid empty value that mat_free() accepts.
 */
#ifndef LOSSLAB_CORE_MAT_H
#define LOSSLAB_CORE_MAT_H

#include <stddef.h>

struct mat {
	int	 ndim;	/* 1 or 2 (0 only in MAT_INIT before use) */
	size_t	 rows;	/* 1 when ndim == 1 */
	size_t	 cols;	/* the length when ndim == 1 */
	double	*v;	/* rows * cols values, row-major; may be NULL if empty */
	void	*map;	/* NULL, or the mapping v points into (maplen bytes) */
	size_t	 maplen;
};

#define MAT_INIT { 0, 0, 0, NULL, NULL, 0 }
/* A mat over values it does not own (never mat_free'd): a view. */
#define MAT_VIEW(ndim, rows, cols, v) { (ndim), (rows), (cols), (v), NULL, 0 }

/* Error carried out of the core: one line, no "losslab:" prefix. */
struct err {
	char	 msg[256];
};

/* Format a message into e (e may be NULL); always returns -1 for chaining. */
int	 err_set(struct err *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Allocate a zero-filled mat; returns 0, or -1 (with e set) when out of memory. */
int	 mat_alloc(struct mat *m, int ndim, size_t rows, size_t cols,
	    struct err *e);
/* mat_alloc without the zero fill, for a caller that writes every value
   before reading any (no pass over fresh memory); 0 or -1 likewise. */
int	 mat_alloc_uninit(struct mat *m, int ndim, size_t rows, size_t cols,
	    struct err *e);
/* Deep copy src into dst (dst is overwritten, not freed); 0 or -1. */
int	 mat_copy(struct mat *dst, const struct mat *src, struct err *e);
/* Free (or unmap) the data and reset m to MAT_INIT; safe on MAT_INIT and
   twice. */
void	 mat_free(struct mat *m);
/* Number of values (rows * cols). */
size_t	 mat_numel(const struct mat *m);
/* Same ndim, rows and cols. */
int	 mat_same_shape(const struct mat *a, const struct mat *b);
/* Writes a torch-style shape such as "[2, 3]" or "[3]" into buf. */
const char *mat_shape_str(const struct mat *m, char *buf, size_t len);

/* Element (r, c); for 1-D values use r = 0. */
#define MAT_AT(m, r, c)	((m)->v[(size_t)(r) * (m)->cols + (size_t)(c)])

#endif
