// SPDX-License-Identifier: GPL-2.0
/* tcp.c - a small TCP echo client over raw Ethernet/IPv4 frames (see tcp.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/if_ether.h>
#include <netinet/in.h>
#include <netinet/tcp.h>	/* TH_FIN, TH_SYN, TH_RST, TH_PUSH, TH_ACK */

#include "tcp.h"
#include "wire.h"

#define TCP_MSS_MIN	48	/* as Linux clamps an absurd peer MSS */
#define TCP_MSS_NOOPT	536	/* the peer's MSS when it announces none */

static bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static uint32_t seq_at(const struct tcp_conn *c, uint64_t off)
{
	return c->p.isn + (uint32_t)off;
}

/* Offset of the FIN in our sequence space; data runs from 1 up to it. */
static uint64_t fin_off(const struct tcp_conn *c)
{
	return 1 + c->p.total;
}

static const char *peer_name(const struct tcp_conn *c, char *buf, size_t n)
{
	uint32_t a = c->p.dst_ip;

	snprintf(buf, n, "%u.%u.%u.%u:%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff,
		 c->p.dport);
	return buf;
}

/* Ends the connection as failed, for the reason given; a RST follows if reset. */
static void __attribute__((format(printf, 3, 4)))
conn_fail(struct tcp_conn *c, bool reset, const char *fmt, ...)
{
	va_list ap;

	if (c->result != TCP_RUNNING)
		return;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	c->result = TCP_FAILED;
	c->rst_pending = reset && c->synced;
	c->rto_at = 0;
}

void tcp_init(struct tcp_conn *c, const struct tcp_params *p, double now)
{
	memset(c, 0, sizeof(*c));
	c->p = *p;
	if (!c->p.mss)
		c->p.mss = TCP_CLIENT_MSS;
	if (c->p.mss > 65535 - 40)
		c->p.mss = 65535 - 40;
	if (c->p.timeout <= 0)
		c->p.timeout = TCP_TIMEOUT_DEFAULT;
	c->deadline = now + c->p.timeout;
	c->rto = TCP_RTO_INIT;
	c->smss = c->p.mss;
	c->cwnd = TCP_CWND_SEGS * c->smss;
}

/* Payload bytes to send now from snd_nxt, within the peer's window and the cwnd. */
static size_t send_len(const struct tcp_conn *c)
{
	uint64_t win = c->snd_wnd < c->cwnd ? c->snd_wnd : c->cwnd;
	uint64_t inflight = c->snd_nxt - c->snd_una, n;

	if (!win && c->probe)
		win = 1;
	if (!c->synced || c->snd_nxt >= fin_off(c) || win <= inflight)
		return 0;
	n = win - inflight;
	if (n > c->smss)
		n = c->smss;
	if (n > fin_off(c) - c->snd_nxt)
		n = fin_off(c) - c->snd_nxt;
	return n;
}

/* Our FIN goes once every byte has come back and all data is sent. */
static bool fin_due(const struct tcp_conn *c)
{
	return c->synced && c->st.bytes_verified == c->p.total && c->snd_nxt == fin_off(c);
}

static bool timer_needed(const struct tcp_conn *c)
{
	if (c->result != TCP_RUNNING)
		return false;
	if (c->snd_una < c->snd_max)
		return true;
	/* The peer's window is shut: probe it when the timer fires. */
	return c->synced && c->snd_nxt < fin_off(c) && !c->snd_wnd;
}

static void timer_update(struct tcp_conn *c, double now)
{
	if (!timer_needed(c))
		c->rto_at = 0;
	else if (!c->rto_at)
		c->rto_at = now + c->rto;
}

static void progress(const struct tcp_conn *c, char *buf, size_t n)
{
	snprintf(buf, n, "%llu of %zu bytes acknowledged, %llu back intact",
		 (unsigned long long)c->st.bytes_acked, c->p.total,
		 (unsigned long long)c->st.bytes_verified);
}

static void give_up(struct tcp_conn *c, double now, bool deadline)
{
	double t = now - (c->deadline - c->p.timeout);
	char peer[32], prog[128];

	peer_name(c, peer, sizeof(peer));
	progress(c, prog, sizeof(prog));
	if (!c->synced)
		conn_fail(c, false, "no SYN-ACK from %s to %lu SYNs over %.0f s", peer,
			  c->st.segs_sent, t);
	else if (deadline)
		conn_fail(c, true, "timed out after %.0f s: %s", t, prog);
	else if (!c->snd_wnd)
		conn_fail(c, true, "%s kept its window shut through %u probes over %.0f s: %s",
			  peer, TCP_MAX_RETRIES, t, prog);
	else
		conn_fail(c, true, "no ACK from %s through %u retransmissions over %.0f s: %s",
			  peer, TCP_MAX_RETRIES, t, prog);
}

