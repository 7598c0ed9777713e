/* wn.h — things every tool shares: exit codes, version line. */
#ifndef WN_H
#define WN_H

#ifndef WN_VERSION
#define WN_VERSION "0.0.0"
#endif

/* Exit codes, the s6/daemontools convention: */
#define WN_EXIT_OK    0     /* done */
#define WN_EXIT_USAGE 100   /* usage or configuration error: do not restart */
#define WN_EXIT_TEMP  111   /* temporary failure: restart me */

/* wn.c */
void wn_print_version(const char *prog);   /* "wn-NAME 0.1.0" on stdout */
int  wn_is_version_flag(const char *arg);  /* "--version" */

#endif
