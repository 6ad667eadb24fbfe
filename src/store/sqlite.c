/*
 * Opening, migrating and transactions on the SQLite store, and the
 * statement cache the other store files use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migrations.h"
#include "store/internal.h"
#include "util/arena.h"
#include "util/xmalloc.h"

/* 'TEND': marks a file as ours, so we never migrate a stranger's file. */
#define STORE_APP_ID	0x54454e44
#define STORE_BUSY_MS	5000

int
store_schema_version(void)
{
	return migrations[MIGRATIONS_COUNT - 1].version;
}

int
store_fail(struct store *s, int rc, const char *what, struct err *e)
{
	const char	*msg;
	int		 code;

	msg = s != NULL && s->db != NULL ? sqlite3_errmsg(s->db) :
	    sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, TEND_EBUSY, "database '%s' is locked by "
		    "another process; try again", s != NULL && s->path ?
		    s->path : "");
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return err_set(e, TEND_ECORRUPT, "'%s' is not a tend database "
		    "or is damaged (%s)", s != NULL && s->path ? s->path : "",
		    msg);
	case SQLITE_CONSTRAINT:
		code = TEND_ECONFLICT;
		break;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	default:
		code = TEND_EIO;
		break;
	}
	return err_set(e, code, "%s: %s", what, msg);
}

int
store_prepare(struct store *s, const char *sql, sqlite3_stmt **out,
    struct err *e)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int		 rc;

	*out = NULL;
	for (i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			st = s->cache[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			*out = st;
			return 0;
		}
	}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "cannot prepare a statement", e);
	if (s->ncache < STORE_STMT_CACHE) {
		s->cache[s->ncache].sql = sql;
		s->cache[s->ncache].st = st;
		s->ncache++;
	} else {
		/* full: evict the oldest entry */
		sqlite3_finalize(s->cache[0].st);
		memmove(&s->cache[0], &s->cache[1],
		    (STORE_STMT_CACHE - 1) * sizeof s->cache[0]);
		s->cache[STORE_STMT_CACHE - 1].sql = sql;
		s->cache[STORE_STMT_CACHE - 1].st = st;
	}
	*out = st;
	return 0;
}

int
store_bind_text(sqlite3_stmt *st, int idx, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
}

int
store_bind_id(sqlite3_stmt *st, int idx, int64_t v)
{
	if (v == 0)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_int64(st, idx, v);
}

int
store_bind_int(sqlite3_stmt *st, int idx, int64_t v)
{
	return sqlite3_bind_int64(st, idx, v);
}

char *
store_col_text(struct arena *a, sqlite3_stmt *st, int col)
{
	const unsigned char	*t;

	t = sqlite3_column_text(st, col);
	if (t == NULL)
		return NULL;
	return arena_strndup(a, (const char *)t,
	    (size_t)sqlite3_column_bytes(st, col));
}

int64_t
store_col_int(sqlite3_stmt *st, int col)
{
	return sqlite3_column_int64(st, col);
}

int
store_step_done(struct store *s, sqlite3_stmt *st, const char *what,
    struct err *e)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail(s, rc, what, e);
	}
	sqlite3_reset(st);
	return 0;
}

int
store_exists(struct store *s, const char *sql, int64_t id, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = store_prepare(s, sql, &st, e)) != 0)
		return rc;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(s, rc, "cannot read the database", e);
}

int
store_exec(struct store *s, const char *sql, struct err *e)
{
	char	*msg = NULL;
	int	 rc;

	rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "database error", e);
	return 0;
}

/* Read one integer from a pragma or query with no parameters. */
static int
store_int_query(struct store *s, const char *sql, int64_t *out,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "cannot read the database", e);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the database", e);
	return 0;
}

/* mkdir -p of the folder that holds path. */
static int
store_mkdir_parent(const char *path, struct err *e)
{
	char	*dir, *p;
	int	 rc = 0;

	dir = xstrdup(path);
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		goto out;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = err_set(e, TEND_EIO, "cannot create '%s': %s", dir,
			    strerror(errno));
			goto out;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		rc = err_set(e, TEND_EIO, "cannot create '%s': %s", dir,
		    strerror(errno));
out:
	free(dir);
	return rc;
}

