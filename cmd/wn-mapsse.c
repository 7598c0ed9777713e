/* wn-mapsse — the head of the map side of the pipeline: follows one
 * Wanderer map (REST bootstrap, then its SSE event stream) and writes a
 * record per change on stdout, keeping state_dir()/map.json current for
 * wn-kills and wn-filter.  After every reconnect it resyncs over REST and
 * emits only the differences; when SSE is disabled it polls REST. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "map_feed.h"
#include "sse_client.h"
#include "status.h"
#include "tool.h"
#include "wn.h"

#define DEFAULT_EVENTS "add_system,deleted_system,system_metadata_changed," \
	"character_added,character_removed,character_updated,rally_point_added," \
	"rally_point_removed"

static void
usage(void)
{
	log_set_level(LOG_INFO);
	fprintf(stderr,
	    "usage: wn-mapsse [-1v] [-u url] [-M map] [-e events] [-i seconds] [-k seconds]\n"
	    "                 [-r seconds] [-b ms] [-B seconds] [-t ms] [-x bytes]\n"
	    "  -u, --url URL          Wanderer URL (MAP_URL)\n"
	    "  -M, --map-name SLUG    map slug or UUID (MAP_NAME); -m and --map are\n"
	    "                         its old spellings\n"
	    "  -e, --events LIST      SSE event types, comma separated, * for all\n"
	    "                         (MAP_SSE_EVENTS; default the notifier's eight)\n"
	    "  -i, --poll SECONDS     REST poll interval while SSE is disabled (60)\n"
	    "  -k, --stall SECONDS    reopen a stream silent this long (90)\n"
	    "  -r, --sse-retry SECONDS  try SSE again while polling (600)\n"
	    "  -b, --backoff MS       first reconnect delay (1000)\n"
	    "  -B, --backoff-max SECONDS  longest reconnect delay (120)\n"
	    "  -t, --timeout MS       one REST request (HTTP_MAP_TIMEOUT; 45000)\n"
	    "  -x, --max-event BYTES  largest SSE event (8 MiB)\n"
	    "  -1, --once             load the map, write the state, exit\n"
	    "  -v                     more logging\n"
	    "The API key comes from MAP_API_KEY (environment or .env), never argv.\n");
}

/* --map (a map name here, a map state file in wn-kills and wn-filter) is
 * the old spelling of --map-name. */
static const struct tool_opt longs[] = {
	{ "url", 'u' }, { "map-name", 'M' }, { "map", 'm' }, { "events", 'e' },
	{ "poll", 'i' }, { "stall", 'k' }, { "sse-retry", 'r' }, { "backoff", 'b' },
	{ "backoff-max", 'B' }, { "timeout", 't' }, { "max-event", 'x' }, { "once", '1' },
	{ NULL, 0 },
};

static void
parse_opts(struct tool *t, struct map_feed_config *o)
{
	int opt;

	o->url = config_str("MAP_URL", NULL);
	o->map = config_str("MAP_NAME", NULL);
	o->events = config_str("MAP_SSE_EVENTS", DEFAULT_EVENTS);
	o->timeout_ms = (long)config_int("HTTP_MAP_TIMEOUT", 45000);
	o->connect_ms = (long)config_int("SSE_CONNECT_TIMEOUT", 30000);
	o->poll = 60, o->stall = 90, o->sse_retry = 600, o->steady = 60;
	o->backoff_min = 1, o->backoff_max = 120;
	o->max_event = SSE_MAX_EVENT_DEFAULT;
	o->stop = &tool_stop;
	while ((opt = tool_getopt(t, "u:M:m:e:i:k:r:b:B:t:x:1")) != -1) {
		switch (opt) {
		case 'u': o->url = optarg; break;
		case 'M': case 'm': o->map = optarg; break;
		case 'e': o->events = optarg; break;
		case 'i': o->poll = wn_num_arg("--poll", optarg, 0.05, 1e9); break;
		case 'k': o->stall = wn_num_arg("--stall", optarg, 0.05, 1e9); break;
		case 'r': o->sse_retry = wn_num_arg("--sse-retry", optarg, 0.05, 1e9); break;
		case 'b': o->backoff_min = wn_num_arg("--backoff", optarg, 1, 1e9) / 1000; break;
		case 'B': o->backoff_max = wn_num_arg("--backoff-max", optarg, 0.01, 1e9); break;
		case 't': o->timeout_ms = (long)wn_num_arg("--timeout", optarg, 1, 1e9); break;
		case 'x': o->max_event = (size_t)wn_num_arg("--max-event", optarg, 256, 1e9); break;
		case '1': o->once = 1; break;
		default: tool_usage(t);
		}
	}
	tool_no_operands(t);
	/* after the options: -v may have been given */
	o->key = config_secret("MAP_API_KEY");
	if (!o->url || !o->map || !o->key)
		log_fatal(WN_EXIT_USAGE, "MAP_URL, MAP_NAME and MAP_API_KEY must all be set; unset:%s%s%s",
		          o->url ? "" : " MAP_URL", o->map ? "" : " MAP_NAME", o->key ? "" : " MAP_API_KEY");
	if (strpbrk(o->map, "/?#% "))
		log_fatal(WN_EXIT_USAGE, "MAP_NAME is not a map slug or UUID: %s", o->map);
	if (o->backoff_max < o->backoff_min)
		o->backoff_max = o->backoff_min;
}

/* scheme://host[:port] of MAP_URL (the notifier drops any path). */
static void
base_url(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://"), *end;

	if (!p || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
		log_fatal(WN_EXIT_USAGE, "MAP_URL=%.80s must start with http:// or https://", url);
	end = p + 3 + strcspn(p + 3, "/?#");
	if (end == p + 3 || (size_t)(end - url) >= size)
		log_fatal(WN_EXIT_USAGE, "MAP_URL has no host");
	snprintf(out, size, "%.*s", (int)(end - url), url);
}

int
main(int argc, char **argv)
{
	struct map_feed_config o = { 0 };
	struct map_feed *f;
	struct tool t;
	char base[512];

	/* signals first: a SIGTERM during the load still ends cleanly */
	tool_start(&t, "wn-mapsse", argc, argv, longs, usage, TOOL_SIGNALS);
	parse_opts(&t, &o);
	base_url(o.url, base, sizeof base);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	status_init("wn-mapsse");
	status_set_str("state", "loading");
	f = map_feed_new(&o, base);
	map_feed_run(f);
	map_feed_free(f);
	return tool_finish(&t, WN_EXIT_OK);
}