static void timers(struct tcp_conn *c, double now)
{
	if (c->result != TCP_RUNNING)
		return;
	if (now >= c->deadline) {
		give_up(c, now, true);
		return;
	}
	if (!c->rto_at || now < c->rto_at)
		return;
	if (++c->retries > TCP_MAX_RETRIES) {
		give_up(c, now, false);
		return;
	}
	/* Go back to the oldest unacknowledged byte, one segment at a time. */
	c->snd_nxt = c->snd_una;
	c->cwnd = c->smss;
	c->probe = true;
	c->rto = c->rto * 2 < TCP_RTO_MAX ? c->rto * 2 : TCP_RTO_MAX;
	c->rto_at = now + c->rto;
}

/* Builds the segment at snd_nxt with len bytes of payload and advances snd_nxt. */
static size_t emit(struct tcp_conn *c, double now, uint8_t *buf, size_t cap, uint8_t flags,
		   size_t len)
{
	size_t thl = flags & TH_SYN ? 24 : 20, tot = 20 + thl + len;
	uint64_t off = flags & TH_RST ? c->snd_max : c->snd_nxt;
	uint8_t *ip, *th;

	if (ETH_HLEN + tot > cap) {
		conn_fail(c, false, "tcp_output: a %zu-byte buffer cannot hold a %zu-byte segment",
			  cap, ETH_HLEN + tot);
		c->rst_pending = false;
		return 0;
	}
	ip = put_eth(buf, c->p.dst_mac, c->p.src_mac, ETH_P_IP);
	th = put_ipv4(ip, c->p.src_ip, c->p.dst_ip, IPPROTO_TCP, tot, c->ip_id++);
	memset(th, 0, thl);
	put_be16(th, c->p.sport);
	put_be16(th + 2, c->p.dport);
	put_be32(th + 4, seq_at(c, off));
	if (c->synced) {
		flags |= TH_ACK;
		put_be32(th + 8, c->rcv_nxt);
	}
	th[12] = thl / 4 << 4;
	th[13] = flags;
	put_be16(th + 14, TCP_RCV_WND);
	if (flags & TH_SYN) {
		th[20] = 2;	/* MSS */
		th[21] = 4;
		put_be16(th + 22, c->p.mss);
	}
	for (size_t i = 0; i < len; i++)
		th[thl + i] = tcp_pattern(off - 1 + i, c->p.seed);
	put_be16(th + 16, csum_fold(csum_add(csum_pseudo4(ip, IPPROTO_TCP, thl + len), th,
					     thl + len)));

	c->st.segs_sent++;
	c->ack_pending = false;
	if (flags & TH_RST) {
		c->rst_pending = false;
		return ETH_HLEN + tot;
	}
	if (c->snd_nxt < c->snd_max)
		c->st.retransmits++;
	c->st.bytes_sent += len;
	c->snd_nxt += len + !!(flags & TH_SYN) + !!(flags & TH_FIN);
	if (c->snd_nxt > c->snd_max)
		c->snd_max = c->snd_nxt;
	c->probe = false;
	timer_update(c, now);
	return ETH_HLEN + tot;
}

size_t tcp_output(struct tcp_conn *c, double now, uint8_t *buf, size_t cap)
{
	size_t len;

	timers(c, now);
	if (c->rst_pending)
		return emit(c, now, buf, cap, TH_RST, 0);
	if (c->result == TCP_FAILED)
		return 0;
	if (!c->synced)
		return c->snd_nxt ? 0 : emit(c, now, buf, cap, TH_SYN, 0);
	len = send_len(c);
	if (len)
		return emit(c, now, buf, cap, TH_PUSH, len);
	if (fin_due(c))
		return emit(c, now, buf, cap, TH_FIN, 0);
	return c->ack_pending ? emit(c, now, buf, cap, 0, 0) : 0;
}

double tcp_next_timer(const struct tcp_conn *c)
{
	if (c->rst_pending || (c->result != TCP_FAILED && c->ack_pending))
		return 0;
	if (c->result != TCP_RUNNING)
		return INFINITY;
	if ((!c->synced && !c->snd_nxt) || send_len(c) || fin_due(c))
		return 0;
	return c->rto_at && c->rto_at < c->deadline ? c->rto_at : c->deadline;
}

