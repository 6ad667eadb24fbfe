/*
 * Unit tests for the JSON backup and contact export (src/interop/backup.c
 * and the rows of src/store/backup.c): a database written, restored into
 * a new one and written again gives the same bytes; every kind of bad
 * document is refused with where it is wrong and leaves nothing; the
 * import reader gives contacts and goes on after a bad one.
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

#include "core/contact.h"
#include "core/deal.h"
#include "core/interaction.h"
#include "core/outbox.h"
#include "core/sequence.h"
#include "interop/backup.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define NOW	((int64_t)1795424400)	/* 2026-11-23T09:00:00Z */
#define DAY	86400

struct fixture {
	char		 dir[64];
	struct store	*a;		/* the source */
	struct store	*b;		/* restored into */
};

static struct store *
open_db(struct fixture *f, const char *name)
{
	struct store	*s;
	struct err	 e;
	char		 path[128];

	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	if (store_open(path, STORE_CREATE, &s, &e) != 0)
		fail_msg("store_open: %s", e.msg);
	return s;
}

static int
setup(void **state)
{
	struct fixture	*f;

	f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/tend-backup-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->a = open_db(f, "a.db");
	f->b = open_db(f, "b.db");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[160];

	store_close(f->a);
	store_close(f->b);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* The backup of s as a string (caller frees). */
static char *
dump(struct store *s)
{
	struct err	 e;
	FILE		*f;
	char		*buf = NULL;
	size_t		 n = 0;
	int		 rc;

	f = open_memstream(&buf, &n);
	assert_non_null(f);
	rc = backup_write(s, f, NOW, &e);
	fclose(f);
	if (rc != 0)
		fail_msg("backup_write: %s", e.msg);
	return buf;
}

/* Restore doc into s in one transaction, committed only on success. */
static int
restore(struct store *s, const char *doc, struct backup_counts *n,
    struct err *e)
{
	FILE	*f;
	int	 rc;

	f = fmemopen((void *)doc, strlen(doc), "r");
	assert_non_null(f);
	assert_int_equal(store_begin(s, e), 0);
	rc = backup_restore(s, f, "b.json", n, e);
	fclose(f);
	if (rc == 0)
		assert_int_equal(store_commit(s, e), 0);
	else
		store_rollback(s);
	return rc;
}

/* ---- building a database ---------------------------------------------- */

static int64_t
add_contact(struct store *s, const char *name, const char *email)
{
	struct contact	 c;
	struct err	 e;
	char		*emails[1];

	memset(&c, 0, sizeof c);
	c.name = (char *)name;
	if (email != NULL) {
		emails[0] = (char *)email;
		c.emails.v = emails;
		c.emails.n = 1;
	}
	if (store_contact_insert(s, &c, NOW - 100 * DAY, &e) != 0)
		fail_msg("insert: %s", e.msg);
	return c.id;
}

/*
 * A database that uses every table and every odd corner: labels and a
 * primary that is not the first written, extras, a levelled cadence, a
 * referral to a contact written later, a follow-up on another contact's
 * deal, archived and do-not-contact contacts, text with quotes, newlines
 * and non-ASCII letters, settings; templates added and edited and a
 * starter removed, suppressions, and messages in several states, one of
 * a contact since deleted.
 */
#define MSG_DATA "From: Sam <sam@example.org>\r\nTo: ann@example.com\r\n" \
	"Subject: Hi\r\nMessage-ID: <m.%d@example.org>\r\n\r\nHello\r\n"

/* A message to ann (contact 0: deleted) in state, with its own id. */
static void
add_message(struct store *s, int64_t id, int64_t contact, const char *state,
    int64_t due)
{
	struct outbox_msg	m;
	struct err		e;
	char			data[256], mid[64];

	memset(&m, 0, sizeof m);
	snprintf(data, sizeof data, MSG_DATA, (int)id);
	snprintf(mid, sizeof mid, "m.%d@example.org", (int)id);
	m.id = id;
	m.contact_id = contact;
	m.template = "hello";
	m.automated = strcmp(state, "sent") == 0;
	m.rcpt = "ann@example.com";
	m.sender = "sam@example.org";
	m.subject = "Hi Ann";
	m.message_id = mid;
	m.data = data;
	m.len = strlen(data);
	m.state = (char *)state;
	m.queued = NOW - DAY;
	m.next_attempt = due;
	if (strcmp(state, "queued") != 0) {
		m.attempts = 2;
		m.date = NOW - DAY + 60;
		m.last_reply = "451 4.7.1 try later";
	}
	if (strcmp(state, "sent") == 0) {
		m.sent_at = NOW - 3600;
		m.last_reply = "250 2.0.0 Ok";
	}
	if (strcmp(state, "sending") == 0)
		m.lease_owner = "4242.0";
	if (strcmp(state, "deferred") == 0)
		m.reason = "quiet hours in UTC until Mon 2026-11-23 08:00";
	if (store_backup_outbox_add(s, &m, 0, &e) != 0)
		fail_msg("outbox add: %s", e.msg);
}

static void
fill_mail(struct store *s, int64_t ann, int64_t deal)
{
	struct outbox_msg	 m;
	struct template		 t, *tp;
	struct arena		*a;
	struct err		 e;
	char			 data[256];

	a = arena_new();
	memset(&t, 0, sizeof t);
	t.name = "hello";
	t.subject = "Hi {{contact.first_name}}";
	t.body = "Hello {{contact.first_name}},\n\nSam\n";
	t.html = "<p>Hello {{contact.first_name}}</p>";
	assert_int_equal(store_template_put(s, &t, NOW - 2 * DAY, &e), 0);
	assert_int_equal(store_template_get(s, a, "nudge", &tp, &e), 0);
	tp->subject = "A nudge, {{contact.first_name}}";
	assert_int_equal(store_template_put(s, tp, NOW - DAY, &e), 0);
	assert_int_equal(store_template_rm(s, "check-in", &e), 0);
	assert_int_equal(store_suppress_add(s, "Zed@Example.com",
	    "unsubscribed", "by token", NOW - DAY, &e), 0);
	assert_int_equal(store_suppress_add(s, "zed@example.com", "bounced",
	    "550 5.1.1 no such user\nsecond line", NOW - 2 * DAY, &e), 0);
	assert_int_equal(store_suppress_add(s, "gone@example.net",
	    "unsubscribed", NULL, NOW - 9 * DAY, &e), 0);
	add_message(s, 1, ann, "sent", NOW - 3600);
	add_message(s, 2, ann, "queued", NOW + DAY);
	add_message(s, 4, 0, "cancelled", NOW - DAY);
	add_message(s, 5, ann, "deferred", NOW + 600);
	add_message(s, 6, ann, "failed", NOW);
	/* one about a deal, queued through the ordinary API */
	memset(&m, 0, sizeof m);
	snprintf(data, sizeof data, MSG_DATA, 7);
	m.contact_id = ann;
	m.deal_id = deal;
	m.rcpt = "ann@example.com";
	m.sender = "sam@example.org";
	m.subject = "Recap: Website";
	m.message_id = "m.7@example.org";
	m.data = data;
	m.len = strlen(data);
	m.state = "queued";
	m.queued = NOW;
	m.next_attempt = NOW;
	assert_int_equal(store_outbox_add(s, &m, &e), 0);
	assert_int_equal(m.id, 7);
	arena_free(a);
}

/*
 * Sequences and mail in: a paused sequence, an enrollment held by a task
 * (a follow-up that is also a reply's, escalated) and one ended, a
 * message it queued and an acknowledgement, tend's own note, messages
 * read (one of bytes that are not text), polled mailboxes, a soft bounce.
 */
#define SEQ_SRC	"[sequence]\nname = follow\n[step]\nemail = hello\n" \
	"[step]\ntask = Call them\nafter = 1\n"
#define BIN_MSG	"From: x@y.example\r\n\r\nNUL \0 and \xff\r\n"

static void
fill_seq(struct store *s, int64_t ann, int64_t bob)
{
	struct store_sequence	 q;
	struct enrollment	 r, r2;
	struct store_inbound	 m;
	struct interaction	 i;
	struct followup		 fu;
	struct outbox_msg	 o;
	struct err		 e;
	const char		*text = "From: ann@example.com\r\nSubject: "
	    "Re: Hi\r\n\r\nYes, gern.\r\n";
	char			 data[256];
	int			 n;

	memset(&q, 0, sizeof q);
	q.name = "follow";
	q.source = SEQ_SRC;
	assert_int_equal(store_sequence_add(s, &q, NOW - 20 * DAY, &e), 0);
	assert_int_equal(store_sequence_pause(s, q.id, 1, NOW - 2 * DAY, &e),
	    0);
	memset(&r, 0, sizeof r);
	r.contact_id = ann;
	r.sequence_id = q.id;
	r.deal_stage = "proposal";
	r.step = 1;
	r.next_at = NOW + DAY;
	r.base_at = NOW - DAY;
	r.tz = "Europe/Paris";
	r.started = NOW - 5 * DAY;
	assert_int_equal(store_enrollment_add(s, &r, &e), 0);
	memset(&fu, 0, sizeof fu);
	fu.contact_id = ann;
	fu.kind = "task";
	fu.reason = "Call them";
	fu.due = NOW;
	assert_int_equal(store_followup_add(s, &fu, NOW - DAY, &e), 0);
	assert_int_equal(store_followup_enrollment_set(s, fu.id, r.id, &e), 0);
	assert_int_equal(store_followup_origin(s, fu.id, "reply", &e), 0);
	assert_int_equal(store_inquiry_escalate(s, fu.id, NOW - 3600, &e), 0);
	r.next_at = 0;
	r.hold_followup_id = fu.id;
	r.hold_until = NOW + 3 * DAY;
	r.cycles = 1;
	r.sent = 2;
	assert_int_equal(store_enrollment_set(s, &r, NOW - DAY, &e), 0);
	memset(&r2, 0, sizeof r2);
	r2.contact_id = bob;
	r2.sequence_id = q.id;
	r2.base_at = NOW - 9 * DAY;
	r2.next_at = NOW - 8 * DAY;
	r2.started = NOW - 9 * DAY;
	assert_int_equal(store_enrollment_add(s, &r2, &e), 0);
	assert_int_equal(store_enrollment_end(s, r2.id, "replied", NOW - DAY,
	    &e), 0);
	add_message(s, 8, ann, "queued", NOW + DAY);
	assert_int_equal(store_outbox_enrollment_set(s, 8, r.id, &e), 0);
	memset(&o, 0, sizeof o);
	snprintf(data, sizeof data, MSG_DATA, 9);
	o.id = 9;
	o.contact_id = ann;
	o.template = "inquiry-ack";
	o.automated = OUTBOX_AUTOREPLY;
	o.rcpt = "ann@example.com";
	o.sender = "sam@example.org";
	o.subject = "Re: A shop";
	o.message_id = "m.9@example.org";
	o.data = data;
	o.len = strlen(data);
	o.state = "queued";
	o.queued = NOW;
	o.next_attempt = NOW;
	assert_int_equal(store_backup_outbox_add(s, &o, 0, &e), 0);
	memset(&i, 0, sizeof i);
	i.contact_id = ann;
	i.kind = "note";
	i.direction = "out";
	i.at = i.created = NOW - 2 * DAY;
	i.summary = "sequence 'other' ended: replied";
	i.system = 1;
	assert_int_equal(store_interaction_add(s, &i, &e), 0);
	memset(&m, 0, sizeof m);
	m.key = "r1@x.example";
	m.received = NOW - 3600;
	m.source = "stdin";
	m.cls = "reply";
	m.contact_id = ann;
	m.from_addr = "ann@example.com";
	m.subject = "Re: Hi";
	m.why = "from an address of Ann Lee";
	m.effect = "on the timeline";
	assert_int_equal(store_inbound_add(s, &m, text, strlen(text), &e), 0);
	memset(&m, 0, sizeof m);
	m.key = "sha256:00ff";
	m.received = NOW - 60;
	m.source = "imap";
	m.cls = "other";
	m.why = "not about a contact";
	assert_int_equal(store_inbound_add(s, &m, BIN_MSG,
	    sizeof BIN_MSG - 1, &e), 0);
	assert_int_equal(store_imap_state_set(s, "INBOX", 7, 42, &e), 0);
	assert_int_equal(store_imap_state_set(s, "Archive", 3, 9, &e), 0);
	assert_int_equal(store_soft_bounce(s, "Full@Example.net", NOW - DAY, &n,
	    &e), 0);
}

static void
fill(struct store *s)
{
	struct store_entry		 en;
	struct contact_extra		 x;
	struct contact			 c;
	struct interaction		 i;
	struct followup			 fu;
	struct store_followup_event	 fe;
	struct deal			 d;
	struct deal_event		 de;
	struct err			 e;
	int64_t				 ann, bob;

	assert_int_equal(store_begin(s, &e), 0);
	/* through the ordinary API */
	ann = add_contact(s, "Ann Lee", "ann@example.com");
	bob = add_contact(s, "Bob Stone", NULL);
	memset(&i, 0, sizeof i);
	i.contact_id = ann;
	i.kind = "call";
	i.direction = "in";
	i.at = NOW - 3 * DAY;
	i.summary = "said \"yes\"\nand more";
	i.created = NOW - 3 * DAY;
	assert_int_equal(store_interaction_add(s, &i, &e), 0);
	memset(&fu, 0, sizeof fu);
	fu.contact_id = bob;
	fu.kind = "task";
	fu.reason = "send the quote";
	fu.channel = "email";
	fu.due = NOW + 2 * DAY;
	assert_int_equal(store_followup_add(s, &fu, NOW - DAY, &e), 0);
	assert_int_equal(store_followup_set(s, fu.id, "snoozed", NOW + 5 * DAY,
	    "later", NOW, &e), 0);
	memset(&d, 0, sizeof d);
	d.contact_id = ann;
	d.title = "Website";
	d.has_value = 1;
	d.value_cents = 450050;
	d.stage = "inquiry";
	assert_int_equal(store_deal_add(s, &d, NOW - 10 * DAY, &e), 0);
	assert_int_equal(store_deal_move(s, d.id, "proposal", 0, NOW - 2 * DAY,
	    &e), 0);
	assert_int_equal(store_deal_next(s, d.id, "call back", NOW + DAY,
	    NOW - DAY, &e), 0);
	assert_int_equal(store_cadence_set(s, ann, "6w", NOW + 40 * DAY, &e),
	    0);
	assert_int_equal(store_cadence_level(s, ann, NOW + 41 * DAY, &e), 0);
	assert_int_equal(store_setting_set(s, "deal.stages",
	    "inquiry,consult,proposal,contract,won,lost", &e), 0);

	/* row by row: what the ordinary API cannot write yet */
	memset(&c, 0, sizeof c);
	c.id = 7;
	c.name = "Émile Zoë";
	c.company = "Café \"Zoë\"";
	c.title = "Owner";
	c.kind = "client";
	c.tz = "Europe/Paris";
	c.met_where = "Lyon";
	c.met_on = NOW - 400 * DAY;
	c.via_id = 0;		/* 9, written later: see via_set */
	c.source = "referral";
	c.needs = "two lines\nof needs";
	c.notes = "tab\there";
	c.do_not_contact = 1;
	c.archived = 1;
	c.last_touch = NOW - 30 * DAY;
	c.created = NOW - 400 * DAY;
	c.updated = NOW - 30 * DAY;
	assert_int_equal(store_backup_contact_add(s, &c, &e), 0);
	en.value = "emile@example.org";
	en.label = "home";
	en.primary = 0;
	assert_int_equal(store_backup_email_add(s, 7, &en, &e), 0);
	en.value = "Emile@Work.example.com";
	en.label = "Assistant";
	en.primary = 1;
	assert_int_equal(store_backup_email_add(s, 7, &en, &e), 0);
	en.value = "+33 4 72 00 00 00";
	en.label = "cell";
	en.primary = 1;
	assert_int_equal(store_backup_phone_add(s, 7, &en, &e), 0);
	assert_int_equal(store_backup_tag_add(s, 7, "vip", &e), 0);
	assert_int_equal(store_backup_tag_add(s, 7, "lyon", &e), 0);
	x.group = "item1";
	x.name = "ADR";
	x.params = "TYPE=home";
	x.value = ";;1 rue X;Lyon;;69001;France";
	assert_int_equal(store_backup_extra_add(s, 7, &x, &e), 0);
	x.group = NULL;
	x.name = "X-TEND-CSV";
	x.params = "X-COLUMN=Yomi Name";
	x.value = "エミール";
	assert_int_equal(store_backup_extra_add(s, 7, &x, &e), 0);

	memset(&c, 0, sizeof c);
	c.id = 9;
	c.name = "Zed";
	c.created = NOW - 5 * DAY;
	c.updated = NOW - 5 * DAY;
	assert_int_equal(store_backup_contact_add(s, &c, &e), 0);
	assert_int_equal(store_backup_via_set(s, 7, 9, &e), 0);
	memset(&i, 0, sizeof i);
	i.id = 50;
	i.contact_id = 9;
	i.kind = "note";
	i.direction = "out";
	i.at = NOW - 5 * DAY;
	i.created = NOW - 5 * DAY;
	assert_int_equal(store_backup_interaction_add(s, &i, &e), 0);
	/* a follow-up of Zed's about Ann's deal */
	memset(&fu, 0, sizeof fu);
	fu.id = 40;
	fu.contact_id = 9;
	fu.deal_id = d.id;
	fu.kind = "inquiry";
	fu.due = NOW;
	fu.state = "done";
	fu.created = NOW - 5 * DAY;
	fu.updated = NOW - DAY;
	assert_int_equal(store_backup_followup_add(s, &fu, &e), 0);
	fe.at = NOW - DAY;
	fe.state = "done";
	fe.due = NOW;
	fe.note = NULL;
	assert_int_equal(store_backup_followup_event_add(s, 40, &fe, &e), 0);
	memset(&d, 0, sizeof d);
	d.id = 30;
	d.contact_id = 9;
	d.title = "Lost one";
	d.stage = "lost";
	d.stage_since = NOW - 2 * DAY;
	d.closed = 1;
	d.created = NOW - 5 * DAY;
	d.updated = NOW - 2 * DAY;
	assert_int_equal(store_backup_deal_add(s, &d, &e), 0);
	de.at = NOW - 2 * DAY;
	de.stage = "lost";
	de.next_step = NULL;
	de.next_due = 0;
	assert_int_equal(store_backup_deal_event_add(s, 30, &de, &e), 0);
	assert_int_equal(store_setting_set(s, "x.custom", "kept as is", &e), 0);
	fill_mail(s, ann, d.id);
	fill_seq(s, ann, bob);
	assert_int_equal(store_commit(s, &e), 0);
}

/* ---- round trips ----------------------------------------------------- */

static void
test_empty_database(void **state)
{
	struct fixture	*f = *state;
	struct backup_counts n;
	struct err	 e;
	char		*out, *two;

	const char	*head = "{\n"
	    "  \"format\": \"tend-backup\",\n"
	    "  \"version\": 3,\n"
	    "  \"written\": \"2026-11-23T09:00:00Z\",\n"
	    "  \"settings\": {},\n"
	    "  \"contacts\": [],\n"
	    "  \"templates\": [\n"
	    "    {\n"
	    "      \"id\": 1,\n"
	    "      \"name\": \"met-at-event\",\n";

	out = dump(f->a);
	assert_true(strncmp(out, head, strlen(head)) == 0);
	/* the starters as shipped: no times */
	assert_non_null(strstr(out, "      \"starter\": true,\n"
	    "      \"created\": null,\n"
	    "      \"updated\": null\n"));
	assert_non_null(strstr(out, "\"name\": \"inquiry-ack\""));
	assert_non_null(strstr(out, "\n  ],\n"
	    "  \"suppressions\": [],\n"
	    "  \"sequences\": [],\n"
	    "  \"enrollments\": [],\n"
	    "  \"outbox\": [],\n"
	    "  \"inbound\": [],\n"
	    "  \"imap_state\": [],\n"
	    "  \"soft_bounces\": []\n"
	    "}\n"));
	assert_int_equal(restore(f->b, out, &n, &e), 0);
	assert_int_equal(n.contacts, 0);
	assert_int_equal(n.templates, 7);
	assert_int_equal(n.suppressions, 0);
	assert_int_equal(n.messages, 0);
	two = dump(f->b);
	assert_string_equal(out, two);
	free(two);
	free(out);
}

static void
test_round_trip(void **state)
{
	struct fixture		*f = *state;
	struct backup_counts	 n;
	struct err		 e;
	char			*one, *two;

	fill(f->a);
	one = dump(f->a);
	if (restore(f->b, one, &n, &e) != 0)
		fail_msg("restore: %s", e.msg);
	assert_int_equal(n.contacts, 4);
	assert_int_equal(n.interactions, 3);
	assert_int_equal(n.followups, 3);
	assert_int_equal(n.deals, 2);
	assert_int_equal(n.settings, 2);
	assert_int_equal(n.templates, 7);	/* 7 starters - 1 + hello */
	assert_int_equal(n.suppressions, 3);
	assert_int_equal(n.messages, 8);
	assert_int_equal(n.sequences, 1);
	assert_int_equal(n.enrollments, 2);
	assert_int_equal(n.inbound, 2);
	assert_int_equal(n.mailboxes, 2);
	assert_int_equal(n.soft_bounces, 1);
	two = dump(f->b);
	assert_string_equal(one, two);
	/* sequences and mail in */
	assert_non_null(strstr(one, "\"name\": \"follow\",\n"
	    "      \"paused\": true,"));
	assert_non_null(strstr(one, "\"deal_stage\": \"proposal\",\n"
	    "      \"state\": \"active\",\n"
	    "      \"step\": 1,\n"
	    "      \"next_at\": null,"));
	assert_non_null(strstr(one, "\"hold_until\": "
	    "\"2026-11-26T09:00:00Z\",\n"
	    "      \"hold_followup\": "));
	assert_non_null(strstr(one, "\"end_reason\": \"replied\""));
	assert_non_null(strstr(one, "\"enrollment\": 1,\n"
	    "      \"template\": \"hello\",\n"
	    "      \"automated\": \"hand\""));
	assert_non_null(strstr(one, "\"automated\": \"auto-reply\""));
	assert_non_null(strstr(one, "\"automated\": \"auto\""));
	assert_non_null(strstr(one, "\"origin\": \"reply\",\n"
	    "          \"escalated\": \"2026-11-23T08:00:00Z\""));
	assert_non_null(strstr(one, "\"by_tend\": true"));
	assert_non_null(strstr(one, "\"data\": \"From: ann@example.com\\r\\n"
	    "Subject: Re: Hi\\r\\n\\r\\nYes, gern.\\r\\n\",\n"
	    "      \"data_base64\": null"));
	assert_non_null(strstr(one, "\"data\": null,\n"
	    "      \"data_base64\": \"RnJvbTog"));
	assert_non_null(strstr(one, "\"mailbox\": \"Archive\","));
	assert_true(strstr(one, "\"Archive\"") < strstr(one, "\"INBOX\""));
	assert_non_null(strstr(one, "\"address\": \"full@example.net\",\n"
	    "      \"count\": 1,"));
	/* the mail tables made it into the file as they should */
	assert_non_null(strstr(one, "\"name\": \"hello\""));
	assert_null(strstr(one, "\"name\": \"check-in\""));
	assert_non_null(strstr(one, "\"subject\": \"A nudge, "
	    "{{contact.first_name}}\",\n"));
	assert_non_null(strstr(one, "\"html\": \"<p>Hello "
	    "{{contact.first_name}}</p>\""));
	assert_non_null(strstr(one, "\"address\": \"Zed@Example.com\",\n"
	    "      \"reason\": \"unsubscribed\""));
	assert_non_null(strstr(one, "\"detail\": \"550 5.1.1 no such user\\n"
	    "second line\""));
	assert_non_null(strstr(one, "\"data\": \"From: Sam "
	    "<sam@example.org>\\r\\nTo: "));
	assert_non_null(strstr(one, "\"state\": \"cancelled\""));
	assert_non_null(strstr(one, "\"sent_at\": \"2026-11-23T08:00:00Z\""));
	/* a message whose contact was deleted: the row stays, unlinked */
	assert_non_null(strstr(one, "\"id\": 4,\n      \"contact\": null,"));
	/* the corners made it into the file as they should */
	assert_non_null(strstr(one, "\"label\": \"Assistant\""));
	assert_non_null(strstr(one, "\"name\": \"Émile Zoë\""));
	assert_non_null(strstr(one, "\"value\": \"エミール\""));
	assert_non_null(strstr(one, "\"summary\": \"said \\\"yes\\\"\\nand "
	    "more\""));
	assert_non_null(strstr(one, "\"level_due\": \"2027-01-03T09:00:00Z\""));
	assert_non_null(strstr(one, "\"value_cents\": 450050"));
	assert_non_null(strstr(one, "\"via\": 9,"));
	assert_non_null(strstr(one, "\"x.custom\": \"kept as is\""));
	/* the primary address comes first */
	assert_true(strstr(one, "Emile@Work") < strstr(one, "emile@example"));
	free(one);
	free(two);
}

static void
test_restore_keeps_search(void **state)
{
	struct fixture		*f = *state;
	struct search_hit	*hits;
	struct arena		*a;
	struct err		 e;
	size_t			 n;
	char			*one;
	int64_t			 id;

	fill(f->a);
	one = dump(f->a);
	assert_int_equal(restore(f->b, one, NULL, &e), 0);
	free(one);
	/* the full-text index and the folded keys follow the rows */
	a = arena_new();
	assert_int_equal(store_search(f->b, a, "zed", 10, &hits, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].contact_id, 9);
	assert_int_equal(store_search(f->b, a, "yes", 10, &hits, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].contact_id, 1);
	assert_int_equal(store_contact_resolve(f->b, "emile@work.EXAMPLE.com",
	    &id, &e), 0);
	assert_int_equal(id, 7);
	assert_int_equal(store_contact_resolve(f->b, "bob", &id, &e), 0);
	assert_int_equal(id, 2);
	arena_free(a);
}

static void
test_restore_needs_empty(void **state)
{
	struct fixture	*f = *state;
	struct err	 e;
	const char	*doc = "{\"format\": \"tend-backup\", \"version\": 1, "
	    "\"contacts\": []}";

	add_contact(f->a, "Ann", NULL);
	assert_int_equal(restore(f->a, doc, NULL, &e), TEND_ECONFLICT);
	assert_string_equal(e.msg, "the database is not empty: restore needs "
	    "a new one");
	/* a setting alone is data too */
	assert_int_equal(store_setting_set(f->b, "deal.stages", "a,b,c", &e),
	    0);
	assert_int_equal(restore(f->b, doc, NULL, &e), TEND_ECONFLICT);
}

/* Mail rows alone are data too; the starters as shipped are not. */
static void
test_restore_needs_empty_mail(void **state)
{
	struct fixture	*f = *state;
	struct template	*t;
	struct arena	*a;
	struct err	 e;
	const char	*doc = "{\"format\": \"tend-backup\", \"version\": 1, "
	    "\"contacts\": []}";

	a = arena_new();
	assert_int_equal(store_backup_empty(f->a, &e), 1);
	assert_int_equal(store_suppress_add(f->a, "z@example.com",
	    "unsubscribed", NULL, NOW, &e), 0);
	assert_int_equal(store_backup_empty(f->a, &e), 0);
	assert_int_equal(restore(f->a, doc, NULL, &e), TEND_ECONFLICT);
	/* an edited starter */
	assert_int_equal(store_template_get(f->b, a, "nudge", &t, &e), 0);
	assert_int_equal(store_template_put(f->b, t, NOW, &e), 0);
	assert_int_equal(store_backup_empty(f->b, &e), 0);
	assert_int_equal(restore(f->b, doc, NULL, &e), TEND_ECONFLICT);
	arena_free(a);
}

/* ---- bad documents --------------------------------------------------- */

#define HEAD	"{\"format\": \"tend-backup\", \"version\": 1, \"contacts\": ["
#define TAIL	"]}"
#define C0	"\"id\": 1, \"name\": \"Ann\", \"created\": " \
		"\"2026-01-01T00:00:00Z\", \"updated\": " \
		"\"2026-01-01T00:00:00Z\""
#define C1(extra)	HEAD "{" C0 extra "}" TAIL

static const struct bad {
	const char	*doc;
	const char	*msg;
} bads[] = {
	{ "", "b.json: empty file, not a tend backup" },
	{ "   \n", "b.json: empty file" },
	{ "[]", "b.json: line 1, column 1: not a tend backup" },
	{ "{}", "b.json: not a tend backup: no \"format\"" },
	{ "{\"format\": \"tend-backup\"}", "b.json: no \"version\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 1}",
	    "b.json: no \"contacts\"" },
	{ "{\"format\": \"vcard\", \"version\": 1, \"contacts\": []}",
	    "b.json: format: 'vcard' is not a tend document" },
	{ "{\"format\": 1}", "b.json: format: not a string" },
	{ "{\"format\": \"tend-contacts\", \"version\": 1, \"contacts\": []}",
	    "is a contact export, not a backup" },
	{ "{\"format\": \"tend-backup\", \"version\": 4, \"contacts\": []}",
	    "b.json: version 4 is newer than this tend reads (3); upgrade "
	    "tend" },
	{ "{\"format\": \"tend-backup\", \"version\": 0, \"contacts\": []}",
	    "b.json: version: 0 is not a version" },
	{ "{\"format\": \"tend-backup\", \"version\": \"1\"}",
	    "b.json: version: not a whole number" },
	{ "{\"contacts\": [], \"format\": \"tend-backup\", \"version\": 1}",
	    "must come before \"contacts\"" },
	{ "{\"format\": \"tend-backup\", \"format\": \"tend-backup\"}",
	    "\"format\" given twice" },
	{ "{\"format\": \"tend-backup\", \"version\": 1, \"extra\": 1, "
	    "\"contacts\": []}", "b.json: unknown key 'extra'" },
	{ "{\"format\": \"tend-backup\", \"version\": 1, \"written\": "
	    "\"yesterday\", \"contacts\": []}", "b.json: written: not a time" },
	{ "{\"format\": \"tend-backup\", \"version\": 1, \"settings\": [], "
	    "\"contacts\": []}", "b.json: settings: not an object" },
	{ "{\"format\": \"tend-backup\", \"version\": 1, \"settings\": "
	    "{\"a\": 1}, \"contacts\": []}",
	    "b.json: settings.a: not a string" },
	{ "{\"format\": \"tend-backup\", \"version\": 1, \"settings\": "
	    "{\"deal.stages\": \"a\"}, \"contacts\": []}",
	    "b.json: settings.deal.stages: " },
	{ "{\"format\": \"tend-backup\", \"version\": 1, \"contacts\": {}}",
	    "contacts: '[' expected, not '{'" },
	{ HEAD TAIL " x", "line 1, column 57: 'x' after the end" },
	{ HEAD TAIL "}", "'}' after the end" },
	{ HEAD "{" C0 "}", "unexpected end of file (is the file truncated?)" },
	{ HEAD "{" C0, "unexpected end of file (is the file truncated?)" },
	{ HEAD "{\"id\": 1, \"na", "unexpected end of file" },
	{ HEAD "{" C0 "} {" C0 "}" TAIL, "',' or ']' expected after "
	    "contacts[0], not '{'" },
	{ HEAD "{" C0 "}," TAIL, "a value expected, not ']'" },
	{ HEAD "{\"id\": 1,}" TAIL, "b.json: line 1, column 63: string or "
	    "'}' expected" },
	{ HEAD "3" TAIL, "b.json: contacts[0]: not an object" },
	{ HEAD "{\"id\": 1, \"id\": 2}" TAIL, "duplicate object key" },
	{ C1(", \"nmae\": 1"), "b.json: contacts[0]: unknown key 'nmae'" },
	{ HEAD "{\"name\": \"Ann\"}" TAIL, "b.json: contacts[0].id: missing" },
	{ HEAD "{\"id\": 0, \"name\": \"Ann\"}" TAIL,
	    "b.json: contacts[0].id: not an id" },
	{ HEAD "{\"id\": \"1\", \"name\": \"Ann\"}" TAIL,
	    "b.json: contacts[0].id: not an id" },
	{ HEAD "{\"id\": 1}" TAIL, "b.json: contacts[0].name: missing" },
	{ HEAD "{\"id\": 1, \"name\": 5}" TAIL,
	    "b.json: contacts[0].name: not a string" },
	{ HEAD "{\"id\": 1, \"name\": \"\", \"created\": "
	    "\"2026-01-01T00:00:00Z\", \"updated\": \"2026-01-01T00:00:00Z\"}"
	    TAIL, "b.json: contacts[0].name: empty" },
	{ HEAD "{\"id\": 1, \"name\": \"A\\u0001\"}" TAIL,
	    "b.json: contacts[0].name: " },
	{ HEAD "{\"id\": 1, \"name\": \"Ann\"}" TAIL,
	    "b.json: contacts[0].created: missing" },
	{ C1(", \"kind\": \"foe\""), "b.json: contacts[0].kind: unknown kind "
	    "'foe'" },
	{ C1(", \"source\": \"web\""), "contacts[0].source: unknown source" },
	{ C1(", \"tz\": \"Mars/Olympus\""), "contacts[0].tz: unknown time "
	    "zone 'Mars/Olympus'" },
	{ C1(", \"met_on\": 5"), "contacts[0].met_on: not a time" },
	{ C1(", \"met_on\": \"2026-02-29T00:00:00Z\""),
	    "contacts[0].met_on: not a time" },
	{ C1(", \"met_on\": \"2026-11-23T09:00:00+01:00\""),
	    "contacts[0].met_on: not a time" },
	{ C1(", \"met_on\": \"2026-11-23\""), "contacts[0].met_on: not a "
	    "time" },
	{ C1(", \"met_on\": \"2026-11-23T24:00:00Z\""), "not a time" },
	{ C1(", \"via\": -3"), "contacts[0].via: not an id" },
	{ C1(", \"via\": 8"), "contacts[0].via: contact 8 is not in the file" },
	{ C1(", \"archived\": 1"), "contacts[0].archived: not true or false" },
	{ C1(", \"do_not_contact\": null"),
	    "contacts[0].do_not_contact: not true or false" },
	{ C1(", \"emails\": {}"), "contacts[0].emails: not an array" },
	{ C1(", \"emails\": [\"a@b.example\"]"),
	    "contacts[0].emails[0]: not an object" },
	{ C1(", \"emails\": [{\"address\": 5}]"),
	    "contacts[0].emails[0].address: not a string" },
	{ C1(", \"emails\": [{}]"), "contacts[0].emails[0].address: missing" },
	{ C1(", \"emails\": [{\"address\": \"nope\"}]"),
	    "contacts[0].emails[0].address: invalid e-mail address 'nope'" },
	{ C1(", \"emails\": [{\"address\": \"a@b.example\", \"label\": 1}]"),
	    "contacts[0].emails[0].label: not a string" },
	{ C1(", \"emails\": [{\"address\": \"a@b.example\", \"primary\": "
	    "\"yes\"}]"), "contacts[0].emails[0].primary: not true or false" },
	{ C1(", \"emails\": [{\"address\": \"a@b.example\", \"x\": 1}]"),
	    "contacts[0].emails[0]: unknown key 'x'" },
	{ C1(", \"emails\": [{\"address\": \"a@b.example\"}, {\"address\": "
	    "\"A@B.example\"}]"),
	    "contacts[0].emails[1].address: 'A@B.example' is also an address "
	    "of contact 1" },
	{ C1(", \"phones\": [{\"number\": \"call me\"}]"),
	    "contacts[0].phones[0].number: invalid phone number 'call me'" },
	{ C1(", \"tags\": \"vip\""), "contacts[0].tags: not an array" },
	{ C1(", \"tags\": [1]"), "contacts[0].tags[0]: not a string" },
	{ C1(", \"tags\": [\"a b\"]"), "contacts[0].tags[0]: invalid tag" },
	{ C1(", \"tags\": [\"vip\", \"VIP\"]"), "contacts[0].tags: 'VIP' is "
	    "there twice" },
	{ C1(", \"extras\": [{\"value\": \"x\"}]"),
	    "contacts[0].extras[0].name: missing" },
	{ C1(", \"extras\": [{\"name\": \"A B\", \"value\": \"x\"}]"),
	    "contacts[0].extras[0].name: invalid name 'A B'" },
	{ C1(", \"extras\": [{\"name\": \"URL\"}]"),
	    "contacts[0].extras[0].value: missing" },
	{ C1(", \"cadence\": \"6w\""), "contacts[0].cadence: not an object" },
	{ C1(", \"cadence\": {\"spec\": \"6w\"}"),
	    "contacts[0].cadence.next_due: missing" },
	{ C1(", \"cadence\": {\"spec\": \"often\", \"next_due\": "
	    "\"2026-01-01T00:00:00Z\"}"), "contacts[0].cadence.spec: invalid "
	    "interval 'often'" },
	{ C1(", \"interactions\": [{\"id\": 1, \"kind\": \"fax\", \"at\": "
	    "\"2026-01-01T00:00:00Z\", \"created\": "
	    "\"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].interactions[0]: unknown interaction kind 'fax'" },
	{ C1(", \"interactions\": [{\"id\": 1, \"kind\": \"call\"}]"),
	    "contacts[0].interactions[0].at: missing" },
	{ C1(", \"interactions\": [{\"id\": 1, \"kind\": \"call\", \"at\": "
	    "\"2026-01-01T00:00:00Z\", \"created\": \"2026-01-01T00:00:00Z\"}, "
	    "{\"id\": 1, \"kind\": \"call\", \"at\": \"2026-01-01T00:00:00Z\", "
	    "\"created\": \"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].interactions[1].id: interaction 1 is in the file "
	    "twice" },
	{ C1(", \"followups\": [{\"id\": 1, \"due\": \"2026-01-01T00:00:00Z\", "
	    "\"state\": \"gone\", \"created\": \"2026-01-01T00:00:00Z\", "
	    "\"updated\": \"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].followups[0].state: unknown state 'gone'" },
	{ C1(", \"followups\": [{\"id\": 1, \"due\": \"2026-01-01T00:00:00Z\", "
	    "\"kind\": \"todo\", \"created\": \"2026-01-01T00:00:00Z\", "
	    "\"updated\": \"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].followups[0].kind: unknown kind 'todo'" },
	{ C1(", \"followups\": [{\"id\": 1, \"due\": \"2026-01-01T00:00:00Z\", "
	    "\"channel\": \"fax\", \"created\": \"2026-01-01T00:00:00Z\", "
	    "\"updated\": \"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].followups[0]: unknown channel 'fax'" },
	{ C1(", \"followups\": [{\"id\": 1, \"deal\": 3, \"due\": "
	    "\"2026-01-01T00:00:00Z\", \"created\": \"2026-01-01T00:00:00Z\", "
	    "\"updated\": \"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].followups[0].deal: deal 3 is not in the file" },
	{ C1(", \"followups\": [{\"id\": 1, \"due\": \"2026-01-01T00:00:00Z\", "
	    "\"created\": \"2026-01-01T00:00:00Z\", \"updated\": "
	    "\"2026-01-01T00:00:00Z\", \"history\": [{\"at\": "
	    "\"2026-01-01T00:00:00Z\", \"state\": \"open\"}]}]"),
	    "contacts[0].followups[0].history[0].due: missing" },
	{ C1(", \"deals\": [{\"id\": 1, \"title\": \"T\", \"stage\": \"Won!\", "
	    "\"stage_since\": \"2026-01-01T00:00:00Z\", \"created\": "
	    "\"2026-01-01T00:00:00Z\", \"updated\": "
	    "\"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].deals[0].stage: invalid stage 'Won!'" },
	{ C1(", \"deals\": [{\"id\": 1, \"title\": \"T\", \"stage\": \"won\", "
	    "\"value_cents\": 1.5, \"stage_since\": \"2026-01-01T00:00:00Z\", "
	    "\"created\": \"2026-01-01T00:00:00Z\", \"updated\": "
	    "\"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].deals[0].value_cents: not a whole number" },
	{ C1(", \"deals\": [{\"id\": 1, \"title\": \"T\", \"stage\": \"won\", "
	    "\"value_cents\": -1, \"stage_since\": \"2026-01-01T00:00:00Z\", "
	    "\"created\": \"2026-01-01T00:00:00Z\", \"updated\": "
	    "\"2026-01-01T00:00:00Z\"}]"),
	    "contacts[0].deals[0]: value out of range" },
	{ C1(", \"deals\": [{\"id\": 1, \"title\": \"T\", \"stage\": \"won\", "
	    "\"stage_since\": \"2026-01-01T00:00:00Z\", \"created\": "
	    "\"2026-01-01T00:00:00Z\", \"updated\": \"2026-01-01T00:00:00Z\", "
	    "\"history\": [{\"at\": \"2026-01-01T00:00:00Z\"}]}]"),
	    "contacts[0].deals[0].history[0].stage: missing" },
	{ HEAD "{" C0 "}, {\"id\": 1, \"name\": \"Bob\", \"created\": "
	    "\"2026-01-01T00:00:00Z\", \"updated\": \"2026-01-01T00:00:00Z\"}"
	    TAIL, "contacts[1].id: contact 1 is in the file twice" },
};

/* ---- the mail tables: a version 2 document ---------------------------- */

/* A version 1 backup has no mail tables: the new database's starters stay. */
static void
test_restore_version1(void **state)
{
	struct fixture		*f = *state;
	struct backup_counts	 n;
	struct template		*t;
	struct arena		*a;
	struct err		 e;
	size_t			 k;

	assert_int_equal(restore(f->b, C1(""), &n, &e), 0);
	assert_int_equal(n.contacts, 1);
	assert_int_equal(n.templates, 0);
	a = arena_new();
	assert_int_equal(store_template_list(f->b, a, &t, &k, &e), 0);
	assert_int_equal(k, 7);
	arena_free(a);
}

/* A message being sent comes back deferred, due at its lease's end. */
static void
test_restore_sending(void **state)
{
	struct fixture		*f = *state;
	struct outbox_msg	*m;
	struct arena		*a;
	struct err		 e;
	char			*one;

	assert_int_equal(store_begin(f->a, &e), 0);
	add_contact(f->a, "Ann Lee", "ann@example.com");
	add_message(f->a, 3, 1, "sending", NOW + 300);
	assert_int_equal(store_commit(f->a, &e), 0);
	one = dump(f->a);
	assert_non_null(strstr(one, "\"state\": \"sending\""));
	assert_non_null(strstr(one, "\"lease_owner\": \"4242.0\""));
	if (restore(f->b, one, NULL, &e) != 0)
		fail_msg("restore: %s", e.msg);
	free(one);
	a = arena_new();
	assert_int_equal(store_outbox_get(f->b, a, 3, &m, &e), 0);
	assert_string_equal(m->state, "deferred");
	assert_int_equal(m->next_attempt, NOW + 300);
	assert_null(m->lease_owner);
	assert_string_equal(m->reason, "restored from a backup while it was "
	    "being sent");
	assert_int_equal(m->attempts, 2);
	assert_int_equal(m->len, strlen("From: Sam <sam@example.org>\r\nTo: "
	    "ann@example.com\r\nSubject: Hi\r\nMessage-ID: "
	    "<m.3@example.org>\r\n\r\nHello\r\n"));
	/* a sender takes it once the lease would have ended, not before */
	assert_int_equal(store_begin(f->b, &e), 0);
	assert_int_equal(store_outbox_claim(f->b, a, NOW + 299, 300, "1.0", &m,
	    &e), 0);
	assert_int_equal(store_outbox_claim(f->b, a, NOW + 300, 300, "1.0", &m,
	    &e), 1);
	assert_int_equal(m->id, 3);
	assert_int_equal(store_commit(f->b, &e), 0);
	arena_free(a);
}

#define TM	"\"2026-01-01T00:00:00Z\""
#define V2(contacts, tpl, sup, out) "{\"format\": \"tend-backup\", " \
	"\"version\": 2, \"contacts\": [" contacts "], \"templates\": [" \
	tpl "], \"suppressions\": [" sup "], \"outbox\": [" out "]}"
#define ANN	"{" C0 ", \"emails\": [{\"address\": \"ann@example.com\"}]}"
#define T0	"\"id\": 1, \"name\": \"hi\", \"subject\": \"Hi\", " \
		"\"body\": \"Hello {{contact.first_name}}\""
#define S0	"\"address\": \"z@example.com\", \"reason\": " \
		"\"unsubscribed\", \"at\": " TM
#define M0	"\"id\": 1, \"contact\": 1, \"rcpt\": \"ann@example.com\", " \
		"\"sender\": \"sam@example.org\", \"subject\": \"Hi\", " \
		"\"message_id\": \"a.1@example.org\", \"state\": " \
		"\"queued\", \"queued\": " TM ", \"due\": " TM
#define DATA	", \"data\": \"Subject: Hi\\r\\n\\r\\nHello\\r\\n\""
#define T1(extra)	V2(ANN, "{" T0 extra "}", "", "")
#define S1(extra)	V2(ANN, "", "{" S0 extra "}", "")
#define M1(extra)	V2(ANN, "", "", "{" M0 extra "}")
/* a message like M0 but for one field: "rcpt", "\"nope\"" */
#define MX(key, val) V2(ANN, "", "", "{\"id\": 1, \"contact\": 1, " \
	"\"rcpt\": \"ann@example.com\", \"sender\": \"sam@example.org\", " \
	"\"subject\": \"Hi\", \"message_id\": \"a.1@example.org\", " \
	"\"queued\": " TM ", \"due\": " TM DATA ", \"state\": " \
	"\"queued\", \"x-" key "\": 0}")

static const struct bad mail_bads[] = {
	{ V2(ANN, "", "", "{" M0 DATA "}") "x", "'x' after the end" },
	{ "{\"format\": \"tend-backup\", \"version\": 2, \"contacts\": []}",
	    "b.json: no \"templates\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 2, \"contacts\": [], "
	    "\"templates\": []}", "b.json: no \"suppressions\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 2, \"contacts\": [], "
	    "\"templates\": [], \"suppressions\": []}",
	    "b.json: no \"outbox\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 1, \"contacts\": [], "
	    "\"templates\": []}", "\"templates\" is not in a version 1 "
	    "backup" },
	{ "{\"format\": \"tend-backup\", \"version\": 2, \"outbox\": [], "
	    "\"contacts\": []}", "\"contacts\" must come before \"outbox\"" },
	{ "{\"templates\": [], \"format\": \"tend-backup\", \"version\": 2}",
	    "\"format\" and \"version\" must come before \"templates\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 2, \"contacts\": [], "
	    "\"templates\": [], \"templates\": []}",
	    "\"templates\" given twice" },
	{ "{\"format\": \"tend-backup\", \"version\": 2, \"contacts\": [], "
	    "\"templates\": {}}", "templates: '[' expected, not '{'" },
	{ "{\"format\": \"tend-contacts\", \"version\": 1, \"contacts\": [], "
	    "\"outbox\": []}", "is a contact export, not a backup" },
	{ V2(ANN, "3", "", ""), "b.json: templates[0]: not an object" },
	{ V2(ANN, "{" T0 "} {" T0 "}", "", ""),
	    "',' or ']' expected after templates[0], not '{'" },
	{ T1(", \"x\": 1"), "b.json: templates[0]: unknown key 'x'" },
	{ V2(ANN, "{\"id\": 1}", "", ""), "b.json: templates[0].name: "
	    "missing" },
	{ T1(", \"name\": \"a b\""), "duplicate object key" },
	{ V2(ANN, "{\"id\": 1, \"name\": \"a b\", \"subject\": \"S\", "
	    "\"body\": \"B\"}", "", ""),
	    "b.json: templates[0].name: invalid template name 'a b'" },
	{ V2(ANN, "{\"id\": 1, \"name\": \"a\", \"body\": \"B\"}", "", ""),
	    "b.json: templates[0].subject: missing" },
	{ V2(ANN, "{\"id\": 1, \"name\": \"a\", \"subject\": \"S\\nT\", "
	    "\"body\": \"B\"}", "", ""), "b.json: templates[0].subject: " },
	{ V2(ANN, "{\"id\": 1, \"name\": \"a\", \"subject\": \"S\"}", "",
	    ""), "b.json: templates[0].body: missing" },
	{ V2(ANN, "{\"id\": 1, \"name\": \"a\", \"subject\": \"S\", "
	    "\"body\": \"{{contact.frist_name}}\"}", "", ""),
	    "b.json: templates[0]: body: line 1: unknown field "
	    "'contact.frist_name'" },
	{ V2(ANN, "{\"id\": 1, \"name\": \"a\", \"subject\": \"S\", "
	    "\"body\": \"{{#x}}\"}", "", ""), "b.json: templates[0]: body: " },
	{ T1(", \"starter\": 1"), "templates[0].starter: not true or false" },
	{ T1(", \"updated\": \"now\""), "templates[0].updated: not a time" },
	{ V2(ANN, "{" T0 "}, {" T0 "}", "", ""),
	    "b.json: templates[1].id: template 1 is in the file twice" },
	{ V2(ANN, "{" T0 "}, {\"id\": 2, \"name\": \"HI\", \"subject\": "
	    "\"S\", \"body\": \"B\"}", "", ""),
	    "b.json: templates[1].name: template 'HI' is in the file twice" },
	{ S1(", \"x\": 1"), "b.json: suppressions[0]: unknown key 'x'" },
	{ V2(ANN, "", "{\"reason\": \"bounced\", \"at\": " TM "}", ""),
	    "b.json: suppressions[0].address: missing" },
	{ V2(ANN, "", "{\"address\": \"nope\", \"reason\": \"bounced\", "
	    "\"at\": " TM "}", ""), "b.json: suppressions[0].address: invalid "
	    "e-mail address 'nope'" },
	{ V2(ANN, "", "{\"address\": \"z@example.com\", \"reason\": "
	    "\"annoyed\", \"at\": " TM "}", ""), "b.json: suppressions[0]."
	    "reason: unknown reason 'annoyed' (expected unsubscribed or "
	    "bounced)" },
	{ V2(ANN, "", "{\"address\": \"z@example.com\", \"reason\": "
	    "\"bounced\"}", ""), "b.json: suppressions[0].at: missing" },
	{ S1(", \"detail\": 5"), "suppressions[0].detail: not a string" },
	{ V2(ANN, "", "{" S0 "}, {\"address\": \"Z@EXAMPLE.com\", "
	    "\"reason\": \"unsubscribed\", \"at\": " TM "}", ""),
	    "b.json: suppressions[1].address: 'Z@EXAMPLE.com' is in the file "
	    "twice as unsubscribed" },
	{ M1(DATA ", \"x\": 1"), "b.json: outbox[0]: unknown key 'x'" },
	{ M1(""), "b.json: outbox[0].data: missing" },
	{ M1(", \"data\": 5"), "b.json: outbox[0].data: not a string" },
	{ M1(", \"data\": \"\""), "b.json: outbox[0].data: empty" },
	{ M1(", \"data\": \"Subject: Hi\\n\\nHello\\n\""),
	    "b.json: outbox[0].data: line 1: an LF without CR: lines end in "
	    "CRLF" },
	{ M1(", \"data\": \"Subject: Hi\\r\\n\\rHello\\r\\n\""),
	    "b.json: outbox[0].data: line 2: a CR without LF" },
	{ M1(", \"data\": \"Subject: Hi\\r\\n\\r\\nH\u00e9llo\\r\\n\""),
	    "b.json: outbox[0].data: line 3: byte 0xc3: a message is 7-bit "
	    "ASCII" },
	{ M1(", \"data\": \"Subject: Hi\\r\\n\\u0000\\r\\n\""),
	    "\\u0000 is not allowed" },
	{ M1(", \"data\": \"Subject: Hi\\r\\n\\r\\nHello\""),
	    "b.json: outbox[0].data: line 3: no CRLF at the end" },
	{ V2(ANN, "", "", "{\"id\": 1, \"rcpt\": \"ann@example.com\"}"),
	    "b.json: outbox[0].sender: missing" },
	{ M1(DATA ", \"rcpt\": \"ann\""), "duplicate object key" },
	{ V2(ANN, "", "", "{\"id\": 1, \"contact\": 1, \"rcpt\": \"ann\", "
	    "\"sender\": \"sam@example.org\", \"subject\": \"Hi\", "
	    "\"message_id\": \"a.1@example.org\", \"state\": \"queued\", "
	    "\"queued\": " TM ", \"due\": " TM DATA "}"),
	    "b.json: outbox[0].rcpt: invalid e-mail address 'ann'" },
	{ V2(ANN, "", "", "{\"id\": 1, \"contact\": 1, \"rcpt\": "
	    "\"ann@example.com\", \"sender\": \"sam@example.org\", "
	    "\"subject\": \"Hi\", \"message_id\": \"<a.1@example.org>\", "
	    "\"state\": \"queued\", \"queued\": " TM ", \"due\": " TM DATA
	    "}"), "b.json: outbox[0].message_id: invalid Message-ID "
	    "'<a.1@example.org>'" },
	{ V2(ANN, "", "", "{\"id\": 1, \"contact\": 1, \"rcpt\": "
	    "\"ann@example.com\", \"sender\": \"sam@example.org\", "
	    "\"subject\": \"Hi\", \"message_id\": \"a.1@example.org\", "
	    "\"state\": \"lost\", \"queued\": " TM ", \"due\": " TM DATA
	    "}"), "b.json: outbox[0].state: unknown state 'lost' (expected "
	    "queued, sending, sent, deferred, failed or cancelled)" },
	{ V2(ANN, "", "", "{\"id\": 1, \"contact\": 1, \"rcpt\": "
	    "\"ann@example.com\", \"sender\": \"sam@example.org\", "
	    "\"subject\": \"Hi\", \"message_id\": \"a.1@example.org\", "
	    "\"state\": \"sent\", \"queued\": " TM ", \"due\": " TM DATA
	    "}"), "b.json: outbox[0].sent_at: missing for a sent message" },
	{ V2(ANN, "", "", "{\"id\": 1, \"contact\": 1, \"rcpt\": "
	    "\"ann@example.com\", \"sender\": \"sam@example.org\", "
	    "\"subject\": \"Hi\", \"message_id\": \"a.1@example.org\", "
	    "\"state\": \"queued\", \"due\": " TM DATA "}"),
	    "b.json: outbox[0].queued: missing" },
	{ M1(DATA ", \"attempts\": -1"), "b.json: outbox[0].attempts: not a "
	    "count" },
	{ M1(DATA ", \"automated\": \"no\""), "b.json: outbox[0].automated: "
	    "not true or false" },
	{ M1(DATA ", \"date\": \"2026-13-01T00:00:00Z\""),
	    "b.json: outbox[0].date: not a time" },
	{ M1(DATA ", \"template\": \"no such\""), "b.json: outbox[0]."
	    "template: invalid template name 'no such'" },
	{ M1(DATA ", \"subject\": 1"), "duplicate object key" },
	{ MX("subject", ""), "b.json: outbox[0]: unknown key 'x-subject'" },
	{ V2(ANN, "", "", "{\"id\": 1, \"contact\": 9, \"rcpt\": "
	    "\"ann@example.com\", \"sender\": \"sam@example.org\", "
	    "\"subject\": \"Hi\", \"message_id\": \"a.1@example.org\", "
	    "\"state\": \"queued\", \"queued\": " TM ", \"due\": " TM DATA
	    "}"), "b.json: outbox[0].contact: contact 9 is not in the file" },
	{ M1(DATA ", \"deal\": 4"), "b.json: outbox[0].deal: deal 4 is not in "
	    "the file" },
	{ V2(ANN, "", "", "{" M0 DATA "}, {" M0 DATA "}"),
	    "b.json: outbox[1].id: message 1 is in the file twice" },
	{ V2(ANN, "", "", "{" M0 DATA "}, {\"id\": 2, \"rcpt\": "
	    "\"ann@example.com\", \"sender\": \"sam@example.org\", "
	    "\"subject\": \"Hi\", \"message_id\": \"a.1@example.org\", "
	    "\"state\": \"queued\", \"queued\": " TM ", \"due\": " TM DATA
	    "}"), "b.json: outbox[1].message_id: 'a.1@example.org' is in the "
	    "file twice" },
};

static void
test_restore_bad_mail(void **state)
{
	struct fixture	*f = *state;
	struct template	*t;
	struct arena	*a;
	struct err	 e;
	size_t		 i, n;
	int		 rc;

	/* the good one first: the bad ones differ from it in one thing */
	if ((rc = restore(f->a, M1(DATA), NULL, &e)) != 0)
		fail_msg("the good document: %s", e.msg);
	a = arena_new();
	for (i = 0; i < sizeof mail_bads / sizeof mail_bads[0]; i++) {
		memset(&e, 0, sizeof e);
		rc = restore(f->b, mail_bads[i].doc, NULL, &e);
		if (rc != TEND_EINVAL)
			fail_msg("case %zu: rc %d (%s), expected EINVAL: %s",
			    i, rc, e.msg, mail_bads[i].doc);
		if (strstr(e.msg, mail_bads[i].msg) == NULL)
			fail_msg("case %zu: message '%s' lacks '%s'", i, e.msg,
			    mail_bads[i].msg);
		/* all or nothing: the starters are back, nothing else */
		assert_int_equal(store_backup_empty(f->b, &e), 1);
		assert_int_equal(store_template_list(f->b, a, &t, &n, &e), 0);
		assert_int_equal(n, 7);
	}
	arena_free(a);
}

/* ---- sequences and mail in: a version 3 document ---------------------- */

#define V3(contacts, seqs, enrolls, out, in, imap, sb) "{\"format\": " \
	"\"tend-backup\", \"version\": 3, \"contacts\": [" contacts "], " \
	"\"templates\": [], \"suppressions\": [], \"sequences\": [" seqs \
	"], \"enrollments\": [" enrolls "], \"outbox\": [" out "], " \
	"\"inbound\": [" in "], \"imap_state\": [" imap "], " \
	"\"soft_bounces\": [" sb "]}"
#define SQ0	"\"id\": 1, \"name\": \"s\", \"created\": " TM ", " \
		"\"updated\": " TM ", \"source\": \"[sequence]\\nname = " \
		"s\\n[step]\\ntask = Call\\n\""
#define EN0	"\"id\": 1, \"contact\": 1, \"sequence\": 1, \"state\": " \
		"\"active\", \"base_at\": " TM ", \"started\": " TM ", " \
		"\"updated\": " TM
#define IN0	"\"id\": 1, \"key\": \"k@x.example\", \"received\": " TM \
		", \"source\": \"stdin\", \"class\": \"other\", \"why\": " \
		"\"w\""
#define IM0	"\"mailbox\": \"INBOX\", \"uidvalidity\": 1, " \
		"\"last_uid\": 2"
#define SB0	"\"address\": \"a@b.example\", \"count\": 1, " \
		"\"last_at\": " TM
/* the good document with one row changed */
#define X3(seq, en, out, in, im, sb)	V3(ANN, "{" seq "}", "{" en "}", \
	"{" out "}", "{" in "}", "{" im "}", "{" sb "}")
#define G3	X3(SQ0, EN0, M0 DATA ", \"enrollment\": 1", IN0 ", \"data\": " \
	"\"x\"", IM0, SB0)
#define ENX(extra)	X3(SQ0, EN0 extra, M0 DATA, IN0 ", \"data\": \"x\"", \
	IM0, SB0)
#define INX(extra)	X3(SQ0, EN0, M0 DATA, IN0 extra, IM0, SB0)
#define ANNF(extra)	"{" C0 ", \"emails\": [{\"address\": " \
	"\"ann@example.com\"}], \"followups\": [{\"id\": 1, \"due\": " TM \
	", \"created\": " TM ", \"updated\": " TM extra "}]}"

static const struct bad v3_bads[] = {
	{ "{\"format\": \"tend-backup\", \"version\": 3, \"contacts\": [], "
	    "\"templates\": [], \"suppressions\": [], \"sequences\": [], "
	    "\"enrollments\": [], \"outbox\": [], \"imap_state\": [], "
	    "\"soft_bounces\": []}", "b.json: no \"inbound\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 3, \"contacts\": [], "
	    "\"templates\": [], \"suppressions\": [], \"sequences\": [], "
	    "\"enrollments\": [], \"outbox\": [], \"inbound\": [], "
	    "\"soft_bounces\": []}", "b.json: no \"imap_state\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 3, \"contacts\": [], "
	    "\"templates\": [], \"suppressions\": [], \"outbox\": []}",
	    "\"enrollments\" must come before \"outbox\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 3, \"contacts\": [], "
	    "\"enrollments\": []}",
	    "\"sequences\" must come before \"enrollments\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 3, \"inbound\": []}",
	    "\"contacts\" must come before \"inbound\"" },
	{ "{\"format\": \"tend-backup\", \"version\": 2, \"contacts\": [], "
	    "\"sequences\": []}", "\"sequences\" is not in a version 2 backup "
	    "(version 3 has sequences and mail in)" },
	{ "{\"format\": \"tend-contacts\", \"version\": 1, \"contacts\": [], "
	    "\"inbound\": []}", "is a contact export, not a backup" },
	{ M1(DATA ", \"enrollment\": 1"), "b.json: outbox[0]: unknown key "
	    "'enrollment' (new in version 3)" },
	{ V2("{" C0 ", \"interactions\": [{\"id\": 1, \"kind\": \"note\", "
	    "\"at\": " TM ", \"created\": " TM ", \"by_tend\": true}]}", "",
	    "", ""), "b.json: contacts[0].interactions[0]: unknown key "
	    "'by_tend' (new in version 3)" },
	{ V2(ANNF(", \"origin\": \"reply\""), "", "", ""),
	    "b.json: contacts[0].followups[0]: unknown key 'origin'" },
	/* references */
	{ ENX(", \"contact\": 9"), "duplicate object key" },
	{ X3(SQ0, "\"id\": 1, \"contact\": 9, \"sequence\": 1, \"state\": "
	    "\"active\", \"base_at\": " TM ", \"started\": " TM ", "
	    "\"updated\": " TM, M0 DATA, IN0 ", \"data\": \"x\"", IM0, SB0),
	    "b.json: enrollments[0].contact: contact 9 is not in the file" },
	{ X3(SQ0, "\"id\": 1, \"contact\": 1, \"sequence\": 2, \"state\": "
	    "\"active\", \"base_at\": " TM ", \"started\": " TM ", "
	    "\"updated\": " TM, M0 DATA, IN0 ", \"data\": \"x\"", IM0, SB0),
	    "b.json: enrollments[0].sequence: sequence 2 is not in the file" },
	{ ENX(", \"deal\": 4"), "b.json: enrollments[0].deal: deal 4 is not "
	    "in the file" },
	{ ENX(", \"hold_followup\": 4"), "b.json: enrollments[0]."
	    "hold_followup: follow-up 4 is not in the file" },
	{ X3(SQ0, EN0, M0 DATA ", \"enrollment\": 2", IN0 ", \"data\": \"x\"",
	    IM0, SB0), "b.json: outbox[0].enrollment: enrollment 2 is not in "
	    "the file" },
	{ V3(ANNF(", \"enrollment\": 3"), "", "", "", "", "", ""),
	    "b.json: contacts[0].followups[0].enrollment: enrollment 3 is not "
	    "in the file" },
	{ INX(", \"contact\": 5, \"data\": \"x\""), "b.json: inbound[0]."
	    "contact: contact 5 is not in the file" },
	/* values */
	{ X3(SQ0, EN0, M0 DATA ", \"automated\": \"bot\"", IN0 ", \"data\": "
	    "\"x\"", IM0, SB0), "b.json: outbox[0].automated: unknown kind "
	    "'bot' (expected hand, auto or auto-reply)" },
	{ X3(SQ0, EN0, M0 DATA ", \"automated\": true", IN0 ", \"data\": "
	    "\"x\"", IM0, SB0), "b.json: outbox[0].automated: not a string" },
	{ ENX(", \"step\": 51"), "b.json: enrollments[0].step: not a whole "
	    "number from 0 to 50" },
	{ ENX(", \"cycles\": \"1\""), "b.json: enrollments[0].cycles: not a "
	    "whole number" },
	{ X3(SQ0, "\"id\": 1, \"contact\": 1, \"sequence\": 1, \"state\": "
	    "\"ended\", \"base_at\": " TM ", \"started\": " TM ", "
	    "\"updated\": " TM, M0 DATA, IN0 ", \"data\": \"x\"", IM0, SB0),
	    "b.json: enrollments[0].ended: missing for an ended enrollment" },
	{ V3(ANN, "{" SQ0 "}", "{" EN0 "}, {\"id\": 2, \"contact\": 1, "
	    "\"sequence\": 1, \"state\": \"active\", \"base_at\": " TM ", "
	    "\"started\": " TM ", \"updated\": " TM "}", "", "", "", ""),
	    "b.json: enrollments[1].state: contact 1 is active in sequence 1 "
	    "twice" },
	{ X3("\"id\": 1, \"name\": \"s\", \"created\": " TM ", "
	    "\"updated\": " TM ", \"source\": \"[sequence]\\nname = s\\n\"",
	    EN0, M0 DATA, IN0 ", \"data\": \"x\"", IM0, SB0),
	    "b.json: sequences[0].source: sequence file" },
	{ X3("\"id\": 1, \"name\": \"t\", \"created\": " TM ", "
	    "\"updated\": " TM ", \"source\": \"[sequence]\\nname = s\\n"
	    "[step]\\ntask = Call\\n\"", EN0, M0 DATA, IN0 ", \"data\": "
	    "\"x\"", IM0, SB0), "b.json: sequences[0].name: 't' is not the "
	    "name in its source ('s')" },
	{ INX(", \"data_base64\": \"not base64!\""), "b.json: inbound[0]."
	    "data_base64: not base64" },
	{ INX(", \"data_base64\": \"QUJD\\n\""), "b.json: inbound[0]."
	    "data_base64: not base64" },
	{ INX(", \"data_base64\": \"QQ\""), "b.json: inbound[0].data_base64: "
	    "not base64" },
	{ INX(", \"data\": \"x\", \"data_base64\": \"QUJD\""),
	    "b.json: inbound[0].data_base64: given with data: one of the two" },
	{ INX(""), "b.json: inbound[0].data: missing (or data_base64)" },
	{ INX(", \"data\": 5"), "b.json: inbound[0].data: not a string" },
	{ INX(", \"data\": \"x\\u0000y\""), "\\u0000 is not allowed" },
	{ X3(SQ0, EN0, M0 DATA, "\"id\": 1, \"key\": \"k\", \"received\": "
	    TM ", \"source\": \"stdin\", \"class\": \"spam\", \"why\": "
	    "\"w\", \"data\": \"x\"", IM0, SB0), "b.json: inbound[0].class: "
	    "unknown class 'spam'" },
	{ X3(SQ0, EN0, M0 DATA, "\"id\": 1, \"key\": \"k\", \"received\": "
	    TM ", \"source\": \"Bad Name\", \"class\": \"other\", \"why\": "
	    "\"w\", \"data\": \"x\"", IM0, SB0), "b.json: inbound[0].source: "
	    "invalid source 'Bad Name'" },
	{ V3(ANN, "", "", "", "{" IN0 ", \"data\": \"x\"}, {\"id\": 2, "
	    "\"key\": \"k@x.example\", \"received\": " TM ", \"source\": "
	    "\"stdin\", \"class\": \"other\", \"why\": \"w\", \"data\": "
	    "\"y\"}", "", ""), "b.json: inbound[1].key: 'k@x.example' is in "
	    "the file twice" },
	{ X3(SQ0, EN0, M0 DATA, IN0 ", \"data\": \"x\"", "\"mailbox\": "
	    "\"INBOX\", \"uidvalidity\": -1", SB0), "b.json: imap_state[0]."
	    "uidvalidity: not a whole number from 0 to 4294967295" },
	{ V3(ANN, "", "", "", "", "{" IM0 "}, {" IM0 "}", ""),
	    "b.json: imap_state[1].mailbox: 'INBOX' is in the file twice" },
	{ X3(SQ0, EN0, M0 DATA, IN0 ", \"data\": \"x\"", IM0,
	    "\"address\": \"a@b.example\", \"last_at\": " TM),
	    "b.json: soft_bounces[0].count: missing" },
	{ V3(ANN, "", "", "", "", "", "{" SB0 "}, {\"address\": "
	    "\"A@B.example\", \"count\": 2, \"last_at\": " TM "}"),
	    "b.json: soft_bounces[1].address: 'A@B.example' is in the file "
	    "twice" },
};

static void
test_restore_bad_v3(void **state)
{
	struct fixture	*f = *state;
	struct err	 e;
	size_t		 i;
	int		 rc;

	/* the good one first: the bad ones differ from it in one thing */
	if ((rc = restore(f->a, G3, NULL, &e)) != 0)
		fail_msg("the good document: %s", e.msg);
	for (i = 0; i < sizeof v3_bads / sizeof v3_bads[0]; i++) {
		memset(&e, 0, sizeof e);
		rc = restore(f->b, v3_bads[i].doc, NULL, &e);
		if (rc != TEND_EINVAL)
			fail_msg("case %zu: rc %d (%s), expected EINVAL: %s",
			    i, rc, e.msg, v3_bads[i].doc);
		if (strstr(e.msg, v3_bads[i].msg) == NULL)
			fail_msg("case %zu: message '%s' lacks '%s'", i, e.msg,
			    v3_bads[i].msg);
		assert_int_equal(store_backup_empty(f->b, &e), 1);
	}
}

/* The bytes of a message read come back exactly, text or not. */
static void
test_restore_inbound_bytes(void **state)
{
	struct fixture		*f = *state;
	struct store_inbound	*m;
	struct arena		*a;
	struct err		 e;
	size_t			 len;
	char			*one, *data;

	fill(f->a);
	one = dump(f->a);
	if (restore(f->b, one, NULL, &e) != 0)
		fail_msg("restore: %s", e.msg);
	free(one);
	a = arena_new();
	assert_int_equal(store_inbound_get(f->b, a, 2, &m, &data, &len, &e), 0);
	assert_int_equal(len, sizeof BIN_MSG - 1);
	assert_memory_equal(data, BIN_MSG, len);
	assert_string_equal(m->key, "sha256:00ff");
	assert_int_equal(m->contact_id, 0);
	arena_free(a);
}

/* Version 2: "automated" a boolean; true is tend's own ("auto"). */
static void
test_restore_version2(void **state)
{
	struct fixture		*f = *state;
	struct outbox_msg	*m;
	struct arena		*a;
	struct err		 e;

	if (restore(f->b, M1(DATA ", \"automated\": true"), NULL, &e) != 0)
		fail_msg("restore: %s", e.msg);
	a = arena_new();
	assert_int_equal(store_outbox_get(f->b, a, 1, &m, &e), 0);
	assert_int_equal(m->automated, OUTBOX_AUTO);
	arena_free(a);
	assert_int_equal(store_backup_empty(f->b, &e), 0);
}

/* Sequences and mail read alone are data too. */
static void
test_restore_needs_empty_seq(void **state)
{
	struct fixture		*f = *state;
	struct store_sequence	 q;
	struct store_inbound	 m;
	struct err		 e;
	int			 n;

	memset(&q, 0, sizeof q);
	q.name = "s";
	q.source = "[sequence]\nname = s\n[step]\ntask = Call\n";
	assert_int_equal(store_sequence_add(f->a, &q, NOW, &e), 0);
	assert_int_equal(store_backup_empty(f->a, &e), 0);
	memset(&m, 0, sizeof m);
	m.key = "k";
	m.received = NOW;
	m.source = "stdin";
	m.cls = "other";
	m.why = "w";
	assert_int_equal(store_inbound_add(f->b, &m, "x", 1, &e), 0);
	assert_int_equal(store_backup_empty(f->b, &e), 0);
	assert_int_equal(restore(f->b, C1(""), NULL, &e), TEND_ECONFLICT);
	teardown(state);
	setup(state);
	f = *state;
	assert_int_equal(store_soft_bounce(f->a, "a@b.example", NOW, &n, &e),
	    0);
	assert_int_equal(store_backup_empty(f->a, &e), 0);
	assert_int_equal(store_imap_state_set(f->b, "INBOX", 1, 1, &e), 0);
	assert_int_equal(store_backup_empty(f->b, &e), 0);
}

/* A backup's mail tables (version 2 and 3) do not get in an import's way. */
static void
test_reader_backup_mail(void **state)
{
	struct backup_reader	*r;
	struct contact		*c;
	struct arena		*a;
	struct err		 e;
	FILE			*fp;
	const char		*docs[] = {
		V2(ANN, "{" T0 "}", "{" S0 "}", "{" M0 DATA "}"),
		G3	/* and sequences and mail in, version 3 */
	};
	size_t			 i;

	(void)state;
	a = arena_new();
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		fp = fmemopen((void *)docs[i], strlen(docs[i]), "r");
		assert_non_null(fp);
		assert_int_equal(backup_reader_new(fp, "c.json", &r, &e), 0);
		assert_int_equal(backup_read(r, a, &c, &e), 1);
		assert_string_equal(c->name, "Ann");
		assert_int_equal(backup_read(r, a, &c, &e), 0);
		assert_int_equal(backup_reader_record(r), 1);
		backup_reader_free(r);
		fclose(fp);
	}
	arena_free(a);
}

static void
test_restore_bad(void **state)
{
	struct fixture	*f = *state;
	struct err	 e;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		memset(&e, 0, sizeof e);
		rc = restore(f->b, bads[i].doc, NULL, &e);
		if (rc != TEND_EINVAL)
			fail_msg("case %zu: rc %d (%s), expected EINVAL: %s",
			    i, rc, e.msg, bads[i].doc);
		if (strstr(e.msg, bads[i].msg) == NULL)
			fail_msg("case %zu: message '%s' lacks '%s'", i, e.msg,
			    bads[i].msg);
		/* all or nothing: the caller's rollback left it empty */
		assert_int_equal(store_backup_empty(f->b, &e), 1);
	}
}

static void
test_restore_line_column(void **state)
{
	struct fixture	*f = *state;
	struct err	 e;
	const char	*doc = "{\n"
	    "  \"format\": \"tend-backup\",\n"
	    "  \"version\": 1,\n"
	    "  \"contacts\": [\n"
	    "    {\n"
	    "      \"id\": 1,\n"
	    "      \"name\": \"Ann\" \"x\"\n"
	    "    }\n"
	    "  ]\n"
	    "}\n";

	assert_int_equal(restore(f->b, doc, NULL, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "b.json: line 7, column 23: '}' expected "
	    "near '\"x\"'");
}

static void
test_restore_times(void **state)
{
	struct fixture	*f = *state;
	struct err	 e;
	char		*out;

	/* the edges of tend's range and a leap day survive */
	assert_int_equal(restore(f->b, C1(", \"met_on\": "
	    "\"0001-01-01T00:00:00Z\", \"last_touch\": "
	    "\"2024-02-29T23:59:59Z\", \"cadence\": {\"spec\": \"1y\", "
	    "\"next_due\": \"9999-12-31T23:59:59Z\"}"), NULL, &e), 0);
	out = dump(f->b);
	assert_non_null(strstr(out, "\"met_on\": \"0001-01-01T00:00:00Z\""));
	assert_non_null(strstr(out, "\"last_touch\": "
	    "\"2024-02-29T23:59:59Z\""));
	assert_non_null(strstr(out, "\"next_due\": \"9999-12-31T23:59:59Z\""));
	free(out);
}

static void
test_restore_forward_references(void **state)
{
	struct fixture		*f = *state;
	struct arena		*a;
	struct contact		*c;
	struct followup		*fu;
	struct err		 e;
	const char		*doc = HEAD
	    "{\"id\": 5, \"name\": \"Ann\", \"via\": 6, \"created\": "
	    "\"2026-01-01T00:00:00Z\", \"updated\": \"2026-01-01T00:00:00Z\", "
	    "\"followups\": [{\"id\": 3, \"deal\": 9, \"due\": "
	    "\"2026-01-01T00:00:00Z\", \"created\": \"2026-01-01T00:00:00Z\", "
	    "\"updated\": \"2026-01-01T00:00:00Z\"}]}, "
	    "{\"id\": 6, \"name\": \"Bob\", \"via\": 6, \"created\": "
	    "\"2026-01-01T00:00:00Z\", \"updated\": \"2026-01-01T00:00:00Z\", "
	    "\"deals\": [{\"id\": 9, \"title\": \"T\", \"stage\": \"inquiry\", "
	    "\"stage_since\": \"2026-01-01T00:00:00Z\", \"created\": "
	    "\"2026-01-01T00:00:00Z\", \"updated\": \"2026-01-01T00:00:00Z\"}]}"
	    TAIL;

	if (restore(f->b, doc, NULL, &e) != 0)
		fail_msg("restore: %s", e.msg);
	a = arena_new();
	assert_int_equal(store_contact_get(f->b, a, 5, &c, &e), 0);
	assert_int_equal(c->via_id, 6);
	assert_int_equal(store_contact_get(f->b, a, 6, &c, &e), 0);
	assert_int_equal(c->via_id, 6);
	assert_int_equal(store_followup_get(f->b, a, 3, &fu, &e), 0);
	assert_int_equal(fu->deal_id, 9);
	arena_free(a);
}

static void
test_write_error(void **state)
{
	struct fixture	*f = *state;
	struct err	 e;
	FILE		*fp;

	fill(f->a);
	fp = fopen("/dev/full", "w");
	if (fp == NULL)
		skip();
	assert_int_equal(backup_write(f->a, fp, NOW, &e), TEND_EIO);
	assert_non_null(strstr(e.msg, "cannot write: "));
	fclose(fp);
}

/* ---- the import reader and the export -------------------------------- */

static FILE *
memfile(const char *s)
{
	FILE	*f;

	f = fmemopen((void *)s, strlen(s), "r");
	assert_non_null(f);
	return f;
}

static void
test_reader(void **state)
{
	struct backup_reader	*r;
	struct contact		*c;
	struct arena		*a;
	struct err		 e;
	FILE			*fp;
	const char		*doc = "{\n"
	    "  \"format\": \"tend-contacts\",\n"
	    "  \"version\": 1,\n"
	    "  \"contacts\": [\n"
	    "    {\"id\": 7, \"name\": \"Ann\", \"via\": 3, \"emails\": [\n"
	    "      {\"address\": \"a@x.example\", \"label\": \"home\"},\n"
	    "      {\"address\": \"b@x.example\", \"label\": \"work\", "
	    "\"primary\": true}],\n"
	    "     \"tags\": [\"vip\"], \"cadence\": {\"spec\": \"6w\", "
	    "\"next_due\": \"2027-01-01T00:00:00Z\"},\n"
	    "     \"interactions\": \"ignored\"},\n"
	    "    {\"name\": \"Bad\", \"emails\": 3},\n"
	    "    {\"name\": \"Bob\", \"extras\": [{\"name\": \"URL\", "
	    "\"value\": \"https://b.example\"}]}\n"
	    "  ]\n"
	    "}\n";

	(void)state;
	a = arena_new();
	fp = memfile(doc);
	assert_int_equal(backup_reader_new(fp, "c.json", &r, &e), 0);
	assert_int_equal(backup_read(r, a, &c, &e), 1);
	assert_int_equal(backup_reader_record(r), 1);
	assert_int_equal(backup_reader_line(r), 5);
	assert_string_equal(c->name, "Ann");
	/* ids belong to another database */
	assert_int_equal(c->id, 0);
	assert_int_equal(c->via_id, 0);
	assert_int_equal(c->emails.n, 2);
	assert_string_equal(c->emails.v[0], "b@x.example");
	assert_string_equal(c->emails.label[0], "work");
	assert_string_equal(c->emails.v[1], "a@x.example");
	assert_string_equal(c->emails.label[1], "home");
	assert_int_equal(c->tags.n, 1);
	assert_string_equal(c->cadence, "6w");
	assert_int_equal(backup_read(r, a, &c, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "c.json: contacts[1].emails: not an array");
	assert_int_equal(backup_reader_record(r), 2);
	assert_int_equal(backup_reader_line(r), 10);
	assert_int_equal(backup_read(r, a, &c, &e), 1);
	assert_string_equal(c->name, "Bob");
	assert_int_equal(c->nextras, 1);
	assert_string_equal(c->extras[0].value, "https://b.example");
	assert_int_equal(backup_read(r, a, &c, &e), 0);
	assert_int_equal(backup_read(r, a, &c, &e), 0);
	backup_reader_free(r);
	fclose(fp);
	arena_free(a);
}

static void
test_reader_truncated(void **state)
{
	struct backup_reader	*r;
	struct contact		*c;
	struct arena		*a;
	struct err		 e;
	FILE			*fp;

	(void)state;
	a = arena_new();
	fp = memfile("{\"format\": \"tend-backup\", \"version\": 1, "
	    "\"contacts\": [{\"name\": \"Ann\"}, {\"name\": \"Bo");
	assert_int_equal(backup_reader_new(fp, "c.json", &r, &e), 0);
	assert_int_equal(backup_read(r, a, &c, &e), 1);
	assert_int_equal(backup_read(r, a, &c, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "truncated"));
	/* nothing more after a broken structure */
	assert_int_equal(backup_read(r, a, &c, &e), 0);
	backup_reader_free(r);
	fclose(fp);

	fp = memfile("{\"format\": \"vcard\"}");
	r = (struct backup_reader *)1;
	assert_int_equal(backup_reader_new(fp, "c.json", &r, &e), TEND_EINVAL);
	assert_null(r);
	fclose(fp);
	backup_reader_free(NULL);
	arena_free(a);
}

static void
test_reader_skips_bad_json(void **state)
{
	struct backup_reader	*r;
	struct contact		*c;
	struct arena		*a;
	struct err		 e;
	FILE			*fp;

	(void)state;
	a = arena_new();
	fp = memfile("{\"format\": \"tend-contacts\", \"version\": 1, "
	    "\"contacts\": [\n{\"name\": \"Ann\",},\n{\"name\": [1, \"]\"]},\n"
	    "{\"name\": \"Bob\"}]}\n");
	assert_int_equal(backup_reader_new(fp, "c.json", &r, &e), 0);
	assert_int_equal(backup_read(r, a, &c, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "c.json: line 2, column 16: string or '}' "
	    "expected near '}'");
	assert_int_equal(backup_read(r, a, &c, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "c.json: contacts[1].name: not a string");
	assert_int_equal(backup_read(r, a, &c, &e), 1);
	assert_string_equal(c->name, "Bob");
	assert_int_equal(backup_reader_record(r), 3);
	assert_int_equal(backup_reader_line(r), 4);
	assert_int_equal(backup_read(r, a, &c, &e), 0);
	backup_reader_free(r);
	fclose(fp);
	arena_free(a);
}

static void
test_export_round_trip(void **state)
{
	struct backup_reader	*r;
	struct backup_list	 l;
	struct contact		 c, *back;
	struct contact_extra	 x;
	struct arena		*a;
	struct err		 e;
	FILE			*fp;
	char			*buf = NULL, *emails[2], *labels[2], *tags[1];
	size_t			 n = 0;

	(void)state;
	memset(&c, 0, sizeof c);
	c.id = 12;
	c.name = "Émile";
	c.kind = "client";
	c.source = "import";
	c.created = NOW;
	c.updated = NOW;
	emails[0] = "e@x.example";
	emails[1] = "f@x.example";
	labels[0] = NULL;
	labels[1] = "work";
	c.emails.v = emails;
	c.emails.label = labels;
	c.emails.n = 2;
	tags[0] = "lyon";
	c.tags.v = tags;
	c.tags.n = 1;
	x.group = "item1";
	x.name = "URL";
	x.params = NULL;
	x.value = "https://e.example";
	c.extras = &x;
	c.nextras = 1;
	c.cadence = "3m";
	c.cadence_due = NOW + 90 * DAY;

	fp = open_memstream(&buf, &n);
	assert_int_equal(backup_contacts_begin(&l, fp, &e), 0);
	assert_int_equal(backup_contacts_add(&l, &c, &e), 0);
	c.name = "Second";
	c.emails.n = 0;
	assert_int_equal(backup_contacts_add(&l, &c, &e), 0);
	assert_int_equal(backup_contacts_end(&l, &e), 0);
	fclose(fp);
	assert_non_null(strstr(buf, "  \"format\": \"tend-contacts\",\n"));
	assert_non_null(strstr(buf, "\n    {\n      \"id\": 12,\n"));
	assert_null(strstr(buf, "interactions"));

	a = arena_new();
	fp = memfile(buf);
	assert_int_equal(backup_reader_new(fp, "e.json", &r, &e), 0);
	assert_int_equal(backup_read(r, a, &back, &e), 1);
	assert_string_equal(back->name, "Émile");
	assert_string_equal(back->kind, "client");
	assert_int_equal(back->emails.n, 2);
	assert_string_equal(back->emails.v[0], "e@x.example");
	assert_null(back->emails.label[0]);
	assert_string_equal(back->emails.label[1], "work");
	assert_string_equal(back->extras[0].group, "item1");
	assert_string_equal(back->cadence, "3m");
	assert_int_equal(back->cadence_due, NOW + 90 * DAY);
	assert_int_equal(back->created, NOW);
	assert_int_equal(backup_read(r, a, &back, &e), 1);
	assert_string_equal(back->name, "Second");
	assert_int_equal(backup_read(r, a, &back, &e), 0);
	backup_reader_free(r);
	fclose(fp);
	arena_free(a);
	free(buf);
}

static void
test_sniff(void **state)
{
	(void)state;
	assert_true(backup_sniff("{\"format\"", 9));
	assert_true(backup_sniff("\xef\xbb\xbf \n{", 6));
	assert_false(backup_sniff("BEGIN:VCARD", 11));
	assert_false(backup_sniff("   ", 3));
	assert_false(backup_sniff("[{}]", 4));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_database, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore_keeps_search,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_needs_empty,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_needs_empty_mail,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_version1, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore_sending, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore_bad, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore_bad_mail, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore_line_column,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_times, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_restore_forward_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error, setup,
		    teardown),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_reader_truncated),
		cmocka_unit_test(test_reader_skips_bad_json),
		cmocka_unit_test(test_reader_backup_mail),
		cmocka_unit_test_setup_teardown(test_restore_bad_v3, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore_inbound_bytes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_version2, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore_needs_empty_seq,
		    setup, teardown),
		cmocka_unit_test(test_export_round_trip),
		cmocka_unit_test(test_sniff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
