/*
 * fuzz_csv.c -- libFuzzer target: the training lab's CSV reader
 * (src/core/data.h: data_csv_line, data_csv_finish).
 *
 * The first byte gives the class count the caller passes (0: from the
 * labels); the rest is the file, fed line by line as `losslab train --data
 * FILE` does, until a line is refused.  Invariants: a refused line or
 * file has a message; data read has at least one row, d = fields - 1 >= 1
 * features, x n x d and y n values, every feature finite, every label a
 * whole number in [0, K) with K >= 2 (K the caller's when given), and a
 * second reader fed the same lines reads the same numbers.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "core/data.h"
#include "fuzz.h"

/* Feed text (NUL-terminated, lines split at '\n') to a new reader; 0 with
   the data in *out, or -1. */
static int
read_csv(const char *text, int classes, struct data *out, struct err *e)
{
	struct data_csv	 c;
	const char	*p = text, *nl;
	char		*line;
	size_t		 n;
	int		 rc = 0;

	data_csv_init(&c, classes);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p + 1) : strlen(p);
		if ((line = malloc(n + 1)) == NULL)
			abort();
		memcpy(line, p, n);
		line[n] = '\0';
		rc = data_csv_line(&c, line, e);
		free(line);
		if (rc != 0)
			break;
		p += n;
	}
	if (rc == 0)
		rc = data_csv_finish(&c, out, e);
	data_csv_free(&c);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data	 d = DATA_INIT, d2 = DATA_INIT;
	struct err	 e;
	char		*text;
	int		 classes, rc;
	size_t		 i;

	if (size == 0)
		return 0;
	classes = data[0] < 128 ? 0 : data[0] % 12;
	text = fz_cstr(data + 1, size - 1);
	memset(&e, 0, sizeof e);
	rc = read_csv(text, classes, &d, &e);
	if (rc != 0) {
		FZ_CHECK(rc == -1 && e.msg[0] != '\0', "rc %d, message '%s'",
		    rc, e.msg);
		goto out;
	}
	FZ_CHECK(d.kind == DATA_CSV && d.n >= 1 && d.d >= 1, "n %zu, d %zu",
	    d.n, d.d);
	FZ_CHECK(d.classes >= 2 && (classes == 0 || d.classes == classes),
	    "K %d (asked %d)", d.classes, classes);
	FZ_CHECK(d.x.ndim == 2 && d.x.rows == d.n && d.x.cols == d.d,
	    "x %d-D %zu x %zu", d.x.ndim, d.x.rows, d.x.cols);
	FZ_CHECK(!d.multilabel && d.y.ndim == 1 && d.y.cols == d.n,
	    "y %d-D of %zu", d.y.ndim, d.y.cols);
	for (i = 0; i < d.n * d.d; i++)
		FZ_CHECK(isfinite(d.x.v[i]), "feature %zu is %g", i, d.x.v[i]);
	for (i = 0; i < d.n; i++)
		FZ_CHECK(d.y.v[i] >= 0 && d.y.v[i] < d.classes &&
		    d.y.v[i] == (double)(long)d.y.v[i], "label %zu is %g of %d",
		    i, d.y.v[i], d.classes);
	/* the same lines again: the same data */
	FZ_CHECK(read_csv(text, classes, &d2, &e) == 0, "second read: %s",
	    e.msg);
	FZ_CHECK(d2.n == d.n && d2.classes == d.classes &&
	    fz_same_mat(&d.x, &d2.x) && fz_same_mat(&d.y, &d2.y),
	    "a second read differs");
out:
	data_free(&d);
	data_free(&d2);
	free(text);
	return 0;
}
