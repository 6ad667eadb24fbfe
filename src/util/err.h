/*
 * Errors returned by library code: a negative status and an optional
 * message complete enough to print as it is.  Only src/cli turns them
 * into exit codes.
 */
#ifndef TEND_ERR_H
#define TEND_ERR_H

enum tend_err {
	TEND_OK = 0,
	TEND_EINVAL = -1,	/* bad input data (exit 65) */
	TEND_ENOTFOUND = -2,	/* no such thing (exit 65) */
	TEND_ECONFLICT = -3,	/* already exists, or state forbids it */
	TEND_EBUSY = -4,	/* database locked past the busy timeout (69) */
	TEND_EIO = -5,		/* I/O or internal failure (exit 1) */
	TEND_EUSAGE = -6,	/* bad command line (exit 2) */
	TEND_EAMBIGUOUS = -7,	/* a reference matches several (exit 2) */
	TEND_ECORRUPT = -8,	/* not a tend database, or damaged (exit 65) */
	TEND_EVERSION = -9,	/* written by a newer tend (exit 1) */
	TEND_EMAIL_TEMP = -10,	/* mail: try again later (4xx, timeout) (69) */
	TEND_EMAIL_PERM = -11	/* mail: refused for good (5xx) (exit 1) */
};

#define ERR_MSG_MAX 1024

struct err {
	int	code;
	char	msg[ERR_MSG_MAX];
};

/*
 * Record code and a printf-style message in e (which may be NULL) and
 * return code, so callers can write "return err_set(e, ...)".
 */
int	err_set(struct err *e, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Put "<prefix>: " before the message already in e (which may be NULL)
 * and return code: err_prefix(e, rc, "template '%s'", name).
 */
int	err_prefix(struct err *e, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* A short name of a status code, for logs and tests. */
const char *err_name(int code);

#endif
