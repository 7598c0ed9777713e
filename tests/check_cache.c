/* check_cache.c — the ESI answer cache: fresh/stale/miss, persistence
 * across opens, torn tails, the memory and disk bounds, the lock. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "check_main.h"

static char dir[64], path[PATH_MAX];

static void
fresh(void)
{
	strcpy(dir, "/tmp/wn-check-cache.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/esi.cache", dir);
}

/* the test's directory goes; a failed test leaves it for a look */
static void
tidy(void)
{
	char lock[PATH_MAX + 8];

	snprintf(lock, sizeof lock, "%s.lock", path);
	unlink(path);
	unlink(lock);
	rmdir(dir);
}

static struct cache *
open_ok(size_t mem, size_t disk)
{
	char err[256] = "";
	struct cache *c = cache_open(path, mem, disk, err, sizeof err);

	ck_assert_msg(c != NULL, "cache_open: %s", err);
	return c;
}

static off_t
file_size(void)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

START_TEST(fresh_stale_miss)
{
	struct cache *c;
	struct cache_hit h;

	fresh();
	c = open_ok(1 << 20, 1 << 20);
	ck_assert_int_eq(cache_get(c, "n:1", 100, &h), CACHE_MISS);
	ck_assert_int_eq(cache_put(c, "n:1", "\"Jita\"", 6, "\"abc\"", 200), 0);
	ck_assert_int_eq(cache_get(c, "n:1", 100, &h), CACHE_FRESH);
	ck_assert_str_eq(h.value, "\"Jita\"");
	ck_assert_str_eq(h.etag, "\"abc\"");
	ck_assert_int_eq(h.expires, 200);
	ck_assert_int_eq(cache_get(c, "n:1", 200, &h), CACHE_STALE);
	ck_assert_str_eq(h.value, "\"Jita\"");
	/* a later answer replaces the earlier one */
	ck_assert_int_eq(cache_put(c, "n:1", "\"Amarr\"", 7, NULL, 300), 0);
	ck_assert_int_eq(cache_get(c, "n:1", 250, &h), CACHE_FRESH);
	ck_assert_str_eq(h.value, "\"Amarr\"");
	ck_assert_str_eq(h.etag, "");
	struct cache_stats st;
	cache_get_stats(c, &st);
	ck_assert_int_eq(st.hits, 2);
	ck_assert_int_eq(st.stale, 1);
	ck_assert_int_eq(st.misses, 1);
	ck_assert_uint_eq(st.entries, 1);
	cache_close(c);
	tidy();
}
END_TEST

START_TEST(bad_keys_and_values_refused)
{
	struct cache *c;
	struct cache_hit h;
	char big[300];

	fresh();
	c = open_ok(1 << 20, 1 << 20);
	ck_assert_int_eq(cache_put(c, "a\tb", "1", 1, NULL, 9), -1);
	ck_assert_int_eq(cache_put(c, "a\nb", "1", 1, NULL, 9), -1);
	ck_assert_int_eq(cache_put(c, "", "1", 1, NULL, 9), -1);
	ck_assert_int_eq(cache_put(c, "k", "1\n2", 3, NULL, 9), -1);
	ck_assert_int_eq(cache_put(c, "k", "", 0, NULL, 9), -1);
	memset(big, 'k', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(cache_put(c, big, "1", 1, NULL, 9), -1);
	/* an ETag that would break the line is dropped, the answer kept */
	ck_assert_int_eq(cache_put(c, "k", "1", 1, "\"a\tb\"", 9), 0);
	ck_assert_int_eq(cache_get(c, "k", 0, &h), CACHE_FRESH);
	ck_assert_str_eq(h.etag, "");
	cache_close(c);
	tidy();
}
END_TEST

START_TEST(persists_across_opens)
{
	struct cache *c;
	struct cache_hit h;
	char key[32], val[64];

	fresh();
	c = open_ok(1 << 20, 8 << 20);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "n:%d", i);
		int n = snprintf(val, sizeof val, "{\"n\":\"Pilot %d\"}", i);
		ck_assert_int_eq(cache_put(c, key, val, (size_t)n, i % 2 ? "\"e\"" : NULL, 1000 + i), 0);
	}
	ck_assert_int_eq(cache_put(c, "n:7", "{\"n\":\"renamed\"}", 15, NULL, 77), 0);
	cache_close(c);
	c = open_ok(1 << 20, 8 << 20);
	ck_assert_int_eq(cache_get(c, "n:4999", 0, &h), CACHE_FRESH);
	ck_assert_str_eq(h.value, "{\"n\":\"Pilot 4999\"}");
	ck_assert_str_eq(h.etag, "\"e\"");
	ck_assert_int_eq(h.expires, 5999);
	ck_assert_int_eq(cache_get(c, "n:7", 0, &h), CACHE_FRESH);
	ck_assert_str_eq(h.value, "{\"n\":\"renamed\"}");
	ck_assert_int_eq(h.expires, 77);
	ck_assert_int_eq(cache_get(c, "n:0", 0, &h), CACHE_FRESH);
	ck_assert_str_eq(h.etag, "");
	ck_assert_int_eq(cache_get(c, "n:5000", 0, &h), CACHE_MISS);
	cache_close(c);
	tidy();
}
END_TEST

