/*
 * Unit tests for tmpl/mustache: every test of the mustache spec in
 * ../shared/corpus/mustache-spec/ as its own cmocka test, and one that
 * checks all 136 ran and passed; then tend's own rules: strict and raw
 * modes, numbers, the output limit and the work budget, parse errors
 * with their lines, deep nesting, recursive and indented partials,
 * mustache_names, and one template rendered from several threads.
 */
#include <glob.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tmpl/mustache.h"
#include "util/err.h"
#include "util/xmalloc.h"

/* Tests run from the project root. */
#define SPEC_DIR	"../shared/corpus/mustache-spec/"
#define SPEC_COUNT	136

static int	spec_found;
static int	spec_passed;

/* Render tmpl with a view and partials given as JSON text (or NULL). */
static int
render(const char *tmpl, size_t tlen, const char *view,
    const char *partials, const struct mustache_opts *o0, char **out,
    size_t *len, struct err *e)
{
	struct mustache_opts	 o = { 0 };
	struct mustache		*m;
	json_error_t		 je;
	json_t			*v = NULL, *p = NULL;
	int			 rc;

	if (o0 != NULL)
		o = *o0;
	if (view != NULL) {
		v = json_loads(view, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
		if (v == NULL)
			fail_msg("bad view %s: %s", view, je.text);
	}
	if (partials != NULL) {
		p = json_loads(partials, 0, &je);
		if (p == NULL)
			fail_msg("bad partials %s: %s", partials, je.text);
		o.partials = p;
	}
	*out = NULL;
	rc = mustache_parse(tmpl, tlen, &m, e);
	if (rc == 0) {
		rc = mustache_render(m, v, &o, out, len, e);
		mustache_free(m);
	} else
		assert_null(m);
	json_decref(p);
	json_decref(v);
	return rc;
}

static void
expect_opts(const char *tmpl, const char *view, const char *partials,
    const struct mustache_opts *o, const char *want)
{
	struct err	 e;
	size_t		 len;
	char		*out;
	int		 rc;

	rc = render(tmpl, strlen(tmpl), view, partials, o, &out, &len, &e);
	if (rc != 0)
		fail_msg("template '%s': %s", tmpl, e.msg);
	if (strcmp(out, want) != 0 || len != strlen(want))
		fail_msg("template '%s'\n  want '%s'\n  got  '%s'", tmpl, want,
		    out);
	free(out);
}

static void
expect(const char *tmpl, const char *view, const char *want)
{
	expect_opts(tmpl, view, NULL, NULL, want);
}

static void
expect_strict(const char *tmpl, const char *view, const char *want)
{
	struct mustache_opts	o = { .strict = 1 };

	expect_opts(tmpl, view, NULL, &o, want);
}

static void
fail_opts(const char *tmpl, size_t tlen, const char *view,
    const char *partials, const struct mustache_opts *o, const char *msg)
{
	struct err	 e;
	size_t		 len = 99;
	char		*out;
	int		 rc;

	rc = render(tmpl, tlen, view, partials, o, &out, &len, &e);
	if (rc == 0)
		fail_msg("template '%s' rendered '%s', want error '%s'", tmpl,
		    out, msg);
	assert_int_equal(rc, TEND_EINVAL);
	assert_int_equal(e.code, TEND_EINVAL);
	assert_null(out);
	if (strcmp(e.msg, msg) != 0)
		fail_msg("template '%s'\n  want error '%s'\n  got        '%s'",
		    tmpl, msg, e.msg);
}

static void
fail_parse(const char *tmpl, const char *msg)
{
	fail_opts(tmpl, strlen(tmpl), NULL, NULL, NULL, msg);
}

static void
fail_strict(const char *tmpl, const char *view, const char *msg)
{
	struct mustache_opts	o = { .strict = 1 };

	fail_opts(tmpl, strlen(tmpl), view, NULL, &o, msg);
}

/* The spec */

static void
spec_test(void **state)
{
	struct mustache_opts	 o = { 0 };
	struct mustache		*m;
	struct err		 e;
	json_t			*t = *state;
	const char		*tmpl, *want;
	size_t			 len;
	char			*out;

	tmpl = json_string_value(json_object_get(t, "template"));
	want = json_string_value(json_object_get(t, "expected"));
	assert_non_null(tmpl);
	assert_non_null(want);
	o.partials = json_object_get(t, "partials");
	if (mustache_parse(tmpl, strlen(tmpl), &m, &e) != 0)
		fail_msg("template '%s': %s", tmpl, e.msg);
	if (mustache_render(m, json_object_get(t, "data"), &o, &out, &len,
	    &e) != 0) {
		mustache_free(m);
		fail_msg("template '%s': %s", tmpl, e.msg);
	}
	mustache_free(m);
	if (strcmp(out, want) != 0 || len != strlen(want)) {
		print_error("template '%s'\n  want '%s'\n  got  '%s'\n", tmpl,
		    want, out);
		free(out);
		fail();
	}
	free(out);
	spec_passed++;
}

static void
spec_total(void **state)
{
	(void)state;
	if (spec_found == 0) {
		print_message("no mustache spec in " SPEC_DIR "\n");
		skip();
	}
	assert_int_equal(spec_found, SPEC_COUNT);
	assert_int_equal(spec_passed, SPEC_COUNT);
}

/* Strict mode */

#define CONTACT	"{\"contact\": {\"first_name\": \"Ann\", \"company\": null, " \
		"\"title\": \"\", \"nick\": \" \\t\\n\", \"vip\": false, " \
		"\"age\": 0, \"tags\": [\"a\"], \"org\": {}, " \
		"\"nbsp\": \"\\u00a0\\u3000 \", \"via\": \"Bo\"}}"

static void
strict_values(void **state)
{
	(void)state;
	expect_strict("Hi {{contact.first_name}},", CONTACT, "Hi Ann,");
	expect_strict("{{contact.age}}", CONTACT, "0");
	fail_strict("Hi {{contact.frist_name}},", CONTACT,
	    "template uses 'contact.frist_name', which is empty");
	fail_strict("at {{contact.company}}", CONTACT,
	    "template uses 'contact.company', which is empty");
	fail_strict("{{contact.title}}", CONTACT,
	    "template uses 'contact.title', which is empty");
	fail_strict("{{contact.nick}}", CONTACT,
	    "template uses 'contact.nick', which is empty");
	fail_strict("{{contact.nbsp}}", CONTACT,
	    "template uses 'contact.nbsp', which is empty");
	fail_strict("{{contact.vip}}", CONTACT,
	    "template uses 'contact.vip', which is empty");
	fail_strict("{{{contact.company}}}", CONTACT,
	    "template uses 'contact.company', which is empty");
	fail_strict("{{& contact.company }}", CONTACT,
	    "template uses 'contact.company', which is empty");
	fail_strict("{{contact.tags}}", CONTACT,
	    "template uses 'contact.tags', which is not text");
	fail_strict("{{contact}}", CONTACT,
	    "template uses 'contact', which is not text");
	fail_strict("{{contact.first_name.x}}", CONTACT,
	    "template uses 'contact.first_name.x', which is empty");
	fail_strict("{{deal.title}}", CONTACT,
	    "template uses 'deal.title', which is empty");
	fail_strict("{{.}}", "\"\"", "template uses '.', which is empty");
	fail_strict("{{x}}", NULL, "template uses 'x', which is empty");
	/* the same templates are fine when lenient */
	expect("[{{contact.frist_name}}{{contact.company}}{{contact.nick}}]",
	    CONTACT, "[ \t\n]");
	expect("[{{contact.vip}}|{{contact.tags}}|{{contact.org}}]", CONTACT,
	    "[false||]");
}

static void
strict_fallback(void **state)
{
	const char	*t;

	(void)state;
	t = "Hi {{contact.first_name}}"
	    "{{#contact.company}} at {{contact.company}}{{/contact.company}}"
	    "{{^contact.company}}, good to meet you{{/contact.company}}!";
	expect_strict(t, CONTACT, "Hi Ann, good to meet you!");
	expect_strict(t, "{\"contact\": {\"first_name\": \"Ann\", "
	    "\"company\": \"Acme & Co\"}}", "Hi Ann at Acme &amp; Co!");
	expect_strict(t, "{\"contact\": {\"first_name\": \"Ann\"}}",
	    "Hi Ann, good to meet you!");
	/* a blank value is false for sections in strict mode only */
	t = "{{#contact.nick}}[{{contact.nick}}]{{/contact.nick}}"
	    "{{^contact.nick}}friend{{/contact.nick}}";
	expect_strict(t, CONTACT, "friend");
	expect(t, CONTACT, "[ \t\n]");
	t = "{{#contact.title}}{{contact.title}}{{/contact.title}}"
	    "{{^contact.title}}-{{/contact.title}}";
	expect_strict(t, CONTACT, "-");
	expect(t, CONTACT, "-");
	/* names inside a section resolve there first */
	expect_strict("{{#contact}}{{first_name}} via {{via}}{{/contact}}",
	    CONTACT, "Ann via Bo");
	fail_strict("{{#contact}}\n{{first_name}} of {{company}}\n"
	    "{{/contact}}", CONTACT,
	    "template uses 'company', which is empty");
	fail_strict("{{#contact.tags}}{{contact.title}}{{/contact.tags}}",
	    CONTACT, "template uses 'contact.title', which is empty");
}

/* Raw mode and escaping */

static void
raw_mode(void **state)
{
	struct mustache_opts	 raw = { .raw = 1 };
	const char		*v = "{\"x\": \"<a href=\\\"u\\\">Tom & "
				    "Jerry's</a>\"}";
	struct err		 e;
	size_t			 len;
	char			*out;

	(void)state;
	expect("{{x}}|{{{x}}}|{{&x}}", v,
	    "&lt;a href=&quot;u&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;|"
	    "<a href=\"u\">Tom & Jerry's</a>|<a href=\"u\">Tom & Jerry's</a>");
	expect_opts("{{x}}|{{{x}}}|{{&x}}", v, NULL, &raw,
	    "<a href=\"u\">Tom & Jerry's</a>|<a href=\"u\">Tom & Jerry's</a>|"
	    "<a href=\"u\">Tom & Jerry's</a>");
	/* raw does not touch the template's own text */
	expect_opts("<b>&amp;{{x}}</b>", "{\"x\": \"é&\"}", NULL, &raw,
	    "<b>&amp;é&</b>");
	expect("{{=<% %>=}}<%x%>|<%{x}%>|<%& x%>", "{\"x\": \"<&>\"}",
	    "&lt;&amp;&gt;|<&>|<&>");
	/* a NUL in a value is kept, and counted */
	assert_int_equal(render("<{{x}}>", 7, "{\"x\": \"a\\u0000b\"}", NULL,
	    NULL, &out, &len, &e), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "<a\0b>", 6);
	free(out);
}

static void
numbers(void **state)
{
	struct err	 e;
	size_t		 len;
	char		*out;

	(void)state;
	expect("{{a}} {{b}} {{c}}", "{\"a\": 0, \"b\": -42, "
	    "\"c\": 9007199254740993}", "0 -42 9007199254740993");
	expect("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}", "{\"a\": 1.21, "
	    "\"b\": 0.1, \"c\": 5.0, \"d\": -2.5, \"e\": 1e300, "
	    "\"f\": 1.5e-7}", "1.21 0.1 5 -2.5 1e+300 1.5e-07");
	expect("{{a}}", "{\"a\": 0.30000000000000004}",
	    "0.30000000000000004");
	expect("{{a}}|{{b}}", "{\"a\": true, \"b\": false}", "true|false");
	expect("{{#a}}yes{{/a}}{{^a}}no{{/a}}", "{\"a\": 0}", "yes");
	/* a view that is a number, NULL for no view */
	expect("{{.}}", "7", "7");
	assert_int_equal(render("{{.}}{{a}}", 10, NULL, NULL, NULL, &out,
	    &len, &e), 0);
	assert_string_equal(out, "");
	assert_int_equal(len, 0);
	free(out);
}

/* Limits */

static void
max_out(void **state)
{
	struct mustache_opts	 o = { .max_out = 10 };
	struct err		 e;
	size_t			 len;
	char			*big, *view, *out;

	(void)state;
	expect_opts("{{x}}", "{\"x\": \"0123456789\"}", NULL, &o,
	    "0123456789");
	expect_opts("01234{{x}}", "{\"x\": \"56789\"}", NULL, &o,
	    "0123456789");
	o.max_out = SIZE_MAX;
	expect_opts("{{x}}", "{\"x\": \"0123456789\"}", NULL, &o,
	    "0123456789");
	o.max_out = 9;
	fail_opts("{{x}}", 5, "{\"x\": \"0123456789\"}", NULL, &o,
	    "template output exceeds 9 bytes");
	fail_opts("0123456789", 10, NULL, NULL, &o,
	    "template output exceeds 9 bytes");
	fail_opts("{{x}}", 5, "{\"x\": \"&&\"}", NULL, &(struct mustache_opts)
	    { .max_out = 9 }, "template output exceeds 9 bytes");

	/* the default: 1 MiB, reached exactly, then passed by one byte */
	big = xmalloc(512 * 1024 + 1);
	memset(big, 'x', 512 * 1024);
	big[512 * 1024] = '\0';
	view = xasprintf("{\"x\": \"%s\", \"l\": [1, 2]}", big);
	assert_int_equal(render("{{#l}}{{x}}{{/l}}", 17, view, NULL, NULL,
	    &out, &len, &e), 0);
	assert_int_equal(len, 1024 * 1024);
	assert_int_equal(strlen(out), 1024 * 1024);
	free(out);
	fail_opts("{{#l}}{{x}}{{/l}}!", 18, view, NULL, NULL,
	    "template output exceeds 1048576 bytes");
	free(view);
	free(big);
}

/* A loop over loops that prints nothing must stop, and soon. */
static void
budget(void **state)
{
	char	tmpl[512], parts[512];
	size_t	n = 0;
	int	i;

	(void)state;
	for (i = 0; i < 20; i++)
		n += (size_t)snprintf(tmpl + n, sizeof tmpl - n, "{{#l}}");
	for (i = 0; i < 20; i++)
		n += (size_t)snprintf(tmpl + n, sizeof tmpl - n, "{{/l}}");
	fail_opts(tmpl, n, "{\"l\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}", NULL,
	    NULL, "template needs more than 4259840 steps to render");
	/* p0 loops over l calling p1, which loops calling p2... */
	n = (size_t)snprintf(parts, sizeof parts, "{");
	for (i = 0; i < 9; i++)
		n += (size_t)snprintf(parts + n, sizeof parts - n,
		    "\"p%d\": \"{{#l}}{{>p%d}}{{/l}}\", ", i, i + 1);
	snprintf(parts + n, sizeof parts - n, "\"p9\": \"\"}");
	fail_opts("{{>p0}}", 7, "{\"l\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}",
	    parts, NULL, "template needs more than 4259840 steps to render");
}

/* Parse errors */

static void
parse_errors(void **state)
{
	char	*big, a79[80], t[128], msg[128];

	(void)state;
	fail_parse("a\n{{#x}}\nb", "line 2: unclosed section 'x'");
	fail_parse("{{#a}}\n{{^b}}\n{{/b}}", "line 1: unclosed section 'a'");
	fail_parse("{{#x}}\n\n{{/y}}", "line 3: '/y' closes 'x'");
	fail_parse("{{#a.b}}{{/a}}", "line 1: '/a' closes 'a.b'");
	fail_parse("\n{{/y}}", "line 2: '/y' closes no section");
	fail_parse("{{#x}}{{/x}}{{/x}}", "line 1: '/x' closes no section");
	fail_parse("a\nb {{x", "line 2: unclosed tag");
	fail_parse("a {{x}", "line 1: unclosed tag");
	fail_parse("{{", "line 1: unclosed tag");
	fail_parse("{{ ", "line 1: unclosed tag");
	fail_parse("{{{x}}", "line 1: unclosed tag");
	fail_parse("{{!x\n\n", "line 1: unclosed tag");
	fail_parse("{{=<% %>=}}\n<%x}}", "line 2: unclosed tag");
	fail_parse("{{=<% %>}}", "line 1: unclosed tag");
	fail_parse("\n\n{{=<%>=}}", "line 3: bad delimiter tag");
	fail_parse("{{= a b c =}}", "line 1: bad delimiter tag");
	fail_parse("{{=a=b c=}}", "line 1: bad delimiter tag");
	fail_parse("{{==}}", "line 1: bad delimiter tag");
	fail_parse("x\n{{}}", "line 2: empty tag");
	fail_parse("{{ }}", "line 1: empty tag");
	fail_parse("{{#}}{{/}}", "line 1: empty tag");
	fail_parse("{{>  }}", "line 1: empty tag");
	fail_parse("{{{ }}}", "line 1: empty tag");
	fail_parse("{{a b}}", "line 1: bad name 'a b'");
	fail_parse("{{a..b}}", "line 1: bad name 'a..b'");
	fail_parse("{{#.a}}{{/.a}}", "line 1: bad name '.a'");
	fail_parse("{{a.}}", "line 1: bad name 'a.'");
	fail_parse("{{..}}", "line 1: bad name '..'");
	fail_parse("{{> a b}}", "line 1: bad name 'a b'");
	fail_parse("{{>a\nb}}", "line 1: bad name 'a\nb'");
	fail_parse("{{<parent}}{{/parent}}",
	    "line 1: template inheritance is not supported");
	fail_parse("{{$block}}{{/block}}",
	    "line 1: template inheritance is not supported");
	/* lines: multi-line tags, CRLF, a line of only a standalone tag */
	fail_parse("{{! a\ncomment\n}}\n{{/z}}",
	    "line 4: '/z' closes no section");
	fail_parse("a\r\n{{#q}}\r\n{{/z}}", "line 3: '/z' closes 'q'");
	fail_parse("{{=| |=}}\n|#a|\n|/a|\n|/b|",
	    "line 4: '/b' closes no section");
	/* long names are cut in messages, at a character: 79 a and é */
	memset(a79, 'a', 79);
	a79[79] = '\0';
	snprintf(t, sizeof t, "{{/%sééé}}", a79);
	snprintf(msg, sizeof msg, "line 1: '/%s...' closes no section", a79);
	fail_parse(t, msg);
	/* the bytes themselves */
	fail_opts("a\nb\0c", 5, NULL, NULL, NULL,
	    "line 2: template contains a NUL byte");
	fail_parse("ok\nstill \xc3\xa9 ok\n\xff", "line 3: template is not "
	    "valid UTF-8");
	fail_parse("\xc3", "line 1: template is not valid UTF-8");
	big = xmalloc(MUSTACHE_SRC_MAX + 1);
	memset(big, 'x', MUSTACHE_SRC_MAX + 1);
	fail_opts(big, MUSTACHE_SRC_MAX + 1, NULL, NULL, NULL,
	    "template larger than 1048576 bytes");
	big[MUSTACHE_SRC_MAX - 1] = '\0';
	expect(big, NULL, big);
	free(big);
}

/* 100 sections nested parse and render; 101 do not parse. */
static void
nesting(void **state)
{
	char	*t;
	size_t	 n = 0, cap = 8192;
	int	 i;

	(void)state;
	t = xmalloc(cap);
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(t + n, cap - n, "{{#a}}\n");
	n += (size_t)snprintf(t + n, cap - n, "x\n");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(t + n, cap - n, "{{/a}}\n");
	expect(t, "{\"a\": true}", "x\n");
	expect(t, "{\"a\": [[[true]]]}", "x\n");
	n = 0;
	for (i = 0; i < 101; i++)
		n += (size_t)snprintf(t + n, cap - n, "{{^a}}\n");
	fail_opts(t, n, NULL, NULL, NULL,
	    "line 101: sections nested deeper than 100");
	free(t);
}

/* Partials */

static char *
nested_view(int depth)
{
	char	*v, *p;
	size_t	 cap = (size_t)depth * 16 + 32;
	int	 i;

	v = xmalloc(cap);
	p = v;
	for (i = 0; i < depth; i++)
		p += snprintf(p, cap - (size_t)(p - v), "{\"n\": ");
	p += snprintf(p, cap - (size_t)(p - v), "{\"n\": false}");
	for (i = 0; i < depth; i++)
		p += snprintf(p, cap - (size_t)(p - v), "}");
	return v;
}

static void
partials(void **state)
{
	struct mustache_opts	 strict = { .strict = 1 };
	const char		*p;
	char			*v, *want;

	(void)state;
	p = "{\"p\": \"x{{#n}}{{>p}}{{/n}}\"}";
	/* the template calls p, then 99 levels of n: 100 partials deep */
	v = nested_view(99);
	want = xmalloc(101);
	memset(want, 'x', 100);
	want[100] = '\0';
	expect_opts("{{>p}}", v, p, NULL, want);
	free(v);
	free(want);
	v = nested_view(100);
	fail_opts("{{>p}}", 6, v, p, NULL, "partials nested deeper than 100");
	free(v);
	fail_opts("a{{>me}}", 8, NULL, "{\"me\": \"{{>me}}\"}", NULL,
	    "partials nested deeper than 100");
	fail_opts("{{>bad}}", 8, NULL, "{\"bad\": \"\\n{{#a}}\"}", NULL,
	    "partial 'bad': line 2: unclosed section 'a'");
	/* missing, not text, no partials at all: nothing, even strict */
	expect_opts("[{{>none}}{{>num}}]", NULL, "{\"num\": 1}", &strict,
	    "[]");
	expect_opts("[{{>none}}]", NULL, NULL, &strict, "[]");
	/* a partial's name is not split at its dots */
	expect_opts("{{>a.b}}{{>.}}{{>..}}", NULL,
	    "{\"a.b\": \"1\", \".\": \"2\", \"..\": \"3\"}", NULL, "123");
	/* partials see the context where they are called */
	expect_opts("{{#c}}{{>p}}{{/c}}", "{\"c\": {\"n\": \"Ann\"}}",
	    "{\"p\": \"Hi {{n}}\"}", NULL, "Hi Ann");
	/* delimiters do not pass into partials, or back out of them */
	expect_opts("{{=| |=}}|>p| |x|", "{\"x\": 1}",
	    "{\"p\": \"{{x}}{{=< >=}}<x>\"}", NULL, "11 1");
}

static void
indentation(void **state)
{
	const char	*p;

	(void)state;
	p = "{\"outer\": \"a\\n  {{>inner}}\\nb\\n\", "
	    "\"inner\": \"x\\ny\\n\", \"inline\": \"a{{>inner}}\\n\", "
	    "\"sec\": \"{{#l}}{{.}}\\n{{/l}}!\", "
	    "\"std\": \"{{#l}}\\n{{.}}\\n{{/l}}\\n\"}";
	/* standalone in standalone: the indentations add up */
	expect_opts("  {{>outer}}\n", NULL, p, NULL,
	    "  a\n    x\n    y\n  b\n");
	expect_opts("\t{{>outer}}", NULL, p, NULL,
	    "\ta\n\t  x\n\t  y\n\tb\n");
	/* an inline partial inside an indented one is not indented */
	expect_opts(" {{>inline}}\n", NULL, p, NULL, " ax\ny\n\n");
	/* a line that starts with a tag is indented too, inside a loop */
	expect_opts("  {{>sec}}\n", "{\"l\": [1, 2]}", p, NULL,
	    "  1\n  2\n  !");
	expect_opts("  {{>std}}\n", "{\"l\": [1, 2]}", p, NULL,
	    "  1\n  2\n");
	/* values are never indented, only the partial's own lines */
	expect_opts("  {{>v}}\n>", "{\"s\": \"1\\n2\"}",
	    "{\"v\": \"{{s}}\\n{{{s}}}\\n\"}", NULL, "  1\n2\n  1\n2\n>");
}

/* mustache_names */

struct seen {
	char	text[512];
	size_t	n;
	int	stop;
};

static int
collect(const char *name, enum mustache_tag tag, int line, void *arg)
{
	static const char *const kind[] = { "var", "section", "inverted",
	    "partial" };
	struct seen	*s = arg;

	s->n += (size_t)snprintf(s->text + s->n, sizeof s->text - s->n,
	    "%s %s %d;", kind[tag], name, line);
	if (s->stop == 0)
		return 0;
	s->stop--;
	return s->stop == 0 ? 42 : 0;
}

static void
names(void **state)
{
	struct mustache	*m;
	struct err	 e;
	struct seen	 s;
	const char	*t;

	(void)state;
	t = "Hi {{ contact.first_name }},\n"
	    "{{! a comment }}\n"
	    "{{#deal}}\n{{title}} {{{deal.stage}}}{{/deal}}"
	    "{{^x}}{{&y}}{{/x}}\n"
	    "{{=<% %>=}}<%> sig%> <%.%>";
	assert_int_equal(mustache_parse(t, strlen(t), &m, &e), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(mustache_names(m, collect, &s), 0);
	assert_string_equal(s.text, "var contact.first_name 1;section deal 3;"
	    "var title 4;var deal.stage 4;inverted x 4;var y 4;partial sig 5;"
	    "var . 5;");
	memset(&s, 0, sizeof s);
	s.stop = 2;
	assert_int_equal(mustache_names(m, collect, &s), 42);
	assert_string_equal(s.text, "var contact.first_name 1;"
	    "section deal 3;");
	mustache_free(m);
	mustache_free(NULL);

	assert_int_equal(mustache_parse("", 0, &m, &e), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(mustache_names(m, collect, &s), 0);
	assert_int_equal(s.n, 0);
	mustache_free(m);
}

/* One parsed template, rendered from four threads at once. */

struct job {
	const struct mustache	*m;
	json_t			*view;
	json_t			*partials;
	int			 bad;
};

static void *
job_run(void *arg)
{
	struct mustache_opts	 o = { .strict = 1 };
	struct job		*j = arg;
	struct err		 e;
	size_t			 len;
	char			*out;
	int			 i;

	o.partials = j->partials;
	for (i = 0; i < 2000; i++) {
		if (mustache_render(j->m, j->view, &o, &out, &len, &e) != 0) {
			j->bad++;
			continue;
		}
		if (strcmp(out, "Hi Ann,\n  Bo\n  Cy\n-- me") != 0)
			j->bad++;
		free(out);
	}
	return NULL;
}

static void
threads(void **state)
{
	struct mustache	*m;
	struct err	 e;
	struct job	 j[4];
	pthread_t	 th[4];
	const char	*t = "Hi {{name}},\n{{#l}}\n  {{.}}\n{{/l}}\n"
			    "{{>sig}}\n";
	json_t		*view, *p;
	int		 i;

	(void)state;
	view = json_pack("{s:s, s:[s,s]}", "name", "Ann", "l", "Bo", "Cy");
	p = json_pack("{s:s}", "sig", "-- me");
	assert_int_equal(mustache_parse(t, strlen(t), &m, &e), 0);
	for (i = 0; i < 4; i++) {
		j[i] = (struct job){ m, view, p, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, job_run, &j[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(j[i].bad, 0);
	}
	mustache_free(m);
	json_decref(p);
	json_decref(view);
}

/* Load every spec file and make a cmocka test of each of its tests. */
static size_t
spec_load(json_t *files, struct CMUnitTest **tests, size_t n, size_t *cap)
{
	json_error_t	 je;
	glob_t		 g;
	json_t		*doc, *t;
	const char	*base, *dot;
	size_t		 i, k;

	if (glob(SPEC_DIR "*.json", 0, NULL, &g) != 0)
		return n;
	for (i = 0; i < g.gl_pathc; i++) {
		doc = json_load_file(g.gl_pathv[i], 0, &je);
		if (doc == NULL) {
			fprintf(stderr, "%s: %s\n", g.gl_pathv[i], je.text);
			exit(1);
		}
		json_array_append_new(files, doc);
		base = strrchr(g.gl_pathv[i], '/') + 1;
		dot = strrchr(base, '.');
		json_array_foreach(json_object_get(doc, "tests"), k, t) {
			if (n == *cap) {
				*cap *= 2;
				*tests = xrealloc(*tests,
				    *cap * sizeof **tests);
			}
			(*tests)[n++] = (struct CMUnitTest){
				.name = xasprintf("spec %.*s: %s",
				    (int)(dot - base), base, json_string_value(
				    json_object_get(t, "name"))),
				.test_func = spec_test,
				.initial_state = t
			};
			spec_found++;
		}
	}
	globfree(&g);
	return n;
}

int
main(void)
{
	static const struct CMUnitTest own[] = {
		cmocka_unit_test(strict_values),
		cmocka_unit_test(strict_fallback),
		cmocka_unit_test(raw_mode),
		cmocka_unit_test(numbers),
		cmocka_unit_test(max_out),
		cmocka_unit_test(budget),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(nesting),
		cmocka_unit_test(partials),
		cmocka_unit_test(indentation),
		cmocka_unit_test(names),
		cmocka_unit_test(threads)
	};
	struct CMUnitTest	*tests;
	json_t			*files;
	size_t			 n, i, cap = 256, nown;
	int			 rc;

	nown = sizeof own / sizeof own[0];
	tests = xmalloc(cap * sizeof *tests);
	files = json_array();
	n = spec_load(files, &tests, 0, &cap);
	if (n + nown + 1 > cap) {
		cap = n + nown + 1;
		tests = xrealloc(tests, cap * sizeof *tests);
	}
	tests[n++] = (struct CMUnitTest){ .name = "spec total",
	    .test_func = spec_total };
	for (i = 0; i < nown; i++)
		tests[n++] = own[i];
	rc = _cmocka_run_group_tests("mustache", tests, n, NULL, NULL);
	for (i = 0; i < (size_t)spec_found; i++)
		free((char *)tests[i].name);
	free(tests);
	json_decref(files);
	return rc;
}
