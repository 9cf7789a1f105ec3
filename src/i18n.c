/*
 * i18n.c -- the interface's two languages (see i18n.h).
 *
 * GNU gettext does the lookup (the C library's, or libintl where there is
 * no glibc); this module chooses the language, binds the catalogue to
 * datadir_locale(), and checks each translation before the program uses
 * it (i18n_usable): the program hands translations to printf, so one
 * whose conversions are not its msgid's is never returned.  English is
 * the msgids themselves: no lookup is made for it, whatever LANGUAGE says.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if ENABLE_NLS
#include <libintl.h>
#endif

#include "datadir.h"
#include "i18n.h"
#include "safeout.h"

static const char	*i18n_code = "en";
static int		 i18n_on;	/* Chinese, through gettext */
static size_t		 i18n_n, i18n_refused;	/* lookups used, refused */

/*
 * The next printf conversion at or after *pp: its specification, '%' to the
 * conversion character ("%zu", "%-*s", "%.40s", "%1$d"), as *spec and *len,
 * and 1; 0 when there is none.  "%%" converts nothing and is skipped.  A
 * '%' that starts no valid conversion gives *len 0, which no valid
 * conversion matches.
 */
static int
i18n_conv(const char **pp, const char **spec, size_t *len)
{
	static const char	 flags[] = "-+ #0'I";
	static const char	 convs[] = "diouxXeEfFgGaAcspnmCS";
	const char		*p = *pp;

	for (;;) {
		if ((p = strchr(p, '%')) == NULL)
			return 0;
		if (p[1] != '%')
			break;
		p += 2;
	}
	*spec = p++;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '$')		/* an argument number, "%1$s" */
		p++;
	else
		p = *spec + 1;
	while (*p != '\0' && strchr(flags, *p) != NULL)
		p++;
	if (*p == '*') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '$')
			p++;
	} else
		while (*p >= '0' && *p <= '9')
			p++;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			p++;
			while (*p >= '0' && *p <= '9')
				p++;
			if (*p == '$')
				p++;
		} else
			while (*p >= '0' && *p <= '9')
				p++;
	}
	if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l'))
		p += 2;
	else if (*p != '\0' && strchr("hlLqjzZt", *p) != NULL)
		p++;
	if (*p == '\0' || strchr(convs, *p) == NULL) {
		*len = 0;
		*pp = *spec + 1;
		return 1;
	}
	p++;
	*len = (size_t)(p - *spec);
	*pp = p;
	return 1;
}

int
i18n_usable(const char *msgid, const char *msgstr, int no_format)
{
	const char	*a = msgid, *b = msgstr, *sa, *sb;
	size_t		 la, lb;
	int		 ha, hb;

	/* what reaches the terminal: text, not control sequences */
	if (!safeout_clean(msgstr, strlen(msgstr), SAFEOUT_TEXT))
		return 0;
	/* a text that is no format and has no '%' is safe either way */
	if (no_format && strchr(msgstr, '%') == NULL)
		return 1;
	for (;;) {
		ha = i18n_conv(&a, &sa, &la);
		hb = i18n_conv(&b, &sb, &lb);
		if (!ha || !hb)
			return ha == hb;
		if (la != lb || memcmp(sa, sb, la) != 0)
			return 0;
	}
}

size_t
i18n_count(size_t *refused)
{
	if (refused != NULL)
		*refused = i18n_refused;
	return i18n_n;
}

/* The locale name gettext goes by: the first of LC_ALL, LC_MESSAGES and
   LANG that is set and not empty; "" when none is. */
static const char *
i18n_locale_env(void)
{
	const char	*vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = getenv(vars[i]);
		if (v != NULL && *v != '\0')
			return v;
	}
	return "";
}

/*
 * zh or en from the environment, as gettext would choose: LANGUAGE's first
 * entry that is Chinese or English ("fr:zh_CN" is Chinese, there being no
 * French) unless the locale is C or POSIX, else the locale's name.
 */
static const char *
i18n_from_env(void)
{
	const char	*loc = i18n_locale_env(), *v, *p;

	v = getenv("LANGUAGE");
	if (v != NULL && *v != '\0' && *loc != '\0' && strcmp(loc, "C") != 0 &&
	    strcmp(loc, "POSIX") != 0) {
		for (p = v; *p != '\0'; p += strspn(p, ":")) {
			if (strncmp(p, "zh", 2) == 0)
				return "zh";
			if (strncmp(p, "en", 2) == 0 || (p[0] == 'C' &&
			    (p[1] == ':' || p[1] == '\0')))
				return "en";
			p += strcspn(p, ":");
		}
	}
	return strncmp(loc, "zh", 2) == 0 ? "zh" : "en";
}

const char *
i18n_init(const char *lang)
{
#if ENABLE_NLS
	const char	*cur;
#endif

	i18n_done();
	if (lang == NULL)
		lang = i18n_from_env();
	i18n_code = strncmp(lang, "zh", 2) == 0 ? "zh" : "en";
	i18n_on = 0;
	if (strcmp(i18n_code, "zh") != 0)
		return i18n_code;
#if ENABLE_NLS
	/*
	 * gettext reads LANGUAGE unless the messages locale is C; a
	 * LANG=zh_CN.UTF-8 that names a locale the system never generated
	 * leaves it C, so C.UTF-8 (always there with glibc >= 2.35) stands in,
	 * and LANGUAGE names the catalogue.  The .mo is UTF-8 and so is the
	 * output (main.c keeps a UTF-8 LC_CTYPE).
	 */
	cur = setlocale(LC_MESSAGES, NULL);
	if (cur == NULL || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
			setlocale(LC_MESSAGES, "C.utf8");
	setenv("LANGUAGE", "zh_CN", 1);
	bindtextdomain(PACKAGE, datadir_locale());
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	i18n_on = 1;
#endif
	return i18n_code;
}

const char *
i18n_lang(void)
{
	return i18n_code;
}

#if ENABLE_NLS
/* t, gettext's answer for key (t == key: none), if i18n_usable() lets it
   stand for english, or for other (the other plural form); else english. */
static const char *
i18n_check(const char *key, const char *t, const char *english,
    const char *other)
{
	if (t == NULL || t == key)	/* gettext found nothing */
		return english;
	if (i18n_usable(english, t, 1) ||
	    (other != NULL && i18n_usable(other, t, 1))) {
		i18n_n++;
		return t;
	}
	i18n_refused++;
	return english;
}
#endif

const char *
i18n_get(const char *msgid)
{
	if (!i18n_on || msgid == NULL || *msgid == '\0')
		return msgid;
#if ENABLE_NLS
	return i18n_check(msgid, gettext(msgid), msgid, NULL);
#else
	return msgid;
#endif
}

const char *
i18n_nget(const char *msgid, const char *plural, unsigned long n)
{
	const char *english = n == 1 ? msgid : plural;

	if (!i18n_on)
		return english;
#if ENABLE_NLS
	{
		const char *t = ngettext(msgid, plural, n);

		/* the translation's conversions are the plural's (it has
		   them all), or the singular's */
		if (t == msgid || t == plural)
			return english;
		return i18n_check(NULL, t, english, english == msgid ?
		    plural : msgid);
	}
#else
	return english;
#endif
}

const char *
i18n_pget(const char *ctxid, const char *msgid)
{
	if (!i18n_on)
		return msgid;
#if ENABLE_NLS
	return i18n_check(ctxid, gettext(ctxid), msgid, NULL);
#else
	(void)ctxid;
	return msgid;
#endif
}

void
i18n_done(void)
{
	i18n_n = i18n_refused = 0;
}