START_TEST(torn_tail_cut_off)
{
	struct cache *c;
	struct cache_hit h;
	int fd;

	fresh();
	c = open_ok(1 << 20, 1 << 20);
	ck_assert_int_eq(cache_put(c, "a", "1", 1, NULL, 50), 0);
	cache_close(c);
	off_t good = file_size();
	/* a crash in the middle of an append, then garbage lines */
	fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "b\t60\t\t{\"x\"", 10), 10);
	close(fd);
	c = open_ok(1 << 20, 1 << 20);
	ck_assert_int_eq(file_size(), good);
	ck_assert_int_eq(cache_get(c, "b", 0, &h), CACHE_MISS);
	ck_assert_int_eq(cache_put(c, "b", "2", 1, NULL, 60), 0);
	cache_close(c);
	fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_eq(write(fd, "no tabs here\nc\tx\t\t3\n", 20), 20);
	close(fd);
	c = open_ok(1 << 20, 1 << 20);
	ck_assert_int_eq(cache_get(c, "a", 0, &h), CACHE_FRESH);
	ck_assert_int_eq(cache_get(c, "b", 0, &h), CACHE_FRESH);
	ck_assert_str_eq(h.value, "2");
	ck_assert_int_eq(cache_get(c, "c", 0, &h), CACHE_MISS);
	struct cache_stats st;
	cache_get_stats(c, &st);
	ck_assert_int_eq(st.dropped, 2);
	cache_close(c);
	tidy();
}
END_TEST

START_TEST(not_a_cache_file_starts_empty)
{
	struct cache *c;
	struct cache_hit h;
	FILE *f;

	fresh();
	f = fopen(path, "w");
	fputs("something else\na\t1\t\t2\n", f);
	fclose(f);
	c = open_ok(1 << 20, 1 << 20);
	ck_assert_int_eq(cache_get(c, "a", 0, &h), CACHE_MISS);
	ck_assert_int_eq(cache_put(c, "a", "3", 1, NULL, 9), 0);
	cache_close(c);
	c = open_ok(1 << 20, 1 << 20);
	ck_assert_int_eq(cache_get(c, "a", 0, &h), CACHE_FRESH);
	ck_assert_str_eq(h.value, "3");
	cache_close(c);
	tidy();
}
END_TEST

START_TEST(memory_bounded_values_read_back)
{
	struct cache *c;
	struct cache_hit h;
	struct cache_stats st;
	char key[32], val[200], want[200];

	fresh();
	c = open_ok(4096, 8 << 20);
	memset(val, 'x', sizeof val);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		int n = snprintf(val, sizeof val, "\"%0150d\"", i);
		ck_assert_int_eq(cache_put(c, key, val, (size_t)n, NULL, 10), 0);
		cache_get_stats(c, &st);
		ck_assert_uint_le(st.resident_bytes, 4096);
	}
	ck_assert_int_gt(st.evicted, 900);
	ck_assert_uint_eq(st.entries, 1000);
	for (int i = 0; i < 1000; i += 37) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(want, sizeof want, "\"%0150d\"", i);
		ck_assert_int_eq(cache_get(c, key, 0, &h), CACHE_FRESH);
		ck_assert_str_eq(h.value, want);
	}
	cache_close(c);
	tidy();
}
END_TEST

