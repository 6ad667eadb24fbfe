/*
 * Keep-in-touch cadences: parsing "6w" or an RRULE, and computing when
 * the next touch is due.  RRULEs are read and expanded by libical; its
 * types stay inside this file.
 *
 * libical expands a rule in floating wall time; we hand it last_touch's
 * wall time in the user's zone and turn each result back into an
 * instant with when_join(), so DST gaps and repeated hours follow the
 * same rules as everywhere else in tend.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libical/ical.h>

#include "core/cadence.h"
#include "core/when.h"
#include "util/err.h"

#define SPEC_MAX	(CADENCE_RRULE_MAX + 16)	/* longest input */
#define MAX_WEEKS	(CADENCE_MAX_DAYS / 7)		/* 521 */
#define MAX_MONTHS	120
#define MAX_YEARS	10
#define MAX_SKIP	100000	/* occurrences stepped over per expansion */

static const char why_units[] = "expected a positive number of days, "
    "weeks, months or years (2w, 6w, 3m), an RRULE or 'never'";

/* Approximate days in n units, for bounds and cadence_days(). */
static int64_t
unit_days(enum cadence_unit unit, int64_t n)
{
	switch (unit) {
	case CADENCE_DAYS:
		return n;
	case CADENCE_WEEKS:
		return n * 7;
	case CADENCE_MONTHS:
		return n * 365 / 12;
	case CADENCE_YEARS:
		return n * 365;
	case CADENCE_NEVER:
	case CADENCE_RRULE:
	default:
		return 0;
	}
}

static int64_t
freq_days(icalrecurrencetype_frequency freq, int64_t interval)
{
	switch (freq) {
	case ICAL_DAILY_RECURRENCE:
		return interval;
	case ICAL_WEEKLY_RECURRENCE:
		return unit_days(CADENCE_WEEKS, interval);
	case ICAL_MONTHLY_RECURRENCE:
		return unit_days(CADENCE_MONTHS, interval);
	case ICAL_YEARLY_RECURRENCE:
		return unit_days(CADENCE_YEARS, interval);
	case ICAL_SECONDLY_RECURRENCE:
	case ICAL_MINUTELY_RECURRENCE:
	case ICAL_HOURLY_RECURRENCE:
	case ICAL_NO_RECURRENCE:
	default:
		return 0;
	}
}

/*
 * Read an RRULE.  libical leaves rscale allocated on success; we free it
 * here so callers never own anything.  Returns 0 or -1 with *why set.
 */
static int
rrule_read(const char *spec, struct icalrecurrencetype *r, const char **why)
{
	icalerror_clear_errno();
	*r = icalrecurrencetype_from_string(spec);
	if (r->rscale != NULL) {
		icalmemory_free_buffer(r->rscale);
		r->rscale = NULL;
		*why = "RSCALE (other calendars) is not supported";
		return -1;
	}
	if (r->freq == ICAL_NO_RECURRENCE) {
		*why = "not a valid RFC 5545 RRULE";
		return -1;
	}
	return 0;
}

/* A floating (zone-less) icaltimetype of t's wall time in tz. */
static struct icaltimetype
wall_time(int64_t t, const char *tz)
{
	struct icaltimetype	 it;
	struct when_tm		 tm;

	when_split(t, tz, &tm);
	it = icaltime_null_time();
	it.year = tm.year;
	it.month = tm.month;
	it.day = tm.day;
	it.hour = tm.hour;
	it.minute = tm.min;
	it.second = tm.sec;
	it.is_date = 0;
	it.zone = NULL;
	return it;
}

static int64_t
instant(struct icaltimetype it, const char *tz)
{
	struct when_tm	 tm;

	memset(&tm, 0, sizeof tm);
	tm.year = it.year;
	tm.month = it.month;
	tm.day = it.day;
	tm.hour = it.hour;
	tm.min = it.minute;
	tm.sec = it.second;
	return when_join(&tm, tz);
}

/*
 * Check a rule can be used as a cadence and store its canonical spelling
 * in out.  Returns 0 or -1 with *why set.
 */
