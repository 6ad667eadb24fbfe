/*
 * Unit tests for util/charset: Windows-1252 to UTF-8 checked byte by
 * byte against iconv's CP1252, and the streaming UTF-8 check against
 * text_utf8_valid() for every way of cutting the input in pieces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <iconv.h>

#include "util/charset.h"
#include "util/err.h"
#include "util/text.h"

/* Bytes Windows-1252 leaves undefined. */
static int
undefined(unsigned c)
{
	return c == 0x81 || c == 0x8d || c == 0x8f || c == 0x90 || c == 0x9d;
}

static void
test_cp1252_vs_iconv(void **state)
{
	iconv_t		 cd;
	char		 in[1], out[8], mine[8], *ip, *op;
	size_t		 il, ol, n;
	unsigned	 c;

	(void)state;
	cd = iconv_open("UTF-8", "CP1252");
	if (cd == (iconv_t)-1)
		skip();
	for (c = 0; c < 256; c++) {
		in[0] = (char)c;
		n = charset_cp1252_to_utf8(in, 1, mine);
		assert_true(n >= 1 && n <= CHARSET_CP1252_MAX(1));
		assert_true(text_utf8_valid(mine, n));
		if (undefined(c)) {
			assert_int_equal(n, 3);
			assert_memory_equal(mine, "\xef\xbf\xbd", 3);
			assert_int_equal(charset_cp1252_code((unsigned char)c),
			    0xfffd);
			continue;
		}
		ip = in;
		il = 1;
		op = out;
		ol = sizeof out;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
			fail_msg("iconv refused byte 0x%02x", c);
		if ((size_t)(op - out) != n || memcmp(out, mine, n) != 0)
			fail_msg("byte 0x%02x differs from iconv", c);
	}
	iconv_close(cd);
}

static void
test_cp1252_examples(void **state)
{
	static const char in[] = "Caf\xe9 \x80" "5 \x93ok\x94 \x9f";
	char	out[CHARSET_CP1252_MAX(sizeof in)];
	size_t	n;

	(void)state;
	n = charset_cp1252_to_utf8(in, sizeof in - 1, out);
	out[n] = '\0';
	assert_string_equal(out, "Café €5 “ok” Ÿ");
	assert_int_equal(charset_cp1252_to_utf8("", 0, out), 0);
}

/* Feed s in pieces cut at the given offsets; 1 if valid. */
static int
fed(const char *s, size_t n, const size_t *cuts, size_t ncuts)
{
	struct charset_utf8	st;
	size_t			from = 0, i;

	charset_utf8_init(&st);
	for (i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : n;

		charset_utf8_feed(&st, s + from, to - from);
		from = to;
	}
	return charset_utf8_end(&st);
}

static void
check_all_cuts(const char *s, size_t n)
{
	size_t	cuts[2], i, j;
	int	want = text_utf8_valid(s, n);

	assert_int_equal(fed(s, n, NULL, 0), want);
	for (i = 0; i <= n; i++) {
		cuts[0] = i;
		assert_int_equal(fed(s, n, cuts, 1), want);
		for (j = i; j <= n; j++) {
			cuts[1] = j;
			assert_int_equal(fed(s, n, cuts, 2), want);
		}
	}
}

static void
test_utf8_cases(void **state)
{
	static const struct {
		const char	*s;
		int		 valid;
	} cases[] = {
		{ "", 1 },
		{ "plain ascii, longer than one word of eight", 1 },
		{ "caf\xc3\xa9", 1 },
		{ "\xe2\x82\xac euro", 1 },
		{ "\xf0\x9f\x98\x80 emoji", 1 },
		{ "\xef\xbf\xbd", 1 },
		{ "\xf4\x8f\xbf\xbf", 1 },		/* U+10FFFF */
		{ "\xed\x9f\xbf", 1 },			/* U+D7FF */
		{ "\xc3", 0 },				/* cut short */
		{ "\xe2\x82", 0 },
		{ "abc\xf0\x9f\x98", 0 },
		{ "\x80", 0 },				/* lone continuation */
		{ "\xc0\x80", 0 },			/* overlong NUL */
		{ "\xc1\xbf", 0 },
		{ "\xe0\x80\xaf", 0 },			/* overlong / */
		{ "\xe0\x9f\xbf", 0 },
		{ "\xed\xa0\x80", 0 },			/* surrogate */
		{ "\xf0\x8f\xbf\xbf", 0 },		/* overlong */
		{ "\xf4\x90\x80\x80", 0 },		/* above U+10FFFF */
		{ "\xf5\x80\x80\x80", 0 },
		{ "\xff", 0 },
		{ "caf\xe9", 0 },			/* Latin-1 */
		{ "\xc3\xa9\xc3", 0 },
		{ "a\xc3 b", 0 }
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i].s);

		if (text_utf8_valid(cases[i].s, n) != cases[i].valid)
			fail_msg("case %zu: text_utf8_valid disagrees", i);
		check_all_cuts(cases[i].s, n);
	}
}

