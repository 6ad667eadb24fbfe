/*
 * vCard 2.1, 3.0 and 4.0 (RFC 2425/2426, RFC 6350): a streaming reader
 * that turns each card into a struct contact, keeping every property
 * tend has no field for as an extra in its 4.0 form, and a writer for
 * 4.0 and 3.0.  docs/vcard.md says which property goes where.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/when.h"
#include "interop/vcard.h"
#include "util/arena.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define IBUF_SIZE	(64 * 1024)
#define CHARSET_MAX	40
#define EXCERPT_MAX	40

/* ------------------------------------------------------------------ */
/* Growable buffers, owned by the reader or the writer and reused.     */

struct buf {
	char	*p;
	size_t	 n;
	size_t	 cap;
};

static void
buf_grow(struct buf *b, size_t more)
{
	size_t	cap;

	if (b->n + more + 1 <= b->cap)
		return;
	cap = b->cap == 0 ? 256 : b->cap;
	while (cap < b->n + more + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

static void
buf_add(struct buf *b, const void *s, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

static void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_reset(struct buf *b)
{
	b->n = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

static void
buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* Make room in the array v (capacity cap) for element n. */
#define VEC_ROOM(v, cap, n) do {					\
	if ((n) >= (cap)) {						\
		(cap) = (cap) == 0 ? 8 : (cap) * 2;			\
		(v) = xrealloc((v), (cap) * sizeof *(v));		\
	}								\
} while (0)

/* ------------------------------------------------------------------ */
/* The reader's state.                                                 */

struct pline {			/* one physical line */
	struct buf	 b;
	size_t		 bytes;		/* raw length, counted past the limit */
	unsigned	 no;
	int		 toolong;
	int		 valid;
};

struct rawline {		/* a logical line of the card being read */
	size_t		 off;
	size_t		 len;
	unsigned	 line;
};

struct prop {			/* a logical line split into its parts */
	char		*group;		/* arena, or NULL */
	char		*name;		/* arena, upper case */
	const char	*params;	/* raw text after the name */
	size_t		 plen;
	const char	*val;
	size_t		 vlen;
	unsigned	 line;
};

struct item {			/* an e-mail address or a phone number */
	char		*value;
	char		*label;
	char		*group;
	int		 pref;
	int		 ablabel;	/* label came from an X-ABLabel */
};

struct xitem {			/* an extra, and how the card uses it */
	struct contact_extra	 x;
	int			 ablabel;	/* an X-ABLabel with a group */
	int			 drop;
};

struct vcard_reader {
	FILE		*f;
	char		*name;

	/* input: our own buffer, so a 200 MB line costs no memory */
	char		*ibuf;
	size_t		 ipos;
	size_t		 ilen;
	int		 eof;
	int		 ioerr;
	unsigned	 lineno;

	/* one physical line of lookahead, for folding */
	struct pline	 peek;
	struct buf	 ll;		/* the logical line */
	unsigned	 ll_no;
	size_t		 ll_bytes;
	int		 ll_toolong;

	/* where we are */
	int		 in_card;
	int		 skipping;	/* after an error: up to a BEGIN */
	int		 done;
	unsigned	 cards;		/* BEGIN:VCARD lines seen */
	unsigned	 cur_card;
	unsigned	 cur_line;
	unsigned	 last_card;
	unsigned	 last_line;
	size_t		 card_bytes;

	/* the card being read: its logical lines, kept until END */
	struct buf	 cbuf;
	struct rawline	*lines;
	size_t		 nlines;
	size_t		 clines;

	/* the card being built */
	struct prop	*props;
	size_t		 nprops;
	size_t		 cprops;
	struct item	*emails;
	size_t		 nemails;
	size_t		 cemails;
	struct item	*phones;
	size_t		 nphones;
	size_t		 cphones;
	struct xitem	*extras;
	size_t		 nextras;
	size_t		 cextras;
	char		**tags;
	size_t		 ntags;
	size_t		 ctags;
	struct buf	 notes;
	struct buf	 tmp;
	struct buf	 tmp2;
	struct buf	 tmp3;

	/* the last charset converter, kept open: cards repeat charsets */
	iconv_t		 cd;
	char		 cs[CHARSET_MAX + 1];

	char		 warn[ERR_MSG_MAX];
	int		 has_warn;
};

/* ------------------------------------------------------------------ */
/* Small helpers on text.                                              */

static int
ieq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static void
trim_span(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* A printable, shortened copy of s for a message. */
static const char *
excerpt(char *dst, size_t size, const char *s, size_t n)
{
	size_t	i, o = 0;

	for (i = 0; i < n && o + 4 < size && i < EXCERPT_MAX; i++) {
		unsigned char	c = (unsigned char)s[i];

		dst[o++] = c >= 0x20 && c < 0x7f && c != '\'' ? (char)c : '?';
	}
	if (i < n && o + 4 <= size) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
}

static char *
upper_dup(struct arena *a, const char *s, size_t n)
{
	char	*d = arena_strndup(a, s, n);
	size_t	 i;

	for (i = 0; i < n; i++)
		d[i] = (char)toupper((unsigned char)d[i]);
	return d;
}

/* Unescape a 4.0 text value: \n \N \, \; \\ \: ; others kept. */
static char *
unescape(struct arena *a, const char *s, size_t n)
{
	char	*d = arena_alloc(a, n + 1);
	size_t	 i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			d[o++] = s[i];
			continue;
		}
		switch (s[i + 1]) {
		case 'n':
		case 'N':
			d[o++] = '\n';
			i++;
			break;
		case ',':
		case ';':
		case '\\':
		case ':':
			d[o++] = s[i + 1];
			i++;
			break;
		default:
			d[o++] = s[i];
			break;
		}
	}
	d[o] = '\0';
	return d;
}

/* The end of the next component of s[0..n) split on unescaped sep. */
static size_t
component_end(const char *s, size_t n, char sep)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == sep)
			return i;
	}
	return n;
}

/* An unescaped, trimmed copy of s[0..n). */
static char *
field_text(struct arena *a, const char *s, size_t n)
{
	return text_trim(unescape(a, s, n));
}

/* "_$!<Other>!$_", Apple's form of a standard label, gives "Other". */
static char *
apple_label(char *s)
{
	size_t	n = strlen(s);

	while (n >= 8 && strncmp(s, "_$!<", 4) == 0 &&
	    strncmp(s + n - 4, ">!$_", 4) == 0) {
		memmove(s, s + 4, n - 8);
		n -= 8;
		s[n] = '\0';
	}
	return s;
}

/* ------------------------------------------------------------------ */
/* Property classes.                                                   */

/* Values that may be inline binary data (2.1/3.0 ENCODING=b). */
static const char *const binary_props[] = {
	"PHOTO", "LOGO", "SOUND", "KEY", NULL
};
/* Values that are URIs in 4.0: never escaped. */
static const char *const uri_props[] = {
	"URL", "PHOTO", "LOGO", "SOUND", "KEY", "FBURL", "CALURI",
	"CALADRURI", "SOURCE", "IMPP", "MEMBER", "GEO", NULL
};
/* 2.1: ';' separates components of these. */
static const char *const struct_props[] = {
	"N", "ADR", "ORG", NULL
};
/* 2.1: ',' separates values of these. */
static const char *const list_props[] = {
	"N", "CATEGORIES", "NICKNAME", NULL
};

/* TYPE values that say nothing a label needs. */
static const char *const label_skip[] = {
	"pref", "internet", "voice", "x400", NULL
};
/* Labels written as TYPE= words; others go to an X-ABLabel. */
static const char *const email_words[] = {
	"home", "work", "other", NULL
};
static const char *const tel_words[] = {
	"home", "work", "cell", "fax", "pager", "text", "video", "textphone",
	"msg", "bbs", "modem", "car", "isdn", "pcs", "main", "iphone",
	"other", NULL
};

/* 2.1/3.0 TYPE of inline data and the media type of its data: URI. */
static const struct {
	const char	*type;
	const char	*mime;
} media_types[] = {
	{ "jpeg", "image/jpeg" }, { "jpg", "image/jpeg" },
	{ "png", "image/png" }, { "gif", "image/gif" },
	{ "bmp", "image/bmp" }, { "tiff", "image/tiff" },
	{ "webp", "image/webp" }, { "heic", "image/heic" },
	{ "wav", "audio/wav" }, { "mp3", "audio/mpeg" },
	{ "ogg", "audio/ogg" }, { "x509", "application/x-x509-ca-cert" },
	{ "pgp", "application/pgp-keys" }
};
#define NMEDIA	(sizeof media_types / sizeof media_types[0])

