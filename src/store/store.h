/*
 * The only door to data.  Callers see plain structs from src/core and
 * status codes; no SQL and no SQLite type leaves src/store, so another
 * engine can sit behind the same functions.
 *
 * Every function returns 0 or a negative enum tend_err and fills the
 * optional struct err.  Strings in returned structs are allocated from the
 * arena passed in and live until it is freed.
 */
#ifndef TEND_STORE_H
#define TEND_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/agenda.h"
#include "core/contact.h"
#include "core/interaction.h"
#include "util/err.h"

struct arena;
struct store;

/* Open flags. */
#define STORE_CREATE	0x1	/* create the file (and its folder) if missing */

/*
 * Open the database at path, creating it with STORE_CREATE, and apply
 * pending migrations in one transaction.  Fails with TEND_ECORRUPT for a
 * file that is not a tend database (it is never written), TEND_EVERSION
 * for one written by a newer tend, TEND_EBUSY when locked past the busy
 * timeout.  On failure *out is NULL.
 */
int	store_open(const char *path, int flags, struct store **out,
	    struct err *);
void	store_close(struct store *);	/* NULL is a no-op */

/* The schema version this build writes, and the file's. */
int	store_schema_version(void);

/*
 * Transactions: one per command.  store_begin takes the write lock at
 * once (so a busy database fails before any work).  store_rollback is
 * safe to call when no transaction is open.
 */
int	store_begin(struct store *, struct err *);
/* A read transaction: one consistent snapshot; end it with rollback. */
int	store_begin_read(struct store *, struct err *);
int	store_commit(struct store *, struct err *);
void	store_rollback(struct store *);

/*
 * A part of a transaction that can be undone alone: store_savepoint
 * marks its start, store_savepoint_release keeps it, store_savepoint_undo
 * undoes what it wrote (the transaction goes on).  Not nested.
 */
int	store_savepoint(struct store *, struct err *);
int	store_savepoint_release(struct store *, struct err *);
int	store_savepoint_undo(struct store *, struct err *);

/*
 * For a bulk write inside one transaction: store_index_defer leaves the
 * contacts added from now on out of the search index, and
 * store_index_catch_up (before commit) indexes them in one go.  Much
 * faster than a row at a time; a rollback undoes both.
 */
int	store_index_defer(struct store *, struct err *);
int	store_index_catch_up(struct store *, struct err *);

/* Give SQLite a page cache of 64 MB, for a long run of writes (import). */
int	store_bulk(struct store *, struct err *);

/* Total number of rows changed since open (for tests of "nothing written"). */
int64_t	store_changes(struct store *);

/* ---- contacts ---- */

/* Insert c (checked by the caller); sets c->id. */
int	store_contact_insert(struct store *, struct contact *, int64_t now,
	    struct err *);
/* Replace every field, address, phone and tag of contact c->id. */
int	store_contact_update(struct store *, const struct contact *,
	    int64_t now, struct err *);
int	store_contact_get(struct store *, struct arena *, int64_t id,
	    struct contact **out, struct err *);
/*
 * Find a contact by id ("12"), e-mail address, or a case-insensitive
 * unique prefix of the name (an exact name wins over longer ones).
 * TEND_ENOTFOUND, or TEND_EAMBIGUOUS with the candidates in the message.
 * Archived contacts are found only by id or address.
 */
int	store_contact_resolve(struct store *, const char *ref, int64_t *id,
	    struct err *);
int	store_contact_archive(struct store *, int64_t id, int64_t now,
	    struct err *);
int	store_contact_purge(struct store *, int64_t id, struct err *);
/* Bring an archived contact back. */
int	store_contact_restore(struct store *, int64_t id, int64_t now,
	    struct err *);
/* TEND_ECONFLICT names the contact that already has the address. */
int	store_email_owner(struct store *, const char *addr, int64_t *id);
int64_t	store_contact_count(struct store *);	/* scans: not for hot paths */
/* 1 if there is any contact that is not archived, 0 if none, or < 0. */
int	store_contact_any(struct store *, struct err *);

struct contact_filter {
	const char	*tag;		/* NULL: any */
	const char	*kind;		/* NULL: any */
	int		 archived;	/* include archived contacts */
};
typedef int (*store_contact_fn)(const struct contact *, void *);
/* Call fn for each matching contact, by name; fn returning non-zero stops. */
int	store_contact_each(struct store *, struct arena *,
	    const struct contact_filter *, store_contact_fn, void *,
	    struct err *);
