/*
 * The plan: how the next days load against the daily capacity, and
 * levelling, which spreads keep-in-touch items from overloaded days to
 * lighter ones within their slack.  Pure: the caller turns dates into
 * day indexes (0 is today) and hands over plain counts.
 */
#ifndef TEND_PLAN_H
#define TEND_PLAN_H

#include <stddef.h>

#define PLAN_DAYS_MAX	366

/* A keep-in-touch item levelling may move. */
struct plan_item {
	int	day;	/* its day now; plan_level() writes the new one */
	int	lo;	/* the earliest day it may move to */
	int	hi;	/* the latest; lo > hi: it may not move */
};

/*
 * How many days a keep-in-touch item may move either side of its
 * cadence due: a seventh of the cadence, at least one day (6w -> 6,
 * 1w -> 1, 3m -> 13).  cadence_days is cadence_days()'s result.
 */
int	plan_slack(int cadence_days);

/*
 * The days an item due on day due (negative: overdue) may move to with
 * the given slack, clipped to the window [0, ndays): *lo > *hi when
 * none is left (an item overdue by more than its slack).
 */
void	plan_range(int due, int slack, int ndays, int *lo, int *hi);

/*
 * Level the load: fixed[d] counts what cannot move on day d (follow-ups,
 * deal steps), items the keep-in-touch items, each counted on its day.
 * While a day holds more than capacity, move its items, one at a time,
 * to the nearest day within their [lo, hi] that is under capacity,
 * trying the later day first at equal distance; for each target day the
 * least flexible item (smallest hi - lo) goes first, then the first in
 * the order given.  Days are relieved in order, today first.
 *
 * A day is only filled up to capacity, so no day goes over that was not
 * over already, and over days only get lighter.  Items whose day is
 * outside [0, ndays) are left alone and not counted.  The result depends
 * on nothing but the arguments; levelling its own output moves nothing.
 * Returns how many items moved.
 */
size_t	plan_level(const int *fixed, int ndays, int capacity,
	    struct plan_item *items, size_t n);

/*
 * The bar of one day in a histogram at most width columns wide (width
 * >= 2), where max is the largest total of any day: one column per item
 * while max fits in width, else scaled, a non-zero part never below one
 * column.  *nfixed columns for followups ('#'), *nkeep for keep ('+').
 */
void	plan_bar(int followups, int keep, int max, int width, int *nfixed,
	    int *nkeep);

#endif
