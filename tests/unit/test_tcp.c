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

/* A client, its scripted peer and the clock they share. */
struct echo {
	struct tcp_params p;
	struct tcp_conn c;
	struct peer *s;
	double now;
	char why[512];
};

/* A client of total bytes against a well-behaved peer at time 0: script e->p and e->s. */
static void echo_new(struct echo *e, size_t total)
{
	e->p = params(total);
	e->now = 0;
	e->s = peer_new(total, &e->now);
}

static void echo_free(struct echo *e)
{
	peer_free(e->s);
	e->s = NULL;
}

/* Hands the peer every frame the client has to send now: one burst; how many. */
static int client_flush(struct echo *e)
{
	struct peer *s = e->s;
	uint8_t f[2048];
	size_t len;
	int n = 0;

	s->burst = 0;
	while ((len = tcp_output(&e->c, e->now, f, sizeof(f)))) {
		peer_input(s, f, len);
		n++;
	}
	if (s->burst > s->max_burst)
		s->max_burst = s->burst;
	return n;
}

/* Hands the client every frame the peer has queued; how many. */
static int peer_flush(struct echo *e)
{
	struct peer *s = e->s;
	int n = s->nq;

	for (int i = 0; i < n; i++)
		if (tcp_input(&e->c, s->q[i], s->qlen[i], e->now) != 1)
			s->not_taken++;
	s->nq = 0;
	return n;
}

/* tcp_init(), the SYN to the peer and its answer to the client: how many frames it sent. */
static int echo_connect(struct echo *e)
{
	tcp_init(&e->c, &e->p, e->now);
	client_flush(e);
	return peer_flush(e);
}

/*
 * Connects and runs client and peer until the client is done or failed, or
 * nothing can happen; the result, and its reason in e->why.
 */
static enum tcp_result run(struct echo *e)
{
	echo_connect(e);
	for (int round = 0; round < 100000; round++) {
		bool moved = client_flush(e) > 0;
		double next;

		moved |= peer_flush(e) > 0;
		if (moved)
			continue;
		if (tcp_result(&e->c, NULL, 0) != TCP_RUNNING)
			break;
		if (peer_kick(e->s))
			continue;
		next = tcp_next_timer(&e->c);
		if (isinf(next))
			break;
		if (next > e->now)
			e->now = next;
	}
	return tcp_result(&e->c, e->why, sizeof(e->why));
}

TEST(tcp_echo_of_100000_bytes_completes)
{
	struct echo e;
	struct peer *s;

	echo_new(&e, 100000);
	s = e.s;
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(TCP_DONE, tcp_result(&e.c, e.why, sizeof(e.why)));
	EXPECT_CONTAINS(e.why, "100000 bytes through 10.11.0.2:7");
	EXPECT_EQ(100000, e.c.st.bytes_verified);
	EXPECT_EQ(100000, e.c.st.bytes_acked);
	EXPECT_EQ(100000, e.c.st.bytes_sent);
	EXPECT_EQ(0, e.c.st.retransmits);
	EXPECT_EQ(0, e.c.st.bad_ip_csum + e.c.st.bad_tcp_csum + e.c.st.malformed);
	EXPECT_EQ(0, e.c.st.out_of_order + e.c.st.duplicates);
	EXPECT_TRUE(e.now == 0);	/* no timer ever fired */
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
	EXPECT_EQ(0, client_flush(&e));		/* nothing left to send */
	EXPECT_TRUE(isinf(tcp_next_timer(&e.c)));
	echo_free(&e);
}

TEST(tcp_honours_a_small_window_and_the_peer_mss)
{
	struct echo e;

	echo_new(&e, 20000);
	e.s->window = 3000;
	e.s->mss = 536;
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(20000, e.c.st.bytes_verified);
	EXPECT_EQ(536, e.s->max_payload);
	EXPECT_EQ(0, e.s->window_violations);
	EXPECT_EQ(6, e.s->max_burst);	/* 5 x 536 + 320 fill 3000 */
	echo_free(&e);

	/* No MSS option: 536, the default. */
	echo_new(&e, 20000);
	e.p.mss = 1000;
	e.s->mss = 0;
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(536, e.s->max_payload);
	EXPECT_EQ(1000, e.s->client_mss);
	echo_free(&e);
}

