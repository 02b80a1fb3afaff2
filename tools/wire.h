/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wire.h - the host end of the NIC's cable (wire.c): a UNIX datagram socket that
 * QEMU's `-netdev dgram` backend exchanges Ethernet frames with, the probe
 * frames the tests send, ARP and Neighbour Discovery answers for the wire's
 * addresses, a pcap of both directions and replay of a pcap file; and
 * (probe.c) the probe frames the tests send, their check and checksums.
 */
#ifndef NICRIG_WIRE_H
#define NICRIG_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "testdef.h"

#define NICRIG_WIRE_IP		0x0a0b0001u	/* 10.11.0.1, the wire's address */
#define NICRIG_GUEST_IP		0x0a0b0002u	/* 10.11.0.2, the guest NIC's */
/* fd00:6e72::1, the wire's IPv6 address, and fd00:6e72::2, the guest NIC's */
extern const uint8_t nicrig_wire_ip6[16], nicrig_guest_ip6[16];

struct pcap;
struct pcap_dumper;
struct bpf_program;

struct wire {
	int fd;
	struct pcap *dead;
	struct pcap_dumper *dump;
	struct bpf_program *filter;	/* wire_set_filter() */
	unsigned long tx_frames, rx_frames;
	unsigned long rx_filtered;	/* received, not matching the filter: not captured */
	int64_t rx_ns;			/* when the last frame received reached the socket (CLOCK_REALTIME) */
	/*
	 * Each frame sent carries its FCS, for a NIC with fcs-on-wire (rig
	 * WIRE_FCS=yes): QEMU's net layer has no FCS, so without it the NIC
	 * cannot be sent a bad one or a runt.  The capture stays without, and
	 * without the padding a short frame gets before its FCS.
	 */
	bool fcs;
	/*
	 * A stream cable (wire_stream.c, a remote libvirt host): a TCP connection,
	 * each frame behind its length (4 bytes, big-endian), as QEMU's
	 * `-netdev stream` sends them; what the socket did not take yet, and
	 * what came in short of a whole frame.
	 */
	bool stream;
	uint8_t *out, *in;
	size_t out_len, out_off, in_len;
};

struct probe_spec {
	int tpl;			/* enum frame_template */
	unsigned int size;		/* Ethernet frame size without FCS, >= 60 */
	uint8_t dst_mac[6];		/* the guest NIC */
	uint8_t src_mac[6];		/* the wire */
	uint32_t test_id;
};

/* Binds local_path (unlinked first) and, if pcap_path, opens a capture. */
int wire_open(struct wire *w, const char *local_path, const char *pcap_path,
	      char *err, size_t errlen);
/* Points the socket at QEMU's end; call once QEMU has bound it. */
int wire_connect(struct wire *w, const char *peer_path, char *err, size_t errlen);
/*
 * The stream cable (wire_stream.c): wire_listen_tcp binds addr (port 0: any)
 * and says the port; wire_accept_stream takes QEMU's connection within
 * secs as the wire's socket.  A stream's frames keep their order and are
 * never lost; one the socket took only part of waits in the wire
 * (wire_pending: poll for POLLOUT, then wire_flush).
 */
int wire_listen_tcp(const char *addr, unsigned short *port, char *err, size_t errlen);
int wire_capture_open(struct wire *w, const char *pcap_path, char *err, size_t errlen);
int wire_accept_stream(struct wire *w, int lfd, double secs, char *err, size_t errlen);
bool wire_pending(const struct wire *w);
int wire_flush(struct wire *w);
/* wire.c's send (of a frame in pieces) and receive, on a stream: without the counting. */
struct iovec;
int wire_stream_sendv(struct wire *w, const struct iovec *iov, int n);
int wire_stream_recv(struct wire *w, uint8_t *buf, size_t cap);

/* 0 sent, -EAGAIN peer queue full (poll for POLLOUT), other -errno failure. */
int wire_send(struct wire *w, const uint8_t *frame, size_t len);
/*
 * The same, for a cable that carries the FCS (-EINVAL if not): WIRE_BAD_FCS
 * corrupts it, WIRE_NO_PAD leaves a frame under 60 bytes short (a runt;
 * else it is padded as a MAC does before its FCS).
 */
#define WIRE_ZLEN	60
#define WIRE_BAD_FCS	1u
#define WIRE_NO_PAD	2u
int wire_send_fcs(struct wire *w, const uint8_t *frame, size_t len, unsigned int flags);
/* Ethernet's FCS of a frame: CRC-32 (IEEE 802.3), sent least significant byte first. */
uint32_t eth_fcs(const uint8_t *frame, size_t len);
/*
 * Reads one frame into buf[cap] and the capture: its length, 0 if none is
 * pending (or the datagram was empty), -errno.  A frame longer than cap is
 * cut to cap.
 */
