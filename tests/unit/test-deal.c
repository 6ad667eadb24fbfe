/*
 * Unit tests for core/deal: the stage list and its setting, money typed
 * by people and printed back, the checks on a deal and its flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/deal.h"
#include "core/when.h"
#include "util/err.h"

#define DAY	86400

static int64_t
at(const char *iso)
{
	struct err	 e;
	int64_t		 t = 0;

	if (when_parse(iso, 0, "UTC", &t, &e) != 0)
		fail_msg("at(%s): %s", iso, e.msg);
	return t;
}

/* ---- stages ---- */

static void
stages_default(void **state)
{
	struct deal_stages	 st;
	struct err		 e;
	char			 buf[256];

	(void)state;
	assert_int_equal(deal_stages_parse(NULL, &st, &e), 0);
	assert_int_equal(st.n, 6);
	assert_string_equal(st.name[0], "inquiry");
	assert_string_equal(st.name[5], "lost");
	assert_string_equal(deal_stages_text(&st, buf, sizeof buf),
	    "inquiry, consult, proposal, contract, won or lost");
	assert_int_equal(deal_stage_index(&st, "proposal"), 2);
	assert_int_equal(deal_stage_index(&st, "Proposal"), 2);
	assert_int_equal(deal_stage_index(&st, "propos"), -1);
	assert_int_equal(deal_stage_index(&st, ""), -1);
	assert_int_equal(deal_stage_index(&st, NULL), -1);
}

static void
stages_closing(void **state)
{
	struct deal_stages	 st;

	(void)state;
	assert_int_equal(deal_stages_parse(NULL, &st, NULL), 0);
	assert_false(deal_stage_closes(&st, 0));
	assert_false(deal_stage_closes(&st, 3));
	assert_true(deal_stage_closes(&st, 4));
	assert_true(deal_stage_closes(&st, 5));
	assert_false(deal_stage_closes(&st, 6));	/* out of range */
	assert_int_equal(deal_stages_parse("lead,signed,dropped", &st, NULL),
	    0);
	assert_false(deal_stage_closes(&st, 0));
	assert_true(deal_stage_closes(&st, 1));
	assert_true(deal_stage_closes(&st, 2));
}

static void
stages_custom(void **state)
{
	struct deal_stages	 st;
	struct err		 e;
	char			 buf[256];

	(void)state;
	assert_int_equal(deal_stages_parse("lead,call-1,quote,won,lost", &st,
	    &e), 0);
	assert_int_equal(st.n, 5);
	assert_string_equal(st.name[1], "call-1");
	assert_string_equal(deal_stages_text(&st, buf, sizeof buf),
	    "lead, call-1, quote, won or lost");
	/* 20 stages is the most, 32 bytes the longest name */
	assert_int_equal(deal_stages_parse("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,"
	    "q,r,s,t", &st, &e), 0);
	assert_int_equal(st.n, 20);
	assert_int_equal(deal_stages_parse("abcdefghijabcdefghijabcdefghijab,"
	    "won,lost", &st, &e), 0);
	assert_int_equal(strlen(st.name[0]), 32);
}

static void
stages_bad(void **state)
{
	static const char *const bad[] = {
		"", "won,lost", "a,,b,c", ",a,b,c", "a,b,c,", "a,b,a",
		"Inquiry,won,lost", "in quiry,won,lost", "a,b,c\n",
		"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u",
		"abcdefghijabcdefghijabcdefghijabc,won,lost", "a;b;c",
		"caf\xc3\xa9,won,lost", NULL
	};
	struct deal_stages	 st;
	struct err		 e;
	size_t			 i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		memset(&e, 0, sizeof e);
		if (deal_stages_parse(bad[i], &st, &e) != TEND_EINVAL)
			fail_msg("accepted deal.stages '%s'", bad[i]);
		assert_int_equal(st.n, 0);
		assert_non_null(strstr(e.msg, "invalid deal.stages"));
	}
}

static void
stage_find(void **state)
{
	struct deal_stages	 st;
	struct err		 e;
	size_t			 idx = 99;

	(void)state;
	assert_int_equal(deal_stages_parse(NULL, &st, NULL), 0);
	assert_int_equal(deal_stage_find(&st, "won", &idx, &e), 0);
	assert_int_equal(idx, 4);
	idx = 99;
	assert_int_equal(deal_stage_find(&st, "closing", &idx, &e),
	    TEND_EINVAL);
	assert_int_equal(idx, 99);
	assert_string_equal(e.msg, "unknown stage 'closing' (expected "
	    "inquiry, consult, proposal, contract, won or lost)");
}