TEST(tcp_retransmits_a_dropped_segment)
{
	struct echo e;

	echo_new(&e, 100000);
	e.s->drop_seg = 3;
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(100000, e.c.st.bytes_verified);
	EXPECT_TRUE(e.c.st.retransmits >= 1);
	EXPECT_TRUE(e.c.st.bytes_sent > 100000);
	EXPECT_TRUE(e.now == TCP_RTO_INIT);	/* one timeout, then the transfer ran on */
	EXPECT_EQ(100000, e.s->got);
	EXPECT_EQ(0, e.s->bad_stream);
	echo_free(&e);
}

TEST(tcp_fails_on_a_corrupted_echo_byte)
{
	char expect[128];
	struct echo e;
	uint8_t want;

	echo_new(&e, 100000);
	want = tcp_pattern(54321, e.p.seed);
	e.s->corrupt_at = 54321;
	EXPECT_EQ(TCP_FAILED, run(&e));
	snprintf(expect, sizeof(expect), "byte 54321 came back as 0x%02x, sent as 0x%02x",
		 want ^ 0x20, want);
	EXPECT_STR_EQ(expect, e.why);
	EXPECT_EQ(54321, e.c.st.bytes_verified);
	EXPECT_TRUE(e.s->rst_seen);	/* the client tore the connection down */
	echo_free(&e);
}

TEST(tcp_counts_and_drops_bad_checksums)
{
	struct echo e;

	echo_new(&e, 50000);
	/* A payload bit flipped under an unchanged checksum: taken, it would fail the check. */
	e.s->bad_tcp_seg = 2;
	e.s->bad_ip_seg = 5;
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(1, e.c.st.bad_tcp_csum);
	EXPECT_EQ(1, e.c.st.bad_ip_csum);
	EXPECT_EQ(50000, e.c.st.bytes_verified);
	EXPECT_TRUE(e.c.st.out_of_order > 0);	/* what followed the holes */
	echo_free(&e);
}

TEST(tcp_fails_on_rst)
{
	struct echo e;

	echo_new(&e, 100000);
	e.s->rst_at = 20000;
	EXPECT_EQ(TCP_FAILED, run(&e));
	EXPECT_CONTAINS(e.why, "connection reset by 10.11.0.2:7: ");
	EXPECT_TRUE(e.c.st.bytes_verified < 20000 + 1460);
	EXPECT_EQ(0, client_flush(&e));		/* no RST to a RST */
	EXPECT_TRUE(!e.s->rst_seen);		/* not even one run() sent already */
	echo_free(&e);

	echo_new(&e, 100000);
	e.s->refuse = true;
	EXPECT_EQ(TCP_FAILED, run(&e));
	EXPECT_STR_EQ("connection refused: 10.11.0.2:7 answered the SYN with a RST", e.why);
	echo_free(&e);
}

TEST(tcp_gives_up_on_a_silent_peer)
{
	struct echo e;
	struct peer *s;

	echo_new(&e, 1000);
	s = e.s;
	s->silent = true;
	EXPECT_EQ(TCP_FAILED, run(&e));
	EXPECT_CONTAINS(e.why, "no SYN-ACK from 10.11.0.2:7 to 9 SYNs over 55 s");
	EXPECT_EQ(TCP_MAX_RETRIES + 1, s->syns);
	EXPECT_TRUE(e.now <= e.p.timeout);
	/* The timeout doubles up to its cap. */
	for (unsigned int i = 2; i < s->syns; i++) {
		double gap = s->syn_t[i - 1] - s->syn_t[i - 2];

		EXPECT_EQ((long long)(gap * 2 < TCP_RTO_MAX ? gap * 2 : TCP_RTO_MAX),
			  (long long)(s->syn_t[i] - s->syn_t[i - 1]));
	}
	EXPECT_TRUE(s->syn_t[1] - s->syn_t[0] == TCP_RTO_INIT);
	echo_free(&e);

	/* An overall timeout shorter than the retries. */
	echo_new(&e, 1000);
	e.p.timeout = 10;
	e.s->silent = true;
	EXPECT_EQ(TCP_FAILED, run(&e));
	EXPECT_STR_EQ("no SYN-ACK from 10.11.0.2:7 to 4 SYNs over 10 s", e.why);
	EXPECT_TRUE(e.now == 10);
	echo_free(&e);
}

