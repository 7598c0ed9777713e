/* check_enrich_items.c — notable items, the pure parts: dropped items of a
 * killmail (containers and quantity_dropped 0 ignored, one entry per
 * type), the selection rule (abyssal, threshold equality, order, limit),
 * the record member, and Janice's request body and answer (malformed
 * and truncated answers included). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "janice.h"
#include "json.h"
#include "log.h"
#include "enrich_items.h"
#include "check_main.h"

static cJSON *
parse(const char *s)
{
	char err[128];
	cJSON *j = json_parse(s, strlen(s), err, sizeof err);

	ck_assert_msg(j != NULL, "%s", err);
	return j;
}

static struct enrich_items_entry
item(int64_t type, const char *name, long long qty, double price)
{
	struct enrich_items_entry it;

	memset(&it, 0, sizeof it);
	it.type_id = type;
	it.quantity = qty;
	it.unit_price = price;
	snprintf(it.name, sizeof it.name, "%s", name);
	return it;
}

START_TEST(dropped_top_level_only)
{
	cJSON *rec = parse("{\"victim\":{\"items\":["
	    "{\"item_type_id\":100,\"quantity_dropped\":2,\"flag\":27},"
	    "{\"item_type_id\":200,\"quantity_destroyed\":5},"
	    "{\"item_type_id\":300,\"quantity_dropped\":0,\"quantity_destroyed\":1},"
	    "{\"item_type_id\":400,\"quantity_dropped\":1,\"items\":["
	    "  {\"item_type_id\":500,\"quantity_dropped\":7}]},"
	    "{\"item_type_id\":100,\"quantity_dropped\":3,\"flag\":5},"
	    "{\"item_type_id\":600,\"quantity_dropped\":-4},"
	    "{\"item_type_id\":0,\"quantity_dropped\":4},"
	    "{\"quantity_dropped\":4},"
	    "{\"item_type_id\":700,\"quantity_dropped\":\"x\"},"
	    "17, null]}}");
	struct enrich_items_entry out[8];
	size_t n = enrich_items_dropped(rec, out, 8);

	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(out[0].type_id, 100);
	ck_assert_int_eq(out[0].quantity, 5);      /* two slots, one entry */
	ck_assert_int_eq(out[1].type_id, 400);     /* the container; not what is in it */
	ck_assert_int_eq(out[1].quantity, 1);
	ck_assert(out[0].unit_price < 0 && out[0].name[0] == '\0');
	cJSON_Delete(rec);
}
END_TEST

START_TEST(dropped_bounded)
{
	cJSON *rec = parse("{\"victim\":{\"items\":["
	    "{\"item_type_id\":1,\"quantity_dropped\":1},{\"item_type_id\":2,\"quantity_dropped\":1},"
	    "{\"item_type_id\":3,\"quantity_dropped\":1},{\"item_type_id\":1,\"quantity_dropped\":9}]}}");
	struct enrich_items_entry out[2];

	ck_assert_uint_eq(enrich_items_dropped(rec, out, 2), 2);
	ck_assert_int_eq(out[0].quantity, 10);     /* still added up past the bound */
	ck_assert_int_eq(out[1].type_id, 2);
	cJSON_Delete(rec);
	rec = parse("{\"victim\":{\"ship_type_id\":587}}");
	ck_assert_uint_eq(enrich_items_dropped(rec, out, 2), 0);
	cJSON_Delete(rec);
	rec = parse("{\"victim\":{\"items\":{\"item_type_id\":1}}}");
	ck_assert_uint_eq(enrich_items_dropped(rec, out, 2), 0);
	cJSON_Delete(rec);
	ck_assert_uint_eq(enrich_items_dropped(NULL, out, 2), 0);
}
END_TEST

