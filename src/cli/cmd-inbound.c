/*
 * Read one message on standard input, the way an MTA pipe, procmail or
 * fetchmail hands it over: classify it, record it once, act on it.  When
 * it cannot be stored now (a busy database, a full disk) tend exits 75 so
 * that the MTA tries again; bytes that are not a message are kept whole
 * in the quarantine folder beside the database.  No message is lost.
 *
 * --dry-run --json prints {"class", "contact", "why"} and writes
 * nothing.  --list shows the messages read last, --show ID one of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/inbound.h"
#include "app/mail.h"
#include "cli/common.h"
#include "cli/output.h"
#include "mail/compose.h"
#include "mail/plugin.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/xmalloc.h"

/* A message over this is refused (65): the MTA returns it to its sender. */
#define INBOUND_READ_MAX	((size_t)4 * INBOUND_MAX_BYTES)

static int	cmd_inbound_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_inbound_opts[] = {
	{ "dry-run", 'n', 0, "classify and say why, record nothing" },
	{ "list", 0, 0, "the messages read last" },
	{ "queue", 'q', 0, "only keep the message, for tend worker to read" },
	{ "show", 0, 1, "one message read, whole" },
	{ "source", 0, 1, "where it came from (default: stdin)" },
	CMD_OPT_END
};

const struct cmd_entry cmd_inbound_entry = {
	.name = "inbound",
	.usage = "[--dry-run | --queue] [--source NAME] < MESSAGE | --list | "
	    "--show ID",
	.summary = "Read a message on standard input (an MTA's pipe).",
	.opts = cmd_inbound_opts,
	.min_args = 0,
	.max_args = 0,
	/* not CMD_WRITES: the write lock is taken once the message is read
	   and parsed, so that a burst of deliveries do not queue behind
	   each other's reading and parsing */
	.flags = CMD_NEEDS_DB | CMD_TEMPFAIL,
	.exec = cmd_inbound_exec
};

/* All of standard input, up to max bytes (TEND_EINVAL past it). */
static int
inbound_slurp(char **out, size_t *len, size_t max, struct err *e)
{
	char	*buf = NULL;
	size_t	 cap = 0, n = 0;
	ssize_t	 r;

	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 256 * 1024;
			if (cap > max + 65536 + 1)
				cap = max + 65536 + 1;
			buf = xrealloc(buf, cap);
		}
		r = read(STDIN_FILENO, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return err_set(e, TEND_EIO, "cannot read the message: "
			    "%s", strerror(errno));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(buf);
			return err_set(e, TEND_EINVAL, "the message is over "
			    "%zu MB", max / (1024 * 1024));
		}
	}
	if (buf == NULL)
		buf = xmalloc(1);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int
