/*
 * Merge two contacts that are one person: the second is folded into the
 * first with everything it has.
 */
#include "app/merge.h"
#include "cli/common.h"

static int	cmd_merge_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_merge_opts[] = {
	CMD_OPT_END
};

const struct cmd_entry cmd_merge_entry = {
	.name = "merge",
	.usage = "KEEP OTHER",
	.summary = "Merge contact OTHER into contact KEEP.",
	.opts = cmd_merge_opts,
	.min_args = 2,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_merge_exec
};

static int
cmd_merge_exec(struct cmd_ctx *ctx, struct args *args)
{
	int64_t	keep, gone;
	int	rc;

	if ((rc = cli_contact(ctx, args->pos[0], &keep)) != 0 ||
	    (rc = cli_contact(ctx, args->pos[1], &gone)) != 0)
		return rc;
	if ((rc = merge_contacts(ctx->store, keep, gone, ctx->now, ctx->tz,
	    &ctx->err)) != 0)
		return rc;
	return cli_contact_print(ctx, keep);
}
