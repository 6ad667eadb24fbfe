/*
 * Unit tests for mail/token: round trips, known answers computed with
 * Python's hmac, case folding, and every way a token can be wrong:
 * tampered address or MAC, another key, bad or non-canonical base64,
 * empty, malformed and over-long tokens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/token.h"
#include "util/err.h"
#include "util/xmalloc.h"

static const char key1[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char key2[] =
    "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* token_check must fail with the one message and leave *address NULL. */
static void
expect_invalid(const char *key, const char *token)
{
	struct err	 e;
	char		*addr = (char *)"x";
	int		 rc;

	e.msg[0] = '\0';
	rc = token_check(key, token, &addr, &e);
	if (rc != TEND_EINVAL) {
		if (rc == 0)
			fail_msg("token '%s' accepted as '%s'", token, addr);
		fail_msg("token '%s': %d", token, rc);
	}
	assert_null(addr);
	assert_string_equal(e.msg, "invalid unsubscribe token");
}

static void
expect_valid(const char *key, const char *token, const char *want)
{
	struct err	 e;
	char		*addr;
	int		 rc;

	rc = token_check(key, token, &addr, &e);
	if (rc != 0)
		fail_msg("token '%s': %d %s", token, rc, e.msg);
	assert_string_equal(addr, want);
	free(addr);
}

