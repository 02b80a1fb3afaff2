// SPDX-License-Identifier: GPL-2.0
/*
 * test_wire.c - probe frames, ARP and Neighbour Discovery answers, pcap
 * replay and the wire socket with its capture.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/types.h>
#include <pcap/pcap.h>

#include "harness.h"
#include "meta.h"
#include "util.h"
#include "wire.h"

/*
 * One's complement sum over len bytes: 0xffff for a correct checksum.  The
 * tests' own, so that wire.c's csum_add() is checked, not trusted.
 */
static unsigned int sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get_be16(p + i);
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static struct probe_spec spec_for(int tpl, unsigned int size)
{
	struct probe_spec s = { .tpl = tpl, .size = size,
				.dst_mac = { 0x52, 0x54, 0, 1, 2, 3 },
				.src_mac = { 2, 0, 0, 0, 0, 1 } };
	return s;
}

TEST(probe_udp4_layout_and_checksum)
{
	struct probe_spec s = spec_for(TPL_UDP4, 128);
	uint8_t f[2048];
	size_t len = probe_build(&s, 7, f, sizeof(f));

	EXPECT_EQ(128, len);
	EXPECT_EQ(0, memcmp(f, s.dst_mac, 6));
	EXPECT_EQ(0x0800, get_be16(f + 12));
	EXPECT_EQ(0x45, f[14]);
	EXPECT_EQ(128 - 14, get_be16(f + 16));
	EXPECT_EQ(17, f[23]);
	EXPECT_EQ(0xffff, sum16(0, f + 14, 20));
	EXPECT_EQ(NICRIG_UDP_DPORT, get_be16(f + 36));
	EXPECT_EQ(128 - 34, get_be16(f + 38));
	EXPECT_EQ(NICRIG_PROBE_MAGIC, get_be32(f + 42));
	EXPECT_EQ(7, get_be32(f + 46));
}

TEST(probe_udp4_flows_vary_the_source)
{
	struct probe_spec s = spec_for(TPL_UDP4_FLOWS, 128);
	uint8_t f[2048];

	EXPECT_EQ(128, probe_build(&s, 0, f, sizeof(f)));
	EXPECT_EQ(flow_src_ip(0), get_be32(f + 26));
	EXPECT_EQ(0xffff, sum16(0, f + 14, 20));
	EXPECT_EQ(128, probe_build(&s, 65, f, sizeof(f)));
	EXPECT_EQ(flow_src_ip(1), get_be32(f + 26));
	EXPECT_EQ(65, probe_check(f, 128));
}

/*
 * RSS (Toeplitz) is linear over GF(2): a queue bit is constant over the flows
 * for every key whose bits at the flows' differing address bits XOR to zero.
 * With differences of rank 24 that is one random key in 2^24; 10.11.1.1-64
 * had rank 7, and one boot in about a hundred put all flows on one queue.
 */
TEST(udp4_flows_sources_span_24_bits_for_rss)
{
	uint32_t basis[32] = { 0 };
	unsigned int rank = 0;

	for (uint32_t i = 0; i < NICRIG_FLOWS; i++) {
		uint32_t src = flow_src_ip(i), v = src ^ flow_src_ip(0);

		EXPECT_EQ(0x0a, src >> 24);
		EXPECT_TRUE((src & 0xffffff00) != (NICRIG_WIRE_IP & 0xffffff00));
		for (uint32_t j = 0; j < i; j++)
			EXPECT_TRUE(src != flow_src_ip(j));
		/* Gaussian elimination, one pivot per leading bit. */
		for (int b = 31; b >= 0 && v; b--) {
			if (!(v >> b & 1))
				continue;
			if (!basis[b]) {
				basis[b] = v;
				rank++;
				break;
			}
			v ^= basis[b];
		}
	}
	EXPECT_EQ(24, rank);
	EXPECT_EQ(flow_src_ip(3), flow_src_ip(3 + NICRIG_FLOWS));
}

TEST(probe_minimum_size_is_60)
{
	struct probe_spec s = spec_for(TPL_UDP4, 10);
	uint8_t f[2048];

	EXPECT_EQ(60, probe_build(&s, 0, f, sizeof(f)));
	EXPECT_EQ(0, probe_build(&s, 0, f, 59));
}

TEST(probe_udp6_checksum_is_valid)
{
	struct probe_spec s = spec_for(TPL_UDP6, 200);
	uint8_t f[2048];
	size_t len = probe_build(&s, 3, f, sizeof(f));
	unsigned int ulen = get_be16(f + 14 + 4);
	uint32_t pseudo;

	EXPECT_EQ(200, len);
	EXPECT_EQ(0x86dd, get_be16(f + 12));
	EXPECT_EQ(200 - 54, ulen);
	pseudo = sum16(0, f + 14 + 8, 32) + ulen + 17;
	EXPECT_EQ(0xffff, sum16(pseudo, f + 54, ulen));
	EXPECT_EQ(3, get_be32(f + 54 + 12));
}

