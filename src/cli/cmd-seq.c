/*
 * Sequences: add one from a file, edit it ($EDITOR on its canonical
 * text, or a file), list, show, pause, resume and remove them, and run
 * the steps that are due now (what tend tick and tend worker do too).
 *
 * --json: show, add and edit print {"name", "description", "window",
 * "exit", "same_domain", "repeat", "every", "steps": [{"kind", "template"
 * or "task" or "days", "after"}], "paused", "active", "enrolled",
 * "created", "updated", "text"}; list an array of {"name",
 * "description", "steps", "paused", "active", "enrolled", "created",
 * "updated"}; run {"emails", "tasks", "waits", "moved", "released",
 * "completed", "ended", "errors", "error"}.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/mail.h"
#include "app/sequencer.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/sequence.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_seq_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_seq_opts[] = {
	{ "force", 0, 0, "rm: end the active enrollments first" },
	CMD_OPT_END
};

const struct cmd_entry cmd_seq_entry = {
	.name = "seq",
	.usage = "add FILE | edit NAME [FILE] | list | show NAME | "
	    "pause NAME | resume NAME | rm NAME [--force] | run",
	.summary = "Define, show, pause and run follow-up sequences.",
	.opts = cmd_seq_opts,
	.min_args = 0,
	.max_args = 3,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_seq_exec
};

/* Read a whole sequence file (or stdin for "-"). */
static int
seq_file(struct cmd_ctx *ctx, const char *path, char **out)
{
	FILE	*f;
	char	*buf;
	size_t	 n;
	int	 rc;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL)
		return err_set(&ctx->err, TEND_EINVAL, "cannot open '%s': %s",
		    path, strerror(errno));
	buf = arena_alloc(ctx->arena, SEQUENCE_TEXT_MAX + 2);
	n = fread(buf, 1, SEQUENCE_TEXT_MAX + 1, f);
	rc = ferror(f);
	if (f != stdin)
		fclose(f);
	if (rc != 0)
		return err_set(&ctx->err, TEND_EINVAL, "cannot read '%s'",
		    path);
	if (n > SEQUENCE_TEXT_MAX)
		return err_set(&ctx->err, TEND_EINVAL, "'%s' is larger than %d "
		    "KiB", path, SEQUENCE_TEXT_MAX / 1024);
	buf[n] = '\0';
	if (strlen(buf) != n)
		return err_set(&ctx->err, TEND_EINVAL, "'%s' holds a NUL byte",
		    path);
	*out = buf;
	return 0;
}

static json_t *
seq_step_json(const struct sequence_step *st)
{
	json_t	*o;

	o = json_object();
	switch (st->kind) {
	case SEQUENCE_EMAIL:
		json_object_set_new(o, "kind", json_string("email"));
		json_object_set_new(o, "template", json_string(st->text));
		json_object_set_new(o, "after", json_integer(st->days));
		break;
	case SEQUENCE_TASK:
		json_object_set_new(o, "kind", json_string("task"));
		json_object_set_new(o, "task", json_string(st->text));
		json_object_set_new(o, "after", json_integer(st->days));
		break;
	case SEQUENCE_WAIT:
		json_object_set_new(o, "kind", json_string("wait"));
		json_object_set_new(o, "days", json_integer(st->days));
		break;
	}
	return o;
}

static json_t *
seq_json(struct cmd_ctx *ctx, const struct sequence *q,
    const struct store_sequence *row)
{
	static const char *const rules[] = { "reply", "bounce",
	    "unsubscribe", "do-not-contact", "stage", "booked" };
	char	 buf[CADENCE_RRULE_MAX + BLOCK_BUFSZ];
	json_t	*o, *a;
	size_t	 i;

	o = json_object();
	json_object_set_new(o, "name", json_string(q->name));
	json_object_set_new(o, "description", q->description[0] != '\0' ?
	    json_string(q->description) : json_null());
	json_object_set_new(o, "window", json_string(block_format(&q->window,
	    buf, sizeof buf)));
	a = json_array();
	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (q->exits & sequence_exit_rule(rules[i]))
			json_array_append_new(a, json_string(rules[i]));
	json_object_set_new(o, "exit", a);
	json_object_set_new(o, "same_domain", json_boolean(q->same_domain));
	json_object_set_new(o, "repeat", json_integer(q->repeat));
	json_object_set_new(o, "every", q->repeat > 0 ?
	    json_string(cadence_format(&q->every, buf, sizeof buf)) :
	    json_null());
	a = json_array();
	for (i = 0; i < q->nsteps; i++)
		json_array_append_new(a, seq_step_json(&q->steps[i]));
	json_object_set_new(o, "steps", a);
	json_object_set_new(o, "paused", json_boolean(row->paused));
	json_object_set_new(o, "active", json_integer(row->active));
	json_object_set_new(o, "enrolled", json_integer(row->enrolled));
	json_object_set_new(o, "created", out_jtime(ctx, row->created));
	json_object_set_new(o, "updated", out_jtime(ctx, row->updated));
	json_object_set_new(o, "text", json_string(row->source));
	return o;
}

