/*
 * Contact field checks.  Everything from outside passes through here
 * before the store sees it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/contact.h"
#include "core/when.h"
#include "util/arena.h"
#include "util/text.h"
#include "util/xmalloc.h"

const char *const contact_kinds[] = {
	"prospect", "client", "friend", "partner", "other", NULL
};
const char *const contact_sources[] = {
	"event", "referral", "inbound", "import", "other", NULL
};

const char *
strlist_label(const struct strlist *l, size_t i)
{
	return l->label != NULL && i < l->n ? l->label[i] : NULL;
}

long
strlist_find(const struct strlist *l, const char *v)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], v) == 0)
			return (long)i;
	return -1;
}

void
strlist_push(struct arena *a, struct strlist *l, const char *v,
    const char *label)
{
	char	**nv, **nl;

	nv = arena_alloc(a, (l->n + 1) * sizeof *nv);
	nl = arena_alloc(a, (l->n + 1) * sizeof *nl);
	if (l->n > 0) {
		memcpy(nv, l->v, l->n * sizeof *nv);
		if (l->label != NULL)
			memcpy(nl, l->label, l->n * sizeof *nl);
	}
	nv[l->n] = arena_strdup(a, v);
	nl[l->n] = arena_strdup(a, label);
	l->v = nv;
	l->label = nl;
	l->n++;
}

void
strlist_del(struct strlist *l, size_t i)
{
	if (i >= l->n)
		return;
	memmove(l->v + i, l->v + i + 1, (l->n - i - 1) * sizeof *l->v);
	if (l->label != NULL)
		memmove(l->label + i, l->label + i + 1,
		    (l->n - i - 1) * sizeof *l->label);
	l->n--;
}

void
contact_extra_push(struct arena *a, struct contact *c,
    const struct contact_extra *x)
{
	struct contact_extra	*nx;

	nx = arena_alloc(a, (c->nextras + 1) * sizeof *nx);
	if (c->nextras > 0)
		memcpy(nx, c->extras, c->nextras * sizeof *nx);
	nx[c->nextras++] = *x;
	c->extras = nx;
}

int
contact_word_in(const char *word, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(word, *list) == 0)
			return 1;
	return 0;
}

int
contact_email_check(const char *addr, struct err *e)
{
	const char	*at, *p, *label;
	size_t		 n;

	n = strlen(addr);
	if (n == 0 || n > 254)
		goto bad;
	at = strchr(addr, '@');
	if (at == NULL || at == addr || strchr(at + 1, '@') != NULL)
		goto bad;
	/* printable ASCII but specials, or UTF-8 (RFC 6531) */
	for (p = addr; p < at; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f ||
		    strchr("()<>[]\\,;:\"", *p) != NULL)
			goto bad;
	if (addr[0] == '.' || at[-1] == '.' || strstr(addr, "..") != NULL)
		goto bad;
	/* domain: labels of letters, digits and hyphens, at least one dot */
	label = at + 1;
	if (strchr(label, '.') == NULL)
		goto bad;
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || label[0] == '-' || p[-1] == '-' ||
			    p - label > 63)
				goto bad;
			if (*p == '\0')
				break;
			label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' &&
		    (unsigned char)*p < 0x80)
			goto bad;
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			goto bad;
	}
	if (!text_utf8_valid(addr, n))
		goto bad;
	return 0;
bad:
	return err_set(e, TEND_EINVAL, "invalid e-mail address '%s'", addr);
}

char *
contact_phone_digits(const char *number)
{
	char	*d, *q;

	d = xmalloc(strlen(number) + 1);
	q = d;
	for (; *number != '\0'; number++) {
		if (isdigit((unsigned char)*number) ||
		    (*number == '+' && q == d))
			*q++ = *number;
	}
	*q = '\0';
	return d;
}

int
contact_phone_check(const char *number, struct err *e)
{
	const char	*p;
	int		 digits = 0;

	if (strlen(number) > 40)
		goto bad;
	for (p = number; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (strchr(" +()-./", *p) == NULL)
			goto bad;
	}
	if (digits < 3)
		goto bad;
	return 0;
bad:
	return err_set(e, TEND_EINVAL, "invalid phone number '%s'", number);
}

