/*
 * Import contacts from vCard, CSV (Google, Outlook, LinkedIn, any other
 * by its headers) or tend's JSON: every file in one transaction, each
 * record added or merged into the contact it already is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "app/import.h"
#include "cli/common.h"
#include "cli/output.h"
#include "interop/csv.h"
#include "store/store.h"
#include "util/arena.h"

static int	cmd_import_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_import_opts[] = {
	{ "format", 'f', 1, "vcard, csv or json (default: from the content)" },
	{ "map", 'm', 1, "FIELD=COLUMN: read a field from a CSV column" },
	{ "tag", 't', 1, "add this tag to every contact imported" },
	{ "source", 0, 1, "where the new contacts came from (default import)" },
	{ "met", 0, 1, "where you met them, for contacts that do not say" },
	{ "prefer", 0, 1, "existing (default) or import: whose value wins" },
	{ "dry-run", 'n', 0, "report what would happen; write nothing" },
	{ "keep-going", 'k', 0, "import the good records, report the bad" },
	CMD_OPT_END
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "FILE... [-f vcard|csv|json] [-m FIELD=COLUMN]... [-t TAG]... "
	    "[--source S] [--met WHERE] [--prefer existing|import] [-n] [-k]",
	.summary = "Import contacts from vCard, CSV or JSON files.",
	.opts = cmd_import_opts,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_import_exec
};

static int
import_options(struct cmd_ctx *ctx, struct args *args, struct import_opts *o)
{
	const char	*v;
	char		**tags;
	size_t		  i;
	int		  rc;

	memset(o, 0, sizeof *o);
	o->now = ctx->now;
	o->tz = ctx->tz;
	if ((v = args_get(args, "format")) != NULL) {
		if (strcmp(v, "vcard") == 0 || strcmp(v, "vcf") == 0)
			o->format = IMPORT_VCARD;
		else if (strcmp(v, "csv") == 0)
			o->format = IMPORT_CSV;
		else if (strcmp(v, "json") == 0)
			o->format = IMPORT_JSON;
		else
			return err_set(&ctx->err, TEND_EUSAGE, "import: unknown "
			    "format '%s' (expected vcard, csv or json)", v);
	}
	if ((v = args_get(args, "prefer")) != NULL) {
		if (strcmp(v, "import") == 0)
			o->prefer = 1;
		else if (strcmp(v, "existing") != 0)
			return err_set(&ctx->err, TEND_EUSAGE, "import: --prefer "
			    "'%s': expected existing or import", v);
	}
	if ((v = args_get(args, "source")) != NULL) {
		if (!contact_word_in(v, contact_sources))
			return err_set(&ctx->err, TEND_EUSAGE, "import: unknown "
			    "source '%s' (expected event, referral, inbound, "
			    "import or other)", v);
		o->source = v;
	}
	o->met = args_get(args, "met");
	o->nmaps = args_all(args, "map", ctx->arena, (char ***)&o->maps);
	o->ntags = args_all(args, "tag", ctx->arena, &tags);
	for (i = 0; i < o->ntags; i++)
		if ((rc = contact_tag_check(tags[i], &ctx->err)) != 0)
			return TEND_EUSAGE;
	o->tags = tags;
	o->keep_going = args_has(args, "keep-going");
	return 0;
}

/*
 * Standard input is copied to a temporary file: the readers look at the
 * content twice (the format, then whether it is UTF-8).
 */
static int
spool_stdin(struct cmd_ctx *ctx, FILE **out)
{
	char	 buf[65536];
	size_t	 n;
	FILE	*f;

	if ((f = tmpfile()) == NULL)
		return err_set(&ctx->err, TEND_EIO, "cannot make a temporary "
		    "file: %s", strerror(errno));
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		if (fwrite(buf, 1, n, f) != n) {
			fclose(f);
			return err_set(&ctx->err, TEND_EIO, "cannot copy "
			    "standard input: %s", strerror(errno));
		}
	if (ferror(stdin)) {
		fclose(f);
		return err_set(&ctx->err, TEND_EIO, "cannot read standard "
		    "input: %s", strerror(errno));
	}
	rewind(f);
	*out = f;
	return 0;
}