static const char *
media_of_type(const char *type)
{
	size_t	i;

	if (strchr(type, '/') != NULL)
		return type;
	for (i = 0; i < NMEDIA; i++)
		if (strcmp(type, media_types[i].type) == 0)
			return media_types[i].mime;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Reading lines.                                                      */

struct vcard_reader *
vcard_reader_new(FILE *f, const char *name)
{
	struct vcard_reader	*r;

	r = xcalloc(1, sizeof *r);
	r->f = f;
	r->name = xstrdup(name != NULL ? name : "-");
	r->ibuf = xmalloc(IBUF_SIZE);
	r->cd = (iconv_t)-1;
	return r;
}

void
vcard_reader_free(struct vcard_reader *r)
{
	if (r == NULL)
		return;
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	buf_free(&r->peek.b);
	buf_free(&r->ll);
	buf_free(&r->cbuf);
	buf_free(&r->notes);
	buf_free(&r->tmp);
	buf_free(&r->tmp2);
	buf_free(&r->tmp3);
	free(r->lines);
	free(r->props);
	free(r->emails);
	free(r->phones);
	free(r->extras);
	free(r->tags);
	free(r->ibuf);
	free(r->name);
	free(r);
}

unsigned
vcard_reader_card(const struct vcard_reader *r)
{
	return r->last_card;
}

unsigned
vcard_reader_line(const struct vcard_reader *r)
{
	return r->last_line;
}

const char *
vcard_reader_warning(const struct vcard_reader *r)
{
	return r->has_warn ? r->warn : NULL;
}

/*
 * Read one physical line into p, without its line end.  Past
 * VCARD_LINE_MAX the bytes are counted, not kept.  Returns 1, 0 at the
 * end of the input, or TEND_EIO.
 */
static int
read_phys(struct vcard_reader *r, struct pline *p)
{
	const char	*s, *nl;
	size_t		 avail, take;
	int		 got = 0;

	buf_reset(&p->b);
	p->bytes = 0;
	p->toolong = 0;
	p->valid = 0;
	for (;;) {
		if (r->ipos == r->ilen) {
			if (r->eof)
				break;
			errno = 0;
			r->ilen = fread(r->ibuf, 1, IBUF_SIZE, r->f);
			r->ipos = 0;
			if (r->ilen == 0) {
				if (ferror(r->f)) {
					r->ioerr = errno != 0 ? errno : EIO;
					return TEND_EIO;
				}
				r->eof = 1;
				break;
			}
		}
		s = r->ibuf + r->ipos;
		avail = r->ilen - r->ipos;
		nl = memchr(s, '\n', avail);
		take = nl != NULL ? (size_t)(nl - s) : avail;
		got = 1;
		if (!p->toolong && p->b.n + take <= VCARD_LINE_MAX)
			buf_add(&p->b, s, take);
		else
			p->toolong = 1;
		p->bytes += take;
		r->ipos += take;
		if (nl != NULL) {
			r->ipos++;
			p->bytes++;
			break;
		}
	}
	if (!got)
		return 0;
	r->lineno++;
	p->no = r->lineno;
	/* CRLF, LF, and the CRCRLF some Apple exports have */
	while (p->b.n > 0 && p->b.p[p->b.n - 1] == '\r')
		p->b.n--;
	if (p->no == 1 && p->b.n >= 3 && memcmp(p->b.p, "\xef\xbb\xbf", 3) ==
	    0) {
		memmove(p->b.p, p->b.p + 3, p->b.n - 3);
		p->b.n -= 3;
	}
	if (p->b.p != NULL)
		p->b.p[p->b.n] = '\0';
	p->valid = 1;
	return 1;
}

/* Where the property's name and parameters end: the first ':' outside
 * quotes (quotes count only in parameters).  n if there is none. */
static size_t
head_end(const char *s, size_t n)
{
	size_t	i;
	int	inparams = 0, inq = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ':' && !inq)
			return i;
		if (s[i] == ';' && !inq)
			inparams = 1;
		else if (s[i] == '"' && inparams)
			inq = !inq;
	}
	return n;
}

struct param {
	const char	*name;
	size_t		 nlen;
	const char	*val;		/* NULL: a bare 2.1 parameter */
	size_t		 vlen;
};

/* The next parameter in [*sp, end): 1, or 0 when there is none. */
static int
param_next(const char **sp, const char *end, struct param *pm)
{
	const char	*s = *sp, *start, *eq;
	int		 inq = 0;

	while (s < end && *s == ';')
		s++;
	if (s >= end)
		return 0;
	start = s;
	for (; s < end; s++) {
		if (*s == '"')
			inq = !inq;
		else if (*s == ';' && !inq)
			break;
	}
	*sp = s;
	eq = memchr(start, '=', (size_t)(s - start));
	pm->name = start;
	if (eq == NULL) {
		pm->nlen = (size_t)(s - start);
		pm->val = NULL;
		pm->vlen = 0;
	} else {
		pm->nlen = (size_t)(eq - start);
		pm->val = eq + 1;
		pm->vlen = (size_t)(s - eq - 1);
	}
	trim_span(&pm->name, &pm->nlen);
	return 1;
}

/* Strip one pair of surrounding double quotes. */
static void
unquote(const char **s, size_t *n)
{
	trim_span(s, n);
	if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"') {
		(*s)++;
		*n -= 2;
	}
}

/* 1 if the logical line s[0..n) says ENCODING=QUOTED-PRINTABLE. */
static int
line_is_qp(const char *s, size_t n)
{
	struct param	 pm;
	const char	*p, *end;
	size_t		 h, vlen;

	h = head_end(s, n);
	if (h == n)
		return 0;
	p = memchr(s, ';', h);
	if (p == NULL)
		return 0;
	end = s + h;
	while (param_next(&p, end, &pm)) {
		if (pm.val == NULL) {
			if (ieq(pm.name, pm.nlen, "QUOTED-PRINTABLE"))
				return 1;
			continue;
		}
		if (!ieq(pm.name, pm.nlen, "ENCODING"))
			continue;
		vlen = pm.vlen;
		unquote(&pm.val, &vlen);
		if (ieq(pm.val, vlen, "QUOTED-PRINTABLE"))
			return 1;
	}
	return 0;
}

enum { L_BLANK, L_BEGIN, L_END, L_OTHER };

static int
line_kind(const char *s, size_t n)
{
	trim_span(&s, &n);
	if (n == 0)
		return L_BLANK;
	if (ieq(s, n, "BEGIN:VCARD"))
		return L_BEGIN;
	if (ieq(s, n, "END:VCARD"))
		return L_END;
	return L_OTHER;
}

static void
ll_append(struct vcard_reader *r, const char *s, size_t n)
{
	if (r->ll_toolong || r->ll.n + n > VCARD_LINE_MAX)
		r->ll_toolong = 1;
	else
		buf_add(&r->ll, s, n);
}

/*
 * The next logical line into r->ll: physical lines that start with a
 * space or a tab continue the one before (folding), and so does the
 * line after a quoted-printable value that ends in a soft break '='.
 * Returns 1, 0 at the end of the input, or TEND_EIO.
 */
