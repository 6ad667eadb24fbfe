/*
 * Sequences and enrollments.  A sequence is its canonical text; the
 * scheduling (when a step is due, what it does) is the app's
 * (src/app/sequencer.c): here are the rows, and the two questions every
 * tick asks, each answered from one index.
 */
#include <string.h>

#include "core/sequence.h"
#include "store/internal.h"
#include "util/arena.h"

/* ---- sequences ---- */

#define SEQUENCE_COLS "q.id, q.name, q.source, q.paused, q.created, " \
	"q.updated, (SELECT count(*) FROM enrollments e WHERE " \
	"e.sequence_id = q.id AND e.state = 'active'), (SELECT count(*) " \
	"FROM enrollments e WHERE e.sequence_id = q.id) "

static void
sequence_row(struct arena *a, sqlite3_stmt *st, struct store_sequence *q)
{
	q->id = store_col_int(st, 0);
	q->name = store_col_text(a, st, 1);
	q->source = store_col_text(a, st, 2);
	q->paused = store_col_int(st, 3) != 0;
	q->created = store_col_int(st, 4);
	q->updated = store_col_int(st, 5);
	q->active = store_col_int(st, 6);
	q->enrolled = store_col_int(st, 7);
}

int
store_sequence_add(struct store *s, struct store_sequence *q, int64_t now,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO sequences (name, source, "
	    "paused, created, updated) VALUES (?1, ?2, 0, ?3, ?3)", &st,
	    e)) != 0)
		return rc;
	store_bind_text(st, 1, q->name);
	store_bind_text(st, 2, q->source);
	store_bind_int(st, 3, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(e, TEND_ECONFLICT, "sequence '%s' already "
		    "exists", q->name);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot save the sequence", e);
	q->id = sqlite3_last_insert_rowid(s->db);
	q->created = q->updated = now;
	return 0;
}

int
store_sequence_get(struct store *s, struct arena *a, const char *name,
    struct store_sequence **out, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " SEQUENCE_COLS "FROM sequences q "
	    "WHERE q.name = ?1", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = arena_alloc(a, sizeof **out);
		sequence_row(a, st, *out);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return err_set(e, TEND_ENOTFOUND, "sequence '%s' not found",
		    name);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read sequences", e);
	return 0;
}

