/*
 * Unit tests for core/cadence: parsing, canonical form, next due date in
 * local calendar terms, and the RRULE examples of RFC 5545 3.8.5.3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/cadence.h"
#include "core/when.h"
#include "util/err.h"

#define PARIS	"Europe/Paris"
#define NY	"America/New_York"
#define HOUR	3600
#define DAY	86400

/* Tests run from the project root. */
#define CORPUS	"../shared/corpus/rrule/rfc5545-3.8.5.3-rrule-examples.json"

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

	if (t == INT64_MAX)
		fail_msg("got never, want %s", want);
	assert_string_equal(when_format(buf, sizeof buf, t, tz, WHEN_ISO),
	    want);
}

static struct cadence
parsed(const char *text)
{
	struct cadence	 c;
	struct err	 e;

	memset(&c, 0, sizeof c);
	if (cadence_parse(text, &c, &e) != 0)
		fail_msg("cadence_parse(%s): %s", text, e.msg);
	return c;
}

static void
check_units(const char *text, enum cadence_unit unit, int n)
{
	struct cadence	 c;

	c = parsed(text);
	if (c.unit != unit || c.n != n)
		fail_msg("cadence_parse(%s) = unit %d n %d, want %d %d", text,
		    (int)c.unit, c.n, (int)unit, n);
	assert_string_equal(c.rrule, "");
}

static void
check_rrule(const char *text, const char *canonical)
{
	struct cadence	 c;

	c = parsed(text);
	assert_int_equal(c.unit, CADENCE_RRULE);
	assert_int_equal(c.n, 0);
	assert_string_equal(c.rrule, canonical);
}

/* text is rejected with TEND_EINVAL and a message starting with want. */
static void
check_reject(const char *text, const char *want)
{
	struct cadence	 c;
	struct err	 e;
	int		 rc;

	memset(&c, 0x5a, sizeof c);
	memset(&e, 0, sizeof e);
	rc = cadence_parse(text, &c, &e);
	if (rc != TEND_EINVAL)
		fail_msg("cadence_parse(%s) = %d, want TEND_EINVAL", text, rc);
	assert_int_equal(e.code, TEND_EINVAL);
	if (strncmp(e.msg, want, strlen(want)) != 0)
		fail_msg("cadence_parse(%s): message '%s', want '%s...'", text,
		    e.msg, want);
	/* *out untouched on error. */
	assert_int_equal(c.n, 0x5a5a5a5a);
}

static void
test_parse_units(void **state)
{
	(void)state;
	check_units("2w", CADENCE_WEEKS, 2);
	check_units("6w", CADENCE_WEEKS, 6);
	check_units("3m", CADENCE_MONTHS, 3);
	check_units("1y", CADENCE_YEARS, 1);
	check_units("10d", CADENCE_DAYS, 10);
	check_units("2 weeks", CADENCE_WEEKS, 2);
	check_units("1 week", CADENCE_WEEKS, 1);
	check_units("every 6 weeks", CADENCE_WEEKS, 6);
	check_units("every 6w", CADENCE_WEEKS, 6);
	check_units("Every  2   Months", CADENCE_MONTHS, 2);
	check_units("every week", CADENCE_WEEKS, 1);
	check_units("every month", CADENCE_MONTHS, 1);
	check_units("every day", CADENCE_DAYS, 1);
	check_units("every year", CADENCE_YEARS, 1);
	check_units("every 2 days", CADENCE_DAYS, 2);
	check_units("daily", CADENCE_DAYS, 1);
	check_units("weekly", CADENCE_WEEKS, 1);
	check_units("monthly", CADENCE_MONTHS, 1);
	check_units("yearly", CADENCE_YEARS, 1);
	check_units("  3M\n", CADENCE_MONTHS, 3);
	check_units("12 months", CADENCE_MONTHS, 12);
	check_units("007d", CADENCE_DAYS, 7);
	check_units("never", CADENCE_NEVER, 0);
	check_units("NEVER", CADENCE_NEVER, 0);
	/* Ten years is the limit in every unit. */
	check_units("3653d", CADENCE_DAYS, 3653);
	check_units("521w", CADENCE_WEEKS, 521);
	check_units("120m", CADENCE_MONTHS, 120);
	check_units("10y", CADENCE_YEARS, 10);
}

