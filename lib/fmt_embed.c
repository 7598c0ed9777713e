/* fmt_embed.c — embed building and Discord's limits.  Every message
 * format.c returns passes through fmt_enforce_limits, so a record with
 * giant names still yields a body Discord accepts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt_embed.h"
#include "fmt_parts.h"
#include "wntime.h"

#define ELLIPSIS "\xE2\x80\xA6"   /* U+2026, one unit */

/* Units of the UTF-8 sequence starting with byte c (continuations 0). */
static size_t
lead_units(unsigned char c)
{
	if ((c & 0xC0) == 0x80)
		return 0;
	return c >= 0xF0 ? 2 : 1;
}

size_t
fmt_units(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += lead_units((unsigned char)*s);
	return n;
}

size_t
fmt_prefix(const char *s, size_t max)
{
	size_t units = 0, i = 0;

	for (; s[i]; i++) {
		size_t u = lead_units((unsigned char)s[i]);
		if (u && units + u > max)
			return i;
		units += u;
	}
	return i;
}

int
fmt_cut_item(cJSON *item, size_t max)
{
	const char *s = cJSON_GetStringValue(item);
	char *t;
	size_t keep;

	if (!s || fmt_units(s) <= max)
		return 0;
	keep = max ? fmt_prefix(s, max - 1) : 0;
	if (!(t = malloc(keep + sizeof ELLIPSIS)))
		return 0;
	memcpy(t, s, keep);
	memcpy(t + keep, ELLIPSIS, sizeof ELLIPSIS);
	if (!max)
		t[0] = '\0';
	cJSON_SetValuestring(item, t);
	free(t);
	return 1;
}

static cJSON *
item(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static size_t
units_of(const cJSON *it)
{
	return fmt_units(cJSON_GetStringValue(it));
}

/* The string items of one embed that count toward the total, in the
 * order they give way when the total is too big: description first,
 * then field values from the last, footer, field names, title, author. */
static size_t
counted_items(const cJSON *e, cJSON **out, size_t max)
{
	const cJSON *fields = item(e, "fields"), *f;
	size_t n = 0, nf = (size_t)cJSON_GetArraySize(fields);

	out[n++] = item(e, "description");
	for (size_t i = nf; i-- > 0 && n < max;)
		out[n++] = item(cJSON_GetArrayItem(fields, (int)i), "value");
	out[n++] = item(item(e, "footer"), "text");
	cJSON_ArrayForEach(f, fields)
		if (n < max)
			out[n++] = item(f, "name");
	out[n++] = item(e, "title");
	out[n++] = item(item(e, "author"), "name");
	return n;
}

#define COUNTED_MAX (EMBED_FIELDS_MAX * 2 + 8)

size_t
fmt_embeds_total(const cJSON *msg)
{
	const cJSON *e;
	size_t total = 0;

	cJSON_ArrayForEach(e, item(msg, "embeds")) {
		cJSON *it[COUNTED_MAX];
		size_t n = counted_items(e, it, COUNTED_MAX - 4);
		for (size_t i = 0; i < n; i++)
			total += units_of(it[i]);
	}
	return total;
}

/* Per-item limits; extra fields and embeds dropped. */
static int
limit_embed(cJSON *e)
{
	cJSON *fields = item(e, "fields"), *f;
	int cuts = 0;

	while (cJSON_GetArraySize(fields) > EMBED_FIELDS_MAX) {
		cJSON_DeleteItemFromArray(fields, EMBED_FIELDS_MAX);
		cuts++;
	}
	cuts += fmt_cut_item(item(e, "title"), EMBED_TITLE_MAX);
	cuts += fmt_cut_item(item(e, "description"), EMBED_DESC_MAX);
	cuts += fmt_cut_item(item(item(e, "footer"), "text"), EMBED_FOOTER_MAX);
	cuts += fmt_cut_item(item(item(e, "author"), "name"), EMBED_AUTHOR_MAX);
	cJSON_ArrayForEach(f, fields) {
		cuts += fmt_cut_item(item(f, "name"), EMBED_FNAME_MAX);
		cuts += fmt_cut_item(item(f, "value"), EMBED_FVALUE_MAX);
	}
	return cuts;
}

/* Shrink items (never below one unit) until the total fits. */
static int
limit_total(cJSON *msg)
{
	size_t total = fmt_embeds_total(msg);
	cJSON *e;
	int cuts = 0;

	cJSON_ArrayForEach(e, item(msg, "embeds")) {
		cJSON *it[COUNTED_MAX];
		size_t n = counted_items(e, it, COUNTED_MAX - 4);
		for (size_t i = 0; i < n && total > EMBED_TOTAL_MAX; i++) {
			size_t u = units_of(it[i]), over = total - EMBED_TOTAL_MAX;
			if (u <= 1)
				continue;
			size_t want = u > over + 1 ? u - over : 1;
			cuts += fmt_cut_item(it[i], want);
			total -= u - units_of(it[i]);
		}
	}
	return cuts;
}

int
fmt_enforce_limits(cJSON *msg)
{
	cJSON *embeds = item(msg, "embeds"), *e;
	int cuts = fmt_cut_item(item(msg, "content"), CONTENT_MAX);

	while (cJSON_GetArraySize(embeds) > EMBEDS_MAX) {
		cJSON_DeleteItemFromArray(embeds, EMBEDS_MAX);
		cuts++;
	}
	cJSON_ArrayForEach(e, embeds)
		cuts += limit_embed(e);
	return cuts + limit_total(msg);
}

void
embed_str(cJSON *embed, const char *key, const char *text)
{
	if (text && *text)
		cJSON_AddStringToObject(embed, key, text);
}

void
embed_url(cJSON *embed, const char *key, const char *url)
{
	if (!url || !*url)
		return;
	cJSON *o = cJSON_AddObjectToObject(embed, key);
	cJSON_AddStringToObject(o, "url", url);
}

void
embed_author(cJSON *embed, const char *name, const char *icon, const char *url)
{
	if (!name || !*name)
		return;
	cJSON *o = cJSON_AddObjectToObject(embed, "author");
	cJSON_AddStringToObject(o, "name", name);
	embed_str(o, "icon_url", icon);
	embed_str(o, "url", url);
}

void
embed_footer(cJSON *embed, const char *text)
{
	if (!text || !*text)
		return;
	cJSON_AddStringToObject(cJSON_AddObjectToObject(embed, "footer"),
	                        "text", text);
}

void
embed_timestamp(cJSON *embed, const char *iso)
{
	int64_t t;
	char buf[WNTIME_ISO_LEN + 1];

	if (fmt_iso_unix(iso, &t) < 0)
		return;
	if (iso[10] == 'T') {
		cJSON_AddStringToObject(embed, "timestamp", iso);
		return;
	}
	if (wntime_iso_format(t, buf) < 0)
		return;
	cJSON_AddStringToObject(embed, "timestamp", buf);
}

/* Discord trims whitespace and rejects what is left empty. */
static int
blank(const char *s)
{
	return !s || !s[strspn(s, " \t\r\n")];
}

void
embed_field(cJSON *embed, const char *name, const char *value, int inl)
{
	cJSON *fields = item(embed, "fields"), *f;

	if (blank(name) || blank(value))
		return;
	if (!fields)
		fields = cJSON_AddArrayToObject(embed, "fields");
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "name", name);
	cJSON_AddStringToObject(f, "value", value);
	cJSON_AddBoolToObject(f, "inline", inl);
	cJSON_AddItemToArray(fields, f);
}
