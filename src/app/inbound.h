/*
 * Mail in, shared by tend inbound, tend fetch and the worker: read one
 * message (classify it with what the store knows), record it once, and
 * act on it: a reply ends sequences and goes to the top of the agenda,
 * an out-of-office holds them, a bounce or an unsubscribe suppresses the
 * address, an inquiry is acknowledged at once.
 */
#ifndef TEND_APP_INBOUND_H
#define TEND_APP_INBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "core/block.h"
#include "mail/imap.h"
#include "mail/inbound.h"
#include "util/err.h"

struct arena;
struct config;
struct mail_settings;
struct store;

/* Defaults of the settings, shown by tend config too. */
#define INBOUND_IMAP_INTERVAL	"60"
#define INBOUND_SOFT_LIMIT	"3"
#define INBOUND_ESCALATE	"15"	/* minutes; the same as: */
#define INBOUND_ESCALATE_MIN	15
#define INBOUND_QUESTIONS	"What are you looking for?|Why now?|" \
				"Who decides?|By when do you need it?"
#define INBOUND_WORK_HOURS	"mon-fri 09:00-17:00"
#define INBOUND_WORKER_INTERVAL	"5"

/* No second acknowledgement to one address within this. */
#define INBOUND_ACK_QUIET	(7 * 86400)
#define INBOUND_QUESTIONS_MAX	10

struct inbound_settings {
	const char		*inquiry_addr;	/* inbound.address; NULL */
	const char		**own;		/* mail.from and inbound.own */
	size_t			 nown;
	int			 unknown_inquiry;
	int			 soft_limit;
	int64_t			 escalate;	/* seconds */
	const char		*notify;	/* NULL: no notice by mail */
	const char		**questions;
	size_t			 nquestions;
	struct block		 work;		/* when the user answers */
	struct imap_conf	 imap;		/* imap.url NULL: no IMAP */
	int64_t			 imap_interval;	/* seconds */
	int64_t			 worker_interval;
};

/*
 * Read the settings of mail in from cfg (strings in a).  With need_imap
 * (fetch, tick, worker), the IMAP password too: from TEND_IMAP_PASSWORD,
 * else imap.password_file (not readable by others); without it (a pipe
 * from the MTA) a broken IMAP setting cannot stop mail coming in.
 * TEND_EINVAL names a bad setting.
 */
int	inbound_settings_load(const struct config *cfg,
	    const struct mail_settings *ms, int need_imap, struct arena *a,
	    struct inbound_settings *is, struct err *);

/* What reading one message did. */
struct inbound_result {
	enum inbound_class	 cls;
	int64_t			 id;		/* its row; 0: dry run */
	int			 duplicate;	/* read before: nothing done */
	int64_t			 contact_id;	/* 0: none */
	const char		*contact_name;	/* NULL: none */
	const char		*why;
	const char		*effect;	/* what tend did; NULL */
	int64_t			 ack_id;	/* the acknowledgement queued */
	int64_t			 back_on;	/* auto-reply: back then */
};

/*
 * Read message m (parsed from the len bytes of raw) that arrived now
 * from source ("stdin", "imap"), in the caller's transaction: look up
 * whose thread and address it is, classify it, and unless dry, record
 * it with its bytes and act on it.  A message read before (the same
 * Message-ID, or the same bytes when it has none) is left alone with
 * r->duplicate set.  Strings in r are in a.
 */
int	inbound_read(struct store *, const struct mail_settings *,
	    const struct inbound_settings *, const char *raw, size_t len,
	    const struct inbound_msg *m, const char *source, int dry,
	    int64_t now, struct arena *a, struct inbound_result *r,
	    struct err *);

/*
 * Keep the len bytes of a message tend could not read in the folder dir
 * (created if missing), written whole and synced before the name
 * appears; *path (in a) is where.  TEND_EIO when it cannot be kept.
 */
int	inbound_quarantine(const char *dir, const char *raw, size_t len,
	    int64_t now, struct arena *a, char **path, struct err *);

/*
 * Escalate the inquiries still unanswered after is->escalate: mark them
 * (the agenda shows them louder) and, with is->notify, queue a notice to
 * the user.  In the caller's transaction; *n is how many.
 */
int	inbound_escalate(struct store *, const struct mail_settings *,
	    const struct inbound_settings *, int64_t now, struct arena *a,
	    int *n, struct err *);

/*
 * When the user will answer, for the acknowledgement ("today by 11:00",
 * "tomorrow morning", "on Monday"), from the work hours in tz (in a).
 */
const char *inbound_reply_by(const struct block *work, int64_t now,
	    const char *tz, struct arena *a);

/*
 * The answers to the questions found in a reply's text (quoted questions
 * followed by the person's words, or numbered answers), at most n, into
 * answers (in a; NULL where none).  Returns how many were found.
 */
size_t	inbound_answers(const char *text, const char *const *questions,
	    size_t n, struct arena *a, const char **answers);

#endif
