/*
 * Load a realistic sample network into an empty database, to try tend on
 * without typing a year of history first.
 */
#include <stdio.h>
#include <string.h>

#include "app/sample.h"
#include "cli/cmd.h"
#include "cli/output.h"
#include "store/store.h"

#define DEMO_CONTACTS	300
#define DEMO_SEED	20261123

static int	cmd_demo_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.usage = "[--json]",
	.summary = "Load a sample network into an empty database.",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_demo_exec
};

static int
demo_found(const struct contact *c, void *arg)
{
	(void)c;
	*(int *)arg = 1;
	return 1;
}

/* 1 if the database holds any contact, archived ones included. */
static int
demo_has_contacts(struct cmd_ctx *ctx, int *found)
{
	struct contact_filter	f;

	memset(&f, 0, sizeof f);
	f.archived = 1;
	*found = 0;
	return store_contact_each(ctx->store, ctx->arena, &f, demo_found,
	    found, &ctx->err);
}

static json_t *
demo_json(struct cmd_ctx *ctx, const struct sample_stats *st)
{
	static const char *const kinds[] = {
		"prospect", "client", "friend", "partner", "other"
	};
	json_t	*o, *k;
	size_t	 i;

	k = json_object();
	for (i = 0; i < 5; i++)
		json_object_set_new(k, kinds[i],
		    json_integer((json_int_t)st->by_kind[i]));
	o = json_object();
	json_object_set_new(o, "database", out_jstr(ctx->db_path));
	json_object_set_new(o, "contacts",
	    json_integer((json_int_t)st->contacts));
	json_object_set_new(o, "kinds", k);
	json_object_set_new(o, "met_at_events",
	    json_integer((json_int_t)st->events));
	json_object_set_new(o, "referrals",
	    json_integer((json_int_t)st->referrals));
	json_object_set_new(o, "interactions",
	    json_integer((json_int_t)st->interactions));
	json_object_set_new(o, "followups",
	    json_integer((json_int_t)st->followups));
	json_object_set_new(o, "followups_open",
	    json_integer((json_int_t)st->followups_open));
	json_object_set_new(o, "inquiries_open",
	    json_integer((json_int_t)st->inquiries_open));
	json_object_set_new(o, "deals", json_integer((json_int_t)st->deals));
	json_object_set_new(o, "deals_open",
	    json_integer((json_int_t)st->deals_open));
	json_object_set_new(o, "cadences",
	    json_integer((json_int_t)st->cadences));
	json_object_set_new(o, "showcase",
	    json_integer((json_int_t)st->showcase_id));
	return o;
}

static void
demo_text(struct cmd_ctx *ctx, const struct sample_stats *st)
{
	FILE	*f = ctx->out;

	fprintf(f, "Loaded a sample network into %s:\n", ctx->db_path);
	fprintf(f, "  %zu contacts: %zu prospects, %zu clients, %zu friends, "
	    "%zu partners, %zu others\n", st->contacts, st->by_kind[0],
	    st->by_kind[1], st->by_kind[2], st->by_kind[3], st->by_kind[4]);
	fprintf(f, "  %zu met at events, %zu introduced by someone you "
	    "know\n", st->events, st->referrals);
	fprintf(f, "  %zu interactions over the past year\n",
	    st->interactions);
	fprintf(f, "  %zu follow-ups: %zu open (%zu overdue, %zu due today), "
	    "%zu inquiries waiting\n", st->followups, st->followups_open,
	    st->followups_overdue, st->followups_today, st->inquiries_open);
	fprintf(f, "  %zu deals (%zu open), %zu keep-in-touch cadences\n",
	    st->deals, st->deals_open, st->cadences);
	fprintf(f, "\nEverything in it is made up.  Try:\n"
	    "  tend today          who to follow up with today, and why\n"
	    "  tend show %-8lld  a contact with a long history\n"
	    "  tend deals          the pipeline\n",
	    (long long)st->showcase_id);
}

static int
cmd_demo_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct sample_opts	 o;
	struct sample_stats	 st;
	int			 rc, found;

	(void)args;
	if ((rc = demo_has_contacts(ctx, &found)) != 0)
		return rc;
	if (found)
		return err_set(&ctx->err, TEND_ECONFLICT, "database '%s' "
		    "already holds contacts; the demo loads only into an "
		    "empty one: try 'tend --db /tmp/tend-demo.db demo'",
		    ctx->db_path);
	memset(&o, 0, sizeof o);
	o.contacts = DEMO_CONTACTS;
	o.seed = DEMO_SEED;
	o.now = ctx->now;
	o.tz = ctx->tz;
	o.batch = 0;		/* inside this command's transaction */
	if ((rc = sample_generate(ctx->store, &o, &st, &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, demo_json(ctx, &st));
	else
		demo_text(ctx, &st);
	return 0;
}
