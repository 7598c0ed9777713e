/* map_state_follow.c — the tracked lists of a process that follows the map
 * state file (wn-kills): re-read when the file changed, copied out only
 * when they differ, so a rewrite with the same lists costs no re-join. */
#include <stdio.h>

#include "idset.h"
#include "map_state.h"

int
map_state_follow(struct map_state *m, const char *path, int force, struct idset *sys,
                struct idset *chr, char *err, size_t errlen)
{
	int rc;

	if (force)
		map_state_invalidate(m);
	if ((rc = map_state_reload(m, path, err, errlen)) <= 0 && !force)
		return rc;
	if (rc < 0)
		return -1;
	if (idset_equal(sys, &m->systems) && idset_equal(chr, &m->characters))
		return 0;
	if (idset_copy(sys, &m->systems) < 0 || idset_copy(chr, &m->characters) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 1;
}
