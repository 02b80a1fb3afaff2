// SPDX-License-Identifier: GPL-2.0
/* xsk.c - minimal AF_XDP sockets for the tests (see xsk.h). */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "meta.h"
#include "xsk.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif

/* Frames 0..N/2-1 receive, N/2..N-1 transmit. */
#define RX_FRAMES	(XSK_NUM_FRAMES / 2)

static int map_ring(struct xsk *x, struct xsk_ring *r, const struct xdp_ring_offset *off,
		    size_t desc_size, uint64_t pgoff)
{
	r->size = XSK_RING_SIZE;
	r->mask = XSK_RING_SIZE - 1;
	r->map_len = off->desc + XSK_RING_SIZE * desc_size;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		      x->fd, pgoff);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return -1;
	}
	r->producer = (uint32_t *)((char *)r->map + off->producer);
	r->consumer = (uint32_t *)((char *)r->map + off->consumer);
	r->flags = (uint32_t *)((char *)r->map + off->flags);
	r->ring = (char *)r->map + off->desc;
	return 0;
}

int xsk_open(struct xsk *x, int ifindex, uint32_t queue, unsigned int flags, char *err, size_t errlen)
{
	bool zerocopy = flags & XSK_ZEROCOPY;
	/* struct xdp_umem_reg as of 6.8, with tx_metadata_len */
	struct {
		uint64_t addr, len;
		uint32_t chunk_size, headroom, flags, tx_metadata_len;
	} reg = {
		.chunk_size = XSK_FRAME_SIZE,
		.flags = flags & XSK_TX_METADATA ? 1u << 2 : 0,	/* XDP_UMEM_TX_METADATA_LEN */
		.tx_metadata_len = flags & XSK_TX_METADATA ? sizeof(struct xsk_txmd) : 0,
	};
	struct xdp_mmap_offsets off;
	struct sockaddr_xdp sxdp = { .sxdp_family = AF_XDP };
	socklen_t optlen = sizeof(off);
	int ring = XSK_RING_SIZE;

	memset(x, 0, sizeof(*x));
	x->ifindex = ifindex;
	x->queue = queue;
	x->zerocopy = zerocopy;
	x->need_wakeup = flags & XSK_NEED_WAKEUP;
	x->tx_metadata = flags & XSK_TX_METADATA;
	x->rx_frames = flags & XSK_FEW_FRAMES ? XSK_FEW : RX_FRAMES;
	x->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (x->fd < 0) {
		snprintf(err, errlen, "socket(AF_XDP): %s", strerror(errno));
		return -1;
	}
	x->umem_len = (size_t)XSK_NUM_FRAMES * XSK_FRAME_SIZE;
	x->umem = mmap(NULL, x->umem_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->umem == MAP_FAILED) {
		x->umem = NULL;
		snprintf(err, errlen, "mmap UMEM: %s", strerror(errno));
		goto fail;
	}
	reg.addr = (uintptr_t)x->umem;
	reg.len = x->umem_len;
	if (setsockopt(x->fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof(reg)) ||
	    setsockopt(x->fd, SOL_XDP, XDP_UMEM_FILL_RING, &ring, sizeof(ring)) ||
	    setsockopt(x->fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &ring, sizeof(ring)) ||
	    setsockopt(x->fd, SOL_XDP, XDP_RX_RING, &ring, sizeof(ring)) ||
	    setsockopt(x->fd, SOL_XDP, XDP_TX_RING, &ring, sizeof(ring))) {
		snprintf(err, errlen, "AF_XDP UMEM/ring setup: %s", strerror(errno));
		goto fail;
	}
	if (getsockopt(x->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen)) {
		snprintf(err, errlen, "XDP_MMAP_OFFSETS: %s", strerror(errno));
		goto fail;
	}
	if (map_ring(x, &x->fill, &off.fr, sizeof(uint64_t), XDP_UMEM_PGOFF_FILL_RING) ||
	    map_ring(x, &x->comp, &off.cr, sizeof(uint64_t), XDP_UMEM_PGOFF_COMPLETION_RING) ||
	    map_ring(x, &x->rx, &off.rx, sizeof(struct xdp_desc), XDP_PGOFF_RX_RING) ||
	    map_ring(x, &x->tx, &off.tx, sizeof(struct xdp_desc), XDP_PGOFF_TX_RING)) {
		snprintf(err, errlen, "mmap AF_XDP rings: %s", strerror(errno));
		goto fail;
	}
	/* The fill ring must hold frames before bind, or a zero-copy queue starts empty. */
	xsk_fill_all(x);
	sxdp.sxdp_ifindex = ifindex;
	sxdp.sxdp_queue_id = queue;
	sxdp.sxdp_flags = (zerocopy ? XDP_ZEROCOPY : XDP_COPY) |
			  (x->need_wakeup ? XDP_USE_NEED_WAKEUP : 0);
	if (bind(x->fd, (struct sockaddr *)&sxdp, sizeof(sxdp))) {
		snprintf(err, errlen, "binding AF_XDP to ifindex %d queue %u in %s mode: %s",
			 ifindex, queue, zerocopy ? "zero-copy" : "copy", strerror(errno));
		goto fail;
	}
	x->next_tx_frame = RX_FRAMES;
	return 0;
fail:
	xsk_close(x);
	return -1;
}

