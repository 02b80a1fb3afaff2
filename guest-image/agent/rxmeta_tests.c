// SPDX-License-Identifier: GPL-2.0
/*
 * rxmeta_tests.c - xdp_rx_metadata: what the driver's XDP RX metadata
 * kfuncs return, checked against the NIC's own state.
 *
 * The hash must be the Toeplitz hash of the fields its RSS type names
 * (IPv4 addresses, plus the ports for an L4 type), with the key the driver
 * reports through ETHTOOL_GRSSH, computed here independently of the model.
 * The timestamp must lie on the NIC's PTP clock between a reading taken
 * before the wire sent and one after, and must not go backwards on a queue.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>

#include "agent.h"
#include "meta.h"
#include "rxmeta.h"
#include "rxmeta.skel.h"
#include "meta.skel.h"
#include "veth_carrier.h"

/* enum xdp_rss_hash_type (include/net/xdp.h), not part of the UAPI */
#define RSS_L3_IPV4	(1u << 0)
#define RSS_L4		(1u << 3)

/* <linux/bpf.h> since 6.3; the build host's headers may be older */
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY	(1U << 6)
#endif

#define PHC_SLACK_NS	1000000LL	/* the driver subtracts its RX latency */

/* The driver's RSS key (ethtool -x), or -1 */
static int rss_key(const char *ifname, uint8_t *key, size_t max)
{
	struct ethtool_rxfh head = { .cmd = ETHTOOL_GRSSH };
	struct ethtool_rxfh *rxfh;
	size_t len;
	int rc = -1;

	if (ethtool_ioctl(ifname, &head) || !head.key_size || head.key_size > max)
		return -1;
	len = sizeof(*rxfh) + head.indir_size * sizeof(__u32) + head.key_size;
	rxfh = calloc(1, len);
	if (!rxfh)
		return -1;
	*rxfh = head;
	rxfh->cmd = ETHTOOL_GRSSH;
	if (!ethtool_ioctl(ifname, rxfh)) {
		memcpy(key, (uint8_t *)rxfh->rss_config + head.indir_size * sizeof(__u32),
		       head.key_size);
		rc = head.key_size;
	}
	free(rxfh);
	return rc;
}

/* The Toeplitz hash of @len input bytes with @key (at least len + 4 bytes) */
static uint32_t toeplitz(const uint8_t *key, const uint8_t *in, size_t len)
{
	uint32_t hash = 0, window = (uint32_t)key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3];
	size_t i;
	int b;

	for (i = 0; i < len; i++) {
		for (b = 7; b >= 0; b--) {
			if (in[i] & (1u << b))
				hash ^= window;
			window = window << 1 | ((key[i + 4] >> b) & 1);
		}
	}
	return hash;
}

static uint32_t expected_hash(const uint8_t *key, const struct rxmeta_rec *r)
{
	uint8_t in[12];

	memcpy(in, &r->saddr, 4);
	memcpy(in + 4, &r->daddr, 4);
	memcpy(in + 8, &r->sport, 2);
	memcpy(in + 10, &r->dport, 2);
	return toeplitz(key, in, (r->rss_type & RSS_L4) ? 12 : 8);
}

struct rxmeta_ctx {
	struct rxmeta_bpf *skel;
};

static unsigned long rxmeta_count(void *ctx)
{
	struct rxmeta_ctx *c = ctx;

	return c->skel->bss->arrivals;
}

