/*
 * test_i18n.c -- the catalogue's run-time check (src/i18n.c): a
 * translation stands for its msgid only with the same printf conversions
 * (count, order, each written the same) and no control character; the
 * shipped catalogue (the build tree's compiled losslab.mo) loses none of
 * its translations to the check; a catalogue with wrong conversions
 * (a .mo file this test writes) falls back to the English, entry by
 * entry; plurals and contexts are looked up as ngettext and pgettext.
 */
#include "config.h"

#include <stdint.h>
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

/*
 * Write a GNU .mo file of n msgid/msgstr pairs (sorted by msgid, the first
 * the header "") at path: magic, revision 0, the two tables of (length,
 * offset) and no hash table, which gettext then searches by bisection.
 */
static int
write_mo(const char *path, const char *const (*e)[2], uint32_t n)
{
	FILE		*fp;
	uint32_t	 h[7], off, k, j;

	if ((fp = fopen(path, "wb")) == NULL)
		return -1;
	h[0] = 0x950412de;
	h[1] = 0;
	h[2] = n;
	h[3] = 28;
	h[4] = 28 + 8 * n;
	h[5] = 0;
	h[6] = 28 + 16 * n;
	fwrite(h, 4, 7, fp);
	off = 28 + 16 * n;
	for (j = 0; j < 2; j++)
		for (k = 0; k < n; k++) {
			uint32_t le[2] = { (uint32_t)strlen(e[k][j]), off };

			fwrite(le, 4, 2, fp);
			off += le[0] + 1;
		}
	for (j = 0; j < 2; j++)
		for (k = 0; k < n; k++)
			fwrite(e[k][j], 1, strlen(e[k][j]) + 1, fp);
	return fclose(fp);
}

/*
 * Every entry of the compiled shipped catalogue is what the program's
 * lookups return (none refused by the run-time check), through _(), C_()'s
 * i18n_pget() or NG_()'s i18n_nget() as the entry is plain, in a context
 * or with a plural.  The number of entries, or -1 (no catalogue).
 */
static long
check_shipped(const char *mo, size_t *bad)
{
	FILE		*fp;
	char		*d = NULL;
	long		 len, n = 0;
	uint32_t	 h[7], k;

	*bad = 0;
	if ((fp = fopen(mo, "rb")) == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) > 28 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (d = malloc(len + 1)) != NULL &&
	    fread(d, 1, len, fp) == (size_t)len) {
		d[len] = '\0';
		memcpy(h, d, sizeof h);
		for (k = 0; h[0] == 0x950412de && k < h[2]; k++) {
			uint32_t	 io[2], so[2];
			const char	*id, *str, *got, *ctx;

			memcpy(io, d + h[3] + 8 * k, 8);
			memcpy(so, d + h[4] + 8 * k, 8);
			id = d + io[1];
			str = d + so[1];
			if (*id == '\0')
				continue;	/* the header */
			n++;
			if ((ctx = strchr(id, '\004')) != NULL)
				got = i18n_pget(id, ctx + 1);
			else if (strlen(id) < io[0])
				got = i18n_nget(id, id + strlen(id) + 1, 1);
			else
				got = i18n_get(id);
			if (strcmp(got, str) != 0) {
				if ((*bad)++ < 5)
					tap_diag("not used: '%s'", id);
			}
		}
	}
	free(d);
	fclose(fp);
	return n;
}

/* The bad catalogue, sorted by msgid as a .mo file wants. */
static const char *const bad_mo[][2] = {
	{ "", "Content-Type: text/plain; charset=UTF-8\n"
	    "Plural-Forms: nplurals=1; plural=0;\n" },
	{ "Predict first:", "先预测：" },
	{ "Step %zu/%zu: %s", "%s %s %s" },
	{ "sum over %zu elements", "对 %s 个元素求和" },
	{ "verb\004Predict", "预测它" },
};

int
main(void)
{
	const char	*ldir;
	char		 dir[] = "/tmp/losslab-i18n.XXXXXX", path[4096];
	size_t		 n, refused, bad;
	long		 nshipped;

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

	/* the shipped catalogue, compiled (the build tree's po/locale):
	   every translation passes */
	ldir = getenv("LOSSLAB_LOCALEDIR");
	if (ldir == NULL)
		ldir = "po/locale";
	snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/losslab.mo", ldir);
	i18n_init("zh");
	nshipped = check_shipped(path, &bad);
	if (!tap_ok(nshipped > 200 && bad == 0,
	    "losslab.mo: %ld translations, %zu not used", nshipped, bad))
		tap_diag("LOSSLAB_LOCALEDIR=%s", ldir);
	n = i18n_count(&refused);
	tap_ok(refused == 0 && n + bad == (size_t)nshipped,
	    "losslab.mo: the lookups found %zu, refused %zu", n, refused);
	tap_ok(strcmp(_("Step %zu/%zu: %s"), "步骤 %zu/%zu：%s") == 0,
	    "losslab.mo: a format is translated");
	tap_ok(strcmp(NG_("%zu lesson file checked", "%zu lesson files "
	    "checked", 7), "已检查 %zu 个课程文件") == 0,
	    "losslab.mo: a plural is translated");
	i18n_init("en");
	tap_ok(strcmp(NG_("%zu lesson file checked", "%zu lesson files checked",
	    1), "%zu lesson file checked") == 0 && strcmp(NG_("%zu lesson "
	    "file checked", "%zu lesson files checked", 2),
	    "%zu lesson files checked") == 0 &&
	    strcmp(_("Step %zu/%zu: %s"), "Step %zu/%zu: %s") == 0,
	    "English: the msgids, singular for 1, plural otherwise");

	/* a catalogue with wrong conversions: those entries are English,
	   the others translated */
	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "mkdtemp");
		return tap_done();
	}
	snprintf(path, sizeof path, "%s/zh_CN", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/losslab.mo", dir);
	if (!tap_ok(write_mo(path, bad_mo, sizeof bad_mo / sizeof bad_mo[0])
	    == 0, "a catalogue with wrong conversions written"))
		return tap_done();
	setenv("LOSSLAB_LOCALEDIR", dir, 1);
	i18n_init("zh");
	tap_ok(strcmp(_("Step %zu/%zu: %s"), "Step %zu/%zu: %s") == 0 &&
	    strcmp(_("sum over %zu elements"), "sum over %zu elements") == 0,
	    "bad catalogue: the refused formats are the English");
	tap_ok(strcmp(_("Predict first:"), "先预测：") == 0,
	    "bad catalogue: the good entry is translated");
	tap_ok(strcmp(C_("verb", "Predict"), "预测它") == 0 &&
	    strcmp(C_("noun", "Predict"), "Predict") == 0,
	    "bad catalogue: a context is looked up apart from the others");
	n = i18n_count(&refused);
	tap_ok(n == 2 && refused == 2, "bad catalogue: 2 used, 2 refused "
	    "(got %zu, %zu)", n, refused);
	i18n_done();
	unlink(path);
	snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/zh_CN", dir);
	rmdir(path);
	rmdir(dir);
	return tap_done();
}
