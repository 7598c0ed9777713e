/* check_enrich_kills.c — WandererKills' answers for "Recent Kills"
 * (lib/enrich_kills.c): every list shape, the killmail answer in each
 * server version's shape, malformed input, order, duplicates and limits;
 * and the "Recent Kills" field the formatter builds from the entries
 * (lib/fmt_system.c): ages, defaults, Discord's field limit. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt_embed.h"
#include "format.h"
#include "json.h"
#include "enrich_kills.h"
#include "check_main.h"

#define get cJSON_GetObjectItemCaseSensitive

static char *
slurp(const char *rel)
{
	char path[1024];
	const char *root = getenv("WN_FIXTURES");
	FILE *f;
	long n;
	char *buf;

	snprintf(path, sizeof path, "%s/%s", root ? root : "tests/fixtures", rel);
	ck_assert_msg((f = fopen(path, "rb")) != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static cJSON *
list_of(const char *s, size_t max)
{
	char err[128] = "";
	cJSON *l = enrich_kills_parse_list(s, strlen(s), max, err, sizeof err);

	ck_assert_msg(l != NULL, "%s: %s", s, err);
	return l;
}

/* "[3,2,1]": the ids in order */
static char *
ids(const cJSON *list)
{
	static char buf[256];
	const cJSON *e;
	size_t k = 0;

	k += (size_t)snprintf(buf, sizeof buf, "[");
	cJSON_ArrayForEach(e, list)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%lld", k > 1 ? "," : "",
		                      (long long)json_id(e, "killmail_id"));
	snprintf(buf + k, sizeof buf - k, "]");
	return buf;
}

static void
same_json(const cJSON *got, const char *want)
{
	char *g = json_print(got);
	ck_assert_str_eq(g, want);
	free(g);
}

#define ROWS \
	"{\"killmail_id\":104,\"zkb\":{\"locationID\":40000001,\"hash\":\"a\"," \
	"\"fittedValue\":1.0e9,\"totalValue\":1.2e9,\"points\":12,\"npc\":false," \
	"\"solo\":true,\"awox\":false,\"labels\":[\"pvp\"]}}," \
	"{\"killmail_id\":103,\"zkb\":{\"totalValue\":5,\"npc\":true}}," \
	"{\"killmail_id\":102,\"zkb\":{}},{\"killmail_id\":101}"

/* The real envelope with zKillboard rows: capped, zkb reduced to what
 * the line uses, in a fixed order. */
START_TEST(list_envelope)
{
	const char *s = "{\"data\":{\"kills\":[" ROWS "],\"timestamp\":"
	                "\"2026-03-17T18:00:00.123456Z\",\"cached\":false},"
	                "\"timestamp\":\"2026-03-17T18:00:00.123456Z\"}";
	cJSON *l = list_of(s, ENRICH_KILLS_MAX);

	ck_assert_str_eq(ids(l), "[104,103,102]");
	same_json(l->child, "{\"killmail_id\":104,\"zkb\":{\"totalValue\":1200000000,"
	          "\"points\":12,\"npc\":false,\"solo\":true,\"awox\":false,"
	          "\"locationID\":40000001}}");
	same_json(l->child->next->next, "{\"killmail_id\":102}");
	ck_assert(!enrich_kills_has_detail(l->child));
	cJSON_Delete(l);
}
END_TEST

START_TEST(list_other_shapes)
{
	static const struct { const char *in, *want; } c[] = {
		{ "[" ROWS "]", "[104,103,102]" },
		{ "{\"kills\":[" ROWS "]}", "[104,103,102]" },
		{ "{\"data\":[" ROWS "]}", "[104,103,102]" },
		{ "[7, 9, \"8\"]", "[9,8,7]" },                  /* v1.1: ids */
		{ "{\"data\":{\"kills\":[]}}", "[]" },
		{ "[]", "[]" },
		{ "[{\"killID\":5}]", "[5]" },
		/* junk entries skipped, their neighbours kept */
		{ "[null, {\"x\":1}, {\"killmail_id\":-4}, \"abc\", [1], 0, {\"killmail_id\":6}]", "[6]" },
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		cJSON *l = list_of(c[i].in, ENRICH_KILLS_MAX);
		ck_assert_msg(!strcmp(ids(l), c[i].want), "%s: %s", c[i].in, ids(l));
		cJSON_Delete(l);
	}
}
END_TEST