static int
next_logical(struct vcard_reader *r)
{
	struct pline	*p = &r->peek;
	int		 rc;

	if (!p->valid) {
		rc = read_phys(r, p);
		if (rc <= 0)
			return rc;
	}
	buf_reset(&r->ll);
	r->ll_toolong = p->toolong;
	r->ll_no = p->no;
	r->ll_bytes = p->bytes;
	buf_add(&r->ll, p->b.p, p->b.n);
	p->valid = 0;
	for (;;) {
		rc = read_phys(r, p);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		if (r->ll.n > 0 && p->b.n > 0 &&
		    (p->b.p[0] == ' ' || p->b.p[0] == '\t'))
			ll_append(r, p->b.p + 1, p->b.n - 1);
		else if (r->ll.n > 0 && r->ll.p[r->ll.n - 1] == '=' &&
		    line_kind(p->b.p, p->b.n) != L_BEGIN &&
		    line_kind(p->b.p, p->b.n) != L_END &&
		    line_is_qp(r->ll.p, r->ll.n)) {
			r->ll.n--;
			r->ll.p[r->ll.n] = '\0';
			ll_append(r, p->b.p, p->b.n);
		} else
			break;
		if (p->toolong)
			r->ll_toolong = 1;
		r->ll_bytes += p->bytes;
		p->valid = 0;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Errors.                                                             */

static int
card_err(struct vcard_reader *r, struct err *e, unsigned line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
card_err(struct vcard_reader *r, struct err *e, unsigned line,
    const char *fmt, ...)
{
	char	 what[ERR_MSG_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return err_set(e, TEND_EINVAL, "%s: card %u, line %u: %s", r->name,
	    r->last_card, line, what);
}

static void
warn(struct vcard_reader *r, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keep the first warning about the card being read. */
static void
warn(struct vcard_reader *r, unsigned line, const char *fmt, ...)
{
	char	 what[ERR_MSG_MAX / 2];
	va_list	 ap;

	if (r->has_warn)
		return;
	r->has_warn = 1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(r->warn, sizeof r->warn, "%s: card %u, line %u: %s",
	    r->name, r->last_card, line, what);
}

/* ------------------------------------------------------------------ */
/* Decoding values.                                                    */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Quoted-printable: 0 or -1 for a '=' that is not "=XX". */
static int
qp_decode(struct buf *out, const char *s, size_t n)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '=') {
			buf_addc(out, s[i]);
			continue;
		}
		if (i + 1 == n)
			break;		/* a soft break with nothing after */
		if (i + 2 >= n)
			return -1;
		hi = hexval((unsigned char)s[i + 1]);
		lo = hexval((unsigned char)s[i + 2]);
		if (hi < 0 || lo < 0)
			return -1;
		buf_addc(out, (char)(hi * 16 + lo));
		i += 2;
	}
	return 0;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Base64 without white space into out: 0, or -1 for a character outside
 * the alphabet or data after the padding.  Missing padding is added.  A
 * length no encoder gives (4n + 1 characters: a damaged tail) loses its
 * last character, which holds no whole byte, and sets *damaged: every
 * byte is kept, and other programs can decode what we write.
 */
static int
b64_clean(struct buf *out, const char *s, size_t n, int *damaged)
{
	size_t	i, count = 0, pad = 0, need;

	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (isspace(c))
			continue;
		if (c == '=') {
			if (++pad > 2)
				return -1;
			continue;
		}
		if (b64val(c) < 0 || pad > 0)
			return -1;
		buf_addc(out, (char)c);
		count++;
	}
	if (count % 4 == 1) {
		*damaged = 1;
		out->p[--out->n] = '\0';
		count--;
	}
	need = (4 - count % 4) % 4;
	for (i = 0; i < need; i++)
		buf_addc(out, '=');
	return 0;
}

/* Decode clean base64 (from b64_clean) into out. */
static void
b64_decode(struct buf *out, const char *s, size_t n)
{
	size_t		 i;
	unsigned int	 acc = 0;
	int		 bits = 0, v;

	for (i = 0; i < n && s[i] != '='; i++) {
		v = b64val((unsigned char)s[i]);
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(out, (char)((acc >> bits) & 0xff));
		}
	}
}

/* A media type for data without a TYPE, from its first bytes. */
static const char *
media_sniff(const char *b64, struct buf *tmp)
{
	const unsigned char	*d;
	size_t			 n = strlen(b64);

	buf_reset(tmp);
	b64_decode(tmp, b64, n < 16 ? n : 16);
	d = (const unsigned char *)tmp->p;
	if (tmp->n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return "image/jpeg";
	if (tmp->n >= 4 && memcmp(d, "\x89PNG", 4) == 0)
		return "image/png";
	if (tmp->n >= 4 && memcmp(d, "GIF8", 4) == 0)
		return "image/gif";
	return "application/octet-stream";
}

/*
 * Convert s[0..n) from charset cs to UTF-8 into out.  A byte that is
 * not in cs becomes U+FFFD and is counted in *bad.  Returns 0, or -1
 * when iconv does not know cs.
 */
static int
to_utf8(struct vcard_reader *r, const char *cs, const char *s, size_t n,
    struct buf *out, size_t *bad)
{
	char	*in, *op;
	size_t	 inleft, outleft, rc, want;

	if (r->cd == (iconv_t)-1 || strcasecmp(r->cs, cs) != 0) {
		if (r->cd != (iconv_t)-1)
			iconv_close(r->cd);
		r->cs[0] = '\0';
		r->cd = iconv_open("UTF-8", cs);
		if (r->cd == (iconv_t)-1)
			return -1;
		snprintf(r->cs, sizeof r->cs, "%s", cs);
	}
	iconv(r->cd, NULL, NULL, NULL, NULL);
	in = (char *)(uintptr_t)s;
	inleft = n;
	want = n * 4 + 16;
	while (inleft > 0) {
		buf_grow(out, want);
		op = out->p + out->n;
		outleft = out->cap - out->n - 1;
		rc = iconv(r->cd, &in, &inleft, &op, &outleft);
		out->n = (size_t)(op - out->p);
		if (rc != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			want = out->cap;
			continue;
		}
		/* EILSEQ or EINVAL: a byte cs has not, or cut short */
		buf_add(out, "\xef\xbf\xbd", 3);
		(*bad)++;
		in++;
		inleft--;
		iconv(r->cd, NULL, NULL, NULL, NULL);
	}
	/* back to the initial shift state (ISO-2022-JP and the like) */
	buf_grow(out, 64);
	op = out->p + out->n;
	outleft = out->cap - out->n - 1;
	iconv(r->cd, NULL, NULL, &op, &outleft);
	out->n = (size_t)(op - out->p);
	out->p[out->n] = '\0';
	return 0;
}

static int
charset_name_ok(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > CHARSET_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("._:-", s[i]) ==
		    NULL)
			return 0;
	return 1;
}

/*
 * s[0..n) as the property's value would be written in vCard 4.0: 2.1
 * has no escapes but "\;", so its commas, semicolons and backslashes
 * are escaped here (except where they separate values of N, ADR, ORG,
 * CATEGORIES and NICKNAME); in 3.0 and 4.0 "\N" becomes "\n", and an
 * escape 4.0 does not have loses its backslash, as Google's "\:" in
 * URLs and "\"" in notes mean.  Line breaks become "\n".
 */
static void
to_v40(struct buf *out, int version, const char *name, const char *s,
    size_t n)
{
	int	uri = in_list(name, uri_props);
	int	structured = in_list(name, struct_props);
	int	list = in_list(name, list_props);
	size_t	i;
	char	c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
			buf_adds(out, "\\n");
			continue;
		}
		if (version != 21) {
			if (c != '\\')
				buf_addc(out, c);
			else if (i + 1 == n)
				buf_adds(out, "\\\\");
			else if (strchr("\\,;n", s[i + 1]) != NULL) {
				buf_addc(out, c);
				buf_addc(out, s[++i]);
			} else if (s[i + 1] == 'N') {
				buf_adds(out, "\\n");
				i++;
			} else if (s[i + 1] == '\r' || s[i + 1] == '\n')
				buf_adds(out, "\\\\");
			else
				buf_addc(out, s[++i]);
			continue;
		}
		if (uri)
			buf_addc(out, c);
		else if (c == '\\' && i + 1 < n && s[i + 1] == ';') {
			buf_adds(out, "\\;");
			i++;
		} else if (c == '\\')
			buf_adds(out, "\\\\");
		else if (c == ',' && !list)
			buf_adds(out, "\\,");
		else if (c == ';' && !structured)
			buf_adds(out, "\\;");
		else
			buf_addc(out, c);
	}
}

/* 1 if s is a decimal number such as "-71.282945". */
static int
is_number(const char *s, size_t n)
{
	size_t	i = 0, digits = 0;
	int	dot = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (s[i] == '.' && !dot)
			dot = 1;
		else
			return 0;
	}
	return digits > 0;
}

/* 3.0 "GEO:lat;lon" and 2.1 "GEO:lat,lon" as a 4.0 geo: URI. */
static char *
geo_v40(struct arena *a, const char *v)
{
	const char	*sep;
	size_t		 n = strlen(v);

	sep = strchr(v, ';');
	if (sep == NULL)
		sep = strchr(v, ',');
	if (sep != NULL && sep > v && sep[-1] == '\\')
		return NULL;
	if (sep == NULL || !is_number(v, (size_t)(sep - v)) ||
	    !is_number(sep + 1, n - (size_t)(sep - v) - 1))
		return NULL;
	return arena_printf(a, "geo:%.*s,%s", (int)(sep - v), v, sep + 1);
}

/* ------------------------------------------------------------------ */
/* Parameters.                                                         */

enum { ENC_NONE, ENC_QP, ENC_B64 };

struct pinfo {
	int		 enc;
	const char	*charset;
	size_t		 cslen;
	char		**types;	/* lower case, no "pref" */
	size_t		 ntypes;
	int		 pref;		/* TYPE=pref, bare PREF, PREF=1 */
	const char	*prefv;		/* PREF=value, unquoted */
	size_t		 prefvlen;
	struct param	*others;	/* everything else, in order */
	size_t		 nothers;
};

static void
add_type(struct arena *a, struct pinfo *pi, const char *s, size_t n)
{
	char	*t;
	size_t	 i, o = 0;

	t = arena_alloc(a, n + 1);
	for (i = 0; i < n; i++)
		if (s[i] != '"')
			t[o++] = (char)tolower((unsigned char)s[i]);
	t[o] = '\0';
	text_trim(t);
	if (t[0] == '\0')
		return;
	if (strcmp(t, "pref") == 0) {
		pi->pref = 1;
		return;
	}
	for (i = 0; i < pi->ntypes; i++)
		if (strcmp(pi->types[i], t) == 0)
			return;
	pi->types[pi->ntypes++] = t;
}

/* Read the parameters of p into pi; TEND_EINVAL for an unknown
 * ENCODING. */
static int
params_parse(struct vcard_reader *r, struct arena *a, const struct prop *p,
    struct pinfo *pi, struct err *e)
{
	struct param	 pm;
	const char	*s, *end, *v, *c;
	size_t		 nparams = 0, ncommas = 0, i, vlen, k;
	char		 ex[EXCERPT_MAX + 8];

	memset(pi, 0, sizeof *pi);
	end = p->params + p->plen;
	for (i = 0; i < p->plen; i++) {
		if (p->params[i] == ';')
			nparams++;
		else if (p->params[i] == ',')
			ncommas++;
	}
	pi->types = arena_alloc(a, (nparams + ncommas + 1) * sizeof(char *));
	pi->others = arena_alloc(a, (nparams + 1) * sizeof(struct param));
	s = p->params;
	while (param_next(&s, end, &pm)) {
		if (pm.val == NULL) {
			/* 2.1: a bare word is an encoding or a TYPE */
			if (ieq(pm.name, pm.nlen, "QUOTED-PRINTABLE"))
				pi->enc = ENC_QP;
			else if (ieq(pm.name, pm.nlen, "BASE64"))
				pi->enc = ENC_B64;
			else if (!ieq(pm.name, pm.nlen, "8BIT") &&
			    !ieq(pm.name, pm.nlen, "7BIT"))
				add_type(a, pi, pm.name, pm.nlen);
			continue;
		}
		v = pm.val;
		vlen = pm.vlen;
		if (ieq(pm.name, pm.nlen, "TYPE")) {
			while (vlen > 0) {
				/* TYPE="a,b": commas split inside quotes too */
				c = memchr(v, ',', vlen);
				k = c != NULL ? (size_t)(c - v) : vlen;
				add_type(a, pi, v, k);
				if (k == vlen)
					break;
				v += k + 1;
				vlen -= k + 1;
			}
		} else if (ieq(pm.name, pm.nlen, "ENCODING")) {
			unquote(&v, &vlen);
			if (ieq(v, vlen, "QUOTED-PRINTABLE"))
				pi->enc = ENC_QP;
			else if (ieq(v, vlen, "BASE64") || ieq(v, vlen, "B"))
				pi->enc = ENC_B64;
			else if (ieq(v, vlen, "8BIT") || ieq(v, vlen, "7BIT"))
				pi->enc = ENC_NONE;
			else
				return card_err(r, e, p->line, "unknown "
				    "ENCODING '%s' in %s", excerpt(ex,
				    sizeof ex, v, vlen), p->name);
		} else if (ieq(pm.name, pm.nlen, "CHARSET")) {
			unquote(&v, &vlen);
			pi->charset = v;
			pi->cslen = vlen;
		} else if (ieq(pm.name, pm.nlen, "PREF")) {
			unquote(&v, &vlen);
			pi->prefv = v;
			pi->prefvlen = vlen;
			if (ieq(v, vlen, "1"))
				pi->pref = 1;
		} else
			pi->others[pi->nothers++] = pm;
	}
	return 0;
}

