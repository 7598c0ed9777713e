/* check_http.c — the HTTP client against a scripted loopback peer: header
 * lookup, keep-alive (two requests, one connection), body bound, network
 * errors, and URLs made safe to log. */
#include <check.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "check_main.h"

static const char reply[] =
	"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	"X-RateLimit-Remaining:  4 \r\nContent-Length: 11\r\n\r\n{\"ok\":true}";

/* Serve `n` requests on one accepted connection, then report how many
 * connections it saw through the exit status. */
static pid_t
serve(int *port, int requests)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	pid_t pid;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(s, 4), 0);
	getsockname(s, (struct sockaddr *)&a, &alen);
	*port = ntohs(a.sin_port);
	if ((pid = fork()) != 0) {
		close(s);
		return pid;
	}
	int conns = 0, c = -1;
	char buf[8192];
	for (int i = 0; i < requests; i++) {
		ssize_t r = c >= 0 ? read(c, buf, sizeof buf) : 0;
		if (r <= 0) {
			if (c >= 0)
				close(c);
			c = accept(s, NULL, NULL);
			conns++;
			r = read(c, buf, sizeof buf);
		}
		if (write(c, reply, sizeof reply - 1) < 0)
			_exit(100);
	}
	_exit(conns);
}

START_TEST(keepalive_and_headers)
{
	int port, status;
	char url[64], err[256], v[32];
	struct http_response r;
	pid_t pid = serve(&port, 2);
	struct http_client *c = http_client_new("wn-test/1", 5000, 1 << 20);
	const char *hdrs[] = { "Accept: application/json", NULL };

	snprintf(url, sizeof url, "http://127.0.0.1:%d/a", port);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(http_request(c, i ? "POST" : "GET", url, hdrs, "{}", 2, &r, err, sizeof err), 0);
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(r.body, "{\"ok\":true}");
		ck_assert_str_eq(http_header(&r, "x-ratelimit-remaining", v, sizeof v), "4");
		ck_assert_ptr_null(http_header(&r, "Retry-After", v, sizeof v));
		http_response_free(&r);
	}
	http_client_free(c);
	waitpid(pid, &status, 0);
	ck_assert_int_eq(WEXITSTATUS(status), 1);	/* one connection served both */
}
END_TEST

START_TEST(body_bound)
{
	int port, status;
	char url[64], err[256];
	struct http_response r;
	pid_t pid = serve(&port, 1);
	struct http_client *c = http_client_new("wn-test/1", 5000, 5);

	snprintf(url, sizeof url, "http://127.0.0.1:%d/a", port);
	ck_assert_int_eq(http_request(c, "GET", url, NULL, NULL, 0, &r, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "too large"));
	http_client_free(c);
	waitpid(pid, &status, 0);
}
END_TEST

START_TEST(connection_refused_is_redacted)
{
	char err[256];
	struct http_response r;
	struct http_client *c = http_client_new("wn-test/1", 2000, 1024);

	log_init("check");
	ck_assert_int_eq(http_request(c, "POST",
	    "http://127.0.0.1:1/api/v10/webhooks/42/s3cretTOKEN?wait=true",
	    NULL, "{}", 2, &r, err, sizeof err), -1);
	ck_assert_ptr_null(strstr(err, "s3cretTOKEN"));
	ck_assert_ptr_nonnull(strstr(err, "/webhooks/42/[redacted]"));
	http_client_free(c);
}
END_TEST

START_TEST(url_for_log)
{
	char buf[128];

	http_url_for_log("https://esi.evetech.net/killmails/1/abc?datasource=tranquility&token=x", buf, sizeof buf);
	ck_assert_str_eq(buf, "https://esi.evetech.net/killmails/1/abc");
}
END_TEST

CHECK_MAIN("http", keepalive_and_headers, body_bound, connection_refused_is_redacted, url_for_log)
