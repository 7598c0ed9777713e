/* fmt_isk.c — ISK amounts the way Wanderer Notifier shows them. */
#include <math.h>
#include <stdio.h>

#include "fmt_parts.h"

static void
isk_places(double isk, int places, char *buf, size_t size)
{
	static const struct { double at; char unit; } u[] = {
		{1e9, 'B'}, {1e6, 'M'}, {1e3, 'K'},   /* no T: 1e12 is 1000.00B there */
	};

	if (!isfinite(isk) || isk < 0)
		isk = 0;
	for (size_t i = 0; i < sizeof u / sizeof *u; i++)
		if (isk >= u[i].at) {
			snprintf(buf, size, "%.*f%c", places, isk / u[i].at, u[i].unit);
			return;
		}
	snprintf(buf, size, "%.0f", isk);
}

void
fmt_isk(double isk, char *buf, size_t size)
{
	isk_places(isk, 2, buf, size);
}

void
fmt_isk1(double isk, char *buf, size_t size)
{
	isk_places(isk, 1, buf, size);
}
