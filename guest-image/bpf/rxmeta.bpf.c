// SPDX-License-Identifier: GPL-2.0
/*
 * rxmeta.bpf.c - the XDP RX metadata kfuncs on the NIC under test.
 *
 * xdp_rx_metadata is loaded bound to the device (BPF_F_XDP_DEV_BOUND_ONLY,
 * prog_ifindex), which is what lets it call the driver's xdp_metadata_ops
 * through bpf_xdp_metadata_rx_hash and bpf_xdp_metadata_rx_timestamp.  For
 * each UDP/IPv4 probe it records what both returned, with the addresses
 * the hash covers, and drops the frame; the agent checks the hash against
 * its own Toeplitz hash with the driver's key, and the timestamps against
 * the NIC's PTP clock.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "meta.h"
#include "rxmeta.h"

#define ETH_P_IP	0x0800
#define IPPROTO_UDP_	17

extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash,
				    enum xdp_rss_hash_type *rss_type) __ksym;
extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx,
					 __u64 *timestamp) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RXMETA_MAX);
	__type(key, __u32);
	__type(value, struct rxmeta_rec);
} recs SEC(".maps");

__u32 arrivals;

SEC("xdp")
int xdp_rx_metadata(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct nicrig_probe *p = (void *)(udp + 1);
	enum xdp_rss_hash_type type = 0;
	struct rxmeta_rec *r;
	__u32 seq;

	if ((void *)(p + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP_ ||
	    udp->dest != bpf_htons(NICRIG_UDP_DPORT) ||
	    p->magic != bpf_htonl(NICRIG_PROBE_MAGIC))
		return XDP_PASS;
	seq = bpf_ntohl(p->seq);
	r = bpf_map_lookup_elem(&recs, &seq);
	if (!r)
		return XDP_DROP;
	r->seen++;
	r->order = __sync_fetch_and_add(&arrivals, 1);
	r->hash_rc = bpf_xdp_metadata_rx_hash(ctx, &r->hash, &type);
	r->rss_type = type;
	r->ts_rc = bpf_xdp_metadata_rx_timestamp(ctx, &r->ts);
	r->saddr = ip->saddr;
	r->daddr = ip->daddr;
	r->sport = udp->source;
	r->dport = udp->dest;
	r->rx_queue = ctx->rx_queue_index;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
