/*
 * Reading the agenda's candidates and the plan's counts.  Every query
 * here walks a partial index on due dates, so the cost follows the number
 * of items due, not the number of contacts.
 */
#include <string.h>

#include "store/internal.h"
#include "util/arena.h"

/*
 * The candidates are read in two steps.  First the few columns the ranking
 * needs, for every item due (tens of thousands at a million contacts):
 * id, contact, contact kind, created, deal value, stage since, due and
 * the item's kind.  Then store_agenda_details() reads what is shown, for
 * the few items that make the cut.
 */

/*
 * Follow-ups due before tomorrow, and open inquiries whatever their due
 * (the unary + keeps the planner on the small inquiry index rather than
 * every future follow-up).
 */
static const char agenda_sql_followups[] =
	"SELECT f.id, f.contact_id, c.kind, f.created, d.value_cents, "
	"d.stage_since, f.due, CASE WHEN f.origin = 'reply' THEN 'reply' "
	"ELSE f.kind END FROM followups f JOIN contacts c ON "
	"c.id = f.contact_id LEFT JOIN deals d ON d.id = f.deal_id WHERE "
	"f.state IN ('open', 'snoozed') AND f.due < ?1 AND c.archived = 0 "
	"UNION ALL "
	"SELECT f.id, f.contact_id, c.kind, f.created, d.value_cents, "
	"d.stage_since, f.due, f.kind FROM followups f JOIN contacts c ON "
	"c.id = f.contact_id LEFT JOIN deals d ON d.id = f.deal_id WHERE "
	"f.kind = 'inquiry' AND f.state IN ('open', 'snoozed') AND f.state = "
	"'open' AND +f.due >= ?1 AND c.archived = 0";

static const char agenda_sql_deals[] =
	"SELECT d.id, d.contact_id, c.kind, d.created, d.value_cents, "
	"d.stage_since, d.next_due, 'step' FROM deals d JOIN contacts c ON "
	"c.id = d.contact_id WHERE d.closed = 0 AND d.next_due IS NOT NULL "
	"AND d.next_due < ?1 AND c.archived = 0 "
	"UNION ALL "
	"SELECT d.id, d.contact_id, c.kind, d.created, d.value_cents, "
	"d.stage_since, d.stage_since, 'nostep' FROM deals d JOIN contacts c "
	"ON c.id = d.contact_id WHERE d.closed = 0 AND d.next_step IS NULL "
	"AND c.archived = 0 "
	"UNION ALL "
	"SELECT d.id, d.contact_id, c.kind, d.created, d.value_cents, "
	"d.stage_since, d.stage_since, 'stuck' FROM deals d JOIN contacts c "
	"ON c.id = d.contact_id WHERE d.closed = 0 AND d.stage_since < ?2 AND "
	"d.next_step IS NOT NULL AND c.archived = 0";

/*
 * Keep-in-touch rows the agenda and the plan count: not archived, not
 * do-not-contact, and no pending follow-up (which stands for it).
 */
#define AGENDA_KEEP_FROM "FROM cadences k JOIN contacts c ON c.id = " \
	"k.contact_id"
#define AGENDA_KEEP_COND "c.archived = 0 AND c.do_not_contact = 0 AND " \
	"NOT EXISTS (SELECT 1 FROM followups f WHERE f.contact_id = " \
	"k.contact_id AND f.state IN ('open', 'snoozed'))"
#define AGENDA_KEEP_WHERE AGENDA_KEEP_FROM " WHERE coalesce(k.level_due, " \
	"k.next_due) < ?1 AND " AGENDA_KEEP_COND

static const char agenda_sql_keep[] =
	"SELECT k.contact_id, k.contact_id, c.kind, c.created, NULL, NULL, "
	"coalesce(k.level_due, k.next_due), 'keep' " AGENDA_KEEP_WHERE
	" ORDER BY coalesce(k.level_due, k.next_due), k.contact_id LIMIT ?2";

static const char agenda_sql_keep_count[] =
	"SELECT count(*) " AGENDA_KEEP_WHERE;

struct agenda_buf {
	struct agenda_item	*v;
	size_t			 n;
	size_t			 cap;
};

static enum agenda_kind
agenda_kind_of(const char *kind)
{
	if (strcmp(kind, "inquiry") == 0)
		return AGENDA_INQUIRY;
	if (strcmp(kind, "reply") == 0)
		return AGENDA_REPLY;
	if (strcmp(kind, "task") == 0)
		return AGENDA_FOLLOWUP;
	if (strcmp(kind, "step") == 0)
		return AGENDA_DEAL_STEP;
	if (strcmp(kind, "nostep") == 0)
		return AGENDA_DEAL_NOSTEP;
	if (strcmp(kind, "stuck") == 0)
		return AGENDA_DEAL_STUCK;
	return AGENDA_KEEP;
}

