/*
 * Messages that will leave, and the templates they are made from: the
 * plain records the store reads and writes, and the retry schedule of
 * RFC 5321 (section 4.5.4.1).  Pure: no I/O, no clock.
 */
#ifndef TEND_OUTBOX_H
#define TEND_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

struct template {
	int64_t		 id;
	char		*name;
	char		*subject;	/* mustache */
	char		*body;		/* mustache, text/plain */
	char		*html;		/* mustache, text/html; NULL: none */
	int		 starter;	/* shipped with tend */
	int64_t		 created;
	int64_t		 updated;
};

/*
 * States: queued (waiting for its first attempt), sending (claimed by a
 * sender until lease_until), sent, deferred (waiting for a retry or for
 * the respect rules), failed (given up, or refused for good) and
 * cancelled (by a person, or never allowed).
 */
extern const char *const outbox_states[];	/* NULL-terminated */

struct outbox_msg {
	int64_t		 id;
	int64_t		 contact_id;	/* 0: the contact was deleted */
	char		*contact_name;	/* filled by reads */
	int64_t		 deal_id;	/* 0: none */
	char		*template;	/* its name when queued */
	int		 automated;	/* OUTBOX_HAND, OUTBOX_AUTO or
					   OUTBOX_AUTOREPLY */
	char		*rcpt;		/* the recipient's address */
	char		*sender;	/* the envelope sender */
	char		*subject;	/* as rendered */
	char		*message_id;	/* without <> */
	char		*data;		/* the message without its Date */
	size_t		 len;
	char		*state;
	int64_t		 queued;
	int64_t		 next_attempt;	/* queued, deferred: not before */
	int		 attempts;	/* SMTP transactions tried */
	int64_t		 date;		/* the Date, fixed at the first try */
	int64_t		 lease_until;	/* sending: reserved until */
	char		*lease_owner;
	int64_t		 sent_at;	/* sent: when the server said 250 */
	char		*last_reply;	/* the last SMTP reply, or error */
	char		*reason;	/* deferred, failed, cancelled: why */
};

/*
 * Who a message is from, in outbox_msg.automated: a person's hand (an
 * answer: it closes an open inquiry, and is never held), tend on its own
 * (a sequence step: the caps and quiet hours apply, it carries an
 * unsubscribe link), or tend answering at once on the user's behalf (an
 * acknowledgement or a notice to the user: goes at once, never held,
 * Auto-Submitted: auto-replied, and it is not an answer).
 */
#define OUTBOX_HAND		0
#define OUTBOX_AUTO		1
#define OUTBOX_AUTOREPLY	2

/* Retries give up this long after the first attempt: 4.5 days. */
#define OUTBOX_GIVE_UP	(4 * 86400 + 12 * 3600)

/*
 * The wait before retry number attempts + 1 after a temporary failure:
 * 5 minutes, doubling each time, at most 4 hours.  0 when the message is
 * to be given up: first_try + OUTBOX_GIVE_UP is past at the next try.
 */
int64_t	outbox_backoff(int attempts, int64_t first_try, int64_t now);

#endif
