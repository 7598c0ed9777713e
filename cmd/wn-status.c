/* wn-status — every wn tool's status at a glance.  Each tool keeps
 * state_dir()/status/<tool>.json (lib/status.c); this reads them all, checks
 * which processes are alive, and prints a table, NDJSON (--json), or writes
 * a Prometheus textfile for node_exporter (--prometheus FILE, atomically);
 * --check judges the flow's health (lib/health.c) as an exit status and
 * --serve answers the same over HTTP (lib/httpd.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "health.h"
#include "httpd.h"
#include "config_check.h"
#include "log.h"
#include "state.h"
#include "status_record.h"
#include "status_view.h"
#include "tool.h"
#include "wn.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: wn-status [-j] [-p FILE] [-d DIR] [TOOL...]\n"
	    "       wn-status -c [-j] [-d DIR] [STAGE...]\n"
	    "       wn-status -s [ADDR:]PORT [-d DIR] [STAGE...]\n"
	    "       wn-status -C | --print-config KEY... | --print-state-dir\n"
	    "  -C, --config           check the configuration: what wn will do with it\n"
	    "      --print-config KEY...  each value as the tools see it (no secrets)\n"
	    "      --print-state-dir  the state directory, absolute\n"
	    "      --record TOOL KEY=VALUE...  write TOOL's status file (for scripts)\n"
	    "      --make-dir TOP DIR...  create each DIR, refuse it unless trusted\n"
	    "  -j, --json             one JSON object per tool (NDJSON), with running\n"
	    "                         and age_seconds added\n"
	    "  -p, --prometheus FILE  write a node_exporter textfile to FILE, atomically\n"
	    "  -c, --check            exit 0 when every stage is running and fresh, else 1\n"
	    "  -s, --serve LISTEN     serve /health, /ready, /metrics, /api/status and a\n"
	    "                         dashboard over HTTP on [ADDR:]PORT (127.0.0.1, $PORT)\n"
	    "  -d, --state-dir DIR    state directory (default WN_STATE_DIR, else\n"
	    "                         $XDG_STATE_HOME/wn or ~/.local/state/wn)\n"
	    "  -v                     more log output\n"
	    "  -h, --help             this text;  --version  the version\n"
	    "TOOL...                  show only these tools\n");
}

static const struct tool_opt longs[] = {
	{ "json", 'j' }, { "prometheus", 'p' }, { "state-dir", 'd' }, { "check", 'c' },
	{ "serve", 's' }, { "config", 'C' }, { "print-config", 'P' },
	{ "print-state-dir", 'D' }, { "record", 'R' },
	{ "make-dir", 'M' }, { NULL, 0 },
};

/* Keep only the tools named on the command line (in list order). */
static void
select_tools(struct status_view_list *l, char **names, int n)
{
	int keep = 0;

	if (n == 0)
		return;
	for (int i = 0; i < l->n; i++) {
		int want = 0;
		for (int k = 0; k < n && !want; k++)
			want = strcmp(l->tool[i].name, names[k]) == 0;
		if (want)
			l->tool[keep++] = l->tool[i];
		else
			cJSON_Delete(l->tool[i].doc);
	}
	l->n = keep;
	for (int k = 0; k < n; k++) {
		int found = 0;
		for (int i = 0; i < l->n && !found; i++)
			found = strcmp(l->tool[i].name, names[k]) == 0;
		if (!found)
			log_warn("no status file for %s", names[k]);
	}
}

static int
write_prometheus(const char *path, const struct status_view_list *l, time_t now)
{
	size_t len;
	char *text = status_view_render_prometheus(l, now, &len);
	int rc;

	if (!text) {
		log_error("out of memory");
		return -1;
	}
	rc = state_atomic_write(path, text, len);
	if (rc < 0)
		log_error("unable to write %s: %s", path, strerror(errno));
	free(text);
	return rc;
}

/* --record TOOL KEY=VALUE...: a status file for wn-pipeline. */
static int
record(struct tool *t, int n, char **args)
{
	char err[256];
	int rc;

	if (n < 1)
		tool_usage(t);
	if ((rc = status_record(args[0], args + 1, n - 1, err, sizeof err)) < 0)
		log_fatal(rc == -1 ? WN_EXIT_USAGE : WN_EXIT_TEMP, "%s", err);
	return WN_EXIT_OK;
}

/* --make-dir TOP DIR...: wn-pipeline's state and run directories, checked
 * as the tools check theirs (lib/state.c): a DIR below TOP from TOP down,
 * any other DIR alone.  Another user who can write in one could plant a
 * link where the script writes. */
static int
make_dirs(struct tool *t, int n, char **args)
{
	char why[PATH_MAX + 100];

	if (n < 2)
		tool_usage(t);
	for (int i = 1; i < n; i++) {
		size_t tl = strlen(args[0]);
		int below = strncmp(args[i], args[0], tl) == 0 && (!args[i][tl] || args[i][tl] == '/');
		const char *top = below ? args[0] : args[i];

		if (state_mkdir_p(args[i], 0700) < 0)
			log_fatal(WN_EXIT_TEMP, "unable to create %s: %s", args[i], strerror(errno));
		if (state_tree_ok(top, args[i], why, sizeof why) < 0)
			log_fatal(WN_EXIT_USAGE, "refusing %s: %s", args[i], why);
	}
	return WN_EXIT_OK;
}

/* The configuration questions (lib/config_check.c), --record, --make-dir. */
static int
answer(struct tool *t, int ask, int n, char **args)
{
	switch (ask) {
	case 'C': return config_check(stdout);
	case 'P': return config_print(stdout, args, n);
	case 'D': return config_print_state_dir(stdout);
	case 'M': return make_dirs(t, n, args);
	default: return record(t, n, args);
	}
}

int
main(int argc, char **argv)
{
	const char *prom = NULL, *serve = NULL;
	char dir[PATH_MAX];
	int json = 0, check = 0, opt, rc = WN_EXIT_OK, ask = 0;
	struct status_view_list *l;
	struct tool t;
	time_t now;

	tool_start(&t, "wn-status", argc, argv, longs, usage, 0);
	while ((opt = tool_getopt(&t, "jp:d:cs:CPDRM")) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'p': prom = optarg; break;
		case 'd': setenv("WN_STATE_DIR", optarg, 1); break;
		case 'c': check = 1; break;
		case 's': serve = optarg; break;
		case 'C': case 'P': case 'D': case 'R': case 'M': ask = opt; break;
		default: tool_usage(&t);
		}
	}
	if (ask)
		return tool_finish(&t, answer(&t, ask, argc - optind, argv + optind));
	snprintf(dir, sizeof dir, "%s/status", state_dir());
	if (check)
		return tool_finish(&t, health_check(dir, argv + optind, argc - optind, json));
	if (serve)
		return tool_finish(&t, httpd_main(serve, argv + optind, argc - optind));
	if (!(l = calloc(1, sizeof *l)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	if (status_view_load_dir(dir, l) < 0)
		log_fatal(WN_EXIT_TEMP, "unable to read %s: %s", dir, strerror(errno));
	select_tools(l, argv + optind, argc - optind);
	status_view_check_running(l);
	now = time(NULL);
	if (l->n == 0 && !prom)
		log_info("no status files in %s", dir);
	if (prom) {
		rc = write_prometheus(prom, l, now) < 0 ? WN_EXIT_TEMP : WN_EXIT_OK;
	} else if (json) {
		status_view_render_json(stdout, l, now);
	} else {
		status_view_render_text(stdout, l, now);
	}
	status_view_free(l);
	free(l);
	return tool_finish(&t, rc);
}
