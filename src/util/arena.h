/*
 * An arena: one per unit of work (a CLI command, a request).  Everything
 * allocated from it lives until arena_free(), which frees it all at once.
 */
#ifndef TEND_ARENA_H
#define TEND_ARENA_H

#include <stddef.h>

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *);	/* NULL is a no-op */
/*
 * Free everything allocated so far but keep one chunk for what comes
 * next: for loops that use an arena per item (an import, record by
 * record) without asking malloc for memory each time.
 */
void		 arena_reset(struct arena *);
void		*arena_alloc(struct arena *, size_t);	/* zeroed */
/*
 * An array in a that grows by doubling: returns v when n < *cap, else a
 * copy of its n items of elem bytes with room for *cap (updated) items.
 */
void		*arena_grow(struct arena *, void *v, size_t n, size_t *cap,
		    size_t elem);
char		*arena_strdup(struct arena *, const char *);	/* NULL -> NULL */
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

#endif
