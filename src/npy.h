/*
 * npy.h -- NumPy's .npy files, read and written without NumPy.
 *
 * Reads format versions 1.0, 2.0 and 3.0 (np.save): a magic string, a
 * version, a header length (2 bytes in 1.0, 4 in 2.0 and 3.0), a header
 * that is a Python dict literal {'descr': '<f8', 'fortran_order': False,
 * 'shape': (2, 3)} and the data.  The dtypes read are bool, int8..int64,
 * uint8..uint64 and float16/32/64, in either byte order, C or Fortran order,
 * any rank up to NPY_MAX_NDIM.  Complex, object (pickled: never unpickled),
 * string, datetime and structured dtypes are refused with a message naming
 * them.  The data must be exactly as long as the header says: a truncated
 * file or one with bytes after its data is refused, and so is one of more
 * than NPY_MAX_VALUES values, before any memory is taken for them.  Values
 * are converted to double exactly; an integer that a double cannot hold
 * exactly (|v| > 2^53) is refused rather than rounded.
 *
 * Writing produces version 1.0, little-endian float64, C order: what
 * np.load and this reader both read.
 */
#ifndef LOSSLAB_NPY_H
#define LOSSLAB_NPY_H

#include <stddef.h>

#include "core/mat.h"
#include "outfile.h"

/* Most dimensions of an array (NumPy's own limit is 32 too). */
#define NPY_MAX_NDIM	32
/* Most values in an array (2^24, PARSE_MAX_VALUES). */
#define NPY_MAX_VALUES	(1u << 24)
/* Most bytes of the header dict (numpy writes < 200; it reads <= 10000). */
#define NPY_MAX_HEADER	65536u
/* Most bytes of a whole .npy file: the header and NPY_MAX_VALUES 8-byte
   values (128 MiB + 64 KiB + the preamble). */
#define NPY_MAX_FILE	((size_t)NPY_MAX_VALUES * 8 + NPY_MAX_HEADER + 16)

/* The element types read: one table, X(id, name, kind, size). */
#define NPY_TYPE_TABLE(X) \
	X(NPY_BOOL,    "bool",    'b', 1) \
	X(NPY_INT8,    "int8",    'i', 1) \
	X(NPY_INT16,   "int16",   'i', 2) \
	X(NPY_INT32,   "int32",   'i', 4) \
	X(NPY_INT64,   "int64",   'i', 8) \
	X(NPY_UINT8,   "uint8",   'u', 1) \
	X(NPY_UINT16,  "uint16",  'u', 2) \
	X(NPY_UINT32,  "uint32",  'u', 4) \
	X(NPY_UINT64,  "uint64",  'u', 8) \
	X(NPY_FLOAT16, "float16", 'f', 2) \
	X(NPY_FLOAT32, "float32", 'f', 4) \
	X(NPY_FLOAT64, "float64", 'f', 8)

enum npy_type {
	NPY_NONE = 0,		/* not from a .npy file (text) */
#define NPY_X(id, name, kind, size) id,
	NPY_TYPE_TABLE(NPY_X)
#undef NPY_X
	NPY_TYPE_COUNT
};

/* An array as read: its element type and shape, values as doubles in C
   (row-major) order whatever the file's order.  NPY_ARRAY_INIT is empty. */
struct npy_array {
	enum npy_type	 type;
	int		 big_endian;	/* the file's byte order */
	int		 fortran;	/* the file was in Fortran order */
	int		 ndim;		/* 0 .. NPY_MAX_NDIM */
	size_t		 shape[NPY_MAX_NDIM];
	size_t		 count;		/* product of shape (1 when 0-d) */
	double		*v;		/* count values; NULL when count 0 */
	void		*map;		/* NULL, or the file's mapping v or f32
					   is in */
	size_t		 maplen;
	float		*f32;		/* NPY_MAP_F32: the float32 values in
					   the mapping, v NULL */
};

#define NPY_ARRAY_INIT { NPY_NONE, 0, 0, 0, { 0 }, 0, NULL, NULL, 0, NULL }

