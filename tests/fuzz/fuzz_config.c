/* fuzz_config.c — the .env parser (KEY=VALUE, quotes, comments): the
 * input is written to a file and loaded; whatever it sets is read back
 * through the typed getters, then removed from the environment. */
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "idset.h"

extern char **environ;

static int
was_there(char **before, size_t n, const char *e)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(before[i], e) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	char err[256];
	char **before;
	size_t n = 0;
	FILE *f;

	fuzz_quiet();
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/wn-fuzz-env.%ld", (long)getpid());
	if (!(f = fopen(path, "w")))
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	while (environ[n])
		n++;
	before = malloc((n + 1) * sizeof *before);
	for (size_t i = 0; i < n; i++)
		before[i] = strdup(environ[i]);
	if (config_load_file(path, 1, err, sizeof err) == 0) {
		struct idset s;
		idset_init(&s);
		(void)config_str("MAP_NAME", "x");
		(void)config_bool("WN_PLAIN_TEXT", 0);
		(void)config_int("WN_MAX_QUEUE", 5);
		(void)config_idlist("WN_SYSTEMS", &s);
		idset_free(&s);
	}
	/* drop what the file set, so one input cannot shape the next */
	for (int again = 1, guard = 0; again && guard < 10000; guard++) {
		again = 0;
		for (char **e = environ; *e; e++) {
			if (was_there(before, n, *e))
				continue;
			char name[256];
			size_t k = strcspn(*e, "=");
			if (k >= sizeof name)
				k = sizeof name - 1;
			memcpy(name, *e, k);
			name[k] = '\0';
			unsetenv(name);
			again = 1;
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(before[i]);
	free(before);
	return 0;
}
