/* tool.h — the skeleton every wn tool is built on, so that each
 * cmd/wn-*.c holds only main, its options and its loop.
 *
 *   static const struct tool_opt longs[] = {
 *           { "dry-run", 'n' }, { "queue", 'q' }, { "strict", 'S' },
 *           { NULL, 0 } };
 *   static void usage(void) { fprintf(stderr, "usage: wn-NAME ...\n"); }
 *
 *   int main(int argc, char **argv) {
 *           struct tool t;
 *           int opt;
 *           tool_start(&t, "wn-NAME", argc, argv, longs, usage, TOOL_SIGNALS);
 *           while ((opt = tool_getopt(&t, "nq:S")) != -1)
 *                   switch (opt) {           // -h and -v are handled for you
 *                   case 'S': t.strict = 1; break;
 *                   ...
 *                   default: tool_usage(&t);
 *                   }
 *           in = tool_inputs(&t, NDJSON_MAX_LINE_DEFAULT);   // operands or "-"
 *           while (!tool_stop) {
 *                   if (tool_reload) { tool_reload = 0; ... }   // SIGHUP
 *                   ... tool_bad_line(&t, l.name, l.lineno, "%s", err); ...
 *           }
 *           return tool_finish(&t, WN_EXIT_OK);
 *   }
 *
 * tool_start, in this order: log name; "--version" anywhere before "--"
 * prints the version and exits 0; "-h"/"--help" anywhere prints usage and
 * exits 100; the signals (flags only, see below); the .env file
 * (config_load_default).  tool_getopt rewrites each long option of the
 * table, "--name" or "--name=value", to its letter for getopt(3); an
 * unknown long option is a usage error. */
#ifndef WN_TOOL_H
#define WN_TOOL_H

#include <signal.h>
#include <stddef.h>

struct ndjson_inputs;

struct tool_opt {
	const char *name;        /* without the leading "--" */
	char letter;             /* its short twin; in the optstring */
};

struct tool {
	const char *name;        /* "wn-NAME": log prefix, status file */
	int argc;
	char **argv;
	const struct tool_opt *longs;
	void (*usage)(void);     /* prints to stderr; tool_usage exits 100 */
	int strict;              /* --strict: a bad input line is fatal (100) */
	long long bad;           /* bad input lines so far */
	int parsed;              /* tool_getopt has prepared argv */
	char optstring[128];
};

/* flags for tool_start */
#define TOOL_SIGNALS 1   /* SIGTERM/SIGINT set tool_stop; SIGPIPE ignored */
#define TOOL_RELOAD  2   /* SIGHUP sets tool_reload (else SIGHUP is ignored) */

/* Set by the signal handlers; a tool's loop reads and clears them. */
extern volatile sig_atomic_t tool_stop, tool_reload;

/* tool.c */
void tool_start(struct tool *t, const char *name, int argc, char **argv,
                const struct tool_opt *longs, void (*usage)(void), int flags);
/* getopt(3) over the tool's letters (-h and -v added: usage, and one log
 * level up).  Returns the tool's next letter, -1 at the end; a bad
 * option or missing argument prints usage and exits 100. */
int tool_getopt(struct tool *t, const char *optstring);
_Noreturn void tool_usage(struct tool *t);   /* usage, exit 100 */
/* The operands after the options, or "-" (stdin) when there are none. */
char **tool_operands(struct tool *t, int *n);
void tool_no_operands(struct tool *t);       /* operands are a usage error */
/* ndjson_inputs_open over tool_operands; exit 100 when one cannot be opened. */
struct ndjson_inputs *tool_inputs(struct tool *t, size_t max_line);
/* One bad input record: "NAME:LINE: why; skipped" on stderr, counted in
 * t->bad and the status counter "bad_input"; with --strict the same
 * line is fatal (exit 100). */
void tool_bad_line(struct tool *t, const char *name, unsigned long lineno,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* One record and '\n' to stdout, or exit 111 when stdout fails. */
void tool_write_line(const char *buf, size_t len);
void tool_flush(void);                       /* fflush(stdout) or exit 111 */
/* The end of main: stdout flushed and checked (a failed write turns an
 * exit 0 into 111), the status file's "state" set to "stopped" and
 * written when the tool keeps one.  Returns the exit code for main. */
int tool_finish(struct tool *t, int rc);

#endif