START_TEST(body_reference)
{
	static const char h[] = "5f6e8a2a0d1a4c7e9b3c2d1e0f9a8b7c6d5e4f3a";
	char buf[300], hash[41];
	int64_t id = 0;
	cJSON *rec;

	snprintf(buf, sizeof buf, "{\"killmail_id\":42,\"killmail_hash\":\"%s\",\"victim\":{}}", h);
	rec = parse(buf);
	ck_assert_int_eq(enrich_items_body_ref(rec, &id, hash), 1);
	ck_assert_int_eq(id, 42);
	ck_assert_str_eq(hash, h);
	cJSON_Delete(rec);
	/* zkb.hash when killmail_hash is absent */
	snprintf(buf, sizeof buf, "{\"killmail_id\":43,\"zkb\":{\"hash\":\"%s\"},\"victim\":{}}", h);
	rec = parse(buf);
	ck_assert_int_eq(enrich_items_body_ref(rec, &id, hash), 1);
	ck_assert_int_eq(id, 43);
	cJSON_Delete(rec);
	/* items already there, even none: nothing to fetch */
	snprintf(buf, sizeof buf, "{\"killmail_id\":42,\"killmail_hash\":\"%s\","
	         "\"victim\":{\"items\":[]}}", h);
	rec = parse(buf);
	ck_assert_int_eq(enrich_items_body_ref(rec, &id, hash), 0);
	cJSON_Delete(rec);
	/* a hash that is not 40 hex digits never goes into a URL */
	rec = parse("{\"killmail_id\":42,\"killmail_hash\":\"../../x\",\"victim\":{}}");
	ck_assert_int_eq(enrich_items_body_ref(rec, &id, hash), 0);
	cJSON_Delete(rec);
	snprintf(buf, sizeof buf, "{\"killmail_hash\":\"%s\",\"victim\":{}}", h);
	rec = parse(buf);
	ck_assert_int_eq(enrich_items_body_ref(rec, &id, hash), 0);   /* no id */
	cJSON_Delete(rec);
}
END_TEST

START_TEST(abyssal_names)
{
	ck_assert(enrich_items_is_abyssal("Abyssal Warp Disruptor"));
	ck_assert(enrich_items_is_abyssal("ABYSSAL 10MN Afterburner"));
	ck_assert(enrich_items_is_abyssal("Mutated abyssal thing"));
	ck_assert(enrich_items_is_abyssal("Abyssabyssal"));
	ck_assert(!enrich_items_is_abyssal("Abyss Warp Disruptor"));
	ck_assert(!enrich_items_is_abyssal("Gist X-Type 100MN Afterburner"));
	ck_assert(!enrich_items_is_abyssal(""));
	ck_assert(!enrich_items_is_abyssal(NULL));
}
END_TEST

START_TEST(selection_rule)
{
	struct enrich_items_entry it[8];
	size_t n;

	it[0] = item(1, "At Threshold", 1, 50e6);          /* == threshold: notable, not shown */
	it[1] = item(2, "Stack", 10, 6e6);                  /* 60M total: shown */
	it[2] = item(3, "Abyssal Cheap", 1, 1e6);           /* notable, dropped at "shown" */
	it[3] = item(4, "Abyssal Warp Disruptor", 1, 5e8);  /* shown */
	it[4] = item(5, "Unpriced", 1, -1);
	it[5] = item(6, "", 1, 9e9);                        /* unnamed */
	it[6] = item(7, "Just Above", 1, 50000000.01);
	it[7] = item(8, "Cheap", 100, 1000);
	n = enrich_items_select(it, 8, 50e6, 5);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(it[0].type_id, 4);
	ck_assert_int_eq(it[1].type_id, 2);
	ck_assert_int_eq(it[2].type_id, 7);
	ck_assert(it[1].total == 60e6);
}
END_TEST