/*
 * The existing contact that c is, if any: one sharing an e-mail address
 * (without case), else a phone number (by its digits, 6 or more), else
 * one with the same name and company (without case; two empty companies
 * are the same) unless both have e-mail addresses.  *id is 0 when none
 * matches; *how names the rule that matched ("e-mail", "phone", "name
 * and company"), a static string.
 */
int	store_contact_match(struct store *, const struct contact *c,
	    int64_t *id, const char **how, struct err *);
/*
 * Move contact gone's interactions, follow-ups, deals, referrals and (if
 * keep has none) cadence to keep.  The caller then deletes gone and
 * writes keep's merged fields (contact_merge in src/core/contact.h).
 */
int	store_contact_move_history(struct store *, int64_t keep,
	    int64_t gone, struct err *);
/*
 * Every contact with an extra property called name (no case): the
 * contact ids and the values, arrays in a.
 */
int	store_extra_find(struct store *, struct arena *, const char *name,
	    int64_t **ids, char ***values, size_t *n, struct err *);
/* Remove contact id's extras called name. */
int	store_extra_delete(struct store *, int64_t id, const char *name,
	    struct err *);
/* Set who introduced contact id. */
int	store_contact_via_set(struct store *, int64_t id, int64_t via,
	    struct err *);
/* Contacts this one referred (via = id), by name. */
int	store_contact_referrals(struct store *, struct arena *, int64_t id,
	    struct contact ***out, size_t *n, struct err *);

/* ---- interactions, cadences ---- */

/* Insert i; raises the contact's last touch to i->at if later. */
int	store_interaction_add(struct store *, struct interaction *,
	    struct err *);
int	store_interaction_list(struct store *, struct arena *,
	    int64_t contact_id, struct interaction **out, size_t *n,
	    struct err *);

/* Set (spec non-NULL) or clear a contact's cadence and its next due. */
int	store_cadence_set(struct store *, int64_t contact_id, const char *spec,
	    int64_t next_due, struct err *);
/* Set a levelled due date (0 clears it). */
int	store_cadence_level(struct store *, int64_t contact_id,
	    int64_t level_due, struct err *);

/* ---- follow-ups ---- */

int	store_followup_add(struct store *, struct followup *, int64_t now,
	    struct err *);
int	store_followup_get(struct store *, struct arena *, int64_t id,
	    struct followup **out, struct err *);
/* Change state and due, recording the change in the history. */
int	store_followup_set(struct store *, int64_t id, const char *state,
	    int64_t due, const char *note, int64_t now, struct err *);
/*
 * Close the contact's open inquiries received before at: an answer went
 * out.  *n is how many were closed.
 */
int	store_followup_answer(struct store *, int64_t contact_id, int64_t at,
	    const char *note, int64_t now, int *n, struct err *);
/* A contact's follow-ups, newest due first. */
int	store_followup_list(struct store *, struct arena *, int64_t contact_id,
	    struct followup **out, size_t *n, struct err *);

/* ---- agenda ---- */

struct agenda_window {
	int64_t		 today;		/* start of the user's today */
	int64_t		 tomorrow;	/* start of tomorrow */
	int64_t		 stuck_before;	/* stage_since before this is stuck */
	size_t		 keep_limit;	/* keep-in-touch rows to read; 0: all */
};

/*
 * Read the agenda's candidate items, with the fields the ranking needs,
 * from the indexes: open inquiries,
 * follow-ups and deal steps due before tomorrow, deals without a next
 * step or stuck, and up to keep_limit keep-in-touch contacts that are due
 * (oldest due first; contacts with a pending follow-up are left to it).
 * *total counts every item, including keep-in-touch rows not read.
 */
int	store_agenda_fetch(struct store *, struct arena *,
	    const struct agenda_window *, struct agenda_item **out, size_t *n,
	    size_t *total, struct err *);

/*
 * Fill the shown fields (names, how you met, reason, deal, cadence) of
 * the n items that made the cut.
 */
int	store_agenda_details(struct store *, struct arena *,
	    struct agenda_item *items, size_t n, struct err *);

/* Items falling due on each of ndays days from day[0]: day starts given. */
struct plan_day {
	int64_t		 start;
	int		 followups;	/* follow-ups and deal steps */
	int		 keep;		/* keep-in-touch */
};
int	store_plan_counts(struct store *, struct plan_day *days, size_t ndays,
	    int64_t end, struct err *);

/* Keep-in-touch entries due in [from, to). */
struct plan_keep {
	int64_t		 contact_id;
	int64_t		 due;		/* the current (maybe levelled) due */
	int64_t		 next_due;	/* the due from the cadence */
	const char	*spec;		/* the cadence, "6w" */
};
int	store_plan_keep(struct store *, struct arena *, int64_t from,
	    int64_t to, struct plan_keep **out, size_t *n, struct err *);

