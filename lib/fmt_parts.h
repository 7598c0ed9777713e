/* fmt_parts.h — the pieces format.c assembles a message from: text
 * helpers, ISK abbreviation, and one embed / plain-text builder per
 * notification type.  Internal to the formatter (lib/fmt_*.c). */
#ifndef WN_FMT_PARTS_H
#define WN_FMT_PARTS_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "buf.h"

#define SB_MAX (64u << 10)   /* no text we build needs more */

/* fmt_text.c */
/* Append to a message text (a struct buf): capped at SB_MAX bytes, what
 * would pass it cut at a UTF-8 boundary.  buf_take gives the text. */
void sb_add(struct buf *b, const char *s);
void sb_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append outside text (a name from the feed, ESI or the map) as plain
 * text: a backslash before each Discord markdown character
 * (\\ * _ ~ ` | > # [ ] ( ), and - + before the first non-blank one),
 * CR and LF as spaces.  Never for URLs. */
void sb_add_md(struct buf *b, const char *s);
/* The same as a new string (free it); NULL for NULL. */
char *fmt_md(const char *s);
/* obj[key], else obj[alt] (alt may be NULL): a non-empty string or NULL. */
const char *fx_str(const cJSON *obj, const char *key, const char *alt);
int64_t fx_id(const cJSON *obj, const char *key, const char *alt);
/* Each space-separated word: first letter upper, rest lower (ASCII),
 * as Wanderer Notifier re-cases pilot and system names; added as
 * with sb_add_md (markdown escaped). */
void sb_capitalized(struct buf *b, const char *s);
/* ISO 8601 UTC ("2026-03-17T18:02:11Z", fraction and ±hh:mm allowed). */
int fmt_iso_unix(const char *iso, int64_t *out);
/* Copy with a zero-width space after each '@', so no text of ours
 * can form @everyone / @here in message content. */
char *fmt_defuse(const char *s);
/* Dotlan-style name for a URL path: spaces become underscores, and
 * bytes other than letters, digits and - . _ ~ ' are percent-encoded. */
void sb_underscored(struct buf *b, const char *s);

/* fmt_isk.c */
/* 1.23B / 12.50M / 1000.00K / 999 (K/M/B, two decimals), as Wanderer
 * Notifier's formatting_utils.ex writes it. */
void fmt_isk(double isk, char *buf, size_t size);
/* The same with one decimal (1.2B), as Wanderer Notifier writes ISK
 * outside the kill embed (recent kills). */
void fmt_isk1(double isk, char *buf, size_t size);

/* fmt_kill.c */
cJSON *fmt_kill_embed(const cJSON *rec, const cJSON *notify);
char *fmt_kill_text(const cJSON *rec, const cJSON *notify);
int fmt_kill_color(const cJSON *rec, const char *role);

/* fmt_system.c */
cJSON *fmt_system_embed(const cJSON *rec, const cJSON *notify);
char *fmt_system_text(const cJSON *rec, const cJSON *notify);

/* fmt_character.c */
cJSON *fmt_character_embed(const cJSON *rec, const cJSON *notify);
char *fmt_character_text(const cJSON *rec, const cJSON *notify);

/* fmt_rally.c */
cJSON *fmt_rally_embed(const cJSON *rec, const cJSON *notify);
char *fmt_rally_text(const cJSON *rec, const cJSON *notify);
const char *fmt_rally_lead(const cJSON *rec);   /* "Rally point created!" */

#endif
