/*
 * npy.c -- NumPy's .npy files (see npy.h and numpy's format.py, "the .npy
 * format"): the header dict is parsed by a small recursive reader of the
 * one literal numpy writes, never evaluated; the data is converted from
 * the file's byte order and layout into doubles in C order.  Nothing here
 * prints or exits: every failure is a one-line message in struct err.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/vmath.h"
#include "i18n.h"
#include "npy.h"
#include "outfile.h"

static const struct {
	const char	*name;
	char		 kind;	/* numpy's kind character: b, i, u, f */
	int		 size;	/* bytes */
} npy_types[NPY_TYPE_COUNT] = {
	[NPY_NONE] = { "text", 0, 0 },
#define NPY_X(id, name, kind, size) [id] = { name, kind, size },
	NPY_TYPE_TABLE(NPY_X)
#undef NPY_X
};

static const unsigned char npy_magic[6] = { 0x93, 'N', 'U', 'M', 'P', 'Y' };

const char *
npy_type_name(enum npy_type t)
{
	if ((int)t < 0 || t >= NPY_TYPE_COUNT)
		return "?";
	return npy_types[t].name;
}

int
npy_is_npy(const void *buf, size_t len)
{
	return len >= sizeof npy_magic &&
	    memcmp(buf, npy_magic, sizeof npy_magic) == 0;
}

void
npy_free(struct npy_array *a)
{
	static const struct npy_array empty = NPY_ARRAY_INIT;

	if (a->map != NULL)
		(void)munmap(a->map, a->maplen);
	else
		free(a->v);
	*a = empty;
}

static enum npy_map npy_map_ok;		/* npy_map_files() */

void
npy_map_files(enum npy_map how)
{
	npy_map_ok = how;
}

const char *
npy_shape_str(const struct npy_array *a, char *buf, size_t len)
{
	size_t	off = 0;
	int	i, n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	n = snprintf(buf, len, "(");
	off = n > 0 ? (size_t)n : 0;
	for (i = 0; i < a->ndim && off < len; i++) {
		n = snprintf(buf + off, len - off, "%s%zu", i ? ", " : "",
		    a->shape[i]);
		off += n > 0 ? (size_t)n : 0;
	}
	if (off < len)
		snprintf(buf + off, len - off, a->ndim == 1 ? ",)" : ")");
	return buf;
}

/* --- the header dict ------------------------------------------------------ */

/* A cursor over the header text [p, end). */
struct hdr {
	const char	*p, *end;
};

static void
hdr_blank(struct hdr *h)
{
	while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' ||
	    *h->p == '\n' || *h->p == '\r'))
		h->p++;
}

/* Take character c (after blanks); 0 if it is there, else -1. */
static int
hdr_take(struct hdr *h, char c)
{
	hdr_blank(h);
	if (h->p < h->end && *h->p == c) {
		h->p++;
		return 0;
	}
	return -1;
}

/* A quoted string without escapes into buf; 0 or -1. */
static int
hdr_string(struct hdr *h, char *buf, size_t len)
{
	char	 q;
	size_t	 n = 0;

	hdr_blank(h);
	if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
		return -1;
	q = *h->p++;
	while (h->p < h->end && *h->p != q) {
		if (*h->p == '\\' || n + 1 >= len)
			return -1;
		buf[n++] = *h->p++;
	}
	if (h->p >= h->end)
		return -1;
	h->p++;
	buf[n] = '\0';
	return 0;
}

/* A word such as True or False; 0 or -1. */
static int
hdr_word(struct hdr *h, const char *w)
{
	size_t	n = strlen(w);

	hdr_blank(h);
	if ((size_t)(h->end - h->p) >= n && memcmp(h->p, w, n) == 0) {
		h->p += n;
		return 0;
	}
	return -1;
}

