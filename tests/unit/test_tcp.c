// SPDX-License-Identifier: GPL-2.0
/*
 * test_tcp.c - the TCP echo client against a scripted echo server: a small
 * peer in this file answers the SYN, acknowledges and echoes the data and
 * closes when the client does; on request it misbehaves once (drops,
 * reorders, corrupts, resets, closes early, never answers).  Time only moves
 * when neither side has anything to say: to the client's next timer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tcp.h"
#include "wire.h"

#define SYN	0x02
#define RST	0x04
#define FIN	0x01
#define PSH	0x08
#define ACK	0x10

#define CLIENT_PORT	40000
#define ECHO_PORT	7
#define QMAX		256

static const uint8_t wire_mac[6] = { 0x02, 0x6e, 0x72, 0x69, 0x67, 0x02 };
static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x6e, 0x72, 0x01 };

struct peer {
	/* The script. */
	uint32_t isn, seed;
	uint16_t window, mss;		/* advertised; mss 0: no MSS option */
	bool silent;			/* never answers */
	bool refuse;			/* answers the SYN with a RST */
	unsigned int drop_seg;		/* loses the client's n-th data segment */
	unsigned int bad_tcp_seg;	/* n-th echo segment: payload bit flipped, checksum kept */
	unsigned int bad_ip_seg;	/* n-th echo segment: IPv4 header checksum broken */
	unsigned int reorder_seg;	/* n-th echo segment goes out after the next one */
	long corrupt_at;		/* echoes this stream byte flipped, checksums right */
	long rst_at;			/* RST once this many bytes came in */
	long fin_at;			/* FIN once this many bytes went back */
	long shrink_at;			/* window 2000 once this many bytes came in */
	double closed_until;		/* window 0 until then */
	bool deaf_to_fin;		/* loses every FIN from the client */
	const double *now;

	/* Its TCP. */
	bool synced, fin_in, fin_out, gone;
	uint32_t client_isn, rcv_nxt, snd_una, snd_nxt;
	uint32_t wnd_edge;		/* the client may send up to here */
	uint8_t *stream;
	size_t got, echoed;
	uint16_t client_mss, client_wnd;
	uint8_t held[1600];
	size_t held_len;

	/* What it saw. */
	unsigned long syns, data_segs, echo_segs, bad_csum, bad_stream, window_violations;
	unsigned long max_payload, burst, max_burst, wscale_opts, not_taken, zero_probes;
	double syn_t[16];
	bool client_wrapped, fin_acked, rst_seen;

	uint8_t q[QMAX][1600];
	size_t qlen[QMAX];
	int nq;
};

static struct peer *peer_new(size_t total, const double *now)
{
	struct peer *s = calloc(1, sizeof(*s));

	s->isn = 5000;
	s->seed = 0x5eed;
	s->window = 65535;
	s->mss = 1460;
	s->corrupt_at = s->rst_at = s->fin_at = s->shrink_at = -1;
	s->stream = calloc(1, total + 1);
	s->now = now;
	return s;
}

static void peer_free(struct peer *s)
{
	free(s->stream);
	free(s);
}

static struct tcp_params params(size_t total)
{
	struct tcp_params p = {
		.src_ip = NICRIG_WIRE_IP, .dst_ip = NICRIG_GUEST_IP,
		.sport = CLIENT_PORT, .dport = ECHO_PORT,
		.total = total, .mss = 1460, .seed = 0x5eed, .isn = 1000, .timeout = 60,
	};

	memcpy(p.src_mac, wire_mac, 6);
	memcpy(p.dst_mac, guest_mac, 6);
	return p;
}

static bool before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static uint16_t peer_window(const struct peer *s)
{
	return *s->now < s->closed_until ? 0 : s->window;
}

static void tcp_csum(uint8_t *ip)
{
	size_t len = get_be16(ip + 2) - 20;

	put_be16(ip + 20 + 16, 0);
	put_be16(ip + 20 + 16, csum_fold(csum_add(csum_pseudo4(ip, 6, len), ip + 20, len)));
}

