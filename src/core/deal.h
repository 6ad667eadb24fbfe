/*
 * Deals: the pipeline stages (configurable through the database setting
 * deal.stages), money amounts typed by people, and the checks on a deal's
 * fields.  Pure: no I/O, no clock; now is a parameter.
 */
#ifndef TEND_DEAL_H
#define TEND_DEAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define DEAL_STAGES_DEFAULT	"inquiry,consult,proposal,contract,won,lost"
#define DEAL_STAGES_MIN		3
#define DEAL_STAGES_MAX		20
#define DEAL_STAGE_LEN		32	/* bytes in one stage name */
#define DEAL_CLOSING		2	/* the last two stages close a deal */

/* Amounts: whole units and cents, up to 999,999,999,999.99. */
#define DEAL_VALUE_MAX		INT64_C(99999999999999)

/* Large enough for every deal_money_format() result. */
#define DEAL_MONEY_BUFSZ	32
/* Large enough for every deal_flag() result. */
#define DEAL_FLAG_BUFSZ		32

struct deal_stages {
	size_t	n;
	char	name[DEAL_STAGES_MAX][DEAL_STAGE_LEN + 1];
};

struct deal {
	int64_t		 id;
	int64_t		 contact_id;
	char		*contact_name;	/* filled by reads */
	char		*title;
	int		 has_value;
	int64_t		 value_cents;	/* when has_value */
	char		*stage;
	int64_t		 stage_since;	/* when it entered the stage */
	int		 closed;	/* in one of the closing stages */
	char		*next_step;	/* NULL: none */
	int64_t		 next_due;	/* 0: none */
	int64_t		 created;
	int64_t		 updated;
};

/* One row of a deal's history: the state after a change. */
struct deal_event {
	int64_t		 at;
	char		*stage;
	char		*next_step;
	int64_t		 next_due;
};

/*
 * Parse the setting deal.stages ("inquiry,consult,...,won,lost"): 3 to 20
 * unique words of a-z, 0-9 and '-', at most 32 bytes each.  NULL gives
 * the default stages.  0, or TEND_EINVAL naming the setting.
 */
int	deal_stages_parse(const char *setting, struct deal_stages *,
	    struct err *);

/* The index of stage name (case-insensitive), or -1. */
int	deal_stage_index(const struct deal_stages *, const char *name);

/* 1 if stage i is one of the closing stages (the last two). */
int	deal_stage_closes(const struct deal_stages *, size_t i);

/*
 * "inquiry, consult, proposal, contract, won or lost" into buf (n bytes,
 * truncated to fit); returns buf.
 */
char	*deal_stages_text(const struct deal_stages *, char *buf, size_t n);

/*
 * Find stage name: 0 and *index, or TEND_EINVAL "unknown stage 'x'
 * (expected ...)" listing the stages.
 */
int	deal_stage_find(const struct deal_stages *, const char *name,
	    size_t *index, struct err *);

/*
 * Parse an amount as people type it: "4500", "4,500", "4500.50",
 * "4,500.5" (commas only as thousands separators, at most two decimals,
 * surrounding blanks ignored), up to DEAL_VALUE_MAX cents.  0, or
 * TEND_EINVAL "invalid value '<text>': <why>".
 */
int	deal_money_parse(const char *text, int64_t *cents, struct err *);

/*
 * Format cents with thousands separators: "4,500", and "4,500.50" when
 * there are cents.  Writes into buf (n bytes, DEAL_MONEY_BUFSZ is always
 * enough) and returns buf.
 */
char	*deal_money_format(int64_t cents, char *buf, size_t n);

/*
 * Check title (required, one line, TEXT_SHORT_MAX bytes) and next step
 * (one line, TEXT_LONG_MAX bytes; a due date needs a step).  0 or
 * TEND_EINVAL.
 */
int	deal_check(const struct deal *, struct err *);

/* What is wrong with an open deal's next step. */
enum deal_flag {
	DEAL_FLAG_NONE,
	DEAL_FLAG_NO_STEP,	/* no next step */
	DEAL_FLAG_OVERDUE	/* the step was due on an earlier day */
};

/*
 * The flag of deal d at now in zone tz (closed deals have none), with
 * the calendar days overdue in *days (0 unless overdue).
 */
enum deal_flag deal_flag(const struct deal *d, int64_t now, const char *tz,
	    int *days);

/* "NO NEXT STEP", "OVERDUE 3d" or "" into buf; returns buf. */
char	*deal_flag_text(enum deal_flag, int days, char *buf, size_t n);

/* "no-next-step", "overdue", or NULL for none: for JSON. */
const char *deal_flag_name(enum deal_flag);

#endif
