/*
 * What one incoming message is: a reply, an auto-reply, a bounce, an
 * abuse complaint, an unsubscribe request, a new inquiry or other.  A
 * pure function of the parsed message (src/mail/parse.c) and of what the
 * caller looked up (struct inbound_ctx); every verdict says, in `why`,
 * which header or rule decided, so a user can see why mail was read the
 * way it was (docs/inbound.md lists the rules).
 *
 * The order of the rules matters and is the point of this file: the
 * report-shaped messages first (a complaint is a multipart/report too,
 * a bounce quotes our Message-ID and may say Auto-Submitted), then what
 * machines send (auto-replies, lists), then what people send.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mail/inbound.h"

#define DAY	86400

const char *
inbound_class_name(enum inbound_class c)
{
	static const char *const names[] = { "other", "reply", "auto-reply",
	    "bounce", "complaint", "unsubscribe", "inquiry" };

	return (unsigned)c < sizeof names / sizeof names[0] ? names[c] :
	    "other";
}

int
inbound_addr_in(const char *addr, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; addr != NULL && i < n; i++)
		if (list[i] != NULL && strcasecmp(addr, list[i]) == 0)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Small text helpers (ASCII case: the words matched are ASCII or are
 * matched as written)                                                  */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c & 0x80) != 0;
}

/* 1 if s starts with w (w lower case), ignoring ASCII case. */
static int
starts(const char *s, const char *w)
{
	while (*w != '\0') {
		if (lower((unsigned char)*s) != (unsigned char)*w)
			return 0;
		s++;
		w++;
	}
	return 1;
}

/* Where w (lower case) occurs in s ignoring ASCII case; NULL if not. */
static const char *
find(const char *s, const char *w)
{
	for (; s != NULL && *s != '\0'; s++)
		if (starts(s, w))
			return s;
	return NULL;
}

/* Like find, but only where w starts and ends at word boundaries. */
static const char *
find_word(const char *s, const char *w)
{
	const char	*p = s;
	size_t		 n = strlen(w);

	while ((p = find(p, w)) != NULL) {
		if ((p == s || !alnum((unsigned char)p[-1])) &&
		    !alnum((unsigned char)p[n]))
			return p;
		p++;
	}
	return NULL;
}

/* The first of words (lower case) in s, as a word; NULL if none. */
static const char *
any_word(const char *s, const char *const *words, size_t n)
{
	size_t	i;

	for (i = 0; s != NULL && i < n; i++)
		if (find_word(s, words[i]) != NULL)
			return words[i];
	return NULL;
}

/* The local part of addr is one of locals (lower case). */
static int
local_is(const char *addr, const char *const *locals, size_t n)
{
	size_t	i, k;

	for (i = 0; addr != NULL && i < n; i++) {
		k = strlen(locals[i]);
		if (starts(addr, locals[i]) && (addr[k] == '@' ||
		    addr[k] == '\0'))
			return 1;
	}
	return 0;
}

/* 1 if addr is one of m's recipients. */
static int
to_addr(const struct inbound_msg *m, const char *addr)
{
	size_t	i;

	for (i = 0; addr != NULL && i < m->nrcpts; i++)
		if (strcasecmp(m->rcpts[i], addr) == 0)
			return 1;
	return 0;
}

/* 1 if one of m's recipients is in list. */
static int
to_any(const struct inbound_msg *m, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < m->nrcpts; i++)
		if (inbound_addr_in(m->rcpts[i], list, n))
			return 1;
	return 0;
}

/* Skip "Re:", "AW:", "Fwd:" and "[list]" tags at the start of a
 * subject; *reply is set when one was a reply or forward prefix. */
static const char *
subject_core(const char *s, int *reply)
{
	static const char *const pfx[] = { "re:", "re :", "aw:", "sv:",
	    "vs:", "antw:", "ang:", "odp:", "res:", "rif:", "r:", "fw:",
	    "fwd:", "wg:", "tr:", "enc:", "doorst:" };
	size_t	 i;
	int	 again = 1;

	*reply = 0;
	while (s != NULL && again) {
		again = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[') {
			const char *e = strchr(s, ']');

			if (e != NULL && e - s < 64) {
				s = e + 1;
				again = 1;
				continue;
			}
		}
		for (i = 0; i < sizeof pfx / sizeof pfx[0]; i++)
			if (starts(s, pfx[i])) {
				s += strlen(pfx[i]);
				*reply = 1;
				again = 1;
				break;
			}
	}
	return s;
}

/* ------------------------------------------------------------------ */
/* Evidence                                                             */

/* Subjects of bounces: what MTAs put there (lower case). */
static const char *const bounce_subjects[] = {
	"undelivered mail", "undeliverable",
	"delivery status notification (failure)", "delivery failure",
	"delivery failed",
	"failure notice", "returned mail", "mail delivery failed",
	"mail delivery failure", "mail system error", "non-delivery",
	"nondeliverable", "delivery has failed", "could not send message",
	"message not delivered", "undelivered message", "delivery problem",
	"unzustellbar", "non remis", "non recapitable", "no entregado",
	"onbestelbaar", "returned to sender", "rejected:", "failed delivery"
};

/* Subjects of delay notices: delivery is still being tried. */
static const char *const delay_subjects[] = {
	"delayed mail", "delivery delay", "(delay)",
	"delivery status notification (delay)",
	"warning: could not send message",
	"delayed:", "still being retried", "message delayed",
	"warning: message", "delivery delayed"
};

/*
 * Subject phrases of automatic replies (lower case as UTF-8 is
 * written).  The first list reads as automatic anywhere in a subject:
 * nobody types "Automatic reply" to mean anything else.  The second only
 * at the start (after [tags]), and not after "Re:": "Out of office" can
 * be a person's own subject ("Out of office Friday, can we move?").
 */
