/*
 * Interactions (touches) and follow-ups: the records of the timeline.
 */
#ifndef TEND_INTERACTION_H
#define TEND_INTERACTION_H

#include <stdint.h>

#include "util/err.h"

struct interaction {
	int64_t		 id;
	int64_t		 contact_id;
	char		*kind;		/* call email meeting in-person message note */
	char		*direction;	/* in out */
	int64_t		 at;
	char		*summary;
	int64_t		 created;
	int		 system;	/* tend's own record (an auto-reply
					   read, a sequence ended): on the
					   timeline, but not a touch */
};

struct followup {
	int64_t		 id;
	int64_t		 contact_id;
	char		*contact_name;	/* filled by reads */
	int64_t		 deal_id;	/* 0: none */
	char		*kind;		/* task inquiry */
	char		*reason;
	char		*channel;
	int64_t		 due;
	char		*state;		/* open done snoozed cancelled */
	int64_t		 created;
	int64_t		 updated;
};

extern const char *const interaction_kinds[];
extern const char *const followup_channels[];

/* Check kind, direction and summary. 0 or TEND_EINVAL. */
int	interaction_check(const struct interaction *, struct err *);

/* Check reason and channel. 0 or TEND_EINVAL. */
int	followup_check(const struct followup *, struct err *);

#endif
