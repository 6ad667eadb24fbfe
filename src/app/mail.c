/*
 * Mail out: settings, the template context, queuing and choosing what to
 * say.  Rendering is strict here (the spec's leniency would let "Hi ,"
 * leave); the respect rules are asked before anything is queued.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/mail.h"
#include "core/block.h"
#include "core/contact.h"
#include "core/deal.h"
#include "core/interaction.h"
#include "core/outbox.h"
#include "core/when.h"
#include "mail/compose.h"
#include "mail/token.h"
#include "store/store.h"
#include "tmpl/mustache.h"
#include "util/arena.h"
#include "util/config.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define MAIL_PASSWORD_MAX	1024
#define MAIL_TOKEN_KEY		"mail.token_key"

const char *const mail_fields[] = {
	"contact.first_name", "contact.name", "contact.company",
	"contact.title", "contact.met_where", "contact.met_on", "contact.via",
	"contact.need", "contact.last_touch", "deal.title", "deal.stage",
	"deal.next_step", "sender.name", "sender.signature", "referral.name",
	"unsubscribe_url", "booking_url", "inquiry.subject",
	"inquiry.reply_by", "inquiry.questions", "inquiry.ask", NULL
};

static int
mail_int(const struct config *cfg, const char *key, const char *def,
    long lo, long hi, long *out, struct err *e)
{
	const char	*v;
	char		*end;

	v = config_get(cfg, key);
	if (v == NULL)
		v = def;
	errno = 0;
	*out = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || *out < lo ||
	    *out > hi)
		return err_set(e, TEND_EINVAL, "%s: '%s' is not a number from "
		    "%ld to %ld", key, v, lo, hi);
	return 0;
}

int
mail_from_parse(const char *text, struct arena *a, const char **name,
    const char **addr, struct err *e)
{
	const char	*lt, *gt;
	char		*n, *ad;
	int		 rc;

	*name = NULL;
	lt = strrchr(text, '<');
	if (lt == NULL) {
		ad = text_trim(arena_strdup(a, text));
	} else {
		gt = strchr(lt, '>');
		if (gt == NULL || gt[1] != '\0')
			return err_set(e, TEND_EINVAL, "invalid address '%s'",
			    text);
		ad = arena_strndup(a, lt + 1, (size_t)(gt - lt - 1));
		n = text_trim(arena_strndup(a, text, (size_t)(lt - text)));
		if (*n == '"' && strlen(n) >= 2 && n[strlen(n) - 1] == '"') {
			n[strlen(n) - 1] = '\0';
			n++;
		}
		if (*n != '\0')
			*name = n;
	}
	if ((rc = contact_email_check(ad, e)) != 0)
		return rc;
	if (*name != NULL && (rc = compose_header_check("the sender's name",
	    *name, e)) != 0)
		return rc;
	*addr = ad;
	return 0;
}

/* The password: never in the database, never in a log. */
int
mail_password(const struct config *cfg, const char *env_name,
    const char *key, struct arena *a, const char **out, struct err *e)
{
	const char	*env, *path;
	struct stat	 sb;
	char		 buf[MAIL_PASSWORD_MAX + 1];
	ssize_t		 n;
	int		 fd;

	*out = NULL;
	env = getenv(env_name);
	if (env != NULL && *env != '\0') {
		*out = arena_strdup(a, env);
		return 0;
	}
	path = config_get(cfg, key);
	if (path == NULL)
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, TEND_EINVAL, "%s: cannot open '%s': %s", key, path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return err_set(e, TEND_EINVAL, "%s: '%s' is not a "
		    "regular file", key, path);
	}
	if ((sb.st_mode & 077) != 0) {
		close(fd);
		return err_set(e, TEND_EINVAL, "%s: '%s' may be read "
		    "by others (chmod 600 it)", key, path);
	}
	n = read(fd, buf, sizeof buf);
	close(fd);
	if (n < 0 || n > MAIL_PASSWORD_MAX)
		return err_set(e, TEND_EINVAL, "%s: cannot read '%s'",
		    key, path);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n) != NULL || n == 0)
		return err_set(e, TEND_EINVAL, "%s: '%s' holds no "
		    "password", key, path);
	*out = arena_strdup(a, buf);
	sodium_memzero(buf, sizeof buf);
	return 0;
}

