/*
 * Importing contacts: each record is read into its own arena, tidied,
 * checked, then added or merged into the contact it already is, so
 * memory stays flat however long the file.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/import.h"
#include "app/touch.h"
#include "core/cadence.h"
#include "core/when.h"
#include "interop/backup.h"
#include "interop/csv.h"
#include "interop/vcard.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/text.h"

/* One open reader of whichever format, with its position. */
struct import_src {
	enum import_format	 format;
	struct vcard_reader	*vcard;
	struct csv_reader	*csv;
	struct backup_reader	*json;
	const char		*name;
};

static void
report_add(struct arena *a, struct import_report *r, const char *file,
    unsigned line, unsigned record, const char *what, const char *msg)
{
	struct import_issue	*v;

	if (r->nissues >= IMPORT_ISSUES_MAX)
		return;
	r->issues = arena_grow(a, r->issues, r->nissues, &r->cap,
	    sizeof *r->issues);
	v = &r->issues[r->nissues++];
	v->file = file;
	v->line = line;
	v->record = record;
	v->what = what;
	v->unit = r->unit != NULL ? r->unit : "record";
	v->msg = arena_strdup(a, msg);
}

/*
 * The format from the first bytes of f (rewound after).  Returns 0, or
 * TEND_EINVAL for a file with nothing but blanks in it.
 */
static int
import_sniff(FILE *f, const char *name, enum import_format *out,
    struct err *e)
{
	char	buf[512];
	size_t	n, i = 0;

	n = fread(buf, 1, sizeof buf, f);
	if (ferror(f))
		return err_set(e, TEND_EIO, "cannot read '%s'", name);
	rewind(f);
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && isspace((unsigned char)buf[i]))
		i++;
	if (i == n && n < sizeof buf)
		return err_set(e, TEND_EINVAL, "%s: the file is empty", name);
	if (vcard_sniff(buf + i, n - i))
		*out = IMPORT_VCARD;
	else if (backup_sniff(buf + i, n - i))
		*out = IMPORT_JSON;
	else
		*out = IMPORT_CSV;
	return 0;
}

static int
src_open(struct import_src *src, FILE *f, const char *name,
    const struct import_opts *o, struct err *e)
{
	char			 bom[3];

	enum import_format	 sniffed = IMPORT_CSV;
	int			 rc;

	memset(src, 0, sizeof *src);
	src->name = name;
	if ((rc = import_sniff(f, name, &sniffed, e)) != 0)
		return rc;
	src->format = o->format == IMPORT_AUTO ? sniffed : o->format;
	if (src->format != IMPORT_CSV && o->nmaps > 0)
		return err_set(e, TEND_EUSAGE, "--map applies to CSV files, "
		    "and '%s' is not one", name);
	switch (src->format) {
	case IMPORT_VCARD:
		/* a byte order mark is not part of the first line */
		if (fread(bom, 1, 3, f) != 3 || memcmp(bom, "\xEF\xBB\xBF",
		    3) != 0)
			rewind(f);
		src->vcard = vcard_reader_new(f, name);
		return 0;
	case IMPORT_JSON:
		return backup_reader_new(f, name, &src->json, e);
	default:
		return csv_reader_new(f, name, o->tz, o->maps, o->nmaps,
		    &src->csv, e);
	}
}

static void
src_close(struct import_src *src)
{
	vcard_reader_free(src->vcard);
	csv_reader_free(src->csv);
	backup_reader_free(src->json);
}

static int
src_read(struct import_src *src, struct arena *a, struct contact **c,
    struct err *e)
{
	switch (src->format) {
	case IMPORT_VCARD:
		return vcard_read(src->vcard, a, c, e);
	case IMPORT_JSON:
		return backup_read(src->json, a, c, e);
	default:
		return csv_read(src->csv, a, c, e);
	}
}

/* Where the last record started: line (0 if unknown) and number. */
static void
src_where(const struct import_src *src, unsigned *line, unsigned *record)
{
	switch (src->format) {
	case IMPORT_VCARD:
		*line = vcard_reader_line(src->vcard);
		*record = vcard_reader_card(src->vcard);
		break;
	case IMPORT_JSON:
		*line = backup_reader_line(src->json);
		*record = backup_reader_record(src->json);
		break;
	default:
		*line = csv_reader_line(src->csv);
		*record = csv_reader_record(src->csv);
		break;
	}
}

static char *
tidy_text(char *s)
{
	if (s == NULL)
		return NULL;
	text_trim(s);
	return *s == '\0' ? NULL : s;
}

/*
 * A tag is one word: blanks and commas become '-', and a leading '#' or
 * '*' (Google's "* starred") goes.
 */
