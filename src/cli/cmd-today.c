/*
 * The agenda: who to contact today, in ranked order, and why.
 */
#include <stdlib.h>
#include <string.h>

#include "app/inbound.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/agenda.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/config.h"

#define TODAY_CAPACITY	15
#define TODAY_STUCK	14
#define TODAY_NAME_WIDTH	20
#define TODAY_ACTION_WIDTH	44

static int	cmd_today_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_today_opts[] = {
	{ "limit", 'n', 1, "show at most N items (default: agenda.capacity)" },
	{ "all", 'a', 0, "show every item" },
	CMD_OPT_END
};

const struct cmd_entry cmd_today_entry = {
	.name = "today",
	.usage = "[--limit N] [--all] [--json]",
	.summary = "Who to follow up with today, and why.",
	.opts = cmd_today_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_today_exec
};

static void
today_empty(struct cmd_ctx *ctx)
{
	fprintf(ctx->out,
	    "Nothing to follow up yet: your address book is empty.\n\n"
	    "Add the first person you met:\n"
	    "  tend add \"Ann Lee\" -e ann@example.com --met \"BNI breakfast\" "
	    "--need \"a new website\"\n"
	    "  tend follow ann \"send the proposal\" --due fri\n\n"
	    "Or load a realistic sample network to try things on:\n"
	    "  tend demo\n");
}

/* The clock of an item waiting for an answer, in the due column. */
static const char *
today_clock(struct cmd_ctx *ctx, int64_t since)
{
	int64_t	d = ctx->now > since ? ctx->now - since : 0;

	if (d < 60)
		return "new";
	if (d < 3600)
		return arena_printf(ctx->arena, "%lld min", (long long)(d / 60));
	if (d < 86400)
		return arena_printf(ctx->arena, "%lld h", (long long)(d / 3600));
	return arena_printf(ctx->arena, "%lld day%s", (long long)(d / 86400),
	    d < 2 * 86400 ? "" : "s");
}

static void
today_text(struct cmd_ctx *ctx, struct agenda_item *it, size_t shown,
    size_t total, long capacity, int all)
{
	const char	*due;
	char		 date[32], num[32];
	size_t		 i, wname = 0, waction = 0, wnum;

	when_format(date, sizeof date, ctx->now, ctx->tz, WHEN_DATE);
	if (total == 0) {
		fprintf(ctx->out, "%s: nothing due. Well done.\n", date);
		return;
	}
	fprintf(ctx->out, "%s: %zu to follow up", date, total);
	if (shown < total)
		fprintf(ctx->out, ", the first %zu", shown);
	fputs("\n\n", ctx->out);
	for (i = 0; i < shown; i++) {
		/* the why line below has the rest: keep rows readable */
		it[i].contact_name = out_trunc(ctx->arena, it[i].contact_name,
		    TODAY_NAME_WIDTH);
		it[i].action = out_trunc(ctx->arena, it[i].action,
		    TODAY_ACTION_WIDTH);
		if (out_width(it[i].contact_name) > wname)
			wname = out_width(it[i].contact_name);
		if (out_width(it[i].action) > waction)
			waction = out_width(it[i].action);
	}
	wnum = (size_t)snprintf(num, sizeof num, "%zu.", shown);
	for (i = 0; i < shown; i++) {
		/* someone is waiting: their clock, however long */
		if (it[i].kind == AGENDA_INQUIRY || it[i].kind == AGENDA_REPLY)
			due = today_clock(ctx, it[i].created);
		else if (it[i].overdue_days > 0)
			due = arena_printf(ctx->arena, "%dd late",
			    it[i].overdue_days);
		else if (it[i].cat == AGENDA_CAT_DEAL)
			due = "stalled";
		else
			due = "today";
		snprintf(num, sizeof num, "%zu.", i + 1);
		out_pad(ctx->out, num, wnum + 1);
		out_pad(ctx->out, it[i].contact_name, wname + 2);
		out_pad(ctx->out, it[i].action, waction + 2);
		out_pad(ctx->out, due, 10);
		fprintf(ctx->out, "%s %lld\n", it[i].kind_name,
		    (long long)it[i].id);
		out_pad(ctx->out, "", wnum + 1);
		fprintf(ctx->out, "%s\n", it[i].why);
	}
	if (shown < total && !all)
		fprintf(ctx->out, "\n%zu more waiting (capacity %ld a day): "
		    "tend today --all\n", total - shown, capacity);
}

