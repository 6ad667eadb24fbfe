/*
 * The respect rules: never-rules, rolling caps and quiet hours in the
 * recipient's zone, combined into one verdict and the first instant
 * every rule allows.
 *
 * Each "later" rule is a function giving the earliest instant at or
 * after t that it allows.  respect_check() applies them in turn until
 * none moves t: a fixed point, so every instant skipped was refused by
 * some rule and the result is the earliest all of them allow.  Caps only
 * relax as time passes, so in practice a second round confirms the
 * first; the rounds are bounded anyway.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/respect.h"
#include "core/when.h"
#include "util/err.h"

#define DAY		86400
#define MINUTES_DAY	(24 * 60)
#define ROUNDS		8	/* of all rules; 2 suffice, see above */
#define QUIET_STEPS	32	/* days looked at; 8 suffice but for gaps */
#define ZONE_SEEN	8	/* valid zone names remembered per thread */
#define ZONE_SEEN_NAME	64	/* longer ones are checked every time */

enum rule {
	RULE_NONE,
	RULE_DAILY,
	RULE_WINDOW,
	RULE_SENDER,
	RULE_QUIET
};

static const char *const rule_names[] = {
	NULL, "daily cap", "window cap", "sender cap", "quiet hours"
};

/* For "after the window cap" in a quiet-hours reason. */
static const char *const rule_after[] = {
	"another rule", "the daily cap", "the window cap", "the sender cap",
	"another rule"
};