int
contact_tag_check(const char *tag, struct err *e)
{
	const char	*p;
	int		 rc;

	if (*tag == '\0')
		return err_set(e, TEND_EINVAL, "empty tag");
	if ((rc = text_check("tag", tag, 64, 0, e)) != 0)
		return rc;
	for (p = tag; *p != '\0'; p++)
		if (*p == ' ' || *p == ',' || *p == '\t')
			return err_set(e, TEND_EINVAL,
			    "invalid tag '%s': no spaces or commas", tag);
	return 0;
}

static int
contact_field_check(const char *what, const char *v, size_t max,
    int multiline, struct err *e)
{
	if (v == NULL)
		return 0;
	return text_check(what, v, max, multiline, e);
}

int
contact_check(const struct contact *c, struct err *e)
{
	size_t	i;
	int	rc;

	if (c->name == NULL || *c->name == '\0')
		return err_set(e, TEND_EINVAL, "a contact needs a name");
	if ((rc = contact_field_check("name", c->name, TEXT_SHORT_MAX, 0,
	    e)) != 0 ||
	    (rc = contact_field_check("company", c->company, TEXT_SHORT_MAX,
	    0, e)) != 0 ||
	    (rc = contact_field_check("title", c->title, TEXT_SHORT_MAX, 0,
	    e)) != 0 ||
	    (rc = contact_field_check("where you met", c->met_where,
	    TEXT_SHORT_MAX, 0, e)) != 0 ||
	    (rc = contact_field_check("need", c->needs, TEXT_LONG_MAX, 1,
	    e)) != 0 ||
	    (rc = contact_field_check("note", c->notes, TEXT_LONG_MAX, 1,
	    e)) != 0)
		return rc;
	if (c->kind != NULL && !contact_word_in(c->kind, contact_kinds))
		return err_set(e, TEND_EINVAL, "unknown kind '%s' (expected "
		    "prospect, client, friend, partner or other)", c->kind);
	if (c->source != NULL && !contact_word_in(c->source, contact_sources))
		return err_set(e, TEND_EINVAL, "unknown source '%s' (expected "
		    "event, referral, inbound, import or other)", c->source);
	if (c->tz != NULL && !when_zone_valid(c->tz))
		return err_set(e, TEND_EINVAL, "unknown time zone '%s'",
		    c->tz);
	for (i = 0; i < c->emails.n; i++)
		if ((rc = contact_email_check(c->emails.v[i], e)) != 0)
			return rc;
	for (i = 0; i < c->phones.n; i++)
		if ((rc = contact_phone_check(c->phones.v[i], e)) != 0)
			return rc;
	for (i = 0; i < c->tags.n; i++)
		if ((rc = contact_tag_check(c->tags.v[i], e)) != 0)
			return rc;
	return 0;
}

char *
contact_first_name(const char *name)
{
	size_t	n;

	n = strcspn(name, " \t");
	return xstrndup(name, n);
}

/* Properties a vCard has at most once (RFC 6350 cardinality 1 or *1). */
static const char *const contact_single_props[] = {
	"N", "BDAY", "ANNIVERSARY", "GENDER", "KIND", "PRODID", "REV", "UID",
	NULL
};

static int
merge_text(struct arena *a, char **dst, const char *src,
    enum contact_merge_mode mode, int joinable)
{
	if (src == NULL || *src == '\0')
		return 0;
	if (*dst == NULL || **dst == '\0') {
		*dst = arena_strdup(a, src);
		return 1;
	}
	if (strcmp(*dst, src) == 0)
		return 0;
	if (mode == CONTACT_MERGE_PREFER) {
		*dst = arena_strdup(a, src);
		return 1;
	}
	if (mode == CONTACT_MERGE_JOIN && joinable && strstr(*dst, src) ==
	    NULL) {
		*dst = arena_printf(a, "%s\n\n%s", *dst, src);
		return 1;
	}
	return 0;
}

static int
merge_word(char **dst, char *src, const char *empty,
    enum contact_merge_mode mode)
{
	if (src == NULL || strcmp(src, empty) == 0)
		return 0;
	if (*dst != NULL && strcmp(*dst, src) == 0)
		return 0;
	if (*dst == NULL || strcmp(*dst, empty) == 0 ||
	    mode == CONTACT_MERGE_PREFER) {
		*dst = src;
		return 1;
	}
	return 0;
}

