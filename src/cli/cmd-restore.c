/*
 * Read a backup written by tend backup into a new, empty database: all of
 * it or, on any problem in the file, nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "interop/backup.h"
#include "store/store.h"

static int	cmd_restore_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_restore_entry = {
	.name = "restore",
	.usage = "FILE | -",
	.summary = "Restore a JSON backup into an empty database.",
	.opts = NULL,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_restore_exec
};

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int
cmd_restore_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct backup_counts	 n;
	const char		*path = args->pos[0], *name;
	json_t			*o;
	FILE			*f;
	int			 rc;

	if (strcmp(path, "-") == 0) {
		f = stdin;
		name = "standard input";
	} else {
		f = fopen(path, "r");
		if (f == NULL)
			return err_set(&ctx->err, errno == ENOENT ?
			    TEND_ENOTFOUND : TEND_EIO, "cannot read '%s': %s",
			    path, strerror(errno));
		name = path;
	}
	/* a restore is one long run of writes, as an import is */
	rc = store_bulk(ctx->store, &ctx->err);
	if (rc == 0)
		rc = store_index_defer(ctx->store, &ctx->err);
	if (rc == 0)
		rc = backup_restore(ctx->store, f, name, &n, &ctx->err);
	if (rc == 0)
		rc = store_index_catch_up(ctx->store, &ctx->err);
	if (f != stdin)
		fclose(f);
	if (rc != 0)
		return rc;
	if (ctx->json) {
		o = json_object();
		json_object_set_new(o, "file", out_jstr(path));
		json_object_set_new(o, "contacts", json_integer((json_int_t)
		    n.contacts));
		json_object_set_new(o, "interactions", json_integer(
		    (json_int_t)n.interactions));
		json_object_set_new(o, "followups", json_integer((json_int_t)
		    n.followups));
		json_object_set_new(o, "deals", json_integer((json_int_t)
		    n.deals));
		json_object_set_new(o, "settings", json_integer((json_int_t)
		    n.settings));
		json_object_set_new(o, "templates", json_integer((json_int_t)
		    n.templates));
		json_object_set_new(o, "suppressions", json_integer(
		    (json_int_t)n.suppressions));
		json_object_set_new(o, "messages", json_integer((json_int_t)
		    n.messages));
		json_object_set_new(o, "sequences", json_integer((json_int_t)
		    n.sequences));
		json_object_set_new(o, "enrollments", json_integer(
		    (json_int_t)n.enrollments));
		json_object_set_new(o, "inbound", json_integer((json_int_t)
		    n.inbound));
		json_object_set_new(o, "mailboxes", json_integer((json_int_t)
		    n.mailboxes));
		json_object_set_new(o, "soft_bounces", json_integer(
		    (json_int_t)n.soft_bounces));
		out_json(ctx, o);
		return 0;
	}
	fprintf(ctx->out, "restored %zu %s, %zu %s, %zu %s, %zu %s and %zu "
	    "%s from %s\n", n.contacts, plural(n.contacts, "contact",
	    "contacts"), n.interactions, plural(n.interactions, "interaction",
	    "interactions"), n.followups, plural(n.followups, "follow-up",
	    "follow-ups"), n.deals, plural(n.deals, "deal", "deals"),
	    n.settings, plural(n.settings, "setting", "settings"), name);
	/* mail: templates (the starters too), suppressions, the outbox */
	if (n.templates + n.suppressions + n.messages > 0)
		fprintf(ctx->out, "and %zu %s, %zu suppressed %s and %zu "
		    "%s in the outbox\n", n.templates, plural(n.templates,
		    "template", "templates"), n.suppressions,
		    plural(n.suppressions, "address", "addresses"), n.messages,
		    plural(n.messages, "message", "messages"));
	/* sequences, and the mail read */
	if (n.sequences + n.enrollments + n.inbound > 0)
		fprintf(ctx->out, "and %zu %s, %zu %s and %zu %s read\n",
		    n.sequences, plural(n.sequences, "sequence", "sequences"),
		    n.enrollments, plural(n.enrollments, "enrollment",
		    "enrollments"), n.inbound, plural(n.inbound, "message",
		    "messages"));
	return 0;
}
