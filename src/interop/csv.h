/*
 * Contacts in CSV files: a streaming reader (libcsv) that recognises the
 * exports of Google Contacts, Outlook and LinkedIn by their headers and
 * maps any other file by header names or explicit --map rules, and a
 * writer for tend's own columns and the Google Contacts layout.
 */
#ifndef TEND_CSV_H
#define TEND_CSV_H

#include <stdio.h>

#include "core/contact.h"
#include "util/err.h"

struct arena;
struct csv_reader;

#define CSV_RECORD_MAX	(1024 * 1024)	/* bytes in one record */

enum csv_layout {
	CSV_TEND,		/* tend's own columns (tend export) */
	CSV_GOOGLE,		/* Google Contacts export */
	CSV_OUTLOOK,		/* Outlook (outlook.com and desktop) */
	CSV_LINKEDIN,		/* LinkedIn Connections.csv */
	CSV_GENERIC		/* mapped by header names and --map */
};

/* "tend", "google", "outlook", "linkedin", "generic". */
const char	*csv_layout_name(enum csv_layout);

/*
 * Open a reader on f, which must be seekable (the caller spools standard
 * input to a temporary file): the reader first checks whether the whole
 * file is UTF-8 (a BOM is skipped) and otherwise reads it as
 * Windows-1252.  It then finds the header (skipping a preamble such as
 * LinkedIn's "Notes:" lines; fields separated by commas, or semicolons
 * or tabs if the header is split by those), recognises the layout and
 * builds the column mapping.  maps are nmaps "FIELD=COLUMN" rules
 * (COLUMN a header name or a 1-based number) that override the mapping;
 * an unknown field or column is TEND_EINVAL naming it.  name is the
 * file's name for messages; tz is the user's zone, in which a date such
 * as LinkedIn's "Connected On" starts its day.  Returns 0 with *out set
 * (free it with csv_reader_free; f stays open), TEND_EINVAL for a file
 * that cannot be read as CSV ("people.csv: no header line", UTF-16,
 * binary data), or TEND_EIO.
 */
int	csv_reader_new(FILE *f, const char *name, const char *tz,
	    char *const *maps, size_t nmaps, struct csv_reader **out,
	    struct err *);
void	csv_reader_free(struct csv_reader *);

enum csv_layout	csv_reader_layout(const struct csv_reader *);
/* 1 if the file was not UTF-8 and is read as Windows-1252. */
int		csv_reader_recoded(const struct csv_reader *);

/*
 * Read the next record into a contact allocated from a.  Returns 1 with
 * *out set, 0 at the end, TEND_EINVAL for a bad record (a ragged row, a
 * record over the limit, broken quoting at the end of the file, a NUL
 * byte, a date that cannot be read: the message names the file, the
 * record and its line, as in
 * "people.csv: line 12 (record 11): 7 fields, the header has 9"), or
 * TEND_EIO.  After TEND_EINVAL the reader is at the next record.
 * Records are numbered from 1 after the header; lines are the file's.
 * Blank lines and rows whose cells are all empty are not returned.
 *
 * Fields are as written in the file and unchecked: name may be NULL
 * (only a first/last name, an e-mail or a company given), tags as
 * written, phones and e-mails with labels; columns with no tend field
 * that are not empty go to extras (vCard names where one fits: N, BDAY,
 * ANNIVERSARY, ADR, URL, NICKNAME, PHOTO; otherwise X-TEND-CSV with
 * X-COLUMN=header).  tend's own columns via and cadence come as extras
 * X-TEND-VIA and X-TEND-CADENCE whose values are the cells as written
 * (not escaped), for the importer to resolve and remove.  A record with
 * nothing that names a person (no name, e-mail, phone or company) gives
 * a contact with everything empty; the caller skips it.
 */
int	csv_read(struct csv_reader *, struct arena *a, struct contact **out,
	    struct err *);

/*
 * Lower the record limit (CSV_RECORD_MAX) for the records read from now
 * on, so that tests and the fuzzer reach it with small inputs.
 */
void	csv_reader_limit(struct csv_reader *, size_t max);

/* Where the record last returned (or failed) started: 1-based. */
unsigned	csv_reader_line(const struct csv_reader *);
unsigned	csv_reader_record(const struct csv_reader *);

/*
 * The writer: the header for layout CSV_TEND or CSV_GOOGLE (other
 * layouts are TEND_EINVAL), then one row per contact, lines ending in
 * LF.  Fields are quoted when they need it; several addresses, phones
 * or tags in one cell are joined with " ::: ".  The Google layout
 * starts with a UTF-8 BOM, as Google's own export does, so that Excel
 * reads it as UTF-8.  tz is the zone in which met_on is written as a
 * date (NULL: the process's zone).  docs/csv.md lists the columns.
 * Return 0 or TEND_EIO.
 *
 * (Not csv_write: libcsv has a function of that name.)
 */
int	csv_write_header(FILE *f, enum csv_layout, struct err *);
int	csv_write_contact(FILE *f, enum csv_layout, const struct contact *c,
	    const char *tz, struct err *);

#endif
