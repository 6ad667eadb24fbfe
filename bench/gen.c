/*
 * gen: write a NEW tend database of N sample contacts, for the benchmark
 * and for anyone reproducing a figure:
 *
 *	gen -n 1000000 -o bench/data/tend-1000000.db [--seed 1] [--now ISO]
 *
 * The file is created by store_open() (tend's own migrations) and filled
 * by sample_generate() (tend's own store API), a transaction every
 * SAMPLE_BATCH contacts.  An existing file is never touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/sample.h"
#include "core/when.h"
#include "store/store.h"
#include "util/err.h"

static double	gen_t0;

static double
gen_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
gen_usage(FILE *f)
{
	fprintf(f, "usage: gen -n N -o FILE [--seed S] [--now ISO] "
	    "[--batch N]\n"
	    "Write a new tend database of N sample contacts (1..%d).\n"
	    "  --seed S   the generator's seed (default 1)\n"
	    "  --now ISO  the clock: history ends then (default TEND_NOW, "
	    "else now)\n"
	    "  --batch N  contacts per transaction (default %d)\n"
	    "  --version  print the sample data version\n",
	    SAMPLE_MAX, SAMPLE_BATCH);
}

static void
gen_progress(size_t done, size_t total, void *arg)
{
	double	t = gen_clock() - gen_t0;

	(void)arg;
	fprintf(stderr, "gen: %zu/%zu contacts (%d%%), %.1f s, %.0f/s\n",
	    done, total, (int)(done * 100 / total), t,
	    t > 0 ? (double)done / t : 0.0);
}

/* A whole number in [lo, hi]. */
static int
gen_number(const char *what, const char *s, unsigned long long lo,
    unsigned long long hi, unsigned long long *out)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v < lo ||
	    v > hi) {
		fprintf(stderr, "gen: %s: '%s' is not a number from %llu to "
		    "%llu\n", what, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static void
gen_unlink(const char *path)
{
	char	p[4096];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "now", required_argument, NULL, 't' },
		{ "batch", required_argument, NULL, 'b' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sample_opts	 o;
	struct sample_stats	 st;
	struct store		*s = NULL;
	struct err		 e;
	unsigned long long	 v;
	const char		*out = NULL, *now = NULL, *tz;
	char			 date[WHEN_BUFSZ];
	double			 t;
	int			 c, fd, rc;

	/*
	 * SQLite frees and reallocates big blocks for every statement that
	 * fires a trigger; glibc would hand the top of the heap back to the
	 * kernel each time (brk and a TLB flush, most of the run time).
	 */
	mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
	mallopt(M_TOP_PAD, 64 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);

	memset(&o, 0, sizeof o);
	memset(&e, 0, sizeof e);
	o.seed = 1;
	o.batch = SAMPLE_BATCH;
	while ((c = getopt_long(argc, argv, "n:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (gen_number("-n", optarg, 1, SAMPLE_MAX, &v) != 0)
				return 2;
			o.contacts = (size_t)v;
			break;
		case 'o':
			out = optarg;
			break;
		case 's':
			if (gen_number("--seed", optarg, 0, UINT64_MAX,
			    &v) != 0)
				return 2;
			o.seed = (uint64_t)v;
			break;
		case 't':
			now = optarg;
			break;
		case 'b':
			if (gen_number("--batch", optarg, 1, SAMPLE_MAX,
			    &v) != 0)
				return 2;
			o.batch = (size_t)v;
			break;
		case 'V':
			printf("%d\n", SAMPLE_VERSION);
			return 0;
		case 'h':
			gen_usage(stdout);
			return 0;
		default:
			gen_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || o.contacts == 0 || out == NULL) {
		gen_usage(stderr);
		return 2;
	}
	tz = getenv("TZ");
	if (tz != NULL && (*tz == '\0' || *tz == ':' || !when_zone_valid(tz)))
		tz = NULL;
	o.tz = tz;
	o.now = (int64_t)time(NULL);
	if (now == NULL)
		now = getenv("TEND_NOW");
	if (now != NULL && *now != '\0' &&
	    when_parse(now, o.now, o.tz, &o.now, &e) != 0) {
		fprintf(stderr, "gen: --now: %s\n", e.msg);
		return 2;
	}
	o.progress = gen_progress;

	/* O_EXCL: refuse an existing file, even one created just now */
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd == -1) {
		fprintf(stderr, "gen: cannot create '%s': %s%s\n", out,
		    strerror(errno), errno == EEXIST ?
		    " (gen never overwrites: remove it first)" : "");
		return 1;
	}
	close(fd);
	when_format(date, sizeof date, o.now, o.tz, WHEN_ISO);
	fprintf(stderr, "gen: %zu contacts into '%s', seed %" PRIu64 ", now "
	    "%s\n", o.contacts, out, o.seed, date);
	gen_t0 = gen_clock();
	rc = store_open(out, 0, &s, &e);
	if (rc == 0)
		rc = sample_generate(s, &o, &st, &e);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "gen: %s\n", e.msg);
		gen_unlink(out);
		return 1;
	}
	t = gen_clock() - gen_t0;
	fprintf(stderr, "gen: done in %.1f s: %zu contacts (%zu referrals), "
	    "%zu interactions, %zu follow-ups (%zu open: %zu overdue, %zu "
	    "today), %zu inquiries waiting, %zu deals (%zu open), %zu "
	    "cadences; showcase contact %" PRId64 "\n", t, st.contacts,
	    st.referrals, st.interactions, st.followups, st.followups_open,
	    st.followups_overdue, st.followups_today, st.inquiries_open,
	    st.deals, st.deals_open, st.cadences, st.showcase_id);
	return 0;
}
