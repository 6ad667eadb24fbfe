/*
 * Deal stages, money amounts and the checks on a deal.  The stage list
 * is data (a setting), so it is parsed here rather than compiled in.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/deal.h"
#include "core/when.h"
#include "util/text.h"

static int
deal_stage_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

int
deal_stages_parse(const char *setting, struct deal_stages *out,
    struct err *e)
{
	const char	*p;
	size_t		 len, i;

	out->n = 0;
	if (setting == NULL)
		setting = DEAL_STAGES_DEFAULT;
	for (p = setting;; p += len + 1) {
		len = strcspn(p, ",");
		if (len == 0 || len > DEAL_STAGE_LEN ||
		    out->n == DEAL_STAGES_MAX)
			goto bad;
		for (i = 0; i < len; i++)
			if (!deal_stage_char(p[i]))
				goto bad;
		for (i = 0; i < out->n; i++)
			if (strlen(out->name[i]) == len &&
			    memcmp(out->name[i], p, len) == 0)
				goto bad;
		memcpy(out->name[out->n], p, len);
		out->name[out->n][len] = '\0';
		out->n++;
		if (p[len] == '\0')
			break;
	}
	if (out->n < DEAL_STAGES_MIN)
		goto bad;
	return 0;
bad:
	out->n = 0;
	return err_set(e, TEND_EINVAL, "invalid deal.stages '%s': expected "
	    "%d to %d unique lowercase words separated by commas, the last "
	    "two closing a deal (won,lost)", setting, DEAL_STAGES_MIN,
	    DEAL_STAGES_MAX);
}

int
deal_stage_index(const struct deal_stages *st, const char *name)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < st->n; i++)
		if (strcasecmp(st->name[i], name) == 0)
			return (int)i;
	return -1;
}

int
deal_stage_closes(const struct deal_stages *st, size_t i)
{
	return i < st->n && i + DEAL_CLOSING >= st->n;
}

char *
deal_stages_text(const struct deal_stages *st, char *buf, size_t n)
{
	size_t	i, off = 0;
	int	k;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < st->n && off < n; i++) {
		k = snprintf(buf + off, n - off, "%s%s",
		    i == 0 ? "" : i + 1 == st->n ? " or " : ", ", st->name[i]);
		if (k < 0)
			break;
		off += (size_t)k;
	}
	return buf;
}

int
deal_stage_find(const struct deal_stages *st, const char *name,
    size_t *index, struct err *e)
{
	char	list[DEAL_STAGES_MAX * (DEAL_STAGE_LEN + 4)];
	int	i;

	i = deal_stage_index(st, name);
	if (i >= 0) {
		*index = (size_t)i;
		return 0;
	}
	deal_stages_text(st, list, sizeof list);
	/* a stage name from outside may hold anything: do not echo it all */
	return err_set(e, TEND_EINVAL, "unknown stage '%.64s' (expected %s)",
	    name != NULL ? name : "", list);
}

int
deal_money_parse(const char *text, int64_t *cents, struct err *e)
{
	const char	*p, *end;
	const char	*why = "expected an amount like 4500, 4,500 or 4500.50";
	int64_t		 units = 0, frac = 0;
	size_t		 group = 0, ndec = 0;
	int		 commas = 0;

	p = text;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p < end && *p == '-') {
		why = "must not be negative";
		goto bad;
	}
	if (p == end || !isdigit((unsigned char)*p))
		goto bad;
	for (; p < end && *p != '.'; p++) {
		if (*p == ',') {
			/* thousands separators: 1-3 digits, then groups of 3 */
			if ((commas == 0 && (group == 0 || group > 3)) ||
			    (commas > 0 && group != 3))
				goto bad;
			commas++;
			group = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			goto bad;
		if (units > DEAL_VALUE_MAX / 100 / 10) {
			why = "too large (at most 999,999,999,999.99)";
			goto bad;
		}
		units = units * 10 + (*p - '0');
		group++;
	}
	if (commas > 0 && group != 3)
		goto bad;
	if (p < end) {
		/* the decimals: one or two, for cents */
		for (p++; p < end; p++) {
			if (!isdigit((unsigned char)*p))
				goto bad;
			if (++ndec <= 2)
				frac = frac * 10 + (*p - '0');
		}
		if (ndec == 0)
			goto bad;
		if (ndec > 2) {
			why = "at most two decimals (cents)";
			goto bad;
		}
		if (ndec == 1)
			frac *= 10;
	}
	if (units > DEAL_VALUE_MAX / 100) {
		why = "too large (at most 999,999,999,999.99)";
		goto bad;
	}
	*cents = units * 100 + frac;
	return 0;
bad:
	return err_set(e, TEND_EINVAL, "invalid value '%.64s': %s", text,
	    why);
}

