/* check_wsconn.c — the pure parts of the shared WebSocket connection:
 * the backoff bounds, and which phase a connect deadline names. */
#include <check.h>
#include <stdlib.h>

#include "wsconn.h"
#include "check_main.h"

/* Doubling up to max, at most 30 % jitter on top, never past max. */
START_TEST(backoff_bounds)
{
	srand(7);
	for (int n = 0; n < 40; n++)
		for (int i = 0; i < 50; i++) {
			long long d = wsconn_backoff(1000, 60000, n), lo = 1000;

			for (int k = 0; k < n && lo < 60000; k++)
				lo *= 2;
			if (lo > 60000)
				lo = 60000;
			ck_assert_int_ge(d, lo);
			ck_assert_int_le(d, lo + lo * 3 / 10);
			ck_assert_int_le(d, 60000);
		}
	ck_assert_int_eq(wsconn_backoff(60000, 60000, 0), 60000);
}
END_TEST

/* The log line names the phase that ran out; none while down or with
 * no deadline (the gateway sets none). */
START_TEST(expired_names_the_phase)
{
	struct wsconn c;

	wsconn_init(&c, 1024, NULL, NULL, NULL);
	c.deadline = 5000;
	ck_assert_ptr_null(wsconn_expired(&c, 6000));          /* down */
	c.conn = WSC_CONNECTING;
	ck_assert_ptr_null(wsconn_expired(&c, 4999));
	ck_assert_str_eq(wsconn_expired(&c, 5000), "connect timed out");
	c.url.tls = 1;
	ck_assert_str_eq(wsconn_expired(&c, 5000), "connect or TLS handshake timed out");
	ck_assert_int_eq(wsconn_wait_ms(&c, 4500), 500);
	ck_assert_int_eq(wsconn_wait_ms(&c, 1000), 1000);
	c.deadline = 0;
	ck_assert_ptr_null(wsconn_expired(&c, 1 << 30));
	ck_assert_int_eq(wsconn_wait_ms(&c, 4500), 1000);
}
END_TEST

CHECK_MAIN("wsconn", backoff_bounds, expired_names_the_phase)
