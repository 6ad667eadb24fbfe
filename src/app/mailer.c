/*
 * The outbox's senders.  Each message goes through three short steps,
 * each its own transaction: claim it (and check the rules again, since
 * the world may have changed since it was queued), send it without
 * holding the database, and record the outcome.  A sender that dies
 * between the server's 250 and the record leaves the message leased: it
 * is sent again when the lease ends, the one duplicate the design allows.
 */
#include <sys/inotify.h>

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/mail.h"
#include "app/mailer.h"
#include "app/touch.h"
#include "core/interaction.h"
#include "core/outbox.h"
#include "mail/compose.h"
#include "mail/plugin.h"
#include "mail/smtp.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/xmalloc.h"

struct sender {
	const struct mailer_opts	*o;
	pthread_mutex_t			*lock;	/* guards the shared stats */
	pthread_mutex_t			*dblock; /* one writer at a time */
	const struct mail_plugin	*mp;
	struct mailer_stats		*st;
	int				 index;
	int				 rc;
	struct err			 err;
	pthread_t			 thread;
};

static int64_t
sender_now(const struct mailer_opts *o)
{
	return o->now != 0 ? o->now : (int64_t)time(NULL);
}

/* What one transaction did, added to the shared stats once committed. */
struct tally {
	int	sent, deferred, failed, cancelled, lost;
};

static void
sender_add(struct sender *sd, const struct tally *t)
{
	pthread_mutex_lock(sd->lock);
	sd->st->sent += t->sent;
	sd->st->deferred += t->deferred;
	sd->st->failed += t->failed;
	sd->st->cancelled += t->cancelled;
	sd->st->lost += t->lost;
	pthread_mutex_unlock(sd->lock);
}

/*
 * Inside a transaction: claim messages until one may go now (1, with
 * *m), or none is due (0).  A claimed message the rules hold back is
 * recorded as deferred or cancelled, and the next is claimed.
 */
static int
sender_claim(struct sender *sd, struct store *s, struct arena *a,
    const char *owner, struct outbox_msg **m, struct tally *t)
{
	const struct mail_settings	*ms = sd->o->ms;
	struct respect_decision		 d;
	struct outbox_result		 r;
	int64_t				 now = sender_now(sd->o);
	int				 rc;

	for (;;) {
		rc = store_outbox_claim(s, a, now, ms->lease, owner, m,
		    &sd->err);
		if (rc <= 0)
			return rc;
		if ((rc = mail_respect(s, ms, (*m)->id, (*m)->contact_id,
		    (*m)->rcpt, (*m)->automated, now, a, &d, &sd->err)) != 0)
			return rc;
		if (d.verdict == RESPECT_NOW) {
			/* the Date is the first try's: a retry is the same */
			if ((rc = store_outbox_date(s, (*m)->id, now,
			    &(*m)->date, &sd->err)) != 0)
				return rc;
			return 1;
		}
		memset(&r, 0, sizeof r);
		r.reason = d.reason;
		if (d.verdict == RESPECT_NEVER) {
			r.state = "cancelled";
			t->cancelled++;
		} else {
			r.state = "deferred";
			r.next_attempt = d.not_before;
			t->deferred++;
		}
		if ((rc = store_outbox_finish(s, (*m)->id, owner, &r,
		    &sd->err)) != 0)
			return rc;
	}
}

/* A refused login: the sender's fault, not the message's. */
#define SENDER_LOGIN	1

static int
sender_login_refused(int sent, const struct smtp_result *res)
{
	return sent == TEND_EMAIL_PERM && !res->rcpt_failed &&
	    (res->code == 530 || res->code == 534 || res->code == 535 ||
	    res->code == 538);
}

