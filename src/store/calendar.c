/*
 * Reads for the calendar feed (tend export --format ics): pending
 * follow-ups, deal next steps and keep-in-touch cadences, each in id
 * order so that the same data always gives the same feed.
 */
#include <string.h>

#include "store/internal.h"

/* A contact's tag and kind filters, ?1 the kind and ?2 the tag. */
#define CAL_FILTER "c.archived = 0 AND (?1 IS NULL OR c.kind = ?1) AND " \
	"(?2 IS NULL OR c.id IN (SELECT ct.contact_id FROM contact_tags ct " \
	"JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?2))"

static const char cal_sql_followups[] =
	"SELECT f.id, f.contact_id, c.name, f.deal_id, d.title, f.kind, "
	"f.reason, f.channel, f.state, f.due FROM followups f JOIN contacts c "
	"ON c.id = f.contact_id LEFT JOIN deals d ON d.id = f.deal_id WHERE "
	"f.state IN ('open', 'snoozed') AND " CAL_FILTER " ORDER BY f.id";

static const char cal_sql_deals[] =
	"SELECT d.id, d.contact_id, c.name, d.title, d.stage, d.value_cents, "
	"d.next_step, d.next_due FROM deals d JOIN contacts c ON c.id = "
	"d.contact_id WHERE d.closed = 0 AND d.next_step IS NOT NULL AND "
	CAL_FILTER " ORDER BY d.id";

static const char cal_sql_keep[] =
	"SELECT k.contact_id, c.name, k.spec, k.next_due, k.level_due FROM "
	"cadences k JOIN contacts c ON c.id = k.contact_id WHERE "
	"c.do_not_contact = 0 AND " CAL_FILTER " ORDER BY k.contact_id";

/* Column col as text; valid until the statement steps again. */
static const char *
cal_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static void
cal_read_followup(sqlite3_stmt *st, struct calendar_item *it)
{
	it->kind = CALENDAR_FOLLOWUP;
	it->id = store_col_int(st, 0);
	it->contact_id = store_col_int(st, 1);
	it->contact_name = cal_text(st, 2);
	it->deal_id = store_col_int(st, 3);
	it->deal_title = cal_text(st, 4);
	it->task = cal_text(st, 5);
	it->what = cal_text(st, 6);
	it->channel = cal_text(st, 7);
	it->state = cal_text(st, 8);
	it->due = store_col_int(st, 9);
}

static void
cal_read_deal(sqlite3_stmt *st, struct calendar_item *it)
{
	it->kind = CALENDAR_DEAL;
	it->id = store_col_int(st, 0);
	it->deal_id = it->id;
	it->contact_id = store_col_int(st, 1);
	it->contact_name = cal_text(st, 2);
	it->deal_title = cal_text(st, 3);
	it->stage = cal_text(st, 4);
	it->has_value = sqlite3_column_type(st, 5) != SQLITE_NULL;
	it->value_cents = store_col_int(st, 5);
	it->what = cal_text(st, 6);
	it->due = store_col_int(st, 7);
}

static void
cal_read_keep(sqlite3_stmt *st, struct calendar_item *it)
{
	it->kind = CALENDAR_KEEP;
	it->id = store_col_int(st, 0);
	it->contact_id = it->id;
	it->contact_name = cal_text(st, 1);
	it->spec = cal_text(st, 2);
	it->due = store_col_int(st, 3);
	it->level = store_col_int(st, 4);
}

/*
 * Run one query and hand each row to fn.  Returns 0, fn's non-zero
 * value, or a store error.
 */
static int
cal_run(struct store *s, const char *sql, const char *tag, const char *kind,
    void (*read)(sqlite3_stmt *, struct calendar_item *),
    store_calendar_fn fn, void *arg, struct err *e)
{
	struct calendar_item	 it;
	sqlite3_stmt		*st;
	int			 rc, frc;

	if ((rc = store_prepare(s, sql, &st, e)) != 0)
		return rc;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, tag);
	frc = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&it, 0, sizeof it);
		read(st, &it);
		frc = fn(&it, arg);
		if (frc != 0)
			break;
	}
	sqlite3_reset(st);
	if (frc != 0)
		return frc;
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "cannot read the calendar", e);
	return 0;
}

int
store_calendar_each(struct store *s, const char *tag, const char *kind,
    store_calendar_fn fn, void *arg, struct err *e)
{
	int	rc;

	if ((rc = cal_run(s, cal_sql_followups, tag, kind, cal_read_followup,
	    fn, arg, e)) != 0)
		return rc;
	if ((rc = cal_run(s, cal_sql_deals, tag, kind, cal_read_deal, fn, arg,
	    e)) != 0)
		return rc;
	return cal_run(s, cal_sql_keep, tag, kind, cal_read_keep, fn, arg, e);
}
