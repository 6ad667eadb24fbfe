/*
 * Unit tests for core/respect: never-rules, rolling caps at their last
 * blocked and first free second, quiet hours in the recipient's zone
 * across weekends, midnight, half-hour offsets and DST gaps and repeats,
 * rules combined to a fixed point, bad rules, and a randomised check
 * against a brute-force reading of the rules.
 *
 * Every LATER decision is also checked for consistency: asking again at
 * not_before gives NOW, and one second earlier gives the same
 * not_before, so not_before is the earliest allowed instant.
 *
 * 2026 transitions used:
 *   Berlin    spring 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z)
 *             fall   2026-10-25 03:00 CEST -> 02:00 CET (01:00Z)
 *   New York  spring 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z)
 *             fall   2026-11-01 02:00 EDT -> 01:00 EST (06:00Z)
 *   Auckland  NZDT (+13) all of November
 *   Apia      2011-12-29 24:00 (-10) -> 2011-12-31 00:00 (+14): no Dec 30
 * 2026-11-23 is a Monday.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/respect.h"
#include "core/when.h"
#include "util/err.h"

#define DAY		86400
#define BERLIN		"Europe/Berlin"
#define NY		"America/New_York"
#define LA		"America/Los_Angeles"
#define AKL		"Pacific/Auckland"
#define TOKYO		"Asia/Tokyo"
#define KOLKATA		"Asia/Kolkata"
#define APIA		"Pacific/Apia"
#define NSENT_MAX	16

/* An instant from an ISO string with an explicit offset or Z. */
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

/* Rules that allow everything: caps off, every minute of every day. */
static struct respect_rules
open_rules(void)
{
	struct respect_rules	r;

	respect_rules_default(&r);
	r.daily_cap = 0;
	r.window_cap = 0;
	r.quiet_start = 0;
	r.quiet_end = 24 * 60;
	r.days = RESPECT_ALL_DAYS;
	return r;
}

/* Default rules on every day of the week. */
static struct respect_rules
daily_rules(void)
{
	struct respect_rules	r;

	respect_rules_default(&r);
	r.days = RESPECT_ALL_DAYS;
	return r;
}

/* Quiet hours only (caps off), from start to end in minutes, all days. */
static struct respect_rules
quiet_rules(int start, int end)
{
	struct respect_rules	r;

	r = open_rules();
	r.quiet_start = start;
	r.quiet_end = end;
	return r;
}

/* An automated message to someone in zone, the user in UTC. */
static struct respect_msg
auto_msg(const char *zone)
{
	struct respect_msg	m;

	memset(&m, 0, sizeof m);
	m.automated = 1;
	m.zone = zone;
	m.user_zone = "UTC";
	return m;
}

/* Fill times[] from ISO strings (NULL-terminated) and return the count. */
static size_t
times_of(int64_t *times, const char *const *iso)
{
	size_t	n;

	for (n = 0; iso[n] != NULL; n++) {
		assert_true(n < NSENT_MAX);
		times[n] = at(iso[n]);
	}
	return n;
}

/*
 * Decide, and for LATER check that not_before is allowed and the
 * earliest: NOW there, the same not_before a second before it.
 */
static void
decide(const struct respect_rules *r, const struct respect_msg *m,
    int64_t now, struct respect_decision *d)
{
	struct respect_decision	again;

	assert_int_equal(respect_check(r, m, now, d), 0);
	if (d->verdict == RESPECT_NOW) {
		assert_true(d->not_before == now);
		assert_null(d->rule);
		assert_string_equal(d->reason, "");
		return;
	}
	if (d->verdict == RESPECT_NEVER) {
		assert_true(d->not_before == 0);
		assert_non_null(d->rule);
		return;
	}
	assert_true(d->not_before > now);
	assert_non_null(d->rule);
	assert_true(strlen(d->reason) > 0);
	assert_int_equal(respect_check(r, m, d->not_before, &again), 0);
	assert_int_equal(again.verdict, RESPECT_NOW);
	assert_int_equal(respect_check(r, m, d->not_before - 1, &again), 0);
	assert_int_equal(again.verdict, RESPECT_LATER);
	assert_true(again.not_before == d->not_before);
}

static void
expect_now(const struct respect_rules *r, const struct respect_msg *m,
    const char *now)
{
	struct respect_decision	d;

	decide(r, m, at(now), &d);
	if (d.verdict != RESPECT_NOW)
		fail_msg("at %s: expected now, got %d (%s)", now, d.verdict,
		    d.reason);
}

/* LATER until want; rule and reason checked unless NULL. */
static void
expect_later(const struct respect_rules *r, const struct respect_msg *m,
    const char *now, const char *want, const char *rule, const char *reason)
{
	struct respect_decision	d;
	char			buf[WHEN_BUFSZ];

	decide(r, m, at(now), &d);
	if (d.verdict != RESPECT_LATER)
		fail_msg("at %s: expected later, got %d (%s)", now, d.verdict,
		    d.reason);
	if (d.not_before != at(want))
		fail_msg("at %s: expected %s, got %s (%s)", now, want,
		    when_format(buf, sizeof buf, d.not_before, "UTC",
		    WHEN_ISO), d.reason);
	if (rule != NULL)
		assert_string_equal(d.rule, rule);
	if (reason != NULL)
		assert_string_equal(d.reason, reason);
}

static void
expect_never(const struct respect_rules *r, const struct respect_msg *m,
    const char *now, const char *rule, const char *reason)
{
	struct respect_decision	d;

	decide(r, m, at(now), &d);
	assert_int_equal(d.verdict, RESPECT_NEVER);
	assert_string_equal(d.rule, rule);
	assert_string_equal(d.reason, reason);
}

/* respect_check() refuses: TEND_EINVAL and this reason. */
static void
expect_invalid(const struct respect_rules *r, const struct respect_msg *m,
    int64_t now, const char *reason)
{
	struct respect_decision	d;

	assert_int_equal(respect_check(r, m, now, &d), TEND_EINVAL);
	assert_int_equal(d.verdict, RESPECT_NEVER);
	assert_null(d.rule);
	assert_string_equal(d.reason, reason);
}

static void
test_defaults(void **state)
{
	struct respect_rules	r;

	(void)state;
	memset(&r, 0xff, sizeof r);
	respect_rules_default(&r);
	assert_int_equal(r.daily_cap, 1);
	assert_int_equal(r.window_cap, 3);
	assert_int_equal(r.window_days, 30);
	assert_int_equal(r.quiet_start, 8 * 60);
	assert_int_equal(r.quiet_end, 19 * 60);
	assert_int_equal(r.days, 0x3e);
	assert_int_equal(r.sender_daily_cap, 0);
}