START_TEST(list_malformed)
{
	static const char *const bad[] = {
		"", "not json", "{\"data\":{\"kills\":[{\"killmail_id\":1", "\"kills\"", "42",
		"{}", "{\"data\":{\"kills\":{}}}", "{\"data\":null}", "{\"error\":\"x\"}",
		"[1] trailing",
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char err[128] = "";
		cJSON *l = enrich_kills_parse_list(bad[i], strlen(bad[i]), ENRICH_KILLS_MAX, err, sizeof err);
		ck_assert_msg(l == NULL, "accepted: %s", bad[i]);
		ck_assert_msg(err[0], "no reason for: %s", bad[i]);
	}
}
END_TEST

/* Newest first by kill_time when every entry has one, else by id;
 * duplicates (a kill sent twice) once. */
START_TEST(list_order_and_duplicates)
{
	cJSON *l = list_of("[{\"killmail_id\":1,\"kill_time\":\"2026-03-17T10:00:00Z\"},"
	                   "{\"killmail_id\":2,\"kill_time\":\"2026-03-15T10:00:00Z\"},"
	                   "{\"killmail_id\":1,\"kill_time\":\"2026-03-17T10:00:00Z\"},"
	                   "{\"killmail_id\":3,\"kill_time\":\"2026-03-16T10:00:00.5Z\"}]", 3);
	ck_assert_str_eq(ids(l), "[1,3,2]");
	cJSON_Delete(l);
	l = list_of("[{\"killmail_id\":1,\"kill_time\":\"2026-03-17T10:00:00Z\"},"
	            "{\"killmail_id\":3},{\"killmail_id\":2,\"kill_time\":\"2026-03-18T10:00:00Z\"}]", 3);
	ck_assert_str_eq(ids(l), "[3,2,1]");
	cJSON_Delete(l);
	l = list_of("[5,5,5,4,4,3]", 3);
	ck_assert_str_eq(ids(l), "[5,4,3]");
	cJSON_Delete(l);
}
END_TEST

START_TEST(list_limits)
{
	char *big = malloc(1300 * 8 + 4);
	size_t k = 0;
	cJSON *l;

	big[k++] = '[';
	for (int i = 1; i <= 1300; i++)
		k += (size_t)sprintf(big + k, "%s%d", i > 1 ? "," : "", i);
	big[k++] = ']';
	big[k] = '\0';
	l = list_of(big, 3);
	/* the server's own limit is 1000: entries past it are not looked at */
	ck_assert_str_eq(ids(l), "[1000,999,998]");
	cJSON_Delete(l);
	l = list_of(big, 0);
	ck_assert_str_eq(ids(l), "[]");
	cJSON_Delete(l);
	free(big);
}
END_TEST

/* v1.5 preload shape: nested ESI objects carry the ticker and name. */
START_TEST(detail_preload_shape)
{
	char *km = slurp("kills/captured/synth_killmail_preload_new_server.json"), err[128];
	size_t n = strlen(km) + 64;
	char *env = malloc(n);
	cJSON *e;

	snprintf(env, n, "{\"data\":%s,\"timestamp\":\"2026-03-17T18:00:00.1Z\"}", km);
	e = enrich_kills_parse_detail(env, strlen(env), err, sizeof err);
	ck_assert_msg(e != NULL, "%s", err);
	same_json(e, "{\"killmail_id\":56733821,\"kill_time\":\"2016-10-22T17:13:36Z\","
	          "\"victim\":{\"character_id\":92796241,\"character_name\":\"Synthetic Victim\","
	          "\"corporation_id\":841363671,\"corporation_ticker\":\"SVC\","
	          "\"ship_type_id\":17812,\"ship_type_name\":\"Synthetic Ship V\"},"
	          "\"zkb\":{\"totalValue\":10000000.55,\"points\":12,\"npc\":false,"
	          "\"solo\":true,\"awox\":false,\"locationID\":40190123}}");
	ck_assert(enrich_kills_has_detail(e));
	cJSON_Delete(e);
	/* the bare killmail, without the envelope */
	ck_assert_ptr_nonnull(e = enrich_kills_parse_detail(km, strlen(km), err, sizeof err));
	ck_assert_int_eq(json_id(e, "killmail_id"), 56733821);
	cJSON_Delete(e);
	free(env);
	free(km);
}
END_TEST