int wire_recv_frame(struct wire *w, uint8_t *buf, size_t cap);
/*
 * From now on, captures and counts in rx_frames only the received frames
 * that match a tcpdump expression (the rest go to rx_filtered); the frames
 * are still returned.  The error carries pcap's message; a filter that does
 * not compile leaves the one before in place.
 */
int wire_set_filter(struct wire *w, const char *expr, char *err, size_t errlen);
/*
 * The seq of an intact probe from the guest, or -1: udp4 or udp6 as
 * probe_build makes them, or turned around (either UDP port NICRIG_UDP_DPORT);
 * valid IPv4 header and UDP checksums (a zero UDP checksum over IPv4 means
 * none), magic and filler as built.
 */
int probe_check(const uint8_t *frame, size_t len);
void wire_close(struct wire *w);

/*
 * If frame is an ARP request for my_ip, builds the reply (padded to 60 bytes)
 * into out[cap] and returns its length; 0 otherwise.
 */
size_t wire_arp_reply(const uint8_t *frame, size_t len, const uint8_t my_mac[6], uint32_t my_ip,
		      uint8_t *out, size_t cap);

/*
 * IPv6's ARP: if frame is an ICMPv6 Neighbour Solicitation for my_ip6 that a
 * node must accept (RFC 4861 7.1.1: hop limit 255, code 0, valid checksum,
 * sane options; sent to my_ip6 or its solicited-node group), builds the
 * solicited Neighbour Advertisement carrying my_mac into out[cap] and returns
 * its length (86); 0 otherwise.  A duplicate address probe (from ::) gets no
 * answer: the guest never probes for the wire's address.
 */
size_t wire_ns_reply(const uint8_t *frame, size_t len, const uint8_t my_mac[6],
		     const uint8_t my_ip6[16], uint8_t *out, size_t cap);

/* Builds probe `seq` into buf; returns the frame length, 0 if cap is too small. */
size_t probe_build(const struct probe_spec *spec, uint32_t seq, uint8_t *buf, size_t cap);

/*
 * Source address (host order) of flow FLOW % NICRIG_FLOWS of the udp4-flows
 * template.  The 64 addresses differ in all 24 host bits of 10.0.0.0/8, none
 * in the wire's 10.11.0.0/24: see wire.c for why RSS needs that.
 */
#define NICRIG_FLOWS 64
uint32_t flow_src_ip(uint32_t flow);

/* Exactly xx:xx:xx:xx:xx:xx, two hex digits each: 0 with mac set, else -1. */
int parse_mac(const char *s, uint8_t mac[6]);

/*
 * Pcap replay: the frames of a capture file, optionally only those matching a
 * tcpdump expression.  Frames shorter than an Ethernet header, longer than
 * 65535 bytes or cut short by the capture's snap length are skipped.
 */
struct replay_stats {
	unsigned long read;	/* records in the file so far */
	unsigned long matched;	/* of those, matching the filter (all without one) */
	unsigned long skipped;	/* matched, but too short, too long or truncated */
};

struct replay {
	struct pcap *p;
	struct bpf_program *filter;
	struct replay_stats st;
};

/* Opens an Ethernet (DLT_EN10MB) capture; the error names the file or the filter. */
int replay_open(struct replay *r, const char *path, const char *filter, char *err, size_t errlen);
/*
 * The next frame to send: 1 with *frame and *len set (valid until the next call), 0 at
 * the end of the file, -1 on a read error.
 */
int replay_next(struct replay *r, const uint8_t **frame, size_t *len, char *err, size_t errlen);
void replay_close(struct replay *r);

/* Frame building and parsing, shared with tcp.c. */
static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static inline uint16_t get_be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)get_be16(p) << 16 | get_be16(p + 2);
}

/*
 * The Internet checksum: csum_add() adds len bytes (even, but for the last
 * piece) to a running sum, csum_fold() folds and complements it.  Over data
 * that includes a correct checksum, csum_fold() gives 0.
 */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t csum_fold(uint32_t sum);
/* The IPv4 pseudo header of the header at ip, for len bytes of proto. */
uint32_t csum_pseudo4(const uint8_t *ip, uint8_t proto, size_t len);
/* The IPv6 pseudo header of the header at ip6 (no extension headers), likewise. */
uint32_t csum_pseudo6(const uint8_t *ip6, uint8_t proto, size_t len);

uint8_t *put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t proto);
/* An IPv4 header without options, total length tot, TTL 64, checksum set. */
uint8_t *put_ipv4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, size_t tot, uint16_t id);

#endif /* NICRIG_WIRE_H */
