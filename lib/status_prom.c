/* status_prom.c — the status files as a Prometheus textfile (exposition
 * format 0.0.4) for node_exporter's textfile collector: one family per
 * key, labelled by tool, each family's samples together under one
 * HELP/TYPE pair as the format requires. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "status_view.h"
#include "numconv.h"

#define MAX_FAMILIES 1024
#define NAME_LEN 128

enum fkind { F_NONE, F_COUNTER, F_GAUGE, F_TIME };

struct family {
	char name[NAME_LEN];
	char key[NAME_LEN];
	enum fkind kind;
};

/* The words that make a key a level rather than a running count.  status.c
 * records whether a key was set (gauge) or added to (counter) but does not
 * write it down, so the name decides; counts of events are the default. */
static const char *const gauge_words[] = {
	"active", "age", "backlog", "bytes", "cached", "characters", "connected",
	"connections", "current", "cursor", "delay", "depth", "entries", "inflight",
	"lag", "last", "limit", "ms", "open", "pending", "queue", "queued",
	"remaining", "rss", "seconds", "sequence", "size", "spool", "spooled", "stages",
	"subscribed", "systems", "tracked", "up", "waiting",
};

int
status_view_key_is_gauge(const char *key)
{
	char word[NAME_LEN];
	const char *p = key;

	while (*p) {
		size_t n = strcspn(p, "_");
		if (n > 0 && n < sizeof word) {
			memcpy(word, p, n);
			word[n] = '\0';
			for (size_t i = 0; i < sizeof gauge_words / sizeof *gauge_words; i++)
				if (strcmp(word, gauge_words[i]) == 0)
					return 1;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

void
status_view_metric_name(char *buf, size_t size, const char *key)
{
	size_t o = 0;

	if (size == 0)
		return;
	if (isdigit((unsigned char)*key) && o + 1 < size)
		buf[o++] = '_';
	for (; *key && o + 1 < size; key++)
		buf[o++] = isalnum((unsigned char)*key) ? *key : '_';
	buf[o] = '\0';
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The family a status key belongs to, or F_NONE for text and headers. */
static enum fkind
family_of(const cJSON *it, char *name, size_t size)
{
	char m[NAME_LEN];
	enum fkind k;

	if (!it->string || !strcmp(it->string, "tool") || !strcmp(it->string, "pid") ||
	    !strcmp(it->string, "updated") || !strcmp(it->string, "started") ||
	    !strcmp(it->string, "running"))
		return F_NONE;
	status_view_metric_name(m, sizeof m, it->string);
	if (cJSON_IsBool(it)) {
		k = F_GAUGE;
	} else if (cJSON_IsNumber(it)) {
		k = status_view_key_is_gauge(it->string) ? F_GAUGE : F_COUNTER;
	} else if (cJSON_IsString(it) && status_view_parse_time(it->valuestring) >= 0) {
		k = F_TIME;
	} else {
		return F_NONE;
	}
	snprintf(name, size, "wn_%s%s", m,
	    k == F_COUNTER && !ends_with(m, "_total") ? "_total" :
	    k == F_TIME ? "_timestamp_seconds" : "");
	return k;
}

static void
put_value(FILE *f, double v)
{
	int64_t i;

	if (num_i64_of_double(v, &i) && v < 1e15 && v > -1e15)
		fprintf(f, "%lld\n", (long long)i);
	else
		fprintf(f, "%.17g\n", v);
}

/* Label values: redacted (a status string may quote a URL), then
 * backslash, double quote and newline escaped. */
static void
put_label(FILE *f, const char *name, const char *v)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s", v);
	log_redact(buf, sizeof buf);
	v = buf;
	fprintf(f, "%s=\"", name);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static void
header(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
sample(FILE *f, const char *name, const struct status_view_tool *t, double v)
{
	fprintf(f, "%s{", name);
	put_label(f, "tool", t->name);
	fputs("} ", f);
	put_value(f, v);
}

/* Fixed families every tool has: up, start time, last update, text info. */
static void
render_fixed(FILE *f, const struct status_view_list *l)
{
	header(f, "wn_up", "gauge", "1 if the tool's process is running, else 0.");
	for (int i = 0; i < l->n; i++)
		sample(f, "wn_up", &l->tool[i], l->tool[i].running);
	header(f, "wn_start_time_seconds", "gauge", "When the tool started, unix time.");
	for (int i = 0; i < l->n; i++)
		if (l->tool[i].started)
			sample(f, "wn_start_time_seconds", &l->tool[i], (double)l->tool[i].started);
	header(f, "wn_status_updated_timestamp_seconds", "gauge",
	    "When the tool last wrote its status file, unix time.");
	for (int i = 0; i < l->n; i++)
		if (l->tool[i].updated)
			sample(f, "wn_status_updated_timestamp_seconds", &l->tool[i],
			    (double)l->tool[i].updated);
	header(f, "wn_info", "gauge", "The tool's text status fields, as labels; always 1.");
	for (int i = 0; i < l->n; i++) {
		char label[NAME_LEN];
		fputs("wn_info{", f);
		put_label(f, "tool", l->tool[i].name);
		for (const cJSON *it = l->tool[i].doc->child; it; it = it->next) {
			if (!it->string || !cJSON_IsString(it) || !strcmp(it->string, "tool") ||
			    status_view_parse_time(it->valuestring) >= 0 || !*it->valuestring)
				continue;
			status_view_metric_name(label, sizeof label, it->string);
			fputc(',', f);
			put_label(f, label, it->valuestring);
		}
		fputs("} 1\n", f);
	}
}

static int
by_family(const void *a, const void *b)
{
	return strcmp(((const struct family *)a)->name, ((const struct family *)b)->name);
}

/* Every family any tool has, each once, sorted by name. */
static int
collect(const struct status_view_list *l, struct family *fam)
{
	int n = 0;

	for (int i = 0; i < l->n; i++)
		for (const cJSON *it = l->tool[i].doc->child; it; it = it->next) {
			char name[NAME_LEN];
			enum fkind k = family_of(it, name, sizeof name);
			int seen = 0;
			if (k == F_NONE)
				continue;
			for (int j = 0; j < n && !seen; j++)
				seen = strcmp(fam[j].name, name) == 0;
			if (seen || n == MAX_FAMILIES)
				continue;
			snprintf(fam[n].name, sizeof fam[n].name, "%s", name);
			status_view_metric_name(fam[n].key, sizeof fam[n].key, it->string);
			fam[n++].kind = k;
		}
	qsort(fam, (size_t)n, sizeof *fam, by_family);
	return n;
}

static void
render_family(FILE *f, const struct status_view_list *l, const struct family *fm)
{
	static const char *const what[] = { "", "counter", "gauge", "time" };
	char help[2 * NAME_LEN];

	snprintf(help, sizeof help, "wn status key %s (%s%s).", fm->key, what[fm->kind],
	    fm->kind == F_TIME ? ", unix time" : "");
	header(f, fm->name, fm->kind == F_COUNTER ? "counter" : "gauge", help);
	for (int i = 0; i < l->n; i++)
		for (const cJSON *it = l->tool[i].doc->child; it; it = it->next) {
			char name[NAME_LEN];
			enum fkind k = family_of(it, name, sizeof name);
			if (k == F_NONE || strcmp(name, fm->name) != 0)
				continue;
			if (k == F_TIME)
				sample(f, name, &l->tool[i], (double)status_view_parse_time(it->valuestring));
			else if (cJSON_IsBool(it))
				sample(f, name, &l->tool[i], cJSON_IsTrue(it));
			else
				sample(f, name, &l->tool[i], it->valuedouble);
			break;	/* one sample per tool and family */
		}
}

char *
status_view_render_prometheus(const struct status_view_list *l, time_t now, size_t *len)
{
	struct family *fam = calloc(MAX_FAMILIES, sizeof *fam);
	char *buf = NULL;
	FILE *f;
	int n;

	if (!fam || !(f = open_memstream(&buf, len))) {
		free(fam);
		return NULL;
	}
	render_fixed(f, l);
	n = collect(l, fam);
	for (int i = 0; i < n; i++)
		render_family(f, l, &fam[i]);
	header(f, "wn_status_scrape_timestamp_seconds", "gauge",
	    "When wn-status wrote this file, unix time.");
	fprintf(f, "wn_status_scrape_timestamp_seconds %lld\n", (long long)now);
	fclose(f);
	free(fam);
	return buf;
}