static void
test_key_new(void **state)
{
	char	a[65], b[65];
	size_t	i;

	(void)state;
	memset(a, 'z', sizeof a);
	token_key_new(a);
	token_key_new(b);
	assert_int_equal(strlen(a), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_string_not_equal(a, b);
}

static void
test_known_answers(void **state)
{
	char	*t;

	(void)state;
	/* python3: base64url(a) "." base64url(HMAC-SHA256(key,
	 * "tend-unsubscribe:" a)), padding stripped */
	t = token_make(key1, "ann@example.org");
	assert_string_equal(t, "YW5uQGV4YW1wbGUub3Jn."
	    "4sBotqzGcngS7twUnf9cwyPugQaumfGI2FImdxjT-mA");
	expect_valid(key1, t, "ann@example.org");
	free(t);
	t = token_make(key1, "Émile@EXÄMPLE.com");
	assert_string_equal(t, "w6ltaWxlQGV4w6RtcGxlLmNvbQ."
	    "UtVNzFJY5IlD02U4nKu7AQl-kuBPKYPg6wBE5imKcz8");
	expect_valid(key1, t, "émile@exämple.com");
	free(t);
}

static void
test_round_trip(void **state)
{
	static const char *const addrs[] = {
		"ann@example.org", "a@b.co", "first.last+tag@sub.example.com",
		"o'neil@example.ie", "x_y-z=1@example.com", "山田@例え.jp",
	};
	char		 key[65], *t, *u;
	const char	*p;
	size_t		 i;

	(void)state;
	token_key_new(key);
	for (i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
		t = token_make(key, addrs[i]);
		assert_non_null(t);
		/* URL-safe: one dot, the rest base64url */
		for (p = t; *p != '\0'; p++)
			if (*p != '.' && strchr(b64url, *p) == NULL)
				fail_msg("'%c' in token %s", *p, t);
		assert_ptr_equal(strchr(t, '.'), strrchr(t, '.'));
		assert_int_equal(strlen(strchr(t, '.') + 1), 43);
		expect_valid(key, t, addrs[i]);
		/* the same address and key give the same token */
		u = token_make(key, addrs[i]);
		assert_string_equal(t, u);
		free(u);
		/* another key, another token, refused by the first */
		u = token_make(key2, addrs[i]);
		assert_string_not_equal(t, u);
		expect_invalid(key, u);
		free(u);
		free(t);
	}
}

static void
test_case_folding(void **state)
{
	char	*a, *b;

	(void)state;
	a = token_make(key1, "Ann.Lee@Example.ORG");
	b = token_make(key1, "ann.lee@example.org");
	assert_string_equal(a, b);
	expect_valid(key1, a, "ann.lee@example.org");
	free(a);
	free(b);
	a = token_make(key1, "ÉMILE@ÉCOLE.FR");
	expect_valid(key1, a, "émile@école.fr");
	free(a);
}

static void
test_tampered(void **state)
{
	char	*t, *u, *eve, *forged, *dot, orig;
	size_t	 i, k;

	(void)state;
	t = token_make(key1, "ann@example.org");
	dot = strchr(t, '.');
	/* someone else's address with Ann's MAC */
	eve = token_make(key1, "eve@example.org");
	forged = xasprintf("%.*s%s", (int)(strchr(eve, '.') - eve), eve, dot);
	expect_invalid(key1, forged);
	free(forged);
	/* Ann's address with Eve's MAC */
	forged = xasprintf("%.*s%s", (int)(dot - t), t, strchr(eve, '.'));
	expect_invalid(key1, forged);
	free(forged);
	free(eve);
	/* every character changed, address and MAC alike */
	for (i = 0; t[i] != '\0'; i++) {
		if (t[i] == '.')
			continue;
		orig = t[i];
		for (k = 0; k < 64; k += 7) {
			if (b64url[k] == orig)
				continue;
			t[i] = b64url[k];
			expect_invalid(key1, t);
		}
		t[i] = orig;
	}
	expect_valid(key1, t, "ann@example.org");
	/* truncated or extended */
	u = xstrndup(t, strlen(t) - 1);
	expect_invalid(key1, u);
	free(u);
	u = xasprintf("%sA", t);
	expect_invalid(key1, u);
	free(u);
	u = xasprintf("%.*s%s", (int)(dot - t - 1), t, dot);
	expect_invalid(key1, u);
	free(u);
	/* the wrong key */
	expect_invalid(key2, t);
	free(t);
}

static void
test_bad_base64(void **state)
{
	char	*t, *u, *dot;
	size_t	 n;

	(void)state;
	t = token_make(key1, "ann@example.org");
	dot = strchr(t, '.');
	n = strlen(t);
	/* padding, the other alphabet, blanks */
	u = xasprintf("%s=", t);
	expect_invalid(key1, u);
	free(u);
	u = xasprintf("%.*s=%s", (int)(dot - t), t, dot);
	expect_invalid(key1, u);
	free(u);
	u = xstrdup(t);
	u[3] = '+';
	expect_invalid(key1, u);
	u[3] = '/';
	expect_invalid(key1, u);
	u[3] = ' ';
	expect_invalid(key1, u);
	u[3] = '!';
	expect_invalid(key1, u);
	free(u);
	u = xasprintf(" %s", t);
	expect_invalid(key1, u);
	free(u);
	u = xasprintf("%s\n", t);
	expect_invalid(key1, u);
	free(u);
	/* non-canonical: the MAC's last character differs only in the two
	 * bits that carry nothing; the bytes decode the same, so only a
	 * strict decoder refuses it */
	u = xstrdup(t);
	assert_string_equal(u + n - 1, "A");	/* "...-mA" */
	u[n - 1] = 'B';
	expect_invalid(key1, u);
	u[n - 1] = 'D';
	expect_invalid(key1, u);
	free(u);
	free(t);
	/* the same in the address: 14 bytes leave 2 spare bits in the last
	 * of its 19 characters */
	t = token_make(key1, "ann@example.de");
	dot = strchr(t, '.');
	assert_int_equal(dot - t, 19);
	u = xstrdup(t);
	u[dot - t - 1] = b64url[(strchr(b64url, t[dot - t - 1]) - b64url) ^ 1];
	expect_invalid(key1, u);
	free(u);
	expect_valid(key1, t, "ann@example.de");
	free(t);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"", ".", "..", "abc", "abc.", ".abc", "a.b.c",
		"YW5uQGV4YW1wbGUub3Jn",
		/* two dots; no address; MAC short, long; a %-escape */
		"YW5uQGV4YW1wbGUub3Jn.."
		    "4sBotqzGcngS7twUnf9cwyPugQaumfGI2FImdxjT-mA",
		".4sBotqzGcngS7twUnf9cwyPugQaumfGI2FImdxjT-mA",
		"YW5uQGV4YW1wbGUub3Jn."
		    "4sBotqzGcngS7twUnf9cwyPugQaumfGI2FImdxjT",
		"YW5uQGV4YW1wbGUub3Jn."
		    "4sBotqzGcngS7twUnf9cwyPugQaumfGI2FImdxjT-mAAA",
		"%59W5uQGV4YW1wbGUub3Jn."
		    "4sBotqzGcngS7twUnf9cwyPugQaumfGI2FImdxjT-mA",
	};
	struct err	 e;
	char		 big[TOKEN_MAX + 2], *addr, *t, *u;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_invalid(key1, bad[i]);
	expect_invalid(key1, NULL);
	/* over-long, however it starts */
	t = token_make(key1, "ann@example.org");
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, t, strlen(t));
	expect_invalid(key1, big);
	u = xasprintf("%s%s", t, big);
	expect_invalid(key1, u);
	free(u);
	free(t);

	/* the longest address works and stays within TOKEN_MAX */
	memset(big, 'a', 254);
	memcpy(big + 254 - 12, "@example.com", 12);
	big[254] = '\0';
	t = token_make(key1, big);
	assert_non_null(t);
	assert_true(strlen(t) <= TOKEN_MAX);
	expect_valid(key1, t, big);
	free(t);
	big[254] = 'm';
	big[255] = '\0';
	assert_null(token_make(key1, big));
	assert_null(token_make(key1, ""));
	assert_null(token_make(key1, NULL));

	/* bad keys */
	assert_null(token_make("", "ann@example.org"));
	assert_null(token_make("abc", "ann@example.org"));
	assert_null(token_make(key1 + 1, "ann@example.org"));
	t = xasprintf("%.63sg", key1);
	assert_null(token_make(t, "ann@example.org"));
	addr = (char *)"x";
	assert_int_equal(token_check(t, "a.b", &addr, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "invalid unsubscribe key");
	assert_null(addr);
	free(t);
	assert_int_equal(token_check(NULL, "a.b", &addr, NULL), TEND_EINVAL);
	/* a NULL err is fine */
	assert_int_equal(token_check(key1, "a.b", &addr, NULL), TEND_EINVAL);
	assert_null(addr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_new),
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_case_folding),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_bad_base64),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