/* ---- search ---- */

struct search_hit {
	int64_t		 contact_id;
	const char	*name;
	const char	*company;
	const char	*field;		/* where it matched: name, needs, ... */
	const char	*snippet;
	double		 rank;
};
/*
 * Full-text search over names, companies, needs, notes and interaction
 * summaries.  The query is words (prefixes match); FTS syntax in it is
 * not interpreted.  At most limit hits, best first, one per contact.
 */
int	store_search(struct store *, struct arena *, const char *query,
	    size_t limit, struct search_hit **out, size_t *n, struct err *);

/* ---- settings that travel with the data ---- */

/* *out is NULL when unset. */
int	store_setting_get(struct store *, struct arena *, const char *key,
	    char **out, struct err *);
/* value NULL deletes. */
int	store_setting_set(struct store *, const char *key, const char *value,
	    struct err *);

/* ---- deals ---- */

struct deal;		/* core/deal.h */
struct deal_event;

/*
 * Insert d (checked by the caller; d->stage, d->closed set from the stage
 * list) for contact d->contact_id; sets d->id, created, updated and
 * stage_since (now) and records the first history row.
 */
int	store_deal_add(struct store *, struct deal *, int64_t now,
	    struct err *);
/* Deal id with its contact's name; TEND_ENOTFOUND "deal '12' not found". */
int	store_deal_get(struct store *, struct arena *, int64_t id,
	    struct deal **out, struct err *);
/* 0 if deal id exists, else TEND_ENOTFOUND "deal '12' not found". */
int	store_deal_exists(struct store *, int64_t id, struct err *);
/*
 * Move deal id to stage (checked by the caller) and set closed: the stage
 * clock restarts (stage_since = now) and a history row is written.  The
 * next step is kept.  TEND_ECONFLICT when it is already in that stage,
 * TEND_ENOTFOUND when there is no such deal.
 */
int	store_deal_move(struct store *, int64_t id, const char *stage,
	    int closed, int64_t now, struct err *);
/* Set the next step and its due (checked by the caller), with history. */
int	store_deal_next(struct store *, int64_t id, const char *step,
	    int64_t due, int64_t now, struct err *);
/* The history of deal id, oldest first. */
int	store_deal_history(struct store *, struct arena *, int64_t id,
	    struct deal_event **out, size_t *n, struct err *);

struct deal_filter {
	int64_t		 contact_id;	/* 0: every contact */
	int		 closed;	/* include closed deals */
};
/*
 * Deals for the pipeline, with their contacts' names: those without a
 * next step first, then by next due, then by id.  Stages are left to the
 * caller to group (they are configurable).
 */
int	store_deal_list(struct store *, struct arena *,
	    const struct deal_filter *, struct deal **out, size_t *n,
	    struct err *);

/* Count and value of the deals in one stage (open and closed). */
struct deal_total {
	const char	*stage;
	int64_t		 count;
	int64_t		 open;		/* of which open */
	int64_t		 value_cents;	/* deals without a value count 0 */
};
/* One row per stage that holds deals, in no particular order. */
int	store_deal_totals(struct store *, struct arena *,
	    struct deal_total **out, size_t *n, struct err *);

/* ---- backup ---- */

/*
 * Row-level reads and writes for tend backup and tend restore: every row
 * of a contact, with its id, as stored.  Nothing is derived or checked
 * here beyond what the schema enforces: the caller checks the values, and
 * the folded keys (name_key, address_key, digits) are computed on write.
 * The full-text indexes follow by themselves.
 */

/* An e-mail address or a phone number as stored. */
struct store_entry {
	char		*value;
	char		*label;		/* NULL: none */
	int		 primary;
};

/* One row of a follow-up's history. */
struct store_followup_event {
	int64_t		 at;
	char		*state;
	int64_t		 due;
	char		*note;		/* NULL: none */
};

struct store_backup_followup {
	struct followup			*f;	/* contact_name unset */
	struct store_followup_event	*history;
	size_t				 nhistory;
	/* issue 6 (bak): the columns struct followup does not hold */
	int64_t				 enrollment_id;	/* 0: none */
	char				*origin;	/* NULL: by hand */
	int64_t				 escalated;	/* 0: not */
};

struct store_backup_deal {
	struct deal		*d;		/* contact_name unset */
	struct deal_event	*history;
	size_t			 nhistory;
};

