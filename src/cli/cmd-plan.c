/*
 * How the next days load against the daily capacity, as a histogram, and
 * --level, which moves keep-in-touch items (never follow-ups or deal
 * steps) from overloaded days to lighter ones within their slack.
 *
 * --json prints:
 *   {"capacity": 15,
 *    "days": [{"date": "2026-11-23", "followups": 2, "keep": 3,
 *              "total": 5, "over": false}, ...],
 *    "moved": [{"contact": {"id": 4, "name": "Ann Lee"},
 *               "from": "2026-11-25", "to": "2026-11-26"}, ...]}
 * days[0] is today and also counts everything overdue; "followups"
 * counts follow-ups and deal next steps, "keep" keep-in-touch contacts
 * due; "over" is total > capacity.  "moved" is there with --level only,
 * in the order of the old due dates, and "days" is then the load after
 * levelling.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "cli/output.h"
#include "core/cadence.h"
#include "core/plan.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/config.h"

#define PLAN_CAPACITY	15	/* agenda.capacity when unset */
#define PLAN_DEFAULT	14	/* days shown without --days */
#define PLAN_BAR_MAX	40	/* widest bar, in columns */

static int	cmd_plan_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_plan_opts[] = {
	{ "days", 'd', 1, "plan N days from today (1 to 366, default 14)" },
	{ "level", 'l', 0, "move keep-in-touch items off overloaded days" },
	CMD_OPT_END
};

const struct cmd_entry cmd_plan_entry = {
	.name = "plan",
	.usage = "[--days N] [--level] [--json]",
	.summary = "How the next days load against your daily capacity.",
	.opts = cmd_plan_opts,
	.min_args = 0,
	.max_args = 0,
	/* --level writes; a plain plan commits an empty transaction */
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_plan_exec
};

/* One item --level moved. */
struct plan_moved {
	int64_t		 contact_id;
	const char	*name;
	int64_t		 from;		/* the old due */
	int		 to;		/* the new day */
};

struct plan_state {
	struct plan_day		*days;	/* ndays + 1: the last is the end */
	int64_t			*start;	/* the real start of each day */
	int			 ndays;
	long			 capacity;
	struct plan_moved	*moved;
	size_t			 nmoved;
	int			 over_before;	/* days over before levelling */
};

static const char *const plan_wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

static int
plan_ndays(struct cmd_ctx *ctx, struct args *args, int *out)
{
	const char	*v;
	long		 n;

	*out = PLAN_DEFAULT;
	v = args_get(args, "days");
	if (v == NULL)
		return 0;
	if (cli_number(v, 1, PLAN_DAYS_MAX, &n) != 0)
		return err_set(&ctx->err, TEND_EUSAGE, "--days: '%s' is not a "
		    "number from 1 to %d", v, PLAN_DAYS_MAX);
	*out = (int)n;
	return 0;
}

static int
plan_total(const struct plan_day *d)
{
	return d->followups + d->keep;
}

static int
plan_over_days(const struct plan_state *ps)
{
	int	i, over = 0;

	for (i = 0; i < ps->ndays; i++)
		if (plan_total(&ps->days[i]) > ps->capacity)
			over++;
	return over;
}

static const char *
plan_date(struct cmd_ctx *ctx, int64_t t)
{
	char	buf[WHEN_BUFSZ];

	when_format(buf, sizeof buf, t, ctx->tz, WHEN_DATE);
	return arena_strdup(ctx->arena, buf);
}

/*
 * The start of each of ndays + 1 days from today: local midnight, or the
 * end of a DST gap at midnight, as when_day_start() has it.
 */
static void
plan_starts(struct cmd_ctx *ctx, struct plan_state *ps)
{
	struct when_tm	 base, tm;
	int		 i;

	when_split(when_day_start(ctx->now, ctx->tz), ctx->tz, &base);
	for (i = 0; i <= ps->ndays; i++) {
		tm = base;
		tm.day += i;
		tm.hour = 0;
		tm.min = 0;
		tm.sec = 0;
		ps->start[i] = when_day_start(when_join(&tm, ctx->tz),
		    ctx->tz);
		ps->days[i].start = ps->start[i];
	}
	/* today's line takes everything overdue as well */
	ps->days[0].start = WHEN_MIN;
}

