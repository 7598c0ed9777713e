/* config_vars.c — the tables behind config_vars.h.  A variable added to
 * a tool must be added here too, or the configuration check calls it
 * unknown (tests/config-check.t compares this table with the sources). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "config_vars.h"

static const struct config_var vars[] = {
	/* Discord: routes (lib/route.c) and delivery */
	{ "DISCORD_BOT_TOKEN", CV_SECRET, "wn-discord", "bot token for channel routes" },
	{ "DISCORD_CHANNEL_ID", CV_TEXT, "wn-discord", "main channel, the fallback of every kind" },
	{ "DISCORD_SYSTEM_KILL_CHANNEL_ID", CV_TEXT, "wn-discord", "channel for kills in tracked systems" },
	{ "DISCORD_CHARACTER_KILL_CHANNEL_ID", CV_TEXT, "wn-discord", "channel for kills of tracked characters" },
	{ "DISCORD_SYSTEM_CHANNEL_ID", CV_TEXT, "wn-discord", "channel for new tracked systems" },
	{ "DISCORD_CHARACTER_CHANNEL_ID", CV_TEXT, "wn-discord", "channel for new tracked characters" },
	{ "DISCORD_RALLY_CHANNEL_ID", CV_TEXT, "wn-discord", "channel for rally points" },
	{ "DISCORD_WEBHOOK_URL", CV_SECRET, "wn-discord", "main webhook (instead of the main channel)" },
	{ "DISCORD_SYSTEM_KILL_WEBHOOK_URL", CV_SECRET, "wn-discord", "webhook for kills in tracked systems" },
	{ "DISCORD_CHARACTER_KILL_WEBHOOK_URL", CV_SECRET, "wn-discord", "webhook for kills of tracked characters" },
	{ "DISCORD_SYSTEM_WEBHOOK_URL", CV_SECRET, "wn-discord", "webhook for new tracked systems" },
	{ "DISCORD_CHARACTER_WEBHOOK_URL", CV_SECRET, "wn-discord", "webhook for new tracked characters" },
	{ "DISCORD_RALLY_WEBHOOK_URL", CV_SECRET, "wn-discord", "webhook for rally points" },
	{ "DISCORD_API_URL", CV_URL, "wn-discord", "Discord API base (tests point it at a fake)" },
	{ "DISCORD_RALLY_GROUP_IDS", CV_IDS, "wn-filter, wn-discord", "roles mentioned in rally messages" },
	{ "DISCORD_RALLY_GROUP_ID", CV_IDS, "wn-filter, wn-discord", "older single-role spelling of DISCORD_RALLY_GROUP_IDS" },
	{ "HTTP_DISCORD_TIMEOUT", CV_INT, "wn-discord", "Discord request timeout, ms" },
	{ "WN_DISCORD_QUEUE", CV_INT, "wn-discord", "messages held in the spool, 1..1000000" },
	{ "WN_DISCORD_DEDUP_SECONDS", CV_INT, "wn-discord", "how long a delivery is remembered" },
	{ "WN_DISCORD_GLOBAL_LIMIT", CV_INT, "wn-discord", "requests per second over all routes, 1..1000" },
	/* the map */
	{ "MAP_URL", CV_URL, "wn-mapsse", "Wanderer base URL (the path is dropped)" },
	{ "MAP_NAME", CV_TEXT, "wn-mapsse", "map slug" },
	{ "MAP_API_KEY", CV_SECRET, "wn-mapsse", "map API key" },
	{ "MAP_SSE_EVENTS", CV_TEXT, "wn-mapsse", "SSE event types asked for" },
	{ "HTTP_MAP_TIMEOUT", CV_INT, "wn-mapsse", "map REST timeout, ms" },
	{ "SSE_CONNECT_TIMEOUT", CV_INT, "wn-mapsse", "SSE connect timeout, ms" },
	{ "WN_MAPSSE_REPLAY_SECONDS", CV_INT, "wn-mapsse", "records written again on start" },
	/* the kill feed */
	{ "WEBSOCKET_URL", CV_URL, "wn-kills", "WandererKills WebSocket" },
	{ "R2Z2_URL", CV_URL, "wn-kills", "zKillboard R2Z2 base (wn-kills --source r2z2)" },
	{ "R2Z2_INTERVAL_MS", CV_INT, "wn-kills", "pause between R2Z2 requests, ms" },
	{ "R2Z2_POLL_MS", CV_INT, "wn-kills", "R2Z2 poll when caught up, ms" },
	{ "WN_KILLS_HEARTBEAT_MS", CV_INT, "wn-kills", "Phoenix heartbeat, ms" },
	{ "WN_KILLS_BACKOFF_MS", CV_INT, "wn-kills", "first reconnect delay, ms" },
	{ "WN_KILLS_BACKOFF_MAX_MS", CV_INT, "wn-kills", "longest reconnect delay, ms" },
	{ "WN_KILLS_QUEUE", CV_INT, "wn-kills", "killmails held while the pipe is full" },
	{ "WN_KILLS_QUEUE_TIMEOUT_MS", CV_INT, "wn-kills", "how long a full queue is tolerated, ms" },
	{ "WN_KILLS_MAX_MESSAGE", CV_INT, "wn-kills", "largest WebSocket message, bytes" },
	/* enrichment */
	{ "ESI_URL", CV_URL, "wn-enrich", "ESI base" },
	{ "WN_ESI_MAX_WAIT", CV_INT, "wn-enrich", "longest wait for ESI, s" },
	{ "WN_ESI_TIMEOUT_MS", CV_INT, "wn-enrich", "ESI request timeout, ms" },
	{ "WN_ESI_CACHE_MB", CV_INT, "wn-enrich", "ESI cache size on disk, MB" },
	{ "WN_ESI_COMPAT_DATE", CV_TEXT, "wn-enrich", "X-Compatibility-Date sent to ESI" },
	{ "WN_ESI_ERROR_RESERVE", CV_INT, "wn-enrich", "ESI errors left at which requests pause" },
	{ "WN_ESI_TOKEN_RESERVE", CV_INT, "wn-enrich", "ESI tokens left at which fetches are paced" },
	{ "WN_ENRICH_REGION", CV_BOOL, "wn-enrich", "add region names (wn-enrich -r)" },
	{ "WN_ENRICH_ALL_TICKERS", CV_BOOL, "wn-enrich", "tickers for every attacker" },
	{ "WN_CONTACT", CV_TEXT, "wn-enrich", "contact in the User-Agent, as ESI asks" },
	{ "NOTABLE_ITEMS_ENABLED", CV_BOOL, "wn-enrich", "notable items priced by Janice" },
	{ "NOTABLE_ITEMS_LIMIT", CV_INT, "wn-enrich", "notable items shown, 0..50" },
	{ "NOTABLE_ITEMS_THRESHOLD_ISK", CV_INT, "wn-enrich", "ISK value from which an item is notable" },
	{ "JANICE_API_TOKEN", CV_SECRET, "wn-enrich", "Janice key" },
	{ "JANICE_API_URL", CV_URL, "wn-enrich", "Janice base" },
	{ "HTTP_JANICE_TIMEOUT", CV_INT, "wn-enrich", "Janice timeout, ms" },
	{ "WANDERER_KILLS_URL", CV_URL, "wn-enrich", "WandererKills REST: recent kills of a new system" },
	{ "WN_RECENT_KILLS", CV_BOOL, "wn-enrich", "recent kills of a new system" },
	{ "WN_RECENT_KILLS_TIMEOUT_MS", CV_INT, "wn-enrich", "WandererKills REST timeout, ms" },
	/* the decision (lib/filter.c) */
	{ "NOTIFICATIONS_ENABLED", CV_BOOL, "wn-filter", "master switch" },
	{ "KILL_NOTIFICATIONS_ENABLED", CV_BOOL, "wn-filter", "kill messages" },
	{ "SYSTEM_NOTIFICATIONS_ENABLED", CV_BOOL, "wn-filter", "new system messages" },
	{ "CHARACTER_NOTIFICATIONS_ENABLED", CV_BOOL, "wn-filter", "new character messages" },
	{ "RALLY_NOTIFICATIONS_ENABLED", CV_BOOL, "wn-filter", "rally point messages" },
	{ "TRACK_KSPACE_ENABLED", CV_BOOL, "wn-filter", "k-space systems followed (system kills and messages)" },
	{ "WORMHOLE_ONLY_KILL_NOTIFICATIONS_ENABLED", CV_BOOL, "wn-filter", "only kills in wormhole space" },
	{ "PRIORITY_SYSTEMS_ONLY_ENABLED", CV_BOOL, "wn-filter", "system messages for priority systems only" },
	{ "PRIORITY_SYSTEMS_ONLY", CV_BOOL, "wn-filter", "older spelling of PRIORITY_SYSTEMS_ONLY_ENABLED" },
	{ "WN_NOTIFY_REMOVED_ENABLED", CV_BOOL, "wn-filter", "systems and characters removed" },
	{ "WN_EXCLUDE_NPC_KILLS", CV_BOOL, "wn-filter", "drop kills with only NPC attackers" },
	{ "WN_MIN_KILL_VALUE", CV_INT, "wn-filter", "kills worth less (ISK) are dropped" },
	{ "MAX_KILLMAIL_AGE_SECONDS", CV_INT, "wn-filter", "older kills are dropped; 0 = no limit" },
	{ "STARTUP_SUPPRESSION_SECONDS", CV_INT, "wn-filter", "events ignored after start" },
	{ "CORPORATION_KILL_FOCUS", CV_IDS, "wn-filter", "corporations whose kills go to the character kill route" },
	{ "CHARACTER_EXCLUDE_LIST", CV_IDS, "wn-filter", "characters whose kills are not notified" },
	{ "SYSTEM_EXCLUDE_LIST", CV_IDS, "wn-filter", "systems whose kills are not notified" },
	{ "WN_INCLUDE_CORPORATIONS", CV_IDS, "wn-filter", "only kills involving these corporations" },
	{ "WN_EXCLUDE_CORPORATIONS", CV_IDS, "wn-filter", "no kills involving these corporations" },
	{ "WN_INCLUDE_ALLIANCES", CV_IDS, "wn-filter", "only kills involving these alliances" },
	{ "WN_EXCLUDE_ALLIANCES", CV_IDS, "wn-filter", "no kills involving these alliances" },
	{ "WN_INCLUDE_LABELS", CV_TEXT, "wn-filter", "only kills with one of these zKillboard labels" },
	{ "WN_EXCLUDE_LABELS", CV_TEXT, "wn-filter", "no kills with one of these zKillboard labels" },
	{ "WN_PRIORITY_SYSTEMS", CV_IDS, "wn-filter", "extra priority systems for the run" },
	/* wn-gateway: slash commands, voice participants, status messages */
	{ "DISCORD_APPLICATION_ID", CV_TEXT, "wn-gateway", "application id: slash commands (wn-gateway runs when set with the bot token)" },
	{ "DISCORD_GUILD_ID", CV_TEXT, "wn-gateway", "guild the commands are registered in (else global)" },
	{ "STATUS_MESSAGES_ENABLED", CV_BOOL, "wn-gateway", "startup and hourly status messages" },
	{ "VOICE_PARTICIPANT_NOTIFICATIONS_ENABLED", CV_BOOL, "wn-gateway, wn-discord", "mention the people in voice" },
	{ "FALLBACK_TO_HERE_ENABLED", CV_BOOL, "wn-discord", "@here when nobody is in voice" },
	{ "WN_GATEWAY_BACKOFF_MS", CV_INT, "wn-gateway", "first reconnect delay, ms" },
	/* the HTTP status surface (wn-status --serve) */
	{ "PORT", CV_INT, "wn-status", "HTTP port of wn-status --serve (wn-pipeline starts it when set)" },
	{ "WN_HTTP", CV_TEXT, "wn-pipeline", "[ADDR:]PORT of the HTTP status surface" },
	{ "NOTIFIER_API_TOKEN", CV_SECRET, "wn-status", "bearer token for the dashboard, /api/status and /metrics" },
	{ "WN_HEALTH_MAX_AGE", CV_INT, "wn-status", "seconds a feed's status file may go unwritten and stay healthy" },
	/* wn-kills: connection and gap fill */
	{ "WN_KILLS_CONNECT_TIMEOUT_MS", CV_INT, "wn-kills", "connect, TLS and upgrade deadline, ms" },
	{ "WN_KILLS_WRITTEN", CV_INT, "wn-kills", "killmail ids remembered across restarts" },
	{ "WN_KILLS_RESEND_SECONDS", CV_INT, "wn-kills", "ids of the previous run's last seconds not trusted on a start" },
	{ "WN_KILLS_GAP_DELAY_MS", CV_INT, "wn-kills", "wait after reconnecting before a gap is filled, ms" },
	{ "WN_KILLS_GAP_PACE_MS", CV_INT, "wn-kills", "pause between gap-fill requests, ms" },
	{ "WN_KILLS_GAP_BACKOFF_MS", CV_INT, "wn-kills", "first retry delay of a failed gap fill, ms" },
	{ "WN_KILLS_GAP_BACKOFF_MAX_MS", CV_INT, "wn-kills", "longest retry delay of a gap fill, ms" },
	{ "WN_KILLS_GAP_TRIES", CV_INT, "wn-kills", "tries of a gap-fill request" },
	{ "WN_KILLS_GAP_CHUNK", CV_INT, "wn-kills", "systems per gap-fill request" },
	{ "WN_KILLS_GAP_LIMIT", CV_INT, "wn-kills", "kills asked for per system" },
	{ "WN_KILLS_GAP_TIMEOUT_MS", CV_INT, "wn-kills", "gap-fill request timeout, ms" },
	/* every tool, and wn-pipeline */
	{ "WN_STATE_DIR", CV_TEXT, "all", "state directory" },
	{ "WN_ENV_FILE", CV_TEXT, "all", "the .env file" },
	{ "WN_LOG_LEVEL", CV_TEXT, "all", "error, warn, info or debug" },
	{ "WN_CA_FILE", CV_TEXT, "all", "extra CA bundle to trust" },
	{ "WN_RUN_DIR", CV_TEXT, "wn-pipeline", "FIFOs and the lock (default $WN_STATE_DIR/run)" },
	{ "WN_DRAIN_SECONDS", CV_INT, "wn-pipeline", "time the stages get to drain on stop" },
	{ "WN_READY_SECONDS", CV_INT, "wn-pipeline", "time the stages get to come up" },
	{ "WN_DRY_RUN", CV_BOOL, "wn-pipeline", "post nothing (wn-discord --dry-run)" },
	{ "WN_BIN", CV_TEXT, "wn-pipeline", "directory of the tools (a build directory)" },
};

