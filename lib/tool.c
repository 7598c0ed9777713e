/* tool.c — start, options, bad lines and the end, once for every tool
 * (see tool.h for the shape of a main built on it). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "ndjson.h"
#include "status.h"
#include "tool.h"
#include "wn.h"

volatile sig_atomic_t tool_stop, tool_reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		tool_reload = 1;
	else
		tool_stop = 1;
}

/* "--version" and "-h"/"--help" win wherever they stand before "--". */
static void
early_flags(struct tool *t)
{
	for (int i = 1; i < t->argc && strcmp(t->argv[i], "--") != 0; i++)
		if (strcmp(t->argv[i], "--version") == 0) {
			wn_print_version(t->name);
			exit(WN_EXIT_OK);
		}
	for (int i = 1; i < t->argc && strcmp(t->argv[i], "--") != 0; i++)
		if (strcmp(t->argv[i], "-h") == 0 || strcmp(t->argv[i], "--help") == 0)
			tool_usage(t);
}

void
tool_start(struct tool *t, const char *name, int argc, char **argv,
           const struct tool_opt *longs, void (*usage)(void), int flags)
{
	memset(t, 0, sizeof *t);
	t->name = name;
	t->argc = argc;
	t->argv = argv;
	t->longs = longs;
	t->usage = usage;
	log_init(name);
	early_flags(t);
	/* before the .env: a SIGTERM while starting still ends cleanly */
	if (flags & TOOL_SIGNALS)
		wn_signals(on_signal, (flags & TOOL_RELOAD) != 0);
	config_load_default();
}

_Noreturn void
tool_usage(struct tool *t)
{
	log_set_level(LOG_INFO);
	if (t->usage)
		t->usage();
	exit(WN_EXIT_USAGE);
}

static const struct tool_opt *
find_long(const struct tool *t, const char *arg, size_t len)
{
	for (const struct tool_opt *o = t->longs; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(arg, o->name, len) == 0)
			return o;
	return NULL;
}

/* "--name" → "-x"; "--name=value" → "-xvalue" in place (the arg is at
 * least as long).  Only letters that take an argument take "=value". */
static void
rewrite_long(struct tool *t, int i)
{
	char *arg = t->argv[i] + 2, *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct tool_opt *o = find_long(t, arg, len);
	const char *in = o ? strchr(t->optstring, o->letter) : NULL;

	if (!o || !in) {
		log_error("unknown option --%.*s", (int)len, arg);
		tool_usage(t);
	}
	if (eq && in[1] != ':') {
		log_error("option --%s takes no value", o->name);
		tool_usage(t);
	}
	if (!eq) {
		t->argv[i][1] = o->letter;
		t->argv[i][2] = '\0';
		return;
	}
	t->argv[i] = eq - 1;
	t->argv[i][0] = '-';
	t->argv[i][1] = o->letter;
}

/* Does this argument end in a letter whose value is the next argument? */
static int
wants_next(const struct tool *t, const char *arg)
{
	if (arg[0] != '-' || arg[1] == '-' || arg[1] == '\0')
		return 0;
	for (const char *p = arg + 1; *p; p++) {
		const char *in = *p == ':' ? NULL : strchr(t->optstring, *p);
		if (in && in[1] == ':')
			return p[1] == '\0';
	}
	return 0;
}

static void
prepare(struct tool *t, const char *optstring)
{
	if (snprintf(t->optstring, sizeof t->optstring, "hv%s", optstring) >=
	    (int)sizeof t->optstring)
		log_fatal(WN_EXIT_USAGE, "option string too long");
	for (int i = 1; i < t->argc && strcmp(t->argv[i], "--") != 0; i++) {
		if (strncmp(t->argv[i], "--", 2) == 0)
			rewrite_long(t, i);
		if (wants_next(t, t->argv[i]))
			i++;   /* an option's argument is never an option */
	}
	t->parsed = 1;
	optind = 0;   /* glibc: a full reset, also of a previous parse's state */
}

int
tool_getopt(struct tool *t, const char *optstring)
{
	int opt;

	if (!t->parsed)
		prepare(t, optstring);
	for (;;) {
		opt = getopt(t->argc, t->argv, t->optstring);
		if (opt == 'v')
			log_more_verbose();
		else if (opt == 'h' || opt == '?' || opt == ':')
			tool_usage(t);
		else
			return opt;
	}
}

char **
tool_operands(struct tool *t, int *n)
{
	static char *stdin_only[] = { "-", NULL };

	if (optind < t->argc) {
		*n = t->argc - optind;
		return t->argv + optind;
	}
	*n = 1;
	return stdin_only;
}

void
tool_no_operands(struct tool *t)
{
	if (optind < t->argc) {
		log_error("unexpected argument %s", t->argv[optind]);
		tool_usage(t);
	}
}

struct ndjson_inputs *
tool_inputs(struct tool *t, size_t max_line)
{
	int n;
	char **paths = tool_operands(t, &n);
	struct ndjson_inputs *in = ndjson_inputs_open(paths, n, max_line);

	if (!in)
		exit(WN_EXIT_USAGE);
	return in;
}

void
tool_bad_line(struct tool *t, const char *name, unsigned long lineno, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	t->bad++;
	status_add("bad_input", 1);
	if (t->strict)
		log_fatal(WN_EXIT_USAGE, "%s:%lu: %s", name, lineno, why);
	log_warn("%s:%lu: %s; skipped", name, lineno, why);
}

void
tool_write_line(const char *buf, size_t len)
{
	if (ndjson_write(stdout, buf, len) != 0)
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
}

void
tool_flush(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		log_fatal(WN_EXIT_TEMP, "cannot write to stdout: %s", strerror(errno));
}

int
tool_finish(struct tool *t, int rc)
{
	(void)t;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_error("cannot write to stdout: %s", strerror(errno));
		if (rc == WN_EXIT_OK)
			rc = WN_EXIT_TEMP;
	}
	status_set_str("state", "stopped");
	status_flush(1);
	return rc;
}
