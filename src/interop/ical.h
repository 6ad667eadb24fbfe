/*
 * The calendar feed: an iCalendar file (RFC 5545, written by libical)
 * that a calendar app subscribes to.  See docs/ical.md for what it holds.
 */
#ifndef TEND_ICAL_H
#define TEND_ICAL_H

#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

struct arena;
struct store;

struct ical_opts {
	int64_t		 now;	/* DTSTAMP; "today" for the block */
	const char	*tz;	/* user's zone; NULL, "": the system's */
	const char	*block;	/* agenda.block; NULL: none */
	const char	*tag;	/* only contacts with it; NULL: any */
	const char	*kind;	/* only contacts of it; NULL: any */
	/*
	 * Write follow-ups and deal steps as events (VEVENT) rather than
	 * to-dos (VTODO), for calendar apps that show no to-dos from a
	 * subscription (Google Calendar, Apple Calendar, Outlook).
	 */
	int		 as_events;
};

/*
 * Write the feed of the data in the store to f: a VTIMEZONE of the
 * user's zone, the follow-up block (when opts->block is set), one VTODO
 * per open or snoozed follow-up and per open deal's next step, and one
 * recurring all-day VEVENT per keep-in-touch cadence, each with a stable
 * UID ("followup-12@tend").  The same data and the same opts->now give
 * the same bytes.  Archived contacts are left out, and do-not-contact
 * ones from keep-in-touch.
 *
 * Everything that can be checked is checked before the first byte is
 * written: a bad block gives TEND_EINVAL "setting 'agenda.block': invalid
 * block '<text>': <why>", an unknown zone TEND_EINVAL.  Afterwards the
 * feed is streamed (memory does not grow with the data), so a store
 * failure (TEND_EIO, TEND_ECORRUPT for a cadence that does not parse) or
 * a write failure (TEND_EIO) can leave part of a feed in f: write to a
 * temporary file and rename it.  Call it inside a read transaction for
 * one consistent snapshot.  a holds nothing past the call that the
 * caller needs.
 */
int	ical_export(struct store *, struct arena *a, FILE *f,
	    const struct ical_opts *opts, struct err *);

#endif
