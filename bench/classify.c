/*
 * classify: how fast tend reads incoming mail, for the benchmark:
 *
 *	classify [-t SECONDS] [-n PASSES] [DIR]
 *
 * Reads every *.eml of DIR (../shared/corpus/eml) into memory, prints the
 * class of each, then times passes over all of them: mime_parse (GMime
 * into struct inbound_msg) + inbound_classify, as tend inbound does, and
 * in the same process the reference, GMime alone constructing each
 * message from a memory stream.  The last line is for scripts:
 *
 *	result MSGS TEND_MSG_PER_S GMIME_MSG_PER_S RATIO
 */
#include <dirent.h>
#include <errno.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail/inbound.h"
#include "mail/mime.h"
#include "mail/parse.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define CLASSIFY_FILES_MAX	4096
#define CLASSIFY_DIR		"../shared/corpus/eml"
/* 2026-11-23T09:00:00Z: the date relative return dates count from */
#define CLASSIFY_NOW		((int64_t)1795424400)
/* each side runs in this many turns, alternating */
#define CLASSIFY_TURNS		10

struct eml {
	char	*name;
	char	*raw;
	size_t	 len;
};

/* The context a user of tend would give: their own address and the
 * inquiry address; the thread and sender lookups found nothing. */
static const char *const classify_own[] = { "sam@example.org" };

static double
classify_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
classify_usage(FILE *f)
{
	fprintf(f, "usage: classify [-t SECONDS] [-n PASSES] [DIR]\n"
	    "Time mime_parse + inbound_classify against GMime alone over the\n"
	    "*.eml files of DIR (default %s).\n"
	    "  -t SECONDS  time each side for about this long (default 2)\n"
	    "  -n PASSES   or exactly this many passes (at least %d)\n",
	    CLASSIFY_DIR, CLASSIFY_TURNS);
}

static int
classify_cmp(const void *a, const void *b)
{
	const struct eml	*x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* The whole file at path, into *e; -1 with a message on failure. */
static int
classify_slurp(const char *path, const char *name, struct eml *e)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 cap = 0, n = 0, r;
	int	 rc = -1;

	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "classify: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 131072;
			buf = xrealloc(buf, cap + 1);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "classify: cannot read %s\n", path);
		free(buf);
		goto out;
	}
	buf[n] = '\0';
	e->name = xstrdup(name);
	e->raw = buf;
	e->len = n;
	rc = 0;
out:
	fclose(f);
	return rc;
}

static int
classify_load(const char *dir, struct eml *v, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[4096];
	size_t		 k;
	int		 rc = 0;

	*n = 0;
	d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "classify: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		k = strlen(de->d_name);
		if (k < 5 || strcmp(de->d_name + k - 4, ".eml") != 0)
			continue;
		if (*n == CLASSIFY_FILES_MAX) {
			fprintf(stderr, "classify: over %d files in %s\n",
			    CLASSIFY_FILES_MAX, dir);
			rc = -1;
			break;
		}
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
		    de->d_name) >= sizeof path) {
			fprintf(stderr, "classify: path too long: %s\n",
			    de->d_name);
			rc = -1;
			break;
		}
		if ((rc = classify_slurp(path, de->d_name, &v[*n])) != 0)
			break;
		(*n)++;
	}
	closedir(d);
	qsort(v, *n, sizeof *v, classify_cmp);
	return rc;
}

static void
classify_ctx(struct inbound_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->own = classify_own;
	ctx->nown = sizeof classify_own / sizeof classify_own[0];
	ctx->inquiry_addr = "hello@example.org";
	ctx->unsub_addr = "unsubscribe@example.org";
}

/* tend's side, once over every file; the count of classes in cls. */
static int
classify_pass(const struct eml *v, size_t n, size_t *cls)
{
	struct inbound_ctx	 ctx;
	struct inbound_verdict	 vd;
	struct inbound_msg	*m;
	struct err		 e;
	size_t			 i;

	classify_ctx(&ctx);
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof e);
		if (mime_parse(v[i].raw, v[i].len, &m, &e) != 0) {
			fprintf(stderr, "classify: %s: %s\n", v[i].name,
			    e.msg);
			return -1;
		}
		inbound_classify(m, &ctx, CLASSIFY_NOW, &vd);
		cls[vd.cls]++;
		mime_msg_free(m);
	}
	return 0;
}

/* The reference: GMime alone, once over every file. */
static int
gmime_pass(const struct eml *v, size_t n, size_t *parts)
{
	GMimeStream	*st;
	GMimeParser	*p;
	GMimeMessage	*msg;
	size_t		 i;

	for (i = 0; i < n; i++) {
		st = g_mime_stream_mem_new_with_buffer(v[i].raw, v[i].len);
		p = g_mime_parser_new_with_stream(st);
		g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
		msg = g_mime_parser_construct_message(p, NULL);
		g_object_unref(p);
		g_object_unref(st);
		if (msg == NULL) {
			fprintf(stderr, "classify: %s: GMime read no message\n",
			    v[i].name);
			return -1;
		}
		if (g_mime_message_get_mime_part(msg) != NULL)
			(*parts)++;
		g_object_unref(msg);
	}
	return 0;
}

