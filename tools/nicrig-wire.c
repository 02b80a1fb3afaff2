// SPDX-License-Identifier: GPL-2.0
/*
 * nicrig-wire.c - the wire endpoint on its own, for a person at `nicrig boot`
 * or a script: bind a UNIX datagram socket, point it at QEMU's, send probe
 * frames, capture both directions as pcap.
 *
 *   nicrig-wire --socket PATH --peer PATH [--frames udp4|udp6|vlan|qinq|gretap]
 *               [--count N] [--size BYTES] [--dst-mac MAC] [--pcap FILE]
 *               [--listen SECONDS]
 *
 * QEMU side: -netdev dgram,id=w,local.type=unix,local.path=PEER,
 *            remote.type=unix,remote.path=PATH
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rig.h"
#include "wire.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: nicrig-wire --socket PATH --peer PATH [--frames %s|%s|%s|%s|%s]\n"
		"                   [--count N] [--size BYTES] [--dst-mac MAC] [--pcap FILE] [--listen SECONDS]\n",
		template_names[0], template_names[1], template_names[2], template_names[3],
		template_names[4]);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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
		{ "pcap", required_argument, NULL, 'w' },
		{ "listen", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct probe_spec spec = { .tpl = TPL_UDP4, .size = 128,
				   .dst_mac = { 0x52, 0x54, 0x00, 0x6e, 0x72, 0x01 },
				   .src_mac = { 0x02, 0x6e, 0x72, 0x69, 0x67, 0x02 } };
	const char *sock = NULL, *peer = NULL, *pcap = NULL;
	unsigned long count = 0, listen_s = 0;
	char err[512], *end;
	struct wire w;
	double stop;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': sock = optarg; break;
		case 'p': peer = optarg; break;
		case 'w': pcap = optarg; break;
		case 'f':
			for (spec.tpl = 0; template_names[spec.tpl]; spec.tpl++)
				if (!strcmp(template_names[spec.tpl], optarg))
					break;
			if (!template_names[spec.tpl]) {
				fprintf(stderr, "Error: unknown frame template '%s'\n", optarg);
				return 2;
			}
			break;
		case 'c':
		case 'z':
		case 'l': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (!*optarg || *end) {
				fprintf(stderr, "Error: '%s' is not a number\n", optarg);
				return 2;
			}
			if (c == 'c')
				count = v;
			else if (c == 'z')
				spec.size = v;
			else
				listen_s = v;
			break;
		}
		case 'd':
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
	if (!sock || !peer) {
		fprintf(stderr, "Error: --socket and --peer are required\n");
		usage(stderr);
		return 2;
	}
	if (spec.size < 60 || spec.size > 1514) {
		fprintf(stderr, "Error: --size must be 60..1514\n");
		return 2;
	}
	if (wire_open(&w, sock, pcap, err, sizeof(err)) ||
	    wire_connect(&w, peer, err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return 1;
	}
	stop = now() + listen_s + 10;
	for (unsigned long seq = 0; seq < count;) {
		uint8_t frame[2048];
		size_t len = probe_build(&spec, seq, frame, sizeof(frame));
		int rc = wire_send(&w, frame, len);

		if (rc == -EAGAIN) {
			struct pollfd p = { .fd = w.fd, .events = POLLOUT };

			if (now() > stop) {
				fprintf(stderr, "Error: QEMU stopped taking frames after %lu of %lu\n", seq, count);
				wire_close(&w);
				unlink(sock);
				return 1;
			}
			poll(&p, 1, 100);
			continue;
		}
		if (rc) {
			fprintf(stderr, "Error: sending frame %lu: %s\n", seq, strerror(-rc));
			wire_close(&w);
			unlink(sock);
			return 1;
		}
		seq++;
	}
	stop = now() + listen_s;
	while (now() < stop) {
		struct pollfd p = { .fd = w.fd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0)
			while (wire_recv(&w, NULL) > 0)
				;
	}
	printf("sent %lu frames, received %lu\n", w.tx_frames, w.rx_frames);
	wire_close(&w);
	unlink(sock);
	return 0;
}
