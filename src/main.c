/*
 * main.c -- losslab's entry point: global options, then one of
 *   losslab [LESSON]          the explorer (the lesson list without LESSON)
 *   losslab --dump LESSON     every step of a lesson as plain text
 *   losslab eval ...          one loss, value and gradient (cmd_eval.c)
 *   losslab plot ...          loss curves through gnuplot (cmd_plot.c)
 *   losslab train ...         a model trained, right loss and pitfall
 *                             side by side (cmd_train.c)
 *   losslab lessons ...       list and check lessons (cmd_lessons.c)
 * Options and data are read before the terminal is touched, so that most
 * errors print as ordinary "losslab: ..." lines.  Whatever the command,
 * standard output is checked and closed at exit: output that could not be
 * written is an error, not a success.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "cmd_eval.h"
#include "cmd_lessons.h"
#include "cmd_plot.h"
#include "cmd_train.h"
#include "dump.h"
#include "i18n.h"
#include "parse.h"
#include "ui/ui.h"

enum {
	OPT_LANG = 256, OPT_LESSONS, OPT_NO_COLOR, OPT_PRESENT, OPT_AUTOPLAY,
	OPT_LOOP,
	OPT_DUMP, OPT_HELP, OPT_VERSION, OPT_GRAPHICS,
	OPT_FORMAT, OPT_OUT, OPT_NO_ANSWERS, OPT_ANSWERS_ONLY
};

static const struct option main_options[] = {
	{ "lang",	required_argument, NULL, OPT_LANG },
	{ "lessons",	required_argument, NULL, OPT_LESSONS },
	{ "no-color",	no_argument,	   NULL, OPT_NO_COLOR },
	{ "no-colour",	no_argument,	   NULL, OPT_NO_COLOR },
	{ "present",	no_argument,	   NULL, OPT_PRESENT },
	{ "autoplay",	required_argument, NULL, OPT_AUTOPLAY },
	{ "loop",	no_argument,	   NULL, OPT_LOOP },
	{ "graphics",	required_argument, NULL, OPT_GRAPHICS },
	{ "dump",	required_argument, NULL, OPT_DUMP },
	{ "format",	required_argument, NULL, OPT_FORMAT },
	{ "out",	required_argument, NULL, OPT_OUT },
	{ "no-answers",	no_argument,	   NULL, OPT_NO_ANSWERS },
	{ "answers-only", no_argument,	   NULL, OPT_ANSWERS_ONLY },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ "version",	no_argument,	   NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/*
 * The locale: the user's, for character classes and widths, but always a
 * UTF-8 one -- lessons, catalogue and gnuplot output are UTF-8, and a
 * LANG=zh_CN.UTF-8 that names a locale the system never generated (common in
 * containers, where only C.UTF-8 exists) must still show Chinese, not
 * escapes.  Numbers are always read and printed the C way (a decimal point,
 * whatever LC_NUMERIC says), which `eval --json` and the value syntax need.
 */
static void
main_locale(void)
{
	if (setlocale(LC_ALL, "") == NULL ||
	    strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
		if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
			setlocale(LC_CTYPE, "C.utf8");
	}
	setlocale(LC_NUMERIC, "C");
}

/*
 * At exit, as GNU programs do (gnulib's close_stdout): flush and close
 * standard output, and if any write to it failed -- a full disk, /dev/full,
 * a closed descriptor -- say "losslab: write error: <reason>" and exit 2,
 * whatever the command returned.  A standard output that was closed before
 * we started and never written to is no error.  Standard error is only
 * flushed (the sanitisers need it open to the end); if that fails there is
 * nowhere to say so, but the status is 2.
 */
static void
main_close_stdout(void)
{
	int	 failed, err = 0;

	failed = ferror(stdout) != 0;
	errno = 0;
	if (fflush(stdout) != 0) {
		failed = 1;
		err = errno;
	}
	/* A write that failed while the program ran (output of more than
	   one buffer) left no errno behind: one more byte finds the reason.
	   The output is lost already; a stray newline cannot make it worse. */
	if (failed && err == 0 && write(fileno(stdout), "\n", 1) < 0)
		err = errno;
	if (fclose(stdout) != 0 && (failed || errno != EBADF)) {
		failed = 1;
		if (err == 0)
			err = errno;
	}
	if (failed) {
		/* stdout is closed: not cli_fail(), which flushes it */
		if (err != 0)
			fprintf(stderr, "losslab: write error: %s\n",
			    strerror(err));
		else
			fputs("losslab: write error\n", stderr);
		_exit(CLI_EXIT_USAGE);
	}
	if (fflush(stderr) != 0 || ferror(stderr))
		_exit(CLI_EXIT_USAGE);
}

