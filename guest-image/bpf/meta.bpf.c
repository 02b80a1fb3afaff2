// SPDX-License-Identifier: GPL-2.0
/*
 * meta.bpf.c - the metadata writer (XDP) and the two metadata readers (TC)
 * behind the metadata tests.
 *
 * xdp_meta_write runs in native mode on the interface under test: for each
 * probe frame it reserves NICRIG_META_LEN bytes with bpf_xdp_adjust_meta,
 * fills them with a pattern derived from the frame's sequence number and
 * returns XDP_PASS, so the driver has to carry the metadata into the skb.
 *
 * tc_read_dynptr and tc_read_data_meta sit on TC ingress of the interface
 * where the skb surfaces (the NIC itself, or a VLAN/GRE device after
 * decapsulation) and check the metadata through bpf_dynptr_from_skb_meta and
 * through __sk_buff->data_meta respectively.  They are separate programs so
 * that the verifier sees data_meta loaded in one and not in the other.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "meta.h"

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88A8
#define ETH_P_TEB	0x6558
#define IPPROTO_GRE_	47
#define IPPROTO_UDP_	17
#define TC_ACT_UNSPEC_	(-1)
#define TC_ACT_SHOT_	2

/* Set by the agent before load. */
const volatile __u32 tc_salt;		/* nonzero: deliberately wrong expectation */
const volatile __u32 carrier_ifindex;	/* veth rig: where the carrier redirects */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CNT_NR);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NICRIG_MAX_SEQ);
	__type(key, __u32);
	__type(value, __u32);
} seen SEC(".maps");

/* Probes the writer saw per RX queue (xdp_md->rx_queue_index). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NICRIG_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u64);
} queue_probes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, READER_NR);
	__type(key, __u32);
	__type(value, struct nicrig_bad_sample);
} first_bad SEC(".maps");

/* The kfuncs (bpf_dynptr_from_skb_meta, bpf_dynptr_size) come from vmlinux.h. */

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* Marks seq as seen by one reader; counts a duplicate if it already was. */
static __always_inline void mark_seen(__u32 seq, __u32 bit)
{
	__u32 *v = bpf_map_lookup_elem(&seen, &seq);

	if (!v)
		return;
	if (__sync_fetch_and_or(v, bit) & bit)
		count(CNT_DUP);
}

/*
 * Finds a probe frame's sequence number: Ethernet, up to two VLAN tags, IPv4
 * or IPv6, optionally one GRE (transparent Ethernet bridging) encapsulation
 * with its own inner Ethernet and tags, then UDP to NICRIG_UDP_DPORT.
 * Returns 0 and sets *seq for a probe, -1 for anything else.
 */
/*
 * Parse a frame's headers up to the probe after its UDP header.  0: a
 * probe, *seq set; 1: a probe's headers whose body (at *off) lies past
 * data_end, as in a non-linear skb whose driver copied only the headers
 * into the linear part (igc_construct_skb); -1: not a probe.
 */
