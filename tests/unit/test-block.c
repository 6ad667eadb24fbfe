/*
 * Unit tests for core/block: the setting agenda.block ("mon-fri
 * 08:30-09:00"), its canonical text, and its first occurrence in a zone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/block.h"
#include "core/when.h"
#include "util/err.h"

#define SU	(1u << 0)
#define MO	(1u << 1)
#define TU	(1u << 2)
#define WE	(1u << 3)
#define TH	(1u << 4)
#define FR	(1u << 5)
#define SA	(1u << 6)

static int64_t
at(const char *iso, const char *tz)
{
	struct err	 e;
	int64_t		 t = 0;

	if (when_parse(iso, 0, tz, &t, &e) != 0)
		fail_msg("at(%s): %s", iso, e.msg);
	return t;
}

static struct block
parsed(const char *text)
{
	struct block	 b;
	struct err	 e;

	if (block_parse(text, &b, &e) != 0)
		fail_msg("block_parse(%s): %s", text, e.msg);
	return b;
}

static void
check(const char *text, unsigned days, int start, int end, const char *canon)
{
	struct block	 b, again;
	char		 buf[BLOCK_BUFSZ];

	b = parsed(text);
	if (b.days != days || b.start != start || b.end != end)
		fail_msg("'%s': days %#x %d-%d, want %#x %d-%d", text, b.days,
		    b.start, b.end, days, start, end);
	assert_string_equal(block_format(&b, buf, sizeof buf), canon);
	/* The canonical text reads back to the same block. */
	again = parsed(buf);
	assert_int_equal(again.days, b.days);
	assert_int_equal(again.start, b.start);
	assert_int_equal(again.end, b.end);
}

static void
test_parse_examples(void **state)
{
	(void)state;
	/* The examples of the setting's documentation. */
	check("mon-fri 08:30-09:00", MO | TU | WE | TH | FR, 510, 540,
	    "mon-fri 08:30-09:00");
	check("mon,wed,fri 16:00-16:30", MO | WE | FR, 960, 990,
	    "mon,wed,fri 16:00-16:30");
	check("daily 09:00-09:20", BLOCK_ALL_DAYS, 540, 560,
	    "daily 09:00-09:20");
	check("tue-thu 8:00-8:45", TU | WE | TH, 480, 525,
	    "tue-thu 08:00-08:45");
	check("weekdays 07:05-07:35", BLOCK_WEEKDAYS, 425, 455,
	    "mon-fri 07:05-07:35");
}

static void
test_parse_forms(void **state)
{
	(void)state;
	/* Case, blanks around the dash, commas and the whole. */
	check("  Mon - Fri  08:30 - 09:00 ", BLOCK_WEEKDAYS, 510, 540,
	    "mon-fri 08:30-09:00");
	check("MON, WED ,FRI\t16:00-16:30", MO | WE | FR, 960, 990,
	    "mon,wed,fri 16:00-16:30");
	check("monday,friday 0:00-23:59", MO | FR, 0, 1439,
	    "mon,fri 00:00-23:59");
	check("Tuesday-Thursday 12:00-12:01", TU | WE | TH, 720, 721,
	    "tue-thu 12:00-12:01");
	/* Ranges wrap past Sunday: a Sunday-to-Thursday week. */
	check("sun-thu 08:00-08:30", SU | MO | TU | WE | TH, 480, 510,
	    "mon-thu,sun 08:00-08:30");
	check("fri-mon 10:00-11:00", FR | SA | SU | MO, 600, 660,
	    "mon,fri-sun 10:00-11:00");
	/* One day, a range of one day, the whole week, overlaps. */
	check("sat 10:00-10:30", SA, 600, 630, "sat 10:00-10:30");
	check("wed-wed 10:00-10:30", WE, 600, 630, "wed 10:00-10:30");
	check("mon-sun 10:00-10:30", BLOCK_ALL_DAYS, 600, 630,
	    "daily 10:00-10:30");
	check("mon-wed,tue-thu 10:00-10:30", MO | TU | WE | TH, 600, 630,
	    "mon-thu 10:00-10:30");
	check("weekdays,sat 10:00-10:30", BLOCK_WEEKDAYS | SA, 600, 630,
	    "mon-sat 10:00-10:30");
	/* Two days in a row stay a list. */
	check("sat,sun 10:00-10:30", SA | SU, 600, 630,
	    "sat,sun 10:00-10:30");
	check("mon,tue,thu,fri 10:00-10:30", MO | TU | TH | FR, 600, 630,
	    "mon,tue,thu,fri 10:00-10:30");
}

static void
reject(const char *text, const char *why)
{
	struct block	 b;
	struct err	 e;

	memset(&b, 0x5a, sizeof b);
	memset(&e, 0, sizeof e);
	if (block_parse(text, &b, &e) != TEND_EINVAL)
		fail_msg("'%s' was accepted", text != NULL ? text : "(null)");
	assert_int_equal(e.code, TEND_EINVAL);
	if (strstr(e.msg, why) == NULL)
		fail_msg("'%s': message '%s' lacks '%s'",
		    text != NULL ? text : "(null)", e.msg, why);
	/* *out is unchanged on failure. */
	assert_int_equal(b.start, 0x5a5a5a5a);
}