static int
rrule_parse(const char *spec, struct cadence *out, const char **why)
{
	struct icalrecurrencetype	 r;
	struct icaltimetype		 start, next;
	icalrecur_iterator		*it;
	char				*canon;
	size_t				 len;

	if (rrule_read(spec, &r, why) == -1)
		return -1;
	if (freq_days(r.freq, 1) == 0) {
		*why = "an RRULE cadence repeats at most daily (FREQ=DAILY, "
		    "WEEKLY, MONTHLY or YEARLY)";
		return -1;
	}
	if (freq_days(r.freq, r.interval) > CADENCE_MAX_DAYS) {
		*why = "longer than ten years";
		return -1;
	}
	/*
	 * libical refuses rules that can never match (BYMONTH=2;
	 * BYMONTHDAY=30) when the iterator is made, or yields nothing; an
	 * UNTIL may lie before our sample start, so it only needs to build.
	 */
	start = icaltime_null_time();
	start.year = 2001;
	start.month = 1;
	start.day = 1;
	start.hour = 9;
	it = icalrecur_iterator_new(r, start);
	if (it == NULL) {
		*why = "the rule never occurs";
		return -1;
	}
	if (icaltime_is_null_time(r.until)) {
		next = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(next)) {
			icalrecur_iterator_free(it);
			*why = "the rule never occurs";
			return -1;
		}
	}
	icalrecur_iterator_free(it);

	canon = icalrecurrencetype_as_string_r(&r);
	if (canon == NULL) {
		*why = "not a valid RFC 5545 RRULE";
		return -1;
	}
	len = strlen(canon);
	if (len >= sizeof out->rrule) {
		icalmemory_free_buffer(canon);
		*why = "too long";
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->unit = CADENCE_RRULE;
	memcpy(out->rrule, canon, len + 1);
	icalmemory_free_buffer(canon);
	return 0;
}

static enum cadence_unit
unit_from_name(const char *s)
{
	switch (when_unit_from_name(s)) {
	case WHEN_UNIT_DAYS:
		return CADENCE_DAYS;
	case WHEN_UNIT_WEEKS:
		return CADENCE_WEEKS;
	case WHEN_UNIT_MONTHS:
		return CADENCE_MONTHS;
	case WHEN_UNIT_YEARS:
		return CADENCE_YEARS;
	case WHEN_UNIT_NONE:
		break;
	}
	return CADENCE_NEVER;
}

static enum cadence_unit
adverb_unit(const char *s)
{
	if (strcmp(s, "daily") == 0)
		return CADENCE_DAYS;
	if (strcmp(s, "weekly") == 0)
		return CADENCE_WEEKS;
	if (strcmp(s, "monthly") == 0)
		return CADENCE_MONTHS;
	if (strcmp(s, "yearly") == 0)
		return CADENCE_YEARS;
	return CADENCE_NEVER;
}

/*
 * "[every] N[ ]unit", "every unit", "weekly", "never", all lower case.
 * Returns 0 or -1 with *why set.
 */
