/*
 * test_npy.c -- src/npy.c against files numpy wrote (tests/npy/cases.txt,
 * from tests/gen_npy.py): every "read" line's file gives that dtype, shape
 * and exact values; every "bad" line's file is refused with that message.
 * Then: every valid file cut short anywhere, or with one byte changed, is
 * refused or read (never a crash: run it under ASan); npy_write's files
 * read back exactly.  npy_read_path, the fast reader, gives npy_parse's
 * array bit for bit wherever it takes a file (float64, float32 and int64
 * of several blocks among them) and declines every bad one.
 *
 * `test_npy cmp A.npy B.npy RTOL` compares two files (same dtype and shape,
 * values within RTOL relative) and `test_npy num X Y RTOL` two numbers
 * (hexadecimal floats too), for tests/npy.sh: exit 0 when they agree.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "npy.h"
#include "tap.h"

/* The source tree: $top_srcdir (the test harness sets it), else ".". */
static const char *
srcdir(void)
{
	const char *top = getenv("top_srcdir");

	return top != NULL && *top != '\0' ? top : ".";
}

/* The whole file into a new buffer; NULL if unreadable. */
static unsigned char *
slurp(const char *path, size_t *lenp)
{
	FILE		*fp;
	unsigned char	*buf;
	long		 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	*lenp = (size_t)n;
	return buf;
}

static int
load(const char *rel, struct npy_array *a, struct err *e)
{
	char		 path[4096];
	unsigned char	*buf;
	size_t		 len;
	int		 rc;

	snprintf(path, sizeof path, "%s/%s", srcdir(), rel);
	if ((buf = slurp(path, &len)) == NULL && (buf = slurp(rel, &len)) == NULL)
		return err_set(e, "cannot read %s", path);
	rc = npy_parse(buf, len, a, e);
	free(buf);
	return rc;
}

static int
cmp_main(const char *fa, const char *fb, double rtol)
{
	struct npy_array	 a = NPY_ARRAY_INIT, b = NPY_ARRAY_INIT;
	struct err		 e;
	char			 sa[256], sb[256];
	size_t			 i;
	int			 bad = 0;

	if (load(fa, &a, &e) != 0 || load(fb, &b, &e) != 0) {
		fprintf(stderr, "cmp: %s\n", e.msg);
		return 2;
	}
	npy_shape_str(&a, sa, sizeof sa);
	npy_shape_str(&b, sb, sizeof sb);
	if (strcmp(sa, sb) != 0 || a.type != b.type) {
		fprintf(stderr, "cmp: %s %s vs %s %s\n", npy_type_name(a.type),
		    sa, npy_type_name(b.type), sb);
		bad = 1;
	}
	for (i = 0; !bad && i < a.count; i++)
		if (!tap_close(a.v[i], b.v[i], rtol)) {
			fprintf(stderr, "cmp: value %zu: %.17g vs %.17g\n", i,
			    a.v[i], b.v[i]);
			bad = 1;
		}
	npy_free(&a);
	npy_free(&b);
	return bad;
}

/* One "read FILE DTYPE SHAPE V..." line (tokens in tok[0..n)). */
static void
check_read(char **tok, int n)
{
	struct npy_array	 a = NPY_ARRAY_INIT;
	struct err		 e;
	char			 shape[256], *p, *q;
	size_t			 i;
	int			 good;

	if (load(tok[1], &a, &e) != 0) {
		tap_ok(0, "%s reads (%s)", tok[1], e.msg);
		return;
	}
	npy_shape_str(&a, shape, sizeof shape);
	for (p = q = shape; *p; p++)	/* "(2, 3)" as "(2,3)" */
		if (*p != ' ')
			*q++ = *p;
	*q = '\0';
	good = strcmp(npy_type_name(a.type), tok[2]) == 0 &&
	    strcmp(shape, tok[3]) == 0 && (size_t)(n - 4) == a.count;
	for (i = 0; good && i < a.count; i++) {
		double want = strtod(tok[4 + i], NULL);

		good = (isnan(want) && isnan(a.v[i])) ||
		    (want == a.v[i] && signbit(want) == signbit(a.v[i]));
		if (!good)
			tap_diag("value %zu: %a, want %a", i, a.v[i], want);
	}
	if (!tap_ok(good, "%s: %s %s, %zu values exactly", tok[1], tok[2],
	    tok[3], a.count))
		tap_diag("got %s %s, %zu values", npy_type_name(a.type), shape,
		    a.count);
	npy_free(&a);
}

