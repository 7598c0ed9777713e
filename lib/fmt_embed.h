/* fmt_embed.h — Discord's message limits, enforced by cutting text at
 * character boundaries with an ellipsis.  Characters are counted as
 * UTF-16 code units (a code point above U+FFFF counts two), which is
 * never fewer than code points, so a message that fits here fits under
 * either reading of Discord's "characters". */
#ifndef WN_FMT_EMBED_H
#define WN_FMT_EMBED_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define EMBED_TITLE_MAX   256
#define EMBED_DESC_MAX    4096
#define EMBED_FIELDS_MAX  25
#define EMBED_FNAME_MAX   256
#define EMBED_FVALUE_MAX  1024
#define EMBED_FOOTER_MAX  2048
#define EMBED_AUTHOR_MAX  256
#define EMBED_TOTAL_MAX   6000
#define EMBEDS_MAX        10
#define CONTENT_MAX       2000
#define MENTIONS_MAX      100   /* explicit roles / users in allowed_mentions */

/* fmt_embed.c */
size_t fmt_units(const char *s);                 /* characters as counted here */
size_t fmt_prefix(const char *s, size_t max);    /* bytes of the longest prefix
                                                    of at most max units */
/* Cut string item to max units ("…" included); 1 if it was cut. */
int fmt_cut_item(cJSON *item, size_t max);
/* Bring a message body (content, embeds) within every limit above;
 * returns the number of cuts made (0 when it already fitted). */
int fmt_enforce_limits(cJSON *msg);
/* Total that counts against EMBED_TOTAL_MAX, over all embeds. */
size_t fmt_embeds_total(const cJSON *msg);

/* Embed builders: empty or NULL text adds nothing (Discord rejects
 * empty values). */
void embed_str(cJSON *embed, const char *key, const char *text);
void embed_url(cJSON *embed, const char *key, const char *url);   /* {"url":..} */
void embed_author(cJSON *embed, const char *name, const char *icon,
                  const char *url);
void embed_footer(cJSON *embed, const char *text);
/* ISO 8601 kept as given when it is "YYYY-MM-DDTHH:MM:SS…", else
 * rewritten as UTC "…Z"; nothing when it does not parse. */
void embed_timestamp(cJSON *embed, const char *iso);
void embed_field(cJSON *embed, const char *name, const char *value, int inl);

#endif
