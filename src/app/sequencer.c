/*
 * Sequences at work: enrolment, the tick that fires due steps, and the
 * exits and holds set off by incoming mail.  The timing is core's
 * (sequence_due); what a step does and when the next one falls due is
 * decided here.  An enrollment's next delay always counts from when the
 * previous step actually ran, so a tick that comes late (a paused
 * sequence, a stopped worker) never fires a burst of old steps.
 */
#include <string.h>

#include "app/mail.h"
#include "app/sequencer.h"
#include "core/contact.h"
#include "core/deal.h"
#include "core/interaction.h"
#include "core/outbox.h"
#include "core/sequence.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"

/* Ids fetched per round of a tick. */
#define TICK_BATCH	256

/* What scheduling needs besides the enrollment. */
struct seq_env {
	const char	*user_tz;
	int		 hol[SEQUENCE_HOLIDAYS_MAX];
	size_t		 nhol;
};

static int
seq_env_load(struct store *s, const char *user_tz, struct arena *a,
    struct seq_env **out, struct err *e)
{
	struct seq_env	*env;
	char		*v;
	int		 rc;

	env = arena_alloc(a, sizeof *env);
	env->user_tz = user_tz;
	if ((rc = store_setting_get(s, a, SEQUENCER_HOLIDAYS, &v, e)) != 0)
		return rc;
	if ((rc = sequence_holidays_parse(v, env->hol, SEQUENCE_HOLIDAYS_MAX,
	    &env->nhol, e)) != 0)
		return rc;
	*out = env;
	return 0;
}

int
sequencer_read(const char *source, struct arena *a, struct sequence **out,
    struct err *e)
{
	struct sequence	*q;

	q = arena_alloc(a, sizeof *q);
	if (sequence_parse(source, q, e) != 0)
		return err_prefix(e, TEND_ECORRUPT, "a stored sequence");
	*out = q;
	return 0;
}

/* A note on the timeline that is tend's own, not a touch. */
static int
seq_note(struct store *s, int64_t contact_id, const char *text, int64_t now,
    struct err *e)
{
	struct interaction	i;

	memset(&i, 0, sizeof i);
	i.contact_id = contact_id;
	i.kind = "note";
	i.direction = "out";
	i.at = i.created = now;
	i.summary = (char *)text;
	i.system = 1;
	return store_interaction_add(s, &i, e);
}

/*
 * End r with reason, noted on the timeline.  cancel: 1 the messages it
 * queued, 2 every automated message to the contact, 0 none.
 */
static int
seq_end(struct store *s, struct arena *a, const struct enrollment *r,
    const char *reason, int cancel, int64_t now, int *cancelled,
    struct err *e)
{
	const char	*why;
	int		 rc, n = 0;

	if ((rc = store_enrollment_end(s, r->id, reason, now, e)) != 0)
		return rc;
	why = arena_printf(a, "sequence '%s' ended: %s", r->sequence_name,
	    reason);
	if ((rc = seq_note(s, r->contact_id, why, now, e)) != 0)
		return rc;
	if (cancel != 0 && (rc = store_outbox_cancel_automated(s,
	    r->contact_id, cancel == 1 ? r->id : 0, why, &n, e)) != 0)
		return rc;
	if (cancelled != NULL)
		*cancelled += n;
	return 0;
}

/* The recipient's zone: the contact's, else the user's. */
static const char *
seq_zone(const struct contact *c, const struct seq_env *env)
{
	if (c != NULL && c->tz != NULL && *c->tz != '\0')
		return c->tz;
	return env->user_tz;
}

/*
 * Plan r's next step (r->step) with its delay counted from base, and
 * write it: past the last step, the repeated ones start again every
 * after base, else r completes (*completed 1).
 */