static __always_inline int probe_parse(void *data, void *data_end, __u32 *seq,
				       __u32 *off)
{
	void *pos = data;
	__u16 proto;
	int layer;

#pragma unroll
	for (layer = 0; layer < 2; layer++) {
		struct ethhdr *eth = pos;
		__u8 l4;
		int tag;

		if ((void *)(eth + 1) > data_end)
			return -1;
		proto = eth->h_proto;
		pos = eth + 1;
#pragma unroll
		for (tag = 0; tag < 2; tag++) {
			struct vlan_hdr *vh = pos;

			if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
				break;
			if ((void *)(vh + 1) > data_end)
				return -1;
			proto = vh->h_vlan_encapsulated_proto;
			pos = vh + 1;
		}

		if (proto == bpf_htons(ETH_P_IP)) {
			struct iphdr *ip = pos;

			if ((void *)(ip + 1) > data_end || ip->ihl != 5)
				return -1;
			l4 = ip->protocol;
			pos = ip + 1;
		} else if (proto == bpf_htons(ETH_P_IPV6)) {
			struct ipv6hdr *ip6 = pos;

			if ((void *)(ip6 + 1) > data_end)
				return -1;
			l4 = ip6->nexthdr;
			pos = ip6 + 1;
		} else {
			return -1;
		}

		if (l4 == IPPROTO_UDP_) {
			struct udphdr *udp = pos;
			struct nicrig_probe *p = (void *)(udp + 1);

			if ((void *)p > data_end ||
			    udp->dest != bpf_htons(NICRIG_UDP_DPORT))
				return -1;
			if ((void *)(p + 1) > data_end) {
				*off = (void *)p - data;
				return 1;
			}
			if (p->magic != bpf_htonl(NICRIG_PROBE_MAGIC))
				return -1;
			*seq = bpf_ntohl(p->seq);
			return *seq < NICRIG_MAX_SEQ ? 0 : -1;
		}
		if (l4 == IPPROTO_GRE_) {
			/* Basic GRE header only: flags/version word, protocol. */
			__be16 *gre = pos;

			if ((void *)(gre + 2) > data_end || gre[0] != 0 ||
			    gre[1] != bpf_htons(ETH_P_TEB))
				return -1;
			pos = gre + 2;
			continue;
		}
		return -1;
	}
	return -1;
}

static __always_inline int probe_seq(void *data, void *data_end, __u32 *seq)
{
	__u32 off;

	return probe_parse(data, data_end, seq, &off) == 0 ? 0 : -1;
}

/* The same for an skb, reading a probe body outside the linear part. */
static __always_inline int skb_probe_seq(struct __sk_buff *skb, __u32 *seq)
{
	struct nicrig_probe p;
	__u32 off = 0;
	int rc;

	rc = probe_parse((void *)(long)skb->data, (void *)(long)skb->data_end,
			 seq, &off);
	if (rc <= 0)
		return rc;
	if (off > 512 || bpf_skb_load_bytes(skb, off, &p, sizeof(p)) ||
	    p.magic != bpf_htonl(NICRIG_PROBE_MAGIC))
		return -1;
	*seq = bpf_ntohl(p.seq);
	return *seq < NICRIG_MAX_SEQ ? 0 : -1;
}

static __always_inline void fill_meta(struct nicrig_meta *m, __u32 seq)
{
	int i;

	m->magic = NICRIG_META_MAGIC;
	m->seq = seq;
#pragma unroll
	for (i = 0; i < NICRIG_PATTERN_LEN; i++)
		m->pattern[i] = nicrig_pattern_byte(seq, i, 0);
}

/* 0 if the 32 bytes at m are the metadata frame seq should carry. */
static __always_inline int check_meta(const struct nicrig_meta *m, __u32 seq)
{
	int i;

	if (m->magic != NICRIG_META_MAGIC || m->seq != seq)
		return -1;
#pragma unroll
	for (i = 0; i < NICRIG_PATTERN_LEN; i++)
		if (m->pattern[i] != nicrig_pattern_byte(seq, i, tc_salt))
			return -1;
	return 0;
}

static __always_inline void keep_first_bad(__u32 reader, __u32 seq, __u32 len,
					   const void *bytes)
{
	struct nicrig_bad_sample *s = bpf_map_lookup_elem(&first_bad, &reader);

	if (!s || s->valid)
		return;
	s->seq = seq;
	s->meta_len = len;
	if (bytes)
		__builtin_memcpy(s->bytes, bytes, NICRIG_META_LEN);
	s->valid = 1;
}

