/*
 * Dates and times: parsing what a user types ("fri", "in 2w",
 * "2026-12-01 09:30"), calendar arithmetic in a time zone, formatting.
 * Nothing here reads the clock: `now` is always a parameter.
 *
 * Instants are int64_t UTC seconds.  A zone `tz` is a tz database name
 * ("Europe/Paris", "UTC"); NULL or "" means the process's default zone
 * (TZ as it was at first use, else /etc/localtime).  A name that
 * when_zone_valid() rejects is read as UTC by every function that cannot
 * report an error; when_parse() rejects it.
 *
 * Instants are clamped to [WHEN_MIN, WHEN_MAX] on the way in and out, so
 * no function overflows; when_parse() accepts years 1900..9999 only.
 *
 * Local wall times that do not exist (the hour skipped when clocks spring
 * forward) move forward by the length of the gap: 02:30 becomes 03:30.
 * Wall times that happen twice (clocks fall back) take the first.
 *
 * Thread safety: the functions switch the process's TZ and serialise on
 * one internal mutex.  Other code must not call localtime(), mktime()
 * or tzset() concurrently, nor rely on TZ keeping its value: use
 * when_split() with tz NULL instead.
 */
#ifndef TEND_WHEN_H
#define TEND_WHEN_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define WHEN_MIN	((int64_t)-62135596800)	/* 0001-01-01T00:00:00Z */
#define WHEN_MAX	((int64_t)253402300799)	/* 9999-12-31T23:59:59Z */

/* Large enough for every when_format() and when_ago() result. */
#define WHEN_BUFSZ	48

/* The units of an amount of time, as people write them. */
enum when_unit {
	WHEN_UNIT_NONE,
	WHEN_UNIT_DAYS,
	WHEN_UNIT_WEEKS,
	WHEN_UNIT_MONTHS,
	WHEN_UNIT_YEARS
};

/* "d", "day", "days", "w", ... "years" (lower case); WHEN_UNIT_NONE else. */
enum when_unit	when_unit_from_name(const char *);

enum when_fmt {
	WHEN_DATE,	/* "2026-12-01" */
	WHEN_DATETIME,	/* "2026-12-01 09:30" */
	WHEN_ISO	/* "2026-12-01T09:30:00+01:00" */
};

/* A local wall time: the broken-down form of an instant in a zone. */
struct when_tm {
	int	year;	/* 2026 */
	int	month;	/* 1..12 */
	int	day;	/* 1..31 */
	int	hour;	/* 0..23 */
	int	min;	/* 0..59 */
	int	sec;	/* 0..59 */
	int	wday;	/* 0 = Sunday; ignored by when_join() */
	int	gmtoff;	/* seconds east of UTC; ignored by when_join() */
};

/*
 * 1 if tz names a zone of the system tz database (a TZif file under
 * $TZDIR or /usr/share/zoneinfo, not under "right/", whose leap seconds
 * would break the arithmetic) or is "UTC"; NULL and "" (the default
 * zone) are valid too.  0 otherwise, including names with "..", a
 * leading '/' or characters no zone name has.
 */
int	 when_zone_valid(const char *tz);

/*
 * Parse a user's date expression relative to now, read in zone tz, and
 * store the instant in *out.  Case-insensitive, surrounding blanks
 * ignored.  Accepted:
 *   2026-12-01                     local midnight (first instant) of that day
 *   2026-12-01T09:30[:00], 2026-12-01 09:30[:00]
 *                                  local time, or with Z, +01:00, -0500, +01
 *   now                            now itself
 *   today, tomorrow, yesterday     local midnight of that day
 *   mon..sun, monday..sunday       the next such day strictly after today
 *   [in] 3d, 3 days, 2w, 1m, 1y    days, weeks, calendar months (clamped to
 *                                  the month's end), years; +3d works too
 *   -3d, 3 days ago                the past
 *   next week                      Monday of next week (weeks start Monday)
 *   next month                     the 1st of next month
 * Relative days give local midnight.  Amounts are bounded (36500 days,
 * 5214 weeks, 1200 months, 100 years).
 * Returns 0, or TEND_EINVAL with "invalid date '<text>': <why>" (or
 * "unknown time zone '<tz>'") in err; *out is then unchanged.
 */
int	 when_parse(const char *text, int64_t now, const char *tz, int64_t *out,
	    struct err *err);

/*
 * The first instant of t's local day: local midnight, or, where midnight
 * does not exist (a DST gap at 00:00), the end of the gap.
 */
int64_t	 when_day_start(int64_t t, const char *tz);

/* The same local wall time n calendar days later (n < 0: earlier). */
int64_t	 when_add_days(int64_t t, int n, const char *tz);

/*
 * The same local wall time n calendar months later (n < 0: earlier),
 * the day clamped to the month's end: Jan 31 + 1 = Feb 28 (29).
 */
int64_t	 when_add_months(int64_t t, int n, const char *tz);

/* Local calendar days from from's day to to's day; negative if earlier. */
int	 when_days_between(int64_t from, int64_t to, const char *tz);

/* The local day of the week of t, 0 = Sunday. */
int	 when_weekday(int64_t t, const char *tz);

/* Break t down into local wall time in tz. */
void	 when_split(int64_t t, const char *tz, struct when_tm *out);

/*
 * The instant of a local wall time in tz (gap: forward; repeated: the
 * first).  Out-of-range fields carry over as with mktime(): month 13 is
 * January of the next year, day 0 the last day of the previous month.
 */
int64_t	 when_join(const struct when_tm *tm, const char *tz);

/*
 * Format t in tz into buf (n bytes, truncated to fit; WHEN_BUFSZ is
 * always enough) and return buf.  WHEN_ISO gives the offset as +01:00,
 * with seconds (+00:09:21) only for the local mean times before ~1900.
 */
char	*when_format(char *buf, size_t n, int64_t t, const char *tz,
	    enum when_fmt fmt);

/*
 * How far then is from now in local calendar days, for people: "today",
 * "yesterday", "tomorrow", "3 days ago", "in 3 days"; from 14 days
 * "2 weeks ago"; from 60 days "2 months ago" (30-day months); from 720
 * days "2 years ago".  Writes into buf (n bytes) and returns buf.
 */
char	*when_ago(char *buf, size_t n, int64_t then, int64_t now,
	    const char *tz);

#endif
