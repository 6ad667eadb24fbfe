/*
 * Export contacts as vCard (4.0 or 3.0), CSV (tend's columns or Google's),
 * JSON, or an iCalendar feed of what is due (follow-ups, deal next steps,
 * keep-in-touch cadences and the daily follow-up block).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common.h"
#include "interop/backup.h"
#include "interop/csv.h"
#include "interop/ical.h"
#include "interop/vcard.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/config.h"

static int	cmd_export_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_export_opts[] = {
	{ "format", 'f', 1, "vcard (default), csv, json or ics" },
	{ "tag", 't', 1, "only contacts with this tag" },
	{ "kind", 0, 1, "only contacts of this kind" },
	{ "output", 'o', 1, "write to FILE (replaced whole) instead of "
	    "standard output" },
	{ "vcard-version", 0, 1, "4.0 (default) or 3.0" },
	{ "csv-layout", 0, 1, "tend (default) or google" },
	{ "events", 0, 0, "ics: follow-ups as events, not to-dos (for "
	    "calendars that hide to-dos)" },
	CMD_OPT_END
};

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "[-f vcard|csv|json|ics] [-t TAG] [--kind K] [-o FILE] "
	    "[--vcard-version 4.0|3.0] [--csv-layout tend|google] [--events]",
	.summary = "Export contacts, or a calendar of what is due.",
	.opts = cmd_export_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_export_exec
};

enum export_format { EXPORT_VCARD, EXPORT_CSV, EXPORT_JSON, EXPORT_ICS };

struct export_run {
	struct cmd_ctx		*ctx;
	FILE			*f;
	struct backup_list	 list;
	enum export_format	 format;
	int			 vcard_version;
	enum csv_layout		 layout;
	size_t			 n;
	int			 rc;
};

static int
export_one(const struct contact *row, void *arg)
{
	struct export_run	*x = arg;
	struct arena		*a;
	struct contact		*c;
	struct err		*e = &x->ctx->err;

	a = arena_new();
	x->rc = store_contact_get(x->ctx->store, a, row->id, &c, e);
	if (x->rc == 0) {
		switch (x->format) {
		case EXPORT_VCARD:
			x->rc = vcard_write(x->f, c, x->vcard_version, e);
			break;
		case EXPORT_CSV:
			x->rc = csv_write_contact(x->f, x->layout, c,
			    x->ctx->tz, e);
			break;
		default:
			x->rc = backup_contacts_add(&x->list, c, e);
			break;
		}
	}
	arena_free(a);
	x->n++;
	return x->rc != 0;
}

static int
export_contacts(struct export_run *x, struct args *args)
{
	struct contact_filter	 flt;
	struct cmd_ctx		*ctx = x->ctx;
	int			 rc;

	memset(&flt, 0, sizeof flt);
	flt.tag = args_get(args, "tag");
	flt.kind = args_get(args, "kind");
	if (flt.kind != NULL && !contact_word_in(flt.kind, contact_kinds))
		return err_set(&ctx->err, TEND_EUSAGE, "export: unknown kind "
		    "'%s' (expected prospect, client, friend, partner or "
		    "other)", flt.kind);
	if (x->format == EXPORT_CSV &&
	    (rc = csv_write_header(x->f, x->layout, &ctx->err)) != 0)
		return rc;
	if (x->format == EXPORT_JSON &&
	    (rc = backup_contacts_begin(&x->list, x->f, &ctx->err)) != 0)
		return rc;
	if ((rc = store_contact_each(ctx->store, ctx->arena, &flt, export_one,
	    x, &ctx->err)) != 0)
		return rc;
	if (x->rc != 0)
		return x->rc;
	if (x->format == EXPORT_JSON)
		return backup_contacts_end(&x->list, &ctx->err);
	return 0;
}

static int
export_ics(struct export_run *x, struct args *args)
{
	struct ical_opts	 o;
	struct cmd_ctx		*ctx = x->ctx;

	memset(&o, 0, sizeof o);
	o.now = ctx->now;
	o.tz = ctx->tz;
	o.block = config_get(ctx->config, "agenda.block");
	if (o.block != NULL && *o.block == '\0')
		o.block = NULL;
	o.tag = args_get(args, "tag");
	o.kind = args_get(args, "kind");
	o.as_events = args_has(args, "events");
	return ical_export(ctx->store, ctx->arena, x->f, &o, &ctx->err);
}

static int
export_options(struct cmd_ctx *ctx, struct args *args, struct export_run *x)
{
	const char	*v;

	x->format = EXPORT_VCARD;
	x->vcard_version = 40;
	x->layout = CSV_TEND;
	if ((v = args_get(args, "format")) != NULL) {
		if (strcmp(v, "vcard") == 0 || strcmp(v, "vcf") == 0)
			x->format = EXPORT_VCARD;
		else if (strcmp(v, "csv") == 0)
			x->format = EXPORT_CSV;
		else if (strcmp(v, "json") == 0)
			x->format = EXPORT_JSON;
		else if (strcmp(v, "ics") == 0 || strcmp(v, "ical") == 0)
			x->format = EXPORT_ICS;
		else
			return err_set(&ctx->err, TEND_EUSAGE, "export: unknown "
			    "format '%s' (expected vcard, csv, json or ics)", v);
	}
	if ((v = args_get(args, "vcard-version")) != NULL) {
		if (strcmp(v, "4.0") == 0 || strcmp(v, "4") == 0)
			x->vcard_version = 40;
		else if (strcmp(v, "3.0") == 0 || strcmp(v, "3") == 0)
			x->vcard_version = 30;
		else
			return err_set(&ctx->err, TEND_EUSAGE, "export: "
			    "--vcard-version '%s': expected 4.0 or 3.0", v);
		if (x->format != EXPORT_VCARD)
			return err_set(&ctx->err, TEND_EUSAGE, "export: "
			    "--vcard-version is for --format vcard");
	}
	if ((v = args_get(args, "csv-layout")) != NULL) {
		if (strcmp(v, "tend") == 0)
			x->layout = CSV_TEND;
		else if (strcmp(v, "google") == 0)
			x->layout = CSV_GOOGLE;
		else
			return err_set(&ctx->err, TEND_EUSAGE, "export: "
			    "--csv-layout '%s': expected tend or google", v);
		if (x->format != EXPORT_CSV)
			return err_set(&ctx->err, TEND_EUSAGE, "export: "
			    "--csv-layout is for --format csv");
	}
	return 0;
}

static int
cmd_export_exec(struct cmd_ctx *ctx, struct args *args)
{
	struct export_run	 x;
	const char		*path;
	char			*tmp = NULL;
	int			 rc, fd;

	memset(&x, 0, sizeof x);
	x.ctx = ctx;
	if ((rc = export_options(ctx, args, &x)) != 0)
		return rc;
	x.f = ctx->out;
	path = args_get(args, "output");
	if (path != NULL) {
		/* written beside, then renamed: never half a file */
		tmp = arena_printf(ctx->arena, "%s.XXXXXX", path);
		if ((fd = mkstemp(tmp)) < 0)
			return err_set(&ctx->err, TEND_EIO, "cannot write "
			    "'%s': %s", path, strerror(errno));
		if ((x.f = fdopen(fd, "w")) == NULL) {
			close(fd);
			unlink(tmp);
			return err_set(&ctx->err, TEND_EIO, "cannot write "
			    "'%s': %s", path, strerror(errno));
		}
	}
	if (x.format == EXPORT_ICS)
		rc = export_ics(&x, args);
	else
		rc = export_contacts(&x, args);
	if (path == NULL)
		return rc;
	if (rc == 0 && (fflush(x.f) != 0 || ferror(x.f) ||
	    fsync(fileno(x.f)) != 0))
		rc = err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
	if (fclose(x.f) != 0 && rc == 0)
		rc = err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
	/* mkstemp made it 0600: contact data is private */
	if (rc == 0 && rename(tmp, path) == 0)
		return 0;
	if (rc == 0)
		rc = err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
	unlink(tmp);
	return rc;
}
