/* config.h — configuration from the environment and a .env file.
 * The .env file is parsed as data (KEY=VALUE, optional quotes, '#'
 * comments, optional "export "), never executed; variables already in the
 * environment win over the file.  Names follow Wanderer Notifier. */
#ifndef WN_CONFIG_H
#define WN_CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct idset;

/* Called for each KEY=VALUE line of a .env file, in file order. */
typedef void (*config_entry_fn)(const char *name, const char *value,
                                unsigned long lineno, void *arg);

/* config.c */
/* Parse `path` line by line (CRLF, "export ", quotes, comments), calling
 * fn per entry; a missing file is fine (returns 0) unless `required`.
 * Returns -1 with "path:line: reason" in err on unreadable file or bad syntax. */
int config_parse_file(const char *path, int required, config_entry_fn fn, void *arg,
                      char *err, size_t errlen);
/* Same, putting each entry in the environment unless already there. */
int config_load_file(const char *path, int required, char *err, size_t errlen);
/* WN_ENV_FILE if set (required), else ./.env if present. Fatal (100) on error. */
void config_load_default(void);
/* The file config_load_default reads: WN_ENV_FILE, "./.env" or NULL. */
const char *config_file_path(void);
/* NULL, "" or only whitespace: the variable counts as unset. */
int config_blank(const char *v);
const char *config_str(const char *name, const char *def);    /* blank counts as unset */
/* Same, and registers the value with the log redactor. */
const char *config_secret(const char *name);
/* true/false/1/0/yes/no/on/off; anything else warns and gives def. */
int config_bool(const char *name, int def);
/* The rules behind config_bool and config_int, without the warning (for
 * the configuration check): 1/0, or -1 when v is not a boolean; 0 with
 * *out set, or -1 when v is not a whole number. */
int config_parse_bool(const char *v);
int config_parse_int(const char *v, long long *out);
/* Integer or def; invalid warns and gives def. */
long long config_int(const char *name, long long def);
/* Same, within [min, max]: outside it is fatal (100), naming the
 * variable, the value and the range, before any narrowing cast. */
long long config_int_range(const char *name, long long def, long long min, long long max);
/* config_int, raised to min when below it (silently). */
long long config_int_min(const char *name, long long def, long long min);
/* Comma/space separated ids into set; returns -1 (and logs) on a bad id. */
int config_idlist(const char *name, struct idset *set);

#endif
