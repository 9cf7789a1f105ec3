/*
 * cmd_eval.c -- `losslab eval LOSS --input V --target V [options]`.
 *
 * Parses the values and options, hands them to the loss core (loss_eval,
 * pitfall_eval, diag_check) and prints either a readable report or one JSON
 * object.  Nothing here computes a loss.  Every bad input -- an unknown loss
 * or option, an option the loss does not read, a number that does not parse,
 * a shape the core refuses -- ends in one "losslab: ..." line and exit 2.
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_eval.h"
#include "core/diag.h"
#include "core/loss.h"
#include "core/pitfall.h"
#include "i18n.h"
#include "json.h"
#include "parse.h"

enum {
	OPT_JSON = CLI_OPT_END, OPT_HELP
};

static const struct option eval_options[] = {
	CLI_LOSS_OPTION_TABLE,
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

/* Everything one invocation owns, freed in one place. */
struct eval_args {
	enum loss_id		 loss;
	struct cli_loss		 l;	/* the values and loss options */
	int			 json;
};

void
cmd_eval_usage(void *out)
{
	FILE	*fp = out;
	int	 i;

	fputs(_("Usage: losslab eval LOSS --input V --target V [OPTION]...\n"
	    "Compute a classification loss, its gradient and its warnings, "
	    "exactly as\nPyTorch 1.13 does in float64.\n\n"), fp);
	fputs(_("LOSS is one of:"), fp);
	for (i = 0; i < LOSS_COUNT; i++)
		fprintf(fp, " %s", loss_name(i));
	fputs("\n\n", fp);
	fputs(_(
"  --input V            the model output (logits, probabilities or\n"
"                       log-probabilities, as the loss expects)\n"
"  --target V           targets; for ce/nll/multi-margin a target shaped like\n"
"                       the input holds class probabilities, otherwise class\n"
"                       indices (0,2 for a 2xC input; 1 for a 1-D input)\n"
"  --reduction R        none, mean (default), sum; batchmean for kl-div\n"
"  --weight V           weights (per class, or broadcast like PyTorch for bce)\n"
"  --pos-weight V       bce-logits: weight of the positive term per class\n"
"  --ignore-index N     ce, nll: targets equal to N are skipped (default -100)\n"
"  --label-smoothing X  ce: epsilon in [0, 1] (default 0)\n"
"  --margin X           multi-margin: the margin (default 1)\n"
"  --p 1|2              multi-margin: the power (default 1)\n"
"  --alpha X            focal: positive-class weight (default 0.25; <0: off)\n"
"  --gamma X            focal: focusing exponent (default 2)\n"
"  --log-target         kl-div: the target is given as log-probabilities\n"
"  --pitfall ID         also evaluate a classic mistake on the same input:\n"
"                       double-sigmoid, softmax-then-ce, log-softmax-then-ce,\n"
"                       bce-on-logits, naive-float32\n"
"  --json               print one JSON object instead of the report\n"
"  --help               show this help and exit\n\n"), fp);
	fputs(_(
"V is a,b,c (1-D) or a,b;c,d (rows); @FILE reads it from a file (the same\n"
"syntax, or one row a line), - from standard input; inf, -inf and nan are\n"
"accepted.  Bad input exits with status 2 and one line on standard error.\n\n"
"Example:\n"
"  losslab eval ce --input '2,1,0.1;0.2,0.3,2.5' --target 0,2 --json\n"), fp);
}

