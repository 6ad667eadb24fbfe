/*
 * Set how often to keep in touch with a contact.
 */
#include "app/touch.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/cadence.h"
#include "store/store.h"

static int	cmd_every_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_every_entry = {
	.name = "every",
	.usage = "CONTACT INTERVAL",
	.summary = "Keep in touch every INTERVAL (2w, 6w, 3m, 1y, an RRULE, "
	    "never).",
	.opts = NULL,
	.min_args = 2,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_every_exec
};

static int
cmd_every_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct contact	*c;
	struct cadence	 cad;
	char		 every[96];
	int64_t		 id;
	int		 rc;

	if ((rc = cli_contact(ctx, args->pos[0], &id)) != 0)
		return rc;
	if ((rc = app_cadence_set(ctx->store, id, args->pos[1], ctx->now,
	    ctx->tz, &ctx->err)) != 0)
		return rc;
	if ((rc = store_contact_get(ctx->store, ctx->arena, id, &c,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		out_json(ctx, json_pack("{s:I,s:s,s:o,s:o}", "id",
		    (json_int_t)id, "name", c->name, "cadence",
		    out_jstr(c->cadence), "next_due",
		    out_jtime(ctx, c->cadence_due)));
		return 0;
	}
	if (c->cadence == NULL ||
	    cadence_parse(c->cadence, &cad, &ctx->err) != 0) {
		fprintf(ctx->out, "no keep-in-touch reminders for %s\n",
		    c->name);
		return 0;
	}
	cadence_describe(&cad, every, sizeof every);
	fprintf(ctx->out, "keep in touch with %s %s; next %s\n", c->name,
	    every, out_date(ctx, c->cadence_due));
	return 0;
}
