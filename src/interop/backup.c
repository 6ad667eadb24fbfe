/*
 * tend's JSON documents: writing the backup and the contact export one
 * row at a time (a contact with its history, a template, a message), and
 * reading them back the same way.  The reader scans the document's outer
 * structure itself and hands each row's text to jansson, so a backup of
 * any size, however big its outbox, restores in the memory of its
 * largest row.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/cadence.h"
#include "core/deal.h"
#include "core/interaction.h"
#include "core/outbox.h"
#include "core/sequence.h"
#include "core/when.h"
#include "app/mail.h"
#include "interop/backup.h"
#include "mail/inbound.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define BACKUP_TIME_BUFSZ	48
#define BACKUP_KEY_MAX		64	/* bytes in a top-level key */
#define BACKUP_EXTRA_MAX	(16 * 1024 * 1024)	/* an extra's value */
#define BACKUP_DUMP_FLAGS	(JSON_INDENT(2) | JSON_PRESERVE_ORDER)
/* The contact export's layout has not changed since version 1. */
#define BACKUP_CONTACTS_VERSION	1
#define BACKUP_TEMPLATE_MAX	(256 * 1024)	/* as tend template takes */
#define BACKUP_LINE_MAX		998	/* octets in a line (RFC 5322) */
#define BACKUP_MSGID_MAX	250	/* a Message-ID, without <> */
#define BACKUP_INBOUND_KEY_MAX	1000	/* an inbound message's key */
#define BACKUP_SOURCE_MAX	40	/* where mail came in (tend inbound) */
#define BACKUP_UID_MAX		4294967295LL	/* IMAP: 32 bits */

/* ---- times: "2026-11-23T09:00:00Z" ---------------------------------- */

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Instants outside tend's range are clamped to it, as everywhere. */
static char *
time_format(int64_t t, char *buf, size_t n)
{
	int64_t	days, secs, y;
	int	m, d;

	if (t < WHEN_MIN)
		t = WHEN_MIN;
	if (t > WHEN_MAX)
		t = WHEN_MAX;
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	return buf;
}

static int
time_parse(const char *s, int64_t *out)
{
	static const int	 at[6] = { 0, 5, 8, 11, 14, 17 };
	static const int	 len[6] = { 4, 2, 2, 2, 2, 2 };
	static const int	 mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			 v[6], i, k, leap;

	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (k = 0; k < len[i]; k++) {
			if (s[at[i] + k] < '0' || s[at[i] + k] > '9')
				return -1;
			v[i] = v[i] * 10 + (s[at[i] + k] - '0');
		}
	}
	leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > mdays[v[1] - 1] || (v[1] == 2 && v[2] == 29 && !leap) ||
	    v[3] > 23 || v[4] > 59 || v[5] > 59)
		return -1;
	*out = days_from_civil(v[0], v[1], v[2]) * 86400 + v[3] * 3600 +
	    v[4] * 60 + v[5];
	return 0;
}

/* ---- writing -------------------------------------------------------- */

/*
 * A JSON string.  Everything tend stores passed text_check(), so text
 * that is not UTF-8 cannot come from it; should some arrive another way,
 * its stray bytes are written as '?' rather than losing the record.
 */
static json_t *
jstr(const char *s)
{
	const char	*p;
	json_t		*v;
	size_t		 n, k;
	char		*fix;

	if (s == NULL)
		return json_null();
	n = strlen(s);
	if (text_utf8_valid(s, n))
		return json_stringn(s, n);
	fix = xmalloc(n + 1);
	k = 0;
	for (p = s; *p != '\0';) {
		n = ((unsigned char)*p & 0xe0) == 0xc0 ? 2 :
		    ((unsigned char)*p & 0xf0) == 0xe0 ? 3 :
		    ((unsigned char)*p & 0xf8) == 0xf0 ? 4 : 1;
		if (n > 1 && strnlen(p, n) == n && text_utf8_valid(p, n)) {
			memcpy(fix + k, p, n);
			k += n;
			p += n;
			continue;
		}
		fix[k++] = (unsigned char)*p < 0x80 ? *p : '?';
		p++;
	}
	v = json_stringn(fix, k);
	free(fix);
	return v;
}

/* A required instant. */
static json_t *
jtime(int64_t t)
{
	char	buf[BACKUP_TIME_BUFSZ];

	return json_string(time_format(t, buf, sizeof buf));
}

/* An optional instant: 0 is null. */
static json_t *
jtime_opt(int64_t t)
{
	return t == 0 ? json_null() : jtime(t);
}

static json_t *
jid(int64_t id)
{
	return id == 0 ? json_null() : json_integer(id);
}

static json_t *
entry_json(const char *key, const char *value, const char *label,
    int primary)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, key, jstr(value));
	json_object_set_new(o, "label", jstr(label));
	json_object_set_new(o, "primary", json_boolean(primary));
	return o;
}

/*
 * The fields every contact object has, in their fixed order.  emails and
 * phones are arrays already built; level is the levelled due (0: none).
 */
static json_t *
contact_json(const struct contact *c, json_t *emails, json_t *phones,
    int64_t level)
{
	json_t	*o, *a, *x, *k;
	size_t	 i;

	o = json_object();
	json_object_set_new(o, "id", jid(c->id));
	json_object_set_new(o, "name", jstr(c->name));
	json_object_set_new(o, "company", jstr(c->company));
	json_object_set_new(o, "title", jstr(c->title));
	json_object_set_new(o, "kind", jstr(c->kind));
	json_object_set_new(o, "tz", jstr(c->tz));
	json_object_set_new(o, "met_where", jstr(c->met_where));
	json_object_set_new(o, "met_on", jtime_opt(c->met_on));
	json_object_set_new(o, "via", jid(c->via_id));
	json_object_set_new(o, "source", jstr(c->source));
	json_object_set_new(o, "needs", jstr(c->needs));
	json_object_set_new(o, "notes", jstr(c->notes));
	json_object_set_new(o, "do_not_contact",
	    json_boolean(c->do_not_contact));
	json_object_set_new(o, "archived", json_boolean(c->archived));
	json_object_set_new(o, "last_touch", jtime_opt(c->last_touch));
	json_object_set_new(o, "created", jtime(c->created));
	json_object_set_new(o, "updated", jtime(c->updated));
	json_object_set_new(o, "emails", emails);
	json_object_set_new(o, "phones", phones);
	a = json_array();
	for (i = 0; i < c->tags.n; i++)
		json_array_append_new(a, jstr(c->tags.v[i]));
	json_object_set_new(o, "tags", a);
	a = json_array();
	for (i = 0; i < c->nextras; i++) {
		x = json_object();
		json_object_set_new(x, "group", jstr(c->extras[i].group));
		json_object_set_new(x, "name", jstr(c->extras[i].name));
		json_object_set_new(x, "params", jstr(c->extras[i].params));
		json_object_set_new(x, "value", jstr(c->extras[i].value));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "extras", a);
	if (c->cadence != NULL) {
		k = json_object();
		json_object_set_new(k, "spec", jstr(c->cadence));
		json_object_set_new(k, "next_due", jtime(c->cadence_due));
		json_object_set_new(k, "level_due", jtime_opt(level));
	} else
		k = json_null();
	json_object_set_new(o, "cadence", k);
	return o;
}

static json_t *
entries_json(const char *key, const struct store_entry *v, size_t n)
{
	json_t	*a;
	size_t	 i;

	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, entry_json(key, v[i].value,
		    v[i].label, v[i].primary));
	return a;
}

static json_t *
strlist_json(const char *key, const struct strlist *l)
{
	json_t	*a;
	size_t	 i;

	a = json_array();
	for (i = 0; i < l->n; i++)
		json_array_append_new(a, entry_json(key, l->v[i],
		    l->label != NULL ? l->label[i] : NULL, i == 0));
	return a;
}

json_t *
backup_contact_json(const struct contact *c)
{
	return contact_json(c, strlist_json("address", &c->emails),
	    strlist_json("number", &c->phones), 0);
}

static json_t *
interaction_json(const struct interaction *i)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(i->id));
	json_object_set_new(o, "kind", jstr(i->kind));
	json_object_set_new(o, "direction", jstr(i->direction));
	json_object_set_new(o, "at", jtime(i->at));
	json_object_set_new(o, "summary", jstr(i->summary));
	json_object_set_new(o, "created", jtime(i->created));
	json_object_set_new(o, "by_tend", json_boolean(i->system));
	return o;
}

static json_t *
followup_json(const struct store_backup_followup *bf)
{
	const struct followup	*f = bf->f;
	json_t			*o, *a, *h;
	size_t			 i;

	o = json_object();
	json_object_set_new(o, "id", json_integer(f->id));
	json_object_set_new(o, "deal", jid(f->deal_id));
	json_object_set_new(o, "enrollment", jid(bf->enrollment_id));
	json_object_set_new(o, "kind", jstr(f->kind));
	json_object_set_new(o, "reason", jstr(f->reason));
	json_object_set_new(o, "channel", jstr(f->channel));
	json_object_set_new(o, "due", jtime(f->due));
	json_object_set_new(o, "state", jstr(f->state));
	json_object_set_new(o, "origin", jstr(bf->origin));
	json_object_set_new(o, "escalated", jtime_opt(bf->escalated));
	json_object_set_new(o, "created", jtime(f->created));
	json_object_set_new(o, "updated", jtime(f->updated));
	a = json_array();
	for (i = 0; i < bf->nhistory; i++) {
		h = json_object();
		json_object_set_new(h, "at", jtime(bf->history[i].at));
		json_object_set_new(h, "state", jstr(bf->history[i].state));
		json_object_set_new(h, "due", jtime(bf->history[i].due));
		json_object_set_new(h, "note", jstr(bf->history[i].note));
		json_array_append_new(a, h);
	}
	json_object_set_new(o, "history", a);
	return o;
}

static json_t *
deal_json(const struct store_backup_deal *bd)
{
	const struct deal	*d = bd->d;
	json_t			*o, *a, *h;
	size_t			 i;

	o = json_object();
	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "title", jstr(d->title));
	json_object_set_new(o, "value_cents", d->has_value ?
	    json_integer(d->value_cents) : json_null());
	json_object_set_new(o, "stage", jstr(d->stage));
	json_object_set_new(o, "stage_since", jtime(d->stage_since));
	json_object_set_new(o, "closed", json_boolean(d->closed));
	json_object_set_new(o, "next_step", jstr(d->next_step));
	json_object_set_new(o, "next_due", jtime_opt(d->next_due));
	json_object_set_new(o, "created", jtime(d->created));
	json_object_set_new(o, "updated", jtime(d->updated));
	a = json_array();
	for (i = 0; i < bd->nhistory; i++) {
		h = json_object();
		json_object_set_new(h, "at", jtime(bd->history[i].at));
		json_object_set_new(h, "stage", jstr(bd->history[i].stage));
		json_object_set_new(h, "next_step",
		    jstr(bd->history[i].next_step));
		json_object_set_new(h, "next_due",
		    jtime_opt(bd->history[i].next_due));
		json_array_append_new(a, h);
	}
	json_object_set_new(o, "history", a);
	return o;
}

static json_t *
backup_json(const struct store_backup *b)
{
	json_t	*o, *a;
	size_t	 i;

	o = contact_json(&b->c, entries_json("address", b->emails,
	    b->nemails), entries_json("number", b->phones, b->nphones),
	    b->cadence_level);
	a = json_array();
	for (i = 0; i < b->ninteractions; i++)
		json_array_append_new(a, interaction_json(&b->interactions[i]));
	json_object_set_new(o, "interactions", a);
	a = json_array();
	for (i = 0; i < b->nfollowups; i++)
		json_array_append_new(a, followup_json(&b->followups[i]));
	json_object_set_new(o, "followups", a);
	a = json_array();
	for (i = 0; i < b->ndeals; i++)
		json_array_append_new(a, deal_json(&b->deals[i]));
	json_object_set_new(o, "deals", a);
	return o;
}

/*
 * jansson indents from column 0; a value nested in the document by hand
 * gets indent after each of its newlines, so the whole reads as one
 * indented document.  bytes counts what was written, to keep a record
 * within what the reader takes.
 */
struct dump {
	FILE		*f;
	const char	*indent;
	size_t		 bytes;
};

static int
dump_cb(const char *buf, size_t size, void *arg)
{
	struct dump	*d = arg;
	const char	*nl;
	size_t		 n;

	d->bytes += size;
	if (d->bytes > BACKUP_RECORD_MAX)
		return -1;
	while (size > 0) {
		nl = memchr(buf, '\n', size);
		n = nl != NULL ? (size_t)(nl - buf) + 1 : size;
		if (fwrite(buf, 1, n, d->f) != n)
			return -1;
		if (nl != NULL && fputs(d->indent, d->f) == EOF)
			return -1;
		buf += n;
		size -= n;
	}
	return 0;
}

static int
write_fail(struct err *e)
{
	return err_set(e, TEND_EIO, "cannot write: %s", strerror(errno != 0 ?
	    errno : EIO));
}

/* Dump v at the given indent; too big is TEND_EIO naming what. */
static int
dump_value(FILE *f, json_t *v, const char *indent, const char *what,
    struct err *e)
{
	struct dump	d;

	d.f = f;
	d.indent = indent;
	d.bytes = 0;
	errno = 0;
	if (json_dump_callback(v, dump_cb, &d, BACKUP_DUMP_FLAGS) != 0) {
		if (d.bytes > BACKUP_RECORD_MAX)
			return err_set(e, TEND_EIO, "%s is over %d MB of "
			    "JSON; it cannot be restored", what,
			    BACKUP_RECORD_MAX / (1024 * 1024));
		return write_fail(e);
	}
	return 0;
}

/*
 * The elements of a top-level array, written one at a time: ", key: ["
 * opens it, each element follows on its own line, "]" closes it.
 */
static int
array_open(FILE *f, const char *key, struct err *e)
{
	errno = 0;
	if (fprintf(f, ",\n  \"%s\": [", key) < 0)
		return write_fail(e);
	return 0;
}

/* Write o (taken) as the next element; what names it if too big. */
static int
array_add(FILE *f, size_t *n, json_t *o, const char *what, struct err *e)
{
	int	rc;

	errno = 0;
	if (fputs(*n > 0 ? ",\n    " : "\n    ", f) == EOF)
		rc = write_fail(e);
	else
		rc = dump_value(f, o, "    ", what, e);
	json_decref(o);
	if (rc == 0)
		(*n)++;
	return rc;
}

static int
array_close(FILE *f, size_t n, struct err *e)
{
	errno = 0;
	if (fputs(n > 0 ? "\n  ]" : "]", f) == EOF)
		return write_fail(e);
	return 0;
}

static json_t *
template_json(const struct template *t)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "name", jstr(t->name));
	json_object_set_new(o, "subject", jstr(t->subject));
	json_object_set_new(o, "body", jstr(t->body));
	json_object_set_new(o, "html", jstr(t->html));
	json_object_set_new(o, "starter", json_boolean(t->starter));
	/* a starter as shipped has no times: 0 in the database */
	json_object_set_new(o, "created", jtime_opt(t->created));
	json_object_set_new(o, "updated", jtime_opt(t->updated));
	return o;
}

static json_t *
suppression_json(const struct store_suppression *v)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "address", jstr(v->address));
	json_object_set_new(o, "reason", jstr(v->reason));
	json_object_set_new(o, "at", jtime(v->at));
	json_object_set_new(o, "detail", jstr(v->detail));
	return o;
}

/* Who a message is from (outbox_msg.automated), by name: version 3. */
static const char *const message_kinds[] = {
	"hand", "auto", "auto-reply", NULL
};

