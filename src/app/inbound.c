/*
 * Mail in (see inbound.h): the lookups the classifier needs, the record
 * of every message read, and what each class of message does.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/inbound.h"
#include "app/mail.h"
#include "app/sequencer.h"
#include "app/touch.h"
#include "core/contact.h"
#include "core/interaction.h"
#include "core/outbox.h"
#include "core/when.h"
#include "mail/compose.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/config.h"
#include "util/text.h"

/* ---- settings ---- */

static int
inbound_int(const struct config *cfg, const char *key, const char *def,
    long lo, long hi, long *out, struct err *e)
{
	const char	*v;
	char		*end;

	v = config_get(cfg, key);
	if (v == NULL)
		v = def;
	errno = 0;
	*out = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || *out < lo ||
	    *out > hi)
		return err_set(e, TEND_EINVAL, "%s: '%s' is not a number from "
		    "%ld to %ld", key, v, lo, hi);
	return 0;
}

/* Split v at sep into trimmed, non-empty words (in a). */
static size_t
inbound_split(struct arena *a, const char *v, int sep, const char **out,
    size_t max)
{
	char	*copy, *p, *next;
	size_t	 n = 0;

	if (v == NULL)
		return 0;
	copy = arena_strdup(a, v);
	for (p = copy; p != NULL && n < max; p = next) {
		next = strchr(p, sep);
		if (next != NULL)
			*next++ = '\0';
		p = text_trim(p);
		if (*p != '\0')
			out[n++] = p;
	}
	return n;
}

int
inbound_settings_load(const struct config *cfg,
    const struct mail_settings *ms, int need_imap, struct arena *a,
    struct inbound_settings *is, struct err *e)
{
	const char	*v, *own[32];
	long		 n;
	size_t		 i, k;
	int		 rc;

	memset(is, 0, sizeof *is);
	is->inquiry_addr = config_get(cfg, "inbound.address");
	k = inbound_split(a, config_get(cfg, "inbound.own"), ',', own, 31);
	is->own = arena_alloc(a, (k + 1) * sizeof *is->own);
	if (ms->from_addr != NULL)
		is->own[is->nown++] = ms->from_addr;
	for (i = 0; i < k; i++)
		is->own[is->nown++] = own[i];
	v = config_get(cfg, "inbound.unknown");
	is->unknown_inquiry = v != NULL && strcmp(v, "inquiry") == 0;
	if ((rc = inbound_int(cfg, "inbound.bounces", INBOUND_SOFT_LIMIT, 1,
	    100, &n, e)) != 0)
		return rc;
	is->soft_limit = (int)n;
	if ((rc = inbound_int(cfg, "inquiry.escalate", INBOUND_ESCALATE, 1,
	    10080, &n, e)) != 0)
		return rc;
	is->escalate = n * 60;
	is->notify = config_get(cfg, "inquiry.notify");
	v = config_get(cfg, "inquiry.questions");
	if (v == NULL)
		v = INBOUND_QUESTIONS;
	is->questions = arena_alloc(a, INBOUND_QUESTIONS_MAX *
	    sizeof *is->questions);
	if (strcasecmp(v, "none") != 0)
		is->nquestions = inbound_split(a, v, '|', is->questions,
		    INBOUND_QUESTIONS_MAX);
	v = config_get(cfg, "work.hours");
	if ((rc = block_parse(v != NULL ? v : INBOUND_WORK_HOURS, &is->work,
	    e)) != 0)
		return err_prefix(e, rc, "work.hours");

	is->imap.url = config_get(cfg, "imap.url");
	is->imap.user = config_get(cfg, "imap.user");
	is->imap.ca_file = config_get(cfg, "imap.ca_file");
	v = config_get(cfg, "imap.tls");
	is->imap.tls = v != NULL && strcmp(v, "none") == 0 ? IMAP_TLS_NONE :
	    IMAP_TLS_REQUIRED;
	if ((rc = inbound_int(cfg, "imap.timeout", MAIL_TIMEOUT_DEFAULT, 1,
	    3600, &n, e)) != 0)
		return rc;
	is->imap.timeout_ms = n * 1000;
	if (need_imap && (rc = mail_password(cfg, "TEND_IMAP_PASSWORD",
	    "imap.password_file", a, &is->imap.password, e)) != 0)
		return rc;
	if ((rc = inbound_int(cfg, "imap.interval", INBOUND_IMAP_INTERVAL, 5,
	    86400, &n, e)) != 0)
		return rc;
	is->imap_interval = n;
	if ((rc = inbound_int(cfg, "worker.interval", INBOUND_WORKER_INTERVAL,
	    1, 3600, &n, e)) != 0)
		return rc;
	is->worker_interval = n;
	return 0;
}

