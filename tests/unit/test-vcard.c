/*
 * Unit tests for interop/vcard: every file of the shared vCard corpus
 * with the contacts and fields it must give, round trips through the
 * writer (4.0 and 3.0) and an independent parser (python3-vobject), and
 * the failure paths: each error with its card and line, and the reader
 * going on with the next card.
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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "interop/vcard.h"
#include "util/arena.h"
#include "util/err.h"

/* Tests run from the project root. */
#define CORPUS		"../shared/corpus/vcard/"
#define VOBJECT_CHECK	"tests/interop/vobject-check.py"
#define MAXCARDS	16

/* What a file gave: its cards, warnings and errors in order. */
struct deck {
	struct arena	*a;
	struct contact	*c[MAXCARDS];
	char		*warn[MAXCARDS];
	size_t		 n;
	char		 err[MAXCARDS][ERR_MSG_MAX];
	unsigned	 errcard[MAXCARDS];
	size_t		 nerr;
	int		 missing;
};

static void
deck_read(struct deck *d, FILE *f, const char *name)
{
	struct vcard_reader	*r;
	struct contact		*c;
	struct err		 e;
	const char		*w;
	int			 rc, guard = 0;

	memset(d, 0, sizeof *d);
	d->a = arena_new();
	r = vcard_reader_new(f, name);
	while ((rc = vcard_read(r, d->a, &c, &e)) != 0) {
		if (++guard > 1000)
			fail_msg("%s: the reader does not stop", name);
		if (rc < 0) {
			assert_int_equal(rc, TEND_EINVAL);
			assert_null(c);
			assert_true(d->nerr < MAXCARDS);
			snprintf(d->err[d->nerr], ERR_MSG_MAX, "%s", e.msg);
			d->errcard[d->nerr++] = vcard_reader_card(r);
			continue;
		}
		assert_int_equal(rc, 1);
		assert_non_null(c);
		assert_true(d->n < MAXCARDS);
		w = vcard_reader_warning(r);
		d->warn[d->n] = w != NULL ? arena_strdup(d->a, w) : NULL;
		d->c[d->n++] = c;
	}
	/* and it stays at the end */
	assert_int_equal(vcard_read(r, d->a, &c, &e), 0);
	vcard_reader_free(r);
}

/* Read a corpus file; a missing corpus skips the test. */
static int
deck_file(struct deck *d, const char *file)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof path, CORPUS "%s", file);
	f = fopen(path, "rb");
	if (f == NULL) {
		print_message("skipped: cannot open %s; run from the project "
		    "root with ../shared beside it\n", path);
		memset(d, 0, sizeof *d);
		d->missing = 1;
		return -1;
	}
	deck_read(d, f, file);
	fclose(f);
	return 0;
}

static void
deck_str(struct deck *d, const char *text)
{
	FILE	*f;

	f = fmemopen((void *)(uintptr_t)text, strlen(text), "rb");
	assert_non_null(f);
	deck_read(d, f, "t.vcf");
	fclose(f);
}

/* The same, for text with NUL bytes in it. */
static void
deck_mem(struct deck *d, const char *text, size_t n)
{
	FILE	*f;

	f = fmemopen((void *)(uintptr_t)text, n, "rb");
	assert_non_null(f);
	deck_read(d, f, "t.vcf");
	fclose(f);
}

static void
deck_free(struct deck *d)
{
	arena_free(d->a);
	d->a = NULL;
}

#define SKIP_IF_MISSING(d) do {						\
	if ((d)->missing) {						\
		skip();							\
		return;							\
	}								\
} while (0)

static void
check_str(const char *what, const char *got, const char *want)
{
	if (got == NULL && want == NULL)
		return;
	if (got == NULL || want == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", what,
		    got != NULL ? got : "(null)",
		    want != NULL ? want : "(null)");
}

/* want: NULL-terminated "value" or "value|label". */
#define LIST(...)	((const char *const[]){ __VA_ARGS__, NULL })
#define NONE		((const char *const[]){ NULL })

static void
check_list(const char *what, const struct strlist *l,
    const char *const *want)
{
	const char	*bar, *label;
	char		 v[512];
	size_t		 i, n;

	for (n = 0; want[n] != NULL; n++)
		;
	if (l->n != n)
		fail_msg("%s: %zu values, want %zu", what, l->n, n);
	for (i = 0; i < n; i++) {
		bar = strchr(want[i], '|');
		snprintf(v, sizeof v, "%.*s", bar != NULL ?
		    (int)(bar - want[i]) : (int)strlen(want[i]), want[i]);
		check_str(what, l->v[i], v);
		label = l->label != NULL ? l->label[i] : NULL;
		check_str(what, label, bar != NULL ? bar + 1 : NULL);
	}
}

static size_t
count_extras(const struct contact *c, const char *name)
{
	size_t	i, n = 0;

	for (i = 0; i < c->nextras; i++)
		if (strcmp(c->extras[i].name, name) == 0)
			n++;
	return n;
}

/* An extra with exactly this group, name, params and value. */
static void
expect_extra(const struct contact *c, const char *group, const char *name,
    const char *params, const char *value)
{
	const struct contact_extra	*x;
	size_t				 i;

	for (i = 0; i < c->nextras; i++) {
		x = &c->extras[i];
		if (strcmp(x->name, name) != 0)
			continue;
		if ((group == NULL) != (x->group == NULL) ||
		    (group != NULL && strcmp(group, x->group) != 0))
			continue;
		if ((params == NULL) != (x->params == NULL) ||
		    (params != NULL && strcmp(params, x->params) != 0))
			continue;
		if (strcmp(value, x->value) == 0)
			return;
	}
	fail_msg("no extra %s%s%s;%s:%s", group != NULL ? group : "",
	    group != NULL ? "." : "", name, params != NULL ? params : "",
	    value);
}

/* The first extra called name; its value starts with prefix. */
static const struct contact_extra *
expect_extra_prefix(const struct contact *c, const char *name,
    const char *params, const char *prefix)
{
	size_t	i;

	for (i = 0; i < c->nextras; i++) {
		if (strcmp(c->extras[i].name, name) != 0)
			continue;
		check_str(name, c->extras[i].params, params);
		if (strncmp(c->extras[i].value, prefix, strlen(prefix)) != 0)
			fail_msg("%s: '%.60s' does not start with '%s'", name,
			    c->extras[i].value, prefix);
		return &c->extras[i];
	}
	fail_msg("no extra %s", name);
	return NULL;
}

static void
check_prefix(const char *what, const char *got, const char *prefix)
{
	if (got == NULL || strncmp(got, prefix, strlen(prefix)) != 0)
		fail_msg("%s: '%.60s' does not start with '%s'", what,
		    got != NULL ? got : "(null)", prefix);
}

static void
check_suffix(const char *what, const char *got, const char *suffix)
{
	size_t	n = got != NULL ? strlen(got) : 0, m = strlen(suffix);

	if (got == NULL || n < m || strcmp(got + n - m, suffix) != 0)
		fail_msg("%s: '...%s' does not end with '%s'", what,
		    got != NULL && n > 40 ? got + n - 40 : got, suffix);
}

/* "Ñ" n times, with sep between. */
static const char *
enye(struct arena *a, int n, const char *sep)
{
	size_t	 seplen = strlen(sep), o = 0;
	char	*s = arena_alloc(a, (size_t)n * (2 + seplen) + 1);
	int	 i;

	for (i = 0; i < n; i++) {
		memcpy(s + o, "\xc3\x91", 2);
		o += 2;
		if (i + 1 < n) {
			memcpy(s + o, sep, seplen);
			o += seplen;
		}
	}
	s[o] = '\0';
	return s;
}

/* ------------------------------------------------------------------ */
/* The corpus, file by file.                                           */