static const char *const auto_anywhere[] = {
	"automatic reply", "auto reply", "auto-reply", "autoreply",
	"auto response", "auto-response", "autoresponse", "autoresponder",
	"automated response", "automatic response",
	"abwesenheitsnotiz", "automatische antwort",
	"automatische abwesenheitsnotiz", "réponse automatique",
	"reponse automatique",
	"risposta automatica", "respuesta automática",
	"respuesta automatica", "resposta automática", "resposta automatica",
	"automatisch antwoord", "automatisk svar", "automatiskt svar",
	"autosvar", "automaattinen vastaus", "automatyczna odpowiedź",
	"automatická odpověď", "automatikus válasz", "автоответ",
	"автоматический ответ", "自动回复", "自動回覆", "自動応答",
	"otomatik yanıt", "out of office autoreply"
};
static const char *const auto_start[] = {
	"out of office", "out of the office", "out-of-office", "ooo:",
	"ooo ", "away from the office", "away from my desk", "on vacation",
	"on holiday", "on leave", "vacation reply", "vacation:",
	"holiday:", "absence", "absent", "abwesend", "nicht im büro",
	"im urlaub", "urlaub", "ferienabwesenheit", "en congés",
	"absent du bureau", "fuera de la oficina", "fuori ufficio",
	"afwezig", "niet aanwezig", "i am out", "i'm out", "i am away",
	"i'm away", "currently out", "currently away", "away until",
	"away:", "thank you for your email", "thank you for your message",
	"thanks for your email", "thanks for your message",
	"we have received your", "we received your", "ticket received",
	"request received"
};

/* The auto-reply phrase of a subject, or NULL. */
static const char *
auto_subject(const char *subject)
{
	const char	*core;
	size_t		 i;
	int		 reply;

	if (subject == NULL)
		return NULL;
	core = subject_core(subject, &reply);
	for (i = 0; i < sizeof auto_anywhere / sizeof auto_anywhere[0]; i++)
		if (find(subject, auto_anywhere[i]) != NULL)
			return auto_anywhere[i];
	if (reply)
		return NULL;
	for (i = 0; i < sizeof auto_start / sizeof auto_start[0]; i++)
		if (starts(core, auto_start[i]))
			return auto_start[i];
	return NULL;
}

/* Senders that are machines: their mail is never acknowledged, and a
 * local part like these is never a person's reply. */
static const char *const machine_locals[] = {
	"mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster",
	"mail-daemon", "maildaemon", "no-reply", "noreply", "no_reply",
	"donotreply", "do-not-reply", "do_not_reply", "bounce", "bounces",
	"notifications", "notification", "notify", "auto-reply",
	"autoreply", "automailer", "listserv", "majordomo", "daemon"
};

/* 1 if the message comes from a mail system: the null Return-Path,
 * MAILER-DAEMON or postmaster, a "Mail Delivery ..." name. */
static int
from_mta(const struct inbound_msg *m)
{
	static const char *const locals[] = { "mailer-daemon",
	    "mailer_daemon", "mailerdaemon", "postmaster", "mail-daemon",
	    "maildaemon", "mdaemon" };

	if (m->return_path != NULL && m->return_path[0] == '\0')
		return 1;
	if (local_is(m->from_addr, locals, sizeof locals / sizeof locals[0]))
		return 1;
	return m->from_name != NULL && (find(m->from_name, "mail delivery") !=
	    NULL || find(m->from_name, "mailer-daemon") != NULL ||
	    find(m->from_name, "mail administrator") != NULL);
}

/* A recipient of a report that delivery failed for. */
static int
rcpt_failed(const struct inbound_rcpt *r)
{
	if (r->action != NULL)
		return strcmp(r->action, "failed") == 0;
	return r->hard;
}

/* The first failed recipient of m, or NULL. */
static const struct inbound_rcpt *
first_failed(const struct inbound_msg *m)
{
	size_t	i;

	for (i = 0; m->bounced != NULL && i < m->nbounced; i++)
		if (rcpt_failed(&m->bounced[i]))
			return &m->bounced[i];
	return NULL;
}

/* The first delayed recipient of m, or NULL. */
static const struct inbound_rcpt *
first_delayed(const struct inbound_msg *m)
{
	size_t	i;

	for (i = 0; m->bounced != NULL && i < m->nbounced; i++)
		if (m->bounced[i].action != NULL &&
		    strcmp(m->bounced[i].action, "delayed") == 0)
			return &m->bounced[i];
	return NULL;
}

static const char *
q(const char *s)
{
	return s != NULL ? s : "";
}

/* ------------------------------------------------------------------ */
/* The rules                                                            */

/* Rule 1: an RFC 5965 abuse report.  It is a multipart/report too, so
 * it is read before bounces: it must suppress, not count as a bounce. */
static int
rule_complaint(const struct inbound_msg *m, const struct inbound_ctx *ctx,
    struct inbound_verdict *v)
{
	const char	*addr;

	if ((m->report_type == NULL ||
	    strcmp(m->report_type, "feedback-report") != 0) &&
	    m->feedback_type == NULL)
		return 0;
	addr = m->nbounced > 0 ? m->bounced[0].addr : NULL;
	v->cls = INBOUND_COMPLAINT;
	v->unsub_addr = addr;
	/* the report comes from the recipient's provider, not from them:
	 * whom it is about is the reported message's recipient */
	v->contact_id = ctx->thread_contact;
	snprintf(v->why, sizeof v->why, "multipart/report; report-type="
	    "feedback-report (RFC 5965): a %s report%s%s%s",
	    m->feedback_type != NULL ? m->feedback_type : "feedback",
	    addr != NULL ? " about '" : "", q(addr), addr != NULL ? "'" : "");
	return 1;
}

