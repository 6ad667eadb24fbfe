/*
 * Row-level reads and writes for backup and restore: every row of every
 * table, ids kept, nothing derived but the folded lookup keys.  The
 * checks on values are the caller's (src/interop/backup.c).  Optional
 * instants are NULL in the database and 0 here (store_bind_id).
 */
#include <stdlib.h>
#include <string.h>

#include "core/deal.h"
#include "core/outbox.h"
#include "core/sequence.h"
#include "store/internal.h"
#include "util/arena.h"
#include "util/text.h"

static int
backup_read_contact(struct store *s, struct arena *a, int64_t after,
    struct store_backup *b, struct err *e)
{
	sqlite3_stmt	*st;
	struct contact	*c = &b->c;
	int		 rc;

	/* the cadence's own next due and level, not the agenda's view */
	if ((rc = store_prepare(s, "SELECT " CONTACT_COLS ", k.next_due, "
	    "k.level_due FROM contacts c LEFT JOIN cadences k ON "
	    "k.contact_id = c.id WHERE c.id > ? ORDER BY c.id LIMIT 1", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read contacts", e);
	}
	store_contact_row(a, st, c);
	c->cadence_due = store_col_int(st, 20);
	b->cadence_level = store_col_int(st, 21);
	sqlite3_reset(st);
	return 1;
}

/* E-mails (phones 0) or phones (phones 1) of contact id. */
static int
backup_read_entries(struct store *s, struct arena *a, int64_t id,
    int phones, struct store_entry **out, size_t *n, struct err *e)
{
	sqlite3_stmt		*st;
	struct store_entry	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*n = 0;
	if (phones)
		rc = store_prepare(s, "SELECT number, label, is_primary FROM "
		    "phones WHERE contact_id = ? ORDER BY is_primary DESC, id",
		    &st, e);
	else
		rc = store_prepare(s, "SELECT address, label, is_primary FROM "
		    "emails WHERE contact_id = ? ORDER BY is_primary DESC, id",
		    &st, e);
	if (rc != 0)
		return rc;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, *n, &cap, sizeof *v);
		v[*n].value = store_col_text(a, st, 0);
		v[*n].label = store_col_text(a, st, 1);
		v[*n].primary = store_col_int(st, 2) != 0;
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read contact", e);
	*out = v;
	return 0;
}

static int
backup_read_tags(struct store *s, struct arena *a, int64_t id,
    struct strlist *l, struct err *e)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	l->n = 0;
	if ((rc = store_prepare(s, "SELECT t.name FROM contact_tags ct JOIN "
	    "tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY "
	    "t.name, t.id", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		l->v = arena_grow(a, l->v, l->n, &cap, sizeof *l->v);
		l->v[l->n++] = store_col_text(a, st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read tags", e);
	return 0;
}

static int
backup_read_interactions(struct store *s, struct arena *a,
    struct store_backup *b, struct err *e)
{
	sqlite3_stmt		*st;
	struct interaction	*i;
	size_t			 cap = 0;
	int			 rc;

	if ((rc = store_prepare(s, "SELECT id, kind, direction, at, summary, "
	    "created, system FROM interactions WHERE contact_id = ? ORDER BY "
	    "at, id", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, b->c.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b->interactions = arena_grow(a, b->interactions,
		    b->ninteractions, &cap, sizeof *b->interactions);
		i = &b->interactions[b->ninteractions++];
		i->id = store_col_int(st, 0);
		i->contact_id = b->c.id;
		i->kind = store_col_text(a, st, 1);
		i->direction = store_col_text(a, st, 2);
		i->at = store_col_int(st, 3);
		i->summary = store_col_text(a, st, 4);
		i->created = store_col_int(st, 5);
		i->system = store_col_int(st, 6) != 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read interactions", e);
	return 0;
}

static int
backup_read_followup_history(struct store *s, struct arena *a,
    struct store_backup_followup *bf, struct err *e)
{
	sqlite3_stmt			*st;
	struct store_followup_event	*h;
	size_t				 cap = 0;
	int				 rc;

	if ((rc = store_prepare(s, "SELECT at, state, due, note FROM "
	    "followup_history WHERE followup_id = ? ORDER BY at, id", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, bf->f->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bf->history = arena_grow(a, bf->history, bf->nhistory, &cap,
		    sizeof *bf->history);
		h = &bf->history[bf->nhistory++];
		h->at = store_col_int(st, 0);
		h->state = store_col_text(a, st, 1);
		h->due = store_col_int(st, 2);
		h->note = store_col_text(a, st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read follow-up history", e);
	return 0;
}

static int
backup_read_followups(struct store *s, struct arena *a,
    struct store_backup *b, struct err *e)
{
	sqlite3_stmt	*st;
	struct followup	*f;
	size_t		 cap = 0, i;
	int		 rc;

	if ((rc = store_prepare(s, "SELECT id, deal_id, kind, reason, "
	    "channel, due, state, created, updated, enrollment_id, origin, "
	    "escalated FROM followups WHERE contact_id = ? ORDER BY id", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, b->c.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b->followups = arena_grow(a, b->followups, b->nfollowups,
		    &cap, sizeof *b->followups);
		f = arena_alloc(a, sizeof *f);
		memset(&b->followups[b->nfollowups], 0,
		    sizeof b->followups[0]);
		b->followups[b->nfollowups++].f = f;
		f->id = store_col_int(st, 0);
		f->contact_id = b->c.id;
		f->deal_id = store_col_int(st, 1);
		f->kind = store_col_text(a, st, 2);
		f->reason = store_col_text(a, st, 3);
		f->channel = store_col_text(a, st, 4);
		f->due = store_col_int(st, 5);
		f->state = store_col_text(a, st, 6);
		f->created = store_col_int(st, 7);
		f->updated = store_col_int(st, 8);
		b->followups[b->nfollowups - 1].enrollment_id =
		    store_col_int(st, 9);
		b->followups[b->nfollowups - 1].origin = store_col_text(a, st,
		    10);
		b->followups[b->nfollowups - 1].escalated = store_col_int(st,
		    11);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read follow-ups", e);
	/* the statement is reset: the history query may reuse the cache */
	for (i = 0; i < b->nfollowups; i++)
		if ((rc = backup_read_followup_history(s, a, &b->followups[i],
		    e)) != 0)
			return rc;
	return 0;
}

static int
backup_read_deal_history(struct store *s, struct arena *a,
    struct store_backup_deal *bd, struct err *e)
{
	sqlite3_stmt		*st;
	struct deal_event	*h;
	size_t			 cap = 0;
	int			 rc;

	if ((rc = store_prepare(s, "SELECT at, stage, next_step, next_due "
	    "FROM deal_history WHERE deal_id = ? ORDER BY at, id", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, bd->d->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bd->history = arena_grow(a, bd->history, bd->nhistory, &cap,
		    sizeof *bd->history);
		h = &bd->history[bd->nhistory++];
		h->at = store_col_int(st, 0);
		h->stage = store_col_text(a, st, 1);
		h->next_step = store_col_text(a, st, 2);
		h->next_due = store_col_int(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read deal history", e);
	return 0;
}

static int
backup_read_deals(struct store *s, struct arena *a, struct store_backup *b,
    struct err *e)
{
	sqlite3_stmt	*st;
	struct deal	*d;
	size_t		 cap = 0, i;
	int		 rc;

	if ((rc = store_prepare(s, "SELECT id, title, value_cents, stage, "
	    "stage_since, closed, next_step, next_due, created, updated FROM "
	    "deals WHERE contact_id = ? ORDER BY id", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, b->c.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b->deals = arena_grow(a, b->deals, b->ndeals, &cap,
		    sizeof *b->deals);
		d = arena_alloc(a, sizeof *d);
		memset(&b->deals[b->ndeals], 0, sizeof b->deals[0]);
		b->deals[b->ndeals++].d = d;
		d->id = store_col_int(st, 0);
		d->contact_id = b->c.id;
		d->title = store_col_text(a, st, 1);
		d->has_value = sqlite3_column_type(st, 2) != SQLITE_NULL;
		d->value_cents = store_col_int(st, 2);
		d->stage = store_col_text(a, st, 3);
		d->stage_since = store_col_int(st, 4);
		d->closed = store_col_int(st, 5) != 0;
		d->next_step = store_col_text(a, st, 6);
		d->next_due = store_col_int(st, 7);
		d->created = store_col_int(st, 8);
		d->updated = store_col_int(st, 9);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read deals", e);
	for (i = 0; i < b->ndeals; i++)
		if ((rc = backup_read_deal_history(s, a, &b->deals[i],
		    e)) != 0)
			return rc;
	return 0;
}

int
store_backup_next(struct store *s, struct arena *a, int64_t after,
    struct store_backup **out, struct err *e)
{
	struct store_backup	*b;
	int			 rc;

	*out = NULL;
	b = arena_alloc(a, sizeof *b);
	if ((rc = backup_read_contact(s, a, after, b, e)) <= 0)
		return rc;
	if ((rc = backup_read_entries(s, a, b->c.id, 0, &b->emails,
	    &b->nemails, e)) != 0 ||
	    (rc = backup_read_entries(s, a, b->c.id, 1, &b->phones,
	    &b->nphones, e)) != 0 ||
	    (rc = backup_read_tags(s, a, b->c.id, &b->c.tags, e)) != 0 ||
	    (rc = store_contact_read_extras(s, a, &b->c, e)) != 0 ||
	    (rc = backup_read_interactions(s, a, b, e)) != 0 ||
	    (rc = backup_read_followups(s, a, b, e)) != 0 ||
	    (rc = backup_read_deals(s, a, b, e)) != 0)
		return rc;
	*out = b;
	return 1;
}

int
store_backup_settings(struct store *s, struct arena *a, char ***keys,
    char ***values, size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0, vcap = 0;
	int		 rc;

	*keys = NULL;
	*values = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT key, value FROM settings ORDER BY "
	    "key", &st, e)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*keys = arena_grow(a, *keys, *n, &cap, sizeof **keys);
		*values = arena_grow(a, *values, *n, &vcap, sizeof **values);
		(*keys)[*n] = store_col_text(a, st, 0);
		(*values)[*n] = store_col_text(a, st, 1);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read settings", e);
	return 0;
}

int
store_backup_empty(struct store *s, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* the starters a migration wrote are no user's data, until edited */
	if ((rc = store_prepare(s, "SELECT EXISTS (SELECT 1 FROM contacts) OR "
	    "EXISTS (SELECT 1 FROM settings) OR EXISTS (SELECT 1 FROM "
	    "templates WHERE starter = 0 OR updated != 0) OR EXISTS (SELECT "
	    "1 FROM outbox) OR EXISTS (SELECT 1 FROM suppressions) OR EXISTS "
	    "(SELECT 1 FROM sequences) OR EXISTS (SELECT 1 FROM enrollments) "
	    "OR EXISTS (SELECT 1 FROM inbound) OR EXISTS (SELECT 1 FROM "
	    "imap_state) OR EXISTS (SELECT 1 FROM soft_bounces)", &st,
	    e)) != 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = store_col_int(st, 0) ? 0 : 1;
	else
		rc = store_fail(s, rc, "cannot read the database", e);
	sqlite3_reset(st);
	return rc;
}

int
store_backup_has(struct store *s, enum store_backup_table t, int64_t id,
    struct err *e)
{
	switch (t) {
	case STORE_BACKUP_CONTACT:
		return store_exists(s, "SELECT 1 FROM contacts WHERE id = ?",
		    id, e);
	case STORE_BACKUP_INTERACTION:
		return store_exists(s, "SELECT 1 FROM interactions WHERE id = "
		    "?", id, e);
	case STORE_BACKUP_FOLLOWUP:
		return store_exists(s, "SELECT 1 FROM followups WHERE id = ?",
		    id, e);
	case STORE_BACKUP_DEAL:
		return store_exists(s, "SELECT 1 FROM deals WHERE id = ?", id,
		    e);
	case STORE_BACKUP_TEMPLATE:
		return store_exists(s, "SELECT 1 FROM templates WHERE id = ?",
		    id, e);
	case STORE_BACKUP_OUTBOX:
		return store_exists(s, "SELECT 1 FROM outbox WHERE id = ?", id,
		    e);
	case STORE_BACKUP_SEQUENCE:
		return store_exists(s, "SELECT 1 FROM sequences WHERE id = ?",
		    id, e);
	case STORE_BACKUP_ENROLLMENT:
		return store_exists(s, "SELECT 1 FROM enrollments WHERE id = ?",
		    id, e);
	case STORE_BACKUP_INBOUND:
		return store_exists(s, "SELECT 1 FROM inbound WHERE id = ?", id,
		    e);
	}
	return err_set(e, TEND_EIO, "unknown table %d", (int)t);
}

int
store_backup_contact_add(struct store *s, const struct contact *c,
    struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO contacts (id, name, name_key, "
	    "company, title, kind, tz, met_where, met_on, via_id, source, "
	    "needs, notes, do_not_contact, archived, last_touch, created, "
	    "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?)", &st, e)) != 0)
		return rc;
	key = text_fold(c->name);
	store_bind_int(st, 1, c->id);
	store_bind_text(st, 2, c->name);
	store_bind_text(st, 3, key);
	store_bind_text(st, 4, c->company);
	store_bind_text(st, 5, c->title);
	store_bind_text(st, 6, c->kind != NULL ? c->kind : "other");
	store_bind_text(st, 7, c->tz);
	store_bind_text(st, 8, c->met_where);
	store_bind_id(st, 9, c->met_on);
	store_bind_id(st, 10, c->via_id);
	store_bind_text(st, 11, c->source != NULL ? c->source : "other");
	store_bind_text(st, 12, c->needs);
	store_bind_text(st, 13, c->notes);
	store_bind_int(st, 14, c->do_not_contact != 0);
	store_bind_int(st, 15, c->archived != 0);
	store_bind_id(st, 16, c->last_touch);
	store_bind_int(st, 17, c->created);
	store_bind_int(st, 18, c->updated);
	rc = store_step_done(s, st, "cannot save contact", e);
	free(key);
	return rc;
}

int
store_backup_via_set(struct store *s, int64_t id, int64_t via_id,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE contacts SET via_id = ? WHERE id = "
	    "?", &st, e)) != 0)
		return rc;
	store_bind_id(st, 1, via_id);
	store_bind_int(st, 2, id);
	return store_step_done(s, st, "cannot save contact", e);
}

int
store_backup_email_add(struct store *s, int64_t contact_id,
    const struct store_entry *v, struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO emails (contact_id, address, "
	    "address_key, is_primary, label) VALUES (?, ?, ?, ?, ?)", &st,
	    e)) != 0)
		return rc;
	key = text_fold(v->value);
	store_bind_int(st, 1, contact_id);
	store_bind_text(st, 2, v->value);
	store_bind_text(st, 3, key);
	store_bind_int(st, 4, v->primary != 0);
	store_bind_text(st, 5, v->label);
	rc = store_step_done(s, st, "cannot save e-mail address", e);
	free(key);
	return rc;
}

int
store_backup_phone_add(struct store *s, int64_t contact_id,
    const struct store_entry *v, struct err *e)
{
	sqlite3_stmt	*st;
	char		*digits;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO phones (contact_id, number, "
	    "digits, is_primary, label) VALUES (?, ?, ?, ?, ?)", &st,
	    e)) != 0)
		return rc;
	digits = contact_phone_digits(v->value);
	store_bind_int(st, 1, contact_id);
	store_bind_text(st, 2, v->value);
	store_bind_text(st, 3, digits);
	store_bind_int(st, 4, v->primary != 0);
	store_bind_text(st, 5, v->label);
	rc = store_step_done(s, st, "cannot save phone", e);
	free(digits);
	return rc;
}

int
store_backup_tag_add(struct store *s, int64_t contact_id, const char *tag,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* the first spelling of a tag names it for every contact */
	if ((rc = store_prepare(s, "INSERT INTO tags (name) VALUES (?) ON "
	    "CONFLICT DO NOTHING", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, tag);
	if ((rc = store_step_done(s, st, "cannot save tag", e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "INSERT INTO contact_tags (contact_id, "
	    "tag_id) SELECT ?, id FROM tags WHERE name = ?", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, contact_id);
	store_bind_text(st, 2, tag);
	return store_step_done(s, st, "cannot save tag", e);
}

int
store_backup_extra_add(struct store *s, int64_t contact_id,
    const struct contact_extra *x, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO contact_extras (contact_id, "
	    "grp, name, params, value) VALUES (?, ?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, contact_id);
	store_bind_text(st, 2, x->group);
	store_bind_text(st, 3, x->name);
	store_bind_text(st, 4, x->params);
	store_bind_text(st, 5, x->value);
	return store_step_done(s, st, "cannot save contact extra", e);
}

int
store_backup_cadence_add(struct store *s, int64_t contact_id,
    const char *spec, int64_t next_due, int64_t level_due, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO cadences (contact_id, spec, "
	    "next_due, level_due) VALUES (?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, contact_id);
	store_bind_text(st, 2, spec);
	store_bind_int(st, 3, next_due);
	store_bind_id(st, 4, level_due);
	return store_step_done(s, st, "cannot save cadence", e);
}

int
store_backup_interaction_add(struct store *s, const struct interaction *i,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO interactions (id, contact_id, "
	    "kind, direction, at, summary, created, system) VALUES (?, ?, ?, "
	    "?, ?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, i->id);
	store_bind_int(st, 2, i->contact_id);
	store_bind_text(st, 3, i->kind);
	store_bind_text(st, 4, i->direction != NULL ? i->direction : "out");
	store_bind_int(st, 5, i->at);
	store_bind_text(st, 6, i->summary);
	store_bind_int(st, 7, i->created);
	store_bind_int(st, 8, i->system != 0);
	return store_step_done(s, st, "cannot save interaction", e);
}

int
store_backup_followup_add(struct store *s, const struct followup *f,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO followups (id, contact_id, "
	    "deal_id, kind, reason, channel, due, state, created, updated) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, f->id);
	store_bind_int(st, 2, f->contact_id);
	store_bind_id(st, 3, f->deal_id);
	store_bind_text(st, 4, f->kind != NULL ? f->kind : "task");
	store_bind_text(st, 5, f->reason);
	store_bind_text(st, 6, f->channel);
	store_bind_int(st, 7, f->due);
	store_bind_text(st, 8, f->state != NULL ? f->state : "open");
	store_bind_int(st, 9, f->created);
	store_bind_int(st, 10, f->updated);
	return store_step_done(s, st, "cannot save follow-up", e);
}

int
store_backup_followup_deal_set(struct store *s, int64_t id, int64_t deal_id,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE followups SET deal_id = ? WHERE id "
	    "= ?", &st, e)) != 0)
		return rc;
	store_bind_id(st, 1, deal_id);
	store_bind_int(st, 2, id);
	return store_step_done(s, st, "cannot save follow-up", e);
}

int
store_backup_followup_event_add(struct store *s, int64_t followup_id,
    const struct store_followup_event *h, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO followup_history (followup_id, "
	    "at, state, due, note) VALUES (?, ?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, followup_id);
	store_bind_int(st, 2, h->at);
	store_bind_text(st, 3, h->state);
	store_bind_int(st, 4, h->due);
	store_bind_text(st, 5, h->note);
	return store_step_done(s, st, "cannot save follow-up history", e);
}

int
store_backup_deal_add(struct store *s, const struct deal *d, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO deals (id, contact_id, title, "
	    "value_cents, stage, stage_since, closed, next_step, next_due, "
	    "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, d->id);
	store_bind_int(st, 2, d->contact_id);
	store_bind_text(st, 3, d->title);
	if (d->has_value)
		store_bind_int(st, 4, d->value_cents);
	else
		sqlite3_bind_null(st, 4);
	store_bind_text(st, 5, d->stage);
	store_bind_int(st, 6, d->stage_since);
	store_bind_int(st, 7, d->closed != 0);
	store_bind_text(st, 8, d->next_step);
	store_bind_id(st, 9, d->next_due);
	store_bind_int(st, 10, d->created);
	store_bind_int(st, 11, d->updated);
	return store_step_done(s, st, "cannot save deal", e);
}

int
store_backup_deal_event_add(struct store *s, int64_t deal_id,
    const struct deal_event *h, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO deal_history (deal_id, at, "
	    "stage, next_step, next_due) VALUES (?, ?, ?, ?, ?)", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, deal_id);
	store_bind_int(st, 2, h->at);
	store_bind_text(st, 3, h->stage);
	store_bind_text(st, 4, h->next_step);
	store_bind_id(st, 5, h->next_due);
	return store_step_done(s, st, "cannot save deal history", e);
}

/* ---- mail: templates, suppressions, the outbox ---- */

int
store_backup_template_next(struct store *s, struct arena *a, int64_t after,
    struct template **out, struct err *e)
{
	sqlite3_stmt	*st;
	struct template	*t;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " TEMPLATE_COLS "FROM templates "
	    "WHERE id > ? ORDER BY id LIMIT 1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read templates", e);
	}
	t = arena_alloc(a, sizeof *t);
	store_template_row(a, st, t);
	sqlite3_reset(st);
	*out = t;
	return 1;
}

int
store_backup_suppression_next(struct store *s, struct arena *a,
    const struct store_suppression *after, struct store_suppression **out,
    struct err *e)
{
	struct store_suppression	*v;
	sqlite3_stmt			*st;
	char				*key = NULL;
	int				 rc;

	*out = NULL;
	/* the key is the folded address, as every writer stores it */
	if ((rc = store_prepare(s, "SELECT address, reason, at, detail FROM "
	    "suppressions WHERE ?1 IS NULL OR (address_key, reason) > (?1, "
	    "?2) ORDER BY address_key, reason LIMIT 1", &st, e)) != 0)
		return rc;
	if (after != NULL) {
		key = text_fold(after->address);
		store_bind_text(st, 1, key);
		store_bind_text(st, 2, after->reason);
	}
	rc = sqlite3_step(st);
	free(key);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read the suppression list", e);
	}
	v = arena_alloc(a, sizeof *v);
	v->address = store_col_text(a, st, 0);
	v->reason = store_col_text(a, st, 1);
	v->at = store_col_int(st, 2);
	v->detail = store_col_text(a, st, 3);
	sqlite3_reset(st);
	*out = v;
	return 1;
}

int
store_backup_outbox_next(struct store *s, struct arena *a, int64_t after,
    struct outbox_msg **out, int64_t *enrollment_id, struct err *e)
{
	struct outbox_msg	*m;
	sqlite3_stmt		*st;
	const void		*blob;
	int			 rc;

	*out = NULL;
	*enrollment_id = 0;
	if ((rc = store_prepare(s, "SELECT o.id, o.contact_id, o.deal_id, "
	    "o.template, o.automated, o.rcpt, o.sender, o.subject, "
	    "o.message_id, o.state, o.queued, o.due, o.attempts, o.date, "
	    "o.lease_owner, o.sent_at, o.last_reply, o.reason, d.data, "
	    "o.enrollment_id FROM outbox o LEFT JOIN outbox_data d ON d.id = "
	    "o.id WHERE o.id > ? ORDER BY o.id LIMIT 1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read the outbox", e);
	}
	m = arena_alloc(a, sizeof *m);
	memset(m, 0, sizeof *m);
	m->id = store_col_int(st, 0);
	m->contact_id = store_col_int(st, 1);
	m->deal_id = store_col_int(st, 2);
	m->template = store_col_text(a, st, 3);
	m->automated = (int)store_col_int(st, 4);
	m->rcpt = store_col_text(a, st, 5);
	m->sender = store_col_text(a, st, 6);
	m->subject = store_col_text(a, st, 7);
	m->message_id = store_col_text(a, st, 8);
	m->state = store_col_text(a, st, 9);
	m->queued = store_col_int(st, 10);
	m->next_attempt = store_col_int(st, 11);
	m->attempts = (int)store_col_int(st, 12);
	m->date = store_col_int(st, 13);
	m->lease_owner = store_col_text(a, st, 14);
	m->sent_at = store_col_int(st, 15);
	m->last_reply = store_col_text(a, st, 16);
	m->reason = store_col_text(a, st, 17);
	/* a row without its data (none is written so) reads as empty */
	blob = sqlite3_column_blob(st, 18);
	m->len = (size_t)sqlite3_column_bytes(st, 18);
	m->data = arena_alloc(a, m->len + 1);
	if (m->len > 0)
		memcpy(m->data, blob, m->len);
	m->data[m->len] = '\0';
	*enrollment_id = store_col_int(st, 19);
	sqlite3_reset(st);
	*out = m;
	return 1;
}

int
store_backup_templates_clear(struct store *s, struct err *e)
{
	return store_exec(s, "DELETE FROM templates", e);
}

int
store_backup_template_add(struct store *s, const struct template *t,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO templates (id, name, subject, "
	    "body, html, starter, created, updated) VALUES (?, ?, ?, ?, ?, ?, "
	    "?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, t->id);
	store_bind_text(st, 2, t->name);
	store_bind_text(st, 3, t->subject);
	store_bind_text(st, 4, t->body);
	store_bind_text(st, 5, t->html);
	store_bind_int(st, 6, t->starter != 0);
	store_bind_int(st, 7, t->created);
	store_bind_int(st, 8, t->updated);
	return store_step_done(s, st, "cannot save template", e);
}

int
store_backup_suppression_add(struct store *s,
    const struct store_suppression *v, struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO suppressions (address_key, "
	    "reason, address, at, detail) VALUES (?, ?, ?, ?, ?)", &st,
	    e)) != 0)
		return rc;
	key = text_fold(v->address);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, v->reason);
	store_bind_text(st, 3, v->address);
	store_bind_int(st, 4, v->at);
	store_bind_text(st, 5, v->detail);
	rc = store_step_done(s, st, "cannot save the suppression", e);
	free(key);
	return rc;
}

int
store_backup_outbox_add(struct store *s, const struct outbox_msg *m,
    int64_t enrollment_id, struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO outbox (id, contact_id, "
	    "deal_id, template, automated, rcpt, rcpt_key, sender, subject, "
	    "message_id, state, queued, due, attempts, date, lease_owner, "
	    "sent_at, last_reply, reason, enrollment_id) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	key = text_fold(m->rcpt);
	store_bind_int(st, 1, m->id);
	store_bind_id(st, 2, m->contact_id);
	store_bind_id(st, 3, m->deal_id);
	store_bind_text(st, 4, m->template);
	store_bind_int(st, 5, m->automated);
	store_bind_text(st, 6, m->rcpt);
	store_bind_text(st, 7, key);
	store_bind_text(st, 8, m->sender);
	store_bind_text(st, 9, m->subject);
	store_bind_text(st, 10, m->message_id);
	store_bind_text(st, 11, m->state);
	store_bind_int(st, 12, m->queued);
	store_bind_int(st, 13, m->next_attempt);
	store_bind_int(st, 14, m->attempts);
	store_bind_id(st, 15, m->date);
	store_bind_text(st, 16, m->lease_owner);
	store_bind_id(st, 17, m->sent_at);
	store_bind_text(st, 18, m->last_reply);
	store_bind_text(st, 19, m->reason);
	store_bind_id(st, 20, enrollment_id);
	rc = store_step_done(s, st, "cannot save the message", e);
	free(key);
	if (rc != 0)
		return rc;
	if ((rc = store_prepare(s, "INSERT INTO outbox_data (id, data) VALUES "
	    "(?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, m->id);
	sqlite3_bind_blob(st, 2, m->data, (int)m->len, SQLITE_STATIC);
	return store_step_done(s, st, "cannot save the message", e);
}

/* ---- sequences, enrollments and mail in (issue 6) ---- */

int
store_backup_sequence_next(struct store *s, struct arena *a, int64_t after,
    struct store_sequence **out, struct err *e)
{
	struct store_sequence	*q;
	sqlite3_stmt		*st;
	int			 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT id, name, source, paused, created, "
	    "updated FROM sequences WHERE id > ? ORDER BY id LIMIT 1", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read sequences", e);
	}
	q = arena_alloc(a, sizeof *q);
	memset(q, 0, sizeof *q);
	q->id = store_col_int(st, 0);
	q->name = store_col_text(a, st, 1);
	q->source = store_col_text(a, st, 2);
	q->paused = store_col_int(st, 3) != 0;
	q->created = store_col_int(st, 4);
	q->updated = store_col_int(st, 5);
	sqlite3_reset(st);
	*out = q;
	return 1;
}

int
store_backup_enrollment_next(struct store *s, struct arena *a, int64_t after,
    struct enrollment **out, struct err *e)
{
	struct enrollment	*r;
	sqlite3_stmt		*st;
	int			 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT id, contact_id, sequence_id, "
	    "deal_id, deal_stage, state, step, next_at, base_at, hold_until, "
	    "hold_followup_id, tz, cycles, sent, started, ended, end_reason, "
	    "updated FROM enrollments WHERE id > ? ORDER BY id LIMIT 1", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read enrollments", e);
	}
	r = arena_alloc(a, sizeof *r);
	memset(r, 0, sizeof *r);
	r->id = store_col_int(st, 0);
	r->contact_id = store_col_int(st, 1);
	r->sequence_id = store_col_int(st, 2);
	r->deal_id = store_col_int(st, 3);
	r->deal_stage = store_col_text(a, st, 4);
	r->state = store_col_text(a, st, 5);
	r->step = (int)store_col_int(st, 6);
	r->next_at = store_col_int(st, 7);
	r->base_at = store_col_int(st, 8);
	r->hold_until = store_col_int(st, 9);
	r->hold_followup_id = store_col_int(st, 10);
	r->tz = store_col_text(a, st, 11);
	r->cycles = (int)store_col_int(st, 12);
	r->sent = (int)store_col_int(st, 13);
	r->started = store_col_int(st, 14);
	r->ended = store_col_int(st, 15);
	r->end_reason = store_col_text(a, st, 16);
	r->updated = store_col_int(st, 17);
	sqlite3_reset(st);
	*out = r;
	return 1;
}

int
store_backup_inbound_next(struct store *s, struct arena *a, int64_t after,
    struct store_inbound **out, char **data, size_t *len, struct err *e)
{
	struct store_inbound	*m;
	sqlite3_stmt		*st;
	const void		*blob;
	int			 rc;

	*out = NULL;
	*data = NULL;
	*len = 0;
	if ((rc = store_prepare(s, "SELECT i.id, i.key, i.received, i.source, "
	    "i.class, i.contact_id, i.from_addr, i.subject, i.why, i.effect, "
	    "d.data FROM inbound i LEFT JOIN inbound_data d ON d.id = i.id "
	    "WHERE i.id > ? ORDER BY i.id LIMIT 1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read the mail read", e);
	}
	m = arena_alloc(a, sizeof *m);
	memset(m, 0, sizeof *m);
	m->id = store_col_int(st, 0);
	m->key = store_col_text(a, st, 1);
	m->received = store_col_int(st, 2);
	m->source = store_col_text(a, st, 3);
	m->cls = store_col_text(a, st, 4);
	m->contact_id = store_col_int(st, 5);
	m->from_addr = store_col_text(a, st, 6);
	m->subject = store_col_text(a, st, 7);
	m->why = store_col_text(a, st, 8);
	m->effect = store_col_text(a, st, 9);
	/* a row without its data (none is written so) reads as empty */
	blob = sqlite3_column_blob(st, 10);
	*len = (size_t)sqlite3_column_bytes(st, 10);
	*data = arena_alloc(a, *len + 1);
	if (*len > 0)
		memcpy(*data, blob, *len);
	(*data)[*len] = '\0';
	sqlite3_reset(st);
	*out = m;
	return 1;
}

int
store_backup_imap_next(struct store *s, struct arena *a, const char *after,
    struct store_imap_row **out, struct err *e)
{
	struct store_imap_row	*v;
	sqlite3_stmt		*st;
	int			 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT mailbox, uidvalidity, last_uid FROM "
	    "imap_state WHERE ?1 IS NULL OR mailbox > ?1 ORDER BY mailbox "
	    "LIMIT 1", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read the IMAP state", e);
	}
	v = arena_alloc(a, sizeof *v);
	v->mailbox = store_col_text(a, st, 0);
	v->uidvalidity = store_col_int(st, 1);
	v->last_uid = store_col_int(st, 2);
	sqlite3_reset(st);
	*out = v;
	return 1;
}

int
store_backup_soft_bounce_next(struct store *s, struct arena *a,
    const char *after, struct store_soft_bounce **out, struct err *e)
{
	struct store_soft_bounce	*v;
	sqlite3_stmt			*st;
	int				 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT address_key, count, last_at FROM "
	    "soft_bounces WHERE ?1 IS NULL OR address_key > ?1 ORDER BY "
	    "address_key LIMIT 1", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, after);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(s, rc, "cannot read the soft bounces", e);
	}
	v = arena_alloc(a, sizeof *v);
	v->address = store_col_text(a, st, 0);
	v->count = store_col_int(st, 1);
	v->last_at = store_col_int(st, 2);
	sqlite3_reset(st);
	*out = v;
	return 1;
}

int
store_backup_sequence_add(struct store *s, const struct store_sequence *q,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO sequences (id, name, source, "
	    "paused, created, updated) VALUES (?, ?, ?, ?, ?, ?)", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, q->id);
	store_bind_text(st, 2, q->name);
	store_bind_text(st, 3, q->source);
	store_bind_int(st, 4, q->paused != 0);
	store_bind_int(st, 5, q->created);
	store_bind_int(st, 6, q->updated);
	return store_step_done(s, st, "cannot save the sequence", e);
}

int
store_backup_enrollment_add(struct store *s, const struct enrollment *r,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO enrollments (id, contact_id, "
	    "sequence_id, deal_id, deal_stage, state, step, next_at, base_at, "
	    "hold_until, hold_followup_id, tz, cycles, sent, started, ended, "
	    "end_reason, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, r->id);
	store_bind_int(st, 2, r->contact_id);
	store_bind_int(st, 3, r->sequence_id);
	store_bind_id(st, 4, r->deal_id);
	store_bind_text(st, 5, r->deal_stage);
	store_bind_text(st, 6, r->state);
	store_bind_int(st, 7, r->step);
	store_bind_id(st, 8, r->next_at);
	store_bind_int(st, 9, r->base_at);
	store_bind_id(st, 10, r->hold_until);
	store_bind_id(st, 11, r->hold_followup_id);
	store_bind_text(st, 12, r->tz);
	store_bind_int(st, 13, r->cycles);
	store_bind_int(st, 14, r->sent);
	store_bind_int(st, 15, r->started);
	store_bind_id(st, 16, r->ended);
	store_bind_text(st, 17, r->end_reason);
	store_bind_int(st, 18, r->updated);
	return store_step_done(s, st, "cannot save the enrollment", e);
}

int
store_backup_followup_mark(struct store *s, int64_t id, int64_t enrollment_id,
    const char *origin, int64_t escalated, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE followups SET enrollment_id = ?, "
	    "origin = ?, escalated = ? WHERE id = ?", &st, e)) != 0)
		return rc;
	store_bind_id(st, 1, enrollment_id);
	store_bind_text(st, 2, origin);
	store_bind_id(st, 3, escalated);
	store_bind_int(st, 4, id);
	return store_step_done(s, st, "cannot save follow-up", e);
}

int
store_backup_inbound_add(struct store *s, const struct store_inbound *m,
    const char *data, size_t len, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO inbound (id, key, received, "
	    "source, class, contact_id, from_addr, subject, why, effect) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, m->id);
	store_bind_text(st, 2, m->key);
	store_bind_int(st, 3, m->received);
	store_bind_text(st, 4, m->source);
	store_bind_text(st, 5, m->cls);
	store_bind_id(st, 6, m->contact_id);
	store_bind_text(st, 7, m->from_addr);
	store_bind_text(st, 8, m->subject);
	store_bind_text(st, 9, m->why);
	store_bind_text(st, 10, m->effect);
	if ((rc = store_step_done(s, st, "cannot save the message read",
	    e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "INSERT INTO inbound_data (id, data) VALUES "
	    "(?, ?)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, m->id);
	/* data is NOT NULL: an empty message is an empty blob */
	sqlite3_bind_blob64(st, 2, len > 0 ? data : "", len, SQLITE_STATIC);
	return store_step_done(s, st, "cannot save the message read", e);
}

int
store_backup_imap_add(struct store *s, const struct store_imap_row *v,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO imap_state (mailbox, "
	    "uidvalidity, last_uid) VALUES (?, ?, ?)", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, v->mailbox);
	store_bind_int(st, 2, v->uidvalidity);
	store_bind_int(st, 3, v->last_uid);
	return store_step_done(s, st, "cannot save the IMAP state", e);
}

int
store_backup_soft_bounce_add(struct store *s,
    const struct store_soft_bounce *v, struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO soft_bounces (address_key, "
	    "count, last_at) VALUES (?, ?, ?)", &st, e)) != 0)
		return rc;
	key = text_fold(v->address);
	store_bind_text(st, 1, key);
	store_bind_int(st, 2, v->count);
	store_bind_int(st, 3, v->last_at);
	rc = store_step_done(s, st, "cannot save the soft bounce", e);
	free(key);
	return rc;
}