static void
test_parse_rejects(void **state)
{
	(void)state;
	check_reject("0d", "invalid interval '0d': expected a positive number "
	    "of days, weeks, months or years (2w, 6w, 3m), an RRULE or "
	    "'never'");
	check_reject("-3w", "invalid interval '-3w': expected a positive");
	check_reject("1.5w", "invalid interval '1.5w': expected a positive");
	check_reject("3x", "invalid interval '3x': expected a positive");
	check_reject("", "invalid interval '': expected a positive");
	check_reject("  ", "invalid interval '': expected a positive");
	check_reject(NULL, "invalid interval '': expected a positive");
	check_reject("w", "invalid interval 'w': ");
	check_reject("3", "invalid interval '3': ");
	check_reject("every", "invalid interval 'every': ");
	check_reject("every 0 weeks", "invalid interval 'every 0 weeks': ");
	check_reject("every every 2w", "invalid interval 'every every 2w': ");
	check_reject("2 w s", "invalid interval '2 w s': ");
	check_reject("2w3d", "invalid interval '2w3d': ");
	check_reject("+2w", "invalid interval '+2w': ");
	check_reject("2 weeks ago", "invalid interval '2 weeks ago': ");
	check_reject("sometimes", "invalid interval 'sometimes': ");
	check_reject("nevermore", "invalid interval 'nevermore': ");
	check_reject("3654d",
	    "invalid interval '3654d': longer than ten years");
	check_reject("522w", "invalid interval '522w': longer than ten years");
	check_reject("121m", "invalid interval '121m': longer than ten years");
	check_reject("11y", "invalid interval '11y': longer than ten years");
	check_reject("99999999999999999999d",
	    "invalid interval '99999999999999999999d': longer than ten years");
}

static void
test_parse_rrule(void **state)
{
	(void)state;
	check_rrule("FREQ=WEEKLY;INTERVAL=6", "FREQ=WEEKLY;INTERVAL=6");
	check_rrule("RRULE:FREQ=WEEKLY;INTERVAL=6", "FREQ=WEEKLY;INTERVAL=6");
	check_rrule("rrule:freq=weekly;interval=6", "FREQ=WEEKLY;INTERVAL=6");
	check_rrule("INTERVAL=6;FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=6");
	check_rrule("FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO");
	check_rrule(" FREQ=MONTHLY;BYDAY=-1FR ", "FREQ=MONTHLY;BYDAY=-1FR");
	check_rrule("FREQ=DAILY", "FREQ=DAILY");
	check_rrule("FREQ=YEARLY;INTERVAL=10", "FREQ=YEARLY;INTERVAL=10");
	check_rrule("FREQ=DAILY;INTERVAL=3653", "FREQ=DAILY;INTERVAL=3653");
	check_rrule("FREQ=WEEKLY;COUNT=3", "FREQ=WEEKLY;COUNT=3");
	check_rrule("FREQ=DAILY;UNTIL=19971224T000000Z",
	    "FREQ=DAILY;UNTIL=19971224T000000Z");
	check_rrule("FREQ=MONTHLY;INTERVAL=18;COUNT=10;"
	    "BYMONTHDAY=10,11,12,13,14,15", "FREQ=MONTHLY;COUNT=10;"
	    "INTERVAL=18;BYMONTHDAY=10,11,12,13,14,15");
}

