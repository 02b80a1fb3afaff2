// SPDX-License-Identifier: GPL-2.0
/*
 * qmp.c - just enough of QEMU's monitor protocol (QMP) for the fault
 * tests: connect to the socket QEMU listens on (-qmp unix:PATH,server=on,
 * wait=off), leave capabilities negotiation, and run `set_link`.  Each call
 * waits at most QMP_SECS for QEMU's answer; events QEMU sends meanwhile
 * are skipped.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qmp.h"
#include "util.h"

#define QMP_SECS	10

/*
 * Reads lines until one that is not an event: 0 if it holds `want`, else
 * -1 with the line (QEMU's error) in err.
 */
static int qmp_reply(int fd, const char *want, char *err, size_t errlen)
{
	char buf[4096];
	size_t len = 0;
	double end = now() + QMP_SECS;

	for (;;) {
		char *nl = memchr(buf, '\n', len);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			*nl = '\0';
			if (!strstr(buf, "\"event\"")) {
				if (strstr(buf, want))
					return 0;
				return set_error(err, errlen, "QMP: %.200s", buf);
			}
			len -= nl + 1 - buf;
			memmove(buf, nl + 1, len);
			continue;
		}
		if (len == sizeof(buf) - 1)
			len = 0;	/* an overlong event: nothing we want is that long */
		if (now() >= end)
			return set_error(err, errlen, "QMP: no answer from QEMU within %d s", QMP_SECS);
		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return set_error(err, errlen, "QMP: QEMU closed the monitor (%s)",
					 n ? strerror(errno) : "end of file");
		len += n;
	}
}

static int qmp_send(int fd, const char *cmd, char *err, size_t errlen)
{
	size_t len = strlen(cmd);

	if (write(fd, cmd, len) != (ssize_t)len)
		return set_error(err, errlen, "QMP: writing to QEMU's monitor: %s", strerror(errno));
	return 0;
}

int qmp_open(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return set_error(err, errlen, "QMP socket path too long: %s", path);
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		set_error(err, errlen, "connecting to QEMU's monitor %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* the greeting, then out of capabilities negotiation into command mode */
	if (qmp_reply(fd, "\"QMP\"", err, errlen) ||
	    qmp_send(fd, "{\"execute\":\"qmp_capabilities\"}\n", err, errlen) ||
	    qmp_reply(fd, "\"return\"", err, errlen)) {
		close(fd);
		return -1;
	}
	return fd;
}

int qmp_set_link(int fd, const char *netdev, bool up, char *err, size_t errlen)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "{\"execute\":\"set_link\",\"arguments\":{\"name\":\"%s\",\"up\":%s}}\n",
		 netdev, up ? "true" : "false");
	if (qmp_send(fd, cmd, err, errlen))
		return -1;
	return qmp_reply(fd, "\"return\"", err, errlen);
}