static void
test_corpus_android(void **state)
{
	struct deck		 d;
	struct contact		*c;
	const char		*s;

	(void)state;
	deck_file(&d, "android-2.1-qp-utf8-multi.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 6);

	c = d.c[0];
	assert_null(c->name);
	check_list("emails", &c->emails, LIST("john.doe@company.com"));
	check_list("tags", &c->tags, LIST("My Contacts"));
	assert_int_equal(c->nextras, 0);
	c = d.c[1];
	assert_null(c->name);
	check_list("emails", &c->emails, LIST("jane.doe@company.com"));

	/* QP UTF-8 names; FN wins over N; TEL;CELL;PREF */
	c = d.c[2];
	check_str("name", c->name, enye(d.a, 5, " "));
	check_list("phones", &c->phones, LIST("123456789|cell"));
	check_list("tags", &c->tags, LIST("My Contacts"));
	expect_extra(c, NULL, "N", NULL, arena_printf(d.a, "%s ;;;;",
	    enye(d.a, 4, " ")));
	assert_int_equal(c->nextras, 1);

	/* soft line breaks; two NOTEs joined by a blank line */
	c = d.c[3];
	check_str("name", c->name, enye(d.a, 11, " "));
	check_list("phones", &c->phones, LIST("123456|cell", "234567|home",
	    "3456789|cell", "45678901|home"));
	s = arena_printf(d.a, "%s%s%s", enye(d.a, 8, " "), enye(d.a, 8, " "),
	    enye(d.a, 5, " "));
	check_str("notes", c->notes, arena_printf(d.a, "%s\n\n%s", s, s));

	/* a damaged base64 photo is kept (and said so) */
	c = d.c[4];
	check_str("name", c->name, enye(d.a, 4, " "));
	check_str("company", c->company, enye(d.a, 12, ""));
	check_list("emails", &c->emails, LIST("bob@company.com|work",
	    enye(d.a, 14, "")));
	check_list("phones", &c->phones, LIST("123456|cell", "123456|work",
	    "123456|work,fax"));
	assert_int_equal(c->tags.n, 0);
	expect_extra(c, NULL, "N", NULL, arena_printf(d.a, "%s ;%s ;;;",
	    enye(d.a, 2, " "), enye(d.a, 3, " ")));
	expect_extra(c, NULL, "ORG", NULL, enye(d.a, 12, ""));
	expect_extra(c, NULL, "URL", NULL, "www.company.com");
	expect_extra(c, NULL, "URL", NULL, "http://www.company.com");
	expect_extra_prefix(c, "PHOTO", NULL,
	    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQ");
	assert_int_equal(c->nextras, 5);
	check_prefix("warning", d.warn[4], "android-2.1-qp-utf8-multi.vcf: "
	    "card 5, line 52: PHOTO: base64 data cut short");

	/* three ORGs: the first is the company; a stray byte in the
	 * second, which says CHARSET=UTF-8, becomes U+FFFD */
	c = d.c[5];
	check_str("name", c->name, enye(d.a, 4, ""));
	check_str("company", c->company, enye(d.a, 44, ""));
	check_list("emails", &c->emails, LIST("henry@company.com"));
	check_list("phones", &c->phones, LIST("55556666|cell"));
	check_list("tags", &c->tags, LIST("My Contacts"));
	assert_int_equal(count_extras(c, "ORG"), 2);
	expect_extra(c, NULL, "ORG", NULL, arena_printf(d.a, "%s\xef\xbf\xbd",
	    enye(d.a, 44, "")));
	expect_extra(c, NULL, "ORG", NULL, enye(d.a, 44, ""));
	check_str("warning", d.warn[5], "android-2.1-qp-utf8-multi.vcf: "
	    "card 6, line 82: ORG is not valid UTF-8: 1 byte replaced with "
	    "U+FFFD");
	assert_null(d.warn[0]);
	deck_free(&d);
}

static const char bsd_start[] = "THIS SOFTWARE IS PROVIDED BY THE "
    "COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\" AND ANY EXPRESS OR "
    "IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED "
    "WARRANTIES OF MERCHANTABILITY";

static void
test_corpus_evolution(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "evolution-3.0.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Mr. John Richter, James Doe Sr.");
	check_str("company", c->company, "IBM");
	check_str("title", c->title, "Money Counter");
	check_prefix("notes", c->notes, bsd_start);
	check_suffix("notes", c->notes, "(INCLUDING NEGLIGENCE OR OTHERWISE) "
	    "ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF "
	    "ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.");
	check_list("emails", &c->emails, LIST("john.doe@ibm.com|work"));
	check_list("phones", &c->phones, LIST("905-666-1234|cell",
	    "905-555-1234|work"));
	check_list("tags", &c->tags, LIST("VIP"));
	expect_extra(c, NULL, "X-COUCHDB-APPLICATION-ANNOTATIONS", NULL,
	    "{\"Evolution\":{\"revision\":\"2012-03-05T13:32:54Z\"}}");
	expect_extra(c, NULL, "X-AIM", "TYPE=home;X-COUCHDB-UUID=\""
	    "cb9e11fc-bb97-4222-9cd8-99820c1de454\"", "johnny5@aol.com");
	expect_extra(c, NULL, "URL", "X-COUCHDB-UUID=\"0abc9b8d-0845-47d0-"
	    "9a91-3db5bb74620d\"", "http://www.ibm.com");
	expect_extra(c, NULL, "UID", NULL, "477343c8e6bf375a9bac1f96a5000837");
	expect_extra(c, NULL, "N", NULL, "Doe;John;Richter\\, James;Mr.;Sr.");
	expect_extra(c, NULL, "X-EVOLUTION-FILE-AS", NULL, "Doe\\, John");
	expect_extra(c, NULL, "NICKNAME", NULL, "Johny");
	expect_extra(c, NULL, "X-EVOLUTION-SPOUSE", NULL, "Maria");
	expect_extra(c, NULL, "ORG", NULL, "IBM;Accounting;Dungeon");
	expect_extra(c, NULL, "X-EVOLUTION-MANAGER", NULL, "Big Blue");
	expect_extra(c, NULL, "X-EVOLUTION-ASSISTANT", NULL, "Little Red");
	/* a fold takes one blank: "United^M  States" */
	expect_extra(c, NULL, "ADR", "TYPE=home", "ASB-123;;15 Crescent moon "
	    "drive;Albaney;New York;12345;United States of America");
	expect_extra(c, NULL, "BDAY", NULL, "1980-03-22");
	expect_extra(c, NULL, "X-EVOLUTION-ANNIVERSARY", NULL, "1980-03-22");
	expect_extra(c, NULL, "REV", NULL, "2012-03-05T13:32:54Z");
	assert_int_equal(c->nextras, 15);
	deck_free(&d);
}

static void
test_corpus_ezvcard(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "ezvcard-4.0-fullcontact.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Prefix FirstName MiddleName LastName "
	    "Suffix");
	check_str("company", c->company, "Organization1");
	check_str("title", c->title, "Title1");
	check_str("notes", c->notes, "Notes line 1\nNotes line 2");
	check_list("emails", &c->emails, LIST("home@example.com|home",
	    "work@example.com|work", "school@example.com|school",
	    "other@example.com|other", "custom@example.com|customtype"));
	check_list("phones", &c->phones, LIST("555-555-1111|home",
	    "555-555-1112|work", "555-555-1113|cell", "555-555-1114|cell",
	    "555-555-1115", "555-555-1116|home,fax", "555-555-1117|work,fax",
	    "555-555-1118", "555-555-1119"));
	check_list("tags", &c->tags, LIST("Tag"));
	expect_extra(c, NULL, "N", NULL, "LastName;FirstName;MiddleName;"
	    "Prefix;Suffix");
	assert_int_equal(count_extras(c, "PHOTO"), 3);
	expect_extra(c, NULL, "PHOTO", NULL, "https://d2ojpxxtu63wzl.cloudfront"
	    ".net/static/aa915d1f29f19baf560e5491decdd30a_67c95da9133249fde8b"
	    "0da7ceebc298bf680117e6f52054f7f5f7a95e8377238");
	expect_extra(c, NULL, "ORG", NULL, "Organization1;Department1");
	expect_extra(c, NULL, "ORG", NULL, "Organization2;Department2");
	expect_extra(c, NULL, "TITLE", NULL, "Title2");
	expect_extra(c, NULL, "BDAY", "ALTID=1", "20160801");
	expect_extra(c, NULL, "BDAY", "ALTID=1;VALUE=text", "2016-08-01");
	expect_extra(c, NULL, "GENDER", NULL, "M");
	expect_extra(c, NULL, "X-FCENCODED-582D46432D52656C617465644E616D65733A"
	    "417373697374616E74", NULL, "Assistant");
	assert_int_equal(count_extras(c, "URL"), 4);
	expect_extra(c, NULL, "ADR", "TYPE=customtype", ";CustomExtended;"
	    "CustomStreet;CustomCity;CustomState;CustomPostal;CustomCountry");
	expect_extra(c, NULL, "IMPP", "X-SERVICE-TYPE=CustomTYPE",
	    "customtype:custom");
	assert_int_equal(count_extras(c, "IMPP"), 7);
	assert_int_equal(c->nextras, 48);
	deck_free(&d);
}

