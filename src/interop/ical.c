/*
 * The calendar feed (tend export --format ics), written with libical:
 * libical builds each component, escapes text, folds lines and supplies
 * the VTIMEZONE; this file decides what goes in.  Wall times come from
 * when.c, as everywhere else in tend, so the feed and the agenda agree.
 *
 * The feed is streamed: the calendar's header (with its VTIMEZONE) is
 * serialised without its END line, then each entry as its own component,
 * then END:VCALENDAR, so memory does not grow with the number of entries.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libical/ical.h>

#include "core/block.h"
#include "core/cadence.h"
#include "core/deal.h"
#include "core/when.h"
#include "interop/ical.h"
#include "store/store.h"
#include "util/arena.h"

#define ICAL_PRODID	"-//tend//tend 0.1//EN"
#define ICAL_END	"END:VCALENDAR\r\n"
/* How often a subscriber should look again. */
#define ICAL_TTL	"PT1H"
/* How long a follow-up at a time lasts, written as an event. */
#define EVENT_MINUTES	15
/* The RRULE text of a unit cadence or of the block. */
#define RULE_MAX	128

struct ical_zone {
	const char	*name;	/* tz database name, "UTC" for UTC */
	int		 utc;	/* times in UTC (Z), no VTIMEZONE */
	icaltimezone	*itz;	/* libical's zone; NULL for UTC */
};

struct ical_run {
	FILE			*f;
	const struct ical_opts	*o;
	struct ical_zone	 zone;
	struct block		 block;
	int			 has_block;
	struct icaltimetype	 stamp;	/* DTSTAMP: now, UTC */
	struct err		*e;
};

/* ---- the user's zone ---- */

/* The part of a path after "zoneinfo/", if it names a zone; else NULL. */
static const char *
zone_from_path(const char *path)
{
	const char	*p;

	p = strstr(path, "zoneinfo/");
	if (p == NULL)
		return NULL;
	p += strlen("zoneinfo/");
	return when_zone_valid(p) && *p != '\0' ? p : NULL;
}

/*
 * The name of the system's zone: what TZ says (when.c puts its first
 * value back while the default zone is in use), else /etc/localtime's
 * link or /etc/timezone; UTC when there is none.  NULL when the zone has
 * no name a calendar could use (a POSIX rule in TZ).
 */
static const char *
zone_system(struct arena *a, int64_t now)
{
	struct when_tm	 tm;
	const char	*v, *p;
	char		 link[PATH_MAX];
	FILE		*f;
	ssize_t		 n;

	when_split(now, NULL, &tm);
	v = getenv("TZ");
	if (v != NULL && *v == ':')
		v++;
	if (v != NULL && *v != '\0') {
		if (*v != '/' && when_zone_valid(v))
			return arena_strdup(a, v);
		p = zone_from_path(v);
		return p != NULL ? arena_strdup(a, p) : NULL;
	}
	n = readlink("/etc/localtime", link, sizeof link - 1);
	if (n > 0) {
		link[n] = '\0';
		p = zone_from_path(link);
		if (p != NULL)
			return arena_strdup(a, p);
	}
	f = fopen("/etc/timezone", "r");
	if (f != NULL) {
		if (fgets(link, sizeof link, f) != NULL) {
			link[strcspn(link, " \t\r\n")] = '\0';
			if (link[0] != '\0' && when_zone_valid(link)) {
				fclose(f);
				return arena_strdup(a, link);
			}
		}
		fclose(f);
	}
	/* glibc reads a missing /etc/localtime as UTC */
	if (access("/etc/localtime", F_OK) == -1)
		return "UTC";
	return NULL;
}

static int
zone_resolve(struct ical_run *r, struct arena *a)
{
	const char	*name;

	name = r->o->tz;
	if (name == NULL || *name == '\0') {
		name = zone_system(a, r->o->now);
		if (name == NULL)
			return err_set(r->e, TEND_EINVAL, "cannot name the "
			    "system's time zone for a calendar; set one with "
			    "'tend config tz Europe/Paris'");
	}
	if (!when_zone_valid(name))
		return err_set(r->e, TEND_EINVAL, "unknown time zone '%s'",
		    name);
	r->zone.name = name;
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
		r->zone.name = "UTC";
		r->zone.utc = 1;
		return 0;
	}
	r->zone.itz = icaltimezone_get_builtin_timezone(name);
	if (r->zone.itz == NULL)
		return err_set(r->e, TEND_EINVAL, "time zone '%s' is not "
		    "known to libical", name);
	return 0;
}

