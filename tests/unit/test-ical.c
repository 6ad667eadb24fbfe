/*
 * Unit tests for interop/ical: the calendar feed written from a real
 * temporary database.  What each entry holds, what is left out, the zone,
 * the block, stable bytes, line folding, write failures; and the
 * recurrences read back by independent code: libical's parser, and
 * python's icalendar and dateutil.rrule, whose first occurrences must be
 * cadence_expand()'s (for unit cadences and the RFC 5545 corpus).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <libical/ical.h>

#include "core/cadence.h"
#include "core/contact.h"
#include "core/deal.h"
#include "core/interaction.h"
#include "core/when.h"
#include "interop/ical.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/text.h"

/* 2026-11-23T09:00:00Z, a Monday */
#define NOW	((int64_t)1795424400)
#define DAY	86400
#define PARIS	"Europe/Paris"
#define NY	"America/New_York"
#define CORPUS	\
	"../shared/corpus/rrule/rfc5545-3.8.5.3-rrule-examples.json"
#define PY	"/usr/bin/python3"
#define NOCC	12	/* occurrences compared with dateutil */

struct fixture {
	char		 dir[64];
	char		 path[96];
	struct store	*s;
	struct arena	*a;
};

static int
setup(void **state)
{
	struct fixture	*f;
	struct err	 e;

	f = calloc(1, sizeof *f);
	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/tend-ical-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/tend.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s, &e) != 0)
		return -1;
	f->a = arena_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[160];

	store_close(f->s);
	arena_free(f->a);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* ---- data ---- */

static int64_t
at(const char *iso, const char *tz)
{
	struct err	 e;
	int64_t		 t = 0;

	if (when_parse(iso, 0, tz, &t, &e) != 0)
		fail_msg("at(%s): %s", iso, e.msg);
	return t;
}

/* A contact; tag may be NULL. */
static int64_t
person(struct fixture *f, const char *name, const char *kind,
    const char *tag)
{
	struct contact	 c;
	struct err	 e;
	char		*tags[1];

	memset(&c, 0, sizeof c);
	c.name = (char *)name;
	c.kind = (char *)kind;
	if (tag != NULL) {
		tags[0] = (char *)tag;
		c.tags.v = tags;
		c.tags.n = 1;
	}
	if (store_contact_insert(f->s, &c, NOW, &e) != 0)
		fail_msg("insert %s: %s", name, e.msg);
	return c.id;
}

static int64_t
followup(struct fixture *f, int64_t contact, const char *kind,
    const char *reason, const char *channel, int64_t deal, int64_t due)
{
	struct followup	 fu;
	struct err	 e;

	memset(&fu, 0, sizeof fu);
	fu.contact_id = contact;
	fu.kind = (char *)kind;
	fu.reason = (char *)reason;
	fu.channel = (char *)channel;
	fu.deal_id = deal;
	fu.due = due;
	if (store_followup_add(f->s, &fu, NOW, &e) != 0)
		fail_msg("follow-up: %s", e.msg);
	return fu.id;
}

static int64_t
deal(struct fixture *f, int64_t contact, const char *title,
    const char *stage, int closed, const char *step, int64_t due)
{
	struct deal	 d;
	struct err	 e;

	memset(&d, 0, sizeof d);
	d.contact_id = contact;
	d.title = (char *)title;
	d.stage = (char *)stage;
	d.closed = closed;
	d.next_step = (char *)step;
	d.next_due = due;
	d.has_value = 1;
	d.value_cents = 450050;
	if (store_deal_add(f->s, &d, NOW, &e) != 0)
		fail_msg("deal: %s", e.msg);
	return d.id;
}

static void
cadence(struct fixture *f, int64_t contact, const char *spec, int64_t due)
{
	struct cadence	 c;
	struct err	 e;
	char		 canon[CADENCE_RRULE_MAX];

	if (cadence_parse(spec, &c, &e) != 0)
		fail_msg("cadence %s: %s", spec, e.msg);
	cadence_format(&c, canon, sizeof canon);
	if (store_cadence_set(f->s, contact, canon, due, &e) != 0)
		fail_msg("cadence: %s", e.msg);
}

/* ---- the feed ---- */

static struct ical_opts
opts(const char *tz)
{
	struct ical_opts	 o;

	memset(&o, 0, sizeof o);
	o.now = NOW;
	o.tz = tz;
	return o;
}

/* The feed (caller frees), or NULL with *rc and e set. */
static char *
feed_try(struct fixture *f, const struct ical_opts *o, int *rc,
    struct err *e)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*mem;

	mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	*rc = ical_export(f->s, f->a, mem, o, e);
	assert_int_equal(fclose(mem), 0);
	if (*rc != 0) {
		/* Checked before the first byte: nothing written. */
		assert_int_equal(len, 0);
		free(buf);
		return NULL;
	}
	return buf;
}

static char *
feed(struct fixture *f, const struct ical_opts *o)
{
	struct err	 e;
	char		*s;
	int		 rc;

	s = feed_try(f, o, &rc, &e);
	if (s == NULL)
		fail_msg("ical_export: %d %s", rc, e.msg);
	return s;
}

/* The feed with folded lines joined (caller frees). */
static char *
unfold(const char *s)
{
	char	*u, *p;

	u = strdup(s);
	assert_non_null(u);
	for (p = u; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		*p++ = *s;
	}
	*p = '\0';
	return u;
}

