/* fuzz_state.c — the state files as a crash, a full disk or another hand
 * may leave them: the first byte picks the file (delivered log, journal,
 * cache, event cursor, map.json, R2Z2 cursor, spool, priority list), the
 * rest is its content; it is opened, used and closed in a private state
 * directory. */
#include <dirent.h>
#include <limits.h>
#include <unistd.h>

#include "cache.h"
#include "outbox_delivered.h"
#include "map_cursor.h"
#include "fuzz.h"
#include "idset.h"
#include "journal.h"
#include "map_state.h"
#include "r2z2.h"
#include "outbox_spool.h"
#include "state.h"

static char dir[64];

static void
put(const char *name, const uint8_t *d, size_t n)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	FUZZ_ASSERT((f = fopen(p, "w")) != NULL);
	fwrite(d, 1, n, f);
	fclose(f);
}

static void
wipe(const char *d)
{
	DIR *dd = opendir(d);
	struct dirent *e;
	char p[PATH_MAX];

	while (dd && (e = readdir(dd)) != NULL) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.'))
			continue;
		snprintf(p, sizeof p, "%s/%s", d, e->d_name);
		if (unlink(p) < 0)
			wipe(p), rmdir(p);
	}
	if (dd)
		closedir(dd);
}

static void
spool_case(const uint8_t *d, size_t n)
{
	char name[64], p[PATH_MAX];
	size_t k = 0;
	struct outbox_spool s;
	uint64_t seqs[16], seq;

	/* the first line names the file: digits and ".json" as a spool keeps */
	while (k < n && k < 40 && d[k] != '\n') {
		name[k] = (char)(d[k] >= '0' && d[k] <= '9' ? d[k] : d[k] % 2 ? '.' : 'j');
		k++;
	}
	name[k] = '\0';
	snprintf(name + k, sizeof name - k, "%s", k && name[k - 1] == 'j' ? "son" : ".json");
	snprintf(p, sizeof p, "%s/spool", dir);
	state_mkdir_p(p, 0700);
	snprintf(p, sizeof p, "spool/%s", name);
	put(p, d + k, n - k);
	FUZZ_ASSERT(outbox_spool_open(&s, dir) == 0);
	long m = outbox_spool_list(&s, 0, seqs, 16);
	for (long i = 0; i < m; i++) {
		FUZZ_ASSERT(seqs[i] < s.next_seq);
		size_t len;
		free(outbox_spool_read(&s, seqs[i], 1 << 20, &len));
	}
	if (outbox_spool_add(&s, "{}", 2, &seq) == 0)
		FUZZ_ASSERT(seq > 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], p[PATH_MAX];
	const time_t now = 1773775000;

	fuzz_quiet();
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/wn-fuzz-state.XXXXXX");
		FUZZ_ASSERT(mkdtemp(dir));
		setenv("WN_STATE_DIR", dir, 1);
	}
	if (size < 1)
		return 0;
	const uint8_t *d = data + 1;
	size_t n = size - 1;
	switch (data[0] % 8) {
	case 0: {
		put("delivered.log", d, n);
		snprintf(p, sizeof p, "%s/delivered.log", dir);
		struct outbox_delivered *l = outbox_delivered_open(p, 3600, 100, now);
		if (l) {
			(void)outbox_delivered_has(l, "k:1", now);
			outbox_delivered_add(l, "k:2", now);
			outbox_delivered_close(l);
		}
		break;
	}
	case 1: {
		put("journal", d, n);
		snprintf(p, sizeof p, "%s/journal", dir);
		struct journal *j = journal_open(p, 50, 3600, now);
		if (j) {
			journal_add(j, "{\"type\":\"system\"}", now);
			journal_close(j);
		}
		break;
	}
	case 2: {
		put("cache", d, n);
		snprintf(p, sizeof p, "%s/cache", dir);
		struct cache *c = cache_open(p, 1 << 16, 1 << 20, err, sizeof err);
		if (c) {
			struct cache_hit h;
			(void)cache_get(c, "esi:/universe/types/587/", now, &h);
			cache_put(c, "k", "v", 1, NULL, now + 60);
			cache_close(c);
		}
		break;
	}
	case 3: {
		struct map_cursor *c = malloc(sizeof *c);
		put("cursor", d, n);
		snprintf(p, sizeof p, "%s/cursor", dir);
		map_cursor_init(c);
		if (map_cursor_load(c, p, err, sizeof err) == 0) {
			char out[ULID_LEN + 1];
			map_cursor_resume(c, 60000, out);
			FUZZ_ASSERT(strlen(out) == ULID_LEN);
		}
		free(c);
		break;
	}
	case 4: {
		struct map_state m;
		put("map.json", d, n);
		snprintf(p, sizeof p, "%s/map.json", dir);
		map_state_init(&m);
		if (map_state_load(&m, p, err, sizeof err) == 0)
			(void)map_state_system(&m, 31001503);
		map_state_free(&m);
		break;
	}
	case 5:
		put("r2z2.seq", d, n);
		FUZZ_ASSERT(r2z2_load_cursor() >= -1);
		break;
	case 6:
		spool_case(d, n);
		break;
	case 7: {
		struct idset s;
		char *t = fuzz_str(d, n);
		idset_init(&s);
		if (idset_parse(&s, t) == 0) {
			char out[4096];
			idset_finish(&s);
			(void)idset_format(&s, out, sizeof out);
		}
		idset_free(&s);
		free(t);
		break;
	}
	}
	wipe(dir);
	return 0;
}
