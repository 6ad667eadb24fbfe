/*
 * Contacts in CSV files.  The reader feeds libcsv one line at a time, so
 * that it can stop after each record and hand out one contact, keeping
 * memory bounded by the longest record; it finds the header, recognises
 * the layout and maps every column.  The writer writes tend's columns or
 * the Google Contacts layout.  docs/csv.md describes the mapping.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include <csv.h>

#include "core/when.h"
#include "interop/csv.h"
#include "util/arena.h"
#include "util/charset.h"
#include "util/xmalloc.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define CHUNK		(64 * 1024)	/* bytes read at a time */
#define COLUMNS_MAX	4096		/* columns in a header */
#define HEADER_SCAN	50		/* records searched for the header */
#define QUOTE_MAX	60		/* bytes of a value in a message */
#define SEP		" ::: "		/* Google's separator of values */

/*
 * libcsv's parser states (libcsv.c, unchanged since 3.0): the reader
 * needs them to tell a quoted field left open at the end of the file,
 * and to skip the rest of a record that is over the limit.
 */
#define LIBCSV_ROW_NOT_BEGUN		0
#define LIBCSV_FIELD_BEGUN		2
#define LIBCSV_FIELD_MIGHT_HAVE_ENDED	3

/* A libcsv field buffer never grows past this: see csv_grow(). */
#define FIELD_CAP	(CSV_RECORD_MAX + 4096)

/* What next_row() found. */
enum {
	ROW_END = 0,
	ROW_OK = 1,
	ROW_TOO_LONG = 100,
	ROW_UNCLOSED = 101
};

/* What a column holds. */
enum role {
	R_EXTRA,		/* X-TEND-CSV */
	R_IGNORE,		/* nothing to keep (Outlook's E-mail Type) */
	R_NAME, R_FIRST, R_MIDDLE, R_LAST, R_PREFIX, R_SUFFIX,
	R_EMAIL, R_EMAIL_LABEL, R_PHONE, R_PHONE_LABEL,
	R_COMPANY, R_TITLE, R_NOTES, R_TAGS, R_KIND, R_MET_WHERE, R_MET_ON,
	R_SOURCE, R_NEEDS, R_TZ, R_DNC, R_VIA, R_CADENCE,
	R_BDAY, R_ANNIVERSARY, R_NICKNAME, R_URL, R_URL_LABEL, R_PHOTO,
	R_ADR, R_ADR_LABEL
};

/* The components of an ADR, in vCard order, then the formatted text. */
enum {
	A_POBOX, A_EXT, A_STREET, A_CITY, A_REGION, A_CODE, A_COUNTRY,
	A_FORMATTED, A_NPARTS
};

/* Which set of address columns: Outlook's Home/Business/Other, ... */
enum {
	AK_PLAIN, AK_HOME, AK_WORK, AK_OTHER, AK_POSTAL, AK_NUMBERED
};

struct col {
	char		*header;	/* as written, trimmed */
	char		*norm;		/* lower-case letters and digits */
	enum role	 role;
	const char	*label;		/* fixed label: "work", "cell" */
	int		 primary;	/* Outlook's Primary Phone goes first */
	int		 num;		/* N of "E-mail N - Value", else 0 */
	int		 akind;		/* address columns: which set */
	int		 part;		/* address columns: which component */
	int		 agroup;	/* address columns: index of the set */
	int		 link;		/* the label column of a value, or -1 */
	int		 mapped;	/* set by a --map rule */
};

struct agroup {
	int		 akind;
	int		 num;
	int		 label_col;	/* -1: none */
};

/* Values gathered for one record, before they go to the arena. */
struct vec {
	char		**v;
	char		**label;
	size_t		  n;
	size_t		  cap;
};

struct csv_reader {
	FILE		*f;
	char		*name;
	char		*tz;
	off_t		 base;		/* the first byte after a BOM */
	size_t		 chunk;		/* bytes read at a time */
	unsigned	 line0;		/* line of the byte at base */
	unsigned char	 forced;	/* Excel's "sep=;" line, or 0 */
	int		 recoded;
	enum csv_layout	 layout;
	unsigned char	 delim;
	size_t		 limit;

	/* input: raw bytes, and the UTF-8 the parser sees */
	struct csv_parser p;
	char		*raw;
	char		*conv;
	const char	*buf;
	size_t		 len;
	size_t		 pos;
	int		 eof;
	unsigned	 line;		/* line of buf[pos] */
	int		 prev_cr;

	/* the record being read */
	int		 in_rec;
	int		 row_done;
	int		 rec_nul;
	int		 extra_nonempty;
	int		 skip;		/* skipping a record over the limit */
	int		 skip_sp;
	unsigned	 rec_line;
	size_t		 rec_bytes;
	char		*fbuf;
	size_t		 flen;
	size_t		 fcap;
	size_t		*foff;
	size_t		*flens;
	size_t		 focap;
	size_t		 nf;		/* fields seen */
	size_t		 maxstore;	/* fields kept */

	/* the header */
	struct col	*cols;
	size_t		 ncols;
	struct agroup	*agroups;
	size_t		 nagroups;
	unsigned	 record;
	unsigned	 cur_line;
	unsigned	 cur_record;

	/* scratch for one record */
	struct vec	 emails;
	struct vec	 phones;
	struct vec	 tags;
	struct contact_extra *xv;
	size_t		 xn;
	size_t		 xcap;
	const char	**aparts;
};

/* States of skip_scan(), which mirror libcsv's. */
enum {
	SK_NONE, SK_ROW, SK_FIELD, SK_UNQUOTED, SK_QUOTED, SK_QUOTE_SEEN
};

const char *
csv_layout_name(enum csv_layout l)
{
	switch (l) {
	case CSV_TEND:
		return "tend";
	case CSV_GOOGLE:
		return "google";
	case CSV_OUTLOOK:
		return "outlook";
	case CSV_LINKEDIN:
		return "linkedin";
	case CSV_GENERIC:
		break;
	}
	return "generic";
}

/* ---------------------------------------------------------------- */
/* Small text helpers */

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

/*
 * A value for a message: at most QUOTE_MAX bytes, cut on a character
 * boundary, with "..." when cut.  Written into buf (QUOTE_MAX + 8).
 */
static const char *
shorten(char *buf, const char *s)
{
	size_t	n;

	n = strlen(s);
	if (n <= QUOTE_MAX)
		return s;
	n = QUOTE_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(buf, s, n);
	memcpy(buf + n, "...", 4);
	return buf;
}