/* The shape tuple "(2, 3)", "(3,)", "()" into a; 0 or -1 with e set. */
static int
hdr_shape(struct hdr *h, struct npy_array *a, struct err *e)
{
	size_t	 d, count = 1;
	int	 zero = 0;

	if (hdr_take(h, '(') != 0)
		return err_set(e, _("the header's shape is not a tuple"));
	a->ndim = 0;
	for (;;) {
		if (hdr_take(h, ')') == 0)
			break;
		hdr_blank(h);
		if (h->p >= h->end || *h->p < '0' || *h->p > '9')
			return err_set(e, _("the header's shape is not a tuple "
			    "of sizes"));
		d = 0;
		while (h->p < h->end && *h->p >= '0' && *h->p <= '9') {
			if (d > (SIZE_MAX - 9) / 10)
				return err_set(e, _("a dimension in the header "
				    "is too large"));
			d = d * 10 + (size_t)(*h->p++ - '0');
		}
		if (h->p < h->end && *h->p == 'L')
			h->p++;		/* Python 2's long */
		if (a->ndim >= NPY_MAX_NDIM)
			return err_set(e, _("more than %d dimensions"),
			    NPY_MAX_NDIM);
		a->shape[a->ndim++] = d;
		/* The count, checked against the limit as it grows so that
		   no product can overflow (a 0 makes the array empty). */
		if (d == 0)
			zero = 1;
		else if (!zero) {
			if (count > NPY_MAX_VALUES / d)
				return err_set(e, _("more than %u values (the "
				    "limit)"), NPY_MAX_VALUES);
			count *= d;
		}
		if (hdr_take(h, ',') != 0) {
			if (hdr_take(h, ')') != 0)
				return err_set(e, _("the header's shape is "
				    "not a tuple"));
			break;
		}
	}
	a->count = zero ? 0 : count;
	return 0;
}

/* The descr string "<f8" into a->type and a->big_endian; 0 or -1. */
static int
descr_type(const char *s, struct npy_array *a, struct err *e)
{
	char	 order = s[0], kind;
	long	 size;
	char	*end;
	int	 t;

	if (order != '<' && order != '>' && order != '|' && order != '=')
		return err_set(e, _("dtype '%.20s' is not supported"), s);
	kind = s[1];
	errno = 0;
	size = kind ? strtol(s + 2, &end, 10) : 0;
	if (kind == 'O')
		return err_set(e, _("dtype object ('%.20s') is refused: its "
		    "values are pickled Python objects, which losslab never "
		    "unpickles"), s);
	if (kind == 'c')
		return err_set(e, _("complex dtype '%.20s' is not supported "
		    "(a loss takes real numbers)"), s);
	if (kind == 'U' || kind == 'S' || kind == 'a')
		return err_set(e, _("string dtype '%.20s' is not supported"),
		    s);
	if (kind == 'M' || kind == 'm')
		return err_set(e, _("datetime dtype '%.20s' is not supported"),
		    s);
	if (kind == 'V')
		return err_set(e, _("void (structured) dtype '%.20s' is not "
		    "supported"), s);
	if (kind == 0 || s[2] == '\0' || errno != 0 || *end != '\0')
		return err_set(e, _("dtype '%.20s' is not supported"), s);
	for (t = NPY_NONE + 1; t < NPY_TYPE_COUNT; t++)
		if (npy_types[t].kind == kind && npy_types[t].size == size)
			break;
	if (t == NPY_TYPE_COUNT)
		return err_set(e, _("dtype '%.20s' is not supported (bool, "
		    "int8..int64, uint8..uint64, float16, float32, float64 "
		    "are)"), s);
	/* '|' and '=' are for one-byte types; '=' (native) on a multi-byte
	   type is what this machine is. */
	a->type = (enum npy_type)t;
	a->big_endian = order == '>';
	if (order == '=') {
		uint16_t one = 1;

		a->big_endian = *(unsigned char *)&one == 0;
	}
	if (order == '|' && size > 1)
		return err_set(e, _("dtype '%.20s' gives no byte order"), s);
	return 0;
}

/* Parse the header dict into a (type, order, shape); 0 or -1 with e set. */
static int
parse_header(const char *text, size_t len, struct npy_array *a,
    struct err *e)
{
	struct hdr	 h = { text, text + len };
	char		 key[32], descr[64];
	int		 have_descr = 0, have_order = 0, have_shape = 0;

