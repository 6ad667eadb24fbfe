/*
 * The contact card: how you met, what they need, what is next, the open
 * deals, and the timeline of interactions and follow-ups, newest first.
 */
#include <string.h>

#include "cli/common.h"
#include "cli/output.h"
#include "core/cadence.h"
#include "core/deal.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_show_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "CONTACT [--json]",
	.summary = "Show a contact's card and timeline.",
	.opts = NULL,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_show_exec
};

struct show_data {
	struct contact		 *c;
	struct contact		**refs;
	size_t			  nrefs;
	struct interaction	 *ints;
	size_t			  nints;
	struct followup		 *fus;
	size_t			  nfus;
	struct followup		 *next;	/* the next open follow-up */
	struct deal		 *deals;	/* open deals */
	size_t			  ndeals;
};

static void
show_line(struct cmd_ctx *ctx, const char *label, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	fprintf(ctx->out, "  %-12s %s\n", label, value);
}

/* "a@x.example (work), b@y.example": the list with its labels. */
static const char *
show_join(struct cmd_ctx *ctx, const struct strlist *l)
{
	const char	*s = NULL, *item;
	size_t		 i;

	for (i = 0; i < l->n; i++) {
		item = strlist_label(l, i) == NULL ? l->v[i] :
		    arena_printf(ctx->arena, "%s (%s)", l->v[i],
		    strlist_label(l, i));
		s = s == NULL ? item : arena_printf(ctx->arena, "%s, %s", s,
		    item);
	}
	return s;
}

/* What an import kept: "ADR;TYPE=home  ;;Main St..."; photos by size. */
static void
show_extras(struct cmd_ctx *ctx, const struct contact *c)
{
	const struct contact_extra	*x;
	const char			*label;
	size_t				 i;

	for (i = 0; i < c->nextras; i++) {
		x = &c->extras[i];
		label = i == 0 ? "also" : "";
		if (out_extra_hidden(x))
			fprintf(ctx->out, "  %-12s %s (%zu bytes, not shown)\n",
			    label, x->name, strlen(x->value));
		else
			fprintf(ctx->out, "  %-12s %s%s%s: %s\n", label,
			    x->name, x->params != NULL ? ";" : "",
			    x->params != NULL ? x->params : "",
			    out_trunc(ctx->arena, x->value, 200));
	}
}

static int
show_is_open(const struct followup *f)
{
	return strcmp(f->state, "open") == 0 ||
	    strcmp(f->state, "snoozed") == 0;
}

static void
show_deals(struct cmd_ctx *ctx, struct show_data *d)
{
	struct table	*t;
	struct deal	*dl;
	char		 money[DEAL_MONEY_BUFSZ];
	size_t		 i;

	fprintf(ctx->out, "\nopen deals:\n");
	t = table_new(ctx, 3);
	for (i = 0; i < d->ndeals; i++) {
		dl = &d->deals[i];
		table_cellf(t, "  %s (#%lld)", dl->title, (long long)dl->id);
		if (dl->has_value)
			table_cellf(t, "%s, %s", dl->stage, deal_money_format(
			    dl->value_cents, money, sizeof money));
		else
			table_cell(t, dl->stage);
		if (dl->next_step == NULL)
			table_cell(t, "no next step");
		else if (dl->next_due == 0)
			table_cell(t, arena_printf(ctx->arena, "next: %s",
			    dl->next_step));
		else
			table_cell(t, arena_printf(ctx->arena, "next: %s, %s",
			    dl->next_step, out_date(ctx, dl->next_due)));
	}
	table_print(t, ctx->out);
}

static void
show_text(struct cmd_ctx *ctx, struct show_data *d)
{
	struct contact	*c = d->c;
	struct cadence	 cad;
	const char	*met = NULL;
	char		 every[96];
	size_t		 i, fi, ii;

	fprintf(ctx->out, "%s", c->name);
	if (c->title != NULL || c->company != NULL)
		fprintf(ctx->out, " — %s%s%s", c->title ? c->title : "",
		    c->title && c->company ? ", " : "",
		    c->company ? c->company : "");
	fprintf(ctx->out, "  (%s, #%lld)%s%s\n", c->kind, (long long)c->id,
	    c->archived ? " [archived]" : "",
	    c->do_not_contact ? " [do not contact]" : "");
	show_line(ctx, "e-mail", show_join(ctx, &c->emails));
	show_line(ctx, "phone", show_join(ctx, &c->phones));
	show_line(ctx, "tags", show_join(ctx, &c->tags));
	if (c->met_where != NULL && c->met_on != 0)
		met = arena_printf(ctx->arena, "%s on %s", c->met_where,
		    out_date(ctx, c->met_on));
	else if (c->met_where != NULL)
		met = c->met_where;
	else if (c->met_on != 0)
		met = out_date(ctx, c->met_on);
	show_line(ctx, "met", met);
	if (c->via_id != 0)
		show_line(ctx, "via", arena_printf(ctx->arena, "%s (#%lld)",
		    c->via_name, (long long)c->via_id));
	show_line(ctx, "source", c->source);
	show_line(ctx, "needs", c->needs);
	show_extras(ctx, c);
	show_line(ctx, "notes", c->notes);
	show_line(ctx, "time zone", c->tz);
	if (c->cadence != NULL && cadence_parse(c->cadence, &cad, NULL) == 0) {
		cadence_describe(&cad, every, sizeof every);
		show_line(ctx, "keep in touch", arena_printf(ctx->arena,
		    "%s, next %s", every, out_date(ctx, c->cadence_due)));
	}
	show_line(ctx, "last touch", c->last_touch ?
	    out_date(ctx, c->last_touch) : "never");
	if (d->next != NULL)
		show_line(ctx, "next", arena_printf(ctx->arena, "%s — %s "
		    "(follow-up %lld)", out_date(ctx, d->next->due),
		    d->next->reason ? d->next->reason : "follow up",
		    (long long)d->next->id));
	if (d->ndeals > 0)
		show_deals(ctx, d);
	if (d->nrefs > 0) {
		fprintf(ctx->out, "\nreferred:\n");
		for (i = 0; i < d->nrefs; i++)
			fprintf(ctx->out, "  %s (#%lld)\n", d->refs[i]->name,
			    (long long)d->refs[i]->id);
	}
	if (d->nints + d->nfus == 0)
		return;
	fprintf(ctx->out, "\ntimeline:\n");
	/* merge interactions and follow-ups, newest first */
	for (ii = 0, fi = 0; ii < d->nints || fi < d->nfus;) {
		if (fi < d->nfus && (ii == d->nints ||
		    d->fus[fi].due > d->ints[ii].at)) {
			struct followup	*f = &d->fus[fi++];

			fprintf(ctx->out, "  %-16s follow-up %lld (%s): %s\n",
			    out_date(ctx, f->due), (long long)f->id, f->state,
			    f->reason ? f->reason : "follow up");
		} else {
			struct interaction *it = &d->ints[ii++];

			fprintf(ctx->out, "  %-16s %s %s%s%s\n",
			    out_date(ctx, it->at), it->kind, it->system ?
			    "by tend" : strcmp(it->direction, "in") == 0 ?
			    "from them" : "by you", it->summary ? ": " : "",
			    it->summary ? it->summary : "");
		}
	}
}

