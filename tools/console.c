// SPDX-License-Identifier: GPL-2.0
/*
 * console.c - the console watcher: the guest kernel log, read for splats and kept.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "run.h"
#include "util.h"

/* ---- kernel log ---------------------------------------------------------- */

const char *kernel_log_problem(const char *line)
{
	static const char *const bad[] = {
		"Kernel panic", "BUG:", "WARNING:", "Oops", "KASAN", "UBSAN",
		"Call Trace", "general protection fault", "rcu_sched self-detected stall",
		"RCU detected stall", "kernel BUG at",
		/* the hung task detector (CONFIG_DETECT_HUNG_TASK), in a kernel that has it */
		"blocked for more than",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(line, bad[i]))
			return bad[i];
	return NULL;
}

static void on_console_line(struct run *r, const char *line)
{
	const char *what = kernel_log_problem(line);

	snprintf(r->con.last, sizeof(r->con.last), "%s", line);
	if (!what)
		return;
	if (!r->res->kernel_problems++)
		snprintf(r->res->kernel_problem, sizeof(r->res->kernel_problem), "%s", line);
	if (!strcmp(what, "Kernel panic"))
		fatal(r, "guest kernel panicked: %s", line);
}

/*
 * Reads what is there and hands complete lines to fn.  Returns -1 on EOF of
 * a socket or on an error, 0 if nothing was there (a file at its end), else
 * how many bytes it read (at most 8 KiB).
 */
int read_lines(struct run *r, int fd, struct line_buf *lb, bool file,
		      void (*fn)(struct run *, char *))
{
	ssize_t n = read(fd, lb->buf + lb->len, sizeof(lb->buf) - lb->len - 1);
	char *start, *nl;

	if (n == 0 && file)
		return 0;
	if (n <= 0)
		return n == 0 || (errno != EAGAIN && errno != EINTR) ? -1 : 0;
	lb->len += n;
	lb->buf[lb->len] = '\0';
	start = lb->buf;
	while ((nl = memchr(start, '\n', lb->buf + lb->len - start))) {
		*nl = '\0';
		if (nl > start && nl[-1] == '\r')
			nl[-1] = '\0';
		fn(r, start);
		start = nl + 1;
	}
	lb->len -= start - lb->buf;
	memmove(lb->buf, start, lb->len);
	if (lb->len == sizeof(lb->buf) - 1) {	/* no newline in 8 KiB: flush it */
		lb->buf[lb->len] = '\0';
		fn(r, lb->buf);
		lb->len = 0;
	}
	return (int)n;
}

static void console_cb(struct run *r, char *line)
{
	on_console_line(r, line);
}

/* What QEMU has written to the console file since, up to CONSOLE_READ_MAX; how much. */
unsigned long long console_read(struct run *r)
{
	unsigned long long limit = r->o->console_limit ? r->o->console_limit : CONSOLE_LIMIT;
	unsigned long long start = r->con.bytes;
	int rc;

	while (r->con.fd >= 0 && r->con.bytes - start < CONSOLE_READ_MAX) {
		rc = read_lines(r, r->con.fd, &r->con.lb, true, console_cb);
		if (rc == 0)
			break;
		if (rc < 0) {
			close(r->con.fd);
			r->con.fd = -1;
			break;
		}
		r->con.bytes += rc;
		if (r->con.bytes > limit) {
			fatal(r, "the guest flooded the console: more than %llu MiB (last line: '%.120s')",
			      limit >> 20, r->con.last);
			close(r->con.fd);
			r->con.fd = -1;
		}
	}
	return r->con.bytes - start;
}

/* All of the console, a last line without its newline too: QEMU is gone or the run ends. */
void console_flush(struct run *r)
{
	while (console_read(r) > 0)
		;	/* ends: QEMU is gone or stopped, or the flood limit closes the file */
	if (r->con.lb.len) {
		r->con.lb.buf[r->con.lb.len] = '\0';
		on_console_line(r, r->con.lb.buf);
		r->con.lb.len = 0;
	}
}
