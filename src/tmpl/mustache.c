/*
 * Mustache.  The parser turns a template into a flat array of nodes (a
 * section's children follow it, and it knows where they end); the
 * renderer walks that array with an explicit stack of frames, so that
 * neither deep nesting nor recursive partials can overflow the C stack,
 * and counts its work so that no template can make it run for ever.
 */
#define _GNU_SOURCE		/* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/mustache.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define NAME_SHOW	80	/* bytes of a name quoted in a message */

enum node_type {
	N_TEXT,
	N_VAR,
	N_SECTION,
	N_INVERTED,
	N_PARTIAL
};

#define F_ESCAPE	0x01	/* var: HTML-escape (unless raw) */
#define F_BOL		0x02	/* text: starts a line of the source */
#define F_TRAIL		0x04	/* text: ends with a newline, and the next
				 * line starts with a tag */
#define F_STANDALONE	0x08	/* partial: alone on its line */

/*
 * Text is kept as an offset into the template's copy of its source.
 * The flags F_BOL and F_TRAIL mark where the source's lines start, so
 * that a standalone partial can be indented when it is rendered, as if
 * its source had been indented before it was parsed (the spec's rule):
 * one parsed partial serves every indentation.
 */
struct node {
	uint8_t		type;
	uint8_t		flags;
	uint16_t	pad;
	uint32_t	nseg;		/* parts of a dotted name; 0 for "." */
	uint32_t	line;
	uint32_t	end;		/* section: index after its children */
	uint32_t	off;		/* text, partial's indent: in src */
	uint32_t	len;
	uint32_t	name;		/* name as written: in names */
};

struct mustache {
	struct node	*v;
	uint32_t	 n;
	char		*src;
	char		*names;
	size_t		 hint;		/* a guess at the output's size */
};

/* Parsing */

struct parser {
	const char	*s;
	size_t		 n;
	size_t		 pos;
	int		 line;		/* of pos, 1-based */
	size_t		 line_start;	/* of the line holding pos */
	size_t		 nb_line;	/* line_start that nb belongs to */
	size_t		 nb;		/* its first byte that is no blank */
	const char	*otag;
	size_t		 olen;
	const char	*ctag;
	size_t		 clen;
	char		*ctag_eq;	/* "=" ctag: ends a delimiter tag */
	char		*ctag_brace;	/* "}" ctag: ends {{{x}}} */
	struct node	*v;
	size_t		 nv;
	size_t		 cv;
	char		*names;
	size_t		 nnames;
	size_t		 cnames;
	uint32_t	 open[MUSTACHE_DEPTH_MAX];
	int		 depth;
	struct err	*e;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* How many bytes of s to quote in a message: cut at a character. */
static int
show_len(const char *s, size_t n)
{
	size_t	k;

	if (n <= NAME_SHOW)
		return (int)n;
	k = NAME_SHOW;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return (int)k;
}

static const char *
show_more(size_t n)
{
	return n > NAME_SHOW ? "..." : "";
}

static int
line_of(const char *s, size_t pos)
{
	const char	*p = s, *end = s + pos, *nl;
	int		 line = 1;

	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		line++;
		p = nl + 1;
	}
	return line;
}

/* Move pos to to, counting lines. */
static void
advance(struct parser *p, size_t to)
{
	const char	*s = p->s + p->pos, *end = p->s + to, *nl;

	for (;;) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			break;
		p->line++;
		s = nl + 1;
		p->line_start = (size_t)(s - p->s);
	}
	p->pos = to;
}

static void
set_delims(struct parser *p, const char *o, size_t olen, const char *c,
    size_t clen)
{
	p->otag = o;
	p->olen = olen;
	p->ctag = c;
	p->clen = clen;
	free(p->ctag_eq);
	free(p->ctag_brace);
	p->ctag_eq = xmalloc(clen + 1);
	p->ctag_eq[0] = '=';
	memcpy(p->ctag_eq + 1, c, clen);
	p->ctag_brace = xmalloc(clen + 1);
	p->ctag_brace[0] = '}';
	memcpy(p->ctag_brace + 1, c, clen);
}