/*
 * A stranger's file must never be written, so this runs before anything
 * that could change it (WAL mode, migrations): a file with tables or a
 * schema version but without our application id is not ours.
 */
static int
store_check_ours(struct store *s, struct err *e)
{
	int64_t	app, tables, version;
	int	rc;

	if ((rc = store_int_query(s, "PRAGMA application_id", &app, e)) != 0 ||
	    (rc = store_int_query(s, "PRAGMA user_version", &version, e)) != 0 ||
	    (rc = store_int_query(s, "SELECT count(*) FROM sqlite_schema",
	    &tables, e)) != 0)
		return rc;
	/* another application's id marks its file, even one still empty */
	if (app != STORE_APP_ID && (app != 0 || tables > 0 || version != 0))
		return err_set(e, TEND_ECORRUPT, "'%s' is not a tend database",
		    s->path);
	return 0;
}

static int
store_migrate(struct store *s, struct err *e)
{
	int64_t	 version;
	int	 rc, i;
	char	 sql[64];

	if ((rc = store_int_query(s, "PRAGMA user_version", &version, e)) != 0)
		return rc;
	if (version > store_schema_version())
		return err_set(e, TEND_EVERSION, "'%s' was written by a newer "
		    "tend (schema %lld, this tend knows %d); upgrade tend",
		    s->path, (long long)version, store_schema_version());
	if (version == store_schema_version())
		return 0;
	if ((rc = store_exec(s, "BEGIN IMMEDIATE", e)) != 0)
		return rc;
	/* another process may have migrated while we waited for the lock */
	if ((rc = store_int_query(s, "PRAGMA user_version", &version, e)) != 0)
		goto fail;
	for (i = 0; i < MIGRATIONS_COUNT; i++) {
		if (migrations[i].version <= version)
			continue;
		rc = store_exec(s, migrations[i].sql, e);
		if (rc != 0)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		    migrations[i].version);
		if ((rc = store_exec(s, sql, e)) != 0)
			goto fail;
	}
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d", STORE_APP_ID);
	if ((rc = store_exec(s, sql, e)) != 0)
		goto fail;
	if ((rc = store_exec(s, "COMMIT", e)) != 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int
store_open(const char *path, int flags, struct store **out, struct err *e)
{
	struct store	*s;
	struct stat	 sb;
	const char	*env;
	int64_t		 busy = STORE_BUSY_MS;
	int		 rc, oflags;
	char		*end;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return err_set(e, TEND_EINVAL, "no database path");
	if (stat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode))
			return err_set(e, TEND_ECORRUPT, "'%s' is not a tend "
			    "database (not a regular file)", path);
	} else if (!(flags & STORE_CREATE))
		return err_set(e, TEND_ENOTFOUND, "database '%s' not found",
		    path);
	else if ((rc = store_mkdir_parent(path, e)) != 0)
		return rc;

	env = getenv("TEND_BUSY_MS");
	if (env != NULL && *env != '\0') {
		busy = strtoll(env, &end, 10);
		if (*end != '\0' || busy < 0 || busy > 3600000)
			busy = STORE_BUSY_MS;
	}

	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		/* SQLite's message does not say which file */
		rc = err_set(e, TEND_EIO, "cannot open '%s': %s", path,
		    sqlite3_errmsg(s->db));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, (int)busy);
	if ((rc = store_exec(s, "PRAGMA foreign_keys = ON", e)) != 0 ||
	    (rc = store_check_ours(s, e)) != 0)
		goto fail;
	if ((rc = store_exec(s, "PRAGMA journal_mode = WAL", e)) != 0 ||
	    (rc = store_exec(s, "PRAGMA synchronous = NORMAL", e)) != 0)
		goto fail;
	if ((rc = store_migrate(s, e)) != 0)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc;
}

