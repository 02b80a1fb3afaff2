// SPDX-License-Identifier: GPL-2.0
/*
 * nicrig-wire.c - the wire endpoint on its own, for a person at `nicrig boot`
 * or a script: bind a UNIX datagram socket, point it at QEMU's, send probe
 * frames or the frames of a pcap file, capture both directions as pcap.
 *
 *   nicrig-wire --socket PATH --peer PATH [--frames TEMPLATE] [--count N]
 *               [--size BYTES] [--dst-mac MAC] [--write FILE] [--listen SECONDS]
 *               [--filter EXPR]
 *   nicrig-wire --socket PATH --peer PATH --pcap FILE [--filter EXPR]
 *               [--write FILE] [--listen SECONDS]
 *   nicrig-wire --socket PATH --peer PATH --reflect SECONDS [--write FILE]
 *
 * With --fcs every frame sent ends in its FCS (a rig with WIRE_FCS=yes,
 * whose NIC has fcs-on-wire); the capture stays without.
 *
 * --reflect makes the wire a loopback cable for SECONDS (0: until Ctrl-C):
 * every frame the NIC sends goes back into it, unchanged and in order (what
 * the kernel's AF_XDP suite, xskxceiver -i IF -i IF, needs), and says how many
 * at the end.
 *
 * --pcap replays the Ethernet frames of a pcap file instead of sending
 * probes, as fast as QEMU takes them; --write captures both directions
 * (tcpdump -w).  --filter is a tcpdump expression: only the
 * matching frames of the replayed file are sent, and only the matching
 * frames received are captured and counted (sent frames are always
 * captured).
 *
 * QEMU side: -netdev dgram,id=w,local.type=unix,local.path=PEER,
 *            remote.type=unix,remote.path=PATH
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testdef.h"
#include "wire.h"
#include "util.h"

#define STALL_S		10	/* QEMU took no frame for this long: give up */

static void usage(FILE *f)
{
	fprintf(f, "usage: nicrig-wire --socket PATH --peer PATH [--frames ");
	for (int i = 0; template_names[i]; i++)
		fprintf(f, "%s%s", i ? "|" : "", template_names[i]);
	fprintf(f, "]\n"
		"                   [--count N] [--size BYTES] [--dst-mac MAC] [--write FILE]\n"
		"                   [--listen SECONDS] [--filter EXPR]\n"
		"       nicrig-wire --socket PATH --peer PATH --pcap FILE [--filter EXPR]\n"
		"                   [--write FILE] [--listen SECONDS]\n"
		"--pcap: replay a capture's frames; --write: capture both directions;\n"
		"       nicrig-wire --socket PATH --peer PATH --reflect SECONDS [--write FILE]\n"
		"--filter: a tcpdump expression choosing the frames replayed, and the frames\n"
		"received that are captured and counted; --reflect: a loopback cable for\n"
		"SECONDS (0: until interrupted), every frame back to the NIC in order;\n"
		"--fcs: every frame sent ends in its FCS, for a NIC whose cable carries it\n"
		"(a rig with WIRE_FCS=yes: ixgbe, igc)\n");
}

/* Sends one frame, waiting while QEMU's queue is full; prints the error. */
static int send_frame(struct wire *w, const uint8_t *f, size_t len, const char *what,
		      unsigned long n)
{
	double stall = now() + STALL_S;

	for (;;) {
		struct pollfd p = { .fd = w->fd, .events = POLLOUT };
		int rc = wire_send(w, f, len);

		if (!rc)
			return 0;
		if (rc != -EAGAIN) {
			fprintf(stderr, "Error: sending %s %lu (%zu bytes): %s\n", what, n, len,
				strerror(-rc));
			return -1;
		}
		if (now() > stall) {
			fprintf(stderr, "Error: QEMU took no frame for %d s, at %s %lu\n", STALL_S,
				what, n);
			return -1;
		}
		poll(&p, 1, 100);
	}
}

static int send_probes(struct wire *w, const struct probe_spec *spec, unsigned long count)
{
	uint8_t frame[2048];

	for (unsigned long seq = 0; seq < count; seq++) {
		size_t len = probe_build(spec, seq, frame, sizeof(frame));

		if (send_frame(w, frame, len, "probe", seq))
			return -1;
	}
	return 0;
}

static int send_replay(struct wire *w, struct replay *r, const char *path)
{
	unsigned long sent = 0;
	const uint8_t *f;
	char err[512];
	size_t len;
	int rc;

	while ((rc = replay_next(r, &f, &len, err, sizeof(err))) == 1) {
		if (send_frame(w, f, len, "record", r->st.read))
			break;
		sent++;
	}
	printf("%s: %lu records read, %lu matched, %lu skipped (under 14 bytes, over 65535 or cut short by the snap length), %lu sent\n",
	       path, r->st.read, r->st.matched, r->st.skipped, sent);
	if (rc < 0)
		fprintf(stderr, "Error: %s: %s\n", path, err);
	return rc ? -1 : 0;
}

static void listen_for(struct wire *w, unsigned long seconds)
{
	double stop = now() + seconds;
	uint8_t frame[65536];

	while (now() < stop) {
		struct pollfd p = { .fd = w->fd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0)
			while (wire_recv_frame(w, frame, sizeof(frame)) > 0)
				;
	}
}

static volatile sig_atomic_t stop_reflect;

static void on_stop(int sig)
{
	(void)sig;
	stop_reflect = 1;
}