static void
test_corpus_gmail(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "gmail-3.0.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Mr. John Richter, James Doe Sr.");
	check_str("company", c->company, "IBM");
	check_str("title", c->title, "Money Counter");
	/* Google's \" is a quote */
	check_prefix("notes", c->notes, bsd_start);
	check_suffix("notes", c->notes, "SUCH DAMAGE.\nFavotire Color: Blue");
	check_list("emails", &c->emails, LIST("john.doe@ibm.com|home"));
	check_list("phones", &c->phones, LIST("905-555-1234|cell",
	    "905-666-1234|home"));
	assert_int_equal(c->tags.n, 0);
	expect_extra(c, NULL, "N", NULL, "Doe;John;Richter\\, James;Mr.;Sr.");
	expect_extra(c, NULL, "X-PHONETIC-FIRST-NAME", NULL, "Jon");
	expect_extra(c, NULL, "X-PHONETIC-LAST-NAME", NULL, "Dow");
	expect_extra(c, NULL, "ADR", "TYPE=home", ";Crescent moon drive\\n"
	    "555-asd\\nNice Area\\, Albaney\\, New York 12345\\nUnited States "
	    "of America;;;;;");
	expect_extra(c, NULL, "BDAY", NULL, "1980-03-22");
	/* Google's http\:// */
	expect_extra(c, NULL, "URL", "TYPE=work", "http://www.ibm.com");
	expect_extra(c, "item1", "X-ABDATE", NULL, "1975-03-01");
	expect_extra(c, "item1", "X-ABLABEL", NULL, "_$!<Anniversary>!$_");
	expect_extra(c, "item2", "X-ABRELATEDNAMES", NULL, "Jenny");
	expect_extra(c, "item2", "X-ABLABEL", NULL, "_$!<Spouse>!$_");
	assert_int_equal(c->nextras, 10);
	deck_free(&d);
}

static void
test_corpus_gmail_itemgroups(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "gmail-3.0-itemgroups.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Greg Dartmouth");
	check_str("company", c->company, "TheCompany");
	check_str("title", c->title, "TheJobTitle");
	check_str("notes", c->notes, "This is GMail's note field.\nIt should "
	    "be added as a NOTE type.\nACustomField: CustomField");
	check_list("emails", &c->emails, LIST("gdartmouth@hotmail.com"));
	/* item1.TEL takes item1.X-ABLabel as its label */
	check_list("phones", &c->phones, LIST("555 555 1111|cell",
	    "555 555 2222|GRAND_CENTRAL"));
	/* N is what the writer derives from the name: not kept */
	assert_int_equal(count_extras(c, "N"), 0);
	expect_extra(c, NULL, "NICKNAME", NULL, "Gman");
	expect_extra(c, NULL, "X-ICQ", NULL, "123456789");
	expect_extra(c, NULL, "ADR", "TYPE=home",
	    ";;123 Home St\\nHome City\\, HM 12345;;;;");
	expect_extra(c, "item2", "ADR", NULL, ";;321 Custom St;Custom City;TX;"
	    "98765;USA");
	expect_extra(c, "item2", "X-ABLABEL", NULL, "CustomAdrType");
	expect_extra(c, NULL, "BDAY", NULL, "1960-09-10");
	expect_extra(c, "item3", "URL", NULL, "http://TheProfile.com");
	expect_extra(c, "item6", "X-ABRELATEDNAMES", NULL, "MyCustom");
	expect_extra(c, "item6", "X-ABLABEL", NULL, "CustomRelationship");
	assert_int_equal(count_extras(c, "X-ABLABEL"), 5);
	assert_int_equal(c->nextras, 16);
	deck_free(&d);
}

static void
test_corpus_gmail_list(void **state)
{
	struct deck	d;

	(void)state;
	deck_file(&d, "gmail-3.0-list.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 3);
	check_str("name", d.c[0]->name, "Arnold Smith");
	check_list("emails", &d.c[0]->emails, LIST("asmithk@gmail.com"));
	check_str("name", d.c[1]->name, "Chris Beatle");
	check_list("emails", &d.c[1]->emails, LIST("chrisy55d@yahoo.com"));
	/* the last card has no line end after END:VCARD */
	check_str("name", d.c[2]->name, "Doug White");
	check_list("emails", &d.c[2]->emails, LIST("dwhite@gmail.com"));
	assert_int_equal(d.c[0]->nextras + d.c[1]->nextras +
	    d.c[2]->nextras, 0);
	deck_free(&d);
}

static void
test_corpus_iphone(void **state)
{
	struct deck			 d;
	struct contact			*c;
	const struct contact_extra	*x;

	(void)state;
	deck_file(&d, "iphone-ios5-3.0-photo.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Mr. John Richter James Doe Sr.");
	check_str("company", c->company, "IBM");
	check_str("title", c->title, "Money Counter");
	check_list("emails", &c->emails, LIST("john.doe@ibm.com"));
	check_list("phones", &c->phones, LIST("905-555-1234|cell",
	    "905-666-1234|home", "905-777-1234|work", "905-888-1234|home,fax",
	    "905-999-1234|work,fax", "905-111-1234|pager",
	    "905-222-1234|AssistantPhone"));
	expect_extra(c, NULL, "N", NULL, "Doe;John;Richter,James;Mr.;Sr.");
	expect_extra(c, NULL, "ORG", NULL, "IBM;Accounting");
	expect_extra(c, "item3", "ADR", "TYPE=home;PREF=1", ";;Silicon Alley "
	    "5,;New York;New York;12345;United States of America");
	expect_extra(c, "item4", "X-ABADR", NULL, "Street 4, Building 6,\\n "
	    "Floor 8\\nNew York\\nUSA");
	expect_extra(c, "item5", "URL", "PREF=1", "http://www.ibm.com");
	expect_extra(c, "item5", "X-ABLABEL", NULL, "_$!<HomePage>!$_");
	expect_extra(c, NULL, "BDAY", "VALUE=date", "2012-06-06");
	/* ~600 folded lines of base64 become one data: URI */
	x = expect_extra_prefix(c, "PHOTO", NULL, "data:image/jpeg;base64,"
	    "/9j/4AAQSkZJRgABAQAAAQABAAD/4QBYRXhpZgAATU0AKgAAAAgAAgESAAMAAAAB");
	check_suffix("photo", x->value, "9T9mwR4XxpqYOf+gBff/Gq/BGil7KIe1Z//"
	    "9k=");
	assert_null(strpbrk(x->value, " \t\r\n"));
	assert_int_equal(strlen(x->value), 23 + 43376);
	assert_int_equal(c->nextras, 11);
	deck_free(&d);
}

static void
test_corpus_outlook(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "outlook-2.1-qp-photo.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Mr. John Richter James Doe Sr.");
	check_str("company", c->company, "IBM");
	check_str("title", c->title, "Money Counter");
	check_prefix("notes", c->notes, "THIS SOFTWARE IS PROVIDED BY GEORGE "
	    "EL-HADDAD ''AS IS'' AND ANY EXPRESS");
	/* EMAIL;PREF;INTERNET: no label */
	check_list("emails", &c->emails, LIST("john.doe@ibm.cm"));
	check_list("phones", &c->phones, LIST("(905) 555-1234|work",
	    "(905) 666-1234|home"));
	expect_extra(c, NULL, "N", "LANGUAGE=en-us", "Doe;John;Richter,James;"
	    "Mr.;Sr.");
	expect_extra(c, NULL, "ORG", NULL, "IBM;Accounting");
	expect_extra(c, NULL, "ADR", "TYPE=work;PREF=1", ";;Cresent moon "
	    "drive;Albaney;New York;12345;United States of America");
	/* 2.1 QP with =0D=0A and a soft break; its comma escaped for 4.0 */
	expect_extra(c, NULL, "LABEL", "TYPE=work;PREF=1", "Cresent moon "
	    "drive\\nAlbaney\\, New York  12345");
	expect_extra(c, NULL, "ADR", "TYPE=home", ";;Silicon Alley 5\\,;New "
	    "York;New York;12345;United States of America");
	expect_extra(c, NULL, "LABEL", "TYPE=home", "Silicon Alley 5\\,\\nNew "
	    "York\\, New York  12345");
	expect_extra(c, NULL, "URL", "TYPE=work", "http://www.ibm.com");
	expect_extra(c, NULL, "ROLE", NULL, "Counting Money");
	expect_extra(c, NULL, "BDAY", NULL, "19800322");
	expect_extra(c, NULL, "X-MS-IMADDRESS", NULL, "johny5@aol.com");
	expect_extra_prefix(c, "PHOTO", NULL, "data:image/jpeg;base64,/9j/4AAQ"
	    "SkZJRgABAQEAYABgAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQ"
	    "YGBcUFhYaHSUf");
	expect_extra_prefix(c, "X-MS-OL-DESIGN", NULL, "<card xmlns=\""
	    "http://schemas.microsoft.com/office/outlook/12/electronicbusiness"
	    "cards\" ver=\"1.0\"");
	expect_extra(c, NULL, "X-MS-ASSISTANT", NULL, "Jenny");
	expect_extra(c, NULL, "REV", NULL, "20120305T131933Z");
	assert_int_equal(c->nextras, 18);
	deck_free(&d);
}

