/* check_format.c — Discord messages from notify records: the golden
 * cases in tests/golden/format (record + options → exact body), the
 * fixtures, colour and ISK rules, description variants, Discord's
 * limits with multibyte text, and mention safety. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_embed.h"
#include "fmt_parts.h"
#include "format.h"
#include "json.h"
#include "utf8.h"
#include "check_main.h"

static cJSON *
load(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	cJSON *j;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	j = cJSON_Parse(buf);
	ck_assert_msg(j != NULL, "bad JSON in %s", path);
	free(buf);
	return j;
}

static const char *
dir_of(const char *env, const char *sub, char *buf, size_t size)
{
	const char *root = getenv(env);

	snprintf(buf, size, "%s/%s", root ? root : ".", sub);
	return buf;
}

/* Format a record given as JSON text. */
static cJSON *
fmt_json(const char *rec_json, int plain, const char *roles,
         enum fmt_route *route)
{
	struct fmt_options o = {plain, roles, FMT_MAP_NAME_DEFAULT};
	cJSON *rec = cJSON_Parse(rec_json), *msg;
	char err[128] = "";
	enum fmt_route r = ROUTE_MAIN;

	ck_assert_msg(rec != NULL, "bad test JSON: %s", rec_json);
	msg = format_message(rec, &o, route ? route : &r, err, sizeof err);
	ck_assert_msg(msg != NULL, "format failed: %s", err);
	cJSON_Delete(rec);
	return msg;
}

static const char *
embed_str0(const cJSON *msg, const char *key)
{
	const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(msg, "embeds"), 0);
	return json_str(e, key);
}

static void
assert_same(const cJSON *got, const cJSON *want, const char *what)
{
	if (!cJSON_Compare(got, want, 1)) {
		char *g = cJSON_Print(got), *w = cJSON_Print(want);
		ck_abort_msg("%s:\n got %s\nwant %s", what, g, w);
	}
}

