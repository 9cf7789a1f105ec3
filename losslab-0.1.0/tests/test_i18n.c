/*
 * test_i18n.c -- the catalogue's run-time check (src/i18n.c): a
 * translation stands for its msgid only with the same printf conversions
 * (count, order, each written the same) and no control character; the
 * shipped po/zh_CN.po loses none of its translations to the check; a
 * catalogue with wrong conversions falls back to the English, entry by
 * entry.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "safeout.h"
#include "tap.h"

/* i18n_usable() says want; the name shows both texts on one line. */
static void
usable(int want, const char *id, const char *str, int no_format)
{
	int	 got = i18n_usable(id, str, no_format);
	char	*i = safeout_strdup(id, SAFEOUT_LINE);
	char	*s = safeout_strdup(str, SAFEOUT_LINE);

	if (!tap_ok(got == want, "%s: '%s' for '%s'%s", want ? "used" :
	    "refused", s ? s : "?", i ? i : "?", no_format ?
	    " (no-c-format)" : ""))
		tap_diag("got %d", got);
	free(i);
	free(s);
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	char		 dir[] = "/tmp/losslab-i18n.XXXXXX", path[4096];
	size_t		 n, refused;
	FILE		*fp;

	/* the same conversions, in the same order */
	usable(1, "%zu lesson files checked: %d ok, %d problems\n",
	    "已检查 %zu 个课程文件：%d 个通过，%d 个问题\n", 0);
	usable(1, "Step %zu/%zu: %s", "步骤 %zu/%zu：%s", 0);
	usable(1, "no conversion", "没有转换", 0);
	usable(1, "'%.40s' is not a number", "'%.40s' 不是数字", 0);
	usable(1, "%-*s|%lld|%hhx|%5.2f", "%-*s，%lld，%hhx，%5.2f", 0);
	usable(1, " (within ±%s%% counts)", "（误差 ±%s%% 以内算对）", 0);
	/* "%%" converts nothing, so it is not counted */
	usable(1, "%d%% of %s", "%d %s", 0);
	/* other types, order or count */
	usable(0, "%zu lesson files checked: %d ok, %d problems\n",
	    "%s %s %s\n", 0);
	usable(0, "%zu of %s", "%s of %zu", 0);
	usable(0, "%s", "%s %s", 0);
	usable(0, "%s and %d", "%s", 0);
	usable(0, "none", "%s", 0);
	usable(0, "%d", "%ld", 0);
	usable(0, "%zu", "%u", 0);
	usable(0, "%g", "%d", 0);
	usable(0, "%.40s", "%s", 0);
	usable(0, "%s", "%.40s", 0);
	usable(0, "%s", "%*s", 0);
	usable(0, "%s", "%1$s", 0);
	usable(0, "%s", "%n", 0);
	usable(0, "%%s", "%s", 0);
	usable(0, "%s", "%s %", 0);
	usable(0, "10% unless", "10%）", 0);
	/* a text that is no format may have no '%' at all, and only then */
	usable(1, "tolerance 10% unless the lesson says", "容差为百分之十", 1);
	usable(0, "tolerance 10% unless the lesson says", "容差为百分之十", 0);
	usable(0, "tolerance 10% unless the lesson says", "容差为 10%）", 1);
	usable(0, "no format", "%s", 1);
	/* what the terminal would act on */
	usable(0, "title", "标题\033]0;pwned\007", 0);
	usable(0, "title", "\033[2J标题", 1);
	usable(0, "title", "标题\302\233", 0);
	usable(0, "title", "\377", 0);
	usable(0, "title", "a\rb", 0);
	usable(1, "two\nlines\tand a tab", "两行\n和\t制表符", 0);

	/* the shipped catalogue: every translation passes */
	if (top == NULL)
		top = ".";
	setenv("LOSSLAB_DATADIR", top, 1);
	i18n_init("zh");
	n = i18n_count(&refused);
	if (!tap_ok(n > 200 && refused == 0,
	    "po/zh_CN.po: %zu translations, %zu refused", n, refused))
		tap_diag("LOSSLAB_DATADIR=%s", top);
	tap_ok(strcmp(_("Step %zu/%zu: %s"), "步骤 %zu/%zu：%s") == 0,
	    "po/zh_CN.po: a format is translated");

	/* a catalogue with wrong conversions: those entries are English,
	   the others translated */
	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "mkdtemp");
		return tap_done();
	}
	snprintf(path, sizeof path, "%s/po", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/po/zh_CN.po", dir);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs("msgid \"\"\nmsgstr \"Content-Type: text/plain; "
		    "charset=UTF-8\\n\"\n\n"
		    "msgid \"Step %zu/%zu: %s\"\nmsgstr \"%s %s %s\"\n\n"
		    "#, c-format\nmsgid \"sum over %zu elements\"\n"
		    "msgstr \"对 %s 个元素求和\"\n\n"
		    "msgid \"Predict first:\"\nmsgstr \"先预测：\"\n", fp);
		fclose(fp);
	}
	setenv("LOSSLAB_DATADIR", dir, 1);
	i18n_init("zh");
	n = i18n_count(&refused);
	tap_ok(n == 1 && refused == 2, "bad catalogue: 1 used, 2 refused "
	    "(got %zu, %zu)", n, refused);
	tap_ok(strcmp(_("Step %zu/%zu: %s"), "Step %zu/%zu: %s") == 0 &&
	    strcmp(_("sum over %zu elements"), "sum over %zu elements") == 0,
	    "bad catalogue: the refused formats are the English");
	tap_ok(strcmp(_("Predict first:"), "先预测：") == 0,
	    "bad catalogue: the good entry is translated");
	i18n_done();
	unlink(path);
	snprintf(path, sizeof path, "%s/po", dir);
	rmdir(path);
	rmdir(dir);
	return tap_done();
}
