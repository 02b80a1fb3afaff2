// SPDX-License-Identifier: GPL-2.0
/*
 * xsk_tests.c - AF_XDP receive: every probe arrives once, intact, and in
 * order per queue, in copy mode (xsk_copy_rx) and zero-copy mode (xsk_zc_rx).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/socket.h>
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
	struct xsk *xsks;
	unsigned int nxsk;
	unsigned long received, bad, dup, reordered;
	long last_seq[MAX_QUEUES];
	unsigned char seen[NICRIG_MAX_SEQ];
	char first_problem[160];
};

static unsigned int be32(const uint8_t *p)
{
	return (unsigned int)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void problem(struct rx_check *c, const char *what, unsigned int seq, uint32_t queue)
{
	if (!c->first_problem[0])
		snprintf(c->first_problem, sizeof(c->first_problem), "%s (seq %u, queue %u)", what,
			 seq, queue);
}

/* Checks one frame against what the wire's udp4 template builds. */
static void check_frame(void *ctx, uint32_t queue, const uint8_t *f, uint32_t len)
{
	struct rx_check *c = ctx;
	unsigned int seq;

	c->received++;
	if (len < UDP_OFF + 8 + sizeof(struct nicrig_probe) || be32(f + UDP_OFF + 8) != NICRIG_PROBE_MAGIC) {
		c->bad++;
		problem(c, "not a probe", 0, queue);
		return;
	}
	seq = be32(f + UDP_OFF + 12);
	for (uint32_t off = sizeof(struct nicrig_probe); UDP_OFF + 8 + off < len; off++) {
		if (f[UDP_OFF + 8 + off] != nicrig_probe_fill(seq, off)) {
			c->bad++;
			problem(c, "payload corrupted", seq, queue);
			return;
		}
	}
	if (seq >= NICRIG_MAX_SEQ || c->seen[seq]++) {
		c->dup++;
		problem(c, "duplicate", seq, queue);
		return;
	}
	if (queue >= MAX_QUEUES)
		return;
	if ((long)seq < c->last_seq[queue]) {
		c->reordered++;
		problem(c, "out of order", seq, queue);
	}
	c->last_seq[queue] = seq;
}

/* Takes in what the sockets hold; returns how many frames came so far. */
static unsigned long rx_count(void *ctx)
{
	struct rx_check *c = ctx;

	for (unsigned int i = 0; i < c->nxsk; i++)
		xsk_rx_drain(&c->xsks[i], check_frame, c);
	return c->received;
}

