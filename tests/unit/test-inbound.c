/*
 * Unit tests for reading incoming mail: src/mail/parse.c (GMime into
 * struct inbound_msg) and src/mail/inbound.c (the classifier and the
 * return-date reader).  Every file of ../shared/corpus/eml has a row
 * with the context a real caller would look up; synthetic messages
 * cover what the corpus does not (complaints, unsubscribe requests,
 * Exim and qmail bounces, delay notices, lists) and broken mail, which
 * must parse without a crash and get a sensible class.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "mail/inbound.h"
#include "mail/mime.h"
#include "mail/parse.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define CORPUS	"../shared/corpus/eml"
#define NOW	((int64_t)1795424400)	/* 2026-11-23T09:00:00Z, a Monday */
#define DAY(s)	day_of(s)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* 00:00 UTC of "YYYY-MM-DD". */
static int64_t
day_of(const char *s)
{
	int	y, m, d;
	int64_t	days;

	if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
		fail_msg("bad date %s", s);
	/* days from civil, as in inbound.c, written again here */
	y -= m <= 2;
	{
		int64_t era = (y >= 0 ? y : y - 399) / 400;
		int64_t yoe = y - era * 400;
		int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = era * 146097 + doe - 719468;
	}
	return days * 86400;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		fail_msg("cannot read %s", path);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A string of the record: valid UTF-8, no control character but tab
 * and LF (and none at all when one-line). */
static void
check_str(const char *what, const char *s, int multiline)
{
	const unsigned char	*p;
	size_t			 n, i;

	if (s == NULL)
		return;
	p = (const unsigned char *)s;
	n = strlen(s);
	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		size_t k, len;

		if (c < 0x80) {
			if ((c < 0x20 && !(multiline && (c == '\n' ||
			    c == '\t')) && !(c == '\t')) || c == 0x7f)
				fail_msg("%s: control 0x%02x at %zu", what, c,
				    i);
			if (!multiline && c == '\n')
				fail_msg("%s: LF in a one-line value", what);
			continue;
		}
		len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (len == 0 || c > 0xf4 || i + len > n)
			fail_msg("%s: bad UTF-8 at %zu", what, i);
		for (k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				fail_msg("%s: bad UTF-8 at %zu", what, i);
		if (c == 0xc2 && p[i + 1] < 0xa0)
			fail_msg("%s: C1 control at %zu", what, i);
		i += len - 1;
	}
}

/* Every string of m is clean. */
static void
check_clean(const struct inbound_msg *m)
{
	size_t	i;

	check_str("message_id", m->message_id, 0);
	for (i = 0; i < m->nrefs; i++)
		check_str("ref", m->refs[i], 0);
	check_str("from_addr", m->from_addr, 0);
	check_str("from_name", m->from_name, 0);
	check_str("reply_to", m->reply_to, 0);
	check_str("sender", m->sender, 0);
	check_str("return_path", m->return_path, 0);
	for (i = 0; i < m->nrcpts; i++)
		check_str("rcpt", m->rcpts[i], 0);
	check_str("subject", m->subject, 0);
	check_str("text", m->text, 1);
	if (m->text != NULL)
		assert_true(strlen(m->text) <= INBOUND_TEXT_MAX);
	check_str("auto_submitted", m->auto_submitted, 0);
	check_str("precedence", m->precedence, 0);
	check_str("content_type", m->content_type, 0);
	check_str("report_type", m->report_type, 0);
	for (i = 0; i < m->nbounced; i++) {
		assert_non_null(m->bounced[i].addr);
		check_str("bounced.addr", m->bounced[i].addr, 0);
		check_str("bounced.status", m->bounced[i].status, 0);
		check_str("bounced.action", m->bounced[i].action, 0);
		check_str("bounced.diagnostic", m->bounced[i].diagnostic, 0);
	}
	check_str("orig_message_id", m->orig_message_id, 0);
	check_str("feedback_type", m->feedback_type, 0);
}

static struct inbound_msg *
parse_ok(const char *raw, size_t len)
{
	struct inbound_msg	*m = NULL;
	struct err		 e;

	e.msg[0] = '\0';
	if (mime_parse(raw, len, &m, &e) != 0)
		fail_msg("mime_parse: %s", e.msg);
	assert_non_null(m);
	check_clean(m);
	return m;
}

static struct inbound_msg *
parse_str(const char *raw)
{
	return parse_ok(raw, strlen(raw));
}

static void
expect_str(const char *what, const char *got, const char *want)
{
	if (want == NULL)
		return;
	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", what,
		    got != NULL ? got : "(null)", want);
}

static void
expect_has(const char *what, const char *got, const char *part)
{
	if (part == NULL)
		return;
	if (got == NULL || strstr(got, part) == NULL)
		fail_msg("%s: '%s' has no '%s'", what,
		    got != NULL ? got : "(null)", part);
}

/* ------------------------------------------------------------------ */
/* The corpus                                                          */

/* What one row expects; NULL and 0 fields are not checked. */
struct want {
	enum inbound_class	 cls;
	int64_t			 contact;
	const char		*why;		/* a part of it */
	const char		*from;
	const char		*from_name;
	const char		*subject;
	const char		*ref0;		/* refs[0] */
	const char		*rcpt;		/* one of the rcpts */
	const char		*bounced;	/* bounced[0].addr */
	const char		*status;	/* bounced[0].status */
	const char		*orig;		/* orig_message_id */
	const char		*back_on;	/* YYYY-MM-DD */
	const char		*text;		/* a part of the text */
	int			 no_text;	/* text must be NULL */
	int			 no_ack;
};

struct row {
	const char		*file;
	const char		*note;	/* why this context */
	const char *const	*own;
	size_t			 nown;
	const char		*inquiry;
	int			 unknown;
	int64_t			 thread;
	int64_t			 from;
	int			 same_domain;
	struct want		 w;
};

#define OWN(...)	(const char *const[]){ __VA_ARGS__ }, \
			sizeof((const char *const[]){ __VA_ARGS__ }) / \
			sizeof(const char *)

