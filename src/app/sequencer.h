/*
 * Sequences at work, shared by the CLI, the worker and (later) the web:
 * defining them, enrolling contacts, firing the steps that are due, and
 * the exits and holds that incoming mail sets off.  See docs/sequences.md.
 *
 * Every function but sequencer_tick runs inside the caller's
 * transaction.  Times are UTC seconds; the recipient's zone is the
 * contact's, else the user's (mail_settings.tz, or user_tz).  Holidays
 * come from the database setting seq.holidays.
 */
#ifndef TEND_APP_SEQUENCER_H
#define TEND_APP_SEQUENCER_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct arena;
struct enrollment;
struct enrollment_filter;
struct mail_settings;
struct sequence;
struct store;

/* The setting that lists the days sequences skip (YYYY-MM-DD, ...). */
#define SEQUENCER_HOLIDAYS	"seq.holidays"

/*
 * Read a sequence's stored text into *out (in a).  TEND_ECORRUPT when it
 * no longer parses.
 */
int	sequencer_read(const char *source, struct arena *a,
	    struct sequence **out, struct err *);

/*
 * Add the sequence in text (a sequence file): parsed strictly, every
 * template of its email steps must exist (TEND_EINVAL "sequence file
 * line 9: template 'x' not found"), stored as its canonical text.
 * TEND_ECONFLICT when the name is taken.  *out (in a) is what was read.
 */
int	sequencer_add(struct store *, const char *text, int64_t now,
	    struct arena *a, struct sequence **out, struct err *);

/*
 * Replace sequence name with text (the name may change).  Enrollments go
 * on from the position of their next step: steps that ran stay run; the
 * next step's delay is counted again from when the previous one ran;
 * one whose position is now past the end completes (or repeats).
 * *moved counts the active enrollments rescheduled.
 */
int	sequencer_edit(struct store *, const char *user_tz, const char *name,
	    const char *text, int64_t now, struct arena *a,
	    struct sequence **out, int *moved, struct err *);

/* Pause or resume sequence name; *changed 0 when it already was so. */
int	sequencer_pause(struct store *, const char *name, int paused,
	    int64_t now, int *changed, struct err *);

/*
 * Remove sequence name with its enrollments: TEND_ECONFLICT while some
 * are active, unless force, which ends them first (reason "sequence
 * removed", on the timeline) and cancels what they queued.  *ended
 * counts them.
 */
int	sequencer_rm(struct store *, const char *name, int force, int64_t now,
	    int *ended, struct err *);

/*
 * Enroll contact_id in sequence seq_name, its first step counting from
 * at (0 or past: now), about deal_id (0: the contact's only open deal,
 * if it has exactly one).  Refused (TEND_EINVAL) for an archived or
 * do-not-contact contact, one whose address is unsubscribed or bounced,
 * or, when the sequence sends e-mail, one without an address; for a
 * closed deal or another contact's; (TEND_ECONFLICT) when already in this
 * sequence, or in another one and not also; (TEND_EUSAGE) when the
 * sequence sends e-mail and mail.from or public_url is not set.
 * *out (in a) is the new enrollment.
 */
int	sequencer_enroll(struct store *, const struct mail_settings *,
	    int64_t contact_id, const char *seq_name, int64_t deal_id,
	    int64_t at, int also, int64_t now, struct arena *a,
	    struct enrollment **out, struct err *);

/*
 * End contact_id's active enrollment in seq_name (NULL: every one), the
 * exit rule "manual", and cancel what they queued.  TEND_ENOTFOUND when
 * there is none.  *n counts them, *cancelled the messages cancelled.
 */
int	sequencer_unenroll(struct store *, int64_t contact_id,
	    const char *seq_name, int64_t now, int *n, int *cancelled,
	    struct err *);

/*
 * An exit rule fired for contact_id: rule is "reply", "bounce",
 * "unsubscribe", "dnc", "stage", "booked" or "manual" (TEND_EINVAL
 * otherwise).  Ends the contact's active enrollments whose sequence has
 * that rule (reply, bounce, unsubscribe, dnc and manual always apply),
 * each with a note on the timeline: "sequence 'new-lead' ended:
 * replied".  For reply, bounce, unsubscribe and dnc, every automated
 * message to the contact still queued or deferred is cancelled; for the
 * others, those of the enrollments ended.  *n counts the enrollments.
 */
int	sequencer_end_contact(struct store *, int64_t contact_id,
	    const char *rule, const char *reason, int64_t now, int *n,
	    struct err *);

/*
 * An out-of-office said "back on" until: 00:00 UTC of that day, read as
 * that day in the recipient's zone.  The contact's active enrollments
 * fire nothing before the start of that day there (then at the next
 * opening of their window); noted on the timeline with why.  An until
 * at or before now changes nothing.
 */
int	sequencer_hold_contact(struct store *, int64_t contact_id,
	    int64_t until, const char *why, int64_t now, struct err *);

/* *ok 1 if one of contact_id's active enrollments has same_domain. */
int	sequencer_same_domain(struct store *, int64_t contact_id, int *ok,
	    struct err *);

struct sequencer_stats {
	int		emails;		/* email steps queued */
	int		tasks;		/* task steps given to the user */
	int		waits;		/* wait steps passed */
	int		moved;		/* due outside the window: moved to
					   its next opening */
	int		released;	/* task steps done: it goes on */
	int		completed;	/* enrollments that ran to the end */
	int		ended;		/* ... ended by an exit rule or a
					   refusal */
	int		errors;		/* steps that could not fire now and
					   are tried again next time */
	struct err	first;		/* the first of those */
};

/*
 * Fire every step due at now, one transaction per step (the caller
 * holds none): several ticks at once on one database never fire a step
 * twice.  Releases task steps whose follow-up is done or cancelled first.
 * Before a step: do-not-contact, an archived contact and the stage rule
 * end the enrollment; a step due outside its window moves to the next
 * opening.  An email step a message refused for good (respect rules, a
 * template that no longer renders) ends the enrollment with the reason.
 * Returns 0 (the errors of single steps are in stats), or < 0 when the
 * tick itself failed (a busy database, a bad seq.holidays).
 */
int	sequencer_tick(struct store *, const struct mail_settings *,
	    int64_t now, struct sequencer_stats *, struct err *);

/* An enrollment with its sequence read (NULL when it cannot be). */
struct sequencer_item {
	struct enrollment	*e;
	const struct sequence	*seq;
};

/* store_enrollment_list with the sequences read (in a). */
int	sequencer_list(struct store *, const struct enrollment_filter *,
	    struct arena *a, struct sequencer_item **out, size_t *n,
	    struct err *);

#endif
