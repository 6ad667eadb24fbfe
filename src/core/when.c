/*
 * All date logic of tend: parsing date expressions, local calendar
 * arithmetic and formatting, with `now` always passed in.
 *
 * How zones work here, and why: glibc's tz code already reads the system
 * tz database correctly, so we select a zone by setting TZ and calling
 * tzset() (only when the zone name changes) and use localtime_r() for
 * UTC -> local.  For local -> UTC we do not use mktime(): its handling of
 * tm_isdst = -1 in DST gaps and repeated hours is unspecified.  Instead
 * we take the offsets in force a day either side of the wall time, keep
 * those that map back onto it, and pick the earliest (repeated hour);
 * if none does, the wall time is in a gap and the offset from before the
 * gap moves it forward by the gap's length.  libical's own zone tables
 * were the alternative; they are built from VTIMEZONE expansions with a
 * year horizon and would be a second source of truth beside the system's.
 * The price is process-wide state (TZ), guarded by one mutex.
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/when.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define ZONE_NAME_MAX	256
#define ZONE_DIR	"/usr/share/zoneinfo"
#define PARSE_MAX	64	/* longest date expression we read */
#define PARSE_TOKENS	4
#define DAY		86400

/* Bounds on relative amounts, about a century each. */
#define MAX_DAYS	36500
#define MAX_WEEKS	5214
#define MAX_MONTHS	1200
#define MAX_YEARS	100

#define YEAR_MIN	1900	/* what when_parse() accepts */
#define YEAR_MAX	9999

enum zone_kind {
	ZONE_NONE,	/* TZ not yet set by us, or set to an uncached name */
	ZONE_DEFAULT,
	ZONE_NAMED
};

static pthread_mutex_t	 when_mutex = PTHREAD_MUTEX_INITIALIZER;
static int		 zone_started;
static char		*zone_default;	/* TZ at first use; NULL if unset */
static enum zone_kind	 zone_kind = ZONE_NONE;
static char		 zone_current[ZONE_NAME_MAX];

static const char *const weekday_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

static const char why_syntax[] = "expected YYYY-MM-DD [HH:MM], now, today, "
    "tomorrow, a weekday, in 3d, 2w, 1m, 1y, next week or next month";

static int64_t
clamp(int64_t t)
{
	if (t < WHEN_MIN)
		return WHEN_MIN;
	if (t > WHEN_MAX)
		return WHEN_MAX;
	return t;
}

/* Floor division and modulo, for negative years and days. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t	q;

	q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t
floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (Howard Hinnant's algorithms; exact for any int64 range we use).
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t	era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int	dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

static int
zone_name_ok(const char *tz)
{
	const char	*p;
	size_t		 len;

	len = strlen(tz);
	if (len == 0 || len >= ZONE_NAME_MAX || tz[0] == '/' || tz[0] == '.')
		return 0;
	/* one spelling per zone: no "..", "//", "/." or trailing '/' */
	if (strstr(tz, "..") != NULL || strstr(tz, "//") != NULL ||
	    strstr(tz, "/.") != NULL || tz[len - 1] == '/')
		return 0;
	/* right/ zones count leap seconds in time_t: not POSIX time. */
	if (strncmp(tz, "right/", 6) == 0)
		return 0;
	for (p = tz; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("/_+-.", *p) == NULL)
			return 0;
	}
	return 1;
}

int
when_zone_valid(const char *tz)
{
	char		 path[PATH_MAX];
	char		 magic[4];
	const char	*dir;
	struct stat	 st;
	int		 fd, n, ok;

	if (tz == NULL || tz[0] == '\0' || strcmp(tz, "UTC") == 0)
		return 1;
	if (!zone_name_ok(tz))
		return 0;
	/* glibc looks in $TZDIR too, so we must check the same place. */
	dir = getenv("TZDIR");
	if (dir == NULL || dir[0] == '\0')
		dir = ZONE_DIR;
	n = snprintf(path, sizeof path, "%s/%s", dir, tz);
	if (n < 0 || (size_t)n >= sizeof path)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	ok = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    memcmp(magic, "TZif", sizeof magic) == 0)
		ok = 1;
	close(fd);
	return ok;
}

/*
 * setenv() fails only on out of memory here (the name is a constant),
 * and every other allocation failure in tend aborts too.
 */