static const struct row corpus[] = {
	{ "autoreply-auto-submitted-vacation.eml",
	  "the user is neko@; kijitora@example.net is contact 4's address; "
	  "no References, so no thread",
	  OWN("neko@libsisimai.org"), NULL, 0, 0, 4, 0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 4, .why = "Auto-Submitted",
	    .from = "kijitora@example.net", .subject = "Away until May 5",
	    .back_on = "2005-05-05", .text = "returning to the office" } },
	{ "autoreply-auto-submitted-vacation.eml",
	  "the same from an unknown sender with unknown mail read as "
	  "inquiries: an auto-reply is never an inquiry",
	  OWN("neko@libsisimai.org"), NULL, 1, 0, 0, 0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 0 } },
	{ "autoreply-exchange-automatic-reply-no-auto-submitted.eml",
	  "the user is kijitora@example.com; Nyaan is contact 9",
	  OWN("kijitora@example.com"), NULL, 0, 0, 9, 0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 9,
	    .why = "X-MS-Exchange-Inbox-Rules-Loop",
	    .from = "nekonyaan@example.org", .from_name = "Neko, Nyaan",
	    .subject = "Automatic reply: Nyaan",
	    .text = "out of the office Friday" } },
	{ "autoreply-exchange-x-autoreply-headers-only.eml",
	  "the user is support@ (delivered to camilord@); the council is "
	  "not a contact",
	  OWN("support@abcs.co.nz", "camilord@abcs.co.nz"), NULL, 0, 0, 0,
	  0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 0, .why = "Auto-Submitted",
	    .from = "buildingadmin_designdocument@selwyn.govt.nz",
	    .subject = "Selwyn Autoreply", .rcpt = "camilord@abcs.co.nz",
	    .no_text = 1 } },
	{ "autoreply-icloud-vacation-with-in-reply-to.eml",
	  "In-Reply-To names a message tend sent to contact 2, from their "
	  "address: still an auto-reply (X-Apple-Action), not a reply",
	  OWN("neko@libsisimai.org"), NULL, 0, 2, 2, 0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 2, .why = "VACATION",
	    .ref0 = "25203A4E-F90F-4A14-BF51-3E7B9D39BE8E@libsisimai.org",
	    .subject = "Auto reply: Nyaan" } },
	{ "bounce-gmail-plaintext-not-rfc3464.eml",
	  "the returned message's Message-ID is one tend sent to contact 6; "
	  "the daemon is no contact",
	  OWN("the-local-part-of-google-mail-address@gmail.com"), NULL, 0, 6,
	  0, 0,
	  { .cls = INBOUND_BOUNCE, .contact = 6,
	    .why = "X-Failed-Recipients",
	    .bounced = "userunknown@example.jp", .status = "5.1.1",
	    .orig = "D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com",
	    .from = "mailer-daemon@googlemail.com" } },
	{ "dsn-postfix.eml",
	  "the returned message is missing, so no thread: the caller finds "
	  "the contact by the bounced address",
	  OWN("shironeko@mx.example.jp"), NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_BOUNCE, .contact = 0, .why = "RFC 3464",
	    .bounced = "kijitora@example.org", .status = "5.1.1",
	    .subject = "Undelivered Mail Returned to Sender" } },
	{ "dsn-rfc3464-sendmail-user-unknown.eml",
	  "the returned message is one tend sent to contact 8",
	  OWN("kijitora@example.org"), NULL, 0, 8, 0, 0,
	  { .cls = INBOUND_BOUNCE, .contact = 8, .why = "delivery-status",
	    .bounced = "userunknown@bouncehammer.jp", .status = "5.1.1",
	    .orig = "E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org" } },
	{ "dsn-rfc3464-sendmail-user-unknown.eml",
	  "a bounce is never an inquiry, even with unknown mail read as one",
	  OWN("kijitora@example.org"), NULL, 1, 0, 0, 0,
	  { .cls = INBOUND_BOUNCE } },
	{ "inquiry-qp-latin1-encoded-word-subject.eml",
	  "the user reads unknown mail as inquiries; Olivier is unknown",
	  OWN("pat@example.com"), NULL, 1, 0, 0, 0,
	  { .cls = INBOUND_INQUIRY, .contact = 0, .why = "unknown sender",
	    .subject = "Essai accentu\xc3\xa9", .from_name = "Olivier Berger",
	    .text = "Du texte accentu\xc3\xa9 pour \xc3\xa7" "a" } },
	{ "inquiry-qp-latin1-encoded-word-subject.eml",
	  "the address it was sent to is the user's inquiry address",
	  OWN("pat@example.com"), "Olivier.Berger@it-sudparis.eu", 0, 0, 0,
	  0,
	  { .cls = INBOUND_INQUIRY, .why = "inquiry address" } },
	{ "inquiry-qp-latin1-encoded-word-subject.eml",
	  "no inquiry address, unknown mail is other: other",
	  OWN("pat@example.com"), NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_OTHER, .why = "no rule" } },
	{ "multipart-alternative-utf8-b-encoded-headers.eml",
	  "feed2imap writes the user's own address as From",
	  OWN("daemon@lublin.se"), NULL, 1, 0, 0, 0,
	  { .cls = INBOUND_OTHER, .why = "own",
	    .subject = "Tack alla trafikanter och fotg\xc3\xa4ngare!",
	    .from_name = "malmoborg", .text = "Malm\xc3\xb6 2016-07-09" } },
	{ "multipart-eudora-iso8859-1-encoded-to-subject.eml",
	  "Heinz is the user; Doug is unknown",
	  OWN("mueller@example.com"), NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_OTHER, .rcpt = "mueller@example.com",
	    .subject = "Die Hasen und die Fr\xc3\xb6sche",
	    .text = "klagten einst \xc3\xbc" "ber" } },
	{ "multipart-eudora-iso8859-1-encoded-to-subject.eml",
	  "the same with unknown mail read as inquiries",
	  OWN("mueller@example.com"), NULL, 1, 0, 0, 0,
	  { .cls = INBOUND_INQUIRY, .no_ack = 0 } },
	{ "reply-mailinglist-multipart.eml",
	  "tend sent <...GB25380@...> to Lars (contact 7), who answered "
	  "through the list from his own address",
	  OWN("cworth@cworth.org"), NULL, 0, 7, 7, 0,
	  { .cls = INBOUND_REPLY, .contact = 7, .why = "mailing list",
	    .ref0 = "20091118005829.GB25380@dottiness.seas.harvard.edu",
	    .from = "lars@seas.harvard.edu",
	    .text = "Whoops, missed a couple" } },
	{ "reply-mailinglist-multipart.eml",
	  "the same post when tend sent nothing on that thread: list mail",
	  OWN("cworth@cworth.org"), NULL, 1, 0, 7, 0,
	  { .cls = INBOUND_OTHER, .why = "mailing-list" } },
	{ "reply-mailinglist-plain.eml",
	  "tend sent Jan's <f35dbb...@mail.gmail.com> to Carl (contact 3); "
	  "no Re: in the subject, the references decide",
	  OWN("jan@ryngle.com"), NULL, 0, 3, 3, 0,
	  { .cls = INBOUND_REPLY, .contact = 3, .why = "In-Reply-To",
	    .subject = "[notmuch] What a great idea!",
	    .ref0 = "f35dbb950911171435ieecd458o853c873e35f4be95@"
	    "mail.gmail.com" } },
	{ "reply-thunderbird-latin1-8bit-encoded-from.eml",
	  "tend sent Allan's <4EFC3D62...> to Fran\xc3\xa7ois (contact 5)",
	  OWN("allan@archlinux.org"), NULL, 0, 5, 5, 0,
	  { .cls = INBOUND_REPLY, .contact = 5,
	    .from_name = "Fran\xc3\xa7ois Boulogne",
	    .from = "boulogne.f@gmail.com",
	    .ref0 = "4EFC3D62.4030202@archlinux.org",
	    .text = "Allan McRae a \xc3\xa9" "crit" } },
	{ "reply-thunderbird-latin1-8bit-encoded-from.eml",
	  "the thread is contact 5's but this address is nobody's: other",
	  OWN("allan@archlinux.org"), NULL, 1, 5, 0, 0,
	  { .cls = INBOUND_OTHER, .why = "not one of their addresses" } },
	{ "reply-thunderbird-latin1-8bit-encoded-from.eml",
	  "the same with the sequence's same-domain rule on",
	  OWN("allan@archlinux.org"), NULL, 0, 5, 0, 1,
	  { .cls = INBOUND_REPLY, .contact = 5, .why = "domain" } },
	{ "reply-thunderbird-latin1-8bit-encoded-from.eml",
	  "no thread of ours, but the sender is contact 5's address",
	  OWN("allan@archlinux.org"), NULL, 0, 0, 5, 0,
	  { .cls = INBOUND_REPLY, .contact = 5, .why = "address of contact" } },
	{ "reply-thunderbird-latin1-8bit-encoded-from.eml",
	  "the user's own copy (From is theirs) of a message on the thread",
	  OWN("boulogne.f@gmail.com"), NULL, 0, 5, 0, 0,
	  { .cls = INBOUND_OTHER, .why = "own" } },
};