/* The documented shape (snake_case zkb, ship_name) and the v1.1 store
 * (victim_name, flattened ticker, explicit nulls). */
START_TEST(detail_other_shapes)
{
	char *docs = slurp("kills/captured/http_kills_system_response_docs.json");
	cJSON *l = list_of(docs, 3), *e;
	char err[128];
	const char *v11 = "{\"data\":{\"killmail_id\":9,\"killmail_time\":\"2026-01-01T00:00:00Z\","
	    "\"victim\":{\"character_id\":null,\"victim_name\":\"Old Pilot\","
	    "\"corporation_id\":98000001,\"corporation_ticker\":\"OLD\",\"ship_type_id\":null,"
	    "\"ship_name\":\"Rifter\"},\"total_value\":1.5e6,\"npc\":true,"
	    "\"zkb\":{\"locationID\":null,\"totalValue\":null,\"points\":null,\"hash\":\"x\"}}}";

	same_json(l->child, "{\"killmail_id\":123456789,\"kill_time\":\"2024-01-15T14:30:00Z\","
	          "\"victim\":{\"character_id\":987654321,\"character_name\":\"Victim Name\","
	          "\"corporation_id\":123456789,\"ship_type_id\":671,\"ship_type_name\":\"Raven\"},"
	          "\"zkb\":{\"totalValue\":152000000,\"points\":15,\"npc\":false,\"solo\":true,"
	          "\"awox\":false,\"locationID\":50000001}}");
	ck_assert(enrich_kills_has_detail(l->child));   /* no need to ask for it */
	cJSON_Delete(l);
	free(docs);
	ck_assert_ptr_nonnull(e = enrich_kills_parse_detail(v11, strlen(v11), err, sizeof err));
	same_json(e, "{\"killmail_id\":9,\"kill_time\":\"2026-01-01T00:00:00Z\","
	          "\"victim\":{\"character_name\":\"Old Pilot\",\"corporation_id\":98000001,"
	          "\"corporation_ticker\":\"OLD\",\"ship_type_name\":\"Rifter\"},"
	          "\"zkb\":{\"totalValue\":1500000,\"npc\":true}}");
	cJSON_Delete(e);
}
END_TEST

START_TEST(detail_rejected)
{
	static const char *const bad[] = {
		"{\"error\":\"Killmail not found\",\"code\":\"NOT_FOUND\",\"details\":null}",
		"{\"data\":{\"killmail_id\":5,\"zkb\":{\"hash\":\"a\"}}}",   /* v1.1: a zKB row */
		"{\"data\":{\"victim\":{\"character_id\":1}}}", "[]", "nope", "{\"data\":",
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char err[128] = "";
		cJSON *e = enrich_kills_parse_detail(bad[i], strlen(bad[i]), err, sizeof err);
		ck_assert_msg(e == NULL, "accepted: %s", bad[i]);
		ck_assert_msg(err[0], "no reason for: %s", bad[i]);
	}
}
END_TEST

/* The list's zkb wins, the details fill the rest, in the fixed order. */
START_TEST(merge_fills_gaps)
{
	cJSON *a = cJSON_Parse("{\"killmail_id\":7,\"zkb\":{\"points\":3,\"totalValue\":10}}");
	cJSON *b = cJSON_Parse("{\"killmail_id\":7,\"kill_time\":\"2026-01-01T00:00:00Z\","
	                       "\"victim\":{\"ship_type_id\":587,\"character_id\":90000001},"
	                       "\"zkb\":{\"locationID\":40000001,\"totalValue\":99}}");
	cJSON *m = enrich_kills_merge(a, b), *m2 = enrich_kills_merge(m, NULL);

	same_json(m, "{\"killmail_id\":7,\"kill_time\":\"2026-01-01T00:00:00Z\","
	          "\"victim\":{\"character_id\":90000001,\"ship_type_id\":587},"
	          "\"zkb\":{\"totalValue\":10,\"points\":3,\"locationID\":40000001}}");
	ck_assert(cJSON_Compare(m, m2, 1));
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(m);
	cJSON_Delete(m2);
}
END_TEST