static int
seq_schedule(struct store *s, struct arena *a, struct enrollment *r,
    const struct sequence *q, int64_t base, const struct seq_env *env,
    int64_t now, int *completed, struct err *e)
{
	const struct sequence_step	*st;
	const struct block		*w;
	int64_t				 next;

	*completed = 0;
	if (r->step < 0 || (size_t)r->step >= q->nsteps) {
		if (q->repeat <= 0) {
			*completed = 1;
			return seq_end(s, a, r, "completed", 0, now, NULL, e);
		}
		r->step = (int)q->nsteps - q->repeat;
		r->cycles++;
		base = cadence_next(&q->every, base, r->tz);
	}
	st = &q->steps[r->step];
	w = st->kind == SEQUENCE_WAIT ? NULL : &q->window;
	next = sequence_due(st->days, base, w, r->tz, env->hol, env->nhol);
	if (r->hold_until > next)
		next = sequence_due(0, r->hold_until, w, r->tz, env->hol,
		    env->nhol);
	r->base_at = base;
	r->next_at = next;
	return store_enrollment_set(s, r, now, e);
}

/* Has the stage rule fired for r?  *why (in a) says how, else NULL. */
static int
seq_stage(struct store *s, struct arena *a, const struct enrollment *r,
    const char **why, struct err *e)
{
	struct deal	*d;
	int		 rc;

	*why = NULL;
	if (r->deal_stage == NULL)
		return 0;
	if (r->deal_id == 0) {
		*why = "the deal was removed";
		return 0;
	}
	rc = store_deal_get(s, a, r->deal_id, &d, e);
	if (rc == TEND_ENOTFOUND) {
		*why = "the deal was removed";
		return 0;
	}
	if (rc != 0)
		return rc;
	if (d->closed)
		*why = arena_printf(a, "deal '%s' closed (%s)", d->title,
		    d->stage);
	else if (strcmp(d->stage, r->deal_stage) != 0)
		*why = arena_printf(a, "deal '%s' moved to %s", d->title,
		    d->stage);
	return 0;
}

static int
seq_has_email(const struct sequence *q)
{
	size_t	i;

	for (i = 0; i < q->nsteps; i++)
		if (q->steps[i].kind == SEQUENCE_EMAIL)
			return 1;
	return 0;
}

/* Every template of q's email steps exists. */
static int
seq_templates(struct store *s, struct arena *a, const struct sequence *q,
    struct err *e)
{
	struct template	*t;
	size_t		 i;
	int		 rc;