static void
check_verdict(const char *name, const struct inbound_msg *m,
    const struct inbound_verdict *v, const struct want *w)
{
	size_t	i;
	int	found;

	if (v->cls != w->cls)
		fail_msg("%s: class %s, want %s (why: %s)", name,
		    inbound_class_name(v->cls), inbound_class_name(w->cls),
		    v->why);
	if (v->contact_id != w->contact)
		fail_msg("%s: contact %lld, want %lld", name,
		    (long long)v->contact_id, (long long)w->contact);
	assert_true(v->why[0] != '\0');
	check_str("why", v->why, 0);
	expect_has("why", v->why, w->why);
	expect_str("from", m->from_addr, w->from);
	expect_str("from_name", m->from_name, w->from_name);
	expect_str("subject", m->subject, w->subject);
	if (w->ref0 != NULL) {
		assert_true(m->nrefs > 0);
		expect_str("refs[0]", m->refs[0], w->ref0);
	}
	if (w->rcpt != NULL) {
		for (i = 0, found = 0; i < m->nrcpts; i++)
			found |= strcasecmp(m->rcpts[i], w->rcpt) == 0;
		if (!found)
			fail_msg("%s: no rcpt %s", name, w->rcpt);
	}
	if (w->bounced != NULL) {
		assert_true(m->nbounced > 0);
		expect_str("bounced", m->bounced[0].addr, w->bounced);
		expect_str("status", m->bounced[0].status, w->status);
	}
	expect_str("orig_message_id", m->orig_message_id, w->orig);
	if (w->back_on != NULL) {
		if (v->back_on != day_of(w->back_on))
			fail_msg("%s: back_on %lld, want %s", name,
			    (long long)v->back_on, w->back_on);
		assert_non_null(v->back_text);
	}
	expect_has("text", m->text, w->text);
	if (w->no_text)
		assert_null(m->text);
	assert_int_equal(v->no_ack, w->no_ack);
}

static void
test_corpus_table(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
		const struct row	*r = &corpus[i];
		struct inbound_ctx	 ctx;
		struct inbound_verdict	 v;
		struct inbound_msg	*m;
		char			 path[512];
		char			*raw;
		size_t			 len;

		snprintf(path, sizeof path, "%s/%s", CORPUS, r->file);
		raw = slurp(path, &len);
		m = parse_ok(raw, len);
		memset(&ctx, 0, sizeof ctx);
		ctx.own = r->own;
		ctx.nown = r->nown;
		ctx.inquiry_addr = r->inquiry;
		ctx.unknown_inquiry = r->unknown;
		ctx.thread_contact = r->thread;
		ctx.from_contact = r->from;
		ctx.same_domain = r->same_domain;
		/* relative return dates count from when it was sent */
		inbound_classify(m, &ctx, m->date, &v);
		check_verdict(r->file, m, &v, &r->w);
		mime_msg_free(m);
		free(raw);
	}
}

/* Every file of the corpus has at least one row. */
static void
test_corpus_complete(void **state)
{
	struct dirent	*d;
	DIR		*dir;
	size_t		 i, files = 0;
	int		 found;

	(void)state;
	dir = opendir(CORPUS);
	if (dir == NULL)
		fail_msg("cannot open %s (run from the project root)", CORPUS);
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		files++;
		for (i = 0, found = 0; i < sizeof corpus / sizeof corpus[0];
		    i++)
			found |= strcmp(corpus[i].file, d->d_name) == 0;
		if (!found)
			fail_msg("%s has no row in the table", d->d_name);
	}
	closedir(dir);
	assert_true(files >= 13);
}

/* ------------------------------------------------------------------ */
/* Synthetic messages                                                  */

struct synth {
	const char		*name;
	const char		*raw;
	const char		*inquiry;
	const char		*unsub;
	int			 unknown;
	int64_t			 thread;
	int64_t			 from;
	int			 same_domain;
	struct want		 w;
	const char		*token;		/* unsub_token */
	const char		*unsub_addr;
	const char		*feedback;	/* feedback_type */
	int			 hard;		/* bounced[0].hard */
	const char		*action;	/* bounced[0].action */
};

/* RFC 5965 section 3, the example (with the user as the recipient). */
#define RFC5965 \
"From: <abusedesk@example.com>\r\n" \
"Date: Thu, 8 Mar 2005 17:40:36 EDT\r\n" \
"Subject: FW: Earn money\r\n" \
"To: <abuse@example.net>\r\n" \
"MIME-Version: 1.0\r\n" \
"Content-Type: multipart/report; report-type=feedback-report;\r\n" \
"     boundary=\"part1_13d.2e68ed54_boundary\"\r\n" \
"\r\n" \
"--part1_13d.2e68ed54_boundary\r\n" \
"Content-Type: text/plain; charset=\"US-ASCII\"\r\n" \
"Content-Transfer-Encoding: 7bit\r\n" \
"\r\n" \
"This is an email abuse report for an email message received from IP\r\n" \
"192.0.2.1 on Thu, 8 Mar 2005 14:00:00 EDT.  For more information\r\n" \
"about this format please see http://www.mipassoc.org/arf/.\r\n" \
"\r\n" \
"--part1_13d.2e68ed54_boundary\r\n" \
"Content-Type: message/feedback-report\r\n" \
"\r\n" \
"Feedback-Type: abuse\r\n" \
"User-Agent: SomeGenerator/1.0\r\n" \
"Version: 1\r\n" \
"Original-Mail-From: <somespammer@example.net>\r\n" \
"Original-Rcpt-To: <user@example.com>\r\n" \
"Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\r\n" \
"Reporting-MTA: dns; mail.example.com\r\n" \
"Source-IP: 192.0.2.1\r\n" \
"Authentication-Results: mail.example.com;\r\n" \
"               spf=fail smtp.mail=somespammer@example.com\r\n" \
"Reported-Domain: example.net\r\n" \
"Reported-Uri: http://example.net/earn_money.html\r\n" \
"Reported-Uri: mailto:user@example.com\r\n" \
"Removal-Recipient: user@example.com\r\n" \
"\r\n" \
"--part1_13d.2e68ed54_boundary\r\n" \
"Content-Type: message/rfc822\r\n" \
"Content-Disposition: inline\r\n" \
"\r\n" \
"From: <somespammer@example.net>\r\n" \
"Received: from mailserver.example.net (mailserver.example.net\r\n" \
"        [192.0.2.1]) by example.com with ESMTP id M63d4137594e46;\r\n" \
"        Thu, 08 Mar 2005 14:00:00 -0400\r\n" \
"To: <Undisclosed Recipients>\r\n" \
"Subject: Earn money\r\n" \
"MIME-Version: 1.0\r\n" \
"Content-type: text/plain\r\n" \
"Message-ID: <8787KJKJ3K4J3K4J3K4J3.mail@example.net>\r\n" \
"Date: Thu, 02 Sep 2004 12:31:03 -0500\r\n" \
"\r\n" \
"Spam Spam Spam\r\n" \
"Spam Spam Spam\r\n" \
"--part1_13d.2e68ed54_boundary--\r\n"

/* A complaint as some providers send it: no Original-Rcpt-To, only
 * the reported message's headers. */
#define COMPLAINT_HEADERS \
"From: Feedback Loop <fbl@isp.example>\n" \
"To: pat@example.com\n" \
"Subject: complaint about message from 192.0.2.9\n" \
"MIME-Version: 1.0\n" \
"Content-Type: multipart/report; report-type=\"feedback-report\";\n" \
" boundary=\"b1\"\n" \
"\n" \
"--b1\n" \
"Content-Type: text/plain\n" \
"\n" \
"A user of ours said this is spam.\n" \
"--b1\n" \
"Content-Type: message/feedback-report\n" \
"\n" \
"Feedback-Type: abuse\n" \
"Version: 1\n" \
"\n" \
"--b1\n" \
"Content-Type: text/rfc822-headers\n" \
"\n" \
"From: Pat <pat@example.com>\n" \
"To: Ann Lee <ann@example.org>\n" \
"Subject: Checking in\n" \
"Message-ID: <tend.777@example.com>\n" \
"\n" \
"--b1--\n"

