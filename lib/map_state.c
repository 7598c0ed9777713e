/* map_state.c — the map state file: tracked systems and characters. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json.h"
#include "map_state.h"
#include "state.h"

void
map_state_init(struct map_state *m)
{
	memset(m, 0, sizeof *m);
	idset_init(&m->systems);
	idset_init(&m->characters);
}

void
map_state_free(struct map_state *m)
{
	cJSON_Delete(m->root);
	idset_free(&m->systems);
	idset_free(&m->characters);
	map_state_init(m);
}

/* Collect `key` of every object in root[list] into set; 0 or -1. */
static int
index_list(const cJSON *root, const char *list, const char *key,
           struct idset *set, char *err, size_t errlen)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, list), *it;

	idset_clear(set);
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr)) {
		snprintf(err, errlen, "\"%s\" is not an array", list);
		return -1;
	}
	cJSON_ArrayForEach(it, arr) {
		int64_t id;
		if (!json_int64(cJSON_GetObjectItemCaseSensitive(it, key), &id) || id <= 0) {
			snprintf(err, errlen, "an entry of \"%s\" has no valid %s", list, key);
			return -1;
		}
		if (idset_add(set, id) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	idset_finish(set);
	return 0;
}

static int
index_root(struct map_state *m, cJSON *root, char *err, size_t errlen)
{
	struct idset sys, chr;

	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "map state is not a JSON object");
		return -1;
	}
	idset_init(&sys);
	idset_init(&chr);
	if (index_list(root, "systems", "solar_system_id", &sys, err, errlen) < 0 ||
	    index_list(root, "characters", "character_id", &chr, err, errlen) < 0) {
		idset_free(&sys);
		idset_free(&chr);
		return -1;
	}
	cJSON_Delete(m->root);
	idset_free(&m->systems);
	idset_free(&m->characters);
	m->root = root;
	m->systems = sys;
	m->characters = chr;
	return 0;
}

int
map_state_set(struct map_state *m, cJSON *root)
{
	char err[128];
	return index_root(m, root, err, sizeof err);
}

int
map_state_load(struct map_state *m, const char *path, char *err, size_t errlen)
{
	struct stat st;
	size_t len;
	char *buf, perr[128];
	cJSON *root;

	if (stat(path, &st) < 0 || !(buf = state_read_file(path, MAP_STATE_MAX_BYTES, &len))) {
		snprintf(err, errlen, "unable to read %s: %s", path, strerror(errno));
		return -1;
	}
	root = json_parse(buf, len, perr, sizeof perr);
	free(buf);
	if (!root) {
		snprintf(err, errlen, "%s: %s", path, perr);
		return -1;
	}
	if (index_root(m, root, perr, sizeof perr) < 0) {
		snprintf(err, errlen, "%s: %s", path, perr);
		cJSON_Delete(root);
		return -1;
	}
	filestamp_set(&m->stamp, &st);
	return 0;
}

int
map_state_reload(struct map_state *m, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "unable to read %s: %s", path, strerror(errno));
		return -1;
	}
	/* state_atomic_write replaces the inode, so identity + mtime catches it */
	if (m->root && filestamp_same(&m->stamp, &st))
		return 0;
	return map_state_load(m, path, err, errlen) < 0 ? -1 : 1;
}

void
map_state_invalidate(struct map_state *m)
{
	filestamp_invalidate(&m->stamp);
}

int
map_state_save(const struct map_state *m, const char *path)
{
	char *text = json_print(m->root);
	int rc;

	if (!text)
		return errno = ENOMEM, -1;
	size_t len = strlen(text);
	text[len] = '\n';	/* PrintUnformatted leaves the NUL; reuse it */
	rc = state_atomic_write(path, text, len + 1);
	free(text);
	return rc;
}

static const cJSON *
find_in(const cJSON *root, const char *list, const char *key, int64_t id)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, list))
		if (json_id(it, key) == id)
			return it;
	return NULL;
}

const cJSON *
map_state_system(const struct map_state *m, int64_t id)
{
	if (!m->root || !idset_has(&m->systems, id))
		return NULL;
	return find_in(m->root, "systems", "solar_system_id", id);
}

const cJSON *
map_state_character(const struct map_state *m, int64_t id)
{
	if (!m->root || !idset_has(&m->characters, id))
		return NULL;
	return find_in(m->root, "characters", "character_id", id);
}

int
map_state_default_path(char *buf, size_t size)
{
	return state_path(buf, size, "map.json");
}

int
map_state_path(char *buf, size_t size, const char *given)
{
	if (!given)
		return map_state_default_path(buf, size);
	snprintf(buf, size, "%s", given);
	return 0;
}
