/*
 * Read and write settings, git-style.  Personal settings live in the
 * config file; settings that belong to the data (deal stages) live in the
 * database, so they travel with it.
 */
#include <stdlib.h>
#include <string.h>

#include "app/inbound.h"
#include "app/mail.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/block.h"
#include "core/contact.h"
#include "core/deal.h"
#include "core/sequence.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/config.h"
#include "util/text.h"

static int	cmd_config_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_config_opts[] = {
	{ "unset", 0, 0, "remove the setting (back to its default)" },
	CMD_OPT_END
};

const struct cmd_entry cmd_config_entry = {
	.name = "config",
	.usage = "[KEY [VALUE]] | --unset KEY",
	.summary = "Read and write settings.",
	.opts = cmd_config_opts,
	.min_args = 0,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_REPAIRS,
	.exec = cmd_config_exec
};

enum setting_type { SET_TEXT, SET_ZONE, SET_INT, SET_STAGES, SET_BLOCK,
	SET_FROM, SET_URL, SET_SMTP_URL, SET_TLS, SET_IMAP_URL, SET_ADDR,
	SET_ADDRS, SET_UNKNOWN, SET_HOLIDAYS, SET_QUESTIONS };

struct setting {
	const char		*key;
	int			 in_db;
	enum setting_type	 type;
	long			 lo, hi;
	const char		*def;
	const char		*help;
};

