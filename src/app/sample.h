/*
 * A sample relationship network: contacts met at events and through
 * referrals, a year of interactions, follow-ups, cadences and deals in
 * every stage.  Written through the store API only, deterministic for a
 * seed and a clock, so `tend demo` and the benchmark data are
 * reproducible.
 */
#ifndef TEND_APP_SAMPLE_H
#define TEND_APP_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct store;

/*
 * Bumped whenever the same seed would give different data, or the schema
 * it is written into changes (2: follow-up indexes for the agenda).
 */
#define SAMPLE_VERSION		2
#define SAMPLE_MAX		10000000	/* contacts */
#define SAMPLE_BATCH		50000		/* contacts per transaction */

/* Called after each batch (or every SAMPLE_BATCH contacts when batch 0). */
typedef void (*sample_progress_fn)(size_t done, size_t total, void *arg);

struct sample_opts {
	size_t			 contacts;	/* 1 .. SAMPLE_MAX */
	uint64_t		 seed;
	int64_t			 now;		/* history ends here */
	const char		*tz;		/* the user's zone: "today" */
	/*
	 * Contacts per transaction: sample_generate() begins and commits
	 * its own every batch contacts, for large data sets.  0 writes
	 * everything inside the caller's transaction (one command).
	 */
	size_t			 batch;
	sample_progress_fn	 progress;	/* NULL: none */
	void			*progress_arg;
};

struct sample_stats {
	size_t		 contacts;
	size_t		 by_kind[5];	/* prospect, client, friend, ... */
	size_t		 events;	/* contacts met at an event */
	size_t		 referrals;	/* contacts introduced by another */
	size_t		 emails;
	size_t		 phones;
	size_t		 interactions;
	size_t		 followups;	/* all, inquiries included */
	size_t		 followups_open;	/* open or snoozed tasks */
	size_t		 followups_overdue;	/* of which due before today */
	size_t		 followups_today;	/* of which due today */
	size_t		 inquiries_open;
	size_t		 cadences;
	size_t		 deals;
	size_t		 deals_open;
	int64_t		 showcase_id;	/* a contact with a rich history */
};

/*
 * Add o->contacts sample contacts with their history to the store.  The
 * same seed, now, tz and count give the same rows (ids aside: they follow
 * what the store already holds).  E-mail addresses are
 * first.last.N@example.com and the like, so they collide with nothing in
 * a database without sample contacts; a collision is TEND_ECONFLICT.
 *
 * With o->batch 0 nothing is committed: the caller's transaction holds
 * everything, and a failure leaves it to the caller to roll back.  With
 * o->batch > 0 no transaction may be open; batches already committed
 * stay when a later one fails (that one is rolled back).
 *
 * Returns 0 or TEND_EINVAL (bad options), or the store's error; *stats
 * (optional) counts what was written.
 */
int	sample_generate(struct store *, const struct sample_opts *,
	    struct sample_stats *, struct err *);

#endif
