/*
 * Sequence files and step timing.  libinih splits the lines; the reader
 * handed to it numbers them, strips leading blanks (so no line is ever
 * read as the continuation of the one before) and tracks the sections
 * itself, because inih gives a handler the section's name only, and
 * every step is called [step].
 */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sequence.h"
#include "core/when.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/text.h"

enum { SECT_NONE, SECT_SEQUENCE, SECT_STEP };

/* Keys seen in the current section, to refuse one given twice. */
#define K_NAME		0x01
#define K_DESC		0x02
#define K_WINDOW	0x04
#define K_EXIT		0x08
#define K_DOMAIN	0x10
#define K_REPEAT	0x20
#define K_EVERY		0x40
#define K_EMAIL		0x01
#define K_TASK		0x02
#define K_WAIT		0x04
#define K_AFTER		0x08
#define K_ACTION	(K_EMAIL | K_TASK | K_WAIT)

struct seq_parse {
	const char		*p;		/* the reader's cursor */
	int			 line;		/* lines handed to inih */
	int			 section;	/* SECT_* */
	int			 sect_line;
	unsigned		 keys;		/* K_* of this section */
	int			 seq_line;	/* of [sequence]; 0: none */
	int			 repeat_line;
	int			 every_line;
	struct sequence		*s;
	struct sequence_step	*st;
	int			 err_line;	/* -1: no line; 0: no error */
	char			 why[ERR_MSG_MAX - 64];
};

static const struct {
	const char	*name;
	unsigned	 bit;
} exit_names[] = {
	{ "reply", SEQUENCE_EXIT_REPLY },
	{ "bounce", SEQUENCE_EXIT_BOUNCE },
	{ "unsubscribe", SEQUENCE_EXIT_UNSUB },
	{ "do-not-contact", SEQUENCE_EXIT_DNC },
	{ "stage", SEQUENCE_EXIT_STAGE },
	{ "booked", SEQUENCE_EXIT_BOOKED },
	{ "dnc", SEQUENCE_EXIT_DNC },
	{ "manual", SEQUENCE_EXIT_MANUAL },
};
#define EXIT_WRITTEN	6	/* the first six are written back */

/* Record the first error (line -1: none); returns 0 for inih. */
static int
seq_fail(struct seq_parse *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
seq_fail(struct seq_parse *c, int line, const char *fmt, ...)
{
	va_list	ap;

	if (c->err_line != 0)
		return 0;
	c->err_line = line;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
	return 0;
}

unsigned
sequence_exit_rule(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof exit_names / sizeof exit_names[0]; i++)
		if (strcmp(exit_names[i].name, name) == 0)
			return exit_names[i].bit;
	return 0;
}

