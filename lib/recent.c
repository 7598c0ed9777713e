/* recent.c — append-only lists of recent events, bounded by size. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "recent.h"
#include "state.h"

static int
path_of(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s.recent", dir, name);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Keep the newer half of the file, cut at a line boundary. */
static int
compact(const char *path)
{
	size_t len;
	char *buf = state_read_file(path, 2 * RECENT_MAX_BYTES, &len), *keep;
	int rc;

	if (!buf)
		return -1;
	keep = buf + len / 2;
	keep = memchr(keep, '\n', len - (size_t)(keep - buf));
	keep = keep ? keep + 1 : buf + len;
	rc = state_write_renamed(path, keep, len - (size_t)(keep - buf), 0);
	free(buf);
	return rc;
}

int
recent_add(const char *dir, const char *name, const cJSON *obj)
{
	char path[PATH_MAX], *text = json_print(obj);
	struct stat st;
	size_t n;
	int fd, rc = -1;

	if (!text)
		return -1;
	n = strlen(text);
	if (n + 1 > RECENT_MAX_LINE || path_of(path, sizeof path, dir, name) < 0) {
		free(text);
		errno = n + 1 > RECENT_MAX_LINE ? EMSGSIZE : errno;
		return -1;
	}
	text[n] = '\n';	/* json_print's NUL: one write with the newline */
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) >= 0) {
		rc = write(fd, text, n + 1) == (ssize_t)(n + 1) ? 0 : -1;
		if (rc == 0 && fstat(fd, &st) == 0 && st.st_size > RECENT_MAX_BYTES)
			rc = compact(path);
		close(fd);
	}
	free(text);
	return rc;
}

/* The last `size` bytes of the file (all of it when smaller). */
static char *
read_tail(const char *path, size_t size, size_t *len, int *partial)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	ssize_t got;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (buf = malloc(size + 1))) {
		off_t from = st.st_size > (off_t)size ? st.st_size - (off_t)size : 0;
		*partial = from > 0;
		got = pread(fd, buf, size, from);
		if (got < 0) {
			free(buf);
			buf = NULL;
		} else {
			buf[got] = '\0';
			*len = (size_t)got;
		}
	}
	close(fd);
	return buf;
}

cJSON *
recent_read(const char *dir, const char *name, int max)
{
	cJSON *arr = cJSON_CreateArray();
	char path[PATH_MAX], err[128], *buf, *p;
	size_t len = 0, *start;
	int n = 0, partial;

	if (!arr || max <= 0 || path_of(path, sizeof path, dir, name) < 0 ||
	    !(buf = read_tail(path, (size_t)max * RECENT_MAX_LINE, &len, &partial)))
		return arr;
	if (!(start = calloc((size_t)max, sizeof *start))) {
		free(buf);
		return arr;
	}
	/* the offsets of the last `max` whole lines, in a ring */
	p = buf;
	if (partial && (p = memchr(buf, '\n', len)))	/* cut into the middle of one */
		p++;
	while (p && p < buf + len) {
		char *nl = memchr(p, '\n', len - (size_t)(p - buf));
		if (!nl)
			break;	/* being written right now */
		start[n++ % max] = (size_t)(p - buf);
		p = nl + 1;
	}
	for (int k = 1; k <= max && k <= n; k++) {
		char *l = buf + start[(n - k) % max];
		size_t ll = (size_t)((char *)memchr(l, '\n', len - (size_t)(l - buf)) - l);
		cJSON *o = json_parse(l, ll, err, sizeof err);
		if (o && cJSON_IsObject(o))
			cJSON_AddItemToArray(arr, o);
		else
			cJSON_Delete(o);
	}
	free(start);
	free(buf);
	return arr;
}

static int enabled;

void
recent_enable(void)
{
	enabled = 1;
}

/* Into state_dir()/status/<name>.recent; a failure costs only the list. */
static void
note(const char *name, cJSON *o)
{
	char dir[PATH_MAX], ts[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (enabled && o && cJSON_AddStringToObject(o, name[0] == 'k' ? "seen" : "at", ts) &&
	    snprintf(dir, sizeof dir, "%s/status", state_dir()) < (int)sizeof dir &&
	    state_mkdir_p(dir, 0700) == 0 && recent_add(dir, name, o) < 0)
		log_debug("unable to add to %s/%s.recent: %s", dir, name, strerror(errno));
	cJSON_Delete(o);
}

void
recent_note_kill(const cJSON *rec)
{
	const cJSON *victim = cJSON_GetObjectItemCaseSensitive(rec, "victim");
	const cJSON *zkb = cJSON_GetObjectItemCaseSensitive(rec, "zkb");
	cJSON *o = cJSON_CreateObject();
	const char *s;
	int64_t id = json_id(rec, "killmail_id");

	if (!o || id <= 0) {
		cJSON_Delete(o);
		return;
	}
	cJSON_AddNumberToObject(o, "killmail_id", (double)id);
	if ((s = json_str(rec, "solar_system_name")))
		cJSON_AddStringToObject(o, "system", s);
	if ((s = json_str(victim, "character_name")))
		cJSON_AddStringToObject(o, "victim", s);
	if ((s = json_str(victim, "ship_type_name")))
		cJSON_AddStringToObject(o, "ship", s);
	if (json_num(zkb, "totalValue", -1) >= 0)
		cJSON_AddNumberToObject(o, "value", json_num(zkb, "totalValue", 0));
	note("kills", o);
}

void
recent_note_posted(const char *dkey, const char *target)
{
	cJSON *o = cJSON_CreateObject();
	const char *sp = strrchr(dkey, ' ');	/* "KEY TARGET" (outbox.c) */

	char key[320];

	snprintf(key, sizeof key, "%.*s", sp ? (int)(sp - dkey) : (int)strlen(dkey), dkey);
	if (o) {
		cJSON_AddStringToObject(o, "key", key);
		cJSON_AddStringToObject(o, "target", target);
		cJSON_AddStringToObject(o, "target", target);
	}
	note("posted", o);
}
