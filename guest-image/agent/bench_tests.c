// SPDX-License-Identifier: GPL-2.0
/*
 * bench_tests.c - receive rate into an XDP_DROP program and into AF_XDP
 * zero-copy sockets (`make bench`).  The wire sends as fast as QEMU takes
 * the frames; the XDP program time-stamps the first and the last probe, so
 * the rate is what the device model and the driver sustain together.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "agent.h"
#include "bench.h"
#include "bench.skel.h"
#include "xsk.h"

#define MAX_QUEUES 64

/* First and last time stamp over every CPU, the counts added up. */
static void fold_stats(void *acc, const void *value)
{
	struct bench_stats *total = acc;
	const struct bench_stats *cpu = value;

	if (!cpu->frames)
		return;
	if (!total->frames || cpu->first_ns < total->first_ns)
		total->first_ns = cpu->first_ns;
	if (cpu->last_ns > total->last_ns)
		total->last_ns = cpu->last_ns;
	total->frames += cpu->frames;
	total->redirect_fail += cpu->redirect_fail;
}

static struct bench_stats sum_stats(struct bench_bpf *skel)
{
	struct bench_stats total = { 0 };

	percpu_map_fold(skel->maps.stats, fold_stats, &total);
	return total;
}

/* Interrupts the NIC's vectors (/proc/interrupts lines naming IF) took so far. */
static unsigned long long nic_interrupts(const char *ifname)
{
	unsigned long long total = 0;
	char line[1024];
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':'), *name = strrchr(line, ' ');
		size_t n = strlen(ifname);

		/* The action name ends the line: IF or IF-something (eth0-TxRx-0). */
		if (!p || !name++)
			continue;
		name[strcspn(name, "\n")] = '\0';
		if (strncmp(name, ifname, n) || (name[n] && name[n] != '-'))
			continue;
		for (p++;;) {
			char *end;
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			total += v;
			p = end;
		}
	}
	fclose(f);
	return total;
}

#define MAX_CPUS 8

/* Per-CPU busy and total jiffies from /proc/stat; returns the CPU count. */
static int cpu_times(unsigned long long busy[MAX_CPUS], unsigned long long total[MAX_CPUS])
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return 0;
	while (n < MAX_CPUS && fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = { 0 };
		int cpu;

		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 9 || cpu != n)
			break;
		total[n] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		busy[n] = total[n] - v[3] - v[4];	/* minus idle, iowait */
		n++;
	}
	fclose(f);
	return n;
}

/*
 * Interrupt moderation: with usecs > 0, a fixed rx-usecs instead of the
 * driver's adaptive setting (ETHTOOL_SCOALESCE), the old one kept in *saved
 * for coalesce_restore.
 */
static int coalesce_set(struct agent *a, int usecs, struct ethtool_coalesce *saved)
{
	struct ethtool_coalesce ec = { .cmd = ETHTOOL_GCOALESCE };

	if (ethtool_ioctl(a->ifname, &ec)) {
		ctl_send(a, "# ETHTOOL_GCOALESCE on %s: %s", a->ifname, strerror(errno));
		return -1;
	}
	*saved = ec;
	ec.cmd = ETHTOOL_SCOALESCE;
	ec.rx_coalesce_usecs = usecs;
	ec.use_adaptive_rx_coalesce = 0;
	if (ethtool_ioctl(a->ifname, &ec)) {
		ctl_send(a, "# ETHTOOL_SCOALESCE rx-usecs %d on %s: %s", usecs, a->ifname, strerror(errno));
		return -1;
	}
	return 0;
}

static void coalesce_restore(struct agent *a, struct ethtool_coalesce *saved)
{
	saved->cmd = ETHTOOL_SCOALESCE;
	if (ethtool_ioctl(a->ifname, saved))
		ctl_send(a, "# restoring %s's interrupt moderation: %s", a->ifname, strerror(errno));
}

struct bench_drain {
	struct bench_bpf *skel;
	struct xsk *xsks;
	unsigned int nxsk;
	int mode;
	unsigned long received;
};

static void count_frame(void *ctx, uint32_t queue, const uint8_t *data, uint32_t len)
{
	(void)queue;
	(void)data;
	(void)len;
	((struct bench_drain *)ctx)->received++;
}

/* Probes so far: in user space for zero-copy (XDP counted each first), else at XDP. */
static unsigned long bench_count(void *ctx)
{
	struct bench_drain *d = ctx;

	for (unsigned int i = 0; i < d->nxsk; i++)
		xsk_rx_drain(&d->xsks[i], count_frame, d);
	return d->mode ? d->received : sum_stats(d->skel).frames;
}

/*
 * mode 0: XDP_DROP; mode 1: AF_XDP zero-copy on every queue, drained while
 * the frames arrive (the fill ring holds fewer frames than the wire sends).
 * usecs > 0: interrupt moderation fixed at that many microseconds on the NIC
 * (the same on every NIC), else the driver's adaptive default.
 */
