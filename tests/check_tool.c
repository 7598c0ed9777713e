/* check_tool.c — the tool skeleton: long options (also --x=y), --version
 * and -h anywhere, -v, operands, bad lines (counted; fatal when strict),
 * the signal flags and the exit code of tool_finish.  Whatever exits runs
 * in a child of its own, so the suite also runs unforked (valgrind). */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "status.h"
#include "tool.h"
#include "wn.h"
#include "check_main.h"

static const struct tool_opt longs[] = {
	{ "dry-run", 'n' }, { "queue", 'q' }, { "strict", 'S' }, { "map", 'm' },
	{ NULL, 0 },
};

static void
usage(void)
{
	fprintf(stderr, "usage: wn-test [-nS] [-q N] [-m FILE]\n");
}

/* An argv whose strings are writable, as main's are. */
struct args {
	int argc;
	char *argv[16];
	char text[16][64];
};

static void
args(struct args *a, const char *const *words)
{
	memset(a, 0, sizeof *a);
	for (a->argc = 0; words[a->argc]; a->argc++) {
		snprintf(a->text[a->argc], sizeof a->text[a->argc], "%s", words[a->argc]);
		a->argv[a->argc] = a->text[a->argc];
	}
}

/* Runs fn(words) in a child with stdout and stderr captured; returns its
 * exit status (-1 when it did not exit). */