static const struct setting settings[] = {
	{ "agenda.block", 0, SET_BLOCK, 0, 0, NULL,
	    "time set aside for follow-ups (mon-fri 08:30-09:00)" },
	{ "agenda.capacity", 0, SET_INT, 1, 1000, "15",
	    "items a day you set time aside for" },
	{ "agenda.stuck_days", 0, SET_INT, 1, 3650, "14",
	    "days in one stage before a deal is stuck" },
	{ "booking_url", 0, SET_URL, 0, 0, NULL,
	    "where people book a time with you ({{booking_url}})" },
	{ "deal.stages", 1, SET_STAGES, 0, 0,
	    DEAL_STAGES_DEFAULT,
	    "deal stages in order; the last two close a deal" },
	{ "imap.ca_file", 0, SET_TEXT, 0, 0, NULL,
	    "certificates to trust for the IMAP server (default: the "
	    "system's)" },
	{ "imap.interval", 0, SET_INT, 5, 86400, INBOUND_IMAP_INTERVAL,
	    "seconds between two polls of the mailbox by tend worker" },
	{ "imap.password_file", 0, SET_TEXT, 0, 0, NULL,
	    "a file (mode 600) holding the IMAP password; or set "
	    "TEND_IMAP_PASSWORD" },
	{ "imap.timeout", 0, SET_INT, 1, 3600, MAIL_TIMEOUT_DEFAULT,
	    "seconds one IMAP command may take" },
	{ "imap.tls", 0, SET_TLS, 0, 0, "required",
	    "required (STARTTLS or imaps://), or none for a server on "
	    "127.0.0.1" },
	{ "imap.url", 0, SET_IMAP_URL, 0, 0, NULL,
	    "the mailbox tend fetch reads: imaps://host/INBOX" },
	{ "imap.user", 0, SET_TEXT, 0, 0, NULL, "the IMAP login" },
	{ "inbound.address", 0, SET_ADDR, 0, 0, NULL,
	    "where inquiries arrive (hello@example.com)" },
	{ "inbound.bounces", 0, SET_INT, 1, 100, INBOUND_SOFT_LIMIT,
	    "temporary bounces before an address is suppressed" },
	{ "inbound.own", 0, SET_ADDRS, 0, 0, NULL,
	    "your other addresses, comma-separated (never a reply)" },
	{ "inbound.unknown", 0, SET_UNKNOWN, 0, 0, "other",
	    "mail from unknown senders: inquiry or other" },
	{ "inquiry.escalate", 0, SET_INT, 1, 10080, INBOUND_ESCALATE,
	    "minutes an inquiry may wait before tend escalates it" },
	{ "inquiry.notify", 0, SET_ADDR, 0, 0, NULL,
	    "where tend tells you of an inquiry still unanswered" },
	{ "inquiry.questions", 0, SET_QUESTIONS, 0, 0, INBOUND_QUESTIONS,
	    "questions the acknowledgement asks, separated by '|' "
	    "(none: ask nothing)" },
	{ "mail.connections", 0, SET_INT, 1, 64, MAIL_CONNECTIONS_DEFAULT,
	    "SMTP connections tend send uses in parallel" },
	{ "mail.from", 0, SET_FROM, 0, 0, NULL,
	    "who messages come from: 'Your Name <you@example.com>'" },
	{ "mail.lease", 0, SET_INT, 10, 86400, MAIL_LEASE_DEFAULT,
	    "seconds a sender holds a message before another may take it" },
	{ "mail.sender_daily_cap", 0, SET_INT, 0, 10000000, "0",
	    "automated messages in any 24 hours, in all (0: no cap)" },
	{ "mail.signature", 0, SET_TEXT, 0, 0, NULL,
	    "your signature in messages ('\\n' for a line break)" },
	{ "public_url", 0, SET_URL, 0, 0, NULL,
	    "where tend is reached from outside (unsubscribe links)" },
	{ "respect.daily_cap", 0, SET_INT, 0, 1000, "1",
	    "automated messages to one person in any 24 hours (0: no cap)" },
	{ "respect.hours", 0, SET_BLOCK, 0, 0, MAIL_HOURS_DEFAULT,
	    "when automated mail may arrive, in the recipient's zone" },
	{ "respect.window_cap", 0, SET_INT, 0, 10000, "3",
	    "messages to one person in respect.window_days (0: no cap)" },
	{ "respect.window_days", 0, SET_INT, 1, 366, "30",
	    "the days respect.window_cap counts over" },
	{ "seq.holidays", 1, SET_HOLIDAYS, 0, 0, NULL,
	    "days sequences skip, YYYY-MM-DD, comma-separated" },
	{ "sender.name", 0, SET_TEXT, 0, 0, NULL, "your name in messages" },
	{ "sender.signature", 0, SET_TEXT, 0, 0, NULL,
	    "an older name of mail.signature" },
	{ "smtp.password_file", 0, SET_TEXT, 0, 0, NULL,
	    "a file (mode 600) holding the SMTP password; or set "
	    "TEND_SMTP_PASSWORD" },
	{ "smtp.timeout", 0, SET_INT, 1, 3600, MAIL_TIMEOUT_DEFAULT,
	    "seconds an SMTP transaction may take" },
	{ "smtp.tls", 0, SET_TLS, 0, 0, "required",
	    "required (STARTTLS or smtps://), or none for a relay on "
	    "127.0.0.1" },
	{ "smtp.url", 0, SET_SMTP_URL, 0, 0, NULL,
	    "the mail server: smtp://host:587 or smtps://host:465" },
	{ "smtp.user", 0, SET_TEXT, 0, 0, NULL,
	    "the SMTP login (no login when unset)" },
	{ "tz", 0, SET_ZONE, 0, 0, NULL,
	    "your time zone: what 'today' means (default: the system's)" },
	{ "work.hours", 0, SET_BLOCK, 0, 0, INBOUND_WORK_HOURS,
	    "when you answer mail: the acknowledgement says when" },
	{ "worker.interval", 0, SET_INT, 1, 3600, INBOUND_WORKER_INTERVAL,
	    "seconds between two rounds of tend worker" },
	{ NULL, 0, 0, 0, 0, NULL, NULL }
};

static const struct setting *
setting_find(const char *key)
{
	const struct setting	*s;

	for (s = settings; s->key != NULL; s++)
		if (strcmp(s->key, key) == 0)
			return s;
	return NULL;
}