/* 1 if the value needs quotes as a parameter value. */
static int
needs_quotes(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] == ':' || s[i] == ';' || s[i] == ',')
			return 1;
	return 0;
}

/*
 * The parameters in 4.0 form: TYPE (all values in one), then PREF, then
 * the others as written with upper-case names.  skip_type is a TYPE
 * value used up (the media type of inline data); drop_value drops
 * VALUE=uri (the default of PHOTO and the like in 4.0).  NULL if none.
 */
static char *
params_v40(struct arena *a, struct buf *b, const struct pinfo *pi,
    const char *skip_type, int drop_value)
{
	size_t		 i, n, k;
	const char	*v;
	int		 quote = 0;

	buf_reset(b);
	for (i = 0, n = 0; i < pi->ntypes; i++) {
		if (skip_type != NULL && strcmp(pi->types[i], skip_type) == 0)
			continue;
		if (needs_quotes(pi->types[i], strlen(pi->types[i])))
			quote = 1;
	}
	for (i = 0, n = 0; i < pi->ntypes; i++) {
		if (skip_type != NULL && strcmp(pi->types[i], skip_type) == 0)
			continue;
		buf_adds(b, n++ == 0 ? (quote ? "TYPE=\"" : "TYPE=") : ",");
		buf_adds(b, pi->types[i]);
	}
	if (n > 0 && quote)
		buf_addc(b, '"');
	if (pi->prefv != NULL || pi->pref) {
		if (b->n > 0)
			buf_addc(b, ';');
		buf_adds(b, "PREF=");
		if (pi->prefv == NULL)
			buf_addc(b, '1');
		else {
			quote = needs_quotes(pi->prefv, pi->prefvlen);
			if (quote)
				buf_addc(b, '"');
			for (k = 0; k < pi->prefvlen; k++)
				if (pi->prefv[k] != '"')
					buf_addc(b, pi->prefv[k]);
			if (quote)
				buf_addc(b, '"');
		}
	}
	for (i = 0; i < pi->nothers; i++) {
		const struct param	*pm = &pi->others[i];

		if (pm->nlen == 0)
			continue;
		if (drop_value && ieq(pm->name, pm->nlen, "VALUE")) {
			v = pm->val;
			n = pm->vlen;
			unquote(&v, &n);
			if (ieq(v, n, "uri") || ieq(v, n, "url"))
				continue;
		}
		if (b->n > 0)
			buf_addc(b, ';');
		for (k = 0; k < pm->nlen; k++)
			buf_addc(b, (char)toupper((unsigned char)pm->name[k]));
		buf_addc(b, '=');
		buf_add(b, pm->val, pm->vlen);
	}
	if (b->n == 0)
		return NULL;
	return arena_strndup(a, b->p, b->n);
}

/* ------------------------------------------------------------------ */
/* Building a card.                                                    */

/* Split one logical line into group, name, parameters and value. */
static int
prop_split(struct vcard_reader *r, struct arena *a, const char *s,
    size_t n, unsigned line, struct prop *p, struct err *e)
{
	const char	*semi, *dot, *nm;
	size_t		 h, nend, i, nlen;
	char		 ex[EXCERPT_MAX + 8];

	memset(p, 0, sizeof *p);
	p->line = line;
	if (memchr(s, '\0', n) != NULL)
		return card_err(r, e, line, "NUL byte in the line");
	h = head_end(s, n);
	if (h == n)
		return card_err(r, e, line, "line has no ':' ('%s')",
		    excerpt(ex, sizeof ex, s, n));
	semi = memchr(s, ';', h);
	nend = semi != NULL ? (size_t)(semi - s) : h;
	/* the group ends at the last '.' of the name */
	dot = NULL;
	for (i = 0; i < nend; i++)
		if (s[i] == '.')
			dot = s + i;
	nm = dot != NULL ? dot + 1 : s;
	nlen = nend - (size_t)(nm - s);
	while (nlen > 0 && isspace((unsigned char)nm[nlen - 1]))
		nlen--;
	while (nlen > 0 && isspace((unsigned char)*nm)) {
		nm++;
		nlen--;
	}
	if (nlen == 0)
		goto bad;
	for (i = 0; i < nlen; i++)
		if (!isalnum((unsigned char)nm[i]) && nm[i] != '-' &&
		    nm[i] != '_')
			goto bad;
	if (dot != NULL) {
		if (dot == s)
			goto bad;
		for (i = 0; s + i < dot; i++)
			if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
			    s[i] != '_' && s[i] != '.')
				goto bad;
		p->group = arena_strndup(a, s, (size_t)(dot - s));
	}
	p->name = upper_dup(a, nm, nlen);
	/* CHARSET is for the value: the rest of the line must be UTF-8 */
	if (!text_utf8_valid(s, h))
		return card_err(r, e, line, "the parameters of %s are not "
		    "UTF-8", p->name);
	p->params = s + nend;
	p->plen = h - nend;
	p->val = s + h + 1;
	p->vlen = n - h - 1;
	return 0;
bad:
	return card_err(r, e, line, "bad property name '%s'",
	    excerpt(ex, sizeof ex, s, nend));
}

static void
add_extra(struct vcard_reader *r, const char *group, const char *name,
    char *params, char *value, int ablabel)
{
	struct xitem	*x;

	VEC_ROOM(r->extras, r->cextras, r->nextras);
	x = &r->extras[r->nextras++];
	memset(x, 0, sizeof *x);
	x->x.group = (char *)(uintptr_t)group;
	x->x.name = (char *)(uintptr_t)name;
	x->x.params = params;
	x->x.value = value;
	x->ablabel = ablabel;
}

/* The label of an e-mail or phone from its TYPE values. */
static char *
types_label(struct arena *a, struct buf *b, const struct pinfo *pi)
{
	size_t	i;

	buf_reset(b);
	for (i = 0; i < pi->ntypes; i++) {
		if (in_list(pi->types[i], label_skip))
			continue;
		if (b->n > 0)
			buf_addc(b, ',');
		buf_adds(b, pi->types[i]);
	}
	return b->n > 0 ? arena_strndup(a, b->p, b->n) : NULL;
}

/* Strip a URI scheme ("mailto:", "tel:") as often as it is there. */
static const char *
strip_scheme(const char *s, const char *scheme)
{
	size_t	n = strlen(scheme);

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (strncasecmp(s, scheme, n) != 0)
			return s;
		s += n;
	}
}

/*
 * A phone number from a TEL value: a tel: URI gives its number, with
 * ";ext=102" written as " ext. 102"; other URI parameters are dropped.
 */
static char *
phone_value(struct arena *a, const char *v)
{
	const char	*semi, *ext, *p;
	char		*num;
	size_t		 n;

	if (strncasecmp(v, "tel:", 4) != 0)
		return arena_strdup(a, v);
	v = strip_scheme(v, "tel:");
	semi = strchr(v, ';');
	if (semi == NULL)
		return arena_strdup(a, v);
	num = arena_strndup(a, v, (size_t)(semi - v));
	text_trim(num);
	for (p = semi; p != NULL; p = strchr(p + 1, ';')) {
		if (strncasecmp(p + 1, "ext=", 4) != 0)
			continue;
		ext = p + 5;
		n = strcspn(ext, ";");
		if (n > 0)
			return arena_printf(a, "%s ext. %.*s", num, (int)n,
			    ext);
	}
	return num;
}

static void
add_item(struct vcard_reader *r, int tel, const struct prop *p,
    const struct pinfo *pi, char *value, struct arena *a)
{
	struct item	*it;

	if (tel) {
		VEC_ROOM(r->phones, r->cphones, r->nphones);
		it = &r->phones[r->nphones++];
	} else {
		VEC_ROOM(r->emails, r->cemails, r->nemails);
		it = &r->emails[r->nemails++];
	}
	memset(it, 0, sizeof *it);
	it->value = value;
	it->label = types_label(a, &r->tmp2, pi);
	it->group = p->group;
	it->pref = pi->pref;
}

static void
add_tags(struct vcard_reader *r, struct arena *a, const char *v)
{
	size_t	 n = strlen(v), k, i;
	char	*t;

	for (;;) {
		k = component_end(v, n, ',');
		t = field_text(a, v, k);
		for (i = 0; i < r->ntags; i++)
			if (strcmp(r->tags[i], t) == 0)
				break;
		if (t[0] != '\0' && i == r->ntags) {
			VEC_ROOM(r->tags, r->ctags, r->ntags);
			r->tags[r->ntags++] = t;
		}
		if (k == n)
			break;
		v += k + 1;
		n -= k + 1;
	}
}

