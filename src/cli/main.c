/*
 * tend: the command dispatcher.  Finds the command in the table, parses
 * its arguments, opens the store and the transaction it asks for, runs it,
 * and turns its status into a message and an exit code.
 */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "core/when.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/config.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define TEND_VERSION	"0.1.0"

/*
 * Print "tend: msg" on one line.  Messages quote what the user typed, so
 * control characters and bytes that are not UTF-8 are shown escaped
 * rather than sent to the terminal (or splitting the line).
 */
static void
print_error(const char *msg)
{
	const unsigned char	*p = (const unsigned char *)msg;
	size_t			 len;

	fputs("tend: ", stderr);
	while (*p != '\0') {
		len = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
		    (*p & 0xf8) == 0xf0 ? 4 : 1;
		/* a NUL ends a short sequence before it is read past */
		if (len > 1 && text_utf8_valid((const char *)p, len)) {
			fwrite(p, 1, len, stderr);
			p += len;
			continue;
		}
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\t')
			fputs("\\t", stderr);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
		p++;
	}
	fputc('\n', stderr);
}

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: tend [--db PATH] COMMAND [ARGS]\n\n"
	    "tend keeps your follow-ups: who to contact today, and why.\n\n"
	    "commands:\n");
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(f, "  %-10s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
	fprintf(f, "\nRun 'tend COMMAND --help' for a command's options.\n");
}

/* $TEND_DB, else $XDG_DATA_HOME/tend/tend.db, else ~/.local/share/... */
static char *
default_db_path(void)
{
	const char	*p;

	p = getenv("TEND_DB");
	if (p != NULL && *p != '\0')
		return xstrdup(p);
	p = getenv("XDG_DATA_HOME");
	if (p != NULL && *p == '/')
		return xasprintf("%s/tend/tend.db", p);
	p = getenv("HOME");
	return xasprintf("%s/.local/share/tend/tend.db", p != NULL ? p : ".");
}

/* The clock: TEND_NOW (for tests and replays) or the real time. */
static int
ctx_clock(struct cmd_ctx *ctx)
{
	const char	*env;
	int64_t		 real = (int64_t)time(NULL);

	env = getenv("TEND_NOW");
	if (env == NULL || *env == '\0') {
		ctx->now = real;
		return 0;
	}
	return when_parse(env, real, ctx->tz, &ctx->now, &ctx->err) == 0 ? 0 :
	    err_prefix(&ctx->err, TEND_EUSAGE, "TEND_NOW");
}

static int
ctx_zone(struct cmd_ctx *ctx)
{
	const char	*tz;

	tz = config_get(ctx->config, "tz");
	if (tz == NULL || *tz == '\0') {
		ctx->tz = NULL;
		return 0;
	}
	if (!when_zone_valid(tz))
		return err_set(&ctx->err, TEND_EINVAL, "%s: unknown time zone "
		    "'%s' in setting 'tz'", config_path(ctx->config), tz);
	ctx->tz = tz;
	return 0;
}

static int
run(const struct cmd_entry *ce, struct cmd_ctx *ctx, struct args *args)
{
	int	rc;

	if (!(ce->flags & CMD_NEEDS_DB))
		return ce->exec(ctx, args);
	if ((rc = store_open(ctx->db_path, STORE_CREATE, &ctx->store,
	    &ctx->err)) != 0)
		return rc;
	/* a writer takes the lock at once; a reader sees one snapshot */
	if (ce->flags & CMD_WRITES)
		rc = store_begin(ctx->store, &ctx->err);
	else
		rc = store_begin_read(ctx->store, &ctx->err);
	if (rc != 0)
		return rc;
	rc = ce->exec(ctx, args);
	if ((ce->flags & CMD_WRITES) && rc == 0 && !ctx->discard)
		rc = store_commit(ctx->store, &ctx->err);
	else
		store_rollback(ctx->store);
	return rc;
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*ce;
	struct cmd_ctx		 ctx;
	struct args		 args;
	char			*db = NULL, *cfg_path = NULL;
	int			 i = 1, rc, code;

#ifdef __GLIBC__
	/*
	 * SQLite opens and closes a small temporary b-tree in some statements
	 * (an IN list in a CHECK); with glibc's default each close gives the
	 * top of the heap back to the kernel and the next open asks again,
	 * which made a long import spend half its time in brk().  tend runs
	 * one command and exits: keep what the heap has grown to.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
	memset(&ctx, 0, sizeof ctx);
	ctx.out = stdout;
	ctx.arena = arena_new();
	/* options before the command */
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = xstrdup(argv[i + 1]);
			i += 2;
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			db = xstrdup(argv[i] + 5);
			i++;
		} else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			code = 0;
			goto out;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("tend %s\n", TEND_VERSION);
			code = 0;
			goto out;
		} else {
			rc = err_set(&ctx.err, TEND_EUSAGE, "unknown option "
			    "'%s'; see 'tend --help'", argv[i]);
			goto fail;
		}
	}
	if (i >= argc) {
		usage(stderr);
		code = 2;
		goto out;
	}
	if (strcmp(argv[i], "help") == 0) {
		ce = i + 1 < argc ? cmd_find(argv[i + 1]) : NULL;
		if (ce != NULL)
			cmd_help(ce, stdout);
		else
			usage(stdout);
		code = 0;
		goto out;
	}
	ce = cmd_find(argv[i]);
	if (ce == NULL) {
		rc = err_set(&ctx.err, TEND_EUSAGE, "unknown command '%s'; "
		    "see 'tend --help'", argv[i]);
		goto fail;
	}
	if ((rc = cmd_parse(ce, argc - i - 1, argv + i + 1, ctx.arena, &args,
	    &ctx.err)) != 0)
		goto fail;
	if (args_has(&args, "help")) {
		cmd_help(ce, stdout);
		code = 0;
		goto out;
	}
	if (args_get(&args, "db") != NULL) {
		free(db);
		db = xstrdup(args_get(&args, "db"));
	}
	if (db == NULL)
		db = default_db_path();
	ctx.db_path = db;
	ctx.json = args_has(&args, "json");
	ctx.tempfail = (ce->flags & CMD_TEMPFAIL) != 0;
	cfg_path = config_default_path();
	if ((rc = config_load(cfg_path, &ctx.config, &ctx.err)) != 0)
		goto fail;
	/* a bad zone in the settings stops every command but the one that
	 * can mend it, which then runs in the system's zone */
	if ((rc = ctx_zone(&ctx)) != 0 && !(ce->flags & CMD_REPAIRS))
		goto fail;
	if ((rc = ctx_clock(&ctx)) != 0)
		goto fail;
	rc = run(ce, &ctx, &args);
fail:
	code = cmd_exit_code(rc);
	/* an MTA retries on 75: better than a message bounced or lost */
	if (code != 0 && code != 2 && ctx.tempfail)
		code = 75;
	if (rc != 0)
		print_error(ctx.err.msg[0] != '\0' ? ctx.err.msg :
		    err_name(rc));
out:
	/* a full disk or closed pipe on stdout is a failure too */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (code == 0)
			fprintf(stderr, "tend: cannot write output: %s\n",
			    strerror(errno));
		code = code == 0 ? 1 : code;
	}
	store_close(ctx.store);
	config_free(ctx.config);
	arena_free(ctx.arena);
	free(cfg_path);
	free(db);
	return code;
}
