/*
 * cli.c -- the one-line error and the loss options shared by the
 * subcommands (see cli.h).  The values go through parse.c's value syntax;
 * the loss core decides later whether they fit the loss.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "parse.h"
#include "safeout.h"

int
cli_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("losslab: ", stderr);
	/* arguments, file names and file contents are quoted in messages:
	   whatever they hold, the message stays one visible line */
	va_start(ap, fmt);
	safeout_vprintf(stderr, SAFEOUT_LINE, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

void
cli_loss_init(struct cli_loss *l)
{
	static const struct mat	 empty = MAT_INIT;

	memset(l, 0, sizeof *l);
	l->input = l->target = l->weight = l->pos_weight = empty;
	loss_opts_init(&l->opts);
	l->pitfall = PITFALL_NONE;
}

void
cli_loss_free(struct cli_loss *l)
{
	mat_free(&l->input);
	mat_free(&l->target);
	mat_free(&l->weight);
	mat_free(&l->pos_weight);
}

/* A value option (which may read stdin once) into m; *info says what it
   was read from.  A header line skipped is said on stderr, one line. */
static int
value_arg(struct cli_loss *l, const char *cmd, const char *opt,
    const char *arg, struct mat *m, int *have, struct parse_info *info)
{
	struct err		 e;
	struct parse_info	 own = PARSE_INFO_INIT;

	if (info == NULL)
		info = &own;

	if (*have)
		return cli_fail("%s%s given twice", cmd, opt);
	if (strcmp(arg, "-") == 0) {
		if (l->stdin_used)
			return cli_fail("%s%s: standard input is already read "
			    "by another option", cmd, opt);
		l->stdin_used = 1;
	}
	if (parse_value_arg_info(arg, opt, m, info, &e) != 0)
		return cli_fail("%s%s", cmd, e.msg);
	if (info->header_line != 0) {
		fflush(stdout);
		fputs("losslab: ", stderr);
		safeout_printf(stderr, SAFEOUT_LINE, _("note: %s%s: line %zu "
		    "of '%s' holds no number: a header, skipped"), cmd, opt,
		    info->header_line, arg[0] == '@' ? arg + 1 :
		    _("standard input"));
		fputc('\n', stderr);
	}
	*have = 1;
	return 0;
}

static int
number_arg(const char *cmd, const char *opt, const char *arg, double *out)
{
	if (parse_double(arg, out) != 0)
		return cli_fail("%s%s: '%s' is not a number", cmd, opt, arg);
	return 0;
}

int
cli_loss_option(struct cli_loss *l, int code, const char *arg,
    const char *cmd)
{
	long	 v;

	if (code < CLI_OPT_INPUT || code >= CLI_OPT_END)
		return cli_fail("%sunknown option", cmd);
	l->given[code - CLI_OPT_INPUT]++;
	switch (code) {
	case CLI_OPT_INPUT:
		return value_arg(l, cmd, "--input", arg, &l->input,
		    &l->have_input, &l->input_info);
	case CLI_OPT_TARGET:
		return value_arg(l, cmd, "--target", arg, &l->target,
		    &l->have_target, &l->target_info);
	case CLI_OPT_WEIGHT:
		l->opts.weight = &l->weight;
		return value_arg(l, cmd, "--weight", arg, &l->weight,
		    &l->have_weight, NULL);
	case CLI_OPT_POS_WEIGHT:
		l->opts.pos_weight = &l->pos_weight;
		return value_arg(l, cmd, "--pos-weight", arg, &l->pos_weight,
		    &l->have_pos_weight, NULL);
	case CLI_OPT_REDUCTION:
		if (loss_reduction_parse(arg, &l->opts.reduction) != 0)
			return cli_fail("%s--reduction: %s is not a valid "
			    "value for reduction", cmd, arg);
		return 0;
	case CLI_OPT_IGNORE_INDEX:
		if (parse_long(arg, &v) != 0)
			return cli_fail("%s--ignore-index: '%s' is not an "
			    "integer", cmd, arg);
		l->opts.ignore_index = v;
		return 0;
	case CLI_OPT_LABEL_SMOOTHING:
		return number_arg(cmd, "--label-smoothing", arg,
		    &l->opts.label_smoothing);
	case CLI_OPT_MARGIN:
		return number_arg(cmd, "--margin", arg, &l->opts.margin);
	case CLI_OPT_P:
		if (parse_long(arg, &v) != 0 || (v != 1 && v != 2))
			return cli_fail("%s--p: only p == 1 and p == 2 "
			    "supported (got '%s')", cmd, arg);
		l->opts.p = (int)v;
		return 0;
	case CLI_OPT_ALPHA:
		return number_arg(cmd, "--alpha", arg, &l->opts.alpha);
	case CLI_OPT_GAMMA:
		return number_arg(cmd, "--gamma", arg, &l->opts.gamma);
	case CLI_OPT_LOG_TARGET:
		l->opts.log_target = 1;
		return 0;
	case CLI_OPT_PITFALL:
	default:
		if (pitfall_parse(arg, &l->pitfall) != 0 ||
		    (l->pitfall == PITFALL_NONE && !l->pitfall_none))
			return cli_fail("%s--pitfall: unknown pitfall '%s' "
			    "(%sdouble-sigmoid, softmax-then-ce, "
			    "log-softmax-then-ce, bce-on-logits, "
			    "naive-float32)", cmd, arg,
			    l->pitfall_none ? "none, " : "");
		return 0;
	}
}

int
cli_loss_check(const struct cli_loss *l, enum loss_id id, enum loss_id also,
    const char *cmd)
{
	static const struct {
		int		 code;
		const char	*name;
	} opts[] = {
		{ CLI_OPT_WEIGHT, "weight" },
		{ CLI_OPT_POS_WEIGHT, "pos-weight" },
		{ CLI_OPT_IGNORE_INDEX, "ignore-index" },
		{ CLI_OPT_LABEL_SMOOTHING, "label-smoothing" },
		{ CLI_OPT_MARGIN, "margin" },
		{ CLI_OPT_P, "p" },
		{ CLI_OPT_ALPHA, "alpha" },
		{ CLI_OPT_GAMMA, "gamma" },
		{ CLI_OPT_LOG_TARGET, "log-target" },
	};
	size_t	 i;

	for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (!l->given[opts[i].code - CLI_OPT_INPUT] ||
		    loss_has_option(id, opts[i].name) ||
		    (also != LOSS_COUNT && loss_has_option(also,
		    opts[i].name)))
			continue;
		return cli_fail("%s--%s does not apply to %s (%s)", cmd,
		    opts[i].name, loss_name(id), loss_torch_name(id));
	}
	return 0;
}

/* COLUMNS and LINES, else the terminal's size, else 80x24; one line less
   than the height for the shell prompt (when it is more than 10). */
void
cli_term_size(int *w, int *h)
{
	struct winsize	 ws;
	const char	*s;
	long		 v;
	char		*end;

	*w = 80;
	*h = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
	    ws.ws_row > 0) {
		*w = ws.ws_col;
		*h = ws.ws_row;
	}
	if ((s = getenv("COLUMNS")) != NULL && *s != '\0') {
		v = strtol(s, &end, 10);
		if (*end == '\0' && v > 0 && v < 10000)
			*w = (int)v;
	}
	if ((s = getenv("LINES")) != NULL && *s != '\0') {
		v = strtol(s, &end, 10);
		if (*end == '\0' && v > 0 && v < 10000)
			*h = (int)v;
	}
	if (*h > 10)
		(*h)--;
}
