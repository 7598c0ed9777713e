/* config_check.h — the configuration check (`wn-status --config`,
 * `wn-pipeline --check`), like ntpd -n: read the environment and the .env
 * exactly as the tools do, then say what wn will do with them — routes,
 * flags, sources, every setting and where it came from, the Wanderer
 * Notifier variables it ignores and why, unknown names with a "did you
 * mean" — and whether the tools would start.  Secrets are masked.
 * Also the two answers wn-pipeline asks for instead of parsing the .env
 * itself: --print-config KEY... and --print-state-dir. */
#ifndef WN_CONFIG_CHECK_H
#define WN_CONFIG_CHECK_H

#include <stdio.h>

/* config_check.c */
/* Call after config_load_default().  Returns WN_EXIT_OK, or WN_EXIT_USAGE
 * when a tool would refuse to start (the reasons are in the report). */
int config_check(FILE *out);
/* One line per key: its value as the tools see it (blank: an empty line).
 * A secret is refused (WN_EXIT_USAGE), so is a value with a newline. */
int config_print(FILE *out, char *const *keys, int n);
/* The state directory the tools use, made absolute. */
int config_print_state_dir(FILE *out);

#endif
