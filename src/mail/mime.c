/*
 * The part of mail that needs GMime: MIME bodies (the best 7-bit
 * encoding of each text part, multipart/alternative) and IDN domains.
 * Built into the mail plugin, tend-mail.so, with src/mail/smtp.c: tend
 * loads it only for the commands that build or send mail (see
 * src/mail/plugin.h), so the libraries GMime and libcurl pull in do not
 * slow every other command.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "mail/mime.h"
#include "util/xmalloc.h"

static pthread_mutex_t		 mime_lock = PTHREAD_MUTEX_INITIALIZER;
static int			 mime_ready;
static GMimeFormatOptions	*mime_fmt;	/* read-only once set */

void
mime_init(void)
{
	pthread_mutex_lock(&mime_lock);
	if (!mime_ready) {
		g_mime_init();
		mime_fmt = g_mime_format_options_new();
		g_mime_format_options_set_newline_format(mime_fmt,
		    GMIME_NEWLINE_FORMAT_DOS);
		mime_ready = 1;
	}
	pthread_mutex_unlock(&mime_lock);
}

void
mime_shutdown(void)
{
	pthread_mutex_lock(&mime_lock);
	if (mime_ready) {
		g_mime_format_options_free(mime_fmt);
		mime_fmt = NULL;
		g_mime_shutdown();
		mime_ready = 0;
	}
	pthread_mutex_unlock(&mime_lock);
}

char *
mime_idn_addr(const char *addr)
{
	InternetAddressMailbox	*mb;
	char			*out;

	mime_init();
	mb = INTERNET_ADDRESS_MAILBOX(internet_address_mailbox_new(NULL,
	    addr));
	out = xstrdup(internet_address_mailbox_get_idn_addr(mb));
	g_object_unref(mb);
	return out;
}

/*
 * The body with every line break as LF (or CRLF when crlf), ending with
 * one, in a new GByteArray.  *blank_eol tells whether a line ends with a
 * blank, which quoted-printable keeps safe from relays that strip it.
 */
static GByteArray *
mime_lines(const char *s, int crlf, int *blank_eol)
{
	GByteArray	*a;
	size_t		 n, i, start;
	char		 prev = '\0';

	n = strlen(s);
	a = g_byte_array_sized_new((guint)(n + n / 16 + 2));
	*blank_eol = 0;
	start = 0;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '\r' && s[i] != '\n') {
			prev = s[i];
			continue;
		}
		if (i == n && i == start && n > 0)
			break;		/* ended with a line break */
		g_byte_array_append(a, (const guint8 *)s + start,
		    (guint)(i - start));
		if (i > start && (prev == ' ' || prev == '\t'))
			*blank_eol = 1;
		if (crlf)
			g_byte_array_append(a, (const guint8 *)"\r\n", 2);
		else
			g_byte_array_append(a, (const guint8 *)"\n", 1);
		if (i < n && s[i] == '\r' && s[i + 1] == '\n')
			i++;
		start = i + 1;
		prev = '\0';
	}
	return a;
}

static void
mime_set_content(GMimePart *part, GByteArray *a)
{
	GMimeStream		*st;
	GMimeDataWrapper	*w;

	st = g_mime_stream_mem_new_with_byte_array(a);	/* takes a */
	w = g_mime_data_wrapper_new_with_stream(st,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, w);
	g_object_unref(w);
	g_object_unref(st);
}

/* A text/<subtype>; charset=utf-8 part with the best 7-bit encoding. */
static GMimeObject *
mime_text_part(const char *subtype, const char *body)
{
	GMimeTextPart		*tp;
	GMimePart		*part;
	GMimeContentEncoding	 enc;
	int			 blank_eol;

	tp = g_mime_text_part_new_with_subtype(subtype);
	part = GMIME_PART(tp);
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(tp), "charset",
	    "utf-8");
	/* LF: GMime's encoders see LF as the line break; the DOS newline
	 * format turns the encoded lines into CRLF on output */
	mime_set_content(part, mime_lines(body, 0, &blank_eol));
	enc = g_mime_part_get_best_content_encoding(part,
	    GMIME_ENCODING_CONSTRAINT_7BIT);
	if (enc == GMIME_CONTENT_ENCODING_DEFAULT ||
	    enc == GMIME_CONTENT_ENCODING_7BIT)
		enc = blank_eol ? GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE :
		    GMIME_CONTENT_ENCODING_7BIT;
	/* base64 carries the canonical form of text: CRLF (RFC 2045 6.8) */
	if (enc == GMIME_CONTENT_ENCODING_BASE64)
		mime_set_content(part, mime_lines(body, 1, &blank_eol));
	g_mime_part_set_content_encoding(part, enc);
	return GMIME_OBJECT(tp);
}

int
mime_body(const char *text, const char *html, const char *boundary,
    char **out, size_t *len, struct err *e)
{
	GMimeObject	*body, *part;
	GMimeMultipart	*alt;
	GMimeStream	*st;
	GByteArray	*wire;
	int		 rc = 0;

	mime_init();
	body = mime_text_part("plain", text);
	if (html != NULL) {
		alt = g_mime_multipart_new_with_subtype("alternative");
		g_mime_multipart_set_boundary(alt, boundary);
		g_mime_multipart_add(alt, body);
		g_object_unref(body);
		part = mime_text_part("html", html);
		g_mime_multipart_add(alt, part);
		g_object_unref(part);
		body = GMIME_OBJECT(alt);
	}
	/* the body's own headers (Content-Type...), a blank line, content */
	st = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(body, mime_fmt, st) < 0)
		rc = err_set(e, TEND_EIO, "cannot write the message body");
	else {
		wire = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(st));
		*len = wire->len;
		*out = xmalloc(wire->len + 1);
		memcpy(*out, wire->data, wire->len);
		(*out)[wire->len] = '\0';
	}
	g_object_unref(st);
	g_object_unref(body);
	return rc;
}