static void
show_json(struct cmd_ctx *ctx, struct show_data *d)
{
	json_t	*o, *arr, *e;
	size_t	 i;

	o = out_jcontact(ctx, d->c);
	json_object_set_new(o, "next_followup", d->next != NULL ?
	    json_integer(d->next->id) : json_null());
	arr = json_array();
	for (i = 0; i < d->ndeals; i++) {
		e = json_object();
		json_object_set_new(e, "id", json_integer(d->deals[i].id));
		json_object_set_new(e, "title", out_jstr(d->deals[i].title));
		json_object_set_new(e, "stage", out_jstr(d->deals[i].stage));
		json_object_set_new(e, "value_cents", d->deals[i].has_value ?
		    json_integer(d->deals[i].value_cents) : json_null());
		json_object_set_new(e, "next_step",
		    out_jstr(d->deals[i].next_step));
		json_object_set_new(e, "next_due", out_jtime(ctx,
		    d->deals[i].next_due));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "deals", arr);
	arr = json_array();
	for (i = 0; i < d->nrefs; i++)
		json_array_append_new(arr,
		    out_jref(d->refs[i]->id, d->refs[i]->name));
	json_object_set_new(o, "referred", arr);
	arr = json_array();
	for (i = 0; i < d->nints; i++) {
		e = json_object();
		json_object_set_new(e, "id", json_integer(d->ints[i].id));
		json_object_set_new(e, "kind", out_jstr(d->ints[i].kind));
		json_object_set_new(e, "direction",
		    out_jstr(d->ints[i].direction));
		json_object_set_new(e, "at", out_jtime(ctx, d->ints[i].at));
		json_object_set_new(e, "summary",
		    out_jstr(d->ints[i].summary));
		/* tend's own record (a sequence ended): not a touch */
		json_object_set_new(e, "by_tend",
		    json_boolean(d->ints[i].system));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "interactions", arr);
	arr = json_array();
	for (i = 0; i < d->nfus; i++) {
		e = json_object();
		json_object_set_new(e, "id", json_integer(d->fus[i].id));
		json_object_set_new(e, "reason", out_jstr(d->fus[i].reason));
		json_object_set_new(e, "due", out_jtime(ctx, d->fus[i].due));
		json_object_set_new(e, "state", out_jstr(d->fus[i].state));
		json_object_set_new(e, "channel",
		    out_jstr(d->fus[i].channel));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "followups", arr);
	out_json(ctx, o);
}

static int
cmd_show_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct show_data	 d;
	struct deal_filter	 df;
	int64_t			 id;
	size_t			 i;
	int			 rc;

	memset(&d, 0, sizeof d);
	if ((rc = cli_contact(ctx, args->pos[0], &id)) != 0)
		return rc;
	if ((rc = store_contact_get(ctx->store, ctx->arena, id, &d.c,
	    &ctx->err)) != 0 ||
	    (rc = store_contact_referrals(ctx->store, ctx->arena, id, &d.refs,
	    &d.nrefs, &ctx->err)) != 0 ||
	    (rc = store_interaction_list(ctx->store, ctx->arena, id, &d.ints,
	    &d.nints, &ctx->err)) != 0 ||
	    (rc = store_followup_list(ctx->store, ctx->arena, id, &d.fus,
	    &d.nfus, &ctx->err)) != 0)
		return rc;
	memset(&df, 0, sizeof df);
	df.contact_id = id;
	if ((rc = store_deal_list(ctx->store, ctx->arena, &df, &d.deals,
	    &d.ndeals, &ctx->err)) != 0)
		return rc;
	for (i = 0; i < d.nfus; i++)
		if (show_is_open(&d.fus[i]) &&
		    (d.next == NULL || d.fus[i].due < d.next->due))
			d.next = &d.fus[i];
	if (ctx->json)
		show_json(ctx, &d);
	else
		show_text(ctx, &d);
	return 0;
}
