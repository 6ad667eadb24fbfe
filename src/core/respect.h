/*
 * The respect rules: whether a message may leave now, later (and from
 * when), or never, and why.  Checked when a message is queued and again
 * when a sender claims it.  Pure: no clock, no allocation; now is a
 * parameter and the recipient's zone comes through core/when.
 */
#ifndef TEND_RESPECT_H
#define TEND_RESPECT_H

#include <stddef.h>
#include <stdint.h>

#define RESPECT_REASON_MAX	160
#define RESPECT_WEEKDAYS	0x3eu	/* Monday to Friday */
#define RESPECT_ALL_DAYS	0x7fu

enum respect_verdict {
	RESPECT_NOW,
	RESPECT_LATER,
	RESPECT_NEVER
};

/*
 * Caps are rolling windows of exact seconds (24 h is 86400 s, 30 days
 * 30 * 86400 s), not calendar days: a message sent at s counts against
 * every instant t with t - s < window, so with a cap of 1 the next may
 * go at s + window exactly.
 */
struct respect_rules {
	int		 daily_cap;	/* messages to one person in any 24 h;
					   default 1; 0: off */
	int		 window_cap;	/* ... in any window_days days;
					   default 3; 0: off */
	int		 window_days;	/* default 30; > 0 when window_cap is */
	int		 quiet_start;	/* minutes after local midnight
					   automated mail may start: 8 * 60 */
	int		 quiet_end;	/* ... must stop (exclusive): 19 * 60;
					   0 <= start < end <= 24 * 60 */
	unsigned	 days;		/* bit n: weekday n (0 = Sunday)
					   allowed; default Monday-Friday */
	int		 sender_daily_cap; /* automated messages from this
					   sender in any 24 h; default 0: off */
};

/* Fill r with the defaults above. */
void	 respect_rules_default(struct respect_rules *r);

struct respect_msg {
	int		 automated;	/* 0: a person sends it by hand */
	const char	*zone;		/* recipient's zone; NULL or "":
					   user_zone */
	const char	*user_zone;	/* the user's zone; NULL or "": the
					   system's, as when.h does */
	int		 do_not_contact;
	int		 unsubscribed;	/* the address is suppressed */
	int		 bounced;	/* the address hard-bounced */
	/*
	 * Messages sent to this recipient, automated or by hand (both
	 * count toward the caps), in at least the last window_days (older
	 * ones are ignored), ascending UTC seconds.  Instants after now
	 * count as sent.
	 */
	const int64_t	*sent;
	size_t		 nsent;
	/* Automated messages from this sender in at least the last 24 h,
	 * ascending. */
	const int64_t	*sender_sent;
	size_t		 nsender_sent;
};

struct respect_decision {
	enum respect_verdict	 verdict;
	/*
	 * NOW: now.  LATER: the earliest instant at or after now that
	 * every rule allows.  NEVER: 0.
	 */
	int64_t			 not_before;
	/*
	 * A static string: "do-not-contact", "unsubscribed", "bounced",
	 * "daily cap", "window cap", "sender cap" or "quiet hours"; NULL
	 * for NOW.  For LATER, the rule that set the final not_before:
	 * when a cap ends inside quiet hours, it is "quiet hours"; of caps
	 * ending at the same instant, daily before window before sender.
	 */
	const char		*rule;
	/*
	 * One line for people, times in the recipient's zone (seconds
	 * only when not 0), counts as of now:
	 * "quiet hours in Asia/Tokyo (now Sat 02:14) until Mon 2026-11-30
	 * 08:00", "quiet hours in UTC (at Tue 19:30, after the daily cap)
	 * until Wed 2026-11-25 08:00" (open now, but not when the cap
	 * ends), "1 message in the last 24 h to this person (cap 1) until
	 * 2026-11-24 09:00 UTC".  The zone name is "local time" for the
	 * system's zone.  "" for NOW.  On an error, the error.
	 */
	char			 reason[RESPECT_REASON_MAX];
};

/*
 * Decide whether msg may be sent at now, by these rules, into *out.
 *
 * NEVER (for every message, by hand or automated), in this order of
 * precedence: do-not-contact, unsubscribed, bounced.  Otherwise a message
 * by hand is always NOW.  An automated message is LATER while the daily,
 * window or sender cap is reached, or while the recipient's local time
 * is outside quiet_start..quiet_end on an allowed weekday; not_before is
 * then the first instant all of them allow together (a cap ending at
 * night moves on to the next allowed morning).  A quiet_start that falls
 * in a DST gap opens at the end of the gap (the first instant whose
 * local time is past the start), and in a repeated hour at its first
 * occurrence still ahead.
 *
 * All pointers must be valid.  Safe to call from several threads (the
 * zone arithmetic of when.h serialises).
 *
 * Returns 0, or TEND_EINVAL with the message in out->reason (verdict
 * NEVER, rule NULL) for bad rules or input: a cap < 0, window_days <= 0
 * with a window cap, quiet_start or quiet_end out of 0..1440 or
 * start >= end, no day or an unknown bit in days, an unknown zone (zone
 * or user_zone), sent or sender_sent NULL with a count, out of when.h's
 * range or not ascending, now out of range, or no instant the rules
 * allow before WHEN_MAX.
 */
int	 respect_check(const struct respect_rules *rules,
	    const struct respect_msg *msg, int64_t now,
	    struct respect_decision *out);

#endif
