/*
 * test_dtype.c -- dtype_check against torch: every (loss, input dtype,
 * target dtype) of tests/dtypes_golden.txt (tests/gen_dtypes.py, torch
 * 1.13) gives torch's result dtype or its message word for word; and the
 * names parse.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtype.h"
#include "tap.h"

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], line[1024], *f[4], *p;
	FILE		*fp;
	int		 n = 0, bad = 0, i, prob, rc;
	enum loss_id	 id;
	enum dtype	 x, t, r;
	struct err	 e;

	snprintf(path, sizeof path, "%s/tests/dtypes_golden.txt",
	    top != NULL ? top : ".");
	if ((fp = fopen(path, "r")) == NULL) {
		tap_ok(0, "open %s", path);
		return tap_done();
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		for (i = 0, p = line; i < 4; i++) {
			f[i] = p;
			if (i < 3 && (p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
			if (p == NULL)
				break;
		}
		if (i < 3)
			continue;
		prob = strcmp(f[0], "ce-prob") == 0;
		if (loss_parse(prob ? "ce" : f[0], &id) != 0 ||
		    dtype_parse(f[1], &x) != 0 || dtype_parse(f[2], &t) != 0) {
			tap_ok(0, "parse %s %s %s", f[0], f[1], f[2]);
			continue;
		}
		n++;
		e.msg[0] = '\0';
		rc = dtype_check(id, prob, x, t, &r, &e);
		if (strncmp(f[3], "ok ", 3) == 0) {
			if (rc == 0 && strcmp(dtype_name(r), f[3] + 3) == 0)
				continue;
			tap_diag("%s %s %s: want %s, got %s %s", f[0], f[1], f[2],
			    f[3], rc == 0 ? "ok" : "error",
			    rc == 0 ? dtype_name(r) : e.msg);
		} else {
			if (rc != 0 && strcmp(e.msg, f[3] + 6) == 0 &&
			    dtype_hint(id, prob, x, t) != NULL)
				continue;
			tap_diag("%s %s %s: want %s, got %s", f[0], f[1], f[2],
			    f[3], rc == 0 ? dtype_name(r) : e.msg);
		}
		bad++;
	}
	fclose(fp);
	tap_ok(n == 810, "%d cases read (810 expected)", n);
	tap_ok(bad == 0, "every case as torch: %d of %d differ", bad, n);
	tap_ok(dtype_parse("long", &x) == 0 && x == DTYPE_LONG,
	    "--target-dtype long is int64");
	tap_ok(dtype_parse("int", &x) == 0 && x == DTYPE_INT,
	    "int is int32");
	tap_ok(dtype_parse("double", &x) == 0 && x == DTYPE_DOUBLE,
	    "double is float64");
	tap_ok(dtype_parse("float", &x) == 0 && x == DTYPE_FLOAT,
	    "float is float32");
	tap_ok(dtype_parse("complex64", &x) != 0, "complex64 is unknown");
	tap_ok(dtype_check(LOSS_CE, 0, DTYPE_FLOAT, DTYPE_LONG, &r, NULL) == 0
	    && dtype_hint(LOSS_CE, 0, DTYPE_FLOAT, DTYPE_LONG) == NULL,
	    "no hint where torch computes");
	return tap_done();
}
