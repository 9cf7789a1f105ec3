/*
 * i18n.c -- the interface's two languages (see i18n.h).
 *
 * The Chinese catalogue is the standard gettext source file po/zh_CN.po,
 * read at start-up from $LOSSLAB_DATADIR, the installed data directory or the
 * source tree, into an open-addressing hash table keyed by msgid.  Reading
 * the .po file directly (instead of a compiled .mo through the C library)
 * means the translation works whatever locales the system has generated:
 * `LANG=zh_CN.UTF-8` alone is enough, even where only C.UTF-8 exists.
 * Each translation is checked as it is read (i18n_usable): the program
 * hands translations to printf, so one whose conversions are not its
 * msgid's never reaches the table.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "safeout.h"

struct i18n_entry {
	char	*id;
	char	*str;
};

static const char	*i18n_code = "en";
static struct i18n_entry *i18n_table;
static size_t		 i18n_size;	/* slots, a power of two */
static size_t		 i18n_n, i18n_refused;	/* used, refused */

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

static uint32_t
i18n_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
i18n_insert(char *id, char *str)
{
	size_t i = i18n_hash(id) & (i18n_size - 1);

	while (i18n_table[i].id != NULL) {
		if (strcmp(i18n_table[i].id, id) == 0) {
			free(id);
			free(str);
			return;
		}
		i = (i + 1) & (i18n_size - 1);
	}
	i18n_table[i].id = id;
	i18n_table[i].str = str;
}

/* Append the C-escaped contents of one "..." literal at p to the buffer. */
static int
i18n_append(char **buf, size_t *len, const char *p)
{
	const char	*q;
	char		*nb;
	size_t		 n = 0;

	if ((p = strchr(p, '"')) == NULL)
		return -1;
	p++;
	nb = realloc(*buf, *len + strlen(p) + 1);
	if (nb == NULL)
		return -1;
	*buf = nb;
	for (q = p; *q != '\0' && *q != '"'; q++) {
		if (*q == '\\' && q[1] != '\0') {
			q++;
			nb[*len + n++] = *q == 'n' ? '\n' : *q == 't' ? '\t' :
			    *q;
		} else
			nb[*len + n++] = *q;
	}
	*len += n;
	nb[*len] = '\0';
	return 0;
}

/* Load a .po file: msgid/msgstr pairs with continuation lines; entries
   marked fuzzy or with an empty msgstr are skipped, and so are those
   i18n_usable() refuses. */
static int
i18n_load(const char *path)
{
	FILE	*fp;
	char	 line[4096];
	char	*id = NULL, *str = NULL, **cur = NULL;
	size_t	 idlen = 0, strlen_ = 0, *curlen = NULL, n = 0;
	int	 fuzzy = 0, next_fuzzy = 0, nofmt = 0, next_nofmt = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	i18n_size = 4096;
	i18n_table = calloc(i18n_size, sizeof *i18n_table);
	if (i18n_table == NULL) {
		fclose(fp);
		return -1;
	}
	for (;;) {
		int eof = fgets(line, sizeof line, fp) == NULL;

		if (eof || strncmp(line, "msgid ", 6) == 0 ||
		    strncmp(line, "#,", 2) == 0) {
			/* The previous entry is complete. */
			if (id != NULL && str != NULL && *id != '\0' &&
			    *str != '\0' && !fuzzy && n < i18n_size / 2) {
				if (i18n_usable(id, str, nofmt)) {
					/* the table owns them now */
					i18n_insert(id, str);
					n++;
					id = str = NULL;
				} else
					i18n_refused++;
			}
			free(id);
			free(str);
			id = str = NULL;
			idlen = strlen_ = 0;
			cur = NULL;
			fuzzy = next_fuzzy;
			next_fuzzy = 0;
			nofmt = next_nofmt;
			next_nofmt = 0;
		}
		if (eof)
			break;
		if (strncmp(line, "#,", 2) == 0) {
			next_fuzzy = strstr(line, "fuzzy") != NULL;
			next_nofmt = strstr(line, "no-c-format") != NULL;
			fuzzy = nofmt = 0;
			continue;
		}
		if (strncmp(line, "msgid ", 6) == 0) {
			cur = &id;
			curlen = &idlen;
			id = calloc(1, 1);
		} else if (strncmp(line, "msgstr ", 7) == 0) {
			cur = &str;
			curlen = &strlen_;
			str = calloc(1, 1);
		} else if (line[0] != '"' || cur == NULL)
			continue;
		if (*cur == NULL || i18n_append(cur, curlen, line) != 0)
			cur = NULL;
	}
	free(id);
	free(str);
	fclose(fp);
	i18n_n = n;
	return 0;
}

/* zh for a locale name such as zh_CN.UTF-8, else en. */
static const char *
i18n_from_env(void)
{
	const char	*vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = getenv(vars[i]);
		if (v != NULL && *v != '\0')
			return strncmp(v, "zh", 2) == 0 ? "zh" : "en";
	}
	return "en";
}

const char *
i18n_init(const char *lang)
{
	const char	*dirs[3];
	char		 path[4096];
	size_t		 i;

	i18n_done();
	if (lang == NULL)
		lang = i18n_from_env();
	i18n_code = strncmp(lang, "zh", 2) == 0 ? "zh" : "en";
	if (strcmp(i18n_code, "zh") != 0)
		return i18n_code;
	dirs[0] = getenv("LOSSLAB_DATADIR");
	dirs[1] = PKGDATADIR;
	dirs[2] = SRCDIR;
	for (i = 0; i < 3; i++) {
		if (dirs[i] == NULL || *dirs[i] == '\0')
			continue;
		snprintf(path, sizeof path, "%s/po/zh_CN.po", dirs[i]);
		if (i18n_load(path) == 0)
			break;
	}
	return i18n_code;
}

const char *
i18n_lang(void)
{
	return i18n_code;
}

const char *
i18n_get(const char *msgid)
{
	size_t i;

	if (i18n_table == NULL || msgid == NULL)
		return msgid;
	i = i18n_hash(msgid) & (i18n_size - 1);
	while (i18n_table[i].id != NULL) {
		if (strcmp(i18n_table[i].id, msgid) == 0)
			return i18n_table[i].str;
		i = (i + 1) & (i18n_size - 1);
	}
	return msgid;
}

void
i18n_done(void)
{
	size_t i;

	if (i18n_table != NULL) {
		for (i = 0; i < i18n_size; i++) {
			free(i18n_table[i].id);
			free(i18n_table[i].str);
		}
		free(i18n_table);
	}
	i18n_table = NULL;
	i18n_size = 0;
	i18n_n = i18n_refused = 0;
}
