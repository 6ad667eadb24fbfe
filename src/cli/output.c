/*
 * Tables and JSON.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "core/contact.h"
#include "core/when.h"
#include "util/arena.h"

void
out_json(struct cmd_ctx *ctx, json_t *v)
{
	json_dumpf(v, ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15));
	fputc('\n', ctx->out);
	json_decref(v);
}

json_t *
out_jstr(const char *s)
{
	json_t	*v;

	if (s == NULL)
		return json_null();
	v = json_string(s);
	/* only invalid UTF-8 fails, and the store holds none */
	return v != NULL ? v : json_null();
}

json_t *
out_jref(int64_t id, const char *name)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "name", out_jstr(name));
	return o;
}

json_t *
out_jmoney(int has, int64_t cents)
{
	if (!has)
		return json_null();
	if (cents % 100 == 0)
		return json_integer(cents / 100);
	return json_real((double)cents / 100.0);
}

json_t *
out_jtime(struct cmd_ctx *ctx, int64_t t)
{
	char	buf[64];

	if (t == 0)
		return json_null();
	return json_string(when_format(buf, sizeof buf, t, ctx->tz, WHEN_ISO));
}

const char *
out_date(struct cmd_ctx *ctx, int64_t t)
{
	char	buf[64];

	if (t == 0)
		return "-";
	if (when_day_start(t, ctx->tz) == t)
		when_format(buf, sizeof buf, t, ctx->tz, WHEN_DATE);
	else
		when_format(buf, sizeof buf, t, ctx->tz, WHEN_DATETIME);
	return arena_strdup(ctx->arena, buf);
}

static json_t *
out_jlist(const struct strlist *l)
{
	json_t	*a;
	size_t	 i;

	a = json_array();
	for (i = 0; i < l->n; i++)
		json_array_append_new(a, out_jstr(l->v[i]));
	return a;
}

/* {"emails": [label or null...], "phones": [...]}, in list order */
static json_t *
out_jlabels(const struct contact *c)
{
	json_t	*e, *p;
	size_t	 i;

	e = json_array();
	for (i = 0; i < c->emails.n; i++)
		json_array_append_new(e, out_jstr(strlist_label(&c->emails, i)));
	p = json_array();
	for (i = 0; i < c->phones.n; i++)
		json_array_append_new(p, out_jstr(strlist_label(&c->phones, i)));
	return json_pack("{s:o,s:o}", "emails", e, "phones", p);
}

/*
 * What an import kept that tend has no field for.  A photo's data is
 * never printed, only its size.
 */
static json_t *
out_jextras(const struct contact *c)
{
	json_t	*arr, *x;
	size_t	 i;

	arr = json_array();
	for (i = 0; i < c->nextras; i++) {
		const struct contact_extra *e = &c->extras[i];

		x = json_object();
		json_object_set_new(x, "group", out_jstr(e->group));
		json_object_set_new(x, "name", out_jstr(e->name));
		json_object_set_new(x, "params", out_jstr(e->params));
		if (out_extra_hidden(e)) {
			json_object_set_new(x, "value", json_null());
			json_object_set_new(x, "bytes", json_integer(
			    (json_int_t)strlen(e->value)));
		} else
			json_object_set_new(x, "value", out_jstr(e->value));
		json_array_append_new(arr, x);
	}
	return arr;
}

int
out_extra_hidden(const struct contact_extra *e)
{
	return strcasecmp(e->name, "PHOTO") == 0 || strcasecmp(e->name,
	    "LOGO") == 0 || strcasecmp(e->name, "SOUND") == 0 ||
	    strncasecmp(e->value, "data:", 5) == 0;
}

