/*
 * The follow-up block: the time set aside on some days of the week to do
 * follow-ups (setting agenda.block, "mon-fri 08:30-09:00").  Pure: no I/O,
 * no clock; now is a parameter.
 */
#ifndef TEND_BLOCK_H
#define TEND_BLOCK_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define BLOCK_TEXT_MAX	200	/* longest setting accepted */
#define BLOCK_BUFSZ	64	/* enough for every block_format() */
#define BLOCK_ALL_DAYS	0x7fu
#define BLOCK_WEEKDAYS	0x3eu	/* Monday to Friday */

struct block {
	unsigned	days;	/* bit d: weekday d, 0 = Sunday */
	int		start;	/* minutes after midnight, 0..1438 */
	int		end;	/* minutes, start < end <= 1439 */
};

/*
 * Parse a block: days, then times.
 *   days    daily, weekdays (mon-fri), or a comma list of days (mon, tue,
 *           ... sun or monday ... sunday) and ranges of them (mon-fri,
 *           tue-thu; a range may wrap past Sunday: sun-thu, fri-mon)
 *   times   START-END, each H:MM or HH:MM on a 24-hour clock, the end
 *           after the start on the same day
 * Case-insensitive; blanks around the dash and commas and around the
 * whole are ignored: "mon, wed, fri 16:00 - 16:30".
 * Returns 0, or TEND_EINVAL with "invalid block '<text>': <why>" in err;
 * *out is then unchanged.
 */
int	 block_parse(const char *text, struct block *out, struct err *err);

/* 1 if the block falls on weekday wday (0 = Sunday), else 0. */
int	 block_on(const struct block *b, int wday);

/*
 * The canonical text, which block_parse() reads back to the same struct:
 * "daily 09:00-09:20", "mon-fri 08:30-09:00", "mon,wed,fri 16:00-16:30"
 * (three or more days in a row, Monday first, make a range).  Writes into
 * buf (n bytes, truncated to fit; BLOCK_BUFSZ is enough) and returns buf.
 */
char	*block_format(const struct block *b, char *buf, size_t n);

/*
 * The first block on a day it falls on, from now's local day in tz on
 * (today's counts even when it is over): its start, and its end in *end.
 * Wall times in a DST gap move forward (see when.h).
 */
int64_t	 block_first(const struct block *b, int64_t now, const char *tz,
	    int64_t *end);

#endif
