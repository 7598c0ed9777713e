/* check_filter_record.c — one line through wn-filter's decision stage:
 * a canonical kill passes with its bytes kept and notify spliced in
 * before the final '}', a repeat is counted as a duplicate, an old notify
 * is replaced, an ESI-shaped kill comes out canonical, an untracked one
 * is counted, other map events pass nothing, and a broken line is bad. */
#include <check.h>
#include <string.h>

#include "filter_record.h"
#include "idset.h"
#include "check_main.h"

#define KILL "{\"type\":\"killmail\",\"killmail_id\":%d,\"killmail_time\":" \
	"\"2026-03-17T18:02:11Z\",\"solar_system_id\":%d,\"victim\":{\"character_id\":5," \
	"\"ship_type_id\":587},\"attackers\":[],\"zkb\":{\"totalValue\":1000000%s}"

static struct filter F;
static struct filter_record R;
static struct idset SYS, CHR;

static void
setup(void)
{
	filter_init(&F);
	idset_init(&SYS);
	idset_init(&CHR);
	ck_assert_int_eq(idset_parse(&SYS, "31001503"), 0);
	F.systems = &SYS;
	F.characters = &CHR;
	F.c.suppress = 0;
	F.c.max_age = 0;
	filter_record_init(&R, &F);
}

static void
teardown(void)
{
	filter_record_free(&R);
	filter_free(&F);
	idset_free(&SYS);
	idset_free(&CHR);
}

static int
line(const char *text, char *err, size_t errlen)
{
	return filter_record(&R, text, strlen(text), 1773770600, 100, err, errlen);
}

START_TEST(splice_duplicate_and_drops)
{
	char in[1024], want[1200], err[256];

	setup();
	snprintf(in, sizeof in, KILL "}", 1, 31001503, "");
	ck_assert_int_eq(line(in, err, sizeof err), 1);
	/* the input's bytes, then the notify object, then the '}' */
	snprintf(want, sizeof want, "%.*s,\"notify\":{", (int)strlen(in) - 1, in);
	ck_assert_int_eq(strncmp(R.out.p, want, strlen(want)), 0);
	ck_assert_int_eq(R.out.p[R.out.len - 1], '}');
	ck_assert_ptr_nonnull(strstr(R.out.p, "\"kind\":\"system_kill\""));
	ck_assert_int_eq(line(in, err, sizeof err), 0);
	ck_assert_int_eq(R.drops[DROP_DUPLICATE], 1);
	snprintf(in, sizeof in, KILL "}", 2, 30000142, "");
	ck_assert_int_eq(line(in, err, sizeof err), 0);
	ck_assert_int_eq(R.drops[DROP_UNTRACKED], 1);
	ck_assert_int_eq(line("{\"type\":\"map_changed\"}", err, sizeof err), 0);
	ck_assert_int_eq(R.k.type, REC_OTHER);
	ck_assert_int_eq(line("{\"type\":\"killmail\", broken", err, sizeof err), -1);
	ck_assert_str_ne(err, "");
	teardown();
}
END_TEST

START_TEST(old_notify_is_replaced)
{
	char in[1024], err[256];

	setup();
	snprintf(in, sizeof in, KILL ",\"notify\":{\"kind\":\"stale\"}}", 3, 31001503, "");
	ck_assert_int_eq(line(in, err, sizeof err), 1);
	ck_assert_ptr_null(strstr(R.out.p, "stale"));
	ck_assert_ptr_nonnull(strstr(R.out.p, "\"kind\":\"system_kill\""));
	ck_assert_ptr_null(strstr(strstr(R.out.p, "\"notify\"") + 1, "\"notify\""));   /* one */
	teardown();
}
END_TEST

CHECK_MAIN("filter_record", splice_duplicate_and_drops, old_notify_is_replaced)
