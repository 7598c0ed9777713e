/* sse.c — the text/event-stream parser (see sse.h).  One growing buffer
 * holds the line being assembled; three more hold the event's fields.
 * Their sizes together never exceed max_event: past it the event is
 * dropped and the parser skips to the next blank line. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sse.h"

struct sse_parser {
	size_t max;
	struct buf line, type, id, data;
	int has_data;       /* a data: line was seen (even an empty one) */
	int after_cr;       /* the last byte was CR: an LF now is no new line */
	int bom_checked;    /* first bytes of the stream looked at */
	int skipping;       /* oversize: drop lines until a blank one */
	int dropped;        /* bytes of the current line were dropped */
	size_t bom_seen;    /* bytes of a possible BOM matched so far */
	struct sse_stats st;
};

static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };

struct sse_parser *
sse_new(size_t max_event)
{
	struct sse_parser *p = calloc(1, sizeof *p);

	if (p)
		p->max = max_event ? max_event : SSE_MAX_EVENT_DEFAULT;
	return p;
}

void
sse_free(struct sse_parser *p)
{
	if (!p)
		return;
	buf_free(&p->line);
	buf_free(&p->type);
	buf_free(&p->id);
	buf_free(&p->data);
	free(p);
}

static void
clear_event(struct sse_parser *p)
{
	buf_clear(&p->type);
	buf_clear(&p->data);
	p->has_data = 0;
	/* the id deliberately stays: WHATWG's last-event-id buffer, but we
	 * report an id only for events that carried one */
	buf_clear(&p->id);
}

void
sse_reset(struct sse_parser *p)
{
	buf_clear(&p->line);
	clear_event(p);
	p->after_cr = p->bom_checked = p->skipping = p->dropped = 0;
	p->bom_seen = 0;
}

const struct sse_stats *
sse_stats(const struct sse_parser *p)
{
	return &p->st;
}

static size_t
event_size(const struct sse_parser *p)
{
	return p->line.len + p->type.len + p->id.len + p->data.len;
}

static int
dispatch(struct sse_parser *p, sse_event_fn fn, void *ud)
{
	struct sse_event ev;

	if (!p->has_data) {
		clear_event(p);
		return 0;
	}
	ev.type = p->type.p ? p->type.p : "";
	ev.id = p->id.p ? p->id.p : "";
	if (buf_put(&p->data, "", 0) < 0)   /* make sure data.p exists */
		return -1;
	ev.data = p->data.p;
	ev.data_len = p->data.len;
	p->st.events++;
	{
		int rc = fn ? fn(ud, &ev) : 0;
		clear_event(p);
		return rc;
	}
}

/* One complete line (without its terminator). */
static int
field(struct sse_parser *p, const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t nlen = colon ? (size_t)(colon - s) : n;
	const char *v = colon ? colon + 1 : s + n;
	size_t vlen = (size_t)(s + n - v);

	if (vlen && *v == ' ')
		v++, vlen--;
	if (nlen == 5 && memcmp(s, "event", 5) == 0) {
		buf_clear(&p->type);
		return buf_put(&p->type, v, vlen);
	}
	if (nlen == 4 && memcmp(s, "data", 4) == 0) {
		if (p->has_data && buf_put(&p->data, "\n", 1) < 0)
			return -1;
		p->has_data = 1;
		return buf_put(&p->data, v, vlen);
	}
	if (nlen == 2 && memcmp(s, "id", 2) == 0 && !memchr(v, '\0', vlen)) {
		buf_clear(&p->id);
		return buf_put(&p->id, v, vlen);
	}
	return 0;   /* retry: and unknown fields */
}

static int
end_of_line(struct sse_parser *p, sse_event_fn fn, void *ud)
{
	const char *s = p->line.p ? p->line.p : "";
	size_t n = p->line.len;
	int rc = 0;

	if (n == 0 && !p->dropped) {
		if (p->skipping)
			p->skipping = 0, clear_event(p);
		else
			rc = dispatch(p, fn, ud);
	} else if (p->skipping) {
		/* dropping the rest of an oversize event */
	} else if (s[0] == ':') {
		p->st.comments++;
	} else {
		rc = field(p, s, n);
	}
	buf_clear(&p->line);
	p->dropped = 0;
	return rc;
}

static void
start_skipping(struct sse_parser *p)
{
	p->st.oversize++;
	p->skipping = 1;
	buf_clear(&p->line);
	clear_event(p);
}

/* Append bytes of the current line, watching the event bound. */
static int
add_to_line(struct sse_parser *p, const char *s, size_t n)
{
	if (p->skipping) {
		p->dropped |= n > 0;
		return 0;
	}
	if (event_size(p) + n > p->max) {
		start_skipping(p);
		p->dropped = 1;
		return 0;
	}
	return buf_put(&p->line, s, n);
}

/* A BOM may arrive split across chunks: hold its bytes until decided. */
static size_t
skip_bom(struct sse_parser *p, const char *buf, size_t len)
{
	size_t i = 0;

	while (!p->bom_checked && i < len) {
		if ((unsigned char)buf[i] == bom[p->bom_seen]) {
			i++;
			if (++p->bom_seen == 3)
				p->bom_checked = 1;
			continue;
		}
		p->bom_checked = 1;
		if (p->bom_seen) {   /* not a BOM after all: those bytes are text */
			add_to_line(p, (const char *)bom, p->bom_seen);
			p->bom_seen = 0;
		}
	}
	return i;
}

int
sse_feed(struct sse_parser *p, const char *buf, size_t len,
         sse_event_fn fn, void *ud)
{
	size_t i = skip_bom(p, buf, len);

	p->st.bytes += len;
	while (i < len) {
		size_t j = i;
		int rc;

		if (p->after_cr && buf[i] == '\n') {
			p->after_cr = 0;
			i++;
			continue;
		}
		p->after_cr = 0;
		while (j < len && buf[j] != '\n' && buf[j] != '\r')
			j++;
		if (add_to_line(p, buf + i, j - i) < 0)
			return -1;
		if (j == len)
			break;
		p->after_cr = buf[j] == '\r';
		i = j + 1;
		if ((rc = end_of_line(p, fn, ud)) != 0)
			return rc;
	}
	return 0;
}