/* "Given Middle Family" from N, with its prefix and suffix. */
static char *
name_from_n(struct arena *a, struct buf *b, const char *v)
{
	static const int	 order[] = { 3, 1, 2, 0, 4 };
	const char		*comp[5];
	size_t			 len[5], n = strlen(v), k, i, m;
	const char		*s;
	char			*w;

	memset(comp, 0, sizeof comp);
	memset(len, 0, sizeof len);
	for (i = 0; i < 5; i++) {
		k = component_end(v, n, ';');
		comp[i] = v;
		len[i] = k;
		if (k == n)
			break;
		v += k + 1;
		n -= k + 1;
	}
	buf_reset(b);
	for (i = 0; i < 5; i++) {
		s = comp[order[i]];
		m = len[order[i]];
		while (s != NULL) {
			k = component_end(s, m, ',');
			w = field_text(a, s, k);
			if (w[0] != '\0') {
				if (b->n > 0)
					buf_addc(b, ' ');
				buf_adds(b, w);
			}
			if (k == m)
				break;
			s += k + 1;
			m -= k + 1;
		}
	}
	return b->n > 0 ? arena_strndup(a, b->p, b->n) : NULL;
}

/* Escape text for a vCard value: \\ \, \; \n. */
static void
escape_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case ',':
			buf_adds(b, "\\,");
			break;
		case ';':
			buf_adds(b, "\\;");
			break;
		case '\r':
			if (s[1] == '\n')
				s++;
			buf_adds(b, "\\n");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		default:
			buf_addc(b, *s);
			break;
		}
	}
}

/*
 * The N the writer derives from a name: the last word is the family
 * name, the words before it the given name; one word is a given name.
 */
static void
derive_n(struct buf *b, const char *name)
{
	const char	*last, *p;
	char		*given;
	size_t		 n;

	if (name == NULL || name[0] == '\0') {
		buf_adds(b, ";;;;");
		return;
	}
	last = NULL;
	for (p = name; *p != '\0'; p++)
		if (*p == ' ' && p[1] != ' ' && p[1] != '\0')
			last = p + 1;
	if (last == NULL) {
		buf_addc(b, ';');
		escape_text(b, name);
		buf_adds(b, ";;;");
		return;
	}
	escape_text(b, last);
	buf_addc(b, ';');
	n = (size_t)(last - name);
	while (n > 0 && name[n - 1] == ' ')
		n--;
	given = xstrndup(name, n);
	escape_text(b, given);
	free(given);
	buf_adds(b, ";;;");
}

/* The field a FN, ORG or TITLE value gives: ORG's first component. */
static char *
field_of(struct arena *a, const char *name, const char *v)
{
	size_t	n = strlen(v);

	if (strcmp(name, "ORG") == 0)
		n = component_end(v, n, ';');
	return field_text(a, v, n);
}

/* 1 if a FN, ORG or TITLE is kept as an extra besides its field. */
static int
keep_worthy(const char *name, const char *params, const char *v)
{
	if (params != NULL && params[0] != '\0')
		return 1;
	return strcmp(name, "ORG") == 0 &&
	    component_end(v, strlen(v), ';') != strlen(v);
}

static int
parse_utc(const char *s, int64_t *out)
{
	struct tm	 tm;
	int		 v[6], i, k, pos;
	static const int widths[6] = { 4, 2, 2, 2, 2, 2 };
	time_t		 t;

	if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
		return -1;
	for (i = 0, pos = 0; i < 6; i++) {
		if (i == 3)
			pos++;
		v[i] = 0;
		for (k = 0; k < widths[i]; k++, pos++) {
			if (!isdigit((unsigned char)s[pos]))
				return -1;
			v[i] = v[i] * 10 + (s[pos] - '0');
		}
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 59)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	t = timegm(&tm);
	*out = (int64_t)t;
	return 0;
}

/* Set a text field from its first non-empty occurrence; 1 if used. */
static int
set_once(char **field, char *v)
{
	if (*field != NULL || v[0] == '\0')
		return 0;
	*field = v;
	return 1;
}

/*
 * Decode the value of p into its 4.0 form (*v40) and its parameters
 * (*params): quoted-printable and base64 undone, the CHARSET converted,
 * inline binary data made a data: URI.
 */
static int
prop_decode(struct vcard_reader *r, struct arena *a, int version,
    const struct prop *p, struct pinfo *pi, char **v40, char **params,
    struct err *e)
{
	struct buf	*b = &r->tmp;
	const char	*text, *mime, *skip = NULL, *g;
	size_t		 tlen, bad = 0, i;
	char		 cs[CHARSET_MAX + 1], ex[EXCERPT_MAX + 8];
	int		 binary = in_list(p->name, binary_props);
	int		 damaged = 0;

	buf_reset(b);
	if (pi->enc == ENC_B64 && binary) {
		buf_reset(&r->tmp2);
		if (b64_clean(&r->tmp2, p->val, p->vlen, &damaged) != 0)
			return card_err(r, e, p->line, "bad base64 in %s",
			    p->name);
		if (damaged)
			warn(r, p->line, "%s: base64 data cut short, its "
			    "last character dropped", p->name);
		mime = NULL;
		for (i = 0; i < pi->ntypes && mime == NULL; i++) {
			mime = media_of_type(pi->types[i]);
			skip = pi->types[i];
		}
		if (mime == NULL) {
			skip = NULL;
			mime = media_sniff(r->tmp2.p, b);
		}
		*v40 = arena_printf(a, "data:%s;base64,%s", mime, r->tmp2.p);
		*params = params_v40(a, b, pi, skip, 1);
		return 0;
	}
	if (pi->enc == ENC_B64) {
		buf_reset(&r->tmp2);
		if (b64_clean(&r->tmp2, p->val, p->vlen, &damaged) != 0 ||
		    damaged)
			return card_err(r, e, p->line, "bad base64 in %s",
			    p->name);
		b64_decode(b, r->tmp2.p, r->tmp2.n);
	} else if (pi->enc == ENC_QP) {
		if (qp_decode(b, p->val, p->vlen) != 0)
			return card_err(r, e, p->line, "bad quoted-printable "
			    "in %s", p->name);
	} else
		buf_add(b, p->val, p->vlen);
	if (memchr(b->p, '\0', b->n) != NULL)
		return card_err(r, e, p->line, "NUL byte in %s", p->name);

	/* now b holds the bytes in the CHARSET: make them UTF-8 */
	text = b->p;
	tlen = b->n;
	buf_reset(&r->tmp2);
	if (pi->charset != NULL) {
		if (!charset_name_ok(pi->charset, pi->cslen))
			return card_err(r, e, p->line, "unknown charset '%s' "
			    "in %s", excerpt(ex, sizeof ex, pi->charset,
			    pi->cslen), p->name);
		memcpy(cs, pi->charset, pi->cslen);
		cs[pi->cslen] = '\0';
		if (to_utf8(r, cs, text, tlen, &r->tmp2, &bad) != 0)
			return card_err(r, e, p->line, "unknown charset '%s' "
			    "in %s", cs, p->name);
		if (!text_utf8_valid(r->tmp2.p, r->tmp2.n))
			return card_err(r, e, p->line, "%s is not valid %s",
			    p->name, cs);
		if (bad > 0)
			warn(r, p->line, "%s is not valid %s: %zu byte%s "
			    "replaced with U+FFFD", p->name, cs, bad,
			    bad == 1 ? "" : "s");
		text = r->tmp2.p;
		tlen = r->tmp2.n;
	} else if (!text_utf8_valid(text, tlen))
		return card_err(r, e, p->line, "%s is not UTF-8 and has no "
		    "CHARSET", p->name);
	if (memchr(text, '\0', tlen) != NULL)
		return card_err(r, e, p->line, "NUL byte in %s", p->name);

	/* and escape them as 4.0 does */
	buf_reset(&r->tmp3);
	to_v40(&r->tmp3, version, p->name, text, tlen);
	*v40 = arena_strndup(a, r->tmp3.p != NULL ? r->tmp3.p : "",
	    r->tmp3.n);
	if (strcmp(p->name, "GEO") == 0) {
		g = geo_v40(a, *v40);
		if (g != NULL)
			*v40 = (char *)(uintptr_t)g;
	}
	*params = params_v40(a, b, pi, NULL, binary);
	return 0;
}

/* Move the first preferred item to the front. */
static void
pref_first(struct item *v, size_t n)
{
	struct item	t;
	size_t		i;

	for (i = 0; i < n && !v[i].pref; i++)
		;
	if (i == 0 || i == n)
		return;
	t = v[i];
	memmove(v + 1, v, i * sizeof *v);
	v[0] = t;
}

static void
items_to(struct arena *a, struct strlist *l, const struct item *v, size_t n)
{
	size_t	i;

	memset(l, 0, sizeof *l);
	if (n == 0)
		return;
	l->v = arena_alloc(a, n * sizeof(char *));
	l->label = arena_alloc(a, n * sizeof(char *));
	for (i = 0; i < n; i++) {
		l->v[i] = v[i].value;
		l->label[i] = v[i].label;
	}
	l->n = n;
}

