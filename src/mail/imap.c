/*
 * Reading a mailbox over IMAP.  libcurl's own IMAP transfers do not fit:
 * its FETCH asks for BODY[], which sets \Seen, and a CUSTOMREQUEST FETCH
 * hands back the untagged lines but loses the literal.  So curl does what
 * it does well, with CURLOPT_CONNECT_ONLY on an imap:// or imaps:// URL:
 * connect, STARTTLS or TLS with the certificate checked, and the login
 * (SASL or LOGIN, whatever the server offers).  curl_easy_perform returns
 * once the server has said OK to the login (checked against dovecot 2.3
 * with curl 7.88: the next command is already in the authenticated
 * state), and this file speaks the rest of IMAP4rev1 (RFC 3501) itself
 * over curl_easy_send and curl_easy_recv, through curl's TLS: EXAMINE,
 * NOOP and UID SEARCH, UID FETCH of RFC822.SIZE and then of BODY.PEEK[],
 * LOGOUT.
 *
 * Every read waits at most timeout_ms for the server (poll on curl's
 * socket), every line and literal has a maximum, and a connection in an
 * unknown state (dropped, timed out, a response that makes no sense) is
 * closed and says so to every later call.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/socket.h>

#include <curl/curl.h>

#include "mail/imap.h"
#include "mail/smtp.h"
#include "mail/url.h"
#include "util/xmalloc.h"

#define IMAP_TIMEOUT_MS		60000L
#define IMAP_CONNECT_MS		10000L
/* A response line without its literals.  The longest we read is the
 * answer to UID SEARCH: about 4 MB holds 400,000 UIDs. */
#define IMAP_LINE_MAX		(4u << 20)
#define IMAP_BUF_START		16384u
#define IMAP_MAILBOX_MAX	255	/* bytes in a mailbox name */
#define IMAP_TEXT_MAX		200	/* of a server's text in messages */

/* What a command is for: which untagged responses matter. */
enum cmd_kind {
	CMD_PLAIN,
	CMD_EXAMINE,
	CMD_SEARCH,
	CMD_SIZE,
	CMD_BODY
};

enum cmd_status {
	ST_OK,
	ST_NO,
	ST_BAD
};

/* One command and what its responses said. */
struct cmd {
	enum cmd_kind	 kind;
	enum cmd_status	 status;
	char		 text[IMAP_TEXT_MAX + 1];	/* of the tagged one */

	/* EXAMINE */
	uint32_t	 uidvalidity;
	uint32_t	 uidnext;

	/* UID SEARCH */
	uint32_t	 after;
	uint32_t	*uids;
	size_t		 n;
	size_t		 cap;

	/* UID FETCH */
	uint32_t	 uid;
	size_t		 max;
	int		 found;		/* a FETCH for uid came */
	uint64_t	 size;		/* its RFC822.SIZE */
	char		*data;		/* its BODY[] */
	size_t		 len;
};

struct imap {
	CURL		*curl;
	curl_socket_t	 fd;
	char		*url;		/* scheme://host:port/, for curl */
	char		*where;		/* host:port, for messages */
	char		*mailbox;	/* as configured, for messages */
	char		*quoted;	/* as said on the wire */
	char		*user;
	char		*password;
	enum imap_tls	 tls;
	long		 timeout_ms;
	uint32_t	 uidvalidity;
	uint32_t	 uidnext;
	unsigned int	 tag;
	char		 tagstr[16];
	const char	*doing;		/* the command under way */
	int		 broken;	/* nothing more to say on this one */
	char		 bye[IMAP_TEXT_MAX + 1];
	char		 reply[IMAP_TEXT_MAX + 1];	/* during the login */
	char		 errbuf[CURL_ERROR_SIZE];

	/* Read from the server, not yet used: buf[start, end). */
	char		*buf;
	size_t		 cap;
	size_t		 start;
	size_t		 end;
	size_t		 scan;		/* bytes after start with no LF */
};

/* ---- small things ---------------------------------------------------- */

/* Copy server text into dst, printable ASCII only, bounded. */
static void
text_copy(char *dst, size_t size, const char *p, size_t n)
{
	size_t	 i, k = 0;

	for (i = 0; i < n && k + 1 < size; i++) {
		unsigned char	c = (unsigned char)p[i];

		dst[k++] = c >= ' ' && c < 0x7f ? (char)c : '?';
	}
	dst[k] = '\0';
}

/* Hide every occurrence of the password in buf. */
static void
redact(const struct imap *m, char *buf)
{
	size_t	 pl;
	char	*p;

	if (m == NULL || m->password == NULL)
		return;
	pl = strlen(m->password);
	/* One or two characters would hide ordinary words. */
	if (pl < 3)
		return;
	p = strstr(buf, m->password);
	while (p != NULL) {
		memset(p, '*', pl);
		p = strstr(p + pl, m->password);
	}
}

/* The status returned by a public function, with the message cleaned. */
static int
done(const struct imap *m, int rc, struct err *e)
{
	if (rc != 0 && e != NULL)
		redact(m, e->msg);
	return rc;
}

/* A number of 1 to 10 digits at *pp (advanced) no larger than max. */
static int
num_parse(const char **pp, const char *end, uint64_t max, uint64_t *out)
{
	const char	*p = *pp;
	uint64_t	 v = 0;
	int		 digits = 0;

	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p - '0');
		if (++digits > 20 || v > max)
			return -1;
		p++;
	}
	if (digits == 0)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

