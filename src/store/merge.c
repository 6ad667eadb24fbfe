/*
 * Finding the contact an incoming record already is, and folding one
 * contact into another: the importer's dedupe and `tend merge`.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "util/arena.h"
#include "util/text.h"

/* Phone numbers shorter than this never decide that two are the same. */
#define MATCH_PHONE_MIN	6

static int
match_email(struct store *s, const struct contact *c, int64_t *id,
    struct err *e)
{
	size_t	i;
	int	rc;

	for (i = 0; i < c->emails.n && *id == 0; i++)
		if ((rc = store_email_owner(s, c->emails.v[i], id)) != 0)
			return store_fail(s, rc, "cannot read e-mail addresses",
			    e);
	return 0;
}

static int
match_phone(struct store *s, const struct contact *c, int64_t *id,
    struct err *e)
{
	sqlite3_stmt	*st;
	char		*digits;
	size_t		 i;
	int		 rc;

	for (i = 0; i < c->phones.n && *id == 0; i++) {
		digits = contact_phone_digits(c->phones.v[i]);
		if (strlen(digits) < MATCH_PHONE_MIN) {
			free(digits);
			continue;
		}
		/* min(): the index gives it without a temporary table */
		if ((rc = store_prepare(s, "SELECT min(contact_id) FROM phones "
		    "WHERE digits = ?", &st, e)) != 0) {
			free(digits);
			return rc;
		}
		store_bind_text(st, 1, digits);
		free(digits);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*id = store_col_int(st, 0);	/* NULL reads as 0 */
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(s, rc, "cannot read phones", e);
	}
	return 0;
}

/*
 * Same name (folded) and company (without ASCII case; none matches
 * none).  A record with addresses only matches a contact without any:
 * two people with addresses and none shared are two people.  The lowest
 * id wins (the index's order: no sort, no temporary table).
 */
static int
match_name(struct store *s, const struct contact *c, int64_t *id,
    struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc, nocompany;

	if (c->name == NULL || *c->name == '\0')
		return 0;
	nocompany = c->company == NULL || *c->company == '\0';
	if (nocompany)
		rc = store_prepare(s, "SELECT c.id FROM contacts c WHERE "
		    "c.name_key = ?1 AND c.company IS NULL AND (?2 = 0 OR NOT "
		    "EXISTS (SELECT 1 FROM emails m WHERE m.contact_id = c.id)) "
		    "LIMIT 1", &st, e);
	else
		rc = store_prepare(s, "SELECT c.id FROM contacts c WHERE "
		    "c.name_key = ?1 AND c.company = ?3 COLLATE NOCASE AND (?2 = "
		    "0 OR NOT EXISTS (SELECT 1 FROM emails m WHERE m.contact_id "
		    "= c.id)) LIMIT 1", &st, e);
	if (rc != 0)
		return rc;
	key = text_fold(c->name);
	store_bind_text(st, 1, key);
	free(key);
	store_bind_int(st, 2, c->emails.n > 0);
	if (!nocompany)
		store_bind_text(st, 3, c->company);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = store_col_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read contacts", e);
	return 0;
}

int
store_contact_match(struct store *s, const struct contact *c, int64_t *id,
    const char **how, struct err *e)
{
	int	rc;

	*id = 0;
	*how = NULL;
	if ((rc = match_email(s, c, id, e)) != 0)
		return rc;
	if (*id != 0) {
		*how = "e-mail";
		return 0;
	}
	if ((rc = match_phone(s, c, id, e)) != 0)
		return rc;
	if (*id != 0) {
		*how = "phone";
		return 0;
	}
	if ((rc = match_name(s, c, id, e)) != 0)
		return rc;
	if (*id != 0)
		*how = "name and company";
	return 0;
}

/* Run sql with ?1 = keep and ?2 = gone. */
static int
merge_move(struct store *s, const char *sql, int64_t keep, int64_t gone,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, sql, &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, keep);
	store_bind_int(st, 2, gone);
	return store_step_done(s, st, "cannot merge contacts", e);
}

int
store_contact_move_history(struct store *s, int64_t keep, int64_t gone,
    struct err *e)
{
	int	rc;

	if ((rc = merge_move(s, "UPDATE interactions SET contact_id = ?1 "
	    "WHERE contact_id = ?2", keep, gone, e)) != 0 ||
	    (rc = merge_move(s, "UPDATE followups SET contact_id = ?1 WHERE "
	    "contact_id = ?2", keep, gone, e)) != 0 ||
	    (rc = merge_move(s, "UPDATE deals SET contact_id = ?1 WHERE "
	    "contact_id = ?2", keep, gone, e)) != 0 ||
	    (rc = merge_move(s, "UPDATE contacts SET via_id = NULL WHERE id = "
	    "?1 AND via_id = ?2", keep, gone, e)) != 0 ||
	    (rc = merge_move(s, "UPDATE contacts SET via_id = ?1 WHERE via_id "
	    "= ?2", keep, gone, e)) != 0 ||
	    /* keep's own cadence wins; else it takes the other's */
	    (rc = merge_move(s, "UPDATE cadences SET contact_id = ?1 WHERE "
	    "contact_id = ?2 AND NOT EXISTS (SELECT 1 FROM cadences WHERE "
	    "contact_id = ?1)", keep, gone, e)) != 0 ||
	    /*
	     * Sequences and mail, which the delete would otherwise take
	     * (enrollments) or unlink (messages queued and read).  The
	     * caller has ended gone's enrollments in a sequence keep is
	     * active in too: at most one active per contact and sequence.
	     */
	    (rc = merge_move(s, "UPDATE enrollments SET contact_id = ?1 "
	    "WHERE contact_id = ?2", keep, gone, e)) != 0 ||
	    (rc = merge_move(s, "UPDATE inbound SET contact_id = ?1 WHERE "
	    "contact_id = ?2", keep, gone, e)) != 0 ||
	    (rc = merge_move(s, "UPDATE outbox SET contact_id = ?1 WHERE "
	    "contact_id = ?2", keep, gone, e)) != 0)
		return rc;
	return 0;
}

int
store_extra_find(struct store *s, struct arena *a, const char *name,
    int64_t **ids, char ***values, size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	size_t		 icap, vcap = 0;
	int		 rc;

	*ids = NULL;
	*values = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT contact_id, value FROM "
	    "contact_extras WHERE name = ? COLLATE NOCASE ORDER BY id", &st,
	    e)) != 0)
		return rc;
	store_bind_text(st, 1, name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		icap = vcap;	/* the two arrays grow together */
		*ids = arena_grow(a, *ids, *n, &icap, sizeof **ids);
		*values = arena_grow(a, *values, *n, &vcap, sizeof **values);
		(*ids)[*n] = store_col_int(st, 0);
		(*values)[*n] = store_col_text(a, st, 1);
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read contacts", e);
	return 0;
}

int
store_extra_delete(struct store *s, int64_t id, const char *name,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "DELETE FROM contact_extras WHERE "
	    "contact_id = ? AND name = ? COLLATE NOCASE", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, name);
	return store_step_done(s, st, "cannot save contact", e);
}

int
store_contact_via_set(struct store *s, int64_t id, int64_t via,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE contacts SET via_id = ? WHERE id "
	    "= ?", &st, e)) != 0)
		return rc;
	store_bind_id(st, 1, via);
	store_bind_int(st, 2, id);
	return store_step_done(s, st, "cannot save contact", e);
}
