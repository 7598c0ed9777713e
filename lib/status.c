/* status.c — a small status file per tool, rewritten atomically at most
 * once a second: what `wn-status` shows and turns into Prometheus text. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "state.h"
#include "status.h"
#include "wntime.h"

#define MAX_KEYS 48
#define KEY_LEN 48
#define STR_LEN 96

enum kind { K_COUNTER, K_GAUGE, K_STR, K_TIME };

struct entry {
	char key[KEY_LEN];
	enum kind kind;
	long long num;
	char str[STR_LEN];
};

static char tool[64];
static struct entry entries[MAX_KEYS];
static int nentries;
static time_t started, last_write;
static int dirty;

void
status_init(const char *name)
{
	snprintf(tool, sizeof tool, "%s", name);
	state_check("status");   /* a state dir others can write: refuse to start */
	started = time(NULL);
	nentries = 0;
	dirty = 1;
}

static struct entry *
lookup(const char *key, enum kind kind)
{
	for (int i = 0; i < nentries; i++)
		if (strcmp(entries[i].key, key) == 0)
			return &entries[i];
	if (nentries == MAX_KEYS)
		return NULL;	/* bounded: extra keys are not recorded */
	struct entry *e = &entries[nentries++];
	memset(e, 0, sizeof *e);
	snprintf(e->key, sizeof e->key, "%s", key);
	e->kind = kind;
	return e;
}

void
status_add(const char *key, long long delta)
{
	struct entry *e = lookup(key, K_COUNTER);
	if (e) {
		e->num += delta;
		dirty = 1;
	}
}

void
status_set(const char *key, long long value)
{
	struct entry *e = lookup(key, K_GAUGE);
	if (e && e->num != value) {
		e->num = value;
		dirty = 1;
	}
}

void
status_set_str(const char *key, const char *value)
{
	struct entry *e = lookup(key, K_STR);
	if (e && strcmp(e->str, value) != 0) {
		snprintf(e->str, sizeof e->str, "%s", value);
		e->kind = K_STR;
		dirty = 1;
	}
}

void
status_set_time(const char *key, time_t t)
{
	struct entry *e = lookup(key, K_TIME);
	if (e && e->num != t) {
		e->num = t;
		e->kind = K_TIME;
		dirty = 1;
	}
}

long long
status_get(const char *key)
{
	for (int i = 0; i < nentries; i++)
		if (strcmp(entries[i].key, key) == 0)
			return entries[i].num;
	return 0;
}

static void
iso_time(time_t t, char *buf, size_t size)
{
	char iso[WNTIME_ISO_LEN + 1];

	wntime_iso_format((int64_t)t, iso);
	snprintf(buf, size, "%s", iso);
}

/* Keys and strings are ours (no quotes or backslashes), but escape anyway. */
static void
put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

static char *
render(size_t *len)
{
	char *buf = NULL, ts[32];
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	iso_time(time(NULL), ts, sizeof ts);
	fprintf(f, "{\"tool\":");
	put_string(f, tool);
	fprintf(f, ",\"pid\":%ld,\"updated\":\"%s\"", (long)getpid(), ts);
	iso_time(started, ts, sizeof ts);
	fprintf(f, ",\"started\":\"%s\"", ts);
	for (int i = 0; i < nentries; i++) {
		struct entry *e = &entries[i];
		fputc(',', f);
		put_string(f, e->key);
		fputc(':', f);
		if (e->kind == K_STR) {
			put_string(f, e->str);
		} else if (e->kind == K_TIME) {
			iso_time((time_t)e->num, ts, sizeof ts);
			put_string(f, e->num ? ts : "");
		} else {
			fprintf(f, "%lld", e->num);
		}
	}
	fprintf(f, "}\n");
	fclose(f);
	return buf;
}

void
status_flush(int force)
{
	char path[PATH_MAX], name[128];
	time_t now = time(NULL);
	size_t len;
	char *buf;

	/* unchanged, it is still rewritten now and then: the file's age then
	 * tells a live loop from a stuck one (health.c) */
	if (!tool[0] || (!force && (now == last_write ||
	    (!dirty && now - last_write < STATUS_HEARTBEAT_SECS))))
		return;
	snprintf(name, sizeof name, "status/%s.json", tool);
	if (state_path(path, sizeof path, name) < 0)
		return;
	if (!(buf = render(&len)))
		return;
	static int failing;   /* warn once per run of failures */

	if (state_atomic_write(path, buf, len) < 0) {
		if (!failing++)
			log_warn("cannot write the status file %s: %s", path, strerror(errno));
	} else if (failing) {
		log_info("status file %s written again", path);
		failing = 0;
	}
	free(buf);
	last_write = now;
	dirty = 0;
}