static int check_hash(struct agent *a, const char *name, const struct rxmeta_rec *recs,
		       long sent, const uint8_t *key, int key_len)
{
	long ok = 0, seen = 0, err = 0, wrong = 0, first_wrong = -1;
	int first_rc = 0;

	for (long s = 0; s < sent && s < RXMETA_MAX; s++) {
		const struct rxmeta_rec *r = &recs[s];

		if (!r->seen)
			continue;
		seen++;
		if (r->hash_rc) {
			if (!err++)
				first_rc = r->hash_rc;
		} else if (key_len < 16 || !(r->rss_type & RSS_L3_IPV4) ||
			   r->hash != expected_hash(key, r)) {
			if (!wrong++)
				first_wrong = s;
		} else {
			ok++;
		}
	}
	if (err) {
		ctl_send(a, "reader %s rx_hash fail bpf_xdp_metadata_rx_hash returned %d (%s) for %ld of "
			 "%ld probes", name, first_rc, strerror(-first_rc), err, seen);
	} else if (wrong && key_len < 16) {
		ctl_send(a, "reader %s rx_hash fail the driver reports no RSS key (ETHTOOL_GRSSH) to "
			 "compute Toeplitz with; first: seq %ld hash 0x%08x type 0x%x", name,
			 first_wrong, recs[first_wrong].hash, recs[first_wrong].rss_type);
	} else if (wrong) {
		ctl_send(a, "reader %s rx_hash fail %ld of %ld hashes wrong; first: seq %ld hash 0x%08x "
			 "type 0x%x, Toeplitz with the driver's %d-byte key 0x%08x", name, wrong, seen,
			 first_wrong, recs[first_wrong].hash, recs[first_wrong].rss_type, key_len,
			 expected_hash(key, &recs[first_wrong]));
	} else if (seen != sent) {
		ctl_send(a, "reader %s rx_hash fail only %ld of %ld probes reached XDP", name, seen, sent);
	} else {
		ctl_send(a, "reader %s rx_hash pass all %ld hashes are the Toeplitz hash of the fields their "
			 "type names (type 0x%x), with the driver's key", name, ok,
			 seen ? recs[0].rss_type : 0);
		return 0;
	}
	return -1;
}

static int check_timestamp(struct agent *a, const char *name, const char *ifname,
			    const struct rxmeta_rec *recs, long sent, long long phc0, long long phc1)
{
	long ok = 0, seen = 0, err = 0, outside = 0, backwards = 0;
	unsigned long long last[64] = { 0 };
	int first_rc = 0;

	for (long s = 0; s < sent && s < RXMETA_MAX; s++) {
		const struct rxmeta_rec *r = &recs[s];

		if (!r->seen)
			continue;
		seen++;
		if (r->ts_rc) {
			if (!err++)
				first_rc = r->ts_rc;
		} else if ((long long)r->ts < phc0 - PHC_SLACK_NS || (long long)r->ts > phc1) {
			outside++;
		} else {
			ok++;
		}
	}
	/* per queue, in arrival order, time must not go backwards */
	for (unsigned int ord = 0; ord < RXMETA_MAX; ord++) {
		for (long s = 0; s < sent && s < RXMETA_MAX; s++) {
			const struct rxmeta_rec *r = &recs[s];

			if (!r->seen || r->ts_rc || r->order != ord || r->rx_queue >= 64)
				continue;
			if (r->ts < last[r->rx_queue])
				backwards++;
			last[r->rx_queue] = r->ts;
		}
	}
	if (err) {
		ctl_send(a, "reader %s rx_timestamp fail bpf_xdp_metadata_rx_timestamp returned %d (%s) for "
			 "%ld of %ld probes", name, first_rc, strerror(-first_rc), err, seen);
	} else if (phc0 < 0) {
		ctl_send(a, "reader %s rx_timestamp fail %s has no PTP clock to compare with", name,
			 ifname);
	} else if (outside || backwards) {
		ctl_send(a, "reader %s rx_timestamp fail %ld of %ld timestamps outside the PHC's "
			 "[%lld, %lld] ns, %ld earlier than the one before on their queue", name,
			 outside, seen, phc0, phc1, backwards);
	} else if (seen != sent) {
		ctl_send(a, "reader %s rx_timestamp fail only %ld of %ld probes reached XDP", name, seen,
			 sent);
	} else {
		ctl_send(a, "reader %s rx_timestamp pass all %ld timestamps on the PHC between the readings "
			 "before and after (%.3f ms apart), never going back on a queue", name, ok,
			 (phc1 - phc0) / 1e6);
		return 0;
	}
	return -1;
}

