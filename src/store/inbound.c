/*
 * Mail in, in the store: the messages tend read (once per key), where
 * IMAP polling got to, soft bounces, and the follow-ups mail in opens
 * (replies to answer, inquiries to escalate).
 */
#include <stdlib.h>
#include <string.h>

#include "core/interaction.h"
#include "store/internal.h"
#include "util/arena.h"
#include "util/text.h"

int
store_inbound_find(struct store *s, const char *key, int64_t *id,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*id = 0;
	if ((rc = store_prepare(s, "SELECT id FROM inbound WHERE key = ?1",
	    &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		return 1;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the mail read", e);
	return 0;
}

int
store_inbound_add(struct store *s, struct store_inbound *m,
    const char *data, size_t len, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO inbound (key, received, "
	    "source, class, contact_id, from_addr, subject, why, effect) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, m->key);
	store_bind_int(st, 2, m->received);
	store_bind_text(st, 3, m->source);
	store_bind_text(st, 4, m->cls);
	store_bind_id(st, 5, m->contact_id);
	store_bind_text(st, 6, m->from_addr);
	store_bind_text(st, 7, m->subject);
	store_bind_text(st, 8, m->why);
	store_bind_text(st, 9, m->effect);
	if ((rc = store_step_done(s, st, "cannot record the message",
	    e)) != 0)
		return rc;
	m->id = sqlite3_last_insert_rowid(s->db);
	if ((rc = store_prepare(s, "INSERT INTO inbound_data (id, data) "
	    "VALUES (?1, ?2)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, m->id);
	sqlite3_bind_blob64(st, 2, data, len, SQLITE_STATIC);
	return store_step_done(s, st, "cannot record the message", e);
}

#define INBOUND_COLS "i.id, i.key, i.received, i.source, i.class, " \
	"i.contact_id, c.name, i.from_addr, i.subject, i.why, i.effect "

static void
inbound_row(struct arena *a, sqlite3_stmt *st, struct store_inbound *m)
{
	m->id = store_col_int(st, 0);
	m->key = store_col_text(a, st, 1);
	m->received = store_col_int(st, 2);
	m->source = store_col_text(a, st, 3);
	m->cls = store_col_text(a, st, 4);
	m->contact_id = store_col_int(st, 5);
	m->contact_name = store_col_text(a, st, 6);
	m->from_addr = store_col_text(a, st, 7);
	m->subject = store_col_text(a, st, 8);
	m->why = store_col_text(a, st, 9);
	m->effect = store_col_text(a, st, 10);
}

int
store_inbound_list(struct store *s, struct arena *a, size_t limit,
    struct store_inbound **out, size_t *n, struct err *e)
{
	sqlite3_stmt		*st;
	struct store_inbound	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT " INBOUND_COLS "FROM inbound i "
	    "LEFT JOIN contacts c ON c.id = i.contact_id ORDER BY i.id DESC "
	    "LIMIT ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct store_inbound *nv;

			cap = cap ? cap * 2 : 16;
			nv = arena_alloc(a, cap * sizeof *nv);
			if (*n > 0)
				memcpy(nv, v, *n * sizeof *nv);
			v = nv;
		}
		memset(&v[*n], 0, sizeof v[*n]);
		inbound_row(a, st, &v[(*n)++]);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the mail read", e);
	*out = v;
	return 0;
}

int
store_inbound_get(struct store *s, struct arena *a, int64_t id,
    struct store_inbound **out, char **data, size_t *len, struct err *e)
{
	sqlite3_stmt	*st;
	const void	*p;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " INBOUND_COLS ", d.data FROM "
	    "inbound i LEFT JOIN contacts c ON c.id = i.contact_id LEFT JOIN "
	    "inbound_data d ON d.id = i.id WHERE i.id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return err_set(e, TEND_ENOTFOUND, "message '%lld' not found",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read the message", e);
	*out = arena_alloc(a, sizeof **out);
	memset(*out, 0, sizeof **out);
	inbound_row(a, st, *out);
	if (data != NULL) {
		*len = (size_t)sqlite3_column_bytes(st, 11);
		p = sqlite3_column_blob(st, 11);
		*data = arena_alloc(a, *len + 1);
		if (*len > 0)
			memcpy(*data, p, *len);
		(*data)[*len] = '\0';
	}
	return 0;
}

int
store_outbox_by_message_id(struct store *s, const char *mid, int64_t *id,
    int64_t *contact_id, int *automated, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*id = *contact_id = 0;
	*automated = 0;
	if ((rc = store_prepare(s, "SELECT id, contact_id, automated FROM "
	    "outbox WHERE message_id = ?1", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, mid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*contact_id = sqlite3_column_int64(st, 1);
		*automated = sqlite3_column_int(st, 2);
		return 1;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the outbox", e);
	return 0;
}

int
store_outbox_recent(struct store *s, const char *rcpt, int automated,
    int64_t since, int *found, struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	*found = 0;
	if ((rc = store_prepare(s, "SELECT 1 FROM outbox WHERE rcpt_key = ?1 "
	    "AND queued >= ?2 AND automated = ?3 AND state <> 'cancelled' "
	    "LIMIT 1", &st, e)) != 0)
		return rc;
	key = text_fold(rcpt);
	store_bind_text(st, 1, key);
	store_bind_int(st, 2, since);
	store_bind_int(st, 3, automated);
	rc = sqlite3_step(st);
	free(key);
	if (rc == SQLITE_ROW) {
		*found = 1;
		return 0;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the outbox", e);
	return 0;
}

int
store_imap_state_get(struct store *s, const char *mailbox,
    int64_t *uidvalidity, int64_t *last_uid, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*uidvalidity = *last_uid = 0;
	if ((rc = store_prepare(s, "SELECT uidvalidity, last_uid FROM "
	    "imap_state WHERE mailbox = ?1", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, mailbox);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*uidvalidity = sqlite3_column_int64(st, 0);
		*last_uid = sqlite3_column_int64(st, 1);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the mailbox state", e);
	return 0;
}

int
store_imap_state_set(struct store *s, const char *mailbox,
    int64_t uidvalidity, int64_t last_uid, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO imap_state (mailbox, "
	    "uidvalidity, last_uid) VALUES (?1, ?2, ?3) ON CONFLICT (mailbox) "
	    "DO UPDATE SET uidvalidity = ?2, last_uid = ?3", &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, mailbox);
	store_bind_int(st, 2, uidvalidity);
	store_bind_int(st, 3, last_uid);
	return store_step_done(s, st, "cannot save the mailbox state", e);
}

int
store_soft_bounce(struct store *s, const char *addr, int64_t now,
    int *count, struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	*count = 0;
	if ((rc = store_prepare(s, "INSERT INTO soft_bounces (address_key, "
	    "count, last_at) VALUES (?1, 1, ?2) ON CONFLICT (address_key) DO "
	    "UPDATE SET count = CASE WHEN last_at < ?2 - 30 * 86400 THEN 1 "
	    "ELSE count + 1 END, last_at = ?2 RETURNING count", &st, e)) != 0)
		return rc;
	key = text_fold(addr);
	store_bind_text(st, 1, key);
	store_bind_int(st, 2, now);
	rc = sqlite3_step(st);
	free(key);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot count the bounce", e);
	*count = sqlite3_column_int(st, 0);
	/* RETURNING: run the statement to its end */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot count the bounce", e);
	return 0;
}

int
store_followup_origin(struct store *s, int64_t id, const char *origin,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE followups SET origin = ?2 WHERE "
	    "id = ?1", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, origin);
	return store_step_done(s, st, "cannot save the follow-up", e);
}

int
store_inquiry_overdue(struct store *s, struct arena *a, int64_t before,
    struct followup **out, size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	struct followup	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT f.id, f.contact_id, c.name, "
	    "f.reason, f.created FROM followups f JOIN contacts c ON c.id = "
	    "f.contact_id WHERE f.kind = 'inquiry' AND f.state IN ('open', "
	    "'snoozed') AND f.state = 'open' AND f.created < ?1 AND "
	    "f.escalated IS NULL ORDER BY f.created LIMIT 100", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, before);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct followup	*nv;

			cap = cap ? cap * 2 : 8;
			nv = arena_alloc(a, cap * sizeof *nv);
			if (*n > 0)
				memcpy(nv, v, *n * sizeof *nv);
			v = nv;
		}
		memset(&v[*n], 0, sizeof v[*n]);
		v[*n].id = store_col_int(st, 0);
		v[*n].contact_id = store_col_int(st, 1);
		v[*n].contact_name = store_col_text(a, st, 2);
		v[*n].reason = store_col_text(a, st, 3);
		v[*n].created = store_col_int(st, 4);
		v[*n].kind = "inquiry";
		v[*n].state = "open";
		(*n)++;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the inquiries", e);
	*out = v;
	return 0;
}

int
store_inquiry_escalate(struct store *s, int64_t id, int64_t at,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE followups SET escalated = ?2 WHERE "
	    "id = ?1 AND escalated IS NULL", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, at);
	return store_step_done(s, st, "cannot save the inquiry", e);
}

int
store_spool_add(struct store *s, int64_t received, const char *source,
    const char *data, size_t len, int64_t *id, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO inbound_spool (received, "
	    "source, data) VALUES (?1, ?2, ?3)", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, received);
	store_bind_text(st, 2, source);
	sqlite3_bind_blob64(st, 3, data, len, SQLITE_STATIC);
	if ((rc = store_step_done(s, st, "cannot keep the message", e)) != 0)
		return rc;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_spool_next(struct store *s, struct arena *a, int64_t *id,
    int64_t *received, char **source, char **data, size_t *len,
    struct err *e)
{
	sqlite3_stmt	*st;
	const void	*p;
	int		 rc;

	if ((rc = store_prepare(s, "SELECT id, received, source, data FROM "
	    "inbound_spool ORDER BY id LIMIT 1", &st, e)) != 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "cannot read the spool", e);
	*id = sqlite3_column_int64(st, 0);
	*received = sqlite3_column_int64(st, 1);
	*source = store_col_text(a, st, 2);
	*len = (size_t)sqlite3_column_bytes(st, 3);
	p = sqlite3_column_blob(st, 3);
	*data = arena_alloc(a, *len + 1);
	if (*len > 0)
		memcpy(*data, p, *len);
	(*data)[*len] = '\0';
	sqlite3_reset(st);
	return 1;
}

int
store_spool_del(struct store *s, int64_t id, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "DELETE FROM inbound_spool WHERE id = ?1",
	    &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	return store_step_done(s, st, "cannot empty the spool", e);
}

int
store_spool_pending(struct store *s, struct err *e)
{
	return store_exists(s, "SELECT 1 FROM inbound_spool WHERE id > ?",
	    0, e);
}
