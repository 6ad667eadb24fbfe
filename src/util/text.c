/*
 * UTF-8 validation and field checks for outside input.
 */
#include <ctype.h>
#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <wctype.h>

#include "util/text.h"
#include "util/xmalloc.h"

int
text_utf8_valid(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, need, k;
	unsigned int		 cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			need = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			need = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			need = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (i + need >= n)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

int
text_check(const char *what, const char *s, size_t max, int multiline,
    struct err *e)
{
	size_t		 n, i;
	unsigned char	 c;

	n = strlen(s);
	if (n > max)
		return err_set(e, TEND_EINVAL,
		    "%s is too long (%zu bytes, at most %zu)", what, n, max);
	if (!text_utf8_valid(s, n))
		return err_set(e, TEND_EINVAL, "%s is not valid UTF-8", what);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\t' || (multiline && c == '\n'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return err_set(e, TEND_EINVAL,
			    "%s contains a control character (0x%02x)", what,
			    c);
	}
	return 0;
}

/*
 * Case tables for every script, not only ASCII, so that "émile" finds
 * "Émile".  C.UTF-8 is built into glibc (2.35 and later): no locale needs
 * to be installed, and the process's own locale is left alone.
 */
static pthread_once_t	text_fold_once = PTHREAD_ONCE_INIT;
static locale_t		text_fold_loc;	/* (locale_t)0: ASCII only */

static void
text_fold_init(void)
{
	text_fold_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Encode code point cp as UTF-8 at o; returns the length. */
static size_t
text_put(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

char *
text_fold(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i = 0, o = 0, len, k;
	unsigned int		 cp;
	char			*out;

	pthread_once(&text_fold_once, text_fold_init);
	n = strlen(s);
	/* a lower-case letter takes at most 1.5 times the bytes */
	out = xmalloc(n * 2 + 1);
	while (i < n) {
		len = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 :
		    (p[i] & 0xf0) == 0xe0 ? 3 : (p[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (len <= 1 || text_fold_loc == (locale_t)0 || i + len > n ||
		    !text_utf8_valid(s + i, len)) {
			/* ASCII, or a byte that is not UTF-8: kept as is */
			out[o++] = (char)tolower(p[i]);
			i++;
			continue;
		}
		cp = p[i] & (0xffu >> (len + 1));
		for (k = 1; k < len; k++)
			cp = (cp << 6) | (p[i + k] & 0x3fu);
		cp = (unsigned int)towlower_l((wint_t)cp, text_fold_loc);
		o += text_put(out + o, cp);
		i += len;
	}
	out[o] = '\0';
	return out;
}

char *
text_trim(char *s)
{
	size_t	n;
	char	*p = s;

	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	n = strlen(p);
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}
