/*
 * The command table, argument parsing and help.  Options may stand before
 * or after positionals (GNU style); "--" ends them.
 */
#include <string.h>

#include "cli/cmd.h"
#include "util/arena.h"

extern const struct cmd_entry cmd_add_entry;
extern const struct cmd_entry cmd_backup_entry;
extern const struct cmd_entry cmd_cancel_entry;
extern const struct cmd_entry cmd_config_entry;
extern const struct cmd_entry cmd_deal_entry;
extern const struct cmd_entry cmd_deals_entry;
extern const struct cmd_entry cmd_demo_entry;
extern const struct cmd_entry cmd_done_entry;
extern const struct cmd_entry cmd_edit_entry;
extern const struct cmd_entry cmd_enroll_entry;
extern const struct cmd_entry cmd_enrollments_entry;
extern const struct cmd_entry cmd_every_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_fetch_entry;
extern const struct cmd_entry cmd_find_entry;
extern const struct cmd_entry cmd_follow_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_inbound_entry;
extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_mail_entry;
extern const struct cmd_entry cmd_merge_entry;
extern const struct cmd_entry cmd_outbox_entry;
extern const struct cmd_entry cmd_plan_entry;
extern const struct cmd_entry cmd_restore_entry;
extern const struct cmd_entry cmd_rm_entry;
extern const struct cmd_entry cmd_say_entry;
extern const struct cmd_entry cmd_send_entry;
extern const struct cmd_entry cmd_seq_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_snooze_entry;
extern const struct cmd_entry cmd_template_entry;
extern const struct cmd_entry cmd_tick_entry;
extern const struct cmd_entry cmd_today_entry;
extern const struct cmd_entry cmd_unenroll_entry;
extern const struct cmd_entry cmd_unsubscribe_entry;
extern const struct cmd_entry cmd_worker_entry;

/* Sorted by name: a unit test checks it. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_add_entry,
	&cmd_backup_entry,
	&cmd_cancel_entry,
	&cmd_config_entry,
	&cmd_deal_entry,
	&cmd_deals_entry,
	&cmd_demo_entry,
	&cmd_done_entry,
	&cmd_edit_entry,
	&cmd_enroll_entry,
	&cmd_enrollments_entry,
	&cmd_every_entry,
	&cmd_export_entry,
	&cmd_fetch_entry,
	&cmd_find_entry,
	&cmd_follow_entry,
	&cmd_import_entry,
	&cmd_inbound_entry,
	&cmd_init_entry,
	&cmd_list_entry,
	&cmd_log_entry,
	&cmd_mail_entry,
	&cmd_merge_entry,
	&cmd_outbox_entry,
	&cmd_plan_entry,
	&cmd_restore_entry,
	&cmd_rm_entry,
	&cmd_say_entry,
	&cmd_send_entry,
	&cmd_seq_entry,
	&cmd_show_entry,
	&cmd_snooze_entry,
	&cmd_template_entry,
	&cmd_tick_entry,
	&cmd_today_entry,
	&cmd_unenroll_entry,
	&cmd_unsubscribe_entry,
	&cmd_worker_entry,
	NULL
};

static const struct cmd_opt cmd_common_opts[] = {
	{ "db", 0, 1, "use the database at PATH (or TEND_DB)" },
	{ "json", 'j', 0, "print JSON" },
	{ "help", 'h', 0, "show this help" },
	CMD_OPT_END
};

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

static const struct cmd_opt *
cmd_opt_find(const struct cmd_opt *list, const char *name, size_t len,
    char letter)
{
	for (; list != NULL && list->name != NULL; list++) {
		if (letter != 0 && list->letter == letter)
			return list;
		if (letter == 0 && strlen(list->name) == len &&
		    strncmp(list->name, name, len) == 0)
			return list;
	}
	return NULL;
}

static const struct cmd_opt *
cmd_opt_lookup(const struct cmd_entry *ce, const char *name, size_t len,
    char letter)
{
	const struct cmd_opt	*o;

	o = cmd_opt_find(ce->opts, name, len, letter);
	if (o == NULL)
		o = cmd_opt_find(cmd_common_opts, name, len, letter);
	return o;
}

int
cmd_parse(const struct cmd_entry *ce, int argc, char **argv, struct arena *a,
    struct args *out, struct err *e)
{
	const struct cmd_opt	*o;
	const char		*arg, *eq;
	size_t			 len;
	int			 i, only_pos = 0;

	memset(out, 0, sizeof *out);
	out->pos = arena_alloc(a, (size_t)(argc + 1) * sizeof(char *));
	out->names = arena_alloc(a, (size_t)(argc + 1) * sizeof(char *));
	out->values = arena_alloc(a, (size_t)(argc + 1) * sizeof(char *));
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (only_pos || arg[0] != '-' || arg[1] == '\0' ||
		    (arg[1] >= '0' && arg[1] <= '9')) {
			out->pos[out->npos++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			len = eq != NULL ? (size_t)(eq - arg - 2) :
			    strlen(arg + 2);
			o = cmd_opt_lookup(ce, arg + 2, len, 0);
			if (o == NULL)
				return err_set(e, TEND_EUSAGE, "%s: unknown "
				    "option '--%.*s'", ce->name, (int)len,
				    arg + 2);
			out->names[out->n] = o->name;
			if (o->arg && eq != NULL)
				out->values[out->n] = (char *)eq + 1;
			else if (o->arg) {
				if (i + 1 >= argc)
					return err_set(e, TEND_EUSAGE, "%s: "
					    "option '--%s' needs a value",
					    ce->name, o->name);
				out->values[out->n] = argv[++i];
			} else if (eq != NULL)
				return err_set(e, TEND_EUSAGE, "%s: option "
				    "'--%s' takes no value", ce->name,
				    o->name);
			out->n++;
			continue;
		}
		/* a cluster of short options: -jt tag */
		for (arg++; *arg != '\0'; arg++) {
			o = cmd_opt_lookup(ce, NULL, 0, *arg);
			if (o == NULL)
				return err_set(e, TEND_EUSAGE, "%s: unknown "
				    "option '-%c'", ce->name, *arg);
			out->names[out->n] = o->name;
			if (o->arg) {
				if (arg[1] != '\0')
					out->values[out->n] = (char *)arg + 1;
				else if (i + 1 < argc)
					out->values[out->n] = argv[++i];
				else
					return err_set(e, TEND_EUSAGE, "%s: "
					    "option '-%c' needs a value",
					    ce->name, *arg);
				out->n++;
				break;
			}
			out->n++;
		}
	}
	if (args_has(out, "help"))
		return 0;
	if ((int)out->npos < ce->min_args ||
	    (ce->max_args >= 0 && (int)out->npos > ce->max_args))
		return err_set(e, TEND_EUSAGE, "usage: tend %s %s", ce->name,
		    ce->usage);
	return 0;
}

