/*
 * The outbox: what is waiting, what went, what failed and why.  show
 * prints the exact message (with the Date it was first tried with),
 * cancel stops one that has not gone, retry queues one again.
 *
 * --json prints an array of {"id", "contact": {"id", "name"}, "to",
 * "template", "subject", "automated", "kind"
 * ("hand", "auto" or "auto-reply"), "state", "queued", "next_attempt",
 * "lease_until", "attempts", "sent_at", "last_reply", "reason",
 * "message_id"}; show adds "message" (the text of the message).
 */
#include <stdio.h>
#include <string.h>

#include "cli/common.h"
#include "cli/output.h"
#include "core/contact.h"
#include "core/outbox.h"
#include "mail/compose.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_outbox_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_outbox_opts[] = {
	{ "state", 0, 1, "only messages in this state (queued, sending, "
	    "sent, deferred, failed, cancelled)" },
	{ "contact", 'c', 1, "only messages to this contact" },
	CMD_OPT_END
};

const struct cmd_entry cmd_outbox_entry = {
	.name = "outbox",
	.usage = "[--state S] [--contact C] | show ID | cancel ID | retry ID",
	.summary = "List queued and sent messages; show, cancel or retry one.",
	.opts = cmd_outbox_opts,
	.min_args = 0,
	.max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_outbox_exec
};

static json_t *
outbox_json(struct cmd_ctx *ctx, const struct outbox_msg *m)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "contact", m->contact_id != 0 ?
	    out_jref(m->contact_id, m->contact_name) : json_null());
	json_object_set_new(o, "to", out_jstr(m->rcpt));
	json_object_set_new(o, "template", out_jstr(m->template));
	json_object_set_new(o, "subject", out_jstr(m->subject));
	json_object_set_new(o, "automated", json_boolean(m->automated));
	/* who it is from: "hand", "auto" (a sequence), "auto-reply" */
	json_object_set_new(o, "kind", out_jstr(m->automated ==
	    OUTBOX_AUTOREPLY ? "auto-reply" : m->automated ? "auto" :
	    "hand"));
	json_object_set_new(o, "state", out_jstr(m->state));
	json_object_set_new(o, "queued", out_jtime(ctx, m->queued));
	json_object_set_new(o, "next_attempt", out_jtime(ctx,
	    m->next_attempt));
	json_object_set_new(o, "lease_until", out_jtime(ctx, m->lease_until));
	json_object_set_new(o, "attempts", json_integer(m->attempts));
	json_object_set_new(o, "sent_at", out_jtime(ctx, m->sent_at));
	json_object_set_new(o, "last_reply", out_jstr(m->last_reply));
	json_object_set_new(o, "reason", out_jstr(m->reason));
	json_object_set_new(o, "message_id", out_jstr(m->message_id));
	return o;
}

/* What the STATE column says, with the time that matters for it. */
static const char *
outbox_when(struct cmd_ctx *ctx, const struct outbox_msg *m)
{
	if (m->sent_at != 0)
		return out_date(ctx, m->sent_at);
	if (m->next_attempt != 0)
		return out_date(ctx, m->next_attempt);
	if (m->lease_until != 0)
		return arena_printf(ctx->arena, "lease to %s",
		    out_date(ctx, m->lease_until));
	return "";
}