static void
test_parse_rrule_rejects(void **state)
{
	(void)state;
	check_reject("FREQ=HOURLY", "invalid interval 'FREQ=HOURLY': an RRULE "
	    "cadence repeats at most daily");
	check_reject("FREQ=MINUTELY;INTERVAL=15", "invalid interval "
	    "'FREQ=MINUTELY;INTERVAL=15': an RRULE cadence repeats");
	check_reject("FREQ=SECONDLY", "invalid interval 'FREQ=SECONDLY': ");
	check_reject("FREQ=FORTNIGHTLY", "invalid interval 'FREQ=FORTNIGHTLY': "
	    "not a valid RFC 5545 RRULE");
	check_reject("FREQ=WEEKLY;FOO=1", "invalid interval "
	    "'FREQ=WEEKLY;FOO=1': not a valid");
	check_reject("FREQ=WEEKLY;INTERVAL=0", "invalid interval ");
	check_reject("FREQ=WEEKLY;INTERVAL=-2", "invalid interval ");
	check_reject("FREQ=WEEKLY;BYDAY=XX", "invalid interval ");
	check_reject("INTERVAL=2",
	    "invalid interval 'INTERVAL=2': not a valid");
	check_reject("RRULE:", "invalid interval 'RRULE:': ");
	check_reject("FREQ=", "invalid interval 'FREQ=': ");
	check_reject("RRULE:RRULE:FREQ=DAILY", "invalid interval ");
	check_reject("FREQ=YEARLY;INTERVAL=11", "invalid interval "
	    "'FREQ=YEARLY;INTERVAL=11': longer than ten years");
	check_reject("FREQ=DAILY;INTERVAL=3654", "invalid interval "
	    "'FREQ=DAILY;INTERVAL=3654': longer than ten years");
	check_reject("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "invalid interval "
	    "'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30': the rule never occurs");
	/* libical builds this one and then finds nothing. */
	check_reject("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31", "invalid "
	    "interval 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31': the rule never");
	check_reject("FREQ=WEEKLY;BYMONTH=13", "invalid interval ");
	check_reject("RSCALE=GREGORIAN;FREQ=YEARLY", "invalid interval "
	    "'RSCALE=GREGORIAN;FREQ=YEARLY': RSCALE");
}

static void
test_parse_too_long(void **state)
{
	char	buf[1024];
	size_t	len;

	(void)state;
	/* A valid rule whose canonical form does not fit. */
	len = (size_t)snprintf(buf, sizeof buf, "FREQ=YEARLY;BYYEARDAY=");
	while (len < 600) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%zu",
		    len > 22 ? "," : "", len);
	}
	check_reject(buf, "invalid interval '");
	memset(buf, 'w', sizeof buf - 1);
	buf[sizeof buf - 1] = '\0';
	check_reject(buf, "invalid interval 'wwww");
}

static void
test_format_round_trip(void **state)
{
	static const char *const specs[][2] = {
		{ "2w", "2w" }, { "6w", "6w" }, { "3m", "3m" },
		{ "10d", "10d" }, { "1y", "1y" }, { "never", "never" },
		{ "every 2 weeks", "2w" }, { "weekly", "1w" },
		{ "14 days", "14d" }, { "every month", "1m" },
		{ "FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO" },
		{ "RRULE:interval=6;freq=weekly", "FREQ=WEEKLY;INTERVAL=6" },
		{ "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,TH",
		    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU" },
		{ "FREQ=DAILY;UNTIL=19971224T000000Z",
		    "FREQ=DAILY;UNTIL=19971224T000000Z" },
		{ "FREQ=YEARLY;UNTIL=20300101", "FREQ=YEARLY;UNTIL=20300101" },
	};
	struct cadence	 a, b;
	char		 buf[CADENCE_RRULE_MAX];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		a = parsed(specs[i][0]);
		assert_string_equal(cadence_format(&a, buf, sizeof buf),
		    specs[i][1]);
		b = parsed(buf);
		assert_memory_equal(&a, &b, sizeof a);
	}
	/* Every unit cadence survives format -> parse. */
	for (i = 1; i <= 3653; i++) {
		memset(&a, 0, sizeof a);
		a.unit = CADENCE_DAYS;
		a.n = (int)i;
		b = parsed(cadence_format(&a, buf, sizeof buf));
		assert_memory_equal(&a, &b, sizeof a);
		if (i <= 120) {
			a.unit = CADENCE_MONTHS;
			b = parsed(cadence_format(&a, buf, sizeof buf));
			assert_memory_equal(&a, &b, sizeof a);
		}
	}
}

