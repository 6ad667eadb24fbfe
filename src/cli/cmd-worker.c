/*
 * tend worker: the loop that runs tend unattended (sequences, inquiries,
 * the mailbox, the outbox) until SIGTERM or SIGINT, which finish the
 * message in hand and exit cleanly.  tend tick: one round of it, for
 * cron.  Both send the outbox when smtp.url is set.
 *
 * tick --json prints {"fired", "completed", "ended", "escalated",
 * "fetched", "fetch_error", "sent", "deferred", "failed", "cancelled"}.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/inbound.h"
#include "app/mail.h"
#include "app/worker.h"
#include "cli/common.h"
#include "cli/output.h"
#include "mail/compose.h"
#include "mail/plugin.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/config.h"

static int	cmd_tick_exec(struct cmd_ctx *, struct args *);
static int	cmd_worker_exec(struct cmd_ctx *, struct args *);

const struct cmd_entry cmd_tick_entry = {
	.name = "tick",
	.usage = "[--json]",
	.summary = "Run one round of the worker (for cron).",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_tick_exec
};

const struct cmd_entry cmd_worker_entry = {
	.name = "worker",
	.usage = "[--json]",
	.summary = "Run sequences, mail in and mail out until stopped.",
	.opts = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_worker_exec
};

static volatile sig_atomic_t worker_stop;

static void
worker_signal(int sig)
{
	(void)sig;
	worker_stop = 1;
}

static void
worker_note(const char *msg)
{
	fprintf(stderr, "tend: reading the mailbox: %s\n", msg);
}

static int
worker_exec(struct cmd_ctx *ctx, int once)
{
	struct mail_settings	 ms;
	struct inbound_settings	 is;
	struct worker_opts	 o;
	struct worker_stats	 st;
	struct sigaction	 sa;
	const char		*env;
	json_t			*j;
	int			 rc, send;

	send = config_get(ctx->config, "smtp.url") != NULL;
	if ((rc = mail_settings_load(ctx->config, ctx->tz, send, ctx->arena,
	    &ms, &ctx->err)) != 0 ||
	    (rc = inbound_settings_load(ctx->config, &ms, 1, ctx->arena, &is,
	    &ctx->err)) != 0)
		return rc;
	/* the worker's pieces take their own transactions */
	store_rollback(ctx->store);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = worker_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	memset(&o, 0, sizeof o);
	o.db_path = ctx->db_path;
	o.qdir = cli_quarantine_dir(ctx);
	o.ms = &ms;
	o.is = &is;
	o.once = once;
	o.send = send;
	env = getenv("TEND_NOW");
	o.now = env != NULL && *env != '\0' ? ctx->now : 0;
	o.stop = &worker_stop;
	o.note = once ? NULL : worker_note;
	compose_init();
	rc = worker_run(&o, &st, &ctx->err);
	compose_shutdown();
	if (mail_plugin_loaded() != NULL)
		mail_plugin_loaded()->smtp_global_cleanup();
	if (rc != 0)
		return rc;
	if (ctx->json) {
		j = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "fired",
		    st.fired, "completed", st.completed, "ended", st.ended,
		    "escalated", st.escalated,
		    "fetched", st.fetch.read, "sent", st.mail.sent, "deferred",
		    st.mail.deferred, "failed", st.mail.failed, "cancelled",
		    st.mail.cancelled);
		json_object_set_new(j, "fetch_error", st.fetch_error[0] ?
		    out_jstr(st.fetch_error) : json_null());
		out_json(ctx, j);
		return once && st.fetch_error[0] != '\0' ? err_set(&ctx->err,
		    TEND_EMAIL_TEMP, "reading the mailbox: %s",
		    st.fetch_error) : 0;
	}
	fprintf(ctx->out, "%s%d step%s fired, %d sequence%s completed, %d "
	    "ended, %d inquir%s escalated, %d message%s read, %d sent\n",
	    once ? "" : "stopped: ", st.fired, st.fired == 1 ? "" : "s",
	    st.completed, st.completed == 1 ? "" : "s", st.ended,
	    st.escalated,
	    st.escalated == 1 ? "y" : "ies", st.fetch.read,
	    st.fetch.read == 1 ? "" : "s", st.mail.sent);
	/* the rest of the round was done; the failed poll is the error */
	if (once && st.fetch_error[0] != '\0')
		return err_set(&ctx->err, TEND_EMAIL_TEMP, "reading the "
		    "mailbox: %s", st.fetch_error);
	return 0;
}

static int
cmd_tick_exec(struct cmd_ctx *ctx, struct args *args)
{
	(void)args;
	return worker_exec(ctx, 1);
}

static int
cmd_worker_exec(struct cmd_ctx *ctx, struct args *args)
{
	(void)args;
	return worker_exec(ctx, 0);
}
