/* SPDX-License-Identifier: GPL-2.0 */
/* util.h - small helpers shared by the host programs. */
#ifndef NICRIG_UTIL_H
#define NICRIG_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

/* Formats a message into err[len] and returns -1, for `return fail(...)`. */
static inline int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Seconds on the monotonic clock: deadlines, timers and durations. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* NICRIG_UTIL_H */