/* Lower-case ASCII letters and digits of s; other ASCII is dropped. */
static void
normalise(const char *s, char *out, size_t size)
{
	size_t	n = 0;

	for (; *s != '\0' && n + 1 < size; s++) {
		unsigned char c = (unsigned char)*s;

		/* a second BOM (U+FEFF) and no-break spaces say nothing */
		if (strncmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 2;
			continue;
		}
		if (strncmp(s, "\xc2\xa0", 2) == 0) {
			s++;
			continue;
		}
		if (c >= 0x80 || isalnum(c))
			out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

/* A vCard 4.0 text value: \\ \, \; and \n escaped; CR LF is one line end. */
static char *
esc_text(struct arena *a, const char *s)
{
	char	*out, *o;

	out = arena_alloc(a, strlen(s) * 2 + 1);
	o = out;
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
		case ',':
		case ';':
			*o++ = '\\';
			*o++ = *s;
			break;
		case '\r':
			if (s[1] == '\n')
				s++;
			/* FALLTHROUGH */
		case '\n':
			*o++ = '\\';
			*o++ = 'n';
			break;
		default:
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/*
 * A vCard 4.0 parameter value: ^ " and line ends caret-encoded (RFC
 * 6868), and the whole quoted when it holds ; : or , (RFC 6350 5).
 */
static char *
esc_param(struct arena *a, const char *s)
{
	char	*out, *o;
	int	 quote;

	quote = strpbrk(s, ";:,") != NULL;
	out = arena_alloc(a, strlen(s) * 2 + 3);
	o = out;
	if (quote)
		*o++ = '"';
	for (; *s != '\0'; s++) {
		if (*s == '^') {
			*o++ = '^';
			*o++ = '^';
		} else if (*s == '"') {
			*o++ = '^';
			*o++ = '\'';
		} else if (*s == '\r' || *s == '\n') {
			if (*s == '\r' && s[1] == '\n')
				s++;
			*o++ = '^';
			*o++ = 'n';
		} else
			*o++ = *s;
	}
	if (quote)
		*o++ = '"';
	*o = '\0';
	return out;
}

/* A URI keeps its characters, but not line ends. */
static char *
uri_value(struct arena *a, const char *s)
{
	char	*out, *o;

	out = arena_strdup(a, s);
	for (o = out; *s != '\0'; s++)
		if (*s != '\r' && *s != '\n')
			*o++ = *s;
	*o = '\0';
	return out;
}

/* ---------------------------------------------------------------- */
/* Dates */

static int
days_in(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* 1..12 for "Jun", "June", "jun."; 0 otherwise. */
static int
month_of(const char *s, size_t n)
{
	static const char *const names[] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december"
	};
	size_t	i;

	if (n < 3)
		return 0;
	for (i = 0; i < nitems(names); i++)
		if (n <= strlen(names[i]) &&
		    strncasecmp(s, names[i], n) == 0)
			return (int)i + 1;
	if (n == 4 && strncasecmp(s, "sept", 4) == 0)
		return 9;
	return 0;
}

struct dtok {
	int	num;		/* 1: digits, 0: letters */
	long	val;
	size_t	len;
	char	sep;		/* the separator after it */
};

/*
 * Read a date as people and exporters write it: 2022-06-02 (and a time
 * after it, ignored), 2022/06/02, 20220602, --06-02 and --0602 (no
 * year), 02 Jun 2022 (LinkedIn), Jun 2, 2022, 6/2/2022 (Outlook: month
 * first unless the first number is over 12), 2.6.2022 (day first).
 * Returns 1 with a full date, 2 with a date without year (*y = 0), -1
 * for Outlook's "no date" 0/0/00, 0 for anything else.
 */
static int
parse_date(const char *s, int *y, int *m, int *d)
{
	struct dtok	 t[4];
	size_t		 n = 0, i;
	const char	*p;
	int		 allzero;

	while (is_ws((unsigned char)*s))
		s++;
	if (strncmp(s, "--", 2) == 0) {
		p = s + 2;
		if (isdigit((unsigned char)p[0]) &&
		    isdigit((unsigned char)p[1])) {
			*m = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
			if (*p == '-')
				p++;
			if (isdigit((unsigned char)p[0]) &&
			    isdigit((unsigned char)p[1]) && p[2] == '\0') {
				*d = (p[0] - '0') * 10 + (p[1] - '0');
				*y = 0;
				if (*m >= 1 && *m <= 12 && *d >= 1 &&
				    *d <= days_in(2000, *m))
					return 2;
			}
		}
		return 0;
	}
	p = s;
	while (*p != '\0') {
		const char *start = p;

		if (n == nitems(t))
			return 0;
		if (isdigit((unsigned char)*p)) {
			t[n].num = 1;
			t[n].val = 0;
			while (isdigit((unsigned char)*p) && p - start < 9) {
				t[n].val = t[n].val * 10 + (*p - '0');
				p++;
			}
			if (isdigit((unsigned char)*p))
				return 0;
		} else if (isalpha((unsigned char)*p)) {
			t[n].num = 0;
			while (isalpha((unsigned char)*p))
				p++;
			t[n].val = month_of(start, (size_t)(p - start));
			if (t[n].val == 0)
				return 0;
			if (*p == '.')
				p++;
		} else
			return 0;
		t[n].len = (size_t)(p - start);
		t[n].sep = *p;
		/* a time after an ISO date is ignored */
		if (n == 2 && t[0].num && t[0].len == 4 && t[0].sep == '-' &&
		    (*p == 'T' || *p == ' ')) {
			n++;
			break;
		}
		if (*p == ',')
			p++;
		if (*p == '-' || *p == '/' || *p == '.' || *p == ' ')
			p++;
		while (*p == ' ')
			p++;
		n++;
	}
	if (n == 1 && t[0].num && t[0].len == 8) {
		*y = (int)(t[0].val / 10000);
		*m = (int)(t[0].val / 100 % 100);
		*d = (int)(t[0].val % 100);
	} else if (n != 3)
		return 0;
	else if (t[0].num && t[0].len == 4 && t[1].num && t[2].num) {
		*y = (int)t[0].val;
		*m = (int)t[1].val;
		*d = (int)t[2].val;
	} else if (t[0].num && !t[1].num && t[2].num) {
		*d = (int)t[0].val;
		*m = (int)t[1].val;
		*y = (int)t[2].val;
		if (t[2].len != 4)
			return 0;
	} else if (!t[0].num && t[1].num && t[2].num) {
		*m = (int)t[0].val;
		*d = (int)t[1].val;
		*y = (int)t[2].val;
		if (t[2].len != 4)
			return 0;
	} else if (t[0].num && t[1].num && t[2].num) {
		allzero = 1;
		for (i = 0; i < 3; i++)
			if (t[i].val != 0)
				allzero = 0;
		if (allzero)
			return -1;
		if (t[2].len != 4)
			return 0;
		*y = (int)t[2].val;
		if (t[0].sep == '.' || t[0].val > 12) {
			*d = (int)t[0].val;
			*m = (int)t[1].val;
		} else {
			*m = (int)t[0].val;
			*d = (int)t[1].val;
		}
	} else
		return 0;
	if (*y < 1 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > days_in(*y, *m))
		return 0;
	return 1;
}

/* ---------------------------------------------------------------- */
/* Headers */

struct hname {
	const char	*norm;
	enum role	 role;
	const char	*label;
	int		 primary;
};

/*
 * Header names, normalised (lower case, letters and digits only), of
 * tend, Google, Outlook, LinkedIn and the generic synonyms.  Numbered
 * groups ("E-mail 2 - Value") and address parts ("Business City") are
 * recognised by classify() below.
 */
static const struct hname hnames[] = {
	{ "name", R_NAME, NULL, 0 },
	{ "fullname", R_NAME, NULL, 0 },
	{ "displayname", R_NAME, NULL, 0 },
	{ "contact", R_NAME, NULL, 0 },
	{ "contactname", R_NAME, NULL, 0 },
	{ "firstname", R_FIRST, NULL, 0 },
	{ "givenname", R_FIRST, NULL, 0 },
	{ "first", R_FIRST, NULL, 0 },
	{ "forename", R_FIRST, NULL, 0 },
	{ "middlename", R_MIDDLE, NULL, 0 },
	{ "additionalname", R_MIDDLE, NULL, 0 },
	{ "lastname", R_LAST, NULL, 0 },
	{ "surname", R_LAST, NULL, 0 },
	{ "familyname", R_LAST, NULL, 0 },
	{ "last", R_LAST, NULL, 0 },
	{ "nameprefix", R_PREFIX, NULL, 0 },
	{ "prefix", R_PREFIX, NULL, 0 },
	{ "salutation", R_PREFIX, NULL, 0 },
	{ "namesuffix", R_SUFFIX, NULL, 0 },
	{ "suffix", R_SUFFIX, NULL, 0 },
	{ "nickname", R_NICKNAME, NULL, 0 },
	{ "email", R_EMAIL, NULL, 0 },
	{ "emails", R_EMAIL, NULL, 0 },
	{ "emailaddress", R_EMAIL, NULL, 0 },
	{ "emailaddresses", R_EMAIL, NULL, 0 },
	{ "mail", R_EMAIL, NULL, 0 },
	{ "workemail", R_EMAIL, "work", 0 },
	{ "businessemail", R_EMAIL, "work", 0 },
	{ "homeemail", R_EMAIL, "home", 0 },
	{ "personalemail", R_EMAIL, "home", 0 },
	{ "otheremail", R_EMAIL, "other", 0 },
	{ "emailtype", R_IGNORE, NULL, 0 },
	{ "emaildisplayname", R_IGNORE, NULL, 0 },
	{ "phone", R_PHONE, NULL, 0 },
	{ "phones", R_PHONE, NULL, 0 },
	{ "telephone", R_PHONE, NULL, 0 },
	{ "tel", R_PHONE, NULL, 0 },
	{ "phonenumber", R_PHONE, NULL, 0 },
	{ "telephonenumber", R_PHONE, NULL, 0 },
	{ "mobile", R_PHONE, "cell", 0 },
	{ "cell", R_PHONE, "cell", 0 },
	{ "mobilephone", R_PHONE, "cell", 0 },
	{ "cellphone", R_PHONE, "cell", 0 },
	{ "mobilenumber", R_PHONE, "cell", 0 },
	{ "homephone", R_PHONE, "home", 0 },
	{ "homephone2", R_PHONE, "home", 0 },
	{ "businessphone", R_PHONE, "work", 0 },
	{ "businessphone2", R_PHONE, "work", 0 },
	{ "workphone", R_PHONE, "work", 0 },
	{ "officephone", R_PHONE, "work", 0 },
	{ "companymainphone", R_PHONE, "work", 0 },
	{ "otherphone", R_PHONE, "other", 0 },
	{ "primaryphone", R_PHONE, NULL, 1 },
	{ "carphone", R_PHONE, "car", 0 },
	{ "pager", R_PHONE, "pager", 0 },
	{ "fax", R_PHONE, "fax", 0 },
	{ "businessfax", R_PHONE, "work,fax", 0 },
	{ "homefax", R_PHONE, "home,fax", 0 },
	{ "otherfax", R_PHONE, "fax", 0 },
	{ "assistantsphone", R_PHONE, "Assistant", 0 },
	{ "callback", R_PHONE, "Callback", 0 },
	{ "radiophone", R_PHONE, "Radio", 0 },
	{ "isdn", R_PHONE, "isdn", 0 },
	{ "ttytddphone", R_PHONE, "textphone", 0 },
	{ "telex", R_PHONE, "Telex", 0 },
	{ "company", R_COMPANY, NULL, 0 },
	{ "companyname", R_COMPANY, NULL, 0 },
	{ "organization", R_COMPANY, NULL, 0 },
	{ "organisation", R_COMPANY, NULL, 0 },
	{ "organizationname", R_COMPANY, NULL, 0 },
	{ "org", R_COMPANY, NULL, 0 },
	{ "employer", R_COMPANY, NULL, 0 },
	{ "title", R_TITLE, NULL, 0 },
	{ "jobtitle", R_TITLE, NULL, 0 },
	{ "position", R_TITLE, NULL, 0 },
	{ "role", R_TITLE, NULL, 0 },
	{ "organizationtitle", R_TITLE, NULL, 0 },
	{ "notes", R_NOTES, NULL, 0 },
	{ "note", R_NOTES, NULL, 0 },
	{ "comments", R_NOTES, NULL, 0 },
	{ "comment", R_NOTES, NULL, 0 },
	{ "tags", R_TAGS, NULL, 0 },
	{ "tag", R_TAGS, NULL, 0 },
	{ "labels", R_TAGS, NULL, 0 },
	{ "categories", R_TAGS, NULL, 0 },
	{ "groups", R_TAGS, NULL, 0 },
	{ "groupmembership", R_TAGS, NULL, 0 },
	{ "kind", R_KIND, NULL, 0 },
	{ "relationship", R_KIND, NULL, 0 },
	{ "type", R_KIND, NULL, 0 },
	{ "met", R_MET_WHERE, NULL, 0 },
	{ "metwhere", R_MET_WHERE, NULL, 0 },
	{ "wheremet", R_MET_WHERE, NULL, 0 },
	{ "event", R_MET_WHERE, NULL, 0 },
	{ "meton", R_MET_ON, NULL, 0 },
	{ "datemet", R_MET_ON, NULL, 0 },
	{ "connectedon", R_MET_ON, NULL, 0 },
	{ "source", R_SOURCE, NULL, 0 },
	{ "needs", R_NEEDS, NULL, 0 },
	{ "need", R_NEEDS, NULL, 0 },
	{ "tz", R_TZ, NULL, 0 },
	{ "timezone", R_TZ, NULL, 0 },
	{ "donotcontact", R_DNC, NULL, 0 },
	{ "via", R_VIA, NULL, 0 },
	{ "referredby", R_VIA, NULL, 0 },
	{ "cadence", R_CADENCE, NULL, 0 },
	{ "lasttouch", R_IGNORE, NULL, 0 },
	{ "website", R_URL, NULL, 0 },
	{ "url", R_URL, NULL, 0 },
	{ "webpage", R_URL, NULL, 0 },
	{ "homepage", R_URL, NULL, 0 },
	{ "web", R_URL, NULL, 0 },
	{ "personalwebpage", R_URL, "home", 0 },
	{ "businesswebpage", R_URL, "work", 0 },
	{ "birthday", R_BDAY, NULL, 0 },
	{ "bday", R_BDAY, NULL, 0 },
	{ "birthdate", R_BDAY, NULL, 0 },
	{ "dateofbirth", R_BDAY, NULL, 0 },
	{ "dob", R_BDAY, NULL, 0 },
	{ "anniversary", R_ANNIVERSARY, NULL, 0 },
	{ "photo", R_PHOTO, NULL, 0 }
};

static const struct {
	const char	*norm;
	int		 part;
} aparts[] = {
	{ "address", A_FORMATTED },
	{ "formatted", A_FORMATTED },
	{ "street", A_STREET },
	{ "street2", A_STREET },
	{ "street3", A_STREET },
	{ "streetaddress", A_STREET },
	{ "addressline1", A_STREET },
	{ "addressline2", A_STREET },
	{ "addressline3", A_STREET },
	{ "city", A_CITY },
	{ "town", A_CITY },
	{ "locality", A_CITY },
	{ "state", A_REGION },
	{ "region", A_REGION },
	{ "province", A_REGION },
	{ "postalcode", A_CODE },
	{ "postcode", A_CODE },
	{ "zip", A_CODE },
	{ "zipcode", A_CODE },
	{ "country", A_COUNTRY },
	{ "countryregion", A_COUNTRY },
	{ "pobox", A_POBOX },
	{ "addresspobox", A_POBOX },
	{ "extendedaddress", A_EXT }
};

static const struct {
	const char	*prefix;
	int		 akind;
} aprefixes[] = {
	{ "business", AK_WORK },
	{ "work", AK_WORK },
	{ "home", AK_HOME },
	{ "other", AK_OTHER },
	{ "mailing", AK_POSTAL },
	{ "postal", AK_POSTAL },
	{ "", AK_PLAIN }
};

/* Outlook writes these values where nothing was entered. */
static const struct {
	const char	*norm;
	const char	*value;
} defaults[] = {
	{ "gender", "Unspecified" },
	{ "priority", "Normal" },
	{ "sensitivity", "Normal" },
	{ "private", "False" }
};

static int
apart_find(const char *s)
{
	size_t	i;

	for (i = 0; i < nitems(aparts); i++)
		if (strcmp(aparts[i].norm, s) == 0)
			return aparts[i].part;
	return -1;
}

/* "email2value" gives "email", 2 and "value". */
static int
numbered(const char *norm, const char *fam, int *num, const char **suffix)
{
	size_t	n = strlen(fam);
	int	v = 0, digits = 0;

	if (strncmp(norm, fam, n) != 0)
		return 0;
	norm += n;
	while (isdigit((unsigned char)*norm) && digits < 4) {
		v = v * 10 + (*norm - '0');
		norm++;
		digits++;
	}
	if (digits == 0 || isdigit((unsigned char)*norm) || v == 0)
		return 0;
	*num = v;
	*suffix = norm;
	return 1;
}

static int
is_any(const char *s, const char *a, const char *b, const char *c)
{
	return strcmp(s, a) == 0 || strcmp(s, b) == 0 ||
	    (c != NULL && strcmp(s, c) == 0);
}

/* The role of a column from its normalised header in a layout. */
static void
classify(const char *norm, enum csv_layout layout, struct col *c)
{
	const char	*suffix;
	size_t		 i, n;
	int		 num, part;

	c->role = R_EXTRA;
	c->label = NULL;
	c->primary = 0;
	c->num = 0;
	c->akind = AK_PLAIN;
	c->part = 0;
	c->link = -1;
	/* Outlook's Title is Mr., Ms.; its job title is Job Title. */
	if (layout == CSV_OUTLOOK && strcmp(norm, "title") == 0) {
		c->role = R_PREFIX;
		return;
	}
	for (i = 0; i < nitems(hnames); i++) {
		if (strcmp(hnames[i].norm, norm) == 0) {
			c->role = hnames[i].role;
			c->label = hnames[i].label;
			c->primary = hnames[i].primary;
			return;
		}
	}
	for (i = 0; i < nitems(aprefixes); i++) {
		n = strlen(aprefixes[i].prefix);
		if (strncmp(norm, aprefixes[i].prefix, n) != 0)
			continue;
		part = apart_find(norm + n);
		if (part < 0)
			continue;
		c->role = R_ADR;
		c->akind = aprefixes[i].akind;
		c->part = part;
		return;
	}
	if (numbered(norm, "email", &num, &suffix)) {
		c->num = num;
		if (is_any(suffix, "", "value", "address"))
			c->role = R_EMAIL;
		else if (is_any(suffix, "label", "type", NULL))
			c->role = layout == CSV_OUTLOOK ? R_IGNORE :
			    R_EMAIL_LABEL;
		else if (strcmp(suffix, "displayname") == 0)
			c->role = R_IGNORE;
	} else if (numbered(norm, "phone", &num, &suffix)) {
		c->num = num;
		if (is_any(suffix, "", "value", "number"))
			c->role = R_PHONE;
		else if (is_any(suffix, "label", "type", NULL))
			c->role = R_PHONE_LABEL;
	} else if (numbered(norm, "website", &num, &suffix)) {
		c->num = num;
		if (is_any(suffix, "", "value", "url"))
			c->role = R_URL;
		else if (is_any(suffix, "label", "type", NULL))
			c->role = R_URL_LABEL;
	} else if (numbered(norm, "address", &num, &suffix)) {
		c->num = num;
		c->akind = AK_NUMBERED;
		if (is_any(suffix, "label", "type", NULL))
			c->role = R_ADR_LABEL;
		else if (*suffix == '\0') {
			c->role = R_ADR;
			c->part = A_FORMATTED;
		} else if ((part = apart_find(suffix)) >= 0) {
			c->role = R_ADR;
			c->part = part;
		}
	} else if (numbered(norm, "organization", &num, &suffix) &&
	    num == 1) {
		if (strcmp(suffix, "name") == 0)
			c->role = R_COMPANY;
		else if (strcmp(suffix, "title") == 0)
			c->role = R_TITLE;
	}
}

/* How many cells of a row look like header names (for preambles). */
static int
looks_like_header(struct csv_reader *r)
{
	struct col	 c;
	char		 norm[128];
	size_t		 i, known = 0, nonempty = 0;
	int		 first = 0, last = 0;

	for (i = 0; i < r->nf && i < r->maxstore; i++) {
		normalise(r->fbuf + r->foff[i], norm, sizeof norm);
		if (norm[0] == '\0')
			continue;
		nonempty++;
		classify(norm, CSV_GENERIC, &c);
		if (c.role != R_EXTRA)
			known++;
		if (c.role == R_FIRST)
			first = 1;
		if (c.role == R_LAST)
			last = 1;
	}
	return (first && last) || (known >= 2 && known * 2 >= nonempty);
}

static int
has_norm(const struct csv_reader *r, const char *norm)
{
	size_t	i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i].norm, norm) == 0)
			return 1;
	return 0;
}