TEST(probe_vlan_qinq_gretap_encapsulations)
{
	uint8_t f[2048];
	struct probe_spec s = spec_for(TPL_VLAN, 128);

	EXPECT_EQ(128, probe_build(&s, 1, f, sizeof(f)));
	EXPECT_EQ(0x8100, get_be16(f + 12));
	EXPECT_EQ(100, get_be16(f + 14));
	EXPECT_EQ(0x0800, get_be16(f + 16));
	EXPECT_EQ(NICRIG_PROBE_MAGIC, get_be32(f + 18 + 28));

	s = spec_for(TPL_QINQ, 128);
	EXPECT_EQ(128, probe_build(&s, 1, f, sizeof(f)));
	EXPECT_EQ(0x88a8, get_be16(f + 12));
	EXPECT_EQ(200, get_be16(f + 14));
	EXPECT_EQ(0x8100, get_be16(f + 16));
	EXPECT_EQ(100, get_be16(f + 18));
	EXPECT_EQ(NICRIG_PROBE_MAGIC, get_be32(f + 22 + 28));

	s = spec_for(TPL_GRETAP, 60);
	EXPECT_EQ(14 + 20 + 4 + 14 + 20 + 8 + 16, probe_build(&s, 9, f, sizeof(f)));
	EXPECT_EQ(47, f[23]);
	EXPECT_EQ(0xffff, sum16(0, f + 14, 20));
	EXPECT_EQ(0x6558, get_be16(f + 36));
	EXPECT_EQ(0x0800, get_be16(f + 38 + 12));
	EXPECT_EQ(0xffff, sum16(0, f + 52, 20));
	EXPECT_EQ(9, get_be32(f + 52 + 20 + 8 + 4));
}

/*
 * Walks a probe frame as a receiver would, checking every length and
 * checksum on the way; returns the offset of the probe payload and its
 * length in *plen.
 */
static size_t walk_probe(struct unit_test *_t, const uint8_t *f, size_t len, size_t *plen)
{
	size_t off = 12, l4len, hl;
	unsigned int proto = get_be16(f + off), l4proto;
	const uint8_t *ip, *l4;
	uint32_t pseudo;

	while (proto == 0x8100 || proto == 0x88a8)
		proto = get_be16(f + (off += 4));
	ip = f + off + 2;
	if (proto == 0x86dd) {
		l4proto = ip[6];
		l4len = get_be16(ip + 4);
		EXPECT_EQ(len - (ip - f) - 40, l4len);
		pseudo = sum16(0, ip + 8, 32) + l4len + l4proto;
		l4 = ip + 40;
	} else {
		EXPECT_EQ(0x0800, proto);
		EXPECT_EQ(0x45, ip[0]);
		EXPECT_EQ(0xffff, sum16(0, ip, 20));
		EXPECT_EQ(len - (ip - f), get_be16(ip + 2));
		if (ip[9] == 47) {	/* gretap: GRE, then the inner frame */
			EXPECT_EQ(0x6558, get_be16(ip + 22));
			return ip + 24 - f + walk_probe(_t, ip + 24, len - (ip + 24 - f), plen);
		}
		l4proto = ip[9];
		l4len = get_be16(ip + 2) - 20;
		pseudo = sum16(0, ip + 12, 8) + l4len + l4proto;
		l4 = ip + 20;
	}
	if (l4proto == 6) {
		hl = 20;
		EXPECT_EQ(0x50, l4[12]);
		EXPECT_EQ(0x18, l4[13]);	/* PSH|ACK */
	} else {
		hl = 8;
		EXPECT_EQ(17, l4proto);
		EXPECT_EQ(l4len, get_be16(l4 + 4));
		EXPECT_TRUE(get_be16(l4 + 6) != 0);	/* a checksum, not "none" */
	}
	EXPECT_EQ(NICRIG_UDP_SPORT, get_be16(l4));
	EXPECT_EQ(NICRIG_UDP_DPORT, get_be16(l4 + 2));
	EXPECT_EQ(0xffff, sum16(pseudo, l4, l4len));
	*plen = l4len - hl;
	return l4 + hl - f;
}

TEST(probe_templates_have_valid_lengths_and_checksums)
{
	/* The smallest frame of each template, in enum frame_template order. */
	static const size_t min_len[] = { 60, 78, 62, 66, 96, 60, 70 };
	static const unsigned int sizes[] = { 60, 128, 1514 };
	uint8_t f[2048];
	int ntpl = 0;

	while (template_names[ntpl])
		ntpl++;
	EXPECT_EQ(sizeof(min_len) / sizeof(min_len[0]), ntpl);
	for (int tpl = 0; tpl < ntpl && tpl < (int)(sizeof(min_len) / sizeof(min_len[0])); tpl++) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			struct probe_spec s = spec_for(tpl, sizes[i]);
			size_t len = probe_build(&s, 300 + i, f, sizeof(f)), plen = 0, off;
			int failed = _t->failed;

			EXPECT_EQ(sizes[i] < min_len[tpl] ? min_len[tpl] : sizes[i], len);
			off = walk_probe(_t, f, len, &plen);
			EXPECT_EQ(len, off + plen);
			EXPECT_EQ(NICRIG_PROBE_MAGIC, get_be32(f + off));
			EXPECT_EQ(300 + i, get_be32(f + off + 4));
			for (size_t j = 16; j < plen; j++)
				if (f[off + j] != (uint8_t)(300 + i + 8 + j)) {
					EXPECT_EQ((uint8_t)(300 + i + 8 + j), f[off + j]);
					break;
				}
			if (_t->failed > failed)
				printf("    # ^ %s, %u bytes\n", template_names[tpl], sizes[i]);
		}
	}
}

/*
 * Turns a UDP frame around as the guest's echo would: MACs, then the
 * addresses (alen bytes each, the source at off) and the ports after them.
 */
static void swap_udp(uint8_t *f, size_t off, size_t alen)
{
	uint8_t t[16];

	memcpy(t, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, t, 6);
	memcpy(t, f + off, alen);
	memcpy(f + off, f + off + alen, alen);
	memcpy(f + off + alen, t, alen);
	off += 2 * alen;
	memcpy(t, f + off, 2);
	memcpy(f + off, f + off + 2, 2);
	memcpy(f + off + 2, t, 2);
}

