/*
 * Templates: what to say, in mustache, merged with the contact, the deal
 * and the sender when a message is made (tend say, tend mail).  tend
 * ships starters; every template, starters too, can be edited.
 *
 * --json prints {"name", "subject", "body", "html", "starter", "created",
 * "updated"} (list: an array of them without the bodies).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/mail.h"
#include "cli/common.h"
#include "cli/output.h"
#include "core/outbox.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/text.h"

#define TEMPLATE_MAX	(256 * 1024)	/* a letter, not a book */
#define TEMPLATE_NAME_MAX 64

static int	cmd_template_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_template_opts[] = {
	{ "subject", 's', 1, "the subject line (mustache)" },
	{ "body", 'b', 1, "the text body (mustache)" },
	{ "body-file", 'f', 1, "read the text body from a file ('-': stdin)" },
	{ "html-file", 0, 1, "read an HTML body from a file ('' removes it)" },
	CMD_OPT_END
};

const struct cmd_entry cmd_template_entry = {
	.name = "template",
	.usage = "add NAME --subject S (--body TEXT | --body-file F) "
	    "[--html-file F] | list | show NAME | edit NAME [options] | "
	    "rm NAME",
	.summary = "Add, list, show, edit and remove message templates.",
	.opts = cmd_template_opts,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_template_exec
};

/* Read a whole file (or stdin for "-") of at most TEMPLATE_MAX bytes. */
static int
template_read(struct cmd_ctx *ctx, const char *what, const char *path,
    char **out)
{
	FILE	*f;
	char	*buf;
	size_t	 n;
	int	 rc;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL)
		return err_set(&ctx->err, TEND_EINVAL, "%s: cannot open "
		    "'%s': %s", what, path, strerror(errno));
	buf = arena_alloc(ctx->arena, TEMPLATE_MAX + 2);
	n = fread(buf, 1, TEMPLATE_MAX + 1, f);
	rc = ferror(f);
	if (f != stdin)
		fclose(f);
	if (rc != 0)
		return err_set(&ctx->err, TEND_EINVAL, "%s: cannot read '%s'",
		    what, path);
	if (n > TEMPLATE_MAX)
		return err_set(&ctx->err, TEND_EINVAL, "%s: '%s' is larger "
		    "than %d KiB", what, path, TEMPLATE_MAX / 1024);
	buf[n] = '\0';
	if (strlen(buf) != n)
		return err_set(&ctx->err, TEND_EINVAL, "%s: '%s' holds a NUL "
		    "byte", what, path);
	*out = buf;
	return 0;
}

/* Check a part's text: UTF-8, no control characters but tab/newline. */
static int
template_text(struct cmd_ctx *ctx, const char *what, char *v, int multiline)
{
	char	*p, *q;

	/* CRLF files are fine: keep LF, the mail is built with CRLF */
	for (p = q = v; *p != '\0'; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*q++ = *p;
	*q = '\0';
	return text_check(what, v, TEMPLATE_MAX, multiline, &ctx->err);
}

static int
template_name_check(struct cmd_ctx *ctx, const char *name)
{
	const char	*p;

	if (*name == '\0' || strlen(name) > TEMPLATE_NAME_MAX)
		return err_set(&ctx->err, TEND_EINVAL, "template name '%s' "
		    "must be 1 to %d characters", name, TEMPLATE_NAME_MAX);
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return err_set(&ctx->err, TEND_EINVAL, "template name "
			    "'%s': use letters, digits, '-', '_' and '.'",
			    name);
	return 0;
}

/* Apply --subject, --body, --body-file and --html-file to t. */
static int
template_apply(struct cmd_ctx *ctx, struct args *args, struct template *t)
{
	const char	*v;
	char		*text;
	int		 rc;

	if (args_has(args, "body") && args_has(args, "body-file"))
		return err_set(&ctx->err, TEND_EUSAGE, "template: --body and "
		    "--body-file exclude each other");
	if ((v = args_get(args, "subject")) != NULL) {
		t->subject = arena_strdup(ctx->arena, v);
		if ((rc = template_text(ctx, "subject", t->subject, 0)) != 0)
			return rc;
	}
	if ((v = args_get(args, "body")) != NULL)
		t->body = arena_strdup(ctx->arena, v);
	if ((v = args_get(args, "body-file")) != NULL) {
		if ((rc = template_read(ctx, "--body-file", v, &text)) != 0)
			return rc;
		t->body = text;
	}
	if (t->body != NULL && (rc = template_text(ctx, "body", t->body,
	    1)) != 0)
		return rc;
	if ((v = args_get(args, "html-file")) != NULL) {
		if (*v == '\0')
			t->html = NULL;
		else {
			if ((rc = template_read(ctx, "--html-file", v,
			    &text)) != 0)
				return rc;
			if ((rc = template_text(ctx, "html", text, 1)) != 0)
				return rc;
			t->html = text;
		}
	}
	return 0;
}

static json_t *
template_json(struct cmd_ctx *ctx, const struct template *t, int full)
{
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "name", out_jstr(t->name));
	json_object_set_new(o, "subject", out_jstr(t->subject));
	if (full) {
		json_object_set_new(o, "body", out_jstr(t->body));
		json_object_set_new(o, "html", out_jstr(t->html));
	}
	json_object_set_new(o, "starter", json_boolean(t->starter));
	json_object_set_new(o, "created", out_jtime(ctx, t->created));
	json_object_set_new(o, "updated", out_jtime(ctx, t->updated));
	return o;
}

