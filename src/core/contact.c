/*
 * Contact field checks.  Everything from outside passes through here
 * before the store sees it.
 */
#include <ctype.h>
#include <string.h>

#include "core/contact.h"
#include "core/when.h"
#include "util/text.h"
#include "util/xmalloc.h"

const char *const contact_kinds[] = {
	"prospect", "client", "friend", "partner", "other", NULL
};
const char *const contact_sources[] = {
	"event", "referral", "inbound", "import", "other", NULL
};

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
