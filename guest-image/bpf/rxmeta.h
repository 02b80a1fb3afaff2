/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rxmeta.h - what the XDP RX metadata program records per probe, shared by
 * rxmeta.bpf.c and the agent's xdp_rx_metadata test.
 */
#ifndef NICRIG_RXMETA_H
#define NICRIG_RXMETA_H

#define RXMETA_MAX	256	/* probes recorded, by sequence number */

struct rxmeta_rec {
	__u32 seen;		/* times this probe reached XDP */
	__u32 order;		/* position in arrival order, from 0 */
	__s32 hash_rc;		/* bpf_xdp_metadata_rx_hash() */
	__u32 hash;
	__u32 rss_type;		/* enum xdp_rss_hash_type */
	__s32 ts_rc;		/* bpf_xdp_metadata_rx_timestamp() */
	__u64 ts;		/* ns, the NIC's PHC clock */
	__u32 saddr, daddr;	/* network order, as hashed */
	__u16 sport, dport;
	__u32 rx_queue;
};

#endif