	if (hdr_take(&h, '{') != 0)
		return err_set(e, _("the header is not a dict"));
	for (;;) {
		if (hdr_take(&h, '}') == 0)
			break;
		if (hdr_string(&h, key, sizeof key) != 0 ||
		    hdr_take(&h, ':') != 0)
			return err_set(e, _("the header is not a dict of "
			    "descr, fortran_order and shape"));
		if (strcmp(key, "descr") == 0 && !have_descr) {
			hdr_blank(&h);
			if (h.p < h.end && *h.p == '[')
				return err_set(e, _("structured dtypes (a list "
				    "of fields) are not supported"));
			if (hdr_string(&h, descr, sizeof descr) != 0)
				return err_set(e, _("the header's descr is not "
				    "a dtype string"));
			if (descr_type(descr, a, e) != 0)
				return -1;
			have_descr = 1;
		} else if (strcmp(key, "fortran_order") == 0 && !have_order) {
			if (hdr_word(&h, "True") == 0)
				a->fortran = 1;
			else if (hdr_word(&h, "False") == 0)
				a->fortran = 0;
			else
				return err_set(e, _("the header's "
				    "fortran_order is not True or False"));
			have_order = 1;
		} else if (strcmp(key, "shape") == 0 && !have_shape) {
			if (hdr_shape(&h, a, e) != 0)
				return -1;
			have_shape = 1;
		} else
			return err_set(e, _("the header has an unexpected or "
			    "repeated key '%.31s'"), key);
		if (hdr_take(&h, ',') != 0) {
			if (hdr_take(&h, '}') != 0)
				return err_set(e,
				    _("the header is not a dict"));
			break;
		}
	}
	hdr_blank(&h);
	if (h.p != h.end)
		return err_set(e, _("the header has text after its dict"));
	if (!have_descr || !have_order || !have_shape)
		return err_set(e, _("the header lacks %s"),
		    !have_descr ? "descr" : !have_order ? "fortran_order" :
		    "shape");
	return 0;
}

/* --- the data --------------------------------------------------------------- */

/* An IEEE half (binary16) as a double, exactly. */
static double
half_to_double(uint16_t h)
{
	int	 ex = (h >> 10) & 0x1f;
	double	 m = h & 0x3ff, v;

	if (ex == 0x1f)
		v = m != 0 ? NAN : INFINITY;
	else if (ex == 0)
		v = ldexp(m, -24);		/* subnormal: m * 2^-24 */
	else
		v = ldexp(m + 1024, ex - 25);	/* (1 + m/1024) * 2^(ex-15) */
	return (h & 0x8000) ? -v : v;
}

/* The unsigned integer of `size` bytes at p in the given byte order. */
static uint64_t
load_uint(const unsigned char *p, int size, int big)
{
	uint64_t	u = 0;
	int		i;

	for (i = 0; i < size; i++)
		u |= (uint64_t)p[big ? size - 1 - i : i] << (8 * i);
	return u;
}

/* Value k of the data as a double; -1 (e set) for an integer that a
   double cannot hold exactly. */
static int
load_value(const unsigned char *p, const struct npy_array *a, size_t k,
    double *out, struct err *e)
{
	int		 size = npy_types[a->type].size;
	uint64_t	 u = load_uint(p, size, a->big_endian);
	const uint64_t	 exact = (uint64_t)1 << 53;
	union { uint32_t u; float f; } f32;
	union { uint64_t u; double d; } f64;
	int64_t		 s;

	switch (npy_types[a->type].kind) {
	case 'b':
		if (u > 1)
			return err_set(e, _("value %zu is a bool of byte %u, "
			    "not 0 or 1"), k + 1, (unsigned)u);
		*out = (double)u;
		return 0;
	case 'u':
		if (u > exact)
			return err_set(e, _("value %zu (%llu) is too large to "
			    "be exact in float64"), k + 1,
			    (unsigned long long)u);
		*out = (double)u;
		return 0;
	case 'i':
		/* sign-extend from size bytes */
		if (size < 8 && (u >> (8 * size - 1)) & 1)
			u |= ~(uint64_t)0 << (8 * size);
		memcpy(&s, &u, sizeof s);
		if (s > (int64_t)exact || s < -(int64_t)exact)
			return err_set(e, _("value %zu (%lld) is too large to "
			    "be exact in float64"), k + 1, (long long)s);
		*out = (double)s;
		return 0;
	default:
		if (size == 2)
			*out = half_to_double((uint16_t)u);
		else if (size == 4) {
			f32.u = (uint32_t)u;
			*out = f32.f;
		} else {
			f64.u = u;
			*out = f64.d;
		}
		return 0;
	}
}

