/* config.c — environment plus a .env file read as data.  The .env syntax
 * is the docker-compose/dotenv one Wanderer Notifier users already have:
 * KEY=VALUE, "export KEY=VALUE", '#' comments, single or double quotes.
 * Nothing is expanded or executed. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "idset.h"
#include "log.h"
#include "state.h"
#include "wn.h"

#define ENV_FILE_MAX (1u << 20)

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
valid_name(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* A quoted value ends at its closing quote (a " #comment" may follow);
 * an unquoted one at " #". */
static char *
unquote(char *v)
{
	if (v[0] == '"' || v[0] == '\'') {
		char *close = strchr(v + 1, v[0]);
		if (close) {
			char *rest = close + 1 + strspn(close + 1, " \t");
			if (*rest == '\0' || *rest == '#') {
				*close = '\0';
				return v + 1;
			}
		}
	}
	char *hash = strstr(v, " #");
	if (hash)
		*hash = '\0';
	return trim(v);
}

/* One line: 0 with name and value set (or *name NULL for a blank or
 * comment line), -1 with a reason in err. */
static int
parse_line(char *line, char **name, char **value, char *err, size_t errlen)
{
	char *s = trim(line), *eq;

	*name = NULL;
	if (*s == '\0' || *s == '#')
		return 0;
	if (strncmp(s, "export ", 7) == 0)
		s = trim(s + 7);
	if (!(eq = strchr(s, '='))) {
		snprintf(err, errlen, "expected KEY=VALUE");
		return -1;
	}
	*eq = '\0';
	*name = trim(s);
	*value = unquote(trim(eq + 1));
	if (!valid_name(*name)) {
		snprintf(err, errlen, "bad variable name (letters, digits and _)");
		return -1;
	}
	return 0;
}

/* The .env holds the bot token and the map key: say so when other
 * users can read or change it. */
static void
warn_if_open(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && (st.st_mode & (S_IROTH | S_IWOTH | S_IWGRP)))
		log_warn("%s is %s by other users and holds secrets: chmod 600 %s", path,
		         st.st_mode & (S_IWOTH | S_IWGRP) ? "writable" : "readable", path);
}

int
config_parse_file(const char *path, int required, config_entry_fn fn, void *arg,
                  char *err, size_t errlen)
{
	size_t len;
	char *buf = state_read_file(path, ENV_FILE_MAX, &len), *save = NULL, *name, *value;
	char why[128];
	unsigned long lineno = 0;
	int rc = 0;

	if (!buf) {
		if (errno == ENOENT && !required)
			return 0;
		snprintf(err, errlen, "unable to read %s: %s", path, strerror(errno));
		return -1;
	}
	warn_if_open(path);
	for (char *p = buf; p && rc == 0; p = save) {
		save = strchr(p, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		if (parse_line(p, &name, &value, why, sizeof why) < 0) {
			snprintf(err, errlen, "%s:%lu: %s", path, lineno, why);
			rc = -1;
		} else if (name) {
			fn(name, value, lineno, arg);
		}
	}
	free(buf);
	return rc;
}

/* The real environment wins over the file, and the first line over
 * later ones; blank counts as unset, in the environment as in the file. */
static void
set_unless_set(const char *name, const char *value, unsigned long lineno, void *arg)
{
	(void)lineno, (void)arg;
	if (config_blank(getenv(name)))
		setenv(name, value, 1);
}

int
config_load_file(const char *path, int required, char *err, size_t errlen)
{
	return config_parse_file(path, required, set_unless_set, NULL, err, errlen);
}

const char *
config_file_path(void)
{
	const char *f = getenv("WN_ENV_FILE");

	if (f && *f)
		return f;
	return access(".env", F_OK) == 0 ? ".env" : NULL;
}

void
config_load_default(void)
{
	char err[512];
	const char *f = getenv("WN_ENV_FILE");

	if (f && *f) {
		if (config_load_file(f, 1, err, sizeof err) < 0)
			log_fatal(WN_EXIT_USAGE, "%s", err);
	} else if (config_load_file(".env", 0, err, sizeof err) < 0) {
		log_fatal(WN_EXIT_USAGE, "%s", err);
	}
}

int
config_blank(const char *v)
{
	return !v || v[strspn(v, " \t\r\n\v\f")] == '\0';
}

/* Whitespace-only counts as unset, as an editor or a template leaves
 * "DISCORD_SYSTEM_KILL_CHANNEL_ID= " and Wanderer Notifier falls back. */
const char *
config_str(const char *name, const char *def)
{
	const char *v = getenv(name);
	return config_blank(v) ? def : v;
}

const char *
config_secret(const char *name)
{
	const char *v = config_str(name, NULL);
	/* A CR or LF would end the HTTP header the secret goes into and
	 * start one of the sender's choosing. */
	if (v && strpbrk(v, "\r\n"))
		log_fatal(WN_EXIT_USAGE, "%s holds a CR or LF: refusing it", name);
	if (v)
		log_add_secret(v);
	return v;
}

int
config_parse_bool(const char *v)
{
	static const char *yes[] = { "true", "1", "yes", "on" };
	static const char *no[] = { "false", "0", "no", "off" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

int
config_bool(const char *name, int def)
{
	const char *v = config_str(name, NULL);
	int b;

	if (!v)
		return def;
	if ((b = config_parse_bool(v)) >= 0)
		return b;
	log_warn("%s=%.40s is not a boolean (true/false, 1/0, yes/no, on/off); using %s",
	         name, v, def ? "true" : "false");
	return def;
}

int
config_parse_int(const char *v, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(v, &end, 10);
	return errno || end == v || end[strspn(end, " \t")] != '\0' ? -1 : 0;
}

long long
config_int(const char *name, long long def)
{
	const char *v = config_str(name, NULL);
	long long n;

	if (!v)
		return def;
	if (config_parse_int(v, &n) < 0) {
		log_warn("%s=%.40s is not a whole number; using %lld", name, v, def);
		return def;
	}
	return n;
}

long long
config_int_range(const char *name, long long def, long long min, long long max)
{
	long long n = config_int(name, def);

	if (n < min || n > max)
		log_fatal(WN_EXIT_USAGE, "%s=%s is out of range: %lld..%lld", name,
		          config_str(name, "?"), min, max);
	return n;
}

long long
config_int_min(const char *name, long long def, long long min)
{
	long long v = config_int(name, def);

	return v < min ? min : v;
}

int
config_idlist(const char *name, struct idset *set)
{
	const char *v = config_str(name, NULL);

	if (!v)
		return 0;
	if (idset_parse(set, v) < 0) {
		log_error("%s=%.60s is not a list of ids (numbers separated by commas)", name, v);
		return -1;
	}
	return 0;
}
