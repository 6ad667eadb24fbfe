/*
 * Schedule a follow-up with a contact.
 */
#include <string.h>

#include "cli/common.h"
#include "cli/output.h"
#include "core/when.h"
#include "store/store.h"

static int	cmd_follow_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_follow_opts[] = {
	{ "due", 0, 1, "when (default: tomorrow)" },
	{ "via", 0, 1, "channel: call, email, meeting, in-person, message" },
	{ "deal", 0, 1, "the deal it is about (id)" },
	{ "inquiry", 0, 0, "an inbound lead waiting for a first answer" },
	CMD_OPT_END
};

const struct cmd_entry cmd_follow_entry = {
	.name = "follow",
	.usage = "CONTACT [REASON] [--due DATE] [--via CHANNEL] [--deal DEAL] "
	    "[--inquiry]",
	.summary = "Schedule a follow-up (default: tomorrow).",
	.opts = cmd_follow_opts,
	.min_args = 1,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_follow_exec
};

static int
cmd_follow_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct followup	 f;
	struct contact	*c;
	const char	*v;
	int		 rc;

	memset(&f, 0, sizeof f);
	f.reason = args->npos > 1 ? args->pos[1] : NULL;
	f.channel = (char *)args_get(args, "via");
	f.kind = args_has(args, "inquiry") ? "inquiry" : "task";
	if ((v = args_get(args, "due")) != NULL) {
		if ((rc = cli_date(ctx, "--due", v, &f.due)) != 0)
			return rc;
	} else
		f.due = when_add_days(when_day_start(ctx->now, ctx->tz), 1,
		    ctx->tz);
	if ((rc = followup_check(&f, &ctx->err)) != 0)
		return rc;
	if ((rc = cli_contact(ctx, args->pos[0], &f.contact_id)) != 0 ||
	    (rc = store_contact_get(ctx->store, ctx->arena, f.contact_id, &c,
	    &ctx->err)) != 0)
		return rc;
	/* it would never reach the agenda */
	if (c->archived)
		return err_set(&ctx->err, TEND_ECONFLICT, "contact %lld is "
		    "archived; 'tend edit %lld --restore' brings them back",
		    (long long)c->id, (long long)c->id);
	/* check the deal here: a foreign key error would not name it */
	if ((v = args_get(args, "deal")) != NULL &&
	    ((rc = cli_id(ctx, "deal", v, &f.deal_id)) != 0 ||
	    (rc = store_deal_exists(ctx->store, f.deal_id, &ctx->err)) != 0))
		return rc;
	if ((rc = store_followup_add(ctx->store, &f, ctx->now,
	    &ctx->err)) != 0)
		return rc;
	return cli_followup_print(ctx, f.id);
}