#define EXIM_BOUNCE(xfailed) \
"Return-path: <>\n" \
"Envelope-to: pat@example.com\n" \
"From: Mail Delivery System <Mailer-Daemon@mx.example.net>\n" \
"To: pat@example.com\n" \
"Subject: Mail delivery failed: returning message to sender\n" \
xfailed \
"Auto-Submitted: auto-replied\n" \
"Message-Id: <E1abc-0001@mx.example.net>\n" \
"\n" \
"This message was created automatically by mail delivery software.\n" \
"\n" \
"A message that you sent could not be delivered to one or more of its\n" \
"recipients. This is a permanent error. The following address(es) " \
"failed:\n" \
"\n" \
"  ann@example.org\n" \
"    host mx.example.org [192.0.2.5]\n" \
"    SMTP error from remote mail server after RCPT TO:<ann@example.org>:\n" \
"    550 5.1.1 <ann@example.org>: Recipient address rejected: User " \
"unknown\n" \
"\n" \
"------ This is a copy of the message, including all the headers. " \
"------\n" \
"\n" \
"Return-path: <pat@example.com>\n" \
"Message-ID: <tend.123@example.com>\n" \
"From: Pat <pat@example.com>\n" \
"To: Ann <ann@example.org>\n" \
"In-Reply-To: <older@example.org>\n" \
"Subject: Checking in\n" \
"\n" \
"Hi Ann\n"

#define QMAIL_BOUNCE \
"Return-Path: <>\n" \
"From: MAILER-DAEMON@mx.example.net\n" \
"To: pat@example.com\n" \
"Subject: failure notice\n" \
"\n" \
"Hi. This is the qmail-send program at mx.example.net.\n" \
"I'm afraid I wasn't able to deliver your message to the following " \
"addresses.\n" \
"This is a permanent error; I've given up. Sorry it didn't work out.\n" \
"\n" \
"<bob@example.org>:\n" \
"192.0.2.7 does not like recipient.\n" \
"Remote host said: 550 5.1.1 <bob@example.org>: Recipient address " \
"rejected\n" \
"Giving up on 192.0.2.7.\n" \
"\n" \
"<carol@example.org>:\n" \
"Sorry, I couldn't find any host named example.org. (#5.1.2)\n" \
"\n" \
"--- Below this line is a copy of the message.\n" \
"\n" \
"Return-Path: <pat@example.com>\n" \
"Message-ID: <tend.456@example.com>\n" \
"From: pat@example.com\n" \
"To: bob@example.org, carol@example.org\n" \
"Subject: Hello\n" \
"\n" \
"Hi\n"

#define DELAYED_DSN \
"Return-Path: <>\n" \
"From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\n" \
"To: pat@example.com\n" \
"Subject: Delayed Mail (still being retried)\n" \
"Auto-Submitted: auto-replied\n" \
"MIME-Version: 1.0\n" \
"Content-Type: multipart/report; report-type=delivery-status;\n" \
"\tboundary=\"B\"\n" \
"\n" \
"--B\n" \
"Content-Type: text/plain\n" \
"\n" \
"####### THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR " \
"MESSAGE. #######\n" \
"\n" \
"<ann@example.org>: connect to mx.example.org[192.0.2.5]:25: " \
"Connection timed out\n" \
"--B\n" \
"Content-Type: message/delivery-status\n" \
"\n" \
"Reporting-MTA: dns; mx.example.com\n" \
"\n" \
"Final-Recipient: rfc822; ann@example.org\n" \
"Action: delayed\n" \
"Status: 4.4.1\n" \
"Diagnostic-Code: X-Postfix; connect to mx.example.org: timed out\n" \
"Will-Retry-Until: Mon, 30 Nov 2026 09:00:00 +0000 (UTC)\n" \
"\n" \
"--B\n" \
"Content-Type: text/rfc822-headers\n" \
"\n" \
"Message-ID: <tend.999@example.com>\n" \
"From: pat@example.com\n" \
"To: ann@example.org\n" \
"\n" \
"--B--\n"

/* A report with two recipients, no blank line between them, and the
 * second delayed: the first failed one decides. */
#define DSN_TWO \
"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>\n" \
"To: pat@example.com\n" \
"Subject: Returned mail: see transcript for details\n" \
"Content-Type: multipart/report; report-type=delivery-status; " \
"boundary=\"x\"\n" \
"\n" \
"--x\n" \
"\n" \
"The original message was received\n" \
"--x\n" \
"Content-Type: message/delivery-status\n" \
"\n" \
"Reporting-MTA: dns; mx.example.com\n" \
"Final-Recipient: RFC822; <dan@example.org>\n" \
"Action: delayed\n" \
"Status: 4.2.2\n" \
"Final-Recipient: RFC822; eve@example.org\n" \
"Original-Recipient: rfc822;Eve@Example.ORG\n" \
"Action: failed\n" \
"Status: 5.2.1 (mailbox disabled)\n" \
"Diagnostic-Code: smtp; 550 5.2.1 Mailbox disabled\n" \
"--x--\n"

#define GMAIL_DELAY \
"Return-Path: <>\n" \
"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n" \
"To: pat@gmail.com\n" \
"Subject: Delivery Status Notification (Delay)\n" \
"\n" \
"This is an automatically generated Delivery Status Notification\n" \
"\n" \
"THIS IS A WARNING MESSAGE ONLY.\n" \
"\n" \
"YOU DO NOT NEED TO RESEND YOUR MESSAGE.\n" \
"\n" \
"Delivery to the following recipient has been delayed:\n" \
"\n" \
"     ann@example.org\n" \
"\n" \
"Message will be retried for 2 more day(s)\n"

#define VACATION(subject, text) \
"From: Ann Lee <ann@example.org>\n" \
"To: pat@example.com\n" \
"Subject: " subject "\n" \
"Auto-Submitted: auto-replied\n" \
"Date: Mon, 23 Nov 2026 09:00:00 +0000\n" \
"In-Reply-To: <tend.1@example.com>\n" \
"\n" \
text "\n"