static void
test_format_truncates(void **state)
{
	struct cadence	 c;
	char		 buf[4];

	(void)state;
	c = parsed("FREQ=WEEKLY");
	assert_string_equal(cadence_format(&c, buf, sizeof buf), "FRE");
	assert_string_equal(cadence_describe(&c, buf, sizeof buf), "on ");
	memcpy(buf, "abc", 4);
	assert_ptr_equal(cadence_format(&c, buf, 0), buf);
	assert_ptr_equal(cadence_describe(&c, buf, 0), buf);
	assert_string_equal(buf, "abc");
}

static void
check_describe(const char *text, const char *want)
{
	struct cadence	 c;
	char		 buf[CADENCE_RRULE_MAX + 16];

	c = parsed(text);
	assert_string_equal(cadence_describe(&c, buf, sizeof buf), want);
}

static void
test_describe(void **state)
{
	(void)state;
	check_describe("6w", "every 6 weeks");
	check_describe("2w", "every 2 weeks");
	check_describe("1w", "every week");
	check_describe("1m", "every month");
	check_describe("3m", "every 3 months");
	check_describe("1d", "every day");
	check_describe("10d", "every 10 days");
	check_describe("1y", "every year");
	check_describe("2y", "every 2 years");
	check_describe("never", "never");
	check_describe("RRULE:FREQ=MONTHLY;BYDAY=1MO",
	    "on schedule FREQ=MONTHLY;BYDAY=1MO");
}

static void
check_days(const char *text, int want)
{
	struct cadence	 c;

	c = parsed(text);
	assert_int_equal(cadence_days(&c), want);
}

static void
test_days(void **state)
{
	(void)state;
	check_days("6w", 42);
	check_days("3m", 91);
	check_days("1m", 30);
	check_days("12m", 365);
	check_days("1y", 365);
	check_days("10y", 3650);
	check_days("10d", 10);
	check_days("never", 0);
	check_days("FREQ=WEEKLY;INTERVAL=6", 42);
	check_days("FREQ=MONTHLY;BYDAY=1MO", 30);
	check_days("FREQ=MONTHLY;INTERVAL=3", 91);
	check_days("FREQ=YEARLY;INTERVAL=2", 730);
	check_days("FREQ=DAILY;BYHOUR=9,17", 1);
	check_days("FREQ=DAILY", 1);
}

static void
test_next_units(void **state)
{
	struct cadence	 c;
	int64_t		 t;

	(void)state;
	/* 6 weeks from before spring forward: same wall time after it. */
	c = parsed("6w");
	t = at("2026-03-20T09:30:00+01:00");
	check_iso(cadence_next(&c, t, PARIS), PARIS,
	    "2026-05-01T09:30:00+02:00");
	c = parsed("10d");
	t = at("2026-10-25T18:00:00-04:00");
	check_iso(cadence_next(&c, t, NY), NY, "2026-11-04T18:00:00-05:00");
	c = parsed("1d");
	t = at("2026-03-28T09:30:00+01:00");
	assert_int_equal(cadence_next(&c, t, PARIS), t + 23 * HOUR);
	/* Calendar months clamp. */
	c = parsed("1m");
	check_iso(cadence_next(&c, at("2026-01-31T09:00:00+01:00"), PARIS),
	    PARIS, "2026-02-28T09:00:00+01:00");
	check_iso(cadence_next(&c, at("2028-01-31T09:00:00+01:00"), PARIS),
	    PARIS, "2028-02-29T09:00:00+01:00");
	c = parsed("3m");
	check_iso(cadence_next(&c, at("2026-11-30T09:00:00+01:00"), PARIS),
	    PARIS, "2027-02-28T09:00:00+01:00");
	c = parsed("1y");
	check_iso(cadence_next(&c, at("2028-02-29T09:00:00+01:00"), PARIS),
	    PARIS, "2029-02-28T09:00:00+01:00");
	/* The zone decides the calendar: 23:30 New York is 05:30 Paris. */
	c = parsed("1m");
	t = at("2026-01-31T23:30:00-05:00");
	check_iso(cadence_next(&c, t, NY), NY, "2026-02-28T23:30:00-05:00");
	check_iso(cadence_next(&c, t, PARIS), PARIS,
	    "2026-03-01T05:30:00+01:00");
	/* Into a DST gap: forward. */
	c = parsed("1w");
	check_iso(cadence_next(&c, at("2026-03-22T02:30:00+01:00"), PARIS),
	    PARIS, "2026-03-29T03:30:00+02:00");
	c = parsed("never");
	assert_true(cadence_next(&c, t, PARIS) == INT64_MAX);
	/* Clamped at the end of time, not wrapped. */
	c = parsed("10y");
	assert_true(cadence_next(&c, WHEN_MAX - DAY, "UTC") == INT64_MAX);
}