static int
template_save(struct cmd_ctx *ctx, struct template *t, const char *verb)
{
	int	rc;

	if ((rc = mail_template_check(t, &ctx->err)) != 0)
		return err_prefix(&ctx->err, rc, "template '%s'", t->name);
	if ((rc = store_template_put(ctx->store, t, ctx->now,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, template_json(ctx, t, 1));
	else
		fprintf(ctx->out, "%s template '%s'\n", verb, t->name);
	return 0;
}

static int
template_add(struct cmd_ctx *ctx, struct args *args)
{
	struct template	 t;
	int		 rc;

	memset(&t, 0, sizeof t);
	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend template "
		    "add NAME --subject S (--body TEXT | --body-file F)");
	t.name = args->pos[1];
	if ((rc = template_name_check(ctx, t.name)) != 0)
		return rc;
	if ((rc = template_apply(ctx, args, &t)) != 0)
		return rc;
	if (t.subject == NULL || t.body == NULL)
		return err_set(&ctx->err, TEND_EUSAGE, "template add: give "
		    "--subject and --body or --body-file");
	return template_save(ctx, &t, "added");
}

/*
 * Edit in $EDITOR: the file holds "Subject: ..." on its first line, a
 * blank line, then the body, as a message would.
 */
static int
template_editor(struct cmd_ctx *ctx, struct template *t)
{
	const char	*editor;
	char		 path[] = "/tmp/tend-template-XXXXXX";
	char		*text, *nl, *cmd;
	FILE		*f;
	int		 fd, rc, status;

	editor = getenv("VISUAL");
	if (editor == NULL || *editor == '\0')
		editor = getenv("EDITOR");
	if (editor == NULL || *editor == '\0')
		return err_set(&ctx->err, TEND_EUSAGE, "template edit: set "
		    "EDITOR, or give --subject, --body or --body-file");
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return err_set(&ctx->err, TEND_EIO, "cannot make a temporary "
		    "file: %s", strerror(errno));
	fprintf(f, "Subject: %s\n\n%s", t->subject, t->body);
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
		    "template '%s' unchanged", t->name);
	}
	rc = template_read(ctx, "template", path, &text);
	unlink(path);
	if (rc != 0)
		return rc;
	if (strncmp(text, "Subject:", 8) != 0 ||
	    (nl = strchr(text, '\n')) == NULL)
		return err_set(&ctx->err, TEND_EINVAL, "template edit: the "
		    "first line must be 'Subject: ...'; template '%s' "
		    "unchanged", t->name);
	*nl = '\0';
	t->subject = text_trim(text + 8);
	text = nl + 1;
	if (*text == '\n')
		text++;
	t->body = text;
	if ((rc = template_text(ctx, "subject", t->subject, 0)) != 0 ||
	    (rc = template_text(ctx, "body", t->body, 1)) != 0)
		return rc;
	return 0;
}