/* Random strings of bytes that matter, cut at random places. */
static void
test_utf8_random(void **state)
{
	static const unsigned char alphabet[] = {
		'a', ' ', 0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
		0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff
	};
	uint32_t	seed = 12345;
	char		s[24];
	size_t		n, i, k, cuts[3];
	int		valid = 0;

	(void)state;
	for (k = 0; k < 200000; k++) {
		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % sizeof s;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			s[i] = (char)alphabet[(seed >> 16) % sizeof alphabet];
		}
		for (i = 0; i < 3; i++) {
			seed = seed * 1103515245 + 12345;
			cuts[i] = n ? (seed >> 16) % (n + 1) : 0;
		}
		if (cuts[0] > cuts[1]) {
			size_t t = cuts[0];

			cuts[0] = cuts[1];
			cuts[1] = t;
		}
		if (cuts[1] > cuts[2]) {
			size_t t = cuts[1];

			cuts[1] = cuts[2];
			cuts[2] = t;
		}
		if (cuts[0] > cuts[1]) {
			size_t t = cuts[0];

			cuts[0] = cuts[1];
			cuts[1] = t;
		}
		if (fed(s, n, cuts, 3) != text_utf8_valid(s, n))
			fail_msg("disagreement on a string of %zu bytes", n);
		valid += text_utf8_valid(s, n);
	}
	/* the alphabet makes both answers common */
	assert_true(valid > 1000 && valid < 199000);
}

static void
test_utf8_sticky(void **state)
{
	struct charset_utf8	st;

	(void)state;
	charset_utf8_init(&st);
	assert_int_equal(charset_utf8_feed(&st, "ok \xff", 4), 0);
	assert_int_equal(charset_utf8_feed(&st, "fine", 4), 0);
	assert_int_equal(charset_utf8_end(&st), 0);
	charset_utf8_init(&st);
	assert_int_equal(charset_utf8_feed(&st, "\xe2", 1), 1);
	assert_int_equal(charset_utf8_end(&st), 0);
	assert_int_equal(charset_utf8_feed(&st, "\x82\xac", 2), 1);
	assert_int_equal(charset_utf8_end(&st), 1);
}

static FILE *
file_of(size_t pad, const char *tail)
{
	FILE	*f;
	size_t	 i;

	f = tmpfile();
	assert_non_null(f);
	for (i = 0; i < pad; i++)
		putc('x', f);
	fputs(tail, f);
	rewind(f);
	return f;
}

static void
test_utf8_file(void **state)
{
	struct err	 e;
	FILE		*f;

	(void)state;
	f = file_of(0, "");
	assert_int_equal(charset_utf8_file(f, "t", &e), 1);
	fclose(f);
	/* a sequence across the reader's 64 KiB chunks */
	f = file_of(64 * 1024 - 1, "\xc3\xa9 and \xe2\x82\xac");
	assert_int_equal(charset_utf8_file(f, "t", &e), 1);
	fclose(f);
	f = file_of(64 * 1024 - 2, "\xe2\x82\xac");
	assert_int_equal(charset_utf8_file(f, "t", &e), 1);
	fclose(f);
	f = file_of(3 * 64 * 1024, "caf\xe9");
	assert_int_equal(charset_utf8_file(f, "t", &e), 0);
	fclose(f);
	f = file_of(10, "\xf0\x9f\x98");
	assert_int_equal(charset_utf8_file(f, "t", &e), 0);
	fclose(f);
	/* a stream that cannot be read */
	f = fopen("/dev/null", "w");
	assert_non_null(f);
	assert_int_equal(charset_utf8_file(f, "t.csv", &e), TEND_EIO);
	assert_memory_equal(e.msg, "t.csv: cannot read: ", 20);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cp1252_vs_iconv),
		cmocka_unit_test(test_cp1252_examples),
		cmocka_unit_test(test_utf8_cases),
		cmocka_unit_test(test_utf8_random),
		cmocka_unit_test(test_utf8_sticky),
		cmocka_unit_test(test_utf8_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
