/* check_main.h — the main() every Check suite would otherwise repeat:
 *   CHECK_MAIN("ndjson", every_chunking, oversize_dropped_whole, ...) */
#ifndef WN_CHECK_MAIN_H
#define WN_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

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

#define CHECK_MAIN(name, ...)                                              \
	int main(void)                                                     \
	{                                                                  \
		const TTest *const tests[] = { __VA_ARGS__ };              \
		return check_run_suite(name, tests, sizeof tests / sizeof *tests); \
	}

#endif
