// SPDX-License-Identifier: GPL-2.0
/*
 * counter_tests.c - tests that judge the NIC by what its driver counts:
 * frames the hardware must refuse never reach the stack, and the driver's
 * own statistics account for every one of them (rx_oversize_drop); the
 * same across MTU changes, jumbo frames taken at MTU 9000 and refused again
 * at 1500 (mtu_change, mtu_change_xdp).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "agent.h"
#include "bench.h"
#include "bench.skel.h"
#include "meta.h"

struct ethtool_stat_read {
	const char *const *names;	/* e.g. rx_long_length_errors */
	long long *values;
	unsigned int n;
};

static void stat_line(struct agent *a __maybe_unused, char *line, void *ctx)
{
	struct ethtool_stat_read *s = ctx;
	char *p = line + strspn(line, " \t");

	for (unsigned int i = 0; i < s->n; i++) {
		size_t n = strlen(s->names[i]);

		if (!strncmp(p, s->names[i], n) && p[n] == ':')
			s->values[i] = (long long)strtoull(p + n + 1, NULL, 10);
	}
}

int ethtool_stats(struct agent *a, const char *ifname, const char *const *names, long long *values,
		  unsigned int n)
{
	struct ethtool_stat_read s = { .names = names, .values = values, .n = n };
	char cmd[128];

	for (unsigned int i = 0; i < n; i++)
		values[i] = -1;
	snprintf(cmd, sizeof(cmd), ETHTOOL " -S %s", ifname);
	return run_cmd_lines(a, cmd, stat_line, &s) ? -1 : 0;
}

/* One `ethtool -S` statistic of ifname; -1 if the driver has no such name. */
static long long ethtool_stat(struct agent *a, const char *ifname, const char *name)
{
	long long v;

	return ethtool_stats(a, ifname, &name, &v, 1) ? -1 : v;
}

/* A counter in /sys/class/net/IF/statistics/; -1 if unreadable. */
static long long netdev_stat(const char *ifname, const char *name)
{
	char path[128];
	unsigned long long v;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%llu", &v) == 1;
	fclose(f);
	return ok ? (long long)v : -1;
}

struct oversize_ctx {
	struct agent *a;
	long long long_errors0;
};

static unsigned long oversize_count(void *ctx)
{
	struct oversize_ctx *c = ctx;
	long long v = ethtool_stat(c->a, c->a->ifname, "rx_long_length_errors");

	return v < c->long_errors0 ? 0 : (unsigned long)(v - c->long_errors0);
}

int test_rx_oversize_drop(struct agent *a, const char *name, int arg __maybe_unused)
{
	struct oversize_ctx c = { .a = a };
	long long rx0, rx1, dropped;
	long sent;
	int rc = -1;

	c.long_errors0 = ethtool_stat(a, a->ifname, "rx_long_length_errors");
	rx0 = netdev_stat(a->ifname, "rx_packets");
	if (c.long_errors0 < 0 || rx0 < 0) {
		ctl_send(a, "end %s error %s has no %s", name, a->ifname,
			 c.long_errors0 < 0 ? "ethtool -S rx_long_length_errors" : "rx_packets statistic");
		return -1;
	}
	ctl_send(a, "ready %s %s", name, a->ifname);
	sent = drain_until_sent(a, name, oversize_count, &c, 50, 3000);
	if (sent < 0) {
		ctl_send(a, "end %s error no probes from the runner", name);
		return -1;
	}
	dropped = (long long)oversize_count(&c);
	rx1 = netdev_stat(a->ifname, "rx_packets");
	if (dropped == sent && rx1 == rx0) {
		ctl_send(a, "reader %s counters pass all %ld oversize frames dropped by the NIC and counted "
			 "in rx_long_length_errors; rx_packets unchanged", name, sent);
		rc = 0;
	} else {
		ctl_send(a, "reader %s counters fail wire sent %ld oversize frames: rx_long_length_errors "
			 "+%lld, rx_packets +%lld (expected +%ld and +0)", name, sent, dropped, rx1 - rx0, sent);
	}
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
	return rc;
}

