/*
 * Keep-in-touch cadences: "every 6 weeks", "3m", or an RFC 5545 RRULE,
 * and when the next touch is due after the last one.
 */
#ifndef TEND_CADENCE_H
#define TEND_CADENCE_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define CADENCE_RRULE_MAX	512
#define CADENCE_MAX_DAYS	3653	/* ten years: longer is a typo */

/* Large enough for every cadence_describe() of a unit cadence. */
#define CADENCE_BUFSZ		32

enum cadence_unit {
	CADENCE_NEVER,
	CADENCE_DAYS,
	CADENCE_WEEKS,
	CADENCE_MONTHS,
	CADENCE_YEARS,
	CADENCE_RRULE
};

struct cadence {
	enum cadence_unit	unit;
	int			n;	/* count of units; 0 for never, rrule */
	/* The canonical RRULE for CADENCE_RRULE, else "". */
	char			rrule[CADENCE_RRULE_MAX];
};

/*
 * Parse a cadence into *out:
 *   2w, 6w, 3m, 1y, 10d       N days, weeks, months or years (N >= 1,
 *                             at most ten years: 3653d, 521w, 120m, 10y)
 *   2 weeks, every 6 weeks, every month, weekly, monthly ...
 *   never
 *   FREQ=WEEKLY;INTERVAL=6    an RFC 5545 RRULE, "RRULE:" prefix allowed,
 *                             FREQ at most daily (no HOURLY, MINUTELY,
 *                             SECONDLY), INTERVAL within ten years; COUNT
 *                             and UNTIL are allowed (then the cadence ends)
 * Case-insensitive, surrounding blanks ignored.  An RRULE is stored in
 * libical's canonical spelling (parts reordered, upper case).
 * Returns 0, or TEND_EINVAL with "invalid interval '<text>': <why>" in
 * err; *out is then unchanged.
 */
int	 cadence_parse(const char *text, struct cadence *out, struct err *err);

/*
 * When the next touch is due: last_touch plus the interval at the same
 * local wall time in tz (calendar months clamp to the month's end:
 * Jan 31 + 1m = Feb 28); for an RRULE, its first occurrence strictly
 * after last_touch with DTSTART = last_touch, in tz's wall time.
 * INT64_MAX for never, for an RRULE that has ended (COUNT, UNTIL), and
 * when the next touch would be at or past WHEN_MAX (year 9999).
 */
int64_t	 cadence_next(const struct cadence *c, int64_t last_touch,
	    const char *tz);

/*
 * Up to max occurrences of c anchored at dtstart (dtstart itself is one
 * when it matches the rule; a unit cadence always matches) that are
 * strictly after `after`, in order, into out.  Unit cadences step from
 * dtstart (dtstart + k intervals, so Jan 31 monthly gives Feb 28, Mar 31).
 * Returns how many were stored: fewer than max when the rule ends, or
 * when the next one would be at or past WHEN_MAX.
 * An RRULE's UNTIL in UTC is compared as an instant, not as wall time.
 */
int	 cadence_expand(const struct cadence *c, int64_t dtstart,
	    int64_t after, const char *tz, int64_t *out, int max);

/*
 * The canonical spec ("6w", "3m", "10d", "1y", "never",
 * "FREQ=MONTHLY;BYDAY=1MO"), which cadence_parse() reads back to the same
 * struct.  Writes into buf (n bytes, truncated to fit) and returns buf.
 */
char	*cadence_format(const struct cadence *c, char *buf, size_t n);

/*
 * For people: "every day", "every 10 days", "every week", "every 6 weeks",
 * "every month", "every year", "never", "on schedule FREQ=...".
 * Writes into buf (n bytes, truncated to fit) and returns buf.
 */
char	*cadence_describe(const struct cadence *c, char *buf, size_t n);

/*
 * The interval in days, roughly, for sorting and overdue ratios: 6w ->
 * 42, 3m -> 91 (365/12 days a month, rounded down), 1y -> 365, an RRULE
 * from FREQ * INTERVAL (at least 1); 0 for never.
 */
int	 cadence_days(const struct cadence *c);

#endif
