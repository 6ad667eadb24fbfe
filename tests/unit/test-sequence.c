/*
 * Unit tests for core/sequence: the sequence file (strict parsing with
 * line numbers, the canonical text read back), holidays, business days
 * and send windows across weekends, month ends, holidays and DST.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sequence.h"
#include "core/when.h"
#include "util/arena.h"
#include "util/err.h"

static const char example[] =
    "# comments\n"
    "[sequence]\n"
    "name = new-lead\n"
    "description = Three touches after a first call\n"
    "window = mon-fri 09:00-17:00     ; the send window\n"
    "exit = reply bounce unsubscribe stage\n"
    "same_domain = yes\n"
    "repeat = 1\n"
    "every = 6w\n"
    "[step]\n"
    "email = met-at-event\n"
    "after = 0\n"
    "\n"
    "  [step]\n"
    "  task = Call them about the proposal; bring numbers\n"
    "  after = 2\n"
    "[step]\n"
    "wait = 3\n"
    "[step]\r\n"
    "email = nudge\r\n"
    "after = 2\r\n";

static struct sequence *
parsed(const char *text)
{
	static struct sequence	q;
	struct err		e;

	if (sequence_parse(text, &q, &e) != 0)
		fail_msg("sequence_parse: %s", e.msg);
	return &q;
}

static void
test_parse_example(void **state)
{
	struct sequence	*q;

	(void)state;
	q = parsed(example);
	assert_string_equal(q->name, "new-lead");
	assert_string_equal(q->description,
	    "Three touches after a first call");
	assert_int_equal(q->window.days, BLOCK_WEEKDAYS);
	assert_int_equal(q->window.start, 9 * 60);
	assert_int_equal(q->window.end, 17 * 60);
	/* booked left out; the ones that cannot be turned off are on */
	assert_int_equal(q->exits, SEQUENCE_EXIT_ALWAYS | SEQUENCE_EXIT_STAGE);
	assert_int_equal(q->same_domain, 1);
	assert_int_equal(q->repeat, 1);
	assert_int_equal(q->every.unit, CADENCE_WEEKS);
	assert_int_equal(q->every.n, 6);
	assert_int_equal(q->nsteps, 4);
	assert_int_equal(q->steps[0].kind, SEQUENCE_EMAIL);
	assert_string_equal(q->steps[0].text, "met-at-event");
	assert_int_equal(q->steps[0].days, 0);
	assert_int_equal(q->steps[0].line, 10);
	assert_int_equal(q->steps[1].kind, SEQUENCE_TASK);
	/* ';' starts a comment only after a blank */
	assert_string_equal(q->steps[1].text,
	    "Call them about the proposal; bring numbers");
	assert_int_equal(q->steps[1].days, 2);
	assert_int_equal(q->steps[1].line, 14);
	assert_int_equal(q->steps[2].kind, SEQUENCE_WAIT);
	assert_int_equal(q->steps[2].days, 3);
	assert_int_equal(q->steps[3].kind, SEQUENCE_EMAIL);
	assert_string_equal(q->steps[3].text, "nudge");
	assert_int_equal(q->steps[3].days, 2);
}

static void
test_defaults(void **state)
{
	struct sequence	*q;

	(void)state;
	q = parsed("[sequence]\nname=a\n[step]\ntask=Call\n");
	assert_int_equal(q->exits, SEQUENCE_EXIT_ALL);
	assert_int_equal(q->window.days, BLOCK_WEEKDAYS);
	assert_int_equal(q->window.start, 9 * 60);
	assert_int_equal(q->same_domain, 0);
	assert_int_equal(q->repeat, 0);
	assert_int_equal(q->steps[0].days, 0);
	assert_string_equal(q->description, "");
	/* an empty exit line: only the rules that always apply */
	q = parsed("[sequence]\nname=a\nexit=\n[step]\nwait=1\n");
	assert_int_equal(q->exits, SEQUENCE_EXIT_ALWAYS);
	q = parsed("[sequence]\nname=a\nexit=dnc, manual,booked\n[step]\n"
	    "wait=1\n");
	assert_int_equal(q->exits, SEQUENCE_EXIT_ALWAYS |
	    SEQUENCE_EXIT_BOOKED);
	/* a BOM is fine */
	q = parsed("\xef\xbb\xbf[sequence]\nname=a\n[step]\nwait=1\n");
	assert_string_equal(q->name, "a");
}

