// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - the probe frames the wire sends and checks: building them by
 * template, checking one that came back, the Internet checksum (see wire.h).
 * Apart from wire.c, which is the socket, its capture and its answers.
 */
#include <stdbool.h>
#include <string.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <linux/if_ether.h>
#include <linux/types.h>

#include "meta.h"
#include "wire.h"

#define VLAN_INNER	100
#define VLAN_OUTER	200

/* The probe in a UDP datagram of len bytes: its seq, or -1. */
static int probe_udp_check(const uint8_t *udp, size_t len)
{
	uint32_t seq;

	if (len < 8 + sizeof(struct nicrig_probe) ||
	    (get_be16(udp) != NICRIG_UDP_DPORT && get_be16(udp + 2) != NICRIG_UDP_DPORT) ||
	    get_be32(udp + 8) != NICRIG_PROBE_MAGIC)
		return -1;
	seq = get_be32(udp + 12);
	for (size_t off = sizeof(struct nicrig_probe); 8 + off < len; off++)
		if (udp[8 + off] != nicrig_probe_fill(seq, off))
			return -1;
	return seq < NICRIG_MAX_SEQ ? (int)seq : -1;
}

static int probe_udp4_check(const uint8_t *ip, size_t len)
{
	const uint8_t *udp = ip + 20;
	size_t ulen;

	if (len < 20 + 8 || ip[0] != 0x45 || ip[9] != IPPROTO_UDP || csum_fold(csum_add(0, ip, 20)))
		return -1;
	ulen = get_be16(udp + 4);
	if (ulen < 8 || 20 + ulen > len || get_be16(ip + 2) != 20 + ulen)
		return -1;
	if (get_be16(udp + 6) &&
	    csum_fold(csum_add(csum_pseudo4(ip, IPPROTO_UDP, ulen), udp, ulen)))
		return -1;
	return probe_udp_check(udp, ulen);
}

static int probe_udp6_check(const uint8_t *ip6, size_t len)
{
	const uint8_t *udp = ip6 + 40;
	size_t ulen;

	if (len < 40 + 8 || ip6[0] >> 4 != 6 || ip6[6] != IPPROTO_UDP)
		return -1;
	ulen = get_be16(ip6 + 4);
	if (ulen < 8 || 40 + ulen > len || get_be16(udp + 4) != ulen)
		return -1;
	if (!get_be16(udp + 6) ||
	    csum_fold(csum_add(csum_pseudo6(ip6, IPPROTO_UDP, ulen), udp, ulen)))
		return -1;
	return probe_udp_check(udp, ulen);
}

int probe_check(const uint8_t *f, size_t len)
{
	if (len < ETH_HLEN)
		return -1;
	switch (get_be16(f + 12)) {
	case ETH_P_IP:
		return probe_udp4_check(f + ETH_HLEN, len - ETH_HLEN);
	case ETH_P_IPV6:
		return probe_udp6_check(f + ETH_HLEN, len - ETH_HLEN);
	}
	return -1;
}

uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get_be16(p + i);
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

uint32_t csum_pseudo4(const uint8_t *ip, uint8_t proto, size_t len)
{
	return csum_add(0, ip + 12, 8) + proto + len;
}

uint32_t csum_pseudo6(const uint8_t *ip6, uint8_t proto, size_t len)
{
	/* source and destination address, 32-bit length, next header */
	return csum_add(0, ip6 + 8, 32) + (len >> 16) + (len & 0xffff) + proto;
}

uint8_t *put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t proto)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put_be16(p + 12, proto);
	return p + ETH_HLEN;
}

static uint8_t *put_vlan(uint8_t *p, uint16_t vid, uint16_t proto)
{
	put_be16(p, vid);
	put_be16(p + 2, proto);
	return p + 4;
}

uint8_t *put_ipv4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, size_t tot, uint16_t id)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put_be16(p + 2, tot);
	put_be16(p + 4, id);
	p[8] = 64;
	p[9] = proto;
	put_be32(p + 12, src);
	put_be32(p + 16, dst);
	put_be16(p + 10, csum_fold(csum_add(0, p, 20)));
	return p + 20;
}

/* Sets the UDP or TCP checksum of the IPv4 datagram at ip (no IP options). */
static void put_l4_csum4(uint8_t *ip)
{
	size_t len = get_be16(ip + 2) - 20;
	uint8_t *l4 = ip + 20, *at = l4 + (ip[9] == IPPROTO_TCP ? 16 : 6);
	uint16_t sum;

	put_be16(at, 0);
	sum = csum_fold(csum_add(csum_pseudo4(ip, ip[9], len), l4, len));
	/* A UDP checksum that comes out 0 is sent as 0xffff: 0 means none. */
	put_be16(at, sum || ip[9] == IPPROTO_TCP ? sum : 0xffff);
}

/* The probe payload, len bytes: struct nicrig_probe, then nicrig_probe_fill(). */
static void put_probe(uint8_t *p, size_t len, uint32_t seq, uint32_t test_id)
{
	put_be32(p, NICRIG_PROBE_MAGIC);
	put_be32(p + 4, seq);
	put_be32(p + 8, test_id);
	put_be32(p + 12, 0);
	for (size_t i = sizeof(struct nicrig_probe); i < len; i++)
		p[i] = nicrig_probe_fill(seq, i);
}

