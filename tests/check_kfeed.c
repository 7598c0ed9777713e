/* check_kfeed.c — what the WandererKills session does with a message
 * (kfeed_message): the callers get killmail objects only. */
#include <check.h>
#include <string.h>

#include "idset.h"
#include "kfeed.h"
#include "log.h"
#include "check_main.h"

static int kills, ids;

static int room(void *ud) { (void)ud; return 1; }
static int hours(void *ud) { (void)ud; return 1; }

static void
kill(void *ud, cJSON *km)
{
	(void)ud;
	ck_assert(cJSON_IsObject(km));
	kills++;
	ids += (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(km, "killmail_id"));
	cJSON_Delete(km);
}

/* Campaign finding 23: "killmails":[5499] handed a number to the caller
 * as a kill.  A non-object is skipped, the objects around it still go. */
START_TEST(only_objects_reach_the_caller)
{
	static const struct kfeed_ops ops = { room, kill, hours };
	static const char msg[] = "[\"1\",null,\"killmails:lobby\",\"killmail_update\","
	    "{\"system_id\":30000142,\"killmails\":[5499,{\"killmail_id\":7},\"x\",[],{\"killmail_id\":8}]}]";
	struct idset sys, chr;
	struct phx_url url;
	struct kfeed f;
	char err[128];

	log_init("wn-kills");
	idset_init(&sys);
	idset_init(&chr);
	idset_parse(&sys, "30000142");
	ck_assert_int_eq(phx_url_parse("ws://127.0.0.1:4004/socket/websocket", &url, err, sizeof err), 0);
	kfeed_init(&f, &url, 30000, 1000, 60000, 1 << 20, &ops, NULL, &sys, &chr);
	phx_reset(&f.phx, 1773775000000);
	kfeed_message(&f, 1, msg, strlen(msg), 1773775000000);
	ck_assert_int_eq(kills, 2);
	ck_assert_int_eq(ids, 15);
	kfeed_close(&f);
	idset_free(&sys);
	idset_free(&chr);
}
END_TEST

CHECK_MAIN("kfeed", only_objects_reach_the_caller)
