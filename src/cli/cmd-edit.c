/*
 * Change a contact's fields; an empty value clears a field.
 */
#include "app/touch.h"
#include "cli/common.h"
#include "store/store.h"

static int	cmd_edit_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_edit_entry = {
	.name = "edit",
	.usage = "CONTACT [--name NAME] [-e EMAIL]... [--no-email EMAIL] "
	    "[-p PHONE]... [--company C] [--title T] [--kind K] [--met WHERE] "
	    "[--met-on DATE] [--via CONTACT] [--need TEXT] [--note TEXT] "
	    "[-t TAG]... [--untag TAG] [--every INTERVAL] [--tz ZONE] "
	    "[--dnc | --contact-ok] [--restore]",
	.summary = "Change a contact.",
	.opts = cli_contact_opts,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_edit_exec
};

static int
cmd_edit_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct contact	*c;
	const char	*every;
	int64_t		 id;
	int		 rc;

	if (args_has(args, "vcard"))
		return err_set(&ctx->err, TEND_EUSAGE, "edit: --vcard is for "
		    "'tend add'; 'tend import' merges a card into a contact");
	if ((rc = cli_contact(ctx, args->pos[0], &id)) != 0)
		return rc;
	if ((rc = store_contact_get(ctx->store, ctx->arena, id, &c,
	    &ctx->err)) != 0)
		return rc;
	if ((rc = cli_contact_apply(ctx, args, c, 0)) != 0)
		return rc;
	if ((rc = store_contact_update(ctx->store, c, ctx->now,
	    &ctx->err)) != 0)
		return rc;
	if (args_has(args, "restore") && c->archived &&
	    (rc = store_contact_restore(ctx->store, id, ctx->now,
	    &ctx->err)) != 0)
		return rc;
	/* a new interval, or a new meeting date, moves the next due */
	every = args_get(args, "every");
	if (every != NULL)
		rc = app_cadence_set(ctx->store, id, every, ctx->now, ctx->tz,
		    &ctx->err);
	else if (args_get(args, "met-on") != NULL)
		rc = app_cadence_refresh(ctx->store, id, ctx->now, ctx->tz,
		    &ctx->err);
	if (rc != 0)
		return rc;
	return cli_contact_print(ctx, id);
}
