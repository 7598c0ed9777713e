/* check_main.h — the main() every Check suite would otherwise repeat:
 *   CHECK_MAIN("ndjson", every_chunking, oversize_dropped_whole, ...) */
#ifndef WN_CHECK_MAIN_H
#define WN_CHECK_MAIN_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "state.h"

static inline int
check_run_suite(const char *name, const TTest *const *tests, size_t n)
{
	Suite *s = suite_create(name);
	TCase *t = tcase_create("core");
	SRunner *r;
	int failed;

	tcase_set_timeout(t, 60);
	for (size_t i = 0; i < n; i++)
		tcase_add_test(t, tests[i]);
	suite_add_tcase(s, t);
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* A fresh temporary directory named after the suite, and its removal. */
static inline void
check_tmpdir(char *dir, size_t size, const char *tag)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, size, "%s/%s.XXXXXX", t ? t : "/tmp", tag);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* A fresh temporary state directory: WN_STATE_DIR points at it. */
static inline void
check_state_dir(char *dir, size_t size, const char *tag)
{
	check_tmpdir(dir, size, tag);
	setenv("WN_STATE_DIR", dir, 1);
}

static inline void
check_rmdir(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The text of fixture file $WN_FIXTURES/dir/name (tests/fixtures when
 * unset), malloc'd and NUL-terminated, its length in *len; a missing
 * fixture fails the test. */
static inline char *
check_fixture(const char *dir, const char *name, size_t *len)
{
	const char *root = getenv("WN_FIXTURES");
	char path[1024];
	char *b;

	snprintf(path, sizeof path, "%s/%s/%s", root ? root : "tests/fixtures", dir, name);
	b = state_read_file(path, 16u << 20, len);
	ck_assert_msg(b != NULL, "cannot read fixture %s", path);
	return b;
}

#define CHECK_MAIN(name, ...)                                              \
	int main(void)                                                     \
	{                                                                  \
		const TTest *const tests[] = { __VA_ARGS__ };              \
		return check_run_suite(name, tests, sizeof tests / sizeof *tests); \
	}

#endif