/* Never-rules in their order, by hand too, over caps and quiet hours. */
static void
test_never(void **state)
{
	static const char *const sent[] = {
		"2026-11-28T01:00Z", "2026-11-28T02:00Z", NULL
	};
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];
	int			hand;

	(void)state;
	respect_rules_default(&r);
	for (hand = 0; hand < 2; hand++) {
		m = auto_msg(TOKYO);
		m.automated = !hand;
		m.sent = times;
		m.nsent = times_of(times, sent);
		m.do_not_contact = 1;
		m.unsubscribed = 1;
		m.bounced = 1;
		/* Saturday 03:00: quiet hours, caps full */
		expect_never(&r, &m, "2026-11-28T03:00Z", "do-not-contact",
		    "this person is marked do-not-contact");
		m.do_not_contact = 0;
		expect_never(&r, &m, "2026-11-28T03:00Z", "unsubscribed",
		    "this address unsubscribed");
		m.unsubscribed = 0;
		expect_never(&r, &m, "2026-11-28T03:00Z", "bounced",
		    "this address bounced for good");
		m.bounced = 0;
		m.unsubscribed = 1;
		expect_never(&r, &m, "2026-11-23T10:00Z", "unsubscribed",
		    "this address unsubscribed");
		m.unsubscribed = 0;
		m.do_not_contact = 1;
		m.bounced = 1;
		expect_never(&r, &m, "2026-11-23T10:00Z", "do-not-contact",
		    "this person is marked do-not-contact");
	}
}

/* By hand: never delayed, whatever the caps or the hour. */
static void
test_by_hand_never_delayed(void **state)
{
	static const char *const sent[] = {
		"2026-11-27T20:00Z", "2026-11-28T02:59Z", NULL
	};
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	respect_rules_default(&r);
	r.sender_daily_cap = 1;
	m = auto_msg(TOKYO);
	m.automated = 0;
	m.sent = times;
	m.nsent = times_of(times, sent);
	m.sender_sent = times;
	m.nsender_sent = m.nsent;
	/* Saturday 03:00Z is Saturday noon in Tokyo; 2 sent today */
	expect_now(&r, &m, "2026-11-28T03:00Z");
	expect_now(&r, &m, "2026-11-28T18:00Z");
	m.automated = 1;
	expect_later(&r, &m, "2026-11-28T03:00Z", "2026-11-29T23:00Z",
	    "quiet hours", "quiet hours in Asia/Tokyo (now Sat 12:00) "
	    "until Mon 2026-11-30 08:00");
}

/* A message sent by hand counts toward the caps of automated ones. */
static void
test_by_hand_counts(void **state)
{
	static const char *const sent[] = { "2026-11-23T08:00Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	respect_rules_default(&r);
	m = auto_msg("UTC");
	m.sent = times;
	m.nsent = times_of(times, sent);
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T08:00Z",
	    "daily cap", "1 message in the last 24 h to this person (cap 1) "
	    "until 2026-11-24 08:00 UTC");
}

/* Daily cap 1: t + 86400 exactly; its last second still blocked. */
static void
test_daily_cap_edges(void **state)
{
	static const char *const sent[] = { "2026-11-23T09:00Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	r = open_rules();
	r.daily_cap = 1;
	m = auto_msg("UTC");
	m.sent = times;
	m.nsent = times_of(times, sent);
	expect_later(&r, &m, "2026-11-24T08:59:59Z", "2026-11-24T09:00Z",
	    "daily cap", "1 message in the last 24 h to this person (cap 1) "
	    "until 2026-11-24 09:00 UTC");
	expect_now(&r, &m, "2026-11-24T09:00:00Z");
	expect_now(&r, &m, "2026-11-24T09:00:01Z");
	/* the very second it was sent */
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T09:00Z",
	    "daily cap", NULL);
	expect_later(&r, &m, "2026-11-23T09:00:01Z", "2026-11-24T09:00Z",
	    "daily cap", NULL);
	/* 0 turns it off */
	r.daily_cap = 0;
	expect_now(&r, &m, "2026-11-23T09:00:01Z");
	/* a long-gone message does not count */
	r.daily_cap = 1;
	times[0] = at("2026-11-22T08:59:59Z");
	expect_now(&r, &m, "2026-11-23T08:59:59Z");
	expect_later(&r, &m, "2026-11-23T08:59:58Z", "2026-11-23T08:59:59Z",
	    "daily cap", NULL);
}

/* A cap of k lets the next go when the k-th most recent leaves. */
static void
test_daily_cap_k(void **state)
{
	static const char *const sent[] = {
		"2026-11-22T20:00Z", "2026-11-23T01:00Z", "2026-11-23T05:00Z",
		"2026-11-23T07:00Z", "2026-11-23T08:00Z", NULL
	};
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	r = open_rules();
	m = auto_msg("UTC");
	m.sent = times;
	m.nsent = times_of(times, sent);
	/* 5 sent in the last 24 h at Monday 09:00: 05:00 is the third */
	r.daily_cap = 3;
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T05:00Z",
	    "daily cap", "5 messages in the last 24 h to this person "
	    "(cap 3) until 2026-11-24 05:00 UTC");
	expect_later(&r, &m, "2026-11-24T04:59:59Z", "2026-11-24T05:00Z",
	    "daily cap", "3 messages in the last 24 h to this person "
	    "(cap 3) until 2026-11-24 05:00 UTC");
	expect_now(&r, &m, "2026-11-24T05:00Z");
	/* Monday 01:00 left the window at Tuesday 01:00 exactly */
	expect_later(&r, &m, "2026-11-24T01:00Z", "2026-11-24T05:00Z",
	    "daily cap", "3 messages in the last 24 h to this person "
	    "(cap 3) until 2026-11-24 05:00 UTC");
	r.daily_cap = 4;
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T01:00Z",
	    "daily cap", NULL);
	/* a cap of 5: the oldest, Sunday 20:00, decides */
	r.daily_cap = 5;
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-23T20:00Z",
	    "daily cap", "5 messages in the last 24 h to this person "
	    "(cap 5) until 2026-11-23 20:00 UTC");
	r.daily_cap = 6;
	expect_now(&r, &m, "2026-11-23T09:00Z");
	r.daily_cap = 2;
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T07:00Z",
	    "daily cap", NULL);
	r.daily_cap = 1;
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T08:00Z",
	    "daily cap", NULL);
}

/* 3 in any 30 days, at the window's last second and first free one. */
static void
test_window_cap(void **state)
{
	static const char *const three[] = {
		"2026-11-01T10:00Z", "2026-11-10T10:00Z", "2026-11-20T10:00Z",
		NULL
	};
	static const char *const five[] = {
		"2026-10-25T10:00Z", "2026-11-01T10:00Z", "2026-11-10T10:00Z",
		"2026-11-15T10:00Z", "2026-11-20T10:00Z", NULL
	};
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	r = open_rules();
	r.window_cap = 3;
	m = auto_msg("UTC");
	m.sent = times;
	m.nsent = times_of(times, three);
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-12-01T10:00Z",
	    "window cap", "3 messages in the last 30 days to this person "
	    "(cap 3) until 2026-12-01 10:00 UTC");
	expect_later(&r, &m, "2026-12-01T09:59:59Z", "2026-12-01T10:00Z",
	    "window cap", NULL);
	expect_now(&r, &m, "2026-12-01T10:00Z");
	/* 5 sent: the third most recent (Nov 10) decides */
	m.nsent = times_of(times, five);
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-12-10T10:00Z",
	    "window cap", "5 messages in the last 30 days to this person "
	    "(cap 3) until 2026-12-10 10:00 UTC");
	expect_later(&r, &m, "2026-12-10T09:59:59Z", "2026-12-10T10:00Z",
	    "window cap", "3 messages in the last 30 days to this person "
	    "(cap 3) until 2026-12-10 10:00 UTC");
	expect_now(&r, &m, "2026-12-10T10:00Z");
	/* 0 turns it off; a window of 1 day reads as such */
	r.window_cap = 0;
	expect_now(&r, &m, "2026-11-23T09:00Z");
	r.window_cap = 1;
	r.window_days = 1;
	expect_later(&r, &m, "2026-11-21T09:00Z", "2026-11-21T10:00Z",
	    "window cap", "1 message in the last 1 day to this person "
	    "(cap 1) until 2026-11-21 10:00 UTC");
	/* window_days does not matter while the window cap is off */
	r.window_cap = 0;
	r.window_days = 0;
	expect_now(&r, &m, "2026-11-21T09:00Z");
}

