/* status_record.h — a status file written on behalf of a script
 * (`wn-status --record`), so that wn-pipeline's status file has the same
 * shape, escaping and atomic replacement as the tools' (lib/status.c)
 * without a copy of those rules in shell. */
#ifndef WN_STATUS_RECORD_H
#define WN_STATUS_RECORD_H

#include <stddef.h>

#define STATUS_RECORD_MAX 32      /* KEY=VALUE pairs */
#define STATUS_RECORD_VALUE 256   /* bytes of one value */

/* status_record.c */
/* Writes state_dir()/status/<tool>.json: {"tool":..,"updated":now, then
 * each key in order}; a value of digits is a number, any other a string.
 * Keys are [a-z_]; "tool" and "updated" are ours.  0; -1 on bad
 * arguments, -2 when the file could not be written, a reason in err. */
int status_record(const char *tool, char *const *kv, int n, char *err, size_t errlen);

#endif