/* Inside a transaction: record how the SMTP transaction of m went. */
static int
sender_record(struct sender *sd, struct store *s, const char *owner,
    struct outbox_msg *m, int sent, const struct smtp_result *res,
    const char *why, struct tally *t)
{
	struct outbox_result	 r;
	struct interaction	 in;
	int64_t			 now = sender_now(sd->o), wait;
	int			*field;
	char			 reason[300];
	int			 rc;

	memset(&r, 0, sizeof r);
	r.tried = sent != SENDER_LOGIN;
	r.reply = res->reply[0] != '\0' ? res->reply : why;
	if (sent == 0) {
		r.state = "sent";
		r.sent_at = now;
		field = &t->sent;
	} else if (sent == TEND_EMAIL_TEMP || sent == SENDER_LOGIN) {
		wait = outbox_backoff(m->attempts + r.tried, m->date, now);
		if (wait > 0) {
			r.state = "deferred";
			r.next_attempt = now + wait;
			r.reason = sent == SENDER_LOGIN ? "the server refused "
			    "tend's login; will try again" : "temporary failure; "
			    "will try again";
			field = &t->deferred;
		} else {
			snprintf(reason, sizeof reason, "gave up after %d "
			    "attempts over %lld hours", m->attempts + 1,
			    (long long)((now - m->date) / 3600));
			r.state = "failed";
			r.reason = reason;
			field = &t->failed;
		}
	} else {
		/* 5xx, or a message smtp_send would not send at all */
		r.state = "failed";
		r.reason = res->rcpt_failed ? "the address was refused "
		    "(bounced)" : sent == TEND_EMAIL_PERM ? "the server "
		    "refused the message" : "the message cannot be sent";
		field = &t->failed;
	}
	rc = store_outbox_finish(s, m->id, owner, &r, &sd->err);
	if (rc == TEND_ECONFLICT) {
		/* the lease ran out and another sender has it: its word */
		t->lost++;
		return 0;
	}
	if (rc != 0)
		return rc;
	if (sent == 0 && m->contact_id != 0) {
		memset(&in, 0, sizeof in);
		in.contact_id = m->contact_id;
		in.kind = "email";
		in.direction = "out";
		in.at = now;
		in.summary = m->subject;
		in.created = now;
		/*
		 * A message by hand is an answer; an automated one (an
		 * acknowledgement, a sequence step) is a touch, but the
		 * inquiry still waits for the person.
		 */
		if (!m->automated)
			rc = app_log(s, &in, sd->o->ms->tz, &sd->err);
		else if ((rc = store_interaction_add(s, &in, &sd->err)) == 0)
			rc = app_cadence_refresh(s, in.contact_id, now,
			    sd->o->ms->tz, &sd->err);
		if (rc != 0)
			return rc;
	}
	if (sent == TEND_EMAIL_PERM && res->rcpt_failed &&
	    (rc = store_suppress_add(s, m->rcpt, "bounced", res->reply, now,
	    &sd->err)) != 0 && rc != TEND_ECONFLICT)
		return rc;
	(*field)++;
	return 0;
}

/*
 * One transaction: record the message just tried (done, if any), then,
 * with claim, take the next one.  Recording and claiming together halve
 * the commits; the record still follows the server's answer at once,
 * so the duplicate window stays one message wide.  Returns 1 with *next,
 * 0 when nothing was claimed, or < 0.
 */
static int
sender_step(struct sender *sd, struct store *s, struct arena *a,
    const char *owner, struct outbox_msg *done, int sent,
    const struct smtp_result *res, const char *why, int claim,
    struct outbox_msg **next)
{
	struct tally	t;
	int		rc = 0, got = 0;

	memset(&t, 0, sizeof t);
	/*
	 * The senders of one process take turns at the database: SQLite
	 * would make a sender that finds it locked sleep a millisecond or
	 * more, far longer than the transaction it waits for.
	 */
	pthread_mutex_lock(sd->dblock);
	if ((rc = store_begin(s, &sd->err)) != 0)
		goto out;
	if (done != NULL)
		rc = sender_record(sd, s, owner, done, sent, res, why, &t);
	if (rc == 0 && claim)
		rc = got = sender_claim(sd, s, a, owner, next, &t);
	if (rc < 0) {
		store_rollback(s);
		goto out;
	}
	if ((rc = store_commit(s, &sd->err)) != 0)
		goto out;
	sender_add(sd, &t);
	rc = got;
out:
	pthread_mutex_unlock(sd->dblock);
	return rc;
}

/*
 * A watch on the database's folder: a commit by another process (tend
 * mail queuing a message) writes the WAL file there, and wakes the
 * sender at once instead of at its next poll.  -1 when unavailable.
 */
