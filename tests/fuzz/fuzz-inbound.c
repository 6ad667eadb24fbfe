/*
 * libFuzzer target for reading incoming mail: each input is parsed
 * (src/mail/parse.c) and, when it is a message, classified with a few
 * contexts a caller could give (src/mail/inbound.c).  Checks what must
 * hold for any bytes: no crash, no leak, every string of the record
 * valid UTF-8 without control characters (but tab and LF in the text),
 * the text within INBOUND_TEXT_MAX, a class and a reason for every
 * verdict, and a return date only within a year of the message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "mail/inbound.h"
#include "mail/mime.h"
#include "mail/parse.h"
#include "util/err.h"

#define REF	((int64_t)1795424400)	/* 2026-11-23T09:00:00Z */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
bad(const char *what, const char *s)
{
	fprintf(stderr, "fuzz-inbound: %s: '%s'\n", what,
	    s != NULL ? s : "(null)");
	abort();
}

static void
check(const char *what, const char *s, int multiline)
{
	const unsigned char	*p = (const unsigned char *)s;

	if (s == NULL)
		return;
	if (!g_utf8_validate(s, -1, NULL))
		bad(what, "invalid UTF-8");
	for (; *p != '\0'; p++) {
		if (*p == 0x7f || (*p < 0x20 && *p != '\t' &&
		    !(multiline && *p == '\n')))
			bad(what, s);
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
			bad(what, s);
	}
}

static void
check_msg(const struct inbound_msg *m)
{
	size_t	i;

	check("message_id", m->message_id, 0);
	for (i = 0; i < m->nrefs; i++)
		check("ref", m->refs[i], 0);
	check("from_addr", m->from_addr, 0);
	check("from_name", m->from_name, 0);
	check("reply_to", m->reply_to, 0);
	check("sender", m->sender, 0);
	check("return_path", m->return_path, 0);
	for (i = 0; i < m->nrcpts; i++)
		check("rcpt", m->rcpts[i], 0);
	check("subject", m->subject, 0);
	check("text", m->text, 1);
	if (m->text != NULL && strlen(m->text) > INBOUND_TEXT_MAX)
		bad("text over INBOUND_TEXT_MAX", "");
	check("auto_submitted", m->auto_submitted, 0);
	check("precedence", m->precedence, 0);
	check("content_type", m->content_type, 0);
	check("report_type", m->report_type, 0);
	for (i = 0; i < m->nbounced; i++) {
		if (m->bounced[i].addr == NULL)
			bad("bounced without an address", "");
		check("bounced.addr", m->bounced[i].addr, 0);
		check("bounced.status", m->bounced[i].status, 0);
		check("bounced.action", m->bounced[i].action, 0);
		check("bounced.diagnostic", m->bounced[i].diagnostic, 0);
	}
	check("orig_message_id", m->orig_message_id, 0);
	check("feedback_type", m->feedback_type, 0);
}

static void
classify(const struct inbound_msg *m, const struct inbound_ctx *ctx)
{
	struct inbound_verdict	v;

	inbound_classify(m, ctx, REF, &v);
	if ((unsigned)v.cls > INBOUND_INQUIRY)
		bad("class", inbound_class_name(v.cls));
	if (v.why[0] == '\0' || memchr(v.why, '\0', sizeof v.why) == NULL)
		bad("why", "empty or unterminated");
	if (v.back_on != 0 && (v.back_on < REF - 86400 ||
	    v.back_on > REF + 367 * 86400))
		bad("back_on out of the window", v.back_text);
	if (v.back_on != 0 && v.back_text == NULL)
		bad("back_on without back_text", "");
	check("why", v.why, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	static const char *const own[] = { "pat@example.com",
	    "neko@libsisimai.org" };
	struct inbound_msg	*m = NULL;
	struct inbound_ctx	 ctx;
	struct err		 e;
	const char		*at;
	char			*text;

	if (!ready) {
		mime_init();
		ready = 1;
	}
	if (mime_parse((const char *)data, size, &m, &e) != 0) {
		if (m != NULL ||
		    strncmp(e.msg, "not a mail message: ", 20) != 0)
			bad("error", e.msg);
		goto dates;
	}
	check_msg(m);
	memset(&ctx, 0, sizeof ctx);
	classify(m, &ctx);
	ctx.own = own;
	ctx.nown = 2;
	ctx.inquiry_addr = "hello@pat.example";
	ctx.unsub_addr = "pat@example.com";
	ctx.unknown_inquiry = 1;
	classify(m, &ctx);
	ctx.thread_contact = 3;
	ctx.from_contact = 3;
	classify(m, &ctx);
	ctx.from_contact = 0;
	ctx.same_domain = 1;
	classify(m, &ctx);
	ctx.thread_contact = 0;
	ctx.from_contact = 7;
	classify(m, &ctx);
	mime_msg_free(m);
dates:
	/* the return-date reader on the raw bytes as text */
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (inbound_return_date(text, REF, &at) != 0 && (at == NULL ||
	    at < text || at >= text + size))
		bad("return date position", text);
	free(text);
	return 0;
}
