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

#include "config.h"
#include "config_check.h"
#include "log.h"
#include "state.h"
#include "status_record.h"
#include "statusview.h"
#include "wn.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: wn-status [-j] [-p FILE] [-d DIR] [TOOL...]\n"
	    "       wn-status -c | --print-config KEY... | --print-state-dir\n"
	    "  -c, --config           check the configuration: what wn will do with it\n"
	    "      --print-config KEY...  each value as the tools see it (no secrets)\n"
	    "      --print-state-dir  the state directory, absolute\n"
	    "      --record TOOL KEY=VALUE...  write TOOL's status file (for scripts)\n"
	    "  -j, --json             one JSON object per tool (NDJSON), with running\n"
	    "                         and age_seconds added\n"
	    "  -p, --prometheus FILE  write a node_exporter textfile to FILE, atomically\n"
	    "  -d, --state-dir DIR    state directory (default WN_STATE_DIR, else\n"
	    "                         $XDG_STATE_HOME/wn or ~/.local/state/wn)\n"
	    "  -v                     more log output\n"
	    "  -h, --help             this text;  --version  the version\n"
	    "TOOL...                  show only these tools\n");
}

/* getopt(3) knows only short options: map the long ones onto them. */
static void
long_options(int argc, char **argv)
{
	static const char *const map[][2] = {
		{ "--json", "-j" }, { "--prometheus", "-p" }, { "--state-dir", "-d" },
		{ "--help", "-h" }, { "--config", "-c" }, { "--print-config", "-P" },
		{ "--print-state-dir", "-D" }, { "--record", "-R" },
	};

	wn_long_options(argc, argv, map, sizeof map / sizeof *map);
}

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

/* --record TOOL KEY=VALUE...: a status file for wn-pipeline. */
static int
record(int n, char **args)
{
	char err[256];
	int rc;

	if (n < 1) {
		usage();
		return WN_EXIT_USAGE;
	}
	if ((rc = status_record(args[0], args + 1, n - 1, err, sizeof err)) < 0)
		log_fatal(rc == -1 ? WN_EXIT_USAGE : WN_EXIT_TEMP, "%s", err);
	return WN_EXIT_OK;
}

int
main(int argc, char **argv)
{
	const char *prom = NULL;
	char dir[PATH_MAX];
	int json = 0, opt, ask = 0;
	struct sv_list *l;
	time_t now;

	log_init("wn-status");
	if (argc > 1 && wn_is_version_flag(argv[1])) {
		wn_print_version("wn-status");
		return WN_EXIT_OK;
	}
	config_load_default();
	long_options(argc, argv);
	while ((opt = getopt(argc, argv, "hjp:d:vcPDR")) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'p': prom = optarg; break;
		case 'd': setenv("WN_STATE_DIR", optarg, 1); break;
		case 'v': log_more_verbose(); break;
		case 'c': case 'P': case 'D': case 'R': ask = opt; break;
		case 'h': usage(); return WN_EXIT_USAGE;
		default: usage(); return WN_EXIT_USAGE;
		}
	}
	if (ask == 'c')
		return config_check(stdout);
	if (ask == 'P')
		return config_print(stdout, argv + optind, argc - optind);
	if (ask == 'D')
		return config_print_state_dir(stdout);
	if (ask == 'R')
		return record(argc - optind, argv + optind);
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
		if (write_prometheus(prom, l, now) < 0) {
			sv_free(l);
			free(l);
			return WN_EXIT_TEMP;
		}
	} else if (json) {
		sv_render_json(stdout, l, now);
	} else {
		sv_render_text(stdout, l, now);
	}
	sv_free(l);
	free(l);
	if (fflush(stdout) != 0 || ferror(stdout))
		log_fatal(WN_EXIT_TEMP, "unable to write output: %s", strerror(errno));
	return WN_EXIT_OK;
}
