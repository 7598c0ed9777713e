/* killmail_history.c — a day history document of zKillboard's R2Z2
 * (history/YYYYMMDD.json) as one record per kill, for a replay.  Two
 * shapes: {"<killmail_id>":"<hash>",...}, each pair becoming
 * {"type":"killmail","killmail_id":N,"killmail_hash":H} for wn-enrich to
 * fetch, and {"<killmail_id>":{ESI killmail},...}, each body passed as
 * it is.  Any other JSON document passes too: an array element by
 * element, anything else whole (one killmail).  No normalising here:
 * wn-enrich and wn-filter do that downstream, as for a live feed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "killid.h"
#include "killmail.h"
#include "log.h"
#include "numconv.h"
#include "state.h"
#include "wn.h"

#define HISTORY_MAX (512u << 20)   /* a busy day of bodies is ~300 MB */

static int
digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
killmail_history_is(const cJSON *doc)
{
	const cJSON *it;

	if (!cJSON_IsObject(doc) || !doc->child ||
	    cJSON_GetObjectItemCaseSensitive(doc, "killmail_id"))
		return 0;
	cJSON_ArrayForEach(it, doc)
		if (!digits(it->string))
			return 0;
	return 1;
}

/* One pair of a history: the record, or NULL when the value is neither
 * a hash nor a killmail, or the key no killmail id. */
static cJSON *
history_record(cJSON *doc, cJSON *it)
{
	cJSON *rec;
	int64_t id;

	if (cJSON_IsObject(it))
		return cJSON_DetachItemViaPointer(doc, it);
	/* the key is the id: checked as every id is before it is converted */
	if (!cJSON_IsString(it) || !num_i64_of_text(it->string, strlen(it->string), &id) ||
	    !killid_ok(id))
		return NULL;
	if (!(rec = cJSON_CreateObject()) || !json_set_str(rec, "type", "killmail") ||
	    !cJSON_AddNumberToObject(rec, "killmail_id", (double)id) ||
	    !json_set_str(rec, "killmail_hash", it->valuestring))
		log_fatal(WN_EXIT_TEMP, "out of memory");
	return rec;
}

size_t
killmail_history(cJSON *doc, killmail_history_fn each, void *ud)
{
	cJSON *it, *next;
	size_t bad = 0;

	if (!killmail_history_is(doc) && !cJSON_IsArray(doc)) {
		each(ud, doc);
		return 0;
	}
	for (it = doc->child; it; it = next) {
		cJSON *rec;

		next = it->next;             /* before it is detached */
		rec = cJSON_IsArray(doc) ? cJSON_DetachItemViaPointer(doc, it)
		                         : history_record(doc, it);
		if (rec)
			each(ud, rec);
		else
			bad++;
	}
	cJSON_Delete(doc);
	return bad;
}

struct print_ctx {
	FILE *out;
	int err;
};

static void
print_one(void *ud, cJSON *rec)
{
	struct print_ctx *p = ud;
	char *text = json_print(rec);

	cJSON_Delete(rec);
	if (!text)
		log_fatal(WN_EXIT_TEMP, "out of memory");
	if (!p->err && (fputs(text, p->out) == EOF || putc('\n', p->out) == EOF))
		p->err = 1;
	free(text);
}

int
killmail_history_print(const char *path, FILE *out)
{
	struct print_ctx p = { out, 0 };
	char err[256], *buf;
	size_t len, bad;
	cJSON *doc;

	if (!(buf = state_read_file(path, HISTORY_MAX, &len))) {
		log_error("%s: cannot read it", path);
		return -1;
	}
	doc = json_parse(buf, len, err, sizeof err);
	free(buf);
	if (!doc) {
		log_error("%s: not JSON: %s", path, err);
		return -1;
	}
	if ((bad = killmail_history(doc, print_one, &p)))
		log_warn("%s: %zu entries neither a hash nor a killmail skipped", path, bad);
	if (p.err || fflush(out) == EOF) {
		log_error("cannot write to stdout: %s", strerror(errno));
		return -1;
	}
	return 0;
}