/*
 * A bounce that is no report: a mail system's notice, known by the
 * failed addresses its text names (read by the parser) or by its
 * subject.  A delay notice is other.
 */
static int
bounce_notice(const struct inbound_msg *m, const struct inbound_rcpt *f,
    const struct inbound_rcpt *d, struct inbound_verdict *v)
{
	const char	*subj;

	subj = m->subject;
	if (f == NULL && (d != NULL || any_word(subj, delay_subjects,
	    sizeof delay_subjects / sizeof delay_subjects[0]) != NULL)) {
		v->cls = INBOUND_OTHER;
		snprintf(v->why, sizeof v->why, "a mail system's notice that "
		    "delivery%s%s%s is delayed, not failed: not a bounce",
		    d != NULL ? " to '" : "", d != NULL ? d->addr : "",
		    d != NULL ? "'" : "");
		return 1;
	}
	if (f != NULL) {
		v->cls = INBOUND_BOUNCE;
		snprintf(v->why, sizeof v->why, "a bounce from the mail "
		    "system (%s): delivery to '%s' failed%s%s",
		    m->return_path != NULL && m->return_path[0] == '\0' ?
		    "Return-Path: <>" : q(m->from_addr), f->addr,
		    f->status != NULL ? " with " : "", q(f->status));
		return 1;
	}
	if (any_word(subj, bounce_subjects, sizeof bounce_subjects /
	    sizeof bounce_subjects[0]) != NULL) {
		v->cls = INBOUND_BOUNCE;
		snprintf(v->why, sizeof v->why, "a bounce from the mail "
		    "system: the subject '%.80s' from %s (no failed address "
		    "could be read)", subj, m->from_addr != NULL ?
		    m->from_addr : "Return-Path: <>");
		return 1;
	}
	return 0;
}

/*
 * Rule 2: bounces.  An RFC 3464 report counts when it names a failed
 * recipient; one that only says "delayed" is no bounce (delivery is
 * still being tried) and is other, never a reply.  The non-standard ones
 * (Gmail's text, qmail, Exim) show as X-Failed-Recipients, or as a mail
 * system's sender with a bounce subject or failed addresses in its text.
 * Since a bounce quotes our Message-ID, this rule comes before replies.
 */
static int
rule_bounce(const struct inbound_msg *m, const struct inbound_ctx *ctx,
    struct inbound_verdict *v)
{
	const struct inbound_rcpt	*f, *d;
	int				 dsn, mta;

	dsn = m->report_type != NULL &&
	    strcmp(m->report_type, "delivery-status") == 0;
	mta = from_mta(m);
	f = first_failed(m);
	d = first_delayed(m);
	v->contact_id = ctx->thread_contact;
	if (dsn && f != NULL) {
		v->cls = INBOUND_BOUNCE;
		snprintf(v->why, sizeof v->why, "multipart/report; report-"
		    "type=delivery-status (RFC 3464): delivery to '%s' "
		    "failed%s%s", f->addr, f->status != NULL ? " with " : "",
		    q(f->status));
		return 1;
	}
	if (dsn && d != NULL) {
		v->cls = INBOUND_OTHER;
		snprintf(v->why, sizeof v->why, "a delivery-status report "
		    "(RFC 3464) that says delivery to '%s' is delayed, not "
		    "failed: not a bounce", d->addr);
		return 1;
	}
	if (dsn && mta) {
		v->cls = INBOUND_OTHER;
		snprintf(v->why, sizeof v->why, "a delivery-status report "
		    "(RFC 3464) with no failed recipient: not a bounce");
		return 1;
	}
	if (m->failed_hdr && f != NULL) {
		v->cls = INBOUND_BOUNCE;
		snprintf(v->why, sizeof v->why, "X-Failed-Recipients: "
		    "delivery to '%s' failed%s%s", f->addr,
		    f->status != NULL ? " with " : "", q(f->status));
		return 1;
	}
	if (mta && bounce_notice(m, f, d, v))
		return 1;
	v->contact_id = 0;
	return 0;
}

/* 1 and why if m carries an automatic sign in its headers. */
static int
auto_headers(const struct inbound_msg *m, char *why, size_t n)
{
	if (m->auto_submitted != NULL && !(starts(m->auto_submitted, "no") &&
	    !alnum((unsigned char)m->auto_submitted[2]))) {
		snprintf(why, n, "Auto-Submitted: %.60s (RFC 3834)",
		    m->auto_submitted);
		return 1;
	}
	if (m->x_autoreply) {
		snprintf(why, n, "X-Autoreply (an autoresponder's header)");
		return 1;
	}
	if (m->apple_vacation) {
		snprintf(why, n, "X-Apple-Action: VACATION (iCloud's "
		    "vacation reply)");
		return 1;
	}
	if (m->exchange_auto) {
		snprintf(why, n, "X-MS-Exchange-Inbox-Rules-Loop: sent by an "
		    "Exchange inbox rule (automatic reply)");
		return 1;
	}
	if (m->report_type != NULL &&
	    strcmp(m->report_type, "disposition-notification") == 0) {
		/* a read receipt answers our message but is no one's
		 * reply: a machine sent it when the message was opened */
		snprintf(why, n, "a read receipt (multipart/report; report-"
		    "type=disposition-notification, RFC 8098)");
		return 1;
	}
	if (m->precedence != NULL && (starts(m->precedence, "auto_reply") ||
	    starts(m->precedence, "bulk") || starts(m->precedence, "junk"))) {
		snprintf(why, n, "Precedence: %.30s (automated mail)",
		    m->precedence);
		return 1;
	}
	return 0;
}

/* 1 if m came through a mailing list. */
static int
is_list(const struct inbound_msg *m)
{
	return m->list || (m->precedence != NULL &&
	    starts(m->precedence, "list"));
}

