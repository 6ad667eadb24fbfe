/*
 * The worker loop (see worker.h).  The senders run in their own threads
 * (mailer_run, woken by every commit to the database); this thread does
 * the rest, every worker.interval seconds, and polls the mailbox every
 * imap.interval seconds.  Each piece takes short transactions of its
 * own, so several workers on one database take turns: a step is fired
 * and a message claimed by one of them only.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/inbound.h"
#include "app/mail.h"
#include "app/sequencer.h"
#include "app/worker.h"
#include "store/store.h"
#include "util/arena.h"

static int64_t
worker_now(const struct worker_opts *o)
{
	return o->now != 0 ? o->now : (int64_t)time(NULL);
}

struct worker_mailer {
	struct mailer_opts	 mo;
	struct mailer_stats	 st;
	struct err		 err;
	int			 rc;
	atomic_int		 done;	/* the senders have stopped */
};

static void *
worker_mailer_main(void *arg)
{
	struct worker_mailer	*wm = arg;

	wm->rc = mailer_run(&wm->mo, &wm->st, &wm->err);
	atomic_store(&wm->done, 1);
	return NULL;
}

/* Sequences and escalations: one round. */
static int
worker_round(struct store *s, const struct worker_opts *o,
    struct worker_stats *st, struct err *e)
{
	struct sequencer_stats	 ss;
	struct arena		*a;
	int64_t			 now = worker_now(o);
	int			 rc, n = 0;

	memset(&ss, 0, sizeof ss);
	if ((rc = sequencer_tick(s, o->ms, now, &ss, e)) != 0)
		return rc;
	st->fired += ss.emails + ss.tasks + ss.waits;
	st->completed += ss.completed;
	st->ended += ss.ended;
	a = arena_new();
	if ((rc = store_begin(s, e)) == 0) {
		rc = inbound_escalate(s, o->ms, o->is, now, a, &n, e);
		if (rc == 0)
			rc = store_commit(s, e);
		else
			store_rollback(s);
	}
	arena_free(a);
	if (rc != 0)
		return rc;
	st->escalated += n;
	st->rounds++;
	return 0;
}

/* Read what tend inbound --queue left: at once, whenever woken. */
static int
worker_spool(struct store *s, const struct worker_opts *o,
    struct worker_stats *st, struct err *e)
{
	struct fetch_stats	 fs;
	size_t			 i;
	int			 rc;

	rc = fetch_spool(s, o->ms, o->is, o->qdir, 0, &fs, e);
	st->fetch.read += fs.read;
	st->fetch.duplicates += fs.duplicates;
	st->fetch.quarantined += fs.quarantined;
	for (i = 0; i < sizeof fs.classes / sizeof fs.classes[0]; i++)
		st->fetch.classes[i] += fs.classes[i];
	return rc;
}

static void
worker_fetch(struct store *s, const struct worker_opts *o,
    struct worker_stats *st)
{
	struct fetch_stats	 fs;
	struct err		 fe;
	size_t			 i;

	if (o->is->imap.url == NULL)
		return;
	memset(&fe, 0, sizeof fe);
	st->polls++;
	if (fetch_run(s, o->ms, o->is, o->qdir, worker_now(o), &fs,
	    &fe) != 0) {
		/* say it once, not at every poll */
		if (o->note != NULL && strcmp(st->fetch_error, fe.msg) != 0)
			o->note(fe.msg);
		snprintf(st->fetch_error, sizeof st->fetch_error, "%s",
		    fe.msg);
		return;
	}
	st->fetch_error[0] = '\0';
	st->fetch.read += fs.read;
	st->fetch.duplicates += fs.duplicates;
	st->fetch.quarantined += fs.quarantined;
	for (i = 0; i < sizeof fs.classes / sizeof fs.classes[0]; i++)
		st->fetch.classes[i] += fs.classes[i];
}

int
worker_run(const struct worker_opts *o, struct worker_stats *st,
    struct err *e)
{
	struct worker_mailer	 wm;
	struct store		*s = NULL;
	pthread_t		 th;
	int64_t			 next_poll = 0, next_round = 0, t;
	int			 rc, started = 0, watch = -1;

	memset(st, 0, sizeof *st);
	memset(&wm, 0, sizeof wm);
	if ((rc = store_open(o->db_path, 0, &s, e)) != 0)
		return rc;
	wm.mo.db_path = o->db_path;
	wm.mo.ms = o->ms;
	wm.mo.now = o->now;
	wm.mo.stop = o->stop;
	if (o->once) {
		if ((rc = worker_spool(s, o, st, e)) != 0 ||
		    (rc = worker_round(s, o, st, e)) != 0)
			goto out;
		worker_fetch(s, o, st);
		if (o->send) {
			wm.mo.once = 1;
			rc = mailer_run(&wm.mo, &st->mail, e);
		}
		goto out;
	}
	if (o->send) {
		if (pthread_create(&th, NULL, worker_mailer_main, &wm) != 0) {
			rc = err_set(e, TEND_EIO, "cannot start the senders");
			goto out;
		}
		started = 1;
	}
	rc = 0;
	watch = mailer_watch(o->db_path);
	while (!(o->stop != NULL && *o->stop)) {
		/* the senders stopped on their own (a refused login): so do we */
		if (started && atomic_load(&wm.done))
			break;
		rc = worker_spool(s, o, st, e);
		if (rc == TEND_EBUSY)
			rc = 0;
		if (rc != 0)
			break;
		t = (int64_t)time(NULL);
		if (t >= next_round) {
			rc = worker_round(s, o, st, e);
			/* another worker had the database: next round */
			if (rc == TEND_EBUSY)
				rc = 0;
			if (rc != 0)
				break;
			next_round = t + o->is->worker_interval;
		}
		if (t >= next_poll) {
			worker_fetch(s, o, st);
			next_poll = t + o->is->imap_interval;
		}
		/* woken by a commit (a message spooled); SIGTERM within a
		   quarter of a second */
		mailer_wait(watch, 250);
	}
out:
	if (watch >= 0)
		close(watch);
	if (started) {
		/* the senders finish the message in hand, then stop */
		if (o->stop != NULL)
			*o->stop = 1;
		pthread_join(th, NULL);
		st->mail = wm.st;
		if (rc == 0 && wm.rc != 0) {
			rc = wm.rc;
			*e = wm.err;
		}
	}
	store_close(s);
	return rc;
}
