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

#endif
