/*
 * Reading incoming mail: the plain record of one parsed message (filled
 * by src/mail/parse.c, in the mail plugin, from GMime) and the pure
 * classifier that says what it is: a reply, an auto-reply, a bounce, a
 * complaint, an unsubscribe request, a new inquiry or other.  No I/O, no
 * clock, no GMime here: what the classifier needs of the database (whose
 * thread a reference names, whose address the sender is) the caller
 * looks up and hands over in struct inbound_ctx.
 */
#ifndef TEND_INBOUND_H
#define TEND_INBOUND_H

#include <stddef.h>
#include <stdint.h>

/* The largest message tend reads (a bigger one is quarantined). */
#define INBOUND_MAX_BYTES	(32 * 1024 * 1024)
/* The most of a message's text kept in inbound_msg.text. */
#define INBOUND_TEXT_MAX	(64 * 1024)
#define INBOUND_WHY_MAX		256

enum inbound_class {
	INBOUND_OTHER,
	INBOUND_REPLY,
	INBOUND_AUTOREPLY,
	INBOUND_BOUNCE,
	INBOUND_COMPLAINT,
	INBOUND_UNSUBSCRIBE,
	INBOUND_INQUIRY
};

/* "other" "reply" "auto-reply" "bounce" "complaint" "unsubscribe" "inquiry" */
const char	*inbound_class_name(enum inbound_class);

/* One recipient a bounce (or a complaint) reports on. */
struct inbound_rcpt {
	char	*addr;		/* the address, as reported */
	char	*status;	/* "5.1.1"; NULL: not given */
	char	*action;	/* "failed", "delayed"...; NULL: not given */
	char	*diagnostic;	/* the remote server's words; NULL: none */
	int	 hard;		/* 1: permanent (5.x.x, or failed without a
				   status); 0: temporary */
};

/*
 * One message, decoded: every string is UTF-8 (RFC 2047 words decoded,
 * raw 8-bit headers read as UTF-8 when valid, else as Latin-1), with no
 * control characters but tab and LF, and NUL-terminated.  Addresses are
 * as written (the caller compares them without case).  Owned by the
 * record: free it with mime_msg_free() (the plugin's) only.
 */
struct inbound_msg {
	char			*message_id;	/* without <>; NULL: none */
	char			**refs;		/* In-Reply-To's ids, then
						   References', without <>,
						   each once */
	size_t			 nrefs;
	char			*from_addr;	/* NULL: no usable From */
	char			*from_name;	/* NULL: none */
	char			*reply_to;	/* an address; NULL: none */
	char			*sender;	/* Sender:, an address; NULL */
	char			*return_path;	/* "" for <>; NULL: absent */
	char			**rcpts;	/* To, Cc, Delivered-To,
						   X-Original-To addresses */
	size_t			 nrcpts;
	char			*subject;	/* NULL: none */
	int64_t			 date;		/* Date:, UTC; 0: none */
	char			*text;		/* the message's own text: the
						   first text/plain part (else
						   text/html made plain), at
						   most INBOUND_TEXT_MAX
						   bytes; NULL: none */

	/* what the classifier reads of the headers */
	char			*auto_submitted;  /* lower-cased value */
	char			*precedence;	/* lower-cased value */
	int			 x_autoreply;	/* X-Autoreply, X-Autorespond,
						   X-Autoresponder present */
	int			 exchange_auto;	/* Exchange's automatic reply
						   headers (X-MS-Exchange-
						   Inbox-Rules-Loop, or
						   X-MS-Exchange-Generated-
						   Message-Source: Mailbox
						   Rules Agent) */
	int			 apple_vacation; /* X-Apple-Action: VACATION */
	int			 auto_suppress;	/* X-Auto-Response-Suppress
						   (not "None"): the sender
						   wants no auto-reply, as
						   automated senders do; too
						   common on bulk mail to
						   count as an auto-reply by
						   itself */
	int			 failed_hdr;	/* X-Failed-Recipients
						   present (Exim, Gmail
						   bounces) */
	int			 list;		/* List-Id or List-Post: sent
						   through a mailing list */
	char			*content_type;	/* "multipart/report" ... */
	char			*report_type;	/* its report-type, lower */

	/* bounces and complaints */
	struct inbound_rcpt	*bounced;	/* from message/delivery-status,
						   X-Failed-Recipients or a
						   non-standard bounce's
						   text */
	size_t			 nbounced;
	char			*orig_message_id; /* the returned or reported
						   message's Message-ID,
						   without <>; NULL */
	char			*feedback_type;	/* complaint: "abuse"... */
};

/*
 * What the caller knows, looked up from the message before classifying.
 */
struct inbound_ctx {
	const char *const	*own;		/* the user's own addresses */
	size_t			 nown;
	const char		*inquiry_addr;	/* NULL: none */
	const char		*unsub_addr;	/* where the unsubscribe
						   mailto goes; NULL: none */
	int			 unknown_inquiry; /* mail from an unknown
						   sender is an inquiry */
	int64_t			 thread_contact; /* the contact of a message
						   tend sent that refs (or
						   orig_message_id) names;
						   0: none */
	int			 thread_auto;	/* that message was automated
						   (an ack, a sequence) */
	int64_t			 from_contact;	/* the contact one of whose
						   addresses is from_addr;
						   0: none */
	const char		*thread_name;	/* thread_contact's name, for
						   why; NULL: "contact N" */
	const char		*from_name;	/* from_contact's name; NULL */
	int			 same_domain;	/* from_addr shares the domain
						   of thread_contact's address
						   and that counts as them */
};

struct inbound_verdict {
	enum inbound_class	 cls;
	int64_t			 contact_id;	/* whom it is about; 0: none */
	char			 why[INBOUND_WHY_MAX];	/* one sentence, for
						   people: which header or
						   rule decided */
	const char		*back_text;	/* auto-reply: where the text
						   names a return date (into
						   msg->text), NULL: none */
	int64_t			 back_on;	/* that date: 00:00 UTC of the
						   day named; 0: none */
	int			 no_ack;	/* inquiry: do not acknowledge
						   (automated, a list, ...) */
	const char		*unsub_token;	/* unsubscribe: the token in
						   the subject (into msg);
						   NULL: none */
	const char		*unsub_addr;	/* unsubscribe, complaint:
						   the address to suppress
						   (into msg or ctx) */
};

/*
 * Classify m.  Pure and total: any record, however odd, gets a class
 * (INBOUND_OTHER when nothing fits).  ref is when the message arrived,
 * the base for relative return dates ("back on Monday").
 */
void	inbound_classify(const struct inbound_msg *m,
	    const struct inbound_ctx *ctx, int64_t ref,
	    struct inbound_verdict *v);

/*
 * The day an out-of-office text says its writer is back, as 00:00 UTC
 * of that calendar day; 0 when it names none.  ref (UTC seconds) anchors
 * dates without a year and weekdays.  *at is set to where the date was
 * found in text (NULL if none).
 */
int64_t	inbound_return_date(const char *text, int64_t ref, const char **at);

/* 1 if addr (without case) is one of the n in list. */
int	inbound_addr_in(const char *addr, const char *const *list, size_t n);

#endif
