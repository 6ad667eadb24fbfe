/*
 * Unit tests for core/agenda: the order of categories, the score inside
 * each, the why line, and the dedupe of a deal that is both due and stuck.
 * now is 2026-11-23 09:00 UTC, a Monday.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/agenda.h"
#include "core/when.h"
#include "util/arena.h"
#include "util/err.h"

#define DAY	86400

static int64_t
at(const char *iso)
{
	struct err	e;
	int64_t		t = 0;

	assert_int_equal(when_parse(iso, 0, "UTC", &t, &e), 0);
	return t;
}

static struct agenda_opts
opts(void)
{
	struct agenda_opts	o;

	o.now = at("2026-11-23T09:00Z");
	o.tz = "UTC";
	o.stuck_days = 14;
	o.escalate = 0;
	return o;
}

static struct agenda_item
item(enum agenda_kind kind, int64_t id, const char *name, int64_t due)
{
	struct agenda_item	it;

	memset(&it, 0, sizeof it);
	it.kind = kind;
	it.id = id;
	it.contact_id = id;
	it.contact_name = name;
	it.contact_kind = "other";
	it.due = due;
	it.created = due;
	it.stage_since = due;
	return it;
}

static void
test_category_order(void **state)
{
	struct agenda_opts	 o = opts();
	struct agenda_item	 v[6];
	struct arena		*a = arena_new();
	size_t			 n;

	(void)state;
	v[0] = item(AGENDA_KEEP, 1, "Keep", at("2026-11-01"));
	v[0].cadence = "6w";
	v[1] = item(AGENDA_FOLLOWUP, 2, "Today", at("2026-11-23T15:00Z"));
	v[2] = item(AGENDA_DEAL_NOSTEP, 3, "NoStep", 0);
	v[2].deal_title = "Site";
	v[2].deal_stage = "proposal";
	v[2].stage_since = at("2026-11-20");
	v[3] = item(AGENDA_FOLLOWUP, 4, "Late", at("2026-11-20"));
	v[4] = item(AGENDA_INQUIRY, 5, "Lead", at("2026-11-23T08:00Z"));
	v[4].created = at("2026-11-23T08:00Z");
	v[5] = item(AGENDA_DEAL_STEP, 6, "Step", at("2026-11-22"));
	v[5].deal_title = "Retainer";
	v[5].deal_stage = "contract";
	v[5].reason = "send the contract";
	n = agenda_build(a, v, 6, &o);
	assert_int_equal(n, 6);
	assert_string_equal(v[0].contact_name, "Lead");
	assert_int_equal(v[0].cat, AGENDA_CAT_INQUIRY);
	/* overdue: Late (3 days) before Step (1 day) */
	assert_string_equal(v[1].contact_name, "Late");
	assert_int_equal(v[1].overdue_days, 3);
	assert_string_equal(v[2].contact_name, "Step");
	assert_int_equal(v[2].cat, AGENDA_CAT_OVERDUE);
	assert_string_equal(v[3].contact_name, "NoStep");
	assert_int_equal(v[3].cat, AGENDA_CAT_DEAL);
	assert_string_equal(v[4].contact_name, "Today");
	assert_int_equal(v[4].cat, AGENDA_CAT_TODAY);
	assert_int_equal(v[4].overdue_days, 0);
	assert_string_equal(v[5].contact_name, "Keep");
	assert_int_equal(v[5].cat, AGENDA_CAT_KEEP);
	assert_string_equal(v[5].kind_name, "keep-in-touch");
	/* scores fall strictly down the list */
	for (n = 1; n < 6; n++)
		assert_true(v[n - 1].score > v[n].score);
	arena_free(a);
}

