/*
 * Ranking the agenda.  Categories come first (an inquiry always beats a
 * keep-in-touch reminder); inside a category a score orders the items and
 * is shown, so the ranking can be explained.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/agenda.h"
#include "core/cadence.h"
#include "core/deal.h"
#include "core/when.h"
#include "util/arena.h"

#define SCORE_SPAN	1000.0	/* each category owns [base, base + span) */

static const char *const agenda_kind_names[] = {
	"inquiry", "reply", "follow-up", "deal-step", "deal-no-step", "deal-stuck",
	"keep-in-touch"
};

const char *
agenda_waited(struct arena *a, int64_t then, int64_t now)
{
	int64_t	d = now > then ? now - then : 0;

	if (d < 60)
		return "under a minute";
	if (d < 3600)
		return arena_printf(a, "%lld min", (long long)(d / 60));
	if (d < 86400) {
		if (d % 3600 / 60 == 0)
			return arena_printf(a, "%lld h", (long long)(d / 3600));
		return arena_printf(a, "%lld h %lld min", (long long)(d / 3600),
		    (long long)(d % 3600 / 60));
	}
	if (d < 2 * 86400)
		return "1 day";
	return arena_printf(a, "%lld days", (long long)(d / 86400));
}

double
agenda_kind_weight(const char *k)
{
	if (k == NULL)
		return 1.0;
	if (strcmp(k, "client") == 0)
		return 1.5;
	if (strcmp(k, "prospect") == 0)
		return 1.3;
	if (strcmp(k, "partner") == 0)
		return 1.2;
	return 1.0;
}

/* 1 for no value, +0.3 at 1,000, +1 at 10,000, +2 at 100,000. */
static double
agenda_value_weight(int64_t cents)
{
	double	v;

	if (cents <= 0)
		return 1.0;
	v = (double)cents / 100.0;
	return 1.0 + log10(1.0 + v / 1000.0);
}

static double
agenda_clamp(double x)
{
	if (x < 0)
		return 0;
	if (x > SCORE_SPAN - 1)
		return SCORE_SPAN - 1;
	return x;
}

/* Join the non-NULL parts with "; ". */
static const char *
agenda_join(struct arena *a, const char **parts, size_t n)
{
	size_t	 len = 0, i, off = 0, k;
	char	*s;

	for (i = 0; i < n; i++)
		if (parts[i] != NULL)
			len += strlen(parts[i]) + 2;
	s = arena_alloc(a, len + 1);
	for (i = 0; i < n; i++) {
		if (parts[i] == NULL)
			continue;
		if (off > 0) {
			memcpy(s + off, "; ", 2);
			off += 2;
		}
		k = strlen(parts[i]);
		memcpy(s + off, parts[i], k);
		off += k;
	}
	s[off] = '\0';
	return s;
}

static const char *
agenda_money(struct arena *a, int64_t cents)
{
	char	buf[DEAL_MONEY_BUFSZ];

	return arena_strdup(a, deal_money_format(cents, buf, sizeof buf));
}

/* "met at BNI breakfast 12 days ago", "introduced by Ann Lee", ... */
static const char *
agenda_met(struct arena *a, const struct agenda_item *it,
    const struct agenda_opts *o)
{
	char	ago[64];

	if (it->met_where != NULL && it->met_on != 0) {
		when_ago(ago, sizeof ago, it->met_on, o->now, o->tz);
		return arena_printf(a, "met at %s %s", it->met_where, ago);
	}
	if (it->met_where != NULL)
		return arena_printf(a, "met at %s", it->met_where);
	if (it->via_name != NULL)
		return arena_printf(a, "introduced by %s", it->via_name);
	return NULL;
}

static const char *
agenda_last_touch(struct arena *a, const struct agenda_item *it,
    const struct agenda_opts *o)
{
	char	ago[64];

	if (it->last_touch == 0)
		return "no contact logged yet";
	when_ago(ago, sizeof ago, it->last_touch, o->now, o->tz);
	return arena_printf(a, "last contact %s", ago);
}

static const char *
agenda_deal(struct arena *a, const struct agenda_item *it)
{
	if (it->deal_title == NULL)
		return NULL;
	if (it->deal_value_cents > 0)
		return arena_printf(a, "deal '%s' (%s, %s)", it->deal_title,
		    it->deal_stage, agenda_money(a, it->deal_value_cents));
	return arena_printf(a, "deal '%s' (%s)", it->deal_title,
	    it->deal_stage);
}

