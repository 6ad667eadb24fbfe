/*
 * Contacts with their addresses, phones and tags.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "util/arena.h"
#include "util/text.h"
#include "util/xmalloc.h"

void
store_contact_row(struct arena *a, sqlite3_stmt *st, struct contact *c)
{
	c->id = store_col_int(st, 0);
	c->name = store_col_text(a, st, 1);
	c->company = store_col_text(a, st, 2);
	c->title = store_col_text(a, st, 3);
	c->kind = store_col_text(a, st, 4);
	c->tz = store_col_text(a, st, 5);
	c->met_where = store_col_text(a, st, 6);
	c->met_on = store_col_int(st, 7);
	c->via_id = store_col_int(st, 8);
	c->via_name = store_col_text(a, st, 9);
	c->source = store_col_text(a, st, 10);
	c->needs = store_col_text(a, st, 11);
	c->notes = store_col_text(a, st, 12);
	c->do_not_contact = (int)store_col_int(st, 13);
	c->archived = (int)store_col_int(st, 14);
	c->last_touch = store_col_int(st, 15);
	c->created = store_col_int(st, 16);
	c->updated = store_col_int(st, 17);
	c->cadence = store_col_text(a, st, 18);
	c->cadence_due = store_col_int(st, 19);
}

int
store_email_owner(struct store *s, const char *addr, int64_t *id)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	*id = 0;
	if ((rc = store_prepare(s, "SELECT contact_id FROM emails WHERE "
	    "address_key = ?", &st, NULL)) != 0)
		return rc;
	key = text_fold(addr);
	store_bind_text(st, 1, key);
	free(key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = store_col_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read e-mail addresses", NULL);
	return 0;
}

/* Write the addresses, phones and tags of contact id (after a delete). */
static int
contact_write_lists(struct store *s, int64_t id, const struct contact *c,
    struct err *e)
{
	sqlite3_stmt	*st;
	int64_t		 owner;
	size_t		 i;
	char		*key;
	int		 rc;

	for (i = 0; i < c->emails.n; i++) {
		if ((rc = store_email_owner(s, c->emails.v[i], &owner)) != 0)
			return store_fail(s, rc, "cannot read e-mail addresses",
			    e);
		/* the same address in other case, already written above */
		if (owner == id)
			continue;
		if (owner != 0)
			return err_set(e, TEND_ECONFLICT, "e-mail address '%s' "
			    "already belongs to contact %lld", c->emails.v[i],
			    (long long)owner);
		if ((rc = store_prepare(s, "INSERT INTO emails (contact_id, "
		    "address, address_key, is_primary, label) VALUES (?, ?, ?, "
		    "?, ?)", &st, e)) != 0)
			return rc;
		key = text_fold(c->emails.v[i]);
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, c->emails.v[i]);
		store_bind_text(st, 3, key);
		store_bind_int(st, 4, i == 0);
		store_bind_text(st, 5, strlist_label(&c->emails, i));
		free(key);
		if ((rc = store_step_done(s, st, "cannot save e-mail address",
		    e)) != 0)
			return rc;
	}
	for (i = 0; i < c->phones.n; i++) {
		if ((rc = store_prepare(s, "INSERT INTO phones (contact_id, "
		    "number, digits, is_primary, label) VALUES (?, ?, ?, ?, ?)",
		    &st, e)) != 0)
			return rc;
		key = contact_phone_digits(c->phones.v[i]);
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, c->phones.v[i]);
		store_bind_text(st, 3, key);
		store_bind_int(st, 4, i == 0);
		store_bind_text(st, 5, strlist_label(&c->phones, i));
		free(key);
		if ((rc = store_step_done(s, st, "cannot save phone", e)) != 0)
			return rc;
	}
	for (i = 0; i < c->tags.n; i++) {
		if ((rc = store_prepare(s, "INSERT INTO tags (name) VALUES (?) "
		    "ON CONFLICT DO NOTHING", &st, e)) != 0)
			return rc;
		store_bind_text(st, 1, c->tags.v[i]);
		if ((rc = store_step_done(s, st, "cannot save tag", e)) != 0)
			return rc;
		if ((rc = store_prepare(s, "INSERT OR IGNORE INTO contact_tags "
		    "(contact_id, tag_id) SELECT ?, id FROM tags WHERE name = ?",
		    &st, e)) != 0)
			return rc;
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, c->tags.v[i]);
		if ((rc = store_step_done(s, st, "cannot save tag", e)) != 0)
			return rc;
	}
	for (i = 0; i < c->nextras; i++) {
		const struct contact_extra *x = &c->extras[i];

		if ((rc = store_prepare(s, "INSERT INTO contact_extras "
		    "(contact_id, grp, name, params, value) VALUES (?, ?, ?, "
		    "?, ?)", &st, e)) != 0)
			return rc;
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, x->group);
		store_bind_text(st, 3, x->name);
		store_bind_text(st, 4, x->params);
		store_bind_text(st, 5, x->value != NULL ? x->value : "");
		if ((rc = store_step_done(s, st, "cannot save contact", e)) != 0)
			return rc;
	}
	return 0;
}