static void
test_overdue_weighting(void **state)
{
	struct agenda_opts	 o = opts();
	struct agenda_item	 v[3];
	struct arena		*a = arena_new();

	(void)state;
	/* same lateness: a client outranks a friend outranks other */
	v[0] = item(AGENDA_FOLLOWUP, 1, "Other", at("2026-11-20"));
	v[1] = item(AGENDA_FOLLOWUP, 2, "Friend", at("2026-11-20"));
	v[1].contact_kind = "friend";
	v[2] = item(AGENDA_FOLLOWUP, 3, "Client", at("2026-11-20"));
	v[2].contact_kind = "client";
	agenda_build(a, v, 3, &o);
	assert_string_equal(v[0].contact_name, "Client");
	/* friend and other weigh the same: the lower id first */
	assert_string_equal(v[1].contact_name, "Other");
	assert_string_equal(v[2].contact_name, "Friend");

	/* a big deal one day late beats a small task two days late */
	v[0] = item(AGENDA_FOLLOWUP, 1, "Small", at("2026-11-21"));
	v[1] = item(AGENDA_DEAL_STEP, 2, "Big", at("2026-11-22"));
	v[1].deal_title = "Platform";
	v[1].deal_stage = "proposal";
	v[1].deal_value_cents = 5000000;	/* 50,000 */
	v[1].contact_kind = "prospect";
	v[1].reason = "call about the proposal";
	agenda_build(a, v, 2, &o);
	assert_string_equal(v[0].contact_name, "Big");
	assert_string_equal(v[1].contact_name, "Small");
	arena_free(a);
}

static void
test_inquiries_oldest_first(void **state)
{
	struct agenda_opts	 o = opts();
	struct agenda_item	 v[2];
	struct arena		*a = arena_new();

	(void)state;
	v[0] = item(AGENDA_INQUIRY, 1, "New", at("2026-11-24"));
	v[0].created = at("2026-11-23T08:30Z");
	v[1] = item(AGENDA_INQUIRY, 2, "Old", at("2026-11-24"));
	v[1].created = at("2026-11-22T17:00Z");
	agenda_build(a, v, 2, &o);
	assert_string_equal(v[0].contact_name, "Old");
	assert_string_equal(v[1].contact_name, "New");
	assert_non_null(strstr(v[0].why, "waiting 16 h for a first answer"));
	arena_free(a);
}

/* Past inquiry.escalate an inquiry is louder; a reply ranks with them. */
static void
test_inquiry_escalated_and_reply(void **state)
{
	struct agenda_opts	 o = opts();
	struct agenda_item	 v[3];
	struct arena		*a = arena_new();

	(void)state;
	o.escalate = 15 * 60;
	v[0] = item(AGENDA_FOLLOWUP, 1, "Task", at("2026-11-20"));
	v[1] = item(AGENDA_INQUIRY, 2, "Fresh", at("2026-11-23T08:55Z"));
	v[1].created = at("2026-11-23T08:55Z");
	v[2] = item(AGENDA_REPLY, 3, "Replier", at("2026-11-23T08:40Z"));
	v[2].created = at("2026-11-23T08:40Z");
	v[2].reason = "Reply to Replier: Re: prices";
	agenda_build(a, v, 3, &o);
	/* the reply has waited longer: first; the overdue task after both */
	assert_string_equal(v[0].contact_name, "Replier");
	assert_string_equal(v[0].kind_name, "reply");
	assert_string_equal(v[0].action, "Reply to Replier: Re: prices");
	assert_string_equal(v[0].why, "they replied; waiting 20 min for your "
	    "answer");
	assert_string_equal(v[1].contact_name, "Fresh");
	assert_string_equal(v[1].why, "waiting 5 min for a first answer");
	assert_string_equal(v[2].contact_name, "Task");
	o.now = at("2026-11-23T09:20Z");
	agenda_build(a, v, 3, &o);
	assert_string_equal(v[1].contact_name, "Fresh");
	assert_string_equal(v[1].action, "ANSWER NOW: their inquiry");
	assert_string_equal(v[1].why, "waiting 25 min, past your 15 min "
	    "promise");
	assert_string_equal(agenda_waited(a, 0, 59), "under a minute");
	assert_string_equal(agenda_waited(a, 0, 3600), "1 h");
	assert_string_equal(agenda_waited(a, 0, 3 * 3600 + 120), "3 h 2 min");
	assert_string_equal(agenda_waited(a, 0, 86400 + 5), "1 day");
	assert_string_equal(agenda_waited(a, 0, 5 * 86400), "5 days");
	arena_free(a);
}

