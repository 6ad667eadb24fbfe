/*
 * Outgoing mail: every input checked first (no header injection), the
 * header block written here, the MIME body by GMime 3 (src/mail/mime.c),
 * and a message whose wire form is CRLF, 7-bit clean and within 998
 * octets a line, verified once more before it is handed out.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "core/contact.h"
#include "core/when.h"
#include "mail/compose.h"
#include "mail/plugin.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define MSGID_MAX	250	/* "In-Reply-To: <id>" stays one line */
#define KIND_MAX	64
#define LINE_MAX_OCTETS	998

/*
 * GMime lives in the mail plugin (src/mail/mime.c, loaded by the
 * commands that send mail): linked into tend, its libraries would add
 * some 20 ms to every command.
 */
static const struct mail_plugin *
compose_mime(void)
{
	return mail_plugin_get(NULL);
}

void
compose_init(void)
{
	const struct mail_plugin	*p;

	if ((p = compose_mime()) != NULL)
		p->mime_init();
	/* randombytes_buf (Message-IDs, boundaries) wants it; idempotent */
	if (sodium_init() < 0)
		abort();
}

void
compose_shutdown(void)
{
	const struct mail_plugin	*p;

	if ((p = mail_plugin_loaded()) != NULL)
		p->mime_shutdown();
}

/* ------------------------------------------------------------------ */
/* Checks on what comes from outside.                                  */

int
compose_header_checkn(const char *what, const char *v, size_t n,
    struct err *e)
{
	size_t		i;
	unsigned char	c;

	/* line breaks first: they are the injection, say so */
	for (i = 0; i < n; i++) {
		c = (unsigned char)v[i];
		if (c == '\r' || c == '\n')
			return err_set(e, TEND_EINVAL,
			    "%s contains a line break", what);
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)v[i];
		if (c == '\0')
			return err_set(e, TEND_EINVAL,
			    "%s contains a NUL byte", what);
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return err_set(e, TEND_EINVAL,
			    "%s contains a control character (0x%02x)", what,
			    c);
	}
	if (n > COMPOSE_HEADER_MAX)
		return err_set(e, TEND_EINVAL,
		    "%s is too long (%zu bytes, at most %d)", what, n,
		    COMPOSE_HEADER_MAX);
	if (!text_utf8_valid(v, n))
		return err_set(e, TEND_EINVAL, "%s is not valid UTF-8", what);
	return 0;
}

int
compose_header_check(const char *what, const char *v, struct err *e)
{
	return compose_header_checkn(what, v, strlen(v), e);
}

/*
 * An address: no header tricks, a valid address, and ASCII before the @:
 * a UTF-8 local part needs SMTPUTF8 end to end (RFC 6531), which tend
 * does not speak.  A UTF-8 domain is fine: GMime writes it in punycode.
 */
static int
compose_addr_check(const char *what, const char *addr, struct err *e)
{
	char		 w[64];
	const char	*p;
	int		 rc;

	snprintf(w, sizeof w, "%s address", what);
	if (addr == NULL || *addr == '\0')
		return err_set(e, TEND_EINVAL, "%s is missing", w);
	if ((rc = compose_header_check(w, addr, e)) != 0)
		return rc;
	if (contact_email_check(addr, NULL) != 0)
		return err_set(e, TEND_EINVAL, "invalid %s '%s'", w, addr);
	for (p = addr; *p != '@'; p++)
		if ((unsigned char)*p >= 0x80)
			return err_set(e, TEND_EINVAL, "%s '%s' has non-ASCII "
			    "characters before the @ (SMTPUTF8), which tend "
			    "cannot send", w, addr);
	return 0;
}

static int
compose_name_check(const char *what, const char *name, struct err *e)
{
	char	w[64];

	if (name == NULL)
		return 0;
	snprintf(w, sizeof w, "%s name", what);
	return compose_header_check(w, name, e);
}