static int
count(const char *s, const char *needle)
{
	int	n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The unfolded feed s has the whole line. */
static void
has_line(const char *s, const char *line)
{
	char	 want[1024];

	snprintf(want, sizeof want, "\r\n%s\r\n", line);
	if (strstr(s, want) == NULL)
		fail_msg("no line '%s' in:\n%s", line, s);
}

static void
lacks(const char *s, const char *text)
{
	if (strstr(s, text) != NULL)
		fail_msg("'%s' should not be in:\n%s", text, s);
}

/* The component with UID uid, unfolded, as its own string (freed by f). */
static char *
component(struct fixture *f, const char *s, const char *uid)
{
	const char	*p, *begin, *end;
	char		 want[128];

	snprintf(want, sizeof want, "\r\nUID:%s\r\n", uid);
	p = strstr(s, want);
	if (p == NULL)
		fail_msg("no component %s in:\n%s", uid, s);
	for (begin = p; begin > s && strncmp(begin, "\r\nBEGIN:", 8) != 0;
	    begin--)
		;
	end = strstr(p, "\r\nEND:");
	assert_non_null(end);
	end = strstr(end + 2, "\r\n");
	assert_non_null(end);
	return arena_strndup(f->a, begin, (size_t)(end + 2 - begin));
}

/* Every line ends with CRLF, is at most 75 bytes and valid UTF-8. */
static void
check_lines(const char *s)
{
	const char	*p, *nl;

	assert_true(strncmp(s, "BEGIN:VCALENDAR\r\n", 17) == 0);
	for (p = s; *p != '\0'; p = nl + 2) {
		nl = strstr(p, "\r\n");
		if (nl == NULL)
			fail_msg("a line without CRLF: '%s'", p);
		if (nl - p > 75)
			fail_msg("a line of %d bytes: '%.*s'", (int)(nl - p),
			    (int)(nl - p), p);
		assert_true(text_utf8_valid(p, (size_t)(nl - p)));
		assert_null(memchr(p, '\n', (size_t)(nl - p)));
	}
	p = s + strlen(s) - strlen("END:VCALENDAR\r\n");
	assert_string_equal(p, "END:VCALENDAR\r\n");
}

/* libical reads the feed back: the number of each kind of component. */
static void
check_parse(const char *s, int vtodo, int vevent, int vtimezone)
{
	icalcomponent	*cal;

	cal = icalparser_parse_string(s);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VTODO_COMPONENT), vtodo);
	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VEVENT_COMPONENT), vevent);
	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VTIMEZONE_COMPONENT), vtimezone);
	/* No X-LIC-ERROR: libical found nothing to complain about. */
	assert_int_equal(icalcomponent_count_errors(cal), 0);
	icalcomponent_free(cal);
}

/* ---- tests ---- */

static void
test_empty(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts("UTC");
	char			*s;

	s = feed(f, &o);
	assert_string_equal(s,
	    "BEGIN:VCALENDAR\r\n"
	    "PRODID:-//tend//tend 0.1//EN\r\n"
	    "VERSION:2.0\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "METHOD:PUBLISH\r\n"
	    "NAME:tend\r\n"
	    "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"
	    "X-WR-CALNAME:tend\r\n"
	    "X-WR-TIMEZONE:UTC\r\n"
	    "X-PUBLISHED-TTL:PT1H\r\n"
	    "END:VCALENDAR\r\n");
	check_parse(s, 0, 0, 0);
	free(s);
}

static void
test_followups(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts("UTC");
	struct err		 e;
	char			*s, *u, *c;
	int64_t			 ann, bob, cat, d, id;

	ann = person(f, "Ann Lee", "client", "bni");
	bob = person(f, "Bob, Stone; Jr", "prospect", NULL);
	cat = person(f, "Cat Archived", "client", "bni");
	d = deal(f, ann, "Website", "proposal", 0, NULL, 0);
	/* 1: a day (midnight), with a channel and a deal */
	followup(f, ann, NULL, "send the proposal", "email", d,
	    at("2026-11-27", "UTC"));
	/* 2: an inquiry at a time, text to escape */
	followup(f, bob, "inquiry", "asked about prices, 3; \"urgent\"",
	    NULL, 0, at("2026-11-23T14:30", "UTC"));
	/* 3: done, 4: cancelled, 5: snoozed, 6: of an archived contact */
	id = followup(f, ann, NULL, "done one", NULL, 0, NOW);
	assert_int_equal(store_followup_set(f->s, id, "done", NOW, NULL, NOW,
	    &e), 0);
	id = followup(f, ann, NULL, "cancelled one", NULL, 0, NOW);
	assert_int_equal(store_followup_set(f->s, id, "cancelled", NOW, NULL,
	    NOW, &e), 0);
	id = followup(f, ann, NULL, "snoozed one", NULL, 0, NOW);
	assert_int_equal(store_followup_set(f->s, id, "snoozed",
	    at("2026-12-01", "UTC"), NULL, NOW, &e), 0);
	followup(f, cat, NULL, "archived", NULL, 0, NOW);
	assert_int_equal(store_contact_archive(f->s, cat, NOW, &e), 0);

	s = feed(f, &o);
	check_lines(s);
	check_parse(s, 3, 0, 0);
	u = unfold(s);
	assert_int_equal(count(u, "BEGIN:VTODO"), 3);
	lacks(u, "done one");
	lacks(u, "cancelled one");
	lacks(u, "archived");
	lacks(u, "BEGIN:VTIMEZONE");

	c = component(f, u, "followup-1@tend");
	has_line(c, "BEGIN:VTODO");
	has_line(c, "DTSTAMP:20261123T090000Z");
	has_line(c, "SUMMARY:Follow up with Ann Lee: send the proposal");
	has_line(c, "DESCRIPTION:Channel: email\\nDeal: Website (deal 1)\\n"
	    "tend done 1 marks it done.");
	has_line(c, "CATEGORIES:follow-up");
	has_line(c, "DUE;VALUE=DATE:20261127");
	has_line(c, "STATUS:NEEDS-ACTION");
	lacks(c, "PRIORITY");

	c = component(f, u, "followup-2@tend");
	has_line(c, "SUMMARY:Answer the inquiry from Bob\\, Stone\\; Jr: "
	    "asked about prices\\, 3\\; \"urgent\"");
	has_line(c, "DUE:20261123T143000Z");
	has_line(c, "PRIORITY:1");
	has_line(c, "CATEGORIES:inquiry");

	c = component(f, u, "followup-5@tend");
	has_line(c, "SUMMARY:Follow up with Ann Lee: snoozed one");
	has_line(c, "DESCRIPTION:Snoozed.\\ntend done 5 marks it done.");
	has_line(c, "DUE;VALUE=DATE:20261201");
	free(u);
	free(s);
}

