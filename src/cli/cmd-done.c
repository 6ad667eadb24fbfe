/*
 * Complete a follow-up; optionally log the interaction and schedule the
 * next one in the same step.
 */
#include <string.h>

#include "app/touch.h"
#include "cli/common.h"
#include "cli/output.h"
#include "store/store.h"
#include "util/text.h"

static int	cmd_done_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_done_opts[] = {
	{ "log", 0, 1, "record the interaction: call, email, meeting..." },
	{ "next", 0, 1, "schedule the next follow-up on DATE" },
	{ "note", 'n', 1, "a note for the history (and the log)" },
	CMD_OPT_END
};

const struct cmd_entry cmd_done_entry = {
	.name = "done",
	.usage = "ID [--log KIND] [--next DATE] [-n NOTE]",
	.summary = "Mark a follow-up done.",
	.opts = cmd_done_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_done_exec
};

static int
cmd_done_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct followup		*f, next;
	json_t			*d, *n;
	struct interaction	 i;
	const char		*v, *note;
	int64_t			 id, next_due = 0;
	int			 rc;

	memset(&next, 0, sizeof next);
	if ((rc = cli_id(ctx, "follow-up", args->pos[0], &id)) != 0)
		return rc;
	note = args_get(args, "note");
	/* the note goes into the history even without --log: check it */
	if (note != NULL && (rc = text_check("note", note, TEXT_LONG_MAX, 1,
	    &ctx->err)) != 0)
		return rc;
	if ((v = args_get(args, "next")) != NULL &&
	    (rc = cli_date(ctx, "--next", v, &next_due)) != 0)
		return rc;
	if ((rc = cli_followup_open(ctx, id, &f)) != 0)
		return rc;
	if ((rc = store_followup_set(ctx->store, id, "done", f->due, note,
	    ctx->now, &ctx->err)) != 0)
		return rc;
	if ((v = args_get(args, "log")) != NULL) {
		memset(&i, 0, sizeof i);
		i.contact_id = f->contact_id;
		i.kind = (char *)v;
		i.direction = "out";
		i.at = i.created = ctx->now;
		i.summary = note != NULL ? (char *)note : f->reason;
		if ((rc = app_log(ctx->store, &i, ctx->tz, &ctx->err)) != 0)
			return rc;
	}
	if (next_due != 0) {
		next = *f;
		next.id = 0;
		next.due = next_due;
		/* an inquiry is answered once; what follows is a plain task */
		next.kind = "task";
		if ((rc = store_followup_add(ctx->store, &next, ctx->now,
		    &ctx->err)) != 0)
			return rc;
	}
	if (ctx->json) {
		if ((rc = cli_followup_json(ctx, id, &d)) != 0)
			return rc;
		n = NULL;
		if (next.id != 0 && (rc = cli_followup_json(ctx, next.id,
		    &n)) != 0) {
			json_decref(d);
			return rc;
		}
		out_json(ctx, json_pack("{s:o,s:o}", "done", d, "next",
		    n != NULL ? n : json_null()));
		return 0;
	}
	fprintf(ctx->out, "done %lld", (long long)id);
	if (next.id != 0)
		fprintf(ctx->out, "; next follow-up %lld on %s",
		    (long long)next.id, out_date(ctx, next.due));
	fputc('\n', ctx->out);
	return 0;
}
