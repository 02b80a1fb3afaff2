// SPDX-License-Identifier: GPL-2.0
/* test_wire.c - probe frames and the wire socket with its capture. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/types.h>
#include <pcap/pcap.h>

#include "harness.h"
#include "meta.h"
#include "wire.h"

static unsigned int get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static unsigned int get32(const uint8_t *p)
{
	return get16(p) << 16 | get16(p + 2);
}

/* One's complement sum over len bytes: 0xffff for a correct checksum. */
static unsigned int sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
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
	EXPECT_EQ(0x0800, get16(f + 12));
	EXPECT_EQ(0x45, f[14]);
	EXPECT_EQ(128 - 14, get16(f + 16));
	EXPECT_EQ(17, f[23]);
	EXPECT_EQ(0xffff, sum16(0, f + 14, 20));
	EXPECT_EQ(NICRIG_UDP_DPORT, get16(f + 36));
	EXPECT_EQ(128 - 34, get16(f + 38));
	EXPECT_EQ(NICRIG_PROBE_MAGIC, get32(f + 42));
	EXPECT_EQ(7, get32(f + 46));
}

TEST(probe_udp4_flows_vary_the_source)
{
	struct probe_spec s = spec_for(TPL_UDP4_FLOWS, 128);
	uint8_t f[2048];

	EXPECT_EQ(128, probe_build(&s, 0, f, sizeof(f)));
	EXPECT_EQ(0x0a0b0101, get32(f + 26));
	EXPECT_EQ(0xffff, sum16(0, f + 14, 20));
	EXPECT_EQ(128, probe_build(&s, 65, f, sizeof(f)));
	EXPECT_EQ(0x0a0b0102, get32(f + 26));
	EXPECT_EQ(65, probe_check(f, 128));
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
	unsigned int ulen = get16(f + 14 + 4);
	uint32_t pseudo;

	EXPECT_EQ(200, len);
	EXPECT_EQ(0x86dd, get16(f + 12));
	EXPECT_EQ(200 - 54, ulen);
	pseudo = sum16(0, f + 14 + 8, 32) + ulen + 17;
	EXPECT_EQ(0xffff, sum16(pseudo, f + 54, ulen));
	EXPECT_EQ(3, get32(f + 54 + 12));
}

TEST(probe_vlan_qinq_gretap_encapsulations)
{
	uint8_t f[2048];
	struct probe_spec s = spec_for(TPL_VLAN, 128);

	EXPECT_EQ(128, probe_build(&s, 1, f, sizeof(f)));
	EXPECT_EQ(0x8100, get16(f + 12));
	EXPECT_EQ(100, get16(f + 14));
	EXPECT_EQ(0x0800, get16(f + 16));
	EXPECT_EQ(NICRIG_PROBE_MAGIC, get32(f + 18 + 28));

	s = spec_for(TPL_QINQ, 128);
	EXPECT_EQ(128, probe_build(&s, 1, f, sizeof(f)));
	EXPECT_EQ(0x88a8, get16(f + 12));
	EXPECT_EQ(200, get16(f + 14));
	EXPECT_EQ(0x8100, get16(f + 16));
	EXPECT_EQ(100, get16(f + 18));
	EXPECT_EQ(NICRIG_PROBE_MAGIC, get32(f + 22 + 28));

	s = spec_for(TPL_GRETAP, 60);
	EXPECT_EQ(14 + 20 + 4 + 14 + 20 + 8 + 16, probe_build(&s, 9, f, sizeof(f)));
	EXPECT_EQ(47, f[23]);
	EXPECT_EQ(0xffff, sum16(0, f + 14, 20));
	EXPECT_EQ(0x6558, get16(f + 36));
	EXPECT_EQ(0x0800, get16(f + 38 + 12));
	EXPECT_EQ(0xffff, sum16(0, f + 52, 20));
	EXPECT_EQ(9, get32(f + 52 + 20 + 8 + 4));
}