static int
parse_args(int argc, char **argv, struct eval_args *a)
{
	const char	*loss_arg = NULL;
	int		 c, rc;

	cli_loss_init(&a->l);
	opterr = 0;
	optind = 0;	/* 0: GNU getopt re-initialises (main used "+") */
	while ((c = getopt_long(argc, argv, ":", eval_options, NULL)) != -1) {
		rc = 0;
		switch (c) {
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_HELP:
			cmd_eval_usage(stdout);
			return 1;
		case ':':
			return cli_fail("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			if (c >= CLI_OPT_INPUT && c < CLI_OPT_END) {
				rc = cli_loss_option(&a->l, c, optarg, "");
				break;
			}
			return cli_fail("unknown option '%s' (see 'losslab eval "
			    "--help')", argv[optind - 1]);
		}
		if (rc != 0)
			return rc;
	}
	for (; optind < argc; optind++) {
		if (loss_arg != NULL)
			return cli_fail("unexpected argument '%s' (the loss is "
			    "already '%s')", argv[optind], loss_arg);
		loss_arg = argv[optind];
	}
	if (loss_arg == NULL)
		return cli_fail("eval needs a loss (see 'losslab eval --help')");
	if (loss_parse(loss_arg, &a->loss) != 0)
		return cli_fail("unknown loss '%s' (see 'losslab eval --help')",
		    loss_arg);
	if (!a->l.have_input)
		return cli_fail("eval %s needs --input", loss_arg);
	if (!a->l.have_target)
		return cli_fail("eval %s needs --target", loss_arg);
	if ((rc = cli_loss_check(&a->l, a->loss, LOSS_COUNT, "")) != 0)
		return rc;
	if (a->l.pitfall != PITFALL_NONE &&
	    pitfall_loss(a->l.pitfall) != a->loss)
		return cli_fail("--pitfall %s imitates %s, not %s",
		    pitfall_name(a->l.pitfall),
		    loss_name(pitfall_loss(a->l.pitfall)), loss_name(a->loss));
	return 0;
}


static void
print_num(double v)
{
	if (isnan(v))
		printf(" %13s", "nan");
	else if (isinf(v))
		printf(" %13s", v > 0 ? "inf" : "-inf");
	else
		printf(" %13.8g", v);
}

/* Print a mat as an indented table, one row a line. */
static void
print_mat(const struct mat *m)
{
	size_t r, c;

	if (mat_numel(m) == 0) {
		printf("  %s\n", _("(empty)"));
		return;
	}
	for (r = 0; r < m->rows; r++) {
		fputs(" ", stdout);
		if (m->ndim == 2)
			printf(" [%zu]", r);
		for (c = 0; c < m->cols; c++)
			print_num(MAT_AT(m, r, c));
		putchar('\n');
	}
}

static void
print_value_line(const char *label, const struct loss_result *r,
    enum loss_reduction red)
{
	char	 buf[64];

	printf("%s: %.17g", label, r->value);
	switch (red) {
	case LOSS_REDUCTION_NONE:
		printf("  (%s)\n", _("sum of the unreduced losses"));
		break;
	case LOSS_REDUCTION_SUM:
		printf("  (%s)\n", _("sum"));
		break;
	default:
		printf("  (%s %s)\n", _("sum divided by"),
		    parse_fmt(r->denom, buf, sizeof buf));
	}
}

static void
print_report(const struct eval_args *a, const struct loss_result *r,
    const struct diag_list *dl, const struct loss_result *pr,
    const struct err *perr)
{
	int		 i;

	printf("%s (%s), reduction=%s\n", loss_name(a->loss),
	    loss_torch_name(a->loss), loss_reduction_name(a->l.opts.reduction));
	/* "input, logits z:"; log p is its name already */
	if (loss_input_kind(a->loss) == LOSS_INPUT_LOG_PROBABILITIES)
		printf("%s, %s:\n", _("input"),
		    _(loss_input_kind_name(a->loss)));
	else
		printf("%s, %s %s:\n", _("input"),
		    _(loss_input_kind_name(a->loss)), loss_input_symbol(a->loss));
	print_mat(&a->l.input);
	printf("%s%s:\n", _("target"), r->index_target ?
	    _(" (class indices)") : "");
	print_mat(&a->l.target);
	printf("%s:\n", _("per-element loss (reduction='none')"));
	print_mat(&r->elem);
	print_value_line(_("loss"), r, a->l.opts.reduction);
	printf("%s %s (%s):\n", _("gradient"), loss_grad_label(a->loss),
	    _("w.r.t. the input"));
	print_mat(&r->grad);
	if (dl->n > 0) {
		printf("%s:\n", _("warnings"));
		for (i = 0; i < dl->n; i++)
			printf("  [%s] %s\n", dl->d[i].id, dl->d[i].msg);
	}
	if (a->l.pitfall == PITFALL_NONE)
		return;
	printf("\n%s %s: %s\n", _("pitfall"), pitfall_name(a->l.pitfall),
	    pitfall_torch_code(a->l.pitfall));
	if (pr == NULL) {
		printf("  %s: %s\n", _("PyTorch raises"), perr->msg);
		return;
	}
	printf("%s:\n", _("per-element loss (reduction='none')"));
	print_mat(&pr->elem);
	print_value_line(_("pitfall loss"), pr, a->l.opts.reduction);
	printf("%s: %.17g\n", _("difference (pitfall - correct)"),
	    pr->value - r->value);
	printf("%s %s (%s):\n", _("pitfall gradient"),
	    loss_grad_label(pitfall_loss(a->l.pitfall)),
	    _("w.r.t. the raw logits"));
	print_mat(&pr->grad);
}