/* Queues a segment to the client; returns its frame. */
static uint8_t *peer_send(struct peer *s, uint8_t flags, uint32_t seq, const uint8_t *data,
			  size_t len)
{
	size_t thl = (flags & SYN) && s->mss ? 24 : 20;
	uint8_t *f, *ip, *th;

	if (s->nq == QMAX)
		abort();	/* the test's own bug */
	f = s->q[s->nq];
	ip = put_eth(f, wire_mac, guest_mac, 0x0800);
	th = put_ipv4(ip, NICRIG_GUEST_IP, NICRIG_WIRE_IP, 6, 20 + thl + len, s->nq);
	memset(th, 0, thl);
	put_be16(th, ECHO_PORT);
	put_be16(th + 2, CLIENT_PORT);
	put_be32(th + 4, seq);
	put_be32(th + 8, s->rcv_nxt);
	th[12] = thl / 4 << 4;
	th[13] = flags;
	put_be16(th + 14, peer_window(s));
	if (thl == 24) {
		th[20] = 2;
		th[21] = 4;
		put_be16(th + 22, s->mss);
	}
	if (len)
		memcpy(th + thl, data, len);
	tcp_csum(ip);
	s->qlen[s->nq++] = 14 + 20 + thl + len;
	s->wnd_edge = s->rcv_nxt + peer_window(s);
	return f;
}

static void release_held(struct peer *s)
{
	if (!s->held_len)
		return;
	memcpy(s->q[s->nq], s->held, s->held_len);
	s->qlen[s->nq++] = s->held_len;
	s->held_len = 0;
}

/* Echoes what came in, within the client's window; FIN when it is time. */
static void peer_pump(struct peer *s)
{
	while (!s->fin_out && s->echoed < s->got) {
		uint32_t inflight = s->snd_nxt - s->snd_una;
		size_t n = s->got - s->echoed;
		uint8_t seg[1600], *f;

		if (n > s->client_mss)
			n = s->client_mss;
		if (inflight + n > s->client_wnd)
			n = s->client_wnd > inflight ? s->client_wnd - inflight : 0;
		if (s->fin_at >= 0 && s->echoed + n > (size_t)s->fin_at)
			n = s->fin_at - s->echoed;
		if (!n)
			break;
		memcpy(seg, s->stream + s->echoed, n);
		if (s->corrupt_at >= (long)s->echoed && s->corrupt_at < (long)(s->echoed + n)) {
			seg[s->corrupt_at - s->echoed] ^= 0x20;
			s->corrupt_at = -1;
		}
		f = peer_send(s, ACK | PSH, s->snd_nxt, seg, n);
		s->echo_segs++;
		if (s->echo_segs == s->bad_tcp_seg)
			f[14 + 20 + 20] ^= 0x01;
		if (s->echo_segs == s->bad_ip_seg)
			f[14 + 10] ^= 0x01;
		if (s->echo_segs == s->reorder_seg) {
			s->held_len = s->qlen[--s->nq];
			memcpy(s->held, f, s->held_len);
		} else {
			release_held(s);
		}
		s->echoed += n;
		s->snd_nxt += n;
	}
	if (!s->fin_out && ((s->fin_in && s->echoed == s->got) ||
			    (s->fin_at >= 0 && s->echoed >= (size_t)s->fin_at))) {
		peer_send(s, ACK | FIN, s->snd_nxt++, NULL, 0);
		s->fin_out = true;
	}
}

/* The peer's retransmission timeout: everything unacknowledged again. */
static bool peer_kick(struct peer *s)
{
	if (s->gone || !s->synced || (s->snd_una == s->snd_nxt && !s->held_len))
		return false;
	release_held(s);
	if (s->snd_una != s->snd_nxt) {
		s->echoed = s->snd_una - s->isn - 1;
		s->snd_nxt = s->snd_una;
		s->fin_out = false;
		peer_pump(s);
	}
	return true;
}

