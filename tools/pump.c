// SPDX-License-Identifier: GPL-2.0
/*
 * pump.c - the wire pump: probes onto the cable, what comes back, the TCP client.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "run.h"
#include "util.h"

/*
 * Points the wire at QEMU's end, once the agent has said hello: QEMU has
 * certainly bound its socket by then (it connects its chardevs before its
 * netdevs, and the guest has booted).  From then on the wire answers the
 * guest's ARP and Neighbour Solicitations, even before the first test that
 * sends.
 */
int wire_ensure_connected(struct run *r)
{
	char path[128], err[256];

	if (r->pump.connected)
		return 0;
	snprintf(path, sizeof(path), "%s/qemu.sock", r->proc.tmp);
	if (wire_connect(&r->pump.wire, path, err, sizeof(err))) {
		fatal(r, "%s", err);
		return -1;
	}
	r->pump.connected = true;
	return 0;
}

/* Counts the probes the wire gets from now on, once each. */
void count_begin(struct run *r, struct test_result *t)
{
	memset(r->tx.seen, 0, sizeof(r->tx.seen));
	memset(r->tx.at, 0, sizeof(r->tx.at));
	r->tx.got = 0;
	r->tx.expect = -1;
	t->started = true;
	r->tx.counting = true;
}

/* Starts sending the test's probes (wire_pump does the sending). */
void send_begin(struct run *r, struct test_result *t)
{
	r->pump.spec.tpl = t->def.frames;
	r->pump.spec.size = t->def.size;
	r->pump.spec.test_id = r->cur + 1;
	r->pump.sending = true;
	r->pump.next_seq = 0;
	r->pump.t0 = now();
	r->pump.cpu_qemu0 = r->pump.cpu_wire0 = -1;
	if (test_is_rate(&t->def)) {
		r->pump.cpu_qemu0 = cpu_seconds(r->proc.pid);
		r->pump.cpu_wire0 = cpu_seconds(0);
	}
	t->started = true;
	if (t->def.fault.kind != FAULT_NONE)
		fault_begin(r, t);
}

/*
 * Connects the wire's TCP client to the guest's echo server on port: COUNT
 * segments of SIZE-byte frames.  The sequence numbers start just below 2^32,
 * so both ends wrap early in the stream.
 */
int tcp_begin(struct run *r, struct test_result *t, uint16_t port)
{
	struct tcp_params p = { .src_ip = NICRIG_WIRE_IP, .dst_ip = NICRIG_GUEST_IP,
				.sport = 40000 + (r->cur & 0x3ff), .isn = 0xfffff000u,
				.seed = r->cur + 1 };

	if (t->def.size < 60 + 54 || t->def.size > 1514) {
		fatal(r, "test %s: a TCP echo test needs a SIZE of 114..1514 (got %u)",
		      t->def.name, t->def.size);
		return -1;
	}
	count_begin(r, t);
	memcpy(p.src_mac, r->pump.spec.src_mac, 6);
	memcpy(p.dst_mac, r->pump.spec.dst_mac, 6);
	p.dport = port;
	p.mss = t->def.size - 54;
	p.total = (size_t)t->def.count * p.mss;
	p.timeout = t->def.timeout * r->timeout_scale;
	tcp_init(&r->pump.tcp, &p, now());
	r->pump.tcp_on = true;
	r->pump.tcp_frame_len = 0;
	ctl_write(r, "sent %s %zu", t->def.name, p.total);
	return 0;
}

/*
 * Sends what the TCP client has to send now.  A segment QEMU's socket has no
 * room for waits for POLLOUT (the wire itself loses nothing).
 */
void tcp_pump(struct run *r)
{
	while (r->pump.tcp_on) {
		int err;

		if (!r->pump.tcp_frame_len)
			r->pump.tcp_frame_len = tcp_output(&r->pump.tcp, now(), r->pump.tcp_frame, sizeof(r->pump.tcp_frame));
		if (!r->pump.tcp_frame_len)
			return;
		err = wire_send(&r->pump.wire, r->pump.tcp_frame, r->pump.tcp_frame_len);
		if (err == -EAGAIN) {
			r->pump.blocked = true;
			return;
		}
		if (err) {
			fatal(r, "sending a TCP segment to QEMU: %s", strerror(-err));
			return;
		}
		r->pump.tcp_frame_len = 0;
	}
}

/*
 * Reads what the guest sent: answers ARP and Neighbour Solicitations for the
 * wire's addresses, hands the TCP client its segments, and counts the current
 * test's probes once each.
 */
void wire_drain(struct run *r)
{
	static uint8_t frame[65536];
	int n;

	while ((n = wire_recv_frame(&r->pump.wire, frame, sizeof(frame))) > 0) {
		uint8_t reply[128];
		size_t rlen = wire_arp_reply(frame, n, r->pump.spec.src_mac, NICRIG_WIRE_IP, reply, sizeof(reply));
		int seq;

		if (!rlen)
			rlen = wire_ns_reply(frame, n, r->pump.spec.src_mac, nicrig_wire_ip6, reply,
					     sizeof(reply));
		if (rlen) {
			(void)wire_send(&r->pump.wire, reply, rlen);	/* if lost, the guest asks again */
			continue;
		}
		if (r->pump.tcp_on && tcp_input(&r->pump.tcp, frame, n, now()))
			continue;
		if (!r->tx.counting)
			continue;
		seq = probe_check(frame, n);
		if (seq < 0)
			continue;
		if (r->tx.seen[seq >> 3] & (1 << (seq & 7)))
			continue;
		r->tx.seen[seq >> 3] |= 1 << (seq & 7);
		if (seq < TX_AT_MAX)
			r->tx.at[seq] = r->pump.wire.rx_ns;
		r->tx.got++;
	}
}

