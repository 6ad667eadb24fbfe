/*
 * Unit tests for the SQLite store: creation and migration, refusing
 * strangers' files and newer schemas, transactions that roll back whole,
 * contact references, and the agenda's candidate reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/contact.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define NOW	((int64_t)1795424400)	/* 2026-11-23T09:00:00Z */
#define DAY	86400

struct fixture {
	char		 dir[64];
	char		 path[96];
	struct store	*s;
};

static int
setup(void **state)
{
	struct fixture	*f;
	struct err	 e;

	f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/tend-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/sub/tend.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s, &e) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[160];

	store_close(f->s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static int64_t
add(struct store *s, const char *name, const char *email)
{
	struct contact	 c;
	struct err	 e;
	char		*emails[1];

	memset(&c, 0, sizeof c);
	c.name = (char *)name;
	if (email != NULL) {
		emails[0] = (char *)email;
		c.emails.v = emails;
		c.emails.n = 1;
	}
	assert_int_equal(store_contact_insert(s, &c, NOW, &e), 0);
	return c.id;
}

static void
test_create_and_reopen(void **state)
{
	struct fixture	*f = *state;
	struct store	*s2;
	struct err	 e;

	assert_int_equal(store_schema_version(), 5);
	add(f->s, "Ann Lee", "ann@example.com");
	assert_int_equal(store_open(f->path, 0, &s2, &e), 0);
	assert_int_equal(store_contact_count(s2), 1);
	store_close(s2);
}

static void
test_missing_without_create(void **state)
{
	struct fixture	*f = *state;
	struct store	*s2;
	struct err	 e;
	char		 p[128];

	snprintf(p, sizeof p, "%s/none.db", f->dir);
	assert_int_equal(store_open(p, 0, &s2, &e), TEND_ENOTFOUND);
	assert_null(s2);
	assert_int_equal(access(p, F_OK), -1);
}

/* Write bytes to a file in the fixture's folder; returns its path. */
static const char *
file_with(struct fixture *f, const char *name, const char *bytes, size_t n)
{
	static char	 p[128];
	FILE		*fp;

	snprintf(p, sizeof p, "%s/%s", f->dir, name);
	fp = fopen(p, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, n, fp), n);
	fclose(fp);
	return p;
}

