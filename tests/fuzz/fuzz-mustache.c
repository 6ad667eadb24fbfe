/*
 * libFuzzer target for the mustache engine.  The input is a template, a
 * NUL, a JSON view, a NUL and a JSON object of partials (the view serves
 * as the partials when the last part is missing).  Parse, list the
 * names, render lenient and escaped, strict and raw; whatever the input,
 * an error is TEND_EINVAL with a message, and an output is within its
 * limit, NUL-terminated and valid UTF-8 (the template and the view's
 * strings are); a standalone partial renders as its indented source
 * does.  Anything else aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tmpl/mustache.h"
#include "util/err.h"
#include "util/text.h"

#define OUT_MAX	(64 * 1024)	/* keeps each run fast */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
die(const char *what, const char *msg)
{
	fprintf(stderr, "fuzz-mustache: %s: %s\n", what, msg);
	abort();
}

struct lines {
	int	max;
	int	last;
};

static int
name_seen(const char *name, enum mustache_tag tag, int line, void *arg)
{
	struct lines	*l = arg;

	if (name[0] == '\0')
		die("names", "an empty name");
	if ((int)tag < MUSTACHE_VAR || (int)tag > MUSTACHE_PARTIAL)
		die("names", "a tag of no kind");
	if (line < l->last || line > l->max)
		die("names", "a line out of order or out of range");
	l->last = line;
	return 0;
}

static void
check_err(const char *what, int rc, const struct err *e)
{
	if (rc != TEND_EINVAL)
		die(what, "an error that is not TEND_EINVAL");
	if (e->msg[0] == '\0')
		die(what, "an error without a message");
}

static void
render(const struct mustache *m, json_t *view, json_t *partials, int strict,
    int raw)
{
	struct mustache_opts	 o = { 0 };
	struct err		 e;
	size_t			 len = 1;
	char			*out = (char *)&o;
	int			 rc;

	o.partials = partials;
	o.strict = strict;
	o.raw = raw;
	o.max_out = OUT_MAX;
	memset(&e, 0, sizeof e);
	rc = mustache_render(m, view, &o, &out, &len, &e);
	if (rc != 0) {
		check_err("render", rc, &e);
		if (out != NULL || len != 0)
			die("render", "output left after an error");
		return;
	}
	if (out == NULL || len > OUT_MAX || out[len] != '\0')
		die("render", "output not terminated or over its limit");
	if (!text_utf8_valid(out, len))
		die("render", "output is not valid UTF-8");
	free(out);
}

static int
render_to(const char *tmpl, size_t len, json_t *view, json_t *partials,
    char **out, size_t *outlen)
{
	struct mustache_opts	 o = { 0 };
	struct mustache		*m;
	struct err		 e;
	int			 rc;

	o.partials = partials;
	o.max_out = OUT_MAX;
	*out = NULL;
	rc = mustache_parse(tmpl, len, &m, &e);
	if (rc != 0)
		return rc;
	rc = mustache_render(m, view, &o, out, outlen, &e);
	mustache_free(m);
	return rc;
}

/*
 * The spec indents a standalone partial by indenting its source before
 * parsing it; tend indents as it renders.  The two must agree: the
 * template as a partial called "  {{>fuzz-self}}" against its source
 * with two blanks at the start of every line.
 */
static void
indent_check(const char *s, size_t len, json_t *view, json_t *partials)
{
	json_t	*all;
	char	*src, *a, *b;
	size_t	 i, n = 0, alen, blen;
	int	 ra, rb;

	all = json_is_object(partials) ? json_copy(partials) : json_object();
	json_object_set_new(all, "fuzz-self", json_stringn(s, len));
	src = malloc(len * 3 + 3);
	if (src == NULL)
		abort();
	for (i = 0; i <= len; i++) {
		if ((i == 0 || s[i - 1] == '\n') && i < len) {
			src[n++] = ' ';
			src[n++] = ' ';
		}
		if (i < len)
			src[n++] = s[i];
	}
	ra = render_to("  {{>fuzz-self}}", 16, view, all, &a, &alen);
	rb = render_to(src, n, view, all, &b, &blen);
	if (ra == 0 && rb == 0 && (alen != blen || memcmp(a, b, alen) != 0)) {
		fprintf(stderr, "fuzz-mustache: indented partial:\n%.*s\n"
		    "indented source:\n%.*s\n", (int)alen, a, (int)blen, b);
		abort();
	}
	free(b);
	free(a);
	free(src);
	json_decref(all);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mustache	*m;
	struct lines	 l = { 1, 1 };
	struct err	 e;
	json_error_t	 je;
	const char	*s = (const char *)data, *v, *p;
	json_t		*view = NULL, *partials = NULL;
	size_t		 tlen, vlen = 0, plen = 0, i;
	int		 rc;

	v = memchr(s, '\0', size);
	tlen = v != NULL ? (size_t)(v - s) : size;
	if (v != NULL) {
		v++;
		p = memchr(v, '\0', size - (size_t)(v - s));
		vlen = p != NULL ? (size_t)(p - v) : size - (size_t)(v - s);
		view = json_loadb(v, vlen, JSON_DECODE_ANY | JSON_ALLOW_NUL,
		    &je);
		if (p != NULL) {
			p++;
			plen = size - (size_t)(p - s);
			partials = json_loadb(p, plen, 0, &je);
		}
	}
	if (partials == NULL && json_is_object(view))
		partials = json_incref(view);

	memset(&e, 0, sizeof e);
	rc = mustache_parse(s, tlen, &m, &e);
	if (rc != 0) {
		check_err("parse", rc, &e);
		if (m != NULL)
			die("parse", "a template left after an error");
		goto out;
	}
	for (i = 0; i < tlen; i++)
		if (s[i] == '\n')
			l.max++;
	if (mustache_names(m, name_seen, &l) != 0)
		die("names", "a non-zero return");
	render(m, view, partials, 0, 0);
	render(m, view, partials, 1, 1);
	render(m, view, NULL, 0, 1);
	mustache_free(m);
	indent_check(s, tlen, view, partials);
out:
	json_decref(partials);
	json_decref(view);
	return 0;
}
