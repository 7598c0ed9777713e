/* log.c — "wn-NAME: level: message" on stderr, one line per event, with
 * secrets redacted.  The only place that writes diagnostics. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

#define MAX_SECRETS 16
#define LINE_MAX_LEN 2048

static const char *prog = "wn";
static enum log_level level = LOG_INFO;
static char *secrets[MAX_SECRETS];
static int nsecrets;

static const char *level_names[] = { "fatal", "error", "warning", "info", "debug" };

static enum log_level
parse_level(const char *s, enum log_level def)
{
	for (int i = 0; i <= LOG_DEBUG; i++)
		if (strcasecmp(s, level_names[i]) == 0)
			return i;
	if (strcasecmp(s, "warn") == 0)
		return LOG_WARN;
	return def;
}

void
log_init(const char *name)
{
	const char *l = getenv("WN_LOG_LEVEL");

	prog = name;
	if (l && *l)
		level = parse_level(l, LOG_INFO);
}

const char *log_prog(void) { return prog; }
void log_set_level(enum log_level l) { level = l; }
enum log_level log_get_level(void) { return level; }

void
log_more_verbose(void)
{
	if (level < LOG_DEBUG)
		level++;
}

void
log_add_secret(const char *secret)
{
	/* Short values would redact ordinary words; nothing that short is a
	 * credential anyway. */
	if (!secret || strlen(secret) < 6 || nsecrets == MAX_SECRETS)
		return;
	for (int i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], secret) == 0)
			return;
	secrets[nsecrets] = strdup(secret);
	if (secrets[nsecrets])
		nsecrets++;
}

/* Replace [p, p+n) in buf with "[redacted]". */
static void
splice_redacted(char *buf, size_t size, char *p, size_t n)
{
	static const char mark[] = "[redacted]";
	size_t m = sizeof mark - 1, tail = strlen(p + n);

	if ((size_t)(p - buf) + m + tail + 1 > size)
		tail = size - (size_t)(p - buf) - m - 1;
	memmove(p + m, p + n, tail);
	p[m + tail] = '\0';
	memcpy(p, mark, m);
}

/* Hide the value after a marker up to the next separator: webhook tokens
 * in URLs, Authorization values, api keys in query strings. */
static void
redact_after(char *buf, size_t size, const char *marker, const char *stops)
{
	char *p = buf;

	while ((p = strstr(p, marker)) != NULL) {
		p += strlen(marker);
		size_t n = strcspn(p, stops);
		if (n > 0 && strncmp(p, "[redacted]", 10) != 0) {
			splice_redacted(buf, size, p, n);
			p += strlen(p) < 10 ? strlen(p) : 10;
		}
	}
}

static void
redact_webhooks(char *buf, size_t size)
{
	char *p = buf;

	/* .../webhooks/{id}/{token}: keep the id, hide the token */
	while ((p = strstr(p, "/webhooks/")) != NULL) {
		p += 10;
		p += strspn(p, "0123456789");
		if (*p != '/')
			continue;
		p++;
		size_t n = strcspn(p, "/?# \t\"'");
		if (n > 0 && strncmp(p, "[redacted]", 10) != 0)
			splice_redacted(buf, size, p, n);
	}
}

void
log_redact(char *buf, size_t size)
{
	for (int i = 0; i < nsecrets; i++) {
		char *p;
		while ((p = strstr(buf, secrets[i])) != NULL)
			splice_redacted(buf, size, p, strlen(secrets[i]));
	}
	redact_webhooks(buf, size);
	redact_after(buf, size, "Bot ", " \t\"'\r\n");
	redact_after(buf, size, "Bearer ", " \t\"'\r\n");
	redact_after(buf, size, "token=", "& \t\"'");
	redact_after(buf, size, "X-ApiKey: ", " \t\"'\r\n");   /* Janice */
}

static void
vlog(enum log_level l, const char *fmt, va_list ap)
{
	char line[LINE_MAX_LEN];
	int n = snprintf(line, sizeof line, "%s: %s: ", prog, level_names[l]);

	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	/* one event, one line: fold any newline a message carries */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	log_redact(line, sizeof line);
	fprintf(stderr, "%s\n", line);
}

#define LOG_FN(name, lvl)                                  \
	void name(const char *fmt, ...)                    \
	{                                                  \
		va_list ap;                                \
		if (level < lvl)                           \
			return;                            \
		va_start(ap, fmt);                         \
		vlog(lvl, fmt, ap);                        \
		va_end(ap);                                \
	}
LOG_FN(log_error, LOG_ERROR)
LOG_FN(log_warn, LOG_WARN)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_debug, LOG_DEBUG)

void
log_fatal(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_FATAL, fmt, ap);
	va_end(ap);
	exit(status);
}