static int xsk_rx_test(struct agent *a, const char *name, unsigned int flags)
{
	bool zerocopy = flags & XSK_ZEROCOPY;
	unsigned long wakeups = 0;
	static struct xsk xsks[MAX_QUEUES];
	static struct rx_check c;
	int ifindex = if_nametoindex(a->ifname), rc = -1;
	unsigned int nxsk = 0;
	struct bench_bpf *skel;
	char err[256] = "";
	long sent;

	memset(&c, 0, sizeof(c));
	for (int q = 0; q < MAX_QUEUES; q++)
		c.last_seq[q] = -1;
	skel = bench_bpf__open_and_load();
	if (!skel) {
		snprintf(err, sizeof(err), "loading the XSK redirect program: %s", strerror(errno));
		goto out;
	}
	{
		int n = xsk_open_all(xsks, MAX_QUEUES, a->ifname, flags,
				     bpf_map__fd(skel->maps.xsks), err, sizeof(err));

		if (n < 0)
			goto out;
		c.xsks = xsks;
		c.nxsk = nxsk = n;
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
	ctl_send(a, "# %u AF_XDP sockets bound in %s mode%s on %s", nxsk,
		 zerocopy ? "zero-copy" : "copy", flags & XSK_NEED_WAKEUP ? " with need_wakeup" : "",
		 a->ifname);
	ctl_send(a, "ready %s %s", name, a->ifname);
	/* Drain every millisecond while the runner sends: the rings are small. */
	sent = drain_until_sent(a, name, rx_count, &c, 1, 2000);
	if (sent < 0) {
		snprintf(err, sizeof(err), "no probes from the runner");
		goto detach;
	}
	ctl_send(a, "# received %lu of %ld probes: %lu corrupted, %lu duplicates, %lu out of order per queue",
		 c.received, sent, c.bad, c.dup, c.reordered);
	for (unsigned int i = 0; i < nxsk; i++) {
		uint64_t d = xsk_rx_dropped(&xsks[i]);

		if (d)
			ctl_send(a, "# queue %u: the socket dropped %llu frames", i, (unsigned long long)d);
		if (flags & XSK_NEED_WAKEUP)
			ctl_send(a, "# queue %u: %lu kicks while the driver's need_wakeup flag was up", i,
				 xsks[i].wakeups);
	}
	if (c.first_problem[0])
		ctl_send(a, "# first problem: %s", c.first_problem);
	for (unsigned int i = 0; i < nxsk; i++)
		wakeups += xsks[i].wakeups;
	if ((flags & XSK_NEED_WAKEUP) && !wakeups) {
		ctl_send(a, "reader %s xsk fail the driver never asked for a wakeup: the need_wakeup path was not exercised",
			 name);
	} else if (c.received == (unsigned long)sent && !c.bad && !c.dup && !c.reordered) {
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
	xsk_close_all(xsks, nxsk);
	bench_bpf__destroy(skel);
	return rc;
}

int test_xsk_copy_rx(struct agent *a, const char *name, int arg __maybe_unused)
{
	return xsk_rx_test(a, name, 0);
}

int test_xsk_zc_rx(struct agent *a, const char *name, int arg __maybe_unused)
{
	return xsk_rx_test(a, name, XSK_ZEROCOPY);
}

/*
 * The same with XDP_USE_NEED_WAKEUP, as most AF_XDP applications bind, and
 * with fewer frames than the NIC's ring holds, so that the driver runs out,
 * stops polling and asks user space for a wakeup: the test fails if it never
 * asked.
 */
int test_xsk_zc_rx_wakeup(struct agent *a, const char *name, int arg __maybe_unused)
{
	return xsk_rx_test(a, name, XSK_ZEROCOPY | XSK_NEED_WAKEUP | XSK_FEW_FRAMES);
}

/*
 * AF_XDP zero-copy transmit: COUNT probes from a socket bound in zero-copy
 * mode on queue 0 must reach the host's wire endpoint, each once and intact
 * (the runner counts them there).
 */
/* xsk_zc_tx with timestamps: what the completions carried, in order */
#define TXTS_MAX	256
struct txts {
	long long phc0, phc1;
	long long ts[TXTS_MAX];
	unsigned int n;
};

static void txts_take(void *ctx, const struct xsk_txmd *md)
{
	struct txts *t = ctx;

	if (t->n < TXTS_MAX)
		t->ts[t->n++] = md ? (long long)md->completion.tx_timestamp : 0;
}

static int txts_verdict(struct agent *a, const char *name, const struct txts *t, unsigned int count)
{
	unsigned int zero = 0, outside = 0, backwards = 0;
	long long first_outside = 0;

	for (unsigned int i = 0; i < t->n; i++) {
		if (!t->ts[i]) {
			zero++;
			continue;
		}
		if ((t->ts[i] < t->phc0 || t->ts[i] > t->phc1) && !outside++)
			first_outside = t->ts[i];
		if (i && t->ts[i] < t->ts[i - 1])
			backwards++;
	}
	if (t->phc0 < 0) {
		ctl_send(a, "reader %s tx_timestamp fail %s has no PTP clock to compare with", name,
			 a->ifname);
	} else if (zero || t->n != count) {
		ctl_send(a, "reader %s tx_timestamp fail %u of %u completions carried no timestamp "
			 "(%u completions)", name, zero, count, t->n);
	} else if (outside || backwards) {
		ctl_send(a, "reader %s tx_timestamp fail %u of %u timestamps outside the PHC's "
			 "[%lld, %lld] ns (first: %lld), %u earlier than the one before", name, outside,
			 count, t->phc0, t->phc1, first_outside, backwards);
	} else {
		ctl_send(a, "reader %s tx_timestamp pass all %u completions carried a timestamp on the "
			 "PHC between the readings before and after (%.3f ms apart), in order", name, count,
			 (t->phc1 - t->phc0) / 1e6);
		return 0;
	}
	return -1;
}

struct bench_bpf *xsk_tx_prog_attach(int ifindex, char *err, size_t errlen)
{
	struct bench_bpf *skel = bench_bpf__open_and_load();

	if (!skel || bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.xdp_drop_count),
				    XDP_FLAGS_DRV_MODE, NULL)) {
		snprintf(err, errlen, "attaching an XDP program in native mode: %s", strerror(errno));
		bench_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

/* arg: 0 plain, 1 every frame asks for a TX timestamp (XDP_TXMD_FLAGS_TIMESTAMP) */
int test_xsk_zc_tx(struct agent *a, const char *name, int arg)
{
	const unsigned int count = 256, size = 128;
	int ifindex = if_nametoindex(a->ifname), rc = -1;
	unsigned int done = 0, completed = 0;
	struct bench_bpf *skel = NULL;
	uint8_t mac[6], frame[256];
	static struct xsk x = { .fd = -1 };
	char err[256] = "";
	static struct txts txts;
	struct txts *ts = &txts;
	bool ts_failed = false;
	int phc = -1;
	long got;

	if (if_mac(a->ifname, mac)) {
		snprintf(err, sizeof(err), "cannot read the MAC address of %s", a->ifname);
		goto out;
	}
	skel = xsk_tx_prog_attach(ifindex, err, sizeof(err));
	if (!skel)
		goto out;
	if (xsk_open(&x, ifindex, 0, XSK_ZEROCOPY | (arg ? XSK_TX_METADATA : 0), err, sizeof(err)))
		goto detach;
	if (link_wait_carrier(a->ifname, 20000)) {
		snprintf(err, sizeof(err), "%s lost carrier after attaching XDP", a->ifname);
		goto detach;
	}
	memset(ts, 0, sizeof(*ts));
	ts->phc0 = -1;
	if (arg) {
		if (hw_timestamping(a->ifname, true, false))
			ctl_send(a, "# SIOCSHWTSTAMP tx_type ON on %s: %s", a->ifname, strerror(errno));
		phc = open_phc(a->ifname);
		ts->phc0 = phc_ns(phc);
	}
	ctl_send(a, "txready %s %s", name, a->ifname);
	if (ctl_wait_word(a, "txgo", name, 30000) < 0) {
		snprintf(err, sizeof(err), "no 'txgo' from the runner");
		goto detach;
	}
	for (int spins = 0; (done < count || completed < count) && spins < 20000; spins++) {
		/*
		 * With timestamps, one frame in flight at a time: a NIC has a few
		 * timestamp registers (igc: 4) and a frame sent while all hold
		 * unread stamps gets none (the driver counts tx_hwtstamp_skipped).
		 */
		if (done < count && (!arg || completed == done) &&
		    !xsk_tx_md(&x, frame, xsk_tx_probe(frame, size, mac, done),
			       arg ? XSK_TXMD_TIMESTAMP : 0, 0)) {
			done++;
			continue;
		}
		completed += xsk_tx_complete_md(&x, arg ? txts_take : NULL, ts);
		sendto(x.fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		usleep(500);
	}
	ctl_send(a, "# queued %u of %u probes, %u completions", done, count, completed);
	if (arg) {
		ts->phc1 = phc_ns(phc);
		if (txts_verdict(a, name, ts, count))
			ts_failed = true;
	}
	ctl_send(a, "tx %s %u", name, done);
	got = ctl_wait_word(a, "rxcount", name, 30000);
	if (got < 0) {
		snprintf(err, sizeof(err), "no 'rxcount' from the runner");
		goto detach;
	}
	if (got == count && done == count) {
		ctl_send(a, "reader %s wire pass all %u probes reached the host intact", name, count);
		rc = 0;
	} else {
		ctl_send(a, "reader %s wire fail the host got %ld of %u intact probes (%u queued, %u completed)",
			 name, got, count, done, completed);
	}
	if (ts_failed)
		rc = -1;
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
	err[0] = '\0';
detach:
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (err[0])
		ctl_send(a, "end %s error %s", name, err);
	if (x.fd >= 0)
		xsk_close(&x);
	if (arg)
		hw_timestamping(a->ifname, false, false);
	if (phc >= 0)
		close(phc);
	bench_bpf__destroy(skel);
	return rc;
}
