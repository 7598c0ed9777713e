/* wn.h — things every tool shares: exit codes, version line. */
#ifndef WN_H
#define WN_H

#include <signal.h>

#ifndef WN_VERSION
#define WN_VERSION "0.0.0"
#endif

/* Exit codes, the s6/daemontools convention: */
#define WN_EXIT_OK    0     /* done */
#define WN_EXIT_USAGE 100   /* usage or configuration error: do not restart */
#define WN_EXIT_TEMP  111   /* temporary failure: restart me */

/* wn.c */
void wn_print_version(const char *prog);   /* "wn-NAME 0.1.0" on stdout */
/* Signal handlers only set flags: `handler` gets SIGTERM and SIGINT, and
 * SIGHUP when catch_hup (else SIGHUP is ignored); SIGPIPE is ignored so a
 * closed output is an EPIPE to handle.  No SA_RESTART: poll(2) returns. */
void wn_signals(void (*handler)(int), int catch_hup);
double wn_mono(void);                      /* CLOCK_MONOTONIC in seconds */
/* Sleeps until monotonic time `until`, in slices of at most 50 ms so a
 * signal that sets *stop (may be NULL) ends the wait soon. */
void wn_sleep_until(double until, volatile sig_atomic_t *stop);
/* The number in option argument s, within [min, max]; anything else is a
 * usage error (exit 100) naming the option. */
double wn_num_arg(const char *opt, const char *s, double min, double max);

#endif
