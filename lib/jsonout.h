/* jsonout.h — the compact text of a cJSON tree: the same bytes as
 * cJSON_PrintUnformatted, without its printf/sscanf round trip on every
 * number (the cost of writing a killmail), into a reusable buffer. */
#ifndef WN_JSONOUT_H
#define WN_JSONOUT_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct jbuf {
	char *p;        /* NUL-terminated after jsonout() */
	size_t len, cap;
};

/* jsonout.c */
/* Replaces b's contents with item's text; 0, or -1 when out of memory. */
int jsonout(const cJSON *item, struct jbuf *b);
void jbuf_free(struct jbuf *b);

#endif
