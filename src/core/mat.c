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

/* Arrays from this size on get their own mapping, in huge pages. */
#define BIG_MIN		((size_t)4 << 20)
#define HUGE_SIZE	((size_t)2 << 20)

/*
 * A large array (BIG_MIN bytes or more) in an anonymous mapping of its
 * own, aligned to 2 MiB and rounded up to it, advised into transparent
 * huge pages: where the kernel offers them, one page fault for 512 (a
 * fresh 8 MB gradient in malloc's memory took about 1000 faults in 4 KiB
 * pages, some 15 % of a whole eval of it).  Zero-filled, so it serves
 * mat_alloc too.  (AddressSanitizer does not watch the bounds of such a
 * mapping; the tests' arrays are smaller.)  Records
 * the mapping in m (mat_free unmaps it); NULL where there is no such
 * mapping (the caller then takes malloc's memory).
 */
static void *
big_alloc(struct mat *m, size_t len)
{
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
	unsigned char	*p, *q;
	size_t		 need, span, head;

	if (len < BIG_MIN || len > SIZE_MAX - 2 * HUGE_SIZE)
		return NULL;
	need = (len + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	span = need + HUGE_SIZE;
	p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* keep the aligned middle, give back the ends */
	q = (unsigned char *)(((uintptr_t)p + HUGE_SIZE - 1) &
	    ~(uintptr_t)(HUGE_SIZE - 1));
	head = (size_t)(q - p);
	if (head != 0)
		(void)munmap(p, head);
	if (span - head - need != 0)
		(void)munmap(q + need, span - head - need);
	(void)madvise(q, need, MADV_HUGEPAGE);
	m->map = q;
	m->maplen = need;
	return q;
#else
	(void)m;
	(void)len;
	return NULL;
#endif
}

/* The allocation of mat_alloc, mat_alloc_uninit (calloc or malloc) and
   mat_alloc_f32 (malloc of floats). */
static int
alloc(struct mat *m, int ndim, size_t rows, size_t cols, int zero, int f32,
    struct err *e)
{
	size_t n, size = f32 ? sizeof(float) : sizeof(double);
	void *p;

	if (ndim == 1)
		rows = 1;
	if (cols != 0 && rows > SIZE_MAX / size / cols)
		return err_set(e, "out of memory");
	n = rows * cols;
	m->map = NULL;
	m->maplen = 0;
	m->v = NULL;
	m->f32 = NULL;
	m->ndim = ndim;
	m->rows = rows;
	m->cols = cols;
	if ((p = big_alloc(m, n * size)) == NULL)
		p = zero ? calloc(n ? n : 1, size) : malloc((n ? n : 1) *
		    size);
	if (p == NULL)
		return err_set(e, "out of memory");
	if (f32)
		m->f32 = p;
	else
		m->v = p;
	return 0;
}

int
mat_alloc(struct mat *m, int ndim, size_t rows, size_t cols, struct err *e)
{
	return alloc(m, ndim, rows, cols, 1, 0, e);
}

int
mat_alloc_uninit(struct mat *m, int ndim, size_t rows, size_t cols,
    struct err *e)
{
	return alloc(m, ndim, rows, cols, 0, 0, e);
}

int
mat_alloc_f32(struct mat *m, int ndim, size_t rows, size_t cols,
    struct err *e)
{
	return alloc(m, ndim, rows, cols, 0, 1, e);
}

int
mat_widen(struct mat *m, struct err *e)
{
	struct mat	d;
	size_t		i, n = mat_numel(m);

	if (m->f32 == NULL)
		return 0;
	if (alloc(&d, m->ndim, m->rows, m->cols, 0, 0, e) != 0)
		return -1;
	for (i = 0; i < n; i++)
		d.v[i] = (double)m->f32[i];
	mat_free(m);
	*m = d;
	return 0;
}

int
mat_copy(struct mat *dst, const struct mat *src, struct err *e)
{
	size_t	i;

	if (mat_alloc(dst, src->ndim, src->rows, src->cols, e) != 0)
		return -1;
	if (src->f32 != NULL)
		for (i = 0; i < mat_numel(src); i++)
			dst->v[i] = (double)src->f32[i];
	else if (mat_numel(src) != 0)
		memcpy(dst->v, src->v, mat_numel(src) * sizeof *src->v);
	return 0;
}

void
mat_free(struct mat *m)
{
	if (m->map != NULL)
		(void)munmap(m->map, m->maplen);
	else {
		free(m->v);
		free(m->f32);
	}
	m->v = NULL;
	m->f32 = NULL;
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