static void
test_corpus_outlook2007(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "outlook2007-2.1-charset-photo.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Mr. Michael Angstadt Jr.");
	check_str("company", c->company, "TheCompany");
	check_str("title", c->title, "TheJobTitle");
	/* CHARSET=us-ascii, QP, a literal tab */
	check_str("notes", c->notes, "This is the NOTE field\t\nI assume it "
	    "encodes this text inside a NOTE vCard type.\nBut I'm not sure "
	    "because there's text formatting going on here.\nIt does not "
	    "preserve the formatting");
	check_list("emails", &c->emails, LIST("mike.angstadt@gmail.com"));
	check_list("phones", &c->phones, LIST("(111) 555-1111|work",
	    "(111) 555-2222|home", "(111) 555-4444|cell",
	    "(111) 555-3333|work,fax"));
	expect_extra(c, NULL, "N", "LANGUAGE=en-us", "Angstadt;Michael;;Mr.;"
	    "Jr.");
	expect_extra(c, NULL, "ORG", NULL, "TheCompany;TheDepartment");
	expect_extra(c, NULL, "X-MS-TEL", "TYPE=voice,callback",
	    "(111) 555-4444");
	expect_extra(c, NULL, "LABEL", "TYPE=work;PREF=1", "222 Broadway\\n"
	    "New York\\, NY 99999\\nUSA");
	expect_extra(c, NULL, "URL", "TYPE=home", "http://mikeangstadt.name");
	expect_extra(c, NULL, "URL", "TYPE=work", "http://mikeangstadt.name");
	expect_extra(c, NULL, "BDAY", NULL, "19220310");
	/* KEY;X509;ENCODING=BASE64 */
	expect_extra_prefix(c, "KEY", NULL, "data:application/x-x509-ca-cert;"
	    "base64,MIIB/jCCAWugAwIBAgIQDdkWkvA2cqtGkw2P4zAoZDAJBgUrDgMCHQUA");
	expect_extra_prefix(c, "PHOTO", NULL, "data:image/jpeg;base64,/9j/");
	expect_extra(c, NULL, "X-MS-SPOUSE", NULL, "TheSpouse");
	expect_extra(c, NULL, "FBURL", NULL, "http://website.com/mycal");
	assert_int_equal(c->nextras, 21);
	deck_free(&d);
}

static void
test_corpus_rfc2426(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "rfc2426-3.0-example.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 2);
	c = d.c[0];
	check_str("name", c->name, "Frank Dawson");
	check_str("company", c->company, "Lotus Development Corporation");
	check_list("emails", &c->emails, LIST("Frank_Dawson@Lotus.com",
	    "fdawson@earthlink.net"));
	check_list("phones", &c->phones, LIST("+1-919-676-9515|msg,work",
	    "+1-919-676-9564|fax,work"));
	expect_extra(c, NULL, "ADR", "TYPE=work,postal,parcel", ";;6544 "
	    "Battleford Drive;Raleigh;NC;27613-3502;U.S.A.");
	expect_extra(c, NULL, "URL", NULL, "http://home.earthlink.net/"
	    "~fdawson");
	assert_int_equal(c->nextras, 2);
	c = d.c[1];
	check_str("name", c->name, "Tim Howes");
	check_str("company", c->company, "Netscape Communications Corp.");
	check_list("emails", &c->emails, LIST("howes@netscape.com"));
	check_list("phones", &c->phones, LIST("+1-415-937-3419|msg,work",
	    "+1-415-528-4164|fax,work"));
	expect_extra(c, NULL, "ADR", "TYPE=work", ";;501 E. Middlefield Rd.;"
	    "Mountain View;CA; 94043;U.S.A.");
	assert_int_equal(c->nextras, 1);
	deck_free(&d);
}

static void
test_corpus_rfc6350(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "rfc6350-4.0-example.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Simon Perreault");
	check_str("company", c->company, "Viagenie");
	check_list("emails", &c->emails, LIST(
	    "simon.perreault@viagenie.ca|work"));
	/* tel: URIs, TYPE="work,voice", PREF=1 */
	check_list("phones", &c->phones, LIST(
	    "+1-418-656-9254 ext. 102|work",
	    "+1-418-262-6501|work,cell,video,text"));
	assert_null(c->tz);
	expect_extra(c, NULL, "N", NULL, "Perreault;Simon;;;ing. jr,M.Sc.");
	expect_extra(c, NULL, "BDAY", NULL, "--0203");
	expect_extra(c, NULL, "ANNIVERSARY", NULL, "20090808T1430-0500");
	expect_extra(c, NULL, "LANG", "PREF=1", "fr");
	expect_extra(c, NULL, "LANG", "PREF=2", "en");
	/* ORG with a parameter: the company, and kept as it was */
	expect_extra(c, NULL, "ORG", "TYPE=work", "Viagenie");
	expect_extra(c, NULL, "ADR", "TYPE=work", ";Suite D2-630;2875 Laurier;"
	    "Quebec;QC;G1V 2M2;Canada");
	expect_extra(c, NULL, "GEO", "TYPE=work", "geo:46.772673,-71.282945");
	expect_extra(c, NULL, "KEY", "TYPE=work", "http://www.viagenie.ca/"
	    "simon.perreault/simon.asc");
	/* a UTC offset is no zone name */
	expect_extra(c, NULL, "TZ", NULL, "-0500");
	expect_extra(c, NULL, "URL", "TYPE=home", "http://nomis80.org");
	assert_int_equal(c->nextras, 12);
	deck_free(&d);
}

static void
test_corpus_multilang(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_file(&d, "vobject-4.0-multilang-ja.vcf");
	SKIP_IF_MISSING(&d);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Yamada Taro");
	expect_extra(c, NULL, "FN", "ALTID=1;LANGUAGE=en", "Yamada Taro");
	expect_extra(c, NULL, "FN", "ALTID=1;LANGUAGE=ja",
	    "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e");
	expect_extra(c, NULL, "N", "ALTID=1;LANGUAGE=en", "Yamada;Taro;;;");
	expect_extra(c, NULL, "N", "ALTID=1;LANGUAGE=ja;SORT-AS=\"yamada,"
	    "taro\"", "\xe5\xb1\xb1\xe7\x94\xb0;\xe5\xa4\xaa\xe9\x83\x8e;;;");
	expect_extra(c, NULL, "UID", NULL, "urn:uuid:multilang-vcard-example");
	assert_int_equal(c->nextras, 5);
	deck_free(&d);
}

/* ------------------------------------------------------------------ */
/* Round trips.                                                        */

