/*
 * Parsing incoming mail with GMime 3 into the plain struct inbound_msg
 * (src/mail/inbound.h): headers decoded to clean UTF-8, the message's
 * own text, and what a bounce or an abuse report says about whom.  Part
 * of the mail plugin; no GMime type leaves this file.  Every call builds
 * its own parser options, so parsing is thread-safe once mime_init() ran.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "mail/parse.h"
#include "util/xmalloc.h"

/* How deep the walk over MIME parts goes: real mail nests 3 or 4 deep;
 * GMime itself stops building at 1024. */
#define PARSE_DEPTH_MAX		24
#define PARSE_REFS_MAX		64	/* In-Reply-To + References kept */
#define PARSE_RCPTS_MAX		256	/* recipient addresses kept */
#define PARSE_BOUNCED_MAX	64	/* recipients of one report kept */
/* The most of a decoded part read: enough for INBOUND_TEXT_MAX bytes of
 * UTF-8 from any charset, and for a bounce's quoted Message-ID. */
#define PARSE_PART_MAX		(INBOUND_TEXT_MAX * 8)
#define PARSE_DIAG_MAX		400	/* one diagnostic, in bytes */

/* What the walk over the parts found (all borrowed from the message). */
struct walk {
	GMimeObject	*plain;		/* first inline text/plain */
	GMimeObject	*html;		/* first inline text/html */
	GMimeObject	*dsn;		/* message/delivery-status */
	GMimeObject	*fbr;		/* message/feedback-report */
	GMimeObject	*headers;	/* text/rfc822-headers */
	GMimeMessage	*returned;	/* message/rfc822 inside a report */
	GMimeMessage	*attached;	/* the first message/rfc822 at all */
	char		*report_type;	/* of the first multipart/report */
};

/* A growing array of recipients, with its capacity. */
struct rcptv {
	struct inbound_rcpt	*v;
	size_t			 n, cap;
};

/* ------------------------------------------------------------------ */
/* Text: UTF-8, no control characters                                   */