static const char *const day_abbr[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

void
respect_rules_default(struct respect_rules *r)
{
	r->daily_cap = 1;
	r->window_cap = 3;
	r->window_days = 30;
	r->quiet_start = 8 * 60;
	r->quiet_end = 19 * 60;
	r->days = RESPECT_WEEKDAYS;
	r->sender_daily_cap = 0;
}

static void
reason_set(struct respect_decision *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Write the reason, truncated to fit. */
static void
reason_set(struct respect_decision *d, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof d->reason, fmt, ap);
	va_end(ap);
}

/* Fill d with an error (the message is for people) and fail. */
static int
invalid(struct respect_decision *d, const char *what, const char *value)
{
	d->verdict = RESPECT_NEVER;
	d->not_before = 0;
	d->rule = NULL;
	if (value != NULL)
		reason_set(d, "invalid respect rules: %s '%s'", what, value);
	else
		reason_set(d, "invalid respect rules: %s", what);
	return TEND_EINVAL;
}

/* 0 if times[0..n) is usable: present, in range and ascending. */
static int
times_ok(const int64_t *times, size_t n)
{
	size_t	i;

	if (n == 0)
		return 0;
	if (times == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (times[i] < WHEN_MIN || times[i] > WHEN_MAX)
			return -1;
		if (i > 0 && times[i] < times[i - 1])
			return -1;
	}
	return 0;
}

/*
 * when_zone_valid() reads the zone's file, most of the cost of a check;
 * a sender checks thousands of messages to a handful of zones, so each
 * thread remembers the last few names it found valid (no lock needed).
 */
static int
zone_ok(const char *tz)
{
	static _Thread_local char	seen[ZONE_SEEN][ZONE_SEEN_NAME];
	static _Thread_local unsigned	next;
	size_t				len;
	int				i;

	if (tz == NULL || tz[0] == '\0')
		return 1;
	for (i = 0; i < ZONE_SEEN; i++) {
		if (strcmp(seen[i], tz) == 0)
			return 1;
	}
	if (!when_zone_valid(tz))
		return 0;
	len = strlen(tz);
	if (len < ZONE_SEEN_NAME) {
		memcpy(seen[next], tz, len + 1);
		next = (next + 1) % ZONE_SEEN;
	}
	return 1;
}

/* Fills d with the error and returns TEND_EINVAL, or returns 0. */
static int
validate(const struct respect_rules *r, const struct respect_msg *m,
    int64_t now, struct respect_decision *d)
{
	if (r->daily_cap < 0 || r->window_cap < 0 || r->sender_daily_cap < 0)
		return invalid(d, "a cap is negative", NULL);
	if (r->window_cap > 0 && r->window_days <= 0)
		return invalid(d, "the window cap's days are not positive",
		    NULL);
	if (r->quiet_start < 0 || r->quiet_end > MINUTES_DAY)
		return invalid(d, "quiet hours outside the day", NULL);
	if (r->quiet_start >= r->quiet_end)
		return invalid(d, "quiet hours start at or after their end",
		    NULL);
	if (r->days == 0 || (r->days & ~RESPECT_ALL_DAYS) != 0)
		return invalid(d, "no weekday allowed, or an unknown one",
		    NULL);
	if (!zone_ok(m->zone))
		return invalid(d, "unknown time zone", m->zone);
	if (!zone_ok(m->user_zone))
		return invalid(d, "unknown time zone", m->user_zone);
	if (times_ok(m->sent, m->nsent) != 0)
		return invalid(d, "sent times missing, out of range or not "
		    "ascending", NULL);
	if (times_ok(m->sender_sent, m->nsender_sent) != 0)
		return invalid(d, "sender's sent times missing, out of range "
		    "or not ascending", NULL);
	if (now < WHEN_MIN || now > WHEN_MAX)
		return invalid(d, "now is out of range", NULL);
	return 0;
}

/*
 * The earliest instant at or after t when fewer than cap of the times
 * (ascending) lie within window seconds before it.  Time s blocks
 * [s, s + window) for its share, so once cap or more have been sent the
 * cap-th most recent decides: from s + window on, only cap - 1 remain.
 */
static int64_t
cap_next(const int64_t *times, size_t n, int cap, int64_t window, int64_t t)
{
	int64_t	free_at;

	if (cap == 0 || n < (size_t)cap)
		return t;
	free_at = times[n - (size_t)cap] + window;
	return free_at > t ? free_at : t;
}

/* How many of the times lie within window seconds before now (or after). */
static size_t
cap_count(const int64_t *times, size_t n, int64_t window, int64_t now)
{
	size_t	c = 0;

	while (c < n && now - times[n - 1 - c] < window)
		c++;
	return c;
}

static int
day_on(const struct respect_rules *r, int wday)
{
	return (r->days >> wday & 1u) != 0;
}

static int
quiet_open(const struct respect_rules *r, const struct when_tm *tm)
{
	int	sod;

	sod = tm->hour * 3600 + tm->min * 60 + tm->sec;
	return day_on(r, tm->wday) && sod >= r->quiet_start * 60 &&
	    sod < r->quiet_end * 60;
}

/* Compare wall times a and b: < 0, 0, > 0. */
static int
wall_cmp(const struct when_tm *a, const struct when_tm *b)
{
	const int	x[6] = { a->year, a->month, a->day, a->hour, a->min,
			    a->sec };
	const int	y[6] = { b->year, b->month, b->day, b->hour, b->min,
			    b->sec };
	int		i;

	for (i = 0; i < 6; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

static int
month_days(int year, int month)
{
	static const int	dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			leap;

	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : dim[month - 1];
}

/*
 * Carry want's day (at most a week past the month's end) over into its
 * month and year: day 32 of January is the 1st of February.  Done here
 * rather than through UTC in when.h, which would switch zones.
 */
static void
date_normalise(struct when_tm *want)
{
	while (want->day > month_days(want->year, want->month)) {
		want->day -= month_days(want->year, want->month);
		want->month++;
		if (want->month > 12) {
			want->month = 1;
			want->year++;
		}
	}
}

/*
 * The first instant in (lo, hi] whose wall time in tz is at or after
 * want, given that lo's is before it and hi's at or after it: where want
 * fell in a DST gap, the end of the gap.
 */
static int64_t
gap_end(int64_t lo, int64_t hi, const struct when_tm *want, const char *tz)
{
	struct when_tm	tm;
	int64_t		mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		when_split(mid, tz, &tm);
		if (wall_cmp(&tm, want) >= 0)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/*
 * The earliest instant at or after t whose local time in tz is inside
 * quiet_start..quiet_end on an allowed weekday, in *out; -1 if there is
 * none before WHEN_MAX.
 */
static int
quiet_next(const struct respect_rules *r, const char *tz, int64_t t,
    int64_t *out)
{
	struct when_tm	tm, want, got;
	int64_t		c;
	int		i, add, sod;

	for (i = 0; i < QUIET_STEPS && t <= WHEN_MAX; i++) {
		when_split(t, tz, &tm);
		if (quiet_open(r, &tm)) {
			*out = t;
			return 0;
		}
		/* Today's start if it is ahead, else the next allowed day's. */
		sod = tm.hour * 3600 + tm.min * 60 + tm.sec;
		add = 0;
		if (!day_on(r, tm.wday) || sod >= r->quiet_start * 60) {
			add = 1;
			while (!day_on(r, (tm.wday + add) % 7))
				add++;
		}
		want = tm;
		want.day += add;
		want.hour = r->quiet_start / 60;
		want.min = r->quiet_start % 60;
		want.sec = 0;
		c = when_join(&want, tz);
		if (c <= t) {
			/*
			 * Clocks fell back and the start's first occurrence
			 * is behind us: the second is ahead in the offset in
			 * force now.
			 */
			c = t + (int64_t)add * DAY + r->quiet_start * 60 - sod;
		} else {
			when_split(c, tz, &got);
			date_normalise(&want);
			if (wall_cmp(&got, &want) > 0)
				c = gap_end(t, c, &want, tz);
		}
		t = c;
	}
	return -1;
}

/* "2026-11-24 09:00" (with ":SS" when not 0) of t in tz. */
static void
wall_text(char *buf, size_t n, int64_t t, const char *tz, int weekday)
{
	struct when_tm	tm;
	char		sec[8] = "";

	when_split(t, tz, &tm);
	if (tm.sec != 0)
		snprintf(sec, sizeof sec, ":%02d", tm.sec);
	snprintf(buf, n, "%s%s%04d-%02d-%02d %02d:%02d%s",
	    weekday ? day_abbr[tm.wday] : "", weekday ? " " : "", tm.year,
	    tm.month, tm.day, tm.hour, tm.min, sec);
}

/* "Sat 02:14" (with ":SS" when not 0) of t in tz. */
static void
clock_text(char *buf, size_t n, int64_t t, const char *tz)
{
	struct when_tm	tm;
	char		sec[8] = "";

	when_split(t, tz, &tm);
	if (tm.sec != 0)
		snprintf(sec, sizeof sec, ":%02d", tm.sec);
	snprintf(buf, n, "%s %02d:%02d%s", day_abbr[tm.wday], tm.hour,
	    tm.min, sec);
}

/*
 * The reason of a LATER decision whose not_before rule set.  For quiet
 * hours, from is where they began to hold it back: now, or the end of
 * the cap (after) that moved it there.  Cap counts are at now.
 */
static void
later_reason(const struct respect_rules *r, const struct respect_msg *m,
    int64_t now, enum rule rule, int64_t from, enum rule after,
    const char *tz, struct respect_decision *d)
{
	struct when_tm	 tm;
	const char	*zname;
	char		 until[64], at[32];
	size_t		 n;

	zname = tz != NULL && tz[0] != '\0' ? tz : "local time";
	switch (rule) {
	case RULE_DAILY:
		n = cap_count(m->sent, m->nsent, DAY, now);
		wall_text(until, sizeof until, d->not_before, tz, 0);
		reason_set(d, "%zu message%s in the last 24 h to this person "
		    "(cap %d) until %s %s", n, n == 1 ? "" : "s",
		    r->daily_cap, until, zname);
		break;
	case RULE_WINDOW:
		n = cap_count(m->sent, m->nsent,
		    (int64_t)r->window_days * DAY, now);
		wall_text(until, sizeof until, d->not_before, tz, 0);
		reason_set(d, "%zu message%s in the last %d day%s to this "
		    "person (cap %d) until %s %s", n, n == 1 ? "" : "s",
		    r->window_days, r->window_days == 1 ? "" : "s",
		    r->window_cap, until, zname);
		break;
	case RULE_SENDER:
		n = cap_count(m->sender_sent, m->nsender_sent, DAY, now);
		wall_text(until, sizeof until, d->not_before, tz, 0);
		reason_set(d, "%zu automated message%s from this sender in "
		    "the last 24 h (cap %d) until %s %s", n,
		    n == 1 ? "" : "s", r->sender_daily_cap, until, zname);
		break;
	default:
		/*
		 * When quiet hours hold the message back now, say so, even
		 * if a cap ran out first; else name the cap whose end they
		 * held back.
		 */
		when_split(now, tz, &tm);
		if (!quiet_open(r, &tm))
			from = now;
		wall_text(until, sizeof until, d->not_before, tz, 1);
		clock_text(at, sizeof at, from, tz);
		if (from == now)
			reason_set(d, "quiet hours in %s (now %s) until %s",
			    zname, at, until);
		else
			reason_set(d, "quiet hours in %s (at %s, after %s) "
			    "until %s", zname, at, rule_after[after], until);
		break;
	}
}

int
respect_check(const struct respect_rules *r, const struct respect_msg *m,
    int64_t now, struct respect_decision *d)
{
	const char	*tz;
	enum rule	 last, before_quiet;
	int64_t		 t, next, from;
	int		 round, moved, rc;

	memset(d, 0, sizeof *d);
	if ((rc = validate(r, m, now, d)) != 0)
		return rc;

	d->verdict = RESPECT_NEVER;
	if (m->do_not_contact) {
		d->rule = "do-not-contact";
		reason_set(d, "this person is marked do-not-contact");
		return 0;
	}
	if (m->unsubscribed) {
		d->rule = "unsubscribed";
		reason_set(d, "this address unsubscribed");
		return 0;
	}
	if (m->bounced) {
		d->rule = "bounced";
		reason_set(d, "this address bounced for good");
		return 0;
	}
	d->verdict = RESPECT_NOW;
	d->not_before = now;
	if (!m->automated)
		return 0;

	tz = m->zone != NULL && m->zone[0] != '\0' ? m->zone : m->user_zone;
	t = now;
	last = RULE_NONE;
	before_quiet = RULE_NONE;
	from = now;
	for (round = 0; round < ROUNDS; round++) {
		moved = 0;
		next = cap_next(m->sent, m->nsent, r->daily_cap, DAY, t);
		if (next > t) {
			t = next;
			last = RULE_DAILY;
			moved = 1;
		}
		next = cap_next(m->sent, m->nsent, r->window_cap,
		    (int64_t)r->window_days * DAY, t);
		if (next > t) {
			t = next;
			last = RULE_WINDOW;
			moved = 1;
		}
		next = cap_next(m->sender_sent, m->nsender_sent,
		    r->sender_daily_cap, DAY, t);
		if (next > t) {
			t = next;
			last = RULE_SENDER;
			moved = 1;
		}
		if (quiet_next(r, tz, t, &next) != 0)
			break;
		if (next > t) {
			before_quiet = last;
			from = t;
			t = next;
			last = RULE_QUIET;
			moved = 1;
		}
		if (!moved) {
			if (t == now)
				return 0;
			d->verdict = RESPECT_LATER;
			d->not_before = t;
			d->rule = rule_names[last];
			later_reason(r, m, now, last, from, before_quiet, tz,
			    d);
			return 0;
		}
	}
	/* Only near WHEN_MAX: caps or quiet hours reach past year 9999. */
	d->verdict = RESPECT_NEVER;
	d->not_before = 0;
	d->rule = NULL;
	reason_set(d, "no instant allowed by every rule before 10000-01-01");
	return TEND_EINVAL;
}