/* The dtype name ("float32"; "text" for NPY_NONE). */
const char	*npy_type_name(enum npy_type t);
/* Whether buf starts with the .npy magic string "\x93NUMPY". */
int		 npy_is_npy(const void *buf, size_t len);
/*
 * Parse a whole .npy file held in buf[0..len) into *a (freed with
 * npy_free).  Any len and any bytes may be given: a fuzzer calls this.
 * Returns 0, or -1 with e set to one line without a name ("truncated:
 * the header says 6 float64 values (48 bytes), the file has 40 bytes of
 * data"); *a is then empty.
 */
int		 npy_parse(const void *buf, size_t len, struct npy_array *a,
		    struct err *e);
/*
 * Read the .npy file at path into *a (freed with npy_free) the fast way:
 * the data read once, straight into the array's memory, no copy of the
 * file.  Takes C-order (or 1-D) arrays of this machine's byte order of
 * float64, float32 and int64, whose file is exactly as long as the header
 * says.  Returns 1, or 0 (*a empty) for anything else -- another dtype,
 * order or byte order, a malformed or truncated file, an int64 beyond
 * 2^53, a read error, no memory: the caller then reads the file into a
 * buffer for npy_parse, which handles every case and words every error.
 */
int		 npy_read_path(const char *path, struct npy_array *a);
/*
 * How npy_read_path may use mmap for large files (at least NPY_MAP_MIN
 * bytes of data, little-endian, C order):
 *   NPY_MAP_OFF  never (the default);
 *   NPY_MAP_ON   float64 files (the data 8-byte aligned in the file) are
 *                mapped instead of read: the values are the file's own
 *                pages (private, copy-on-write), no fresh memory to zero
 *                and no copy; float32 and int64 files are widened from
 *                their mapped pages;
 *   NPY_MAP_F32  also float32 files are kept as floats in their mapping
 *                (a->f32, v NULL: core/mat.h's float32 storage).
 * Off by default, because a mapped file that another process truncates
 * while it is in use raises SIGBUS: only a caller that handles SIGBUS
 * (eval, which says so in one line and exits 2) turns it on.
 */
#define NPY_MAP_MIN	((size_t)1 << 20)
enum npy_map { NPY_MAP_OFF, NPY_MAP_ON, NPY_MAP_F32 };
void		 npy_map_files(enum npy_map how);
/* Free (or unmap) a's values and reset it to NPY_ARRAY_INIT; safe twice. */
void		 npy_free(struct npy_array *a);
/* The shape as NumPy prints it: "(2, 3)", "(3,)", "()". */
const char	*npy_shape_str(const struct npy_array *a, char *buf,
		    size_t len);
/*
 * Write n values of shape[0..ndim) (ndim 0: one value) to path as a
 * version 1.0 .npy file of float64, or of float32 when f32 != 0 (each value
 * rounded to float, as torch's tensor.float()), replacing it as outfile.h
 * says (atomically; a device is written into).  Returns 0, or -1 with e
 * set ("F: <strerror>"); a failed write leaves what was at path.
 */
int		 npy_write(const char *path, int ndim, const size_t *shape,
		    const double *v, size_t n, int f32, struct err *e);
/* The same for a mat: its shape is (cols,) or (rows, cols); scalar != 0
   writes a 0-d array of its one value. */
int		 npy_write_mat(const char *path, const struct mat *m,
		    int scalar, int f32, struct err *e);
/* Write a float32 (f32 != 0) or float64 .npy file of shape[0..ndim) whose
   n values' bytes, as the file has them (little-endian), chunk hands over
   a piece at a time (outfile.h: outfile_write_chunks; it may wait for them
   to be computed, or abandon the file).  -1 with e set ("F: <strerror>",
   ECANCELED's when abandoned) and nothing at path changed; on a
   big-endian machine always -1 (npy_chunks_ok says so first). */
int		 npy_write_chunks(const char *path, int ndim,
		    const size_t *shape, size_t n, int f32,
		    outfile_chunk_fn chunk, void *ctx, struct err *e);
/* Whether npy_write_chunks can write here (a little-endian machine). */
int		 npy_chunks_ok(void);

#endif
