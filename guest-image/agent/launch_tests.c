// SPDX-License-Identifier: GPL-2.0
/*
 * launch_tests.c - launch time: AF_XDP TX metadata with
 * XDP_TXMD_FLAGS_LAUNCH_TIME, honoured on a queue whose ETF qdisc is
 * offloaded to the NIC (igc: TXQCTL.QUEUE_MODE_LAUNCHT), ignored elsewhere.
 *
 * Two zero-copy sockets send LT_FRAMES probes each, one at a time, every
 * frame asking to leave LT_LEAD_NS + i * LT_GAP_NS after the phase began
 * (CLOCK_TAI) and for a TX timestamp:
 *   queue 0 has no ETF offload: the driver ignores the request and every
 *     frame leaves at once (what proves the check below can see an early
 *     frame);
 *   queue 1 has one: every frame's TX timestamp, taken as it left, on the
 *     PHC set to CLOCK_TAI first (as phc2sys would), is no earlier than
 *     asked.
 * Reader launch_time holds both; the host measures the second phase's
 * spacing on its own clock (reader wire_launch, `launch` line); reader wire:
 * every probe reached the host intact.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "agent.h"
#include "bench.h"
#include "bench.skel.h"
#include "xsk.h"

#define TC		"/sbin/tc"
#define LT_FRAMES	4
#define LT_LEAD_NS	100000000LL	/* the first frame 100 ms after the phase began */
#define LT_GAP_NS	50000000LL	/* then 50 ms apart */
#define LT_SKEW_NS	200000LL	/* what reading the PHC and CLOCK_TAI apart may cost */
#define LT_LATE_NS	500000000LL	/* half a 1 s cycle: a frame in the wrong cycle */
#define LT_FRAME_MS	3000		/* one frame's wait for its completion */
#define LT_PROBE_SIZE	128

struct lt_phase {
	const char *what;
	long long want[LT_FRAMES];	/* asked, CLOCK_TAI */
	long long ts[LT_FRAMES];	/* its TX timestamp on the PHC, 0 if none */
	unsigned int sent;
};

static long long tai_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_TAI, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void lt_take(void *ctx, const struct xsk_txmd *md)
{
	struct lt_phase *p = ctx;

	if (p->sent && p->sent <= LT_FRAMES)
		p->ts[p->sent - 1] = md ? (long long)md->completion.tx_timestamp : 0;
}

/* The PHC set to CLOCK_TAI; its offset from CLOCK_TAI after that, in ns. */
static int phc_to_tai(int phc, long long *offset)
{
	struct timespec now;
	clockid_t id = (~(clockid_t)phc << 3) | 3;
	long long t0, p, t1;

	clock_gettime(CLOCK_TAI, &now);
	if (clock_settime(id, &now))
		return -1;
	t0 = tai_ns();
	p = phc_ns(phc);
	t1 = tai_ns();
	*offset = p - (t0 + t1) / 2;
	return p < 0 ? -1 : 0;
}

/* Sends the phase's frames with seqs seq0.., each once the one before completed. */
static int lt_send(struct agent *a, struct xsk *x, struct lt_phase *p, const uint8_t *mac,
		   uint32_t seq0, char *err, size_t errlen)
{
	uint8_t frame[LT_PROBE_SIZE];
	long long start = tai_ns();

	for (unsigned int i = 0; i < LT_FRAMES; i++) {
		long long deadline = now_ms() + LT_FRAME_MS;
		unsigned int done = 0;

		p->want[i] = start + LT_LEAD_NS + i * LT_GAP_NS;
		if (xsk_tx_md(x, frame, xsk_tx_probe(frame, sizeof(frame), mac, seq0 + i),
			      XSK_TXMD_TIMESTAMP | XSK_TXMD_LAUNCH_TIME, p->want[i])) {
			snprintf(err, errlen, "%s: the TX ring refused frame %u", p->what, i);
			return -1;
		}
		p->sent = i + 1;
		while (!done && now_ms() < deadline) {
			done = xsk_tx_complete_md(x, lt_take, p);
			if (!done) {
				sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
				usleep(200);
			}
		}
		if (!done) {
			snprintf(err, errlen, "%s: frame %u not completed within %d ms", p->what, i,
				 LT_FRAME_MS);
			return -1;
		}
	}
	ctl_send(a, "# %s: %d frames sent", p->what, LT_FRAMES);
	return 0;
}

/* How early (negative: late) frame i left against its launch time, in ns. */
static long long lt_early(const struct lt_phase *p, unsigned int i, long long offset)
{
	return p->want[i] - (p->ts[i] - offset);
}

static int lt_verdict(struct agent *a, const char *name, const struct lt_phase *ign,
		      const struct lt_phase *hon, long long offset)
{
	long long worst_late = 0, best = LLONG_MAX;

	for (unsigned int i = 0; i < LT_FRAMES; i++) {
		if (!ign->ts[i] || !hon->ts[i]) {
			ctl_send(a, "reader %s launch_time fail frame %u of the %s phase has no TX "
				 "timestamp to judge it by", name, i, ign->ts[i] ? hon->what : ign->what);
			return -1;
		}
		/* the check must see an early frame: without ETF the driver sends at once */
		if (lt_early(ign, i, offset) <= 0) {
			ctl_send(a, "reader %s launch_time fail without an ETF offload frame %u still "
				 "left %.3f ms after its launch time: the check cannot tell an early frame",
				 name, i, -lt_early(ign, i, offset) / 1e6);
			return -1;
		}
		if (lt_early(hon, i, offset) > LT_SKEW_NS) {
			ctl_send(a, "reader %s launch_time fail frame %u left %.3f ms before its launch "
				 "time (on the PHC set to CLOCK_TAI, offset %lld ns)", name, i,
				 lt_early(hon, i, offset) / 1e6, offset);
			return -1;
		}
		if (-lt_early(hon, i, offset) > LT_LATE_NS) {
			ctl_send(a, "reader %s launch_time fail frame %u left %.3f ms after its launch "
				 "time: in a later cycle", name, i, -lt_early(hon, i, offset) / 1e6);
			return -1;
		}
		if (-lt_early(hon, i, offset) > worst_late)
			worst_late = -lt_early(hon, i, offset);
		if (lt_early(ign, i, offset) < best)
			best = lt_early(ign, i, offset);
	}
	ctl_send(a, "reader %s launch_time pass with ETF offload all %d frames left no earlier than "
		 "asked (at most %.3f ms late); without it all left early (by %.1f ms or more)",
		 name, LT_FRAMES, worst_late / 1e6, best / 1e6);
	return 0;
}