/* What Wanderer Notifier reads (its .env.example, rel/overlays/env.sh and
 * ../shared/spec/notifier-detail.md §1.2) and wn does not, and why. */
static const struct config_ignored ignored[] = {
	{ "SCHEDULERS_ENABLED", "no schedulers: wn-gateway posts the hourly status message with STATUS_MESSAGES_ENABLED" },
	{ "TELEMETRY_LOGGING_ENABLED", "log detail is WN_LOG_LEVEL or -v" },
	{ "SYSTEM_TRACKING_ENABLED", "only shown by /notifier status there; wn always follows the map" },
	{ "CHARACTER_TRACKING_ENABLED", "only shown by /notifier status there; wn always follows the map" },
	{ "PLUGIN_NOTIFIER_API_KEY", "no multi-map mode: run one flow per map, each with its own WN_STATE_DIR" },
	{ "BASE_URL", "only a log line in the notifier (multi-map mode)" },
	{ "SSE_RECV_TIMEOUT", "wn-mapsse notices a silent stream itself (--stall)" },
	{ "SSE_KEEPALIVE_INTERVAL", "no effect in the notifier either" },
	{ "DEDUPLICATION_TTL_SECONDS", "no effect in the notifier either; wn remembers deliveries for WN_DISCORD_DEDUP_SECONDS" },
	{ "NOTABLE_ITEM_THRESHOLD", "no effect in the notifier either; the threshold is NOTABLE_ITEMS_THRESHOLD_ISK" },
	{ "LICENSE_KEY", "wn needs no license" },
	{ "LICENSE_MANAGER_URL", "wn needs no license" },
	{ "LICENSE_REFRESH_INTERVAL", "wn needs no license" },
	{ "LICENSE_MANAGER_API_KEY", "wn needs no license" },
	{ "LICENSE_VALIDATION_URL", "wn needs no license" },
	{ "API_TOKEN", "wn needs no license and has no HTTP API" },
	{ "HOST", "wn-status --serve takes [ADDR:]PORT (or WN_HTTP), default 127.0.0.1" },
	{ "SCHEME", "wn-status --serve speaks plain HTTP; put TLS in a proxy" },
	{ "PUBLIC_URL", "wn-status --serve links nothing absolute" },
	{ "CACHE_DIR", "logs go to stderr for the supervisor; caches live in WN_STATE_DIR" },
	{ "SECRET_KEY_BASE", "a Phoenix internal" },
	{ "LIVE_VIEW_SIGNING_SALT", "a Phoenix internal" },
	{ "SESSION_SIGNING_SALT", "a Phoenix internal" },
	{ "CODE_RELOADER_ENABLED", "a Phoenix internal" },
	{ "MIX_ENV", "an Elixir build setting" },
	{ "HTTP_ESI_TIMEOUT", "wn-enrich's ESI timeout is WN_ESI_TIMEOUT_MS" },
	{ "HTTP_WANDERER_KILLS_TIMEOUT", "wn-enrich's WandererKills timeout is WN_RECENT_KILLS_TIMEOUT_MS" },
	{ "HTTP_LICENSE_*", "wn needs no license" },
	{ "HTTP_WANDERER_SDE_*", "no SDE download: item names come from ESI" },
	{ "HTTP_*_RETRY_COUNT", "wn retries with its own back-off until the supervisor stops it" },
	{ "HTTP_*_RETRY_DELAY", "wn retries with its own back-off until the supervisor stops it" },
	{ "GUN_*", "settings of the notifier's HTTP client; wn-gateway has its own reconnect rules" },
	{ "POSTGRES_*", "historical: the notifier has no database at HEAD, and wn keeps files in WN_STATE_DIR" },
	{ "WANDERER_*", "historical aliases (rel/overlays/env.sh) that nothing reads; use the names without WANDERER_" },
	{ "MAP_TOKEN", "historical alias; use MAP_API_KEY" },
	{ "MAP_URL_WITH_NAME", "historical; use MAP_URL and MAP_NAME" },
	{ "ENABLE_*", "historical flag names; use the *_ENABLED ones" },
	{ "DISABLE_STATUS_MESSAGES", "historical; use STATUS_MESSAGES_ENABLED" },
	{ "CONFIG_PATH", "historical; wn reads ./.env or WN_ENV_FILE" },
};

