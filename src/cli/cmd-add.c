/*
 * Add a contact: who they are, where you met, what they need.
 */
#include <string.h>

#include "app/touch.h"
#include "cli/common.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_add_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_add_entry = {
	.name = "add",
	.usage = "NAME [-e EMAIL]... [-p PHONE]... [--company C] [--title T] "
	    "[--kind K] [--met WHERE] [--met-on DATE] [--via CONTACT] "
	    "[--need TEXT] [--note TEXT] [-t TAG]... [--every INTERVAL] "
	    "[--tz ZONE]",
	.summary = "Add a contact and print its id.",
	.opts = cli_contact_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_add_exec
};

static int
cmd_add_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct contact	 c;
	const char	*every;
	int		 rc;

	memset(&c, 0, sizeof c);
	c.name = arena_strdup(ctx->arena, args->pos[0]);
	if (args_has(args, "restore"))
		return err_set(&ctx->err, TEND_EUSAGE, "add: --restore is for "
		    "'tend edit'");
	if ((rc = cli_contact_apply(ctx, args, &c, 1)) != 0)
		return rc;
	if ((rc = store_contact_insert(ctx->store, &c, ctx->now,
	    &ctx->err)) != 0)
		return rc;
	every = args_get(args, "every");
	if (every != NULL && (rc = app_cadence_set(ctx->store, c.id, every,
	    ctx->now, ctx->tz, &ctx->err)) != 0)
		return rc;
	return cli_contact_print(ctx, c.id);
}