/* The contact kinds are few: share one copy of each. */
static const char *
agenda_contact_kind(const unsigned char *k)
{
	size_t	i;

	for (i = 0; k != NULL && contact_kinds[i] != NULL; i++)
		if (strcmp((const char *)k, contact_kinds[i]) == 0)
			return contact_kinds[i];
	return "other";
}

static void
agenda_read_row(struct arena *a, sqlite3_stmt *st, struct agenda_buf *b)
{
	struct agenda_item	*it, *nv;

	if (b->n == b->cap) {
		b->cap = b->cap == 0 ? 256 : b->cap * 2;
		nv = arena_alloc(a, b->cap * sizeof *nv);
		if (b->n > 0)
			memcpy(nv, b->v, b->n * sizeof *nv);
		b->v = nv;
	}
	it = &b->v[b->n++];
	memset(it, 0, sizeof *it);
	it->id = store_col_int(st, 0);
	it->contact_id = store_col_int(st, 1);
	it->contact_kind = agenda_contact_kind(sqlite3_column_text(st, 2));
	it->created = store_col_int(st, 3);
	it->deal_value_cents = store_col_int(st, 4);
	it->stage_since = store_col_int(st, 5);
	it->due = store_col_int(st, 6);
	it->kind = agenda_kind_of((const char *)sqlite3_column_text(st, 7));
}

static int
agenda_run(struct store *s, struct arena *a, const char *sql, int64_t p1,
    int64_t p2, struct agenda_buf *b, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, sql, &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, p1);
	store_bind_int(st, 2, p2);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		agenda_read_row(a, st, b);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the agenda", e);
	return 0;
}

