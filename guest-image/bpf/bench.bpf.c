// SPDX-License-Identifier: GPL-2.0
/*
 * bench.bpf.c - receive-rate programs: count probes with their first and
 * last arrival time, then drop them (xdp_drop_count), pass them to the
 * stack (xdp_pass_count: mtu_change_xdp) or hand them to the AF_XDP socket
 * bound on the receiving queue (xdp_xsk_redirect, and its twin
 * xdp_xsk_redirect_b).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "meta.h"
#include "bench.h"

#define ETH_P_IP	0x0800

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_stats);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

/* A UDP/IPv4 probe (the bench sends the udp4 template only). */
static __always_inline bool is_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > end)
		return false;
	return eth->h_proto == bpf_htons(ETH_P_IP) && ip->ihl == 5 && ip->protocol == 17 &&
	       udp->dest == bpf_htons(NICRIG_UDP_DPORT);
}

static __always_inline struct bench_stats *account(void)
{
	__u32 key = 0;
	struct bench_stats *s = bpf_map_lookup_elem(&stats, &key);
	__u64 t = bpf_ktime_get_ns();

	if (!s)
		return NULL;
	if (!s->frames)
		s->first_ns = t;
	s->last_ns = t;
	s->frames++;
	return s;
}

SEC("xdp")
int xdp_drop_count(struct xdp_md *ctx)
{
	if (!is_probe(ctx))
		return XDP_PASS;
	account();
	return XDP_DROP;
}

SEC("xdp")
int xdp_pass_count(struct xdp_md *ctx)
{
	if (is_probe(ctx))
		account();
	return XDP_PASS;
}

static __always_inline int xsk_redirect(struct xdp_md *ctx)
{
	struct bench_stats *s;
	long rc;

	if (!is_probe(ctx))
		return XDP_PASS;
	s = account();
	rc = bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_DROP);
	if (rc != XDP_REDIRECT && s)
		s->redirect_fail++;
	return rc;
}

SEC("xdp")
int xdp_xsk_redirect(struct xdp_md *ctx)
{
	return xsk_redirect(ctx);
}

/* The same program once more: the fault tests swap between the two under traffic. */
SEC("xdp")
int xdp_xsk_redirect_b(struct xdp_md *ctx)
{
	return xsk_redirect(ctx);
}

char LICENSE[] SEC("license") = "GPL";
