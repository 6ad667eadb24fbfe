/*
 * Push a follow-up to a later date.
 */
#include "cli/common.h"
#include "store/store.h"

static int	cmd_snooze_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_snooze_entry = {
	.name = "snooze",
	.usage = "ID DATE",
	.summary = "Move a follow-up to a later date.",
	.opts = NULL,
	.min_args = 2,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_snooze_exec
};

static int
cmd_snooze_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct followup	*f;
	int64_t		 id, due;
	int		 rc;

	if ((rc = cli_id(ctx, "follow-up", args->pos[0], &id)) != 0 ||
	    (rc = cli_date(ctx, "date", args->pos[1], &due)) != 0)
		return rc;
	if (due <= ctx->now)
		return err_set(&ctx->err, TEND_EINVAL, "cannot snooze until "
		    "'%s': that is not in the future", args->pos[1]);
	if ((rc = cli_followup_open(ctx, id, &f)) != 0)
		return rc;
	if ((rc = store_followup_set(ctx->store, id, "snoozed", due, NULL,
	    ctx->now, &ctx->err)) != 0)
		return rc;
	return cli_followup_print(ctx, id);
}