/*
 * A contact with all its rows.  In c: the contact's own fields (via_name
 * unset), tags (c.tags, by name, no labels), extras, and the cadence:
 * c.cadence the spec (NULL: none) and c.cadence_due its next_due (not
 * levelled); c.emails and c.phones are not used.  Lists are in a fixed
 * order, so the same database always reads the same: e-mails and phones
 * primary first, then as written; extras as written; interactions by
 * time; follow-ups and deals by id; histories by time.
 */
struct store_backup {
	struct contact			 c;
	int64_t				 cadence_level;	/* 0: none */
	struct store_entry		*emails;
	size_t				 nemails;
	struct store_entry		*phones;
	size_t				 nphones;
	struct interaction		*interactions;
	size_t				 ninteractions;
	struct store_backup_followup	*followups;
	size_t				 nfollowups;
	struct store_backup_deal	*deals;
	size_t				 ndeals;
};

/*
 * Read the contact with the smallest id above after, archived or not,
 * with all its rows, from a: 1 with *out set, 0 when there is none.
 */
int	store_backup_next(struct store *, struct arena *, int64_t after,
	    struct store_backup **out, struct err *);

/* Every setting, by key: keys and values are arena arrays of *n. */
int	store_backup_settings(struct store *, struct arena *, char ***keys,
	    char ***values, size_t *n, struct err *);

/*
 * 1 if the database holds nothing of a user's: no contact, no setting, no
 * template but the starters as shipped (not edited), no message, no
 * suppression, no sequence, enrollment, message read, polled mailbox or
 * soft bounce; 0 if it does.
 */
int	store_backup_empty(struct store *, struct err *);

enum store_backup_table {
	STORE_BACKUP_CONTACT,
	STORE_BACKUP_INTERACTION,
	STORE_BACKUP_FOLLOWUP,
	STORE_BACKUP_DEAL,
	STORE_BACKUP_TEMPLATE,
	STORE_BACKUP_OUTBOX,
	STORE_BACKUP_SEQUENCE,		/* issue 6 (bak) */
	STORE_BACKUP_ENROLLMENT,
	STORE_BACKUP_INBOUND
};
/* 1 if the table holds a row with id, 0 if not. */
int	store_backup_has(struct store *, enum store_backup_table, int64_t id,
	    struct err *);

/*
 * Writes.  Each keeps the id it is given; a row whose id is taken, or
 * that refers to a row not there, fails with TEND_ECONFLICT.
 *
 * store_backup_contact_add writes c's own fields only (id, created,
 * updated, last_touch as given; c->via_id 0 or an existing contact);
 * store_backup_via_set sets a referral afterwards, for one written later.
 */
int	store_backup_contact_add(struct store *, const struct contact *c,
	    struct err *);
int	store_backup_via_set(struct store *, int64_t id, int64_t via_id,
	    struct err *);
/* TEND_ECONFLICT when the address (without case) is already taken. */
int	store_backup_email_add(struct store *, int64_t contact_id,
	    const struct store_entry *, struct err *);
int	store_backup_phone_add(struct store *, int64_t contact_id,
	    const struct store_entry *, struct err *);
/* TEND_ECONFLICT when the contact already has the tag (without case). */
int	store_backup_tag_add(struct store *, int64_t contact_id,
	    const char *tag, struct err *);
int	store_backup_extra_add(struct store *, int64_t contact_id,
	    const struct contact_extra *, struct err *);
/* level_due 0: none. */
int	store_backup_cadence_add(struct store *, int64_t contact_id,
	    const char *spec, int64_t next_due, int64_t level_due,
	    struct err *);
/* Leaves the contact's last touch alone. */
int	store_backup_interaction_add(struct store *,
	    const struct interaction *, struct err *);
/* f->deal_id 0 or an existing deal; store_backup_followup_deal_set after. */
int	store_backup_followup_add(struct store *, const struct followup *,
	    struct err *);
int	store_backup_followup_deal_set(struct store *, int64_t id,
	    int64_t deal_id, struct err *);
int	store_backup_followup_event_add(struct store *, int64_t followup_id,
	    const struct store_followup_event *, struct err *);
int	store_backup_deal_add(struct store *, const struct deal *,
	    struct err *);
int	store_backup_deal_event_add(struct store *, int64_t deal_id,
	    const struct deal_event *, struct err *);

/*
 * The mail tables, one row at a time, so that a large outbox never sits
 * in memory whole.  Each returns 1 with *out (from the arena), 0 after
 * the last row, or < 0.
 *
 * Templates by id, after id after (0: the first).
 */
struct template;
struct outbox_msg;
struct store_suppression;
int	store_backup_template_next(struct store *, struct arena *,
	    int64_t after, struct template **out, struct err *);
