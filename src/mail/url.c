/*
 * Mail server URLs (see url.h): what smtp.c and imap.c both check.
 */
#include <string.h>
#include <strings.h>

#include "mail/url.h"

int
mail_url_is_local(const char *host)
{
	return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0 || strcasecmp(host, "localhost") == 0;
}

int
mail_url_parse(const char *proto, const char *url, const char *creds,
    struct mail_url *out, struct err *e)
{
	CURLUcode	 uc;
	char		*scheme = NULL, *user = NULL, *pass = NULL;
	size_t		 n = strlen(proto);
	int		 rc = 0;

	memset(out, 0, sizeof *out);
	out->u = curl_url();
	if (out->u == NULL)
		return err_set(e, TEND_EIO, "%s: out of memory", proto);
	/* A URL with credentials in it is not repeated in messages. */
	uc = curl_url_set(out->u, CURLUPART_URL, url, 0);
	if (uc != CURLUE_OK) {
		rc = err_set(e, TEND_EINVAL, "%s.url '%s' is not a URL: %s",
		    proto, strchr(url, '@') != NULL ? "..." : url,
		    curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(out->u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(out->u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
		rc = err_set(e, TEND_EINVAL, "%s.url must not hold %s: set "
		    "%s.user and %s.password_file", proto, creds, proto,
		    proto);
		goto out;
	}
	if (curl_url_get(out->u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    strncmp(scheme, proto, n) != 0 || (scheme[n] != '\0' &&
	    strcmp(scheme + n, "s") != 0)) {
		rc = err_set(e, TEND_EINVAL, "%s.url '%s' must start with "
		    "%s:// or %ss://", proto, url, proto, proto);
		goto out;
	}
	if (curl_url_get(out->u, CURLUPART_HOST, &out->host, 0) !=
	    CURLUE_OK || out->host[0] == '\0') {
		rc = err_set(e, TEND_EINVAL, "%s.url '%s' has no host", proto,
		    url);
		goto out;
	}
	uc = curl_url_get(out->u, CURLUPART_PORT, &out->port,
	    CURLU_DEFAULT_PORT);
	if (uc != CURLUE_OK)
		rc = err_set(e, TEND_EINVAL, "%s.url '%s': %s", proto, url,
		    curl_url_strerror(uc));
out:
	curl_free(pass);
	curl_free(user);
	curl_free(scheme);
	return rc;
}

void
mail_url_free(struct mail_url *m)
{
	curl_free(m->port);
	curl_free(m->host);
	curl_url_cleanup(m->u);
	memset(m, 0, sizeof *m);
}