static void
test_format_round_trip(void **state)
{
	static const char *const texts[] = {
		example,
		"[sequence]\nname=a\nexit=\n[step]\nwait=1\n",
		"[sequence]\nname=x.y_z\nwindow=daily 00:00-23:59\n"
		"same_domain=off\nrepeat=2\nevery=3m\n[step]\nemail=a\n"
		"[step]\ntask=b\nafter=365\n",
	};
	struct arena	*a;
	struct sequence	 q1, q2;
	struct err	 e;
	const char	*t1, *t2;
	size_t		 i;

	(void)state;
	a = arena_new();
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		assert_int_equal(sequence_parse(texts[i], &q1, &e), 0);
		t1 = sequence_format(&q1, a);
		if (sequence_parse(t1, &q2, &e) != 0)
			fail_msg("canonical text does not read back: %s\n%s",
			    e.msg, t1);
		t2 = sequence_format(&q2, a);
		assert_string_equal(t1, t2);
		assert_string_equal(q1.name, q2.name);
		assert_int_equal(q1.exits, q2.exits);
		assert_int_equal(q1.nsteps, q2.nsteps);
		assert_int_equal(q1.repeat, q2.repeat);
	}
	assert_int_equal(sequence_parse(example, &q1, &e), 0);
	assert_string_equal(sequence_format(&q1, a),
	    "[sequence]\n"
	    "name = new-lead\n"
	    "description = Three touches after a first call\n"
	    "window = mon-fri 09:00-17:00\n"
	    "exit = reply bounce unsubscribe do-not-contact stage\n"
	    "same_domain = yes\n"
	    "repeat = 1\n"
	    "every = 6w\n"
	    "\n[step]\nemail = met-at-event\nafter = 0\n"
	    "\n[step]\ntask = Call them about the proposal; bring numbers\n"
	    "after = 2\n"
	    "\n[step]\nwait = 3\n"
	    "\n[step]\nemail = nudge\nafter = 2\n");
	arena_free(a);
}