/* Every tests/golden/format/NAME.json: {options, record, route, expect}. */
START_TEST(golden_cases)
{
	char dir[512], path[1024];
	struct dirent *d;
	DIR *dp = opendir(dir_of("WN_ROOT", "tests/golden/format", dir, sizeof dir));
	int n = 0;

	ck_assert_msg(dp != NULL, "no golden dir %s", dir);
	while ((d = readdir(dp))) {
		if (!strstr(d->d_name, ".json"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
		cJSON *g = load(path), *opt = cJSON_GetObjectItem(g, "options");
		struct fmt_options o = {json_bool(opt, "plain_text", 0),
		                        json_str(opt, "rally_roles"), FMT_MAP_NAME_DEFAULT};
		enum fmt_route r = ROUTE_COUNT;
		char err[128] = "";
		cJSON *msg = format_message(cJSON_GetObjectItem(g, "record"), &o, &r,
		                            err, sizeof err);
		ck_assert_msg(msg != NULL, "%s: %s", d->d_name, err);
		assert_same(msg, cJSON_GetObjectItem(g, "expect"), d->d_name);
		ck_assert_str_eq(fmt_route_name(r), json_str(g, "route"));
		cJSON_Delete(msg);
		cJSON_Delete(g);
		n++;
	}
	closedir(dp);
	ck_assert_int_ge(n, 15);
}
END_TEST

/* The WandererKills fixture (names inside, snake_case zkb, 14 attackers
 * with equal damage: the final blow is also the top damage). */
START_TEST(fixture_wanderer_kills)
{
	char p[512];
	cJSON *rec = load(dir_of("WN_FIXTURES", "kills/wanderer_kills_killmail.json",
	                         p, sizeof p));
	struct fmt_options o = {0, NULL, FMT_MAP_NAME_DEFAULT};
	enum fmt_route r;
	char err[128];
	cJSON *notify = cJSON_AddObjectToObject(rec, "notify"), *msg;

	cJSON_AddStringToObject(notify, "kind", "system_kill");
	msg = format_message(rec, &o, &r, err, sizeof err);
	ck_assert_ptr_nonnull(msg);
	ck_assert_int_eq(r, ROUTE_SYSTEM_KILL);
	ck_assert_str_eq(embed_str0(msg, "description"),
		"**[Victim Name](https://zkillboard.com/character/398512676/)**"
		"(**[????](https://zkillboard.com/corporation/98310351/)**) lost their "
		"**Raven** to **[Attacker 0](https://zkillboard.com/character/623502199/)**"
		"(**[????](https://zkillboard.com/corporation/98139716/)**) flying in a "
		"**Rattlesnake**, and 13 others.\n\nValue: 115.81M ISK \xE2\x80\xA2 <t:1793575146:R>");
	ck_assert_str_eq(embed_str0(msg, "title"), "Ship destroyed in System 30002552");
	ck_assert_str_eq(embed_str0(msg, "timestamp"), "2026-11-01T23:19:06Z");
	ck_assert_str_eq(embed_str0(msg, "url"), "https://zkillboard.com/kill/120000000/");
	cJSON_Delete(msg);
	cJSON_Delete(rec);
}
END_TEST

/* The bare ESI fixture has no names at all. */
START_TEST(fixture_esi_unnamed)
{
	char p[512];
	cJSON *rec = load(dir_of("WN_FIXTURES", "kills/esi_killmail.json", p, sizeof p));
	struct fmt_options o = {0, NULL, FMT_MAP_NAME_DEFAULT};
	enum fmt_route r;
	char err[128];
	cJSON *notify = cJSON_AddObjectToObject(rec, "notify"), *msg;

	cJSON_AddStringToObject(notify, "kind", "character_kill");
	cJSON_AddStringToObject(notify, "role", "loss");
	msg = format_message(rec, &o, &r, err, sizeof err);
	ck_assert_ptr_nonnull(msg);
	ck_assert_int_eq(r, ROUTE_CHARACTER_KILL);
	const char *d = embed_str0(msg, "description");
	ck_assert_ptr_nonnull(strstr(d, "**[Unknown Pilot](https://zkillboard.com/character/398512676/)**"));
	ck_assert_ptr_nonnull(strstr(d, "lost their **Unknown Ship** to "));
	ck_assert_ptr_nonnull(strstr(d, "<t:1793575146:R>"));
	const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(msg, "embeds"), 0);
	ck_assert_int_eq(json_num(e, "color", 0), 15158332);
	ck_assert_str_eq(json_str(cJSON_GetObjectItem(e, "author"), "name"), "Loss");
	cJSON_Delete(msg);
	cJSON_Delete(rec);
}
END_TEST

START_TEST(isk_abbreviation)
{
	static const struct { double v; const char *want; } t[] = {
		{1234567890.12, "1.23B"}, {999999, "1000.00K"}, {999, "999"},
		{0, "0"}, {12.4, "12"}, {1000, "1.00K"}, {12500000, "12.50M"},
		{5e9, "5.00B"}, {2.5e12, "2500.00B"}, {-5, "0"}, {999.6, "1000"},
		{345000000, "345.00M"},
	};
	char buf[32];

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		fmt_isk(t[i].v, buf, sizeof buf);
		ck_assert_msg(!strcmp(buf, t[i].want), "%f: got %s want %s",
		              t[i].v, buf, t[i].want);
	}
}
END_TEST

START_TEST(kill_colours)
{
	static const struct {
		const char *zkb, *role;
		int color;
	} t[] = {
		{"{\"totalValue\":6e9}", NULL, 0xFF0000},
		{"{\"totalValue\":5e9}", NULL, 0xFF0000},
		{"{\"totalValue\":4.99e9}", NULL, 0xFF6600},
		{"{\"totalValue\":1e9}", NULL, 0xFF6600},
		{"{\"totalValue\":1e8}", NULL, 0xFFFF00},
		{"{\"totalValue\":99999999}", NULL, 0x00FF00},
		{"{\"totalValue\":1e7}", NULL, 0x00FF00},
		{"{\"totalValue\":9999999}", NULL, 0x808080},
		{"{}", NULL, 0x808080},
		/* dropped value wins when present, even when zero */
		{"{\"totalValue\":6e9,\"droppedValue\":2e8}", NULL, 0xFFFF00},
		{"{\"totalValue\":6e9,\"droppedValue\":0}", NULL, 0x808080},
		{"{\"total_value\":2e9}", NULL, 0xFF6600},
		{"{\"totalValue\":6e9}", "loss", 0xE74C3C},
		{"{\"totalValue\":6e9}", "kill", 0x2ECC71},
		{"{}", "loss", 0xE74C3C},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char json[256];
		snprintf(json, sizeof json, "{\"zkb\":%s}", t[i].zkb);
		cJSON *rec = cJSON_Parse(json);
		ck_assert_msg(fmt_kill_color(rec, t[i].role) == t[i].color,
		              "case %zu: got %06x", i, fmt_kill_color(rec, t[i].role));
		cJSON_Delete(rec);
	}
}
END_TEST

