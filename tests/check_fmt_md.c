/* check_fmt_md.c — outside names as plain text (issue 17 item 5): the
 * escape helper itself, then hostile names through every formatter in
 * embed and plain-text mode, with our own links left working. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_parts.h"
#include "format.h"
#include "json.h"
#include "check_main.h"

#define EVIL "[x](http://evil.example/)\\n# Heading"
#define EVIL_SAFE "\\[x\\]\\(http://evil.example/\\) \\# Heading"

static char *
md(const char *s)
{
	struct buf b = {0};

	sb_add_md(&b, s);
	return buf_take(&b);
}

START_TEST(escape_rules)
{
	static const struct { const char *in, *want; } c[] = {
		{"[x](http://evil.example/)", "\\[x\\]\\(http://evil.example/\\)"},
		{"a\n# Heading", "a \\# Heading"},
		{"\r\n> quote", "  \\> quote"},
		{"**b** __u__ ~~s~~ ||sp|| `c`", "\\*\\*b\\*\\* \\_\\_u\\_\\_ \\~\\~s\\~\\~ "
		                                  "\\|\\|sp\\|\\| \\`c\\`"},
		{"back\\slash", "back\\\\slash"},
		{"- item", "\\- item"},
		{"  + item", "  \\+ item"},
		{"-# small", "\\-\\# small"},
		{"1DQ1-A", "1DQ1-A"},             /* inside a name: plain already */
		{"High-sec", "High-sec"},
		{"Plain Name", "Plain Name"},
		{"\xC3\xA9lan [", "\xC3\xA9lan \\["},
		{"", ""},
	};
	char *s;

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		ck_assert_str_eq(s = md(c[i].in), c[i].want);
		free(s);
	}
	ck_assert_ptr_null(fmt_md(NULL));
	ck_assert_str_eq(s = fmt_md("a_b"), "a\\_b");
	free(s);
}
END_TEST

/* A huge name of markdown characters stays under the builder's cap and
 * never ends in half an escape pair's worth of a character. */
START_TEST(escape_bounded)
{
	size_t n = SB_MAX;
	char *big = malloc(n + 1), *s;

	memset(big, '[', n);
	big[n] = '\0';
	s = md(big);
	ck_assert_uint_lt(strlen(s), SB_MAX);
	ck_assert_uint_eq(strlen(s) % 2, 0);
	free(s);
	free(big);
}
END_TEST

START_TEST(sb_capitalized_escapes)
{
	struct buf b = {0};
	char *s;

	sb_capitalized(&b, "evil [x](http://e/)");
	ck_assert_str_eq(s = buf_take(&b), "Evil \\[x\\]\\(http://e/\\)");
	free(s);
}
END_TEST

/* Every string in the message (content, embed texts, field values). */
static void
collect(const cJSON *j, struct buf *out)
{
	const cJSON *c;

	if (cJSON_IsString(j)) {
		sb_add(out, j->valuestring);
		sb_add(out, "\n");
	}
	cJSON_ArrayForEach(c, j)
		collect(c, out);
}

/* No live link to evil.example, no line that starts a heading, quote or
 * list, and the escaped name is there (the name was shown at all). */
static void
assert_safe(const cJSON *msg, const char *what)
{
	struct buf b = {0};
	char *all, *line, *save = NULL;

	collect(msg, &b);
	all = buf_take(&b);
	ck_assert_msg(!strstr(all, "](http://evil"), "%s: live link in %s", what, all);
	ck_assert_msg(!strstr(all, "\n# "), "%s: heading in %s", what, all);
	ck_assert_msg(strstr(all, "http://evil.example/\\)"), "%s: name not shown: %s",
	              what, all);
	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		ck_assert_msg(!strchr("#>", line[0]) || !line[0], "%s: line %s", what, line);
	free(all);
}

static cJSON *
run(const char *rec, int plain)
{
	struct fmt_options o = {plain, NULL, FMT_MAP_NAME_DEFAULT};
	char err[128] = "";
	cJSON *in = cJSON_Parse(rec), *msg;

	ck_assert_ptr_nonnull(in);
	msg = format_message(in, &o, NULL, err, sizeof err);
	ck_assert_msg(msg != NULL, "%s", err);
	cJSON_Delete(in);
	return msg;
}

static char *
body(const cJSON *msg)
{
	struct buf b = {0};

	collect(msg, &b);
	return buf_take(&b);
}

static const char kill_rec[] =
    "{\"killmail_id\":77,\"killmail_time\":\"2026-03-17T18:02:11Z\","
    "\"solar_system_id\":31001503,\"solar_system_name\":\"" EVIL "\","
    "\"victim\":{\"character_id\":91,\"character_name\":\"" EVIL "\","
    "\"corporation_id\":92,\"corporation_ticker\":\"" EVIL "\","
    "\"ship_type_id\":17738,\"ship_type_name\":\"" EVIL "\"},"
    "\"attackers\":[{\"character_id\":93,\"character_name\":\"" EVIL "\","
    "\"corporation_ticker\":\"" EVIL "\",\"ship_type_name\":\"" EVIL "\","
    "\"final_blow\":true,\"damage_done\":5},{\"character_id\":94,"
    "\"character_name\":\"Top\",\"ship_type_name\":\"" EVIL "\",\"damage_done\":9}],"
    "\"zkb\":{\"totalValue\":1e6},"
    "\"notable_items\":[{\"name\":\"" EVIL "\",\"total_value\":5}],"
    "\"notify\":{\"kind\":\"system_kill\",\"system_name\":\"" EVIL "\"}}";

