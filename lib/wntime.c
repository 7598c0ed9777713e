/* wntime.c — ISO 8601 and HTTP dates without timegm(); see wntime.h. */
#include <stdio.h>
#include <string.h>

#include "wntime.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
static const char wdays[] = "ThuFriSatSunMonTueWed";	/* 1970-01-01 was a Thursday */

int64_t
wntime_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
wntime_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
wntime_month_days(int64_t y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return md[m - 1] + (m == 2 && leap);
}

/* n digits at *p (before end) into *v; advances *p. */
static int
digits(const char **p, const char *end, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (*p >= end || **p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

static int
lit(const char **p, const char *end, const char *any)
{
	if (*p >= end || !**p || !strchr(any, **p))
		return -1;
	(*p)++;
	return 0;
}

/* "", Z, z, +hh:mm, +hhmm (or -) at p..end into seconds east of UTC. */
static int
zone(const char *p, const char *end, unsigned flags, int64_t *off)
{
	int h, mi, sign;

	*off = 0;
	if (p == end)
		return flags & WNTIME_NEED_ZONE ? -1 : 0;
	if ((*p == 'Z' || *p == 'z') && p + 1 == end)
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, end, 2, &h) < 0)
		return -1;
	if (p < end && *p == ':')
		p++;
	if (digits(&p, end, 2, &mi) < 0 || p != end || h > 23 || mi > 59)
		return -1;
	*off = sign * (h * 3600 + mi * 60);
	return 0;
}

int
wntime_iso_parse(const char *s, size_t len, unsigned flags, int64_t *t)
{
	const char *p = s, *end = s + len;
	int y, mo, d, h, mi, se;
	int64_t off;

	if (!s)
		return -1;
	if (digits(&p, end, 4, &y) || lit(&p, end, "-") || digits(&p, end, 2, &mo) ||
	    lit(&p, end, "-") || digits(&p, end, 2, &d) || lit(&p, end, "Tt ") ||
	    digits(&p, end, 2, &h) || lit(&p, end, ":") || digits(&p, end, 2, &mi) ||
	    lit(&p, end, ":") || digits(&p, end, 2, &se))
		return -1;
	if (p < end && (*p == '.' || *p == ',')) {
		if (++p >= end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (zone(p, end, flags, &off) < 0 || d < 1 || d > wntime_month_days(y, mo) ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	*t = wntime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return 0;
}

int
wntime_iso_parse_str(const char *s, unsigned flags, int64_t *t)
{
	return s ? wntime_iso_parse(s, strlen(s), flags, t) : -1;
}

/* t split into a civil date and the seconds of its day. */
static void
split(int64_t t, int64_t *y, int *m, int *d, int *sod)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);

	wntime_civil_from_days(days, y, m, d);
	*sod = (int)(t - days * 86400);
}

int
wntime_iso_format(int64_t t, char out[WNTIME_ISO_LEN + 1])
{
	int64_t y;
	int m, d, s;

	out[0] = '\0';
	if (t < -62135596800LL || t > 253402300799LL)	/* 0001-01-01 .. 9999-12-31 */
		return -1;
	split(t, &y, &m, &d, &s);
	snprintf(out, WNTIME_ISO_LEN + 1, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d,
	    s / 3600, s / 60 % 60, s % 60);
	return 0;
}

int64_t
wntime_http_parse(const char *s)
{
	char mon[4], zone_[4];
	int d, y, hh, mm, ss, n = 0;
	const char *p;

	if (!s || !(s = strchr(s, ',')) ||
	    sscanf(s + 1, " %2d %3s %4d %2d:%2d:%2d %3s%n", &d, mon, &y, &hh, &mm, &ss,
	        zone_, &n) != 7 || s[1 + n] != '\0' ||
	    strcmp(zone_, "GMT") != 0 || strlen(mon) != 3 || !(p = strstr(months, mon)) ||
	    (p - months) % 3 || y < 1970 || d < 1 ||
	    d > wntime_month_days(y, (int)(p - months) / 3 + 1) || hh < 0 || hh > 23 ||
	    mm < 0 || mm > 59 || ss < 0 || ss > 60)   /* %2d takes "-5" too */
		return -1;
	return wntime_days_from_civil(y, (int)(p - months) / 3 + 1, d) * 86400 +
	    hh * 3600 + mm * 60 + ss;
}

int
wntime_http_format(int64_t t, char out[WNTIME_HTTP_LEN + 1])
{
	int64_t y;
	int m, d, s;

	out[0] = '\0';
	if (t < 0 || t > 253402300799LL)
		return -1;
	split(t, &y, &m, &d, &s);
	snprintf(out, WNTIME_HTTP_LEN + 1, "%.3s, %02d %.3s %04d %02d:%02d:%02d GMT",
	    wdays + (t / 86400 % 7) * 3, d, months + (m - 1) * 3, (int)y,
	    s / 3600, s / 60 % 60, s % 60);
	return 0;
}
