/*
 * cli.h -- what every subcommand shares: the one-line error, and the
 * values and options of one loss as `losslab eval` and `losslab plot`
 * (cell mode) read them.
 *
 * Bad input anywhere on the command line ends the same way: one line on
 * standard error, "losslab: <what and where>", and exit status 2.
 */
#ifndef LOSSLAB_CLI_H
#define LOSSLAB_CLI_H

#include "core/loss.h"
#include "core/mat.h"
#include "core/pitfall.h"
#include "parse.h"

/* The exit status for bad input. */
#define CLI_EXIT_USAGE	2

/* Print "losslab: " + the formatted message + newline on stderr, the
   message escaped as one line (safeout.h: a control character or invalid
   UTF-8 in an argument shows as \x1b, \n, \xff...); returns
   CLI_EXIT_USAGE so callers can `return cli_fail(...)`. */
int	 cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The getopt_long() codes of the loss options; a command's own options
 * number from CLI_OPT_END.  CLI_LOSS_OPTION_TABLE is their struct option
 * entries (input, target, reduction, weight, pos-weight, ignore-index,
 * label-smoothing, margin, p, alpha, gamma, log-target, pitfall), for a
 * command's table.
 */
enum {
	CLI_OPT_INPUT = 256, CLI_OPT_TARGET, CLI_OPT_REDUCTION, CLI_OPT_WEIGHT,
	CLI_OPT_POS_WEIGHT, CLI_OPT_IGNORE_INDEX, CLI_OPT_LABEL_SMOOTHING,
	CLI_OPT_MARGIN, CLI_OPT_P, CLI_OPT_ALPHA, CLI_OPT_GAMMA,
	CLI_OPT_LOG_TARGET, CLI_OPT_PITFALL,
	CLI_OPT_END
};

#define CLI_LOSS_OPTION_TABLE \
	{ "input",		required_argument, NULL, CLI_OPT_INPUT }, \
	{ "target",		required_argument, NULL, CLI_OPT_TARGET }, \
	{ "reduction",		required_argument, NULL, CLI_OPT_REDUCTION }, \
	{ "weight",		required_argument, NULL, CLI_OPT_WEIGHT }, \
	{ "pos-weight",		required_argument, NULL, CLI_OPT_POS_WEIGHT }, \
	{ "ignore-index",	required_argument, NULL, \
	    CLI_OPT_IGNORE_INDEX }, \
	{ "label-smoothing",	required_argument, NULL, \
	    CLI_OPT_LABEL_SMOOTHING }, \
	{ "margin",		required_argument, NULL, CLI_OPT_MARGIN }, \
	{ "p",			required_argument, NULL, CLI_OPT_P }, \
	{ "alpha",		required_argument, NULL, CLI_OPT_ALPHA }, \
	{ "gamma",		required_argument, NULL, CLI_OPT_GAMMA }, \
	{ "log-target",		no_argument,	   NULL, CLI_OPT_LOG_TARGET }, \
	{ "pitfall",		required_argument, NULL, CLI_OPT_PITFALL }

/* The values and options read so far; cli_loss_init() first,
   cli_loss_free() at the end. */
struct cli_loss {
	struct mat	 input, target, weight, pos_weight;
	int		 have_input, have_target, have_weight, have_pos_weight;
	struct loss_opts opts;		/* weight, pos_weight: the mats above */
	enum pitfall_id	 pitfall;	/* PITFALL_NONE unless --pitfall */
	int		 pitfall_none;	/* set by the caller: --pitfall none
					   is accepted (plot) */
	int		 stdin_used;	/* a value was read from "-" */
	struct parse_info input_info, target_info; /* what --input and
					   --target were read from (their
					   .npy dtype) */
	int		 given[CLI_OPT_END - CLI_OPT_INPUT]; /* times each
					   option appeared */
};

/* The size of a text plot on standard output: COLUMNS and LINES, else
   the terminal's, else 80x24, less one line for the prompt.  Never fails. */
void	 cli_term_size(int *w, int *h);

void	 cli_loss_init(struct cli_loss *l);
void	 cli_loss_free(struct cli_loss *l);

/*
 * Read loss option `code` (CLI_OPT_INPUT .. CLI_OPT_PITFALL) with argument
 * arg (NULL for --log-target) into l.  Returns 0, or CLI_EXIT_USAGE after
 * one line on stderr, prefixed by `cmd` ("" or "plot: "): a value given
 * twice, a second "-", a value or number that does not parse, an unknown
 * reduction or pitfall, --p other than 1 or 2.
 */
int	 cli_loss_option(struct cli_loss *l, int code, const char *arg,
	    const char *cmd);

/*
 * Refuse an option that loss `id` does not read (and neither does `also`,
 * LOSS_COUNT for none): CLI_EXIT_USAGE after "--OPT does not apply to LOSS
 * (TORCH)", else 0.
 */
int	 cli_loss_check(const struct cli_loss *l, enum loss_id id,
	    enum loss_id also, const char *cmd);

#endif
