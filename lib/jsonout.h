/* jsonout.h — the compact text of a cJSON tree: the same bytes as
 * cJSON_PrintUnformatted, without its printf/sscanf round trip on every
 * number (the cost of writing a killmail), into a reusable buffer. */
#ifndef WN_JSONOUT_H
#define WN_JSONOUT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "buf.h"

/* jsonout.c */
/* Replaces b's contents with item's text (NUL-terminated); 0, or -1 when
 * out of memory or past b->max.  Free b with buf_free. */
int jsonout(const cJSON *item, struct buf *b);

#endif
