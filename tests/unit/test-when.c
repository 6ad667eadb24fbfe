/*
 * Unit tests for core/when: parsing, DST-correct calendar arithmetic in
 * Europe/Paris and America/New_York, formatting and "3 days ago".
 *
 * 2026 transitions used throughout:
 *   Paris     spring 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z)
 *             fall   2026-10-25 03:00 CEST -> 02:00 CET (01:00Z)
 *   New York  spring 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z)
 *             fall   2026-11-01 02:00 EDT -> 01:00 EST (06:00Z)
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/when.h"
#include "util/err.h"

#define PARIS	"Europe/Paris"
#define NY	"America/New_York"
#define HOUR	3600
#define DAY	86400

/* The process's default zone, set in main() before any when_ call. */
#define DEFAULT_TZ	"Asia/Tokyo"

/* An instant from an ISO string with an explicit offset. */
static int64_t
at(const char *iso)
{
	struct err	 e;
	int64_t		 t;

	t = 0;
	if (when_parse(iso, 0, "UTC", &t, &e) != 0)
		fail_msg("at(%s): %s", iso, e.msg);
	return t;
}

static void
check_iso(int64_t t, const char *tz, const char *want)
{
	char	buf[WHEN_BUFSZ];

	assert_string_equal(when_format(buf, sizeof buf, t, tz, WHEN_ISO),
	    want);
}

/* text parsed at now in tz gives want, formatted as ISO in tz. */
static void
check_parse(const char *text, int64_t now, const char *tz, const char *want)
{
	struct err	 e;
	int64_t		 t;
	char		 buf[WHEN_BUFSZ];
	int		 rc;

	t = 0;
	memset(&e, 0, sizeof e);
	rc = when_parse(text, now, tz, &t, &e);
	if (rc != 0)
		fail_msg("when_parse(%s) failed: %s", text, e.msg);
	when_format(buf, sizeof buf, t, tz, WHEN_ISO);
	if (strcmp(buf, want) != 0)
		fail_msg("when_parse(%s) = %s, want %s", text, buf, want);
}

/* text is rejected with TEND_EINVAL and a message starting with want. */
static void
check_reject(const char *text, const char *want)
{
	struct err	 e;
	int64_t		 t;
	int		 rc;

	t = 12345;
	memset(&e, 0, sizeof e);
	rc = when_parse(text, at("2026-03-27T10:00:00+01:00"), PARIS, &t, &e);
	if (rc != TEND_EINVAL)
		fail_msg("when_parse(%s) = %d, want TEND_EINVAL", text, rc);
	assert_int_equal(e.code, TEND_EINVAL);
	assert_int_equal(t, 12345);
	if (strncmp(e.msg, want, strlen(want)) != 0)
		fail_msg("when_parse(%s): message '%s', want '%s...'", text,
		    e.msg, want);
}

static void
test_zone_valid(void **state)
{
	(void)state;
	assert_true(when_zone_valid("Europe/Paris"));
	assert_true(when_zone_valid("America/New_York"));
	assert_true(when_zone_valid("Asia/Kolkata"));
	assert_true(when_zone_valid("UTC"));
	assert_true(when_zone_valid("EST5EDT"));
	assert_true(when_zone_valid(NULL));
	assert_true(when_zone_valid(""));
	assert_false(when_zone_valid("Mars/Olympus"));
	assert_false(when_zone_valid("../etc/passwd"));
	assert_false(when_zone_valid("Europe/../../../etc/passwd"));
	assert_false(when_zone_valid("/etc/localtime"));
	assert_false(when_zone_valid("Europe//Paris"));
	assert_false(when_zone_valid("Europe/Paris/"));
	assert_false(when_zone_valid("Europe/./Paris"));
	assert_false(when_zone_valid("/usr/share/zoneinfo/Europe/Paris"));
	assert_false(when_zone_valid("Europe"));	/* a directory */
	assert_false(when_zone_valid("zone.tab"));	/* not TZif */
	assert_false(when_zone_valid("right/Europe/Paris"));
	assert_false(when_zone_valid("Europe/Paris "));
	assert_false(when_zone_valid("europe/paris"));
	assert_false(when_zone_valid("ABC3"));	/* a POSIX rule, not a name */
	assert_false(when_zone_valid("CET-1CEST,M3.5.0,M10.5.0/3"));
	assert_false(when_zone_valid(".hidden"));
}

static void
test_unknown_zone_is_utc(void **state)
{
	int64_t	t;

	(void)state;
	t = at("2026-07-01T12:00:00Z");
	check_iso(t, "Mars/Olympus", "2026-07-01T12:00:00+00:00");
	/* glibc alone would read ABC3 as three hours west of UTC. */
	check_iso(t, "ABC3", "2026-07-01T12:00:00+00:00");
	check_iso(t, "../etc/passwd", "2026-07-01T12:00:00+00:00");
	check_iso(t, "UTC", "2026-07-01T12:00:00+00:00");
}

static void
test_default_zone(void **state)
{
	char		 a[WHEN_BUFSZ], b[WHEN_BUFSZ];
	const char	*env;
	int64_t		 t;

	(void)state;
	t = at("2026-07-01T12:00:00Z");
	check_iso(t, NULL, "2026-07-01T21:00:00+09:00");
	check_iso(t, "", "2026-07-01T21:00:00+09:00");
	check_iso(t, PARIS, "2026-07-01T14:00:00+02:00");
	/* Back to the default after a named zone. */
	when_format(a, sizeof a, t, NULL, WHEN_ISO);
	when_format(b, sizeof b, t, DEFAULT_TZ, WHEN_ISO);
	assert_string_equal(a, b);
	env = getenv("TZ");
	assert_non_null(env);
	assert_string_equal(env, DEFAULT_TZ);
}

