/*
 * UTF-8 checks over streams and the Windows-1252 to UTF-8 conversion
 * used for CSV files that are not UTF-8.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "util/charset.h"

#define CHARSET_CHUNK	(16 * 1024)	/* on the stack */

void
charset_utf8_init(struct charset_utf8 *st)
{
	memset(st, 0, sizeof *st);
}

/*
 * The ranges follow RFC 3629's table: the byte after E0 starts at A0
 * (no overlongs), after ED it stops at 9F (no surrogates), after F0 it
 * starts at 90 and after F4 it stops at 8F (nothing above U+10FFFF).
 */
static int
lead(struct charset_utf8 *st, unsigned char c)
{
	st->lo = 0x80;
	st->hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		st->need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		st->need = 2;
		if (c == 0xe0)
			st->lo = 0xa0;
		else if (c == 0xed)
			st->hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		st->need = 3;
		if (c == 0xf0)
			st->lo = 0x90;
		else if (c == 0xf4)
			st->hi = 0x8f;
	} else
		return 0;
	return 1;
}

int
charset_utf8_feed(struct charset_utf8 *st, const void *buf, size_t n)
{
	const unsigned char	*s = buf;
	size_t			 i = 0;
	uint64_t		 w;

	if (st->bad)
		return 0;
	while (i < n) {
		if (st->need == 0) {
			/* Most of a contacts file is ASCII: skip it a word
			 * at a time. */
			while (i + 8 <= n) {
				memcpy(&w, s + i, 8);
				if ((w & UINT64_C(0x8080808080808080)) != 0)
					break;
				i += 8;
			}
			while (i < n && s[i] < 0x80)
				i++;
			if (i == n)
				break;
			if (!lead(st, s[i])) {
				st->bad = 1;
				return 0;
			}
			i++;
			continue;
		}
		if (s[i] < st->lo || s[i] > st->hi) {
			st->bad = 1;
			return 0;
		}
		st->lo = 0x80;
		st->hi = 0xbf;
		st->need--;
		i++;
	}
	return 1;
}

int
charset_utf8_end(const struct charset_utf8 *st)
{
	return !st->bad && st->need == 0;
}

int
charset_utf8_file(FILE *f, const char *name, struct err *err)
{
	struct charset_utf8	 st;
	char			 buf[CHARSET_CHUNK];
	size_t			 n;

	charset_utf8_init(&st);
	for (;;) {
		n = fread(buf, 1, sizeof buf, f);
		if (n > 0 && !charset_utf8_feed(&st, buf, n))
			return 0;
		if (n < sizeof buf)
			break;
	}
	if (ferror(f))
		return err_set(err, TEND_EIO, "%s: cannot read: %s", name,
		    strerror(errno));
	return charset_utf8_end(&st);
}

/* 0x80..0x9F; 0xFFFD where Windows-1252 defines nothing. */
static const unsigned short cp1252_high[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178
};

unsigned
charset_cp1252_code(unsigned char c)
{
	if (c >= 0x80 && c <= 0x9f)
		return cp1252_high[c - 0x80];
	return c;
}

size_t
charset_cp1252_to_utf8(const void *in, size_t n, char *out)
{
	const unsigned char	*s = in;
	unsigned char		*o = (unsigned char *)out;
	unsigned		 cp;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x80) {
			*o++ = s[i];
			continue;
		}
		cp = charset_cp1252_code(s[i]);
		if (cp < 0x800) {
			*o++ = (unsigned char)(0xc0 | (cp >> 6));
			*o++ = (unsigned char)(0x80 | (cp & 0x3f));
		} else {
			*o++ = (unsigned char)(0xe0 | (cp >> 12));
			*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (unsigned char)(0x80 | (cp & 0x3f));
		}
	}
	return (size_t)(o - (unsigned char *)out);
}
