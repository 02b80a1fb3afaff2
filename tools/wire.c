// SPDX-License-Identifier: GPL-2.0
/* wire.c - the host end of the NIC's cable (see wire.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <time.h>
#include <sys/un.h>
#include <unistd.h>

#include <net/if_arp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pcap/pcap.h>

#include <linux/if_ether.h>
#include <linux/types.h>

#include "meta.h"
#include "util.h"
#include "wire.h"

#define SNAPLEN_MAX	262144	/* libpcap's largest for Ethernet */

/* Neighbour Discovery (RFC 4861) */
#define ND_NEIGHBOR_SOLICIT	135
#define ND_NEIGHBOR_ADVERT	136
#define ND_OPT_SOURCE_LLADDR	1
#define ND_OPT_TARGET_LLADDR	2
#define ND_NA_SOLICITED		0x40	/* in the first byte of the flags word */
#define ND_NA_OVERRIDE		0x20
#define ND_NA_FRAME_LEN		(ETH_HLEN + 40 + 24 + 8)	/* one option: our MAC */

const uint8_t nicrig_wire_ip6[16] = { 0xfd, 0x00, 0x6e, 0x72, [15] = 1 };
const uint8_t nicrig_guest_ip6[16] = { 0xfd, 0x00, 0x6e, 0x72, [15] = 2 };

static int sun_fill(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

int wire_open(struct wire *w, const char *local_path, const char *pcap_path,
	      char *err, size_t errlen)
{
	struct sockaddr_un sun;
	int buf = 4 << 20;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	if (sun_fill(&sun, local_path)) {
		snprintf(err, errlen, "wire socket path too long: %s", local_path);
		return -1;
	}
	w->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (w->fd < 0) {
		snprintf(err, errlen, "wire socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	/* each frame's arrival, stamped by the kernel as QEMU sent it (rx_ns) */
	setsockopt(w->fd, SOL_SOCKET, SO_TIMESTAMPNS, &(int){ 1 }, sizeof(int));
	unlink(local_path);
	if (bind(w->fd, (struct sockaddr *)&sun, sizeof(sun))) {
		snprintf(err, errlen, "binding wire socket %s: %s", local_path, strerror(errno));
		wire_close(w);
		return -1;
	}
	if (pcap_path && wire_capture_open(w, pcap_path, err, errlen)) {
		wire_close(w);
		return -1;
	}
	return 0;
}

int wire_capture_open(struct wire *w, const char *pcap_path, char *err, size_t errlen)
{
	w->dead = pcap_open_dead(DLT_EN10MB, 65535);
	w->dump = w->dead ? pcap_dump_open(w->dead, pcap_path) : NULL;
	if (!w->dump)
		return set_error(err, errlen, "opening capture %s: %s", pcap_path,
				 w->dead ? pcap_geterr(w->dead) : "pcap_open_dead failed");
	return 0;
}

int wire_connect(struct wire *w, const char *peer_path, char *err, size_t errlen)
{
	struct sockaddr_un sun;

	if (sun_fill(&sun, peer_path))
		return set_error(err, errlen, "connecting the wire to QEMU's socket %s: %s (%zu bytes, at most %zu)",
			    peer_path, strerror(ENAMETOOLONG), strlen(peer_path),
			    sizeof(sun.sun_path) - 1);
	if (connect(w->fd, (struct sockaddr *)&sun, sizeof(sun)))
		return set_error(err, errlen, "connecting the wire to QEMU's socket %s: %s", peer_path,
			    strerror(errno));
	return 0;
}

static void capture(struct wire *w, const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr h;

	if (!w->dump)
		return;
	gettimeofday(&h.ts, NULL);
	h.caplen = h.len = len;
	pcap_dump((u_char *)w->dump, &h, frame);
}

static uint32_t fcs_update(uint32_t crc, const uint8_t *p, size_t len)
{
	static uint32_t table[256];

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int b = 0; b < 8; b++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	for (size_t i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc;
}

uint32_t eth_fcs(const uint8_t *frame, size_t len)
{
	return ~fcs_update(0xffffffff, frame, len);
}

int wire_send_fcs(struct wire *w, const uint8_t *frame, size_t len, unsigned int flags)
{
	static const uint8_t zeros[WIRE_ZLEN];
	/* a MAC pads a short frame before its FCS; a runt is one it did not */
	size_t pad = w->fcs && len < WIRE_ZLEN && !(flags & WIRE_NO_PAD) ? WIRE_ZLEN - len : 0;
	uint8_t le[4];
	struct iovec iov[3] = { { (void *)frame, len }, { (void *)zeros, pad }, { le, sizeof(le) } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = w->fcs ? 3 : 1 };
	ssize_t n;

	if ((flags & (WIRE_BAD_FCS | WIRE_NO_PAD)) && !w->fcs)
		return -EINVAL;
	if (w->fcs) {
		uint32_t fcs = ~fcs_update(fcs_update(0xffffffff, frame, len), zeros, pad) ^
			       (flags & WIRE_BAD_FCS ? 0x10 : 0);

		le[0] = fcs;
		le[1] = fcs >> 8;
		le[2] = fcs >> 16;
		le[3] = fcs >> 24;
	}
	n = w->stream ? wire_stream_sendv(w, iov, msg.msg_iovlen) : sendmsg(w->fd, &msg, MSG_NOSIGNAL);
	if (w->stream && n < 0)
		return n;
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if ((size_t)n != len + (w->fcs ? pad + sizeof(le) : 0))
		return -EMSGSIZE;
	capture(w, frame, len);
	w->tx_frames++;
	return 0;
}

int wire_send(struct wire *w, const uint8_t *frame, size_t len)
{
	return wire_send_fcs(w, frame, len, 0);
}

/* Compiles a tcpdump expression for frames of linktype into *prog. */
static int filter_compile(struct bpf_program **prog, int linktype, const char *expr,
			  char *err, size_t errlen)
{
	pcap_t *dead = pcap_open_dead(linktype, SNAPLEN_MAX);
	struct bpf_program *bp = calloc(1, sizeof(*bp));
	int rc = -1;

	if (!dead || !bp)
		set_error(err, errlen, "compiling the filter '%s': out of memory", expr);
	else if (pcap_compile(dead, bp, expr, 1, PCAP_NETMASK_UNKNOWN))
		set_error(err, errlen, "bad filter '%s': %s", expr, pcap_geterr(dead));
	else
		rc = 0;
	if (rc)
		free(bp);
	else
		*prog = bp;
	if (dead)
		pcap_close(dead);
	return rc;
}

static bool filter_match(const struct bpf_program *prog, const uint8_t *data, size_t caplen,
			 size_t len)
{
	struct pcap_pkthdr h = { .caplen = caplen, .len = len };

	return pcap_offline_filter(prog, &h, data) != 0;
}

static void filter_free(struct bpf_program **prog)
{
	if (!*prog)
		return;
	pcap_freecode(*prog);
	free(*prog);
	*prog = NULL;
}

/* The kernel's receive timestamp of msg, else now; CLOCK_REALTIME ns. */
static int64_t rx_stamp(struct msghdr *msg)
{
	struct timespec ts;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return ts.tv_sec * 1000000000LL + ts.tv_nsec;
		}
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int wire_recv_frame(struct wire *w, uint8_t *buf, size_t cap)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct timespec))];
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	ssize_t n;

	if (w->stream) {
		struct timespec ts;

		n = wire_stream_recv(w, buf, cap);
		if (n <= 0)
			return n;
		/* the frame's arrival on this host, not when QEMU sent it: a network lies between */
		clock_gettime(CLOCK_REALTIME, &ts);
		w->rx_ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	} else {
		n = recvmsg(w->fd, &msg, MSG_TRUNC);
		if (n < 0)
			return errno == EWOULDBLOCK ? 0 : -errno;
		w->rx_ns = rx_stamp(&msg);
	}
	if ((size_t)n > cap)
		n = cap;
	if (w->filter && !filter_match(w->filter, buf, n, n)) {
		w->rx_filtered++;
		return n;
	}
	capture(w, buf, n);
	w->rx_frames++;
	return n;
}