static int
merge_phones(struct arena *a, struct strlist *dst, const struct strlist *src)
{
	size_t	 i, j;
	char	*d1, *d2;
	int	 changed = 0, same;

	for (i = 0; i < src->n; i++) {
		d1 = contact_phone_digits(src->v[i]);
		same = 0;
		for (j = 0; j < dst->n && !same; j++) {
			d2 = contact_phone_digits(dst->v[j]);
			same = strcmp(d1, d2) == 0;
			free(d2);
		}
		free(d1);
		if (!same) {
			strlist_push(a, dst, src->v[i], strlist_label(src, i));
			changed = 1;
		}
	}
	return changed;
}

static int
extra_same(const struct contact_extra *x, const struct contact_extra *y)
{
	return strcasecmp(x->name, y->name) == 0 &&
	    (x->params == NULL ? y->params == NULL : y->params != NULL &&
	    strcmp(x->params, y->params) == 0) &&
	    strcmp(x->value != NULL ? x->value : "", y->value != NULL ?
	    y->value : "") == 0;
}

static int
merge_extras(struct arena *a, struct contact *dst, const struct contact *src,
    enum contact_merge_mode mode)
{
	size_t			 i, j;
	int			 changed = 0, skip;

	for (i = 0; i < src->nextras; i++) {
		const struct contact_extra *x = &src->extras[i];

		skip = 0;
		for (j = 0; j < dst->nextras && !skip; j++) {
			if (extra_same(&dst->extras[j], x))
				skip = 1;
			else if (strcasecmp(dst->extras[j].name, x->name) == 0 &&
			    contact_word_in(x->name, contact_single_props)) {
				if (mode == CONTACT_MERGE_PREFER) {
					dst->extras[j] = *x;
					changed = 1;
				}
				skip = 1;
			}
		}
		if (skip)
			continue;
		contact_extra_push(a, dst, x);
		changed = 1;
	}
	return changed;
}

int
contact_merge(struct arena *a, struct contact *dst, const struct contact *src,
    enum contact_merge_mode mode)
{
	size_t	i;
	int	changed = 0;

	changed |= merge_text(a, &dst->company, src->company, mode, 0);
	changed |= merge_text(a, &dst->title, src->title, mode, 0);
	changed |= merge_text(a, &dst->tz, src->tz, mode, 0);
	changed |= merge_text(a, &dst->met_where, src->met_where, mode, 0);
	changed |= merge_text(a, &dst->needs, src->needs, mode, 1);
	changed |= merge_text(a, &dst->notes, src->notes, mode, 1);
	changed |= merge_text(a, &dst->cadence, src->cadence,
	    mode == CONTACT_MERGE_PREFER ? mode : CONTACT_MERGE_KEEP, 0);
	changed |= merge_word(&dst->kind, src->kind, "other", mode);
	changed |= merge_word(&dst->source, src->source, "other",
	    CONTACT_MERGE_KEEP);
	if (src->met_on != 0 && (dst->met_on == 0 || src->met_on <
	    dst->met_on)) {
		dst->met_on = src->met_on;
		changed = 1;
	}
	if (src->last_touch > dst->last_touch) {
		dst->last_touch = src->last_touch;
		changed = 1;
	}
	if (dst->via_id == 0 && src->via_id != 0 && src->via_id != dst->id) {
		dst->via_id = src->via_id;
		changed = 1;
	}
	if (src->do_not_contact && !dst->do_not_contact) {
		/* someone asked not to be contacted: that always carries */
		dst->do_not_contact = 1;
		changed = 1;
	}
	for (i = 0; i < src->emails.n; i++)
		if (strlist_find(&dst->emails, src->emails.v[i]) < 0) {
			strlist_push(a, &dst->emails, src->emails.v[i],
			    strlist_label(&src->emails, i));
			changed = 1;
		}
	changed |= merge_phones(a, &dst->phones, &src->phones);
	for (i = 0; i < src->tags.n; i++)
		if (strlist_find(&dst->tags, src->tags.v[i]) < 0) {
			strlist_push(a, &dst->tags, src->tags.v[i], NULL);
			changed = 1;
		}
	changed |= merge_extras(a, dst, src, mode);
	return changed;
}
