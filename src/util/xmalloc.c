/*
 * Allocation wrappers that abort on failure.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static void
xmalloc_die(size_t n)
{
	fprintf(stderr, "tend: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	p = malloc(n == 0 ? 1 : n);
	if (p == NULL)
		xmalloc_die(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size);
	if (p == NULL)
		xmalloc_die(nmemb * size);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void	*p;

	p = realloc(old, n == 0 ? 1 : n);
	if (p == NULL)
		xmalloc_die(n);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_die(strlen(fmt));
	return p;
}
