/* dashboard.c — the HTML page of `wn-status --serve` (GET /): every stage
 * with its state and age, the feeds, Discord, ESI, the last kills and
 * messages, and kills per hour as an inline SVG.  Rendered on the server
 * so it reads without JavaScript; a few lines of script swap in a fresh
 * copy of <main> every 15 s.  No external resource of any kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "status_api.h"

#define STR(x) #x
#define XSTR(x) STR(x)
#define CHART_KILLS_TEXT XSTR(STATUS_API_CHART_KILLS)

static const char style[] =
    "body{margin:0;font:15px/1.4 system-ui,sans-serif;background:#111418;color:#dde3ea}"
    "main,footer{max-width:70rem;margin:0 auto;padding:.5rem 1rem}"
    "h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.05rem;margin:1.2rem 0 .4rem;color:#9fb3c8}"
    ".overall{padding:.5rem .8rem;border-radius:.4rem;font-weight:600}"
    ".ok{color:#7ee2a8}.bad{color:#ff8b8b}.overall.ok{background:#16301f}"
    ".overall.bad{background:#3a1717}"
    ".wrap{overflow-x:auto}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #262d36;"
    "white-space:nowrap}th{color:#9fb3c8;font-weight:500}"
    ".cards{margin-top:1rem;display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.7rem}"
    ".card{background:#1a1f26;border-radius:.4rem;padding:.6rem .8rem}"
    ".card h3{margin:0 0 .3rem;font-size:.95rem;color:#9fb3c8}"
    ".card p{margin:.15rem 0}svg{width:100%;height:8rem;background:#1a1f26;border-radius:.4rem}"
    "rect{fill:#5aa9e6}.axis{display:flex;justify-content:space-between;margin:.2rem 0;"
    "color:#9fb3c8;font-size:.85rem}"
    "footer{color:#6c7a89;font-size:.85rem}"
    "@media(max-width:40rem){.wide{display:none}th,td{padding:.3rem .35rem}}";

/* Refresh <main> in place; on failure say so and keep the old one. */
static const char script[] =
    "var n=0;setInterval(function(){fetch(location.pathname,{cache:'no-store'})"
    ".then(function(r){if(!r.ok)throw r.status;return r.text()})"
    ".then(function(t){var m=new DOMParser().parseFromString(t,'text/html')"
    ".getElementById('live');if(m){m.dataset.refreshes=++n;"
    "document.getElementById('live').replaceWith(m)}"
    "document.getElementById('note').textContent=''})"
    ".catch(function(e){document.getElementById('note').textContent='refresh failed: '+e})"
    "},15000);";