/*
 * mtu_change: the wire sends a round of probes for each reader,
 * SIZE_ORDER=alternate (tests/cases/mtu_change.test): even probes 1514
 * bytes, odd ones a jumbo 9014, at RATE.  The first round runs at MTU 1500
 * as the NIC came up.  In the others the agent sets the reader's MTU while
 * the round's probes flow, once MTU_CHANGE_AT of them are accounted for:
 * the driver resets the NIC under traffic.  At 1500 a jumbo probe must be
 * dropped and counted in ethtool -S rx_long_length_errors (ROC), at 9000 it
 * must reach a UDP socket intact, and every 1514-byte probe must arrive,
 * once and intact: exactly so in a round without a change, and in a
 * changed round up to the change (old MTU) and over its last MTU_TAIL
 * probes (new MTU); what the reset loses in between is reported.  With
 * MTU_XDP an XDP_PASS program counts the probes it sees: exactly those the
 * socket gets.  A driver that refuses an MTU (ixgbe, igb and igc refuse
 * 9000 with XDP attached: no multi-buffer XDP) fails that round's reader
 * with its errno; the round goes on at the MTU the driver kept.
 */
#define MTU_JUMBO	9000
#define MTU_CHANGE_AT	128	/* probes accounted for before the change */
#define MTU_TAIL	512	/* the last probes of a round: under the new MTU, exactly */

static const struct mtu_round_def {
	const char *reader;
	int mtu;
} mtu_rounds[] = {
	{ "mtu_1500", 1500 }, { "mtu_9000", MTU_JUMBO }, { "mtu_1500_again", 1500 },
};

struct mtu_round {
	struct agent *a;
	int fd;
	struct bench_bpf *skel;		/* MTU_XDP: the XDP_PASS program's counts */
	int want_mtu, refused;		/* the round's MTU; the driver's errno for it */
	bool change_due;		/* set want_mtu once MTU_CHANGE_AT probes are in */
	long long long0, long1;		/* rx_long_length_errors at the start, now */
	unsigned long got[2];		/* intact probes by parity: even 1514, odd jumbo */
	unsigned long dup, bad;		/* probes twice, datagrams that are no whole probe */
	unsigned long at_change;	/* probes accounted for when the MTU was set */
	long long long_at_change;	/* rx_long_length_errors then, less long0 */
	long max_seq, seq_at_change;	/* the last probe in so far; when the MTU was set */
	unsigned int len[2];		/* the largest frame of each parity that came */
	unsigned char seen[NICRIG_MAX_SEQ / 8];
};

static int mtu_get(int fd, const char *ifname)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	return ioctl(fd, SIOCGIFMTU, &ifr) ? -1 : ifr.ifr_mtu;
}

/* SIOCSIFMTU: 0, or the driver's errno. */
static int mtu_set(int fd, const char *ifname, int mtu)
{
	struct ifreq ifr = { .ifr_mtu = mtu };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	return ioctl(fd, SIOCSIFMTU, &ifr) ? errno : 0;
}

/*
 * Takes in what the socket holds and, when due, sets the round's MTU;
 * probes accounted for: arrived or counted as too long.
 */
static unsigned long mtu_round_count(void *ctx)
{
	static uint8_t pkt[NICRIG_FRAME_MAX];
	struct mtu_round *r = ctx;
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	const char *long_name = "rx_long_length_errors";
	unsigned long n_in;
	ssize_t n;

	poll(&p, 1, 20);
	while ((n = recv(r->fd, pkt, sizeof(pkt), MSG_DONTWAIT)) >= 0) {
		uint32_t seq;

		if (!probe_payload_intact(pkt, n) || (seq = ntohl(((struct nicrig_probe *)pkt)->seq)) >= NICRIG_MAX_SEQ) {
			r->bad++;
			continue;
		}
		if (r->seen[seq / 8] & (1 << (seq % 8))) {
			r->dup++;
			continue;
		}
		r->seen[seq / 8] |= 1 << (seq % 8);
		r->got[seq & 1]++;
		if ((long)seq > r->max_seq)
			r->max_seq = seq;
		/* Ethernet, IPv4 and UDP headers: the frame's size on the cable, FCS excluded */
		if (n + 42 > r->len[seq & 1])
			r->len[seq & 1] = n + 42;
	}
	if (ethtool_stats(r->a, r->a->ifname, &long_name, &r->long1, 1) || r->long1 < r->long0)
		r->long1 = r->long0;
	n_in = r->got[0] + r->got[1] + (unsigned long)(r->long1 - r->long0);
	if (r->change_due && n_in >= MTU_CHANGE_AT) {
		r->change_due = false;
		r->at_change = n_in;
		r->seq_at_change = r->max_seq;
		r->long_at_change = r->long1 - r->long0;
		r->refused = mtu_set(r->fd, r->a->ifname, r->want_mtu);
		if (r->refused)
			ctl_send(r->a, "# SIOCSIFMTU %d refused: %s", r->want_mtu, strerror(r->refused));
	}
	return n_in;
}

