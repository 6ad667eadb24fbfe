/*
 * Filling struct err.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

int
err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list	ap;

	if (e == NULL)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

int
err_prefix(struct err *e, int code, const char *fmt, ...)
{
	char	old[ERR_MSG_MAX];
	va_list	ap;
	size_t	used, l;
	int	n;

	if (e == NULL)
		return code;
	memcpy(old, e->msg, sizeof old);
	old[sizeof old - 1] = '\0';
	e->code = code;
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 3 >= sizeof e->msg)
		return code;
	/* the old message is cut to fit, as snprintf would */
	used = (size_t)n;
	memcpy(e->msg + used, ": ", 2);
	used += 2;
	l = strlen(old);
	if (l > sizeof e->msg - used - 1)
		l = sizeof e->msg - used - 1;
	memcpy(e->msg + used, old, l);
	e->msg[used + l] = '\0';
	return code;
}

const char *
err_name(int code)
{
	switch (code) {
	case TEND_OK:
		return "ok";
	case TEND_EINVAL:
		return "invalid";
	case TEND_ENOTFOUND:
		return "not found";
	case TEND_ECONFLICT:
		return "conflict";
	case TEND_EBUSY:
		return "busy";
	case TEND_EIO:
		return "i/o error";
	case TEND_EUSAGE:
		return "usage";
	case TEND_EAMBIGUOUS:
		return "ambiguous";
	case TEND_ECORRUPT:
		return "corrupt";
	case TEND_EVERSION:
		return "version";
	case TEND_EMAIL_TEMP:
		return "mail deferred";
	case TEND_EMAIL_PERM:
		return "mail refused";
	}
	return "unknown";
}
