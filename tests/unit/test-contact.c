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
#include "util/arena.h"
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

static void
test_strlist(void **state)
{
	struct arena	*a = arena_new();
	struct strlist	 l;

	(void)state;
	memset(&l, 0, sizeof l);
	assert_null(strlist_label(&l, 0));
	strlist_push(a, &l, "ann@example.com", "work");
	strlist_push(a, &l, "ann@home.example", NULL);
	strlist_push(a, &l, "x@y.example", "other");
	assert_int_equal(l.n, 3);
	assert_int_equal(strlist_find(&l, "ANN@Example.com"), 0);
	assert_int_equal(strlist_find(&l, "nobody@example.com"), -1);
	assert_string_equal(strlist_label(&l, 0), "work");
	assert_null(strlist_label(&l, 1));
	strlist_del(&l, 1);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1], "x@y.example");
	assert_string_equal(strlist_label(&l, 1), "other");
	assert_null(strlist_label(&l, 2));
	strlist_del(&l, 7);	/* out of range: nothing */
	assert_int_equal(l.n, 2);
	arena_free(a);
}

static void
test_merge(void **state)
{
	struct arena		*a = arena_new();
	struct contact		 dst, src;
	struct contact_extra	 xd[] = { { NULL, "N", NULL, "Lee;Ann;;;" } };
	struct contact_extra	 xs[] = {
		{ NULL, "N", NULL, "Lee;Annie;;;" },
		{ "item1", "URL", NULL, "https://ann.example" },
		{ "item1", "URL", NULL, "https://ann.example" }
	};

	(void)state;
	memset(&dst, 0, sizeof dst);
	memset(&src, 0, sizeof src);
	dst.name = "Ann Lee";
	dst.company = "Acme";
	dst.kind = "other";
	dst.notes = "likes tea";
	dst.met_on = 2000;
	dst.last_touch = 100;
	strlist_push(a, &dst.emails, "ann@example.com", NULL);
	strlist_push(a, &dst.phones, "+1 (555) 0100", NULL);
	strlist_push(a, &dst.tags, "bni", NULL);
	dst.extras = xd;
	dst.nextras = 1;
	src.name = "Annie Lee";
	src.company = "Other Co";
	src.title = "CEO";
	src.kind = "client";
	src.notes = "two kids";
	src.met_on = 1000;
	src.last_touch = 50;
	src.do_not_contact = 1;
	strlist_push(a, &src.emails, "ANN@example.com", NULL);
	strlist_push(a, &src.emails, "ann@home.example", "home");
	strlist_push(a, &src.phones, "+1 555 0100", NULL);
	strlist_push(a, &src.phones, "+44 20 7946 0000", "work");
	strlist_push(a, &src.tags, "BNI", NULL);
	strlist_push(a, &src.tags, "golf", NULL);
	src.extras = xs;
	src.nextras = 3;

	assert_int_equal(contact_merge(a, &dst, &src, CONTACT_MERGE_KEEP), 1);
	assert_string_equal(dst.name, "Ann Lee");
	assert_string_equal(dst.company, "Acme");	/* kept */
	assert_string_equal(dst.title, "CEO");		/* filled */
	assert_string_equal(dst.kind, "client");	/* "other" is empty */
	assert_string_equal(dst.notes, "likes tea");
	assert_int_equal(dst.met_on, 1000);		/* the earlier */
	assert_int_equal(dst.last_touch, 100);		/* the later */
	assert_true(dst.do_not_contact);
	assert_int_equal(dst.emails.n, 2);
	assert_string_equal(dst.emails.v[1], "ann@home.example");
	assert_string_equal(strlist_label(&dst.emails, 1), "home");
	assert_int_equal(dst.phones.n, 2);	/* same digits: one */
	assert_string_equal(dst.phones.v[1], "+44 20 7946 0000");
	assert_int_equal(dst.tags.n, 2);
	assert_int_equal(dst.nextras, 2);	/* N kept, URL added */
	assert_string_equal(dst.extras[0].value, "Lee;Ann;;;");
	assert_string_equal(dst.extras[1].name, "URL");

	/* the same again: nothing new */
	assert_int_equal(contact_merge(a, &dst, &src, CONTACT_MERGE_KEEP), 0);

	/* the file wins */
	assert_int_equal(contact_merge(a, &dst, &src, CONTACT_MERGE_PREFER),
	    1);
	assert_string_equal(dst.company, "Other Co");
	assert_string_equal(dst.notes, "two kids");
	assert_string_equal(dst.extras[0].value, "Lee;Annie;;;");

	/* by hand: notes are joined, not lost */
	dst.notes = "likes tea";
	assert_int_equal(contact_merge(a, &dst, &src, CONTACT_MERGE_JOIN), 1);
	assert_string_equal(dst.notes, "likes tea\n\ntwo kids");
	assert_string_equal(dst.company, "Other Co");
	arena_free(a);
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
		cmocka_unit_test(test_strlist),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