#define N(a) (sizeof (a) / sizeof *(a))

const struct config_var *
config_var_find(const char *name)
{
	for (size_t i = 0; i < N(vars); i++)
		if (strcmp(vars[i].name, name) == 0)
			return &vars[i];
	return NULL;
}

const struct config_var *
config_var_at(size_t i)
{
	return i < N(vars) ? &vars[i] : NULL;
}

/* "A*B" patterns: prefix A, suffix B (either may be empty). */
static int
pattern_match(const char *pat, const char *name)
{
	const char *star = strchr(pat, '*');
	size_t pre, suf, n = strlen(name);

	if (!star)
		return strcmp(pat, name) == 0;
	pre = (size_t)(star - pat);
	suf = strlen(star + 1);
	return n > pre + suf && strncmp(pat, name, pre) == 0 &&
	       strcmp(name + n - suf, star + 1) == 0;
}

const struct config_ignored *
config_ignored_find(const char *name)
{
	if (config_var_find(name))
		return NULL;
	for (size_t i = 0; i < N(ignored); i++)
		if (pattern_match(ignored[i].name, name))
			return &ignored[i];
	return NULL;
}

int
config_var_is_secret(const char *name)
{
	static const char *const looks[] = { "TOKEN", "KEY", "SECRET", "PASSWORD", "WEBHOOK", "SALT" };
	const struct config_var *v = config_var_find(name);

	if (v)
		return v->kind == CV_SECRET;
	for (size_t i = 0; i < N(looks); i++)
		if (strstr(name, looks[i]))
			return 1;
	return 0;
}

/* Edit distance, case-insensitive, for names up to 63 characters. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], prev, cur;

	if (la > 63 || lb > 63)
		return 64;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int same = toupper((unsigned char)a[i - 1]) == toupper((unsigned char)b[j - 1]);
			cur = row[j];
			row[j] = prev + !same;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[lb];
}

static void
consider(const char *cand, const char *name, const char **best, size_t *bestd)
{
	size_t d = distance(cand, name);

	if (d < *bestd) {
		*best = cand;
		*bestd = d;
	}
}

const char *
config_var_suggest(const char *name)
{
	const char *best = NULL;
	size_t bestd = 64, limit = strlen(name) > 12 ? 3 : 2;

	for (size_t i = 0; i < N(vars); i++)
		consider(vars[i].name, name, &best, &bestd);
	for (size_t i = 0; i < N(ignored); i++)
		if (!strchr(ignored[i].name, '*'))
			consider(ignored[i].name, name, &best, &bestd);
	return bestd <= limit ? best : NULL;
}
