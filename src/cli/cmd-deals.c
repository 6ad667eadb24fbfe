/*
 * The pipeline: every stage in order with its count and value, each open
 * deal under its stage with its contact, value, next step and due, and a
 * flag on those without a next step or whose next step is overdue.
 * Closed stages (won, lost) show totals only, unless --all.
 *
 * --json prints:
 *   {"stages": [{"stage": "proposal", "closed": false, "count": 2,
 *                "value": 16500, "value_cents": 1650000,
 *                "deals": [{"id": 3, "title": "Website redesign",
 *                           "contact": {"id": 1, "name": "Ann Lee"},
 *                           "value": 4500, "value_cents": 450000,
 *                           "next_step": "send the proposal",
 *                           "next_due": "2026-11-20T00:00:00+00:00",
 *                           "flag": "overdue", "overdue_days": 3}]}]}
 * Stages come in the order of the setting deal.stages, then any stage a
 * deal still holds that the setting no longer lists.  count and value
 * cover every deal in the stage; "deals" lists the open ones (every one
 * with --all), those without a next step first, then by due.  value is
 * in currency units and null for a deal without one; value_cents is the
 * exact amount.  flag is null, "no-next-step" or "overdue" (then
 * overdue_days > 0: calendar days since the due day).
 */
#include <string.h>

#include "cli/common.h"
#include "cli/output.h"
#include "core/deal.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_deals_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_deals_opts[] = {
	{ "all", 'a', 0, "list the deals of closed stages (won, lost) too" },
	CMD_OPT_END
};

const struct cmd_entry cmd_deals_entry = {
	.name = "deals",
	.usage = "[--all] [--json]",
	.summary = "The deal pipeline by stage, with what needs a next step.",
	.opts = cmd_deals_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_deals_exec
};

/* One stage of the pipeline as shown. */
struct deals_group {
	const char	*stage;
	int		 closed;
	int64_t		 count;
	int64_t		 value_cents;
};

/* Columns of a deal's row: id, title, contact, value, step, due, flag. */
#define DEALS_COLS	7

/* The index of the group of stage (exact name), or n. */
static size_t
deals_find(const struct deals_group *g, size_t n, const char *stage)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(g[i].stage, stage) == 0)
			break;
	return i;
}

/*
 * The groups: the configured stages in order, then stages deals hold
 * that the setting no longer lists, by name.
 */
static struct deals_group *
deals_groups(struct cmd_ctx *ctx, const struct deal_stages *st,
    const struct deal_total *t, size_t nt, size_t *ng)
{
	struct deals_group	*g, tmp;
	size_t			 i, j, n;

	g = arena_alloc(ctx->arena, (st->n + nt) * sizeof *g);
	for (i = 0; i < st->n; i++) {
		g[i].stage = st->name[i];
		g[i].closed = deal_stage_closes(st, i);
	}
	n = st->n;
	for (i = 0; i < nt; i++) {
		j = deals_find(g, n, t[i].stage);
		if (j == n) {
			n++;
			g[j].stage = t[i].stage;
			g[j].closed = t[i].open == 0;
		}
		g[j].count += t[i].count;
		g[j].value_cents += t[i].value_cents;
	}
	/* the leftovers by name, so the output does not depend on SQL order */
	for (i = st->n + 1; i < n; i++)
		for (j = i; j > st->n && strcmp(g[j - 1].stage,
		    g[j].stage) > 0; j--) {
			tmp = g[j];
			g[j] = g[j - 1];
			g[j - 1] = tmp;
		}
	*ng = n;
	return g;
}

/* The group of each deal (every deal's stage is in the totals). */
static size_t *
deals_assign(struct cmd_ctx *ctx, const struct deals_group *g, size_t ng,
    const struct deal *d, size_t nd)
{
	size_t	*at, i;

	at = arena_alloc(ctx->arena, (nd + 1) * sizeof *at);
	for (i = 0; i < nd; i++)
		at[i] = deals_find(g, ng, d[i].stage);
	return at;
}

static json_t *
deals_json_deal(struct cmd_ctx *ctx, const struct deal *d)
{
	enum deal_flag	 flag;
	json_t		*o;
	int		 days;

	flag = deal_flag(d, ctx->now, ctx->tz, &days);
	o = json_object();
	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "title", out_jstr(d->title));
	json_object_set_new(o, "contact",
	    out_jref(d->contact_id, d->contact_name));
	json_object_set_new(o, "value", out_jmoney(d->has_value,
	    d->value_cents));
	json_object_set_new(o, "value_cents", d->has_value ?
	    json_integer(d->value_cents) : json_null());
	json_object_set_new(o, "next_step", out_jstr(d->next_step));
	json_object_set_new(o, "next_due", out_jtime(ctx, d->next_due));
	json_object_set_new(o, "flag", out_jstr(deal_flag_name(flag)));
	json_object_set_new(o, "overdue_days", json_integer(days));
	return o;
}