static void
test_parse_iso_date(void **state)
{
	int64_t	now;

	(void)state;
	now = at("2026-03-27T10:00:00+01:00");
	check_parse("2026-12-01", now, PARIS, "2026-12-01T00:00:00+01:00");
	check_parse("2026-12-01", now, NY, "2026-12-01T00:00:00-05:00");
	check_parse("2026-07-14", now, PARIS, "2026-07-14T00:00:00+02:00");
	check_parse("  2026-12-01\n", now, PARIS, "2026-12-01T00:00:00+01:00");
	check_parse("2028-02-29", now, PARIS, "2028-02-29T00:00:00+01:00");
	check_parse("2000-02-29", now, "UTC", "2000-02-29T00:00:00+00:00");
	check_parse("2026-1-5", now, "UTC", "2026-01-05T00:00:00+00:00");
	check_parse("1900-01-01", now, "UTC", "1900-01-01T00:00:00+00:00");
	check_parse("9999-12-31", now, "UTC", "9999-12-31T00:00:00+00:00");
	assert_int_equal(at("2026-12-01T00:00:00Z"), 1796083200);
}

static void
test_parse_iso_time(void **state)
{
	int64_t	now;

	(void)state;
	now = at("2026-03-27T10:00:00+01:00");
	check_parse("2026-12-01T09:30", now, PARIS,
	    "2026-12-01T09:30:00+01:00");
	check_parse("2026-12-01 09:30", now, PARIS,
	    "2026-12-01T09:30:00+01:00");
	check_parse("2026-12-01T09:30:15", now, PARIS,
	    "2026-12-01T09:30:15+01:00");
	check_parse("2026-12-01t9:30", now, PARIS,
	    "2026-12-01T09:30:00+01:00");
	check_parse("2026-07-01 23:59:59", now, NY,
	    "2026-07-01T23:59:59-04:00");
	/* An explicit offset wins over the zone. */
	check_parse("2026-12-01T09:30Z", now, PARIS,
	    "2026-12-01T10:30:00+01:00");
	check_parse("2026-12-01t09:30:00z", now, PARIS,
	    "2026-12-01T10:30:00+01:00");
	check_parse("2026-12-01T09:30+01:00", now, NY,
	    "2026-12-01T03:30:00-05:00");
	check_parse("2026-12-01T09:30-0500", now, PARIS,
	    "2026-12-01T15:30:00+01:00");
	check_parse("2026-12-01T09:30:00+05:30", now, "UTC",
	    "2026-12-01T04:00:00+00:00");
	check_parse("2026-12-01T09:30+01", now, "UTC",
	    "2026-12-01T08:30:00+00:00");
	check_parse("2026-12-01 00:00", now, PARIS,
	    "2026-12-01T00:00:00+01:00");
}

static void
test_parse_dst_gap_and_overlap(void **state)
{
	int64_t	now;

	(void)state;
	now = at("2026-03-27T10:00:00+01:00");
	/* Skipped hour: forward by the gap. */
	check_parse("2026-03-29 02:30", now, PARIS,
	    "2026-03-29T03:30:00+02:00");
	check_parse("2026-03-29 02:00", now, PARIS,
	    "2026-03-29T03:00:00+02:00");
	check_parse("2026-03-29 03:00", now, PARIS,
	    "2026-03-29T03:00:00+02:00");
	check_parse("2026-03-29 01:59:59", now, PARIS,
	    "2026-03-29T01:59:59+01:00");
	check_parse("2026-03-08 02:30", now, NY, "2026-03-08T03:30:00-04:00");
	/* Repeated hour: the first. */
	check_parse("2026-10-25 02:30", now, PARIS,
	    "2026-10-25T02:30:00+02:00");
	check_parse("2026-11-01 01:30", now, NY, "2026-11-01T01:30:00-04:00");
	check_parse("2026-11-01 01:00", now, NY, "2026-11-01T01:00:00-04:00");
	check_parse("2026-11-01 02:00", now, NY, "2026-11-01T02:00:00-05:00");
}

static void
test_parse_words(void **state)
{
	int64_t	now;
	int64_t	t;

	(void)state;
	/* Friday 2026-03-27 10:00 in Paris, two days before spring forward. */
	now = at("2026-03-27T10:00:00+01:00");
	assert_int_equal(when_parse("now", now, PARIS, &t, NULL), 0);
	assert_int_equal(t, now);
	assert_int_equal(when_parse(" NOW ", now, NY, &t, NULL), 0);
	assert_int_equal(t, now);
	check_parse("today", now, PARIS, "2026-03-27T00:00:00+01:00");
	check_parse("Today", now, PARIS, "2026-03-27T00:00:00+01:00");
	check_parse("tomorrow", now, PARIS, "2026-03-28T00:00:00+01:00");
	check_parse("yesterday", now, PARIS, "2026-03-26T00:00:00+01:00");
	check_parse("next month", now, PARIS, "2026-04-01T00:00:00+02:00");
	check_parse("NEXT   WEEK", now, PARIS, "2026-03-30T00:00:00+02:00");
	/* "today" depends on the zone: 10:00 Paris is 05:00 in New York. */
	check_parse("today", at("2026-03-27T01:00:00+01:00"), NY,
	    "2026-03-26T00:00:00-04:00");
	check_parse("next month", at("2026-12-31T12:00:00Z"), "UTC",
	    "2027-01-01T00:00:00+00:00");
}

