/*
 * json.c -- JSON writers for `losslab eval --json` (see json.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "dtoa.h"
#include "json.h"

void
json_number(FILE *fp, double v)
{
	char	b[DTOA_BUFSZ];

	if (isnan(v))
		fputs("\"nan\"", fp);
	else if (isinf(v))
		fputs(v > 0 ? "\"inf\"" : "\"-inf\"", fp);
	else
		fwrite(b, 1, dtoa_fmt(v, b), fp);
}

void
json_string(FILE *fp, const char *s)
{
	const unsigned char *p;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

static void
json_row(FILE *fp, const double *v, size_t n)
{
	size_t i;

	fputc('[', fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", fp);
		json_number(fp, v[i]);
	}
	fputc(']', fp);
}

void
json_mat(FILE *fp, const struct mat *m)
{
	size_t r;

	if (m->ndim != 2) {
		json_row(fp, m->v, m->cols);
		return;
	}
	fputc('[', fp);
	for (r = 0; r < m->rows; r++) {
		if (r > 0)
			fputs(", ", fp);
		json_row(fp, m->v + r * m->cols, m->cols);
	}
	fputc(']', fp);
}
