/*
 * Filling struct err.
 */
#include <stdarg.h>
#include <stdio.h>

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
	}
	return "unknown";
}