/* "\n" in a one-line setting stands for a line break. */
static char *
mail_unescape(struct arena *a, const char *v)
{
	char	*o, *p;

	if (v == NULL)
		return NULL;
	o = p = arena_alloc(a, strlen(v) + 1);
	while (*v != '\0') {
		if (v[0] == '\\' && v[1] == 'n') {
			*p++ = '\n';
			v += 2;
		} else
			*p++ = *v++;
	}
	*p = '\0';
	return o;
}

int
mail_settings_load(const struct config *cfg, const char *tz, int need_smtp,
    struct arena *a, struct mail_settings *ms, struct err *e)
{
	const char	*v;
	struct block	 b;
	long		 n;
	int		 rc;

	memset(ms, 0, sizeof *ms);
	ms->tz = tz;
	v = config_get(cfg, "mail.from");
	if (v != NULL && (rc = mail_from_parse(v, a, &ms->from_name,
	    &ms->from_addr, e)) != 0)
		return err_prefix(e, rc, "mail.from");
	ms->sender_name = config_get(cfg, "sender.name");
	if (ms->sender_name == NULL)
		ms->sender_name = ms->from_name;
	v = config_get(cfg, "mail.signature");
	if (v == NULL)
		v = config_get(cfg, "sender.signature");
	ms->signature = mail_unescape(a, v);
	v = config_get(cfg, "public_url");
	if (v != NULL) {
		char	*u = arena_strdup(a, v);
		size_t	 l = strlen(u);

		while (l > 0 && u[l - 1] == '/')
			u[--l] = '\0';
		ms->public_url = u;
	}
	ms->booking_url = config_get(cfg, "booking_url");

	respect_rules_default(&ms->rules);
	if ((rc = mail_int(cfg, "respect.daily_cap", "1", 0, 1000, &n,
	    e)) != 0)
		return rc;
	ms->rules.daily_cap = (int)n;
	if ((rc = mail_int(cfg, "respect.window_cap", "3", 0, 10000, &n,
	    e)) != 0)
		return rc;
	ms->rules.window_cap = (int)n;
	if ((rc = mail_int(cfg, "respect.window_days", "30", 1, 366, &n,
	    e)) != 0)
		return rc;
	ms->rules.window_days = (int)n;
	v = config_get(cfg, "respect.hours");
	if ((rc = block_parse(v != NULL ? v : MAIL_HOURS_DEFAULT, &b,
	    e)) != 0)
		return err_prefix(e, rc, "respect.hours");
	ms->rules.days = b.days;
	ms->rules.quiet_start = b.start;
	ms->rules.quiet_end = b.end;
	if ((rc = mail_int(cfg, "mail.sender_daily_cap", "0", 0, 10000000, &n,
	    e)) != 0)
		return rc;
	ms->rules.sender_daily_cap = (int)n;

	if ((rc = mail_int(cfg, "mail.connections", MAIL_CONNECTIONS_DEFAULT,
	    1, 64, &n, e)) != 0)
		return rc;
	ms->connections = (int)n;
	if ((rc = mail_int(cfg, "mail.lease", MAIL_LEASE_DEFAULT, 10, 86400,
	    &n, e)) != 0)
		return rc;
	ms->lease = n;
	if ((rc = mail_int(cfg, "smtp.timeout", MAIL_TIMEOUT_DEFAULT, 1, 3600,
	    &n, e)) != 0)
		return rc;
	ms->smtp.timeout_ms = n * 1000;
	ms->smtp.url = config_get(cfg, "smtp.url");
	v = config_get(cfg, "smtp.tls");
	if (v == NULL || strcmp(v, "required") == 0)
		ms->smtp.tls = SMTP_TLS_REQUIRED;
	else if (strcmp(v, "none") == 0)
		ms->smtp.tls = SMTP_TLS_NONE;
	else
		return err_set(e, TEND_EINVAL, "smtp.tls: '%s' is not "
		    "'required' or 'none'", v);
	ms->smtp.user = config_get(cfg, "smtp.user");
	if (!need_smtp)
		return 0;
	if (ms->smtp.url == NULL)
		return err_set(e, TEND_EUSAGE, "no mail server: set one with "
		    "'tend config smtp.url smtp://HOST:587'");
	return mail_password(cfg, "TEND_SMTP_PASSWORD", "smtp.password_file",
	    a, &ms->smtp.password, e);
}

