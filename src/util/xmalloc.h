/*
 * Allocation that cannot fail: on out of memory these print a message
 * and abort, so callers need no NULL branches.
 */
#ifndef TEND_XMALLOC_H
#define TEND_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
