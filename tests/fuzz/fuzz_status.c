/* fuzz_status.c — a status file as wn-status reads it, rendered as text,
 * JSON and Prometheus exposition; the last must stay line-structured. */
#include "fuzz.h"
#include "status_view.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct status_view_list *l = calloc(1, sizeof *l);
	char err[256];
	size_t len;
	char *p;
	FILE *devnull = fopen("/dev/null", "w");

	fuzz_quiet();
	FUZZ_ASSERT(l && devnull);
	if (status_view_parse((const char *)data, size, "wn-fuzz", &l->tool[0], err, sizeof err) == 0) {
		l->n = 1;
		status_view_render_text(devnull, l, 1773775000);
		status_view_render_json(devnull, l, 1773775000);
		p = status_view_render_prometheus(l, 1773775000, &len);
		FUZZ_ASSERT(p && strlen(p) == len);
		FUZZ_ASSERT(len == 0 || p[len - 1] == '\n');
		free(p);
	}
	char *t = fuzz_str(data, size);
	(void)status_view_parse_time(t);
	free(t);
	status_view_free(l);
	free(l);
	fclose(devnull);
	return 0;
}