char *
deal_money_format(int64_t cents, char *buf, size_t n)
{
	char		 digits[24], tmp[DEAL_MONEY_BUFSZ];
	uint64_t	 u, units, frac;
	size_t		 len, i, o = 0;

	if (n == 0)
		return buf;
	/* negate in unsigned arithmetic: INT64_MIN has no positive twin */
	u = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
	units = u / 100;
	frac = u % 100;
	snprintf(digits, sizeof digits, "%llu", (unsigned long long)units);
	len = strlen(digits);
	if (cents < 0)
		tmp[o++] = '-';
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = digits[i];
	}
	tmp[o] = '\0';
	if (frac != 0)
		snprintf(buf, n, "%s.%02u", tmp, (unsigned)frac);
	else
		snprintf(buf, n, "%s", tmp);
	return buf;
}

int
deal_check(const struct deal *d, struct err *e)
{
	int	rc;

	if (d->title == NULL || *d->title == '\0')
		return err_set(e, TEND_EINVAL, "the deal needs a title");
	if ((rc = text_check("title", d->title, TEXT_SHORT_MAX, 0, e)) != 0)
		return rc;
	if (d->next_step != NULL) {
		if (*d->next_step == '\0')
			return err_set(e, TEND_EINVAL, "next step is empty");
		if ((rc = text_check("next step", d->next_step,
		    TEXT_LONG_MAX, 0, e)) != 0)
			return rc;
	} else if (d->next_due != 0)
		return err_set(e, TEND_EINVAL, "a due date needs a next step");
	if (d->has_value &&
	    (d->value_cents < 0 || d->value_cents > DEAL_VALUE_MAX))
		return err_set(e, TEND_EINVAL, "value out of range");
	return 0;
}

enum deal_flag
deal_flag(const struct deal *d, int64_t now, const char *tz, int *days)
{
	int	late;

	*days = 0;
	if (d->closed)
		return DEAL_FLAG_NONE;
	if (d->next_step == NULL)
		return DEAL_FLAG_NO_STEP;
	if (d->next_due == 0)
		return DEAL_FLAG_NONE;
	late = when_days_between(d->next_due, now, tz);
	if (late <= 0)
		return DEAL_FLAG_NONE;
	*days = late;
	return DEAL_FLAG_OVERDUE;
}

char *
deal_flag_text(enum deal_flag f, int days, char *buf, size_t n)
{
	switch (f) {
	case DEAL_FLAG_NO_STEP:
		snprintf(buf, n, "NO NEXT STEP");
		break;
	case DEAL_FLAG_OVERDUE:
		snprintf(buf, n, "OVERDUE %dd", days);
		break;
	case DEAL_FLAG_NONE:
	default:
		if (n > 0)
			buf[0] = '\0';
		break;
	}
	return buf;
}

const char *
deal_flag_name(enum deal_flag f)
{
	switch (f) {
	case DEAL_FLAG_NO_STEP:
		return "no-next-step";
	case DEAL_FLAG_OVERDUE:
		return "overdue";
	case DEAL_FLAG_NONE:
	default:
		return NULL;
	}
}