static const char *const corpus_files[] = {
	"android-2.1-qp-utf8-multi.vcf", "evolution-3.0.vcf",
	"ezvcard-4.0-fullcontact.vcf", "gmail-3.0-itemgroups.vcf",
	"gmail-3.0-list.vcf", "gmail-3.0.vcf", "iphone-ios5-3.0-photo.vcf",
	"outlook-2.1-qp-photo.vcf", "outlook2007-2.1-charset-photo.vcf",
	"rfc2426-3.0-example.vcf", "rfc6350-4.0-example.vcf",
	"vobject-4.0-multilang-ja.vcf", NULL
};

static void
same_list(const char *what, const struct strlist *a, const struct strlist *b)
{
	size_t	i;

	if (a->n != b->n)
		fail_msg("%s: %zu values, then %zu", what, a->n, b->n);
	for (i = 0; i < a->n; i++) {
		check_str(what, b->v[i], a->v[i]);
		check_str(what, b->label != NULL ? b->label[i] : NULL,
		    a->label != NULL ? a->label[i] : NULL);
	}
}

/* Every field of b as in a. */
static void
same_contact(const struct contact *a, const struct contact *b)
{
	size_t	i;

	check_str("name", b->name, a->name);
	check_str("company", b->company, a->company);
	check_str("title", b->title, a->title);
	check_str("kind", b->kind, a->kind);
	check_str("tz", b->tz, a->tz);
	check_str("met_where", b->met_where, a->met_where);
	check_str("source", b->source, a->source);
	check_str("needs", b->needs, a->needs);
	check_str("notes", b->notes, a->notes);
	assert_int_equal(b->met_on, a->met_on);
	assert_int_equal(b->do_not_contact, a->do_not_contact);
	same_list("emails", &a->emails, &b->emails);
	same_list("phones", &a->phones, &b->phones);
	same_list("tags", &a->tags, &b->tags);
	if (a->nextras != b->nextras)
		fail_msg("%zu extras, then %zu", a->nextras, b->nextras);
	for (i = 0; i < a->nextras; i++) {
		check_str("extra group", b->extras[i].group,
		    a->extras[i].group);
		check_str("extra name", b->extras[i].name, a->extras[i].name);
		check_str("extra params", b->extras[i].params,
		    a->extras[i].params);
		check_str("extra value", b->extras[i].value,
		    a->extras[i].value);
	}
}

/* Write c as version, read it back: one card, no error, no warning. */
static struct contact *
round_trip(struct arena *a, const struct contact *c, int version,
    char **text)
{
	struct vcard_reader	*r;
	struct contact		*back, *more;
	struct err		 e;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f;
	int			 rc;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	rc = vcard_write(f, c, version, &e);
	if (rc != 0)
		fail_msg("vcard_write: %s", e.msg);
	fclose(f);
	f = fmemopen(buf, len, "rb");
	assert_non_null(f);
	r = vcard_reader_new(f, "out.vcf");
	rc = vcard_read(r, a, &back, &e);
	if (rc != 1)
		fail_msg("reading back %d: %s\n%s", version, e.msg, buf);
	assert_null(vcard_reader_warning(r));
	assert_int_equal(vcard_read(r, a, &more, &e), 0);
	vcard_reader_free(r);
	fclose(f);
	if (text != NULL)
		*text = arena_strndup(a, buf, len);
	free(buf);
	return back;
}

static void
test_round_trip_corpus(void **state)
{
	struct deck	 d;
	size_t		 i, k, cards = 0;
	int		 v;

	(void)state;
	for (k = 0; corpus_files[k] != NULL; k++) {
		if (deck_file(&d, corpus_files[k]) != 0) {
			skip();
			return;
		}
		for (i = 0; i < d.n; i++)
			for (v = 30; v <= 40; v += 10)
				same_contact(d.c[i], round_trip(d.a, d.c[i],
				    v, NULL));
		cards += d.n;
		deck_free(&d);
	}
	assert_int_equal(cards, 20);
}

/* The writer's own output, line by line: CRLF, at most 75 octets, a
 * continuation starts with a space, no UTF-8 sequence is cut. */
static void
check_folding(const char *text)
{
	const char	*p = text, *nl;
	size_t		 n;

	while (*p != '\0') {
		nl = strstr(p, "\r\n");
		assert_non_null(nl);
		n = (size_t)(nl - p);
		if (n > 75)
			fail_msg("line of %zu octets: %.*s", n, (int)n, p);
		assert_null(memchr(p, '\n', n));
		/* a line never starts with a continuation byte */
		assert_false(n > 0 && p[0] == ' ' && n > 1 &&
		    ((unsigned char)p[1] & 0xc0) == 0x80);
		assert_false(n > 0 && ((unsigned char)p[n - 1] & 0xc0) == 0xc0);
		p = nl + 2;
	}
}

static void
test_round_trip_fields(void **state)
{
	struct arena		*a = arena_new();
	struct contact		 c, *b;
	struct contact_extra	 x[3];
	char			*ev[] = { "ann@example.com", "a.b@example.org",
				    "c@example.net" };
	char			*el[] = { "work", "Assistant, Berlin", NULL };
	char			*pv[] = { "+49 30 1234", "555-1111" };
	char			*pl[] = { "cell,fax", "Werkstatt" };
	char			*tv[] = { "vip", "berlin-2026" };
	char			*text;
	int			 v;

	(void)state;
	memset(&c, 0, sizeof c);
	c.name = "Ann-Kathrin Müller-Lüdenscheidt, Jr.";
	c.company = "Müller; Söhne \\ Töchter, GmbH";
	c.title = "Head of Everything";
	c.kind = "client";
	c.tz = "Europe/Berlin";
	c.met_where = "Web Summit, Lisbon";
	c.met_on = 1795424400;		/* 2026-11-23T09:00:00Z */
	c.source = "event";
	c.needs = "a CRM\nthat works";
	c.notes = "Line one\nLine two; with, punctuation\\ and a long tail "
	    "that goes on and on past seventy-five octets: ÄÖÜ äöü ß 山田太郎 "
	    "山田太郎 山田太郎 山田太郎 山田太郎 山田太郎 山田太郎";
	c.do_not_contact = 1;
	c.emails.v = ev;
	c.emails.label = el;
	c.emails.n = 3;
	c.phones.v = pv;
	c.phones.label = pl;
	c.phones.n = 2;
	c.tags.v = tv;
	c.tags.n = 2;
	memset(x, 0, sizeof x);
	x[0].name = "BDAY";
	x[0].value = "1980-03-22";
	x[1].group = "item1";
	x[1].name = "ADR";
	x[1].params = "TYPE=home;PREF=1";
	x[1].value = ";;Street 1\\nBack;City;;12345;DE";
	x[2].name = "PHOTO";
	x[2].value = "data:image/png;base64,iVBORw0KGgo=";
	c.extras = x;
	c.nextras = 3;
	for (v = 30; v <= 40; v += 10) {
		b = round_trip(a, &c, v, &text);
		same_contact(&c, b);
		check_folding(text);
		/* the item groups of custom labels skip item1 */
		assert_non_null(strstr(text, "item2.EMAIL"));
		assert_non_null(strstr(text, "X-TEND-MET-ON:20261123T090000Z"));
		assert_non_null(strstr(text, "X-TEND-DNC:1\r\n"));
		/* the last word is the family name */
		assert_non_null(strstr(text, "N:Jr.;Ann-Kathrin "
		    "Müller-Lüdenscheidt\\,;;;\r\n"));
		assert_non_null(strstr(text, "ORG:Müller\\; Söhne \\\\ Töchter"
		    "\\, GmbH\r\n"));
		if (v == 30) {
			assert_non_null(strstr(text, "VERSION:3.0\r\n"));
			assert_non_null(strstr(text, "EMAIL;TYPE=INTERNET,work,"
			    "pref:ann@example.com\r\n"));
			assert_non_null(strstr(text, "TZ;VALUE=text:"
			    "Europe/Berlin\r\n"));
			assert_non_null(strstr(text, "PHOTO;ENCODING=b;"
			    "TYPE=PNG:iVBORw0KGgo=\r\n"));
			assert_non_null(strstr(text,
			    "item1.ADR;TYPE=home,pref:"));
		} else {
			assert_non_null(strstr(text, "VERSION:4.0\r\n"));
			assert_non_null(strstr(text, "EMAIL;TYPE=work;PREF=1:"
			    "ann@example.com\r\n"));
			assert_non_null(strstr(text, "TEL;TYPE=cell,fax;"
			    "PREF=1:+49 30 1234\r\n"));
			assert_non_null(strstr(text, "item3.TEL:555-1111\r\n"
			    "item3.X-ABLabel:Werkstatt\r\n"));
			assert_non_null(strstr(text, "item2.X-ABLabel:Assistant"
			    "\\, Berlin\r\n"));
			assert_non_null(strstr(text, "TZ:Europe/Berlin\r\n"));
			assert_non_null(strstr(text, "PHOTO:data:image/png;"
			    "base64,iVBORw0KGgo=\r\n"));
		}
	}
	arena_free(a);
}