#define swap_udp4(f)	swap_udp(f, 26, 4)
#define swap_udp6(f)	swap_udp(f, 22, 16)

TEST(probe_check_accepts_intact_probes_only)
{
	struct probe_spec s = spec_for(TPL_UDP4, 200);
	uint8_t f[2048];
	size_t len = probe_build(&s, 42, f, sizeof(f));

	EXPECT_EQ(42, probe_check(f, len));
	f[len - 1] ^= 1;	/* filler corrupted: the UDP checksum says so */
	EXPECT_EQ(-1, probe_check(f, len));
	put_be16(f + 40, 0);	/* no checksum: the filler check says so */
	EXPECT_EQ(-1, probe_check(f, len));
	f[len - 1] ^= 1;
	EXPECT_EQ(42, probe_check(f, len));
	memset(f + len, 0, 8);	/* Ethernet padding after the datagram */
	EXPECT_EQ(42, probe_check(f, len + 8));
	EXPECT_EQ(-1, probe_check(f, len - 1));	/* truncated */
	EXPECT_EQ(-1, probe_check(f, 40));
	len = probe_build(&s, 42, f, sizeof(f));
	f[14 + 20 + 8 + 8] ^= 1;	/* test_id: only the UDP checksum tells */
	EXPECT_EQ(-1, probe_check(f, len));
	len = probe_build(&s, 42, f, sizeof(f));
	f[22] ^= 1;		/* TTL: the IPv4 header checksum is wrong */
	EXPECT_EQ(-1, probe_check(f, len));

	s = spec_for(TPL_VLAN, 200);
	len = probe_build(&s, 1, f, sizeof(f));
	EXPECT_EQ(-1, probe_check(f, len));	/* untagged only */
	s = spec_for(TPL_TCP4, 200);
	len = probe_build(&s, 1, f, sizeof(f));
	EXPECT_EQ(-1, probe_check(f, len));	/* UDP only */

	s = spec_for(TPL_UDP6, 200);
	len = probe_build(&s, 77, f, sizeof(f));
	EXPECT_EQ(77, probe_check(f, len));
	f[len - 1] ^= 1;
	EXPECT_EQ(-1, probe_check(f, len));
	len = probe_build(&s, 77, f, sizeof(f));
	put_be16(f + 54 + 6, 0);	/* UDP over IPv6 must have a checksum */
	EXPECT_EQ(-1, probe_check(f, len));
}

TEST(probe_check_accepts_echo_replies)
{
	struct probe_spec s = spec_for(TPL_UDP4, 128);
	uint8_t f[2048];
	size_t len = probe_build(&s, 9, f, sizeof(f));

	swap_udp4(f);		/* from the guest's NICRIG_UDP_DPORT to NICRIG_UDP_SPORT */
	EXPECT_EQ(NICRIG_UDP_DPORT, get_be16(f + 34));
	EXPECT_EQ(9, probe_check(f, len));
	put_be16(f + 40, 0);
	put_be16(f + 36, 40000);	/* from 9001 to any port */
	EXPECT_EQ(9, probe_check(f, len));
	put_be16(f + 34, 40001);	/* neither port is 9001 */
	EXPECT_EQ(-1, probe_check(f, len));
}

/* udp6_echo's verdict rests on these: a zero or wrong UDP checksum from the guest fails. */
TEST(probe_check_accepts_udp6_echo_replies_with_their_checksum_only)
{
	struct probe_spec s = spec_for(TPL_UDP6, 1514);
	uint8_t f[2048];
	size_t len = probe_build(&s, 200, f, sizeof(f));
	uint16_t sum;

	swap_udp6(f);		/* the sum is the same, the fields only trade places */
	EXPECT_EQ(0, memcmp(f + 22, nicrig_guest_ip6, 16));
	EXPECT_EQ(NICRIG_UDP_DPORT, get_be16(f + 54));
	EXPECT_EQ(200, probe_check(f, len));
	sum = get_be16(f + 60);
	put_be16(f + 60, 0);	/* "no checksum": not allowed over IPv6 */
	EXPECT_EQ(-1, probe_check(f, len));
	put_be16(f + 60, sum ^ 0x0100);
	EXPECT_EQ(-1, probe_check(f, len));
	put_be16(f + 60, sum);
	f[38 + 15] ^= 1;	/* another destination: only the pseudo header tells */
	EXPECT_EQ(-1, probe_check(f, len));
	f[38 + 15] ^= 1;
	EXPECT_EQ(200, probe_check(f, len));
	put_be16(f + 18, get_be16(f + 18) - 1);	/* payload length short of the datagram */
	EXPECT_EQ(-1, probe_check(f, len));

	/*
	 * A datagram whose checksum comes out 0 goes as 0xffff; a sender that
	 * leaves the 0 makes the sum add up all the same, but 0 means "none".
	 * The probe's flags word is not checked: it steers the sum there.
	 */
	len = probe_build(&s, 200, f, sizeof(f));
	put_be16(f + 60, 0);
	put_be16(f + 62 + 12 + 2, 0);
	put_be16(f + 62 + 12 + 2,
		 ~sum16(sum16(0, f + 22, 32) + get_be16(f + 18) + 17, f + 54, get_be16(f + 18)));
	EXPECT_EQ(0xffff, sum16(sum16(0, f + 22, 32) + get_be16(f + 18) + 17, f + 54, get_be16(f + 18)));
	EXPECT_EQ(-1, probe_check(f, len));
	put_be16(f + 60, 0xffff);
	EXPECT_EQ(200, probe_check(f, len));
}

