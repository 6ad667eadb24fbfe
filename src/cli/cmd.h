/*
 * The command table and what every command gets: parsed arguments, an
 * open store inside a transaction (CMD_NEEDS_DB, CMD_WRITES), an arena,
 * the clock and the user's zone.  One command per file, cmd-*.c.
 */
#ifndef TEND_CMD_H
#define TEND_CMD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

struct arena;
struct config;
struct store;

/* One option of a command.  arg: 0 a flag, 1 takes a value. */
struct cmd_opt {
	const char	*name;		/* long name, without "--" */
	char		 letter;	/* short letter or 0 */
	int		 arg;
	const char	*help;
};

#define CMD_OPT_END	{ NULL, 0, 0, NULL }

struct args {
	char		**pos;		/* positionals */
	size_t		  npos;
	/* every option given, in order, with its value (NULL for flags) */
	const char	**names;
	char		**values;
	size_t		  n;
};

struct cmd_ctx {
	struct store	*store;		/* NULL unless CMD_NEEDS_DB */
	struct arena	*arena;
	struct config	*config;
	const char	*db_path;
	int64_t		 now;		/* TEND_NOW in tests */
	const char	*tz;		/* the user's zone, or NULL: system */
	int		 json;
	FILE		*out;
	int		 discard;	/* roll back a successful run (--dry-run) */
	int		 tempfail;	/* a failure but a usage error exits
					   75 (EX_TEMPFAIL): the MTA that
					   called tend will try again */
	struct err	 err;
};

#define CMD_NEEDS_DB	0x1	/* open (and create) the database */
#define CMD_WRITES	0x2	/* run inside one write transaction */
#define CMD_REPAIRS	0x4	/* runs with a bad setting, to mend it */
#define CMD_TEMPFAIL	0x8	/* called by an MTA: sets ctx->tempfail */

struct cmd_entry {
	const char		*name;
	const char		*usage;
	const char		*summary;
	const struct cmd_opt	*opts;
	int			 min_args;
	int			 max_args;	/* -1: any */
	int			 flags;
	int			(*exec)(struct cmd_ctx *, struct args *);
};

/* The sorted table, NULL-terminated; cmd.c. */
extern const struct cmd_entry *const cmd_table[];

const struct cmd_entry	*cmd_find(const char *name);

/*
 * Parse argv (after the command name) against the entry's options plus
 * the common ones (--db, --json, --help).  Returns 0 or TEND_EUSAGE.
 */
int	 cmd_parse(const struct cmd_entry *, int argc, char **argv,
	    struct arena *, struct args *, struct err *);

/* The last value of option name, or NULL. */
const char	*args_get(const struct args *, const char *name);
/* 1 if option name was given. */
int		 args_has(const struct args *, const char *name);
/* Every value of option name, in order (arena array). */
size_t		 args_all(const struct args *, const char *name,
		    struct arena *, char ***out);

/* Print the usage and options of a command. */
void	 cmd_help(const struct cmd_entry *, FILE *);

/* Map a tend error to its exit code (DESIGN.md). */
int	 cmd_exit_code(int err);

#endif