/* Windows are exact seconds: 30 days across a DST end is 30 * 86400. */
static void
test_window_cap_across_dst(void **state)
{
	static const char *const sent[] = { "2026-10-10T10:00Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	r = open_rules();
	r.window_cap = 1;
	m = auto_msg(BERLIN);
	m.sent = times;
	m.nsent = times_of(times, sent);
	/* sent at 12:00 CEST; free at 11:00 CET, 30 * 86400 s later */
	expect_later(&r, &m, "2026-11-01T10:00Z", "2026-11-09T10:00Z",
	    "window cap", "1 message in the last 30 days to this person "
	    "(cap 1) until 2026-11-09 11:00 Europe/Berlin");
}

/* The per-sender rolling 24 h cap. */
static void
test_sender_cap(void **state)
{
	static const char *const sender[] = {
		"2026-11-23T06:00Z", "2026-11-23T07:00Z", "2026-11-23T08:30Z",
		NULL
	};
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	r = open_rules();
	m = auto_msg("UTC");
	m.sender_sent = times;
	m.nsender_sent = times_of(times, sender);
	/* off by default */
	expect_now(&r, &m, "2026-11-23T09:00Z");
	r.sender_daily_cap = 2;
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T07:00Z",
	    "sender cap", "3 automated messages from this sender in the "
	    "last 24 h (cap 2) until 2026-11-24 07:00 UTC");
	expect_later(&r, &m, "2026-11-24T06:59:59Z", "2026-11-24T07:00Z",
	    "sender cap", "2 automated messages from this sender in the "
	    "last 24 h (cap 2) until 2026-11-24 07:00 UTC");
	expect_now(&r, &m, "2026-11-24T07:00Z");
	r.sender_daily_cap = 3;
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T06:00Z",
	    "sender cap", NULL);
	r.sender_daily_cap = 4;
	expect_now(&r, &m, "2026-11-23T09:00Z");
	/* the sender's messages are not the recipient's */
	r.sender_daily_cap = 0;
	r.daily_cap = 1;
	expect_now(&r, &m, "2026-11-23T09:00Z");
	/* a message by hand is not held by the sender cap */
	r.sender_daily_cap = 1;
	m.automated = 0;
	expect_now(&r, &m, "2026-11-23T09:00Z");
}

/* Messages after now (another machine's clock) count as sent. */
static void
test_sent_in_future(void **state)
{
	static const char *const sent[] = { "2026-11-23T09:01Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	r = open_rules();
	r.daily_cap = 1;
	m = auto_msg("UTC");
	m.sent = times;
	m.nsent = times_of(times, sent);
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-11-24T09:01Z",
	    "daily cap", "1 message in the last 24 h to this person (cap 1) "
	    "until 2026-11-24 09:01 UTC");
}