static void
test_next_rrule(void **state)
{
	struct cadence	 c;
	int64_t		 t;

	(void)state;
	/* First Monday of the month, at the last touch's wall time. */
	c = parsed("FREQ=MONTHLY;BYDAY=1MO");
	t = at("2026-03-10T09:30:00+01:00");
	check_iso(cadence_next(&c, t, PARIS), PARIS,
	    "2026-04-06T09:30:00+02:00");
	t = at("2026-04-06T09:30:00+02:00");
	check_iso(cadence_next(&c, t, PARIS), PARIS,
	    "2026-05-04T09:30:00+02:00");
	/* The same as 6w. */
	c = parsed("FREQ=WEEKLY;INTERVAL=6");
	t = at("2026-03-20T09:30:00+01:00");
	check_iso(cadence_next(&c, t, PARIS), PARIS,
	    "2026-05-01T09:30:00+02:00");
	/* RFC 5545 skips Feb 31 where a unit cadence clamps. */
	c = parsed("FREQ=MONTHLY");
	check_iso(cadence_next(&c, at("2026-01-31T09:00:00+01:00"), PARIS),
	    PARIS, "2026-03-31T09:00:00+02:00");
	/* Daily at 02:30: the skipped hour moves forward. */
	c = parsed("FREQ=DAILY");
	check_iso(cadence_next(&c, at("2026-03-28T02:30:00+01:00"), PARIS),
	    PARIS, "2026-03-29T03:30:00+02:00");
	check_iso(cadence_next(&c, at("2026-10-24T02:30:00+02:00"), PARIS),
	    PARIS, "2026-10-25T02:30:00+02:00");
	/* From the second 02:30, the next day's 02:30. */
	check_iso(cadence_next(&c, at("2026-10-25T02:30:00+01:00"), PARIS),
	    PARIS, "2026-10-26T02:30:00+01:00");
	/* Times from BYHOUR. */
	c = parsed("FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0");
	check_iso(cadence_next(&c, at("2026-06-01T18:45:12+02:00"), PARIS),
	    PARIS, "2026-06-02T09:00:00+02:00");
}

static void
test_next_rrule_ends(void **state)
{
	struct cadence	 c;
	int64_t		 t;

	(void)state;
	t = at("2026-06-01T09:00:00+02:00");
	/* DTSTART is the only instance. */
	c = parsed("FREQ=WEEKLY;COUNT=1");
	assert_true(cadence_next(&c, t, PARIS) == INT64_MAX);
	c = parsed("FREQ=WEEKLY;COUNT=2");
	check_iso(cadence_next(&c, t, PARIS), PARIS,
	    "2026-06-08T09:00:00+02:00");
	c = parsed("FREQ=WEEKLY;UNTIL=20200101T000000Z");
	assert_true(cadence_next(&c, t, PARIS) == INT64_MAX);
	c = parsed("FREQ=WEEKLY;UNTIL=20260608");
	check_iso(cadence_next(&c, t, PARIS), PARIS,
	    "2026-06-08T09:00:00+02:00");
	c = parsed("FREQ=WEEKLY;UNTIL=20260607");
	assert_true(cadence_next(&c, t, PARIS) == INT64_MAX);
	/* Past libical's last year: the rule has ended. */
	c = parsed("FREQ=WEEKLY");
	assert_true(cadence_next(&c, at("9000-01-01T00:00:00Z"), "UTC") ==
	    INT64_MAX);
}