static void peer_syn(struct peer *s, const uint8_t *th, size_t thl)
{
	s->syn_t[s->syns++ % 16] = *s->now;
	s->client_isn = get_be32(th + 4);
	for (size_t i = 20; i + 1 < thl && th[i];)	/* the client's options */
		if (th[i] == 1) {
			i++;
		} else {
			if (th[i] == 2)
				s->client_mss = get_be16(th + i + 2);
			if (th[i] == 3)
				s->wscale_opts++;
			i += th[i + 1] ? th[i + 1] : thl;
		}
	if (s->silent)
		return;
	s->rcv_nxt = s->client_isn + 1;
	if (s->refuse) {
		peer_send(s, RST | ACK, 0, NULL, 0);
		s->gone = true;
		return;
	}
	s->synced = true;
	s->snd_una = s->isn;
	s->snd_nxt = s->isn + 1;
	peer_send(s, SYN | ACK, s->isn, NULL, 0);
}

/* Takes the client's data in order; false if it was lost or out of order. */
static bool peer_data(struct peer *s, uint32_t seq, const uint8_t *data, size_t len)
{
	uint32_t skip = s->rcv_nxt - seq;

	s->data_segs++;
	s->burst++;
	if (s->data_segs == s->drop_seg)
		return false;
	if (len > s->max_payload)
		s->max_payload = len;
	if (before(s->wnd_edge, seq + len)) {
		if (len == 1 && s->wnd_edge == s->rcv_nxt) {
			s->zero_probes++;	/* allowed, but the byte does not fit */
			if (!peer_window(s))
				return true;
		} else {
			s->window_violations++;
		}
	}
	if (seq < s->client_isn)		/* numerically: past 2^32 */
		s->client_wrapped = true;
	if (before(s->rcv_nxt, seq) || skip >= len)
		return !before(s->rcv_nxt, seq);
	for (size_t i = skip; i < len; i++) {
		if (data[i] != tcp_pattern(s->got, s->seed))
			s->bad_stream++;
		s->stream[s->got++] = data[i];
	}
	s->rcv_nxt += len - skip;
	return true;
}

static void peer_input(struct peer *s, const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + 14, *th = ip + 20;
	size_t tot = get_be16(ip + 2), thl = (th[12] >> 4) * 4, dlen = tot - 20 - thl;
	uint32_t seq = get_be32(th + 4), ack = get_be32(th + 8);
	uint8_t flags = th[13];

	if (len < 14 + tot || csum_fold(csum_add(0, ip, 20)) ||
	    csum_fold(csum_add(csum_pseudo4(ip, 6, tot - 20), th, tot - 20))) {
		s->bad_csum++;
		return;
	}
	s->client_wnd = get_be16(th + 14);
	if (flags & RST) {
		s->rst_seen = true;
		s->gone = true;
	}
	if (s->gone)
		return;
	if (flags & SYN) {
		peer_syn(s, th, thl);
		return;
	}
	if (!s->synced)
		return;
	if ((flags & ACK) && ack - s->snd_una <= s->snd_nxt - s->snd_una) {
		s->snd_una = ack;
		s->fin_acked = s->fin_out && ack == s->snd_nxt;
	}
	if (dlen && !peer_data(s, seq, th + thl, dlen))
		return;
	if (s->shrink_at >= 0 && s->got >= (size_t)s->shrink_at)
		s->window = 2000;
	if ((flags & FIN) && s->deaf_to_fin)
		return;
	if ((flags & FIN) && seq + dlen == s->rcv_nxt) {
		s->rcv_nxt++;
		s->fin_in = true;
	}
	if (s->rst_at >= 0 && s->got >= (size_t)s->rst_at) {
		peer_send(s, RST | ACK, s->snd_nxt, NULL, 0);
		s->gone = true;
		return;
	}
	peer_pump(s);
	if ((dlen || (flags & FIN)) && !s->nq)
		peer_send(s, ACK, s->snd_nxt, NULL, 0);
}