/* Set the return date of an auto-reply, from its subject or text. */
static void
auto_back(const struct inbound_msg *m, int64_t ref,
    struct inbound_verdict *v)
{
	const char	*at = NULL;
	int64_t		 t = 0;

	if (m->subject != NULL)
		t = inbound_return_date(m->subject, ref, &at);
	if (t == 0 && m->text != NULL)
		t = inbound_return_date(m->text, ref, &at);
	if (t != 0) {
		v->back_on = t;
		v->back_text = at;
	}
}

/*
 * Rule 3: auto-replies.  The headers RFC 3834 and the big providers
 * set come first; an auto-reply is one even when it has In-Reply-To to
 * our message (iCloud's does), so this rule comes before replies.  With
 * no header, an automatic-reply subject is evidence when the message is
 * not from a person replying by other evidence: it comes from the null
 * Return-Path (RFC 3834 5.1: auto-replies go there), or asks for no
 * auto-reply itself (X-Auto-Response-Suppress), or is not a "Re:" of a
 * thread of ours, which a person's reply would be.
 */
static int
rule_auto(const struct inbound_msg *m, const struct inbound_ctx *ctx,
    int64_t ref, struct inbound_verdict *v)
{
	const char	*phrase;
	char		 why[INBOUND_WHY_MAX];
	int		 reply;

	why[0] = '\0';
	if (!auto_headers(m, why, sizeof why)) {
		phrase = auto_subject(m->subject);
		if (phrase == NULL)
			return 0;
		subject_core(m->subject, &reply);
		if (!(m->return_path != NULL && m->return_path[0] == '\0') &&
		    !m->auto_suppress && reply && ctx->thread_contact != 0)
			return 0;
		snprintf(why, sizeof why, "the subject reads as an automatic "
		    "reply ('%s')%s", phrase, m->return_path != NULL &&
		    m->return_path[0] == '\0' ? " and Return-Path is <>" :
		    m->auto_suppress ? " and X-Auto-Response-Suppress is set"
		    : "");
	}
	v->cls = INBOUND_AUTOREPLY;
	v->contact_id = ctx->from_contact != 0 ? ctx->from_contact :
	    ctx->thread_contact;
	memcpy(v->why, why, sizeof v->why);
	auto_back(m, ref, v);
	return 1;
}

/* The words of a subject that asks to be removed, from a known contact
 * (lower case, matched as the whole subject but punctuation). */
static const char *const unsub_bare[] = {
	"unsubscribe", "unsubscribe me", "please unsubscribe",
	"please unsubscribe me", "remove me", "please remove me", "remove",
	"remove me from your list", "stop", "opt out", "opt-out",
	"abmelden", "austragen", "bitte austragen", "désabonner",
	"désinscription", "se désabonner", "me désabonner", "désinscrire",
	"baja", "darse de baja", "cancellami", "afmelden", "uitschrijven"
};

/* 1 if subject, but case, spaces and trailing punctuation, is w. */
static int
subject_is(const char *subject, const char *w)
{
	size_t	n = strlen(w);

	while (*subject == ' ' || *subject == '\t')
		subject++;
	if (!starts(subject, w))
		return 0;
	subject += n;
	while (*subject == ' ' || *subject == '.' || *subject == '!' ||
	    *subject == '\t')
		subject++;
	return *subject == '\0';
}

/*
 * Rule 4: unsubscribe requests.  tend's List-Unsubscribe mailto is
 * "mailto:FROM?subject=unsubscribe%20TOKEN": a message to that address
 * (or any of the user's own) whose subject is "unsubscribe TOKEN".  The
 * token names the contact; the sender's address is what to suppress.
 * A bare "unsubscribe" or "remove me" from a known contact counts too.
 */
static int
rule_unsub(const struct inbound_msg *m, const struct inbound_ctx *ctx,
    struct inbound_verdict *v)
{
	const char	*s, *tok;
	size_t		 i, n;
	int		 ours, reply;

	if (m->subject == NULL)
		return 0;
	s = subject_core(m->subject, &reply);
	ours = (ctx->unsub_addr != NULL && to_addr(m, ctx->unsub_addr)) ||
	    to_any(m, ctx->own, ctx->nown);
	/* what a mail program makes of the mailto: the word and at most
	 * one token, no "Re:"; "Unsubscribe link broken?" is a person */
	if (ours && !reply && starts(s, "unsubscribe") && (s[11] == '\0' ||
	    s[11] == ' ' || s[11] == '\t')) {
		tok = s + 11;
		while (*tok == ' ' || *tok == '\t')
			tok++;
		n = strcspn(tok, " \t");
		if (tok[n + strspn(tok + n, " \t")] == '\0') {
			v->cls = INBOUND_UNSUBSCRIBE;
			v->unsub_token = n > 0 ? tok : NULL;
			v->unsub_addr = m->from_addr;
			v->contact_id = ctx->from_contact;
			/* the token itself stays out of why, which is
			 * shown and logged: it is as good as a password
			 * for this one address */
			snprintf(v->why, sizeof v->why, "to %s with the "
			    "subject 'unsubscribe%s' (the List-Unsubscribe "
			    "mailto)", ctx->unsub_addr != NULL &&
			    to_addr(m, ctx->unsub_addr) ?
			    "the unsubscribe address" : "your address",
			    v->unsub_token != NULL ? " TOKEN" : "");
			return 1;
		}
	}
	if (ctx->from_contact == 0)
		return 0;
	for (i = 0; i < sizeof unsub_bare / sizeof unsub_bare[0]; i++)
		if (subject_is(s, unsub_bare[i])) {
			v->cls = INBOUND_UNSUBSCRIBE;
			v->unsub_addr = m->from_addr;
			v->contact_id = ctx->from_contact;
			snprintf(v->why, sizeof v->why, "a contact's address "
			    "'%s' asks to be removed (subject '%s')",
			    q(m->from_addr), unsub_bare[i]);
			return 1;
		}
	return 0;
}