/*
 * Suppressions by address (without case), then reason: the one after
 * *after (NULL: the first).
 */
int	store_backup_suppression_next(struct store *, struct arena *,
	    const struct store_suppression *after,
	    struct store_suppression **out, struct err *);
/*
 * Messages by id, after id after, with their data.  contact_name is
 * unset, and next_attempt holds the row's due column whatever the state
 * (the lease's end while sending); lease_until is 0.  *enrollment_id
 * (issue 6) is the enrollment that queued it, 0: none.
 */
int	store_backup_outbox_next(struct store *, struct arena *,
	    int64_t after, struct outbox_msg **out, int64_t *enrollment_id,
	    struct err *);

/*
 * Remove every template: in a database store_backup_empty() found empty,
 * the starters its migration wrote, which a backup's own replace.
 */
int	store_backup_templates_clear(struct store *, struct err *);
/* With its id, starter flag and times; TEND_ECONFLICT on a taken name. */
int	store_backup_template_add(struct store *, const struct template *,
	    struct err *);
/* TEND_ECONFLICT when the address (without case) has it already. */
int	store_backup_suppression_add(struct store *,
	    const struct store_suppression *, struct err *);
/*
 * With its id and data; m->next_attempt is the due column, as
 * store_backup_outbox_next gives it; enrollment_id 0 or an existing
 * enrollment.  TEND_ECONFLICT on a taken Message-ID (or id).
 */
int	store_backup_outbox_add(struct store *, const struct outbox_msg *m,
	    int64_t enrollment_id, struct err *);

/*
 * ---- issue 6 (bak): sequences, enrollments and mail in ----
 *
 * Read one row at a time as the mail tables are: 1 with *out (from the
 * arena), 0 after the last row, or < 0.  Sequences, enrollments and
 * inbound messages by id, after id after; polled mailboxes and soft
 * bounces by their key, after the key after (NULL: the first).
 */
struct store_sequence;
struct enrollment;
struct store_inbound;
int	store_backup_sequence_next(struct store *, struct arena *,
	    int64_t after, struct store_sequence **out, struct err *);
/* Every column; contact_name, sequence_name, source, paused unset. */
int	store_backup_enrollment_next(struct store *, struct arena *,
	    int64_t after, struct enrollment **out, struct err *);
/* With the message's bytes in *data (NUL-terminated), *len of them. */
int	store_backup_inbound_next(struct store *, struct arena *,
	    int64_t after, struct store_inbound **out, char **data,
	    size_t *len, struct err *);

/* A row of imap_state: where polling a mailbox got to. */
struct store_imap_row {
	char		*mailbox;
	int64_t		 uidvalidity;
	int64_t		 last_uid;
};
int	store_backup_imap_next(struct store *, struct arena *,
	    const char *after, struct store_imap_row **out, struct err *);

/* A row of soft_bounces: address is the folded key it is stored by. */
struct store_soft_bounce {
	char		*address;
	int64_t		 count;
	int64_t		 last_at;
};
int	store_backup_soft_bounce_next(struct store *, struct arena *,
	    const char *after, struct store_soft_bounce **out, struct err *);

/* With its id, name, source, paused and times; ECONFLICT: name taken. */
int	store_backup_sequence_add(struct store *,
	    const struct store_sequence *, struct err *);
/*
 * Every column as given (contact, sequence, deal and hold follow-up must
 * be there); TEND_ECONFLICT when the contact is active in the sequence
 * already.
 */
int	store_backup_enrollment_add(struct store *, const struct enrollment *,
	    struct err *);
/* A follow-up's issue 6 columns, once it and its enrollment are in. */
int	store_backup_followup_mark(struct store *, int64_t id,
	    int64_t enrollment_id, const char *origin, int64_t escalated,
	    struct err *);
/* With its id and bytes; TEND_ECONFLICT on a taken key. */
int	store_backup_inbound_add(struct store *, const struct store_inbound *,
	    const char *data, size_t len, struct err *);
/* TEND_ECONFLICT when the mailbox is there already. */
int	store_backup_imap_add(struct store *, const struct store_imap_row *,
	    struct err *);
/* Stored by address folded; TEND_ECONFLICT when it is there already. */
int	store_backup_soft_bounce_add(struct store *,
	    const struct store_soft_bounce *, struct err *);
/* ---- end of issue 6 (bak) ---- */

/* ---- calendar (ical export) ---- */

enum calendar_kind {
	CALENDAR_FOLLOWUP,	/* an open or snoozed follow-up */
	CALENDAR_DEAL,		/* an open deal's next step */
	CALENDAR_KEEP		/* a keep-in-touch cadence */
};