/* Runs client and peer until the client is done or failed, or nothing can happen. */
static enum tcp_result run(struct tcp_conn *c, struct peer *s, double *now)
{
	uint8_t f[2048];

	for (int round = 0; round < 100000; round++) {
		bool moved = false;
		double next;
		size_t len;

		s->burst = 0;
		while ((len = tcp_output(c, *now, f, sizeof(f)))) {
			peer_input(s, f, len);
			moved = true;
		}
		if (s->burst > s->max_burst)
			s->max_burst = s->burst;
		for (int i = 0; i < s->nq; i++)
			if (tcp_input(c, s->q[i], s->qlen[i], *now) != 1)
				s->not_taken++;
		moved |= s->nq > 0;
		s->nq = 0;
		if (moved)
			continue;
		if (tcp_result(c, NULL, 0) != TCP_RUNNING)
			break;
		if (peer_kick(s))
			continue;
		next = tcp_next_timer(c);
		if (isinf(next))
			break;
		if (next > *now)
			*now = next;
	}
	return tcp_result(c, NULL, 0);
}

TEST(tcp_echo_of_100000_bytes_completes)
{
	struct tcp_params p = params(100000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;
	uint8_t f[2048];
	char why[512];

	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(TCP_DONE, tcp_result(&c, why, sizeof(why)));
	EXPECT_CONTAINS(why, "100000 bytes through 10.11.0.2:7");
	EXPECT_EQ(100000, c.st.bytes_verified);
	EXPECT_EQ(100000, c.st.bytes_acked);
	EXPECT_EQ(100000, c.st.bytes_sent);
	EXPECT_EQ(0, c.st.retransmits);
	EXPECT_EQ(0, c.st.bad_ip_csum + c.st.bad_tcp_csum + c.st.malformed);
	EXPECT_EQ(0, c.st.out_of_order + c.st.duplicates);
	EXPECT_TRUE(now == 0);		/* no timer ever fired */
	/* What the peer saw of the client. */
	EXPECT_EQ(1, s->syns);
	EXPECT_EQ(1460, s->client_mss);
	EXPECT_EQ(0, s->wscale_opts);
	EXPECT_EQ(TCP_RCV_WND, s->client_wnd);
	EXPECT_EQ(100000, s->got);
	EXPECT_EQ(0, s->bad_stream);
	EXPECT_EQ(0, s->bad_csum);
	EXPECT_EQ(1460, s->max_payload);
	EXPECT_EQ(TCP_CWND_SEGS, s->max_burst);
	EXPECT_EQ(0, s->window_violations);
	EXPECT_EQ(0, s->not_taken);
	EXPECT_TRUE(s->fin_in);
	EXPECT_TRUE(s->fin_acked);
	EXPECT_EQ(0, tcp_output(&c, now, f, sizeof(f)));
	EXPECT_TRUE(isinf(tcp_next_timer(&c)));
	peer_free(s);
}

TEST(tcp_honours_a_small_window_and_the_peer_mss)
{
	struct tcp_params p = params(20000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;

	s->window = 3000;
	s->mss = 536;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(20000, c.st.bytes_verified);
	EXPECT_EQ(536, s->max_payload);
	EXPECT_EQ(0, s->window_violations);
	EXPECT_EQ(6, s->max_burst);	/* 5 x 536 + 320 fill 3000 */
	peer_free(s);

	/* No MSS option: 536, the default. */
	p.mss = 1000;
	s = peer_new(p.total, &now);
	s->mss = 0;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(536, s->max_payload);
	EXPECT_EQ(1000, s->client_mss);
	peer_free(s);
}

TEST(tcp_retransmits_a_dropped_segment)
{
	struct tcp_params p = params(100000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;

	s->drop_seg = 3;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(100000, c.st.bytes_verified);
	EXPECT_TRUE(c.st.retransmits >= 1);
	EXPECT_TRUE(c.st.bytes_sent > 100000);
	EXPECT_TRUE(now == TCP_RTO_INIT);	/* one timeout, then the transfer ran on */
	EXPECT_EQ(100000, s->got);
	EXPECT_EQ(0, s->bad_stream);
	peer_free(s);
}

TEST(tcp_fails_on_a_corrupted_echo_byte)
{
	struct tcp_params p = params(100000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	uint8_t want = tcp_pattern(54321, p.seed);
	char why[512], expect[128];
	struct tcp_conn c;

	s->corrupt_at = 54321;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_FAILED, run(&c, s, &now));
	tcp_result(&c, why, sizeof(why));
	snprintf(expect, sizeof(expect), "byte 54321 came back as 0x%02x, sent as 0x%02x",
		 want ^ 0x20, want);
	EXPECT_STR_EQ(expect, why);
	EXPECT_EQ(54321, c.st.bytes_verified);
	EXPECT_TRUE(s->rst_seen);	/* the client tore the connection down */
	peer_free(s);
}

TEST(tcp_counts_and_drops_bad_checksums)
{
	struct tcp_params p = params(50000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;

	/* A payload bit flipped under an unchanged checksum: taken, it would fail the check. */
	s->bad_tcp_seg = 2;
	s->bad_ip_seg = 5;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(1, c.st.bad_tcp_csum);
	EXPECT_EQ(1, c.st.bad_ip_csum);
	EXPECT_EQ(50000, c.st.bytes_verified);
	EXPECT_TRUE(c.st.out_of_order > 0);	/* what followed the holes */
	peer_free(s);
}

TEST(tcp_fails_on_rst)
{
	struct tcp_params p = params(100000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;
	uint8_t f[2048];
	char why[512];

	s->rst_at = 20000;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_FAILED, run(&c, s, &now));
	tcp_result(&c, why, sizeof(why));
	EXPECT_CONTAINS(why, "connection reset by 10.11.0.2:7: ");
	EXPECT_TRUE(c.st.bytes_verified < 20000 + 1460);
	EXPECT_EQ(0, tcp_output(&c, now, f, sizeof(f)));	/* no RST to a RST */
	peer_free(s);

	s = peer_new(p.total, &now);
	s->refuse = true;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_FAILED, run(&c, s, &now));
	tcp_result(&c, why, sizeof(why));
	EXPECT_STR_EQ("connection refused: 10.11.0.2:7 answered the SYN with a RST", why);
	peer_free(s);
}

TEST(tcp_gives_up_on_a_silent_peer)
{
	struct tcp_params p = params(1000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;
	char why[512];

	s->silent = true;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_FAILED, run(&c, s, &now));
	tcp_result(&c, why, sizeof(why));
	EXPECT_CONTAINS(why, "no SYN-ACK from 10.11.0.2:7 to 9 SYNs over 55 s");
	EXPECT_EQ(TCP_MAX_RETRIES + 1, s->syns);
	EXPECT_TRUE(now <= p.timeout);
	/* The timeout doubles up to its cap. */
	for (unsigned int i = 2; i < s->syns; i++) {
		double gap = s->syn_t[i - 1] - s->syn_t[i - 2];

		EXPECT_EQ((long long)(gap * 2 < TCP_RTO_MAX ? gap * 2 : TCP_RTO_MAX),
			  (long long)(s->syn_t[i] - s->syn_t[i - 1]));
	}
	EXPECT_TRUE(s->syn_t[1] - s->syn_t[0] == TCP_RTO_INIT);
	peer_free(s);

	/* An overall timeout shorter than the retries. */
	now = 0;
	p.timeout = 10;
	s = peer_new(p.total, &now);
	s->silent = true;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_FAILED, run(&c, s, &now));
	tcp_result(&c, why, sizeof(why));
	EXPECT_STR_EQ("no SYN-ACK from 10.11.0.2:7 to 4 SYNs over 10 s", why);
	EXPECT_TRUE(now == 10);
	peer_free(s);
}

TEST(tcp_fails_when_the_peer_closes_early)
{
	struct tcp_params p = params(100000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;
	char why[512];

	s->fin_at = 30000;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_FAILED, run(&c, s, &now));
	tcp_result(&c, why, sizeof(why));
	EXPECT_STR_EQ("the peer closed the connection after 30000 of 100000 bytes came back", why);
	EXPECT_EQ(30000, c.st.bytes_verified);
	peer_free(s);
}

TEST(tcp_probes_a_zero_window)
{
	struct tcp_params p = params(30000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;
	char why[512];

	s->closed_until = 5;	/* shut from the SYN-ACK on; opens unannounced */
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(30000, c.st.bytes_verified);
	EXPECT_EQ(3, s->zero_probes);	/* at 1 s and 3 s refused, at 7 s taken */
	EXPECT_TRUE(now == 7);
	EXPECT_EQ(0, s->window_violations);
	peer_free(s);

	now = 0;
	s = peer_new(p.total, &now);
	s->closed_until = 1000;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_FAILED, run(&c, s, &now));
	tcp_result(&c, why, sizeof(why));
	EXPECT_STR_EQ("10.11.0.2:7 kept its window shut through 8 probes over 55 s: 0 of 30000 bytes acknowledged, 0 back intact",
		      why);
	peer_free(s);
}

TEST(tcp_peer_closing_first_after_the_echo_is_done)
{
	struct tcp_params p = params(30000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;
	char why[512];

	s->fin_at = 30000;	/* all back, then the peer's FIN before ours */
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(30000, c.st.bytes_verified);
	EXPECT_TRUE(s->fin_in);		/* we closed our side too */
	EXPECT_TRUE(s->fin_acked);
	peer_free(s);

	/* Not done until our FIN is acknowledged. */
	now = 0;
	s = peer_new(p.total, &now);
	s->fin_at = 30000;
	s->deaf_to_fin = true;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_FAILED, run(&c, s, &now));
	tcp_result(&c, why, sizeof(why));
	EXPECT_STR_EQ("no ACK from 10.11.0.2:7 through 8 retransmissions over 55 s: 30000 of 30000 bytes acknowledged, 30000 back intact",
		      why);
	EXPECT_EQ(TCP_MAX_RETRIES, c.st.retransmits);
	peer_free(s);
}

TEST(tcp_sequence_numbers_wrap)
{
	struct tcp_params p = params(100000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;

	/*
	 * Both sides wrap early; then across the wrap a retransmission, data
	 * out of order and a window that shrinks.
	 */
	p.isn = 0xffffffffu - 20000;
	s->isn = 0xffffffffu - 30000;
	s->drop_seg = 20;
	s->reorder_seg = 21;
	s->shrink_at = 40000;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(100000, c.st.bytes_verified);
	EXPECT_TRUE(c.st.retransmits >= 1);
	EXPECT_TRUE(c.st.out_of_order >= 1);
	EXPECT_EQ(0, c.st.duplicates);
	EXPECT_EQ(0, s->window_violations);
	EXPECT_TRUE(s->client_wrapped);
	EXPECT_TRUE(s->snd_nxt < 100000);	/* the peer's numbers wrapped as well */
	EXPECT_EQ(0, s->bad_stream);
	peer_free(s);
}

TEST(tcp_drops_out_of_order_data_and_recovers)
{
	struct tcp_params p = params(100000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	struct tcp_conn c;

	s->reorder_seg = 3;
	tcp_init(&c, &p, now);
	EXPECT_EQ(TCP_DONE, run(&c, s, &now));
	EXPECT_EQ(100000, c.st.bytes_verified);
	EXPECT_TRUE(c.st.out_of_order >= 1);
	/* The peer went back to the hole. */
	EXPECT_TRUE(s->echo_segs > (100000 + 1459) / 1460);
	peer_free(s);
}

TEST(tcp_input_ignores_other_frames_and_bad_lengths)
{
	struct tcp_params p = params(1000);
	double now = 0;
	struct peer *s = peer_new(p.total, &now);
	uint8_t f[2048], *echo, *ip;
	struct tcp_conn c;
	size_t len, n;

	tcp_init(&c, &p, now);
	/* SYN, SYN-ACK, then the 1000 bytes: the peer's echo of them is q[0]. */
	peer_input(s, f, tcp_output(&c, now, f, sizeof(f)));
	ASSERT_TRUE(s->nq == 1);
	EXPECT_EQ(1, tcp_input(&c, s->q[0], s->qlen[0], now));
	s->nq = 0;
	while ((len = tcp_output(&c, now, f, sizeof(f))))
		peer_input(s, f, len);
	ASSERT_TRUE(s->nq == 1);
	len = s->qlen[0];
	echo = malloc(len);
	memcpy(echo, s->q[0], len);
	ip = echo + 14;

	for (n = 0; n < len; n++)
		EXPECT_TRUE(tcp_input(&c, echo, n, now) <= 1);
	EXPECT_EQ(0, c.st.bytes_verified);
	EXPECT_EQ(TCP_RUNNING, tcp_result(&c, NULL, 0));
	EXPECT_EQ(len - (14 + 20 + 4), c.st.malformed + c.st.bad_tcp_csum);

	put_be16(ip + 20 + 2, CLIENT_PORT + 1);	/* another connection */
	EXPECT_EQ(0, tcp_input(&c, echo, len, now));
	put_be16(ip + 20 + 2, CLIENT_PORT);
	put_be32(ip + 12, NICRIG_GUEST_IP + 1);	/* another host */
	EXPECT_EQ(0, tcp_input(&c, echo, len, now));
	put_be32(ip + 12, NICRIG_GUEST_IP);
	put_be16(echo + 12, 0x86dd);
	EXPECT_EQ(0, tcp_input(&c, echo, len, now));
	put_be16(echo + 12, 0x0800);

	n = c.st.malformed;
	put_be16(ip + 6, 0x2000);	/* a first fragment: checksums right, not taken */
	put_be16(ip + 10, 0);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	EXPECT_EQ(1, tcp_input(&c, echo, len, now));
	EXPECT_EQ(n + 1, c.st.malformed);
	put_be16(ip + 6, 0);
	put_be16(ip + 10, 0);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	ip[20 + 12] = 0x40;		/* a TCP header shorter than 20 bytes */
	EXPECT_EQ(1, tcp_input(&c, echo, len, now));
	EXPECT_EQ(n + 2, c.st.malformed);
	ip[20 + 12] = 0x50;

	EXPECT_EQ(1, tcp_input(&c, echo, len, now));	/* whole again: taken */
	EXPECT_EQ(1000, c.st.bytes_verified);
	EXPECT_EQ(0, c.st.duplicates);
	EXPECT_EQ(1, tcp_input(&c, echo, len, now));	/* again: a duplicate, answered */
	EXPECT_EQ(1, c.st.duplicates);
	EXPECT_EQ(1000, c.st.bytes_verified);
	len = tcp_output(&c, now, f, sizeof(f));	/* FIN, all came back */
	EXPECT_EQ(14 + 20 + 20, len);
	EXPECT_EQ(ACK | FIN, f[14 + 20 + 13]);
	EXPECT_EQ(s->isn + 1 + 1000, get_be32(f + 14 + 20 + 8));
	EXPECT_EQ(p.isn + 1 + 1000, get_be32(f + 14 + 20 + 4));
	EXPECT_EQ(0, tcp_output(&c, now, f, sizeof(f)));
	free(echo);
	peer_free(s);
}