static enum csv_layout
detect(const struct csv_reader *r)
{
	const char	*suffix;
	size_t		 i;
	int		 num;

	if (has_norm(r, "name") && has_norm(r, "emails") &&
	    has_norm(r, "phones"))
		return CSV_TEND;
	if (has_norm(r, "connectedon") && has_norm(r, "firstname") &&
	    has_norm(r, "lastname"))
		return CSV_LINKEDIN;
	for (i = 0; i < r->ncols; i++) {
		const struct col *c = &r->cols[i];

		if (strstr(c->header, " - ") != NULL &&
		    (numbered(c->norm, "email", &num, &suffix) ||
		    numbered(c->norm, "phone", &num, &suffix)) &&
		    strcmp(suffix, "value") == 0)
			return CSV_GOOGLE;
	}
	if (has_norm(r, "groupmembership") ||
	    (has_norm(r, "fileas") && has_norm(r, "labels")))
		return CSV_GOOGLE;
	if (has_norm(r, "emailaddress") && (has_norm(r, "businessphone") ||
	    has_norm(r, "mobilephone") || has_norm(r, "homephone") ||
	    has_norm(r, "businessstreet") || has_norm(r, "email2address")))
		return CSV_OUTLOOK;
	return CSV_GENERIC;
}

/*
 * Tie each value of a numbered group to its label column ("E-mail 2 -
 * Label" to "E-mail 2 - Value") and number the sets of address columns.
 * A label column with no value column keeps its text as an extra.
 */
static void
link_groups(struct csv_reader *r)
{
	size_t		 i, j, g;
	enum role	 want;
	int		*used;

	used = xcalloc(r->ncols ? r->ncols : 1, sizeof *used);
	for (i = 0; i < r->ncols; i++) {
		struct col *c = &r->cols[i];

		if (c->num == 0)
			continue;
		switch (c->role) {
		case R_EMAIL:
			want = R_EMAIL_LABEL;
			break;
		case R_PHONE:
			want = R_PHONE_LABEL;
			break;
		case R_URL:
			want = R_URL_LABEL;
			break;
		default:
			continue;
		}
		for (j = 0; j < r->ncols; j++) {
			if (r->cols[j].role == want &&
			    r->cols[j].num == c->num) {
				c->link = (int)j;
				used[j] = 1;
				break;
			}
		}
	}
	r->agroups = xcalloc(r->ncols ? r->ncols : 1, sizeof *r->agroups);
	for (i = 0; i < r->ncols; i++) {
		struct col *c = &r->cols[i];

		if (c->role != R_ADR && c->role != R_ADR_LABEL)
			continue;
		for (g = 0; g < r->nagroups; g++)
			if (r->agroups[g].akind == c->akind &&
			    r->agroups[g].num == c->num)
				break;
		if (g == r->nagroups) {
			r->agroups[g].akind = c->akind;
			r->agroups[g].num = c->num;
			r->agroups[g].label_col = -1;
			r->nagroups++;
		}
		c->agroup = (int)g;
		if (c->role == R_ADR_LABEL && r->agroups[g].label_col < 0) {
			r->agroups[g].label_col = (int)i;
			used[i] = 1;
		}
	}
	for (i = 0; i < r->ncols; i++) {
		enum role ro = r->cols[i].role;

		if ((ro == R_EMAIL_LABEL || ro == R_PHONE_LABEL ||
		    ro == R_URL_LABEL || ro == R_ADR_LABEL) && !used[i])
			r->cols[i].role = R_EXTRA;
	}
	free(used);
	r->aparts = xcalloc(r->nagroups * A_NPARTS + 1, sizeof *r->aparts);
}

static const struct {
	const char	*field;
	enum role	 role;
} map_fields[] = {
	{ "name", R_NAME },
	{ "first_name", R_FIRST },
	{ "last_name", R_LAST },
	{ "email", R_EMAIL },
	{ "phone", R_PHONE },
	{ "company", R_COMPANY },
	{ "title", R_TITLE },
	{ "notes", R_NOTES },
	{ "tags", R_TAGS },
	{ "kind", R_KIND },
	{ "met_where", R_MET_WHERE },
	{ "met_on", R_MET_ON },
	{ "source", R_SOURCE },
	{ "needs", R_NEEDS },
	{ "tz", R_TZ }
};

/* "a, b, c" or "a, b, c…" when it does not fit. */
static void
column_list(const struct csv_reader *r, char *buf, size_t size)
{
	size_t	i, n = 0, k;
	char	tmp[QUOTE_MAX + 8];

	buf[0] = '\0';
	for (i = 0; i < r->ncols; i++) {
		const char *h = shorten(tmp, r->cols[i].header);

		k = strlen(h) + (i > 0 ? 2 : 0);
		if (n + k + 4 >= size) {
			memcpy(buf + n, "\xe2\x80\xa6", 4);	/* … */
			return;
		}
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
		    i > 0 ? ", " : "", h);
	}
}