static void
test_parse_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*msg;
	} cases[] = {
		{ "", "sequence file: no [sequence] section" },
		{ "# nothing\n", "sequence file: no [sequence] section" },
		{ "[sequence]\nname = a\n",
		    "sequence file: no [step]: a sequence needs at least one" },
		{ "[sequence]\ndescription = x\n[step]\nwait = 1\n",
		    "sequence file line 1: [sequence] has no 'name'" },
		{ "[sequence]\nname = a\n[step]\nemial = x\n",
		    "sequence file line 4: unknown key 'emial'" },
		{ "[sequence]\nname = a\nnmae = b\n",
		    "sequence file line 3: unknown key 'nmae'" },
		{ "name = a\n[sequence]\n",
		    "sequence file line 1: 'name' outside a section (the file "
		    "starts with [sequence])" },
		{ "[sequence]\nname = a\n[steps]\n",
		    "sequence file line 3: unknown section '[steps]' (expected "
		    "[sequence] or [step])" },
		{ "[step]\nwait = 1\n",
		    "sequence file line 1: [step] before [sequence]" },
		{ "[sequence]\nname = a\n[sequence]\n",
		    "sequence file line 3: a second [sequence] (one file is "
		    "one sequence)" },
		{ "[sequence]\nname = a\n[step\n",
		    "sequence file line 3: '[' without ']'" },
		{ "[sequence]\nname = a\n[step] x\n",
		    "sequence file line 3: text after the section's ']'" },
		{ "[sequence]\nname = a\njust words\n",
		    "sequence file line 3: expected 'key = value', a [section] "
		    "or a comment" },
		{ "[sequence]\nname = a\n[step]\n\n[step]\nwait = 1\n",
		    "sequence file line 3: a step needs one of 'email', 'task' "
		    "or 'wait'" },
		{ "[sequence]\nname = a\n[step]\nafter = 2\n",
		    "sequence file line 3: a step needs one of 'email', 'task' "
		    "or 'wait'" },
		{ "[sequence]\nname = a\n[step]\nemail = x\ntask = y\n",
		    "sequence file line 5: a step does one thing: email, task "
		    "or wait (start another [step])" },
		{ "[sequence]\nname = a\n[step]\nwait = 2\nafter = 1\n",
		    "sequence file line 5: a wait step has no 'after' (the "
		    "wait is its delay)" },
		{ "[sequence]\nname = a\n[step]\nafter = 1\nwait = 2\n",
		    "sequence file line 5: a wait step has no 'after' (the "
		    "wait is its delay)" },
		{ "[sequence]\nname = a\n[step]\nemail = x\nafter = 1\n"
		    "after = 2\n",
		    "sequence file line 6: 'after' given twice" },
		{ "[sequence]\nname = a b\n",
		    "sequence file line 2: invalid name 'a b': use 1 to 64 "
		    "letters, digits, '-', '_' and '.'" },
		{ "[sequence]\nname =\n",
		    "sequence file line 2: 'name' needs a value" },
		{ "[sequence]\nname = a\n[step]\nemail = no/such\n",
		    "sequence file line 4: invalid template name 'no/such'" },
		{ "[sequence]\nname = a\n[step]\nemail = x\nafter = -1\n",
		    "sequence file line 5: after: expected 0 to 365 business "
		    "days, not '-1'" },
		{ "[sequence]\nname = a\n[step]\nemail = x\nafter = 366\n",
		    "sequence file line 5: after: expected 0 to 365 business "
		    "days, not '366'" },
		{ "[sequence]\nname = a\n[step]\nwait = 0\n",
		    "sequence file line 4: wait: expected 1 to 365 business "
		    "days, not '0'" },
		{ "[sequence]\nname = a\n[step]\nwait = 2d\n",
		    "sequence file line 4: wait: expected 1 to 365 business "
		    "days, not '2d'" },
		{ "[sequence]\nname = a\nwindow = weekdays 9-5\n",
		    "sequence file line 3: window: invalid block" },
		{ "[sequence]\nname = a\nexit = reply replies\n",
		    "sequence file line 3: unknown exit rule 'replies' "
		    "(expected reply, bounce, unsubscribe, do-not-contact, "
		    "stage or booked)" },
		{ "[sequence]\nname = a\nsame_domain = maybe\n",
		    "sequence file line 3: same_domain: expected yes or no, "
		    "not 'maybe'" },
		{ "[sequence]\nname = a\nrepeat = 2\nevery = 6w\n[step]\n"
		    "wait = 1\n",
		    "sequence file line 3: repeat is 2, but there are only 1 "
		    "steps" },
		{ "[sequence]\nname = a\nrepeat = 1\n[step]\nemail = x\n",
		    "sequence file line 3: repeat needs 'every' (how long "
		    "between rounds, like 6w)" },
		{ "[sequence]\nname = a\nevery = 6w\n[step]\nemail = x\n",
		    "sequence file line 3: 'every' needs 'repeat' (how many of "
		    "the last steps run again)" },
		{ "[sequence]\nname = a\nrepeat = 1\nevery = never\n",
		    "sequence file line 4: every: expected days, weeks, months "
		    "or years (6w, 3m), not 'never'" },
		{ "[sequence]\nname = a\nrepeat = 1\nevery = 6 fortnights\n",
		    "sequence file line 4: every: invalid interval" },
		{ "[sequence]\nname = a\nrepeat = 1\nevery = 1w\n[step]\n"
		    "email = x\n[step]\nwait = 2\n",
		    "sequence file line 3: the repeated steps only wait: "
		    "repeat an email or a task" },
		{ "[sequence]\nname = a\nname = b\n",
		    "sequence file line 3: 'name' given twice" },
		{ "[sequence]\nname = a\x01\n",
		    "sequence file line 2: a control character" },
		{ "[sequence]\nname = \xff\n",
		    "sequence file line 2: not UTF-8 text" },
	};
	struct sequence	 q;
	struct err	 e;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&e, 0, sizeof e);
		if (sequence_parse(cases[i].text, &q, &e) != TEND_EINVAL)
			fail_msg("case %zu parsed: %s", i, cases[i].text);
		if (strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, e.msg,
			    cases[i].msg);
	}
}

