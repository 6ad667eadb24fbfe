/*
 * SMTP with libcurl's easy interface.  A sender owns one easy handle and
 * so one connection, which curl keeps open between transactions; a
 * failure throws the handle away, which closes the connection.
 *
 * curl says only "RCPT failed: 550" when a server refuses, so the
 * server's own replies are read from curl's debug callback: each reply
 * line arrives there (CURLINFO_HEADER_IN), as does each command curl
 * sends (CURLINFO_HEADER_OUT), which tells which command a reply answers.
 * Only the verb of a command is looked at: the arguments of AUTH and the
 * lines after it carry the credentials.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/socket.h>

#include <curl/curl.h>

#include "mail/smtp.h"
#include "mail/url.h"
#include "util/xmalloc.h"

#define SMTP_TIMEOUT_MS		60000L
#define SMTP_CONNECT_MS		10000L
#define SMTP_LINE_MAX		998	/* octets in a line, without CRLF */
#define SMTP_ADDR_MAX		320	/* 64 + '@' + 255 */
#define SMTP_HELO_MAX		255

/* The command a reply answers. */
enum smtp_stage {
	STAGE_GREETING,
	STAGE_EHLO,
	STAGE_STARTTLS,
	STAGE_AUTH,
	STAGE_MAIL,
	STAGE_RCPT,
	STAGE_DATA,
	STAGE_END,		/* the end of the data */
	STAGE_QUIT,
	STAGE_OTHER
};

struct smtp {
	CURL		*curl;		/* NULL: no connection */
	char		*url;		/* as given to curl, with the HELO */
	char		*where;		/* host:port, for messages */
	char		*user;
	char		*password;
	enum smtp_tls	 tls;
	long		 timeout_ms;
	long		 connects;
	char		 errbuf[CURL_ERROR_SIZE];

	/* The transaction under way, read and written by the callbacks. */
	const char	*data;
	size_t		 len;
	size_t		 off;
	enum smtp_stage	 stage;		/* what the next reply answers */
	int		 in_reply;	/* inside a multi-line reply */
	char		 text[256];	/* the reply being read */
	size_t		 textlen;
	int		 code;		/* the last whole reply */
	enum smtp_stage	 code_stage;	/* and what it answered */
	char		 reply[256];
};

static pthread_once_t	 smtp_once = PTHREAD_ONCE_INIT;
static CURLcode		 smtp_init_rc = CURLE_FAILED_INIT;

static void
smtp_init_once(void)
{
	smtp_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
smtp_global_init(struct err *e)
{
	int	rc;

	rc = pthread_once(&smtp_once, smtp_init_once);
	if (rc != 0)
		return err_set(e, TEND_EIO, "smtp: cannot start: %s",
		    strerror(rc));
	if (smtp_init_rc != CURLE_OK)
		return err_set(e, TEND_EIO, "smtp: cannot start libcurl: %s",
		    curl_easy_strerror(smtp_init_rc));
	return 0;
}

void
smtp_global_cleanup(void)
{
	if (smtp_init_rc == CURLE_OK)
		curl_global_cleanup();
	smtp_init_rc = CURLE_FAILED_INIT;
}

/* ---- checking what we are given ---- */

/* A host name or an address literal in brackets, as EHLO takes. */
static int
helo_valid(const char *s)
{
	size_t	 n, i;

	n = strlen(s);
	if (n == 0 || n > SMTP_HELO_MAX)
		return 0;
	if (s[0] == '[')
		return n > 2 && s[n - 1] == ']' &&
		    strspn(s + 1, "0123456789abcdefABCDEF.:IPvV") == n - 2;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '.'))
			return 0;
	}
	return 1;
}

/*
 * An address curl may put between angle brackets: no space, control
 * character or bracket could end the command early or start another.
 */
static int
addr_valid(const char *s, int empty_ok)
{
	size_t	 i, n;

	n = strlen(s);
	if (n == 0)
		return empty_ok;
	if (n > SMTP_ADDR_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f || c == '<' || c == '>')
			return 0;
	}
	return 1;
}

/*
 * Data that every server reads the same way: CRLF line ends only and no
 * NUL (a bare LF is how "SMTP smuggling" hides a second message), lines
 * within RFC 5322's 998 octets.  Returns the offset of the first bad
 * byte, or len.
 */
