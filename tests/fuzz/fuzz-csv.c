/*
 * libFuzzer target for the CSV reader and its mapping: the input is read
 * as a CSV file, once as it is and once with a --map rule taken from its
 * first bytes and a small record limit; every record (going on after a
 * bad one) is written back in tend's layout and Google's, and those must
 * read back without an error, with as many records, and (tend's layout)
 * the same names.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contact.h"
#include "interop/csv.h"
#include "util/arena.h"
#include "util/err.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fields[] = {
	"name", "first_name", "last_name", "email", "phone", "company",
	"title", "notes", "tags", "kind", "met_where", "met_on", "source",
	"needs", "tz", "birthday"	/* the last one is not a field */
};

#define MAX_NAMES	4096

struct run {
	size_t		 n;		/* contacts that name someone */
	const char	*names[MAX_NAMES];
	char		*out[2];	/* written: tend, google */
	size_t		 outlen[2];
};

static int
empty(const struct contact *c)
{
	return c->name == NULL && c->emails.n == 0 && c->phones.n == 0 &&
	    c->company == NULL;
}

/* Read everything from f; write what was read into run->out. */
static void
read_all(FILE *f, const char *name, char **maps, size_t nmaps,
    size_t limit, struct arena *a, struct run *run, int must_work)
{
	struct csv_reader	*r;
	struct contact		*c;
	struct err		 e;
	FILE			*w[2];
	size_t			 i, calls = 0;
	int			 rc;

	memset(run, 0, sizeof *run);
	rc = csv_reader_new(f, name, "UTC", maps, nmaps, &r, &e);
	if (rc != 0) {
		if (must_work || (rc != TEND_EINVAL && rc != TEND_EIO) ||
		    e.msg[0] == '\0')
			abort();
		return;
	}
	if (limit > 0)
		csv_reader_limit(r, limit);
	for (i = 0; i < 2; i++) {
		w[i] = open_memstream(&run->out[i], &run->outlen[i]);
		if (w[i] == NULL ||
		    csv_write_header(w[i], i == 0 ? CSV_TEND : CSV_GOOGLE,
		    &e) != 0)
			abort();
	}
	while ((rc = csv_read(r, a, &c, &e)) != 0) {
		if (++calls > 1000000)
			abort();	/* no progress */
		if (rc < 0) {
			if (must_work || rc != TEND_EINVAL ||
			    strncmp(e.msg, name, strlen(name)) != 0)
				abort();
			continue;
		}
		if (empty(c))
			continue;
		if (run->n < MAX_NAMES)
			run->names[run->n] = c->name;
		run->n++;
		if (csv_write_contact(w[0], CSV_TEND, c, "UTC", &e) != 0 ||
		    csv_write_contact(w[1], CSV_GOOGLE, c, "UTC", &e) != 0)
			abort();
	}
	fclose(w[0]);
	fclose(w[1]);
	csv_reader_free(r);
}

static int
same(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

/* What was written reads back with the same records. */
static void
check_back(const struct run *first, struct arena *a)
{
	struct run	*again;
	FILE		*f;
	size_t		 i, k;

	again = malloc(sizeof *again);
	for (k = 0; k < 2; k++) {
		f = fmemopen(first->out[k], first->outlen[k], "r");
		if (f == NULL)
			abort();
		read_all(f, k == 0 ? "tend.csv" : "google.csv", NULL, 0, 0,
		    a, again, 1);
		fclose(f);
		if (again->n != first->n)
			abort();
		for (i = 0; k == 0 && i < first->n && i < MAX_NAMES; i++)
			if (!same(again->names[i], first->names[i]))
				abort();
		free(again->out[0]);
		free(again->out[1]);
	}
	free(again);
}

static void
one(const uint8_t *data, size_t size, char **maps, size_t nmaps,
    size_t limit)
{
	struct arena	*a;
	struct run	*run;
	FILE		*f;

	f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return;
	a = arena_new();
	run = malloc(sizeof *run);
	read_all(f, "fuzz.csv", maps, nmaps, limit, a, run, 0);
	fclose(f);
	if (run->out[0] != NULL)
		check_back(run, a);
	free(run->out[0]);
	free(run->out[1]);
	free(run);
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 rule[64], *maps[1];
	size_t	 n, i;

	if (size == 0)
		return 0;
	one(data, size, NULL, 0, 0);

	/* FIELD=COLUMN from the first bytes: a column name up to a
	 * separator, or a number */
	n = (size_t)snprintf(rule, sizeof rule, "%s=",
	    fields[data[0] % (sizeof fields / sizeof fields[0])]);
	for (i = 1; i < size && i < 16; i++) {
		if (data[i] == ',' || data[i] == '\n' || data[i] == '\r' ||
		    data[i] == '\0')
			break;
		rule[n++] = (char)data[i];
	}
	rule[n] = '\0';
	maps[0] = rule;
	/* and a record limit small enough to be reached */
	one(data, size, maps, 1, 8 + data[size - 1] % 256);
	return 0;
}