static void
test_deals(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	char			*s, *u, *c;
	int64_t			 ann;

	ann = person(f, "Ann Lee", "client", NULL);
	deal(f, ann, "Website", "proposal", 0, "call back",
	    at("2026-11-25T10:00", PARIS));
	deal(f, ann, "No step", "inquiry", 0, NULL, 0);
	deal(f, ann, "Won", "won", 1, "invoice", at("2026-11-25", PARIS));
	deal(f, ann, "Someday", "consult", 0, "ask for a brief", 0);
	s = feed(f, &o);
	check_lines(s);
	check_parse(s, 2, 0, 1);
	u = unfold(s);
	lacks(u, "No step");
	lacks(u, "invoice");
	c = component(f, u, "deal-1@tend");
	has_line(c, "BEGIN:VTODO");
	has_line(c, "SUMMARY:Next step on Website (Ann Lee): call back");
	has_line(c, "DESCRIPTION:Deal 1 with Ann Lee\\, stage proposal\\, "
	    "value 4\\,500.50.\\ntend deal show 1 shows it.");
	has_line(c, "DUE;TZID=Europe/Paris:20261125T100000");
	has_line(c, "CATEGORIES:deal");
	/* A step without a date is a to-do without DUE. */
	c = component(f, u, "deal-4@tend");
	has_line(c, "SUMMARY:Next step on Someday (Ann Lee): ask for a brief");
	lacks(c, "DUE");
	free(u);
	free(s);
}

static void
test_as_events(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	char			*s, *u, *c;
	int64_t			 ann;

	ann = person(f, "Ann Lee", "client", NULL);
	followup(f, ann, NULL, "a day", NULL, 0, at("2026-11-27", PARIS));
	followup(f, ann, "inquiry", "a time", NULL, 0,
	    at("2026-11-23T14:30", PARIS));
	deal(f, ann, "Website", "proposal", 0, "call back",
	    at("2026-11-25T10:00", PARIS));
	deal(f, ann, "Someday", "consult", 0, "no date", 0);
	o.as_events = 1;
	s = feed(f, &o);
	check_lines(s);
	check_parse(s, 0, 3, 1);
	u = unfold(s);
	lacks(u, "VTODO");
	lacks(u, "STATUS");
	lacks(u, "PRIORITY");
	/* An event needs a day: the undated step is left out. */
	lacks(u, "no date");
	c = component(f, u, "followup-1@tend");
	has_line(c, "DTSTART;VALUE=DATE:20261127");
	has_line(c, "TRANSP:TRANSPARENT");
	lacks(c, "DTEND");
	c = component(f, u, "followup-2@tend");
	has_line(c, "DTSTART;TZID=Europe/Paris:20261123T143000");
	has_line(c, "DTEND;TZID=Europe/Paris:20261123T144500");
	c = component(f, u, "deal-1@tend");
	has_line(c, "DTSTART;TZID=Europe/Paris:20261125T100000");
	has_line(c, "DTEND;TZID=Europe/Paris:20261125T101500");
	free(u);
	free(s);
}

