/*
 * The suppression list: unsubscribe an address (or the address a token
 * from a List-Unsubscribe link names), list who is on it, take one off.
 * Nothing is sent to a suppressed address, automated or not; queued
 * messages to it are cancelled when a sender claims them.
 *
 * --json prints {"address", "reason", "at", "detail"} (--list: an array).
 */
#include <stdio.h>
#include <string.h>

#include "app/mail.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/contact.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_unsubscribe_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_unsubscribe_opts[] = {
	{ "list", 'l', 0, "list the suppressed addresses" },
	{ "remove", 'r', 0, "take the address off the list, unsubscribed or "
	    "bounced (it asked to hear from you again, or works again)" },
	CMD_OPT_END
};

const struct cmd_entry cmd_unsubscribe_entry = {
	.name = "unsubscribe",
	.usage = "ADDRESS | TOKEN | --remove ADDRESS | --list",
	.summary = "Stop all mail to an address; list or lift suppressions.",
	.opts = cmd_unsubscribe_opts,
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_unsubscribe_exec
};

static int
unsubscribe_list(struct cmd_ctx *ctx)
{
	struct store_suppression	*v;
	struct table			*tb;
	json_t				*a;
	size_t				 n, i;
	int				 rc;

	if ((rc = store_suppress_list(ctx->store, ctx->arena, &v, &n,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o}",
			    "address", v[i].address, "reason", v[i].reason,
			    "at", out_jtime(ctx, v[i].at), "detail",
			    out_jstr(v[i].detail)));
		out_json(ctx, a);
		return 0;
	}
	if (n == 0) {
		fprintf(ctx->out, "no suppressed addresses\n");
		return 0;
	}
	tb = table_new(ctx, 4);
	table_cell(tb, "ADDRESS");
	table_cell(tb, "REASON");
	table_cell(tb, "SINCE");
	table_cell(tb, "DETAIL");
	for (i = 0; i < n; i++) {
		table_cell(tb, v[i].address);
		table_cell(tb, v[i].reason);
		table_cell(tb, out_date(ctx, v[i].at));
		table_cell(tb, v[i].detail != NULL ? out_trunc(ctx->arena,
		    v[i].detail, 50) : "");
	}
	table_print(tb, ctx->out);
	return 0;
}

static int
cmd_unsubscribe_exec(struct cmd_ctx *ctx, struct args *args)
{
	const char	*detail = "by hand";
	char		*addr;
	int		 rc;

	if (args_has(args, "list")) {
		if (args->npos != 0 || args_has(args, "remove"))
			return err_set(&ctx->err, TEND_EUSAGE, "unsubscribe: "
			    "--list takes nothing else");
		return unsubscribe_list(ctx);
	}
	if (args->npos != 1)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend "
		    "unsubscribe %s", cmd_unsubscribe_entry.usage);
	addr = args->pos[0];
	if (strchr(addr, '@') == NULL) {
		/* a token from a link or from the mailto's subject */
		if (args_has(args, "remove"))
			return err_set(&ctx->err, TEND_EUSAGE, "unsubscribe: "
			    "--remove takes an address");
		if ((rc = mail_unsubscribe_token(ctx->store, addr, ctx->arena,
		    &addr, &ctx->err)) != 0)
			return rc;
		detail = "by token";
	} else if ((rc = contact_email_check(addr, &ctx->err)) != 0)
		return rc;
	if (args_has(args, "remove")) {
		/* an unsubscribe or a bounce: either way, it asked to hear */
		if ((rc = store_suppress_del(ctx->store, addr, NULL,
		    &ctx->err)) != 0)
			return rc;
		if (ctx->json)
			out_json(ctx, json_pack("{s:s}", "removed", addr));
		else
			fprintf(ctx->out, "%s may get mail again\n", addr);
		return 0;
	}
	rc = store_suppress_add(ctx->store, addr, "unsubscribed", detail,
	    ctx->now, &ctx->err);
	if (rc != 0 && rc != TEND_ECONFLICT)
		return rc;
	if (ctx->json)
		out_json(ctx, json_pack("{s:s,s:s,s:b}", "address", addr,
		    "reason", "unsubscribed", "new", rc == 0));
	else
		fprintf(ctx->out, rc == 0 ? "unsubscribed %s: no more mail "
		    "goes there\n" : "%s was already unsubscribed\n", addr);
	return 0;
}
