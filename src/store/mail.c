/*
 * Templates, the outbox and the suppression list.  The outbox is claimed
 * with one atomic statement and a lease, so several senders (threads or
 * processes) never take the same message, and a sender that dies leaves
 * its message claimable again when the lease ends.
 */
#include <stdlib.h>
#include <string.h>

#include "core/outbox.h"
#include "store/internal.h"
#include "util/arena.h"
#include "util/text.h"

/* ---- templates ---- */

void
store_template_row(struct arena *a, sqlite3_stmt *st, struct template *t)
{
	t->id = store_col_int(st, 0);
	t->name = store_col_text(a, st, 1);
	t->subject = store_col_text(a, st, 2);
	t->body = store_col_text(a, st, 3);
	t->html = store_col_text(a, st, 4);
	t->starter = store_col_int(st, 5) != 0;
	t->created = store_col_int(st, 6);
	t->updated = store_col_int(st, 7);
}

int
store_template_get(struct store *s, struct arena *a, const char *name,
    struct template **out, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " TEMPLATE_COLS "FROM templates "
	    "WHERE name = ?1", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = arena_alloc(a, sizeof **out);
		store_template_row(a, st, *out);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return err_set(e, TEND_ENOTFOUND, "template '%s' not found",
		    name);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read templates", e);
	return 0;
}

