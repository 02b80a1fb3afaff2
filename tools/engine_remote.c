// SPDX-License-Identifier: GPL-2.0
/*
 * engine_remote.c - a rig on a libvirt host that is not this machine.
 *
 * Locally the cable, the control channel and the console are a UNIX socket
 * pair, a UNIX socket and a file in this machine's /tmp.  A remote host's
 * QEMU reaches none of them, so there every channel is a TCP connection
 * that QEMU makes out, at startup, to a port the runner listens on at the
 * wire address (--wire-addr, NICRIG_WIRE_ADDR, else this machine's address
 * on the route to the host): the cable is QEMU's `-netdev stream`
 * (wire_stream.c says why not UDP), the control channel and the console are
 * libvirt's own <serial type='tcp'> in connect mode.  Connect mode, not a
 * pty behind virDomainOpenConsole: QEMU connects before the guest runs, so
 * no byte the guest writes is lost, while a pty drops what the guest writes
 * until someone opens it, and a console stream can be opened only once the
 * domain exists; and the guest's bytes need not go through libvirtd.  Only
 * the runner's host needs to be reachable, on TCP, from the libvirt host;
 * the libvirt host, on its libvirt port (or ssh), from here.
 *
 * The watcher (engine_libvirt.c) takes the console connection and writes
 * it into console.log, which the runner reads as it reads a local one.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netdb.h>
#include <netinet/in.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "engine.h"
#include "run.h"
#include "util.h"

/* The authority of uri: host (brackets kept for IPv6) and port, "" each if none. */
static void uri_authority(const char *uri, char *host, size_t hlen, char *port, size_t plen)
{
	const char *a = uri ? strstr(uri, "://") : NULL;
	char auth[256], *h, *p;

	host[0] = port[0] = '\0';
	if (!a)
		return;
	a += 3;
	snprintf(auth, sizeof(auth), "%.*s", (int)strcspn(a, "/?"), a);
	h = strchr(auth, '@') ? strchr(auth, '@') + 1 : auth;
	p = h[0] == '[' ? strstr(h, "]:") : strchr(h, ':');
	if (p) {
		p += h[0] == '[';
		*p++ = '\0';
		snprintf(port, plen, "%s", p);
	}
	snprintf(host, hlen, "%s", h);
}

bool libvirt_uri_remote(const char *uri)
{
	static const char *const local[] = { "", "localhost", "127.0.0.1", "[::1]" };
	char host[256], port[16];

	uri_authority(uri, host, sizeof(host), port, sizeof(port));
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (!strcmp(host, local[i]))
			return false;
	return true;
}

void libvirt_uri_endpoint(const char *uri, char *host, size_t len, unsigned short *port)
{
	const char *plus = uri ? strchr(uri, '+') : NULL;
	size_t tl = plus ? strcspn(plus + 1, ":") : 0;
	char ps[16], transport[16];
	unsigned long n;

	uri_authority(uri, host, len, ps, sizeof(ps));
	if (host[0] == '[') {		/* a bare IPv6 address for getaddrinfo */
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]")] = '\0';
	}
	snprintf(transport, sizeof(transport), "%.*s", (int)tl, plus ? plus + 1 : "");
	/* libvirt's defaults: tls without a transport, 16509 for tcp, ssh's 22 */
	*port = !strcmp(transport, "tcp") ? 16509 : strstr(transport, "ssh") ? 22 : 16514;
	if (ps[0] && !parse_ulong(ps, 1, 65535, &n))
		*port = n;
}

/* A TCP connection to host:port within ms milliseconds: 0, or -errno (-ETIMEDOUT). */
static int tcp_probe(const struct addrinfo *ai, int ms)
{
	struct pollfd p = { .events = POLLOUT };
	int e = 0;
	socklen_t el = sizeof(e);

	p.fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p.fd < 0)
		return -errno;
	if (connect(p.fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS)
		e = errno;
	else if (poll(&p, 1, ms) <= 0)
		e = ETIMEDOUT;
	else if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &e, &el))
		e = errno;
	close(p.fd);
	return -e;
}

int remote_reachable(const char *uri, double secs, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char host[256], ps[8];
	unsigned short port;
	int rc;

	libvirt_uri_endpoint(uri, host, sizeof(host), &port);
	snprintf(ps, sizeof(ps), "%u", port);
	rc = getaddrinfo(host, ps, &hints, &ai);
	if (rc)
		return set_error(err, errlen, "libvirt host %s: %s", host, gai_strerror(rc));
	rc = tcp_probe(ai, (int)(secs * 1000));
	freeaddrinfo(ai);
	if (rc == -ETIMEDOUT)
		return set_error(err, errlen, "cannot reach libvirt host %s: no answer on port %u within %.0f s",
				 host, port, secs);
	if (rc)
		return set_error(err, errlen, "cannot reach libvirt host %s on port %u: %s", host, port,
				 strerror(-rc));
	return 0;
}

/* This machine's address on the route to uri's host (no packet is sent), into out. */
static int route_source(const char *uri, char *out, size_t len, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[256], ps[8];
	unsigned short port;
	int fd, rc;

	libvirt_uri_endpoint(uri, host, sizeof(host), &port);
	snprintf(ps, sizeof(ps), "%u", port);
	rc = getaddrinfo(host, ps, &hints, &ai);
	if (rc)
		return set_error(err, errlen, "libvirt host %s: %s", host, gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	rc = fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) ||
	     getsockname(fd, (struct sockaddr *)&ss, &sl) ? -errno : 0;
	freeaddrinfo(ai);
	if (fd >= 0)
		close(fd);
	if (!rc)
		rc = getnameinfo((struct sockaddr *)&ss, sl, out, len, NULL, 0, NI_NUMERICHOST) ? -EINVAL : 0;
	if (rc)
		return set_error(err, errlen, "no route to libvirt host %s: %s; name this machine's address "
				 "it reaches with --wire-addr", host, strerror(-rc));
	return 0;
}

