/* check_map_state_follow.c — wn-kills' tracked lists follow the map state
 * file: copied when they change, left alone (no re-join) when a rewrite
 * keeps them, kept when the file goes bad; and killmail_involves, which
 * decides with them whether an R2Z2 kill is ours. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "idset.h"
#include "killmail.h"
#include "map_state.h"
#include "state.h"
#include "check_main.h"

static void
write_map(const char *path, const char *systems, const char *characters)
{
	char buf[1024];
	int n = snprintf(buf, sizeof buf, "{\"version\":1,\"map\":\"m\",\"systems\":[%s],"
	                 "\"characters\":[%s]}", systems, characters);

	ck_assert_int_eq(state_atomic_write(path, buf, (size_t)n), 0);
}

START_TEST(lists_follow_the_file)
{
	struct map_state m;
	struct idset sys, chr;
	char dir[256], path[512], err[256], ids[64];

	check_tmpdir(dir, sizeof dir, "check_map_state_follow");
	snprintf(path, sizeof path, "%s/map.json", dir);
	map_state_init(&m);
	idset_init(&sys);
	idset_init(&chr);
	ck_assert_int_eq(map_state_follow(&m, path, 1, &sys, &chr, err, sizeof err), -1);
	write_map(path, "{\"solar_system_id\":31001503}", "{\"character_id\":7}");
	ck_assert_int_eq(map_state_follow(&m, path, 0, &sys, &chr, err, sizeof err), 1);
	ck_assert_int_ge(idset_format(&sys, ids, sizeof ids), 0);
	ck_assert_str_eq(ids, "31001503");
	ck_assert(idset_has(&chr, 7));
	ck_assert_int_eq(map_state_follow(&m, path, 0, &sys, &chr, err, sizeof err), 0);
	/* rewritten with the same lists: read again, but nothing to re-join */
	write_map(path, "{\"solar_system_id\":31001503,\"name\":\"J1\"}", "{\"character_id\":7}");
	ck_assert_int_eq(map_state_follow(&m, path, 0, &sys, &chr, err, sizeof err), 0);
	ck_assert_int_eq(map_state_follow(&m, path, 1, &sys, &chr, err, sizeof err), 0);
	write_map(path, "{\"solar_system_id\":31001503},{\"solar_system_id\":30000142}", "");
	ck_assert_int_eq(map_state_follow(&m, path, 0, &sys, &chr, err, sizeof err), 1);
	ck_assert_uint_eq(sys.n, 2);
	ck_assert_uint_eq(chr.n, 0);
	ck_assert_int_eq(state_atomic_write(path, "{broken", 7), 0);
	ck_assert_int_eq(map_state_follow(&m, path, 0, &sys, &chr, err, sizeof err), -1);
	ck_assert_uint_eq(sys.n, 2);                                   /* kept */
	map_state_free(&m);
	idset_free(&sys);
	idset_free(&chr);
	check_rmdir(dir);
}
END_TEST

START_TEST(involves_system_victim_or_attacker)
{
	struct idset sys, chr, none;
	cJSON *k = cJSON_Parse("{\"solar_system_id\":31001503,\"victim\":{\"character_id\":5},"
	                       "\"attackers\":[{\"character_id\":8},{\"corporation_id\":9}]}");

	ck_assert_ptr_nonnull(k);
	idset_init(&sys);
	idset_init(&chr);
	idset_init(&none);
	ck_assert(!killmail_involves(k, &none, &none));
	ck_assert_int_eq(idset_parse(&sys, "31001503"), 0);
	ck_assert(killmail_involves(k, &sys, &none));
	ck_assert_int_eq(idset_parse(&chr, "8"), 0);
	ck_assert(killmail_involves(k, &none, &chr));                  /* an attacker */
	idset_clear(&chr);
	ck_assert_int_eq(idset_parse(&chr, "5"), 0);
	ck_assert(killmail_involves(k, &none, &chr));                  /* the victim */
	idset_clear(&chr);
	ck_assert_int_eq(idset_parse(&chr, "9"), 0);
	ck_assert(!killmail_involves(k, &none, &chr));                 /* a corporation id */
	cJSON_Delete(k);
	idset_free(&sys);
	idset_free(&chr);
	idset_free(&none);
}
END_TEST

CHECK_MAIN("map_state_follow", lists_follow_the_file, involves_system_victim_or_attacker)
