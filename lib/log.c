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

#define MARK "[redacted]"
#define MARK_LEN (sizeof MARK - 1)

/* The one splice every redaction goes through.  buf holds a string of
 * len bytes in size bytes (len < size); [off, off+n) lies within it and is
 * replaced by the mark.  All room is counted from what is left after off,
 * so nothing is written past buf[size-1]: when the mark does not fit it
 * is cut short, when the rest does not fit the rest is dropped, and the
 * secret is gone either way.  Returns the new length; the mark ends at
 * off + min(MARK_LEN, room). */
static size_t
splice(char *buf, size_t size, size_t len, size_t off, size_t n, size_t *after)
{
	size_t room = size - 1 - off;                /* bytes left for mark + tail */
	size_t m = MARK_LEN < room ? MARK_LEN : room;
	size_t tail = len - off - n;

	if (tail > room - m)
		tail = room - m;
	memmove(buf + off + m, buf + off + n, tail);
	memcpy(buf + off, MARK, m);
	buf[off + m + tail] = '\0';
	*after = off + m;
	return off + m + tail;
}

/* Hide every occurrence of a registered secret. */
static size_t
redact_value(char *buf, size_t size, size_t len, const char *secret)
{
	size_t at = 0, sl = strlen(secret);
	const char *p;

	while ((p = strstr(buf + at, secret)) != NULL)
		len = splice(buf, size, len, (size_t)(p - buf), sl, &at);
	return len;
}

/* Hide the value after each marker up to the next stop byte: webhook
 * tokens in URLs, Authorization values, api keys in query strings.  With
 * id_first the marker is followed by digits and '/', which are kept
 * (.../webhooks/{id}/{token}).  The search always resumes past the mark
 * it wrote, so a value that is already "[redacted]" just gets a new one. */
static size_t
redact_after(char *buf, size_t size, size_t len, const char *marker,
             int id_first, const char *stops)
{
	size_t at = 0, ml = strlen(marker);
	const char *p;

	while ((p = strstr(buf + at, marker)) != NULL) {
		size_t off = (size_t)(p - buf) + ml, n;
		if (id_first) {
			off += strspn(buf + off, "0123456789");
			if (buf[off] != '/') {
				at = off;
				continue;
			}
			off++;
		}
		n = strcspn(buf + off, stops);
		if (n == 0)
			at = off;
		else
			len = splice(buf, size, len, off, n, &at);
	}
	return len;
}

#define URL_STOPS " \t\"'<>"

/* Hide the values of a query string that starts at buf[q] ('?'): names
 * stay, so a line still says which parameter was sent.  Returns the new
 * length; *end is where the query ends. */
static size_t
redact_query(char *buf, size_t size, size_t len, size_t q, size_t *end)
{
	size_t pos = q + 1;

	for (;;) {
		pos += strcspn(buf + pos, "=&#" URL_STOPS);
		if (buf[pos] == '=') {
			size_t n = strcspn(buf + ++pos, "&#" URL_STOPS);
			if (n > 0)
				len = splice(buf, size, len, pos, n, &pos);
		}
		if (buf[pos] != '&')
			break;
		pos++;
	}
	*end = pos;
	return len;
}

/* In every URL (scheme "://"): the userinfo ("user:pw@") and the query
 * values, which may carry passwords, keys or tokens that no rule above
 * knows by name. */
static size_t
redact_urls(char *buf, size_t size, size_t len)
{
	size_t at = 0;
	const char *p;

	while ((p = strstr(buf + at, "://")) != NULL) {
		size_t off = (size_t)(p - buf) + 3;
		size_t n = strcspn(buf + off, "/?#" URL_STOPS), k = n;
		while (k > 0 && buf[off + k - 1] != '@')
			k--;
		if (k > 1)      /* the '@' ends the userinfo and is kept */
			len = splice(buf, size, len, off, k - 1, &off);
		off += strcspn(buf + off, "?#" URL_STOPS);
		if (buf[off] == '?')
			len = redact_query(buf, size, len, off, &off);
		at = off;
	}
	return len;
}

void
log_redact(char *buf, size_t size)
{
	size_t len;

	if (size == 0)
		return;
	buf[size - 1] = '\0';
	len = strlen(buf);
	for (int i = 0; i < nsecrets; i++)
		len = redact_value(buf, size, len, secrets[i]);
	len = redact_after(buf, size, len, "/webhooks/", 1, "/?# \t\"'");
	len = redact_after(buf, size, len, "Bot ", 0, " \t\"'\r\n");
	len = redact_after(buf, size, len, "Bearer ", 0, " \t\"'\r\n");
	len = redact_after(buf, size, len, "token=", 0, "& \t\"'");
	len = redact_urls(buf, size, len);
	redact_after(buf, size, len, "X-ApiKey: ", 0, " \t\"'\r\n");   /* Janice */
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