static void
test_parse_next_week(void **state)
{
	(void)state;
	/* Weeks start on Monday: from Sunday, next week is tomorrow. */
	check_parse("next week", at("2026-03-29T12:00:00+02:00"), PARIS,
	    "2026-03-30T00:00:00+02:00");
	check_parse("next week", at("2026-03-30T12:00:00+02:00"), PARIS,
	    "2026-04-06T00:00:00+02:00");
	check_parse("next week", at("2026-04-04T23:59:00+02:00"), PARIS,
	    "2026-04-06T00:00:00+02:00");
}

static void
test_parse_weekdays(void **state)
{
	int64_t	now;

	(void)state;
	now = at("2026-03-27T10:00:00+01:00");	/* a Friday */
	check_parse("fri", now, PARIS, "2026-04-03T00:00:00+02:00");
	check_parse("friday", now, PARIS, "2026-04-03T00:00:00+02:00");
	check_parse("FRIDAY", now, PARIS, "2026-04-03T00:00:00+02:00");
	check_parse("sat", now, PARIS, "2026-03-28T00:00:00+01:00");
	check_parse("saturday", now, PARIS, "2026-03-28T00:00:00+01:00");
	check_parse("sun", now, PARIS, "2026-03-29T00:00:00+01:00");
	check_parse("mon", now, PARIS, "2026-03-30T00:00:00+02:00");
	check_parse("tue", now, PARIS, "2026-03-31T00:00:00+02:00");
	check_parse("wednesday", now, PARIS, "2026-04-01T00:00:00+02:00");
	check_parse("thu", now, PARIS, "2026-04-02T00:00:00+02:00");
	check_parse("thursday", now, PARIS, "2026-04-02T00:00:00+02:00");
}

static void
test_parse_weekdays_week_boundary(void **state)
{
	int64_t	now;

	(void)state;
	/* Sunday 23:30 in Paris. */
	now = at("2026-03-29T23:30:00+02:00");
	check_parse("sun", now, PARIS, "2026-04-05T00:00:00+02:00");
	check_parse("mon", now, PARIS, "2026-03-30T00:00:00+02:00");
	check_parse("sat", now, PARIS, "2026-04-04T00:00:00+02:00");
	/* Monday 00:30 in Paris is still Sunday 18:30 in New York. */
	now = at("2026-03-30T00:30:00+02:00");
	check_parse("mon", now, PARIS, "2026-04-06T00:00:00+02:00");
	check_parse("mon", now, NY, "2026-03-30T00:00:00-04:00");
	check_parse("sun", now, NY, "2026-04-05T00:00:00-04:00");
	/* Saturday to Sunday across a year end. */
	now = at("2026-12-31T12:00:00Z");	/* Thursday */
	check_parse("fri", now, "UTC", "2027-01-01T00:00:00+00:00");
	check_parse("thu", now, "UTC", "2027-01-07T00:00:00+00:00");
}

static void
test_parse_amounts(void **state)
{
	int64_t	now;

	(void)state;
	now = at("2026-03-27T10:00:00+01:00");
	/* Across spring forward: still local midnight. */
	check_parse("in 3d", now, PARIS, "2026-03-30T00:00:00+02:00");
	check_parse("3d", now, PARIS, "2026-03-30T00:00:00+02:00");
	check_parse("+3d", now, PARIS, "2026-03-30T00:00:00+02:00");
	check_parse("3 days", now, PARIS, "2026-03-30T00:00:00+02:00");
	check_parse("in 3 days", now, PARIS, "2026-03-30T00:00:00+02:00");
	check_parse("in 1 day", now, PARIS, "2026-03-28T00:00:00+01:00");
	check_parse("3days", now, PARIS, "2026-03-30T00:00:00+02:00");
	check_parse("0d", now, PARIS, "2026-03-27T00:00:00+01:00");
	check_parse("2w", now, PARIS, "2026-04-10T00:00:00+02:00");
	check_parse("in 2 weeks", now, PARIS, "2026-04-10T00:00:00+02:00");
	check_parse("1 week", now, PARIS, "2026-04-03T00:00:00+02:00");
	check_parse("1m", now, PARIS, "2026-04-27T00:00:00+02:00");
	check_parse("in 2 months", now, PARIS, "2026-05-27T00:00:00+02:00");
	check_parse("1y", now, PARIS, "2027-03-27T00:00:00+01:00");
	check_parse("in 2 years", now, PARIS, "2028-03-27T00:00:00+02:00");
	check_parse("-3d", now, PARIS, "2026-03-24T00:00:00+01:00");
	check_parse("3 days ago", now, PARIS, "2026-03-24T00:00:00+01:00");
	check_parse("3d ago", now, PARIS, "2026-03-24T00:00:00+01:00");
	check_parse("2 weeks ago", now, PARIS, "2026-03-13T00:00:00+01:00");
	check_parse("-1m", now, PARIS, "2026-02-27T00:00:00+01:00");
	check_parse("1 year ago", now, PARIS, "2025-03-27T00:00:00+01:00");
	check_parse("36500d", now, "UTC", "2126-03-03T00:00:00+00:00");
	check_parse("100y", now, "UTC", "2126-03-27T00:00:00+00:00");
}

static void
test_parse_month_ends(void **state)
{
	(void)state;
	check_parse("1m", at("2026-01-31T12:00:00+01:00"), PARIS,
	    "2026-02-28T00:00:00+01:00");
	check_parse("1m", at("2028-01-31T12:00:00+01:00"), PARIS,
	    "2028-02-29T00:00:00+01:00");
	check_parse("3m", at("2026-01-31T12:00:00+01:00"), PARIS,
	    "2026-04-30T00:00:00+02:00");
	check_parse("1y", at("2028-02-29T12:00:00+01:00"), PARIS,
	    "2029-02-28T00:00:00+01:00");
	check_parse("4y", at("2028-02-29T12:00:00+01:00"), PARIS,
	    "2032-02-29T00:00:00+01:00");
	check_parse("-1m", at("2026-03-31T12:00:00+02:00"), PARIS,
	    "2026-02-28T00:00:00+01:00");
	check_parse("1m", at("2026-12-31T12:00:00+01:00"), PARIS,
	    "2027-01-31T00:00:00+01:00");
}