int
store_agenda_fetch(struct store *s, struct arena *a,
    const struct agenda_window *w, struct agenda_item **out, size_t *n,
    size_t *total, struct err *e)
{
	struct agenda_buf	 b;
	sqlite3_stmt		*st;
	int64_t			 keep_total = 0;
	size_t			 before;
	int			 rc;

	memset(&b, 0, sizeof b);
	*out = NULL;
	*n = 0;
	*total = 0;
	if ((rc = agenda_run(s, a, agenda_sql_followups, w->tomorrow, 0, &b,
	    e)) != 0 ||
	    (rc = agenda_run(s, a, agenda_sql_deals, w->tomorrow,
	    w->stuck_before, &b, e)) != 0)
		return rc;
	before = b.n;
	if ((rc = agenda_run(s, a, agenda_sql_keep, w->tomorrow,
	    w->keep_limit == 0 ? INT64_MAX : (int64_t)w->keep_limit, &b,
	    e)) != 0)
		return rc;
	keep_total = (int64_t)(b.n - before);
	if (w->keep_limit != 0 && b.n - before == w->keep_limit) {
		/* there may be more than we read: count them */
		if ((rc = store_prepare(s, agenda_sql_keep_count, &st, e)) != 0)
			return rc;
		store_bind_int(st, 1, w->tomorrow);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			keep_total = store_col_int(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return store_fail(s, rc, "cannot read the agenda", e);
	}
	*out = b.v;
	*n = b.n;
	*total = before + (size_t)keep_total;
	return 0;
}

/* Step one row of a details query (one id bound); 1 if there is a row. */
static int
agenda_one(struct store *s, const char *sql, int64_t id, sqlite3_stmt **out,
    struct err *e)
{
	int	rc;

	if ((rc = store_prepare(s, sql, out, e)) != 0)
		return rc;
	store_bind_int(*out, 1, id);
	rc = sqlite3_step(*out);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(*out);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the agenda", e);
	return 0;
}

int
store_agenda_details(struct store *s, struct arena *a,
    struct agenda_item *items, size_t n, struct err *e)
{
	struct agenda_item	*it;
	sqlite3_stmt		*st;
	size_t			 i;
	int			 rc;

	for (i = 0; i < n; i++) {
		it = &items[i];
		if ((rc = agenda_one(s, "SELECT c.name, c.company, c.met_where, "
		    "c.met_on, (SELECT v.name FROM contacts v WHERE v.id = "
		    "c.via_id), c.last_touch FROM contacts c WHERE c.id = ?",
		    it->contact_id, &st, e)) < 0)
			return rc;
		if (rc == 1) {
			it->contact_name = store_col_text(a, st, 0);
			it->company = store_col_text(a, st, 1);
			it->met_where = store_col_text(a, st, 2);
			it->met_on = store_col_int(st, 3);
			it->via_name = store_col_text(a, st, 4);
			it->last_touch = store_col_int(st, 5);
			sqlite3_reset(st);
		}
		switch (it->kind) {
		case AGENDA_INQUIRY:
		case AGENDA_REPLY:
		case AGENDA_FOLLOWUP:
			rc = agenda_one(s, "SELECT f.reason, f.channel, d.title, "
			    "d.stage FROM followups f LEFT JOIN deals d ON d.id "
			    "= f.deal_id WHERE f.id = ?", it->id, &st, e);
			break;
		case AGENDA_DEAL_STEP:
		case AGENDA_DEAL_NOSTEP:
		case AGENDA_DEAL_STUCK:
			rc = agenda_one(s, "SELECT next_step, NULL, title, stage "
			    "FROM deals WHERE id = ?", it->id, &st, e);
			break;
		case AGENDA_KEEP:
			rc = agenda_one(s, "SELECT NULL, NULL, NULL, NULL, spec "
			    "FROM cadences WHERE contact_id = ?", it->id, &st,
			    e);
			break;
		}
		if (rc < 0)
			return rc;
		if (rc == 0) {
			/* read in the same transaction: cannot vanish */
			return err_set(e, TEND_EIO, "agenda item %lld vanished",
			    (long long)it->id);
		}
		it->reason = store_col_text(a, st, 0);
		it->channel = store_col_text(a, st, 1);
		it->deal_title = store_col_text(a, st, 2);
		it->deal_stage = store_col_text(a, st, 3);
		if (it->kind == AGENDA_KEEP)
			it->cadence = store_col_text(a, st, 4);
		sqlite3_reset(st);
	}
	return 0;
}

int
store_plan_counts(struct store *s, struct plan_day *days, size_t ndays,
    int64_t end, struct err *e)
{
	/* the same rows the agenda would show, day by day */
	static const char sql[] =
	    "SELECT f.due, 0 FROM followups f JOIN contacts c ON c.id = "
	    "f.contact_id WHERE f.state IN ('open', 'snoozed') AND f.due >= ?1 "
	    "AND f.due < ?2 AND c.archived = 0 "
	    "UNION ALL SELECT d.next_due, 0 FROM deals d JOIN contacts c ON "
	    "c.id = d.contact_id WHERE d.closed = 0 AND d.next_due IS NOT NULL "
	    "AND d.next_due >= ?1 AND d.next_due < ?2 AND c.archived = 0 "
	    "UNION ALL SELECT coalesce(k.level_due, k.next_due), 1 "
	    AGENDA_KEEP_FROM " WHERE coalesce(k.level_due, k.next_due) >= ?1 "
	    "AND coalesce(k.level_due, k.next_due) < ?2 AND " AGENDA_KEEP_COND;
	sqlite3_stmt	*st;
	int64_t		 t;
	size_t		 i;
	int		 rc;

	if (ndays == 0)
		return 0;
	if ((rc = store_prepare(s, sql, &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, days[0].start);
	store_bind_int(st, 2, end);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = store_col_int(st, 0);
		for (i = ndays; i > 0; i--)
			if (t >= days[i - 1].start)
				break;
		if (i == 0)
			continue;
		if (store_col_int(st, 1))
			days[i - 1].keep++;
		else
			days[i - 1].followups++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the plan", e);
	return 0;
}

int
store_plan_keep(struct store *s, struct arena *a, int64_t from, int64_t to,
    struct plan_keep **out, size_t *n, struct err *e)
{
	sqlite3_stmt		*st;
	struct plan_keep	*v = NULL, *nv;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT k.contact_id, coalesce(k.level_due, "
	    "k.next_due), k.next_due, k.spec " AGENDA_KEEP_FROM " WHERE "
	    "coalesce(k.level_due, k.next_due) >= ?1 AND coalesce(k.level_due, "
	    "k.next_due) < ?2 AND " AGENDA_KEEP_COND " ORDER BY "
	    "coalesce(k.level_due, k.next_due), k.contact_id", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, from);
	store_bind_int(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			nv = arena_alloc(a, cap * sizeof *nv);
			if (*n > 0)
				memcpy(nv, v, *n * sizeof *nv);
			v = nv;
		}
		v[*n].contact_id = store_col_int(st, 0);
		v[*n].due = store_col_int(st, 1);
		v[*n].next_due = store_col_int(st, 2);
		v[*n].spec = store_col_text(a, st, 3);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the plan", e);
	*out = v;
	return 0;
}