/* ---- money ---- */

static void
money_parse_good(void **state)
{
	static const struct {
		const char	*text;
		int64_t		 cents;
	} good[] = {
		{ "4500", 450000 },
		{ "4,500", 450000 },
		{ "4500.50", 450050 },
		{ "4500.5", 450050 },
		{ "4,500.05", 450005 },
		{ "0", 0 },
		{ "0.01", 1 },
		{ "  12 ", 1200 },
		{ "1,234,567", 123456700 },
		{ "999", 99900 },
		{ "007", 700 },
		{ "999,999,999,999.99", INT64_C(99999999999999) },
		{ "999999999999", INT64_C(99999999999900) },
		{ NULL, 0 }
	};
	struct err	e;
	int64_t		c;
	size_t		i;

	(void)state;
	for (i = 0; good[i].text != NULL; i++) {
		c = -1;
		if (deal_money_parse(good[i].text, &c, &e) != 0)
			fail_msg("'%s': %s", good[i].text, e.msg);
		if (c != good[i].cents)
			fail_msg("'%s': got %lld cents, want %lld",
			    good[i].text, (long long)c,
			    (long long)good[i].cents);
	}
}

static void
money_parse_bad(void **state)
{
	static const struct {
		const char	*text;
		const char	*why;
	} bad[] = {
		{ "-5", "must not be negative" },
		{ " -5", "must not be negative" },
		{ "abc", "expected an amount" },
		{ "1e9", "expected an amount" },
		{ "", "expected an amount" },
		{ "   ", "expected an amount" },
		{ "4500.", "expected an amount" },
		{ ".50", "expected an amount" },
		{ "4500.505", "at most two decimals" },
		{ "45,00", "expected an amount" },
		{ "4,5000", "expected an amount" },
		{ "1234,567", "expected an amount" },
		{ ",500", "expected an amount" },
		{ "4,,500", "expected an amount" },
		{ "4,500,", "expected an amount" },
		{ "4.500,00", "expected an amount" },
		{ "$4500", "expected an amount" },
		{ "4500 EUR", "expected an amount" },
		{ "+5", "expected an amount" },
		{ "0x10", "expected an amount" },
		{ "4 500", "expected an amount" },
		{ "1000000000000", "too large" },
		{ "99999999999999999999999999", "too large" },
		{ "1,000,000,000,000", "too large" },
		{ NULL, NULL }
	};
	struct err	e;
	int64_t		c;
	size_t		i;

	(void)state;
	for (i = 0; bad[i].text != NULL; i++) {
		c = 42;
		memset(&e, 0, sizeof e);
		if (deal_money_parse(bad[i].text, &c, &e) != TEND_EINVAL)
			fail_msg("accepted '%s' as %lld cents", bad[i].text,
			    (long long)c);
		assert_int_equal(c, 42);
		if (strstr(e.msg, bad[i].why) == NULL)
			fail_msg("'%s': message '%s' lacks '%s'", bad[i].text,
			    e.msg, bad[i].why);
	}
	deal_money_parse("-5", &c, &e);
	assert_string_equal(e.msg, "invalid value '-5': must not be negative");
}

static void
money_format(void **state)
{
	static const struct {
		int64_t		 cents;
		const char	*text;
	} cases[] = {
		{ 0, "0" },
		{ 1, "0.01" },
		{ 50, "0.50" },
		{ 99900, "999" },
		{ 100000, "1,000" },
		{ 450000, "4,500" },
		{ 450050, "4,500.50" },
		{ 123456789, "1,234,567.89" },
		{ INT64_C(99999999999999), "999,999,999,999.99" },
		{ -450000, "-4,500" },
		{ INT64_MIN, "-92,233,720,368,547,758.08" },
		{ INT64_MAX, "92,233,720,368,547,758.07" },
		{ 0, NULL }
	};
	char	buf[DEAL_MONEY_BUFSZ];
	size_t	i;

	(void)state;
	for (i = 0; cases[i].text != NULL; i++)
		assert_string_equal(deal_money_format(cases[i].cents, buf,
		    sizeof buf), cases[i].text);
	/* truncated, still terminated */
	assert_string_equal(deal_money_format(450000, buf, 4), "4,5");
}