static void add_frames(void *acc, const void *value)
{
	*(unsigned long long *)acc += ((const struct bench_stats *)value)->frames;
}

static unsigned long xdp_frames(struct mtu_round *r)
{
	unsigned long long n = 0;

	if (r->skel)
		percpu_map_fold(r->skel->maps.stats, add_frames, &n);
	return n;
}

static bool mtu_seen(const struct mtu_round *r, long q)
{
	return r->seen[q / 8] & (1 << (q % 8));
}

/* Probes of one size (parity 0: 1514 bytes, 1: jumbo) with seq from..to-1: how many, how many taken. */
struct mtu_span {
	unsigned long n, taken;
};

static struct mtu_span mtu_span(const struct mtu_round *r, long from, long to, int parity)
{
	struct mtu_span sp = { 0, 0 };

	if (to > NICRIG_MAX_SEQ)
		to = NICRIG_MAX_SEQ;
	for (long q = from < 0 ? 0 : from; q < to; q++) {
		if ((q & 1) != parity)
			continue;
		sp.n++;
		sp.taken += mtu_seen(r, q);
	}
	return sp;
}

/* Whether every probe of sp was taken (want) or none (!want). */
static bool mtu_all(struct mtu_span sp, int want)
{
	return want ? sp.taken == sp.n : !sp.taken;
}

/*
 * One round: the wire's probes, the reader's MTU set under them, the
 * verdict.  0 if the reader passed, 1 if it failed, -1 if the round could
 * not run (err).
 */
