/*
 * Character sets of files that come from outside: a streaming check that
 * bytes are UTF-8 (for files read in chunks), and the conversion of
 * Windows-1252, what Excel and Outlook write on Western Windows systems,
 * to UTF-8.  Pure except charset_utf8_file(), which reads a stream.
 */
#ifndef TEND_CHARSET_H
#define TEND_CHARSET_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

/*
 * The state of a UTF-8 check over data that arrives in pieces: a
 * sequence split across two pieces is carried over.  The rules are
 * those of text_utf8_valid(): no overlong forms, no surrogates, nothing
 * above U+10FFFF.  NUL bytes are valid UTF-8 (callers that mind check
 * for them).
 */
struct charset_utf8 {
	unsigned	need;	/* continuation bytes still expected */
	unsigned char	lo;	/* range of the next continuation byte */
	unsigned char	hi;
	int		bad;	/* sticky: something invalid was seen */
};

void	charset_utf8_init(struct charset_utf8 *);

/* Check n more bytes; returns 1 while everything so far is valid. */
int	charset_utf8_feed(struct charset_utf8 *, const void *buf, size_t n);

/* 1 if all the bytes fed were valid and no sequence is left unfinished. */
int	charset_utf8_end(const struct charset_utf8 *);

/*
 * Read f from its current position to the end and say whether it is
 * UTF-8: 1 yes, 0 no (f is then somewhere before the end), TEND_EIO on
 * a read error (message in err, naming the file as name).  Memory does
 * not depend on the size of the file.
 */
int	charset_utf8_file(FILE *f, const char *name, struct err *);

/*
 * The most bytes charset_cp1252_to_utf8() writes for n input bytes:
 * every byte becomes at most 3 (U+20AC EURO SIGN is E2 82 AC).
 */
#define CHARSET_CP1252_MAX(n)	((n) * 3)

/*
 * Convert n bytes of Windows-1252 to UTF-8 into out, which has room for
 * CHARSET_CP1252_MAX(n) bytes; returns the number of bytes written (no
 * NUL is added).  Bytes below 0x80 are copied, 0xA0..0xFF are the
 * Latin-1 code points, 0x80..0x9F follow the Windows table (0x80 is €,
 * 0x92 is ’...).  The five bytes Windows-1252 leaves undefined (0x81,
 * 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD REPLACEMENT CHARACTER rather
 * than the C1 control characters of the same number: they stand for no
 * character, and a control character would make tend reject the whole
 * field, while U+FFFD keeps the rest and shows where something was lost.
 */
size_t	charset_cp1252_to_utf8(const void *in, size_t n, char *out);

/* The code point a Windows-1252 byte stands for (see above). */
unsigned	charset_cp1252_code(unsigned char);

#endif