static void
test_parse_rejects(void **state)
{
	(void)state;
	check_reject("", "invalid date '': empty");
	check_reject("   \t", "invalid date '': empty");
	check_reject(NULL, "invalid date '': empty");
	check_reject("feb 30", "invalid date 'feb 30': ");
	check_reject("2026-02-30", "invalid date '2026-02-30': no such day");
	check_reject("2026-02-29", "invalid date '2026-02-29': no such day");
	check_reject("2100-02-29", "invalid date '2100-02-29': no such day");
	check_reject("2026-04-31", "invalid date '2026-04-31': no such day");
	check_reject("2026-04-00", "invalid date '2026-04-00': no such day");
	check_reject("2026-13-01", "invalid date '2026-13-01': no such month");
	check_reject("2026-00-10", "invalid date '2026-00-10': no such month");
	check_reject("2026-12-01T25:00",
	    "invalid date '2026-12-01T25:00': no such time");
	check_reject("2026-12-01T24:00", "invalid date '2026-12-01T24:00': ");
	check_reject("2026-12-01T09:60", "invalid date '2026-12-01T09:60': ");
	check_reject("2026-12-01T09:30:60",
	    "invalid date '2026-12-01T09:30:60': ");
	check_reject("2026-12-01T09", "invalid date '2026-12-01T09': ");
	check_reject("2026-12-01T9:5", "invalid date '2026-12-01T9:5': ");
	check_reject("2026-12-01T", "invalid date '2026-12-01T': ");
	check_reject("2026-12-01x", "invalid date '2026-12-01x': unexpected");
	check_reject("2026-12-01Z", "invalid date '2026-12-01Z': unexpected");
	check_reject("2026-12-01T09:30 junk",
	    "invalid date '2026-12-01T09:30 junk': unexpected");
	check_reject("2026-12-01T09:30:00.5",
	    "invalid date '2026-12-01T09:30:00.5': unexpected");
	check_reject("2026-12-01T09:30+25:00", "invalid date "
	    "'2026-12-01T09:30+25:00': no such UTC offset");
	check_reject("2026-12-01T09:30+01:0", "invalid date ");
	check_reject("2026-12-01T09:30+1", "invalid date ");
	check_reject("2026-12-01  09:30", "invalid date ");
	check_reject("1899-12-31", "invalid date '1899-12-31': year out");
	check_reject("0900-01-01", "invalid date '0900-01-01': year out");
	check_reject("10000-01-01", "invalid date '10000-01-01': ");
	check_reject("2026/12/01", "invalid date '2026/12/01': ");
	check_reject("01-12-2026", "invalid date '01-12-2026': ");
	check_reject("20261201", "invalid date '20261201': missing unit");
	check_reject("tomorrow please", "invalid date 'tomorrow please': ");
	check_reject("to morrow", "invalid date 'to morrow': ");
	check_reject("in 3", "invalid date 'in 3': missing unit");
	check_reject("3", "invalid date '3': missing unit");
	check_reject("3x", "invalid date '3x': unknown unit");
	check_reject("3 fortnights", "invalid date '3 fortnights': unknown");
	check_reject("1.5w", "invalid date '1.5w': unknown unit");
	check_reject("in -3d", "invalid date 'in -3d': ");
	check_reject("-3d ago", "invalid date '-3d ago': ");
	check_reject("in 3d ago", "invalid date 'in 3d ago': ");
	check_reject("in", "invalid date 'in': ");
	check_reject("ago", "invalid date 'ago': ");
	check_reject("d", "invalid date 'd': ");
	check_reject("36501d", "invalid date '36501d': too far");
	check_reject("5215w", "invalid date '5215w': too far");
	check_reject("1201m", "invalid date '1201m': too far");
	check_reject("101y", "invalid date '101y': too far");
	check_reject("-101y", "invalid date '-101y': too far");
	check_reject("99999999999999999999d", "invalid date "
	    "'99999999999999999999d': too far");
	check_reject("next", "invalid date 'next': ");
	check_reject("next friday", "invalid date 'next friday': ");
	check_reject("next year", "invalid date 'next year': ");
	check_reject("fri day", "invalid date 'fri day': ");
	check_reject("frid", "invalid date 'frid': ");
	check_reject("a b c d e", "invalid date 'a b c d e': ");
	check_reject("now now", "invalid date 'now now': ");
	check_reject("in 1 2 3 days", "invalid date 'in 1 2 3 days': ");
	check_reject("this is a date expression that is far too long to be "
	    "anything we read", "invalid date 'this is a date expression");
}

static void
test_parse_year_bounds(void **state)
{
	struct err	 e;
	int64_t		 t;

	(void)state;
	assert_int_equal(when_parse("in 100y", at("9950-01-01T00:00:00Z"),
	    "UTC", &t, &e), TEND_EINVAL);
	assert_string_equal(e.msg,
	    "invalid date 'in 100y': year out of range (1900 to 9999)");
	assert_int_equal(when_parse("-1y", at("1900-06-01T00:00:00Z"), "UTC",
	    &t, &e), TEND_EINVAL);
	assert_int_equal(when_parse("yesterday", at("1900-01-01T12:00:00Z"),
	    "UTC", &t, &e), TEND_EINVAL);
	check_parse("tomorrow", at("9999-12-30T12:00:00Z"), "UTC",
	    "9999-12-31T00:00:00+00:00");
}

