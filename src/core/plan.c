/*
 * The plan's arithmetic: slack, levelling and histogram bars.  Levelling
 * is greedy and local on purpose: it only moves items off days that are
 * over capacity, so a person's date changes only when their day is
 * overloaded, and the same load always gives the same moves.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/plan.h"
#include "util/xmalloc.h"

/* A movable item of the day being relieved. */
struct plan_cand {
	size_t	idx;	/* into items */
	int	width;	/* hi - lo: how flexible it is */
};

int
plan_slack(int cadence_days)
{
	if (cadence_days < 14)
		return 1;
	return cadence_days / 7;
}

void
plan_range(int due, int slack, int ndays, int *lo, int *hi)
{
	int64_t	l, h;

	if (slack < 0)
		slack = 0;
	l = (int64_t)due - slack;
	h = (int64_t)due + slack;
	if (l < 0)
		l = 0;
	if (h > (int64_t)ndays - 1)
		h = (int64_t)ndays - 1;
	/* keep an empty range empty without overflowing int */
	if (l > h) {
		*lo = 1;
		*hi = 0;
		return;
	}
	*lo = (int)l;
	*hi = (int)h;
}

static int
plan_cand_cmp(const void *a, const void *b)
{
	const struct plan_cand	*x = a, *y = b;

	if (x->width != y->width)
		return x->width < y->width ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return 0;
}

/* Fill c with the items on day d that could go elsewhere, in order. */
static size_t
plan_cands(const struct plan_item *items, size_t n, int d,
    struct plan_cand *c)
{
	size_t	i, nc = 0;

	for (i = 0; i < n; i++) {
		if (items[i].day != d || items[i].lo > items[i].hi)
			continue;
		if (items[i].lo >= d && items[i].hi <= d)
			continue;
		c[nc].idx = i;
		c[nc].width = items[i].hi - items[i].lo;
		nc++;
	}
	qsort(c, nc, sizeof *c, plan_cand_cmp);
	return nc;
}

/* Move items of day d to day t while d is over and t has room. */
static size_t
plan_fill(struct plan_item *items, const struct plan_cand *c, size_t nc,
    int *total, int capacity, int d, int t)
{
	struct plan_item	*it;
	size_t			 j, moved = 0;

	for (j = 0; j < nc; j++) {
		if (total[d] <= capacity || total[t] >= capacity)
			break;
		it = &items[c[j].idx];
		if (it->day != d || t < it->lo || t > it->hi)
			continue;
		it->day = t;
		total[t]++;
		total[d]--;
		moved++;
	}
	return moved;
}

size_t
plan_level(const int *fixed, int ndays, int capacity,
    struct plan_item *items, size_t n)
{
	struct plan_cand	*c;
	size_t			 i, nc, moved = 0;
	int			*total, d, k, t;

	if (ndays <= 0)
		return 0;
	total = xcalloc((size_t)ndays, sizeof *total);
	c = xcalloc(n == 0 ? 1 : n, sizeof *c);
	for (d = 0; d < ndays; d++)
		total[d] = fixed[d];
	for (i = 0; i < n; i++)
		if (items[i].day >= 0 && items[i].day < ndays)
			total[items[i].day]++;
	for (d = 0; d < ndays; d++) {
		if (total[d] <= capacity)
			continue;
		nc = plan_cands(items, n, d, c);
		for (k = 1; k < ndays && nc > 0 && total[d] > capacity; k++) {
			/* at equal distance, later first: a touch a day late
			 * reads better than one out of the blue early */
			t = d + k;
			if (t < ndays)
				moved += plan_fill(items, c, nc, total,
				    capacity, d, t);
			t = d - k;
			if (t >= 0)
				moved += plan_fill(items, c, nc, total,
				    capacity, d, t);
		}
	}
	free(c);
	free(total);
	return moved;
}

void
plan_bar(int followups, int keep, int max, int width, int *nfixed,
    int *nkeep)
{
	int64_t	total, top, cols, nf;
	int	need;

	if (followups < 0)
		followups = 0;
	if (keep < 0)
		keep = 0;
	total = (int64_t)followups + keep;
	top = max < total ? total : max;
	if (total == 0 || top <= width) {
		*nfixed = followups;
		*nkeep = keep;
		return;
	}
	/* round the whole bar up, so a day with anything shows something */
	cols = (total * width + top - 1) / top;
	need = (followups > 0) + (keep > 0);
	if (cols < need)
		cols = need;
	if (keep == 0)
		nf = cols;
	else if (followups == 0)
		nf = 0;
	else {
		nf = ((int64_t)followups * width + top / 2) / top;
		if (nf < 1)
			nf = 1;
		if (nf > cols - 1)
			nf = cols - 1;
	}
	*nfixed = (int)nf;
	*nkeep = (int)(cols - nf);
}
