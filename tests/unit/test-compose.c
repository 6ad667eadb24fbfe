/*
 * Unit tests for mail/compose: messages built and read back with GMime's
 * own parser and with an independent one (tests/mail/parse-check.py,
 * Python's email package): headers with non-ASCII names and subjects,
 * bodies decoded byte for byte, the wire form (CRLF, 998 octets, 7-bit),
 * every header injection refused, Message-IDs and Date lines.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <gmime/gmime.h>

#include "mail/compose.h"
#include "util/err.h"
#include "util/xmalloc.h"

/* Tests run from the project root. */
#define PARSE_CHECK	"tests/mail/parse-check.py"
#define NOW		((int64_t)1795424400)	/* 2026-11-23T09:00:00Z */
#define SUMMER		((int64_t)1782907200)	/* 2026-07-01T12:00:00Z */

static const struct compose_msg base = {
	.from = { "Pat Sender", "pat@example.com" },
	.to = { "Ann Lee", "ann@example.org" },
	.subject = "Good to meet you",
	.text = "Hi Ann,\n\nGood to meet you at the fair.\n\nPat\n",
	.message_id = "20261123T090000.0123456789abcdef@example.com",
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* The wire form: CRLF only, no line over 998 octets, 7-bit, no NUL. */
static void
check_wire(const char *s, size_t n)
{
	size_t	i, line = 0, lineno = 1;

	assert_true(n >= 2);
	assert_int_equal(s[n], '\0');
	assert_memory_equal(s + n - 2, "\r\n", 2);
	for (i = 0; i < n; i++) {
		if (s[i] == '\r') {
			if (s[i + 1] != '\n')
				fail_msg("line %zu: bare CR", lineno);
			i++;
			line = 0;
			lineno++;
			continue;
		}
		if (s[i] == '\n')
			fail_msg("line %zu: bare LF", lineno);
		if (s[i] == '\0' || (unsigned char)s[i] >= 0x80)
			fail_msg("line %zu: byte 0x%02x", lineno,
			    (unsigned char)s[i]);
		if (++line > 998)
			fail_msg("line %zu is over 998 octets", lineno);
	}
}

/* The header block (up to the empty line), NUL-terminated, malloc'd. */
static char *
header_block(const char *s)
{
	const char	*end;

	end = strstr(s, "\r\n\r\n");
	assert_non_null(end);
	return xstrndup(s, (size_t)(end - s) + 2);
}

/* Longest line of the header block, in octets without CRLF. */
static size_t
header_max_line(const char *s)
{
	char		*h;
	const char	*p, *q;
	size_t		 max = 0;

	h = header_block(s);
	for (p = h; *p != '\0'; p = q + 2) {
		q = strstr(p, "\r\n");
		if ((size_t)(q - p) > max)
			max = (size_t)(q - p);
	}
	free(h);
	return max;
}

static char *
build(const struct compose_msg *m, size_t *len)
{
	struct err	 e;
	char		*out;
	size_t		 n;
	int		 rc;

	rc = compose_build(m, &out, &n, &e);
	if (rc != 0)
		fail_msg("compose_build: %d %s", rc, e.msg);
	assert_non_null(out);
	check_wire(out, n);
	assert_int_equal(strlen(out), n);
	if (len != NULL)
		*len = n;
	return out;
}

static GMimeMessage *
parse(const char *s, size_t n)
{
	GMimeStream	*st;
	GMimeParser	*p;
	GMimeMessage	*m;

	st = g_mime_stream_mem_new_with_buffer(s, n);
	p = g_mime_parser_new_with_stream(st);
	m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(st);
	assert_non_null(m);
	return m;
}

/* The input as it must come back: every line break CRLF, one at the end. */
static char *
want_body(const char *in)
{
	char		*o;
	size_t		 n = 0;
	const char	*p;

	o = xmalloc(strlen(in) * 2 + 3);
	for (p = in; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			p++;
		if (*p == '\r' || *p == '\n') {
			o[n++] = '\r';
			o[n++] = '\n';
		} else
			o[n++] = *p;
	}
	if (n == 0 || o[n - 1] != '\n') {
		o[n++] = '\r';
		o[n++] = '\n';
	}
	o[n] = '\0';
	return o;
}

static void
check_text(GMimeObject *part, const char *subtype, const char *in)
{
	GMimeContentType	*ct;
	char			*got, *want;

	assert_true(GMIME_IS_TEXT_PART(part));
	ct = g_mime_object_get_content_type(part);
	assert_string_equal(g_mime_content_type_get_media_type(ct), "text");
	assert_string_equal(g_mime_content_type_get_media_subtype(ct),
	    subtype);
	assert_string_equal(g_mime_content_type_get_parameter(ct, "charset"),
	    "utf-8");
	got = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	want = want_body(in);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("body is\n[%s]\nnot\n[%s]", got, want);
	g_free(got);
	free(want);
}

static void
expect_fail(const struct compose_msg *m, const char *msg_has)
{
	struct err	 e;
	char		*out = (char *)"x";
	size_t		 n = 7;
	int		 rc;

	e.msg[0] = '\0';
	rc = compose_build(m, &out, &n, &e);
	if (rc != TEND_EINVAL) {
		if (rc == 0)
			free(out);
		fail_msg("want EINVAL ('%s'), got %d", msg_has, rc);
	}
	assert_null(out);
	assert_int_equal(n, 0);
	if (strstr(e.msg, msg_has) == NULL)
		fail_msg("message '%s' has no '%s'", e.msg, msg_has);
	assert_null(strchr(e.msg, '\r'));
	assert_null(strchr(e.msg, '\n'));
}

static const char *
addr_of(InternetAddressList *l, const char **name)
{
	InternetAddress	*ia;

	assert_non_null(l);
	assert_int_equal(internet_address_list_length(l), 1);
	ia = internet_address_list_get_address(l, 0);
	assert_true(INTERNET_ADDRESS_IS_MAILBOX(ia));
	*name = internet_address_get_name(ia);
	return internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
}

/* ------------------------------------------------------------------ */
/* Headers                                                             */

static void
test_plain_message(void **state)
{
	GMimeMessage	*m;
	GMimeObject	*o;
	const char	*name;
	char		*out, *h;
	size_t		 n;

	(void)state;
	out = build(&base, &n);
	h = header_block(out);
	/* the sender adds the Date; nothing else we did not ask for */
	assert_null(strstr(h, "\r\nDate:"));
	assert_true(strncmp(h, "Date:", 5) != 0);
	assert_null(strstr(h, "List-Unsubscribe"));
	assert_null(strstr(h, "In-Reply-To"));
	assert_null(strstr(h, "X-Tend-Kind"));
	assert_null(strstr(h, "Reply-To"));
	assert_non_null(strstr(h, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(h,
	    "\r\nContent-Type: text/plain; charset=utf-8\r\n"));
	assert_non_null(strstr(h, "\r\nContent-Transfer-Encoding: 7bit\r\n"));
	assert_non_null(strstr(h, "\r\nTo: Ann Lee <ann@example.org>\r\n"));
	assert_true(strncmp(h, "From: Pat Sender <pat@example.com>\r\n", 36)
	    == 0);
	free(h);

	m = parse(out, n);
	o = GMIME_OBJECT(m);
	assert_string_equal(addr_of(g_mime_message_get_from(m), &name),
	    "pat@example.com");
	assert_string_equal(name, "Pat Sender");
	assert_string_equal(addr_of(g_mime_message_get_to(m), &name),
	    "ann@example.org");
	assert_string_equal(name, "Ann Lee");
	assert_string_equal(g_mime_message_get_subject(m), base.subject);
	assert_string_equal(g_mime_message_get_message_id(m),
	    base.message_id);
	assert_null(g_mime_object_get_header(o, "List-Unsubscribe"));
	assert_null(g_mime_object_get_header(o, "List-Unsubscribe-Post"));
	assert_null(g_mime_message_get_date(m));
	check_text(g_mime_message_get_mime_part(m), "plain", base.text);
	g_object_unref(m);
	free(out);
}

static void
test_unicode_headers(void **state)
{
	static const char *const names[] = {
		"Zoë Ünïcødé-Smith, Esq.",
		"山田 太郎",
		"Ann \"Nan\" O'Neil (work)",
		"Jörg <not-an-address@example.net>",
		"Ελένη Παπαδοπούλου-Γεωργίου και ένα πολύ μακρύ όνομα που "
		    "συνεχίζεται για πολύ ώρα ακόμα",
		"=?utf-8?q?looks_encoded?=",
		"\tTabbed",
	};
	static const char *const subjects[] = {
		"Héllo — a very long subject line that goes on and on and on "
		    "past the seventy-eight column limit, and then some more "
		    "words to be sure it folds twice or even three times over",
		"Re: 会議のお礼 — 次のステップについてご相談させてください。"
		    "来週のご都合はいかがでしょうか",
		"Plain ASCII subject with a word "
		    "thatisfartoolongtofitononelineofseventyeightcolumnsand"
		    "keepsgoingwithoutanyspaceatall",
		"=?utf-8?b?not really encoded?=",
		"",
	};
	struct compose_msg	 m;
	GMimeMessage		*pm;
	const char		*name;
	char			*out, *h;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		m = base;
		m.from.name = names[i];
		m.to.name = names[i];
		m.subject = subjects[i % (sizeof subjects /
		    sizeof subjects[0])];
		out = build(&m, &n);
		h = header_block(out);
		/* folded: no header line longer than RFC 5322's 78 */
		if (header_max_line(out) > 78)
			fail_msg("a header line is over 78:\n%s", h);
		if (strcmp(m.subject, "") != 0 && strchr(m.subject, ' ') !=
		    NULL && strlen(m.subject) > 100)
			assert_non_null(strstr(h, "\r\nSubject: "));
		free(h);
		pm = parse(out, n);
		assert_string_equal(addr_of(g_mime_message_get_from(pm),
		    &name), "pat@example.com");
		assert_non_null(name);
		if (names[i][0] == '\t')
			assert_string_equal(name, "Tabbed");
		else
			assert_string_equal(name, names[i]);
		assert_string_equal(addr_of(g_mime_message_get_to(pm),
		    &name), "ann@example.org");
		if (names[i][0] != '\t')
			assert_string_equal(name, names[i]);
		if (strstr(m.subject, "=?") == NULL)
			assert_string_equal(g_mime_message_get_subject(pm),
			    m.subject);
		g_object_unref(pm);
		free(out);
	}
}

static void
test_long_subject_word(void **state)
{
	struct compose_msg	 m;
	GMimeMessage		*pm;
	char			 subj[2001], *out;
	size_t			 n;

	(void)state;
	memset(subj, 'x', 2000);
	subj[2000] = '\0';
	m = base;
	m.subject = subj;
	out = build(&m, &n);
	pm = parse(out, n);
	assert_string_equal(g_mime_message_get_subject(pm), subj);
	g_object_unref(pm);
	free(out);
}

static void
test_reply_headers(void **state)
{
	struct compose_msg	 m;
	GMimeMessage		*pm;
	GMimeObject		*o;
	const char		*name;
	char			*out, *h;
	size_t			 n;

	(void)state;
	m = base;
	m.in_reply_to = "CAF=x+y_z.1234@mail.example.net";
	m.reply_to = "replies@example.com";
	out = build(&m, &n);
	h = header_block(out);
	assert_non_null(strstr(h,
	    "\r\nIn-Reply-To: <CAF=x+y_z.1234@mail.example.net>\r\n"));
	assert_non_null(strstr(h,
	    "\r\nReferences: <CAF=x+y_z.1234@mail.example.net>\r\n"));
	free(h);
	pm = parse(out, n);
	o = GMIME_OBJECT(pm);
	assert_string_equal(addr_of(g_mime_message_get_reply_to(pm), &name),
	    "replies@example.com");
	assert_string_equal(g_mime_object_get_header(o, "In-Reply-To"),
	    "<CAF=x+y_z.1234@mail.example.net>");
	g_object_unref(pm);
	free(out);
}

static void
test_unsubscribe_headers(void **state)
{
	struct compose_msg	 m;
	GMimeMessage		*pm;
	GMimeObject		*o;
	char			 url[COMPOSE_URL_MAX + 1], *out, *h, *want;
	size_t			 n;

	(void)state;
	/* url and mailto: RFC 8058 one-click */
	m = base;
	m.unsub_url = "https://tend.example.com/u/YW5uQGV4YW1wbGUub3Jn."
	    "6ZbZx3bF0d6jwPnUq2sP1-Vb0sYq_ZcXyTzA4Y0x1kE";
	m.unsub_mailto = "mailto:unsubscribe@example.com?subject=unsubscribe";
	m.auto_header = "sequence";
	out = build(&m, &n);
	h = header_block(out);
	want = xasprintf("\r\nList-Unsubscribe: <%s>,\r\n <%s>\r\n",
	    m.unsub_url, m.unsub_mailto);
	assert_non_null(strstr(h, want));
	free(want);
	assert_non_null(strstr(h, "\r\nList-Unsubscribe-Post: "
	    "List-Unsubscribe=One-Click\r\n"));
	assert_non_null(strstr(h, "\r\nX-Tend-Kind: sequence\r\n"));
	free(h);
	pm = parse(out, n);
	o = GMIME_OBJECT(pm);
	assert_non_null(g_mime_object_get_header(o, "List-Unsubscribe"));
	assert_string_equal(g_mime_object_get_header(o,
	    "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
	assert_string_equal(g_mime_object_get_header(o, "X-Tend-Kind"),
	    "sequence");
	g_object_unref(pm);
	free(out);

	/* a bare address becomes a mailto; url alone; mailto alone */
	m.unsub_mailto = "unsubscribe+x@example.com";
	out = build(&m, NULL);
	assert_non_null(strstr(out, ",\r\n <mailto:unsubscribe+x@example.com>"
	    "\r\n"));
	free(out);
	m.unsub_mailto = NULL;
	out = build(&m, NULL);
	want = xasprintf("\r\nList-Unsubscribe: <%s>\r\nList-Unsubscribe-Post"
	    ": List-Unsubscribe=One-Click\r\n", m.unsub_url);
	assert_non_null(strstr(out, want));
	free(want);
	free(out);
	m.unsub_url = NULL;
	m.unsub_mailto = "unsubscribe@example.com";
	out = build(&m, NULL);
	assert_non_null(strstr(out, "\r\nList-Unsubscribe: "
	    "<mailto:unsubscribe@example.com>\r\n"));
	assert_null(strstr(out, "List-Unsubscribe-Post"));
	free(out);

	/* the longest URL allowed stays on a line of its own, unencoded */
	m.unsub_mailto = "unsubscribe@example.com";
	memcpy(url, "https://", 8);
	memset(url + 8, 'a', sizeof url - 9);
	url[sizeof url - 1] = '\0';
	m.unsub_url = url;
	out = build(&m, NULL);
	assert_non_null(strstr(out, url));
	assert_null(strstr(out, "=?"));
	free(out);
}

/* ------------------------------------------------------------------ */
/* Bodies                                                              */

struct body_case {
	const char		*what;
	const char		*text;
	GMimeContentEncoding	 enc;
};

static char *
repeat(const char *unit, size_t times, const char *tail)
{
	size_t	ul = strlen(unit), tl = strlen(tail), i;
	char	*s;

	s = xmalloc(ul * times + tl + 1);
	for (i = 0; i < times; i++)
		memcpy(s + i * ul, unit, ul);
	memcpy(s + ul * times, tail, tl + 1);
	return s;
}

static void
check_body(const char *what, const char *text, GMimeContentEncoding enc)
{
	struct compose_msg	 m;
	GMimeMessage		*pm;
	GMimeObject		*part;
	char			*out;
	size_t			 n;

	m = base;
	m.text = text;
	out = build(&m, &n);
	pm = parse(out, n);
	part = g_mime_message_get_mime_part(pm);
	if (g_mime_part_get_content_encoding(GMIME_PART(part)) != enc)
		fail_msg("%s: encoding %s, not %s", what,
		    g_mime_content_encoding_to_string(
		    g_mime_part_get_content_encoding(GMIME_PART(part))),
		    g_mime_content_encoding_to_string(enc));
	check_text(part, "plain", text);
	g_object_unref(pm);
	free(out);
}

static void
test_bodies(void **state)
{
	static const struct body_case cases[] = {
		{ "ascii", "Hello\nworld\n", GMIME_CONTENT_ENCODING_7BIT },
		{ "no final newline", "Hello", GMIME_CONTENT_ENCODING_7BIT },
		{ "empty", "", GMIME_CONTENT_ENCODING_7BIT },
		{ "crlf", "a\r\nb\r\n", GMIME_CONTENT_ENCODING_7BIT },
		{ "bare cr", "a\rb\r\rc", GMIME_CONTENT_ENCODING_7BIT },
		{ "mixed breaks", "a\r\n\nb\n\r\nc\r",
		    GMIME_CONTENT_ENCODING_7BIT },
		{ "dots", ".\n..\n.dot\n. \nend\n.",
		    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE },
		{ "dots only", ".\n..\n.dot\nend\n.",
		    GMIME_CONTENT_ENCODING_7BIT },
		{ "smuggling", "a\n.\r\nMAIL FROM:<x@example.com>\r\n.\rb\n",
		    GMIME_CONTENT_ENCODING_7BIT },
		{ "From lines", "Hi\nFrom the fair, with love\n>From x\n",
		    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE },
		{ "trailing blanks", "a  \nb\t\nc \n",
		    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE },
		{ "equals", "a=b\n=?utf-8?q?x?=\n=\n=0D=0A\n",
		    GMIME_CONTENT_ENCODING_7BIT },
		{ "latin", "Grüße aus Köln! Thanks for the great chat at "
		    "the fair.\n",
		    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE },
		{ "cjk", "会議のお礼を申し上げます。\n次のステップについて"
		    "ご相談させてください。\n",
		    GMIME_CONTENT_ENCODING_BASE64 },
		{ "emoji", "👋🎉🚀 great to meet you 🙂\n",
		    GMIME_CONTENT_ENCODING_BASE64 },
	};
	size_t	i;
	char	*s;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_body(cases[i].what, cases[i].text, cases[i].enc);

	/* lines longer than SMTP allows, ASCII and not */
	s = repeat("0123456789", 300, "\nshort\n");
	check_body("long ascii", s, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	free(s);
	s = repeat("é", 1000, "\n");
	check_body("long latin", s, GMIME_CONTENT_ENCODING_BASE64);
	free(s);
	s = repeat("word ", 400, "ünd\n");
	check_body("long mostly ascii", s,
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	free(s);
	s = repeat("x", 5000, "  \n.\nFrom me\n");
	check_body("long with blanks", s,
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	free(s);
	/* a big body */
	s = repeat("Lorem ipsum dolor sit amet, ünïcode.\n", 20000, "");
	check_body("big", s, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	free(s);
}

static void
test_html_alternative(void **state)
{
	struct compose_msg	 m;
	GMimeMessage		*pm;
	GMimeObject		*top;
	GMimeMultipart		*mp;
	GMimeContentType	*ct;
	char			*out, *html;
	size_t			 n;

	(void)state;
	html = repeat("<p>Grüße, <b>Ann</b> — ", 100, "</p>\n.\n");
	m = base;
	m.text = "Grüße, Ann\n";
	m.html = html;
	out = build(&m, &n);
	assert_non_null(strstr(out,
	    "\r\nContent-Type: multipart/alternative;"));
	assert_non_null(strstr(out, "boundary=\"=-tend-"));
	pm = parse(out, n);
	top = g_mime_message_get_mime_part(pm);
	assert_true(GMIME_IS_MULTIPART(top));
	ct = g_mime_object_get_content_type(top);
	assert_string_equal(g_mime_content_type_get_media_subtype(ct),
	    "alternative");
	mp = GMIME_MULTIPART(top);
	assert_int_equal(g_mime_multipart_get_count(mp), 2);
	check_text(g_mime_multipart_get_part(mp, 0), "plain", m.text);
	check_text(g_mime_multipart_get_part(mp, 1), "html", html);
	g_object_unref(pm);
	free(out);
	free(html);
}

/* ------------------------------------------------------------------ */
/* What is refused                                                     */

static void
test_injection(void **state)
{
	static const char *const attacks[] = {
		"x\r\nBcc: evil@example.net",
		"x\nBcc: evil@example.net",
		"x\rBcc: evil@example.net",
		"\r\n",
		"evil@example.net\r\n\r\nfake body",
		"x\r\n Bcc: folded@example.net",
		"ann@example.org\nTo: evil@example.net",
	};
	struct compose_msg	 m;
	const char		**fields[] = {
		&m.from.name, &m.from.addr, &m.to.name, &m.to.addr,
		&m.reply_to, &m.subject, &m.message_id, &m.in_reply_to,
		&m.unsub_url, &m.unsub_mailto, &m.auto_header,
	};
	struct err		 e;
	size_t			 i, j;

	(void)state;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		for (j = 0; j < sizeof attacks / sizeof attacks[0]; j++) {
			m = base;
			*fields[i] = attacks[j];
			expect_fail(&m, "contains a line break");
		}
	/* the names in the messages */
	m = base;
	m.to.name = "a\nb";
	expect_fail(&m, "recipient name contains a line break");
	m = base;
	m.from.addr = "a\r@example.com";
	expect_fail(&m, "sender address contains a line break");
	m = base;
	m.subject = "a\r\nb";
	expect_fail(&m, "subject contains a line break");

	/* other control characters */
	m = base;
	m.subject = "bell\a";
	expect_fail(&m, "subject contains a control character (0x07)");
	m = base;
	m.to.name = "esc\x1b[31m";
	expect_fail(&m, "recipient name contains a control character (0x1b)");
	m = base;
	m.from.name = "del\x7f";
	expect_fail(&m, "control character (0x7f)");
	m = base;
	m.subject = "bad \xff utf-8";
	expect_fail(&m, "subject is not valid UTF-8");
	m = base;
	m.to.name = "\xc3\x28";
	expect_fail(&m, "recipient name is not valid UTF-8");

	/* NUL: only a value with a length can hold one */
	assert_int_equal(compose_header_checkn("name", "Ann\0Bcc: x", 10, &e),
	    TEND_EINVAL);
	assert_string_equal(e.msg, "name contains a NUL byte");
	assert_int_equal(compose_header_checkn("name", "Ann\0\r\nBcc", 9, &e),
	    TEND_EINVAL);
	assert_string_equal(e.msg, "name contains a line break");
	assert_int_equal(compose_header_checkn("name", "Ann", 3, &e), 0);
	assert_int_equal(compose_header_check("name", "Zoë\tA", &e), 0);
	assert_int_equal(compose_header_check("name", "", &e), 0);
	assert_int_equal(compose_header_check("subject", "a\nb", NULL),
	    TEND_EINVAL);
}

static void
test_bad_values(void **state)
{
	static const char *const bad_addrs[] = {
		"", "ann", "ann@", "@example.com", "ann@example",
		"ann@@example.com", "a b@example.com", "<ann@example.com>",
		"ann@example.com>", "ann@exa_mple.com", "ann.@example.com",
		"a..b@example.com", "ann@-example.com", "\"ann\"@example.com",
		"ann@example.com, eve@example.net",
	};
	static const char *const bad_ids[] = {
		"", "noat", "a@b@c", "<a@example.com>", "a b@example.com",
		"a..b@example.com", ".a@example.com", "a@example.com.",
		"a@", "@example.com", "a@[127.0.0.1]", "a\"b@example.com",
		"é@example.com",
	};
	static const char *const bad_urls[] = {
		"", "ftp://example.com/u", "https://", "https:///path",
		"https://exa mple.com/", "javascript:alert(1)",
		"https://example.com/<x>", "https://example.com/a,b",
		"https://example.com/é", "example.com/u",
	};
	static const char *const bad_kinds[] = {
		"", "a b", "a:b", "sequence;x", "é",
	};
	struct compose_msg	 m;
	char			 big[COMPOSE_HEADER_MAX + 2], id[252];
	char			 url[COMPOSE_URL_MAX + 2];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad_addrs / sizeof bad_addrs[0]; i++) {
		m = base;
		m.to.addr = bad_addrs[i];
		expect_fail(&m, "recipient address");
		m = base;
		m.from.addr = bad_addrs[i];
		expect_fail(&m, "sender address");
		m = base;
		m.reply_to = bad_addrs[i];
		expect_fail(&m, "reply-to address");
	}
	m = base;
	m.to.addr = "ann@exa_mple.com";
	expect_fail(&m, "invalid recipient address 'ann@exa_mple.com'");
	m = base;
	m.to.addr = NULL;
	expect_fail(&m, "recipient address is missing");
	m = base;
	m.from.addr = NULL;
	expect_fail(&m, "sender address is missing");
	/* a UTF-8 local part needs SMTPUTF8 */
	m = base;
	m.to.addr = "jörg@example.de";
	expect_fail(&m, "recipient address 'jörg@example.de' has non-ASCII "
	    "characters before the @");

	for (i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
		m = base;
		m.message_id = bad_ids[i];
		expect_fail(&m, "message-id");
		m = base;
		m.in_reply_to = bad_ids[i];
		expect_fail(&m, "in-reply-to");
	}
	m = base;
	m.message_id = "a b@example.com";
	expect_fail(&m, "invalid message-id 'a b@example.com'");
	m = base;
	m.message_id = NULL;
	expect_fail(&m, "message-id is missing");
	memset(id, 'a', sizeof id - 1);
	memcpy(id + sizeof id - 13, "@example.com", 13);
	m = base;
	m.message_id = id;	/* 251 octets */
	expect_fail(&m, "invalid message-id");

	for (i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
		m = base;
		m.unsub_url = bad_urls[i];
		expect_fail(&m, "unsubscribe url");
	}
	memcpy(url, "https://", 8);
	memset(url + 8, 'a', sizeof url - 9);
	url[sizeof url - 1] = '\0';
	m = base;
	m.unsub_url = url;
	expect_fail(&m, "invalid unsubscribe url");
	m = base;
	m.unsub_url = "https://example.com/u/x";
	m.unsub_mailto = "mailto:";
	expect_fail(&m, "invalid unsubscribe mailto");
	m.unsub_mailto = "mailto:a b@example.com";
	expect_fail(&m, "invalid unsubscribe mailto");
	m.unsub_mailto = "not an address";
	expect_fail(&m, "unsubscribe address");

	for (i = 0; i < sizeof bad_kinds / sizeof bad_kinds[0]; i++) {
		m = base;
		m.auto_header = bad_kinds[i];
		expect_fail(&m, "message kind");
	}

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	m = base;
	m.subject = big;
	expect_fail(&m, "subject is too long (2049 bytes, at most 2048)");
	m = base;
	m.text = NULL;
	expect_fail(&m, "message text is missing");
	m = base;
	m.text = "caf\xe9\n";
	expect_fail(&m, "message text is not valid UTF-8");
	m = base;
	m.html = "<p>\xed\xa0\x80</p>";	/* a surrogate */
	expect_fail(&m, "message html is not valid UTF-8");
}

static void
test_idn_domain(void **state)
{
	struct compose_msg	 m;
	char			*out;

	(void)state;
	m = base;
	m.to.addr = "ann@exämple.com";
	out = build(&m, NULL);	/* 7-bit: the domain in punycode */
	assert_non_null(strstr(out, "<ann@xn--exmple-cua.com>"));
	free(out);
}

/* ------------------------------------------------------------------ */
/* Message-ID, Date                                                    */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_message_id(void **state)
{
	enum { N = 2000 };
	struct compose_msg	 m;
	char			*ids[N], *id, *out;
	size_t			 i;

	(void)state;
	id = compose_message_id("Ann.Lee@Mail.Example.COM", NOW);
	assert_int_equal(strlen(id), 15 + 1 + 16 + 1 + 16);
	assert_memory_equal(id, "20261123T090000.", 16);
	for (i = 16; i < 32; i++)
		assert_non_null(strchr("0123456789abcdef", id[i]));
	assert_string_equal(id + 32, "@mail.example.com");
	/* and compose_build takes it */
	m = base;
	m.message_id = id;
	out = build(&m, NULL);
	free(out);
	free(id);

	id = compose_message_id("no-domain", SUMMER);
	assert_memory_equal(id, "20260701T120000.", 16);
	assert_string_equal(id + 32, "@tend.invalid");
	free(id);
	id = compose_message_id("ann@exämple.com", NOW);
	assert_string_equal(id + 32, "@tend.invalid");
	free(id);

	for (i = 0; i < N; i++)
		ids[i] = compose_message_id("pat@example.com", NOW);
	qsort(ids, N, sizeof ids[0], cmp_str);
	for (i = 1; i < N; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			fail_msg("duplicate Message-ID %s", ids[i]);
	for (i = 0; i < N; i++)
		free(ids[i]);
}

static void
test_date(void **state)
{
	static const struct {
		int64_t		 t;
		const char	*tz;
		const char	*want;
	} cases[] = {
		{ NOW, "UTC", "Mon, 23 Nov 2026 09:00:00 +0000" },
		{ NOW, "Europe/Paris", "Mon, 23 Nov 2026 10:00:00 +0100" },
		{ SUMMER, "Europe/Paris", "Wed, 01 Jul 2026 14:00:00 +0200" },
		{ NOW, "Asia/Kolkata", "Mon, 23 Nov 2026 14:30:00 +0530" },
		{ NOW, "Asia/Kathmandu", "Mon, 23 Nov 2026 14:45:00 +0545" },
		{ NOW, "America/St_Johns", "Mon, 23 Nov 2026 05:30:00 -0330" },
		{ SUMMER, "America/St_Johns",
		    "Wed, 01 Jul 2026 09:30:00 -0230" },
		{ NOW, "Australia/Adelaide",
		    "Mon, 23 Nov 2026 19:30:00 +1030" },
		{ NOW, "Pacific/Kiritimati",
		    "Mon, 23 Nov 2026 23:00:00 +1400" },
		{ NOW, "Pacific/Pago_Pago", "Sun, 22 Nov 2026 22:00:00 -1100" },
		{ NOW + 15 * 3600 + 7, "UTC",
		    "Tue, 24 Nov 2026 00:00:07 +0000" },
		{ 0, "UTC", "Thu, 01 Jan 1970 00:00:00 +0000" },
	};
	char	buf[COMPOSE_DATE_MAX], want[COMPOSE_DATE_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(want, sizeof want, "Date: %s\r\n", cases[i].want);
		assert_ptr_equal(compose_date(buf, sizeof buf, cases[i].t,
		    cases[i].tz), buf);
		if (strcmp(buf, want) != 0)
			fail_msg("%s: [%s] not [%s]", cases[i].tz, buf, want);
	}
	/* NULL is the process's zone: TZ here */
	setenv("TZ", "UTC", 1);
	compose_date(buf, sizeof buf, NOW, NULL);
	assert_string_equal(buf, "Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n");
}

/* ------------------------------------------------------------------ */
/* Threads, and the independent parser                                 */

static void *
build_many(void *arg)
{
	struct compose_msg	 m;
	struct err		 e;
	char			 name[64], *id, *out;
	size_t			 n, i;
	long			 bad = 0;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "Zoë %ld-%zu",
		    (long)(intptr_t)arg, i);
		id = compose_message_id("pat@example.com", NOW);
		m = base;
		m.to.name = name;
		m.message_id = id;
		m.text = "Grüße\n";
		m.html = i % 2 ? "<p>Grüße</p>" : NULL;
		if (compose_build(&m, &out, &n, &e) != 0 ||
		    strstr(out, id) == NULL)
			bad++;
		free(out);
		free(id);
	}
	return (void *)(intptr_t)bad;
}

static void
test_threads(void **state)
{
	pthread_t	th[4];
	void		*bad;
	intptr_t	 i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, build_many,
		    (void *)i), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], &bad), 0);
		assert_int_equal((intptr_t)bad, 0);
	}
}

