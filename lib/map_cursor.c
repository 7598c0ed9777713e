/* map_cursor.c — seen ids, newest id and resume point (see map_cursor.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "map_cursor.h"
#include "json.h"
#include "state.h"
#include "fnv.h"

static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void
map_cursor_init(struct map_cursor *c)
{
	memset(c, 0, sizeof *c);
}

static int
b32_val(char ch)
{
	const char *p = ch ? strchr(b32, ch) : NULL;
	return p ? (int)(p - b32) : -1;
}

int
map_cursor_is_ulid(const char *id)
{
	if (!id || strlen(id) != ULID_LEN || b32_val(id[0]) > 7)
		return 0;
	for (int i = 0; i < ULID_LEN; i++)
		if (b32_val(id[i]) < 0)
			return 0;
	return 1;
}

long long
map_cursor_ms(const char *id)
{
	long long ms = 0;

	if (!map_cursor_is_ulid(id))
		return -1;
	for (int i = 0; i < 10; i++)
		ms = ms * 32 + b32_val(id[i]);
	return ms;
}

/* FNV-1a; the ids' random tails spread well */
static unsigned
hash(const char *id)
{
	return fnv_hash32(id) % MAP_CURSOR_BUCKETS;
}

int
map_cursor_seen(const struct map_cursor *c, const char *id)
{
	if (!id || !*id)
		return 0;
	for (unsigned k = c->bucket[hash(id)]; k; k = c->next[k - 1])
		if (strcmp(c->seen[k - 1], id) == 0)
			return 1;
	return 0;
}

/* The oldest id leaves the ring: take its slot out of its chain. */
static void
unlink_slot(struct map_cursor *c, size_t slot)
{
	unsigned short *p = &c->bucket[hash(c->seen[slot])];

	while (*p && *p != slot + 1)
		p = &c->next[*p - 1];
	if (*p)
		*p = c->next[slot];
}

void
map_cursor_add(struct map_cursor *c, const char *id)
{
	unsigned h;

	if (!id || !*id || strlen(id) > ULID_LEN)
		return;
	snprintf(c->last, sizeof c->last, "%s", id);
	if (map_cursor_is_ulid(id) && strcmp(id, c->newest) > 0)
		memcpy(c->newest, id, ULID_LEN + 1);
	if (map_cursor_seen(c, id))
		return;
	if (c->seen[c->head][0])
		unlink_slot(c, c->head);
	snprintf(c->seen[c->head], sizeof c->seen[c->head], "%s", id);
	h = hash(id);
	c->next[c->head] = c->bucket[h];
	c->bucket[h] = (unsigned short)(c->head + 1);
	c->head = (c->head + 1) % MAP_CURSOR_SEEN;
}

void
map_cursor_ulid_at(long long ms, char out[ULID_LEN + 1])
{
	if (ms < 0)
		ms = 0;
	for (int i = 9; i >= 0; i--, ms /= 32)
		out[i] = b32[ms % 32];
	memset(out + 10, '0', ULID_LEN - 10);
	out[ULID_LEN] = '\0';
}

void
map_cursor_resume(const struct map_cursor *c, long back_ms, char out[ULID_LEN + 1])
{
	long long ms = map_cursor_ms(c->newest);

	out[0] = '\0';
	if (ms >= 0)
		map_cursor_ulid_at(ms > back_ms ? ms - back_ms : 0, out);
}

int
map_cursor_load(struct map_cursor *c, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *buf = state_read_file(path, 1 << 20, &len);
	cJSON *root, *it;

	map_cursor_init(c);
	if (!buf)
		return 1;
	root = json_parse(buf, len, err, errlen);
	free(buf);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		if (root)
			snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "seen"))
		if (cJSON_IsString(it))
			map_cursor_add(c, it->valuestring);
	if (json_str(root, "newest_event_id") && map_cursor_is_ulid(json_str(root, "newest_event_id")))
		memcpy(c->newest, json_str(root, "newest_event_id"), ULID_LEN + 1);
	if (json_str(root, "last_event_id"))
		snprintf(c->last, sizeof c->last, "%s", json_str(root, "last_event_id"));
	cJSON_Delete(root);
	return 0;
}

int
map_cursor_save(const struct map_cursor *c, const char *path)
{
	cJSON *root = cJSON_CreateObject(), *seen;
	char *text;
	int rc;

	cJSON_AddStringToObject(root, "newest_event_id", c->newest);
	cJSON_AddStringToObject(root, "last_event_id", c->last);
	seen = cJSON_AddArrayToObject(root, "seen");
	/* oldest first, so a reload refills the ring in the same order */
	for (size_t i = 0; i < MAP_CURSOR_SEEN; i++) {
		const char *id = c->seen[(c->head + i) % MAP_CURSOR_SEEN];
		if (*id)
			cJSON_AddItemToArray(seen, cJSON_CreateString(id));
	}
	text = json_print(root);
	cJSON_Delete(root);
	if (!text)
		return -1;
	rc = state_atomic_write(path, text, strlen(text));
	free(text);
	return rc;
}
