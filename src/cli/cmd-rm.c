/*
 * Archive a contact (hidden, nothing asked of you), or delete it for good.
 */
#include <stdio.h>

#include "cli/common.h"
#include "store/store.h"

static int	cmd_rm_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_rm_opts[] = {
	{ "purge", 0, 0, "delete for good, with the whole history" },
	CMD_OPT_END
};

const struct cmd_entry cmd_rm_entry = {
	.name = "rm",
	.usage = "CONTACT [--purge]",
	.summary = "Archive a contact (--purge deletes it for good).",
	.opts = cmd_rm_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_rm_exec
};

static int
cmd_rm_exec(struct cmd_ctx *ctx, struct args *args)
{
	int64_t	id;
	int	rc, purge;

	if ((rc = cli_contact(ctx, args->pos[0], &id)) != 0)
		return rc;
	purge = args_has(args, "purge");
	if (purge)
		rc = store_contact_purge(ctx->store, id, &ctx->err);
	else
		rc = store_contact_archive(ctx->store, id, ctx->now, &ctx->err);
	if (rc != 0)
		return rc;
	if (ctx->json)
		fprintf(ctx->out, "{\"id\": %lld, \"%s\": true}\n",
		    (long long)id, purge ? "purged" : "archived");
	else
		fprintf(ctx->out, "%s contact %lld\n", purge ? "deleted" :
		    "archived", (long long)id);
	return 0;
}