/* Run parse-check.py on f with args; its exit status, output in got. */
static int
run_check(const char *f, const char *args, char *got, size_t n)
{
	char	 cmd[4096];
	FILE	*p;
	size_t	 k;
	int	 rc;

	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s %s 2>&1",
	    PARSE_CHECK, f, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	k = fread(got, 1, n - 1, p);
	got[k] = '\0';
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *
write_temp(const char *data, size_t n)
{
	char	*path;
	FILE	*f;
	int	 fd;

	path = xstrdup("/tmp/test-compose-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
test_python_reads_it(void **state)
{
	struct compose_msg	 m;
	char			 got[65536], args[2048], date[COMPOSE_DATE_MAX];
	char			*out, *path, *tpath, *text, *dated;
	size_t			 n;
	int			 rc;

	(void)state;
	if (access("/usr/bin/python3", X_OK) != 0) {
		print_message("skipped: no /usr/bin/python3\n");
		skip();
	}
	text = repeat("Grüße — ", 200, "\n.\n..\nFrom here  \nend");
	m = base;
	m.from.name = "Zoë Ünïcødé-Smith, Esq.";
	m.to.name = "山田 太郎";
	m.subject = "Re: 会議のお礼 — a long subject, folded over more than "
	    "one line of the header";
	m.text = text;
	m.html = "<p>Grüße</p>";
	m.in_reply_to = "prev.1@example.com";
	m.unsub_url = "https://tend.example.com/u/abc.def";
	m.unsub_mailto = "unsubscribe@example.com";
	m.auto_header = "sequence";
	out = build(&m, &n);
	path = write_temp(out, n);
	tpath = write_temp(text, strlen(text));
	snprintf(args, sizeof args, "--raw --expect-unsub --expect-no-date "
	    "--subject '%s' --from pat@example.com --to ann@example.org "
	    "--to-name '山田 太郎' --in-reply-to prev.1@example.com "
	    "--kind sequence --body-has 'From here  ' --html-has Grüße "
	    "--text-file %s", m.subject, tpath);
	rc = run_check(path, args, got, sizeof got);
	if (rc != 0)
		fail_msg("parse-check (%d):\n%s", rc, got);
	assert_non_null(strstr(got, "\"from_name\": \"Zoë Ünïcødé-Smith, "
	    "Esq.\""));
	assert_non_null(strstr(got, "\"list_unsubscribe\": [\"https://"
	    "tend.example.com/u/abc.def\", \"mailto:unsubscribe@example.com\""
	    "]"));
	assert_non_null(strstr(got, "\"message_id\": \"20261123T090000."
	    "0123456789abcdef@example.com\""));
	/* the same check fails when asked for what is not there */
	rc = run_check(path, "--raw", got, sizeof got);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(got, "unexpected List-Unsubscribe"));
	rc = run_check(path, "--raw --expect-unsub --subject nope", got,
	    sizeof got);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(got, "Subject is"));
	unlink(path);
	free(path);

	/* with the Date line the sender adds, and in smtp-sink's form */
	compose_date(date, sizeof date, NOW, "Europe/Paris");
	dated = xasprintf("X-Client-Addr: 127.0.0.1\nX-Client-Proto: ESMTP\n"
	    "X-Helo-Args: localhost\nX-Mail-Args: <pat@example.com>\n"
	    "X-Rcpt-Args: <ann@example.org>\nReceived: from localhost "
	    "([127.0.0.1])\n\tby smtp-sink (smtp-sink) with ESMTP id 1;\n"
	    "\tMon, 23 Nov 2026 09:00:00 +0000 (UTC)\n%s%s\n", date, out);
	/* smtp-sink strips each CR */
	for (n = 0; dated[n] != '\0'; n++)
		if (dated[n] == '\r')
			memmove(dated + n, dated + n + 1, strlen(dated + n));
	path = write_temp(dated, strlen(dated));
	snprintf(args, sizeof args, "--expect-unsub --expect-date "
	    "--text-file %s", tpath);
	rc = run_check(path, args, got, sizeof got);
	if (rc != 0)
		fail_msg("parse-check on the sink form (%d):\n%s", rc, got);
	assert_non_null(strstr(got, "\"date\": \"2026-11-23T10:00:00+01:00\""));
	unlink(path);
	free(path);
	free(dated);

	/* a damaged message: a bare LF and an 8-bit header */
	dated = xasprintf("Subject: caf\xc3\xa9\r\n%s", out);
	memcpy(strstr(dated, "\r\n\r\n"), "\n\r\r\n", 4);
	path = write_temp(dated, strlen(dated));
	rc = run_check(path, "--raw --any-unsub", got, sizeof got);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(got, "8-bit"));
	unlink(path);
	free(path);
	free(dated);

	unlink(tpath);
	free(tpath);
	free(text);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_message),
		cmocka_unit_test(test_unicode_headers),
		cmocka_unit_test(test_long_subject_word),
		cmocka_unit_test(test_reply_headers),
		cmocka_unit_test(test_unsubscribe_headers),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_html_alternative),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_idn_domain),
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_python_reads_it),
	};
	int	rc;

	compose_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	compose_shutdown();
	return rc;
}