static int
apply_map(struct csv_reader *r, const char *rule, struct err *err)
{
	char		 field[32], norm[128], want[256], wantn[128];
	char		 list[400];
	char		 tmp[QUOTE_MAX + 8];
	const char	*eq, *colname;
	size_t		 i, n;
	enum role	 role = R_EXTRA;
	long		 num;
	char		*end;
	int		 found = -1, known = 0;

	eq = strchr(rule, '=');
	if (eq == NULL)
		return err_set(err, TEND_EINVAL,
		    "invalid --map '%s' (expected FIELD=COLUMN)",
		    shorten(tmp, rule));
	n = (size_t)(eq - rule);
	while (n > 0 && is_ws((unsigned char)rule[n - 1]))
		n--;
	while (n > 0 && is_ws((unsigned char)*rule)) {
		rule++;
		n--;
	}
	if (n < sizeof field) {
		for (i = 0; i < n; i++)
			field[i] = rule[i] == '-' ? '_' :
			    (char)tolower((unsigned char)rule[i]);
		field[n] = '\0';
		for (i = 0; i < nitems(map_fields); i++) {
			if (strcmp(map_fields[i].field, field) == 0) {
				role = map_fields[i].role;
				known = 1;
			}
		}
	}
	if (!known) {
		char	fbuf[QUOTE_MAX + 8], one[QUOTE_MAX + 1];

		snprintf(one, sizeof one, "%.*s",
		    (int)(n < QUOTE_MAX ? n : QUOTE_MAX), rule);
		return err_set(err, TEND_EINVAL, "unknown field '%s' in --map "
		    "(expected name, first_name, last_name, email, phone, "
		    "company, title, notes, tags, kind, met_where, met_on, "
		    "source, needs, tz)", shorten(fbuf, one));
	}
	colname = eq + 1;
	while (is_ws((unsigned char)*colname))
		colname++;
	n = strlen(colname);
	while (n > 0 && is_ws((unsigned char)colname[n - 1]))
		n--;
	if (n >= sizeof want)
		n = sizeof want - 1;
	memcpy(want, colname, n);
	want[n] = '\0';
	colname = want;
	for (i = 0; i < r->ncols && found < 0; i++)
		if (strcmp(r->cols[i].header, colname) == 0)
			found = (int)i;
	for (i = 0; i < r->ncols && found < 0; i++)
		if (strcasecmp(r->cols[i].header, colname) == 0)
			found = (int)i;
	normalise(colname, wantn, sizeof wantn);
	for (i = 0; i < r->ncols && found < 0 && wantn[0] != '\0'; i++) {
		normalise(r->cols[i].header, norm, sizeof norm);
		if (strcmp(norm, wantn) == 0)
			found = (int)i;
	}
	if (found < 0 && isdigit((unsigned char)*colname)) {
		errno = 0;
		num = strtol(colname, &end, 10);
		if (errno == 0 && *end == '\0' && num >= 1 &&
		    (size_t)num <= r->ncols)
			found = (int)num - 1;
	}
	if (found < 0) {
		column_list(r, list, sizeof list);
		return err_set(err, TEND_EINVAL, "no column '%s' in %s "
		    "(columns: %s)", shorten(tmp, colname), r->name, list);
	}
	/* The rule replaces the columns guessed for the field; several
	 * rules for one field add up. */
	for (i = 0; i < r->ncols; i++) {
		struct col *c = &r->cols[i];

		if (c->role != role || c->mapped)
			continue;
		c->role = R_EXTRA;
		if (c->link >= 0)
			r->cols[c->link].role = R_EXTRA;
	}
	r->cols[found].role = role;
	r->cols[found].label = NULL;
	r->cols[found].primary = 0;
	r->cols[found].link = -1;
	r->cols[found].mapped = 1;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Input: chunks, lines, records */

/*
 * libcsv grows a field's buffer through this: past FIELD_CAP it refuses,
 * so that no single field can take more than a record's worth of memory
 * (the reader's own count of a record's bytes stops it first).
 */
static void *
csv_grow(void *p, size_t n)
{
	if (n > FIELD_CAP)
		return NULL;
	return xrealloc(p, n);
}

static void
parser_init(struct csv_reader *r)
{
	csv_init(&r->p, 0);
	csv_set_delim(&r->p, r->delim);
	csv_set_realloc_func(&r->p, csv_grow);
	csv_set_blk_size(&r->p, 1024);
}

static void
parser_reset(struct csv_reader *r)
{
	csv_free(&r->p);
	parser_init(r);
}

static void
cb_field(void *s, size_t n, void *data)
{
	struct csv_reader	*r = data;

	r->nf++;
	if (r->nf > r->maxstore) {
		if (n > 0)
			r->extra_nonempty = 1;
		return;
	}
	if (r->flen + n + 1 > r->fcap) {
		while (r->flen + n + 1 > r->fcap)
			r->fcap = r->fcap ? r->fcap * 2 : 4096;
		r->fbuf = xrealloc(r->fbuf, r->fcap);
	}
	if (r->nf > r->focap) {
		r->focap = r->focap ? r->focap * 2 : 64;
		r->foff = xrealloc(r->foff, r->focap * sizeof *r->foff);
		r->flens = xrealloc(r->flens, r->focap * sizeof *r->flens);
	}
	if (n > 0)
		memcpy(r->fbuf + r->flen, s, n);
	r->fbuf[r->flen + n] = '\0';
	r->foff[r->nf - 1] = r->flen;
	r->flens[r->nf - 1] = n;
	r->flen += n + 1;
}

static void
cb_row(int c, void *data)
{
	struct csv_reader	*r = data;

	(void)c;
	r->row_done = 1;
	r->in_rec = 0;
}

static int
fill(struct csv_reader *r, struct err *err)
{
	size_t	n;

	n = fread(r->raw, 1, r->chunk, r->f);
	if (n < r->chunk) {
		if (ferror(r->f))
			return err_set(err, TEND_EIO, "%s: cannot read: %s",
			    r->name, strerror(errno));
		r->eof = 1;
	}
	if (r->recoded) {
		r->len = charset_cp1252_to_utf8(r->raw, n, r->conv);
		r->buf = r->conv;
	} else {
		r->len = n;
		r->buf = r->raw;
	}
	r->pos = 0;
	return 0;
}

static int
rewind_to(struct csv_reader *r, unsigned char delim, struct err *err)
{
	if (fseeko(r->f, r->base, SEEK_SET) != 0)
		return err_set(err, TEND_EIO, "%s: cannot seek: %s", r->name,
		    strerror(errno));
	clearerr(r->f);
	r->delim = delim;
	parser_reset(r);
	r->len = r->pos = 0;
	r->eof = 0;
	r->line = r->line0;
	r->prev_cr = 0;
	r->in_rec = 0;
	r->skip = SK_NONE;
	return 0;
}

/*
 * Follow the rest of a record that is over the limit without keeping
 * it, as libcsv would read it; 1 when the record ends at the end of
 * s[0..n) (slices end at a line end).
 */
static int
skip_scan(struct csv_reader *r, const char *s, size_t n)
{
	unsigned char	d = r->delim, c;
	size_t		i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		switch (r->skip) {
		case SK_ROW:
		case SK_FIELD:
			if (c == '\r' || c == '\n') {
				if (r->skip == SK_FIELD)
					return 1;
			} else if (c == d)
				r->skip = SK_FIELD;
			else if (c == '"')
				r->skip = SK_QUOTED;
			else if (c != ' ' && c != '\t')
				r->skip = SK_UNQUOTED;
			break;
		case SK_UNQUOTED:
			if (c == d)
				r->skip = SK_FIELD;
			else if (c == '\r' || c == '\n')
				return 1;
			break;
		case SK_QUOTED:
			if (c == '"') {
				r->skip = SK_QUOTE_SEEN;
				r->skip_sp = 0;
			}
			break;
		case SK_QUOTE_SEEN:
			if (c == d)
				r->skip = SK_FIELD;
			else if (c == '\r' || c == '\n')
				return 1;
			else if (c == ' ' || c == '\t')
				r->skip_sp = 1;
			else if (c != '"' || !r->skip_sp)
				r->skip = SK_QUOTED;
			break;
		}
	}
	return 0;
}

/* Start skipping: where in a record libcsv was when the limit struck. */
static void
skip_start(struct csv_reader *r)
{
	switch (r->p.pstate) {
	case LIBCSV_ROW_NOT_BEGUN:
		r->skip = SK_ROW;
		break;
	case LIBCSV_FIELD_BEGUN:
		r->skip = r->p.quoted ? SK_QUOTED : SK_UNQUOTED;
		break;
	case LIBCSV_FIELD_MIGHT_HAVE_ENDED:
		r->skip = SK_QUOTE_SEEN;
		r->skip_sp = r->p.spaces > 0;
		break;
	default:
		r->skip = SK_FIELD;
	}
	parser_reset(r);
}

/* What libcsv passes over before a row starts. */
static int
blank(const struct csv_reader *r, char c)
{
	return c == ' ' || c == '\r' || c == '\n' ||
	    (c == '\t' && r->delim != '\t');
}

static void
count_line(struct csv_reader *r, char last)
{
	if (last == '\n' && r->prev_cr)
		;
	else if (last == '\n' || last == '\r')
		r->line++;
	r->prev_cr = last == '\r';
}

/*
 * Read the next row into r->fbuf: ROW_OK, ROW_END, ROW_TOO_LONG (the
 * row was skipped), ROW_UNCLOSED (a quote open at the end of the file),
 * or TEND_EIO.  libcsv gets one line at a time (up to and including a
 * CR or LF), so that at most one row ends per call and the reader can
 * stop there.
 */