/*
 * libical's VTIMEZONE for the zone, named by its plain tz database name
 * (libical prefixes its own), which calendar apps also recognise.
 */
static icalcomponent *
zone_component(const struct ical_zone *z)
{
	icalcomponent	*c;
	icalproperty	*p;

	c = icalcomponent_new_clone(icaltimezone_get_component(z->itz));
	p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
	if (p != NULL)
		icalproperty_set_tzid(p, z->name);
	else
		icalcomponent_add_property(c, icalproperty_new_tzid(z->name));
	return c;
}

/* ---- times ---- */

/* t as a DATE or a DATE-TIME of the zone's wall time (Z for UTC). */
static struct icaltimetype
ical_time(int64_t t, const struct ical_zone *z, int as_date)
{
	struct icaltimetype	 it;
	struct when_tm		 tm;

	when_split(t, z->name, &tm);
	it = as_date ? icaltime_null_date() : icaltime_null_time();
	it.year = tm.year;
	it.month = tm.month;
	it.day = tm.day;
	if (!as_date) {
		it.hour = tm.hour;
		it.minute = tm.min;
		it.second = tm.sec;
		if (z->utc)
			it.zone = icaltimezone_get_utc_timezone();
	}
	return it;
}

/* A DTSTART, DTEND, DUE, EXDATE or RDATE property of t, with its TZID. */
static icalproperty *
ical_time_prop(icalproperty_kind kind, int64_t t, const struct ical_zone *z,
    int as_date)
{
	struct icaldatetimeperiodtype	 dp;
	struct icaltimetype		 it;
	icalproperty			*p;

	it = ical_time(t, z, as_date);
	switch (kind) {
	case ICAL_DTEND_PROPERTY:
		p = icalproperty_new_dtend(it);
		break;
	case ICAL_DUE_PROPERTY:
		p = icalproperty_new_due(it);
		break;
	case ICAL_EXDATE_PROPERTY:
		p = icalproperty_new_exdate(it);
		break;
	case ICAL_RDATE_PROPERTY:
		memset(&dp, 0, sizeof dp);
		dp.time = it;
		dp.period = icalperiodtype_null_period();
		p = icalproperty_new_rdate(dp);
		break;
	case ICAL_DTSTART_PROPERTY:
	default:
		p = icalproperty_new_dtstart(it);
		break;
	}
	if (!as_date && !z->utc)
		icalproperty_add_parameter(p, icalparameter_new_tzid(z->name));
	return p;
}

static int
is_midnight(int64_t t, const struct ical_zone *z)
{
	return t == when_day_start(t, z->name);
}

/* ---- writing ---- */

static int
ical_write(struct ical_run *r, const char *s, size_t n)
{
	if (n > 0 && fwrite(s, 1, n, r->f) != n)
		return err_set(r->e, TEND_EIO, "cannot write the calendar: %s",
		    strerror(errno));
	return 0;
}

/* Serialise c, write it and free it. */
static int
ical_write_comp(struct ical_run *r, icalcomponent *c)
{
	char	*s;
	int	 rc;

	s = icalcomponent_as_ical_string_r(c);
	rc = ical_write(r, s, strlen(s));
	icalmemory_free_buffer(s);
	icalcomponent_free(c);
	return rc;
}