static void
esc(FILE *f, const char *s)
{
	char buf[512];

	for (s = status_api_safe(s, buf, sizeof buf); *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

static void
age_of(char *buf, size_t size, time_t now, time_t t)
{
	if (t <= 0) {
		snprintf(buf, size, "-");
		return;
	}
	status_view_format_age(buf, size, (long long)(now - t));
}

static void
stages(FILE *f, const struct status_api_view *v)
{
	fputs("<h2>Stages</h2><div class=wrap><table id=stages><tr><th>Stage</th><th>State</th>"
	    "<th class=wide>Process</th><th>Updated</th><th class=wide>Uptime</th><th>Health</th></tr>", f);
	for (int i = 0; i < v->health.n; i++) {
		const struct health_stage *s = &v->health.stage[i];
		const struct status_view_tool *t = s->tool;
		const char *st = t ? json_str(t->doc, "state") : NULL;
		char upd[32], up[32];

		age_of(upd, sizeof upd, v->now, t ? t->updated : 0);
		age_of(up, sizeof up, v->now, t && t->running ? t->started : 0);
		fprintf(f, "<tr class=\"stage %s\" data-stage=\"", s->ok ? "ok" : "bad");
		esc(f, s->name);
		fputs("\"><td>", f);
		esc(f, s->name);
		fputs("</td><td>", f);
		esc(f, st && *st ? st : "-");
		fprintf(f, "</td><td class=wide>%s</td><td>%s%s</td><td class=wide>%s</td><td>",
		    t && t->running ?
		    "running" : "<span class=bad>not running</span>", upd,
		    strcmp(upd, "-") ? " ago" : "", up);
		esc(f, s->ok ? "ok" : s->why);
		fputs("</td></tr>", f);
	}
	fputs("</table></div>", f);
}

/* One "label value" line of a card, when the tool has the key. */
static void
fact(FILE *f, const struct status_api_view *v, const char *label, const char *tool, const char *key)
{
	const char *s;
	double d;
	time_t t;
	char age[32];

	if (status_api_num(v, tool, key, &d)) {
		fprintf(f, "<p>%s: <b>%.15g</b></p>", label, d);
	} else if ((s = status_api_str(v, tool, key))) {
		fprintf(f, "<p>%s: <b>", label);
		if (!*s)
			fputs("never", f);
		else if ((t = status_view_parse_time(s)) >= 0)
			status_view_format_age(age, sizeof age, (long long)(v->now - t)), fprintf(f, "%s ago", age);
		else
			esc(f, s);
		fputs("</b></p>", f);
	}
}

static void
cards(FILE *f, const struct status_api_view *v)
{
	fputs("<div class=cards><div class=card id=card-kills><h3>Kill feed (WebSocket)</h3>", f);
	fact(f, v, "State", "wn-kills", "state");
	fact(f, v, "Kills received", "wn-kills", "kills");
	fact(f, v, "Last kill", "wn-kills", "last_kill");
	fact(f, v, "Reconnects", "wn-kills", "reconnects");
	fact(f, v, "Queued", "wn-kills", "queued");
	fputs("</div><div class=card id=card-map><h3>Map (SSE)</h3>", f);
	if (v->map_name && *v->map_name) {
		fputs("<p>Map: <b>", f);
		esc(f, v->map_name);
		fputs("</b></p>", f);
	}
	fact(f, v, "State", "wn-mapsse", "state");
	fact(f, v, "Systems", "wn-mapsse", "systems");
	fact(f, v, "Characters", "wn-mapsse", "characters");
	fact(f, v, "Events", "wn-mapsse", "events");
	fact(f, v, "Last event", "wn-mapsse", "last_event");
	fputs("</div><div class=card id=card-discord><h3>Discord</h3>", f);
	fact(f, v, "Delivered", "wn-discord", "delivered");
	fact(f, v, "Queue depth", "wn-discord", "queued");
	if (v->dead_letters >= 0)
		fprintf(f, "<p>Dead letters: <b>%ld</b></p>", v->dead_letters);
	fact(f, v, "Failed this run", "wn-discord", "dead");
	fact(f, v, "Rate limited", "wn-discord", "rate_limited");
	fact(f, v, "Last delivered", "wn-discord", "last_delivered");
	fputs("</div><div class=card id=card-esi><h3>ESI and cache</h3>", f);
	fact(f, v, "ESI", "wn-enrich", "esi");
	fact(f, v, "Cache entries", "wn-enrich", "cache_entries");
	fact(f, v, "Tracked systems", "wn-filter", "tracked_systems");
	fact(f, v, "Tracked characters", "wn-filter", "tracked_characters");
	fputs("</div></div>", f);
}

/* Kills per hour as bars; the newest hour on the right. */
static void
chart(FILE *f, const struct status_api_view *v)
{
	int per[STATUS_API_CHART_HOURS], max = 1;

	status_api_kills_per_hour(v, per);
	for (int i = 0; i < STATUS_API_CHART_HOURS; i++)
		if (per[i] > max)
			max = per[i];
	fputs("<h2>Kills notified per hour, last 24 h</h2><svg id=chart viewBox=\"0 0 240 100\" "
	    "preserveAspectRatio=none role=img aria-label=\"kills per hour\">", f);
	for (int i = 0; i < STATUS_API_CHART_HOURS; i++) {
		int h = per[i] * 92 / max;
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"%d\"><title>%dh ago: %d</title>"
		    "</rect>", i * 10 + 1, 96 - h, h, STATUS_API_CHART_HOURS - 1 - i, per[i]);
	}
	fprintf(f, "</svg><p class=axis><span>24 h ago</span><span>highest: %d an hour%s</span>"
	    "<span>now</span></p>", max, cJSON_GetArraySize(v->kills) >= STATUS_API_CHART_KILLS ?
	    " (from the last " CHART_KILLS_TEXT " kills only)" : "");
}

static void
cell(FILE *f, const cJSON *o, const char *key, time_t now)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	time_t t = cJSON_IsString(it) ? status_view_parse_time(it->valuestring) : -1;
	char age[32];

	fputs("<td>", f);
	if (t >= 0 && (!strcmp(key, "seen") || !strcmp(key, "at"))) {
		/* an age reads faster than a date; the date on hover */
		status_view_format_age(age, sizeof age, (long long)(now - t));
		fputs("<span title=\"", f);
		esc(f, it->valuestring);
		fprintf(f, "\">%s ago</span>", age);
	} else if (cJSON_IsString(it))
		esc(f, it->valuestring);
	else if (cJSON_IsNumber(it) && !strcmp(key, "value"))
		fprintf(f, "%.1fM", it->valuedouble / 1e6);
	else if (cJSON_IsNumber(it))
		fprintf(f, "%.15g", it->valuedouble);
	else
		fputs("-", f);
	fputs("</td>", f);
}