static void
test_filters(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts("UTC");
	char			*s;
	int64_t			 ann, bob, cat;

	ann = person(f, "Ann Lee", "client", "bni");
	bob = person(f, "Bob Stone", "prospect", "bni");
	cat = person(f, "Cat Moss", "client", NULL);
	followup(f, ann, NULL, "ann's", NULL, 0, NOW);
	followup(f, bob, NULL, "bob's", NULL, 0, NOW);
	followup(f, cat, NULL, "cat's", NULL, 0, NOW);
	deal(f, cat, "Cat deal", "consult", 0, "cat's step", NOW);
	cadence(f, ann, "2w", at("2026-12-01", "UTC"));
	cadence(f, cat, "2w", at("2026-12-01", "UTC"));

	o.tag = "BNI";	/* tags match without case */
	s = feed(f, &o);
	assert_non_null(strstr(s, "ann's"));
	assert_non_null(strstr(s, "bob's"));
	lacks(s, "Cat");
	/* NAME is TEXT, escaped; libical leaves X- values as they are. */
	assert_non_null(strstr(s, "\r\nNAME:tend\\, tag BNI\r\n"));
	assert_non_null(strstr(s, "\r\nX-WR-CALNAME:tend, tag BNI\r\n"));
	free(s);

	o.tag = NULL;
	o.kind = "client";
	s = feed(f, &o);
	assert_non_null(strstr(s, "ann's"));
	lacks(s, "bob's");
	assert_non_null(strstr(s, "cat's step"));
	assert_int_equal(count(s, "UID:keep-"), 2);
	free(s);

	o.tag = "bni";
	s = feed(f, &o);
	assert_non_null(strstr(s, "ann's"));
	lacks(s, "bob's");
	lacks(s, "Cat");
	assert_int_equal(count(s, "UID:"), 2);
	free(s);

	o.tag = "nobody";
	o.kind = NULL;
	s = feed(f, &o);
	assert_int_equal(count(s, "UID:"), 0);
	free(s);
}

static void
test_keep(void **state)
{
	static const struct {
		const char	*spec;
		const char	*due;
		const char	*rrule;
	} cases[] = {
		{ "6w", "2026-12-03", "FREQ=WEEKLY;INTERVAL=6" },
		{ "10d", "2026-12-03", "FREQ=DAILY;INTERVAL=10" },
		{ "3m", "2026-12-03", "FREQ=MONTHLY;INTERVAL=3" },
		{ "1y", "2026-12-03", "FREQ=YEARLY" },
		/* tend clamps to the month's end; the feed says so */
		{ "1m", "2027-01-31", "FREQ=MONTHLY;BYMONTHDAY=-1" },
		{ "2m", "2026-12-30",
		    "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29,30;BYSETPOS=-1" },
		{ "1m", "2027-01-29",
		    "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1" },
		{ "1y", "2028-02-29",
		    "FREQ=YEARLY;BYMONTHDAY=28,29;BYMONTH=2;BYSETPOS=-1" },
		{ "FREQ=MONTHLY;BYDAY=1MO", "2026-12-01",
		    "FREQ=MONTHLY;BYDAY=1MO" },
	};
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	struct err		 e;
	char			*s, *u, *c, uid[32], line[128];
	int64_t			 id, dnc, gone;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		id = person(f, "Ann Lee", "client", NULL);
		cadence(f, id, cases[i].spec, at(cases[i].due, PARIS));
	}
	/* Do-not-contact and archived contacts have no keep-in-touch. */
	{
		struct contact	 c2;

		memset(&c2, 0, sizeof c2);
		c2.name = "Dee Nocontact";
		c2.do_not_contact = 1;
		assert_int_equal(store_contact_insert(f->s, &c2, NOW, &e), 0);
		dnc = c2.id;
	}
	cadence(f, dnc, "2w", at("2026-12-01", PARIS));
	gone = person(f, "Gone Archived", "client", NULL);
	cadence(f, gone, "2w", at("2026-12-01", PARIS));
	assert_int_equal(store_contact_archive(f->s, gone, NOW, &e), 0);
	/* An ended rule: its due is the end of time. */
	id = person(f, "Ended Rule", "client", NULL);
	cadence(f, id, "FREQ=DAILY;COUNT=1", when_day_start(INT64_MAX, PARIS));

	s = feed(f, &o);
	check_lines(s);
	check_parse(s, 0, 9, 1);
	u = unfold(s);
	lacks(u, "Dee Nocontact");
	lacks(u, "Gone Archived");
	lacks(u, "Ended Rule");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(uid, sizeof uid, "keep-%zu@tend", i + 1);
		c = component(f, u, uid);
		has_line(c, "BEGIN:VEVENT");
		has_line(c, "SUMMARY:Keep in touch with Ann Lee");
		has_line(c, "CATEGORIES:keep-in-touch");
		has_line(c, "TRANSP:TRANSPARENT");
		snprintf(line, sizeof line, "RRULE:%s", cases[i].rrule);
		has_line(c, line);
	}
	c = component(f, u, "keep-1@tend");
	has_line(c, "DTSTART;VALUE=DATE:20261203");
	has_line(c, "DESCRIPTION:Cadence: every 6 weeks. Logging a touch "
	    "(tend log) moves the next date.");
	/* The first Monday of a month on or after the due day. */
	c = component(f, u, "keep-9@tend");
	has_line(c, "DTSTART;VALUE=DATE:20261207");
	free(u);
	free(s);
}

static void
test_keep_levelled(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	struct err		 e;
	char			*s, *u, *c;
	int64_t			 ann;

	ann = person(f, "Ann Lee", "client", NULL);
	cadence(f, ann, "2w", at("2026-12-01", PARIS));
	/* tend plan --level moved this time to the 3rd */
	assert_int_equal(store_cadence_level(f->s, ann, at("2026-12-03",
	    PARIS), &e), 0);
	s = feed(f, &o);
	u = unfold(s);
	c = component(f, u, "keep-1@tend");
	has_line(c, "DTSTART;VALUE=DATE:20261201");
	has_line(c, "RRULE:FREQ=WEEKLY;INTERVAL=2");
	has_line(c, "EXDATE;VALUE=DATE:20261201");
	has_line(c, "RDATE;VALUE=DATE:20261203");
	free(u);
	free(s);
}