static int
next_row(struct csv_reader *r, struct err *err)
{
	const char	*s, *nl, *cr;
	size_t		 n, i;
	int		 rc;

	r->nf = 0;
	r->flen = 0;
	r->row_done = 0;
	r->rec_nul = 0;
	r->extra_nonempty = 0;
	r->rec_bytes = 0;
	for (;;) {
		if (r->pos == r->len) {
			if (!r->eof) {
				if ((rc = fill(r, err)) != 0)
					return rc;
				continue;
			}
			if (r->skip != SK_NONE) {
				r->skip = SK_NONE;
				r->in_rec = 0;
				return ROW_TOO_LONG;
			}
			if (!r->in_rec)
				return ROW_END;
			if (r->p.pstate == LIBCSV_FIELD_BEGUN && r->p.quoted) {
				parser_reset(r);
				r->in_rec = 0;
				return ROW_UNCLOSED;
			}
			csv_fini(&r->p, cb_field, cb_row, r);
			r->in_rec = 0;
			return r->row_done ? ROW_OK : ROW_END;
		}
		s = r->buf + r->pos;
		n = r->len - r->pos;
		nl = memchr(s, '\n', n);
		if (nl != NULL)
			n = (size_t)(nl - s) + 1;
		cr = memchr(s, '\r', n);
		if (cr != NULL)
			n = (size_t)(cr - s) + 1;
		if (!r->in_rec) {
			for (i = 0; i < n && blank(r, s[i]); i++)
				;
			if (i < n) {
				r->in_rec = 1;
				r->rec_line = r->line;
			}
		}
		if (r->skip != SK_NONE) {
			rc = skip_scan(r, s, n);
			r->pos += n;
			count_line(r, s[n - 1]);
			if (rc) {
				r->skip = SK_NONE;
				r->in_rec = 0;
				return ROW_TOO_LONG;
			}
			continue;
		}
		if (r->in_rec) {
			if (r->rec_bytes + n > r->limit) {
				skip_start(r);
				continue;
			}
			r->rec_bytes += n;
			if (memchr(s, '\0', n) != NULL)
				r->rec_nul = 1;
		}
		if (csv_parse(&r->p, s, n, cb_field, cb_row, r) != n)
			return err_set(err, TEND_EIO, "%s: line %u: %s",
			    r->name, r->line,
			    csv_strerror(csv_error(&r->p)));
		r->pos += n;
		count_line(r, s[n - 1]);
		if (r->row_done)
			return ROW_OK;
	}
}

/* Trim the fields of a row; 1 if all are empty. */
static int
trim_row(struct csv_reader *r)
{
	size_t	i, n;
	int	empty = !r->extra_nonempty;
	char	*s;

	n = r->nf < r->maxstore ? r->nf : r->maxstore;
	for (i = 0; i < n; i++) {
		s = r->fbuf + r->foff[i];
		while (r->flens[i] > 0 && is_ws((unsigned char)s[0])) {
			s++;
			r->foff[i]++;
			r->flens[i]--;
		}
		while (r->flens[i] > 0 &&
		    is_ws((unsigned char)s[r->flens[i] - 1]))
			r->flens[i]--;
		s[r->flens[i]] = '\0';
		if (r->flens[i] > 0)
			empty = 0;
	}
	return empty;
}

/* ---------------------------------------------------------------- */
/* Opening: BOM, character set, header, mapping */

static int
take_header(struct csv_reader *r, struct err *err)
{
	char		 norm[256];
	size_t		 i;
	const char	*h;

	if (r->nf > COLUMNS_MAX)
		return err_set(err, TEND_EINVAL, "%s: line %u: more than %d "
		    "columns", r->name, r->rec_line, COLUMNS_MAX);
	if (r->rec_nul)
		return err_set(err, TEND_EINVAL, "%s: line %u: binary data "
		    "(a NUL byte), not a CSV file", r->name, r->rec_line);
	trim_row(r);
	r->ncols = r->nf;
	r->cols = xcalloc(r->ncols, sizeof *r->cols);
	for (i = 0; i < r->ncols; i++) {
		h = r->fbuf + r->foff[i];
		if (strncmp(h, "\xef\xbb\xbf", 3) == 0)
			h += 3;		/* a second BOM */
		for (const char *p = h; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 && *p != '\t')
				return err_set(err, TEND_EINVAL, "%s: line %u: "
				    "binary data, not a CSV file", r->name,
				    r->rec_line);
		if (*h == '\0')
			r->cols[i].header = xasprintf("column %zu", i + 1);
		else
			r->cols[i].header = xstrdup(h);
		normalise(r->cols[i].header, norm, sizeof norm);
		r->cols[i].norm = xstrdup(norm);
	}
	r->layout = detect(r);
	for (i = 0; i < r->ncols; i++)
		classify(r->cols[i].norm, r->layout, &r->cols[i]);
	link_groups(r);
	r->maxstore = r->ncols;
	return 0;
}

/* A row like ",,,": empty whichever separator the file uses. */
static int
only_separators(const struct csv_reader *r)
{
	size_t	i, n;

	n = r->nf < r->maxstore ? r->nf : r->maxstore;
	for (i = 0; i < n; i++)
		if (r->fbuf[r->foff[i] + strspn(r->fbuf + r->foff[i],
		    ",;\t ")] != '\0')
			return 0;
	return 1;
}

/*
 * Find the header: the first of the first HEADER_SCAN rows that looks
 * like one (so that LinkedIn's "Notes:" lines are passed over), trying
 * comma, semicolon (Excel in much of Europe) and tab.  If no row looks
 * like a header, the first row is the header, split on whichever of
 * the three gives it the most fields.
 */
static int
find_header(struct csv_reader *r, struct err *err)
{
	static const unsigned char delims[] = { ',', ';', '\t' };
	size_t		 d, k, best = 0, bestn = 0;
	int		 rc, firstrow;

	for (d = 0; d < nitems(delims); d++) {
		if (r->forced != 0 && d > 0)
			break;
		if ((rc = rewind_to(r, r->forced ? r->forced : delims[d],
		    err)) != 0)
			return rc;
		firstrow = 1;
		for (k = 0; k < HEADER_SCAN; k++) {
			rc = next_row(r, err);
			if (rc == TEND_EIO)
				return rc;
			if (rc == ROW_END || rc == ROW_UNCLOSED)
				break;
			if (rc == ROW_TOO_LONG)
				continue;
			if (r->rec_nul)
				return err_set(err, TEND_EINVAL, "%s: line %u: "
				    "binary data (a NUL byte), not a CSV file",
				    r->name, r->rec_line);
			if (trim_row(r) || only_separators(r))
				continue;
			if (firstrow && r->nf > bestn) {
				bestn = r->nf;
				best = d;
			}
			firstrow = 0;
			if (looks_like_header(r))
				return take_header(r, err);
		}
	}
	if (bestn == 0)
		return err_set(err, TEND_EINVAL, "%s: no header line", r->name);
	if ((rc = rewind_to(r, r->forced ? r->forced : delims[best],
	    err)) != 0)
		return rc;
	for (;;) {
		rc = next_row(r, err);
		if (rc == TEND_EIO)
			return rc;
		if (rc == ROW_END || rc == ROW_UNCLOSED)
			return err_set(err, TEND_EINVAL, "%s: no header line",
			    r->name);
		if (rc == ROW_OK && !trim_row(r) && !only_separators(r))
			return take_header(r, err);
	}
}

/*
 * Excel's first line "sep=;" names the separator: take it and start
 * after it.  Leaves f at r->base.
 */
static int
sep_line(struct csv_reader *r, struct err *err)
{
	char	b[7];
	size_t	n;

	if (fseeko(r->f, r->base, SEEK_SET) != 0)
		return err_set(err, TEND_EIO, "%s: cannot seek: %s", r->name,
		    strerror(errno));
	n = fread(b, 1, sizeof b, r->f);
	if (n >= 6 && strncasecmp(b, "sep=", 4) == 0 &&
	    (b[4] == '\t' || (b[4] > ' ' && b[4] < 0x7f && b[4] != '"')) &&
	    (b[5] == '\n' || b[5] == '\r')) {
		r->forced = (unsigned char)b[4];
		r->base += b[5] == '\r' && n == 7 && b[6] == '\n' ? 7 : 6;
		r->line0 = 2;
	}
	if (fseeko(r->f, r->base, SEEK_SET) != 0)
		return err_set(err, TEND_EIO, "%s: cannot seek: %s", r->name,
		    strerror(errno));
	clearerr(r->f);
	return 0;
}

int
csv_reader_new(FILE *f, const char *name, const char *tz,
    char *const *maps, size_t nmaps, struct csv_reader **out,
    struct err *err)
{
	struct csv_reader	*r;
	unsigned char		 bom[3];
	size_t			 n, i;
	off_t			 start, end;
	int			 rc;

	*out = NULL;
	r = xcalloc(1, sizeof *r);
	r->f = f;
	r->name = xstrdup(name != NULL ? name : "-");
	r->tz = tz != NULL ? xstrdup(tz) : NULL;
	r->limit = CSV_RECORD_MAX;
	r->line0 = 1;
	r->maxstore = COLUMNS_MAX + 1;
	r->delim = ',';
	parser_init(r);
	start = ftello(f);
	end = -1;
	if (start >= 0 && fseeko(f, 0, SEEK_END) == 0)
		end = ftello(f);
	if (end < start || fseeko(f, start, SEEK_SET) != 0) {
		rc = err_set(err, TEND_EIO, "%s: cannot seek: %s", r->name,
		    strerror(errno));
		goto out;
	}
	n = fread(bom, 1, sizeof bom, f);
	if (ferror(f)) {
		rc = err_set(err, TEND_EIO, "%s: cannot read: %s", r->name,
		    strerror(errno));
		goto out;
	}
	r->base = start;
	if (n == 3 && bom[0] == 0xef && bom[1] == 0xbb && bom[2] == 0xbf)
		r->base = start + 3;
	else if (n >= 2 && ((bom[0] == 0xff && bom[1] == 0xfe) ||
	    (bom[0] == 0xfe && bom[1] == 0xff))) {
		rc = err_set(err, TEND_EINVAL, "%s: the file is UTF-16, not "
		    "UTF-8 (save it as CSV UTF-8)", r->name);
		goto out;
	}
	if ((rc = sep_line(r, err)) != 0)
		goto out;
	rc = charset_utf8_file(f, r->name, err);
	if (rc < 0)
		goto out;
	/* small files, small buffers */
	r->chunk = end - start < CHUNK ? (size_t)(end - start) + 1 : CHUNK;
	r->raw = xmalloc(r->chunk);
	if (rc == 0) {
		r->recoded = 1;
		r->conv = xmalloc(CHARSET_CP1252_MAX(r->chunk));
	}
	if ((rc = find_header(r, err)) != 0)
		goto out;
	for (i = 0; i < nmaps; i++)
		if ((rc = apply_map(r, maps[i], err)) != 0)
			goto out;
	*out = r;
	r = NULL;
	rc = 0;
out:
	csv_reader_free(r);
	return rc;
}

void
csv_reader_free(struct csv_reader *r)
{
	size_t	i;

	if (r == NULL)
		return;
	csv_free(&r->p);
	for (i = 0; i < r->ncols; i++) {
		free(r->cols[i].header);
		free(r->cols[i].norm);
	}
	free(r->cols);
	free(r->agroups);
	free(r->aparts);
	free(r->emails.v);
	free(r->emails.label);
	free(r->phones.v);
	free(r->phones.label);
	free(r->tags.v);
	free(r->tags.label);
	free(r->xv);
	free(r->fbuf);
	free(r->foff);
	free(r->flens);
	free(r->raw);
	free(r->conv);
	free(r->tz);
	free(r->name);
	free(r);
}

enum csv_layout
csv_reader_layout(const struct csv_reader *r)
{
	return r->layout;
}

