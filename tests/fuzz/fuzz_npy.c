/*
 * fuzz_npy.c -- libFuzzer target: the .npy reader (src/npy.h: npy_parse,
 * "any len and any bytes may be given").  Built once src/npy.c is in the
 * tree (Makefile.am's fuzzing block says what to add).
 *
 * The input is a .npy file.  Invariants: npy_parse() fails with a message
 * and an empty array, or gives a known dtype, 0 to NPY_MAX_NDIM
 * dimensions, count the product of the shape (1 when 0-d) and at most
 * NPY_MAX_VALUES, values unless count is 0; and the array written back
 * with npy_write() (float64, C order) parses to the same shape and the
 * same values bit for bit (NaN as NaN).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "fuzz.h"
#include "npy.h"

static char	 path[256];

static void
cleanup(void)
{
	if (path[0] != '\0')
		unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "%s/losslab-fuzz-npy-%ld.npy",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
	    (long)getpid());
	atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct npy_array a = NPY_ARRAY_INIT, b = NPY_ARRAY_INIT;
	struct err	 e;
	FILE		*f;
	uint8_t		*buf;
	size_t		 i, n, len;
	int		 k;

	memset(&e, 0, sizeof e);
	if (npy_parse(data, size, &a, &e) != 0) {
		FZ_CHECK(e.msg[0] != '\0' && a.v == NULL && a.count == 0,
		    "a refusal without a message or with values");
		return 0;
	}
	FZ_CHECK((int)a.type >= 0 && a.type < NPY_TYPE_COUNT &&
	    a.type != NPY_NONE, "dtype %d", (int)a.type);
	FZ_CHECK(a.ndim >= 0 && a.ndim <= NPY_MAX_NDIM, "ndim %d", a.ndim);
	for (n = 1, k = 0; k < a.ndim; k++)
		n *= a.shape[k];
	FZ_CHECK(a.count == n && a.count <= NPY_MAX_VALUES, "count %zu, "
	    "shape product %zu", a.count, n);
	FZ_CHECK(a.count == 0 || a.v != NULL, "no values");
	/* written back as float64, read back the same */
	FZ_CHECK(npy_write(path, a.ndim, a.shape, a.v, a.count, 0, &e) == 0,
	    "npy_write: %s", e.msg);
	if ((f = fopen(path, "rb")) == NULL)
		abort();
	len = a.count * 8 + NPY_MAX_HEADER + 64;
	if ((buf = malloc(len)) == NULL)
		abort();
	n = fread(buf, 1, len, f);
	fclose(f);
	FZ_CHECK(npy_parse(buf, n, &b, &e) == 0, "the copy: %s", e.msg);
	FZ_CHECK(b.ndim == a.ndim && b.count == a.count, "the copy's shape");
	for (k = 0; k < a.ndim; k++)
		FZ_CHECK(b.shape[k] == a.shape[k], "the copy's shape");
	for (i = 0; i < a.count; i++)
		FZ_CHECK(memcmp(&a.v[i], &b.v[i], 8) == 0 ||
		    (isnan(a.v[i]) && isnan(b.v[i])), "value %zu: %.17g, "
		    "read back %.17g", i, a.v[i], b.v[i]);
	free(buf);
	npy_free(&a);
	npy_free(&b);
	return 0;
}