/* Description for a kill with the given attackers JSON. */
static char *
describe(const char *attackers)
{
	char json[4096];
	snprintf(json, sizeof json,
	         "{\"type\":\"killmail\",\"killmail_id\":1,"
	         "\"killmail_time\":\"2026-03-17T18:02:11Z\","
	         "\"victim\":{\"character_id\":7,\"character_name\":\"Vic\","
	         "\"corporation_id\":8,\"corporation_ticker\":\"VV\","
	         "\"ship_type_name\":\"Rifter\"},\"attackers\":%s,"
	         "\"notify\":{\"kind\":\"system_kill\"}}", attackers);
	cJSON *msg = fmt_json(json, 0, NULL, NULL);
	char *d = strdup(embed_str0(msg, "description"));
	cJSON_Delete(msg);
	return d;
}

#define VIC "**[Vic](https://zkillboard.com/character/7/)**(**[VV](https://zkillboard.com/corporation/8/)**) lost their **Rifter** to "
#define A1 "**[Ann](https://zkillboard.com/character/11/)**(**[AA](https://zkillboard.com/corporation/21/)**)"
#define A2 "**[Bob](https://zkillboard.com/character/12/)**(**[????](https://zkillboard.com/corporation/22/)**)"
#define ANN "{\"character_id\":11,\"character_name\":\"ann\",\"corporation_id\":21,\"corporation_ticker\":\"AA\",\"ship_type_name\":\"Sabre\""
#define BOB "{\"character_id\":12,\"character_name\":\"BOB\",\"corporation_id\":22,\"ship_type_name\":\"Loki\""
#define NPC "{\"corporation_id\":500010,\"ship_type_name\":\"Guristas Pithatis\""
#define TAIL "\n\n<t:1773770531:R>"

START_TEST(description_variants)
{
	static const struct { const char *attackers, *want; } t[] = {
		{"[" ANN ",\"damage_done\":5,\"final_blow\":true}]",
		 VIC A1 " flying in a **Sabre** solo." TAIL},
		{"[" ANN ",\"damage_done\":5,\"final_blow\":true}," BOB ",\"damage_done\":9},"
		 NPC ",\"damage_done\":1}]",
		 VIC A1 " flying in a **Sabre**, Top Damage was done by " A2
		 " flying in a **Loki**, and 2 others." TAIL},
		/* no final_blow flag: the top damage dealer takes it */
		{"[" ANN ",\"damage_done\":5}," BOB ",\"damage_done\":9}]",
		 VIC A2 " flying in a **Loki**, and 1 other." TAIL},
		{"[]", VIC "unknown attackers." TAIL},
		{"[" NPC ",\"damage_done\":1,\"final_blow\":true}]",
		 VIC "a **Guristas Pithatis** solo." TAIL},
		{"[" ANN ",\"damage_done\":5,\"final_blow\":true}," NPC ",\"damage_done\":50}]",
		 VIC A1 " flying in a **Sabre**, Top Damage was done by a **Guristas Pithatis**, and 1 other." TAIL},
		/* a named pilot with no corporation and no ship */
		{"[{\"character_id\":13,\"final_blow\":true}]",
		 VIC "**[Unknown](https://zkillboard.com/character/13/)** flying in a **Unknown Ship** solo." TAIL},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char *d = describe(t[i].attackers);
		ck_assert_msg(!strcmp(d, t[i].want), "case %zu:\n got %s\nwant %s",
		              i, d, t[i].want);
		free(d);
	}
}
END_TEST