static void
usage(void)
{
	fputs(_("Usage: losslab [OPTION]... [LESSON]\n"
	    "  or:  losslab eval LOSS --input V --target V [OPTION]...\n"
	    "  or:  losslab plot ID [--out FILE] [OPTION]...\n"
	    "  or:  losslab lessons [--check [FILE|DIR]]\n"
	    "  or:  losslab train --data SET --model M --loss LOSS [OPTION]...\n"
	    "Explore classification losses -- BCE, cross-entropy and their "
	    "relatives --\nwith editable inputs, live values and gradients, "
	    "and the classic mistakes\nbeside the right way.  Every number "
	    "equals PyTorch's (float64).\n\n"), stdout);
	fputs(_("With no LESSON, the explorer opens on the lesson list; "
	    "LESSON is a lesson id\n(such as bce or softmax-then-ce) or a "
	    "lesson file.\n\n"), stdout);
	fputs(_(
"      --dump LESSON     print every step of LESSON as plain text and exit\n"
"      --lang en|zh      language of lessons and interface (default: from\n"
"                        LC_ALL/LC_MESSAGES/LANG; zh_* selects Chinese)\n"
"      --lessons DIR     look for lessons in DIR first\n"
"      --no-color        no colours (also when NO_COLOR is set)\n"
"      --present         presenter mode: large figures, no chrome\n"
"      --autoplay SECS   step through the lesson by itself every SECS seconds\n"
"                        (a question, then its answer; Space pauses)\n"
"      --loop            with --autoplay: start again after the last step\n"
"      --graphics MODE   plots as pictures: auto (sixel where the terminal\n"
"                        shows it), sixel, text (also LOSSLAB_GRAPHICS)\n"
"      --help            display this help and exit\n"
"      --version         output version information and exit\n\n"), stdout);
	fputs(_("Handouts, with --dump LESSON:\n"
"      --format F        text (fitted to COLUMNS), md (pictures beside\n"
"                        --out), html (one file, every plot inline) or json\n"
"                        (every computed value)\n"
"      --out FILE        write FILE (replaced whole) instead of standard output\n"
"      --no-answers      the student copy: the questions, not the answers\n"
"      --answers-only    the key: each question with its answer\n\n"),
	    stdout);
	fputs(_("Subcommands: 'losslab eval --help', 'losslab plot --help', "
	    "'losslab lessons --help', 'losslab train --help'.\nThe manual: "
	    "man losslab.\n"), stdout);
	/* TRANSLATORS: %s is the bug-report address */
	printf(_("\nReport bugs to: %s\n"), PACKAGE_BUGREPORT);
	printf(_("%s home page: <%s>\n"), PACKAGE_NAME, PACKAGE_URL);
}

static void
version(void)
{
	printf("losslab %s\n", PACKAGE_VERSION);
	fputs(_("Copyright (C) 2026 the losslab developers.\n"
	    "License GPLv3+: GNU GPL version 3 or later "
	    "<https://gnu.org/licenses/gpl.html>.\n"
	    "This is free software: you are free to change and redistribute "
	    "it.\nThere is NO WARRANTY, to the extent permitted by law.\n"), stdout);
}

/* The one-line error for the global options, with a pointer to --help. */
static int
fail_usage(const char *fmt, const char *arg)
{
	char	 msg[512];

	snprintf(msg, sizeof msg, fmt, arg);
	return cli_fail("%s (see 'losslab --help')", msg);
}

/*
 * Parse the global options in argv[first..] into app; returns -1 to go on,
 * else an exit status.  The first non-option is left at *optind.
 */