static char *
tidy_tag(struct arena *a, const char *t)
{
	char	*s, *p;

	while (*t == '#' || *t == '*' || isspace((unsigned char)*t))
		t++;
	s = arena_strdup(a, t);
	text_trim(s);
	for (p = s; *p != '\0'; p++)
		if (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n' ||
		    *p == '\r')
			*p = '-';
	if (strlen(s) > TEXT_SHORT_MAX)
		s[TEXT_SHORT_MAX] = '\0';
	return s;
}

static void
tidy_list(struct arena *a, struct strlist *l, int tags)
{
	struct strlist	 out;
	char		*v;
	size_t		 i;

	memset(&out, 0, sizeof out);
	for (i = 0; i < l->n; i++) {
		v = tags ? tidy_tag(a, l->v[i]) : tidy_text(l->v[i]);
		if (v == NULL || *v == '\0' || strlist_find(&out, v) >= 0)
			continue;
		strlist_push(a, &out, v, tidy_text(arena_strdup(a,
		    strlist_label(l, i))));
	}
	*l = out;
}

/* value escaped as a vCard 4.0 text value */
static char *
vcard_text(struct arena *a, const char *v)
{
	char	*out, *p;

	out = arena_alloc(a, strlen(v) * 2 + 1);
	for (p = out; *v != '\0'; v++) {
		if (*v == '\n') {
			*p++ = '\\';
			*p++ = 'n';
			continue;
		}
		if (*v == '\\' || *v == ',' || *v == ';')
			*p++ = '\\';
		*p++ = *v;
	}
	*p = '\0';
	return out;
}

static void
extra_push(struct arena *a, struct contact *c, const char *name,
    const char *label, const char *value)
{
	struct contact_extra	x;

	x.group = NULL;
	x.name = (char *)name;
	x.params = label == NULL ? NULL : arena_printf(a, "TYPE=\"%s\"",
	    label);
	x.value = vcard_text(a, value);
	contact_extra_push(a, c, &x);
}

/*
 * An e-mail address or phone number that tend cannot use (a phone with
 * "ext. 102", an address without '@') is not a reason to lose the
 * record: it is kept as a property, so export gives it back.
 */
static void
tidy_unusable(struct arena *a, struct contact *c, const char **note)
{
	struct err	e;
	size_t		i = 0;

	while (i < c->emails.n) {
		if (contact_email_check(c->emails.v[i], &e) == 0) {
			i++;
			continue;
		}
		extra_push(a, c, "EMAIL", strlist_label(&c->emails, i),
		    c->emails.v[i]);
		*note = arena_printf(a, "kept '%s' as written: not an e-mail "
		    "address", c->emails.v[i]);
		strlist_del(&c->emails, i);
	}
	i = 0;
	while (i < c->phones.n) {
		if (contact_phone_check(c->phones.v[i], &e) == 0) {
			i++;
			continue;
		}
		extra_push(a, c, "TEL", strlist_label(&c->phones, i),
		    c->phones.v[i]);
		*note = arena_printf(a, "kept phone '%s' as written: not only "
		    "digits", c->phones.v[i]);
		strlist_del(&c->phones, i);
	}
}

/* Words other programs use for tend's kinds of relationship. */
static const struct {
	const char	*word;
	const char	*kind;
} kind_words[] = {
	{ "customer", "client" }, { "customers", "client" },
	{ "clients", "client" }, { "lead", "prospect" },
	{ "leads", "prospect" }, { "prospects", "prospect" },
	{ "friends", "friend" }, { "family", "friend" },
	{ "personal", "friend" }, { "partners", "partner" },
	{ "vendor", "partner" }, { "supplier", "partner" },
	{ NULL, NULL }
};

/*
 * A kind tend does not know ("Customer", "VIP") is mapped when it means
 * one of tend's, else kept as a tag; a source or time zone tend does not
 * know is kept as a property.  None of these loses the record.
 */
static void
tidy_kind(struct arena *a, struct contact *c)
{
	size_t	i;

	if (c->kind != NULL && !contact_word_in(c->kind, contact_kinds)) {
		for (i = 0; kind_words[i].word != NULL; i++)
			if (strcmp(c->kind, kind_words[i].word) == 0)
				break;
		if (kind_words[i].word != NULL)
			c->kind = (char *)kind_words[i].kind;
		else {
			strlist_push(a, &c->tags, c->kind, NULL);
			c->kind = NULL;
		}
	}
	if (c->source != NULL && !contact_word_in(c->source,
	    contact_sources)) {
		extra_push(a, c, "X-TEND-SOURCE", NULL, c->source);
		c->source = NULL;
	}
	if (c->tz != NULL && !when_zone_valid(c->tz)) {
		extra_push(a, c, "TZ", NULL, c->tz);
		c->tz = NULL;
	}
}