/*
 * Rule 5: replies.  A reference to a message tend sent counts only when
 * the sender is that contact (one of their addresses, or their company's
 * domain where the sequence allows it): anyone can reply to a thread
 * they were copied on.  Without a thread, mail from a contact's known
 * address is a reply too.
 */
/* "Ann Lee", or "contact 12" when the caller gave no name. */
static void
who(char *buf, size_t n, const char *name, int64_t id)
{
	if (name != NULL && *name != '\0')
		snprintf(buf, n, "%s", name);
	else
		snprintf(buf, n, "contact %lld", (long long)id);
}

static int
rule_reply(const struct inbound_msg *m, const struct inbound_ctx *ctx,
    struct inbound_verdict *v)
{
	char	tw[96], fw[96];

	who(tw, sizeof tw, ctx->thread_name, ctx->thread_contact);
	who(fw, sizeof fw, ctx->from_name, ctx->from_contact);
	if (ctx->thread_contact != 0) {
		if (ctx->from_contact == ctx->thread_contact) {
			v->cls = INBOUND_REPLY;
			v->contact_id = ctx->thread_contact;
			snprintf(v->why, sizeof v->why, "In-Reply-To/References"
			    " name a message tend sent to %s, and "
			    "'%s' is one of their addresses",
			    tw, q(m->from_addr));
			return 1;
		}
		if (ctx->same_domain) {
			v->cls = INBOUND_REPLY;
			v->contact_id = ctx->thread_contact;
			snprintf(v->why, sizeof v->why, "In-Reply-To/References"
			    " name a message tend sent to %s, and "
			    "'%s' is at their company's domain",
			    tw, q(m->from_addr));
			return 1;
		}
		if (ctx->from_contact != 0) {
			/* another contact answering on the thread: their
			 * reply, not the thread's contact's */
			v->cls = INBOUND_REPLY;
			v->contact_id = ctx->from_contact;
			snprintf(v->why, sizeof v->why, "'%s' is an address of "
			    "%s, replying on a thread tend sent to %s",
			    q(m->from_addr), fw, tw);
			return 1;
		}
		v->cls = INBOUND_OTHER;
		v->contact_id = 0;
		snprintf(v->why, sizeof v->why, "In-Reply-To/References name a "
		    "message tend sent to %s, but the sender '%s' "
		    "is not one of their addresses",
		    tw, q(m->from_addr));
		return 1;
	}
	if (ctx->from_contact != 0) {
		v->cls = INBOUND_REPLY;
		v->contact_id = ctx->from_contact;
		snprintf(v->why, sizeof v->why, "'%s' is an address of %s",
		    q(m->from_addr), fw);
		return 1;
	}
	return 0;
}

/*
 * Rule 6: new inquiries: mail to the inquiry address, or from anyone
 * unknown when the user asked for that.  Machines get no
 * acknowledgement (RFC 3834 2: never answer a list, bulk mail or the
 * null sender).
 */
static int
rule_inquiry(const struct inbound_msg *m, const struct inbound_ctx *ctx,
    struct inbound_verdict *v)
{
	int	addressed, machine;

	addressed = ctx->inquiry_addr != NULL && to_addr(m, ctx->inquiry_addr);
	if (!addressed && !(ctx->unknown_inquiry && ctx->from_contact == 0 &&
	    m->from_addr != NULL))
		return 0;
	machine = local_is(m->from_addr, machine_locals,
	    sizeof machine_locals / sizeof machine_locals[0]) ||
	    (m->from_addr != NULL && (find(m->from_addr, "noreply") != NULL ||
	    find(m->from_addr, "no-reply") != NULL ||
	    find(m->from_addr, "donotreply") != NULL));
	v->cls = INBOUND_INQUIRY;
	v->contact_id = ctx->from_contact;
	v->no_ack = is_list(m) || machine || m->auto_suppress ||
	    m->from_addr == NULL || (m->return_path != NULL &&
	    m->return_path[0] == '\0') || (m->precedence != NULL &&
	    (starts(m->precedence, "bulk") || starts(m->precedence, "junk")));
	snprintf(v->why, sizeof v->why, "%s%s", addressed ?
	    "to the inquiry address" : "from an unknown sender (unknown mail "
	    "is read as an inquiry)", !v->no_ack ? "" : is_list(m) ?
	    "; no acknowledgement: mailing-list mail" : machine ?
	    "; no acknowledgement: the sender is a machine" :
	    "; no acknowledgement: automated mail");
	return 1;
}

/*
 * Drop what is not whole UTF-8 from why, in place: "%.80s" and the size
 * of why can cut a character of the subject or an address in two.
 */
static void
why_utf8(char *why)
{
	unsigned char	*p = (unsigned char *)why;
	size_t		 i = 0, o = 0, n, k, len;

	n = strlen(why);
	while (i < n) {
		if (p[i] < 0x80)
			len = 1;
		else if (p[i] >= 0xc2 && p[i] <= 0xdf)
			len = 2;
		else if (p[i] >= 0xe0 && p[i] <= 0xef)
			len = 3;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			len = 4;
		else
			len = 0;
		for (k = 1; len > 0 && k < len; k++)
			if (i + k >= n || (p[i + k] & 0xc0) != 0x80)
				len = 0;
		/* no overlong three- and four-byte forms, no surrogates */
		if (len == 3 && ((p[i] == 0xe0 && p[i + 1] < 0xa0) ||
		    (p[i] == 0xed && p[i + 1] >= 0xa0)))
			len = 0;
		if (len == 4 && ((p[i] == 0xf0 && p[i + 1] < 0x90) ||
		    (p[i] == 0xf4 && p[i + 1] >= 0x90)))
			len = 0;
		if (len == 0) {
			i++;
			continue;
		}
		memmove(p + o, p + i, len);
		o += len;
		i += len;
	}
	p[o] = '\0';
}