/*
 * Convert the data into a->v in C order.  A Fortran-order file holds
 * element (i0, i1, ..., ik) at i0 + s0 (i1 + s1 (i2 + ...)): the first
 * index varies fastest; an odometer over that order keeps the C offset.
 */
static int
load_data(const unsigned char *data, struct npy_array *a, struct err *e)
{
	size_t	 size = (size_t)npy_types[a->type].size, k, off = 0;
	size_t	 idx[NPY_MAX_NDIM] = { 0 }, cstride[NPY_MAX_NDIM];
	int	 d;

	if (a->count == 0)
		return 0;
	if ((a->v = malloc(a->count * sizeof *a->v)) == NULL)
		return err_set(e, _("out of memory for %zu values"), a->count);
	if (!a->fortran || a->ndim < 2) {
		/* The common case in one tight loop per type. */
		if (a->type == NPY_FLOAT64 && !a->big_endian) {
			uint16_t one = 1;

			if (*(unsigned char *)&one == 1) {
				memcpy(a->v, data, a->count * sizeof *a->v);
				return 0;
			}
		}
		for (k = 0; k < a->count; k++)
			if (load_value(data + k * size, a, k, &a->v[k], e) != 0)
				return -1;
		return 0;
	}
	cstride[a->ndim - 1] = 1;
	for (d = a->ndim - 2; d >= 0; d--)
		cstride[d] = cstride[d + 1] * a->shape[d + 1];
	for (k = 0; k < a->count; k++) {
		if (load_value(data + k * size, a, k, &a->v[off], e) != 0)
			return -1;
		for (d = 0; d < a->ndim; d++) {
			off += cstride[d];
			if (++idx[d] < a->shape[d])
				break;
			off -= cstride[d] * a->shape[d];
			idx[d] = 0;
		}
	}
	return 0;
}

int
npy_parse(const void *buf, size_t len, struct npy_array *a, struct err *e)
{
	static const struct npy_array empty = NPY_ARRAY_INIT;
	const unsigned char	*b = buf;
	size_t			 hlen, pre, need, size;
	unsigned		 major;

	*a = empty;
	if (!npy_is_npy(buf, len))
		return err_set(e, _("not a .npy file (no \\x93NUMPY magic)"));
	if (len < 10)
		return err_set(e, _("truncated: %zu bytes, less than a .npy "
		    "preamble"), len);
	major = b[6];
	if (major == 1) {
		hlen = (size_t)b[8] | (size_t)b[9] << 8;
		pre = 10;
	} else if (major == 2 || major == 3) {
		if (len < 12)
			return err_set(e, _("truncated: %zu bytes, less than a "
			    ".npy preamble"), len);
		hlen = (size_t)b[8] | (size_t)b[9] << 8 |
		    (size_t)b[10] << 16 | (size_t)b[11] << 24;
		pre = 12;
	} else
		return err_set(e, _(".npy format version %u.%u is not "
		    "supported (1.0, 2.0 and 3.0 are)"), major, b[7]);
	if (hlen > NPY_MAX_HEADER)
		return err_set(e, _("the header says it is %zu bytes, more "
		    "than %u (the limit)"), hlen, NPY_MAX_HEADER);
	if (hlen > len - pre)
		return err_set(e, _("truncated: the header says it is %zu "
		    "bytes, the file has %zu after the preamble"), hlen,
		    len - pre);
	/* Versions 1 and 2 are latin-1, 3 is UTF-8; a dict of the three
	   keys is ASCII in all, and anything else is refused. */
	if (memchr(b + pre, '\0', hlen) != NULL)
		return err_set(e, _("the header holds a NUL byte"));
	if (parse_header((const char *)b + pre, hlen, a, e) != 0) {
		npy_free(a);
		return -1;
	}
	size = (size_t)npy_types[a->type].size;
	need = a->count * size;		/* <= 2^24 * 8: no overflow */
	if (len - pre - hlen < need) {
		err_set(e, _("truncated: the header says %zu %s values (%zu "
		    "bytes), the file has %zu bytes of data"), a->count,
		    npy_type_name(a->type), need, len - pre - hlen);
		npy_free(a);
		return -1;
	}
	if (len - pre - hlen > need) {
		err_set(e, _("the header says %zu %s values (%zu bytes), the "
		    "file has %zu bytes of data"), a->count,
		    npy_type_name(a->type), need, len - pre - hlen);
		npy_free(a);
		return -1;
	}
	if (load_data(b + pre + hlen, a, e) != 0) {
		npy_free(a);
		return -1;
	}
	return 0;
}