static int
template_edit(struct cmd_ctx *ctx, struct args *args)
{
	struct template	*t;
	int		 rc;

	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend template "
		    "edit NAME [--subject S] [--body TEXT | --body-file F] "
		    "[--html-file F]");
	if ((rc = store_template_get(ctx->store, ctx->arena, args->pos[1], &t,
	    &ctx->err)) != 0)
		return rc;
	if (args_has(args, "subject") || args_has(args, "body") ||
	    args_has(args, "body-file") || args_has(args, "html-file"))
		rc = template_apply(ctx, args, t);
	else
		rc = template_editor(ctx, t);
	if (rc != 0)
		return rc;
	return template_save(ctx, t, "saved");
}

static int
template_list(struct cmd_ctx *ctx, struct args *args)
{
	struct template	*v;
	struct table	*tb;
	json_t		*a;
	size_t		 n, i;
	int		 rc;

	if (args->npos > 1)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend template "
		    "list");
	if ((rc = store_template_list(ctx->store, ctx->arena, &v, &n,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, template_json(ctx, &v[i], 0));
		out_json(ctx, a);
		return 0;
	}
	if (n == 0) {
		fprintf(ctx->out, "no templates; add one with 'tend template "
		    "add'\n");
		return 0;
	}
	tb = table_new(ctx, 3);
	table_cell(tb, "NAME");
	table_cell(tb, "SUBJECT");
	table_cell(tb, "");
	for (i = 0; i < n; i++) {
		table_cell(tb, v[i].name);
		table_cell(tb, out_trunc(ctx->arena, v[i].subject, 60));
		table_cell(tb, v[i].starter ? (v[i].updated != 0 ?
		    "starter, edited" : "starter") : "");
	}
	table_print(tb, ctx->out);
	return 0;
}

static int
template_show(struct cmd_ctx *ctx, struct args *args)
{
	struct template	*t;
	int		 rc;

	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend template "
		    "show NAME");
	if ((rc = store_template_get(ctx->store, ctx->arena, args->pos[1], &t,
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json) {
		out_json(ctx, template_json(ctx, t, 1));
		return 0;
	}
	fprintf(ctx->out, "Subject: %s\n\n%s", t->subject, t->body);
	if (*t->body != '\0' && t->body[strlen(t->body) - 1] != '\n')
		fputc('\n', ctx->out);
	if (t->html != NULL)
		fprintf(ctx->out, "\n--- html ---\n%s%s", t->html,
		    t->html[strlen(t->html) - 1] != '\n' ? "\n" : "");
	return 0;
}

static int
template_rm(struct cmd_ctx *ctx, struct args *args)
{
	int	rc;

	if (args->npos != 2)
		return err_set(&ctx->err, TEND_EUSAGE, "usage: tend template "
		    "rm NAME");
	if ((rc = store_template_rm(ctx->store, args->pos[1],
	    &ctx->err)) != 0)
		return rc;
	if (ctx->json)
		out_json(ctx, json_pack("{s:s}", "removed", args->pos[1]));
	else
		fprintf(ctx->out, "removed template '%s'\n", args->pos[1]);
	return 0;
}

static int
cmd_template_exec(struct cmd_ctx *ctx, struct args *args)
{
	static const struct {
		const char	*name;
		int		 opts;	/* takes the part options */
		int		(*fn)(struct cmd_ctx *, struct args *);
	} subs[] = {
		{ "add", 1, template_add },
		{ "edit", 1, template_edit },
		{ "list", 0, template_list },
		{ "rm", 0, template_rm },
		{ "show", 0, template_show },
	};
	size_t	i, j;

	if (args->npos == 0)
		return template_list(ctx, args);
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(subs[i].name, args->pos[0]) == 0)
			break;
	if (i == sizeof subs / sizeof subs[0])
		return err_set(&ctx->err, TEND_EUSAGE, "template: unknown "
		    "subcommand '%.64s' (expected add, list, show, edit or "
		    "rm)", args->pos[0]);
	for (j = 0; j < args->n && !subs[i].opts; j++)
		if (strcmp(args->names[j], "json") != 0 &&
		    strcmp(args->names[j], "db") != 0)
			return err_set(&ctx->err, TEND_EUSAGE, "template %s: "
			    "option '--%s' does not apply", subs[i].name,
			    args->names[j]);
	return subs[i].fn(ctx, args);
}