/* The n bytes of s as UTF-8, each byte one Latin-1 character. */
static char *
latin1_utf8(const char *s, size_t n)
{
	char	*out;
	size_t	 i, o = 0;

	out = xmalloc(n * 2 + 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			out[o++] = (char)c;
		else {
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
	return out;
}

/*
 * s[0..n) as UTF-8: kept when it is valid UTF-8 (NUL bytes dropped first,
 * since no text of ours holds one), else read as Latin-1, which every
 * byte string is: mail without a charset is most often Latin-1 or its
 * Windows cousin when it is not UTF-8.
 */
static char *
utf8_of(const char *s, size_t n)
{
	char	*tmp, *out;
	size_t	 i, k = 0;

	tmp = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		if (s[i] != '\0')
			tmp[k++] = s[i];
	tmp[k] = '\0';
	if (g_utf8_validate(tmp, (gssize)k, NULL))
		return tmp;
	out = latin1_utf8(tmp, k);
	free(tmp);
	return out;
}

/*
 * Drop control characters from valid UTF-8 s, in place: C0 but tab and
 * LF, DEL, C1 (U+0080-U+009F, which only mis-decoded text holds).  CR LF
 * and a lone CR become LF.  Unless multiline, tab and LF become a space,
 * for one-line values (a subject, a name).  Cut at max bytes on a
 * character boundary.  Returns s.
 */
static char *
clean_inplace(char *s, int multiline, size_t max)
{
	unsigned char	*r = (unsigned char *)s;
	size_t		 i = 0, o = 0, len, clen;

	len = strlen(s);
	while (i < len) {
		unsigned char c = r[i];

		if (c < 0x80) {
			clen = 1;
			if (c == '\r') {
				if (i + 1 < len && r[i + 1] == '\n') {
					i++;
					continue;
				}
				c = '\n';
			}
			if ((c < 0x20 && c != '\t' && c != '\n') ||
			    c == 0x7f) {
				i++;
				continue;
			}
			if (!multiline && (c == '\t' || c == '\n'))
				c = ' ';
			if (o + 1 > max)
				break;
			r[o++] = c;
			i++;
			continue;
		}
		clen = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (i + clen > len)
			break;
		if (c == 0xc2 && r[i + 1] < 0xa0) {	/* C1 */
			i += clen;
			continue;
		}
		if (o + clen > max)
			break;
		memmove(r + o, r + i, clen);
		o += clen;
		i += clen;
	}
	r[o] = '\0';
	return s;
}

/* Trim white space at both ends, in place. */
static char *
trim_inplace(char *s)
{
	size_t	n, k = 0;

	while (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')
		k++;
	if (k > 0)
		memmove(s, s + k, strlen(s + k) + 1);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Where needle (lower case) is in s, ignoring ASCII case; NULL if not. */
static const char *
ci_find(const char *s, const char *needle)
{
	size_t	n = strlen(needle);

	for (; *s != '\0'; s++)
		if (g_ascii_strncasecmp(s, needle, n) == 0)
			return s;
	return NULL;
}

/* A one-line value from outside as clean UTF-8; NULL if none is left. */
static char *
clean_line(const char *s)
{
	char	*out;

	if (s == NULL)
		return NULL;
	out = trim_inplace(clean_inplace(utf8_of(s, strlen(s)), 0,
	    INBOUND_TEXT_MAX));
	if (*out == '\0') {
		free(out);
		return NULL;
	}
	return out;
}

/* clean_line, lower-cased (ASCII: header keywords are ASCII). */
static char *
clean_lower(const char *s)
{
	char	*out, *p;

	out = clean_line(s);
	for (p = out; p != NULL && *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

/*
 * n bytes in charset cs as UTF-8, through iconv (GMime knows the aliases
 * mail uses).  A charset iconv does not know, or bytes that are not in
 * it, fall back to utf8_of(): a label is often wrong, the bytes rarely
 * lie about being UTF-8.  A sequence cut at the end is dropped.
 */
static char *
charset_utf8(const char *cs, const char *in, size_t n)
{
	iconv_t	 cd;
	char	*out, *ip, *op;
	size_t	 cap, il, ol, r;

	if (cs == NULL || g_ascii_strcasecmp(cs, "utf-8") == 0 ||
	    g_ascii_strcasecmp(cs, "utf8") == 0 ||
	    g_ascii_strcasecmp(cs, "us-ascii") == 0 ||
	    g_ascii_strcasecmp(cs, "ascii") == 0)
		return utf8_of(in, n);
	cd = g_mime_iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return utf8_of(in, n);
	cap = n * 2 + 16;
	out = xmalloc(cap + 1);
	ip = (char *)(uintptr_t)in;
	il = n;
	op = out;
	ol = cap;
	for (;;) {
		r = iconv(cd, il > 0 ? &ip : NULL, &il, &op, &ol);
		if (r != (size_t)-1) {
			if (il == 0)
				break;
			continue;
		}
		if (errno == E2BIG) {
			size_t used = (size_t)(op - out);

			cap *= 2;
			out = xrealloc(out, cap + 1);
			op = out + used;
			ol = cap - used;
			continue;
		}
		if (errno == EINVAL)	/* cut short at the end */
			break;
		g_mime_iconv_close(cd);
		free(out);
		return utf8_of(in, n);
	}
	g_mime_iconv_close(cd);
	*op = '\0';
	/* iconv's output is UTF-8; a NUL in it would end the string early,
	 * which is all the harm it can do */
	if (!g_utf8_validate(out, (gssize)strlen(out), NULL)) {
		free(out);
		return utf8_of(in, n);
	}
	return out;
}

/* The decoded content of a leaf part (transfer encoding undone), at most
 * max bytes, NUL-terminated; NULL when it has none. */
static char *
part_bytes(GMimeObject *o, size_t max, size_t *len)
{
	GMimeDataWrapper	*w;
	GMimeStream		*st;
	GByteArray		*a;
	char			*out = NULL;
	size_t			 n;

	*len = 0;
	if (!GMIME_IS_PART(o))
		return NULL;
	w = g_mime_part_get_content(GMIME_PART(o));
	if (w == NULL)
		return NULL;
	st = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(w, st) >= 0) {
		a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(st));
		n = a->len < max ? a->len : max;
		out = xmalloc(n + 1);
		if (n > 0)
			memcpy(out, a->data, n);
		out[n] = '\0';
		*len = n;
	}
	g_object_unref(st);
	return out;
}

/* A text part's content as clean UTF-8, multiline; NULL when none. */
static char *
part_text(GMimeObject *o)
{
	const char	*cs;
	char		*raw, *text;
	size_t		 n;

	raw = part_bytes(o, PARSE_PART_MAX, &n);
	if (raw == NULL)
		return NULL;
	cs = g_mime_object_get_content_type_parameter(o, "charset");
	text = charset_utf8(cs, raw, n);
	free(raw);
	return clean_inplace(text, 1, PARSE_PART_MAX);
}

/* Append the UTF-8 of code point c (valid, not a control) to out. */
static size_t
put_char(char *out, gunichar c)
{
	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    c < 0x20 || (c >= 0x7f && c < 0xa0))
		return 0;
	return (size_t)g_unichar_to_utf8(c, out);
}

/* The entity at s ('&'...) decoded into out; *used gets its length, 0
 * when it is not one we know (then '&' stands for itself). */
static size_t
html_entity(const char *s, char *out, size_t *used)
{
	static const struct {
		const char	*name;
		gunichar	 c;
	} names[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' }, { "nbsp;", ' ' },
		{ "ndash;", 0x2013 }, { "mdash;", 0x2014 },
		{ "hellip;", 0x2026 }, { "rsquo;", 0x2019 },
		{ "lsquo;", 0x2018 }, { "rdquo;", 0x201d },
		{ "ldquo;", 0x201c }, { "euro;", 0x20ac },
		{ "copy;", 0xa9 }, { "eacute;", 0xe9 }, { "egrave;", 0xe8 },
		{ "auml;", 0xe4 }, { "ouml;", 0xf6 }, { "uuml;", 0xfc },
		{ "szlig;", 0xdf }, { "agrave;", 0xe0 }, { "ccedil;", 0xe7 }
	};
	size_t		 i, k;
	gunichar	 c = 0;
	int		 base = 10, digits = 0;

	*used = 0;
	if (s[1] == '#') {
		k = 2;
		if (s[k] == 'x' || s[k] == 'X') {
			base = 16;
			k++;
		}
		while (digits < 8 && g_ascii_isxdigit(s[k]) &&
		    (base == 16 || g_ascii_isdigit(s[k]))) {
			c = c * (gunichar)base +
			    (gunichar)g_ascii_xdigit_value(s[k]);
			k++;
			digits++;
		}
		if (digits == 0 || digits == 8 || s[k] != ';')
			return 0;
		*used = k + 1;
		return put_char(out, c);
	}
	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		k = strlen(names[i].name);
		if (strncmp(s + 1, names[i].name, k) == 0) {
			*used = k + 1;
			return put_char(out, names[i].c);
		}
	}
	return 0;
}

/*
 * HTML made plain: tags dropped (script and style with their content,
 * comments), block tags as line breaks, runs of white space as one
 * space, common entities decoded.  Good enough to read a message; not a
 * renderer.  s is clean UTF-8; the result is too.
 */
static char *
html_plain(const char *s)
{
	static const char *const blocks[] = { "br", "p", "/p", "div", "/div",
	    "tr", "/tr", "li", "h1", "h2", "h3", "h4", "/h1", "/h2", "/h3",
	    "/h4", "table", "/table", "blockquote", "/blockquote", "hr" };
	char	*out;
	size_t	 o = 0, i, n, used, k, nl = 0;
	int	 space = 0;

	n = strlen(s);
	out = xmalloc(n + 1);
	i = 0;
	while (i < n) {
		if (s[i] == '<') {
			char	 name[16];
			size_t	 j = i + 1, m = 0;

			if (strncmp(s + i, "<!--", 4) == 0) {
				const char *e = strstr(s + i + 4, "-->");

				i = e != NULL ? (size_t)(e - s) + 3 : n;
				continue;
			}
			while (j < n && m + 1 < sizeof name &&
			    (g_ascii_isalnum(s[j]) || (m == 0 &&
			    s[j] == '/'))) {
				name[m++] = g_ascii_tolower(s[j]);
				j++;
			}
			name[m] = '\0';
			if (strcmp(name, "script") == 0 ||
			    strcmp(name, "style") == 0) {
				const char *e = strstr(s + j, m == 6 ?
				    "</script" : "</style");

				if (e == NULL)
					e = strstr(s + j, m == 6 ?
					    "</SCRIPT" : "</STYLE");
				j = e != NULL ? (size_t)(e - s) : n;
			}
			while (j < n && s[j] != '>')
				j++;
			i = j < n ? j + 1 : n;
			for (k = 0; k < G_N_ELEMENTS(blocks); k++)
				if (strcmp(name, blocks[k]) == 0)
					break;
			if (k < G_N_ELEMENTS(blocks) && o > 0 && nl < 2) {
				out[o++] = '\n';
				nl++;
				space = 0;
			}
			continue;
		}
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			space = 1;
			i++;
			continue;
		}
		if (space && o > 0 && nl == 0)
			out[o++] = ' ';
		space = 0;
		nl = 0;
		if (s[i] == '&') {
			char	 buf[8];
			size_t	 w;

			w = html_entity(s + i, buf, &used);
			if (used > 0 && w <= used) {
				memcpy(out + o, buf, w);
				o += w;
				i += used;
				continue;
			}
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';
	return trim_inplace(out);
}

/* ------------------------------------------------------------------ */
/* Addresses and headers                                                */

/* The first mailbox of list (looking into groups), or NULL. */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *list, int depth)
{
	InternetAddressMailbox	*mb;
	InternetAddress		*ia;
	int			 i, n;

	if (list == NULL || depth > 2)
		return NULL;
	n = internet_address_list_length(list);
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			return INTERNET_ADDRESS_MAILBOX(ia);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			mb = first_mailbox(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), depth + 1);
			if (mb != NULL)
				return mb;
		}
	}
	return NULL;
}

