/*
 * Unit tests for core/outbox: the retry schedule (RFC 5321 4.5.4.1: back
 * off, give up after 4-5 days) and the list of states.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/outbox.h"

#define MIN	60
#define HOUR	3600

static void
test_backoff_grows(void **state)
{
	int64_t	t0 = 1795424400;

	(void)state;
	assert_int_equal(outbox_backoff(1, t0, t0), 5 * MIN);
	assert_int_equal(outbox_backoff(2, t0, t0), 10 * MIN);
	assert_int_equal(outbox_backoff(3, t0, t0), 20 * MIN);
	assert_int_equal(outbox_backoff(4, t0, t0), 40 * MIN);
	assert_int_equal(outbox_backoff(5, t0, t0), 80 * MIN);
	assert_int_equal(outbox_backoff(6, t0, t0), 160 * MIN);
	/* at most four hours, however many tries */
	assert_int_equal(outbox_backoff(7, t0, t0), 4 * HOUR);
	assert_int_equal(outbox_backoff(100, t0, t0), 4 * HOUR);
	assert_int_equal(outbox_backoff(1000000, t0, t0), 4 * HOUR);
	/* 0 and negative attempts are the first wait */
	assert_int_equal(outbox_backoff(0, t0, t0), 5 * MIN);
}

static void
test_backoff_gives_up(void **state)
{
	int64_t	t0 = 1795424400;

	(void)state;
	/* the next try would still be inside 4.5 days: wait */
	assert_int_equal(outbox_backoff(30, t0, t0 + OUTBOX_GIVE_UP -
	    4 * HOUR), 4 * HOUR);
	/* one second later it would land past the end: give up */
	assert_int_equal(outbox_backoff(30, t0, t0 + OUTBOX_GIVE_UP -
	    4 * HOUR + 1), 0);
	assert_int_equal(outbox_backoff(1, t0, t0 + OUTBOX_GIVE_UP), 0);
	assert_int_equal(OUTBOX_GIVE_UP, 4 * 86400 + 12 * HOUR);
}

static void
test_states(void **state)
{
	const char *const	want[] = { "queued", "sending", "sent",
	    "deferred", "failed", "cancelled" };
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(outbox_states[i], want[i]);
	assert_null(outbox_states[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_grows),
		cmocka_unit_test(test_backoff_gives_up),
		cmocka_unit_test(test_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
