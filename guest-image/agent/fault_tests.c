// SPDX-License-Identifier: GPL-2.0
/*
 * fault_tests.c - the guest's side of the fault tests (FAULT= in
 * tests/cases): AF_XDP sockets on every queue take the probes while the
 * wire drops, duplicates, reorders, delays, cuts, corrupts, oversizes them
 * or takes the link down, or while the guest itself disturbs the path (a
 * stalled consumer, XDP program swaps, AF_XDP rebinds: FAULT_RX_* in
 * agent.h).  The agent judges nothing here: it reports what
 * its consumer got (`seen`: which probes arrived intact; `consumed`: frames
 * by class, duplicates, out of order), what the NIC's counters say
 * (`counters`) and when its carrier went (`carrier`); the runner, which
 * knows what the cable did, gives the verdict (tools/fault.c).
 */
#include <errno.h>
#include <fcntl.h>
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
#define ETH_HLEN_	14
#define UDP_OFF		34	/* Ethernet + IPv4 without options */
#define FRAME_MIN	60	/* what the NIC pads a shorter frame to */
#define MTU_FRAME	1514	/* the largest frame at MTU 1500, FCS not counted */

/* The classes as tools/fault.h names them (consumed's keys). */
enum { C_INTACT, C_TRUNCATED, C_BADCSUM, C_RUNT, C_OVERSIZE, C_NCLASS };
static const char *const class_names[] = { "intact", "truncated", "badcsum", "runt", "oversize" };

struct consumer {
	struct xsk *xsks;
	unsigned int nxsk;
	/* the guest's own faults (FAULT_RX_*) */
	unsigned int flags, xsk_flags;
	struct bench_bpf *skel;
	int ifindex, cur_prog;
	unsigned int swaps, rebinds, stalls;
	unsigned long next_rebind;	/* frames received when the next rebind is due */
	unsigned long long xsk_dropped;	/* of sockets closed for a rebind */
	char err[256];
	unsigned long frames, cls[C_NCLASS], dup, ooo, foreign, corrupt;
	long last;
	unsigned char seen[NICRIG_MAX_SEQ / 8];
	/* the carrier, watched while the frames come: the agent reports each change */
	struct agent *a;
	const char *test;
	int carrier;
	unsigned long carrier_downs, carrier_ups;
};

