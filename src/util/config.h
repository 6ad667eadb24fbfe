/*
 * The settings file, git-style: "key = value" lines, '#' comments.
 * Reading a missing file gives an empty config; saving is atomic.
 */
#ifndef TEND_CONFIG_H
#define TEND_CONFIG_H

#include <stddef.h>

#include "util/err.h"

struct config;

/* Load path; a missing file is empty.  TEND_EINVAL names a bad line. */
int		 config_load(const char *path, struct config **out,
		    struct err *);
void		 config_free(struct config *);	/* NULL is a no-op */
const char	*config_get(const struct config *, const char *key);
/* Set (value NULL removes) in memory; config_save writes the file. */
void		 config_set(struct config *, const char *key,
		    const char *value);
int		 config_save(const struct config *, struct err *);
size_t		 config_count(const struct config *);
const char	*config_key(const struct config *, size_t i);
const char	*config_value(const struct config *, size_t i);
const char	*config_path(const struct config *);

/* $TEND_CONFIG, else $XDG_CONFIG_HOME/tend/config, else ~/.config/... */
char		*config_default_path(void);	/* caller frees */

#endif