/* The probe's L4 header and payload, len bytes in all; the checksum is left 0. */
static void put_l4_probe(uint8_t *p, uint8_t proto, size_t len, uint32_t seq, uint32_t test_id)
{
	size_t hlen = proto == IPPROTO_TCP ? 20 : 8;

	put_be16(p, NICRIG_UDP_SPORT);
	put_be16(p + 2, NICRIG_UDP_DPORT);
	if (proto == IPPROTO_TCP) {
		/* Probe n sits at n payloads into the stream, as if one connection sent them. */
		put_be32(p + 4, 1 + seq * (uint32_t)(len - hlen));
		put_be32(p + 8, 1);
		p[12] = hlen / 4 << 4;
		p[13] = TH_PUSH | TH_ACK;
		put_be16(p + 14, 65535);
	} else {
		put_be16(p + 4, len);
	}
	put_probe(p + hlen, len - hlen, seq, test_id);
}

/*
 * The NICs hash IPv4 flows with Toeplitz over the addresses alone (the
 * drivers leave UDP ports out of RSS), keyed by 40 bytes the guest driver
 * draws at random at each boot, and the queue is RETA[hash & 127]: with two
 * queues, one bit of the hash.  Toeplitz is linear over GF(2), so over a set
 * of sources that bit is constant exactly when the key bits the sources'
 * differences select XOR to zero.  Sources 10.11.1.1-64 differed in their
 * low 7 bits only, and about one boot in a hundred put every flow on one
 * queue.  Fibonacci hashing of the flow number makes the differences span
 * all 24 host bits (a unit test checks the rank), so that takes a key in 2^24.
 */
uint32_t flow_src_ip(uint32_t flow)
{
	uint32_t h = (flow % NICRIG_FLOWS + 1) * 0x9e3779b1u;

	return 0x0a000000 | h >> 8;
}

size_t probe_build(const struct probe_spec *spec, uint32_t seq, uint8_t *buf, size_t cap)
{
	static const uint8_t inner_dst[6] = { 0x02, 0x6e, 0x72, 0x69, 0x67, 0x01 };
	uint8_t proto = spec->tpl == TPL_TCP4 ? IPPROTO_TCP : IPPROTO_UDP;
	size_t l4_min = (proto == IPPROTO_TCP ? 20 : 8) + sizeof(struct nicrig_probe);
	size_t size = spec->size < ETH_ZLEN ? ETH_ZLEN : spec->size;
	uint8_t *p = buf, *l3;
	size_t hdrs;

	switch (spec->tpl) {
	case TPL_UDP4:
	case TPL_UDP4_FLOWS:
	case TPL_TCP4:   hdrs = ETH_HLEN + 20; break;
	case TPL_UDP6:   hdrs = ETH_HLEN + 40; break;
	case TPL_VLAN:   hdrs = ETH_HLEN + 4 + 20; break;
	case TPL_QINQ:   hdrs = ETH_HLEN + 8 + 20; break;
	case TPL_GRETAP: hdrs = ETH_HLEN + 20 + 4 + ETH_HLEN + 20; break;
	default: return 0;
	}
	if (size < hdrs + l4_min)
		size = hdrs + l4_min;
	if (size > cap)
		return 0;
	memset(buf, 0, size);

	switch (spec->tpl) {
	case TPL_UDP4:
	case TPL_UDP4_FLOWS:
	case TPL_TCP4:
		p = put_eth(p, spec->dst_mac, spec->src_mac, ETH_P_IP);
		break;
	case TPL_UDP6:
		p = put_eth(p, spec->dst_mac, spec->src_mac, ETH_P_IPV6);
		break;
	case TPL_VLAN:
		p = put_eth(p, spec->dst_mac, spec->src_mac, ETH_P_8021Q);
		p = put_vlan(p, VLAN_INNER, ETH_P_IP);
		break;
	case TPL_QINQ:
		p = put_eth(p, spec->dst_mac, spec->src_mac, ETH_P_8021AD);
		p = put_vlan(p, VLAN_OUTER, ETH_P_8021Q);
		p = put_vlan(p, VLAN_INNER, ETH_P_IP);
		break;
	case TPL_GRETAP:
		p = put_eth(p, spec->dst_mac, spec->src_mac, ETH_P_IP);
		p = put_ipv4(p, NICRIG_WIRE_IP, NICRIG_GUEST_IP, IPPROTO_GRE, size - ETH_HLEN, seq);
		put_be16(p, 0);
		put_be16(p + 2, ETH_P_TEB);
		p = put_eth(p + 4, inner_dst, spec->src_mac, ETH_P_IP);
		break;
	}

	l3 = p;
	if (spec->tpl == TPL_UDP6) {
		size_t ulen = size - (l3 + 40 - buf);
		uint16_t sum;

		put_be32(l3, 0x60000000);
		put_be16(l3 + 4, ulen);
		l3[6] = IPPROTO_UDP;
		l3[7] = 64;
		memcpy(l3 + 8, nicrig_wire_ip6, 16);
		memcpy(l3 + 24, nicrig_guest_ip6, 16);
		put_l4_probe(l3 + 40, IPPROTO_UDP, ulen, seq, spec->test_id);
		/* UDP over IPv6 must carry a checksum: pseudo header + datagram. */
		sum = csum_fold(csum_add(csum_pseudo6(l3, IPPROTO_UDP, ulen), l3 + 40, ulen));
		put_be16(l3 + 40 + 6, sum ? sum : 0xffff);
	} else {
		size_t tot = size - (l3 - buf);
		uint32_t src = spec->tpl == TPL_UDP4_FLOWS ? flow_src_ip(seq) : NICRIG_WIRE_IP;

		put_ipv4(l3, src, NICRIG_GUEST_IP, proto, tot, seq);
		put_l4_probe(l3 + 20, proto, tot - 20, seq, spec->test_id);
		put_l4_csum4(l3);
	}
	return size;
}
