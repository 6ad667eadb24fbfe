/*
 * Deals and their stage history.  Stage names are checked by the caller
 * against the configurable list; this file only keeps the rows and the
 * history consistent (every change writes a deal_history row).
 */
#include <string.h>

#include "core/deal.h"
#include "store/internal.h"
#include "util/arena.h"

#define DEAL_COLS "d.id, d.contact_id, c.name, d.title, d.value_cents, " \
	"d.stage, d.stage_since, d.closed, d.next_step, d.next_due, " \
	"d.created, d.updated "

/* Grow an arena array of elem-sized items; returns the new array. */
static void *
deal_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t elem)
{
	void	*nv;

	if (n < *cap)
		return v;
	*cap = *cap == 0 ? 16 : *cap * 2;
	nv = arena_alloc(a, *cap * elem);
	if (n > 0)
		memcpy(nv, v, n * elem);
	return nv;
}

static void
deal_read_row(struct arena *a, sqlite3_stmt *st, struct deal *d)
{
	d->id = store_col_int(st, 0);
	d->contact_id = store_col_int(st, 1);
	d->contact_name = store_col_text(a, st, 2);
	d->title = store_col_text(a, st, 3);
	d->has_value = sqlite3_column_type(st, 4) != SQLITE_NULL;
	d->value_cents = d->has_value ? store_col_int(st, 4) : 0;
	d->stage = store_col_text(a, st, 5);
	d->stage_since = store_col_int(st, 6);
	d->closed = store_col_int(st, 7) != 0;
	d->next_step = store_col_text(a, st, 8);
	d->next_due = store_col_int(st, 9);
	d->created = store_col_int(st, 10);
	d->updated = store_col_int(st, 11);
}

static int
deal_not_found(int64_t id, struct err *e)
{
	return err_set(e, TEND_ENOTFOUND, "deal '%lld' not found",
	    (long long)id);
}

/* Record the deal's state after a change. */
static int
deal_history_add(struct store *s, int64_t id, int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO deal_history (deal_id, at, "
	    "stage, next_step, next_due) SELECT id, ?1, stage, next_step, "
	    "next_due FROM deals WHERE id = ?2", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, now);
	store_bind_int(st, 2, id);
	return store_step_done(s, st, "cannot save deal history", e);
}

int
store_deal_add(struct store *s, struct deal *d, int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO deals (contact_id, title, "
	    "value_cents, stage, stage_since, closed, next_step, next_due, "
	    "created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?5, "
	    "?5)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, d->contact_id);
	store_bind_text(st, 2, d->title);
	if (d->has_value)
		store_bind_int(st, 3, d->value_cents);
	else
		sqlite3_bind_null(st, 3);
	store_bind_text(st, 4, d->stage);
	store_bind_int(st, 5, now);
	store_bind_int(st, 6, d->closed != 0);
	store_bind_text(st, 7, d->next_step);
	store_bind_id(st, 8, d->next_due);
	if ((rc = store_step_done(s, st, "cannot save deal", e)) != 0)
		return rc;
	d->id = sqlite3_last_insert_rowid(s->db);
	d->stage_since = d->created = d->updated = now;
	return deal_history_add(s, d->id, now, e);
}

int
store_deal_get(struct store *s, struct arena *a, int64_t id,
    struct deal **out, struct err *e)
{
	sqlite3_stmt	*st;
	struct deal	*d;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " DEAL_COLS "FROM deals d JOIN "
	    "contacts c ON c.id = d.contact_id WHERE d.id = ?", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return deal_not_found(id, e);
		return store_fail(s, rc, "cannot read deal", e);
	}
	d = arena_alloc(a, sizeof *d);
	deal_read_row(a, st, d);
	sqlite3_reset(st);
	*out = d;
	return 0;
}

int
store_deal_exists(struct store *s, int64_t id, struct err *e)
{
	int	rc;

	rc = store_exists(s, "SELECT 1 FROM deals WHERE id = ?", id, e);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : deal_not_found(id, e);
}

