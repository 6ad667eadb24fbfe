/*
 * Shared by the files of src/store only: the store handle, a cache of
 * prepared statements and binding helpers.  Nothing outside src/store
 * includes this.
 */
#ifndef TEND_STORE_INTERNAL_H
#define TEND_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

#define STORE_STMT_CACHE	96

struct store_stmt {
	const char	*sql;	/* a string literal: cached by its address */
	sqlite3_stmt	*st;
};

struct store {
	sqlite3			*db;
	char			*path;
	int			 in_tx;
	struct store_stmt	 cache[STORE_STMT_CACHE];
	size_t			 ncache;
};

/*
 * A prepared statement for sql (a string literal), reset and with its
 * bindings cleared.  Owned by the cache: do not finalize.
 */
int	store_prepare(struct store *, const char *sql, sqlite3_stmt **,
	    struct err *);

/* Turn an SQLite result code into a tend error with the db's message. */
int	store_fail(struct store *, int rc, const char *what, struct err *);

/* Bind helpers: NULL text and zero ids bind SQL NULL. */
int	store_bind_text(sqlite3_stmt *, int idx, const char *);
int	store_bind_id(sqlite3_stmt *, int idx, int64_t);	/* 0 -> NULL */
int	store_bind_int(sqlite3_stmt *, int idx, int64_t);

/* Column helpers: strings are copied into a (NULL stays NULL). */
char	*store_col_text(struct arena *, sqlite3_stmt *, int col);
int64_t	 store_col_int(sqlite3_stmt *, int col);

/* Run a statement that returns no rows (SQLITE_DONE expected). */
int	store_step_done(struct store *, sqlite3_stmt *, const char *what,
	    struct err *);

/* 1 if sql (one id parameter) returns a row, 0 if not, or < 0. */
int	store_exists(struct store *, const char *sql, int64_t id,
	    struct err *);

/* Run sql that has no parameters and returns no rows. */
int	store_exec(struct store *, const char *sql, struct err *);

/*
 * A contact's own columns, for "SELECT " CONTACT_COLS "FROM contacts c
 * LEFT JOIN cadences k ON k.contact_id = c.id ...": columns 0 to 19,
 * read by store_contact_row (strings in a); more may follow.
 */
#define CONTACT_COLS \
	"c.id, c.name, c.company, c.title, c.kind, c.tz, c.met_where, " \
	"c.met_on, c.via_id, (SELECT v.name FROM contacts v WHERE v.id = " \
	"c.via_id), c.source, c.needs, c.notes, c.do_not_contact, " \
	"c.archived, c.last_touch, c.created, c.updated, k.spec, " \
	"coalesce(k.level_due, k.next_due) "
void	store_contact_row(struct arena *, sqlite3_stmt *, struct contact *);

/*
 * A template's columns, for "SELECT " TEMPLATE_COLS "FROM templates",
 * read by store_template_row (strings in a).
 */
#define TEMPLATE_COLS "id, name, subject, body, html, starter, created, " \
	"updated "
struct template;
void	store_template_row(struct arena *, sqlite3_stmt *, struct template *);

/* Read contact c->id's extras into c (arrays in a), in the order written. */
int	store_contact_read_extras(struct store *, struct arena *,
	    struct contact *c, struct err *);

#endif