static void
test_why_lines(void **state)
{
	struct agenda_opts	 o = opts();
	struct agenda_item	 v[2];
	struct arena		*a = arena_new();

	(void)state;
	v[0] = item(AGENDA_FOLLOWUP, 1, "Ann Lee", at("2026-11-20"));
	v[0].met_where = "BNI breakfast";
	v[0].met_on = at("2026-11-11");
	v[0].reason = "send the proposal";
	v[1] = item(AGENDA_KEEP, 2, "Bob", at("2026-11-20"));
	v[1].cadence = "6w";
	v[1].last_touch = at("2026-10-05");
	agenda_build(a, v, 2, &o);
	assert_string_equal(v[0].action, "send the proposal");
	assert_string_equal(v[0].why, "met at BNI breakfast 12 days ago; "
	    "3 days overdue; no contact logged yet");
	assert_string_equal(v[1].action, "Get in touch");
	assert_string_equal(v[1].why, "last contact 7 weeks ago; you keep in "
	    "touch every 6 weeks");
	arena_free(a);
}

static void
test_stuck_deal_shown_once(void **state)
{
	struct agenda_opts	 o = opts();
	struct agenda_item	 v[3];
	struct arena		*a = arena_new();
	size_t			 n;

	(void)state;
	v[0] = item(AGENDA_DEAL_STUCK, 7, "Dora", at("2026-10-01"));
	v[0].deal_title = "Audit";
	v[0].deal_stage = "consult";
	v[0].reason = "send the offer";
	v[1] = item(AGENDA_DEAL_STEP, 7, "Dora", at("2026-11-21"));
	v[1].deal_title = "Audit";
	v[1].deal_stage = "consult";
	v[1].reason = "send the offer";
	v[2] = item(AGENDA_DEAL_STUCK, 8, "Eve", at("2026-10-01"));
	v[2].deal_title = "Logo";
	v[2].deal_stage = "proposal";
	v[2].reason = "chase";
	n = agenda_build(a, v, 3, &o);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].kind, AGENDA_DEAL_STEP);
	assert_int_equal(v[0].id, 7);
	assert_int_equal(v[1].kind, AGENDA_DEAL_STUCK);
	assert_int_equal(v[1].id, 8);
	assert_non_null(strstr(v[1].why, "stuck in proposal for 53 days"));
	arena_free(a);
}

static void
test_user_zone_decides_today(void **state)
{
	struct agenda_opts	 o = opts();
	struct agenda_item	 v[1];
	struct arena		*a = arena_new();

	(void)state;
	/* now, 09:00 UTC, is 20:00 on the 23rd in Sydney; a task due at
	 * 12:00 UTC on the 22nd is 23:00 on the 22nd there: one day late
	 * in Sydney, though in UTC it is late by less than a day */
	o.tz = "Australia/Sydney";
	v[0] = item(AGENDA_FOLLOWUP, 1, "Syd", at("2026-11-22T12:00Z"));
	agenda_build(a, v, 1, &o);
	/* the 22nd 23:00 in Sydney: one day before the local 23rd */
	assert_int_equal(v[0].overdue_days, 1);
	assert_int_equal(v[0].cat, AGENDA_CAT_OVERDUE);
	arena_free(a);
}

static void
test_empty(void **state)
{
	struct agenda_opts	 o = opts();
	struct arena		*a = arena_new();

	(void)state;
	assert_int_equal(agenda_build(a, NULL, 0, &o), 0);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_category_order),
		cmocka_unit_test(test_overdue_weighting),
		cmocka_unit_test(test_inquiries_oldest_first),
		cmocka_unit_test(test_inquiry_escalated_and_reply),
		cmocka_unit_test(test_why_lines),
		cmocka_unit_test(test_stuck_deal_shown_once),
		cmocka_unit_test(test_user_zone_decides_today),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