void xsk_close(struct xsk *x)
{
	struct xsk_ring *rings[] = { &x->fill, &x->comp, &x->rx, &x->tx };

	for (size_t i = 0; i < sizeof(rings) / sizeof(rings[0]); i++)
		if (rings[i]->map)
			munmap(rings[i]->map, rings[i]->map_len);
	if (x->fd >= 0)
		close(x->fd);
	if (x->umem)
		munmap(x->umem, x->umem_len);
	memset(x, 0, sizeof(*x));
	x->fd = -1;
}

int xsk_fill_all(struct xsk *x)
{
	uint32_t prod = __atomic_load_n(x->fill.producer, __ATOMIC_RELAXED);
	uint32_t cons = __atomic_load_n(x->fill.consumer, __ATOMIC_ACQUIRE);
	uint64_t *addrs = x->fill.ring;
	int n = 0;

	/* Before bind nothing is in flight: hand over RX frames up to the ring size. */
	while (prod - cons < x->fill.size && n < (int)x->rx_frames) {
		addrs[prod & x->fill.mask] = (uint64_t)n * XSK_FRAME_SIZE;
		prod++;
		n++;
	}
	__atomic_store_n(x->fill.producer, prod, __ATOMIC_RELEASE);
	return n;
}

unsigned int xsk_rx_drain(struct xsk *x, xsk_frame_fn fn, void *ctx)
{
	uint32_t cons = __atomic_load_n(x->rx.consumer, __ATOMIC_RELAXED);
	uint32_t prod = __atomic_load_n(x->rx.producer, __ATOMIC_ACQUIRE);
	struct xdp_desc *descs = x->rx.ring;
	uint64_t *fill = x->fill.ring;
	uint32_t fprod = __atomic_load_n(x->fill.producer, __ATOMIC_RELAXED);
	unsigned int n = 0;

	for (; cons != prod; cons++, n++) {
		const struct xdp_desc *d = &descs[cons & x->rx.mask];
		uint64_t addr = d->addr;

		if (addr + d->len <= x->umem_len)
			fn(ctx, x->queue, (const uint8_t *)x->umem + addr, d->len);
		/* Recycle the chunk: fill takes chunk-aligned addresses. */
		fill[fprod++ & x->fill.mask] = addr & ~(uint64_t)(XSK_FRAME_SIZE - 1);
	}
	__atomic_store_n(x->rx.consumer, cons, __ATOMIC_RELEASE);
	__atomic_store_n(x->fill.producer, fprod, __ATOMIC_RELEASE);
	/* The driver stopped polling (its fill ring ran dry): buffers are back, wake it. */
	if (x->need_wakeup && (__atomic_load_n(x->fill.flags, __ATOMIC_ACQUIRE) & XDP_RING_NEED_WAKEUP)) {
		recvfrom(x->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
		x->wakeups++;
	}
	return n;
}

int xsk_tx_md(struct xsk *x, const void *frame, uint32_t len, uint64_t md_flags,
	      uint64_t launch_time)
{
	uint32_t prod = __atomic_load_n(x->tx.producer, __ATOMIC_RELAXED);
	uint32_t cons = __atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE);
	struct xdp_desc *descs = x->tx.ring;
	uint32_t off = x->tx_metadata ? XSK_TXMD_OFFSET : 0;
	uint64_t addr;

	if (prod - cons >= x->tx.size || len > XSK_FRAME_SIZE - off)
		return -1;
	addr = (uint64_t)x->next_tx_frame * XSK_FRAME_SIZE + off;
	x->next_tx_frame = x->next_tx_frame + 1 < XSK_NUM_FRAMES ? x->next_tx_frame + 1 : RX_FRAMES;
	memcpy((uint8_t *)x->umem + addr, frame, len);
	descs[prod & x->tx.mask] = (struct xdp_desc){ .addr = addr, .len = len };
	if (x->tx_metadata) {
		struct xsk_txmd *md = (void *)((uint8_t *)x->umem + addr - sizeof(*md));

		memset(md, 0, sizeof(*md));
		md->flags = md_flags;
		md->request.launch_time = launch_time;
		descs[prod & x->tx.mask].options = XSK_DESC_TX_METADATA;
	}
	__atomic_store_n(x->tx.producer, prod + 1, __ATOMIC_RELEASE);
	sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	return 0;
}