/* Does [p, end) start with s, ignoring case?  Then skip it. */
static int
skip_word(const char **pp, const char *end, const char *s)
{
	size_t	 n = strlen(s);

	if ((size_t)(end - *pp) < n || strncasecmp(*pp, s, n) != 0)
		return 0;
	*pp += n;
	return 1;
}

/*
 * The size of the literal that ends the line ("{123}" or "{123+}"), or
 * -1 when it does not end with one.
 */
static int64_t
literal_at_end(const char *line, size_t len)
{
	const char	*p, *end = line + len;
	uint64_t	 n;
	size_t		 i;

	if (len < 3 || line[len - 1] != '}')
		return -1;
	i = len - 1;
	if (i > 0 && line[i - 1] == '+')
		i--;
	while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9')
		i--;
	if (i == 0 || line[i - 1] != '{')
		return -1;
	p = line + i;
	if (num_parse(&p, end, UINT32_MAX, &n) != 0)
		return -1;
	return (int64_t)n;
}

/* ---- errors for a connection ---------------------------------------- */

/*
 * The connection is in a state nothing more can be said in: close the
 * socket (so curl does not say LOGOUT into it either) and return a
 * temporary failure with the message.
 */
static int
lost(struct imap *m, struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
lost(struct imap *m, struct err *e, int code, const char *fmt, ...)
{
	char	 msg[ERR_MSG_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!m->broken && m->fd != CURL_SOCKET_BAD) {
		/* Fails only if already closed, which is what we want. */
		(void)shutdown(m->fd, SHUT_RDWR);
	}
	m->broken = 1;
	return err_set(e, code, "imap '%s' %s", m->where, msg);
}

/* The server went away: what it said as it left, or why we think so. */
static int
closed(struct imap *m, struct err *e, const char *why)
{
	if (m->bye[0] != '\0')
		return lost(m, e, TEND_EMAIL_TEMP, "closed the connection "
		    "during %s: %s", m->doing, m->bye);
	if (why != NULL)
		return lost(m, e, TEND_EMAIL_TEMP, "dropped the connection "
		    "during %s: %s", m->doing, why);
	return lost(m, e, TEND_EMAIL_TEMP, "dropped the connection during %s",
	    m->doing);
}

static int
malformed(struct imap *m, struct err *e)
{
	return lost(m, e, TEND_EMAIL_TEMP, "sent a response to %s that is "
	    "not IMAP", m->doing);
}

/* ---- reading and writing -------------------------------------------- */

/* Wait until the socket is ready for events, at most timeout_ms. */
static int
io_wait(struct imap *m, short events, struct err *e)
{
	struct pollfd	 p;
	int		 n, ms;

	ms = m->timeout_ms > INT_MAX ? INT_MAX : (int)m->timeout_ms;
	p.fd = m->fd;
	p.events = events;
	p.revents = 0;
	do {
		/* A signal restarts the wait: rare, and bounded. */
		n = poll(&p, 1, ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return lost(m, e, TEND_EMAIL_TEMP, "cannot be waited for: %s",
		    strerror(errno));
	if (n == 0)
		return lost(m, e, TEND_EMAIL_TEMP, "did not answer %s within "
		    "%ld ms", m->doing, m->timeout_ms);
	return 0;
}

/* Read what is there into dst (at least a byte): 0 or an error. */
static int
io_recv(struct imap *m, char *dst, size_t size, size_t *got, struct err *e)
{
	CURLcode	 cc;
	int		 rc;

	for (;;) {
		*got = 0;
		/* TLS may hold decrypted bytes the socket no longer shows:
		 * always ask curl first, wait only when it has none. */
		cc = curl_easy_recv(m->curl, dst, size, got);
		if (cc == CURLE_OK && *got > 0)
			return 0;
		if (cc == CURLE_OK)
			return closed(m, e, NULL);
		if (cc != CURLE_AGAIN)
			return closed(m, e, curl_easy_strerror(cc));
		if ((rc = io_wait(m, POLLIN, e)) != 0)
			return rc;
	}
}

static int
io_send(struct imap *m, const char *p, size_t n, struct err *e)
{
	CURLcode	 cc;
	size_t		 sent;
	int		 rc;

	while (n > 0) {
		sent = 0;
		cc = curl_easy_send(m->curl, p, n, &sent);
		if (cc == CURLE_AGAIN) {
			if ((rc = io_wait(m, POLLOUT, e)) != 0)
				return rc;
			continue;
		}
		if (cc != CURLE_OK)
			return lost(m, e, TEND_EMAIL_TEMP, "dropped the "
			    "connection before %s: %s", m->doing,
			    curl_easy_strerror(cc));
		p += sent;
		n -= sent;
	}
	return 0;
}

/* More bytes into the buffer, growing it up to a line's maximum. */
static int
rd_more(struct imap *m, struct err *e)
{
	size_t	 got, ncap;
	int	 rc;

	if (m->start > 0) {
		memmove(m->buf, m->buf + m->start, m->end - m->start);
		m->end -= m->start;
		m->start = 0;
	}
	if (m->end == m->cap) {
		if (m->cap >= IMAP_LINE_MAX + 2)
			return lost(m, e, TEND_EMAIL_TEMP, "sent a line over "
			    "%u bytes in answer to %s", IMAP_LINE_MAX,
			    m->doing);
		ncap = m->cap * 2;
		if (ncap > IMAP_LINE_MAX + 2)
			ncap = IMAP_LINE_MAX + 2;
		m->buf = xrealloc(m->buf, ncap);
		m->cap = ncap;
	}
	if ((rc = io_recv(m, m->buf + m->end, m->cap - m->end, &got, e)) != 0)
		return rc;
	m->end += got;
	return 0;
}

/*
 * The next line, without its CRLF (a bare LF is taken too).  *line
 * points into the buffer and is good until the next read.
 */
static int
rd_line(struct imap *m, const char **line, size_t *len, struct err *e)
{
	char	*nl;
	size_t	 n;
	int	 rc;

	for (;;) {
		nl = memchr(m->buf + m->start + m->scan, '\n',
		    m->end - m->start - m->scan);
		if (nl != NULL) {
			*line = m->buf + m->start;
			n = (size_t)(nl - *line);
			m->start += n + 1;
			m->scan = 0;
			if (n > 0 && (*line)[n - 1] == '\r')
				n--;
			if (n > IMAP_LINE_MAX)
				return lost(m, e, TEND_EMAIL_TEMP, "sent a "
				    "line over %u bytes in answer to %s",
				    IMAP_LINE_MAX, m->doing);
			*len = n;
			return 0;
		}
		m->scan = m->end - m->start;
		if (m->scan > IMAP_LINE_MAX)
			return lost(m, e, TEND_EMAIL_TEMP, "sent a line over "
			    "%u bytes in answer to %s", IMAP_LINE_MAX,
			    m->doing);
		if ((rc = rd_more(m, e)) != 0)
			return rc;
	}
}

/*
 * The n bytes of a literal, into dst (n of room), or dropped when dst is
 * NULL.  Bytes already buffered come first, the rest straight from the
 * connection.
 */
static int
rd_literal(struct imap *m, char *dst, size_t n, struct err *e)
{
	size_t	 take, got;
	int	 rc;

	take = m->end - m->start;
	if (take > n)
		take = n;
	if (dst != NULL)
		memcpy(dst, m->buf + m->start, take);
	m->start += take;
	m->scan = 0;
	while (take < n) {
		if (dst != NULL) {
			rc = io_recv(m, dst + take, n - take, &got, e);
		} else {
			/* Everything buffered was used: start afresh. */
			m->start = m->end = 0;
			rc = io_recv(m, m->buf, n - take < m->cap ? n - take :
			    m->cap, &got, e);
		}
		if (rc != 0)
			return rc;
		take += got;
	}
	return 0;
}

/* ---- responses ------------------------------------------------------- */

/*
 * The rest of an untagged response nobody asked for: each literal that
 * ends a line is read and dropped, with the line that follows it.
 */
static int
skip_rest(struct imap *m, const char *line, size_t len, struct err *e)
{
	int64_t	 n;
	int	 rc;

	for (;;) {
		n = literal_at_end(line, len);
		if (n < 0)
			return 0;
		if ((uint64_t)n > IMAP_LINE_MAX)
			return lost(m, e, TEND_EMAIL_TEMP, "sent a literal of "
			    "%lld bytes nobody asked for", (long long)n);
		if ((rc = rd_literal(m, NULL, (size_t)n, e)) != 0)
			return rc;
		if ((rc = rd_line(m, &line, &len, e)) != 0)
			return rc;
	}
}

/* Where a FETCH response's item list has got to. */
struct fetch_scan {
	int		 depth;		/* parentheses open */
	int		 want_value;	/* an item name was read */
	char		 item[32];	/* which, upper case */
	int		 has_uid;
	uint32_t	 uid;
	int		 has_size;
	uint64_t	 size;
};

enum {
	SCAN_END,		/* the item list closed */
	SCAN_LITERAL,		/* a literal follows the segment */
	SCAN_BAD
};

/* An atom, with any [section] (which may hold spaces) and <partial>. */
static const char *
atom_end(const char *p, const char *end)
{
	int	 br = 0;

	while (p < end) {
		if (*p == '[')
			br++;
		else if (*p == ']' && br > 0)
			br--;
		else if (br == 0 && (*p == ' ' || *p == '(' || *p == ')'))
			break;
		p++;
	}
	return p;
}

/*
 * Scan one segment of a FETCH response's item list: the line, or what
 * follows a literal up to the next.  On SCAN_LITERAL *lit is its size.
 */
static int
fetch_scan(struct fetch_scan *fs, const char *p, const char *end,
    uint64_t *lit)
{
	const char	*q;
	uint64_t	 v;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			return fs->depth == 0 ? SCAN_END : SCAN_BAD;
		switch (*p) {
		case '(':
			fs->depth++;
			p++;
			continue;
		case ')':
			if (fs->depth == 0)
				return SCAN_BAD;
			fs->depth--;
			if (fs->depth == 0)
				return SCAN_END;
			if (fs->depth == 1)
				fs->want_value = 0;
			p++;
			continue;
		case '{':
			q = p + 1;
			if (num_parse(&q, end, UINT32_MAX, &v) != 0)
				return SCAN_BAD;
			if (q < end && *q == '+')
				q++;
			if (q + 1 != end || *q != '}')
				return SCAN_BAD;
			*lit = v;
			return SCAN_LITERAL;
		case '"':
			for (q = p + 1; q < end && *q != '"'; q++) {
				if (*q == '\\')
					q++;
			}
			if (q >= end)
				return SCAN_BAD;
			p = q + 1;
			if (fs->depth == 1)
				fs->want_value = 0;
			continue;
		default:
			break;
		}
		if (fs->depth == 0)
			return SCAN_BAD;
		q = atom_end(p, end);
		if (fs->depth == 1 && !fs->want_value) {
			text_copy(fs->item, sizeof fs->item, p,
			    (size_t)(q - p));
			fs->want_value = 1;
		} else if (fs->depth == 1) {
			if (strcasecmp(fs->item, "UID") == 0) {
				if (num_parse(&p, q, UINT32_MAX, &v) != 0 ||
				    p != q || v == 0)
					return SCAN_BAD;
				fs->has_uid = 1;
				fs->uid = (uint32_t)v;
			} else if (strcasecmp(fs->item, "RFC822.SIZE") == 0) {
				if (num_parse(&p, q, UINT64_MAX / 10, &v) !=
				    0 || p != q)
					return SCAN_BAD;
				fs->has_size = 1;
				fs->size = v;
			}
			fs->want_value = 0;
		}
		p = q;
	}
}

/*
 * "* N FETCH (...)": the item list from p on, across any literals.  Only
 * BODY[] of the UID asked for is kept, and only within the maximum: a
 * bigger literal is not read (the connection goes with it).
 */
static int
on_fetch(struct imap *m, struct cmd *c, const char *line, size_t len,
    const char *p, struct err *e)
{
	struct fetch_scan	 fs;
	uint64_t		 lit = 0;
	char			*data = NULL;
	size_t			 dlen = 0;
	int			 r, rc = 0, body;

	memset(&fs, 0, sizeof fs);
	for (;;) {
		r = fetch_scan(&fs, p, line + len, &lit);
		if (r == SCAN_BAD) {
			rc = malformed(m, e);
			goto out;
		}
		if (r == SCAN_END)
			break;
		body = fs.depth == 1 && fs.want_value &&
		    strcasecmp(fs.item, "BODY[]") == 0 && c->kind == CMD_BODY &&
		    (!fs.has_uid || fs.uid == c->uid) && data == NULL;
		if (fs.depth == 1)
			fs.want_value = 0;
		if (body && lit > c->max) {
			rc = lost(m, e, TEND_EINVAL, "has message uid %u of "
			    "%llu bytes, over the maximum of %zu: not read",
			    c->uid, (unsigned long long)lit, c->max);
			goto out;
		}
		if (body) {
			data = xmalloc((size_t)lit + 1);
			dlen = (size_t)lit;
			rc = rd_literal(m, data, dlen, e);
			data[dlen] = '\0';
		} else if (lit > IMAP_LINE_MAX) {
			rc = lost(m, e, TEND_EMAIL_TEMP, "sent a literal of "
			    "%llu bytes nobody asked for",
			    (unsigned long long)lit);
		} else {
			rc = rd_literal(m, NULL, (size_t)lit, e);
		}
		if (rc != 0)
			goto out;
		if ((rc = rd_line(m, &line, &len, e)) != 0)
			goto out;
		p = line;
	}
	/* A UID FETCH answer names its UID (RFC 3501 6.4.8); other FETCH
	 * responses (flags changed by someone else) are not ours. */
	if (fs.has_uid && fs.uid != c->uid)
		goto out;
	if (!fs.has_uid && data == NULL)
		goto out;
	c->found = 1;
	if (fs.has_size)
		c->size = fs.size;
	if (data != NULL) {
		free(c->data);
		c->data = data;
		c->len = dlen;
		data = NULL;
	}
out:
	free(data);
	return rc;
}

/* "* SEARCH 1 2 3": the UIDs above c->after. */
static int
on_search(struct imap *m, struct cmd *c, const char *p, const char *end,
    struct err *e)
{
	uint64_t	 v;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			return 0;
		if (*p < '0' || *p > '9') {
			/* (MODSEQ n) and the like: not asked for */
			while (p < end && *p != ' ')
				p++;
			continue;
		}
		if (num_parse(&p, end, UINT32_MAX, &v) != 0 || v == 0 ||
		    (p < end && *p != ' '))
			return malformed(m, e);
		/* n:* always holds the last message, even below n. */
		if (v <= c->after)
			continue;
		if (c->n == c->cap) {
			c->cap = c->cap == 0 ? 64 : c->cap * 2;
			c->uids = xrealloc(c->uids, c->cap * sizeof *c->uids);
		}
		c->uids[c->n++] = (uint32_t)v;
	}
}

/* A response code "[NAME n]" at p: n, or 0 when it is not that one. */
static uint32_t
code_number(const char *p, const char *end, const char *name)
{
	uint64_t	 v;

	if (!skip_word(&p, end, name))
		return 0;
	if (num_parse(&p, end, UINT32_MAX, &v) != 0 || p >= end || *p != ']')
		return 0;
	return (uint32_t)v;
}

/* One untagged response ("* ..."), with anything after its literals. */
static int
on_untagged(struct imap *m, struct cmd *c, const char *line, size_t len,
    struct err *e)
{
	const char	*p = line + 2, *end = line + len;
	uint64_t	 seq;
	uint32_t	 v;

	if (skip_word(&p, end, "OK [")) {
		if (c->kind == CMD_EXAMINE) {
			v = code_number(p, end, "UIDVALIDITY ");
			if (v != 0)
				c->uidvalidity = v;
			v = code_number(p, end, "UIDNEXT ");
			if (v != 0)
				c->uidnext = v;
		}
	} else if (skip_word(&p, end, "BYE")) {
		while (p < end && *p == ' ')
			p++;
		text_copy(m->bye, sizeof m->bye, p, (size_t)(end - p));
	} else if (skip_word(&p, end, "SEARCH") && (p == end || *p == ' ')) {
		if (c->kind == CMD_SEARCH)
			return on_search(m, c, p, end, e);
	} else if (num_parse(&p, end, UINT32_MAX, &seq) == 0 &&
	    skip_word(&p, end, " FETCH ")) {
		return on_fetch(m, c, line, len, p, e);
	}
	return skip_rest(m, line, len, e);
}

/*
 * Say a command and read every response up to its tagged one, whose
 * status and text go in c.  An error means the connection is lost.
 */
static int
cmd_run(struct imap *m, struct cmd *c, const char *verb, const char *args,
    struct err *e)
{
	const char	*line, *p, *end;
	char		*out;
	size_t		 len, tl;
	int		 rc;

	m->doing = verb;
	if (m->broken)
		return err_set(e, TEND_EMAIL_TEMP, "imap '%s': the connection "
		    "was lost before %s: open it again", m->where, verb);
	m->tag++;
	snprintf(m->tagstr, sizeof m->tagstr, "T%u", m->tag);
	out = xasprintf("%s %s%s%s\r\n", m->tagstr, verb,
	    args != NULL ? " " : "", args != NULL ? args : "");
	rc = io_send(m, out, strlen(out), e);
	free(out);
	if (rc != 0)
		return rc;
	tl = strlen(m->tagstr);
	for (;;) {
		if ((rc = rd_line(m, &line, &len, e)) != 0)
			return rc;
		end = line + len;
		if (len > tl && memcmp(line, m->tagstr, tl) == 0 &&
		    line[tl] == ' ')
			break;
		if (len >= 2 && line[0] == '*' && line[1] == ' ') {
			if ((rc = on_untagged(m, c, line, len, e)) != 0)
				return rc;
			continue;
		}
		/* We send no literals: a continuation request asks for
		 * nothing we have.  Anything else is not IMAP. */
		if (len >= 1 && line[0] == '+')
			continue;
		return malformed(m, e);
	}
	p = line + tl + 1;
	if (skip_word(&p, end, "OK"))
		c->status = ST_OK;
	else if (skip_word(&p, end, "NO"))
		c->status = ST_NO;
	else if (skip_word(&p, end, "BAD"))
		c->status = ST_BAD;
	else
		return malformed(m, e);
	while (p < end && *p == ' ')
		p++;
	text_copy(c->text, sizeof c->text, p, (size_t)(end - p));
	return 0;
}

/* Does a NO say "try again later" (RFC 5530 response codes)? */
static int
text_is_temporary(const char *t)
{
	if (strncasecmp(t, "NO ", 3) == 0)
		t += 3;
	return strncasecmp(t, "[UNAVAILABLE]", 13) == 0 ||
	    strncasecmp(t, "[INUSE]", 7) == 0 ||
	    strncasecmp(t, "[SERVERBUG]", 11) == 0 ||
	    strncasecmp(t, "[LIMIT]", 7) == 0;
}

/* ---- checking what we are given ------------------------------------- */

/*
 * The mailbox as a quoted string (RFC 3501), with "&" as "&-" (modified
 * UTF-7, RFC 3501 5.1.3).  Names beyond ASCII would need all of that
 * encoding: refused.
 */
static int
mailbox_quote(struct imap *m, const char *name, struct err *e)
{
	size_t	 i, n, k = 0;
	char	*q;

	n = strlen(name);
	if (n > IMAP_MAILBOX_MAX)
		return err_set(e, TEND_EINVAL, "imap mailbox name is over %d "
		    "bytes", IMAP_MAILBOX_MAX);
	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)name[i];

		if (c >= 0x80)
			return err_set(e, TEND_EINVAL, "imap mailbox '%s' is "
			    "not ASCII: such names are not supported", name);
		if (c < ' ' || c == 0x7f)
			return err_set(e, TEND_EINVAL, "imap mailbox name has "
			    "a control character");
	}
	q = xmalloc(2 * n + 3);
	q[k++] = '"';
	for (i = 0; i < n; i++) {
		if (name[i] == '"' || name[i] == '\\')
			q[k++] = '\\';
		q[k++] = name[i];
		if (name[i] == '&')
			q[k++] = '-';
	}
	q[k++] = '"';
	q[k] = '\0';
	m->quoted = q;
	m->mailbox = xstrdup(name);
	return 0;
}