static const struct synth synths[] = {
	{ "complaint, RFC 5965 example", RFC5965, NULL, NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_COMPLAINT, .why = "feedback-report",
	    .orig = "8787KJKJ3K4J3K4J3K4J3.mail@example.net" },
	  NULL, "user@example.com", "abuse", 0, NULL },
	{ "complaint with the reported headers only", COMPLAINT_HEADERS,
	  NULL, NULL, 1, 12, 0, 0,
	  { .cls = INBOUND_COMPLAINT, .contact = 12, .why = "abuse",
	    .orig = "tend.777@example.com" },
	  NULL, "ann@example.org", "abuse", 0, NULL },
	{ "unsubscribe with a token",
	  "From: Ann <ann@example.org>\nTo: pat@example.com\n"
	  "Subject: unsubscribe t0k3n-ABC_42\n\n\n", NULL, "pat@example.com",
	  0, 0, 12, 0,
	  { .cls = INBOUND_UNSUBSCRIBE, .contact = 12, .why = "unsubscribe" },
	  "t0k3n-ABC_42", "ann@example.org", NULL, 0, NULL },
	{ "unsubscribe from a stranger, to an own address, without a token",
	  "From: x@example.net\nTo: Pat <PAT@example.com>\n"
	  "Subject: Unsubscribe\n\nplease\n", NULL, NULL, 1, 0, 0, 0,
	  { .cls = INBOUND_UNSUBSCRIBE, .why = "your address" },
	  NULL, "x@example.net", NULL, 0, NULL },
	{ "a person writing about unsubscribing is no request",
	  "From: Ann <ann@example.org>\nTo: pat@example.com\n"
	  "Subject: Unsubscribe link broken?\n\nIt 404s.\n", NULL,
	  "pat@example.com", 0, 0, 12, 0,
	  { .cls = INBOUND_REPLY, .contact = 12 }, NULL, NULL, NULL, 0,
	  NULL },
	{ "a read receipt on our thread is no reply",
	  "From: Ann <ann@example.org>\nTo: pat@example.com\n"
	  "Subject: Read: Checking in\nMIME-Version: 1.0\n"
	  "Content-Type: multipart/report; "
	  "report-type=disposition-notification; boundary=r\n\n--r\n"
	  "Content-Type: text/plain\n\nYour message was read.\n--r\n"
	  "Content-Type: message/disposition-notification\n\n"
	  "Final-Recipient: rfc822; ann@example.org\n"
	  "Original-Message-ID: <tend.1@example.com>\n"
	  "Disposition: manual-action/MDN-sent-manually; displayed\n"
	  "--r--\n", NULL, NULL, 0, 12, 12, 0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 12, .why = "read receipt" },
	  NULL, NULL, NULL, 0, NULL },
	{ "a bare 'Remove me!' from a contact",
	  "From: ann@example.org\nTo: other@example.com\n"
	  "Subject: Remove me!\n\n", NULL, NULL, 0, 0, 12, 0,
	  { .cls = INBOUND_UNSUBSCRIBE, .contact = 12, .why = "removed" },
	  NULL, "ann@example.org", NULL, 0, NULL },
	{ "'remove me' from a stranger to someone else is nothing",
	  "From: z@example.net\nTo: other@example.com\n"
	  "Subject: remove me\n\n", NULL, NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_OTHER }, NULL, NULL, NULL, 0, NULL },
	{ "the user's Sent copy on a thread",
	  "From: Pat <pat@example.com>\nTo: ann@example.org\n"
	  "In-Reply-To: <tend.1@example.com>\nSubject: Re: hi\n\nyes\n",
	  NULL, NULL, 1, 12, 0, 0,
	  { .cls = INBOUND_OTHER, .why = "own addresses" },
	  NULL, NULL, NULL, 0, NULL },
	{ "a human reply on the thread",
	  "From: Ann <ann@example.org>\nTo: pat@example.com\n"
	  "In-Reply-To: <tend.1@example.com>\n"
	  "References: <a@x> <tend.1@example.com> <a@x>\n"
	  "Subject: Re: Checking in\n\nSounds good.\n", NULL, NULL, 0, 12, 12,
	  0,
	  { .cls = INBOUND_REPLY, .contact = 12, .ref0 = "tend.1@example.com",
	    .text = "Sounds good." }, NULL, NULL, NULL, 0, NULL },
	{ "a stranger replying on our thread",
	  "From: Mallory <m@evil.example>\nTo: pat@example.com\n"
	  "In-Reply-To: <tend.1@example.com>\nSubject: Re: Checking in\n\n"
	  "hi\n", NULL, NULL, 1, 12, 0, 0,
	  { .cls = INBOUND_OTHER, .why = "not one of their addresses" },
	  NULL, NULL, NULL, 0, NULL },
	{ "a colleague at the same company replying",
	  "From: Bob <bob@acme.example>\nTo: pat@example.com\n"
	  "References: <tend.1@example.com>\nSubject: Re: Checking in\n\n"
	  "Ann is out, I can help.\n", NULL, NULL, 0, 12, 0, 1,
	  { .cls = INBOUND_REPLY, .contact = 12, .why = "domain" },
	  NULL, NULL, NULL, 0, NULL },
	{ "a person whose subject starts 'Out of office' on our thread",
	  "From: Ann <ann@example.org>\nTo: pat@example.com\n"
	  "In-Reply-To: <tend.1@example.com>\n"
	  "Subject: Re: Out of office next week?\n\nYes, I'll be away.\n",
	  NULL, NULL, 0, 12, 12, 0,
	  { .cls = INBOUND_REPLY, .contact = 12 }, NULL, NULL, NULL, 0,
	  NULL },
	{ "Exim bounce with X-Failed-Recipients quoting our Message-ID",
	  EXIM_BOUNCE("X-Failed-Recipients: ann@example.org\n"), NULL, NULL,
	  1, 12, 0, 0,
	  { .cls = INBOUND_BOUNCE, .contact = 12,
	    .bounced = "ann@example.org", .status = "5.1.1",
	    .orig = "tend.123@example.com" }, NULL, NULL, NULL, 1, "failed" },
	{ "Exim bounce without X-Failed-Recipients",
	  EXIM_BOUNCE(""), NULL, NULL, 0, 12, 0, 0,
	  { .cls = INBOUND_BOUNCE, .contact = 12, .why = "mail system",
	    .bounced = "ann@example.org", .status = "5.1.1",
	    .orig = "tend.123@example.com" }, NULL, NULL, NULL, 1, "failed" },
	{ "qmail bounce with two addresses",
	  QMAIL_BOUNCE, NULL, NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_BOUNCE, .bounced = "bob@example.org",
	    .status = "5.1.1", .orig = "tend.456@example.com" },
	  NULL, NULL, NULL, 1, "failed" },
	{ "a DSN that only says delayed",
	  DELAYED_DSN, NULL, NULL, 1, 12, 0, 0,
	  { .cls = INBOUND_OTHER, .contact = 12, .why = "delayed",
	    .bounced = "ann@example.org", .status = "4.4.1",
	    .orig = "tend.999@example.com" }, NULL, NULL, NULL, 0, "delayed" },
	{ "a DSN with a delayed and a failed recipient",
	  DSN_TWO, NULL, NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_BOUNCE, .why = "Eve@Example.ORG",
	    .bounced = "dan@example.org", .status = "4.2.2" },
	  NULL, NULL, NULL, 0, "delayed" },
	{ "Gmail's delay notice in words",
	  GMAIL_DELAY, NULL, NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_OTHER, .why = "delayed",
	    .bounced = "ann@example.org" }, NULL, NULL, NULL, 0, "delayed" },
	{ "vacation: back on 2 December",
	  VACATION("Out of office", "I am away and back on 2 December."),
	  NULL, NULL, 0, 12, 12, 0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 12,
	    .back_on = "2026-12-02" }, NULL, NULL, NULL, 0, NULL },
	{ "vacation: returning Monday",
	  VACATION("Away", "Out this week, returning Monday."),
	  NULL, NULL, 0, 12, 12, 0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 12,
	    .back_on = "2026-11-30" }, NULL, NULL, NULL, 0, NULL },
	{ "vacation: until 12/03/2026 (the US way, day-first is past)",
	  VACATION("Away", "I am on leave until 12/03/2026."),
	  NULL, NULL, 0, 12, 12, 0,
	  { .cls = INBOUND_AUTOREPLY, .back_on = "2026-12-03",
	    .contact = 12 }, NULL, NULL, NULL, 0, NULL },
	{ "vacation: the date in the subject",
	  VACATION("Away until Dec 2nd", "Thanks for your mail."),
	  NULL, NULL, 0, 0, 12, 0,
	  { .cls = INBOUND_AUTOREPLY, .back_on = "2026-12-02",
	    .contact = 12 }, NULL, NULL, NULL, 0, NULL },
	{ "vacation in German",
	  VACATION("Abwesenheitsnotiz: Hallo",
	      "Ich bin bis zum 2. Dezember nicht im B\xc3\xbcro."),
	  NULL, NULL, 0, 0, 12, 0,
	  { .cls = INBOUND_AUTOREPLY, .back_on = "2026-12-02",
	    .contact = 12 }, NULL, NULL, NULL, 0, NULL },
	{ "vacation in French",
	  VACATION("=?utf-8?q?R=C3=A9ponse_automatique?=",
	      "Je suis absent jusqu'au 2 d\xc3\xa9" "cembre inclus."),
	  NULL, NULL, 0, 0, 12, 0,
	  { .cls = INBOUND_AUTOREPLY, .back_on = "2026-12-02",
	    .subject = "R\xc3\xa9ponse automatique", .contact = 12 },
	  NULL, NULL, NULL, 0, NULL },
	{ "an automatic reply known by its subject and null sender only",
	  "Return-Path: <>\nFrom: ann@example.org\nTo: pat@example.com\n"
	  "Subject: Automatic reply: Checking in\n\nI'm out of the office "
	  "until Wednesday, December 2.\n", NULL, NULL, 0, 12, 12, 0,
	  { .cls = INBOUND_AUTOREPLY, .contact = 12, .why = "subject",
	    .back_on = "2026-12-02" }, NULL, NULL, NULL, 0, NULL },
	{ "Precedence: bulk",
	  "From: news@shop.example\nTo: pat@example.com\n"
	  "Precedence: bulk\nSubject: Deals\n\nBuy\n", "pat@example.com",
	  NULL, 1, 0, 0, 0,
	  { .cls = INBOUND_AUTOREPLY, .why = "Precedence: bulk" },
	  NULL, NULL, NULL, 0, NULL },
	{ "Auto-Submitted: no is a person",
	  "From: ann@example.org\nTo: pat@example.com\n"
	  "Auto-Submitted: no\nSubject: hi\n\nhi\n", NULL, NULL, 0, 0, 12,
	  0,
	  { .cls = INBOUND_REPLY, .contact = 12 }, NULL, NULL, NULL, 0,
	  NULL },
	{ "a mailing-list post, no thread",
	  "From: someone@example.net\nTo: list@lists.example\n"
	  "List-Id: <list.lists.example>\nSubject: [list] hello\n\nhi\n",
	  NULL, NULL, 1, 0, 0, 0,
	  { .cls = INBOUND_OTHER, .why = "mailing-list" },
	  NULL, NULL, NULL, 0, NULL },
	{ "a list post to the inquiry address: no acknowledgement",
	  "From: someone@example.net\nTo: hello@pat.example\n"
	  "List-Id: <list.lists.example>\nSubject: [list] hello\n\nhi\n",
	  "hello@pat.example", NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_INQUIRY, .no_ack = 1, .why = "mailing-list" },
	  NULL, NULL, NULL, 0, NULL },
	{ "an inquiry",
	  "From: New Person <new@example.net>\n"
	  "To: Pat <hello@pat.example>\nSubject: A quote?\n\n"
	  "Could you send me a quote?\n", "hello@pat.example", NULL, 0, 0,
	  0, 0,
	  { .cls = INBOUND_INQUIRY, .no_ack = 0, .why = "inquiry address" },
	  NULL, NULL, NULL, 0, NULL },
	{ "an inquiry from no-reply@",
	  "From: Web Form <no-reply@forms.example>\n"
	  "To: hello@pat.example\nSubject: New form entry\n\nName: Ann\n",
	  "hello@pat.example", NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_INQUIRY, .no_ack = 1, .why = "machine" },
	  NULL, NULL, NULL, 0, NULL },
	{ "an inquiry to Delivered-To only",
	  "Delivered-To: hello@pat.example\nFrom: new@example.net\n"
	  "To: undisclosed-recipients:;\nSubject: hi\n\nhi\n",
	  "hello@pat.example", NULL, 0, 0, 0, 0,
	  { .cls = INBOUND_INQUIRY, .rcpt = "hello@pat.example" },
	  NULL, NULL, NULL, 0, NULL },
	{ "html only",
	  "From: ann@example.org\nTo: pat@example.com\n"
	  "Content-Type: text/html; charset=utf-8\n\n"
	  "<html><head><style>p{color:red}</style><script>x()</script>"
	  "</head><body><p>Hi&nbsp;Pat,</p><p>Yes &amp; no &#8212; "
	  "<b>ok</b>&#x21;</p><!-- hidden --></body></html>\n",
	  NULL, NULL, 0, 0, 12, 0,
	  { .cls = INBOUND_REPLY, .contact = 12,
	    .text = "Hi Pat,\n\nYes & no \xe2\x80\x94 ok!" },
	  NULL, NULL, NULL, 0, NULL },
};