static void	classify(const struct inbound_msg *,
		    const struct inbound_ctx *, int64_t,
		    struct inbound_verdict *);

void
inbound_classify(const struct inbound_msg *m, const struct inbound_ctx *ctx,
    int64_t ref, struct inbound_verdict *v)
{
	classify(m, ctx, ref, v);
	why_utf8(v->why);
}

static void
classify(const struct inbound_msg *m, const struct inbound_ctx *ctx,
    int64_t ref, struct inbound_verdict *v)
{
	static const struct inbound_ctx	 none;
	char				 why[INBOUND_WHY_MAX];

	memset(v, 0, sizeof *v);
	v->cls = INBOUND_OTHER;
	if (ctx == NULL)
		ctx = &none;
	if (m == NULL) {
		snprintf(v->why, sizeof v->why, "no message");
		return;
	}
	if (rule_complaint(m, ctx, v) || rule_bounce(m, ctx, v))
		return;
	/* the user's own Sent copies (and their own autoresponder's) are
	 * never a reply, an inquiry or a request */
	if (m->from_addr != NULL && inbound_addr_in(m->from_addr, ctx->own,
	    ctx->nown)) {
		snprintf(v->why, sizeof v->why, "From '%s' is one of your own "
		    "addresses: your copy, never a reply", m->from_addr);
		return;
	}
	if (rule_auto(m, ctx, ref, v))
		return;
	/*
	 * A mailing list relays people's mail: a post that answers a
	 * message tend sent is a reply like any (the rules below decide);
	 * any other list mail is not for tend, except as an inquiry that
	 * gets no acknowledgement.
	 */
	if (is_list(m) && ctx->thread_contact == 0) {
		if (rule_inquiry(m, ctx, v) && ctx->inquiry_addr != NULL &&
		    to_addr(m, ctx->inquiry_addr))
			return;
		memset(v, 0, sizeof *v);
		snprintf(v->why, sizeof v->why, "mailing-list mail (%s) that "
		    "answers no message tend sent", m->list ? "List-Id" :
		    "Precedence: list");
		return;
	}
	if (rule_unsub(m, ctx, v))
		return;
	if (rule_reply(m, ctx, v)) {
		if (v->cls == INBOUND_REPLY && is_list(m)) {
			memcpy(why, v->why, sizeof why);
			snprintf(v->why, sizeof v->why, "%.200s (relayed by a "
			    "mailing list)", why);
		}
		return;
	}
	if (rule_inquiry(m, ctx, v))
		return;
	memset(v, 0, sizeof *v);
	snprintf(v->why, sizeof v->why, "no rule matched: not from a contact, "
	    "not on a thread tend sent%s", ctx->inquiry_addr != NULL ?
	    ", not to the inquiry address" : "");
}

/* ------------------------------------------------------------------ */
/* Return dates                                                         */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t		era, doe, yoe, doy, mp;

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

static int
month_days(int64_t y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* The day number of y-m-d, or -1 when it is no date. */
static int64_t
date_day(int64_t y, int m, int d)
{
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > month_days(y, m))
		return -1;
	return days_from_civil(y, m, d);
}

/* A return date is believed from ref's day up to a year ahead: an
 * auto-reply does not come back from the past, and a date further out is
 * more likely a misread than a sabbatical. */
static int
in_window(int64_t day, int64_t today)
{
	return day >= today && day <= today + 366;
}

/* y-m-d without a year: the next one on or after today. */
static int64_t
next_date(int m, int d, int64_t today)
{
	int64_t	y, day;
	int	tm, td;

	civil_from_days(today, &y, &tm, &td);
	day = date_day(y, m, d);
	if (day < 0 || day < today)
		day = date_day(y + 1, m, d);
	/* a 29 February that is years away reads as no date */
	return day;
}

/* Month names, by number: English first (with its 3-letter forms, and
 * "sept"), then German, French, Spanish, Italian, Dutch. */