int wire_set_filter(struct wire *w, const char *expr, char *err, size_t errlen)
{
	struct bpf_program *prog = NULL;

	if (filter_compile(&prog, DLT_EN10MB, expr, err, errlen))
		return -1;
	filter_free(&w->filter);
	w->filter = prog;
	return 0;
}

void wire_close(struct wire *w)
{
	if (w->dump) {
		pcap_dump_flush(w->dump);
		pcap_dump_close(w->dump);
	}
	if (w->dead)
		pcap_close(w->dead);
	if (w->fd >= 0)
		close(w->fd);
	free(w->in);
	free(w->out);
	w->in = w->out = NULL;
	filter_free(&w->filter);
	w->dump = NULL;
	w->dead = NULL;
	w->fd = -1;
}

size_t wire_arp_reply(const uint8_t *f, size_t len, const uint8_t my_mac[6], uint32_t my_ip,
		      uint8_t *out, size_t cap)
{
	const uint8_t *arp = f + ETH_HLEN, *asker = arp + 8;	/* sender MAC, then IP */
	uint8_t *p;

	if (len < ETH_HLEN + 28 || cap < ETH_ZLEN || get_be16(f + 12) != ETH_P_ARP ||
	    get_be16(arp) != ARPHRD_ETHER || get_be16(arp + 2) != ETH_P_IP || arp[4] != 6 ||
	    arp[5] != 4 || get_be16(arp + 6) != ARPOP_REQUEST || get_be32(arp + 24) != my_ip)
		return 0;
	memset(out, 0, ETH_ZLEN);
	p = put_eth(out, asker, my_mac, ETH_P_ARP);
	put_be16(p, ARPHRD_ETHER);
	put_be16(p + 2, ETH_P_IP);
	p[4] = 6;
	p[5] = 4;
	put_be16(p + 6, ARPOP_REPLY);
	memcpy(p + 8, my_mac, 6);
	put_be32(p + 14, my_ip);
	memcpy(p + 18, asker, 10);
	return ETH_ZLEN;
}