START_TEST(iso_times)
{
	int64_t t;

	ck_assert_int_eq(fmt_iso_unix("2026-03-17T18:02:11Z", &t), 0);
	ck_assert_int_eq(t, 1773770531);
	ck_assert_int_eq(fmt_iso_unix("2026-03-17T18:02:11.999999Z", &t), 0);
	ck_assert_int_eq(t, 1773770531);
	ck_assert_int_eq(fmt_iso_unix("2026-03-17T20:02:11+02:00", &t), 0);
	ck_assert_int_eq(t, 1773770531);
	ck_assert_int_eq(fmt_iso_unix("2026-03-17 18:02:11", &t), 0);
	ck_assert_int_eq(t, 1773770531);
	ck_assert_int_eq(fmt_iso_unix("1970-01-01T00:00:00Z", &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(fmt_iso_unix("2024-02-29T00:00:00Z", &t), 0);
	ck_assert_int_eq(t, 1709164800);
	ck_assert_int_eq(fmt_iso_unix("2026-13-01T00:00:00Z", &t), -1);
	ck_assert_int_eq(fmt_iso_unix("2026-03-17T18:02:11Zjunk", &t), -1);
	ck_assert_int_eq(fmt_iso_unix("2026-03-17", &t), -1);
	ck_assert_int_eq(fmt_iso_unix(NULL, &t), -1);

	/* embeds get a timestamp Discord accepts: 'T' form kept, else UTC */
	cJSON *msg = fmt_json("{\"killmail_time\":\"2026-03-17 20:02:11+02:00\","
	                      "\"notify\":{\"kind\":\"system_kill\"}}", 0, NULL, NULL);
	ck_assert_str_eq(embed_str0(msg, "timestamp"), "2026-03-17T18:02:11Z");
	cJSON_Delete(msg);
	msg = fmt_json("{\"created_at\":\"soon\",\"notify\":{\"kind\":\"rally_point\"}}",
	               0, NULL, NULL);
	ck_assert_ptr_null(embed_str0(msg, "timestamp"));
	cJSON_Delete(msg);
}
END_TEST

START_TEST(routes_and_errors)
{
	static const struct { const char *kind; enum fmt_route r; } t[] = {
		{"system_kill", ROUTE_SYSTEM_KILL}, {"character_kill", ROUTE_CHARACTER_KILL},
		{"system", ROUTE_SYSTEM}, {"character", ROUTE_CHARACTER},
		{"rally_point", ROUTE_RALLY},
	};
	char json[128], err[128];
	enum fmt_route r;

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		snprintf(json, sizeof json, "{\"notify\":{\"kind\":\"%s\"}}", t[i].kind);
		cJSON *msg = fmt_json(json, 0, NULL, &r);
		ck_assert_int_eq(r, t[i].r);
		cJSON_Delete(msg);
	}
	ck_assert_str_eq(fmt_route_name(ROUTE_MAIN), "main");
	ck_assert_str_eq(fmt_route_name(ROUTE_RALLY), "rally");
	ck_assert_str_eq(fmt_route_name(ROUTE_CHARACTER_KILL), "character_kill");
	ck_assert_str_eq(fmt_route_name(ROUTE_COUNT), "unknown");

	const char *bad[] = {"{}", "{\"notify\":null}", "{\"notify\":{\"kind\":\"nope\"}}",
	                     "{\"notify\":{}}", "[1]", "{\"notify\":{\"kind\":7}}"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		cJSON *rec = cJSON_Parse(bad[i]);
		err[0] = '\0';
		ck_assert_ptr_null(format_message(rec, NULL, &r, err, sizeof err));
		ck_assert_msg(err[0] != '\0', "no reason for %s", bad[i]);
		cJSON_Delete(rec);
	}
	ck_assert_ptr_null(format_message(NULL, NULL, &r, err, sizeof err));
}
END_TEST

/* Walk every string in a message: valid UTF-8, and return the total. */
static void
assert_valid_strings(const cJSON *j)
{
	const cJSON *c;

	if (cJSON_IsString(j))
		ck_assert(utf8_valid(j->valuestring, strlen(j->valuestring)));
	cJSON_ArrayForEach(c, j)
		assert_valid_strings(c);
}

static size_t
chars(const cJSON *obj, const char *key)
{
	const char *s = json_str(obj, key);
	return s ? utf8_chars(s, strlen(s)) : 0;
}

/* Every Discord limit, counted in code points and in our units. */
static void
assert_within_limits(const cJSON *msg)
{
	const cJSON *e, *f;
	size_t total = 0;

	assert_valid_strings(msg);
	ck_assert_uint_le(chars(msg, "content"), CONTENT_MAX);
	ck_assert_uint_le(fmt_units(json_str(msg, "content")), CONTENT_MAX);
	ck_assert_int_le(cJSON_GetArraySize(cJSON_GetObjectItem(msg, "embeds")), EMBEDS_MAX);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(msg, "embeds")) {
		const cJSON *fields = cJSON_GetObjectItem(e, "fields");
		const cJSON *author = cJSON_GetObjectItem(e, "author");
		const cJSON *footer = cJSON_GetObjectItem(e, "footer");
		ck_assert_uint_le(fmt_units(json_str(e, "title")), EMBED_TITLE_MAX);
		ck_assert_uint_le(fmt_units(json_str(e, "description")), EMBED_DESC_MAX);
		ck_assert_uint_le(fmt_units(json_str(author, "name")), EMBED_AUTHOR_MAX);
		ck_assert_uint_le(fmt_units(json_str(footer, "text")), EMBED_FOOTER_MAX);
		ck_assert_int_le(cJSON_GetArraySize(fields), EMBED_FIELDS_MAX);
		total += chars(e, "title") + chars(e, "description") +
		         chars(author, "name") + chars(footer, "text");
		cJSON_ArrayForEach(f, fields) {
			ck_assert_uint_le(fmt_units(json_str(f, "name")), EMBED_FNAME_MAX);
			ck_assert_uint_le(fmt_units(json_str(f, "value")), EMBED_FVALUE_MAX);
			ck_assert_uint_ge(chars(f, "value"), 1);
			total += chars(f, "name") + chars(f, "value");
		}
	}
	ck_assert_uint_le(total, EMBED_TOTAL_MAX);
	ck_assert_uint_le(fmt_embeds_total(msg), EMBED_TOTAL_MAX);
}

