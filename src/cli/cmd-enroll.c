/*
 * Enroll a contact in a sequence: its first step counts from now, or
 * from --at.  At most one active sequence per contact unless --also.
 *
 * --json prints the enrollment as tend enrollments --json does.
 */
#include <stdio.h>
#include <string.h>

#include "app/mail.h"
#include "app/sequencer.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/sequence.h"
#include "store/store.h"

static int	cmd_enroll_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_enroll_opts[] = {
	{ "at", 0, 1, "start on DATE instead of now" },
	{ "deal", 'd', 1, "the deal it is about (default: the only open one)" },
	{ "also", 0, 0, "even if the contact is in another sequence" },
	CMD_OPT_END
};

const struct cmd_entry cmd_enroll_entry = {
	.name = "enroll",
	.usage = "CONTACT SEQUENCE [--at DATE] [--deal ID] [--also]",
	.summary = "Put a contact in a sequence.",
	.opts = cmd_enroll_opts,
	.min_args = 2,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_enroll_exec
};

static int
cmd_enroll_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct mail_settings	 ms;
	struct enrollment	*r;
	struct sequence		*q;
	const char		*v;
	int64_t			 contact_id, deal_id = 0, at = 0;
	int			 rc;

	if ((v = args_get(args, "at")) != NULL &&
	    (rc = cli_date(ctx, "--at", v, &at)) != 0)
		return rc;
	if ((v = args_get(args, "deal")) != NULL &&
	    (rc = cli_id(ctx, "--deal", v, &deal_id)) != 0)
		return rc;
	if ((rc = cli_contact(ctx, args->pos[0], &contact_id)) != 0)
		return rc;
	if ((rc = mail_settings_load(ctx->config, ctx->tz, 0, ctx->arena, &ms,
	    &ctx->err)) != 0)
		return rc;
	if ((rc = sequencer_enroll(ctx->store, &ms, contact_id, args->pos[1],
	    deal_id, at, args_has(args, "also"), ctx->now, ctx->arena, &r,
	    &ctx->err)) != 0)
		return rc;
	if ((rc = store_enrollment_get(ctx->store, ctx->arena, r->id, &r,
	    &ctx->err)) != 0 ||
	    (rc = sequencer_read(r->source, ctx->arena, &q, &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, cli_enrollment_json(ctx, r, q));
	else
		fprintf(ctx->out, "enrolled %s in '%s' (%zu step%s); next: "
		    "%s\n", r->contact_name, r->sequence_name, q->nsteps,
		    q->nsteps == 1 ? "" : "s", cli_enrollment_next(ctx, r, q));
	return 0;
}
