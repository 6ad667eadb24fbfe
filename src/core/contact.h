/*
 * A contact and the checks on its fields.  Pure: no I/O.
 */
#ifndef TEND_CONTACT_H
#define TEND_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct arena;

/*
 * A list of strings; the first is the primary one.  label, when not NULL,
 * has n entries, each NULL or a label ("work", "cell", "Assistant").
 */
struct strlist {
	char	**v;
	char	**label;
	size_t	  n;
};

/*
 * A property tend has no field for, kept so that an export gives it back:
 * a vCard property in its vCard 4.0 form (BDAY, ADR, URL, PHOTO, X-...),
 * or, from a CSV file, a column as name "X-TEND-CSV" with the header in
 * params ("X-COLUMN=Yomi Name").
 */
struct contact_extra {
	char	*group;		/* "item1" or NULL */
	char	*name;		/* upper case: "ADR" */
	char	*params;	/* "TYPE=home;PREF=1" (4.0 syntax) or NULL */
	char	*value;		/* the value as written in vCard 4.0 */
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
	struct contact_extra *extras;
	size_t		 nextras;
	char		*cadence;	/* spec ("6w"), NULL: none */
	int64_t		 cadence_due;	/* next keep-in-touch date, 0: none */
};

/* The label of entry i of l, or NULL. */
const char	*strlist_label(const struct strlist *l, size_t i);

/* The index of v in l, compared without case, or -1. */
long	strlist_find(const struct strlist *l, const char *v);

/*
 * Append v with label (NULL: none) to l, copying both into a.  The
 * arrays are copied to grow, so lists stay short (addresses, phones,
 * tags of one contact).
 */
void	strlist_push(struct arena *a, struct strlist *l, const char *v,
	    const char *label);

/* Remove entry i, keeping the order of the others. */
void	strlist_del(struct strlist *l, size_t i);

/* Append a copy of x (its strings shared) to c's extras, in a. */
void	contact_extra_push(struct arena *a, struct contact *c,
	    const struct contact_extra *x);

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

/* How contact_merge treats a field both contacts have. */
enum contact_merge_mode {
	CONTACT_MERGE_KEEP,	/* keep dst's (import's default) */
	CONTACT_MERGE_PREFER,	/* take src's (import --prefer import) */
	CONTACT_MERGE_JOIN	/* keep dst's; notes and needs are joined */
};

/*
 * Merge src into dst, allocating from a: fields empty in dst are filled
 * from src (and, by mode, non-empty ones replaced or joined); e-mail
 * addresses and tags are united without case, phones by their digits,
 * extras by identity (a single-valued property such as N or BDAY that
 * dst already has is replaced only with CONTACT_MERGE_PREFER).  Kind
 * "other", source "other" and do-not-contact 0 count as empty; the
 * earlier met_on and the later last_touch win.  Returns 1 if dst
 * changed, else 0.
 */
int	contact_merge(struct arena *a, struct contact *dst,
	    const struct contact *src, enum contact_merge_mode mode);

/* The first name: up to the first space of name. Caller frees. */
char	*contact_first_name(const char *name);

#endif
