/*
 * A contact and the checks on its fields.  Pure: no I/O.
 */
#ifndef TEND_CONTACT_H
#define TEND_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* A list of strings; the first is the primary one. */
struct strlist {
	char	**v;
	size_t	  n;
};

struct contact {
	int64_t		 id;
	char		*name;
	char		*company;
	char		*title;
	char		*kind;		/* prospect client friend partner other */
	char		*tz;		/* NULL: the user's zone */
	char		*met_where;
	int64_t		 met_on;	/* 0: unknown */
	int64_t		 via_id;	/* 0: nobody */
	char		*via_name;	/* filled by reads */
	char		*source;	/* event referral inbound import other */
	char		*needs;
	char		*notes;
	int		 do_not_contact;
	int		 archived;
	int64_t		 last_touch;	/* 0: never */
	int64_t		 created;
	int64_t		 updated;
	struct strlist	 emails;
	struct strlist	 phones;
	struct strlist	 tags;
	char		*cadence;	/* spec ("6w"), NULL: none */
	int64_t		 cadence_due;	/* next keep-in-touch date, 0: none */
};

extern const char *const contact_kinds[];	/* NULL-terminated */
extern const char *const contact_sources[];

/* 1 if word is in the NULL-terminated list. */
int	contact_word_in(const char *word, const char *const *list);

/*
 * Check an e-mail address: one '@', a non-empty local part of printable
 * ASCII without spaces, and a domain of dot-separated labels.  0 or
 * TEND_EINVAL with the address quoted.
 */
int	contact_email_check(const char *addr, struct err *);

/* Keep the digits of a phone number (and a leading '+'); caller frees. */
char	*contact_phone_digits(const char *number);

/* Check a phone number: digits, spaces, and + ( ) - . / only, 3+ digits. */
int	contact_phone_check(const char *number, struct err *);

/* Check a tag: 1..64 bytes, no spaces or commas, no control characters. */
int	contact_tag_check(const char *tag, struct err *);

/*
 * Check the whole record before it is written: name present, every text
 * field valid, kind and source known, time zone known, addresses and
 * phones well-formed.
 */
int	contact_check(const struct contact *, struct err *);

/* The first name: up to the first space of name. Caller frees. */
char	*contact_first_name(const char *name);

#endif
