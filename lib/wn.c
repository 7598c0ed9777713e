/* wn.c — version line shared by every tool. */
#include <stdio.h>
#include <string.h>

#include "wn.h"

void
wn_print_version(const char *prog)
{
	printf("%s %s\n", prog, WN_VERSION);
}

int
wn_is_version_flag(const char *arg)
{
	return arg && strcmp(arg, "--version") == 0;
}
