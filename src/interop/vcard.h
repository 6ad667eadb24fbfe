/*
 * vCard 2.1, 3.0 and 4.0 (RFC 2425/2426, RFC 6350): a streaming reader
 * that turns each card into a struct contact, and a writer for 4.0 and
 * 3.0.  Works on stdio streams; never prints, never exits.
 */
#ifndef TEND_VCARD_H
#define TEND_VCARD_H

#include <stdio.h>

#include "core/contact.h"
#include "util/err.h"

struct arena;
struct vcard_reader;

#define VCARD_LINE_MAX	(8 * 1024 * 1024)	/* one unfolded line */
#define VCARD_CARD_MAX	(16 * 1024 * 1024)	/* one card */

/*
 * A reader over f (not closed by the reader).  name is the file's name
 * for messages ("-" for standard input).
 */
struct vcard_reader	*vcard_reader_new(FILE *f, const char *name);
void			 vcard_reader_free(struct vcard_reader *);

/*
 * Read the next card into a contact allocated from a.  Returns 1 with
 * *out set, 0 at the end of the input, or TEND_EINVAL (bad card: the
 * message names the file, the card number and the line, as in
 * "cards.vcf: card 3, line 41: no END:VCARD before BEGIN:VCARD") or
 * TEND_EIO (read error).  After TEND_EINVAL the reader has skipped the
 * bad card, so the caller may go on reading the next one.
 *
 * Fields: name from FN (else N, else NULL), company and title from ORG
 * and TITLE, notes from NOTE, e-mails and phones with their labels
 * (TYPE values or an item's X-ABLabel), tags from CATEGORIES (as
 * written; the caller normalises), X-TEND-* properties written by
 * vcard_write back into their fields, and every other property in
 * extras.  Text is converted to UTF-8 from its CHARSET.  Strings are
 * unchecked (the caller runs contact_check); a card with nothing in it
 * gives a contact with every field empty, which the caller skips.
 * Everything is allocated from a; the reader's own memory is bounded by
 * VCARD_LINE_MAX and VCARD_CARD_MAX whatever the input.
 */
int	vcard_read(struct vcard_reader *, struct arena *a,
	    struct contact **out, struct err *);

/*
 * Where the card last returned (or failed) started: 1-based.  For an
 * error outside any card (text or binary data between cards, END:VCARD
 * without BEGIN:VCARD) the card is 0, the line that of the error, and
 * the message reads "FILE: line L: what".
 */
unsigned	vcard_reader_card(const struct vcard_reader *);
unsigned	vcard_reader_line(const struct vcard_reader *);

/*
 * After vcard_read() returned a card: NULL, or a message about what was
 * mended in it: text not valid in its CHARSET (the bad bytes became
 * U+FFFD, as in "a.vcf: card 6, line 82: ORG is not valid UTF-8: 1 byte
 * replaced with U+FFFD"), or base64 data cut short.  Valid until the
 * next vcard_read().
 */
const char	*vcard_reader_warning(const struct vcard_reader *);

/* 1 if the buffer looks like the start of a vCard file. */
int	vcard_sniff(const char *buf, size_t n);

/*
 * Write c as one vCard, version 40 (4.0) or 30 (3.0), to f: CRLF line
 * ends, lines folded at 75 bytes, values escaped.  Fields tend has and
 * vCard does not (kind, where met, source, needs, ...) are written as
 * X-TEND-* so that reading the card back gives the same contact;
 * extras follow as they are (adapted for 3.0: a data: PHOTO becomes
 * ENCODING=b).  A label that is no TYPE word ("Assistant") is written
 * as an itemN group with an X-ABLabel.  See docs/vcard.md.
 * Returns 0, TEND_EIO, or TEND_EINVAL for another version.
 */
int	vcard_write(FILE *f, const struct contact *c, int version,
	    struct err *);

#endif
