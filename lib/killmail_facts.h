/* killmail_facts.h — the few facts about a record that wn-filter's rules read,
 * taken either straight from the line's bytes (jsonscan, no tree built)
 * or from a parsed cJSON record (after killmail_normalize). */
#ifndef WN_KILLMAIL_FACTS_H
#define WN_KILLMAIL_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cjson/cJSON.h>

#define KILLMAIL_FACTS_MAX_LABELS 32

enum rec_type {
	REC_NONE = 0,     /* no "type" member */
	REC_KILLMAIL, REC_SYSTEM, REC_CHARACTER, REC_RALLY,
	REC_OTHER,        /* any other map event type */
};

struct killmail_facts_party {
	int64_t character_id, corporation_id, alliance_id;   /* 0 = absent */
};

struct killmail_facts_span {
	const char *s;
	size_t len;
};

struct killmail_facts {
	enum rec_type type;
	int64_t killmail_id, solar_system_id;        /* 0 = absent */
	int has_time;
	time_t kill_time;                            /* when has_time */
	int has_victim, has_attackers, has_notify, has_zkb;
	struct killmail_facts_party victim;
	struct killmail_facts_party *attackers;                  /* grown as needed */
	size_t n_attackers, cap_attackers;
	int attackers_read;                          /* 0: skipped unread */
	int has_value;
	double total_value;                          /* zkb.totalValue */
	int npc;                                     /* zkb.npc: 1, 0, -1 unknown */
	struct killmail_facts_span labels[KILLMAIL_FACTS_MAX_LABELS];        /* zkb.labels (raw) */
	size_t n_labels;
	size_t close;      /* offset of the record's final '}' */
	int members;       /* top-level members (0: "{}") */
};

/* killmail_facts.c */
void killmail_facts_init(struct killmail_facts *f);
void killmail_facts_free(struct killmail_facts *f);
/* Scan one line.  Attacker ids are collected only when want_attackers;
 * labels only when want_labels.  0 ok; -1 malformed, with the reason
 * and byte offset in err. */
int killmail_facts_scan(struct killmail_facts *f, const char *line, size_t len,
                 int want_attackers, int want_labels, char *err, size_t errlen);
/* The same facts from a parsed record (pointers into the tree). */
int killmail_facts_from_json(struct killmail_facts *f, const cJSON *rec);
/* "2026-03-17T18:02:11Z", fractions and ±hh:mm offsets allowed, or
 * plain Unix seconds.  0 ok, -1 unparsable. */
int killmail_facts_parse_time(const char *s, size_t len, time_t *t);
/* A normalised record (consumed) as one line of text (malloc'd, NULL
 * when out of memory), with its killmail_id and killmail_time (0 when
 * it has none). */
char *killmail_facts_print(cJSON *rec, int64_t *id, time_t *t);
enum rec_type killmail_facts_type(const char *s, size_t len);

#endif
