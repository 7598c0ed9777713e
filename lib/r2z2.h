/* r2z2.h — following zKillboard's R2Z2 feed: sequence.json gives a place
 * to start, then {N}.json one killmail each.  404 at the head means "not
 * yet published": wait and ask for the same N again.  A 404 below the
 * head (sequence.json says later numbers exist) is a gap, skipped after a
 * few tries.  sequence_updated re-fetches an older N.  The cursor (next
 * N) is saved in the state directory once the kill before it is out.
 * Pure bookkeeping: the caller does the HTTP and the waiting. */
#ifndef WN_R2Z2_H
#define WN_R2Z2_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define R2Z2_DEFAULT_URL "https://r2z2.zkillboard.com/ephemeral"
#define R2Z2_REFETCH_MAX 32

struct r2z2 {
	char base[512];
	long long seq;             /* next N to read; -1 until known */
	long long head;            /* last sequence.json value, -1 unknown */
	int want_head;             /* next request is sequence.json */
	int gap_tries, gap_max;
	int errors;                /* consecutive failures */
	long long interval_ms;     /* between requests (rate limit) */
	long long poll_ms;         /* after a 404 at the head */
	long long refetch[R2Z2_REFETCH_MAX];   /* sequence_updated targets */
	int nrefetch;
	long long fetching;        /* N of the request in flight, -1 none */
	long long saved;           /* the cursor last saved (r2z2_start, r2z2_poll) */
};

enum r2z2_result {
	R2Z2_NOTHING,              /* wait *delay_ms, ask again */
	R2Z2_KILL,                 /* *kill holds the file; *seq_out its N */
	R2Z2_SKIPPED,              /* a gap was skipped (err says which) */
	R2Z2_BAD,                  /* a published file that is not JSON: passed */
	R2Z2_FAILED,               /* err says why; backing off */
};

/* r2z2.c */
void r2z2_init(struct r2z2 *r, const char *base, long long interval_ms, long long poll_ms);
/* The URL of the next request (remembers what it asked for). */
void r2z2_next_url(struct r2z2 *r, char *buf, size_t size);
/* A response arrived (status 0 = network error).  retry_after_s from a
 * Retry-After header, or -1. */
enum r2z2_result r2z2_on_response(struct r2z2 *r, long status, const char *body,
                                  size_t len, long retry_after_s, cJSON **kill,
                                  long long *seq_out, long long *delay_ms,
                                  char *err, size_t errlen);
/* r2z2_fetch.c */
struct http_client;
/* r2z2_next_url, the GET, and r2z2_on_response with its answer. */
enum r2z2_result r2z2_fetch(struct r2z2 *r, struct http_client *http, cJSON **kill,
                            long long *seq, long long *delay_ms, char *err, size_t errlen);
/* r2z2_fetch with its logging and status ("bad", "gaps", "errors",
 * "state", "sequence"); a skipped or bad N moves the saved cursor on
 * when idle (nothing queued for stdout); *next_ms: when to ask again. */
enum r2z2_result r2z2_poll(struct r2z2 *r, struct http_client *http, int idle,
                           cJSON **kill, long long *seq, long long *next_ms,
                           long long now_ms);
/* r2z2_init from the saved cursor, and an HTTP client for r2z2_fetch
 * (NULL when it cannot be made). */
struct http_client *r2z2_start(struct r2z2 *r, const char *base, long long interval_ms,
                               long long poll_ms);

/* r2z2.c */
/* The saved cursor: state_dir()/r2z2.seq. */
long long r2z2_load_cursor(void);
int r2z2_save_cursor(long long next);

#endif