static struct node *
node_add(struct parser *p, int type, int line)
{
	struct node	*nd;

	if (p->nv == p->cv) {
		p->cv = p->cv == 0 ? 64 : p->cv * 2;
		p->v = xrealloc(p->v, p->cv * sizeof *p->v);
	}
	nd = &p->v[p->nv++];
	memset(nd, 0, sizeof *nd);
	nd->type = (uint8_t)type;
	nd->line = (uint32_t)line;
	return nd;
}

static uint32_t
name_add(struct parser *p, const char *s, size_t n)
{
	size_t	off = p->nnames;

	while (p->nnames + n + 1 > p->cnames) {
		p->cnames = p->cnames == 0 ? 256 : p->cnames * 2;
		p->names = xrealloc(p->names, p->cnames);
	}
	memcpy(p->names + off, s, n);
	p->names[off + n] = '\0';
	p->nnames += n + 1;
	return (uint32_t)off;
}

static void
text_add(struct parser *p, size_t a, size_t b)
{
	struct node	*nd;

	if (b <= a)
		return;
	nd = node_add(p, N_TEXT, 0);
	nd->off = (uint32_t)a;
	nd->len = (uint32_t)(b - a);
	if (a == 0 || p->s[a - 1] == '\n')
		nd->flags |= F_BOL;
}

/* 1 if the line that holds pos has only blanks before t. */
static int
blank_before(struct parser *p, size_t t)
{
	size_t	q;

	if (p->nb_line != p->line_start) {
		q = p->line_start;
		while (q < p->n && is_blank(p->s[q]))
			q++;
		p->nb_line = p->line_start;
		p->nb = q;
	}
	return p->nb >= t;
}

/*
 * Where a tag that ends at te ends its line when it is alone on it
 * (after the newline, or at the end), else 0.
 */
static size_t
standalone_end(const struct parser *p, size_t te)
{
	size_t	q = te;

	while (q < p->n && is_blank(p->s[q]))
		q++;
	if (q == p->n)
		return q;
	if (p->s[q] == '\n')
		return q + 1;
	if (p->s[q] == '\r' && q + 1 < p->n && p->s[q + 1] == '\n')
		return q + 2;
	return 0;
}

static size_t
find(const struct parser *p, size_t from, const char *pat, size_t plen)
{
	const char	*hit;

	hit = memmem(p->s + from, p->n - from, pat, plen);
	return hit == NULL ? SIZE_MAX : (size_t)(hit - p->s);
}

static void
trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_space(s[*a]))
		(*a)++;
	while (*b > *a && is_space(s[*b - 1]))
		(*b)--;
}

/*
 * Check a name: no blanks inside; dotted, "." or parts none of which is
 * empty; else (a partial's name) anything.
 */