START_TEST(selection_order_and_limit)
{
	struct enrich_items_entry it[4];

	it[0] = item(30, "C", 1, 2e8);
	it[1] = item(10, "A", 2, 1e8);     /* same total as C: lower type id first */
	it[2] = item(20, "B", 1, 9e8);
	it[3] = item(40, "D", 1, 3e8);
	ck_assert_uint_eq(enrich_items_select(it, 4, 50e6, 2), 2);
	ck_assert_int_eq(it[0].type_id, 20);
	ck_assert_int_eq(it[1].type_id, 40);
	it[0] = item(30, "C", 1, 2e8);
	it[1] = item(10, "A", 2, 1e8);
	ck_assert_uint_eq(enrich_items_select(it, 2, 50e6, 5), 2);
	ck_assert_int_eq(it[0].type_id, 10);
	ck_assert_int_eq(it[1].type_id, 30);
	it[0] = item(30, "C", 1, 2e8);
	ck_assert_uint_eq(enrich_items_select(it, 1, 50e6, 0), 0);
	/* threshold 0: anything worth more than nothing */
	it[0] = item(1, "Free", 1, 0);
	it[1] = item(2, "Penny", 1, 0.01);
	ck_assert_uint_eq(enrich_items_select(it, 2, 0, 5), 1);
	ck_assert_int_eq(it[0].type_id, 2);
}
END_TEST

START_TEST(attach_member)
{
	cJSON *rec = parse("{\"type\":\"killmail\",\"notable_items\":[1]}");
	struct enrich_items_entry it[2];
	char *s;

	it[0] = item(47740, "Abyssal \"Warp\" Disruptor", 1, 612340000.5);
	it[1] = item(2048, "Damage Control II", 3, 2e7);
	enrich_items_select(it, 2, 1e6, 5);
	enrich_items_attach(rec, it, 2);
	s = json_print(rec);
	ck_assert_str_eq(s, "{\"type\":\"killmail\",\"notable_items\":["
	    "{\"type_id\":47740,\"name\":\"Abyssal \\\"Warp\\\" Disruptor\",\"quantity\":1,"
	    "\"unit_price\":612340000.5,\"total_value\":612340000.5},"
	    "{\"type_id\":2048,\"name\":\"Damage Control II\",\"quantity\":3,"
	    "\"unit_price\":20000000,\"total_value\":60000000}]}");
	free(s);
	enrich_items_attach(rec, it, 0);
	s = json_print(rec);
	ck_assert_str_eq(s, "{\"type\":\"killmail\"}");
	free(s);
	cJSON_Delete(rec);
}
END_TEST

START_TEST(janice_request_body)
{
	struct janice_line l[3] = {
		{ .type_id = 1, .name = "Tritanium", .quantity = 1000 },
		{ .type_id = 2, .name = "Evil\nName\tHere", .quantity = 1 },
		{ .type_id = 3, .name = "Abyssal Warp Disruptor", .quantity = 2 },
	};
	size_t len;
	char *b = janice_body(l, 3, &len);

	ck_assert_str_eq(b, "Tritanium 1000\nEvil Name Here 1\nAbyssal Warp Disruptor 2\n");
	ck_assert_uint_eq(len, strlen(b));
	free(b);
	b = janice_body(l, 0, &len);
	ck_assert_str_eq(b, "");
	ck_assert_uint_eq(len, 0);
	free(b);
}
END_TEST

/* The shape of a real v2 appraisal answer, trimmed to two items. */
static const char answer[] =
    "{\"id\":81234567,\"created\":\"2026-11-29T05:00:00Z\",\"code\":\"aBcDeFg\","
    "\"designation\":100,\"pricing\":200,\"pricingVariant\":100,\"pricePercentage\":1,"
    "\"isCompactized\":true,\"failures\":\"Nonsense Item 1\","
    "\"market\":{\"id\":2,\"name\":\"Jita 4-4\"},"
    "\"immediatePrices\":{\"totalBuyPrice\":612340000.5,\"totalSellPrice\":7e8},"
    "\"items\":["
    "{\"id\":1,\"amount\":1,\"buyOrderCount\":4,"
    " \"effectivePrices\":{\"buyPrice\":1,\"buyPriceTotal\":1},"
    " \"immediatePrices\":{\"buyPrice\":612340000.5,\"buyPriceTotal\":612340000.5,"
    "   \"sellPrice\":7e8},"
    " \"itemType\":{\"eid\":47740,\"name\":\"Abyssal Warp Disruptor\",\"volume\":5,"
    "   \"packagedVolume\":5}},"
    "{\"id\":2,\"amount\":1000,"
    " \"immediatePrices\":{\"buyPrice\":4.01,\"buyPriceTotal\":4010},"
    " \"itemType\":{\"name\":\"TRITANIUM\",\"volume\":0.01}},"
    "{\"id\":3,\"amount\":1,\"immediatePrices\":{\"buyPrice\":-3},"
    " \"itemType\":{\"eid\":9,\"name\":\"Negative\"}},"
    "{\"id\":4,\"amount\":1,\"immediatePrices\":{},\"itemType\":{\"eid\":8}},"
    "7]}";