/* --- reading a file straight into the array --------------------------- */

/* Whether this machine is little-endian (the fast paths take only files
   of its byte order). */
static int
host_little(void)
{
	uint16_t	one = 1;

	return *(unsigned char *)&one == 1;
}

/* Read exactly len bytes at offset off of fd into buf; 0 or -1 (a read
   error, or the file ended early). */
static int
read_at(int fd, void *buf, size_t len, off_t off)
{
	unsigned char	*p = buf;
	ssize_t		 got;

	while (len > 0) {
		got = pread(fd, p, len > ((size_t)1 << 30) ? (size_t)1 << 30 :
		    len, off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		off += got;
		len -= (size_t)got;
	}
	return 0;
}

/* Values converted a block at a time through a local copy (the source
   and the destination may overlap: see npy_read_path). */
#define NPY_CONVERT_BLOCK	1024

/*
 * Convert a->count values of `size` bytes (float32 or int64, this
 * machine's byte order) at src into the doubles of a->v, front to back.
 * src may be the end of a->v's own memory: value k goes to bytes [8k, 8k
 * + 8) from [B + size k, ...), B = count (8 - size), so the write of value
 * k can only reach sources of values before k, which are already read
 * (each block is copied out before its values are written).  -1 for an
 * int64 that a double cannot hold exactly (the caller then takes the slow
 * path, which says which).
 */
static int
convert_from(struct npy_array *a, const unsigned char *src, size_t size)
{
	size_t		 n = a->count, k, i, b;
	const int64_t	 exact = (int64_t)1 << 53;
	union {
		float	 f[NPY_CONVERT_BLOCK];
		int64_t	 i[NPY_CONVERT_BLOCK];
	} blk;
	int		 bad = 0;

	for (k = 0; k < n; k += b) {
		b = n - k < NPY_CONVERT_BLOCK ? n - k : NPY_CONVERT_BLOCK;
		memcpy(&blk, src + k * size, b * size);
		if (size == 4)
			for (i = 0; i < b; i++)
				a->v[k + i] = (double)blk.f[i];
		else {
			for (i = 0; i < b; i++)
				bad |= blk.i[i] > exact || blk.i[i] < -exact;
			if (bad)
				return -1;
			for (i = 0; i < b; i++)
				a->v[k + i] = (double)blk.i[i];
		}
	}
	return 0;
}

/* malloc for a large array, its whole 2 MiB extents in transparent huge
   pages where the kernel offers them (one page fault for 512; a hint, as
   in core/mat.c). */
static void *
alloc_big(size_t len)
{
	void	*p = malloc(len ? len : 1);

#if defined(MADV_HUGEPAGE)
	if (p != NULL && len >= ((size_t)4 << 20)) {
		uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
		uintptr_t hi = ((uintptr_t)p + len) & ~(uintptr_t)4095;

		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	}
#endif
	return p;
}

int
npy_read_path(const char *path, struct npy_array *a)
{
	static const struct npy_array empty = NPY_ARRAY_INIT;
	unsigned char	 pre[12];
	char		*hdr = NULL;
	struct stat	 st;
	struct err	 e;
	size_t		 hlen, plen, size, data;
	int		 fd, ok = 0;

	*a = empty;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 12 ||
	    (uintmax_t)st.st_size > NPY_MAX_FILE ||
	    read_at(fd, pre, sizeof pre, 0) != 0 ||
	    !npy_is_npy(pre, sizeof pre) || pre[6] < 1 || pre[6] > 3)
		goto out;
	plen = pre[6] == 1 ? 10 : 12;
	hlen = (size_t)pre[8] | (size_t)pre[9] << 8;
	if (plen == 12)
		hlen |= (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
	if (hlen > NPY_MAX_HEADER || plen + hlen > (size_t)st.st_size ||
	    (hdr = malloc(hlen + 1)) == NULL ||
	    read_at(fd, hdr, hlen, (off_t)plen) != 0 ||
	    memchr(hdr, '\0', hlen) != NULL ||
	    parse_header(hdr, hlen, a, &e) != 0)
		goto out;
	size = (size_t)npy_types[a->type].size;
	data = a->count * size;
	if ((a->fortran && a->ndim >= 2) || a->big_endian || !host_little() ||
	    (a->type != NPY_FLOAT64 && a->type != NPY_FLOAT32 &&
	    a->type != NPY_INT64) ||
	    (size_t)st.st_size != plen + hlen + data)
		goto out;
	if (a->count == 0) {
		ok = 1;
		goto out;
	}
	/* A large float64 file: its own pages, mapped (no fresh memory, no
	   copy); the data must be aligned for doubles (numpy pads the header
	   to 64 bytes; old files to 16).  Writable but private, so that a
	   caller may change values in place (a copy of that page only); not
	   MAP_POPULATE, which would copy every page of a writable mapping
	   up front (3x slower than the kernel's fault-around). */
	if (npy_map_ok && size == 8 && a->type == NPY_FLOAT64 &&
	    data >= NPY_MAP_MIN && (plen + hlen) % sizeof(double) == 0) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE, fd, 0);

		if (p != MAP_FAILED) {
			a->map = p;
			a->maplen = (size_t)st.st_size;
			a->v = (double *)(void *)((unsigned char *)p + plen +
			    hlen);
			ok = 1;
			goto out;
		}
	}
	/* A large float32 file kept as floats (NPY_MAP_F32): its pages. */
	if (npy_map_ok == NPY_MAP_F32 && a->type == NPY_FLOAT32 &&
	    data >= NPY_MAP_MIN && (plen + hlen) % sizeof(float) == 0) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE, fd, 0);

		if (p != MAP_FAILED) {
			a->map = p;
			a->maplen = (size_t)st.st_size;
			a->f32 = (float *)(void *)((unsigned char *)p + plen +
			    hlen);
			ok = 1;
			goto out;
		}
	}
	if ((a->v = alloc_big(a->count * sizeof *a->v)) == NULL)
		goto out;
	/* A large float32 or int64 file (when mapping is allowed): widened
	   from its mapped pages, no copy of the file in between. */
	if (npy_map_ok && a->type != NPY_FLOAT64 && data >= NPY_MAP_MIN) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ,
		    MAP_PRIVATE, fd, 0);

		if (p != MAP_FAILED) {
			ok = convert_from(a, (unsigned char *)p + plen + hlen,
			    size) == 0;
			(void)munmap(p, (size_t)st.st_size);
			goto out;
		}
	}
	/* No zero-filling, no copy of the file: the data is read into the
	   end of the array's own memory and widened in place. */
	if (read_at(fd, (unsigned char *)a->v + a->count * (8 - size), data,
	    (off_t)(plen + hlen)) != 0)
		goto out;
	ok = size == 8 && a->type == NPY_FLOAT64 ? 1 :
	    convert_from(a, (unsigned char *)a->v + a->count * (8 - size),
	    size) == 0;
