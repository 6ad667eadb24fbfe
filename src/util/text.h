/*
 * Checks on text that comes from outside: valid UTF-8, no control
 * characters, a maximum length.  Pure functions.
 */
#ifndef TEND_TEXT_H
#define TEND_TEXT_H

#include <stddef.h>

#include "util/err.h"

#define TEXT_SHORT_MAX	200	/* names, companies, titles, tags */
#define TEXT_LONG_MAX	10000	/* needs, notes, summaries */

/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int	text_utf8_valid(const char *s, size_t n);

/*
 * Check a field value: valid UTF-8, at most max bytes, no control
 * characters (tab and, when multiline, newline allowed).  what names the
 * field in the message ("name", "note").  Returns 0 or TEND_EINVAL.
 */
int	text_check(const char *what, const char *s, size_t max, int multiline,
	    struct err *);

/*
 * Lower-case the letters of s, in every script ("Émile" gives "émile"),
 * into a new string (caller frees); bytes that are not UTF-8 are kept.
 */
char	*text_fold(const char *s);

/* Remove leading and trailing white space in place; returns s. */
char	*text_trim(char *s);

#endif