static size_t
data_check(const char *d, size_t len, const char **why)
{
	size_t	 i, line = 0;

	for (i = 0; i < len; i++) {
		if (d[i] == '\0') {
			*why = "a NUL byte";
			return i;
		}
		if (d[i] == '\r') {
			if (i + 1 >= len || d[i + 1] != '\n') {
				*why = "a bare CR";
				return i;
			}
			i++;
			line = 0;
			continue;
		}
		if (d[i] == '\n') {
			*why = "a bare LF";
			return i;
		}
		if (++line > SMTP_LINE_MAX) {
			*why = "a line over 998 octets";
			return i;
		}
	}
	return len;
}

/*
 * Check conf->url and build the URL curl gets (with the EHLO name as its
 * path) and the host:port for messages.
 */
static int
url_parse(struct smtp *s, const struct smtp_conf *c, struct err *e)
{
	struct mail_url	 mu;
	CURLUcode	 uc;
	char		*full = NULL, *path;
	int		 rc;

	if ((rc = mail_url_parse("smtp", c->url, "a password", &mu, e)) != 0)
		goto out;
	if (c->tls == SMTP_TLS_NONE && !mail_url_is_local(mu.host)) {
		rc = err_set(e, TEND_EINVAL, "smtp.tls none is only for a "
		    "relay on this machine (127.0.0.1, ::1 or localhost), not "
		    "'%s'", mu.host);
		goto out;
	}
	if (c->helo != NULL) {
		if (!helo_valid(c->helo)) {
			rc = err_set(e, TEND_EINVAL, "smtp helo name '%s' is "
			    "not a host name", c->helo);
			goto out;
		}
		/* curl takes the EHLO name from the URL's path. */
		path = xasprintf("/%s", c->helo);
		uc = curl_url_set(mu.u, CURLUPART_PATH, path, 0);
		free(path);
		if (uc != CURLUE_OK) {
			rc = err_set(e, TEND_EIO, "smtp: %s",
			    curl_url_strerror(uc));
			goto out;
		}
	}
	uc = curl_url_get(mu.u, CURLUPART_URL, &full, 0);
	if (uc != CURLUE_OK) {
		rc = err_set(e, TEND_EIO, "smtp: %s", curl_url_strerror(uc));
		goto out;
	}
	s->url = xstrdup(full);
	s->where = xasprintf("%s:%s", mu.host, mu.port);
out:
	curl_free(full);
	mail_url_free(&mu);
	return rc;
}

int
smtp_new(const struct smtp_conf *c, struct smtp **out, struct err *e)
{
	struct smtp	*s;
	int		 rc;

	*out = NULL;
	if ((rc = smtp_global_init(e)) != 0)
		return rc;
	if (c->url == NULL || c->url[0] == '\0')
		return err_set(e, TEND_EINVAL, "smtp.url is not set");
	if (c->timeout_ms < 0)
		return err_set(e, TEND_EINVAL, "smtp timeout %ld ms is "
		    "negative", c->timeout_ms);
	if (c->tls != SMTP_TLS_REQUIRED && c->tls != SMTP_TLS_NONE)
		return err_set(e, TEND_EINVAL, "smtp.tls: unknown mode");
	s = xcalloc(1, sizeof *s);
	if ((rc = url_parse(s, c, e)) != 0) {
		smtp_free(s);
		return rc;
	}
	s->tls = c->tls;
	s->timeout_ms = c->timeout_ms == 0 ? SMTP_TIMEOUT_MS : c->timeout_ms;
	if (c->user != NULL) {
		s->user = xstrdup(c->user);
		s->password = xstrdup(c->password != NULL ? c->password : "");
	}
	*out = s;
	return 0;
}

static void
smtp_close(struct smtp *s)
{
	/* Says QUIT first if curl still holds a healthy connection. */
	curl_easy_cleanup(s->curl);
	s->curl = NULL;
}

/*
 * Close the connection after a failure.  curl may keep a connection it
 * thinks healthy (after a timeout waiting for the end of the data it
 * does, and would read the late answer as the reply to the next MAIL),
 * and would say QUIT to it and wait for the reply; shutting the socket
 * first means nothing more is said on a session in an unknown state.
 */
static void
smtp_drop(struct smtp *s)
{
	curl_socket_t	 fd;

	if (curl_easy_getinfo(s->curl, CURLINFO_ACTIVESOCKET, &fd) ==
	    CURLE_OK && fd != CURL_SOCKET_BAD) {
		/* Fails only if already closed, which is what we want. */
		(void)shutdown(fd, SHUT_RDWR);
	}
	smtp_close(s);
}

void
smtp_free(struct smtp *s)
{
	if (s == NULL)
		return;
	smtp_close(s);
	if (s->password != NULL) {
		/* Not left lying in freed memory. */
		memset(s->password, 0, strlen(s->password));
		free(s->password);
	}
	free(s->user);
	free(s->where);
	free(s->url);
	free(s);
}