/* Cut the file short at every length, and change each byte in turn: the
   reader refuses or reads, never reads past the buffer (ASan). */
static void
mutate(const char *rel)
{
	char		 path[4096];
	unsigned char	*buf, *cut;
	size_t		 len, k, refused = 0;
	struct npy_array a;
	struct err	 e;
	int		 full;

	snprintf(path, sizeof path, "%s/%s", srcdir(), rel);
	if ((buf = slurp(path, &len)) == NULL)
		return;
	for (k = 0; k < len; k++) {
		/* an exact-size copy so that ASan sees any overread */
		cut = malloc(k ? k : 1);
		memcpy(cut, buf, k);
		if (npy_parse(cut, k, &a, &e) != 0)
			refused++;
		npy_free(&a);
		free(cut);
	}
	tap_ok(refused == len, "%s cut short at each of %zu lengths: refused",
	    rel, len);
	for (k = 0; k < len; k++) {
		unsigned char old = buf[k];

		buf[k] ^= (unsigned char)(0x5a + k);
		npy_parse(buf, len, &a, &e);
		npy_free(&a);
		buf[k] = old;
	}
	full = npy_parse(buf, len, &a, &e) == 0;
	npy_free(&a);
	tap_ok(full, "%s with each byte changed in turn: no crash, and "
	    "restored it reads", rel);
	free(buf);
}

static void
round_trip(void)
{
	const char	*path = "test_npy.tmp.npy";
	double		 v[24];
	size_t		 shape[3] = { 2, 3, 4 }, i;
	struct npy_array a;
	struct err	 e;
	struct mat	 m = MAT_INIT;
	int		 good, nd;

	for (i = 0; i < 24; i++)
		v[i] = i == 5 ? -0.0 : i == 7 ? INFINITY : i == 9 ? NAN :
		    (double)i / 3 - 1e-300 * (double)i;
	for (nd = 0; nd <= 3; nd++) {
		size_t n = nd == 0 ? 1 : nd == 1 ? 2 : nd == 2 ? 6 : 24;

		good = npy_write(path, nd, shape, v, n, 0, &e) == 0;
		if (good) {
			size_t len;
			unsigned char *buf = slurp(path, &len);

			good = buf != NULL && npy_parse(buf, len, &a, &e) == 0 &&
			    a.type == NPY_FLOAT64 && a.ndim == nd &&
			    a.count == n && (len - 8 * n) % 64 == 0;
			for (i = 0; good && i < n; i++)
				good = memcmp(&a.v[i], &v[i], 8) == 0;
			npy_free(&a);
			free(buf);
		}
		tap_ok(good, "npy_write of rank %d reads back bit for bit "
		    "(the data 64-byte aligned)", nd);
	}
	/* float32: each value rounded to float, '<f4', read back as such */
	good = npy_write(path, 3, shape, v, 24, 1, &e) == 0;
	if (good) {
		size_t len;
		unsigned char *buf = slurp(path, &len);

		good = buf != NULL && npy_parse(buf, len, &a, &e) == 0 &&
		    a.type == NPY_FLOAT32 && a.ndim == 3 && a.count == 24 &&
		    (len - 4 * 24) % 64 == 0;
		for (i = 0; good && i < 24; i++)
			good = isnan(v[i]) ? isnan(a.v[i]) :
			    a.v[i] == (double)(float)v[i] &&
			    signbit(a.v[i]) == signbit(v[i]);
		npy_free(&a);
		free(buf);
	}
	tap_ok(good, "npy_write float32: '<f4', every value (float)v");
	mat_alloc(&m, 2, 0, 5, &e);
	good = npy_write_mat(path, &m, 0, 0, &e) == 0;
	{
		size_t len;
		unsigned char *buf = slurp(path, &len);

		good = good && buf && npy_parse(buf, len, &a, &e) == 0 &&
		    a.ndim == 2 && a.shape[0] == 0 && a.shape[1] == 5 &&
		    a.count == 0;
		npy_free(&a);
		free(buf);
	}
	tap_ok(good, "an empty (0, 5) mat writes and reads back");
	mat_free(&m);
	remove(path);
	tap_ok(npy_write("/nonexistent-dir/x.npy", 1, shape, v, 2, 0, &e) != 0 &&
	    strstr(e.msg, "/nonexistent-dir/x.npy: No such file") != NULL,
	    "an unwritable path: \"%s\"", e.msg);
}