/* Print sequence name as stored now (after a change). */
static int
seq_print(struct cmd_ctx *ctx, const char *name, const char *verb)
{
	struct store_sequence	*row;
	struct sequence		*q;
	int			 rc;

	if ((rc = store_sequence_get(ctx->store, ctx->arena, name, &row,
	    &ctx->err)) != 0 ||
	    (rc = sequencer_read(row->source, ctx->arena, &q,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, seq_json(ctx, q, row));
	else if (verb == NULL)
		fputs(row->source, ctx->out);
	else
		fprintf(ctx->out, "%s sequence '%s' (%zu step%s)\n", verb,
		    q->name, q->nsteps, q->nsteps == 1 ? "" : "s");
	return 0;
}

static int
seq_add(struct cmd_ctx *ctx, struct args *args)
{
	struct sequence	*q;
	char		*text;
	int		 rc;

	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend seq add "
		    "FILE");
	if ((rc = seq_file(ctx, args->pos[1], &text)) != 0 ||
	    (rc = sequencer_add(ctx->store, text, ctx->now, ctx->arena, &q,
	    &ctx->err)) != 0)
		return rc;
	return seq_print(ctx, q->name, "added");
}

/* Run $VISUAL or $EDITOR on text; the edited text in *out. */
static int
seq_editor(struct cmd_ctx *ctx, const char *name, const char *text,
    char **out)
{
	const char	*editor;
	char		 path[] = "/tmp/tend-seq-XXXXXX";
	char		*cmd;
	FILE		*f;
	int		 fd, rc, status;

	editor = getenv("VISUAL");
	if (editor == NULL || *editor == '\0')
		editor = getenv("EDITOR");
	if (editor == NULL || *editor == '\0')
		return err_set(&ctx->err, TEND_EUSAGE, "seq edit: set EDITOR, "
		    "or give the new text as a file");
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		return err_set(&ctx->err, TEND_EIO, "cannot make a temporary "
		    "file: %s", strerror(errno));
	}
	fputs(text, f);
	if (fclose(f) != 0) {
		unlink(path);
		return err_set(&ctx->err, TEND_EIO, "cannot write '%s'", path);
	}
	/* the shell splits EDITOR as git does: "code --wait" works */
	cmd = arena_printf(ctx->arena, "%s \"$1\"", editor);
	fflush(NULL);
	switch (fork()) {
	case -1:
		unlink(path);
		return err_set(&ctx->err, TEND_EIO, "cannot start the editor");
	case 0:
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	if (wait(&status) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		unlink(path);
		return err_set(&ctx->err, TEND_EIO, "the editor failed; "
		    "sequence '%s' unchanged", name);
	}
	rc = seq_file(ctx, path, out);
	unlink(path);
	return rc;
}

static int
seq_edit(struct cmd_ctx *ctx, struct args *args)
{
	struct store_sequence	*row;
	struct sequence		*q;
	char			*text;
	int			 rc, moved;

	if (args->npos != 2 && args->npos != 3)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend seq edit "
		    "NAME [FILE]");
	if ((rc = store_sequence_get(ctx->store, ctx->arena, args->pos[1],
	    &row, &ctx->err)) != 0)
		return rc;
	if (args->npos == 3)
		rc = seq_file(ctx, args->pos[2], &text);
	else
		rc = seq_editor(ctx, row->name, row->source, &text);
	if (rc != 0)
		return rc;
	if ((rc = sequencer_edit(ctx->store, ctx->tz, row->name, text,
	    ctx->now, ctx->arena, &q, &moved, &ctx->err)) != 0) {
		if (rc == TEND_EINVAL)
			err_prefix(&ctx->err, rc, "sequence '%s' unchanged",
			    row->name);
		return rc;
	}
	if (ctx->json)
		return seq_print(ctx, q->name, NULL);
	fprintf(ctx->out, "saved sequence '%s' (%zu step%s)", q->name,
	    q->nsteps, q->nsteps == 1 ? "" : "s");
	if (moved > 0)
		fprintf(ctx->out, "; %d active enrollment%s go%s on from "
		    "%s next step", moved, moved == 1 ? "" : "s",
		    moved == 1 ? "es" : "", moved == 1 ? "its" : "their");
	fputc('\n', ctx->out);
	return 0;
}