/*
 * One entry of the calendar feed.  Which fields are set depends on kind
 * (the others are 0 or NULL):
 *   CALENDAR_FOLLOWUP  id, contact, deal_id and deal_title (0 and NULL
 *                      when it has no deal), task ("task" or "inquiry"),
 *                      what (the reason, or NULL), channel (or NULL),
 *                      state ("open" or "snoozed"), due
 *   CALENDAR_DEAL      id and deal_id (the deal's), contact, deal_title,
 *                      stage, has_value and value_cents, what (the next
 *                      step), due (0: none)
 *   CALENDAR_KEEP      id (the contact's), contact, spec (the canonical
 *                      cadence), due (next_due: a local midnight), level
 *                      (level_due, 0: none)
 */
struct calendar_item {
	enum calendar_kind	 kind;
	int64_t			 id;
	int64_t			 contact_id;
	const char		*contact_name;
	int64_t			 deal_id;
	const char		*deal_title;
	const char		*stage;
	int			 has_value;
	int64_t			 value_cents;
	const char		*task;
	const char		*what;
	const char		*channel;
	const char		*state;
	const char		*spec;
	int64_t			 due;
	int64_t			 level;
};
typedef int (*store_calendar_fn)(const struct calendar_item *, void *);

/*
 * Call fn for every entry of the calendar feed whose contact is not
 * archived and has tag and kind (each NULL: any): open and snoozed
 * follow-ups by id, then open deals that have a next step by id, then
 * keep-in-touch cadences by contact id (not of do-not-contact contacts).
 * The item's strings live until fn returns.  fn returning non-zero stops
 * the walk and store_calendar_each returns that value.  All of it is
 * read in one snapshot when called inside a transaction.
 */
int	store_calendar_each(struct store *, const char *tag, const char *kind,
	    store_calendar_fn fn, void *arg, struct err *);

/* ---- mail: templates, outbox, suppressions ---- */

struct template;	/* core/outbox.h */
struct outbox_msg;

/* TEND_ENOTFOUND "template 'x' not found"; names match without case. */
int	store_template_get(struct store *, struct arena *, const char *name,
	    struct template **out, struct err *);
/* Every template, by name. */
int	store_template_list(struct store *, struct arena *,
	    struct template **out, size_t *n, struct err *);
/* Insert (t->id 0; sets it) or replace; TEND_ECONFLICT on a taken name. */
int	store_template_put(struct store *, struct template *, int64_t now,
	    struct err *);
int	store_template_rm(struct store *, const char *name, struct err *);

/*
 * Queue m (checked and built by the caller): m->state "queued",
 * "deferred" or "cancelled", m->next_attempt its first due; sets m->id.
 */
int	store_outbox_add(struct store *, struct outbox_msg *, struct err *);
/* Message id with its data; TEND_ENOTFOUND "message '12' not found". */
int	store_outbox_get(struct store *, struct arena *, int64_t id,
	    struct outbox_msg **out, struct err *);
/* Messages in state (NULL: any) of contact_id (0: any), by id; no data. */
int	store_outbox_list(struct store *, struct arena *, const char *state,
	    int64_t contact_id, struct outbox_msg **out, size_t *n,
	    struct err *);
/*
 * Claim the message due first (queued or deferred with its next attempt
 * at or before now, or sending with its lease run out) for owner until
 * now + lease, in one statement.  Returns 1 with *out (data included), 0 when nothing is due, or < 0.
 */
int	store_outbox_claim(struct store *, struct arena *, int64_t now,
	    int64_t lease, const char *owner, struct outbox_msg **out,
	    struct err *);

/*
 * Fix message id's Date at now unless it has one (its first try), and
 * give it in *date.
 */
int	store_outbox_date(struct store *, int64_t id, int64_t now,
	    int64_t *date, struct err *);

/* How a claimed message ended. */
struct outbox_result {
	const char	*state;		/* sent deferred failed cancelled */
	int64_t		 next_attempt;	/* deferred: when; 0 leaves it */
	int		 tried;		/* 1 if an SMTP transaction was tried */
	int64_t		 sent_at;	/* sent: when */
	const char	*reply;		/* the server's reply (NULL: keep) */
	const char	*reason;	/* why, for people; NULL: none */
};
/*
 * Record how claimed message id ended, if owner still holds it;
 * TEND_ECONFLICT when the lease ran out and it was taken again.
 */
int	store_outbox_finish(struct store *, int64_t id, const char *owner,
	    const struct outbox_result *, struct err *);
/*
 * Move message id from one of from_states (a comma list) to state, with
 * due (0: unchanged) and reason; TEND_ECONFLICT (no message) when it is
 * in none of them.
 */