/*
 * Puts probe seq on the cable: 0 sent; else not, and the pump stops for
 * now: QEMU's queue is full (wait for POLLOUT), QEMU is gone or the run
 * failed.
 */
int probe_send(struct run *r, const uint8_t *frame, size_t len, unsigned int seq, unsigned int flags)
{
	int err = wire_send_fcs(&r->pump.wire, frame, len, flags);

	if (err == -EAGAIN) {
		r->pump.blocked = true;
		return 1;
	}
	/* QEMU's end is gone: if QEMU died, its exit is the cause (on_qemu_exit). */
	if ((err == -ECONNREFUSED || err == -EPIPE) && qemu_exited_within(r, 1.0))
		return 1;
	if (err) {
		fatal(r, "sending probe %u (%zu bytes) to QEMU: %s", seq, len, strerror(-err));
		return -1;
	}
	return 0;
}

/* Sends as many probes as the peer accepts; `sent` once all are out. */
void wire_pump(struct run *r)
{
	struct test_result *t = &r->res->tests[r->cur];
	static uint8_t frame[NICRIG_FRAME_MAX];

	if (r->pump.faulting) {
		fault_pump(r);
		return;
	}
	while (r->pump.sending && r->pump.next_seq < t->def.count) {
		size_t len;

		/* A paced test sends probe n no earlier than n / RATE s after the first. */
		if (t->def.rate && r->pump.next_seq > (now() - r->pump.t0) * t->def.rate)
			return;
		r->pump.spec.size = test_probe_size(&t->def, r->pump.next_seq);
		len = probe_build(&r->pump.spec, r->pump.next_seq, frame, sizeof(frame));
		if (!len) {
			fatal(r, "cannot build a %s probe of %u bytes", template_names[r->pump.spec.tpl],
			      r->pump.spec.size);
			return;
		}
		if (probe_send(r, frame, len, r->pump.next_seq, 0))
			return;
		r->pump.next_seq++;
	}
	if (r->pump.sending) {
		r->pump.sending = false;
		cpu_cost_report(r, t);
		ctl_write(r, "sent %s %u", t->def.name, t->def.count);
	}
}

/*
 * A WIRE=reflect test: the cable becomes a loopback plug.  The agent learns
 * the readers it is to report (`run TEST READER`, one line each), then
 * `reflecting TEST N` says the loop is closed.
 */
void reflect_begin(struct run *r, struct test_result *t)
{
	r->pump.reflecting = true;
	r->pump.held_len = 0;
	r->pump.reflected = r->pump.reflected_bytes = r->pump.dropped = r->pump.nth = 0;
	t->started = true;
	for (int i = 0; i < t->nreaders; i++)
		ctl_write(r, "run %s %s", t->def.name, t->readers[i].name);
	ctl_write(r, "reflecting %s %d", t->def.name, t->nreaders);
}

/* The loop opens again: the counters go into the test's diagnostics and reflect.tsv. */
void reflect_end(struct run *r, struct test_result *t)
{
	char line[256], path[600];
	FILE *f;

	if (!r->pump.reflecting)
		return;
	r->pump.reflecting = false;
	r->pump.blocked = false;
	snprintf(line, sizeof(line), "# wire: reflected %lu frames (%lu bytes) back into the NIC%s",
		 r->pump.reflected, r->pump.reflected_bytes, r->pump.held_len ? ", 1 more in flight at the end" : "");
	diag_add(t, line);
	if (r->o->break_reflect) {
		snprintf(line, sizeof(line), "# wire: --break-reflect dropped %lu frames (every %uth of %lu)",
			 r->pump.dropped, r->o->break_reflect, r->pump.nth);
		diag_add(t, line);
	}
	r->pump.held_len = 0;
	snprintf(path, sizeof(path), "%s/reflect.tsv", r->res->out_dir);
	f = fopen(path, "a");
	if (!f)
		return;
	if (!ftell(f))
		fprintf(f, "test\tframes_from_nic\treflected\treflected_bytes\tdropped\n");
	fprintf(f, "%s\t%lu\t%lu\t%lu\t%lu\n", t->def.name, r->pump.nth, r->pump.reflected,
		r->pump.reflected_bytes, r->pump.dropped);
	fclose(f);
}

/*
 * Sends every frame the NIC transmitted back to it, unchanged and in order.
 * A frame QEMU has no room for is held and goes first once POLLOUT says so;
 * meanwhile the runner reads nothing more (the socket's buffer, then QEMU's
 * queue, hold the rest), so the order is kept and the cable loses nothing.
 * --break-reflect N drops every Nth frame instead (a test of the tests).
 */
void reflect_pump(struct run *r)
{
	while (r->pump.reflecting) {
		int err;

		if (!r->pump.held_len) {
			int n = wire_recv_frame(&r->pump.wire, r->pump.held, sizeof(r->pump.held));

			if (n < 0 && n != -EAGAIN && n != -EINTR) {
				fatal(r, "reading a frame to reflect: %s", strerror(-n));
				return;
			}
			if (n <= 0)
				return;
			r->pump.nth++;
			if (r->o->break_reflect && r->pump.nth % r->o->break_reflect == 0) {
				r->pump.dropped++;
				continue;
			}
			r->pump.held_len = n;
		}
		err = wire_send(&r->pump.wire, r->pump.held, r->pump.held_len);
		if (err == -EAGAIN) {
			r->pump.blocked = true;
			return;
		}
		if (err) {
			fatal(r, "reflecting a %zu-byte frame to QEMU: %s", r->pump.held_len, strerror(-err));
			return;
		}
		r->pump.reflected++;
		r->pump.reflected_bytes += r->pump.held_len;
		r->pump.held_len = 0;
	}
}