/* Check conf->url: the URL curl gets, host:port and the mailbox. */
static int
url_parse(struct imap *m, const struct imap_conf *c, struct err *e)
{
	struct mail_url	 mu;
	CURLUcode	 uc;
	char		*path = NULL, *query = NULL, *full = NULL;
	const char	*box;
	int		 rc;

	if ((rc = mail_url_parse("imap", c->url, "a user or password", &mu,
	    e)) != 0)
		goto out;
	if (curl_url_get(mu.u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
		rc = err_set(e, TEND_EINVAL, "imap.url '%s': a search in the "
		    "URL is not supported", c->url);
		goto out;
	}
	if (c->tls == IMAP_TLS_NONE && !mail_url_is_local(mu.host)) {
		rc = err_set(e, TEND_EINVAL, "imap.tls none is only for a "
		    "server on this machine (127.0.0.1, ::1 or localhost), "
		    "not '%s'", mu.host);
		goto out;
	}
	/* The path names the mailbox; ";UID=..." and the like of RFC 5092
	 * would name messages in it. */
	uc = curl_url_get(mu.u, CURLUPART_PATH, &path, 0);
	if (uc == CURLUE_OK && strchr(path, ';') != NULL) {
		rc = err_set(e, TEND_EINVAL, "imap.url '%s': only a mailbox "
		    "may follow the host", c->url);
		goto out;
	}
	curl_free(path);
	path = NULL;
	uc = curl_url_get(mu.u, CURLUPART_PATH, &path, CURLU_URLDECODE);
	if (uc != CURLUE_OK) {
		rc = err_set(e, TEND_EINVAL, "imap.url '%s': bad mailbox: %s",
		    c->url, curl_url_strerror(uc));
		goto out;
	}
	box = path[0] == '/' ? path + 1 : path;
	if ((rc = mailbox_quote(m, box[0] != '\0' ? box : "INBOX", e)) != 0)
		goto out;
	uc = curl_url_set(mu.u, CURLUPART_PATH, "/", 0);
	if (uc == CURLUE_OK)
		uc = curl_url_set(mu.u, CURLUPART_FRAGMENT, NULL, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(mu.u, CURLUPART_URL, &full, 0);
	if (uc != CURLUE_OK) {
		rc = err_set(e, TEND_EIO, "imap: %s", curl_url_strerror(uc));
		goto out;
	}
	m->url = xstrdup(full);
	m->where = xasprintf("%s:%s", mu.host, mu.port);
out:
	curl_free(full);
	curl_free(query);
	curl_free(path);
	mail_url_free(&mu);
	return rc;
}

/* ---- connecting ------------------------------------------------------ */

/* The server's lines during the login, the last one kept for messages.
 * What curl sends (CURLINFO_HEADER_OUT) holds the credentials: unread. */
static int
imap_debug(CURL *h, curl_infotype type, char *p, size_t n, void *arg)
{
	struct imap	*m = arg;
	char		*sp;

	(void)h;
	if (type != CURLINFO_HEADER_IN)
		return 0;
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	/* Without the tag, which is curl's. */
	if (n > 0 && p[0] != '*') {
		sp = memchr(p, ' ', n);
		if (sp != NULL) {
			n -= (size_t)(sp + 1 - p);
			p = sp + 1;
		}
	}
	text_copy(m->reply, sizeof m->reply, p, n);
	return 0;
}

/* Set one option; the first failure is kept in *rc. */
#define SETOPT(m, opt, val, rc) do {					\
	CURLcode	 cc_ = curl_easy_setopt((m)->curl, opt, val);	\
	if (cc_ != CURLE_OK && *(rc) == 0)				\
		*(rc) = err_set(e, TEND_EIO, "imap: setting " #opt	\
		    ": %s", curl_easy_strerror(cc_));			\
} while (0)

static int
curl_setup(struct imap *m, const struct imap_conf *c, struct err *e)
{
	long	 connect_ms;
	int	 rc = 0;
	int	*rcp = &rc;

	m->curl = curl_easy_init();
	if (m->curl == NULL)
		return err_set(e, TEND_EIO, "imap: cannot start a curl handle");
	connect_ms = m->timeout_ms < IMAP_CONNECT_MS ? m->timeout_ms :
	    IMAP_CONNECT_MS;
	SETOPT(m, CURLOPT_URL, m->url, rcp);
	SETOPT(m, CURLOPT_PROTOCOLS_STR, "imap,imaps", rcp);
	/* No proxy from the environment: mail comes from where imap.url
	 * says. */
	SETOPT(m, CURLOPT_PROXY, "", rcp);
	SETOPT(m, CURLOPT_NOSIGNAL, 1L, rcp);
	SETOPT(m, CURLOPT_CONNECT_ONLY, 1L, rcp);
	SETOPT(m, CURLOPT_USE_SSL, (long)(m->tls == IMAP_TLS_REQUIRED ?
	    CURLUSESSL_ALL : CURLUSESSL_NONE), rcp);
	SETOPT(m, CURLOPT_TIMEOUT_MS, m->timeout_ms, rcp);
	SETOPT(m, CURLOPT_CONNECTTIMEOUT_MS, connect_ms, rcp);
	SETOPT(m, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    (m->timeout_ms + 999) / 1000, rcp);
	SETOPT(m, CURLOPT_TCP_KEEPALIVE, 1L, rcp);
	SETOPT(m, CURLOPT_ERRORBUFFER, m->errbuf, rcp);
	SETOPT(m, CURLOPT_VERBOSE, 1L, rcp);
	SETOPT(m, CURLOPT_DEBUGFUNCTION, imap_debug, rcp);
	SETOPT(m, CURLOPT_DEBUGDATA, m, rcp);
	SETOPT(m, CURLOPT_USERNAME, m->user, rcp);
	SETOPT(m, CURLOPT_PASSWORD, m->password, rcp);
	if (c->ca_file != NULL)
		SETOPT(m, CURLOPT_CAINFO, c->ca_file, rcp);
	return rc;
}

/* Why curl_easy_perform failed, for people. */
static int
connect_failed(struct imap *m, CURLcode cc, struct err *e)
{
	const char	*why;

	why = m->errbuf[0] != '\0' ? m->errbuf : curl_easy_strerror(cc);
	switch (cc) {
	case CURLE_LOGIN_DENIED:
		return err_set(e, text_is_temporary(m->reply) ?
		    TEND_EMAIL_TEMP : TEND_EMAIL_PERM, "imap '%s' refused the "
		    "login of '%s': %s", m->where, m->user,
		    m->reply[0] != '\0' ? m->reply : why);
	case CURLE_USE_SSL_FAILED:
		return err_set(e, TEND_EMAIL_TEMP, "imap '%s' does not offer "
		    "STARTTLS and imap.tls is 'required': the password was "
		    "not sent", m->where);
	case CURLE_OPERATION_TIMEDOUT:
		return err_set(e, TEND_EMAIL_TEMP, "imap '%s' did not answer "
		    "within %ld ms: %s", m->where, m->timeout_ms, why);
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		return err_set(e, TEND_EMAIL_TEMP, "imap '%s': cannot "
		    "connect: %s", m->where, why);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return err_set(e, TEND_EMAIL_TEMP, "imap '%s': TLS failed, "
		    "the password was not sent: %s", m->where, why);
	case CURLE_OUT_OF_MEMORY:
		return err_set(e, TEND_EIO, "imap '%s': out of memory",
		    m->where);
	default:
		break;
	}
	if (m->reply[0] != '\0')
		return err_set(e, TEND_EMAIL_TEMP, "imap '%s' failed before "
		    "the login: %s (it said: %s)", m->where, why, m->reply);
	return err_set(e, TEND_EMAIL_TEMP, "imap '%s' dropped the connection "
	    "before the login: %s", m->where, why);
}

/* EXAMINE the mailbox: read-only, so nothing in it changes. */
static int
examine(struct imap *m, struct err *e)
{
	struct cmd	 c;
	int		 rc;

	memset(&c, 0, sizeof c);
	c.kind = CMD_EXAMINE;
	if ((rc = cmd_run(m, &c, "EXAMINE", m->quoted, e)) != 0)
		return rc;
	if (c.status != ST_OK)
		return err_set(e, c.status == ST_NO &&
		    text_is_temporary(c.text) ? TEND_EMAIL_TEMP :
		    TEND_EMAIL_PERM, "imap '%s' cannot open mailbox '%s': %s "
		    "%s", m->where, m->mailbox, c.status == ST_NO ? "NO" :
		    "BAD", c.text);
	if (c.uidvalidity == 0)
		return err_set(e, TEND_EMAIL_PERM, "imap '%s' gave no "
		    "UIDVALIDITY for mailbox '%s': its UIDs cannot be "
		    "trusted from one poll to the next", m->where,
		    m->mailbox);
	m->uidvalidity = c.uidvalidity;
	m->uidnext = c.uidnext;
	return 0;
}

int
imap_open(const struct imap_conf *c, struct imap **out, struct err *e)
{
	struct imap	*m;
	CURLcode	 cc;
	curl_socket_t	 fd;
	int		 rc;

	*out = NULL;
	if ((rc = smtp_global_init(e)) != 0)
		return rc;
	if (c->url == NULL || c->url[0] == '\0')
		return err_set(e, TEND_EINVAL, "imap.url is not set");
	if (c->user == NULL || c->user[0] == '\0')
		return err_set(e, TEND_EINVAL, "imap.user is not set");
	/* curl quotes them for LOGIN, but a line break would still end
	 * the command early. */
	if (strpbrk(c->user, "\r\n") != NULL)
		return err_set(e, TEND_EINVAL, "imap.user has a line break");
	if (c->password != NULL && strpbrk(c->password, "\r\n") != NULL)
		return err_set(e, TEND_EINVAL, "the imap password has a line "
		    "break");
	if (c->timeout_ms < 0)
		return err_set(e, TEND_EINVAL, "imap timeout %ld ms is "
		    "negative", c->timeout_ms);
	if (c->tls != IMAP_TLS_REQUIRED && c->tls != IMAP_TLS_NONE)
		return err_set(e, TEND_EINVAL, "imap.tls: unknown mode");
	m = xcalloc(1, sizeof *m);
	m->fd = CURL_SOCKET_BAD;
	m->tls = c->tls;
	m->timeout_ms = c->timeout_ms == 0 ? IMAP_TIMEOUT_MS : c->timeout_ms;
	m->user = xstrdup(c->user);
	m->password = xstrdup(c->password != NULL ? c->password : "");
	m->doing = "the login";
	m->buf = xmalloc(IMAP_BUF_START);
	m->cap = IMAP_BUF_START;
	if ((rc = url_parse(m, c, e)) != 0)
		goto out;
	if ((rc = curl_setup(m, c, e)) != 0)
		goto out;
	cc = curl_easy_perform(m->curl);
	/* The debug callback has done its work: the rest is ours. */
	(void)curl_easy_setopt(m->curl, CURLOPT_VERBOSE, 0L);
	if (cc != CURLE_OK) {
		rc = connect_failed(m, cc, e);
		m->broken = 1;
		goto out;
	}
	cc = curl_easy_getinfo(m->curl, CURLINFO_ACTIVESOCKET, &fd);
	if (cc != CURLE_OK || fd == CURL_SOCKET_BAD) {
		rc = err_set(e, TEND_EIO, "imap '%s': no socket after the "
		    "login", m->where);
		m->broken = 1;
		goto out;
	}
	m->fd = fd;
	if ((rc = examine(m, e)) != 0)
		goto out;
	*out = m;
	m = NULL;
out:
	if (m != NULL) {
		rc = done(m, rc, e);
		imap_close(m);
	}
	return rc;
}

void
imap_status(const struct imap *m, uint32_t *uidvalidity, uint32_t *uidnext)
{
	*uidvalidity = m->uidvalidity;
	*uidnext = m->uidnext;
}

static int
uid_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
imap_uids_after(struct imap *m, uint32_t after, uint32_t **uids, size_t *n,
    struct err *e)
{
	struct cmd	 c;
	char		 args[48];
	size_t		 i, k;
	int		 rc;

	*uids = NULL;
	*n = 0;
	if (after == UINT32_MAX)
		return 0;
	/* A server looks for new mail at a NOOP (RFC 3501 6.1.2): on a
	 * connection kept open between polls, SEARCH alone may not see
	 * what came since the last. */
	memset(&c, 0, sizeof c);
	if ((rc = cmd_run(m, &c, "NOOP", NULL, e)) != 0)
		goto out;
	c.kind = CMD_SEARCH;
	c.after = after;
	snprintf(args, sizeof args, "UID %lu:*", (unsigned long)after + 1);
	if ((rc = cmd_run(m, &c, "UID SEARCH", args, e)) != 0)
		goto out;
	if (c.status != ST_OK) {
		rc = err_set(e, c.status == ST_BAD ? TEND_EMAIL_PERM :
		    TEND_EMAIL_TEMP, "imap '%s' refused UID SEARCH in '%s': "
		    "%s %s", m->where, m->mailbox, c.status == ST_NO ? "NO" :
		    "BAD", c.text);
		goto out;
	}
	/* Ascending and once each, whatever order the server chose. */
	if (c.n > 0)
		qsort(c.uids, c.n, sizeof *c.uids, uid_cmp);
	for (i = 0, k = 0; i < c.n; i++) {
		if (k == 0 || c.uids[k - 1] != c.uids[i])
			c.uids[k++] = c.uids[i];
	}
	if (k > 0) {
		*uids = c.uids;
		*n = k;
		c.uids = NULL;
	}
out:
	free(c.uids);
	return done(m, rc, e);
}

/* A FETCH that found nothing: gone, or refused. */
static int
fetch_refused(struct imap *m, const struct cmd *c, uint32_t uid,
    struct err *e)
{
	if (c->status == ST_OK)
		return err_set(e, TEND_ENOTFOUND, "imap '%s': message uid %u "
		    "is not in '%s'", m->where, uid, m->mailbox);
	if (c->status == ST_NO && strncasecmp(c->text, "[EXPUNGEISSUED]",
	    15) == 0)
		return err_set(e, TEND_ENOTFOUND, "imap '%s': message uid %u "
		    "was deleted from '%s'", m->where, uid, m->mailbox);
	return err_set(e, c->status == ST_BAD ? TEND_EMAIL_PERM :
	    TEND_EMAIL_TEMP, "imap '%s' refused to fetch message uid %u: %s "
	    "%s", m->where, uid, c->status == ST_NO ? "NO" : "BAD", c->text);
}

int
imap_fetch(struct imap *m, uint32_t uid, size_t max, char **data,
    size_t *len, struct err *e)
{
	struct cmd	 c;
	char		 args[64];
	int		 rc;

	*data = NULL;
	*len = 0;
	memset(&c, 0, sizeof c);
	if (uid == 0)
		return err_set(e, TEND_EINVAL, "imap: uid 0 names no message");

	/* The size first, so that a message over max is never sent. */
	c.kind = CMD_SIZE;
	c.uid = uid;
	snprintf(args, sizeof args, "%lu (UID RFC822.SIZE)",
	    (unsigned long)uid);
	if ((rc = cmd_run(m, &c, "UID FETCH", args, e)) != 0)
		goto out;
	if (c.status != ST_OK || !c.found) {
		rc = fetch_refused(m, &c, uid, e);
		goto out;
	}
	if (c.size > max) {
		rc = err_set(e, TEND_EINVAL, "imap '%s': message uid %u is "
		    "%llu bytes, over the maximum of %zu: not read", m->where,
		    uid, (unsigned long long)c.size, max);
		goto out;
	}

	/* PEEK: the message stays unread for the user's own mail client. */
	memset(&c, 0, sizeof c);
	c.kind = CMD_BODY;
	c.uid = uid;
	c.max = max;
	snprintf(args, sizeof args, "%lu (UID BODY.PEEK[])",
	    (unsigned long)uid);
	if ((rc = cmd_run(m, &c, "UID FETCH", args, e)) != 0)
		goto out;
	if (c.status != ST_OK || c.data == NULL) {
		rc = fetch_refused(m, &c, uid, e);
		goto out;
	}
	*data = c.data;
	*len = c.len;
	c.data = NULL;
out:
	free(c.data);
	return done(m, rc, e);
}

void
imap_close(struct imap *m)
{
	struct cmd	 c;

	if (m == NULL)
		return;
	if (m->curl != NULL && m->fd != CURL_SOCKET_BAD && !m->broken) {
		memset(&c, 0, sizeof c);
		/* The answer does not matter: the session is over. */
		(void)cmd_run(m, &c, "LOGOUT", NULL, NULL);
	}
	if (m->fd != CURL_SOCKET_BAD && !m->broken) {
		/* curl would say LOGOUT again and wait for the answer: the
		 * closed socket tells it there is nobody to say it to. */
		(void)shutdown(m->fd, SHUT_RDWR);
	}
	curl_easy_cleanup(m->curl);
	if (m->password != NULL) {
		/* Not left lying in freed memory. */
		memset(m->password, 0, strlen(m->password));
		free(m->password);
	}
	free(m->buf);
	free(m->user);
	free(m->quoted);
	free(m->mailbox);
	free(m->where);
	free(m->url);
	free(m);
}