/* Pull X-TEND-* extras that name tend fields back into them. */
static void
tidy_extras(struct contact *c)
{
	size_t	i, k = 0;

	for (i = 0; i < c->nextras; i++) {
		struct contact_extra *x = &c->extras[i];

		if (strcasecmp(x->name, "X-TEND-CADENCE") == 0 &&
		    c->cadence == NULL) {
			c->cadence = x->value;
			continue;
		}
		c->extras[k++] = *x;
	}
	c->nextras = k;
}

int
import_tidy(struct arena *a, struct contact *c, const struct import_opts *o,
    const char **why, const char **note)
{
	size_t	i;

	*note = NULL;
	c->name = tidy_text(c->name);
	c->company = tidy_text(c->company);
	c->title = tidy_text(c->title);
	c->met_where = tidy_text(c->met_where);
	c->needs = tidy_text(c->needs);
	c->notes = tidy_text(c->notes);
	c->tz = tidy_text(c->tz);
	c->kind = tidy_text(c->kind);
	c->source = tidy_text(c->source);
	c->cadence = tidy_text(c->cadence);
	if (c->kind != NULL)
		for (char *p = c->kind; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	tidy_kind(a, c);
	tidy_list(a, &c->emails, 0);
	tidy_list(a, &c->phones, 0);
	tidy_list(a, &c->tags, 1);
	tidy_unusable(a, c, note);
	tidy_extras(c);
	if (c->name == NULL)
		c->name = c->emails.n > 0 ? c->emails.v[0] :
		    c->company != NULL ? c->company :
		    c->phones.n > 0 ? c->phones.v[0] : NULL;
	if (c->name == NULL) {
		*why = "no name, e-mail address, phone or company";
		return 0;
	}
	for (i = 0; i < o->ntags; i++)
		if (strlist_find(&c->tags, o->tags[i]) < 0)
			strlist_push(a, &c->tags, o->tags[i], NULL);
	if (o->source != NULL)
		c->source = (char *)o->source;
	else if (c->source == NULL)
		c->source = "import";
	if (c->met_where == NULL && o->met != NULL)
		c->met_where = (char *)o->met;
	return 1;
}

/* Drop addresses that belong to a contact other than id; say so. */
static int
drop_foreign(struct store *s, struct arena *ra, struct import_report *r,
    const char *file, unsigned line, unsigned rec, struct contact *c,
    struct err *e)
{
	int64_t	owner;
	size_t	i = 0;
	int	rc;

	while (i < c->emails.n) {
		if ((rc = store_email_owner(s, c->emails.v[i], &owner)) != 0)
			return err_set(e, rc, "cannot read e-mail addresses");
		if (owner != 0 && owner != c->id) {
			report_add(ra, r, file, line, rec, "note", arena_printf(
			    ra, "e-mail address '%s' stays with contact %lld",
			    c->emails.v[i], (long long)owner));
			strlist_del(&c->emails, i);
			continue;
		}
		i++;
	}
	return 0;
}

/* Add or merge one tidy, checked record.  rc < 0 is a store failure. */
static int
import_one(struct store *s, struct arena *a, struct arena *ra,
    struct import_report *r, const struct import_opts *o, const char *file,
    unsigned line, unsigned rec, struct contact *c, struct err *e)
{
	struct contact	*old;
	const char	*how;
	char		*spec_before;
	int64_t		 id;
	int		 rc;

	if ((rc = store_contact_match(s, c, &id, &how, e)) != 0)
		return rc;
	if (id == 0) {
		if ((rc = store_contact_insert(s, c, o->now, e)) != 0)
			return rc;
		if (c->cadence != NULL && (rc = app_cadence_set(s, c->id,
		    c->cadence, o->now, o->tz, e)) != 0)
			return rc;
		r->added++;
		return 0;
	}
	if ((rc = store_contact_get(s, a, id, &old, e)) != 0)
		return rc;
	spec_before = old->cadence;
	if (old->archived)
		report_add(ra, r, file, line, rec, "note", arena_printf(a,
		    "is archived contact %lld (by %s); 'tend edit %lld "
		    "--restore' brings it back", (long long)id, how,
		    (long long)id));
	c->source = NULL;	/* where a known contact came from stays */
	if (!contact_merge(a, old, c, o->prefer ? CONTACT_MERGE_PREFER :
	    CONTACT_MERGE_KEEP)) {
		r->unchanged++;
		return 0;
	}
	if ((rc = drop_foreign(s, ra, r, file, line, rec, old, e)) != 0 ||
	    (rc = store_contact_update(s, old, o->now, e)) != 0)
		return rc;
	if (old->cadence != NULL && (spec_before == NULL ||
	    strcmp(spec_before, old->cadence) != 0) &&
	    (rc = app_cadence_set(s, id, old->cadence, o->now, o->tz, e)) != 0)
		return rc;
	r->merged++;
	return 0;
}

/* A bad record: stop, or note it and go on. */
static int
bad_record(struct arena *ra, struct import_report *r,
    const struct import_opts *o, const char *file, unsigned line,
    unsigned rec, struct err *e)
{
	r->errors++;
	report_add(ra, r, file, line, rec, "error", e->msg);
	if (!o->keep_going)
		return TEND_EINVAL;
	e->code = 0;
	e->msg[0] = '\0';
	return 0;
}

/* "people.csv: line 4 (record 3): " for messages about a checked record. */
static void
where_prefix(struct err *e, const char *file, const struct import_src *src,
    unsigned line, unsigned rec)
{
	char	msg[ERR_MSG_MAX];

	memcpy(msg, e->msg, sizeof msg);
	if (src->format == IMPORT_VCARD)
		snprintf(e->msg, sizeof e->msg, "%.200s: card %u, line %u: "
		    "%.700s", file, rec, line, msg);
	else if (src->format == IMPORT_JSON)
		snprintf(e->msg, sizeof e->msg, "%.200s: contact %u: %.700s",
		    file, rec, msg);
	else
		snprintf(e->msg, sizeof e->msg, "%.200s: line %u (record %u): "
		    "%.700s", file, line, rec, msg);
}

int
import_file(struct store *s, struct arena *ra, FILE *f, const char *name,
    const struct import_opts *o, struct import_report *r, struct err *e)
{
	struct import_src	 src;
	struct arena		*a;
	struct contact		*c;
	struct cadence		 cad;
	const char		*why, *note, *file;
	unsigned		 line, rec;
	size_t			 seen = 0;
	int			 rc;

	file = arena_strdup(ra, name);
	if ((rc = src_open(&src, f, file, o, e)) != 0) {
		src_close(&src);
		return rc;
	}
	r->unit = src.format == IMPORT_VCARD ? "card" :
	    src.format == IMPORT_JSON ? "contact" : "record";
	if (src.format == IMPORT_CSV && csv_reader_recoded(src.csv))
		report_add(ra, r, file, 0, 0, "note", "not UTF-8: read as "
		    "Windows-1252");
	a = arena_new();
	for (;;) {
		arena_reset(a);
		rc = src_read(&src, a, &c, e);
		src_where(&src, &line, &rec);
		if (rc == 0)
			break;
		if (rc == TEND_EINVAL) {
			if ((rc = bad_record(ra, r, o, file, line, rec, e)) != 0)
				break;
			continue;
		}
		if (rc < 0)
			break;
		seen++;
		if (src.format == IMPORT_VCARD &&
		    vcard_reader_warning(src.vcard) != NULL)
			report_add(ra, r, file, 0, rec, "note",
			    vcard_reader_warning(src.vcard));
		if (!import_tidy(a, c, o, &why, &note)) {
			r->skipped++;
			report_add(ra, r, file, line, rec, "skipped", why);
			continue;
		}
		if (note != NULL)
			report_add(ra, r, file, line, rec, "note", note);
		rc = contact_check(c, e);
		if (rc == 0 && c->cadence != NULL)
			rc = cadence_parse(c->cadence, &cad, e);
		if (rc == TEND_EINVAL) {
			where_prefix(e, file, &src, line, rec);
			if ((rc = bad_record(ra, r, o, file, line, rec, e)) != 0)
				break;
			continue;
		}
		if (rc == 0)
			rc = import_one(s, a, ra, r, o, file, line, rec, c, e);
		if (rc != 0)
			break;
	}
	arena_free(a);
	src_close(&src);
	if (rc == 0 && seen == 0 && r->errors == 0)
		report_add(ra, r, file, 0, 0, "note", "no contacts in the file");
	return rc;
}

/* 1 if contact id is called name (without case), not just its prefix. */
static int
same_name(struct store *s, struct arena *a, int64_t id, const char *name)
{
	struct contact	*c;
	char		*x, *y;
	int		 same;

	if (store_contact_get(s, a, id, &c, NULL) != 0)
		return 0;
	x = text_fold(c->name);
	y = text_fold(name);
	same = strcmp(x, y) == 0;
	free(x);
	free(y);
	return same;
}

int
import_finish(struct store *s, struct err *e)
{
	struct arena	*a;
	int64_t		*ids, via;
	char		**names;
	size_t		 i, n;
	int		 rc;

	a = arena_new();
	if ((rc = store_extra_find(s, a, "X-TEND-VIA", &ids, &names, &n,
	    e)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		/* a name that is nobody here, or several, stays as it is */
		if (store_contact_resolve(s, names[i], &via, NULL) != 0 ||
		    via == ids[i] || !same_name(s, a, via, names[i]))
			continue;
		if ((rc = store_contact_via_set(s, ids[i], via, e)) != 0 ||
		    (rc = store_extra_delete(s, ids[i], "X-TEND-VIA", e)) != 0)
			goto out;
	}
out:
	arena_free(a);
	return rc;
}