out:
	free(hdr);
	close(fd);
	if (!ok)
		npy_free(a);
	return ok;
}

/* --- writing ---------------------------------------------------------------- */

/*
 * The preamble and header dict, padded so that the data starts at a
 * multiple of 64 and ended by a newline (numpy's format.py does the
 * same), into buf; returns its length.
 */
static size_t
write_header(unsigned char *buf, size_t len, int ndim, const size_t *shape,
    int f32)
{
	char	*hdr = (char *)buf + 10;
	size_t	 off, cap = len - 10;
	int	 i;

	off = (size_t)snprintf(hdr, cap,
	    "{'descr': '%s', 'fortran_order': False, 'shape': (",
	    f32 ? "<f4" : "<f8");
	for (i = 0; i < ndim; i++)
		off += (size_t)snprintf(hdr + off, cap - off, "%s%zu",
		    i ? ", " : "", shape[i]);
	off += (size_t)snprintf(hdr + off, cap - off, "%s, }",
	    ndim == 1 ? ",)" : ")");
	while ((10 + off + 1) % 64 != 0)
		hdr[off++] = ' ';
	hdr[off++] = '\n';
	memcpy(buf, npy_magic, 6);
	buf[6] = 1;
	buf[7] = 0;
	buf[8] = (unsigned char)(off & 0xff);
	buf[9] = (unsigned char)(off >> 8);
	return 10 + off;
}