static void
test_next_rrule_until_is_an_instant(void **state)
{
	struct cadence	 c;
	int64_t		 t;

	(void)state;
	/*
	 * 08:00Z is 09:00 in Paris: the second instance is exactly at
	 * UNTIL and belongs to the set.  Compared as floating wall time
	 * (09:00 > 08:00) it would be lost.
	 */
	c = parsed("FREQ=DAILY;UNTIL=20260102T080000Z");
	t = at("2026-01-01T09:00:00+01:00");
	t = cadence_next(&c, t, PARIS);
	check_iso(t, PARIS, "2026-01-02T09:00:00+01:00");
	assert_true(cadence_next(&c, t, PARIS) == INT64_MAX);
	/* West of UTC, 13:00Z is 08:00 in New York: 09:00 is past it. */
	c = parsed("FREQ=DAILY;UNTIL=20260102T130000Z");
	t = at("2026-01-01T09:00:00-05:00");
	assert_true(cadence_next(&c, t, NY) == INT64_MAX);
}

static void
test_expand_units(void **state)
{
	struct cadence	 c;
	int64_t		 out[4], t;
	int		 n;

	(void)state;
	/* Stepping from the anchor keeps the 31st. */
	c = parsed("1m");
	t = at("2026-01-31T09:00:00+01:00");
	n = cadence_expand(&c, t, t, PARIS, out, 4);
	assert_int_equal(n, 4);
	check_iso(out[0], PARIS, "2026-02-28T09:00:00+01:00");
	check_iso(out[1], PARIS, "2026-03-31T09:00:00+02:00");
	check_iso(out[2], PARIS, "2026-04-30T09:00:00+02:00");
	check_iso(out[3], PARIS, "2026-05-31T09:00:00+02:00");
	/* dtstart itself when after is earlier. */
	n = cadence_expand(&c, t, t - 1, PARIS, out, 2);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], t);
	/* Far after the anchor: the first step past `after`. */
	n = cadence_expand(&c, t, at("2126-01-01T00:00:00Z"), PARIS, out, 1);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], when_add_months(t, 1200, PARIS));
	c = parsed("6w");
	n = cadence_expand(&c, t, at("2100-01-01T00:00:00Z"), PARIS, out, 2);
	assert_int_equal(n, 2);
	check_iso(out[0], PARIS, "2100-01-09T09:00:00+01:00");
	check_iso(out[1], PARIS, "2100-02-20T09:00:00+01:00");
	c = parsed("1y");
	n = cadence_expand(&c, at("2028-02-29T09:00:00Z"),
	    at("2100-01-01T00:00:00Z"), "UTC", out, 2);
	assert_int_equal(n, 2);
	check_iso(out[0], "UTC", "2100-02-28T09:00:00+00:00");
	check_iso(out[1], "UTC", "2101-02-28T09:00:00+00:00");
	c = parsed("never");
	assert_int_equal(cadence_expand(&c, t, t, PARIS, out, 4), 0);
	c = parsed("1d");
	assert_int_equal(cadence_expand(&c, t, t, PARIS, out, 0), 0);
	/* The end of time stops the expansion. */
	n = cadence_expand(&c, WHEN_MAX - 2 * DAY, 0, "UTC", out, 4);
	assert_int_equal(n, 2);
}

/* "19970902T090000" -> an instant, read as wall time in tz. */
static int64_t
compact_local(const char *s, const char *tz)
{
	struct when_tm	 tm;

	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d%2d%2dT%2d%2d%2d", &tm.year, &tm.month, &tm.day,
	    &tm.hour, &tm.min, &tm.sec) != 6)
		fail_msg("bad compact time '%s'", s);
	return when_join(&tm, tz);
}