int
mailer_watch(const char *db_path)
{
	char	dir[4096];
	char	*slash;
	int	 fd;

	snprintf(dir, sizeof dir, "%s", db_path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return -1;
	if (inotify_add_watch(fd, dir, IN_MODIFY | IN_CLOSE_WRITE) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Wait for a change of the database, or ms milliseconds. */
void
mailer_wait(int fd, int ms)
{
	struct pollfd	pfd;
	char		buf[4096];

	if (fd < 0) {
		usleep((useconds_t)ms * 1000);
		return;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, ms) > 0)
		while (read(fd, buf, sizeof buf) > 0)
			;
}

static void *
sender_main(void *arg)
{
	struct sender			*sd = arg;
	const struct mail_settings	*ms = sd->o->ms;
	const struct mail_plugin	*mp = sd->mp;
	struct store			*s = NULL;
	struct smtp			*smtp = NULL;
	struct arena			*a[2];
	struct outbox_msg		*m, *done = NULL;
	struct smtp_result		 res;
	struct err			 se;
	char				 owner[64], date[128];
	char				*buf = NULL;
	size_t				 cap = 0, dl;
	int				 rc, sent = 0, cur = 0, more = 1;
	int				 watch = -1, pause = 0;

	a[0] = arena_new();
	a[1] = arena_new();
	memset(&res, 0, sizeof res);
	memset(&se, 0, sizeof se);
	snprintf(owner, sizeof owner, "%ld.%d", (long)getpid(), sd->index);
	if ((rc = store_open(sd->o->db_path, 0, &s, &sd->err)) != 0 ||
	    (rc = mp->smtp_new(&ms->smtp, &smtp, &sd->err)) != 0)
		goto out;
	if (!sd->o->once)
		watch = mailer_watch(sd->o->db_path);
	for (;;) {
		if (sd->o->stop != NULL && *sd->o->stop)
			more = 0;
		/* done lives in the other arena until it is recorded */
		arena_reset(a[cur]);
		rc = sender_step(sd, s, a[cur], owner, done, sent, &res,
		    se.msg, more, &m);
		/*
		 * Another process held the database past the busy timeout
		 * (a burst of tend inbound): a watching sender waits and
		 * tries the same step again, the message it sent still in
		 * hand, rather than die.
		 */
		if (rc == TEND_EBUSY && !sd->o->once &&
		    (sd->o->stop == NULL || !*sd->o->stop)) {
			mailer_wait(-1, 50);
			continue;
		}
		if (rc < 0)
			goto out;
		if (done != NULL && sent == SENDER_LOGIN) {
			/* every message would fail the same way: stop */
			rc = err_set(&sd->err, TEND_EMAIL_TEMP, "the mail "
			    "server refused the login: %s", res.reply);
			goto out;
		}
		done = NULL;
		if (!more)
			break;
		/* the server did not answer: let it be, a while (stop ends it) */
		for (; pause > 0 && (sd->o->stop == NULL || !*sd->o->stop);
		    pause--)
			sleep(1);
		pause = 0;
		if (rc == 0) {
			if (sd->o->once)
				break;
			/* new mail wakes it; due retries within a second */
			mailer_wait(watch, 1000);
			continue;
		}
		compose_date(date, sizeof date, m->date, ms->tz);
		dl = strlen(date);
		if (dl + m->len > cap) {
			cap = dl + m->len;
			buf = xrealloc(buf, cap);
		}
		memcpy(buf, date, dl);
		memcpy(buf + dl, m->data, m->len);
		memset(&res, 0, sizeof res);
		memset(&se, 0, sizeof se);
		sent = mp->smtp_send(smtp, m->sender, m->rcpt, buf, dl + m->len,
		    &res, &se);
		if (sender_login_refused(sent, &res))
			sent = SENDER_LOGIN;
		done = m;
		cur ^= 1;
		if (sent == SENDER_LOGIN)
			more = 0;
		else if (sent == TEND_EMAIL_TEMP && res.code == 0) {
			/*
			 * No answer at all (refused, dropped, silent): the
			 * next message would wait the same timeout.
			 */
			if (sd->o->once)
				more = 0;
			else
				pause = 10;
		}
	}
	rc = 0;
out:
	sd->rc = rc;
	if (watch >= 0)
		close(watch);
	free(buf);
	if (smtp != NULL)
		mp->smtp_free(smtp);
	store_close(s);
	arena_free(a[0]);
	arena_free(a[1]);
	return NULL;
}

int
mailer_run(const struct mailer_opts *o, struct mailer_stats *st,
    struct err *e)
{
	const struct mail_plugin	*mp;
	struct sender	*sd;
	pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_t	 dblock = PTHREAD_MUTEX_INITIALIZER;
	int		 n = o->ms->connections, i, started = 0, rc = 0;

	memset(st, 0, sizeof *st);
	if ((mp = mail_plugin_get(e)) == NULL)
		return TEND_EIO;
	sd = xcalloc((size_t)n, sizeof *sd);
	for (i = 0; i < n; i++) {
		sd[i].o = o;
		sd[i].lock = &lock;
		sd[i].dblock = &dblock;
		sd[i].mp = mp;
		sd[i].st = st;
		sd[i].index = i;
		if (pthread_create(&sd[i].thread, NULL, sender_main,
		    &sd[i]) != 0) {
			rc = err_set(e, TEND_EIO, "cannot start a sender");
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(sd[i].thread, NULL);
		if (sd[i].rc != 0 && rc == 0) {
			rc = sd[i].rc;
			if (e != NULL)
				*e = sd[i].err;
		}
	}
	free(sd);
	pthread_mutex_destroy(&lock);
	pthread_mutex_destroy(&dblock);
	return rc;
}
