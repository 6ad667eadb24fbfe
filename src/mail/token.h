/*
 * Unsubscribe tokens: a URL-safe string that names a recipient's address
 * and cannot be made without the key (HMAC-SHA-256, libsodium), so the
 * link in a message unsubscribes that address and no other.
 */
#ifndef TEND_TOKEN_H
#define TEND_TOKEN_H

#include "util/err.h"

#define TOKEN_KEY_LEN	32	/* bytes; 64 hex characters */
#define TOKEN_MAX	512	/* longest token token_check() reads */

/* A new random key, as 64 lower-case hex characters and a NUL. */
void	token_key_new(char hex[65]);

/*
 * A token for address, lower-cased first (every script, as the store
 * compares addresses): base64url(address) "." base64url(HMAC-SHA-256 of
 * "tend-unsubscribe:" address under the key), without padding; only
 * [A-Za-z0-9_.-].  Malloc'd; the caller frees.  NULL when key_hex is not
 * 64 hex characters or address is empty or over 254 bytes.
 */
char	*token_make(const char *key_hex, const char *address);

/*
 * Check token against the key.  Returns 0 with *address the address it
 * names (lower case, malloc'd, the caller frees), or TEND_EINVAL
 * "invalid unsubscribe token" with *address NULL: bad form, bad base64,
 * not canonical, a MAC that does not match (compared in constant time), a
 * wrong key, empty, or longer than TOKEN_MAX.  A key_hex that is not 64
 * hex characters gives TEND_EINVAL "invalid unsubscribe key".
 */
int	token_check(const char *key_hex, const char *token, char **address,
	    struct err *);

#endif
