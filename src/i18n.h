/*
 * i18n.h -- the interface's two languages, through GNU gettext.
 *
 * Interface strings are written in English in the code and wrapped in _()
 * (NG_() for a text with a count, C_() where one English word needs two
 * translations; N_() marks a string that is translated later); xgettext
 * collects them into po/losslab.pot (po/POTFILES.in lists the files).
 * i18n_init() chooses the language: --lang, else LANGUAGE (a list such as
 * "zh_CN:en", unless the locale is C or POSIX, as gettext has it), else
 * LC_ALL / LC_MESSAGES / LANG: zh_* selects Chinese.  Chinese comes from
 * losslab.mo in datadir_locale()/zh_CN/LC_MESSAGES (datadir.h), and needs
 * no generated zh_CN locale: where the locale is C, the messages category
 * is set to C.UTF-8 and LANGUAGE to zh_CN, which glibc's gettext honours.
 * Lookup falls back to the English text, so a missing catalogue never
 * hides a message.
 *
 * Translations are used as printf formats, so a translation is used only
 * when its conversions are its msgid's, one for one and in order, each
 * written the same ("%zu" for "%zu", "%.40s" for "%.40s"; "%%" converts
 * nothing and is not counted; "%1$s" is not "%s") or it has no '%' at all
 * (printf ignores the arguments), and when it is valid UTF-8 with no
 * control character but newline and tab.  Otherwise the English is shown:
 * a catalogue with a wrong conversion cannot crash the program or print
 * what the terminal would act on.  `msgfmt -c` checks the shipped
 * catalogue in the build (po/Makefile) and in `make check`
 * (tests/catalog.sh), and the lookups carry format_arg, so the compiler
 * checks the English against the arguments.
 */
#ifndef LOSSLAB_I18N_H
#define LOSSLAB_I18N_H

#include <stddef.h>

/* Pick the language: lang is "en", "zh", or NULL (look at the environment).
   Returns the chosen code ("en" or "zh"); never fails (falls back to "en"). */
const char *i18n_init(const char *lang);
/* The chosen language code. */
const char *i18n_lang(void);
/* The translation of msgid, or msgid itself (not found, or refused). */
const char *i18n_get(const char *msgid) __attribute__((format_arg(1)));
/* The translation of msgid (n == 1) or plural (other n) for the count n,
   as ngettext; the English form when not found or refused. */
const char *i18n_nget(const char *msgid, const char *plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));
/* The translation of msgid in a context: ctxid is "CONTEXT\004MSGID", as
   gettext's pgettext builds it (use C_()); msgid when not found or
   refused. */
const char *i18n_pget(const char *ctxid, const char *msgid)
    __attribute__((format_arg(2)));
/*
 * Whether msgstr may stand for msgid, by the rules above; without
 * no_format, a msgstr with no '%' must also match the msgid's conversions
 * (the stricter rule, for tests).  1 or 0.
 */
int	 i18n_usable(const char *msgid, const char *msgstr, int no_format);
/* The lookups since i18n_init() that found a translation and used it, and
   (in *refused) those whose translation i18n_usable() refused. */
size_t	 i18n_count(size_t *refused);
/* Forget the counts; the language stays. */
void	 i18n_done(void);

#define _(s)		i18n_get(s)
#define N_(s)		(s)
#define NG_(s, p, n)	i18n_nget(s, p, n)
#define C_(ctx, s)	i18n_pget(ctx "\004" s, s)

#endif