START_TEST(disk_bounded_keeps_recent)
{
	struct cache *c;
	struct cache_hit h;
	struct cache_stats st;
	char key[32], val[128];

	fresh();
	c = open_ok(1 << 20, 64 * 1024);
	ck_assert_int_eq(cache_put(c, "hot", "\"keep me\"", 9, NULL, 10), 0);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		int n = snprintf(val, sizeof val, "\"%080d\"", i);
		ck_assert_int_eq(cache_put(c, key, val, (size_t)n, NULL, 10), 0);
		if (i % 100 == 0)	/* used often: survives every rewrite */
			ck_assert_int_eq(cache_get(c, "hot", 0, &h), CACHE_FRESH);
		ck_assert_int_le(file_size(), 64 * 1024);
	}
	cache_get_stats(c, &st);
	ck_assert_int_gt(st.compactions, 0);
	ck_assert_int_eq(cache_get(c, "k4999", 0, &h), CACHE_FRESH);
	ck_assert_int_eq(cache_get(c, "k0", 0, &h), CACHE_MISS);
	cache_close(c);
	c = open_ok(1 << 20, 64 * 1024);
	ck_assert_int_eq(cache_get(c, "hot", 0, &h), CACHE_FRESH);
	ck_assert_str_eq(h.value, "\"keep me\"");
	ck_assert_int_eq(cache_get(c, "k4998", 0, &h), CACHE_FRESH);
	cache_close(c);
	tidy();
}
END_TEST

START_TEST(dead_lines_compacted_on_sync)
{
	struct cache *c;
	struct cache_hit h;
	char val[600];

	fresh();
	c = open_ok(1 << 20, 64 << 20);
	memset(val, 'y', sizeof val);
	val[0] = val[sizeof val - 1] = '"';
	for (int i = 0; i < 4000; i++)	/* the same key over and over: 2.4 MB of dead lines */
		ck_assert_int_eq(cache_put(c, "same", val, sizeof val, NULL, i), 0);
	ck_assert_int_gt(file_size(), 2 << 20);
	ck_assert_int_eq(cache_sync(c), 0);
	ck_assert_int_lt(file_size(), 4096);
	ck_assert_int_eq(cache_get(c, "same", 0, &h), CACHE_FRESH);
	ck_assert_int_eq(h.expires, 3999);
	cache_close(c);
	tidy();
}
END_TEST

/* the forked child exits holding the parent's cache: a global keeps it
 * reachable there, so valgrind does not call it a leak */
static struct cache *volatile owner;

START_TEST(one_owner_at_a_time)
{
	struct cache *a, *b;
	char err[256] = "";
	pid_t pid;
	int status;

	fresh();
	a = owner = open_ok(1 << 20, 1 << 20);
	/* fcntl locks are per process: ask from a child */
	pid = fork();
	if (pid == 0) {
		b = cache_open(path, 1 << 20, 1 << 20, err, sizeof err);
		_exit(b == NULL && strstr(err, "in use") ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	cache_close(a);
	/* a temporary cache always opens and works */
	b = cache_open(NULL, 1 << 20, 1 << 20, err, sizeof err);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(cache_put(b, "x", "1", 1, NULL, 5), 0);
	struct cache_hit h;
	ck_assert_int_eq(cache_get(b, "x", 0, &h), CACHE_FRESH);
	cache_close(b);
	tidy();
}
END_TEST

CHECK_MAIN("cache", fresh_stale_miss, bad_keys_and_values_refused,
           persists_across_opens, torn_tail_cut_off, not_a_cache_file_starts_empty,
           memory_bounded_values_read_back, disk_bounded_keeps_recent,
           dead_lines_compacted_on_sync, one_owner_at_a_time)