static void
zone_setenv(const char *value)
{
	if (setenv("TZ", value, 1) == -1)
		abort();
}

/* Make tz the zone localtime_r() uses.  Called with when_mutex held. */
static void
zone_use(const char *tz)
{
	const char	*v;
	size_t		 len;

	if (!zone_started) {
		v = getenv("TZ");
		zone_default = v != NULL ? xstrdup(v) : NULL;
		zone_started = 1;
	}
	if (tz == NULL || tz[0] == '\0') {
		if (zone_kind == ZONE_DEFAULT)
			return;
		if (zone_default != NULL)
			zone_setenv(zone_default);
		else if (unsetenv("TZ") == -1)
			abort();
		tzset();
		zone_kind = ZONE_DEFAULT;
		return;
	}
	if (zone_kind == ZONE_NAMED && strcmp(zone_current, tz) == 0)
		return;
	/*
	 * An unknown name must not reach glibc: "ABC3" would be read as a
	 * POSIX rule three hours west, anything else as UTC.
	 */
	if (strcmp(tz, "UTC") != 0 && when_zone_valid(tz))
		zone_setenv(tz);
	else
		zone_setenv("UTC0");
	tzset();
	len = strlen(tz);
	if (len < sizeof zone_current) {
		memcpy(zone_current, tz, len + 1);
		zone_kind = ZONE_NAMED;
	} else
		zone_kind = ZONE_NONE;
}

/* UTC -> local in the current zone.  Called with when_mutex held. */
static void
split_locked(int64_t t, struct when_tm *out)
{
	struct tm	 tm;
	time_t		 tt;
	int64_t		 y;

	t = clamp(t);
	tt = (time_t)t;
	if (localtime_r(&tt, &tm) != NULL) {
		out->year = tm.tm_year + 1900;
		out->month = tm.tm_mon + 1;
		out->day = tm.tm_mday;
		out->hour = tm.tm_hour;
		out->min = tm.tm_min;
		out->sec = tm.tm_sec;
		out->wday = tm.tm_wday;
		out->gmtoff = (int)tm.tm_gmtoff;
		return;
	}
	/* Unreachable with 64-bit time_t in range; read as UTC if it is. */
	civil_from_days(floor_div(t, DAY), &y, &out->month, &out->day);
	out->year = (int)y;
	out->hour = (int)(floor_mod(t, DAY) / 3600);
	out->min = (int)(floor_mod(t, 3600) / 60);
	out->sec = (int)floor_mod(t, 60);
	out->wday = (int)floor_mod(floor_div(t, DAY) + 4, 7);
	out->gmtoff = 0;
}

static int64_t
offset_at(int64_t t)
{
	struct tm	 tm;
	time_t		 tt;

	tt = (time_t)t;
	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return tm.tm_gmtoff;
}

/*
 * Local wall time -> UTC in the current zone, fields carried over like
 * mktime().  See the top of the file for the gap and overlap rules.
 * Called with when_mutex held.
 */
static int64_t
join_locked(int64_t y, int64_t m, int64_t d, int64_t hh, int64_t mm,
    int64_t ss)
{
	int64_t	naive, off[3], t, best;
	int	i, found;

	/* Keep every intermediate far from overflow; the result is clamped. */
	if (y < -1000000)
		y = -1000000;
	if (y > 1000000)
		y = 1000000;
	y += floor_div(m - 1, 12);
	m = floor_mod(m - 1, 12) + 1;
	naive = (days_from_civil(y, (int)m, 1) + d - 1) * DAY +
	    hh * 3600 + mm * 60 + ss;
	if (naive < WHEN_MIN - 2 * DAY)
		naive = WHEN_MIN - 2 * DAY;
	if (naive > WHEN_MAX + 2 * DAY)
		naive = WHEN_MAX + 2 * DAY;

	off[0] = offset_at(naive - DAY);
	off[1] = offset_at(naive + DAY);
	off[2] = offset_at(naive);
	found = 0;
	best = 0;
	for (i = 0; i < 3; i++) {
		t = naive - off[i];
		if (offset_at(t) != off[i])
			continue;
		if (!found || t < best)
			best = t;
		found = 1;
	}
	if (!found)
		best = naive - off[0];
	return clamp(best);
}