static int
name_check(struct parser *p, size_t a, size_t b, int line, int dotted)
{
	const char	*s = p->s + a;
	size_t		 n = b - a, i;
	int		 part = 0;

	if (n == 0)
		return err_set(p->e, TEND_EINVAL, "line %d: empty tag", line);
	if (n == 1 && s[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (is_space(s[i]))
			goto bad;
		if (!dotted)
			continue;
		if (s[i] == '.') {
			if (part == 0)
				goto bad;
			part = 0;
		} else
			part++;
	}
	if (dotted && part == 0)
		goto bad;
	return 0;
bad:
	return err_set(p->e, TEND_EINVAL, "line %d: bad name '%.*s%s'", line,
	    show_len(s, n), s, show_more(n));
}

static uint32_t
segments(const char *s, size_t n)
{
	uint32_t	k = 1;
	size_t		i;

	if (n == 1 && s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '.')
			k++;
	return k;
}

/* {{=<% %>=}}: two delimiters without blanks or '=', blanks between. */
static int
delims_parse(struct parser *p, size_t a, size_t b, int line)
{
	const char	*s = p->s;
	size_t		 o0, o1, c0;

	trim(s, &a, &b);
	o0 = a;
	while (a < b && !is_space(s[a]) && s[a] != '=')
		a++;
	o1 = a;
	if (o1 == o0 || a == b || !is_space(s[a]))
		goto bad;
	while (a < b && is_space(s[a]))
		a++;
	c0 = a;
	while (a < b && !is_space(s[a]) && s[a] != '=')
		a++;
	if (a != b || c0 == b)
		goto bad;
	set_delims(p, s + o0, o1 - o0, s + c0, b - c0);
	return 0;
bad:
	return err_set(p->e, TEND_EINVAL, "line %d: bad delimiter tag", line);
}

static int
section_close(struct parser *p, size_t a, size_t b, int line)
{
	const struct node	*open;
	const char		*name;
	size_t			 n = b - a;

	if (p->depth == 0)
		return err_set(p->e, TEND_EINVAL,
		    "line %d: '/%.*s%s' closes no section", line,
		    show_len(p->s + a, n), p->s + a, show_more(n));
	open = &p->v[p->open[p->depth - 1]];
	name = p->names + open->name;
	if (strlen(name) != n || memcmp(name, p->s + a, n) != 0)
		return err_set(p->e, TEND_EINVAL,
		    "line %d: '/%.*s%s' closes '%.*s%s'", line,
		    show_len(p->s + a, n), p->s + a, show_more(n),
		    show_len(name, strlen(name)), name,
		    show_more(strlen(name)));
	p->v[p->open[p->depth - 1]].end = (uint32_t)p->nv;
	p->depth--;
	return 0;
}

/*
 * Parse the tag that starts at t (the open delimiter): its kind, its
 * content [*a, *b) and where it ends (*te).  kind is the sigil, or 0 for
 * a variable.
 */
static int
tag_scan(struct parser *p, size_t t, int line, int *kind, size_t *a,
    size_t *b, size_t *te)
{
	size_t	c = t + p->olen, k;

	*kind = 0;
	*a = 0;
	*b = 0;
	*te = 0;
	while (c < p->n && is_space(p->s[c]))
		c++;
	if (c == p->n)
		goto unclosed;
	switch (p->s[c]) {
	case '=':
		k = find(p, c + 1, p->ctag_eq, p->clen + 1);
		if (k == SIZE_MAX)
			goto unclosed;
		*kind = '=';
		*a = c + 1;
		*b = k;
		*te = k + 1 + p->clen;
		return 0;
	case '{':
		k = find(p, c + 1, p->ctag_brace, p->clen + 1);
		if (k == SIZE_MAX)
			goto unclosed;
		*kind = '{';
		*a = c + 1;
		*b = k;
		*te = k + 1 + p->clen;
		return 0;
	case '<':
	case '$':
		return err_set(p->e, TEND_EINVAL,
		    "line %d: template inheritance is not supported", line);
	case '!':
	case '#':
	case '^':
	case '/':
	case '>':
	case '&':
		*kind = p->s[c];
		c++;
		break;
	}
	k = find(p, c, p->ctag, p->clen);
	if (k == SIZE_MAX)
		goto unclosed;
	*a = c;
	*b = k;
	*te = k + p->clen;
	return 0;
unclosed:
	return err_set(p->e, TEND_EINVAL, "line %d: unclosed tag", line);
}

/* The tag at t, of kind, with content [a, b), ending at te. */
static int
tag_add(struct parser *p, size_t t, int line, int kind, size_t a, size_t b,
    size_t te, size_t *text)
{
	struct node	*nd;
	size_t		 next = te;
	int		 rc, standalone = 0;

	if (kind != '!' && kind != '=') {
		trim(p->s, &a, &b);
		rc = name_check(p, a, b, line, kind != '>');
		if (rc != 0)
			return rc;
	}
	if (kind != 0 && kind != '{' && kind != '&' && blank_before(p, t)) {
		next = standalone_end(p, te);
		standalone = next != 0;
		if (!standalone)
			next = te;
	}
	if (standalone)
		text_add(p, *text, p->line_start);
	else {
		text_add(p, *text, t);
		/* A line that starts with a tag still starts a line. */
		if (t == p->line_start) {
			if (*text < t)
				p->v[p->nv - 1].flags |= F_TRAIL;
			else
				node_add(p, N_TEXT, line)->flags |= F_BOL;
		}
	}
	switch (kind) {
	case '!':
		break;
	case '=':
		rc = delims_parse(p, a, b, line);
		if (rc != 0)
			return rc;
		break;
	case '/':
		rc = section_close(p, a, b, line);
		if (rc != 0)
			return rc;
		break;
	case '#':
	case '^':
		if (p->depth == MUSTACHE_DEPTH_MAX)
			return err_set(p->e, TEND_EINVAL,
			    "line %d: sections nested deeper than %d", line,
			    MUSTACHE_DEPTH_MAX);
		p->open[p->depth++] = (uint32_t)p->nv;
		nd = node_add(p, kind == '#' ? N_SECTION : N_INVERTED, line);
		nd->nseg = segments(p->s + a, b - a);
		nd->name = name_add(p, p->s + a, b - a);
		break;
	case '>':
		nd = node_add(p, N_PARTIAL, line);
		nd->name = name_add(p, p->s + a, b - a);
		if (standalone) {
			nd->flags |= F_STANDALONE;
			nd->off = (uint32_t)p->line_start;
			nd->len = (uint32_t)(t - p->line_start);
		}
		break;
	default:
		nd = node_add(p, N_VAR, line);
		nd->nseg = segments(p->s + a, b - a);
		nd->name = name_add(p, p->s + a, b - a);
		if (kind == 0)
			nd->flags |= F_ESCAPE;
		break;
	}
	advance(p, next);
	*text = next;
	return 0;
}

static int
src_check(const char *src, size_t len, struct err *e)
{
	const char	*nul, *s, *nl;
	size_t		 n;
	int		 line;

	if (len > MUSTACHE_SRC_MAX)
		return err_set(e, TEND_EINVAL, "template larger than %d bytes",
		    MUSTACHE_SRC_MAX);
	nul = memchr(src, '\0', len);
	if (nul != NULL)
		return err_set(e, TEND_EINVAL,
		    "line %d: template contains a NUL byte",
		    line_of(src, (size_t)(nul - src)));
	if (text_utf8_valid(src, len))
		return 0;
	/* A newline is never inside a character: check line by line. */
	s = src;
	for (line = 1;; line++) {
		nl = memchr(s, '\n', len - (size_t)(s - src));
		n = nl != NULL ? (size_t)(nl - s) : len - (size_t)(s - src);
		if (!text_utf8_valid(s, n) || nl == NULL)
			break;
		s = nl + 1;
	}
	return err_set(e, TEND_EINVAL, "line %d: template is not valid UTF-8",
	    line);
}

int
mustache_parse(const char *src, size_t len, struct mustache **out,
    struct err *e)
{
	struct parser		 p;
	struct mustache		*m = NULL;
	const struct node	*nd;
	const char		*name;
	char			*copy;
	size_t			 t, a, b, te, text = 0;
	int			 rc, kind, line;

	*out = NULL;
	if (src == NULL) {
		src = "";
		len = 0;
	}
	rc = src_check(src, len, e);
	if (rc != 0)
		return rc;
	memset(&p, 0, sizeof p);
	copy = xmalloc(len + 1);
	memcpy(copy, src, len);
	copy[len] = '\0';
	p.s = copy;
	p.n = len;
	p.line = 1;
	p.nb_line = SIZE_MAX;
	p.e = e;
	set_delims(&p, "{{", 2, "}}", 2);
	while (p.pos < p.n) {
		t = find(&p, p.pos, p.otag, p.olen);
		if (t == SIZE_MAX)
			break;
		advance(&p, t);
		line = p.line;
		rc = tag_scan(&p, t, line, &kind, &a, &b, &te);
		if (rc != 0)
			goto out;
		rc = tag_add(&p, t, line, kind, a, b, te, &text);
		if (rc != 0)
			goto out;
	}
	text_add(&p, text, p.n);
	if (p.depth > 0) {
		nd = &p.v[p.open[p.depth - 1]];
		name = p.names + nd->name;
		rc = err_set(e, TEND_EINVAL, "line %u: unclosed section "
		    "'%.*s%s'", nd->line, show_len(name, strlen(name)), name,
		    show_more(strlen(name)));
		goto out;
	}
	m = xcalloc(1, sizeof *m);
	m->hint = 64;
	for (t = 0; t < p.nv; t++)
		m->hint += p.v[t].type == N_TEXT ? p.v[t].len : 16;
	m->v = p.v;
	m->n = (uint32_t)p.nv;
	m->src = copy;
	m->names = p.names;
	p.v = NULL;
	p.names = NULL;
	copy = NULL;
	*out = m;
	rc = 0;
out:
	free(p.ctag_brace);
	free(p.ctag_eq);
	free(p.names);
	free(p.v);
	free(copy);
	return rc;
}

void
mustache_free(struct mustache *m)
{
	if (m == NULL)
		return;
	free(m->names);
	free(m->src);
	free(m->v);
	free(m);
}

int
mustache_names(const struct mustache *m, mustache_name_fn fn, void *arg)
{
	const struct node	*nd;
	enum mustache_tag	 tag;
	uint32_t		 i;
	int			 rc;

	for (i = 0; i < m->n; i++) {
		nd = &m->v[i];
		switch (nd->type) {
		case N_VAR:
			tag = MUSTACHE_VAR;
			break;
		case N_SECTION:
			tag = MUSTACHE_SECTION;
			break;
		case N_INVERTED:
			tag = MUSTACHE_INVERTED;
			break;
		case N_PARTIAL:
			tag = MUSTACHE_PARTIAL;
			break;
		default:
			continue;
		}
		rc = fn(m->names + nd->name, tag, (int)nd->line, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Rendering */

/*
 * A frame renders nodes [i, end) of a template: the whole of a template
 * or partial, or a section's children (once, or once per item of list).
 * The indentation in force is segments [ind_lo, ind_hi) of the render's
 * indentation stack.
 */
struct frame {
	const struct mustache	*m;
	uint32_t		 i;
	uint32_t		 start;
	uint32_t		 end;
	uint32_t		 ind_lo;
	uint32_t		 ind_hi;
	json_t			*list;
	size_t			 li;
	uint8_t			 ctx;	/* pushed a context */
	uint8_t			 seg;	/* pushed an indentation segment */
	uint8_t			 partial;
};

struct seg {
	const char	*s;
	size_t		 n;
};

struct cached {
	const char	*name;
	struct mustache	*m;		/* NULL: no such partial */
};

struct render {
	json_t		*partials;
	int		 raw;
	int		 strict;
	char		*out;
	size_t		 len;
	size_t		 cap;
	size_t		 max;
	json_t		**ctx;
	size_t		 nctx;
	size_t		 cctx;
	struct frame	*f;
	size_t		 nf;
	size_t		 cf;
	struct seg	*ind;
	size_t		 nind;
	size_t		 cind;
	struct cached	*pc;
	size_t		 npc;
	size_t		 cpc;
	int		 pdepth;
	size_t		 steps;
	size_t		 budget;
	struct err	*e;
};

static int
put(struct render *r, const char *s, size_t n)
{
	size_t	cap;

	if (n > r->max - r->len)
		return err_set(r->e, TEND_EINVAL,
		    "template output exceeds %zu bytes", r->max);
	if (r->len + n + 1 > r->cap) {
		cap = r->cap;
		while (r->len + n + 1 > cap)
			cap *= 2;
		if (cap > r->max + 1)
			cap = r->max + 1;
		r->out = xrealloc(r->out, cap);
		r->cap = cap;
	}
	memcpy(r->out + r->len, s, n);
	r->len += n;
	return 0;
}

static const char *const escapes[256] = {
	['&'] = "&amp;",
	['<'] = "&lt;",
	['>'] = "&gt;",
	['"'] = "&quot;",
	['\''] = "&#39;"
};

static int
put_escaped(struct render *r, const char *s, size_t n)
{
	const char	*esc;
	size_t		 i, run = 0;
	int		 rc;

	for (i = 0; i < n; i++) {
		esc = escapes[(unsigned char)s[i]];
		if (esc == NULL)
			continue;
		rc = put(r, s + run, i - run);
		if (rc != 0)
			return rc;
		rc = put(r, esc, strlen(esc));
		if (rc != 0)
			return rc;
		run = i + 1;
	}
	return put(r, s + run, n - run);
}

static int
indent(struct render *r, const struct frame *f)
{
	uint32_t	i;
	int		rc;

	for (i = f->ind_lo; i < f->ind_hi; i++) {
		rc = put(r, r->ind[i].s, r->ind[i].n);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
emit_text(struct render *r, const struct frame *f, const struct node *nd)
{
	const char	*s = f->m->src + nd->off, *nl;
	size_t		 n = nd->len, k;
	int		 rc;

	if (f->ind_lo == f->ind_hi)
		return put(r, s, n);
	if (nd->flags & F_BOL) {
		rc = indent(r, f);
		if (rc != 0)
			return rc;
	}
	while (n > 0) {
		nl = memchr(s, '\n', n);
		k = nl != NULL ? (size_t)(nl - s) + 1 : n;
		rc = put(r, s, k);
		if (rc != 0)
			return rc;
		s += k;
		n -= k;
		if (nl != NULL && (n > 0 || (nd->flags & F_TRAIL))) {
			rc = indent(r, f);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

static int
spend(struct render *r, size_t n)
{
	r->steps += n;
	if (r->steps > r->budget)
		return err_set(r->e, TEND_EINVAL,
		    "template needs more than %zu steps to render", r->budget);
	return 0;
}

/*
 * The value a name stands for, or NULL: the first part is looked up
 * from the innermost context outwards, each further part only inside
 * the value found before it.
 */
static int
lookup(struct render *r, const struct mustache *m, const struct node *nd,
    json_t **out)
{
	const char	*s = m->names + nd->name, *dot;
	json_t		*v = NULL;
	size_t		 i, n;
	uint32_t	 k;
	int		 rc;

	*out = NULL;
	if (nd->nseg == 0) {
		if (r->nctx > 0)
			*out = r->ctx[r->nctx - 1];
		return 0;
	}
	dot = strchr(s, '.');
	n = dot != NULL ? (size_t)(dot - s) : strlen(s);
	for (i = r->nctx; i > 0; i--) {
		if (json_is_object(r->ctx[i - 1])) {
			v = json_object_getn(r->ctx[i - 1], s, n);
			if (v != NULL)
				break;
		}
	}
	rc = spend(r, r->nctx - i + 1);
	if (rc != 0)
		return rc;
	for (k = 1; k < nd->nseg && v != NULL; k++) {
		s += n + 1;
		dot = strchr(s, '.');
		n = dot != NULL ? (size_t)(dot - s) : strlen(s);
		v = json_is_object(v) ? json_object_getn(v, s, n) : NULL;
	}
	*out = v;
	return 0;
}

/* Blank: white space, including the Unicode spaces a name could hold. */
static int
blank_str(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0;
	unsigned int		 cp;

	while (i < n) {
		if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
			i++;
			continue;
		}
		if (s[i] == 0xc2 && i + 1 < n && (s[i + 1] == 0x85 ||
		    s[i + 1] == 0xa0)) {
			i += 2;
			continue;
		}
		if ((s[i] & 0xf0) != 0xe0 || i + 2 >= n)
			return 0;
		cp = (unsigned int)(s[i] & 0x0f) << 12 |
		    (unsigned int)(s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
		if (cp != 0x1680 && !(cp >= 0x2000 && cp <= 0x200b) &&
		    cp != 0x2028 && cp != 0x2029 && cp != 0x202f &&
		    cp != 0x205f && cp != 0x3000 && cp != 0xfeff)
			return 0;
		i += 3;
	}
	return 1;
}

static int
truthy(const struct render *r, json_t *v)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		if (json_string_length(v) == 0)
			return 0;
		return !r->strict || !blank_str(json_string_value(v),
		    json_string_length(v));
	default:
		return 1;
	}
}

/* The shortest of %.15g, %.16g, %.17g that reads back the same. */
static void
real_format(char *buf, size_t size, double d)
{
	char	*p;
	int	 prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(buf, size, "%.17g", d);
	/* Whatever the locale, the decimal point is a point. */
	for (p = buf; *p != '\0'; p++)
		if ((*p < '0' || *p > '9') && *p != '-' && *p != '+' &&
		    *p != 'e')
			*p = '.';
}

static int
interpolate(struct render *r, const struct frame *f, const struct node *nd)
{
	const char	*name = f->m->names + nd->name;
	char		 num[64];
	json_t		*v;
	int		 rc;

	rc = lookup(r, f->m, nd, &v);
	if (rc != 0)
		return rc;
	if (r->strict) {
		if (v == NULL || json_is_null(v) || json_is_false(v) ||
		    (json_is_string(v) && blank_str(json_string_value(v),
		    json_string_length(v))))
			return err_set(r->e, TEND_EINVAL, "template uses "
			    "'%.*s%s', which is empty",
			    show_len(name, strlen(name)), name,
			    show_more(strlen(name)));
		if (json_is_object(v) || json_is_array(v))
			return err_set(r->e, TEND_EINVAL, "template uses "
			    "'%.*s%s', which is not text",
			    show_len(name, strlen(name)), name,
			    show_more(strlen(name)));
	}
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if ((nd->flags & F_ESCAPE) && !r->raw)
			return put_escaped(r, json_string_value(v),
			    json_string_length(v));
		return put(r, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return put(r, num, strlen(num));
	case JSON_REAL:
		real_format(num, sizeof num, json_real_value(v));
		return put(r, num, strlen(num));
	case JSON_TRUE:
		return put(r, "true", 4);
	case JSON_FALSE:
		return put(r, "false", 5);
	default:
		return 0;
	}
}

static void
ctx_push(struct render *r, json_t *v)
{
	if (r->nctx == r->cctx) {
		r->cctx = r->cctx == 0 ? 16 : r->cctx * 2;
		r->ctx = xrealloc(r->ctx, r->cctx * sizeof *r->ctx);
	}
	r->ctx[r->nctx++] = v;
}

static struct frame *
frame_push(struct render *r, const struct mustache *m, uint32_t start,
    uint32_t end)
{
	struct frame	*f;

	if (r->nf == r->cf) {
		r->cf = r->cf == 0 ? 16 : r->cf * 2;
		r->f = xrealloc(r->f, r->cf * sizeof *r->f);
	}
	f = &r->f[r->nf++];
	memset(f, 0, sizeof *f);
	f->m = m;
	f->i = start;
	f->start = start;
	f->end = end;
	if (r->nf > 1) {
		f->ind_lo = r->f[r->nf - 2].ind_lo;
		f->ind_hi = r->f[r->nf - 2].ind_hi;
	}
	return f;
}

/* The parsed partial called name, or NULL if there is none. */
static int
partial_get(struct render *r, const char *name, struct mustache **out)
{
	struct cached	*c;
	struct err	 e;
	json_t		*text;
	size_t		 i;
	int		 rc;

	*out = NULL;
	for (i = 0; i < r->npc; i++) {
		if (strcmp(r->pc[i].name, name) == 0) {
			*out = r->pc[i].m;
			return 0;
		}
	}
	if (r->npc == r->cpc) {
		r->cpc = r->cpc == 0 ? 8 : r->cpc * 2;
		r->pc = xrealloc(r->pc, r->cpc * sizeof *r->pc);
	}
	c = &r->pc[r->npc++];
	c->name = name;
	c->m = NULL;
	text = json_object_get(r->partials, name);
	if (!json_is_string(text))
		return 0;
	rc = spend(r, json_string_length(text) / 16 + 1);
	if (rc != 0)
		return rc;
	rc = mustache_parse(json_string_value(text), json_string_length(text),
	    &c->m, &e);
	if (rc != 0)
		return err_set(r->e, rc, "partial '%.*s%s': %s",
		    show_len(name, strlen(name)), name,
		    show_more(strlen(name)), e.msg);
	*out = c->m;
	return 0;
}

static int
partial(struct render *r, const struct frame *f, const struct node *nd)
{
	const char	*name = f->m->names + nd->name;
	const char	*src = f->m->src;	/* frame_push may move f */
	struct mustache	*pm;
	struct frame	*pf;
	int		 rc;

	if (r->partials == NULL)
		return 0;
	rc = partial_get(r, name, &pm);
	if (rc != 0 || pm == NULL || pm->n == 0)
		return rc;
	if (r->pdepth == MUSTACHE_DEPTH_MAX)
		return err_set(r->e, TEND_EINVAL,
		    "partials nested deeper than %d", MUSTACHE_DEPTH_MAX);
	pf = frame_push(r, pm, 0, pm->n);
	pf->partial = 1;
	r->pdepth++;
	if (!(nd->flags & F_STANDALONE)) {
		/* Inline: as the spec has it, no indentation at all. */
		pf->ind_lo = (uint32_t)r->nind;
		pf->ind_hi = (uint32_t)r->nind;
		return 0;
	}
	if (nd->len == 0)
		return 0;
	if (r->nind == r->cind) {
		r->cind = r->cind == 0 ? 8 : r->cind * 2;
		r->ind = xrealloc(r->ind, r->cind * sizeof *r->ind);
	}
	r->ind[r->nind].s = src + nd->off;
	r->ind[r->nind].n = nd->len;
	r->nind++;
	pf->seg = 1;
	pf->ind_hi = (uint32_t)r->nind;
	return 0;
}

static int
section(struct render *r, struct frame *f, const struct node *nd)
{
	struct frame	*sf;
	uint32_t	 start = f->i + 1;
	json_t		*v;
	int		 rc, yes;

	rc = lookup(r, f->m, nd, &v);
	if (rc != 0)
		return rc;
	f->i = nd->end;
	yes = truthy(r, v);
	if (nd->type == N_INVERTED) {
		if (!yes)
			frame_push(r, f->m, start, nd->end);
		return 0;
	}
	if (!yes)
		return 0;
	/* frame_push may move f */
	sf = frame_push(r, f->m, start, nd->end);
	sf->ctx = 1;
	if (json_is_array(v)) {
		sf->list = v;
		ctx_push(r, json_array_get(v, 0));
	} else
		ctx_push(r, v);
	return 0;
}

/* The frame on top has run to its end: repeat it or pop it. */
static void
frame_end(struct render *r)
{
	struct frame	*f = &r->f[r->nf - 1];

	if (f->list != NULL && f->li + 1 < json_array_size(f->list)) {
		f->li++;
		r->ctx[r->nctx - 1] = json_array_get(f->list, f->li);
		f->i = f->start;
		return;
	}
	if (f->ctx)
		r->nctx--;
	if (f->seg)
		r->nind--;
	if (f->partial)
		r->pdepth--;
	r->nf--;
}

static int
run(struct render *r)
{
	const struct node	*nd;
	struct frame		*f;
	int			 rc = 0;

	while (r->nf > 0 && rc == 0) {
		f = &r->f[r->nf - 1];
		rc = spend(r, 1);
		if (rc != 0)
			break;
		if (f->i >= f->end) {
			frame_end(r);
			continue;
		}
		nd = &f->m->v[f->i];
		switch (nd->type) {
		case N_TEXT:
			f->i++;
			rc = emit_text(r, f, nd);
			break;
		case N_VAR:
			f->i++;
			rc = interpolate(r, f, nd);
			break;
		case N_SECTION:
		case N_INVERTED:
			rc = section(r, f, nd);
			break;
		case N_PARTIAL:
			f->i++;
			rc = partial(r, f, nd);
			break;
		}
	}
	return rc;
}

int
mustache_render(const struct mustache *m, json_t *view,
    const struct mustache_opts *opts, char **out, size_t *len,
    struct err *e)
{
	struct render	r;
	size_t		i;
	int		rc;

	*out = NULL;
	*len = 0;
	memset(&r, 0, sizeof r);
	r.e = e;
	r.max = MUSTACHE_OUT_MAX;
	if (opts != NULL) {
		r.partials = json_is_object(opts->partials) ? opts->partials :
		    NULL;
		r.raw = opts->raw;
		r.strict = opts->strict;
		if (opts->max_out > 0)
			r.max = opts->max_out;
	}
	if (r.max > SIZE_MAX / 8)
		r.max = SIZE_MAX / 8;
	/*
	 * Enough for any template that does real work for its output, and
	 * a stop for loops over loops that print next to nothing.
	 */
	r.budget = r.max * 4 + 65536;
	/* Grown by doubling; most renders need no more than the guess. */
	r.cap = m->hint;
	if (r.cap > r.max + 1)
		r.cap = r.max + 1;
	r.out = xmalloc(r.cap);
	if (view != NULL)
		ctx_push(&r, view);
	frame_push(&r, m, 0, m->n);
	rc = run(&r);
	for (i = 0; i < r.npc; i++)
		mustache_free(r.pc[i].m);
	free(r.pc);
	free(r.ind);
	free(r.f);
	free(r.ctx);
	if (rc != 0) {
		free(r.out);
		return rc;
	}
	r.out[r.len] = '\0';
	*out = r.out;
	*len = r.len;
	return 0;
}