/* ---- the context ---- */

/* The key of unsubscribe tokens: made once, kept with the data. */
static int
mail_token_key(struct store *s, struct arena *a, char **key, struct err *e)
{
	char	hex[65];
	int	rc;

	if ((rc = store_setting_get(s, a, MAIL_TOKEN_KEY, key, e)) != 0)
		return rc;
	if (*key != NULL && strlen(*key) == 64)
		return 0;
	token_key_new(hex);
	if ((rc = store_setting_set(s, MAIL_TOKEN_KEY, hex, e)) != 0)
		return rc;
	*key = arena_strdup(a, hex);
	return 0;
}

int
mail_unsubscribe_token(struct store *s, const char *token, struct arena *a,
    char **address, struct err *e)
{
	char	*key, *addr;
	int	 rc;

	if ((rc = mail_token_key(s, a, &key, e)) != 0)
		return rc;
	if ((rc = token_check(key, token, &addr, e)) != 0)
		return rc;
	*address = arena_strdup(a, addr);
	free(addr);
	return 0;
}

static const char *const mail_months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* "12 November 2026": a date for a letter, not for a machine. */
static char *
mail_date(struct arena *a, int64_t t, const char *tz)
{
	struct when_tm	tm;

	when_split(t, tz, &tm);
	return arena_printf(a, "%d %s %d", tm.day, mail_months[tm.month - 1],
	    tm.year);
}