/* The day index of t: negative before today, clipped at 0 when clip. */
static int
plan_index(struct cmd_ctx *ctx, const struct plan_state *ps, int64_t t,
    int clip)
{
	int	d;

	d = when_days_between(ps->start[0], t, ctx->tz);
	if (clip && d < 0)
		d = 0;
	return d;
}

/* Move keep-in-touch items off overloaded days and store the moves. */
static int
plan_level_store(struct cmd_ctx *ctx, struct plan_state *ps)
{
	struct plan_keep	*keep;
	struct plan_item	*items;
	struct cadence		 cad;
	struct contact		*c;
	struct err		 perr;
	int64_t			 level;
	size_t			 n, i;
	int			*fixed, d, slack;
	int			 rc;

	ps->over_before = plan_over_days(ps);
	if (ps->over_before == 0)
		return 0;
	if ((rc = store_plan_keep(ctx->store, ctx->arena, WHEN_MIN,
	    ps->start[ps->ndays], &keep, &n, &ctx->err)) != 0)
		return rc;
	items = arena_alloc(ctx->arena, (n == 0 ? 1 : n) * sizeof *items);
	fixed = arena_alloc(ctx->arena, (size_t)ps->ndays * sizeof *fixed);
	for (d = 0; d < ps->ndays; d++)
		fixed[d] = plan_total(&ps->days[d]);
	for (i = 0; i < n; i++) {
		items[i].day = plan_index(ctx, ps, keep[i].due, 1);
		if (items[i].day < ps->ndays)
			fixed[items[i].day]--;
		if (cadence_parse(keep[i].spec, &cad, &perr) != 0) {
			/* an unreadable cadence stays where it is */
			items[i].lo = 1;
			items[i].hi = 0;
			continue;
		}
		slack = plan_slack(cadence_days(&cad));
		plan_range(plan_index(ctx, ps, keep[i].next_due, 0), slack,
		    ps->ndays, &items[i].lo, &items[i].hi);
	}
	if (plan_level(fixed, ps->ndays, (int)ps->capacity, items, n) == 0)
		return 0;
	ps->moved = arena_alloc(ctx->arena, n * sizeof *ps->moved);
	for (i = 0; i < n; i++) {
		d = plan_index(ctx, ps, keep[i].due, 1);
		if (items[i].day == d)
			continue;
		/* back on its cadence's day is no levelling at all */
		level = ps->start[items[i].day];
		if (level == keep[i].next_due)
			level = 0;
		if ((rc = store_cadence_level(ctx->store, keep[i].contact_id,
		    level, &ctx->err)) != 0)
			return rc;
		if ((rc = store_contact_get(ctx->store, ctx->arena,
		    keep[i].contact_id, &c, &ctx->err)) != 0)
			return rc;
		ps->days[d].keep--;
		ps->days[items[i].day].keep++;
		ps->moved[ps->nmoved].contact_id = keep[i].contact_id;
		ps->moved[ps->nmoved].name = c->name;
		ps->moved[ps->nmoved].from = keep[i].due;
		ps->moved[ps->nmoved].to = items[i].day;
		ps->nmoved++;
	}
	return 0;
}

static void
plan_text_moves(struct cmd_ctx *ctx, const struct plan_state *ps)
{
	const struct plan_moved	*m;
	size_t			 i;

	if (ps->nmoved == 0) {
		if (ps->over_before == 0)
			fputs("nothing to move: no day is over capacity\n\n",
			    ctx->out);
		else
			fputs("nothing to move: no keep-in-touch on an "
			    "overloaded day has a lighter day within its "
			    "slack\n\n", ctx->out);
		return;
	}
	for (i = 0; i < ps->nmoved; i++) {
		m = &ps->moved[i];
		fprintf(ctx->out, "moved %s (%lld) from %s %s to %s %s\n",
		    m->name, (long long)m->contact_id,
		    plan_wday[when_weekday(m->from, ctx->tz)],
		    plan_date(ctx, m->from),
		    plan_wday[when_weekday(ps->start[m->to], ctx->tz)],
		    plan_date(ctx, ps->start[m->to]));
	}
	fputc('\n', ctx->out);
}