/* Put one decoded property into the contact or its extras. */
static void
prop_map(struct vcard_reader *r, struct arena *a, struct contact *c,
    const struct prop *p, const struct pinfo *pi, char *v40, char *params,
    size_t *nN, size_t *firstN)
{
	const char	*name = p->name;
	char		**field, *v;
	int64_t		 t;
	int		 worthy;

	if (strcmp(name, "FN") == 0 || strcmp(name, "ORG") == 0 ||
	    strcmp(name, "TITLE") == 0) {
		field = name[0] == 'F' ? &c->name : name[0] == 'O' ?
		    &c->company : &c->title;
		v = field_of(a, name, v40);
		worthy = keep_worthy(name, params, v40);
		if (set_once(field, v)) {
			if (worthy)
				add_extra(r, p->group, name, params, v40, 0);
		} else if (v[0] != '\0' || worthy)
			add_extra(r, p->group, name, params, v40, 0);
		return;
	}
	if (strcmp(name, "N") == 0) {
		if ((*nN)++ == 0)
			*firstN = r->nextras;
		add_extra(r, p->group, name, params, v40, 0);
		return;
	}
	if (strcmp(name, "EMAIL") == 0 || strcmp(name, "TEL") == 0) {
		v = field_text(a, v40, strlen(v40));
		if (name[0] == 'E')
			v = arena_strdup(a, strip_scheme(v, "mailto:"));
		else
			v = phone_value(a, v);
		text_trim(v);
		if (v[0] != '\0')
			add_item(r, name[0] == 'T', p, pi, v, a);
		return;
	}
	v = field_text(a, v40, strlen(v40));
	if (strcmp(name, "NOTE") == 0) {
		if (v[0] == '\0')
			return;
		if (r->notes.n > 0)
			buf_adds(&r->notes, "\n\n");
		buf_adds(&r->notes, v);
		return;
	}
	if (strcmp(name, "CATEGORIES") == 0) {
		add_tags(r, a, v40);
		return;
	}
	if (strcmp(name, "X-ABLABEL") == 0) {
		add_extra(r, p->group, name, params, v40, p->group != NULL);
		return;
	}
	if (strcmp(name, "TZ") == 0) {
		if (c->tz == NULL && v[0] != '\0' && strcmp(v, "UTC") != 0 &&
		    when_zone_valid(v))
			c->tz = v;
		else if (c->tz == NULL && strcmp(v, "UTC") == 0)
			c->tz = v;
		else
			add_extra(r, p->group, name, params, v40, 0);
		return;
	}
	if (strcmp(name, "X-TEND-KIND") == 0 && set_once(&c->kind, v))
		return;
	if (strcmp(name, "X-TEND-MET") == 0 && set_once(&c->met_where, v))
		return;
	if (strcmp(name, "X-TEND-SOURCE") == 0 && set_once(&c->source, v))
		return;
	if (strcmp(name, "X-TEND-NEEDS") == 0 && set_once(&c->needs, v))
		return;
	if (strcmp(name, "X-TEND-MET-ON") == 0 && c->met_on == 0 &&
	    parse_utc(v, &t) == 0) {
		c->met_on = t;
		return;
	}
	if (strcmp(name, "X-TEND-DNC") == 0 && (strcmp(v, "1") == 0 ||
	    strcmp(v, "0") == 0)) {
		if (v[0] == '1')
			c->do_not_contact = 1;
		return;
	}
	add_extra(r, p->group, name, params, v40, 0);
}

/* The labels X-ABLabel gives the e-mails and phones of its group. */
static void
apply_ablabels(struct vcard_reader *r, struct arena *a)
{
	struct xitem	*x;
	struct item	*it;
	char		*label;
	size_t		 i, j;
	int		 used;

	for (i = 0; i < r->nextras; i++) {
		x = &r->extras[i];
		if (!x->ablabel)
			continue;
		label = apple_label(field_text(a, x->x.value,
		    strlen(x->x.value)));
		used = 0;
		for (j = 0; j < r->nemails + r->nphones; j++) {
			it = j < r->nemails ? &r->emails[j] :
			    &r->phones[j - r->nemails];
			if (it->group == NULL ||
			    strcasecmp(it->group, x->x.group) != 0)
				continue;
			used = 1;
			if (!it->ablabel && label[0] != '\0') {
				it->label = label;
				it->ablabel = 1;
			}
		}
		if (used)
			x->drop = 1;
	}
}

/* The card's logical lines, kept until END:VCARD, into a contact. */
static int
card_build(struct vcard_reader *r, struct arena *a, struct contact **out,
    struct err *e)
{
	struct contact	*c;
	struct prop	*p;
	struct pinfo	 pi;
	const char	*s;
	char		*v40 = NULL, *params = NULL, ex[EXCERPT_MAX + 8];
	size_t		 i, n, nN = 0, firstN = 0;
	int		 version = 0, rc;

	r->nprops = 0;
	r->nemails = 0;
	r->nphones = 0;
	r->nextras = 0;
	r->ntags = 0;
	buf_reset(&r->notes);
	for (i = 0; i < r->nlines; i++) {
		VEC_ROOM(r->props, r->cprops, r->nprops);
		rc = prop_split(r, a, r->cbuf.p + r->lines[i].off,
		    r->lines[i].len, r->lines[i].line, &r->props[r->nprops],
		    e);
		if (rc != 0)
			return rc;
		r->nprops++;
	}
	/* VERSION first, wherever it is: it decides the escapes */
	for (i = 0; i < r->nprops && version == 0; i++) {
		p = &r->props[i];
		if (strcmp(p->name, "VERSION") != 0)
			continue;
		s = p->val;
		n = p->vlen;
		trim_span(&s, &n);
		if (ieq(s, n, "2.1"))
			version = 21;
		else if (ieq(s, n, "3.0"))
			version = 30;
		else if (ieq(s, n, "4.0"))
			version = 40;
		else
			return card_err(r, e, p->line, "unknown VERSION '%s'",
			    excerpt(ex, sizeof ex, s, n));
	}
	if (version == 0)
		version = 30;
	c = arena_alloc(a, sizeof *c);
	for (i = 0; i < r->nprops; i++) {
		p = &r->props[i];
		if (strcmp(p->name, "VERSION") == 0 ||
		    strcmp(p->name, "PRODID") == 0)
			continue;
		if (strcmp(p->name, "BEGIN") == 0 ||
		    strcmp(p->name, "END") == 0)
			return card_err(r, e, p->line, "'%s' inside a card",
			    excerpt(ex, sizeof ex, r->cbuf.p +
			    r->lines[i].off, r->lines[i].len));
		if ((rc = params_parse(r, a, p, &pi, e)) != 0)
			return rc;
		rc = prop_decode(r, a, version, p, &pi, &v40, &params, e);
		if (rc != 0)
			return rc;
		prop_map(r, a, c, p, &pi, v40, params, &nN, &firstN);
	}

	apply_ablabels(r, a);
	pref_first(r->emails, r->nemails);
	pref_first(r->phones, r->nphones);
	if (c->name == NULL && nN > 0)
		c->name = name_from_n(a, &r->tmp, r->extras[firstN].x.value);
	/* an N the writer would derive from the name again is not kept */
	if (nN == 1 && r->extras[firstN].x.params == NULL &&
	    r->extras[firstN].x.group == NULL) {
		buf_reset(&r->tmp);
		derive_n(&r->tmp, c->name);
		if (strcmp(r->tmp.p, r->extras[firstN].x.value) == 0)
			r->extras[firstN].drop = 1;
	}

	items_to(a, &c->emails, r->emails, r->nemails);
	items_to(a, &c->phones, r->phones, r->nphones);
	if (r->ntags > 0) {
		c->tags.v = arena_alloc(a, r->ntags * sizeof(char *));
		memcpy(c->tags.v, r->tags, r->ntags * sizeof(char *));
		c->tags.n = r->ntags;
	}
	if (r->notes.n > 0)
		c->notes = arena_strndup(a, r->notes.p, r->notes.n);
	for (i = 0, n = 0; i < r->nextras; i++)
		if (!r->extras[i].drop)
			n++;
	if (n > 0) {
		c->extras = arena_alloc(a, n * sizeof *c->extras);
		for (i = 0, n = 0; i < r->nextras; i++)
			if (!r->extras[i].drop)
				c->extras[n++] = r->extras[i].x;
		c->nextras = n;
	}
	*out = c;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Cards.                                                              */

static void
card_start(struct vcard_reader *r)
{
	r->in_card = 1;
	r->skipping = 0;
	r->cur_card = ++r->cards;
	r->cur_line = r->ll_no;
	r->card_bytes = r->ll_bytes;
	buf_reset(&r->cbuf);
	r->nlines = 0;
}

static void
card_keep(struct vcard_reader *r)
{
	struct rawline	*l;

	VEC_ROOM(r->lines, r->clines, r->nlines);
	l = &r->lines[r->nlines++];
	l->off = r->cbuf.n;
	l->len = r->ll.n;
	l->line = r->ll_no;
	buf_add(&r->cbuf, r->ll.p, r->ll.n);
	buf_addc(&r->cbuf, '\0');
}

static int
is_binary(const char *s, size_t n)
{
	size_t	i;

	if (!text_utf8_valid(s, n))
		return 1;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return 1;
	return 0;
}

/* A line outside BEGIN:VCARD ... END:VCARD that is not blank. */
static int
outside_err(struct vcard_reader *r, struct err *e, int kind)
{
	const unsigned char	*s = (const unsigned char *)r->ll.p;
	char			 ex[EXCERPT_MAX + 8];

	r->skipping = 1;
	r->last_card = 0;
	r->last_line = r->ll_no;
	if (r->ll_no == 1 && r->ll.n >= 2 && ((s[0] == 0xff && s[1] ==
	    0xfe) || (s[0] == 0xfe && s[1] == 0xff)))
		return err_set(e, TEND_EINVAL, "%s: line 1: the file is "
		    "UTF-16: save it as UTF-8", r->name);
	if (r->ll_toolong)
		return err_set(e, TEND_EINVAL, "%s: line %u: line longer "
		    "than %d bytes", r->name, r->ll_no, VCARD_LINE_MAX);
	if (kind == L_END)
		return err_set(e, TEND_EINVAL, "%s: line %u: END:VCARD "
		    "without BEGIN:VCARD", r->name, r->ll_no);
	if (is_binary(r->ll.p, r->ll.n))
		return err_set(e, TEND_EINVAL, "%s: line %u: binary data %s",
		    r->name, r->ll_no, r->cards == 0 ?
		    "before BEGIN:VCARD: not a vCard file" :
		    "between cards");
	return err_set(e, TEND_EINVAL, "%s: line %u: text outside "
	    "BEGIN:VCARD and END:VCARD ('%s')", r->name, r->ll_no,
	    excerpt(ex, sizeof ex, r->ll.p, r->ll.n));
}

int
vcard_read(struct vcard_reader *r, struct arena *a, struct contact **out,
    struct err *e)
{
	int	rc, kind;