void
store_close(struct store *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	if (s->db != NULL)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
store_begin(struct store *s, struct err *e)
{
	int	rc;

	if ((rc = store_exec(s, "BEGIN IMMEDIATE", e)) != 0)
		return rc;
	s->in_tx = 1;
	return 0;
}

int
store_begin_read(struct store *s, struct err *e)
{
	int	rc;

	if ((rc = store_exec(s, "BEGIN", e)) != 0)
		return rc;
	s->in_tx = 1;
	return 0;
}

int
store_commit(struct store *s, struct err *e)
{
	int	rc;

	rc = store_exec(s, "COMMIT", e);
	if (rc != 0) {
		store_rollback(s);
		return rc;
	}
	s->in_tx = 0;
	return 0;
}

int
store_savepoint(struct store *s, struct err *e)
{
	return store_exec(s, "SAVEPOINT tend_part", e);
}

int
store_savepoint_release(struct store *s, struct err *e)
{
	return store_exec(s, "RELEASE tend_part", e);
}

int
store_savepoint_undo(struct store *s, struct err *e)
{
	int	rc;

	if ((rc = store_exec(s, "ROLLBACK TO tend_part", e)) != 0)
		return rc;
	return store_exec(s, "RELEASE tend_part", e);
}

int
store_bulk(struct store *s, struct err *e)
{
	/*
	 * A million inserts touch index pages all over the file; with the
	 * default 2 MB cache most of them are read again from the kernel.
	 */
	return store_exec(s, "PRAGMA cache_size = -65536", e);
}

int
store_index_defer(struct store *s, struct err *e)
{
	int	rc;

	if ((rc = store_exec(s, "INSERT OR IGNORE INTO fts_pending (tbl, "
	    "from_id) SELECT 'contacts', coalesce(max(id), 0) + 1 FROM "
	    "contacts", e)) != 0)
		return rc;
	return store_exec(s, "INSERT OR IGNORE INTO fts_pending (tbl, from_id) "
	    "SELECT 'interactions', coalesce(max(id), 0) + 1 FROM interactions",
	    e);
}

int
store_index_catch_up(struct store *s, struct err *e)
{
	int	rc;

	/* the triggers left these alone: index them in one statement each */
	if ((rc = store_exec(s, "INSERT INTO contacts_fts (rowid, name, "
	    "company, needs, notes) SELECT id, name, company, needs, notes "
	    "FROM contacts WHERE id >= (SELECT from_id FROM fts_pending WHERE "
	    "tbl = 'contacts')", e)) != 0 ||
	    (rc = store_exec(s, "INSERT INTO interactions_fts (rowid, summary) "
	    "SELECT id, summary FROM interactions WHERE id >= (SELECT from_id "
	    "FROM fts_pending WHERE tbl = 'interactions')", e)) != 0)
		return rc;
	return store_exec(s, "DELETE FROM fts_pending", e);
}

void
store_rollback(struct store *s)
{
	if (s == NULL || s->db == NULL)
		return;
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

int64_t
store_changes(struct store *s)
{
	return sqlite3_total_changes64(s->db);
}

int
store_setting_get(struct store *s, struct arena *a, const char *key,
    char **out, struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	if ((rc = store_prepare(s, "SELECT value FROM settings WHERE key = ?",
	    &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = store_col_text(a, st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read settings", e);
	return 0;
}

int
store_setting_set(struct store *s, const char *key, const char *value,
    struct err *e)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (value == NULL) {
		rc = store_prepare(s, "DELETE FROM settings WHERE key = ?", &st,
		    e);
		if (rc != 0)
			return rc;
		store_bind_text(st, 1, key);
	} else {
		rc = store_prepare(s, "INSERT INTO settings (key, value) "
		    "VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
		    "excluded.value", &st, e);
		if (rc != 0)
			return rc;
		store_bind_text(st, 1, key);
		store_bind_text(st, 2, value);
	}
	return store_step_done(s, st, "cannot write settings", e);
}