TEST(probe_check_accepts_intact_probes_only)
{
	struct probe_spec s = spec_for(TPL_UDP4, 200);
	uint8_t f[2048];
	size_t len = probe_build(&s, 42, f, sizeof(f));

	EXPECT_EQ(42, probe_check(f, len));
	f[len - 1] ^= 1;	/* filler corrupted */
	EXPECT_EQ(-1, probe_check(f, len));
	len = probe_build(&s, 42, f, sizeof(f));
	EXPECT_EQ(-1, probe_check(f, 40));	/* truncated */
	s = spec_for(TPL_VLAN, 200);
	len = probe_build(&s, 1, f, sizeof(f));
	EXPECT_EQ(-1, probe_check(f, len));	/* only untagged udp4 */
}

TEST(parse_mac_accepts_and_rejects)
{
	uint8_t m[6];

	EXPECT_EQ(0, parse_mac("52:54:00:ab:cd:ef", m));
	EXPECT_EQ(0xef, m[5]);
	EXPECT_EQ(-1, parse_mac("52:54:00:ab:cd", m));
	EXPECT_EQ(-1, parse_mac("52:54:00:ab:cd:ef:01", m));
	EXPECT_EQ(-1, parse_mac("zz:54:00:ab:cd:ef", m));
}

TEST(wire_sends_receives_and_captures)
{
	char local[600], peer[600], pcapf[600], err[512], errbuf[PCAP_ERRBUF_SIZE];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct probe_spec s = spec_for(TPL_UDP4, 100);
	struct pcap_pkthdr *h;
	const u_char *data;
	uint8_t f[2048], back[2048];
	struct wire w;
	int qemu, n = 0;
	pcap_t *p;

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
	ASSERT_TRUE(wire_connect(&w, peer, err, sizeof(err)) == 0);

	for (int i = 0; i < 3; i++) {
		size_t len = probe_build(&s, i, f, sizeof(f));

		EXPECT_EQ(0, wire_send(&w, f, len));
		EXPECT_EQ(100, recv(qemu, back, sizeof(back), 0));
		EXPECT_EQ(i, get32(back + 46));
	}
	/* The guest answers: the wire must capture it. */
	strcpy(sun.sun_path, local);
	EXPECT_EQ(60, sendto(qemu, f, 60, 0, (struct sockaddr *)&sun, sizeof(sun)));
	{
		int seq = -2;

		EXPECT_EQ(1, wire_recv(&w, &seq));
		EXPECT_EQ(2, seq);	/* the last probe built above, intact */
	}
	EXPECT_EQ(0, wire_recv(&w, NULL));
	EXPECT_EQ(3, w.tx_frames);
	EXPECT_EQ(1, w.rx_frames);
	wire_close(&w);
	close(qemu);

	p = pcap_open_offline(pcapf, errbuf);
	ASSERT_TRUE(p != NULL);
	while (pcap_next_ex(p, &h, &data) == 1)
		n++;
	pcap_close(p);
	EXPECT_EQ(4, n);
}

TEST(wire_full_peer_queue_is_eagain_not_a_hang)
{
	char local[600], peer[600], err[512];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct probe_spec s = spec_for(TPL_UDP4, 1500);
	uint8_t f[2048];
	struct wire w;
	int qemu, rc = 0, sent = 0;

	snprintf(local, sizeof(local), "%s/wire2.sock", unit_tmpdir());
	snprintf(peer, sizeof(peer), "%s/qemu2.sock", unit_tmpdir());
	qemu = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(sun.sun_path, peer);
	unlink(peer);
	ASSERT_TRUE(bind(qemu, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	ASSERT_TRUE(wire_open(&w, local, NULL, err, sizeof(err)) == 0);
	ASSERT_TRUE(wire_connect(&w, peer, err, sizeof(err)) == 0);
	/* Nobody reads the peer: the send must report EAGAIN, never block. */
	while (sent < 100000 && (rc = wire_send(&w, f, probe_build(&s, sent, f, sizeof(f)))) == 0)
		sent++;
	EXPECT_EQ(-EAGAIN, rc);
	EXPECT_TRUE(sent > 0);
	wire_close(&w);
	close(qemu);
}
