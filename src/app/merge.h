/*
 * Merging two contacts by hand (`tend merge A B`).
 */
#ifndef TEND_APP_MERGE_H
#define TEND_APP_MERGE_H

#include <stdint.h>

#include "util/err.h"

struct store;

/*
 * Fold contact gone into keep: fields and lists are united (keep's
 * values win; notes and needs are joined), interactions, follow-ups,
 * deals, referrals and a cadence move to keep, and gone is deleted.
 * Inside the caller's transaction.
 */
int	merge_contacts(struct store *, int64_t keep, int64_t gone,
	    int64_t now, const char *tz, struct err *);

#endif