/* Whether two arrays are the same: dtype, order, shape and value bits. */
static int
same_array(const struct npy_array *a, const struct npy_array *b)
{
	return a->type == b->type && a->fortran == b->fortran &&
	    a->big_endian == b->big_endian && a->ndim == b->ndim &&
	    a->count == b->count && memcmp(a->shape, b->shape,
	    sizeof a->shape) == 0 && (a->count == 0 ||
	    memcmp(a->v, b->v, a->count * sizeof *a->v) == 0);
}

/*
 * npy_read_path on a file against npy_parse of its bytes: the same array
 * when it takes it (1), else it declines (0) and leaves *a empty.  A bad
 * file must be declined.  Counts the files taken in *taken.
 */
static void
fast_read(const char *rel, int bad, int *taken)
{
	struct npy_array	 f = NPY_ARRAY_INIT, s = NPY_ARRAY_INIT;
	struct err		 e;
	char			 path[4096];
	int			 rc, ok;

	snprintf(path, sizeof path, "%s/%s", srcdir(), rel);
	if (access(path, R_OK) != 0)
		snprintf(path, sizeof path, "%s", rel);
	rc = npy_read_path(path, &f);
	if (rc == 1) {
		(*taken)++;
		ok = !bad && load(rel, &s, &e) == 0 && same_array(&f, &s);
	} else
		ok = rc == 0 && f.v == NULL && f.count == 0;
	tap_ok(ok, "npy_read_path %s: %s", rel, rc == 1 ? "npy_parse's array "
	    "bit for bit" : "declined (npy_parse reads or refuses it)");
	npy_free(&f);
	npy_free(&s);
}

/* Write a 1-D .npy file of n values of dtype descr (size bytes each,
   raw little-endian bytes v) to path; 0 or -1. */
static int
write_raw(const char *path, const char *descr, const void *v, size_t n,
    size_t size)
{
	char		 hdr[128];
	unsigned char	 pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 };
	FILE		*fp;
	int		 len, ok;

	len = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': "
	    "False, 'shape': (%zu,), }", descr, n);
	while ((10 + len + 1) % 64 != 0)
		hdr[len++] = ' ';
	hdr[len++] = '\n';
	pre[8] = (unsigned char)len;
	pre[9] = 0;
	if ((fp = fopen(path, "wb")) == NULL)
		return -1;
	ok = fwrite(pre, 1, 10, fp) == 10 &&
	    fwrite(hdr, 1, (size_t)len, fp) == (size_t)len &&
	    fwrite(v, size, n, fp) == n;
	return fclose(fp) == 0 && ok ? 0 : -1;
}

/* Files of several conversion blocks: float32 widened and int64 converted
   in place, an int64 beyond 2^53 declined (npy_parse refuses it). */