TEST(tcp_fails_when_the_peer_closes_early)
{
	struct echo e;

	echo_new(&e, 100000);
	e.s->fin_at = 30000;
	EXPECT_EQ(TCP_FAILED, run(&e));
	EXPECT_STR_EQ("the peer closed the connection after 30000 of 100000 bytes came back",
		      e.why);
	EXPECT_EQ(30000, e.c.st.bytes_verified);
	echo_free(&e);
}

TEST(tcp_probes_a_zero_window)
{
	struct echo e;

	echo_new(&e, 30000);
	e.s->closed_until = 5;	/* shut from the SYN-ACK on; opens unannounced */
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(30000, e.c.st.bytes_verified);
	EXPECT_EQ(3, e.s->zero_probes);	/* at 1 s and 3 s refused, at 7 s taken */
	EXPECT_TRUE(e.now == 7);
	EXPECT_EQ(0, e.s->window_violations);
	echo_free(&e);

	echo_new(&e, 30000);
	e.s->closed_until = 1000;
	EXPECT_EQ(TCP_FAILED, run(&e));
	EXPECT_STR_EQ("10.11.0.2:7 kept its window shut through 8 probes over 55 s: 0 of 30000 bytes acknowledged, 0 back intact",
		      e.why);
	echo_free(&e);
}

TEST(tcp_peer_closing_first_after_the_echo_is_done)
{
	struct echo e;

	echo_new(&e, 30000);
	e.s->fin_at = 30000;	/* all back, then the peer's FIN before ours */
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(30000, e.c.st.bytes_verified);
	EXPECT_TRUE(e.s->fin_in);	/* we closed our side too */
	EXPECT_TRUE(e.s->fin_acked);
	echo_free(&e);

	/* Not done until our FIN is acknowledged. */
	echo_new(&e, 30000);
	e.s->fin_at = 30000;
	e.s->deaf_to_fin = true;
	EXPECT_EQ(TCP_FAILED, run(&e));
	EXPECT_STR_EQ("no ACK from 10.11.0.2:7 through 8 retransmissions over 55 s: 30000 of 30000 bytes acknowledged, 30000 back intact",
		      e.why);
	EXPECT_EQ(TCP_MAX_RETRIES, e.c.st.retransmits);
	echo_free(&e);
}

TEST(tcp_sequence_numbers_wrap)
{
	struct echo e;

	/*
	 * Both sides wrap early; then across the wrap a retransmission, data
	 * out of order and a window that shrinks.
	 */
	echo_new(&e, 100000);
	e.p.isn = 0xffffffffu - 20000;
	e.s->isn = 0xffffffffu - 30000;
	e.s->drop_seg = 20;
	e.s->reorder_seg = 21;
	e.s->shrink_at = 40000;
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(100000, e.c.st.bytes_verified);
	EXPECT_TRUE(e.c.st.retransmits >= 1);
	EXPECT_TRUE(e.c.st.out_of_order >= 1);
	EXPECT_EQ(0, e.c.st.duplicates);
	EXPECT_EQ(0, e.s->window_violations);
	EXPECT_TRUE(e.s->client_wrapped);
	EXPECT_TRUE(e.s->snd_nxt < 100000);	/* the peer's numbers wrapped as well */
	EXPECT_EQ(0, e.s->bad_stream);
	echo_free(&e);
}

