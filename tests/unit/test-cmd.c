/*
 * Unit tests for the command table and the option parser (src/cli/cmd.c):
 * the table stays sorted, complete and documented, and cmd_parse() reads
 * options the way the man pages say.  Runs from the project root, where
 * docs/man/ is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cmd.h"
#include "util/arena.h"
#include "util/err.h"

#define MAN_DIR		"docs/man"
#define MAN_MAX		(256 * 1024)

/*
 * The options every command takes (cmd_common_opts in cmd.c is static);
 * test_parse_common_options checks this copy against the parser.
 */
static const struct cmd_opt common_opts[] = {
	{ "db", 0, 1, "database" },
	{ "json", 'j', 0, "json" },
	{ "help", 'h', 0, "help" },
	CMD_OPT_END
};

static size_t
table_len(void)
{
	size_t	n = 0;

	while (cmd_table[n] != NULL)
		n++;
	return n;
}

/* The whole of a file, or NULL if it cannot be read (caller frees). */
static char *
file_read(const char *path)
{
	char	*buf;
	FILE	*f;
	size_t	 n;

	f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	buf = malloc(MAN_MAX + 1);
	assert_non_null(buf);
	n = fread(buf, 1, MAN_MAX, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* s with every '-' written as groff's "\-", after prefix. */
static void
groff_dashes(char *out, size_t size, const char *prefix, const char *s)
{
	size_t	o;

	o = (size_t)snprintf(out, size, "%s", prefix);
	for (; *s != '\0' && o + 3 < size; s++) {
		if (*s == '-')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o] = '\0';
}

/* --- the table ------------------------------------------------------ */

static void
test_table_sorted_unique(void **state)
{
	size_t	i, n;

	(void)state;
	n = table_len();
	assert_true(n > 0);
	for (i = 1; i < n; i++)
		if (strcmp(cmd_table[i - 1]->name, cmd_table[i]->name) >= 0)
			fail_msg("table not sorted or not unique at '%s', "
			    "'%s'", cmd_table[i - 1]->name,
			    cmd_table[i]->name);
}

static void
test_table_find(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; cmd_table[i] != NULL; i++)
		assert_ptr_equal(cmd_find(cmd_table[i]->name), cmd_table[i]);
	assert_null(cmd_find("nosuchcommand"));
	assert_null(cmd_find(""));
	/* no prefix matching: "de" is not "deal" */
	assert_null(cmd_find("de"));
	assert_null(cmd_find("TODAY"));
}

static void
test_table_entries_complete(void **state)
{
	const struct cmd_entry	*ce;
	const char		*p;
	size_t			 i, n;

	(void)state;
	for (i = 0; cmd_table[i] != NULL; i++) {
		ce = cmd_table[i];
		if (ce->name == NULL || *ce->name == '\0')
			fail_msg("entry %zu has no name", i);
		for (p = ce->name; *p != '\0'; p++)
			if (!((*p >= 'a' && *p <= 'z') || *p == '-'))
				fail_msg("%s: names are lowercase words",
				    ce->name);
		if (ce->usage == NULL || *ce->usage == '\0')
			fail_msg("%s: empty usage", ce->name);
		n = strlen(ce->name);
		if (strncmp(ce->usage, "tend ", 5) == 0 ||
		    (strncmp(ce->usage, ce->name, n) == 0 &&
		    (ce->usage[n] == ' ' || ce->usage[n] == '\0')))
			fail_msg("%s: usage repeats the command name: '%s'",
			    ce->name, ce->usage);
		if (ce->summary == NULL || *ce->summary == '\0')
			fail_msg("%s: empty summary", ce->name);
		if (ce->exec == NULL)
			fail_msg("%s: no exec", ce->name);
		if (ce->min_args < 0)
			fail_msg("%s: min_args %d", ce->name, ce->min_args);
		if (ce->max_args != -1 && ce->max_args < ce->min_args)
			fail_msg("%s: max_args %d < min_args %d", ce->name,
			    ce->max_args, ce->min_args);
		/* the dispatcher only opens a transaction on an open store */
		if ((ce->flags & CMD_WRITES) && !(ce->flags & CMD_NEEDS_DB))
			fail_msg("%s: CMD_WRITES without CMD_NEEDS_DB",
			    ce->name);
		if ((ce->flags & ~(CMD_NEEDS_DB | CMD_WRITES | CMD_REPAIRS |
		    CMD_TEMPFAIL)) != 0)
			fail_msg("%s: unknown flags %#x", ce->name, ce->flags);
	}
}

/* Two options clash on a name or a letter. */
static void
opts_clash(const char *cmd, const struct cmd_opt *a, const struct cmd_opt *b)
{
	if (strcmp(a->name, b->name) == 0)
		fail_msg("%s: two options named '--%s'", cmd, a->name);
	if (a->letter != 0 && a->letter == b->letter)
		fail_msg("%s: '-%c' is both --%s and --%s", cmd, a->letter,
		    a->name, b->name);
}

static void
test_table_options(void **state)
{
	const struct cmd_entry	*ce;
	const struct cmd_opt	*o, *q;
	const char		*p;
	size_t			 i;

	(void)state;
	for (i = 0; cmd_table[i] != NULL; i++) {
		ce = cmd_table[i];
		for (o = ce->opts; o != NULL && o->name != NULL; o++) {
			if (*o->name == '\0' || *o->name == '-')
				fail_msg("%s: an option with a bad name '%s'",
				    ce->name, o->name);
			for (p = o->name; *p != '\0'; p++)
				if (!((*p >= 'a' && *p <= 'z') ||
				    (*p >= '0' && *p <= '9') || *p == '-'))
					fail_msg("%s: option '--%s': lowercase "
					    "words only", ce->name, o->name);
			if (o->help == NULL || *o->help == '\0')
				fail_msg("%s: option '--%s' has no help",
				    ce->name, o->name);
			if (o->arg != 0 && o->arg != 1)
				fail_msg("%s: option '--%s': arg is 0 or 1",
				    ce->name, o->name);
			/* a digit letter would read as a negative number */
			if (o->letter != 0 && !((o->letter >= 'a' &&
			    o->letter <= 'z') || (o->letter >= 'A' &&
			    o->letter <= 'Z')))
				fail_msg("%s: option '--%s': letter '%c' is "
				    "not a letter", ce->name, o->name,
				    o->letter);
			for (q = o + 1; q->name != NULL; q++)
				opts_clash(ce->name, o, q);
			for (q = common_opts; q->name != NULL; q++)
				opts_clash(ce->name, o, q);
		}
	}
}

static void
test_table_man_pages(void **state)
{
	const struct cmd_entry	*ce;
	const struct cmd_opt	*o;
	char			*page, path[256], want[128];
	size_t			 i;

	(void)state;
	page = file_read(MAN_DIR "/tend.1");
	if (page == NULL)
		fail_msg("missing " MAN_DIR "/tend.1");
	free(page);
	for (i = 0; cmd_table[i] != NULL; i++) {
		ce = cmd_table[i];
		snprintf(path, sizeof path, MAN_DIR "/tend-%s.1", ce->name);
		page = file_read(path);
		if (page == NULL)
			fail_msg("missing %s", path);
		/* the NAME line that whatis and apropos read */
		groff_dashes(want, sizeof want, "tend\\-", ce->name);
		snprintf(want + strlen(want), sizeof want - strlen(want),
		    " \\- ");
		if (strstr(page, want) == NULL) {
			free(page);
			fail_msg("%s: no NAME line '%s'", path, want);
		}
		/* every option of the command is documented */
		for (o = ce->opts; o != NULL && o->name != NULL; o++) {
			groff_dashes(want, sizeof want, "\\-\\-", o->name);
			if (strstr(page, want) == NULL) {
				free(page);
				fail_msg("%s does not document --%s (as '%s')",
				    path, o->name, want);
			}
		}
		free(page);
	}
}

/* --- cmd_parse ------------------------------------------------------ */

static int
t_exec(struct cmd_ctx *ctx, struct args *args)
{
	(void)ctx;
	(void)args;
	return 0;
}

static const struct cmd_opt t_opts[] = {
	{ "tag", 't', 1, "a tag" },
	{ "all", 'a', 0, "everything" },
	{ "verbose", 'v', 0, "more" },
	{ "due", 0, 1, "a date" },
	{ "no-email", 0, 1, "an address" },
	CMD_OPT_END
};

/* Like a real command: one or two positionals. */
static const struct cmd_entry t_entry = {
	.name = "test",
	.usage = "A [B] [-t TAG]... [-a] [-v] [--due DATE]",
	.summary = "A test.",
	.opts = t_opts,
	.min_args = 1,
	.max_args = 2,
	.flags = 0,
	.exec = t_exec
};

/* No options of its own, any number of positionals. */
static const struct cmd_entry t_bare = {
	.name = "bare",
	.usage = "[ARG]...",
	.summary = "Bare.",
	.opts = NULL,
	.min_args = 0,
	.max_args = -1,
	.flags = 0,
	.exec = t_exec
};

struct fixture {
	struct arena	*a;
	struct args	 args;
	struct err	 e;
};

static int
setup(void **state)
{
	struct fixture	*f;

	f = calloc(1, sizeof *f);
	if (f == NULL)
		return -1;
	f->a = arena_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	arena_free(f->a);
	free(f);
	return 0;
}

/* Parse a NULL-terminated list of words (copied: the parser keeps them). */
static int
parse(struct fixture *f, const struct cmd_entry *ce, ...)
{
	va_list		 ap;
	char		*argv[32];
	const char	*w;
	int		 argc = 0;

	va_start(ap, ce);
	while ((w = va_arg(ap, const char *)) != NULL) {
		assert_true(argc < 31);
		argv[argc++] = arena_strdup(f->a, w);
	}
	va_end(ap);
	argv[argc] = NULL;
	memset(&f->e, 0, sizeof f->e);
	return cmd_parse(ce, argc, argv, f->a, &f->args, &f->e);
}

static void
expect_usage_error(struct fixture *f, int rc, const char *msg_part)
{
	assert_int_equal(rc, TEND_EUSAGE);
	if (strstr(f->e.msg, msg_part) == NULL)
		fail_msg("error '%s' lacks '%s'", f->e.msg, msg_part);
}

static void
test_parse_options_around_positionals(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(parse(f, &t_entry, "-a", "one", "--tag", "x", "two",
	    "-v", NULL), 0);
	assert_int_equal(f->args.npos, 2);
	assert_string_equal(f->args.pos[0], "one");
	assert_string_equal(f->args.pos[1], "two");
	assert_true(args_has(&f->args, "all"));
	assert_true(args_has(&f->args, "verbose"));
	assert_string_equal(args_get(&f->args, "tag"), "x");
	assert_false(args_has(&f->args, "due"));
	assert_null(args_get(&f->args, "due"));
	/* the options in order, flags with a NULL value */
	assert_int_equal(f->args.n, 3);
	assert_string_equal(f->args.names[0], "all");
	assert_null(f->args.values[0]);
	assert_string_equal(f->args.names[1], "tag");
	assert_string_equal(f->args.names[2], "verbose");
}

static void
test_parse_long_equals(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(parse(f, &t_entry, "one", "--tag=x", "--due=a=b",
	    "--no-email=", NULL), 0);
	assert_int_equal(f->args.npos, 1);
	assert_string_equal(args_get(&f->args, "tag"), "x");
	/* only the first '=' splits */
	assert_string_equal(args_get(&f->args, "due"), "a=b");
	/* an empty value is a value (edit clears a field with it) */
	assert_true(args_has(&f->args, "no-email"));
	assert_string_equal(args_get(&f->args, "no-email"), "");
}

static void
test_parse_value_may_start_with_dash(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(parse(f, &t_entry, "one", "--due", "-3d", "-t",
	    "--all", NULL), 0);
	assert_string_equal(args_get(&f->args, "due"), "-3d");
	assert_string_equal(args_get(&f->args, "tag"), "--all");
	assert_false(args_has(&f->args, "all"));
}

static void
test_parse_short_attached(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(parse(f, &t_entry, "-tx", "one", NULL), 0);
	assert_string_equal(args_get(&f->args, "tag"), "x");
	assert_int_equal(f->args.npos, 1);
	assert_string_equal(f->args.pos[0], "one");
}

static void
test_parse_clusters(void **state)
{
	struct fixture	*f = *state;

	/* flags, then an option with its value attached */
	assert_int_equal(parse(f, &t_entry, "-avtx", "one", NULL), 0);
	assert_true(args_has(&f->args, "all"));
	assert_true(args_has(&f->args, "verbose"));
	assert_string_equal(args_get(&f->args, "tag"), "x");
	assert_int_equal(f->args.npos, 1);

	/* the value in the next word */
	assert_int_equal(parse(f, &t_entry, "-at", "x", "one", NULL), 0);
	assert_true(args_has(&f->args, "all"));
	assert_string_equal(args_get(&f->args, "tag"), "x");
	assert_int_equal(f->args.npos, 1);
	assert_string_equal(f->args.pos[0], "one");

	/* the value takes the rest of the cluster: -ta is tag "a" */
	assert_int_equal(parse(f, &t_entry, "-ta", "one", NULL), 0);
	assert_string_equal(args_get(&f->args, "tag"), "a");
	assert_false(args_has(&f->args, "all"));

	/* common letters cluster with the command's own */
	assert_int_equal(parse(f, &t_entry, "-ja", "one", NULL), 0);
	assert_true(args_has(&f->args, "json"));
	assert_true(args_has(&f->args, "all"));
}

static void
test_parse_double_dash(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(parse(f, &t_entry, "-a", "--", "-v", "--tag", NULL),
	    0);
	assert_int_equal(f->args.npos, 2);
	assert_string_equal(f->args.pos[0], "-v");
	assert_string_equal(f->args.pos[1], "--tag");
	assert_true(args_has(&f->args, "all"));
	assert_false(args_has(&f->args, "verbose"));
	assert_false(args_has(&f->args, "tag"));

	/* a second "--" after the first is a positional */
	assert_int_equal(parse(f, &t_bare, "--", "--", NULL), 0);
	assert_int_equal(f->args.npos, 1);
	assert_string_equal(f->args.pos[0], "--");
}

static void
test_parse_dash_words_are_positionals(void **state)
{
	struct fixture	*f = *state;

	/* "-" (stdin, by custom) and negative numbers or dates */
	assert_int_equal(parse(f, &t_bare, "-", "-3d", "-12", NULL), 0);
	assert_int_equal(f->args.npos, 3);
	assert_string_equal(f->args.pos[0], "-");
	assert_string_equal(f->args.pos[1], "-3d");
	assert_string_equal(f->args.pos[2], "-12");
	assert_int_equal(f->args.n, 0);
}

static void
test_parse_unknown_options(void **state)
{
	struct fixture	*f = *state;

	expect_usage_error(f, parse(f, &t_entry, "one", "--nope", NULL),
	    "unknown option '--nope'");
	expect_usage_error(f, parse(f, &t_entry, "one", "-z", NULL),
	    "unknown option '-z'");
	/* no abbreviations, no extensions */
	expect_usage_error(f, parse(f, &t_entry, "one", "--ta", "x", NULL),
	    "unknown option '--ta'");
	expect_usage_error(f, parse(f, &t_entry, "one", "--tags", "x", NULL),
	    "unknown option '--tags'");
	expect_usage_error(f, parse(f, &t_entry, "one", "--nope=1", NULL),
	    "unknown option '--nope'");
	/* in a cluster */
	expect_usage_error(f, parse(f, &t_entry, "one", "-az", NULL),
	    "unknown option '-z'");
	/* the message names the command */
	expect_usage_error(f, parse(f, &t_entry, "one", "--nope", NULL),
	    "test: ");
	/* another command's option is unknown here */
	expect_usage_error(f, parse(f, &t_bare, "--tag", "x", NULL),
	    "unknown option '--tag'");
}

static void
test_parse_missing_values(void **state)
{
	struct fixture	*f = *state;

	expect_usage_error(f, parse(f, &t_entry, "one", "--tag", NULL),
	    "option '--tag' needs a value");
	expect_usage_error(f, parse(f, &t_entry, "one", "-t", NULL),
	    "option '-t' needs a value");
	expect_usage_error(f, parse(f, &t_entry, "one", "-at", NULL),
	    "option '-t' needs a value");
	expect_usage_error(f, parse(f, &t_bare, "--db", NULL),
	    "option '--db' needs a value");
	/* a flag given a value */
	expect_usage_error(f, parse(f, &t_entry, "one", "--all=yes", NULL),
	    "option '--all' takes no value");
	expect_usage_error(f, parse(f, &t_bare, "--json=1", NULL),
	    "option '--json' takes no value");
}

static void
test_parse_positional_count(void **state)
{
	struct fixture	*f = *state;

	expect_usage_error(f, parse(f, &t_entry, NULL),
	    "usage: tend test A [B]");
	expect_usage_error(f, parse(f, &t_entry, "-a", NULL),
	    "usage: tend test ");
	expect_usage_error(f, parse(f, &t_entry, "one", "two", "three", NULL),
	    "usage: tend test ");
	assert_int_equal(parse(f, &t_entry, "one", NULL), 0);
	assert_int_equal(parse(f, &t_entry, "one", "two", NULL), 0);
	/* max_args -1: any number */
	assert_int_equal(parse(f, &t_bare, NULL), 0);
	assert_int_equal(f->args.npos, 0);
	assert_int_equal(parse(f, &t_bare, "1", "2", "3", "4", "5", "6", "7",
	    "8", "9", "10", "11", "12", NULL), 0);
	assert_int_equal(f->args.npos, 12);
}

static void
test_parse_help_short_circuits(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(parse(f, &t_entry, "--help", NULL), 0);
	assert_true(args_has(&f->args, "help"));
	assert_int_equal(parse(f, &t_entry, "-h", NULL), 0);
	assert_true(args_has(&f->args, "help"));
	assert_int_equal(parse(f, &t_entry, "a", "b", "c", "d", "--help",
	    NULL), 0);
	assert_true(args_has(&f->args, "help"));
	assert_int_equal(parse(f, &t_entry, "-vh", NULL), 0);
	assert_true(args_has(&f->args, "help"));
}

static void
test_parse_common_options(void **state)
{
	struct fixture		*f = *state;
	const struct cmd_opt	*o;
	char			 lng[40], shrt[4];

	/* the copy in this file matches what cmd_parse accepts */
	for (o = common_opts; o->name != NULL; o++) {
		snprintf(lng, sizeof lng, "--%s", o->name);
		if (o->arg)
			assert_int_equal(parse(f, &t_bare, lng, "v", NULL), 0);
		else
			assert_int_equal(parse(f, &t_bare, lng, NULL), 0);
		assert_true(args_has(&f->args, o->name));
		if (o->letter == 0)
			continue;
		snprintf(shrt, sizeof shrt, "-%c", o->letter);
		if (o->arg)
			assert_int_equal(parse(f, &t_bare, shrt, "v", NULL), 0);
		else
			assert_int_equal(parse(f, &t_bare, shrt, NULL), 0);
		assert_true(args_has(&f->args, o->name));
	}
	assert_int_equal(parse(f, &t_bare, "--db=/tmp/x.db", "--json", NULL),
	    0);
	assert_string_equal(args_get(&f->args, "db"), "/tmp/x.db");
	assert_int_equal(f->args.npos, 0);
	/* --db has no letter */
	expect_usage_error(f, parse(f, &t_bare, "-d", "x", NULL),
	    "unknown option '-d'");
}

static void
test_args_get_has_all(void **state)
{
	struct fixture	*f = *state;
	char		**vals;
	size_t		  n;

	assert_int_equal(parse(f, &t_entry, "one", "-t", "a", "--tag=b",
	    "-a", "-tc", "--tag", "", NULL), 0);
	/* the last value wins for args_get */
	assert_string_equal(args_get(&f->args, "tag"), "");
	n = args_all(&f->args, "tag", f->a, &vals);
	assert_int_equal(n, 4);
	assert_string_equal(vals[0], "a");
	assert_string_equal(vals[1], "b");
	assert_string_equal(vals[2], "c");
	assert_string_equal(vals[3], "");
	/* a flag: present, no value */
	assert_true(args_has(&f->args, "all"));
	assert_null(args_get(&f->args, "all"));
	n = args_all(&f->args, "all", f->a, &vals);
	assert_int_equal(n, 1);
	assert_null(vals[0]);
	/* absent */
	assert_false(args_has(&f->args, "verbose"));
	assert_null(args_get(&f->args, "verbose"));
	n = args_all(&f->args, "verbose", f->a, &vals);
	assert_int_equal(n, 0);
	assert_non_null(vals);
	/* a name no command has */
	assert_false(args_has(&f->args, "nosuch"));
}

/* --- the real table through the parser ------------------------------ */

static void
test_real_commands_parse(void **state)
{
	struct fixture		*f = *state;
	const struct cmd_entry	*ce;
	char			*argv[16];
	size_t			 i;
	int			 k, n;

	for (i = 0; cmd_table[i] != NULL; i++) {
		ce = cmd_table[i];
		/* --help alone always works, whatever the positionals */
		argv[0] = arena_strdup(f->a, "--help");
		assert_int_equal(cmd_parse(ce, 1, argv, f->a, &f->args,
		    &f->e), 0);
		/* the fewest positionals */
		n = ce->min_args < 8 ? ce->min_args : 8;
		for (k = 0; k < n; k++)
			argv[k] = arena_strdup(f->a, "x");
		if (n == ce->min_args &&
		    cmd_parse(ce, n, argv, f->a, &f->args, &f->e) != 0)
			fail_msg("%s: %d positionals: %s", ce->name, n,
			    f->e.msg);
		if (ce->min_args > 0 && ce->min_args <= 8 &&
		    cmd_parse(ce, n - 1, argv, f->a, &f->args, &f->e) !=
		    TEND_EUSAGE)
			fail_msg("%s: accepts %d positionals", ce->name,
			    n - 1);
		if (ce->max_args >= 0 && ce->max_args < 15) {
			for (k = 0; k <= ce->max_args; k++)
				argv[k] = arena_strdup(f->a, "x");
			if (cmd_parse(ce, ce->max_args + 1, argv, f->a,
			    &f->args, &f->e) != TEND_EUSAGE)
				fail_msg("%s: accepts %d positionals",
				    ce->name, ce->max_args + 1);
		}
	}
}

static void
test_help_text(void **state)
{
	const struct cmd_entry	*ce;
	const struct cmd_opt	*o;
	char			*buf = NULL, want[80];
	size_t			 len = 0, i;
	FILE			*mf;

	(void)state;
	for (i = 0; cmd_table[i] != NULL; i++) {
		ce = cmd_table[i];
		mf = open_memstream(&buf, &len);
		assert_non_null(mf);
		cmd_help(ce, mf);
		fclose(mf);
		snprintf(want, sizeof want, "usage: tend %s ", ce->name);
		assert_non_null(strstr(buf, want));
		assert_non_null(strstr(buf, ce->summary));
		for (o = ce->opts; o != NULL && o->name != NULL; o++) {
			snprintf(want, sizeof want, "--%s", o->name);
			if (strstr(buf, want) == NULL)
				fail_msg("%s --help lacks %s", ce->name, want);
		}
		assert_non_null(strstr(buf, "--json"));
		snprintf(want, sizeof want, "man tend-%s", ce->name);
		assert_non_null(strstr(buf, want));
		free(buf);
		buf = NULL;
	}
}

static void
test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(cmd_exit_code(TEND_OK), 0);
	assert_int_equal(cmd_exit_code(TEND_EUSAGE), 2);
	assert_int_equal(cmd_exit_code(TEND_EAMBIGUOUS), 2);
	assert_int_equal(cmd_exit_code(TEND_EINVAL), 65);
	assert_int_equal(cmd_exit_code(TEND_ENOTFOUND), 65);
	assert_int_equal(cmd_exit_code(TEND_ECONFLICT), 65);
	assert_int_equal(cmd_exit_code(TEND_ECORRUPT), 65);
	assert_int_equal(cmd_exit_code(TEND_EBUSY), 69);
	assert_int_equal(cmd_exit_code(TEND_EIO), 1);
	assert_int_equal(cmd_exit_code(TEND_EVERSION), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted_unique),
		cmocka_unit_test(test_table_find),
		cmocka_unit_test(test_table_entries_complete),
		cmocka_unit_test(test_table_options),
		cmocka_unit_test(test_table_man_pages),
		cmocka_unit_test_setup_teardown(
		    test_parse_options_around_positionals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_long_equals,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_parse_value_may_start_with_dash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_short_attached,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_clusters,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_double_dash,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_parse_dash_words_are_positionals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_unknown_options,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_missing_values,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_positional_count,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_help_short_circuits,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_common_options,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_get_has_all,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_commands_parse,
		    setup, teardown),
		cmocka_unit_test(test_help_text),
		cmocka_unit_test(test_exit_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