static void
test_parse_unknown_zone(void **state)
{
	struct err	 e;
	int64_t		 t;

	(void)state;
	t = 7;
	assert_int_equal(when_parse("today", 0, "Mars/Olympus", &t, &e),
	    TEND_EINVAL);
	assert_string_equal(e.msg, "unknown time zone 'Mars/Olympus'");
	assert_int_equal(t, 7);
	assert_int_equal(when_parse("2026-12-01", 0, "../etc/passwd", &t,
	    NULL), TEND_EINVAL);
	/* NULL err is allowed. */
	assert_int_equal(when_parse("nonsense", 0, PARIS, &t, NULL),
	    TEND_EINVAL);
	assert_int_equal(t, 7);
}

static void
test_day_start_dst(void **state)
{
	int64_t	s, next;

	(void)state;
	/* Paris spring forward: a 23-hour day. */
	s = when_day_start(at("2026-03-29T12:00:00+02:00"), PARIS);
	check_iso(s, PARIS, "2026-03-29T00:00:00+01:00");
	next = when_day_start(at("2026-03-30T12:00:00+02:00"), PARIS);
	assert_int_equal(next - s, 23 * HOUR);
	/* Paris fall back: 25 hours. */
	s = when_day_start(at("2026-10-25T23:59:59+01:00"), PARIS);
	check_iso(s, PARIS, "2026-10-25T00:00:00+02:00");
	next = when_day_start(at("2026-10-26T00:00:00+01:00"), PARIS);
	assert_int_equal(next - s, 25 * HOUR);
	/* From inside the repeated hour. */
	s = when_day_start(at("2026-10-25T02:30:00+01:00"), PARIS);
	check_iso(s, PARIS, "2026-10-25T00:00:00+02:00");
	/* New York. */
	s = when_day_start(at("2026-03-08T03:30:00-04:00"), NY);
	check_iso(s, NY, "2026-03-08T00:00:00-05:00");
	assert_int_equal(s, at("2026-03-08T05:00:00Z"));
	s = when_day_start(at("2026-11-01T01:30:00-05:00"), NY);
	check_iso(s, NY, "2026-11-01T00:00:00-04:00");
	assert_int_equal(s, at("2026-11-01T04:00:00Z"));
	/* A day start is its own day start. */
	assert_int_equal(when_day_start(s, NY), s);
	assert_int_equal(when_day_start(s - 1, NY),
	    at("2026-10-31T00:00:00-04:00"));
}

static void
test_day_start_midnight_gap(void **state)
{
	int64_t	s;

	(void)state;
	/* Sao Paulo sprang forward at midnight: 00:00 did not exist. */
	s = when_day_start(at("2018-11-04T12:00:00-02:00"),
	    "America/Sao_Paulo");
	check_iso(s, "America/Sao_Paulo", "2018-11-04T01:00:00-02:00");
	assert_int_equal(s, at("2018-11-04T03:00:00Z"));
	check_parse("2018-11-04", 0, "America/Sao_Paulo",
	    "2018-11-04T01:00:00-02:00");
}

static void
test_day_start_zones(void **state)
{
	int64_t	t;

	(void)state;
	t = at("2026-07-01T22:30:00Z");
	check_iso(when_day_start(t, "UTC"), "UTC", "2026-07-01T00:00:00+00:00");
	check_iso(when_day_start(t, PARIS), PARIS,
	    "2026-07-02T00:00:00+02:00");
	check_iso(when_day_start(t, NY), NY, "2026-07-01T00:00:00-04:00");
	check_iso(when_day_start(t, "Asia/Kathmandu"), "Asia/Kathmandu",
	    "2026-07-02T00:00:00+05:45");
}

static void
test_add_days_dst(void **state)
{
	int64_t	t, r;

	(void)state;
	/* Paris spring forward keeps 09:30: 23 hours later. */
	t = at("2026-03-28T09:30:00+01:00");
	r = when_add_days(t, 1, PARIS);
	check_iso(r, PARIS, "2026-03-29T09:30:00+02:00");
	assert_int_equal(r - t, 23 * HOUR);
	assert_int_equal(when_add_days(r, -1, PARIS), t);
	/* Paris fall back: 25 hours. */
	t = at("2026-10-24T09:30:00+02:00");
	r = when_add_days(t, 1, PARIS);
	check_iso(r, PARIS, "2026-10-25T09:30:00+01:00");
	assert_int_equal(r - t, 25 * HOUR);
	/* New York, a week across each change. */
	t = at("2026-03-05T18:00:00-05:00");
	check_iso(when_add_days(t, 7, NY), NY, "2026-03-12T18:00:00-04:00");
	t = at("2026-10-29T18:00:00-04:00");
	check_iso(when_add_days(t, 7, NY), NY, "2026-11-05T18:00:00-05:00");
	check_iso(when_add_days(t, -7, NY), NY, "2026-10-22T18:00:00-04:00");
	/* Landing in the gap moves forward; in the overlap, the first. */
	t = at("2026-03-28T02:30:00+01:00");
	check_iso(when_add_days(t, 1, PARIS), PARIS,
	    "2026-03-29T03:30:00+02:00");
	t = at("2026-10-24T02:30:00+02:00");
	check_iso(when_add_days(t, 1, PARIS), PARIS,
	    "2026-10-25T02:30:00+02:00");
	/* The second 02:30 keeps its wall time too. */
	t = at("2026-10-25T02:30:00+01:00");
	check_iso(when_add_days(t, 1, PARIS), PARIS,
	    "2026-10-26T02:30:00+01:00");
	check_iso(when_add_days(t, 0, PARIS), PARIS,
	    "2026-10-25T02:30:00+02:00");
}

