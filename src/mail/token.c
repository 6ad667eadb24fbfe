/*
 * Unsubscribe tokens with libsodium: the address in base64url and an
 * HMAC-SHA-256 over it, so that a link names one recipient and nobody
 * can make a link for another address without the key.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mail/token.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define TOKEN_ADDR_MAX	254	/* RFC 5321's longest path, less <> */
#define TOKEN_MAC_LEN	crypto_auth_hmacsha256_BYTES
#define TOKEN_B64	sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* Domain separation: the same key may one day sign other things. */
static const char token_context[] = "tend-unsubscribe:";

/* sodium_init() is idempotent and thread-safe; it fails only if the
 * system has no usable random source, when nothing here can work. */
static void
token_sodium(void)
{
	if (sodium_init() < 0)
		abort();
}

/* The key from 64 hex characters; -1 if it is not that. */
static int
token_key(const char *hex, unsigned char key[TOKEN_KEY_LEN])
{
	const char	*end;
	size_t		 n;

	if (hex == NULL || strlen(hex) != 2 * TOKEN_KEY_LEN)
		return -1;
	if (sodium_hex2bin(key, TOKEN_KEY_LEN, hex, 2 * TOKEN_KEY_LEN, NULL,
	    &n, &end) != 0 || n != TOKEN_KEY_LEN || *end != '\0')
		return -1;
	return 0;
}

static void
token_mac(const unsigned char key[TOKEN_KEY_LEN], const char *addr,
    size_t n, unsigned char mac[TOKEN_MAC_LEN])
{
	crypto_auth_hmacsha256_state	st;

	crypto_auth_hmacsha256_init(&st, key, TOKEN_KEY_LEN);
	crypto_auth_hmacsha256_update(&st,
	    (const unsigned char *)token_context, sizeof token_context - 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)addr, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof st);
}

void
token_key_new(char hex[65])
{
	unsigned char	key[TOKEN_KEY_LEN];

	token_sodium();
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, 2 * TOKEN_KEY_LEN + 1, key, sizeof key);
	sodium_memzero(key, sizeof key);
}

char *
token_make(const char *key_hex, const char *address)
{
	unsigned char	 key[TOKEN_KEY_LEN], mac[TOKEN_MAC_LEN];
	char		*addr, *out = NULL;
	size_t		 n, alen, mlen;

	token_sodium();
	if (address == NULL || token_key(key_hex, key) != 0)
		return NULL;
	addr = text_fold(address);
	n = strlen(addr);
	if (n == 0 || n > TOKEN_ADDR_MAX)
		goto out;
	token_mac(key, addr, n, mac);
	/* the _LEN macros count the NUL */
	alen = sodium_base64_ENCODED_LEN(n, TOKEN_B64) - 1;
	mlen = sodium_base64_ENCODED_LEN(TOKEN_MAC_LEN, TOKEN_B64) - 1;
	out = xmalloc(alen + 1 + mlen + 1);
	sodium_bin2base64(out, alen + 1, (const unsigned char *)addr, n,
	    TOKEN_B64);
	out[alen] = '.';
	sodium_bin2base64(out + alen + 1, mlen + 1, mac, sizeof mac,
	    TOKEN_B64);
out:
	sodium_memzero(key, sizeof key);
	free(addr);
	return out;
}

int
token_check(const char *key_hex, const char *token, char **address,
    struct err *e)
{
	unsigned char	 key[TOKEN_KEY_LEN], mac[TOKEN_MAC_LEN];
	unsigned char	 got[TOKEN_MAC_LEN];
	char		 addr[TOKEN_MAX];
	const char	*dot, *end;
	size_t		 len, n, m;
	int		 rc;

	*address = NULL;
	token_sodium();
	if (token_key(key_hex, key) != 0)
		return err_set(e, TEND_EINVAL, "invalid unsubscribe key");
	rc = TEND_EINVAL;
	if (token == NULL)
		goto out;
	len = strnlen(token, TOKEN_MAX + 1);
	dot = memchr(token, '.', len);
	if (len == 0 || len > TOKEN_MAX || dot == NULL || dot == token)
		goto out;
	/* strict: no padding, no blanks, canonical final bits */
	if (sodium_base642bin((unsigned char *)addr, sizeof addr, token,
	    (size_t)(dot - token), NULL, &n, &end, TOKEN_B64) != 0 ||
	    end != dot || n == 0 || n > TOKEN_ADDR_MAX)
		goto out;
	if (sodium_base642bin(got, sizeof got, dot + 1,
	    len - (size_t)(dot - token) - 1, NULL, &m, &end, TOKEN_B64) != 0 ||
	    end != token + len || m != TOKEN_MAC_LEN)
		goto out;
	token_mac(key, addr, n, mac);
	if (crypto_verify_32(mac, got) != 0)
		goto out;
	/* the MAC is good, so the key's holder made it; still no NUL */
	if (memchr(addr, '\0', n) != NULL)
		goto out;
	*address = xstrndup(addr, n);
	rc = 0;
out:
	sodium_memzero(key, sizeof key);
	if (rc != 0)
		return err_set(e, rc, "invalid unsubscribe token");
	return 0;
}
