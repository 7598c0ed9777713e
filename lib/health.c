/* health.c — the health rule over the status files (see health.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "health.h"
#include "json.h"
#include "log.h"
#include "status_api.h"

const char *const health_default_stages[] = {
	"wn-mapsse", "wn-kills", "wn-enrich", "wn-filter", "wn-discord", NULL,
};

/* The states a feed is connected in; NULL for stages that are not feeds. */
static const char *const *
feed_states(const char *name)
{
	static const char *const kills[] = { "joined", "following", NULL };
	static const char *const mapsse[] = { "streaming", "polling", NULL };

	if (!strcmp(name, "wn-kills"))
		return kills;
	if (!strcmp(name, "wn-mapsse"))
		return mapsse;
	return NULL;
}

static int
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static const struct status_view_tool *
find(const struct status_view_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->tool[i].name, name))
			return &l->tool[i];
	return NULL;
}

static void
judge_one(struct health_stage *s, const struct status_view_tool *t, time_t now, long max_age)
{
	static const char *const failed[] = { "stopped", "error", "stopping", NULL };
	const char *const *feed = feed_states(s->name);
	const char *state;

	s->tool = t;
	s->ok = 0;
	if (!t) {
		snprintf(s->why, sizeof s->why, "no status file");
		return;
	}
	state = json_str(t->doc, "state");
	if (!state)
		state = "";
	if (!t->running)
		snprintf(s->why, sizeof s->why, "not running");
	else if (in_list(state, failed) || !strncmp(state, "exited", 6))
		snprintf(s->why, sizeof s->why, "state %.60s", state);
	else if (feed && !in_list(state, feed))
		snprintf(s->why, sizeof s->why, "not connected (state %.40s)", *state ? state : "none");
	else if (feed && (!t->updated || now - t->updated > max_age))
		snprintf(s->why, sizeof s->why, "status not updated for %llds",
		    t->updated ? (long long)(now - t->updated) : -1LL);
	else
		s->ok = 1;
	if (s->ok)
		s->why[0] = '\0';
}

int
health_judge(const struct status_view_list *l, char **names, int n, time_t now, long max_age,
    int ready, struct health *h)
{
	memset(h, 0, sizeof *h);
	h->ok = 1;
	for (int i = 0; n > 0 ? i < n : health_default_stages[i] != NULL; i++) {
		const char *name = n > 0 ? names[i] : health_default_stages[i];
		struct health_stage *s;

		if (h->n == HEALTH_MAX_STAGES)
			break;
		s = &h->stage[h->n++];
		snprintf(s->name, sizeof s->name, "%s", name);
		judge_one(s, find(l, name), now, max_age);
		h->ok &= s->ok;
	}
	if (ready) {
		const struct status_view_tool *p = find(l, "wn-pipeline");
		const char *st = p ? json_str(p->doc, "state") : NULL;
		if (p && p->running && (!st || strcmp(st, "running") != 0) &&
		    h->n < HEALTH_MAX_STAGES) {
			struct health_stage *s = &h->stage[h->n++];
			snprintf(s->name, sizeof s->name, "wn-pipeline");
			snprintf(s->why, sizeof s->why, "state %.60s", st ? st : "none");
			s->tool = p;
			h->ok = 0;
		}
	}
	return h->ok;
}

void
health_summary(const struct health *h, char *buf, size_t size)
{
	size_t o = 0;

	if (size)
		buf[0] = '\0';
	for (int i = 0; i < h->n && o < size; i++) {
		if (h->stage[i].ok)
			continue;
		int w = snprintf(buf + o, size - o, "%s%s (%s)", o ? ", " : "",
		    h->stage[i].name, h->stage[i].why);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

int
health_check(const char *dir, char **names, int n, int json)
{
	struct status_api_view *v = calloc(1, sizeof *v);
	long max_age = (long)config_int("WN_HEALTH_MAX_AGE", HEALTH_MAX_AGE_DEFAULT);
	char why[512];
	int ok;

	if (!v)
		log_fatal(111, "out of memory");
	if (max_age < 1 || max_age > 86400)
		log_fatal(100, "WN_HEALTH_MAX_AGE must be between 1 and 86400");
	if (status_api_load(v, dir, names, n, max_age, 0) < 0)
		log_fatal(111, "unable to read %s: %s", dir, strerror(errno));
	ok = v->health.ok;
	if (json) {
		cJSON *o = status_api_health_json(v);
		char *s = o ? json_print(o) : NULL;
		if (s)
			printf("%s\n", s);
		cJSON_free(s);
		cJSON_Delete(o);
	}
	if (!ok) {
		health_summary(&v->health, why, sizeof why);
		log_warn("unhealthy: %s", why);
	}
	status_api_free(v);
	free(v);
	return ok ? 0 : HEALTH_EXIT_UNHEALTHY;
}
