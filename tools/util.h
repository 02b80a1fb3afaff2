/* SPDX-License-Identifier: GPL-2.0 */
/* util.h - small helpers shared by the host programs. */
#ifndef NICRIG_UTIL_H
#define NICRIG_UTIL_H

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Formats a message into err[len] and returns -1, for `return set_error(...)`. */
static inline int __attribute__((format(printf, 3, 4)))
set_error(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * A number from a file, the command line or the guest: decimal digits only
 * (no sign, blanks or base prefix), no overflow, lo <= value <= hi.  0 with
 * *v set, else -1 with *v untouched.
 */
static inline int parse_ulong(const char *s, unsigned long lo, unsigned long hi,
			      unsigned long *v)
{
	unsigned long n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned int d = *s - '0';

		if (d > 9 || n > (ULONG_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	if (n < lo || n > hi)
		return -1;
	*v = n;
	return 0;
}

/*
 * snprintf for a message (a detail, a reason), not a path: one too long for
 * buf is cut and ends in "..." so that the cut shows.  A path that does not
 * fit is an error instead: check snprintf's return where paths are built.
 */
static inline void __attribute__((format(printf, 3, 4)))
message_printf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= len && len >= 4)
		memcpy(buf + len - 4, "...", 4);
}

/* A rig, test or variant name: letters, digits, '_', '-', '.'; not empty. */
static inline int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return 1;
}

/* Seconds on the monotonic clock: deadlines, timers and durations. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* NICRIG_UTIL_H */