static int
outbox_list(struct cmd_ctx *ctx, struct args *args)
{
	struct outbox_msg	*v;
	struct table		*tb;
	const char		*state, *ref;
	int64_t			 cid = 0;
	json_t			*a;
	size_t			 n, i;
	int			 rc;

	state = args_get(args, "state");
	if (state != NULL && !contact_word_in(state, outbox_states))
		return err_set(&ctx->err, TEND_EUSAGE, "outbox: unknown state "
		    "'%s' (queued, sending, sent, deferred, failed, "
		    "cancelled)", state);
	if ((ref = args_get(args, "contact")) != NULL &&
	    (rc = cli_contact(ctx, ref, &cid)) != 0)
		return rc;
	if ((rc = store_outbox_list(ctx->store, ctx->arena, state, cid, &v,
	    &n, &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, outbox_json(ctx, &v[i]));
		out_json(ctx, a);
		return 0;
	}
	if (n == 0) {
		fprintf(ctx->out, "the outbox is empty%s\n", state != NULL ||
		    cid != 0 ? " (for that filter)" : "");
		return 0;
	}
	tb = table_new(ctx, 6);
	table_cell(tb, "ID");
	table_cell(tb, "STATE");
	table_cell(tb, "WHEN");
	table_cell(tb, "TO");
	table_cell(tb, "SUBJECT");
	table_cell(tb, "WHY");
	for (i = 0; i < n; i++) {
		table_cellf(tb, "%lld", (long long)v[i].id);
		table_cell(tb, v[i].state);
		table_cell(tb, outbox_when(ctx, &v[i]));
		table_cell(tb, v[i].contact_name != NULL ? v[i].contact_name :
		    v[i].rcpt);
		table_cell(tb, out_trunc(ctx->arena, v[i].subject, 40));
		table_cell(tb, v[i].reason != NULL ? v[i].reason :
		    v[i].last_reply != NULL && strcmp(v[i].state, "sent") != 0 ?
		    v[i].last_reply : "");
	}
	table_print(tb, ctx->out);
	return 0;
}

static int
outbox_show(struct cmd_ctx *ctx, int64_t id)
{
	struct outbox_msg	*m;
	char			 date[128];
	json_t			*o;
	int			 rc;

	if ((rc = store_outbox_get(ctx->store, ctx->arena, id, &m,
	    &ctx->err)) != 0)
		return rc;
	/* the Date is fixed at the first try; until then, it would be now */
	compose_date(date, sizeof date, m->date != 0 ? m->date : ctx->now,
	    ctx->tz);
	if (ctx->json) {
		o = outbox_json(ctx, m);
		json_object_set_new(o, "message", json_string(arena_printf(
		    ctx->arena, "%s%.*s", date, (int)m->len, m->data)));
		out_json(ctx, o);
		return 0;
	}
	fputs(date, ctx->out);
	fwrite(m->data, 1, m->len, ctx->out);
	return 0;
}

static int
outbox_change(struct cmd_ctx *ctx, const char *verb, int64_t id)
{
	struct outbox_msg	*m;
	int			 rc;

	if ((rc = store_outbox_get(ctx->store, ctx->arena, id, &m,
	    &ctx->err)) != 0)
		return rc;
	if (strcmp(verb, "cancel") == 0)
		rc = store_outbox_set(ctx->store, id, "queued,deferred",
		    "cancelled", 0, "cancelled by you", &ctx->err);
	else
		rc = store_outbox_retry(ctx->store, id, ctx->now, &ctx->err);
	if (rc == TEND_ECONFLICT)
		return err_set(&ctx->err, TEND_ECONFLICT, "message '%lld' is "
		    "%s; only %s messages can be %s", (long long)id, m->state,
		    strcmp(verb, "cancel") == 0 ? "queued or deferred" :
		    "deferred, failed or cancelled", strcmp(verb, "cancel") ==
		    0 ? "cancelled" : "retried");
	if (rc != 0)
		return rc;
	if ((rc = store_outbox_get(ctx->store, ctx->arena, id, &m,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, outbox_json(ctx, m));
	else
		fprintf(ctx->out, "%s message %lld to %s\n", strcmp(verb,
		    "cancel") == 0 ? "cancelled" : "queued again", (long long)id,
		    m->rcpt);
	return 0;
}

static int
cmd_outbox_exec(struct cmd_ctx *ctx, struct args *args)
{
	int64_t	id;
	int	rc;

	if (args->npos == 0)
		return outbox_list(ctx, args);
	if (strcmp(args->pos[0], "show") != 0 &&
	    strcmp(args->pos[0], "cancel") != 0 &&
	    strcmp(args->pos[0], "retry") != 0)
		return err_set(&ctx->err, TEND_EUSAGE, "outbox: unknown "
		    "subcommand '%.64s' (expected show, cancel or retry)",
		    args->pos[0]);
	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend outbox %s "
		    "ID", args->pos[0]);
	if (args_has(args, "state") || args_has(args, "contact"))
		return err_set(&ctx->err, TEND_EUSAGE, "outbox %s: --state and "
		    "--contact are for the list", args->pos[0]);
	if ((rc = cli_id(ctx, "message", args->pos[1], &id)) != 0)
		return rc;
	if (strcmp(args->pos[0], "show") == 0)
		return outbox_show(ctx, id);
	return outbox_change(ctx, args->pos[0], id);
}