long
smtp_connects(const struct smtp *s)
{
	return s->connects;
}

/* ---- curl's callbacks ---- */

static size_t
smtp_read(char *buf, size_t size, size_t n, void *arg)
{
	struct smtp	*s = arg;
	size_t		 want = size * n, left = s->len - s->off;

	if (want > left)
		want = left;
	memcpy(buf, s->data + s->off, want);
	s->off += want;
	return want;
}

/* The command curl sent, from its verb only. */
static void
saw_command(struct smtp *s, const char *p, size_t n)
{
	static const struct {
		const char	*verb;
		enum smtp_stage	 stage;
	} verbs[] = {
		{ "EHLO", STAGE_EHLO }, { "HELO", STAGE_EHLO },
		{ "STARTTLS", STAGE_STARTTLS }, { "AUTH", STAGE_AUTH },
		{ "MAIL", STAGE_MAIL }, { "RCPT", STAGE_RCPT },
		{ "DATA", STAGE_DATA }, { "QUIT", STAGE_QUIT }
	};
	size_t	 i, vl;

	/* An answer to a 334 challenge holds credentials, whatever it
	 * looks like: still AUTH. */
	if (s->stage == STAGE_AUTH && s->code == 334)
		return;
	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		vl = strlen(verbs[i].verb);
		if (n >= vl && strncasecmp(p, verbs[i].verb, vl) == 0 &&
		    (n == vl || p[vl] == ' ' || p[vl] == '\r')) {
			s->stage = verbs[i].stage;
			return;
		}
	}
	s->stage = STAGE_OTHER;
}

/* Append text to the reply being read, printable ASCII only. */
static void
text_add(struct smtp *s, const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && s->textlen + 1 < sizeof s->text; i++) {
		unsigned char	c = (unsigned char)p[i];

		s->text[s->textlen++] = c >= ' ' && c < 0x7f ? (char)c : '?';
	}
	s->text[s->textlen] = '\0';
}

/* One line of a server reply: "250-..." goes on, "250 ..." ends. */
static void
saw_reply_line(struct smtp *s, const char *p, size_t n)
{
	int	 code, last;

	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	if (n < 3 || p[0] < '1' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
	    p[2] < '0' || p[2] > '9')
		return;
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	last = n == 3 || p[3] != '-';
	if (!s->in_reply) {
		s->textlen = 0;
		text_add(s, p, n);
	} else if (n > 4) {
		text_add(s, " ", 1);
		text_add(s, p + 4, n - 4);
	}
	s->in_reply = !last;
	/* curl says QUIT itself after a refusal: the refusal decided. */
	if (!last || s->stage == STAGE_QUIT)
		return;
	s->code = code;
	s->code_stage = s->stage;
	memcpy(s->reply, s->text, s->textlen + 1);
	/* After 354 the next reply answers the data itself. */
	if (s->stage == STAGE_DATA && code == 354)
		s->stage = STAGE_END;
}

static int
smtp_debug(CURL *h, curl_infotype type, char *p, size_t n, void *arg)
{
	struct smtp	*s = arg;
	size_t		 k;

	(void)h;
	if (type == CURLINFO_HEADER_OUT) {
		/* The end of the data is not a command. */
		if (n > 0 && p[0] != '.' && p[0] != '\r')
			saw_command(s, p, n);
		return 0;
	}
	if (type != CURLINFO_HEADER_IN)
		return 0;
	/* Usually one line per call, but take any number. */
	while (n > 0) {
		k = 0;
		while (k < n && p[k] != '\n')
			k++;
		if (k < n)
			k++;
		saw_reply_line(s, p, k);
		p += k;
		n -= k;
	}
	return 0;
}

/* ---- sending ---- */

/* Set one option; the first failure is kept in *rc. */
#define SETOPT(s, opt, val, rc) do {					\
	CURLcode	 cc_ = curl_easy_setopt((s)->curl, opt, val);	\
	if (cc_ != CURLE_OK && *(rc) == 0)				\
		*(rc) = err_set(e, TEND_EIO, "smtp: setting " #opt	\
		    ": %s", curl_easy_strerror(cc_));			\
} while (0)