static void
test_synthetic(void **state)
{
	static const char *const own[] = { "pat@example.com" };
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof synths / sizeof synths[0]; i++) {
		const struct synth	*s = &synths[i];
		struct inbound_ctx	 ctx;
		struct inbound_verdict	 v;
		struct inbound_msg	*m;

		m = parse_str(s->raw);
		memset(&ctx, 0, sizeof ctx);
		ctx.own = own;
		ctx.nown = 1;
		ctx.inquiry_addr = s->inquiry;
		ctx.unsub_addr = s->unsub;
		ctx.unknown_inquiry = s->unknown;
		ctx.thread_contact = s->thread;
		ctx.from_contact = s->from;
		ctx.same_domain = s->same_domain;
		inbound_classify(m, &ctx, NOW, &v);
		check_verdict(s->name, m, &v, &s->w);
		expect_str("unsub_token", v.unsub_token, s->token);
		if (s->token == NULL && v.cls == INBOUND_UNSUBSCRIBE)
			assert_null(v.unsub_token);
		expect_str("unsub_addr", v.unsub_addr, s->unsub_addr);
		expect_str("feedback_type", m->feedback_type, s->feedback);
		if (s->action != NULL) {
			assert_true(m->nbounced > 0);
			expect_str("action", m->bounced[0].action, s->action);
			assert_int_equal(m->bounced[0].hard, s->hard);
		}
		mime_msg_free(m);
	}
}

/* Details the table does not show. */
static void
test_fields(void **state)
{
	struct inbound_msg	*m;

	(void)state;
	/* the qmail bounce's second address and its (#5.1.2) code */
	m = parse_str(QMAIL_BOUNCE);
	assert_int_equal(m->nbounced, 2);
	expect_str("2nd", m->bounced[1].addr, "carol@example.org");
	expect_str("2nd status", m->bounced[1].status, "5.1.2");
	expect_has("diag", m->bounced[0].diagnostic, "Recipient address");
	assert_string_equal(m->return_path, "");
	mime_msg_free(m);

	/* both recipients of a report with no blank line between them;
	 * the original recipient is what tend sent to */
	m = parse_str(DSN_TWO);
	assert_int_equal(m->nbounced, 2);
	expect_str("1st", m->bounced[0].addr, "dan@example.org");
	assert_int_equal(m->bounced[0].hard, 0);
	expect_str("2nd", m->bounced[1].addr, "Eve@Example.ORG");
	expect_str("2nd status", m->bounced[1].status, "5.2.1");
	expect_str("2nd action", m->bounced[1].action, "failed");
	expect_str("2nd diag", m->bounced[1].diagnostic,
	    "550 5.2.1 Mailbox disabled");
	assert_int_equal(m->bounced[1].hard, 1);
	mime_msg_free(m);

	/* headers: Sender, Reply-To, refs each once, In-Reply-To first,
	 * Cc and X-Original-To, lower-cased keywords */
	m = parse_str("From: \"Lee, Ann\" <ann@example.org>\n"
	    "Sender: assistant@example.org\n"
	    "Reply-To: Ann <ann.lee@example.org>\n"
	    "To: pat@example.com\nCc: Bob <bob@example.com>, "
	    "team: carol@example.com, pat@example.com;\n"
	    "X-Original-To: PAT@example.com\n"
	    "Message-ID: <abc@example.org>\n"
	    "References: <r1@x> <r2@x>\n\t<r3@x>\n"
	    "In-Reply-To: <r3@x>\n"
	    "Precedence: Bulk\nAuto-Submitted: Auto-Generated\n"
	    "X-Auto-Response-Suppress: All\n"
	    "Date: Mon, 23 Nov 2026 10:00:00 +0100\n"
	    "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?iso-8859-1?q?K=F6ln?="
	    "\n\nbody\n");
	expect_str("from_name", m->from_name, "Lee, Ann");
	expect_str("sender", m->sender, "assistant@example.org");
	expect_str("reply_to", m->reply_to, "ann.lee@example.org");
	expect_str("message_id", m->message_id, "abc@example.org");
	assert_int_equal(m->nrefs, 3);
	expect_str("refs[0]", m->refs[0], "r3@x");
	expect_str("refs[1]", m->refs[1], "r1@x");
	expect_str("refs[2]", m->refs[2], "r2@x");
	/* pat@ three times (To, the group, X-Original-To): once */
	assert_int_equal(m->nrcpts, 3);
	expect_str("precedence", m->precedence, "bulk");
	expect_str("auto_submitted", m->auto_submitted, "auto-generated");
	assert_int_equal(m->auto_suppress, 1);
	assert_int_equal(m->date, NOW);
	expect_str("subject", m->subject,
	    "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln");
	assert_null(m->return_path);
	mime_msg_free(m);
}

/* ------------------------------------------------------------------ */
/* Broken mail                                                         */

/* A sensible class for broken mail: other, or what its headers say. */
static void
classify_broken(const char *name, struct inbound_msg *m,
    enum inbound_class want)
{
	static const char *const own[] = { "pat@example.com" };
	struct inbound_ctx	 ctx;
	struct inbound_verdict	 v;