static void
test_add_days_long(void **state)
{
	int64_t	t;

	(void)state;
	t = at("2026-01-31T09:00:00+01:00");
	check_iso(when_add_days(t, 365, PARIS), PARIS,
	    "2027-01-31T09:00:00+01:00");
	check_iso(when_add_days(t, 29, PARIS), PARIS,
	    "2026-03-01T09:00:00+01:00");
	check_iso(when_add_days(at("2028-02-28T09:00:00+01:00"), 1, PARIS),
	    PARIS, "2028-02-29T09:00:00+01:00");
	check_iso(when_add_days(t, -36500, "UTC"), "UTC",
	    "1926-02-25T08:00:00+00:00");
}

static void
test_add_months(void **state)
{
	int64_t	t;

	(void)state;
	t = at("2026-01-31T09:00:00+01:00");
	check_iso(when_add_months(t, 1, PARIS), PARIS,
	    "2026-02-28T09:00:00+01:00");
	check_iso(when_add_months(t, 2, PARIS), PARIS,
	    "2026-03-31T09:00:00+02:00");
	check_iso(when_add_months(t, 3, PARIS), PARIS,
	    "2026-04-30T09:00:00+02:00");
	check_iso(when_add_months(t, 11, PARIS), PARIS,
	    "2026-12-31T09:00:00+01:00");
	check_iso(when_add_months(t, 12, PARIS), PARIS,
	    "2027-01-31T09:00:00+01:00");
	check_iso(when_add_months(t, -1, PARIS), PARIS,
	    "2025-12-31T09:00:00+01:00");
	check_iso(when_add_months(t, -13, PARIS), PARIS,
	    "2024-12-31T09:00:00+01:00");
	check_iso(when_add_months(t, 0, PARIS), PARIS,
	    "2026-01-31T09:00:00+01:00");
	/* Leap years. */
	t = at("2028-01-31T09:00:00+01:00");
	check_iso(when_add_months(t, 1, PARIS), PARIS,
	    "2028-02-29T09:00:00+01:00");
	t = at("2028-02-29T09:00:00+01:00");
	check_iso(when_add_months(t, 12, PARIS), PARIS,
	    "2029-02-28T09:00:00+01:00");
	check_iso(when_add_months(t, 48, PARIS), PARIS,
	    "2032-02-29T09:00:00+01:00");
	check_iso(when_add_months(t, -12, PARIS), PARIS,
	    "2027-02-28T09:00:00+01:00");
	/* Wall time kept across DST. */
	t = at("2026-01-15T09:00:00-05:00");
	check_iso(when_add_months(t, 6, NY), NY, "2026-07-15T09:00:00-04:00");
	/* Into a gap: forward. */
	t = at("2026-02-08T02:30:00-05:00");
	check_iso(when_add_months(t, 1, NY), NY, "2026-03-08T03:30:00-04:00");
}

static void
test_days_between(void **state)
{
	(void)state;
	/* One hour apart, different local days. */
	assert_int_equal(when_days_between(at("2026-03-28T23:30:00+01:00"),
	    at("2026-03-29T00:30:00+01:00"), PARIS), 1);
	/* A 23-hour and a 25-hour day still count one. */
	assert_int_equal(when_days_between(at("2026-03-29T00:00:00+01:00"),
	    at("2026-03-30T00:00:00+02:00"), PARIS), 1);
	assert_int_equal(when_days_between(at("2026-10-25T00:00:00+02:00"),
	    at("2026-10-26T00:00:00+01:00"), PARIS), 1);
	assert_int_equal(when_days_between(at("2026-03-01T12:00:00+01:00"),
	    at("2026-04-01T12:00:00+02:00"), PARIS), 31);
	assert_int_equal(when_days_between(at("2026-11-10T08:00:00-05:00"),
	    at("2026-10-20T20:00:00-04:00"), NY), -21);
	/* 23 hours apart, same local day. */
	assert_int_equal(when_days_between(at("2026-03-29T00:00:00+01:00"),
	    at("2026-03-29T23:59:59+02:00"), PARIS), 0);
	/* The zone decides what a day is. */
	assert_int_equal(when_days_between(at("2026-03-29T21:30:00Z"),
	    at("2026-03-29T22:30:00Z"), PARIS), 1);
	assert_int_equal(when_days_between(at("2026-03-29T21:30:00Z"),
	    at("2026-03-29T22:30:00Z"), "UTC"), 0);
	assert_int_equal(when_days_between(at("1900-01-01T00:00:00Z"),
	    at("9999-12-31T00:00:00Z"), "UTC"), 2958463);
	assert_int_equal(when_days_between(at("2028-02-28T12:00:00Z"),
	    at("2028-03-01T12:00:00Z"), "UTC"), 2);
}

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(when_weekday(at("2026-03-29T12:00:00Z"), "UTC"), 0);
	assert_int_equal(when_weekday(at("2026-12-01T12:00:00Z"), "UTC"), 2);
	assert_int_equal(when_weekday(at("2026-03-27T12:00:00Z"), "UTC"), 5);
	assert_int_equal(when_weekday(at("1970-01-01T00:00:00Z"), "UTC"), 4);
	assert_int_equal(when_weekday(at("1900-01-01T00:00:00Z"), "UTC"), 1);
	/* Sunday 23:30 UTC is Monday in Paris, Sunday in New York. */
	assert_int_equal(when_weekday(at("2026-03-29T23:30:00Z"), PARIS), 1);
	assert_int_equal(when_weekday(at("2026-03-29T23:30:00Z"), NY), 0);
	assert_int_equal(when_weekday(at("2026-03-28T23:30:00Z"), PARIS), 0);
}

