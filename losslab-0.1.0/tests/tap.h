/*
 * tap.h -- a minimal Test Anything Protocol emitter for the C tests.
 *
 * Tests print "ok N - name" / "not ok N - name" lines and finish with the
 * plan "1..N" (a trailing plan is valid TAP); Automake's tap-driver.sh counts
 * them.  Diagnostics go out as "# ..." lines.  Header-only: each test program
 * is one translation unit.
 */
#ifndef LOSSLAB_TESTS_TAP_H
#define LOSSLAB_TESTS_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int tap_count;
static int tap_failed;

/* Report one result; returns cond so callers can add diagnostics. */
static int __attribute__((format(printf, 2, 3), unused))
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

static void __attribute__((format(printf, 1, 2), unused))
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Relative closeness with NaN == NaN and matching infinities (and signs). */
static int __attribute__((unused))
tap_close(double got, double want, double rtol)
{
	if (isnan(want))
		return isnan(got);
	if (isinf(want))
		return got == want;
	if (!isfinite(got))
		return 0;
	if (got == want)
		return 1;
	return fabs(got - want) <= rtol * fmax(fabs(want), 1e-300) ||
	    fabs(got - want) <= 1e-300;
}

/* Print the trailing plan; the exit status is 0 (failures are in the TAP). */
static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return 0;
}

#endif