/* The 'none' output: a number when it is 0-d, else an array. */
static void
json_value(const struct loss_result *r, enum loss_reduction red)
{
	if (red != LOSS_REDUCTION_NONE || r->elem_scalar)
		json_number(stdout, red == LOSS_REDUCTION_NONE ?
		    r->elem.v[0] : r->value);
	else
		json_mat(stdout, &r->elem);
}

static void
print_json(const struct eval_args *a, const struct loss_result *r,
    const struct diag_list *dl, const struct loss_result *pr,
    const struct err *perr)
{
	int i;

	fputs("{\"loss\": ", stdout);
	json_string(stdout, loss_name(a->loss));
	fputs(", \"reduction\": ", stdout);
	json_string(stdout, loss_reduction_name(a->l.opts.reduction));
	fputs(", \"value\": ", stdout);
	json_value(r, a->l.opts.reduction);
	fputs(", \"grad\": ", stdout);
	json_mat(stdout, &r->grad);
	fputs(", \"warnings\": [", stdout);
	for (i = 0; i < dl->n; i++) {
		fputs(i ? ", {\"id\": " : "{\"id\": ", stdout);
		json_string(stdout, dl->d[i].id);
		fputs(", \"message\": ", stdout);
		json_string(stdout, dl->d[i].msg);
		fputc('}', stdout);
	}
	fputc(']', stdout);
	if (a->l.pitfall != PITFALL_NONE) {
		fputs(", \"pitfall\": {\"id\": ", stdout);
		json_string(stdout, pitfall_name(a->l.pitfall));
		if (pr != NULL) {
			fputs(", \"value\": ", stdout);
			json_value(pr, a->l.opts.reduction);
			fputs(", \"grad\": ", stdout);
			json_mat(stdout, &pr->grad);
		} else {
			fputs(", \"error\": ", stdout);
			json_string(stdout, perr->msg);
		}
		fputc('}', stdout);
	}
	fputs("}\n", stdout);
}

int
cmd_eval_main(int argc, char **argv)
{
	struct eval_args	 a;
	struct loss_result	 r = LOSS_RESULT_INIT, pr = LOSS_RESULT_INIT;
	struct diag_list	 dl;
	struct err		 e, perr;
	int			 rc, pok = 0;

	memset(&a, 0, sizeof a);
	rc = parse_args(argc, argv, &a);
	if (rc != 0) {
		rc = rc == 1 ? 0 : rc;
		goto out;
	}
	if (loss_eval(a.loss, &a.l.input, &a.l.target, &a.l.opts, &r,
	    &e) != 0) {
		rc = cli_fail("%s: %s", loss_name(a.loss), e.msg);
		goto out;
	}
	diag_check(a.loss, &a.l.input, &a.l.target, &a.l.opts, &r, &dl);
	if (a.l.pitfall != PITFALL_NONE)
		pok = pitfall_eval(a.l.pitfall, &a.l.input, &a.l.target,
		    &a.l.opts, &pr, &perr) == 0;
	if (a.json)
		print_json(&a, &r, &dl, pok ? &pr : NULL, &perr);
	else
		print_report(&a, &r, &dl, pok ? &pr : NULL, &perr);
	/* a failed write is reported at exit (main.c) */
out:
	loss_result_free(&r);
	loss_result_free(&pr);
	cli_loss_free(&a.l);
	return rc;
}