inbound_list(struct cmd_ctx *ctx)
{
	struct store_inbound	*v;
	struct table		*t;
	json_t			*arr, *o;
	size_t			 n, i;
	int			 rc;

	if ((rc = store_inbound_list(ctx->store, ctx->arena, 50, &v, &n,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		arr = json_array();
		for (i = 0; i < n; i++) {
			o = json_object();
			json_object_set_new(o, "id", json_integer(v[i].id));
			json_object_set_new(o, "received", out_jtime(ctx,
			    v[i].received));
			json_object_set_new(o, "source", out_jstr(v[i].source));
			json_object_set_new(o, "class", out_jstr(v[i].cls));
			json_object_set_new(o, "contact", v[i].contact_id ?
			    out_jref(v[i].contact_id, v[i].contact_name) :
			    json_null());
			json_object_set_new(o, "from", out_jstr(v[i].from_addr));
			json_object_set_new(o, "subject",
			    out_jstr(v[i].subject));
			json_object_set_new(o, "why", out_jstr(v[i].why));
			json_object_set_new(o, "effect", out_jstr(v[i].effect));
			json_array_append_new(arr, o);
		}
		out_json(ctx, arr);
		return 0;
	}
	if (n == 0) {
		fprintf(ctx->out, "no mail read yet\n");
		return 0;
	}
	t = table_new(ctx, 5);
	table_cell(t, "ID");
	table_cell(t, "RECEIVED");
	table_cell(t, "CLASS");
	table_cell(t, "FROM");
	table_cell(t, "SUBJECT");
	for (i = 0; i < n; i++) {
		table_cellf(t, "%lld", (long long)v[i].id);
		table_cell(t, out_date(ctx, v[i].received));
		table_cell(t, v[i].cls);
		table_cell(t, v[i].contact_name != NULL ? v[i].contact_name :
		    v[i].from_addr != NULL ? v[i].from_addr : "-");
		table_cell(t, out_trunc(ctx->arena, v[i].subject != NULL ?
		    v[i].subject : "", 40));
	}
	table_print(t, ctx->out);
	return 0;
}

static int
inbound_show(struct cmd_ctx *ctx, const char *ref)
{
	struct store_inbound	*m;
	char			*data;
	size_t			 len;
	int64_t			 id;
	json_t			*o;
	int			 rc;

	if ((rc = cli_id(ctx, "message", ref, &id)) != 0)
		return rc;
	if ((rc = store_inbound_get(ctx->store, ctx->arena, id, &m, &data,
	    &len, &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		o = json_object();
		json_object_set_new(o, "id", json_integer(m->id));
		json_object_set_new(o, "received", out_jtime(ctx, m->received));
		json_object_set_new(o, "source", out_jstr(m->source));
		json_object_set_new(o, "class", out_jstr(m->cls));
		json_object_set_new(o, "contact", m->contact_id ?
		    out_jref(m->contact_id, m->contact_name) : json_null());
		json_object_set_new(o, "from", out_jstr(m->from_addr));
		json_object_set_new(o, "subject", out_jstr(m->subject));
		json_object_set_new(o, "why", out_jstr(m->why));
		json_object_set_new(o, "effect", out_jstr(m->effect));
		json_object_set_new(o, "message", json_stringn_nocheck(data,
		    len));
		out_json(ctx, o);
		return 0;
	}
	fprintf(ctx->out, "class:  %s\nwhy:    %s\neffect: %s\n\n", m->cls,
	    m->why, m->effect != NULL ? m->effect : "none");
	fwrite(data, 1, len, ctx->out);
	return 0;
}

static void
inbound_print(struct cmd_ctx *ctx, const struct inbound_result *r,
    const char *quarantined)
{
	json_t	*o;

	if (ctx->json) {
		o = json_object();
		json_object_set_new(o, "class", out_jstr(quarantined != NULL ?
		    "quarantined" : inbound_class_name(r->cls)));
		json_object_set_new(o, "contact", r->contact_id != 0 ?
		    out_jref(r->contact_id, r->contact_name) : json_null());
		json_object_set_new(o, "why", out_jstr(r->why));
		if (r->back_on != 0)
			json_object_set_new(o, "back_on", out_jtime(ctx,
			    r->back_on));
		if (!ctx->discard) {
			json_object_set_new(o, "id", r->id != 0 ?
			    json_integer(r->id) : json_null());
			json_object_set_new(o, "duplicate",
			    json_boolean(r->duplicate));
			json_object_set_new(o, "effect", out_jstr(r->effect));
			if (quarantined != NULL)
				json_object_set_new(o, "path",
				    out_jstr(quarantined));
		}
		out_json(ctx, o);
		return;
	}
	if (quarantined != NULL) {
		fprintf(ctx->out, "quarantined: %s\n  %s\n", r->why,
		    quarantined);
		return;
	}
	if (r->duplicate) {
		fprintf(ctx->out, "already read (message %lld): nothing done\n",
		    (long long)r->id);
		return;
	}
	fprintf(ctx->out, "%s", inbound_class_name(r->cls));
	if (r->contact_name != NULL)
		fprintf(ctx->out, " from %s", r->contact_name);
	fprintf(ctx->out, ": %s\n", r->why);
	if (!ctx->discard && r->effect != NULL)
		fprintf(ctx->out, "  %s\n", r->effect);
}

/*
 * --queue: keep the bytes in the spool in one short transaction, without
 * loading the mail plugin or parsing: what a busy MTA pipe wants.  The
 * worker (woken by the commit) or the next tend tick reads it.
 */
static int
inbound_queue(struct cmd_ctx *ctx, struct args *args, const char *source)
{
	char	*raw = NULL;
	size_t	 len = 0;
	int64_t	 id;
	int	 rc;

	if (args_has(args, "dry-run"))
		return err_set(&ctx->err, TEND_EUSAGE, "--queue and --dry-run "
		    "do not go together");
	rc = inbound_slurp(&raw, &len, INBOUND_READ_MAX, &ctx->err);
	if (rc == TEND_EINVAL)
		ctx->tempfail = 0;	/* too big ever to take: say so */
	if (rc != 0)
		return rc;
	if ((rc = store_begin(ctx->store, &ctx->err)) == 0) {
		rc = store_spool_add(ctx->store, ctx->now, source, raw, len,
		    &id, &ctx->err);
		if (rc == 0)
			rc = store_commit(ctx->store, &ctx->err);
		else
			store_rollback(ctx->store);
	}
	free(raw);
	if (rc != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, json_pack("{s:I}", "queued", (json_int_t)id));
	else
		fprintf(ctx->out, "queued (%lld): tend worker reads it\n",
		    (long long)id);
	return 0;
}

static int
cmd_inbound_exec(struct cmd_ctx *ctx, struct args *args)
{
	const struct mail_plugin	*p = NULL;
	struct mail_settings		 ms;
	struct inbound_settings		 is;
	struct inbound_result		 r;
	struct inbound_msg		*m = NULL;
	struct err			 perr;
	const char			*source, *qpath = NULL;
	char				*raw = NULL, *path;
	size_t				 len = 0;
	int				 rc, dry = args_has(args, "dry-run");

	if (args_has(args, "list") || args_has(args, "show")) {
		ctx->tempfail = 0;
		if (dry || args_has(args, "source") || (args_has(args, "list") &&
		    args_has(args, "show")))
			return err_set(&ctx->err, TEND_EUSAGE, "usage: tend "
			    "inbound %s", cmd_inbound_entry.usage);
		return args_has(args, "list") ? inbound_list(ctx) :
		    inbound_show(ctx, args_get(args, "show"));
	}
	/* end the dispatcher's read snapshot: this command takes its own */
	store_rollback(ctx->store);
	source = args_get(args, "source");
	if (source == NULL)
		source = "stdin";
	if (strlen(source) > 40 || strspn(source, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789-_.") != strlen(source) || *source == '\0')
		return err_set(&ctx->err, TEND_EUSAGE, "--source wants a short "
		    "name (letters, digits, '-'), not '%s'", source);
	if (args_has(args, "queue"))
		return inbound_queue(ctx, args, source);
	if (dry) {
		/* a dry run answers at once: nothing to retry */
		ctx->tempfail = 0;
		ctx->discard = 1;
	}
	if ((rc = mail_settings_load(ctx->config, ctx->tz, 0, ctx->arena, &ms,
	    &ctx->err)) != 0)
		return rc;
	if ((rc = inbound_settings_load(ctx->config, &ms, 0, ctx->arena, &is,
	    &ctx->err)) != 0)
		return rc;
	rc = inbound_slurp(&raw, &len, INBOUND_READ_MAX, &ctx->err);
	if (rc == TEND_EINVAL)
		ctx->tempfail = 0;	/* too big ever to take: say so */
	if (rc != 0)
		return rc;
	compose_init();
	if ((p = mail_plugin_get(&ctx->err)) == NULL) {
		rc = TEND_EIO;
		goto out;
	}
	memset(&perr, 0, sizeof perr);
	memset(&r, 0, sizeof r);
	if (len > INBOUND_MAX_BYTES)
		rc = err_set(&perr, TEND_EINVAL, "not a mail message: over "
		    "%d MB", INBOUND_MAX_BYTES / (1024 * 1024));
	else
		rc = p->mime_parse(raw, len, &m, &perr);
	if (rc != 0) {
		r.why = perr.msg;
		if (!dry) {
			if ((rc = inbound_quarantine(cli_quarantine_dir(ctx), raw,
			    len, ctx->now, ctx->arena, &path,
			    &ctx->err)) != 0)
				goto out;
			qpath = path;
		}
		r.cls = INBOUND_OTHER;
		inbound_print(ctx, &r, qpath);
		if (qpath != NULL)
			fprintf(stderr, "tend: message quarantined in %s: %s\n",
			    qpath, perr.msg);
		rc = 0;
		goto out;
	}
	/* one transaction: the write lock for the store's work only */
	if ((rc = dry ? store_begin_read(ctx->store, &ctx->err) :
	    store_begin(ctx->store, &ctx->err)) != 0)
		goto out;
	rc = inbound_read(ctx->store, &ms, &is, raw, len, m, source, dry,
	    ctx->now, ctx->arena, &r, &ctx->err);
	if (rc == 0 && !dry)
		rc = store_commit(ctx->store, &ctx->err);
	else
		store_rollback(ctx->store);
	if (rc != 0)
		goto out;
	inbound_print(ctx, &r, NULL);
out:
	if (m != NULL)
		p->mime_msg_free(m);
	free(raw);
	compose_shutdown();
	return rc;
}
