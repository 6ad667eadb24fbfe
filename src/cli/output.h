/*
 * Printing: aligned tables for people, JSON (jansson) for programs.
 */
#ifndef TEND_OUTPUT_H
#define TEND_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct cmd_ctx;
struct arena;
struct contact;
struct contact_extra;

/* Print v (taking its reference) with a newline. */
void	 out_json(struct cmd_ctx *, json_t *v);
/* A JSON string, or null for NULL. */
json_t	*out_jstr(const char *);
/* A reference to a contact: {"id", "name"}. */
json_t	*out_jref(int64_t id, const char *name);
/* An amount in currency units (whole, or with cents), or null. */
json_t	*out_jmoney(int has, int64_t cents);
/* An ISO 8601 time in the user's zone, or null for 0. */
json_t	*out_jtime(struct cmd_ctx *, int64_t);
/* The whole contact record. */
json_t	*out_jcontact(struct cmd_ctx *, const struct contact *);

/* "2026-12-01" (or with time when not midnight), "-" for 0. */
const char *out_date(struct cmd_ctx *, int64_t);

/* A table: add cells row by row, then print aligned. */
struct table;
struct table	*table_new(struct cmd_ctx *, int ncols);
void		 table_cell(struct table *, const char *);
void		 table_cellf(struct table *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 table_print(struct table *, FILE *);

/* Display width of UTF-8 text (code points; wide East Asian as 2). */
size_t	 out_width(const char *);

/* s cut to width columns with a trailing "…" when it is wider. */
const char *out_trunc(struct arena *, const char *s, size_t width);

/* Print s padded with spaces to width columns. */
void	 out_pad(FILE *, const char *s, size_t width);

/* 1 when colour may be used on stdout. */
int	 out_colour(void);

/* 1 for an extra whose value is not printed: a photo, logo, sound, data. */
int	out_extra_hidden(const struct contact_extra *);

#endif