/* n values as little-endian float32 (f32) or float64 bytes into buf (a
   big-endian machine's path, or float32 there). */
static void
to_le(unsigned char *buf, const double *v, size_t n, int f32)
{
	uint64_t	 u;
	uint32_t	 u32;
	float		 f;
	size_t		 j;
	int		 i;

	for (j = 0; j < n; j++) {
		if (f32) {
			f = (float)v[j];
			memcpy(&u32, &f, 4);
			for (i = 0; i < 4; i++)
				buf[4 * j + (size_t)i] =
				    (unsigned char)(u32 >> (8 * i));
		} else {
			memcpy(&u, &v[j], 8);
			for (i = 0; i < 8; i++)
				buf[8 * j + (size_t)i] =
				    (unsigned char)(u >> (8 * i));
		}
	}
}

/* What npy_write's fill converts: the values of v (or of the floats fv),
   as float32 or not. */
struct npy_fill {
	const double	*v;
	const float	*fv;
	int		 f32;
};

/* Floats widened at a time by fill_values. */
#define FILL_FLOATS	512

/* Bytes [off, off + k) of the data: whole values, since the chunks are
   multiples of 8 bytes and the data starts at 0 (outfile.c). */
VMATH_LOOPS_BEGIN
static void
fill_values(void *ctx, unsigned char *buf, size_t off, size_t k)
{
	const struct npy_fill	*f = ctx;
	size_t			 w = f->f32 ? 4 : 8, j, n = k / w;
	const double		*v;
	double			 d[FILL_FLOATS];

	if (f->fv != NULL) {
		/* floats: widened a block at a time, then as doubles */
		for (j = 0; j < n; j += FILL_FLOATS) {
			size_t b = n - j < FILL_FLOATS ? n - j : FILL_FLOATS, i;

			for (i = 0; i < b; i++)
				d[i] = (double)f->fv[off / w + j + i];
			to_le(buf + j * w, d, b, f->f32);
		}
		return;
	}
	v = f->v + off / w;
	if (host_little() && f->f32) {
		float	*fb = (float *)(void *)buf;

		/* a loop GCC vectorises: the bytes are the floats' (rounded
		   as torch's .float()) */
		for (j = 0; j < n; j++)
			fb[j] = (float)v[j];
	} else
		to_le(buf, v, n, f->f32);
}
VMATH_LOOPS_END