/* ff02::1:ffXX:XXXX, the group a node joins for each of its addresses. */
static bool is_solicited_node(const uint8_t a[16], const uint8_t of[16])
{
	static const uint8_t prefix[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

	return !memcmp(a, prefix, 13) && !memcmp(a + 13, of + 13, 3);
}

size_t wire_ns_reply(const uint8_t *f, size_t len, const uint8_t my_mac[6],
		     const uint8_t my_ip6[16], uint8_t *out, size_t cap)
{
	static const uint8_t unspecified[16];
	const uint8_t *ip6 = f + ETH_HLEN, *ns = ip6 + 40, *asker_mac = f + 6;
	uint8_t *ip, *na;
	size_t plen;

	if (len < ETH_HLEN + 40 + 24 || cap < ND_NA_FRAME_LEN || get_be16(f + 12) != ETH_P_IPV6 ||
	    ip6[0] >> 4 != 6 || ip6[6] != IPPROTO_ICMPV6 || ip6[7] != 255)
		return 0;
	plen = get_be16(ip6 + 4);
	if (plen < 24 || ETH_HLEN + 40 + plen > len || ns[0] != ND_NEIGHBOR_SOLICIT || ns[1] ||
	    csum_fold(csum_add(csum_pseudo6(ip6, IPPROTO_ICMPV6, plen), ns, plen)) ||
	    memcmp(ns + 8, my_ip6, 16) || !memcmp(ip6 + 8, unspecified, 16) ||
	    (memcmp(ip6 + 24, my_ip6, 16) && !is_solicited_node(ip6 + 24, my_ip6)))
		return 0;
	/* Options, 8-byte units each; the asker's link-layer address is where the answer goes. */
	for (size_t off = 24; off < plen; off += ns[off + 1] * 8) {
		if (off + 8 > plen || !ns[off + 1] || off + ns[off + 1] * 8 > plen)
			return 0;
		if (ns[off] == ND_OPT_SOURCE_LLADDR && ns[off + 1] == 1)
			asker_mac = ns + off + 2;
	}
	memset(out, 0, ND_NA_FRAME_LEN);
	ip = put_eth(out, asker_mac, my_mac, ETH_P_IPV6);
	put_be32(ip, 0x60000000);
	put_be16(ip + 4, 32);
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255;
	memcpy(ip + 8, my_ip6, 16);
	memcpy(ip + 24, ip6 + 8, 16);	/* back to the asker's address */
	na = ip + 40;
	na[0] = ND_NEIGHBOR_ADVERT;
	na[4] = ND_NA_SOLICITED | ND_NA_OVERRIDE;
	memcpy(na + 8, my_ip6, 16);
	na[24] = ND_OPT_TARGET_LLADDR;
	na[25] = 1;
	memcpy(na + 26, my_mac, 6);
	put_be16(na + 2, csum_fold(csum_add(csum_pseudo6(ip, IPPROTO_ICMPV6, 32), na, 32)));
	return ND_NA_FRAME_LEN;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	/* sscanf's %x would take blanks, a sign and single digits: byte by byte instead. */
	for (int i = 0; i < 6; i++, s += 3) {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);

		if (lo < 0 || s[2] != (i < 5 ? ':' : '\0'))
			return -1;
		m[i] = hi << 4 | lo;
	}
	memcpy(mac, m, 6);
	return 0;
}

int replay_open(struct replay *r, const char *path, const char *filter, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	int dlt;

	memset(r, 0, sizeof(*r));
	r->p = pcap_open_offline(path, perr);
	if (!r->p) {
		const char *why = perr;

		/* libpcap names the file in some messages, not in others */
		if (!strncmp(why, path, strlen(path)) && !strncmp(why + strlen(path), ": ", 2))
			why += strlen(path) + 2;
		return set_error(err, errlen, "cannot replay %s: %s", path, why);
	}
	dlt = pcap_datalink(r->p);
	if (dlt != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(dlt);

		set_error(err, errlen, "cannot replay %s: its link type is %s (%d), the wire carries Ethernet (EN10MB)",
		     path, name ? name : "unknown", dlt);
		replay_close(r);
		return -1;
	}
	if (filter && filter_compile(&r->filter, dlt, filter, err, errlen)) {
		replay_close(r);
		return -1;
	}
	return 0;
}

int replay_next(struct replay *r, const uint8_t **frame, size_t *len, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	while ((rc = pcap_next_ex(r->p, &h, &data)) == 1) {
		r->st.read++;
		if (r->filter && !filter_match(r->filter, data, h->caplen, h->len))
			continue;
		r->st.matched++;
		if (h->caplen < ETH_HLEN || h->caplen > 65535 || h->caplen < h->len) {
			r->st.skipped++;
			continue;
		}
		*frame = data;
		*len = h->caplen;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	return set_error(err, errlen, "reading record %lu of the capture: %s", r->st.read + 1,
		    pcap_geterr(r->p));
}

void replay_close(struct replay *r)
{
	if (r->p)
		pcap_close(r->p);
	filter_free(&r->filter);
	r->p = NULL;
}