/* A handle set up for this sender: everything but the envelope. */
static int
smtp_open(struct smtp *s, struct err *e)
{
	long	 connect_ms;
	int	 rc = 0;
	int	*rcp = &rc;

	s->curl = curl_easy_init();
	if (s->curl == NULL)
		return err_set(e, TEND_EIO, "smtp: cannot start a curl handle");
	connect_ms = s->timeout_ms < SMTP_CONNECT_MS ? s->timeout_ms :
	    SMTP_CONNECT_MS;
	SETOPT(s, CURLOPT_URL, s->url, rcp);
	SETOPT(s, CURLOPT_PROTOCOLS_STR, "smtp,smtps", rcp);
	/* No proxy from the environment: mail goes where smtp.url says. */
	SETOPT(s, CURLOPT_PROXY, "", rcp);
	SETOPT(s, CURLOPT_NOSIGNAL, 1L, rcp);
	SETOPT(s, CURLOPT_UPLOAD, 1L, rcp);
	SETOPT(s, CURLOPT_READFUNCTION, smtp_read, rcp);
	SETOPT(s, CURLOPT_READDATA, s, rcp);
	SETOPT(s, CURLOPT_USE_SSL, (long)(s->tls == SMTP_TLS_REQUIRED ?
	    CURLUSESSL_ALL : CURLUSESSL_NONE), rcp);
	SETOPT(s, CURLOPT_TIMEOUT_MS, s->timeout_ms, rcp);
	SETOPT(s, CURLOPT_CONNECTTIMEOUT_MS, connect_ms, rcp);
	/* Bounds the QUIT said when the handle goes, too. */
	SETOPT(s, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    (s->timeout_ms + 999) / 1000, rcp);
	/* curl allocates the upload buffer for every transfer: at its
	 * default 64 KB that is fresh heap (brk and page faults) per
	 * message, which tripled the system time per message; 16 KB, the
	 * least it takes, is reused from the heap. */
	SETOPT(s, CURLOPT_UPLOAD_BUFFERSIZE, 16384L, rcp);
	SETOPT(s, CURLOPT_TCP_KEEPALIVE, 1L, rcp);
	SETOPT(s, CURLOPT_MAXCONNECTS, 1L, rcp);
	SETOPT(s, CURLOPT_ERRORBUFFER, s->errbuf, rcp);
	SETOPT(s, CURLOPT_VERBOSE, 1L, rcp);
	SETOPT(s, CURLOPT_DEBUGFUNCTION, smtp_debug, rcp);
	SETOPT(s, CURLOPT_DEBUGDATA, s, rcp);
	if (s->user != NULL) {
		SETOPT(s, CURLOPT_USERNAME, s->user, rcp);
		SETOPT(s, CURLOPT_PASSWORD, s->password, rcp);
	}
	if (rc != 0)
		smtp_close(s);
	return rc;
}

/* What the stage of a refusal was, for people. */
static const char *
stage_name(enum smtp_stage st)
{
	switch (st) {
	case STAGE_GREETING:
		return "the connection";
	case STAGE_EHLO:
		return "EHLO";
	case STAGE_STARTTLS:
		return "STARTTLS";
	case STAGE_AUTH:
		return "the login";
	case STAGE_MAIL:
		return "the sender";
	case STAGE_RCPT:
		return "the recipient";
	case STAGE_DATA:
		return "DATA";
	case STAGE_END:
		return "the message";
	case STAGE_QUIT:
		return "QUIT";
	case STAGE_OTHER:
		break;
	}
	return "a command";
}

/* Where the connection was when it failed, for people. */
static const char *
stage_wait(enum smtp_stage st)
{
	switch (st) {
	case STAGE_GREETING:
		return "the greeting";
	case STAGE_END:
		return "the message";
	default:
		return stage_name(st);
	}
}

/* Hide every occurrence of the password in buf. */
static void
redact(const struct smtp *s, char *buf)
{
	size_t	 pl;
	char	*p;

	if (s->password == NULL)
		return;
	pl = strlen(s->password);
	/* One or two characters would hide ordinary words. */
	if (pl < 3)
		return;
	p = strstr(buf, s->password);
	while (p != NULL) {
		memset(p, '*', pl);
		p = strstr(p + pl, s->password);
	}
}

/* Fill res and err for a failed transaction; returns the status. */
static int
smtp_failed(struct smtp *s, CURLcode cc, const char *rcpt,
    struct smtp_result *res, struct err *e)
{
	const char	*why;
	int		 code = 0, rc;

