// SPDX-License-Identifier: GPL-2.0
/*
 * echo.bpf.c - XDP_TX: turn every udp4 probe around in the driver and send
 * it back out of the port it came in on.  Swapping the MAC addresses, the
 * IPv4 addresses and the UDP ports leaves both checksums valid (the one's
 * complement sum does not depend on the order of its terms), so the host's
 * wire endpoint can check each probe it gets back byte for byte.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "meta.h"

#define ETH_P_IP	0x0800
#define ETH_ALEN	6

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} echoed SEC(".maps");

SEC("xdp")
int xdp_tx_echo(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	unsigned char mac[ETH_ALEN];
	__u32 key = 0, addr;
	__u16 port;
	__u64 *n;

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(NICRIG_UDP_DPORT))
		return XDP_PASS;

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;

	n = bpf_map_lookup_elem(&echoed, &key);
	if (n)
		(*n)++;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