void
when_split(int64_t t, const char *tz, struct when_tm *out)
{
	pthread_mutex_lock(&when_mutex);
	zone_use(tz);
	split_locked(t, out);
	pthread_mutex_unlock(&when_mutex);
}

int64_t
when_join(const struct when_tm *tm, const char *tz)
{
	int64_t	t;

	pthread_mutex_lock(&when_mutex);
	zone_use(tz);
	t = join_locked(tm->year, tm->month, tm->day, tm->hour, tm->min,
	    tm->sec);
	pthread_mutex_unlock(&when_mutex);
	return t;
}

int64_t
when_day_start(int64_t t, const char *tz)
{
	struct when_tm	 tm;
	int64_t		 r;

	pthread_mutex_lock(&when_mutex);
	zone_use(tz);
	split_locked(t, &tm);
	r = join_locked(tm.year, tm.month, tm.day, 0, 0, 0);
	pthread_mutex_unlock(&when_mutex);
	return r;
}

int64_t
when_add_days(int64_t t, int n, const char *tz)
{
	struct when_tm	 tm;
	int64_t		 r;

	pthread_mutex_lock(&when_mutex);
	zone_use(tz);
	split_locked(t, &tm);
	r = join_locked(tm.year, tm.month, (int64_t)tm.day + n, tm.hour,
	    tm.min, tm.sec);
	pthread_mutex_unlock(&when_mutex);
	return r;
}

/* y-m-d plus n months, the day clamped to the new month's length. */
static void
add_months_civil(int64_t *y, int *m, int *d, int64_t n)
{
	int64_t	total;
	int	dim;

	total = *y * 12 + (*m - 1) + n;
	*y = floor_div(total, 12);
	*m = (int)floor_mod(total, 12) + 1;
	dim = days_in_month(*y, *m);
	if (*d > dim)
		*d = dim;
}

int64_t
when_add_months(int64_t t, int n, const char *tz)
{
	struct when_tm	 tm;
	int64_t		 y, r;
	int		 m, d;

	pthread_mutex_lock(&when_mutex);
	zone_use(tz);
	split_locked(t, &tm);
	y = tm.year;
	m = tm.month;
	d = tm.day;
	add_months_civil(&y, &m, &d, n);
	r = join_locked(y, m, d, tm.hour, tm.min, tm.sec);
	pthread_mutex_unlock(&when_mutex);
	return r;
}

int
when_days_between(int64_t from, int64_t to, const char *tz)
{
	struct when_tm	 a, b;

	pthread_mutex_lock(&when_mutex);
	zone_use(tz);
	split_locked(from, &a);
	split_locked(to, &b);
	pthread_mutex_unlock(&when_mutex);
	/* Clamped instants are under 4 million days apart: fits an int. */
	return (int)(days_from_civil(b.year, b.month, b.day) -
	    days_from_civil(a.year, a.month, a.day));
}

int
when_weekday(int64_t t, const char *tz)
{
	struct when_tm	 tm;

	when_split(t, tz, &tm);
	return tm.wday;
}

char *
when_format(char *buf, size_t n, int64_t t, const char *tz,
    enum when_fmt fmt)
{
	struct when_tm	 tm;
	int		 off;
	char		 sign;

	if (n == 0)
		return buf;
	when_split(t, tz, &tm);
	switch (fmt) {
	case WHEN_DATE:
		snprintf(buf, n, "%04d-%02d-%02d", tm.year, tm.month, tm.day);
		break;
	case WHEN_DATETIME:
		snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", tm.year, tm.month,
		    tm.day, tm.hour, tm.min);
		break;
	case WHEN_ISO:
	default:
		off = tm.gmtoff;
		sign = '+';
		if (off < 0) {
			sign = '-';
			off = -off;
		}
		if (off % 60 != 0)
			snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d"
			    "%c%02d:%02d:%02d", tm.year, tm.month, tm.day,
			    tm.hour, tm.min, tm.sec, sign, off / 3600,
			    off / 60 % 60, off % 60);
		else
			snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d"
			    "%c%02d:%02d", tm.year, tm.month, tm.day, tm.hour,
			    tm.min, tm.sec, sign, off / 3600, off / 60 % 60);
		break;
	}
	return buf;
}

