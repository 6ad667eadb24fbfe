/*
 * The checks every mail server's URL gets (smtp.url, imap.url), in one
 * place: a URL curl reads, without a user or password in it, of the
 * protocol's two schemes, with a host and a port.  Part of the mail
 * plugin; the CURLU handle stays inside src/mail.
 */
#ifndef TEND_MAIL_URL_H
#define TEND_MAIL_URL_H

#include <curl/curl.h>

#include "util/err.h"

struct mail_url {
	CURLU	*u;		/* the parsed URL, for the caller to finish */
	char	*host;		/* curl's strings: mail_url_free frees them */
	char	*port;		/* the scheme's default when not given */
};

/*
 * Parse url, the setting PROTO.url ("smtp" or "imap"): it must start
 * with PROTO:// or PROTOs://, hold no user or password (creds names what
 * the message says it must not hold: "a password"), and name a host.
 * Messages never repeat a URL that holds an '@' they refused.  0 with
 * *out filled (free it with mail_url_free, also after a failure), or
 * TEND_EINVAL / TEND_EIO.
 */
int	mail_url_parse(const char *proto, const char *url, const char *creds,
	    struct mail_url *out, struct err *);
void	mail_url_free(struct mail_url *);

/* 1 if host is this machine: 127.0.0.1, ::1 or localhost. */
int	mail_url_is_local(const char *host);

#endif
