// SPDX-License-Identifier: GPL-2.0
/*
 * xsk_tests.c - AF_XDP receive: every probe arrives once, intact, and in
 * order per queue, in copy mode (xsk_copy_rx) and zero-copy mode (xsk_zc_rx).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "agent.h"
#include "bench.h"
#include "bench.skel.h"
#include "meta.h"
#include "xsk.h"

#define MAX_QUEUES	64
#define UDP_OFF		34	/* Ethernet + IPv4 (udp4 template) */

struct rx_check {
	unsigned long received, bad, dup, reordered;
	long last_seq[MAX_QUEUES];
	unsigned int queue;
	unsigned char seen[NICRIG_MAX_SEQ];
	char first_problem[160];
};

static unsigned int be32(const uint8_t *p)
{
	return (unsigned int)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void problem(struct rx_check *c, const char *what, unsigned int seq)
{
	if (!c->first_problem[0])
		snprintf(c->first_problem, sizeof(c->first_problem), "%s (seq %u, queue %u)", what,
			 seq, c->queue);
}

/* Checks one frame against what the wire's udp4 template builds. */
static void check_frame(void *ctx, const uint8_t *f, uint32_t len)
{
	struct rx_check *c = ctx;
	unsigned int seq;

	c->received++;
	if (len < UDP_OFF + 24 || be32(f + UDP_OFF + 8) != NICRIG_PROBE_MAGIC) {
		c->bad++;
		problem(c, "not a probe", 0);
		return;
	}
	seq = be32(f + UDP_OFF + 12);
	for (uint32_t i = 24; UDP_OFF + i < len; i++) {
		if (f[UDP_OFF + i] != (uint8_t)(seq + i)) {
			c->bad++;
			problem(c, "payload corrupted", seq);
			return;
		}
	}
	if (seq >= NICRIG_MAX_SEQ || c->seen[seq]++) {
		c->dup++;
		problem(c, "duplicate", seq);
		return;
	}
	if ((long)seq < c->last_seq[c->queue]) {
		c->reordered++;
		problem(c, "out of order", seq);
	}
	c->last_seq[c->queue] = seq;
}

static int xsk_rx_test(struct agent *a, const char *name, bool zerocopy)
{
	static struct xsk xsks[MAX_QUEUES];
	static struct rx_check c;
	int ifindex = if_nametoindex(a->ifname), rc = -1;
	unsigned int nq = 0, nxsk = 0;
	struct bench_bpf *skel;
	char err[256] = "", path[128];
	long sent = -2;

	memset(&c, 0, sizeof(c));
	for (int q = 0; q < MAX_QUEUES; q++)
		c.last_seq[q] = -1;
	skel = bench_bpf__open_and_load();
	if (!skel) {
		snprintf(err, sizeof(err), "loading the XSK redirect program: %s", strerror(errno));
		goto out;
	}
	for (;; nq++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/queues/rx-%u", a->ifname, nq);
		if (access(path, F_OK) || nq == MAX_QUEUES)
			break;
	}
	for (; nxsk < nq; nxsk++) {
		__u32 q = nxsk;
		int fd;

		if (xsk_open(&xsks[nxsk], ifindex, q, zerocopy, err, sizeof(err)))
			goto out;
		fd = xsks[nxsk].fd;
		if (bpf_map__update_elem(skel->maps.xsks, &q, sizeof(q), &fd, sizeof(fd), 0)) {
			snprintf(err, sizeof(err), "XSKMAP update for queue %u: %s", q, strerror(errno));
			nxsk++;
			goto out;
		}
	}
	if (bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.xdp_xsk_redirect),
			   XDP_FLAGS_DRV_MODE, NULL)) {
		snprintf(err, sizeof(err), "attaching the XSK redirect in native mode: %s", strerror(errno));
		goto out;
	}
	if (link_wait_carrier(a->ifname, 20000)) {
		snprintf(err, sizeof(err), "%s lost carrier after attaching XDP", a->ifname);
		goto detach;
	}
	ctl_send(a, "# %u AF_XDP sockets bound in %s mode on %s", nxsk,
		 zerocopy ? "zero-copy" : "copy", a->ifname);
	ctl_send(a, "ready %s %s", name, a->ifname);
	for (int idle = 0; idle < 300;) {
		unsigned long before = c.received;

		for (unsigned int i = 0; i < nxsk; i++) {
			c.queue = i;
			xsk_rx_drain(&xsks[i], check_frame, &c);
		}
		if (sent == -2) {
			sent = ctl_wait_sent_ms(a, name, 1);
			if (sent == -1)
				goto detach;
			continue;
		}
		if (c.received >= (unsigned long)sent)
			break;
		if (c.received == before) {
			idle++;
			usleep(10 * 1000);
		}
	}
	ctl_send(a, "# received %lu of %ld probes: %lu corrupted, %lu duplicates, %lu out of order per queue",
		 c.received, sent, c.bad, c.dup, c.reordered);
	for (unsigned int i = 0; i < nxsk; i++) {
		uint64_t d = xsk_rx_dropped(&xsks[i]);

		if (d)
			ctl_send(a, "# queue %u: the socket dropped %llu frames", i, (unsigned long long)d);
	}
	if (c.first_problem[0])
		ctl_send(a, "# first problem: %s", c.first_problem);
	if (c.received == (unsigned long)sent && !c.bad && !c.dup && !c.reordered) {
		ctl_send(a, "reader %s xsk pass every probe arrived once, intact, in order", name);
		rc = 0;
	} else {
		ctl_send(a, "reader %s xsk fail expected %ld probes once, intact, in order; got %lu (%lu corrupted, %lu duplicates, %lu reordered)",
			 name, sent, c.received, c.bad, c.dup, c.reordered);
	}
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
detach:
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (rc && err[0])
		ctl_send(a, "end %s error %s", name, err);
	while (nxsk)
		xsk_close(&xsks[--nxsk]);
	bench_bpf__destroy(skel);
	return rc;
}

int test_xsk_copy_rx(struct agent *a, const char *name)
{
	return xsk_rx_test(a, name, false);
}

int test_xsk_zc_rx(struct agent *a, const char *name)
{
	return xsk_rx_test(a, name, true);
}
