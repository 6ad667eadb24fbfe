/*
 * Importing contacts: read vCard, CSV or JSON records one at a time,
 * tidy each, and add it or merge it into the contact it already is.
 * Runs inside the caller's transaction, so an import is all or nothing.
 */
#ifndef TEND_APP_IMPORT_H
#define TEND_APP_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/contact.h"
#include "util/err.h"

struct arena;
struct store;

enum import_format {
	IMPORT_AUTO,		/* from the content */
	IMPORT_VCARD,
	IMPORT_CSV,
	IMPORT_JSON
};

/* At most this many skipped or failed records are listed one by one. */
#define IMPORT_ISSUES_MAX	1000

struct import_opts {
	enum import_format	 format;
	char *const		*maps;		/* CSV "FIELD=COLUMN" rules */
	size_t			 nmaps;
	char *const		*tags;		/* added to every record */
	size_t			 ntags;
	const char		*source;	/* NULL: the record's, else import */
	const char		*met;		/* where met, when the record has none */
	int			 prefer;	/* the file's values win */
	int			 keep_going;	/* report bad records, go on */
	const char		*tz;		/* the user's zone */
	int64_t			 now;
};

/* A record skipped, one that failed, or a note on a file. */
struct import_issue {
	const char	*file;
	unsigned	 line;		/* 0: not known */
	unsigned	 record;	/* card or record number; 0: the file */
	const char	*unit;		/* "card", "record" or "contact" */
	const char	*what;		/* "skipped", "error", "note" */
	const char	*msg;
};

struct import_report {
	size_t			 added;
	size_t			 merged;	/* matched and given something new */
	size_t			 unchanged;	/* matched, nothing new */
	size_t			 skipped;
	size_t			 errors;
	const char		*unit;		/* what the file being read holds */
	struct import_issue	*issues;	/* at most IMPORT_ISSUES_MAX */
	size_t			 nissues;
	size_t			 cap;
};

/*
 * Import every record of f (seekable; name is used in messages) into
 * the store.  The report is filled from a, which must outlive it.
 * Returns 0, or TEND_EINVAL for a file that cannot be read as the format
 * (no header, an unknown --map field, ...) and, without keep_going, for
 * the first bad record: the message gives the file and the line, card or
 * record.  The caller rolls back on failure.
 */
int	import_file(struct store *, struct arena *a, FILE *f, const char *name,
	    const struct import_opts *, struct import_report *, struct err *);

/*
 * After the last file: link each contact whose file named who introduced
 * them (X-TEND-VIA, as tend export writes it) to that contact, now that
 * every record is in.  Names that find nobody, or several, are kept.
 */
int	import_finish(struct store *, struct err *);

/*
 * Tidy a record read from a file: trim fields, take a name from the
 * e-mail address, company or phone when it has none, make tags words,
 * keep an address or phone tend cannot use as a property (*note then
 * says so, else it is NULL), apply the options (tags, source, where
 * met).  Returns 1 if the record has something to import, 0 if it is
 * empty (*why says so).
 */
int	import_tidy(struct arena *a, struct contact *c,
	    const struct import_opts *, const char **why, const char **note);

#endif
