/*
 * Reading a mailbox over IMAP with libcurl: log in, open the mailbox
 * read-only, list the UIDs above the last one seen, fetch each with
 * BODY.PEEK[] so it stays unread.  Part of the mail plugin.
 */
#ifndef TEND_IMAP_H
#define TEND_IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum imap_tls {
	IMAP_TLS_REQUIRED,	/* STARTTLS on imap://, or imaps:// */
	IMAP_TLS_NONE		/* clear text: a server on this machine only */
};

struct imap_conf {
	const char	*url;		/* imap://host[:port][/MAILBOX] or
					   imaps://...; MAILBOX defaults to
					   INBOX; no user or password in it */
	enum imap_tls	 tls;		/* NONE only for 127.0.0.1, ::1 and
					   localhost */
	const char	*user;
	const char	*password;	/* never logged, never in a message */
	const char	*ca_file;	/* NULL: the system's */
	long		 timeout_ms;	/* per command; 0: 60000 */
};

struct imap;

/*
 * Connect, log in and open the mailbox read-only (EXAMINE).  conf is
 * copied.  Returns 0 with *out, or TEND_EINVAL for a bad URL or tls NONE
 * to another host (as smtp_new), TEND_EMAIL_PERM when the server refuses
 * the login (the password is never repeated) or the mailbox,
 * TEND_EMAIL_TEMP when it cannot be reached, times out or drops the
 * connection.
 */
int	imap_open(const struct imap_conf *, struct imap **out, struct err *);

/* The mailbox's UIDVALIDITY and UIDNEXT as the open reported them. */
void	imap_status(const struct imap *, uint32_t *uidvalidity,
	    uint32_t *uidnext);

/*
 * The UIDs above after, ascending, in *uids (malloc'd, the caller
 * frees; NULL when *n is 0).
 */
int	imap_uids_after(struct imap *, uint32_t after, uint32_t **uids,
	    size_t *n, struct err *);

/*
 * Fetch message uid whole with UID FETCH uid BODY.PEEK[] into *data
 * (malloc'd, NUL-terminated, *len without the NUL).  TEND_ENOTFOUND if
 * the message is gone, TEND_EINVAL if it is over max bytes (nothing is
 * read into memory past max), TEND_EMAIL_TEMP on a dropped connection.
 */
int	imap_fetch(struct imap *, uint32_t uid, size_t max, char **data,
	    size_t *len, struct err *);

/* Say LOGOUT if connected, close and free; NULL is a no-op. */
void	imap_close(struct imap *);

#endif
