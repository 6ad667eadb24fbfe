/*
 * Shared argument handling for the commands.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "cli/output.h"
#include "core/cadence.h"
#include "core/contact.h"
#include "core/deal.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/config.h"
#include "util/text.h"

int
cli_date(struct cmd_ctx *ctx, const char *what, const char *text,
    int64_t *out)
{
	struct err	e;

	if (when_parse(text, ctx->now, ctx->tz, out, &e) != 0)
		return err_set(&ctx->err, TEND_EINVAL, "%s: %s", what, e.msg);
	return 0;
}

int
cli_id(struct cmd_ctx *ctx, const char *what, const char *text,
    int64_t *out)
{
	const char	*p = text;
	int64_t		 v = 0;

	if (*p == '#')
		p++;
	if (*p == '\0' || strlen(p) > 18)
		goto bad;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v <= 0)
		goto bad;
	*out = v;
	return 0;
bad:
	return err_set(&ctx->err, TEND_EUSAGE, "invalid %s id '%s'", what,
	    text);
}

int
cli_contact(struct cmd_ctx *ctx, const char *ref, int64_t *id)
{
	return store_contact_resolve(ctx->store, ref, id, &ctx->err);
}

const struct cmd_opt cli_contact_opts[] = {
	{ "email", 'e', 1, "an e-mail address (repeat for more)" },
	{ "phone", 'p', 1, "a phone number (repeat for more)" },
	{ "company", 0, 1, "company" },
	{ "title", 0, 1, "job title" },
	{ "kind", 0, 1, "prospect, client, friend, partner or other" },
	{ "met", 0, 1, "where you met" },
	{ "met-on", 0, 1, "when you met (a date)" },
	{ "via", 0, 1, "who introduced you (a contact)" },
	{ "source", 0, 1, "event, referral, inbound, import or other" },
	{ "need", 0, 1, "what they need" },
	{ "note", 0, 1, "a note" },
	{ "tag", 't', 1, "a tag (repeat for more)" },
	{ "every", 0, 1, "keep in touch every INTERVAL (2w, 6w, 3m, never)" },
	{ "tz", 0, 1, "their time zone (Europe/Paris)" },
	{ "dnc", 0, 0, "do not contact" },
	{ "name", 0, 1, "a new name (edit)" },
	{ "untag", 0, 1, "remove a tag (edit)" },
	{ "no-email", 0, 1, "remove an e-mail address (edit)" },
	{ "no-phone", 0, 1, "remove a phone number (edit)" },
	{ "contact-ok", 0, 0, "clear do-not-contact (edit)" },
	{ "restore", 0, 0, "bring an archived contact back (edit)" },
	{ "vcard", 0, 1, "take the contact from a vCard FILE, - for stdin (add)" },
	CMD_OPT_END
};

/* The value for a text option: NULL when not given, "" clears on edit. */
static int
apply_text(struct cmd_ctx *ctx, struct args *args, const char *opt,
    char **field)
{
	const char	*v;

	v = args_get(args, opt);
	if (v == NULL)
		return 0;
	*field = *v == '\0' ? NULL : arena_strdup(ctx->arena, v);
	return 0;
}

/* Append the values of opt to l unless present (case-insensitive). */
static void
list_add(struct cmd_ctx *ctx, struct strlist *l, char **vals, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strlist_find(l, vals[i]) < 0)
			strlist_push(ctx->arena, l, vals[i], NULL);
}

static void
list_remove(struct strlist *l, char **vals, size_t n)
{
	size_t	i;
	long	j;

	for (i = 0; i < n; i++)
		for (;;) {
			j = strlist_find(l, vals[i]);
			if (j < 0)
				break;
			strlist_del(l, (size_t)j);
		}
}

int
cli_contact_apply(struct cmd_ctx *ctx, struct args *args, struct contact *c,
    int adding)
{
	const char	*v;
	char		**vals;
	size_t		  n;
	int64_t		  via;
	struct cadence	  cad;
	int		  rc;

	if ((v = args_get(args, "name")) != NULL) {
		if (adding)
			return err_set(&ctx->err, TEND_EUSAGE, "add: give the "
			    "name as the first argument, not --name");
		c->name = arena_strdup(ctx->arena, v);
	}
	apply_text(ctx, args, "company", &c->company);
	apply_text(ctx, args, "title", &c->title);
	apply_text(ctx, args, "met", &c->met_where);
	apply_text(ctx, args, "need", &c->needs);
	apply_text(ctx, args, "note", &c->notes);
	apply_text(ctx, args, "tz", &c->tz);
	if ((v = args_get(args, "kind")) != NULL)
		c->kind = arena_strdup(ctx->arena, v);
	if ((v = args_get(args, "source")) != NULL)
		c->source = arena_strdup(ctx->arena, v);
	if ((v = args_get(args, "met-on")) != NULL) {
		if (*v == '\0')
			c->met_on = 0;
		else if ((rc = cli_date(ctx, "--met-on", v, &c->met_on)) != 0)
			return rc;
		else if (c->met_on > ctx->now)
			return err_set(&ctx->err, TEND_EINVAL, "--met-on: "
			    "'%s' is in the future", v);
	}
	if ((v = args_get(args, "via")) != NULL) {
		if (*v == '\0')
			c->via_id = 0;
		else {
			if ((rc = cli_contact(ctx, v, &via)) != 0)
				return rc;
			if (via == c->id)
				return err_set(&ctx->err, TEND_EINVAL,
				    "--via: a contact cannot introduce "
				    "themselves");
			c->via_id = via;
		}
	}
	if (args_has(args, "dnc"))
		c->do_not_contact = 1;
	if (args_has(args, "contact-ok"))
		c->do_not_contact = 0;
	n = args_all(args, "no-email", ctx->arena, &vals);
	list_remove(&c->emails, vals, n);
	n = args_all(args, "no-phone", ctx->arena, &vals);
	list_remove(&c->phones, vals, n);
	n = args_all(args, "untag", ctx->arena, &vals);
	list_remove(&c->tags, vals, n);
	n = args_all(args, "email", ctx->arena, &vals);
	list_add(ctx, &c->emails, vals, n);
	n = args_all(args, "phone", ctx->arena, &vals);
	list_add(ctx, &c->phones, vals, n);
	n = args_all(args, "tag", ctx->arena, &vals);
	list_add(ctx, &c->tags, vals, n);
	if (adding && c->source == NULL)
		c->source = c->via_id != 0 ? "referral" :
		    c->met_where != NULL ? "event" : "other";
	if (adding && c->kind == NULL)
		c->kind = "prospect";
	if (c->name != NULL)
		text_trim(c->name);
	if ((rc = contact_check(c, &ctx->err)) != 0)
		return rc;
	/* check the interval now, so that nothing is written if it is bad */
	if ((v = args_get(args, "every")) != NULL &&
	    (rc = cadence_parse(v, &cad, &ctx->err)) != 0)
		return rc;
	return 0;
}