int	store_outbox_set(struct store *, int64_t id, const char *from_states,
	    const char *state, int64_t due, const char *reason, struct err *);
/* Queue a deferred, failed or cancelled message again, due now. */
int	store_outbox_retry(struct store *, int64_t id, int64_t now,
	    struct err *);
/*
 * When messages went to rcpt (without case) since since: sent ones at
 * their time, ones being sent at now, leaving out message self (0:
 * none); ascending, an arena array.
 */
int	store_outbox_history(struct store *, struct arena *, const char *rcpt,
	    int64_t since, int64_t now, int64_t self, int64_t **out,
	    size_t *n, struct err *);
/* When automated messages were sent since since, ascending. */
int	store_outbox_sender_history(struct store *, struct arena *,
	    int64_t since, int64_t **out, size_t *n, struct err *);
/* Messages still to go (queued, sending, deferred) and the first due. */
int	store_outbox_pending(struct store *, int64_t *n, int64_t *next,
	    struct err *);

/* What the respect rules need of contact id: do-not-contact, its zone. */
int	store_contact_reach(struct store *, struct arena *, int64_t id,
	    int *do_not_contact, char **tz, struct err *);

/*
 * The suppression list, by address (without case); reason is
 * "unsubscribed" or "bounced".  Adding one already there is
 * TEND_ECONFLICT (nothing changes); removing one not there
 * TEND_ENOTFOUND; reason NULL removes both.
 */
int	store_suppress_add(struct store *, const char *address,
	    const char *reason, const char *detail, int64_t now, struct err *);
int	store_suppress_del(struct store *, const char *address,
	    const char *reason, struct err *);
int	store_suppress_get(struct store *, const char *address,
	    int *unsubscribed, int *bounced, struct err *);
struct store_suppression {
	char		*address;
	char		*reason;
	int64_t		 at;
	char		*detail;
};
int	store_suppress_list(struct store *, struct arena *,
	    struct store_suppression **out, size_t *n, struct err *);

/* ---- mail in ---- */

/* A message tend read (tend inbound, tend fetch). */
struct store_inbound {
	int64_t		 id;
	char		*key;		/* its Message-ID, or "sha256:..." */
	int64_t		 received;
	char		*source;	/* "stdin", "imap" */
	char		*cls;		/* the class (inbound_class_name) */
	int64_t		 contact_id;	/* 0: none */
	char		*contact_name;	/* filled by reads */
	char		*from_addr;
	char		*subject;
	char		*why;		/* why it was read so */
	char		*effect;	/* what tend did; NULL: nothing */
};

/* 1 with *id if a message with key was read already, 0 if not. */
int	store_inbound_find(struct store *, const char *key, int64_t *id,
	    struct err *);
/* Record m with the message's bytes; sets m->id.  ECONFLICT: key taken. */
int	store_inbound_add(struct store *, struct store_inbound *m,
	    const char *data, size_t len, struct err *);
/* The limit messages read last, newest first. */
int	store_inbound_list(struct store *, struct arena *, size_t limit,
	    struct store_inbound **out, size_t *n, struct err *);
/* Message id, with its bytes in *data (NUL-terminated) if data. */
int	store_inbound_get(struct store *, struct arena *, int64_t id,
	    struct store_inbound **out, char **data, size_t *len,
	    struct err *);
/* 1 with the row's id, contact and automated if tend sent mid, else 0. */
int	store_outbox_by_message_id(struct store *, const char *mid,
	    int64_t *id, int64_t *contact_id, int *automated, struct err *);
/* *found 1 if a message of that automated kind went to rcpt since. */
int	store_outbox_recent(struct store *, const char *rcpt, int automated,
	    int64_t since, int *found, struct err *);
/* Where polling mailbox got to; both 0 when never polled. */
int	store_imap_state_get(struct store *, const char *mailbox,
	    int64_t *uidvalidity, int64_t *last_uid, struct err *);
int	store_imap_state_set(struct store *, const char *mailbox,
	    int64_t uidvalidity, int64_t last_uid, struct err *);
/*
 * Count one more temporary bounce of addr: *count is how many came in a
 * row, each within 30 days of the one before (an older one starts over).
 */
int	store_soft_bounce(struct store *, const char *addr, int64_t now,
	    int *count, struct err *);
/*
 * The spool of tend inbound --queue: a message's bytes as received,
 * read in order and removed once read.  store_spool_next gives the
 * oldest: 1 with its fields (in a), 0 when the spool is empty.
 */
