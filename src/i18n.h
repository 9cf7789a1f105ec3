/*
 * i18n.h -- the interface's two languages.
 *
 * Interface strings are written in English in the code and wrapped in _();
 * i18n_init() chooses the language (--lang, else LC_ALL / LC_MESSAGES / LANG:
 * zh_* selects Chinese) and loads its catalogue, po/zh_CN.po, from the
 * installed data directory or the source tree.  Lookup falls back to the
 * English text, so a missing catalogue never hides a message.  The catalogue
 * is read at run time, so no system locale needs to be generated for it.
 */
#ifndef LOSSLAB_I18N_H
#define LOSSLAB_I18N_H

/* Pick the language: lang is "en", "zh", or NULL (look at the environment).
   Returns the chosen code ("en" or "zh"); never fails (falls back to "en"). */
const char *i18n_init(const char *lang);
/* The chosen language code. */
const char *i18n_lang(void);
/* The translation of msgid, or msgid itself. */
const char *i18n_get(const char *msgid);
/* Release the catalogue. */
void	 i18n_done(void);

#define _(s)	i18n_get(s)
#define N_(s)	(s)

#endif