static char *
slurp(const char *path, size_t *n)
{
	FILE	*fp;
	char	*buf;

	fp = fopen(path, "rb");
	assert_non_null(fp);
	buf = calloc(1, 1 << 20);
	*n = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

static void
test_not_a_database(void **state)
{
	struct fixture	*f = *state;
	struct store	*s2;
	struct err	 e;
	const char	*p;
	char		 junk[4096], *after;
	size_t		 i, n;

	for (i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	p = file_with(f, "junk.db", junk, sizeof junk);
	assert_int_equal(store_open(p, STORE_CREATE, &s2, &e), TEND_ECORRUPT);
	assert_null(s2);
	assert_non_null(strstr(e.msg, "is not a tend database"));
	after = slurp(p, &n);
	assert_int_equal(n, sizeof junk);
	assert_memory_equal(after, junk, sizeof junk);
	free(after);
}

static void
test_foreign_sqlite_untouched(void **state)
{
	struct fixture	*f = *state;
	struct store	*s2;
	struct err	 e;
	sqlite3		*db;
	char		 p[128], *before, *after;
	size_t		 n1, n2;

	snprintf(p, sizeof p, "%s/other.db", f->dir);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t "
	    "VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = slurp(p, &n1);
	assert_int_equal(store_open(p, STORE_CREATE, &s2, &e), TEND_ECORRUPT);
	after = slurp(p, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

static void
test_newer_schema_refused(void **state)
{
	struct fixture	*f = *state;
	struct store	*s2;
	struct err	 e;
	sqlite3		*db;

	store_close(f->s);
	f->s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, 0, &s2, &e), TEND_EVERSION);
	assert_non_null(strstr(e.msg, "newer tend"));
}

static void
test_rollback_writes_nothing(void **state)
{
	struct fixture	*f = *state;
	struct err	 e;

	assert_int_equal(store_begin(f->s, &e), 0);
	add(f->s, "Ann Lee", "ann@example.com");
	store_rollback(f->s);
	assert_int_equal(store_contact_count(f->s), 0);
	/* rollback with nothing open is harmless */
	store_rollback(f->s);
}

static void
test_email_unique(void **state)
{
	struct fixture	*f = *state;
	struct contact	 c;
	struct err	 e;
	char		*emails[] = { "ANN@example.com" };

	add(f->s, "Ann Lee", "ann@example.com");
	memset(&c, 0, sizeof c);
	c.name = "Other";
	c.emails.v = emails;
	c.emails.n = 1;
	assert_int_equal(store_contact_insert(f->s, &c, NOW, &e),
	    TEND_ECONFLICT);
	assert_non_null(strstr(e.msg, "already belongs to contact 1"));
}

static void
test_resolve(void **state)
{
	struct fixture	*f = *state;
	struct err	 e;
	int64_t		 ann, anna, bob, id;

	ann = add(f->s, "Ann", "ann@example.com");
	anna = add(f->s, "Anna Smith", NULL);
	bob = add(f->s, "Bob Stone", "bob@example.com");
	add(f->s, "Annette Lee", NULL);
	assert_int_equal(store_contact_resolve(f->s, "bob", &id, &e), 0);
	assert_int_equal(id, bob);
	assert_int_equal(store_contact_resolve(f->s, "BOB@EXAMPLE.COM", &id,
	    &e), 0);
	assert_int_equal(id, bob);
	assert_int_equal(store_contact_resolve(f->s, "#2", &id, &e), 0);
	assert_int_equal(id, anna);
	/* an exact name beats longer ones */
	assert_int_equal(store_contact_resolve(f->s, "ann", &id, &e), 0);
	assert_int_equal(id, ann);
	assert_int_equal(store_contact_resolve(f->s, "anne", &id, &e), 0);
	assert_int_equal(store_contact_resolve(f->s, "an", &id, &e),
	    TEND_EAMBIGUOUS);
	assert_non_null(strstr(e.msg, "Anna Smith (2)"));
	assert_int_equal(store_contact_resolve(f->s, "zed", &id, &e),
	    TEND_ENOTFOUND);
	assert_int_equal(store_contact_resolve(f->s, "99", &id, &e),
	    TEND_ENOTFOUND);
	/* archived: found by id and address, not by name */
	assert_int_equal(store_contact_archive(f->s, bob, NOW, &e), 0);
	assert_int_equal(store_contact_resolve(f->s, "bob", &id, &e),
	    TEND_ENOTFOUND);
	assert_int_equal(store_contact_resolve(f->s, "3", &id, &e), 0);
	assert_int_equal(store_contact_resolve(f->s, "bob@example.com", &id,
	    &e), 0);
}

static void
test_agenda_fetch(void **state)
{
	struct fixture		*f = *state;
	struct agenda_window	 w;
	struct agenda_item	*items;
	struct followup		 fu;
	struct arena		*a;
	struct err		 e;
	size_t			 n, total, i;
	int64_t			 ids[5];

	for (i = 0; i < 5; i++) {
		char	name[16];

		snprintf(name, sizeof name, "C%zu", i);
		ids[i] = add(f->s, name, NULL);
		/* keep-in-touch due 1..5 days ago */
		assert_int_equal(store_cadence_set(f->s, ids[i], "2w",
		    NOW - (int64_t)(i + 1) * DAY, &e), 0);
	}
	/* C0 has an open follow-up: its keep-in-touch is left to it */
	memset(&fu, 0, sizeof fu);
	fu.contact_id = ids[0];
	fu.due = NOW + 3 * DAY;
	fu.reason = "lunch";
	assert_int_equal(store_followup_add(f->s, &fu, NOW, &e), 0);

	memset(&w, 0, sizeof w);
	w.today = NOW - 9 * 3600;
	w.tomorrow = w.today + DAY;
	w.stuck_before = w.today - 14 * DAY;
	w.keep_limit = 2;
	a = arena_new();
	assert_int_equal(store_agenda_fetch(f->s, a, &w, &items, &n, &total,
	    &e), 0);
	/* two read, oldest due first, four in all */
	assert_int_equal(n, 2);
	assert_int_equal(total, 4);
	assert_int_equal(items[0].contact_id, ids[4]);
	assert_int_equal(items[1].contact_id, ids[3]);
	assert_int_equal(items[0].kind, AGENDA_KEEP);
	/* the shown fields come in a second step */
	assert_null(items[0].cadence);
	assert_null(items[0].contact_name);
	assert_int_equal(store_agenda_details(f->s, a, items, n, &e), 0);
	assert_string_equal(items[0].cadence, "2w");
	assert_string_equal(items[0].contact_name, "C4");
	assert_string_equal(items[1].contact_name, "C3");
	w.keep_limit = 0;
	assert_int_equal(store_agenda_fetch(f->s, a, &w, &items, &n, &total,
	    &e), 0);
	assert_int_equal(n, 4);
	assert_int_equal(total, 4);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_reopen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_without_create,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_foreign_sqlite_untouched,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_writes_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_email_unique, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agenda_fetch, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