SEC("xdp")
int xdp_meta_write(struct xdp_md *ctx)
{
	void *data, *data_end, *meta;
	__u32 seq;

	if (probe_seq((void *)(long)ctx->data, (void *)(long)ctx->data_end, &seq))
		return XDP_PASS;
	count(CNT_XDP_PROBES);
	mark_seen(seq, SEEN_XDP);
	{
		__u32 q = ctx->rx_queue_index;
		__u64 *v = bpf_map_lookup_elem(&queue_probes, &q);

		if (v)
			__sync_fetch_and_add(v, 1);
	}

	if (bpf_xdp_adjust_meta(ctx, -NICRIG_META_LEN)) {
		count(CNT_XDP_META_FAIL);
		return XDP_PASS;
	}
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	meta = (void *)(long)ctx->data_meta;
	if (meta + NICRIG_META_LEN > data || data > data_end) {
		count(CNT_XDP_META_FAIL);
		return XDP_PASS;
	}
	fill_meta(meta, seq);
	return XDP_PASS;
}

/* veth rig: the NIC only carries probes into the veth pair, natively. */
SEC("xdp")
int xdp_carrier_redirect(struct xdp_md *ctx)
{
	__u32 seq;

	if (probe_seq((void *)(long)ctx->data, (void *)(long)ctx->data_end, &seq))
		return XDP_PASS;
	count(CNT_XDP_REDIRECTED);
	return bpf_redirect(carrier_ifindex, 0);
}

/* veth-skb rig: the same, from TC, so the probes enter the pair as skbs. */
SEC("tc")
int tc_carrier_redirect(struct __sk_buff *skb)
{
	__u32 seq;

	if (skb_probe_seq(skb, &seq))
		return TC_ACT_UNSPEC_;
	count(CNT_XDP_REDIRECTED);
	return bpf_redirect(carrier_ifindex, 0);
}

SEC("tc")
int tc_read_dynptr(struct __sk_buff *skb)
{
	struct nicrig_meta m;
	struct bpf_dynptr ptr;
	__u32 seq, len;

	if (skb_probe_seq(skb, &seq))
		return TC_ACT_UNSPEC_;

	if (bpf_dynptr_from_skb_meta(skb, 0, &ptr)) {
		count(CNT_DP_SHORT);
		keep_first_bad(READER_DYNPTR, seq, 0, NULL);
		return TC_ACT_UNSPEC_;
	}
	len = bpf_dynptr_size(&ptr);
	if (len < NICRIG_META_LEN ||
	    bpf_dynptr_read(&m, sizeof(m), &ptr, len - NICRIG_META_LEN, 0)) {
		count(CNT_DP_SHORT);
		keep_first_bad(READER_DYNPTR, seq, len, NULL);
		return TC_ACT_UNSPEC_;
	}
	if (check_meta(&m, seq)) {
		count(CNT_DP_BAD);
		keep_first_bad(READER_DYNPTR, seq, len, &m);
		return TC_ACT_UNSPEC_;
	}
	count(CNT_DP_OK);
	mark_seen(seq, SEEN_DP);
	return TC_ACT_UNSPEC_;
}

SEC("tc")
int tc_read_data_meta(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *meta = (void *)(long)skb->data_meta;
	__u32 seq, len;

	if (skb_probe_seq(skb, &seq))
		return TC_ACT_UNSPEC_;

	len = data - meta;
	/* XDP reserved NICRIG_META_LEN bytes: anything shorter is lost metadata. */
	if (meta + NICRIG_META_LEN > data) {
		count(CNT_DM_SHORT);
		keep_first_bad(READER_DATA_META, seq, len, NULL);
		return TC_ACT_SHOT_;
	}
	if (check_meta(meta, seq)) {
		count(CNT_DM_BAD);
		keep_first_bad(READER_DATA_META, seq, len, meta);
		return TC_ACT_SHOT_;
	}
	count(CNT_DM_OK);
	mark_seen(seq, SEEN_DM);
	/* Probes end here: the guest stack has nothing to answer them with. */
	return TC_ACT_SHOT_;
}

char LICENSE[] SEC("license") = "GPL";