static int
setting_check(struct cmd_ctx *ctx, const struct setting *s, const char *v)
{
	char	*end;
	long	 n;
	int	 rc;

	switch (s->type) {
	case SET_ZONE:
		if (!when_zone_valid(v))
			return err_set(&ctx->err, TEND_EINVAL, "unknown time "
			    "zone '%s'", v);
		return 0;
	case SET_INT:
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < s->lo || n > s->hi)
			return err_set(&ctx->err, TEND_EINVAL, "%s: '%s' is "
			    "not a number from %ld to %ld", s->key, v, s->lo,
			    s->hi);
		return 0;
	case SET_STAGES: {
		struct deal_stages	st;

		return deal_stages_parse(v, &st, &ctx->err);
	}
	case SET_BLOCK: {
		struct block	b;

		return block_parse(v, &b, &ctx->err);
	}
	case SET_FROM: {
		const char	*name, *addr;

		return mail_from_parse(v, ctx->arena, &name, &addr,
		    &ctx->err);
	}
	case SET_URL:
		if (strncmp(v, "https://", 8) != 0 &&
		    strncmp(v, "http://", 7) != 0)
			return err_set(&ctx->err, TEND_EINVAL, "%s: '%s' is not "
			    "an http:// or https:// URL", s->key, v);
		return text_check(s->key, v, 1000, 0, &ctx->err);
	case SET_SMTP_URL: {
		const char	*host;

		if (strncmp(v, "smtp://", 7) != 0 &&
		    strncmp(v, "smtps://", 8) != 0)
			return err_set(&ctx->err, TEND_EINVAL, "%s: '%s' is not "
			    "an smtp:// or smtps:// URL", s->key, v);
		/* a password here would be written to the file: refuse */
		host = strstr(v, "://") + 3;
		if (memchr(host, '@', strcspn(host, "/")) != NULL)
			return err_set(&ctx->err, TEND_EINVAL, "%s must not "
			    "hold a user or password: use smtp.user and "
			    "smtp.password_file or TEND_SMTP_PASSWORD", s->key);
	}
		return text_check(s->key, v, 1000, 0, &ctx->err);
	case SET_IMAP_URL: {
		const char	*host;

		if (strncmp(v, "imap://", 7) != 0 &&
		    strncmp(v, "imaps://", 8) != 0)
			return err_set(&ctx->err, TEND_EINVAL, "%s: '%s' is not "
			    "an imap:// or imaps:// URL", s->key, v);
		host = strstr(v, "://") + 3;
		if (memchr(host, '@', strcspn(host, "/")) != NULL)
			return err_set(&ctx->err, TEND_EINVAL, "%s must not "
			    "hold a user or password: use imap.user and "
			    "imap.password_file or TEND_IMAP_PASSWORD", s->key);
	}
		return text_check(s->key, v, 1000, 0, &ctx->err);
	case SET_ADDR:
		return contact_email_check(v, &ctx->err) != 0 ?
		    err_prefix(&ctx->err, TEND_EINVAL, "%s", s->key) : 0;
	case SET_ADDRS: {
		char	*copy = arena_strdup(ctx->arena, v), *p, *next;
		int	 naddr = 0;

		for (p = copy; p != NULL; p = next) {
			if (++naddr > 31)
				return err_set(&ctx->err, TEND_EINVAL, "%s: at "
				    "most 31 addresses", s->key);
			next = strchr(p, ',');
			if (next != NULL)
				*next++ = '\0';
			p = text_trim(p);
			if (contact_email_check(p, &ctx->err) != 0)
				return err_prefix(&ctx->err, TEND_EINVAL, "%s",
				    s->key);
		}
		return text_check(s->key, v, 1000, 0, &ctx->err);
	}
	case SET_HOLIDAYS: {
		int	days[SEQUENCE_HOLIDAYS_MAX];
		size_t	nd;

		if ((rc = sequence_holidays_parse(v, days, SEQUENCE_HOLIDAYS_MAX,
		    &nd, &ctx->err)) != 0)
			return rc;
		return text_check(s->key, v, 8000, 0, &ctx->err);
	}
	case SET_QUESTIONS: {
		const char	*p = v, *bar;
		int		 nq = 0;

		if ((rc = text_check(s->key, v, 1000, 0, &ctx->err)) != 0)
			return rc;
		for (; p != NULL; p = bar != NULL ? bar + 1 : NULL) {
			bar = strchr(p, '|');
			if ((bar != NULL ? (size_t)(bar - p) : strlen(p)) > 200)
				return err_set(&ctx->err, TEND_EINVAL, "%s: a "
				    "question is over 200 bytes", s->key);
			if (++nq > INBOUND_QUESTIONS_MAX)
				return err_set(&ctx->err, TEND_EINVAL, "%s: at "
				    "most %d questions", s->key,
				    INBOUND_QUESTIONS_MAX);
		}
		return 0;
	}
	case SET_UNKNOWN:
		if (strcmp(v, "inquiry") != 0 && strcmp(v, "other") != 0)
			return err_set(&ctx->err, TEND_EINVAL, "%s: '%s' is not "
			    "'inquiry' or 'other'", s->key, v);
		return 0;
	case SET_TLS:
		if (strcmp(v, "required") != 0 && strcmp(v, "none") != 0)
			return err_set(&ctx->err, TEND_EINVAL, "%s: '%s' is not "
			    "'required' or 'none'", s->key, v);
		return 0;
	case SET_TEXT:
		/* one line: the config file is line-based */
		if ((rc = text_check(s->key, v, 1000, 0, &ctx->err)) != 0)
			return rc;
		return 0;
	}
	return 0;
}

