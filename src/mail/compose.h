/*
 * Building outgoing mail: an RFC 5322 message (MIME, UTF-8, CRLF, lines
 * within 998 octets) from plain strings, with GMime 3.  No GMime type
 * leaves this module.  Never prints, never exits.
 */
#ifndef TEND_COMPOSE_H
#define TEND_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define COMPOSE_HEADER_MAX	2048		/* bytes of one header input */
#define COMPOSE_BODY_MAX	(8 * 1024 * 1024)	/* text or html */
#define COMPOSE_URL_MAX		900		/* unsubscribe URL, mailto */
#define COMPOSE_DATE_MAX	64		/* compose_date() buffer */

struct mail_addr {
	const char	*name;		/* display name, UTF-8; NULL: none */
	const char	*addr;		/* "ann@example.com" */
};

struct compose_msg {
	struct mail_addr	 from;
	struct mail_addr	 to;
	const char		*reply_to;	/* an address; NULL: none */
	const char		*subject;	/* UTF-8; NULL: no Subject */
	const char		*text;		/* text/plain, UTF-8 (needed) */
	const char		*html;		/* NULL: none; else
						   multipart/alternative */
	const char		*message_id;	/* without <>, required */
	const char		*in_reply_to;	/* without <>; NULL: none */
	const char		*unsub_url;	/* http(s) URL; NULL: none */
	const char		*unsub_mailto;	/* "mailto:..." or an address */
	const char		*auto_header;	/* X-Tend-Kind; NULL: none */
	const char		*auto_submitted; /* RFC 3834 Auto-Submitted:
						   "auto-replied" or
						   "auto-generated"; NULL:
						   none */
};

/*
 * Once per process, before any other compose function (a second call is
 * a no-op).  After it, compose_build() may run in several threads at
 * once.  compose_shutdown() releases GMime's global state (for clean
 * LeakSanitizer runs); nothing may be composed after it.
 */
void	compose_init(void);
void	compose_shutdown(void);

/*
 * Check a value that will go into a header (a name, a subject, an
 * address): a CR or LF gives TEND_EINVAL "<what> contains a line break",
 * a NUL "<what> contains a NUL byte", any other control character but
 * tab "<what> contains a control character (0xNN)"; also "<what> is not
 * valid UTF-8" and "<what> is too long" (over COMPOSE_HEADER_MAX).
 * compose_header_checkn() is for values that carry their length (JSON,
 * HTTP), where a NUL can hide inside.
 */
int	compose_header_check(const char *what, const char *value, struct err *);
int	compose_header_checkn(const char *what, const char *value, size_t len,
	    struct err *);

/*
 * A new Message-ID, without <>, for a message from from_addr composed at
 * now: "20261123T090000.<16 random hex>@<domain of from_addr>", the
 * domain lower-cased ("tend.invalid" when from_addr has no usable ASCII
 * domain).  Malloc'd; the caller frees.
 */
char	*compose_message_id(const char *from_addr, int64_t now);

/*
 * Build m into *out (malloc'd, NUL-terminated, the caller frees) and
 * *len (without the NUL).  The message has no Date header: the sender
 * prepends compose_date()'s line when it first sends it, so a message
 * queued now and sent later is dated when it leaves.
 *
 * Every header input goes through compose_header_check(); addresses
 * through contact_email_check() and must be ASCII before the @ (the
 * domain may be UTF-8: it is written in punycode); message_id and
 * in_reply_to must be dot-atom "left@right" (at most 250 octets);
 * unsub_url http:// or https://, unsub_mailto "mailto:..." or an address
 * (both within COMPOSE_URL_MAX, no blanks, <, >, " or commas); auto_header
 * letters, digits, '.', '_', '-'.  Failures are TEND_EINVAL with a
 * message naming the field ("recipient name contains a line break",
 * "invalid message-id 'x'"); nothing is built.
 *
 * Headers, in this order: From, To, Reply-To, Subject, Message-ID,
 * In-Reply-To and References, List-Unsubscribe, List-Unsubscribe-Post,
 * X-Tend-Kind, Auto-Submitted and X-Auto-Response-Suppress (with
 * auto_submitted: so that vacation responders do not answer an automatic
 * message, RFC 3834 section 2), MIME-Version.  Names and subjects that are not plain ASCII
 * words become RFC 2047 encoded-words (UTF-8, Q, at most 75 octets each,
 * never splitting a character); header lines fold at 78 columns where
 * they can (a long URL or address gets a line of its own).  With
 * unsub_url: List-Unsubscribe: <url>, <mailto> and List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click (RFC 8058); with only unsub_mailto,
 * List-Unsubscribe: <mailto> alone (one-click needs a URL to POST to).
 *
 * Body: text/plain, or multipart/alternative of text/plain and text/html,
 * charset=utf-8.  Line breaks may be LF, CRLF or CR: each becomes CRLF,
 * and a body that does not end with one gets one.  Bodies are 7bit when
 * they can be, else quoted-printable (long lines, some non-ASCII, "From "
 * lines, and trailing blanks, which some relays strip) or base64 (mostly
 * non-ASCII): GMime's best encoding under a 7-bit constraint.  The whole
 * output is CRLF only, 7-bit, no line over 998 octets (checked before it
 * is returned: TEND_EIO otherwise).
 */
int	compose_build(const struct compose_msg *, char **out, size_t *len,
	    struct err *);

/*
 * "Date: Mon, 23 Nov 2026 10:00:00 +0100\r\n" for t in zone tz (NULL:
 * the process's zone) into buf (n bytes, at least COMPOSE_DATE_MAX);
 * returns buf.
 */
char	*compose_date(char *buf, size_t n, int64_t t, const char *tz);

#endif
