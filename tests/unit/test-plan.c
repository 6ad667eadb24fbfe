/*
 * Unit tests for core/plan: slack, the allowed range, levelling (its
 * promises: nothing new goes over capacity, slack and the window are
 * respected, the result is deterministic and stable) and histogram bars.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/plan.h"

#define MAXN	512

/* An item on day with slack either side of due, clipped to ndays. */
static struct plan_item
item(int day, int due, int slack, int ndays)
{
	struct plan_item	it;

	it.day = day;
	plan_range(due, slack, ndays, &it.lo, &it.hi);
	return it;
}

/* The load of each day: fixed plus the items on it. */
static void
loads(const int *fixed, int ndays, const struct plan_item *items, size_t n,
    int *out)
{
	size_t	i;
	int	d;

	for (d = 0; d < ndays; d++)
		out[d] = fixed[d];
	for (i = 0; i < n; i++)
		if (items[i].day >= 0 && items[i].day < ndays)
			out[items[i].day]++;
}

/*
 * Level and check every promise: returns the number moved.  before and
 * after may be NULL.
 */
static size_t
level_checked(const int *fixed, int ndays, int cap, struct plan_item *items,
    size_t n)
{
	struct plan_item	orig[MAXN];
	int			before[PLAN_DAYS_MAX], after[PLAN_DAYS_MAX];
	size_t			i, moved, changed = 0;
	int			d;

	assert_true(n <= MAXN);
	assert_true(ndays <= PLAN_DAYS_MAX);
	memcpy(orig, items, n * sizeof *items);
	loads(fixed, ndays, items, n, before);
	moved = plan_level(fixed, ndays, cap, items, n);
	loads(fixed, ndays, items, n, after);
	for (d = 0; d < ndays; d++) {
		if (before[d] <= cap)
			assert_true(after[d] <= cap);
		else
			assert_true(after[d] <= before[d]);
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(items[i].lo, orig[i].lo);
		assert_int_equal(items[i].hi, orig[i].hi);
		if (items[i].day == orig[i].day)
			continue;
		changed++;
		/* only items of overloaded days move, into their range */
		assert_true(before[orig[i].day] > cap);
		assert_in_range(items[i].day, items[i].lo, items[i].hi);
		assert_in_range(items[i].day, 0, ndays - 1);
	}
	assert_int_equal(changed, moved);
	return moved;
}

static void
test_slack(void **state)
{
	(void)state;
	assert_int_equal(plan_slack(0), 1);
	assert_int_equal(plan_slack(-5), 1);
	assert_int_equal(plan_slack(1), 1);
	assert_int_equal(plan_slack(7), 1);
	assert_int_equal(plan_slack(13), 1);
	assert_int_equal(plan_slack(14), 2);
	assert_int_equal(plan_slack(42), 6);
	assert_int_equal(plan_slack(91), 13);
	assert_int_equal(plan_slack(365), 52);
}

static void
test_range(void **state)
{
	int	lo, hi;

	(void)state;
	plan_range(5, 2, 14, &lo, &hi);
	assert_int_equal(lo, 3);
	assert_int_equal(hi, 7);
	/* never before today */
	plan_range(1, 3, 14, &lo, &hi);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 4);
	/* never past the window */
	plan_range(12, 3, 14, &lo, &hi);
	assert_int_equal(lo, 9);
	assert_int_equal(hi, 13);
	/* overdue by less than the slack: may still move a little later */
	plan_range(-2, 6, 14, &lo, &hi);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 4);
	/* overdue by more than the slack: nowhere to go */
	plan_range(-10, 2, 14, &lo, &hi);
	assert_true(lo > hi);
	/* due past the window, reaching back into it */
	plan_range(15, 3, 14, &lo, &hi);
	assert_int_equal(lo, 12);
	assert_int_equal(hi, 13);
	/* zero and negative slack: only its own day */
	plan_range(4, 0, 14, &lo, &hi);
	assert_int_equal(lo, 4);
	assert_int_equal(hi, 4);
	plan_range(4, -3, 14, &lo, &hi);
	assert_int_equal(lo, 4);
	assert_int_equal(hi, 4);
	/* extremes do not overflow */
	plan_range(-2147483647 - 1, 2147483647, 366, &lo, &hi);
	assert_true(lo > hi);
	plan_range(2147483647, 2147483647, 366, &lo, &hi);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 365);
}