/* The address of list's first mailbox as clean UTF-8, or NULL. */
static char *
first_addr(InternetAddressList *list)
{
	InternetAddressMailbox	*mb;

	mb = first_mailbox(list, 0);
	return mb != NULL ? clean_line(internet_address_mailbox_get_addr(mb))
	    : NULL;
}

static int
str_in(char **v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (g_ascii_strcasecmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* Add every mailbox of list to m->rcpts, each once, up to the cap. */
static void
add_rcpts(struct inbound_msg *m, InternetAddressList *list, int depth)
{
	InternetAddress	*ia;
	char		*a;
	int		 i, n;

	if (list == NULL || depth > 2)
		return;
	n = internet_address_list_length(list);
	for (i = 0; i < n && m->nrcpts < PARSE_RCPTS_MAX; i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			add_rcpts(m, internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), depth + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		a = clean_line(internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia)));
		if (a == NULL || str_in(m->rcpts, m->nrcpts, a)) {
			free(a);
			continue;
		}
		if (m->nrcpts % 8 == 0)
			m->rcpts = xrealloc(m->rcpts,
			    (m->nrcpts + 8) * sizeof *m->rcpts);
		m->rcpts[m->nrcpts++] = a;
	}
}

/* Add the message ids of a References-style value to m->refs. */
static void
add_refs(struct inbound_msg *m, GMimeParserOptions *po, const char *value,
    int from_end)
{
	GMimeReferences	*refs;
	char		*id;
	int		 i, n, start = 0;

	if (value == NULL)
		return;
	refs = g_mime_references_parse(po, value);
	if (refs == NULL)
		return;
	n = g_mime_references_length(refs);
	/* a long References keeps its newest ids, the ones tend may have
	 * sent: they come last */
	if (from_end && n > PARSE_REFS_MAX - (int)m->nrefs)
		start = n - (PARSE_REFS_MAX - (int)m->nrefs);
	for (i = start; i < n && m->nrefs < PARSE_REFS_MAX; i++) {
		id = clean_line(g_mime_references_get_message_id(refs, i));
		if (id == NULL || strchr(id, ' ') != NULL) {
			free(id);
			continue;
		}
		for (size_t k = 0; k < m->nrefs; k++)
			if (strcmp(m->refs[k], id) == 0) {
				free(id);
				id = NULL;
				break;
			}
		if (id == NULL)
			continue;
		if (m->nrefs % 8 == 0)
			m->refs = xrealloc(m->refs,
			    (m->nrefs + 8) * sizeof *m->refs);
		m->refs[m->nrefs++] = id;
	}
	g_mime_references_free(refs);
}

/* Return-Path: "" for the null path <>, else the address in it. */
static char *
return_path(const char *raw)
{
	const char	*lt, *gt;
	char		*s, *out;

	s = clean_line(raw);
	if (s == NULL)
		return xstrdup("");
	lt = strchr(s, '<');
	gt = lt != NULL ? strchr(lt, '>') : NULL;
	if (lt != NULL && gt != NULL)
		out = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	else
		out = xstrdup(s);
	free(s);
	return trim_inplace(out);
}

/* 1 if a header's value says yes: present and not "no", "false", "0". */
static int
header_yes(const char *v)
{
	while (v != NULL && (*v == ' ' || *v == '\t'))
		v++;
	if (v == NULL)
		return 0;
	return g_ascii_strncasecmp(v, "no", 2) != 0 &&
	    g_ascii_strncasecmp(v, "false", 5) != 0 && *v != '0';
}

