/*
 * Send what the outbox holds, over SMTP, with mail.connections senders.
 * --once drains what is due now and exits (cron, tests); without it tend
 * send keeps watching the outbox until interrupted, as the daemon does.
 *
 * --json prints {"sent", "deferred", "failed", "cancelled", "lost",
 * "waiting", "next_attempt"}.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "app/mail.h"
#include "app/mailer.h"
#include "cli/common.h"
#include "cli/output.h"
#include "mail/compose.h"
#include "mail/plugin.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_send_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_send_opts[] = {
	{ "once", 0, 0, "send what is due now, then exit" },
	CMD_OPT_END
};

const struct cmd_entry cmd_send_entry = {
	.name = "send",
	.usage = "[--once]",
	.summary = "Send the queued messages over SMTP.",
	.opts = cmd_send_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_send_exec
};

static volatile sig_atomic_t send_stop;

static void
send_signal(int sig)
{
	(void)sig;
	send_stop = 1;
}

static int
cmd_send_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct mail_settings	 ms;
	struct mailer_opts	 o;
	struct mailer_stats	 st;
	struct sigaction	 sa;
	int64_t			 waiting = 0, next = 0;
	const char		*env;
	json_t			*j;
	int			 rc;

	if ((rc = mail_settings_load(ctx->config, ctx->tz, 1, ctx->arena, &ms,
	    &ctx->err)) != 0)
		return rc;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = send_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	memset(&o, 0, sizeof o);
	o.db_path = ctx->db_path;
	o.ms = &ms;
	o.once = args_has(args, "once");
	/* tests fix the clock; a real run follows it as it moves */
	env = getenv("TEND_NOW");
	o.now = env != NULL && *env != '\0' ? ctx->now : 0;
	o.stop = &send_stop;
	compose_init();
	rc = mailer_run(&o, &st, &ctx->err);
	compose_shutdown();
	if (mail_plugin_loaded() != NULL)
		mail_plugin_loaded()->smtp_global_cleanup();
	if (rc != 0)
		return rc;
	if ((rc = store_outbox_pending(ctx->store, &waiting, &next,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		j = json_pack("{s:i,s:i,s:i,s:i,s:i,s:I}", "sent", st.sent,
		    "deferred", st.deferred, "failed", st.failed, "cancelled",
		    st.cancelled, "lost", st.lost, "waiting",
		    (json_int_t)waiting);
		json_object_set_new(j, "next_attempt", out_jtime(ctx,
		    waiting > 0 ? next : 0));
		out_json(ctx, j);
		return 0;
	}
	fprintf(ctx->out, "sent %d, deferred %d, failed %d, cancelled %d",
	    st.sent, st.deferred, st.failed, st.cancelled);
	if (st.lost > 0)
		fprintf(ctx->out, ", %d taken over by another sender", st.lost);
	if (waiting > 0)
		fprintf(ctx->out, "; %lld waiting, next at %s",
		    (long long)waiting, out_date(ctx, next));
	fputc('\n', ctx->out);
	return 0;
}