/* A contact with nothing but a name: N is derived and not kept. */
static void
test_write_minimal(void **state)
{
	struct arena	*a = arena_new();
	struct contact	 c, *b;
	char		*text;

	(void)state;
	memset(&c, 0, sizeof c);
	c.name = "Cher";
	b = round_trip(a, &c, 40, &text);
	same_contact(&c, b);
	assert_string_equal(text, "BEGIN:VCARD\r\nVERSION:4.0\r\n"
	    "PRODID:-//tend//tend//EN\r\nFN:Cher\r\nN:;Cher;;;\r\n"
	    "END:VCARD\r\n");
	c.name = NULL;
	b = round_trip(a, &c, 30, &text);
	same_contact(&c, b);
	assert_non_null(strstr(text, "FN:\r\nN:;;;;\r\n"));
	assert_int_equal(vcard_write(stdout, &c, 21, NULL), TEND_EINVAL);
	arena_free(a);
}

/* The lines vobject gives for each card we export. */
static void
test_vobject_reads_export(void **state)
{
	struct deck	 d;
	struct arena	*a;
	char		 path[] = "/tmp/tend-vcard-XXXXXX";
	char		 cmd[512], line[4096];
	char		*want = NULL, *got;
	size_t		 wlen = 0, glen, i, k, j;
	FILE		*f, *w, *p;
	int		 fd, v, rc;

	(void)state;
	if (access("/usr/bin/python3", X_OK) != 0) {
		print_message("skipped: no /usr/bin/python3\n");
		skip();
		return;
	}
	a = arena_new();
	for (v = 30; v <= 40; v += 10) {
		fd = mkstemp(path);
		assert_true(fd >= 0);
		f = fdopen(fd, "wb");
		w = open_memstream(&want, &wlen);
		for (k = 0; corpus_files[k] != NULL; k++) {
			if (deck_file(&d, corpus_files[k]) != 0)
				break;
			for (i = 0; i < d.n; i++) {
				const struct contact	*c = d.c[i];

				assert_int_equal(vcard_write(f, c, v, NULL), 0);
				fprintf(w, "%s|", c->name != NULL ? c->name :
				    "");
				for (j = 0; j < c->emails.n; j++)
					fprintf(w, "%s%s", j > 0 ? "," : "",
					    c->emails.v[j]);
				fputc('|', w);
				for (j = 0; j < c->phones.n; j++)
					fprintf(w, "%s%s", j > 0 ? "," : "",
					    c->phones.v[j]);
				fputc('\n', w);
			}
			deck_free(&d);
		}
		fclose(f);
		fclose(w);
		snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s 2>&1",
		    VOBJECT_CHECK, path);
		p = popen(cmd, "r");
		assert_non_null(p);
		got = NULL;
		glen = 0;
		w = open_memstream(&got, &glen);
		while (fgets(line, sizeof line, p) != NULL)
			fputs(line, w);
		fclose(w);
		rc = pclose(p);
		unlink(path);
		memcpy(path + strlen(path) - 6, "XXXXXX", 6);
		if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) {
			print_message("skipped: %s", got);
			free(got);
			free(want);
			arena_free(a);
			skip();
			return;
		}
		if (rc != 0 || strcmp(got, want) != 0)
			fail_msg("vobject (%d) read our %d export as:\n%s\n"
			    "want:\n%s", rc, v, got, want);
		free(got);
		free(want);
		want = NULL;
	}
	arena_free(a);
}

/* ------------------------------------------------------------------ */
/* Forms of the input.                                                 */

static void
test_types_and_pref(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_str(&d, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:T\r\n"
	    "TEL;TYPE=work,voice:1\r\n"
	    "TEL;TYPE=\"home,fax\":2\r\n"
	    "TEL;type=CELL;type=VIDEO:3\r\n"
	    "TEL;CELL;PREF:4\r\n"
	    "TEL;VALUE=uri;TYPE=work:tel:+1-555-0100;ext=7;phone-context=x\r\n"
	    "EMAIL;TYPE=INTERNET,X400:a@x\r\n"
	    "EMAIL;PREF=1:mailto:b@x\r\n"
	    "EMAIL:mailto: MAILTO:d@x\r\n"
	    "TEL:tel: tel:5\r\n"
	    "item7.EMAIL;TYPE=work:c@x\r\n"
	    "ITEM7.X-ABLABEL:_$!<Other>!$_\r\n"
	    "END:VCARD\r\n");
	assert_int_equal(d.nerr, 0);
	c = d.c[0];
	/* the first preferred moves to the front, the rest keep order */
	check_list("phones", &c->phones, LIST("4|cell", "1|work", "2|home,fax",
	    "3|cell,video", "+1-555-0100 ext. 7|work", "5"));
	check_list("emails", &c->emails, LIST("b@x", "a@x", "d@x",
	    "c@x|Other"));
	assert_int_equal(c->nextras, 0);
	deck_free(&d);
}

static void
test_line_forms(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	/* BOM, LF and CRCRLF line ends, tab folding, mixed case, blank
	 * lines, properties in any order, VERSION last */
	deck_str(&d, "\xef\xbb\xbf\r\n\r\nbegin:vCard\r\r\n"
	    "note:one\r\n\t two\n"
	    "Fn:Ann\r\n  Lee\r\n"
	    "\r\n"
	    "x-custom;x-param=\"a:b;c\":v\\,w\r\n"
	    "CATEGORIES:a\\,b, c ,,c\r\n"
	    "CATEGORIES:d\r\n"
	    "NOTE:three\r\n"
	    "TZ:Europe/Berlin\r\n"
	    "TZ:America/Nowhere_Land\r\n"
	    "VERSION:4.0\r\n"
	    "End:VCARD\r\n\r\n");
	assert_int_equal(d.nerr, 0);
	assert_int_equal(d.n, 1);
	c = d.c[0];
	check_str("name", c->name, "Ann Lee");
	check_str("notes", c->notes, "one two\n\nthree");
	check_list("tags", &c->tags, LIST("a,b", "c", "d"));
	check_str("tz", c->tz, "Europe/Berlin");
	expect_extra(c, NULL, "X-CUSTOM", "X-PARAM=\"a:b;c\"", "v\\,w");
	expect_extra(c, NULL, "TZ", NULL, "America/Nowhere_Land");
	assert_int_equal(c->nextras, 2);
	deck_free(&d);
}

static void
test_charsets(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_str(&d, "BEGIN:VCARD\r\nVERSION:2.1\r\n"
	    "N;CHARSET=ISO-8859-1:M\xfcller;J\xfcrgen\r\n"
	    "ORG;CHARSET=windows-1252;ENCODING=QUOTED-PRINTABLE:=80 & Co=\r\n"
	    ".\\; Ltd;Sales=3BSupport\r\n"
	    "TITLE;CHARSET=\"utf-8\":Gesch\xc3\xa4" "ftsf\xc3\xbchrer\r\n"
	    "NOTE;QUOTED-PRINTABLE;CHARSET=UTF-8:a=0D=0Ab, c; d\\e\r\n"
	    "END:VCARD\r\n");
	assert_int_equal(d.nerr, 0);
	c = d.c[0];
	/* no FN: the name from N */
	check_str("name", c->name, "J\xc3\xbcrgen M\xc3\xbcller");
	check_str("company", c->company, "\xe2\x82\xac & Co.; Ltd");
	check_str("title", c->title, "Gesch\xc3\xa4" "ftsf\xc3\xbchrer");
	check_str("notes", c->notes, "a\nb, c; d\\e");
	assert_null(d.warn[0]);
	/* the 2.1 N and ORG, kept in 4.0 form */
	expect_extra(c, NULL, "N", NULL, "M\xc3\xbcller;J\xc3\xbcrgen");
	expect_extra(c, NULL, "ORG", NULL, "\xe2\x82\xac & Co.\\; Ltd;Sales;"
	    "Support");
	assert_int_equal(c->nextras, 2);
	deck_free(&d);
}