int
store_deal_move(struct store *s, int64_t id, const char *stage, int closed,
    int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc, same;

	if ((rc = store_prepare(s, "SELECT stage = ?2 FROM deals WHERE id = "
	    "?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, stage);
	rc = sqlite3_step(st);
	same = rc == SQLITE_ROW && store_col_int(st, 0) != 0;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return deal_not_found(id, e);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read deal", e);
	if (same)
		return err_set(e, TEND_ECONFLICT, "deal '%lld' is already in "
		    "stage '%s'", (long long)id, stage);
	if ((rc = store_prepare(s, "UPDATE deals SET stage = ?1, stage_since "
	    "= ?2, closed = ?3, updated = ?2 WHERE id = ?4", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, stage);
	store_bind_int(st, 2, now);
	store_bind_int(st, 3, closed != 0);
	store_bind_int(st, 4, id);
	if ((rc = store_step_done(s, st, "cannot save deal", e)) != 0)
		return rc;
	return deal_history_add(s, id, now, e);
}

int
store_deal_next(struct store *s, int64_t id, const char *step, int64_t due,
    int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE deals SET next_step = ?1, next_due "
	    "= ?2, updated = ?3 WHERE id = ?4", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, step);
	store_bind_id(st, 2, due);
	store_bind_int(st, 3, now);
	store_bind_int(st, 4, id);
	if ((rc = store_step_done(s, st, "cannot save deal", e)) != 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return deal_not_found(id, e);
	return deal_history_add(s, id, now, e);
}

int
store_deal_history(struct store *s, struct arena *a, int64_t id,
    struct deal_event **out, size_t *n, struct err *e)
{
	sqlite3_stmt		*st;
	struct deal_event	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT at, stage, next_step, next_due FROM "
	    "deal_history WHERE deal_id = ? ORDER BY at, id", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = deal_grow(a, v, *n, &cap, sizeof *v);
		v[*n].at = store_col_int(st, 0);
		v[*n].stage = store_col_text(a, st, 1);
		v[*n].next_step = store_col_text(a, st, 2);
		v[*n].next_due = store_col_int(st, 3);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read deal history", e);
	*out = v;
	return 0;
}

static const char deal_sql_contact[] =
	"SELECT " DEAL_COLS "FROM deals d JOIN contacts c ON c.id = "
	"d.contact_id WHERE d.contact_id = ?2 AND (?1 OR d.closed = 0) "
	"ORDER BY d.next_step IS NOT NULL, d.next_due, d.id";

static const char deal_sql_all[] =
	"SELECT " DEAL_COLS "FROM deals d JOIN contacts c ON c.id = "
	"d.contact_id WHERE ?1 OR d.closed = 0 "
	"ORDER BY d.next_step IS NOT NULL, d.next_due, d.id";

int
store_deal_list(struct store *s, struct arena *a,
    const struct deal_filter *f, struct deal **out, size_t *n,
    struct err *e)
{
	sqlite3_stmt	*st;
	struct deal	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	/* two statements, so that one contact's deals come from its index */
	if (f->contact_id != 0)
		rc = store_prepare(s, deal_sql_contact, &st, e);
	else
		rc = store_prepare(s, deal_sql_all, &st, e);
	if (rc != 0)
		return rc;
	store_bind_int(st, 1, f->closed != 0);
	if (f->contact_id != 0)
		store_bind_int(st, 2, f->contact_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = deal_grow(a, v, *n, &cap, sizeof *v);
		deal_read_row(a, st, &v[*n]);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot list deals", e);
	*out = v;
	return 0;
}

int
store_deal_totals(struct store *s, struct arena *a, struct deal_total **out,
    size_t *n, struct err *e)
{
	sqlite3_stmt		*st;
	struct deal_total	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT stage, count(*), sum(closed = 0), "
	    "coalesce(sum(value_cents), 0) FROM deals GROUP BY stage", &st,
	    e)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = deal_grow(a, v, *n, &cap, sizeof *v);
		v[*n].stage = store_col_text(a, st, 0);
		v[*n].count = store_col_int(st, 1);
		v[*n].open = store_col_int(st, 2);
		v[*n].value_cents = store_col_int(st, 3);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot count deals", e);
	*out = v;
	return 0;
}