	for (i = 0; i < q->nsteps; i++) {
		if (q->steps[i].kind != SEQUENCE_EMAIL)
			continue;
		rc = store_template_get(s, a, q->steps[i].text, &t, e);
		if (rc == TEND_ENOTFOUND)
			return err_set(e, TEND_EINVAL, "sequence file line %d: "
			    "template '%s' not found", q->steps[i].line,
			    q->steps[i].text);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
sequencer_add(struct store *s, const char *text, int64_t now,
    struct arena *a, struct sequence **out, struct err *e)
{
	struct store_sequence	 row;
	struct sequence		*q;
	int			 rc;

	q = arena_alloc(a, sizeof *q);
	if ((rc = sequence_parse(text, q, e)) != 0 ||
	    (rc = seq_templates(s, a, q, e)) != 0)
		return rc;
	memset(&row, 0, sizeof row);
	row.name = q->name;
	row.source = sequence_format(q, a);
	if ((rc = store_sequence_add(s, &row, now, e)) != 0)
		return rc;
	*out = q;
	return 0;
}

static int
seq_contact(struct store *s, struct arena *a, int64_t id, struct contact **c,
    struct err *e)
{
	int	rc;

	rc = store_contact_get(s, a, id, c, e);
	if (rc == TEND_ENOTFOUND)
		*c = NULL;
	return rc == TEND_ENOTFOUND ? 0 : rc;
}

int
sequencer_edit(struct store *s, const char *user_tz, const char *name,
    const char *text, int64_t now, struct arena *a, struct sequence **out,
    int *moved, struct err *e)
{
	struct enrollment_filter	 f;
	struct store_sequence		*row;
	struct enrollment		*v;
	struct sequence			*q;
	struct seq_env			*env;
	struct contact			*c;
	size_t				 n, i;
	int				 rc, done;

	*moved = 0;
	if ((rc = store_sequence_get(s, a, name, &row, e)) != 0)
		return rc;
	q = arena_alloc(a, sizeof *q);
	if ((rc = sequence_parse(text, q, e)) != 0 ||
	    (rc = seq_templates(s, a, q, e)) != 0)
		return rc;
	if ((rc = store_sequence_update(s, row->id, q->name,
	    sequence_format(q, a), now, e)) != 0)
		return rc;
	if ((rc = seq_env_load(s, user_tz, a, &env, e)) != 0)
		return rc;
	memset(&f, 0, sizeof f);
	f.sequence_id = row->id;
	if ((rc = store_enrollment_list(s, a, &f, &v, &n, e)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		/* a task step's follow-up still holds it: nothing to move */
		if (v[i].next_at == 0)
			continue;
		if ((rc = seq_contact(s, a, v[i].contact_id, &c, e)) != 0)
			return rc;
		v[i].tz = (char *)seq_zone(c, env);
		v[i].sequence_name = q->name;
		if ((rc = seq_schedule(s, a, &v[i], q, v[i].base_at, env, now,
		    &done, e)) != 0)
			return rc;
		(*moved)++;
	}
	*out = q;
	return 0;
}

int
sequencer_pause(struct store *s, const char *name, int paused, int64_t now,
    int *changed, struct err *e)
{
	struct store_sequence	*row;
	struct arena		*a;
	int			 rc;

	a = arena_new();
	*changed = 0;
	if ((rc = store_sequence_get(s, a, name, &row, e)) != 0)
		goto out;
	if (row->paused == (paused != 0))
		goto out;
	*changed = 1;
	rc = store_sequence_pause(s, row->id, paused, now, e);
out:
	arena_free(a);
	return rc;
}

int
sequencer_rm(struct store *s, const char *name, int force, int64_t now,
    int *ended, struct err *e)
{
	struct enrollment_filter	 f;
	struct store_sequence		*row;
	struct enrollment		*v;
	struct arena			*a;
	size_t				 n, i;
	int				 rc;

	a = arena_new();
	*ended = 0;
	if ((rc = store_sequence_get(s, a, name, &row, e)) != 0)
		goto out;
	if (row->active > 0 && !force) {
		rc = err_set(e, TEND_ECONFLICT, "sequence '%s' has %lld active "
		    "enrollment%s (end them with 'tend unenroll', or use "
		    "--force)", row->name, (long long)row->active,
		    row->active == 1 ? "" : "s");
		goto out;
	}
	memset(&f, 0, sizeof f);
	f.sequence_id = row->id;
	if ((rc = store_enrollment_list(s, a, &f, &v, &n, e)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((rc = seq_end(s, a, &v[i], "sequence removed", 1, now,
		    NULL, e)) != 0)
			goto out;
		(*ended)++;
	}
	rc = store_sequence_rm(s, row->id, e);
out:
	arena_free(a);
	return rc;
}

/* Why contact c may not be in q, or NULL (in a). */
static int
seq_refusal(struct store *s, struct arena *a, const struct contact *c,
    const struct sequence *q, const char **why, struct err *e)
{
	int	unsub, bounced, rc;

	*why = NULL;
	if (c->archived) {
		*why = "archived";
		return 0;
	}
	if (c->do_not_contact) {
		*why = "do-not-contact";
		return 0;
	}
	if (c->emails.n == 0) {
		if (seq_has_email(q))
			*why = "no e-mail address";
		return 0;
	}
	if ((rc = store_suppress_get(s, c->emails.v[0], &unsub, &bounced,
	    e)) != 0)
		return rc;
	if (unsub)
		*why = arena_printf(a, "%s is unsubscribed", c->emails.v[0]);
	else if (bounced)
		*why = arena_printf(a, "%s bounced", c->emails.v[0]);
	return 0;
}

int
sequencer_enroll(struct store *s, const struct mail_settings *ms,
    int64_t contact_id, const char *seq_name, int64_t deal_id, int64_t at,
    int also, int64_t now, struct arena *a, struct enrollment **out,
    struct err *e)
{
	struct enrollment_filter	 f;
	struct deal_filter		 df;
	struct store_sequence		*row;
	struct enrollment		*v, *r;
	struct sequence			*q;
	struct seq_env			*env;
	struct contact			*c;
	struct deal			*d = NULL, *dv;
	const char			*why;
	size_t				 n, i;
	int				 rc, done;

	if ((rc = store_sequence_get(s, a, seq_name, &row, e)) != 0 ||
	    (rc = sequencer_read(row->source, a, &q, e)) != 0 ||
	    (rc = store_contact_get(s, a, contact_id, &c, e)) != 0)
		return rc;
	if ((rc = seq_refusal(s, a, c, q, &why, e)) != 0)
		return rc;
	if (why != NULL)
		return err_set(e, TEND_EINVAL, "not enrolling %s: %s", c->name,
		    why);
	if (seq_has_email(q)) {
		if (ms->from_addr == NULL)
			return err_set(e, TEND_EUSAGE, "sequence '%s' sends "
			    "e-mail: set the sender with 'tend config "
			    "mail.from \"Your Name <you@example.com>\"'",
			    row->name);
		if (ms->public_url == NULL)
			return err_set(e, TEND_EUSAGE, "sequence '%s' sends "
			    "e-mail, which needs an unsubscribe link: set "
			    "'tend config public_url https://...'", row->name);
	}
	memset(&f, 0, sizeof f);
	f.contact_id = contact_id;
	if ((rc = store_enrollment_list(s, a, &f, &v, &n, e)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		if (v[i].sequence_id == row->id)
			return err_set(e, TEND_ECONFLICT, "%s is already in "
			    "sequence '%s'", c->name, row->name);
	if (n > 0 && !also)
		return err_set(e, TEND_ECONFLICT, "%s is already in sequence "
		    "'%s' (--also adds another)", c->name, v[0].sequence_name);
	if (deal_id != 0) {
		if ((rc = store_deal_get(s, a, deal_id, &d, e)) != 0)
			return rc;
		if (d->contact_id != contact_id)
			return err_set(e, TEND_EINVAL, "deal '%lld' is not "
			    "%s's", (long long)deal_id, c->name);
		if (d->closed)
			return err_set(e, TEND_EINVAL, "deal '%lld' is closed "
			    "(%s)", (long long)deal_id, d->stage);
	} else {
		memset(&df, 0, sizeof df);
		df.contact_id = contact_id;
		if ((rc = store_deal_list(s, a, &df, &dv, &n, e)) != 0)
			return rc;
		if (n == 1)
			d = &dv[0];
	}
	if ((rc = seq_env_load(s, ms->tz, a, &env, e)) != 0)
		return rc;
	r = arena_alloc(a, sizeof *r);
	r->contact_id = contact_id;
	r->contact_name = c->name;
	r->sequence_id = row->id;
	r->sequence_name = row->name;
	r->source = row->source;
	r->paused = row->paused;
	r->deal_id = d != NULL ? d->id : 0;
	r->deal_stage = d != NULL ? d->stage : NULL;
	r->tz = (char *)seq_zone(c, env);
	r->started = now;
	r->base_at = at > now ? at : now;
	/* a first row, then the step planned as every later one is */
	if ((rc = store_enrollment_add(s, r, e)) != 0)
		return rc;
	if ((rc = seq_schedule(s, a, r, q, r->base_at, env, now, &done,
	    e)) != 0)
		return rc;
	if ((rc = seq_note(s, contact_id, arena_printf(a, "sequence '%s' "
	    "started", row->name), now, e)) != 0)
		return rc;
	*out = r;
	return 0;
}

int
sequencer_unenroll(struct store *s, int64_t contact_id, const char *seq_name,
    int64_t now, int *n, int *cancelled, struct err *e)
{
	struct enrollment_filter	 f;
	struct store_sequence		*row = NULL;
	struct enrollment		*v;
	struct contact			*c;
	struct arena			*a;
	size_t				 nv, i;
	int				 rc;

	a = arena_new();
	*n = *cancelled = 0;
	if ((rc = store_contact_get(s, a, contact_id, &c, e)) != 0)
		goto out;
	if (seq_name != NULL && (rc = store_sequence_get(s, a, seq_name, &row,
	    e)) != 0)
		goto out;
	memset(&f, 0, sizeof f);
	f.contact_id = contact_id;
	f.sequence_id = row != NULL ? row->id : 0;
	if ((rc = store_enrollment_list(s, a, &f, &v, &nv, e)) != 0)
		goto out;
	if (nv == 0) {
		rc = row != NULL ? err_set(e, TEND_ENOTFOUND, "%s is not in "
		    "sequence '%s'", c->name, row->name) : err_set(e,
		    TEND_ENOTFOUND, "%s is not in any sequence", c->name);
		goto out;
	}
	for (i = 0; i < nv; i++) {
		if ((rc = seq_end(s, a, &v[i], "unenrolled", 1, now, cancelled,
		    e)) != 0)
			goto out;
		(*n)++;
	}
out:
	arena_free(a);
	return rc;
}

int
sequencer_end_contact(struct store *s, int64_t contact_id, const char *rule,
    const char *reason, int64_t now, int *n, struct err *e)
{
	struct enrollment_filter	 f;
	struct enrollment		*v;
	struct sequence			*q;
	struct arena			*a;
	unsigned			 bit;
	size_t				 nv, i;
	int				 rc = 0, always, cancelled;

	*n = 0;
	bit = sequence_exit_rule(rule);
	if (bit == 0)
		return err_set(e, TEND_EINVAL, "unknown exit rule '%s'", rule);
	always = (bit & (SEQUENCE_EXIT_REPLY | SEQUENCE_EXIT_BOUNCE |
	    SEQUENCE_EXIT_UNSUB | SEQUENCE_EXIT_DNC)) != 0;
	a = arena_new();
	memset(&f, 0, sizeof f);
	f.contact_id = contact_id;
	if ((rc = store_enrollment_list(s, a, &f, &v, &nv, e)) != 0)
		goto out;
	for (i = 0; i < nv; i++) {
		if ((rc = sequencer_read(v[i].source, a, &q, e)) != 0)
			goto out;
		if ((q->exits & bit) == 0)
			continue;
		if ((rc = seq_end(s, a, &v[i], reason, always ? 0 : 1, now,
		    NULL, e)) != 0)
			goto out;
		(*n)++;
	}
	if (always && (rc = store_outbox_cancel_automated(s, contact_id, 0,
	    arena_printf(a, "automated mail stopped: %s", reason), &cancelled,
	    e)) != 0)
		goto out;
out:
	arena_free(a);
	return rc;
}

int
sequencer_hold_contact(struct store *s, int64_t contact_id, int64_t until,
    const char *why, int64_t now, struct err *e)
{
	struct enrollment_filter	 f;
	struct enrollment		*v;
	struct sequence			*q;
	struct seq_env			*env = NULL;
	struct contact			*c;
	struct when_tm			 tm;
	struct arena			*a;
	const struct block		*w;
	char				 day[WHEN_BUFSZ];
	int64_t				 h;
	size_t				 nv, i;
	int				 rc = 0;

	if (until <= now)
		return 0;
	a = arena_new();
	if ((rc = seq_contact(s, a, contact_id, &c, e)) != 0 ||
	    (rc = seq_env_load(s, NULL, a, &env, e)) != 0)
		goto out;
	memset(&f, 0, sizeof f);
	f.contact_id = contact_id;
	if ((rc = store_enrollment_list(s, a, &f, &v, &nv, e)) != 0)
		goto out;
	for (i = 0; i < nv; i++) {
		if ((rc = sequencer_read(v[i].source, a, &q, e)) != 0)
			goto out;
		/* the user's zone is not known here: the one last used */
		if (c != NULL && c->tz != NULL && *c->tz != '\0')
			v[i].tz = c->tz;
		when_split(until, "UTC", &tm);
		tm.hour = tm.min = tm.sec = 0;
		h = when_join(&tm, v[i].tz);
		if (h <= v[i].hold_until)
			continue;
		v[i].hold_until = h;
		if (v[i].next_at != 0 && v[i].next_at < h) {
			w = (size_t)v[i].step < q->nsteps &&
			    q->steps[v[i].step].kind == SEQUENCE_WAIT ? NULL :
			    &q->window;
			v[i].next_at = sequence_due(0, h, w, v[i].tz, env->hol,
			    env->nhol);
		}
		if ((rc = store_enrollment_set(s, &v[i], now, e)) != 0)
			goto out;
		when_format(day, sizeof day, h, v[i].tz, WHEN_DATE);
		if ((rc = seq_note(s, contact_id, arena_printf(a, "sequence "
		    "'%s' waits until %s: %s", v[i].sequence_name, day,
		    why != NULL ? why : "on hold"), now, e)) != 0)
			goto out;
	}
out:
	arena_free(a);
	return rc;
}

int
sequencer_same_domain(struct store *s, int64_t contact_id, int *ok,
    struct err *e)
{
	struct enrollment_filter	 f;
	struct enrollment		*v;
	struct sequence			*q;
	struct arena			*a;
	size_t				 nv, i;
	int				 rc;

	*ok = 0;
	a = arena_new();
	memset(&f, 0, sizeof f);
	f.contact_id = contact_id;
	if ((rc = store_enrollment_list(s, a, &f, &v, &nv, e)) != 0)
		goto out;
	for (i = 0; i < nv && !*ok; i++) {
		if ((rc = sequencer_read(v[i].source, a, &q, e)) != 0)
			goto out;
		*ok = q->same_domain;
	}
out:
	arena_free(a);
	return rc;
}

int
sequencer_list(struct store *s, const struct enrollment_filter *f,
    struct arena *a, struct sequencer_item **out, size_t *n, struct err *e)
{
	struct sequencer_item	*v;
	struct enrollment	*r;
	struct sequence		*q;
	struct err		 ignored;
	size_t			 i, j;
	int			 rc;

	if ((rc = store_enrollment_list(s, a, f, &r, n, e)) != 0)
		return rc;
	v = arena_alloc(a, (*n + 1) * sizeof *v);
	for (i = 0; i < *n; i++) {
		v[i].e = &r[i];
		/* one reading per sequence */
		for (j = 0; j < i; j++)
			if (r[j].sequence_id == r[i].sequence_id)
				break;
		if (j < i) {
			v[i].seq = v[j].seq;
			continue;
		}
		v[i].seq = sequencer_read(r[i].source, a, &q, &ignored) == 0 ?
		    q : NULL;
	}
	*out = v;
	return 0;
}

/* ---- the tick ---- */

/* What firing one enrollment came to. */
enum seq_outcome {
	SEQ_NOTHING,	/* not due any more: another tick took it */
	SEQ_DONE,	/* fired, moved or ended */
	SEQ_REFUSED	/* the step was refused for good: end it */
};

static int
seq_release(struct store *s, struct arena *a, int64_t id,
    const struct seq_env *env, int64_t now, struct sequencer_stats *stats,
    struct err *e)
{
	struct enrollment	*r;
	struct followup		*fu;
	struct sequence		*q;
	struct contact		*c;
	int64_t			 base = now;
	int			 rc, done;

	if ((rc = store_begin(s, e)) != 0)
		return rc;
	rc = store_enrollment_get(s, a, id, &r, e);
	if (rc == TEND_ENOTFOUND || (rc == 0 && (strcmp(r->state,
	    "active") != 0 || r->next_at != 0))) {
		store_rollback(s);
		return 0;
	}
	if (rc != 0)
		goto fail;
	if (r->hold_followup_id != 0) {
		rc = store_followup_get(s, a, r->hold_followup_id, &fu, e);
		if (rc == 0 && (strcmp(fu->state, "open") == 0 ||
		    strcmp(fu->state, "snoozed") == 0)) {
			store_rollback(s);
			return 0;
		}
		if (rc == 0)
			base = fu->updated;
		else if (rc != TEND_ENOTFOUND)
			goto fail;
	}
	if ((rc = sequencer_read(r->source, a, &q, e)) != 0 ||
	    (rc = seq_contact(s, a, r->contact_id, &c, e)) != 0)
		goto fail;
	r->tz = (char *)seq_zone(c, env);
	r->hold_followup_id = 0;
	if ((rc = seq_schedule(s, a, r, q, base, env, now, &done, e)) != 0)
		goto fail;
	if ((rc = store_commit(s, e)) != 0)
		return rc;
	stats->released++;
	stats->completed += done;
	return 0;
fail:
	store_rollback(s);
	return rc;
}

/*
 * Fire enrollment id's due step inside the caller's transaction.  A
 * refusal's reason goes into refused.
 */
static int
seq_fire_tx(struct store *s, const struct mail_settings *ms, int64_t id,
    const struct seq_env *env, int64_t now, struct arena *a,
    struct sequencer_stats *stats, enum seq_outcome *out,
    struct err *refused, struct err *e)
{
	const struct sequence_step	*st;
	struct mail_request		 req;
	struct outbox_msg		*m;
	struct enrollment		*r;
	struct followup			 fu;
	struct sequence			*q;
	struct contact			*c;
	const char			*why;
	int64_t				 due;
	int				 rc, done;

	*out = SEQ_NOTHING;
	rc = store_enrollment_get(s, a, id, &r, e);
	if (rc == TEND_ENOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	/* checked again under the write lock: no step fires twice */
	if (strcmp(r->state, "active") != 0 || r->next_at == 0 ||
	    r->next_at > now || r->paused)
		return 0;
	*out = SEQ_DONE;
	if ((rc = sequencer_read(r->source, a, &q, e)) != 0 ||
	    (rc = store_contact_get(s, a, r->contact_id, &c, e)) != 0)
		return rc;
	r->tz = (char *)seq_zone(c, env);
	if (c->do_not_contact) {
		stats->ended++;
		return seq_end(s, a, r, "do-not-contact", 2, now, NULL, e);
	}
	if (c->archived) {
		stats->ended++;
		return seq_end(s, a, r, "contact archived", 1, now, NULL, e);
	}
	if (q->exits & SEQUENCE_EXIT_STAGE) {
		if ((rc = seq_stage(s, a, r, &why, e)) != 0)
			return rc;
		if (why != NULL) {
			stats->ended++;
			return seq_end(s, a, r, why, 1, now, NULL, e);
		}
	}
	if ((size_t)r->step >= q->nsteps) {
		/* an edit left it past the end */
		rc = seq_schedule(s, a, r, q, now, env, now, &done, e);
		stats->completed += done;
		return rc;
	}
	st = &q->steps[r->step];
	if (st->kind != SEQUENCE_WAIT) {
		due = sequence_due(0, now, &q->window, r->tz, env->hol,
		    env->nhol);
		if (due > now) {
			r->next_at = due;
			stats->moved++;
			return store_enrollment_set(s, r, now, e);
		}
	}
	switch (st->kind) {
	case SEQUENCE_EMAIL:
		memset(&req, 0, sizeof req);
		req.contact_id = r->contact_id;
		req.deal_id = r->deal_id;
		req.template = st->text;
		req.automated = OUTBOX_AUTO;
		rc = mail_queue(s, ms, &req, now, a, &m, refused);
		if (rc == TEND_EINVAL || rc == TEND_ENOTFOUND) {
			*out = SEQ_REFUSED;
			return 0;
		}
		if (rc != 0) {
			*e = *refused;
			return rc;
		}
		if ((rc = store_outbox_enrollment_set(s, m->id, r->id,
		    e)) != 0)
			return rc;
		r->sent++;
		stats->emails++;
		break;
	case SEQUENCE_TASK:
		memset(&fu, 0, sizeof fu);
		fu.contact_id = r->contact_id;
		fu.deal_id = r->deal_id;
		fu.kind = "task";
		fu.reason = (char *)st->text;
		fu.due = now;
		if ((rc = store_followup_add(s, &fu, now, e)) != 0 ||
		    (rc = store_followup_enrollment_set(s, fu.id, r->id,
		    e)) != 0)
			return rc;
		r->hold_followup_id = fu.id;
		stats->tasks++;
		break;
	case SEQUENCE_WAIT:
		stats->waits++;
		break;
	}
	r->step++;
	if (st->kind == SEQUENCE_TASK) {
		/* the task holds the sequence until it is done or cancelled */
		r->next_at = 0;
		r->base_at = now;
		return store_enrollment_set(s, r, now, e);
	}
	rc = seq_schedule(s, a, r, q, now, env, now, &done, e);
	stats->completed += done;
	return rc;
}

/* End enrollment id, still at the step that was refused, with why. */
static int
seq_refuse(struct store *s, struct arena *a, int64_t id, const char *why,
    int64_t now, struct err *e)
{
	struct enrollment	*r;
	int			 rc;

	if ((rc = store_begin(s, e)) != 0)
		return rc;
	if ((rc = store_enrollment_get(s, a, id, &r, e)) != 0 ||
	    strcmp(r->state, "active") != 0) {
		store_rollback(s);
		return rc == TEND_ENOTFOUND ? 0 : rc;
	}
	if ((rc = seq_end(s, a, r, why, 1, now, NULL, e)) != 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

static void
seq_error(struct sequencer_stats *stats, int rc, const struct err *e)
{
	if (stats->errors++ == 0) {
		stats->first = *e;
		stats->first.code = rc;
	}
}

/* 1 if id is one of the n in v. */
static int
seq_in(const int64_t *v, size_t n, int64_t id)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i] == id)
			return 1;
	return 0;
}

int
sequencer_tick(struct store *s, const struct mail_settings *ms, int64_t now,
    struct sequencer_stats *stats, struct err *e)
{
	struct seq_env		*env;
	struct arena		*a, *step;
	enum seq_outcome	 what;
	struct err		 refused, se;
	int64_t			*ids, *skip = NULL;
	size_t			 n, i, nskip = 0, cap = 0;
	int			 rc, fired;

	memset(stats, 0, sizeof *stats);
	a = arena_new();
	step = arena_new();
	if ((rc = seq_env_load(s, ms->tz, a, &env, e)) != 0)
		goto out;
	if ((rc = store_enrollment_released(s, a, &ids, &n, e)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		arena_reset(step);
		rc = seq_release(s, step, ids[i], env, now, stats, &se);
		if (rc == TEND_EBUSY) {
			*e = se;
			goto out;
		}
		if (rc != 0)
			seq_error(stats, rc, &se);
	}
	/*
	 * Rounds until nothing is due: a step due at once after another
	 * (after = 0) fires in the same tick.  Every firing moves its
	 * enrollment on or out, so this ends; steps that failed are left
	 * for the next tick.
	 */
	do {
		fired = 0;
		arena_reset(step);
		if ((rc = store_enrollment_due(s, step, now, TICK_BATCH + nskip,
		    &ids, &n, e)) != 0)
			goto out;
		for (i = 0; i < n; i++) {
			if (seq_in(skip, nskip, ids[i]))
				continue;
			memset(&refused, 0, sizeof refused);
			if ((rc = store_begin(s, e)) != 0)
				goto out;
			rc = seq_fire_tx(s, ms, ids[i], env, now, step, stats,
			    &what, &refused, &se);
			if (rc == 0 && what != SEQ_REFUSED)
				rc = store_commit(s, &se);
			else
				store_rollback(s);
			if (rc == 0 && what == SEQ_REFUSED) {
				stats->ended++;
				rc = seq_refuse(s, step, ids[i], refused.msg,
				    now, &se);
			}
			if (rc == TEND_EBUSY) {
				*e = se;
				goto out;
			}
			if (rc != 0) {
				seq_error(stats, rc, &se);
				skip = arena_grow(a, skip, nskip, &cap,
				    sizeof *skip);
				skip[nskip++] = ids[i];
				continue;
			}
			if (what != SEQ_NOTHING)
				fired++;
		}
	} while (fired > 0);
	rc = 0;
out:
	arena_free(step);
	arena_free(a);
	return rc;
}