static const struct {
	const char	*name;
	int		 month;
} months[] = {
	{ "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 },
	{ "may", 5 }, { "june", 6 }, { "july", 7 }, { "august", 8 },
	{ "september", 9 }, { "october", 10 }, { "november", 11 },
	{ "december", 12 }, { "sept", 9 },
	{ "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 },
	{ "jun", 6 }, { "jul", 7 }, { "aug", 8 }, { "sep", 9 },
	{ "oct", 10 }, { "nov", 11 }, { "dec", 12 },
	{ "januar", 1 }, { "jänner", 1 }, { "februar", 2 }, { "märz", 3 },
	{ "maerz", 3 }, { "mai", 5 }, { "juni", 6 }, { "juli", 7 },
	{ "oktober", 10 }, { "dezember", 12 }, { "okt", 10 }, { "dez", 12 },
	{ "janvier", 1 }, { "février", 2 }, { "fevrier", 2 }, { "mars", 3 },
	{ "avril", 4 }, { "juin", 6 }, { "juillet", 7 }, { "août", 8 },
	{ "aout", 8 }, { "septembre", 9 }, { "octobre", 10 },
	{ "novembre", 11 }, { "décembre", 12 }, { "decembre", 12 },
	{ "enero", 1 }, { "febrero", 2 }, { "marzo", 3 }, { "abril", 4 },
	{ "mayo", 5 }, { "junio", 6 }, { "julio", 7 }, { "agosto", 8 },
	{ "septiembre", 9 }, { "setiembre", 9 }, { "octubre", 10 },
	{ "noviembre", 11 }, { "diciembre", 12 },
	{ "gennaio", 1 }, { "febbraio", 2 }, { "aprile", 4 },
	{ "maggio", 5 }, { "giugno", 6 }, { "luglio", 7 },
	{ "settembre", 9 }, { "ottobre", 10 }, { "dicembre", 12 },
	{ "januari", 1 }, { "februari", 2 }, { "maart", 3 }, { "mei", 5 },
	{ "augustus", 8 }
};

/* Weekdays, 0 = Monday. */
static const struct {
	const char	*name;
	int		 wday;
} wdays[] = {
	{ "monday", 0 }, { "tuesday", 1 }, { "wednesday", 2 },
	{ "thursday", 3 }, { "friday", 4 }, { "saturday", 5 },
	{ "sunday", 6 }, { "mon", 0 }, { "tues", 1 }, { "tue", 1 },
	{ "wed", 2 }, { "thurs", 3 }, { "thur", 3 }, { "thu", 3 },
	{ "fri", 4 }, { "sat", 5 }, { "sun", 6 },
	{ "montag", 0 }, { "dienstag", 1 }, { "mittwoch", 2 },
	{ "donnerstag", 3 }, { "freitag", 4 }, { "samstag", 5 },
	{ "sonnabend", 5 }, { "sonntag", 6 },
	{ "lundi", 0 }, { "mardi", 1 }, { "mercredi", 2 }, { "jeudi", 3 },
	{ "vendredi", 4 }, { "samedi", 5 }, { "dimanche", 6 },
	{ "lunes", 0 }, { "martes", 1 }, { "miércoles", 2 },
	{ "miercoles", 2 }, { "jueves", 3 }, { "viernes", 4 },
	{ "sábado", 5 }, { "sabado", 5 }, { "domingo", 6 },
	{ "maandag", 0 }, { "dinsdag", 1 }, { "woensdag", 2 },
	{ "donderdag", 3 }, { "vrijdag", 4 }, { "zaterdag", 5 },
	{ "zondag", 6 }
};

/* The length of the word at s (letters, including UTF-8 ones). */
static size_t
word_len(const char *s)
{
	size_t	n = 0;

	while (s[n] != '\0' && (alnum((unsigned char)s[n]) &&
	    !(s[n] >= '0' && s[n] <= '9')))
		n++;
	return n;
}

/* The month named by the word at s (n bytes), 0 if none; a name may
 * end in "." ("Dec."). */
static int
month_at(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < sizeof months / sizeof months[0]; i++)
		if (strlen(months[i].name) == n && starts(s, months[i].name))
			return months[i].month;
	return 0;
}

static int
wday_at(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < sizeof wdays / sizeof wdays[0]; i++)
		if (strlen(wdays[i].name) == n && starts(s, wdays[i].name))
			return wdays[i].wday;
	return -1;
}

/* A number of at most max digits at *s; -1 if none.  Moves *s past. */
static int
number(const char **s, int max)
{
	const char	*p = *s;
	int		 v = 0, n = 0;

	while (*p >= '0' && *p <= '9') {
		if (++n > max)
			return -1;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (n == 0)
		return -1;
	*s = p;
	return v;
}

static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == ',')
		s++;
	return s;
}

/* A day of the month with its ordinal ending: "2", "2nd", "2.", "2e",
 * "2er"; -1 if none. */
static int
day_at(const char **s)
{
	const char	*p = *s;
	int		 d;

	d = number(&p, 2);
	if (d < 1 || d > 31)
		return -1;
	if (starts(p, "st") || starts(p, "nd") || starts(p, "rd") ||
	    starts(p, "th"))
		p += 2;
	else if (starts(p, "er") && !alnum((unsigned char)p[2]))
		p += 2;
	else if (*p == '.' && !(p[1] >= '0' && p[1] <= '9'))
		p++;
	else if (starts(p, "e") && !alnum((unsigned char)p[1]))
		p++;
	else if (starts(p, "º") || starts(p, "°"))
		p += 2;
	if (alnum((unsigned char)*p))
		return -1;
	*s = p;
	return d;
}

/* An optional year after a date ("2026", "'26"); -1 if none. */
static int64_t
year_at(const char **s)
{
	const char	*p = skip_space(*s);
	int		 y;

	if (*p == '\'')
		p++;
	y = number(&p, 4);
	if (y < 0 || alnum((unsigned char)*p) || (*p == ':'))
		return -1;
	if (y < 100)
		y += 2000;
	else if (y < 1970)
		return -1;
	*s = p;
	return y;
}

/*
 * Numbers: ISO 2026-12-02, and d/m/y, d.m.y, d-m-y with or without the
 * year.  Two numbers that could each be the day (12/03) are read day
 * first, as most of the world writes them; month first only when
 * day-first is impossible: no such date, or not in the window (a past
 * date is no return date, and 12/03 read in November means December 3
 * in the US way of writing).
 */
static int64_t
numeric_date(const char *s, int64_t today, const char **end)
{
	const char	*p = s;
	int64_t		 y = -1, day;
	int		 a, b, c = -1;
	char		 sep;

	a = number(&p, 4);
	if (a < 0 || (*p != '/' && *p != '.' && *p != '-'))
		return -1;
	sep = *p++;
	b = number(&p, 2);
	if (b < 0)
		return -1;
	if (*p == sep && p[1] >= '0' && p[1] <= '9') {
		p++;
		c = number(&p, 4);
		if (c < 0)
			return -1;
	} else if (sep == '.' && *p == '.')
		p++;	/* German "2.12." */
	if (alnum((unsigned char)*p) || (*p == ':'))
		return -1;
	*end = p;
	if (a >= 1000) {		/* ISO */
		if (c < 0 || sep != '-')
			return -1;
		return date_day(a, b, c);
	}
	if (c >= 0)
		y = c < 100 ? c + 2000 : c;
	if (a > 31)
		return -1;
	day = y >= 0 ? date_day(y, b, a) : next_date(b, a, today);
	if (day >= 0 && in_window(day, today))
		return day;
	day = y >= 0 ? date_day(y, a, b) : next_date(a, b, today);
	return day;
}

