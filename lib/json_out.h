/* json_out.h — the compact text of a cJSON tree: the same bytes as
 * cJSON_PrintUnformatted, without its printf/sscanf round trip on every
 * number (the cost of writing a killmail), into a reusable buffer. */
#ifndef WN_JSON_OUT_H
#define WN_JSON_OUT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "buf.h"

/* json_out.c */
/* Replaces b's contents with item's text (NUL-terminated); 0, or -1 when
 * out of memory or past b->max.  Free b with buf_free. */
int json_out(const cJSON *item, struct buf *b);

#endif
