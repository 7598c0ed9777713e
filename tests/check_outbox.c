/* check_outbox.c — the key a record is known by in the outbox (spool,
 * delivered log, nonce): stable, and never holding a space or newline. */
#include <check.h>
#include <string.h>

#include "json.h"
#include "outbox.h"
#include "check_main.h"

static void
key_of(const char *json, const char *want)
{
	char err[64], key[256];
	cJSON *j = json_parse(json, strlen(json), err, sizeof err);

	ck_assert_ptr_nonnull(j);
	outbox_record_key(j, key, sizeof key);
	ck_assert_str_eq(key, want);
	cJSON_Delete(j);
}

START_TEST(record_keys)
{
	key_of("{\"type\":\"killmail\",\"killmail_id\":130000001}", "killmail:130000001");
	key_of("{\"type\":\"killmail\",\"killmail_id\":\"130000001\"}", "killmail:130000001");
	key_of("{\"type\":\"system\",\"action\":\"added\",\"solar_system_id\":31002229,"
	       "\"event_id\":\"01KKYKWFSA7QZCH0DW95C2F54H\"}", "system:event:01KKYKWFSA7QZCH0DW95C2F54H");
	key_of("{\"type\":\"system\",\"action\":\"removed\",\"solar_system_id\":31002229,"
	       "\"event_id\":null,\"time\":\"2026-03-17T19:24:51Z\"}",
	       "system:removed:31002229:2026-03-17T19:24:51Z");
	key_of("{\"type\":\"rally_point\",\"action\":\"added\",\"rally_point_id\":\"9f8e-7d\","
	       "\"solar_system_id\":31001503,\"created_at\":\"2026-03-17T19:00:00Z\"}",
	       "rally_point:added:31001503:9f8e-7d:2026-03-17T19:00:00Z");
	/* nothing from the record can put a space or newline into the key */
	key_of("{\"type\":\"x y\\n\",\"event_id\":\"a b\\nc\"}", "xy:event:abc");
}
END_TEST

CHECK_MAIN("outbox", record_keys)