static void
contact_bind_fields(sqlite3_stmt *st, const struct contact *c, char *key)
{
	store_bind_text(st, 1, c->name);
	store_bind_text(st, 2, key);
	store_bind_text(st, 3, c->company);
	store_bind_text(st, 4, c->title);
	store_bind_text(st, 5, c->kind != NULL ? c->kind : "other");
	store_bind_text(st, 6, c->tz);
	store_bind_text(st, 7, c->met_where);
	store_bind_id(st, 8, c->met_on);
	store_bind_id(st, 9, c->via_id);
	store_bind_text(st, 10, c->source != NULL ? c->source : "other");
	store_bind_text(st, 11, c->needs);
	store_bind_text(st, 12, c->notes);
	store_bind_int(st, 13, c->do_not_contact);
	store_bind_id(st, 14, c->last_touch);
}

int
store_contact_insert(struct store *s, struct contact *c, int64_t now,
    struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "INSERT INTO contacts (name, name_key, "
	    "company, title, kind, tz, met_where, met_on, via_id, source, "
	    "needs, notes, do_not_contact, last_touch, created, updated) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?15)", &st, e)) != 0)
		return rc;
	key = text_fold(c->name);
	contact_bind_fields(st, c, key);
	store_bind_int(st, 15, now);
	rc = store_step_done(s, st, "cannot save contact", e);
	free(key);
	if (rc != 0)
		return rc;
	c->id = sqlite3_last_insert_rowid(s->db);
	c->created = c->updated = now;
	return contact_write_lists(s, c->id, c, e);
}

int
store_contact_update(struct store *s, const struct contact *c, int64_t now,
    struct err *e)
{
	sqlite3_stmt	*st;
	char		*key;
	int		 rc;