static void
fast_read_large(void)
{
	const char		*dir = getenv("TMPDIR");
	char			 path[4096];
	float			*f = malloc(5003 * sizeof *f);
	int64_t			*i = malloc(5003 * sizeof *i);
	struct npy_array	 a = NPY_ARRAY_INIT;
	size_t			 k;
	int			 good = f != NULL && i != NULL, rc;

	snprintf(path, sizeof path, "%s/test_npy.%ld.npy",
	    dir != NULL && *dir != '\0' ? dir : "/tmp", (long)getpid());
	for (k = 0; good && k < 5003; k++) {
		f[k] = (float)k * 0.37f - 900.0f;
		i[k] = (int64_t)k * ((int64_t)1 << 40) - ((int64_t)1 << 53);
	}
	f[17] = -0.0f;
	f[4001] = 0x1p-149f;
	good = good && write_raw(path, "<f4", f, 5003, 4) == 0;
	rc = good ? npy_read_path(path, &a) : -1;
	good = rc == 1 && a.type == NPY_FLOAT32 && a.count == 5003;
	if (!good)
		tap_diag("read %d: %s %zu values", rc, npy_type_name(a.type),
		    a.count);
	for (k = 0; good && k < 5003; k++)
		if (!(good = a.v[k] == (double)f[k] &&
		    !signbit(a.v[k]) == !signbit(f[k])))
			tap_diag("value %zu: %a, want %a", k, a.v[k], f[k]);
	npy_free(&a);
	tap_ok(good, "npy_read_path: 5003 float32 values widened in place "
	    "exactly");
	good = write_raw(path, "<i8", i, 5003, 8) == 0 &&
	    npy_read_path(path, &a) == 1 && a.type == NPY_INT64;
	for (k = 0; good && k < 5003; k++)
		good = a.v[k] == (double)i[k];
	npy_free(&a);
	tap_ok(good, "npy_read_path: 5003 int64 values up to 2^53 exactly");
	i[4444] = ((int64_t)1 << 53) + 1;
	rc = write_raw(path, "<i8", i, 5003, 8) == 0 ?
	    npy_read_path(path, &a) : -1;
	tap_ok(rc == 0 && a.v == NULL, "npy_read_path declines an int64 of "
	    "2^53 + 1 (npy_parse says why)");
	unlink(path);
	free(f);
	free(i);
}

/*
 * The mapped paths (npy_map_files): 300000 values (above NPY_MAP_MIN) of
 * float64 (mapped: the file's pages), float32 and int64 (widened from the
 * mapped pages; NPY_MAP_F32: float32 kept as floats) read back exactly; and npy_write's float32 conversion,
 * made a 256 KiB chunk at a time (outfile_write_fill), is every value's
 * (float) across the chunks.
 */
static void
mapped_large(void)
{
	const char		*dir = getenv("TMPDIR");
	char			 path[4096];
	const size_t		 n = 300000;
	double			*d = malloc(n * sizeof *d);
	float			*f = malloc(n * sizeof *f);
	int64_t			*i = malloc(n * sizeof *i);
	struct npy_array	 a = NPY_ARRAY_INIT;
	struct err		 e;
	size_t			 k, shape[1] = { n };
	int			 good = d != NULL && f != NULL && i != NULL;

	snprintf(path, sizeof path, "%s/test_npy_map.%ld.npy",
	    dir != NULL && *dir != '\0' ? dir : "/tmp", (long)getpid());
	for (k = 0; good && k < n; k++) {
		d[k] = (double)k / 7.0 - 1e4;
		f[k] = (float)k * 0.37f - 900.0f;
		i[k] = (int64_t)k * ((int64_t)1 << 30) - ((int64_t)1 << 53);
	}
	npy_map_files(NPY_MAP_ON);
	good = good && write_raw(path, "<f8", d, n, 8) == 0 &&
	    npy_read_path(path, &a) == 1 && a.type == NPY_FLOAT64 &&
	    a.map != NULL && a.count == n;
	for (k = 0; good && k < n; k++)
		good = memcmp(&a.v[k], &d[k], 8) == 0;
	npy_free(&a);
	tap_ok(good, "mapped: 300000 float64 values are the file's pages, "
	    "bit for bit");
	good = write_raw(path, "<f4", f, n, 4) == 0 &&
	    npy_read_path(path, &a) == 1 && a.type == NPY_FLOAT32 &&
	    a.count == n;
	for (k = 0; good && k < n; k++)
		good = a.v[k] == (double)f[k];
	npy_free(&a);
	tap_ok(good, "mapped: 300000 float32 values widened exactly");
	good = write_raw(path, "<i8", i, n, 8) == 0 &&
	    npy_read_path(path, &a) == 1 && a.type == NPY_INT64;
	for (k = 0; good && k < n; k++)
		good = a.v[k] == (double)i[k];
	npy_free(&a);
	tap_ok(good, "mapped: 300000 int64 values exactly");
	npy_map_files(NPY_MAP_F32);
	good = write_raw(path, "<f4", f, n, 4) == 0 &&
	    npy_read_path(path, &a) == 1 && a.type == NPY_FLOAT32 &&
	    a.v == NULL && a.f32 != NULL && a.map != NULL && a.count == n;
	for (k = 0; good && k < n; k++)
		good = memcmp(&a.f32[k], &f[k], 4) == 0;
	npy_free(&a);
	tap_ok(good, "NPY_MAP_F32: 300000 float32 values kept as the file's "
	    "floats");
	npy_map_files(NPY_MAP_OFF);
	good = npy_write(path, 1, shape, d, n, 1, &e) == 0 &&
	    npy_read_path(path, &a) == 1 && a.type == NPY_FLOAT32 &&
	    a.count == n;
	for (k = 0; good && k < n; k++)
		good = a.v[k] == (double)(float)d[k];
	npy_free(&a);
	tap_ok(good, "npy_write float32 of 300000 values (five 256 KiB "
	    "chunks): every value (float)v");
	unlink(path);
	free(d);
	free(f);
	free(i);
}