/* The header of n values of shape[0..ndim) into head (NPY_HEAD_MAX
   bytes) as iov; 0, or -1 with e set when the shape is not theirs. */
#define NPY_HEAD_MAX	(192 + NPY_MAX_NDIM * 24)

static int
header_iov(const char *path, int ndim, const size_t *shape, size_t n,
    int f32, unsigned char *head, struct iovec *iov, struct err *e)
{
	size_t	count = 1;
	int	i;

	if (ndim < 0 || ndim > NPY_MAX_NDIM)
		return err_set(e, _("cannot write '%s': %d dimensions"), path,
		    ndim);
	for (i = 0; i < ndim; i++)
		count *= shape[i];
	if (count != n)
		return err_set(e, _("cannot write '%s': %zu values for a shape "
		    "of %zu"), path, n, count);
	iov->iov_base = head;
	iov->iov_len = write_header(head, NPY_HEAD_MAX, ndim, shape, f32);
	return 0;
}

/* npy_write of the doubles v or, where v is NULL, the floats fv. */
static int
write_values(const char *path, int ndim, const size_t *shape,
    const double *v, const float *fv, size_t n, int f32, struct err *e)
{
	unsigned char	 head[NPY_HEAD_MAX];
	struct iovec	 iov[2];
	struct npy_fill	 f;
	struct err	 oe;
	size_t		 w = f32 ? 4 : 8;
	int		 rc;

	if (header_iov(path, ndim, shape, n, f32, head, &iov[0], e) != 0)
		return -1;
	if (host_little() && (v != NULL ? !f32 : f32)) {
		/* the values are the file's bytes as they are */
		iov[1].iov_base = v != NULL ? (void *)(uintptr_t)v :
		    (void *)(uintptr_t)fv;
		iov[1].iov_len = n * w;
		rc = outfile_writev(path, iov, 2, &oe);
	} else {
		/* float32 and/or little-endian bytes, converted a chunk at
		   a time as they are written */
		f.v = v;
		f.fv = v != NULL ? NULL : fv;
		f.f32 = f32;
		rc = outfile_write_fill(path, iov, 1, n * w, fill_values, &f,
		    &oe);
	}
	if (rc != 0)
		return err_set(e, "%s", oe.msg);
	return 0;
}

int
npy_chunks_ok(void)
{
	return host_little();
}

int
npy_write_chunks(const char *path, int ndim, const size_t *shape, size_t n,
    int f32, outfile_chunk_fn chunk, void *ctx, struct err *e)
{
	unsigned char	 head[NPY_HEAD_MAX];
	struct iovec	 iov;
	struct err	 oe;

	if (!host_little())
		return err_set(e, _("cannot write '%s' from its pieces on a "
		    "big-endian machine"), path);
	if (header_iov(path, ndim, shape, n, f32, head, &iov, e) != 0)
		return -1;
	if (outfile_write_chunks(path, &iov, 1, n * (f32 ? 4 : 8), chunk, ctx,
	    &oe) != 0)
		return err_set(e, "%s", oe.msg);
	return 0;
}

int
npy_write(const char *path, int ndim, const size_t *shape, const double *v,
    size_t n, int f32, struct err *e)
{
	static const double	 none;

	return write_values(path, ndim, shape, v != NULL ? v : &none, NULL, n,
	    f32, e);
}

int
npy_write_mat(const char *path, const struct mat *m, int scalar, int f32,
    struct err *e)
{
	static const double	 none;
	size_t			 shape[2] = { 0, 0 };
	const double		*v = m->f32 != NULL ? NULL :
				    m->v != NULL ? m->v : &none;
	int			 nd = scalar ? 0 : m->ndim == 2 ? 2 : 1;

	/* float32 storage (core/mat.h) is written from its floats */
	if (nd == 2) {
		shape[0] = m->rows;
		shape[1] = m->cols;
	} else if (nd == 1)
		shape[0] = m->cols;
	return write_values(path, nd, shape, v, m->f32, scalar ? 1 :
	    m->rows * m->cols, f32, e);
}
