/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xsk.h - just enough AF_XDP for the tests: one UMEM and one socket per
 * queue, rings mapped by hand (libbpf dropped its xsk API and the rig has no
 * libxdp), bound in zero-copy or copy mode.
 */
#ifndef NICRIG_XSK_H
#define NICRIG_XSK_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/if_xdp.h>

#define XSK_FRAME_SIZE	4096
#define XSK_NUM_FRAMES	4096
#define XSK_RING_SIZE	2048

struct xsk_ring {
	uint32_t *producer, *consumer, *flags;
	void *ring;
	uint32_t mask, size;
	size_t map_len;
	void *map;
};

/* xsk_open flags */
#define XSK_ZEROCOPY	1u	/* XDP_ZEROCOPY, else XDP_COPY */
#define XSK_NEED_WAKEUP	2u	/* XDP_USE_NEED_WAKEUP: kick the driver when it asks */
#define XSK_FEW_FRAMES	4u	/* only XSK_FEW receive frames: fewer than a NIC ring */
#define XSK_TX_METADATA	8u	/* UMEM with TX metadata (struct xsk_txmd) in front of frames */
#define XSK_FEW		64

/*
 * struct xsk_tx_metadata and XDP_TX_METADATA (<linux/if_xdp.h> since 6.8),
 * declared here because the build host's headers may be older.
 */
struct xsk_txmd {
	uint64_t flags;
	union {
		struct {
			uint16_t csum_start, csum_offset;
			uint32_t reserved;
			uint64_t launch_time;
		} request;
		struct {
			uint64_t tx_timestamp;
		} completion;
	};
};
#define XSK_TXMD_TIMESTAMP	(1u << 0)	/* XDP_TXMD_FLAGS_TIMESTAMP */
#define XSK_TXMD_LAUNCH_TIME	(1u << 2)	/* XDP_TXMD_FLAGS_LAUNCH_TIME */
#define XSK_DESC_TX_METADATA	(1u << 1)	/* XDP_TX_METADATA */
#define XSK_TXMD_OFFSET		64	/* a TX frame's data within its chunk */

struct xsk {
	int fd;
	int ifindex;
	uint32_t queue;
	bool zerocopy, need_wakeup, tx_metadata;
	unsigned int rx_frames;		/* receive frames in circulation */
	void *umem;
	size_t umem_len;
	struct xsk_ring fill, comp, rx, tx;
	uint32_t next_tx_frame;
	unsigned long wakeups;		/* recvfrom kicks made while the driver's flag was up */
};

/* Creates a socket with its own UMEM and binds it to ifindex/queue (XSK_* flags). */
int xsk_open(struct xsk *x, int ifindex, uint32_t queue, unsigned int flags, char *err, size_t errlen);
void xsk_close(struct xsk *x);
/* Number of RX queues of ifname (its /sys/class/net/IF/queues/rx-N). */
unsigned int rx_queue_count(const char *ifname);
/*
 * One socket per RX queue of ifindex (at most max), each with its own UMEM;
 * with xskmap_fd >= 0 each goes into that XSKMAP at its queue index.  Returns
 * the number opened; on failure -1, with the ones opened so far closed.
 */
int xsk_open_all(struct xsk *xsks, unsigned int max, const char *ifname, unsigned int flags,
		 int xskmap_fd, char *err, size_t errlen);
void xsk_close_all(struct xsk *xsks, unsigned int n);
/* Gives the kernel every RX frame (the first half of the UMEM) to fill. */
int xsk_fill_all(struct xsk *x);
/*
 * Calls fn for each received descriptor and recycles its frame; with
 * XSK_NEED_WAKEUP, wakes the driver (recvfrom) if it has asked for it.
 */
typedef void (*xsk_frame_fn)(void *ctx, uint32_t queue, const uint8_t *data, uint32_t len);
unsigned int xsk_rx_drain(struct xsk *x, xsk_frame_fn fn, void *ctx);
/* Queues one frame for transmission and kicks the driver; -1 if the ring is full. */
int xsk_tx(struct xsk *x, const void *frame, uint32_t len);
/* Frames the kernel dropped on this socket (rx ring full, invalid, ...). */
uint64_t xsk_rx_dropped(struct xsk *x);
/*
 * The same with TX metadata (the socket opened with XSK_TX_METADATA):
 * md_flags (XSK_TXMD_*) and, with XSK_TXMD_LAUNCH_TIME, launch_time (ns on
 * the clock of the queue's ETF qdisc) go into the struct xsk_txmd in front
 * of the frame.
 */
int xsk_tx_md(struct xsk *x, const void *frame, uint32_t len, uint64_t md_flags,
	      uint64_t launch_time);
/* Reaps completed transmissions; returns how many. */
unsigned int xsk_tx_complete(struct xsk *x);
/* The same, handing fn the TX metadata of each (NULL without XSK_TX_METADATA). */
unsigned int xsk_tx_complete_md(struct xsk *x, void (*fn)(void *ctx, const struct xsk_txmd *md),
				void *ctx);

/*
 * Zero-copy TX uses the driver's XDP rings, which exist only with a
 * program: attaches one (XDP_PASS for all but probes, which it drops) in
 * native mode to ifindex.  NULL after a message in err.
 */
struct bench_bpf;
struct bench_bpf *xsk_tx_prog_attach(int ifindex, char *err, size_t errlen);

/*
 * A udp4 probe of size bytes from src_mac to the wire, with sequence
 * number seq, as the host's probe check wants it; returns size.
 */
#define XSK_PROBE_UDP_OFF	34	/* Ethernet + IPv4 */
uint32_t xsk_tx_probe(uint8_t *f, uint32_t size, const uint8_t *src_mac, uint32_t seq);

#endif /* NICRIG_XSK_H */
