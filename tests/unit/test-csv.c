/*
 * Unit tests for interop/csv: every file of the CSV corpus with its
 * contacts written down, the layouts, character sets, quoting, errors
 * with their lines and records, --map rules, the record limit on a
 * 200 MB line, bounded memory, and writer-to-reader round trips.
 */
#define _GNU_SOURCE		/* fopencookie */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cmocka.h>

#include "core/contact.h"
#include "core/when.h"
#include "interop/csv.h"
#include "util/arena.h"
#include "util/err.h"

/* Tests run from the project root. */
#define CORPUS	"../shared/corpus/csv/"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* ---------------------------------------------------------------- */
/* Helpers */

/* A seekable stream holding n bytes of s. */
static FILE *
mem(const char *s, size_t n)
{
	FILE	*f;

	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	rewind(f);
	return f;
}

static FILE *
str(const char *s)
{
	return mem(s, strlen(s));
}

static struct csv_reader *
open_ok(FILE *f, const char *tz, char *const *maps, size_t nmaps)
{
	struct csv_reader	*r = NULL;
	struct err		 e;

	if (csv_reader_new(f, "t.csv", tz, maps, nmaps, &r, &e) != 0)
		fail_msg("csv_reader_new: %s", e.msg);
	return r;
}

static void
open_fails(const char *text, char *const *maps, size_t nmaps,
    const char *want)
{
	struct csv_reader	*r = NULL;
	struct err		 e;
	FILE			*f;

	f = str(text);
	assert_int_equal(csv_reader_new(f, "t.csv", "UTC", maps, nmaps, &r,
	    &e), TEND_EINVAL);
	assert_null(r);
	assert_string_equal(e.msg, want);
	fclose(f);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A contact as text, one field a line, empty fields left out and extras
 * sorted, so that expectations can be written down as they read.
 */
static char *
describe(const struct contact *c)
{
	char	*buf = NULL, **xs, day[WHEN_BUFSZ];
	size_t	 len = 0, i;
	FILE	*f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
#define S(k, v) if ((v) != NULL) fprintf(f, "%s=%s\n", k, v)
	S("name", c->name);
	S("company", c->company);
	S("title", c->title);
	S("kind", c->kind);
	S("met_where", c->met_where);
	if (c->met_on != 0)
		fprintf(f, "met_on=%s\n", when_format(day, sizeof day,
		    c->met_on, "UTC", WHEN_ISO));
	S("source", c->source);
	S("needs", c->needs);
	S("notes", c->notes);
	S("tz", c->tz);
#undef S
	if (c->do_not_contact)
		fprintf(f, "do_not_contact\n");
	for (i = 0; i < c->emails.n; i++)
		fprintf(f, "email=%s [%s]\n", c->emails.v[i],
		    c->emails.label && c->emails.label[i] ?
		    c->emails.label[i] : "");
	for (i = 0; i < c->phones.n; i++)
		fprintf(f, "phone=%s [%s]\n", c->phones.v[i],
		    c->phones.label && c->phones.label[i] ?
		    c->phones.label[i] : "");
	for (i = 0; i < c->tags.n; i++)
		fprintf(f, "tag=%s\n", c->tags.v[i]);
	xs = calloc(c->nextras + 1, sizeof *xs);
	for (i = 0; i < c->nextras; i++) {
		const struct contact_extra *x = &c->extras[i];

		if (asprintf(&xs[i], "extra=%s%s%s%s%s:%s\n",
		    x->group ? x->group : "", x->group ? "." : "", x->name,
		    x->params ? ";" : "", x->params ? x->params : "",
		    x->value) < 0)
			fail();
	}
	qsort(xs, c->nextras, sizeof *xs, cmp_str);
	for (i = 0; i < c->nextras; i++) {
		fputs(xs[i], f);
		free(xs[i]);
	}
	free(xs);
	fclose(f);
	return buf;
}

static void
expect_next(struct csv_reader *r, struct arena *a, unsigned line,
    unsigned record, const char *want)
{
	struct contact	*c = NULL;
	struct err	 e;
	char		*got;
	int		 rc;

	rc = csv_read(r, a, &c, &e);
	if (rc != 1)
		fail_msg("csv_read: %d %s", rc, rc < 0 ? e.msg : "(end)");
	got = describe(c);
	if (strcmp(got, want) != 0)
		fail_msg("record %u:\n--- got\n%s--- want\n%s", record, got,
		    want);
	free(got);
	assert_int_equal(csv_reader_line(r), line);
	assert_int_equal(csv_reader_record(r), record);
}

static void
expect_error(struct csv_reader *r, struct arena *a, int code,
    const char *want)
{
	struct contact	*c = NULL;
	struct err	 e;

	assert_int_equal(csv_read(r, a, &c, &e), code);
	assert_string_equal(e.msg, want);
}

static void
expect_end(struct csv_reader *r, struct arena *a)
{
	struct contact	*c = NULL;
	struct err	 e;

	assert_int_equal(csv_read(r, a, &c, &e), 0);
	assert_int_equal(csv_read(r, a, &c, &e), 0);
}

/* Read the whole of text (layout and records as one description). */
static char *
read_all(const char *text, const char *tz, char *const *maps,
    size_t nmaps)
{
	struct csv_reader	*r;
	struct arena		*a;
	struct contact		*c;
	struct err		 e;
	char			*buf = NULL, *d;
	size_t			 len = 0;
	FILE			*f, *out;
	int			 rc;

	f = str(text);
	r = open_ok(f, tz, maps, nmaps);
	a = arena_new();
	out = open_memstream(&buf, &len);
	fprintf(out, "layout=%s%s\n", csv_layout_name(csv_reader_layout(r)),
	    csv_reader_recoded(r) ? " recoded" : "");
	while ((rc = csv_read(r, a, &c, &e)) != 0) {
		fprintf(out, "-- line %u record %u\n", csv_reader_line(r),
		    csv_reader_record(r));
		if (rc < 0) {
			fprintf(out, "error %s\n", e.msg);
			continue;
		}
		d = describe(c);
		fputs(d, out);
		free(d);
	}
	fclose(out);
	arena_free(a);
	csv_reader_free(r);
	fclose(f);
	return buf;
}

static void
expect_all(const char *text, char *const *maps, size_t nmaps,
    const char *want)
{
	char	*got;

	got = read_all(text, "UTC", maps, nmaps);
	if (strcmp(got, want) != 0)
		fail_msg("--- got\n%s--- want\n%s", got, want);
	free(got);
}

/* ---------------------------------------------------------------- */
/* The corpus, file by file */

static void
test_corpus_google(void **state)
{
	struct csv_reader	*r;
	struct arena		*a;
	FILE			*f;

	(void)state;
	f = fopen(CORPUS "google-contacts-export.csv", "r");
	assert_non_null(f);
	r = open_ok(f, "UTC", NULL, 0);
	a = arena_new();
	assert_int_equal(csv_reader_layout(r), CSV_GOOGLE);
	assert_int_equal(csv_reader_recoded(r), 0);
	/* "* " with no label: primary, unlabelled; * myContacts dropped */
	expect_next(r, a, 2, 1,
	    "name=Ada Example\n"
	    "email=ada.example@example.com []\n");
	/* ::: splits a cell; the group's label goes to each value */
	expect_next(r, a, 3, 2,
	    "name=Bjørn von Ødegård\n"
	    "company=Nordlys AS\n"
	    "title=Innkjøper\n"
	    "email=bjorn@nordlys.example [work]\n"
	    "email=b.odegard@example.net [home]\n"
	    "email=bjorn.private@example.org [home]\n"
	    "phone=+47 400 00 000 [cell]\n"
	    "phone=+47 22 00 00 00 [cell]\n"
	    "tag=coworkers\n");
	/* a multi-line note: the next record starts two lines down */
	expect_next(r, a, 4, 3,
	    "name=Zoë Müller-Lüdenscheidt\n"
	    "notes=Met at trade fair\nAsked for a quote, follow up in March\n"
	    "email=zoe.mueller@example.de [other]\n"
	    "tag=Leads\n"
	    "extra=BDAY:19850415\n");
	expect_next(r, a, 6, 4,
	    "name=李 小龙\n"
	    "phone=+86 10 0000 0000 [work]\n"
	    "extra=BDAY:--1127\n"
	    "extra=NICKNAME:Bruce\n"
	    "extra=X-TEND-CSV;X-COLUMN=Phonetic First Name:Li\n"
	    "extra=X-TEND-CSV;X-COLUMN=Phonetic Last Name:Xiaolong\n");
	/* company only: no name, the caller decides */
	expect_next(r, a, 7, 5,
	    "company=Pizzeria \"Da Mario\", Inc.\n"
	    "phone=+1 555 0100 [work]\n"
	    "extra=X-TEND-CSV;X-COLUMN=File As:Da Mario\n");
	expect_next(r, a, 8, 6,
	    "phone=112 [cell]\n"
	    "tag=Copied from Android\n");
	expect_end(r, a);
	arena_free(a);
	csv_reader_free(r);
	fclose(f);
}

static void
test_corpus_linkedin(void **state)
{
	struct csv_reader	*r;
	struct arena		*a;
	FILE			*f;

	(void)state;
	f = fopen(CORPUS "linkedin-Connections.csv", "r");
	assert_non_null(f);
	r = open_ok(f, "UTC", NULL, 0);
	a = arena_new();
	/* the three "Notes:" lines before the header are passed over */
	assert_int_equal(csv_reader_layout(r), CSV_LINKEDIN);
	assert_int_equal(csv_reader_recoded(r), 0);
	expect_next(r, a, 5, 1,
	    "name=Alex Placeholder\n"
	    "company=Example Robotics\n"
	    "title=Head of Procurement\n"
	    "met_where=LinkedIn\n"
	    "met_on=2024-05-30T00:00:00+00:00\n"
	    "extra=URL:https://www.linkedin.com/in/"
	    "alex-placeholder-0a1b2c3d\n");
	expect_next(r, a, 6, 2,
	    "name=Priya Sample\n"
	    "company=Sample Analytics, Inc.\n"
	    "title=VP, Engineering\n"
	    "met_where=LinkedIn\n"
	    "met_on=2023-12-06T00:00:00+00:00\n"
	    "email=priya.sample@example.com []\n"
	    "extra=URL:https://www.linkedin.com/in/priya-sample\n");
	expect_next(r, a, 7, 3,
	    "name=James \"JT\" Testperson\n"
	    "company=PwC Example\n"
	    "title=Recruiting Manager\n"
	    "met_where=LinkedIn\n"
	    "met_on=2021-09-28T00:00:00+00:00\n"
	    "extra=URL:https://www.linkedin.com/in/james-jt-testperson\n");
	/* the trailing space of "Claims Adjuster " is gone */
	expect_next(r, a, 8, 4,
	    "name=Ken O’Example\n"
	    "company=Example Insurance\n"
	    "title=Claims Adjuster\n"
	    "met_where=LinkedIn\n"
	    "met_on=2022-04-16T00:00:00+00:00\n"
	    "extra=URL:https://www.linkedin.com/in/"
	    "ken-o%E2%80%99example-435896237\n");
	/* a last name with a space: N says which part is the family name */
	expect_next(r, a, 9, 5,
	    "name=Elliot Sample, CFP®, AAMS™\n"
	    "company=Example Jones\n"
	    "title=Financial Advisor\n"
	    "met_where=LinkedIn\n"
	    "met_on=2021-11-04T00:00:00+00:00\n"
	    "extra=N:Sample\\, CFP®\\, AAMS™;Elliot;;;\n"
	    "extra=URL:https://www.linkedin.com/in/elliotsample\n");
	/* ,,,,,,02 Jun 2022: nobody, an empty contact */
	expect_next(r, a, 10, 6, "");
	expect_next(r, a, 11, 7,
	    "name=Mohammed Example\n"
	    "met_where=LinkedIn\n"
	    "met_on=2022-04-04T00:00:00+00:00\n"
	    "extra=URL:https://www.linkedin.com/in/"
	    "mohammed-example-4b913a220\n");
	expect_end(r, a);
	arena_free(a);
	csv_reader_free(r);
	fclose(f);
}

/* Connected On starts its day in the user's zone. */
static void
test_corpus_linkedin_zone(void **state)
{
	struct csv_reader	*r;
	struct arena		*a;
	struct contact		*c;
	struct err		 e;
	FILE			*f;
	char			 buf[WHEN_BUFSZ];

	(void)state;
	f = fopen(CORPUS "linkedin-Connections.csv", "r");
	assert_non_null(f);
	r = open_ok(f, "America/New_York", NULL, 0);
	a = arena_new();
	assert_int_equal(csv_read(r, a, &c, &e), 1);
	assert_string_equal(when_format(buf, sizeof buf, c->met_on,
	    "America/New_York", WHEN_ISO), "2024-05-30T00:00:00-04:00");
	arena_free(a);
	csv_reader_free(r);
	fclose(f);
}

static void
test_corpus_outlook(void **state)
{
	struct csv_reader	*r;
	struct arena		*a;
	FILE			*f;

	(void)state;
	f = fopen(CORPUS "outlook-com-export.csv", "r");
	assert_non_null(f);
	r = open_ok(f, "UTC", NULL, 0);
	a = arena_new();
	assert_int_equal(csv_reader_layout(r), CSV_OUTLOOK);
	assert_int_equal(csv_reader_recoded(r), 0);
	/* Mobile Phone is "cell", Business address parts an ADR, the
	 * US date a vCard date */
	expect_next(r, a, 2, 1,
	    "name=Grace Sample\n"
	    "company=Sample Industries\n"
	    "title=Purchasing Manager\n"
	    "email=grace.sample@example.com []\n"
	    "phone=+1 555 0101 [cell]\n"
	    "extra=ADR;TYPE=work:;;1 Example Way;Springfield;IL;62701;"
	    "United States\n"
	    "extra=BDAY:19800314\n");
	/* Outlook's Title is the prefix (M.), kept in N; a two-line
	 * street; doubled quotes in Notes */
	expect_next(r, a, 3, 2,
	    "name=François Lefèvre\n"
	    "company=Société Exemple SARL\n"
	    "notes=Prefers e-mail; asked about pricing, "
	    "\"call back next week\"\n"
	    "email=f.lefevre@example.fr []\n"
	    "email=francois@example.org []\n"
	    "phone=+33 1 00 00 00 00 [work]\n"
	    "extra=ADR;TYPE=home:;;12 rue de l'Exemple\\nBâtiment B;Lyon;;"
	    "69001;France\n"
	    "extra=N:Lefèvre;François;;M.;\n");
	expect_next(r, a, 5, 3,
	    "name=Yuki Nakamura\n"
	    "company=株式会社サンプル\n"
	    "email=yuki.nakamura@example.jp []\n"
	    "extra=X-TEND-CSV;X-COLUMN=Company Yomi:カブシキガイシャサンプル\n"
	    "extra=X-TEND-CSV;X-COLUMN=Given Yomi:ユキ\n"
	    "extra=X-TEND-CSV;X-COLUMN=Surname Yomi:ナカムラ\n");
	expect_next(r, a, 6, 4,
	    "email=info@example.net []\n");
	expect_end(r, a);
	arena_free(a);
	csv_reader_free(r);
	fclose(f);
}

/* ---------------------------------------------------------------- */
/* Other layouts */

static void
test_google_old(void **state)
{
	(void)state;
	expect_all(
	    "Name,Given Name,Additional Name,Family Name,Name Prefix,"
	    "Birthday,Notes,Group Membership,E-mail 1 - Type,"
	    "E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,"
	    "Phone 1 - Type,Phone 1 - Value,Address 1 - Type,"
	    "Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
	    "Address 1 - Postal Code,Organization 1 - Type,"
	    "Organization 1 - Name,Organization 1 - Title,"
	    "Website 1 - Type,Website 1 - Value\n"
	    "Dr. Ann Lee,Ann,,Lee,Dr.,1970-01-31,,"
	    "* My Contacts ::: Friends,* Home,ann@home.example,Work,"
	    "ann@work.example,Work Fax,+1 555 0199,Home,"
	    "\"1 Main St\nSpringfield\",1 Main St,Springfield,12345,,"
	    "Acme,Boss,Blog,https://ann.example/blog\n",
	    NULL, 0,
	    "layout=google\n"
	    "-- line 2 record 1\n"
	    "name=Dr. Ann Lee\n"
	    "company=Acme\n"
	    "title=Boss\n"
	    "email=ann@home.example [home]\n"
	    "email=ann@work.example [work]\n"
	    "phone=+1 555 0199 [work,fax]\n"
	    "tag=Friends\n"
	    "extra=ADR;TYPE=home:;;1 Main St;Springfield;;12345;\n"
	    "extra=BDAY:19700131\n"
	    "extra=N:Lee;Ann;;Dr.;\n"
	    "extra=URL;TYPE=Blog:https://ann.example/blog\n");
}

static void
test_outlook_desktop(void **state)
{
	(void)state;
	/* Outlook's defaults (Unspecified, Normal, False, 0/0/00) are
	 * nothing; E-mail Type and Display Name are dropped; Categories
	 * split on ";"; Primary Phone comes first */
	expect_all(
	    "Title,First Name,Middle Name,Last Name,Suffix,Company,"
	    "Department,Job Title,Business Street,Business City,"
	    "Business Postal Code,Business Fax,Business Phone,"
	    "Mobile Phone,Primary Phone,Anniversary,Birthday,Categories,"
	    "E-mail Address,E-mail Type,E-mail Display Name,"
	    "E-mail 2 Address,E-mail 2 Type,Gender,Notes,Priority,Private,"
	    "Sensitivity,Web Page\n"
	    "Mr.,John,Q,Public,Jr.,Acme Corp,Sales,Rep,1 Way,Town,99999,"
	    "+1 555 0001,+1 555 0002,+1 555 0003,+1 555 0004,0/0/00,"
	    "4/30/1975,Clients;VIP,john@acme.example,SMTP,"
	    "John Public (john@acme.example),jq@home.example,SMTP,"
	    "Unspecified,,Normal,False,Normal,www.acme.example\n",
	    NULL, 0,
	    "layout=outlook\n"
	    "-- line 2 record 1\n"
	    "name=John Q Public\n"
	    "company=Acme Corp\n"
	    "title=Rep\n"
	    "email=john@acme.example []\n"
	    "email=jq@home.example []\n"
	    "phone=+1 555 0004 []\n"
	    "phone=+1 555 0001 [work,fax]\n"
	    "phone=+1 555 0002 [work]\n"
	    "phone=+1 555 0003 [cell]\n"
	    "tag=Clients\n"
	    "tag=VIP\n"
	    "extra=ADR;TYPE=work:;;1 Way;Town;;99999;\n"
	    "extra=BDAY:19750430\n"
	    "extra=N:Public;John;Q;Mr.;Jr.\n"
	    "extra=URL:www.acme.example\n"
	    "extra=X-TEND-CSV;X-COLUMN=Department:Sales\n");
}

static void
test_tend_layout(void **state)
{
	(void)state;
	expect_all(
	    "name,company,title,kind,emails,phones,tags,met_where,met_on,"
	    "via,source,needs,notes,tz,do_not_contact,cadence,last_touch\n"
	    "Ada Lovelace,Analytical,Countess,client,"
	    "ada@example.com ::: ada@home.example,+44 20 0000 0000,"
	    "vip ::: a;b,Royal Society,2026-03-01,Charles Babbage,referral,"
	    "an engine,\"two\nlines\",Europe/London,yes,6w,"
	    "2026-11-20T10:00:00Z\n"
	    "Bob,,,,,,,,,,,,,,,,\n",
	    NULL, 0,
	    "layout=tend\n"
	    "-- line 2 record 1\n"
	    "name=Ada Lovelace\n"
	    "company=Analytical\n"
	    "title=Countess\n"
	    "kind=client\n"
	    "met_where=Royal Society\n"
	    "met_on=2026-03-01T00:00:00+00:00\n"
	    "source=referral\n"
	    "needs=an engine\n"
	    "notes=two\nlines\n"
	    "tz=Europe/London\n"
	    "do_not_contact\n"
	    "email=ada@example.com []\n"
	    "email=ada@home.example []\n"
	    "phone=+44 20 0000 0000 []\n"
	    "tag=vip\n"
	    "tag=a;b\n"
	    "extra=X-TEND-CADENCE:6w\n"
	    "extra=X-TEND-VIA:Charles Babbage\n"
	    "-- line 4 record 2\n"
	    "name=Bob\n");
}

static void
test_generic_synonyms(void **state)
{
	(void)state;
	expect_all(
	    "Full Name,E-mail Address,Mobile,Organisation,Job Title,"
	    "Comments,Categories,Relationship,Where met,Date met,Source,"
	    "Needs,Time zone,Website,Birthday,Do not contact,Favourite "
	    "colour,Street,City,Country\n"
	    "Ann Lee,ann@x.example; ann@y.example,+1 555 0100 ; +1 555 0101,"
	    "Acme,CTO,likes tea,a;b,client,PyCon,30 May 2024,event,"
	    "a CRM,Europe/Paris,https://ann.example,--05-04,no,"
	    "blue; green,1 Rue,Paris,France\n",
	    NULL, 0,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann Lee\n"
	    "company=Acme\n"
	    "title=CTO\n"
	    "kind=client\n"
	    "met_where=PyCon\n"
	    "met_on=2024-05-30T00:00:00+00:00\n"
	    "source=event\n"
	    "needs=a CRM\n"
	    "notes=likes tea\n"
	    "tz=Europe/Paris\n"
	    "email=ann@x.example []\n"
	    "email=ann@y.example []\n"
	    "phone=+1 555 0100 [cell]\n"
	    "phone=+1 555 0101 [cell]\n"
	    "tag=a\n"
	    "tag=b\n"
	    "extra=ADR:;;1 Rue;Paris;;;France\n"
	    "extra=BDAY:--0504\n"
	    "extra=URL:https://ann.example\n"
	    "extra=X-TEND-CSV;X-COLUMN=Favourite colour:blue\\; green\n");
}

/* A column header with , ; : is quoted as a vCard parameter value. */
static void
test_extra_params(void **state)
{
	(void)state;
	expect_all("Name,\"Team: \"\"A\"\", B\",Empty\n"
	    "Ann,\"x,y\\z\",\n",
	    NULL, 0,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "extra=X-TEND-CSV;X-COLUMN=\"Team: ^'A^', B\":x\\,y\\\\z\n");
}

/* Dates in the forms exporters write them, and ones that are wrong. */
static void
test_dates(void **state)
{
	(void)state;
	expect_all("Name,Met on,Birthday\n"
	    "A,2024-02-29,1980-12-31\n"
	    "B,2024-02-29T10:00:00Z,19801231\n"
	    "C,\"Feb 29, 2024\",31.12.1980\n"
	    "D,29 February 2024,13/1/1980\n"
	    "E,2/29/2024,sometime in May\n"
	    "F,2023-02-29,\n"
	    "G,yesterday,\n"
	    "H,29 Foo 2024,\n",
	    NULL, 0,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=A\nmet_on=2024-02-29T00:00:00+00:00\n"
	    "extra=BDAY:19801231\n"
	    "-- line 3 record 2\n"
	    "name=B\nmet_on=2024-02-29T00:00:00+00:00\n"
	    "extra=BDAY:19801231\n"
	    "-- line 4 record 3\n"
	    "name=C\nmet_on=2024-02-29T00:00:00+00:00\n"
	    "extra=BDAY:19801231\n"
	    "-- line 5 record 4\n"
	    "name=D\nmet_on=2024-02-29T00:00:00+00:00\n"
	    "extra=BDAY:19800113\n"
	    "-- line 6 record 5\n"
	    "name=E\nmet_on=2024-02-29T00:00:00+00:00\n"
	    "extra=BDAY;VALUE=text:sometime in May\n"
	    "-- line 7 record 6\n"
	    "error t.csv: line 7 (record 6): invalid date '2023-02-29' in "
	    "column 'Met on'\n"
	    "-- line 8 record 7\n"
	    "error t.csv: line 8 (record 7): invalid date 'yesterday' in "
	    "column 'Met on'\n"
	    "-- line 9 record 8\n"
	    "error t.csv: line 9 (record 8): invalid date '29 Foo 2024' in "
	    "column 'Met on'\n");
	expect_all("name,emails,phones,do_not_contact\n"
	    "A,,,maybe\n",
	    NULL, 0,
	    "layout=tend\n"
	    "-- line 2 record 1\n"
	    "error t.csv: line 2 (record 1): invalid value 'maybe' in column "
	    "'do_not_contact' (expected yes or no)\n");
}

/* ---------------------------------------------------------------- */
/* Character sets */

static void
test_bom(void **state)
{
	static const char want[] =
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Zoë\n"
	    "email=z@example.com []\n";

	(void)state;
	expect_all("\xef\xbb\xbfName,Email\nZoë,z@example.com\n", NULL, 0,
	    want);
	expect_all("Name,Email\nZoë,z@example.com\n", NULL, 0, want);
	/* saved twice, two BOMs */
	expect_all("\xef\xbb\xbf\xef\xbb\xbfName,Email\nZoë,z@example.com\n",
	    NULL, 0, want);
}

static void
test_windows_1252(void **state)
{
	(void)state;
	/* é as E9, € as 80, ’ as 92; 81 is undefined: U+FFFD */
	expect_all("Name,Notes\nRen\xe9 L\x92" "Enfant,costs \x80" "5 \x81\n",
	    NULL, 0,
	    "layout=generic recoded\n"
	    "-- line 2 record 1\n"
	    "name=René L’Enfant\n"
	    "notes=costs €5 \xef\xbf\xbd\n");
	/* one bad byte at the very end is enough */
	expect_all("Name\nAnn\nZo\xeb\n", NULL, 0,
	    "layout=generic recoded\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "-- line 3 record 2\n"
	    "name=Zoë\n");
}

static void
test_utf16(void **state)
{
	(void)state;
	open_fails("\xff\xfeN\0a\0m\0e\0\n\0", NULL, 0,
	    "t.csv: the file is UTF-16, not UTF-8 (save it as CSV UTF-8)");
}

/* ---------------------------------------------------------------- */
/* Quoting, line ends, blank lines */

static void
test_quoting(void **state)
{
	static const char want[] =
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Smith, John\n"
	    "notes=He said \"hi\",\nthen left\n"
	    "-- line 4 record 2\n"
	    "name=O\"Brien\n"
	    "notes=plain\n"
	    "-- line 5 record 3\n"
	    "name=Last\n"
	    "notes=no newline at the end\n";

	(void)state;
	expect_all("Name,Notes\n"
	    "\"Smith, John\",\"He said \"\"hi\"\",\nthen left\"\n"
	    "O\"Brien,  plain  \n"
	    "Last,no newline at the end", NULL, 0, want);
	expect_all("Name,Notes\r\n"
	    "\"Smith, John\",\"He said \"\"hi\"\",\r\nthen left\"\r\n"
	    "O\"Brien,  plain  \r\n"
	    "Last,no newline at the end\r\n", NULL, 0,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Smith, John\n"
	    "notes=He said \"hi\",\r\nthen left\n"
	    "-- line 4 record 2\n"
	    "name=O\"Brien\n"
	    "notes=plain\n"
	    "-- line 5 record 3\n"
	    "name=Last\n"
	    "notes=no newline at the end\n");
	/* old Mac line ends */
	expect_all("Name,Notes\rA,1\rB,2\r", NULL, 0,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=A\nnotes=1\n"
	    "-- line 3 record 2\n"
	    "name=B\nnotes=2\n");
}

static void
test_blank_rows(void **state)
{
	(void)state;
	/* blank lines and rows of empty cells are not records; extra
	 * empty cells at the end of a row (Excel) are harmless */
	expect_all("\n\nName,Email,Phone\n\n"
	    "Ann,a@example.com,\n"
	    ",,\n"
	    "   \n"
	    "Bob,,,,\n"
	    ",\n"
	    "\n\n", NULL, 0,
	    "layout=generic\n"
	    "-- line 5 record 1\n"
	    "name=Ann\n"
	    "email=a@example.com []\n"
	    "-- line 8 record 3\n"
	    "name=Bob\n");
}

static void
test_ragged(void **state)
{
	(void)state;
	expect_all("Name,Email,Phone\n"
	    "Ann,a@example.com,1234\n"
	    "Bob,b@example.com\n"
	    "Cy,c@example.com,1,extra\n"
	    "\"Di\nDo\",d@example.com,5678\n", NULL, 0,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "email=a@example.com []\n"
	    "phone=1234 []\n"
	    "-- line 3 record 2\n"
	    "error t.csv: line 3 (record 2): 2 fields, the header has 3\n"
	    "-- line 4 record 3\n"
	    "error t.csv: line 4 (record 3): 4 fields, the header has 3\n"
	    "-- line 5 record 4\n"
	    "name=Di\nDo\n"
	    "email=d@example.com []\n"
	    "phone=5678 []\n");
}

static void
test_unclosed_quote(void **state)
{
	(void)state;
	expect_all("Name,Notes\n"
	    "Ann,ok\n"
	    "Bob,\"never closed\nmore\n", NULL, 0,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\nnotes=ok\n"
	    "-- line 3 record 2\n"
	    "error t.csv: line 3 (record 2): quoted field not closed at the "
	    "end of the file\n");
}

static void
test_binary(void **state)
{
	static const char nul_row[] = "Name,Notes\nA\0b,x\nBob,y\n";
	static const char nul_head[] = "Na\0me,Notes\nBob,y\n";
	struct csv_reader	*r = NULL;
	struct arena		*a;
	struct err		 e;
	FILE			*f;

	(void)state;
	f = mem(nul_row, sizeof nul_row - 1);
	r = open_ok(f, "UTC", NULL, 0);
	a = arena_new();
	expect_error(r, a, TEND_EINVAL,
	    "t.csv: line 2 (record 1): binary data (a NUL byte)");
	expect_next(r, a, 3, 2, "name=Bob\nnotes=y\n");
	expect_end(r, a);
	arena_free(a);
	csv_reader_free(r);
	fclose(f);

	f = mem(nul_head, sizeof nul_head - 1);
	assert_int_equal(csv_reader_new(f, "t.csv", "UTC", NULL, 0, &r, &e),
	    TEND_EINVAL);
	assert_string_equal(e.msg,
	    "t.csv: line 1: binary data (a NUL byte), not a CSV file");
	fclose(f);

	open_fails("\x01\x02\x03,\x04\x05\n", NULL, 0,
	    "t.csv: line 1: binary data, not a CSV file");
}

static void
test_no_header(void **state)
{
	(void)state;
	open_fails("", NULL, 0, "t.csv: no header line");
	open_fails("\n\r\n   \n", NULL, 0, "t.csv: no header line");
	open_fails("\xef\xbb\xbf", NULL, 0, "t.csv: no header line");
	open_fails(",,,\n,,\n", NULL, 0, "t.csv: no header line");
}

/* ---------------------------------------------------------------- */
/* Header detection */

static void
test_preamble(void **state)
{
	char	*maps[] = { "name=Nom" };

	(void)state;
	expect_all("Exported by SomeCRM\n"
	    "\"Generated on 2026-01-01, all contacts\"\n"
	    "\n"
	    "Name,Email,Company\n"
	    "Ann,a@example.com,Acme\n", NULL, 0,
	    "layout=generic\n"
	    "-- line 5 record 1\n"
	    "name=Ann\ncompany=Acme\nemail=a@example.com []\n");
	/* no line looks like a header: the first one is it; with no
	 * column that names a person, a record is an empty contact */
	expect_all("Nom,Courriel\nAnn,a@example.com\n", NULL, 0,
	    "layout=generic\n"
	    "-- line 2 record 1\n");
	expect_all("Nom,Courriel,Société\nAnn,a@example.com,Acme\n", maps,
	    1,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "extra=X-TEND-CSV;X-COLUMN=Courriel:a@example.com\n"
	    "extra=X-TEND-CSV;X-COLUMN=Société:Acme\n");
}

static void
test_delimiters(void **state)
{
	static const char want[] =
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann, Jr\ncompany=Acme; Co\nemail=a@example.com []\n";
	char	*maps[] = { "name=Nom" };

	(void)state;
	expect_all("Name;Email;Company\n"
	    "Ann, Jr;a@example.com;\"Acme; Co\"\n", NULL, 0, want);
	expect_all("Name\tEmail\tCompany\n"
	    "Ann, Jr\ta@example.com\tAcme; Co\n", NULL, 0, want);
	/* Excel's "sep=" line */
	expect_all("sep=;\r\nName;Email;Company\r\n"
	    "Ann, Jr;a@example.com;Acme; Co\r\n", NULL, 0,
	    "layout=generic\n"
	    "-- line 3 record 1\n"
	    "error t.csv: line 3 (record 1): 4 fields, the header has 3\n");
	expect_all("SEP=|\nName|Email|Company\n"
	    "Ann, Jr|a@example.com|Acme; Co\n", NULL, 0,
	    "layout=generic\n"
	    "-- line 3 record 1\n"
	    "name=Ann, Jr\ncompany=Acme; Co\nemail=a@example.com []\n");
	/* unknown names: the separator that splits the first row most */
	expect_all("Nom;Courriel\nAnn;a@example.com\n", maps, 1,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "extra=X-TEND-CSV;X-COLUMN=Courriel:a@example.com\n");
}

/* ---------------------------------------------------------------- */
/* --map */

static void
test_map(void **state)
{
	char *by_name[] = { "name=Nom", "email=courriel", "tags=Groupe",
	    "met_on=Quand" };
	char *by_number[] = { "name=1", "email = 2" };
	char *replace[] = { "email=Backup", "company=Email" };
	char *twice[] = { "email=A", "email=B" };

	(void)state;
	expect_all("Nom,Courriel,Groupe,Quand\n"
	    "Ann,a@example.com,x;y,2026-01-02\n", by_name, 4,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "met_on=2026-01-02T00:00:00+00:00\n"
	    "email=a@example.com []\n"
	    "tag=x\n"
	    "tag=y\n");
	expect_all("Nom,Courriel\nAnn,a@example.com\n", by_number, 2,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "email=a@example.com []\n");
	/* a rule replaces the column guessed for the field, which is
	 * then kept as an extra; here it becomes the company */
	expect_all("Name,Email,Backup\nAnn,Acme,a@example.com\n", replace, 2,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "company=Acme\n"
	    "email=a@example.com []\n");
	expect_all("Name,A,B\nAnn,a@example.com,b@example.com\n", twice, 2,
	    "layout=generic\n"
	    "-- line 2 record 1\n"
	    "name=Ann\n"
	    "email=a@example.com []\n"
	    "email=b@example.com []\n");
}

static void
test_map_errors(void **state)
{
	char *unknown_field[] = { "birthday=Name" };
	char *unknown_col[] = { "email=Mail" };
	char *bad_number[] = { "email=3" };
	char *no_eq[] = { "email" };

	(void)state;
	open_fails("Name,E\nAnn,a@b.c\n", unknown_field, 1,
	    "unknown field 'birthday' in --map (expected name, first_name, "
	    "last_name, email, phone, company, title, notes, tags, kind, "
	    "met_where, met_on, source, needs, tz)");
	open_fails("Name,E\nAnn,a@b.c\n", unknown_col, 1,
	    "no column 'Mail' in t.csv (columns: Name, E)");
	open_fails("Name,E\nAnn,a@b.c\n", bad_number, 1,
	    "no column '3' in t.csv (columns: Name, E)");
	open_fails("Name,E\nAnn,a@b.c\n", no_eq, 1,
	    "invalid --map 'email' (expected FIELD=COLUMN)");
}

static void
test_map_long_column_list(void **state)
{
	char		*rule[] = { "email=nope" };
	char		 head[4096], want[1024];
	struct csv_reader *r = NULL;
	struct err	 e;
	size_t		 n = 0;
	int		 i;
	FILE		*f;

	(void)state;
	for (i = 1; i <= 100; i++)
		n += (size_t)snprintf(head + n, sizeof head - n, "%sColumn "
		    "number %d", i > 1 ? "," : "", i);
	snprintf(head + n, sizeof head - n, "\n");
	f = str(head);
	assert_int_equal(csv_reader_new(f, "t.csv", "UTC", rule, 1, &r, &e),
	    TEND_EINVAL);
	snprintf(want, sizeof want, "no column 'nope' in t.csv (columns: "
	    "Column number 1, Column number 2, Column number 3, ");
	assert_memory_equal(e.msg, want, strlen(want));
	assert_non_null(strstr(e.msg, "\xe2\x80\xa6)"));
	assert_true(strlen(e.msg) < 500);
	fclose(f);
}

/* ---------------------------------------------------------------- */
/* The record limit */

/*
 * A stream of a header, a good record, a record of 200 MB on one line,
 * and another good record, made up as it is read: no disk, no memory.
 */
struct big {
	off_t	pos;
	off_t	size;
};

static const char big_head[] = "Name,Notes\nAnn,short\nBig,";
static const char big_tail[] = "\nBob,after\n";
#define BIG_LINE	((off_t)200 * 1024 * 1024)

static char
big_byte(off_t i)
{
	off_t	h = (off_t)sizeof big_head - 1;

	if (i < h)
		return big_head[i];
	if (i < h + BIG_LINE)
		return (i - h) % 1000 == 999 ? ',' : 'x';
	return big_tail[i - h - BIG_LINE];
}

static ssize_t
big_read(void *cookie, char *buf, size_t n)
{
	struct big	*b = cookie;
	off_t		 h = (off_t)sizeof big_head - 1;
	size_t		 i = 0, k;

	while (i < n && b->pos < b->size) {
		if (b->pos >= h && b->pos < h + BIG_LINE &&
		    (b->pos - h) % 1000 == 0 && n - i >= 1000 &&
		    b->pos + 1000 <= h + BIG_LINE) {
			/* a whole run of x and its comma at once */
			memset(buf + i, 'x', 999);
			buf[i + 999] = ',';
			k = 1000;
		} else {
			buf[i] = big_byte(b->pos);
			k = 1;
		}
		i += k;
		b->pos += (off_t)k;
	}
	return (ssize_t)i;
}

static int
big_seek(void *cookie, off64_t *off, int whence)
{
	struct big	*b = cookie;
	off_t		 to;

	if (whence == SEEK_SET)
		to = *off;
	else if (whence == SEEK_CUR)
		to = b->pos + *off;
	else
		to = b->size + *off;
	if (to < 0 || to > b->size)
		return -1;
	b->pos = to;
	*off = to;
	return 0;
}

static long
maxrss_kb(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void
test_limit_200mb(void **state)
{
	cookie_io_functions_t io = { big_read, NULL, big_seek, NULL };
	struct big		 b;
	struct csv_reader	*r;
	struct arena		*a;
	char			 want[200];
	long			 before;
	FILE			*f;

	(void)state;
	b.pos = 0;
	b.size = (off_t)sizeof big_head - 1 + BIG_LINE +
	    (off_t)sizeof big_tail - 1;
	f = fopencookie(&b, "r", io);
	assert_non_null(f);
	before = maxrss_kb();
	r = open_ok(f, "UTC", NULL, 0);
	a = arena_new();
	expect_next(r, a, 2, 1, "name=Ann\nnotes=short\n");
	snprintf(want, sizeof want, "t.csv: line 3 (record 2): record longer "
	    "than %d bytes", CSV_RECORD_MAX);
	expect_error(r, a, TEND_EINVAL, want);
	expect_next(r, a, 4, 3, "name=Bob\nnotes=after\n");
	expect_end(r, a);
	/* the reader kept about one record's worth, not 200 MB */
	assert_true(maxrss_kb() - before < 16 * 1024);
	arena_free(a);
	csv_reader_free(r);
	fclose(f);
}

/*
 * Over the limit inside quotes, with commas, quotes and line ends in the
 * long field: reading goes on at the record after it.
 */
static void
test_limit_quoted(void **state)
{
	struct csv_reader	*r;
	struct arena		*a;
	char			*text;
	size_t			 i, n, size = 20000;
	FILE			*f;

	(void)state;
	text = malloc(size);
	n = (size_t)snprintf(text, size, "Name,Notes\nAnn,short\nBig,\"");
	for (i = 0; i < 500; i++)
		n += (size_t)snprintf(text + n, size - n, "a,\"\"b\"\"\n");
	n += (size_t)snprintf(text + n, size - n,
	    "end\",\nBob,\"after\"\nBig2,");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, size - n, "xxxxxxxxxx");
	snprintf(text + n, size - n, "\r\nCy,last");
	f = str(text);
	r = open_ok(f, "UTC", NULL, 0);
	csv_reader_limit(r, 1000);
	a = arena_new();
	expect_next(r, a, 2, 1, "name=Ann\nnotes=short\n");
	expect_error(r, a, TEND_EINVAL,
	    "t.csv: line 3 (record 2): record longer than 1000 bytes");
	expect_next(r, a, 504, 3, "name=Bob\nnotes=after\n");
	expect_error(r, a, TEND_EINVAL,
	    "t.csv: line 505 (record 4): record longer than 1000 bytes");
	expect_next(r, a, 506, 5, "name=Cy\nnotes=last\n");
	expect_end(r, a);
	arena_free(a);
	csv_reader_free(r);
	fclose(f);
	free(text);
}

/* ---------------------------------------------------------------- */
/* Memory does not grow with the file */

static void
test_memory_200k(void **state)
{
	struct csv_reader	*r;
	struct arena		*a;
	struct contact		*c;
	struct err		 e;
	long			 before;
	FILE			*f;
	int			 i, rc, n = 0;

	(void)state;
	if (UNDER_ASAN)
		skip();		/* ASan keeps freed memory in quarantine */
	f = tmpfile();
	assert_non_null(f);
	fprintf(f, "Name,Email,Phone,Company,Tags,Notes\n");
	for (i = 0; i < 200000; i++)
		fprintf(f, "Person %d,p%d@example.com,+1 555 %04d,Company %d,"
		    "a;b,\"Some notes, with a comma\"\n", i, i, i % 10000,
		    i % 500);
	rewind(f);
	before = maxrss_kb();
	r = open_ok(f, "UTC", NULL, 0);
	a = arena_new();
	while ((rc = csv_read(r, a, &c, &e)) == 1) {
		if (++n % 1000 == 0) {
			arena_free(a);
			a = arena_new();
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 200000);
	assert_true(maxrss_kb() - before < 4 * 1024);
	arena_free(a);
	csv_reader_free(r);
	fclose(f);
}

/* ---------------------------------------------------------------- */
/* The writer, and reading its output back */

static char *
written(enum csv_layout layout, const struct contact *const *cs, size_t n,
    const char *tz)
{
	struct err	 e;
	char		*buf = NULL;
	size_t		 len = 0, i;
	FILE		*f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	if (csv_write_header(f, layout, &e) != 0)
		fail_msg("csv_write_header: %s", e.msg);
	for (i = 0; i < n; i++)
		if (csv_write_contact(f, layout, cs[i], tz, &e) != 0)
			fail_msg("csv_write_contact: %s", e.msg);
	fclose(f);
	return buf;
}

static char *ada_emails[] = { "ada@example.com", "ada@home.example" };
static char *ada_phones[] = { "+44 20 0000 0000" };
static char *ada_tags[] = { "vip", "math" };

static void
ada(struct contact *c)
{
	memset(c, 0, sizeof *c);
	c->name = "Ada Lovelace";
	c->company = "Analytical, Ltd";
	c->title = "Countess";
	c->kind = "client";
	c->emails.v = ada_emails;
	c->emails.n = 2;
	c->phones.v = ada_phones;
	c->phones.n = 1;
	c->tags.v = ada_tags;
	c->tags.n = 2;
	c->met_where = "Royal Society";
	c->met_on = 1772323200;		/* 2026-03-01T00:00:00Z */
	c->via_name = "Charles Babbage";
	c->source = "referral";
	c->needs = "A \"difference\" engine";
	c->notes = "Line 1\nLine 2";
	c->tz = "Europe/London";
	c->do_not_contact = 1;
	c->cadence = "6w";
	c->last_touch = 1795168800;	/* 2026-11-20T10:00:00Z */
}

static void
test_write_tend(void **state)
{
	struct contact		 c, bare;
	const struct contact	*cs[2] = { &c, &bare };
	char			*out;

	(void)state;
	ada(&c);
	memset(&bare, 0, sizeof bare);
	bare.name = " spaced ";
	out = written(CSV_TEND, cs, 2, "UTC");
	assert_string_equal(out,
	    "name,company,title,kind,emails,phones,tags,met_where,met_on,via,"
	    "source,needs,notes,tz,do_not_contact,cadence,last_touch\n"
	    "Ada Lovelace,\"Analytical, Ltd\",Countess,client,"
	    "ada@example.com ::: ada@home.example,+44 20 0000 0000,"
	    "vip ::: math,Royal Society,2026-03-01,Charles Babbage,referral,"
	    "\"A \"\"difference\"\" engine\",\"Line 1\nLine 2\","
	    "Europe/London,yes,6w,2026-11-20T10:00:00Z\n"
	    "\" spaced \",,,,,,,,,,,,,,,,\n");
	free(out);
	/* met_on is the day in the zone given */
	out = written(CSV_TEND, cs, 1, "America/New_York");
	assert_non_null(strstr(out, ",Royal Society,2026-02-28,"));
	free(out);
}

static void
test_roundtrip_tend(void **state)
{
	struct contact		 c;
	const struct contact	*cs[1] = { &c };
	char			*out, *got;

	(void)state;
	ada(&c);
	out = written(CSV_TEND, cs, 1, "UTC");
	got = read_all(out, "UTC", NULL, 0);
	assert_string_equal(got,
	    "layout=tend\n"
	    "-- line 2 record 1\n"
	    "name=Ada Lovelace\n"
	    "company=Analytical, Ltd\n"
	    "title=Countess\n"
	    "kind=client\n"
	    "met_where=Royal Society\n"
	    "met_on=2026-03-01T00:00:00+00:00\n"
	    "source=referral\n"
	    "needs=A \"difference\" engine\n"
	    "notes=Line 1\nLine 2\n"
	    "tz=Europe/London\n"
	    "do_not_contact\n"
	    "email=ada@example.com []\n"
	    "email=ada@home.example []\n"
	    "phone=+44 20 0000 0000 []\n"
	    "tag=vip\n"
	    "tag=math\n"
	    "extra=X-TEND-CADENCE:6w\n"
	    "extra=X-TEND-VIA:Charles Babbage\n");
	free(got);
	free(out);
}

static char *mj_emails[] = { "mj@work.example", "mj@home.example",
    "mj@other.example", "mj2@other.example" };
static char *mj_elabels[] = { "work", "home", "other", "other" };
static char *mj_phones[] = { "+34 600 000 000", "+34 91 000 00 00" };
static char *mj_plabels[] = { "cell", "work,fax" };
static char *mj_tags[] = { "friends", "Leads" };
static struct contact_extra mj_extras[] = {
	{ NULL, "N", NULL, "García López;María José;;Dra.;" },
	{ NULL, "BDAY", NULL, "19850415" },
	{ NULL, "NICKNAME", NULL, "Majo\\, la jefa" },
	{ NULL, "ADR", "TYPE=work",
	    ";;Calle Mayor 1\\nPiso 2;Madrid;;28013;Spain" },
	{ NULL, "URL", "TYPE=Blog", "https://mj.example/blog" }
};
static char *bo_emails[] = { "bo@example.com" };
static char *bo_tags[] = { "x" };

static void
test_write_google(void **state)
{
	struct contact		 c;
	const struct contact	*cs[1] = { &c };
	char			*out;

	(void)state;
	memset(&c, 0, sizeof c);
	c.name = "Bo Li";
	c.emails.v = bo_emails;
	c.emails.n = 1;
	c.tags.v = bo_tags;
	c.tags.n = 1;
	out = written(CSV_GOOGLE, cs, 1, "UTC");
	assert_string_equal(out,
	    "\xef\xbb\xbf"
	    "First Name,Middle Name,Last Name,Name Prefix,Name Suffix,"
	    "Nickname,Organization Name,Organization Title,Birthday,Notes,"
	    "Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,"
	    "E-mail 2 - Value,E-mail 3 - Label,E-mail 3 - Value,"
	    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
	    "Phone 3 - Label,Phone 3 - Value,Address 1 - Label,"
	    "Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
	    "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,"
	    "Address 1 - Country,Address 1 - Extended Address,"
	    "Website 1 - Label,Website 1 - Value\n"
	    "Bo,,Li,,,,,,,,x ::: * myContacts,\"* \",bo@example.com"
	    ",,,,,,,,,,,,,,,,,,,,,\n");
	free(out);
}

static void
test_roundtrip_google(void **state)
{
	struct contact		 c, bo, co;
	const struct contact	*cs[3] = { &c, &bo, &co };
	char			*out, *got;

	(void)state;
	memset(&c, 0, sizeof c);
	c.name = "María José García López";
	c.company = "Ayuntamiento, S.A.";
	c.title = "Jefa";
	c.notes = "Says \"hola\",\nthen goes";
	c.emails.v = mj_emails;
	c.emails.label = mj_elabels;
	c.emails.n = 4;
	c.phones.v = mj_phones;
	c.phones.label = mj_plabels;
	c.phones.n = 2;
	c.tags.v = mj_tags;
	c.tags.n = 2;
	c.extras = mj_extras;
	c.nextras = 5;
	memset(&bo, 0, sizeof bo);
	bo.name = "Bo Li";
	bo.emails.v = bo_emails;
	bo.emails.n = 1;
	memset(&co, 0, sizeof co);
	co.company = "Only A Company";
	out = written(CSV_GOOGLE, cs, 3, "UTC");
	got = read_all(out, "UTC", NULL, 0);
	assert_string_equal(got,
	    "layout=google\n"
	    "-- line 2 record 1\n"
	    "name=María José García López\n"
	    "company=Ayuntamiento, S.A.\n"
	    "title=Jefa\n"
	    "notes=Says \"hola\",\nthen goes\n"
	    "email=mj@work.example [work]\n"
	    "email=mj@home.example [home]\n"
	    "email=mj@other.example [other]\n"
	    "email=mj2@other.example [other]\n"
	    "phone=+34 600 000 000 [cell]\n"
	    "phone=+34 91 000 00 00 [work,fax]\n"
	    "tag=friends\n"
	    "tag=Leads\n"
	    "extra=ADR;TYPE=work:;;Calle Mayor 1\\nPiso 2;Madrid;;28013;"
	    "Spain\n"
	    "extra=BDAY:19850415\n"
	    "extra=N:García López;María José;;Dra.;\n"
	    "extra=NICKNAME:Majo\\, la jefa\n"
	    "extra=URL;TYPE=Blog:https://mj.example/blog\n"
	    "-- line 9 record 2\n"
	    "name=Bo Li\n"
	    "email=bo@example.com []\n"
	    "-- line 10 record 3\n"
	    "company=Only A Company\n");
	free(got);
	free(out);
}

static void
test_write_errors(void **state)
{
	struct contact	 c;
	struct err	 e;
	FILE		*f;

	(void)state;
	memset(&c, 0, sizeof c);
	f = tmpfile();
	assert_int_equal(csv_write_header(f, CSV_OUTLOOK, &e), TEND_EINVAL);
	assert_string_equal(e.msg,
	    "cannot write the outlook CSV layout (tend or google)");
	assert_int_equal(csv_write_contact(f, CSV_LINKEDIN, &c, NULL, &e),
	    TEND_EINVAL);
	fclose(f);
	/* a stream that cannot be written */
	f = fopen("/dev/full", "w");
	if (f == NULL)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	c.name = "Ann";
	assert_int_equal(csv_write_contact(f, CSV_TEND, &c, NULL, &e),
	    TEND_EIO);
	assert_non_null(strstr(e.msg, "cannot write CSV: "));
	fclose(f);
}

static void
test_layout_names(void **state)
{
	(void)state;
	assert_string_equal(csv_layout_name(CSV_TEND), "tend");
	assert_string_equal(csv_layout_name(CSV_GOOGLE), "google");
	assert_string_equal(csv_layout_name(CSV_OUTLOOK), "outlook");
	assert_string_equal(csv_layout_name(CSV_LINKEDIN), "linkedin");
	assert_string_equal(csv_layout_name(CSV_GENERIC), "generic");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_google),
		cmocka_unit_test(test_corpus_linkedin),
		cmocka_unit_test(test_corpus_linkedin_zone),
		cmocka_unit_test(test_corpus_outlook),
		cmocka_unit_test(test_google_old),
		cmocka_unit_test(test_outlook_desktop),
		cmocka_unit_test(test_tend_layout),
		cmocka_unit_test(test_generic_synonyms),
		cmocka_unit_test(test_extra_params),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_blank_rows),
		cmocka_unit_test(test_ragged),
		cmocka_unit_test(test_unclosed_quote),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_no_header),
		cmocka_unit_test(test_preamble),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_map_errors),
		cmocka_unit_test(test_map_long_column_list),
		cmocka_unit_test(test_limit_200mb),
		cmocka_unit_test(test_limit_quoted),
		cmocka_unit_test(test_memory_200k),
		cmocka_unit_test(test_write_tend),
		cmocka_unit_test(test_roundtrip_tend),
		cmocka_unit_test(test_write_google),
		cmocka_unit_test(test_roundtrip_google),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_layout_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
