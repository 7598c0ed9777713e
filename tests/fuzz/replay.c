/* replay.c — runs a harness over files without libFuzzer, so `make check`
 * (gcc, optionally SANITIZE=1) replays the seed corpus and the kept
 * reproducers.  Usage: replay_NAME FILE|DIR...  Exit 0 when every input
 * went through (a failed property aborts). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "state.h"

static int
one(const char *path)
{
	size_t len;
	char *b = state_read_file(path, 16u << 20, &len);

	if (!b) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)b, len);
	free(b);
	return 0;
}

int
main(int argc, char **argv)
{
	int n = 0, bad = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0)
			continue;                 /* an empty corpus dir is fine */
		if (!S_ISDIR(st.st_mode)) {
			bad |= one(argv[i]) < 0, n++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			char p[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
			bad |= one(p) < 0, n++;
		}
		if (d)
			closedir(d);
	}
	printf("replayed %d inputs\n", n);
	return bad ? 1 : 0;
}
