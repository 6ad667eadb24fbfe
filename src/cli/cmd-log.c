/*
 * Record an interaction.  Any interaction is a touch: it resets the
 * contact's keep-in-touch clock.
 */
#include <string.h>

#include "app/touch.h"
#include "cli/common.h"
#include "cli/output.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_log_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_log_opts[] = {
	{ "when", 0, 1, "when it happened (default: now)" },
	{ "in", 0, 0, "they reached out to you" },
	{ "out", 0, 0, "you reached out (the default)" },
	CMD_OPT_END
};

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.usage = "CONTACT KIND [SUMMARY] [--when DATE] [--in | --out]",
	.summary = "Record a call, email, meeting, in-person, message or note.",
	.opts = cmd_log_opts,
	.min_args = 2,
	.max_args = 3,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_log_exec
};

static int
cmd_log_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct interaction	 i;
	struct contact		*c;
	const char		*when;
	json_t			*o;
	int			 rc;

	memset(&i, 0, sizeof i);
	if (args_has(args, "in") && args_has(args, "out"))
		return err_set(&ctx->err, TEND_EUSAGE, "log: --in and --out "
		    "exclude each other");
	i.kind = args->pos[1];
	i.direction = args_has(args, "in") ? "in" : "out";
	i.summary = args->npos > 2 ? args->pos[2] : NULL;
	i.at = ctx->now;
	i.created = ctx->now;
	if ((when = args_get(args, "when")) != NULL) {
		if ((rc = cli_date(ctx, "--when", when, &i.at)) != 0)
			return rc;
		if (i.at > ctx->now)
			return err_set(&ctx->err, TEND_EINVAL, "--when: '%s' "
			    "is in the future; use 'tend follow' to plan",
			    when);
	}
	if ((rc = interaction_check(&i, &ctx->err)) != 0)
		return rc;
	if ((rc = cli_contact(ctx, args->pos[0], &i.contact_id)) != 0)
		return rc;
	if ((rc = app_log(ctx->store, &i, ctx->tz, &ctx->err)) != 0)
		return rc;
	if ((rc = store_contact_get(ctx->store, ctx->arena, i.contact_id, &c,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		o = json_object();
		json_object_set_new(o, "id", json_integer(i.id));
		json_object_set_new(o, "contact", out_jref(c->id, c->name));
		json_object_set_new(o, "kind", out_jstr(i.kind));
		json_object_set_new(o, "direction", out_jstr(i.direction));
		json_object_set_new(o, "at", out_jtime(ctx, i.at));
		json_object_set_new(o, "summary", out_jstr(i.summary));
		json_object_set_new(o, "next_keep_in_touch",
		    out_jtime(ctx, c->cadence_due));
		out_json(ctx, o);
		return 0;
	}
	fprintf(ctx->out, "logged %s with %s (%lld)", i.kind, c->name,
	    (long long)i.id);
	if (c->cadence_due != 0)
		fprintf(ctx->out, "; next keep-in-touch %s",
		    out_date(ctx, c->cadence_due));
	fputc('\n', ctx->out);
	return 0;
}