int
store_sequence_list(struct store *s, struct arena *a,
    struct store_sequence **out, size_t *n, struct err *e)
{
	sqlite3_stmt		*st;
	struct store_sequence	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*n = 0;
	if ((rc = store_prepare(s, "SELECT " SEQUENCE_COLS "FROM sequences q "
	    "ORDER BY q.name", &st, e)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, *n, &cap, sizeof *v);
		sequence_row(a, st, &v[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read sequences", e);
	*out = v;
	return 0;
}

int
store_sequence_update(struct store *s, int64_t id, const char *name,
    const char *source, int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE sequences SET name = ?2, source = "
	    "?3, updated = ?4 WHERE id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, source);
	store_bind_int(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(e, TEND_ECONFLICT, "sequence '%s' already "
		    "exists", name);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot save the sequence", e);
	return 0;
}

int
store_sequence_pause(struct store *s, int64_t id, int paused, int64_t now,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE sequences SET paused = ?2, updated "
	    "= ?3 WHERE id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, paused != 0);
	store_bind_int(st, 3, now);
	return store_step_done(s, st, "cannot save the sequence", e);
}

int
store_sequence_rm(struct store *s, int64_t id, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "DELETE FROM sequences WHERE id = ?1", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	return store_step_done(s, st, "cannot remove the sequence", e);
}

/* ---- enrollments ---- */

#define ENROLLMENT_COLS "e.id, e.contact_id, c.name, e.sequence_id, " \
	"q.name, q.source, q.paused, e.deal_id, e.deal_stage, e.state, " \
	"e.step, e.next_at, e.base_at, e.hold_until, e.hold_followup_id, " \
	"e.tz, e.cycles, e.sent, e.started, e.ended, e.end_reason, " \
	"e.updated "
#define ENROLLMENT_FROM "FROM enrollments e JOIN contacts c ON c.id = " \
	"e.contact_id JOIN sequences q ON q.id = e.sequence_id "

static void
enrollment_row(struct arena *a, sqlite3_stmt *st, struct enrollment *r)
{
	memset(r, 0, sizeof *r);
	r->id = store_col_int(st, 0);
	r->contact_id = store_col_int(st, 1);
	r->contact_name = store_col_text(a, st, 2);
	r->sequence_id = store_col_int(st, 3);
	r->sequence_name = store_col_text(a, st, 4);
	r->source = store_col_text(a, st, 5);
	r->paused = store_col_int(st, 6) != 0;
	r->deal_id = store_col_int(st, 7);
	r->deal_stage = store_col_text(a, st, 8);
	r->state = store_col_text(a, st, 9);
	r->step = (int)store_col_int(st, 10);
	r->next_at = store_col_int(st, 11);
	r->base_at = store_col_int(st, 12);
	r->hold_until = store_col_int(st, 13);
	r->hold_followup_id = store_col_int(st, 14);
	r->tz = store_col_text(a, st, 15);
	r->cycles = (int)store_col_int(st, 16);
	r->sent = (int)store_col_int(st, 17);
	r->started = store_col_int(st, 18);
	r->ended = store_col_int(st, 19);
	r->end_reason = store_col_text(a, st, 20);
	r->updated = store_col_int(st, 21);
}

int
store_enrollment_add(struct store *s, struct enrollment *r, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO enrollments (contact_id, "
	    "sequence_id, deal_id, deal_stage, state, step, next_at, base_at, "
	    "hold_until, tz, started, updated) VALUES (?1, ?2, ?3, ?4, "
	    "'active', ?5, ?6, ?7, ?8, ?9, ?10, ?10)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, r->contact_id);
	store_bind_int(st, 2, r->sequence_id);
	store_bind_id(st, 3, r->deal_id);
	store_bind_text(st, 4, r->deal_stage);
	store_bind_int(st, 5, r->step);
	store_bind_id(st, 6, r->next_at);
	store_bind_int(st, 7, r->base_at);
	store_bind_id(st, 8, r->hold_until);
	store_bind_text(st, 9, r->tz);
	store_bind_int(st, 10, r->started);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(e, TEND_ECONFLICT, "already enrolled in this "
		    "sequence");
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot save the enrollment", e);
	r->id = sqlite3_last_insert_rowid(s->db);
	r->state = "active";
	r->updated = r->started;
	return 0;
}

int
store_enrollment_get(struct store *s, struct arena *a, int64_t id,
    struct enrollment **out, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " ENROLLMENT_COLS ENROLLMENT_FROM
	    "WHERE e.id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = arena_alloc(a, sizeof **out);
		enrollment_row(a, st, *out);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return err_set(e, TEND_ENOTFOUND, "enrollment '%lld' not found",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read enrollments", e);
	return 0;
}

int
store_enrollment_list(struct store *s, struct arena *a,
    const struct enrollment_filter *f, struct enrollment **out, size_t *n,
    struct err *e)
{
	sqlite3_stmt		*st;
	struct enrollment	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*n = 0;
	if ((rc = store_prepare(s, "SELECT " ENROLLMENT_COLS ENROLLMENT_FROM
	    "WHERE (?1 IS NULL OR e.contact_id = ?1) AND (?2 IS NULL OR "
	    "e.sequence_id = ?2) AND (?3 OR e.state = 'active') ORDER BY "
	    "e.state, e.next_at IS NULL, e.next_at, -coalesce(e.ended, 0), "
	    "e.id", &st, e)) != 0)
		return rc;
	store_bind_id(st, 1, f->contact_id);
	store_bind_id(st, 2, f->sequence_id);
	store_bind_int(st, 3, f->all != 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, *n, &cap, sizeof *v);
		enrollment_row(a, st, &v[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read enrollments", e);
	*out = v;
	return 0;
}

static int
enrollment_ids(struct store *s, struct arena *a, sqlite3_stmt *st,
    int64_t **ids, size_t *n, struct err *e)
{
	int64_t	*v = NULL;
	size_t	 cap = 0;
	int	 rc;

	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, *n, &cap, sizeof *v);
		v[(*n)++] = store_col_int(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read enrollments", e);
	*ids = v;
	return 0;
}

int
store_enrollment_due(struct store *s, struct arena *a, int64_t now,
    size_t limit, int64_t **ids, size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "SELECT e.id FROM enrollments e INDEXED BY "
	    "enrollments_due JOIN sequences q ON q.id = e.sequence_id WHERE "
	    "e.state = 'active' AND e.next_at <= ?1 AND q.paused = 0 ORDER BY "
	    "e.next_at, e.id LIMIT ?2", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, now);
	store_bind_int(st, 2, (int64_t)limit);
	return enrollment_ids(s, a, st, ids, n, e);
}

int
store_enrollment_released(struct store *s, struct arena *a, int64_t **ids,
    size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "SELECT e.id FROM enrollments e INDEXED BY "
	    "enrollments_held LEFT JOIN followups f ON f.id = "
	    "e.hold_followup_id WHERE e.state = 'active' AND e.next_at IS "
	    "NULL AND (f.id IS NULL OR f.state IN ('done', 'cancelled')) "
	    "ORDER BY e.id", &st, e)) != 0)
		return rc;
	return enrollment_ids(s, a, st, ids, n, e);
}

int
store_enrollment_set(struct store *s, const struct enrollment *r,
    int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE enrollments SET step = ?2, next_at "
	    "= ?3, base_at = ?4, hold_until = ?5, hold_followup_id = ?6, tz = "
	    "?7, cycles = ?8, sent = ?9, updated = ?10 WHERE id = ?1", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, r->id);
	store_bind_int(st, 2, r->step);
	store_bind_id(st, 3, r->next_at);
	store_bind_int(st, 4, r->base_at);
	store_bind_id(st, 5, r->hold_until);
	store_bind_id(st, 6, r->hold_followup_id);
	store_bind_text(st, 7, r->tz);
	store_bind_int(st, 8, r->cycles);
	store_bind_int(st, 9, r->sent);
	store_bind_int(st, 10, now);
	return store_step_done(s, st, "cannot save the enrollment", e);
}

int
store_enrollment_end(struct store *s, int64_t id, const char *reason,
    int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE enrollments SET state = 'ended', "
	    "next_at = NULL, ended = ?2, end_reason = ?3, updated = ?2 WHERE "
	    "id = ?1 AND state = 'active'", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, now);
	store_bind_text(st, 3, reason);
	if ((rc = store_step_done(s, st, "cannot save the enrollment",
	    e)) != 0)
		return rc;
	return sqlite3_changes(s->db) == 1 ? 0 : err_set(e, TEND_ECONFLICT,
	    "enrollment '%lld' has ended already", (long long)id);
}

int
store_followup_enrollment_set(struct store *s, int64_t followup_id,
    int64_t enrollment_id, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE followups SET enrollment_id = ?2 "
	    "WHERE id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, followup_id);
	store_bind_id(st, 2, enrollment_id);
	return store_step_done(s, st, "cannot save follow-up", e);
}

int
store_outbox_enrollment_set(struct store *s, int64_t id,
    int64_t enrollment_id, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE outbox SET enrollment_id = ?2 "
	    "WHERE id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_id(st, 2, enrollment_id);
	return store_step_done(s, st, "cannot update the outbox", e);
}

int
store_outbox_cancel_automated(struct store *s, int64_t contact_id,
    int64_t enrollment_id, const char *reason, int *n, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*n = 0;
	if (enrollment_id != 0)
		rc = store_prepare(s, "UPDATE outbox SET state = 'cancelled', "
		    "reason = ?2, lease_owner = NULL WHERE enrollment_id = ?1 "
		    "AND state IN ('queued', 'deferred')", &st, e);
	else
		rc = store_prepare(s, "UPDATE outbox SET state = 'cancelled', "
		    "reason = ?2, lease_owner = NULL WHERE contact_id = ?1 AND "
		    "automated <> 0 AND state IN ('queued', 'deferred')", &st,
		    e);
	if (rc != 0)
		return rc;
	store_bind_int(st, 1, enrollment_id != 0 ? enrollment_id :
	    contact_id);
	store_bind_text(st, 2, reason);
	if ((rc = store_step_done(s, st, "cannot update the outbox", e)) != 0)
		return rc;
	*n = sqlite3_changes(s->db);
	return 0;
}