int	store_spool_add(struct store *, int64_t received, const char *source,
	    const char *data, size_t len, int64_t *id, struct err *);
int	store_spool_next(struct store *, struct arena *, int64_t *id,
	    int64_t *received, char **source, char **data, size_t *len,
	    struct err *);
int	store_spool_del(struct store *, int64_t id, struct err *);
/* 1 if the spool holds a message, 0 if not (no write lock taken). */
int	store_spool_pending(struct store *, struct err *);

/* Mark follow-up id as opened by tend for origin ("reply"). */
int	store_followup_origin(struct store *, int64_t id, const char *origin,
	    struct err *);
/* Open inquiries received before before and not yet escalated. */
int	store_inquiry_overdue(struct store *, struct arena *, int64_t before,
	    struct followup **out, size_t *n, struct err *);
int	store_inquiry_escalate(struct store *, int64_t id, int64_t at,
	    struct err *);


/* ---- sequences ---- */

struct enrollment;	/* core/sequence.h */

/* A sequence as stored: its canonical text and whether it is paused. */
struct store_sequence {
	int64_t		 id;
	char		*name;
	char		*source;
	int		 paused;
	int64_t		 created;
	int64_t		 updated;
	int64_t		 active;	/* active enrollments */
	int64_t		 enrolled;	/* every enrollment, ended too */
};

/* Insert q (name, source; sets id); TEND_ECONFLICT on a taken name. */
int	store_sequence_add(struct store *, struct store_sequence *q,
	    int64_t now, struct err *);
/* By name (without case); TEND_ENOTFOUND "sequence 'x' not found". */
int	store_sequence_get(struct store *, struct arena *, const char *name,
	    struct store_sequence **out, struct err *);
/* Every sequence, by name. */
int	store_sequence_list(struct store *, struct arena *,
	    struct store_sequence **out, size_t *n, struct err *);
/* New name and text for sequence id; TEND_ECONFLICT on a taken name. */
int	store_sequence_update(struct store *, int64_t id, const char *name,
	    const char *source, int64_t now, struct err *);
int	store_sequence_pause(struct store *, int64_t id, int paused,
	    int64_t now, struct err *);
/* Remove sequence id and its enrollments. */
int	store_sequence_rm(struct store *, int64_t id, struct err *);

/* Insert e (contact, sequence, deal, step, times, tz); sets e->id. */
int	store_enrollment_add(struct store *, struct enrollment *e,
	    struct err *);
/* With the contact's name, the sequence's name, text and pause. */
int	store_enrollment_get(struct store *, struct arena *, int64_t id,
	    struct enrollment **out, struct err *);

struct enrollment_filter {
	int64_t		 contact_id;	/* 0: every contact */
	int64_t		 sequence_id;	/* 0: every sequence */
	int		 all;		/* ended ones too */
};
/* Active ones by next step (held ones last), then ended ones, newest first. */
int	store_enrollment_list(struct store *, struct arena *,
	    const struct enrollment_filter *, struct enrollment **out,
	    size_t *n, struct err *);
/*
 * Active enrollments of sequences not paused whose next step is due at
 * now, earliest first, at most limit: their ids (arena array).
 */
int	store_enrollment_due(struct store *, struct arena *, int64_t now,
	    size_t limit, int64_t **ids, size_t *n, struct err *);
/*
 * Active enrollments held by a task step whose follow-up is done,
 * cancelled or gone: their ids.
 */
int	store_enrollment_released(struct store *, struct arena *,
	    int64_t **ids, size_t *n, struct err *);
/*
 * Write e's moving parts: step, next_at (0: NULL), base_at, hold_until,
 * hold_followup_id, tz, cycles, sent, with updated = now.
 */
int	store_enrollment_set(struct store *, const struct enrollment *e,
	    int64_t now, struct err *);
/* End active enrollment id with reason; TEND_ECONFLICT if not active. */
int	store_enrollment_end(struct store *, int64_t id, const char *reason,
	    int64_t now, struct err *);
/* Mark follow-up id as made by enrollment_id. */
int	store_followup_enrollment_set(struct store *, int64_t followup_id,
	    int64_t enrollment_id, struct err *);
/* Record that message id was queued by enrollment_id. */
int	store_outbox_enrollment_set(struct store *, int64_t id,
	    int64_t enrollment_id, struct err *);
/*
 * Cancel automated messages still queued or deferred, with reason: those
 * of enrollment_id, or (enrollment_id 0) every one to contact_id; *n is
 * how many.
 */
int	store_outbox_cancel_automated(struct store *, int64_t contact_id,
	    int64_t enrollment_id, const char *reason, int *n, struct err *);

#endif
