/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp.h - a small TCP client over raw Ethernet/IPv4 frames: it pushes a byte
 * stream through a TCP echo server in the guest and checks every byte that
 * comes back, so the guest's TCP stack, the driver's checksum offload and
 * TSO and the NIC model's segmentation are tested end to end.
 *
 * No socket and no clock: the caller sends the frames tcp_output() builds,
 * feeds every received frame to tcp_input(), and passes the time in seconds
 * (monotonic, >= 0, e.g. CLOCK_MONOTONIC) to both, so one poll loop drives
 * it and unit tests script it.  The guest resolves the wire's address first:
 * answer its ARP with wire_arp_reply().
 *
 *
 *	tcp_init(&c, &params, now());
 *	while (tcp_result(&c, NULL, 0) == TCP_RUNNING) {
 *		while ((len = tcp_output(&c, now(), frame, sizeof(frame))))
 *			send it;
 *		poll until a frame arrives or tcp_next_timer(&c);
 *		for each frame received: tcp_input(&c, frame, len, now());
 *	}
 *	while ((len = tcp_output(&c, now(), frame, sizeof(frame))))
 *		send it;	(the ACK of the peer's FIN, or a RST after a failure)
 *
 * The connection: SYN with an MSS option (no window scaling, SACK or
 * timestamps), then `total` bytes of tcp_pattern() within the peer's window
 * and at most TCP_CWND_SEGS segments in flight; go-back-N retransmission from
 * the oldest unacknowledged byte after a timeout that starts at TCP_RTO_INIT
 * and doubles up to TCP_RTO_MAX, giving up after TCP_MAX_RETRIES; in-order
 * receive only.  Once every byte has come back intact, FIN; done when the
 * peer has acknowledged it and sent its own.  A received segment with a bad
 * IPv4 header or TCP checksum is counted and dropped.  The connection fails,
 * with a reason, on a RST, an echoed byte that differs from what was sent
 * (its offset and both values), the peer closing early, or the time running
 * out.
 */
#ifndef NICRIG_TCP_H
#define NICRIG_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_CLIENT_MSS		1460	/* our MSS when tcp_params.mss is 0 */
#define TCP_RCV_WND		65535	/* advertised always: in-order data is consumed */
#define TCP_CWND_SEGS		16
#define TCP_RTO_INIT		1.0	/* s: the guest may run under TCG */
#define TCP_RTO_MAX		8.0
#define TCP_MAX_RETRIES		8	/* timeouts in a row without progress: give up */
#define TCP_TIMEOUT_DEFAULT	60.0	/* s from tcp_init() to giving up */
#define TCP_HDRS_MAX		(14 + 20 + 24)	/* tcp_output() needs cap >= this + mss */

/* Byte i of the stream a connection with this seed sends (and expects back). */
static inline uint8_t tcp_pattern(uint64_t i, uint32_t seed)
{
	return (uint8_t)(i * 7 + (i >> 8) + (i >> 16) + (i >> 24) + seed);
}

struct tcp_params {
	uint8_t src_mac[6], dst_mac[6];	/* the wire, the guest NIC */
	uint32_t src_ip, dst_ip;	/* host byte order */
	uint16_t sport, dport;
	size_t total;			/* bytes to send, and to get back */
	uint16_t mss;			/* largest payload we send and announce; 0: 1460 */
	uint32_t seed;			/* of tcp_pattern() */
	uint32_t isn;			/* our initial sequence number */
	double timeout;			/* s from tcp_init() to giving up; 0: the default */
};

struct tcp_stats {
	uint64_t bytes_sent;		/* payload put on the wire, retransmissions included */
	uint64_t bytes_acked;		/* of the stream, acknowledged by the peer */
	uint64_t bytes_verified;	/* come back in order and equal to what was sent */
	unsigned long segs_sent;
	unsigned long segs_received;	/* frames of this connection, bad ones included */
	unsigned long retransmits;	/* segments sent again after a timeout */
	unsigned long bad_ip_csum;	/* IPv4 header checksum wrong: dropped */
	unsigned long bad_tcp_csum;	/* TCP checksum wrong: dropped */
	unsigned long malformed;	/* lengths that do not add up, or a fragment: dropped */
	unsigned long out_of_order;	/* data beyond the next expected byte: dropped */
	unsigned long duplicates;	/* data and FIN all received before */
};

enum tcp_result { TCP_RUNNING, TCP_DONE, TCP_FAILED };

/* The connection; fields below st are the engine's own. */
struct tcp_conn {
	struct tcp_params p;
	struct tcp_stats st;

	enum tcp_result result;
	char why[256];
	bool synced;			/* SYN-ACK received */
	bool peer_fin;
	bool ack_pending, rst_pending;
	bool probe;			/* a timeout: send one segment even into a zero window */
	/* Our sequence space as offsets from p.isn: SYN 0, byte i at 1 + i, FIN at 1 + total. */
	uint64_t snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd, snd_wl1, snd_wl2;	/* the peer's window, the segment that set it */
	uint32_t cwnd;			/* bytes */
	uint16_t smss;			/* payload per segment: min(p.mss, the peer's MSS) */
	uint32_t irs, rcv_nxt;		/* the peer's sequence numbers */
	uint16_t ip_id;
	double rto, rto_at;		/* retransmission timer; rto_at 0: not running */
	double deadline;
	unsigned int retries;		/* timeouts since the last progress */
};

void tcp_init(struct tcp_conn *c, const struct tcp_params *p, double now);
/*
 * Builds the next frame to send now into buf[cap] and returns its length, or
 * 0 if there is none.  Timers (retransmission, the overall timeout) fire
 * here.
 */
size_t tcp_output(struct tcp_conn *c, double now, uint8_t *buf, size_t cap);
/*
 * Takes a received frame: 1 if it belongs to this connection (by addresses
 * and ports; counted and acted on, or counted and dropped), 0 if not.
 */
int tcp_input(struct tcp_conn *c, const uint8_t *frame, size_t len, double now);
/*
 * When tcp_output() may next have a frame: 0 if now, INFINITY if never;
 * poll() until then.
 */
double tcp_next_timer(const struct tcp_conn *c);
/*
 * The outcome so far; why[n] (if n) gets the reason for a failure or a
 * summary of the transfer.
 */
enum tcp_result tcp_result(const struct tcp_conn *c, char *why, size_t n);

#endif /* NICRIG_TCP_H */
