/*
 * What to say: a template merged with what you know about the person,
 * printed to paste into your own mail or phone.  Without a template, the
 * starter that fits the situation is chosen, and the reason is given.
 *
 * --json prints {"contact": {"id", "name"}, "to", "template", "why",
 * "subject", "body", "html"}; why is null when the template was named.
 */
#include <string.h>

#include "app/mail.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/contact.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_say_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_say_opts[] = {
	{ "deal", 'd', 1, "the deal it is about (default: the only open one)" },
	{ "set", 's', 1, "NAME=VALUE: a value of your own for the template" },
	CMD_OPT_END
};

const struct cmd_entry cmd_say_entry = {
	.name = "say",
	.usage = "CONTACT [TEMPLATE] [--deal D] [--set NAME=VALUE]...",
	.summary = "Print what to say to a contact, from a template.",
	.opts = cmd_say_opts,
	.min_args = 1,
	.max_args = 2,
	/* the first unsubscribe link makes the key that signs it */
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_say_exec
};

static int
cmd_say_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct mail_settings	 ms;
	struct mail_request	 req;
	struct mail_rendered	 r;
	const char		*why = NULL, *name, *v;
	char			**vars;
	json_t			*o;
	int			 rc;

	memset(&req, 0, sizeof req);
	if ((rc = mail_settings_load(ctx->config, ctx->tz, 0, ctx->arena, &ms,
	    &ctx->err)) != 0)
		return rc;
	if ((rc = cli_contact(ctx, args->pos[0], &req.contact_id)) != 0)
		return rc;
	if ((v = args_get(args, "deal")) != NULL &&
	    (rc = cli_id(ctx, "--deal", v, &req.deal_id)) != 0)
		return rc;
	req.nvars = args_all(args, "set", ctx->arena, &vars);
	req.vars = (const char **)vars;
	if (args->npos == 2)
		name = args->pos[1];
	else if ((rc = mail_pick(ctx->store, req.contact_id, ctx->now,
	    ctx->tz, ctx->arena, &name, &why, &ctx->err)) != 0)
		return rc;
	req.template = name;
	if ((rc = mail_render(ctx->store, &ms, &req, ctx->now, ctx->arena, &r,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		o = json_object();
		json_object_set_new(o, "contact", out_jref(r.contact->id,
		    r.contact->name));
		json_object_set_new(o, "to", out_jstr(r.rcpt));
		json_object_set_new(o, "template", out_jstr(r.template));
		json_object_set_new(o, "why", out_jstr(why));
		json_object_set_new(o, "subject", out_jstr(r.subject));
		json_object_set_new(o, "body", out_jstr(r.text));
		json_object_set_new(o, "html", out_jstr(r.html));
		out_json(ctx, o);
		return 0;
	}
	if (why != NULL)
		fprintf(ctx->out, "# %s: %s\n", r.template, why);
	if (r.rcpt != NULL)
		fprintf(ctx->out, "To: %s <%s>\n", r.contact->name, r.rcpt);
	fprintf(ctx->out, "Subject: %s\n\n%s", r.subject, r.text);
	if (*r.text != '\0' && r.text[strlen(r.text) - 1] != '\n')
		fputc('\n', ctx->out);
	return 0;
}
