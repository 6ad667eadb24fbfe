/*
 * libFuzzer target for the vCard reader and writer: read every card of
 * the input, going on after a bad one; write each card back as 4.0 and
 * as 3.0 and read that again, which must give one card, no error, and
 * the same name, e-mails and phones.  A difference aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interop/vcard.h"
#include "util/arena.h"
#include "util/err.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
mismatch(const char *what, const char *a, const char *b, const char *text)
{
	fprintf(stderr, "fuzz-vcard: %s differs after a round trip:\n"
	    "  read    '%s'\n  re-read '%s'\nwritten:\n%s\n", what,
	    a != NULL ? a : "(null)", b != NULL ? b : "(null)", text);
	abort();
}

static void
same_str(const char *what, const char *a, const char *b, const char *text)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		mismatch(what, a, b, text);
}

static void
same_list(const char *what, const struct strlist *a,
    const struct strlist *b, const char *text)
{
	size_t	i;

	if (a->n != b->n)
		mismatch(what, a->n > 0 ? a->v[0] : "(none)",
		    b->n > 0 ? b->v[0] : "(none)", text);
	for (i = 0; i < a->n; i++)
		same_str(what, a->v[i], b->v[i], text);
}

static void
round_trip(const struct contact *c, int version)
{
	struct vcard_reader	*r;
	struct contact		*b;
	struct arena		*a;
	struct err		 e;
	char			*text = NULL;
	size_t			 len = 0;
	FILE			*f;
	int			 rc;

	f = open_memstream(&text, &len);
	if (f == NULL)
		abort();
	if (vcard_write(f, c, version, &e) != 0) {
		fprintf(stderr, "fuzz-vcard: vcard_write: %s\n", e.msg);
		abort();
	}
	fclose(f);
	f = fmemopen(text, len, "rb");
	if (f == NULL)
		abort();
	a = arena_new();
	r = vcard_reader_new(f, "out.vcf");
	rc = vcard_read(r, a, &b, &e);
	if (rc != 1) {
		fprintf(stderr, "fuzz-vcard: reading our %d output back: %s\n"
		    "%s\n", version, rc < 0 ? e.msg : "no card", text);
		abort();
	}
	same_str("name", c->name, b->name, text);
	same_list("emails", &c->emails, &b->emails, text);
	same_list("phones", &c->phones, &b->phones, text);
	if (vcard_read(r, a, &b, &e) != 0) {
		fprintf(stderr, "fuzz-vcard: more than one card in:\n%s\n",
		    text);
		abort();
	}
	vcard_reader_free(r);
	arena_free(a);
	fclose(f);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vcard_reader	*r;
	struct contact		*c;
	struct arena		*a;
	struct err		 e;
	FILE			*f;
	int			 rc, n;

	if (size == 0)
		return 0;
	f = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (f == NULL)
		return 0;
	r = vcard_reader_new(f, "fuzz.vcf");
	for (n = 0; n < 100000; n++) {
		a = arena_new();
		rc = vcard_read(r, a, &c, &e);
		if (rc == 1) {
			round_trip(c, 40);
			round_trip(c, 30);
		}
		arena_free(a);
		if (rc == 0 || rc == TEND_EIO)
			break;
	}
	vcard_reader_free(r);
	fclose(f);
	return 0;
}