static void
test_nothing_over(void **state)
{
	int			fixed[7] = { 3, 0, 2, 0, 0, 1, 0 };
	struct plan_item	items[4];

	(void)state;
	items[0] = item(0, 0, 3, 7);
	items[1] = item(0, 0, 3, 7);
	items[2] = item(2, 2, 3, 7);
	items[3] = item(4, 4, 3, 7);
	/* day 0 at exactly capacity is not over */
	assert_int_equal(level_checked(fixed, 7, 5, items, 4), 0);
	assert_int_equal(items[0].day, 0);
	assert_int_equal(items[1].day, 0);
	assert_int_equal(items[2].day, 2);
	assert_int_equal(items[3].day, 4);
}

static void
test_empty(void **state)
{
	int			fixed[3] = { 9, 9, 9 };
	struct plan_item	it;

	(void)state;
	assert_int_equal(plan_level(fixed, 3, 5, NULL, 0), 0);
	assert_int_equal(plan_level(fixed, 0, 5, NULL, 0), 0);
	it = item(1, 1, 1, 3);
	assert_int_equal(plan_level(fixed, 0, 5, &it, 1), 0);
	assert_int_equal(it.day, 1);
}

static void
test_spill_to_neighbours(void **state)
{
	int			fixed[7] = { 0, 2, 0, 4, 0, 3, 0 };
	struct plan_item	items[6];
	size_t			i;

	(void)state;
	/* day 3: 4 fixed + 6 keep = 10 against 5; slack 1 */
	for (i = 0; i < 6; i++)
		items[i] = item(3, 3, 1, 7);
	assert_int_equal(level_checked(fixed, 7, 5, items, 6), 5);
	/* later first: day 4 takes 5, then day 3 is at capacity */
	assert_int_equal(items[0].day, 4);
	assert_int_equal(items[1].day, 4);
	assert_int_equal(items[2].day, 4);
	assert_int_equal(items[3].day, 4);
	assert_int_equal(items[4].day, 4);
	assert_int_equal(items[5].day, 3);
}

static void
test_spill_both_sides(void **state)
{
	int			fixed[7] = { 0, 3, 4, 4, 3, 0, 0 };
	struct plan_item	items[5];
	size_t			i;

	(void)state;
	/* day 2 holds 4 + 5 = 9; days 1 and 3 have 2 and 1 spare */
	for (i = 0; i < 5; i++)
		items[i] = item(2, 2, 1, 7);
	assert_int_equal(level_checked(fixed, 7, 5, items, 5), 3);
	assert_int_equal(items[0].day, 3);
	assert_int_equal(items[1].day, 1);
	assert_int_equal(items[2].day, 1);
	assert_int_equal(items[3].day, 2);
	assert_int_equal(items[4].day, 2);
}

static void
test_nearest_first(void **state)
{
	int			fixed[9] = { 5, 5, 5, 5, 5, 0, 5, 5, 0 };
	struct plan_item	items[2];

	(void)state;
	/* capacity 6: day 4 over by 1; days 3 and 5 (1 away) have room
	 * as do 0 and 8: the nearest wins, and of those the later */
	items[0] = item(4, 4, 4, 9);
	items[1] = item(4, 4, 4, 9);
	assert_int_equal(level_checked(fixed, 9, 6, items, 2), 1);
	assert_int_equal(items[0].day, 5);
	assert_int_equal(items[1].day, 4);
	/* capacity 5: day 4 over by 2 and only days 5 and 8 have room */
	items[0] = item(4, 4, 4, 9);
	items[1] = item(4, 4, 4, 9);
	assert_int_equal(level_checked(fixed, 9, 5, items, 2), 2);
	assert_int_equal(items[0].day, 5);
	assert_int_equal(items[1].day, 5);
}

static void
test_far_day(void **state)
{
	int			fixed[9] = { 5, 5, 5, 5, 5, 5, 5, 5, 4 };
	struct plan_item	items[2];

	(void)state;
	/* the only room is day 8, four days away, within slack 4 */
	items[0] = item(4, 4, 4, 9);
	items[1] = item(4, 4, 4, 9);
	assert_int_equal(level_checked(fixed, 9, 5, items, 2), 1);
	assert_int_equal(items[0].day, 8);
	assert_int_equal(items[1].day, 4);
	/* slack 3 does not reach it */
	items[0] = item(4, 4, 3, 9);
	items[1] = item(4, 4, 3, 9);
	assert_int_equal(level_checked(fixed, 9, 5, items, 2), 0);
}

