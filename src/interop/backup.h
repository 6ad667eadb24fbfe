/*
 * tend's own JSON documents (jansson): the backup, every row of the
 * database with its id ("tend-backup": tend backup and tend restore), and
 * the contact export ("tend-contacts": tend export --format json), with a
 * reader of either for tend import.  Both are written and read one
 * contact at a time, so memory does not grow with the database.  The
 * format is described field by field in docs/backup.md.  Never prints,
 * never exits.
 */
#ifndef TEND_BACKUP_H
#define TEND_BACKUP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "core/contact.h"
#include "util/err.h"

struct arena;
struct store;
struct backup_reader;

#define BACKUP_FORMAT		"tend-backup"
#define BACKUP_CONTACTS_FORMAT	"tend-contacts"
/*
 * 2 added the mail tables, 3 sequences, enrollments and mail in; the
 * reader takes 1, 2 and 3.
 */
#define BACKUP_VERSION		3
/*
 * Bytes in the JSON text of one contact (its history included), one
 * template, one message queued or one message read.
 */
#define BACKUP_RECORD_MAX	(256 * 1024 * 1024)

/*
 * Write the whole database to f as one "tend-backup" document: settings,
 * then each contact (archived ones too) by id with everything that
 * hangs off it, then the templates, the suppression list, the sequences
 * and enrollments, the outbox (each message with its exact bytes), the
 * messages read (with theirs), where IMAP polling got to and the soft
 * bounces, times as UTC
 * ("2026-11-23T09:00:00Z"), keys in a fixed order, indented.  Contacts
 * and messages are read and written one at a time.  now is the
 * "written" time: the same database and the same now give the same
 * bytes.  Run it inside a read transaction for a consistent copy.
 * Returns 0, TEND_EIO when f cannot be written (the message says why),
 * or the store's error.
 */
int	backup_write(struct store *, FILE *f, int64_t now, struct err *);

/* What backup_restore wrote. */
struct backup_counts {
	size_t	contacts;
	size_t	interactions;
	size_t	followups;
	size_t	deals;
	size_t	settings;
	size_t	templates;
	size_t	suppressions;
	size_t	messages;	/* outbox rows */
	size_t	sequences;
	size_t	enrollments;
	size_t	inbound;	/* messages read */
	size_t	mailboxes;	/* imap_state rows */
	size_t	soft_bounces;
};

/*
 * Read a "tend-backup" document from f (name names it in messages) into
 * the store, which must be empty (store_backup_empty()): anything else
 * is TEND_ECONFLICT "the database is not empty: restore needs a new one".
 * Ids are kept, so backup_write afterwards gives the same document.  A
 * version 2 or 3 document's templates replace the starters the new
 * database was made with; a version 1 document (no mail tables) keeps
 * them.  A version 2 document has no sequences and no mail read.  A
 * message that was being sent comes back deferred, due when its lease
 * ends: the sender that held it is gone.
 * Everything is checked first, each failure TEND_EINVAL with where it is:
 * "backup.json: line 3, column 14: <JSON syntax error>" or
 * "backup.json: contacts[3].emails[0].address: not a string".  Writes go
 * into the caller's transaction, which must be rolled back on failure.
 * counts (optional) says what was written.
 */
int	backup_restore(struct store *, FILE *f, const char *name,
	    struct backup_counts *counts, struct err *);

/*
 * A reader of "tend-backup" and "tend-contacts" documents for tend
 * import: it gives the contacts only (fields, e-mails and phones with
 * labels, primary first, tags, extras, the cadence spec in c->cadence
 * and its next due in c->cadence_due) and ignores ids, referrals (via),
 * interactions, follow-ups, deals, settings and mail tables, which
 * belong to another database.  backup_reader_new reads up to the first
 * contact: TEND_EINVAL for a file that is not such a document (the
 * message says where), with *out NULL.
 */
int	backup_reader_new(FILE *f, const char *name,
	    struct backup_reader **out, struct err *);
void	backup_reader_free(struct backup_reader *);	/* NULL is a no-op */

/*
 * The next contact, allocated from a and checked with contact_check():
 * 1 with *out set, 0 at the end, or TEND_EINVAL naming the record
 * ("cards.json: contacts[3].name: missing").  After a bad record the
 * reader is at the next one; after an error in the document's structure
 * (a truncated file) the next call returns 0.  TEND_EIO on a read error.
 */
int	backup_read(struct backup_reader *, struct arena *a,
	    struct contact **out, struct err *);

/* The record last returned or failed: 1-based (contacts[n - 1]). */
unsigned	backup_reader_record(const struct backup_reader *);
/* The line where that record starts. */
unsigned	backup_reader_line(const struct backup_reader *);

/* 1 if the buffer (the start of a file) looks like a JSON document. */
int	backup_sniff(const char *buf, size_t n);

/*
 * The export: one contact as the backup writes it, without its history
 * (interactions, follow-ups, deals); the cadence's next_due is
 * c->cadence_due.  A new reference.
 */
json_t	*backup_contact_json(const struct contact *);

/*
 * Write a "tend-contacts" document contact by contact: begin, add each,
 * end.  Each returns 0 or TEND_EIO.
 */
struct backup_list {
	FILE	*f;
	size_t	 n;		/* contacts written */
};
int	backup_contacts_begin(struct backup_list *, FILE *, struct err *);
int	backup_contacts_add(struct backup_list *, const struct contact *,
	    struct err *);
int	backup_contacts_end(struct backup_list *, struct err *);

#endif
