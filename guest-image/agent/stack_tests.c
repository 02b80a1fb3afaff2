// SPDX-License-Identifier: GPL-2.0
/*
 * stack_tests.c - traffic that goes through the NIC both ways and is checked
 * at the host's wire endpoint:
 *
 *   udp_echo, udp6_echo
 *             the guest's UDP stack echoes every probe back, over IPv4 or
 *             IPv6 (socket path, the driver's ordinary receive and transmit,
 *             checksum offload);
 *   tcp_echo  the wire opens a TCP connection to an echo server in the
 *             guest and checks every byte that comes back (TSO, checksum
 *             offload, the guest's TCP stack over the model);
 *   xdp_tx    an XDP program turns every probe around with XDP_TX (the
 *             driver's XDP transmit rings).
 *
 * The guest holds 10.11.0.2/24 (or fd00:6e72::2/64) on the NIC while a test
 * runs; the wire answers ARP for 10.11.0.1 and Neighbour Solicitations for
 * fd00:6e72::1 (tools/wire.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "agent.h"
#include "echo.skel.h"
#include "meta.h"

#define TCP_ECHO_PORT	7
#define DISCARD_PORT	9
#define IDLE_MS		5000	/* nothing arrived for this long: the peer is done */

/* The guest's and the wire's addresses in one family (the echo tests' arg). */
struct inet_plan {
	int family;		/* AF_INET, AF_INET6 */
	const char *guest, *wire;
	int prefix;
	const char *ip_flags;	/* for `ip addr` */
	const char *resolver;	/* what resolves the wire's link-layer address */
};

/*
 * nodad: duplicate address detection would keep the address tentative for a
 * second (one probe, RetransTimer), and a tentative address receives nothing
 * and sources nothing.  On this cable nobody else can hold it.
 */
static const struct inet_plan inet4 = { AF_INET, "10.11.0.2", "10.11.0.1", 24, "", "ARP" };
static const struct inet_plan inet6 = { AF_INET6, "fd00:6e72::2", "fd00:6e72::1", 64, " nodad",
					"Neighbour Discovery" };

static const struct inet_plan *inet_plan(int family)
{
	return family == AF_INET6 ? &inet6 : &inet4;
}

/* addr (NULL: any) and port as a socket address of the plan's family; its length. */
static socklen_t inet_sockaddr(const struct inet_plan *in, const char *addr, uint16_t port,
			       struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (in->family == AF_INET6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (addr)
			inet_pton(AF_INET6, addr, &s6->sin6_addr);
		return sizeof(*s6);
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	if (addr)
		inet_pton(AF_INET, addr, &s4->sin_addr);
	return sizeof(*s4);
}

static int addr_up(struct agent *a, const struct inet_plan *in, char *err, size_t errlen)
{
	if (run_cmd(IP " addr replace %s/%d dev %s%s", in->guest, in->prefix, a->ifname,
		    in->ip_flags)) {
		snprintf(err, errlen, "could not give %s the address %s", a->ifname, in->guest);
		return -1;
	}
	return 0;
}

/*
 * The kernel's neighbour state (NUD_*) for the wire's address on ifindex:
 * an RTM_GETNEIGH for that one entry.  0 if there is none yet, -1 with errno
 * on failure.
 */
static int neigh_state(const struct inet_plan *in, int ifindex)
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg ndm;
		struct rtattr rta;
		uint8_t addr[16];
	} req = {
		.nh = { .nlmsg_type = RTM_GETNEIGH, .nlmsg_flags = NLM_F_REQUEST },
		.ndm = { .ndm_family = in->family, .ndm_ifindex = ifindex },
		.rta = { .rta_type = NDA_DST },
	};
	union {
		struct nlmsghdr nh;
		uint8_t buf[1024];
	} ans;
	size_t alen = in->family == AF_INET6 ? 16 : 4;
	struct nlmsghdr *nh = &ans.nh;
	int fd, state = -1;
	ssize_t n;

	inet_pton(in->family, in->wire, req.addr);
	req.rta.rta_len = RTA_LENGTH(alen);
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ndm)) + RTA_SPACE(alen);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0 || (n = recv(fd, &ans, sizeof(ans), 0)) < 0)
		goto out;
	if (!NLMSG_OK(nh, n)) {
		errno = EPROTO;
	} else if (nh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nh);

		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) || !e->error)
			errno = EPROTO;
		else if (e->error == -ENOENT)
			state = 0;
		else
			errno = -e->error;
	} else if (nh->nlmsg_type == RTM_NEWNEIGH && nh->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ndmsg))) {
		state = ((const struct ndmsg *)NLMSG_DATA(nh))->ndm_state;
	} else {
		errno = EPROTO;
	}