int
csv_reader_recoded(const struct csv_reader *r)
{
	return r->recoded;
}

unsigned
csv_reader_line(const struct csv_reader *r)
{
	return r->cur_line;
}

unsigned
csv_reader_record(const struct csv_reader *r)
{
	return r->cur_record;
}

void
csv_reader_limit(struct csv_reader *r, size_t max)
{
	if (max > 0 && max < CSV_RECORD_MAX)
		r->limit = max;
}

/* ---------------------------------------------------------------- */
/* Mapping one record */

static void
vec_push(struct vec *v, char *s, char *label, int front)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
		v->label = xrealloc(v->label, v->cap * sizeof *v->label);
	}
	if (front) {
		memmove(v->v + 1, v->v, v->n * sizeof *v->v);
		memmove(v->label + 1, v->label, v->n * sizeof *v->label);
		v->v[0] = s;
		v->label[0] = label;
	} else {
		v->v[v->n] = s;
		v->label[v->n] = label;
	}
	v->n++;
}

static void
vec_take(struct arena *a, struct vec *v, struct strlist *out, int labels)
{
	size_t	i;
	int	any = 0;

	if (v->n == 0)
		return;
	out->v = arena_alloc(a, v->n * sizeof *out->v);
	memcpy(out->v, v->v, v->n * sizeof *out->v);
	for (i = 0; i < v->n; i++)
		if (v->label[i] != NULL)
			any = 1;
	if (labels && any) {
		out->label = arena_alloc(a, v->n * sizeof *out->label);
		memcpy(out->label, v->label, v->n * sizeof *out->label);
	}
	out->n = v->n;
}

static void
extra_add(struct csv_reader *r, char *name, char *params, char *value)
{
	if (r->xn == r->xcap) {
		r->xcap = r->xcap ? r->xcap * 2 : 8;
		r->xv = xrealloc(r->xv, r->xcap * sizeof *r->xv);
	}
	r->xv[r->xn].group = NULL;
	r->xv[r->xn].name = name;
	r->xv[r->xn].params = params;
	r->xv[r->xn].value = value;
	r->xn++;
}

/* A column tend has no field for: X-TEND-CSV;X-COLUMN=header. */
static void
extra_column(struct csv_reader *r, struct arena *a, const struct col *c,
    const char *v)
{
	extra_add(r, arena_strdup(a, "X-TEND-CSV"),
	    arena_printf(a, "X-COLUMN=%s", esc_param(a, c->header)),
	    esc_text(a, v));
}

static const struct {
	const char	*in;
	const char	*label;
	const char	*out;		/* as the Google layout writes it */
} labels[] = {
	{ "work", "work", "Work" },
	{ "home", "home", "Home" },
	{ "other", "other", "Other" },
	{ "mobile", "cell", "Mobile" },
	{ "cell", "cell", NULL },
	{ "main", "main", "Main" },
	{ "pager", "pager", "Pager" },
	{ "work fax", "work,fax", "Work Fax" },
	{ "home fax", "home,fax", "Home Fax" },
	{ "other fax", "fax", "Other Fax" },
	{ "fax", "fax", NULL },
	{ "work mobile", "work,cell", "Work Mobile" },
	{ "work pager", "work,pager", "Work Pager" },
	{ "voice", "voice", NULL },
	{ "text", "text", NULL },
	{ "video", "video", NULL },
	{ "textphone", "textphone", NULL },
	{ "car", "car", NULL },
	{ "isdn", "isdn", NULL }
};

/*
 * A label as tend keeps it: Google's "* " (the primary value) taken
 * off and reported, the words vCard has lower-cased ("Mobile" is
 * "cell"), anything else as written.  NULL for an empty label.
 */
