/*
 * Mail out, shared by every front end: the settings, the context a
 * template is merged with, queuing a message (rendered, built and checked
 * against the respect rules) and choosing what to say.
 */
#ifndef TEND_APP_MAIL_H
#define TEND_APP_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/respect.h"
#include "mail/smtp.h"
#include "util/err.h"

struct arena;
struct config;
struct contact;
struct outbox_msg;
struct store;
struct template;

/* Defaults of the settings, shown by tend config too. */
#define MAIL_LEASE_DEFAULT	"300"
#define MAIL_CONNECTIONS_DEFAULT "1"
#define MAIL_TIMEOUT_DEFAULT	"60"
#define MAIL_HOURS_DEFAULT	"mon-fri 08:00-19:00"

/* The settings of mail out, read from the config file. */
struct mail_settings {
	const char		*from_name;	/* NULL: none */
	const char		*from_addr;	/* NULL: mail.from unset */
	const char		*sender_name;	/* sender.name, else from_name */
	const char		*signature;	/* mail.signature, "\n" as breaks */
	const char		*public_url;	/* without a trailing '/' */
	const char		*booking_url;	/* NULL: none */
	const char		*tz;		/* the user's zone */
	struct respect_rules	 rules;
	struct smtp_conf	 smtp;
	int			 connections;
	int64_t			 lease;		/* seconds */
};

/*
 * Read the settings from cfg into ms (strings in a).  The SMTP password
 * comes from TEND_SMTP_PASSWORD, else from the file smtp.password_file,
 * which must not be readable by others; with need_smtp, smtp.url must be
 * set.  TEND_EINVAL (or TEND_EUSAGE for what is missing) names the
 * setting.
 */
int	mail_settings_load(const struct config *cfg, const char *tz,
	    int need_smtp, struct arena *a, struct mail_settings *ms,
	    struct err *);

/*
 * A password: from the environment variable env_name if set, else from
 * the file the setting key names, which must be a regular file no one
 * else may read.  *out NULL when neither is set.
 */
int	mail_password(const struct config *cfg, const char *env_name,
	    const char *key, struct arena *a, const char **out,
	    struct err *);

/* Parse "Ann Lee <ann@example.com>" or "ann@example.com" (in a). */
int	mail_from_parse(const char *text, struct arena *a, const char **name,
	    const char **addr, struct err *);

/* The inquiry an acknowledgement answers: inquiry.* in templates. */
struct mail_inquiry {
	const char		*subject;	/* theirs; NULL: none */
	const char		*reply_by;	/* "by 11:00 today" */
	const char *const	*questions;	/* to qualify the lead */
	size_t			 nquestions;
};

/* What a message is made of, and for whom. */
struct mail_request {
	int64_t		 contact_id;
	int64_t		 deal_id;	/* 0: the contact's only open deal */
	const char	*template;	/* its name */
	int		 automated;	/* OUTBOX_HAND, _AUTO, _AUTOREPLY */
	const char	*in_reply_to;	/* a Message-ID; NULL: none */
	const struct mail_inquiry *inquiry;	/* NULL: none */
	int64_t		 at;		/* not before; 0: now */
	const char	**vars;		/* NAME=VALUE pairs for the template */
	size_t		 nvars;
};

/* What say and mail produced: the rendered parts. */
struct mail_rendered {
	struct contact		*contact;
	const char		*rcpt;
	const char		*subject;
	const char		*text;
	const char		*html;		/* NULL: none */
	const char		*template;	/* its name */
	int64_t			 deal_id;
};

/*
 * Merge template req->template with the contact, deal and sender into r
 * (strings in a), strictly: a field the template uses that is empty is
 * TEND_EINVAL naming the field, the contact and the template.
 */
int	mail_render(struct store *, const struct mail_settings *,
	    const struct mail_request *req, int64_t now, struct arena *a,
	    struct mail_rendered *r, struct err *);

/*
 * Queue the message of req: render, build (Message-ID fixed now), check
 * the respect rules: a message that may never go is refused
 * (TEND_EINVAL with the reason), one that must wait is queued deferred
 * with the reason.  *out (in a) is the queued row.
 */
int	mail_queue(struct store *, const struct mail_settings *,
	    const struct mail_request *req, int64_t now, struct arena *a,
	    struct outbox_msg **out, struct err *);

/*
 * The respect rules for a message to rcpt (of contact_id, 0: none) at
 * now, reading what they need from the store (the contact, suppressions,
 * what was sent, leaving out message self, 0: none).
 */
int	mail_respect(struct store *, const struct mail_settings *,
	    int64_t self, int64_t contact_id, const char *rcpt, int automated,
	    int64_t now, struct arena *a, struct respect_decision *d,
	    struct err *);

/*
 * The starter template that fits contact id's situation now, and why
 * (a sentence, in a).
 */
int	mail_pick(struct store *, int64_t contact_id, int64_t now,
	    const char *tz, struct arena *a, const char **name,
	    const char **why, struct err *);

/*
 * The address an unsubscribe token names (in a), checked against the key
 * kept in the store; TEND_EINVAL for a token that is not tend's.
 */
int	mail_unsubscribe_token(struct store *, const char *token,
	    struct arena *a, char **address, struct err *);

/* Every name a template may use, NULL-terminated (for checks, docs). */
extern const char *const mail_fields[];

/* Check that template t parses and uses only known names. */
int	mail_template_check(const struct template *t, struct err *);

#endif
