/*
 * Full-text search over names, companies, needs, notes and what was said.
 */
#include <string.h>

#include "cli/common.h"
#include "cli/output.h"
#include "store/store.h"
#include "util/text.h"

#define FIND_LIMIT	50

static int	cmd_find_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_find_entry = {
	.name = "find",
	.usage = "QUERY [--json]",
	.summary = "Search contacts, needs, notes and interactions.",
	.opts = NULL,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_find_exec
};

static int
cmd_find_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct search_hit	*h;
	json_t			*arr;
	size_t			 n, i;
	int			 rc;

	if (args->pos[0][strspn(args->pos[0], " \t")] == '\0')
		return err_set(&ctx->err, TEND_EUSAGE, "find: empty query");
	if ((rc = text_check("query", args->pos[0], TEXT_SHORT_MAX, 0,
	    &ctx->err)) != 0)
		return rc;
	if ((rc = store_search(ctx->store, ctx->arena, args->pos[0],
	    FIND_LIMIT, &h, &n, &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:I,s:s,s:o,"
			    "s:s,s:o}", "id", (json_int_t)h[i].contact_id,
			    "name", h[i].name, "company",
			    out_jstr(h[i].company), "matched", h[i].field,
			    "snippet", out_jstr(h[i].snippet)));
		out_json(ctx, arr);
		return 0;
	}
	if (n == 0) {
		fprintf(ctx->out, "no match for '%s'\n", args->pos[0]);
		return 0;
	}
	for (i = 0; i < n; i++)
		fprintf(ctx->out, "%-6lld %s%s%s\n       %s\n",
		    (long long)h[i].contact_id, h[i].name,
		    h[i].company ? " — " : "", h[i].company ? h[i].company : "",
		    h[i].snippet ? h[i].snippet : "");
	return 0;
}
