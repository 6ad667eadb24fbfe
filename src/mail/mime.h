/*
 * MIME bodies and IDN addresses with GMime 3: the mail plugin's half of
 * building a message (the header block is src/mail/compose.c's).
 */
#ifndef TEND_MIME_H
#define TEND_MIME_H

#include <stddef.h>

#include "util/err.h"

/* GMime's global state, once per process; thread-safe; idempotent. */
void	mime_init(void);
void	mime_shutdown(void);

/* addr with its domain in punycode (malloc'd). */
char	*mime_idn_addr(const char *addr);

/*
 * The MIME body of a message: its Content-* headers, a blank line and
 * the content, CRLF, 7-bit: text/plain; charset=utf-8 (html NULL) or
 * multipart/alternative with boundary, each part in its best 7-bit
 * encoding (quoted-printable when a line ends in a blank).  *out is
 * malloc'd, *len its length.  TEND_EIO if GMime fails to write.
 */
int	mime_body(const char *text, const char *html, const char *boundary,
	    char **out, size_t *len, struct err *);

#endif