static unsigned int be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static unsigned int be32(const uint8_t *p)
{
	return be16(p) << 16 | be16(p + 2);
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += be16(p + i);
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* IPv4 header and UDP checksums of a whole udp4 probe both add up. */
static bool csums_ok(const uint8_t *f, unsigned int tot)
{
	const uint8_t *ip = f + ETH_HLEN_, *udp = f + UDP_OFF;
	unsigned int ulen = tot - 20;
	uint32_t pseudo;

	if (fold(sum16(0, ip, 20)) != 0xffff)
		return false;
	if (!be16(udp + 6))
		return true;	/* no UDP checksum: nothing to get wrong */
	pseudo = sum16(0, ip + 12, 8) + 17 + ulen;
	return fold(sum16(pseudo, udp, ulen)) == 0xffff;
}

/* Sorts one frame into its class, as the wire's fault stage would. */
static void take_frame(void *ctx, uint32_t queue __maybe_unused, const uint8_t *f, uint32_t len)
{
	struct consumer *c = ctx;
	unsigned int tot, seq;

	c->frames++;
	if (len < UDP_OFF + 8 + 8 || be16(f + 12) != 0x0800 || f[ETH_HLEN_] != 0x45 ||
	    f[ETH_HLEN_ + 9] != 17 || be16(f + UDP_OFF + 2) != NICRIG_UDP_DPORT ||
	    be32(f + UDP_OFF + 8) != NICRIG_PROBE_MAGIC) {
		c->foreign++;
		return;
	}
	tot = be16(f + ETH_HLEN_ + 2);
	if (ETH_HLEN_ + tot > len) {
		/* cut short: below the minimum the NIC padded it back to 60 bytes */
		c->cls[len <= FRAME_MIN ? C_RUNT : C_TRUNCATED]++;
		return;
	}
	if (len > MTU_FRAME) {
		c->cls[C_OVERSIZE]++;
		return;
	}
	if (tot < 28 + sizeof(struct nicrig_probe) || !csums_ok(f, tot)) {
		c->cls[C_BADCSUM]++;
		return;
	}
	seq = be32(f + UDP_OFF + 12);
	for (uint32_t off = sizeof(struct nicrig_probe); 28 + off < tot; off++) {
		if (f[UDP_OFF + 8 + off] != nicrig_probe_fill(seq, off)) {
			c->corrupt++;
			return;
		}
	}
	if (seq >= NICRIG_MAX_SEQ) {
		c->corrupt++;
		return;
	}
	c->cls[C_INTACT]++;
	if (c->seen[seq / 8] & (1 << (seq % 8))) {
		c->dup++;
		return;
	}
	c->seen[seq / 8] |= 1 << (seq % 8);
	if ((long)seq < c->last)
		c->ooo++;
	c->last = seq;
}

static int carrier_now(const char *ifname)
{
	char path[128], ch = '0';
	int fd;

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", ifname);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* reading carrier of a down interface fails: no carrier */
	if (read(fd, &ch, 1) != 1)
		ch = '0';
	close(fd);
	return ch == '1';
}

/* Swaps the XDP program for its twin (XDP_FLAGS_REPLACE: never without one). */
static int swap_prog(struct consumer *c)
{
	struct bpf_program *progs[] = { c->skel->progs.xdp_xsk_redirect, c->skel->progs.xdp_xsk_redirect_b };
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = bpf_program__fd(progs[c->cur_prog]));

	if (bpf_xdp_attach(c->ifindex, bpf_program__fd(progs[!c->cur_prog]),
			   XDP_FLAGS_DRV_MODE | XDP_FLAGS_REPLACE, &opts)) {
		snprintf(c->err, sizeof(c->err), "swap %u of the XDP program (XDP_FLAGS_REPLACE): %s",
			 c->swaps + 1, strerror(errno));
		ctl_send(c->a, "# %s", c->err);
		return -1;
	}
	c->cur_prog = !c->cur_prog;
	c->swaps++;
	return 0;
}

/* Closes every socket and binds new ones (the driver tears its zero-copy rings down and up). */
static int rebind(struct consumer *c)
{
	int n;

	/*
	 * Out of the map first, so that from now on a probe fails its redirect
	 * (counted); then, after a NAPI poll's flush, take in what the sockets
	 * already hold: closing them would lose it, the agent's loss, not the
	 * driver's.
	 */
	for (__u32 q = 0; q < c->nxsk; q++)
		bpf_map_delete_elem(bpf_map__fd(c->skel->maps.xsks), &q);
	usleep(20 * 1000);
	for (unsigned int i = 0; i < c->nxsk; i++) {
		xsk_rx_drain(&c->xsks[i], take_frame, c);
		c->xsk_dropped += xsk_rx_dropped(&c->xsks[i]);
	}
	xsk_close_all(c->xsks, c->nxsk);
	c->nxsk = 0;
	n = xsk_open_all(c->xsks, MAX_QUEUES, c->a->ifname, c->xsk_flags,
			 bpf_map__fd(c->skel->maps.xsks), c->err, sizeof(c->err));
	if (n < 0)
		return -1;
	c->nxsk = n;
	c->rebinds++;
	return 0;
}

/*
 * Takes in what the sockets hold, reports a carrier change and does the
 * guest's fault when its probe count comes; how many frames so far.  After
 * a failed action it does no more, but drains on: the wire must get its
 * probes out, or it never says `sent`, and the test ends with the error.
 */
