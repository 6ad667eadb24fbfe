/*
 * Parsing incoming mail with GMime into the plain struct inbound_msg
 * (src/mail/inbound.h).  Part of the mail plugin; no GMime type leaves.
 */
#ifndef TEND_PARSE_H
#define TEND_PARSE_H

#include <stddef.h>

#include "mail/inbound.h"
#include "util/err.h"

/*
 * Parse len bytes of an RFC 5322 message (CRLF or LF line ends).  Never
 * crashes on any input.  Returns 0 with *out (free with mime_msg_free),
 * or TEND_EINVAL "not a mail message: <why>" when the bytes are not a
 * message at all (empty, no header block, over INBOUND_MAX_BYTES,
 * binary): the caller keeps such bytes in quarantine.  A message with
 * odd parts (a broken charset, a bad encoded word, a truncated MIME
 * part) parses: what cannot be read is left NULL.  mime_init() must
 * have run.
 */
int	mime_parse(const char *raw, size_t len, struct inbound_msg **out,
	    struct err *);
void	mime_msg_free(struct inbound_msg *);	/* NULL: no-op */

#endif