/* A name of a sequence or a template: 1 to 64 of [A-Za-z0-9._-]. */
static int
seq_name_ok(const char *v)
{
	const char	*p;

	if (*v == '\0' || strlen(v) > SEQUENCE_NAME_MAX)
		return 0;
	for (p = v; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return 0;
	return 1;
}

/* A whole number lo..hi, digits only; -1 when it is not one. */
static long
seq_number(const char *v, long lo, long hi)
{
	const char	*p;
	char		*end;
	long		 n;

	if (*v == '\0' || strlen(v) > 6)
		return -1;
	for (p = v; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < lo || n > hi)
		return -1;
	return n;
}

/* The section just read ends: is it whole? */
static void
seq_close(struct seq_parse *c)
{
	if (c->section == SECT_STEP && (c->keys & K_ACTION) == 0)
		seq_fail(c, c->sect_line, "a step needs one of 'email', "
		    "'task' or 'wait'");
}

/* A "[name]" line of len bytes (no newline). */
static void
seq_section(struct seq_parse *c, const char *line, size_t len)
{
	const char	*close, *p;
	char		 name[32];
	size_t		 n;

	seq_close(c);
	close = memchr(line, ']', len);
	if (close == NULL) {
		seq_fail(c, c->line, "'[' without ']'");
		return;
	}
	for (p = close + 1; p < line + len; p++)
		if (*p != ' ' && *p != '\t')
			break;
	if (p < line + len && *p != ';' && *p != '#') {
		seq_fail(c, c->line, "text after the section's ']'");
		return;
	}
	n = (size_t)(close - line - 1);
	if (n >= sizeof name) {
		seq_fail(c, c->line, "unknown section (expected [sequence] "
		    "or [step])");
		return;
	}
	memcpy(name, line + 1, n);
	name[n] = '\0';
	text_trim(name);
	c->sect_line = c->line;
	c->keys = 0;
	if (strcmp(name, "sequence") == 0) {
		if (c->seq_line != 0) {
			seq_fail(c, c->line, "a second [sequence] (one file "
			    "is one sequence)");
			return;
		}
		c->seq_line = c->line;
		c->section = SECT_SEQUENCE;
	} else if (strcmp(name, "step") == 0) {
		if (c->seq_line == 0) {
			seq_fail(c, c->line, "[step] before [sequence]");
			return;
		}
		if (c->s->nsteps == SEQUENCE_STEPS_MAX) {
			seq_fail(c, c->line, "more than %d steps",
			    SEQUENCE_STEPS_MAX);
			return;
		}
		c->st = &c->s->steps[c->s->nsteps++];
		memset(c->st, 0, sizeof *c->st);
		c->st->line = c->line;
		c->section = SECT_STEP;
	} else
		seq_fail(c, c->line, "unknown section '[%s]' (expected "
		    "[sequence] or [step])", name);
}

/* inih's reader: one line of the text per call, like fgets. */
static char *
seq_reader(char *str, int num, void *stream)
{
	struct seq_parse	*c = stream;
	const char		*line, *eol, *next, *p;
	size_t			 len;

	if (c->err_line != 0 || *c->p == '\0')
		return NULL;
	line = c->p;
	eol = strchr(line, '\n');
	len = eol != NULL ? (size_t)(eol - line) : strlen(line);
	next = eol != NULL ? eol + 1 : line + len;
	c->line++;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (c->line == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len > SEQUENCE_LINE_MAX || len + 2 > (size_t)num) {
		seq_fail(c, c->line, "longer than %d bytes",
		    SEQUENCE_LINE_MAX);
		return NULL;
	}
	if (!text_utf8_valid(line, len)) {
		seq_fail(c, c->line, "not UTF-8 text");
		return NULL;
	}
	for (p = line; p < line + len; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			seq_fail(c, c->line, "a control character");
			return NULL;
		}
	memcpy(str, line, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	c->p = next;
	if (len > 0 && *line == '[')
		seq_section(c, line, len);
	return str;
}

static int
seq_key_sequence(struct seq_parse *c, const char *name, const char *v)
{
	struct sequence	*s = c->s;
	struct err	 e;
	char		 word[32];
	const char	*p;
	unsigned	 bit, key;
	size_t		 n;
	long		 num;

	if (strcmp(name, "name") == 0)
		key = K_NAME;
	else if (strcmp(name, "description") == 0)
		key = K_DESC;
	else if (strcmp(name, "window") == 0)
		key = K_WINDOW;
	else if (strcmp(name, "exit") == 0)
		key = K_EXIT;
	else if (strcmp(name, "same_domain") == 0)
		key = K_DOMAIN;
	else if (strcmp(name, "repeat") == 0)
		key = K_REPEAT;
	else if (strcmp(name, "every") == 0)
		key = K_EVERY;
	else
		return seq_fail(c, c->line, "unknown key '%.64s'", name);
	if (c->keys & key)
		return seq_fail(c, c->line, "'%s' given twice", name);
	c->keys |= key;
	if (*v == '\0' && key != K_EXIT && key != K_DESC)
		return seq_fail(c, c->line, "'%s' needs a value", name);
	switch (key) {
	case K_NAME:
		if (!seq_name_ok(v))
			return seq_fail(c, c->line, "invalid name '%.80s': use "
			    "1 to %d letters, digits, '-', '_' and '.'", v,
			    SEQUENCE_NAME_MAX);
		memcpy(s->name, v, strlen(v) + 1);
		break;
	case K_DESC:
		if (strlen(v) > SEQUENCE_DESC_MAX)
			return seq_fail(c, c->line, "description longer than "
			    "%d bytes", SEQUENCE_DESC_MAX);
		memcpy(s->description, v, strlen(v) + 1);
		break;
	case K_WINDOW:
		if (block_parse(v, &s->window, &e) != 0)
			return seq_fail(c, c->line, "window: %s", e.msg);
		break;
	case K_EXIT:
		s->exits = SEQUENCE_EXIT_ALWAYS;
		for (p = v; *p != '\0';) {
			n = strcspn(p, " \t,");
			if (n == 0) {
				p++;
				continue;
			}
			if (n >= sizeof word)
				n = sizeof word - 1;
			memcpy(word, p, n);
			word[n] = '\0';
			bit = sequence_exit_rule(word);
			if (bit == 0)
				return seq_fail(c, c->line, "unknown exit rule "
				    "'%s' (expected reply, bounce, "
				    "unsubscribe, do-not-contact, stage or "
				    "booked)", word);
			s->exits |= bit;
			p += strcspn(p, " \t,");
		}
		break;
	case K_DOMAIN:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
		    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
			s->same_domain = 1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
		    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
			s->same_domain = 0;
		else
			return seq_fail(c, c->line, "same_domain: expected yes "
			    "or no, not '%.64s'", v);
		break;
	case K_REPEAT:
		num = seq_number(v, 0, SEQUENCE_STEPS_MAX);
		if (num < 0)
			return seq_fail(c, c->line, "repeat: expected 0 to %d "
			    "steps, not '%.64s'", SEQUENCE_STEPS_MAX, v);
		s->repeat = (int)num;
		c->repeat_line = c->line;
		break;
	case K_EVERY:
		if (cadence_parse(v, &s->every, &e) != 0)
			return seq_fail(c, c->line, "every: %s", e.msg);
		if (s->every.unit == CADENCE_NEVER ||
		    s->every.unit == CADENCE_RRULE)
			return seq_fail(c, c->line, "every: expected days, "
			    "weeks, months or years (6w, 3m), not '%.64s'", v);
		c->every_line = c->line;
		break;
	}
	return 1;
}

static int
seq_key_step(struct seq_parse *c, const char *name, const char *v)
{
	struct sequence_step	*st = c->st;
	unsigned		 key;
	long			 num;

	if (strcmp(name, "email") == 0)
		key = K_EMAIL;
	else if (strcmp(name, "task") == 0)
		key = K_TASK;
	else if (strcmp(name, "wait") == 0)
		key = K_WAIT;
	else if (strcmp(name, "after") == 0)
		key = K_AFTER;
	else
		return seq_fail(c, c->line, "unknown key '%.64s'", name);
	if (c->keys & key)
		return seq_fail(c, c->line, "'%s' given twice", name);
	if ((key & K_ACTION) && (c->keys & K_ACTION))
		return seq_fail(c, c->line, "a step does one thing: email, "
		    "task or wait (start another [step])");
	if ((key == K_AFTER && (c->keys & K_WAIT)) ||
	    (key == K_WAIT && (c->keys & K_AFTER)))
		return seq_fail(c, c->line, "a wait step has no 'after' (the "
		    "wait is its delay)");
	c->keys |= key;
	if (*v == '\0')
		return seq_fail(c, c->line, "'%s' needs a value", name);
	switch (key) {
	case K_EMAIL:
		if (!seq_name_ok(v))
			return seq_fail(c, c->line, "invalid template name "
			    "'%.80s'", v);
		st->kind = SEQUENCE_EMAIL;
		memcpy(st->text, v, strlen(v) + 1);
		break;
	case K_TASK:
		if (strlen(v) > SEQUENCE_TASK_MAX)
			return seq_fail(c, c->line, "task longer than %d "
			    "bytes", SEQUENCE_TASK_MAX);
		st->kind = SEQUENCE_TASK;
		memcpy(st->text, v, strlen(v) + 1);
		break;
	case K_WAIT:
		num = seq_number(v, 1, SEQUENCE_DAYS_MAX);
		if (num < 0)
			return seq_fail(c, c->line, "wait: expected 1 to %d "
			    "business days, not '%.64s'", SEQUENCE_DAYS_MAX,
			    v);
		st->kind = SEQUENCE_WAIT;
		st->text[0] = '\0';
		st->days = (int)num;
		break;
	case K_AFTER:
		num = seq_number(v, 0, SEQUENCE_DAYS_MAX);
		if (num < 0)
			return seq_fail(c, c->line, "after: expected 0 to %d "
			    "business days, not '%.64s'", SEQUENCE_DAYS_MAX,
			    v);
		st->days = (int)num;
		break;
	}
	return 1;
}

static int
seq_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct seq_parse	*c = user;

	(void)section;	/* the reader tracks sections (see the top) */
	if (c->err_line != 0)
		return 1;
	if (c->section == SECT_NONE)
		return seq_fail(c, c->line, "'%.64s' outside a section (the "
		    "file starts with [sequence])", name);
	if (c->section == SECT_SEQUENCE)
		return seq_key_sequence(c, name, value);
	return seq_key_step(c, name, value);
}

int
sequence_parse(const char *text, struct sequence *out, struct err *e)
{
	struct seq_parse	 c;
	size_t			 i;
	int			 rc, tail;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	c.p = text;
	c.s = out;
	out->exits = SEQUENCE_EXIT_ALL;
	block_parse(SEQUENCE_WINDOW_DEFAULT, &out->window, NULL);
	if (strlen(text) > SEQUENCE_TEXT_MAX)
		return err_set(e, TEND_EINVAL, "sequence file: larger than %d "
		    "KiB", SEQUENCE_TEXT_MAX / 1024);
	rc = ini_parse_stream(seq_reader, &c, seq_handler, &c);
	/* an error of inih's own on an earlier line than ours comes first */
	if (rc > 0 && (c.err_line <= 0 || rc < c.err_line)) {
		c.err_line = 0;
		seq_fail(&c, rc, "expected 'key = value', a [section] or a "
		    "comment");
	} else if (rc < 0 && c.err_line == 0)
		seq_fail(&c, -1, "cannot be read");
	if (c.err_line == 0)
		seq_close(&c);
	if (c.err_line == 0) {
		tail = out->repeat;
		if (c.seq_line == 0)
			seq_fail(&c, -1, "no [sequence] section");
		else if (out->name[0] == '\0')
			seq_fail(&c, c.seq_line, "[sequence] has no 'name'");
		else if (out->nsteps == 0)
			seq_fail(&c, -1, "no [step]: a sequence needs at "
			    "least one");
		else if ((size_t)tail > out->nsteps)
			seq_fail(&c, c.repeat_line, "repeat is %d, but there "
			    "are only %zu steps", tail, out->nsteps);
		else if (tail > 0 && c.every_line == 0)
			seq_fail(&c, c.repeat_line, "repeat needs 'every' "
			    "(how long between rounds, like 6w)");
		else if (tail == 0 && c.every_line != 0)
			seq_fail(&c, c.every_line, "'every' needs 'repeat' "
			    "(how many of the last steps run again)");
		else if (tail > 0) {
			for (i = out->nsteps - (size_t)tail; i < out->nsteps;
			    i++)
				if (out->steps[i].kind != SEQUENCE_WAIT)
					break;
			if (i == out->nsteps)
				seq_fail(&c, c.repeat_line, "the repeated "
				    "steps only wait: repeat an email or a "
				    "task");
		}
	}
	if (c.err_line > 0)
		return err_set(e, TEND_EINVAL, "sequence file line %d: %s",
		    c.err_line, c.why);
	if (c.err_line < 0)
		return err_set(e, TEND_EINVAL, "sequence file: %s", c.why);
	return 0;
}

/* ---- writing ---- */

struct seq_buf {
	char	*p;
	size_t	 len, cap;
};

static void
seq_put(struct seq_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
seq_put(struct seq_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	/* the buffer is sized for the longest sequence: never cut */
	if (n > 0)
		b->len += (size_t)n < b->cap - b->len ? (size_t)n :
		    b->cap - b->len - 1;
}

char *
sequence_format(const struct sequence *s, struct arena *a)
{
	struct seq_buf	 b;
	char		 tmp[CADENCE_RRULE_MAX + BLOCK_BUFSZ];
	size_t		 i;

	b.cap = 2048 + s->nsteps * (SEQUENCE_TASK_MAX + 64);
	b.p = arena_alloc(a, b.cap);
	b.len = 0;
	seq_put(&b, "[sequence]\nname = %s\n", s->name);
	if (s->description[0] != '\0')
		seq_put(&b, "description = %s\n", s->description);
	seq_put(&b, "window = %s\n", block_format(&s->window, tmp,
	    sizeof tmp));
	seq_put(&b, "exit =");
	for (i = 0; i < EXIT_WRITTEN; i++)
		if (s->exits & exit_names[i].bit)
			seq_put(&b, " %s", exit_names[i].name);
	seq_put(&b, "\nsame_domain = %s\n", s->same_domain ? "yes" : "no");
	if (s->repeat > 0)
		seq_put(&b, "repeat = %d\nevery = %s\n", s->repeat,
		    cadence_format(&s->every, tmp, sizeof tmp));
	for (i = 0; i < s->nsteps; i++) {
		const struct sequence_step *st = &s->steps[i];

		seq_put(&b, "\n[step]\n");
		switch (st->kind) {
		case SEQUENCE_EMAIL:
			seq_put(&b, "email = %s\nafter = %d\n", st->text,
			    st->days);
			break;
		case SEQUENCE_TASK:
			seq_put(&b, "task = %s\nafter = %d\n", st->text,
			    st->days);
			break;
		case SEQUENCE_WAIT:
			seq_put(&b, "wait = %d\n", st->days);
			break;
		}
	}
	return b.p;
}

char *
sequence_step_describe(const struct sequence_step *st, char *buf, size_t n)
{
	switch (st->kind) {
	case SEQUENCE_EMAIL:
		snprintf(buf, n, "email '%s'", st->text);
		break;
	case SEQUENCE_TASK:
		snprintf(buf, n, "task '%s'", st->text);
		break;
	case SEQUENCE_WAIT:
		snprintf(buf, n, "wait %d business day%s", st->days,
		    st->days == 1 ? "" : "s");
		break;
	}
	return buf;
}

/* ---- business days ---- */

static int
seq_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
sequence_holidays_parse(const char *text, int *out, size_t max, size_t *n,
    struct err *e)
{
	static const int	 dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	const char		*p, *q;
	char			 d[16];
	size_t			 len, i;
	int			 y, m, day;

	*n = 0;
	if (text == NULL)
		return 0;
	for (p = text; *p != '\0'; p = *q == ',' ? q + 1 : q) {
		q = p + strcspn(p, ",");
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		len = (size_t)(q - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		if (len != 10)
			goto bad;
		memcpy(d, p, len);
		d[len] = '\0';
		for (i = 0; i < 10; i++)
			if ((i == 4 || i == 7) ? d[i] != '-' :
			    (d[i] < '0' || d[i] > '9'))
				goto bad;
		y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 +
		    (d[2] - '0') * 10 + (d[3] - '0');
		m = (d[5] - '0') * 10 + (d[6] - '0');
		day = (d[8] - '0') * 10 + (d[9] - '0');
		if (y < 1900 || m < 1 || m > 12 || day < 1 ||
		    day > dim[m - 1] + (m == 2 && seq_leap(y)))
			goto bad;
		if (*n == max)
			return err_set(e, TEND_EINVAL, "seq.holidays: more "
			    "than %zu dates", max);
		out[(*n)++] = y * 10000 + m * 100 + day;
		continue;
bad:
		return err_set(e, TEND_EINVAL, "seq.holidays: '%.*s' is not a "
		    "date (YYYY-MM-DD)", (int)(len > 40 ? 40 : len), p);
	}
	return 0;
}

static int
seq_holiday(const struct when_tm *tm, const int *hol, size_t n)
{
	int	key = tm->year * 10000 + tm->month * 100 + tm->day;
	size_t	i;

	for (i = 0; i < n; i++)
		if (hol[i] == key)
			return 1;
	return 0;
}

int
sequence_business_day(int64_t t, const char *tz, const int *holidays,
    size_t nholidays)
{
	struct when_tm	tm;

	when_split(t, tz, &tm);
	return tm.wday >= 1 && tm.wday <= 5 &&
	    !seq_holiday(&tm, holidays, nholidays);
}

int64_t
sequence_due(int after_days, int64_t from, const struct block *window,
    const char *tz, const int *holidays, size_t nholidays)
{
	struct when_tm	 tm, d, chk;
	int64_t		 t = from, open;
	int		 i, k, mins, limit;

	/*
	 * Count from from itself each time: a wall time moved out of a
	 * DST gap on one day is not carried into the next ones.
	 */
	limit = after_days * 3 + (int)nholidays + 14;
	for (i = 1, k = 0; k < after_days && i <= limit; i++) {
		t = when_add_days(from, i, tz);
		if (sequence_business_day(t, tz, holidays, nholidays))
			k++;
	}
	if (window == NULL)
		return t;
	when_split(t, tz, &tm);
	mins = tm.hour * 60 + tm.min;
	if (block_on(window, tm.wday) && !seq_holiday(&tm, holidays,
	    nholidays) && mins >= window->start && mins < window->end)
		return t;
	for (i = 0; i < 2 * 366; i++) {
		d = tm;
		d.day += i;
		d.hour = window->start / 60;
		d.min = window->start % 60;
		d.sec = 0;
		open = when_join(&d, tz);
		if (open < t)
			continue;
		when_split(open, tz, &chk);
		if (!block_on(window, chk.wday) || seq_holiday(&chk, holidays,
		    nholidays))
			continue;
		return open;
	}
	return t;
}
