/*
 * Mustache templates (the mustache spec: interpolation, sections,
 * inverted sections, comments, partials, set delimiters; no lambdas, no
 * inheritance) over a jansson view.  One engine for messages and pages:
 * parse once, render many times, from many threads.  Never prints.
 */
#ifndef TEND_MUSTACHE_H
#define TEND_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

#define MUSTACHE_SRC_MAX	(1024 * 1024)	/* bytes of one template */
#define MUSTACHE_OUT_MAX	(1024 * 1024)	/* default output limit */
#define MUSTACHE_DEPTH_MAX	100	/* nested sections; nested partials */

/* A parsed template: immutable, shareable between threads. */
struct mustache;

/*
 * Parse src (len bytes of UTF-8; a NUL byte or bad UTF-8 is refused).
 * On success *out holds a new template the caller frees with
 * mustache_free(); src may be freed at once.  On error *out is NULL and
 * the result is TEND_EINVAL with a message such as
 *	line 3: unclosed section 'deal'
 *	line 7: '/deal' closes 'contact'
 *	line 7: '/deal' closes no section
 *	line 2: unclosed tag
 *	line 1: bad delimiter tag
 *	line 4: empty tag
 *	line 4: bad name 'a..b'
 *	line 9: sections nested deeper than 100
 *	line 5: template inheritance is not supported
 *	line 5: template contains a NUL byte
 *	line 5: template is not valid UTF-8
 *	template larger than 1048576 bytes
 * Names are as written in the tag, trimmed of blanks; a name has no
 * blanks inside and, but for a partial's, no empty part between its
 * dots ("." alone is the current item).
 */
int	mustache_parse(const char *src, size_t len, struct mustache **out,
	    struct err *);
void	mustache_free(struct mustache *);	/* NULL: no-op */

struct mustache_opts {
	json_t	*partials;	/* object: name -> template text; NULL: none
				 * (a missing partial renders as "") */
	int	 raw;		/* 1: {{x}} is not HTML-escaped (text/plain
				 * bodies, subjects) */
	int	 strict;	/* 1: for messages, see mustache_render() */
	size_t	 max_out;	/* output limit in bytes; 0: MUSTACHE_OUT_MAX */
};

/*
 * Render m with view (any JSON value; NULL: an empty view) into a new
 * NUL-terminated string: *out (caller frees with free()) and *len (bytes
 * without the NUL).  opts may be NULL (lenient, escaped, no partials).
 *
 * As the spec says: {{x}} is HTML-escaped (& < > " and ' ) unless raw,
 * {{{x}}} and {{&x}} never are; a name is looked up from the innermost
 * context outwards (the first context that has the key wins, even when
 * its value is null), and each further part of a dotted name only inside
 * the value before it; numbers print as integers or as the shortest real
 * that reads back the same (1.21, not 1.2099999999999999); null, missing
 * values, objects and lists print as "", true and false as "true" and
 * "false".  A section is skipped for a missing value, null, false, "" and
 * an empty list, repeated for each item of a list, and rendered once
 * with the value as the innermost context otherwise.  A partial is
 * parsed when first used in a render (with default delimiters) and a
 * standalone partial tag indents every line of the partial.
 *
 * strict (messages): interpolating a value that is missing, null, false,
 * a string empty after trimming blanks, an object or a list fails with
 * TEND_EINVAL and "template uses 'contact.company', which is empty" (or
 * ", which is not text" for an object or a list), naming the field as
 * written; a blank string is also false for sections, so
 * {{#x}}..{{/x}}{{^x}}..{{/x}} is how a template gives a fallback.
 *
 * Other errors (TEND_EINVAL; *out is NULL): "template output exceeds N
 * bytes"; "partials nested deeper than 100"; "partial 'p': line 2: ..."
 * (a partial that does not parse); "template needs more than N steps to
 * render" (a loop over loops that would run for ever: the work of one
 * render is bounded by a budget that grows with max_out).
 * Output may hold a NUL byte only where the view's strings do.
 */
int	mustache_render(const struct mustache *m, json_t *view,
	    const struct mustache_opts *opts, char **out, size_t *len,
	    struct err *);

/*
 * Call fn for every name the template (not its partials) uses, in the
 * order they appear, with its kind and line (1-based).  Closing tags,
 * comments and delimiter tags are not reported.  Names inside a section
 * are reported as written (so {{#deal}}{{title}}{{/deal}} gives "deal"
 * then "title").  If fn returns non-zero, mustache_names() stops and
 * returns that value; else it returns 0.
 */
enum mustache_tag {
	MUSTACHE_VAR,
	MUSTACHE_SECTION,
	MUSTACHE_INVERTED,
	MUSTACHE_PARTIAL
};
typedef int	(*mustache_name_fn)(const char *name, enum mustache_tag,
		    int line, void *arg);
int	mustache_names(const struct mustache *, mustache_name_fn, void *arg);

#endif