/* n copies of s */
static char *
rep(const char *s, size_t n)
{
	size_t l = strlen(s);
	char *o = malloc(l * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(o + i * l, s, l);
	o[l * n] = '\0';
	return o;
}

static int
ends_with_ellipsis(const char *s)
{
	size_t n = strlen(s);
	return n >= 3 && !strcmp(s + n - 3, "\xE2\x80\xA6");
}

START_TEST(limits_synthetic_message)
{
	/* 2-byte, 3-byte and 4-byte characters, and an ASCII run */
	const char *glyph[] = {"\xD0\xB6", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "x"};
	char *big[4];
	for (int i = 0; i < 4; i++)
		big[i] = rep(glyph[i], 9000);
	cJSON *msg = cJSON_CreateObject(), *e = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "content", big[2]);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(msg, "embeds"), e);
	embed_str(e, "title", big[0]);
	embed_str(e, "description", big[1]);
	embed_author(e, big[2], NULL, NULL);
	embed_footer(e, big[3]);
	for (int i = 0; i < 40; i++)
		embed_field(e, big[i % 4], big[(i + 1) % 4], i % 2);
	ck_assert_int_gt(fmt_enforce_limits(msg), 0);
	assert_within_limits(msg);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(e, "fields")), 25);
	ck_assert(ends_with_ellipsis(json_str(e, "title")));
	ck_assert(ends_with_ellipsis(json_str(msg, "content")));
	/* astral characters count two: 999 emoji (1998 units) + "…";
	 * a 1000th would not leave room for the ellipsis */
	ck_assert_uint_eq(fmt_units(json_str(msg, "content")), 1999);
	ck_assert_uint_eq(utf8_chars(json_str(msg, "content"),
	                             strlen(json_str(msg, "content"))), 1000);
	/* what fits is left alone */
	ck_assert_int_eq(fmt_enforce_limits(msg), 0);
	cJSON_Delete(msg);
	for (int i = 0; i < 4; i++)
		free(big[i]);
}
END_TEST