static json_t *
today_json_item(struct cmd_ctx *ctx, const struct agenda_item *it)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(it->id));
	json_object_set_new(o, "kind", json_string(it->kind_name));
	json_object_set_new(o, "contact",
	    out_jref(it->contact_id, it->contact_name));
	json_object_set_new(o, "action", out_jstr(it->action));
	json_object_set_new(o, "due", out_jtime(ctx, it->due));
	json_object_set_new(o, "overdue_days",
	    json_integer(it->overdue_days));
	json_object_set_new(o, "why", out_jstr(it->why));
	json_object_set_new(o, "score", json_real(it->score));
	return o;
}

static int
cmd_today_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct agenda_window	 w;
	struct agenda_opts	 o;
	struct agenda_item	*items;
	const char		*v;
	json_t			*root, *arr;
	char			 date[32];
	size_t			 n, read, total, shown, i;
	long			 capacity, stuck, limit, escalate;
	int			 rc, all;

	if ((rc = cli_setting_number(ctx, "agenda.capacity", TODAY_CAPACITY, 1,
	    1000, &capacity)) != 0 ||
	    (rc = cli_setting_number(ctx, "agenda.stuck_days", TODAY_STUCK, 1,
	    3650, &stuck)) != 0 ||
	    (rc = cli_setting_number(ctx, "inquiry.escalate",
	    INBOUND_ESCALATE_MIN, 1, 10080, &escalate)) != 0)
		return rc;
	limit = capacity;
	if ((v = args_get(args, "limit")) != NULL) {
		if (cli_number(v, 1, 100000, &limit) != 0)
			return err_set(&ctx->err, TEND_EUSAGE, "--limit: '%s' "
			    "is not a number from 1 to 100000", v);
	}
	all = args_has(args, "all");
	if (!ctx->json && !all) {
		if ((rc = store_contact_any(ctx->store, &ctx->err)) < 0)
			return rc;
		if (rc == 0) {
			today_empty(ctx);
			return 0;
		}
	}

	memset(&w, 0, sizeof w);
	w.today = when_day_start(ctx->now, ctx->tz);
	w.tomorrow = when_add_days(w.today, 1, ctx->tz);
	w.stuck_before = when_add_days(w.today, -(int)stuck, ctx->tz);
	w.keep_limit = all ? 0 : (size_t)limit;
	if ((rc = store_agenda_fetch(ctx->store, ctx->arena, &w, &items, &n,
	    &total, &ctx->err)) != 0)
		return rc;
	o.now = ctx->now;
	o.tz = ctx->tz;
	o.stuck_days = (int)stuck;
	o.escalate = escalate * 60;
	read = n;
	n = agenda_rank(ctx->arena, items, n, &o);
	/* the count included the duplicates agenda_rank removed */
	total -= read - n;
	shown = all ? n : (n < (size_t)limit ? n : (size_t)limit);
	/* only what is shown needs its names and reasons */
	if ((rc = store_agenda_details(ctx->store, ctx->arena, items, shown,
	    &ctx->err)) != 0)
		return rc;
	agenda_explain(ctx->arena, items, shown, &o);

	if (!ctx->json) {
		today_text(ctx, items, shown, total, capacity, all);
		return 0;
	}
	root = json_object();
	when_format(date, sizeof date, ctx->now, ctx->tz, WHEN_DATE);
	json_object_set_new(root, "date", json_string(date));
	json_object_set_new(root, "capacity", json_integer(capacity));
	json_object_set_new(root, "total", json_integer((json_int_t)total));
	arr = json_array();
	for (i = 0; i < shown; i++)
		json_array_append_new(arr, today_json_item(ctx, &items[i]));
	json_object_set_new(root, "items", arr);
	out_json(ctx, root);
	return 0;
}
