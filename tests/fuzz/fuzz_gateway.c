/* fuzz_gateway.c — wn-gateway's view of the Gateway: each line of the
 * input is one payload for gw_parse; a dispatch goes on to gwvoice_event
 * (GUILD_CREATE, VOICE_STATE_UPDATE, channels) and, for
 * INTERACTION_CREATE, gwcmd_parse.  Properties: the sequence number
 * never goes back and stays in [-1, 2^53]; a kept resume URL is a
 * WebSocket URL; the payloads sent back (heartbeat, RESUME) are JSON
 * carrying that sequence; the voice list is ascending, within the
 * limits, never the AFK channel's, and survives the voice file round
 * trip; an interaction's error text never holds its token. */
#include "fuzz.h"
#include "gw.h"
#include "gwcmd.h"
#include "gwvoice.h"
#include "json.h"

#define GUILD 10   /* the guild of the seeds; any other is "not ours" */

static void
check_voice(const struct gwvoice *v)
{
	static int64_t a[GWV_MAX_USERS], b[GWV_MAX_USERS];
	size_t n = gwvoice_users(v, a, GWV_MAX_USERS);
	char *file;
	int m;

	FUZZ_ASSERT(n <= v->nu && v->nu <= GWV_MAX_USERS && v->nch <= GWV_MAX_CHANNELS);
	for (size_t i = 1; i < n; i++)
		FUZZ_ASSERT(a[i - 1] < a[i]);
	for (size_t i = 0; i < v->nu; i++)
		if (v->u[i].channel == v->afk && v->afk)
			for (size_t k = 0; k < n; k++)
				FUZZ_ASSERT(a[k] != v->u[i].user);
	file = gwvoice_file(v, 1765000000, 0);
	FUZZ_ASSERT(file);
	m = gwvoice_read(file, strlen(file), 1765000000, b, GWV_MAX_USERS);
	FUZZ_ASSERT(m == (int)n);   /* the writer waits for GUILD_CREATE (known) */
	FUZZ_ASSERT(n == 0 || memcmp(a, b, n * sizeof *a) == 0);
	free(file);
}

static void
check_interaction(const cJSON *d)
{
	struct gwi i;
	char err[256];
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(d, "token");

	memset(&i, 0, sizeof i);
	err[0] = '\0';
	if (gwcmd_parse(d, &i, err, sizeof err) < 0) {
		FUZZ_ASSERT(err[0]);
		if (cJSON_IsString(tok) && strlen(tok->valuestring) >= 8)
			FUZZ_ASSERT(!strstr(err, tok->valuestring));
		return;
	}
	FUZZ_ASSERT(strlen(i.token) < sizeof i.token && strlen(i.system_name) < sizeof i.system_name);
	if (i.type == GWI_COMMAND || i.type == GWI_AUTOCOMPLETE)
		FUZZ_ASSERT(i.action[0] && i.command[0]);
	for (const char *c = i.system_name; *c; c++)
		FUZZ_ASSERT((unsigned char)*c >= 0x20 && *c != 0x7f);
}

static void
check_sends(const struct gw_session *s)
{
	char *hb = gw_heartbeat(s), *re = gw_resume("tok", s), err[64];
	cJSON *j;

	FUZZ_ASSERT(hb && re);
	FUZZ_ASSERT((j = json_parse(hb, strlen(hb), err, sizeof err)));
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "d");
	FUZZ_ASSERT(s->seq < 0 ? cJSON_IsNull(d) : cJSON_IsNumber(d) && d->valuedouble == (double)s->seq);
	cJSON_Delete(j);
	FUZZ_ASSERT((j = json_parse(re, strlen(re), err, sizeof err)));
	cJSON_Delete(j);
	free(hb);
	free(re);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gw_session s;
	struct gwvoice v;
	struct gw_msg m;
	char err[256];
	const char *p = (const char *)data, *end = p + size;

	fuzz_quiet();
	gw_session_reset(&s);
	gwvoice_init(&v, GUILD);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int64_t before = s.seq;
		enum gw_ev ev = gw_parse(&s, p, len, &m, err, sizeof err);

		FUZZ_ASSERT(s.seq >= before && s.seq >= -1 && s.seq <= (int64_t)1 << 53);
		FUZZ_ASSERT(strlen(s.session_id) < sizeof s.session_id);
		FUZZ_ASSERT(!s.resume_url[0] || !strncmp(s.resume_url, "ws://", 5) ||
		    !strncmp(s.resume_url, "wss://", 6));
		FUZZ_ASSERT(strlen(m.t) < sizeof m.t);
		if (ev == GW_EV_HELLO)
			FUZZ_ASSERT(m.interval_ms >= GW_HB_MIN_MS && m.interval_ms <= GW_HB_MAX_MS);
		if (ev == GW_EV_BAD)
			FUZZ_ASSERT(err[0]);
		if (ev == GW_EV_DISPATCH || ev == GW_EV_READY) {
			if (gwvoice_event(&v, m.t, m.d, err, sizeof err) < 0)
				FUZZ_ASSERT(err[0]);
			if (!strcmp(m.t, "INTERACTION_CREATE") && cJSON_IsObject(m.d))
				check_interaction(m.d);
		}
		gw_msg_free(&m);
		p += len + 1;
	}
	check_voice(&v);
	check_sends(&s);
	gwvoice_free(&v);
	return 0;
}