static void
report_text(struct cmd_ctx *ctx, const struct import_report *r, int dry)
{
	const struct import_issue	*is;
	size_t				 i, n, listed;

	for (i = 0; i < r->nissues; i++) {
		is = &r->issues[i];
		n = strlen(is->file);
		if (strncmp(is->msg, is->file, n) == 0 && is->msg[n] == ':')
			/* the message says where already */
			fprintf(ctx->out, "%s%s\n", strcmp(is->what, "error")
			    == 0 ? "error: " : "", is->msg);
		else if (is->record == 0)
			fprintf(ctx->out, "%s: %s\n", is->file, is->msg);
		else if (strcmp(is->what, "error") == 0)
			fprintf(ctx->out, "error: %s\n", is->msg);
		else if (is->line != 0 && strcmp(is->unit, "record") == 0)
			fprintf(ctx->out, "%s: line %u (record %u): %s: %s\n",
			    is->file, is->line, is->record, is->what, is->msg);
		else if (is->line != 0)
			fprintf(ctx->out, "%s: %s %u, line %u: %s: %s\n",
			    is->file, is->unit, is->record, is->line, is->what,
			    is->msg);
		else
			fprintf(ctx->out, "%s: %s %u: %s: %s\n", is->file,
			    is->unit, is->record, is->what, is->msg);
	}
	listed = r->nissues;
	if (r->skipped + r->errors > listed)
		fprintf(ctx->out, "(only the first %d problems are listed)\n",
		    IMPORT_ISSUES_MAX);
	fprintf(ctx->out, "%s%zu added, %zu merged, %zu unchanged, %zu "
	    "skipped, %zu %s\n", dry ? "dry run, nothing written: " : "",
	    r->added, r->merged, r->unchanged, r->skipped, r->errors,
	    r->errors == 1 ? "error" : "errors");
}

static void
report_json(struct cmd_ctx *ctx, const struct import_report *r, int dry)
{
	json_t				*o, *arr, *it;
	const struct import_issue	*is;
	size_t				 i;

	o = json_object();
	json_object_set_new(o, "dry_run", json_boolean(dry));
	json_object_set_new(o, "added", json_integer((json_int_t)r->added));
	json_object_set_new(o, "merged", json_integer((json_int_t)r->merged));
	json_object_set_new(o, "unchanged",
	    json_integer((json_int_t)r->unchanged));
	json_object_set_new(o, "skipped",
	    json_integer((json_int_t)r->skipped));
	json_object_set_new(o, "errors", json_integer((json_int_t)r->errors));
	arr = json_array();
	for (i = 0; i < r->nissues; i++) {
		is = &r->issues[i];
		it = json_object();
		json_object_set_new(it, "file", out_jstr(is->file));
		json_object_set_new(it, "line", is->line != 0 ?
		    json_integer(is->line) : json_null());
		json_object_set_new(it, "record", is->record != 0 ?
		    json_integer(is->record) : json_null());
		json_object_set_new(it, "unit", out_jstr(is->unit));
		json_object_set_new(it, "what", out_jstr(is->what));
		json_object_set_new(it, "message", out_jstr(is->msg));
		json_array_append_new(arr, it);
	}
	json_object_set_new(o, "issues", arr);
	out_json(ctx, o);
}

static int
cmd_import_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct import_opts	 o;
	struct import_report	 r;
	FILE			*f;
	const char		*name;
	size_t			 i;
	int			 rc, dry;

	if ((rc = import_options(ctx, args, &o)) != 0)
		return rc;
	dry = args_has(args, "dry-run");
	memset(&r, 0, sizeof r);
	if ((rc = store_bulk(ctx->store, &ctx->err)) != 0 ||
	    (rc = store_index_defer(ctx->store, &ctx->err)) != 0)
		return rc;
	for (i = 0; i < args->npos; i++) {
		name = args->pos[i];
		if (strcmp(name, "-") == 0) {
			if ((rc = spool_stdin(ctx, &f)) != 0)
				return rc;
		} else if ((f = fopen(name, "rb")) == NULL)
			return err_set(&ctx->err, TEND_EINVAL, "cannot open "
			    "'%s': %s", name, strerror(errno));
		rc = import_file(ctx->store, ctx->arena, f, name, &o, &r,
		    &ctx->err);
		fclose(f);
		if (rc != 0)
			return rc;
	}
	if ((rc = import_finish(ctx->store, &ctx->err)) != 0 ||
	    (rc = store_index_catch_up(ctx->store, &ctx->err)) != 0)
		return rc;
	/* --dry-run: the same work, then the dispatcher rolls it back */
	ctx->discard = dry;
	if (ctx->json)
		report_json(ctx, &r, dry);
	else
		report_text(ctx, &r, dry);
	return 0;
}