START_TEST(kill_names)
{
	for (int plain = 0; plain <= 1; plain++) {
		cJSON *msg = run(kill_rec, plain);
		char *all = body(msg);
		assert_safe(msg, plain ? "kill text" : "kill embed");
		ck_assert_ptr_nonnull(strstr(all, "zkillboard.com/kill/77/"));
		if (!plain) {
			ck_assert_ptr_nonnull(strstr(all, "](https://zkillboard.com/character/91/)"));
			ck_assert_ptr_nonnull(strstr(all, "](https://zkillboard.com/corporation/92/)"));
			ck_assert_str_eq(json_str(cJSON_GetArrayItem(
			    cJSON_GetObjectItem(msg, "embeds"), 0), "url"),
			    "https://zkillboard.com/kill/77/");
		}
		free(all);
		cJSON_Delete(msg);
	}
}
END_TEST

START_TEST(system_names)
{
	static const char rec[] =
	    "{\"type\":\"system\",\"action\":\"added\",\"solar_system_id\":30000142,"
	    "\"name\":\"Ji ta" EVIL "\",\"region_name\":\"The Forge" EVIL "\","
	    "\"type_description\":\"" EVIL "\",\"security\":0.9,"
	    "\"time\":\"2026-03-17T19:00:00Z\",\"recent_kills\":[{\"killmail_id\":5,"
	    "\"kill_time\":\"2026-03-17T18:59:00Z\",\"victim\":{\"character_name\":\"" EVIL "\","
	    "\"corporation_id\":6,\"corporation_ticker\":\"" EVIL "\","
	    "\"ship_type_name\":\"" EVIL "\"}}],\"notify\":{\"kind\":\"system\"}}";
	static const char wh[] =
	    "{\"type\":\"system\",\"action\":\"added\",\"solar_system_id\":31001503,"
	    "\"name\":\"J155416\",\"system_class\":4,\"class_title\":\"" EVIL "\","
	    "\"effect_name\":\"" EVIL "\",\"statics\":[\"" EVIL "\"],"
	    "\"region_name\":\"" EVIL "\",\"notify\":{\"kind\":\"system\"}}";

	for (int plain = 0; plain <= 1; plain++) {
		cJSON *msg = run(rec, plain);
		char *all = body(msg);
		assert_safe(msg, plain ? "system text" : "system embed");
		/* our Dotlan links keep the raw name in the URL */
		ck_assert_ptr_nonnull(strstr(all, plain ? "https://evemaps.dotlan.net/system/Ji_ta%5Bx%5D%28http%3A%2F%2Fevil.example%2F%29%0A%23_Heading"
		                                        : "](https://evemaps.dotlan.net/system/Ji_ta%5Bx%5D%28http%3A%2F%2Fevil.example%2F%29%0A%23_Heading)"));
		if (!plain)
			ck_assert_ptr_nonnull(strstr(all, "](https://zkillboard.com/kill/5/)"));
		free(all);
		cJSON_Delete(msg);
		msg = run(wh, plain);
		assert_safe(msg, plain ? "wormhole text" : "wormhole embed");
		cJSON_Delete(msg);
	}
}
END_TEST

START_TEST(character_and_rally_names)
{
	static const char chr[] =
	    "{\"type\":\"character\",\"action\":\"added\",\"character_id\":2123456790,"
	    "\"name\":\"" EVIL "\",\"corporation_id\":98000002,\"corporation_ticker\":\"" EVIL "\","
	    "\"alliance_id\":99000001,\"alliance_ticker\":\"" EVIL "\","
	    "\"notify\":{\"kind\":\"character\"}}";
	static const char rally[] =
	    "{\"type\":\"rally_point\",\"action\":\"added\",\"rally_point_id\":\"" EVIL "\","
	    "\"system_name\":\"" EVIL "\",\"character_name\":\"" EVIL "\","
	    "\"message\":\"" EVIL "\",\"corporation_name\":\"" EVIL "\","
	    "\"alliance_name\":\"" EVIL "\",\"notify\":{\"kind\":\"rally_point\"}}";

	for (int plain = 0; plain <= 1; plain++) {
		cJSON *msg = run(chr, plain);
		char *all = body(msg);
		assert_safe(msg, plain ? "character text" : "character embed");
		ck_assert_ptr_nonnull(strstr(all, plain ? "https://zkillboard.com/character/2123456790/"
		                                        : "](https://zkillboard.com/character/2123456790/)"));
		if (!plain)
			ck_assert_ptr_nonnull(strstr(all, "](https://zkillboard.com/alliance/99000001/)"));
		free(all);
		cJSON_Delete(msg);
		msg = run(rally, plain);
		assert_safe(msg, plain ? "rally text" : "rally embed");
		cJSON_Delete(msg);
	}
}
END_TEST

CHECK_MAIN("fmt_md", escape_rules, escape_bounded, sb_capitalized_escapes,
           kill_names, system_names, character_and_rally_names)