/* ---- small pieces ---- */

static const char *
inbound_domain(const char *addr)
{
	const char	*at;

	at = addr != NULL ? strrchr(addr, '@') : NULL;
	return at != NULL ? at + 1 : NULL;
}

/* The key a message is read once by: its Message-ID, else its bytes. */
static const char *
inbound_key(struct arena *a, const struct inbound_msg *m, const char *raw,
    size_t len)
{
	unsigned char	 h[crypto_hash_sha256_BYTES];
	char		 hex[2 * sizeof h + 1];

	if (m->message_id != NULL && *m->message_id != '\0')
		return m->message_id;
	crypto_hash_sha256(h, (const unsigned char *)raw, len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return arena_printf(a, "sha256:%s", hex);
}

/* A one-line summary for the timeline: the subject and the first words. */
static const char *
inbound_summary(struct arena *a, const char *prefix,
    const struct inbound_msg *m)
{
	const char	*subject = m->subject != NULL && *m->subject != '\0' ?
	    m->subject : "(no subject)";
	char		*s;

	s = arena_printf(a, "%s%s", prefix, subject);
	/* the summary is one line of at most 500 bytes */
	for (char *p = s; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	if (strlen(s) > 480) {
		size_t	n = 480;

		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		s[n] = '\0';
	}
	return s;
}

static int
inbound_note(struct store *s, int64_t contact_id, const char *kind,
    const char *summary, int system, int64_t now, struct err *e)
{
	struct interaction	 in;

	memset(&in, 0, sizeof in);
	in.contact_id = contact_id;
	in.kind = (char *)kind;
	in.direction = "in";
	in.at = now;
	in.summary = (char *)summary;
	in.created = now;
	in.system = system;
	return store_interaction_add(s, &in, e);
}

/* ---- lookups ---- */

struct inbound_look {
	int64_t		 thread_outbox;
	int		 thread_kind;	/* OUTBOX_HAND, _AUTO, _AUTOREPLY */
	const char	*thread_rcpt;
};

static int
inbound_lookup(struct store *s, struct arena *a,
    const struct inbound_msg *m, struct inbound_ctx *ctx,
    struct inbound_look *lk, struct err *e)
{
	struct outbox_msg	*o;
	int64_t			 id, cid;
	size_t			 i;
	int			 automated, rc, ok;
	const char		*d1, *d2;

	for (i = 0; i <= m->nrefs && ctx->thread_contact == 0; i++) {
		const char *mid = i < m->nrefs ? m->refs[i] :
		    m->orig_message_id;

		if (mid == NULL)
			continue;
		rc = store_outbox_by_message_id(s, mid, &id, &cid, &automated,
		    e);
		if (rc < 0)
			return rc;
		if (rc == 1 && cid != 0) {
			ctx->thread_contact = cid;
			ctx->thread_auto = automated != OUTBOX_HAND;
			lk->thread_outbox = id;
			lk->thread_kind = automated;
		}
	}
	if (m->from_addr != NULL &&
	    (rc = store_email_owner(s, m->from_addr, &ctx->from_contact)) != 0)
		return err_set(e, rc, "cannot read e-mail addresses");
	if (lk->thread_outbox != 0 && ctx->from_contact != ctx->thread_contact &&
	    m->from_addr != NULL) {
		if ((rc = store_outbox_get(s, a, lk->thread_outbox, &o,
		    e)) != 0)
			return rc;
		lk->thread_rcpt = o->rcpt;
		d1 = inbound_domain(o->rcpt);
		d2 = inbound_domain(m->from_addr);
		if (d1 != NULL && d2 != NULL && strcasecmp(d1, d2) == 0) {
			if ((rc = sequencer_same_domain(s, ctx->thread_contact,
			    &ok, e)) != 0)
				return rc;
			ctx->same_domain = ok;
		}
	}
	return 0;
}

/* ---- what each class does ---- */

/* 1 if the contact has an open reply or inquiry on the agenda, else 0. */
static int
inbound_reply_open(struct store *s, struct arena *a, int64_t contact_id,
    struct err *e)
{
	struct followup	*f;
	size_t		 n, i;
	int		 rc;

	if ((rc = store_followup_list(s, a, contact_id, &f, &n, e)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(f[i].state, "open") == 0 &&
		    (strcmp(f[i].kind, "inquiry") == 0 || (f[i].reason != NULL &&
		    strncmp(f[i].reason, "Reply to ", 9) == 0)))
			return 1;
	return 0;
}

/* Keep the answers to the qualifying questions on the contact. */
static int
inbound_keep_answers(struct store *s, const struct inbound_settings *is,
    const struct inbound_msg *m, int64_t contact_id, int64_t now,
    struct arena *a, int *found, struct err *e)
{
	const char	*ans[INBOUND_QUESTIONS_MAX];
	struct contact	*c;
	char		*notes;
	size_t		 i, n;
	int		 rc;

	*found = 0;
	if (is->nquestions == 0 || m->text == NULL)
		return 0;
	n = inbound_answers(m->text, is->questions, is->nquestions, a, ans);
	if (n == 0)
		return 0;
	if ((rc = store_contact_get(s, a, contact_id, &c, e)) != 0)
		return rc;
	notes = arena_printf(a, "%s%sAnswers to the inquiry questions:",
	    c->notes != NULL ? c->notes : "", c->notes != NULL &&
	    *c->notes != '\0' ? "\n" : "");
	for (i = 0; i < is->nquestions; i++)
		if (ans[i] != NULL)
			notes = arena_printf(a, "%s\n%s %s", notes,
			    is->questions[i], ans[i]);
	if (strlen(notes) > 9000)
		return 0;	/* a note that long is not an answer */
	c->notes = notes;
	if ((c->needs == NULL || *c->needs == '\0') && ans[0] != NULL &&
	    strlen(ans[0]) <= 500)
		c->needs = (char *)ans[0];
	*found = (int)n;
	return store_contact_update(s, c, now, e);
}

static int
inbound_on_reply(struct store *s, const struct mail_settings *ms,
    const struct inbound_settings *is, const struct inbound_msg *m,
    int ack_thread, int64_t cid, int64_t now, struct arena *a,
    struct inbound_result *r, struct err *e)
{
	struct followup	 f;
	struct contact	*c;
	int		 rc, had, ended = 0, answers = 0;

	if ((rc = store_contact_get(s, a, cid, &c, e)) != 0)
		return rc;
	r->contact_name = c->name;
	/* an incoming e-mail: a touch, which resets the clock */
	if ((rc = inbound_note(s, cid, "email", inbound_summary(a, "", m), 0,
	    now, e)) != 0 ||
	    (rc = app_cadence_refresh(s, cid, now, ms->tz, e)) != 0)
		return rc;
	if ((rc = sequencer_end_contact(s, cid, "reply", "replied", now,
	    &ended, e)) != 0)
		return rc;
	/* an answer to the acknowledgement may answer its questions */
	if (ack_thread &&
	    (rc = inbound_keep_answers(s, is, m, cid, now, a, &answers,
	    e)) != 0)
		return rc;
	/* one item a person: an open reply or inquiry stands for it */
	if ((had = inbound_reply_open(s, a, cid, e)) < 0)
		return had;
	if (!had) {
		memset(&f, 0, sizeof f);
		f.contact_id = cid;
		f.kind = "task";
		f.reason = (char *)inbound_summary(a, arena_printf(a,
		    "Reply to %s: ", c->name), m);
		f.channel = "email";
		f.due = now;
		if ((rc = store_followup_add(s, &f, now, e)) != 0 ||
		    (rc = store_followup_origin(s, f.id, "reply", e)) != 0)
			return rc;
	}
	r->effect = arena_printf(a, "on the timeline; %s is at the top of the "
	    "agenda%s%s", !had ? arena_printf(a, "reply to %s", c->name) :
	    "their item", ended > 0 ?
	    arena_printf(a, "; %d sequence%s ended", ended, ended == 1 ? "" :
	    "s") : "", answers > 0 ? arena_printf(a, "; %d answer%s kept", answers,
	    answers == 1 ? "" : "s") : "");
	return 0;
}

static int
inbound_on_autoreply(struct store *s, const struct mail_settings *ms,
    const struct inbound_msg *m, const struct inbound_verdict *v,
    int64_t cid, int64_t now, struct arena *a, struct inbound_result *r,
    struct err *e)
{
	char	 day[WHEN_BUFSZ];
	int	 rc;

	r->back_on = v->back_on;
	if (cid == 0) {
		r->effect = "nothing: not about a contact";
		return 0;
	}
	if (v->back_on > now) {
		/* 00:00 UTC of the day named: the day, in the user's words */
		when_format(day, sizeof day, v->back_on, "UTC", WHEN_DATE);
		if ((rc = inbound_note(s, cid, "note", inbound_summary(a,
		    arena_printf(a, "out-of-office reply (back %s): ", day),
		    m), 1, now, e)) != 0)
			return rc;
		if ((rc = sequencer_hold_contact(s, cid, v->back_on,
		    arena_printf(a, "out of office until %s", day), now,
		    e)) != 0)
			return rc;
		r->effect = arena_printf(a, "noted; sequences wait until %s",
		    day);
		return 0;
	}
	(void)ms;
	if ((rc = inbound_note(s, cid, "note", inbound_summary(a,
	    "automatic reply: ", m), 1, now, e)) != 0)
		return rc;
	r->effect = "noted; sequences go on";
	return 0;
}

static int
inbound_suppress(struct store *s, const char *addr, const char *reason,
    const char *detail, int64_t now, struct err *e)
{
	int	rc;

	rc = store_suppress_add(s, addr, reason, detail, now, e);
	return rc == TEND_ECONFLICT ? 0 : rc;
}

static int
inbound_on_bounce(struct store *s, const struct inbound_settings *is,
    const struct inbound_msg *m, int64_t cid, int64_t now,
    struct arena *a, struct inbound_result *r, struct err *e)
{
	const struct inbound_rcpt	*b;
	const char			*eff = "", *detail;
	int64_t				 owner;
	size_t				 i;
	int				 rc, count, ended, suppressed;

	for (i = 0; i < m->nbounced; i++) {
		b = &m->bounced[i];
		if (b->addr == NULL || contact_email_check(b->addr, NULL) != 0)
			continue;
		/* "delayed" in a report that also has a failure: still trying */
		if (b->action != NULL && strcasecmp(b->action, "delayed") == 0)
			continue;
		detail = arena_printf(a, "%s%s%s", b->status != NULL ?
		    b->status : (b->hard ? "permanent" : "temporary"),
		    b->diagnostic != NULL ? ": " : "", b->diagnostic != NULL ?
		    b->diagnostic : "");
		if (strlen(detail) > 400)
			detail = arena_strndup(a, detail, 400);
		suppressed = b->hard;
		count = 0;
		if (!b->hard) {
			if ((rc = store_soft_bounce(s, b->addr, now, &count,
			    e)) != 0)
				return rc;
			suppressed = count >= is->soft_limit;
		}
		if (suppressed && (rc = inbound_suppress(s, b->addr, "bounced",
		    detail, now, e)) != 0)
			return rc;
		if ((rc = store_email_owner(s, b->addr, &owner)) != 0)
			return err_set(e, rc, "cannot read e-mail addresses");
		if (owner == 0)
			owner = cid;
		if (owner != 0) {
			if (r->contact_id == 0)
				r->contact_id = owner;
			if ((rc = inbound_note(s, owner, "note", arena_printf(a,
			    "mail to %s bounced (%s)%s", b->addr, detail,
			    suppressed ? "" : arena_printf(a, ", temporary %d "
			    "of %d", count, is->soft_limit)), 1, now, e)) != 0)
				return rc;
			if (suppressed && (rc = sequencer_end_contact(s, owner,
			    "bounce", arena_printf(a, "bounced: %s", b->addr),
			    now, &ended, e)) != 0)
				return rc;
		}
		eff = arena_printf(a, "%s%s%s %s", eff, *eff ? "; " : "",
		    b->addr, suppressed ? "suppressed (bounced)" :
		    arena_printf(a, "bounced temporarily (%d of %d)", count,
		    is->soft_limit));
	}
	r->effect = *eff ? eff : "nothing: no address in it";
	return 0;
}

static int
inbound_on_unsubscribe(struct store *s, const struct inbound_verdict *v,
    const struct inbound_msg *m, int complaint, int64_t now,
    struct arena *a, struct inbound_result *r, struct err *e)
{
	const char	*addr = v->unsub_addr != NULL ? v->unsub_addr :
	    m->from_addr;
	char		*tokaddr = NULL;
	int64_t		 owner;
	int		 rc, ended = 0;

	/* tend's own token names the address it was sent to */
	if (v->unsub_token != NULL &&
	    mail_unsubscribe_token(s, v->unsub_token, a, &tokaddr, NULL) == 0)
		addr = tokaddr;
	if (addr == NULL || contact_email_check(addr, NULL) != 0) {
		r->effect = "nothing: no address to unsubscribe";
		return 0;
	}
	if ((rc = inbound_suppress(s, addr, "unsubscribed", complaint ?
	    "complaint (abuse report)" : "by mail", now, e)) != 0)
		return rc;
	if ((rc = store_email_owner(s, addr, &owner)) != 0)
		return err_set(e, rc, "cannot read e-mail addresses");
	if (owner != 0) {
		r->contact_id = owner;
		if ((rc = inbound_note(s, owner, "note", arena_printf(a,
		    "%s %s", addr, complaint ? "reported our mail as abuse: "
		    "unsubscribed" : "unsubscribed by mail"), 1, now, e)) != 0)
			return rc;
		if ((rc = sequencer_end_contact(s, owner, "unsubscribe",
		    complaint ? "complained" : "unsubscribed", now, &ended,
		    e)) != 0)
			return rc;
	}
	r->effect = arena_printf(a, "%s unsubscribed%s", addr, ended > 0 ?
	    "; sequences ended" : "");
	return 0;
}

/* Find or make the contact an inquiry is from. */
static int
inbound_inquirer(struct store *s, const struct inbound_msg *m,
    int64_t known, int64_t now, struct arena *a, int64_t *cid, int *made,
    struct err *e)
{
	struct contact	 c;
	const char	*name;
	int		 rc;

	*made = 0;
	*cid = known;
	if (known != 0)
		return 0;
	memset(&c, 0, sizeof c);
	name = m->from_name != NULL ? text_trim(arena_strdup(a,
	    m->from_name)) : NULL;
	if (name == NULL || *name == '\0' || strlen(name) > 200)
		name = arena_strndup(a, m->from_addr,
		    strcspn(m->from_addr, "@"));
	c.name = (char *)name;
	c.kind = "prospect";
	c.source = "inbound";
	strlist_push(a, &c.emails, m->from_addr, NULL);
	if ((rc = contact_check(&c, e)) != 0)
		return rc;
	if ((rc = store_contact_insert(s, &c, now, e)) != 0)
		return rc;
	*cid = c.id;
	*made = 1;
	return 0;
}

static int
inbound_on_inquiry(struct store *s, const struct mail_settings *ms,
    const struct inbound_settings *is, const struct inbound_msg *m,
    const struct inbound_verdict *v, int64_t now, struct arena *a,
    struct inbound_result *r, struct err *e)
{
	struct mail_inquiry	 iq;
	struct mail_request	 req;
	struct outbox_msg	*o;
	struct followup		 f;
	struct err		 qerr;
	const char		*ack;
	int64_t			 cid;
	int			 rc, made, recent = 0, unsub, bounced;

	if (m->from_addr == NULL || contact_email_check(m->from_addr,
	    NULL) != 0) {
		r->effect = "nothing: no address to answer";
		return 0;
	}
	if ((rc = inbound_inquirer(s, m, v->contact_id, now, a, &cid, &made,
	    e)) != 0)
		return rc;
	r->contact_id = cid;
	if ((rc = inbound_note(s, cid, "email", inbound_summary(a, "", m), 0,
	    now, e)) != 0)
		return rc;
	memset(&f, 0, sizeof f);
	f.contact_id = cid;
	f.kind = "inquiry";
	f.reason = (char *)inbound_summary(a, "", m);
	f.channel = "email";
	f.due = now;
	if ((rc = store_followup_add(s, &f, now, e)) != 0)
		return rc;

	/* the acknowledgement, unless it would be one too many */
	ack = NULL;
	if (v->no_ack)
		ack = "not acknowledged: automated or list mail";
	if (ack == NULL && (rc = store_outbox_recent(s, m->from_addr,
	    OUTBOX_AUTOREPLY, now - INBOUND_ACK_QUIET, &recent, e)) != 0)
		return rc;
	if (ack == NULL && recent)
		ack = "not acknowledged again: one went to them in the last "
		    "7 days";
	if (ack == NULL && (rc = store_suppress_get(s, m->from_addr, &unsub,
	    &bounced, e)) != 0)
		return rc;
	if (ack == NULL && (unsub || bounced))
		ack = "not acknowledged: the address is suppressed";
	if (ack == NULL) {
		memset(&iq, 0, sizeof iq);
		iq.subject = m->subject != NULL && *m->subject != '\0' &&
		    strlen(m->subject) < 900 ? m->subject : NULL;
		/* "Re: Re: ..." becomes one "Re:" (the template's) */
		while (iq.subject != NULL && strncasecmp(iq.subject, "re:",
		    3) == 0) {
			iq.subject = text_trim(arena_strdup(a, iq.subject + 3));
			if (*iq.subject == '\0')
				iq.subject = NULL;
		}
		iq.reply_by = inbound_reply_by(&is->work, now, ms->tz, a);
		iq.questions = is->questions;
		iq.nquestions = is->nquestions;
		memset(&req, 0, sizeof req);
		req.contact_id = cid;
		req.template = "inquiry-ack";
		req.automated = OUTBOX_AUTOREPLY;
		req.in_reply_to = m->message_id;
		req.inquiry = &iq;
		memset(&qerr, 0, sizeof qerr);
		rc = mail_queue(s, ms, &req, now, a, &o, &qerr);
		if (rc == 0) {
			r->ack_id = o->id;
			ack = arena_printf(a, "acknowledged (message %lld)",
			    (long long)o->id);
		} else
			ack = arena_printf(a, "not acknowledged: %s",
			    qerr.msg);
	}
	r->effect = arena_printf(a, "%s; inquiry on the agenda; %s", made ?
	    "new contact" : "known contact", ack);
	return 0;
}

/* ---- reading one message ---- */

static enum inbound_class
inbound_class_of(const char *name)
{
	int	c;

	for (c = INBOUND_OTHER; c <= INBOUND_INQUIRY; c++)
		if (name != NULL && strcmp(name, inbound_class_name(c)) == 0)
			return (enum inbound_class)c;
	return INBOUND_OTHER;
}

int
inbound_read(struct store *s, const struct mail_settings *ms,
    const struct inbound_settings *is, const char *raw, size_t len,
    const struct inbound_msg *m, const char *source, int dry, int64_t now,
    struct arena *a, struct inbound_result *r, struct err *e)
{
	struct inbound_ctx	 ctx;
	struct inbound_look	 lk;
	struct inbound_verdict	 v;
	struct store_inbound	 row, *prev;
	struct contact		*c;
	const char		*key;
	int64_t			 id;
	int			 rc;

	memset(r, 0, sizeof *r);
	memset(&ctx, 0, sizeof ctx);
	memset(&lk, 0, sizeof lk);
	key = inbound_key(a, m, raw, len);
	if (!dry) {
		if ((rc = store_inbound_find(s, key, &id, e)) < 0)
			return rc;
		if (rc == 1) {
			/* say what it was read as the first time */
			if ((rc = store_inbound_get(s, a, id, &prev, NULL, NULL,
			    e)) != 0)
				return rc;
			r->duplicate = 1;
			r->id = id;
			r->cls = inbound_class_of(prev->cls);
			r->contact_id = prev->contact_id;
			r->contact_name = prev->contact_name;
			r->why = "read before (the same Message-ID)";
			r->effect = prev->effect;
			return 0;
		}
	}
	ctx.own = is->own;
	ctx.nown = is->nown;
	ctx.inquiry_addr = is->inquiry_addr;
	ctx.unsub_addr = ms->from_addr;
	ctx.unknown_inquiry = is->unknown_inquiry;
	if ((rc = inbound_lookup(s, a, m, &ctx, &lk, e)) != 0)
		return rc;
	/* names, so that why speaks of people, not of ids */
	if (ctx.thread_contact != 0 && store_contact_get(s, a,
	    ctx.thread_contact, &c, NULL) == 0)
		ctx.thread_name = c->name;
	if (ctx.from_contact != 0 && store_contact_get(s, a, ctx.from_contact,
	    &c, NULL) == 0)
		ctx.from_name = c->name;
	inbound_classify(m, &ctx, now, &v);
	r->cls = v.cls;
	r->contact_id = v.contact_id;
	r->why = arena_strdup(a, v.why);
	r->back_on = v.back_on;
	if (r->contact_id != 0 && store_contact_get(s, a, r->contact_id, &c,
	    NULL) == 0)
		r->contact_name = c->name;
	if (dry)
		return 0;

	/*
	 * What the message does may fail on its data (a sender's name tend
	 * cannot keep, a template that does not render): then it is undone
	 * alone and the message is still recorded, with why.  Only a
	 * failure of the store fails the whole (and an MTA tries again).
	 */
	if ((rc = store_savepoint(s, e)) != 0)
		return rc;
	switch (v.cls) {
	case INBOUND_REPLY:
		rc = v.contact_id != 0 ? inbound_on_reply(s, ms, is, m,
		    lk.thread_kind == OUTBOX_AUTOREPLY, v.contact_id, now, a,
		    r, e) : 0;
		break;
	case INBOUND_AUTOREPLY:
		rc = inbound_on_autoreply(s, ms, m, &v, v.contact_id, now, a,
		    r, e);
		break;
	case INBOUND_BOUNCE:
		rc = inbound_on_bounce(s, is, m, v.contact_id, now, a, r, e);
		break;
	case INBOUND_COMPLAINT:
	case INBOUND_UNSUBSCRIBE:
		rc = inbound_on_unsubscribe(s, &v, m, v.cls ==
		    INBOUND_COMPLAINT, now, a, r, e);
		break;
	case INBOUND_INQUIRY:
		rc = inbound_on_inquiry(s, ms, is, m, &v, now, a, r, e);
		break;
	default:
		r->effect = NULL;
		rc = 0;
	}
	if (rc == TEND_EINVAL || rc == TEND_ENOTFOUND || rc == TEND_ECONFLICT ||
	    rc == TEND_EUSAGE) {
		r->effect = arena_printf(a, "not done: %s", e != NULL ?
		    e->msg : "invalid data");
		r->contact_id = v.contact_id;
		r->contact_name = NULL;
		r->ack_id = 0;
		rc = store_savepoint_undo(s, e);
	} else if (rc == 0)
		rc = store_savepoint_release(s, e);
	if (rc != 0)
		return rc;
	if (r->contact_id != 0 && r->contact_name == NULL &&
	    store_contact_get(s, a, r->contact_id, &c, NULL) == 0)
		r->contact_name = c->name;

	memset(&row, 0, sizeof row);
	row.key = (char *)key;
	row.received = now;
	row.source = (char *)source;
	row.cls = (char *)inbound_class_name(v.cls);
	row.contact_id = r->contact_id;
	row.from_addr = m->from_addr;
	row.subject = m->subject;
	row.why = (char *)r->why;
	row.effect = (char *)r->effect;
	if ((rc = store_inbound_add(s, &row, raw, len, e)) != 0)
		return rc;
	r->id = row.id;
	return 0;
}

/* ---- quarantine ---- */

int
inbound_quarantine(const char *dir, const char *raw, size_t len,
    int64_t now, struct arena *a, char **path, struct err *e)
{
	unsigned char	 h[8];
	char		 hex[2 * sizeof h + 1];
	char		*tmp, *final;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd, dfd;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, TEND_EIO, "cannot make the quarantine folder "
		    "'%s': %s", dir, strerror(errno));
	randombytes_buf(h, sizeof h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	tmp = arena_printf(a, "%s/.%lld-%s.tmp", dir, (long long)now, hex);
	final = arena_printf(a, "%s/%lld-%s.eml", dir, (long long)now, hex);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, TEND_EIO, "cannot keep the message in '%s': "
		    "%s", dir, strerror(errno));
	while (off < len) {
		n = write(fd, raw + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off < len || fsync(fd) != 0) {
		int	saved = errno;

		close(fd);
		unlink(tmp);
		return err_set(e, TEND_EIO, "cannot keep the message in '%s': "
		    "%s", dir, strerror(saved));
	}
	close(fd);
	if (rename(tmp, final) != 0) {
		int	saved = errno;

		unlink(tmp);
		return err_set(e, TEND_EIO, "cannot keep the message in '%s': "
		    "%s", dir, strerror(saved));
	}
	/* the name must last too */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	*path = final;
	return 0;
}

/* ---- escalation ---- */

int
inbound_escalate(struct store *s, const struct mail_settings *ms,
    const struct inbound_settings *is, int64_t now, struct arena *a, int *n,
    struct err *e)
{
	struct followup		*f;
	struct compose_msg	 cm;
	struct outbox_msg	 o;
	char			*data = NULL, *mid;
	size_t			 nf, i, len;
	int64_t			 mins;
	int			 rc;

	*n = 0;
	if ((rc = store_inquiry_overdue(s, a, now - is->escalate, &f, &nf,
	    e)) != 0)
		return rc;
	for (i = 0; i < nf; i++) {
		if ((rc = store_inquiry_escalate(s, f[i].id, now, e)) != 0)
			return rc;
		(*n)++;
		if (is->notify == NULL || ms->from_addr == NULL)
			continue;
		mins = (now - f[i].created) / 60;
		memset(&cm, 0, sizeof cm);
		cm.from.name = "tend";
		cm.from.addr = ms->from_addr;
		cm.to.addr = is->notify;
		cm.subject = arena_printf(a, "%s has waited %lld minutes for an "
		    "answer", f[i].contact_name, (long long)mins);
		cm.text = arena_printf(a, "%s wrote %lld minutes ago and has "
		    "no answer from you yet:\n\n  %s\n\nAnswer now: the sooner "
		    "you answer, the likelier the work is yours.\n\n(tend today "
		    "shows it at the top.)\n", f[i].contact_name,
		    (long long)mins, f[i].reason != NULL ? f[i].reason : "");
		mid = compose_message_id(ms->from_addr, now);
		cm.message_id = mid;
		cm.auto_header = "escalation";
		cm.auto_submitted = "auto-generated";
		rc = compose_build(&cm, &data, &len, e);
		if (rc != 0) {
			free(mid);
			return rc;
		}
		memset(&o, 0, sizeof o);
		/* to the user, not to the contact: not a touch of theirs */
		o.contact_id = 0;
		o.template = "escalation";
		o.automated = OUTBOX_AUTOREPLY;
		o.rcpt = (char *)is->notify;
		o.sender = (char *)ms->from_addr;
		o.subject = (char *)cm.subject;
		o.message_id = mid;
		o.data = data;
		o.len = len;
		o.state = "queued";
		o.queued = now;
		o.next_attempt = now;
		rc = store_outbox_add(s, &o, e);
		free(data);
		free(mid);
		data = NULL;
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---- the acknowledgement's words ---- */

const char *
inbound_reply_by(const struct block *work, int64_t now, const char *tz,
    struct arena *a)
{
	struct when_tm	 tm;
	int64_t		 start, end, by, today, day;
	char		 t[WHEN_BUFSZ];
	static const char *const wd[] = { "Sunday", "Monday", "Tuesday",
	    "Wednesday", "Thursday", "Friday", "Saturday" };

	start = block_first(work, now, tz, &end);
	if (start <= now && now < end) {
		/* within the hours: two hours at most, before they end */
		by = now + 2 * 3600;
		by = (by + 899) / 900 * 900;
		if (by > end)
			by = end;
		when_format(t, sizeof t, by, tz, WHEN_DATETIME);
		return arena_printf(a, "today by %s", t + 11);
	}
	if (end <= now)
		start = block_first(work, when_add_days(when_day_start(now, tz),
		    1, tz), tz, &end);
	today = when_day_start(now, tz);
	day = when_day_start(start, tz);
	when_split(start, tz, &tm);
	if (day == today)
		return tm.hour < 12 ? "this morning" : "this afternoon";
	if (day == when_add_days(today, 1, tz))
		return tm.hour < 12 ? "tomorrow morning" : "tomorrow afternoon";
	return arena_printf(a, "on %s %s", wd[when_weekday(start, tz)],
	    tm.hour < 12 ? "morning" : "afternoon");
}

/* ---- answers to the questions ---- */

/* s without quote marks, list marks and blanks at its start (in place). */
static char *
answer_strip(char *s, int *quoted)
{
	*quoted = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '>')
			break;
		*quoted = 1;
		s++;
	}
	if ((*s == '-' || *s == '*') && s[1] == ' ')
		s += 2;
	return text_trim(s);
}

/* 1 if line is question q (without case, blanks or a closing '?'). */
static int
answer_is_question(const char *line, const char *q)
{
	size_t	nl = strlen(line), nq = strlen(q);

	while (nl > 0 && (line[nl - 1] == '?' || line[nl - 1] == ':' ||
	    line[nl - 1] == ' '))
		nl--;
	while (nq > 0 && (q[nq - 1] == '?' || q[nq - 1] == ':' ||
	    q[nq - 1] == ' '))
		nq--;
	return nl >= nq && nq > 0 && strncasecmp(line, q, nq) == 0 &&
	    (nl == nq || line[nq] == '?' || line[nq] == ':' || line[nq] == ' ');
}

/* "On Monday, Ann wrote:", "Best,", "Thanks": the answers are over. */
static int
answer_ends(const char *p)
{
	static const char *const byes[] = { "best", "regards", "kind regards",
	    "best regards", "thanks", "thank you", "cheers", "many thanks",
	    "all the best", NULL };
	size_t	n = strlen(p), i, l;

	if (n >= 6 && strcmp(p + n - 6, "wrote:") == 0)
		return 1;
	for (i = 0; byes[i] != NULL; i++) {
		l = strlen(byes[i]);
		if (strncasecmp(p, byes[i], l) == 0 && (p[l] == '\0' ||
		    ((p[l] == ',' || p[l] == '!' || p[l] == '.') &&
		    p[l + 1] == '\0')))
			return 1;
	}
	return 0;
}

size_t
inbound_answers(const char *text, const char *const *questions, size_t n,
    struct arena *a, const char **answers)
{
	char	*copy, *line, *next, *p, *rest;
	long	 cur = -1, num;
	size_t	 i, found = 0;
	int	 quoted;

	for (i = 0; i < n; i++)
		answers[i] = NULL;
	copy = arena_strdup(a, text);
	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		/* a signature, or the quoted message's own header, ends it */
		if (strcmp(line, "-- ") == 0 || strcmp(line, "--") == 0)
			break;
		p = answer_strip(line, &quoted);
		if (*p == '\0')
			continue;
		if (!quoted && answer_ends(p))
			break;
		rest = NULL;
		for (i = 0; i < n; i++) {
			if (answer_is_question(p, questions[i])) {
				cur = (long)i;
				rest = p + strlen(questions[i]);
				break;
			}
		}
		if (i < n) {
			/* "Why now? Our launch is in May" on one line */
			if (!quoted && rest != NULL) {
				rest = text_trim(rest);
				if (*rest != '\0')
					goto add;
			}
			continue;
		}
		if (quoted)
			continue;
		/* "1. a new website" or "2) in May" */
		if (*p >= '1' && *p <= '9' && (p[1] == '.' || p[1] == ')') &&
		    p[2] == ' ') {
			num = *p - '1';
			if ((size_t)num < n) {
				cur = num;
				rest = text_trim(p + 3);
				goto add;
			}
		}
		if (cur < 0)
			continue;
		rest = p;
add:
		if (strlen(rest) > 500)
			continue;
		if (answers[cur] == NULL) {
			answers[cur] = arena_strdup(a, rest);
			found++;
		} else if (strlen(answers[cur]) < 1000)
			answers[cur] = arena_printf(a, "%s %s", answers[cur],
			    rest);
	}
	return found;
}