char *
when_ago(char *buf, size_t n, int64_t then, int64_t now, const char *tz)
{
	const char	*unit;
	int		 d, k, amount;

	if (n == 0)
		return buf;
	d = when_days_between(now, then, tz);
	if (d == 0) {
		snprintf(buf, n, "today");
		return buf;
	}
	if (d == -1) {
		snprintf(buf, n, "yesterday");
		return buf;
	}
	if (d == 1) {
		snprintf(buf, n, "tomorrow");
		return buf;
	}
	k = d < 0 ? -d : d;
	if (k < 14) {
		amount = k;
		unit = "days";
	} else if (k < 60) {
		amount = k / 7;
		unit = "weeks";
	} else if (k < 720) {
		amount = k / 30;
		unit = "months";
	} else {
		amount = k / 365;
		if (amount < 2)
			amount = 2;
		unit = "years";
	}
	if (d < 0)
		snprintf(buf, n, "%d %s ago", amount, unit);
	else
		snprintf(buf, n, "in %d %s", amount, unit);
	return buf;
}

/*
 * Parsing.  The helpers below read from a lowercased, trimmed copy and
 * return 0 or -1 with *why set to the reason shown to the user.
 */

/* Read between min and max digits at *p into *v, advancing *p. */
static int
read_digits(const char **p, int min, int max, int *v)
{
	const char	*s;
	int		 n, val;

	s = *p;
	val = 0;
	for (n = 0; n < max && isdigit((unsigned char)s[n]); n++)
		val = val * 10 + (s[n] - '0');
	if (n < min)
		return -1;
	*v = val;
	*p = s + n;
	return 0;
}

/* Skip the character c at *p; -1 if it is not there. */
static int
read_char(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/* "YYYY-MM-DD[(T| )HH:MM[:SS][Z|+HH[[:]MM]]]" */
static int
parse_iso(const char *s, int64_t *out, const char **why)
{
	const char	*p;
	int		 y, mo, d, h, mi, sec, oh, om, off, has_time, has_off;
	char		 sign;

	p = s;
	h = 0;
	mi = 0;
	sec = 0;
	off = 0;
	has_time = 0;
	has_off = 0;
	if (read_digits(&p, 4, 4, &y) == -1 || read_char(&p, '-') == -1 ||
	    read_digits(&p, 1, 2, &mo) == -1 || read_char(&p, '-') == -1 ||
	    read_digits(&p, 1, 2, &d) == -1) {
		*why = "expected YYYY-MM-DD";
		return -1;
	}
	if (*p == 't' || *p == ' ') {
		p++;
		has_time = 1;
		if (read_digits(&p, 1, 2, &h) == -1 ||
		    read_char(&p, ':') == -1 ||
		    read_digits(&p, 2, 2, &mi) == -1) {
			*why = "expected a time as HH:MM or HH:MM:SS";
			return -1;
		}
		if (*p == ':') {
			p++;
			if (read_digits(&p, 2, 2, &sec) == -1) {
				*why = "expected a time as HH:MM or HH:MM:SS";
				return -1;
			}
		}
		if (*p == 'z') {
			p++;
			has_off = 1;
		} else if (*p == '+' || *p == '-') {
			sign = *p;
			p++;
			om = 0;
			if (read_digits(&p, 2, 2, &oh) == -1) {
				*why = "expected a UTC offset as +HH:MM";
				return -1;
			}
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) &&
			    read_digits(&p, 2, 2, &om) == -1) {
				*why = "expected a UTC offset as +HH:MM";
				return -1;
			}
			if (oh > 23 || om > 59) {
				*why = "no such UTC offset";
				return -1;
			}
			off = (oh * 60 + om) * 60;
			if (sign == '-')
				off = -off;
			has_off = 1;
		}
	}
	if (*p != '\0') {
		*why = "unexpected characters after the date";
		return -1;
	}
	if (y < YEAR_MIN || y > YEAR_MAX) {
		*why = "year out of range (1900 to 9999)";
		return -1;
	}
	if (mo < 1 || mo > 12) {
		*why = "no such month";
		return -1;
	}
	if (d < 1 || d > days_in_month(y, mo)) {
		*why = "no such day";
		return -1;
	}
	if (has_time && (h > 23 || mi > 59 || sec > 59)) {
		*why = "no such time of day";
		return -1;
	}
	if (has_off)
		*out = days_from_civil(y, mo, d) * DAY + h * 3600 + mi * 60 +
		    sec - off;
	else
		*out = join_locked(y, mo, d, h, mi, sec);
	return 0;
}