static void
deals_json(struct cmd_ctx *ctx, const struct deals_group *g, size_t ng,
    const struct deal *d, size_t nd, const size_t *at)
{
	json_t	*root, *stages, *o, *list;
	size_t	 i, j;

	root = json_object();
	stages = json_array();
	for (i = 0; i < ng; i++) {
		o = json_object();
		json_object_set_new(o, "stage", out_jstr(g[i].stage));
		json_object_set_new(o, "closed", json_boolean(g[i].closed));
		json_object_set_new(o, "count", json_integer(g[i].count));
		json_object_set_new(o, "value", out_jmoney(1,
		    g[i].value_cents));
		json_object_set_new(o, "value_cents",
		    json_integer(g[i].value_cents));
		list = json_array();
		for (j = 0; j < nd; j++)
			if (at[j] == i)
				json_array_append_new(list,
				    deals_json_deal(ctx, &d[j]));
		json_object_set_new(o, "deals", list);
		json_array_append_new(stages, o);
	}
	json_object_set_new(root, "stages", stages);
	out_json(ctx, root);
}

/* Print one row: cells padded to their column, value right-aligned. */
static void
deals_row(struct cmd_ctx *ctx, const char **cells, const size_t *w)
{
	size_t	c, last, k;

	/* no trailing blanks: stop after the last non-empty cell */
	for (last = DEALS_COLS; last > 0 && *cells[last - 1] == '\0'; last--)
		continue;
	fputs("  ", ctx->out);
	for (c = 0; c < last; c++) {
		if (c > 0)
			fputs("  ", ctx->out);
		if (c == 3) {
			for (k = out_width(cells[c]); k < w[c]; k++)
				fputc(' ', ctx->out);
			fputs(cells[c], ctx->out);
		} else if (c + 1 < last)
			out_pad(ctx->out, cells[c], w[c]);
		else
			fputs(cells[c], ctx->out);
	}
	fputc('\n', ctx->out);
}

static void
deals_text(struct cmd_ctx *ctx, const struct deals_group *g, size_t ng,
    const struct deal *d, size_t nd, const size_t *at)
{
	const char	**cells;
	char		  buf[DEAL_MONEY_BUFSZ], flag[DEAL_FLAG_BUFSZ];
	size_t		  w[DEALS_COLS], i, j, c;
	int64_t		  open = 0, open_value = 0, total = 0;
	int		  days;
	enum deal_flag	  f;

	for (i = 0; i < ng; i++) {
		total += g[i].count;
		if (!g[i].closed) {
			open += g[i].count;
			open_value += g[i].value_cents;
		}
	}
	if (total == 0) {
		fputs("No deals yet. Add one:\n  tend deal add ann \"Website "
		    "redesign\" --value 4500 --next \"send the proposal\"\n",
		    ctx->out);
		return;
	}
	cells = arena_alloc(ctx->arena, (nd + 1) * DEALS_COLS *
	    sizeof *cells);
	memset(w, 0, sizeof w);
	for (i = 0; i < nd; i++) {
		const char	**r = cells + i * DEALS_COLS;

		f = deal_flag(&d[i], ctx->now, ctx->tz, &days);
		r[0] = arena_printf(ctx->arena, "#%lld", (long long)d[i].id);
		r[1] = d[i].title;
		r[2] = d[i].contact_name;
		r[3] = d[i].has_value ? arena_strdup(ctx->arena,
		    deal_money_format(d[i].value_cents, buf, sizeof buf)) :
		    "-";
		r[4] = d[i].next_step != NULL ? d[i].next_step : "-";
		r[5] = d[i].next_step != NULL && d[i].next_due != 0 ?
		    out_date(ctx, d[i].next_due) : "";
		r[6] = arena_strdup(ctx->arena, deal_flag_text(f, days, flag,
		    sizeof flag));
		for (c = 0; c < DEALS_COLS; c++)
			if (out_width(r[c]) > w[c])
				w[c] = out_width(r[c]);
	}
	for (i = 0; i < ng; i++) {
		if (g[i].count == 0)
			fprintf(ctx->out, "%s: none\n", g[i].stage);
		else if (g[i].value_cents == 0)
			fprintf(ctx->out, "%s: %lld deal%s\n", g[i].stage,
			    (long long)g[i].count, g[i].count == 1 ? "" : "s");
		else
			fprintf(ctx->out, "%s: %lld deal%s, %s\n", g[i].stage,
			    (long long)g[i].count, g[i].count == 1 ? "" : "s",
			    deal_money_format(g[i].value_cents, buf,
			    sizeof buf));
		for (j = 0; j < nd; j++)
			if (at[j] == i)
				deals_row(ctx, cells + j * DEALS_COLS, w);
	}
	fprintf(ctx->out, "\nopen: %lld deal%s, %s\n", (long long)open,
	    open == 1 ? "" : "s", deal_money_format(open_value, buf,
	    sizeof buf));
}

static int
cmd_deals_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct deal_stages	 stages;
	struct deal_filter	 filter;
	struct deal_total	*t;
	struct deals_group	*g;
	struct deal		*d;
	size_t			 nt, ng, nd, *at;
	int			 rc;

	memset(&filter, 0, sizeof filter);
	filter.closed = args_has(args, "all");
	if ((rc = cli_deal_stages(ctx, &stages)) != 0 ||
	    (rc = store_deal_totals(ctx->store, ctx->arena, &t, &nt,
	    &ctx->err)) != 0 ||
	    (rc = store_deal_list(ctx->store, ctx->arena, &filter, &d, &nd,
	    &ctx->err)) != 0)
		return rc;
	g = deals_groups(ctx, &stages, t, nt, &ng);
	at = deals_assign(ctx, g, ng, d, nd);
	if (ctx->json)
		deals_json(ctx, g, ng, d, nd, at);
	else
		deals_text(ctx, g, ng, d, nd, at);
	return 0;
}