static int mtu_round(struct agent *a, const char *name, struct mtu_round *r,
		     const struct mtu_round_def *d, char *err, size_t errlen)
{
	const char *long_name = "rx_long_length_errors";
	struct mtu_span all[2], before[2], after[2];
	int mtu0, mtu, fit0, fit, ok;
	unsigned long xdp0, xdp, arrived;
	char how[96], acct[200];
	long long grew;
	long sent;

	if (link_wait_carrier(a->ifname, 20000)) {
		snprintf(err, errlen, "%s has no carrier before round %s", a->ifname, d->reader);
		return -1;
	}
	memset(r->seen, 0, sizeof(r->seen));
	r->got[0] = r->got[1] = r->dup = r->bad = r->at_change = 0;
	r->long_at_change = 0;
	r->max_seq = r->seq_at_change = -1;
	r->len[0] = r->len[1] = 0;
	r->refused = 0;
	r->want_mtu = d->mtu;
	mtu0 = mtu_get(r->fd, a->ifname);
	r->change_due = mtu0 != d->mtu;
	if (ethtool_stats(a, a->ifname, &long_name, &r->long0, 1) || r->long0 < 0) {
		snprintf(err, errlen, "%s has no ethtool -S rx_long_length_errors", a->ifname);
		return -1;
	}
	r->long1 = r->long0;
	xdp0 = xdp_frames(r);
	ctl_send(a, "ready %s %s", name, a->ifname);
	sent = drain_until_sent(a, name, mtu_round_count, r, 20, 3000);
	if (sent < 0) {
		snprintf(err, errlen, "no probes from the runner in round %s", d->reader);
		return -1;
	}
	mtu_round_count(r);
	mtu = mtu_get(r->fd, a->ifname);
	xdp = xdp_frames(r) - xdp0;
	if (r->change_due) {
		snprintf(err, errlen, "round %s: only %lu of %ld probes came, the MTU was never set", d->reader,
			 r->got[0] + r->got[1] + (unsigned long)(r->long1 - r->long0), sent);
		return -1;
	}
	if (r->refused)
		snprintf(how, sizeof(how), "MTU %d refused (%s), %d kept", d->mtu, strerror(r->refused), mtu);
	else if (mtu0 == mtu)
		snprintf(how, sizeof(how), "MTU %d throughout", mtu);
	else
		snprintf(how, sizeof(how), "MTU %d -> %d after %lu probes", mtu0, mtu, r->at_change);
	arrived = r->got[0] + r->got[1];
	/* --break-check: one probe left out of the account, which the check must catch */
	if (a->break_check)
		for (long q = 0; q < sent; q += 2)
			if (mtu_seen(r, q)) {
				r->seen[q / 8] &= ~(1 << (q % 8));
				break;
			}
	fit0 = mtu0 >= MTU_JUMBO;
	fit = mtu >= MTU_JUMBO;
	grew = r->long1 - r->long0;
	ok = !r->refused && mtu == d->mtu && !r->dup && !r->bad && (!r->skel || xdp == arrived);
	/* SIZE_ORDER=alternate: the even seqs are 1514 bytes, the odd ones jumbo */
	all[0] = mtu_span(r, 0, sent, 0);
	all[1] = mtu_span(r, 0, sent, 1);
	if (fit0 == fit) {
		/* no change: every probe as the MTU says, every drop counted */
		ok = ok && mtu_all(all[0], 1) && mtu_all(all[1], fit) &&
		     grew == (long long)(all[1].n - all[1].taken);
		snprintf(acct, sizeof(acct), "1514 B %lu/%lu in, jumbo %lu/%lu in; rx_long_length_errors +%lld",
			 all[0].taken, all[0].n, all[1].taken, all[1].n, grew);
	} else {
		/*
		 * Up to the change (the last probe in when the agent set the MTU)
		 * the old MTU, exactly, each drop counted by then; the last
		 * MTU_TAIL probes the new one, exactly, each drop counted.  In
		 * between the driver resets the NIC: frames are lost, on hardware
		 * too, and the drops since the agent's last reading go uncounted
		 * (the reset clears the NIC's statistics registers without adding
		 * them up: ixgbe_reset -> ixgbe_start_hw_generic -> clear_hw_cntrs).
		 */
		long tail = sent > MTU_TAIL ? sent - MTU_TAIL : 0;

		before[0] = mtu_span(r, 0, r->seq_at_change + 1, 0);
		before[1] = mtu_span(r, 0, r->seq_at_change + 1, 1);
		after[0] = mtu_span(r, tail, sent, 0);
		after[1] = mtu_span(r, tail, sent, 1);
		ok = ok && before[1].n && after[1].n && r->seq_at_change < tail &&
		     mtu_all(before[0], 1) && mtu_all(before[1], fit0) && mtu_all(after[0], 1) && mtu_all(after[1], fit) &&
		     (fit0 ? !r->long_at_change : r->long_at_change >= (long long)before[1].n) &&
		     grew - r->long_at_change >= (long long)(fit ? 0 : after[1].n) &&
		     grew <= (long long)(all[1].n - all[1].taken);
		snprintf(acct, sizeof(acct), "before (seq 0..%ld) 1514 B %lu/%lu in, jumbo %lu/%lu; last %ld: %lu/%lu, "
			 "%lu/%lu; lost between: %lu 1514 B; rx_long_length_errors +%lld (+%lld before)",
			 r->seq_at_change, before[0].taken, before[0].n, before[1].taken, before[1].n, sent - tail,
			 after[0].taken, after[0].n, after[1].taken, after[1].n, all[0].n - all[0].taken, grew,
			 r->long_at_change);
	}
	ctl_send(a, "# %s: %s: %s; %lu twice, %lu not whole; largest in: %u and %u bytes; XDP %s %lu", d->reader,
		 how, acct, r->dup, r->bad, r->len[0], r->len[1], r->skel ? "saw" : "off:", r->skel ? xdp : 0UL);
	/* the reason holds 255 characters: the whole account is in the diagnostics above */
	ctl_send(a, "reader %s %s %s %s: %s%s", name, d->reader, ok ? "pass" : "fail", how, acct,
		 r->dup || r->bad ? "; doubled or broken probes" : r->skel && xdp != arrived ? "; XDP saw another count" : "");
	return !ok;
}

