/*
 * Pieces several commands share: reading dates, ids and contact
 * references from arguments, and the contact options of add and edit.
 */
#ifndef TEND_CLI_COMMON_H
#define TEND_CLI_COMMON_H

#include <stdint.h>

#include <jansson.h>

#include "cli/cmd.h"

struct contact;
struct deal_stages;
struct enrollment;
struct followup;
struct sequence;

/* Parse a date argument in the user's zone; what names it in errors. */
int	cli_date(struct cmd_ctx *, const char *what, const char *text,
	    int64_t *out);
/* Parse a positive id ("12" or "#12"). */
int	cli_id(struct cmd_ctx *, const char *what, const char *text,
	    int64_t *out);
/* The deal stages: the database setting deal.stages, or the default. */
int	cli_deal_stages(struct cmd_ctx *, struct deal_stages *);
/* A whole number in [lo, hi], digits only.  0, or -1 when it is not. */
int	cli_number(const char *text, long lo, long hi, long *out);
/* A whole-number setting from the config file; def when unset. */
int	cli_setting_number(struct cmd_ctx *, const char *key, long def,
	    long lo, long hi, long *out);
/* Resolve a contact reference (id, address, name prefix). */
int	cli_contact(struct cmd_ctx *, const char *ref, int64_t *id);

/* The options add and edit share. */
extern const struct cmd_opt cli_contact_opts[];

/*
 * Apply the contact options in args to c (strings from the arena).
 * adding: a new contact (defaults for source); otherwise an edit, where
 * an empty value clears a field.  Checks every value.
 */
int	cli_contact_apply(struct cmd_ctx *, struct args *, struct contact *c,
	    int adding);

/* Print a one-line summary or the JSON record of contact id. */
int	cli_contact_print(struct cmd_ctx *, int64_t id);

/* Read follow-up id, which must still be open or snoozed. */
int	cli_followup_open(struct cmd_ctx *, int64_t id, struct followup **);
/* A follow-up as JSON (new reference). */
int	cli_followup_json(struct cmd_ctx *, int64_t id, json_t **out);
/* Print a follow-up: its id, or the JSON record. */
int	cli_followup_print(struct cmd_ctx *, int64_t id);

/*
 * An enrollment as JSON, and its next step for people ("email 'nudge'
 * on 2026-11-25 09:00"): shared by enroll, unenroll and enrollments
 * (defined in cmd-enrollments.c).
 */
json_t		*cli_enrollment_json(struct cmd_ctx *,
		    const struct enrollment *, const struct sequence *);
const char	*cli_enrollment_next(struct cmd_ctx *,
		    const struct enrollment *, const struct sequence *);

/* Where mail tend cannot read is kept: "quarantine" beside the database. */
const char *cli_quarantine_dir(struct cmd_ctx *);
#endif
