/*
 * One deal: add it, move it through the stages, set its next step, show
 * it with its history.  The pipeline as a whole is cmd-deals.c.
 *
 * --json prints the deal record (show adds "history"):
 *   {"id", "title", "contact": {"id", "name"}, "stage", "stage_since",
 *    "closed", "value", "value_cents", "next_step", "next_due", "flag",
 *    "overdue_days", "created", "updated",
 *    "history": [{"at", "stage", "next_step", "next_due"}]}
 * value is in currency units (null when unset), value_cents exact; flag is
 * null, "no-next-step" or "overdue".
 */
#include <string.h>

#include "cli/common.h"
#include "cli/output.h"
#include "core/deal.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/text.h"

static int	cmd_deal_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_deal_opts[] = {
	{ "stage", 0, 1, "add: the stage (default: the first, inquiry)" },
	{ "value", 0, 1, "add: the value (4500, 4,500 or 4500.50)" },
	{ "next", 0, 1, "add: the next step" },
	{ "due", 0, 1, "add, next: when the next step is due (default: "
	    "tomorrow)" },
	CMD_OPT_END
};

const struct cmd_entry cmd_deal_entry = {
	.name = "deal",
	.usage = "add CONTACT TITLE [--stage S] [--value N] [--next STEP] "
	    "[--due DATE] | move DEAL STAGE | next DEAL STEP [--due DATE] | "
	    "show DEAL",
	.summary = "Add a deal, move it to a stage, set its next step.",
	.opts = cmd_deal_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_deal_exec
};

struct deal_sub {
	const char	*name;
	const char	*usage;
	int		 nargs;		/* positionals after the subcommand */
	const char	*opts[5];	/* the options it takes, NULL-ended */
	int		(*fn)(struct cmd_ctx *, struct args *);
};

static int	deal_add(struct cmd_ctx *, struct args *);
static int	deal_move(struct cmd_ctx *, struct args *);
static int	deal_next(struct cmd_ctx *, struct args *);
static int	deal_show(struct cmd_ctx *, struct args *);

static const struct deal_sub deal_subs[] = {
	{ "add", "CONTACT TITLE [--stage S] [--value N] [--next STEP] "
	    "[--due DATE]", 2, { "stage", "value", "next", "due", NULL },
	    deal_add },
	{ "move", "DEAL STAGE", 2, { NULL }, deal_move },
	{ "next", "DEAL STEP [--due DATE]", 2, { "due", NULL }, deal_next },
	{ "show", "DEAL", 1, { NULL }, deal_show },
	{ NULL, NULL, 0, { NULL }, NULL }
};

/* A trimmed copy of a text argument. */
static char *
deal_text(struct cmd_ctx *ctx, const char *v)
{
	return text_trim(arena_strdup(ctx->arena, v));
}

/* The deal record, and its history when with_history. */
static json_t *
deal_json(struct cmd_ctx *ctx, const struct deal *d,
    const struct deal_event *h, size_t nh, int with_history)
{
	enum deal_flag	 flag;
	json_t		*o, *a, *ev;
	size_t		 i;
	int		 days;

	flag = deal_flag(d, ctx->now, ctx->tz, &days);
	o = json_object();
	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "title", out_jstr(d->title));
	json_object_set_new(o, "contact",
	    out_jref(d->contact_id, d->contact_name));
	json_object_set_new(o, "stage", out_jstr(d->stage));
	json_object_set_new(o, "stage_since", out_jtime(ctx, d->stage_since));
	json_object_set_new(o, "closed", json_boolean(d->closed));
	json_object_set_new(o, "value", out_jmoney(d->has_value,
	    d->value_cents));
	json_object_set_new(o, "value_cents", d->has_value ?
	    json_integer(d->value_cents) : json_null());
	json_object_set_new(o, "next_step", out_jstr(d->next_step));
	json_object_set_new(o, "next_due", out_jtime(ctx, d->next_due));
	json_object_set_new(o, "flag", out_jstr(deal_flag_name(flag)));
	json_object_set_new(o, "overdue_days", json_integer(days));
	json_object_set_new(o, "created", out_jtime(ctx, d->created));
	json_object_set_new(o, "updated", out_jtime(ctx, d->updated));
	if (!with_history)
		return o;
	a = json_array();
	for (i = 0; i < nh; i++) {
		ev = json_object();
		json_object_set_new(ev, "at", out_jtime(ctx, h[i].at));
		json_object_set_new(ev, "stage", out_jstr(h[i].stage));
		json_object_set_new(ev, "next_step", out_jstr(h[i].next_step));
		json_object_set_new(ev, "next_due", out_jtime(ctx,
		    h[i].next_due));
		json_array_append_new(a, ev);
	}
	json_object_set_new(o, "history", a);
	return o;
}