static int
setting_get(struct cmd_ctx *ctx, const struct setting *s, const char **out,
    int *is_default)
{
	char	*v = NULL;
	int	 rc;

	if (s->in_db) {
		if ((rc = store_setting_get(ctx->store, ctx->arena, s->key, &v,
		    &ctx->err)) != 0)
			return rc;
		*out = v;
	} else
		*out = config_get(ctx->config, s->key);
	*is_default = *out == NULL;
	if (*out == NULL)
		*out = s->def;
	return 0;
}

static int
config_list(struct cmd_ctx *ctx)
{
	const struct setting	*s;
	const char		*v;
	json_t			*o;
	int			 rc, def;

	o = ctx->json ? json_object() : NULL;
	for (s = settings; s->key != NULL; s++) {
		if ((rc = setting_get(ctx, s, &v, &def)) != 0) {
			json_decref(o);
			return rc;
		}
		if (o != NULL) {
			json_object_set_new(o, s->key, out_jstr(v));
			continue;
		}
		fprintf(ctx->out, "%s = %s", s->key, v != NULL ? v : "");
		fprintf(ctx->out, "%*s# %s%s\n", 2, "", def ? "default; " : "",
		    s->in_db ? "in the database" : "in the config file");
	}
	if (o != NULL)
		out_json(ctx, o);
	else
		fprintf(ctx->out, "\nconfig file: %s\n",
		    config_path(ctx->config));
	return 0;
}

static int
cmd_config_exec(struct cmd_ctx *ctx, struct args *args)
{
	const struct setting	*s;
	const char		*v;
	int			 rc, def;

	if (args->npos == 0) {
		if (args_has(args, "unset"))
			return err_set(&ctx->err, TEND_EUSAGE, "config: "
			    "--unset needs a KEY");
		return config_list(ctx);
	}
	s = setting_find(args->pos[0]);
	if (s == NULL)
		return err_set(&ctx->err, TEND_EUSAGE, "config: unknown "
		    "setting '%s'; 'tend config' lists them", args->pos[0]);
	if (args_has(args, "unset") || args->npos == 2) {
		if (args_has(args, "unset") && args->npos == 2)
			return err_set(&ctx->err, TEND_EUSAGE, "config: give "
			    "a VALUE or --unset, not both");
		v = args->npos == 2 ? args->pos[1] : NULL;
		if (v != NULL && (rc = setting_check(ctx, s, v)) != 0)
			return rc;
		if (s->in_db)
			return store_setting_set(ctx->store, s->key, v,
			    &ctx->err);
		config_set(ctx->config, s->key, v);
		return config_save(ctx->config, &ctx->err);
	}
	if ((rc = setting_get(ctx, s, &v, &def)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, json_pack("{s:o}", s->key, out_jstr(v)));
	else if (v != NULL)
		fprintf(ctx->out, "%s\n", v);
	return 0;
}
