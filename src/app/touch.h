/*
 * Use cases shared by every front end (CLI now, web and mail later): each
 * is a few store calls plus the pure rules of src/core, inside the
 * caller's transaction.
 */
#ifndef TEND_APP_TOUCH_H
#define TEND_APP_TOUCH_H

#include <stdint.h>

#include "core/interaction.h"
#include "util/err.h"

struct store;

/*
 * Record an interaction and reset the contact's keep-in-touch clock from
 * its new last touch (any interaction counts, in or out).  An outgoing
 * touch also answers the contact's open inquiries.
 */
int	app_log(struct store *, struct interaction *, const char *tz,
	    struct err *);

/*
 * Set a contact's cadence (spec NULL or "never" removes it) and compute
 * its next due from the last touch, else the day you met, else now.
 */
int	app_cadence_set(struct store *, int64_t contact_id, const char *spec,
	    int64_t now, const char *tz, struct err *);

/* Recompute the next due of the contact's cadence, if it has one. */
int	app_cadence_refresh(struct store *, int64_t contact_id, int64_t now,
	    const char *tz, struct err *);

#endif