static int
parse_global(int argc, char **argv, struct app_opts *app, const char **dump,
    struct dump_opts *dopts, int *dump_only)
{
	int	 c;
	double	 secs;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", main_options, NULL)) != -1) {
		switch (c) {
		case OPT_LANG:
			if (strcmp(optarg, "en") != 0 &&
			    strcmp(optarg, "zh") != 0)
				return fail_usage("--lang: unknown language "
				    "'%s' (en or zh)", optarg);
			app->lang = i18n_init(optarg);
			break;
		case OPT_LESSONS:
			app->lessons_dir = optarg;
			break;
		case OPT_NO_COLOR:
			app->no_color = 1;
			break;
		case OPT_PRESENT:
			app->present = 1;
			break;
		case OPT_LOOP:
			app->loop = 1;
			break;
		case OPT_AUTOPLAY:
			if (parse_double(optarg, &secs) != 0 || !(secs > 0) ||
			    secs > 86400)
				return fail_usage("--autoplay: '%s' is not a "
				    "number of seconds", optarg);
			app->autoplay = secs;
			break;
		case OPT_GRAPHICS:
			app->graphics = optarg;
			break;
		case OPT_DUMP:
			*dump = optarg;
			break;
		case OPT_FORMAT:
			if (dump_format_parse(optarg, &dopts->fmt) != 0)
				return fail_usage("--format: unknown format "
				    "'%s' (text, md, html or json)", optarg);
			*dump_only = 1;
			break;
		case OPT_OUT:
			dopts->out = optarg;
			*dump_only = 1;
			break;
		case OPT_NO_ANSWERS:
		case OPT_ANSWERS_ONLY:
			if (dopts->answers != DUMP_ANSWERS_ALL &&
			    dopts->answers != (c == OPT_NO_ANSWERS ?
			    DUMP_ANSWERS_NONE : DUMP_ANSWERS_ONLY))
				return fail_usage("--no-answers and "
				    "--answers-only exclude each other%s", "");
			dopts->answers = c == OPT_NO_ANSWERS ?
			    DUMP_ANSWERS_NONE : DUMP_ANSWERS_ONLY;
			*dump_only = 1;
			break;
		case OPT_HELP:
			usage();
			return 0;
		case OPT_VERSION:
			version();
			return 0;
		case ':':
			return fail_usage("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			return fail_usage("unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (app->loop && app->autoplay <= 0)
		return fail_usage("--loop goes with --autoplay SECS%s", "");
	return -1;
}

int
main(int argc, char **argv)
{
	struct app_opts	 app;
	const char	*dump = NULL, *lesson = NULL, *nc;
	struct dump_opts dopts;
	int		 rc, dump_only = 0;

	atexit(main_close_stdout);
	main_locale();
	memset(&app, 0, sizeof app);
	memset(&dopts, 0, sizeof dopts);
	dopts.fmt = DUMP_TEXT;
	dopts.answers = DUMP_ANSWERS_ALL;
	nc = getenv("NO_COLOR");
	app.no_color = nc != NULL && *nc != '\0';
	app.graphics = getenv("LOSSLAB_GRAPHICS");
	app.lang = i18n_init(NULL);

	if ((rc = parse_global(argc, argv, &app, &dump, &dopts,
	    &dump_only)) >= 0)
		goto out;

	if (optind < argc) {
		const char *cmd = argv[optind];

		if (strcmp(cmd, "eval") == 0) {
			rc = cmd_eval_main(argc - optind, argv + optind);
			goto out;
		}
		if (strcmp(cmd, "plot") == 0) {
			rc = cmd_plot_main(argc - optind, argv + optind);
			goto out;
		}
		if (strcmp(cmd, "train") == 0) {
			rc = cmd_train_main(argc - optind, argv + optind);
			goto out;
		}
		if (strcmp(cmd, "lessons") == 0) {
			rc = cmd_lessons_main(&app, argc - optind,
			    argv + optind);
			goto out;
		}
		lesson = argv[optind++];
		/* Global options may also follow the lesson. */
		if ((rc = parse_global(argc, argv, &app, &dump, &dopts,
		    &dump_only)) >= 0)
			goto out;
		if (optind < argc) {
			rc = fail_usage("unexpected argument '%s'",
			    argv[optind]);
			goto out;
		}
	}
	if (dump != NULL) {
		if (lesson != NULL) {
			rc = fail_usage("--dump takes one lesson, '%s' is one "
			    "too many", lesson);
			goto out;
		}
		rc = dump_main(&app, dump, &dopts);
		goto out;
	}
	if (dump_only) {
		rc = fail_usage("--format, --out, --no-answers and "
		    "--answers-only go with --dump LESSON%s", "");
		goto out;
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		rc = cli_fail("%s", _("the explorer needs a terminal; for "
		    "numbers use 'losslab eval', for a lesson as text "
		    "'losslab --dump LESSON'"));
		goto out;
	}
	rc = ui_main(&app, lesson);
out:
	i18n_done();
	return rc;
}