static unsigned long consume(void *ctx)
{
	struct consumer *c = ctx;
	int up = carrier_now(c->a->ifname);

	if (!c->err[0] && (c->flags & FAULT_RX_STALL) && c->frames && !c->stalls++)
		usleep(2000 * 1000);	/* the NIC's ring fills while nobody drains */
	for (unsigned int i = 0; i < c->nxsk; i++)
		xsk_rx_drain(&c->xsks[i], take_frame, c);
	if (up != c->carrier) {
		c->carrier = up;
		if (up)
			c->carrier_ups++;
		else
			c->carrier_downs++;
		ctl_send(c->a, "carrier %s %d", c->test, up);
	}
	if (c->err[0])
		return c->frames;
	if ((c->flags & FAULT_RX_SWAP) && c->swaps < 6 && c->frames >= 50 * (c->swaps + 1UL))
		swap_prog(c);
	/* 100 probes into the test, and 50 after the first rebind took effect */
	if ((c->flags & FAULT_RX_REBIND) && c->rebinds < 2 && c->frames >= c->next_rebind && !rebind(c))
		c->next_rebind = c->frames + 50;
	return c->frames;
}

static void fold_redirect_fail(void *acc, const void *value)
{
	*(unsigned long long *)acc += ((const struct bench_stats *)value)->redirect_fail;
}

/* The counters the verdict holds against the cable, as `ethtool -S` names them. */
static const char *const stat_names[] = {
	"rx_crc_errors", "rx_missed_errors", "rx_no_buffer_count", "rx_short_length_errors",
	"rx_long_length_errors",
};
static const char *const stat_keys[] = { "crc", "missed", "nobuf", "short", "long" };
#define NSTATS	(sizeof(stat_names) / sizeof(stat_names[0]))

/* `seen OFFSET HEX`: 4 probes a digit, bit b of a digit is probe OFFSET + 4i + b; 512 a line. */
static void report_seen(struct agent *a, const char *name, const struct consumer *c, long sent)
{
	static const char hex[] = "0123456789abcdef";

	for (long off = 0; off < sent && off < NICRIG_MAX_SEQ; off += 512) {
		char digits[129];
		int n = 0;

		for (long s = off; s < off + 512 && s < sent && s < NICRIG_MAX_SEQ; s += 4)
			digits[n++] = hex[(c->seen[s / 8] >> (s % 8)) & 0xf];
		digits[n] = '\0';
		ctl_send(a, "seen %s %ld %s", name, off, digits);
	}
}