static void check_done(struct tcp_conn *c)
{
	if (c->peer_fin && c->snd_una == fin_off(c) + 1 && c->result == TCP_RUNNING) {
		c->result = TCP_DONE;
		c->rto_at = 0;
	}
}

/* The peer's MSS option in a SYN-ACK's options; TCP_MSS_NOOPT without one. */
static unsigned int peer_mss(const uint8_t *opt, size_t len)
{
	for (size_t i = 0; i < len && opt[i] != 0;) {
		if (opt[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
			break;
		if (opt[i] == 2 && opt[i + 1] == 4) {
			unsigned int mss = get_be16(opt + i + 2);

			return mss < TCP_MSS_MIN ? TCP_MSS_MIN : mss;
		}
		i += opt[i + 1];
	}
	return TCP_MSS_NOOPT;
}

static void syn_sent_input(struct tcp_conn *c, const uint8_t *th, size_t thl, double now)
{
	uint8_t flags = th[13];
	unsigned int mss;
	char peer[32];

	if ((flags & TH_ACK) && get_be32(th + 8) != seq_at(c, 1))
		return;		/* not an answer to our SYN */
	if (flags & TH_RST) {
		if (flags & TH_ACK)
			conn_fail(c, false, "connection refused: %s answered the SYN with a RST",
				  peer_name(c, peer, sizeof(peer)));
		return;
	}
	if ((flags & (TH_SYN | TH_ACK)) != (TH_SYN | TH_ACK))
		return;
	c->synced = true;
	c->irs = get_be32(th + 4);
	c->rcv_nxt = c->irs + 1;
	c->snd_una = 1;
	c->snd_wnd = get_be16(th + 14);
	c->snd_wl1 = c->irs;
	c->snd_wl2 = get_be32(th + 8);
	mss = peer_mss(th + 20, thl - 20);
	if (mss < c->smss)
		c->smss = mss;
	c->cwnd = TCP_CWND_SEGS * c->smss;
	c->retries = 0;
	c->rto = TCP_RTO_INIT;
	c->rto_at = 0;
	c->ack_pending = true;
	timer_update(c, now);
}

/* The ACK and window of a segment; false if it acknowledges what was never sent. */
static bool ack_input(struct tcp_conn *c, uint32_t seq, uint32_t ack, uint16_t wnd, double now)
{
	uint32_t adv = ack - seq_at(c, c->snd_una);

	if (adv > c->snd_max - c->snd_una) {
		if ((int32_t)adv > 0) {
			c->ack_pending = true;
			return false;
		}
		return true;	/* an old ACK: the data may still be new */
	}
	if (seq_lt(c->snd_wl1, seq) || (c->snd_wl1 == seq && !seq_lt(ack, c->snd_wl2))) {
		c->snd_wnd = wnd;
		c->snd_wl1 = seq;
		c->snd_wl2 = ack;
	}
	if (adv) {
		c->snd_una += adv;
		if (c->snd_nxt < c->snd_una)
			c->snd_nxt = c->snd_una;
		c->st.bytes_acked = c->snd_una - 1 < c->p.total ? c->snd_una - 1 : c->p.total;
		c->cwnd = c->cwnd + c->smss < TCP_CWND_SEGS * c->smss ?
			  c->cwnd + c->smss : TCP_CWND_SEGS * c->smss;
		c->retries = 0;
		c->rto = TCP_RTO_INIT;
		c->rto_at = 0;
	}
	timer_update(c, now);
	return true;
}

/* Checks n new bytes against the pattern and takes them. */
static void data_input(struct tcp_conn *c, const uint8_t *data, size_t n)
{
	uint64_t at = c->st.bytes_verified, sent = c->snd_max - 1;

	if (sent > c->p.total)
		sent = c->p.total;
	if (at + n > sent) {
		conn_fail(c, true, "the peer sent back %llu bytes, only %llu were sent",
			  (unsigned long long)(at + n), (unsigned long long)sent);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t want = tcp_pattern(at + i, c->p.seed);

		if (data[i] != want) {
			c->st.bytes_verified = at + i;
			conn_fail(c, true, "byte %llu came back as 0x%02x, sent as 0x%02x",
				  (unsigned long long)(at + i), data[i], want);
			return;
		}
	}
	c->st.bytes_verified += n;
	c->rcv_nxt += n;
}

/* Data and FIN of a segment: in order only, anything else is answered with an ACK. */
static void stream_input(struct tcp_conn *c, uint32_t seq, const uint8_t *data, size_t len,
			 bool fin)
{
	uint32_t skip = c->rcv_nxt - seq;

	if (!len && !fin)
		return;
	c->ack_pending = true;
	if (seq_lt(c->rcv_nxt, seq)) {
		c->st.out_of_order++;
		return;
	}
	if (skip > len || (skip == len && (!fin || c->peer_fin))) {
		c->st.duplicates++;
		return;
	}
	if (skip < len)
		data_input(c, data + skip, len - skip);
	if (!fin || c->result != TCP_RUNNING)
		return;
	c->rcv_nxt++;
	c->peer_fin = true;
	if (c->st.bytes_verified < c->p.total)
		conn_fail(c, true, "the peer closed the connection after %llu of %zu bytes came back",
			  (unsigned long long)c->st.bytes_verified, c->p.total);
}

static void segment_input(struct tcp_conn *c, const uint8_t *th, size_t thl, size_t len,
			  double now)
{
	uint32_t seq = get_be32(th + 4);
	uint8_t flags = th[13];
	char peer[32], prog[128];

	if (!c->synced) {
		syn_sent_input(c, th, thl, now);
		return;
	}
	if (flags & TH_RST) {
		if (seq - c->rcv_nxt < TCP_RCV_WND) {
			progress(c, prog, sizeof(prog));
			peer_name(c, peer, sizeof(peer));
			conn_fail(c, false, "connection reset by %s: %s", peer, prog);
		}
		return;
	}
	if (flags & TH_SYN) {
		c->ack_pending = true;	/* the SYN-ACK again: our ACK was lost */
		return;
	}
	if (!(flags & TH_ACK) || !ack_input(c, seq, get_be32(th + 8), get_be16(th + 14), now))
		return;
	stream_input(c, seq, th + thl, len, flags & TH_FIN);
	/* Done by this segment's FIN, or by its ACK of ours after the peer's FIN. */
	check_done(c);
}

int tcp_input(struct tcp_conn *c, const uint8_t *f, size_t len, double now)
{
	const uint8_t *ip = f + ETH_HLEN, *th;
	size_t ihl, tot, thl;

	if (len < ETH_HLEN + 20 || get_be16(f + 12) != ETH_P_IP || ip[0] >> 4 != 4 ||
	    ip[9] != IPPROTO_TCP || get_be32(ip + 12) != c->p.dst_ip ||
	    get_be32(ip + 16) != c->p.src_ip)
		return 0;
	ihl = (ip[0] & 0xf) * 4;
	th = ip + ihl;
	if (ihl < 20 || len < ETH_HLEN + ihl + 4 || get_be16(th) != c->p.dport ||
	    get_be16(th + 2) != c->p.sport)
		return 0;

	/* Ours from here on: whatever does not hold up is counted and dropped. */
	c->st.segs_received++;
	if (csum_fold(csum_add(0, ip, ihl))) {
		c->st.bad_ip_csum++;
		return 1;
	}
	tot = get_be16(ip + 2);
	if (tot < ihl + 20 || ETH_HLEN + tot > len || (get_be16(ip + 6) & 0x3fff)) {
		c->st.malformed++;
		return 1;
	}
	thl = (th[12] >> 4) * 4;
	if (thl < 20 || ihl + thl > tot) {
		c->st.malformed++;
		return 1;
	}
	if (csum_fold(csum_add(csum_pseudo4(ip, IPPROTO_TCP, tot - ihl), th, tot - ihl))) {
		c->st.bad_tcp_csum++;
		return 1;
	}
	if (c->result != TCP_FAILED)
		segment_input(c, th, thl, tot - ihl - thl, now);
	return 1;
}

enum tcp_result tcp_result(const struct tcp_conn *c, char *why, size_t n)
{
	char peer[32], prog[128];

	if (!n)
		return c->result;
	peer_name(c, peer, sizeof(peer));
	progress(c, prog, sizeof(prog));
	if (c->result == TCP_FAILED)
		snprintf(why, n, "%s", c->why);
	else if (c->result == TCP_DONE)
		snprintf(why, n, "%zu bytes through %s's echo and back intact; %lu retransmitted segments, %lu bad IPv4 and %lu bad TCP checksums dropped",
			 c->p.total, peer, c->st.retransmits, c->st.bad_ip_csum,
			 c->st.bad_tcp_csum);
	else
		snprintf(why, n, "%s: %s", c->synced ? "connected" : "waiting for the SYN-ACK",
			 prog);
	return c->result;
}
