/*
 * Unit tests for the checks on outside input: UTF-8, control characters,
 * lengths, e-mail addresses, phones, tags and whole contacts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/contact.h"
#include "util/err.h"
#include "util/text.h"

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(text_utf8_valid("", 0));
	assert_true(text_utf8_valid("Zoë Łukasz 山田太郎 😀",
	    strlen("Zoë Łukasz 山田太郎 😀")));
	assert_true(text_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(text_utf8_valid("\xff", 1));
	assert_false(text_utf8_valid("\xc3", 1));		/* truncated */
	assert_false(text_utf8_valid("a\xe2\x82", 3));		/* truncated */
	assert_false(text_utf8_valid("\xc0\xaf", 2));		/* overlong */
	assert_false(text_utf8_valid("\xe0\x80\xaf", 3));	/* overlong */
	assert_false(text_utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(text_utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(text_utf8_valid("\x80", 1));		/* lone cont. */
}

static void
test_text_check(void **state)
{
	struct err	e;
	char		long_name[TEXT_SHORT_MAX + 2];

	(void)state;
	assert_int_equal(text_check("name", "Ann", TEXT_SHORT_MAX, 0, &e), 0);
	assert_int_equal(text_check("name", "a\tb", TEXT_SHORT_MAX, 0, &e), 0);
	assert_int_equal(text_check("name", "a\nb", TEXT_SHORT_MAX, 0, &e),
	    TEND_EINVAL);
	assert_string_equal(e.msg, "name contains a control character "
	    "(0x0a)");
	assert_int_equal(text_check("note", "a\nb", TEXT_LONG_MAX, 1, &e), 0);
	assert_int_equal(text_check("note", "a\rb", TEXT_LONG_MAX, 1, &e),
	    TEND_EINVAL);
	assert_int_equal(text_check("note", "a\x7f", TEXT_LONG_MAX, 1, &e),
	    TEND_EINVAL);
	assert_int_equal(text_check("name", "\xff", TEXT_SHORT_MAX, 0, &e),
	    TEND_EINVAL);
	assert_string_equal(e.msg, "name is not valid UTF-8");
	memset(long_name, 'x', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_int_equal(text_check("name", long_name, TEXT_SHORT_MAX, 0, &e),
	    TEND_EINVAL);
	assert_string_equal(e.msg, "name is too long (201 bytes, at most 200)");
}

static void
test_fold(void **state)
{
	char	*f;

	(void)state;
	f = text_fold("Émile ZOË Łukasz ANN");
	assert_string_equal(f, "émile zoë łukasz ann");
	free(f);
	f = text_fold("ΣΟΦΙΑ");
	assert_non_null(f);
	assert_int_equal(strncmp(f, "σοφι", strlen("σοφι")), 0);
	free(f);
	/* bytes that are not UTF-8 stay as they are */
	f = text_fold("AB\xff" "C");
	assert_string_equal(f, "ab\xff" "c");
	free(f);
}

static void
test_email(void **state)
{
	static const char *const good[] = {
		"ann@example.com", "Ann.Lee+tend@mail.example.co.uk",
		"a@b.cd", "x_y-z@sub-domain.example.org", "zoë@exämple.com",
		NULL
	};
	static const char *const bad[] = {
		"", "ann", "@example.com", "ann@", "ann@example",
		"ann@@example.com", "ann@exa mple.com", "an n@example.com",
		"ann@-example.com", "ann@example-.com", "ann@example..com",
		".ann@example.com", "ann.@example.com", "a..b@example.com",
		"ann@example.com\n", "<ann@example.com>", "ann@exam_ple.com",
		"\"ann\"@example.com", NULL
	};
	struct err	e;
	size_t		i;

	(void)state;
	for (i = 0; good[i] != NULL; i++)
		assert_int_equal(contact_email_check(good[i], &e), 0);
	for (i = 0; bad[i] != NULL; i++) {
		assert_int_equal(contact_email_check(bad[i], &e), TEND_EINVAL);
		assert_non_null(strstr(e.msg, "invalid e-mail address"));
	}
}

static void
test_phone(void **state)
{
	struct err	 e;
	char		*d;

	(void)state;
	assert_int_equal(contact_phone_check("+33 6 12 34 56 78", &e), 0);
	assert_int_equal(contact_phone_check("(555) 123-4567", &e), 0);
	assert_int_equal(contact_phone_check("12", &e), TEND_EINVAL);
	assert_int_equal(contact_phone_check("555-CALL-NOW", &e), TEND_EINVAL);
	assert_int_equal(contact_phone_check("1234567890123456789012345678901"
	    "2345678901", &e), TEND_EINVAL);
	d = contact_phone_digits("+33 (6) 12-34");
	assert_string_equal(d, "+3361234");
	free(d);
	d = contact_phone_digits("06 12 +34");
	assert_string_equal(d, "061234");
	free(d);
}

static void
test_tag(void **state)
{
	struct err	e;

	(void)state;
	assert_int_equal(contact_tag_check("bni", &e), 0);
	assert_int_equal(contact_tag_check("café-2026", &e), 0);
	assert_int_equal(contact_tag_check("", &e), TEND_EINVAL);
	assert_int_equal(contact_tag_check("two words", &e), TEND_EINVAL);
	assert_int_equal(contact_tag_check("a,b", &e), TEND_EINVAL);
}

static void
test_contact_check(void **state)
{
	struct contact	 c;
	struct err	 e;
	char		*emails[] = { "ann@example.com", "bad" };

	(void)state;
	memset(&c, 0, sizeof c);
	assert_int_equal(contact_check(&c, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "a contact needs a name");
	c.name = "Ann";
	assert_int_equal(contact_check(&c, &e), 0);
	c.kind = "boss";
	assert_int_equal(contact_check(&c, &e), TEND_EINVAL);
	assert_non_null(strstr(e.msg, "unknown kind 'boss'"));
	c.kind = "client";
	c.source = "party";
	assert_int_equal(contact_check(&c, &e), TEND_EINVAL);
	c.source = "referral";
	c.tz = "Mars/Olympus";
	assert_int_equal(contact_check(&c, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "unknown time zone 'Mars/Olympus'");
	c.tz = "Europe/Paris";
	c.emails.v = emails;
	c.emails.n = 1;
	assert_int_equal(contact_check(&c, &e), 0);
	c.emails.n = 2;
	assert_int_equal(contact_check(&c, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "invalid e-mail address 'bad'");
	c.emails.n = 0;
	c.needs = "line one\nline two";
	assert_int_equal(contact_check(&c, &e), 0);
	c.company = "Acme\r";
	assert_int_equal(contact_check(&c, &e), TEND_EINVAL);
}

static void
test_first_name(void **state)
{
	char	*f;

	(void)state;
	f = contact_first_name("Ann Lee");
	assert_string_equal(f, "Ann");
	free(f);
	f = contact_first_name("Zoë");
	assert_string_equal(f, "Zoë");
	free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_tag),
		cmocka_unit_test(test_contact_check),
		cmocka_unit_test(test_first_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
