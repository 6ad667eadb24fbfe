/*
 * The follow-up block (setting agenda.block): parsing "mon-fri 08:30-09:00"
 * and finding its first occurrence.  Days are a bit set indexed like
 * struct when_tm's wday, so no table of dates is ever needed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/block.h"
#include "core/when.h"
#include "util/err.h"

#define MINUTES_MAX	(24 * 60 - 1)

static const char why_shape[] = "expected days and times, like "
    "'mon-fri 08:30-09:00' or 'daily 09:00-09:20'";

/* Monday first, as people read a week; the index is the wday. */
static const char *const day_short[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};
static const char *const day_long[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* The wday of a day name of len bytes (lower case), or -1. */
static int
day_index(const char *s, size_t len)
{
	int	d;

	for (d = 0; d < 7; d++) {
		if (len == 3 && memcmp(s, day_short[d], 3) == 0)
			return d;
		if (len == strlen(day_long[d]) && memcmp(s, day_long[d],
		    len) == 0)
			return d;
	}
	return -1;
}

/* The days between from and to (wdays), wrapping past Saturday. */
static unsigned
day_range(int from, int to)
{
	unsigned	days = 0;
	int		d;

	for (d = from;; d = (d + 1) % 7) {
		days |= 1u << d;
		if (d == to)
			break;
	}
	return days;
}

/*
 * Read one word of letters at *p into [*w, *w + *len) and move *p past
 * it and any blanks.
 */
static void
word_read(const char **p, const char **w, size_t *len)
{
	const char	*s = *p;

	*w = s;
	while (*s >= 'a' && *s <= 'z')
		s++;
	*len = (size_t)(s - *w);
	while (is_blank(*s))
		s++;
	*p = s;
}

/*
 * Parse the days (lower case, no digits) into *days.  Returns 0, or -1
 * with the why in msg.
 */
static int
days_parse(const char *s, unsigned *days, char *msg, size_t msgsz)
{
	const char	*w1, *w2;
	size_t		 len1, len2;
	int		 d1, d2;

	*days = 0;
	for (;;) {
		while (is_blank(*s) || *s == ',')
			s++;
		if (*s == '\0')
			break;
		word_read(&s, &w1, &len1);
		if (len1 == 0) {
			snprintf(msg, msgsz, "unexpected '%c' in the days; %s",
			    *s, why_shape);
			return -1;
		}
		if ((len1 == 5 && memcmp(w1, "daily", 5) == 0) ||
		    (len1 == 8 && memcmp(w1, "weekdays", 8) == 0)) {
			if (*s == '-') {
				snprintf(msg, msgsz, "'%.*s' cannot start a "
				    "range", (int)len1, w1);
				return -1;
			}
			*days |= len1 == 5 ? BLOCK_ALL_DAYS : BLOCK_WEEKDAYS;
		} else {
			d1 = day_index(w1, len1);
			if (d1 == -1) {
				snprintf(msg, msgsz, "unknown day '%.*s' "
				    "(expected mon, tue, wed, thu, fri, sat, "
				    "sun, daily or weekdays)", (int)len1, w1);
				return -1;
			}
			d2 = d1;
			if (*s == '-') {
				s++;
				while (is_blank(*s))
					s++;
				word_read(&s, &w2, &len2);
				d2 = day_index(w2, len2);
				if (d2 == -1) {
					snprintf(msg, msgsz, "the range "
					    "'%.*s-' needs a day after the "
					    "dash", (int)len1, w1);
					return -1;
				}
			}
			*days |= day_range(d1, d2);
		}
		if (*s >= 'a' && *s <= 'z') {
			snprintf(msg, msgsz, "separate days with commas, "
			    "like mon,wed,fri");
			return -1;
		}
		if (*s != '\0' && *s != ',') {
			snprintf(msg, msgsz, "unexpected '%c' in the days; %s",
			    *s, why_shape);
			return -1;
		}
	}
	if (*days == 0) {
		snprintf(msg, msgsz, "no days: start with daily, weekdays or "
		    "days like mon-fri or mon,wed,fri");
		return -1;
	}
	return 0;
}

/*
 * Read H:MM or HH:MM at *p into minutes after midnight and move *p past
 * it.  Returns 0, or -1 with the why in msg.
 */
static int
time_read(const char **p, int *minutes, char *msg, size_t msgsz)
{
	const char	*s = *p, *tok;
	int		 h, m, digits;
	size_t		 toklen;

	tok = s;
	for (toklen = 0; tok[toklen] != '\0' && tok[toklen] != '-' &&
	    !is_blank(tok[toklen]); toklen++)
		;
	h = 0;
	for (digits = 0; isdigit((unsigned char)*s) && digits < 3; digits++)
		h = h * 10 + (*s++ - '0');
	if (digits < 1 || digits > 2 || *s != ':' ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		goto bad;
	m = (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	if (isdigit((unsigned char)*s) || h > 23 || m > 59)
		goto bad;
	*minutes = h * 60 + m;
	*p = s;
	return 0;
bad:
	if (toklen == 0)
		snprintf(msg, msgsz, "a time is missing; %s", why_shape);
	else
		snprintf(msg, msgsz, "'%.*s' is not a time of day (HH:MM, "
		    "00:00 to 23:59)", (int)(toklen > 32 ? 32 : toklen), tok);
	return -1;
}

/* Parse "START-END" (blanks trimmed).  0, or -1 with the why in msg. */
static int
times_parse(const char *s, int *start, int *end, char *msg, size_t msgsz)
{
	if (time_read(&s, start, msg, msgsz) == -1)
		return -1;
	while (is_blank(*s))
		s++;
	if (*s != '-') {
		if (*s == '\0')
			snprintf(msg, msgsz, "no end time: give a start and "
			    "an end, like 08:30-09:00");
		else
			snprintf(msg, msgsz, "unexpected '%c' after the "
			    "start time; %s", *s, why_shape);
		return -1;
	}
	s++;
	while (is_blank(*s))
		s++;
	if (time_read(&s, end, msg, msgsz) == -1)
		return -1;
	while (is_blank(*s))
		s++;
	if (*s != '\0') {
		snprintf(msg, msgsz, "unexpected '%.16s' after the times", s);
		return -1;
	}
	if (*end <= *start) {
		snprintf(msg, msgsz, "the end %02d:%02d is not after the start "
		    "%02d:%02d (a block starts and ends on the same day)",
		    *end / 60, *end % 60, *start / 60, *start % 60);
		return -1;
	}
	return 0;
}

int
block_parse(const char *text, struct block *out, struct err *err)
{
	struct block	 b;
	char		 s[BLOCK_TEXT_MAX + 1], msg[200];
	const char	*start;
	size_t		 len, i, digit;

	if (text == NULL)
		text = "";
	start = text;
	while (isspace((unsigned char)*start))
		start++;
	len = strlen(start);
	while (len > 0 && isspace((unsigned char)start[len - 1]))
		len--;
	if (len == 0)
		return err_set(err, TEND_EINVAL, "invalid block '': %s",
		    why_shape);
	if (len > BLOCK_TEXT_MAX)
		return err_set(err, TEND_EINVAL, "invalid block '%.32s...': "
		    "too long", start);
	for (i = 0; i < len; i++) {
		/* Nothing to quote safely in a message but plain ASCII. */
		if ((start[i] < ' ' || start[i] > '~') && start[i] != '\t')
			return err_set(err, TEND_EINVAL, "invalid block: use "
			    "only letters, digits, ':', '-', ',' and spaces, "
			    "like 'mon-fri 08:30-09:00'");
		s[i] = (char)tolower((unsigned char)start[i]);
	}
	s[len] = '\0';

	/* The days hold no digits; the times start with one. */
	for (digit = 0; digit < len && !isdigit((unsigned char)s[digit]);
	    digit++)
		;
	memset(&b, 0, sizeof b);
	if (digit == len) {
		snprintf(msg, sizeof msg, "no times: %s", why_shape);
		goto bad;
	}
	if (digit == 0) {
		snprintf(msg, sizeof msg, "no days: start with daily, weekdays "
		    "or days like mon-fri or mon,wed,fri");
		goto bad;
	}
	if (!is_blank(s[digit - 1])) {
		snprintf(msg, sizeof msg, "put a space between the days and "
		    "the times; %s", why_shape);
		goto bad;
	}
	s[digit - 1] = '\0';
	if (days_parse(s, &b.days, msg, sizeof msg) == -1)
		goto bad;
	if (times_parse(s + digit, &b.start, &b.end, msg, sizeof msg) == -1)
		goto bad;
	*out = b;
	return 0;
bad:
	return err_set(err, TEND_EINVAL, "invalid block '%.*s': %s",
	    (int)len, start, msg);
}

int
block_on(const struct block *b, int wday)
{
	if (wday < 0 || wday > 6)
		return 0;
	return (b->days >> wday) & 1u;
}

char *
block_format(const struct block *b, char *buf, size_t n)
{
	char	 days[40];
	size_t	 len;
	int	 i, j, d;

	if (n == 0)
		return buf;
	len = 0;
	days[0] = '\0';
	if ((b->days & BLOCK_ALL_DAYS) == BLOCK_ALL_DAYS)
		snprintf(days, sizeof days, "daily");
	else {
		/* i counts Monday first: day (i + 1) % 7. */
		for (i = 0; i < 7; i = j) {
			if (!block_on(b, (i + 1) % 7)) {
				j = i + 1;
				continue;
			}
			for (j = i; j < 7 && block_on(b, (j + 1) % 7); j++)
				;
			d = (i + 1) % 7;
			if (j - i >= 3)
				len += (size_t)snprintf(days + len,
				    sizeof days - len, "%s%s-%s",
				    len > 0 ? "," : "", day_short[d],
				    day_short[j % 7]);
			else {
				for (; d != (j + 1) % 7; d = (d + 1) % 7)
					len += (size_t)snprintf(days + len,
					    sizeof days - len, "%s%s",
					    len > 0 ? "," : "", day_short[d]);
			}
		}
	}
	snprintf(buf, n, "%s %02d:%02d-%02d:%02d", days, b->start / 60,
	    b->start % 60, b->end / 60, b->end % 60);
	return buf;
}

int64_t
block_first(const struct block *b, int64_t now, const char *tz,
    int64_t *end)
{
	struct when_tm	 tm;
	int64_t		 day, start;
	int		 i;

	day = when_day_start(now, tz);
	for (i = 0; i < 7 && !block_on(b, when_weekday(day, tz)); i++)
		day = when_add_days(day, 1, tz);
	when_split(day, tz, &tm);
	tm.hour = b->start / 60;
	tm.min = b->start % 60;
	tm.sec = 0;
	start = when_join(&tm, tz);
	tm.hour = b->end / 60;
	tm.min = b->end % 60;
	*end = when_join(&tm, tz);
	return start;
}
