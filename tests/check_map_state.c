/* check_map_state.c — map.json: loaded, reloaded when it changes, kept
 * when a replacement is broken, saved, and re-read after invalidation. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "map_state.h"
#include "state.h"
#include "check_main.h"

static char dir[64];

static void fresh_state_dir(void) { check_state_dir(dir, sizeof dir, "wn-check-state"); }

static const char map1[] =
	"{\"version\":1,\"systems\":[{\"solar_system_id\":31001503,\"name\":\"J155416\"},"
	"{\"solar_system_id\":\"31002229\",\"name\":\"J132946\"}],"
	"\"characters\":[{\"character_id\":2123456789,\"name\":\"Test Pilot\"}]}";

START_TEST(map_state_load_reload)
{
	char path[PATH_MAX], err[256];
	struct map_state m;

	fresh_state_dir();
	ck_assert_int_eq(map_state_default_path(path, sizeof path), 0);
	map_state_init(&m);
	ck_assert_int_eq(map_state_load(&m, path, err, sizeof err), -1);
	ck_assert_int_eq(state_atomic_write(path, map1, strlen(map1)), 0);
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), 1);
	ck_assert(idset_has(&m.systems, 31002229));
	ck_assert(idset_has(&m.characters, 2123456789));
	ck_assert_str_eq(cJSON_GetObjectItem(map_state_system(&m, 31001503), "name")->valuestring, "J155416");
	ck_assert_ptr_null(map_state_system(&m, 30000142));
	ck_assert_ptr_nonnull(map_state_character(&m, 2123456789));
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), 0);

	/* a broken replacement keeps the old contents */
	ck_assert_int_eq(state_atomic_write(path, "{\"systems\":[{}]}", 16), 0);
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "solar_system_id"));
	ck_assert(idset_has(&m.systems, 31001503));

	/* save round-trips */
	ck_assert_int_eq(state_atomic_write(path, map1, strlen(map1)), 0);
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), 1);
	ck_assert_int_eq(map_state_save(&m, path), 0);
	struct map_state m2;
	map_state_init(&m2);
	ck_assert_int_eq(map_state_load(&m2, path, err, sizeof err), 0);
	ck_assert_uint_eq(m2.systems.n, 2);
	map_state_free(&m2);
	map_state_free(&m);
}
END_TEST

/* An edit in place that keeps the size and the mtime looks unchanged to
 * map_state_reload(); after map_state_invalidate() (SIGHUP) it is read. */
START_TEST(map_state_invalidate_forces_reread)
{
	static const char map2[] =
		"{\"version\":1,\"systems\":[{\"solar_system_id\":31001504,\"name\":\"J155416\"},"
		"{\"solar_system_id\":\"31002229\",\"name\":\"J132946\"}],"
		"\"characters\":[{\"character_id\":2123456789,\"name\":\"Test Pilot\"}]}";
	char path[PATH_MAX], err[256];
	struct map_state m;
	struct stat st;
	struct timespec times[2];
	FILE *f;

	ck_assert_uint_eq(strlen(map2), strlen(map1));
	fresh_state_dir();
	ck_assert_int_eq(map_state_default_path(path, sizeof path), 0);
	ck_assert_int_eq(state_atomic_write(path, map1, strlen(map1)), 0);
	map_state_init(&m);
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), 1);
	ck_assert_int_eq(stat(path, &st), 0);

	/* same inode, same size, the old mtime put back */
	ck_assert_ptr_nonnull(f = fopen(path, "r+"));
	ck_assert_int_eq(fputs(map2, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), 0);
	ck_assert(idset_has(&m.systems, 31001503));

	map_state_invalidate(&m);
	ck_assert(idset_has(&m.systems, 31001503));	/* kept until read */
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), 1);
	ck_assert(idset_has(&m.systems, 31001504));
	ck_assert(!idset_has(&m.systems, 31001503));
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), 0);

	/* a forced read that fails keeps the contents and tries again */
	map_state_invalidate(&m);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), -1);
	ck_assert(idset_has(&m.systems, 31001504));
	ck_assert_int_eq(state_atomic_write(path, map2, strlen(map2)), 0);
	ck_assert_int_eq(map_state_reload(&m, path, err, sizeof err), 1);
	map_state_free(&m);
}
END_TEST

CHECK_MAIN("map_state", map_state_load_reload, map_state_invalidate_forces_reread)