	memset(&ctx, 0, sizeof ctx);
	ctx.own = own;
	ctx.nown = 1;
	inbound_classify(m, &ctx, NOW, &v);
	if (v.cls != want)
		fail_msg("%s: class %s, want %s (%s)", name,
		    inbound_class_name(v.cls), inbound_class_name(want),
		    v.why);
	/* and with everything on: still a class, no crash */
	ctx.inquiry_addr = "pat@example.com";
	ctx.unsub_addr = "pat@example.com";
	ctx.unknown_inquiry = 1;
	ctx.thread_contact = 3;
	ctx.from_contact = 4;
	inbound_classify(m, &ctx, NOW, &v);
	check_str("why", v.why, 0);
}

static void
test_broken(void **state)
{
	static const char *const cases[][2] = {
		{ "truncated multipart",
		  "From: ann@example.net\nSubject: cut\nMIME-Version: 1.0\n"
		  "Content-Type: multipart/mixed; boundary=\"zz\"\n\n"
		  "--zz\nContent-Type: text/plain; charset=utf-8\n"
		  "Content-Transfer-Encoding: base64\n\nSGVsbG8gd29y" },
		{ "bad base64",
		  "From: ann@example.net\nSubject: b64\n"
		  "Content-Type: text/plain; charset=utf-8\n"
		  "Content-Transfer-Encoding: base64\n\n!!!$$$###\n==abc=\n" },
		{ "unknown charset",
		  "From: ann@example.net\nSubject: =?x-klingon?q?abc=E9?=\n"
		  "Content-Type: text/plain; charset=x-klingon\n\n"
		  "caf\xe9 cr\xe8me\n" },
		{ "mislabelled charset",
		  "From: ann@example.net\nSubject: =?utf-8?q?bad=FF=FEword?=\n"
		  "Content-Type: text/plain; charset=utf-8\n\n"
		  "caf\xe9\x01\x02\x1b[31m\x7f\xc2\x85 end\r\n" },
		{ "8-bit junk headers",
		  "From: \xff\xfe\x80\x81 <\xc3\x28@example.net>\n"
		  "Subject: \xe2\x82\xc0\xed\xa0\x80 \x01\x02\x03\n"
		  "Message-ID: <\x80\x81@x>\nIn-Reply-To: <\x01@x> junk\n"
		  "Date: not a date\n\nbody\n" },
		{ "bad encoded words",
		  "From: =?utf-8?b?####?= <a@example.net>\n"
		  "Subject: =?utf-8?q?unfinished =?iso-8859-1?b?====?= "
		  "=?shift_jis?b?gqCCoA?= =??q?x?= =?utf-8?\n\nx\n" },
		{ "NUL bytes in the body",
		  "From: ann@example.net\nSubject: nul\n\nbe\0fore\0after\n" },
		{ "no body at all", "From: ann@example.net\nSubject: x" },
		{ "empty multipart report",
		  "From: MAILER-DAEMON@x.example\nContent-Type: "
		  "multipart/report; report-type=delivery-status; "
		  "boundary=q\n\n--q--\n" },
		{ "report junk",
		  "From: MAILER-DAEMON@x.example\nContent-Type: "
		  "multipart/report; report-type=delivery-status; "
		  "boundary=q\n\n--q\nContent-Type: message/delivery-status"
		  "\n\nFinal-Recipient: ;;;\nAction: \nStatus: 9.9\n"
		  "Final-Recipient: rfc822; <>\nStatus: 5.\n"
		  "Original-Recipient: x\n\n\n--q--\n" },
		{ "mbox From line", "From ann@example.net Mon Nov 23 "
		  "09:00:00 2026\nFrom: ann@example.net\nSubject: m\n\nhi\n" },
	};
	static const enum inbound_class want[] = { INBOUND_OTHER,
	    INBOUND_OTHER, INBOUND_OTHER, INBOUND_OTHER, INBOUND_OTHER,
	    INBOUND_OTHER, INBOUND_OTHER, INBOUND_OTHER, INBOUND_OTHER,
	    INBOUND_OTHER, INBOUND_OTHER };
	struct inbound_msg	*m;
	size_t			 i, len;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = strlen(cases[i][1]);
		if (strcmp(cases[i][0], "NUL bytes in the body") == 0)
			len = sizeof "From: ann@example.net\nSubject: nul\n\n"
			    "be\0fore\0after\n" - 1;
		m = parse_ok(cases[i][1], len);
		classify_broken(cases[i][0], m, want[i]);
		if (strcmp(cases[i][0], "unknown charset") == 0)
			expect_str("text", m->text,
			    "caf\xc3\xa9 cr\xc3\xa8me");
		if (strcmp(cases[i][0], "NUL bytes in the body") == 0)
			expect_str("text", m->text, "beforeafter");
		if (strcmp(cases[i][0], "mislabelled charset") == 0)
			expect_has("text", m->text, "caf\xc3\xa9");
		if (strcmp(cases[i][0], "mbox From line") == 0)
			expect_str("subject", m->subject, "m");
		mime_msg_free(m);
	}
}

static void
test_huge_header_line(void **state)
{
	struct inbound_msg	*m;
	char			*raw;
	size_t			 n = 1024 * 1024, len;

	(void)state;
	raw = xmalloc(n + 200);
	len = (size_t)snprintf(raw, 200, "From: ann@example.net\nSubject: ");
	memset(raw + len, 'x', n);
	len += n;
	memcpy(raw + len, "\nX-Other: =?utf-8?q?a?=\n\nbody\n", 31);
	len += 30;
	m = parse_ok(raw, len);
	assert_non_null(m->subject);
	assert_true(strlen(m->subject) <= INBOUND_TEXT_MAX);
	expect_str("text", m->text, "body");
	classify_broken("1 MB header line", m, INBOUND_OTHER);
	mime_msg_free(m);
	free(raw);
}

static void
test_deep_nesting(void **state)
{
	struct inbound_msg	*m;
	char			*raw;
	size_t			 cap = 5000 * 80, len = 0, i;

	(void)state;
	raw = xmalloc(cap);
	len += (size_t)snprintf(raw + len, cap - len, "From: ann@example.net"
	    "\nSubject: deep\nContent-Type: multipart/mixed; boundary=b0"
	    "\n\n");
	for (i = 0; i < 4000; i++)
		len += (size_t)snprintf(raw + len, cap - len, "--b%zu\n"
		    "Content-Type: multipart/mixed; boundary=b%zu\n\n", i,
		    i + 1);
	len += (size_t)snprintf(raw + len, cap - len, "--b4000\n"
	    "Content-Type: text/plain\n\ndeep down\n");
	m = parse_ok(raw, len);
	expect_str("subject", m->subject, "deep");
	/* too deep to be read as the text: no crash, no text */
	assert_null(m->text);
	classify_broken("deep nesting", m, INBOUND_OTHER);
	mime_msg_free(m);
	free(raw);
}

/* A long text is cut at INBOUND_TEXT_MAX on a character boundary. */
static void
test_long_text(void **state)
{
	struct inbound_msg	*m;
	char			*raw;
	size_t			 n = INBOUND_TEXT_MAX * 2, len, i;

	(void)state;
	raw = xmalloc(n + 200);
	len = (size_t)snprintf(raw, 200, "From: a@example.net\n"
	    "Content-Type: text/plain; charset=utf-8\n\n");
	for (i = 0; i + 2 <= n; i += 2) {
		raw[len++] = '\xc3';
		raw[len++] = '\xa9';
	}
	m = parse_ok(raw, len);
	assert_non_null(m->text);
	assert_true(strlen(m->text) <= INBOUND_TEXT_MAX);
	assert_true(strlen(m->text) >= INBOUND_TEXT_MAX - 4);
	mime_msg_free(m);
	free(raw);
}