static json_t *
message_json(const struct outbox_msg *m, int64_t enrollment_id)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "contact", jid(m->contact_id));
	json_object_set_new(o, "deal", jid(m->deal_id));
	json_object_set_new(o, "enrollment", jid(enrollment_id));
	json_object_set_new(o, "template", jstr(m->template));
	/* a kind the store should not hold is written as it is: refused */
	json_object_set_new(o, "automated", m->automated >= OUTBOX_HAND &&
	    m->automated <= OUTBOX_AUTOREPLY ?
	    json_string(message_kinds[m->automated]) :
	    json_integer(m->automated));
	json_object_set_new(o, "rcpt", jstr(m->rcpt));
	json_object_set_new(o, "sender", jstr(m->sender));
	json_object_set_new(o, "subject", jstr(m->subject));
	json_object_set_new(o, "message_id", jstr(m->message_id));
	json_object_set_new(o, "state", jstr(m->state));
	json_object_set_new(o, "queued", jtime(m->queued));
	json_object_set_new(o, "due", jtime(m->next_attempt));
	json_object_set_new(o, "attempts", json_integer(m->attempts));
	json_object_set_new(o, "date", jtime_opt(m->date));
	json_object_set_new(o, "lease_owner", jstr(m->lease_owner));
	json_object_set_new(o, "sent_at", jtime_opt(m->sent_at));
	json_object_set_new(o, "last_reply", jstr(m->last_reply));
	json_object_set_new(o, "reason", jstr(m->reason));
	json_object_set_new(o, "data", jstr(m->data));
	return o;
}

/*
 * The next row of a table walked by id (after the one with id after):
 * 1 with *id and *row (its JSON), 0 at the end, or < 0.
 */
typedef int (*row_next_fn)(struct store *, struct arena *, int64_t after,
    int64_t *id, json_t **row, struct err *);

static int
template_next(struct store *s, struct arena *a, int64_t after, int64_t *id,
    json_t **row, struct err *e)
{
	struct template	*t;
	int		 rc;

	if ((rc = store_backup_template_next(s, a, after, &t, e)) > 0) {
		*id = t->id;
		*row = template_json(t);
	}
	return rc;
}

static int
message_next(struct store *s, struct arena *a, int64_t after, int64_t *id,
    json_t **row, struct err *e)
{
	struct outbox_msg	*m;
	int64_t			 enrollment;
	int			 rc;

	if ((rc = store_backup_outbox_next(s, a, after, &m, &enrollment,
	    e)) > 0) {
		*id = m->id;
		*row = message_json(m, enrollment);
	}
	return rc;
}

static int
sequence_next(struct store *s, struct arena *a, int64_t after, int64_t *id,
    json_t **row, struct err *e)
{
	struct store_sequence	*q;
	json_t			*o;
	int			 rc;

	if ((rc = store_backup_sequence_next(s, a, after, &q, e)) <= 0)
		return rc;
	*id = q->id;
	o = json_object();
	json_object_set_new(o, "id", json_integer(q->id));
	json_object_set_new(o, "name", jstr(q->name));
	json_object_set_new(o, "paused", json_boolean(q->paused));
	json_object_set_new(o, "created", jtime(q->created));
	json_object_set_new(o, "updated", jtime(q->updated));
	json_object_set_new(o, "source", jstr(q->source));
	*row = o;
	return 1;
}

static int
enrollment_next(struct store *s, struct arena *a, int64_t after, int64_t *id,
    json_t **row, struct err *e)
{
	struct enrollment	*r;
	json_t			*o;
	int			 rc;

	if ((rc = store_backup_enrollment_next(s, a, after, &r, e)) <= 0)
		return rc;
	*id = r->id;
	o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "contact", json_integer(r->contact_id));
	json_object_set_new(o, "sequence", json_integer(r->sequence_id));
	json_object_set_new(o, "deal", jid(r->deal_id));
	json_object_set_new(o, "deal_stage", jstr(r->deal_stage));
	json_object_set_new(o, "state", jstr(r->state));
	json_object_set_new(o, "step", json_integer(r->step));
	json_object_set_new(o, "next_at", jtime_opt(r->next_at));
	json_object_set_new(o, "base_at", jtime(r->base_at));
	json_object_set_new(o, "hold_until", jtime_opt(r->hold_until));
	json_object_set_new(o, "hold_followup", jid(r->hold_followup_id));
	json_object_set_new(o, "tz", jstr(r->tz));
	json_object_set_new(o, "cycles", json_integer(r->cycles));
	json_object_set_new(o, "sent", json_integer(r->sent));
	json_object_set_new(o, "started", jtime(r->started));
	json_object_set_new(o, "ended", jtime_opt(r->ended));
	json_object_set_new(o, "end_reason", jstr(r->end_reason));
	json_object_set_new(o, "updated", jtime(r->updated));
	*row = o;
	return 1;
}

/*
 * A message read, with its bytes: as a JSON string when they are UTF-8
 * without NUL (most mail, and readable so), else in base64.
 */
static int
inbound_next(struct store *s, struct arena *a, int64_t after, int64_t *id,
    json_t **row, struct err *e)
{
	struct store_inbound	*m;
	json_t			*o;
	size_t			 len, n;
	char			*data, *b64;
	int			 rc;

	if ((rc = store_backup_inbound_next(s, a, after, &m, &data, &len,
	    e)) <= 0)
		return rc;
	*id = m->id;
	o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "key", jstr(m->key));
	json_object_set_new(o, "received", jtime(m->received));
	json_object_set_new(o, "source", jstr(m->source));
	json_object_set_new(o, "class", jstr(m->cls));
	json_object_set_new(o, "contact", jid(m->contact_id));
	json_object_set_new(o, "from", jstr(m->from_addr));
	json_object_set_new(o, "subject", jstr(m->subject));
	json_object_set_new(o, "why", jstr(m->why));
	json_object_set_new(o, "effect", jstr(m->effect));
	if (memchr(data, '\0', len) == NULL && text_utf8_valid(data, len)) {
		json_object_set_new(o, "data", json_stringn(data, len));
		json_object_set_new(o, "data_base64", json_null());
	} else {
		n = sodium_base64_ENCODED_LEN(len,
		    sodium_base64_VARIANT_ORIGINAL);
		b64 = arena_alloc(a, n);
		sodium_bin2base64(b64, n, (const unsigned char *)data, len,
		    sodium_base64_VARIANT_ORIGINAL);
		json_object_set_new(o, "data", json_null());
		json_object_set_new(o, "data_base64", json_string(b64));
	}
	*row = o;
	return 1;
}

/*
 * Write the array key of a table's rows by id, one row at a time, each
 * in an arena of its own: the outbox is never whole in memory.  what
 * names a row in messages ("message 12").
 */
static int
write_rows(struct store *s, FILE *f, const char *key, const char *what,
    row_next_fn next, struct err *e)
{
	struct arena	*a;
	json_t		*row;
	int64_t		 after = 0;
	size_t		 n = 0;
	char		 name[64];
	int		 rc;

	if ((rc = array_open(f, key, e)) != 0)
		return rc;
	for (;;) {
		a = arena_new();
		rc = next(s, a, after, &after, &row, e);
		if (rc > 0) {
			snprintf(name, sizeof name, "%s %lld", what,
			    (long long)after);
			rc = array_add(f, &n, row, name, e);
			if (rc == 0)
				rc = 1;
		}
		arena_free(a);
		if (rc <= 0)
			break;
	}
	if (rc < 0)
		return rc;
	return array_close(f, n, e);
}

static int
write_suppressions(struct store *s, FILE *f, struct err *e)
{
	struct store_suppression	*v, *prev = NULL;
	struct arena			*a[2];
	size_t				 n = 0;
	int				 rc, k = 0;

	/* two arenas in turn: the row just written is the next one's key */
	a[0] = arena_new();
	a[1] = arena_new();
	if ((rc = array_open(f, "suppressions", e)) != 0)
		goto out;
	for (;;) {
		arena_free(a[k]);
		a[k] = arena_new();
		rc = store_backup_suppression_next(s, a[k], prev, &v, e);
		if (rc <= 0)
			break;
		if ((rc = array_add(f, &n, suppression_json(v), "a "
		    "suppression", e)) != 0)
			break;
		prev = v;
		k = 1 - k;
	}
	if (rc == 0)
		rc = array_close(f, n, e);
out:
	arena_free(a[1]);
	arena_free(a[0]);
	return rc;
}

/*
 * The next row of a table walked by a text key (after the row whose key
 * is after, NULL: the first): 1 with *key (in a) and *row, 0 at the end,
 * or < 0.
 */
typedef int (*key_next_fn)(struct store *, struct arena *, const char *after,
    const char **key, json_t **row, struct err *);

static int
imap_next(struct store *s, struct arena *a, const char *after,
    const char **key, json_t **row, struct err *e)
{
	struct store_imap_row	*v;
	json_t			*o;
	int			 rc;

	if ((rc = store_backup_imap_next(s, a, after, &v, e)) <= 0)
		return rc;
	*key = v->mailbox;
	o = json_object();
	json_object_set_new(o, "mailbox", jstr(v->mailbox));
	json_object_set_new(o, "uidvalidity", json_integer(v->uidvalidity));
	json_object_set_new(o, "last_uid", json_integer(v->last_uid));
	*row = o;
	return 1;
}

static int
soft_bounce_next(struct store *s, struct arena *a, const char *after,
    const char **key, json_t **row, struct err *e)
{
	struct store_soft_bounce	*v;
	json_t				*o;
	int				 rc;

	if ((rc = store_backup_soft_bounce_next(s, a, after, &v, e)) <= 0)
		return rc;
	*key = v->address;
	o = json_object();
	json_object_set_new(o, "address", jstr(v->address));
	json_object_set_new(o, "count", json_integer(v->count));
	json_object_set_new(o, "last_at", jtime(v->last_at));
	*row = o;
	return 1;
}

/* As write_rows, for a table walked by a text key. */
static int
write_keyed(struct store *s, FILE *f, const char *key, const char *what,
    key_next_fn next, struct err *e)
{
	struct arena	*a[2];
	const char	*after = NULL, *k;
	json_t		*row;
	size_t		 n = 0;
	int		 rc, i = 0;

	/* two arenas in turn: the row just written holds the next's key */
	a[0] = arena_new();
	a[1] = arena_new();
	if ((rc = array_open(f, key, e)) != 0)
		goto out;
	for (;;) {
		arena_free(a[i]);
		a[i] = arena_new();
		rc = next(s, a[i], after, &k, &row, e);
		if (rc <= 0)
			break;
		if ((rc = array_add(f, &n, row, what, e)) != 0)
			break;
		after = k;
		i = 1 - i;
	}
	if (rc == 0)
		rc = array_close(f, n, e);
out:
	arena_free(a[1]);
	arena_free(a[0]);
	return rc;
}