int test_xdp_rx_metadata(struct agent *a, const char *name, int arg __maybe_unused)
{
	struct rxmeta_ctx c = { 0 };
	struct rxmeta_rec *recs = NULL;
	struct meta_bpf *carrier = NULL;
	struct veth_carrier vc = { 0 };
	const char *rx_ifname;
	int ifindex, phc = -1, key_len, err;
	bool attached = false, tstamping = false;
	long long phc0, phc1;
	uint8_t key[64];
	long sent;
	int rc = -1;

	/* on a veth rig the program runs on the pair's far end, the NIC redirects */
	if (veth_pair_setup(a, &vc, &rx_ifname)) {
		ctl_send(a, "end %s error could not set up the veth pair", name);
		goto out;
	}
	ifindex = if_nametoindex(rx_ifname);
	if (!ifindex) {
		ctl_send(a, "end %s error no interface %s", name, rx_ifname);
		goto out;
	}
	c.skel = rxmeta_bpf__open();
	if (!c.skel) {
		ctl_send(a, "end %s error opening the rxmeta BPF object failed: %s", name, strerror(errno));
		goto out;
	}
	/* bound to the device: what lets the program call its metadata ops */
	bpf_program__set_ifindex(c.skel->progs.xdp_rx_metadata, ifindex);
	bpf_program__set_flags(c.skel->progs.xdp_rx_metadata, BPF_F_XDP_DEV_BOUND_ONLY);
	err = rxmeta_bpf__load(c.skel);
	if (err) {
		ctl_send(a, "end %s error loading the device-bound XDP program on %s failed: %s", name,
			 rx_ifname, strerror(-err));
		goto out;
	}
	if (hw_timestamping(a->ifname, false, true))
		ctl_send(a, "# SIOCSHWTSTAMP rx_filter ALL on %s: %s", a->ifname, strerror(errno));
	else
		tstamping = true;
	err = bpf_xdp_attach(ifindex, bpf_program__fd(c.skel->progs.xdp_rx_metadata),
			     XDP_FLAGS_DRV_MODE, NULL);
	if (err) {
		ctl_send(a, "end %s error attaching XDP in native mode to %s failed: %s", name, rx_ifname,
			 strerror(-err));
		goto out;
	}
	attached = true;
	if (veth_rig(a)) {
		carrier = meta_bpf__open();
		if (carrier)
			carrier->rodata->carrier_ifindex = veth_carrier_target();
		if (!carrier || meta_bpf__load(carrier) || veth_carrier_attach(a, &vc, carrier)) {
			ctl_send(a, "end %s error could not redirect the probes from %s into %s", name,
				 a->ifname, VETH_A);
			goto out;
		}
	}
	/* Attaching XDP resets most NICs: wait for the link to come back. */
	if (link_wait_carrier(a->ifname, 20000)) {
		ctl_send(a, "end %s error %s lost carrier after attaching XDP", name, a->ifname);
		goto out;
	}
	phc = open_phc(rx_ifname);
	phc0 = phc_ns(phc);

	ctl_send(a, "ready %s %s", name, a->ifname);
	sent = drain_until_sent(a, name, rxmeta_count, &c, 50, 3000);
	if (sent < 0) {
		ctl_send(a, "end %s error no probes from the runner", name);
		goto out;
	}
	phc1 = phc_ns(phc);
	if (sent > RXMETA_MAX) {
		ctl_send(a, "end %s error the wire sent %ld probes, more than the %d recorded", name, sent,
			 RXMETA_MAX);
		goto out;
	}

	recs = calloc(RXMETA_MAX, sizeof(*recs));
	if (!recs)
		goto out;
	for (__u32 s = 0; s < RXMETA_MAX; s++)
		bpf_map__lookup_elem(c.skel->maps.recs, &s, sizeof(s), &recs[s], sizeof(recs[s]), 0);
	key_len = rss_key(rx_ifname, key, sizeof(key) - 12);
	ctl_send(a, "# %lu probes reached XDP; RSS key %d bytes; PHC %s", rxmeta_count(&c), key_len,
		 phc < 0 ? "none" : "found");
	rc = check_hash(a, name, recs, sent, key, key_len);
	rc |= check_timestamp(a, name, rx_ifname, recs, sent, phc0, phc1);
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
out:
	free(recs);
	if (phc >= 0)
		close(phc);
	if (attached)
		bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	if (tstamping)
		hw_timestamping(a->ifname, false, false);
	veth_carrier_teardown(&vc);
	meta_bpf__destroy(carrier);
	rxmeta_bpf__destroy(c.skel);
	return rc;
}