static void
test_keep_until(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(NY);
	char			*s, *u, *c;
	int64_t			 id;

	/* A UTC UNTIL before the day's start in New York: the day before. */
	id = person(f, "A", "other", NULL);
	cadence(f, id, "FREQ=DAILY;UNTIL=20261210T030000Z",
	    at("2026-12-01", NY));
	/* After it: that day. */
	id = person(f, "B", "other", NULL);
	cadence(f, id, "FREQ=DAILY;UNTIL=20261210T060000Z",
	    at("2026-12-01", NY));
	/* A DATE UNTIL covers its day. */
	id = person(f, "C", "other", NULL);
	cadence(f, id, "FREQ=WEEKLY;UNTIL=20261215", at("2026-12-01", NY));
	/* A rule with hours is timed, its UNTIL in UTC. */
	id = person(f, "D", "other", NULL);
	cadence(f, id, "FREQ=DAILY;BYHOUR=9,17;UNTIL=20261205T000000",
	    at("2026-12-01", NY));
	s = feed(f, &o);
	check_lines(s);
	u = unfold(s);
	c = component(f, u, "keep-1@tend");
	has_line(c, "RRULE:FREQ=DAILY;UNTIL=20261209");
	c = component(f, u, "keep-2@tend");
	has_line(c, "RRULE:FREQ=DAILY;UNTIL=20261210");
	c = component(f, u, "keep-3@tend");
	has_line(c, "RRULE:FREQ=WEEKLY;UNTIL=20261215");
	c = component(f, u, "keep-4@tend");
	has_line(c, "DTSTART;TZID=America/New_York:20261201T090000");
	has_line(c, "RRULE:FREQ=DAILY;UNTIL=20261205T050000Z;BYHOUR=9,17");
	lacks(c, "TRANSP");
	free(u);
	free(s);
}