TEST(arp_reply_for_the_wire_address_only)
{
	static const uint8_t me[6] = { 0x02, 0x6e, 0x72, 0x69, 0x67, 0x02 };
	static const uint8_t guest[6] = { 0x52, 0x54, 0x00, 0x6e, 0x72, 0x01 };
	static const uint8_t zero[18];
	uint8_t req[60] = { 0 }, out[128], *a = req + 14;

	memset(req, 0xff, 6);
	memcpy(req + 6, guest, 6);
	put_be16(req + 12, 0x0806);
	put_be16(a, 1);
	put_be16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put_be16(a + 6, 1);
	memcpy(a + 8, guest, 6);
	put_be32(a + 14, NICRIG_GUEST_IP);
	put_be32(a + 24, NICRIG_WIRE_IP);

	memset(out, 0xaa, sizeof(out));
	EXPECT_EQ(60, wire_arp_reply(req, 42, me, NICRIG_WIRE_IP, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(out, guest, 6));
	EXPECT_EQ(0, memcmp(out + 6, me, 6));
	EXPECT_EQ(0x0806, get_be16(out + 12));
	EXPECT_EQ(1, get_be16(out + 14));
	EXPECT_EQ(0x0800, get_be16(out + 16));
	EXPECT_EQ(0x0604, get_be16(out + 18));
	EXPECT_EQ(2, get_be16(out + 20));	/* a reply */
	EXPECT_EQ(0, memcmp(out + 22, me, 6));
	EXPECT_EQ(NICRIG_WIRE_IP, get_be32(out + 28));
	EXPECT_EQ(0, memcmp(out + 32, guest, 6));
	EXPECT_EQ(NICRIG_GUEST_IP, get_be32(out + 38));
	EXPECT_EQ(0, memcmp(out + 42, zero, 18));	/* padding */

	EXPECT_EQ(0, wire_arp_reply(req, 41, me, NICRIG_WIRE_IP, out, sizeof(out)));
	EXPECT_EQ(0, wire_arp_reply(req, 42, me, NICRIG_WIRE_IP, out, 59));
	EXPECT_EQ(0, wire_arp_reply(req, 42, me, NICRIG_WIRE_IP + 7, out, sizeof(out)));
	put_be16(a + 6, 2);	/* someone else's reply */
	EXPECT_EQ(0, wire_arp_reply(req, 42, me, NICRIG_WIRE_IP, out, sizeof(out)));
	put_be16(a + 6, 1);
	put_be16(req + 12, 0x0800);
	EXPECT_EQ(0, wire_arp_reply(req, 42, me, NICRIG_WIRE_IP, out, sizeof(out)));
}

/*
 * A Neighbour Solicitation from the guest for target, sent to dst, with a
 * source link-layer address option unless with_slla is false; checksummed by
 * the tests' own sum16.  Returns the frame length.
 */
static size_t build_ns(uint8_t *f, const uint8_t src_mac[6], const uint8_t dst[16],
		       const uint8_t target[16], bool with_slla)
{
	static const uint8_t group_mac[6] = { 0x33, 0x33, 0xff };
	uint8_t *ip = f + 14, *ns = ip + 40;
	size_t plen = with_slla ? 32 : 24;
	unsigned int sum;

	memset(f, 0, 14 + 40 + plen);
	memcpy(f, group_mac, 3);
	memcpy(f + 3, target + 13, 3);
	memcpy(f + 6, src_mac, 6);
	put_be16(f + 12, 0x86dd);
	ip[0] = 0x60;
	put_be16(ip + 4, plen);
	ip[6] = 58;
	ip[7] = 255;
	memcpy(ip + 8, nicrig_guest_ip6, 16);
	memcpy(ip + 24, dst, 16);
	ns[0] = 135;
	memcpy(ns + 8, target, 16);
	if (with_slla) {
		ns[24] = 1;
		ns[25] = 1;
		memcpy(ns + 26, src_mac, 6);
	}
	sum = sum16(sum16(0, ip + 8, 32) + plen + 58, ns, plen);
	put_be16(ns + 2, ~sum & 0xffff);
	return 14 + 40 + plen;
}

TEST(ns_reply_for_the_wire_address_only)
{
	static const uint8_t me[6] = { 0x02, 0x6e, 0x72, 0x69, 0x67, 0x02 };
	static const uint8_t guest[6] = { 0x52, 0x54, 0x00, 0x6e, 0x72, 0x01 };
	static const uint8_t other[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
	uint8_t group[16] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };
	uint8_t req[128], out[128], addr[16];
	const uint8_t *ip = out + 14, *na = ip + 40;
	size_t len;

	memcpy(group + 13, nicrig_wire_ip6 + 13, 3);	/* ff02::1:ff00:1 */
	len = build_ns(req, guest, group, nicrig_wire_ip6, true);
	EXPECT_EQ(86, len);
	memset(out, 0xaa, sizeof(out));
	EXPECT_EQ(86, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(out, guest, 6));
	EXPECT_EQ(0, memcmp(out + 6, me, 6));
	EXPECT_EQ(0x86dd, get_be16(out + 12));
	EXPECT_EQ(0x60000000, get_be32(ip));
	EXPECT_EQ(32, get_be16(ip + 4));
	EXPECT_EQ(58, ip[6]);
	EXPECT_EQ(255, ip[7]);		/* else the receiver drops it as routed */
	EXPECT_EQ(0, memcmp(ip + 8, nicrig_wire_ip6, 16));
	EXPECT_EQ(0, memcmp(ip + 24, nicrig_guest_ip6, 16));
	EXPECT_EQ(136, na[0]);		/* an advertisement */
	EXPECT_EQ(0, na[1]);
	EXPECT_EQ(0x60000000, get_be32(na + 4));	/* solicited, override, not a router */
	EXPECT_EQ(0, memcmp(na + 8, nicrig_wire_ip6, 16));
	EXPECT_EQ(2, na[24]);		/* target link-layer address, 8 bytes */
	EXPECT_EQ(1, na[25]);
	EXPECT_EQ(0, memcmp(na + 26, me, 6));
	EXPECT_EQ(0xffff, sum16(sum16(0, ip + 8, 32) + 32 + 58, na, 32));

	/* Unicast (neighbour unreachability detection), no option: back to the frame's source. */
	len = build_ns(req, other, nicrig_wire_ip6, nicrig_wire_ip6, false);
	EXPECT_EQ(78, len);
	EXPECT_EQ(86, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	EXPECT_EQ(0, memcmp(out, other, 6));
	EXPECT_EQ(0xffff, sum16(sum16(0, ip + 8, 32) + 32 + 58, na, 32));

	len = build_ns(req, guest, group, nicrig_wire_ip6, true);
	EXPECT_EQ(0, wire_ns_reply(req, len - 1, me, nicrig_wire_ip6, out, sizeof(out)));
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, 85));
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_guest_ip6, out, sizeof(out)));
	req[14 + 40 + 2] ^= 1;		/* checksum */
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	req[14 + 40 + 2] ^= 1;
	EXPECT_EQ(86, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	req[14 + 7] = 64;		/* hop limit: it crossed a router */
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));

	memcpy(addr, nicrig_wire_ip6, 16);
	addr[15] = 7;			/* someone else's address */
	len = build_ns(req, guest, group, addr, true);
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	len = build_ns(req, guest, addr, nicrig_wire_ip6, true);	/* sent to another node */
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	group[15] ^= 1;			/* another solicited-node group */
	len = build_ns(req, guest, group, nicrig_wire_ip6, true);
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	group[15] ^= 1;

	/* An option of length 0 makes the whole message invalid (RFC 4861 4.6). */
	len = build_ns(req, guest, group, nicrig_wire_ip6, true);
	req[14 + 40 + 25] = 0;
	req[14 + 40 + 2] = req[14 + 40 + 3] = 0;
	put_be16(req + 14 + 40 + 2,
		 ~sum16(sum16(0, req + 14 + 8, 32) + 32 + 58, req + 14 + 40, 32) & 0xffff);
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));

	/* Duplicate address detection (from ::) is not for us to answer. */
	len = build_ns(req, guest, group, nicrig_wire_ip6, false);
	memset(req + 14 + 8, 0, 16);
	put_be16(req + 14 + 40 + 2, 0);
	put_be16(req + 14 + 40 + 2,
		 ~sum16(sum16(0, req + 14 + 8, 32) + 24 + 58, req + 14 + 40, 24) & 0xffff);
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));

	/* Neither an advertisement nor ARP nor a probe. */
	len = build_ns(req, guest, group, nicrig_wire_ip6, true);
	req[14 + 40] = 136;
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	put_be16(req + 12, 0x0806);
	EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	{
		struct probe_spec s = spec_for(TPL_UDP6, 128);

		len = probe_build(&s, 1, req, sizeof(req));
		EXPECT_EQ(0, wire_ns_reply(req, len, me, nicrig_wire_ip6, out, sizeof(out)));
	}
}