static void
test_parse_rejects(void **state)
{
	char	long_text[BLOCK_TEXT_MAX + 10];

	(void)state;
	reject(NULL, "invalid block '': expected days and times");
	reject("", "invalid block '': expected days and times");
	reject("   ", "invalid block ''");
	reject("x", "invalid block 'x': no times");
	reject("mon-fri", "invalid block 'mon-fri': no times");
	reject("08:30-09:00", "invalid block '08:30-09:00': no days");
	reject("mon-fri08:30-09:00", "put a space between the days");
	reject("funday 08:30-09:00", "unknown day 'funday'");
	reject("mo-fr 08:30-09:00", "unknown day 'mo'");
	reject("mon fri 08:30-09:00", "separate days with commas");
	reject("mon- 08:30-09:00", "the range 'mon-' needs a day after");
	reject("daily-fri 08:30-09:00", "'daily' cannot start a range");
	reject("mon;fri 08:30-09:00", "unexpected ';' in the days");
	reject(", 08:30-09:00", "no days");
	reject("mon-fri 08:30", "no end time");
	reject("mon-fri 08:30-", "a time is missing");
	reject("mon-fri 08:30 09:00", "unexpected '0' after the start");
	reject("mon-fri 24:00-24:30", "'24:00' is not a time of day");
	reject("mon-fri 08:60-09:00", "'08:60' is not a time of day");
	reject("mon-fri 8:5-9:00", "'8:5' is not a time of day");
	reject("mon-fri 008:30-09:00", "'008:30' is not a time of day");
	reject("mon-fri 08:300-09:00", "'08:300' is not a time of day");
	reject("mon-fri 0830-0900", "'0830' is not a time of day");
	reject("mon-fri 08:30-09:00 pm", "unexpected 'pm' after the times");
	reject("mon-fri 08:30-09:00-10:00", "unexpected '-10:00'");
	reject("mon-fri 09:00-08:30", "the end 08:30 is not after the "
	    "start 09:00");
	reject("mon-fri 09:00-09:00", "the end 09:00 is not after");
	reject("mon-fri 23:00-01:00", "starts and ends on the same day");
	reject("mon-fri\n08:30-09:00", "use only letters, digits");
	reject("lun\xc3\xa9 08:30-09:00", "use only letters, digits");
	memset(long_text, 'a', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	reject(long_text, "too long");
	/* NULL err is allowed. */
	{
		struct block	b;

		assert_int_equal(block_parse("nope", &b, NULL), TEND_EINVAL);
	}
}

static void
test_format_truncates(void **state)
{
	struct block	 b;
	char		 buf[8];

	(void)state;
	b = parsed("mon-fri 08:30-09:00");
	assert_string_equal(block_format(&b, buf, sizeof buf), "mon-fri");
	assert_ptr_equal(block_format(&b, buf, 0), buf);
}

static void
test_on(void **state)
{
	struct block	 b;

	(void)state;
	b = parsed("mon-fri 08:30-09:00");
	assert_false(block_on(&b, 0));
	assert_true(block_on(&b, 1));
	assert_true(block_on(&b, 5));
	assert_false(block_on(&b, 6));
	assert_false(block_on(&b, 7));
	assert_false(block_on(&b, -1));
}

static void
first_is(const char *block, const char *now, const char *tz,
    const char *start, const char *end)
{
	struct block	 b;
	int64_t		 s, e;
	char		 got[WHEN_BUFSZ], want[WHEN_BUFSZ];

	b = parsed(block);
	s = block_first(&b, at(now, tz), tz, &e);
	if (s != at(start, tz)) {
		when_format(got, sizeof got, s, tz, WHEN_ISO);
		when_format(want, sizeof want, at(start, tz), tz, WHEN_ISO);
		fail_msg("%s from %s: start %s, want %s", block, now, got,
		    want);
	}
	assert_int_equal(e, at(end, tz));
}

static void
test_first(void **state)
{
	(void)state;
	/* 2026-11-23 is a Monday. */
	first_is("mon-fri 08:30-09:00", "2026-11-23T07:00", "UTC",
	    "2026-11-23T08:30", "2026-11-23T09:00");
	/* Today counts even when today's block is over. */
	first_is("mon-fri 08:30-09:00", "2026-11-23T18:00", "UTC",
	    "2026-11-23T08:30", "2026-11-23T09:00");
	/* Saturday: the next Monday. */
	first_is("mon-fri 08:30-09:00", "2026-11-28T10:00", "UTC",
	    "2026-11-30T08:30", "2026-11-30T09:00");
	first_is("sun 16:00-16:30", "2026-11-23T10:00", "Europe/Paris",
	    "2026-11-29T16:00", "2026-11-29T16:30");
	first_is("daily 09:00-09:20", "2026-12-31T23:59", "Asia/Tokyo",
	    "2026-12-31T09:00", "2026-12-31T09:20");
	/* "Today" is the user's: Monday 23:30 in New York is Tuesday UTC. */
	first_is("mon 08:00-08:30", "2026-11-23T23:30", "America/New_York",
	    "2026-11-23T08:00", "2026-11-23T08:30");
	/* Wall time across the spring-forward day in Paris (2027-03-28). */
	first_is("sun 09:00-09:30", "2027-03-27T12:00", "Europe/Paris",
	    "2027-03-28T09:00", "2027-03-28T09:30");
	/* In the gap (02:00-03:00 does not exist): moved forward an hour. */
	first_is("sun 02:30-04:00", "2027-03-27T12:00", "Europe/Paris",
	    "2027-03-28T03:30", "2027-03-28T04:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_examples),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_on),
		cmocka_unit_test(test_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