/*
 * The other order, reported: at a jumbo MTU without XDP, does the driver
 * take a native XDP program?  ixgbe, igb and igc check the MTU's frame
 * against one XDP buffer when a program comes too.  A program it takes is
 * detached again at once.
 */
static void mtu_try_xdp(struct agent *a, int fd, int ifindex, const char *reader)
{
	struct bench_bpf *skel = bench_bpf__open_and_load();
	int mtu = mtu_get(fd, a->ifname);

	if (!skel) {
		ctl_send(a, "# %s: loading an XDP program to try at MTU %d: %s", reader, mtu, strerror(errno));
		return;
	}
	if (bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.xdp_pass_count), XDP_FLAGS_DRV_MODE, NULL)) {
		ctl_send(a, "# %s: at MTU %d the driver refuses a native XDP program: %s", reader, mtu,
			 strerror(errno));
	} else {
		ctl_send(a, "# %s: at MTU %d the driver took a native XDP program (detached again)", reader, mtu);
		bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	}
	bench_bpf__destroy(skel);
}

int test_mtu_change(struct agent *a, const char *name, int arg)
{
	int ifindex = if_nametoindex(a->ifname), buf = 8 << 20, rc = -1, failed = 0, mtu0 = -1;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(NICRIG_UDP_DPORT) };
	static struct mtu_round r;
	char err[256] = "";

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (r.fd < 0 || setsockopt(r.fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) ||
	    bind(r.fd, (struct sockaddr *)&sin, sizeof(sin))) {
		snprintf(err, sizeof(err), "UDP socket on port %d: %s", NICRIG_UDP_DPORT, strerror(errno));
		goto out;
	}
	mtu0 = mtu_get(r.fd, a->ifname);
	if (run_cmd(IP " addr replace 10.11.0.2/24 dev %s", a->ifname)) {
		snprintf(err, sizeof(err), "could not give %s the address 10.11.0.2", a->ifname);
		goto out;
	}
	if (arg & MTU_XDP) {
		r.skel = bench_bpf__open_and_load();
		if (!r.skel) {
			snprintf(err, sizeof(err), "loading the XDP_PASS counter: %s", strerror(errno));
			goto out;
		}
		if (bpf_xdp_attach(ifindex, bpf_program__fd(r.skel->progs.xdp_pass_count), XDP_FLAGS_DRV_MODE,
				   NULL)) {
			snprintf(err, sizeof(err), "attaching the XDP_PASS counter in native mode: %s", strerror(errno));
			goto out;
		}
	}
	for (unsigned int i = 0; i < sizeof(mtu_rounds) / sizeof(mtu_rounds[0]); i++) {
		int v = mtu_round(a, name, &r, &mtu_rounds[i], err, sizeof(err));

		if (v < 0)
			goto out;
		failed |= v;
		if (!r.skel && mtu_get(r.fd, a->ifname) >= MTU_JUMBO)
			mtu_try_xdp(a, r.fd, ifindex, mtu_rounds[i].reader);
	}
	ctl_send(a, "end %s %s", name, failed ? "fail" : "pass");
	rc = failed ? -1 : 0;
out:
	if (err[0])
		ctl_send(a, "end %s error %s", name, err);
	if (r.skel)
		bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	if (mtu0 > 0 && r.fd >= 0 && mtu_get(r.fd, a->ifname) != mtu0)
		mtu_set(r.fd, a->ifname, mtu0);
	if (r.fd >= 0)
		close(r.fd);
	run_cmd(IP " addr del 10.11.0.2/24 dev %s", a->ifname);
	bench_bpf__destroy(r.skel);
	link_wait_carrier(a->ifname, 20000);
	return rc;
}
