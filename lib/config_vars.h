/* config_vars.h — every variable wn reads, and every Wanderer Notifier
 * variable it deliberately does not, with the reason.  The configuration
 * check (config_check.c) reports from these tables; --print-config uses
 * them to refuse printing a secret. */
#ifndef WN_CONFIG_VARS_H
#define WN_CONFIG_VARS_H

#include <stddef.h>

enum config_kind { CV_TEXT, CV_SECRET, CV_BOOL, CV_INT, CV_IDS, CV_URL };

struct config_var {
	const char *name;
	enum config_kind kind;
	const char *tools;   /* who reads it: "wn-discord", "all", ... */
	const char *what;
};

struct config_ignored {
	const char *name;    /* a trailing '*' matches a prefix */
	const char *why;
};

/* config_vars.c */
const struct config_var *config_var_find(const char *name);
const struct config_var *config_var_at(size_t i);     /* NULL past the end */
const struct config_ignored *config_ignored_find(const char *name);
/* A secret is never printed: known secrets and names that look like one. */
int config_var_is_secret(const char *name);
/* The nearest known or ignored name (a typo, a case slip), or NULL. */
const char *config_var_suggest(const char *name);

#endif