/*
 * A change between the driver's legacy and TSN transmit modes resets
 * the adapter (igc_tsn_offload_apply): let the reset begin, then wait
 * for the link.
 */
static int lt_settle(struct agent *a)
{
	usleep(500000);
	return link_wait_carrier(a->ifname, 20000);
}

int test_xsk_tx_launch_time(struct agent *a, const char *name, int arg __maybe_unused)
{
	int ifindex = if_nametoindex(a->ifname), rc = -1, phc = -1;
	static struct lt_phase ign = { .what = "queue 0, no ETF" };
	static struct lt_phase hon = { .what = "queue 1, ETF offload" };
	static struct xsk x0 = { .fd = -1 }, x1 = { .fd = -1 };
	struct bench_bpf *skel = NULL;
	bool qdisc = false;
	long long offset = 0;
	char err[256] = "";
	uint8_t mac[6];
	long got;

	memset(ign.ts, 0, sizeof(ign.ts));
	memset(hon.ts, 0, sizeof(hon.ts));
	ign.sent = hon.sent = 0;
	if (if_mac(a->ifname, mac)) {
		snprintf(err, sizeof(err), "cannot read the MAC address of %s", a->ifname);
		goto out;
	}
	phc = open_phc(a->ifname);
	if (phc < 0 || phc_to_tai(phc, &offset)) {
		snprintf(err, sizeof(err), "%s has no PTP clock that can be set to CLOCK_TAI (%s)",
			 a->ifname, strerror(errno));
		goto out;
	}
	ctl_send(a, "# PHC set to CLOCK_TAI: offset %lld ns", offset);
	/* ETF, offloaded, on queue 1 only (mq's class 2) */
	qdisc = true;
	if (run_cmd(TC " qdisc replace dev %s root handle 100: mq", a->ifname) ||
	    run_cmd(TC " qdisc replace dev %s parent 100:2 etf clockid CLOCK_TAI delta 500000 "
		    "offload skip_sock_check", a->ifname)) {
		snprintf(err, sizeof(err), "the driver of %s refused an offloaded ETF qdisc on queue 1",
			 a->ifname);
		goto out;
	}
	if (lt_settle(a)) {
		snprintf(err, sizeof(err), "%s has no carrier after the ETF offload", a->ifname);
		goto out;
	}
	skel = xsk_tx_prog_attach(ifindex, err, sizeof(err));
	if (!skel)
		goto out;
	if (xsk_open(&x0, ifindex, 0, XSK_ZEROCOPY | XSK_TX_METADATA, err, sizeof(err)) ||
	    xsk_open(&x1, ifindex, 1, XSK_ZEROCOPY | XSK_TX_METADATA, err, sizeof(err)))
		goto detach;
	if (link_wait_carrier(a->ifname, 20000)) {
		snprintf(err, sizeof(err), "%s lost carrier after attaching XDP", a->ifname);
		goto detach;
	}
	if (hw_timestamping(a->ifname, true, false))
		ctl_send(a, "# SIOCSHWTSTAMP tx_type ON on %s: %s", a->ifname, strerror(errno));
	ctl_send(a, "txready %s %s", name, a->ifname);
	if (ctl_wait_word(a, "txgo", name, 30000) < 0) {
		snprintf(err, sizeof(err), "no 'txgo' from the runner");
		goto detach;
	}
	if (lt_send(a, &x0, &ign, mac, 0, err, sizeof(err)) ||
	    lt_send(a, &x1, &hon, mac, LT_FRAMES, err, sizeof(err)))
		goto detach;
	ctl_send(a, "tx %s %d", name, 2 * LT_FRAMES);
	got = ctl_wait_word(a, "rxcount", name, 30000);
	if (got < 0) {
		snprintf(err, sizeof(err), "no 'rxcount' from the runner");
		goto detach;
	}
	if (got == 2 * LT_FRAMES)
		ctl_send(a, "reader %s wire pass all %d probes reached the host intact", name,
			 2 * LT_FRAMES);
	else
		ctl_send(a, "reader %s wire fail the host got %ld of %d intact probes", name, got,
			 2 * LT_FRAMES);
	/* the host judges the ETF phase's spacing on its own clock */
	ctl_send(a, "launch %s %d %d %lld", name, LT_FRAMES, LT_FRAMES, LT_GAP_NS / 1000);
	rc = lt_verdict(a, name, &ign, &hon, offset) || got != 2 * LT_FRAMES ? -1 : 0;
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
detach:
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (err[0])
		ctl_send(a, "end %s error %s", name, err);
	if (x0.fd >= 0)
		xsk_close(&x0);
	if (x1.fd >= 0)
		xsk_close(&x1);
	hw_timestamping(a->ifname, false, false);
	if (qdisc && !run_cmd(TC " qdisc del dev %s root", a->ifname))
		lt_settle(a);
	if (phc >= 0)
		close(phc);
	bench_bpf__destroy(skel);
	return rc;
}