static int bench(struct agent *a, const char *name, int mode, int usecs)
{
	static struct xsk xsks[MAX_QUEUES];
	struct ethtool_coalesce saved;
	bool coalesced = false;
	unsigned long long irqs, busy0[MAX_CPUS], total0[MAX_CPUS], busy1[MAX_CPUS], total1[MAX_CPUS];
	char load[128] = "";
	unsigned int nxsk = 0;
	int ncpu;
	struct bench_drain drain;
	unsigned long received;
	unsigned long long xsk_dropped = 0;
	struct bench_stats st;
	struct bench_bpf *skel;
	char err[256] = "";
	int ifindex = if_nametoindex(a->ifname), rc = -1;
	long sent;
	double secs;

	skel = bench_bpf__open_and_load();
	if (!skel) {
		snprintf(err, sizeof(err), "loading the bench BPF programs: %s", strerror(errno));
		goto out;
	}
	if (mode == 1) {
		int n = xsk_open_all(xsks, MAX_QUEUES, a->ifname, XSK_ZEROCOPY,
				     bpf_map__fd(skel->maps.xsks), err, sizeof(err));

		if (n < 0)
			goto out;
		nxsk = n;
	}
	if (bpf_xdp_attach(ifindex, bpf_program__fd(mode ? skel->progs.xdp_xsk_redirect :
						    skel->progs.xdp_drop_count),
			   XDP_FLAGS_DRV_MODE, NULL)) {
		snprintf(err, sizeof(err), "attaching the bench program in native mode: %s", strerror(errno));
		goto out;
	}
	if (usecs > 0) {
		if (coalesce_set(a, usecs, &saved)) {
			snprintf(err, sizeof(err), "cannot set rx-usecs %d on %s", usecs, a->ifname);
			goto detach;
		}
		coalesced = true;
	}
	if (link_wait_carrier(a->ifname, 20000)) {
		snprintf(err, sizeof(err), "%s lost carrier after attaching XDP", a->ifname);
		goto detach;
	}
	irqs = nic_interrupts(a->ifname);
	ncpu = cpu_times(busy0, total0);
	ctl_send(a, "ready %s %s", name, a->ifname);
	drain = (struct bench_drain){ .skel = skel, .xsks = xsks, .nxsk = nxsk, .mode = mode };
	sent = drain_until_sent(a, name, bench_count, &drain, 1, 2000);
	received = drain.received;
	if (sent < 0) {
		snprintf(err, sizeof(err), "no probes from the runner");
		goto detach;
	}
	st = sum_stats(skel);
	irqs = nic_interrupts(a->ifname) - irqs;
	/* How busy each vCPU was, the wait for the runner's word included. */
	if (cpu_times(busy1, total1) == ncpu) {
		for (int c = 0; c < ncpu; c++)
			snprintf(load + strlen(load), sizeof(load) - strlen(load), " cpu%d %.0f%%", c,
				 total1[c] > total0[c] ? 100.0 * (busy1[c] - busy0[c]) /
				 (total1[c] - total0[c]) : 0.0);
	}
	for (unsigned int i = 0; i < nxsk; i++)
		xsk_dropped += xsk_rx_dropped(&xsks[i]);
	secs = st.frames > 1 ? (st.last_ns - st.first_ns) / 1e9 : 0;
	ctl_send(a, "# bench %s: %llu of %ld probes reached XDP (%.1f%%), %lu in user space, %llu dropped by the sockets, %.3f s first to last",
		 mode ? "xsk_zc" : "xdp_drop", (unsigned long long)st.frames, sent,
		 sent ? 100.0 * st.frames / sent : 0.0, received, xsk_dropped, secs);
	ctl_send(a, "# bench %s: %llu interrupts, %.1f frames per interrupt, moderation %s; busy:%s",
		 mode ? "xsk_zc" : "xdp_drop", irqs, irqs ? (double)st.frames / irqs : 0.0,
		 usecs > 0 ? "fixed" : "the driver's adaptive default", load);
	ctl_send(a, "# bench-rate %s %s %s %.0f frames/s, %.1f%% of %ld probes received",
		 name, a->nic, mode ? "xsk_zc" : "xdp_drop", secs > 0 ? (st.frames - 1) / secs : 0.0,
		 sent ? 100.0 * (mode ? received : st.frames) / sent : 0.0, sent);
	/*
	 * A rate is a figure, not a verdict: frames the device or the driver
	 * drops under a flood are part of it (reported above).  The check is
	 * that frames flowed and that, in zero-copy mode, every frame XDP
	 * redirected is accounted for: in user space or counted as dropped by
	 * its socket (XDP_STATISTICS: rx ring full under the flood).
	 */
	if (st.frames > 1 && !st.redirect_fail && (!mode || received + xsk_dropped == st.frames)) {
		ctl_send(a, "reader %s rate pass frames flowed at the rate above", name);
		rc = 0;
	} else {
		ctl_send(a, "reader %s rate fail %llu of %ld probes at XDP, %lu in user space, %llu dropped by sockets, %llu redirects failed",
			 name, (unsigned long long)st.frames, sent, received, xsk_dropped,
			 (unsigned long long)st.redirect_fail);
	}
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
detach:
	if (coalesced)
		coalesce_restore(a, &saved);
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (rc && err[0])
		ctl_send(a, "end %s error %s", name, err);
	xsk_close_all(xsks, nxsk);
	bench_bpf__destroy(skel);
	return rc;
}

/* bench_xdp_drop, bench_xsk_zc; arg > 0 (the _rx100 variants) fixes rx-usecs at arg. */
int test_bench_xdp_drop(struct agent *a, const char *name, int arg)
{
	return bench(a, name, 0, arg);
}

int test_bench_xsk_zc(struct agent *a, const char *name, int arg)
{
	return bench(a, name, 1, arg);
}