static void
plan_text(struct cmd_ctx *ctx, const struct plan_state *ps, int level)
{
	const struct plan_day	*d;
	char			 num[16];
	int			 i, j, max = 0, width, wnum, nf, nk, over;

	if (level)
		plan_text_moves(ctx, ps);
	for (i = 0; i < ps->ndays; i++)
		if (plan_total(&ps->days[i]) > max)
			max = plan_total(&ps->days[i]);
	width = max < PLAN_BAR_MAX ? max : PLAN_BAR_MAX;
	wnum = snprintf(num, sizeof num, "%d", max);
	fprintf(ctx->out, "capacity %ld a day; today includes what is "
	    "overdue\n# follow-ups and deal steps, + keep in touch\n\n",
	    ps->capacity);
	for (i = 0; i < ps->ndays; i++) {
		d = &ps->days[i];
		plan_bar(d->followups, d->keep, max, PLAN_BAR_MAX, &nf, &nk);
		fprintf(ctx->out, "%s %s  ",
		    plan_wday[when_weekday(ps->start[i], ctx->tz)],
		    plan_date(ctx, ps->start[i]));
		for (j = 0; j < nf; j++)
			fputc('#', ctx->out);
		for (j = 0; j < nk; j++)
			fputc('+', ctx->out);
		fprintf(ctx->out, "%*s %*d", width - nf - nk, "", wnum,
		    plan_total(d));
		if (plan_total(d) > ps->capacity)
			fprintf(ctx->out, "  over by %ld",
			    plan_total(d) - ps->capacity);
		fputc('\n', ctx->out);
	}
	over = plan_over_days(ps);
	if (over == 0)
		return;
	fprintf(ctx->out, "\n%d day%s over capacity", over,
	    over == 1 ? "" : "s");
	if (level)
		fputs(": what is left there cannot move\n", ctx->out);
	else
		fputs(": tend plan --level moves keep-in-touch to lighter "
		    "days\n", ctx->out);
}

static void
plan_json(struct cmd_ctx *ctx, const struct plan_state *ps, int level)
{
	const struct plan_day	*d;
	const struct plan_moved	*m;
	json_t			*root, *arr, *o;
	size_t			 k;
	int			 i;

	root = json_object();
	json_object_set_new(root, "capacity", json_integer(ps->capacity));
	arr = json_array();
	for (i = 0; i < ps->ndays; i++) {
		d = &ps->days[i];
		o = json_object();
		json_object_set_new(o, "date",
		    json_string(plan_date(ctx, ps->start[i])));
		json_object_set_new(o, "followups", json_integer(d->followups));
		json_object_set_new(o, "keep", json_integer(d->keep));
		json_object_set_new(o, "total", json_integer(plan_total(d)));
		json_object_set_new(o, "over",
		    json_boolean(plan_total(d) > ps->capacity));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "days", arr);
	if (level) {
		arr = json_array();
		for (k = 0; k < ps->nmoved; k++) {
			m = &ps->moved[k];
			o = json_object();
			json_object_set_new(o, "contact", json_pack("{s:I,s:s}",
			    "id", (json_int_t)m->contact_id, "name", m->name));
			json_object_set_new(o, "from",
			    json_string(plan_date(ctx, m->from)));
			json_object_set_new(o, "to",
			    json_string(plan_date(ctx, ps->start[m->to])));
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "moved", arr);
	}
	out_json(ctx, root);
}

static int
cmd_plan_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct plan_state	 ps;
	int			 rc, level;

	memset(&ps, 0, sizeof ps);
	if ((rc = cli_setting_number(ctx, "agenda.capacity", PLAN_CAPACITY, 1,
	    1000, &ps.capacity)) != 0 ||
	    (rc = plan_ndays(ctx, args, &ps.ndays)) != 0)
		return rc;
	level = args_has(args, "level");
	ps.days = arena_alloc(ctx->arena, (size_t)(ps.ndays + 1) *
	    sizeof *ps.days);
	ps.start = arena_alloc(ctx->arena, (size_t)(ps.ndays + 1) *
	    sizeof *ps.start);
	plan_starts(ctx, &ps);
	if ((rc = store_plan_counts(ctx->store, ps.days, (size_t)ps.ndays,
	    ps.start[ps.ndays], &ctx->err)) != 0)
		return rc;
	if (level && (rc = plan_level_store(ctx, &ps)) != 0)
		return rc;
	if (ctx->json)
		plan_json(ctx, &ps, level);
	else
		plan_text(ctx, &ps, level);
	return 0;
}