START_TEST(limits_exact_boundaries)
{
	char *s256 = rep("\xE2\x82\xAC", 256), *s257 = rep("\xE2\x82\xAC", 257);
	cJSON *a = cJSON_CreateString(s256), *b = cJSON_CreateString(s257);

	ck_assert_int_eq(fmt_cut_item(a, 256), 0);
	ck_assert_str_eq(a->valuestring, s256);
	ck_assert_int_eq(fmt_cut_item(b, 256), 1);
	ck_assert_uint_eq(fmt_units(b->valuestring), 256);
	ck_assert(ends_with_ellipsis(b->valuestring));
	ck_assert(!strncmp(b->valuestring, s256, 255 * 3));
	ck_assert_uint_eq(strlen(b->valuestring), 255 * 3 + 3);
	/* an emoji that would straddle the limit is dropped whole */
	cJSON *c = cJSON_CreateString("ab\xF0\x9F\x98\x80" "cd");
	ck_assert_int_eq(fmt_cut_item(c, 4), 1);
	ck_assert_str_eq(c->valuestring, "ab\xE2\x80\xA6");
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	free(s256);
	free(s257);
}
END_TEST

static int
any_cut(const cJSON *j)
{
	const cJSON *c;

	if (cJSON_IsString(j) && ends_with_ellipsis(j->valuestring))
		return 1;
	cJSON_ArrayForEach(c, j)
		if (any_cut(c))
			return 1;
	return 0;
}

/* Giant multibyte names through the real formatters. */
START_TEST(limits_through_formatters)
{
	char *name = rep("\xD0\x96\xF0\x9F\x98\x80", 6000);   /* Ж😀 */
	char *json = malloc(strlen(name) * 14 + 2048);
	const char *kinds[] = {"system_kill", "system", "character", "rally_point"};

	for (size_t k = 0; k < 4; k++)
		for (int plain = 0; plain < 2; plain++) {
			sprintf(json,
			        "{\"killmail_id\":1,\"solar_system_name\":\"%s\","
			        "\"victim\":{\"character_name\":\"%s\",\"ship_type_name\":\"%s\"},"
			        "\"attackers\":[{\"character_id\":1,\"character_name\":\"%s\","
			        "\"final_blow\":true},{\"character_id\":2}],"
			        "\"name\":\"%s\",\"region_name\":\"%s\",\"statics\":[\"%s\"],"
			        "\"class_title\":\"C2\",\"effect_name\":\"%s\","
			        "\"character_id\":5,\"corporation_id\":6,\"corporation_ticker\":\"%s\","
			        "\"system_name\":\"%s\",\"character_name\":\"%s\",\"message\":\"%s\","
			        "\"rally_point_id\":\"%s\","
			        "\"notify\":{\"kind\":\"%s\",\"mention\":\"@here\"}}",
			        name, name, name, name, name, name, name, name, name,
			        name, name, name, name, kinds[k]);
			cJSON *msg = fmt_json(json, plain, "1,2", NULL);
			assert_within_limits(msg);
			ck_assert_msg(any_cut(msg), "%s: nothing was cut", kinds[k]);
			cJSON_Delete(msg);
		}
	free(json);
	free(name);
}
END_TEST

/* Format obj as every kind, plain and rich: never fails, always valid. */
static void
every_kind(cJSON *obj)
{
	const char *kinds[] = {"system_kill", "character_kill", "system",
	                       "character", "rally_point"};
	struct fmt_options o = {0, "1", FMT_MAP_NAME_DEFAULT};
	char err[128];

	if (!cJSON_IsObject(obj))
		return;
	cJSON_DeleteItemFromObject(obj, "notify");
	cJSON *notify = cJSON_AddObjectToObject(obj, "notify");
	cJSON *kind = cJSON_AddStringToObject(notify, "kind", "");
	for (size_t k = 0; k < 5; k++)
		for (o.plain_text = 0; o.plain_text < 2; o.plain_text++) {
			cJSON_SetValuestring(kind, kinds[k]);
			cJSON *msg = format_message(obj, &o, NULL, err, sizeof err);
			ck_assert_msg(msg != NULL, "%s", err);
			assert_within_limits(msg);
			cJSON_Delete(msg);
		}
}

