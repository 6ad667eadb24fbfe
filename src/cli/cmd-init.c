/*
 * Create the database explicitly (every command creates it on first use).
 */
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "store/store.h"

static int	cmd_init_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "[--json]",
	.summary = "Create the database.",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_init_exec
};

static int
cmd_init_exec(struct cmd_ctx *ctx, struct args *args)
{
	json_t	*o;

	(void)args;
	if (ctx->json) {
		o = json_object();
		json_object_set_new(o, "database", out_jstr(ctx->db_path));
		json_object_set_new(o, "schema",
		    json_integer(store_schema_version()));
		json_object_set_new(o, "contacts",
		    json_integer(store_contact_count(ctx->store)));
		out_json(ctx, o);
		return 0;
	}
	fprintf(ctx->out, "tend database ready: %s (schema %d, %lld "
	    "contacts)\n", ctx->db_path, store_schema_version(),
	    (long long)store_contact_count(ctx->store));
	return 0;
}
