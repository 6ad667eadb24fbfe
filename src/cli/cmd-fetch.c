/*
 * Poll the IMAP mailbox once: read what arrived since the last poll
 * (messages stay unread) and act on it as tend inbound does.
 *
 * --json prints {"read", "duplicates", "quarantined", "classes": {...}}.
 */
#include <stdio.h>
#include <string.h>

#include "app/fetch.h"
#include "app/inbound.h"
#include "app/mail.h"
#include "cli/common.h"
#include "cli/output.h"
#include "mail/compose.h"
#include "mail/plugin.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_fetch_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_fetch_entry = {
	.name = "fetch",
	.usage = "[--json]",
	.summary = "Read new mail from the IMAP mailbox.",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_fetch_exec
};

static int
cmd_fetch_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct mail_settings	 ms;
	struct inbound_settings	 is;
	struct fetch_stats	 st;
	json_t			*j, *c;
	size_t			 i, k;
	int			 rc;

	(void)args;
	if ((rc = mail_settings_load(ctx->config, ctx->tz, 0, ctx->arena, &ms,
	    &ctx->err)) != 0 ||
	    (rc = inbound_settings_load(ctx->config, &ms, 1, ctx->arena, &is,
	    &ctx->err)) != 0)
		return rc;
	/* fetch takes a transaction a message: not the dispatcher's */
	store_rollback(ctx->store);
	rc = fetch_run(ctx->store, &ms, &is, cli_quarantine_dir(ctx),
	    ctx->now, &st, &ctx->err);
	compose_shutdown();
	if (mail_plugin_loaded() != NULL)
		mail_plugin_loaded()->smtp_global_cleanup();
	/* a refused login or mailbox: the service is not available (69) */
	if (rc == TEND_EMAIL_PERM)
		rc = TEND_EMAIL_TEMP;
	if (rc != 0)
		return rc;
	if (ctx->json) {
		c = json_object();
		for (i = 0; i < sizeof st.classes / sizeof st.classes[0]; i++)
			if (st.classes[i] > 0)
				json_object_set_new(c, inbound_class_name(
				    (enum inbound_class)i),
				    json_integer(st.classes[i]));
		j = json_pack("{s:i,s:i,s:i,s:o}", "read", st.read,
		    "duplicates", st.duplicates, "quarantined", st.quarantined,
		    "classes", c);
		out_json(ctx, j);
		return 0;
	}
	fprintf(ctx->out, "read %d", st.read);
	for (i = 0, k = 0; i < sizeof st.classes / sizeof st.classes[0]; i++)
		if (st.classes[i] > 0)
			fprintf(ctx->out, "%s%d %s", k++ == 0 ? " (" : ", ",
			    st.classes[i],
			    inbound_class_name((enum inbound_class)i));
	if (k > 0)
		fputc(')', ctx->out);
	if (st.duplicates > 0)
		fprintf(ctx->out, "; %d read before", st.duplicates);
	if (st.quarantined > 0)
		fprintf(ctx->out, "; %d quarantined", st.quarantined);
	fputc('\n', ctx->out);
	return 0;
}
