// SPDX-License-Identifier: GPL-2.0
/* wire.c - the host end of the NIC's cable (see wire.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <linux/types.h>

#include "meta.h"
#include "wire.h"

#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86dd
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88a8
#define ETH_P_TEB	0x6558
#define VLAN_INNER	100
#define VLAN_OUTER	200

static int sun_fill(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

int wire_open(struct wire *w, const char *local_path, const char *pcap_path,
	      char *err, size_t errlen)
{
	struct sockaddr_un sun;
	int buf = 4 << 20;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	if (sun_fill(&sun, local_path)) {
		snprintf(err, errlen, "wire socket path too long: %s", local_path);
		return -1;
	}
	w->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (w->fd < 0) {
		snprintf(err, errlen, "wire socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	unlink(local_path);
	if (bind(w->fd, (struct sockaddr *)&sun, sizeof(sun))) {
		snprintf(err, errlen, "binding wire socket %s: %s", local_path, strerror(errno));
		wire_close(w);
		return -1;
	}
	if (pcap_path) {
		w->dead = pcap_open_dead(DLT_EN10MB, 65535);
		w->dump = w->dead ? pcap_dump_open(w->dead, pcap_path) : NULL;
		if (!w->dump) {
			snprintf(err, errlen, "opening capture %s: %s", pcap_path,
				 w->dead ? pcap_geterr(w->dead) : "pcap_open_dead failed");
			wire_close(w);
			return -1;
		}
	}
	return 0;
}

int wire_connect(struct wire *w, const char *peer_path, char *err, size_t errlen)
{
	struct sockaddr_un sun;

	if (sun_fill(&sun, peer_path) || connect(w->fd, (struct sockaddr *)&sun, sizeof(sun))) {
		snprintf(err, errlen, "connecting the wire to QEMU's socket %s: %s", peer_path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void capture(struct wire *w, const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr h;

	if (!w->dump)
		return;
	gettimeofday(&h.ts, NULL);
	h.caplen = h.len = len;
	pcap_dump((u_char *)w->dump, &h, frame);
}

int wire_send(struct wire *w, const uint8_t *frame, size_t len)
{
	ssize_t n = send(w->fd, frame, len, MSG_NOSIGNAL);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if ((size_t)n != len)
		return -EMSGSIZE;
	capture(w, frame, len);
	w->tx_frames++;
	return 0;
}

int wire_recv(struct wire *w, int *probe_seq)
{
	uint8_t frame[65536];
	ssize_t n = recv(w->fd, frame, sizeof(frame), 0);

	if (n < 0)
		return errno == EWOULDBLOCK ? 0 : -errno;
	capture(w, frame, n);
	w->rx_frames++;
	if (probe_seq)
		*probe_seq = probe_check(frame, n);
	return 1;
}

/* A udp4 probe from the guest: Ethernet, IPv4, UDP to NICRIG_UDP_DPORT. */
int probe_check(const uint8_t *f, size_t len)
{
	const uint8_t *udp = f + ETH_HLEN + 20;
	unsigned int seq;

	if (len < ETH_HLEN + 20 + 8 + 16 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 ||
	    f[23] != 17 || ((udp[2] << 8) | udp[3]) != NICRIG_UDP_DPORT)
		return -1;
	if (((unsigned int)udp[8] << 24 | udp[9] << 16 | udp[10] << 8 | udp[11]) != NICRIG_PROBE_MAGIC)
		return -1;
	seq = (unsigned int)udp[12] << 24 | udp[13] << 16 | udp[14] << 8 | udp[15];
	for (size_t i = 24; ETH_HLEN + 20 + i < len; i++)
		if (udp[i] != (uint8_t)(seq + i))
			return -1;
	return seq < NICRIG_MAX_SEQ ? (int)seq : -1;
}

void wire_close(struct wire *w)
{
	if (w->dump) {
		pcap_dump_flush(w->dump);
		pcap_dump_close(w->dump);
	}
	if (w->dead)
		pcap_close(w->dead);
	if (w->fd >= 0)
		close(w->fd);
	w->dump = NULL;
	w->dead = NULL;
	w->fd = -1;
}

int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint8_t *put_eth(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t proto)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put16(p + 12, proto);
	return p + ETH_HLEN;
}

static uint8_t *put_vlan(uint8_t *p, uint16_t vid, uint16_t proto)
{
	put16(p, vid);
	put16(p + 2, proto);
	return p + 4;
}

