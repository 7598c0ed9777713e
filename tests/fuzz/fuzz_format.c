/* fuzz_format.c — the Discord formatter over any record (a killmail is
 * normalised first, as wn-kills would): every message it makes keeps
 * Discord's limits (content 2000, 10 embeds, title 256, description
 * 4096, 25 fields of 256/1024, footer 2048, author 256, 6000 in all,
 * counted in characters) and is valid UTF-8. */
#include "filter.h"
#include "format.h"
#include "fuzz.h"
#include "json.h"
#include "killmail.h"
#include "utf8.h"

static size_t
chars(const cJSON *o, const char *key, size_t max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t n;

	if (!cJSON_IsString(v))
		return 0;
	FUZZ_ASSERT(utf8_valid(v->valuestring, strlen(v->valuestring)));
	n = utf8_chars(v->valuestring, strlen(v->valuestring));
	if (n > max) {
		fprintf(stderr, "fuzz: %s has %zu characters, more than %zu\n", key, n, max);
		abort();
	}
	return n;
}

static void
check_message(const cJSON *m)
{
	const cJSON *embeds = cJSON_GetObjectItemCaseSensitive(m, "embeds"), *e;
	size_t total = 0;
	char *text = json_print(m);

	FUZZ_ASSERT(text && utf8_valid(text, strlen(text)));
	cJSON_free(text);
	chars(m, "content", 2000);
	FUZZ_ASSERT(cJSON_GetArraySize(embeds) <= 10);
	cJSON_ArrayForEach(e, embeds) {
		const cJSON *fields = cJSON_GetObjectItemCaseSensitive(e, "fields"), *f;
		total += chars(e, "title", 256) + chars(e, "description", 4096);
		total += chars(cJSON_GetObjectItemCaseSensitive(e, "footer"), "text", 2048);
		total += chars(cJSON_GetObjectItemCaseSensitive(e, "author"), "name", 256);
		FUZZ_ASSERT(cJSON_GetArraySize(fields) <= 25);
		cJSON_ArrayForEach(f, fields)
			total += chars(f, "name", 256) + chars(f, "value", 1024);
	}
	FUZZ_ASSERT(total <= 6000);
}

/* A record straight from the wire has no notify object yet (wn-filter adds
 * it): give it one of the kind the selector byte names. */
static void
add_notify(cJSON *rec, unsigned sel)
{
	struct notify n;
	char buf[2048];
	cJSON *j;

	if (cJSON_GetObjectItemCaseSensitive(rec, "notify"))
		return;
	memset(&n, 0, sizeof n);
	n.kind = (enum notify_kind)((sel >> 3) % 5);
	n.role = (enum notify_role)((sel >> 6) % 3);
	n.priority = sel & 2;
	n.mention = sel & 4 ? "@here" : NULL;
	snprintf(n.reason, sizeof n.reason, "tracked system");
	snprintf(n.system_name, sizeof n.system_name, "%s", sel & 1 ? "Home \u2603" : "");
	n.tracked[0] = 2119000001;
	n.n_tracked = 1;
	if (notify_json(&n, buf, sizeof buf) >= 0 && (j = cJSON_Parse(buf)) != NULL)
		cJSON_AddItemToObject(rec, "notify", j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fmt_options opt = { 0 };
	enum fmt_route route;
	char err[256];
	cJSON *rec, *msg;

	fuzz_quiet();
	if (size < 1)
		return 0;
	if (!(rec = json_parse((const char *)data + 1, size - 1, err, sizeof err)))
		return 0;
	if (killmail_shape(rec) != KM_UNKNOWN && !(rec = killmail_normalize(rec, err, sizeof err)))
		return 0;
	if (cJSON_IsObject(rec))
		add_notify(rec, data[0]);
	opt.plain_text = data[0] & 1;
	opt.rally_roles = data[0] & 2 ? "123456789012345678,987654321098765432" : NULL;
	opt.map_name_routes = data[0] & 4 ? FMT_MAP_NAME_DEFAULT : 0;
	if ((msg = format_message(rec, &opt, &route, err, sizeof err)) != NULL) {
		FUZZ_ASSERT(route < ROUTE_COUNT && fmt_route_name(route));
		check_message(msg);
		cJSON_Delete(msg);
	}
	cJSON_Delete(rec);
	return 0;
}