	why = s->errbuf[0] != '\0' ? s->errbuf : curl_easy_strerror(cc);
	/* A reply decides only if it is a refusal; after a 250 or 354 the
	 * failure was the connection's. */
	if (s->code >= 400 && s->code <= 599)
		code = s->code;
	res->code = code;
	res->rcpt_failed = code != 0 && s->code_stage == STAGE_RCPT;
	if (code != 0) {
		snprintf(res->reply, sizeof res->reply, "%s", s->reply);
		rc = code >= 500 ? TEND_EMAIL_PERM : TEND_EMAIL_TEMP;
		if (s->code_stage == STAGE_RCPT)
			err_set(e, rc, "smtp '%s' refused the recipient '%s': "
			    "%s", s->where, rcpt, res->reply);
		else
			err_set(e, rc, "smtp '%s' refused %s: %s", s->where,
			    stage_name(s->code_stage), res->reply);
		goto out;
	}
	snprintf(res->reply, sizeof res->reply, "%s", why);
	rc = TEND_EMAIL_TEMP;
	switch (cc) {
	case CURLE_USE_SSL_FAILED:
		err_set(e, rc, "smtp '%s' does not offer STARTTLS and "
		    "smtp.tls is 'required': nothing was sent", s->where);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		if (s->stage == STAGE_END)
			err_set(e, rc, "smtp '%s' did not answer the end of "
			    "the message within %ld ms (it may have arrived)",
			    s->where, s->timeout_ms);
		else
			err_set(e, rc, "smtp '%s' did not answer %s within "
			    "%ld ms", s->where, stage_wait(s->stage),
			    s->timeout_ms);
		break;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		err_set(e, rc, "smtp '%s': cannot connect: %s", s->where,
		    why);
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		err_set(e, rc, "smtp '%s': TLS failed, nothing was sent: %s",
		    s->where, why);
		break;
	case CURLE_OUT_OF_MEMORY:
		rc = TEND_EIO;
		err_set(e, rc, "smtp '%s': out of memory", s->where);
		break;
	case CURLE_LOGIN_DENIED:
		err_set(e, rc, "smtp '%s' did not accept the login: %s",
		    s->where, s->reply[0] != '\0' ? s->reply : why);
		break;
	default:
		err_set(e, rc, "smtp '%s' dropped the connection during %s: "
		    "%s", s->where, stage_wait(s->stage), why);
		break;
	}
out:
	redact(s, res->reply);
	if (e != NULL)
		redact(s, e->msg);
	return rc;
}

int
smtp_send(struct smtp *s, const char *from, const char *rcpt,
    const char *data, size_t len, struct smtp_result *res, struct err *e)
{
	struct smtp_result	 scratch;
	struct curl_slist	 to;
	const char		*why = NULL;
	size_t			 bad;
	CURLcode		 cc;
	long			 n;
	int			 rc = 0;
	int			*rcp = &rc;

	if (res == NULL)
		res = &scratch;
	memset(res, 0, sizeof *res);
	if (from == NULL || !addr_valid(from, 1))
		return err_set(e, TEND_EINVAL, "smtp: bad sender address "
		    "'%s'", from != NULL ? from : "");
	if (rcpt == NULL || !addr_valid(rcpt, 0))
		return err_set(e, TEND_EINVAL, "smtp: bad recipient address "
		    "'%s'", rcpt != NULL ? rcpt : "");
	if (len == 0)
		return err_set(e, TEND_EINVAL, "smtp: the message is empty");
	bad = data_check(data, len, &why);
	if (bad < len)
		return err_set(e, TEND_EINVAL, "smtp: the message has %s at "
		    "byte %zu", why, bad);
	if (s->curl == NULL) {
		if ((rc = smtp_open(s, e)) != 0)
			return rc;
	}

	s->data = data;
	s->len = len;
	s->off = 0;
	s->stage = STAGE_GREETING;
	s->in_reply = 0;
	s->textlen = 0;
	s->code = 0;
	s->code_stage = STAGE_GREETING;
	s->reply[0] = '\0';
	s->errbuf[0] = '\0';
	/* curl only reads the list: one on the stack costs no malloc. */
	to.data = (char *)rcpt;
	to.next = NULL;
	SETOPT(s, CURLOPT_MAIL_FROM, from, rcp);
	SETOPT(s, CURLOPT_MAIL_RCPT, &to, rcp);
	SETOPT(s, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len, rcp);
	if (rc != 0) {
		smtp_close(s);
		return rc;
	}
	cc = curl_easy_perform(s->curl);
	if (curl_easy_getinfo(s->curl, CURLINFO_NUM_CONNECTS, &n) ==
	    CURLE_OK)
		s->connects += n;
	s->data = NULL;
	if (cc != CURLE_OK) {
		rc = smtp_failed(s, cc, rcpt, res, e);
		smtp_drop(s);
		return rc;
	}
	res->code = s->code;
	snprintf(res->reply, sizeof res->reply, "%s", s->reply);
	/* The handle must not keep a pointer to the list on our stack; if
	 * it cannot be told, it goes (the message was sent all the same). */
	if (curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT,
	    (struct curl_slist *)NULL) != CURLE_OK)
		smtp_close(s);
	return 0;
}