static void
test_binary_values(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_str(&d, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P\r\n"
	    "PHOTO;ENCODING=b;TYPE=PNG;TYPE=work:iVBO Rw0K\r\n Ggo\r\n"
	    "LOGO;ENCODING=b:/9j/4A\r\n"
	    "SOUND;ENCODING=b;TYPE=audio/x-foo:AAAA\r\n"
	    "PHOTO;VALUE=uri:https://example.com/a.jpg\r\n"
	    "NOTE;ENCODING=b:aGVsbG8=\r\n"
	    "GEO:1.5;-2\r\n"
	    "END:VCARD\r\n");
	assert_int_equal(d.nerr, 0);
	c = d.c[0];
	expect_extra(c, NULL, "PHOTO", "TYPE=work",
	    "data:image/png;base64,iVBORw0KGgo=");
	/* no TYPE: the first bytes say JPEG */
	expect_extra(c, NULL, "LOGO", NULL, "data:image/jpeg;base64,/9j/4A==");
	expect_extra(c, NULL, "SOUND", NULL, "data:audio/x-foo;base64,AAAA");
	expect_extra(c, NULL, "PHOTO", NULL, "https://example.com/a.jpg");
	expect_extra(c, NULL, "GEO", NULL, "geo:1.5,-2");
	check_str("notes", c->notes, "hello");
	deck_free(&d);
}

static void
test_sniff(void **state)
{
	(void)state;
	assert_true(vcard_sniff("BEGIN:VCARD\r\n", 13));
	assert_true(vcard_sniff("\xef\xbb\xbf\r\n  begin:vcard", 20));
	assert_false(vcard_sniff("BEGIN:VCAR", 10));
	assert_false(vcard_sniff("Name,E-mail\r\n", 13));
	assert_false(vcard_sniff("", 0));
}

/* ------------------------------------------------------------------ */
/* Failure paths: the message, then the next card.                     */

static const char good[] = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good\r\n"
    "END:VCARD\r\n";

/*
 * bad, then a good card: one error with the message msg, and the good
 * card read after it.  card is the card vcard_reader_card() names.
 */
static void
check_bad(const char *bad, size_t badlen, const char *msg, unsigned card)
{
	struct deck	 d;
	char		*text;

	text = malloc(badlen + sizeof good);
	assert_non_null(text);
	memcpy(text, bad, badlen);
	memcpy(text + badlen, good, sizeof good);
	deck_mem(&d, text, badlen + sizeof good - 1);
	if (d.nerr != 1)
		fail_msg("%zu errors (%s), want 1: %s", d.nerr, d.err[0], msg);
	check_str("error", d.err[0], msg);
	assert_int_equal(d.errcard[0], card);
	assert_int_equal(d.n, 1);
	check_str("name", d.c[0]->name, "Good");
	deck_free(&d);
	free(text);
}

#define BAD(text, msg, card)	check_bad(text, sizeof text - 1, msg, card)

static void
test_errors_structure(void **state)
{
	struct deck	d;

	(void)state;
	BAD("BEGIN:VCARD\r\nFN:Lost\r\n",
	    "t.vcf: card 1, line 3: no END:VCARD before BEGIN:VCARD", 1);
	BAD("END:VCARD\r\n",
	    "t.vcf: line 1: END:VCARD without BEGIN:VCARD", 0);
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nno colon here\r\n"
	    "END:VCARD\r\n",
	    "t.vcf: card 1, line 4: line has no ':' ('no colon here')", 1);
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nBAD NAME:x\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 3: bad property name 'BAD NAME'", 1);
	BAD("BEGIN:VCARD\r\nVERSION:5.0\r\nFN:X\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 2: unknown VERSION '5.0'", 1);
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nBEGIN:VCALENDAR\r\n"
	    "END:VCALENDAR\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 3: 'BEGIN:VCALENDAR' inside a card", 1);
	BAD("hello\r\n\r\nmore junk\r\n",
	    "t.vcf: line 1: text outside BEGIN:VCARD and END:VCARD ('hello')",
	    0);

	/* a card cut short at the end of the file */
	deck_str(&d, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lost\r\n");
	assert_int_equal(d.n, 0);
	assert_int_equal(d.nerr, 1);
	check_str("error", d.err[0], "t.vcf: card 1, line 3: no END:VCARD "
	    "before the end of the file");
	deck_free(&d);
	deck_str(&d, "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\n"
	    "FN:B");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.nerr, 1);
	check_str("error", d.err[0], "t.vcf: card 2, line 5: no END:VCARD "
	    "before the end of the file");
	assert_int_equal(d.errcard[0], 2);
	deck_free(&d);

	/* an empty file, or only blank lines: no cards, no error */
	deck_str(&d, "");
	assert_int_equal(d.n + d.nerr, 0);
	deck_free(&d);
	deck_str(&d, "\r\n \r\n\t\n");
	assert_int_equal(d.n + d.nerr, 0);
	deck_free(&d);
}

static void
test_errors_values(void **state)
{
	(void)state;
	BAD("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:X\r\n"
	    "NOTE;ENCODING=QUOTED-PRINTABLE:abc=ZZ\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 4: bad quoted-printable in NOTE", 1);
	BAD("BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;QUOTED-PRINTABLE:a=00b\r\n"
	    "END:VCARD\r\n",
	    "t.vcf: card 1, line 3: NUL byte in NOTE", 1);
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\n"
	    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/*AAQ\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 4: bad base64 in PHOTO", 1);
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\n"
	    "PHOTO;ENCODING=b:AAAA=AAA\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 4: bad base64 in PHOTO", 1);
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE;ENCODING=b:aGVs\r\n"
	    " b\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 3: bad base64 in NOTE", 1);
	BAD("BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=KLINGON:x\r\n"
	    "END:VCARD\r\n",
	    "t.vcf: card 1, line 3: unknown charset 'KLINGON' in FN", 1);
	BAD("BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=../../etc:x\r\n"
	    "END:VCARD\r\n",
	    "t.vcf: card 1, line 3: unknown charset '../../etc' in FN", 1);
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:M\xfcller\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 3: FN is not UTF-8 and has no CHARSET", 1);
	BAD("BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=X-ROT13:nop\r\n"
	    "END:VCARD\r\n",
	    "t.vcf: card 1, line 3: unknown ENCODING 'X-ROT13' in NOTE", 1);
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:a\0b\r\nEND:VCARD\r\n",
	    "t.vcf: card 1, line 3: NUL byte in the line", 1);
	/* CHARSET is for the value: parameters must be UTF-8 */
	BAD("BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=WOR\xcd:1\r\n"
	    "END:VCARD\r\n",
	    "t.vcf: card 1, line 3: the parameters of TEL are not UTF-8", 1);
}

static void
test_errors_binary(void **state)
{
	struct deck	d;

	(void)state;
	BAD("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\r\n",
	    "t.vcf: line 1: binary data before BEGIN:VCARD: not a vCard file",
	    0);
	BAD("\xff\xfe" "B\0E\0G\0I\0N\0:\0V\0\r\0\n\0\r\n",
	    "t.vcf: line 1: the file is UTF-16: save it as UTF-8", 0);
	/* junk between cards */
	deck_str(&d, "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n\x01\x02\r\n"
	    "BEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n");
	assert_int_equal(d.n, 2);
	assert_int_equal(d.nerr, 1);
	check_str("error", d.err[0], "t.vcf: line 4: binary data between "
	    "cards");
	deck_free(&d);
}