static int
seq_list(struct cmd_ctx *ctx, struct args *args)
{
	struct store_sequence	*v;
	struct sequence		*q;
	struct table		*tb;
	json_t			*a, *o;
	size_t			 n, i;
	int			 rc;

	if (args->npos > 1)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend seq list");
	if ((rc = store_sequence_list(ctx->store, ctx->arena, &v, &n,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		a = json_array();
		for (i = 0; i < n; i++) {
			if ((rc = sequencer_read(v[i].source, ctx->arena, &q,
			    &ctx->err)) != 0) {
				json_decref(a);
				return rc;
			}
			o = json_object();
			json_object_set_new(o, "name", json_string(v[i].name));
			json_object_set_new(o, "description",
			    q->description[0] != '\0' ?
			    json_string(q->description) : json_null());
			json_object_set_new(o, "steps",
			    json_integer((json_int_t)q->nsteps));
			json_object_set_new(o, "paused",
			    json_boolean(v[i].paused));
			json_object_set_new(o, "active",
			    json_integer(v[i].active));
			json_object_set_new(o, "enrolled",
			    json_integer(v[i].enrolled));
			json_object_set_new(o, "created", out_jtime(ctx,
			    v[i].created));
			json_object_set_new(o, "updated", out_jtime(ctx,
			    v[i].updated));
			json_array_append_new(a, o);
		}
		out_json(ctx, a);
		return 0;
	}
	if (n == 0) {
		fprintf(ctx->out, "no sequences; add one with 'tend seq add "
		    "FILE'\n");
		return 0;
	}
	tb = table_new(ctx, 5);
	table_cell(tb, "NAME");
	table_cell(tb, "STEPS");
	table_cell(tb, "ACTIVE");
	table_cell(tb, "STATE");
	table_cell(tb, "DESCRIPTION");
	for (i = 0; i < n; i++) {
		if ((rc = sequencer_read(v[i].source, ctx->arena, &q,
		    &ctx->err)) != 0)
			return rc;
		table_cell(tb, v[i].name);
		table_cellf(tb, "%zu", q->nsteps);
		table_cellf(tb, "%lld", (long long)v[i].active);
		table_cell(tb, v[i].paused ? "paused" : "running");
		table_cell(tb, out_trunc(ctx->arena, q->description, 50));
	}
	table_print(tb, ctx->out);
	return 0;
}

static int
seq_show(struct cmd_ctx *ctx, struct args *args)
{
	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend seq show "
		    "NAME");
	return seq_print(ctx, args->pos[1], NULL);
}

static int
seq_pause_resume(struct cmd_ctx *ctx, struct args *args, int paused)
{
	struct store_sequence	*row;
	int			 rc, changed;

	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend seq %s "
		    "NAME", paused ? "pause" : "resume");
	if ((rc = sequencer_pause(ctx->store, args->pos[1], paused, ctx->now,
	    &changed, &ctx->err)) != 0 ||
	    (rc = store_sequence_get(ctx->store, ctx->arena, args->pos[1],
	    &row, &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, json_pack("{s:s,s:b,s:b}", "name", row->name,
		    "paused", paused, "changed", changed));
	else if (!changed)
		fprintf(ctx->out, "sequence '%s' was already %s\n", row->name,
		    paused ? "paused" : "running");
	else if (paused)
		fprintf(ctx->out, "paused sequence '%s': no step fires until "
		    "'tend seq resume %s'\n", row->name, row->name);
	else
		fprintf(ctx->out, "resumed sequence '%s': steps due while it "
		    "was paused fire now, one at a time\n", row->name);
	return 0;
}

static int
seq_pause(struct cmd_ctx *ctx, struct args *args)
{
	return seq_pause_resume(ctx, args, 1);
}

static int
seq_resume(struct cmd_ctx *ctx, struct args *args)
{
	return seq_pause_resume(ctx, args, 0);
}

static int
seq_rm(struct cmd_ctx *ctx, struct args *args)
{
	struct store_sequence	*row;
	int			 rc, ended;

	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend seq rm "
		    "NAME [--force]");
	if ((rc = store_sequence_get(ctx->store, ctx->arena, args->pos[1],
	    &row, &ctx->err)) != 0 ||
	    (rc = sequencer_rm(ctx->store, row->name, args_has(args, "force"),
	    ctx->now, &ended, &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, json_pack("{s:s,s:i}", "removed", row->name,
		    "ended", ended));
	else if (ended > 0)
		fprintf(ctx->out, "removed sequence '%s'; ended %d "
		    "enrollment%s\n", row->name, ended, ended == 1 ? "" : "s");
	else
		fprintf(ctx->out, "removed sequence '%s'\n", row->name);
	return 0;
}

static int
seq_run(struct cmd_ctx *ctx, struct args *args)
{
	struct mail_settings	 ms;
	struct sequencer_stats	 st;
	json_t			*j;
	int			 rc;

	if (args->npos != 1)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend seq run");
	if ((rc = mail_settings_load(ctx->config, ctx->tz, 0, ctx->arena, &ms,
	    &ctx->err)) != 0)
		return rc;
	/* each step is its own transaction: give the dispatcher's back */
	store_rollback(ctx->store);
	rc = sequencer_tick(ctx->store, &ms, ctx->now, &st, &ctx->err);
	if (store_begin_read(ctx->store, rc == 0 ? &ctx->err : NULL) != 0 &&
	    rc == 0)
		return TEND_EIO;
	if (rc != 0)
		return rc;
	if (ctx->json) {
		j = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "emails",
		    st.emails, "tasks", st.tasks, "waits", st.waits, "moved",
		    st.moved, "released", st.released, "completed",
		    st.completed, "ended", st.ended, "errors", st.errors);
		json_object_set_new(j, "error", st.errors > 0 ?
		    json_string(st.first.msg) : json_null());
		out_json(ctx, j);
	} else {
		fprintf(ctx->out, "queued %d e-mail%s, gave you %d task%s, "
		    "passed %d wait%s", st.emails, st.emails == 1 ? "" : "s",
		    st.tasks, st.tasks == 1 ? "" : "s", st.waits,
		    st.waits == 1 ? "" : "s");
		if (st.moved > 0)
			fprintf(ctx->out, "; %d moved to %s send window",
			    st.moved, st.moved == 1 ? "its" : "their");
		if (st.released > 0)
			fprintf(ctx->out, "; %d task%s done", st.released,
			    st.released == 1 ? "" : "s");
		if (st.completed > 0)
			fprintf(ctx->out, "; %d completed", st.completed);
		if (st.ended > 0)
			fprintf(ctx->out, "; %d ended (see 'tend enrollments "
			    "--all')", st.ended);
		fputc('\n', ctx->out);
	}
	if (st.errors > 0) {
		/* the steps that went are committed; say what did not */
		ctx->err = st.first;
		if (st.errors > 1)
			err_prefix(&ctx->err, st.first.code, "%d steps could "
			    "not fire; the first", st.errors);
		return st.first.code;
	}
	return 0;
}

static int
cmd_seq_exec(struct cmd_ctx *ctx, struct args *args)
{
	static const struct {
		const char	*name;
		int		 force;	/* takes --force */
		int		(*fn)(struct cmd_ctx *, struct args *);
	} subs[] = {
		{ "add", 0, seq_add },
		{ "edit", 0, seq_edit },
		{ "list", 0, seq_list },
		{ "pause", 0, seq_pause },
		{ "resume", 0, seq_resume },
		{ "rm", 1, seq_rm },
		{ "run", 0, seq_run },
		{ "show", 0, seq_show },
	};
	size_t	i, j;

	if (args->npos == 0)
		return seq_list(ctx, args);
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(subs[i].name, args->pos[0]) == 0)
			break;
	if (i == sizeof subs / sizeof subs[0])
		return err_set(&ctx->err, TEND_EUSAGE, "seq: unknown "
		    "subcommand '%.64s' (expected add, edit, list, show, "
		    "pause, resume, rm or run)", args->pos[0]);
	for (j = 0; j < args->n; j++)
		if (strcmp(args->names[j], "force") == 0 && !subs[i].force)
			return err_set(&ctx->err, TEND_EUSAGE, "seq %s: option "
			    "'--force' does not apply", subs[i].name);
	return subs[i].fn(ctx, args);
}