out:
	close(fd);
	return state;
}

/*
 * Resolves the wire's address before a burst: a socket that echoes 256
 * frames at once would otherwise overflow the neighbour's queue of packets
 * waiting for the ARP reply or Neighbour Advertisement (unres_qlen_bytes),
 * and the kernel drops the rest.
 */
static int neigh_resolve(struct agent *a, const struct inet_plan *in, char *err, size_t errlen)
{
	/* the kernel's NUD_VALID: a link-layer address is known */
	const int resolved = NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT |
			     NUD_NOARP;
	long long deadline = now_ms() + 5000;
	int fd = socket(in->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ifindex = if_nametoindex(a->ifname), state;
	struct sockaddr_storage to;
	socklen_t tolen = inet_sockaddr(in, in->wire, DISCARD_PORT, &to);

	/* Any datagram to the wire makes the kernel ask for its link-layer address. */
	if (fd < 0 || sendto(fd, "?", 1, 0, (struct sockaddr *)&to, tolen) != 1) {
		snprintf(err, errlen, "sending to %s: %s", in->wire, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	do {
		state = neigh_state(in, ifindex);
		if (state < 0) {
			snprintf(err, errlen, "asking the kernel for the neighbour %s: %s", in->wire,
				 strerror(errno));
			return -1;
		}
		if (state & resolved)
			return 0;
		usleep(20000);
	} while (now_ms() < deadline);
	snprintf(err, errlen, "no %s answer for %s on %s within 5 s (state 0x%x)", in->resolver,
		 in->wire, a->ifname, state);
	return -1;
}

static void addr_down(struct agent *a, const struct inet_plan *in)
{
	run_cmd(IP " addr del %s/%d dev %s", in->guest, in->prefix, a->ifname);
	run_cmd(IP " neigh flush dev %s", a->ifname);
}

/* The runner's count of intact probes (or bytes) back at the wire, or -1. */
static long wire_count(struct agent *a, const char *name, unsigned long done, char *err,
		       size_t errlen)
{
	long got;

	ctl_send(a, "tx %s %lu", name, done);
	got = ctl_wait_word(a, "rxcount", name, 60000);
	if (got < 0)
		snprintf(err, errlen, "no 'rxcount' from the runner");
	return got;
}

struct udp_echo {
	int fd;
	unsigned long received, intact, echoed;
};

/* Echoes whatever came within 50 ms; returns how many probes came so far. */
static unsigned long udp_echo_count(void *ctx)
{
	struct udp_echo *e = ctx;
	struct pollfd p = { .fd = e->fd, .events = POLLIN };
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	static uint8_t pkt[NICRIG_FRAME_MAX];	/* a jumbo probe fits too */
	ssize_t n;

	if (poll(&p, 1, 50) <= 0)
		return e->received;
	while ((n = recvfrom(e->fd, pkt, sizeof(pkt), MSG_DONTWAIT, (struct sockaddr *)&from, &fl)) >= 0) {
		e->received++;
		if (probe_payload_intact(pkt, n))
			e->intact++;
		if (sendto(e->fd, pkt, n, 0, (struct sockaddr *)&from, fl) == n)
			e->echoed++;
		fl = sizeof(from);
	}
	return e->received;
}

/* arg: the address family, AF_INET (udp_echo) or AF_INET6 (udp6_echo). */
int test_udp_echo(struct agent *a, const char *name, int arg)
{
	const struct inet_plan *in = inet_plan(arg);
	struct udp_echo e = { .fd = -1 };
	int rc = -1, buf = 8 << 20;
	struct sockaddr_storage sin;
	socklen_t sinlen = inet_sockaddr(in, NULL, NICRIG_UDP_DPORT, &sin);
	char err[256] = "";
	long sent, got;

	if (addr_up(a, in, err, sizeof(err)) || neigh_resolve(a, in, err, sizeof(err)))
		goto out;
	e.fd = socket(in->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (e.fd < 0 || setsockopt(e.fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) ||
	    bind(e.fd, (struct sockaddr *)&sin, sinlen)) {
		snprintf(err, sizeof(err), "UDP socket on port %d of %s: %s", NICRIG_UDP_DPORT,
			 in->guest, strerror(errno));
		goto out;
	}
	ctl_send(a, "echoready %s %s", name, a->ifname);
	/* Echo until the runner has said how many it sent and all came, or it went quiet. */
	sent = drain_until_sent(a, name, udp_echo_count, &e, 1, IDLE_MS);
	if (sent < 0) {
		snprintf(err, sizeof(err), "%s", sent == -1 ? "the runner aborted the test" :
			 "no 'sent' from the runner");
		goto out;
	}
	got = wire_count(a, name, e.echoed, err, sizeof(err));
	if (got < 0)
		goto out;
	if (e.received == (unsigned long)sent && e.intact == e.received && e.echoed == e.received &&
	    got == sent) {
		ctl_send(a, "reader %s wire pass %ld probes in through the socket intact, all %ld back at the host intact",
			 name, sent, got);
		rc = 0;
	} else {
		ctl_send(a, "reader %s wire fail wire sent %ld: the socket got %lu (%lu intact), echoed %lu, the host got %ld back intact",
			 name, sent, e.received, e.intact, e.echoed, got);
	}
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
	goto out_msg;
out:
	ctl_send(a, "end %s error %s", name, err);
out_msg:
	if (e.fd >= 0)
		close(e.fd);
	addr_down(a, in);
	return rc;
}

/* Echoes one connection until the peer closes it; returns the bytes echoed. */
static long tcp_echo_conn(int c, char *err, size_t errlen)
{
	static uint8_t buf[65536];
	long total = 0;

	for (;;) {
		struct pollfd p = { .fd = c, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, IDLE_MS * 4) <= 0) {
			snprintf(err, errlen, "connection idle for %d s after %ld bytes", IDLE_MS * 4 / 1000, total);
			return -1;
		}
		n = read(c, buf, sizeof(buf));
		if (n == 0)
			return total;
		if (n < 0) {
			snprintf(err, errlen, "read after %ld bytes: %s", total, strerror(errno));
			return -1;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(c, buf + off, n - off);

			if (w <= 0) {
				snprintf(err, errlen, "write after %ld bytes: %s", total + off, strerror(errno));
				return -1;
			}
			off += w;
		}
		total += n;
	}
}

int test_tcp_echo(struct agent *a, const char *name, int arg __maybe_unused)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(TCP_ECHO_PORT) };
	int lfd = -1, c = -1, rc = -1, one = 1;
	char err[256] = "", cerr[256] = "";
	struct pollfd p;
	long echoed = -1, got, want;

	if (addr_up(a, &inet4, err, sizeof(err)))
		goto out;
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 1)) {
		snprintf(err, sizeof(err), "TCP listener on port %d: %s", TCP_ECHO_PORT, strerror(errno));
		goto out;
	}
	ctl_send(a, "tcpready %s %d", name, TCP_ECHO_PORT);
	p = (struct pollfd){ .fd = lfd, .events = POLLIN };
	if (poll(&p, 1, 60000) <= 0 || (c = accept(lfd, NULL, NULL)) < 0) {
		snprintf(err, sizeof(err), "no connection from the wire within 60 s");
		goto out;
	}
	echoed = tcp_echo_conn(c, cerr, sizeof(cerr));
	close(c);
	if (echoed < 0)
		ctl_send(a, "# echo server: %s", cerr);
	/*
	 * The runner said how many bytes the wire sends when the connection
	 * began, and answers `tx` with the bytes it got back intact and in
	 * order once the connection is closed.
	 */
	want = ctl_wait_sent_ms(a, name, 1000);
	if (want < 0) {
		snprintf(err, sizeof(err), "no 'sent' from the runner");
		goto out;
	}
	got = wire_count(a, name, echoed < 0 ? 0 : echoed, err, sizeof(err));
	if (got < 0)
		goto out;
	if (want > 0 && echoed == want && got == want) {
		ctl_send(a, "reader %s wire pass %ld bytes echoed by the guest, all back at the host intact and in order",
			 name, want);
		rc = 0;
	} else {
		ctl_send(a, "reader %s wire fail the wire sent %ld bytes, the guest echoed %ld%s%s, the host got %ld back intact",
			 name, want, echoed, cerr[0] ? ": " : "", cerr, got);
	}
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
	err[0] = '\0';
