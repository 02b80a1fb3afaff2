/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wire.h - the host end of the NIC's cable: a UNIX datagram socket that
 * QEMU's `-netdev dgram` backend exchanges Ethernet frames with, the probe
 * frames the tests send, and a pcap of both directions.
 */
#ifndef NICRIG_WIRE_H
#define NICRIG_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "rig.h"

struct pcap;
struct pcap_dumper;

struct wire {
	int fd;
	struct pcap *dead;
	struct pcap_dumper *dump;
	unsigned long tx_frames, rx_frames;
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
/* 0 sent, -EAGAIN peer queue full (poll for POLLOUT), other -errno failure. */
int wire_send(struct wire *w, const uint8_t *frame, size_t len);
/*
 * Reads one frame into the capture: 1 got one, 0 none pending, -errno.
 * If probe_seq, it receives probe_check() of the frame.
 */
int wire_recv(struct wire *w, int *probe_seq);
/* The seq of an intact udp4 probe (as probe_build makes them), or -1. */
int probe_check(const uint8_t *frame, size_t len);
void wire_close(struct wire *w);

/* Builds probe `seq` into buf; returns the frame length, 0 if cap is too small. */
size_t probe_build(const struct probe_spec *spec, uint32_t seq, uint8_t *buf, size_t cap);

int parse_mac(const char *s, uint8_t mac[6]);

#endif /* NICRIG_WIRE_H */