int
store_template_list(struct store *s, struct arena *a, struct template **out,
    size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	struct template	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*n = 0;
	if ((rc = store_prepare(s, "SELECT " TEMPLATE_COLS "FROM templates "
	    "ORDER BY name", &st, e)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, *n, &cap, sizeof *v);
		store_template_row(a, st, &v[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read templates", e);
	*out = v;
	return 0;
}

int
store_template_put(struct store *s, struct template *t, int64_t now,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (t->id == 0) {
		if ((rc = store_prepare(s, "INSERT INTO templates (name, "
		    "subject, body, html, starter, created, updated) VALUES "
		    "(?1, ?2, ?3, ?4, 0, ?5, ?5)", &st, e)) != 0)
			return rc;
	} else if ((rc = store_prepare(s, "UPDATE templates SET name = ?1, "
	    "subject = ?2, body = ?3, html = ?4, updated = ?5 WHERE id = ?6",
	    &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, t->name);
	store_bind_text(st, 2, t->subject);
	store_bind_text(st, 3, t->body);
	store_bind_text(st, 4, t->html);
	store_bind_int(st, 5, now);
	if (t->id != 0)
		store_bind_int(st, 6, t->id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(e, TEND_ECONFLICT, "template '%s' already "
		    "exists", t->name);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot save template", e);
	if (t->id == 0)
		t->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_template_rm(struct store *s, const char *name, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "DELETE FROM templates WHERE name = ?1",
	    &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, name);
	if ((rc = store_step_done(s, st, "cannot remove template", e)) != 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return err_set(e, TEND_ENOTFOUND, "template '%s' not found",
		    name);
	return 0;
}

/* ---- outbox ---- */

/* Column 10 is the message, or NULL where it is not wanted. */
#define OUTBOX_HEAD "o.id, o.contact_id, c.name, o.deal_id, o.template, " \
	"o.automated, o.rcpt, o.sender, o.subject, o.message_id, "
#define OUTBOX_TAIL ", o.state, o.queued, o.due, o.attempts, o.date, " \
	"o.lease_owner, o.sent_at, o.last_reply, o.reason "

static void
outbox_row(struct arena *a, sqlite3_stmt *st, struct outbox_msg *m,
    int with_data)
{
	const void	*blob;

	memset(m, 0, sizeof *m);
	m->id = store_col_int(st, 0);
	m->contact_id = store_col_int(st, 1);
	m->contact_name = store_col_text(a, st, 2);
	m->deal_id = store_col_int(st, 3);
	m->template = store_col_text(a, st, 4);
	m->automated = (int)store_col_int(st, 5);
	m->rcpt = store_col_text(a, st, 6);
	m->sender = store_col_text(a, st, 7);
	m->subject = store_col_text(a, st, 8);
	m->message_id = store_col_text(a, st, 9);
	if (with_data) {
		blob = sqlite3_column_blob(st, 10);
		m->len = (size_t)sqlite3_column_bytes(st, 10);
		m->data = arena_alloc(a, m->len + 1);
		if (m->len > 0)
			memcpy(m->data, blob, m->len);
	}
	m->state = store_col_text(a, st, 11);
	m->queued = store_col_int(st, 12);
	if (strcmp(m->state, "sending") == 0)
		m->lease_until = store_col_int(st, 13);
	else if (strcmp(m->state, "queued") == 0 ||
	    strcmp(m->state, "deferred") == 0)
		m->next_attempt = store_col_int(st, 13);
	m->attempts = (int)store_col_int(st, 14);
	m->date = store_col_int(st, 15);
	m->lease_owner = store_col_text(a, st, 16);
	m->sent_at = store_col_int(st, 17);
	m->last_reply = store_col_text(a, st, 18);
	m->reason = store_col_text(a, st, 19);
}

int
store_outbox_add(struct store *s, struct outbox_msg *m, struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO outbox (contact_id, deal_id, "
	    "template, automated, rcpt, rcpt_key, sender, subject, "
	    "message_id, state, queued, due, reason) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?11, ?12, ?13, ?14)", &st, e)) != 0)
		return rc;
	key = text_fold(m->rcpt);
	store_bind_id(st, 1, m->contact_id);
	store_bind_id(st, 2, m->deal_id);
	store_bind_text(st, 3, m->template);
	store_bind_int(st, 4, m->automated);
	store_bind_text(st, 5, m->rcpt);
	store_bind_text(st, 6, key);
	store_bind_text(st, 7, m->sender);
	store_bind_text(st, 8, m->subject);
	store_bind_text(st, 9, m->message_id);
	store_bind_text(st, 11, m->state);
	store_bind_int(st, 12, m->queued);
	store_bind_int(st, 13, m->next_attempt);
	store_bind_text(st, 14, m->reason);
	rc = store_step_done(s, st, "cannot queue the message", e);
	free(key);
	if (rc != 0)
		return rc;
	m->id = sqlite3_last_insert_rowid(s->db);
	if ((rc = store_prepare(s, "INSERT INTO outbox_data (id, data) VALUES "
	    "(?1, ?2)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, m->id);
	sqlite3_bind_blob(st, 2, m->data, (int)m->len, SQLITE_STATIC);
	return store_step_done(s, st, "cannot queue the message", e);
}

int
store_outbox_get(struct store *s, struct arena *a, int64_t id,
    struct outbox_msg **out, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " OUTBOX_HEAD "d.data" OUTBOX_TAIL
	    "FROM outbox o LEFT JOIN contacts c ON c.id = o.contact_id LEFT "
	    "JOIN outbox_data d ON d.id = o.id WHERE o.id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = arena_alloc(a, sizeof **out);
		outbox_row(a, st, *out, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return err_set(e, TEND_ENOTFOUND, "message '%lld' not found",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read the outbox", e);
	return 0;
}

int
store_outbox_list(struct store *s, struct arena *a, const char *state,
    int64_t contact_id, struct outbox_msg **out, size_t *n, struct err *e)
{
	sqlite3_stmt		*st;
	struct outbox_msg	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*n = 0;
	if ((rc = store_prepare(s, "SELECT " OUTBOX_HEAD "NULL" OUTBOX_TAIL
	    "FROM outbox o "
	    "LEFT JOIN contacts c ON c.id = o.contact_id WHERE (?1 IS NULL "
	    "OR o.state = ?1) AND (?2 IS NULL OR o.contact_id = ?2) "
	    "ORDER BY o.id", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, state);
	store_bind_id(st, 2, contact_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, *n, &cap, sizeof *v);
		outbox_row(a, st, &v[(*n)++], 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the outbox", e);
	*out = v;
	return 0;
}

int
store_outbox_claim(struct store *s, struct arena *a, int64_t now,
    int64_t lease, const char *owner, struct outbox_msg **out, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	/*
	 * One statement: the row is taken, or it is not; two senders can
	 * never both take it.  A message whose lease ran out is taken like
	 * a queued one: its sender died (or hung) before saying how it went.
	 * INDEXED BY: the planner would take outbox_state and sort every
	 * waiting row for each claim.
	 */
	*out = NULL;
	if ((rc = store_prepare(s, "UPDATE outbox SET state = 'sending', "
	    "due = ?1 + ?2, lease_owner = ?3 WHERE id = (SELECT id FROM "
	    "outbox INDEXED BY outbox_due WHERE state IN ('queued', "
	    "'sending', 'deferred') AND due <= ?1 ORDER BY due, id LIMIT 1) "
	    "RETURNING id", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, now);
	store_bind_int(st, 2, lease);
	store_bind_text(st, 3, owner);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t id = store_col_int(st, 0);

		/* RETURNING is done only once the statement has finished */
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_fail(s, rc, "cannot claim a message", e);
		return store_outbox_get(s, a, id, out, e) == 0 ? 1 : TEND_EIO;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot claim a message", e);
	return 0;
}

int
store_outbox_date(struct store *s, int64_t id, int64_t now, int64_t *date,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE outbox SET date = coalesce(date, "
	    "?2) WHERE id = ?1 RETURNING date", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*date = store_col_int(st, 0);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot update the outbox", e);
	return 0;
}

int
store_outbox_finish(struct store *s, int64_t id, const char *owner,
    const struct outbox_result *r, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	/*
	 * Only the sender that holds the lease may finish: when the lease
	 * ran out and another sender took the message, this one's word is
	 * stale and changes nothing.
	 */
	if ((rc = store_prepare(s, "UPDATE outbox SET state = ?3, due = "
	    "coalesce(?4, due), attempts = attempts + ?5, sent_at = ?6, "
	    "last_reply = coalesce(?7, last_reply), reason = ?8, "
	    "lease_owner = NULL WHERE id = ?1 AND state = 'sending' AND "
	    "lease_owner IS ?2", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, owner);
	store_bind_text(st, 3, r->state);
	if (r->next_attempt != 0)
		store_bind_int(st, 4, r->next_attempt);
	store_bind_int(st, 5, r->tried);
	store_bind_id(st, 6, r->sent_at);
	store_bind_text(st, 7, r->reply);
	store_bind_text(st, 8, r->reason);
	if ((rc = store_step_done(s, st, "cannot update the outbox", e)) != 0)
		return rc;
	return sqlite3_changes(s->db) == 1 ? 0 : err_set(e, TEND_ECONFLICT,
	    "message '%lld' is no longer ours (its lease ran out)",
	    (long long)id);
}

int
store_outbox_set(struct store *s, int64_t id, const char *from_states,
    const char *state, int64_t due, const char *reason, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* from_states: a comma list, as "queued,deferred" */
	if ((rc = store_prepare(s, "UPDATE outbox SET state = ?2, due = "
	    "CASE WHEN ?3 = 0 THEN due ELSE ?3 END, reason = ?4, "
	    "lease_owner = NULL WHERE id = ?1 AND instr(',' || ?5 || ',', "
	    "',' || state || ',') > 0", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, state);
	store_bind_int(st, 3, due);
	store_bind_text(st, 4, reason);
	store_bind_text(st, 5, from_states);
	if ((rc = store_step_done(s, st, "cannot update the outbox", e)) != 0)
		return rc;
	return sqlite3_changes(s->db) == 1 ? 0 : TEND_ECONFLICT;
}

/* Times of the rows of sql (bound ?1, ?2) in an arena array. */
static int
outbox_times(struct store *s, struct arena *a, sqlite3_stmt *st,
    int64_t **out, size_t *n, struct err *e)
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
		return store_fail(s, rc, "cannot read the outbox", e);
	*out = v;
	return 0;
}

int
store_outbox_history(struct store *s, struct arena *a, const char *rcpt,
    int64_t since, int64_t now, int64_t self, int64_t **out, size_t *n,
    struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	/* a message being sent counts as sent now: it is on its way */
	if ((rc = store_prepare(s, "SELECT coalesce(sent_at, ?3) AS t FROM "
	    "outbox WHERE rcpt_key = ?1 AND state IN ('sent', 'sending') "
	    "AND coalesce(sent_at, ?3) >= ?2 AND id IS NOT ?4 ORDER BY t", &st,
	    e)) != 0)
		return rc;
	key = text_fold(rcpt);
	store_bind_text(st, 1, key);
	free(key);
	store_bind_int(st, 2, since);
	store_bind_int(st, 3, now);
	store_bind_id(st, 4, self);
	return outbox_times(s, a, st, out, n, e);
}

int
store_outbox_sender_history(struct store *s, struct arena *a, int64_t since,
    int64_t **out, size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "SELECT sent_at FROM outbox WHERE state = "
	    "'sent' AND automated = 1 AND sent_at >= ?1 ORDER BY sent_at",
	    &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, since);
	return outbox_times(s, a, st, out, n, e);
}

int
store_outbox_pending(struct store *s, int64_t *n, int64_t *next,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "SELECT count(*), min(due) FROM outbox "
	    "WHERE state IN ('queued', 'sending', 'deferred')", &st, e)) != 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = store_col_int(st, 0);
		*next = store_col_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read the outbox", e);
	return 0;
}

int
store_contact_reach(struct store *s, struct arena *a, int64_t id,
    int *do_not_contact, char **tz, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "SELECT do_not_contact, tz FROM contacts "
	    "WHERE id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*do_not_contact = store_col_int(st, 0) != 0;
		*tz = store_col_text(a, st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return err_set(e, TEND_ENOTFOUND, "contact %lld not found",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read contacts", e);
	return 0;
}

/* ---- suppressions ---- */

int
store_suppress_add(struct store *s, const char *address, const char *reason,
    const char *detail, int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO suppressions (address_key, "
	    "reason, address, at, detail) VALUES (?1, ?2, ?3, ?4, ?5) ON "
	    "CONFLICT DO NOTHING", &st, e)) != 0)
		return rc;
	key = text_fold(address);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, reason);
	store_bind_text(st, 3, address);
	store_bind_int(st, 4, now);
	store_bind_text(st, 5, detail);
	rc = store_step_done(s, st, "cannot save the suppression", e);
	free(key);
	if (rc != 0)
		return rc;
	return sqlite3_changes(s->db) == 1 ? 0 : TEND_ECONFLICT;
}

int
store_suppress_del(struct store *s, const char *address, const char *reason,
    struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "DELETE FROM suppressions WHERE "
	    "address_key = ?1 AND (?2 IS NULL OR reason = ?2)", &st, e)) != 0)
		return rc;
	key = text_fold(address);
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, reason);
	rc = store_step_done(s, st, "cannot remove the suppression", e);
	free(key);
	if (rc != 0)
		return rc;
	return sqlite3_changes(s->db) > 0 ? 0 : err_set(e, TEND_ENOTFOUND,
	    "'%s' is not on the suppression list", address);
}

int
store_suppress_get(struct store *s, const char *address, int *unsubscribed,
    int *bounced, struct err *e)
{
	sqlite3_stmt	*st;
	const char	*r;
	char		*key;
	int		 rc;

	*unsubscribed = *bounced = 0;
	if ((rc = store_prepare(s, "SELECT reason FROM suppressions WHERE "
	    "address_key = ?1", &st, e)) != 0)
		return rc;
	key = text_fold(address);
	store_bind_text(st, 1, key);
	free(key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(r, "unsubscribed") == 0)
			*unsubscribed = 1;
		else
			*bounced = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the suppression list", e);
	return 0;
}

int
store_suppress_list(struct store *s, struct arena *a,
    struct store_suppression **out, size_t *n, struct err *e)
{
	sqlite3_stmt			*st;
	struct store_suppression	*v = NULL;
	size_t				 cap = 0;
	int				 rc;

	*n = 0;
	if ((rc = store_prepare(s, "SELECT address, reason, at, detail FROM "
	    "suppressions ORDER BY address_key, reason", &st, e)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, *n, &cap, sizeof *v);
		v[*n].address = store_col_text(a, st, 0);
		v[*n].reason = store_col_text(a, st, 1);
		v[*n].at = store_col_int(st, 2);
		v[*n].detail = store_col_text(a, st, 3);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the suppression list", e);
	*out = v;
	return 0;
}

int
store_outbox_retry(struct store *s, int64_t id, int64_t now, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* a new start: a new give-up clock and a new Date, the same id */
	if ((rc = store_prepare(s, "UPDATE outbox SET state = 'queued', due = "
	    "?2, attempts = 0, date = NULL, reason = NULL, lease_owner = NULL "
	    "WHERE id = ?1 AND state IN ('deferred', 'failed', 'cancelled')",
	    &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, now);
	if ((rc = store_step_done(s, st, "cannot update the outbox", e)) != 0)
		return rc;
	return sqlite3_changes(s->db) == 1 ? 0 : TEND_ECONFLICT;
}