	*out = NULL;
	r->has_warn = 0;
	if (r->done)
		return 0;
	for (;;) {
		rc = next_logical(r);
		if (rc < 0) {
			r->done = 1;
			return err_set(e, TEND_EIO, "cannot read %s: %s",
			    r->name, strerror(r->ioerr));
		}
		if (rc == 0) {
			r->done = 1;
			if (!r->in_card)
				return 0;
			r->in_card = 0;
			r->last_card = r->cur_card;
			r->last_line = r->cur_line;
			return card_err(r, e, r->lineno, "no END:VCARD before "
			    "the end of the file");
		}
		kind = line_kind(r->ll.p, r->ll.n);
		if (!r->in_card) {
			if (kind == L_BEGIN)
				card_start(r);
			else if (!r->skipping && kind != L_BLANK)
				return outside_err(r, e, kind);
			continue;
		}
		r->last_card = r->cur_card;
		r->last_line = r->cur_line;
		if (kind == L_BEGIN) {
			rc = card_err(r, e, r->ll_no, "no END:VCARD before "
			    "BEGIN:VCARD");
			card_start(r);
			return rc;
		}
		r->card_bytes += r->ll_bytes;
		if (r->ll_toolong || r->card_bytes > VCARD_CARD_MAX) {
			r->in_card = 0;
			r->skipping = 1;
			if (r->ll_toolong)
				return card_err(r, e, r->ll_no, "line longer "
				    "than %d bytes", VCARD_LINE_MAX);
			return card_err(r, e, r->ll_no, "card longer than %d "
			    "bytes", VCARD_CARD_MAX);
		}
		if (kind == L_BLANK)
			continue;
		if (kind != L_END) {
			card_keep(r);
			continue;
		}
		r->in_card = 0;
		if ((rc = card_build(r, a, out, e)) != 0) {
			*out = NULL;
			return rc;
		}
		return 1;
	}
}

int
vcard_sniff(const char *buf, size_t n)
{
	static const char	 begin[] = "BEGIN:VCARD";
	size_t			 i = 0;

	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && isspace((unsigned char)buf[i]))
		i++;
	return n - i >= sizeof begin - 1 &&
	    strncasecmp(buf + i, begin, sizeof begin - 1) == 0;
}

/* ------------------------------------------------------------------ */
/* Writing.                                                            */

struct wr {
	FILE		*f;
	int		 version;
	int		 err;
	struct arena	*a;
	struct buf	 b;		/* the line being written */
};

/* Write the line in w->b folded at 75 octets, never inside a UTF-8
 * sequence, with CRLF. */
static void
w_flush(struct wr *w)
{
	const unsigned char	*s = (const unsigned char *)w->b.p;
	size_t			 n = w->b.n, pos = 0, cut, room;

	do {
		room = pos == 0 ? 75 : 74;
		cut = n - pos;
		if (cut > room) {
			cut = room;
			while (cut > 1 && (s[pos + cut] & 0xc0) == 0x80)
				cut--;
		}
		if (pos > 0 && fputc(' ', w->f) == EOF)
			w->err = errno != 0 ? errno : EIO;
		if (cut > 0 && fwrite(s + pos, 1, cut, w->f) != cut)
			w->err = errno != 0 ? errno : EIO;
		if (fputs("\r\n", w->f) == EOF)
			w->err = errno != 0 ? errno : EIO;
		pos += cut;
	} while (pos < n);
	buf_reset(&w->b);
}

static void
w_start(struct wr *w, const char *group, const char *name)
{
	buf_reset(&w->b);
	if (group != NULL && group[0] != '\0') {
		buf_adds(&w->b, group);
		buf_addc(&w->b, '.');
	}
	buf_adds(&w->b, name);
}

/* A whole property with a text value. */
static void
w_text(struct wr *w, const char *group, const char *name,
    const char *params, const char *value)
{
	w_start(w, group, name);
	if (params != NULL)
		buf_adds(&w->b, params);
	buf_addc(&w->b, ':');
	escape_text(&w->b, value != NULL ? value : "");
	w_flush(w);
}

/* 1 if every word of the label is a TYPE word of the property. */
static int
label_known(const char *label, const char *const *words)
{
	char	word[32];
	size_t	n;

	if (label == NULL || label[0] == '\0')
		return 0;
	for (;;) {
		n = strcspn(label, ",");
		if (n == 0 || n >= sizeof word)
			return 0;
		memcpy(word, label, n);
		word[n] = '\0';
		if (!in_list(word, words))
			return 0;
		if (label[n] == '\0')
			return 1;
		label += n + 1;
	}
}

/*
 * E-mails or phones: a label made of TYPE words is written as TYPE;
 * any other label as an itemN group with an X-ABLabel, which Apple,
 * Google, DAVx5 and ez-vcard read.  The first of several is preferred.
 */
static void
w_items(struct wr *w, const struct strlist *l, int tel, unsigned *item)
{
	const char	*label;
	char		 group[32];
	size_t		 i;
	int		 known, pref, ntypes;

	for (i = 0; i < l->n; i++) {
		if (l->v[i] == NULL)
			continue;
		label = l->label != NULL ? l->label[i] : NULL;
		if (label != NULL && label[0] == '\0')
			label = NULL;
		known = label_known(label, tel ? tel_words : email_words);
		pref = i == 0 && l->n > 1;
		group[0] = '\0';
		if (label != NULL && !known)
			snprintf(group, sizeof group, "item%u", (*item)++);
		w_start(w, group, tel ? "TEL" : "EMAIL");
		ntypes = 0;
		if (!tel && w->version == 30) {
			buf_adds(&w->b, ";TYPE=INTERNET");
			ntypes++;
		}
		if (known) {
			buf_adds(&w->b, ntypes++ > 0 ? "," : ";TYPE=");
			buf_adds(&w->b, label);
		}
		if (pref && w->version == 30)
			buf_adds(&w->b, ntypes++ > 0 ? ",pref" : ";TYPE=pref");
		if (pref && w->version == 40)
			buf_adds(&w->b, ";PREF=1");
		buf_addc(&w->b, ':');
		escape_text(&w->b, l->v[i]);
		w_flush(w);
		if (group[0] != '\0')
			w_text(w, group, "X-ABLabel", NULL, label);
	}
}

/* The first itemN after those the extras use. */
static unsigned
first_item(const struct contact *c)
{
	const char	*g;
	unsigned	 max = 0;
	unsigned long	 v;
	char		*end;
	size_t		 i;

	for (i = 0; i < c->nextras; i++) {
		g = c->extras[i].group;
		if (g == NULL || strncasecmp(g, "item", 4) != 0 ||
		    !isdigit((unsigned char)g[4]))
			continue;
		errno = 0;
		v = strtoul(g + 4, &end, 10);
		if (*end == '\0' && errno == 0 && v < 100000 && v > max)
			max = (unsigned)v;
	}
	return max + 1;
}

/* 1 if the first extra called name carries the field (FN, ORG, TITLE
 * with parameters or more components): then it is written, not the
 * field, so that reading it back gives both again. */
static int
carried(struct wr *w, const struct contact *c, const char *name,
    const char *field)
{
	const struct contact_extra	*x;
	size_t				 i;

	if (field == NULL || field[0] == '\0')
		return 0;
	for (i = 0; i < c->nextras; i++) {
		x = &c->extras[i];
		if (x->name == NULL || strcasecmp(x->name, name) != 0)
			continue;
		if (x->value == NULL || !keep_worthy(name, x->params,
		    x->value))
			return 0;
		return strcmp(field_of(w->a, name, x->value), field) == 0;
	}
	return 0;
}

static int
has_extra(const struct contact *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nextras; i++)
		if (c->extras[i].name != NULL &&
		    strcasecmp(c->extras[i].name, name) == 0)
			return 1;
	return 0;
}

/* Raw text into a line: line breaks, which a line cannot hold,
 * become "\n" (values) or a space (parameters). */
static void
add_raw(struct buf *b, const char *s, int value)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n') {
			if (*s == '\r' && s[1] == '\n')
				s++;
			buf_adds(b, value ? "\\n" : " ");
		} else
			buf_addc(b, *s);
	}
}

/* The ',' of "geo:lat,lon" when both are numbers, else NULL. */
static const char *
geo_comma(const char *v)
{
	const char	*comma;

	if (strncasecmp(v, "geo:", 4) != 0)
		return NULL;
	v += 4;
	comma = strchr(v, ',');
	if (comma == NULL || !is_number(v, (size_t)(comma - v)) ||
	    !is_number(comma + 1, strlen(comma + 1)))
		return NULL;
	return comma;
}

static const char *
type_of_media(const char *mime)
{
	size_t	i;

	for (i = 0; i < NMEDIA; i++)
		if (strcmp(mime, media_types[i].mime) == 0)
			return media_types[i].type;
	return NULL;
}

