/*
 * Sequences: a named list of steps (email a template, a task for the
 * user, a wait) with delays in business days and a send window, read
 * from a small INI file (libinih) and written back canonically; and when
 * a step falls due.  Pure: no I/O, no clock; now is a parameter.
 */
#ifndef TEND_SEQUENCE_H
#define TEND_SEQUENCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/block.h"
#include "core/cadence.h"

struct arena;
struct err;

#define SEQUENCE_STEPS_MAX	50
#define SEQUENCE_NAME_MAX	64	/* bytes: letters digits - _ . */
#define SEQUENCE_DESC_MAX	160	/* bytes of the description */
#define SEQUENCE_TASK_MAX	160	/* bytes of a task's text */
#define SEQUENCE_DAYS_MAX	365	/* business days of one delay */
#define SEQUENCE_LINE_MAX	190	/* bytes of one line of the file */
#define SEQUENCE_TEXT_MAX	(32 * 1024)	/* bytes of the whole file */
#define SEQUENCE_HOLIDAYS_MAX	400
#define SEQUENCE_WINDOW_DEFAULT	"mon-fri 09:00-17:00"

enum sequence_kind {
	SEQUENCE_EMAIL,		/* queue a template (automated mail) */
	SEQUENCE_TASK,		/* a follow-up for the user; holds the
				   sequence until done or cancelled */
	SEQUENCE_WAIT		/* only a delay */
};

/*
 * Exit rules: what ends an enrollment.  reply, bounce, unsubscribe,
 * do-not-contact and a manual unenroll always apply; stage (the enrolled
 * deal moved to another stage, or closed) and booked (a meeting was
 * booked) are on unless the file's exit line leaves them out.
 */
#define SEQUENCE_EXIT_REPLY	0x01u
#define SEQUENCE_EXIT_BOUNCE	0x02u
#define SEQUENCE_EXIT_UNSUB	0x04u
#define SEQUENCE_EXIT_DNC	0x08u
#define SEQUENCE_EXIT_MANUAL	0x10u
#define SEQUENCE_EXIT_STAGE	0x20u
#define SEQUENCE_EXIT_BOOKED	0x40u
#define SEQUENCE_EXIT_ALWAYS	0x1fu
#define SEQUENCE_EXIT_ALL	0x7fu

struct sequence_step {
	enum sequence_kind	 kind;
	/* email: the template's name; task: what to do; wait: "" */
	char			 text[SEQUENCE_TASK_MAX + 1];
	/* email, task: business days after the previous step (the first:
	   after enrolling); wait: business days to wait */
	int			 days;
	int			 line;	/* of its [step] in the file read */
};

struct sequence {
	char			 name[SEQUENCE_NAME_MAX + 1];
	char			 description[SEQUENCE_DESC_MAX + 1]; /* or "" */
	struct block		 window;	/* in the recipient's zone */
	unsigned		 exits;		/* SEQUENCE_EXIT_* */
	int			 same_domain;	/* a reply from the contact's
						   company domain counts */
	int			 repeat;	/* after the last step, run
						   the last repeat steps
						   again ... */
	struct cadence		 every;		/* ... this long after the last
						   one; CADENCE_NEVER when
						   repeat is 0 */
	struct sequence_step	 steps[SEQUENCE_STEPS_MAX];
	size_t			 nsteps;
};

/*
 * Parse a sequence file (see docs/sequences.md) into *out, strictly:
 *   [sequence]  name (required), description, window (block syntax,
 *               default SEQUENCE_WINDOW_DEFAULT), exit (words of reply
 *               bounce unsubscribe do-not-contact (or dnc) stage booked
 *               manual; default all), same_domain (yes/no), repeat
 *               (0..steps) and every (a cadence: 6w, 3m; with repeat)
 *   [step]      one of email = TEMPLATE, task = TEXT, wait = DAYS; after =
 *               DAYS (email and task only, default 0); 1 to 50 steps
 * '#' and ';' start a comment line; " ;" starts a comment after a value.
 * Returns 0, or TEND_EINVAL with "sequence file line N: <why>" (or
 * "sequence file: <why>" for what no one line holds) in err; *out is then
 * undefined.
 */
int	 sequence_parse(const char *text, struct sequence *out, struct err *);

/*
 * The canonical text of s, which sequence_parse reads back to the same
 * sequence (line numbers aside): in a, NUL-terminated.
 */
char	*sequence_format(const struct sequence *s, struct arena *a);

/* The exit rule called name ("reply", "dnc", ...), or 0 if unknown. */
unsigned sequence_exit_rule(const char *name);

/*
 * For people: "email 'nudge'", "task 'Call them'", "wait 3 business
 * days".  Writes into buf (n bytes, truncated to fit) and returns buf.
 */
char	*sequence_step_describe(const struct sequence_step *st, char *buf,
	    size_t n);

/*
 * Parse the setting seq.holidays: a comma list of YYYY-MM-DD dates
 * (blanks ignored, at most max) into out as YYYYMMDD numbers, *n of
 * them.  NULL or "" gives none.  0, or TEND_EINVAL naming the date.
 */
int	 sequence_holidays_parse(const char *text, int *out, size_t max,
	    size_t *n, struct err *);

/* 1 if t's local day in tz is a business day: Monday to Friday, and not
 * one of the holidays (YYYYMMDD). */
int	 sequence_business_day(int64_t t, const char *tz, const int *holidays,
	    size_t nholidays);

/*
 * When a step falls due: after_days business days after from's local
 * date in tz, at the same wall time (0: from itself; Friday + 1 is
 * Monday; weekends and holidays are skipped), then moved into window
 * (NULL: no window): if that instant is outside it, the next opening of
 * the window on a day that is one of the window's days and not a
 * holiday.  Wall times in a DST gap move forward (see when.h).  A window
 * that never opens in the next two years gives the unmoved time.
 */
int64_t	 sequence_due(int after_days, int64_t from, const struct block *window,
	    const char *tz, const int *holidays, size_t nholidays);

/*
 * An enrollment: one contact in one sequence, as the store reads it.
 * Strings are in the reader's arena.
 */
struct enrollment {
	int64_t		 id;
	int64_t		 contact_id;
	char		*contact_name;		/* filled by reads */
	int64_t		 sequence_id;
	char		*sequence_name;		/* filled by reads */
	char		*source;		/* the sequence's text */
	int		 paused;		/* the sequence's (reads) */
	int64_t		 deal_id;		/* 0: none (or removed) */
	char		*deal_stage;		/* at enrolment; NULL: none */
	char		*state;			/* active ended */
	int		 step;			/* the next step, from 0 */
	int64_t		 next_at;		/* 0: held by a task */
	int64_t		 base_at;		/* the next delay counts from */
	int64_t		 hold_until;		/* not before (out of office) */
	int64_t		 hold_followup_id;	/* the task that holds it */
	char		*tz;			/* the zone last used */
	int		 cycles;		/* repeats begun */
	int		 sent;			/* e-mails queued */
	int64_t		 started;
	int64_t		 ended;			/* 0: still active */
	char		*end_reason;		/* NULL while active */
	int64_t		 updated;
};

#endif