static const char *
agenda_due_text(struct arena *a, const struct agenda_item *it,
    const struct agenda_opts *o)
{
	char	t[32];

	if (it->overdue_days == 1)
		return "1 day overdue";
	if (it->overdue_days > 1)
		return arena_printf(a, "%d days overdue", it->overdue_days);
	if (it->due != when_day_start(it->due, o->tz)) {
		when_format(t, sizeof t, it->due, o->tz, WHEN_DATETIME);
		return arena_printf(a, "due today at %s", t + 11);
	}
	return "due today";
}

static void
agenda_explain_one(struct arena *a, struct agenda_item *it,
    const struct agenda_opts *o)
{
	const char	*p[5] = { NULL, NULL, NULL, NULL, NULL };
	struct cadence	 cad;
	char		 ago[64], every[96];
	int		 days;

	switch (it->kind) {
	case AGENDA_INQUIRY:
		if (o->escalate > 0 && o->now - it->created >= o->escalate) {
			/* past the promise: louder */
			it->action = it->reason != NULL ?
			    arena_printf(a, "ANSWER NOW: %s", it->reason) :
			    "ANSWER NOW: their inquiry";
			p[0] = arena_printf(a, "waiting %s, past your %s "
			    "promise", agenda_waited(a, it->created, o->now),
			    agenda_waited(a, 0, o->escalate));
		} else {
			it->action = it->reason != NULL ?
			    arena_printf(a, "Answer: %s", it->reason) :
			    "Answer their inquiry";
			p[0] = arena_printf(a, "waiting %s for a first answer",
			    agenda_waited(a, it->created, o->now));
		}
		p[1] = agenda_deal(a, it);
		break;
	case AGENDA_REPLY:
		it->action = it->reason != NULL ? it->reason : "Reply to them";
		p[0] = arena_printf(a, "they replied; waiting %s for your "
		    "answer", agenda_waited(a, it->created, o->now));
		p[1] = agenda_deal(a, it);
		p[2] = agenda_met(a, it, o);
		break;
	case AGENDA_FOLLOWUP:
		it->action = it->reason != NULL ? it->reason : "Follow up";
		if (it->channel != NULL && strcmp(it->channel, "any") != 0)
			it->action = arena_printf(a, "%s (%s)", it->action,
			    it->channel);
		p[0] = agenda_met(a, it, o);
		p[1] = agenda_due_text(a, it, o);
		p[2] = agenda_deal(a, it);
		p[3] = agenda_last_touch(a, it, o);
		break;
	case AGENDA_DEAL_STEP:
		it->action = arena_printf(a, "%s", it->reason);
		p[0] = agenda_deal(a, it);
		p[1] = agenda_due_text(a, it, o);
		p[2] = agenda_met(a, it, o);
		break;
	case AGENDA_DEAL_NOSTEP:
		days = when_days_between(it->stage_since, o->now, o->tz);
		it->action = arena_printf(a, "Decide the next step for '%s'",
		    it->deal_title);
		p[0] = agenda_deal(a, it);
		p[1] = arena_printf(a, "no next step, in %s for %d day%s",
		    it->deal_stage, days, days == 1 ? "" : "s");
		break;
	case AGENDA_DEAL_STUCK:
		days = when_days_between(it->stage_since, o->now, o->tz);
		it->action = arena_printf(a, "Move '%s' forward: %s",
		    it->deal_title, it->reason != NULL ? it->reason : "");
		p[0] = agenda_deal(a, it);
		p[1] = arena_printf(a, "stuck in %s for %d days (more than "
		    "%d)", it->deal_stage, days, o->stuck_days);
		break;
	case AGENDA_KEEP:
		it->action = "Get in touch";
		every[0] = '\0';
		if (it->cadence != NULL &&
		    cadence_parse(it->cadence, &cad, NULL) == 0)
			cadence_describe(&cad, every, sizeof every);
		if (it->last_touch != 0) {
			days = when_days_between(it->last_touch, o->now, o->tz);
			when_ago(ago, sizeof ago, it->last_touch, o->now,
			    o->tz);
			p[0] = arena_printf(a, "last contact %s", ago);
		} else
			p[0] = "no contact logged yet";
		if (every[0] != '\0')
			p[1] = arena_printf(a, "you keep in touch %s", every);
		p[2] = agenda_met(a, it, o);
		break;
	}
	it->why = agenda_join(a, p, 5);
}