/* Words that may stand between a trigger and its date (lower case). */
static const char *const fillers[] = {
	"on", "in", "to", "the", "office", "work", "at", "my", "desk",
	"again", "by", "around", "from", "of", "and", "including",
	"inclusive", "incl", "next", "be", "will", "i", "am", "we", "are",
	"is", "le", "la", "les", "au", "du", "de", "à", "a", "partir",
	"dès", "bureau", "el", "il", "al", "día", "dia", "giorno", "am",
	"zum", "zur", "dem", "den", "der", "ab", "im", "büro", "einschl",
	"einschließlich", "einschliesslich", "inklusive", "erreichbar",
	"wieder", "en", "met", "op", "of", "the", "week", "starting",
	"mid", "late", "early", "following", "wk", "mon", "office,"
};

static int
filler_at(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < sizeof fillers / sizeof fillers[0]; i++)
		if (strlen(fillers[i]) == n && starts(s, fillers[i]))
			return 1;
	return 0;
}

/*
 * The date at s, as a day number, or -1: "2 December [2026]",
 * "December 2[nd][, 2026]", "Wednesday, December 2", "the 2nd of
 * December", "Monday", "tomorrow", numeric forms.  A weekday alone is
 * the next one after today; a date without a year the next one on or
 * after today.
 */
static int64_t
date_at(const char *s, int64_t today, const char **end)
{
	const char	*p = s, *q0;
	int64_t		 y, day;
	int		 d, m, wd = -1;
	size_t		 n;

	if (starts(p, "tomorrow") || starts(p, "morgen")) {
		*end = p + word_len(p);
		return today + 1;
	}
	n = word_len(p);
	if (n > 0 && (wd = wday_at(p, n)) >= 0) {
		p = skip_space(p + n);
		if (*p == '.')
			p = skip_space(p + 1);
		if (starts(p, "the ") )
			p += 4;
		else if (starts(p, "le ") || starts(p, "den ") ||
		    starts(p, "el "))
			p += p[1] == 'e' && p[2] == 'n' ? 4 : 3;
	}
	if (*p >= '0' && *p <= '9') {
		q0 = p;
		day = numeric_date(p, today, end);
		if (day >= 0)
			return day;
		p = q0;
		d = day_at(&p);
		if (d > 0) {
			p = skip_space(p);
			if (starts(p, "of "))
				p = skip_space(p + 3);
			else if (starts(p, "de "))
				p = skip_space(p + 3);
			n = word_len(p);
			m = n > 0 ? month_at(p, n) : 0;
			if (m > 0) {
				p += n;
				if (*p == '.')
					p++;
				q0 = p;
				y = year_at(&p);
				if (y < 0)
					p = q0;
				*end = p;
				return y >= 0 ? date_day(y, m, d) :
				    next_date(m, d, today);
			}
		}
		p = q0;
	}
	n = word_len(p);
	m = n > 0 ? month_at(p, n) : 0;
	if (m > 0) {
		p += n;
		if (*p == '.')
			p++;
		p = skip_space(p);
		if (starts(p, "the "))
			p += 4;
		d = day_at(&p);
		if (d > 0) {
			q0 = p;
			y = year_at(&p);
			if (y < 0)
				p = q0;
			*end = p;
			return y >= 0 ? date_day(y, m, d) :
			    next_date(m, d, today);
		}
	}
	if (wd >= 0) {
		int64_t	tw;

		/* 1970-01-01 was a Thursday (3) */
		tw = ((today % 7) + 7 + 3) % 7;
		*end = s + word_len(s);
		return today + 1 + (wd - tw + 6) % 7;
	}
	return -1;
}

/* The words after which an out-of-office names its return (lower
 * case; a date must follow, perhaps after a few fillers). */
static const char *const triggers[] = {
	"back", "return", "returning", "returns", "returned", "until",
	"till", "til", "through", "thru", "to", "available", "reachable",
	"bis", "zurück", "zurueck", "wieder", "jusqu'au", "jusqu’au",
	"jusqu'à", "jusqu’à", "jusqu'a", "retour", "de retour", "hasta",
	"regreso", "regresaré", "volveré", "fino", "rientro", "tot",
	"terug", "dal", "vanaf", "a partir"
};

int64_t
inbound_return_date(const char *text, int64_t ref, const char **at)
{
	const char	*p, *w, *end;
	int64_t		 today, day;
	size_t		 i, n, k;
	int		 skipped;

	*at = NULL;
	if (text == NULL)
		return 0;
	today = ref >= 0 ? ref / DAY : -((-ref + DAY - 1) / DAY);
	for (p = text; *p != '\0'; p++) {
		if (p > text && alnum((unsigned char)p[-1]))
			continue;
		for (i = 0; i < sizeof triggers / sizeof triggers[0]; i++) {
			n = strlen(triggers[i]);
			if (!starts(p, triggers[i]) ||
			    alnum((unsigned char)p[n]))
				continue;
			w = p + n;
			for (skipped = 0; skipped <= 6; skipped++) {
				while (*w == ' ' || *w == '\t' || *w == '\n' ||
				    *w == ':' || *w == ',' || *w == '-' ||
				    *w == '(')
					w++;
				end = NULL;
				day = date_at(w, today, &end);
				if (day >= 0 && in_window(day, today)) {
					*at = p;
					return day * DAY;
				}
				k = word_len(w);
				if (k == 0 || !filler_at(w, k))
					break;
				w += k;
				if (*w == '\'' || *w == '.')
					w++;
			}
		}
	}
	return 0;
}