static void
lines_init(struct janice_line *l)
{
	static const struct janice_line init[5] = {
		{ 47740, "Abyssal Warp Disruptor", 1, -1 }, { 34, "Tritanium", 1000, -1 },
		{ 9, "Negative", 1, -1 }, { 8, "No Price", 1, -1 }, { 77, "Nonsense Item", 1, -1 },
	};
	memcpy(l, init, sizeof init);
}

START_TEST(janice_answer)
{
	struct janice_line l[5];
	char err[128];

	lines_init(l);
	ck_assert_int_eq(janice_parse(answer, strlen(answer), l, 5, err, sizeof err), 2);
	ck_assert(l[0].unit_price == 612340000.5);     /* by eid */
	ck_assert(l[1].unit_price == 4.01);            /* no eid: by name, any case */
	ck_assert(l[2].unit_price < 0);                /* a negative price is no price */
	ck_assert(l[3].unit_price < 0);
	ck_assert(l[4].unit_price < 0);                /* in failures */
	lines_init(l);
	ck_assert_int_eq(janice_parse("{\"items\":[],\"failures\":\"\"}", 26, l, 5, err,
	                              sizeof err), 0);
}
END_TEST

START_TEST(janice_answer_malformed)
{
	static const char *const bad[] = {
		"", "not json", "[]", "{\"items\":{}}", "{\"code\":\"x\"}", "{\"items\":[}",
		"null", "{\"items\":null}",
	};
	struct janice_line l[5];
	char err[128];
	size_t len = strlen(answer);

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		lines_init(l);
		err[0] = '\0';
		ck_assert_int_eq(janice_parse(bad[i], strlen(bad[i]), l, 5, err, sizeof err), -1);
		ck_assert_msg(err[0] != '\0', "no reason for %s", bad[i]);
		ck_assert(l[0].unit_price < 0);
	}
	/* an answer cut short at any byte is not an answer */
	for (size_t cut = 0; cut < len; cut++) {
		lines_init(l);
		ck_assert_int_eq(janice_parse(answer, cut, l, 5, err, sizeof err), -1);
	}
}
END_TEST

START_TEST(retry_after_values)
{
	ck_assert(janice_retry_after("3", 1) == 3);
	ck_assert(janice_retry_after("1.5", 1) == 1.5);
	ck_assert(janice_retry_after(NULL, 1) == 1);
	ck_assert(janice_retry_after("", 2) == 2);
	ck_assert(janice_retry_after("soon", 2) == 2);
	ck_assert(janice_retry_after("Sun, 29 Nov 2026 05:00:00 GMT", 2) == 2);
	ck_assert(janice_retry_after("-5", 1) == 0);
	ck_assert(janice_retry_after("99999", 1) == 3600);
}
END_TEST

/* The Janice key: redacted as a registered secret, and in its header
 * even when it was never registered (too short to register). */
START_TEST(key_redacted)
{
	char buf[256];

	log_add_secret("jan-key-123456789");
	snprintf(buf, sizeof buf, "POST failed: jan-key-123456789 refused");
	log_redact(buf, sizeof buf);
	ck_assert_str_eq(buf, "POST failed: [redacted] refused");
	snprintf(buf, sizeof buf, "sent X-ApiKey: k1\r\nContent-Type: text/plain");
	log_redact(buf, sizeof buf);
	ck_assert_str_eq(buf, "sent X-ApiKey: [redacted]\r\nContent-Type: text/plain");
}
END_TEST

CHECK_MAIN("enrich_items", dropped_top_level_only, dropped_bounded, body_reference,
           abyssal_names, selection_rule, selection_order_and_limit, attach_member,
           janice_request_body, janice_answer, janice_answer_malformed,
           retry_after_values, key_redacted)
