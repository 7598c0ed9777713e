/* wn-status — every wn tool's status at a glance.  Each tool keeps
 * state_dir()/status/<tool>.json (lib/status.c); this reads them all, checks
 * which processes are alive, and prints a table, NDJSON (--json), or writes
 * a Prometheus textfile for node_exporter (--prometheus FILE, atomically). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "state.h"
#include "statusview.h"
#include "tool.h"
#include "wn.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: wn-status [-j] [-p FILE] [-d DIR] [TOOL...]\n"
	    "  -j, --json             one JSON object per tool (NDJSON), with running\n"
	    "                         and age_seconds added\n"
	    "  -p, --prometheus FILE  write a node_exporter textfile to FILE, atomically\n"
	    "  -d, --state-dir DIR    state directory (default WN_STATE_DIR, else\n"
	    "                         $XDG_STATE_HOME/wn or ~/.local/state/wn)\n"
	    "  -v                     more log output\n"
	    "  -h, --help             this text;  --version  the version\n"
	    "TOOL...                  show only these tools\n");
}

static const struct tool_opt longs[] = {
	{ "json", 'j' }, { "prometheus", 'p' }, { "state-dir", 'd' }, { NULL, 0 },
};

/* Keep only the tools named on the command line (in list order). */
static void
select_tools(struct sv_list *l, char **names, int n)
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
write_prometheus(const char *path, const struct sv_list *l, time_t now)
{
	size_t len;
	char *text = sv_render_prometheus(l, now, &len);
	int rc;

	if (!text) {
		log_error("out of memory");
		return -1;
	}
	rc = atomic_write(path, text, len);
	if (rc < 0)
		log_error("unable to write %s: %s", path, strerror(errno));
	free(text);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *prom = NULL;
	char dir[PATH_MAX];
	int json = 0, opt, rc = WN_EXIT_OK;
	struct sv_list *l;
	struct tool t;
	time_t now;

	tool_start(&t, "wn-status", argc, argv, longs, usage, 0);
	while ((opt = tool_getopt(&t, "jp:d:")) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'p': prom = optarg; break;
		case 'd': setenv("WN_STATE_DIR", optarg, 1); break;
		default: tool_usage(&t);
		}
	}
	if (!(l = calloc(1, sizeof *l)))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	snprintf(dir, sizeof dir, "%s/status", state_dir());
	if (sv_load_dir(dir, l) < 0)
		log_fatal(WN_EXIT_TEMP, "unable to read %s: %s", dir, strerror(errno));
	select_tools(l, argv + optind, argc - optind);
	sv_check_running(l);
	now = time(NULL);
	if (l->n == 0 && !prom)
		log_info("no status files in %s", dir);
	if (prom) {
		rc = write_prometheus(prom, l, now) < 0 ? WN_EXIT_TEMP : WN_EXIT_OK;
	} else if (json) {
		sv_render_json(stdout, l, now);
	} else {
		sv_render_text(stdout, l, now);
	}
	sv_free(l);
	free(l);
	return tool_finish(&t, rc);
}
