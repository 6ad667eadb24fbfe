/*
 * Polling an IMAP mailbox: read each message above the last UID seen
 * (BODY.PEEK[], so it stays unread) and hand it to inbound_read, one
 * transaction per message that also moves the last UID on, so that an
 * interrupted poll neither loses a message nor reads one twice.
 */
#ifndef TEND_APP_FETCH_H
#define TEND_APP_FETCH_H

#include <stdint.h>

#include "util/err.h"

struct inbound_settings;
struct mail_settings;
struct store;

struct fetch_stats {
	int	read;		/* recorded now */
	int	duplicates;	/* read before (same Message-ID) */
	int	quarantined;	/* not a message: kept in the folder */
	int	classes[7];	/* by enum inbound_class */
};

/*
 * Poll is->imap once.  The caller holds no transaction.  qdir is the
 * quarantine folder.  Returns 0, or TEND_EMAIL_TEMP / TEND_EMAIL_PERM
 * (the server), TEND_EUSAGE when imap.url is not set, or a store error.
 */
int	fetch_run(struct store *, const struct mail_settings *,
	    const struct inbound_settings *, const char *qdir, int64_t now,
	    struct fetch_stats *, struct err *);

/*
 * Read what tend inbound --queue left in the spool, oldest first, each
 * message in its own transaction (read, acted on and removed at once):
 * at most max messages (0: all).  The caller holds no transaction.  *st
 * counts them as fetch_run does.
 */
int	fetch_spool(struct store *, const struct mail_settings *,
	    const struct inbound_settings *, const char *qdir, size_t max,
	    struct fetch_stats *, struct err *);

#endif
