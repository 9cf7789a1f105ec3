/*
 * cli.h -- what every subcommand shares: the one-line error.
 *
 * Bad input anywhere on the command line ends the same way: one line on
 * standard error, "losslab: <what and where>", and exit status 2.
 */
#ifndef LOSSLAB_CLI_H
#define LOSSLAB_CLI_H

/* The exit status for bad input. */
#define CLI_EXIT_USAGE	2

/* Print "losslab: " + the formatted message + newline on stderr; returns
   CLI_EXIT_USAGE so callers can `return cli_fail(...)`. */
int	 cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
