/*
 * The loop that runs tend without anyone at the keyboard: fire the due
 * sequence steps into the outbox and the agenda, escalate inquiries left
 * unanswered, poll the IMAP mailbox, and send the outbox.  tend tick runs
 * one round (for cron), tend worker runs it until SIGTERM or SIGINT, and
 * tend serve will run the same loop beside its web server.
 */
#ifndef TEND_APP_WORKER_H
#define TEND_APP_WORKER_H

#include <signal.h>
#include <stdint.h>

#include "app/fetch.h"
#include "app/mailer.h"
#include "util/err.h"

struct inbound_settings;
struct mail_settings;

struct worker_opts {
	const char			*db_path;
	const char			*qdir;	/* quarantine folder */
	const struct mail_settings	*ms;
	const struct inbound_settings	*is;
	int				 once;	/* one round: tend tick */
	int				 send;	/* send the outbox (needs
						   smtp.url) */
	int64_t				 now;	/* a fixed clock (tests); 0:
						   the real one */
	volatile sig_atomic_t		*stop;	/* set: finish, return */
	/* told of a failed poll of the mailbox as it happens (the loop
	   goes on); NULL: none */
	void				(*note)(const char *);
};

struct worker_stats {
	int			 rounds;
	int			 fired;		/* sequence steps */
	int			 completed;	/* enrollments run to the end */
	int			 ended;		/* ... ended by an exit rule */
	int			 escalated;	/* inquiries */
	struct fetch_stats	 fetch;		/* summed over the polls */
	int			 polls;
	struct mailer_stats	 mail;
	char			 fetch_error[1024];	/* the last poll's
							   failure; "" */
};

/*
 * Run the loop (see above).  A failed poll of the mailbox is kept in
 * st->fetch_error and tried again at the next poll; a database or
 * settings failure ends the run with its error.
 */
int	worker_run(const struct worker_opts *, struct worker_stats *st,
	    struct err *);

#endif