int xsk_tx(struct xsk *x, const void *frame, uint32_t len)
{
	return xsk_tx_md(x, frame, len, 0, 0);
}

unsigned int xsk_tx_complete_md(struct xsk *x, void (*fn)(void *ctx, const struct xsk_txmd *md),
				void *ctx)
{
	uint32_t cons = __atomic_load_n(x->comp.consumer, __ATOMIC_RELAXED);
	uint32_t prod = __atomic_load_n(x->comp.producer, __ATOMIC_ACQUIRE);
	const uint64_t *addrs = x->comp.ring;

	for (uint32_t i = cons; fn && i != prod; i++) {
		uint64_t addr = addrs[i & x->comp.mask];

		fn(ctx, x->tx_metadata && addr >= sizeof(struct xsk_txmd) && addr < x->umem_len ?
			(const void *)((uint8_t *)x->umem + addr - sizeof(struct xsk_txmd)) : NULL);
	}
	__atomic_store_n(x->comp.consumer, prod, __ATOMIC_RELEASE);
	return prod - cons;
}

unsigned int xsk_tx_complete(struct xsk *x)
{
	return xsk_tx_complete_md(x, NULL, NULL);
}

uint64_t xsk_rx_dropped(struct xsk *x)
{
	struct xdp_statistics st;
	socklen_t len = sizeof(st);

	memset(&st, 0, sizeof(st));
	if (getsockopt(x->fd, SOL_XDP, XDP_STATISTICS, &st, &len))
		return 0;
	return st.rx_dropped + st.rx_invalid_descs + st.rx_ring_full;
}

unsigned int rx_queue_count(const char *ifname)
{
	char path[128];
	unsigned int n = 0;

	for (;; n++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/queues/rx-%u", ifname, n);
		if (access(path, F_OK))
			return n;
	}
}

int xsk_open_all(struct xsk *xsks, unsigned int max, const char *ifname, unsigned int flags,
		 int xskmap_fd, char *err, size_t errlen)
{
	unsigned int nq = rx_queue_count(ifname), n;
	int ifindex = if_nametoindex(ifname);

	if (nq > max)
		nq = max;
	for (n = 0; n < nq; n++) {
		__u32 q = n;

		if (xsk_open(&xsks[n], ifindex, q, flags, err, errlen))
			goto fail;
		if (xskmap_fd >= 0 && bpf_map_update_elem(xskmap_fd, &q, &xsks[n].fd, 0)) {
			snprintf(err, errlen, "XSKMAP update for queue %u: %s", q, strerror(errno));
			n++;
			goto fail;
		}
	}
	return n;
fail:
	xsk_close_all(xsks, n);
	return -1;
}

void xsk_close_all(struct xsk *xsks, unsigned int n)
{
	while (n)
		xsk_close(&xsks[--n]);
}

static uint16_t ip_csum(const uint8_t *p, int len)
{
	uint32_t sum = 0;

	for (int i = 0; i < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

uint32_t xsk_tx_probe(uint8_t *f, uint32_t size, const uint8_t *src_mac, uint32_t seq)
{
	static const uint8_t wire_mac[6] = { 0x02, 0x6e, 0x72, 0x69, 0x67, 0x02 };
	uint8_t *ip = f + 14, *udp = f + XSK_PROBE_UDP_OFF;
	uint16_t c;

	memset(f, 0, size);
	memcpy(f, wire_mac, 6);
	memcpy(f + 6, src_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (size - 14) >> 8;
	ip[3] = size - 14;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, (uint8_t[]){ 10, 11, 0, 2, 10, 11, 0, 1 }, 8);
	c = ip_csum(ip, 20);
	ip[10] = c >> 8;
	ip[11] = c;
	udp[0] = NICRIG_UDP_SPORT >> 8;
	udp[1] = NICRIG_UDP_SPORT & 0xff;
	udp[2] = NICRIG_UDP_DPORT >> 8;
	udp[3] = NICRIG_UDP_DPORT & 0xff;
	udp[4] = (size - XSK_PROBE_UDP_OFF) >> 8;
	udp[5] = size - XSK_PROBE_UDP_OFF;
	for (int i = 0; i < 4; i++) {
		udp[8 + i] = NICRIG_PROBE_MAGIC >> (24 - 8 * i);
		udp[12 + i] = seq >> (24 - 8 * i);
	}
	for (uint32_t off = sizeof(struct nicrig_probe); XSK_PROBE_UDP_OFF + 8 + off < size; off++)
		udp[8 + off] = nicrig_probe_fill(seq, off);
	return size;
}