int test_fault_rx(struct agent *a, const char *name, int arg)
{
	unsigned int flags = (arg & FAULT_RX_ZEROCOPY ? XSK_ZEROCOPY : 0) |
			     (arg & FAULT_RX_STALL ? XSK_FEW_FRAMES : 0);
	int ifindex = if_nametoindex(a->ifname), rc = -1, n;
	static struct xsk xsks[MAX_QUEUES];
	static struct consumer c;
	long long st0[NSTATS], st1[NSTATS];
	unsigned long long xdrop = 0, redirect_fail = 0;
	struct bench_bpf *skel;
	char err[256] = "", line[400];
	long sent;

	memset(&c, 0, sizeof(c));
	c.last = -1;
	c.a = a;
	c.test = name;
	c.carrier = 1;
	c.flags = arg;
	c.next_rebind = 100;
	c.xsk_flags = flags;
	c.ifindex = ifindex;
	skel = bench_bpf__open_and_load();
	c.skel = skel;
	if (!skel) {
		snprintf(err, sizeof(err), "loading the XSK redirect program: %s", strerror(errno));
		goto out;
	}
	n = xsk_open_all(xsks, MAX_QUEUES, a->ifname, flags, bpf_map__fd(skel->maps.xsks), err,
			 sizeof(err));
	if (n < 0)
		goto out;
	c.xsks = xsks;
	c.nxsk = n;
	if (bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.xdp_xsk_redirect), XDP_FLAGS_DRV_MODE,
			   NULL)) {
		snprintf(err, sizeof(err), "attaching the XSK redirect in native mode: %s", strerror(errno));
		goto out;
	}
	if (link_wait_carrier(a->ifname, 20000)) {
		snprintf(err, sizeof(err), "%s lost carrier after attaching XDP", a->ifname);
		goto detach;
	}
	/*
	 * Overrun: with flow control on, ixgbe and igc leave SRRCTL.DROP_EN
	 * clear and the NIC holds a frame until the ring has room (the 82599
	 * sends PAUSE; the rig's wire waits), so nothing would overrun.  Off,
	 * the drivers let a full ring drop (ixgbe sets DROP_EN with several
	 * queues), which the NIC must count.
	 */
	if ((arg & FAULT_RX_STALL) && run_cmd(ETHTOOL " -A %s autoneg off rx off tx off", a->ifname))
		ctl_send(a, "# ethtool -A %s rx off tx off failed: flow control stays as it was", a->ifname);
	if ((arg & FAULT_RX_STALL) && link_wait_carrier(a->ifname, 20000)) {
		snprintf(err, sizeof(err), "%s lost carrier after turning flow control off", a->ifname);
		goto detach;
	}
	if (ethtool_stats(a, a->ifname, stat_names, st0, NSTATS)) {
		snprintf(err, sizeof(err), "ethtool -S %s failed", a->ifname);
		goto detach;
	}
	ctl_send(a, "# %u AF_XDP sockets bound in %s mode on %s", c.nxsk,
		 flags & XSK_ZEROCOPY ? "zero-copy" : "copy", a->ifname);
	ctl_send(a, "ready %s %s", name, a->ifname);
	/* every millisecond: the rings are small, and a carrier change is reported at once */
	sent = drain_until_sent(a, name, consume, &c, 1, 2000);
	if (sent < 0 || c.err[0]) {
		snprintf(err, sizeof(err), "%s", c.err[0] ? c.err : "no probes from the runner");
		goto detach;
	}
	if (arg & (FAULT_RX_STALL | FAULT_RX_SWAP | FAULT_RX_REBIND))
		ctl_send(a, "# the guest's faults: %u stalls of 2 s, %u XDP program swaps, %u rebinds",
			 c.stalls ? 1 : 0, c.swaps, c.rebinds);
	if (!c.carrier && link_wait_carrier(a->ifname, 20000))
		ctl_send(a, "# %s has no carrier 20 s after the wire sent its last probe", a->ifname);
	consume(&c);
	if (ethtool_stats(a, a->ifname, stat_names, st1, NSTATS)) {
		snprintf(err, sizeof(err), "ethtool -S %s failed after the probes", a->ifname);
		goto detach;
	}
	xdrop = c.xsk_dropped;
	for (unsigned int i = 0; i < c.nxsk; i++)
		xdrop += xsk_rx_dropped(&xsks[i]);
	percpu_map_fold(skel->maps.stats, fold_redirect_fail, &redirect_fail);
	/* --break-check: the account leaves out the first probe it got, which the runner must catch */
	if (a->break_check) {
		for (long q = 0; q < sent && q < NICRIG_MAX_SEQ; q++) {
			if (c.seen[q / 8] & (1 << (q % 8))) {
				c.seen[q / 8] &= ~(1 << (q % 8));
				ctl_send(a, "# --break-check: probe %ld left out of the account", q);
				break;
			}
		}
	}
	report_seen(a, name, &c, sent);
	n = snprintf(line, sizeof(line), "frames=%lu", c.frames);
	for (int k = 0; k < C_NCLASS; k++)
		n += snprintf(line + n, sizeof(line) - n, " %s=%lu", class_names[k], c.cls[k]);
	ctl_send(a, "consumed %s %s dup=%lu ooo=%lu foreign=%lu corrupt=%lu", name, line, c.dup, c.ooo,
		 c.foreign, c.corrupt);
	n = 0;
	for (unsigned int k = 0; k < NSTATS; k++)
		n += snprintf(line + n, sizeof(line) - n, "%s%s=%lld", k ? " " : "", stat_keys[k],
			      st0[k] < 0 || st1[k] < 0 ? -1 : st1[k] - st0[k]);
	ctl_send(a, "counters %s %s xsk_drop=%llu xdp_drop=%llu carrier_downs=%lu carrier_ups=%lu", name, line,
		 xdrop, redirect_fail, c.carrier_downs, c.carrier_ups);
	ctl_send(a, "end %s pass", name);
	rc = 0;
detach:
	if (arg & FAULT_RX_STALL)
		run_cmd(ETHTOOL " -A %s autoneg on rx on tx on", a->ifname);
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (rc)
		ctl_send(a, "end %s error %s", name, err);
	xsk_close_all(xsks, c.nxsk);
	bench_bpf__destroy(skel);
	return rc;
}
