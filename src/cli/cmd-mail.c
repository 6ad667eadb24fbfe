/*
 * Queue a message: a template merged with the contact, built now (its
 * Message-ID fixed, so a retry is the same message) and checked against
 * the respect rules.  tend send delivers it.
 *
 * --json prints an array of {"id", "contact": {"id", "name"}, "to",
 * "template", "subject", "message_id", "state", "next_attempt",
 * "reason"}.
 */
#include <stdio.h>
#include <string.h>

#include "app/mail.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/contact.h"
#include "core/outbox.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_mail_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_mail_opts[] = {
	{ "at", 0, 1, "not before this date (default: now)" },
	{ "deal", 'd', 1, "the deal it is about (default: the only open one)" },
	{ "set", 's', 1, "NAME=VALUE: a value of your own for the template" },
	{ "auto", 0, 0, "automated mail: caps, quiet hours and an unsubscribe "
	    "link apply" },
	{ "tag", 't', 1, "to every contact with this tag (implies --auto)" },
	{ "keep-going", 'k', 0, "with --tag: skip contacts that cannot get "
	    "it, and say why" },
	CMD_OPT_END
};

const struct cmd_entry cmd_mail_entry = {
	.name = "mail",
	.usage = "CONTACT TEMPLATE | --tag TAG TEMPLATE [--keep-going] "
	    "[--at DATE] [--deal D] [--set NAME=VALUE]... [--auto]",
	.summary = "Queue a message from a template (tend send sends it).",
	.opts = cmd_mail_opts,
	.min_args = 1,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_mail_exec
};

struct mail_ids {
	struct arena	*a;
	int64_t		*v;
	size_t		 n, cap;
};

static int
mail_collect(const struct contact *c, void *arg)
{
	struct mail_ids	*ids = arg;

	ids->v = arena_grow(ids->a, ids->v, ids->n, &ids->cap,
	    sizeof *ids->v);
	ids->v[ids->n++] = c->id;
	return 0;
}

static json_t *
mail_json(struct cmd_ctx *ctx, const struct outbox_msg *m)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "contact", out_jref(m->contact_id,
	    m->contact_name));
	json_object_set_new(o, "to", out_jstr(m->rcpt));
	json_object_set_new(o, "template", out_jstr(m->template));
	json_object_set_new(o, "subject", out_jstr(m->subject));
	json_object_set_new(o, "message_id", out_jstr(m->message_id));
	json_object_set_new(o, "state", out_jstr(m->state));
	json_object_set_new(o, "next_attempt", out_jtime(ctx,
	    m->next_attempt));
	json_object_set_new(o, "reason", out_jstr(m->reason));
	return o;
}

static void
mail_print(struct cmd_ctx *ctx, const struct outbox_msg *m)
{
	if (strcmp(m->state, "deferred") == 0)
		fprintf(ctx->out, "deferred message %lld to %s <%s> until %s: "
		    "%s\n", (long long)m->id, m->contact_name, m->rcpt,
		    out_date(ctx, m->next_attempt), m->reason);
	else if (m->next_attempt > ctx->now)
		fprintf(ctx->out, "queued message %lld to %s <%s> for %s: "
		    "%s\n", (long long)m->id, m->contact_name, m->rcpt,
		    out_date(ctx, m->next_attempt), m->subject);
	else
		fprintf(ctx->out, "queued message %lld to %s <%s>: %s\n",
		    (long long)m->id, m->contact_name, m->rcpt, m->subject);
}

static int
cmd_mail_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct mail_settings	 ms;
	struct mail_request	 req;
	struct contact_filter	 f;
	struct mail_ids		 ids;
	struct outbox_msg	*m;
	const char		*v, *tag;
	char			**vars;
	json_t			*out = NULL;
	size_t			 i, queued = 0, skipped = 0;
	int			 rc, keep;

	memset(&req, 0, sizeof req);
	memset(&ids, 0, sizeof ids);
	ids.a = ctx->arena;
	tag = args_get(args, "tag");
	keep = args_has(args, "keep-going");
	if (tag != NULL ? args->npos != 1 : args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend mail %s",
		    cmd_mail_entry.usage);
	if (keep && tag == NULL)
		return err_set(&ctx->err, TEND_EUSAGE, "mail: --keep-going "
		    "goes with --tag");
	if ((rc = mail_settings_load(ctx->config, ctx->tz, 0, ctx->arena, &ms,
	    &ctx->err)) != 0)
		return rc;
	req.template = args->pos[args->npos - 1];
	req.automated = tag != NULL || args_has(args, "auto");
	if ((v = args_get(args, "at")) != NULL &&
	    (rc = cli_date(ctx, "--at", v, &req.at)) != 0)
		return rc;
	if ((v = args_get(args, "deal")) != NULL) {
		if (tag != NULL)
			return err_set(&ctx->err, TEND_EUSAGE, "mail: --deal "
			    "names one contact's deal; not with --tag");
		if ((rc = cli_id(ctx, "--deal", v, &req.deal_id)) != 0)
			return rc;
	}
	req.nvars = args_all(args, "set", ctx->arena, &vars);
	req.vars = (const char **)vars;
	if (tag == NULL) {
		ids.v = arena_alloc(ctx->arena, sizeof *ids.v);
		if ((rc = cli_contact(ctx, args->pos[0], &ids.v[0])) != 0)
			return rc;
		ids.n = 1;
	} else {
		memset(&f, 0, sizeof f);
		f.tag = tag;
		if ((rc = store_contact_each(ctx->store, ctx->arena, &f,
		    mail_collect, &ids, &ctx->err)) != 0)
			return rc;
		if (ids.n == 0)
			return err_set(&ctx->err, TEND_ENOTFOUND, "no contact "
			    "has the tag '%s'", tag);
	}
	if (ctx->json)
		out = json_array();
	for (i = 0; i < ids.n; i++) {
		req.contact_id = ids.v[i];
		rc = mail_queue(ctx->store, &ms, &req, ctx->now, ctx->arena,
		    &m, &ctx->err);
		if (rc != 0 && keep && (rc == TEND_EINVAL ||
		    rc == TEND_ENOTFOUND)) {
			fprintf(stderr, "tend: skipped: %s\n", ctx->err.msg);
			skipped++;
			continue;
		}
		if (rc != 0) {
			json_decref(out);
			return rc;
		}
		queued++;
		if (out != NULL)
			json_array_append_new(out, mail_json(ctx, m));
		else if (tag == NULL)
			mail_print(ctx, m);
	}
	if (out != NULL)
		out_json(ctx, out);
	else if (tag != NULL)
		fprintf(ctx->out, "queued %zu message%s to contacts tagged "
		    "'%s'%s\n", queued, queued == 1 ? "" : "s", tag,
		    skipped > 0 ? " (some skipped: see above)" : "");
	return 0;
}