	if ((rc = store_prepare(s, "UPDATE contacts SET name = ?1, name_key "
	    "= ?2, company = ?3, title = ?4, kind = ?5, tz = ?6, met_where = "
	    "?7, met_on = ?8, via_id = ?9, source = ?10, needs = ?11, notes = "
	    "?12, do_not_contact = ?13, last_touch = ?14, updated = ?15 WHERE "
	    "id = ?16", &st, e)) != 0)
		return rc;
	key = text_fold(c->name);
	contact_bind_fields(st, c, key);
	store_bind_int(st, 15, now);
	store_bind_int(st, 16, c->id);
	rc = store_step_done(s, st, "cannot save contact", e);
	free(key);
	if (rc != 0)
		return rc;
	if ((rc = store_prepare(s, "DELETE FROM emails WHERE contact_id = ?",
	    &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, c->id);
	if ((rc = store_step_done(s, st, "cannot save contact", e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "DELETE FROM phones WHERE contact_id = ?",
	    &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, c->id);
	if ((rc = store_step_done(s, st, "cannot save contact", e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "DELETE FROM contact_tags WHERE contact_id "
	    "= ?", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, c->id);
	if ((rc = store_step_done(s, st, "cannot save contact", e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "DELETE FROM contact_extras WHERE "
	    "contact_id = ?", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, c->id);
	if ((rc = store_step_done(s, st, "cannot save contact", e)) != 0)
		return rc;
	return contact_write_lists(s, c->id, c, e);
}

/*
 * Read the strings (column 0) and, when the query has a second column,
 * their labels for contact id into list.
 */
static int
contact_read_list(struct store *s, struct arena *a, const char *sql,
    int64_t id, struct strlist *list, struct err *e)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0, lcap;
	int		 rc, labels;

	list->v = NULL;
	list->label = NULL;
	list->n = 0;
	if ((rc = store_prepare(s, sql, &st, e)) != 0)
		return rc;
	labels = sqlite3_column_count(st) > 1;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (labels) {
			lcap = cap;	/* the two arrays grow together */
			list->label = arena_grow(a, list->label, list->n,
			    &lcap, sizeof *list->label);
			list->label[list->n] = store_col_text(a, st, 1);
		}
		list->v = arena_grow(a, list->v, list->n, &cap,
		    sizeof *list->v);
		list->v[list->n++] = store_col_text(a, st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read contact", e);
	return 0;
}

int
store_contact_read_extras(struct store *s, struct arena *a,
    struct contact *c, struct err *e)
{
	sqlite3_stmt		*st;
	struct contact_extra	*x;
	size_t			 cap = 0;
	int			 rc;

	c->extras = NULL;
	c->nextras = 0;
	if ((rc = store_prepare(s, "SELECT grp, name, params, value FROM "
	    "contact_extras WHERE contact_id = ? ORDER BY id", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->extras = arena_grow(a, c->extras, c->nextras, &cap,
		    sizeof *c->extras);
		x = &c->extras[c->nextras++];
		x->group = store_col_text(a, st, 0);
		x->name = store_col_text(a, st, 1);
		x->params = store_col_text(a, st, 2);
		x->value = store_col_text(a, st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read contact", e);
	return 0;
}

int
store_contact_get(struct store *s, struct arena *a, int64_t id,
    struct contact **out, struct err *e)
{
	sqlite3_stmt	*st;
	struct contact	*c;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT " CONTACT_COLS "FROM contacts c "
	    "LEFT JOIN cadences k ON k.contact_id = c.id WHERE c.id = ?", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return err_set(e, TEND_ENOTFOUND, "contact %lld not "
			    "found", (long long)id);
		return store_fail(s, rc, "cannot read contact", e);
	}
	c = arena_alloc(a, sizeof *c);
	store_contact_row(a, st, c);
	sqlite3_reset(st);
	if ((rc = contact_read_list(s, a, "SELECT address, label FROM emails "
	    "WHERE contact_id = ? ORDER BY is_primary DESC, id", id,
	    &c->emails, e)) != 0 ||
	    (rc = contact_read_list(s, a, "SELECT number, label FROM phones "
	    "WHERE contact_id = ? ORDER BY is_primary DESC, id", id,
	    &c->phones, e)) != 0 ||
	    (rc = store_contact_read_extras(s, a, c, e)) != 0 ||
	    (rc = contact_read_list(s, a, "SELECT t.name FROM contact_tags ct "
	    "JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY "
	    "t.name", id, &c->tags, e)) != 0)
		return rc;
	*out = c;
	return 0;
}

static int
contact_exists(struct store *s, int64_t id, struct err *e)
{
	int	rc;

	rc = store_exists(s, "SELECT 1 FROM contacts WHERE id = ?", id, e);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(e, TEND_ENOTFOUND, "contact %lld not found",
		    (long long)id);
	return 0;
}

static int
ref_is_id(const char *ref, int64_t *id)
{
	const char	*p = ref;
	int64_t		 v = 0;

	if (*p == '#')
		p++;
	if (*p == '\0' || strlen(p) > 18)
		return 0;
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		v = v * 10 + (*p - '0');
	}
	*id = v;
	return 1;
}

int
store_contact_resolve(struct store *s, const char *ref, int64_t *id,
    struct err *e)
{
	sqlite3_stmt	*st;
	char		*lo = NULL, *hi = NULL;
	char		 list[600];
	int64_t		 ids[11], exact = 0;
	size_t		 n = 0, len, off;
	int		 rc, nexact = 0;

	*id = 0;
	if (*ref == '\0')
		return err_set(e, TEND_EUSAGE, "empty contact reference");
	if (ref_is_id(ref, id)) {
		/* ids start at 1: "0" can only be a mistake */
		if (*id == 0)
			return err_set(e, TEND_EUSAGE, "invalid contact id "
			    "'%s'", ref);
		rc = contact_exists(s, *id, e);
		if (rc != 0)
			*id = 0;
		return rc;
	}
	if (strchr(ref, '@') != NULL) {
		if ((rc = store_email_owner(s, ref, id)) != 0)
			return store_fail(s, rc, "cannot read contacts", e);
		if (*id == 0)
			return err_set(e, TEND_ENOTFOUND, "contact '%s' not "
			    "found", ref);
		return 0;
	}
	if ((rc = store_prepare(s, "SELECT id, name, name_key = ?1 FROM "
	    "contacts WHERE name_key >= ?1 AND name_key < ?2 AND archived = 0 "
	    "ORDER BY name_key, id LIMIT 11", &st, e)) != 0)
		return rc;
	lo = text_fold(ref);
	hi = xasprintf("%s\xff", lo);
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	list[0] = '\0';
	off = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ids[n] = store_col_int(st, 0);
		if (store_col_int(st, 2)) {
			exact = ids[n];
			nexact++;
		}
		if (n < 8) {
			len = (size_t)snprintf(list + off, sizeof list - off,
			    "%s%s (%lld)", n > 0 ? ", " : "",
			    (const char *)sqlite3_column_text(st, 1),
			    (long long)ids[n]);
			if (len < sizeof list - off)
				off += len;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		rc = store_fail(s, rc, "cannot read contacts", e);
		goto out;
	}
	rc = 0;
	if (n == 0)
		rc = err_set(e, TEND_ENOTFOUND, "contact '%s' not found", ref);
	else if (n == 1)
		*id = ids[0];
	else if (nexact == 1)
		*id = exact;
	else
		rc = err_set(e, TEND_EAMBIGUOUS, "'%s' matches %s%zu contacts: "
		    "%s%s; use the id or more of the name", ref,
		    n > 10 ? "more than " : "", n > 10 ? (size_t)10 : n, list,
		    n > 8 ? ", ..." : "");
out:
	free(lo);
	free(hi);
	return rc;
}

int
store_contact_archive(struct store *s, int64_t id, int64_t now,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = contact_exists(s, id, e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "UPDATE contacts SET archived = 1, updated "
	    "= ? WHERE id = ?", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, now);
	store_bind_int(st, 2, id);
	if ((rc = store_step_done(s, st, "cannot archive contact", e)) != 0)
		return rc;
	/* an archived contact asks for nothing: close what was pending,
	 * recording it in each follow-up's history first */
	if ((rc = store_prepare(s, "INSERT INTO followup_history (followup_id, "
	    "at, state, due, note) SELECT id, ?1, 'cancelled', due, 'contact "
	    "archived' FROM followups WHERE contact_id = ?2 AND state IN "
	    "('open', 'snoozed') ORDER BY id", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, now);
	store_bind_int(st, 2, id);
	if ((rc = store_step_done(s, st, "cannot archive contact", e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "UPDATE followups SET state = 'cancelled', "
	    "updated = ?1 WHERE contact_id = ?2 AND state IN ('open', "
	    "'snoozed')", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, now);
	store_bind_int(st, 2, id);
	return store_step_done(s, st, "cannot archive contact", e);
}

int
store_contact_restore(struct store *s, int64_t id, int64_t now,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = contact_exists(s, id, e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "UPDATE contacts SET archived = 0, updated "
	    "= ? WHERE id = ?", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, now);
	store_bind_int(st, 2, id);
	return store_step_done(s, st, "cannot restore contact", e);
}

int
store_contact_purge(struct store *s, int64_t id, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = contact_exists(s, id, e)) != 0)
		return rc;
	if ((rc = store_prepare(s, "DELETE FROM contacts WHERE id = ?", &st,
	    e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	return store_step_done(s, st, "cannot delete contact", e);
}

int64_t
store_contact_count(struct store *s)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if (store_prepare(s, "SELECT count(*) FROM contacts WHERE archived = 0",
	    &st, NULL) != 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = store_col_int(st, 0);
	sqlite3_reset(st);
	return n;
}

int
store_contact_any(struct store *s, struct err *e)
{
	/* the first contact id that is not archived, if any */
	return store_exists(s, "SELECT 1 FROM contacts WHERE archived = 0 AND "
	    "id >= ? LIMIT 1", 0, e);
}

#define CONTACT_LIST_COLS CONTACT_COLS ", (SELECT address FROM emails " \
	"WHERE contact_id = c.id ORDER BY is_primary DESC, id LIMIT 1), " \
	"(SELECT number FROM phones WHERE contact_id = c.id ORDER BY " \
	"is_primary DESC, id LIMIT 1), (SELECT group_concat(name, ',') FROM " \
	"(SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = " \
	"ct.tag_id WHERE ct.contact_id = c.id ORDER BY t.name)), (SELECT " \
	"label FROM emails WHERE contact_id = c.id ORDER BY is_primary DESC, " \
	"id LIMIT 1), (SELECT label FROM phones WHERE contact_id = c.id " \
	"ORDER BY is_primary DESC, id LIMIT 1) "

/* Split a comma list into l (strings in a). */
static void
contact_split(struct arena *a, const char *s, struct strlist *l)
{
	const char	*p;
	size_t		 n = 1, i = 0;

	l->n = 0;
	l->v = NULL;
	if (s == NULL || *s == '\0')
		return;
	for (p = s; *p != '\0'; p++)
		if (*p == ',')
			n++;
	l->v = arena_alloc(a, n * sizeof *l->v);
	for (;;) {
		p = strchr(s, ',');
		if (p == NULL) {
			l->v[i++] = arena_strdup(a, s);
			break;
		}
		l->v[i++] = arena_strndup(a, s, (size_t)(p - s));
		s = p + 1;
	}
	l->n = i;
}

int
store_contact_each(struct store *s, struct arena *a,
    const struct contact_filter *f, store_contact_fn fn, void *arg,
    struct err *e)
{
	sqlite3_stmt	*st;
	struct arena	*row;
	struct contact	 c;
	char		*one;
	int		 rc;

	(void)a;
	if ((rc = store_prepare(s, "SELECT " CONTACT_LIST_COLS "FROM contacts "
	    "c LEFT JOIN cadences k ON k.contact_id = c.id WHERE (?1 OR "
	    "c.archived = 0) AND (?2 IS NULL OR c.kind = ?2) AND (?3 IS NULL "
	    "OR c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t "
	    "ON t.id = ct.tag_id WHERE t.name = ?3)) ORDER BY c.name_key, c.id",
	    &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, f->archived);
	store_bind_text(st, 2, f->kind);
	store_bind_text(st, 3, f->tag);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = arena_new();
		memset(&c, 0, sizeof c);
		store_contact_row(row, st, &c);
		/* the primary address and phone, with their labels */
		one = store_col_text(row, st, 20);
		if (one != NULL)
			strlist_push(row, &c.emails, one,
			    store_col_text(row, st, 23));
		one = store_col_text(row, st, 21);
		if (one != NULL)
			strlist_push(row, &c.phones, one,
			    store_col_text(row, st, 24));
		contact_split(row, (const char *)sqlite3_column_text(st, 22),
		    &c.tags);
		rc = fn(&c, arg);
		arena_free(row);
		if (rc != 0) {
			sqlite3_reset(st);
			return 0;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot list contacts", e);
	return 0;
}

int
store_contact_referrals(struct store *s, struct arena *a, int64_t id,
    struct contact ***out, size_t *n, struct err *e)
{
	sqlite3_stmt	*st;
	struct contact	**v = NULL, *c;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT " CONTACT_COLS "FROM contacts c "
	    "LEFT JOIN cadences k ON k.contact_id = c.id WHERE c.via_id = ? "
	    "ORDER BY c.name_key", &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct contact	**nv;

			cap = cap == 0 ? 8 : cap * 2;
			nv = arena_alloc(a, cap * sizeof *nv);
			if (*n > 0)
				memcpy(nv, v, *n * sizeof *nv);
			v = nv;
		}
		c = arena_alloc(a, sizeof *c);
		store_contact_row(a, st, c);
		v[(*n)++] = c;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read referrals", e);
	*out = v;
	return 0;
}