static void
money_round_trip(void **state)
{
	char	buf[DEAL_MONEY_BUFSZ];
	int64_t	c, back;

	(void)state;
	for (c = 0; c < 2000000; c += 9973) {
		deal_money_format(c, buf, sizeof buf);
		if (deal_money_parse(buf, &back, NULL) != 0 || back != c)
			fail_msg("%lld -> '%s' -> %lld", (long long)c, buf,
			    (long long)back);
	}
}

/* ---- checks and flags ---- */

static void
check_fields(void **state)
{
	struct deal	d;
	struct err	e;
	char		long_title[300];

	(void)state;
	memset(&d, 0, sizeof d);
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	d.title = "";
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	d.title = "Website redesign";
	assert_int_equal(deal_check(&d, &e), 0);
	memset(long_title, 'x', sizeof long_title - 1);
	long_title[sizeof long_title - 1] = '\0';
	d.title = long_title;
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "title is too long"));
	d.title = "line\nbreak";
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "control character"));
	d.title = "bad \xff utf-8";
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	d.title = "ok";
	d.next_due = 1;
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "a due date needs a next step");
	d.next_step = "";
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	d.next_step = "call\001";
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	d.next_step = "send the proposal";
	assert_int_equal(deal_check(&d, &e), 0);
	d.has_value = 1;
	d.value_cents = -1;
	assert_int_equal(deal_check(&d, &e), TEND_EINVAL);
	d.value_cents = DEAL_VALUE_MAX;
	assert_int_equal(deal_check(&d, &e), 0);
}

static void
flags(void **state)
{
	struct deal	d;
	int64_t		now = at("2026-11-23T09:00");
	char		buf[DEAL_FLAG_BUFSZ];
	int		days = -1;

	(void)state;
	memset(&d, 0, sizeof d);
	d.title = "t";
	assert_int_equal(deal_flag(&d, now, "UTC", &days), DEAL_FLAG_NO_STEP);
	assert_int_equal(days, 0);
	assert_string_equal(deal_flag_text(DEAL_FLAG_NO_STEP, 0, buf,
	    sizeof buf), "NO NEXT STEP");
	assert_string_equal(deal_flag_name(DEAL_FLAG_NO_STEP),
	    "no-next-step");
	d.closed = 1;
	assert_int_equal(deal_flag(&d, now, "UTC", &days), DEAL_FLAG_NONE);
	d.closed = 0;
	d.next_step = "call";
	d.next_due = at("2026-11-20");
	assert_int_equal(deal_flag(&d, now, "UTC", &days), DEAL_FLAG_OVERDUE);
	assert_int_equal(days, 3);
	assert_string_equal(deal_flag_text(DEAL_FLAG_OVERDUE, days, buf,
	    sizeof buf), "OVERDUE 3d");
	assert_string_equal(deal_flag_name(DEAL_FLAG_OVERDUE), "overdue");
	/* due earlier today is not overdue yet: the agenda says "today" */
	d.next_due = at("2026-11-23T08:00");
	assert_int_equal(deal_flag(&d, now, "UTC", &days), DEAL_FLAG_NONE);
	d.next_due = now + DAY;
	assert_int_equal(deal_flag(&d, now, "UTC", &days), DEAL_FLAG_NONE);
	assert_int_equal(days, 0);
	assert_string_equal(deal_flag_text(DEAL_FLAG_NONE, 0, buf,
	    sizeof buf), "");
	assert_null(deal_flag_name(DEAL_FLAG_NONE));
	/* calendar days in the user's zone: 23:30 UTC is the next day here */
	d.next_due = at("2026-11-22T23:30");
	assert_int_equal(deal_flag(&d, at("2026-11-23T01:00"), "UTC", &days),
	    DEAL_FLAG_OVERDUE);
	assert_int_equal(days, 1);
	assert_int_equal(deal_flag(&d, at("2026-11-23T01:00"),
	    "Europe/Paris", &days), DEAL_FLAG_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stages_default),
		cmocka_unit_test(stages_closing),
		cmocka_unit_test(stages_custom),
		cmocka_unit_test(stages_bad),
		cmocka_unit_test(stage_find),
		cmocka_unit_test(money_parse_good),
		cmocka_unit_test(money_parse_bad),
		cmocka_unit_test(money_format),
		cmocka_unit_test(money_round_trip),
		cmocka_unit_test(check_fields),
		cmocka_unit_test(flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