int remote_open(struct run *r, char *err, size_t errlen)
{
	struct remote *rm = &r->remote;
	const char *addr = r->o->wire_addr ? r->o->wire_addr : getenv("NICRIG_WIRE_ADDR");
	int lctl;

	rm->wire_lfd = rm->con_lfd = -1;
	if (addr && *addr)
		snprintf(rm->wire, sizeof(rm->wire), "%s", addr);
	else if (route_source(r->o->libvirt_uri, rm->wire, sizeof(rm->wire), err, errlen))
		return -1;
	lctl = wire_listen_tcp(rm->wire, &rm->ctl_port, err, errlen);
	if (lctl < 0)
		return -1;
	rm->wire_lfd = wire_listen_tcp(rm->wire, &rm->wire_port, err, errlen);
	rm->con_lfd = rm->wire_lfd < 0 ? -1 : wire_listen_tcp(rm->wire, &rm->con_port, err, errlen);
	if (rm->con_lfd < 0) {
		close(lctl);
		remote_close(rm);
		return -1;
	}
	return lctl;
}

void remote_close(struct remote *rm)
{
	if (rm->wire_lfd >= 0)
		close(rm->wire_lfd);
	if (rm->con_lfd >= 0)
		close(rm->con_lfd);
	rm->wire_lfd = rm->con_lfd = -1;
}

/* ---- the console, in the watcher ------------------------------------------ */

static struct {
	int lfd, fd, out;
	int watch;
} relay = { -1, -1, -1, -1 };

/* Copies what there is; false at the end of the stream. */
static bool relay_copy(void)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(relay.fd, buf, sizeof(buf))) > 0)
		if (write(relay.out, buf, n) != n)
			return false;
	return n < 0 && (errno == EAGAIN || errno == EINTR);
}

static void on_console(int watch, int fd, int events, void *opaque)
{
	(void)fd;
	(void)events;
	(void)opaque;
	if (!relay_copy()) {
		virEventRemoveHandle(watch);
		relay.watch = -1;
	}
}

static void on_console_connect(int watch, int fd, int events, void *opaque)
{
	(void)events;
	(void)opaque;
	relay.fd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (relay.fd < 0)
		return;
	virEventRemoveHandle(watch);
	relay.watch = virEventAddHandle(relay.fd, VIR_EVENT_HANDLE_READABLE, on_console, NULL, NULL);
}

int console_relay_start(int lfd, const char *path, char *err, size_t errlen)
{
	relay.lfd = lfd;
	relay.out = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (relay.out < 0)
		return set_error(err, errlen, "console %s: %s", path, strerror(errno));
	if (virEventAddHandle(lfd, VIR_EVENT_HANDLE_READABLE, on_console_connect, NULL, NULL) < 0)
		return set_error(err, errlen, "watching the console's port: no event loop");
	return 0;
}

void console_relay_finish(double secs)
{
	double end = now() + secs;

	if (relay.fd < 0)
		return;
	while (now() < end) {
		struct pollfd p = { .fd = relay.fd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0 && !relay_copy())
			break;
	}
	close(relay.fd);
	relay.fd = -1;
}

/* ---- creating the domain, bounded ----------------------------------------- */

/*
 * QEMU connects its serial ports at startup, inside virDomainCreateXML: to
 * a wire address that drops packets, that call would wait for TCP's SYN
 * retries (about 2 min), and a client that left would leave the domain
 * paused on the host.  So the call runs in a thread; past the deadline a
 * second connection destroys the domain by its name (unique: the run's
 * temporary directory's suffix) and the watcher gives up.
 */
struct creation {
	virConnectPtr conn;
	const char *xml;
	virDomainPtr dom;
	virError err;
	bool done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *create_domain(void *opaque)
{
	struct creation *c = opaque;
	virDomainPtr dom = virDomainCreateXML(c->conn, c->xml, VIR_DOMAIN_START_AUTODESTROY);

	pthread_mutex_lock(&c->lock);
	c->dom = dom;
	if (!dom)
		virCopyLastError(&c->err);	/* libvirt's errors are per thread */
	c->done = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

virDomainPtr remote_create(virConnectPtr conn, const char *uri, const char *xml, const char *name,
			   int secs, bool *late, virErrorPtr err)
{
	/* static: a thread stuck past the deadline still points here */
	static struct creation c = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	struct timespec until;
	virConnectPtr second;
	virDomainPtr dom;
	pthread_t t;
	bool done, threaded;

	*late = false;
	c.conn = conn;
	c.xml = xml;
	threaded = !pthread_create(&t, NULL, create_domain, &c);
	if (!threaded)
		create_domain(&c);	/* no thread to spare: unbounded */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += secs;
	pthread_mutex_lock(&c.lock);
	while (!c.done && pthread_cond_timedwait(&c.cond, &c.lock, &until) != ETIMEDOUT)
		;
	done = c.done;
	pthread_mutex_unlock(&c.lock);
	if (done) {
		if (threaded)
			pthread_join(t, NULL);
		if (!c.dom)
			*err = c.err;	/* the caller's now: virResetError */
		return c.dom;
	}
	*late = true;
	second = virConnectOpen(uri);
	dom = second ? virDomainLookupByName(second, name) : NULL;
	if (dom) {
		virDomainDestroy(dom);
		virDomainFree(dom);
	}
	if (second)
		virConnectClose(second);
	return NULL;
}
