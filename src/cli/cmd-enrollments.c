/*
 * Who is in which sequence, at which step, and what happens next and
 * when (in the user's zone); with --all, the enrollments that ended and
 * why.
 *
 * --json prints an array of {"id", "contact": {"id", "name"}, "sequence",
 * "state", "step", "steps", "next": {"kind", "what"} or null, "next_at",
 * "held_by" (the follow-up a task step waits on) or null, "hold_until",
 * "paused", "deal", "sent", "cycles", "started", "ended", "reason"}.
 */
#include <stdio.h>
#include <string.h>

#include "app/sequencer.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/sequence.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_enrollments_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_enrollments_opts[] = {
	{ "all", 'a', 0, "ended enrollments too" },
	{ "contact", 'c', 1, "only this contact's" },
	{ "sequence", 's', 1, "only this sequence's" },
	CMD_OPT_END
};

const struct cmd_entry cmd_enrollments_entry = {
	.name = "enrollments",
	.usage = "[--all] [--contact C] [--sequence S]",
	.summary = "List contacts in sequences and their next steps.",
	.opts = cmd_enrollments_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_enrollments_exec
};

/* The next step, for people: "email 'nudge'"; NULL when none is. */
static const struct sequence_step *
enrollment_step(const struct enrollment *r, const struct sequence *q)
{
	if (q == NULL || strcmp(r->state, "active") != 0 || r->step < 0 ||
	    (size_t)r->step >= q->nsteps)
		return NULL;
	return &q->steps[r->step];
}

const char *
cli_enrollment_next(struct cmd_ctx *ctx, const struct enrollment *r,
    const struct sequence *q)
{
	const struct sequence_step	*st;
	char				 buf[SEQUENCE_TASK_MAX + 64];

	if (strcmp(r->state, "active") != 0)
		return arena_printf(ctx->arena, "ended %s: %s",
		    out_date(ctx, r->ended), r->end_reason != NULL ?
		    r->end_reason : "");
	if (r->next_at == 0)
		return arena_printf(ctx->arena, "waiting for task %lld",
		    (long long)r->hold_followup_id);
	st = enrollment_step(r, q);
	if (st == NULL)
		return arena_printf(ctx->arena, "end, at %s",
		    out_date(ctx, r->next_at));
	return arena_printf(ctx->arena, "%s at %s%s",
	    sequence_step_describe(st, buf, sizeof buf),
	    out_date(ctx, r->next_at), r->paused ? " (paused)" : "");
}

json_t *
cli_enrollment_json(struct cmd_ctx *ctx, const struct enrollment *r,
    const struct sequence *q)
{
	const struct sequence_step	*st;
	json_t				*o, *n;

	o = json_object();
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "contact", out_jref(r->contact_id,
	    r->contact_name));
	json_object_set_new(o, "sequence", out_jstr(r->sequence_name));
	json_object_set_new(o, "state", out_jstr(r->state));
	/* the step under way: the task that holds it, else the next one */
	json_object_set_new(o, "step", json_integer(r->step +
	    (r->next_at == 0 && strcmp(r->state, "active") == 0 ? 0 : 1)));
	json_object_set_new(o, "steps", q != NULL ?
	    json_integer((json_int_t)q->nsteps) : json_null());
	st = enrollment_step(r, q);
	n = json_null();
	if (st != NULL) {
		static const char *const kinds[] = { "email", "task",
		    "wait" };

		n = json_object();
		json_object_set_new(n, "kind", json_string(kinds[st->kind]));
		if (st->kind == SEQUENCE_WAIT)
			json_object_set_new(n, "what", json_integer(st->days));
		else
			json_object_set_new(n, "what", json_string(st->text));
	}
	json_object_set_new(o, "next", n);
	json_object_set_new(o, "next_at", out_jtime(ctx, r->next_at));
	json_object_set_new(o, "held_by", strcmp(r->state, "active") == 0 &&
	    r->next_at == 0 && r->hold_followup_id != 0 ?
	    json_integer(r->hold_followup_id) : json_null());
	json_object_set_new(o, "hold_until", out_jtime(ctx, r->hold_until));
	json_object_set_new(o, "paused", json_boolean(r->paused));
	json_object_set_new(o, "deal", r->deal_id != 0 ?
	    json_integer(r->deal_id) : json_null());
	json_object_set_new(o, "sent", json_integer(r->sent));
	json_object_set_new(o, "cycles", json_integer(r->cycles));
	json_object_set_new(o, "started", out_jtime(ctx, r->started));
	json_object_set_new(o, "ended", out_jtime(ctx, r->ended));
	json_object_set_new(o, "reason", out_jstr(r->end_reason));
	return o;
}

static int
cmd_enrollments_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct enrollment_filter	 f;
	struct store_sequence		*row;
	struct sequencer_item		*v;
	struct table			*tb;
	const struct enrollment		*r;
	const char			*c;
	json_t				*a;
	size_t				 n, i;
	int				 rc;

	memset(&f, 0, sizeof f);
	f.all = args_has(args, "all");
	if ((c = args_get(args, "contact")) != NULL &&
	    (rc = cli_contact(ctx, c, &f.contact_id)) != 0)
		return rc;
	if ((c = args_get(args, "sequence")) != NULL) {
		if ((rc = store_sequence_get(ctx->store, ctx->arena, c, &row,
		    &ctx->err)) != 0)
			return rc;
		f.sequence_id = row->id;
	}
	if ((rc = sequencer_list(ctx->store, &f, ctx->arena, &v, &n,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, cli_enrollment_json(ctx,
			    v[i].e, v[i].seq));
		out_json(ctx, a);
		return 0;
	}
	if (n == 0) {
		fprintf(ctx->out, "%s; enroll someone with 'tend enroll "
		    "CONTACT SEQUENCE'\n", f.all ? "no enrollments" :
		    "no one is in a sequence");
		return 0;
	}
	tb = table_new(ctx, 6);
	table_cell(tb, "ID");
	table_cell(tb, "CONTACT");
	table_cell(tb, "SEQUENCE");
	table_cell(tb, "STEP");
	table_cell(tb, "SENT");
	table_cell(tb, "NEXT");
	for (i = 0; i < n; i++) {
		r = v[i].e;
		table_cellf(tb, "%lld", (long long)r->id);
		table_cell(tb, out_trunc(ctx->arena, r->contact_name, 30));
		table_cell(tb, r->sequence_name);
		if (v[i].seq != NULL && strcmp(r->state, "active") == 0)
			table_cellf(tb, "%d/%zu", r->step +
			    (r->next_at == 0 ? 0 : 1), v[i].seq->nsteps);
		else
			table_cell(tb, "-");
		table_cellf(tb, "%d", r->sent);
		table_cell(tb, cli_enrollment_next(ctx, r, v[i].seq));
	}
	table_print(tb, ctx->out);
	return 0;
}