static char *
label_in(struct arena *a, const char *s, int *primary)
{
	size_t	i, n;

	while (is_ws((unsigned char)*s))
		s++;
	if (*s == '*') {
		*primary = 1;
		s++;
		while (is_ws((unsigned char)*s))
			s++;
	}
	n = strlen(s);
	while (n > 0 && is_ws((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	for (i = 0; i < nitems(labels); i++)
		if (strlen(labels[i].in) == n &&
		    strncasecmp(labels[i].in, s, n) == 0)
			return arena_strdup(a, labels[i].label);
	return arena_strndup(a, s, n);
}

/*
 * The next value of a cell split on " ::: " and on the characters in
 * seps (NULL: none), trimmed, empty ones passed over; *pp moves on and
 * is NULL after the last.  The cell is cut in place.
 */
static char *
next_piece(char **pp, const char *seps)
{
	char	*p = *pp, *start, *e, *next;
	size_t	 skip;

	while (p != NULL) {
		start = p;
		skip = 0;
		while (*p != '\0') {
			if (strncmp(p, SEP, 5) == 0) {
				skip = 5;
				break;
			}
			if (seps != NULL && strchr(seps, *p) != NULL) {
				skip = 1;
				break;
			}
			p++;
		}
		e = p;
		next = skip > 0 ? p + skip : NULL;
		while (start < e && is_ws((unsigned char)*start))
			start++;
		while (e > start && is_ws((unsigned char)e[-1]))
			e--;
		if (e > start) {
			*e = '\0';
			*pp = next;
			return start;
		}
		p = next;
	}
	*pp = NULL;
	return NULL;
}

static const char *
seps_for(const struct csv_reader *r, enum role role)
{
	if (r->layout == CSV_TEND || r->layout == CSV_GOOGLE)
		return NULL;
	return role == R_EMAIL ? ";," : ";";
}

static char *
cell(struct csv_reader *r, int i)
{
	if (i < 0 || (size_t)i >= r->nf || (size_t)i >= r->maxstore)
		return NULL;
	return r->fbuf + r->foff[i];
}

/* E-mail or phone values of one cell, with the label of the group. */
static void
add_values(struct csv_reader *r, struct arena *a, const struct col *c,
    char *v, enum role label_role, struct vec *vec)
{
	char		*label = NULL, *lab, *piece;
	int		 primary = c->primary, first = 1;

	if (c->label != NULL)
		label = arena_strdup(a, c->label);
	lab = c->link >= 0 && r->cols[c->link].role == label_role ?
	    cell(r, c->link) : NULL;
	if (lab != NULL)
		label = label_in(a, lab, &primary);
	while ((piece = next_piece(&v, seps_for(r, c->role))) != NULL) {
		vec_push(vec, arena_strdup(a, piece), label, primary && first);
		first = 0;
	}
}

static void
add_tags(struct csv_reader *r, struct arena *a, char *v)
{
	char	*t;
	size_t	 j;
	int	 star, dup;

	while ((t = next_piece(&v, seps_for(r, R_TAGS))) != NULL) {
		star = *t == '*';
		if (star) {
			t++;
			while (is_ws((unsigned char)*t))
				t++;
		}
		/* Google's system group for every contact */
		if (*t == '\0' || (star && (strcasecmp(t, "myContacts") == 0 ||
		    strcasecmp(t, "My Contacts") == 0)))
			continue;
		dup = 0;
		for (j = 0; j < r->tags.n; j++)
			if (strcmp(r->tags.v[j], t) == 0)
				dup = 1;
		if (!dup)
			vec_push(&r->tags, arena_strdup(a, t), NULL, 0);
	}
}

/* Set a one-value field; a second, different value is kept as extra. */
static void
set1(struct csv_reader *r, struct arena *a, char **field,
    const struct col *c, const char *v)
{
	if (*field == NULL)
		*field = arena_strdup(a, v);
	else if (strcmp(*field, v) != 0)
		extra_column(r, a, c, v);
}

static void
set_part(const char **part, const struct col *c, const char *v,
    struct csv_reader *r, struct arena *a)
{
	if (*part == NULL)
		*part = v;
	else
		extra_column(r, a, c, v);
}

/* BDAY or ANNIVERSARY: a vCard 4.0 date, or the text as written. */
static void
add_date(struct csv_reader *r, struct arena *a, const char *name,
    const char *v)
{
	int	y, m, d, rc;

	rc = parse_date(v, &y, &m, &d);
	if (rc == -1)
		return;
	if (rc == 1)
		extra_add(r, arena_strdup(a, name), NULL,
		    arena_printf(a, "%04d%02d%02d", y, m, d));
	else if (rc == 2)
		extra_add(r, arena_strdup(a, name), NULL,
		    arena_printf(a, "--%02d%02d", m, d));
	else
		extra_add(r, arena_strdup(a, name),
		    arena_strdup(a, "VALUE=text"), esc_text(a, v));
}

static const char *
akind_label(int akind)
{
	switch (akind) {
	case AK_HOME:
		return "home";
	case AK_WORK:
		return "work";
	case AK_OTHER:
		return "other";
	}
	return NULL;
}

static char *
type_param(struct arena *a, const char *label)
{
	if (label == NULL)
		return NULL;
	return arena_printf(a, "TYPE=%s", esc_param(a, label));
}

/* The ADRs of a record, from the address columns gathered. */
static void
add_addresses(struct csv_reader *r, struct arena *a)
{
	size_t		 g, k;
	const char	**p, *label, *lab;
	char		*parts[A_NPARTS];
	int		 any, primary;

	for (g = 0; g < r->nagroups; g++) {
		p = r->aparts + g * A_NPARTS;
		any = 0;
		for (k = 0; k < A_FORMATTED; k++)
			if (p[k] != NULL)
				any = 1;
		if (!any && p[A_FORMATTED] == NULL)
			continue;
		/* the formatted text only when there are no parts: it is
		 * made from them */
		if (!any)
			p[A_STREET] = p[A_FORMATTED];
		for (k = 0; k < A_FORMATTED; k++)
			parts[k] = esc_text(a, p[k] != NULL ? p[k] : "");
		label = akind_label(r->agroups[g].akind);
		lab = cell(r, r->agroups[g].label_col);
		primary = 0;
		if (lab != NULL && *lab != '\0')
			label = label_in(a, lab, &primary);
		extra_add(r, arena_strdup(a, "ADR"), type_param(a, label),
		    arena_printf(a, "%s;%s;%s;%s;%s;%s;%s", parts[0],
		    parts[1], parts[2], parts[3], parts[4], parts[5],
		    parts[6]));
	}
}

static char *
join3(struct arena *a, const char *x, const char *y, const char *z)
{
	const char	*v[3] = { x, y, z };
	char		*out = NULL;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		if (v[i] == NULL || *v[i] == '\0')
			continue;
		out = out == NULL ? arena_strdup(a, v[i]) :
		    arena_printf(a, "%s %s", out, v[i]);
	}
	return out;
}

/*
 * The structured name as an N extra, when the name alone would not give
 * it back: a vCard writer derives N from the name with the last word as
 * the family name, which is wrong for "García López" or a prefix.
 */
static void
add_n(struct csv_reader *r, struct arena *a, const char *name,
    const char *first, const char *middle, const char *last,
    const char *prefix, const char *suffix)
{
	char	*joined;

	if (first == NULL && last == NULL)
		return;
	joined = join3(a, first, middle, last);
	if (prefix == NULL && suffix == NULL && last != NULL &&
	    strchr(last, ' ') == NULL && name != NULL && joined != NULL &&
	    strcmp(name, joined) == 0)
		return;
	extra_add(r, arena_strdup(a, "N"), NULL,
	    arena_printf(a, "%s;%s;%s;%s;%s", esc_text(a, last ? last : ""),
	    esc_text(a, first ? first : ""), esc_text(a, middle ? middle : ""),
	    esc_text(a, prefix ? prefix : ""),
	    esc_text(a, suffix ? suffix : "")));
}

static int
is_default(const struct col *c, const char *v)
{
	size_t	i;

	for (i = 0; i < nitems(defaults); i++)
		if (strcmp(c->norm, defaults[i].norm) == 0 &&
		    strcasecmp(v, defaults[i].value) == 0)
			return 1;
	return 0;
}

/* A cell that cannot be read: "invalid date 'x' in column 'Met'". */
static int
bad_cell(struct csv_reader *r, struct err *err, const char *what,
    const char *v, const struct col *c, const char *expect)
{
	char	t1[QUOTE_MAX + 8], t2[QUOTE_MAX + 8];

	return err_set(err, TEND_EINVAL, "%s: line %u (record %u): invalid "
	    "%s '%s' in column '%s'%s", r->name, r->cur_line, r->cur_record,
	    what, shorten(t1, v), shorten(t2, c->header), expect);
}

static int
yes_no(const char *v)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "x" };
	static const char *const no[] = { "no", "n", "false", "0" };
	size_t	i;

	for (i = 0; i < nitems(yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	for (i = 0; i < nitems(no); i++)
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	return -1;
}

static int
map_row(struct csv_reader *r, struct arena *a, struct contact **out,
    struct err *err)
{
	struct contact	*c;
	const struct col *col;
	const char	*first = NULL, *middle = NULL, *last = NULL;
	const char	*prefix = NULL, *suffix = NULL, *lab;
	char		*v, *notes = NULL, *label;
	size_t		 i, n;
	int		 y, m, d, rc, primary;
	struct when_tm	 tm;

	c = arena_alloc(a, sizeof *c);
	r->emails.n = r->phones.n = r->tags.n = 0;
	r->xn = 0;
	memset(r->aparts, 0, r->nagroups * A_NPARTS * sizeof *r->aparts);
	n = r->nf < r->ncols ? r->nf : r->ncols;
	for (i = 0; i < n; i++) {
		col = &r->cols[i];
		v = r->fbuf + r->foff[i];
		if (*v == '\0' || col->role == R_IGNORE || is_default(col, v))
			continue;
		switch (col->role) {
		case R_NAME:
			set1(r, a, &c->name, col, v);
			break;
		case R_FIRST:
			set_part(&first, col, v, r, a);
			break;
		case R_MIDDLE:
			set_part(&middle, col, v, r, a);
			break;
		case R_LAST:
			set_part(&last, col, v, r, a);
			break;
		case R_PREFIX:
			set_part(&prefix, col, v, r, a);
			break;
		case R_SUFFIX:
			set_part(&suffix, col, v, r, a);
			break;
		case R_EMAIL:
			add_values(r, a, col, v, R_EMAIL_LABEL, &r->emails);
			break;
		case R_PHONE:
			add_values(r, a, col, v, R_PHONE_LABEL, &r->phones);
			break;
		case R_COMPANY:
			set1(r, a, &c->company, col, v);
			break;
		case R_TITLE:
			set1(r, a, &c->title, col, v);
			break;
		case R_NOTES:
			notes = notes == NULL ? arena_strdup(a, v) :
			    arena_printf(a, "%s\n\n%s", notes, v);
			break;
		case R_TAGS:
			add_tags(r, a, v);
			break;
		case R_KIND:
			set1(r, a, &c->kind, col, v);
			break;
		case R_MET_WHERE:
			set1(r, a, &c->met_where, col, v);
			break;
		case R_MET_ON:
			if (parse_date(v, &y, &m, &d) != 1)
				return bad_cell(r, err, "date", v, col, "");
			if (c->met_on != 0) {
				extra_column(r, a, col, v);
				break;
			}
			memset(&tm, 0, sizeof tm);
			tm.year = y;
			tm.month = m;
			tm.day = d;
			c->met_on = when_day_start(when_join(&tm, r->tz),
			    r->tz);
			break;
		case R_SOURCE:
			set1(r, a, &c->source, col, v);
			break;
		case R_NEEDS:
			set1(r, a, &c->needs, col, v);
			break;
		case R_TZ:
			set1(r, a, &c->tz, col, v);
			break;
		case R_DNC:
			rc = yes_no(v);
			if (rc < 0)
				return bad_cell(r, err, "value", v, col,
				    " (expected yes or no)");
			c->do_not_contact |= rc;
			break;
		case R_VIA:
			extra_add(r, arena_strdup(a, "X-TEND-VIA"), NULL,
			    arena_strdup(a, v));
			break;
		case R_CADENCE:
			extra_add(r, arena_strdup(a, "X-TEND-CADENCE"), NULL,
			    arena_strdup(a, v));
			break;
		case R_BDAY:
			add_date(r, a, "BDAY", v);
			break;
		case R_ANNIVERSARY:
			add_date(r, a, "ANNIVERSARY", v);
			break;
		case R_NICKNAME:
			extra_add(r, arena_strdup(a, "NICKNAME"), NULL,
			    esc_text(a, v));
			break;
		case R_URL:
			label = arena_strdup(a, col->label);
			lab = col->link >= 0 &&
			    r->cols[col->link].role == R_URL_LABEL ?
			    cell(r, col->link) : NULL;
			primary = 0;
			if (lab != NULL && *lab != '\0')
				label = label_in(a, lab, &primary);
			extra_add(r, arena_strdup(a, "URL"),
			    type_param(a, label), uri_value(a, v));
			break;
		case R_PHOTO:
			if (strncasecmp(v, "http:", 5) == 0 ||
			    strncasecmp(v, "https:", 6) == 0 ||
			    strncasecmp(v, "data:", 5) == 0)
				extra_add(r, arena_strdup(a, "PHOTO"), NULL,
				    uri_value(a, v));
			else
				extra_column(r, a, col, v);
			break;
		case R_ADR:
			if (col->part == A_STREET &&
			    r->aparts[col->agroup * A_NPARTS + A_STREET])
				r->aparts[col->agroup * A_NPARTS + A_STREET] =
				    arena_printf(a, "%s\n%s", r->aparts[
				    col->agroup * A_NPARTS + A_STREET], v);
			else
				set_part(&r->aparts[col->agroup * A_NPARTS +
				    col->part], col, v, r, a);
			break;
		case R_EMAIL_LABEL:
		case R_PHONE_LABEL:
		case R_URL_LABEL:
		case R_ADR_LABEL:
		case R_IGNORE:
			break;
		case R_EXTRA:
			extra_column(r, a, col, v);
			break;
		}
	}
	add_addresses(r, a);
	if (c->name == NULL)
		c->name = join3(a, first, middle, last);
	add_n(r, a, c->name, first, middle, last, prefix, suffix);
	if (c->name == NULL && r->emails.n == 0 && r->phones.n == 0 &&
	    c->company == NULL) {
		/* nothing names a person: an empty contact, skipped */
		memset(c, 0, sizeof *c);
		*out = c;
		return 1;
	}
	c->notes = notes;
	if (r->layout == CSV_LINKEDIN && c->met_where == NULL)
		c->met_where = arena_strdup(a, "LinkedIn");
	vec_take(a, &r->emails, &c->emails, 1);
	vec_take(a, &r->phones, &c->phones, 1);
	vec_take(a, &r->tags, &c->tags, 0);
	if (r->xn > 0) {
		c->extras = arena_alloc(a, r->xn * sizeof *c->extras);
		memcpy(c->extras, r->xv, r->xn * sizeof *c->extras);
		c->nextras = r->xn;
	}
	*out = c;
	return 1;
}

int
csv_read(struct csv_reader *r, struct arena *a, struct contact **out,
    struct err *err)
{
	int	rc;

	*out = NULL;
	for (;;) {
		rc = next_row(r, err);
		if (rc == ROW_END)
			return 0;
		if (rc < 0)
			return rc;
		r->record++;
		r->cur_line = r->rec_line;
		r->cur_record = r->record;
		if (rc == ROW_TOO_LONG)
			return err_set(err, TEND_EINVAL, "%s: line %u (record "
			    "%u): record longer than %zu bytes", r->name,
			    r->cur_line, r->cur_record, r->limit);
		if (rc == ROW_UNCLOSED)
			return err_set(err, TEND_EINVAL, "%s: line %u (record "
			    "%u): quoted field not closed at the end of the "
			    "file", r->name, r->cur_line, r->cur_record);
		if (r->rec_nul)
			return err_set(err, TEND_EINVAL, "%s: line %u (record "
			    "%u): binary data (a NUL byte)", r->name,
			    r->cur_line, r->cur_record);
		if (trim_row(r))
			continue;
		if (r->nf < r->ncols ||
		    (r->nf > r->ncols && r->extra_nonempty))
			return err_set(err, TEND_EINVAL, "%s: line %u (record "
			    "%u): %zu fields, the header has %zu", r->name,
			    r->cur_line, r->cur_record, r->nf, r->ncols);
		return map_row(r, a, out, err);
	}
}

/* ---------------------------------------------------------------- */
/* Writing */

static const char *const tend_columns[] = {
	"name", "company", "title", "kind", "emails", "phones", "tags",
	"met_where", "met_on", "via", "source", "needs", "notes", "tz",
	"do_not_contact", "cadence", "last_touch"
};

#define GOOGLE_EMAILS	3
#define GOOGLE_PHONES	3

static const char *const google_columns[] = {
	"First Name", "Middle Name", "Last Name", "Name Prefix",
	"Name Suffix", "Nickname", "Organization Name", "Organization Title",
	"Birthday", "Notes", "Labels",
	"E-mail 1 - Label", "E-mail 1 - Value",
	"E-mail 2 - Label", "E-mail 2 - Value",
	"E-mail 3 - Label", "E-mail 3 - Value",
	"Phone 1 - Label", "Phone 1 - Value",
	"Phone 2 - Label", "Phone 2 - Value",
	"Phone 3 - Label", "Phone 3 - Value",
	"Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street",
	"Address 1 - City", "Address 1 - PO Box", "Address 1 - Region",
	"Address 1 - Postal Code", "Address 1 - Country",
	"Address 1 - Extended Address",
	"Website 1 - Label", "Website 1 - Value"
};

/* One field, quoted when it must be (RFC 4180), after a comma if not
 * the first of its row. */
static void
put(FILE *f, const char *s, int first)
{
	size_t	n;

	if (!first)
		putc(',', f);
	if (s == NULL || *s == '\0')
		return;
	n = strlen(s);
	if (strpbrk(s, ",\"\r\n") == NULL && !is_ws((unsigned char)s[0]) &&
	    !is_ws((unsigned char)s[n - 1])) {
		fwrite(s, 1, n, f);
		return;
	}
	putc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static int
write_end(FILE *f, struct err *err)
{
	putc('\n', f);
	if (ferror(f))
		return err_set(err, TEND_EIO, "cannot write CSV: %s",
		    strerror(errno));
	return 0;
}

int
csv_write_header(FILE *f, enum csv_layout layout, struct err *err)
{
	size_t	i;

	if (layout == CSV_TEND) {
		for (i = 0; i < nitems(tend_columns); i++)
			put(f, tend_columns[i], i == 0);
	} else if (layout == CSV_GOOGLE) {
		fputs("\xef\xbb\xbf", f);
		for (i = 0; i < nitems(google_columns); i++)
			put(f, google_columns[i], i == 0);
	} else
		return err_set(err, TEND_EINVAL, "cannot write the %s CSV "
		    "layout (tend or google)", csv_layout_name(layout));
	return write_end(f, err);
}

/* s joined with " ::: ", into the arena. */
static char *
joined(struct arena *a, char *const *v, size_t from, size_t to)
{
	char	*out = NULL;
	size_t	 i;

	for (i = from; i < to; i++)
		out = out == NULL ? arena_strdup(a, v[i]) :
		    arena_printf(a, "%s" SEP "%s", out, v[i]);
	return out;
}

static int
write_tend(FILE *f, const struct contact *c, const char *tz,
    struct arena *a, struct err *err)
{
	char		 met[WHEN_BUFSZ], touch[32];
	struct when_tm	 tm;

	met[0] = touch[0] = '\0';
	if (c->met_on != 0)
		when_format(met, sizeof met, c->met_on, tz, WHEN_DATE);
	if (c->last_touch != 0) {
		when_split(c->last_touch, "UTC", &tm);
		snprintf(touch, sizeof touch, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec);
	}
	put(f, c->name, 1);
	put(f, c->company, 0);
	put(f, c->title, 0);
	put(f, c->kind, 0);
	put(f, joined(a, c->emails.v, 0, c->emails.n), 0);
	put(f, joined(a, c->phones.v, 0, c->phones.n), 0);
	put(f, joined(a, c->tags.v, 0, c->tags.n), 0);
	put(f, c->met_where, 0);
	put(f, met, 0);
	put(f, c->via_name, 0);
	put(f, c->source, 0);
	put(f, c->needs, 0);
	put(f, c->notes, 0);
	put(f, c->tz, 0);
	put(f, c->do_not_contact ? "yes" : NULL, 0);
	put(f, c->cadence, 0);
	put(f, touch, 0);
	return write_end(f, err);
}

/* Undo esc_text(): \n, \, \; \\ (any \x is x). */
static char *
unesc(struct arena *a, const char *s, size_t n)
{
	char	*out, *o;
	size_t	 i;

	out = arena_alloc(a, n + 1);
	o = out;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			*o++ = s[i] == 'n' || s[i] == 'N' ? '\n' : s[i];
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* The components of a compound value (N, ADR), unescaped. */
static size_t
components(struct arena *a, const char *s, char **out, size_t max)
{
	size_t	 n = 0, i, start = 0, len = strlen(s);

	for (i = 0; i <= len && n < max; i++) {
		if (i < len && s[i] == '\\') {
			i++;
			continue;
		}
		if (i == len || s[i] == ';') {
			out[n++] = unesc(a, s + start, i - start);
			start = i + 1;
		}
	}
	for (i = n; i < max; i++)
		out[i] = arena_strdup(a, "");
	return n;
}

/* The value of the TYPE parameter in params, decoded; NULL if none. */
static char *
param_type(struct arena *a, const char *params)
{
	const char	*p = params, *v;
	char		*out, *o;
	int		 q;

	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, "TYPE=", 5) == 0) {
			v = p + 5;
			q = *v == '"';
			if (q)
				v++;
			out = arena_alloc(a, strlen(v) + 1);
			o = out;
			for (; *v != '\0'; v++) {
				if (q ? *v == '"' : *v == ';')
					break;
				if (*v == '^' && v[1] == '\'') {
					*o++ = '"';
					v++;
				} else if (*v == '^' && v[1] == 'n') {
					*o++ = '\n';
					v++;
				} else if (*v == '^' && v[1] == '^') {
					*o++ = '^';
					v++;
				} else
					*o++ = *v;
			}
			*o = '\0';
			return out;
		}
		/* the next parameter: after a ; outside quotes */
		q = 0;
		while (*p != '\0' && (q || *p != ';')) {
			if (*p == '"')
				q = !q;
			p++;
		}
		if (*p == ';')
			p++;
	}
	return NULL;
}

/* A label as Google writes it: "Work", "Mobile"; "* " for primary. */
static char *
label_out(struct arena *a, const char *label, int primary)
{
	const char	*s = label != NULL ? label : "";
	size_t		 i;

	for (i = 0; i < nitems(labels); i++)
		if (labels[i].out != NULL && strcmp(labels[i].label, s) == 0) {
			s = labels[i].out;
			break;
		}
	if (primary)
		return arena_printf(a, "* %s", s);
	return arena_strdup(a, s);
}

static const struct contact_extra *
extra_get(const struct contact *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nextras; i++)
		if (c->extras[i].name != NULL &&
		    strcasecmp(c->extras[i].name, name) == 0)
			return &c->extras[i];
	return NULL;
}