START_TEST(error_text)
{
	char out[200];
	const char *fe = "{\"error\":\"Failed to fetch system kills\",\"code\":\"FETCH_ERROR\","
	                 "\"details\":{\"reason\":\"time\\nout\"},\"timestamp\":\"x\"}";

	enrich_kills_error_text(fe, strlen(fe), out, sizeof out);
	ck_assert_str_eq(out, "FETCH_ERROR: Failed to fetch system kills (time out)");
	enrich_kills_error_text("<html>502</html>", 16, out, sizeof out);
	ck_assert_str_eq(out, "");
	enrich_kills_error_text("{\"error\":\"Not Found\",\"status\":\"404\"}", 36, out, sizeof out);
	ck_assert_str_eq(out, "Not Found");
	enrich_kills_error_text(fe, strlen(fe), out, 12);
	ck_assert_int_eq(strlen(out), 11);
}
END_TEST

/* --- the field --- */

static cJSON *
system_msg(const char *kills, const char *time_member, int plain)
{
	char rec[16384], err[128] = "";
	struct fmt_options o = { plain, NULL, FMT_MAP_NAME_DEFAULT };
	enum fmt_route r;
	cJSON *j, *msg;

	snprintf(rec, sizeof rec, "{\"type\":\"system\",\"action\":\"added\","
	         "\"solar_system_id\":30000142,\"name\":\"Jita\",\"security\":\"0.9\","
	         "%s\"recent_kills\":%s,\"notify\":{\"kind\":\"system\"}}", time_member, kills);
	ck_assert_msg((j = cJSON_Parse(rec)) != NULL, "%s", rec);
	msg = format_message(j, &o, &r, err, sizeof err);
	ck_assert_msg(msg != NULL, "%s", err);
	cJSON_Delete(j);
	return msg;
}

/* the Recent Kills value, or NULL */
static const char *
recent_value(const cJSON *msg)
{
	const cJSON *f, *e = cJSON_GetArrayItem(get(msg, "embeds"), 0);

	cJSON_ArrayForEach(f, get(e, "fields"))
		if (!strcmp(json_str(f, "name"), "Recent Kills")) {
			ck_assert(cJSON_IsFalse(get(f, "inline")));
			ck_assert_ptr_eq(f->next, NULL);   /* the last field */
			return json_str(f, "value");
		}
	return NULL;
}

START_TEST(field_ages_against_record_time)
{
	static const struct { const char *kt, *want; } c[] = {
		{ "2026-03-17T18:00:00Z", "just now" }, { "2026-03-17T18:00:30Z", "just now" },
		{ "2026-03-17T17:59:00Z", "1m ago" }, { "2026-03-17T17:00:01Z", "59m ago" },
		{ "2026-03-17T17:00:00Z", "1h ago" }, { "2026-03-16T18:00:01Z", "23h ago" },
		{ "2026-03-16T18:00:00Z", "1d ago" }, { "2026-03-07T18:00:00+00:00", "10d ago" },
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		char kills[256], want[256];
		snprintf(kills, sizeof kills, "[{\"killmail_id\":5,\"kill_time\":\"%s\","
		         "\"victim\":{},\"zkb\":{\"totalValue\":999}}]", c[i].kt);
		cJSON *msg = system_msg(kills, "\"time\":\"2026-03-17T18:00:00Z\",", 0);
		snprintf(want, sizeof want, "[Unknown](https://zkillboard.com/kill/5/) (UNKN) - "
		         "Unknown Ship - 999 ISK (%s)", c[i].want);
		ck_assert_str_eq(recent_value(msg), want);
		cJSON_Delete(msg);
	}
}
END_TEST