static int
corpus_check(json_t *ex, int *subdaily)
{
	struct cadence	 c;
	struct err	 e;
	json_t		*local, *utc, *alts, *v;
	const char	*id, *rrule, *dtstart, *colon;
	int64_t		 start, got[200], want[200], exdate;
	char		 buf[32], wbuf[32];
	size_t		 i, nwant;
	int		 complete, n, k, ngot, rules;

	id = json_string_value(json_object_get(ex, "id"));
	rrule = json_string_value(json_object_get(ex, "rrule"));
	dtstart = json_string_value(json_object_get(ex, "dtstart"));
	local = json_object_get(ex, "expected_local");
	utc = json_object_get(ex, "expected_utc");
	alts = json_object_get(ex, "rrule_alternatives");
	complete = json_is_true(json_object_get(ex,
	    "expected_is_complete_set"));
	assert_non_null(id);
	assert_non_null(rrule);
	assert_non_null(dtstart);
	assert_true(json_array_size(local) == json_array_size(utc));
	nwant = json_array_size(utc);
	assert_true(nwant > 0 && nwant < 199);

	/* Only TZID=America/New_York is used; the corpus says so. */
	assert_non_null(strstr(dtstart, "TZID=America/New_York:"));
	colon = strrchr(dtstart, ':');
	start = compact_local(colon + 1, NY);
	exdate = INT64_MIN;
	v = json_array_get(json_object_get(ex, "exdate"), 0);
	if (v != NULL)
		exdate = compact_local(strrchr(json_string_value(v), ':') + 1,
		    NY);
	for (i = 0; i < nwant; i++) {
		/* "19970902T130000Z" read as UTC wall time. */
		want[i] = compact_local(json_string_value(json_array_get(utc,
		    i)), "UTC");
		assert_int_equal(want[i], compact_local(json_string_value(
		    json_array_get(local, i)), NY));
	}

	for (rules = 0; rules <= (int)json_array_size(alts); rules++) {
		if (rules > 0)
			rrule = json_string_value(json_array_get(alts,
			    (size_t)rules - 1));
		if (cadence_parse(rrule, &c, &e) != 0) {
			/* HOURLY, MINUTELY: not a keep-in-touch cadence. */
			if (strstr(e.msg, "at most daily") == NULL)
				fail_msg("%s: %s", id, e.msg);
			(*subdaily)++;
			if (rules == 0)
				return 0;
			continue;
		}
		/* One more than listed: a complete set must stop there. */
		n = cadence_expand(&c, start, start - 1, NY, got,
		    (int)nwant + 1);
		ngot = 0;
		for (k = 0; k < n; k++) {
			if (got[k] != exdate)
				got[ngot++] = got[k];
		}
		if (complete)
			assert_int_equal(ngot, nwant);
		else
			assert_true(ngot >= (int)nwant);
		for (i = 0; i < nwant; i++) {
			if (got[i] == want[i])
				continue;
			when_format(buf, sizeof buf, got[i], NY, WHEN_ISO);
			when_format(wbuf, sizeof wbuf, want[i], NY, WHEN_ISO);
			fail_msg("%s %s: instance %zu is %s, want %s", id,
			    rrule, i, buf, wbuf);
		}
		/* cadence_next: the first instance after DTSTART. */
		for (i = 0; i < nwant && want[i] <= start; i++)
			;
		if (i < nwant)
			assert_int_equal(cadence_next(&c, start, NY), want[i]);
		else
			assert_true(cadence_next(&c, start, NY) == INT64_MAX);
	}
	return 1;
}

static void
test_rfc5545_examples(void **state)
{
	json_error_t	 jerr;
	json_t		*root, *examples;
	size_t		 i;
	int		 checked, subdaily;

	(void)state;
	root = json_load_file(CORPUS, 0, &jerr);
	if (root == NULL) {
		print_message("skipped: cannot read %s (%s); run from the "
		    "project root with ../shared beside it\n", CORPUS,
		    jerr.text);
		skip();
		return;
	}
	examples = json_object_get(root, "examples");
	assert_true(json_is_array(examples));
	checked = 0;
	subdaily = 0;
	for (i = 0; i < json_array_size(examples); i++)
		checked += corpus_check(json_array_get(examples, i), &subdaily);
	/* Rules, not examples: an alternative can be sub-daily too. */
	print_message("rfc5545 corpus: %d of %zu examples checked, %d "
	    "sub-daily rules rejected by design\n", checked,
	    json_array_size(examples), subdaily);
	assert_true(checked >= 35);
	json_decref(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_units),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_rrule),
		cmocka_unit_test(test_parse_rrule_rejects),
		cmocka_unit_test(test_parse_too_long),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_next_units),
		cmocka_unit_test(test_next_rrule),
		cmocka_unit_test(test_next_rrule_ends),
		cmocka_unit_test(test_next_rrule_until_is_an_instant),
		cmocka_unit_test(test_expand_units),
		cmocka_unit_test(test_rfc5545_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
