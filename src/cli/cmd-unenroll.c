/*
 * Take a contact out of a sequence (or of every one): the enrollment
 * ends with the reason "unenrolled", on the timeline, and the messages
 * it queued that have not gone are cancelled.
 *
 * --json prints {"contact": {"id", "name"}, "ended": [enrollments as
 * tend enrollments --json prints them], "cancelled"}.
 */
#include <stdio.h>
#include <string.h>

#include "app/sequencer.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/contact.h"
#include "core/sequence.h"
#include "store/store.h"

static int	cmd_unenroll_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_unenroll_entry = {
	.name = "unenroll",
	.usage = "CONTACT [SEQUENCE]",
	.summary = "Take a contact out of a sequence.",
	.opts = NULL,
	.min_args = 1,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_unenroll_exec
};

static int
cmd_unenroll_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct enrollment_filter	 f;
	struct sequencer_item		*v;
	struct contact			*c;
	json_t				*a;
	int64_t				 contact_id;
	size_t				 nv, i;
	int				 rc, n, cancelled;

	if ((rc = cli_contact(ctx, args->pos[0], &contact_id)) != 0 ||
	    (rc = store_contact_get(ctx->store, ctx->arena, contact_id, &c,
	    &ctx->err)) != 0)
		return rc;
	/* the ones about to end, to print them as they end */
	memset(&f, 0, sizeof f);
	f.contact_id = contact_id;
	if ((rc = sequencer_list(ctx->store, &f, ctx->arena, &v, &nv,
	    &ctx->err)) != 0)
		return rc;
	if ((rc = sequencer_unenroll(ctx->store, contact_id, args->npos > 1 ?
	    args->pos[1] : NULL, ctx->now, &n, &cancelled, &ctx->err)) != 0)
		return rc;
	a = json_array();
	for (i = 0; i < nv; i++) {
		if ((rc = store_enrollment_get(ctx->store, ctx->arena,
		    v[i].e->id, &v[i].e, &ctx->err)) != 0) {
			json_decref(a);
			return rc;
		}
		if (strcmp(v[i].e->state, "ended") != 0)
			continue;
		if (ctx->json)
			json_array_append_new(a, cli_enrollment_json(ctx,
			    v[i].e, v[i].seq));
		else
			fprintf(ctx->out, "%s left sequence '%s'\n", c->name,
			    v[i].e->sequence_name);
	}
	if (ctx->json) {
		out_json(ctx, json_pack("{s:o,s:o,s:i}", "contact",
		    out_jref(c->id, c->name), "ended", a, "cancelled",
		    cancelled));
		return 0;
	}
	json_decref(a);
	if (cancelled > 0)
		fprintf(ctx->out, "cancelled %d queued message%s\n",
		    cancelled, cancelled == 1 ? "" : "s");
	return 0;
}