static void
cell_wide(FILE *f, const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsNumber(it))
		fprintf(f, "<td class=wide>%.15g</td>", it->valuedouble);
	else
		fputs("<td class=wide>-</td>", f);
}

static void
lists(FILE *f, const struct status_api_view *v)
{
	int n = 0;

	fputs("<h2>Last kills notified</h2><div class=wrap><table id=kills><tr><th>Seen</th>"
	    "<th class=wide>Kill</th><th>System</th><th>Victim</th><th>Ship</th><th>Value</th></tr>", f);
	for (const cJSON *k = v->kills ? v->kills->child : NULL; k && n < STATUS_API_RECENT; k = k->next, n++) {
		fprintf(f, "<tr class=kill data-killmail-id=\"%.0f\">", json_num(k, "killmail_id", 0));
		cell(f, k, "seen", v->now);
		cell_wide(f, k, "killmail_id");
		for (int i = 0; i < 4; i++)
			cell(f, k, (const char *[]){ "system", "victim", "ship", "value" }[i], v->now);
		fputs("</tr>", f);
	}
	fputs("</table></div><h2>Last messages posted</h2><div class=wrap><table id=posted>"
	    "<tr><th>Posted</th><th>Message</th><th>To</th></tr>", f);
	for (const cJSON *m = v->posted ? v->posted->child : NULL; m; m = m->next) {
		fputs("<tr class=message>", f);
		for (int i = 0; i < 3; i++)
			cell(f, m, (const char *[]){ "at", "key", "target" }[i], v->now);
		fputs("</tr>", f);
	}
	fputs("</table></div>", f);
}

char *
dashboard_html(const struct status_api_view *v, size_t *len)
{
	char *buf = NULL, ts[32], why[512];
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	status_api_iso(v->now, ts, sizeof ts);
	health_summary(&v->health, why, sizeof why);
	fprintf(f, "<!doctype html><html lang=en><head><meta charset=utf-8>"
	    "<meta name=viewport content=\"width=device-width,initial-scale=1\">"
	    "<title>wn dashboard</title><style>%s</style></head><body>"
	    "<main id=live data-updated=\"%s\"><h1>wn dashboard</h1>", style, ts);
	fprintf(f, "<p class=\"overall %s\" id=overall>", v->health.ok ? "ok" : "bad");
	if (v->health.ok)
		fputs("Healthy: every stage running", f);
	else
		fputs("Unhealthy: ", f), esc(f, why);
	fprintf(f, "</p><p>wn %s &middot; updated %s</p>", WN_VERSION, ts);
	stages(f, v);
	cards(f, v);
	chart(f, v);
	lists(f, v);
	fprintf(f, "</main><footer><span id=note></span> Refreshes every 15 s &middot; "
	    "wn %s</footer><script>%s</script></body></html>\n", WN_VERSION, script);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
