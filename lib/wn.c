/* wn.c — version line shared by every tool. */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "wn.h"

void
wn_print_version(const char *prog)
{
	printf("%s %s\n", prog, WN_VERSION);
}

void
wn_signals(void (*handler)(int), int catch_hup)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (catch_hup)
		sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	if (!catch_hup)
		sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
}

double
wn_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
wn_sleep_until(double until, volatile sig_atomic_t *stop)
{
	double left;

	while (!(stop && *stop) && (left = until - wn_mono()) > 0) {
		struct timespec ts = { 0, (long)((left < 0.05 ? left : 0.05) * 1e9) };
		nanosleep(&ts, NULL);
	}
}

double
wn_num_arg(const char *opt, const char *s, double min, double max)
{
	char *e;
	double v = strtod(s, &e);

	if (e == s || *e || !(v >= min) || v > max)
		log_fatal(WN_EXIT_USAGE, "%s: not a number >= %g: %s", opt, min, s);
	return v;
}