static int
weekday_from_name(const char *s)
{
	int	i;

	for (i = 0; i < 7; i++) {
		if (strcmp(s, weekday_names[i]) == 0)
			return i;
		if (strlen(s) == 3 && strncmp(s, weekday_names[i], 3) == 0)
			return i;
	}
	return -1;
}

enum when_unit
when_unit_from_name(const char *s)
{
	static const struct {
		const char		*name;
		enum when_unit	 unit;
	} units[] = {
		{ "d", WHEN_UNIT_DAYS }, { "day", WHEN_UNIT_DAYS }, { "days", WHEN_UNIT_DAYS },
		{ "w", WHEN_UNIT_WEEKS }, { "week", WHEN_UNIT_WEEKS },
		{ "weeks", WHEN_UNIT_WEEKS },
		{ "m", WHEN_UNIT_MONTHS }, { "month", WHEN_UNIT_MONTHS },
		{ "months", WHEN_UNIT_MONTHS },
		{ "y", WHEN_UNIT_YEARS }, { "year", WHEN_UNIT_YEARS },
		{ "years", WHEN_UNIT_YEARS }
	};
	size_t	i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(s, units[i].name) == 0)
			return units[i].unit;
	}
	return WHEN_UNIT_NONE;
}

/* Local midnight of a civil date, within the years we accept. */
static int
midnight(int64_t y, int m, int d, int64_t *out, const char **why)
{
	if (y < YEAR_MIN || y > YEAR_MAX) {
		*why = "year out of range (1900 to 9999)";
		return -1;
	}
	*out = join_locked(y, m, d, 0, 0, 0);
	return 0;
}

/* Today's civil date plus n days. */
static int
days_from_today(const struct when_tm *today, int64_t n, int64_t *out,
    const char **why)
{
	int64_t	y;
	int	m, d;

	civil_from_days(days_from_civil(today->year, today->month,
	    today->day) + n, &y, &m, &d);
	return midnight(y, m, d, out, why);
}

/* "[in|+|-]N[ ]unit[ ago]", in tokens tok[0..ntok). */
static int
parse_amount(char **tok, int ntok, const struct when_tm *today,
    int64_t *out, const char **why)
{
	const char		*p, *unit_name;
	enum when_unit	 unit;
	int64_t			 y;
	int			 i, in, ago, neg, n, digits, m, d, max;

	i = 0;
	in = 0;
	ago = 0;
	neg = 0;
	if (ntok > 0 && strcmp(tok[0], "in") == 0) {
		in = 1;
		i++;
	}
	if (ntok - i >= 2 && strcmp(tok[ntok - 1], "ago") == 0) {
		ago = 1;
		ntok--;
	}
	if (in && ago) {
		*why = why_syntax;
		return -1;
	}
	if (i >= ntok) {
		*why = why_syntax;
		return -1;
	}
	p = tok[i++];
	if (*p == '+' || *p == '-') {
		if (in || ago) {
			*why = why_syntax;
			return -1;
		}
		neg = *p == '-';
		p++;
	}
	n = 0;
	for (digits = 0; isdigit((unsigned char)p[digits]); digits++) {
		/* More digits than any bound has: stop before overflow. */
		if (digits < 7)
			n = n * 10 + (p[digits] - '0');
	}
	if (digits == 0) {
		*why = why_syntax;
		return -1;
	}
	p += digits;
	if (*p != '\0')
		unit_name = p;
	else if (i < ntok)
		unit_name = tok[i++];
	else {
		*why = "missing unit: d, w, m or y (days, weeks, months, "
		    "years)";
		return -1;
	}
	if (i != ntok) {
		*why = why_syntax;
		return -1;
	}
	unit = when_unit_from_name(unit_name);
	switch (unit) {
	case WHEN_UNIT_DAYS:
		max = MAX_DAYS;
		break;
	case WHEN_UNIT_WEEKS:
		max = MAX_WEEKS;
		break;
	case WHEN_UNIT_MONTHS:
		max = MAX_MONTHS;
		break;
	case WHEN_UNIT_YEARS:
		max = MAX_YEARS;
		break;
	case WHEN_UNIT_NONE:
	default:
		*why = "unknown unit: use d, w, m or y (days, weeks, months, "
		    "years)";
		return -1;
	}
	if (digits > 7 || n > max) {
		*why = "too far away (at most 100 years)";
		return -1;
	}
	if (neg || ago)
		n = -n;
	switch (unit) {
	case WHEN_UNIT_DAYS:
		return days_from_today(today, n, out, why);
	case WHEN_UNIT_WEEKS:
		return days_from_today(today, (int64_t)n * 7, out, why);
	case WHEN_UNIT_MONTHS:
	case WHEN_UNIT_YEARS:
	default:
		y = today->year;
		m = today->month;
		d = today->day;
		add_months_civil(&y, &m, &d, unit == WHEN_UNIT_YEARS ?
		    (int64_t)n * 12 : n);
		return midnight(y, m, d, out, why);
	}
}

