/*
 * The sender: drains the outbox over SMTP with mail.connections senders
 * in parallel, each with its own database connection and its own kept
 * SMTP connection.  tend send, tend worker and tend serve call it.
 */
#ifndef TEND_APP_MAILER_H
#define TEND_APP_MAILER_H

#include <signal.h>
#include <stdint.h>

#include "util/err.h"

struct mail_settings;

struct mailer_stats {
	int	sent;
	int	deferred;	/* to retry, or held by the respect rules */
	int	failed;
	int	cancelled;	/* never allowed (unsubscribed, ...) */
	int	lost;		/* a lease ran out before the sender finished */
};

struct mailer_opts {
	const char			*db_path;
	const struct mail_settings	*ms;
	int				 once;	/* drain what is due, then return */
	int64_t				 now;	/* a fixed clock (tests); 0: real */
	volatile sig_atomic_t		*stop;	/* set: finish and return */
};

/*
 * Send until nothing is due (once) or until *stop.  Each message is
 * claimed with a lease, checked against the respect rules again, sent,
 * and recorded (sent ones become an outgoing e-mail on the contact's
 * timeline).  Returns 0, or the first sender's error (a database or
 * configuration failure; a message's failure is the message's, counted
 * in st).
 */
int	mailer_run(const struct mailer_opts *, struct mailer_stats *st,
	    struct err *);

/*
 * A watch on the database's folder, woken by every commit to it (-1
 * when inotify is not there), and the wait on it: until a commit or ms
 * milliseconds (fd -1: just the sleep).
 */
int	mailer_watch(const char *db_path);
void	mailer_wait(int fd, int ms);

#endif
