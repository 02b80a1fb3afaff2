// SPDX-License-Identifier: GPL-2.0
/*
 * wire_stream.c - the cable to a guest on a remote libvirt host: a TCP
 * connection from QEMU's `-netdev stream` to the wire, each frame behind a
 * 4-byte big-endian length.
 *
 * Why a stream and not UDP (`-netdev dgram` with inet addresses): the
 * UNIX datagram cable pushes back (a full queue at QEMU makes the wire's
 * send fail with EAGAIN, so the wire waits, and a test's probes are never
 * lost on the cable); UDP does not: QEMU under TCG reads its socket only
 * as fast as the guest empties the NIC's ring, and what its socket buffer
 * cannot hold the host drops, so an unpaced test of 512 probes would lose
 * some on the cable, not in the NIC.  TCP's window is that push-back over a
 * network.  It also needs no port on the remote host: QEMU connects out,
 * to the address the wire listens on.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "util.h"
#include "wire.h"

/* QEMU's largest frame on a stream netdev is 64 KiB plus headroom; ours, the length */
#define STREAM_FRAME_MAX	(4 + 65536 + 4096)
#define STREAM_BUF		(4 * STREAM_FRAME_MAX)

int wire_listen_tcp(const char *addr, unsigned short *port, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_PASSIVE, .ai_socktype = SOCK_STREAM };
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct addrinfo *ai;
	int fd, rc = getaddrinfo(addr, "0", &hints, &ai);

	if (rc)
		return set_error(err, errlen, "wire address '%s': %s (an IP address of this machine)",
				 addr, gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		(void)set_error(err, errlen, "listening on wire address %s: %s%s", addr, strerror(errno),
				errno == EADDRNOTAVAIL ? " (not an address of this machine: see --wire-addr)" : "");
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	*port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					       : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

int wire_accept_stream(struct wire *w, int lfd, double secs, char *err, size_t errlen)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	int buf = 4 << 20, fd;

	if (poll(&p, 1, (int)(secs * 1000)) <= 0)
		return set_error(err, errlen, "QEMU's cable (-netdev stream) did not connect within %.0f s", secs);
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return set_error(err, errlen, "accepting QEMU's cable: %s", strerror(errno));
	w->in = malloc(STREAM_BUF);
	w->out = malloc(STREAM_BUF);
	if (!w->in || !w->out) {
		close(fd);
		return set_error(err, errlen, "the stream cable: out of memory");
	}
	/* a probe goes out as soon as it is built, as on the datagram cable */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	w->fd = fd;
	w->stream = true;
	w->in_len = w->out_len = w->out_off = 0;
	return 0;
}

bool wire_pending(const struct wire *w)
{
	return w->stream && w->out_len > w->out_off;
}

/* Writes what waits: 0 all of it is out, -EAGAIN some is left, -errno. */
int wire_flush(struct wire *w)
{
	while (wire_pending(w)) {
		ssize_t n;

		if (w->fd < 0)
			return -EPIPE;
		n = send(w->fd, w->out + w->out_off, w->out_len - w->out_off, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
		w->out_off += n;
	}
	w->out_len = w->out_off = 0;
	return 0;
}

/*
 * The frame in n pieces (iov, at most 3), behind its length: its length if
 * it is on its way (the socket took it, or its tail waits in w->out),
 * -EAGAIN if an earlier one is still waiting, -errno.
 */
int wire_stream_sendv(struct wire *w, const struct iovec *iov, int n)
{
	struct iovec v[4];
	struct msghdr msg = { .msg_iov = v, .msg_iovlen = n + 1 };
	uint8_t hdr[4];
	size_t len = 0, skip;
	ssize_t sent;
	int rc = wire_flush(w);

	if (rc)
		return rc;
	if (w->fd < 0)
		return -EPIPE;
	if (n > 3)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (len + 4 > STREAM_BUF)
		return -EMSGSIZE;
	put_be32(hdr, len);
	v[0] = (struct iovec){ hdr, 4 };
	memcpy(v + 1, iov, n * sizeof(*iov));
	sent = sendmsg(w->fd, &msg, MSG_NOSIGNAL);
	if (sent < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* the rest goes before anything else: the frame is out as far as the caller knows */
	skip = sent;
	w->out_len = w->out_off = 0;
	for (int i = 0; i <= n; i++) {
		if (skip >= v[i].iov_len) {
			skip -= v[i].iov_len;
			continue;
		}
		memcpy(w->out + w->out_len, (uint8_t *)v[i].iov_base + skip, v[i].iov_len - skip);
		w->out_len += v[i].iov_len - skip;
		skip = 0;
	}
	return len;
}

/* The next whole frame in w->in, into buf[cap] (cut to cap): its length, or 0. */
static int stream_take(struct wire *w, uint8_t *buf, size_t cap)
{
	size_t flen;

	if (w->in_len < 4)
		return 0;
	flen = get_be32(w->in);
	if (w->in_len < 4 + flen)
		return 0;
	memcpy(buf, w->in + 4, flen < cap ? flen : cap);
	memmove(w->in, w->in + 4 + flen, w->in_len - 4 - flen);
	w->in_len -= 4 + flen;
	return flen < cap ? flen : cap;
}

/* A whole frame: its length; 0 none yet; -EPIPE QEMU closed the cable, -EPROTO, -errno. */
int wire_stream_recv(struct wire *w, uint8_t *buf, size_t cap)
{
	int n = stream_take(w, buf, cap);
	ssize_t got;

	if (n)
		return n;
	if (w->in_len >= 4 && get_be32(w->in) + 4 > STREAM_BUF)
		return -EPROTO;		/* not QEMU's framing */
	if (w->fd < 0)
		return -EPIPE;
	got = recv(w->fd, w->in + w->in_len, STREAM_BUF - w->in_len, 0);
	if (got == 0) {
		/* QEMU is gone: no more polling a socket that stays readable at its end */
		close(w->fd);
		w->fd = -1;
		return -EPIPE;
	}
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	w->in_len += got;
	return stream_take(w, buf, cap);
}
