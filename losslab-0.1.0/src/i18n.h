/*
 * i18n.h -- the interface's two languages.
 *
 * Interface strings are written in English in the code and wrapped in _();
 * i18n_init() chooses the language (--lang, else LC_ALL / LC_MESSAGES / LANG:
 * zh_* selects Chinese) and loads its catalogue, po/zh_CN.po, from the
 * installed data directory or the source tree.  Lookup falls back to the
 * English text, so a missing catalogue never hides a message.  The catalogue
 * is read at run time, so no system locale needs to be generated for it;
 * $LOSSLAB_DATADIR/po/zh_CN.po, if it exists, is read instead of the
 * installed one (the tests point it at catalogues of their own).
 *
 * Translations are used as printf formats, so a translation is used only
 * when its conversions are its msgid's, one for one and in order, each
 * written the same ("%zu" for "%zu", "%.40s" for "%.40s"; "%%" converts
 * nothing and is not counted; "%1$s" is not "%s"), and when it is valid
 * UTF-8 with no control character but newline and tab.  Otherwise the
 * English is shown: a catalogue with a wrong conversion cannot crash the
 * program or print what the terminal would act on.  An entry marked
 * `#, no-c-format` (a text the program never uses as a format) may also
 * have no '%' at all.  `msgfmt -c` checks the shipped catalogue in `make
 * check` (tests/catalog.sh), and _() carries format_arg, so the compiler
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
/*
 * Whether msgstr may stand for msgid, by the rules above (no_format: the
 * entry is marked no-c-format).  1 or 0.
 */
int	 i18n_usable(const char *msgid, const char *msgstr, int no_format);
/* The translations of the catalogue in use, and those refused by
   i18n_usable() (for tests: the shipped catalogue refuses none). */
size_t	 i18n_count(size_t *refused);
/* Release the catalogue. */
void	 i18n_done(void);

#define _(s)	i18n_get(s)
#define N_(s)	(s)

#endif