TEST(tcp_drops_out_of_order_data_and_recovers)
{
	struct echo e;

	echo_new(&e, 100000);
	e.s->reorder_seg = 3;
	EXPECT_EQ(TCP_DONE, run(&e));
	EXPECT_EQ(100000, e.c.st.bytes_verified);
	EXPECT_TRUE(e.c.st.out_of_order >= 1);
	/* The peer went back to the hole. */
	EXPECT_TRUE(e.s->echo_segs > (100000 + 1459) / 1460);
	echo_free(&e);
}

TEST(tcp_input_ignores_other_frames_and_bad_lengths)
{
	uint8_t f[2048], *seg, *ip;
	struct echo e;
	struct peer *s;
	size_t len, n;

	echo_new(&e, 1000);
	s = e.s;
	/* SYN, SYN-ACK, then the 1000 bytes: the peer's echo of them is q[0]. */
	ASSERT_TRUE(echo_connect(&e) == 1);
	EXPECT_EQ(0, s->not_taken);
	client_flush(&e);
	ASSERT_TRUE(s->nq == 1);
	len = s->qlen[0];
	seg = malloc(len);
	memcpy(seg, s->q[0], len);
	ip = seg + 14;

	for (n = 0; n < len; n++)
		EXPECT_TRUE(tcp_input(&e.c, seg, n, e.now) <= 1);
	EXPECT_EQ(0, e.c.st.bytes_verified);
	EXPECT_EQ(TCP_RUNNING, tcp_result(&e.c, NULL, 0));
	EXPECT_EQ(len - (14 + 20 + 4), e.c.st.malformed + e.c.st.bad_tcp_csum);

	put_be16(ip + 20 + 2, CLIENT_PORT + 1);	/* another connection */
	EXPECT_EQ(0, tcp_input(&e.c, seg, len, e.now));
	put_be16(ip + 20 + 2, CLIENT_PORT);
	put_be32(ip + 12, NICRIG_GUEST_IP + 1);	/* another host */
	EXPECT_EQ(0, tcp_input(&e.c, seg, len, e.now));
	put_be32(ip + 12, NICRIG_GUEST_IP);
	put_be16(seg + 12, 0x86dd);
	EXPECT_EQ(0, tcp_input(&e.c, seg, len, e.now));
	put_be16(seg + 12, 0x0800);

	n = e.c.st.malformed;
	put_be16(ip + 6, 0x2000);	/* a first fragment: checksums right, not taken */
	put_be16(ip + 10, 0);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	EXPECT_EQ(1, tcp_input(&e.c, seg, len, e.now));
	EXPECT_EQ(n + 1, e.c.st.malformed);
	put_be16(ip + 6, 0);
	put_be16(ip + 10, 0);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	ip[20 + 12] = 0x40;		/* a TCP header shorter than 20 bytes */
	EXPECT_EQ(1, tcp_input(&e.c, seg, len, e.now));
	EXPECT_EQ(n + 2, e.c.st.malformed);
	ip[20 + 12] = 0x50;

	EXPECT_EQ(1, tcp_input(&e.c, seg, len, e.now));	/* whole again: taken */
	EXPECT_EQ(1000, e.c.st.bytes_verified);
	EXPECT_EQ(0, e.c.st.duplicates);
	EXPECT_EQ(1, tcp_input(&e.c, seg, len, e.now));	/* again: a duplicate, answered */
	EXPECT_EQ(1, e.c.st.duplicates);
	EXPECT_EQ(1000, e.c.st.bytes_verified);
	len = tcp_output(&e.c, e.now, f, sizeof(f));	/* FIN, all came back */
	EXPECT_EQ(14 + 20 + 20, len);
	EXPECT_EQ(ACK | FIN, f[14 + 20 + 13]);
	EXPECT_EQ(s->isn + 1 + 1000, get_be32(f + 14 + 20 + 8));
	EXPECT_EQ(e.p.isn + 1 + 1000, get_be32(f + 14 + 20 + 4));
	EXPECT_EQ(0, tcp_output(&e.c, e.now, f, sizeof(f)));
	free(seg);
	echo_free(&e);
}