/* Read what the classifier needs from the top-level headers. */
static void
read_headers(struct inbound_msg *m, GMimeMessage *msg,
    GMimeParserOptions *po)
{
	GMimeHeaderList	*hl;
	GMimeHeader	*h;
	const char	*name, *value, *raw;
	int		 i, n, have_irt = 0, have_refs = 0, have_rp = 0;

	hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	n = g_mime_header_list_get_count(hl);
	for (i = 0; i < n; i++) {
		h = g_mime_header_list_get_header_at(hl, i);
		name = g_mime_header_get_name(h);
		raw = g_mime_header_get_raw_value(h);
		if (name == NULL || raw == NULL)
			continue;
		value = g_mime_header_get_value(h);
		if (g_ascii_strcasecmp(name, "In-Reply-To") == 0 &&
		    !have_irt) {
			have_irt = 1;
			add_refs(m, po, raw, 0);
		} else if (g_ascii_strcasecmp(name, "Return-Path") == 0 &&
		    !have_rp) {
			/* the first is the one the final MTA wrote */
			have_rp = 1;
			m->return_path = return_path(raw);
		} else if (g_ascii_strcasecmp(name, "Delivered-To") == 0 ||
		    g_ascii_strcasecmp(name, "X-Original-To") == 0 ||
		    g_ascii_strcasecmp(name, "Envelope-To") == 0) {
			InternetAddressList *l;

			l = internet_address_list_parse(po, raw);
			add_rcpts(m, l, 0);
			if (l != NULL)
				g_object_unref(l);
		} else if (g_ascii_strcasecmp(name, "Auto-Submitted") == 0 &&
		    m->auto_submitted == NULL)
			m->auto_submitted = clean_lower(value);
		else if (g_ascii_strcasecmp(name, "Precedence") == 0 &&
		    m->precedence == NULL)
			m->precedence = clean_lower(value);
		else if ((g_ascii_strcasecmp(name, "X-Autoreply") == 0 ||
		    g_ascii_strcasecmp(name, "X-Autorespond") == 0 ||
		    g_ascii_strcasecmp(name, "X-Autoresponder") == 0 ||
		    g_ascii_strcasecmp(name, "X-Auto-Reply") == 0) &&
		    header_yes(value))
			m->x_autoreply = 1;
		else if (g_ascii_strcasecmp(name, "X-Autogenerated") == 0 &&
		    value != NULL && strstr(value, "eply") != NULL)
			m->x_autoreply = 1;	/* "X-Autogenerated: Reply" */
		else if (g_ascii_strcasecmp(name,
		    "X-MS-Exchange-Inbox-Rules-Loop") == 0)
			m->exchange_auto = 1;
		else if (g_ascii_strcasecmp(name,
		    "X-MS-Exchange-Generated-Message-Source") == 0 &&
		    value != NULL && strstr(value, "Rules Agent") != NULL)
			m->exchange_auto = 1;
		else if (g_ascii_strcasecmp(name,
		    "X-Auto-Response-Suppress") == 0 &&
		    g_ascii_strncasecmp(value != NULL ? value : "", " none",
		    5) != 0)
			m->auto_suppress = 1;
		else if (g_ascii_strcasecmp(name, "X-Apple-Action") == 0 &&
		    value != NULL && strstr(value, "VACATION") != NULL)
			m->apple_vacation = 1;
		else if (g_ascii_strcasecmp(name, "List-Id") == 0 ||
		    g_ascii_strcasecmp(name, "List-Post") == 0 ||
		    g_ascii_strcasecmp(name, "Mailing-List") == 0)
			m->list = 1;
		else if (g_ascii_strcasecmp(name, "X-Failed-Recipients") == 0)
			m->failed_hdr = 1;
	}
	/* In-Reply-To first, then References: one list, each id once */
	for (i = 0; i < n; i++) {
		h = g_mime_header_list_get_header_at(hl, i);
		name = g_mime_header_get_name(h);
		if (name != NULL && !have_refs &&
		    g_ascii_strcasecmp(name, "References") == 0) {
			have_refs = 1;
			add_refs(m, po, g_mime_header_get_raw_value(h), 1);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Walking the parts                                                    */

static void
walk_parts(GMimeObject *o, int depth, int in_report, struct walk *w)
{
	GMimeContentType	*ct;
	const char		*type, *sub;
	int			 i, n;

	if (o == NULL || depth > PARSE_DEPTH_MAX)
		return;
	ct = g_mime_object_get_content_type(o);
	type = ct != NULL ? g_mime_content_type_get_media_type(ct) : NULL;
	sub = ct != NULL ? g_mime_content_type_get_media_subtype(ct) : NULL;
	if (type == NULL)
		type = "text";
	if (sub == NULL)
		sub = "plain";
	if (GMIME_IS_MULTIPART(o)) {
		if (g_ascii_strcasecmp(sub, "report") == 0 &&
		    w->report_type == NULL) {
			w->report_type = clean_lower(
			    g_mime_content_type_get_parameter(ct,
			    "report-type"));
			if (w->report_type == NULL)
				w->report_type = xstrdup("");
			in_report = 1;
		}
		n = g_mime_multipart_get_count(GMIME_MULTIPART(o));
		for (i = 0; i < n && i < 256; i++)
			walk_parts(g_mime_multipart_get_part(
			    GMIME_MULTIPART(o), i), depth + 1, in_report, w);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(o)) {
		/* the returned or reported message: read for its ids only,
		 * never for text, which is not this message's own */
		GMimeMessage *inner;

		inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
		if (inner != NULL && in_report && w->returned == NULL)
			w->returned = inner;
		if (inner != NULL && w->attached == NULL)
			w->attached = inner;
		return;
	}
	if (!GMIME_IS_PART(o))
		return;
	if (g_ascii_strcasecmp(type, "message") == 0) {
		if ((g_ascii_strcasecmp(sub, "delivery-status") == 0 ||
		    g_ascii_strcasecmp(sub, "global-delivery-status") == 0) &&
		    w->dsn == NULL)
			w->dsn = o;
		else if (g_ascii_strcasecmp(sub, "feedback-report") == 0 &&
		    w->fbr == NULL)
			w->fbr = o;
		else if (g_ascii_strcasecmp(sub, "global-headers") == 0 &&
		    w->headers == NULL)
			w->headers = o;
		return;
	}
	if (g_ascii_strcasecmp(type, "text") != 0)
		return;
	if (g_ascii_strcasecmp(sub, "rfc822-headers") == 0) {
		if (w->headers == NULL)
			w->headers = o;
		return;
	}
	if (g_mime_part_is_attachment(GMIME_PART(o)))
		return;
	if (g_ascii_strcasecmp(sub, "plain") == 0 && w->plain == NULL)
		w->plain = o;
	else if (g_ascii_strcasecmp(sub, "html") == 0 && w->html == NULL)
		w->html = o;
}

/* A header block (text/rfc822-headers) read as a message of its own;
 * NULL when GMime finds no header in it. */
static GMimeMessage *
headers_message(GMimeObject *o, GMimeParserOptions *po)
{
	GMimeStream	*st;
	GMimeParser	*p;
	GMimeMessage	*msg;
	char		*raw;
	size_t		 n;

	raw = part_bytes(o, PARSE_PART_MAX, &n);
	if (raw == NULL)
		return NULL;
	st = g_mime_stream_mem_new_with_buffer(raw, n);
	p = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(p, po);
	g_object_unref(p);
	g_object_unref(st);
	free(raw);
	return msg;
}

/* ------------------------------------------------------------------ */
/* Bounces and complaints                                               */

static struct inbound_rcpt *
rcpt_find(struct rcptv *rv, const char *addr)
{
	size_t	i;

	for (i = 0; i < rv->n; i++)
		if (g_ascii_strcasecmp(rv->v[i].addr, addr) == 0)
			return &rv->v[i];
	return NULL;
}

/* A new recipient with address addr (taken), or NULL at the cap (addr
 * freed). */
static struct inbound_rcpt *
rcpt_add(struct rcptv *rv, char *addr)
{
	struct inbound_rcpt	*r;

	if (rv->n >= PARSE_BOUNCED_MAX) {
		free(addr);
		return NULL;
	}
	if (rv->n == rv->cap) {
		rv->cap = rv->cap == 0 ? 4 : rv->cap * 2;
		rv->v = xrealloc(rv->v, rv->cap * sizeof *rv->v);
	}
	r = &rv->v[rv->n++];
	memset(r, 0, sizeof *r);
	r->addr = addr;
	return r;
}

static void
rcpt_clear(struct inbound_rcpt *r)
{
	free(r->addr);
	free(r->status);
	free(r->action);
	free(r->diagnostic);
}

/*
 * An RFC 3463 status code ("5.1.1") at s, into out (16 bytes); its
 * length, 0 when there is none.  Classes 2, 4 and 5 only; the subject
 * and detail have at most three digits.
 */
static size_t
status_at(const char *s, char *out)
{
	size_t	i = 0, d;
	int	part;

	if (s[0] != '2' && s[0] != '4' && s[0] != '5')
		return 0;
	if (s[1] != '.')
		return 0;
	i = 2;
	for (part = 0; part < 2; part++) {
		for (d = 0; d < 3 && g_ascii_isdigit(s[i]); d++)
			i++;
		if (d == 0)
			return 0;
		if (part == 0) {
			if (s[i] != '.')
				return 0;
			i++;
		}
	}
	if (g_ascii_isdigit(s[i]) || (s[i] == '.' &&
	    g_ascii_isdigit(s[i + 1])))
		return 0;
	memcpy(out, s, i);
	out[i] = '\0';
	return i;
}

/* The address in a DSN value "rfc822; ann@example.com" (or "<...>"). */
static char *
dsn_addr(const char *v)
{
	const char	*semi;
	char		*s, *lt, *gt;

	semi = strchr(v, ';');
	s = clean_line(semi != NULL ? semi + 1 : v);
	if (s == NULL)
		return NULL;
	lt = strchr(s, '<');
	gt = lt != NULL ? strchr(lt, '>') : NULL;
	if (lt != NULL && gt != NULL) {
		*gt = '\0';
		memmove(s, lt + 1, strlen(lt + 1) + 1);
	}
	trim_inplace(s);
	if (strchr(s, '@') == NULL || strchr(s, ' ') != NULL) {
		free(s);
		return NULL;
	}
	return s;
}

/* One recipient group of a DSN as it is read. */
struct dsn_group {
	char	*final, *orig, *action, *status, *diag;
};

static void
dsn_flush(struct dsn_group *g, struct rcptv *rv)
{
	struct inbound_rcpt	*r;
	char			*addr;

	/* what tend sent to is the original recipient, when the report
	 * gives it: an alias expands into other final ones */
	addr = g->orig != NULL ? g->orig : g->final;
	/* delivered, relayed and expanded recipients are no problem: a
	 * report lists them only beside the ones that are */
	if (g->action != NULL && (strcmp(g->action, "delivered") == 0 ||
	    strcmp(g->action, "relayed") == 0 ||
	    strcmp(g->action, "expanded") == 0))
		addr = NULL;
	if (addr != NULL && rcpt_find(rv, addr) == NULL) {
		r = rcpt_add(rv, xstrdup(addr));
		if (r != NULL) {
			r->action = g->action;
			r->status = g->status;
			r->diagnostic = g->diag;
			g->action = g->status = g->diag = NULL;
			if (r->status != NULL)
				r->hard = r->status[0] == '5';
			else
				r->hard = r->action != NULL &&
				    strcmp(r->action, "failed") == 0;
		}
	}
	free(g->final);
	free(g->orig);
	free(g->action);
	free(g->status);
	free(g->diag);
	memset(g, 0, sizeof *g);
}

/* The value of a field line "Name: value" if its name is name. */
static const char *
field_value(const char *line, const char *name)
{
	size_t	n = strlen(name);

	if (g_ascii_strncasecmp(line, name, n) != 0)
		return NULL;
	line += n;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line != ':')
		return NULL;
	return line + 1;
}

/*
 * The fields of a message/delivery-status or message/feedback-report
 * body, unfolded: one "Name: value" per line, groups separated by an
 * empty line ("" in the array).  NULL-terminated; free with g_strfreev.
 */
static char **
report_fields(const char *text)
{
	GPtrArray	*a;
	GString		*cur = NULL;
	const char	*p = text, *e;
	size_t		 len;

	a = g_ptr_array_new();
	while (*p != '\0' && a->len < 4096) {
		e = strchr(p, '\n');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		if (len > 0 && (p[0] == ' ' || p[0] == '\t') && cur != NULL &&
		    strspn(p, " \t") < len) {
			size_t ws = strspn(p, " \t");

			g_string_append_c(cur, ' ');
			g_string_append_len(cur, p + ws, (gssize)(len - ws));
		} else {
			if (cur != NULL)
				g_ptr_array_add(a, g_string_free(cur, FALSE));
			cur = NULL;
			if (len == 0 || strspn(p, " \t") >= len)
				g_ptr_array_add(a, g_strdup(""));
			else
				cur = g_string_new_len(p, (gssize)len);
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	if (cur != NULL)
		g_ptr_array_add(a, g_string_free(cur, FALSE));
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

/*
 * Read the per-recipient groups of an RFC 3464 delivery status.  A
 * group ends at an empty line, or, for reports that leave the lines
 * out, where a second Final-Recipient (or Original-Recipient) starts.
 */
static void
dsn_read(const char *text, struct rcptv *rv)
{
	struct dsn_group	 g;
	char			**f;
	const char		*v;
	char			 st[16];
	size_t			 i;

	memset(&g, 0, sizeof g);
	f = report_fields(text);
	for (i = 0; f[i] != NULL; i++) {
		if (f[i][0] == '\0') {
			dsn_flush(&g, rv);
			continue;
		}
		if ((v = field_value(f[i], "Final-Recipient")) != NULL) {
			if (g.final != NULL)
				dsn_flush(&g, rv);
			g.final = dsn_addr(v);
		} else if ((v = field_value(f[i], "Original-Recipient")) !=
		    NULL) {
			if (g.orig != NULL)
				dsn_flush(&g, rv);
			g.orig = dsn_addr(v);
		} else if ((v = field_value(f[i], "Action")) != NULL) {
			free(g.action);
			g.action = clean_lower(v);
			if (g.action != NULL)
				g.action[strcspn(g.action, " ;(")] = '\0';
		} else if ((v = field_value(f[i], "Status")) != NULL) {
			while (*v == ' ' || *v == '\t')
				v++;
			if (g.status == NULL && status_at(v, st) > 0)
				g.status = xstrdup(st);
		} else if ((v = field_value(f[i], "Diagnostic-Code")) !=
		    NULL) {
			const char *semi = strchr(v, ';');

			free(g.diag);
			g.diag = clean_line(semi != NULL ? semi + 1 : v);
			if (g.diag != NULL && strlen(g.diag) > PARSE_DIAG_MAX)
				g.diag[PARSE_DIAG_MAX] = '\0';
			if (g.diag != NULL)
				clean_inplace(g.diag, 0, PARSE_DIAG_MAX);
		}
	}
	dsn_flush(&g, rv);
	g_strfreev(f);
}

/* The first address of a To header of msg, or NULL. */
static char *
message_to(GMimeMessage *msg)
{
	if (msg == NULL)
		return NULL;
	return first_addr(g_mime_message_get_addresses(msg,
	    GMIME_ADDRESS_TYPE_TO));
}

/* Read an RFC 5965 feedback report: its type and whom it is about. */
static void
feedback_read(struct inbound_msg *m, const char *text, GMimeMessage *rep,
    struct rcptv *rv)
{
	char		**f;
	const char	*v;
	char		*addr = NULL;
	size_t		 i;

	f = report_fields(text != NULL ? text : "");
	for (i = 0; f[i] != NULL; i++) {
		if ((v = field_value(f[i], "Feedback-Type")) != NULL &&
		    m->feedback_type == NULL)
			m->feedback_type = clean_lower(v);
		else if ((v = field_value(f[i], "Original-Rcpt-To")) !=
		    NULL && addr == NULL)
			addr = dsn_addr(v);
		else if ((v = field_value(f[i], "Removal-Recipient")) !=
		    NULL && addr == NULL)
			addr = dsn_addr(v);
	}
	g_strfreev(f);
	/* many reports leave Original-Rcpt-To out (it names a user of
	 * theirs); the reported message's To says the same */
	if (addr == NULL)
		addr = message_to(rep);
	if (addr != NULL)
		rcpt_add(rv, addr);
}

/* Lines in a bounce's text after which the returned message starts. */
static const char *const bounce_ends[] = {
	"----- original message -----",
	"------ this is a copy of the message",
	"--- below this line is a copy of the message",
	"----- original message follows -----",
	"original message follows",
	"----- unsent message follows -----",
	"----- the header of the original message is following. -----",
	"------- returned message",
	"--- the header of the original message is following. ---",
	"original message headers:",
	"----- message header follows -----",
	"return-path: <"
};

/* Where the returned message starts in t (a pointer to its end if
 * nothing marks it). */
static const char *
bounce_end(const char *t)
{
	const char	*end = t + strlen(t), *p;
	size_t		 i;

	for (i = 0; i < G_N_ELEMENTS(bounce_ends); i++) {
		p = ci_find(t, bounce_ends[i]);
		if (p != NULL && p < end)
			end = p;
	}
	return end;
}

/* Phrases that say a text reports a failed delivery (lower case). */
static const char *const fail_words[] = {
	"failed permanently", "permanent error", "permanent fatal error",
	"address(es) failed", "could not be delivered",
	"couldn't be delivered", "wasn't able to deliver",
	"was not able to deliver",
	"wasn't delivered", "was not delivered", "delivery has failed",
	"undeliverable", "user unknown", "unknown user", "no such user",
	"address not found", "does not exist", "unable to deliver",
	"could not deliver", "delivery to the following recipient",
	"following addresses had permanent", "recipient address rejected",
	"mailbox unavailable", "mailbox not found", "message not delivered",
	"delivery failed", "failed to deliver", "rejected"
};

/* Phrases of a delay notice: delivery will still be tried. */
static const char *const delay_words[] = {
	"has been delayed", "delivery delayed", "delivery is delayed",
	"still being tried", "will be retried", "will retry",
	"will keep trying", "will continue trying", "not yet been delivered",
	"warning only", "temporarily deferred",
	"delivery attempts will continue"
};

/* Phrases a delay notice cannot say. */
static const char *const perm_words[] = {
	"failed permanently", "permanent error", "permanent fatal",
	"i've given up", "giving up", "has been rejected"
};

static int
words_in(const char *s, size_t n, const char *const *w, size_t nw)
{
	char	*low;
	size_t	 i;
	int	 found = 0;

	low = g_ascii_strdown(s, (gssize)n);
	for (i = 0; i < nw && !found; i++)
		found = strstr(low, w[i]) != NULL;
	g_free(low);
	return found;
}

static int
addr_char(char c, int domain)
{
	if (g_ascii_isalnum(c) || c == '-' || c == '.')
		return 1;
	if (domain)
		return 0;
	return c == '_' || c == '+' || c == '=' || c == '%' || c == '\'' ||
	    c == '/' || c == '!' || c == '#' || c == '&' || c == '*' ||
	    c == '?' || c == '^' || c == '`' || c == '{' || c == '}' ||
	    c == '|' || c == '~';
}

/*
 * The next address in s[0..n) from *pos: local@domain with a dot in the
 * domain.  Its start and length; 0 when there is no more.
 */
static size_t
next_addr(const char *s, size_t n, size_t *pos, size_t *start)
{
	size_t	at, b, e;
	int	dot;

	for (at = *pos; at < n; at++) {
		if (s[at] != '@')
			continue;
		b = at;
		while (b > 0 && addr_char(s[b - 1], 0))
			b--;
		e = at + 1;
		dot = 0;
		while (e < n && addr_char(s[e], 1)) {
			dot |= s[e] == '.';
			e++;
		}
		while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
			e--;
		while (b < at && s[b] == '.')
			b++;
		*pos = e > at ? e : at + 1;
		if (b == at || e <= at + 1 || !dot)
			continue;
		*start = b;
		return e - b;
	}
	*pos = n;
	return 0;
}

/* 1 if a is an address of the bounce itself: its sender, its
 * recipients (the user), the MTA's postmaster. */
static int
bounce_own_addr(const struct inbound_msg *m, const char *a)
{
	if (m->from_addr != NULL && g_ascii_strcasecmp(m->from_addr, a) == 0)
		return 1;
	if (str_in(m->rcpts, m->nrcpts, a))
		return 1;
	if (m->return_path != NULL &&
	    g_ascii_strcasecmp(m->return_path, a) == 0)
		return 1;
	return g_ascii_strncasecmp(a, "postmaster@", 11) == 0 ||
	    g_ascii_strncasecmp(a, "mailer-daemon@", 14) == 0;
}

/* Where the line holding offset i of t starts. */
static size_t
line_start(const char *t, size_t i)
{
	while (i > 0 && t[i - 1] != '\n')
		i--;
	return i;
}

/* The offset of the first status code in s[0..n) at a word start, into
 * st; -1 when there is none. */
static ssize_t
status_find(const char *s, size_t n, char *st)
{
	size_t	i;

	for (i = 0; i + 5 <= n; i++) {
		if (i > 0 && (g_ascii_isalnum(s[i - 1]) || s[i - 1] == '.'))
			continue;
		if (status_at(s + i, st) > 0 && i + strlen(st) <= n)
			return (ssize_t)i;
	}
	return -1;
}

/* Give r status st, found at offset at of t (n bytes): the line that
 * holds it is the diagnostic. */
static void
rcpt_status(struct inbound_rcpt *r, const char *st, const char *t,
    size_t n, size_t at)
{
	const char	*nl;
	size_t		 ls;

	r->status = xstrdup(st);
	r->hard = st[0] == '5';
	ls = line_start(t, at);
	nl = memchr(t + ls, '\n', n - ls);
	free(r->diagnostic);
	r->diagnostic = xstrndup(t + ls, (size_t)((nl != NULL ? nl : t + n) -
	    (t + ls)));
	clean_inplace(trim_inplace(r->diagnostic), 0, PARSE_DIAG_MAX);
}

/* 1 if the text before an address on its line says it is where the
 * message failed to go ("Your message wasn't delivered to ..."). */
static int
failed_to(const char *line, size_t n)
{
	static const char *const words[] = { "delivered to ", "deliver to ",
	    "delivery to ", "message to ", "recipient: ", "recipients: ",
	    "address: ", "failed: ", "user: " };
	char	*low;
	size_t	 i;
	int	 found = 0;

	low = g_ascii_strdown(line, (gssize)n);
	for (i = 0; i < G_N_ELEMENTS(words) && !found; i++)
		found = strstr(low, words[i]) != NULL;
	g_free(low);
	return found;
}

/*
 * Failed addresses and their status codes read from a bounce that is
 * not a delivery-status report (Gmail's text/plain, qmail, Exim, old
 * sendmail and Exchange texts).  Only the notice is read, up to where
 * the returned message starts, and only when it says delivery failed or
 * is delayed.  An address counts when it starts its line (how all of
 * these list them: "    ann@example.com", "<ann@example.com>:") or
 * follows words like "delivered to" ("Your message wasn't delivered to
 * ann@example.com because...").  Its status is the first code on its
 * line or the lines after it, before the next address, else the only
 * code the notice has.  Any other line with a code and a known address
 * ("550 5.1.1 <ann@example.com>... User unknown") gives that address its
 * status.  With only_known, no address is added, statuses only.
 */
static void
text_bounce(const struct inbound_msg *m, const char *t, struct rcptv *rv,
    int only_known)
{
	struct inbound_rcpt	*r;
	const char		*nl;
	char			 st[16], code[16] = "", *a;
	size_t			 n, pos, p2, start, s2, len, ls, lend, stop;
	ssize_t			 at, first = -1;
	int			 fail, delay, delayed, ncodes = 0, listed;

	n = (size_t)(bounce_end(t) - t);
	fail = words_in(t, n, fail_words, G_N_ELEMENTS(fail_words));
	delay = words_in(t, n, delay_words, G_N_ELEMENTS(delay_words));
	if (!fail && !delay)
		return;
	delayed = delay && !words_in(t, n, perm_words,
	    G_N_ELEMENTS(perm_words));
	for (pos = 0; pos < n; ) {
		at = status_find(t + pos, n - pos, st);
		if (at < 0)
			break;
		if (ncodes == 0) {
			memcpy(code, st, sizeof code);
			first = (ssize_t)pos + at;
			ncodes = 1;
		} else if (strcmp(st, code) != 0)
			ncodes = 2;
		pos += (size_t)at + strlen(st);
	}
	pos = 0;
	while ((len = next_addr(t, n, &pos, &start)) > 0) {
		ls = line_start(t, start);
		nl = memchr(t + start, '\n', n - start);
		lend = nl != NULL ? (size_t)(nl - t) : n;
		listed = strspn(t + ls, " \t<\"'(") >= start - ls ||
		    failed_to(t + ls, start - ls);
		a = xstrndup(t + start, len);
		r = rcpt_find(rv, a);
		if (!listed || bounce_own_addr(m, a)) {
			at = status_find(t + ls, lend - ls, st);
			if (r != NULL && r->status == NULL && at >= 0)
				rcpt_status(r, st, t, n, ls + (size_t)at);
			free(a);
			continue;
		}
		if (r == NULL) {
			if (only_known) {
				free(a);
				continue;
			}
			r = rcpt_add(rv, a);
			if (r == NULL)
				break;
			r->action = xstrdup(delayed ? "delayed" : "failed");
			r->hard = !delayed;
		} else
			free(a);
		if (r->status != NULL)
			continue;
		p2 = pos;
		stop = next_addr(t, n, &p2, &s2) > 0 ? line_start(t, s2) : n;
		if (stop <= ls)
			stop = lend;
		at = status_find(t + ls, stop - ls, st);
		if (at >= 0)
			rcpt_status(r, st, t, n, ls + (size_t)at);
		else if (ncodes == 1)
			rcpt_status(r, code, t, n, (size_t)first);
	}
}

/* A Message-ID line quoted in a plain-text bounce: its id, or NULL. */
static char *
quoted_message_id(const char *t)
{
	const char	*p = t, *v, *lt, *gt, *nl;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '>')
			p++;
		v = field_value(p, "Message-ID");
		if (v != NULL) {
			nl = strchr(v, '\n');
			lt = strchr(v, '<');
			gt = lt != NULL ? strchr(lt, '>') : NULL;
			if (lt != NULL && gt != NULL && (nl == NULL ||
			    gt < nl) && gt - lt > 1) {
				char *tmp, *id;

				tmp = xstrndup(lt + 1, (size_t)(gt - lt - 1));
				id = clean_line(tmp);
				free(tmp);
				return id;
			}
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

/* 1 if the message comes from a mail system, not a person: the null
 * Return-Path, MAILER-DAEMON or postmaster, or X-Failed-Recipients. */
static int
from_mta(const struct inbound_msg *m)
{
	static const char *const locals[] = { "mailer-daemon",
	    "mailer_daemon", "mailerdaemon", "postmaster", "mail-daemon",
	    "maildaemon", "mdaemon" };
	size_t	 i, n;

	if (m->failed_hdr)
		return 1;
	if (m->return_path != NULL && m->return_path[0] == '\0')
		return 1;
	if (m->from_addr != NULL)
		for (i = 0; i < G_N_ELEMENTS(locals); i++) {
			n = strlen(locals[i]);
			if (g_ascii_strncasecmp(m->from_addr, locals[i], n) ==
			    0 && (m->from_addr[n] == '@' ||
			    m->from_addr[n] == '\0'))
				return 1;
		}
	return m->from_name != NULL &&
	    (ci_find(m->from_name, "mail delivery") != NULL ||
	    ci_find(m->from_name, "mailer-daemon") != NULL ||
	    ci_find(m->from_name, "mail administrator") != NULL);
}

/* Fill bounced, orig_message_id and feedback_type. */
static void
read_reports(struct inbound_msg *m, GMimeMessage *msg, struct walk *w,
    GMimeParserOptions *po, const char *fulltext)
{
	struct rcptv	 rv = { NULL, 0, 0 };
	GMimeMessage	*hdrs = NULL, *rep;
	GMimeHeader	*h;
	const char	*id = NULL;
	char		*text, **v;
	size_t		 i, n;
	int		 feedback;

	feedback = m->report_type != NULL &&
	    strcmp(m->report_type, "feedback-report") == 0;
	if (w->headers != NULL)
		hdrs = headers_message(w->headers, po);
	rep = w->returned != NULL ? w->returned : hdrs;
	if (w->dsn != NULL && !feedback) {
		text = part_text(w->dsn);
		if (text != NULL)
			dsn_read(text, &rv);
		free(text);
	}
	if (feedback || w->fbr != NULL) {
		text = w->fbr != NULL ? part_text(w->fbr) : NULL;
		feedback_read(m, text, rep, &rv);
		free(text);
	}
	/* X-Failed-Recipients (Exim, Gmail): each address failed */
	h = g_mime_header_list_get_header(g_mime_object_get_header_list(
	    GMIME_OBJECT(msg)), "X-Failed-Recipients");
	if (h != NULL && !feedback) {
		text = clean_line(g_mime_header_get_value(h));
		v = g_strsplit_set(text != NULL ? text : "", ", ;", -1);
		for (i = 0; v[i] != NULL; i++) {
			struct inbound_rcpt *r;
			char *a;

			a = dsn_addr(v[i]);
			if (a == NULL || rcpt_find(&rv, a) != NULL) {
				free(a);
				continue;
			}
			r = rcpt_add(&rv, a);
			if (r != NULL) {
				r->action = xstrdup("failed");
				r->hard = 1;
			}
		}
		g_strfreev(v);
		free(text);
	}
	/* a bounce in words: read its notice, filling in statuses for the
	 * addresses a report or X-Failed-Recipients already named */
	if (!feedback && fulltext != NULL && from_mta(m)) {
		n = rv.n;
		if (w->dsn == NULL || n == 0 || m->failed_hdr)
			text_bounce(m, fulltext, &rv, w->dsn != NULL && n > 0);
	}
	/* the returned message's Message-ID names what tend sent */
	if (rep != NULL)
		id = g_mime_message_get_message_id(rep);
	if (id == NULL && w->attached != NULL && (from_mta(m) ||
	    m->report_type != NULL))
		id = g_mime_message_get_message_id(w->attached);
	if (id != NULL)
		m->orig_message_id = clean_line(id);
	if (m->orig_message_id == NULL && fulltext != NULL && from_mta(m))
		m->orig_message_id = quoted_message_id(bounce_end(fulltext));
	if (m->orig_message_id != NULL &&
	    strchr(m->orig_message_id, ' ') != NULL) {
		free(m->orig_message_id);
		m->orig_message_id = NULL;
	}
	if (hdrs != NULL)
		g_object_unref(hdrs);
	m->bounced = rv.v;
	m->nbounced = rv.n;
}

/* ------------------------------------------------------------------ */
/* The message                                                          */

/*
 * 0 if raw looks like a message: not empty, not too big, the first
 * line a header field (after an mbox "From " line), no NUL in the header
 * block.  *skip gets the length of that "From " line.
 */
static int
check_raw(const char *raw, size_t len, size_t *skip, struct err *e)
{
	size_t	i, name = 0;
	int	bol;

	*skip = 0;
	if (len == 0)
		return err_set(e, TEND_EINVAL, "not a mail message: empty");
	if (len > INBOUND_MAX_BYTES)
		return err_set(e, TEND_EINVAL, "not a mail message: over %d "
		    "bytes", INBOUND_MAX_BYTES);
	if (len > 5 && memcmp(raw, "From ", 5) == 0) {
		const char *nl = memchr(raw, '\n', len);

		if (nl == NULL)
			return err_set(e, TEND_EINVAL, "not a mail message: "
			    "no header block");
		*skip = (size_t)(nl - raw) + 1;
	}
	for (i = *skip; i < len && raw[i] != ':'; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == ' ' || c == '\t') {
			/* "Subject :" is old but still a header */
			while (i < len && (raw[i] == ' ' || raw[i] == '\t'))
				i++;
			if (i < len && raw[i] == ':' && name > 0)
				break;
			return err_set(e, TEND_EINVAL, "not a mail message: "
			    "no header block");
		}
		if (c < 33 || c > 126)
			return err_set(e, TEND_EINVAL, "not a mail message: "
			    "no header block");
		name++;
	}
	if (i >= len || name == 0)
		return err_set(e, TEND_EINVAL, "not a mail message: no header "
		    "block");
	/* a NUL in the headers: binary data, not mail an MTA passed on */
	bol = 1;
	for (i = *skip; i < len; i++) {
		if (raw[i] == '\0')
			return err_set(e, TEND_EINVAL, "not a mail message: "
			    "binary data in the header block");
		if (raw[i] == '\n') {
			if (bol)
				break;
			bol = 1;
		} else if (raw[i] != '\r')
			bol = 0;
	}
	return 0;
}

int
mime_parse(const char *raw, size_t len, struct inbound_msg **out,
    struct err *e)
{
	const char		*fallback[] = { "utf-8", "iso-8859-1", NULL };
	GMimeParserOptions	*po;
	GMimeStream		*st;
	GMimeParser		*p;
	GMimeMessage		*msg = NULL;
	GMimeObject		*body;
	GMimeContentType	*ct;
	GDateTime		*dt;
	InternetAddressMailbox	*mb;
	struct inbound_msg	*m = NULL;
	struct walk		 w;
	char			*full = NULL;
	size_t			 skip;
	int			 rc;

	*out = NULL;
	memset(&w, 0, sizeof w);
	if ((rc = check_raw(raw, len, &skip, e)) != 0)
		return rc;
	/* lenient about what the world sends: raw 8-bit headers read as
	 * UTF-8 when they are, else Latin-1; encoded words in the middle
	 * of words; addresses and parameters as written */
	po = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(po, fallback);
	g_mime_parser_options_set_rfc2047_compliance_mode(po,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(po,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(po,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(po, TRUE);
	st = g_mime_stream_mem_new_with_buffer(raw + skip, len - skip);
	p = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(p, po);
	if (msg == NULL || g_mime_header_list_get_count(
	    g_mime_object_get_header_list(GMIME_OBJECT(msg))) == 0) {
		rc = err_set(e, TEND_EINVAL, "not a mail message: no header "
		    "block");
		goto out;
	}

	m = xcalloc(1, sizeof *m);
	m->message_id = clean_line(g_mime_message_get_message_id(msg));
	if (m->message_id != NULL && strchr(m->message_id, ' ') != NULL) {
		free(m->message_id);
		m->message_id = NULL;
	}
	mb = first_mailbox(g_mime_message_get_from(msg), 0);
	if (mb != NULL) {
		m->from_addr = clean_line(internet_address_mailbox_get_addr(
		    mb));
		m->from_name = clean_line(internet_address_get_name(
		    INTERNET_ADDRESS(mb)));
	}
	m->reply_to = first_addr(g_mime_message_get_reply_to(msg));
	m->sender = first_addr(g_mime_message_get_sender(msg));
	add_rcpts(m, g_mime_message_get_addresses(msg,
	    GMIME_ADDRESS_TYPE_TO), 0);
	add_rcpts(m, g_mime_message_get_addresses(msg,
	    GMIME_ADDRESS_TYPE_CC), 0);
	read_headers(m, msg, po);
	m->subject = clean_line(g_mime_message_get_subject(msg));
	dt = g_mime_message_get_date(msg);
	if (dt != NULL)
		m->date = (int64_t)g_date_time_to_unix(dt);

	body = g_mime_message_get_mime_part(msg);
	if (body != NULL) {
		ct = g_mime_object_get_content_type(body);
		if (ct != NULL) {
			char *mt = g_mime_content_type_get_mime_type(ct);

			m->content_type = clean_lower(mt);
			g_free(mt);
		}
		walk_parts(body, 0, 0, &w);
	}
	m->report_type = w.report_type;
	w.report_type = NULL;
	if (w.plain != NULL)
		full = part_text(w.plain);
	if ((full == NULL || *full == '\0') && w.html != NULL) {
		char *h = part_text(w.html);

		free(full);
		full = h != NULL ? html_plain(h) : NULL;
		free(h);
	}
	read_reports(m, msg, &w, po, full);
	if (full != NULL) {
		trim_inplace(full);
		if (*full == '\0') {
			free(full);
			full = NULL;
		} else if (strlen(full) > INBOUND_TEXT_MAX)
			clean_inplace(full, 1, INBOUND_TEXT_MAX);
	}
	m->text = full;
	*out = m;
	rc = 0;
out:
	free(w.report_type);
	if (msg != NULL)
		g_object_unref(msg);
	g_object_unref(p);
	g_object_unref(st);
	g_mime_parser_options_free(po);
	return rc;
}

void
mime_msg_free(struct inbound_msg *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->message_id);
	for (i = 0; i < m->nrefs; i++)
		free(m->refs[i]);
	free(m->refs);
	free(m->from_addr);
	free(m->from_name);
	free(m->reply_to);
	free(m->sender);
	free(m->return_path);
	for (i = 0; i < m->nrcpts; i++)
		free(m->rcpts[i]);
	free(m->rcpts);
	free(m->subject);
	free(m->text);
	free(m->auto_submitted);
	free(m->precedence);
	free(m->content_type);
	free(m->report_type);
	for (i = 0; i < m->nbounced; i++)
		rcpt_clear(&m->bounced[i]);
	free(m->bounced);
	free(m->orig_message_id);
	free(m->feedback_type);
	free(m);
}
