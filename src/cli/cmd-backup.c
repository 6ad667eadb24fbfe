/*
 * Write everything in the database as one JSON document (tend restore
 * reads it back), to standard output or, atomically, to a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "interop/backup.h"
#include "util/arena.h"

static int	cmd_backup_exec(struct cmd_ctx *, struct args *);

static const struct cmd_opt cmd_backup_opts[] = {
	{ "output", 'o', 1, "write to FILE instead of standard output" },
	CMD_OPT_END
};

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "[-o FILE]",
	.summary = "Write everything to a JSON backup.",
	.opts = cmd_backup_opts,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_backup_exec
};

/* Name the file in a write error from the library. */
static int
backup_io_fail(struct cmd_ctx *ctx, int rc, const char *path)
{
	char	msg[ERR_MSG_MAX];

	if (rc != TEND_EIO || strncmp(ctx->err.msg, "cannot write", 12) != 0)
		return rc;
	snprintf(msg, sizeof msg, "%s", ctx->err.msg + 12);
	return err_set(&ctx->err, rc, "cannot write '%s'%s", path, msg);
}

/* Make the rename durable: best effort, a folder may refuse fsync. */
static void
backup_sync_dir(const char *path)
{
	char	*dir, *slash;
	int	 fd;

	dir = strdup(path);
	if (dir == NULL)
		return;
	slash = strrchr(dir, '/');
	if (slash == NULL)
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Write FILE.tmp, readable by its owner only (a backup holds everyone's
 * details), then rename it over FILE: a failure or a crash never leaves
 * a half backup under the name.
 */
static int
backup_to_file(struct cmd_ctx *ctx, const char *path)
{
	const char	*tmp;
	FILE		*f;
	int		 fd, rc;

	tmp = arena_printf(ctx->arena, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
	f = fdopen(fd, "w");
	if (f == NULL) {
		rc = err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
		close(fd);
		goto fail;
	}
	/* an old FILE.tmp may have had a wider mode */
	if (fchmod(fd, 0600) != 0) {
		rc = err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
		fclose(f);
		goto fail;
	}
	rc = backup_write(ctx->store, f, ctx->now, &ctx->err);
	if (rc == 0 && (fflush(f) != 0 || fsync(fd) != 0))
		rc = err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
	if (rc != 0) {
		rc = backup_io_fail(ctx, rc, path);
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		rc = err_set(&ctx->err, TEND_EIO, "cannot write '%s': %s",
		    path, strerror(errno));
		goto fail;
	}
	backup_sync_dir(path);
	return 0;
fail:
	unlink(tmp);
	return rc;
}

static int
cmd_backup_exec(struct cmd_ctx *ctx, struct args *args)
{
	const char	*path;
	json_t		*o;
	int		 rc;

	path = args_get(args, "output");
	if (path != NULL && *path == '\0')
		return err_set(&ctx->err, TEND_EUSAGE, "backup: --output "
		    "needs a file name");
	/* the document is JSON already: --json changes nothing on stdout */
	if (path == NULL || strcmp(path, "-") == 0) {
		rc = backup_write(ctx->store, ctx->out, ctx->now, &ctx->err);
		return backup_io_fail(ctx, rc, "standard output");
	}
	if ((rc = backup_to_file(ctx, path)) != 0)
		return rc;
	if (ctx->json) {
		o = json_object();
		json_object_set_new(o, "file", out_jstr(path));
		out_json(ctx, o);
	} else
		fprintf(ctx->out, "backup written to %s\n", path);
	return 0;
}