TEST(probe_udp6_addresses_are_the_wire_and_the_guest)
{
	struct probe_spec s = spec_for(TPL_UDP6, 128);
	uint8_t f[2048];

	EXPECT_EQ(128, probe_build(&s, 1, f, sizeof(f)));
	EXPECT_EQ(0, memcmp(f + 14 + 8, nicrig_wire_ip6, 16));
	EXPECT_EQ(0, memcmp(f + 14 + 24, nicrig_guest_ip6, 16));
	EXPECT_EQ(0xfd, nicrig_wire_ip6[0]);
	EXPECT_EQ(0x6e72, get_be16(nicrig_guest_ip6 + 2));
	EXPECT_EQ(2, nicrig_guest_ip6[15]);
}

TEST(parse_mac_accepts_and_rejects)
{
	static const char *const bad[] = {
		"52:54:00:ab:cd", "52:54:00:ab:cd:ef:01", "zz:54:00:ab:cd:ef", "",
		" 52:54:00:ab:cd:ef", "52:54:00:ab:cd:ef ", "52:54: 0:ab:cd:ef",
		"+2:54:00:ab:cd:ef", "-1:54:00:ab:cd:ef", "52:54:00:ab:cd:-1",
		"2:54:00:ab:cd:ef", "52:54:00:ab:cd:e", "052:54:00:ab:cd:ef",
		"52-54-00-ab-cd-ef", "52:54:00:ab:cd:ef:", "0x:54:00:ab:cd:ef",
	};
	uint8_t m[6], was[6];

	EXPECT_EQ(0, parse_mac("52:54:00:ab:cd:ef", m));
	EXPECT_EQ(0x52, m[0]);
	EXPECT_EQ(0x00, m[2]);
	EXPECT_EQ(0xef, m[5]);
	EXPECT_EQ(0, parse_mac("02:6E:72:69:67:FF", m));	/* either case */
	EXPECT_EQ(0x6e, m[1]);
	EXPECT_EQ(0xff, m[5]);
	memcpy(was, m, 6);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_mac(bad[i], m) != -1)
			printf("    # accepted '%s'\n", bad[i]);
		EXPECT_EQ(-1, parse_mac(bad[i], m));
	}
	EXPECT_EQ(0, memcmp(was, m, 6));	/* untouched on failure */
}