static int
child(void (*fn)(const char *const *), const char *const *words, char *out, char *err,
      size_t size)
{
	FILE *o = tmpfile(), *e = tmpfile();
	int st;
	pid_t pid;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(e);
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == 0) {
		dup2(fileno(o), 1);
		dup2(fileno(e), 2);
		fn(words);
		exit(0);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	rewind(o);
	rewind(e);
	out[fread(out, 1, size - 1, o)] = '\0';
	err[fread(err, 1, size - 1, e)] = '\0';
	fclose(o);
	fclose(e);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Parses words; prints each letter and its argument, then the operands. */
static void
parse_all(const char *const *words)
{
	struct args a;
	struct tool t;
	int opt, n;
	char **ops;

	args(&a, words);
	tool_start(&t, "wn-test", a.argc, a.argv, longs, usage, 0);
	while ((opt = tool_getopt(&t, "nq:Sm:")) != -1)
		printf("%c=%s ", opt, optarg && strchr("qm", opt) ? optarg : "");
	ops = tool_operands(&t, &n);
	for (int i = 0; i < n; i++)
		printf("[%s]", ops[i]);
	printf(" level=%d\n", (int)log_get_level());
}

START_TEST(long_options_become_letters)
{
	const char *w[] = { "wn-test", "--dry-run", "--queue=5", "--map", "m.json", "-S",
	                    "--queue", "7", "f1", NULL };
	char out[1024], err[1024];

	unsetenv("WN_LOG_LEVEL");
	ck_assert_int_eq(child(parse_all, w, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "n= q=5 m=m.json S= q=7 [f1] level=3\n");
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(option_argument_is_not_an_option)
{
	/* "--dry-run" here is the value of --map (as getopt would take it) */
	const char *w[] = { "wn-test", "--map", "--dry-run", "-m", "--queue", "--", "--map", NULL };
	char out[1024], err[1024];

	ck_assert_int_eq(child(parse_all, w, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "m=--dry-run m=--queue [--map] level=3\n");
}
END_TEST

START_TEST(no_operands_means_stdin_and_v_is_verbose)
{
	const char *w[] = { "wn-test", "-vv", "-n", NULL };
	char out[1024], err[1024];

	unsetenv("WN_LOG_LEVEL");
	ck_assert_int_eq(child(parse_all, w, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "n= [-] level=4\n");
}
END_TEST

START_TEST(bad_options_exit_100_with_usage)
{
	const char *unknown[] = { "wn-test", "--nope", NULL };
	const char *novalue[] = { "wn-test", "--dry-run=1", NULL };
	const char *letter[] = { "wn-test", "-z", NULL };
	const char *missing[] = { "wn-test", "-q", NULL };
	char out[1024], err[1024];

	ck_assert_int_eq(child(parse_all, unknown, out, err, sizeof out), WN_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "wn-test: error: unknown option --nope\n"));
	ck_assert_ptr_nonnull(strstr(err, "usage: wn-test"));
	ck_assert_int_eq(child(parse_all, novalue, out, err, sizeof out), WN_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "--dry-run takes no value"));
	ck_assert_int_eq(child(parse_all, letter, out, err, sizeof out), WN_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "usage: wn-test"));
	ck_assert_int_eq(child(parse_all, missing, out, err, sizeof out), WN_EXIT_USAGE);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(version_and_help_anywhere)
{
	const char *v[] = { "wn-test", "-n", "file", "--version", NULL };
	const char *h[] = { "wn-test", "-q", "3", "--help", NULL };
	const char *h2[] = { "wn-test", "file", "-h", NULL };
	const char *after[] = { "wn-test", "--", "--version", NULL };
	char out[1024], err[1024];

	ck_assert_int_eq(child(parse_all, v, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "wn-test " WN_VERSION "\n");
	ck_assert_int_eq(child(parse_all, h, out, err, sizeof out), WN_EXIT_USAGE);
	ck_assert_str_eq(err, "usage: wn-test [-nS] [-q N] [-m FILE]\n");
	ck_assert_int_eq(child(parse_all, h2, out, err, sizeof out), WN_EXIT_USAGE);
	ck_assert_str_eq(out, "");
	/* after "--" it is an operand */
	ck_assert_int_eq(child(parse_all, after, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "[--version] level=3\n");
}
END_TEST

static void
bad_lines(const char *const *words)
{
	struct args a;
	struct tool t;
	int opt;

	args(&a, words);
	tool_start(&t, "wn-test", a.argc, a.argv, longs, usage, 0);
	while ((opt = tool_getopt(&t, "nq:Sm:")) != -1)
		if (opt == 'S')
			t.strict = 1;
	tool_bad_line(&t, "in.ndjson", 3, "not JSON: %s", "x");
	tool_bad_line(&t, "-", 9, "line longer than %d bytes", 64);
	printf("bad=%lld\n", t.bad);
	exit(tool_finish(&t, 0));
}

START_TEST(bad_line_is_one_counted_line)
{
	const char *lax[] = { "wn-test", NULL };
	const char *strict[] = { "wn-test", "--strict", NULL };
	char out[1024], err[1024];

	ck_assert_int_eq(child(bad_lines, lax, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "bad=2\n");
	ck_assert_str_eq(err, "wn-test: warning: in.ndjson:3: not JSON: x; skipped\n"
	                      "wn-test: warning: -:9: line longer than 64 bytes; skipped\n");
	ck_assert_int_eq(child(bad_lines, strict, out, err, sizeof out), WN_EXIT_USAGE);
	ck_assert_str_eq(err, "wn-test: fatal: in.ndjson:3: not JSON: x\n");
	ck_assert_str_eq(out, "");
}
END_TEST

/* The bad lines land in the status file's bad_input counter. */
START_TEST(bad_line_counts_in_status)
{
	struct tool t;
	char dir[256];
	char *argv[] = { "wn-test", NULL };

	check_tmpdir(dir, sizeof dir, "check_tool");
	setenv("WN_STATE_DIR", dir, 1);
	tool_start(&t, "wn-test", 1, argv, longs, usage, 0);
	status_init("wn-test");
	tool_bad_line(&t, "x", 1, "bad");
	tool_bad_line(&t, "x", 2, "bad");
	ck_assert_int_eq(status_get("bad_input"), 2);
	ck_assert_int_eq(t.bad, 2);
	check_rmdir(dir);
}
END_TEST

static void
write_to_full(const char *const *words)
{
	struct tool t;
	struct args a;

	args(&a, words);
	tool_start(&t, "wn-test", a.argc, a.argv, longs, usage, 0);
	if (!freopen("/dev/full", "w", stdout))
		exit(3);
	printf("lost\n");
	exit(tool_finish(&t, atoi(a.argv[1])));
}

START_TEST(finish_turns_a_failed_stdout_into_111)
{
	const char *ok[] = { "wn-test", "0", NULL };
	const char *usage_rc[] = { "wn-test", "100", NULL };
	char out[1024], err[1024];

	ck_assert_int_eq(child(write_to_full, ok, out, err, sizeof out), WN_EXIT_TEMP);
	ck_assert_ptr_nonnull(strstr(err, "wn-test: error: cannot write to stdout"));
	/* an exit code already set stays */
	ck_assert_int_eq(child(write_to_full, usage_rc, out, err, sizeof out), WN_EXIT_USAGE);
}
END_TEST

static void
signal_flags(const char *const *words)
{
	struct tool t;
	struct args a;
	int flags;

	args(&a, words);
	flags = atoi(a.argv[1]);
	tool_start(&t, "wn-test", a.argc, a.argv, longs, usage, flags);
	raise(SIGPIPE);          /* ignored: it must not kill us */
	raise(SIGHUP);           /* a flag with TOOL_RELOAD; ignored without */
	printf("reload=%d ", (int)tool_reload);
	raise(SIGTERM);
	printf("stop=%d\n", (int)tool_stop);
}

START_TEST(signals_only_set_flags)
{
	const char *reload[] = { "wn-test", "3", NULL };
	const char *plain[] = { "wn-test", "1", NULL };
	char out[1024], err[1024];

	ck_assert_int_eq(child(signal_flags, reload, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "reload=1 stop=1\n");
	ck_assert_int_eq(child(signal_flags, plain, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "reload=0 stop=1\n");
}
END_TEST

static void
bad_env(const char *const *words)
{
	parse_all(words);
}

START_TEST(env_file_is_loaded_after_the_flags)
{
	const char *w[] = { "wn-test", NULL };
	const char *v[] = { "wn-test", "--version", NULL };
	char out[1024], err[1024], dir[256], path[512];
	FILE *f;

	check_tmpdir(dir, sizeof dir, "check_tool");
	snprintf(path, sizeof path, "%s/env", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("this is not a KEY=VALUE line\n", f);
	fclose(f);
	setenv("WN_ENV_FILE", path, 1);
	ck_assert_int_eq(child(bad_env, w, out, err, sizeof out), WN_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "wn-test: fatal: "));
	/* --version needs no configuration */
	ck_assert_int_eq(child(bad_env, v, out, err, sizeof out), 0);
	ck_assert_str_eq(out, "wn-test " WN_VERSION "\n");
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("WN_TOOL_CHECK=from-file\n", f);
	fclose(f);
	unsetenv("WN_TOOL_CHECK");
	{
		struct tool t;
		char *argv[] = { "wn-test", NULL };
		tool_start(&t, "wn-test", 1, argv, longs, usage, 0);
		ck_assert_str_eq(getenv("WN_TOOL_CHECK"), "from-file");
	}
	unsetenv("WN_ENV_FILE");
	check_rmdir(dir);
}
END_TEST

CHECK_MAIN("tool", long_options_become_letters, option_argument_is_not_an_option,
           no_operands_means_stdin_and_v_is_verbose, bad_options_exit_100_with_usage,
           version_and_help_anywhere, bad_line_is_one_counted_line, bad_line_counts_in_status,
           finish_turns_a_failed_stdout_into_111, signals_only_set_flags,
           env_file_is_loaded_after_the_flags)
