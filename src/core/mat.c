/*
 * mat.c -- allocation and shape helpers for struct mat, and err_set().
 */
#include "config.h"

#include <sys/mman.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mat.h"

int
err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* The allocation of mat_alloc and mat_alloc_uninit (calloc or malloc). */
static int
alloc(struct mat *m, int ndim, size_t rows, size_t cols, int zero,
    struct err *e)
{
	size_t n;

	if (ndim == 1)
		rows = 1;
	if (cols != 0 && rows > SIZE_MAX / sizeof(double) / cols)
		return err_set(e, "out of memory");
	n = rows * cols;
	m->map = NULL;
	m->maplen = 0;
	m->ndim = ndim;
	m->rows = rows;
	m->cols = cols;
	if (zero)
		m->v = calloc(n ? n : 1, sizeof *m->v);
	else
		m->v = malloc((n ? n : 1) * sizeof *m->v);
	if (m->v == NULL)
		return err_set(e, "out of memory");
#if defined(MADV_HUGEPAGE)
	/* A large array's whole 2 MiB extents in transparent huge pages where
	   the kernel offers them: one page fault for 512 (a hint; the memory
	   is calloc's, zero either way). */
	if (n >= ((size_t)4 << 20) / sizeof *m->v) {
		uintptr_t lo = ((uintptr_t)m->v + 4095) & ~(uintptr_t)4095;
		uintptr_t hi = ((uintptr_t)(m->v + n)) & ~(uintptr_t)4095;

		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	}
#endif
	return 0;
}

int
mat_alloc(struct mat *m, int ndim, size_t rows, size_t cols, struct err *e)
{
	return alloc(m, ndim, rows, cols, 1, e);
}

int
mat_alloc_uninit(struct mat *m, int ndim, size_t rows, size_t cols,
    struct err *e)
{
	return alloc(m, ndim, rows, cols, 0, e);
}

int
mat_copy(struct mat *dst, const struct mat *src, struct err *e)
{
	if (mat_alloc(dst, src->ndim, src->rows, src->cols, e) != 0)
		return -1;
	if (mat_numel(src) != 0)
		memcpy(dst->v, src->v, mat_numel(src) * sizeof *src->v);
	return 0;
}

void
mat_free(struct mat *m)
{
	if (m->map != NULL)
		(void)munmap(m->map, m->maplen);
	else
		free(m->v);
	m->v = NULL;
	m->map = NULL;
	m->maplen = 0;
	m->ndim = 0;
	m->rows = m->cols = 0;
}

size_t
mat_numel(const struct mat *m)
{
	return m->rows * m->cols;
}

int
mat_same_shape(const struct mat *a, const struct mat *b)
{
	return a->ndim == b->ndim && a->rows == b->rows && a->cols == b->cols;
}

const char *
mat_shape_str(const struct mat *m, char *buf, size_t len)
{
	if (m->ndim == 2)
		snprintf(buf, len, "[%zu, %zu]", m->rows, m->cols);
	else
		snprintf(buf, len, "[%zu]", m->cols);
	return buf;
}
