/*
 * Interactions, follow-ups and keep-in-touch cadences: what happened with
 * a contact and what is due next.
 */
#include <string.h>

#include "store/internal.h"
#include "util/arena.h"

/* Grow an arena array of elem-sized items; returns the new array. */
static void *
grow(struct arena *a, void *v, size_t n, size_t *cap, size_t elem)
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

int
store_interaction_add(struct store *s, struct interaction *i, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO interactions (contact_id, "
	    "kind, direction, at, summary, created, system) VALUES (?, ?, ?, "
	    "?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, i->contact_id);
	store_bind_text(st, 2, i->kind);
	store_bind_text(st, 3, i->direction != NULL ? i->direction : "out");
	store_bind_int(st, 4, i->at);
	store_bind_text(st, 5, i->summary);
	store_bind_int(st, 6, i->created);
	store_bind_int(st, 7, i->system != 0);
	if ((rc = store_step_done(s, st, "cannot save interaction", e)) != 0)
		return rc;
	i->id = sqlite3_last_insert_rowid(s->db);
	/* tend's own notes are not touches: the clock keeps running */
	if (i->system)
		return 0;
	if ((rc = store_prepare(s, "UPDATE contacts SET last_touch = ?1 WHERE "
	    "id = ?2 AND (last_touch IS NULL OR last_touch < ?1)", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, i->at);
	store_bind_int(st, 2, i->contact_id);
	return store_step_done(s, st, "cannot save interaction", e);
}

int
store_interaction_list(struct store *s, struct arena *a, int64_t contact_id,
    struct interaction **out, size_t *n, struct err *e)
{
	sqlite3_stmt		*st;
	struct interaction	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT id, contact_id, kind, direction, "
	    "at, summary, created, system FROM interactions WHERE contact_id "
	    "= ? ORDER BY at DESC, id DESC", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, contact_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = grow(a, v, *n, &cap, sizeof *v);
		v[*n].id = store_col_int(st, 0);
		v[*n].contact_id = store_col_int(st, 1);
		v[*n].kind = store_col_text(a, st, 2);
		v[*n].direction = store_col_text(a, st, 3);
		v[*n].at = store_col_int(st, 4);
		v[*n].summary = store_col_text(a, st, 5);
		v[*n].created = store_col_int(st, 6);
		v[*n].system = (int)store_col_int(st, 7);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read interactions", e);
	*out = v;
	return 0;
}

int
store_cadence_set(struct store *s, int64_t contact_id, const char *spec,
    int64_t next_due, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (spec == NULL) {
		rc = store_prepare(s, "DELETE FROM cadences WHERE contact_id = "
		    "?", &st, e);
		if (rc != 0)
			return rc;
		store_bind_int(st, 1, contact_id);
		return store_step_done(s, st, "cannot save cadence", e);
	}
	/* a new due date from a touch or a new interval ends any levelling */
	if ((rc = store_prepare(s, "INSERT INTO cadences (contact_id, spec, "
	    "next_due) VALUES (?1, ?2, ?3) ON CONFLICT (contact_id) DO UPDATE "
	    "SET spec = ?2, next_due = ?3, level_due = NULL", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, contact_id);
	store_bind_text(st, 2, spec);
	store_bind_int(st, 3, next_due);
	return store_step_done(s, st, "cannot save cadence", e);
}

int
store_cadence_level(struct store *s, int64_t contact_id, int64_t level_due,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE cadences SET level_due = ? WHERE "
	    "contact_id = ?", &st, e)) != 0)
		return rc;
	store_bind_id(st, 1, level_due);
	store_bind_int(st, 2, contact_id);
	return store_step_done(s, st, "cannot save cadence", e);
}

static int
followup_history(struct store *s, int64_t id, int64_t at, const char *state,
    int64_t due, const char *note, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO followup_history (followup_id, "
	    "at, state, due, note) VALUES (?, ?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, at);
	store_bind_text(st, 3, state);
	store_bind_int(st, 4, due);
	store_bind_text(st, 5, note);
	return store_step_done(s, st, "cannot save follow-up history", e);
}

int
store_followup_add(struct store *s, struct followup *f, int64_t now,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO followups (contact_id, "
	    "deal_id, kind, reason, channel, due, state, created, updated) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?7)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, f->contact_id);
	store_bind_id(st, 2, f->deal_id);
	store_bind_text(st, 3, f->kind != NULL ? f->kind : "task");
	store_bind_text(st, 4, f->reason);
	store_bind_text(st, 5, f->channel);
	store_bind_int(st, 6, f->due);
	store_bind_int(st, 7, now);
	if ((rc = store_step_done(s, st, "cannot save follow-up", e)) != 0)
		return rc;
	f->id = sqlite3_last_insert_rowid(s->db);
	f->created = f->updated = now;
	return followup_history(s, f->id, now, "open", f->due, "created", e);
}

#define FOLLOWUP_COLS "f.id, f.contact_id, c.name, f.deal_id, f.kind, " \
	"f.reason, f.channel, f.due, f.state, f.created, f.updated "

static void
followup_read_row(struct arena *a, sqlite3_stmt *st, struct followup *f)
{
	f->id = store_col_int(st, 0);
	f->contact_id = store_col_int(st, 1);
	f->contact_name = store_col_text(a, st, 2);
	f->deal_id = store_col_int(st, 3);
	f->kind = store_col_text(a, st, 4);
	f->reason = store_col_text(a, st, 5);
	f->channel = store_col_text(a, st, 6);
	f->due = store_col_int(st, 7);
	f->state = store_col_text(a, st, 8);
	f->created = store_col_int(st, 9);
	f->updated = store_col_int(st, 10);
}

int
store_followup_get(struct store *s, struct arena *a, int64_t id,
    struct followup **out, struct err *e)
{
	sqlite3_stmt	*st;
	struct followup	*f;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " FOLLOWUP_COLS "FROM followups f "
	    "JOIN contacts c ON c.id = f.contact_id WHERE f.id = ?", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return err_set(e, TEND_ENOTFOUND, "follow-up %lld not "
			    "found", (long long)id);
		return store_fail(s, rc, "cannot read follow-up", e);
	}
	f = arena_alloc(a, sizeof *f);
	followup_read_row(a, st, f);
	sqlite3_reset(st);
	*out = f;
	return 0;
}

int
store_followup_set(struct store *s, int64_t id, const char *state,
    int64_t due, const char *note, int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE followups SET state = ?, due = ?, "
	    "updated = ? WHERE id = ?", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, state);
	store_bind_int(st, 2, due);
	store_bind_int(st, 3, now);
	store_bind_int(st, 4, id);
	if ((rc = store_step_done(s, st, "cannot save follow-up", e)) != 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return err_set(e, TEND_ENOTFOUND, "follow-up %lld not found",
		    (long long)id);
	return followup_history(s, id, now, state, due, note, e);
}

int
store_followup_list(struct store *s, struct arena *a, int64_t contact_id,
    struct followup **out, size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	struct followup	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT " FOLLOWUP_COLS "FROM followups f "
	    "JOIN contacts c ON c.id = f.contact_id WHERE f.contact_id = ? "
	    "ORDER BY f.due DESC, f.id DESC", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, contact_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = grow(a, v, *n, &cap, sizeof *v);
		followup_read_row(a, st, &v[*n]);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read follow-ups", e);
	*out = v;
	return 0;
}

int
store_followup_answer(struct store *s, int64_t contact_id, int64_t at,
    const char *note, int64_t now, int *n, struct err *e)
{
	sqlite3_stmt	*st;
	int64_t		 ids[64], due[64];
	int		 k = 0, i, rc;

	*n = 0;
	/* a contact rarely has more than one inquiry open; 64 is plenty */
	if ((rc = store_prepare(s, "SELECT id, due FROM followups WHERE "
	    "contact_id = ? AND (kind = 'inquiry' OR origin = 'reply') AND "
	    "state IN ('open', 'snoozed') AND created <= ? ORDER BY id LIMIT "
	    "64", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, contact_id);
	store_bind_int(st, 2, at);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ids[k] = store_col_int(st, 0);
		due[k++] = store_col_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read follow-ups", e);
	for (i = 0; i < k; i++)
		if ((rc = store_followup_set(s, ids[i], "done", due[i], note,
		    now, e)) != 0)
			return rc;
	*n = k;
	return 0;
}