static int
units_parse(char *s, struct cadence *out, const char **why)
{
	enum cadence_unit	 unit;
	char			*p, *unit_name;
	int64_t			 n;
	int			 every, digits;

	*why = why_units;
	if (strcmp(s, "never") == 0) {
		memset(out, 0, sizeof *out);
		out->unit = CADENCE_NEVER;
		return 0;
	}
	unit = adverb_unit(s);
	if (unit != CADENCE_NEVER) {
		memset(out, 0, sizeof *out);
		out->unit = unit;
		out->n = 1;
		return 0;
	}
	p = s;
	every = 0;
	if (strncmp(p, "every", 5) == 0 && (p[5] == ' ' || p[5] == '\t')) {
		every = 1;
		p += 5;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	n = 0;
	for (digits = 0; isdigit((unsigned char)p[digits]); digits++) {
		/* Past any bound already: stop before overflow. */
		if (digits < 9)
			n = n * 10 + (p[digits] - '0');
	}
	if (digits == 0) {
		if (!every)
			return -1;
		n = 1;	/* "every week" */
	}
	unit_name = p + digits;
	while (*unit_name == ' ' || *unit_name == '\t')
		unit_name++;
	unit = unit_from_name(unit_name);
	if (unit == CADENCE_NEVER || n < 1)
		return -1;
	if (digits > 9 || unit_days(unit, n) > CADENCE_MAX_DAYS ||
	    (unit == CADENCE_WEEKS && n > MAX_WEEKS) ||
	    (unit == CADENCE_MONTHS && n > MAX_MONTHS) ||
	    (unit == CADENCE_YEARS && n > MAX_YEARS)) {
		*why = "longer than ten years";
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->unit = unit;
	out->n = (int)n;
	return 0;
}

int
cadence_parse(const char *text, struct cadence *out, struct err *err)
{
	struct cadence	 c;
	char		 s[SPEC_MAX];
	const char	*start, *why, *spec;
	size_t		 len, i;
	int		 rc;

	if (text == NULL)
		text = "";
	start = text;
	while (isspace((unsigned char)*start))
		start++;
	len = strlen(start);
	while (len > 0 && isspace((unsigned char)start[len - 1]))
		len--;
	if (len == 0)
		return err_set(err, TEND_EINVAL, "invalid interval '': %s",
		    why_units);
	if (len >= sizeof s)
		return err_set(err, TEND_EINVAL, "invalid interval '%.*s...': "
		    "too long", 32, start);
	if (memchr(start, '=', len) != NULL) {
		/* libical wants the parts' names in upper case. */
		for (i = 0; i < len; i++)
			s[i] = (char)toupper((unsigned char)start[i]);
		s[len] = '\0';
		spec = s;
		if (strncmp(spec, "RRULE:", 6) == 0)
			spec += 6;
		rc = rrule_parse(spec, &c, &why);
	} else {
		for (i = 0; i < len; i++)
			s[i] = (char)tolower((unsigned char)start[i]);
		s[len] = '\0';
		rc = units_parse(s, &c, &why);
	}
	if (rc == -1)
		return err_set(err, TEND_EINVAL, "invalid interval '%.*s': %s",
		    (int)len, start, why);
	*out = c;
	return 0;
}

/*
 * An RRULE's UNTIL, if a UTC date-time, as wall time in tz: libical
 * compares it with the floating occurrences as they are, which would be
 * off by the zone's offset.  A DATE UNTIL covers its whole day.
 */
static void
until_to_wall(struct icalrecurrencetype *r, const char *tz)
{
	struct when_tm	 tm;

	if (icaltime_is_null_time(r->until))
		return;
	if (r->until.is_date) {
		r->until.is_date = 0;
		r->until.hour = 23;
		r->until.minute = 59;
		r->until.second = 59;
		return;
	}
	if (!icaltime_is_utc(r->until))
		return;
	memset(&tm, 0, sizeof tm);
	tm.year = r->until.year;
	tm.month = r->until.month;
	tm.day = r->until.day;
	tm.hour = r->until.hour;
	tm.min = r->until.minute;
	tm.sec = r->until.second;
	r->until = wall_time(when_join(&tm, "UTC"), tz);
}

static int
rrule_expand(const struct cadence *c, int64_t dtstart, int64_t after,
    const char *tz, int64_t *out, int max)
{
	struct icalrecurrencetype	 r;
	struct icaltimetype		 occ;
	icalrecur_iterator		*it;
	const char			*why;
	int64_t				 t, last;
	int				 n, skipped;

	if (rrule_read(c->rrule, &r, &why) == -1)
		return 0;
	until_to_wall(&r, tz);
	/* NULL too past libical's last year (2582): the rule has ended. */
	it = icalrecur_iterator_new(r, wall_time(dtstart, tz));
	if (it == NULL)
		return 0;
	n = 0;
	skipped = 0;
	last = INT64_MIN;
	while (n < max && skipped < MAX_SKIP) {
		occ = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(occ))
			break;
		t = instant(occ, tz);
		/* Two wall times can meet across a DST gap: keep one. */
		if (t <= after || t <= last) {
			skipped++;
			continue;
		}
		out[n++] = t;
		last = t;
	}
	icalrecur_iterator_free(it);
	return n;
}

/* dtstart plus k intervals of a unit cadence, at the same wall time. */
static int64_t
unit_step(const struct cadence *c, int64_t dtstart, int64_t k, const char *tz)
{
	int64_t	amount;

	amount = k * c->n;
	if (c->unit == CADENCE_WEEKS)
		amount *= 7;
	else if (c->unit == CADENCE_YEARS)
		amount *= 12;
	if (amount > INT_MAX)
		amount = INT_MAX;
	if (c->unit == CADENCE_DAYS || c->unit == CADENCE_WEEKS)
		return when_add_days(dtstart, (int)amount, tz);
	return when_add_months(dtstart, (int)amount, tz);
}

static int
unit_expand(const struct cadence *c, int64_t dtstart, int64_t after,
    const char *tz, int64_t *out, int max)
{
	int64_t	k, t, last, span;
	int	n;

	/*
	 * Start a little before the first step past `after` instead of
	 * walking there from dtstart; stepping from dtstart each time (not
	 * from the previous result) keeps Jan 31 monthly on the 31st.
	 */
	k = 0;
	if (after > dtstart) {
		span = when_days_between(dtstart, after, tz);
		/* Longest possible steps, so we never start past `after`. */
		if (c->unit == CADENCE_DAYS)
			k = span / c->n;
		else if (c->unit == CADENCE_WEEKS)
			k = span / ((int64_t)c->n * 7);
		else if (c->unit == CADENCE_MONTHS)
			k = span / ((int64_t)c->n * 31);
		else
			k = span / ((int64_t)c->n * 366);
		k -= 1;
		if (k < 0)
			k = 0;
	}
	n = 0;
	last = INT64_MIN;
	while (n < max) {
		t = unit_step(c, dtstart, k, tz);
		/* when.c clamps at WHEN_MAX: the end of time, not a date. */
		if (t >= WHEN_MAX || t <= last)
			break;
		last = t;
		k++;
		if (t > after)
			out[n++] = t;
	}
	return n;
}

int
cadence_expand(const struct cadence *c, int64_t dtstart, int64_t after,
    const char *tz, int64_t *out, int max)
{
	if (max <= 0)
		return 0;
	switch (c->unit) {
	case CADENCE_DAYS:
	case CADENCE_WEEKS:
	case CADENCE_MONTHS:
	case CADENCE_YEARS:
		if (c->n < 1)
			return 0;
		return unit_expand(c, dtstart, after, tz, out, max);
	case CADENCE_RRULE:
		return rrule_expand(c, dtstart, after, tz, out, max);
	case CADENCE_NEVER:
	default:
		return 0;
	}
}

int64_t
cadence_next(const struct cadence *c, int64_t last_touch, const char *tz)
{
	int64_t	t;

	if (cadence_expand(c, last_touch, last_touch, tz, &t, 1) != 1)
		return INT64_MAX;
	return t;
}

char *
cadence_format(const struct cadence *c, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	switch (c->unit) {
	case CADENCE_DAYS:
		snprintf(buf, n, "%dd", c->n);
		break;
	case CADENCE_WEEKS:
		snprintf(buf, n, "%dw", c->n);
		break;
	case CADENCE_MONTHS:
		snprintf(buf, n, "%dm", c->n);
		break;
	case CADENCE_YEARS:
		snprintf(buf, n, "%dy", c->n);
		break;
	case CADENCE_RRULE:
		snprintf(buf, n, "%s", c->rrule);
		break;
	case CADENCE_NEVER:
	default:
		snprintf(buf, n, "never");
		break;
	}
	return buf;
}

char *
cadence_describe(const struct cadence *c, char *buf, size_t n)
{
	const char	*unit;

	if (n == 0)
		return buf;
	switch (c->unit) {
	case CADENCE_DAYS:
		unit = "day";
		break;
	case CADENCE_WEEKS:
		unit = "week";
		break;
	case CADENCE_MONTHS:
		unit = "month";
		break;
	case CADENCE_YEARS:
		unit = "year";
		break;
	case CADENCE_RRULE:
		snprintf(buf, n, "on schedule %s", c->rrule);
		return buf;
	case CADENCE_NEVER:
	default:
		snprintf(buf, n, "never");
		return buf;
	}
	if (c->n == 1)
		snprintf(buf, n, "every %s", unit);
	else
		snprintf(buf, n, "every %d %ss", c->n, unit);
	return buf;
}

int
cadence_days(const struct cadence *c)
{
	struct icalrecurrencetype	 r;
	const char			*why;
	int64_t				 d;

	switch (c->unit) {
	case CADENCE_DAYS:
	case CADENCE_WEEKS:
	case CADENCE_MONTHS:
	case CADENCE_YEARS:
		d = unit_days(c->unit, c->n);
		break;
	case CADENCE_RRULE:
		if (rrule_read(c->rrule, &r, &why) == -1)
			return 0;
		d = freq_days(r.freq, r.interval);
		if (d < 1)
			d = 1;
		break;
	case CADENCE_NEVER:
	default:
		return 0;
	}
	if (d > INT_MAX)
		d = INT_MAX;
	if (d < 0)
		d = 0;
	return (int)d;
}