static void
test_not_mail(void **state)
{
	static const char *const cases[] = {
		"",
		"\n\nbody without headers\n",
		"just some text, no header at all\n",
		"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
		": no name\n\nx\n",
		"From nobody\n",
	};
	struct inbound_msg	*m;
	struct err		 e;
	size_t			 i, len;
	char			*big;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = i == 3 ? 16 : strlen(cases[i]);
		m = (void *)1;
		e.msg[0] = '\0';
		assert_int_equal(mime_parse(cases[i], len, &m, &e),
		    TEND_EINVAL);
		assert_null(m);
		if (strncmp(e.msg, "not a mail message: ", 20) != 0)
			fail_msg("case %zu: %s", i, e.msg);
	}
	/* a NUL in the header block is binary data */
	assert_int_equal(mime_parse("From: a@b.c\nSub\0ject: x\n\nhi\n", 27,
	    &m, &e), TEND_EINVAL);
	expect_has("msg", e.msg, "binary");
	/* over the limit */
	big = xmalloc((size_t)INBOUND_MAX_BYTES + 1);
	memset(big, 'a', (size_t)INBOUND_MAX_BYTES + 1);
	memcpy(big, "From: a@b.c\n\n", 14);
	assert_int_equal(mime_parse(big, (size_t)INBOUND_MAX_BYTES + 1, &m,
	    &e), TEND_EINVAL);
	expect_has("msg", e.msg, "over");
	free(big);
	mime_msg_free(NULL);
}

/* ------------------------------------------------------------------ */
/* The classifier alone                                                */

static void
test_classify_edges(void **state)
{
	struct inbound_msg	 m;
	struct inbound_verdict	 v;
	struct inbound_rcpt	 r;

	(void)state;
	memset(&m, 0, sizeof m);
	inbound_classify(&m, NULL, NOW, &v);
	assert_int_equal(v.cls, INBOUND_OTHER);
	assert_true(v.why[0] != '\0');
	inbound_classify(NULL, NULL, NOW, &v);
	assert_int_equal(v.cls, INBOUND_OTHER);

	/* a bounce subject from MAILER-DAEMON with no address read */
	m.from_addr = "MAILER-DAEMON@mx.example";
	m.subject = "Undeliverable: Checking in";
	inbound_classify(&m, NULL, NOW, &v);
	assert_int_equal(v.cls, INBOUND_BOUNCE);
	/* fuzz-inbound found it: "%.80s" of the subject in why cut a
	 * character in two; why is whole UTF-8 */
	m.subject = "Undeliverable: \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	inbound_classify(&m, NULL, NOW, &v);
	assert_int_equal(v.cls, INBOUND_BOUNCE);
	check_str("why", v.why, 0);
	m.subject = "Undeliverable: Checking in";
	/* a person may write that subject: no bounce */
	m.from_addr = "ann@example.org";
	inbound_classify(&m, NULL, NOW, &v);
	assert_int_equal(v.cls, INBOUND_OTHER);

	/* a failed recipient with neither action nor status is hard */
	memset(&r, 0, sizeof r);
	r.addr = "x@example.org";
	r.hard = 1;
	m.bounced = &r;
	m.nbounced = 1;
	m.report_type = "delivery-status";
	inbound_classify(&m, NULL, NOW, &v);
	assert_int_equal(v.cls, INBOUND_BOUNCE);

	assert_string_equal(inbound_class_name(INBOUND_AUTOREPLY),
	    "auto-reply");
	assert_string_equal(inbound_class_name(INBOUND_INQUIRY), "inquiry");
	assert_string_equal(inbound_class_name((enum inbound_class)99),
	    "other");
	{
		static const char *const l[] = { "A@Example.com", NULL };

		assert_true(inbound_addr_in("a@example.COM", l, 2));
		assert_false(inbound_addr_in("b@example.com", l, 2));
		assert_false(inbound_addr_in(NULL, l, 2));
	}
}

/* ------------------------------------------------------------------ */
/* Return dates                                                        */

static const struct {
	const char	*text;
	const char	*want;		/* NULL: none */
	const char	*at;		/* where it was found */
} dates[] = {
	{ "I'm back on 2 December.", "2026-12-02", "back on" },
	{ "Out this week, returning Monday.", "2026-11-30", "returning" },
	{ "I am on leave until 12/03/2026.", "2026-12-03", "until" },
	{ "until 05/01/2027", "2027-01-05", NULL },
	{ "until 25/12", "2026-12-25", NULL },
	{ "Away until Dec 2nd", "2026-12-02", "until" },
	{ "I am out of the office until Wednesday, December 2",
	  "2026-12-02", NULL },
	{ "Back 2026-12-02.", "2026-12-02", NULL },
	{ "Ich bin bis zum 2. Dezember nicht im B\xc3\xbcro.", "2026-12-02",
	  "bis" },
	{ "Je suis absent jusqu'au 2 d\xc3\xa9" "cembre.", "2026-12-02",
	  "jusqu" },
	{ "Absent jusqu\xe2\x80\x99" "au 2 d\xc3\xa9" "cembre", "2026-12-02",
	  NULL },
	{ "Estar\xc3\xa9 fuera hasta el 3 de diciembre.", "2026-12-03",
	  NULL },
	{ "I will be back in the office on Thursday, 3rd December 2026",
	  "2026-12-03", NULL },
	{ "out till the 4th of December", "2026-12-04", NULL },
	{ "back tomorrow", "2026-11-24", NULL },
	{ "Wieder erreichbar ab dem 2.12.", "2026-12-02", NULL },
	{ "back on 20 November", "2027-11-20", NULL },
	{ "I'm away from 1 December to 5 December", "2026-12-05", "to" },
	{ "back on 2 December 2025", NULL, NULL },
	{ "until 2028-01-01", NULL, NULL },
	{ "back on 31 February", NULL, NULL },
	{ "I'll be back at 9am", NULL, NULL },
	{ "Reply to 5 people by Friday", NULL, NULL },
	{ "no date here at all", NULL, NULL },
	{ "", NULL, NULL },
	{ "until", NULL, NULL },
	{ "until 99/99/9999 back 1/1/1", NULL, NULL },
	{ "back on Friday the 13th", "2026-11-27", NULL },
	{ "retour le lundi 30 novembre", "2026-11-30", NULL },
};

static void
test_return_dates(void **state)
{
	const char	*at;
	int64_t		 t;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		at = (const char *)1;
		t = inbound_return_date(dates[i].text, NOW, &at);
		if (dates[i].want == NULL) {
			if (t != 0)
				fail_msg("'%s': got %lld, want none",
				    dates[i].text, (long long)t);
			assert_null(at);
			continue;
		}
		if (t != day_of(dates[i].want))
			fail_msg("'%s': got %lld, want %s (%lld)",
			    dates[i].text, (long long)t, dates[i].want,
			    (long long)day_of(dates[i].want));
		assert_non_null(at);
		assert_true(at >= dates[i].text &&
		    at < dates[i].text + strlen(dates[i].text));
		if (dates[i].at != NULL && strncasecmp(at, dates[i].at,
		    strlen(dates[i].at)) != 0)
			fail_msg("'%s': found at '%s'", dates[i].text, at);
	}
	/* a weekday is the next one after ref: on a Monday, "Monday" is in
	 * a week; the anchor is ref's day in UTC */
	assert_int_equal(inbound_return_date("back Monday", NOW, &at),
	    DAY("2026-11-30"));
	assert_int_equal(inbound_return_date("back Tuesday", NOW, &at),
	    DAY("2026-11-24"));
	/* a date without a year on ref's own day is that day */
	assert_int_equal(inbound_return_date("back on 23 November", NOW,
	    &at), DAY("2026-11-23"));
	assert_int_equal(inbound_return_date(NULL, NOW, &at), 0);
}

static int
setup(void **state)
{
	(void)state;
	mime_init();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	mime_shutdown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_table),
		cmocka_unit_test(test_corpus_complete),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_huge_header_line),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_not_mail),
		cmocka_unit_test(test_classify_edges),
		cmocka_unit_test(test_return_dates),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