static void
test_zero_slack(void **state)
{
	int			fixed[5] = { 0, 0, 9, 0, 0 };
	struct plan_item	items[3];
	size_t			i;

	(void)state;
	for (i = 0; i < 3; i++)
		items[i] = item(2, 2, 0, 5);
	assert_int_equal(level_checked(fixed, 5, 5, items, 3), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(items[i].day, 2);
}

static void
test_empty_range_stays(void **state)
{
	int			fixed[5] = { 9, 0, 0, 0, 0 };
	struct plan_item	items[2];

	(void)state;
	/* overdue by more than the slack: stays today */
	items[0] = item(0, -10, 2, 5);
	assert_true(items[0].lo > items[0].hi);
	/* an item already off its range can still not leave it */
	items[1].day = 0;
	items[1].lo = 3;
	items[1].hi = 2;
	assert_int_equal(level_checked(fixed, 5, 5, items, 2), 0);
	assert_int_equal(items[0].day, 0);
	assert_int_equal(items[1].day, 0);
}

static void
test_never_before_today(void **state)
{
	int			fixed[5] = { 0, 9, 0, 0, 0 };
	struct plan_item	items[4];
	size_t			i;

	(void)state;
	/* day 1 over; slack 3 reaches back to day -2, clipped to 0 */
	for (i = 0; i < 4; i++)
		items[i] = item(1, 1, 3, 5);
	assert_int_equal(items[0].lo, 0);
	/* capacity 10: day 1 holds 13, 3 must go: to day 2 (later first) */
	assert_int_equal(level_checked(fixed, 5, 10, items, 4), 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(items[i].day, 2);
	assert_int_equal(items[3].day, 1);

	/* overdue items on today move later only, within the slack */
	fixed[1] = 5;
	fixed[0] = 5;
	items[0] = item(0, -1, 2, 5);	/* may go to day 0 or 1 */
	items[1] = item(0, -1, 2, 5);
	assert_int_equal(items[0].hi, 1);
	assert_int_equal(level_checked(fixed, 5, 6, items, 2), 1);
	assert_int_equal(items[0].day, 1);
	assert_int_equal(items[1].day, 0);
}

static void
test_window_edges(void **state)
{
	int			fixed[4] = { 0, 0, 0, 9 };
	struct plan_item	items[3];
	size_t			i;

	(void)state;
	/* the last day spills only backwards */
	for (i = 0; i < 3; i++)
		items[i] = item(3, 3, 2, 4);
	assert_int_equal(items[0].hi, 3);
	assert_int_equal(level_checked(fixed, 4, 10, items, 3), 2);
	assert_int_equal(items[0].day, 2);
	assert_int_equal(items[1].day, 2);
	assert_int_equal(items[2].day, 3);
}

static void
test_outside_window_ignored(void **state)
{
	int			fixed[3] = { 0, 6, 0 };
	struct plan_item	items[3];

	(void)state;
	items[0].day = -1;
	items[0].lo = 0;
	items[0].hi = 2;
	items[1].day = 3;
	items[1].lo = 0;
	items[1].hi = 2;
	items[2] = item(1, 1, 1, 3);
	assert_int_equal(level_checked(fixed, 3, 5, items, 3), 1);
	assert_int_equal(items[0].day, -1);
	assert_int_equal(items[1].day, 3);
	assert_int_equal(items[2].day, 2);
}

static void
test_all_full_stays(void **state)
{
	int			fixed[7] = { 5, 5, 5, 5, 5, 5, 5 };
	struct plan_item	items[10];
	size_t			i;

	(void)state;
	for (i = 0; i < 10; i++)
		items[i] = item((int)(i % 7), (int)(i % 7), 52, 7);
	assert_int_equal(level_checked(fixed, 7, 5, items, 10), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(items[i].day, (int)(i % 7));
}

static void
test_fixed_over_only(void **state)
{
	int			fixed[3] = { 0, 8, 0 };
	struct plan_item	items[1];

	(void)state;
	/* follow-ups never move: a day over on them alone stays over */
	items[0] = item(0, 0, 1, 3);
	assert_int_equal(level_checked(fixed, 3, 5, items, 1), 0);
	assert_int_equal(items[0].day, 0);
}

static void
test_ties_deterministic(void **state)
{
	int			fixed[5] = { 0, 4, 6, 4, 0 };
	struct plan_item	a[3], b[3];
	size_t			i;

	(void)state;
	/* days 1 and 3 each have one spare: later first, then earlier */
	for (i = 0; i < 3; i++)
		a[i] = item(2, 2, 1, 5);
	memcpy(b, a, sizeof a);
	assert_int_equal(level_checked(fixed, 5, 5, a, 3), 2);
	assert_int_equal(a[0].day, 3);
	assert_int_equal(a[1].day, 1);
	assert_int_equal(a[2].day, 2);
	/* the same input gives the same output */
	assert_int_equal(plan_level(fixed, 5, 5, b, 3), 2);
	assert_memory_equal(a, b, sizeof a);
}

static void
test_least_flexible_first(void **state)
{
	int			fixed[6] = { 0, 5, 4, 5, 4, 5 };
	struct plan_item	items[2];

	(void)state;
	/*
	 * Day 3 over by 2; days 2 and 4 have one spare each.  Item 0 may go
	 * anywhere from 1 to 5, item 1 only to 4: item 1 takes day 4 even
	 * though it comes second, and item 0 takes day 2.
	 */
	fixed[3] = 5;
	items[0] = item(3, 3, 2, 6);
	items[1].day = 3;
	items[1].lo = 3;
	items[1].hi = 4;
	assert_int_equal(level_checked(fixed, 6, 5, items, 2), 2);
	assert_int_equal(items[1].day, 4);
	assert_int_equal(items[0].day, 2);
}

static void
test_days_in_order(void **state)
{
	int			fixed[3] = { 5, 4, 5 };
	struct plan_item	items[2];

	(void)state;
	/* days 0 and 2 both over by 1 and want day 1: today goes first */
	fixed[0] = 5;
	fixed[2] = 5;
	items[0] = item(2, 2, 1, 3);
	items[1] = item(0, 0, 1, 3);
	assert_int_equal(level_checked(fixed, 3, 5, items, 2), 1);
	assert_int_equal(items[1].day, 1);
	assert_int_equal(items[0].day, 2);
}

static void
test_does_not_overfill(void **state)
{
	int			fixed[3] = { 0, 20, 4 };
	struct plan_item	items[10];
	size_t			i;
	int			after[3];

	(void)state;
	for (i = 0; i < 10; i++)
		items[i] = item(1, 1, 1, 3);
	/* day 2 has one spare, day 0 five */
	assert_int_equal(level_checked(fixed, 3, 5, items, 10), 6);
	loads(fixed, 3, items, 10, after);
	assert_int_equal(after[0], 5);
	assert_int_equal(after[1], 24);
	assert_int_equal(after[2], 5);
}

static void
test_level_twice_is_stable(void **state)
{
	int			fixed[10] = { 2, 7, 0, 3, 9, 1, 0, 4, 6, 2 };
	struct plan_item	items[40], again[40];
	size_t			i;

	(void)state;
	for (i = 0; i < 40; i++)
		items[i] = item((int)(i * 7 % 10), (int)(i * 7 % 10),
		    (int)(i % 4), 10);
	level_checked(fixed, 10, 6, items, 40);
	memcpy(again, items, sizeof items);
	assert_int_equal(level_checked(fixed, 10, 6, again, 40), 0);
	assert_memory_equal(items, again, sizeof items);
}

/* A small deterministic generator, so failures reproduce. */
static uint32_t
rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static void
test_random_promises(void **state)
{
	struct plan_item	items[MAXN], copy[MAXN];
	int			fixed[PLAN_DAYS_MAX];
	uint32_t		seed = 42;
	size_t			n, i;
	int			round, ndays, cap, d, due;

	(void)state;
	for (round = 0; round < 300; round++) {
		ndays = 1 + (int)(rnd(&seed) % 40);
		cap = 1 + (int)(rnd(&seed) % 8);
		n = rnd(&seed) % MAXN;
		for (d = 0; d < ndays; d++)
			fixed[d] = (int)(rnd(&seed) % (unsigned)(cap + 3));
		for (i = 0; i < n; i++) {
			due = (int)(rnd(&seed) % (unsigned)(ndays + 6)) - 3;
			items[i] = item(due < 0 ? 0 : (due >= ndays ?
			    ndays - 1 : due), due, (int)(rnd(&seed) % 6),
			    ndays);
		}
		memcpy(copy, items, n * sizeof *items);
		level_checked(fixed, ndays, cap, items, n);
		/* deterministic, and levelling its output moves nothing */
		plan_level(fixed, ndays, cap, copy, n);
		assert_memory_equal(items, copy, n * sizeof *items);
		assert_int_equal(level_checked(fixed, ndays, cap, copy, n), 0);
	}
}

static void
test_year_window(void **state)
{
	static int		fixed[PLAN_DAYS_MAX];
	static struct plan_item	items[MAXN];
	size_t			i;

	(void)state;
	/* 512 items on one day of a full year, capacity 2: each day of
	 * the slack (52 either side) takes two */
	for (i = 0; i < MAXN; i++)
		items[i] = item(180, 180, 52, PLAN_DAYS_MAX);
	assert_int_equal(level_checked(fixed, PLAN_DAYS_MAX, 2, items, MAXN),
	    2 * 105 - 2);
	assert_int_equal(items[0].lo, 128);
	assert_int_equal(items[0].hi, 232);
}

static void
check_bar(int f, int k, int max, int width, int wf, int wk)
{
	int	nf, nk;

	plan_bar(f, k, max, width, &nf, &nk);
	if (nf != wf || nk != wk)
		fail_msg("plan_bar(%d, %d, %d, %d) = %d, %d; want %d, %d", f,
		    k, max, width, nf, nk, wf, wk);
}

static void
test_bar(void **state)
{
	int	f, k, max, nf, nk;

	(void)state;
	/* fits: one column per item */
	check_bar(0, 0, 0, 40, 0, 0);
	check_bar(3, 2, 10, 40, 3, 2);
	check_bar(40, 0, 40, 40, 40, 0);
	check_bar(0, 7, 40, 40, 0, 7);
	/* scaled to the busiest day */
	check_bar(80, 0, 80, 40, 40, 0);
	check_bar(40, 40, 80, 40, 20, 20);
	check_bar(10, 0, 80, 40, 5, 0);
	check_bar(0, 10, 80, 40, 0, 5);
	check_bar(60, 20, 80, 40, 30, 10);
	/* a non-zero part shows at least one column */
	check_bar(1, 0, 1000, 40, 1, 0);
	check_bar(0, 1, 1000, 40, 0, 1);
	check_bar(1, 1, 1000, 40, 1, 1);
	check_bar(999, 1, 1000, 40, 39, 1);
	check_bar(1, 999, 1000, 40, 1, 39);
	/* a max below the day's own total is raised to it */
	check_bar(50, 50, 10, 40, 20, 20);
	/* negative counts read as zero */
	check_bar(-3, 2, 10, 40, 0, 2);
	/* never wider than width, never empty when something is due */
	for (max = 1; max < 300; max += 7)
		for (f = 0; f <= max; f += 3)
			for (k = 0; f + k <= max; k += 5) {
				plan_bar(f, k, max, 40, &nf, &nk);
				assert_true(nf + nk <= 40 || max <= 40);
				assert_true(nf >= 0 && nk >= 0);
				assert_true((f > 0) == (nf > 0));
				assert_true((k > 0) == (nk > 0));
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slack),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_nothing_over),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_spill_to_neighbours),
		cmocka_unit_test(test_spill_both_sides),
		cmocka_unit_test(test_nearest_first),
		cmocka_unit_test(test_far_day),
		cmocka_unit_test(test_zero_slack),
		cmocka_unit_test(test_empty_range_stays),
		cmocka_unit_test(test_never_before_today),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_outside_window_ignored),
		cmocka_unit_test(test_all_full_stays),
		cmocka_unit_test(test_fixed_over_only),
		cmocka_unit_test(test_ties_deterministic),
		cmocka_unit_test(test_least_flexible_first),
		cmocka_unit_test(test_days_in_order),
		cmocka_unit_test(test_does_not_overfill),
		cmocka_unit_test(test_level_twice_is_stable),
		cmocka_unit_test(test_random_promises),
		cmocka_unit_test(test_year_window),
		cmocka_unit_test(test_bar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