static void
test_limits(void **state)
{
	struct sequence	 q;
	struct err	 e;
	char		*text, line[300];
	size_t		 i, cap = 64 * 1024, len;

	(void)state;
	text = malloc(cap);
	assert_non_null(text);
	len = (size_t)snprintf(text, cap, "[sequence]\nname = a\n");
	for (i = 0; i < SEQUENCE_STEPS_MAX; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "[step]\nwait = 1\n");
	assert_int_equal(sequence_parse(text, &q, &e), 0);
	assert_int_equal(q.nsteps, SEQUENCE_STEPS_MAX);
	snprintf(text + len, cap - len, "[step]\nwait = 1\n");
	assert_int_equal(sequence_parse(text, &q, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "sequence file line 103: more than 50 "
	    "steps");
	/* a line of 190 bytes is fine, 191 is not */
	memset(line, 'x', sizeof line);
	memcpy(line, "task = ", 7);
	line[190] = '\0';
	snprintf(text, cap, "[sequence]\nname = a\n[step]\n%s\n", line);
	assert_int_equal(sequence_parse(text, &q, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "sequence file line 4: task longer than "
	    "160 bytes");
	line[190] = 'x';
	line[191] = '\0';
	snprintf(text, cap, "[sequence]\nname = a\n[step]\n%s\n", line);
	assert_int_equal(sequence_parse(text, &q, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "sequence file line 4: longer than 190 "
	    "bytes");
	memset(line, 'y', 167);
	memcpy(line, "task = ", 7);
	line[167] = '\0';
	snprintf(text, cap, "[sequence]\nname = a\n[step]\n%s\n", line);
	assert_int_equal(sequence_parse(text, &q, &e), 0);
	assert_int_equal(strlen(q.steps[0].text), SEQUENCE_TASK_MAX);
	/* the whole file */
	memset(text, '#', SEQUENCE_TEXT_MAX + 1);
	text[SEQUENCE_TEXT_MAX + 1] = '\0';
	assert_int_equal(sequence_parse(text, &q, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "sequence file: larger than 32 KiB");
	free(text);
}

static void
test_describe(void **state)
{
	struct sequence	*q;
	char		 buf[64];

	(void)state;
	q = parsed(example);
	assert_string_equal(sequence_step_describe(&q->steps[0], buf,
	    sizeof buf), "email 'met-at-event'");
	assert_string_equal(sequence_step_describe(&q->steps[2], buf,
	    sizeof buf), "wait 3 business days");
	q->steps[2].days = 1;
	assert_string_equal(sequence_step_describe(&q->steps[2], buf,
	    sizeof buf), "wait 1 business day");
	assert_int_equal(sequence_exit_rule("dnc"), SEQUENCE_EXIT_DNC);
	assert_int_equal(sequence_exit_rule("do-not-contact"),
	    SEQUENCE_EXIT_DNC);
	assert_int_equal(sequence_exit_rule("replied"), 0);
}

static void
test_holidays_parse(void **state)
{
	int		 h[4];
	size_t		 n;
	struct err	 e;

	(void)state;
	assert_int_equal(sequence_holidays_parse(NULL, h, 4, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(sequence_holidays_parse(" 2026-12-24, 2026-12-25,,"
	    "2028-02-29 ", h, 4, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(h[0], 20261224);
	assert_int_equal(h[2], 20280229);
	assert_int_equal(sequence_holidays_parse("2027-02-29", h, 4, &n, &e),
	    TEND_EINVAL);
	assert_string_equal(e.msg, "seq.holidays: '2027-02-29' is not a date "
	    "(YYYY-MM-DD)");
	assert_int_equal(sequence_holidays_parse("2026-12-24,xmas", h, 4, &n,
	    &e), TEND_EINVAL);
	assert_string_equal(e.msg, "seq.holidays: 'xmas' is not a date "
	    "(YYYY-MM-DD)");
	assert_int_equal(sequence_holidays_parse("2026-1-2", h, 4, &n, &e),
	    TEND_EINVAL);
	assert_int_equal(sequence_holidays_parse("2026-01-01,2026-01-02,"
	    "2026-01-05,2026-01-06,2026-01-07", h, 4, &n, &e), TEND_EINVAL);
	assert_string_equal(e.msg, "seq.holidays: more than 4 dates");
}

static int64_t
at(const char *text, const char *tz)
{
	struct err	e;
	int64_t		t = 0;

	if (when_parse(text, 0, tz, &t, &e) != 0)
		fail_msg("at(%s): %s", text, e.msg);
	return t;
}

/* sequence_due(days, from) in tz, window w (NULL: none), as local text. */
static void
due_is(int days, const char *from, const char *w, const char *tz,
    const int *hol, size_t nhol, const char *want)
{
	struct block	 b;
	struct err	 e;
	char		 got[WHEN_BUFSZ];
	int64_t		 t;

	if (w != NULL && block_parse(w, &b, &e) != 0)
		fail_msg("%s", e.msg);
	t = sequence_due(days, at(from, tz), w != NULL ? &b : NULL, tz, hol,
	    nhol);
	when_format(got, sizeof got, t, tz, WHEN_ISO);
	if (strcmp(got, want) != 0)
		fail_msg("%s + %d (%s, %s): got %s, want %s", from, days,
		    w != NULL ? w : "no window", tz, got, want);
}

static void
test_business_days(void **state)
{
	static const int xmas[] = { 20261224, 20261225, 20261231, 20270101 };
	const char	*u = "UTC";

	(void)state;
	/* 0 days: the same moment */
	due_is(0, "2026-11-28 13:17", NULL, u, NULL, 0,
	    "2026-11-28T13:17:00+00:00");
	/* Monday + 1, Friday + 1 is Monday, Saturday + 1 too */
	due_is(1, "2026-11-23 10:00", NULL, u, NULL, 0,
	    "2026-11-24T10:00:00+00:00");
	due_is(1, "2026-11-27 10:00", NULL, u, NULL, 0,
	    "2026-11-30T10:00:00+00:00");
	due_is(1, "2026-11-28 10:00", NULL, u, NULL, 0,
	    "2026-11-30T10:00:00+00:00");
	due_is(1, "2026-11-29 23:59", NULL, u, NULL, 0,
	    "2026-11-30T23:59:00+00:00");
	/* five business days are a week */
	due_is(5, "2026-11-25 08:00", NULL, u, NULL, 0,
	    "2026-12-02T08:00:00+00:00");
	/* month and year ends */
	due_is(1, "2027-01-29 09:00", NULL, u, NULL, 0,
	    "2027-02-01T09:00:00+00:00");
	due_is(2, "2026-12-30 09:00", NULL, u, NULL, 0,
	    "2027-01-01T09:00:00+00:00");
	due_is(2, "2026-12-30 09:00", NULL, u, xmas, 4,
	    "2027-01-05T09:00:00+00:00");
	due_is(1, "2028-02-28 09:00", NULL, u, NULL, 0,
	    "2028-02-29T09:00:00+00:00");
	/* holidays in a row: Thu 24, Fri 25 skipped, then the weekend */
	due_is(1, "2026-12-23 11:00", NULL, u, xmas, 4,
	    "2026-12-28T11:00:00+00:00");
	due_is(4, "2026-12-23 11:00", NULL, u, xmas, 4,
	    "2027-01-04T11:00:00+00:00");
	/* a holiday on the day itself does not matter with 0 days */
	due_is(0, "2026-12-25 11:00", NULL, u, xmas, 4,
	    "2026-12-25T11:00:00+00:00");
	/* a long delay */
	due_is(365, "2026-01-01 09:00", NULL, u, NULL, 0,
	    "2027-05-27T09:00:00+00:00");
}

static void
test_windows(void **state)
{
	static const int xmas[] = { 20261224, 20261225, 20261231, 20270101 };
	const char	*w = "mon-fri 09:00-17:00", *u = "UTC";

	(void)state;
	/* inside: as it is; before: today's opening; after: tomorrow's */
	due_is(0, "2026-11-23 10:30", w, u, NULL, 0,
	    "2026-11-23T10:30:00+00:00");
	due_is(0, "2026-11-23 09:00", w, u, NULL, 0,
	    "2026-11-23T09:00:00+00:00");
	due_is(0, "2026-11-23 06:00", w, u, NULL, 0,
	    "2026-11-23T09:00:00+00:00");
	/* the end is not in the window */
	due_is(0, "2026-11-23 17:00", w, u, NULL, 0,
	    "2026-11-24T09:00:00+00:00");
	/* Friday evening, Saturday: Monday morning */
	due_is(0, "2026-11-27 18:00", w, u, NULL, 0,
	    "2026-11-30T09:00:00+00:00");
	due_is(0, "2026-11-28 10:00", w, u, NULL, 0,
	    "2026-11-30T09:00:00+00:00");
	/* business days, then the window */
	due_is(2, "2026-11-26 20:00", w, u, NULL, 0,
	    "2026-12-01T09:00:00+00:00");
	/* holidays close the window too */
	due_is(0, "2026-12-23 17:30", w, u, xmas, 4,
	    "2026-12-28T09:00:00+00:00");
	due_is(0, "2026-12-30 18:00", w, u, xmas, 4,
	    "2027-01-04T09:00:00+00:00");
	/* a window on the weekend only, in another zone */
	due_is(0, "2026-11-23 12:00", "sat,sun 10:00-12:00",
	    "Asia/Tokyo", NULL, 0, "2026-11-28T10:00:00+09:00");
	/* the recipient's zone decides: 09:00 in Los Angeles */
	due_is(0, "2026-11-23 06:00", w, "America/Los_Angeles", NULL, 0,
	    "2026-11-23T09:00:00-08:00");
	due_is(0, "2026-11-23 12:00", w, "America/Los_Angeles", NULL, 0,
	    "2026-11-23T12:00:00-08:00");
}

static void
test_dst(void **state)
{
	const char	*ny = "America/New_York", *par = "Europe/Paris";

	(void)state;
	/* Friday + 1 across the spring change keeps the wall time */
	due_is(1, "2026-03-06 10:00", NULL, ny, NULL, 0,
	    "2026-03-09T10:00:00-04:00");
	due_is(1, "2026-10-30 10:00", NULL, par, NULL, 0,
	    "2026-11-02T10:00:00+01:00");
	/* a window opening in the gap opens at its end */
	due_is(0, "2026-03-07 05:00", "daily 02:30-04:00", ny, NULL, 0,
	    "2026-03-08T03:30:00-04:00");
	/* a wall time in the gap moves forward; the next days keep it */
	due_is(0, "2026-03-08 02:30", NULL, ny, NULL, 0,
	    "2026-03-08T03:30:00-04:00");
	due_is(1, "2026-03-27 02:30", NULL, par, NULL, 0,
	    "2026-03-30T02:30:00+02:00");
	/* the repeated hour in autumn: the first */
	due_is(0, "2026-10-31 12:00", "daily 02:30-03:00", par, NULL, 0,
	    "2026-11-01T02:30:00+01:00");
	due_is(0, "2026-10-24 12:00", "sun 02:30-03:00", par, NULL, 0,
	    "2026-10-25T02:30:00+02:00");
	/* business days and a window in the recipient's zone */
	due_is(3, "2026-03-05 16:30", "mon-fri 09:00-17:00", ny, NULL, 0,
	    "2026-03-10T16:30:00-04:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_holidays_parse),
		cmocka_unit_test(test_business_days),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_dst),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
