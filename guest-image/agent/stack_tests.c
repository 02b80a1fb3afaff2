// SPDX-License-Identifier: GPL-2.0
/*
 * stack_tests.c - traffic that goes through the NIC both ways and is checked
 * at the host's wire endpoint:
 *
 *   udp_echo  the guest's UDP stack echoes every probe back (socket path,
 *             the driver's ordinary receive and transmit, checksum offload);
 *   tcp_echo  the wire opens a TCP connection to an echo server in the
 *             guest and checks every byte that comes back (TSO, checksum
 *             offload, the guest's TCP stack over the model);
 *   xdp_tx    an XDP program turns every probe around with XDP_TX (the
 *             driver's XDP transmit rings).
 *
 * The guest holds 10.11.0.2/24 on the NIC while a test runs; the wire
 * answers ARP for 10.11.0.1.
 */
#include <arpa/inet.h>
#include <errno.h>
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

#define GUEST_ADDR	"10.11.0.2"
#define WIRE_ADDR	"10.11.0.1"
#define TCP_ECHO_PORT	7
#define IDLE_MS		5000	/* nothing arrived for this long: the peer is done */

static int addr_up(struct agent *a, char *err, size_t errlen)
{
	if (run_cmd(IP " addr replace " GUEST_ADDR "/24 dev %s", a->ifname)) {
		snprintf(err, errlen, "could not give %s the address " GUEST_ADDR, a->ifname);
		return -1;
	}
	return 0;
}

/*
 * Resolves the wire's address before a burst: a socket that echoes 256
 * frames at once would otherwise overflow the neighbour's queue of packets
 * waiting for the ARP reply (unres_qlen_bytes), and the kernel drops the rest.
 */
static int neigh_resolve(struct agent *a, char *err, size_t errlen)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };	/* discard */
	long long deadline = now_ms() + 5000;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, WIRE_ADDR, &to.sin_addr);
	if (fd < 0 || sendto(fd, "arp", 3, 0, (struct sockaddr *)&to, sizeof(to)) != 3) {
		snprintf(err, errlen, "sending to " WIRE_ADDR ": %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	do {
		char line[256], ip[64], dev[32];
		unsigned int flags;
		FILE *f = fopen("/proc/net/arp", "r");

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "%63s %*s %x %*s %*s %31s", ip, &flags, dev) == 3 &&
			    !strcmp(ip, WIRE_ADDR) && !strcmp(dev, a->ifname) && (flags & 0x2)) {
				fclose(f);
				return 0;
			}
		if (f)
			fclose(f);
		usleep(20000);
	} while (now_ms() < deadline);
	snprintf(err, errlen, "no ARP reply for " WIRE_ADDR " on %s within 5 s", a->ifname);
	return -1;
}

static void addr_down(struct agent *a)
{
	run_cmd(IP " addr del " GUEST_ADDR "/24 dev %s", a->ifname);
	run_cmd(IP " neigh flush dev %s", a->ifname);
}

/* A probe payload as the wire builds it (wire.c): header, then byte i = seq + 8 + i. */
static bool probe_payload_intact(const uint8_t *p, size_t len)
{
	const struct nicrig_probe *h = (const void *)p;
	uint32_t seq;

	if (len < sizeof(*h) || ntohl(h->magic) != NICRIG_PROBE_MAGIC)
		return false;
	seq = ntohl(h->seq);
	for (size_t i = sizeof(*h); i < len; i++)
		if (p[i] != (uint8_t)(seq + 8 + i))
			return false;
	return true;
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
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	uint8_t pkt[2048];
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

int test_udp_echo(struct agent *a, const char *name, int arg __maybe_unused)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(NICRIG_UDP_DPORT) };
	struct udp_echo e = { .fd = -1 };
	int rc = -1, buf = 8 << 20;
	char err[256] = "";
	long sent, got;

	if (addr_up(a, err, sizeof(err)) || neigh_resolve(a, err, sizeof(err)))
		goto out;
	e.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (e.fd < 0 || setsockopt(e.fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) ||
	    bind(e.fd, (struct sockaddr *)&sin, sizeof(sin))) {
		snprintf(err, sizeof(err), "UDP socket on port %d: %s", NICRIG_UDP_DPORT, strerror(errno));
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
	addr_down(a);
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

	if (addr_up(a, err, sizeof(err)))
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
	addr_down(a);
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