int
cli_contact_print(struct cmd_ctx *ctx, int64_t id)
{
	struct contact	*c;
	int		 rc;

	if (!ctx->json) {
		fprintf(ctx->out, "%lld\n", (long long)id);
		return 0;
	}
	if ((rc = store_contact_get(ctx->store, ctx->arena, id, &c,
	    &ctx->err)) != 0)
		return rc;
	out_json(ctx, out_jcontact(ctx, c));
	return 0;
}

int
cli_followup_json(struct cmd_ctx *ctx, int64_t id, json_t **out)
{
	struct followup	*f;
	json_t		*o;
	int		 rc;

	*out = NULL;
	if ((rc = store_followup_get(ctx->store, ctx->arena, id, &f,
	    &ctx->err)) != 0)
		return rc;
	o = json_object();
	json_object_set_new(o, "id", json_integer(f->id));
	json_object_set_new(o, "contact",
	    out_jref(f->contact_id, f->contact_name));
	json_object_set_new(o, "kind", out_jstr(f->kind));
	json_object_set_new(o, "reason", out_jstr(f->reason));
	json_object_set_new(o, "channel", out_jstr(f->channel));
	json_object_set_new(o, "deal", f->deal_id != 0 ?
	    json_integer(f->deal_id) : json_null());
	json_object_set_new(o, "due", out_jtime(ctx, f->due));
	json_object_set_new(o, "state", out_jstr(f->state));
	*out = o;
	return 0;
}

int
cli_followup_print(struct cmd_ctx *ctx, int64_t id)
{
	json_t	*o;
	int	 rc;

	if (!ctx->json) {
		fprintf(ctx->out, "%lld\n", (long long)id);
		return 0;
	}
	if ((rc = cli_followup_json(ctx, id, &o)) != 0)
		return rc;
	out_json(ctx, o);
	return 0;
}

int
cli_followup_open(struct cmd_ctx *ctx, int64_t id, struct followup **out)
{
	int	rc;

	if ((rc = store_followup_get(ctx->store, ctx->arena, id, out,
	    &ctx->err)) != 0)
		return rc;
	if (strcmp((*out)->state, "open") != 0 &&
	    strcmp((*out)->state, "snoozed") != 0)
		return err_set(&ctx->err, TEND_ECONFLICT, "follow-up %lld is "
		    "already %s", (long long)id, (*out)->state);
	return 0;
}

int
cli_number(const char *v, long lo, long hi, long *out)
{
	char	*end;
	long	 n;

	/* digits only: strtol alone would skip blanks and take a sign */
	if (*v < '0' || *v > '9' || strlen(v) > 12)
		return -1;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

int
cli_setting_number(struct cmd_ctx *ctx, const char *key, long def, long lo,
    long hi, long *out)
{
	const char	*v;

	*out = def;
	v = config_get(ctx->config, key);
	if (v == NULL)
		return 0;
	if (cli_number(v, lo, hi, out) != 0)
		return err_set(&ctx->err, TEND_EINVAL, "setting '%s': '%s' is "
		    "not a number from %ld to %ld", key, v, lo, hi);
	return 0;
}

int
cli_deal_stages(struct cmd_ctx *ctx, struct deal_stages *st)
{
	char	*v;
	int	 rc;

	if ((rc = store_setting_get(ctx->store, ctx->arena, "deal.stages", &v,
	    &ctx->err)) != 0)
		return rc;
	return deal_stages_parse(v, st, &ctx->err);
}

const char *
cli_quarantine_dir(struct cmd_ctx *ctx)
{
	const char	*slash = strrchr(ctx->db_path, '/');

	if (slash == NULL)
		return "quarantine";
	return arena_printf(ctx->arena, "%.*s/quarantine",
	    (int)(slash - ctx->db_path), ctx->db_path);
}