/*
 * The loopback cable: a frame QEMU has no room for is resent (send_frame
 * waits for POLLOUT), so the order holds and nothing is lost on the wire.
 */
static int reflect_for(struct wire *w, unsigned long seconds)
{
	double stop = now() + seconds;
	unsigned long frames = 0, bytes = 0;
	static uint8_t frame[65536];
	int rc = 0;

	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	while (!stop_reflect && (!seconds || now() < stop)) {
		struct pollfd p = { .fd = w->fd, .events = POLLIN };
		int n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		while ((n = wire_recv_frame(w, frame, sizeof(frame))) > 0) {
			if (send_frame(w, frame, n, "reflected frame", frames)) {
				rc = -1;
				goto out;
			}
			frames++;
			bytes += n;
		}
		if (n < 0) {
			fprintf(stderr, "Error: reading a frame to reflect: %s\n", strerror(-n));
			rc = -1;
			break;
		}
	}
out:
	printf("reflected %lu frames (%lu bytes)\n", frames, bytes);
	return rc;
}

/* A number option: digits only, within lo..hi. */
static int number_opt(const char *name, const char *s, unsigned long lo, unsigned long hi,
		      unsigned long *v)
{
	if (!parse_ulong(s, lo, hi, v))
		return 0;
	fprintf(stderr, "Error: --%s: '%s' is not a number in %lu..%lu\n", name, s, lo, hi);
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "peer", required_argument, NULL, 'p' },
		{ "frames", required_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'c' },
		{ "size", required_argument, NULL, 'z' },
		{ "dst-mac", required_argument, NULL, 'd' },
		{ "write", required_argument, NULL, 'w' },
		{ "listen", required_argument, NULL, 'l' },
		{ "pcap", required_argument, NULL, 'r' },
		{ "filter", required_argument, NULL, 'F' },
		{ "reflect", required_argument, NULL, 'R' },
		{ "fcs", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct probe_spec spec = { .tpl = TPL_UDP4, .size = 128,
				   .dst_mac = { 0x52, 0x54, 0x00, 0x6e, 0x72, 0x01 },
				   .src_mac = { 0x02, 0x6e, 0x72, 0x69, 0x67, 0x02 } };
	const char *sock = NULL, *peer = NULL, *capture = NULL, *replay = NULL, *filter = NULL;
	unsigned long count = 0, size = spec.size, listen_s = 0, reflect_s = 0;
	bool reflect = false, fcs = false;
	const char *probe_opt = NULL;	/* a probe option, which --pcap excludes */
	struct replay r = { 0 };
	char err[512];
	struct wire w;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': sock = optarg; break;
		case 'p': peer = optarg; break;
		case 'w': capture = optarg; break;
		case 'r': replay = optarg; break;
		case 'F': filter = optarg; break;
		case 'S': fcs = true; break;
		case 'f':
			probe_opt = "--frames";
			for (spec.tpl = 0; template_names[spec.tpl]; spec.tpl++)
				if (!strcmp(template_names[spec.tpl], optarg))
					break;
			if (!template_names[spec.tpl]) {
				fprintf(stderr, "Error: unknown frame template '%s'\n", optarg);
				return 2;
			}
			break;
		case 'c':
			probe_opt = "--count";
			if (number_opt("count", optarg, 0, UINT32_MAX, &count))
				return 2;
			break;
		case 'z':
			probe_opt = "--size";
			if (number_opt("size", optarg, 60, 1514, &size))
				return 2;
			spec.size = size;
			break;
		case 'l':
			if (number_opt("listen", optarg, 0, 86400, &listen_s))
				return 2;
			break;
		case 'R':
			if (number_opt("reflect", optarg, 0, 86400, &reflect_s))
				return 2;
			reflect = true;
			break;
		case 'd':
			probe_opt = "--dst-mac";
			if (parse_mac(optarg, spec.dst_mac)) {
				fprintf(stderr, "Error: '%s' is not a MAC address\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!sock || !peer) {
		fprintf(stderr, "Error: --socket and --peer are required\n");
		usage(stderr);
		return 2;
	}
	if (replay && probe_opt) {
		fprintf(stderr, "Error: %s does not go with --pcap (it replays the file's frames)\n",
			probe_opt);
		return 2;
	}
	if (reflect && (replay || probe_opt || filter || listen_s)) {
		fprintf(stderr, "Error: --reflect sends only what comes from the NIC: it does not go with %s\n",
			replay ? "--pcap" : probe_opt ? probe_opt : filter ? "--filter" : "--listen");
		return 2;
	}
	if (replay && replay_open(&r, replay, filter, err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return 1;
	}
	if (wire_open(&w, sock, capture, err, sizeof(err)) ||
	    (w.fcs = fcs, wire_connect(&w, peer, err, sizeof(err))) ||
	    (filter && wire_set_filter(&w, filter, err, sizeof(err)))) {
		fprintf(stderr, "Error: %s\n", err);
		replay_close(&r);
		wire_close(&w);
		unlink(sock);
		return 1;
	}
	if (reflect)
		rc = reflect_for(&w, reflect_s);
	else
		rc = replay ? send_replay(&w, &r, replay) : send_probes(&w, &spec, count);
	if (!rc && !reflect)
		listen_for(&w, listen_s);
	printf("sent %lu frames, received %lu", w.tx_frames, w.rx_frames);
	if (filter)
		printf(" matching the filter (%lu more did not)", w.rx_filtered);
	printf("\n");
	replay_close(&r);
	wire_close(&w);
	unlink(sock);
	return rc ? 1 : 0;
}