/* 1 if params has the parameter p ("VALUE=text"), in any case. */
static int
param_is(const char *params, const char *p)
{
	size_t	n = strlen(p);

	for (; *params != '\0'; params++)
		if (strncasecmp(params, p, n) == 0)
			return 1;
	return 0;
}

/* A vCard BDAY (19850415, --1127) as Google writes it. */
static char *
google_date(struct arena *a, const struct contact_extra *x)
{
	const char	*v = x->value;

	if (x->params != NULL && param_is(x->params, "VALUE=text"))
		return unesc(a, v, strlen(v));
	if (strlen(v) == 8 && strspn(v, "0123456789") == 8)
		return arena_printf(a, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
	if (strlen(v) == 6 && strncmp(v, "--", 2) == 0)
		return arena_printf(a, "--%.2s-%.2s", v + 2, v + 4);
	return arena_strdup(a, v);
}

/* Values i.. of a list for the Google group number g of ngroups. */
static void
put_group(FILE *f, struct arena *a, const struct strlist *l, size_t g,
    size_t ngroups)
{
	size_t	to;

	if (g >= l->n) {
		put(f, NULL, 0);
		put(f, NULL, 0);
		return;
	}
	/* the last group takes the rest, with the label of its first */
	to = g + 1 == ngroups ? l->n : g + 1;
	put(f, label_out(a, l->label != NULL ? l->label[g] : NULL, g == 0),
	    0);
	put(f, joined(a, l->v, g, to), 0);
}

static int
write_google(FILE *f, const struct contact *c, struct arena *a,
    struct err *err)
{
	const struct contact_extra *x;
	char		*np[5], *ap[7], *first = NULL, *last = NULL, *sp;
	char		*labels_cell, *formatted, *label;
	const char	*name = c->name != NULL ? c->name : "";
	size_t		 i;
	int		 have_n = 0;

	memset(np, 0, sizeof np);
	x = extra_get(c, "N");
	if (x != NULL) {
		components(a, x->value, np, 5);
		sp = join3(a, np[1], np[2], np[0]);
		have_n = sp != NULL && strcmp(sp, name) == 0;
	}
	if (!have_n) {
		np[3] = np[4] = NULL;
		np[2] = NULL;
		sp = strrchr(name, ' ');
		if (sp != NULL) {
			first = arena_strndup(a, name, (size_t)(sp - name));
			last = arena_strdup(a, sp + 1);
		} else
			last = arena_strdup(a, name);
		np[1] = first;
		np[0] = last;
	}
	put(f, np[1], 1);
	put(f, np[2], 0);
	put(f, np[0], 0);
	put(f, np[3], 0);
	put(f, np[4], 0);
	x = extra_get(c, "NICKNAME");
	put(f, x != NULL ? unesc(a, x->value, strlen(x->value)) : NULL, 0);
	put(f, c->company, 0);
	put(f, c->title, 0);
	x = extra_get(c, "BDAY");
	put(f, x != NULL ? google_date(a, x) : NULL, 0);
	put(f, c->notes, 0);
	labels_cell = joined(a, c->tags.v, 0, c->tags.n);
	put(f, labels_cell != NULL ? arena_printf(a, "%s" SEP "* myContacts",
	    labels_cell) : "* myContacts", 0);
	for (i = 0; i < GOOGLE_EMAILS; i++)
		put_group(f, a, &c->emails, i, GOOGLE_EMAILS);
	for (i = 0; i < GOOGLE_PHONES; i++)
		put_group(f, a, &c->phones, i, GOOGLE_PHONES);
	x = extra_get(c, "ADR");
	if (x != NULL) {
		components(a, x->value, ap, 7);
		label = param_type(a, x->params);
		formatted = NULL;
		for (i = 2; i < 7; i++) {
			if (*ap[i] == '\0')
				continue;
			formatted = formatted == NULL ? ap[i] :
			    arena_printf(a, "%s\n%s", formatted, ap[i]);
		}
		put(f, label != NULL ? label_out(a, label, 0) : NULL, 0);
		put(f, formatted, 0);
		put(f, ap[2], 0);
		put(f, ap[3], 0);
		put(f, ap[0], 0);
		put(f, ap[4], 0);
		put(f, ap[5], 0);
		put(f, ap[6], 0);
		put(f, ap[1], 0);
	} else
		for (i = 0; i < 9; i++)
			put(f, NULL, 0);
	x = extra_get(c, "URL");
	if (x != NULL) {
		label = param_type(a, x->params);
		put(f, label != NULL ? label_out(a, label, 0) : NULL, 0);
		put(f, x->value, 0);
	} else {
		put(f, NULL, 0);
		put(f, NULL, 0);
	}
	return write_end(f, err);
}

int
csv_write_contact(FILE *f, enum csv_layout layout, const struct contact *c,
    const char *tz, struct err *err)
{
	struct arena	*a;
	int		 rc;

	if (layout != CSV_TEND && layout != CSV_GOOGLE)
		return err_set(err, TEND_EINVAL, "cannot write the %s CSV "
		    "layout (tend or google)", csv_layout_name(layout));
	a = arena_new();
	if (layout == CSV_TEND)
		rc = write_tend(f, c, tz, a, err);
	else
		rc = write_google(f, c, a, err);
	arena_free(a);
	return rc;
}
