/*
 * mat.h -- the one numeric container of losslab: a 1-D vector or a 2-D
 * row-major matrix of doubles.
 *
 * A 1-D value of length k is stored as rows = 1, cols = k, ndim = 1; a 2-D
 * value as rows x cols, ndim = 2 (rows are samples, columns are classes).
 * Either dimension may be 0 (an empty batch).  A mat owns its data: memory
 * from malloc, or (map != NULL) a mapping: of a file whose bytes hold the
 * values (src/npy.c maps large .npy files instead of copying them), or an
 * anonymous one in huge pages for a large array (mat.c); mat_free releases
 * each.  The zero-initialised struct (MAT_INIT)
 * is a valid empty value that mat_free() accepts.
 *
 * Float32 storage (f32 != NULL, v == NULL): the values held as floats, in
 * a mapped float32 .npy file or in memory of their own.  Only eval's
 * float32 path makes such mats (a large float32 .npy input to the losses
 * whose float kernels read floats, and the gradient those kernels write):
 * half the memory and no widening pass.  Every other consumer reads v:
 * mat_widen() turns a float mat into doubles first.
 */
#ifndef LOSSLAB_CORE_MAT_H
#define LOSSLAB_CORE_MAT_H

#include <stddef.h>

struct mat {
	int	 ndim;	/* 1 or 2 (0 only in MAT_INIT before use) */
	size_t	 rows;	/* 1 when ndim == 1 */
	size_t	 cols;	/* the length when ndim == 1 */
	double	*v;	/* rows * cols values, row-major; may be NULL if empty */
	void	*map;	/* NULL, or the mapping (of a file, or anonymous) v
			   or f32 points into (maplen bytes) */
	size_t	 maplen;
	float	*f32;	/* float32 storage instead of v (see above), or NULL */
};

#define MAT_INIT { 0, 0, 0, NULL, NULL, 0, NULL }
/* A mat over values it does not own (never mat_free'd): a view. */
#define MAT_VIEW(ndim, rows, cols, v) \
	{ (ndim), (rows), (cols), (v), NULL, 0, NULL }

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
/* mat_alloc_uninit with float32 storage (f32 set, v NULL); 0 or -1. */
int	 mat_alloc_f32(struct mat *m, int ndim, size_t rows, size_t cols,
	    struct err *e);
/* Turn a float32-storage mat into doubles (exactly; the floats are freed or
   unmapped); nothing to do for a mat of doubles.  0, or -1 (e set, m
   unchanged) when out of memory. */
int	 mat_widen(struct mat *m, struct err *e);
/* Deep copy src into dst as doubles (dst is overwritten, not freed); 0 or
   -1. */
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
