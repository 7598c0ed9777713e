/* check_wntime.c — ISO 8601 and HTTP dates: the one parser's rules, the
 * calendar arithmetic against known dates, and round trips. */
#include <check.h>
#include <string.h>

#include "wntime.h"
#include "check_main.h"

static int64_t
iso(const char *s, unsigned flags)
{
	int64_t t = 12345;

	if (wntime_iso_parse_str(s, flags, &t) < 0)
		return -1;
	return t;
}

START_TEST(calendar)
{
	int64_t y;
	int m, d;

	ck_assert_int_eq(wntime_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(wntime_days_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(wntime_days_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(wntime_days_from_civil(1, 1, 1), -719162);
	/* every day from 1600 to 2400 goes there and back */
	for (int64_t z = wntime_days_from_civil(1600, 1, 1); z < wntime_days_from_civil(2400, 1, 1); z++) {
		wntime_civil_from_days(z, &y, &m, &d);
		ck_assert_int_eq(wntime_days_from_civil(y, m, d), z);
		ck_assert(d >= 1 && d <= wntime_month_days(y, m));
	}
	ck_assert_int_eq(wntime_month_days(2024, 2), 29);
	ck_assert_int_eq(wntime_month_days(2100, 2), 28);
	ck_assert_int_eq(wntime_month_days(2000, 2), 29);
	ck_assert_int_eq(wntime_month_days(2026, 4), 30);
	ck_assert_int_eq(wntime_month_days(2026, 13), 0);
}
END_TEST

START_TEST(iso_accepted)
{
	ck_assert_int_eq(iso("1970-01-01T00:00:00Z", 0), 0);
	ck_assert_int_eq(iso("2026-03-17T18:02:11Z", 0), 1773770531);
	ck_assert_int_eq(iso("2026-03-17T18:02:11.999999Z", 0), 1773770531);
	ck_assert_int_eq(iso("2026-03-17T18:02:11,5Z", 0), 1773770531);
	ck_assert_int_eq(iso("2026-03-17T20:02:11+02:00", 0), 1773770531);
	ck_assert_int_eq(iso("2026-03-17T13:02:11-0500", 0), 1773770531);
	ck_assert_int_eq(iso("2026-03-17 18:02:11", 0), 1773770531);
	ck_assert_int_eq(iso("2026-03-17t18:02:11z", 0), 1773770531);
	ck_assert_int_eq(iso("2000-02-29T00:00:00Z", 0), 951782400);
	ck_assert_int_eq(iso("2016-12-31T23:59:60Z", 0), 1483228800);	/* leap second */
	ck_assert_int_eq(iso("1969-12-31T23:59:58Z", 0), -2);	/* before the epoch */
	/* the length bounds the text: what follows is not read */
	int64_t t;
	ck_assert_int_eq(wntime_iso_parse("2026-03-17T18:02:11Zjunk", 20, 0, &t), 0);
	ck_assert_int_eq(t, 1773770531);
}
END_TEST

START_TEST(iso_rejected)
{
	static const char *const bad[] = {
		"", "yesterday", "2026-03-17", "2026-03-17T18:02", "2026-03-17T18:02Z",
		"2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z", "2026-03-00T00:00:00Z", "2026-11-01T24:00:00Z",
		"2026-11-01T23:60:00Z", "2026-11-01T23:19:61Z", "2026-11-01T23:19:06.Z",
		"2026-11-01T23:19:06Zjunk", "2026-11-01T23:19:06+2", "2026-11-01T23:19:06+24:00",
		"2026-11-01T23:19:06+02:60", "2026/11/01T23:19:06Z", "2026-11-01X23:19:06Z",
		"2026-03-17T18:02:11Q", " 2026-03-17T18:02:11Z", "+026-03-17T18:02:11Z",
	};
	int64_t t = 7;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(wntime_iso_parse_str(bad[i], 0, &t) < 0, "%s", bad[i]);
		ck_assert_int_eq(t, 7);
	}
	ck_assert_int_eq(wntime_iso_parse_str(NULL, 0, &t), -1);
	ck_assert_int_eq(wntime_iso_parse("2026-03-17T18:02:11Z", 19, WNTIME_NEED_ZONE, &t), -1);
	ck_assert_int_eq(iso("2026-03-17T18:02:11", WNTIME_NEED_ZONE), -1);
	ck_assert_int_eq(iso("2026-03-17T18:02:11Z", WNTIME_NEED_ZONE), 1773770531);
}
END_TEST

START_TEST(iso_format)
{
	char b[WNTIME_ISO_LEN + 1];
	int64_t t;

	ck_assert_int_eq(wntime_iso_format(0, b), 0);
	ck_assert_str_eq(b, "1970-01-01T00:00:00Z");
	ck_assert_int_eq(wntime_iso_format(1773770531, b), 0);
	ck_assert_str_eq(b, "2026-03-17T18:02:11Z");
	ck_assert_int_eq(wntime_iso_format(-1, b), 0);
	ck_assert_str_eq(b, "1969-12-31T23:59:59Z");
	ck_assert_int_eq(wntime_iso_format(-62135596800LL, b), 0);
	ck_assert_str_eq(b, "0001-01-01T00:00:00Z");
	ck_assert_int_eq(wntime_iso_format(253402300799LL, b), 0);
	ck_assert_str_eq(b, "9999-12-31T23:59:59Z");
	ck_assert_int_eq(wntime_iso_format(253402300800LL, b), -1);
	ck_assert_str_eq(b, "");
	ck_assert_int_eq(wntime_iso_format(-62135596801LL, b), -1);
	/* round trips, a day apart and a prime number of seconds apart */
	for (int64_t s = -62135596800LL; s < 86400LL * 2900000; s += 86400 * 997 + 7919) {
		ck_assert_int_eq(wntime_iso_format(s, b), 0);
		ck_assert_int_eq(wntime_iso_parse_str(b, WNTIME_NEED_ZONE, &t), 0);
		ck_assert_int_eq(t, s);
	}
}
END_TEST

START_TEST(http_dates)
{
	char b[WNTIME_HTTP_LEN + 1];

	ck_assert_int_eq(wntime_http_parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
	ck_assert_int_eq(wntime_http_parse("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
	ck_assert_int_eq(wntime_http_parse("Sun, 29 Nov 2026 03:30:04 GMT"), 1795923004);
	ck_assert_int_eq(wntime_http_parse("Tue, 29 Feb 2028 12:00:00 GMT"), 1835438400);
	ck_assert_int_eq(wntime_http_parse("Sun, 06 Nov 1994 08:49:37 UTC"), -1);
	ck_assert_int_eq(wntime_http_parse("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
	ck_assert_int_eq(wntime_http_parse("Sun, 06 Nov 1994 25:49:37 GMT"), -1);
	ck_assert_int_eq(wntime_http_parse("Wed, 29 Feb 2027 12:00:00 GMT"), -1);
	ck_assert_int_eq(wntime_http_parse("Sun, 06 Nov 1994 08:49:37 GMT junk"), -1);
	ck_assert_int_eq(wntime_http_parse("Wed, 31 Dec 1969 23:59:59 GMT"), -1);
	ck_assert_int_eq(wntime_http_parse("06 Nov 1994"), -1);
	ck_assert_int_eq(wntime_http_parse(""), -1);
	ck_assert_int_eq(wntime_http_parse(NULL), -1);
	ck_assert_int_eq(wntime_http_format(784111777, b), 0);
	ck_assert_str_eq(b, "Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_int_eq(wntime_http_format(0, b), 0);
	ck_assert_str_eq(b, "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_int_eq(wntime_http_format(1835438400, b), 0);
	ck_assert_str_eq(b, "Tue, 29 Feb 2028 12:00:00 GMT");
	ck_assert_int_eq(wntime_http_format(-1, b), -1);
	for (int64_t s = 0; s < 86400LL * 2900000; s += 86400 * 331 + 4099) {
		ck_assert_int_eq(wntime_http_format(s, b), 0);
		ck_assert_int_eq(wntime_http_parse(b), s);
	}
}
END_TEST

CHECK_MAIN("wntime", calendar, iso_accepted, iso_rejected, iso_format, http_dates)
