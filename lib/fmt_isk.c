/* fmt_isk.c — ISK amounts the way Wanderer Notifier shows them. */
#include <math.h>
#include <stdio.h>

#include "fmt_parts.h"

void
fmt_isk(double isk, char *buf, size_t size)
{
	static const struct { double at; char unit; } u[] = {
		{1e12, 'T'}, {1e9, 'B'}, {1e6, 'M'}, {1e3, 'K'},
	};

	if (!isfinite(isk) || isk < 0)
		isk = 0;
	for (size_t i = 0; i < sizeof u / sizeof *u; i++)
		if (isk >= u[i].at) {
			snprintf(buf, size, "%.2f%c", isk / u[i].at, u[i].unit);
			return;
		}
	snprintf(buf, size, "%.0f", isk);
}