json_t *
out_jcontact(struct cmd_ctx *ctx, const struct contact *c)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "name", out_jstr(c->name));
	json_object_set_new(o, "company", out_jstr(c->company));
	json_object_set_new(o, "title", out_jstr(c->title));
	json_object_set_new(o, "kind", out_jstr(c->kind));
	json_object_set_new(o, "emails", out_jlist(&c->emails));
	json_object_set_new(o, "phones", out_jlist(&c->phones));
	json_object_set_new(o, "tags", out_jlist(&c->tags));
	json_object_set_new(o, "labels", out_jlabels(c));
	json_object_set_new(o, "extras", out_jextras(c));
	json_object_set_new(o, "tz", out_jstr(c->tz));
	json_object_set_new(o, "met_where", out_jstr(c->met_where));
	json_object_set_new(o, "met_on", out_jtime(ctx, c->met_on));
	json_object_set_new(o, "via", c->via_id != 0 ?
	    out_jref(c->via_id, c->via_name) : json_null());
	json_object_set_new(o, "source", out_jstr(c->source));
	json_object_set_new(o, "needs", out_jstr(c->needs));
	json_object_set_new(o, "notes", out_jstr(c->notes));
	json_object_set_new(o, "do_not_contact",
	    json_boolean(c->do_not_contact));
	json_object_set_new(o, "archived", json_boolean(c->archived));
	json_object_set_new(o, "cadence", out_jstr(c->cadence));
	json_object_set_new(o, "next_keep_in_touch",
	    out_jtime(ctx, c->cadence_due));
	json_object_set_new(o, "last_touch", out_jtime(ctx, c->last_touch));
	json_object_set_new(o, "created", out_jtime(ctx, c->created));
	json_object_set_new(o, "updated", out_jtime(ctx, c->updated));
	return o;
}

size_t
out_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 w = 0;
	unsigned int		 cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			w++;
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			p += 2;
			w++;
			continue;
		}
		if ((*p & 0xf0) == 0xe0) {
			cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) |
			    (p[2] & 0x3fu);
			/* CJK, Hangul, kana, full-width forms take two */
			w += (cp >= 0x1100 && cp <= 0x115f) ||
			    (cp >= 0x2e80 && cp <= 0xa4cf) ||
			    (cp >= 0xac00 && cp <= 0xd7a3) ||
			    (cp >= 0xf900 && cp <= 0xfaff) ||
			    (cp >= 0xff00 && cp <= 0xff60) ? 2 : 1;
			p += 3;
			continue;
		}
		w += 2;
		p += 4;
	}
	return w;
}

int
out_colour(void)
{
	const char	*t;

	if (getenv("NO_COLOR") != NULL)
		return 0;
	t = getenv("TERM");
	if (t == NULL || strcmp(t, "dumb") == 0)
		return 0;
	return isatty(STDOUT_FILENO);
}

struct table {
	struct cmd_ctx	 *ctx;
	int		  ncols;
	const char	**cells;
	size_t		  n;
	size_t		  cap;
};

struct table *
table_new(struct cmd_ctx *ctx, int ncols)
{
	struct table	*t;

	t = arena_alloc(ctx->arena, sizeof *t);
	t->ctx = ctx;
	t->ncols = ncols;
	return t;
}

void
table_cell(struct table *t, const char *s)
{
	const char	**nv;

	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		nv = arena_alloc(t->ctx->arena, t->cap * sizeof *nv);
		if (t->n > 0)
			memcpy(nv, t->cells, t->n * sizeof *nv);
		t->cells = nv;
	}
	t->cells[t->n++] = s != NULL ? s : "";
}

void
table_cellf(struct table *t, const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	table_cell(t, arena_strdup(t->ctx->arena, buf));
}

void
table_print(struct table *t, FILE *f)
{
	size_t	*w, i, c, pad;

	w = arena_alloc(t->ctx->arena, (size_t)t->ncols * sizeof *w);
	for (i = 0; i < t->n; i++) {
		c = i % (size_t)t->ncols;
		if (out_width(t->cells[i]) > w[c])
			w[c] = out_width(t->cells[i]);
	}
	for (i = 0; i < t->n; i++) {
		c = i % (size_t)t->ncols;
		fputs(t->cells[i], f);
		if (c + 1 == (size_t)t->ncols || i + 1 == t->n) {
			fputc('\n', f);
			continue;
		}
		for (pad = out_width(t->cells[i]); pad < w[c] + 2; pad++)
			fputc(' ', f);
	}
}

const char *
out_trunc(struct arena *a, const char *s, size_t width)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 w = 0, len;
	char			*t;

	if (out_width(s) <= width || width == 0)
		return s;
	/* keep whole characters up to width - 1 columns, then "…" */
	while (*p != '\0') {
		len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : 4;
		t = arena_strndup(a, (const char *)p, len);
		if (w + out_width(t) > width - 1)
			break;
		w += out_width(t);
		p += len;
	}
	len = (size_t)(p - (const unsigned char *)s);
	t = arena_alloc(a, len + 4);
	memcpy(t, s, len);
	memcpy(t + len, "\xe2\x80\xa6", 4);
	return t;
}

void
out_pad(FILE *f, const char *s, size_t width)
{
	size_t	w;

	fputs(s, f);
	for (w = out_width(s); w < width; w++)
		fputc(' ', f);
}
