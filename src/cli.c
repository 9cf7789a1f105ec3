/*
 * cli.c -- the one-line error shared by the subcommands (see cli.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int
cli_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("losslab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}