static void
test_split_join(void **state)
{
	struct when_tm	 tm;
	int64_t		 t;

	(void)state;
	t = at("2026-10-25T02:30:00+01:00");	/* the second 02:30 */
	when_split(t, PARIS, &tm);
	assert_int_equal(tm.year, 2026);
	assert_int_equal(tm.month, 10);
	assert_int_equal(tm.day, 25);
	assert_int_equal(tm.hour, 2);
	assert_int_equal(tm.min, 30);
	assert_int_equal(tm.sec, 0);
	assert_int_equal(tm.wday, 0);
	assert_int_equal(tm.gmtoff, 3600);
	/* Joining the wall time picks the first 02:30. */
	assert_int_equal(when_join(&tm, PARIS), t - HOUR);
	/* Fields carry over like mktime(). */
	memset(&tm, 0, sizeof tm);
	tm.year = 2026;
	tm.month = 13;
	tm.day = 1;
	check_iso(when_join(&tm, "UTC"), "UTC", "2027-01-01T00:00:00+00:00");
	tm.month = 3;
	tm.day = 0;
	check_iso(when_join(&tm, "UTC"), "UTC", "2026-02-28T00:00:00+00:00");
	tm.month = 1;
	tm.day = 1;
	tm.hour = -1;
	check_iso(when_join(&tm, "UTC"), "UTC", "2025-12-31T23:00:00+00:00");
	tm.month = 0;
	tm.hour = 0;
	check_iso(when_join(&tm, "UTC"), "UTC", "2025-12-01T00:00:00+00:00");
}

static void
test_format(void **state)
{
	char	buf[WHEN_BUFSZ];
	int64_t	t;

	(void)state;
	t = at("2026-12-01T08:30:00Z");
	assert_string_equal(when_format(buf, sizeof buf, t, PARIS, WHEN_DATE),
	    "2026-12-01");
	assert_string_equal(when_format(buf, sizeof buf, t, PARIS,
	    WHEN_DATETIME), "2026-12-01 09:30");
	assert_string_equal(when_format(buf, sizeof buf, t, PARIS, WHEN_ISO),
	    "2026-12-01T09:30:00+01:00");
	assert_string_equal(when_format(buf, sizeof buf, t, NY, WHEN_ISO),
	    "2026-12-01T03:30:00-05:00");
	assert_string_equal(when_format(buf, sizeof buf, t, "UTC", WHEN_ISO),
	    "2026-12-01T08:30:00+00:00");
	assert_string_equal(when_format(buf, sizeof buf, t, "Asia/Kolkata",
	    WHEN_ISO), "2026-12-01T14:00:00+05:30");
	assert_string_equal(when_format(buf, sizeof buf, t,
	    "America/St_Johns", WHEN_ISO), "2026-12-01T05:00:00-03:30");
	assert_string_equal(when_format(buf, sizeof buf, t, "Asia/Kathmandu",
	    WHEN_ISO), "2026-12-01T14:15:00+05:45");
	assert_string_equal(when_format(buf, sizeof buf, t, NY, WHEN_DATE),
	    "2026-12-01");
	assert_string_equal(when_format(buf, sizeof buf, at(
	    "2026-12-01T04:30:00Z"), NY, WHEN_DATE), "2026-11-30");
	t = at("2026-07-01T08:30:05Z");
	assert_string_equal(when_format(buf, sizeof buf, t, PARIS, WHEN_ISO),
	    "2026-07-01T10:30:05+02:00");
	assert_string_equal(when_format(buf, sizeof buf, t, NY, WHEN_ISO),
	    "2026-07-01T04:30:05-04:00");
	/* Local mean time before standard time: seconds in the offset. */
	assert_string_equal(when_format(buf, sizeof buf,
	    (int64_t)-2511432000, PARIS, WHEN_ISO),	/* 1890-06-01T12:00Z */
	    "1890-06-01T12:09:21+00:09:21");
}

static void
test_format_iso_round_trip(void **state)
{
	static const char *const zones[] = {
		PARIS, NY, "UTC", "Asia/Kolkata", "Australia/Lord_Howe",
		"Pacific/Chatham", "America/Sao_Paulo"
	};
	char	buf[WHEN_BUFSZ];
	int64_t	t, back;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		for (t = at("2026-01-01T00:00:00Z");
		    t < at("2027-01-01T00:00:00Z"); t += 7 * HOUR + 17 * 60) {
			when_format(buf, sizeof buf, t, zones[i], WHEN_ISO);
			back = 0;
			assert_int_equal(when_parse(buf, 0, "UTC", &back,
			    NULL), 0);
			assert_int_equal(back, t);
		}
	}
}

