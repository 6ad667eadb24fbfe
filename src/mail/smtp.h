/*
 * Sending mail over SMTP with libcurl: one sender keeps one connection
 * open and sends message after message on it, and says of each failure
 * whether it is worth trying again (RFC 5321: 4xx, timeouts and dropped
 * connections) or not (5xx), and whether the recipient was refused.
 */
#ifndef TEND_SMTP_H
#define TEND_SMTP_H

#include <stddef.h>

#include "util/err.h"

enum smtp_tls {
	SMTP_TLS_REQUIRED,	/* STARTTLS on smtp://, or smtps:// */
	SMTP_TLS_NONE		/* clear text: a relay on this machine only */
};

struct smtp_conf {
	const char	*url;		/* smtp://host[:port] (STARTTLS) or
					   smtps://host[:port]; no user or
					   password in it */
	enum smtp_tls	 tls;		/* NONE only for 127.0.0.1, ::1 and
					   localhost */
	const char	*user;		/* NULL: no AUTH */
	const char	*password;	/* never logged, never in a message */
	long		 timeout_ms;	/* per transaction; 0: 60000.  The
					   connect timeout is min(10 s, this) */
	const char	*helo;		/* the EHLO name; NULL: curl's (this
					   machine's host name) */
};

struct smtp;

/*
 * Initialise libcurl once for the process (smtp_new calls it; calling it
 * again is free and thread-safe).  Returns 0 or TEND_EIO.
 * smtp_global_cleanup releases libcurl at the end of the program, after
 * every sender is freed and no other thread uses one.
 */
int	smtp_global_init(struct err *);
void	smtp_global_cleanup(void);

/*
 * A sender for conf, which is copied (the caller's strings may go).  No
 * I/O happens yet.  Returns 0 with *out set (free with smtp_free), or
 * TEND_EINVAL for a URL that is not smtp:// or smtps:// with a host, one
 * holding a user name or password ("smtp.url must not hold a password":
 * the value is not repeated), tls NONE to a host other than 127.0.0.1,
 * ::1 or localhost ("smtp.tls none is only for a relay on this
 * machine"), a bad helo name or a negative timeout; TEND_EIO if libcurl
 * cannot start.
 */
int	smtp_new(const struct smtp_conf *, struct smtp **out, struct err *);

/* Close the connection (saying QUIT if it is open) and free; NULL ok. */
void	smtp_free(struct smtp *);

/* What the server said about one transaction. */
struct smtp_result {
	int	code;		/* the reply code that decided: 250 on
				   success, else e.g. 421, 451, 550, 554;
				   0 when there was none (timeout, dropped
				   or refused connection, no STARTTLS) */
	int	rcpt_failed;	/* 1 when the refusal answered RCPT TO (a
				   5xx there means the address bounced) */
	char	reply[256];	/* the server's reply ("550 5.1.1 ...", the
				   lines of a multi-line reply joined by
				   spaces) if known, else curl's error; for
				   people and the outbox's last reply */
};

/*
 * One transaction: MAIL FROM:<from> (from may be "" for the null
 * sender), RCPT TO:<rcpt>, then DATA with data: len bytes of CRLF lines
 * of at most 998 octets, not dot-stuffed (curl does that), ending in
 * CRLF (else one is added).  The connection is the sender's kept one,
 * opened first if there is none; curl opens a new one when the server
 * has closed the kept one meanwhile.
 *
 * Returns:
 *   0                 the server said 250 to the end of the data
 *   TEND_EMAIL_TEMP   a 4xx reply, a timeout (timeout_ms for the whole
 *                     transaction), a connection refused or dropped, a
 *                     server without STARTTLS or whose certificate does
 *                     not verify when tls is REQUIRED (never sent in
 *                     clear: a server can be mended, so like Postfix's
 *                     "encrypt" level this defers rather than fails)
 *   TEND_EMAIL_PERM   a 5xx reply (a 5xx to RCPT TO sets rcpt_failed; a
 *                     535 means the login was refused)
 *   TEND_EINVAL       an address with spaces, control characters, '<'
 *                     or '>', or data with NUL, a bare CR or LF or an
 *                     over-long line: nothing was sent and the
 *                     connection is kept
 *   TEND_EIO          libcurl failed inside (out of memory)
 * res (which may be NULL) and err are filled in every case.  After any
 * failure but TEND_EINVAL the connection is closed, so a session in an
 * unknown state is never reused; the next send opens a new one.
 *
 * A timeout waiting for the answer to the end of the data is the one
 * case where the message may have arrived although this says it did not
 * (the message says so).
 */
int	smtp_send(struct smtp *, const char *from, const char *rcpt,
	    const char *data, size_t len, struct smtp_result *res,
	    struct err *);

/* How many connections this sender has opened so far (for tests). */
long	smtp_connects(const struct smtp *);

#endif