static void
test_block(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	char			*s, *u, *c;

	o.block = "mon-fri 08:30-09:00";
	s = feed(f, &o);
	check_lines(s);
	check_parse(s, 0, 1, 1);
	u = unfold(s);
	c = component(f, u, "block@tend");
	has_line(c, "SUMMARY:Follow-ups");
	has_line(c, "DTSTART;TZID=Europe/Paris:20261123T083000");
	has_line(c, "DTEND;TZID=Europe/Paris:20261123T090000");
	has_line(c, "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
	has_line(c, "DESCRIPTION:Time set aside for follow-ups (agenda.block "
	    "mon-fri 08:30-09:00). tend today lists them.");
	free(u);
	free(s);

	/* Saturday's feed starts on Monday; daily is FREQ=DAILY. */
	o.now = at("2026-11-28T10:00", PARIS);
	o.block = "sun-thu 16:00-16:30";
	s = feed(f, &o);
	u = unfold(s);
	c = component(f, u, "block@tend");
	has_line(c, "DTSTART;TZID=Europe/Paris:20261129T160000");
	has_line(c, "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,SU");
	free(u);
	free(s);
	o.block = "daily 9:00-9:20";
	s = feed(f, &o);
	u = unfold(s);
	c = component(f, u, "block@tend");
	has_line(c, "DTSTART;TZID=Europe/Paris:20261128T090000");
	has_line(c, "RRULE:FREQ=DAILY");
	free(u);
	free(s);

	/* In UTC, times are UTC. */
	o = opts("UTC");
	o.block = "  tue 10:00-10:15 ";
	s = feed(f, &o);
	u = unfold(s);
	c = component(f, u, "block@tend");
	has_line(c, "DTSTART:20261124T100000Z");
	has_line(c, "DTEND:20261124T101500Z");
	has_line(c, "RRULE:FREQ=WEEKLY;BYDAY=TU");
	free(u);
	free(s);

	/* A blank setting is no block. */
	o.block = "  ";
	s = feed(f, &o);
	lacks(s, "block@tend");
	free(s);
}

static void
test_bad_input(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	struct err		 e;
	int			 rc;

	person(f, "Ann Lee", "client", NULL);
	o.block = "mon-fri 09:00-08:00";
	assert_null(feed_try(f, &o, &rc, &e));
	assert_int_equal(rc, TEND_EINVAL);
	assert_string_equal(e.msg, "setting 'agenda.block': invalid block "
	    "'mon-fri 09:00-08:00': the end 08:00 is not after the start "
	    "09:00 (a block starts and ends on the same day)");
	o.block = "someday";
	assert_null(feed_try(f, &o, &rc, &e));
	assert_int_equal(rc, TEND_EINVAL);
	assert_non_null(strstr(e.msg, "invalid block 'someday'"));
	o = opts("Mars/Olympus");
	assert_null(feed_try(f, &o, &rc, &e));
	assert_int_equal(rc, TEND_EINVAL);
	assert_string_equal(e.msg, "unknown time zone 'Mars/Olympus'");
}

static void
test_corrupt_cadence(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts("UTC");
	struct err		 e;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*mem;
	int64_t			 id;

	id = person(f, "Ann Lee", "client", NULL);
	assert_int_equal(store_cadence_set(f->s, id, "every blue moon",
	    NOW, &e), 0);
	mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	assert_int_equal(ical_export(f->s, f->a, mem, &o, &e), TEND_ECORRUPT);
	fclose(mem);
	free(buf);
	assert_string_equal(e.msg, "contact 1 has an invalid cadence "
	    "'every blue moon'");
}

static void
test_write_error(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	struct err		 e;
	FILE			*full;

	full = fopen("/dev/full", "w");
	if (full == NULL) {
		print_message("skipped: no /dev/full\n");
		skip();
		return;
	}
	assert_int_equal(ical_export(f->s, f->a, full, &o, &e), TEND_EIO);
	assert_non_null(strstr(e.msg, "cannot write the calendar: "));
	fclose(full);
}

static void
test_zone(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(NY);
	struct err		 e;
	char			*s, *u;
	const char		*tz;
	int			 rc;

	s = feed(f, &o);
	check_lines(s);
	check_parse(s, 0, 0, 1);
	u = unfold(s);
	has_line(u, "BEGIN:VTIMEZONE");
	has_line(u, "TZID:America/New_York");
	has_line(u, "X-WR-TIMEZONE:America/New_York");
	lacks(u, "freeassociation");
	free(u);
	free(s);

	/*
	 * NULL is the system's zone: TZ, as when.c found it first.  A POSIX
	 * rule in TZ ("CET-1CEST,...") has no name a calendar could use.
	 */
	tz = getenv("TZ");
	o = opts(NULL);
	s = feed_try(f, &o, &rc, &e);
	if (s == NULL) {
		assert_int_equal(rc, TEND_EINVAL);
		assert_non_null(strstr(e.msg, "cannot name the system's time "
		    "zone"));
		assert_true(tz != NULL && !when_zone_valid(tz));
		return;
	}
	if (tz != NULL && strcmp(tz, "UTC") == 0)
		assert_non_null(strstr(s, "X-WR-TIMEZONE:UTC\r\n"));
	else
		assert_non_null(strstr(s, "X-WR-TIMEZONE:"));
	free(s);
}

static void
test_stable_and_folded(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	char			*s1, *s2, reason[600];
	size_t			 i, len;
	int64_t			 id;

	/* Long reasons in several scripts: folded on character bounds. */
	len = 0;
	for (i = 0; i < 30; i++)
		len += (size_t)snprintf(reason + len, sizeof reason - len,
		    "%s", i % 3 == 0 ? "Zoë " : i % 3 == 1 ? "日本語" :
		    "€,;\\");
	for (i = 0; i < 5; i++) {
		id = person(f, "Émile Zola", "client", "bni");
		followup(f, id, NULL, reason, "call", 0, NOW + (int64_t)i *
		    DAY);
		cadence(f, id, i % 2 ? "FREQ=MONTHLY;BYDAY=-1FR" : "5w",
		    at("2026-12-24", PARIS));
	}
	o.block = "mon,wed,fri 16:00-16:30";
	s1 = feed(f, &o);
	s2 = feed(f, &o);
	assert_string_equal(s1, s2);
	check_lines(s1);
	check_parse(s1, 5, 6, 1);
	free(s1);
	free(s2);
}

/* ---- read back by python's icalendar and dateutil ---- */

static const char py_check[] =
"import sys\n"
"from itertools import islice\n"
"from datetime import datetime\n"
"from dateutil.rrule import rrulestr, rruleset\n"
"import icalendar\n"
"n = int(sys.argv[2])\n"
"cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
"zones = [str(z['TZID']) for z in cal.walk('VTIMEZONE')]\n"
"print('zones', ' '.join(zones))\n"
"def plain(t, allday):\n"
"    if allday:\n"
"        return datetime(t.year, t.month, t.day)\n"
"    return t\n"
"# the feed's own RRULE text: python-icalendar 4 cannot read BYDAY=20MO\n"
"raw = open(sys.argv[1], 'rb').read().decode().replace('\\r\\n ', '')\n"
"rules, uid = {}, None\n"
"for l in raw.split('\\r\\n'):\n"
"    if l.startswith('UID:'):\n"
"        uid = l[4:]\n"
"    elif l.startswith('RRULE:'):\n"
"        rules[uid] = l[6:]\n"
"for ev in cal.walk('VEVENT'):\n"
"    uid = str(ev['UID'])\n"
"    start = ev.decoded('DTSTART')\n"
"    allday = not isinstance(start, datetime)\n"
"    start = plain(start, allday)\n"
"    rs = rruleset()\n"
"    rs.rrule(rrulestr(rules[uid], dtstart=start))\n"
"    for name, add in (('EXDATE', rs.exdate), ('RDATE', rs.rdate)):\n"
"        v = ev.get(name)\n"
"        for l in ([] if v is None else v if isinstance(v, list) "
"else [v]):\n"
"            for d in l.dts:\n"
"                add(plain(d.dt, allday))\n"
"    out = []\n"
"    for t in islice(rs, n):\n"
"        if allday:\n"
"            out.append(t.strftime('%Y%m%d'))\n"
"            continue\n"
"        tz = start.tzinfo\n"
"        # pytz zones must localize a wall time, not keep an offset\n"
"        if hasattr(tz, 'localize'):\n"
"            t = tz.localize(t.replace(tzinfo=None))\n"
"        out.append(str(int(t.timestamp())))\n"
"    print(uid, 'D' if allday else 'T', ' '.join(out))\n";

struct expect {
	int64_t		 contact;
	struct cadence	 c;
	int64_t		 due;
	int64_t		 level;	/* 0: none */
};

static int
python_ready(void)
{
	return access(PY, X_OK) == 0 && system(PY " -c 'import icalendar, "
	    "dateutil' 2>/dev/null") == 0;
}

/*
 * Write the feed to a file, have python expand every keep-in-touch
 * series and compare with cadence_expand() from the same due (the
 * levelled occurrence moved).  Returns how many series were compared.
 */
static int
python_compare(struct fixture *f, const struct ical_opts *o,
    const struct expect *ex, size_t nex, const char *zone_want)
{
	char		 path[128], cmd[300], line[4096], want[4096], *s;
	char		 uid[64], kind[4];
	const char	*rest;
	int64_t		 got[NOCC + 1];
	FILE		*out, *p;
	size_t		 i, len;
	int		 n, k, compared, zones_seen;

	s = feed(f, o);
	snprintf(path, sizeof path, "%s/feed.ics", f->dir);
	out = fopen(path, "w");
	assert_non_null(out);
	assert_int_equal(fwrite(s, 1, strlen(s), out), strlen(s));
	assert_int_equal(fclose(out), 0);
	free(s);
	snprintf(cmd, sizeof cmd, "%s/check.py", f->dir);
	out = fopen(cmd, "w");
	assert_non_null(out);
	fputs(py_check, out);
	assert_int_equal(fclose(out), 0);
	snprintf(cmd, sizeof cmd, PY " %s/check.py %s %d", f->dir, path,
	    NOCC);
	p = popen(cmd, "r");
	assert_non_null(p);
	compared = 0;
	zones_seen = 0;
	while (fgets(line, sizeof line, p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "zones", 5) == 0) {
			/* the VTIMEZONE is the user's zone, by name */
			assert_string_equal(line + 5 + (line[5] == ' '),
			    zone_want);
			zones_seen = 1;
			continue;
		}
		if (sscanf(line, "%63s %3s", uid, kind) != 2)
			fail_msg("python said '%s'", line);
		if (strncmp(uid, "keep-", 5) != 0)
			continue;
		rest = line + strlen(uid) + 1 + strlen(kind);
		if (*rest == ' ')
			rest++;
		for (i = 0; i < nex; i++) {
			char	 id[64];

			snprintf(id, sizeof id, "keep-%lld@tend",
			    (long long)ex[i].contact);
			if (strcmp(id, uid) == 0)
				break;
		}
		if (i == nex)
			fail_msg("unexpected series %s", uid);
		n = cadence_expand(&ex[i].c, ex[i].due, ex[i].due - 1,
		    o->tz, got, NOCC + 1);
		/* The levelled occurrence: moved, then in order again. */
		if (ex[i].level != 0 && n > 0) {
			got[0] = ex[i].level;
			for (k = 1; k < n && got[k] < got[k - 1]; k++) {
				int64_t	t = got[k];

				got[k] = got[k - 1];
				got[k - 1] = t;
			}
		}
		/* Nothing to compare would prove nothing. */
		assert_true(n >= 1);
		if (n > NOCC)
			n = NOCC;
		want[0] = '\0';
		len = 0;
		for (k = 0; k < n; k++) {
			struct when_tm	 tm;

			if (kind[0] == 'D') {
				when_split(got[k], o->tz, &tm);
				len += (size_t)snprintf(want + len,
				    sizeof want - len, "%s%04d%02d%02d",
				    k > 0 ? " " : "", tm.year, tm.month,
				    tm.day);
			} else
				len += (size_t)snprintf(want + len,
				    sizeof want - len, "%s%lld",
				    k > 0 ? " " : "", (long long)got[k]);
		}
		if (strcmp(rest, want) != 0) {
			char	 spec[CADENCE_RRULE_MAX];

			fail_msg("%s (%s): dateutil gives\n  %s\n"
			    "cadence_expand gives\n  %s", uid,
			    cadence_format(&ex[i].c, spec, sizeof spec), rest,
			    want);
		}
		compared++;
	}
	assert_int_equal(pclose(p), 0);
	assert_true(zones_seen);
	return compared;
}