/* IPv4 header of total length tot (header included); from src to 10.11.0.2 */
static uint8_t *put_ipv4_from(uint8_t *p, uint32_t src, uint8_t proto, size_t tot, uint32_t id)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, tot);
	put16(p + 4, id);
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, 0x0a0b0002);
	put16(p + 10, csum_fold(csum_add(0, p, 20)));
	return p + 20;
}

/* The same from the wire's own address, 10.11.0.1. */
static uint8_t *put_ipv4(uint8_t *p, uint8_t proto, size_t tot, uint32_t id)
{
	return put_ipv4_from(p, 0x0a0b0001, proto, tot, id);
}

/*
 * The UDP datagram carrying the probe: header, struct nicrig_probe, then a
 * filler that depends on seq, up to len bytes in all.
 */
static void put_udp_probe(uint8_t *p, size_t len, uint32_t seq, uint32_t test_id)
{
	put16(p, NICRIG_UDP_SPORT);
	put16(p + 2, NICRIG_UDP_DPORT);
	put16(p + 4, len);
	put16(p + 6, 0);
	put32(p + 8, NICRIG_PROBE_MAGIC);
	put32(p + 12, seq);
	put32(p + 16, test_id);
	put32(p + 20, 0);
	for (size_t i = 24; i < len; i++)
		p[i] = (uint8_t)(seq + i);
}

size_t probe_build(const struct probe_spec *spec, uint32_t seq, uint8_t *buf, size_t cap)
{
	static const uint8_t inner_dst[6] = { 0x02, 0x6e, 0x72, 0x69, 0x67, 0x01 };
	size_t size = spec->size < 60 ? 60 : spec->size;
	size_t udp_min = 8 + sizeof(struct nicrig_probe);
	uint8_t *p = buf, *l3;
	size_t hdrs;

	switch (spec->tpl) {
	case TPL_UDP4:
	case TPL_UDP4_FLOWS: hdrs = ETH_HLEN + 20; break;
	case TPL_UDP6:   hdrs = ETH_HLEN + 40; break;
	case TPL_VLAN:   hdrs = ETH_HLEN + 4 + 20; break;
	case TPL_QINQ:   hdrs = ETH_HLEN + 8 + 20; break;
	case TPL_GRETAP: hdrs = ETH_HLEN + 20 + 4 + ETH_HLEN + 20; break;
	default: return 0;
	}
	if (size < hdrs + udp_min)
		size = hdrs + udp_min;
	if (size > cap)
		return 0;
	memset(buf, 0, size);

	switch (spec->tpl) {
	case TPL_UDP4:
	case TPL_UDP4_FLOWS:
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
		p = put_ipv4(p, 47, size - ETH_HLEN, seq);
		put16(p, 0);
		put16(p + 2, ETH_P_TEB);
		p = put_eth(p + 4, inner_dst, spec->src_mac, ETH_P_IP);
		break;
	}

	l3 = p;
	if (spec->tpl == TPL_UDP6) {
		size_t ulen = size - (l3 + 40 - buf);
		uint32_t sum;

		put32(l3, 0x60000000);
		put16(l3 + 4, ulen);
		l3[6] = 17;
		l3[7] = 64;
		/* fd00:6e72::1 -> fd00:6e72::2 */
		put16(l3 + 8, 0xfd00);
		put16(l3 + 10, 0x6e72);
		l3[23] = 1;
		put16(l3 + 24, 0xfd00);
		put16(l3 + 26, 0x6e72);
		l3[39] = 2;
		put_udp_probe(l3 + 40, ulen, seq, spec->test_id);
		/* UDP over IPv6 must carry a checksum: pseudo header + datagram. */
		sum = csum_add(0, l3 + 8, 32);
		sum += ulen + 17;
		sum = csum_add(sum, l3 + 40, ulen);
		put16(l3 + 40 + 6, csum_fold(sum) ? csum_fold(sum) : 0xffff);
	} else {
		size_t tot = size - (l3 - buf);

		uint32_t src = spec->tpl == TPL_UDP4_FLOWS ? 0x0a0b0101 + seq % 64 : 0x0a0b0001;

		put_udp_probe(put_ipv4_from(l3, src, 17, tot, seq), tot - 20, seq, spec->test_id);
	}
	return size;
}
