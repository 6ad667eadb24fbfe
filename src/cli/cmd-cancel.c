/*
 * Cancel a follow-up that is no longer needed.
 */
#include "cli/common.h"
#include "store/store.h"
#include "util/text.h"

static int	cmd_cancel_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_cancel_opts[] = {
	{ "note", 'n', 1, "why, for the history" },
	CMD_OPT_END
};

const struct cmd_entry cmd_cancel_entry = {
	.name = "cancel",
	.usage = "ID [-n NOTE]",
	.summary = "Cancel a follow-up.",
	.opts = cmd_cancel_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_cancel_exec
};

static int
cmd_cancel_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct followup	*f;
	const char	*note;
	int64_t		 id;
	int		 rc;

	if ((rc = cli_id(ctx, "follow-up", args->pos[0], &id)) != 0)
		return rc;
	if ((note = args_get(args, "note")) != NULL &&
	    (rc = text_check("note", note, TEXT_LONG_MAX, 1, &ctx->err)) != 0)
		return rc;
	if ((rc = cli_followup_open(ctx, id, &f)) != 0)
		return rc;
	if ((rc = store_followup_set(ctx->store, id, "cancelled", f->due,
	    note, ctx->now, &ctx->err)) != 0)
		return rc;
	return cli_followup_print(ctx, id);
}
