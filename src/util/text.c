/*
 * UTF-8 validation and field checks for outside input.
 */
#include <ctype.h>
#include <string.h>

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

char *
text_fold(const char *s)
{
	char	*p, *q;

	p = xstrdup(s);
	for (q = p; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return p;
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