/* The properties every entry has. */
static void
ical_common(struct ical_run *r, icalcomponent *c, const char *uid,
    const char *category, const char *summary, const char *desc)
{
	icalcomponent_add_property(c, icalproperty_new_uid(uid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(r->stamp));
	icalcomponent_add_property(c, icalproperty_new_summary(summary));
	if (desc != NULL && *desc != '\0')
		icalcomponent_add_property(c,
		    icalproperty_new_description(desc));
	icalcomponent_add_property(c, icalproperty_new_categories(category));
}

/* "a\nb": lines joined, empty ones left out. */
static char *
lines_add(struct arena *a, char *text, const char *line)
{
	if (line == NULL || *line == '\0')
		return text;
	if (text == NULL)
		return arena_strdup(a, line);
	return arena_printf(a, "%s\n%s", text, line);
}

/*
 * A task (follow-up, deal step): a VTODO, or in as_events mode a VEVENT,
 * with the properties every entry has.
 */
static icalcomponent *
ical_task_new(struct ical_run *r, const char *uid, const char *category,
    const char *summary, const char *desc)
{
	icalcomponent	*c;

	c = r->o->as_events ? icalcomponent_new_vevent() :
	    icalcomponent_new_vtodo();
	ical_common(r, c, uid, category, summary, desc);
	return c;
}

/*
 * When a task is due: DUE for a VTODO; for a VEVENT, DTSTART and an
 * end EVENT_MINUTES later, or all day when due at midnight.  A due at
 * local midnight is a day, not a time: "follow up on Friday".
 */
static void
ical_task_due(struct ical_run *r, icalcomponent *c, int64_t due)
{
	int	day;

	day = due != 0 && is_midnight(due, &r->zone);
	if (!r->o->as_events) {
		if (due != 0)
			icalcomponent_add_property(c, ical_time_prop(
			    ICAL_DUE_PROPERTY, due, &r->zone, day));
		icalcomponent_add_property(c,
		    icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
		return;
	}
	icalcomponent_add_property(c, ical_time_prop(ICAL_DTSTART_PROPERTY,
	    due, &r->zone, day));
	if (day)
		icalcomponent_add_property(c,
		    icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	else
		icalcomponent_add_property(c, ical_time_prop(
		    ICAL_DTEND_PROPERTY, due + EVENT_MINUTES * 60, &r->zone,
		    0));
}

static int
ical_followup(struct ical_run *r, struct arena *a,
    const struct calendar_item *it, icalcomponent **out)
{
	icalcomponent	*c;
	const char	*summary;
	char		*desc = NULL;
	int		 inquiry;

	inquiry = it->task != NULL && strcmp(it->task, "inquiry") == 0;
	summary = arena_printf(a, "%s %s%s%s", inquiry ? "Answer the inquiry "
	    "from" : "Follow up with", it->contact_name,
	    it->what != NULL ? ": " : "", it->what != NULL ? it->what : "");
	if (it->channel != NULL)
		desc = lines_add(a, desc, arena_printf(a, "Channel: %s",
		    it->channel));
	if (it->deal_id != 0)
		desc = lines_add(a, desc, arena_printf(a, "Deal: %s (deal "
		    "%lld)", it->deal_title != NULL ? it->deal_title : "",
		    (long long)it->deal_id));
	if (it->state != NULL && strcmp(it->state, "snoozed") == 0)
		desc = lines_add(a, desc, "Snoozed.");
	desc = lines_add(a, desc, arena_printf(a, "tend done %lld marks it "
	    "done.", (long long)it->id));
	c = ical_task_new(r, arena_printf(a, "followup-%lld@tend",
	    (long long)it->id), inquiry ? "inquiry" : "follow-up", summary,
	    desc);
	ical_task_due(r, c, it->due);
	if (inquiry && !r->o->as_events)
		icalcomponent_add_property(c, icalproperty_new_priority(1));
	*out = c;
	return 0;
}

static int
ical_deal(struct ical_run *r, struct arena *a, const struct calendar_item *it,
    icalcomponent **out)
{
	icalcomponent	*c;
	const char	*summary;
	char		*desc, money[DEAL_MONEY_BUFSZ];

	/* An event needs a day; a to-do without DUE is fine. */
	if (r->o->as_events && it->due == 0)
		return 0;
	summary = arena_printf(a, "Next step on %s (%s): %s", it->deal_title,
	    it->contact_name, it->what);
	desc = arena_printf(a, "Deal %lld with %s, stage %s", (long long)it->id,
	    it->contact_name, it->stage);
	if (it->has_value)
		desc = arena_printf(a, "%s, value %s", desc,
		    deal_money_format(it->value_cents, money, sizeof money));
	desc = arena_printf(a, "%s.\ntend deal show %lld shows it.", desc,
	    (long long)it->id);
	c = ical_task_new(r, arena_printf(a, "deal-%lld@tend",
	    (long long)it->id), "deal", summary, desc);
	ical_task_due(r, c, it->due);
	*out = c;
	return 0;
}

/*
 * The RRULE of a unit cadence from first, stepping as tend does: months
 * clamp to the month's end (Jan 30 monthly gives Feb 28, then Mar 30),
 * which RFC 5545 says with the last of BYMONTHDAY=28,29,30 (BYSETPOS=-1);
 * a plain FREQ=MONTHLY would skip the short months instead.
 */
static void
unit_rule(const struct cadence *c, int64_t first, const char *tz, char *buf,
    size_t n)
{
	struct when_tm	 tm;

	when_split(first, tz, &tm);
	switch (c->unit) {
	case CADENCE_DAYS:
		snprintf(buf, n, "FREQ=DAILY;INTERVAL=%d", c->n);
		break;
	case CADENCE_WEEKS:
		snprintf(buf, n, "FREQ=WEEKLY;INTERVAL=%d", c->n);
		break;
	case CADENCE_MONTHS:
		if (tm.day <= 28)
			snprintf(buf, n, "FREQ=MONTHLY;INTERVAL=%d", c->n);
		else if (tm.day == 31)
			snprintf(buf, n, "FREQ=MONTHLY;INTERVAL=%d;"
			    "BYMONTHDAY=-1", c->n);
		else
			snprintf(buf, n, "FREQ=MONTHLY;INTERVAL=%d;"
			    "BYMONTHDAY=28,29%s;BYSETPOS=-1", c->n,
			    tm.day == 30 ? ",30" : "");
		break;
	case CADENCE_YEARS:
	case CADENCE_NEVER:
	case CADENCE_RRULE:
	default:
		if (tm.month == 2 && tm.day == 29)
			snprintf(buf, n, "FREQ=YEARLY;INTERVAL=%d;BYMONTH=2;"
			    "BYMONTHDAY=28,29;BYSETPOS=-1", c->n);
		else
			snprintf(buf, n, "FREQ=YEARLY;INTERVAL=%d", c->n);
		break;
	}
}

/*
 * Rewrite an RRULE's UNTIL for the feed, keeping tend's meaning of it (an
 * instant; a DATE covers its day; a floating time is wall time in tz):
 * for an all-day series, the last date whose occurrence (at first's wall
 * time) is not after it; for a timed one, the instant in UTC, as RFC 5545
 * wants with a TZID start.
 */
static void
until_rewrite(struct icalrecurrencetype *rule, int64_t first,
    const struct ical_zone *z, int all_day)
{
	struct when_tm	 tm, ft;
	int64_t		 until, t;

	if (icaltime_is_null_time(rule->until))
		return;
	memset(&tm, 0, sizeof tm);
	tm.year = rule->until.year;
	tm.month = rule->until.month;
	tm.day = rule->until.day;
	if (rule->until.is_date) {
		tm.hour = 23;
		tm.min = 59;
		tm.sec = 59;
		until = when_join(&tm, z->name);
	} else {
		tm.hour = rule->until.hour;
		tm.min = rule->until.minute;
		tm.sec = rule->until.second;
		until = when_join(&tm, icaltime_is_utc(rule->until) ? "UTC" :
		    z->name);
	}
	if (!all_day) {
		rule->until = icaltime_from_timet_with_zone((time_t)until, 0,
		    icaltimezone_get_utc_timezone());
		return;
	}
	when_split(first, z->name, &ft);
	when_split(until, z->name, &tm);
	tm.hour = ft.hour;
	tm.min = ft.min;
	tm.sec = ft.sec;
	t = when_join(&tm, z->name);
	if (t > until)
		t = when_add_days(t, -1, z->name);
	rule->until = ical_time(t, z, 1);
}

static int
ical_keep(struct ical_run *r, struct arena *a, const struct calendar_item *it,
    icalcomponent **out)
{
	struct icalrecurrencetype	 rule;
	struct cadence			 cad;
	struct when_tm			 tm;
	icalcomponent			*c;
	char				 text[RULE_MAX];
	char				 every[CADENCE_RRULE_MAX + 16];
	int64_t				 first;
	int				 all_day;

	if (cadence_parse(it->spec, &cad, NULL) != 0)
		return err_set(r->e, TEND_ECORRUPT, "contact %lld has an "
		    "invalid cadence '%s'", (long long)it->id, it->spec);
	if (cad.unit == CADENCE_NEVER)
		return 0;
	/* An ended rule keeps its row with a due at the end of time. */
	when_split(it->due, r->zone.name, &tm);
	if (tm.year >= 9999)
		return 0;
	/* The first occurrence on or after the due day starts the series. */
	if (cadence_expand(&cad, it->due, it->due - 1, r->zone.name, &first,
	    1) != 1)
		return 0;
	if (cad.unit == CADENCE_RRULE) {
		rule = icalrecurrencetype_from_string(cad.rrule);
		/* At most daily: a BYHOUR (...) rule has times of day. */
		all_day = rule.by_hour[0] == ICAL_RECURRENCE_ARRAY_MAX &&
		    rule.by_minute[0] == ICAL_RECURRENCE_ARRAY_MAX &&
		    rule.by_second[0] == ICAL_RECURRENCE_ARRAY_MAX;
		until_rewrite(&rule, first, &r->zone, all_day);
	} else {
		unit_rule(&cad, first, r->zone.name, text, sizeof text);
		rule = icalrecurrencetype_from_string(text);
		all_day = 1;
	}
	if (rule.freq == ICAL_NO_RECURRENCE || rule.rscale != NULL) {
		icalmemory_free_buffer(rule.rscale);
		return err_set(r->e, TEND_ECORRUPT, "contact %lld has an "
		    "invalid cadence '%s'", (long long)it->id, it->spec);
	}
	c = icalcomponent_new_vevent();
	ical_common(r, c, arena_printf(a, "keep-%lld@tend", (long long)it->id),
	    "keep-in-touch", arena_printf(a, "Keep in touch with %s",
	    it->contact_name), arena_printf(a, "Cadence: %s. Logging a touch "
	    "(tend log) moves the next date.", cadence_describe(&cad, every,
	    sizeof every)));
	icalcomponent_add_property(c, ical_time_prop(ICAL_DTSTART_PROPERTY,
	    first, &r->zone, all_day));
	icalcomponent_add_property(c, icalproperty_new_rrule(rule));
	/* tend plan --level moved this one occurrence to another day. */
	if (it->level != 0 && when_days_between(first, it->level,
	    r->zone.name) != 0) {
		icalcomponent_add_property(c, ical_time_prop(
		    ICAL_EXDATE_PROPERTY, first, &r->zone, all_day));
		icalcomponent_add_property(c, ical_time_prop(
		    ICAL_RDATE_PROPERTY, it->level, &r->zone, all_day));
	}
	if (all_day)
		icalcomponent_add_property(c,
		    icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	*out = c;
	return 0;
}

static int
ical_item(const struct calendar_item *it, void *arg)
{
	struct ical_run	*r = arg;
	struct arena	*a;
	icalcomponent	*c = NULL;
	int		 rc;

	a = arena_new();
	switch (it->kind) {
	case CALENDAR_FOLLOWUP:
		rc = ical_followup(r, a, it, &c);
		break;
	case CALENDAR_DEAL:
		rc = ical_deal(r, a, it, &c);
		break;
	case CALENDAR_KEEP:
	default:
		rc = ical_keep(r, a, it, &c);
		break;
	}
	if (rc == 0 && c != NULL)
		rc = ical_write_comp(r, c);
	arena_free(a);
	return rc;
}

/* ---- the block and the header ---- */

static int
ical_block(struct ical_run *r)
{
	static const char *const byday[7] = {
		"SU", "MO", "TU", "WE", "TH", "FR", "SA"
	};
	struct icalrecurrencetype	 rule;
	icalcomponent			*c;
	char				 text[RULE_MAX], desc[200];
	char				 canon[BLOCK_BUFSZ];
	int64_t				 start, end;
	size_t				 len;
	int				 i;

	if ((r->block.days & BLOCK_ALL_DAYS) == BLOCK_ALL_DAYS)
		len = (size_t)snprintf(text, sizeof text, "FREQ=DAILY");
	else {
		len = (size_t)snprintf(text, sizeof text, "FREQ=WEEKLY;BYDAY=");
		/* Monday first, as block_format() writes them. */
		for (i = 1; i <= 7; i++) {
			if (block_on(&r->block, i % 7))
				len += (size_t)snprintf(text + len,
				    sizeof text - len, "%s%s",
				    text[len - 1] == '=' ? "" : ",",
				    byday[i % 7]);
		}
	}
	rule = icalrecurrencetype_from_string(text);
	start = block_first(&r->block, r->o->now, r->zone.name, &end);
	snprintf(desc, sizeof desc, "Time set aside for follow-ups "
	    "(agenda.block %s). tend today lists them.", block_format(
	    &r->block, canon, sizeof canon));
	c = icalcomponent_new_vevent();
	ical_common(r, c, "block@tend", "follow-up-block", "Follow-ups", desc);
	icalcomponent_add_property(c, ical_time_prop(ICAL_DTSTART_PROPERTY,
	    start, &r->zone, 0));
	icalcomponent_add_property(c, ical_time_prop(ICAL_DTEND_PROPERTY, end,
	    &r->zone, 0));
	icalcomponent_add_property(c, icalproperty_new_rrule(rule));
	return ical_write_comp(r, c);
}

/* BEGIN:VCALENDAR, its properties and the VTIMEZONE; no END line. */
static int
ical_header(struct ical_run *r, struct arena *a)
{
	icalcomponent	*cal;
	icalproperty	*p;
	const char	*name;
	char		*s;
	size_t		 len, endlen;
	int		 rc;

	name = "tend";
	if (r->o->tag != NULL)
		name = arena_printf(a, "%s, tag %s", name, r->o->tag);
	if (r->o->kind != NULL)
		name = arena_printf(a, "%s, kind %s", name, r->o->kind);
	cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_prodid(ICAL_PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal,
	    icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalcomponent_add_property(cal, icalproperty_new_name(name));
	icalcomponent_add_property(cal, icalproperty_new_refreshinterval(
	    icaldurationtype_from_string(ICAL_TTL)));
	/* What Google Calendar, Outlook and Apple Calendar read instead. */
	p = icalproperty_new_x(name);
	icalproperty_set_x_name(p, "X-WR-CALNAME");
	icalcomponent_add_property(cal, p);
	p = icalproperty_new_x(r->zone.name);
	icalproperty_set_x_name(p, "X-WR-TIMEZONE");
	icalcomponent_add_property(cal, p);
	p = icalproperty_new_x(ICAL_TTL);
	icalproperty_set_x_name(p, "X-PUBLISHED-TTL");
	icalcomponent_add_property(cal, p);
	if (!r->zone.utc)
		icalcomponent_add_component(cal, zone_component(&r->zone));

	s = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	len = strlen(s);
	endlen = strlen(ICAL_END);
	if (len < endlen || strcmp(s + len - endlen, ICAL_END) != 0) {
		icalmemory_free_buffer(s);
		return err_set(r->e, TEND_EIO, "libical wrote a calendar "
		    "without END:VCALENDAR");
	}
	rc = ical_write(r, s, len - endlen);
	icalmemory_free_buffer(s);
	return rc;
}

int
ical_export(struct store *s, struct arena *a, FILE *f,
    const struct ical_opts *o, struct err *e)
{
	struct ical_run	 r;
	const char	*b;
	struct err	 be;
	int		 rc;

	memset(&r, 0, sizeof r);
	r.f = f;
	r.o = o;
	r.e = e;
	b = o->block;
	while (b != NULL && (*b == ' ' || *b == '\t'))
		b++;
	if (b != NULL && *b != '\0') {
		if (block_parse(b, &r.block, &be) != 0)
			return err_set(e, be.code, "setting 'agenda.block': %s",
			    be.msg);
		r.has_block = 1;
	}
	if ((rc = zone_resolve(&r, a)) != 0)
		return rc;
	r.stamp = icaltime_from_timet_with_zone((time_t)o->now, 0,
	    icaltimezone_get_utc_timezone());

	if ((rc = ical_header(&r, a)) != 0)
		return rc;
	if (r.has_block && (rc = ical_block(&r)) != 0)
		return rc;
	if ((rc = store_calendar_each(s, o->tag, o->kind, ical_item, &r,
	    e)) != 0)
		return rc;
	if ((rc = ical_write(&r, ICAL_END, strlen(ICAL_END))) != 0)
		return rc;
	if (fflush(f) != 0)
		return err_set(e, TEND_EIO, "cannot write the calendar: %s",
		    strerror(errno));
	return 0;
}