/* Set key to v in o unless v is NULL or blank: strict mode sees it. */
static void
mail_jset(json_t *o, const char *key, const char *v)
{
	const char	*p;

	if (v == NULL)
		return;
	for (p = v; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		;
	if (*p == '\0')
		return;
	json_object_set_new(o, key, json_string(v));
}

/* The first word of a name, as people greet each other. */
static char *
mail_first_name(struct arena *a, const char *name)
{
	size_t	n;

	while (*name == ' ')
		name++;
	n = strcspn(name, " ");
	return arena_strndup(a, name, n);
}

/* The deal a message is about: the one asked for, else the only open one. */
static int
mail_deal(struct store *s, struct arena *a, int64_t contact_id,
    int64_t deal_id, struct deal **out, struct err *e)
{
	struct deal_filter	 f = { contact_id, 0 };
	struct deal		*v;
	size_t			 n;
	int			 rc;

	*out = NULL;
	if (deal_id != 0) {
		if ((rc = store_deal_get(s, a, deal_id, out, e)) != 0)
			return rc;
		if ((*out)->contact_id != contact_id)
			return err_set(e, TEND_EINVAL, "deal '%lld' is not "
			    "%s's", (long long)deal_id, (*out)->contact_name);
		return 0;
	}
	if ((rc = store_deal_list(s, a, &f, &v, &n, e)) != 0)
		return rc;
	if (n == 1)
		*out = &v[0];
	return 0;
}

static int
mail_context(struct store *s, const struct mail_settings *ms,
    const struct contact *c, const struct deal *d, const char *rcpt,
    const struct mail_request *req, struct arena *a, json_t **out,
    struct err *e)
{
	json_t		*root, *jc, *jd, *js, *jr;
	struct contact	**refs;
	size_t		 nrefs, i;
	const char	*eq;
	char		*tok, *name;
	int		 rc;

	root = json_object();
	jc = json_object();
	mail_jset(jc, "first_name", mail_first_name(a, c->name));
	mail_jset(jc, "name", c->name);
	mail_jset(jc, "company", c->company);
	mail_jset(jc, "title", c->title);
	mail_jset(jc, "met_where", c->met_where);
	if (c->met_on != 0)
		mail_jset(jc, "met_on", mail_date(a, c->met_on, ms->tz));
	mail_jset(jc, "via", c->via_name);
	mail_jset(jc, "need", c->needs);
	if (c->last_touch != 0)
		mail_jset(jc, "last_touch", mail_date(a, c->last_touch,
		    ms->tz));
	json_object_set_new(root, "contact", jc);
	if (d != NULL) {
		jd = json_object();
		mail_jset(jd, "title", d->title);
		mail_jset(jd, "stage", d->stage);
		mail_jset(jd, "next_step", d->next_step);
		json_object_set_new(root, "deal", jd);
	}
	js = json_object();
	mail_jset(js, "name", ms->sender_name);
	mail_jset(js, "signature", ms->signature);
	json_object_set_new(root, "sender", js);
	/* the person this contact introduced to you most recently */
	if ((rc = store_contact_referrals(s, a, c->id, &refs, &nrefs, e)) != 0)
		goto fail;
	if (nrefs > 0) {
		struct contact *last = refs[0];

		for (i = 1; i < nrefs; i++)
			if (refs[i]->created > last->created)
				last = refs[i];
		jr = json_object();
		mail_jset(jr, "name", last->name);
		json_object_set_new(root, "referral", jr);
	}
	if (ms->public_url != NULL && rcpt != NULL) {
		if ((rc = mail_token_key(s, a, &name, e)) != 0)
			goto fail;
		tok = token_make(name, rcpt);
		mail_jset(root, "unsubscribe_url", arena_printf(a, "%s/u/%s",
		    ms->public_url, tok));
		free(tok);
	}
	mail_jset(root, "booking_url", ms->booking_url);
	if (req->inquiry != NULL) {
		json_t	*jq = json_object(), *qs = json_array();

		mail_jset(jq, "subject", req->inquiry->subject);
		mail_jset(jq, "reply_by", req->inquiry->reply_by);
		for (i = 0; i < req->inquiry->nquestions; i++)
			json_array_append_new(qs,
			    json_string(req->inquiry->questions[i]));
		if (json_array_size(qs) > 0) {
			json_object_set_new(jq, "questions", qs);
			json_object_set_new(jq, "ask", json_true());
		} else
			json_decref(qs);
		json_object_set_new(root, "inquiry", jq);
	}
	for (i = 0; i < req->nvars; i++) {
		eq = strchr(req->vars[i], '=');
		if (eq == NULL || eq == req->vars[i]) {
			rc = err_set(e, TEND_EUSAGE, "--set wants NAME=VALUE, "
			    "not '%s'", req->vars[i]);
			goto fail;
		}
		name = arena_strndup(a, req->vars[i],
		    (size_t)(eq - req->vars[i]));
		if (json_object_get(root, name) != NULL ||
		    strchr(name, '.') != NULL) {
			rc = err_set(e, TEND_EUSAGE, "--set: '%s' is not a name "
			    "of your own (contact, deal, sender and the like "
			    "are tend's)", name);
			goto fail;
		}
		if ((rc = text_check(name, eq + 1, 1000, 0, e)) != 0)
			goto fail;
		mail_jset(root, name, eq + 1);
	}
	*out = root;
	return 0;
fail:
	json_decref(root);
	return rc;
}

/* ---- rendering and queuing ---- */

static int
mail_render_one(const char *what, const char *src, json_t *view, int raw,
    const char *tname, const char *cname, struct arena *a, const char **out,
    struct err *e)
{
	struct mustache		*m = NULL;
	struct mustache_opts	 o;
	char			*txt = NULL;
	size_t			 len;
	int			 rc;

	memset(&o, 0, sizeof o);
	o.raw = raw;
	o.strict = 1;
	o.max_out = 1024 * 1024;
	if ((rc = mustache_parse(src, strlen(src), &m, e)) != 0) {
		err_prefix(e, rc, "template '%s' (%s)", tname, what);
		goto out;
	}
	if ((rc = mustache_render(m, view, &o, &txt, &len, e)) != 0) {
		err_prefix(e, rc, "template '%s' for %s", tname, cname);
		if (strstr(e->msg, "'sender.name'") != NULL) {
			char	old[ERR_MSG_MAX];

			memcpy(old, e->msg, sizeof old);
			err_set(e, rc, "%.900s; set it with 'tend config "
			    "sender.name \"Your Name\"'", old);
		}
		goto out;
	}
	*out = arena_strndup(a, txt, len);
out:
	free(txt);
	mustache_free(m);
	return rc;
}

int
mail_render(struct store *s, const struct mail_settings *ms,
    const struct mail_request *req, int64_t now, struct arena *a,
    struct mail_rendered *r, struct err *e)
{
	struct template	*t;
	struct contact	*c;
	struct deal	*d;
	json_t		*view = NULL;
	int		 rc;

	(void)now;
	memset(r, 0, sizeof *r);
	if ((rc = store_contact_get(s, a, req->contact_id, &c, e)) != 0)
		return rc;
	if ((rc = store_template_get(s, a, req->template, &t, e)) != 0)
		return rc;
	if ((rc = mail_deal(s, a, c->id, req->deal_id, &d, e)) != 0)
		return rc;
	r->contact = c;
	r->template = t->name;
	r->deal_id = d != NULL ? d->id : 0;
	r->rcpt = c->emails.n > 0 ? c->emails.v[0] : NULL;
	if ((rc = mail_context(s, ms, c, d, r->rcpt, req, a, &view, e)) != 0)
		return rc;
	if ((rc = mail_render_one("subject", t->subject, view, 1, t->name,
	    c->name, a, &r->subject, e)) != 0 ||
	    (rc = mail_render_one("body", t->body, view, 1, t->name, c->name,
	    a, &r->text, e)) != 0)
		goto out;
	if (t->html != NULL && (rc = mail_render_one("html", t->html, view, 0,
	    t->name, c->name, a, &r->html, e)) != 0)
		goto out;
out:
	json_decref(view);
	return rc;
}

int
mail_respect(struct store *s, const struct mail_settings *ms,
    int64_t self, int64_t contact_id, const char *rcpt, int automated,
    int64_t now, struct arena *a, struct respect_decision *d, struct err *e)
{
	struct respect_msg	 m;
	char			*tz = NULL;
	int64_t			*sent, *ssent, back;
	int			 rc;

	memset(&m, 0, sizeof m);
	/* only tend's own mail waits for the caps and quiet hours */
	m.automated = automated == OUTBOX_AUTO;
	m.user_zone = ms->tz;
	/* a deleted contact's message still obeys the address's rules */
	if (contact_id != 0 && (rc = store_contact_reach(s, a, contact_id,
	    &m.do_not_contact, &tz, e)) != 0 && rc != TEND_ENOTFOUND)
		return rc;
	m.zone = tz;
	if ((rc = store_suppress_get(s, rcpt, &m.unsubscribed, &m.bounced,
	    e)) != 0)
		return rc;
	back = (int64_t)ms->rules.window_days * 86400;
	if (back < 86400)
		back = 86400;
	if ((rc = store_outbox_history(s, a, rcpt, now - back, now, self, &sent,
	    &m.nsent, e)) != 0)
		return rc;
	m.sent = sent;
	if (automated == OUTBOX_AUTO && ms->rules.sender_daily_cap > 0) {
		if ((rc = store_outbox_sender_history(s, a, now - 86400, &ssent,
		    &m.nsender_sent, e)) != 0)
			return rc;
		m.sender_sent = ssent;
	}
	if ((rc = respect_check(&ms->rules, &m, now, d)) != 0)
		return err_set(e, rc, "%s", d->reason);
	return 0;
}

int
mail_queue(struct store *s, const struct mail_settings *ms,
    const struct mail_request *req, int64_t now, struct arena *a,
    struct outbox_msg **out, struct err *e)
{
	struct mail_rendered	 r;
	struct compose_msg	 cm;
	struct respect_decision	 d;
	struct outbox_msg	*m;
	char			*data = NULL, *mid = NULL, *tok = NULL, *key;
	size_t			 len;
	int64_t			 at;
	int			 rc;

	if (ms->from_addr == NULL)
		return err_set(e, TEND_EUSAGE, "no sender address: set it with "
		    "'tend config mail.from \"Your Name <you@example.com>\"'");
	if (req->automated == OUTBOX_AUTO && ms->public_url == NULL)
		return err_set(e, TEND_EUSAGE, "automated mail needs an "
		    "unsubscribe link: set 'tend config public_url "
		    "https://...'");
	if ((rc = mail_render(s, ms, req, now, a, &r, e)) != 0)
		return rc;
	if (r.contact->archived)
		return err_set(e, TEND_EINVAL, "contact '%s' is archived",
		    r.contact->name);
	if (r.rcpt == NULL)
		return err_set(e, TEND_EINVAL, "contact '%s' has no e-mail "
		    "address", r.contact->name);
	at = req->at > now ? req->at : now;
	if ((rc = mail_respect(s, ms, 0, r.contact->id, r.rcpt,
	    req->automated, at, a, &d, e)) != 0)
		return rc;
	if (d.verdict == RESPECT_NEVER)
		return err_set(e, TEND_EINVAL, "not sending to %s <%s>: %s",
		    r.contact->name, r.rcpt, d.reason);

	memset(&cm, 0, sizeof cm);
	cm.from.name = ms->from_name;
	cm.from.addr = ms->from_addr;
	cm.to.name = r.contact->name;
	cm.to.addr = r.rcpt;
	cm.subject = r.subject;
	cm.text = r.text;
	cm.html = r.html;
	mid = compose_message_id(ms->from_addr, now);
	cm.message_id = mid;
	cm.in_reply_to = req->in_reply_to;
	if (req->automated == OUTBOX_AUTOREPLY) {
		cm.auto_header = "auto-reply";
		cm.auto_submitted = "auto-replied";
	} else if (req->automated) {
		if ((rc = mail_token_key(s, a, &key, e)) != 0)
			goto out;
		tok = token_make(key, r.rcpt);
		cm.unsub_url = arena_printf(a, "%s/u/%s", ms->public_url, tok);
		cm.unsub_mailto = arena_printf(a, "mailto:%s?subject="
		    "unsubscribe%%20%s", ms->from_addr, tok);
		cm.auto_header = "automated";
	}
	if ((rc = compose_build(&cm, &data, &len, e)) != 0)
		goto out;

	m = arena_alloc(a, sizeof *m);
	m->contact_id = r.contact->id;
	m->contact_name = r.contact->name;
	m->deal_id = r.deal_id;
	m->template = arena_strdup(a, r.template);
	m->automated = req->automated;
	m->rcpt = arena_strdup(a, r.rcpt);
	m->sender = arena_strdup(a, ms->from_addr);
	m->subject = arena_strdup(a, r.subject);
	m->message_id = arena_strdup(a, mid);
	m->data = data;
	m->len = len;
	m->queued = now;
	if (d.verdict == RESPECT_LATER) {
		m->state = "deferred";
		m->next_attempt = d.not_before;
		m->reason = arena_strdup(a, d.reason);
	} else {
		m->state = "queued";
		m->next_attempt = at;
	}
	rc = store_outbox_add(s, m, e);
	m->data = NULL;
	m->len = 0;
	if (rc == 0)
		*out = m;
out:
	free(data);
	free(tok);
	free(mid);
	return rc;
}

/* ---- what to say ---- */

int
mail_pick(struct store *s, int64_t contact_id, int64_t now, const char *tz,
    struct arena *a, const char **name, const char **why, struct err *e)
{
	struct deal_filter	 df = { contact_id, 0 };
	struct contact		*c, **refs;
	struct followup		*f;
	struct deal		*d;
	size_t			 nf, nd, nr, i;
	char			 ago[WHEN_BUFSZ];
	int			 rc;

	if ((rc = store_contact_get(s, a, contact_id, &c, e)) != 0 ||
	    (rc = store_followup_list(s, a, contact_id, &f, &nf, e)) != 0 ||
	    (rc = store_deal_list(s, a, &df, &d, &nd, e)) != 0 ||
	    (rc = store_contact_referrals(s, a, contact_id, &refs, &nr,
	    e)) != 0)
		return rc;
	/* an inquiry waiting for an answer comes before anything else */
	for (i = 0; i < nf; i++)
		if (strcmp(f[i].kind, "inquiry") == 0 &&
		    strcmp(f[i].state, "open") == 0) {
			*name = "inquiry-ack";
			*why = arena_printf(a, "%s's inquiry is waiting for an "
			    "answer (received %s)", c->name, when_ago(ago,
			    sizeof ago, f[i].created, now, tz));
			return 0;
		}
	for (i = 0; i < nd; i++) {
		if (strcmp(d[i].stage, "inquiry") == 0) {
			*name = "inquiry-ack";
			*why = arena_printf(a, "deal '%s' is a new inquiry",
			    d[i].title);
			return 0;
		}
		if (strcmp(d[i].stage, "consult") == 0) {
			*name = "consult-recap";
			*why = arena_printf(a, "deal '%s' is at consult: a "
			    "recap with next steps leads to the proposal",
			    d[i].title);
			return 0;
		}
		if (strcmp(d[i].stage, "proposal") == 0) {
			*name = "proposal-followup";
			*why = arena_printf(a, "the proposal for '%s' went out "
			    "%s", d[i].title, when_ago(ago, sizeof ago,
			    d[i].stage_since, now, tz));
			return 0;
		}
	}
	/* someone they introduced you to since you last spoke */
	for (i = 0; i < nr; i++)
		if (c->last_touch == 0 || refs[i]->created > c->last_touch) {
			*name = "referral-thanks";
			*why = arena_printf(a, "%s introduced you to %s, and you "
			    "have not thanked them yet", c->name,
			    refs[i]->name);
			return 0;
		}
	if (c->met_on != 0 && now - c->met_on <= 30 * 86400 &&
	    (c->last_touch == 0 || c->last_touch <= c->met_on + 86400)) {
		*name = "met-at-event";
		*why = arena_printf(a, "you met %s%s%s and have not written "
		    "since", when_ago(ago, sizeof ago, c->met_on, now, tz),
		    c->met_where != NULL ? " at " : "",
		    c->met_where != NULL ? c->met_where : "");
		return 0;
	}
	for (i = 0; i < nd; i++)
		if (!d[i].closed) {
			*name = "nudge";
			*why = arena_printf(a, "deal '%s' is at %s%s", d[i].title,
			    d[i].stage, d[i].next_step != NULL ?
			    ", waiting on the next step" : "");
			return 0;
		}
	*name = "check-in";
	if (c->last_touch == 0)
		*why = arena_printf(a, "no touch with %s on record yet",
		    c->name);
	else
		*why = arena_printf(a, "the last touch was %s",
		    when_ago(ago, sizeof ago, c->last_touch, now, tz));
	return 0;
}

struct mail_check {
	struct err	*e;
	int		 rc;
};

static int
mail_name_known(const char *name)
{
	size_t		 i, l;
	const char	*dot;

	if (strcmp(name, ".") == 0 || strchr(name, '.') == NULL)
		return 1;	/* a --set name, or one inside a section */
	for (i = 0; mail_fields[i] != NULL; i++) {
		if (strcmp(mail_fields[i], name) == 0)
			return 1;
		dot = strchr(mail_fields[i], '.');
		l = dot != NULL ? (size_t)(dot - mail_fields[i]) : 0;
		/* a section over an object: {{#contact}} */
		if (l > 0 && strlen(name) == l &&
		    strncmp(mail_fields[i], name, l) == 0)
			return 1;
	}
	return 0;
}

static int
mail_check_name(const char *name, enum mustache_tag tag, int line,
    void *arg)
{
	struct mail_check	*mc = arg;

	if (tag == MUSTACHE_PARTIAL) {
		mc->rc = err_set(mc->e, TEND_EINVAL, "line %d: partials "
		    "('{{>%s}}') are not used in messages", line, name);
		return 1;
	}
	if (!mail_name_known(name)) {
		mc->rc = err_set(mc->e, TEND_EINVAL, "line %d: unknown field "
		    "'%s' (see 'man tend-template' for the names)", line,
		    name);
		return 1;
	}
	return 0;
}

static int
mail_check_part(const char *what, const char *src, struct err *e)
{
	struct mustache		*m;
	struct mail_check	 mc = { e, 0 };
	int			 rc;

	if ((rc = mustache_parse(src, strlen(src), &m, e)) != 0)
		return err_prefix(e, rc, "%s", what);
	mustache_names(m, mail_check_name, &mc);
	mustache_free(m);
	if (mc.rc != 0)
		return err_prefix(e, mc.rc, "%s", what);
	return 0;
}

int
mail_template_check(const struct template *t, struct err *e)
{
	int	rc;

	if ((rc = mail_check_part("subject", t->subject, e)) != 0 ||
	    (rc = mail_check_part("body", t->body, e)) != 0)
		return rc;
	if (t->html != NULL && (rc = mail_check_part("html", t->html,
	    e)) != 0)
		return rc;
	return 0;
}
