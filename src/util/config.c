/*
 * A small key = value file.  Kept in file order so that saving changes
 * as little as possible.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/config.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define CONFIG_LINE_MAX	4096
#define CONFIG_MAX	256

struct config {
	char	*path;
	char	*keys[CONFIG_MAX];
	char	*values[CONFIG_MAX];
	size_t	 n;
};

char *
config_default_path(void)
{
	const char	*p;

	p = getenv("TEND_CONFIG");
	if (p != NULL && *p != '\0')
		return xstrdup(p);
	p = getenv("XDG_CONFIG_HOME");
	if (p != NULL && *p == '/')
		return xasprintf("%s/tend/config", p);
	p = getenv("HOME");
	return xasprintf("%s/.config/tend/config", p != NULL ? p : ".");
}

int
config_load(const char *path, struct config **out, struct err *e)
{
	struct config	*c;
	FILE		*f;
	char		 line[CONFIG_LINE_MAX], *eq, *k, *v;
	int		 lineno = 0, rc = 0;

	c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	*out = c;
	f = fopen(path, "r");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		rc = err_set(e, TEND_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			rc = err_set(e, TEND_EINVAL, "%s:%d: line too long",
			    path, lineno);
			goto fail;
		}
		text_trim(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			rc = err_set(e, TEND_EINVAL, "%s:%d: expected "
			    "'key = value'", path, lineno);
			goto fail;
		}
		*eq = '\0';
		k = text_trim(line);
		v = text_trim(eq + 1);
		if (*k == '\0' || c->n == CONFIG_MAX) {
			rc = err_set(e, TEND_EINVAL, "%s:%d: bad setting",
			    path, lineno);
			goto fail;
		}
		config_set(c, k, v);
	}
	if (ferror(f))
		rc = err_set(e, TEND_EIO, "cannot read '%s'", path);
	fclose(f);
	f = NULL;
	if (rc != 0)
		goto fail;
	return 0;
fail:
	if (f != NULL)
		fclose(f);
	config_free(c);
	*out = NULL;
	return rc;
}

void
config_free(struct config *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->keys[i]);
		free(c->values[i]);
	}
	free(c->path);
	free(c);
}

const char *
config_get(const struct config *c, const char *key)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->keys[i], key) == 0)
			return c->values[i];
	return NULL;
}

void
config_set(struct config *c, const char *key, const char *value)
{
	size_t	i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->keys[i], key) != 0)
			continue;
		free(c->values[i]);
		if (value != NULL) {
			c->values[i] = xstrdup(value);
			return;
		}
		free(c->keys[i]);
		memmove(&c->keys[i], &c->keys[i + 1],
		    (c->n - i - 1) * sizeof c->keys[0]);
		memmove(&c->values[i], &c->values[i + 1],
		    (c->n - i - 1) * sizeof c->values[0]);
		c->n--;
		return;
	}
	if (value == NULL || c->n == CONFIG_MAX)
		return;
	c->keys[c->n] = xstrdup(key);
	c->values[c->n] = xstrdup(value);
	c->n++;
}

/* mkdir -p for the folder of path. */
static int
config_mkdirs(const char *path, struct err *e)
{
	char	*dir, *p;
	int	 rc = 0;

	dir = xstrdup(path);
	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = err_set(e, TEND_EIO, "cannot create '%s': %s",
			    dir, strerror(errno));
			break;
		}
		*p = '/';
	}
	free(dir);
	return rc;
}

int
config_save(const struct config *c, struct err *e)
{
	FILE	*f;
	char	*tmp;
	size_t	 i;
	int	 rc = 0;

	if ((rc = config_mkdirs(c->path, e)) != 0)
		return rc;
	tmp = xasprintf("%s.tmp", c->path);
	f = fopen(tmp, "w");
	if (f == NULL) {
		rc = err_set(e, TEND_EIO, "cannot write '%s': %s", tmp,
		    strerror(errno));
		goto out;
	}
	fprintf(f, "# tend settings: 'tend config' reads and writes this.\n");
	for (i = 0; i < c->n; i++)
		fprintf(f, "%s = %s\n", c->keys[i], c->values[i]);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f)) {
		rc = err_set(e, TEND_EIO, "cannot write '%s': %s", tmp,
		    strerror(errno));
		fclose(f);
		unlink(tmp);
		goto out;
	}
	fclose(f);
	if (rename(tmp, c->path) != 0) {
		rc = err_set(e, TEND_EIO, "cannot write '%s': %s", c->path,
		    strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	return rc;
}

size_t
config_count(const struct config *c)
{
	return c->n;
}

const char *
config_key(const struct config *c, size_t i)
{
	return c->keys[i];
}

const char *
config_value(const struct config *c, size_t i)
{
	return c->values[i];
}

const char *
config_path(const struct config *c)
{
	return c->path;
}
