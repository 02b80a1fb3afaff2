/* SPDX-License-Identifier: GPL-2.0 */
/*
 * meta.h - what the wire puts in a probe frame, what XDP writes as metadata,
 * and the counters the BPF programs share with the test agent.
 *
 * Included by the BPF programs and by host and guest C code alike, so only
 * fixed-width types and no kernel headers.
 */
#ifndef NICRIG_META_H
#define NICRIG_META_H

#define NICRIG_UDP_DPORT	9001	/* probe frames go to this port */
#define NICRIG_UDP_SPORT	9000
#define NICRIG_PROBE_MAGIC	0x4e524947u	/* "NRIG", big-endian on the wire */
#define NICRIG_META_MAGIC	0x6d657461u	/* "meta", host order in metadata */
#define NICRIG_META_LEN		32
#define NICRIG_PATTERN_LEN	(NICRIG_META_LEN - 8)
#define NICRIG_MAX_SEQ		8192	/* per-frame bookkeeping limit */
#define NICRIG_MAX_QUEUES	64
/*
 * The largest frame on the cable, FCS not counted: what the wire builds,
 * sends or holds (SIZE, SIZE_MAX, FAULT= oversize len=) and the guest reads.
 * A 9000-byte MTU's 9014 with two VLAN tags is 9022, and then some, so that
 * a test can send jumbo frames the NIC must take at MTU 9000 and refuse at
 * 1500 (mtu_change).  QEMU's dgram netdev reads up to 69632 bytes a
 * datagram; a UNIX datagram socket takes any that fit its send buffer
 * (212992 bytes by default).
 */
#define NICRIG_FRAME_MAX	9216

/* UDP payload of a probe frame (network byte order). */
struct nicrig_probe {
	__u32 magic;
	__u32 seq;
	__u32 test_id;
	__u32 flags;
};

/* The 32 bytes of metadata XDP puts in front of the frame. */
struct nicrig_meta {
	__u32 magic;
	__u32 seq;
	__u8 pattern[NICRIG_PATTERN_LEN];
};

/*
 * Byte off of probe seq's payload, off counted from the first byte of struct
 * nicrig_probe (so off >= sizeof(struct nicrig_probe)): the one filler rule
 * of every template, UDP and TCP alike.  The wire fills and checks it
 * (wire.c), the agent checks what it receives and fills what it transmits
 * (xsk_tests.c, stack_tests.c).  The 8 is the UDP header: the rule was first
 * written counting from there, and frames and captures keep it.
 */
static inline __u8 nicrig_probe_fill(__u32 seq, __u32 off)
{
	return (__u8)(seq + 8 + off);
}

/*
 * Pattern byte i of frame seq.  Depends on both, so metadata of another frame
 * or stale headroom never matches by accident.
 */
static inline __u8 nicrig_pattern_byte(__u32 seq, __u32 i, __u32 salt)
{
	return (__u8)(seq * 31u + i * 7u + 0x5au + salt);
}

/* Indexes into the `counters` array map. */
enum nicrig_counter {
	CNT_XDP_PROBES,		/* probe frames seen by the XDP writer */
	CNT_XDP_META_FAIL,	/* bpf_xdp_adjust_meta refused */
	CNT_XDP_REDIRECTED,	/* carrier redirected a probe (veth rig) */
	CNT_DM_OK,		/* data_meta reader: metadata intact */
	CNT_DM_BAD,		/* data_meta reader: wrong content */
	CNT_DM_SHORT,		/* data_meta reader: fewer than 32 bytes */
	CNT_DP_OK,		/* dynptr reader: metadata intact */
	CNT_DP_BAD,		/* dynptr reader: wrong content */
	CNT_DP_SHORT,		/* dynptr reader: fewer than 32 bytes */
	CNT_DUP,		/* a reader saw the same seq twice */
	CNT_NR
};

/* Bits in the per-seq `seen` map. */
#define SEEN_XDP	0x1
#define SEEN_DM		0x2
#define SEEN_DP		0x4

/* The first wrong metadata a reader saw, kept for the failure report. */
struct nicrig_bad_sample {
	__u32 valid;
	__u32 seq;		/* seq taken from the frame payload */
	__u32 meta_len;		/* metadata length the reader found */
	__u32 pad;
	__u8 bytes[NICRIG_META_LEN];
};

enum nicrig_reader {
	READER_DATA_META,
	READER_DYNPTR,
	READER_NR
};

#endif /* NICRIG_META_H */