/* ASCII letters and digits, whatever the locale says of other bytes. */
static int
compose_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* RFC 5322 atext, the characters of a dot-atom besides the dots. */
static int
compose_atext(int c)
{
	return compose_alnum(c) ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* A dot-atom-text of n bytes at s: atoms separated by single dots. */
static int
compose_dot_atom(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!compose_atext((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* A msg-id without its brackets: dot-atom "@" dot-atom (RFC 5322 3.6.4). */
static int
compose_msgid_check(const char *what, const char *id, struct err *e)
{
	const char	*at;
	size_t		 n;
	int		 rc;

	if (id == NULL || *id == '\0')
		return err_set(e, TEND_EINVAL, "%s is missing", what);
	if ((rc = compose_header_check(what, id, e)) != 0)
		return rc;
	n = strlen(id);
	at = strchr(id, '@');
	if (n > MSGID_MAX || at == NULL ||
	    !compose_dot_atom(id, (size_t)(at - id)) ||
	    !compose_dot_atom(at + 1, n - (size_t)(at - id) - 1))
		return err_set(e, TEND_EINVAL, "invalid %s '%s'", what, id);
	return 0;
}

/* What may stand between < and > in List-Unsubscribe: a URI, no blanks. */
static int
compose_uri_chars(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f ||
		    strchr("<>\"\\,", *s) != NULL)
			return 0;
	return 1;
}

static int
compose_url_check(const char *url, struct err *e)
{
	const char	*host;
	int		 rc;

	if ((rc = compose_header_check("unsubscribe url", url, e)) != 0)
		return rc;
	if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		host = NULL;
	if (host == NULL || *host == '\0' || *host == '/' ||
	    strlen(url) > COMPOSE_URL_MAX || !compose_uri_chars(url))
		return err_set(e, TEND_EINVAL, "invalid unsubscribe url '%s'",
		    url);
	return 0;
}

/* "mailto:..." as given, or an address made into one; *out malloc'd. */
static int
compose_mailto(const char *v, char **out, struct err *e)
{
	int	rc;

	*out = NULL;
	if ((rc = compose_header_check("unsubscribe mailto", v, e)) != 0)
		return rc;
	if (strncasecmp(v, "mailto:", 7) == 0) {
		if (v[7] == '\0' || strlen(v) > COMPOSE_URL_MAX ||
		    !compose_uri_chars(v))
			return err_set(e, TEND_EINVAL,
			    "invalid unsubscribe mailto '%s'", v);
		*out = xstrdup(v);
		return 0;
	}
	if ((rc = compose_addr_check("unsubscribe", v, e)) != 0)
		return rc;
	*out = xasprintf("mailto:%s", v);
	return 0;
}

static int
compose_kind_check(const char *kind, struct err *e)
{
	const char	*p;
	int		 rc;

	if ((rc = compose_header_check("message kind", kind, e)) != 0)
		return rc;
	for (p = kind; *p != '\0'; p++)
		if (!compose_alnum((unsigned char)*p) &&
		    strchr("._-", *p) == NULL)
			break;
	if (*p != '\0' || p == kind || p - kind > KIND_MAX)
		return err_set(e, TEND_EINVAL, "invalid message kind '%s'",
		    kind);
	return 0;
}

static int
compose_body_check(const char *what, const char *body, struct err *e)
{
	size_t	n;

	if (body == NULL)
		return err_set(e, TEND_EINVAL, "%s is missing", what);
	n = strlen(body);
	if (n > COMPOSE_BODY_MAX)
		return err_set(e, TEND_EINVAL,
		    "%s is too long (%zu bytes, at most %d)", what, n,
		    COMPOSE_BODY_MAX);
	if (!text_utf8_valid(body, n))
		return err_set(e, TEND_EINVAL, "%s is not valid UTF-8", what);
	return 0;
}

static int
compose_check(const struct compose_msg *m, struct err *e)
{
	int	rc;

	if ((rc = compose_addr_check("sender", m->from.addr, e)) != 0 ||
	    (rc = compose_name_check("sender", m->from.name, e)) != 0 ||
	    (rc = compose_addr_check("recipient", m->to.addr, e)) != 0 ||
	    (rc = compose_name_check("recipient", m->to.name, e)) != 0)
		return rc;
	if (m->reply_to != NULL &&
	    (rc = compose_addr_check("reply-to", m->reply_to, e)) != 0)
		return rc;
	if (m->subject != NULL &&
	    (rc = compose_header_check("subject", m->subject, e)) != 0)
		return rc;
	if ((rc = compose_body_check("message text", m->text, e)) != 0)
		return rc;
	if (m->html != NULL &&
	    (rc = compose_body_check("message html", m->html, e)) != 0)
		return rc;
	if ((rc = compose_msgid_check("message-id", m->message_id, e)) != 0)
		return rc;
	if (m->in_reply_to != NULL &&
	    (rc = compose_msgid_check("in-reply-to", m->in_reply_to, e)) != 0)
		return rc;
	if (m->unsub_url != NULL &&
	    (rc = compose_url_check(m->unsub_url, e)) != 0)
		return rc;
	if (m->auto_header != NULL &&
	    (rc = compose_kind_check(m->auto_header, e)) != 0)
		return rc;
	if (m->auto_submitted != NULL &&
	    strcmp(m->auto_submitted, "auto-replied") != 0 &&
	    strcmp(m->auto_submitted, "auto-generated") != 0)
		return err_set(e, TEND_EINVAL, "invalid auto-submitted '%s'",
		    m->auto_submitted);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building.                                                           */

/* 2 * n random bytes as lower-case hex into buf (2 * n + 1 bytes). */
static void
compose_random_hex(char *buf, size_t n)
{
	unsigned char	r[32];

	randombytes_buf(r, n);
	sodium_bin2hex(buf, 2 * n + 1, r, n);
	sodium_memzero(r, sizeof r);
}

char *
compose_message_id(const char *from_addr, int64_t now)
{
	const char	*dom;
	char		 hex[17], stamp[32], *id, *p;
	struct tm	 tm;
	time_t		 t = (time_t)now;
	size_t		 i;

	compose_init();
	dom = strrchr(from_addr, '@');
	dom = dom == NULL ? "" : dom + 1;
	for (i = 0; dom[i] != '\0'; i++)
		if (!compose_alnum((unsigned char)dom[i]) && dom[i] != '-' &&
		    dom[i] != '.')
			break;
	if (dom[i] != '\0' || !compose_dot_atom(dom, i))
		dom = "tend.invalid";
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	compose_random_hex(hex, 8);
	id = xasprintf("%s.%s@%s", stamp, hex, dom);
	for (p = strchr(id, '@'); *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return id;
}

/* ------------------------------------------------------------------ */
/* The header block, written here rather than through GMimeMessage:    */
/* GMime 3.2 writes a long run of CJK text as one encoded-word of any   */
/* length (RFC 2047 allows 75) and turns a long URL in an unknown       */
/* header into encoded-words; and a GMimeMessage with its header events */
/* costs most of the time of a message.  GMime does the MIME body.     */

#define FOLD_COL	78	/* RFC 5322's SHOULD; 998 is the MUST */
#define EW_MAX		75	/* RFC 2047: octets of one encoded-word */
#define EW_OVERHEAD	12	/* "=?UTF-8?Q?" "?=" */
#define PHRASE_RAW_MAX	60	/* longer ASCII names are encoded */

/* The header block being written, and the column of its last line. */
struct hbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	size_t	 col;
	int	 first;		/* no word yet in this header */
};

static void
hbuf_add(struct hbuf *h, const char *s, size_t n)
{
	if (h->len + n + 1 > h->cap) {
		if (h->cap == 0)
			h->cap = 1024;
		while (h->len + n + 1 > h->cap)
			h->cap *= 2;
		h->s = xrealloc(h->s, h->cap);
	}
	memcpy(h->s + h->len, s, n);
	h->len += n;
	h->s[h->len] = '\0';
}

static void
hbuf_begin(struct hbuf *h, const char *name)
{
	hbuf_add(h, name, strlen(name));
	hbuf_add(h, ":", 1);
	h->col = strlen(name) + 1;
	h->first = 1;
}

static void
hbuf_end(struct hbuf *h)
{
	hbuf_add(h, "\r\n", 2);
}

/*
 * A space and a word, or a fold and the word when the line would pass
 * FOLD_COL (never before a header's first word).  The fold replaces the
 * space, so unfolding gives it back.
 */
static void
hbuf_word(struct hbuf *h, const char *w, size_t n)
{
	if (!h->first && h->col + 1 + n > FOLD_COL) {
		hbuf_add(h, "\r\n ", 3);
		h->col = 1;
	} else {
		hbuf_add(h, " ", 1);
		h->col++;
	}
	hbuf_add(h, w, n);
	h->col += n;
	h->first = 0;
}

/*
 * s[0..n) as "=?UTF-8?Q?...?=" words, each within EW_MAX and the line,
 * cut between characters (RFC 2047 5: no split UTF-8 sequence).  White
 * space between encoded-words is not part of the text, so the breaks
 * between them are free.  Q rather than B: GMime's decoder joins the
 * payloads of adjacent B words before decoding and stops at the first
 * word's "=" padding.  Only the characters RFC 2047 5(3) allows in a
 * phrase go as they are, so the same words serve names and subjects.
 */
static void
hbuf_encoded(struct hbuf *h, const char *s, size_t n)
{
	static const char	hex[] = "0123456789ABCDEF";
	char			word[EW_MAX + 1], c[12];
	size_t			room, wl, cl, k, len;
	unsigned char		b;

	while (n > 0) {
		room = EW_MAX;
		if (h->col + 1 + EW_OVERHEAD + 12 <= FOLD_COL &&
		    FOLD_COL - h->col - 1 < EW_MAX)
			room = FOLD_COL - h->col - 1;
		memcpy(word, "=?UTF-8?Q?", 10);
		wl = 10;
		for (;;) {
			/* one character: its bytes, encoded */
			b = (unsigned char)s[0];
			len = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
			if (len > n)
				len = n;
			cl = 0;
			for (k = 0; k < len; k++) {
				b = (unsigned char)s[k];
				if (b == ' ')
					c[cl++] = '_';
				else if (compose_alnum(b) ||
				    (b != 0 && strchr("!*+-/", b) != NULL))
					c[cl++] = (char)b;
				else {
					c[cl++] = '=';
					c[cl++] = hex[b >> 4];
					c[cl++] = hex[b & 0xf];
				}
			}
			if (wl + cl + 2 > room && wl > 10)
				break;
			memcpy(word + wl, c, cl);
			wl += cl;
			s += len;
			n -= len;
			if (n == 0)
				break;
		}
		memcpy(word + wl, "?=", 2);
		hbuf_word(h, word, wl + 2);
	}
}

/* A word that can go as it is: VCHARs only, no "=?", short enough. */
static int
hbuf_plain(const char *w, size_t n)
{
	size_t	i;

	if (n > FOLD_COL - 1)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)w[i] <= ' ' || (unsigned char)w[i] >= 0x7f ||
		    (w[i] == '=' && i + 1 < n && w[i + 1] == '?'))
			return 0;
	return 1;
}

/*
 * Unstructured text (Subject): the plain words as they are, and from the
 * first word that is not plain to the end, encoded-words.  Leading or
 * trailing blanks would be lost by readers, so they encode it all.
 */
static void
hbuf_text(struct hbuf *h, const char *s)
{
	const char	*w, *sp;
	size_t		 n = strlen(s);

	w = s;
	if (n > 0 && s[0] != ' ' && s[n - 1] != ' ') {
		for (;;) {
			sp = strchr(w, ' ');
			if (sp == NULL)
				sp = s + n;
			if (!hbuf_plain(w, (size_t)(sp - w)))
				break;
			hbuf_word(h, w, (size_t)(sp - w));
			if (*sp == '\0')
				return;
			w = sp + 1;
		}
	}
	hbuf_encoded(h, w, n - (size_t)(w - s));
}

/* A display name: atoms, a quoted-string, or encoded-words. */
static void
hbuf_phrase(struct hbuf *h, const char *name)
{
	const char	*p;
	char		 q[2 * PHRASE_RAW_MAX + 3];
	size_t		 n = strlen(name), k = 0;
	int		 atoms = 1;

	if (n > PHRASE_RAW_MAX || name[0] == ' ' || name[n - 1] == ' ' ||
	    strstr(name, "  ") != NULL || strstr(name, "=?") != NULL)
		goto encode;
	for (p = name; *p != '\0'; p++) {
		if ((unsigned char)*p < ' ' || (unsigned char)*p >= 0x7f)
			goto encode;
		if (*p != ' ' && !compose_atext((unsigned char)*p))
			atoms = 0;
	}
	if (atoms) {
		hbuf_text(h, name);
		return;
	}
	q[k++] = '"';
	for (p = name; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			q[k++] = '\\';
		q[k++] = *p;
	}
	q[k++] = '"';
	hbuf_word(h, q, k);
	return;
encode:
	hbuf_encoded(h, name, n);
}

/*
 * The address as it goes in a header: ASCII (the local part was checked),
 * the domain in punycode when it is not.
 */
static char *
compose_ascii_addr(const char *addr)
{
	const char	*p;

	for (p = addr; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			break;
	if (*p == '\0')
		return xstrdup(addr);
	return compose_mime()->mime_idn_addr(addr);
}

/* "name: <value>" for ASCII values checked by the caller. */
static void
hbuf_header(struct hbuf *h, const char *name, const char *lt,
    const char *value, const char *gt)
{
	char	*v;

	v = xasprintf("%s%s%s", lt, value, gt);
	hbuf_begin(h, name);
	hbuf_word(h, v, strlen(v));
	hbuf_end(h);
	free(v);
}

static void
hbuf_mailbox(struct hbuf *h, const char *header, const char *name,
    const char *addr)
{
	char	*a, *w;

	a = compose_ascii_addr(addr);
	hbuf_begin(h, header);
	if (name != NULL && *name != '\0') {
		hbuf_phrase(h, name);
		w = xasprintf("<%s>", a);
		hbuf_word(h, w, strlen(w));
		free(w);
	} else
		hbuf_word(h, a, strlen(a));
	hbuf_end(h);
	free(a);
}

static void
compose_headers(struct hbuf *h, const struct compose_msg *m,
    const char *mailto)
{
	char	*v;

	hbuf_mailbox(h, "From", m->from.name, m->from.addr);
	hbuf_mailbox(h, "To", m->to.name, m->to.addr);
	if (m->reply_to != NULL)
		hbuf_mailbox(h, "Reply-To", NULL, m->reply_to);
	if (m->subject != NULL) {
		hbuf_begin(h, "Subject");
		if (*m->subject == '\0')
			hbuf_add(h, " ", 1);
		else
			hbuf_text(h, m->subject);
		hbuf_end(h);
	}
	hbuf_header(h, "Message-ID", "<", m->message_id, ">");
	if (m->in_reply_to != NULL) {
		hbuf_header(h, "In-Reply-To", "<", m->in_reply_to, ">");
		hbuf_header(h, "References", "<", m->in_reply_to, ">");
	}
	if (m->unsub_url != NULL || mailto != NULL) {
		/* one URI a word: a long URL goes on a line of its own */
		hbuf_begin(h, "List-Unsubscribe");
		if (m->unsub_url != NULL) {
			v = xasprintf("<%s>%s", m->unsub_url,
			    mailto != NULL ? "," : "");
			hbuf_word(h, v, strlen(v));
			free(v);
		}
		if (mailto != NULL) {
			v = xasprintf("<%s>", mailto);
			hbuf_word(h, v, strlen(v));
			free(v);
		}
		hbuf_end(h);
	}
	/* RFC 8058: one-click only with an http(s) URI to POST to */
	if (m->unsub_url != NULL)
		hbuf_header(h, "List-Unsubscribe-Post", "",
		    "List-Unsubscribe=One-Click", "");
	if (m->auto_header != NULL)
		hbuf_header(h, "X-Tend-Kind", "", m->auto_header, "");
	if (m->auto_submitted != NULL) {
		hbuf_header(h, "Auto-Submitted", "", m->auto_submitted, "");
		hbuf_header(h, "X-Auto-Response-Suppress", "", "All", "");
	}
	hbuf_add(h, "MIME-Version: 1.0\r\n", 19);
}

/* The wire form must be CRLF only, within 998 octets a line. */
static int
compose_wire_ok(const char *s, size_t n)
{
	size_t	i, line = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r') {
			if (i + 1 >= n || s[i + 1] != '\n')
				return 0;
			i++;
			line = 0;
		} else if (s[i] == '\n' || s[i] == '\0' ||
		    ++line > LINE_MAX_OCTETS)
			return 0;
	}
	return n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n';
}

int
compose_build(const struct compose_msg *m, char **out, size_t *len,
    struct err *e)
{
	const struct mail_plugin	*p;
	struct hbuf			 h = { NULL, 0, 0, 0, 0 };
	char				*mailto = NULL, *body = NULL;
	char				 hex[33], boundary[48];
	size_t				 blen;
	int				 rc;

	*out = NULL;
	*len = 0;
	if ((p = mail_plugin_get(e)) == NULL)
		return e != NULL ? e->code : TEND_EIO;
	compose_init();
	if ((rc = compose_check(m, e)) != 0)
		goto out;
	if (m->unsub_mailto != NULL &&
	    (rc = compose_mailto(m->unsub_mailto, &mailto, e)) != 0)
		goto out;
	compose_headers(&h, m, mailto);
	/*
	 * The boundary from libsodium: GMime's own reads /dev/urandom each
	 * time.  128 random bits cannot occur in a body by chance.
	 */
	compose_random_hex(hex, 16);
	snprintf(boundary, sizeof boundary, "=-tend-%s", hex);
	if ((rc = p->mime_body(m->text, m->html, boundary, &body, &blen,
	    e)) != 0)
		goto out;
	*len = h.len + blen;
	*out = xmalloc(*len + 1);
	memcpy(*out, h.s, h.len);
	memcpy(*out + h.len, body, blen);
	(*out)[*len] = '\0';
	if (!compose_wire_ok(*out, *len)) {
		free(*out);
		*out = NULL;
		*len = 0;
		rc = err_set(e, TEND_EIO, "composed message '%s' is not "
		    "valid on the wire", m->message_id);
		goto out;
	}
	rc = 0;
out:
	free(body);
	free(mailto);
	free(h.s);
	return rc;
}

char *
compose_date(char *buf, size_t n, int64_t t, const char *tz)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	struct when_tm	tm;
	int		off, sign = '+';

	when_split(t, tz, &tm);
	off = tm.gmtoff;
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	snprintf(buf, n, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02d%02d\r\n",
	    days[tm.wday % 7], tm.day, months[(tm.month - 1) % 12], tm.year,
	    tm.hour, tm.min, tm.sec, sign, off / 3600, off % 3600 / 60);
	return buf;
}
