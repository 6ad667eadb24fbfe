/*
 * Polling an IMAP mailbox (see fetch.h).
 *
 * The order of things makes a kill -9 safe at any point: a message is
 * read, recorded and the last UID moved on in one transaction; a crash
 * before the commit reads it again next time, and a crash after it has
 * moved on.  The Message-ID check in inbound_read covers the rest (a
 * mailbox whose UIDVALIDITY changed is read again from the start).
 */
#include <stdlib.h>
#include <string.h>

#include "app/fetch.h"
#include "app/inbound.h"
#include "app/mail.h"
#include "mail/compose.h"
#include "mail/plugin.h"
#include "store/store.h"
#include "util/arena.h"

int
fetch_run(struct store *s, const struct mail_settings *ms,
    const struct inbound_settings *is, const char *qdir, int64_t now,
    struct fetch_stats *st, struct err *e)
{
	const struct mail_plugin	*p;
	struct imap			*im = NULL;
	struct inbound_msg		*m;
	struct inbound_result		 r;
	struct arena			*a = NULL;
	struct err			 perr;
	uint32_t			 validity, next, *uids = NULL;
	int64_t				 old_validity, last;
	size_t				 n = 0, i, len;
	char				*data, *path;
	int				 rc;

	memset(st, 0, sizeof *st);
	if (is->imap.url == NULL)
		return err_set(e, TEND_EUSAGE, "no mailbox to read: set it with "
		    "'tend config imap.url imaps://host/INBOX' and imap.user");
	compose_init();
	if ((p = mail_plugin_get(e)) == NULL)
		return TEND_EIO;
	if ((rc = p->imap_open(&is->imap, &im, e)) != 0)
		return rc;
	p->imap_status(im, &validity, &next);
	if ((rc = store_begin_read(s, e)) != 0)
		goto out;
	rc = store_imap_state_get(s, is->imap.url, &old_validity, &last, e);
	store_rollback(s);
	if (rc != 0)
		goto out;
	/* a new UIDVALIDITY: the old UIDs mean nothing, read it all */
	if (old_validity != (int64_t)validity)
		last = 0;
	if ((rc = p->imap_uids_after(im, (uint32_t)last, &uids, &n, e)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		a = arena_new();
		rc = p->imap_fetch(im, uids[i], INBOUND_MAX_BYTES, &data, &len,
		    e);
		if (rc == TEND_ENOTFOUND) {
			/* expunged meanwhile: nothing to read */
			data = NULL;
			len = 0;
		} else if (rc == TEND_EINVAL) {
			/* too big to read: keep a note of it, go on */
			data = NULL;
			len = 0;
			st->quarantined++;
		} else if (rc != 0)
			goto out;
		if ((rc = store_begin(s, e)) != 0) {
			free(data);
			goto out;
		}
		m = NULL;
		memset(&perr, 0, sizeof perr);
		if (data != NULL && p->mime_parse(data, len, &m, &perr) != 0) {
			rc = inbound_quarantine(qdir, data, len, now, a, &path,
			    e);
			if (rc == 0)
				st->quarantined++;
		} else if (data != NULL) {
			rc = inbound_read(s, ms, is, data, len, m, "imap", 0,
			    now, a, &r, e);
			if (rc == 0 && r.duplicate)
				st->duplicates++;
			else if (rc == 0) {
				st->read++;
				st->classes[r.cls]++;
			}
		} else
			rc = 0;
		if (m != NULL)
			p->mime_msg_free(m);
		free(data);
		if (rc == 0)
			rc = store_imap_state_set(s, is->imap.url, validity,
			    uids[i], e);
		if (rc == 0)
			rc = store_commit(s, e);
		if (rc != 0) {
			store_rollback(s);
			goto out;
		}
		arena_free(a);
		a = NULL;
	}
	/* nothing new, but a new UIDVALIDITY is worth keeping */
	if (n == 0 && old_validity != (int64_t)validity) {
		if ((rc = store_begin(s, e)) != 0)
			goto out;
		if ((rc = store_imap_state_set(s, is->imap.url, validity, 0,
		    e)) != 0 || (rc = store_commit(s, e)) != 0) {
			store_rollback(s);
			goto out;
		}
	}
	rc = 0;
out:
	arena_free(a);
	free(uids);
	p->imap_close(im);
	return rc;
}

int
fetch_spool(struct store *s, const struct mail_settings *ms,
    const struct inbound_settings *is, const char *qdir, size_t max,
    struct fetch_stats *st, struct err *e)
{
	const struct mail_plugin	*p;
	struct inbound_msg		*m;
	struct inbound_result		 r;
	struct arena			*a;
	struct err			 perr;
	int64_t				 id, received;
	char				*source, *data, *path;
	size_t				 len, n;
	int				 rc;

	memset(st, 0, sizeof *st);
	/* most of the time it is empty: ask without the write lock */
	if ((rc = store_spool_pending(s, e)) <= 0)
		return rc;
	compose_init();
	if ((p = mail_plugin_get(e)) == NULL)
		return TEND_EIO;
	a = arena_new();
	for (n = 0; max == 0 || n < max; n++) {
		arena_reset(a);
		if ((rc = store_begin(s, e)) != 0)
			break;
		rc = store_spool_next(s, a, &id, &received, &source, &data,
		    &len, e);
		if (rc <= 0) {
			store_rollback(s);
			break;
		}
		m = NULL;
		memset(&perr, 0, sizeof perr);
		if (p->mime_parse(data, len, &m, &perr) != 0) {
			rc = inbound_quarantine(qdir, data, len, received, a,
			    &path, e);
			if (rc == 0)
				st->quarantined++;
		} else {
			/* as of its arrival: the inquiry's clock runs from it */
			rc = inbound_read(s, ms, is, data, len, m, source, 0,
			    received, a, &r, e);
			if (rc == 0 && r.duplicate)
				st->duplicates++;
			else if (rc == 0) {
				st->read++;
				st->classes[r.cls]++;
			}
		}
		if (m != NULL)
			p->mime_msg_free(m);
		if (rc == 0)
			rc = store_spool_del(s, id, e);
		if (rc == 0)
			rc = store_commit(s, e);
		if (rc != 0) {
			store_rollback(s);
			break;
		}
	}
	arena_free(a);
	return rc < 0 ? rc : 0;
}