/* Print the JSON record of deal id (after a change). */
static int
deal_print_json(struct cmd_ctx *ctx, int64_t id)
{
	struct deal	*d;
	int		 rc;

	if ((rc = store_deal_get(ctx->store, ctx->arena, id, &d,
	    &ctx->err)) != 0)
		return rc;
	out_json(ctx, deal_json(ctx, d, NULL, 0, 0));
	return 0;
}

/* The due of a new next step: --due, else tomorrow (local midnight). */
static int
deal_due(struct cmd_ctx *ctx, struct args *args, int64_t *due)
{
	const char	*v;

	v = args_get(args, "due");
	if (v != NULL)
		return cli_date(ctx, "--due", v, due);
	*due = when_add_days(when_day_start(ctx->now, ctx->tz), 1, ctx->tz);
	return 0;
}

static int
deal_add(struct cmd_ctx *ctx, struct args *args)
{
	struct deal_stages	 stages;
	struct deal		 d;
	const char		*v;
	size_t			 idx;
	int			 rc;

	memset(&d, 0, sizeof d);
	d.title = deal_text(ctx, args->pos[2]);
	if ((v = args_get(args, "next")) != NULL)
		d.next_step = deal_text(ctx, v);
	else if (args_get(args, "due") != NULL)
		return err_set(&ctx->err, TEND_EUSAGE, "deal add: --due needs "
		    "--next STEP");
	if ((rc = cli_deal_stages(ctx, &stages)) != 0)
		return rc;
	idx = 0;
	if ((v = args_get(args, "stage")) != NULL &&
	    (rc = deal_stage_find(&stages, v, &idx, &ctx->err)) != 0)
		return rc;
	d.stage = stages.name[idx];
	d.closed = deal_stage_closes(&stages, idx);
	if ((v = args_get(args, "value")) != NULL) {
		if ((rc = deal_money_parse(v, &d.value_cents, &ctx->err)) != 0)
			return rc;
		d.has_value = 1;
	}
	if (d.next_step != NULL && (rc = deal_due(ctx, args,
	    &d.next_due)) != 0)
		return rc;
	if ((rc = deal_check(&d, &ctx->err)) != 0)
		return rc;
	if (d.closed && d.next_step != NULL)
		return err_set(&ctx->err, TEND_EINVAL, "--next: a deal in "
		    "stage '%s' is closed and has no next step", d.stage);
	if ((rc = cli_contact(ctx, args->pos[1], &d.contact_id)) != 0)
		return rc;
	if ((rc = store_deal_add(ctx->store, &d, ctx->now, &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		return deal_print_json(ctx, d.id);
	fprintf(ctx->out, "%lld\n", (long long)d.id);
	return 0;
}

static int
deal_move(struct cmd_ctx *ctx, struct args *args)
{
	struct deal_stages	 stages;
	struct deal		*d;
	const char		*stage;
	size_t			 idx;
	int64_t			 id;
	int			 rc, closes;

	if ((rc = cli_id(ctx, "deal", args->pos[1], &id)) != 0)
		return rc;
	if ((rc = cli_deal_stages(ctx, &stages)) != 0 ||
	    (rc = deal_stage_find(&stages, args->pos[2], &idx,
	    &ctx->err)) != 0)
		return rc;
	stage = stages.name[idx];
	closes = deal_stage_closes(&stages, idx);
	if ((rc = store_deal_get(ctx->store, ctx->arena, id, &d,
	    &ctx->err)) != 0)
		return rc;
	if ((rc = store_deal_move(ctx->store, id, stage, closes, ctx->now,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		return deal_print_json(ctx, id);
	fprintf(ctx->out, "deal %lld '%s': %s -> %s%s\n", (long long)id,
	    d->title, d->stage, stage, closes ? " (closed)" : d->closed ?
	    " (reopened)" : "");
	return 0;
}

static int
deal_next(struct cmd_ctx *ctx, struct args *args)
{
	struct deal	*d;
	int64_t		 id;
	int		 rc;

	if ((rc = cli_id(ctx, "deal", args->pos[1], &id)) != 0)
		return rc;
	if ((rc = store_deal_get(ctx->store, ctx->arena, id, &d,
	    &ctx->err)) != 0)
		return rc;
	d->next_step = deal_text(ctx, args->pos[2]);
	if ((rc = deal_due(ctx, args, &d->next_due)) != 0 ||
	    (rc = deal_check(d, &ctx->err)) != 0)
		return rc;
	if (d->closed)
		return err_set(&ctx->err, TEND_ECONFLICT, "deal '%lld' is "
		    "closed (%s); move it to an open stage first",
		    (long long)id, d->stage);
	if ((rc = store_deal_next(ctx->store, id, d->next_step, d->next_due,
	    ctx->now, &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		return deal_print_json(ctx, id);
	fprintf(ctx->out, "deal %lld '%s': next step '%s', due %s\n",
	    (long long)id, d->title, d->next_step, out_date(ctx, d->next_due));
	return 0;
}

/* What changed at history row i: "moved to proposal", "next step: ...". */
static const char *
deal_event_text(struct cmd_ctx *ctx, const struct deal_event *h, size_t i)
{
	const char	*what = NULL, *step = NULL;

	if (i == 0)
		what = arena_printf(ctx->arena, "created in %s", h[i].stage);
	else if (strcmp(h[i].stage, h[i - 1].stage) != 0)
		what = arena_printf(ctx->arena, "moved to %s", h[i].stage);
	if (h[i].next_step != NULL && (what == NULL || i == 0))
		step = arena_printf(ctx->arena, "next step: %s (due %s)",
		    h[i].next_step, out_date(ctx, h[i].next_due));
	else if (h[i].next_step == NULL && what == NULL)
		step = "next step cleared";
	if (what != NULL && step != NULL)
		return arena_printf(ctx->arena, "%s; %s", what, step);
	return what != NULL ? what : step;
}

static void
deal_line(struct cmd_ctx *ctx, const char *label, const char *value)
{
	fprintf(ctx->out, "  %-11s %s\n", label, value);
}

static int
deal_show(struct cmd_ctx *ctx, struct args *args)
{
	struct deal		*d;
	struct deal_event	*h;
	enum deal_flag		 flag;
	char			 money[DEAL_MONEY_BUFSZ];
	char			 ftext[DEAL_FLAG_BUFSZ];
	char			 ago[WHEN_BUFSZ], at[WHEN_BUFSZ];
	size_t			 nh, i;
	int64_t			 id;
	int			 rc, days;

	if ((rc = cli_id(ctx, "deal", args->pos[1], &id)) != 0)
		return rc;
	if ((rc = store_deal_get(ctx->store, ctx->arena, id, &d,
	    &ctx->err)) != 0 ||
	    (rc = store_deal_history(ctx->store, ctx->arena, id, &h, &nh,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		out_json(ctx, deal_json(ctx, d, h, nh, 1));
		return 0;
	}
	flag = deal_flag(d, ctx->now, ctx->tz, &days);
	fprintf(ctx->out, "%s (deal %lld)\n", d->title, (long long)d->id);
	deal_line(ctx, "contact", arena_printf(ctx->arena, "%s (%lld)",
	    d->contact_name, (long long)d->contact_id));
	when_ago(ago, sizeof ago, d->stage_since, ctx->now, ctx->tz);
	deal_line(ctx, "stage", arena_printf(ctx->arena, "%s%s since %s (%s)",
	    d->stage, d->closed ? " (closed)" : "",
	    out_date(ctx, d->stage_since), ago));
	deal_line(ctx, "value", d->has_value ?
	    deal_money_format(d->value_cents, money, sizeof money) : "-");
	if (d->next_step != NULL)
		deal_line(ctx, "next step", arena_printf(ctx->arena, "%s (due "
		    "%s)", d->next_step, out_date(ctx, d->next_due)));
	else
		deal_line(ctx, "next step", "-");
	if (flag != DEAL_FLAG_NONE)
		deal_line(ctx, "flag", deal_flag_text(flag, days, ftext,
		    sizeof ftext));
	fputs("\nhistory\n", ctx->out);
	for (i = 0; i < nh; i++)
		fprintf(ctx->out, "  %s  %s\n", when_format(at, sizeof at,
		    h[i].at, ctx->tz, WHEN_DATETIME),
		    deal_event_text(ctx, h, i));
	return 0;
}

static int
cmd_deal_exec(struct cmd_ctx *ctx, struct args *args)
{
	const struct deal_sub	*sub;
	size_t			 i, j;

	if (args->npos == 0)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend deal %s",
		    cmd_deal_entry.usage);
	for (sub = deal_subs; sub->name != NULL; sub++)
		if (strcmp(sub->name, args->pos[0]) == 0)
			break;
	if (sub->name == NULL)
		return err_set(&ctx->err, TEND_EUSAGE, "deal: unknown "
		    "subcommand '%.64s' (expected add, move, next or show)",
		    args->pos[0]);
	if (args->npos != (size_t)sub->nargs + 1)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend deal %s %s",
		    sub->name, sub->usage);
	for (i = 0; i < args->n; i++) {
		if (strcmp(args->names[i], "json") == 0 ||
		    strcmp(args->names[i], "db") == 0)
			continue;
		for (j = 0; sub->opts[j] != NULL; j++)
			if (strcmp(sub->opts[j], args->names[i]) == 0)
				break;
		if (sub->opts[j] == NULL)
			return err_set(&ctx->err, TEND_EUSAGE, "deal %s: "
			    "option '--%s' does not apply; usage: tend deal "
			    "%s %s", sub->name, args->names[i], sub->name,
			    sub->usage);
	}
	return sub->fn(ctx, args);
}