static int
write_settings(struct store *s, FILE *f, struct err *e)
{
	struct arena	*a;
	json_t		*o;
	char		**keys, **values;
	size_t		 n, i;
	int		 rc;

	a = arena_new();
	o = json_object();
	if ((rc = store_backup_settings(s, a, &keys, &values, &n, e)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		json_object_set_new(o, keys[i], jstr(values[i]));
	rc = dump_value(f, o, "  ", "the settings", e);
out:
	json_decref(o);
	arena_free(a);
	return rc;
}

int
backup_write(struct store *s, FILE *f, int64_t now, struct err *e)
{
	struct store_backup	*b;
	struct arena		*a;
	int64_t			 after = 0;
	size_t			 n = 0;
	char			 t[BACKUP_TIME_BUFSZ], what[64];
	int			 rc;

	errno = 0;
	if (fprintf(f, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  "
	    "\"written\": \"%s\",\n  \"settings\": ", BACKUP_FORMAT,
	    BACKUP_VERSION, time_format(now, t, sizeof t)) < 0)
		return write_fail(e);
	if ((rc = write_settings(s, f, e)) != 0)
		return rc;
	if ((rc = array_open(f, "contacts", e)) != 0)
		return rc;
	for (;;) {
		/* one arena per contact: memory stays that of the largest */
		a = arena_new();
		rc = store_backup_next(s, a, after, &b, e);
		if (rc > 0) {
			after = b->c.id;
			snprintf(what, sizeof what, "contact %lld",
			    (long long)after);
			rc = array_add(f, &n, backup_json(b), what, e);
			if (rc == 0)
				rc = 1;
		}
		arena_free(a);
		if (rc <= 0)
			break;
	}
	if (rc < 0)
		return rc;
	/*
	 * the mail tables after the contacts their rows refer to, the
	 * enrollments after their sequences and before the messages they
	 * queued
	 */
	if ((rc = array_close(f, n, e)) != 0 ||
	    (rc = write_rows(s, f, "templates", "template",
	    template_next, e)) != 0 ||
	    (rc = write_suppressions(s, f, e)) != 0 ||
	    (rc = write_rows(s, f, "sequences", "sequence", sequence_next,
	    e)) != 0 ||
	    (rc = write_rows(s, f, "enrollments", "enrollment",
	    enrollment_next, e)) != 0 ||
	    (rc = write_rows(s, f, "outbox", "message", message_next,
	    e)) != 0 ||
	    (rc = write_rows(s, f, "inbound", "message read", inbound_next,
	    e)) != 0 ||
	    (rc = write_keyed(s, f, "imap_state", "a mailbox's state",
	    imap_next, e)) != 0 ||
	    (rc = write_keyed(s, f, "soft_bounces", "a soft bounce",
	    soft_bounce_next, e)) != 0)
		return rc;
	errno = 0;
	if (fputs("\n}\n", f) == EOF || fflush(f) != 0 || ferror(f))
		return write_fail(e);
	return 0;
}

int
backup_contacts_begin(struct backup_list *l, FILE *f, struct err *e)
{
	l->f = f;
	l->n = 0;
	errno = 0;
	if (fprintf(f, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  "
	    "\"contacts\": [", BACKUP_CONTACTS_FORMAT,
	    BACKUP_CONTACTS_VERSION) < 0)
		return write_fail(e);
	return 0;
}

int
backup_contacts_add(struct backup_list *l, const struct contact *c,
    struct err *e)
{
	json_t	*o;
	int	 rc;

	errno = 0;
	if (fputs(l->n > 0 ? ",\n    " : "\n    ", l->f) == EOF)
		return write_fail(e);
	o = backup_contact_json(c);
	rc = dump_value(l->f, o, "    ", "a contact", e);
	json_decref(o);
	if (rc == 0)
		l->n++;
	return rc;
}

int
backup_contacts_end(struct backup_list *l, struct err *e)
{
	errno = 0;
	if (fputs(l->n > 0 ? "\n  ]\n}\n" : "]\n}\n", l->f) == EOF ||
	    fflush(l->f) != 0 || ferror(l->f))
		return write_fail(e);
	return 0;
}

/* ---- reading the document's outer structure -------------------------- */

#define DOC_BACKUP	0x1	/* "tend-backup" */
#define DOC_CONTACTS	0x2	/* "tend-contacts" */

enum doc_state {
	DOC_KEYS,		/* between the arrays */
	DOC_ITEMS,		/* inside one of the arrays */
	DOC_END,		/* read to the end and checked */
	DOC_DEAD		/* a structural error: nothing more to read */
};

/* Top-level keys seen. */
#define SEEN_FORMAT	0x01
#define SEEN_VERSION	0x02
#define SEEN_WRITTEN	0x04
#define SEEN_SETTINGS	0x08
#define SEEN_CONTACTS	0x10
#define SEEN_TEMPLATES	0x20
#define SEEN_SUPPRESSIONS 0x40
#define SEEN_OUTBOX	0x80
#define SEEN_MAIL	(SEEN_TEMPLATES | SEEN_SUPPRESSIONS | SEEN_OUTBOX)
#define SEEN_SEQUENCES	0x100
#define SEEN_ENROLLMENTS 0x200
#define SEEN_INBOUND	0x400
#define SEEN_IMAP	0x800
#define SEEN_BOUNCES	0x1000
#define SEEN_V3		(SEEN_SEQUENCES | SEEN_ENROLLMENTS | SEEN_INBOUND | \
			 SEEN_IMAP | SEEN_BOUNCES)

/*
 * The top-level arrays, read element by element: the contacts, in a
 * version 2 backup the mail tables, and in a version 3 one sequences and
 * mail in.  In the order of the SEEN_ bits from SEEN_CONTACTS.
 */
enum doc_array {
	DOC_CONTACTS_ARRAY,
	DOC_TEMPLATES,
	DOC_SUPPRESSIONS,
	DOC_OUTBOX,
	DOC_SEQUENCES,
	DOC_ENROLLMENTS,
	DOC_INBOUND,
	DOC_IMAP,
	DOC_BOUNCES
};
static const char *const doc_arrays[] = {
	"contacts", "templates", "suppressions", "outbox", "sequences",
	"enrollments", "inbound", "imap_state", "soft_bounces"
};

struct doc {
	FILE		*f;
	const char	*name;
	struct err	*e;
	int		 accept;	/* DOC_BACKUP | DOC_CONTACTS */
	int		 format;	/* the one found */
	int		 version;
	enum doc_state	 state;
	unsigned	 seen;
	unsigned	 line, col;	/* of the next character */
	enum doc_array	 array;		/* the one being read */
	unsigned	 index;		/* elements taken from it */
	unsigned	 ncontacts;	/* contacts taken */
	unsigned	 rec_line;	/* where the last one starts */
	char		*buf;		/* the text of one value */
	size_t		 n, cap;
	json_t		*settings;
};

static void
doc_init(struct doc *d, FILE *f, const char *name, int accept)
{
	memset(d, 0, sizeof *d);
	d->f = f;
	d->name = name;
	d->accept = accept;
	d->line = 1;
	d->col = 1;
}

static void
doc_free(struct doc *d)
{
	free(d->buf);
	json_decref(d->settings);
	d->buf = NULL;
	d->settings = NULL;
}

/* "name: msg": a problem in the content; the document is dead. */
static int
doc_fail(struct doc *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int
doc_fail(struct doc *d, const char *fmt, ...)
{
	va_list	ap;
	char	msg[ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->state = DOC_DEAD;
	return err_set(d->e, TEND_EINVAL, "%s: %s", d->name, msg);
}

/* "name: line L, column C: msg", and the document is dead. */
static int
doc_fail_at(struct doc *d, unsigned line, unsigned col, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
static int
doc_fail_at(struct doc *d, unsigned line, unsigned col, const char *fmt,
    ...)
{
	va_list	ap;
	char	msg[ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->state = DOC_DEAD;
	return err_set(d->e, TEND_EINVAL, "%s: line %u, column %u: %s",
	    d->name, line, col, msg);
}

static int
doc_get(struct doc *d)
{
	int	c;

	c = getc(d->f);
	if (c == '\n') {
		d->line++;
		d->col = 1;
	} else if (c != EOF && (c & 0xc0) != 0x80)
		d->col++;
	return c;
}

static int
doc_peek(struct doc *d)
{
	int	c;

	c = getc(d->f);
	if (c != EOF)
		ungetc(c, d->f);
	return c;
}

/* Skip white space; the next character, not taken. */
static int
doc_ws(struct doc *d)
{
	int	c;

	for (;;) {
		c = doc_peek(d);
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return c;
		doc_get(d);
	}
}

/* The end of the input: a read error or a truncated document. */
static int
doc_eof(struct doc *d)
{
	if (ferror(d->f)) {
		d->state = DOC_DEAD;
		return err_set(d->e, TEND_EIO, "%s: cannot read: %s", d->name,
		    strerror(errno != 0 ? errno : EIO));
	}
	return doc_fail_at(d, d->line, d->col, "unexpected end of file (is "
	    "the file truncated?)");
}

/* Describe character c for a message. */
static const char *
doc_char(int c, char *buf, size_t n)
{
	if (c == EOF)
		snprintf(buf, n, "the end of the file");
	else if (c > 0x20 && c < 0x7f)
		snprintf(buf, n, "'%c'", c);
	else
		snprintf(buf, n, "byte 0x%02x", (unsigned)c);
	return buf;
}

static int
doc_put(struct doc *d, int c, unsigned line, unsigned col)
{
	if (d->n + 1 >= BACKUP_RECORD_MAX)
		return doc_fail_at(d, line, col, "a value over %d MB",
		    BACKUP_RECORD_MAX / (1024 * 1024));
	if (d->n + 1 >= d->cap) {
		d->cap = d->cap == 0 ? 4096 : d->cap * 2;
		d->buf = xrealloc(d->buf, d->cap);
	}
	d->buf[d->n++] = (char)c;
	return 0;
}

/*
 * Take the text of the next value (white space skipped) into d->buf,
 * finding its end by brackets and strings only: jansson checks it.
 * *line and *col say where it starts.
 */
static int
doc_capture(struct doc *d, unsigned *line, unsigned *col)
{
	int	c, depth = 0, in_str = 0, esc = 0, rc;

	d->n = 0;
	c = doc_ws(d);
	*line = d->line;
	*col = d->col;
	if (c == EOF)
		return doc_eof(d);
	if (c != '{' && c != '[' && c != '"') {
		/* a number, true, false, null or junk: up to a delimiter */
		while (c != EOF && strchr(" \t\r\n,:]}[{\"", c) == NULL) {
			if ((rc = doc_put(d, doc_get(d), *line, *col)) != 0)
				return rc;
			c = doc_peek(d);
		}
		if (d->n == 0)
			return doc_fail_at(d, *line, *col, "a value expected, "
			    "not '%c'", c);
		d->buf[d->n] = '\0';
		return 0;
	}
	for (;;) {
		c = doc_get(d);
		if (c == EOF)
			return doc_eof(d);
		if ((rc = doc_put(d, c, *line, *col)) != 0)
			return rc;
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				in_str = 0;
				if (depth == 0)
					break;
			}
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (--depth == 0)
				break;
		}
	}
	d->buf[d->n] = '\0';
	return 0;
}

/*
 * Decode the captured text.  A syntax error is TEND_EINVAL with its line
 * and column in the file, but the document goes on: the value's end was
 * found, so a reader may skip to the next.
 */
static int
doc_decode(struct doc *d, unsigned line, unsigned col, json_t **out)
{
	json_error_t	 je;
	unsigned	 l, c;

	*out = json_loadb(d->buf, d->n, JSON_DECODE_ANY |
	    JSON_REJECT_DUPLICATES, &je);
	if (*out != NULL)
		return 0;
	l = line;
	c = col;
	if (je.line > 1) {
		l = line + (unsigned)je.line - 1;
		c = je.column > 0 ? (unsigned)je.column : 1;
	} else if (je.line == 1 && je.column > 0)
		c = col + (unsigned)je.column - 1;
	return err_set(d->e, TEND_EINVAL, "%s: line %u, column %u: %s",
	    d->name, l, c, je.text);
}

static int
doc_expect(struct doc *d, int want, const char *what)
{
	unsigned	line, col;
	char		buf[32];
	int		c;

	c = doc_ws(d);
	line = d->line;
	col = d->col;
	if (c == want) {
		doc_get(d);
		return 0;
	}
	if (c == EOF)
		return doc_eof(d);
	return doc_fail_at(d, line, col, "%s expected, not %s", what,
	    doc_char(c, buf, sizeof buf));
}

static int
doc_settings(struct doc *d, json_t *v)
{
	struct deal_stages	 st;
	struct err		 e2;
	const char		*k;
	json_t			*x;

	if (!json_is_object(v))
		return doc_fail(d, "settings: not an object");
	json_object_foreach(v, k, x) {
		if (*k == '\0' || strlen(k) > BACKUP_KEY_MAX ||
		    text_check("key", k, BACKUP_KEY_MAX, 0, NULL) != 0)
			return doc_fail(d, "settings: invalid key '%.64s'", k);
		if (!json_is_string(x))
			return doc_fail(d, "settings.%s: not a string", k);
		if (text_check(k, json_string_value(x), TEXT_LONG_MAX, 0,
		    &e2) != 0)
			return doc_fail(d, "settings.%s: %s", k, e2.msg);
		if (strcmp(k, "deal.stages") == 0 &&
		    deal_stages_parse(json_string_value(x), &st, &e2) != 0)
			return doc_fail(d, "settings.%s: %s", k, e2.msg);
	}
	d->settings = json_incref(v);
	return 0;
}

static int
doc_format(struct doc *d, json_t *v)
{
	const char	*f;

	if (!json_is_string(v))
		return doc_fail(d, "format: not a string");
	f = json_string_value(v);
	if (strcmp(f, BACKUP_FORMAT) == 0)
		d->format = DOC_BACKUP;
	else if (strcmp(f, BACKUP_CONTACTS_FORMAT) == 0)
		d->format = DOC_CONTACTS;
	else
		return doc_fail(d, "format: '%.100s' is not a tend document "
		    "(expected \"%s\")", f, d->accept & DOC_CONTACTS ?
		    BACKUP_FORMAT "\" or \"" BACKUP_CONTACTS_FORMAT :
		    BACKUP_FORMAT);
	if (!(d->format & d->accept))
		return doc_fail(d, "format: '%s' is a contact export, not a "
		    "backup; read it with 'tend import'", f);
	return 0;
}

/* One top-level member other than the contacts. */
static int
doc_member(struct doc *d, const char *key, json_t *v)
{
	json_int_t	 ver;
	int64_t		 t;

	if (strcmp(key, "format") == 0)
		return doc_format(d, v);
	if (strcmp(key, "version") == 0) {
		if (!json_is_integer(v))
			return doc_fail(d, "version: not a whole number");
		ver = json_integer_value(v);
		if (ver > BACKUP_VERSION)
			return doc_fail(d, "version %lld is newer than this "
			    "tend reads (%d); upgrade tend", (long long)ver,
			    BACKUP_VERSION);
		if (ver < 1)
			return doc_fail(d, "version: %lld is not a version",
			    (long long)ver);
		d->version = (int)ver;
		return 0;
	}
	if (strcmp(key, "written") == 0) {
		if (!json_is_string(v) ||
		    time_parse(json_string_value(v), &t) != 0)
			return doc_fail(d, "written: not a time like "
			    "2026-11-23T09:00:00Z");
		return 0;
	}
	if (strcmp(key, "settings") == 0)
		return doc_settings(d, v);
	return doc_fail(d, "unknown key '%.64s'", key);
}

static unsigned
doc_key_bit(const char *key)
{
	if (strcmp(key, "format") == 0)
		return SEEN_FORMAT;
	if (strcmp(key, "version") == 0)
		return SEEN_VERSION;
	if (strcmp(key, "written") == 0)
		return SEEN_WRITTEN;
	if (strcmp(key, "settings") == 0)
		return SEEN_SETTINGS;
	if (strcmp(key, "contacts") == 0)
		return SEEN_CONTACTS;
	if (strcmp(key, "templates") == 0)
		return SEEN_TEMPLATES;
	if (strcmp(key, "suppressions") == 0)
		return SEEN_SUPPRESSIONS;
	if (strcmp(key, "outbox") == 0)
		return SEEN_OUTBOX;
	if (strcmp(key, "sequences") == 0)
		return SEEN_SEQUENCES;
	if (strcmp(key, "enrollments") == 0)
		return SEEN_ENROLLMENTS;
	if (strcmp(key, "inbound") == 0)
		return SEEN_INBOUND;
	if (strcmp(key, "imap_state") == 0)
		return SEEN_IMAP;
	if (strcmp(key, "soft_bounces") == 0)
		return SEEN_BOUNCES;
	return 0;
}

/* After the closing '}': nothing but white space, and all that is due. */
static int
doc_finish(struct doc *d)
{
	unsigned	line, col;
	char		buf[32];
	int		c;

	c = doc_ws(d);
	line = d->line;
	col = d->col;
	if (c != EOF)
		return doc_fail_at(d, line, col, "%s after the end of the "
		    "document", doc_char(c, buf, sizeof buf));
	if (ferror(d->f))
		return doc_eof(d);
	if (!(d->seen & SEEN_FORMAT))
		return doc_fail(d, "not a tend backup: no \"format\"");
	if (!(d->seen & SEEN_VERSION))
		return doc_fail(d, "no \"version\"");
	if (!(d->seen & SEEN_CONTACTS))
		return doc_fail(d, "no \"contacts\"");
	/* version 2 says what the mail tables hold, even when empty */
	if (d->format == DOC_BACKUP && d->version >= 2) {
		if (!(d->seen & SEEN_TEMPLATES))
			return doc_fail(d, "no \"templates\"");
		if (!(d->seen & SEEN_SUPPRESSIONS))
			return doc_fail(d, "no \"suppressions\"");
		if (!(d->seen & SEEN_OUTBOX))
			return doc_fail(d, "no \"outbox\"");
	}
	/* and version 3 what sequences and mail in hold */
	if (d->format == DOC_BACKUP && d->version >= 3) {
		if (!(d->seen & SEEN_SEQUENCES))
			return doc_fail(d, "no \"sequences\"");
		if (!(d->seen & SEEN_ENROLLMENTS))
			return doc_fail(d, "no \"enrollments\"");
		if (!(d->seen & SEEN_INBOUND))
			return doc_fail(d, "no \"inbound\"");
		if (!(d->seen & SEEN_IMAP))
			return doc_fail(d, "no \"imap_state\"");
		if (!(d->seen & SEEN_BOUNCES))
			return doc_fail(d, "no \"soft_bounces\"");
	}
	d->state = DOC_END;
	return 0;
}

/* The array (enum doc_array) whose SEEN_ bit is bit. */
static unsigned
doc_array_index(unsigned bit)
{
	unsigned	i = 0;

	while (((unsigned)SEEN_CONTACTS << i) != bit)
		i++;
	return i;
}

/*
 * Rows refer to rows of arrays that come before them (the reader takes
 * each row as it comes): the array with bit needs those of the array
 * with before.  0, or the failure at line and col.
 */
static int
doc_after(struct doc *d, unsigned bit, unsigned want, unsigned before,
    unsigned line, unsigned col)
{
	if (bit != want || (d->seen & before))
		return 0;
	return doc_fail_at(d, line, col, "\"%s\" must come before \"%s\"",
	    doc_arrays[doc_array_index(before)],
	    doc_arrays[doc_array_index(want)]);
}

/*
 * Open the array named key (its bit in d->seen set): d->array, and
 * DOC_ITEMS.  line and col say where the key is.
 */
static int
doc_array_open(struct doc *d, const char *key, unsigned bit, unsigned line,
    unsigned col)
{
	char	what[BACKUP_KEY_MAX + 8];
	int	rc;

	if ((d->seen & (SEEN_FORMAT | SEEN_VERSION)) !=
	    (SEEN_FORMAT | SEEN_VERSION))
		return doc_fail_at(d, line, col, "\"format\" and \"version\" "
		    "must come before \"%s\"", key);
	if (bit & SEEN_MAIL) {
		if (d->format != DOC_BACKUP)
			return doc_fail_at(d, line, col, "unknown key '%s'",
			    key);
		if (d->version < 2)
			return doc_fail_at(d, line, col, "\"%s\" is not in a "
			    "version %d backup (version 2 has the mail "
			    "tables)", key, d->version);
	}
	if (bit & SEEN_V3) {
		if (d->format != DOC_BACKUP)
			return doc_fail_at(d, line, col, "unknown key '%s'",
			    key);
		if (d->version < 3)
			return doc_fail_at(d, line, col, "\"%s\" is not in a "
			    "version %d backup (version 3 has sequences and "
			    "mail in)", key, d->version);
	}
	/*
	 * a message refers to a contact and (version 3) its enrollment, an
	 * enrollment to a contact and a sequence, a message read to a
	 * contact: all are in by then
	 */
	if ((rc = doc_after(d, bit, SEEN_OUTBOX, SEEN_CONTACTS, line,
	    col)) != 0 ||
	    (d->version >= 3 && (rc = doc_after(d, bit, SEEN_OUTBOX,
	    SEEN_ENROLLMENTS, line, col)) != 0) ||
	    (rc = doc_after(d, bit, SEEN_ENROLLMENTS, SEEN_CONTACTS, line,
	    col)) != 0 ||
	    (rc = doc_after(d, bit, SEEN_ENROLLMENTS, SEEN_SEQUENCES, line,
	    col)) != 0 ||
	    (rc = doc_after(d, bit, SEEN_INBOUND, SEEN_CONTACTS, line,
	    col)) != 0)
		return rc;
	snprintf(what, sizeof what, "%s: '['", key);
	if ((rc = doc_expect(d, '[', what)) != 0)
		return rc;
	d->array = (enum doc_array)doc_array_index(bit);
	d->index = 0;
	d->state = DOC_ITEMS;
	return 0;
}

/*
 * Read members until an array opens (DOC_ITEMS) or the document ends
 * (DOC_END).  Positioned after '{' or a ','.
 */
static int
doc_keys(struct doc *d)
{
	json_t		*v;
	unsigned	 line, col, bit;
	char		 key[BACKUP_KEY_MAX + 1], buf[32];
	int		 c, rc;

	for (;;) {
		c = doc_ws(d);
		if (c != '"') {
			if (c == EOF)
				return doc_eof(d);
			return doc_fail_at(d, d->line, d->col, "a key "
			    "expected, not %s", doc_char(c, buf, sizeof buf));
		}
		if ((rc = doc_capture(d, &line, &col)) != 0)
			return rc;
		if ((rc = doc_decode(d, line, col, &v)) != 0) {
			d->state = DOC_DEAD;
			return rc;
		}
		snprintf(key, sizeof key, "%s", json_string_value(v));
		json_decref(v);
		bit = doc_key_bit(key);
		if (bit != 0 && (d->seen & bit))
			return doc_fail_at(d, line, col, "\"%s\" given twice",
			    key);
		d->seen |= bit;
		if ((rc = doc_expect(d, ':', "':'")) != 0)
			return rc;
		if (bit == SEEN_CONTACTS || (bit & (SEEN_MAIL | SEEN_V3)))
			return doc_array_open(d, key, bit, line, col);
		if ((rc = doc_capture(d, &line, &col)) != 0)
			return rc;
		if ((rc = doc_decode(d, line, col, &v)) != 0) {
			d->state = DOC_DEAD;
			return rc;
		}
		rc = doc_member(d, key, v);
		json_decref(v);
		if (rc != 0)
			return rc;
		c = doc_ws(d);
		line = d->line;
		col = d->col;
		if (c == ',') {
			doc_get(d);
			continue;
		}
		if (c == '}') {
			doc_get(d);
			return doc_finish(d);
		}
		if (c == EOF)
			return doc_eof(d);
		return doc_fail_at(d, line, col, "',' or '}' expected, not %s",
		    doc_char(c, buf, sizeof buf));
	}
}

static int
doc_open(struct doc *d, struct err *e)
{
	int	c;

	d->e = e;
	/* a byte order mark is no JSON, but editors write one */
	c = doc_peek(d);
	if (c == 0xef) {
		doc_get(d);
		if (doc_get(d) != 0xbb || doc_get(d) != 0xbf)
			return doc_fail_at(d, 1, 1, "not a JSON document");
		d->col = 1;
	}
	c = doc_ws(d);
	if (c == EOF) {
		if (ferror(d->f))
			return doc_eof(d);
		return doc_fail(d, "empty file, not a tend backup");
	}
	if (c != '{')
		return doc_fail_at(d, d->line, d->col, "not a tend backup "
		    "(a JSON object expected)");
	doc_get(d);
	if (doc_ws(d) == '}') {
		doc_get(d);
		return doc_finish(d);
	}
	return doc_keys(d);
}

/*
 * The next element of an array, whichever (d->array says which; d->index
 * counts from 1): 1 with *out (a new reference), 0 at the end of the
 * document, or an error: TEND_EINVAL for a bad element leaves the
 * document usable, any other leaves it dead.
 */
static int
doc_next(struct doc *d, json_t **out, struct err *e)
{
	unsigned	 line, col;
	char		 buf[32];
	int		 c, rc;

	*out = NULL;
	d->e = e;
	for (;;) {
		if (d->state != DOC_ITEMS)
			return 0;
		c = doc_ws(d);
		if (c != ']' && (d->index == 0 || c == ','))
			break;
		line = d->line;
		col = d->col;
		if (c != ']') {
			if (c == EOF)
				return doc_eof(d);
			return doc_fail_at(d, line, col, "',' or ']' expected "
			    "after %s[%u], not %s", doc_arrays[d->array],
			    d->index - 1, doc_char(c, buf, sizeof buf));
		}
		doc_get(d);
		d->state = DOC_KEYS;
		c = doc_ws(d);
		if (c == ',') {
			doc_get(d);
			/* the next array, or the end */
			if ((rc = doc_keys(d)) != 0)
				return rc;
			continue;
		}
		if (c == '}') {
			doc_get(d);
			return doc_finish(d);
		}
		if (c == EOF)
			return doc_eof(d);
		return doc_fail_at(d, d->line, d->col, "',' or '}' expected, "
		    "not %s", doc_char(c, buf, sizeof buf));
	}
	if (d->index > 0)
		doc_get(d);
	if ((rc = doc_capture(d, &line, &col)) != 0)
		return rc;
	d->rec_line = line;
	d->index++;
	if (d->array == DOC_CONTACTS_ARRAY)
		d->ncontacts++;
	if ((rc = doc_decode(d, line, col, out)) != 0)
		return rc;
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return err_set(e, TEND_EINVAL, "%s: %s[%u]: not an object",
		    d->name, doc_arrays[d->array], d->index - 1);
	}
	return 1;
}

/* ---- reading one contact ------------------------------------------- */

/* Where a contact's values are being read: for messages and copies. */
struct rd {
	const char	*name;
	struct arena	*a;
	struct err	*e;
	int		 full;		/* a backup: ids and history too */
	int		 version;	/* the document's */
};

static int
rd_fail(struct rd *r, const char *path, const char *key, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
static int
rd_fail(struct rd *r, const char *path, const char *key, const char *fmt,
    ...)
{
	va_list	ap;
	char	msg[ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (key != NULL)
		return err_set(r->e, TEND_EINVAL, "%s: %s.%s: %s", r->name,
		    path, key, msg);
	return err_set(r->e, TEND_EINVAL, "%s: %s: %s", r->name, path, msg);
}

/* Every key of o must be in the NULL-terminated list. */
static int
rd_keys(struct rd *r, json_t *o, const char *path, const char *const *ok)
{
	const char		*k;
	const char *const	*p;
	json_t			*v;

	json_object_foreach(o, k, v) {
		for (p = ok; *p != NULL; p++)
			if (strcmp(*p, k) == 0)
				break;
		if (*p == NULL)
			return rd_fail(r, path, NULL, "unknown key '%.64s'", k);
	}
	return 0;
}

/*
 * Keys that came with version 3: in an older document they are as
 * unknown as any other.
 */
static int
rd_since3(struct rd *r, json_t *o, const char *path, const char *const *keys)
{
	if (r->version >= 3)
		return 0;
	for (; *keys != NULL; keys++)
		if (json_object_get(o, *keys) != NULL)
			return rd_fail(r, path, NULL, "unknown key '%s' (new "
			    "in version 3)", *keys);
	return 0;
}

/* A whole number from min to max; absent or null is 0. */
static int
rd_count(struct rd *r, json_t *o, const char *path, const char *key,
    int64_t min, int64_t max, int64_t *out)
{
	json_t	*v;

	*out = 0;
	v = json_object_get(o, key);
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return rd_fail(r, path, key, "not a whole number from %lld to "
		    "%lld", (long long)min, (long long)max);
	*out = (int64_t)json_integer_value(v);
	return 0;
}

/* A word of a-z, 0-9 and '-' (an origin, a stage), 1 to max bytes. */
static int
rd_word(const char *s, size_t max)
{
	if (*s == '\0' || strlen(s) > max)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

/* An optional (or required) string: *out NULL when absent or null. */
static int
rd_str(struct rd *r, json_t *o, const char *path, const char *key,
    int required, char **out)
{
	json_t	*v;

	*out = NULL;
	v = json_object_get(o, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			return rd_fail(r, path, key, "missing");
		return 0;
	}
	if (!json_is_string(v))
		return rd_fail(r, path, key, "not a string");
	*out = arena_strndup(r->a, json_string_value(v),
	    json_string_length(v));
	return 0;
}

/* A string that must pass text_check (one line unless multiline). */
static int
rd_text(struct rd *r, json_t *o, const char *path, const char *key,
    int required, size_t max, int multiline, char **out)
{
	struct err	e2;
	int		rc;

	if ((rc = rd_str(r, o, path, key, required, out)) != 0)
		return rc;
	if (*out != NULL && text_check(key, *out, max, multiline, &e2) != 0)
		return rd_fail(r, path, key, "%s", e2.msg);
	return 0;
}

/* An instant: 0 when absent or null (and not required). */
static int
rd_time(struct rd *r, json_t *o, const char *path, const char *key,
    int required, int64_t *out)
{
	json_t	*v;

	*out = 0;
	v = json_object_get(o, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			return rd_fail(r, path, key, "missing");
		return 0;
	}
	if (!json_is_string(v) || time_parse(json_string_value(v), out) != 0)
		return rd_fail(r, path, key, "not a time like "
		    "2026-11-23T09:00:00Z");
	return 0;
}

/* An id: a whole number from 1; 0 when absent or null (not required). */
static int
rd_id(struct rd *r, json_t *o, const char *path, const char *key,
    int required, int64_t *out)
{
	json_t	*v;

	*out = 0;
	v = json_object_get(o, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			return rd_fail(r, path, key, "missing");
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return rd_fail(r, path, key, "not an id (a whole number from "
		    "1)");
	*out = (int64_t)json_integer_value(v);
	return 0;
}

/* true or false; absent is false. */
static int
rd_bool(struct rd *r, json_t *o, const char *path, const char *key,
    int *out)
{
	json_t	*v;

	*out = 0;
	v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return rd_fail(r, path, key, "not true or false");
	*out = json_is_true(v);
	return 0;
}

/* An array, or NULL when absent or null. */
static int
rd_array(struct rd *r, json_t *o, const char *path, const char *key,
    json_t **out)
{
	json_t	*v;

	*out = NULL;
	v = json_object_get(o, key);
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return rd_fail(r, path, key, "not an array");
	*out = v;
	return 0;
}

/* Element i of array a, which must be an object; its path in p. */
static int
rd_elem(struct rd *r, json_t *a, size_t i, const char *path,
    const char *key, char *p, size_t n, json_t **out)
{
	snprintf(p, n, "%s.%s[%zu]", path, key, i);
	*out = json_array_get(a, i);
	if (!json_is_object(*out))
		return rd_fail(r, p, NULL, "not an object");
	return 0;
}

static const char *const entry_keys_email[] = {
	"address", "label", "primary", NULL
};
static const char *const entry_keys_phone[] = {
	"number", "label", "primary", NULL
};

/* emails or phones: [{address|number, label, primary}]. */
static int
rd_entries(struct rd *r, json_t *o, const char *path, int phones,
    struct store_entry **out, size_t *n)
{
	const char	*key = phones ? "phones" : "emails";
	const char	*vkey = phones ? "number" : "address";
	struct err	 e2;
	json_t		*a, *x;
	char		 p[96];
	size_t		 i;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rc = rd_array(r, o, path, key, &a)) != 0 || a == NULL)
		return rc;
	*n = json_array_size(a);
	*out = arena_alloc(r->a, (*n + 1) * sizeof **out);
	for (i = 0; i < *n; i++) {
		if ((rc = rd_elem(r, a, i, path, key, p, sizeof p, &x)) != 0 ||
		    (rc = rd_keys(r, x, p, phones ? entry_keys_phone :
		    entry_keys_email)) != 0 ||
		    (rc = rd_str(r, x, p, vkey, 1, &(*out)[i].value)) != 0 ||
		    (rc = rd_text(r, x, p, "label", 0, TEXT_SHORT_MAX, 0,
		    &(*out)[i].label)) != 0 ||
		    (rc = rd_bool(r, x, p, "primary", &(*out)[i].primary)) != 0)
			return rc;
		if (phones)
			rc = contact_phone_check((*out)[i].value, &e2);
		else
			rc = contact_email_check((*out)[i].value, &e2);
		if (rc != 0)
			return rd_fail(r, p, vkey, "%s", e2.msg);
	}
	return 0;
}

static int
rd_tags(struct rd *r, json_t *o, const char *path, struct strlist *l)
{
	struct err	 e2;
	json_t		*a, *x;
	char		 p[96];
	size_t		 i;
	int		 rc;

	memset(l, 0, sizeof *l);
	if ((rc = rd_array(r, o, path, "tags", &a)) != 0 || a == NULL)
		return rc;
	l->n = json_array_size(a);
	l->v = arena_alloc(r->a, (l->n + 1) * sizeof *l->v);
	for (i = 0; i < l->n; i++) {
		x = json_array_get(a, i);
		if (!json_is_string(x)) {
			snprintf(p, sizeof p, "%s.tags[%zu]", path, i);
			return rd_fail(r, p, NULL, "not a string");
		}
		l->v[i] = arena_strdup(r->a, json_string_value(x));
		if (contact_tag_check(l->v[i], &e2) != 0) {
			snprintf(p, sizeof p, "%s.tags[%zu]", path, i);
			return rd_fail(r, p, NULL, "%s", e2.msg);
		}
	}
	return 0;
}

/* A vCard name or group: letters, digits and '-'. */
static int
rd_token(const char *s)
{
	if (*s == '\0' || strlen(s) > TEXT_SHORT_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static const char *const extra_keys[] = {
	"group", "name", "params", "value", NULL
};

static int
rd_extras(struct rd *r, json_t *o, const char *path, struct contact *c)
{
	struct contact_extra	*x;
	json_t			*a, *v;
	char			 p[96];
	size_t			 i;
	int			 rc;

	if ((rc = rd_array(r, o, path, "extras", &a)) != 0 || a == NULL)
		return rc;
	c->nextras = json_array_size(a);
	c->extras = arena_alloc(r->a, (c->nextras + 1) * sizeof *c->extras);
	for (i = 0; i < c->nextras; i++) {
		x = &c->extras[i];
		if ((rc = rd_elem(r, a, i, path, "extras", p, sizeof p,
		    &v)) != 0 ||
		    (rc = rd_keys(r, v, p, extra_keys)) != 0 ||
		    (rc = rd_str(r, v, p, "group", 0, &x->group)) != 0 ||
		    (rc = rd_str(r, v, p, "name", 1, &x->name)) != 0 ||
		    (rc = rd_text(r, v, p, "params", 0, BACKUP_EXTRA_MAX, 1,
		    &x->params)) != 0 ||
		    (rc = rd_text(r, v, p, "value", 1, BACKUP_EXTRA_MAX, 1,
		    &x->value)) != 0)
			return rc;
		if (x->group != NULL && !rd_token(x->group))
			return rd_fail(r, p, "group", "invalid group '%.64s'",
			    x->group);
		if (!rd_token(x->name))
			return rd_fail(r, p, "name", "invalid name '%.64s'",
			    x->name);
	}
	return 0;
}

static const char *const cadence_keys[] = {
	"spec", "next_due", "level_due", NULL
};

static int
rd_cadence(struct rd *r, json_t *o, const char *path, struct contact *c,
    int64_t *level)
{
	struct cadence	 cad;
	struct err	 e2;
	json_t		*v;
	char		 p[96];
	int		 rc;

	*level = 0;
	v = json_object_get(o, "cadence");
	if (v == NULL || json_is_null(v))
		return 0;
	snprintf(p, sizeof p, "%s.cadence", path);
	if (!json_is_object(v))
		return rd_fail(r, p, NULL, "not an object or null");
	if ((rc = rd_keys(r, v, p, cadence_keys)) != 0 ||
	    (rc = rd_text(r, v, p, "spec", 1, 600, 0, &c->cadence)) != 0 ||
	    (rc = rd_time(r, v, p, "next_due", 1, &c->cadence_due)) != 0 ||
	    (rc = rd_time(r, v, p, "level_due", 0, level)) != 0)
		return rc;
	if (cadence_parse(c->cadence, &cad, &e2) != 0)
		return rd_fail(r, p, "spec", "%s", e2.msg);
	return 0;
}

static const char *const interaction_keys[] = {
	"id", "kind", "direction", "at", "summary", "created", "by_tend", NULL
};
static const char *const interaction_keys3[] = { "by_tend", NULL };

static int
rd_interactions(struct rd *r, json_t *o, const char *path,
    struct store_backup *b)
{
	struct interaction	*i;
	struct err		 e2;
	json_t			*a, *v;
	char			 p[96];
	size_t			 k;
	int			 rc;

	if ((rc = rd_array(r, o, path, "interactions", &a)) != 0 || a == NULL)
		return rc;
	b->ninteractions = json_array_size(a);
	b->interactions = arena_alloc(r->a, (b->ninteractions + 1) *
	    sizeof *b->interactions);
	for (k = 0; k < b->ninteractions; k++) {
		i = &b->interactions[k];
		i->contact_id = b->c.id;
		if ((rc = rd_elem(r, a, k, path, "interactions", p, sizeof p,
		    &v)) != 0 ||
		    (rc = rd_keys(r, v, p, interaction_keys)) != 0 ||
		    (rc = rd_since3(r, v, p, interaction_keys3)) != 0 ||
		    (rc = rd_id(r, v, p, "id", 1, &i->id)) != 0 ||
		    (rc = rd_str(r, v, p, "kind", 1, &i->kind)) != 0 ||
		    (rc = rd_str(r, v, p, "direction", 0,
		    &i->direction)) != 0 ||
		    (rc = rd_time(r, v, p, "at", 1, &i->at)) != 0 ||
		    (rc = rd_str(r, v, p, "summary", 0, &i->summary)) != 0 ||
		    (rc = rd_time(r, v, p, "created", 1, &i->created)) != 0 ||
		    (rc = rd_bool(r, v, p, "by_tend", &i->system)) != 0)
			return rc;
		if (i->direction == NULL)
			i->direction = "out";
		if (interaction_check(i, &e2) != 0)
			return rd_fail(r, p, NULL, "%s", e2.msg);
	}
	return 0;
}

static const char *const followup_states[] = {
	"open", "done", "snoozed", "cancelled", NULL
};
static const char *const followup_kinds[] = { "task", "inquiry", NULL };

static const char *const followup_keys[] = {
	"id", "deal", "enrollment", "kind", "reason", "channel", "due",
	"state", "origin", "escalated", "created", "updated", "history", NULL
};
static const char *const followup_keys3[] = {
	"enrollment", "origin", "escalated", NULL
};
static const char *const followup_event_keys[] = {
	"at", "state", "due", "note", NULL
};

static int
rd_followup_history(struct rd *r, json_t *o, const char *path,
    struct store_backup_followup *bf)
{
	struct store_followup_event	*h;
	json_t				*a, *v;
	char				 p[128];
	size_t				 k;
	int				 rc;

	if ((rc = rd_array(r, o, path, "history", &a)) != 0 || a == NULL)
		return rc;
	bf->nhistory = json_array_size(a);
	bf->history = arena_alloc(r->a, (bf->nhistory + 1) *
	    sizeof *bf->history);
	for (k = 0; k < bf->nhistory; k++) {
		h = &bf->history[k];
		if ((rc = rd_elem(r, a, k, path, "history", p, sizeof p,
		    &v)) != 0 ||
		    (rc = rd_keys(r, v, p, followup_event_keys)) != 0 ||
		    (rc = rd_time(r, v, p, "at", 1, &h->at)) != 0 ||
		    (rc = rd_str(r, v, p, "state", 1, &h->state)) != 0 ||
		    (rc = rd_time(r, v, p, "due", 1, &h->due)) != 0 ||
		    (rc = rd_text(r, v, p, "note", 0, TEXT_LONG_MAX, 1,
		    &h->note)) != 0)
			return rc;
		if (!contact_word_in(h->state, followup_states))
			return rd_fail(r, p, "state", "unknown state '%.64s' "
			    "(expected open, done, snoozed or cancelled)",
			    h->state);
	}
	return 0;
}

static int
rd_followups(struct rd *r, json_t *o, const char *path,
    struct store_backup *b)
{
	struct store_backup_followup	*bf;
	struct followup			*f;
	struct err			 e2;
	json_t				*a, *v;
	char				 p[96];
	size_t				 k;
	int				 rc;

	if ((rc = rd_array(r, o, path, "followups", &a)) != 0 || a == NULL)
		return rc;
	b->nfollowups = json_array_size(a);
	b->followups = arena_alloc(r->a, (b->nfollowups + 1) *
	    sizeof *b->followups);
	for (k = 0; k < b->nfollowups; k++) {
		bf = &b->followups[k];
		f = bf->f = arena_alloc(r->a, sizeof *f);
		f->contact_id = b->c.id;
		if ((rc = rd_elem(r, a, k, path, "followups", p, sizeof p,
		    &v)) != 0 ||
		    (rc = rd_keys(r, v, p, followup_keys)) != 0 ||
		    (rc = rd_since3(r, v, p, followup_keys3)) != 0 ||
		    (rc = rd_id(r, v, p, "id", 1, &f->id)) != 0 ||
		    (rc = rd_id(r, v, p, "deal", 0, &f->deal_id)) != 0 ||
		    (rc = rd_id(r, v, p, "enrollment", 0,
		    &bf->enrollment_id)) != 0 ||
		    (rc = rd_str(r, v, p, "origin", 0, &bf->origin)) != 0 ||
		    (rc = rd_time(r, v, p, "escalated", 0,
		    &bf->escalated)) != 0 ||
		    (rc = rd_str(r, v, p, "kind", 0, &f->kind)) != 0 ||
		    (rc = rd_str(r, v, p, "reason", 0, &f->reason)) != 0 ||
		    (rc = rd_str(r, v, p, "channel", 0, &f->channel)) != 0 ||
		    (rc = rd_time(r, v, p, "due", 1, &f->due)) != 0 ||
		    (rc = rd_str(r, v, p, "state", 0, &f->state)) != 0 ||
		    (rc = rd_time(r, v, p, "created", 1, &f->created)) != 0 ||
		    (rc = rd_time(r, v, p, "updated", 1, &f->updated)) != 0)
			return rc;
		if (f->kind == NULL)
			f->kind = "task";
		if (f->state == NULL)
			f->state = "open";
		if (!contact_word_in(f->kind, followup_kinds))
			return rd_fail(r, p, "kind", "unknown kind '%.64s' "
			    "(expected task or inquiry)", f->kind);
		if (!contact_word_in(f->state, followup_states))
			return rd_fail(r, p, "state", "unknown state '%.64s' "
			    "(expected open, done, snoozed or cancelled)",
			    f->state);
		if (followup_check(f, &e2) != 0)
			return rd_fail(r, p, NULL, "%s", e2.msg);
		if (bf->origin != NULL && !rd_word(bf->origin, 32))
			return rd_fail(r, p, "origin", "invalid origin '%.64s' "
			    "(a word: a-z, 0-9 and '-')", bf->origin);
		if ((rc = rd_followup_history(r, v, p, bf)) != 0)
			return rc;
	}
	return 0;
}

/* A stage name as deal.stages allows it: a-z, 0-9 and '-'. */
static int
rd_stage(const char *s)
{
	if (*s == '\0' || strlen(s) > DEAL_STAGE_LEN)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

static const char *const deal_keys[] = {
	"id", "title", "value_cents", "stage", "stage_since", "closed",
	"next_step", "next_due", "created", "updated", "history", NULL
};
static const char *const deal_event_keys[] = {
	"at", "stage", "next_step", "next_due", NULL
};

static int
rd_deal_history(struct rd *r, json_t *o, const char *path,
    struct store_backup_deal *bd)
{
	struct deal_event	*h;
	json_t			*a, *v;
	char			 p[128];
	size_t			 k;
	int			 rc;

	if ((rc = rd_array(r, o, path, "history", &a)) != 0 || a == NULL)
		return rc;
	bd->nhistory = json_array_size(a);
	bd->history = arena_alloc(r->a, (bd->nhistory + 1) *
	    sizeof *bd->history);
	for (k = 0; k < bd->nhistory; k++) {
		h = &bd->history[k];
		if ((rc = rd_elem(r, a, k, path, "history", p, sizeof p,
		    &v)) != 0 ||
		    (rc = rd_keys(r, v, p, deal_event_keys)) != 0 ||
		    (rc = rd_time(r, v, p, "at", 1, &h->at)) != 0 ||
		    (rc = rd_str(r, v, p, "stage", 1, &h->stage)) != 0 ||
		    (rc = rd_text(r, v, p, "next_step", 0, TEXT_LONG_MAX, 0,
		    &h->next_step)) != 0 ||
		    (rc = rd_time(r, v, p, "next_due", 0, &h->next_due)) != 0)
			return rc;
		if (!rd_stage(h->stage))
			return rd_fail(r, p, "stage", "invalid stage '%.64s'",
			    h->stage);
	}
	return 0;
}

static int
rd_deals(struct rd *r, json_t *o, const char *path, struct store_backup *b)
{
	struct store_backup_deal	*bd;
	struct deal			*d;
	struct err			 e2;
	json_t				*a, *v, *x;
	char				 p[96];
	size_t				 k;
	int				 rc;

	if ((rc = rd_array(r, o, path, "deals", &a)) != 0 || a == NULL)
		return rc;
	b->ndeals = json_array_size(a);
	b->deals = arena_alloc(r->a, (b->ndeals + 1) * sizeof *b->deals);
	for (k = 0; k < b->ndeals; k++) {
		bd = &b->deals[k];
		d = bd->d = arena_alloc(r->a, sizeof *d);
		d->contact_id = b->c.id;
		if ((rc = rd_elem(r, a, k, path, "deals", p, sizeof p,
		    &v)) != 0 ||
		    (rc = rd_keys(r, v, p, deal_keys)) != 0 ||
		    (rc = rd_id(r, v, p, "id", 1, &d->id)) != 0 ||
		    (rc = rd_str(r, v, p, "title", 1, &d->title)) != 0 ||
		    (rc = rd_str(r, v, p, "stage", 1, &d->stage)) != 0 ||
		    (rc = rd_time(r, v, p, "stage_since", 1,
		    &d->stage_since)) != 0 ||
		    (rc = rd_bool(r, v, p, "closed", &d->closed)) != 0 ||
		    (rc = rd_str(r, v, p, "next_step", 0,
		    &d->next_step)) != 0 ||
		    (rc = rd_time(r, v, p, "next_due", 0, &d->next_due)) != 0 ||
		    (rc = rd_time(r, v, p, "created", 1, &d->created)) != 0 ||
		    (rc = rd_time(r, v, p, "updated", 1, &d->updated)) != 0)
			return rc;
		x = json_object_get(v, "value_cents");
		if (x != NULL && !json_is_null(x)) {
			if (!json_is_integer(x))
				return rd_fail(r, p, "value_cents", "not a "
				    "whole number");
			d->has_value = 1;
			d->value_cents = (int64_t)json_integer_value(x);
		}
		if (!rd_stage(d->stage))
			return rd_fail(r, p, "stage", "invalid stage '%.64s'",
			    d->stage);
		if (deal_check(d, &e2) != 0)
			return rd_fail(r, p, NULL, "%s", e2.msg);
		if ((rc = rd_deal_history(r, v, p, bd)) != 0)
			return rc;
	}
	return 0;
}

static const char *const contact_keys[] = {
	"id", "name", "company", "title", "kind", "tz", "met_where", "met_on",
	"via", "source", "needs", "notes", "do_not_contact", "archived",
	"last_touch", "created", "updated", "emails", "phones", "tags",
	"extras", "cadence", "interactions", "followups", "deals", NULL
};

/* e-mails or phones as the strlist contact_check() reads. */
static void
rd_strlist(struct arena *a, const struct store_entry *v, size_t n,
    struct strlist *l)
{
	size_t	i, k = 0;
	int	pass;

	l->n = n;
	l->v = arena_alloc(a, (n + 1) * sizeof *l->v);
	l->label = arena_alloc(a, (n + 1) * sizeof *l->label);
	/* the primary ones first, then the others as written */
	for (pass = 1; pass >= 0; pass--)
		for (i = 0; i < n; i++) {
			if ((v[i].primary != 0) != pass)
				continue;
			l->v[k] = v[i].value;
			l->label[k] = v[i].label;
			k++;
		}
}

/*
 * Read the contact object o (contacts[index]) into b: everything for a
 * backup (r->full), the contact's own fields only for an import.
 */
static int
rd_contact(struct rd *r, json_t *o, unsigned index, struct store_backup *b)
{
	struct contact	*c = &b->c;
	struct err	 e2;
	char		 path[32];
	int		 rc;

	memset(b, 0, sizeof *b);
	snprintf(path, sizeof path, "contacts[%u]", index);
	if ((rc = rd_keys(r, o, path, contact_keys)) != 0)
		return rc;
	if (r->full && ((rc = rd_id(r, o, path, "id", 1, &c->id)) != 0 ||
	    (rc = rd_id(r, o, path, "via", 0, &c->via_id)) != 0))
		return rc;
	/* the fields contact_check() reads, checked here to say where */
	if ((rc = rd_text(r, o, path, "name", 1, TEXT_SHORT_MAX, 0,
	    &c->name)) != 0 ||
	    (rc = rd_text(r, o, path, "company", 0, TEXT_SHORT_MAX, 0,
	    &c->company)) != 0 ||
	    (rc = rd_text(r, o, path, "title", 0, TEXT_SHORT_MAX, 0,
	    &c->title)) != 0 ||
	    (rc = rd_str(r, o, path, "kind", 0, &c->kind)) != 0 ||
	    (rc = rd_str(r, o, path, "tz", 0, &c->tz)) != 0 ||
	    (rc = rd_text(r, o, path, "met_where", 0, TEXT_SHORT_MAX, 0,
	    &c->met_where)) != 0 ||
	    (rc = rd_time(r, o, path, "met_on", 0, &c->met_on)) != 0 ||
	    (rc = rd_str(r, o, path, "source", 0, &c->source)) != 0 ||
	    (rc = rd_text(r, o, path, "needs", 0, TEXT_LONG_MAX, 1,
	    &c->needs)) != 0 ||
	    (rc = rd_text(r, o, path, "notes", 0, TEXT_LONG_MAX, 1,
	    &c->notes)) != 0 ||
	    (rc = rd_bool(r, o, path, "do_not_contact",
	    &c->do_not_contact)) != 0 ||
	    (rc = rd_bool(r, o, path, "archived", &c->archived)) != 0 ||
	    (rc = rd_time(r, o, path, "last_touch", 0, &c->last_touch)) != 0 ||
	    (rc = rd_time(r, o, path, "created", r->full, &c->created)) != 0 ||
	    (rc = rd_time(r, o, path, "updated", r->full, &c->updated)) != 0 ||
	    (rc = rd_entries(r, o, path, 0, &b->emails, &b->nemails)) != 0 ||
	    (rc = rd_entries(r, o, path, 1, &b->phones, &b->nphones)) != 0 ||
	    (rc = rd_tags(r, o, path, &c->tags)) != 0 ||
	    (rc = rd_extras(r, o, path, c)) != 0 ||
	    (rc = rd_cadence(r, o, path, c, &b->cadence_level)) != 0)
		return rc;
	if (*c->name == '\0')
		return rd_fail(r, path, "name", "empty");
	if (c->kind != NULL && !contact_word_in(c->kind, contact_kinds))
		return rd_fail(r, path, "kind", "unknown kind '%.64s' "
		    "(expected prospect, client, friend, partner or other)",
		    c->kind);
	if (c->source != NULL && !contact_word_in(c->source, contact_sources))
		return rd_fail(r, path, "source", "unknown source '%.64s' "
		    "(expected event, referral, inbound, import or other)",
		    c->source);
	if (c->tz != NULL && !when_zone_valid(c->tz))
		return rd_fail(r, path, "tz", "unknown time zone '%.64s'",
		    c->tz);
	rd_strlist(r->a, b->emails, b->nemails, &c->emails);
	rd_strlist(r->a, b->phones, b->nphones, &c->phones);
	if (contact_check(c, &e2) != 0)
		return rd_fail(r, path, NULL, "%s", e2.msg);
	if (!r->full)
		return 0;
	if ((rc = rd_interactions(r, o, path, b)) != 0 ||
	    (rc = rd_deals(r, o, path, b)) != 0 ||
	    (rc = rd_followups(r, o, path, b)) != 0)
		return rc;
	return 0;
}

/* ---- reading the mail tables ----------------------------------------- */

/* A template's name as tend template takes it. */
static int
rd_template_name(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			return 0;
	return 1;
}

static const char *const template_keys[] = {
	"id", "name", "subject", "body", "html", "starter", "created",
	"updated", NULL
};

static int
rd_template(struct rd *r, json_t *o, const char *path, struct template *t)
{
	struct err	e2;
	int		rc;

	memset(t, 0, sizeof *t);
	if ((rc = rd_keys(r, o, path, template_keys)) != 0 ||
	    (rc = rd_id(r, o, path, "id", 1, &t->id)) != 0 ||
	    (rc = rd_str(r, o, path, "name", 1, &t->name)) != 0 ||
	    (rc = rd_text(r, o, path, "subject", 1, BACKUP_TEMPLATE_MAX, 0,
	    &t->subject)) != 0 ||
	    (rc = rd_text(r, o, path, "body", 1, BACKUP_TEMPLATE_MAX, 1,
	    &t->body)) != 0 ||
	    (rc = rd_text(r, o, path, "html", 0, BACKUP_TEMPLATE_MAX, 1,
	    &t->html)) != 0 ||
	    (rc = rd_bool(r, o, path, "starter", &t->starter)) != 0 ||
	    (rc = rd_time(r, o, path, "created", 0, &t->created)) != 0 ||
	    (rc = rd_time(r, o, path, "updated", 0, &t->updated)) != 0)
		return rc;
	if (!rd_template_name(t->name))
		return rd_fail(r, path, "name", "invalid template name "
		    "'%.64s' (1 to 64 letters, digits, '-', '_' and '.')",
		    t->name);
	/* what tend template add would refuse, a message could not use */
	if (mail_template_check(t, &e2) != 0)
		return rd_fail(r, path, NULL, "%s", e2.msg);
	return 0;
}

static const char *const suppression_keys[] = {
	"address", "reason", "at", "detail", NULL
};
static const char *const suppression_reasons[] = {
	"unsubscribed", "bounced", NULL
};

static int
rd_suppression(struct rd *r, json_t *o, const char *path,
    struct store_suppression *v)
{
	struct err	e2;
	int		rc;

	memset(v, 0, sizeof *v);
	if ((rc = rd_keys(r, o, path, suppression_keys)) != 0 ||
	    (rc = rd_str(r, o, path, "address", 1, &v->address)) != 0 ||
	    (rc = rd_str(r, o, path, "reason", 1, &v->reason)) != 0 ||
	    (rc = rd_time(r, o, path, "at", 1, &v->at)) != 0 ||
	    (rc = rd_text(r, o, path, "detail", 0, TEXT_LONG_MAX, 1,
	    &v->detail)) != 0)
		return rc;
	if (contact_email_check(v->address, &e2) != 0)
		return rd_fail(r, path, "address", "%s", e2.msg);
	if (!contact_word_in(v->reason, suppression_reasons))
		return rd_fail(r, path, "reason", "unknown reason '%.64s' "
		    "(expected unsubscribed or bounced)", v->reason);
	return 0;
}

/*
 * The message as the outbox holds it: 7-bit ASCII, lines that end in
 * CRLF and no longer than RFC 5322 allows.  0, or -1 with why in msg.
 */
static int
rd_message_data(const char *p, size_t n, char *msg, size_t len)
{
	size_t	i, start = 0, line = 1;

	if (n == 0) {
		snprintf(msg, len, "empty");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (p[i] == '\0' || (unsigned char)p[i] >= 0x80) {
			snprintf(msg, len, "line %zu: byte 0x%02x: a message "
			    "is 7-bit ASCII", line, (unsigned char)p[i]);
			return -1;
		}
		if (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n')) {
			snprintf(msg, len, "line %zu: a CR without LF: lines "
			    "end in CRLF", line);
			return -1;
		}
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')) {
			snprintf(msg, len, "line %zu: an LF without CR: lines "
			    "end in CRLF", line);
			return -1;
		}
		if (p[i] == '\n') {
			line++;
			start = i + 1;
		} else if (p[i] != '\r' && i - start >= BACKUP_LINE_MAX) {
			snprintf(msg, len, "line %zu: over %d octets", line,
			    BACKUP_LINE_MAX);
			return -1;
		}
	}
	if (p[n - 1] != '\n') {
		snprintf(msg, len, "line %zu: no CRLF at the end", line);
		return -1;
	}
	return 0;
}

/* A Message-ID without its <>: printable ASCII, local@domain. */
static int
rd_message_id(const char *s)
{
	const char	*at;
	size_t		 n;

	n = strlen(s);
	at = strchr(s, '@');
	if (n > BACKUP_MSGID_MAX || at == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return 0;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '<' || *s == '>')
			return 0;
	return 1;
}

static const char *const message_keys[] = {
	"id", "contact", "deal", "enrollment", "template", "automated", "rcpt",
	"sender", "subject", "message_id", "state", "queued", "due",
	"attempts", "date", "lease_owner", "sent_at", "last_reply", "reason",
	"data", NULL
};
static const char *const message_keys3[] = { "enrollment", NULL };

/*
 * Who a message is from: a kind by name in version 3 ("hand", "auto",
 * "auto-reply"), automated or not in version 2 (true is "auto").
 */
static int
rd_message_kind(struct rd *r, json_t *o, const char *path, int *out)
{
	const char	*k;
	json_t		*v;
	int		 i;

	if (r->version < 3)
		return rd_bool(r, o, path, "automated", out);
	*out = OUTBOX_HAND;
	v = json_object_get(o, "automated");
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return rd_fail(r, path, "automated", "not a string (hand, auto "
		    "or auto-reply)");
	k = json_string_value(v);
	for (i = 0; message_kinds[i] != NULL; i++)
		if (strcmp(k, message_kinds[i]) == 0) {
			*out = i;
			return 0;
		}
	return rd_fail(r, path, "automated", "unknown kind '%.64s' (expected "
	    "hand, auto or auto-reply)", k);
}

/* A message: m->next_attempt is its due, whatever its state. */
static int
rd_message(struct rd *r, json_t *o, const char *path, struct outbox_msg *m,
    int64_t *enrollment_id)
{
	struct err	 e2;
	json_t		*v;
	char		 msg[128];
	int		 rc;

	memset(m, 0, sizeof *m);
	if ((rc = rd_keys(r, o, path, message_keys)) != 0 ||
	    (rc = rd_since3(r, o, path, message_keys3)) != 0 ||
	    (rc = rd_id(r, o, path, "id", 1, &m->id)) != 0 ||
	    (rc = rd_id(r, o, path, "contact", 0, &m->contact_id)) != 0 ||
	    (rc = rd_id(r, o, path, "deal", 0, &m->deal_id)) != 0 ||
	    (rc = rd_id(r, o, path, "enrollment", 0, enrollment_id)) != 0 ||
	    (rc = rd_str(r, o, path, "template", 0, &m->template)) != 0 ||
	    (rc = rd_message_kind(r, o, path, &m->automated)) != 0 ||
	    (rc = rd_str(r, o, path, "rcpt", 1, &m->rcpt)) != 0 ||
	    (rc = rd_str(r, o, path, "sender", 1, &m->sender)) != 0 ||
	    (rc = rd_text(r, o, path, "subject", 1, BACKUP_TEMPLATE_MAX, 0,
	    &m->subject)) != 0 ||
	    (rc = rd_str(r, o, path, "message_id", 1, &m->message_id)) != 0 ||
	    (rc = rd_str(r, o, path, "state", 1, &m->state)) != 0 ||
	    (rc = rd_time(r, o, path, "queued", 1, &m->queued)) != 0 ||
	    (rc = rd_time(r, o, path, "due", 1, &m->next_attempt)) != 0 ||
	    (rc = rd_time(r, o, path, "date", 0, &m->date)) != 0 ||
	    (rc = rd_text(r, o, path, "lease_owner", 0, TEXT_SHORT_MAX, 0,
	    &m->lease_owner)) != 0 ||
	    (rc = rd_time(r, o, path, "sent_at", 0, &m->sent_at)) != 0 ||
	    (rc = rd_text(r, o, path, "last_reply", 0, TEXT_LONG_MAX, 1,
	    &m->last_reply)) != 0 ||
	    (rc = rd_text(r, o, path, "reason", 0, TEXT_LONG_MAX, 1,
	    &m->reason)) != 0)
		return rc;
	v = json_object_get(o, "attempts");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 1000000)
			return rd_fail(r, path, "attempts", "not a count (a "
			    "whole number from 0)");
		m->attempts = (int)json_integer_value(v);
	}
	v = json_object_get(o, "data");
	if (v == NULL || json_is_null(v))
		return rd_fail(r, path, "data", "missing");
	if (!json_is_string(v))
		return rd_fail(r, path, "data", "not a string");
	m->len = json_string_length(v);
	if (rd_message_data(json_string_value(v), m->len, msg,
	    sizeof msg) != 0)
		return rd_fail(r, path, "data", "%s", msg);
	m->data = arena_strndup(r->a, json_string_value(v), m->len);
	if (m->template != NULL && !rd_template_name(m->template))
		return rd_fail(r, path, "template", "invalid template name "
		    "'%.64s'", m->template);
	if (contact_email_check(m->rcpt, &e2) != 0)
		return rd_fail(r, path, "rcpt", "%s", e2.msg);
	if (contact_email_check(m->sender, &e2) != 0)
		return rd_fail(r, path, "sender", "%s", e2.msg);
	if (!rd_message_id(m->message_id))
		return rd_fail(r, path, "message_id", "invalid Message-ID "
		    "'%.64s' (local@domain, printable ASCII, no <>)",
		    m->message_id);
	if (!contact_word_in(m->state, outbox_states))
		return rd_fail(r, path, "state", "unknown state '%.64s' "
		    "(expected queued, sending, sent, deferred, failed or "
		    "cancelled)", m->state);
	if (strcmp(m->state, "sent") == 0 && m->sent_at == 0)
		return rd_fail(r, path, "sent_at", "missing for a sent "
		    "message");
	return 0;
}

/* ---- reading sequences and mail in (version 3) ------------------------ */

static const char *const sequence_keys[] = {
	"id", "name", "paused", "created", "updated", "source", NULL
};

/* A sequence: its stored text must read as tend seq add reads a file. */
static int
rd_sequence(struct rd *r, json_t *o, const char *path,
    struct store_sequence *q)
{
	struct sequence	*parsed;
	struct err	 e2;
	int		 rc;

	memset(q, 0, sizeof *q);
	if ((rc = rd_keys(r, o, path, sequence_keys)) != 0 ||
	    (rc = rd_id(r, o, path, "id", 1, &q->id)) != 0 ||
	    (rc = rd_str(r, o, path, "name", 1, &q->name)) != 0 ||
	    (rc = rd_bool(r, o, path, "paused", &q->paused)) != 0 ||
	    (rc = rd_time(r, o, path, "created", 1, &q->created)) != 0 ||
	    (rc = rd_time(r, o, path, "updated", 1, &q->updated)) != 0 ||
	    (rc = rd_text(r, o, path, "source", 1, SEQUENCE_TEXT_MAX, 1,
	    &q->source)) != 0)
		return rc;
	if (!rd_template_name(q->name))
		return rd_fail(r, path, "name", "invalid sequence name '%.64s' "
		    "(1 to 64 letters, digits, '-', '_' and '.')", q->name);
	parsed = arena_alloc(r->a, sizeof *parsed);
	if (sequence_parse(q->source, parsed, &e2) != 0)
		return rd_fail(r, path, "source", "%s", e2.msg);
	if (strcmp(parsed->name, q->name) != 0)
		return rd_fail(r, path, "name", "'%s' is not the name in its "
		    "source ('%s')", q->name, parsed->name);
	return 0;
}

static const char *const enrollment_keys[] = {
	"id", "contact", "sequence", "deal", "deal_stage", "state", "step",
	"next_at", "base_at", "hold_until", "hold_followup", "tz", "cycles",
	"sent", "started", "ended", "end_reason", "updated", NULL
};
static const char *const enrollment_states[] = { "active", "ended", NULL };

static int
rd_enrollment(struct rd *r, json_t *o, const char *path, struct enrollment *n)
{
	int64_t	step, cycles, sent;
	int	rc;

	memset(n, 0, sizeof *n);
	if ((rc = rd_keys(r, o, path, enrollment_keys)) != 0 ||
	    (rc = rd_id(r, o, path, "id", 1, &n->id)) != 0 ||
	    (rc = rd_id(r, o, path, "contact", 1, &n->contact_id)) != 0 ||
	    (rc = rd_id(r, o, path, "sequence", 1, &n->sequence_id)) != 0 ||
	    (rc = rd_id(r, o, path, "deal", 0, &n->deal_id)) != 0 ||
	    (rc = rd_str(r, o, path, "deal_stage", 0, &n->deal_stage)) != 0 ||
	    (rc = rd_str(r, o, path, "state", 1, &n->state)) != 0 ||
	    (rc = rd_count(r, o, path, "step", 0, SEQUENCE_STEPS_MAX,
	    &step)) != 0 ||
	    (rc = rd_time(r, o, path, "next_at", 0, &n->next_at)) != 0 ||
	    (rc = rd_time(r, o, path, "base_at", 1, &n->base_at)) != 0 ||
	    (rc = rd_time(r, o, path, "hold_until", 0, &n->hold_until)) != 0 ||
	    (rc = rd_id(r, o, path, "hold_followup", 0,
	    &n->hold_followup_id)) != 0 ||
	    (rc = rd_str(r, o, path, "tz", 0, &n->tz)) != 0 ||
	    (rc = rd_count(r, o, path, "cycles", 0, 1000000, &cycles)) != 0 ||
	    (rc = rd_count(r, o, path, "sent", 0, 1000000, &sent)) != 0 ||
	    (rc = rd_time(r, o, path, "started", 1, &n->started)) != 0 ||
	    (rc = rd_time(r, o, path, "ended", 0, &n->ended)) != 0 ||
	    (rc = rd_text(r, o, path, "end_reason", 0, TEXT_LONG_MAX, 1,
	    &n->end_reason)) != 0 ||
	    (rc = rd_time(r, o, path, "updated", 1, &n->updated)) != 0)
		return rc;
	n->step = (int)step;
	n->cycles = (int)cycles;
	n->sent = (int)sent;
	if (n->deal_stage != NULL && !rd_stage(n->deal_stage))
		return rd_fail(r, path, "deal_stage", "invalid stage '%.64s'",
		    n->deal_stage);
	if (!contact_word_in(n->state, enrollment_states))
		return rd_fail(r, path, "state", "unknown state '%.64s' "
		    "(expected active or ended)", n->state);
	if (strcmp(n->state, "ended") == 0 && n->ended == 0)
		return rd_fail(r, path, "ended", "missing for an ended "
		    "enrollment");
	if (n->tz != NULL && !when_zone_valid(n->tz))
		return rd_fail(r, path, "tz", "unknown time zone '%.64s'",
		    n->tz);
	return 0;
}

static const char *const inbound_keys[] = {
	"id", "key", "received", "source", "class", "contact", "from",
	"subject", "why", "effect", "data", "data_base64", NULL
};
static const char *const inbound_classes[] = {
	"reply", "auto-reply", "bounce", "complaint", "unsubscribe", "inquiry",
	"other", NULL
};

/* Where mail came in, as tend inbound --source takes it. */
static int
rd_source(const char *s)
{
	size_t	n;

	n = strlen(s);
	return n > 0 && n <= BACKUP_SOURCE_MAX && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz0123456789-_.") == n;
}

/*
 * The bytes of a message read: "data" (a string) or "data_base64", one
 * of the two.  *data (in r->a) and *len.
 */
static int
rd_inbound_data(struct rd *r, json_t *o, const char *path, char **data,
    size_t *len)
{
	json_t		*v, *b;
	const char	*s;
	size_t		 n, max;

	v = json_object_get(o, "data");
	b = json_object_get(o, "data_base64");
	if (v != NULL && json_is_null(v))
		v = NULL;
	if (b != NULL && json_is_null(b))
		b = NULL;
	if (v == NULL && b == NULL)
		return rd_fail(r, path, "data", "missing (or data_base64)");
	if (v != NULL && b != NULL)
		return rd_fail(r, path, "data_base64", "given with data: one "
		    "of the two");
	if (v != NULL) {
		if (!json_is_string(v))
			return rd_fail(r, path, "data", "not a string");
		*len = json_string_length(v);
		if (*len > INBOUND_MAX_BYTES)
			return rd_fail(r, path, "data", "over %d MB",
			    INBOUND_MAX_BYTES / (1024 * 1024));
		*data = arena_strndup(r->a, json_string_value(v), *len);
		return 0;
	}
	if (!json_is_string(b))
		return rd_fail(r, path, "data_base64", "not a string");
	s = json_string_value(b);
	n = json_string_length(b);
	max = n / 4 * 3 + 3;
	if (max > INBOUND_MAX_BYTES + 3)
		return rd_fail(r, path, "data_base64", "over %d MB",
		    INBOUND_MAX_BYTES / (1024 * 1024));
	*data = arena_alloc(r->a, max + 1);
	if (sodium_base642bin((unsigned char *)*data, max, s, n, NULL, len,
	    NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return rd_fail(r, path, "data_base64", "not base64 (A-Z, a-z, "
		    "0-9, '+' and '/', padded with '=')");
	if (*len > INBOUND_MAX_BYTES)
		return rd_fail(r, path, "data_base64", "over %d MB",
		    INBOUND_MAX_BYTES / (1024 * 1024));
	(*data)[*len] = '\0';
	return 0;
}

static int
rd_inbound(struct rd *r, json_t *o, const char *path, struct store_inbound *m,
    char **data, size_t *len)
{
	int	rc;

	memset(m, 0, sizeof *m);
	if ((rc = rd_keys(r, o, path, inbound_keys)) != 0 ||
	    (rc = rd_id(r, o, path, "id", 1, &m->id)) != 0 ||
	    (rc = rd_text(r, o, path, "key", 1, BACKUP_INBOUND_KEY_MAX, 0,
	    &m->key)) != 0 ||
	    (rc = rd_time(r, o, path, "received", 1, &m->received)) != 0 ||
	    (rc = rd_str(r, o, path, "source", 1, &m->source)) != 0 ||
	    (rc = rd_str(r, o, path, "class", 1, &m->cls)) != 0 ||
	    (rc = rd_id(r, o, path, "contact", 0, &m->contact_id)) != 0 ||
	    (rc = rd_text(r, o, path, "from", 0, BACKUP_INBOUND_KEY_MAX, 0,
	    &m->from_addr)) != 0 ||
	    (rc = rd_text(r, o, path, "subject", 0, INBOUND_TEXT_MAX, 1,
	    &m->subject)) != 0 ||
	    (rc = rd_text(r, o, path, "why", 1, INBOUND_TEXT_MAX, 1,
	    &m->why)) != 0 ||
	    (rc = rd_text(r, o, path, "effect", 0, INBOUND_TEXT_MAX, 1,
	    &m->effect)) != 0 ||
	    (rc = rd_inbound_data(r, o, path, data, len)) != 0)
		return rc;
	if (*m->key == '\0')
		return rd_fail(r, path, "key", "empty");
	if (!rd_source(m->source))
		return rd_fail(r, path, "source", "invalid source '%.64s' (a "
		    "short name: letters, digits, '-')", m->source);
	if (!contact_word_in(m->cls, inbound_classes))
		return rd_fail(r, path, "class", "unknown class '%.64s' "
		    "(expected reply, auto-reply, bounce, complaint, "
		    "unsubscribe, inquiry or other)", m->cls);
	return 0;
}

static const char *const imap_keys[] = {
	"mailbox", "uidvalidity", "last_uid", NULL
};

static int
rd_imap(struct rd *r, json_t *o, const char *path, struct store_imap_row *v)
{
	int	rc;

	memset(v, 0, sizeof *v);
	if ((rc = rd_keys(r, o, path, imap_keys)) != 0 ||
	    (rc = rd_text(r, o, path, "mailbox", 1, BACKUP_INBOUND_KEY_MAX, 0,
	    &v->mailbox)) != 0 ||
	    (rc = rd_count(r, o, path, "uidvalidity", 0, BACKUP_UID_MAX,
	    &v->uidvalidity)) != 0 ||
	    (rc = rd_count(r, o, path, "last_uid", 0, BACKUP_UID_MAX,
	    &v->last_uid)) != 0)
		return rc;
	if (*v->mailbox == '\0')
		return rd_fail(r, path, "mailbox", "empty");
	return 0;
}

static const char *const soft_bounce_keys[] = {
	"address", "count", "last_at", NULL
};

static int
rd_soft_bounce(struct rd *r, json_t *o, const char *path,
    struct store_soft_bounce *v)
{
	int	rc;

	memset(v, 0, sizeof *v);
	/* an address as a bounce reported it: not always a valid one */
	if ((rc = rd_keys(r, o, path, soft_bounce_keys)) != 0 ||
	    (rc = rd_text(r, o, path, "address", 1, BACKUP_INBOUND_KEY_MAX, 0,
	    &v->address)) != 0 ||
	    (rc = rd_count(r, o, path, "count", 1, 1000000, &v->count)) != 0 ||
	    (rc = rd_time(r, o, path, "last_at", 1, &v->last_at)) != 0)
		return rc;
	if (*v->address == '\0')
		return rd_fail(r, path, "address", "empty");
	if (json_object_get(o, "count") == NULL ||
	    json_is_null(json_object_get(o, "count")))
		return rd_fail(r, path, "count", "missing");
	return 0;
}

/* ---- restore ------------------------------------------------------- */

/* A reference to a row further on in the file, checked at the end. */
struct pending {
	unsigned	 contact;	/* index in the file */
	unsigned	 followup;	/* index in the contact, for a deal */
	int64_t		 id;		/* the row that refers */
	int64_t		 ref;		/* the row it refers to */
};

struct restore {
	struct store		*s;
	struct rd		 rd;
	struct backup_counts	*counts;
	struct pending		*vias;	/* contacts referred by later ones */
	size_t			 nvias, capvias;
	struct pending		*deals;	/* follow-ups of later deals */
	size_t			 ndeals, capdeals;
	struct pending		*enrolls; /* follow-ups of enrollments */
	size_t			 nenrolls, capenrolls;
};

static void
pending_add(struct pending **v, size_t *n, size_t *cap, unsigned contact,
    unsigned followup, int64_t id, int64_t ref)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[*n].contact = contact;
	(*v)[*n].followup = followup;
	(*v)[*n].id = id;
	(*v)[*n].ref = ref;
	(*n)++;
}

/* 0 if the row is new, TEND_EINVAL naming its duplicate, or < 0. */
static int
restore_new(struct restore *r, enum store_backup_table t, int64_t id,
    const char *path, const char *what)
{
	int	rc;

	rc = store_backup_has(r->s, t, id, r->rd.e);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return rd_fail(&r->rd, path, "id", "%s %lld is in the file "
		    "twice", what, (long long)id);
	return 0;
}

static int
restore_lists(struct restore *r, const struct store_backup *b,
    const char *path)
{
	const struct contact	*c = &b->c;
	int64_t			 owner;
	char			 p[96];
	size_t			 i;
	int			 rc;

	for (i = 0; i < b->nemails; i++) {
		snprintf(p, sizeof p, "%s.emails[%zu]", path, i);
		if ((rc = store_email_owner(r->s, b->emails[i].value,
		    &owner)) != 0)
			return err_set(r->rd.e, rc, "%s: cannot read e-mail "
			    "addresses", r->rd.name);
		if (owner != 0)
			return rd_fail(&r->rd, p, "address", "'%s' is also an "
			    "address of contact %lld", b->emails[i].value,
			    (long long)owner);
		if ((rc = store_backup_email_add(r->s, c->id, &b->emails[i],
		    r->rd.e)) != 0)
			return rc;
	}
	for (i = 0; i < b->nphones; i++)
		if ((rc = store_backup_phone_add(r->s, c->id, &b->phones[i],
		    r->rd.e)) != 0)
			return rc;
	for (i = 0; i < c->tags.n; i++) {
		rc = store_backup_tag_add(r->s, c->id, c->tags.v[i], r->rd.e);
		if (rc == TEND_ECONFLICT)
			return rd_fail(&r->rd, path, "tags", "'%s' is there "
			    "twice", c->tags.v[i]);
		if (rc != 0)
			return rc;
	}
	for (i = 0; i < c->nextras; i++)
		if ((rc = store_backup_extra_add(r->s, c->id, &c->extras[i],
		    r->rd.e)) != 0)
			return rc;
	if (c->cadence != NULL && (rc = store_backup_cadence_add(r->s, c->id,
	    c->cadence, c->cadence_due, b->cadence_level, r->rd.e)) != 0)
		return rc;
	return 0;
}

static int
restore_history(struct restore *r, const struct store_backup *b,
    unsigned index, const char *path)
{
	const struct store_backup_followup	*bf;
	const struct store_backup_deal		*bd;
	struct followup				 f;
	char					 p[96];
	size_t					 i, k;
	int					 rc;

	for (i = 0; i < b->ninteractions; i++) {
		snprintf(p, sizeof p, "%s.interactions[%zu]", path, i);
		if ((rc = restore_new(r, STORE_BACKUP_INTERACTION,
		    b->interactions[i].id, p, "interaction")) != 0 ||
		    (rc = store_backup_interaction_add(r->s,
		    &b->interactions[i], r->rd.e)) != 0)
			return rc;
		r->counts->interactions++;
	}
	/* deals first: a follow-up may be about one of them */
	for (i = 0; i < b->ndeals; i++) {
		bd = &b->deals[i];
		snprintf(p, sizeof p, "%s.deals[%zu]", path, i);
		if ((rc = restore_new(r, STORE_BACKUP_DEAL, bd->d->id, p,
		    "deal")) != 0 ||
		    (rc = store_backup_deal_add(r->s, bd->d, r->rd.e)) != 0)
			return rc;
		for (k = 0; k < bd->nhistory; k++)
			if ((rc = store_backup_deal_event_add(r->s, bd->d->id,
			    &bd->history[k], r->rd.e)) != 0)
				return rc;
		r->counts->deals++;
	}
	for (i = 0; i < b->nfollowups; i++) {
		bf = &b->followups[i];
		snprintf(p, sizeof p, "%s.followups[%zu]", path, i);
		if ((rc = restore_new(r, STORE_BACKUP_FOLLOWUP, bf->f->id, p,
		    "follow-up")) != 0)
			return rc;
		f = *bf->f;
		if (f.deal_id != 0) {
			rc = store_backup_has(r->s, STORE_BACKUP_DEAL,
			    f.deal_id, r->rd.e);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				pending_add(&r->deals, &r->ndeals,
				    &r->capdeals, index, (unsigned)i, f.id,
				    f.deal_id);
				f.deal_id = 0;
			}
		}
		if ((rc = store_backup_followup_add(r->s, &f, r->rd.e)) != 0)
			return rc;
		/* the enrollments come after the contacts: all later */
		if (bf->enrollment_id != 0)
			pending_add(&r->enrolls, &r->nenrolls, &r->capenrolls,
			    index, (unsigned)i, f.id, bf->enrollment_id);
		if ((bf->origin != NULL || bf->escalated != 0) &&
		    (rc = store_backup_followup_mark(r->s, f.id, 0,
		    bf->origin, bf->escalated, r->rd.e)) != 0)
			return rc;
		for (k = 0; k < bf->nhistory; k++)
			if ((rc = store_backup_followup_event_add(r->s, f.id,
			    &bf->history[k], r->rd.e)) != 0)
				return rc;
		r->counts->followups++;
	}
	return 0;
}

static int
restore_contact(struct restore *r, json_t *o, unsigned index)
{
	struct store_backup	 b;
	struct contact		 c;
	char			 path[32];
	int			 rc;

	if ((rc = rd_contact(&r->rd, o, index, &b)) != 0)
		return rc;
	snprintf(path, sizeof path, "contacts[%u]", index);
	if ((rc = restore_new(r, STORE_BACKUP_CONTACT, b.c.id, path,
	    "contact")) != 0)
		return rc;
	c = b.c;
	if (c.via_id != 0) {
		rc = store_backup_has(r->s, STORE_BACKUP_CONTACT, c.via_id,
		    r->rd.e);
		if (rc < 0)
			return rc;
		/* a referral by a contact further on (or by itself) */
		if (rc == 0) {
			pending_add(&r->vias, &r->nvias, &r->capvias, index, 0,
			    c.id, c.via_id);
			c.via_id = 0;
		}
	}
	if ((rc = store_backup_contact_add(r->s, &c, r->rd.e)) != 0 ||
	    (rc = restore_lists(r, &b, path)) != 0 ||
	    (rc = restore_history(r, &b, index, path)) != 0)
		return rc;
	r->counts->contacts++;
	return 0;
}

/* The references to rows further on: each must have come. */
static int
restore_pending(struct restore *r)
{
	struct pending	*p;
	char		 path[96];
	size_t		 i;
	int		 rc;

	for (i = 0; i < r->nvias; i++) {
		p = &r->vias[i];
		snprintf(path, sizeof path, "contacts[%u]", p->contact);
		rc = store_backup_has(r->s, STORE_BACKUP_CONTACT, p->ref,
		    r->rd.e);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return rd_fail(&r->rd, path, "via", "contact %lld is "
			    "not in the file", (long long)p->ref);
		if ((rc = store_backup_via_set(r->s, p->id, p->ref,
		    r->rd.e)) != 0)
			return rc;
	}
	for (i = 0; i < r->ndeals; i++) {
		p = &r->deals[i];
		snprintf(path, sizeof path, "contacts[%u].followups[%u]",
		    p->contact, p->followup);
		rc = store_backup_has(r->s, STORE_BACKUP_DEAL, p->ref,
		    r->rd.e);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return rd_fail(&r->rd, path, "deal", "deal %lld is not "
			    "in the file", (long long)p->ref);
		if ((rc = store_backup_followup_deal_set(r->s, p->id, p->ref,
		    r->rd.e)) != 0)
			return rc;
	}
	for (i = 0; i < r->nenrolls; i++) {
		p = &r->enrolls[i];
		snprintf(path, sizeof path, "contacts[%u].followups[%u]",
		    p->contact, p->followup);
		rc = store_backup_has(r->s, STORE_BACKUP_ENROLLMENT, p->ref,
		    r->rd.e);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return rd_fail(&r->rd, path, "enrollment", "enrollment "
			    "%lld is not in the file", (long long)p->ref);
		if ((rc = store_followup_enrollment_set(r->s, p->id, p->ref,
		    r->rd.e)) != 0)
			return rc;
	}
	return 0;
}

static int
restore_template(struct restore *r, json_t *o, unsigned index)
{
	struct template	t;
	char		path[32];
	int		rc;

	snprintf(path, sizeof path, "templates[%u]", index);
	if ((rc = rd_template(&r->rd, o, path, &t)) != 0 ||
	    (rc = restore_new(r, STORE_BACKUP_TEMPLATE, t.id, path,
	    "template")) != 0)
		return rc;
	rc = store_backup_template_add(r->s, &t, r->rd.e);
	if (rc == TEND_ECONFLICT)
		return rd_fail(&r->rd, path, "name", "template '%s' is in the "
		    "file twice (names match without case)", t.name);
	if (rc != 0)
		return rc;
	r->counts->templates++;
	return 0;
}

static int
restore_suppression(struct restore *r, json_t *o, unsigned index)
{
	struct store_suppression	v;
	char				path[32];
	int				rc;

	snprintf(path, sizeof path, "suppressions[%u]", index);
	if ((rc = rd_suppression(&r->rd, o, path, &v)) != 0)
		return rc;
	rc = store_backup_suppression_add(r->s, &v, r->rd.e);
	if (rc == TEND_ECONFLICT)
		return rd_fail(&r->rd, path, "address", "'%s' is in the file "
		    "twice as %s (addresses match without case)", v.address,
		    v.reason);
	if (rc != 0)
		return rc;
	r->counts->suppressions++;
	return 0;
}

/* 0 if row id of table t is there, else TEND_EINVAL at path.key. */
static int
restore_ref(struct restore *r, enum store_backup_table t, int64_t id,
    const char *path, const char *key, const char *what)
{
	int	rc;

	rc = store_backup_has(r->s, t, id, r->rd.e);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return rd_fail(&r->rd, path, key, "%s %lld is not in the file",
		    what, (long long)id);
	return 0;
}

static int
restore_message(struct restore *r, json_t *o, unsigned index)
{
	struct outbox_msg	m;
	int64_t			enrollment;
	char			path[32];
	int			rc;

	snprintf(path, sizeof path, "outbox[%u]", index);
	if ((rc = rd_message(&r->rd, o, path, &m, &enrollment)) != 0 ||
	    (rc = restore_new(r, STORE_BACKUP_OUTBOX, m.id, path,
	    "message")) != 0)
		return rc;
	/* the contacts and deals are all in: they come first */
	if (m.contact_id != 0 && (rc = restore_ref(r, STORE_BACKUP_CONTACT,
	    m.contact_id, path, "contact", "contact")) != 0)
		return rc;
	if (m.deal_id != 0 && (rc = restore_ref(r, STORE_BACKUP_DEAL,
	    m.deal_id, path, "deal", "deal")) != 0)
		return rc;
	/* and so are the enrollments (version 3) */
	if (enrollment != 0 && (rc = restore_ref(r, STORE_BACKUP_ENROLLMENT,
	    enrollment, path, "enrollment", "enrollment")) != 0)
		return rc;
	/*
	 * The sender that held it is gone with the old database: the
	 * message waits until its lease would have ended, as if that
	 * sender had died, and then goes (at least once, as always).
	 */
	if (strcmp(m.state, "sending") == 0) {
		m.state = "deferred";
		m.lease_owner = NULL;
		m.reason = "restored from a backup while it was being sent";
	}
	rc = store_backup_outbox_add(r->s, &m, enrollment, r->rd.e);
	if (rc == TEND_ECONFLICT)
		return rd_fail(&r->rd, path, "message_id", "'%s' is in the "
		    "file twice", m.message_id);
	if (rc != 0)
		return rc;
	r->counts->messages++;
	return 0;
}

static int
restore_sequence(struct restore *r, json_t *o, unsigned index)
{
	struct store_sequence	q;
	char			path[32];
	int			rc;

	snprintf(path, sizeof path, "sequences[%u]", index);
	if ((rc = rd_sequence(&r->rd, o, path, &q)) != 0 ||
	    (rc = restore_new(r, STORE_BACKUP_SEQUENCE, q.id, path,
	    "sequence")) != 0)
		return rc;
	rc = store_backup_sequence_add(r->s, &q, r->rd.e);
	if (rc == TEND_ECONFLICT)
		return rd_fail(&r->rd, path, "name", "sequence '%s' is in the "
		    "file twice (names match without case)", q.name);
	if (rc != 0)
		return rc;
	r->counts->sequences++;
	return 0;
}

static int
restore_enrollment(struct restore *r, json_t *o, unsigned index)
{
	struct enrollment	n;
	char			path[32];
	int			rc;

	snprintf(path, sizeof path, "enrollments[%u]", index);
	if ((rc = rd_enrollment(&r->rd, o, path, &n)) != 0 ||
	    (rc = restore_new(r, STORE_BACKUP_ENROLLMENT, n.id, path,
	    "enrollment")) != 0)
		return rc;
	/* the contacts (with their deals and follow-ups) and the sequences
	   are all in: they come first */
	if ((rc = restore_ref(r, STORE_BACKUP_CONTACT, n.contact_id, path,
	    "contact", "contact")) != 0 ||
	    (rc = restore_ref(r, STORE_BACKUP_SEQUENCE, n.sequence_id, path,
	    "sequence", "sequence")) != 0 ||
	    (n.deal_id != 0 && (rc = restore_ref(r, STORE_BACKUP_DEAL,
	    n.deal_id, path, "deal", "deal")) != 0) ||
	    (n.hold_followup_id != 0 && (rc = restore_ref(r,
	    STORE_BACKUP_FOLLOWUP, n.hold_followup_id, path, "hold_followup",
	    "follow-up")) != 0))
		return rc;
	rc = store_backup_enrollment_add(r->s, &n, r->rd.e);
	if (rc == TEND_ECONFLICT)
		return rd_fail(&r->rd, path, "state", "contact %lld is active "
		    "in sequence %lld twice", (long long)n.contact_id,
		    (long long)n.sequence_id);
	if (rc != 0)
		return rc;
	r->counts->enrollments++;
	return 0;
}

static int
restore_inbound(struct restore *r, json_t *o, unsigned index)
{
	struct store_inbound	m;
	char			path[32], *data;
	size_t			len;
	int			rc;

	snprintf(path, sizeof path, "inbound[%u]", index);
	if ((rc = rd_inbound(&r->rd, o, path, &m, &data, &len)) != 0 ||
	    (rc = restore_new(r, STORE_BACKUP_INBOUND, m.id, path,
	    "message read")) != 0)
		return rc;
	if (m.contact_id != 0 && (rc = restore_ref(r, STORE_BACKUP_CONTACT,
	    m.contact_id, path, "contact", "contact")) != 0)
		return rc;
	rc = store_backup_inbound_add(r->s, &m, data, len, r->rd.e);
	if (rc == TEND_ECONFLICT)
		return rd_fail(&r->rd, path, "key", "'%.200s' is in the file "
		    "twice", m.key);
	if (rc != 0)
		return rc;
	r->counts->inbound++;
	return 0;
}

static int
restore_imap(struct restore *r, json_t *o, unsigned index)
{
	struct store_imap_row	v;
	char			path[32];
	int			rc;

	snprintf(path, sizeof path, "imap_state[%u]", index);
	if ((rc = rd_imap(&r->rd, o, path, &v)) != 0)
		return rc;
	rc = store_backup_imap_add(r->s, &v, r->rd.e);
	if (rc == TEND_ECONFLICT)
		return rd_fail(&r->rd, path, "mailbox", "'%.200s' is in the "
		    "file twice", v.mailbox);
	if (rc != 0)
		return rc;
	r->counts->mailboxes++;
	return 0;
}

static int
restore_soft_bounce(struct restore *r, json_t *o, unsigned index)
{
	struct store_soft_bounce	v;
	char				path[32];
	int				rc;

	snprintf(path, sizeof path, "soft_bounces[%u]", index);
	if ((rc = rd_soft_bounce(&r->rd, o, path, &v)) != 0)
		return rc;
	rc = store_backup_soft_bounce_add(r->s, &v, r->rd.e);
	if (rc == TEND_ECONFLICT)
		return rd_fail(&r->rd, path, "address", "'%.200s' is in the "
		    "file twice (addresses match without case)", v.address);
	if (rc != 0)
		return rc;
	r->counts->soft_bounces++;
	return 0;
}

static int
restore_settings(struct restore *r, json_t *settings)
{
	const char	*k;
	json_t		*v;
	int		 rc;

	json_object_foreach(settings, k, v) {
		if ((rc = store_setting_set(r->s, k, json_string_value(v),
		    r->rd.e)) != 0)
			return rc;
		r->counts->settings++;
	}
	return 0;
}

int
backup_restore(struct store *s, FILE *f, const char *name,
    struct backup_counts *counts, struct err *e)
{
	struct backup_counts	 mine;
	struct restore		 r;
	struct doc		 d;
	json_t			*o;
	int			 rc;

	memset(&r, 0, sizeof r);
	r.s = s;
	r.counts = counts != NULL ? counts : &mine;
	memset(r.counts, 0, sizeof *r.counts);
	r.rd.name = name;
	r.rd.e = e;
	r.rd.full = 1;
	doc_init(&d, f, name, DOC_BACKUP);
	rc = store_backup_empty(s, e);
	if (rc == 0)
		rc = err_set(e, TEND_ECONFLICT, "the database is not empty: "
		    "restore needs a new one");
	if (rc < 0)
		goto out;
	if ((rc = doc_open(&d, e)) != 0)
		goto out;
	r.rd.version = d.version;
	/*
	 * A version 2 backup holds every template, the starters as they
	 * were (edited, or removed): they replace the new database's.
	 */
	if (d.format == DOC_BACKUP && d.version >= 2 &&
	    (rc = store_backup_templates_clear(s, e)) != 0)
		goto out;
	while ((rc = doc_next(&d, &o, e)) == 1) {
		/* one arena per row: memory stays that of the largest */
		r.rd.a = arena_new();
		switch (d.array) {
		case DOC_CONTACTS_ARRAY:
			rc = restore_contact(&r, o, d.index - 1);
			break;
		case DOC_TEMPLATES:
			rc = restore_template(&r, o, d.index - 1);
			break;
		case DOC_SUPPRESSIONS:
			rc = restore_suppression(&r, o, d.index - 1);
			break;
		case DOC_OUTBOX:
			rc = restore_message(&r, o, d.index - 1);
			break;
		case DOC_SEQUENCES:
			rc = restore_sequence(&r, o, d.index - 1);
			break;
		case DOC_ENROLLMENTS:
			rc = restore_enrollment(&r, o, d.index - 1);
			break;
		case DOC_INBOUND:
			rc = restore_inbound(&r, o, d.index - 1);
			break;
		case DOC_IMAP:
			rc = restore_imap(&r, o, d.index - 1);
			break;
		case DOC_BOUNCES:
			rc = restore_soft_bounce(&r, o, d.index - 1);
			break;
		}
		arena_free(r.rd.a);
		r.rd.a = NULL;
		json_decref(o);
		if (rc != 0)
			goto out;
	}
	if (rc != 0)
		goto out;
	if ((rc = restore_pending(&r)) != 0)
		goto out;
	if (d.settings != NULL && (rc = restore_settings(&r, d.settings)) != 0)
		goto out;
out:
	free(r.vias);
	free(r.deals);
	free(r.enrolls);
	doc_free(&d);
	return rc;
}

/* ---- the import reader --------------------------------------------- */

struct backup_reader {
	struct doc	d;
};

int
backup_reader_new(FILE *f, const char *name, struct backup_reader **out,
    struct err *e)
{
	struct backup_reader	*r;
	int			 rc;

	*out = NULL;
	r = xcalloc(1, sizeof *r);
	doc_init(&r->d, f, name, DOC_BACKUP | DOC_CONTACTS);
	if ((rc = doc_open(&r->d, e)) != 0) {
		backup_reader_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void
backup_reader_free(struct backup_reader *r)
{
	if (r == NULL)
		return;
	doc_free(&r->d);
	free(r);
}

int
backup_read(struct backup_reader *r, struct arena *a, struct contact **out,
    struct err *e)
{
	struct store_backup	 b;
	struct rd		 rd;
	json_t			*o;
	int			 rc;

	*out = NULL;
	/* the mail tables of a backup belong to its own database */
	for (;;) {
		if ((rc = doc_next(&r->d, &o, e)) != 1)
			return rc;
		if (r->d.array == DOC_CONTACTS_ARRAY)
			break;
		json_decref(o);
	}
	rd.name = r->d.name;
	rd.a = a;
	rd.e = e;
	rd.full = 0;
	rd.version = r->d.version;
	rc = rd_contact(&rd, o, r->d.ncontacts - 1, &b);
	json_decref(o);
	if (rc != 0)
		return rc;
	*out = arena_alloc(a, sizeof **out);
	**out = b.c;
	return 1;
}

unsigned
backup_reader_record(const struct backup_reader *r)
{
	return r->d.ncontacts;
}

unsigned
backup_reader_line(const struct backup_reader *r)
{
	return r->d.rec_line;
}

int
backup_sniff(const char *buf, size_t n)
{
	size_t	i = 0;

	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < n; i++) {
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
		    buf[i] == '\n')
			continue;
		return buf[i] == '{';
	}
	return 0;
}