static void
test_format_edges(void **state)
{
	char	buf[WHEN_BUFSZ];
	char	small[5];

	(void)state;
	assert_string_equal(when_format(small, sizeof small,
	    at("2026-12-01T08:30:00Z"), "UTC", WHEN_DATE), "2026");
	memcpy(small, "abcd", 5);
	assert_ptr_equal(when_format(small, 0, 0, "UTC", WHEN_DATE), small);
	assert_string_equal(small, "abcd");
	/* Out-of-range instants are clamped, never overflow. */
	assert_string_equal(when_format(buf, sizeof buf, INT64_MAX, "UTC",
	    WHEN_ISO), "9999-12-31T23:59:59+00:00");
	assert_string_equal(when_format(buf, sizeof buf, INT64_MIN, "UTC",
	    WHEN_DATE), "0001-01-01");
	assert_int_equal(when_add_days(WHEN_MAX, 1, "UTC"), WHEN_MAX);
	assert_int_equal(when_add_days(0, INT_MAX, PARIS), WHEN_MAX);
	assert_int_equal(when_add_days(0, INT_MIN, PARIS), WHEN_MIN);
	assert_int_equal(when_add_months(0, INT_MAX, NY), WHEN_MAX);
	assert_int_equal(when_add_months(0, INT_MIN, NY), WHEN_MIN);
	assert_int_equal(when_day_start(INT64_MAX, "UTC"),
	    at("9999-12-31T00:00:00Z"));
}

static void
check_ago(int64_t then, int64_t now, const char *tz, const char *want)
{
	char	buf[WHEN_BUFSZ];

	assert_string_equal(when_ago(buf, sizeof buf, then, now, tz), want);
}

static void
test_ago(void **state)
{
	int64_t	now;

	(void)state;
	now = at("2026-06-15T12:00:00+02:00");
	check_ago(now, now, PARIS, "today");
	check_ago(at("2026-06-15T00:00:00+02:00"), now, PARIS, "today");
	check_ago(at("2026-06-15T23:59:59+02:00"), now, PARIS, "today");
	check_ago(at("2026-06-14T23:59:59+02:00"), now, PARIS, "yesterday");
	check_ago(at("2026-06-14T00:00:00+02:00"), now, PARIS, "yesterday");
	check_ago(at("2026-06-16T00:00:00+02:00"), now, PARIS, "tomorrow");
	check_ago(at("2026-06-13T12:00:00+02:00"), now, PARIS, "2 days ago");
	check_ago(at("2026-06-12T12:00:00+02:00"), now, PARIS, "3 days ago");
	check_ago(at("2026-06-02T12:00:00+02:00"), now, PARIS, "13 days ago");
	check_ago(at("2026-06-01T12:00:00+02:00"), now, PARIS, "2 weeks ago");
	check_ago(at("2026-05-25T12:00:00+02:00"), now, PARIS, "3 weeks ago");
	check_ago(at("2026-04-17T12:00:00+02:00"), now, PARIS, "8 weeks ago");
	check_ago(at("2026-04-16T12:00:00+02:00"), now, PARIS,
	    "2 months ago");
	check_ago(at("2026-02-15T12:00:00+01:00"), now, PARIS,
	    "4 months ago");
	check_ago(at("2024-06-26T12:00:00+02:00"), now, PARIS,
	    "23 months ago");
	check_ago(at("2024-06-25T12:00:00+02:00"), now, PARIS, "2 years ago");
	check_ago(at("2016-06-15T12:00:00+02:00"), now, PARIS,
	    "10 years ago");
	check_ago(at("2026-06-18T12:00:00+02:00"), now, PARIS, "in 3 days");
	check_ago(at("2026-06-28T12:00:00+02:00"), now, PARIS, "in 13 days");
	check_ago(at("2026-06-29T12:00:00+02:00"), now, PARIS, "in 2 weeks");
	check_ago(at("2026-08-14T12:00:00+02:00"), now, PARIS, "in 2 months");
	check_ago(at("2029-06-15T12:00:00+02:00"), now, PARIS, "in 3 years");
}

static void
test_ago_local_days(void **state)
{
	char	small[6];
	int64_t	now;

	(void)state;
	/* Two minutes apart across local midnight: yesterday. */
	now = at("2026-03-30T00:01:00+02:00");
	check_ago(at("2026-03-29T23:59:00+02:00"), now, PARIS, "yesterday");
	/* The same instants are both "today" in New York. */
	check_ago(at("2026-03-29T23:59:00+02:00"), now, NY, "today");
	/* Across spring forward: a 23-hour day is still a day. */
	check_ago(at("2026-03-29T00:00:00+01:00"), at("2026-03-30T00:00:00"
	    "+02:00"), PARIS, "yesterday");
	check_ago(at("2026-03-28T12:00:00+01:00"), at("2026-03-30T11:00:00"
	    "+02:00"), PARIS, "2 days ago");
	assert_string_equal(when_ago(small, sizeof small, 0, 10 * DAY, "UTC"),
	    "10 da");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_valid),
		cmocka_unit_test(test_unknown_zone_is_utc),
		cmocka_unit_test(test_default_zone),
		cmocka_unit_test(test_parse_iso_date),
		cmocka_unit_test(test_parse_iso_time),
		cmocka_unit_test(test_parse_dst_gap_and_overlap),
		cmocka_unit_test(test_parse_words),
		cmocka_unit_test(test_parse_next_week),
		cmocka_unit_test(test_parse_weekdays),
		cmocka_unit_test(test_parse_weekdays_week_boundary),
		cmocka_unit_test(test_parse_amounts),
		cmocka_unit_test(test_parse_month_ends),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_year_bounds),
		cmocka_unit_test(test_parse_unknown_zone),
		cmocka_unit_test(test_day_start_dst),
		cmocka_unit_test(test_day_start_midnight_gap),
		cmocka_unit_test(test_day_start_zones),
		cmocka_unit_test(test_add_days_dst),
		cmocka_unit_test(test_add_days_long),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_days_between),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_split_join),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_iso_round_trip),
		cmocka_unit_test(test_format_edges),
		cmocka_unit_test(test_ago),
		cmocka_unit_test(test_ago_local_days),
	};

	/* The default zone is TZ as found at first use: set it first. */
	if (setenv("TZ", DEFAULT_TZ, 1) == -1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
