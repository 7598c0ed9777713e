/* check_filter.c — every decision rule of filter.c on small records, the
 * facts scanner against the tree reader, the dedup memory, the priority
 * file, times and the environment. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter.h"
#include "json.h"
#include "killmail_facts.h"
#include "state.h"
#include "check_main.h"

#define KTIME 1773770531   /* 2026-03-17T18:02:11Z */

static struct filter F;
static struct idset SYS, CHR;
static struct killmail_facts K;
static struct notify N;

static void
setup(void)
{
	filter_init(&F);
	idset_init(&SYS);
	idset_init(&CHR);
	idset_parse(&SYS, "31001503,30000142");
	idset_parse(&CHR, "2001,2002");
	F.systems = &SYS;
	F.characters = &CHR;
	F.c.suppress = 0;
	F.c.max_age = 0;
	killmail_facts_init(&K);
}

static void
teardown(void)
{
	filter_free(&F);
	idset_free(&SYS);
	idset_free(&CHR);
	killmail_facts_free(&K);
}

/* A canonical killmail: victim (char, corp, alliance), attackers as
 * "char:corp:alliance" triples separated by spaces, zkb members raw. */
static enum drop
kill_at(long long id, long long sys, const char *victim, const char *atts,
        const char *zkb, time_t now, double up)
{
	char buf[4096], a[2048] = "";
	long long c, co, al;
	size_t off = 0;
	const char *p = atts;
	char err[128];

	while (p && *p) {
		sscanf(p, "%lld:%lld:%lld", &c, &co, &al);
		off += (size_t)snprintf(a + off, sizeof a - off,
		        "%s{\"character_id\":%lld,\"corporation_id\":%lld,\"alliance_id\":%lld,"
		        "\"ship_type_id\":587,\"damage_done\":10,\"final_blow\":false}",
		        off ? "," : "", c, co, al);
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	sscanf(victim, "%lld:%lld:%lld", &c, &co, &al);
	snprintf(buf, sizeof buf,
	         "{\"type\":\"killmail\",\"killmail_id\":%lld,\"killmail_time\":\"2026-03-17T18:02:11Z\","
	         "\"solar_system_id\":%lld,\"victim\":{\"character_id\":%lld,\"corporation_id\":%lld,"
	         "\"alliance_id\":%lld,\"items\":[{\"flag\":5,\"items\":[]}],\"position\":{\"x\":1.5}},"
	         "\"attackers\":[%s],\"zkb\":{%s}}",
	         id, sys, c, co, al, a, zkb ? zkb : "\"totalValue\":1000000,\"npc\":false");
	ck_assert_int_eq(killmail_facts_scan(&K, buf, strlen(buf), 1, 1, err, sizeof err), 0);
	return filter_kill(&F, &K, now, up, &N);
}

static enum drop
kill(long long id, long long sys, const char *victim, const char *atts)
{
	return kill_at(id, sys, victim, atts, NULL, KTIME, 1000);
}

START_TEST(system_kill)
{
	setup();
	ck_assert_int_eq(kill(1, 31001503, "9:98:99", "8:97:0"), DROP_NONE);
	ck_assert_int_eq(N.kind, N_SYSTEM_KILL);
	ck_assert_int_eq(N.role, ROLE_NONE);
	ck_assert_int_eq(N.n_tracked, 0);
	ck_assert_str_eq(N.reason, "kill in tracked system 31001503");
	ck_assert_int_eq(kill(2, 31000001, "9:98:99", "8:97:0"), DROP_UNTRACKED);
	teardown();
}
END_TEST

START_TEST(character_loss_and_kill)
{
	setup();
	ck_assert_int_eq(kill(1, 31000001, "2001:98:99", "8:97:0"), DROP_NONE);
	ck_assert_int_eq(N.kind, N_CHARACTER_KILL);
	ck_assert_int_eq(N.role, ROLE_LOSS);
	ck_assert_str_eq(N.reason, "tracked character 2001 lost a ship");
	ck_assert_int_eq(kill(2, 31000001, "9:98:99", "8:97:0 2002:97:0 2001:1:0"), DROP_NONE);
	ck_assert_int_eq(N.role, ROLE_KILL);
	ck_assert_int_eq(N.n_tracked, 2);
	ck_assert_int_eq(N.tracked[0], 2002);
	ck_assert_int_eq(N.tracked[1], 2001);
	/* tracked system and a tracked character: character kill only */
	ck_assert_int_eq(kill(3, 31001503, "9:98:99", "2002:97:0"), DROP_NONE);
	ck_assert_int_eq(N.kind, N_CHARACTER_KILL);
	ck_assert_str_eq(N.reason, "tracked character 2002 got a kill in tracked system 31001503");
	teardown();
}
END_TEST

START_TEST(corporation_focus)
{
	setup();
	idset_parse(&F.c.corp_focus, "98");
	ck_assert_int_eq(kill(1, 31001503, "9:98:99", "8:97:0"), DROP_NONE);
	ck_assert_int_eq(N.kind, N_CHARACTER_KILL);
	ck_assert_int_eq(N.role, ROLE_LOSS);
	ck_assert_str_eq(N.reason, "corporation 98 is in CORPORATION_KILL_FOCUS");
	ck_assert_int_eq(kill(2, 31001503, "9:1:99", "8:98:0"), DROP_NONE);
	ck_assert_int_eq(N.role, ROLE_KILL);
	/* focus alone does not make a kill tracked */
	ck_assert_int_eq(kill(3, 31000001, "9:98:99", "8:97:0"), DROP_UNTRACKED);
	teardown();
}
END_TEST

START_TEST(character_exclude)
{
	setup();
	idset_parse(&F.c.char_exclude, "2001");
	ck_assert_int_eq(kill(1, 31000001, "2001:98:99", "8:97:0"), DROP_UNTRACKED);
	ck_assert_int_eq(kill(2, 31001503, "2001:98:99", "8:97:0"), DROP_NONE);
	ck_assert_int_eq(N.kind, N_SYSTEM_KILL);
	teardown();
}
END_TEST

START_TEST(wormhole_only_and_kspace)
{
	setup();
	F.c.wormhole_only = 1;
	ck_assert_int_eq(kill(1, 30000142, "9:98:99", ""), DROP_WORMHOLE_ONLY);
	ck_assert_int_eq(kill(2, 30000142, "2001:98:99", ""), DROP_WORMHOLE_ONLY);
	ck_assert_int_eq(kill(3, 31001503, "9:98:99", ""), DROP_NONE);
	F.c.wormhole_only = 0;
	F.c.track_kspace = 0;
	ck_assert_int_eq(kill(4, 30000142, "9:98:99", ""), DROP_UNTRACKED);
	ck_assert_int_eq(kill(5, 30000142, "2001:98:99", ""), DROP_NONE);
	ck_assert_int_eq(N.kind, N_CHARACTER_KILL);
	teardown();
}
END_TEST

START_TEST(dedup_and_suppression)
{
	setup();
	F.c.suppress = 30;
	ck_assert_int_eq(kill_at(1, 31001503, "9:98:99", "", NULL, KTIME, 5), DROP_SUPPRESSED);
	/* seen during the window stays seen */
	ck_assert_int_eq(kill_at(1, 31001503, "9:98:99", "", NULL, KTIME, 40), DROP_DUPLICATE);
	ck_assert_int_eq(kill_at(2, 31001503, "9:98:99", "", NULL, KTIME, 40), DROP_NONE);
	ck_assert_int_eq(kill_at(2, 31001503, "9:98:99", "", NULL, KTIME, 41), DROP_DUPLICATE);
	teardown();
}
END_TEST

START_TEST(age_limit)
{
	setup();
	F.c.max_age = 3600;
	ck_assert_int_eq(kill_at(1, 31001503, "9:98:99", "", NULL, KTIME + 3601, 99), DROP_AGE);
	ck_assert_int_eq(kill_at(2, 31001503, "9:98:99", "", NULL, KTIME + 3600, 99), DROP_NONE);
	F.c.max_age = 0;
	ck_assert_int_eq(kill_at(3, 31001503, "9:98:99", "", NULL, KTIME + 999999, 99), DROP_NONE);
	teardown();
}
END_TEST

START_TEST(value_npc_labels)
{
	setup();
	F.c.min_value = 1e6;
	ck_assert_int_eq(kill_at(1, 31001503, "9:98:99", "", "\"totalValue\":999999.5", KTIME, 99), DROP_VALUE);
	ck_assert_int_eq(kill_at(2, 31001503, "9:98:99", "", "\"totalValue\":\"2e6\"", KTIME, 99), DROP_NONE);
	ck_assert_int_eq(kill_at(3, 31001503, "9:98:99", "", "\"npc\":true", KTIME, 99), DROP_NONE);
	F.c.exclude_npc = 1;
	ck_assert_int_eq(kill_at(4, 31001503, "9:98:99", "", "\"npc\":true", KTIME, 99), DROP_NPC);
	ck_assert_int_eq(kill_at(5, 31001503, "9:98:99", "", "\"npc\":false", KTIME, 99), DROP_NONE);
	strlist_parse(&F.c.excl_labels, "ganked, awox");
	ck_assert_int_eq(kill_at(6, 31001503, "9:98:99", "", "\"labels\":[\"pvp\",\"awox\"]", KTIME, 99), DROP_LABEL);
	strlist_parse(&F.c.incl_labels, "solo");
	ck_assert_int_eq(kill_at(7, 31001503, "9:98:99", "", "\"labels\":[\"pvp\"]", KTIME, 99), DROP_LABEL);
	ck_assert_int_eq(kill_at(8, 31001503, "9:98:99", "", "\"labels\":[\"pvp\",\"solo\"]", KTIME, 99), DROP_NONE);
	ck_assert_int_eq(kill_at(9, 31001503, "9:98:99", "", "\"npc\":false", KTIME, 99), DROP_LABEL);
	teardown();
}
END_TEST

START_TEST(corp_alliance_lists)
{
	setup();
	idset_parse(&F.c.excl_corps, "97");
	ck_assert_int_eq(kill(1, 31001503, "9:98:99", "8:97:0"), DROP_CORPORATION);
	idset_clear(&F.c.excl_corps);
	idset_parse(&F.c.excl_alliances, "99");
	ck_assert_int_eq(kill(2, 31001503, "9:98:99", "8:97:0"), DROP_ALLIANCE);
	idset_clear(&F.c.excl_alliances);
	idset_parse(&F.c.incl_corps, "500");
	ck_assert_int_eq(kill(3, 31001503, "9:98:99", "8:97:0"), DROP_CORPORATION);
	ck_assert_int_eq(kill(4, 31001503, "9:98:99", "8:500:0"), DROP_NONE);
	idset_parse(&F.c.incl_alliances, "77");
	ck_assert_int_eq(kill(5, 31001503, "9:98:99", "8:97:77"), DROP_NONE);
	teardown();
}
END_TEST

START_TEST(feature_flags)
{
	setup();
	F.c.kills = 0;
	ck_assert_int_eq(kill(1, 31001503, "2001:98:99", ""), DROP_DISABLED);
	F.c.kills = 1;
	F.c.notifications = 0;
	ck_assert_int_eq(kill(2, 31001503, "2001:98:99", ""), DROP_DISABLED);
	ck_assert_int_eq(filter_system(&F, "added", 31001503, 99, &N), DROP_DISABLED);
	ck_assert_int_eq(filter_character(&F, "added", 2001, 99, &N), DROP_DISABLED);
	ck_assert_int_eq(filter_rally(&F, "added", "r1", "J1", 99, &N), DROP_DISABLED);
	F.c.notifications = 1;
	F.c.characters = 0;
	F.c.rally = 0;
	ck_assert_int_eq(filter_character(&F, "added", 2001, 99, &N), DROP_DISABLED);
	ck_assert_int_eq(filter_rally(&F, "added", "r1", "J1", 99, &N), DROP_DISABLED);
	teardown();
}
END_TEST

START_TEST(priority_systems)
{
	setup();
	idset_parse(&F.priority, "31001503");
	ck_assert_int_eq(kill(1, 31001503, "9:98:99", ""), DROP_NONE);
	ck_assert_int_eq(N.priority, 1);
	ck_assert_ptr_null(N.mention);          /* kills never ping @here */
	F.c.systems = 0;
	ck_assert_int_eq(filter_system(&F, "added", 31001503, 99, &N), DROP_NONE);
	ck_assert_str_eq(N.mention, "@here");
	ck_assert_str_eq(N.reason, "priority system 31001503 added to the map");
	ck_assert_int_eq(filter_system(&F, "added", 31000005, 99, &N), DROP_DISABLED);
	F.c.systems = 1;
	F.c.priority_only = 1;
	ck_assert_int_eq(filter_system(&F, "added", 31000005, 99, &N), DROP_PRIORITY_ONLY);
	teardown();
}
END_TEST

START_TEST(system_events)
{
	setup();
	ck_assert_int_eq(filter_system(&F, "added", 31000005, 99, &N), DROP_NONE);
	ck_assert_int_eq(N.kind, N_SYSTEM);
	ck_assert_ptr_null(N.mention);
	ck_assert_int_eq(filter_system(&F, "added", 31000005, 99, &N), DROP_DUPLICATE);
	ck_assert_int_eq(filter_system(&F, "updated", 31000005, 99, &N), DROP_ACTION);
	ck_assert_int_eq(filter_system(&F, "removed", 31000005, 99, &N), DROP_ACTION);
	/* removed, so adding it again is news */
	ck_assert_int_eq(filter_system(&F, "added", 31000005, 99, &N), DROP_NONE);
	F.c.notify_removed = 1;
	ck_assert_int_eq(filter_system(&F, "removed", 31000005, 99, &N), DROP_NONE);
	ck_assert_str_eq(N.reason, "system 31000005 removed from the map");
	ck_assert_int_eq(filter_system(&F, "added", 0, 99, &N), DROP_INVALID);
	F.c.track_kspace = 0;
	ck_assert_int_eq(filter_system(&F, "added", 30000142, 99, &N), DROP_EXCLUDED);
	F.c.suppress = 30;
	ck_assert_int_eq(filter_system(&F, "added", 31000006, 10, &N), DROP_SUPPRESSED);
	ck_assert_int_eq(filter_system(&F, "added", 31000006, 31, &N), DROP_NONE);
	teardown();
}
END_TEST

START_TEST(character_events)
{
	setup();
	idset_parse(&F.c.char_exclude, "666");
	ck_assert_int_eq(filter_character(&F, "added", 2001, 99, &N), DROP_NONE);
	ck_assert_int_eq(N.kind, N_CHARACTER);
	ck_assert_int_eq(N.n_tracked, 1);
	ck_assert_int_eq(filter_character(&F, "added", 2001, 99, &N), DROP_DUPLICATE);
	ck_assert_int_eq(filter_character(&F, "added", 666, 99, &N), DROP_EXCLUDED);
	ck_assert_int_eq(filter_character(&F, "removed", 2001, 99, &N), DROP_ACTION);
	ck_assert_int_eq(filter_character(&F, "added", 2001, 99, &N), DROP_NONE);
	teardown();
}
END_TEST

START_TEST(rally_events)
{
	char err[128];

	setup();
	setenv("DISCORD_RALLY_GROUP_IDS", "123456789012345678, 42", 1);
	ck_assert_int_eq(filter_config_env(&F.c, err, sizeof err), 0);
	F.c.suppress = 0;
	ck_assert_int_eq(filter_rally(&F, "added", "ping-1", "J123456", 99, &N), DROP_NONE);
	ck_assert_int_eq(N.kind, N_RALLY);
	ck_assert_str_eq(N.mention, "<@&42> <@&123456789012345678>");
	ck_assert_str_eq(N.reason, "rally point created in J123456");
	ck_assert_int_eq(filter_rally(&F, "added", "ping-1", "J123456", 99, &N), DROP_DUPLICATE);
	ck_assert_int_eq(filter_rally(&F, "removed", "ping-2", "J123456", 99, &N), DROP_ACTION);
	unsetenv("DISCORD_RALLY_GROUP_IDS");
	ck_assert_int_eq(filter_config_env(&F.c, err, sizeof err), 0);
	ck_assert_int_eq(filter_rally(&F, "added", "ping-3", "J1", 99, &N), DROP_NONE);
	ck_assert_ptr_null(N.mention);
	ck_assert_int_eq(filter_rally(&F, "added", "ping-4", NULL, 99, &N), DROP_INVALID);
	ck_assert_int_eq(filter_rally(&F, "added", "ping-4", "", 99, &N), DROP_INVALID);
	teardown();
}
END_TEST

START_TEST(notify_as_json)
{
	char buf[512];

	setup();
	ck_assert_int_eq(kill(1, 31000001, "2001:98:99", "2002:1:0"), DROP_NONE);
	ck_assert_int_gt(notify_json(&N, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"kind\":\"character_kill\",\"role\":\"loss\",\"priority\":false,"
	                 "\"mention\":null,\"reason\":\"tracked character 2001 lost a ship\","
	                 "\"tracked_characters\":[2001,2002]}");
	ck_assert_int_eq(filter_rally(&F, "added", "x", "Q\"uo\\te\n", 99, &N), DROP_NONE);
	ck_assert_int_gt(notify_json(&N, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"kind\":\"rally_point\",\"role\":null,\"priority\":false,"
	                 "\"mention\":null,\"reason\":\"rally point created in Q\\\"uo\\\\te\\u000a\","
	                 "\"tracked_characters\":[]}");
	cJSON *j = cJSON_Parse(buf);
	ck_assert_ptr_nonnull(j);
	cJSON_Delete(j);
	ck_assert_int_eq(notify_json(&N, buf, 20), -1);
	teardown();
}
END_TEST

START_TEST(priority_file)
{
	char dir[] = "/tmp/check_filter.XXXXXX", path[256], err[256];
	struct idset a, b;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/priority_systems", dir);
	idset_init(&a);
	idset_init(&b);
	ck_assert_int_eq(priority_load(&a, path, err, sizeof err), 0);   /* missing: empty */
	ck_assert_int_eq(a.n, 0);
	idset_parse(&a, "31001503,31000005");
	ck_assert_int_eq(priority_save(&a, path), 0);
	ck_assert_int_eq(priority_load(&b, path, err, sizeof err), 0);
	ck_assert_int_eq(b.n, 2);
	ck_assert(idset_has(&b, 31001503) && idset_has(&b, 31000005));
	FILE *f = fopen(path, "a");
	fputs("J155416\n", f);
	fclose(f);
	ck_assert_int_eq(priority_load(&b, path, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, ":4: not a system id"));
	unlink(path);
	rmdir(dir);
	idset_free(&a);
	idset_free(&b);
}
END_TEST

START_TEST(times)
{
	static const struct { const char *s; long long t; } ok[] = {
		{ "2026-03-17T18:02:11Z", KTIME }, { "2026-03-17T18:02:11.123456Z", KTIME },
		{ "2026-03-17T20:02:11+02:00", KTIME }, { "2026-03-17 18:02:11", KTIME },
		{ "2026-03-17T13:02:11-0500", KTIME }, { "1773770531", KTIME },
		{ "1970-01-01T00:00:00Z", 0 }, { "2000-02-29T00:00:00Z", 951782400 },
	};
	static const char *const bad[] = { "", "2026-13-01T00:00:00Z", "2026-03-17",
	                                   "2026-03-17T18:02Z", "yesterday", "2026-03-17T18:02:11Q" };
	time_t t;

	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		ck_assert_msg(killmail_facts_parse_time(ok[i].s, strlen(ok[i].s), &t) == 0, "%s", ok[i].s);
		ck_assert_int_eq((long long)t, ok[i].t);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(killmail_facts_parse_time(bad[i], strlen(bad[i]), &t) < 0, "%s", bad[i]);
}
END_TEST

START_TEST(environment)
{
	struct filter_config c;
	char err[256];

	memset(&c, 0, sizeof c);
	setenv("KILL_NOTIFICATIONS_ENABLED", "no", 1);
	setenv("WORMHOLE_ONLY_KILL_NOTIFICATIONS_ENABLED", "true", 1);
	setenv("PRIORITY_SYSTEMS_ONLY", "1", 1);
	setenv("CORPORATION_KILL_FOCUS", "98000001, 98000002", 1);
	setenv("WN_EXCLUDE_ALLIANCES", "99000001", 1);
	setenv("WN_INCLUDE_LABELS", "solo,pvp", 1);
	setenv("WN_MIN_KILL_VALUE", "50000000", 1);
	setenv("MAX_KILLMAIL_AGE_SECONDS", "600", 1);
	ck_assert_int_eq(filter_config_env(&c, err, sizeof err), 0);
	ck_assert_int_eq(c.kills, 0);
	ck_assert_int_eq(c.systems, 1);
	ck_assert_int_eq(c.wormhole_only, 1);
	ck_assert_int_eq(c.priority_only, 1);
	ck_assert_int_eq(c.corp_focus.n, 2);
	ck_assert(idset_has(&c.excl_alliances, 99000001));
	ck_assert_int_eq(c.incl_labels.n, 2);
	ck_assert_str_eq(c.incl_labels.v[1], "pvp");
	ck_assert(c.min_value == 5e7);
	ck_assert_int_eq(c.max_age, 600);
	ck_assert_int_eq(c.suppress, 30);
	setenv("CHARACTER_EXCLUDE_LIST", "12,abc", 1);
	ck_assert_int_eq(filter_config_env(&c, err, sizeof err), -1);
	ck_assert_str_eq(err, "CHARACTER_EXCLUDE_LIST=12,abc is not a list of ids (numbers separated by commas)");
	struct filter f;
	filter_init(&f);
	f.c = c;
	filter_free(&f);
}
END_TEST

/* The fast scan and the tree reader see the same facts. */
START_TEST(scan_matches_tree)
{
	const char *dir = getenv("WN_FIXTURES");
	char path[512], err[256];
	size_t len;
	struct killmail_facts t;

	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof path, "%s/kills/esi_with_zkb.json", dir);
	char *buf = state_read_file(path, 1 << 20, &len);
	ck_assert_ptr_nonnull(buf);
	cJSON *j = json_parse(buf, len, err, sizeof err);
	ck_assert_ptr_nonnull(j);
	killmail_facts_init(&K);
	killmail_facts_init(&t);
	ck_assert_int_eq(killmail_facts_scan(&K, buf, len, 1, 1, err, sizeof err), 0);
	ck_assert_int_eq(killmail_facts_from_json(&t, j), 0);
	ck_assert_int_eq(K.killmail_id, 120000000);
	ck_assert_int_eq(K.killmail_id, t.killmail_id);
	ck_assert_int_eq(K.solar_system_id, t.solar_system_id);
	ck_assert_int_eq(K.has_time, 1);
	ck_assert_int_eq((long long)K.kill_time, (long long)t.kill_time);
	ck_assert_int_eq(K.victim.character_id, t.victim.character_id);
	ck_assert_int_eq(K.victim.alliance_id, t.victim.alliance_id);
	ck_assert_int_gt(K.n_attackers, 1);
	ck_assert_int_eq(K.n_attackers, t.n_attackers);
	for (size_t i = 0; i < K.n_attackers; i++)
		ck_assert_int_eq(K.attackers[i].corporation_id, t.attackers[i].corporation_id);
	ck_assert_int_eq(K.has_value, t.has_value);
	ck_assert(K.total_value == t.total_value);
	ck_assert_int_eq(K.npc, t.npc);
	ck_assert_int_eq(K.n_labels, t.n_labels);
	ck_assert_int_eq(buf[K.close], '}');
	/* attackers unread when no rule needs them */
	ck_assert_int_eq(killmail_facts_scan(&K, buf, len, 0, 0, err, sizeof err), 0);
	ck_assert_int_eq(K.n_attackers, 0);
	ck_assert_int_eq(K.has_attackers, 1);
	ck_assert_int_eq(K.attackers_read, 0);
	ck_assert_int_eq(K.n_labels, 0);
	buf[len / 2] = '\0';
	ck_assert_int_eq(killmail_facts_scan(&K, buf, len / 2, 0, 0, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "malformed JSON at byte"));
	cJSON_Delete(j);
	free(buf);
	killmail_facts_free(&K);
	killmail_facts_free(&t);
}
END_TEST

START_TEST(facts_edge_cases)
{
	static const char *rec =
		" {\"killmail_id\":\"77\",\"solar_system_id\":31000001.0,\"type\":\"system\","
		"\"victim\":null,\"attackers\":[{\"corporation_id\":1000125},{\"character_id\":5}],"
		"\"zkb\":{\"npc\":\"yes\",\"labels\":[\"a\",1,\"b\"]},\"notify\":{}} \r";
	char err[128];

	killmail_facts_init(&K);
	ck_assert_int_eq(killmail_facts_scan(&K, rec, strlen(rec), 1, 1, err, sizeof err), 0);
	ck_assert_int_eq(K.type, REC_SYSTEM);
	ck_assert_int_eq(K.killmail_id, 77);
	ck_assert_int_eq(K.solar_system_id, 31000001);
	ck_assert_int_eq(K.has_victim, 1);
	ck_assert_int_eq(K.victim.character_id, 0);
	ck_assert_int_eq(K.n_attackers, 2);
	ck_assert_int_eq(K.attackers[0].character_id, 0);    /* NPC */
	ck_assert_int_eq(K.attackers[1].character_id, 5);
	ck_assert_int_eq(K.npc, -1);                         /* not a boolean */
	ck_assert_int_eq(K.n_labels, 2);
	ck_assert_int_eq(K.has_notify, 1);
	ck_assert_int_eq(K.members, 7);
	ck_assert_int_eq(rec[K.close], '}');
	ck_assert_int_eq(K.close, strlen(rec) - 3);
	ck_assert_int_eq(killmail_facts_scan(&K, "{}", 2, 1, 1, err, sizeof err), 0);
	ck_assert_int_eq(K.members, 0);
	ck_assert_int_eq(K.type, REC_NONE);
	ck_assert_int_eq(killmail_facts_scan(&K, "{\"type\":5}", 10, 1, 1, err, sizeof err), 0);
	ck_assert_int_eq(K.type, REC_OTHER);
	ck_assert_int_eq(killmail_facts_scan(&K, "[1]", 3, 1, 1, err, sizeof err), -1);
	ck_assert_str_eq(err, "not a JSON object");
	ck_assert_int_eq(killmail_facts_scan(&K, "{\"a\":1}{}", 9, 1, 1, err, sizeof err), -1);
	ck_assert_str_eq(err, "malformed JSON at byte 7: trailing garbage");
	killmail_facts_free(&K);
}
END_TEST

CHECK_MAIN("filter", system_kill, character_loss_and_kill, corporation_focus,
           character_exclude, wormhole_only_and_kspace, dedup_and_suppression,
           age_limit, value_npc_labels, corp_alliance_lists, feature_flags,
           priority_systems, system_events, character_events, rally_events,
           notify_as_json, priority_file, times, environment,
           scan_matches_tree, facts_edge_cases)
