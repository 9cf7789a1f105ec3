/*
 * json.h -- the few JSON writers `losslab eval --json` needs.
 *
 * Numbers are written by dtoa_fmt(): the fewest digits that read back as the
 * same double ("0.1", "1e-05", "-0"; integral values without ".0");
 * JSON has no inf or nan, so those are written as the strings "inf", "-inf"
 * and "nan" (the contract of `losslab eval --json`).
 */
#ifndef LOSSLAB_JSON_H
#define LOSSLAB_JSON_H

#include <stdio.h>

#include "core/mat.h"

/* A number, or "inf"/"-inf"/"nan" as strings. */
void	 json_number(FILE *fp, double v);
/* A string with quotes, backslashes and control characters escaped. */
void	 json_string(FILE *fp, const char *s);
/* A mat as a nested array: [a, b] for 1-D, [[a, b], [c, d]] for 2-D. */
void	 json_mat(FILE *fp, const struct mat *m);

#endif
