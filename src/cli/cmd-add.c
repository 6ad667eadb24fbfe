/*
 * Add a contact: who they are, where you met, what they need; typed in,
 * or from a vCard as a business-card scanner or a QR code hands it over.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app/import.h"
#include "app/touch.h"
#include "cli/common.h"
#include "interop/vcard.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_add_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_add_entry = {
	.name = "add",
	.usage = "NAME [-e EMAIL]... [-p PHONE]... [--company C] [--title T] "
	    "[--kind K] [--met WHERE] [--met-on DATE] [--via CONTACT] "
	    "[--need TEXT] [--note TEXT] [-t TAG]... [--every INTERVAL] "
	    "[--tz ZONE] | --vcard FILE [NAME] [options]",
	.summary = "Add a contact and print its id.",
	.opts = cli_contact_opts,
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_add_exec
};

/* Read exactly one card from path ("-": standard input) into c. */
static int
add_vcard(struct cmd_ctx *ctx, const char *path, struct contact *c)
{
	struct import_opts	 o;
	struct vcard_reader	*r;
	struct contact		*card, *more;
	const char		*why, *note;
	FILE			*f;
	int			 rc;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL)
		return err_set(&ctx->err, TEND_EINVAL, "cannot open '%s': %s",
		    path, strerror(errno));
	r = vcard_reader_new(f, path);
	rc = vcard_read(r, ctx->arena, &card, &ctx->err);
	if (rc == 0)
		rc = err_set(&ctx->err, TEND_EINVAL, "%s: no vCard found",
		    path);
	else if (rc == 1) {
		rc = vcard_read(r, ctx->arena, &more, &ctx->err);
		if (rc == 1)
			rc = err_set(&ctx->err, TEND_EINVAL, "%s holds more "
			    "than one card; 'tend import' takes them all",
			    path);
	}
	vcard_reader_free(r);
	if (f != stdin)
		fclose(f);
	if (rc != 0)
		return rc;
	memset(&o, 0, sizeof o);
	o.now = ctx->now;
	o.tz = ctx->tz;
	if (!import_tidy(ctx->arena, card, &o, &why, &note))
		return err_set(&ctx->err, TEND_EINVAL, "%s: the card has %s",
		    path, why);
	/* where it came from is worked out below, as for a typed contact */
	card->source = NULL;
	*c = *card;
	return 0;
}

static int
cmd_add_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct contact	 c;
	const char	*every, *vcard;
	int		 rc;

	memset(&c, 0, sizeof c);
	if (args_has(args, "restore"))
		return err_set(&ctx->err, TEND_EUSAGE, "add: --restore is for "
		    "'tend edit'");
	vcard = args_get(args, "vcard");
	if (vcard == NULL && args->npos == 0)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend add %s",
		    cmd_add_entry.usage);
	if (vcard != NULL && (rc = add_vcard(ctx, vcard, &c)) != 0)
		return rc;
	if (args->npos > 0)
		c.name = arena_strdup(ctx->arena, args->pos[0]);
	if ((rc = cli_contact_apply(ctx, args, &c, 1)) != 0)
		return rc;
	if ((rc = store_contact_insert(ctx->store, &c, ctx->now,
	    &ctx->err)) != 0)
		return rc;
	every = args_get(args, "every");
	if (every == NULL)
		every = c.cadence;
	if (every != NULL && (rc = app_cadence_set(ctx->store, c.id, every,
	    ctx->now, ctx->tz, &ctx->err)) != 0)
		return rc;
	return cli_contact_print(ctx, c.id);
}