const char *
args_get(const struct args *a, const char *name)
{
	size_t	i;

	for (i = a->n; i > 0; i--)
		if (strcmp(a->names[i - 1], name) == 0)
			return a->values[i - 1];
	return NULL;
}

int
args_has(const struct args *a, const char *name)
{
	size_t	i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->names[i], name) == 0)
			return 1;
	return 0;
}

size_t
args_all(const struct args *a, const char *name, struct arena *ar,
    char ***out)
{
	size_t	i, n = 0;

	*out = arena_alloc(ar, (a->n + 1) * sizeof(char *));
	for (i = 0; i < a->n; i++)
		if (strcmp(a->names[i], name) == 0)
			(*out)[n++] = a->values[i];
	return n;
}

static void
cmd_help_opts(const struct cmd_opt *o, FILE *f)
{
	char	left[64];

	for (; o != NULL && o->name != NULL; o++) {
		if (o->letter != 0)
			snprintf(left, sizeof left, "-%c, --%s%s", o->letter,
			    o->name, o->arg ? " VALUE" : "");
		else
			snprintf(left, sizeof left, "    --%s%s", o->name,
			    o->arg ? " VALUE" : "");
		fprintf(f, "  %-24s %s\n", left, o->help);
	}
}

void
cmd_help(const struct cmd_entry *ce, FILE *f)
{
	fprintf(f, "usage: tend %s %s\n\n%s\n\noptions:\n", ce->name,
	    ce->usage, ce->summary);
	cmd_help_opts(ce->opts, f);
	cmd_help_opts(cmd_common_opts, f);
	fprintf(f, "\nSee 'man tend-%s' for more.\n", ce->name);
}

int
cmd_exit_code(int err)
{
	switch (err) {
	case TEND_OK:
		return 0;
	case TEND_EUSAGE:
	case TEND_EAMBIGUOUS:
		return 2;
	case TEND_EINVAL:
	case TEND_ENOTFOUND:
	case TEND_ECORRUPT:
	case TEND_ECONFLICT:
		return 65;
	case TEND_EBUSY:
	case TEND_EMAIL_TEMP:
		return 69;
	default:
		return 1;
	}
}