/* Seconds show in the reason when the instant has them. */
static void
test_reason_seconds(void **state)
{
	static const char *const sent[] = { "2026-11-23T09:00:30Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	r = open_rules();
	r.daily_cap = 1;
	m = auto_msg("UTC");
	m.sent = times;
	m.nsent = times_of(times, sent);
	expect_later(&r, &m, "2026-11-24T09:00Z", "2026-11-24T09:00:30Z",
	    "daily cap", "1 message in the last 24 h to this person (cap 1) "
	    "until 2026-11-24 09:00:30 UTC");
}

/* 07:59:59, 08:00, 18:59:59 and 19:00 local. */
static void
test_quiet_edges(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	respect_rules_default(&r);
	m = auto_msg("UTC");
	expect_later(&r, &m, "2026-11-23T07:59:59Z", "2026-11-23T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Mon 07:59:59) until "
	    "Mon 2026-11-23 08:00");
	expect_now(&r, &m, "2026-11-23T08:00Z");
	expect_now(&r, &m, "2026-11-23T12:00Z");
	expect_now(&r, &m, "2026-11-23T18:59:59Z");
	expect_later(&r, &m, "2026-11-23T19:00Z", "2026-11-24T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Mon 19:00) until "
	    "Tue 2026-11-24 08:00");
	expect_later(&r, &m, "2026-11-23T23:59:59Z", "2026-11-24T08:00Z",
	    "quiet hours", NULL);
	expect_later(&r, &m, "2026-11-24T00:00Z", "2026-11-24T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Tue 00:00) until "
	    "Tue 2026-11-24 08:00");
	/* odd minutes */
	r.quiet_start = 8 * 60 + 45;
	r.quiet_end = 17 * 60 + 15;
	expect_later(&r, &m, "2026-11-23T08:44:59Z", "2026-11-23T08:45Z",
	    "quiet hours", NULL);
	expect_now(&r, &m, "2026-11-23T17:14:59Z");
	expect_later(&r, &m, "2026-11-23T17:15Z", "2026-11-24T08:45Z",
	    "quiet hours", NULL);
}

/* Weekends, and other sets of days. */
static void
test_quiet_weekend(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	respect_rules_default(&r);
	m = auto_msg("UTC");
	expect_now(&r, &m, "2026-11-27T18:59:59Z");
	expect_later(&r, &m, "2026-11-27T19:00Z", "2026-11-30T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Fri 19:00) until "
	    "Mon 2026-11-30 08:00");
	expect_later(&r, &m, "2026-11-28T12:00Z", "2026-11-30T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Sat 12:00) until "
	    "Mon 2026-11-30 08:00");
	expect_later(&r, &m, "2026-11-29T23:59:59Z", "2026-11-30T08:00Z",
	    "quiet hours", NULL);
	expect_later(&r, &m, "2026-11-30T00:00Z", "2026-11-30T08:00Z",
	    "quiet hours", NULL);
	/* Saturday only: from Monday, 5 days on */
	r.days = 1u << 6;
	expect_later(&r, &m, "2026-11-23T10:00Z", "2026-11-28T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Mon 10:00) until "
	    "Sat 2026-11-28 08:00");
	expect_later(&r, &m, "2026-11-28T19:00Z", "2026-12-05T08:00Z",
	    "quiet hours", NULL);
	/* weekends only: Friday night to Saturday morning */
	r.days = 1u << 0 | 1u << 6;
	expect_later(&r, &m, "2026-11-27T20:00Z", "2026-11-28T08:00Z",
	    "quiet hours", NULL);
	expect_later(&r, &m, "2026-11-29T19:00Z", "2026-12-05T08:00Z",
	    "quiet hours", NULL);
	/* every day, all day: never quiet */
	r.days = RESPECT_ALL_DAYS;
	r.quiet_start = 0;
	r.quiet_end = 24 * 60;
	expect_now(&r, &m, "2026-11-29T23:59:59Z");
	expect_now(&r, &m, "2026-11-30T00:00Z");
	/* all day on weekdays: Friday's last second, then Monday 00:00 */
	r.days = RESPECT_WEEKDAYS;
	expect_now(&r, &m, "2026-11-27T23:59:59Z");
	expect_later(&r, &m, "2026-11-28T00:00Z", "2026-11-30T00:00Z",
	    "quiet hours", NULL);
}

/* The brief's example: Tokyo's Saturday night is Friday in UTC. */
static void
test_quiet_tokyo(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	respect_rules_default(&r);
	m = auto_msg(TOKYO);
	expect_later(&r, &m, "2026-11-27T17:14Z", "2026-11-29T23:00Z",
	    "quiet hours", "quiet hours in Asia/Tokyo (now Sat 02:14) until "
	    "Mon 2026-11-30 08:00");
	/* Friday 10:00 UTC is Friday 19:00 in Tokyo */
	expect_now(&r, &m, "2026-11-27T09:59:59Z");
	expect_later(&r, &m, "2026-11-27T10:00Z", "2026-11-29T23:00Z",
	    "quiet hours", NULL);
	/* Sunday 23:00 UTC is Monday 08:00 in Tokyo */
	expect_now(&r, &m, "2026-11-29T23:00Z");
}

/* Auckland and Los Angeles are 21 hours apart in November. */
static void
test_quiet_far_zones(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	respect_rules_default(&r);
	m = auto_msg(AKL);
	m.user_zone = LA;
	/* Monday 10:00 in LA is Tuesday 07:00 in Auckland */
	expect_later(&r, &m, "2026-11-23T10:00-08:00", "2026-11-23T19:00Z",
	    "quiet hours", "quiet hours in Pacific/Auckland (now Tue 07:00) "
	    "until Tue 2026-11-24 08:00");
	expect_now(&r, &m, "2026-11-23T11:00-08:00");
	/* Friday 14:00 in LA is Saturday 11:00 there: wait to Monday */
	expect_later(&r, &m, "2026-11-27T14:00-08:00", "2026-11-30T08:00+13:00",
	    "quiet hours", "quiet hours in Pacific/Auckland (now Sat 11:00) "
	    "until Mon 2026-11-30 08:00");
	/* Sunday 11:00 in LA is already Monday 08:00 there */
	expect_now(&r, &m, "2026-11-29T11:00-08:00");
	/* no recipient zone: the user's */
	m.zone = NULL;
	expect_later(&r, &m, "2026-11-27T19:00-08:00", "2026-11-30T08:00-08:00",
	    "quiet hours", "quiet hours in America/Los_Angeles (now Fri "
	    "19:00) until Mon 2026-11-30 08:00");
	m.zone = "";
	expect_now(&r, &m, "2026-11-27T14:00-08:00");
	/* the other way round: Monday 09:00 in Auckland, Sunday in LA */
	m.zone = LA;
	m.user_zone = AKL;
	expect_later(&r, &m, "2026-11-23T09:00+13:00", "2026-11-23T08:00-08:00",
	    "quiet hours", "quiet hours in America/Los_Angeles (now Sun "
	    "12:00) until Mon 2026-11-23 08:00");
	/* no zone at all: the system's (TZ=UTC, set in main) */
	m.zone = NULL;
	m.user_zone = NULL;
	expect_later(&r, &m, "2026-11-23T07:00Z", "2026-11-23T08:00Z",
	    "quiet hours", "quiet hours in local time (now Mon 07:00) until "
	    "Mon 2026-11-23 08:00");
}

/* Half-hour offset: India is UTC+05:30. */
static void
test_quiet_kolkata(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	respect_rules_default(&r);
	m = auto_msg(KOLKATA);
	expect_later(&r, &m, "2026-11-23T02:29:59Z", "2026-11-23T02:30Z",
	    "quiet hours", "quiet hours in Asia/Kolkata (now Mon 07:59:59) "
	    "until Mon 2026-11-23 08:00");
	expect_now(&r, &m, "2026-11-23T02:30Z");
	expect_now(&r, &m, "2026-11-23T13:29:59Z");
	expect_later(&r, &m, "2026-11-23T13:30Z", "2026-11-24T02:30Z",
	    "quiet hours", "quiet hours in Asia/Kolkata (now Mon 19:00) "
	    "until Tue 2026-11-24 08:00");
	/* Friday 18:30 UTC is Saturday 00:00 there */
	expect_later(&r, &m, "2026-11-27T18:30Z", "2026-11-30T02:30Z",
	    "quiet hours", "quiet hours in Asia/Kolkata (now Sat 00:00) "
	    "until Mon 2026-11-30 08:00");
	expect_later(&r, &m, "2026-11-27T18:29:59Z", "2026-11-30T02:30Z",
	    "quiet hours", "quiet hours in Asia/Kolkata (now Fri 23:59:59) "
	    "until Mon 2026-11-30 08:00");
	expect_now(&r, &m, "2026-11-27T13:29:59Z");
}

/* The recipient's midnight is not UTC's. */
static void
test_quiet_midnight(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	respect_rules_default(&r);
	/* Monday 19:00 in Auckland is 06:00 UTC the same Monday */
	m = auto_msg(AKL);
	expect_now(&r, &m, "2026-11-23T05:59:59Z");
	expect_later(&r, &m, "2026-11-23T06:00Z", "2026-11-23T19:00Z",
	    "quiet hours", "quiet hours in Pacific/Auckland (now Mon 19:00) "
	    "until Tue 2026-11-24 08:00");
	/* Monday 07:00 UTC is still Sunday 23:00 in LA */
	m = auto_msg(LA);
	expect_later(&r, &m, "2026-11-23T07:00Z", "2026-11-23T16:00Z",
	    "quiet hours", "quiet hours in America/Los_Angeles (now Sun "
	    "23:00) until Mon 2026-11-23 08:00");
	/* Friday 23:59:59 allowed, Saturday's first second not */
	r.quiet_start = 0;
	r.quiet_end = 24 * 60;
	expect_now(&r, &m, "2026-11-27T23:59:59-08:00");
	expect_later(&r, &m, "2026-11-28T00:00-08:00", "2026-11-30T00:00-08:00",
	    "quiet hours", "quiet hours in America/Los_Angeles (now Sat "
	    "00:00) until Mon 2026-11-30 00:00");
	/* month and year ends */
	respect_rules_default(&r);
	m = auto_msg("UTC");
	expect_later(&r, &m, "2026-12-31T19:00Z", "2027-01-01T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Thu 19:00) until "
	    "Fri 2027-01-01 08:00");
	expect_later(&r, &m, "2027-01-29T19:00Z", "2027-02-01T08:00Z",
	    "quiet hours", NULL);
	expect_later(&r, &m, "2028-02-25T19:00Z", "2028-02-28T08:00Z",
	    "quiet hours", NULL);
	expect_later(&r, &m, "2028-02-28T19:00Z", "2028-02-29T08:00Z",
	    "quiet hours", NULL);
}

/* Berlin: clocks spring forward on Sunday 2026-03-29 at 02:00. */
static void
test_dst_berlin_spring(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	r = daily_rules();
	r.daily_cap = 0;
	m = auto_msg(BERLIN);
	/* Saturday 19:30 CET to Sunday 08:00 CEST: 11.5 hours, not 12.5 */
	expect_later(&r, &m, "2026-03-28T19:30+01:00", "2026-03-29T06:00Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sat 19:30) "
	    "until Sun 2026-03-29 08:00");
	expect_later(&r, &m, "2026-03-29T05:59:59Z", "2026-03-29T06:00Z",
	    "quiet hours", NULL);
	expect_now(&r, &m, "2026-03-29T06:00Z");
	expect_now(&r, &m, "2026-03-29T16:59:59Z");
	expect_later(&r, &m, "2026-03-29T17:00Z", "2026-03-30T06:00Z",
	    "quiet hours", NULL);
	/* weekdays: Friday CET to Monday CEST */
	respect_rules_default(&r);
	expect_later(&r, &m, "2026-03-27T18:00Z", "2026-03-30T06:00Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Fri 19:00) "
	    "until Mon 2026-03-30 08:00");
	expect_now(&r, &m, "2026-03-27T17:59:59Z");
}

/* Berlin: clocks fall back on Sunday 2026-10-25 at 03:00. */
static void
test_dst_berlin_fall(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	r = daily_rules();
	r.daily_cap = 0;
	m = auto_msg(BERLIN);
	expect_later(&r, &m, "2026-10-24T17:00Z", "2026-10-25T07:00Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sat 19:00) "
	    "until Sun 2026-10-25 08:00");
	expect_now(&r, &m, "2026-10-25T17:59:59Z");
	expect_later(&r, &m, "2026-10-25T18:00Z", "2026-10-26T07:00Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sun 19:00) "
	    "until Mon 2026-10-26 08:00");
	/* weekdays: Friday CEST to Monday CET */
	respect_rules_default(&r);
	expect_later(&r, &m, "2026-10-23T17:00Z", "2026-10-26T07:00Z",
	    "quiet hours", NULL);
}

/* New York: spring 2026-03-08, fall 2026-11-01. */
static void
test_dst_new_york(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	r = daily_rules();
	r.daily_cap = 0;
	m = auto_msg(NY);
	expect_later(&r, &m, "2026-03-07T19:00-05:00", "2026-03-08T12:00Z",
	    "quiet hours", "quiet hours in America/New_York (now Sat 19:00) "
	    "until Sun 2026-03-08 08:00");
	expect_later(&r, &m, "2026-10-31T19:00-04:00", "2026-11-01T13:00Z",
	    "quiet hours", "quiet hours in America/New_York (now Sat 19:00) "
	    "until Sun 2026-11-01 08:00");
	expect_now(&r, &m, "2026-11-01T13:00Z");
	expect_later(&r, &m, "2026-11-01T12:59:59Z", "2026-11-01T13:00Z",
	    "quiet hours", NULL);
	respect_rules_default(&r);
	expect_later(&r, &m, "2026-10-30T19:00-04:00", "2026-11-02T13:00Z",
	    "quiet hours", "quiet hours in America/New_York (now Fri 19:00) "
	    "until Mon 2026-11-02 08:00");
	expect_later(&r, &m, "2026-03-06T19:00-05:00", "2026-03-09T12:00Z",
	    "quiet hours", NULL);
}

/*
 * Quiet start in a DST gap: 02:30 does not exist on the day clocks
 * spring forward, so mail may start when they do, at 03:00 (the first
 * instant whose local time is past 02:30).
 */
static void
test_quiet_start_in_gap(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	r = quiet_rules(2 * 60 + 30, 19 * 60);
	m = auto_msg(BERLIN);
	expect_later(&r, &m, "2026-03-28T19:00+01:00", "2026-03-29T01:00Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sat 19:00) "
	    "until Sun 2026-03-29 03:00");
	expect_later(&r, &m, "2026-03-29T00:59:59Z", "2026-03-29T01:00Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sun 01:59:59) "
	    "until Sun 2026-03-29 03:00");
	expect_now(&r, &m, "2026-03-29T01:00Z");
	/* the next day is an ordinary one */
	expect_later(&r, &m, "2026-03-29T17:00Z", "2026-03-30T00:30Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sun 19:00) "
	    "until Mon 2026-03-30 02:30");
	m = auto_msg(NY);
	expect_later(&r, &m, "2026-03-08T01:00-05:00", "2026-03-08T07:00Z",
	    "quiet hours", "quiet hours in America/New_York (now Sun 01:00) "
	    "until Sun 2026-03-08 03:00");
	/* a gap right at the start: 02:00 is 03:00 too */
	r.quiet_start = 2 * 60;
	m = auto_msg(BERLIN);
	expect_later(&r, &m, "2026-03-29T00:30Z", "2026-03-29T01:00Z",
	    "quiet hours", NULL);
}

/* A window the gap swallows whole, and one it cuts short. */
static void
test_quiet_window_in_gap(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	m = auto_msg(BERLIN);
	r = quiet_rules(2 * 60, 2 * 60 + 45);
	/* Sunday's 02:00-02:45 never happens: Monday 02:00 CEST */
	expect_later(&r, &m, "2026-03-28T12:00+01:00", "2026-03-30T00:00Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sat 12:00) "
	    "until Mon 2026-03-30 02:00");
	r = quiet_rules(2 * 60 + 30, 3 * 60 + 15);
	/* Sunday's window is 03:00-03:15 CEST */
	expect_later(&r, &m, "2026-03-28T12:00+01:00", "2026-03-29T01:00Z",
	    "quiet hours", NULL);
	expect_now(&r, &m, "2026-03-29T01:14:59Z");
	expect_later(&r, &m, "2026-03-29T01:15Z", "2026-03-30T00:30Z",
	    "quiet hours", NULL);
}

/*
 * Quiet start in a repeated hour: 02:30 happens twice when clocks fall
 * back.  Local time decides, so 02:00-02:30 the second time round is
 * quiet again and mail starts at the second 02:30.
 */
static void
test_quiet_start_in_repeat(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	r = quiet_rules(2 * 60 + 30, 19 * 60);
	m = auto_msg(BERLIN);
	expect_later(&r, &m, "2026-10-24T20:00+02:00", "2026-10-25T00:30Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sat 20:00) "
	    "until Sun 2026-10-25 02:30");
	expect_now(&r, &m, "2026-10-25T00:45Z");
	expect_now(&r, &m, "2026-10-25T00:59:59Z");
	expect_later(&r, &m, "2026-10-25T01:00Z", "2026-10-25T01:30Z",
	    "quiet hours", "quiet hours in Europe/Berlin (now Sun 02:00) "
	    "until Sun 2026-10-25 02:30");
	expect_later(&r, &m, "2026-10-25T01:10Z", "2026-10-25T01:30Z",
	    "quiet hours", NULL);
	expect_now(&r, &m, "2026-10-25T01:30Z");
	m = auto_msg(NY);
	r = quiet_rules(60 + 30, 19 * 60);
	expect_later(&r, &m, "2026-11-01T01:10-05:00", "2026-11-01T06:30Z",
	    "quiet hours", "quiet hours in America/New_York (now Sun 01:10) "
	    "until Sun 2026-11-01 01:30");
	expect_later(&r, &m, "2026-11-01T00:10-04:00", "2026-11-01T05:30Z",
	    "quiet hours", NULL);
}

/* Apia skipped Friday 2011-12-30 altogether. */
static void
test_quiet_missing_day(void **state)
{
	struct respect_rules	r;
	struct respect_msg	m;

	(void)state;
	r = daily_rules();
	r.daily_cap = 0;
	m = auto_msg(APIA);
	expect_later(&r, &m, "2011-12-29T20:00-10:00", "2011-12-31T08:00+14:00",
	    "quiet hours", "quiet hours in Pacific/Apia (now Thu 20:00) "
	    "until Sat 2011-12-31 08:00");
	respect_rules_default(&r);
	expect_later(&r, &m, "2011-12-29T20:00-10:00", "2012-01-02T08:00+14:00",
	    "quiet hours", "quiet hours in Pacific/Apia (now Thu 20:00) "
	    "until Mon 2012-01-02 08:00");
}

/* A cap pushes into quiet hours, which push to the next morning. */
static void
test_fixed_point(void **state)
{
	static const char *const evening[] = { "2026-11-23T19:30Z", NULL };
	static const char *const friday[] = { "2026-11-27T19:30Z", NULL };
	static const char *const late[] = { "2026-11-23T18:30Z", NULL };
	static const char *const window[] = {
		"2026-10-31T20:00Z", "2026-11-10T10:00Z", "2026-11-20T10:00Z",
		NULL
	};
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	respect_rules_default(&r);
	m = auto_msg("UTC");
	m.sent = times;
	/* sent by hand Monday evening: the cap ends Tuesday 19:30 */
	m.nsent = times_of(times, evening);
	expect_later(&r, &m, "2026-11-24T09:00Z", "2026-11-25T08:00Z",
	    "quiet hours", "quiet hours in UTC (at Tue 19:30, after the "
	    "daily cap) until Wed 2026-11-25 08:00");
	/* ... and on Friday: Saturday 19:30, then Monday */
	m.nsent = times_of(times, friday);
	expect_later(&r, &m, "2026-11-28T10:00Z", "2026-11-30T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Sat 10:00) until "
	    "Mon 2026-11-30 08:00");
	expect_later(&r, &m, "2026-11-27T19:40Z", "2026-11-30T08:00Z",
	    "quiet hours", "quiet hours in UTC (now Fri 19:40) until "
	    "Mon 2026-11-30 08:00");
	/* Friday 12:00 is open; the cap's end, Friday 19:30, is not */
	times[0] = at("2026-11-26T19:30Z");
	expect_later(&r, &m, "2026-11-27T12:00Z", "2026-11-30T08:00Z",
	    "quiet hours", "quiet hours in UTC (at Fri 19:30, after the "
	    "daily cap) until Mon 2026-11-30 08:00");
	/* a cap that ends inside the hours is the answer itself */
	m.nsent = times_of(times, late);
	expect_later(&r, &m, "2026-11-23T18:40Z", "2026-11-24T18:30Z",
	    "daily cap", NULL);
	/* the window cap ends Monday 20:00: Tuesday morning */
	m.nsent = times_of(times, window);
	expect_later(&r, &m, "2026-11-23T09:00Z", "2026-12-01T08:00Z",
	    "quiet hours", "quiet hours in UTC (at Mon 20:00, after the "
	    "window cap) until Tue 2026-12-01 08:00");
}

/* The latest cap wins; ties go to daily, then window, then sender. */
static void
test_caps_combined(void **state)
{
	static const char *const sent[] = { "2026-11-23T08:00Z", NULL };
	static const char *const sender[] = { "2026-11-23T10:00Z", NULL };
	static const char *const late_sender[] = { "2026-11-27T10:00Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX], stimes[NSENT_MAX];

	(void)state;
	respect_rules_default(&r);
	r.sender_daily_cap = 1;
	m = auto_msg("UTC");
	m.sent = times;
	m.nsent = times_of(times, sent);
	m.sender_sent = stimes;
	m.nsender_sent = times_of(stimes, sender);
	expect_later(&r, &m, "2026-11-23T12:00Z", "2026-11-24T10:00Z",
	    "sender cap", "1 automated message from this sender in the "
	    "last 24 h (cap 1) until 2026-11-24 10:00 UTC");
	m.nsender_sent = times_of(stimes, late_sender);
	/* Friday's message holds the next to Saturday: Monday */
	expect_later(&r, &m, "2026-11-27T12:00Z", "2026-11-30T08:00Z",
	    "quiet hours", "quiet hours in UTC (at Sat 10:00, after the "
	    "sender cap) until Mon 2026-11-30 08:00");
	/* a tie between daily and window caps */
	r = open_rules();
	r.daily_cap = 1;
	r.window_cap = 1;
	r.window_days = 1;
	m.nsender_sent = 0;
	expect_later(&r, &m, "2026-11-23T12:00Z", "2026-11-24T08:00Z",
	    "daily cap", NULL);
	/* a longer window takes over */
	r.window_days = 2;
	expect_later(&r, &m, "2026-11-23T12:00Z", "2026-11-25T08:00Z",
	    "window cap", "1 message in the last 2 days to this person "
	    "(cap 1) until 2026-11-25 08:00 UTC");
}

/* Caps and quiet hours in a zone far from where the times were read. */
static void
test_fixed_point_tokyo(void **state)
{
	static const char *const early[] = { "2026-11-23T09:30Z", NULL };
	static const char *const late[] = { "2026-11-23T10:30Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	respect_rules_default(&r);
	m = auto_msg(TOKYO);
	m.sent = times;
	/* sent Monday 18:30 in Tokyo: Tuesday 18:30 is in the hours */
	m.nsent = times_of(times, early);
	expect_later(&r, &m, "2026-11-23T09:45Z", "2026-11-24T09:30Z",
	    "daily cap", "1 message in the last 24 h to this person (cap 1) "
	    "until 2026-11-24 18:30 Asia/Tokyo");
	/* sent Monday 19:30 there: Tuesday 19:30 is not, Wednesday 08:00 */
	m.nsent = times_of(times, late);
	m.automated = 0;
	expect_now(&r, &m, "2026-11-24T00:00Z");
	m.automated = 1;
	expect_later(&r, &m, "2026-11-24T00:00Z", "2026-11-24T23:00Z",
	    "quiet hours", "quiet hours in Asia/Tokyo (at Tue 19:30, after "
	    "the daily cap) until Wed 2026-11-25 08:00");
}

static void
test_bad_rules(void **state)
{
	static const int64_t	unsorted[] = { 1795424400, 1795420800 };
	struct respect_rules	r, ok;
	struct respect_msg	m;
	int64_t			now, bad[1];

	(void)state;
	now = at("2026-11-23T09:00Z");
	respect_rules_default(&ok);
	m = auto_msg("UTC");

	r = ok;
	r.daily_cap = -1;
	expect_invalid(&r, &m, now, "invalid respect rules: a cap is "
	    "negative");
	r = ok;
	r.window_cap = -1;
	expect_invalid(&r, &m, now, "invalid respect rules: a cap is "
	    "negative");
	r = ok;
	r.sender_daily_cap = -3;
	expect_invalid(&r, &m, now, "invalid respect rules: a cap is "
	    "negative");
	r = ok;
	r.window_days = 0;
	expect_invalid(&r, &m, now, "invalid respect rules: the window "
	    "cap's days are not positive");
	r.window_days = -30;
	expect_invalid(&r, &m, now, "invalid respect rules: the window "
	    "cap's days are not positive");
	r = ok;
	r.quiet_start = -1;
	expect_invalid(&r, &m, now, "invalid respect rules: quiet hours "
	    "outside the day");
	r = ok;
	r.quiet_end = 24 * 60 + 1;
	expect_invalid(&r, &m, now, "invalid respect rules: quiet hours "
	    "outside the day");
	r = ok;
	r.quiet_start = r.quiet_end;
	expect_invalid(&r, &m, now, "invalid respect rules: quiet hours "
	    "start at or after their end");
	r.quiet_start = 20 * 60;
	expect_invalid(&r, &m, now, "invalid respect rules: quiet hours "
	    "start at or after their end");
	r = ok;
	r.days = 0;
	expect_invalid(&r, &m, now, "invalid respect rules: no weekday "
	    "allowed, or an unknown one");
	r.days = 0x80 | RESPECT_WEEKDAYS;
	expect_invalid(&r, &m, now, "invalid respect rules: no weekday "
	    "allowed, or an unknown one");

	m.zone = "Mars/Olympus_Mons";
	expect_invalid(&ok, &m, now, "invalid respect rules: unknown time "
	    "zone 'Mars/Olympus_Mons'");
	/* a zone found valid before does not make a look-alike valid */
	m.zone = BERLIN;
	expect_now(&ok, &m, "2026-11-23T09:00Z");
	m.zone = "Europe/Berlinx";
	expect_invalid(&ok, &m, now, "invalid respect rules: unknown time "
	    "zone 'Europe/Berlinx'");
	m.zone = "Europe/Berli";
	expect_invalid(&ok, &m, now, "invalid respect rules: unknown time "
	    "zone 'Europe/Berli'");
	m.zone = "../etc/passwd";
	expect_invalid(&ok, &m, now, "invalid respect rules: unknown time "
	    "zone '../etc/passwd'");
	/* a bad user zone is reported even when the recipient has one */
	m.zone = TOKYO;
	m.user_zone = "Nowhere";
	expect_invalid(&ok, &m, now, "invalid respect rules: unknown time "
	    "zone 'Nowhere'");
	m = auto_msg("UTC");

	m.nsent = 1;
	expect_invalid(&ok, &m, now, "invalid respect rules: sent times "
	    "missing, out of range or not ascending");
	m.sent = unsorted;
	m.nsent = 2;
	expect_invalid(&ok, &m, now, "invalid respect rules: sent times "
	    "missing, out of range or not ascending");
	bad[0] = INT64_MAX;
	m.sent = bad;
	m.nsent = 1;
	expect_invalid(&ok, &m, now, "invalid respect rules: sent times "
	    "missing, out of range or not ascending");
	m = auto_msg("UTC");
	m.sender_sent = unsorted;
	m.nsender_sent = 2;
	expect_invalid(&ok, &m, now, "invalid respect rules: sender's sent "
	    "times missing, out of range or not ascending");
	m = auto_msg("UTC");
	expect_invalid(&ok, &m, WHEN_MAX + 1, "invalid respect rules: now "
	    "is out of range");
	expect_invalid(&ok, &m, WHEN_MIN - 1, "invalid respect rules: now "
	    "is out of range");

	/* bad rules are reported before the never-rules and by hand too */
	r = ok;
	r.days = 0;
	m.do_not_contact = 1;
	m.automated = 0;
	expect_invalid(&r, &m, now, "invalid respect rules: no weekday "
	    "allowed, or an unknown one");
}

/* Nothing allowed before the end of time representable. */
static void
test_end_of_time(void **state)
{
	static const char *const sent[] = { "9999-12-31T10:00Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	(void)state;
	respect_rules_default(&r);
	m = auto_msg("UTC");
	/* Friday 9999-12-31 19:00: the next Monday is past year 9999 */
	expect_invalid(&r, &m, at("9999-12-31T19:00Z"), "no instant allowed "
	    "by every rule before 10000-01-01");
	expect_now(&r, &m, "9999-12-31T18:59:59Z");
	r = open_rules();
	r.daily_cap = 1;
	m.sent = times;
	m.nsent = times_of(times, sent);
	expect_invalid(&r, &m, at("9999-12-31T12:00Z"), "no instant allowed "
	    "by every rule before 10000-01-01");
}

/*
 * Randomised: for many rules, zones, clocks and histories around DST
 * changes, not_before must be allowed by a brute-force reading of the
 * rules and nothing between now and it may be.  Allowance only changes
 * at a whole UTC minute (quiet hours and offsets are whole minutes) or
 * when a message leaves a window, so those are the instants checked.
 */
static uint64_t	rng = 0x9e3779b97f4a7c15u;

static uint64_t
rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static size_t
brute_count(const int64_t *times, size_t n, int64_t window, int64_t t)
{
	size_t	i, c = 0;

	for (i = 0; i < n; i++)
		if (t - times[i] < window)
			c++;
	return c;
}

static int
brute_allowed(const struct respect_rules *r, const struct respect_msg *m,
    const char *tz, int64_t t)
{
	struct when_tm	tm;
	int		sod;

	if (r->daily_cap > 0 && brute_count(m->sent, m->nsent, DAY, t) >=
	    (size_t)r->daily_cap)
		return 0;
	if (r->window_cap > 0 && brute_count(m->sent, m->nsent,
	    (int64_t)r->window_days * DAY, t) >= (size_t)r->window_cap)
		return 0;
	if (r->sender_daily_cap > 0 && brute_count(m->sender_sent,
	    m->nsender_sent, DAY, t) >= (size_t)r->sender_daily_cap)
		return 0;
	when_split(t, tz, &tm);
	sod = tm.hour * 3600 + tm.min * 60 + tm.sec;
	return (r->days >> tm.wday & 1u) != 0 &&
	    sod >= r->quiet_start * 60 && sod < r->quiet_end * 60;
}

static int
cmp_time(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_random_against_brute_force(void **state)
{
	static const char *const zones[] = {
		"UTC", BERLIN, NY, LA, AKL, TOKYO, KOLKATA, APIA,
		"Australia/Lord_Howe", "America/St_Johns"
	};
	static const char *const bases[] = {
		"2026-03-29T01:00Z", "2026-10-25T01:00Z", "2026-03-08T07:00Z",
		"2026-11-01T06:00Z", "2026-04-05T02:00+13:00",
		"2026-09-27T02:00+12:00", "2026-11-23T09:00Z",
		"2011-12-30T10:00Z", "2026-10-04T02:00+10:30"
	};
	struct respect_rules	r;
	struct respect_msg	m;
	struct respect_decision	d, again;
	int64_t			sent[8], ssent[8], now, t;
	size_t			i;
	int			iter, a, b;

	(void)state;
	for (iter = 0; iter < 2000; iter++) {
		respect_rules_default(&r);
		r.daily_cap = (int)rnd(3);
		r.window_cap = (int)rnd(4);
		r.window_days = 1 + (int)rnd(4);
		r.sender_daily_cap = (int)rnd(3);
		a = (int)rnd(24 * 60);
		b = (int)rnd(24 * 60);
		if (a == b)
			b = a + 1;
		r.quiet_start = a < b ? a : b;
		r.quiet_end = a < b ? b : a;
		r.days = 1 + (unsigned)rnd(RESPECT_ALL_DAYS);
		memset(&m, 0, sizeof m);
		m.automated = 1;
		m.zone = zones[rnd(sizeof zones / sizeof zones[0])];
		m.user_zone = "UTC";
		now = at(bases[rnd(sizeof bases / sizeof bases[0])]) +
		    (int64_t)rnd(4 * DAY) - 2 * DAY;
		m.nsent = (size_t)rnd(8);
		for (i = 0; i < m.nsent; i++)
			sent[i] = now - (int64_t)rnd(5 * DAY) + 600;
		qsort(sent, m.nsent, sizeof sent[0], cmp_time);
		m.sent = sent;
		m.nsender_sent = (size_t)rnd(8);
		for (i = 0; i < m.nsender_sent; i++)
			ssent[i] = now - (int64_t)rnd(DAY);
		qsort(ssent, m.nsender_sent, sizeof ssent[0], cmp_time);
		m.sender_sent = ssent;

		assert_int_equal(respect_check(&r, &m, now, &d), 0);
		assert_true(d.verdict != RESPECT_NEVER);
		assert_true(brute_allowed(&r, &m, m.zone, d.not_before));
		if (d.verdict == RESPECT_NOW) {
			assert_true(d.not_before == now);
			continue;
		}
		assert_true(d.not_before > now);
		assert_false(brute_allowed(&r, &m, m.zone, now));
		/* asked again on the way, the answer stays */
		t = now + (int64_t)rnd((uint64_t)(d.not_before - now));
		assert_int_equal(respect_check(&r, &m, t, &again), 0);
		assert_int_equal(again.verdict, RESPECT_LATER);
		assert_true(again.not_before == d.not_before);
		for (t = now - now % 60 + 60; t < d.not_before; t += 60)
			if (brute_allowed(&r, &m, m.zone, t))
				fail_msg("iter %d: %lld allowed before %lld "
				    "(%s)", iter, (long long)t,
				    (long long)d.not_before, d.reason);
		for (i = 0; i < m.nsent; i++) {
			t = sent[i] + DAY;
			if (t > now && t < d.not_before)
				assert_false(brute_allowed(&r, &m, m.zone,
				    t));
			t = sent[i] + (int64_t)r.window_days * DAY;
			if (t > now && t < d.not_before)
				assert_false(brute_allowed(&r, &m, m.zone,
				    t));
		}
		for (i = 0; i < m.nsender_sent; i++) {
			t = ssent[i] + DAY;
			if (t > now && t < d.not_before)
				assert_false(brute_allowed(&r, &m, m.zone,
				    t));
		}
	}
}

/*
 * Senders check in parallel: threads deciding at once over several zones
 * agree with the same decisions made one at a time.
 */
#define THREAD_N	4
#define THREAD_CASES	64

static const char *const thread_zones[] = {
	BERLIN, NY, AKL, TOKYO, KOLKATA, LA, APIA, "UTC"
};

static void
thread_case(int i, struct respect_decision *d)
{
	static const char *const sent[] = { "2026-11-20T10:00Z", NULL };
	struct respect_rules	r;
	struct respect_msg	m;
	int64_t			times[NSENT_MAX];

	respect_rules_default(&r);
	m = auto_msg(thread_zones[i % 8]);
	m.user_zone = thread_zones[(i / 8) % 8];
	m.sent = times;
	m.nsent = times_of(times, sent);
	if (respect_check(&r, &m, at("2026-11-23T00:00Z") + i * 3637,
	    d) != 0)
		d->verdict = -1;
}

static struct respect_decision	thread_want[THREAD_CASES];

static void *
thread_main(void *arg)
{
	struct respect_decision	d;
	int			i, round, *bad = arg;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < THREAD_CASES; i++) {
			thread_case(i, &d);
			if (d.verdict != thread_want[i].verdict ||
			    d.not_before != thread_want[i].not_before ||
			    strcmp(d.reason, thread_want[i].reason) != 0)
				(*bad)++;
		}
	}
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t	th[THREAD_N];
	int		bad[THREAD_N] = { 0 };
	int		i, later = 0;

	(void)state;
	for (i = 0; i < THREAD_CASES; i++) {
		thread_case(i, &thread_want[i]);
		assert_true(thread_want[i].verdict != (enum respect_verdict)-1);
		later += thread_want[i].verdict == RESPECT_LATER;
	}
	assert_true(later > 0 && later < THREAD_CASES);
	for (i = 0; i < THREAD_N; i++)
		assert_int_equal(pthread_create(&th[i], NULL, thread_main,
		    &bad[i]), 0);
	for (i = 0; i < THREAD_N; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(bad[i], 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_never),
		cmocka_unit_test(test_by_hand_never_delayed),
		cmocka_unit_test(test_by_hand_counts),
		cmocka_unit_test(test_daily_cap_edges),
		cmocka_unit_test(test_daily_cap_k),
		cmocka_unit_test(test_window_cap),
		cmocka_unit_test(test_window_cap_across_dst),
		cmocka_unit_test(test_sender_cap),
		cmocka_unit_test(test_sent_in_future),
		cmocka_unit_test(test_reason_seconds),
		cmocka_unit_test(test_quiet_edges),
		cmocka_unit_test(test_quiet_weekend),
		cmocka_unit_test(test_quiet_tokyo),
		cmocka_unit_test(test_quiet_far_zones),
		cmocka_unit_test(test_quiet_kolkata),
		cmocka_unit_test(test_quiet_midnight),
		cmocka_unit_test(test_dst_berlin_spring),
		cmocka_unit_test(test_dst_berlin_fall),
		cmocka_unit_test(test_dst_new_york),
		cmocka_unit_test(test_quiet_start_in_gap),
		cmocka_unit_test(test_quiet_window_in_gap),
		cmocka_unit_test(test_quiet_start_in_repeat),
		cmocka_unit_test(test_quiet_missing_day),
		cmocka_unit_test(test_fixed_point),
		cmocka_unit_test(test_caps_combined),
		cmocka_unit_test(test_fixed_point_tokyo),
		cmocka_unit_test(test_bad_rules),
		cmocka_unit_test(test_end_of_time),
		cmocka_unit_test(test_random_against_brute_force),
		cmocka_unit_test(test_threads),
	};

	/* The system's zone, for messages with no zone at all. */
	if (setenv("TZ", "UTC", 1) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