/*
 * Passes of one side until secs have gone by (at least one pass), or
 * exactly passes of them when passes > 0; the passes done and the time
 * they took are added to *done and *spent.  -1 on a failed parse.
 */
static int
classify_time(int gmime, const struct eml *v, size_t n, long passes,
    double secs, long *done, double *spent)
{
	size_t	cls[INBOUND_INQUIRY + 1];
	size_t	parts = 0;
	double	t0, t;
	long	k = 0;

	memset(cls, 0, sizeof cls);
	t0 = classify_clock();
	for (;;) {
		if ((gmime ? gmime_pass(v, n, &parts) :
		    classify_pass(v, n, cls)) != 0)
			return -1;
		k++;
		t = classify_clock() - t0;
		if (passes > 0 ? k >= passes : t >= secs)
			break;
	}
	*done += k;
	*spent += t;
	return 0;
}

static long
classify_num(const char *s, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > max)
		return -1;
	return v;
}

int
main(int argc, char **argv)
{
	struct inbound_ctx	 ctx;
	struct inbound_verdict	 vd;
	struct inbound_msg	*m;
	struct eml		*v;
	struct err		 e;
	const char		*dir = CLASSIFY_DIR;
	double			 secs = 2, tend, ref, tt = 0, gt = 0;
	long			 passes = 0, tp = 0, gp = 0, s, k;
	size_t			 n = 0, i, bytes = 0;
	int			 c, rc = 1;

	while ((c = getopt(argc, argv, "ht:n:")) != -1) {
		switch (c) {
		case 't':
			if ((s = classify_num(optarg, 3600)) < 0) {
				classify_usage(stderr);
				return 2;
			}
			secs = (double)s;
			break;
		case 'n':
			passes = classify_num(optarg, 100000000);
			if (passes < CLASSIFY_TURNS) {
				classify_usage(stderr);
				return 2;
			}
			break;
		case 'h':
			classify_usage(stdout);
			return 0;
		default:
			classify_usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		classify_usage(stderr);
		return 2;
	}
	if (argc - optind == 1)
		dir = argv[optind];

	v = xcalloc(CLASSIFY_FILES_MAX, sizeof *v);
	mime_init();
	if (classify_load(dir, v, &n) != 0)
		goto out;
	if (n == 0) {
		fprintf(stderr, "classify: no .eml file in %s\n", dir);
		goto out;
	}

	/* what each one is: proof that the timed loop does real work */
	classify_ctx(&ctx);
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof e);
		if (mime_parse(v[i].raw, v[i].len, &m, &e) != 0) {
			fprintf(stderr, "classify: %s: %s\n", v[i].name,
			    e.msg);
			goto out;
		}
		inbound_classify(m, &ctx, CLASSIFY_NOW, &vd);
		printf("%-12s %s (%s)\n", inbound_class_name(vd.cls),
		    v[i].name, vd.why);
		mime_msg_free(m);
		bytes += v[i].len;
	}

	/*
	 * A warm-up pass of each, then the two sides in turns of a tenth of
	 * the time, so that a change in the machine's load (it is shared)
	 * falls on both alike.
	 */
	if (classify_time(0, v, n, 1, 0, &tp, &tt) != 0 ||
	    classify_time(1, v, n, 1, 0, &gp, &gt) != 0)
		goto out;
	tp = gp = 0;
	tt = gt = 0;
	for (k = 0; k < CLASSIFY_TURNS; k++) {
		if (classify_time(0, v, n, passes > 0 ? (passes + k) /
		    CLASSIFY_TURNS : 0, secs / CLASSIFY_TURNS, &tp, &tt) != 0 ||
		    classify_time(1, v, n, passes > 0 ? (passes + k) /
		    CLASSIFY_TURNS : 0, secs / CLASSIFY_TURNS, &gp, &gt) != 0)
			goto out;
	}
	tend = (double)(tp * (long)n) / tt;
	ref = (double)(gp * (long)n) / gt;
	printf("%zu messages, %zu bytes\n", n, bytes);
	printf("mime_parse + inbound_classify: %.0f msg/s (%ld passes)\n",
	    tend, tp);
	printf("GMime alone (construct_message): %.0f msg/s (%ld passes)\n",
	    ref, gp);
	printf("ratio tend / GMime: %.2f\n", tend / ref);
	printf("result %zu %.0f %.0f %.3f\n", n, tend, ref, tend / ref);
	rc = 0;
out:
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].raw);
	}
	free(v);
	mime_shutdown();
	return rc;
}