static int
parse_words(char *s, int64_t now, int64_t *out, const char **why)
{
	struct when_tm	 today;
	char		*tok[PARSE_TOKENS];
	char		*p;
	int64_t		 y;
	int		 ntok, wd, delta, m, d;

	ntok = 0;
	p = s;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (ntok == PARSE_TOKENS) {
			*why = why_syntax;
			return -1;
		}
		tok[ntok++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	if (ntok == 1 && strcmp(tok[0], "now") == 0) {
		*out = now;
		return 0;
	}
	split_locked(now, &today);
	if (ntok == 1) {
		if (strcmp(tok[0], "today") == 0)
			return days_from_today(&today, 0, out, why);
		if (strcmp(tok[0], "tomorrow") == 0)
			return days_from_today(&today, 1, out, why);
		if (strcmp(tok[0], "yesterday") == 0)
			return days_from_today(&today, -1, out, why);
		wd = weekday_from_name(tok[0]);
		if (wd != -1) {
			delta = (wd - today.wday + 7) % 7;
			if (delta == 0)
				delta = 7;
			return days_from_today(&today, delta, out, why);
		}
	}
	if (ntok == 2 && strcmp(tok[0], "next") == 0) {
		if (strcmp(tok[1], "week") == 0) {
			/* Weeks start on Monday (ISO 8601). */
			delta = (8 - today.wday) % 7;
			if (delta == 0)
				delta = 7;
			return days_from_today(&today, delta, out, why);
		}
		if (strcmp(tok[1], "month") == 0) {
			y = today.year;
			m = today.month;
			d = 1;
			add_months_civil(&y, &m, &d, 1);
			return midnight(y, m, d, out, why);
		}
		*why = why_syntax;
		return -1;
	}
	return parse_amount(tok, ntok, &today, out, why);
}

int
when_parse(const char *text, int64_t now, const char *tz, int64_t *out,
    struct err *err)
{
	char		 s[PARSE_MAX];
	const char	*start, *why;
	size_t		 len, i;
	int64_t		 t;
	int		 rc;

	if (text == NULL)
		text = "";
	start = text;
	while (isspace((unsigned char)*start))
		start++;
	len = strlen(start);
	while (len > 0 && isspace((unsigned char)start[len - 1]))
		len--;
	if (len == 0)
		return err_set(err, TEND_EINVAL, "invalid date '': empty");
	if (len >= sizeof s)
		return err_set(err, TEND_EINVAL, "invalid date '%.*s...': "
		    "too long", 32, start);
	if (!when_zone_valid(tz))
		return err_set(err, TEND_EINVAL, "unknown time zone '%.*s'",
		    ZONE_NAME_MAX, tz);
	for (i = 0; i < len; i++)
		s[i] = (char)tolower((unsigned char)start[i]);
	s[len] = '\0';

	why = why_syntax;
	pthread_mutex_lock(&when_mutex);
	zone_use(tz);
	if (len >= 5 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	    isdigit((unsigned char)s[3]) && s[4] == '-')
		rc = parse_iso(s, &t, &why);
	else if (isdigit((unsigned char)s[0]) && strpbrk(s, "-/:") != NULL) {
		/* "01-12-2026", "2026/12/01", "10000-01-01": mistyped dates. */
		why = "expected YYYY-MM-DD [HH:MM]";
		rc = -1;
	} else
		rc = parse_words(s, now, &t, &why);
	pthread_mutex_unlock(&when_mutex);
	if (rc == -1)
		return err_set(err, TEND_EINVAL, "invalid date '%.*s': %s",
		    (int)len, start, why);
	*out = t;
	return 0;
}
