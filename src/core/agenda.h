/*
 * The daily agenda: rank what is due and say why.  Pure: the store hands
 * over candidate items read from its indexes; agenda_build() decides the
 * order, the action and the one-line reason.  now is a parameter.
 */
#ifndef TEND_AGENDA_H
#define TEND_AGENDA_H

#include <stddef.h>
#include <stdint.h>

struct arena;

/* What an item is; the order of the categories below is the urgency. */
enum agenda_kind {
	AGENDA_INQUIRY,		/* an inbound lead waiting for a first answer */
	AGENDA_REPLY,		/* someone replied: answer them */
	AGENDA_FOLLOWUP,	/* a follow-up task */
	AGENDA_DEAL_STEP,	/* a deal's next step */
	AGENDA_DEAL_NOSTEP,	/* an open deal with no next step */
	AGENDA_DEAL_STUCK,	/* an open deal in one stage too long */
	AGENDA_KEEP		/* keep-in-touch cadence due */
};

/* Urgency classes, most urgent first (lower sorts first). */
enum agenda_cat {
	AGENDA_CAT_INQUIRY = 1,
	AGENDA_CAT_OVERDUE,
	AGENDA_CAT_DEAL,
	AGENDA_CAT_TODAY,
	AGENDA_CAT_KEEP
};

struct agenda_item {
	/* filled by the store: what the ranking needs ... */
	enum agenda_kind kind;
	int64_t		 id;		/* follow-up, deal or contact id */
	int64_t		 contact_id;
	const char	*contact_kind;
	int64_t		 created;	/* when the item was opened */
	int64_t		 deal_value_cents;	/* 0: none */
	int64_t		 stage_since;
	int64_t		 due;

	/* ... and what is shown (store_agenda_details) */
	const char	*contact_name;
	const char	*company;
	const char	*met_where;
	int64_t		 met_on;
	const char	*via_name;
	int64_t		 last_touch;	/* 0: never */
	const char	*reason;	/* follow-up reason or deal next step */
	const char	*channel;
	const char	*deal_title;
	const char	*deal_stage;
	const char	*cadence;	/* spec, for AGENDA_KEEP */

	/* filled by agenda_build() */
	enum agenda_cat	 cat;
	int		 overdue_days;	/* > 0 overdue, 0 today, < 0 ahead */
	double		 score;		/* higher is more urgent */
	const char	*kind_name;	/* "inquiry", "follow-up", ... */

	/* filled by agenda_explain() */
	const char	*action;
	const char	*why;
};

struct agenda_opts {
	int64_t		 now;
	const char	*tz;		/* the user's zone: what "today" is */
	int		 stuck_days;	/* a deal in one stage longer is stuck */
	int64_t		 escalate;	/* seconds an inquiry may wait before
					   it is shown louder; 0: never */
};

/* "3 min", "2 h 5 min", "3 days": how long since then, for a clock. */
const char *agenda_waited(struct arena *a, int64_t then, int64_t now);

/*
 * Classify, score and sort items in place (most urgent first) from the
 * ranking fields alone; removes duplicates (a deal both overdue and stuck
 * is shown once, in its more urgent class) and returns the new count.
 */
size_t	agenda_rank(struct arena *a, struct agenda_item *items, size_t n,
	    const struct agenda_opts *);

/*
 * Write the action and the one-line why of ranked items, which need their
 * shown fields.  Only the items shown need it.  Strings come from a.
 */
void	agenda_explain(struct arena *a, struct agenda_item *items, size_t n,
	    const struct agenda_opts *);

/* agenda_rank() then agenda_explain() of every item. */
size_t	agenda_build(struct arena *a, struct agenda_item *items, size_t n,
	    const struct agenda_opts *);

/* The weight of a relationship kind in overdue ranking (client 1.5 ...). */
double	agenda_kind_weight(const char *contact_kind);

#endif
