/*
 * List contacts, by name.
 */
#include "cli/common.h"
#include "cli/output.h"
#include "core/contact.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_list_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_list_opts[] = {
	{ "tag", 't', 1, "only contacts with this tag" },
	{ "kind", 0, 1, "only this kind: prospect, client, friend..." },
	{ "archived", 0, 0, "include archived contacts" },
	CMD_OPT_END
};

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "[--tag T] [--kind K] [--archived] [--json]",
	.summary = "List contacts.",
	.opts = cmd_list_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_list_exec
};

struct list_state {
	struct cmd_ctx	*ctx;
	int		 first;
	size_t		 n;
};

/* Streamed: a million contacts print without being held in memory. */
static int
list_one(const struct contact *c, void *arg)
{
	struct list_state	*ls = arg;
	struct cmd_ctx		*ctx = ls->ctx;
	json_t			*o;
	char			*s;

	ls->n++;
	if (ctx->json) {
		o = out_jcontact(ctx, c);
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(ctx->out, "%s%s", ls->first ? "[\n" : ",\n", s);
		free(s);
		json_decref(o);
		ls->first = 0;
		return 0;
	}
	fprintf(ctx->out, "%-6lld ", (long long)c->id);
	out_pad(ctx->out, c->name, 28);
	out_pad(ctx->out, c->company != NULL ? c->company : "", 24);
	out_pad(ctx->out, c->kind, 10);
	fprintf(ctx->out, "%s\n", c->emails.n > 0 ? c->emails.v[0] : "");
	return 0;
}

static int
cmd_list_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct contact_filter	 f;
	struct list_state	 ls;
	int			 rc;

	f.tag = args_get(args, "tag");
	f.kind = args_get(args, "kind");
	f.archived = args_has(args, "archived");
	if (f.kind != NULL && !contact_word_in(f.kind, contact_kinds))
		return err_set(&ctx->err, TEND_EINVAL, "unknown kind '%s' "
		    "(expected prospect, client, friend, partner or other)",
		    f.kind);
	ls.ctx = ctx;
	ls.first = 1;
	ls.n = 0;
	if ((rc = store_contact_each(ctx->store, ctx->arena, &f, list_one, &ls,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		fputs(ls.first ? "[]\n" : "\n]\n", ctx->out);
	else if (ls.n == 0)
		fprintf(ctx->out, "no contacts\n");
	return 0;
}