/* Several bad cards in one file: each error names its card and line. */
static void
test_errors_resync(void **state)
{
	struct deck	d;

	(void)state;
	deck_str(&d,
	    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:One\r\nEND:VCARD\r\n"
	    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Two\r\n"
	    "NOTE;QUOTED-PRINTABLE:x=G1\r\nEND:VCARD\r\n"
	    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Three\r\nEND:VCARD\r\n"
	    "END:VCARD\r\n"
	    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=nope:Four\r\n"
	    "END:VCARD\r\n"
	    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Five\r\n"
	    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Six\r\nEND:VCARD\r\n");
	assert_int_equal(d.n, 3);
	check_str("name", d.c[0]->name, "One");
	check_str("name", d.c[1]->name, "Three");
	check_str("name", d.c[2]->name, "Six");
	assert_int_equal(d.nerr, 4);
	check_str("error", d.err[0], "t.vcf: card 2, line 8: bad "
	    "quoted-printable in NOTE");
	check_str("error", d.err[1], "t.vcf: line 14: END:VCARD without "
	    "BEGIN:VCARD");
	check_str("error", d.err[2], "t.vcf: card 4, line 17: unknown charset "
	    "'nope' in FN");
	check_str("error", d.err[3], "t.vcf: card 5, line 22: no END:VCARD "
	    "before BEGIN:VCARD");
	deck_free(&d);
}

/* A stream of head, count times pattern, then tail, made on the fly. */
struct gen {
	const char	*head;
	const char	*pattern;
	size_t		 count;
	const char	*tail;
	size_t		 pos;		/* in the whole stream */
};

static ssize_t
gen_read(void *cookie, char *buf, size_t size)
{
	struct gen	*g = cookie;
	size_t		 hl = strlen(g->head), pl = strlen(g->pattern);
	size_t		 body = pl * g->count, tl = strlen(g->tail), n = 0;
	size_t		 at, k;

	while (n < size) {
		at = g->pos;
		if (at < hl) {
			k = hl - at < size - n ? hl - at : size - n;
			memcpy(buf + n, g->head + at, k);
		} else if (at < hl + body) {
			at = (at - hl) % pl;
			k = pl - at < size - n ? pl - at : size - n;
			memcpy(buf + n, g->pattern + at, k);
		} else if (at < hl + body + tl) {
			at -= hl + body;
			k = tl - at < size - n ? tl - at : size - n;
			memcpy(buf + n, g->tail + at, k);
		} else
			break;
		n += k;
		g->pos += k;
	}
	return (ssize_t)n;
}

static long
peak_kb(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void
read_gen(struct deck *d, struct gen *g)
{
	cookie_io_functions_t	 io = { gen_read, NULL, NULL, NULL };
	FILE			*f;

	f = fopencookie(g, "r", io);
	assert_non_null(f);
	deck_read(d, f, "t.vcf");
	fclose(f);
}

/* A 200 MB line is an error, not 200 MB of memory. */
static void
test_huge_line(void **state)
{
	static char	 x[4097];
	struct deck	 d;
	struct gen	 g;
	char		 want[ERR_MSG_MAX];
	long		 before;

	(void)state;
	memset(x, 'x', sizeof x - 1);
	memset(&g, 0, sizeof g);
	g.head = "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:";
	g.pattern = x;
	g.count = 200 * 256;		/* 200 MB */
	g.tail = "\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:After\r\n"
	    "END:VCARD\r\n";
	before = peak_kb();
	read_gen(&d, &g);
	print_message("peak RSS %ld KB before, %ld KB after a 200 MB line\n",
	    before, peak_kb());
	assert_true(peak_kb() - before < 100 * 1024);
	assert_int_equal(d.nerr, 1);
	snprintf(want, sizeof want, "t.vcf: card 1, line 3: line longer than "
	    "%d bytes", VCARD_LINE_MAX);
	check_str("error", d.err[0], want);
	assert_int_equal(d.n, 1);
	check_str("name", d.c[0]->name, "After");
	deck_free(&d);

	/* 20 MB of control bytes and no line end, outside any card */
	memset(&g, 0, sizeof g);
	g.head = "";
	g.pattern = "\x01\x02\x03\x04";
	g.count = 5 * 1024 * 1024;
	g.tail = "";
	read_gen(&d, &g);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.nerr, 1);
	snprintf(want, sizeof want, "t.vcf: line 1: line longer than %d bytes",
	    VCARD_LINE_MAX);
	check_str("error", d.err[0], want);
	deck_free(&d);
}

/* A card over VCARD_CARD_MAX is an error; the next card is read. */
static void
test_huge_card(void **state)
{
	static char	 line[1008];
	struct deck	 d;
	struct gen	 g;
	char		 want[ERR_MSG_MAX];
	size_t		 k;

	(void)state;
	memcpy(line, "NOTE:", 5);
	memset(line + 5, 'y', 1000);
	memcpy(line + 1005, "\r\n", 3);	/* 1007 bytes a line */
	memset(&g, 0, sizeof g);
	g.head = "BEGIN:VCARD\r\nVERSION:3.0\r\n";	/* 26 bytes */
	g.pattern = line;
	g.count = 17 * 1024;
	g.tail = "END:VCARD\r\nBEGIN:VCARD\r\nFN:After\r\nEND:VCARD\r\n";
	read_gen(&d, &g);
	assert_int_equal(d.nerr, 1);
	k = (VCARD_CARD_MAX - 26) / 1007 + 1;	/* the line that is over */
	snprintf(want, sizeof want, "t.vcf: card 1, line %zu: card longer "
	    "than %d bytes", k + 2, VCARD_CARD_MAX);
	check_str("error", d.err[0], want);
	assert_int_equal(d.n, 1);
	check_str("name", d.c[0]->name, "After");
	deck_free(&d);
}

/* The reader keeps one converter open and closes it (ASan: no leak). */
static void
test_many_charsets(void **state)
{
	struct deck	 d;
	struct contact	*c;

	(void)state;
	deck_str(&d, "BEGIN:VCARD\r\nVERSION:2.1\r\n"
	    "FN;CHARSET=ISO-8859-1:Ren\xe9\r\n"
	    "NOTE;CHARSET=KOI8-R:\xf0\xd2\xc9\xd7\xc5\xd4\r\n"
	    "TITLE;CHARSET=SHIFT_JIS:\x8e\x52\x93\x63\r\n"
	    "X-A;CHARSET=UTF-8:ok \xe2\x82\r\n"
	    "END:VCARD\r\n");
	assert_int_equal(d.nerr, 0);
	c = d.c[0];
	check_str("name", c->name, "Ren\xc3\xa9");
	check_str("notes", c->notes, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2"
	    "\xd0\xb5\xd1\x82");
	check_str("title", c->title, "\xe5\xb1\xb1\xe7\x94\xb0");
	/* a sequence cut short: U+FFFD, and a warning */
	expect_extra(c, NULL, "X-A", NULL, "ok \xef\xbf\xbd\xef\xbf\xbd");
	check_str("warning", d.warn[0], "t.vcf: card 1, line 6: X-A is not "
	    "valid UTF-8: 2 bytes replaced with U+FFFD");
	deck_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_android),
		cmocka_unit_test(test_corpus_evolution),
		cmocka_unit_test(test_corpus_ezvcard),
		cmocka_unit_test(test_corpus_gmail),
		cmocka_unit_test(test_corpus_gmail_itemgroups),
		cmocka_unit_test(test_corpus_gmail_list),
		cmocka_unit_test(test_corpus_iphone),
		cmocka_unit_test(test_corpus_outlook),
		cmocka_unit_test(test_corpus_outlook2007),
		cmocka_unit_test(test_corpus_rfc2426),
		cmocka_unit_test(test_corpus_rfc6350),
		cmocka_unit_test(test_corpus_multilang),
		cmocka_unit_test(test_round_trip_corpus),
		cmocka_unit_test(test_round_trip_fields),
		cmocka_unit_test(test_write_minimal),
		cmocka_unit_test(test_vobject_reads_export),
		cmocka_unit_test(test_types_and_pref),
		cmocka_unit_test(test_line_forms),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_binary_values),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_errors_structure),
		cmocka_unit_test(test_errors_values),
		cmocka_unit_test(test_errors_binary),
		cmocka_unit_test(test_errors_resync),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_huge_card),
		cmocka_unit_test(test_many_charsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