/*
 * An extra in 3.0: a data: URI becomes ENCODING=b with its TYPE, a URI
 * of PHOTO and the like says VALUE=uri, PREF=1 becomes TYPE=pref and a
 * geo: URI becomes "lat;lon".
 */
static void
w_extra30(struct wr *w, const struct contact_extra *x)
{
	struct param	 pm;
	const char	*value = x->value != NULL ? x->value : "";
	const char	*ps, *pend, *semi, *v, *t, *b64 = NULL;
	char		*mime = NULL, *up;
	size_t		 vlen, i;
	int		 binary, pref = 0, hasvalue = 0, ntypes = 0;

	up = upper_dup(w->a, x->name, strlen(x->name));
	binary = in_list(up, binary_props);
	if (binary && strncasecmp(value, "data:", 5) == 0) {
		semi = strchr(value + 5, ';');
		if (semi != NULL && strncmp(semi, ";base64,", 8) == 0 &&
		    memchr(value + 5, ',', (size_t)(semi - value - 5)) ==
		    NULL) {
			mime = arena_strndup(w->a, value + 5,
			    (size_t)(semi - value - 5));
			b64 = semi + 8;
		}
	}
	w_start(w, x->group, x->name);
	if (b64 != NULL) {
		buf_adds(&w->b, ";ENCODING=b");
		t = type_of_media(mime);
		if (t != NULL) {
			buf_adds(&w->b, ";TYPE=");
			for (i = 0; t[i] != '\0'; i++)
				buf_addc(&w->b,
				    (char)toupper((unsigned char)t[i]));
		} else if (mime[0] != '\0') {
			buf_adds(&w->b, needs_quotes(mime, strlen(mime)) ?
			    ";TYPE=\"" : ";TYPE=");
			add_raw(&w->b, mime, 0);
			if (needs_quotes(mime, strlen(mime)))
				buf_addc(&w->b, '"');
		}
	}
	/* the TYPE values first, with pref, then the others */
	ps = x->params != NULL ? x->params : "";
	pend = ps + strlen(ps);
	while (param_next(&ps, pend, &pm)) {
		v = pm.val;
		vlen = pm.vlen;
		if (v != NULL)
			unquote(&v, &vlen);
		if (v != NULL && ieq(pm.name, pm.nlen, "PREF") &&
		    ieq(v, vlen, "1"))
			pref = 1;
		else if (v != NULL && ieq(pm.name, pm.nlen, "TYPE")) {
			buf_adds(&w->b, ntypes++ == 0 ? ";TYPE=" : ",");
			if (needs_quotes(pm.val, pm.vlen) && pm.val[0] != '"')
				buf_addc(&w->b, '"');
			buf_add(&w->b, pm.val, pm.vlen);
			if (needs_quotes(pm.val, pm.vlen) && pm.val[0] != '"')
				buf_addc(&w->b, '"');
		}
	}
	if (pref)
		buf_adds(&w->b, ntypes > 0 ? ",pref" : ";TYPE=pref");
	ps = x->params != NULL ? x->params : "";
	while (param_next(&ps, pend, &pm)) {
		v = pm.val;
		vlen = pm.vlen;
		if (v != NULL)
			unquote(&v, &vlen);
		if (v != NULL && (ieq(pm.name, pm.nlen, "TYPE") ||
		    (ieq(pm.name, pm.nlen, "PREF") && ieq(v, vlen, "1"))))
			continue;
		if (ieq(pm.name, pm.nlen, "VALUE"))
			hasvalue = 1;
		buf_addc(&w->b, ';');
		buf_add(&w->b, pm.name, pm.nlen);
		if (pm.val != NULL) {
			buf_addc(&w->b, '=');
			buf_add(&w->b, pm.val, pm.vlen);
		}
	}
	if (binary && b64 == NULL && !hasvalue)
		buf_adds(&w->b, ";VALUE=uri");
	buf_addc(&w->b, ':');
	if (b64 != NULL)
		add_raw(&w->b, b64, 1);
	else if (strcmp(up, "GEO") == 0 && (t = geo_comma(value)) != NULL) {
		/* "geo:lat,lon" -> "lat;lon" */
		buf_add(&w->b, value + 4, (size_t)(t - value - 4));
		buf_addc(&w->b, ';');
		buf_adds(&w->b, t + 1);
	} else
		add_raw(&w->b, value, 1);
	w_flush(w);
}

static void
w_extra(struct wr *w, const struct contact_extra *x)
{
	if (w->version == 30) {
		w_extra30(w, x);
		return;
	}
	w_start(w, x->group, x->name);
	if (x->params != NULL && x->params[0] != '\0') {
		buf_addc(&w->b, ';');
		add_raw(&w->b, x->params, 0);
	}
	buf_addc(&w->b, ':');
	add_raw(&w->b, x->value, 1);
	w_flush(w);
}

/* Extras the writer writes itself, or never. */
static int
extra_skipped(struct wr *w, const struct contact *c,
    const struct contact_extra *x)
{
	static const char *const skip[] = {
		"BEGIN", "END", "VERSION", "PRODID", NULL
	};
	char	*up;

	if (x->name == NULL || x->name[0] == '\0')
		return 1;
	up = upper_dup(w->a, x->name, strlen(x->name));
	if (in_list(up, skip))
		return 1;
	/* the importer resolved it to via_name, written above */
	return c->via_name != NULL && c->via_name[0] != '\0' &&
	    strcmp(up, "X-TEND-VIA") == 0;
}

static void
w_line(struct wr *w, const char *s)
{
	buf_reset(&w->b);
	buf_adds(&w->b, s);
	w_flush(w);
}

int
vcard_write(FILE *f, const struct contact *c, int version, struct err *e)
{
	struct wr		 w;
	const struct contact_extra *x;
	struct tm		 tm;
	time_t			 t;
	char			 stamp[32];
	unsigned		 item;
	size_t			 i;
	int			 rc = 0;

	if (version != 30 && version != 40)
		return err_set(e, TEND_EINVAL, "unknown vCard version %d",
		    version);
	memset(&w, 0, sizeof w);
	w.f = f;
	w.version = version;
	w.a = arena_new();
	errno = 0;
	w_line(&w, "BEGIN:VCARD");
	w_line(&w, version == 40 ? "VERSION:4.0" : "VERSION:3.0");
	w_line(&w, "PRODID:-//tend//tend//EN");
	if (!carried(&w, c, "FN", c->name))
		w_text(&w, NULL, "FN", NULL, c->name);
	if (!has_extra(c, "N")) {
		w_start(&w, NULL, "N");
		buf_addc(&w.b, ':');
		derive_n(&w.b, c->name);
		w_flush(&w);
	}
	if (c->company != NULL && c->company[0] != '\0' &&
	    !carried(&w, c, "ORG", c->company))
		w_text(&w, NULL, "ORG", NULL, c->company);
	if (c->title != NULL && c->title[0] != '\0' &&
	    !carried(&w, c, "TITLE", c->title))
		w_text(&w, NULL, "TITLE", NULL, c->title);
	item = first_item(c);
	w_items(&w, &c->emails, 0, &item);
	w_items(&w, &c->phones, 1, &item);
	if (c->notes != NULL && c->notes[0] != '\0')
		w_text(&w, NULL, "NOTE", NULL, c->notes);
	if (c->tags.n > 0) {
		w_start(&w, NULL, "CATEGORIES");
		for (i = 0; i < c->tags.n; i++) {
			buf_addc(&w.b, i == 0 ? ':' : ',');
			if (c->tags.v[i] != NULL)
				escape_text(&w.b, c->tags.v[i]);
		}
		w_flush(&w);
	}
	if (c->tz != NULL && c->tz[0] != '\0')
		w_text(&w, NULL, "TZ", version == 30 ? ";VALUE=text" : NULL,
		    c->tz);
	if (c->kind != NULL && c->kind[0] != '\0')
		w_text(&w, NULL, "X-TEND-KIND", NULL, c->kind);
	if (c->met_where != NULL && c->met_where[0] != '\0')
		w_text(&w, NULL, "X-TEND-MET", NULL, c->met_where);
	if (c->met_on != 0) {
		t = (time_t)c->met_on;
		if (gmtime_r(&t, &tm) != NULL && tm.tm_year >= -1900 &&
		    tm.tm_year <= 9999 - 1900) {
			snprintf(stamp, sizeof stamp,
			    "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
			w_text(&w, NULL, "X-TEND-MET-ON", NULL, stamp);
		}
	}
	if (c->source != NULL && c->source[0] != '\0')
		w_text(&w, NULL, "X-TEND-SOURCE", NULL, c->source);
	if (c->needs != NULL && c->needs[0] != '\0')
		w_text(&w, NULL, "X-TEND-NEEDS", NULL, c->needs);
	if (c->do_not_contact)
		w_line(&w, "X-TEND-DNC:1");
	if (c->via_name != NULL && c->via_name[0] != '\0')
		w_text(&w, NULL, "X-TEND-VIA", NULL, c->via_name);
	for (i = 0; i < c->nextras; i++) {
		x = &c->extras[i];
		if (extra_skipped(&w, c, x))
			continue;
		w_extra(&w, x);
	}
	w_line(&w, "END:VCARD");
	if (w.err != 0 || ferror(f))
		rc = err_set(e, TEND_EIO, "cannot write vCard: %s",
		    strerror(w.err != 0 ? w.err : EIO));
	buf_free(&w.b);
	arena_free(w.a);
	return rc;
}