out:
	if (err[0])
		ctl_send(a, "end %s error %s", name, err);
	if (lfd >= 0)
		close(lfd);
	addr_down(a, &inet4);
	return rc;
}

static void add_u64(void *sum, const void *value)
{
	*(unsigned long *)sum += *(const __u64 *)value;
}

/* Probes XDP_TX has turned around so far. */
static unsigned long echoed_count(void *skel)
{
	unsigned long n = 0;

	percpu_map_fold(((struct echo_bpf *)skel)->maps.echoed, add_u64, &n);
	return n;
}

int test_xdp_tx(struct agent *a, const char *name, int arg __maybe_unused)
{
	int ifindex = if_nametoindex(a->ifname), rc = -1;
	unsigned long long turned;
	struct echo_bpf *skel;
	char err[256] = "";
	long sent, got;

	skel = echo_bpf__open_and_load();
	if (!skel) {
		snprintf(err, sizeof(err), "loading the XDP_TX program: %s", strerror(errno));
		goto out;
	}
	if (bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.xdp_tx_echo), XDP_FLAGS_DRV_MODE, NULL)) {
		snprintf(err, sizeof(err), "attaching the XDP_TX program in native mode: %s", strerror(errno));
		goto out;
	}
	if (link_wait_carrier(a->ifname, 20000)) {
		snprintf(err, sizeof(err), "%s lost carrier after attaching XDP", a->ifname);
		goto detach;
	}
	ctl_send(a, "echoready %s %s", name, a->ifname);
	/* XDP turns frames around as they come: wait for the last ones to reach it. */
	sent = drain_until_sent(a, name, echoed_count, skel, 20, IDLE_MS);
	if (sent < 0) {
		snprintf(err, sizeof(err), "no probes from the runner");
		goto detach;
	}
	turned = echoed_count(skel);
	got = wire_count(a, name, turned, err, sizeof(err));
	if (got < 0)
		goto detach;
	if ((long long)turned == sent && got == sent) {
		ctl_send(a, "reader %s wire pass all %ld probes turned around by XDP_TX and back at the host intact",
			 name, sent);
		rc = 0;
	} else {
		ctl_send(a, "reader %s wire fail wire sent %ld, XDP_TX turned %llu around, the host got %ld back intact",
			 name, sent, turned, got);
	}
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
detach:
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (err[0])
		ctl_send(a, "end %s error %s", name, err);
	echo_bpf__destroy(skel);
	return rc;
}