int
main(int argc, char **argv)
{
	char	 path[4096], line[65536], *tok[4096], *p;
	FILE	*fp;
	int	 n, nread = 0, nbad = 0, taken = 0;

	if (argc == 5 && strcmp(argv[1], "cmp") == 0)
		return cmp_main(argv[2], argv[3], strtod(argv[4], NULL));
	if (argc == 5 && strcmp(argv[1], "num") == 0)
		return !tap_close(strtod(argv[2], NULL), strtod(argv[3], NULL),
		    strtod(argv[4], NULL));
	snprintf(path, sizeof path, "%s/tests/npy/cases.txt", srcdir());
	if ((fp = fopen(path, "r")) == NULL) {
		printf("Bail out! cannot read %s\n", path);
		return 1;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#')
			continue;
		n = 0;
		for (p = strtok(line, " "); p && n < 4096; p = strtok(NULL, " "))
			tok[n++] = p;
		if (n >= 4 && strcmp(tok[0], "read") == 0) {
			check_read(tok, n);
			fast_read(tok[1], 0, &taken);
			nread++;
		} else if (n >= 3 && strcmp(tok[0], "bad") == 0) {
			struct npy_array a = NPY_ARRAY_INIT;
			struct err e;
			char want[1024] = "";
			int i, rc;

			for (i = 2; i < n; i++) {
				strncat(want, tok[i], sizeof want - strlen(want) - 2);
				if (i + 1 < n)
					strcat(want, " ");
			}
			e.msg[0] = '\0';
			rc = load(tok[1], &a, &e);
			if (!tap_ok(rc != 0 && strstr(e.msg, want) != NULL &&
			    a.v == NULL, "%s refused: %s", tok[1], want))
				tap_diag("got %d \"%s\"", rc, e.msg);
			npy_free(&a);
			fast_read(tok[1], 1, &taken);
			nbad++;
		} else if (n >= 1 && (strcmp(tok[0], "eval") == 0 ||
		    strcmp(tok[0], "differs") == 0))
			continue;	/* tests/npy.sh's */
	}
	fclose(fp);
	tap_ok(nread >= 20 && nbad >= 20, "cases.txt: %d files read, %d "
	    "refused", nread, nbad);
	tap_ok(taken >= 8, "npy_read_path took %d of the files", taken);
	fast_read_large();
	mapped_large();
	mutate("tests/npy/f8-4x3.npy");
	mutate("tests/npy/i2-f-2x3.npy");
	mutate("tests/npy/f8-v2.npy");
	mutate("tests/npy/f2-6.npy");
	round_trip();
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}