static void
test_dateutil_units(void **state)
{
	static const struct {
		const char	*spec;
		const char	*due;
	} cases[] = {
		{ "6w", "2026-12-03" },
		{ "1d", "2026-11-23" },
		{ "10d", "2027-03-20" },	/* over the DST change */
		{ "1m", "2027-01-31" },
		{ "1m", "2027-01-30" },
		{ "1m", "2027-01-29" },
		{ "1m", "2027-03-31" },
		{ "3m", "2026-11-30" },
		{ "5m", "2026-12-31" },
		{ "1y", "2028-02-29" },
		{ "2y", "2027-02-28" },
		{ "1y", "2026-12-03" },
		{ "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "2026-12-02" },
		{ "FREQ=MONTHLY;BYDAY=-1FR;COUNT=4", "2026-12-01" },
		{ "FREQ=DAILY;BYHOUR=9,17", "2026-12-01" },
		{ "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "2026-12-01" },
		{ "FREQ=WEEKLY;UNTIL=20270105T120000Z", "2026-12-01" },
	};
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(PARIS);
	struct expect		 ex[sizeof cases / sizeof cases[0] + 1];
	struct err		 e;
	size_t			 i, n;

	(void)e;
	if (!python_ready()) {
		print_message("skipped: needs " PY " with icalendar and "
		    "dateutil (python3-icalendar)\n");
		skip();
		return;
	}
	n = sizeof cases / sizeof cases[0];
	for (i = 0; i < n; i++) {
		ex[i].contact = person(f, "Ann Lee", "client", NULL);
		assert_int_equal(cadence_parse(cases[i].spec, &ex[i].c, NULL),
		    0);
		ex[i].due = at(cases[i].due, PARIS);
		ex[i].level = 0;
		cadence(f, ex[i].contact, cases[i].spec, ex[i].due);
	}
	/* One levelled two days later. */
	ex[n].contact = person(f, "Lev Elled", "client", NULL);
	assert_int_equal(cadence_parse("1w", &ex[n].c, NULL), 0);
	ex[n].due = at("2026-12-01", PARIS);
	ex[n].level = at("2026-12-03", PARIS);
	cadence(f, ex[n].contact, "1w", ex[n].due);
	assert_int_equal(store_cadence_level(f->s, ex[n].contact,
	    ex[n].level, &e), 0);
	assert_int_equal(python_compare(f, &o, ex, n + 1, PARIS), (int)n + 1);
}

/*
 * From the day of the example's DTSTART, cadence_expand() gives the
 * RFC's dates (times, for a rule with BYHOUR): so the feed, which
 * dateutil finds equal to cadence_expand(), holds the RFC's answers.
 */
static void
corpus_dates(const struct cadence *c, int64_t due, json_t *x)
{
	json_t		*local, *ex;
	struct when_tm	 tm;
	const char	*want, *exdate;
	int64_t		 got[NOCC];
	char		 day[16];
	size_t		 nwant;
	int		 n, k, i;

	local = json_object_get(x, "expected_local");
	nwant = json_array_size(local);
	ex = json_array_get(json_object_get(x, "exdate"), 0);
	exdate = ex != NULL ? strrchr(json_string_value(ex), ':') + 1 : NULL;
	n = cadence_expand(c, due, due - 1, NY, got, NOCC);
	if (json_is_true(json_object_get(x, "expected_is_complete_set")) &&
	    nwant < NOCC)
		assert_int_equal(n, (int)nwant);
	for (k = 0, i = 0; k < n && (size_t)i < nwant; k++) {
		when_split(got[k], NY, &tm);
		snprintf(day, sizeof day, "%04d%02d%02dT%02d%02d%02d", tm.year,
		    tm.month, tm.day, tm.hour, tm.min, tm.sec);
		if (exdate != NULL && strcmp(day, exdate) == 0)
			continue;
		want = json_string_value(json_array_get(local, (size_t)i++));
		/* Without BYHOUR the series is all-day: dates only. */
		if (strncmp(day, want, tm.hour == 0 && tm.min == 0 ? 8 : 15)
		    != 0)
			fail_msg("%s: occurrence %d is %s, the RFC says %s",
			    json_string_value(json_object_get(x, "id")), i, day,
			    want);
	}
}

static void
test_dateutil_corpus(void **state)
{
	struct fixture		*f = *state;
	struct ical_opts	 o = opts(NY);
	struct expect		 ex[128];
	json_error_t		 jerr;
	json_t			*root, *examples, *x, *alts;
	const char		*rule, *dtstart;
	struct when_tm		 tm;
	size_t			 i, j, n;
	int64_t			 start;

	if (!python_ready()) {
		print_message("skipped: needs " PY " with icalendar and "
		    "dateutil (python3-icalendar)\n");
		skip();
		return;
	}
	root = json_load_file(CORPUS, 0, &jerr);
	if (root == NULL) {
		print_message("skipped: cannot read %s (%s); run from the "
		    "project root with ../shared beside it\n", CORPUS,
		    jerr.text);
		skip();
		return;
	}
	examples = json_object_get(root, "examples");
	n = 0;
	for (i = 0; i < json_array_size(examples); i++) {
		x = json_array_get(examples, i);
		dtstart = json_string_value(json_object_get(x, "dtstart"));
		alts = json_object_get(x, "rrule_alternatives");
		memset(&tm, 0, sizeof tm);
		assert_int_equal(sscanf(strrchr(dtstart, ':') + 1,
		    "%4d%2d%2dT%2d%2d%2d", &tm.year, &tm.month, &tm.day,
		    &tm.hour, &tm.min, &tm.sec), 6);
		start = when_join(&tm, NY);
		for (j = 0; j <= json_array_size(alts); j++) {
			rule = json_string_value(j == 0 ? json_object_get(x,
			    "rrule") : json_array_get(alts, j - 1));
			assert_true(n < sizeof ex / sizeof ex[0]);
			/* Sub-daily rules are no cadence (ex33 among them). */
			if (cadence_parse(rule, &ex[n].c, NULL) != 0)
				continue;
			ex[n].contact = person(f, "Rule", "other", NULL);
			/* As tend stores a due: a day's start. */
			ex[n].due = when_day_start(start, NY);
			ex[n].level = 0;
			corpus_dates(&ex[n].c, ex[n].due, x);
			cadence(f, ex[n].contact, rule, ex[n].due);
			n++;
		}
	}
	json_decref(root);
	assert_true(n >= 35);
	/* Every series compared; a rule that ended has no entry. */
	assert_int_equal(python_compare(f, &o, ex, n, NY), (int)n);
	print_message("rfc5545 corpus: %zu rules compared with dateutil\n",
	    n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_followups, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_events, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_levelled, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keep_until, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_cadence, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stable_and_folded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dateutil_units, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dateutil_corpus, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