static void
agenda_score(struct agenda_item *it, const struct agenda_opts *o,
    int64_t today)
{
	double	w, inner = 0;
	int	days_in_stage;

	it->overdue_days = when_days_between(it->due, o->now, o->tz);
	w = agenda_kind_weight(it->contact_kind) *
	    agenda_value_weight(it->deal_value_cents);
	switch (it->kind) {
	case AGENDA_INQUIRY:
	case AGENDA_REPLY:
		it->cat = AGENDA_CAT_INQUIRY;
		/* oldest first: hours waited */
		inner = (double)(o->now - it->created) / 3600.0;
		break;
	case AGENDA_FOLLOWUP:
	case AGENDA_DEAL_STEP:
		if (it->overdue_days > 0) {
			it->cat = AGENDA_CAT_OVERDUE;
			inner = it->overdue_days * w * 10.0;
		} else {
			it->cat = AGENDA_CAT_TODAY;
			/* earlier in the day first, then weight */
			inner = (1.0 - (double)(it->due - today) / 86400.0) *
			    500.0 + w * 100.0;
		}
		break;
	case AGENDA_DEAL_NOSTEP:
	case AGENDA_DEAL_STUCK:
		it->cat = AGENDA_CAT_DEAL;
		days_in_stage = when_days_between(it->stage_since, o->now,
		    o->tz);
		inner = days_in_stage * w * 5.0 +
		    (it->kind == AGENDA_DEAL_NOSTEP ? 100.0 : 0.0);
		break;
	case AGENDA_KEEP:
		it->cat = AGENDA_CAT_KEEP;
		/* index order: the longest overdue first */
		inner = it->overdue_days;
		break;
	}
	/* a deal needing attention is not late for anything: its due is
	 * only when it entered the stage */
	if (it->overdue_days < 0 || it->cat == AGENDA_CAT_DEAL)
		it->overdue_days = 0;
	it->score = (double)(AGENDA_CAT_KEEP + 1 - it->cat) * SCORE_SPAN +
	    agenda_clamp(inner);
	it->score = floor(it->score * 10.0 + 0.5) / 10.0;
}

static int
agenda_cmp(const void *pa, const void *pb)
{
	const struct agenda_item	*a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

static int
agenda_id_cmp(const void *pa, const void *pb)
{
	int64_t	a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

size_t
agenda_rank(struct arena *a, struct agenda_item *items, size_t n,
    const struct agenda_opts *o)
{
	int64_t	 today, *steps;
	size_t	 i, k = 0, nsteps = 0;

	today = when_day_start(o->now, o->tz);
	/* a stuck deal whose step is also due shows once, as the step */
	steps = arena_alloc(a, (n == 0 ? 1 : n) * sizeof *steps);
	for (i = 0; i < n; i++)
		if (items[i].kind == AGENDA_DEAL_STEP)
			steps[nsteps++] = items[i].id;
	qsort(steps, nsteps, sizeof *steps, agenda_id_cmp);
	for (i = 0; i < n; i++) {
		if (items[i].kind == AGENDA_DEAL_STUCK && bsearch(&items[i].id,
		    steps, nsteps, sizeof *steps, agenda_id_cmp) != NULL)
			continue;
		if (k != i)
			items[k] = items[i];
		k++;
	}
	n = k;
	for (i = 0; i < n; i++) {
		agenda_score(&items[i], o, today);
		items[i].kind_name = agenda_kind_names[items[i].kind];
	}
	if (n > 1)
		qsort(items, n, sizeof *items, agenda_cmp);
	return n;
}

void
agenda_explain(struct arena *a, struct agenda_item *items, size_t n,
    const struct agenda_opts *o)
{
	size_t	i;

	for (i = 0; i < n; i++)
		agenda_explain_one(a, &items[i], o);
}

size_t
agenda_build(struct arena *a, struct agenda_item *items, size_t n,
    const struct agenda_opts *o)
{
	n = agenda_rank(a, items, n, o);
	agenda_explain(a, items, n, o);
	return n;
}
