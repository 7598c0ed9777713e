/* gwstatus.c — status texts for Discord (see gwstatus.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_parts.h"
#include "gwstatus.h"
#include "json.h"
#include "status_view.h"

static const struct status_view_tool *
tool(const struct status_view_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->tool[i].name, name))
			return &l->tool[i];
	return NULL;
}

static long long
num(const struct status_view_list *l, const char *t, const char *key)
{
	const struct status_view_tool *s = tool(l, t);

	return s ? (long long)json_num(s->doc, key, 0) : 0;
}

static const char *
str(const struct status_view_list *l, const char *t, const char *key, const char *def)
{
	const struct status_view_tool *s = tool(l, t);
	const char *v = s ? json_str(s->doc, key) : NULL;

	return v && *v ? v : def;
}

static const char *
tf(int v)
{
	return v ? "true" : "false";
}

static void
connection(struct buf *b, const struct status_view_list *l, const char *name, const char *what)
{
	const struct status_view_tool *t = tool(l, name);

	sb_addf(b, "• %s (%s): %s\n", what, name,
	        !t ? "not started" : !t->running ? "down (not running)" :
	        str(l, name, "state", "running"));
}

char *
gwstatus_reply(const struct status_view_list *l, const struct gws_flags *f, time_t now)
{
	struct buf b = {0};
	long long systems = num(l, "wn-filter", "tracked_systems");
	long long chars = num(l, "wn-filter", "tracked_characters");

	(void)now;
	if (!tool(l, "wn-filter")) {
		systems = num(l, "wn-mapsse", "systems");
		chars = num(l, "wn-mapsse", "characters");
	}
	sb_add(&b, "**🤖 WandererNotifier Status**\n\n");
	sb_addf(&b, "**Priority Systems:** %zu\n", f->priority);
	sb_addf(&b, "**Priority Only Mode:** %s\n\n", tf(f->priority_only));
	sb_add(&b, "**Notifications Enabled:**\n");
	sb_addf(&b, "• System: %s\n• Character: %s\n• Kill: %s\n\n", tf(f->systems),
	        tf(f->characters), tf(f->kills));
	sb_add(&b, "**Tracking:**\n");
	sb_addf(&b, "• Systems: %lld\n• Characters: %lld\n\n", systems, chars);
	sb_add(&b, "**Kills:**\n");
	sb_addf(&b, "• Seen: %lld\n• Messages posted: %lld\n", num(l, "wn-kills", "kills"),
	        num(l, "wn-discord", "delivered"));
	sb_addf(&b, "• Last kill: %s\n", str(l, "wn-kills", "last_kill", "never"));
	sb_addf(&b, "• Last post: %s\n\n", str(l, "wn-discord", "last_delivered", "never"));
	sb_add(&b, "**Connections:**\n");
	connection(&b, l, "wn-kills", "Killmail feed");
	connection(&b, l, "wn-mapsse", "Map SSE");
	connection(&b, l, "wn-discord", "Discord delivery");
	connection(&b, l, "wn-gateway", "Discord gateway");
	while (b.len && b.p[b.len - 1] == '\n')
		b.p[--b.len] = '\0';
	return buf_take(&b);
}

time_t
gwstatus_started(const struct status_view_list *l, time_t fallback)
{
	time_t t = fallback;

	for (int i = 0; i < l->n; i++)
		if (l->tool[i].running && l->tool[i].started > 0 && l->tool[i].started < t)
			t = l->tool[i].started;
	return t;
}

void
gwstatus_uptime(char *buf, size_t size, long long s)
{
	if (s < 0)
		s = 0;
	snprintf(buf, size, "%lldd %lldh %lldm %llds", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
}

static void
stamp(char *buf, size_t size, time_t now)
{
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%SZ", &tm);
}

char *
gwstatus_report(const struct status_view_list *l, time_t started, time_t now)
{
	static const char *const needed[] = { "wn-kills", "wn-mapsse", "wn-discord" };
	struct buf b = {0};
	char up[64], ts[32], down[200] = "";

	for (size_t i = 0; i < sizeof needed / sizeof *needed; i++) {
		const struct status_view_tool *t = tool(l, needed[i]);
		if (t && !t->running)
			snprintf(down + strlen(down), sizeof down - strlen(down), "%s%s",
			         *down ? ", " : "", needed[i]);
	}
	gwstatus_uptime(up, sizeof up, (long long)(now - started));
	stamp(ts, sizeof ts, now);
	sb_add(&b, "**WandererNotifier Service Status**\n\n");
	if (*down)
		sb_addf(&b, "⚠️ Not running: %s\n", down);
	else
		sb_add(&b, "✅ System is operational\n");
	sb_addf(&b, "⏱️ Uptime: %s\n📅 Report generated at: %s\n\n", up, ts);
	sb_add(&b, "_Automated periodic status report_");
	return buf_take(&b);
}

char *
gwstatus_startup(time_t now)
{
	struct buf b = {0};
	char ts[32];

	stamp(ts, sizeof ts, now);
	sb_addf(&b, "**WandererNotifier Started**\n\n✅ Connected to Discord at %s", ts);
	return buf_take(&b);
}