static int
format_dir(const char *dir)
{
	char path[1024];
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	ck_assert_msg(dp != NULL, "no dir %s", dir);
	while ((d = readdir(dp))) {
		size_t l = strlen(d->d_name);
		if (l < 5 || strcmp(d->d_name + l - 5, ".json"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
		cJSON *j = load(path), *c;
		every_kind(j);
		cJSON_ArrayForEach(c, j)
			every_kind(c);
		cJSON_Delete(j);
		n++;
	}
	closedir(dp);
	return n;
}

/* Every fixture, whatever its shape, as every kind of notification. */
START_TEST(every_fixture_every_kind)
{
	char dir[512];
	int n = 0;

	n += format_dir(dir_of("WN_FIXTURES", "kills", dir, sizeof dir));
	n += format_dir(dir_of("WN_FIXTURES", "kills/captured", dir, sizeof dir));
	n += format_dir(dir_of("WN_FIXTURES", "map", dir, sizeof dir));
	ck_assert_int_ge(n, 20);
}
END_TEST

static void
assert_parse(const cJSON *msg, const char *want_json)
{
	cJSON *want = cJSON_Parse(want_json);
	assert_same(cJSON_GetObjectItem(msg, "allowed_mentions"), want,
	            "allowed_mentions");
	cJSON_Delete(want);
}

START_TEST(mention_safety)
{
	const char *evil = "{\"type\":\"killmail\",\"killmail_id\":3,"
	    "\"victim\":{\"character_name\":\"@everyone <@&42> <@99>\"},"
	    "\"attackers\":[{\"character_id\":1,\"character_name\":\"@here\",\"final_blow\":true}],"
	    "\"notify\":{\"kind\":\"system_kill\",\"mention\":%s}}";
	char json[512];
	cJSON *msg;

	/* nobody meant: no content, nothing parsed */
	snprintf(json, sizeof json, evil, "null");
	msg = fmt_json(json, 0, NULL, NULL);
	ck_assert_ptr_null(cJSON_GetObjectItem(msg, "content"));
	assert_parse(msg, "{\"parse\":[]}");
	cJSON_Delete(msg);

	/* plain text: the names land in content, defused */
	msg = fmt_json(json, 1, NULL, NULL);
	ck_assert_ptr_null(strstr(json_str(msg, "content"), "@everyone"));
	ck_assert_ptr_null(strstr(json_str(msg, "content"), "@here"));
	ck_assert_ptr_nonnull(strstr(json_str(msg, "content"), "@\xE2\x80\x8B" "everyone"));
	assert_parse(msg, "{\"parse\":[]}");
	cJSON_Delete(msg);

	/* @here meant: only then is "everyone" parsed, and the names are
	 * still defused so the victim cannot upgrade it to @everyone */
	snprintf(json, sizeof json, evil, "\"@here\"");
	msg = fmt_json(json, 1, NULL, NULL);
	ck_assert(!strncmp(json_str(msg, "content"), "@here Unknown", 13) ||
	          !strncmp(json_str(msg, "content"), "@here @", 7));
	ck_assert_ptr_null(strstr(json_str(msg, "content"), "@everyone"));
	ck_assert_ptr_null(strstr(json_str(msg, "content") + 5, "@here"));
	assert_parse(msg, "{\"parse\":[\"everyone\"]}");
	cJSON_Delete(msg);

	/* filter-supplied mentions: roles and users explicit, junk dropped */
	snprintf(json, sizeof json, evil,
	         "\"@everyone <@&42> <@!77> <@&x1> <@&42> <@88> everyone 123\"");
	msg = fmt_json(json, 0, "555", NULL);
	ck_assert_str_eq(json_str(msg, "content"), "<@&42> <@77> <@88>");
	assert_parse(msg, "{\"parse\":[],\"roles\":[\"42\"],\"users\":[\"77\",\"88\"]}");
	cJSON_Delete(msg);
}
END_TEST

/* Rally roles go to rally points only, and not to removals. */
START_TEST(rally_roles_scope)
{
	cJSON *msg = fmt_json("{\"notify\":{\"kind\":\"system\"}}", 0, "42", NULL);
	assert_parse(msg, "{\"parse\":[]}");
	ck_assert_ptr_null(cJSON_GetObjectItem(msg, "content"));
	cJSON_Delete(msg);
	msg = fmt_json("{\"action\":\"removed\",\"notify\":{\"kind\":\"rally_point\"}}",
	               0, "42", NULL);
	assert_parse(msg, "{\"parse\":[]}");
	ck_assert_str_eq(json_str(msg, "content"), "Rally point removed.");
	cJSON_Delete(msg);
	msg = fmt_json("{\"notify\":{\"kind\":\"rally_point\"}}", 0, "<@&42> 43", NULL);
	assert_parse(msg, "{\"parse\":[],\"roles\":[\"42\",\"43\"]}");
	ck_assert_str_eq(json_str(msg, "content"), "<@&42> <@&43> Rally point created!");
	cJSON_Delete(msg);
}
END_TEST

START_TEST(name_recasing)
{
	struct buf b = {0};
	char *s;

	sb_capitalized(&b, "HQ staging");
	sb_add(&b, "|");
	sb_capitalized(&b, "mcDuck  the 3rd");
	sb_add(&b, "|");
	sb_capitalized(&b, "\xC3\xA9lan");	/* non-ASCII left alone */
	ck_assert_str_eq(s = buf_take(&b), "Hq Staging|Mcduck  The 3rd|\xC3\xA9lan");
	free(s);
}
END_TEST

/* Wanderer Notifier's rule (#112): the map's own name for the system in
 * the title only where the message lands in the system-kill channel. */
START_TEST(map_name_in_kill_titles)
{
	static const char *const rec =
	    "{\"killmail_id\":7,\"solar_system_id\":31001503,"
	    "\"solar_system_name\":\"J155416\",\"notify\":{\"kind\":\"%s\","
	    "\"system_name\":\"home\"}}";
	struct { const char *kind; unsigned routes; int plain; const char *want; } c[] = {
		{"system_kill", FMT_MAP_NAME_DEFAULT, 0, "Ship destroyed in Home"},
		{"character_kill", FMT_MAP_NAME_DEFAULT, 0, "Ship destroyed in Home"},
		{"character_kill", 1u << ROUTE_SYSTEM_KILL, 0, "Ship destroyed in J155416"},
		{"system_kill", 1u << ROUTE_SYSTEM_KILL, 0, "Ship destroyed in Home"},
		{"system_kill", 0, 0, "Ship destroyed in J155416"},
		{"system_kill", FMT_MAP_NAME_DEFAULT, 1, " in Home"},
		{"character_kill", 1u << ROUTE_SYSTEM_KILL, 1, " in J155416"},
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		struct fmt_options o = {c[i].plain, NULL, c[i].routes};
		char text[512], err[128] = "";
		enum fmt_route r;
		cJSON *in, *msg;

		snprintf(text, sizeof text, rec, c[i].kind);
		in = cJSON_Parse(text);
		msg = format_message(in, &o, &r, err, sizeof err);
		ck_assert_msg(msg != NULL, "%zu: %s", i, err);
		if (c[i].plain)
			ck_assert_msg(strstr(json_str(msg, "content"), c[i].want), "%zu: %s", i,
			              json_str(msg, "content"));
		else
			ck_assert_str_eq(embed_str0(msg, "title"), c[i].want);
		/* the record itself is never changed by the choice */
		ck_assert_str_eq(json_str(cJSON_GetObjectItem(in, "notify"), "system_name"),
		                 "home");
		cJSON_Delete(msg);
		cJSON_Delete(in);
	}
}
END_TEST

CHECK_MAIN("format", golden_cases, fixture_wanderer_kills, fixture_esi_unnamed,
           isk_abbreviation, kill_colours, description_variants, iso_times,
           routes_and_errors, limits_synthetic_message, limits_exact_boundaries,
           limits_through_formatters, mention_safety, rally_roles_scope,
           name_recasing, every_fixture_every_kind, map_name_in_kill_titles)