TEST(parse_ulong_is_strict)
{
	unsigned long v = 99;

	EXPECT_EQ(0, parse_ulong("0", 0, 10, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, parse_ulong("18446744073709551615", 0, ULONG_MAX, &v));
	EXPECT_TRUE(v == ULONG_MAX);
	EXPECT_EQ(-1, parse_ulong("18446744073709551616", 0, ULONG_MAX, &v));
	EXPECT_EQ(-1, parse_ulong("99999999999999999999999", 0, ULONG_MAX, &v));
	EXPECT_EQ(-1, parse_ulong("", 0, 10, &v));
	EXPECT_EQ(-1, parse_ulong("-1", 0, 10, &v));
	EXPECT_EQ(-1, parse_ulong("+1", 0, 10, &v));
	EXPECT_EQ(-1, parse_ulong(" 1", 0, 10, &v));
	EXPECT_EQ(-1, parse_ulong("1 ", 0, 10, &v));
	EXPECT_EQ(-1, parse_ulong("0x10", 0, 100, &v));
	EXPECT_EQ(-1, parse_ulong("11", 0, 10, &v));
	EXPECT_EQ(-1, parse_ulong("4", 5, 10, &v));
	EXPECT_TRUE(v == ULONG_MAX);	/* untouched on failure */
}

/* Writes frames (data, caplen, len) to a pcap of the given link type. */
static const char *write_pcap(const char *name, int linktype, const uint8_t *const *frames,
			      const size_t *caplen, const size_t *len, int n)
{
	static char path[600];
	pcap_t *dead = pcap_open_dead(linktype, 262144);
	pcap_dumper_t *d;

	snprintf(path, sizeof(path), "%s/%s", unit_tmpdir(), name);
	d = pcap_dump_open(dead, path);
	for (int i = 0; d && i < n; i++) {
		struct pcap_pkthdr h = { .caplen = caplen[i], .len = len[i] };

		pcap_dump((u_char *)d, &h, frames[i]);
	}
	if (d)
		pcap_dump_close(d);
	pcap_close(dead);
	return path;
}

TEST(replay_reads_filters_and_skips)
{
	static uint8_t udp4[128], tcp4[128], udp6[128], big[70000], runt[10];
	struct probe_spec s = spec_for(TPL_UDP4, 128);
	const uint8_t *frames[] = { udp4, runt, tcp4, big, udp4, udp6 };
	const size_t caplen[] = { 128, 10, 128, 70000, 60, 128 };
	const size_t len[] = { 128, 10, 128, 70000, 128, 128 };
	const uint8_t *f;
	const char *path;
	struct replay r;
	char err[512];
	size_t n;

	probe_build(&s, 1, udp4, sizeof(udp4));
	s.tpl = TPL_TCP4;
	probe_build(&s, 2, tcp4, sizeof(tcp4));
	s.tpl = TPL_UDP6;
	probe_build(&s, 3, udp6, sizeof(udp6));
	memcpy(big, udp4, sizeof(udp4));
	path = write_pcap("replay.pcap", DLT_EN10MB, frames, caplen, len, 6);

	/* All frames: the runt, the giant and the one cut short are skipped. */
	ASSERT_TRUE(replay_open(&r, path, NULL, err, sizeof(err)) == 0);
	EXPECT_EQ(1, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(128, n);
	EXPECT_EQ(0, memcmp(f, udp4, 128));
	EXPECT_EQ(1, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(f, tcp4, 128));
	EXPECT_EQ(1, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(f, udp6, 128));
	EXPECT_EQ(0, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(6, r.st.read);
	EXPECT_EQ(6, r.st.matched);
	EXPECT_EQ(3, r.st.skipped);
	replay_close(&r);

	/* A filter: the udp4 frames (one cut short) and the udp6 one. */
	ASSERT_TRUE(replay_open(&r, path, "udp and dst port 9001", err, sizeof(err)) == 0);
	EXPECT_EQ(1, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(f, udp4, 128));
	EXPECT_EQ(1, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(f, udp6, 128));
	EXPECT_EQ(0, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(6, r.st.read);
	EXPECT_EQ(4, r.st.matched);	/* the giant starts as a udp4 probe */
	EXPECT_EQ(2, r.st.skipped);
	replay_close(&r);

	ASSERT_TRUE(replay_open(&r, path, "tcp", err, sizeof(err)) == 0);
	EXPECT_EQ(1, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(f, tcp4, 128));
	EXPECT_EQ(0, replay_next(&r, &f, &n, err, sizeof(err)));
	EXPECT_EQ(1, r.st.matched);
	replay_close(&r);
}

TEST(replay_errors_name_the_cause)
{
	static const uint8_t ip[20] = { 0x45 };
	const uint8_t *frames[] = { ip };
	const size_t caplen[] = { 20 };
	struct replay r;
	char err[512], missing[600];
	const char *path;

	snprintf(missing, sizeof(missing), "%s/no-such.pcap", unit_tmpdir());
	EXPECT_EQ(-1, replay_open(&r, missing, NULL, err, sizeof(err)));
	EXPECT_CONTAINS(err, missing);
	EXPECT_CONTAINS(err, "No such file");

	path = write_pcap("raw.pcap", DLT_RAW, frames, caplen, caplen, 1);
	EXPECT_EQ(-1, replay_open(&r, path, NULL, err, sizeof(err)));
	EXPECT_CONTAINS(err, "raw.pcap");
	EXPECT_CONTAINS(err, "RAW");
	EXPECT_CONTAINS(err, "Ethernet");

	path = write_pcap("empty.pcap", DLT_EN10MB, frames, caplen, caplen, 0);
	EXPECT_EQ(-1, replay_open(&r, path, "udp and and", err, sizeof(err)));
	EXPECT_CONTAINS(err, "bad filter 'udp and and': ");
	EXPECT_CONTAINS(err, "syntax error");
}

/*
 * The frames in the capture at path, -1 if it does not open; *same (if same)
 * gets how many of them are want[len].
 */
static int pcap_frames(const char *path, const uint8_t *want, size_t len, int *same)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	int n = 0;

	if (!p)
		return -1;
	if (same)
		*same = 0;
	while (pcap_next_ex(p, &h, &data) == 1) {
		if (same && h->caplen == len && !memcmp(data, want, len))
			(*same)++;
		n++;
	}
	pcap_close(p);
	return n;
}

TEST(wire_filter_keeps_matching_frames_in_the_capture)
{
	char local[600], pcapf[600], err[512];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct probe_spec s = spec_for(TPL_UDP4, 100);
	uint8_t udp[2048], tcp[2048], back[2048];
	struct wire w;
	int qemu, same = -1;

	snprintf(local, sizeof(local), "%s/wire3.sock", unit_tmpdir());
	snprintf(pcapf, sizeof(pcapf), "%s/wire3.pcap", unit_tmpdir());
	qemu = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(sun.sun_path, local);
	ASSERT_TRUE(wire_open(&w, local, pcapf, err, sizeof(err)) == 0);
	EXPECT_EQ(-1, wire_set_filter(&w, "tcp port", err, sizeof(err)));
	EXPECT_CONTAINS(err, "bad filter 'tcp port': ");
	ASSERT_TRUE(wire_set_filter(&w, "udp", err, sizeof(err)) == 0);
	ASSERT_TRUE(wire_set_filter(&w, "tcp", err, sizeof(err)) == 0);	/* replaces udp */
	/* A filter that does not compile leaves tcp in place, as the frames below show. */
	EXPECT_EQ(-1, wire_set_filter(&w, "udp and and", err, sizeof(err)));
	EXPECT_CONTAINS(err, "bad filter 'udp and and': ");
	EXPECT_TRUE(w.filter != NULL);

	probe_build(&s, 1, udp, sizeof(udp));
	s.tpl = TPL_TCP4;
	probe_build(&s, 2, tcp, sizeof(tcp));
	EXPECT_EQ(100, sendto(qemu, udp, 100, 0, (struct sockaddr *)&sun, sizeof(sun)));
	EXPECT_EQ(100, sendto(qemu, tcp, 100, 0, (struct sockaddr *)&sun, sizeof(sun)));
	EXPECT_EQ(100, wire_recv_frame(&w, back, sizeof(back)));	/* returned all the same */
	EXPECT_EQ(0, memcmp(back, udp, 100));
	EXPECT_EQ(100, wire_recv_frame(&w, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, tcp, 100));
	EXPECT_EQ(0, wire_recv_frame(&w, back, sizeof(back)));
	EXPECT_EQ(1, w.rx_frames);
	EXPECT_EQ(1, w.rx_filtered);
	wire_close(&w);
	close(qemu);

	EXPECT_EQ(1, pcap_frames(pcapf, tcp, 100, &same));	/* the tcp frame only */
	EXPECT_EQ(1, same);
}

TEST(wire_sends_receives_and_captures)
{
	char local[600], peer[600], pcapf[600], err[512];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct probe_spec s = spec_for(TPL_UDP4, 100);
	uint8_t f[2048], back[2048];
	struct wire w;
	int qemu;

	snprintf(local, sizeof(local), "%s/wire.sock", unit_tmpdir());
	snprintf(peer, sizeof(peer), "%s/qemu.sock", unit_tmpdir());
	snprintf(pcapf, sizeof(pcapf), "%s/wire.pcap", unit_tmpdir());

	/* The "QEMU" end of the cable. */
	qemu = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(sun.sun_path, peer);
	unlink(peer);
	ASSERT_TRUE(bind(qemu, (struct sockaddr *)&sun, sizeof(sun)) == 0);

	ASSERT_TRUE(wire_open(&w, local, pcapf, err, sizeof(err)) == 0);
	EXPECT_EQ(-1, wire_connect(&w, "/nonexistent/q.sock", err, sizeof(err)));
	EXPECT_CONTAINS(err, "/nonexistent/q.sock");
	EXPECT_CONTAINS(err, "No such file or directory");
	{
		/* Longer than sun_path: named as such, not with whatever errno was before. */
		char lng[sizeof(sun.sun_path) + 20];

		memset(lng, 'x', sizeof(lng) - 1);
		lng[0] = '/';
		lng[sizeof(lng) - 1] = '\0';
		errno = EACCES;
		EXPECT_EQ(-1, wire_connect(&w, lng, err, sizeof(err)));
		EXPECT_CONTAINS(err, "File name too long");
		EXPECT_CONTAINS(err, "at most 107");
		EXPECT_TRUE(strstr(err, "Permission denied") == NULL);
	}
	ASSERT_TRUE(wire_connect(&w, peer, err, sizeof(err)) == 0);

	for (int i = 0; i < 3; i++) {
		size_t len = probe_build(&s, i, f, sizeof(f));

		EXPECT_EQ(0, wire_send(&w, f, len));
		EXPECT_EQ(100, recv(qemu, back, sizeof(back), 0));
		EXPECT_EQ(i, get_be32(back + 46));
	}
	/* The guest answers: the wire must capture it; the runner checks it as a probe. */
	strcpy(sun.sun_path, local);
	EXPECT_EQ(100, sendto(qemu, f, 100, 0, (struct sockaddr *)&sun, sizeof(sun)));
	memset(back, 0, sizeof(back));
	EXPECT_EQ(100, wire_recv_frame(&w, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, f, 100));
	EXPECT_EQ(2, probe_check(back, 100));	/* the last probe built above, intact */
	EXPECT_EQ(0, wire_recv_frame(&w, back, sizeof(back)));	/* none pending */
	EXPECT_EQ(3, w.tx_frames);
	EXPECT_EQ(1, w.rx_frames);
	wire_close(&w);
	close(qemu);

	EXPECT_EQ(4, pcap_frames(pcapf, NULL, 0, NULL));	/* 3 sent, 1 received */
}

/* A wire connected to a socket playing QEMU's end (returned), or -1. */
static int wire_and_peer(struct wire *w, const char *name)
{
	char local[600], peer[600], err[512];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int qemu;

	snprintf(local, sizeof(local), "%s/wire-%s.sock", unit_tmpdir(), name);
	snprintf(peer, sizeof(peer), "%s/qemu-%s.sock", unit_tmpdir(), name);
	qemu = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(sun.sun_path, peer);
	unlink(peer);
	if (qemu < 0 || bind(qemu, (struct sockaddr *)&sun, sizeof(sun)) ||
	    wire_open(w, local, NULL, err, sizeof(err)) || wire_connect(w, peer, err, sizeof(err))) {
		if (qemu >= 0)
			close(qemu);
		return -1;
	}
	return qemu;
}

TEST(wire_full_peer_queue_is_eagain_not_a_hang)
{
	struct probe_spec s = spec_for(TPL_UDP4, 1500);
	uint8_t f[2048];
	struct wire w;
	int qemu, rc = 0, sent = 0;

	qemu = wire_and_peer(&w, "full");
	ASSERT_TRUE(qemu >= 0);
	/* Nobody reads the peer: the send must report EAGAIN, never block. */
	while (sent < 100000 && (rc = wire_send(&w, f, probe_build(&s, sent, f, sizeof(f)))) == 0)
		sent++;
	EXPECT_EQ(-EAGAIN, rc);
	EXPECT_TRUE(sent > 0);
	wire_close(&w);
	close(qemu);
}

TEST(wire_fcs_is_ethernet_crc32_appended_least_significant_byte_first)
{
	struct probe_spec s = spec_for(TPL_UDP4, 128);
	uint8_t f[256], got[300];
	struct wire w;
	uint32_t fcs;
	size_t len;
	int qemu;

	/* the check value of CRC-32/IEEE 802.3 */
	EXPECT_EQ(0xcbf43926u, eth_fcs((const uint8_t *)"123456789", 9));
	qemu = wire_and_peer(&w, "fcs");
	ASSERT_TRUE(qemu >= 0);
	len = probe_build(&s, 1, f, sizeof(f));

	/* a cable without FCS: the frame as it is, and no bad FCS to send */
	EXPECT_EQ(0, wire_send(&w, f, len));
	EXPECT_EQ((ssize_t)len, recv(qemu, got, sizeof(got), 0));
	EXPECT_EQ(-EINVAL, wire_send_fcs(&w, f, len, WIRE_BAD_FCS));
	EXPECT_EQ(-EINVAL, wire_send_fcs(&w, f, 54, WIRE_NO_PAD));

	w.fcs = true;
	fcs = eth_fcs(f, len);
	EXPECT_EQ(0, wire_send(&w, f, len));
	EXPECT_EQ((ssize_t)len + 4, recv(qemu, got, sizeof(got), 0));
	EXPECT_EQ(0, memcmp(got, f, len));
	EXPECT_EQ(fcs, (uint32_t)got[len] | got[len + 1] << 8 | got[len + 2] << 16 |
		       (uint32_t)got[len + 3] << 24);
	EXPECT_EQ(0, wire_send_fcs(&w, f, len, WIRE_BAD_FCS));
	EXPECT_EQ((ssize_t)len + 4, recv(qemu, got, sizeof(got), 0));
	EXPECT_EQ(0, memcmp(got, f, len));
	EXPECT_TRUE(fcs != ((uint32_t)got[len] | got[len + 1] << 8 | got[len + 2] << 16 |
			    (uint32_t)got[len + 3] << 24));

	/* a short frame (an ARP reply, a TCP SYN) is padded to 60 before its FCS, as a MAC does; a runt is not */
	memset(f + 42, 0xee, 18);
	EXPECT_EQ(0, wire_send(&w, f, 42));
	EXPECT_EQ(64, recv(qemu, got, sizeof(got), 0));
	EXPECT_EQ(0, memcmp(got, f, 42));
	for (int i = 42; i < 60; i++)
		EXPECT_EQ(0, got[i]);
	memset(f + 42, 0, 18);
	fcs = eth_fcs(f, 60);
	EXPECT_EQ(fcs, (uint32_t)got[60] | got[61] << 8 | got[62] << 16 | (uint32_t)got[63] << 24);
	EXPECT_EQ(0, wire_send_fcs(&w, f, 54, WIRE_NO_PAD));
	EXPECT_EQ(58, recv(qemu, got, sizeof(got), 0));
	fcs = eth_fcs(f, 54);
	EXPECT_EQ(fcs, (uint32_t)got[54] | got[55] << 8 | got[56] << 16 | (uint32_t)got[57] << 24);
	EXPECT_EQ(5, (int)w.tx_frames);
	wire_close(&w);
	close(qemu);
}