/* Without its own time the record's kills age against the clock. */
START_TEST(field_ages_against_clock)
{
	char kills[256], ts[32];
	time_t t = time(NULL) - 2 * 3600 - 120;
	cJSON *msg;

	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	snprintf(kills, sizeof kills, "[{\"killmail_id\":5,\"kill_time\":\"%s\","
	         "\"zkb\":{\"totalValue\":1.5e6,\"solo\":true,\"points\":7}}]", ts);
	msg = system_msg(kills, "", 0);
	ck_assert_str_eq(recent_value(msg),
	                 "[1.5M ISK Solo Kill](https://zkillboard.com/kill/5/) (7 pts) (2h ago)");
	cJSON_Delete(msg);
}
END_TEST

START_TEST(field_absent_or_skipped)
{
	cJSON *msg = system_msg("[]", "", 0);
	ck_assert_ptr_null(recent_value(msg));
	cJSON_Delete(msg);
	msg = system_msg("[{\"zkb\":{}}, 5, {\"killmail_id\":0}]", "", 0);
	ck_assert_ptr_null(recent_value(msg));
	cJSON_Delete(msg);
	msg = system_msg("\"none\"", "", 0);
	ck_assert_ptr_null(recent_value(msg));
	cJSON_Delete(msg);
	/* at most three lines */
	msg = system_msg("[{\"killmail_id\":1},{\"killmail_id\":2},{\"killmail_id\":3},"
	                 "{\"killmail_id\":4}]", "", 0);
	ck_assert_str_eq(recent_value(msg),
	                 "[0 ISK Kill](https://zkillboard.com/kill/1/) (0 pts)\n"
	                 "[0 ISK Kill](https://zkillboard.com/kill/2/) (0 pts)\n"
	                 "[0 ISK Kill](https://zkillboard.com/kill/3/) (0 pts)");
	cJSON_Delete(msg);
}
END_TEST

/* Long names are cut so three lines fit in 1024 characters, counted as
 * Discord counts them (multibyte names too). */
START_TEST(field_within_discord_limit)
{
	char kills[12000], name[2400];
	size_t k = 0;
	cJSON *msg;
	const char *v;

	for (int i = 0; i < 400; i++)
		k += (size_t)snprintf(name + k, sizeof name - k, "\xC3\xA9");   /* é */
	k = (size_t)snprintf(kills, sizeof kills, "[");
	for (int i = 1; i <= 3; i++)
		k += (size_t)snprintf(kills + k, sizeof kills - k,
		    "%s{\"killmail_id\":%d,\"victim\":{\"character_name\":\"%s\","
		    "\"corporation_ticker\":\"%s\",\"corporation_id\":98000001,"
		    "\"ship_type_name\":\"%s\"},\"zkb\":{\"totalValue\":1e12}}",
		    i > 1 ? "," : "", i, name, name, name);
	snprintf(kills + k, sizeof kills - k, "]");
	msg = system_msg(kills, "", 0);
	ck_assert_ptr_nonnull(v = recent_value(msg));
	ck_assert_uint_le(fmt_units(v), EMBED_FVALUE_MAX);
	ck_assert_ptr_nonnull(strstr(v, "/kill/3/"));   /* all three, cut names */
	ck_assert_ptr_nonnull(strstr(v, " - 1000.0B ISK"));
	ck_assert_uint_le(fmt_embeds_total(msg), EMBED_TOTAL_MAX);
	cJSON_Delete(msg);
}
END_TEST

START_TEST(plain_text_lines)
{
	cJSON *msg = system_msg("[{\"killmail_id\":9,\"kill_time\":\"2026-03-17T15:00:00Z\","
	                        "\"zkb\":{\"totalValue\":2.5e9,\"awox\":true,\"points\":1,"
	                        "\"locationID\":40000001}}]",
	                        "\"time\":\"2026-03-17T18:00:00Z\",", 1);
	const char *c = json_str(msg, "content");

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(strstr(c, "\nRecent kills:\n[2.5B ISK Awox Kill]"
	                                "(https://zkillboard.com/kill/9/) in 40000001 (1 pts) (3h ago)"));
	cJSON_Delete(msg);
}
END_TEST

CHECK_MAIN("enrich_kills", list_envelope, list_other_shapes, list_malformed,
           list_order_and_duplicates, list_limits, detail_preload_shape,
           detail_other_shapes, detail_rejected, merge_fills_gaps, error_text,
           field_ages_against_record_time, field_ages_against_clock,
           field_absent_or_skipped, field_within_discord_limit, plain_text_lines)
