/* status.h — a small per-tool status file, state_dir()/status/<tool>.json:
 * {"tool":..,"pid":..,"updated":..,"state":..,<counters>,<times>}.
 * Read by the status command and turned into Prometheus text there. */
#ifndef WN_STATUS_H
#define WN_STATUS_H

#include <time.h>

/* status.c */
void status_init(const char *tool);
void status_add(const char *counter, long long delta);   /* counters */
void status_set(const char *key, long long value);       /* gauges */
void status_set_str(const char *key, const char *value); /* e.g. "state" */
void status_set_time(const char *key, time_t t);         /* ISO 8601 */
long long status_get(const char *key);
/* Writes at most once a second unless force, and at least every
 * STATUS_HEARTBEAT_SECS when called that often. Safe to call often. */
#define STATUS_HEARTBEAT_SECS 10
void status_flush(int force);

#endif
